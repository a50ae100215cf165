/**
 * INI files as Python's `configparser.ConfigParser` reads them with its defaults, which Alembic
 * (`alembic.ini`) and PasteDeploy (Pyramid's `development.ini`/`production.ini`) use (sqlalchemy.md,
 * ".ini files"). Followed line by line from `RawConfigParser._read` (CPython 3.11):
 * - lines end at `\n`, `\r\n` or a lone `\r` (universal newlines); whitespace is Python's (`str.strip`);
 * - a line whose stripped text starts with `#` or `;` is a comment; there are no inline comments, so
 *   `pool_recycle = 3600  # 1 h` keeps the comment in the value;
 * - `[name]` opens a section (`.+` up to the last `]`, case kept); `[DEFAULT]` holds defaults;
 * - `key = value` or `key: value` splits at the first `=` or `:`; keys are lower-cased (`optionxform`);
 * - a line indented deeper than its option's first line continues the value (joined with `\n`); blank
 *   lines inside a value are kept, then trailing ones removed;
 * - strict mode: a repeated section or option raises at once, as does an option before any section;
 *   a line that is neither raises at the end of the file;
 * - values are interpolated when read (`BasicInterpolation`): `%(name)s` from the section, then the
 *   defaults; `%%` is `%`; any other `%` is an error.
 */
import { lineSpan, type Span } from '../model/span.js';
import type { ParseProblem, ParseResult } from './parse-result.js';

export interface IniOption {
  /** The section it is written in (`DEFAULT` for defaults). */
  section: string;
  /** The name configparser stores: lower-cased, trailing whitespace removed. */
  key: string;
  /** The name as written. */
  rawKey: string;
  /** The value before interpolation, continuation lines joined with `\n`. */
  value: string;
  keySpan: Span;
  valueSpan: Span;
  span: Span;
}

export interface IniSection {
  name: string;
  /** The header (the first, when a non-strict reader met it again). */
  span: Span;
  /** By stored name, in first-written order. */
  options: Map<string, IniOption>;
}

export interface IniDoc {
  defaults: Map<string, IniOption>;
  sections: IniSection[];
  /** Set when configparser raises while reading: the program that reads the file stops there. */
  fatal?: boolean;
}

const PY_SPACE = new Set(
  [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]
    .concat(Array.from({ length: 11 }, (_, i) => 0x2000 + i))
    .map((c) => String.fromCharCode(c)),
);
const isSpace = (ch: string | undefined) => ch !== undefined && PY_SPACE.has(ch);

/** Python's `str.strip()` bounds: the first and one past the last non-whitespace index. */
function stripBounds(text: string): [number, number] {
  let a = 0;
  let b = text.length;
  while (a < b && isSpace(text[a])) a++;
  while (b > a && isSpace(text[b - 1])) b--;
  return [a, b];
}

/** Lines as Python's text mode yields them (universal newlines), without their line ends. */
function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

interface Building {
  option: IniOption;
  /** Value lines as appended (empty strings for blank lines), to join and right-strip at the end. */
  lines: string[];
  /** The last non-empty line appended: the value ends there once trailing blank lines are stripped. */
  last: { line: number; endColumn: number };
}

export function parseIni(path: string, text: string): ParseResult<IniDoc> {
  const problems: ParseProblem[] = [];
  const doc: IniDoc = { defaults: new Map(), sections: [] };
  const byName = new Map<string, IniSection>();
  const added = new Set<string>();
  const building: Building[] = [];
  let current: Map<string, IniOption> | undefined;
  let sectionName: string | undefined;
  let option: Building | undefined;
  let indentLevel = 0;
  const lines = splitLines(text);
  // A file ending in a newline yields no last empty line in Python.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const fatal = (message: string, span: Span) => {
    problems.push({ severity: 'error', span, message });
    doc.fatal = true;
  };
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i] as string;
    const [a, b] = stripBounds(line);
    const stripped = line.slice(a, b);
    const isComment = stripped.startsWith('#') || stripped.startsWith(';');
    const value = isComment ? '' : stripped;
    if (value === '') {
      // Blank lines (not comments) inside a value are kept; trailing ones are stripped at the end.
      if (!isComment && current && option) option.lines.push('');
      continue;
    }
    const indent = a;
    if (current && option && indent > indentLevel) {
      option.lines.push(value);
      option.last = { line: lineNo, endColumn: b + 1 };
      continue;
    }
    indentLevel = indent;
    const close = value.lastIndexOf(']');
    if (value.startsWith('[') && close >= 2) {
      const name = value.slice(1, close);
      const span = lineSpan(path, lineNo, a + 1, close + 1);
      option = undefined;
      if (name === 'DEFAULT') {
        current = doc.defaults;
        sectionName = name;
        continue;
      }
      const existing = byName.get(name);
      if (existing) {
        if (added.has(name)) {
          fatal(`configparser refuses the file: section [${name}] appears twice (DuplicateSectionError)`, span);
          break;
        }
        current = existing.options;
      } else {
        const section: IniSection = { name, span, options: new Map() };
        byName.set(name, section);
        doc.sections.push(section);
        current = section.options;
      }
      added.add(name);
      sectionName = name;
      continue;
    }
    if (!current || sectionName === undefined) {
      fatal(
        'configparser refuses the file: a line comes before any [section] header (MissingSectionHeaderError)',
        lineSpan(path, lineNo, a + 1, b - a),
      );
      break;
    }
    const delim = value.search(/[=:]/);
    if (delim < 0) {
      // configparser collects these and raises after the whole file is read.
      problems.push({
        severity: 'error',
        span: lineSpan(path, lineNo, a + 1, b - a),
        message: 'configparser refuses the file: this line is not a section header, an option (key = value) or a comment (ParsingError)',
      });
      doc.fatal = true;
      continue;
    }
    let keyEnd = delim;
    while (keyEnd > 0 && isSpace(value[keyEnd - 1])) keyEnd--;
    const rawKey = value.slice(0, keyEnd);
    let valueStart = delim + 1;
    while (valueStart < value.length && isSpace(value[valueStart])) valueStart++;
    const first = value.slice(valueStart);
    const keySpan = lineSpan(path, lineNo, a + 1, rawKey.length);
    if (rawKey.length === 0) {
      problems.push({
        severity: 'error',
        span: keySpan,
        message: 'configparser refuses the file: an option has no name before its = or : (ParsingError)',
      });
      doc.fatal = true;
    }
    const key = rawKey.toLowerCase();
    const addedKey = `${sectionName}\0${key}`;
    if (added.has(addedKey)) {
      fatal(`configparser refuses the file: option ${key} appears twice in [${sectionName}] (DuplicateOptionError)`, keySpan);
      break;
    }
    added.add(addedKey);
    const valueSpan = lineSpan(path, lineNo, a + valueStart + 1, first.length);
    const o: IniOption = {
      section: sectionName,
      key,
      rawKey,
      value: first,
      keySpan,
      valueSpan,
      span: { ...keySpan, endLine: lineNo, endColumn: valueSpan.endColumn },
    };
    const built: Building = { option: o, lines: [first], last: { line: lineNo, endColumn: valueSpan.endColumn } };
    building.push(built);
    // configparser continues no value under an option without a name.
    option = key === '' ? undefined : built;
    current.delete(key);
    current.set(key, o);
  }
  for (const bld of building) {
    // '\n'.join(lines).rstrip(): trailing blank lines go, so the value ends on the last non-empty line.
    const joined = bld.lines.join('\n');
    let end = joined.length;
    while (end > 0 && isSpace(joined[end - 1])) end--;
    bld.option.value = joined.slice(0, end);
    const { line, endColumn } = bld.last;
    if (line !== bld.option.valueSpan.line) {
      bld.option.valueSpan = { ...bld.option.valueSpan, endLine: line, endColumn };
      bld.option.span = { ...bld.option.span, endLine: line, endColumn };
    }
  }
  return { doc, problems };
}

const MAX_DEPTH = 10;

/**
 * A value as `ConfigParser.get()` returns it: `%(name)s` replaced from the section, then the defaults
 * (`vars` are defaults the program adds, like Alembic's and PasteDeploy's `here`), `%%` as `%`.
 * Returns the error configparser raises instead, when it does.
 */
export function interpolate(
  raw: string,
  lookup: (name: string) => string | undefined,
  option: string,
  depth = 1,
): { value: string } | { error: string } {
  if (depth > MAX_DEPTH) return { error: `InterpolationDepthError: recursion limit exceeded in value of ${option}` };
  let out = '';
  let rest = raw;
  while (rest) {
    const p = rest.indexOf('%');
    if (p < 0) return { value: out + rest };
    out += rest.slice(0, p);
    rest = rest.slice(p);
    const c = rest[1];
    if (c === '%') {
      out += '%';
      rest = rest.slice(2);
    } else if (c === '(') {
      const m = /^%\(([^)]+)\)s/.exec(rest);
      if (!m) return { error: `InterpolationSyntaxError: bad interpolation variable reference in ${option}` };
      const name = (m[1] as string).toLowerCase();
      rest = rest.slice(m[0].length);
      const v = lookup(name);
      if (v === undefined) return { error: `InterpolationMissingOptionError: ${option} refers to %(${name})s, which is not set` };
      if (v.includes('%')) {
        const inner = interpolate(v, lookup, option, depth + 1);
        if ('error' in inner) return inner;
        out += inner.value;
      } else out += v;
    } else {
      return { error: `InterpolationSyntaxError: in ${option}, '%' must be followed by '%' or '(' (write %% for a literal %)` };
    }
  }
  return { value: out };
}

/** A section by name (case-sensitive, as configparser compares them). */
export function findSection(doc: IniDoc, name: string): IniSection | undefined {
  return doc.sections.find((s) => s.name === name);
}

/**
 * Every option a program gets from a section, interpolated: the defaults' options too when
 * `withDefaults` (`ConfigParser.items(section)`, as Alembic reads its section), else only the section's
 * own (PasteDeploy's local settings). `vars` are the program's own defaults (`here`).
 */
export function sectionItems(
  doc: IniDoc,
  section: IniSection,
  options: { withDefaults: boolean; vars?: Record<string, string> },
): Array<{ option: IniOption; value?: string; error?: string }> {
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(options.vars ?? {})) map.set(k.toLowerCase(), v);
  for (const [k, o] of doc.defaults) map.set(k, o.value);
  for (const [k, o] of section.options) map.set(k, o.value);
  const lookup = (name: string) => map.get(name);
  const chosen = new Map<string, IniOption>();
  if (options.withDefaults) for (const [k, o] of doc.defaults) chosen.set(k, o);
  for (const [k, o] of section.options) chosen.set(k, o);
  return [...chosen.values()].map((option) => {
    const r = interpolate(option.value, lookup, option.key);
    return 'error' in r ? { option, error: r.error } : { option, value: r.value };
  });
}
