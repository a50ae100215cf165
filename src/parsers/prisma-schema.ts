/**
 * The subset of the Prisma schema language connlint needs (prisma.md, "schema.prisma datasource block"):
 * `datasource` and `generator` blocks with their `key = value` properties, read exactly and with a span
 * for every key and value; `model`, `enum`, `view` and `type` blocks are skipped (strings and comments
 * inside them honoured, so a `"}"` in a default does not end the block).
 *
 * Grammar as the Prisma schema parser reads it (prisma-engines psl/schema-ast, datamodel.pest):
 * - `//` comments and `///` documentation comments run to the end of the line;
 * - a block header (`datasource db {`) is one line; each property is `key = expression` on its own line;
 * - an expression is a string (`"..."` with backslash escapes, no line break inside), a number, an array
 *   `[a, b]` (line breaks and a trailing comma allowed), a function call `env("X")`, or a bare name
 *   (`true`, `false`, a constant).
 * Problems are what Prisma rejects (P1012 at `prisma validate` / `prisma generate`). What the knowledge base
 * confirms is an error; what it does not (a duplicate property, a second datasource, an unknown escape) is a
 * warning that says it was not confirmed. The parser never throws and does work linear in the text.
 */
import type { Span } from '../model/span.js';
import { levenshtein } from '../interpreters/edit-distance.js';
import type { ParseProblem, ParseResult } from './parse-result.js';

export type PrismaValue =
  /** `"..."`: `value` with escapes applied, `raw` as written (quotes included). */
  | { kind: 'string'; value: string; raw: string; span: Span }
  | { kind: 'number'; value: number; raw: string; span: Span }
  | { kind: 'boolean'; value: boolean; span: Span }
  /** `env("NAME")`: `nameSpan` is the string literal's span. */
  | { kind: 'env'; name: string; nameSpan: Span; span: Span }
  /** Any other call (`dbgenerated("...")`), arguments as read. */
  | { kind: 'call'; name: string; args: PrismaValue[]; span: Span }
  | { kind: 'array'; items: PrismaValue[]; span: Span }
  /** A bare name other than true/false (`native`, `foreignKeys`). */
  | { kind: 'name'; name: string; span: Span }
  /** Text that is no expression (a problem says why). */
  | { kind: 'invalid'; raw: string; span: Span };

export interface PrismaProperty {
  key: string;
  keySpan: Span;
  value: PrismaValue;
  /** `key = value`, from the key to the end of the value. */
  span: Span;
}

export interface PrismaBlock {
  kind: 'datasource' | 'generator';
  name: string;
  nameSpan: Span;
  /** From the keyword to the closing brace (to the end of the text when it is missing). */
  span: Span;
  /** In source order; a duplicate key keeps both entries (see `prismaProperty`). */
  properties: PrismaProperty[];
}

export interface PrismaSchemaDoc {
  datasources: PrismaBlock[];
  generators: PrismaBlock[];
  /** Blocks read past without interpreting them (`model User`, `enum Role`). */
  skipped: Array<{ kind: string; name: string; span: Span }>;
}

/** The last property of that key (Prisma reports a duplicate; connlint keeps reading with the last one). */
export function prismaProperty(block: PrismaBlock, key: string): PrismaProperty | undefined {
  let found: PrismaProperty | undefined;
  for (const p of block.properties) if (p.key === key) found = p;
  return found;
}

/** Providers `prisma validate` accepts (prisma.md, "C. schema.prisma datasource block", confirmed with 7.10.1). */
export const PRISMA_PROVIDERS = ['postgresql', 'postgres', 'mysql', 'sqlite', 'sqlserver', 'mongodb', 'cockroachdb'] as const;

/**
 * Datasource properties Prisma knows. prisma.md lists provider, url, directUrl, shadowDatabaseUrl,
 * relationMode and referentialIntegrity; `extensions` (postgresqlExtensions) and `schemas` (multiSchema) are
 * documented Prisma properties that prisma.md does not list, kept here so they are never called unknown.
 */
const DATASOURCE_KEYS = new Set([
  'provider',
  'url',
  'directUrl',
  'shadowDatabaseUrl',
  'relationMode',
  'referentialIntegrity',
  'extensions',
  'schemas',
]);

const FACT = 'prisma.md, "C. schema.prisma datasource block"';

/** ". Did you mean X?" for a datasource property within two edits of a known one. */
function nearestKey(key: string): string {
  const near = [...DATASOURCE_KEYS].find((k) => levenshtein(k.toLowerCase(), key.toLowerCase()) <= 2);
  return near ? `. Did you mean ${near}?` : '';
}
const SKIPPED_BLOCKS = new Set(['model', 'enum', 'view', 'type']);
const MAX_DEPTH = 32;

const isIdentStart = (c: string) => /[A-Za-z_]/.test(c);
const isIdent = (c: string) => /[A-Za-z0-9_]/.test(c);
const isBlank = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff';

class Reader {
  pos = 0;
  /** Loop iterations, for the robustness test: the work must stay linear in the text. */
  steps = 0;
  readonly problems: ParseProblem[] = [];
  private readonly starts: number[] = [0];

  constructor(
    readonly path: string,
    readonly src: string,
  ) {
    for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) this.starts.push(i + 1);
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
    const end = Math.max(to, from);
    const a = this.lineOf(from);
    const b = this.lineOf(Math.max(end - 1, from));
    return {
      path: this.path,
      line: a + 1,
      column: from - (this.starts[a] as number) + 1,
      endLine: b + 1,
      endColumn: end - (this.starts[b] as number) + 1,
    };
  }

  get done(): boolean {
    return this.pos >= this.src.length;
  }

  peek(offset = 0): string {
    return this.src.charAt(this.pos + offset);
  }

  problem(severity: ParseProblem['severity'], message: string, from: number, to: number): void {
    this.problems.push({ severity, message, span: this.span(from, Math.max(to, from + 1)) });
  }

  /** Skips spaces and tabs (not line breaks). */
  blanks(): void {
    while (!this.done && isBlank(this.peek())) {
      this.steps++;
      this.pos++;
    }
  }

  /** Skips blanks, line breaks and comments. */
  space(): void {
    for (;;) {
      this.steps++;
      const c = this.peek();
      if (c === '\n' || (c !== '' && isBlank(c))) this.pos++;
      else if (c === '/' && this.peek(1) === '/') this.toLineEnd();
      else return;
    }
  }

  /** Moves to the line break that ends the current line (or the end of the text). */
  toLineEnd(): void {
    const nl = this.src.indexOf('\n', this.pos);
    this.steps += (nl < 0 ? this.src.length : nl) - this.pos + 1;
    this.pos = nl < 0 ? this.src.length : nl;
  }

  /** The end of the current line's content, without a trailing CR. */
  lineEnd(from = this.pos): number {
    const nl = this.src.indexOf('\n', from);
    let end = nl < 0 ? this.src.length : nl;
    if (end > from && this.src.charAt(end - 1) === '\r') end--;
    return end;
  }

  identifier(): string | undefined {
    if (!isIdentStart(this.peek())) return undefined;
    const from = this.pos;
    while (!this.done && isIdent(this.peek())) {
      this.steps++;
      this.pos++;
    }
    return this.src.slice(from, this.pos);
  }

  /** After a value: only blanks and a comment may follow on the line; true when the line ended cleanly. */
  endOfLine(what: string): boolean {
    this.blanks();
    const c = this.peek();
    if (c === '' || c === '\n') return true;
    if (c === '/' && this.peek(1) === '/') {
      this.toLineEnd();
      return true;
    }
    if (c === '}') return true;
    const end = this.lineEnd();
    this.problem(
      'error',
      `Unexpected text after ${what}: ${JSON.stringify(this.src.slice(this.pos, end))}; Prisma rejects this line (P1012)`,
      this.pos,
      end,
    );
    this.toLineEnd();
    return false;
  }
}

/** Escapes Prisma's string literals take (schema-ast `parse_string_literal`); any other is reported. */
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', r: '\r', t: '\t', '0': '\0' };

function readString(r: Reader): PrismaValue {
  const from = r.pos;
  r.pos++;
  let value = '';
  for (;;) {
    r.steps++;
    const c = r.peek();
    if (c === '' || c === '\n') {
      r.problem('error', 'This string is not closed before the end of the line; Prisma rejects the schema (P1012)', from, r.lineEnd(from));
      const end = r.lineEnd(from);
      r.pos = end;
      return { kind: 'invalid', raw: r.src.slice(from, end), span: r.span(from, end) };
    }
    if (c === '"') {
      r.pos++;
      break;
    }
    if (c === '\\') {
      const e = r.peek(1);
      const known = ESCAPES[e];
      if (known !== undefined) {
        value += known;
        r.pos += 2;
        continue;
      }
      const hex = /^u([0-9A-Fa-f]{4})/.exec(r.src.slice(r.pos + 1, r.pos + 6));
      if (hex) {
        value += String.fromCharCode(Number.parseInt(hex[1] as string, 16));
        r.pos += 6;
        continue;
      }
      if (e === '' || e === '\n') {
        r.pos++;
        continue;
      }
      r.problem(
        'warning',
        `Unknown escape sequence \\${e} in a string (a Windows path needs \\\\); Prisma's parser is expected to reject it (not confirmed in the knowledge base)`,
        r.pos,
        r.pos + 2,
      );
      value += e;
      r.pos += 2;
      continue;
    }
    value += c;
    r.pos++;
  }
  return { kind: 'string', value, raw: r.src.slice(from, r.pos), span: r.span(from, r.pos) };
}

function readNumber(r: Reader): PrismaValue | undefined {
  const m = /^-?[0-9]+(\.[0-9]+)?/.exec(r.src.slice(r.pos, r.pos + 64));
  if (!m) return undefined;
  const from = r.pos;
  r.pos += m[0].length;
  r.steps += m[0].length;
  return { kind: 'number', value: Number(m[0]), raw: m[0], span: r.span(from, r.pos) };
}

function invalid(r: Reader, from: number, message: string): PrismaValue {
  // A closing brace stays for the block to read, so one bad value does not swallow the block's end.
  const end = r.src.charAt(from) === '}' ? from : r.lineEnd(from);
  r.problem('error', `${message}; Prisma rejects the schema (P1012)`, from, end);
  r.pos = end;
  return { kind: 'invalid', raw: r.src.slice(from, end), span: r.span(from, end) };
}

/** A comma-separated list up to `close`, line breaks and comments allowed between items. */
function readList(r: Reader, close: string, depth: number, what: string): PrismaValue[] | undefined {
  const items: PrismaValue[] = [];
  for (;;) {
    r.steps++;
    r.space();
    const c = r.peek();
    if (c === close) {
      r.pos++;
      return items;
    }
    if (c === '') {
      r.problem('error', `This ${what} is not closed with ${close}; Prisma rejects the schema (P1012)`, r.pos, r.pos);
      return undefined;
    }
    // Named arguments (`map: "x"` in attributes) are read as their value.
    const named = /^([A-Za-z_][A-Za-z0-9_]*)[ \t]*:/.exec(r.src.slice(r.pos, r.pos + 128));
    if (named && close === ')') r.pos += named[0].length;
    r.blanks();
    const item = readExpression(r, depth + 1);
    items.push(item);
    if (item.kind === 'invalid') return undefined;
    r.space();
    if (r.peek() === ',') r.pos++;
    else if (r.peek() !== close) {
      if (r.done) continue;
      const end = r.lineEnd();
      r.problem('error', `Expected , or ${close} in this ${what}; Prisma rejects the schema (P1012)`, r.pos, end);
      r.pos = end;
      return undefined;
    }
  }
}

function readExpression(r: Reader, depth = 0): PrismaValue {
  const from = r.pos;
  if (depth > MAX_DEPTH) return invalid(r, from, 'Expressions are nested too deeply');
  const c = r.peek();
  if (c === '"') return readString(r);
  if (c === '[') {
    r.pos++;
    const items = readList(r, ']', depth, 'array');
    if (!items) return { kind: 'invalid', raw: r.src.slice(from, r.pos), span: r.span(from, r.pos) };
    return { kind: 'array', items, span: r.span(from, r.pos) };
  }
  if (c === '-' || /[0-9]/.test(c)) return readNumber(r) ?? invalid(r, from, `This is not a value: ${JSON.stringify(c)}`);
  let name = r.identifier();
  if (name === undefined)
    return invalid(
      r,
      from,
      c === '' || c === '\n' ? 'A value is missing after =' : `This is not a value: ${JSON.stringify(r.src.slice(from, r.lineEnd(from)))}`,
    );
  // Dotted names (`db.VarChar`) as one name.
  while (r.peek() === '.' && isIdentStart(r.peek(1))) {
    r.pos++;
    name += `.${r.identifier() ?? ''}`;
  }
  if (r.peek() === '(') {
    r.pos++;
    const args = readList(r, ')', depth, 'argument list');
    if (!args) return { kind: 'invalid', raw: r.src.slice(from, r.pos), span: r.span(from, r.pos) };
    const span = r.span(from, r.pos);
    if (name === 'env') {
      const arg = args[0];
      if (args.length === 1 && arg?.kind === 'string') return { kind: 'env', name: arg.value, nameSpan: arg.span, span };
      r.problem(
        'error',
        'env() takes exactly one string argument, the name of the variable; Prisma rejects the schema (P1012)',
        from,
        r.pos,
      );
      return { kind: 'invalid', raw: r.src.slice(from, r.pos), span };
    }
    return { kind: 'call', name, args, span };
  }
  const span = r.span(from, r.pos);
  if (name === 'true' || name === 'false') return { kind: 'boolean', value: name === 'true', span };
  return { kind: 'name', name, span };
}

function readBlock(r: Reader, kind: 'datasource' | 'generator', keywordAt: number): PrismaBlock | undefined {
  r.blanks();
  const nameAt = r.pos;
  const name = r.identifier();
  const fail = (message: string): undefined => {
    const hasBody = r.src.slice(r.pos, r.lineEnd()).includes('{');
    invalid(r, r.pos, message);
    // The block's lines are read past as a whole, so they do not each report.
    if (hasBody) {
      r.pos = keywordAt;
      r.identifier();
      skipBlock(r, kind, keywordAt);
    }
    return undefined;
  };
  if (name === undefined) return fail(`A ${kind} block needs a name after the keyword`);
  const nameSpan = r.span(nameAt, r.pos);
  r.blanks();
  if (r.peek() !== '{') return fail(`Expected { after ${kind} ${name} on the same line`);
  r.pos++;
  r.endOfLine(`the { of ${kind} ${name}`);
  const properties: PrismaProperty[] = [];
  for (;;) {
    r.steps++;
    r.space();
    const c = r.peek();
    if (c === '}') {
      r.pos++;
      r.endOfLine(`the } of ${kind} ${name}`);
      return { kind, name, nameSpan, span: r.span(keywordAt, r.pos), properties };
    }
    if (c === '') {
      r.problem('error', `${kind} ${name} is not closed with }; Prisma rejects the schema (P1012)`, keywordAt, r.lineEnd(keywordAt));
      return { kind, name, nameSpan, span: r.span(keywordAt, r.pos), properties };
    }
    const keyAt = r.pos;
    const key = r.identifier();
    if (key === undefined) {
      invalid(r, keyAt, `This line is not a valid definition within ${kind} ${name}`);
      continue;
    }
    const keySpan = r.span(keyAt, r.pos);
    r.blanks();
    if (r.peek() !== '=') {
      invalid(r, keyAt, `This line is not a valid definition within ${kind} ${name}: expected = after ${key}`);
      continue;
    }
    r.pos++;
    r.blanks();
    const value = readExpression(r);
    properties.push({ key, keySpan, value, span: r.span(keyAt, r.pos) });
    if (value.kind !== 'invalid') r.endOfLine(`the value of ${key}`);
  }
}

/** Reads past a model/enum/view/type block: braces are counted outside strings and comments. */
function skipBlock(r: Reader, kind: string, keywordAt: number): { kind: string; name: string; span: Span } | undefined {
  r.blanks();
  const name = r.identifier() ?? '';
  const end = r.lineEnd();
  const open = r.src.slice(r.pos, end).indexOf('{');
  if (open < 0) {
    // `type Alias = String` (an old type alias) has no block: the line is the definition.
    r.toLineEnd();
    return { kind, name, span: r.span(keywordAt, end) };
  }
  r.pos += open + 1;
  let depth = 1;
  while (!r.done) {
    r.steps++;
    const c = r.peek();
    if (c === '"') {
      const close = r.lineEnd();
      let i = r.pos + 1;
      while (i < close && r.src.charAt(i) !== '"') i += r.src.charAt(i) === '\\' ? 2 : 1;
      r.steps += i - r.pos;
      r.pos = Math.min(i + 1, close);
      continue;
    }
    if (c === '/' && r.peek(1) === '/') {
      r.toLineEnd();
      continue;
    }
    r.pos++;
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return { kind, name, span: r.span(keywordAt, r.pos) };
  }
  r.problem('error', `${kind} ${name} is not closed with }; Prisma rejects the schema (P1012)`, keywordAt, r.lineEnd(keywordAt));
  return { kind, name, span: r.span(keywordAt, r.pos) };
}

/** What Prisma rejects or warns about in a datasource block, whatever the version (url under Prisma 7 is the interpreter's). */
function checkDatasource(r: Reader, block: PrismaBlock): void {
  const seen = new Map<string, PrismaProperty>();
  for (const p of block.properties) {
    const first = seen.get(p.key);
    if (first) {
      // prisma-engines psl parser-database names.rs `check_for_duplicate_properties` (datasources and generators):
      // a validation error, so prisma generate / validate / migrate refuse the schema. Not in the knowledge base yet.
      r.problems.push({
        severity: 'error',
        ruleId: 'startup-failure',
        span: p.keySpan,
        message: `${p.key} is defined twice in datasource ${block.name} (first at line ${first.keySpan.line}); Prisma rejects the schema (P1012: Key "${p.key}" is already defined in datasource "${block.name}".). Keep one`,
      });
    } else seen.set(p.key, p);
    if (!DATASOURCE_KEYS.has(p.key)) {
      r.problems.push({
        severity: 'error',
        ruleId: 'unknown-setting',
        span: p.keySpan,
        code: 'unknown-key',
        message: `Property not known: "${p.key}". Prisma rejects the schema (P1012; ${FACT}, confirmed with prisma 6.19.3)${nearestKey(p.key)}`,
      });
    }
    if (p.key === 'referentialIntegrity') {
      // Renamed, still read: the key Prisma knows under another name (unknown-setting covers renamed keys).
      r.problems.push({
        severity: 'warning',
        ruleId: 'unknown-setting',
        span: p.keySpan,
        message: `The \`referentialIntegrity\` attribute is deprecated. Please use \`relationMode\` instead (Prisma's own warning; ${FACT})`,
      });
    }
  }
  const provider = prismaProperty(block, 'provider');
  if (!provider) {
    r.problems.push({
      severity: 'warning',
      ruleId: 'startup-failure',
      span: block.nameSpan,
      message: `datasource ${block.name} has no provider; Prisma is expected to reject it (not confirmed in the knowledge base)`,
    });
  } else if (provider.value.kind === 'string' && !(PRISMA_PROVIDERS as readonly string[]).includes(provider.value.value)) {
    r.problems.push({
      severity: 'error',
      ruleId: 'startup-failure',
      span: provider.value.span,
      message: `Datasource provider not known: "${provider.value.value}". Prisma rejects the schema (P1012; ${FACT}); MariaDB uses provider "mysql"`,
    });
  }
}

/** Parses the text of a schema.prisma file; the returned `steps` count is the work done (for the robustness test). */
export function parsePrismaSchemaCounted(path: string, text: string): { result: ParseResult<PrismaSchemaDoc>; steps: number } {
  const r = new Reader(path, text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text);
  const doc: PrismaSchemaDoc = { datasources: [], generators: [], skipped: [] };
  for (;;) {
    r.steps++;
    r.space();
    if (r.done) break;
    const at = r.pos;
    const keyword = r.identifier();
    if (keyword === 'datasource' || keyword === 'generator') {
      const block = readBlock(r, keyword, at);
      if (block) (keyword === 'datasource' ? doc.datasources : doc.generators).push(block);
      continue;
    }
    if (keyword !== undefined && SKIPPED_BLOCKS.has(keyword)) {
      const skipped = skipBlock(r, keyword, at);
      if (skipped) doc.skipped.push(skipped);
      continue;
    }
    const end = r.lineEnd(at);
    r.problem('error', 'This line is invalid. It does not start with any known Prisma schema keyword (P1012)', at, end);
    // A block under an unknown keyword is read past as a whole, so its lines do not each report.
    if (r.src.slice(at, end).includes('{')) {
      r.pos = at;
      r.identifier();
      skipBlock(r, keyword ?? '', at);
    } else {
      r.pos = Math.max(end, at + 1);
    }
  }
  for (const block of doc.datasources) checkDatasource(r, block);
  const second = doc.datasources[1];
  if (second) {
    r.problems.push({
      severity: 'warning',
      ruleId: 'startup-failure',
      span: second.nameSpan,
      message: `A second datasource (${second.name}); Prisma is expected to allow only one per schema (not confirmed in the knowledge base)`,
    });
  }
  return { result: { doc, problems: r.problems }, steps: r.steps };
}

/** Parses the text of a schema.prisma file. Never throws. */
export function parsePrismaSchema(path: string, text: string): ParseResult<PrismaSchemaDoc> {
  return parsePrismaSchemaCounted(path, text).result;
}
