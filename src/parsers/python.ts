import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import type { Span } from '../model/span.js';
import type { ParseProblem, ParseResult } from './parse-result.js';
import { LineStarts } from './line-starts.js';

/*
 * Python source -> a small typed syntax tree with exact spans (issue 17). @lezer/python finds the
 * structure; every literal is decoded here from the source text exactly as CPython's tokenizer and
 * parser do (int with `_`, 0x/0o/0b, floats, string prefixes, implicit concatenation, escapes, triple
 * quotes, f-strings), and the checks Lezer is lenient about (number forms, unterminated strings, Python 2
 * syntax, assignment targets) are made here, so that "Python rejects this file" and a `parse-error` agree.
 * Like CPython, only the first syntax error is reported. Spans: 1-based lines (a line ends at \n, \r\n
 * or \r, as in CPython and editors), columns in UTF-16 units, end exclusive. Never throws on input.
 */

export type PyConstant =
  /** Python ints are unbounded: the exact value. */
  | { kind: 'int'; value: bigint; span: Span }
  | { kind: 'float'; value: number; span: Span }
  /** An imaginary literal (`2j`). */
  | { kind: 'complex'; imag: number; span: Span }
  /**
   * A string literal, adjacent literals concatenated (`"a" "b"`). `namedEscape`: it holds a `\N{...}`
   * escape, which connlint cannot decode (no Unicode name table): `value` keeps the escape as written.
   */
  | { kind: 'str'; value: string; span: Span; namedEscape?: true }
  | { kind: 'bytes'; value: Uint8Array; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'none'; span: Span }
  | { kind: 'ellipsis'; span: Span };

/** A piece of an f-string: literal text (escapes and `{{` `}}` decoded) or a replacement field. */
export type PyFStringPart =
  | { kind: 'text'; value: string }
  | { kind: 'field'; value: PyExpr; conversion?: 's' | 'r' | 'a'; spec?: PyFStringPart[]; span: Span };

export type PyArgument =
  | { kind: 'positional'; value: PyExpr; span: Span }
  | { kind: 'keyword'; name: string; nameSpan: Span; value: PyExpr; span: Span }
  /** `*args` */
  | { kind: 'star'; value: PyExpr; span: Span }
  /** `**kwargs` */
  | { kind: 'doubleStar'; value: PyExpr; span: Span };

export type PyDictItem = { kind: 'pair'; key: PyExpr; value: PyExpr; span: Span } | { kind: 'spread'; value: PyExpr; span: Span };

export type PyExpr =
  | PyConstant
  /** An f-string, with any adjacent plain literals merged into its parts; `namedEscape` as for `str`. */
  | { kind: 'fstring'; parts: PyFStringPart[]; span: Span; namedEscape?: true }
  | { kind: 'name'; id: string; span: Span }
  | { kind: 'attribute'; object: PyExpr; attr: string; attrSpan: Span; span: Span }
  /** `object[index]`; several indexes make a tuple, `a:b:c` a slice. */
  | { kind: 'subscript'; object: PyExpr; index: PyExpr; span: Span }
  | { kind: 'slice'; lower?: PyExpr; upper?: PyExpr; step?: PyExpr; span: Span }
  | { kind: 'call'; func: PyExpr; args: PyArgument[]; span: Span }
  /** Arithmetic and bit operators: `+ - * / // % ** @ << >> & | ^`. */
  | { kind: 'binary'; op: string; left: PyExpr; right: PyExpr; span: Span }
  | { kind: 'unary'; op: '-' | '+' | '~' | 'not'; operand: PyExpr; span: Span }
  | { kind: 'boolop'; op: 'and' | 'or'; left: PyExpr; right: PyExpr; span: Span }
  /** One comparison (`==`, `<`, `in`, `not in`, `is`, `is not` ...); a chain `a < b < c` nests on the left. */
  | { kind: 'compare'; op: string; left: PyExpr; right: PyExpr; span: Span }
  | { kind: 'ifexp'; test: PyExpr; body: PyExpr; orelse: PyExpr; span: Span }
  | { kind: 'dict'; items: PyDictItem[]; span: Span }
  | { kind: 'list' | 'tuple' | 'set'; items: PyExpr[]; span: Span }
  | { kind: 'starred'; value: PyExpr; span: Span }
  /** `name := value` */
  | { kind: 'walrus'; target: string; value: PyExpr; span: Span }
  /** What connlint does not evaluate; `children` are its sub-expressions, for walks that look for calls. */
  | { kind: 'other'; what: 'lambda' | 'comprehension' | 'await' | 'yield' | 'too-deep'; children: PyExpr[]; span: Span };

export interface PyImportName {
  /** Dotted name as written (`os.path`, or the imported name in `from x import name`). */
  name: string;
  asname?: string;
  span: Span;
}

export interface PyExceptHandler {
  type?: PyExpr;
  name?: string;
  body: PyStmt[];
  span: Span;
}

export type PyStmt =
  /** `a = b = value`; `annotation` for `a: T = value`. */
  | { kind: 'assign'; targets: PyExpr[]; value: PyExpr; annotation?: PyExpr; span: Span }
  /** `a: T` without a value (binds nothing). */
  | { kind: 'annotate'; target: PyExpr; annotation: PyExpr; span: Span }
  /** `a += value`; `op` without the `=`. */
  | { kind: 'augassign'; target: PyExpr; op: string; value: PyExpr; span: Span }
  | { kind: 'expr'; value: PyExpr; span: Span }
  | { kind: 'import'; names: PyImportName[]; span: Span }
  /** `from .a.b import x`: module `a.b`, level 1; `names` is `star` for `import *`. */
  | { kind: 'from'; module: string; level: number; names: PyImportName[] | 'star'; span: Span }
  | { kind: 'if'; test: PyExpr; body: PyStmt[]; orelse: PyStmt[]; span: Span }
  | { kind: 'try'; body: PyStmt[]; handlers: PyExceptHandler[]; orelse: PyStmt[]; finalbody: PyStmt[]; span: Span }
  | { kind: 'with'; items: Array<{ context: PyExpr; target?: PyExpr }>; body: PyStmt[]; span: Span }
  | { kind: 'for'; target: PyExpr; iter: PyExpr; body: PyStmt[]; orelse: PyStmt[]; span: Span }
  | { kind: 'while'; test: PyExpr; body: PyStmt[]; orelse: PyStmt[]; span: Span }
  /** A function; `defaults` holds parameter defaults and annotations (evaluated where the `def` runs). */
  | { kind: 'def'; name: string; nameSpan: Span; decorators: PyExpr[]; params: string[]; defaults: PyExpr[]; body: PyStmt[]; span: Span }
  | { kind: 'class'; name: string; nameSpan: Span; decorators: PyExpr[]; args: PyArgument[]; body: PyStmt[]; span: Span }
  | { kind: 'delete'; targets: PyExpr[]; span: Span }
  /** `global` / `nonlocal` */
  | { kind: 'scope'; names: string[]; span: Span }
  | { kind: 'return'; value?: PyExpr; span: Span }
  /** Statements connlint does not evaluate (`pass`, `raise`, `assert`, `match` ...), with their parts for walks. */
  | { kind: 'other'; what: string; exprs: PyExpr[]; bodies: PyStmt[][]; span: Span }
  /** A statement that does not parse; what it would have done is unknown. */
  | { kind: 'invalid'; span: Span };

export interface PySyntaxModule {
  path: string;
  body: PyStmt[];
  /** Set when Python itself would refuse the file (the first error, as CPython reports only that one). */
  syntaxError?: Span;
  /** The file is a template (Jinja `{% %}` / `{{ }}`), not Python: only the statements that parse are here. */
  isTemplate?: boolean;
}

/** Work counters, for tests that check the parser stays linear. */
export interface PyParseStats {
  /** Lezer nodes the converter looked at (each at most a small constant number of times). */
  nodesVisited: number;
  /** Nodes in Lezer's tree. */
  treeNodes: number;
}

/** Expressions nested deeper than this are not converted (CPython refuses 200 nested brackets anyway). */
export const MAX_EXPRESSION_DEPTH = 300;
/** CPython's tokenizer limits (MAXLEVEL, MAXINDENT). */
const MAX_BRACKET_DEPTH = 200;
const MAX_INDENT_LEVELS = 100;

const EXPRESSION_NODES = new Set([
  'VariableName',
  'Number',
  'String',
  'FormatString',
  'ContinuedString',
  'Boolean',
  'None',
  'Ellipsis',
  'ParenthesizedExpression',
  'TupleExpression',
  'ComprehensionExpression',
  'ArrayExpression',
  'ArrayComprehensionExpression',
  'DictionaryExpression',
  'DictionaryComprehensionExpression',
  'SetExpression',
  'SetComprehensionExpression',
  'CallExpression',
  'MemberExpression',
  'BinaryExpression',
  'UnaryExpression',
  'AwaitExpression',
  'ConditionalExpression',
  'LambdaExpression',
  'NamedExpression',
  'YieldExpression',
]);

const BRACKETED_NODES = new Set([
  'ParenthesizedExpression',
  'TupleExpression',
  'ComprehensionExpression',
  'ArrayExpression',
  'ArrayComprehensionExpression',
  'DictionaryExpression',
  'DictionaryComprehensionExpression',
  'SetExpression',
  'SetComprehensionExpression',
  'ArgList',
  'ParamList',
]);

/** Maps string offsets to 1-based lines and UTF-16 columns. */
export class LineIndex {
  private readonly starts: LineStarts;

  constructor(
    readonly path: string,
    private readonly text: string,
  ) {
    this.starts = new LineStarts(text);
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    return this.starts.position(offset);
  }

  /** The span of [from, to), less the line breaks and blanks Lezer leaves at the end of compound statements. */
  span(from: number, to: number): Span {
    let end = Math.max(from, to);
    while (end > from && ' \t\f\r\n'.includes(this.text[end - 1] as string)) end--;
    const a = this.position(from);
    const b = this.position(end);
    return { path: this.path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  lineCount(): number {
    return this.starts.lineCount;
  }
}

class SyntaxFault extends Error {}

interface ErrorCandidate {
  offset: number;
  end: number;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Numbers

const DIGIT_PART = '[0-9](?:_?[0-9])*';
const EXPONENT = `[eE][+-]?${DIGIT_PART}`;
const POINT_FLOAT = `(?:(?:${DIGIT_PART})?\\.${DIGIT_PART}|${DIGIT_PART}\\.)`;
const FLOAT = `(?:${POINT_FLOAT}(?:${EXPONENT})?|${DIGIT_PART}${EXPONENT})`;
const NUMBER_FORMS = {
  hex: /^0[xX](?:_?[0-9a-fA-F])+$/,
  octal: /^0[oO](?:_?[0-7])+$/,
  binary: /^0[bB](?:_?[01])+$/,
  decimal: /^(?:[1-9](?:_?[0-9])*|0(?:_?0)*)$/,
  float: new RegExp(`^${FLOAT}$`),
  imaginary: new RegExp(`^(?:${FLOAT}|${DIGIT_PART})[jJ]$`),
};

/** A number token decoded as CPython does, or the reason CPython rejects it. */
export function decodeNumber(
  raw: string,
): { kind: 'int'; value: bigint } | { kind: 'float'; value: number } | { kind: 'complex'; imag: number } | { error: string } {
  const clean = raw.replace(/_/g, '');
  if (NUMBER_FORMS.hex.test(raw) || NUMBER_FORMS.octal.test(raw) || NUMBER_FORMS.binary.test(raw) || NUMBER_FORMS.decimal.test(raw)) {
    return { kind: 'int', value: BigInt(clean) };
  }
  if (NUMBER_FORMS.float.test(raw)) return { kind: 'float', value: Number(clean) };
  if (NUMBER_FORMS.imaginary.test(raw)) return { kind: 'complex', imag: Number(clean.slice(0, -1)) };
  const lower = raw.toLowerCase();
  if (lower.startsWith('0x')) return { error: 'invalid hexadecimal literal' };
  if (lower.startsWith('0o')) return { error: 'invalid octal literal' };
  if (lower.startsWith('0b')) return { error: 'invalid binary literal' };
  if (/^0[0-9_]+$/.test(raw))
    return { error: 'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers' };
  return { error: 'invalid decimal literal' };
}

// ---------------------------------------------------------------------------------------------
// Strings

interface StringPrefix {
  raw: boolean;
  bytes: boolean;
  format: boolean;
}

function prefixOf(letters: string): StringPrefix | undefined {
  const p = letters.toLowerCase();
  const known = ['', 'r', 'u', 'b', 'br', 'rb', 'f', 'fr', 'rf'];
  if (!known.includes(p)) return undefined;
  return { raw: p.includes('r'), bytes: p.includes('b'), format: p.includes('f') };
}

/** Where the body of a string token is: after prefix and opening quotes, before the closing quotes. */
interface StringToken {
  prefix: StringPrefix;
  bodyFrom: number;
  bodyTo: number;
  quote: string;
  /** The closing quotes are where Lezer ended the token. */
  terminated: boolean;
}

/** Reads the shape of a string token `raw` (prefix, quotes, body) starting at offset `from`. */
function stringToken(raw: string, from: number): StringToken | undefined {
  let i = 0;
  while (i < raw.length && raw[i] !== '"' && raw[i] !== "'") i++;
  const prefix = prefixOf(raw.slice(0, i));
  const q = raw[i];
  if (!prefix || q === undefined) return undefined;
  const long = raw.startsWith(q.repeat(3), i);
  const quote = long ? q.repeat(3) : q;
  const bodyFrom = i + quote.length;
  // Find the first closing quote not taken by a backslash (raw strings too: r"\"" is one string).
  let j = bodyFrom;
  let end = -1;
  while (j < raw.length) {
    const c = raw[j];
    if (c === '\\') {
      j += 2;
      continue;
    }
    if (raw.startsWith(quote, j)) {
      end = j;
      break;
    }
    if (!long && (c === '\n' || c === '\r')) break;
    j++;
  }
  // An f-string may hold strings in its own quote inside replacement fields (Python 3.12, PEP 701): its
  // extent is the node's, as Lezer found it on the rewritten text (skipFString).
  if (prefix.format && end >= 0 && raw.length >= bodyFrom + quote.length && raw.endsWith(quote)) end = raw.length - quote.length;
  const terminated = end >= 0 && end + quote.length === raw.length;
  return { prefix, bodyFrom: from + bodyFrom, bodyTo: from + (terminated ? end : raw.length), quote, terminated };
}

/** CPython's tokenizer reads \r\n and \r as \n. */
function normalizeNewlines(s: string): string {
  return s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s;
}

function isHexDigit(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/** Decodes the body of a (non-raw) string with Python's escapes; `error` when CPython rejects it. */
export function decodeEscapes(body: string, bytes: boolean): { value: string; namedEscape?: true; error?: string } {
  const s = normalizeNewlines(body);
  let out = '';
  let namedEscape: true | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[i + 1];
    if (n === undefined) {
      out += c;
      break;
    }
    i++;
    switch (n) {
      case '\n':
        break;
      case '\\':
      case "'":
      case '"':
        out += n;
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x': {
        if (!isHexDigit(s[i + 1]) || !isHexDigit(s[i + 2])) return { value: out, error: 'truncated \\xXX escape' };
        out += String.fromCharCode(Number.parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
        break;
      }
      case 'u':
      case 'U': {
        if (bytes) {
          out += `\\${n}`;
          break;
        }
        const len = n === 'u' ? 4 : 8;
        const hex = s.slice(i + 1, i + 1 + len);
        if (hex.length < len || ![...hex].every(isHexDigit)) return { value: out, error: `truncated \\${n}${'X'.repeat(len)} escape` };
        const code = Number.parseInt(hex, 16);
        if (code > 0x10ffff) return { value: out, error: 'illegal Unicode character' };
        out += String.fromCodePoint(code);
        i += len;
        break;
      }
      case 'N': {
        if (bytes) {
          out += '\\N';
          break;
        }
        const close = s.indexOf('}', i + 1);
        if (s[i + 1] !== '{' || close < 0 || close === i + 2) return { value: out, error: 'malformed \\N character escape' };
        // No Unicode name table in connlint: keep the escape as written and say so.
        out += s.slice(i - 1, close + 1);
        namedEscape = true;
        i = close;
        break;
      }
      default: {
        if (n >= '0' && n <= '7') {
          let k = i;
          while (k < i + 3 && (s[k] ?? '') >= '0' && (s[k] ?? '') <= '7') k++;
          const code = Number.parseInt(s.slice(i, k), 8);
          out += String.fromCharCode(bytes ? code & 0xff : code);
          i = k - 1;
        } else {
          // Unknown escapes keep the backslash (a DeprecationWarning, not an error, in CPython 3.11).
          out += `\\${n}`;
        }
      }
    }
  }
  return namedEscape ? { value: out, namedEscape } : { value: out };
}

function toBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

function firstNonAscii(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return i;
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Lezer input: number forms Lezer's grammar lacks

/**
 * Text for Lezer, the same length as the source, with what its grammar lacks made readable: number
 * tokens `1.`, `1.e5`, `1.j` (valid Python floats) become as many digits; a bare `yield` (no value:
 * `yield` alone, `(yield)`) becomes the name `yiel_`; a form feed on a blank line and a leading byte-order
 * mark become spaces.
 * Strings and comments are skipped. Every literal and name is still read from the original text.
 */
function lezerInput(text: string): string {
  let chars: string[] | undefined;
  const set = (from: number, to: number, c: string) => {
    chars ??= text.split('');
    for (let m = from; m < to; m++) chars[m] = c;
  };
  const n = text.length;
  let i = 0;
  // CPython skips a leading byte-order mark; for Lezer it would be part of the first name.
  if (text.charCodeAt(0) === 0xfeff) {
    set(0, 1, ' ');
    i = 1;
  }
  const isIdent = (c: number) => c === 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0x80;
  const isDigit = (c: number) => c >= 48 && c <= 57;
  let lineStart = true;
  /** The newline (one or two characters) that ended the previous line, outside strings. */
  let newline: { from: number; to: number } | undefined;
  /** The line starts a `case` clause of a `match`. */
  let caseLine = false;
  /** Between `for` and `in`: a comprehension's target, where Lezer's grammar lacks starred names (`for a, *_ in x`). */
  let forTarget = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (lineStart) {
      lineStart = false;
      let j = i;
      while (j < n && (text[j] === ' ' || text[j] === '\t' || text[j] === '\f')) j++;
      const blank = j >= n || text[j] === '\n' || text[j] === '\r' || text[j] === '#';
      if (blank) for (let m = i; m < j; m++) if (text[m] === '\f') set(m, m + 1, ' ');
      // A blank or comment-only line joins the line before it (its newline becomes spaces): Lezer keeps a
      // parser state for every such line of a block, and past a few hundred it cuts its stack and reports
      // an error in valid code (saleor/settings.py). Python ignores these lines; not after a `\`.
      if (blank && j < n && newline && text[newline.from - 1] !== '\\') set(newline.from, newline.to, ' ');
      // `\` before a blank line: Python ends the statement at the blank line; Lezer reports an error there.
      else if (blank && text[j] !== '#' && newline && text[newline.from - 1] === '\\') set(newline.from - 1, newline.from, ' ');
      forTarget = false;
      caseLine = /^case[ \t([{'"-]/.test(text.slice(j, j + 5)) && !/^case[ \t]*=(?!=)/.test(text.slice(j, j + 40));
      i = j;
      continue;
    }
    if (c === 10 || c === 13) {
      lineStart = true;
      const to = c === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      newline = { from: i, to };
      i = to;
    } else if (c === 40 && caseLine && text.charCodeAt(i + 1) === 41 && i > 0 && isIdent(text.charCodeAt(i - 1))) {
      // A class pattern without arguments (`case Point():`), which Lezer's grammar lacks: read as the value
      // pattern `Point.x` (same length; it binds no name either).
      set(i, i + 1, '.');
      set(i + 1, i + 2, 'x');
      i += 2;
    } else if (c === 42 && forTarget && text.charCodeAt(i + 1) !== 42 && /(?:[,([]|\bfor)[ \t]*$/.test(text.slice(Math.max(0, i - 8), i))) {
      // `for a, *rest in x` read as `for a,  rest in x`: the same names; connlint does not evaluate loop targets.
      set(i, i + 1, ' ');
      i++;
    } else if (c === 35) {
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (c === 34 || c === 39) {
      i = skipString(text, i);
    } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      const start = i;
      let j = i;
      while (j < n && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === 95)) j++;
      const hexLike = text.charCodeAt(start) === 48 && /[xXoObB]/.test(text[start + 1] ?? '');
      if (!hexLike && text.charCodeAt(j) === 46 && j > start && !isDigit(text.charCodeAt(j + 1))) {
        let k = j + 1;
        const e = text.charCodeAt(k);
        if (
          (e === 101 || e === 69) &&
          (isDigit(text.charCodeAt(k + 1)) || ((text[k + 1] === '+' || text[k + 1] === '-') && isDigit(text.charCodeAt(k + 2))))
        ) {
          k += text[k + 1] === '+' || text[k + 1] === '-' ? 2 : 1;
          while (k < n && (isDigit(text.charCodeAt(k)) || text.charCodeAt(k) === 95)) k++;
        }
        if (text[k] === 'j' || text[k] === 'J') k++;
        set(start, k, '1');
        i = k;
        continue;
      }
      // Other numbers: the rest of the token (`1.5`, `1e5`, `0x1F`, `2j`); a sign after `e` is read as an operator, harmlessly.
      i = text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1)) ? j + 1 : j;
      while (i < n && isIdent(text.charCodeAt(i))) i++;
    } else if (isIdent(c)) {
      const start = i;
      while (i < n && isIdent(text.charCodeAt(i))) i++;
      const q = text.charCodeAt(i);
      const word = i - start <= 4 ? text.slice(start, i) : '';
      if (word === 'for') forTarget = true;
      else if (word === 'in') forTarget = false;
      else if (word === 'with')
        for (const [from, to] of withTargets(text, i))
          for (let m = from; m < to; m++) if (text[m] !== '\n' && text[m] !== '\r') set(m, m + 1, ' ');
      const prefix = q === 34 || q === 39 ? prefixOf(text.slice(start, i)) : undefined;
      if (prefix?.format) i = skipFString(text, i, set);
      else if (prefix) i = skipString(text, i);
      else if (i - start === 5 && text.startsWith('yield', start) && isBareYield(text, i)) set(start + 4, start + 5, '_');
    } else {
      i++;
    }
  }
  return chars ? chars.join('') : text;
}

/**
 * In a parenthesized `with (a as b, c as d):` (Python 3.10+), which Lezer's grammar lacks, the ` as target`
 * parts: blanked, the items read as one tuple. The targets' names are then unbound for connlint, which does
 * not evaluate what context managers return. Nothing when the parentheses are not the whole item list.
 */
function withTargets(text: string, after: number): Array<[number, number]> {
  let i = after;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text[i] !== '(') return [];
  const out: Array<[number, number]> = [];
  let depth = 0;
  let as: number | undefined;
  for (; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"' || c === "'") {
      i = skipString(text, i) - 1;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        if (as !== undefined) out.push([as, i]);
        let j = i + 1;
        while (text[j] === ' ' || text[j] === '\t') j++;
        return text[j] === ':' ? out : [];
      }
    } else if (depth === 1 && c === ',') {
      if (as !== undefined) out.push([as, i]);
      as = undefined;
    } else if (
      depth === 1 &&
      c === 'a' &&
      text[i + 1] === 's' &&
      /[ \t\n\r]/.test(text[i - 1] ?? '') &&
      /[ \t\n\r]/.test(text[i + 2] ?? '')
    ) {
      as = i;
    }
  }
  return [];
}

/** `yield` with no value after it: the line, the statement or the bracket ends next. */
function isBareYield(text: string, after: number): boolean {
  let j = after;
  while (text[j] === ' ' || text[j] === '\t') j++;
  const next = text[j];
  return (
    next === undefined || next === '\n' || next === '\r' || next === '#' || next === ')' || next === ']' || next === '}' || next === ';'
  );
}

/**
 * Offset just after the f-string whose quote is at `i`. Python 3.12 (PEP 701) lets a replacement field hold a
 * string in the f-string's own quote (`f"{d["k"]}"`), which Lezer's tokenizer ends the f-string at: such a
 * nested string's quotes are handed to Lezer as the other quote character (same length; connlint reads
 * values from the real text). Format specs after `:` are literal text with nested fields.
 */
function skipFString(text: string, i: number, set: (from: number, to: number, c: string) => void): number {
  const q = text[i] as string;
  const long = text.startsWith(q.repeat(3), i);
  const close = long ? q.repeat(3) : q;
  const alt = q === '"' ? "'" : '"';
  let j = i + close.length;
  /** Bracket depth inside a replacement field; 0 in literal text. */
  let depth = 0;
  /** In a format spec (after `:` at depth 1): literal text until `}` or a nested `{`. */
  const specAt: number[] = [];
  while (j < text.length) {
    const c = text[j] as string;
    if (!long && (c === '\n' || c === '\r')) return j;
    const literal = depth === 0 || specAt.at(-1) === depth;
    if (literal) {
      if (depth === 0 && text.startsWith(close, j)) return j + close.length;
      if (c === '\\') j += 2;
      else if (c === '{' && text[j + 1] === '{' && depth === 0) j += 2;
      else if (c === '{') {
        depth++;
        j++;
      } else if (c === '}' && depth > 0) {
        specAt.pop();
        depth--;
        j++;
      } else j++;
      continue;
    }
    if (c === '{' || c === '[' || c === '(') {
      depth++;
      j++;
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
      j++;
    } else if (c === ':' && text[j + 1] !== '=' && text[j - 1] !== '!' && depth > 0 && isFieldLevel(text, j)) {
      specAt.push(depth);
      j++;
    } else if (c === '"' || c === "'") {
      const end = skipString(text, j);
      // A nested string in the f-string's own quote (PEP 701): Lezer would end the f-string at it.
      if (!long && c === q && end - 1 > j && text[end - 1] === q && !text.slice(j + 1, end - 1).includes(alt)) {
        set(j, j + 1, alt);
        set(end - 1, end, alt);
      }
      j = end;
    } else j++;
  }
  return j;
}

/** Is the `:` at `j` the start of a format spec (not a dict, slice or lambda colon inside brackets)? Approximated by the bracket just before. */
function isFieldLevel(text: string, j: number): boolean {
  let d = 0;
  for (let k = j - 1; k >= 0; k--) {
    const c = text[k];
    if (c === ')' || c === ']' || c === '}') d++;
    else if (c === '(' || c === '[') {
      if (d === 0) return false;
      d--;
    } else if (c === '{') {
      if (d === 0) return true;
      d--;
    }
  }
  return false;
}

/**
 * Lezer's LR parser ends a production after 300 left-associative reductions from one start (its
 * `MaxLeftAssociativeReductionCount`, against trees too deep to walk), leaving an empty error node in the chain and
 * the rest of it as another statement. CPython compiles such a chain (`1+1+…`) up to ≈ 2,900 terms. An empty error
 * node where a BinaryExpression that holds at least that many nested on its left lacks its right operand, with that
 * operand right after it on the line, is that cut, not a syntax error (a missing last operand, `1+…+1 +`, is one).
 */
function cutChain(error: SyntaxNode, text: string): boolean {
  const parent = error.parent;
  if (parent?.name !== 'BinaryExpression' || error.to !== parent.to) return false;
  if (!CHAIN_GOES_ON.test(text.slice(error.from, error.from + 16))) return false;
  let depth = 0;
  for (let n: SyntaxNode | null = parent; n?.name === 'BinaryExpression'; n = n.firstChild) if (++depth >= LEZER_LEFT_CHAIN) return true;
  return false;
}
const CHAIN_GOES_ON = /^[ \t]*[^\s#)\]},;:]/;
const LEZER_LEFT_CHAIN = 300;

/** Bracket depth past which the text is not parsed at all (a depth Python already refuses at MAX_BRACKET_DEPTH). */
const UNPARSED_BRACKET_DEPTH = 1000;

/**
 * Where the bracket Python refuses (the one past MAX_BRACKET_DEPTH) opens, when brackets outside strings and comments
 * nest deeper than UNPARSED_BRACKET_DEPTH; else undefined, and the parser reports whatever Python would.
 */
function bracketOverflow(text: string): number | undefined {
  let depth = 0;
  let refused: number | undefined;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      depth++;
      if (depth === MAX_BRACKET_DEPTH + 1) refused = i;
      if (depth > UNPARSED_BRACKET_DEPTH) return refused;
      i++;
    } else if (c === 41 || c === 93 || c === 125) {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (c === 35) {
      while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (c === 34 || c === 39) {
      i = skipString(text, i);
    } else i++;
  }
  return undefined;
}

/** Offset just after the string starting with the quote at `i` (or the end of its line when unterminated). */
function skipString(text: string, i: number): number {
  const q = text[i] as string;
  const long = text.startsWith(q.repeat(3), i);
  let j = i + (long ? 3 : 1);
  while (j < text.length) {
    const c = text[j];
    if (c === '\\') j += 2;
    else if (long ? text.startsWith(q.repeat(3), j) : c === q) return j + (long ? 3 : 1);
    else if (!long && (c === '\n' || c === '\r')) return j;
    else j++;
  }
  return j;
}

// ---------------------------------------------------------------------------------------------
// Tree conversion

/** Parses one Python module. Never throws: what cannot be read is an `invalid` statement and a problem. */
export function parsePython(path: string, text: string, stats?: PyParseStats): ParseResult<PySyntaxModule> {
  // Brackets nested thousands deep would overflow the parser's and the conversion's recursion; Python stops at 200.
  const deep = bracketOverflow(text);
  if (deep !== undefined) {
    const span = new LineIndex(path, text).span(deep, deep + 1);
    return {
      doc: { path, body: [], syntaxError: span },
      problems: [{ severity: 'error', message: 'Too many nested parentheses: Python cannot compile this file', span }],
    };
  }
  try {
    return new Converter(path, text, stats).run();
  } catch (e) {
    // A bug, not an input problem; still a result, as parsers never throw.
    const lines = new LineIndex(path, text);
    return {
      doc: { path, body: [], syntaxError: lines.span(0, 0) },
      problems: [
        { severity: 'error', message: `connlint could not read this Python file (${(e as Error).message})`, span: lines.span(0, 0) },
      ],
    };
  }
}

class Converter {
  private readonly lines: LineIndex;
  private readonly errors: ErrorCandidate[] = [];
  private readonly notes: ParseProblem[] = [];
  private depth = 0;
  private bodyDepth = 0;
  /** Set while reading an f-string whose literal text holds a `\N{...}` escape. */
  private fstringNamedEscape = false;
  /** Start lines of error nodes: a simple statement on such a line is not trusted. */
  private readonly errorLines = new Set<number>();

  constructor(
    private readonly path: string,
    private readonly text: string,
    private readonly stats: PyParseStats | undefined,
  ) {
    this.lines = new LineIndex(path, text);
  }

  run(): ParseResult<PySyntaxModule> {
    const nul = this.text.indexOf('\0');
    if (nul >= 0) this.errors.push({ offset: nul, end: nul + 1, message: 'source code cannot contain null bytes' });
    const tree = parser.parse(lezerInput(this.text));
    this.scanTree(tree.topNode);
    const body = this.statements(this.kids(tree.topNode));
    const doc: PySyntaxModule = { path: this.path, body };
    const problems: ParseProblem[] = [];
    const first = this.errors.reduce<ErrorCandidate | undefined>((a, b) => (!a || b.offset < a.offset ? b : a), undefined);
    if (first) {
      doc.syntaxError = this.lines.span(first.offset, first.end);
      const lineText = this.lineText(doc.syntaxError.line);
      if (/\{%|%\}|\{\{|\{#/.test(lineText)) {
        doc.isTemplate = true;
        problems.push({
          severity: 'note',
          message: `This file is a template (Jinja syntax at line ${doc.syntaxError.line}), not Python: connlint reads only the statements that parse`,
          span: doc.syntaxError,
        });
      } else {
        problems.push({
          severity: 'error',
          message: `${capitalize(first.message)}: Python cannot compile this file`,
          span: doc.syntaxError,
        });
      }
    }
    problems.push(...this.notes);
    return { doc, problems };
  }

  private lineText(line: number): string {
    const from = this.offsetOfLine(line);
    let to = from;
    while (to < this.text.length && this.text[to] !== '\n' && this.text[to] !== '\r') to++;
    return this.text.slice(from, to);
  }

  private offsetOfLine(line: number): number {
    let l = 1;
    let i = 0;
    while (l < line && i < this.text.length) {
      const c = this.text[i];
      if (c === '\n' || (c === '\r' && this.text[i + 1] !== '\n')) l++;
      i++;
    }
    return i;
  }

  /** One pass over Lezer's tree: error nodes, bracket and indentation depth. */
  private scanTree(top: SyntaxNode): void {
    const cursor = top.cursor();
    let brackets = 0;
    let bodies = 0;
    let count = 0;
    const stack: string[] = [];
    // Offsets where Lezer cut a long operator chain short (below): not errors of the text.
    const cut = new Set<number>();
    for (;;) {
      count++;
      const name = cursor.name;
      if (cursor.type.isError && cursor.from === cursor.to && (cut.has(cursor.from) || cutChain(cursor.node, this.text))) {
        // The chain's value is then too deep for the conversion, which says so in a note.
        cut.add(cursor.from);
      } else if (cursor.type.isError) {
        const parent = cursor.node.parent;
        if (parent && (parent.name === 'String' || parent.name === 'FormatString')) {
          const long = stringToken(this.src(parent), parent.from)?.quote.length === 3;
          this.errors.push({
            offset: parent.from,
            end: parent.to,
            message: long ? 'unterminated triple-quoted string literal' : 'unterminated string literal',
          });
        } else {
          this.errors.push({ offset: cursor.from, end: Math.max(cursor.to, cursor.from), message: 'invalid syntax' });
        }
        this.errorLines.add(this.lines.position(cursor.from).line);
      }
      if (name === 'Number') this.checkNumber(cursor.from, cursor.to);
      if (BRACKETED_NODES.has(name)) {
        brackets++;
        if (brackets === MAX_BRACKET_DEPTH + 1)
          this.errors.push({ offset: cursor.from, end: cursor.from + 1, message: 'too many nested parentheses' });
      }
      if (name === 'Body') {
        bodies++;
        if (bodies === MAX_INDENT_LEVELS + 1)
          this.errors.push({ offset: cursor.from, end: cursor.to, message: 'too many levels of indentation' });
      }
      stack.push(name);
      if (cursor.firstChild()) continue;
      for (;;) {
        const left = stack.pop();
        if (left && BRACKETED_NODES.has(left)) brackets--;
        if (left === 'Body') bodies--;
        if (cursor.nextSibling()) break;
        if (!cursor.parent()) {
          if (this.stats) this.stats.treeNodes = count;
          return;
        }
      }
    }
  }

  private fault(from: number, to: number, message: string): never {
    this.errors.push({ offset: from, end: to, message });
    throw new SyntaxFault(message);
  }

  private span(node: { from: number; to: number }): Span {
    return this.lines.span(node.from, node.to);
  }

  /** Children of a node, comments left out. */
  private kids(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (this.stats) this.stats.nodesVisited++;
      if (c.name !== 'Comment') out.push(c);
    }
    return out;
  }

  private src(node: { from: number; to: number }): string {
    return this.text.slice(node.from, node.to);
  }

  // ---- statements

  private statements(nodes: SyntaxNode[]): PyStmt[] {
    const out: PyStmt[] = [];
    for (const node of nodes) {
      if (node.type.isError) {
        out.push({ kind: 'invalid', span: this.span(node) });
        continue;
      }
      if (node.name === 'StatementGroup') {
        out.push(...this.statements(this.kids(node).filter((k) => k.name !== ';')));
        continue;
      }
      try {
        const stmt = this.statement(node);
        if (stmt) out.push(stmt);
      } catch (e) {
        if (!(e instanceof SyntaxFault)) throw e;
        out.push({ kind: 'invalid', span: this.span(node) });
      }
    }
    return out;
  }

  /** A simple statement on a line with an error node is not trusted (Lezer may have cut it short). */
  private checkLines(node: SyntaxNode, to = node.to): void {
    if (this.errorLines.size === 0) return;
    const a = this.lines.position(node.from).line;
    const b = this.lines.position(to).line;
    for (let l = a; l <= b; l++) if (this.errorLines.has(l)) throw new SyntaxFault('error on this line');
  }

  private body(node: SyntaxNode | undefined): PyStmt[] {
    if (node?.name !== 'Body') return [];
    // CPython refuses more than 100 levels (reported by scanTree); deeper bodies are not converted, so recursion stays bounded.
    if (this.bodyDepth >= MAX_INDENT_LEVELS) return [{ kind: 'invalid', span: this.span(node) }];
    this.bodyDepth++;
    try {
      return this.statements(this.kids(node).filter((k) => k.name !== ':'));
    } finally {
      this.bodyDepth--;
    }
  }

  private statement(node: SyntaxNode): PyStmt | undefined {
    const span = this.span(node);
    const k = this.kids(node);
    switch (node.name) {
      case 'AssignStatement':
        this.checkLines(node);
        return this.assignment(node, k);
      case 'UpdateStatement': {
        this.checkLines(node);
        const opIndex = k.findIndex((c) => c.name === 'UpdateOp');
        const target = this.onlyExpression(k.slice(0, opIndex), node);
        if (target.kind !== 'name' && target.kind !== 'attribute' && target.kind !== 'subscript') {
          this.fault(
            target.span.line === span.line ? node.from : node.from,
            node.to,
            `'${describeTarget(target)}' is an illegal expression for augmented assignment`,
          );
        }
        const op = this.src(k[opIndex] as SyntaxNode).slice(0, -1);
        return { kind: 'augassign', target, op, value: this.expressionList(k.slice(opIndex + 1), node), span };
      }
      case 'ExpressionStatement':
        this.checkLines(node);
        return { kind: 'expr', value: this.expressionList(k, node), span };
      case 'ImportStatement':
        this.checkLines(node);
        return this.importStatement(node, k);
      case 'IfStatement':
        return this.ifStatement(node, k, 0);
      case 'TryStatement':
        return this.tryStatement(node, k);
      case 'WithStatement': {
        this.checkHeader(node, k);
        const items: Array<{ context: PyExpr; target?: PyExpr }> = [];
        const bodyNode = k.find((c) => c.name === 'Body');
        const header = k.filter((c) => c.name !== 'with' && c.name !== 'async' && c.name !== 'Body');
        for (const item of splitCommas(header)) {
          const as = item.findIndex((c) => c.name === 'as');
          const context = this.expression(item[0] as SyntaxNode);
          const targetNode = as >= 0 ? item[as + 1] : undefined;
          items.push(targetNode ? { context, target: this.target(this.expression(targetNode), targetNode) } : { context });
        }
        return { kind: 'with', items, body: this.body(bodyNode), span };
      }
      case 'ForStatement': {
        this.checkHeader(node, k);
        const inIndex = k.findIndex((c) => c.name === 'in');
        const bodies = k.filter((c) => c.name === 'Body');
        const targetNodes = k.slice(0, inIndex).filter((c) => c.name !== 'for' && c.name !== 'async');
        const target = this.target(this.expressionList(targetNodes, node), node);
        const iterNodes = k.slice(inIndex + 1, k.indexOf(bodies[0] as SyntaxNode));
        return {
          kind: 'for',
          target,
          iter: this.expressionList(iterNodes, node),
          body: this.body(bodies[0]),
          orelse: this.body(bodies[1]),
          span,
        };
      }
      case 'WhileStatement': {
        this.checkHeader(node, k);
        const bodies = k.filter((c) => c.name === 'Body');
        return { kind: 'while', test: this.expression(k[1] as SyntaxNode), body: this.body(bodies[0]), orelse: this.body(bodies[1]), span };
      }
      case 'FunctionDefinition':
        return this.functionDefinition(node, k, []);
      case 'ClassDefinition':
        return this.classDefinition(node, k, []);
      case 'DecoratedStatement': {
        const decorators: PyExpr[] = [];
        for (const d of k.filter((c) => c.name === 'Decorator')) {
          this.checkLines(d);
          decorators.push(this.decorator(d));
        }
        const def = k.find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition');
        if (!def) this.fault(node.from, node.to, 'invalid syntax');
        const dk = this.kids(def);
        const stmt =
          def.name === 'FunctionDefinition' ? this.functionDefinition(def, dk, decorators) : this.classDefinition(def, dk, decorators);
        return { ...stmt, span };
      }
      case 'DeleteStatement': {
        this.checkLines(node);
        const targets = splitCommas(k.slice(1)).map((item) => {
          const e = this.expression(item[0] as SyntaxNode);
          this.checkDeleteTarget(e, node);
          return e;
        });
        return { kind: 'delete', targets, span };
      }
      case 'ScopeStatement':
        this.checkLines(node);
        return { kind: 'scope', names: k.filter((c) => c.name === 'VariableName').map((c) => this.src(c)), span };
      case 'ReturnStatement': {
        this.checkLines(node);
        const rest = k.slice(1);
        return rest.length ? { kind: 'return', value: this.expressionList(rest, node), span } : { kind: 'return', span };
      }
      case 'PrintStatement':
        this.checkLines(node);
        this.fault(node.from, node.to, "missing parentheses in call to 'print' (a Python 2 print statement)");
        break;
      case 'PassStatement':
      case 'BreakStatement':
      case 'ContinueStatement':
        this.checkLines(node);
        return { kind: 'other', what: node.name, exprs: [], bodies: [], span };
      case 'RaiseStatement':
      case 'AssertStatement':
      case 'YieldStatement':
      case 'TypeDefinition': {
        this.checkLines(node);
        const exprs = k.filter((c) => EXPRESSION_NODES.has(c.name)).map((c) => this.expression(c));
        return { kind: 'other', what: node.name, exprs, bodies: [], span };
      }
      case 'MatchStatement':
        return this.matchStatement(node, k);
      default:
        this.fault(node.from, node.to, 'invalid syntax');
    }
    return undefined;
  }

  /** Errors in the header of a compound statement (before its first Body) make the whole statement invalid. */
  private checkHeader(node: SyntaxNode, k: SyntaxNode[]): void {
    const body = k.find((c) => c.name === 'Body');
    this.checkLines(node, body ? body.from : node.to);
  }

  private assignment(node: SyntaxNode, k: SyntaxNode[]): PyStmt {
    const span = this.span(node);
    const segments: SyntaxNode[][] = [[]];
    let annotation: PyExpr | undefined;
    for (const c of k) {
      if (c.name === 'AssignOp') segments.push([]);
      else if (c.name === 'TypeDef') {
        if (segments.length > 1) this.fault(c.from, c.to, 'invalid syntax');
        const t = this.kids(c).find((x) => EXPRESSION_NODES.has(x.name));
        if (!t) this.fault(c.from, c.to, 'invalid syntax');
        annotation = this.expression(t);
      } else (segments[segments.length - 1] as SyntaxNode[]).push(c);
    }
    const exprs = segments.map((s) => this.expressionList(s, node));
    if (annotation) {
      const target = exprs[0] as PyExpr;
      if (target.kind !== 'name' && target.kind !== 'attribute' && target.kind !== 'subscript') {
        this.fault(
          node.from,
          node.to,
          target.kind === 'tuple' ? 'only single target (not tuple) can be annotated' : 'illegal target for annotation',
        );
      }
      if (exprs.length === 1) return { kind: 'annotate', target, annotation, span };
      if (exprs.length > 2) this.fault(node.from, node.to, 'invalid syntax');
      return { kind: 'assign', targets: [target], value: exprs[1] as PyExpr, annotation, span };
    }
    const value = exprs.pop() as PyExpr;
    const targets = exprs.map((t) => this.target(t, node));
    return { kind: 'assign', targets, value, span };
  }

  /** Checks an assignment target as CPython's parser does. */
  private target(e: PyExpr, at: SyntaxNode): PyExpr {
    const bad = invalidTarget(e, false);
    if (bad) this.fault(at.from, at.to, `cannot assign to ${bad}`);
    return e;
  }

  private checkDeleteTarget(e: PyExpr, at: SyntaxNode): void {
    const bad = invalidTarget(e, true);
    if (bad) this.fault(at.from, at.to, `cannot delete ${bad}`);
  }

  private importStatement(node: SyntaxNode, k: SyntaxNode[]): PyStmt {
    const span = this.span(node);
    if (k[0]?.name === 'import') {
      return { kind: 'import', names: this.importNames(k.slice(1), false), span };
    }
    let i = 1;
    let level = 0;
    while (k[i]?.name === '.' || k[i]?.name === 'Ellipsis' || this.src(k[i] ?? node) === '...') {
      level += this.src(k[i] as SyntaxNode).length;
      i++;
    }
    const parts: string[] = [];
    while (i < k.length && k[i]?.name !== 'import') {
      const c = k[i] as SyntaxNode;
      if (c.name === 'VariableName') parts.push(this.src(c));
      i++;
    }
    const rest = k.slice(i + 1);
    if (rest.length === 1 && rest[0]?.name === '*') return { kind: 'from', module: parts.join('.'), level, names: 'star', span };
    const parenthesized = rest[0]?.name === '(';
    const inner = rest.filter((c) => c.name !== '(' && c.name !== ')');
    if (!parenthesized && inner[inner.length - 1]?.name === ',') {
      this.fault(node.from, node.to, 'trailing comma not allowed without surrounding parentheses');
    }
    return { kind: 'from', module: parts.join('.'), level, names: this.importNames(inner, true), span };
  }

  private importNames(nodes: SyntaxNode[], single: boolean): PyImportName[] {
    const out: PyImportName[] = [];
    for (const item of splitCommas(nodes)) {
      if (item.length === 0) continue;
      const as = item.findIndex((c) => c.name === 'as');
      const nameNodes = as >= 0 ? item.slice(0, as) : item;
      const name = nameNodes
        .filter((c) => c.name === 'VariableName')
        .map((c) => this.src(c))
        .join('.');
      if (single && nameNodes.length > 1) this.fault(item[0]?.from ?? 0, item[item.length - 1]?.to ?? 0, 'invalid syntax');
      const last = item[item.length - 1] as SyntaxNode;
      const asNode = as >= 0 ? item[as + 1] : undefined;
      const spanNode = { from: (item[0] as SyntaxNode).from, to: last.to };
      out.push(asNode ? { name, asname: this.src(asNode), span: this.span(spanNode) } : { name, span: this.span(spanNode) });
    }
    return out;
  }

  private ifStatement(node: SyntaxNode, k: SyntaxNode[], start: number): PyStmt {
    // k[start] is `if` or `elif`; the test is the next node, then Body.
    const keyword = k[start] as SyntaxNode;
    const bodyIndex = k.findIndex((c, i) => i > start && c.name === 'Body');
    if (bodyIndex < 0) this.fault(keyword.from, node.to, 'invalid syntax');
    this.checkLines(keyword, (k[bodyIndex] as SyntaxNode).from);
    const testNodes = k.slice(start + 1, bodyIndex);
    const test = this.onlyExpression(testNodes, node);
    const body = this.body(k[bodyIndex]);
    const next = k[bodyIndex + 1];
    let orelse: PyStmt[] = [];
    if (next?.name === 'elif') orelse = [this.ifStatement(node, k, bodyIndex + 1)];
    else if (next?.name === 'else') orelse = this.body(k[bodyIndex + 2]);
    return { kind: 'if', test, body, orelse, span: this.lines.span(keyword.from, node.to) };
  }

  private tryStatement(node: SyntaxNode, k: SyntaxNode[]): PyStmt {
    const span = this.span(node);
    const handlers: PyExceptHandler[] = [];
    let body: PyStmt[] = [];
    let orelse: PyStmt[] = [];
    let finalbody: PyStmt[] = [];
    let i = 0;
    while (i < k.length) {
      const c = k[i] as SyntaxNode;
      if (c.name === 'try') {
        body = this.body(k[i + 1]);
        i += 2;
      } else if (c.name === 'except') {
        let j = i + 1;
        while (j < k.length && k[j]?.name !== 'Body') j++;
        this.checkLines(c, k[j]?.from ?? c.to);
        const header = k.slice(i + 1, j).filter((x) => x.name !== '*');
        const comma = header.some((x) => x.name === ',');
        const asAt = header.findIndex((x) => x.name === 'as');
        // `except A, B:` is valid from Python 3.14 (PEP 758): one of several types; with `as` it still needs
        // parentheses (and Python 2's `except E, e:` now means "E or e").
        if (comma && asAt >= 0) this.fault(c.from, k[j]?.from ?? c.to, "multiple exception types must be parenthesized when using 'as'");
        const typeNodes = asAt >= 0 ? header.slice(0, asAt) : header;
        const nameNode = asAt >= 0 ? header[asAt + 1] : undefined;
        const handler: PyExceptHandler = { body: this.body(k[j]), span: this.lines.span(c.from, k[j]?.to ?? c.to) };
        // Several unparenthesized types: the handler's type is left out (it catches one of them).
        if (typeNodes.length && !comma) handler.type = this.onlyExpression(typeNodes, node);
        if (nameNode) handler.name = this.src(nameNode);
        handlers.push(handler);
        i = j + 1;
      } else if (c.name === 'else') {
        orelse = this.body(k[i + 1]);
        i += 2;
      } else if (c.name === 'finally') {
        finalbody = this.body(k[i + 1]);
        i += 2;
      } else {
        this.fault(c.from, c.to, 'invalid syntax');
      }
    }
    return { kind: 'try', body, handlers, orelse, finalbody, span };
  }

  private functionDefinition(node: SyntaxNode, k: SyntaxNode[], decorators: PyExpr[]): PyStmt & { kind: 'def' } {
    this.checkHeader(node, k);
    const nameNode = k.find((c) => c.name === 'VariableName');
    if (!nameNode) this.fault(node.from, node.to, 'invalid syntax');
    const defaults: PyExpr[] = [];
    const params: string[] = [];
    const paramList = k.find((c) => c.name === 'ParamList');
    if (paramList) this.parameters(this.kids(paramList), params, defaults);
    const typeDef = k.find((c) => c.name === 'TypeDef');
    if (typeDef) for (const t of this.kids(typeDef)) if (EXPRESSION_NODES.has(t.name)) defaults.push(this.expression(t));
    return {
      kind: 'def',
      name: this.src(nameNode),
      nameSpan: this.span(nameNode),
      decorators,
      params,
      defaults,
      body: this.body(k.find((c) => c.name === 'Body')),
      span: this.span(node),
    };
  }

  private parameters(nodes: SyntaxNode[], params: string[], defaults: PyExpr[]): void {
    let seenDefault = false;
    let afterStar = false;
    for (const item of splitCommas(nodes.filter((c) => c.name !== '(' && c.name !== ')'))) {
      if (item[0]?.name === '*' || item[0]?.name === '**') afterStar = true;
      const name = item.find((c) => c.name === 'VariableName');
      if (name) params.push(this.src(name));
      const eq = item.findIndex((c) => c.name === 'AssignOp');
      if (eq >= 0) {
        seenDefault = true;
        defaults.push(this.expression(item[eq + 1] as SyntaxNode));
      } else if (seenDefault && !afterStar && name && item[0]?.name === 'VariableName') {
        this.fault(item[0].from, item[0].to, 'non-default argument follows default argument');
      }
      const typeDef = item.find((c) => c.name === 'TypeDef');
      if (typeDef) for (const t of this.kids(typeDef)) if (EXPRESSION_NODES.has(t.name)) defaults.push(this.expression(t));
    }
  }

  private classDefinition(node: SyntaxNode, k: SyntaxNode[], decorators: PyExpr[]): PyStmt & { kind: 'class' } {
    this.checkHeader(node, k);
    const nameNode = k.find((c) => c.name === 'VariableName');
    if (!nameNode) this.fault(node.from, node.to, 'invalid syntax');
    const argList = k.find((c) => c.name === 'ArgList');
    return {
      kind: 'class',
      name: this.src(nameNode),
      nameSpan: this.span(nameNode),
      decorators,
      args: argList ? this.argumentList(argList) : [],
      body: this.body(k.find((c) => c.name === 'Body')),
      span: this.span(node),
    };
  }

  private decorator(node: SyntaxNode): PyExpr {
    const k = this.kids(node).filter((c) => c.name !== 'At');
    let expr: PyExpr | undefined;
    for (const c of k) {
      if (c.name === 'VariableName') {
        expr = expr
          ? {
              kind: 'attribute',
              object: expr,
              attr: this.src(c),
              attrSpan: this.span(c),
              span: this.lines.span(k[0]?.from ?? c.from, c.to),
            }
          : { kind: 'name', id: this.src(c), span: this.span(c) };
      } else if (c.name === 'ArgList' && expr) {
        expr = { kind: 'call', func: expr, args: this.argumentList(c), span: this.lines.span(k[0]?.from ?? c.from, c.to) };
      }
    }
    if (!expr) this.fault(node.from, node.to, 'invalid syntax');
    return expr;
  }

  private matchStatement(node: SyntaxNode, k: SyntaxNode[]): PyStmt {
    const bodyNode = k.find((c) => c.name === 'MatchBody');
    this.checkLines(node, bodyNode ? bodyNode.from : node.to);
    const subject = k.filter((c) => EXPRESSION_NODES.has(c.name)).map((c) => this.expression(c));
    const bodies: PyStmt[][] = [];
    const exprs = [...subject];
    if (bodyNode) {
      for (const clause of this.kids(bodyNode).filter((c) => c.name === 'MatchClause')) {
        const ck = this.kids(clause);
        // Literal patterns hold constants (`case 1:`); None/True/False patterns are singletons, not constants, in CPython's tree.
        for (const lit of this.descendants(clause, 'LiteralPattern')) {
          for (const c of this.kids(lit)) if (c.name === 'Number' || c.name === 'String') exprs.push(this.expression(c));
        }
        const guard = ck.find((c) => c.name === 'Guard');
        if (guard) for (const g of this.kids(guard)) if (EXPRESSION_NODES.has(g.name)) exprs.push(this.expression(g));
        bodies.push(this.body(ck.find((c) => c.name === 'Body')));
      }
    }
    return { kind: 'other', what: 'MatchStatement', exprs, bodies, span: this.span(node) };
  }

  /** Descendants named `name` of a node, not below a Body (patterns of one match clause). */
  private descendants(node: SyntaxNode, name: string): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    const stack = [node];
    while (stack.length) {
      const n = stack.pop() as SyntaxNode;
      for (const c of this.kids(n)) {
        if (c.name === name) out.push(c);
        else if (c.name !== 'Body') stack.push(c);
      }
    }
    return out;
  }

  // ---- expressions

  /** A comma-separated list (`a, *b`): one expression, or a tuple when there is a comma. */
  private expressionList(nodes: SyntaxNode[], parent: SyntaxNode): PyExpr {
    const items = splitCommas(nodes);
    const hasComma = nodes.some((n) => n.name === ',');
    if (items.length === 0 || (items.length === 1 && (items[0] as SyntaxNode[]).length === 0))
      this.fault(parent.from, parent.to, 'invalid syntax');
    const exprs = items.filter((i) => i.length > 0).map((i) => this.starOrExpression(i, parent));
    if (!hasComma && exprs.length === 1) {
      const only = exprs[0] as PyExpr;
      if (only.kind === 'starred') this.fault(parent.from, parent.to, "can't use starred expression here");
      return only;
    }
    const first = nodes[0] as SyntaxNode;
    const last = nodes[nodes.length - 1] as SyntaxNode;
    return { kind: 'tuple', items: exprs, span: this.lines.span(first.from, last.to) };
  }

  private onlyExpression(nodes: SyntaxNode[], parent: SyntaxNode): PyExpr {
    const e = nodes.filter((n) => EXPRESSION_NODES.has(n.name));
    if (e.length !== 1 || nodes.length !== 1) this.fault(parent.from, parent.to, 'invalid syntax');
    return this.expression(e[0] as SyntaxNode);
  }

  private starOrExpression(item: SyntaxNode[], parent: SyntaxNode): PyExpr {
    if (item[0]?.name === '*' && item.length === 2) {
      const value = this.expression(item[1] as SyntaxNode);
      return { kind: 'starred', value, span: this.lines.span(item[0].from, (item[1] as SyntaxNode).to) };
    }
    if (item.length !== 1) this.fault(parent.from, parent.to, 'invalid syntax');
    return this.expression(item[0] as SyntaxNode);
  }

  private expression(node: SyntaxNode): PyExpr {
    if (this.depth >= MAX_EXPRESSION_DEPTH) {
      if (this.depth === MAX_EXPRESSION_DEPTH) this.tooDeep(node);
      return { kind: 'other', what: 'too-deep', children: [], span: this.span(node) };
    }
    this.depth++;
    try {
      return this.expressionInner(node);
    } finally {
      this.depth--;
    }
  }

  private expressionInner(node: SyntaxNode): PyExpr {
    const span = this.span(node);
    if (node.type.isError) this.fault(node.from, node.to, 'invalid syntax');
    switch (node.name) {
      case 'VariableName':
        // A bare `yield`, renamed for Lezer (see lezerInput).
        if (this.src(node) === 'yield') return { kind: 'other', what: 'yield', children: [], span };
        return { kind: 'name', id: this.src(node), span };
      case 'Number':
        return this.number(node);
      case 'Boolean':
        return { kind: 'bool', value: this.src(node) === 'True', span };
      case 'None':
        return { kind: 'none', span };
      case 'Ellipsis':
        return { kind: 'ellipsis', span };
      case 'String':
      case 'FormatString':
        return this.strings([node], node);
      case 'ContinuedString':
        return this.strings(this.kids(node), node);
      case 'ParenthesizedExpression': {
        const inner = this.kids(node).filter((c) => c.name !== '(' && c.name !== ')');
        if (inner[0]?.name === 'YieldExpression') return this.expression(inner[0]);
        return this.starOrExpression(inner, node);
      }
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'SetExpression': {
        const inner = this.kids(node).slice(1, -1);
        const items = splitCommas(inner)
          .filter((i) => i.length > 0)
          .map((i) => this.starOrExpression(i, node));
        const kind = node.name === 'TupleExpression' ? 'tuple' : node.name === 'ArrayExpression' ? 'list' : 'set';
        return { kind, items, span };
      }
      case 'DictionaryExpression':
        return this.dictionary(node, span);
      case 'ComprehensionExpression':
      case 'ArrayComprehensionExpression':
      case 'SetComprehensionExpression':
      case 'DictionaryComprehensionExpression':
        return { kind: 'other', what: 'comprehension', children: this.childExpressions(node), span };
      case 'CallExpression': {
        const k = this.kids(node);
        const argList = k[k.length - 1] as SyntaxNode;
        return { kind: 'call', func: this.expression(k[0] as SyntaxNode), args: this.argumentList(argList), span };
      }
      case 'MemberExpression':
        return this.member(node, span);
      case 'BinaryExpression':
        return this.binary(node, span);
      case 'UnaryExpression': {
        const k = this.kids(node);
        const opText = this.src(k[0] as SyntaxNode);
        const op = opText === 'not' ? 'not' : (opText as '-' | '+' | '~');
        return { kind: 'unary', op, operand: this.expression(k[k.length - 1] as SyntaxNode), span };
      }
      case 'ConditionalExpression': {
        const k = this.kids(node).filter((c) => EXPRESSION_NODES.has(c.name));
        if (k.length !== 3) this.fault(node.from, node.to, 'invalid syntax');
        const [body, test, orelse] = k.map((c) => this.expression(c)) as [PyExpr, PyExpr, PyExpr];
        return { kind: 'ifexp', test, body, orelse, span };
      }
      case 'NamedExpression': {
        const k = this.kids(node);
        const target = k[0] as SyntaxNode;
        if (target.name !== 'VariableName') this.fault(node.from, node.to, 'cannot use assignment expressions with this target');
        return { kind: 'walrus', target: this.src(target), value: this.expression(k[k.length - 1] as SyntaxNode), span };
      }
      case 'LambdaExpression': {
        const children: PyExpr[] = [];
        const params = this.kids(node).find((c) => c.name === 'ParamList');
        if (params) this.parameters(this.kids(params), [], children);
        const body = this.kids(node).filter((c) => EXPRESSION_NODES.has(c.name));
        for (const b of body) children.push(this.expression(b));
        return { kind: 'other', what: 'lambda', children, span };
      }
      case 'AwaitExpression':
        return { kind: 'other', what: 'await', children: this.childExpressions(node), span };
      case 'YieldExpression':
        return { kind: 'other', what: 'yield', children: this.childExpressions(node), span };
      default:
        this.fault(node.from, node.to, 'invalid syntax');
    }
  }

  /** Every expression child (for nodes connlint does not evaluate but walks for calls). */
  private childExpressions(node: SyntaxNode): PyExpr[] {
    const out: PyExpr[] = [];
    for (const c of this.kids(node)) {
      if (EXPRESSION_NODES.has(c.name)) out.push(this.expression(c));
      else if (c.type.isError) this.fault(c.from, c.to, 'invalid syntax');
    }
    return out;
  }

  /** A number token as CPython reads it: its own form, and what follows it (`1if` is read, `1abc` and `0x1g` are not). */
  private checkNumber(from: number, to: number): string | undefined {
    const raw = this.text.slice(from, to);
    const n = decodeNumber(raw);
    let error = 'error' in n ? n.error : undefined;
    let end = to;
    while (end < this.text.length && /[A-Za-z0-9_]/.test(this.text[end] as string)) end++;
    const word = this.text.slice(to, end);
    if (!error && word && !['and', 'else', 'for', 'if', 'in', 'is', 'not', 'or'].includes(word)) {
      const base = /^0[xX]/.test(raw) ? 'hexadecimal' : /^0[oO]/.test(raw) ? 'octal' : /^0[bB]/.test(raw) ? 'binary' : 'decimal';
      error = `invalid ${base} literal`;
    }
    if (error) this.errors.push({ offset: from, end: Math.max(to, end), message: error });
    return error;
  }

  private number(node: SyntaxNode): PyExpr {
    const span = this.span(node);
    const n = decodeNumber(this.src(node));
    if ('error' in n) throw new SyntaxFault(n.error);
    if (n.kind === 'int') return { kind: 'int', value: n.value, span };
    if (n.kind === 'float') return { kind: 'float', value: n.value, span };
    return { kind: 'complex', imag: n.imag, span };
  }

  private dictionary(node: SyntaxNode, span: Span): PyExpr {
    const inner = this.kids(node).slice(1, -1);
    const items: PyDictItem[] = [];
    for (const item of splitCommas(inner)) {
      if (item.length === 0) continue;
      const first = item[0] as SyntaxNode;
      const last = item[item.length - 1] as SyntaxNode;
      const itemSpan = this.lines.span(first.from, last.to);
      if (first.name === '**' && item.length === 2) {
        items.push({ kind: 'spread', value: this.expression(item[1] as SyntaxNode), span: itemSpan });
      } else if (item.length === 3 && item[1]?.name === ':') {
        items.push({ kind: 'pair', key: this.expression(first), value: this.expression(last), span: itemSpan });
      } else {
        this.fault(first.from, last.to, 'invalid syntax');
      }
    }
    return { kind: 'dict', items, span };
  }

  private argumentList(argList: SyntaxNode): PyArgument[] {
    const inner = this.kids(argList).filter((c) => c.name !== '(' && c.name !== ')');
    const args: PyArgument[] = [];
    // A generator argument (`f(x for x in y)`): Lezer puts its parts, commas included, right in the ArgList.
    const forIndex = inner.findIndex((c) => c.name === 'for' || c.name === 'async');
    if (forIndex >= 0) {
      const first = inner[0] as SyntaxNode;
      const last = inner[inner.length - 1] as SyntaxNode;
      // Commas may only separate the targets between a `for` and its `in`.
      let inTargets = false;
      for (const c of inner) {
        if (c.name === 'for') inTargets = true;
        else if (c.name === 'in') inTargets = false;
        else if (c.name === ',' && !inTargets) this.fault(first.from, last.to, 'Generator expression must be parenthesized');
      }
      const span = this.lines.span(first.from, last.to);
      const children: PyExpr[] = [];
      for (const c of inner) if (EXPRESSION_NODES.has(c.name)) children.push(this.expression(c));
      return [{ kind: 'positional', value: { kind: 'other', what: 'comprehension', children, span }, span }];
    }
    const items = splitCommas(inner).filter((i) => i.length > 0);
    let seenKeyword = false;
    let seenDoubleStar = false;
    for (const item of items) {
      const first = item[0] as SyntaxNode;
      const last = item[item.length - 1] as SyntaxNode;
      const span = this.lines.span(first.from, last.to);
      if (first.name === '**' && item.length === 2) {
        seenDoubleStar = true;
        args.push({ kind: 'doubleStar', value: this.expression(last), span });
      } else if (first.name === '*' && item.length === 2) {
        if (seenDoubleStar) this.fault(first.from, last.to, 'iterable argument unpacking follows keyword argument unpacking');
        args.push({ kind: 'star', value: this.expression(last), span });
      } else if (item.length === 3 && item[1]?.name === 'AssignOp') {
        if (first.name !== 'VariableName') this.fault(first.from, last.to, 'expression cannot contain assignment, perhaps you meant "=="?');
        if (this.src(item[1]) === ':=') {
          args.push({ kind: 'positional', value: { kind: 'walrus', target: this.src(first), value: this.expression(last), span }, span });
          continue;
        }
        seenKeyword = true;
        args.push({ kind: 'keyword', name: this.src(first), nameSpan: this.span(first), value: this.expression(last), span });
      } else if (item.length === 1) {
        if (seenDoubleStar) this.fault(first.from, last.to, 'positional argument follows keyword argument unpacking');
        if (seenKeyword) this.fault(first.from, last.to, 'positional argument follows keyword argument');
        args.push({ kind: 'positional', value: this.expression(first), span });
      } else {
        this.fault(first.from, last.to, 'invalid syntax');
      }
    }
    return args;
  }

  private member(node: SyntaxNode, span: Span): PyExpr {
    const k = this.kids(node);
    const object = this.expression(k[0] as SyntaxNode);
    if (k[1]?.name === '.') {
      const prop = k[2];
      if (prop?.name !== 'PropertyName') this.fault(node.from, node.to, 'invalid syntax');
      return { kind: 'attribute', object, attr: this.src(prop), attrSpan: this.span(prop), span };
    }
    // Subscript: `[` items `]`; each item an expression or a slice.
    const inner = k.slice(2, -1);
    if (k[k.length - 1]?.name !== ']') this.fault(node.from, node.to, 'invalid syntax');
    const items = splitCommas(inner);
    const hasComma = inner.some((c) => c.name === ',');
    const indexes = items.filter((i) => i.length > 0).map((i) => this.subscriptItem(i, node));
    if (indexes.length === 0) this.fault(node.from, node.to, 'invalid syntax');
    const index: PyExpr =
      indexes.length === 1 && !hasComma
        ? (indexes[0] as PyExpr)
        : {
            kind: 'tuple',
            items: indexes,
            span: this.lines.span((inner[0] as SyntaxNode).from, (inner[inner.length - 1] as SyntaxNode).to),
          };
    return { kind: 'subscript', object, index, span };
  }

  private subscriptItem(item: SyntaxNode[], parent: SyntaxNode): PyExpr {
    if (!item.some((c) => c.name === ':')) return this.starOrExpression(item, parent);
    const parts: Array<PyExpr | undefined> = [undefined];
    for (const c of item) {
      if (c.name === ':') parts.push(undefined);
      else if (parts[parts.length - 1] === undefined) parts[parts.length - 1] = this.expression(c);
      else this.fault(c.from, c.to, 'invalid syntax');
    }
    if (parts.length > 3) this.fault(parent.from, parent.to, 'invalid syntax');
    const slice: PyExpr & { kind: 'slice' } = {
      kind: 'slice',
      span: this.lines.span((item[0] as SyntaxNode).from, (item[item.length - 1] as SyntaxNode).to),
    };
    if (parts[0]) slice.lower = parts[0];
    if (parts[1]) slice.upper = parts[1];
    if (parts[2]) slice.step = parts[2];
    return slice;
  }

  private tooDeep(node: SyntaxNode): void {
    this.notes.push({
      severity: 'note',
      message: `Expression nested more than ${MAX_EXPRESSION_DEPTH} levels deep: connlint does not read inside it`,
      span: this.span(node),
    });
  }

  private binary(node: SyntaxNode, span: Span): PyExpr {
    const k = this.kids(node);
    const leftNode = k[0] as SyntaxNode;
    const rightNode = k[k.length - 1] as SyntaxNode;
    // A chain Lezer cut short (cutChain): deeper than the conversion reads in any case.
    if (rightNode.type.isError && cutChain(rightNode, this.text)) {
      this.tooDeep(node);
      return { kind: 'other', what: 'too-deep', children: [], span };
    }
    if (k.length < 3 || !EXPRESSION_NODES.has(rightNode.name)) this.fault(node.from, node.to, 'invalid syntax');
    const opNodes = k.slice(1, -1);
    const op = opNodes.map((c) => this.src(c)).join(' ');
    const left = this.expression(leftNode);
    const right = this.expression(rightNode);
    if (op === 'and' || op === 'or') return { kind: 'boolop', op, left, right, span };
    if (op === '<>')
      this.fault(opNodes[0]?.from ?? node.from, opNodes[0]?.to ?? node.to, "invalid comparison operator '<>' (Python 2); use '!='");
    if (['<', '>', '==', '>=', '<=', '!=', 'in', 'not in', 'is', 'is not'].includes(op)) return { kind: 'compare', op, left, right, span };
    return { kind: 'binary', op, left, right, span };
  }

  // ---- strings

  /** One string literal or several adjacent ones (`"a" f"{b}" 'c'`), decoded as one value. */
  private strings(nodes: SyntaxNode[], whole: SyntaxNode): PyExpr {
    const span = this.span(whole);
    const outerNamedEscape = this.fstringNamedEscape;
    this.fstringNamedEscape = false;
    try {
      return this.stringsInner(nodes, whole, span);
    } finally {
      this.fstringNamedEscape = outerNamedEscape;
    }
  }

  private stringsInner(nodes: SyntaxNode[], whole: SyntaxNode, span: Span): PyExpr {
    let anyFormat = false;
    let anyBytes = false;
    let anyText = false;
    let namedEscape = false;
    const parts: PyFStringPart[] = [];
    let bytesValue = '';
    for (const node of nodes) {
      if (node.type.isError) this.fault(node.from, node.to, 'invalid syntax');
      if (node.name !== 'String' && node.name !== 'FormatString') this.fault(node.from, node.to, 'invalid syntax');
      const raw = this.src(node);
      const tok = stringToken(raw, node.from);
      if (!tok) this.fault(node.from, node.to, 'invalid syntax');
      if (!tok.terminated) {
        this.fault(
          node.from,
          node.to,
          tok.quote.length === 3 ? 'unterminated triple-quoted string literal' : 'unterminated string literal',
        );
      }
      if (tok.prefix.bytes) anyBytes = true;
      else anyText = true;
      if (anyBytes && anyText) this.fault(whole.from, whole.to, 'cannot mix bytes and nonbytes literals');
      if (tok.prefix.format) {
        anyFormat = true;
        this.formatParts(node, tok, parts);
        continue;
      }
      const body = this.text.slice(tok.bodyFrom, tok.bodyTo);
      if (tok.prefix.bytes) {
        const bad = firstNonAscii(body);
        if (bad >= 0) this.fault(tok.bodyFrom + bad, tok.bodyFrom + bad + 1, 'bytes can only contain ASCII literal characters');
      }
      const decoded = this.decodeBody(body, tok, node);
      if (decoded.namedEscape) namedEscape = true;
      if (tok.prefix.bytes) bytesValue += decoded.value;
      else pushText(parts, decoded.value);
    }
    if (anyBytes) return { kind: 'bytes', value: toBytes(bytesValue), span };
    if (anyFormat)
      return namedEscape || this.fstringNamedEscape
        ? { kind: 'fstring', parts, span, namedEscape: true }
        : { kind: 'fstring', parts, span };
    const value = parts.map((p) => (p.kind === 'text' ? p.value : '')).join('');
    return namedEscape ? { kind: 'str', value, span, namedEscape: true } : { kind: 'str', value, span };
  }

  private decodeBody(body: string, tok: StringToken, node: SyntaxNode): { value: string; namedEscape?: true } {
    if (tok.prefix.raw) return { value: normalizeNewlines(body) };
    const d = decodeEscapes(body, tok.prefix.bytes);
    if (d.error) this.fault(node.from, node.to, `(unicode error) ${d.error}`);
    return d;
  }

  /** Appends the parts of one f-string token: literal text between replacement fields, and the fields. */
  private formatParts(node: SyntaxNode, tok: StringToken, parts: PyFStringPart[]): void {
    let at = tok.bodyFrom;
    for (const field of this.kids(node)) {
      if (field.type.isError) this.fault(field.from, field.to, 'invalid syntax');
      if (field.name !== 'FormatReplacement') continue;
      this.formatLiteral(at, field.from, tok, node, parts);
      parts.push(this.formatField(field, tok, node, parts));
      at = field.to;
    }
    this.formatLiteral(at, tok.bodyTo, tok, node, parts);
  }

  private formatLiteral(from: number, to: number, tok: StringToken, node: SyntaxNode, parts: PyFStringPart[]): void {
    if (to <= from) return;
    const raw = this.text.slice(from, to);
    // `{{` and `}}` are literal braces; a single `}` is an error.
    let text = '';
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i];
      if (c === '{' || c === '}') {
        if (raw[i + 1] !== c)
          this.fault(from + i, from + i + 1, c === '}' ? "f-string: single '}' is not allowed" : "f-string: expecting '}'");
        text += c;
        i++;
      } else if (c === '\\' && !tok.prefix.raw) {
        // Keep escapes whole so that `\{` stays an (invalid, kept) escape and `\N{...}` is not split.
        if (raw[i + 1] === 'N' && raw[i + 2] === '{') {
          const close = raw.indexOf('}', i);
          text += raw.slice(i, close < 0 ? raw.length : close + 1);
          i = close < 0 ? raw.length : close;
        } else {
          text += raw.slice(i, i + 2);
          i++;
        }
      } else text += c;
    }
    const decoded = this.decodeBody(text, tok, node);
    if (decoded.namedEscape) this.fstringNamedEscape = true;
    pushText(parts, decoded.value);
  }

  private formatField(field: SyntaxNode, tok: StringToken, node: SyntaxNode, parts: PyFStringPart[]): PyFStringPart {
    const k = this.kids(field);
    const exprNodes: SyntaxNode[] = [];
    let conversion: 's' | 'r' | 'a' | undefined;
    let spec: PyFStringPart[] | undefined;
    let selfDoc: SyntaxNode | undefined;
    for (const c of k.slice(1)) {
      if (c.name === 'FormatSelfDoc') selfDoc = c;
      else if (c.name === 'FormatConversion') conversion = this.src(c).slice(1) as 's' | 'r' | 'a';
      else if (c.name === 'FormatSpec') spec = this.formatSpec(c, tok, node);
      else if (c.name === '}') break;
      else if (!selfDoc && !conversion && !spec) exprNodes.push(c);
      else this.fault(c.from, c.to, 'invalid syntax');
    }
    if (k[k.length - 1]?.name !== '}' && !spec) this.fault(field.from, field.to, "f-string: expecting '}'");
    if (exprNodes.length === 0) this.fault(field.from, field.to, 'f-string: empty expression not allowed');
    const value = exprNodes[0]?.name === 'YieldExpression' ? this.expression(exprNodes[0]) : this.expressionList(exprNodes, field);
    if (selfDoc) {
      // `{x=}` prints the expression's text, then its repr unless a conversion or spec is given.
      pushText(parts, this.text.slice(field.from + 1, this.endOfSelfDoc(selfDoc, k)));
      if (!conversion && !spec) conversion = 'r';
    }
    const part: PyFStringPart = { kind: 'field', value, span: this.span(field) };
    if (conversion) part.conversion = conversion;
    if (spec) part.spec = spec;
    return part;
  }

  /** The self-documenting text runs up to the conversion, the spec or the closing brace, spaces included. */
  private endOfSelfDoc(selfDoc: SyntaxNode, k: SyntaxNode[]): number {
    const after = k[k.indexOf(selfDoc) + 1];
    return after ? after.from : selfDoc.to;
  }

  private formatSpec(spec: SyntaxNode, tok: StringToken, node: SyntaxNode): PyFStringPart[] {
    const parts: PyFStringPart[] = [];
    let at = spec.from + 1;
    for (const c of this.kids(spec)) {
      if (c.name !== 'FormatReplacement') continue;
      if (c.from > at) pushText(parts, this.text.slice(at, c.from));
      parts.push(this.formatField(c, tok, node, parts));
      at = c.to;
    }
    if (spec.to > at) pushText(parts, this.text.slice(at, spec.to));
    return parts;
  }
}

function pushText(parts: PyFStringPart[], value: string): void {
  if (value === '') return;
  const last = parts[parts.length - 1];
  if (last?.kind === 'text') last.value += value;
  else parts.push({ kind: 'text', value });
}

/** Splits nodes at top-level commas (the nodes are siblings, so every comma is top-level). */
function splitCommas(nodes: SyntaxNode[]): SyntaxNode[][] {
  const out: SyntaxNode[][] = [[]];
  for (const n of nodes) {
    if (n.name === ',') out.push([]);
    else (out[out.length - 1] as SyntaxNode[]).push(n);
  }
  if (out.length > 1 && (out[out.length - 1] as SyntaxNode[]).length === 0) out.pop();
  return out;
}

function capitalize(s: string): string {
  return s.length ? (s[0] as string).toUpperCase() + s.slice(1) : s;
}

/** What CPython calls an expression that cannot be assigned to (or deleted), or undefined when it can. */
function invalidTarget(e: PyExpr, isDelete: boolean): string | undefined {
  switch (e.kind) {
    case 'name':
    case 'attribute':
    case 'subscript':
      return undefined;
    case 'starred':
      return isDelete ? 'starred' : invalidTarget(e.value, isDelete);
    case 'tuple':
    case 'list':
      for (const i of e.items) {
        const bad = invalidTarget(i, isDelete);
        if (bad) return bad;
      }
      return undefined;
    default:
      return describeTarget(e);
  }
}

function describeTarget(e: PyExpr): string {
  switch (e.kind) {
    case 'int':
    case 'float':
    case 'complex':
    case 'str':
    case 'bytes':
    case 'none':
    case 'ellipsis':
      return 'literal';
    case 'bool':
      return e.value ? 'True' : 'False';
    case 'call':
      return 'function call';
    case 'fstring':
      return 'f-string expression';
    case 'binary':
    case 'unary':
      return 'expression';
    case 'boolop':
      return 'expression';
    case 'compare':
      return 'comparison';
    case 'ifexp':
      return 'conditional expression';
    case 'dict':
      return 'dict literal';
    case 'set':
      return 'set display';
    case 'tuple':
      return 'tuple';
    case 'walrus':
      return 'named expression';
    case 'other':
      return e.what === 'lambda' ? 'lambda' : e.what === 'comprehension' ? 'comprehension' : 'expression';
    default:
      return 'expression';
  }
}

/**
 * Calls `visit` on every expression of a statement list, sub-expressions and nested statements included,
 * parents before children; when `visit` returns false, the expression's children are skipped. Iterative.
 */
export function walkExpressions(body: PyStmt[], visit: (e: PyExpr) => unknown): void {
  const stack: Array<PyStmt | PyExpr | PyFStringPart | PyArgument | PyDictItem> = [...body].reverse();
  const pushAll = (xs: Array<PyStmt | PyExpr | PyFStringPart | PyArgument | PyDictItem | undefined>) => {
    for (let i = xs.length - 1; i >= 0; i--) {
      const x = xs[i];
      if (x) stack.push(x);
    }
  };
  while (stack.length) {
    const n = stack.pop() as PyStmt | PyExpr | PyFStringPart | PyArgument | PyDictItem;
    switch (n.kind) {
      // statements
      case 'assign':
        pushAll([...n.targets, n.value, n.annotation]);
        break;
      case 'annotate':
        pushAll([n.target, n.annotation]);
        break;
      case 'augassign':
        pushAll([n.target, n.value]);
        break;
      case 'expr':
        pushAll([n.value]);
        break;
      case 'import':
      case 'from':
      case 'scope':
      case 'invalid':
        break;
      case 'if':
        pushAll([n.test, ...n.body, ...n.orelse]);
        break;
      case 'try':
        pushAll([...n.body, ...n.handlers.flatMap((h) => [h.type, ...h.body]), ...n.orelse, ...n.finalbody]);
        break;
      case 'with':
        pushAll([...n.items.flatMap((i) => [i.context, i.target]), ...n.body]);
        break;
      case 'for':
        pushAll([n.target, n.iter, ...n.body, ...n.orelse]);
        break;
      case 'while':
        pushAll([n.test, ...n.body, ...n.orelse]);
        break;
      case 'def':
        pushAll([...n.decorators, ...n.defaults, ...n.body]);
        break;
      case 'class':
        pushAll([...n.decorators, ...n.args, ...n.body]);
        break;
      case 'delete':
        pushAll(n.targets);
        break;
      case 'return':
        pushAll([n.value]);
        break;
      case 'other':
        if ('exprs' in n) pushAll([...n.exprs, ...n.bodies.flat()]);
        else if (visit(n) !== false) pushAll(n.children);
        break;
      // parts
      case 'text':
        break;
      case 'field':
        pushAll([n.value, ...(n.spec ?? [])]);
        break;
      case 'positional':
      case 'star':
      case 'doubleStar':
      case 'keyword':
      case 'spread':
        pushAll([n.value]);
        break;
      case 'pair':
        pushAll([n.key, n.value]);
        break;
      // expressions
      default:
        if (visit(n) !== false) pushAll(subExpressions(n));
    }
  }
}

/** Direct sub-expressions (and argument / f-string parts) of an expression. */
function subExpressions(e: PyExpr): Array<PyExpr | PyFStringPart | PyArgument | PyDictItem | undefined> {
  switch (e.kind) {
    case 'fstring':
      return e.parts;
    case 'attribute':
      return [e.object];
    case 'subscript':
      return [e.object, e.index];
    case 'slice':
      return [e.lower, e.upper, e.step];
    case 'call':
      return [e.func, ...e.args];
    case 'binary':
    case 'boolop':
    case 'compare':
      return [e.left, e.right];
    case 'unary':
      return [e.operand];
    case 'ifexp':
      return [e.body, e.test, e.orelse];
    case 'dict':
      return e.items;
    case 'list':
    case 'tuple':
    case 'set':
      return e.items;
    case 'starred':
    case 'walrus':
      return [e.value];
    case 'other':
      return e.children;
    default:
      return [];
  }
}
