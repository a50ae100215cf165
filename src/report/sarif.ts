import { createHash } from 'node:crypto';
import type { Finding, Fix, LintResult, RuleMeta, Severity } from '../engine/finding.js';
import type { Span } from '../model/span.js';
import type { RenderOptions, Renderer } from './index.js';
import { messageParts } from './message-parts.js';

const SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/connlint/connlint';
const SRCROOT = '%SRCROOT%';
const FINGERPRINT_KEY = 'connlint/v1';

/** GitHub code scanning rejects a run with more results (upload limits, integrations.md) and shows only the top 5,000. */
export const MAX_RESULTS_PER_RUN = 25_000;

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

/**
 * A literal `[` or `]` in SARIF message text would otherwise start an embedded link (`[text](id)`),
 * which GitHub renders: SARIF 2.1.0 §3.11.6 (messages with embedded links) has literal square brackets
 * in plain text escaped with a backslash, and a literal backslash therefore escaped too (`\\`), so
 * that `\[` in the input cannot come out as an escaped bracket. This is what consumers undo
 * (vscode-codeql's unescapeSarifText replaces `\[`, `\]` and `\\`). Nothing else is escaped: no
 * Markdown escaping, so the text stays readable in editors.
 */
export function escapeMessageText(text: string): string {
  return text.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

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

/**
 * A finding's one edit as a SARIF fix (§3.55): one artifactChange on the file, addressed like a result's location,
 * with one replacement of the value's region by the new text. connlint never applies it; viewers may offer it.
 */
function sarifFix(fix: Fix): Record<string, unknown> {
  return {
    description: { text: escapeMessageText(fix.description) },
    artifactChanges: [
      {
        artifactLocation: { uri: toArtifactUri(fix.span.path), uriBaseId: SRCROOT },
        replacements: [{ deletedRegion: region(fix.span), insertedContent: { text: fix.text } }],
      },
    ],
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

/**
 * The message text with the related locations linked the way GitHub links them (`[text](id)`,
 * integrations.md): the finding's own text, escaped, then ` Related: [path:line](1), [path:line](2).`
 * Appending keeps the message a sentence an editor shows as-is; rewriting `path:line` mentions inside
 * it would depend on every rule's wording.
 */
function resultMessage(f: Finding): string {
  const text = escapeMessageText(f.message || f.ruleId);
  if (f.related.length === 0) return text;
  const links = f.related.map((r, j) => `[${escapeMessageText(`${r.span.path}:${r.span.line}`)}](${j + 1})`);
  return `${text}${/[.!?]$/.test(text) ? '' : '.'} Related: ${links.join(', ')}.`;
}

function omittedInvocation(omitted: number, total: number): Record<string, unknown> {
  return {
    executionSuccessful: true,
    toolExecutionNotifications: [
      {
        level: 'warning',
        message: {
          text: `${omitted} of ${total} results were left out: a run holds at most ${MAX_RESULTS_PER_RUN} (GitHub code scanning upload limit). Kept: errors first, then warnings, then notes, each by path and line. Run connlint with --format json for the full list.`,
        },
      },
    ],
  };
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
  const suppressed = result.suppressed ?? [];
  for (const f of [...result.findings, ...suppressed]) if (!indexById.has(f.ruleId)) addRule(placeholderMeta(f));

  // Errors first, then warnings, then notes; within a level the engine's order (path, line, column,
  // rule). GitHub shows only the top 5,000 of a run and rejects more than 25,000, so what is kept and
  // shown first is what matters most. Fingerprints are computed over the full ordered list, so a
  // finding keeps its fingerprint whether or not later ones were cut.
  const ordered = result.findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.i - b.i)
    .map(({ f }) => f as Finding & { suppression?: NonNullable<LintResult['suppressed']>[number]['suppression'] });
  // Suppressed findings stay results, marked (SARIF 2.1.0 §3.27.23 suppressions; GitHub code scanning shows them as
  // dismissed), after every unsuppressed one so that they are the first left out and never shift its fingerprints.
  ordered.push(...suppressed);
  const hashes = fingerprints(ordered);
  const kept = ordered.slice(0, MAX_RESULTS_PER_RUN);
  const omitted = ordered.length - kept.length;
  const results = kept.map((f, i) => {
    const sarifResult: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: indexById.get(f.ruleId),
      level: f.severity,
      // Code scanning rejects a result without message text (github/codeql#11512).
      message: { text: resultMessage(f) },
      locations: [{ physicalLocation: physicalLocation(f.location) }],
    };
    if (f.related.length > 0) {
      sarifResult.relatedLocations = f.related.map((r, j) =>
        r.message === ''
          ? { id: j + 1, physicalLocation: physicalLocation(r.span) }
          : { id: j + 1, physicalLocation: physicalLocation(r.span), message: { text: escapeMessageText(r.message) } },
      );
    }
    sarifResult.partialFingerprints = { [FINGERPRINT_KEY]: hashes[i] };
    // The message in the parts a terminal shows apart (headline, notes, help), beside the full text (§3.8 property bag).
    const parts = messageParts(f.message);
    sarifResult.properties = { headline: parts.headline, notes: parts.notes, ...(parts.help !== undefined ? { help: parts.help } : {}) };
    if (f.fix) sarifResult.fixes = [sarifFix(f.fix)];
    if (f.suppression) {
      const s = f.suppression;
      sarifResult.suppressions = [
        {
          // An in-source comment is `inSource`; the baseline file lives outside the analysed code: `external`.
          kind: s.kind === 'inSource' ? 'inSource' : 'external',
          ...(s.justification !== undefined ? { justification: s.justification } : {}),
          ...(s.location ? { location: { physicalLocation: physicalLocation(s.location) } } : {}),
        },
      ];
    }
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
        // Results left out are a condition of this run, not of its configuration: SARIF 2.1.0
        // invocation.toolExecutionNotifications ("runtime conditions detected by the tool during the
        // analysis"), not toolConfigurationNotifications (problems with the tool's configuration).
        ...(omitted > 0 ? { invocations: [omittedInvocation(omitted, ordered.length)] } : {}),
        results,
      },
    ],
  };
}

export const renderSarif: Renderer = (result, options) => `${JSON.stringify(toSarifLog(result, options), null, 2)}\n`;
