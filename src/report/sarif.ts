import { createHash } from 'node:crypto';
import type { Finding, LintResult, RuleMeta, Severity } from '../engine/finding.js';
import type { Span } from '../model/span.js';
import type { RenderOptions, Renderer } from './index.js';

const SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/connlint/connlint';
const SRCROOT = '%SRCROOT%';
const FINGERPRINT_KEY = 'connlint/v1';

/** GitHub code scanning reads `problem.severity` as error, warning or recommendation (integrations.md). */
const PROBLEM_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', note: 'recommendation' };

/** `pool-lifetime-exceeds-wait-timeout` -> `PoolLifetimeExceedsWaitTimeout` (SARIF reportingDescriptor.name). */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** encodeURIComponent throws on these; a hostile file name must not crash the report. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A span path as a relative URI reference. GitHub rejects a whole upload for an empty uri
 * (codeql-action#2456), an absolute one, or one that is not a URI (scorecard-action#1149), and its
 * uploader decodes each uri with decodeURIComponent (codeql-action#1542), so every segment is
 * percent-encoded as UTF-8 (spaces, `#`, `%`, `?`, `:` and non-ASCII included) and a leading slash
 * is dropped: relative to %SRCROOT% is the only meaning a span path has (span.ts).
 */
export function toArtifactUri(path: string): string {
  const uri = path
    .replace(/^\/+/, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment.replace(LONE_SURROGATE, '\uFFFD')))
    .join('/');
  return uri === '' ? '.' : uri;
}

/** SARIF regions are 1-based with an exclusive endColumn, like Span; out-of-range values would fail the schema. */
function region(span: Span): Record<string, number> {
  const startLine = atLeast(1, span.line);
  const startColumn = atLeast(1, span.column);
  const endLine = atLeast(startLine, span.endLine);
  const endColumn = atLeast(endLine === startLine ? startColumn : 1, span.endColumn);
  return { startLine, startColumn, endLine, endColumn };
}

function atLeast(min: number, n: number): number {
  return Number.isFinite(n) ? Math.max(min, Math.trunc(n)) : min;
}

function physicalLocation(span: Span): Record<string, unknown> {
  return {
    artifactLocation: { uri: toArtifactUri(span.path), uriBaseId: SRCROOT },
    region: region(span),
  };
}

function firstParagraph(text: string): string {
  return (
    text
      .trim()
      .split(/\r?\n\s*\r?\n/)[0]
      ?.trim() ?? ''
  );
}

function ruleDescriptor(meta: RuleMeta): Record<string, unknown> {
  const descriptor: Record<string, unknown> = {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: meta.summary || meta.id },
    fullDescription: { text: firstParagraph(meta.helpText) || meta.summary || meta.id },
    help: meta.helpMarkdown
      ? { text: meta.helpText || meta.summary || meta.id, markdown: meta.helpMarkdown }
      : { text: meta.helpText || meta.summary || meta.id },
  };
  // An empty or placeholder helpUri breaks consumers (sarif-js-sdk#89): leave it out instead.
  if (meta.helpUri) descriptor.helpUri = meta.helpUri;
  descriptor.defaultConfiguration = { level: meta.severity };
  descriptor.properties = {
    tags: [...meta.tags],
    precision: 'high',
    'problem.severity': PROBLEM_SEVERITY[meta.severity],
  };
  return descriptor;
}

/** Used only when a finding's rule id is missing from result.rules, so every result keeps a valid ruleIndex. */
function placeholderMeta(finding: Finding): RuleMeta {
  return {
    id: finding.ruleId,
    summary: finding.ruleId,
    severity: finding.severity,
    tags: [],
    helpMarkdown: '',
    helpText: '',
    helpUri: '',
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The finding's fingerprint (rule + file + key, no line: finding.ts) hashed. Two findings that still
 * share one get an occurrence number, in result order, so they never collapse into one alert
 * (envdrift#489: fingerprints that collide when two findings share a line).
 */
function fingerprints(findings: Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const base = f.fingerprint !== '' ? f.fingerprint : `${f.ruleId}\u0000${f.location.path}\u0000${f.message}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return sha256(count === 1 ? base : `${base}\u0000${count}`);
  });
}

/** The SARIF log as an object (the renderer serialises it). */
export function toSarifLog(result: LintResult, options: Pick<RenderOptions, 'sarifCategory'> = {}): Record<string, unknown> {
  const metas: RuleMeta[] = [];
  const indexById = new Map<string, number>();
  const addRule = (meta: RuleMeta): void => {
    if (indexById.has(meta.id)) return;
    indexById.set(meta.id, metas.length);
    metas.push(meta);
  };
  for (const meta of result.rules) addRule(meta);
  for (const f of result.findings) if (!indexById.has(f.ruleId)) addRule(placeholderMeta(f));

  const hashes = fingerprints(result.findings);
  const results = result.findings.map((f, i) => {
    const sarifResult: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: indexById.get(f.ruleId),
      level: f.severity,
      // Code scanning rejects a result without message text (github/codeql#11512).
      message: { text: f.message || f.ruleId },
      locations: [{ physicalLocation: physicalLocation(f.location) }],
    };
    if (f.related.length > 0) {
      sarifResult.relatedLocations = f.related.map((r, j) =>
        r.message === ''
          ? { id: j + 1, physicalLocation: physicalLocation(r.span) }
          : { id: j + 1, physicalLocation: physicalLocation(r.span), message: { text: r.message } },
      );
    }
    sarifResult.partialFingerprints = { [FINGERPRINT_KEY]: hashes[i] };
    return sarifResult;
  });

  return {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'connlint',
            version: result.toolVersion,
            informationUri: INFORMATION_URI,
            rules: metas.map(ruleDescriptor),
          },
        },
        // No originalUriBaseIds: code scanning does not support it (codeql-action#2456, #2215) and it
        // would put the machine's absolute checkout path into otherwise deterministic output.
        // Only when asked (--sarif-category): a fixed id overrides upload-sarif's category, and a second upload
        // in the same job (monorepo, matrix) is then rejected.
        ...(options.sarifCategory ? { automationDetails: { id: options.sarifCategory } } : {}),
        // Columns are indexes into JavaScript strings, which count UTF-16 code units.
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export const renderSarif: Renderer = (result, options) => `${JSON.stringify(toSarifLog(result, options), null, 2)}\n`;
