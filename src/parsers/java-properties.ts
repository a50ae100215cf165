/**
 * java.util.Properties files, read exactly as `Properties.load` does (JDK 17 `LineReader.readLine` and
 * `load0`/`loadConvert`), with positions kept. The caller decodes the bytes as ISO-8859-1 first, because
 * HikariCP loads its file with `Properties.load(InputStream)` (hikaricp.md, Syntax and parsing facts).
 */
import type { Span } from '../model/span.js';
import type { ParseProblem, ParseResult } from './parse-result.js';

export interface PropertyEntry {
  /** Exactly what java.util.Properties stores: escapes applied, continuations joined. */
  key: string;
  value: string;
  /** As written in the file; the value runs from its first character to the end of its last physical line. */
  rawKey: string;
  rawValue: string;
  keySpan: Span;
  /** May cover several lines when the value is continued with `\`. */
  valueSpan: Span;
  span: Span;
}

/** Entries in file order; duplicate keys are kept (the last one wins in Java). */
export interface PropertiesDoc {
  entries: PropertyEntry[];
}

const TAB = 0x09;
const LF = 0x0a;
const FF = 0x0c;
const CR = 0x0d;
const SPACE = 0x20;
const BANG = 0x21;
const HASH = 0x23;
const COLON = 0x3a;
const EQUALS = 0x3d;
const BACKSLASH = 0x5c;

/** One logical line: its characters, the offset in the text each came from, and where it ends. */
interface LogicalLine {
  chars: number[];
  offsets: number[];
  /** Offset of the first character that is not leading blank space (the line's start for spans). */
  anchor: number;
  /** Offset just after the last character of the last physical line (its terminator, or the end of text). */
  end: number;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === FF;
}

/**
 * Splits the text into logical lines the way JDK 17's `Properties.LineReader` does. Differences from a naive
 * reading that matter: `\r`, `\n` and `\r\n` all end a natural line; a comment is recognised only where a
 * logical line would start (so `#` on a continuation line is data, except after a line that held only `\`);
 * the leading blanks of a continuation line are dropped; a trailing odd backslash at end of file is dropped.
 */
function* logicalLines(text: string): Generator<LogicalLine> {
  const n = text.length;
  let pos = 0;
  for (;;) {
    const chars: number[] = [];
    const offsets: number[] = [];
    let anchor = -1;
    let skipWhiteSpace = true;
    let appendedLineBegin = false;
    let precedingBackslash = false;
    for (;;) {
      if (pos >= n) {
        if (chars.length === 0) return;
        if (precedingBackslash) {
          chars.pop();
          offsets.pop();
        }
        yield { chars, offsets, anchor: anchor < 0 ? n : anchor, end: n };
        return;
      }
      const c = text.charCodeAt(pos++);
      if (skipWhiteSpace) {
        if (isBlank(c)) continue;
        if (!appendedLineBegin && (c === CR || c === LF)) continue;
        skipWhiteSpace = false;
        appendedLineBegin = false;
      }
      if (chars.length === 0 && (c === HASH || c === BANG)) {
        // JDK 17 consumes the comment up to and including the terminator; a comment at end of file ends the input.
        let terminated = false;
        while (pos < n) {
          const b = text.charCodeAt(pos++);
          if (b === CR || b === LF) {
            terminated = true;
            break;
          }
        }
        if (!terminated) return;
        skipWhiteSpace = true;
        continue;
      }
      if (c !== LF && c !== CR) {
        if (anchor < 0) anchor = pos - 1;
        chars.push(c);
        offsets.push(pos - 1);
        precedingBackslash = c === BACKSLASH ? !precedingBackslash : false;
        continue;
      }
      if (chars.length === 0) {
        skipWhiteSpace = true;
        continue;
      }
      if (pos >= n) {
        if (precedingBackslash) {
          chars.pop();
          offsets.pop();
        }
        yield { chars, offsets, anchor: anchor < 0 ? pos - 1 : anchor, end: pos - 1 };
        return;
      }
      if (precedingBackslash) {
        chars.pop();
        offsets.pop();
        skipWhiteSpace = true;
        appendedLineBegin = true;
        precedingBackslash = false;
        if (c === CR && text.charCodeAt(pos) === LF) pos++;
        continue;
      }
      yield { chars, offsets, anchor: anchor < 0 ? pos - 1 : anchor, end: pos - 1 };
      break;
    }
  }
}

/** The one input `Properties.load` itself rejects: where the bad `\u` escape starts and how long it is. */
interface MalformedEscape {
  index: number;
  length: number;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** `loadConvert`: `\uXXXX`, `\t \n \r \f`, any other `\c` is `c`. */
function convert(chars: number[], from: number, to: number): string | MalformedEscape {
  let out = '';
  let i = from;
  while (i < to) {
    let c = chars[i++] ?? 0;
    if (c !== BACKSLASH) {
      out += String.fromCharCode(c);
      continue;
    }
    // readLine never leaves an unescaped backslash last, so a character follows.
    c = chars[i++] ?? 0;
    if (c === 0x75 /* u */) {
      // JDK 17 checks that four characters remain before reading them, then requires each to be hex.
      if (i > to - 4) return { index: i - 2, length: to - (i - 2) };
      let value = 0;
      for (let k = 0; k < 4; k++) {
        const digit = hexValue(chars[i + k] ?? 0);
        if (digit < 0) return { index: i - 2, length: 6 };
        value = (value << 4) + digit;
      }
      i += 4;
      out += String.fromCharCode(value);
    } else if (c === 0x74 /* t */) out += '\t';
    else if (c === 0x72 /* r */) out += '\r';
    else if (c === 0x6e /* n */) out += '\n';
    else if (c === 0x66 /* f */) out += '\f';
    else out += String.fromCharCode(c);
  }
  return out;
}

/** Offsets to 1-based line/column; `\r\n`, `\n` and a lone `\r` each end a line, as in Properties. */
class Positions {
  private readonly starts: number[] = [0];

  constructor(
    private readonly path: string,
    text: string,
  ) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF) this.starts.push(i + 1);
      else if (c === CR) {
        if (text.charCodeAt(i + 1) === LF) i++;
        this.starts.push(i + 1);
      }
    }
  }

  private locate(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }

  span(from: number, to: number): Span {
    const a = this.locate(from);
    const b = to <= from ? a : this.locate(to);
    return { path: this.path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

/**
 * Parses a decoded .properties text. Never throws: a malformed `\u` escape (which makes
 * `Properties.load` throw, so nothing of the file is used) becomes an `error` problem, and the entries
 * before it are returned.
 */
export function parseJavaProperties(path: string, text: string): ParseResult<PropertiesDoc> {
  const positions = new Positions(path, text);
  const entries: PropertyEntry[] = [];
  const problems: ParseProblem[] = [];

  for (const line of logicalLines(text)) {
    const { chars, offsets } = line;
    const limit = chars.length;
    let keyLen = 0;
    let valueStart = limit;
    let hasSep = false;
    let precedingBackslash = false;
    while (keyLen < limit) {
      const c = chars[keyLen] ?? 0;
      if ((c === EQUALS || c === COLON) && !precedingBackslash) {
        valueStart = keyLen + 1;
        hasSep = true;
        break;
      }
      if (isBlank(c) && !precedingBackslash) {
        valueStart = keyLen + 1;
        break;
      }
      precedingBackslash = c === BACKSLASH ? !precedingBackslash : false;
      keyLen++;
    }
    while (valueStart < limit) {
      const c = chars[valueStart] ?? 0;
      if (!isBlank(c)) {
        if (!hasSep && (c === EQUALS || c === COLON)) hasSep = true;
        else break;
      }
      valueStart++;
    }

    const key = convert(chars, 0, keyLen);
    // Java converts the key before the value, so a bad key escape is the one reported.
    const value = typeof key === 'string' ? convert(chars, valueStart, limit) : key;
    if (typeof key !== 'string' || typeof value !== 'string') {
      const e = typeof key !== 'string' ? key : (value as MalformedEscape);
      const from = offsets[e.index] ?? line.anchor;
      const lastIndex = Math.min(e.index + e.length, limit) - 1;
      const to = (offsets[lastIndex] ?? from) + 1;
      problems.push({
        severity: 'error',
        span: positions.span(from, to),
        message:
          'Malformed \\uxxxx encoding: java.util.Properties.load throws IllegalArgumentException here, ' +
          'so the whole file fails to load (nothing in it is used)',
      });
      break;
    }

    const keyFrom = keyLen > 0 ? (offsets[0] ?? line.anchor) : line.anchor;
    const keyTo = keyLen > 0 ? (offsets[keyLen - 1] ?? keyFrom) + 1 : keyFrom;
    let valueFrom: number;
    if (valueStart < limit) valueFrom = offsets[valueStart] ?? line.end;
    else if (limit > 0) valueFrom = (offsets[limit - 1] ?? line.end) + 1;
    else valueFrom = line.anchor;
    const valueTo = Math.max(line.end, valueFrom);

    entries.push({
      key,
      value,
      rawKey: text.slice(keyFrom, keyTo),
      rawValue: text.slice(valueFrom, valueTo),
      keySpan: positions.span(keyFrom, keyTo),
      valueSpan: positions.span(valueFrom, valueTo),
      span: positions.span(Math.min(keyFrom, line.anchor), valueTo),
    });
  }
  return { doc: { entries }, problems };
}
