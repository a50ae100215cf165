import type { Finding, LintResult } from '../engine/finding.js';
import type { Renderer } from './index.js';
import { messageParts } from './message-parts.js';

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
  /** Findings a `connlint-disable-*` comment or the `--baseline` kept out of `findings` (ESLint's suppressedMessages); only when there are some. */
  suppressed?: JsonFinding[];
}

export interface JsonFinding {
  ruleId: string;
  severity: string;
  /** The rule's id for this kind of message (ESLint's messageId); absent for the ids connlint reports itself. */
  messageId?: string;
  message: string;
  /** The message in the parts the terminal shows apart: headline, notes (the consequence, caveats), help (the fix). */
  parts: { headline: string; notes: string[]; help?: string };
  location: { path: string; line: number; column: number; endLine: number; endColumn: number };
  related: Array<{ path: string; line: number; column: number; message: string }>;
  /** Only when one edit of one written value is the fix: what the edit does and the text that replaces the value. */
  suggestion?: JsonSuggestion;
  /** Only in `suppressed`: how it was suppressed (docs/suppression.md). */
  suppression?: { kind: 'inSource' | 'baseline'; justification?: string; location?: { path: string; line: number; column: number } };
}

export interface JsonSuggestion {
  description: string;
  /** The value as written (`endColumn` exclusive) and its replacement, in the file's own syntax and unit. */
  replacement: { path: string; line: number; column: number; endLine: number; endColumn: number; text: string };
}

/** The message's parts, keys in a fixed order (`help` only when the message advises something). */
function jsonParts(message: string): JsonFinding['parts'] {
  const p = messageParts(message);
  return { headline: p.headline, notes: p.notes, ...(p.help !== undefined ? { help: p.help } : {}) };
}

/**
 * Builds every object literally, key by key, so the key order in the output never depends on how the
 * engine happened to construct its findings (fixture diffs must show only real changes).
 */
function jsonFinding(f: Finding): JsonFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    ...(f.messageId !== undefined ? { messageId: f.messageId } : {}),
    message: f.message,
    parts: jsonParts(f.message),
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
    ...(f.fix
      ? {
          suggestion: {
            description: f.fix.description,
            replacement: {
              path: f.fix.span.path,
              line: f.fix.span.line,
              column: f.fix.span.column,
              endLine: f.fix.span.endLine,
              endColumn: f.fix.span.endColumn,
              text: f.fix.text,
            },
          },
        }
      : {}),
  };
}

function jsonSuppressed(f: NonNullable<LintResult['suppressed']>[number]): JsonFinding {
  const { kind, justification, location } = f.suppression;
  return {
    ...jsonFinding(f),
    suppression: {
      kind,
      ...(justification !== undefined ? { justification } : {}),
      ...(location ? { location: { path: location.path, line: location.line, column: location.column } } : {}),
    },
  };
}

function jsonFile(file: LintResult['files'][number]): JsonReport['files'][number] {
  return { path: file.path, kind: file.kind };
}

function jsonNotRead(file: LintResult['notRead'][number]): JsonReport['notRead'][number] {
  return { path: file.path, reason: file.reason };
}

export function toJsonShape(result: LintResult): JsonReport {
  return {
    findings: result.findings.map(jsonFinding),
    files: result.files.map(jsonFile),
    notRead: result.notRead.map(jsonNotRead),
    ...(result.suppressed && result.suppressed.length > 0 ? { suppressed: result.suppressed.map(jsonSuppressed) } : {}),
  };
}

/** One top-level array of the document, `JSON.stringify(…, null, 2)` item by item: its items sit 4 spaces in. */
function* arrayChunks<T>(items: readonly T[], shape: (item: T) => unknown): Generator<string> {
  yield* itemChunks(items, (item) =>
    // A JSON string never holds a raw line break, so every one is the layout's.
    JSON.stringify(shape(item), null, 2).replace(/\n/g, '\n    '),
  );
}

function* itemChunks<T>(items: readonly T[], text: (item: T) => string): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  for (let i = 0; i < items.length; i++) yield `${i === 0 ? '[' : ','}\n    ${text(items[i] as T)}`;
  yield '\n  ]';
}

/**
 * `files` and `notRead`, one entry per file of the tree (100,000 in a large one): each `{ "path": …, "<key>": … }`
 * written as `arrayChunks` would write it, without building and indenting an object for each, and the second value
 * (a kind, a reason: the same for thousands of files) quoted once.
 */
function* pathEntryChunks<T extends { path: string }>(items: readonly T[], key: string, value: (item: T) => string): Generator<string> {
  const quoted = new Map<string, string>();
  yield* itemChunks(items, (item) => {
    const v = value(item);
    let q = quoted.get(v);
    if (q === undefined) {
      q = JSON.stringify(v);
      quoted.set(v, q);
    }
    return `{\n      "path": ${JSON.stringify(item.path)},\n      "${key}": ${q}\n    }`;
  });
}

/**
 * `JSON.stringify(toJsonShape(result), null, 2)` and a line break, in pieces: written as it is made, a report on
 * 100,000 files (18 MB, most of it `notRead`) is never held whole, nor its objects.
 */
export function* jsonChunks(result: LintResult): Generator<string> {
  yield '{\n  "findings": ';
  yield* arrayChunks(result.findings, jsonFinding);
  yield ',\n  "files": ';
  yield* pathEntryChunks(result.files, 'kind', (f) => f.kind);
  yield ',\n  "notRead": ';
  yield* pathEntryChunks(result.notRead, 'reason', (f) => f.reason);
  if (result.suppressed && result.suppressed.length > 0) {
    yield ',\n  "suppressed": ';
    yield* arrayChunks(result.suppressed, jsonSuppressed);
  }
  yield '\n}\n';
}

export const renderJson: Renderer = (result) => [...jsonChunks(result)].join('');
