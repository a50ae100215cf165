/**
 * `.env` files as Prisma reads them (prisma.md, "Syntax and parsing facts": the classic CLI and the
 * `prisma-client-js` runtime load them with dotenv, then Prisma's own copy of dotenv-expand). Prisma 6.x
 * bundles dotenv 16.4.7 (prisma/prisma packages/internals/package.json); this is dotenv 16's `parse`:
 * - CR LF and lone CR become LF first;
 * - a line is `[export ]NAME=value` or `NAME: value` (a colon needs white space after it); NAME is
 *   letters, digits, `_`, `.`, `-`; any other line is skipped without a word;
 * - a value quoted with `'`, `"` or `` ` `` runs to the matching quote, line breaks included, and must be
 *   followed only by blanks and an optional `# comment`; `\'`-style escaped quotes do not end it;
 * - otherwise the value is the rest of the line up to the first `#` (so `a#b` is `a`), trimmed;
 * - surrounding quotes are removed; inside double quotes only `\n` and `\r` are expanded;
 * - `NAME=` followed by a line that starts with a quote takes that quoted line as its value (the pattern
 *   lets white space, line breaks included, precede the opening quote);
 * - a later line with the same NAME replaces an earlier one.
 * The line pattern is dotenv's own grammar, written out below as a regular expression; like dotenv, an
 * unterminated quote makes the pattern scan to the end of the file before it falls back to the
 * unquoted reading, so a file with very many unterminated quotes costs quadratic time (the 4 MiB file
 * limit bounds it). Expansion (`${NAME}`) is `expandPrismaDotenv`.
 */
import type { Span } from '../model/span.js';
import type { ParseResult } from './parse-result.js';

export interface DotenvNodeValue {
  /** The value the program gets: trimmed, quotes removed, `\n`/`\r` expanded in double quotes. */
  text: string;
  /** As written (trimmed), quotes included. */
  raw: string;
  quote: 'none' | 'single' | 'double' | 'backtick';
  /** The raw value's span. */
  span: Span;
  /** Where `text[from, to)` is written, when each character of that range is written as itself on one line. */
  spanOf: (from: number, to: number) => Span | undefined;
  /** Set when the text holds `${NAME}` that Prisma's expansion replaces. */
  interpolates: boolean;
}

export interface DotenvNodeEntry {
  key: string;
  keySpan: Span;
  value: DotenvNodeValue;
  /** From the key (or `export`) to the end of the value. */
  span: Span;
}

export interface DotenvNodeDoc {
  /** Every assignment in file order; `dotenvNodeGet` gives the one in force (the last). */
  entries: DotenvNodeEntry[];
}

/** The assignment in force for `key`: the last one, as dotenv's parse keeps. */
export function dotenvNodeGet(doc: DotenvNodeDoc, key: string): DotenvNodeEntry | undefined {
  for (let i = doc.entries.length - 1; i >= 0; i--) if (doc.entries[i]?.key === key) return doc.entries[i];
  return undefined;
}

// dotenv 16 lib/main.js LINE, as a grammar: `^` and `$` at line boundaries, `d` for the match indices.
const LINE =
  /^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?$/dgm;
const TRIMMED = /^\s*([\s\S]*?)\s*$/;
const INTERPOLATION = /(^|[^\\])\$\{[a-zA-Z0-9_]*\}/;

/** Parses one `.env` file as dotenv 16 does. Never throws; dotenv reports nothing, so neither does this. */
export function parseDotenvNode(path: string, input: string): ParseResult<DotenvNodeDoc> {
  // Offsets in the normalized text map back to the file's own (a CR LF pair counts as its LF).
  const origin: number[] = [];
  let text = '';
  for (let i = 0; i < input.length; i++) {
    const c = input.charAt(i);
    if (c === '\r') {
      origin.push(input.charAt(i + 1) === '\n' ? i + 1 : i);
      text += '\n';
      if (input.charAt(i + 1) === '\n') i++;
      continue;
    }
    origin.push(i);
    text += c;
  }
  origin.push(input.length);
  const starts: number[] = [0];
  for (let i = input.indexOf('\n'); i >= 0; i = input.indexOf('\n', i + 1)) starts.push(i + 1);
  // A lone CR also ends a line for an editor and for dotenv.
  for (let i = input.indexOf('\r'); i >= 0; i = input.indexOf('\r', i + 1)) if (input.charAt(i + 1) !== '\n') starts.push(i + 1);
  starts.sort((a, b) => a - b);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  /** Span of normalized offsets [from, to). */
  const span = (from: number, to: number): Span => {
    const a = origin[from] as number;
    const end = Math.max(to, from);
    const b = end > from ? (origin[end - 1] as number) + 1 : a;
    const la = lineOf(a);
    const lb = lineOf(Math.max(b - 1, a));
    return { path, line: la + 1, column: a - (starts[la] as number) + 1, endLine: lb + 1, endColumn: b - (starts[lb] as number) + 1 };
  };

  const entries: DotenvNodeEntry[] = [];
  LINE.lastIndex = 0;
  for (let m = LINE.exec(text); m !== null; m = LINE.exec(text)) {
    const indices = m.indices as RegExpIndicesArray;
    const [keyFrom, keyTo] = indices[1] as [number, number];
    const group = indices[2];
    let valueFrom = keyTo;
    let valueTo = keyTo;
    let raw = '';
    if (group) {
      const whole = m[2] as string;
      const t = TRIMMED.exec(whole) as RegExpExecArray;
      raw = t[1] as string;
      valueFrom = group[0] + whole.indexOf(raw);
      valueTo = valueFrom + raw.length;
    }
    const first = raw.charAt(0);
    const quoted = raw.length >= 2 && (first === '"' || first === "'" || first === '`') && raw.charAt(raw.length - 1) === first;
    let value = quoted ? raw.slice(1, -1) : raw;
    const inner = quoted ? valueFrom + 1 : valueFrom;
    // Each text offset maps to a written offset until the first expanded escape.
    let exactUpTo = value.length;
    if (first === '"') {
      const firstEscape = value.search(/\\[nr]/);
      if (firstEscape >= 0) exactUpTo = firstEscape;
      value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    }
    const spanOf = (from: number, to: number): Span | undefined => {
      if (from < 0 || to < from || to > exactUpTo) return undefined;
      const s = span(inner + from, inner + to);
      return s.line === s.endLine ? s : undefined;
    };
    const quote = quoted ? (first === '"' ? 'double' : first === "'" ? 'single' : 'backtick') : 'none';
    const keyStart = m.index + (/^\s*/.exec(m[0]) as RegExpExecArray)[0].length;
    entries.push({
      key: m[1] as string,
      keySpan: span(keyFrom, keyTo),
      value: { text: value, raw, quote, span: span(valueFrom, valueTo), spanOf, interpolates: INTERPOLATION.test(value) },
      span: span(keyStart, Math.max(valueTo, keyTo)),
    });
  }
  return { doc: { entries }, problems: [] };
}

/**
 * `${NAME}` expansion as Prisma's dotenvExpand (packages/internals/src/dotenvExpand.ts) does it: only the
 * braced form (`$NAME` stays as written); `\${NAME}` becomes a literal `${NAME}`; a name is replaced by the
 * variable's value, expanded in turn. A real environment variable wins over the files in Prisma; statically
 * `lookup` answers from the files, and a name it does not know (or a reference loop) leaves the result
 * unknown. Prisma replaces the first occurrence of each reference in turn; this replaces left to right,
 * which gives the same text unless a replacement itself contains a later reference's text.
 */
export function expandPrismaDotenv(value: string, lookup: (name: string) => string | undefined): { text: string } | { unknown: string } {
  const seen: string[] = [];
  const expand = (text: string, depth: number): string | { unknown: string } => {
    if (depth > 16) return { unknown: `\${...} references loop (${seen.join(' -> ')})` };
    let out = '';
    let last = 0;
    for (const m of text.matchAll(/(.?)\$\{([a-zA-Z0-9_]*)\}/g)) {
      const prefix = m[1] as string;
      const at = (m.index as number) + prefix.length;
      if (prefix === '\\') {
        out += `${text.slice(last, at - 1)}${m[0].slice(1)}`;
        last = at + m[0].length - 1;
        continue;
      }
      const name = m[2] as string;
      const found = name === '' ? '' : lookup(name);
      if (found === undefined)
        return { unknown: `it uses \${${name}}, which no .env file Prisma reads sets (it may come from the environment)` };
      seen.push(name);
      const inner = expand(found, depth + 1);
      if (typeof inner !== 'string') return inner;
      out += `${text.slice(last, at)}${inner}`;
      last = at + m[0].length - prefix.length;
    }
    return out + text.slice(last);
  };
  const r = expand(value, 0);
  return typeof r === 'string' ? { text: r } : r;
}
