/**
 * A place in a scanned file. `path` is relative to the scanned root with POSIX separators;
 * line and column are 1-based, `endColumn` is exclusive (the column just after the last character),
 * as in SARIF regions and ESLint's messages. Columns count UTF-16 code units (JavaScript string indexes).
 */
export interface Span {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A span covering `length` characters of one line. */
export function lineSpan(path: string, line: number, column: number, length: number): Span {
  return { path, line, column, endLine: line, endColumn: column + Math.max(length, 0) };
}

/** A span covering a whole file whose text is `text` (used when nothing narrower exists). */
export function fileSpan(path: string, text = ''): Span {
  const firstLine = text.split('\n', 1)[0] ?? '';
  return { path, line: 1, column: 1, endLine: 1, endColumn: 1 + firstLine.replace(/\r$/, '').length };
}

/** `path:line` for messages (actionlint names the other location in the text). */
export function formatSpan(span: Span): string {
  return `${span.path}:${span.line}`;
}

/** The string offsets [from, to) of a span in a file's text (lines and UTF-16 columns, 1-based, end exclusive), or undefined when out of range. */
export function spanOffsets(text: string, span: Span): [number, number] | undefined {
  const starts = [0];
  for (let i = 0; i < text.length && starts.length <= span.endLine; i++) if (text[i] === '\n') starts.push(i + 1);
  const a = starts[span.line - 1];
  const b = starts[span.endLine - 1];
  if (a === undefined || b === undefined) return undefined;
  const from = a + span.column - 1;
  const to = b + span.endColumn - 1;
  return from <= to && to <= text.length ? [from, to] : undefined;
}

/** The text of a span in a file's text, or undefined when out of range. */
export function spanText(text: string, span: Span): string | undefined {
  const range = spanOffsets(text, span);
  return range ? text.slice(range[0], range[1]) : undefined;
}
