/**
 * `.env` files as Docker Compose reads them: the project's `.env` (variables for interpolating the
 * Compose file) and a service's `env_file:` files. The grammar is compose-go's dotenv parser
 * (compose-spec/compose-go dotenv/parser.go @ e70e961), statement by statement:
 * - blanks (Unicode white space, line breaks included) and `#` comment lines are skipped; a UTF-8
 *   byte-order mark is dropped; `export ` before a name is ignored;
 * - a name is letters, digits, `_ . - [ ]` (blanks inside are skipped, then rejected: "key cannot
 *   contain a space"); it ends at `=`, `:` (YAML style) or a line break (a name alone: the variable is
 *   passed through from the environment Compose runs in);
 * - an unquoted value runs to the end of the line, cut at the first ` #` (a space before the `#`),
 *   trailing blanks removed, then interpolated (`${VAR}`);
 * - `'single'` values are literal; `"double"` values take escapes (`\n \t \" \\ \$ \0ddd` ...) and are
 *   interpolated; both may span lines; a backslash before the closing quote keeps the quote;
 * - the first error (a character not allowed in a name, an unterminated quote) stops the file, and
 *   Compose refuses to load it.
 * Interpolation is left to the caller (it needs the variables of the project); the value text is what
 * the interpolation reads: `\$` in double quotes is kept as `$$`, the parser's own way to keep a `$`.
 */
import type { Span } from '../model/span.js';
import type { ParseProblem, ParseResult } from './parse-result.js';

export interface DotenvValue {
  /** The text interpolation reads: quotes removed, double-quote escapes applied (`\$` as `$$`). */
  text: string;
  /** The value exactly as written, quotes included. */
  raw: string;
  quote: 'none' | 'single' | 'double';
  span: Span;
}

export interface DotenvEntry {
  key: string;
  keySpan: Span;
  /** null for a name alone on its line: its value comes from the environment Compose runs in. */
  value: DotenvValue | null;
  /** The whole statement (name to the end of the value). */
  span: Span;
}

export interface DotenvDoc {
  entries: DotenvEntry[];
  /** Set when an error stopped the file: Compose then refuses the whole file, so none of it applies. */
  failed: boolean;
}

/** Go's unicode.IsSpace. */
function isUnicodeSpace(c: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(c);
}

/** The parser's isSpace: white space but not a line break (`\n`). */
function isBlank(c: string): boolean {
  return c === '\t' || c === '\v' || c === '\f' || c === '\r' || c === ' ' || c === '\u0085' || c === '\u00a0';
}

const NAME_CHAR = /^[\p{L}\p{N}_.\-[\]]$/u;

/** Escapes a double-quoted value accepts (dotenv/parser.go `escapeSeqRegex`), as Go's UnquoteChar reads them. */
const ESCAPE = /\\(?:[abcfnrtv$"\\]|0[0-9]{0,3})/g;
const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\u0007',
  b: '\b',
  c: 'c',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
};

export function expandDotenvEscapes(text: string): string {
  return text.replace(ESCAPE, (match) => {
    const c = match.charAt(1);
    if (c === '$') return '$$';
    if (c === '0') {
      // `\0ddd` is read as Go's octal `\ddd`: exactly three octal digits, at most 255; otherwise kept as written.
      const digits = match.slice(2);
      if (/^[0-7]{3}$/.test(digits) && Number.parseInt(digits, 8) <= 255) return String.fromCharCode(Number.parseInt(digits, 8));
      return match;
    }
    // `\c` is in the parser's pattern but not a Go escape: UnquoteChar fails and the text stays.
    if (c === 'c') return match;
    return SIMPLE_ESCAPES[c] ?? match;
  });
}

class Positions {
  private readonly starts: number[] = [0];
  constructor(
    readonly path: string,
    text: string,
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  private lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  span(from: number, to: number): Span {
    const a = this.lineOf(from);
    const end = Math.max(to, from);
    const b = this.lineOf(Math.max(end - 1, from));
    return {
      path: this.path,
      line: a + 1,
      column: from - (this.starts[a] as number) + 1,
      endLine: b + 1,
      endColumn: end - (this.starts[b] as number) + 1,
    };
  }

  line(offset: number): number {
    return this.lineOf(offset) + 1;
  }
}

/** Parses one `.env` file. Never throws. */
export function parseDotenv(path: string, input: string): ParseResult<DotenvDoc> {
  // The byte-order mark is dropped before parsing (dotenv/godotenv.go); columns count from after it.
  const src = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const at = new Positions(path, src);
  const entries: DotenvEntry[] = [];
  const problems: ParseProblem[] = [];
  const fail = (message: string, from: number, to: number): ParseResult<DotenvDoc> => {
    problems.push({ severity: 'error', message: `${message}; Compose refuses to load this file`, span: at.span(from, to) });
    return { doc: { entries, failed: true }, problems };
  };
  let pos = 0;
  const n = src.length;
  for (;;) {
    // getStatementStart: skip white space and comment lines.
    for (;;) {
      while (pos < n && isUnicodeSpace(src.charAt(pos))) pos++;
      if (pos < n && src.charAt(pos) === '#') {
        const nl = src.indexOf('\n', pos);
        pos = nl < 0 ? n : nl;
        continue;
      }
      break;
    }
    if (pos >= n) break;
    const statement = pos;
    // `export` followed by white space (line breaks included) is dropped, then blanks (not line breaks).
    const exported = /^export\s+/.exec(src.slice(pos, pos + 64));
    if (exported) {
      pos += 'export'.length;
      while (pos < n && isBlank(src.charAt(pos))) pos++;
    }
    const keyStart = pos;
    let keyEnd = -1;
    let separator = '';
    let i = pos;
    while (i < n) {
      const c = String.fromCodePoint(src.codePointAt(i) as number);
      if (isBlank(c)) {
        i += c.length;
        continue;
      }
      if (c === '=' || c === ':' || c === '\n') {
        keyEnd = i;
        separator = c;
        break;
      }
      if (!NAME_CHAR.test(c)) {
        const lineEnd = src.indexOf('\n', keyStart);
        const first = src.slice(keyStart, lineEnd < 0 ? n : lineEnd);
        return fail(
          `line ${at.line(i)}: unexpected character ${JSON.stringify(c)} in variable name ${JSON.stringify(first)}`,
          i,
          i + c.length,
        );
      }
      i += c.length;
    }
    if (keyEnd < 0) {
      // A last line with a name and nothing after it: compose-go reads it as the value of an empty name,
      // which sets nothing a program could use. Nothing to record.
      break;
    }
    let nameEnd = keyEnd;
    while (nameEnd > keyStart && isUnicodeSpace(src.charAt(nameEnd - 1))) nameEnd--;
    const key = src.slice(keyStart, nameEnd);
    if (key.includes(' ')) return fail(`line ${at.line(keyStart)}: key cannot contain a space`, keyStart, nameEnd);
    const keySpan = at.span(keyStart, nameEnd);
    if (separator === '\n') {
      if (key !== '') entries.push({ key, keySpan, value: null, span: at.span(statement, nameEnd) });
      pos = keyEnd + 1;
      continue;
    }
    let v = keyEnd + 1;
    while (v < n && isBlank(src.charAt(v))) v++;
    const quote = src.charAt(v);
    if (quote === '"' || quote === "'") {
      let chars = '';
      let escaped = false;
      let close = -1;
      for (let j = v + 1; j < n; j++) {
        const c = src.charAt(j);
        if (c !== quote) {
          if (!escaped && c === '\\') {
            escaped = true;
            continue;
          }
          if (escaped) {
            escaped = false;
            chars += '\\';
          }
          chars += c;
          continue;
        }
        if (escaped) {
          escaped = false;
          chars += c;
          continue;
        }
        close = j;
        break;
      }
      if (close < 0) {
        const lineEnd = src.indexOf('\n', v);
        const shown = src.slice(v, lineEnd < 0 ? n : lineEnd);
        return fail(`line ${at.line(v)}: unterminated quoted value ${shown}`, v, lineEnd < 0 ? n : lineEnd);
      }
      const value: DotenvValue = {
        text: quote === '"' ? expandDotenvEscapes(chars) : chars,
        raw: src.slice(v, close + 1),
        quote: quote === '"' ? 'double' : 'single',
        span: at.span(v, close + 1),
      };
      if (key !== '') entries.push({ key, keySpan, value, span: at.span(statement, close + 1) });
      pos = close + 1;
      continue;
    }
    const nl = src.indexOf('\n', v);
    const lineEnd = nl < 0 ? n : nl;
    let end = lineEnd;
    const comment = src.slice(v, lineEnd).indexOf(' #');
    if (comment >= 0) end = v + comment;
    while (end > v && isUnicodeSpace(src.charAt(end - 1))) end--;
    const text = src.slice(v, end);
    const value: DotenvValue = { text, raw: text, quote: 'none', span: at.span(v, end) };
    if (key !== '') entries.push({ key, keySpan, value, span: at.span(statement, Math.max(end, keyEnd + 1)) });
    pos = nl < 0 ? n : nl + 1;
  }
  return { doc: { entries, failed: false }, problems };
}
