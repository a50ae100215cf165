/*
 * The line of a scanned file a finding points at, with the span marked (Ruff's and rustc's snippet).
 * Secrets on that line are masked as in every other output (model/secrets.ts); when masking cannot keep
 * the mark in place, no line is shown rather than a secret.
 */
import { MASK, maskSecrets } from '../model/secrets.js';
import type { Span } from '../model/span.js';
import { printable, width } from './terminal-text.js';

export interface SnippetLine {
  /** 1-based line number. */
  number: number;
  /** The line as shown: printable, tabs expanded, cut with `...` when wider than asked. */
  text: string;
  /** Where the mark starts in `text` (0-based display column) and how wide it is (at least 1). */
  markStart: number;
  markWidth: number;
}

/** `password: x`, `"DB_PASS": "x"`, `api_key=x` on one line of any format: the value after the key. */
const SECRET_ASSIGNMENT =
  /([\w.-]*(?:pass(?:word|wd|phrase)?|secret|token|credential|api[-_.]?key|private[-_.]?key)["']?\s*[:=]\s*["']?)([^"'\s,;}&#]+)/gi;

export function maskLine(line: string): string {
  return maskSecrets('', line).replace(SECRET_ASSIGNMENT, `$1${MASK}`);
}

/** Tabs as four spaces (rustc's choice) so that the mark lines up; then control characters escaped. */
function shown(text: string): string {
  return printable(text.replace(/\t/g, '    '));
}

function lastCodePoints(text: string, n: number): string {
  return [...text].slice(-n).join('');
}

function firstCodePoints(text: string, n: number): string {
  return [...text].slice(0, n).join('');
}

/**
 * The line before, inside and after the mark, secrets masked. Masking that changes only text after the mark,
 * or only before it, keeps the mark on the same characters; otherwise each part must mask to the same line.
 */
function maskedParts(line: string, from: number, to: number): [string, string, string] | undefined {
  const masked = maskLine(line);
  if (masked === line) return [line.slice(0, from), line.slice(from, to), line.slice(to)];
  let same = 0;
  while (same < line.length && line[same] === masked[same]) same++;
  let sameEnd = 0;
  while (sameEnd < line.length - same && line[line.length - 1 - sameEnd] === masked[masked.length - 1 - sameEnd]) sameEnd++;
  const shift = masked.length - line.length;
  if (to <= same) return [masked.slice(0, from), masked.slice(from, to), masked.slice(to)];
  if (from >= line.length - sameEnd)
    return [masked.slice(0, from + shift), masked.slice(from + shift, to + shift), masked.slice(to + shift)];
  const parts = [line.slice(0, from), line.slice(from, to), line.slice(to)].map(maskLine) as [string, string, string];
  return parts.join('') === masked ? parts : undefined;
}

/** The sources split last, so that many findings in one file split it once (issue 21: findings cost linear time). */
const split = new Map<string, string[] | undefined>();
const SPLIT_CACHE_SIZE = 8;

/** The lines of `source`, or undefined for binary text; cached for the few files split last. */
function linesOf(source: string): string[] | undefined {
  if (split.has(source)) return split.get(source);
  const lines = source.includes('\u0000') ? undefined : source.split('\n');
  if (split.size >= SPLIT_CACHE_SIZE) split.delete(split.keys().next().value as string);
  split.set(source, lines);
  return lines;
}

/** Text on either side of the mark kept when the line is cut. */
const CONTEXT = 16;

/**
 * The marked line for `span` in `source`, at most `maxWidth` columns where the mark allows; undefined for a
 * span that marks nothing (a whole-file finding at 1:1), a line out of range, or binary text.
 */
export function snippetLine(source: string, span: Span, maxWidth: number): SnippetLine | undefined {
  if (span.endLine === span.line && span.endColumn <= span.column) return undefined;
  const lines = linesOf(source);
  if (lines === undefined) return undefined;
  const raw = lines[span.line - 1];
  if (raw === undefined) return undefined;
  const line = raw.replace(/\r$/, '');
  const from = span.column - 1;
  const to = span.endLine > span.line ? line.length : Math.min(span.endColumn - 1, line.length);
  if (from < 0 || from >= line.length || to <= from) return undefined;
  const parts = maskedParts(line, from, to);
  if (!parts) return undefined;
  let [before, marked, after] = parts.map(shown) as [string, string, string];
  if (width(before) + width(marked) > maxWidth && width(before) > CONTEXT + 3) before = `...${lastCodePoints(before, CONTEXT)}`;
  const room = maxWidth - width(before) - width(marked);
  if (width(after) > room) after = room > 3 + 1 ? `${firstCodePoints(after, room - 3)}...` : '';
  return { number: span.line, text: (before + marked + after).trimEnd(), markStart: width(before), markWidth: Math.max(1, width(marked)) };
}
