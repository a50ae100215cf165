import type { Entry } from '../model/entry.js';
import type { Span } from '../model/span.js';
import type { ParseProblem, ParseResult } from './parse-result.js';

/*
 * The option-file line reader of mysqld / mariadbd (mysql-option-files.md, "Syntax and parsing facts",
 * grammar steps 1-12). The server works on BYTES: it reads with fgets into a 4096-byte buffer and tests
 * whitespace with latin1 isspace, which includes 0xA0. So this parser encodes each line as UTF-8 and runs
 * the grammar on the bytes, then maps byte offsets back to columns of the JS string for spans.
 */

/** A `[group]` header. */
export interface MyCnfGroup {
  kind: 'group';
  /** Name as the server sees it: text up to the first `]`, trailing blanks removed, leading blanks KEPT. */
  name: string;
  /** `[` through `]`. */
  span: Span;
}

export interface MyCnfOption {
  kind: 'option';
  /** Current group name (as in MyCnfGroup.name). */
  group: string;
  /** Option name as the server passes it on (trailing blanks removed). */
  name: string;
  /** Value text exactly as written, trimmed, quotes kept, inline comment removed; null when no `=`. */
  raw: string | null;
  /** What the server reads: quotes removed, escapes applied (what my_print_defaults prints after `=`); null when no `=`. */
  text: string | null;
  nameSpan: Span;
  valueSpan: Span | null;
  /** Name through end of value. */
  span: Span;
}

export interface MyCnfDirective {
  kind: 'include' | 'includedir';
  /** Path as the server will open it, including the last-line-without-newline quirk. */
  path: string;
  /** `!` through the end of the path. */
  span: Span;
  pathSpan: Span;
}

export type MyCnfEntry = MyCnfGroup | MyCnfOption | MyCnfDirective;

export interface MyCnfDoc {
  entries: MyCnfEntry[];
  /** Set when reading stopped at a fatal line (option before any group, `[` without `]`, `!include` without path). */
  stoppedAt?: Span;
}

/** fgets(buff, sizeof(buff) - 1) with a 4096-byte buffer reads at most 4094 bytes per call (grammar step 1). */
export const MAX_LINE_BYTES = 4094;

const HASH = 0x23;
const SEMI = 0x3b;
const BANG = 0x21;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const EQUALS = 0x3d;
const BACKSLASH = 0x5c;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** latin1 isspace as mysqld uses it: space, \t, \n, \v, \f, \r and 0xA0 (0xA0 confirmed with my_print_defaults 10.11.19). */
export function isServerSpace(byte: number | undefined): boolean {
  return byte === 0x20 || (byte !== undefined && byte >= 0x09 && byte <= 0x0d) || byte === 0xa0;
}

const encoder = new TextEncoder();
// ignoreBOM: a UTF-8 BOM is data for mysqld (it makes the first line an option before any group).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * Byte offset -> column for one chunk of a physical line. Built per chunk (at most 4095 bytes) so that
 * a huge single-line input never needs a per-byte table for the whole line.
 */
class ChunkColumns {
  /** UTF-16 index of the character containing byte `start + i`. */
  private readonly charIndex: Int32Array;
  /** Whether byte `start + i` starts its character. */
  private readonly isStart: Uint8Array;
  /** UTF-16 length of the character containing byte `start + i`. */
  private readonly charWidth: Uint8Array;

  constructor(
    line: string,
    private readonly start: number,
    end: number,
    cursor: { byte: number; index: number },
  ) {
    const size = end - start + 1;
    this.charIndex = new Int32Array(size);
    this.isStart = new Uint8Array(size);
    this.charWidth = new Uint8Array(size);
    let { byte, index } = cursor;
    while (byte <= end) {
      let len = 1;
      let width = 1;
      // Past the string is the '\n' that ended the line (or the position just after the last byte).
      if (index < line.length) {
        const cp = line.codePointAt(index) ?? 0;
        len = utf8Length(cp);
        width = cp > 0xffff ? 2 : 1;
      }
      for (let k = 0; k < len; k++) {
        const b = byte + k;
        if (b < start || b > end) continue;
        this.charIndex[b - start] = index;
        this.isStart[b - start] = k === 0 ? 1 : 0;
        this.charWidth[b - start] = width;
      }
      if (byte + len > end) {
        // This character holds the next chunk's first byte: the next chunk starts from it.
        cursor.byte = byte;
        cursor.index = index;
        break;
      }
      byte += len;
      index += width;
    }
  }

  /** 1-based column of the character containing byte `b`. */
  startColumn(b: number): number {
    return (this.charIndex[b - this.start] ?? 0) + 1;
  }

  /** 1-based exclusive end column for a range ending before byte `b` (a partial character counts whole). */
  endColumn(b: number): number {
    const i = b - this.start;
    const index = this.charIndex[i] ?? 0;
    return (this.isStart[i] === 1 ? index : index + (this.charWidth[i] ?? 1)) + 1;
  }

  /** True when byte `b` is inside a character rather than at its first byte. */
  splitsCharacter(b: number): boolean {
    return this.isStart[b - this.start] === 0;
  }
}

interface Chunk {
  bytes: Uint8Array;
  start: number;
  /** Exclusive; `bytes[end]` is where C sees the terminating NUL. */
  end: number;
  /** 1-based physical line. */
  line: number;
  /** mysqld's own line counter (one per fgets call). */
  serverLine: number;
  columns: ChunkColumns;
  /** The source line, for raw text as written. */
  source: string;
  isContinuation: boolean;
}

function decode(bytes: Uint8Array, from: number, to: number): string {
  return to > from ? decoder.decode(bytes.subarray(from, to)) : '';
}

function spanOf(path: string, c: Chunk, from: number, to: number): Span {
  const column = c.columns.startColumn(from);
  const endColumn = to > from ? c.columns.endColumn(to) : column;
  return { path, line: c.line, column, endLine: c.line, endColumn };
}

function indexOfByte(bytes: Uint8Array, value: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (bytes[i] === value) return i;
  return -1;
}

/** End of the trimmed content of a chunk (trailing whitespace and newline removed), never before `from`. */
function contentEnd(bytes: Uint8Array, from: number, to: number): number {
  let end = to;
  while (end > from && isServerSpace(bytes[end - 1])) end--;
  return end;
}

class Reader {
  readonly entries: MyCnfEntry[] = [];
  readonly problems: ParseProblem[] = [];
  stoppedAt: Span | undefined;
  private group: string | undefined;

  constructor(private readonly path: string) {}

  private problem(severity: 'error' | 'warning', message: string, span: Span): void {
    this.problems.push({ severity, message, span });
  }

  /** Returns false when reading must stop (a fatal line). */
  chunk(c: Chunk): boolean {
    const { bytes, start, end } = c;
    let p = start;
    while (p < end && isServerSpace(bytes[p])) p++;
    if (p === end || bytes[p] === HASH || bytes[p] === SEMI) return true;
    if (bytes[p] === BANG) return this.directive(c, p);
    if (bytes[p] === LBRACKET) return this.groupHeader(c, p);
    if (this.group === undefined) {
      const span = spanOf(this.path, c, p, contentEnd(bytes, p, end));
      // Exact mysqld wording (my_default.c); "line:" with a colon is the server's.
      this.problem('error', `Found option without preceding group in config file: ${this.path} at line: ${c.serverLine}`, span);
      this.stoppedAt = span;
      return false;
    }
    this.option(c, p, this.group);
    return true;
  }

  private directive(c: Chunk, bang: number): boolean {
    const { bytes, end } = c;
    let q = bang + 1;
    while (q < end && isServerSpace(bytes[q])) q++;
    // The keyword must be followed by whitespace; any other `!word` line is ignored (grammar step 3, E10).
    let kind: 'include' | 'includedir';
    if (matchesKeyword(bytes, q, end, 'includedir')) kind = 'includedir';
    else if (matchesKeyword(bytes, q, end, 'include')) kind = 'include';
    else return true;
    const keywordEnd = q + kind.length;
    let ptr = keywordEnd;
    while (ptr < end && isServerSpace(bytes[ptr])) ptr++;
    // get_argument() assumes the buffer ends with '\n': it always drops the last byte, then trailing blanks.
    // Without a final newline that byte is the path's last character (E12).
    let pathEnd = end - 1;
    while (pathEnd - 1 >= c.start && isServerSpace(bytes[pathEnd - 1])) pathEnd--;
    if (pathEnd <= ptr) {
      const span = spanOf(this.path, c, bang, keywordEnd);
      this.problem('error', `Wrong '!${kind}' directive in config file: ${this.path} at line ${c.serverLine}`, span);
      this.stoppedAt = span;
      return false;
    }
    const path = decode(bytes, ptr, pathEnd);
    const pathSpan = spanOf(this.path, c, ptr, pathEnd);
    const span = spanOf(this.path, c, bang, pathEnd);
    this.entries.push({ kind, path, span, pathSpan });
    if (!isServerSpace(bytes[end - 1])) {
      const intended = decode(bytes, ptr, contentEnd(bytes, ptr, end));
      const why =
        c.end === bytes.length ? 'the last line has no final newline' : `the line does not fit in one ${MAX_LINE_BYTES}-byte read`;
      this.problem('warning', `mysqld opens '${path}', not '${intended}': ${why}, so it drops the last character of the path`, pathSpan);
    }
    return true;
  }

  private groupHeader(c: Chunk, bracket: number): boolean {
    const { bytes, end } = c;
    const close = indexOfByte(bytes, RBRACKET, bracket + 1, end);
    if (close < 0) {
      const span = spanOf(this.path, c, bracket, contentEnd(bytes, bracket, end));
      this.problem('error', `Wrong group definition in config file: ${this.path} at line ${c.serverLine}`, span);
      this.stoppedAt = span;
      return false;
    }
    let nameEnd = close;
    while (nameEnd > bracket + 1 && isServerSpace(bytes[nameEnd - 1])) nameEnd--;
    const name = decode(bytes, bracket + 1, nameEnd);
    this.warnSplitCharacter(c, nameEnd, close, 'group name');
    this.group = name;
    this.entries.push({ kind: 'group', name, span: spanOf(this.path, c, bracket, close + 1) });
    return true;
  }

  private option(c: Chunk, p: number, group: string): void {
    const { bytes, start, end } = c;
    const comment = scanComment(bytes, p, end);
    const cut = comment.cut;
    if (comment.unbalanced !== undefined) {
      const q = comment.unbalanced;
      this.problem(
        'warning',
        `Unbalanced ${String.fromCharCode(bytes[q] ?? 0)} quote: mysqld reads a '#' after it as data, not as a comment`,
        spanOf(this.path, c, q, q + 1),
      );
    }
    const eq = indexOfByte(bytes, EQUALS, p, cut);
    if (eq < 0) {
      const nameEnd = contentEnd(bytes, p, cut);
      const nameSpan = spanOf(this.path, c, p, nameEnd);
      this.warnSplitCharacter(c, nameEnd, cut, 'option name');
      this.entries.push({
        kind: 'option',
        group,
        name: decode(bytes, p, nameEnd),
        raw: null,
        text: null,
        nameSpan,
        valueSpan: null,
        span: nameSpan,
      });
      return;
    }
    // The server trims the name backwards from '=' without a lower bound; with blanks before a leading '=',
    // its length goes negative and it copies the rest of the line as the name (seen with my_print_defaults:
    // `  =6 # c` -> `--=6 =6`).
    let nameEnd = eq;
    while (nameEnd - 1 >= start && isServerSpace(bytes[nameEnd - 1])) nameEnd--;
    let name: string;
    let nameSpan: Span;
    if (nameEnd >= p) {
      name = decode(bytes, p, nameEnd);
      nameSpan = spanOf(this.path, c, p, nameEnd);
      this.warnSplitCharacter(c, nameEnd, eq, 'option name');
    } else {
      name = decode(bytes, p, cut);
      nameSpan = spanOf(this.path, c, p, p);
    }
    if (nameEnd <= p) {
      this.problem(
        'warning',
        `Option line without a name: mysqld passes it on as '--${name}=…', an option no program knows`,
        spanOf(this.path, c, p, eq + 1),
      );
    }
    let v = eq + 1;
    while (v < cut && isServerSpace(bytes[v])) v++;
    let ve = cut;
    while (ve > eq + 1 && isServerSpace(bytes[ve - 1])) ve--;
    if (ve < v) ve = v;
    this.warnSplitCharacter(c, ve, cut, 'value');
    const rawSpan = spanOf(this.path, c, v, ve);
    const raw = c.source.slice(rawSpan.column - 1, rawSpan.endColumn - 1);
    const first = bytes[v];
    let from = v;
    let to = ve;
    const quoted = (first === DQUOTE || first === SQUOTE) && v + 1 < ve && bytes[ve - 1] === first;
    if (quoted) {
      from++;
      to--;
    }
    const text = applyEscapes(bytes, from, to);
    if (!quoted) {
      const mangled = firstMangledEscape(bytes, from, to);
      if (mangled !== undefined) {
        const letter = String.fromCharCode(bytes[mangled + 1] ?? 0);
        this.problem(
          'warning',
          `mysqld reads '\\${letter}' in this value as ${ESCAPE_NAMES[letter] ?? 'a control character'}; write '\\\\' for a backslash (or use '/' in paths)`,
          spanOf(this.path, c, mangled, mangled + 2),
        );
      }
    }
    const valueSpan = ve > v ? rawSpan : spanOf(this.path, c, eq + 1, eq + 1);
    const spanEnd = ve > v ? rawSpan : spanOf(this.path, c, eq, eq + 1);
    const span: Span = { ...nameSpan, endLine: spanEnd.endLine, endColumn: Math.max(spanEnd.endColumn, nameSpan.endColumn) };
    this.entries.push({ kind: 'option', group, name, raw, text, nameSpan, valueSpan, span });
  }

  /** Trailing-blank trimming that stops inside a character (its last byte is 0xA0) leaves a broken character. */
  private warnSplitCharacter(c: Chunk, trimmedEnd: number, untrimmedEnd: number, what: string): void {
    if (trimmedEnd >= untrimmedEnd || !c.columns.splitsCharacter(trimmedEnd)) return;
    const span = spanOf(this.path, c, trimmedEnd, trimmedEnd + 1);
    const char = c.source.slice(span.column - 1, span.endColumn - 1);
    this.problem(
      'warning',
      `The ${what} ends in '${char}', whose last byte mysqld reads as a blank (0xA0) and removes, leaving a broken character`,
      span,
    );
  }
}

function matchesKeyword(bytes: Uint8Array, at: number, end: number, keyword: string): boolean {
  if (at + keyword.length >= end) return false;
  for (let i = 0; i < keyword.length; i++) if (bytes[at + i] !== keyword.charCodeAt(i)) return false;
  return isServerSpace(bytes[at + keyword.length]);
}

/**
 * remove_end_comment(): the first '#' outside a '…' or "…" pair ends the line; inside quotes a backslash
 * protects the next character from closing the quote (grammar step 7).
 */
function scanComment(bytes: Uint8Array, from: number, to: number): { cut: number; unbalanced?: number } {
  let quote = 0;
  let quoteAt = -1;
  let escaped = false;
  for (let i = from; i < to; i++) {
    const b = bytes[i];
    if ((b === SQUOTE || b === DQUOTE) && !escaped) {
      if (quote === 0) {
        quote = b;
        quoteAt = i;
      } else if (quote === b) quote = 0;
    }
    if (quote === 0 && b === HASH) return { cut: i };
    escaped = quote !== 0 && b === BACKSLASH && !escaped;
  }
  return quote === 0 ? { cut: to } : { cut: to, unbalanced: quoteAt };
}

const ESCAPES: Record<number, number> = {
  110: 0x0a, // \n
  116: 0x09, // \t
  114: 0x0d, // \r
  98: 0x08, // \b
  115: 0x20, // \s
  34: 0x22, // \"
  39: 0x27, // \'
  92: 0x5c, // \\
};

const ESCAPE_NAMES: Record<string, string> = {
  n: 'a newline',
  t: 'a tab',
  r: 'a carriage return',
  b: 'a backspace',
  s: 'a space',
};

/** Grammar step 10: escapes apply quoted or not; unknown `\c` stays two characters, a final lone `\` stays. */
function applyEscapes(bytes: Uint8Array, from: number, to: number): string {
  const out = new Uint8Array(Math.max(to - from, 0));
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i] ?? 0;
    if (b === BACKSLASH && i !== to - 1) {
      i++;
      const next = bytes[i] ?? 0;
      const mapped = ESCAPES[next];
      if (mapped !== undefined) out[n++] = mapped;
      else {
        out[n++] = BACKSLASH;
        out[n++] = next;
      }
    } else out[n++] = b;
  }
  return decode(out, 0, n);
}

/** First `\n`, `\t`, `\r`, `\b` or `\s` the server would turn into a control character or space. */
function firstMangledEscape(bytes: Uint8Array, from: number, to: number): number | undefined {
  for (let i = from; i < to - 1; i++) {
    if (bytes[i] !== BACKSLASH) continue;
    const next = bytes[i + 1] ?? 0;
    if (next === 0x6e || next === 0x74 || next === 0x72 || next === 0x62 || next === 0x73) return i;
    i++;
  }
  return undefined;
}

/** Parses one option file as mysqld / mariadbd read it. Never throws on input. */
export function parseMyCnf(path: string, text: string): ParseResult<MyCnfDoc> {
  if (text.includes('\0')) {
    return {
      doc: { entries: [] },
      problems: [{ severity: 'error', message: 'not a text file', span: { path, line: 1, column: 1, endLine: 1, endColumn: 1 } }],
    };
  }
  const reader = new Reader(path);
  const lines = text.split('\n');
  let serverLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const hasNewline = i < lines.length - 1;
    const source = lines[i] ?? '';
    if (!hasNewline && source === '') break;
    const bytes = encoder.encode(hasNewline ? `${source}\n` : source);
    const cursor = { byte: 0, index: 0 };
    let splitWarned = false;
    for (let start = 0; start < bytes.length; start += MAX_LINE_BYTES) {
      const end = Math.min(start + MAX_LINE_BYTES, bytes.length);
      serverLine++;
      const chunk: Chunk = {
        bytes,
        start,
        end,
        line: i + 1,
        serverLine,
        columns: new ChunkColumns(source, start, end, cursor),
        source,
        isContinuation: start > 0,
      };
      if (chunk.isContinuation && !splitWarned && contentEnd(bytes, start, end) > start) {
        splitWarned = true;
        const column = chunk.columns.startColumn(start);
        const lineEnd = source.replace(/[\s\u00a0]+$/, '').length + 1;
        const span: Span = { path, line: i + 1, column, endLine: i + 1, endColumn: Math.max(lineEnd, column) };
        reader.problems.push({
          severity: 'warning',
          message: `Line is longer than ${MAX_LINE_BYTES} bytes: mysqld reads the rest, from column ${span.column}, as a new line`,
          span,
        });
      }
      if (!reader.chunk(chunk)) {
        return {
          doc: { entries: reader.entries, ...(reader.stoppedAt ? { stoppedAt: reader.stoppedAt } : {}) },
          problems: reader.problems,
        };
      }
    }
  }
  return { doc: { entries: reader.entries }, problems: reader.problems };
}

/** An option line as a neutral entry (key = the option name as written, section = its group). */
export function optionEntry(option: MyCnfOption): Entry {
  return {
    key: option.name,
    text: option.text,
    raw: option.raw,
    keySpan: option.nameSpan,
    valueSpan: option.valueSpan ?? option.nameSpan,
    span: option.span,
    section: option.group,
  };
}
