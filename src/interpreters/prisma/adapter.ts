/**
 * The driver adapter a Prisma app constructs in code, and the pool behind it (prisma.md, "B. Driver
 * adapters"): `new PrismaPg(poolOrConfig)` of @prisma/adapter-pg takes a `pg.Pool`, a connection string or a
 * pg PoolConfig, passed unchanged to `new pg.Pool()`; `new PrismaMariaDb(poolOrConfig)` of
 * @prisma/adapter-mariadb takes a `mariadb` pool or a config or URL string (a `mysql://` URL is rewritten to
 * `mariadb://`). The pool is the driver's, so its options are read as the driver reads them: pg-pool
 * (postgresql.md, "node-postgres") and the mariadb pool (mysql2.md, "Settings — mariadb", through the
 * node-mysql interpreter), with the driver's defaults and units. Prisma's URL parameters mean nothing here.
 */
import type { LibraryVersion } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import type { Setting } from '../../model/setting.js';
import { compareText } from '../../model/sort-order.js';
import { formatSpan, type Span } from '../../model/span.js';
import type { JsCall, JsModule, JsValue } from '../js/value.js';
import type { DriverOptions, DriverReading } from '../node-mysql/drivers.js';
import { type OptionEntry, optionEntries, readScalar } from '../node-mysql/options.js';
import { parseDriverUrl, readDriverPool, urlEntries } from '../node-mysql/pool.js';
import { FACT_PG, type PgVersionsKnown, readPgPool } from '../node-postgres/pool.js';
import { type UrlSource, paramSpan, parsePrismaUrl } from './url.js';

/** A cheap look at a file's text, before any parser loads: does it construct a pg or mariadb adapter? */
export const ADAPTER_CONSTRUCTION = /\bnew\s+Prisma(?:Pg|MariaDb)\s*\(/;

export type AdapterDriver = 'pg' | 'mariadb';

const ADAPTERS: Record<string, { className: string; driver: AdapterDriver }> = {
  '@prisma/adapter-pg': { className: 'PrismaPg', driver: 'pg' },
  '@prisma/adapter-mariadb': { className: 'PrismaMariaDb', driver: 'mariadb' },
};

/** `new PrismaPg(...)` or `new PrismaMariaDb(...)`, imported from its adapter package. */
export interface AdapterCall {
  /** The file that constructs it. */
  path: string;
  call: JsCall;
  /** The adapter package (`@prisma/adapter-pg`). */
  package: string;
  driver: AdapterDriver;
}

/** Every adapter construction of the evaluated modules, by path, then in source order. */
export function adapterCalls(modules: ReadonlyMap<string, JsModule>): AdapterCall[] {
  const out: AdapterCall[] = [];
  for (const [path, mod] of [...modules].sort(([a], [b]) => compareText(a, b))) {
    for (const call of mod.calls) {
      const ref = call.ref;
      const a = ref ? ADAPTERS[ref.module] : undefined;
      if (!ref || !a || !call.isNew || ref.name.split('.').pop() !== a.className) continue;
      out.push({ path, call, package: ref.module, driver: a.driver });
    }
  }
  return out;
}

/** The driver of an adapter package, for packages named only in package.json. */
export function adapterDriverOf(pkg: string): AdapterDriver | undefined {
  return ADAPTERS[pkg]?.driver;
}

export interface AdapterReadInput {
  driver: AdapterDriver;
  /** The adapter package, for messages. */
  packageName: string;
  /** The construction in code; undefined when none was found (the driver's defaults apply). */
  adapter?: AdapterCall;
  sourceText?: ReadonlyMap<string, string>;
  /** The Prisma major version, when known. */
  prismaMajor?: number;
  /** The `pg` range of package.json, when the project names it. */
  pgRange?: string;
  /** The mariadb version (connlint.config.yaml or an exact pin in package.json). */
  mariadbVersion?: LibraryVersion;
  /** A connection string as written, resolved the way Prisma's inputs are (environment variables through the .env files read). */
  resolveUrl: (value: JsValue, label: string) => UrlSource;
}

export interface AdapterPool {
  /** Words for names and advice: `new PrismaPg() at src/lib/prisma.ts:5`, or the package when no construction was found. */
  where: string;
  /** The construction (or the driver pool it is given), when found. */
  origin?: Span;
  reading?: DriverReading;
  /** Set when no pool is built from this construction, with the reason. */
  skip?: string;
  host?: string;
  /** The connection string the driver gets, when the options name one. */
  url?: UrlSource;
  problems: Problem[];
}

const FACT_ADAPTER = 'prisma.md, "B. Driver adapters"';

/** Keys other libraries (and Prisma's URL) use for what pg.Pool calls otherwise; node-postgres ignores unknown keys (postgresql.md). */
const PG_LOOKALIKES: Record<string, string> = {
  connection_limit: 'max',
  connectionLimit: 'max',
  pool_timeout: 'connectionTimeoutMillis',
  connect_timeout: 'connectionTimeoutMillis',
  connectTimeout: 'connectionTimeoutMillis',
  acquireTimeout: 'connectionTimeoutMillis',
  acquireTimeoutMillis: 'connectionTimeoutMillis',
  max_idle_connection_lifetime: 'idleTimeoutMillis',
  idleTimeout: 'idleTimeoutMillis',
  max_connection_lifetime: 'maxLifetimeSeconds',
  maxLifetime: 'maxLifetimeSeconds',
  enableKeepAlive: 'keepAlive',
  keepAliveInitialDelay: 'keepAliveInitialDelayMillis',
};
/** Prisma's URL parameter names written as mariadb options; mariadb ignores keys it does not know (mysql2.md). */
const MARIADB_LOOKALIKES: Record<string, string> = {
  connection_limit: 'connectionLimit',
  pool_timeout: 'acquireTimeout',
  connect_timeout: 'connectTimeout',
  max_idle_connection_lifetime: 'idleTimeout',
};
/**
 * libpq-style keys a pg connection string may carry that the pure-JS client ignores (pg-connection-string
 * parses them, only pg-native reads them), and `keepAlive`, read from the config object only (postgresql.md).
 * `connect_timeout` is one too, but it is also Prisma's parameter, and that finding says the same.
 */
const PG_URL_IGNORED: Record<string, string | undefined> = {
  keepalives: 'keepAlive',
  keepalives_idle: 'keepAliveInitialDelayMillis',
  tcp_user_timeout: undefined,
  keepAlive: 'keepAlive',
};

function whereOf(call: JsCall): string {
  return `${call.written}() at ${formatSpan(call.span)}`;
}

/** Why a value is not an options object or a string, for reasons. */
function whatItIs(v: JsValue): string {
  switch (v.kind) {
    case 'call':
      return `the result of ${v.written}(...), which connlint does not follow`;
    case 'ref':
      return `${v.name} from ${v.module}, outside the scanned tree`;
    case 'unknown':
      return v.reason;
    default:
      return `a ${v.kind}`;
  }
}

function isStringLike(v: JsValue): boolean {
  return v.kind === 'string' || v.kind === 'env' || (v.kind === 'unknown' && v.prefix !== undefined);
}

function lookalikeProblems(driver: AdapterDriver, entries: ReadonlyMap<string, OptionEntry>, problems: Problem[]): void {
  const table = driver === 'pg' ? PG_LOOKALIKES : MARIADB_LOOKALIKES;
  const pool = driver === 'pg' ? 'pg.Pool' : 'the mariadb pool';
  const why =
    driver === 'pg' ? 'node-postgres ignores keys it does not know (postgresql.md)' : 'mariadb ignores it without a warning (mysql2.md)';
  for (const [key, instead] of Object.entries(table)) {
    const e = entries.get(key);
    if (!e || e.fromUrl) continue;
    problems.push({
      severity: 'warning',
      ruleId: 'unknown-setting',
      span: e.span,
      message: `${e.key} is not an option of ${pool}, which the adapter passes its options to: ${why}, so the pool keeps its default (${FACT_ADAPTER}). Did you mean ${instead}?`,
    });
  }
}

/** Connection-string keys the pure-JS pg client parses and then ignores (postgresql.md, node-postgres). */
function pgUrlProblems(url: UrlSource, problems: Problem[]): void {
  if (url.text === undefined) return;
  for (const p of parsePrismaUrl(url.text).params) {
    if (!(p.key in PG_URL_IGNORED)) continue;
    const instead = PG_URL_IGNORED[p.key];
    problems.push({
      severity: 'warning',
      ruleId: 'setting-ignored-by-library',
      span: paramSpan(url, p.from, p.to),
      message: `${p.key} in ${url.label} has no effect: ${
        p.key === 'keepAlive'
          ? 'node-postgres reads keepAlive from the options object only, never from the connection string'
          : 'pg-connection-string parses it, but only pg-native reads it, not the JavaScript client the adapter uses'
      } (${FACT_PG}).${instead ? ` Set ${instead} in the options object instead` : ''}`,
    });
  }
}

/** The pool a construction builds (or the driver's defaults when none was found), read as the driver reads it. */
export function readAdapterPool(input: AdapterReadInput): AdapterPool {
  const { driver, adapter } = input;
  const problems: Problem[] = [];
  let where = adapter ? whereOf(adapter.call) : input.packageName;
  let origin = adapter?.call.span;
  let options: JsValue | undefined;
  let url: UrlSource | undefined;
  let open: DriverOptions['open'];
  const arg = adapter?.call.args[0];
  if (adapter && !arg) {
    open = { reason: `${where}, which has no argument`, span: adapter.call.span };
  } else if (arg?.kind === 'object') {
    options = arg;
  } else if (arg && isStringLike(arg)) {
    url = input.resolveUrl(arg, `the connection string of ${where}`);
  } else if (arg?.kind === 'call' && arg.isNew && driver === 'pg' && /^pg(?:\.default)?\.Pool$/.test(arg.callee)) {
    // new PrismaPg(new pg.Pool({...})), or a pool built elsewhere in the tree.
    where = whereOf(arg);
    origin = arg.span;
    const poolArg = arg.args[0];
    if (!poolArg || poolArg.kind === 'object') options = poolArg;
    else if (isStringLike(poolArg)) url = input.resolveUrl(poolArg, `the connection string of ${where}`);
    else open = { reason: `the options of ${where}, which are ${whatItIs(poolArg)}`, span: arg.span };
  } else if (arg?.kind === 'call' && driver === 'mariadb' && /^mariadb(?:\/callback)?\.(?:default\.)?createPool$/.test(arg.callee)) {
    // The JS/TS format reads every mariadb createPool() as a pool of its own; this one is that pool.
    return {
      where,
      origin: arg.span,
      skip: `${where} wraps the pool of ${whereOf(arg)}, which connlint reads as a mariadb pool of its own`,
      problems,
    };
  } else if (arg) {
    open = { reason: `the argument of ${where}, which is ${whatItIs(arg)}`, span: adapter?.call.span ?? arg.span };
  }

  const view = optionEntries(options);
  const entries = new Map(view?.entries ?? []);
  if (view?.open) open = view.open;
  let host: string | undefined;
  const hostEntry = entries.get('host');
  const hostValue = hostEntry ? readScalar(hostEntry) : undefined;
  if (hostValue?.known && typeof hostValue.js === 'string' && hostValue.js) host = hostValue.js.toLowerCase();
  if (driver === 'pg') {
    const cs = entries.get('connectionString');
    if (cs) url = input.resolveUrl(cs.value, 'connectionString');
  }
  lookalikeProblems(driver, entries, problems);

  const sources = input.sourceText;
  let reading: DriverReading;
  if (driver === 'pg') {
    if (url) {
      pgUrlProblems(url, problems);
      // Which of host and the connection string's host pg uses when both are written is not in the knowledge base.
      const h = url.text !== undefined ? parsePrismaUrl(url.text).host?.toLowerCase() : undefined;
      if (h?.startsWith('/')) host = undefined;
      else if (h && !hostEntry) host = h;
      else if (h && host !== h) host = undefined;
    }
    // Prisma 7's @prisma/adapter-pg depends on pg ^8.16.3 (npm @prisma/adapter-pg@7.0.0), a pg that requires pg-pool
    // 3.5.0 or later; postgresql.md does not say which pg first requires pg-pool 3.10.0, so min stays unknown.
    const versions: PgVersionsKnown = {
      ...(input.pgRange ? { pg: input.pgRange } : {}),
      ...(input.prismaMajor !== undefined && input.prismaMajor >= 7 ? { atLeast: { ver: [3, 5, 0], by: 'Prisma 7' } } : {}),
    };
    const o: DriverOptions = { entries, keyOf: (k) => k, ...(open ? { open } : {}), ...(sources ? { sources } : {}) };
    const r = readPgPool(o, versions);
    problems.push(...r.problems);
    reading = r.reading;
  } else {
    if (url) {
      if (url.text === undefined) open ??= { reason: `the query of ${url.label}, which is not known here`, span: url.span };
      else {
        // adapter-mariadb rewrites mysql:// to mariadb:// before the mariadb package reads it (prisma.md, B).
        const text = url.text.replace(/^mysql:\/\//i, 'mariadb://');
        const parsed = parseDriverUrl('mariadb', text, url.span);
        if ('error' in parsed)
          problems.push({
            ruleId: 'startup-failure',
            severity: 'error',
            span: url.span,
            message: `${url.label} is not a URL mariadb accepts: ${parsed.error}`,
          });
        else {
          host = parsed.host ?? host;
          for (const [k, e] of urlEntries(parsed, url.span, url.label)) if (!entries.has(k)) entries.set(k, e);
        }
      }
    }
    const o: DriverOptions = { entries, keyOf: (k) => k, ...(open ? { open } : {}), ...(sources ? { sources } : {}) };
    const r = readDriverPool('mariadb', o, input.mariadbVersion);
    problems.push(...r.problems);
    reading = r.reading;
    // Keys not known here may switch keepalive on: whether it is on is not known.
    if (open) {
      const { keepalive: _unknown, ...rest } = reading;
      reading = rest;
    }
  }
  // What a user changes for a default: the key, in the construction that builds the pool.
  const writeAs = (s: Setting) => {
    if (s.origin.kind === 'library-default' && s.writeAs === undefined)
      s.writeAs = adapter ? `${s.key} in the options of ${where}` : `${s.key} in the options passed to ${input.packageName}`;
  };
  for (const s of reading.settings.values()) writeAs(s);
  for (const m of reading.idle) writeAs(m.setting);
  if (reading.validates.setting) writeAs(reading.validates.setting);
  return { where, ...(origin ? { origin } : {}), reading, ...(host ? { host } : {}), ...(url ? { url } : {}), problems };
}
