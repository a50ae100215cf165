/**
 * The tarn pool Knex builds for each configuration (knex-tarn.md): a knexfile's environments, a
 * `knex({...})` call, or Strapi's `config/database.{js,ts}`. Tarn creates connections lazily and
 * reaps free ones idle for `idleTimeoutMillis` (30 s) every `reapIntervalMillis` (1 s), but never
 * below `min` (default 2), so up to `min` connections can sit idle forever. On acquire knex checks
 * only local flags (driver `error`/`end` events, state fields), never a round trip; a user
 * `pool.validate` and `pool.maxConnectionLifetimeMillis` exist from knex 3.2.0 (earlier the first is
 * silently overwritten and the second makes `knex()` throw). With the version unknown, what differs
 * by version is unknown, never assumed.
 *
 * Strapi (`module.exports = ({ env }) => ({ connection: {...} })`): the function's returned value is
 * read; `env('X', d)`, `env.int`, `env.float` and `env.bool` calls are environment lookups with their
 * default (applied when the variable is unset); `env.json`, `env.array` and others stay unknown.
 * Strapi v3's `connections` shape is not modelled.
 */
import { poolSizeOf } from '../pool-size.js';
import type { DriverKeepalive, Engine, IdleMechanism, LibraryVersion, Pool } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { maskSecrets } from '../../model/secrets.js';
import { type Setting, sortedByKey, type Value } from '../../model/setting.js';
import { formatSpan, type Span } from '../../model/span.js';
import { levenshtein } from '../edit-distance.js';
import { msWrittenAsSeconds, unitSlipProblem } from '../duration-unit.js';
import { defaultSetting, jsScalarOf } from '../js/scalar.js';
import type { JsEnv, JsProperty, JsValue } from '../js/value.js';
import {
  describe,
  expandBranches,
  labelled,
  maySpread,
  numberOf,
  parseUrl,
  propsOf,
  since,
  stringOf,
  usableHost,
  writtenSetting,
} from './js-read.js';

export type KnexSource = 'knexfile' | 'call' | 'strapi';

export interface KnexInput {
  path: string;
  /** knexfile: the default export; call: the `knex(...)` JsCall (or its argument); strapi: the default export. */
  config: JsValue;
  source: KnexSource;
  version?: LibraryVersion;
  /** The driver's TCP keepalive for a client name as written (`mysql2`, `pg`) and its `connection` value. */
  driverKeepalive?: (client: string, connection: JsValue | undefined) => DriverKeepalive | undefined;
  sourceText?: ReadonlyMap<string, string>;
}

export interface KnexResult {
  pools: Pool[];
  problems: Problem[];
  notPooled: Array<{ name: string; reason: string }>;
}

const LIB = 'knex';
const FACT_SETTINGS = 'knex-tarn.md, Settings';
const FACT_MIN =
  'knex-tarn.md, Settings: pool.min defaults to 2 in every knex version from 0.21 to 3.3.0; those connections are never reaped for idleness';
const FACT_REAPER =
  'knex-tarn.md, Behaviour (Reaper): every reapIntervalMillis tarn destroys free connections idle for idleTimeoutMillis, never below min (used + free)';
const FACT_TIME =
  'knex-tarn.md, Settings: tarn time options must be undefined or an integer > 0; anything else (0, negative, fractional, strings, null) makes knex(config) throw at construction';
const FACT_NO_PING =
  'knex-tarn.md, Behaviour (Validation on acquire): no knex dialect sends a ping in any version; only a user pool.validate (knex 3.2.0+) can';

interface ClientInfo {
  /** Canonical knex client (`postgres` for `pg`). */
  name: string;
  engine?: Engine;
  sqlite?: boolean;
  /** The first knex version that accepts it. */
  since?: string;
  /** What knex checks on acquire instead of a round trip. */
  flags: (version: string | undefined) => string;
}

const DISPOSED = 'a __knex__disposed flag set when the driver emitted error';
const PG_FLAGS = () =>
  `knex checks no server state on acquire: only ${DISPOSED} or end ("Connection ended unexpectedly"); the pg dialect has no validateConnection of its own`;
const CLIENTS: Record<string, ClientInfo> = {
  mysql: {
    name: 'mysql',
    engine: 'mysql',
    flags: () => `knex checks local state on acquire: connection.state is "connected" or "authenticated" (mysql dialect), and ${DISPOSED}`,
  },
  mysql2: {
    name: 'mysql2',
    engine: 'mysql',
    flags: (v) => {
      const newer = since(v, '0.95.14');
      const which =
        newer === true
          ? '!_fatalError && !_protocolError && !_closing && !stream.destroyed'
          : newer === false
            ? 'only !_fatalError (knex before 0.95.14)'
            : '!_fatalError, and from knex 0.95.14 also _protocolError, _closing and stream.destroyed';
      return `knex checks local state on acquire: the mysql2 dialect tests ${which}, and ${DISPOSED}`;
    },
  },
  mariadb: {
    name: 'mariadb',
    engine: 'mariadb',
    since: '3.3.0',
    flags: () => `knex checks local state on acquire: connection.isValid(), a status check in the mariadb driver, and ${DISPOSED}`,
  },
  postgres: { name: 'postgres', engine: 'postgresql', flags: PG_FLAGS },
  pgnative: { name: 'pgnative', engine: 'postgresql', since: '0.95.12', flags: PG_FLAGS },
  cockroachdb: { name: 'cockroachdb', since: '0.95.12', flags: PG_FLAGS },
  redshift: { name: 'redshift', flags: PG_FLAGS },
  mssql: { name: 'mssql', flags: () => `knex checks local state on acquire: connection.connected (mssql dialect), and ${DISPOSED}` },
  oracledb: { name: 'oracledb', flags: () => `knex checks only ${DISPOSED} on acquire` },
  sqlite3: { name: 'sqlite3', sqlite: true, flags: () => '' },
  'better-sqlite3': { name: 'better-sqlite3', sqlite: true, since: '1.0.0', flags: () => '' },
};
/** knex's aliases (knex-tarn.md, Syntax: client names). */
const ALIASES: Record<string, string> = { pg: 'postgres', postgresql: 'postgres', sqlite: 'sqlite3' };
/** Strapi's dialect names, rewritten before knex sees them (knex-tarn.md, Strapi: v4 and v5 client names). */
const STRAPI_CLIENTS: Record<string, string> = {
  sqlite: 'sqlite3',
  'sqlite-legacy': 'sqlite3',
  mysql: 'mysql',
  mysql2: 'mysql2',
  postgres: 'postgres',
};

const TIME_KEYS: Record<string, number> = {
  idleTimeoutMillis: 30000,
  reapIntervalMillis: 1000,
  createTimeoutMillis: 30000,
  destroyTimeoutMillis: 5000,
  createRetryIntervalMillis: 200,
};
const POOL_KEYS = new Set([
  'min',
  'max',
  ...Object.keys(TIME_KEYS),
  'acquireTimeoutMillis',
  'propagateCreateError',
  'afterCreate',
  'validate',
  'log',
  'create',
  'destroy',
  'maxConnectionLifetimeMillis',
  'maxConnectionLifetimeJitterMillis',
]);
/** generic-pool keys knex warns about before tarn rejects them (knex-tarn.md, Settings). */
const GENERIC_POOL_KEYS = new Set([
  'maxWaitingClients',
  'testOnBorrow',
  'fifo',
  'priorityRange',
  'autostart',
  'evictionRunIntervalMillis',
  'numTestsPerRun',
  'softIdleTimeoutMillis',
  'Promise',
]);
const NEAR: Record<string, string> = {
  idleTimeout: 'idleTimeoutMillis',
  acquireTimeout: 'acquireTimeoutMillis',
  maxLifetime: 'maxConnectionLifetimeMillis',
  maxConnectionLifetime: 'maxConnectionLifetimeMillis',
};

interface Ctx {
  input: KnexInput;
  version?: string;
  problems: Problem[];
}

// ---------------------------------------------------------------------------------------------------
// Strapi's env() helper

const STRAPI_ENV = /^env(?:\.(int|float|bool))?$/;

/** `env('X', d)`, `env.int(...)`, `env.float(...)`, `env.bool(...)` as environment lookups, everywhere in the value. */
export function strapiEnvLookups(v: JsValue): JsValue {
  if (v.kind === 'call') {
    const m = STRAPI_ENV.exec(v.written) ?? STRAPI_ENV.exec(v.callee);
    const name = v.args[0]?.kind === 'string' ? v.args[0].value : undefined;
    if (m && name !== undefined) {
      const fallback = v.args[1] && v.args[1].kind !== 'undefined' ? strapiEnvLookups(v.args[1]) : undefined;
      const convert = m[1] === 'int' ? 'int' : m[1] === 'float' ? 'float' : m[1] === 'bool' ? 'boolean' : undefined;
      const env: JsEnv = { kind: 'env', name, ...(fallback ? { fallback } : {}), ...(convert ? { convert } : {}), span: v.span };
      return env;
    }
    return v;
  }
  if (v.kind === 'object')
    return {
      ...v,
      properties: v.properties.map((p) => ({ ...p, value: strapiEnvLookups(p.value) })),
    };
  if (v.kind === 'array') return { ...v, items: v.items.map(strapiEnvLookups) };
  if (v.kind === 'branch') return { ...v, cases: v.cases.map((c) => ({ ...c, value: strapiEnvLookups(c.value) })) };
  if (v.kind === 'function' && v.returns) return { ...v, returns: strapiEnvLookups(v.returns) };
  return v;
}

// ---------------------------------------------------------------------------------------------------
// Settings

function timeValue(ms: number): Value {
  return { kind: 'duration', ms };
}

/** A tarn time option: integer > 0 or knex() throws (knex-tarn.md, Settings). */
function readTime(ctx: Ctx, name: string, p: JsProperty): Setting {
  const key = `pool.${name}`;
  const num = numberOf(p.value);
  const label = labelled(key, num.scalar);
  const set = (value: Value) => writtenSetting(key, key, p, value, ctx.input.sourceText, 'ms');
  if (p.value.kind === 'undefined')
    return defaultSetting(key, key, timeValue(TIME_KEYS[name] as number), 'tarn', FACT_TIME, undefined, 'ms');
  if (num.textWhenSet) {
    ctx.problems.push({
      severity: 'error',
      ruleId: 'startup-failure',
      span: p.span,
      message: `${label} is read from environment variable ${num.textWhenSet} without converting it, so whenever it is set tarn gets a string and knex(config) throws "Tarn: invalid opt.${name}" at start-up (knex-tarn.md, Settings: numeric strings are rejected). Convert it with parseInt(..., 10) or Number(...)`,
    });
  }
  const reject = (shown: string) => {
    ctx.problems.push({
      severity: 'error',
      ruleId: 'startup-failure',
      span: p.span,
      message: `${label} is ${shown}, which tarn rejects: knex(config) throws "Tarn: invalid opt.${name} ${shown}" at start-up (knex-tarn.md, Settings: time options must be an integer above 0). ${name === 'idleTimeoutMillis' ? 'Idle retirement cannot be switched off; write' : 'Write'} a whole number of milliseconds above 0`,
    });
    return set({ kind: 'unknown', reason: `${label} is ${shown}, which tarn rejects at start-up` });
  };
  if (num.n !== undefined) {
    if (!Number.isInteger(num.n) || num.n <= 0) return reject(Number.isNaN(num.n) ? 'NaN' : JSON.stringify(num.n));
    const slip = name === 'idleTimeoutMillis' ? msWrittenAsSeconds(num.n) : undefined;
    if (slip) {
      ctx.problems.push(
        unitSlipProblem(p.span, {
          key: label,
          written: num.n,
          library: 'tarn',
          unit: 'ms',
          slip,
          effect:
            'free connections above pool.min are closed at the next reaper tick (each second), so the pool reopens connections for nearly every burst of queries',
          fact: 'knex-tarn.md, Settings: idleTimeoutMillis',
        }),
      );
    }
    return set(timeValue(num.n));
  }
  if (num.text !== undefined && !num.textWhenSet) return reject(JSON.stringify(num.text));
  if (num.other) return reject(num.other.kind === 'boolean' ? String(num.other.value) : 'null');
  return set({ kind: 'unknown', reason: `${label}: ${num.unknown ?? 'a string when the variable is set'}` });
}

/** pool.min / pool.max: integers (knex-tarn.md, Settings). */
function readCount(ctx: Ctx, name: 'min' | 'max', p: JsProperty): { setting: Setting; n?: number } {
  const key = `pool.${name}`;
  const num = numberOf(p.value);
  const label = labelled(key, num.scalar);
  const set = (value: Value) => writtenSetting(key, key, p, value, ctx.input.sourceText);
  const rule = name === 'min' ? 'an integer >= 0' : 'an integer > 0';
  if (num.textWhenSet) {
    ctx.problems.push({
      severity: 'error',
      ruleId: 'startup-failure',
      span: p.span,
      message: `${label} is read from environment variable ${num.textWhenSet} without converting it, so whenever it is set tarn gets a string, not an integer, and knex(config) throws "Tarn: opt.${name} must be ${rule}" at start-up (knex-tarn.md, Settings). Convert it with parseInt(..., 10)`,
    });
  }
  const bad = (shown: string) => {
    ctx.problems.push({
      severity: 'error',
      ruleId: 'startup-failure',
      span: p.span,
      message: `${label} is ${shown}, so knex(config) throws "Tarn: opt.${name} must be ${rule}" at start-up (knex-tarn.md, Settings)`,
    });
    return { setting: set({ kind: 'unknown', reason: `${label} is ${shown}, which tarn rejects at start-up` }) };
  };
  if (num.n !== undefined) {
    const ok = Number.isInteger(num.n) && (name === 'min' ? num.n >= 0 : num.n >= 0);
    if (!ok) return bad(Number.isNaN(num.n) ? 'NaN' : JSON.stringify(num.n));
    return { setting: set({ kind: 'count', value: num.n }), n: num.n };
  }
  if (num.text !== undefined && !num.textWhenSet) return bad(JSON.stringify(num.text));
  if (num.other && num.other.kind !== 'undefined') return bad(num.other.kind === 'boolean' ? String(num.other.value) : 'null');
  return { setting: set({ kind: 'unknown', reason: `${label}: ${num.unknown ?? 'a string when the variable is set'}` }) };
}

/**
 * The acquire timeout from top-level `acquireConnectionTimeout` and `pool.acquireTimeoutMillis`
 * (knex-tarn.md, Settings): up to 2.3.x min(acquireConnectionTimeout || 60000, pool value), so a pool
 * value above 60000 is capped; from 2.4.0 the minimum of the keys given, 0 throws.
 */
function readAcquire(ctx: Ctx, top: JsProperty | undefined, pool: JsProperty | undefined): Setting | undefined {
  const key = 'pool.acquireTimeoutMillis';
  if (!top && !pool)
    return defaultSetting(
      key,
      key,
      timeValue(60000),
      LIB,
      `${FACT_SETTINGS}: acquire timeout 60000 (tarn's own 30000 is never used through knex)`,
      undefined,
      'ms',
    );
  const read = (p: JsProperty | undefined) => {
    if (!p) return undefined;
    const num = numberOf(p.value);
    // Both keys go through Math.min, so numeric strings are coerced (knex-tarn.md).
    if (num.n !== undefined) return num.n;
    if (num.text !== undefined && num.text.trim() !== '' && !Number.isNaN(Number(num.text))) return Number(num.text);
    return Number.NaN;
  };
  const a = read(top);
  const p = read(pool);
  const main = (pool ?? top) as JsProperty;
  const mainKey = pool ? key : 'acquireConnectionTimeout';
  const anyUnknown = [top, pool].some((x) => x && numberOf(x.value).n === undefined && numberOf(x.value).text === undefined);
  if (anyUnknown || Number.isNaN(a ?? 0) || Number.isNaN(p ?? 0)) {
    return writtenSetting(
      mainKey,
      key,
      main,
      { kind: 'unknown', reason: `${mainKey}: ${describe(main.value)}` },
      ctx.input.sourceText,
      'ms',
    );
  }
  const old = Math.min(a || 60000, p ?? Number.POSITIVE_INFINITY);
  const defined = [a, p].filter((x): x is number => x !== undefined);
  const neu = Math.min(...defined);
  const newer = since(ctx.version, '2.4.0');
  if (p !== undefined && p > 60000 && newer !== true && old !== neu) {
    ctx.problems.push({
      severity: 'warning',
      ruleId: 'setting-ignored-by-library',
      span: (pool as JsProperty).span,
      message: `${key} is ${p}, but knex ${newer === false ? ctx.version : 'before 2.4.0'} silently caps the acquire timeout at acquireConnectionTimeout (default 60000), so waits end after ${old} ms (knex-tarn.md, Settings; fixed in 2.4.0). ${newer === false ? 'Also set acquireConnectionTimeout, or upgrade knex' : 'Also set acquireConnectionTimeout to the same value'}`,
    });
  }
  if (a === 0 && top) {
    ctx.problems.push({
      severity: newer === true ? 'error' : 'warning',
      ruleId: newer === true ? 'startup-failure' : 'setting-ignored-by-library',
      span: top.span,
      message:
        newer === true
          ? `acquireConnectionTimeout is 0, so knex(config) throws "Tarn: invalid opt.acquireTimeoutMillis 0" at start-up (knex-tarn.md, Settings; since 2.4.0)`
          : `acquireConnectionTimeout is 0, which knex ${newer === false ? ctx.version : 'before 2.4.0'} reads as 60000 and knex 2.4.0 and later reject at start-up ("Tarn: invalid opt.acquireTimeoutMillis 0"; knex-tarn.md, Settings). Write the timeout in milliseconds`,
    });
  }
  let value: Value;
  if (newer === true) value = neu > 0 ? timeValue(neu) : { kind: 'unknown', reason: 'rejected at start-up' };
  else if (newer === false) value = timeValue(old);
  else if (old === neu) value = timeValue(neu);
  else
    value = {
      kind: 'unknown',
      reason: `the knex version is not known: the acquire timeout is ${old} ms before 2.4.0 and ${neu > 0 ? `${neu} ms` : 'rejected'} from 2.4.0`,
    };
  return writtenSetting(mainKey, key, main, value, ctx.input.sourceText, 'ms');
}

// ---------------------------------------------------------------------------------------------------
// One configuration

interface Config {
  value: JsValue;
  environment?: string;
  environmentNote?: string;
  /** Where the configuration is as a whole. */
  origin: Span;
  /** Prefix of keys as written: `connection.` inside Strapi's returned object. */
  name: string;
}

function clientOf(ctx: Ctx, props: Map<string, JsProperty>, strapi: boolean, url: string | undefined) {
  const p = props.get('client') ?? props.get('dialect');
  if (!p) {
    const proto = url ? parseUrl(url)?.protocol : undefined;
    if (proto) return { written: proto, info: CLIENTS[ALIASES[proto] ?? proto], why: `the URL scheme ${proto}:` };
    return { missing: true as const };
  }
  const s = jsScalarOf(p.value);
  const key = labelled(p.key, s);
  if (s.literal?.kind !== 'string') {
    if (p.value.kind === 'function' || p.value.kind === 'ref') return { unknown: `${p.key} is a Client class`, prop: p };
    return { unknown: `${key}: ${s.unknown ?? `it is ${s.literal?.kind}`}`, prop: p };
  }
  const written = s.literal.value;
  const mapped = strapi ? (STRAPI_CLIENTS[written] ?? written) : written;
  const info = CLIENTS[ALIASES[mapped] ?? mapped];
  if (!info) {
    const lower = written.toLowerCase();
    const hint = CLIENTS[ALIASES[lower] ?? lower] ? ` Client names are case-sensitive: write "${lower}"` : '';
    ctx.problems.push({
      severity: 'error',
      ruleId: 'startup-failure',
      span: p.span,
      message: strapi
        ? `${key} is "${written}", which Strapi does not accept (v4: postgres, mysql, mysql2, sqlite, sqlite-legacy; v5: sqlite, mysql, postgres), so it fails at start-up (knex-tarn.md, Strapi).${hint}`
        : `${key} is "${written}", which knex does not know: knex(config) throws "knex: Unknown configuration option 'client' value ${written}" (knex-tarn.md, Syntax: client names).${hint}`,
    });
    return { unknown: `${key} "${written}" is not a knex client`, prop: p };
  }
  if (info.since && !strapi) {
    const ok = since(ctx.version, info.since);
    if (ok !== true) {
      ctx.problems.push({
        severity: ok === false ? 'error' : 'note',
        ruleId: 'startup-failure',
        span: p.span,
        message: `${key} is "${written}", a client knex accepts only from ${info.since}${ok === false ? `; knex ${ctx.version}` : '; older versions'} throw "knex: Unknown configuration option 'client' value ${written}" at start-up (knex-tarn.md, Syntax: client names)`,
      });
    }
  }
  return { written, info, prop: p, why: `client "${written}"${s.note ? ` (${s.note})` : ''}` };
}

function connectionFacts(conn: JsProperty | undefined): { url?: string; host?: string; unknown?: string; password?: JsProperty } {
  if (!conn) return {};
  const v = conn.value;
  const s = jsScalarOf(v);
  if (s.literal?.kind === 'string') {
    const u = parseUrl(s.literal.value);
    return { url: s.literal.value, ...(usableHost(u?.host) ? { host: usableHost(u?.host) as string } : {}) };
  }
  const props = propsOf(v)?.props;
  if (!props) return { unknown: describe(v) };
  const host = stringOf(props.get('host')?.value) ?? stringOf(props.get('server')?.value);
  const cs = stringOf(props.get('connectionString')?.value);
  const csHost = cs ? parseUrl(cs)?.host : undefined;
  const password = props.get('password');
  return {
    ...(usableHost(csHost ?? host) ? { host: usableHost(csHost ?? host) as string } : {}),
    ...(cs ? { url: cs } : {}),
    ...(password ? { password } : {}),
  };
}

function readConfig(ctx: Ctx, cfg: Config, out: KnexResult): boolean {
  const input = ctx.input;
  const strapi = input.source === 'strapi';
  const envPart = cfg.environment ? ` (${cfg.environment})` : '';
  const displayName = `${cfg.name}${envPart}`;
  const skip = (reason: string): false => {
    out.notPooled.push({ name: displayName, reason });
    return false;
  };

  // A whole-config string: knex('mysql://...') (knex-tarn.md, Syntax: whole-config string).
  const whole = jsScalarOf(cfg.value).literal;
  let props: Map<string, JsProperty>;
  let open: { reason: string; span: Span } | undefined;
  let urlFromWhole: string | undefined;
  if (whole?.kind === 'string') {
    const u = parseUrl(whole.value);
    if (!u) return skip('a configuration string that is not a URL names a SQLite file: a local file, with no server or network');
    urlFromWhole = whole.value;
    const p: JsProperty = { key: 'connection', value: cfg.value, span: cfg.value.span, keySpan: cfg.value.span };
    props = new Map([['connection', p]]);
  } else {
    const view = propsOf(cfg.value);
    if (!view) return skip(`the configuration is not known here (${describe(cfg.value)})`);
    props = view.props;
    open = view.open;
  }

  if (props.has('connectionPool'))
    return skip(
      'connectionPool hands knex a pool built elsewhere (knex 3.3.0+): its own settings decide, and they are not read here (knex-tarn.md, Settings)',
    );
  const conn = props.get('connection');
  if (!conn) {
    if (open) return skip(`connection is not listed; it may come from ${open.reason}, which is not known here`);
    return skip('no connection is configured, so knex creates no pool (knex-tarn.md, Settings: connection)');
  }
  const facts = connectionFacts(conn);
  const client = clientOf(ctx, props, strapi, urlFromWhole ?? facts.url);
  if ('missing' in client) {
    if (open) {
      // The client may come from the spread: keep going with an unknown engine.
    } else {
      ctx.problems.push({
        severity: 'error',
        ruleId: 'startup-failure',
        span: conn.span,
        message: `${displayName} has a connection but no client, so knex(config) throws "knex: Required configuration option 'client' is missing." (knex-tarn.md, Settings: client)`,
      });
      return skip('no client: knex refuses the configuration');
    }
  }
  const info = 'info' in client ? client.info : undefined;
  if (info?.sqlite)
    return skip(
      `${'why' in client ? client.why : 'the client'} is SQLite: a local file, with no server or network to close idle connections`,
    );

  const settings = new Map<string, Setting>();
  if ('prop' in client && client.prop) {
    const p = client.prop;
    const s = jsScalarOf(p.value);
    settings.set(
      'client',
      writtenSetting(
        p.key,
        'client',
        p,
        s.literal?.kind === 'string'
          ? { kind: 'string', value: s.literal.value }
          : { kind: 'unknown', reason: 'unknown' in client ? (client.unknown as string) : 'not known' },
        input.sourceText,
      ),
    );
  }
  if (facts.url !== undefined)
    settings.set('connection', writtenSetting('connection', 'connection', conn, { kind: 'string', value: facts.url }, input.sourceText));
  if (facts.password) {
    const s = jsScalarOf(facts.password.value);
    settings.set(
      'connection.password',
      writtenSetting(
        'connection.password',
        'connection.password',
        facts.password,
        s.literal?.kind === 'string' ? { kind: 'string', value: s.literal.value } : { kind: 'unknown', reason: 'not known here' },
        input.sourceText,
      ),
    );
  }

  // Pool options.
  const poolProp = props.get('pool');
  const poolView = poolProp ? propsOf(poolProp.value) : undefined;
  const poolOpen: { reason: string; span: Span } | undefined = poolProp
    ? poolView
      ? poolView.open
      : poolProp.value.kind === 'undefined'
        ? undefined
        : { reason: `pool (${describe(poolProp.value)})`, span: poolProp.span }
    : open;
  const pool = poolView?.props ?? new Map<string, JsProperty>();
  const given = (name: string) => {
    const p = pool.get(name);
    return p && p.value.kind !== 'undefined' ? p : undefined;
  };

  // min / max.
  const minP = given('min');
  const maxP = given('max');
  const min = minP
    ? readCount(ctx, 'min', minP)
    : poolOpen
      ? { setting: maySpread('pool.min', 'pool.min', poolOpen) }
      : { setting: defaultSetting('pool.min', 'pool.min', { kind: 'count', value: 2 }, LIB, FACT_MIN), n: 2 };
  const max = maxP
    ? readCount(ctx, 'max', maxP)
    : poolOpen
      ? { setting: maySpread('pool.max', 'pool.max', poolOpen) }
      : { setting: defaultSetting('pool.max', 'pool.max', { kind: 'count', value: 10 }, LIB, FACT_SETTINGS), n: 10 };
  if (max.n === 0 && maxP) {
    ctx.problems.push({
      severity: 'warning',
      ruleId: 'setting-ignored-by-library',
      span: maxP.span,
      message: `pool.max is 0, so knex creates no pool and every query fails with "Unable to acquire a connection" (knex-tarn.md, Settings: pool.max)`,
    });
    return skip('pool.max is 0: knex creates no pool');
  }
  if (min.n !== undefined && max.n !== undefined && min.n > max.n) {
    ctx.problems.push({
      severity: 'error',
      ruleId: 'startup-failure',
      span: (minP ?? maxP ?? poolProp ?? conn).span,
      message: `pool.min (${min.n}) is above pool.max (${max.n}${maxP ? '' : ', the default'}), so knex(config) throws "Tarn: opt.max is smaller than opt.min" at start-up (knex-tarn.md, Settings)`,
    });
  }
  settings.set('pool.min', min.setting);
  settings.set('pool.max', max.setting);

  for (const [name, def] of Object.entries(TIME_KEYS)) {
    const p = given(name);
    const key = `pool.${name}`;
    settings.set(
      key,
      p
        ? readTime(ctx, name, p)
        : poolOpen
          ? maySpread(key, key, poolOpen, 'ms')
          : defaultSetting(
              key,
              key,
              timeValue(def),
              'tarn',
              name === 'idleTimeoutMillis' || name === 'reapIntervalMillis' ? FACT_REAPER : FACT_TIME,
              undefined,
              'ms',
            ),
    );
  }
  const acquire = readAcquire(ctx, props.get('acquireConnectionTimeout'), given('acquireTimeoutMillis'));
  if (acquire) settings.set('pool.acquireTimeoutMillis', acquire);

  // validate and maxConnectionLifetimeMillis: knex 3.2.0+ (knex-tarn.md, Version changes).
  const v32 = since(ctx.version, '3.2.0');
  const before32 = v32 === false ? `knex ${ctx.version}` : 'knex before 3.2.0';
  const validateP = given('validate');
  let validate: Setting;
  if (validateP) {
    const fn = validateP.value.kind === 'function' || validateP.value.kind === 'ref';
    if (v32 !== true) {
      ctx.problems.push({
        severity: v32 === false ? 'warning' : 'note',
        ruleId: 'setting-ignored-by-library',
        span: validateP.span,
        message: `pool.validate is ${v32 === false ? 'ignored' : 'ignored by knex before 3.2.0'}: ${before32} silently replaces it with its own validator (no error, no effect; knex-tarn.md, Settings). ${v32 === false ? 'Upgrade to knex 3.2.0 or later for it to run' : 'Declare the knex version to know'}`,
      });
    }
    validate = writtenSetting(
      'pool.validate',
      'pool.validate',
      validateP,
      v32 === true
        ? { kind: 'bool', value: fn }
        : v32 === false
          ? { kind: 'bool', value: false }
          : {
              kind: 'unknown',
              reason: 'the knex version is not known: pool.validate runs from knex 3.2.0 and is silently replaced before',
            },
      input.sourceText,
    );
  } else {
    validate = defaultSetting('pool.validate', 'pool.validate', { kind: 'bool', value: false }, LIB, FACT_NO_PING);
  }
  validate.literals = { true: 'a function that runs a query such as SELECT 1', false: 'nothing' };
  if (v32 !== true) validate.requires = 'knex 3.2.0 or later';

  const lifetimeKeys = ['maxConnectionLifetimeMillis', 'maxConnectionLifetimeJitterMillis'] as const;
  const lifetimeValues: Partial<Record<(typeof lifetimeKeys)[number], Setting>> = {};
  for (const name of lifetimeKeys) {
    const p = given(name);
    const key = `pool.${name}`;
    if (!p) continue;
    if (v32 !== true) {
      ctx.problems.push({
        severity: v32 === false ? 'error' : 'warning',
        ruleId: 'startup-failure',
        span: p.span,
        message: `${key} needs knex 3.2.0 or later: ${v32 === false ? `knex ${ctx.version} throws` : 'older versions throw'} "Tarn: unsupported option opt.${name}" at start-up (knex-tarn.md, Settings)`,
      });
    }
    const num = numberOf(p.value);
    let value: Value;
    if (v32 === false) value = { kind: 'unknown', reason: `${before32} rejects ${key} at start-up` };
    else if (num.n === undefined) value = { kind: 'unknown', reason: `${labelled(key, num.scalar)}: ${num.unknown ?? 'not a number'}` };
    else if (v32 === undefined)
      value = {
        kind: 'unknown',
        reason: `the knex version is not known: ${key} ${num.n} applies from 3.2.0 and makes older versions throw`,
      };
    else value = timeValue(num.n);
    lifetimeValues[name] = writtenSetting(key, key, p, value, input.sourceText, 'ms');
  }
  const lifetime =
    lifetimeValues.maxConnectionLifetimeMillis ??
    (poolOpen
      ? maySpread('pool.maxConnectionLifetimeMillis', 'pool.maxConnectionLifetimeMillis', poolOpen, 'ms')
      : defaultSetting(
          'pool.maxConnectionLifetimeMillis',
          'pool.maxConnectionLifetimeMillis',
          { kind: 'duration', ms: 0 },
          LIB,
          `${FACT_SETTINGS}: pool.maxConnectionLifetimeMillis (knex 3.2.0+) has no default: no lifetime limit`,
          undefined,
          'ms',
        ));
  if (v32 !== true) lifetime.requires = 'knex 3.2.0 or later';
  if (!lifetimeValues.maxConnectionLifetimeMillis && v32 !== true)
    lifetime.writeAs = 'pool.maxConnectionLifetimeMillis (knex 3.2.0 or later)';
  settings.set('pool.validate', validate);
  settings.set('pool.maxConnectionLifetimeMillis', lifetime);
  if (lifetimeValues.maxConnectionLifetimeJitterMillis)
    settings.set('pool.maxConnectionLifetimeJitterMillis', lifetimeValues.maxConnectionLifetimeJitterMillis);

  // Keys tarn rejects (knex-tarn.md, Settings: any other key throws "Tarn: unsupported option").
  for (const [k, p] of pool) {
    if (POOL_KEYS.has(k)) continue;
    const near = NEAR[k] ?? [...POOL_KEYS].find((x) => levenshtein(x.toLowerCase(), k.toLowerCase()) <= 2);
    const generic = GENERIC_POOL_KEYS.has(k) ? `knex logs "Pool config option "${k}" is no longer supported" and then ` : '';
    ctx.problems.push({
      severity: 'error',
      ruleId: 'unknown-setting',
      span: p.span,
      code: 'unknown-key',
      message: `pool.${k} is not a tarn option: ${generic}knex(config) throws "Tarn: unsupported option opt.${k}" at start-up (knex-tarn.md, Settings).${near ? ` Did you mean pool.${near}?` : ` Remove pool.${k}`}`,
    });
  }

  // Idle mechanisms (knex-tarn.md, "What a linter can safely conclude").
  const idle: IdleMechanism[] = [];
  const idleSetting = settings.get('pool.idleTimeoutMillis') as Setting;
  const reap = settings.get('pool.reapIntervalMillis') as Setting;
  const minValue = min.setting.value;
  let idleBound: number | undefined;
  let idleNote: string;
  if (minValue.kind === 'count' && minValue.value > 0) {
    idleNote = `pool.min (${minValue.value}${min.setting.origin.kind === 'library-default' ? ', the default' : ''}) connections are never reaped, so they can sit idle indefinitely; idleTimeoutMillis only retires connections above min`;
    idleSetting.writeAs = `pool.min to 0 and ${idleSetting.writeAs ?? 'pool.idleTimeoutMillis'}`;
  } else if (minValue.kind !== 'count') {
    idleNote = `pool.min is not known here, so whether every idle connection is reaped is not known (${minValue.kind === 'unknown' ? minValue.reason : ''})`;
  } else if (idleSetting.value.kind === 'duration' && reap.value.kind === 'duration') {
    idleBound = idleSetting.value.ms + reap.value.ms;
    idleNote = `reaped on the next reap tick (every reapIntervalMillis, ${reap.value.ms} ms), so up to idleTimeoutMillis + reapIntervalMillis`;
  } else {
    const unknown = [idleSetting, reap].find((s) => s.value.kind === 'unknown');
    idleNote = unknown?.value.kind === 'unknown' ? unknown.value.reason : 'not known';
  }
  idle.push({
    kind: 'idle-timeout',
    setting: idleSetting,
    boundMs: idleBound,
    refreshesServer: false,
    note: idleNote,
    // knex-tarn.md, Settings (reapIntervalMillis): retirement happens up to one reap interval late.
    ...(reap.value.kind === 'duration' ? { slackMs: reap.value.ms } : {}),
    ...(minValue.kind === 'count' && minValue.value > 0 ? { sparedBy: min.setting } : {}),
  });
  const lv = lifetime.value;
  const jitter = settings.get('pool.maxConnectionLifetimeJitterMillis')?.value;
  const jitterMs = jitter?.kind === 'duration' ? jitter.ms : 0;
  idle.push({
    kind: 'max-lifetime',
    setting: lifetime,
    boundMs: lv.kind === 'duration' && lv.ms > 0 ? lv.ms + jitterMs : undefined,
    refreshesServer: false,
    note:
      lv.kind === 'duration' && lv.ms > 0
        ? `checked when a connection is acquired (as part of validation): one older than this is discarded then, not closed while idle${jitterMs ? `; plus up to ${jitterMs} ms of jitter` : ''}`
        : lv.kind === 'unknown'
          ? lv.reason
          : `pool.maxConnectionLifetimeMillis is not set: knex retires no connection for age${v32 === true ? '' : ' (the option exists from knex 3.2.0)'}`,
  });

  // Validation on acquire: local flags only, unless a user validate runs (knex 3.2.0+).
  const flags = info ? info.flags(ctx.version) : `knex checks only ${DISPOSED} on acquire`;
  const vv = validate.value;
  let validates: Pool['validatesOnCheckout'];
  if (vv.kind === 'unknown')
    validates = { value: true, fact: `pool.validate is written but ${vv.reason}, so it is not assumed off`, setting: validate };
  else if (vv.kind === 'bool' && vv.value)
    validates = {
      value: true,
      fact: 'knex-tarn.md, Settings: pool.validate (knex 3.2.0+) runs on every acquire and discards a connection when it returns false; its body is not read here, so it is taken to check the connection',
      setting: validate,
    };
  else
    validates = {
      value: false,
      fact: `${FACT_NO_PING}. Instead ${flags}: a connection the server closed while idle (FIN/RST seen by the client) is replaced, one a middlebox dropped silently is handed out`,
      setting: validate,
      noticesServerClose:
        'knex-tarn.md, "What a linter can safely conclude": a server-side close that reaches the client is usually harmless (driver error, the connection is disposed and replaced on acquire; confirmed by running)',
    };

  // Engine, host, keepalive.
  const engine = info?.engine;
  const clientWhy = 'why' in client ? client.why : undefined;
  const serverUncertain = engine
    ? undefined
    : info
      ? undefined
      : `the client is not known here (${'unknown' in client ? client.unknown : 'it may come from a spread'}), so the database may be SQLite, a local file`;
  const clientName = 'written' in client ? (client.written as string) : undefined;
  const keepalive = clientName ? input.driverKeepalive?.(clientName, conn.value) : undefined;

  const env = cfg.environment;
  out.pools.push({
    // Several knex() calls in one file are told apart by their line.
    id: `knex:${input.path}${input.source === 'call' ? `@${cfg.origin.line}` : ''}${env ? `#${env}` : ''}`,
    library: 'knex',
    libraryName: 'Knex',
    name: displayName,
    ...(input.version ? { libraryVersion: input.version } : {}),
    ...(engine ? { engine, engineReason: `${clientWhy ?? 'client'} (knex-tarn.md, Syntax: client names)` } : {}),
    ...(serverUncertain ? { serverUncertain } : {}),
    ...(env ? { environment: env } : {}),
    ...(cfg.environmentNote ? { environmentNote: cfg.environmentNote } : {}),
    ...(facts.host ? { host: facts.host } : {}),
    origin: cfg.origin,
    settings: sortedByKey(settings),
    idle,
    validatesOnCheckout: validates,
    ...(keepalive ? { tcpKeepalive: keepalive } : {}),
    // pool.max caps the physical connections of one knex instance (knex-tarn.md, Settings: pool.max).
    maxSize: poolSizeOf(max.setting),
  });
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Sources

const KNEX_KEYS = new Set([
  'client',
  'dialect',
  'connection',
  'pool',
  'connectionPool',
  'acquireConnectionTimeout',
  'migrations',
  'seeds',
  'useNullAsDefault',
  'searchPath',
  'debug',
]);

function unwrapFunction(v: JsValue): JsValue | undefined {
  if (v.kind !== 'function') return v;
  return v.returns;
}

/** The environments of a knexfile's export: its top-level keys, unless the export is a flat config (knex-tarn.md, Environment selection). */
function knexfileConfigs(input: KnexInput, root: JsValue): Array<Config | { name: string; reason: string }> {
  const base = input.path;
  const view = propsOf(root);
  const flat = !view || [...view.props.keys()].some((k) => KNEX_KEYS.has(k));
  if (flat) return [{ value: root, origin: root.span, name: base }];
  const out: Array<Config | { name: string; reason: string }> = [];
  for (const p of view.props.values()) {
    const value = unwrapFunction(p.value);
    if (!value) {
      out.push({ name: `${base} (${p.key})`, reason: `${p.key} is a function whose result is not known here` });
      continue;
    }
    out.push({
      value,
      origin: p.span,
      environment: p.key,
      environmentNote: `the knexfile's "${p.key}" block, which the knex CLI uses with --env ${p.key} or NODE_ENV=${p.key} (knex-tarn.md, Environment selection)`,
      name: base,
    });
  }
  if (view.open && out.length === 0) return [{ name: base, reason: `the export is ${view.open.reason}, which is not known here` }];
  return out;
}

/** One pool per configuration: every environment of a knexfile, every case of a `NODE_ENV` branch. */
export function knexPools(input: KnexInput): KnexResult {
  const out: KnexResult = { pools: [], problems: [], notPooled: [] };
  const ctx: Ctx = { input, ...(input.version ? { version: input.version.version } : {}), problems: out.problems };
  let root: JsValue | undefined = input.config;
  let configs: Array<Config | { name: string; reason: string }>;
  if (input.source === 'strapi') {
    root = unwrapFunction(strapiEnvLookups(root));
    const view = root ? propsOf(root) : undefined;
    if (!root || !view) {
      out.notPooled.push({
        name: input.path,
        reason: `the export is ${root ? describe(root) : 'a function whose result is not known here'}; Strapi reads connection from the object it returns`,
      });
      return out;
    }
    if (view.props.has('connections') || view.props.has('defaultConnection')) {
      out.notPooled.push({ name: input.path, reason: "Strapi v3's connections (bookshelf) shape is not modelled" });
      return out;
    }
    const conn = view.props.get('connection');
    if (!conn) {
      out.notPooled.push({
        name: input.path,
        reason: `the returned object has no connection${view.open ? ` (it may come from ${view.open.reason})` : ''}`,
      });
      return out;
    }
    configs = [{ value: conn.value, origin: conn.span, name: input.path }];
  } else if (input.source === 'call') {
    const call = root;
    const arg = call.kind === 'call' ? call.args[0] : call;
    if (!arg) {
      out.notPooled.push({ name: input.path, reason: 'knex() is called without a configuration' });
      return out;
    }
    configs = [{ value: arg, origin: call.span, name: `knex() at ${formatSpan(call.span)}` }];
  } else {
    root = unwrapFunction(root);
    if (!root) {
      out.notPooled.push({ name: input.path, reason: 'the knexfile exports a function whose result is not known here' });
      return out;
    }
    configs = [];
    // A top-level branch (`module.exports = NODE_ENV === 'production' ? {...} : {...}`) gives its cases; branches inside an environment are expanded below.
    const tops = root.kind === 'branch' ? expandBranches(root).filter((c) => c.value.kind !== 'branch') : [];
    for (const c of tops.length > 0 ? tops : [{ value: root, labels: [], notes: [] }]) {
      for (const k of knexfileConfigs(input, c.value)) {
        if ('reason' in k) configs.push(k);
        else
          configs.push(
            c.labels.length === 0
              ? k
              : {
                  ...k,
                  environment: [k.environment, ...c.labels].filter(Boolean).join(', '),
                  environmentNote: [k.environmentNote, ...c.notes].filter(Boolean).join('; '),
                },
          );
      }
    }
  }
  for (const cfg of configs) {
    if ('reason' in cfg) {
      out.notPooled.push(cfg);
      continue;
    }
    const cases = expandBranches(cfg.value);
    for (const c of cases) {
      const environment = [cfg.environment, ...c.labels].filter(Boolean).join(', ') || undefined;
      const environmentNote = [cfg.environmentNote, ...c.notes].filter(Boolean).join('; ') || undefined;
      readConfig(
        ctx,
        { ...cfg, value: c.value, ...(environment ? { environment } : {}), ...(environmentNote ? { environmentNote } : {}) },
        out,
      );
    }
  }
  // No secret in any message (the connection may be a URL with a password).
  for (const p of out.problems) p.message = maskSecrets('', p.message);
  return out;
}
