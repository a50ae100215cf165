/**
 * Django's database connections from `DATABASES` (django.md). Django is not a pool: each thread keeps
 * at most one connection per alias and, at the start and end of each request only, closes it once it is
 * older than `CONN_MAX_AGE` (0: after every request; None: never). `CONN_HEALTH_CHECKS` (4.1+) checks a
 * reused connection at the first database use of each request. On PostgreSQL, Django 5.1+'s
 * `OPTIONS["pool"]` hands connections to a psycopg_pool instead, whose `max_lifetime` is checked when a
 * connection is returned, not when it is lent. Each alias becomes one pool, so the rules compare its
 * lifetime with the server's `wait_timeout` and ask for validation as they do for any pool.
 */
import type { DriverKeepalive, Engine, IdleMechanism, LibraryVersion, Pool, PoolSize } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { type Setting, sortedByKey, type Value } from '../../model/setting.js';
import type { Span } from '../../model/span.js';
import type { PyValue } from '../python/value.js';
import { djangoDriver } from '../sqlalchemy/drivers.js';
import { secondsWrittenAsMs, unitSlipProblem } from '../duration-unit.js';
import { addSessionWaitTimeout, queuePoolSize } from '../sqlalchemy/pool.js';
import { poolSizeOf } from '../pool-size.js';
import {
  dictItems,
  dictView,
  pyInt,
  pyRepr,
  pyStr,
  pyTruthy,
  pyValueSpanOf,
  rawOf,
  type Scalar,
  type SourceTexts,
  scalarOf,
  withPythonLiterals,
  envWriteAs,
  valueOrigin,
} from '../sqlalchemy/python-scalar.js';
import { expandDatabaseCall, helperKeyword, helperNote, helperProblems, helperWriteAs } from './database-url.js';

export interface DjangoInput {
  /** The settings module's file (the leaf of a split settings package). */
  path: string;
  /** The value `DATABASES` has in that module, after every import, assignment and update. */
  databases: PyValue;
  /** The settings module (`myproj.settings.production`). */
  environment?: string;
  environmentNote?: string;
  /** Django's version, when the project's manifest or connlint.config.yaml says. */
  version?: LibraryVersion;
  sourceText?: SourceTexts;
}

export interface DjangoResult {
  pools: Pool[];
  problems: Problem[];
  /** Aliases that give no pool to lint, and why (SQLite, a third-party pool backend ...). */
  notPooled: Array<{ alias: string; reason: string }>;
}

type Backend =
  | { kind: 'django'; engine?: Engine; connector: boolean; reason: string }
  | { kind: 'dj-db-conn-pool'; engine: Engine; reason: string }
  | { kind: 'none'; reason: string };

const MYSQL_BACKENDS = new Set(['django.db.backends.mysql', 'django.contrib.gis.db.backends.mysql', 'django_prometheus.db.backends.mysql']);
const POSTGRES_BACKENDS = new Set([
  'django.db.backends.postgresql',
  'django.db.backends.postgresql_psycopg2',
  'django.contrib.gis.db.backends.postgis',
  'django_prometheus.db.backends.postgresql',
  'django_prometheus.db.backends.postgis',
  'timescale.db.backends.postgresql',
  'timescale.db.backends.postgis',
]);

/** What an ENGINE string means here (django.md, Settings: ENGINE). */
function backendOf(engine: string): Backend {
  if (MYSQL_BACKENDS.has(engine))
    return { kind: 'django', engine: 'mysql', connector: false, reason: `ENGINE ${engine} (MySQL or MariaDB)` };
  if (engine === 'mysql.connector.django')
    return { kind: 'django', engine: 'mysql', connector: true, reason: `ENGINE ${engine} (MySQL Connector/Python)` };
  if (POSTGRES_BACKENDS.has(engine)) return { kind: 'django', engine: 'postgresql', connector: false, reason: `ENGINE ${engine}` };
  const pool = /^dj_db_conn_pool\.backends\.(mysql|postgresql)$/.exec(engine);
  if (pool) return { kind: 'dj-db-conn-pool', engine: pool[1] === 'mysql' ? 'mysql' : 'postgresql', reason: `ENGINE ${engine}` };
  if (engine.startsWith('django_db_geventpool.'))
    return {
      kind: 'none',
      reason: `ENGINE ${engine} returns every connection to its own pool, so CONN_MAX_AGE has no effect; that pool is not modelled`,
    };
  if (/sqlite3|spatialite/.test(engine))
    return { kind: 'none', reason: `ENGINE ${engine}: a local SQLite file, with no server or network to close idle connections` };
  return { kind: 'none', reason: `ENGINE ${engine} is not a MySQL, MariaDB or PostgreSQL backend connlint models` };
}

/** Keys Django reads in an alias; any other is ignored without a word (django.md, configure_settings). */
const KNOWN_KEYS = new Set([
  'ENGINE',
  'NAME',
  'USER',
  'PASSWORD',
  'HOST',
  'PORT',
  'OPTIONS',
  'TEST',
  'ATOMIC_REQUESTS',
  'AUTOCOMMIT',
  'CONN_MAX_AGE',
  'CONN_HEALTH_CHECKS',
  'TIME_ZONE',
  'DISABLE_SERVER_SIDE_CURSORS',
]);
/** Misplaced pool-like keys and the Django setting that does the job. */
const LOOKALIKES: Record<string, string | undefined> = {
  POOL_RECYCLE: 'CONN_MAX_AGE',
  CONN_MAX_AGES: 'CONN_MAX_AGE',
  MAX_AGE: 'CONN_MAX_AGE',
  CONN_MAX_AGE_SECONDS: 'CONN_MAX_AGE',
  POOL_PRE_PING: 'CONN_HEALTH_CHECKS',
  CONN_HEALTH_CHECK: 'CONN_HEALTH_CHECKS',
  HEALTH_CHECKS: 'CONN_HEALTH_CHECKS',
  POOL_TIMEOUT: undefined,
  POOL_SIZE: undefined,
  MAX_OVERFLOW: undefined,
};

const FACT_AGE_DEFAULT = 'django.md, Settings: CONN_MAX_AGE defaults to 0 (all versions since 1.6)';
const FACT_HEALTH_DEFAULT = 'django.md, Settings: CONN_HEALTH_CHECKS defaults to False (added in 4.1)';
const FACT_HEALTH =
  'django.md, Behaviour: with CONN_HEALTH_CHECKS=True (Django 4.1+) the first database use of each request checks a reused connection (MySQL ping(), PostgreSQL SELECT 1) and reconnects if it is dead; never outside the request cycle';
const FACT_HEALTH_SUFFICES =
  'django.md, "What a linter can safely conclude": CONN_HEALTH_CHECKS=True on Django 4.1 or later makes a long or None CONN_MAX_AGE harmless for request handling (trap: don\'t flag)';
const FACT_NO_HEALTH = 'django.md, Behaviour: without CONN_HEALTH_CHECKS Django reuses a persistent connection without checking it';
const FACT_CLOSE_EACH =
  'django.md, Settings: CONN_MAX_AGE=0 closes the connection at the end of each request, so each request opens a new one and nothing stale is reused';

function versionAtLeast(v: string, min: string): boolean {
  const a = v.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const b = min.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

interface Item {
  key: string;
  value: PyValue;
  span: Span;
  overrides?: Span[];
}

/** A merge not known here (`.update(get_db())`) may have set a key the alias does not list. */
type Open = { reason: string; span: Span } | undefined;

interface Ctx {
  input: DjangoInput;
  alias: string;
  problems: Problem[];
}

function keyOf(ctx: Ctx, name: string): string {
  return `DATABASES["${ctx.alias}"]["${name}"]`;
}

/** The key as written, with where a value comes from (`... (from environment CONN_MAX_AGE, default 60)`). */
function labelled(key: string, value: PyValue, s: Scalar): string {
  const note = helperNote(value) ?? s.note;
  return note ? `${key} (${note})` : key;
}

function written(ctx: Ctx, key: string, canonicalKey: string, item: Item, value: Value, s: Scalar, unit?: 's'): Setting {
  return {
    key: labelled(key, item.value, s),
    canonicalKey,
    raw: rawOf(item.value, ctx.input.sourceText),
    text: s.literal ? pyStr(s.literal) : null,
    value,
    origin: valueOrigin(item.span, s),
    ...pyValueSpanOf(item.value, item.span, ctx.input.sourceText),
    overrides: (item.overrides ?? []).map((span) => ({ kind: 'file' as const, span, via: [] })),
    ...(unit ? { unit } : {}),
    ...((helperWriteAs(item.value) ?? envWriteAs(s)) ? { writeAs: helperWriteAs(item.value) ?? envWriteAs(s) } : {}),
  };
}

/** A key the alias does not list but an unexpanded merge may set: unknown, written where the merge is. */
function mayBeMerged(key: string, canonicalKey: string, open: NonNullable<Open>, unit?: 's'): Setting {
  return {
    key,
    canonicalKey,
    raw: null,
    text: null,
    value: { kind: 'unknown', reason: `${key} may be set by a merge that is not known here (${open.reason})` },
    origin: { kind: 'file', span: open.span, via: [] },
    overrides: [],
    ...(unit ? { unit } : {}),
  };
}

function djangoDefault(key: string, canonicalKey: string, value: Value, fact: string, version?: string, unit?: 's'): Setting {
  return {
    key,
    canonicalKey,
    raw: null,
    text: null,
    value,
    origin: { kind: 'library-default', library: 'Django', ...(version ? { version } : {}), fact },
    overrides: [],
    ...(unit ? { unit } : {}),
  };
}

/** CONN_MAX_AGE: seconds, None for no limit; a string fails at the first connect (django.md). */
function readMaxAge(ctx: Ctx, item: Item | undefined, open: Open): Setting {
  const key = keyOf(ctx, 'CONN_MAX_AGE');
  if (!item && open) return mayBeMerged(key, 'CONN_MAX_AGE', open, 's');
  if (!item) return djangoDefault(key, 'CONN_MAX_AGE', { kind: 'duration', ms: 0 }, FACT_AGE_DEFAULT, undefined, 's');
  const s = scalarOf(item.value);
  const label = labelled(item.key, item.value, s);
  const crash = (what: string, when: string) =>
    ctx.problems.push({
      severity: 'error',
      ruleId: 'startup-failure',
      span: item.span,
      message: `${label} is ${what}, and Django adds it to a number, so the first connection fails with TypeError: unsupported operand type(s) for +: 'float' and 'str' (${when}; django.md, confirmed by running 5.2.17). ${s.env ? 'Convert it with int(...) or cast=int' : 'Write it as a number of seconds'}`,
    });
  if (s.env && s.env.typeWhenSet === 'str')
    crash(
      `read from environment variable ${s.env.name} as text (${s.env.via} returns a string when it is set)`,
      'whenever the variable is set',
    );
  const lit = s.literal;
  let value: Value;
  if (!lit) value = { kind: 'unknown', reason: `${label}: ${s.unknown}` };
  else if (lit.kind === 'none') value = { kind: 'unknown', reason: 'None: no age limit' };
  else if (lit.kind === 'str') {
    if (!s.env) crash(`the string ${pyRepr(lit)}`, 'always');
    value = { kind: 'unknown', reason: `${label} is text, which Django cannot add to a time` };
  } else {
    const n = lit.kind === 'bool' ? (lit.value ? 1 : 0) : lit.value;
    value = { kind: 'duration', ms: Math.round(n * 1000) };
  }
  const setting = written(ctx, item.key, 'CONN_MAX_AGE', item, value, s, 's');
  // None is a real value, not an unknown one: the mechanism below says so.
  if (lit?.kind === 'none') setting.value = { kind: 'string', value: 'None' };
  return setting;
}

function readHealthChecks(ctx: Ctx, item: Item | undefined, open: Open): Setting {
  const setting = readHealthChecksValue(ctx, item, open);
  // Advice to switch it on says the version it needs, unless the project's Django is known to have it.
  const version = ctx.input.version?.version;
  if (!version || Number.parseFloat(version) < 4.1) setting.requires = 'Django 4.1 or later';
  return setting;
}

function readHealthChecksValue(ctx: Ctx, item: Item | undefined, open: Open): Setting {
  const key = keyOf(ctx, 'CONN_HEALTH_CHECKS');
  if (!item && open) return mayBeMerged(key, 'CONN_HEALTH_CHECKS', open);
  if (!item) return djangoDefault(key, 'CONN_HEALTH_CHECKS', { kind: 'bool', value: false }, FACT_HEALTH_DEFAULT, '4.1+');
  const s = scalarOf(item.value);
  const label = labelled(item.key, item.value, s);
  const lit = s.literal;
  if (!lit) return written(ctx, item.key, 'CONN_HEALTH_CHECKS', item, { kind: 'unknown', reason: `${label}: ${s.unknown}` }, s);
  const on = pyTruthy(lit);
  if (lit.kind === 'str' && on && /^\s*(false|no|off|0|n|f|none)\s*$/i.test(lit.value)) {
    ctx.problems.push({
      severity: 'warning',
      ruleId: 'setting-ignored-by-library',
      span: item.span,
      message: `${label} is ${pyRepr(lit)}, which turns health checks on: Django tests CONN_HEALTH_CHECKS for truthiness, and any non-empty string is true (django.md). Write False`,
    });
  }
  return written(ctx, item.key, 'CONN_HEALTH_CHECKS', item, { kind: 'bool', value: on }, s);
}

function stringSetting(ctx: Ctx, item: Item, canonicalKey: string): Setting {
  const s = scalarOf(item.value);
  const lit = s.literal;
  const value: Value = lit ? { kind: 'string', value: pyStr(lit) } : { kind: 'unknown', reason: `${item.key}: ${s.unknown}` };
  return written(ctx, item.key, canonicalKey, item, value, s);
}

/** OPTIONS the model cares about: driver timeouts, init_command, libpq keepalives (django.md, OPTIONS). */
function readOptions(ctx: Ctx, options: Item | undefined, settings: Map<string, Setting>, engine: Engine | undefined): Item[] {
  if (!options) return [];
  const items = dictItems(options.value);
  if (!items) return [];
  const out: Item[] = [];
  for (const i of items) {
    const item: Item = { key: `${options.key}["${i.key}"]`, value: i.value, span: i.span };
    out.push({ ...item, key: i.key });
    const seconds = ['connect_timeout', 'read_timeout', 'write_timeout', 'keepalives_idle', 'keepalives_interval'].includes(i.key);
    if (!seconds && i.key !== 'init_command' && i.key !== 'keepalives' && i.key !== 'read_default_file') continue;
    const s = scalarOf(i.value);
    const lit = s.literal;
    let value: Value;
    if (!lit) value = { kind: 'unknown', reason: `${item.key}: ${s.unknown}` };
    else if (seconds) {
      const n = lit.kind === 'int' || lit.kind === 'float' ? lit.value : lit.kind === 'str' ? pyInt(lit.value) : undefined;
      value =
        n === undefined ? { kind: 'unknown', reason: `${item.key} is ${pyRepr(lit)}` } : { kind: 'duration', ms: Math.round(n * 1000) };
    } else if (i.key === 'keepalives') value = { kind: 'count', value: lit.kind === 'int' ? lit.value : (pyInt(pyStr(lit)) ?? Number.NaN) };
    else value = { kind: 'string', value: pyStr(lit) };
    const setting = written(ctx, item.key, `OPTIONS.${i.key}`, item, value, s, seconds ? 's' : undefined);
    settings.set(`OPTIONS.${i.key}`, setting);
    if (i.key === 'init_command' && engine !== 'postgresql') addSessionWaitTimeout(settings, setting);
  }
  return out;
}

function keepaliveOf(engine: Engine | undefined, connector: boolean, settings: Map<string, Setting>): DriverKeepalive | undefined {
  if (!engine) return undefined;
  const driver = djangoDriver(engine, connector);
  if (!driver.keepalive) return undefined;
  const off = settings.get('OPTIONS.keepalives');
  if (driver.libpq && off?.value.kind === 'count' && off.value.value === 0)
    return { driver: driver.name, value: false, fact: `${off.key} is 0, which turns libpq's TCP keepalive off (sysctl.md)`, setting: off };
  return { driver: driver.name, value: driver.keepalive.value, fact: driver.keepalive.fact, ...(off ? { setting: off } : {}) };
}

/** psycopg_pool keyword defaults (django.md, psycopg_pool kwargs; pool-3.2.0 and pool-3.3.1). */
const PSYCOPG_POOL: Record<string, { value: Value; unit?: 's' }> = {
  min_size: { value: { kind: 'count', value: 4 } },
  max_lifetime: { value: { kind: 'duration', ms: 3_600_000 }, unit: 's' },
  max_idle: { value: { kind: 'duration', ms: 600_000 }, unit: 's' },
  timeout: { value: { kind: 'duration', ms: 30_000 }, unit: 's' },
};
const FACT_PSYCOPG_POOL = 'django.md, psycopg_pool kwargs via OPTIONS["pool"] (pool-3.2.0 and pool-3.3.1 defaults)';

/** dj_db_conn_pool POOL_OPTIONS: upper-case keys only (django.md, dj_db_conn_pool). */
const CONN_POOL: Record<string, { value: Value; unit?: 's' }> = {
  POOL_SIZE: { value: { kind: 'count', value: 10 } },
  MAX_OVERFLOW: { value: { kind: 'count', value: 10 } },
  RECYCLE: { value: { kind: 'duration', ms: 900_000 }, unit: 's' },
  PRE_PING: { value: { kind: 'bool', value: true } },
  TIMEOUT: { value: { kind: 'duration', ms: 30_000 }, unit: 's' },
  ECHO: { value: { kind: 'bool', value: false } },
};
const FACT_CONN_POOL = 'django.md, dj_db_conn_pool POOL_OPTIONS (POOL_SIZE 10, MAX_OVERFLOW 10, RECYCLE 900, PRE_PING True, TIMEOUT 30)';

/** A numeric or bool value from a pool option dict (seconds for `unit: 's'`). */
function poolValue(item: Item, label: string, unit: 's' | undefined, def: Value): { value: Value; s: Scalar } {
  const s = scalarOf(item.value);
  const lit = s.literal;
  if (!lit) return { value: { kind: 'unknown', reason: `${label}: ${s.unknown}` }, s };
  if (def.kind === 'bool') return { value: { kind: 'bool', value: pyTruthy(lit) }, s };
  const n = lit.kind === 'int' || lit.kind === 'float' ? lit.value : lit.kind === 'bool' ? Number(lit.value) : undefined;
  if (n === undefined) return { value: { kind: 'unknown', reason: `${label} is ${pyRepr(lit)}, not a number` }, s };
  return { value: unit === 's' ? { kind: 'duration', ms: Math.round(n * 1000) } : { kind: 'count', value: n }, s };
}

/** One alias: its pool, or why it has none. */
function readAlias(ctx: Ctx, aliasItem: Item): { pool?: Pool; reason?: string } {
  const input = ctx.input;
  let dict = aliasItem.value;
  if (dict.kind === 'call') {
    const expanded = expandDatabaseCall(dict);
    if (!expanded) return { reason: `DATABASES["${ctx.alias}"] is ${dict.written ?? dict.callee}(...), which connlint does not evaluate` };
    dict = expanded;
  }
  // `.update(dj_database_url.config())` and `{**dj_database_url.parse(...)}` are merges the helper expands.
  const expand = (v: PyValue) => {
    if (v.kind !== 'call') return undefined;
    const e = expandDatabaseCall(v);
    for (const p of e ? helperProblems(e) : [])
      ctx.problems.push({ ruleId: 'setting-ignored-by-library', severity: 'warning', span: p.span, message: p.message });
    return e;
  };
  for (const p of helperProblems(dict))
    ctx.problems.push({ ruleId: 'setting-ignored-by-library', severity: 'warning', span: p.span, message: p.message });
  const view = dictView(dict, expand);
  const raw = view?.items;
  if (!raw) return { reason: `DATABASES["${ctx.alias}"] is not known here (${scalarOf(dict).unknown ?? 'not a dict'})` };
  const items = new Map<string, Item>(
    raw.map((i) => [i.key, { key: keyOf(ctx, i.key), value: i.value, span: i.span, overrides: i.overrides }]),
  );
  // Inside a helper call's result, keys are named as the helper's arguments were written.
  for (const i of raw) {
    const name = helperKeyword(i.value);
    if (name) items.set(i.key, { ...(items.get(i.key) as Item), key: name });
  }

  const engineItem = items.get('ENGINE');
  let backend: Backend;
  if (!engineItem && view?.open)
    backend = { kind: 'django', connector: false, reason: `ENGINE is not known here: it may be set by ${view.open.reason}` };
  else if (!engineItem)
    backend = { kind: 'none', reason: `DATABASES["${ctx.alias}"] has no ENGINE, so Django uses django.db.backends.dummy` };
  else {
    const s = scalarOf(engineItem.value);
    backend =
      s.literal?.kind === 'str'
        ? backendOf(s.literal.value)
        : { kind: 'django', connector: false, reason: `ENGINE is not known here (${s.unknown ?? 'not a string'})` };
  }
  if (backend.kind === 'none') return { reason: backend.reason };
  const engine = backend.engine;
  const settings = new Map<string, Setting>();
  if (engineItem) settings.set('ENGINE', stringSetting(ctx, engineItem, 'ENGINE'));
  for (const k of ['NAME', 'USER', 'PASSWORD', 'HOST', 'PORT']) {
    const item = items.get(k);
    if (item) settings.set(k, stringSetting(ctx, item, k));
  }
  const hostSetting = settings.get('HOST');
  const hostText = hostSetting?.value.kind === 'string' ? hostSetting.value.value : undefined;
  // An empty HOST is localhost; one starting with `/` is a Unix socket (django.md).
  const host = hostText && !hostText.startsWith('/') && !/[$%{}<>[\]]/.test(hostText) ? hostText.toLowerCase() : undefined;

  for (const [k, item] of items) {
    if (KNOWN_KEYS.has(k) || (backend.kind === 'dj-db-conn-pool' && k === 'POOL_OPTIONS')) continue;
    const upper = k.toUpperCase();
    if (!(upper in LOOKALIKES) && !/^(POOL_|CONN_)/.test(upper) && !KNOWN_KEYS.has(upper)) continue;
    const instead = KNOWN_KEYS.has(upper) ? upper : LOOKALIKES[upper];
    ctx.problems.push({
      severity: 'warning',
      ruleId: 'unknown-setting',
      span: item.span,
      message: `${item.key} is ignored: Django reads no such key and never rejects unknown ones (django.md, configure_settings).${instead ? ` Its setting for this is ${instead}` : ' Django has no pool size or timeout of its own'}`,
    });
  }

  const optionItems = readOptions(ctx, items.get('OPTIONS'), settings, engine);
  const keepalive = keepaliveOf(engine, backend.kind === 'django' && backend.connector, settings);
  const env = input.environment;
  const version = input.version?.version;
  const base = {
    name: `DATABASES["${ctx.alias}"]${env ? ` (${env})` : ''}`,
    ...(engine ? { engine, engineReason: backend.reason } : {}),
    // An ENGINE that is not known here (a DATABASE_URL from the environment) may be SQLite's: no server.
    ...(engine ? {} : { serverUncertain: `the database may be SQLite, a local file: ${backend.reason}` }),
    ...(env ? { environment: env } : {}),
    ...(input.environmentNote ? { environmentNote: input.environmentNote } : {}),
    ...(host ? { host } : {}),
    origin: aliasItem.span,
    ...(keepalive ? { tcpKeepalive: keepalive } : {}),
  };
  const idOf = (library: string) => `${library}:${input.path}@${ctx.alias}${env ? `#${env}` : ''}`;

  if (backend.kind === 'dj-db-conn-pool') {
    const po = items.get('POOL_OPTIONS');
    const given = po ? dictItems(po.value) : undefined;
    for (const [k, d] of Object.entries(CONN_POOL)) {
      settings.set(`POOL_OPTIONS.${k}`, {
        key: `${keyOf(ctx, 'POOL_OPTIONS')}["${k}"]`,
        canonicalKey: `POOL_OPTIONS.${k}`,
        raw: null,
        text: null,
        value: d.value,
        origin: { kind: 'library-default', library: 'dj_db_conn_pool', fact: FACT_CONN_POOL },
        overrides: [],
        ...(d.unit ? { unit: d.unit } : {}),
      });
    }
    for (const g of given ?? []) {
      const item: Item = { key: `${keyOf(ctx, 'POOL_OPTIONS')}["${g.key}"]`, value: g.value, span: g.span };
      const d = CONN_POOL[g.key];
      if (!d) {
        const upper = g.key.toUpperCase().replace(/^POOL_(?!SIZE)/, '');
        ctx.problems.push({
          severity: 'warning',
          ruleId: 'unknown-setting',
          span: g.span,
          message: `${item.key} is ignored: dj_db_conn_pool keeps only the upper-case keys ${Object.keys(CONN_POOL).join(', ')} and drops any other without a word (django.md).${CONN_POOL[upper] ? ` Write it as "${upper}"` : ''}`,
        });
        continue;
      }
      const { value, s } = poolValue(item, item.key, d.unit, d.value);
      settings.set(`POOL_OPTIONS.${g.key}`, written(ctx, item.key, `POOL_OPTIONS.${g.key}`, item, value, s, d.unit));
    }
    const recycle = settings.get('POOL_OPTIONS.RECYCLE') as Setting;
    const rv = recycle.value;
    const ping = settings.get('POOL_OPTIONS.PRE_PING') as Setting;
    const pv = ping.value;
    const maxSize = queuePoolSize(
      settings.get('POOL_OPTIONS.POOL_SIZE') as Setting,
      settings.get('POOL_OPTIONS.MAX_OVERFLOW') as Setting,
      'django.md, dj_db_conn_pool: a SQLAlchemy QueuePool per alias per process, POOL_SIZE + MAX_OVERFLOW (sqlalchemy.md: 0 and -1 = no limit)',
    );
    return {
      pool: {
        id: idOf('dj-db-conn-pool'),
        library: 'dj-db-conn-pool',
        libraryName: 'dj_db_conn_pool',
        ...base,
        settings: withPythonLiterals(sortedByKey(settings)),
        maxSize,
        idle: [
          {
            kind: 'max-lifetime',
            setting: recycle,
            boundMs: rv.kind === 'duration' && rv.ms >= 0 ? rv.ms : undefined,
            refreshesServer: false,
            ...(rv.kind === 'duration' && rv.ms < 0
              ? { note: `${recycle.key} is ${rv.ms / 1000}, so SQLAlchemy never recycles by age` }
              : {}),
          },
        ],
        validatesOnCheckout: {
          value: pv.kind === 'unknown' || (pv.kind === 'bool' && pv.value),
          fact:
            pv.kind === 'unknown'
              ? `${ping.key} is not known here, so it is not assumed off`
              : 'django.md, dj_db_conn_pool: a SQLAlchemy QueuePool per alias; PRE_PING (default True) pings at checkout (sqlalchemy.md)',
          setting: ping,
        },
      },
    };
  }

  const maxAge = readMaxAge(ctx, items.get('CONN_MAX_AGE'), view?.open);
  const health = readHealthChecks(ctx, items.get('CONN_HEALTH_CHECKS'), view?.open);
  settings.set('CONN_MAX_AGE', maxAge);
  settings.set('CONN_HEALTH_CHECKS', health);
  const hv = health.value;
  const healthIgnored = version !== undefined && !versionAtLeast(version, '4.1');
  if (healthIgnored && health.origin.kind === 'file' && hv.kind === 'bool' && hv.value) {
    ctx.problems.push({
      severity: 'warning',
      ruleId: 'setting-ignored-by-library',
      span: health.origin.span,
      message: `${health.key} is ignored: Django ${version} predates CONN_HEALTH_CHECKS (added in 4.1) and does not check unknown keys (django.md)`,
    });
  }
  const healthOn = !healthIgnored && (hv.kind === 'unknown' || (hv.kind === 'bool' && hv.value));
  // A health check written as True (not unknown, not ignored by an older Django) covers a long CONN_MAX_AGE.
  const healthSuffices = healthOn && hv.kind === 'bool';
  const healthFact =
    hv.kind === 'unknown'
      ? `${health.key} is not known here, so it is not assumed off`
      : healthOn
        ? `${FACT_HEALTH}${version === undefined ? '; assumes Django 4.1 or later' : ''}`
        : healthIgnored
          ? `Django ${version} has no CONN_HEALTH_CHECKS (added in 4.1; django.md)`
          : FACT_NO_HEALTH;

  // Django 5.1+ PostgreSQL pool: psycopg_pool owns the connections (django.md, OPTIONS["pool"]).
  const poolItem = optionItems.find((i) => i.key === 'pool');
  const poolScalar = poolItem ? scalarOf(poolItem.value) : undefined;
  const pooled = poolItem && (poolItem.value.kind === 'dict' || (poolScalar?.literal !== undefined && pyTruthy(poolScalar.literal)));
  // A CONN_MAX_AGE in milliseconds by mistake; the pooled PostgreSQL case below already refuses any non-zero value.
  const ageSeconds = maxAge.value.kind === 'duration' ? maxAge.value.ms / 1000 : Number.NaN;
  const ageSlip = pooled && engine === 'postgresql' ? undefined : secondsWrittenAsMs(ageSeconds);
  if (ageSlip && maxAge.origin.kind === 'file') {
    ctx.problems.push(
      unitSlipProblem(maxAge.origin.span, {
        key: maxAge.key,
        written: ageSeconds,
        library: 'Django',
        unit: 's',
        slip: ageSlip,
        effect: 'each persistent connection is kept that long after it connects, past any server or network idle limit',
        fact: 'django.md, Settings: CONN_MAX_AGE',
      }),
    );
  }
  if (pooled && poolItem && engine === 'postgresql') {
    const ageValue = maxAge.value;
    if (!(ageValue.kind === 'duration' && ageValue.ms === 0) && ageValue.kind !== 'unknown') {
      ctx.problems.push({
        severity: 'error',
        ruleId: 'startup-failure',
        span: maxAge.origin.kind === 'file' ? maxAge.origin.span : poolItem.span,
        message: `${maxAge.key} must be 0 with OPTIONS["pool"]: Django refuses to start with ImproperlyConfigured: Pooling doesn't support persistent connections (django.md, confirmed by running 5.2.17). Remove CONN_MAX_AGE or set it to 0`,
      });
    }
    if (version !== undefined && !versionAtLeast(version, '5.1')) {
      ctx.problems.push({
        severity: 'warning',
        ruleId: 'setting-ignored-by-library',
        span: poolItem.span,
        message: `${keyOf(ctx, 'OPTIONS')}["pool"] needs Django 5.1 or later; Django ${version} passes it to the driver as a connection option (django.md)`,
      });
    }
    const poolKey = `${keyOf(ctx, 'OPTIONS')}["pool"]`;
    const given = dictItems(poolItem.value) ?? [];
    for (const [k, d] of Object.entries(PSYCOPG_POOL)) {
      const g = given.find((x) => x.key === k);
      const key = `${poolKey}["${k}"]`;
      if (!g) {
        settings.set(`pool.${k}`, {
          key,
          canonicalKey: `pool.${k}`,
          raw: null,
          text: null,
          value: d.value,
          origin: { kind: 'library-default', library: 'psycopg_pool', fact: FACT_PSYCOPG_POOL },
          overrides: [],
          ...(d.unit ? { unit: d.unit } : {}),
        });
        continue;
      }
      const item: Item = { key, value: g.value, span: g.span };
      const { value, s } = poolValue(item, key, d.unit, d.value);
      settings.set(`pool.${k}`, written(ctx, key, `pool.${k}`, item, value, s, d.unit));
    }
    const lifetime = settings.get('pool.max_lifetime') as Setting;
    const maxIdle = settings.get('pool.max_idle') as Setting;
    const min = settings.get('pool.min_size') as Setting;
    // max_size None (the default) = min_size: a fixed pool (django.md, psycopg_pool kwargs).
    const maxGiven = given.find((x) => x.key === 'max_size');
    let maxSize: PoolSize;
    if (maxGiven && scalarOf(maxGiven.value).literal?.kind !== 'none') {
      const key = `${poolKey}["max_size"]`;
      const item: Item = { key, value: maxGiven.value, span: maxGiven.span };
      const { value, s } = poolValue(item, key, undefined, { kind: 'count', value: 0 });
      settings.set('pool.max_size', written(ctx, key, 'pool.max_size', item, value, s, undefined));
      maxSize = poolSizeOf(settings.get('pool.max_size') as Setting);
    } else {
      const fixed = poolSizeOf(min);
      maxSize = { ...fixed, note: `${poolKey}["max_size"] is not set, so psycopg_pool stays at min_size: ${fixed.note}` };
    }
    const minText = min.value.kind === 'count' ? String(min.value.value) : 'unknown';
    const idle: IdleMechanism[] = [
      {
        kind: 'max-lifetime',
        setting: lifetime,
        boundMs: undefined,
        refreshesServer: false,
        note: `${lifetime.key} is checked when a connection is returned to psycopg_pool, not when it is lent, so it does not bound how long one sits idle`,
      },
      {
        kind: 'idle-timeout',
        setting: maxIdle,
        boundMs: undefined,
        refreshesServer: false,
        note: `${maxIdle.key} closes only connections above min_size (${minText}); those may sit idle indefinitely`,
      },
    ];
    return {
      pool: {
        id: idOf('psycopg-pool'),
        library: 'psycopg-pool',
        libraryName: 'psycopg_pool',
        ...base,
        settings: withPythonLiterals(sortedByKey(settings)),
        maxSize,
        idle,
        validatesOnCheckout: {
          value: healthOn,
          fact: healthOn
            ? 'django.md, OPTIONS["pool"]: with CONN_HEALTH_CHECKS=True Django passes check=ConnectionPool.check_connection, so psycopg_pool (3.2.0+) checks a connection before lending it'
            : 'django.md, psycopg_pool: no validation at getconn unless check is set, which Django does only with CONN_HEALTH_CHECKS=True',
          setting: health,
        },
      },
    };
  }
  if (pooled && poolItem && engine === 'mysql') {
    ctx.problems.push({
      severity: 'warning',
      ruleId: 'unknown-setting',
      span: poolItem.span,
      message: `${keyOf(ctx, 'OPTIONS')}["pool"] is a PostgreSQL option (Django 5.1+); the MySQL backend passes OPTIONS to MySQLdb.connect(), which has no such keyword (django.md)`,
    });
  }

  const av = maxAge.value;
  let mechanism: IdleMechanism;
  let validates: Pool['validatesOnCheckout'];
  if (av.kind === 'string') {
    mechanism = {
      kind: 'max-lifetime',
      setting: maxAge,
      boundMs: undefined,
      refreshesServer: false,
      note: `${maxAge.key} is None, so Django keeps each thread's connection open with no age limit`,
    };
    validates = { value: healthOn, fact: healthFact, setting: health, ...(healthSuffices ? { sufficient: FACT_HEALTH_SUFFICES } : {}) };
  } else if (av.kind === 'duration' && av.ms <= 0) {
    mechanism = {
      kind: 'max-lifetime',
      setting: maxAge,
      boundMs: 0,
      refreshesServer: false,
      note: `${maxAge.key} is ${av.ms < 0 ? `${av.ms / 1000}, which acts as 0` : '0'}: Django closes the connection at the end of each request`,
    };
    validates = { value: true, fact: FACT_CLOSE_EACH, setting: maxAge };
  } else {
    mechanism = { kind: 'max-lifetime', setting: maxAge, boundMs: av.kind === 'duration' ? av.ms : undefined, refreshesServer: false };
    validates = { value: healthOn, fact: healthFact, setting: health, ...(healthSuffices ? { sufficient: FACT_HEALTH_SUFFICES } : {}) };
  }
  return {
    pool: {
      id: idOf('django'),
      library: 'django',
      libraryName: 'Django',
      ...base,
      settings: withPythonLiterals(sortedByKey(settings)),
      idle: [mechanism],
      validatesOnCheckout: validates,
    },
  };
}

/** One pool per DATABASES alias that talks to MySQL, MariaDB or PostgreSQL, and what Django would reject or ignore. */
export function djangoPools(input: DjangoInput): DjangoResult {
  const problems: Problem[] = [];
  const pools: Pool[] = [];
  const notPooled: DjangoResult['notPooled'] = [];
  const aliases = dictItems(input.databases);
  if (!aliases) {
    notPooled.push({ alias: '*', reason: `DATABASES is not known here (${scalarOf(input.databases).unknown ?? 'not a dict'})` });
    return { pools, problems, notPooled };
  }
  for (const a of aliases) {
    const ctx: Ctx = { input, alias: a.key, problems };
    const got = readAlias(ctx, { key: `DATABASES["${a.key}"]`, value: a.value, span: a.span });
    if (got.pool) pools.push(got.pool);
    else notPooled.push({ alias: a.key, reason: got.reason ?? 'not modelled' });
  }
  return { pools, problems, notPooled };
}
