import { lineSpan, type Span } from '../model/span.js';

/*
 * Inline suppression comments (docs/suppression.md): `connlint-disable-next-line <id>[, <id>] -- reason`,
 * `connlint-disable-line ...` (a trailing comment, where the syntax has them) and `connlint-disable-file ...`,
 * written in the comment syntax of the file they sit in. This module only finds them; suppress.ts applies them.
 */

/**
 * How comments are written, by the programs that read each kind of file:
 * - `hash-semicolon`: `#` or `;` first on the line (MySQL option files, sysctl.d, configparser .ini);
 * - `properties`: `#` or `!` first on the line, not on a continuation line (java.util.Properties);
 * - `dotenv`: `#` first on the line;
 * - `yaml`: `#` first on the line or after a space, outside quoted scalars and block scalars;
 * - `python`: `#` anywhere outside a string literal;
 * - `slashes`: `//` to the end of the line and `/* ... *\/`, outside string literals (JS/TS, Prisma).
 */
export type CommentSyntax = 'hash-semicolon' | 'properties' | 'dotenv' | 'yaml' | 'python' | 'slashes';

/** The comment syntax of each format id (the kind a file was read as); formats reading several syntaxes go by extension. */
const SYNTAX_BY_KIND: Record<string, CommentSyntax | ((path: string) => CommentSyntax | undefined)> = {
  'mysql-option-file': 'hash-semicolon',
  sysctl: 'hash-semicolon',
  'sqlalchemy-ini': 'hash-semicolon',
  'java-properties': 'properties',
  'spring-boot': (path) => (YAML_NAME.test(path) ? 'yaml' : 'properties'),
  compose: 'yaml',
  'connlint-config': 'yaml',
  python: 'python',
  prisma: 'slashes',
  // ormconfig.yml is YAML; a JSON file (config/config.json, ormconfig.json) has no comments.
  'js-config': (path) => (YAML_NAME.test(path) ? 'yaml' : /\.json$/i.test(path) ? undefined : 'slashes'),
};

const YAML_NAME = /\.ya?ml$/i;
/** `.env`, `.env.production`, `prod.env`: read by Compose, Prisma and JS configs whatever the reading format. */
const DOTENV_NAME = /(?:^|\/)(?:\.env(?:\.[^/]*)?|[^/]+\.env)$/;

/** Syntaxes with comments after a value on the same line, where `connlint-disable-line` can sit. */
const TRAILING: ReadonlySet<CommentSyntax> = new Set(['yaml', 'python', 'slashes']);

export function commentSyntax(path: string, kind: string | null): CommentSyntax | undefined {
  if (DOTENV_NAME.test(path)) return 'dotenv';
  if (kind === null) return undefined;
  const s = SYNTAX_BY_KIND[kind];
  return typeof s === 'function' ? s(path) : s;
}

/** One comment line: its text after the marker, where that text starts, and the line a next-line directive covers. */
interface Comment {
  line: number;
  /** 0-based index in the line where `body` starts. */
  start: number;
  body: string;
  /** The last line of the comment (a block comment ends later than its directive line). */
  endLine: number;
  /** Code stands before it on the line. */
  trailing: boolean;
}

export type DirectiveKind = 'next-line' | 'line' | 'file';

export interface Directive {
  kind: DirectiveKind;
  /** The ids as written (possibly unknown, possibly none). */
  ids: string[];
  /** The text after `--`, when not empty. */
  reason?: string;
  /** From `connlint-disable` to the end of the directive. */
  span: Span;
  /** The line it covers (next-line, line); undefined for file. */
  target?: number;
  /** The word after `connlint-disable-` was none of the kinds (`connlint-disable-lines`): reported, applies to nothing. */
  malformed?: string;
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Comments that are a whole line, opened by one of `markers` after optional whitespace. */
function lineStartComments(text: string, markers: string, continuation: boolean): Comment[] {
  const out: Comment[] = [];
  let continued = false;
  splitLines(text).forEach((raw, i) => {
    const at = raw.search(/\S/);
    if (continued) {
      continued = /(?:^|[^\\])(?:\\\\)*\\$/.test(raw);
      return;
    }
    if (at >= 0 && markers.includes(raw[at] as string)) {
      out.push({ line: i + 1, start: at + 1, body: raw.slice(at + 1), endLine: i + 1, trailing: false });
      return;
    }
    // java.util.Properties: a line ending in an odd number of backslashes continues on the next one.
    if (continuation) continued = /(?:^|[^\\])(?:\\\\)*\\$/.test(raw);
  });
  return out;
}

/** YAML: `#` at the start of a line or after whitespace, outside quoted scalars; lines of a block scalar (`|`, `>`) are text. */
function yamlComments(text: string): Comment[] {
  const out: Comment[] = [];
  let blockIndent = -1;
  splitLines(text).forEach((raw, i) => {
    const indent = raw.search(/\S/);
    if (blockIndent >= 0) {
      if (indent === -1 || indent > blockIndent) return;
      blockIndent = -1;
    }
    let quote: string | null = null;
    let prev = '';
    for (let j = 0; j < raw.length; j++) {
      const c = raw[j] as string;
      if (quote) {
        if (c === '\\' && quote === '"') j++;
        else if (c === "'" && quote === "'" && raw[j + 1] === "'") j++;
        else if (c === quote) quote = null;
      } else if ((c === '"' || c === "'") && /^$|[\s:[{,\-?]$/.test(raw.slice(0, j).trimEnd().slice(-1))) {
        quote = c;
      } else if (c === '#' && (j === 0 || /\s/.test(prev))) {
        out.push({ line: i + 1, start: j + 1, body: raw.slice(j + 1), endLine: i + 1, trailing: j > indent });
        break;
      }
      prev = c;
    }
    // `key: |`, `- >-`, `key: |2 # comment`: the more indented lines that follow are the scalar's text.
    if (/(?:^|[\s:-])[|>][-+0-9]*\s*(?:#.*)?$/.test(raw) && !quote) blockIndent = indent;
  });
  return out;
}

/** Python: `#` outside string literals ('...', "...", and triple-quoted strings spanning lines). */
function pythonComments(text: string): Comment[] {
  const out: Comment[] = [];
  let quote: string | null = null;
  splitLines(text).forEach((raw, i) => {
    for (let j = 0; j < raw.length; j++) {
      const c = raw[j] as string;
      if (quote) {
        if (c === '\\') j++;
        else if (raw.startsWith(quote, j)) {
          j += quote.length - 1;
          quote = null;
        }
      } else if (c === '"' || c === "'") {
        quote = raw.startsWith(c.repeat(3), j) ? c.repeat(3) : c;
        j += quote.length - 1;
      } else if (c === '#') {
        out.push({ line: i + 1, start: j + 1, body: raw.slice(j + 1), endLine: i + 1, trailing: raw.slice(0, j).trim() !== '' });
        break;
      }
    }
    // A one-quote string ends with its line (or is an error); a triple-quoted one goes on.
    if (quote && quote.length === 1) quote = null;
  });
  return out;
}

/** JS/TS and Prisma: `//` comments and `/* *\/` blocks (each line of a block is a comment line), outside string literals. */
function slashComments(text: string): Comment[] {
  const out: Comment[] = [];
  const lines = splitLines(text);
  let quote: string | null = null;
  let block: Comment[] | null = null;
  lines.forEach((raw, i) => {
    let j = 0;
    if (block) {
      const end = raw.indexOf('*/');
      const body = end === -1 ? raw : raw.slice(0, end);
      const lead = body.search(/[^\s*]/);
      block.push({
        line: i + 1,
        start: lead === -1 ? body.length : lead,
        body: lead === -1 ? '' : body.slice(lead),
        endLine: i + 1,
        trailing: false,
      });
      if (end === -1) return;
      for (const c of block) c.endLine = i + 1;
      out.push(...block);
      block = null;
      j = end + 2;
    }
    for (; j < raw.length; j++) {
      const c = raw[j] as string;
      if (quote) {
        if (c === '\\') j++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'" || c === '`') quote = c;
      else if (c === '/' && raw[j + 1] === '/') {
        out.push({ line: i + 1, start: j + 2, body: raw.slice(j + 2), endLine: i + 1, trailing: raw.slice(0, j).trim() !== '' });
        break;
      } else if (c === '/' && raw[j + 1] === '*') {
        const end = raw.indexOf('*/', j + 2);
        const trailing = raw.slice(0, j).trim() !== '';
        if (end !== -1) {
          out.push({ line: i + 1, start: j + 2, body: raw.slice(j + 2, end), endLine: i + 1, trailing });
          j = end + 1;
          continue;
        }
        block = [{ line: i + 1, start: j + 2, body: raw.slice(j + 2), endLine: i + 1, trailing }];
        break;
      }
    }
    // Only template literals span lines.
    if (quote && quote !== '`') quote = null;
  });
  if (block) out.push(...(block as Comment[]));
  return out;
}

function commentsOf(text: string, syntax: CommentSyntax): Comment[] {
  switch (syntax) {
    case 'hash-semicolon':
      return lineStartComments(text, '#;', false);
    case 'properties':
      return lineStartComments(text, '#!', true);
    case 'dotenv':
      return lineStartComments(text, '#', false);
    case 'yaml':
      return yamlComments(text);
    case 'python':
      return pythonComments(text);
    case 'slashes':
      return slashComments(text);
  }
}

const DIRECTIVE = /^([#;!/*\s]*)(connlint-disable(?:-([\w-]*))?)(?=\s|$)(.*)$/s;

/** The directives in a file's comments, in line order. */
export function parseDirectives(path: string, text: string, syntax: CommentSyntax): Directive[] {
  const out: Directive[] = [];
  for (const c of commentsOf(text, syntax)) {
    const m = DIRECTIVE.exec(c.body);
    if (!m) continue;
    const [, lead = '', word = '', suffix, rest = ''] = m;
    const column = c.start + lead.length + 1;
    const body = rest.trimEnd();
    const span = lineSpan(path, c.line, column, word.length + body.length);
    const split = /\s--(?:\s|$)/.exec(body);
    const idsText = split ? body.slice(0, split.index) : body;
    const reason = split ? body.slice(split.index + split[0].length).trim() : '';
    const ids = idsText
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const kind: DirectiveKind | undefined =
      suffix === 'next-line' ? 'next-line' : suffix === 'line' ? 'line' : suffix === 'file' ? 'file' : undefined;
    const base = { ids, span, ...(reason !== '' ? { reason } : {}) };
    if (!kind) out.push({ ...base, kind: 'file', malformed: word });
    else if (kind === 'file') out.push({ ...base, kind });
    else if (kind === 'line') out.push({ ...base, kind, ...(TRAILING.has(syntax) && c.trailing ? { target: c.line } : {}) });
    else out.push({ ...base, kind, target: c.endLine + 1 });
  }
  return out;
}
