/**
 * TypeORM's env reader (0.2.x–0.3.x; typeorm.md, "Env variable names"; ConnectionOptionsEnvReader.ts
 * @0.2.0/@0.2.45/@0.3.31): the TYPEORM_* variables of `ormconfig.env` or `<root>/.env`, loaded with
 * the dotenv TypeORM depends on (no expansion), as one options object. Which dotenv that is depends on
 * the TypeORM version (package.json at each tag: ^5.0.1 in 0.2.0–0.2.24, ^6.2.0 in 0.2.25, ^8.2.0 in
 * 0.2.26–0.2.45, ^16 in 0.3.x), and they read some lines differently (motdotla/dotenv lib/main.js
 * `parse` @ v5.0.1, v6.2.0, v8.6.0; v16 is `parseDotenvNode`):
 * - dotenv 5–6 split the text at LF; a line is `NAME=value` (`[\w.-]+`, blanks around `=`); the value is
 *   the rest of the line; `\n` is expanded when it starts and ends with `"`; then one leading and one
 *   trailing quote (either kind, independently) are removed and the value is trimmed;
 * - dotenv 8 splits at CR and LF; a value that starts and ends with the same quote loses them (and is
 *   not trimmed; `\n` expanded in double quotes); any other value is trimmed;
 * - neither reads `export NAME=`, `NAME: value`, inline `# comments` or quoted values across lines,
 *   which dotenv 16 does.
 * Where the dotenv majors in play read a variable differently, it is unknown here.
 */
import type { Problem } from '../../model/problem.js';
import type { Span } from '../../model/span.js';
import type { DotenvNodeDoc } from '../../parsers/dotenv-node.js';
import { LineStarts } from '../../parsers/line-starts.js';
import { jsonToJsValue } from '../js/json-value.js';
import type { JsProperty, JsValue } from '../js/value.js';

export type DotenvFlavor = 'dotenv5' | 'dotenv8' | 'dotenv16';

export const DOTENV_LABEL: Readonly<Record<DotenvFlavor, string>> = {
  dotenv5: 'dotenv 5–6 (TypeORM 0.2.0–0.2.25)',
  dotenv8: 'dotenv 8 (TypeORM 0.2.26–0.2.45)',
  dotenv16: 'dotenv 16 (TypeORM 0.3.x)',
};

/** A variable as a dotenv file sets it. */
export interface EnvVariable {
  value: string;
  /** The value as written (the key's span when nothing is written). */
  span: Span;
  keySpan: Span;
  /** Where `value[from, to)` is written, when each of those characters is written as itself on one line. */
  spanOf?: (from: number, to: number) => Span | undefined;
  /** Set when the value is not known here; no finding may rest on `value`. */
  unknown?: string;
}

const LEGACY_LINE = /^\s*([\w.-]+)\s*=\s*(.*)?\s*$/d;

/** The variables dotenv 5–6 or 8 read from a file (the last assignment of a name wins). */
export function legacyDotenvVariables(path: string, text: string, flavor: 'dotenv5' | 'dotenv8'): Map<string, EnvVariable> {
  const lines = new LineStarts(text);
  const span = (from: number, to: number): Span => {
    const a = lines.position(from);
    const b = lines.position(Math.max(from, to));
    return { path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  };
  const vars = new Map<string, EnvVariable>();
  const separator = flavor === 'dotenv5' ? /\n/g : /[\n\r]/g;
  let start = 0;
  const pieces: Array<{ from: number; line: string }> = [];
  for (const m of text.matchAll(separator)) {
    pieces.push({ from: start, line: text.slice(start, m.index) });
    start = (m.index as number) + 1;
  }
  pieces.push({ from: start, line: text.slice(start) });
  for (const { from, line } of pieces) {
    const m = LEGACY_LINE.exec(line);
    if (!m?.indices) continue;
    const [keyFrom, keyTo] = m.indices[1] as [number, number];
    const rawAt = m.indices[2]?.[0] ?? keyTo;
    const raw = m[2] ?? '';
    let value: string;
    /** Offset in `raw` of value[0], and how many characters of the value are written as themselves. */
    let offset: number;
    let exact: number;
    if (flavor === 'dotenv8') {
      const end = raw.length - 1;
      const quoted = raw.length > 0 && (raw[0] === '"' || raw[0] === "'") && raw[end] === raw[0];
      if (quoted) {
        // `substring` swaps its arguments: a lone `"` stays `"` (and is not written at offset 1).
        value = raw.substring(1, end);
        offset = 1;
        exact = raw.length === 1 ? 0 : value.length;
        if (raw[0] === '"') {
          const firstEscape = value.indexOf('\\n');
          if (firstEscape >= 0) exact = firstEscape;
          value = value.replace(/\\n/g, '\n');
        }
      } else {
        value = raw.trim();
        offset = raw.length - raw.trimStart().length;
        exact = value.length;
      }
    } else {
      let v = raw;
      let firstEscape = -1;
      if (v.length > 0 && v[0] === '"' && v[v.length - 1] === '"') {
        firstEscape = v.indexOf('\\n');
        v = v.replace(/\\n/gm, '\n');
      }
      const lead = /^['"]/.test(v) ? 1 : 0;
      const stripped = v.replace(/(^['"]|['"]$)/g, '');
      value = stripped.trim();
      offset = lead + (stripped.length - stripped.trimStart().length);
      exact = firstEscape >= 0 ? Math.max(0, firstEscape - offset) : value.length;
    }
    const at = from + rawAt;
    const written = raw.trimEnd();
    vars.set(m[1] as string, {
      value,
      span: written.length > 0 ? span(at, at + written.length) : span(from + keyFrom, from + keyTo),
      keySpan: span(from + keyFrom, from + keyTo),
      spanOf: (a, b) => (a < 0 || b < a || b > exact ? undefined : span(at + offset + a, at + offset + b)),
    });
  }
  return vars;
}

/** The variables dotenv 16 reads (from `parseDotenvNode`), the last assignment of a name winning. */
export function dotenv16Variables(doc: DotenvNodeDoc): Map<string, EnvVariable> {
  const vars = new Map<string, EnvVariable>();
  for (const e of doc.entries) vars.set(e.key, { value: e.value.text, span: e.value.span, keySpan: e.keySpan, spanOf: e.value.spanOf });
  return vars;
}

/**
 * The TYPEORM_* variables as every reading agrees: a name read differently (or by only some of the
 * dotenv majors) is unknown, with a reason that quotes no value (it may be a secret).
 */
export function agreedVariables(
  readings: ReadonlyArray<{ flavor: DotenvFlavor; vars: ReadonlyMap<string, EnvVariable> }>,
): Map<string, EnvVariable> {
  const out = new Map<string, EnvVariable>();
  const names = new Set(readings.flatMap((r) => [...r.vars.keys()].filter((k) => k.startsWith('TYPEORM_'))));
  // dotenv 16's spans first: it reads the most of a line.
  const ordered = [...readings].sort((a, b) => (a.flavor === 'dotenv16' ? -1 : b.flavor === 'dotenv16' ? 1 : 0));
  for (const name of [...names].sort()) {
    const seen = ordered.map((r) => ({ flavor: r.flavor, v: r.vars.get(name) }));
    const first = seen.find((s) => s.v)?.v as EnvVariable;
    const missing = seen.filter((s) => !s.v).map((s) => DOTENV_LABEL[s.flavor]);
    const differ = seen.filter((s) => s.v && s.v.value !== first.value);
    if (missing.length === 0 && differ.length === 0) {
      out.set(name, first);
      continue;
    }
    const reason =
      missing.length > 0
        ? `${missing.join(' and ')} ${missing.length === 1 ? 'does' : 'do'} not read the line that sets ${name} (export, a colon, or a value across lines), and the TypeORM version is not known here`
        : `the dotenv versions TypeORM may load (${ordered.map((r) => DOTENV_LABEL[r.flavor]).join(', ')}) read ${name} differently (quotes, an inline comment), and the TypeORM version is not known here`;
    out.set(name, { ...first, unknown: reason });
  }
  return out;
}

/** Does a dotenv reading select the env reader: TYPEORM_CONNECTION, or (0.2.12+) TYPEORM_URL, set and not empty? */
export function activatesEnvReader(vars: ReadonlyMap<string, EnvVariable>, urlActivates: boolean): boolean {
  return Boolean(vars.get('TYPEORM_CONNECTION')?.value) || (urlActivates && Boolean(vars.get('TYPEORM_URL')?.value));
}

/** TypeORM's driver names (DatabaseType.ts @0.2.45, @0.3.0), for a type taken from a URL scheme. */
const DRIVER_TYPES = new Set([
  'mysql',
  'postgres',
  'cockroachdb',
  'sap',
  'mariadb',
  'sqlite',
  'cordova',
  'react-native',
  'nativescript',
  'sqljs',
  'oracle',
  'mssql',
  'mongodb',
  'aurora-data-api',
  'aurora-data-api-pg',
  'aurora-mysql',
  'aurora-postgres',
  'expo',
  'better-sqlite3',
  'capacitor',
  'spanner',
]);

/** A JSON value read from a variable, its spans moved from the value text to the file. */
function relocate(v: JsValue, variable: EnvVariable): JsValue {
  const move = (s: Span): Span =>
    (s.line === 1 && s.endLine === 1 ? variable.spanOf?.(s.column - 1, s.endColumn - 1) : undefined) ?? variable.span;
  const span = move(v.span);
  if (v.kind === 'object')
    return {
      kind: 'object',
      span,
      properties: v.properties.map(
        (p): JsProperty => ({
          key: p.key,
          value: relocate(p.value, variable),
          span: move(p.span),
          keySpan: move(p.keySpan),
          ...(p.overrides ? { overrides: p.overrides.map(move) } : {}),
        }),
      ),
    };
  if (v.kind === 'array') return { kind: 'array', items: v.items.map((x) => relocate(x, variable)), span };
  return { ...v, span } as JsValue;
}

/**
 * The options the env reader builds from TYPEORM_* variables, as an object for `typeormPools` (the keys
 * that matter for pools: type, url, host, port, username, password, database, extra). Undefined when
 * neither TYPEORM_CONNECTION nor TYPEORM_URL is set (the env reader is then not used). `at` is where the
 * options are said to be (the line that selects the reader).
 */
export function typeormEnvOptions(vars: ReadonlyMap<string, EnvVariable>, at: Span): { options: JsValue; problems: Problem[] } | undefined {
  const conn = vars.get('TYPEORM_CONNECTION');
  const url = vars.get('TYPEORM_URL');
  if (!conn?.value && !url?.value && !conn?.unknown && !url?.unknown) return undefined;
  const problems: Problem[] = [];
  const properties: JsProperty[] = [];
  const add = (key: string, value: JsValue, v: EnvVariable) => properties.push({ key, value, span: v.span, keySpan: v.keySpan });
  const text = (name: string): JsValue | undefined => {
    const v = vars.get(name);
    if (!v) return undefined;
    return v.unknown ? { kind: 'unknown', reason: v.unknown, span: v.span } : { kind: 'string', value: v.value, span: v.span };
  };
  const str = (name: string, key: string) => {
    const v = vars.get(name);
    const value = text(name);
    if (v && value) add(key, value, v);
  };
  if (conn?.value || conn?.unknown) str('TYPEORM_CONNECTION', 'type');
  else if (url) {
    // 0.2.12+: the type is what precedes `://` in the URL (`TYPEORM_URL.split("://")[0]`); without `://` it is
    // the whole URL, which may hold a password, so it is never quoted.
    const scheme = url.value.includes('://') ? (url.value.split('://')[0] as string) : undefined;
    const type: JsValue = url.unknown
      ? { kind: 'unknown', reason: url.unknown, span: url.span }
      : scheme === undefined
        ? { kind: 'unknown', reason: 'TYPEORM_URL has no "://", so TypeORM takes the whole URL as the type', span: url.span }
        : { kind: 'string', value: scheme, span: url.span };
    add('type', type, url);
    if (!url.unknown && (scheme === undefined || !DRIVER_TYPES.has(scheme))) {
      const hint = scheme === 'postgresql' ? 'TYPEORM_CONNECTION=postgres' : 'TYPEORM_CONNECTION to the driver name';
      const what =
        scheme === undefined
          ? 'the whole of TYPEORM_URL (it has no "://")'
          : /^[a-z][a-z0-9+.-]{0,39}$/i.test(scheme)
            ? `TYPEORM_URL's scheme, "${scheme}"`
            : 'what precedes TYPEORM_URL\'s first "://"';
      problems.push({
        severity: 'warning',
        ruleId: 'startup-failure',
        span: url.keySpan,
        message: `TYPEORM_CONNECTION is not set, so TypeORM takes the type from ${what}, which is not a TypeORM driver: it fails at start-up with MissingDriverError (typeorm.md, Env variable names). Set ${hint}`,
      });
    }
  }
  str('TYPEORM_URL', 'url');
  str('TYPEORM_HOST', 'host');
  str('TYPEORM_USERNAME', 'username');
  str('TYPEORM_PASSWORD', 'password');
  str('TYPEORM_DATABASE', 'database');
  const port = vars.get('TYPEORM_PORT');
  if (port)
    add(
      'port',
      port.unknown
        ? { kind: 'unknown', reason: port.unknown, span: port.span }
        : { kind: 'number', value: Number.parseInt(port.value, 10), span: port.span },
      port,
    );
  const extra = vars.get('TYPEORM_DRIVER_EXTRA');
  // An empty TYPEORM_DRIVER_EXTRA is not parsed (`getEnvVariable(...) ? JSON.parse(...) : undefined`).
  if (extra?.unknown) add('extra', { kind: 'unknown', reason: extra.unknown, span: extra.span }, extra);
  else if (extra?.value) {
    const parsed = jsonToJsValue(extra.span.path, extra.value);
    if (parsed.value) add('extra', relocate(parsed.value, extra), extra);
    else {
      const detail = (parsed.problems[0]?.message ?? '').replace(/^.*? is not valid JSON: /, '').replace(/, so the program .*$/, '');
      problems.push({
        severity: 'error',
        span: extra.span,
        message: `TYPEORM_DRIVER_EXTRA is not valid JSON (${detail}), so TypeORM's env reader fails at start-up (JSON.parse throws)`,
      });
      add('extra', { kind: 'unknown', reason: 'TYPEORM_DRIVER_EXTRA is not valid JSON', span: extra.span }, extra);
    }
  }
  return { options: { kind: 'object', properties, span: at }, problems };
}
