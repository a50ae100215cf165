/**
 * Pools created directly with mysql2, mysql (mysqljs) or mariadb: `createPool(options | uri)`,
 * `createPoolCluster(config)` and `cluster.add([id,] options)` (mysql2.md). The driver decides
 * everything: mysql2 lends connections unchecked and retires idle ones only when `maxIdle <
 * connectionLimit`; mysqljs pings every reused connection and never retires; mariadb pings after
 * 500 ms idle and its reaper (`idleTimeout` in seconds) spares `minimumIdle` connections.
 */
import type { DriverKeepalive, Engine, IdleMechanism, LibraryVersion, Pool } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { maskSecrets } from '../../model/secrets.js';
import { sortedByKey, type Setting } from '../../model/setting.js';
import { formatSpan, type Span } from '../../model/span.js';
import { secondsWrittenAsMs, msWrittenAsSeconds, unitSlipProblem } from '../duration-unit.js';
import { jsScalarOf } from '../js/scalar.js';
import type { JsCall, JsValue } from '../js/value.js';
import { pgKeepalive } from '../node-postgres/pool.js';
import {
  DRIVER_NAMES,
  type DriverOptions,
  type DriverReading,
  mariadbKeepalive,
  mergeReadings,
  mysql2Keepalive,
  type NodeDriver,
  type NodeMysqlDriver,
  readDriver,
  driverMaxSize,
} from './drivers.js';
import { keyLabel, type OptionEntry, optionEntries, readScalar } from './options.js';
import { candidates, MARIADB_RANGES, MYSQL_RANGES, MYSQL2_RANGES, type Range } from './versions.js';

export { DRIVER_NAMES, type NodeDriver, type NodeMysqlDriver } from './drivers.js';

export const DRIVER_RANGES: Record<NodeMysqlDriver, readonly Range[]> = {
  mysql2: MYSQL2_RANGES,
  mysql: MYSQL_RANGES,
  mariadb: MARIADB_RANGES,
};

export interface NodeMysqlInput {
  path: string;
  call: JsCall;
  driver: NodeMysqlDriver;
  version?: LibraryVersion;
  sourceText?: ReadonlyMap<string, string>;
}

export interface NodeMysqlResult {
  pool?: Pool;
  problems: Problem[];
  noPool?: string;
}

/** A URL's parts the drivers read: host and query options (each a value as the driver converts it). */
export interface DriverUrl {
  host?: string;
  query: Array<[string, JsValue]>;
}

/** mysql2 and mysqljs convert each query value with JSON.parse, falling back to the text (mysql2.md, Syntax). */
function jsonValue(text: string, span: Span): JsValue {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'number') return { kind: 'number', value: v, span };
    if (typeof v === 'boolean') return { kind: 'boolean', value: v, span };
    if (v === null) return { kind: 'null', span };
    if (typeof v === 'string') return { kind: 'string', value: v, span };
    return { kind: 'unknown', reason: `an object parsed from ${text}`, span };
  } catch {
    return { kind: 'string', value: text, span };
  }
}

/** Pool keys mariadb converts with parseInt from a URL (mysql2.md, Syntax: mariadb URL). */
const MARIADB_INT_KEYS = new Set([
  'acquireTimeout',
  'connectionLimit',
  'idleTimeout',
  'leakDetectionTimeout',
  'initializationTimeout',
  'minDelayValidation',
  'minimumIdle',
  'pingTimeout',
  'connectTimeout',
  'keepAliveDelay',
  'socketTimeout',
]);

/** The driver's reading of a connection URL, or why it refuses it. */
export function parseDriverUrl(driver: NodeMysqlDriver, text: string, span: Span): DriverUrl | { error: string } {
  if (driver === 'mariadb') {
    const m = /^mariadb:\/\/(?:[^@/]*@)?([^:/?]*)(?::\d+)?(?:\/[^?]*)?(?:\?(.*))?$/.exec(text);
    if (!m)
      return {
        error: 'mariadb only reads mariadb://[user[:password]@]host[:port]/db[?k=v&…] and throws "error parsing connection string"',
      };
    const query: Array<[string, JsValue]> = [];
    for (const [k, v] of new URLSearchParams(m[2] ?? '')) {
      const n = Number.parseInt(v, 10);
      query.push([
        k,
        MARIADB_INT_KEYS.has(k) && !Number.isNaN(n) ? { kind: 'number', value: n, span } : { kind: 'string', value: v, span },
      ]);
    }
    return { ...(m[1] ? { host: m[1].toLowerCase() } : {}), query };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: `${driver} cannot parse it as a URL` };
  }
  const query: Array<[string, JsValue]> = [];
  for (const [k, v] of url.searchParams) query.push([k, jsonValue(v, span)]);
  return { ...(url.hostname ? { host: decodeURIComponent(url.hostname).toLowerCase() } : {}), query };
}

/** Query options as entries, keyed as written (`connectionLimit (URL query)`). */
export function urlEntries(url: DriverUrl, span: Span, urlKey: string): Map<string, OptionEntry> {
  const entries = new Map<string, OptionEntry>();
  for (const [k, value] of url.query) entries.set(k, { key: `${k} (${urlKey} query)`, value, span, fromUrl: true });
  return entries;
}

/** Keys other libraries use that these drivers do not read (mysql2.md, "What a linter can safely conclude": copied keys). */
const FOREIGN: Record<NodeMysqlDriver, Record<string, string>> = {
  mysql2: {
    acquireTimeout: 'mysqljs and mariadb',
    timeout: 'older mysqljs',
    acquireTimeoutMillis: 'knex/tarn',
    idleTimeoutMillis: 'knex/tarn and pg',
    keepAliveDelay: 'mariadb',
    minimumIdle: 'mariadb',
    minDelayValidation: 'mariadb',
  },
  mysql: {
    idleTimeout: 'mysql2 and mariadb',
    maxIdle: 'mysql2',
    enableKeepAlive: 'mysql2',
    keepAliveInitialDelay: 'mysql2',
    idleTimeoutMillis: 'knex/tarn and pg',
    minimumIdle: 'mariadb',
    keepAliveDelay: 'mariadb',
  },
  mariadb: {
    idleTimeoutMillis: 'knex/tarn and pg',
    maxIdle: 'mysql2',
    acquireTimeoutMillis: 'knex/tarn',
  },
};

/** What each driver does with a key it does not read (mysql2.md): mysql2 warns on stderr, the others say nothing. */
function ignoredBy(driver: NodeMysqlDriver, key: string): string {
  return driver === 'mysql2'
    ? `mysql2 prints "Ignoring invalid configuration option passed to Connection: ${key}" on stderr and ignores it`
    : `${DRIVER_NAMES[driver]} ignores it without a warning`;
}

/** Problems about what the driver does with the options, for the versions read. */
export function driverProblems(
  driver: NodeMysqlDriver,
  o: DriverOptions,
  readings: Array<{ label: string; reading: DriverReading; ver: readonly number[] }>,
  known: boolean,
): Problem[] {
  const problems: Problem[] = [];
  for (const [key, from] of Object.entries(FOREIGN[driver])) {
    const e = o.entries.get(key);
    if (!e) continue;
    problems.push({
      severity: 'warning',
      ruleId: 'unknown-setting',
      span: e.span,
      message: `${e.key} is not a ${DRIVER_NAMES[driver]} option (it is ${from}'s): ${ignoredBy(driver, key)} (mysql2.md)`,
    });
  }
  const older = (maj: number, min: number, pat: number) =>
    readings.every((r) => (r.ver[0] ?? 0) * 1e6 + (r.ver[1] ?? 0) * 1e3 + (r.ver[2] ?? 0) < maj * 1e6 + min * 1e3 + pat);
  if (driver === 'mysql2') {
    const idle = o.entries.get('idleTimeout');
    const maxIdle = o.entries.get('maxIdle');
    if (older(3, 1, 0)) {
      for (const e of [maxIdle, idle])
        if (e)
          problems.push({
            severity: 'warning',
            ruleId: 'setting-ignored-by-library',
            span: e.span,
            message: `${e.key} is ignored: mysql2 ${readings[0]?.label} predates maxIdle and idleTimeout (added in 3.1.0), so ${ignoredBy('mysql2', e.key)} (mysql2.md)`,
          });
    } else if (idle) {
      const inert = readings.every((r) => {
        const m = r.reading.idle.find((x) => x.kind === 'idle-timeout');
        return !m || (m.setting.canonicalKey === 'idleTimeout' && m.note?.includes('never starts its idle timer'));
      });
      if (inert) {
        const limit = readings[readings.length - 1]?.reading.settings.get('connectionLimit');
        problems.push({
          severity: 'warning',
          ruleId: 'setting-ignored-by-library',
          span: idle.span,
          message: `${idle.key} has no effect: mysql2 starts its idle timer only when maxIdle is below connectionLimit, and maxIdle ${maxIdle ? `(${maxIdle.key}) is not` : 'defaults to connectionLimit'}${limit?.value.kind === 'count' ? ` (${limit.value.value})` : ''}, so idle connections are never closed (mysql2.md, field report sidorares/node-mysql2#3020). Set ${o.keyOf('maxIdle')} to 0`,
        });
      }
      const r = readScalar(idle);
      const n = r.known ? Number(r.js) : Number.NaN;
      const slip = inert ? undefined : msWrittenAsSeconds(n);
      if (slip)
        problems.push(
          unitSlipProblem(idle.span, {
            key: keyLabel(idle, r),
            written: n,
            library: 'mysql2',
            unit: 'ms',
            slip,
            effect: 'mysql2 closes free connections once they have been idle that long, so the pool keeps almost none for reuse',
            fact: 'mysql2.md, mysql2 pool: idleTimeout',
          }),
        );
    }
    const enable = o.entries.get('enableKeepAlive');
    if (enable) {
      const r = readScalar(enable);
      if (r.known && r.js === false && older(3, 3, 2))
        problems.push({
          severity: 'warning',
          ruleId: 'setting-ignored-by-library',
          span: enable.span,
          message: `${enable.key} is false, which mysql2 ${readings[0]?.label} ignores: TCP keepalive stays on before 3.3.2 (mysql2.md)`,
        });
      if (r.scalar.env && !r.scalar.env.convert)
        problems.push({
          severity: 'warning',
          ruleId: 'setting-ignored-by-library',
          span: enable.span,
          message: `${keyLabel(enable, r)} is read from environment variable ${r.scalar.env.name} as text when it is set, and mysql2 turns keepalive off only for the boolean false, so "false" keeps it on (mysql2.md: 3.3.2+ \`v !== false\`). Compare the variable with 'true' in the code`,
        });
    }
  }
  if (driver === 'mariadb') {
    const idle = o.entries.get('idleTimeout');
    if (idle) {
      const r = readScalar(idle);
      const n = r.known ? Number(r.js) : Number.NaN;
      const slip = secondsWrittenAsMs(n);
      if (slip)
        problems.push(
          unitSlipProblem(idle.span, {
            key: keyLabel(idle, r),
            written: n,
            library: 'mariadb',
            unit: 's',
            slip,
            effect:
              "idle connections above minimumIdle stay open that long (only idleTimeout is in seconds; mariadb's other timeouts and mysql2's idleTimeout are in milliseconds)",
            fact: 'mysql2.md, mariadb pool: unit trap',
          }),
        );
    }
    const min = o.entries.get('minimumIdle');
    if (min) {
      const r = readScalar(min);
      const broken = readings.filter(
        (x) => x.ver[0] === 3 && ((x.ver[1] === 0 && (x.ver[2] ?? 0) >= 1) || (x.ver[1] ?? 0) >= 1) && (x.ver[1] ?? 0) <= 4,
      );
      if (r.known && Number(r.js) === 0 && broken.length > 0)
        problems.push({
          severity: known ? 'error' : 'warning',
          ruleId: 'startup-failure',
          span: min.span,
          message: `${min.key} is 0, with which mariadb ${known ? broken[0]?.label : '3.0.1–3.4.x'} never creates a connection, so every getConnection() times out (mysql2.md, field report mariadb-connector-nodejs#331)${known ? '' : '; 3.5.0 and later are not affected'}`,
        });
    }
    const enable = o.entries.get('enableKeepAlive');
    const initial = o.entries.get('keepAliveInitialDelay');
    if (initial && !o.entries.get('keepAliveDelay')) {
      const on = enable ? readScalar(enable) : undefined;
      if (!on || (on.known && on.js !== true))
        problems.push({
          severity: 'warning',
          ruleId: 'setting-ignored-by-library',
          span: initial.span,
          message: `${initial.key} is ignored: mariadb reads it only together with enableKeepAlive: true (3.4.0+), else keepAliveDelay (mysql2.md). Write keepAliveDelay`,
        });
    }
  }
  return problems;
}

/** Reads the driver's options for every version it may be, merged. */
export function readDriverPool(
  driver: NodeMysqlDriver,
  o: DriverOptions,
  version: LibraryVersion | undefined,
): { reading: DriverReading; problems: Problem[]; versionLabel?: string } {
  const problems: Problem[] = [];
  const c = candidates(DRIVER_RANGES[driver], driver, version, problems);
  const readings = c.list.map((x) => ({ label: x.label, ver: x.ver, reading: readDriver(driver, o, x) }));
  problems.push(...driverProblems(driver, o, readings, c.known));
  return {
    reading: mergeReadings(driver, readings),
    problems,
    ...(c.known && version ? { versionLabel: version.version } : {}),
  };
}

function hostOf(entries: ReadonlyMap<string, OptionEntry>): string | undefined {
  const e = entries.get('host');
  const s = e ? jsScalarOf(e.value) : undefined;
  return s?.literal?.kind === 'string' && s.literal.value ? s.literal.value.toLowerCase() : undefined;
}

/** The pool a `createPool` call (or `cluster.add`) builds. */
export function nodeMysqlPool(input: NodeMysqlInput): NodeMysqlResult {
  const { call, driver } = input;
  const problems: Problem[] = [];
  const fn = call.callee.slice(call.callee.lastIndexOf('.') + 1);
  if (fn === 'createPoolCluster') {
    return {
      problems,
      noPool: `${call.written}() only configures the cluster (canRetry, removeNodeErrorCount, restoreNodeTimeout, defaultSelector); each of its pools comes from a cluster.add() call, read on its own`,
    };
  }
  // cluster.add(id, options) or cluster.add(options); createPool(options | uri).
  const arg = fn === 'add' && call.args.length > 1 ? call.args[1] : call.args[0];
  if (!arg)
    return { problems, noPool: `${call.written}() has no options, so the pool uses the defaults of a configuration not known here` };
  const settingsExtra: Setting[] = [];
  let entries = new Map<string, OptionEntry>();
  let open: DriverOptions['open'];
  let host: string | undefined;
  const urlKey = 'uri';
  const readUrl = (v: JsValue, entrySpan: Span, key: string): void => {
    const s = jsScalarOf(v);
    const text = s.literal?.kind === 'string' ? s.literal.value : undefined;
    settingsExtra.push({
      key,
      canonicalKey: 'uri',
      raw: null,
      text: text === undefined ? null : maskSecrets(key, text),
      value:
        text === undefined
          ? { kind: 'unknown', reason: `${key}: ${s.unknown ?? 'not a string'}` }
          : { kind: 'string', value: maskSecrets(key, text) },
      origin: { kind: 'file', span: entrySpan, via: [] },
      overrides: [],
    });
    if (text === undefined) {
      // Query options of an unknown URL may set any pool key (mysql2, mysqljs).
      if (driver !== 'mariadb' || s.unknown) open = { reason: `the query of ${key}, which is not known here`, span: entrySpan };
      return;
    }
    const url = parseDriverUrl(driver, text, v.span);
    if ('error' in url) {
      problems.push({
        ruleId: 'startup-failure',
        severity: 'error',
        span: entrySpan,
        message: `${key} is not a URL ${DRIVER_NAMES[driver]} accepts: ${url.error}`,
      });
      return;
    }
    host = url.host;
    for (const [k, e] of urlEntries(url, entrySpan, key)) if (!entries.has(k)) entries.set(k, e);
  };
  if (arg.kind === 'object') {
    const view = optionEntries(arg);
    entries = new Map(view?.entries ?? []);
    open = view?.open;
    host = hostOf(entries);
    const uri = entries.get('uri') ?? (driver === 'mysql' ? entries.get('url') : undefined);
    if (uri && driver !== 'mariadb') {
      // mysql2: explicit truthy keys win over the URI's (mysql2.md, Syntax).
      const explicit = new Map(entries);
      entries = new Map();
      readUrl(uri.value, uri.span, uri.key);
      const fromUrl = entries;
      entries = explicit;
      for (const [k, e] of fromUrl) {
        const mine = explicit.get(k);
        const truthy = mine ? !!readScalar(mine).js || !readScalar(mine).known : false;
        if (!truthy) entries.set(k, e);
      }
      host = host ?? hostOfUrlSetting(settingsExtra);
    }
  } else if (arg.kind === 'string' || arg.kind === 'env' || arg.kind === 'unknown') {
    readUrl(arg, arg.span, urlKey);
  } else {
    return {
      problems,
      noPool: `the options of ${call.written}() are ${arg.kind === 'call' ? `the result of ${arg.written}(...)` : `a ${arg.kind}`}, not known here`,
    };
  }
  const o: DriverOptions = {
    entries,
    keyOf: (k) => k,
    ...(open ? { open } : {}),
    ...(input.sourceText ? { sources: input.sourceText } : {}),
  };
  const read = readDriverPool(driver, o, input.version);
  problems.push(...read.problems);
  const settings = read.reading.settings;
  for (const s of settingsExtra) settings.set(s.canonicalKey, s);
  const engine: Engine = driver === 'mariadb' ? 'mariadb' : 'mysql';
  const name = `${call.written}() at ${formatSpan(call.span)}`;
  const pool: Pool = {
    id: `${driver}:${input.path}@${call.span.line}`,
    library: driver,
    libraryName: driver === 'mysql' ? 'mysql (mysqljs)' : driver,
    name,
    ...(input.version ? { libraryVersion: input.version } : {}),
    engine,
    engineReason: `${call.written}() of the ${DRIVER_NAMES[driver]} package (MySQL or MariaDB)`,
    ...(host ? { host } : {}),
    origin: call.span,
    settings: sortedByKey(settings),
    idle: read.reading.idle,
    validatesOnCheckout: read.reading.validates,
    ...(read.reading.keepalive ? { tcpKeepalive: read.reading.keepalive } : {}),
  };
  const maxSize = driverMaxSize(driver, settings);
  if (maxSize) pool.maxSize = maxSize;
  return { pool, problems };
}

function hostOfUrlSetting(settings: Setting[]): string | undefined {
  const s = settings.find((x) => x.canonicalKey === 'uri');
  if (s?.value.kind !== 'string') return undefined;
  try {
    return new URL(s.value.value).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

function keepaliveOf(
  driver: NodeDriver,
  options: JsValue | undefined,
  version: LibraryVersion | undefined,
): Array<{ keepalive?: DriverKeepalive; mechanism?: IdleMechanism }> | undefined {
  const view = optionEntries(options);
  if (!view) return undefined;
  const o: DriverOptions = { entries: view.entries, keyOf: (k) => k, ...(view.open ? { open: view.open } : {}) };
  if (driver === 'pg') return [pgKeepalive(o)];
  if (driver === 'mysql')
    return [
      {
        keepalive: {
          driver: DRIVER_NAMES.mysql,
          value: false,
          fact: 'mysql2.md, Settings (mysql): no setKeepAlive anywhere in the library',
        },
      },
    ];
  const c = candidates(DRIVER_RANGES[driver], driver, version, []);
  return c.list.map((x) => (driver === 'mysql2' ? mysql2Keepalive(o, x.ver, x.label) : mariadbKeepalive(o, x.ver, x.label)));
}

/**
 * Whether the driver turns TCP keepalive on for its sockets, from its connection options (shared with the
 * Knex and Sequelize interpreters). Undefined when it is not known: the options are not an object known
 * here, a switch comes from the environment, or the answer depends on a version that is not known.
 */
export function nodeDriverKeepalive(
  driver: 'mysql2' | 'mysql' | 'mariadb' | 'pg',
  options: JsValue | undefined,
  version?: LibraryVersion,
): DriverKeepalive | undefined {
  const all = keepaliveOf(driver, options, version);
  const first = all?.[all.length - 1]?.keepalive;
  if (!all || !first) return undefined;
  return all.every((k) => k.keepalive && k.keepalive.value === first.value) ? first : undefined;
}

/**
 * The driver's own keepalive delay as an idle mechanism (a TCP probe: it refreshes the network, never the
 * server): mysql2 `keepAliveInitialDelay` (libuv's fixed 60 s before 3.3.5), mariadb `keepAliveDelay`, pg
 * `keepAliveInitialDelayMillis`. Undefined when the OS delay applies (or keepalive is off); a mechanism
 * without a bound when the version decides and is not known.
 */
export function nodeDriverKeepaliveDelay(
  driver: 'mysql2' | 'mysql' | 'mariadb' | 'pg',
  options: JsValue | undefined,
  version?: LibraryVersion,
): IdleMechanism | undefined {
  const all = keepaliveOf(driver, options, version);
  if (!all) return undefined;
  const newest = [...all].reverse().find((k) => k.mechanism)?.mechanism;
  if (!newest) return undefined;
  if (all.every((k) => k.mechanism?.boundMs === newest.boundMs)) return newest;
  return {
    ...newest,
    boundMs: undefined,
    note: `${DRIVER_NAMES[driver]} version unknown: the first keepalive probe's delay depends on it`,
  };
}
