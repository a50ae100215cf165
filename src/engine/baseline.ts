import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Finding, LintResult } from './finding.js';
import { compareFindings } from './finding.js';
import { UsageError } from './run.js';

/*
 * Baselines (docs/suppression.md): `--write-baseline FILE` records today's findings, `--baseline FILE` reports only
 * the ones it does not record. An entry matches a finding with the same rule, path, fingerprint (`rule|path|key`,
 * no line) and value hash (the message with every `path:line` and line number taken out), so a finding whose lines
 * moved still matches and one whose values changed does not. Paths are the report's (relative to the repository root).
 */

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  ruleId: string;
  path: string;
  fingerprint: string;
  valueHash: string;
  /** The message without line numbers, for a person reading the file; not used for matching. */
  message: string;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  tool: 'connlint';
  findings: BaselineEntry[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The message with the places in it reduced to their files: `path:line[:column]` of every file the result names
 * becomes `path`, and `line N` / `line: N` becomes `line`. A port (`db:3306`) is not a known path and stays.
 */
export function withoutLines(result: Pick<LintResult, 'findings' | 'files' | 'suppressed'>): (message: string) => string {
  const known = new Set<string>(result.files.map((f) => f.path));
  for (const f of [...result.findings, ...(result.suppressed ?? [])]) {
    known.add(f.location.path);
    for (const r of f.related) known.add(r.span.path);
  }
  const paths = [...known].filter((p) => p !== '').sort((a, b) => b.length - a.length);
  const placed = paths.length > 0 ? new RegExp(`(?<![\\w./-])(${paths.map(escapeRegExp).join('|')}):\\d+(?::\\d+)?`, 'g') : undefined;
  return (message) => (placed ? message.replace(placed, '$1') : message).replace(/\b(lines?):?\s*\d+(?:\s*-\s*\d+)?/g, '$1');
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function entryOf(f: Finding, strip: (m: string) => string): BaselineEntry {
  const message = strip(f.message);
  // A parse error's key is its message, which may name its line (`at line: 3`): taken out like the message's.
  return { ruleId: f.ruleId, path: f.location.path, fingerprint: strip(f.fingerprint), valueHash: sha256(message).slice(0, 16), message };
}

function keyOf(e: Pick<BaselineEntry, 'ruleId' | 'path' | 'fingerprint' | 'valueHash'>): string {
  return `${e.ruleId}\0${e.path}\0${e.fingerprint}\0${e.valueHash}`;
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const ka = [a.path, a.ruleId, a.fingerprint, a.valueHash];
  const kb = [b.path, b.ruleId, b.fingerprint, b.valueHash];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return (ka[i] as string) < (kb[i] as string) ? -1 : 1;
  return 0;
}

/** The baseline of a result's findings: one entry per finding (duplicates kept), sorted, as the file's text. */
export function writeBaseline(result: LintResult): { text: string; count: number } {
  const strip = withoutLines(result);
  const findings = result.findings.map((f) => entryOf(f, strip)).sort(compareEntries);
  const baseline: Baseline = { version: BASELINE_VERSION, tool: 'connlint', findings };
  return { text: `${JSON.stringify(baseline, null, 2)}\n`, count: findings.length };
}

/** A baseline file's entries; anything else is a usage error naming the file (`name`). */
/** A baseline file (`abs`, named `given` in messages); one that cannot be read or parsed is a usage error (exit 2, one line). */
export function readBaselineFile(abs: string, given: string): BaselineEntry[] {
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read baseline ${given}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseBaseline(text, given);
}

export function parseBaseline(text: string, name: string): BaselineEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`invalid baseline ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const doc = data as Partial<Baseline> | null;
  if (
    typeof doc !== 'object' ||
    doc === null ||
    doc.tool !== 'connlint' ||
    doc.version !== BASELINE_VERSION ||
    !Array.isArray(doc.findings)
  ) {
    throw new UsageError(
      `invalid baseline ${name}: expected {"version": ${BASELINE_VERSION}, "tool": "connlint", "findings": [...]} as --write-baseline writes it`,
    );
  }
  const fields = ['ruleId', 'path', 'fingerprint', 'valueHash'] as const;
  doc.findings.forEach((e, i) => {
    const entry = e as unknown as Record<string, unknown> | null;
    const bad = fields.find((k) => typeof entry?.[k] !== 'string');
    if (bad) throw new UsageError(`invalid baseline ${name}: findings[${i}].${bad} is not a string`);
  });
  return doc.findings;
}

/**
 * The result with the findings a baseline entry matches moved to `suppressed` (kind `baseline`). Each entry matches
 * at most one finding: two identical findings and one entry leave one reported. Entries matching nothing (fixed
 * problems) are fine. `matched` counts the findings the baseline took.
 */
export function applyBaseline(result: LintResult, entries: readonly BaselineEntry[]): { result: LintResult; matched: number } {
  const left = new Map<string, number>();
  for (const e of entries) left.set(keyOf(e), (left.get(keyOf(e)) ?? 0) + 1);
  const strip = withoutLines(result);
  const findings: Finding[] = [];
  const baselined: NonNullable<LintResult['suppressed']> = [];
  for (const f of result.findings) {
    const key = keyOf(entryOf(f, strip));
    const n = left.get(key) ?? 0;
    if (n > 0) {
      left.set(key, n - 1);
      baselined.push({ ...f, suppression: { kind: 'baseline' } });
    } else findings.push(f);
  }
  if (baselined.length === 0) return { result, matched: 0 };
  const suppressed = [...(result.suppressed ?? []), ...baselined].sort(compareFindings);
  return { result: { ...result, findings, suppressed }, matched: baselined.length };
}
