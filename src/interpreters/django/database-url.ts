/**
 * What the settings helpers that turn a `DATABASE_URL` into a `DATABASES` alias return (django.md,
 * "Syntax and parsing facts"): dj-database-url `config()`/`parse()` and django-environ `env.db()`/
 * `env.db_url()`. The result is the alias dict the helper builds, as a Python value, so the settings
 * evaluator can apply `DATABASES["default"].update(dj_database_url.config())` as Python would: the
 * helper always emits `CONN_MAX_AGE` and `CONN_HEALTH_CHECKS`, so such an update resets both.
 */
import type { Span } from '../../model/span.js';
import type { PyCall, PyDictEntry, PyValue } from '../python/value.js';
import { kwarg, scalarOf } from '../sqlalchemy/python-scalar.js';

/** Where a value of an expanded alias comes from, for messages: `dj_database_url.config() default`. */
const NOTES = new WeakMap<object, string>();

/** Words for a value the helper filled in itself, not the user (`dj_database_url.config() sets it (conn_max_age defaults to 0)`). */
export function helperNote(v: PyValue): string | undefined {
  return NOTES.get(v);
}

/** The helper's keyword a value was written as (`conn_max_age`), for keys in messages. */
const KEYWORDS = new WeakMap<object, string>();

export function helperKeyword(v: PyValue): string | undefined {
  return KEYWORDS.get(v);
}

/** For a value the helper filled in, what a user writes to change it (`conn_health_checks of dj_database_url.config()`). */
const WRITE_AS = new WeakMap<object, string>();

export function helperWriteAs(v: PyValue): string | undefined {
  return WRITE_AS.get(v);
}

/** Problems the helper's reading of the URL causes (a `?conn_max_age=` that is not CONN_MAX_AGE). */
const URL_PROBLEMS = new WeakMap<object, Array<{ message: string; span: Span }>>();

export function helperProblems(v: PyValue): Array<{ message: string; span: Span }> {
  return URL_PROBLEMS.get(v) ?? [];
}

/** dj-database-url 3.1.2 schemes (django.md). */
const DJ_SCHEMES: Record<string, string> = {
  postgres: 'django.db.backends.postgresql',
  postgresql: 'django.db.backends.postgresql',
  pgsql: 'django.db.backends.postgresql',
  postgis: 'django.contrib.gis.db.backends.postgis',
  mysql: 'django.db.backends.mysql',
  mysql2: 'django.db.backends.mysql',
  mysqlgis: 'django.contrib.gis.db.backends.mysql',
  'mysql-connector': 'mysql.connector.django',
  sqlite: 'django.db.backends.sqlite3',
  spatialite: 'django.contrib.gis.db.backends.spatialite',
  oracle: 'django.db.backends.oracle',
  oraclegis: 'django.contrib.gis.db.backends.oracle',
  cockroach: 'django_cockroachdb',
  redshift: 'django_redshift_backend',
  timescale: 'timescale.db.backends.postgresql',
  timescalegis: 'timescale.db.backends.postgis',
};

/** django-environ schemes (django.md). */
const ENVIRON_SCHEMES: Record<string, string> = {
  mysql: 'django.db.backends.mysql',
  mysql2: 'django.db.backends.mysql',
  'mysql-connector': 'mysql.connector.django',
  mysqlgis: 'django.contrib.gis.db.backends.mysql',
  'prometheus-mysql': 'django_prometheus.db.backends.mysql',
  postgres: 'django.db.backends.postgresql',
  postgresql: 'django.db.backends.postgresql',
  psql: 'django.db.backends.postgresql',
  pgsql: 'django.db.backends.postgresql',
  postgis: 'django.contrib.gis.db.backends.postgis',
  'prometheus-postgresql': 'django_prometheus.db.backends.postgresql',
  cockroachdb: 'django_cockroachdb',
  sqlite: 'django.db.backends.sqlite3',
  oracle: 'django.db.backends.oracle',
  redshift: 'django_redshift_backend',
};

interface ParsedUrl {
  scheme: string;
  user?: string;
  password?: string;
  host?: string;
  port?: string;
  name?: string;
  query: Array<{ key: string; value: string }>;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function parseUrl(text: string): ParsedUrl | undefined {
  const m = /^([A-Za-z][\w.+-]*):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?(\[[^\]]*\]|[^/:?#]*)(?::(\d*))?(?:\/([^?#]*))?(?:\?([^#]*))?/.exec(text);
  if (!m) return undefined;
  const query: ParsedUrl['query'] = [];
  for (const part of (m[7] ?? '').split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) query.push({ key: decode(part.slice(0, eq)), value: decode(part.slice(eq + 1)) });
  }
  return {
    scheme: (m[1] as string).toLowerCase(),
    ...(m[2] ? { user: decode(m[2]) } : {}),
    ...(m[3] ? { password: decode(m[3]) } : {}),
    ...(m[4] ? { host: decode(m[4]) } : {}),
    ...(m[5] ? { port: m[5] } : {}),
    ...(m[6] ? { name: decode(m[6]) } : {}),
    query,
  };
}

function str(value: string, span: Span): PyValue {
  return { kind: 'str', value, span };
}

function entry(key: string, value: PyValue, span: Span): PyDictEntry {
  return { key: str(key, span), value, span };
}

function noted<T extends PyValue>(v: T, note: string, writeAs?: string): T {
  NOTES.set(v, note);
  if (writeAs) WRITE_AS.set(v, writeAs);
  return v;
}

function keyword<T extends PyValue>(v: T, name: string): T {
  KEYWORDS.set(v, name);
  return v;
}

export type HelperKind = 'dj-database-url' | 'django-environ';

/** Which helper a call is, if any. */
export function helperOf(call: PyCall): { kind: HelperKind; fn: string } | undefined {
  const m = /(?:^|\.)dj_database_url\.(config|parse)$/.exec(call.callee);
  if (m) return { kind: 'dj-database-url', fn: m[1] as string };
  const e = /(?:^|\.)(?:env|Env)\.(db|db_url|db_url_config)$/.exec(call.callee);
  if (e) return { kind: 'django-environ', fn: e[1] as string };
  return undefined;
}

/** A query value as django-environ types it: digits become an int in every version; other text differs by version. */
function environValue(value: string, span: Span): PyValue {
  if (/^\d+$/.test(value)) return { kind: 'int', value: Number(value), span };
  return {
    kind: 'unknown',
    reason: `"${value}" is read with ast.literal_eval by current django-environ and kept as text by 0.4.4 (django.md), so its type depends on the version`,
    span,
  };
}

/**
 * The alias dict a dj-database-url or django-environ call returns, as far as it is known: ENGINE,
 * NAME/USER/PASSWORD/HOST/PORT and OPTIONS from the URL (unknown when the URL is), CONN_MAX_AGE and
 * CONN_HEALTH_CHECKS as the helper sets them. Undefined for any other call.
 */
export function expandDatabaseCall(call: PyCall): PyValue | undefined {
  const helper = helperOf(call);
  if (!helper) return undefined;
  const span = call.span;
  const fn = `${helper.kind === 'dj-database-url' ? 'dj_database_url' : 'env'}.${helper.fn}()`;

  // The URL: an argument, or an environment variable (DATABASE_URL unless named) with the code's default.
  let urlValue: PyValue;
  if (helper.fn === 'parse' || helper.fn === 'db_url_config') {
    urlValue = call.args[0] ?? kwarg(call, 'url')?.value ?? { kind: 'unknown', reason: `${fn} is given no URL`, span };
  } else {
    const varArg = helper.kind === 'dj-database-url' ? kwarg(call, 'env')?.value : (call.args[0] ?? kwarg(call, 'var')?.value);
    const varName = varArg ? scalarOf(varArg).literal : undefined;
    const name = varName?.kind === 'str' ? varName.value : 'DATABASE_URL';
    const def = helper.kind === 'dj-database-url' ? kwarg(call, 'default')?.value : (call.args[1] ?? kwarg(call, 'default')?.value);
    urlValue = {
      kind: 'env',
      name,
      ...(def && def.kind !== 'none' ? { default: def } : {}),
      via: fn.replace('()', ''),
      span,
    };
  }
  const url = scalarOf(urlValue);
  const urlText = url.literal?.kind === 'str' ? url.literal.value : undefined;
  const parsed = urlText ? parseUrl(urlText) : undefined;
  const at = urlValue.span;
  const entries: PyDictEntry[] = [];
  const schemes = helper.kind === 'dj-database-url' ? DJ_SCHEMES : ENVIRON_SCHEMES;
  const engineArg = kwarg(call, 'engine')?.value;
  const urlNote = url.note ? ` (${url.note})` : '';
  if (engineArg && engineArg.kind !== 'none') entries.push(entry('ENGINE', engineArg, span));
  else if (parsed) {
    const engine = schemes[parsed.scheme];
    entries.push(
      entry(
        'ENGINE',
        engine
          ? noted(str(engine, at), `from the URL scheme ${parsed.scheme}://${urlNote}`)
          : { kind: 'unknown', reason: `${fn} knows no scheme ${parsed.scheme}://`, span: at },
        at,
      ),
    );
  } else {
    entries.push(
      entry('ENGINE', { kind: 'unknown', reason: `the URL ${fn} reads is not known here (${url.unknown ?? 'not a URL'})`, span: at }, at),
    );
  }
  if (parsed) {
    if (parsed.name !== undefined) entries.push(entry('NAME', str(parsed.name, at), at));
    if (parsed.user !== undefined) entries.push(entry('USER', str(parsed.user, at), at));
    if (parsed.password !== undefined) entries.push(entry('PASSWORD', str(parsed.password, at), at));
    if (parsed.host !== undefined) entries.push(entry('HOST', str(parsed.host, at), at));
    if (parsed.port !== undefined) entries.push(entry('PORT', str(parsed.port, at), at));
  }
  const options: PyDictEntry[] = [];
  const problems: Array<{ message: string; span: Span }> = [];
  let queryMaxAge: PyValue | undefined;
  let queryHealth: PyValue | undefined;
  for (const q of parsed?.query ?? []) {
    const lower = q.key.toLowerCase();
    if (helper.kind === 'django-environ' && lower === 'conn_max_age') {
      queryMaxAge = noted(environValue(q.value, at), `from ?${q.key}= in the URL`);
      continue;
    }
    if (helper.kind === 'django-environ' && lower === 'conn_health_checks') {
      queryHealth = noted(
        {
          kind: 'unknown',
          reason: `?${q.key}=${q.value} becomes CONN_HEALTH_CHECKS only in current django-environ (with ast.literal_eval, so lowercase "false" stays text, which is true), and goes to the driver in 0.4.4 (django.md)`,
          span: at,
        },
        `from ?${q.key}= in the URL`,
      );
      continue;
    }
    if (helper.kind === 'dj-database-url' && (lower === 'conn_max_age' || lower === 'conn_health_checks')) {
      problems.push({
        message: `?${q.key}= in the URL is not ${q.key.toUpperCase()}: ${fn} puts every query parameter into OPTIONS, which Django hands to the database driver (django.md, confirmed by running dj-database-url 3.1.2). Pass ${lower}= to ${fn} instead`,
        span: at,
      });
    }
    const value: PyValue = /^\d+$/.test(q.value) ? { kind: 'int', value: Number(q.value), span: at } : str(q.value, at);
    options.push(entry(q.key, value, at));
  }
  if (options.length > 0) entries.push(entry('OPTIONS', { kind: 'dict', entries: options, span: at }, at));

  if (helper.kind === 'dj-database-url') {
    // config()/parse() always emit both keys (django.md, confirmed by running 3.1.2).
    const age = kwarg(call, 'conn_max_age');
    entries.push(
      age
        ? { key: str('CONN_MAX_AGE', age.span), value: keyword(age.value, 'conn_max_age'), span: age.span }
        : entry(
            'CONN_MAX_AGE',
            noted({ kind: 'int', value: 0, span }, `set by ${fn}: conn_max_age defaults to 0`, `conn_max_age of ${fn}`),
            span,
          ),
    );
    const health = kwarg(call, 'conn_health_checks');
    entries.push(
      health
        ? { key: str('CONN_HEALTH_CHECKS', health.span), value: keyword(health.value, 'conn_health_checks'), span: health.span }
        : entry(
            'CONN_HEALTH_CHECKS',
            noted(
              { kind: 'bool', value: false, span },
              `set by ${fn}: conn_health_checks defaults to False`,
              `conn_health_checks of ${fn}`,
            ),
            span,
          ),
    );
  } else {
    if (queryMaxAge) entries.push(entry('CONN_MAX_AGE', queryMaxAge, at));
    if (queryHealth) entries.push(entry('CONN_HEALTH_CHECKS', queryHealth, at));
  }
  const dict: PyValue = { kind: 'dict', entries, span };
  if (problems.length > 0) URL_PROBLEMS.set(dict, problems);
  return dict;
}
