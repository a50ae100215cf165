import type { LintResult } from '../engine/finding.js';
import type { Renderer } from './index.js';

/**
 * The `--format json` document, also the shape of every fixture's expected.json: keep keys and order stable.
 * Described by schema/report.schema.json and docs/report-json.md: change them together (json.test.ts validates).
 */
export interface JsonReport {
  findings: JsonFinding[];
  /** Files read, with the format that read them. */
  files: Array<{ path: string; kind: string }>;
  /** Files with a name a format knows that were not read, and why (`openssl.cnf`: not a MySQL option file). */
  notRead: Array<{ path: string; reason: string }>;
}

export interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  location: { path: string; line: number; column: number; endLine: number; endColumn: number };
  related: Array<{ path: string; line: number; column: number; message: string }>;
}

/**
 * Builds every object literally, key by key, so the key order in the output never depends on how the
 * engine happened to construct its findings (fixture diffs must show only real changes).
 */
export function toJsonShape(result: LintResult): JsonReport {
  return {
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      location: {
        path: f.location.path,
        line: f.location.line,
        column: f.location.column,
        endLine: f.location.endLine,
        endColumn: f.location.endColumn,
      },
      related: f.related.map((r) => ({
        path: r.span.path,
        line: r.span.line,
        column: r.span.column,
        message: r.message,
      })),
    })),
    files: result.files.map((file) => ({ path: file.path, kind: file.kind })),
    notRead: result.notRead.map((file) => ({ path: file.path, reason: file.reason })),
  };
}

export const renderJson: Renderer = (result) => `${JSON.stringify(toJsonShape(result), null, 2)}\n`;
