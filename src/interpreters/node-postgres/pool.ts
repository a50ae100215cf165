/**
 * node-postgres's pool as it reads its options (postgresql.md, "node-postgres (pg Client and pg.Pool = pg-pool)"),
 * for every library that hands it an options object: Prisma's @prisma/adapter-pg (passed unchanged to
 * `new pg.Pool()`) and TypeORM's postgres driver (`extra` and the keys it maps). Which pg-pool runs decides two
 * keys: `maxLifetimeSeconds` exists from pg-pool 3.5.0 and `min` from 3.10.0. `pg` depends on `pg-pool ^3.x`, so
 * the lock file decides which pg-pool is installed; what is not known of it stays unknown.
 */
import type { IdleMechanism } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import type { Setting } from '../../model/setting.js';
import { defaultSetting } from '../js/scalar.js';
import {
  DRIVER_NAMES,
  type DriverOptions,
  type DriverReading,
  type KeepaliveReading,
  keepaliveDelayMechanism,
  numericOption,
} from '../node-mysql/drivers.js';
import { durationMs, readScalar, writtenSetting } from '../node-mysql/options.js';
import { atLeast, compareVer, type Ver, versionInterval } from '../node-mysql/versions.js';

export const FACT_PG = 'postgresql.md, "node-postgres (pg Client and pg.Pool = pg-pool)"';
const NO_CHECK = 'postgresql.md, Behaviour: pg-pool never validates a client on checkout; the verify hook runs only for new clients';
const NOTICES_CLOSE =
  'postgresql.md: the server sends a FATAL message and closes the socket cleanly, so node-postgres notices at once and discards the connection';
const KEEPALIVE_FACT =
  'postgresql.md, node-postgres: keepAlive defaults to false; socket.setKeepAlive(true, keepAliveInitialDelayMillis) when set';

/** postgresql.md, Version changes and node-postgres: pg-pool 3.5.0 added maxLifetimeSeconds, 3.10.0 min; pg 8.7.2 is the first pg that requires pg-pool 3.5.0. */
const LIFETIME_FROM: Ver = [3, 5, 0];
const MIN_FROM: Ver = [3, 10, 0];
const PG_REQUIRING_LIFETIME: Ver = [8, 7, 2];

/** What a caller knows of the versions installed; every field may be missing. */
export interface PgVersionsKnown {
  /** pg-pool's own version or range, when known (connlint.config.yaml, a lock file). */
  pgPool?: string;
  /** pg's version or range (connlint.config.yaml, a lock file, a package.json range). */
  pg?: string;
  /** A pg-pool version known from elsewhere to be installed at least, and what says so. */
  atLeast?: { ver: Ver; by: string };
}

/** The pg-pool versions that can run: from `from` (inclusive) to `below` (exclusive), each with what says so. */
interface PgPoolVersions {
  from?: { ver: Ver; by: string };
  below?: { ver: Ver; by: string };
}

/** pg-pool's own version bounds it both ways; pg's only from below, since pg accepts any pg-pool 3.x above what it requires. */
function pgPoolVersions(known: PgVersionsKnown): PgPoolVersions {
  let from = known.atLeast;
  const raise = (ver: Ver, by: string) => {
    if (!from || compareVer(ver, from.ver) > 0) from = { ver, by };
  };
  const pool = known.pgPool !== undefined ? versionInterval(known.pgPool) : undefined;
  if (pool) raise(pool.lo, `pg-pool ${known.pgPool}`);
  const pg = known.pg !== undefined ? versionInterval(known.pg) : undefined;
  if (pg && atLeast(pg.lo, PG_REQUIRING_LIFETIME)) raise(LIFETIME_FROM, `pg ${known.pg}`);
  return { ...(from ? { from } : {}), ...(pool ? { below: { ver: pool.hi, by: `pg-pool ${known.pgPool}` } } : {}) };
}

/** Whether every pg-pool that can run has a feature added in `since`: true, false, or undefined when some have it and some not. */
function has(v: PgPoolVersions, since: Ver): boolean | undefined {
  if (v.from && atLeast(v.from.ver, since)) return true;
  if (v.below && compareVer(v.below.ver, since) <= 0) return false;
  return undefined;
}

/** A key the options may set through keys not known here (an unexpanded spread): unknown, pointing at what hides it. */
function hiddenSetting(o: DriverOptions, open: NonNullable<DriverOptions['open']>, key: string): Setting {
  return {
    key: o.keyOf(key),
    canonicalKey: key,
    raw: null,
    text: null,
    value: { kind: 'unknown', reason: `${o.keyOf(key)} may be set by ${open.reason}` },
    origin: { kind: 'file', span: open.span, via: [] },
    overrides: [],
  };
}

/** node-postgres: `keepAlive` (truthy turns it on; off by default) and `keepAliveInitialDelayMillis` (0: the OS delay). postgresql.md. */
export function pgKeepalive(o: DriverOptions): KeepaliveReading {
  const name = DRIVER_NAMES.pg;
  const e = o.entries.get('keepAlive');
  if (!e) {
    const setting = defaultSetting(o.keyOf('keepAlive'), 'keepAlive', { kind: 'bool', value: false }, 'node-postgres', KEEPALIVE_FACT);
    return {
      keepalive: { driver: name, value: false, fact: KEEPALIVE_FACT, switchOn: `${o.keyOf('keepAlive')}: true` },
      settings: [setting],
    };
  }
  const r = readScalar(e);
  if (!r.known)
    return { settings: [writtenSetting(e, 'keepAlive', r, { kind: 'unknown', reason: `${e.key}: ${r.scalar.unknown}` }, o.sources)] };
  const on = !!r.js;
  const setting = writtenSetting(e, 'keepAlive', r, { kind: 'bool', value: on }, o.sources);
  const keepalive = { driver: name, value: on, fact: KEEPALIVE_FACT, setting, switchOn: `${o.keyOf('keepAlive')}: true` };
  const d = o.entries.get('keepAliveInitialDelayMillis');
  if (!on || !d) return { keepalive, settings: [setting] };
  const dr = readScalar(d);
  const ms = dr.known ? Number(dr.js ?? 0) : undefined;
  const delay = writtenSetting(
    d,
    'keepAliveInitialDelayMillis',
    dr,
    dr.known ? durationMs(ms ?? 0) : { kind: 'unknown', reason: `${d.key}: ${dr.scalar.unknown}` },
    o.sources,
    'ms',
  );
  return { keepalive, mechanism: keepaliveDelayMechanism(delay, ms, 'node-postgres'), settings: [setting, delay] };
}

/** The idle-timeout mechanism: pg-pool's per-client timer armed at release, which spares `min` clients from pg-pool 3.10.0. */
function idleTimeout(idleT: { setting: Setting; n?: number }, min: { setting: Setting; n?: number }, v: PgPoolVersions): IdleMechanism {
  const mechanism = (setting: Setting, boundMs: number | undefined, more: Partial<IdleMechanism>): IdleMechanism => ({
    kind: 'idle-timeout',
    setting,
    boundMs,
    refreshesServer: false,
    ...more,
  });
  const t = idleT.setting;
  if (t.value.kind === 'unknown') return mechanism(t, undefined, { note: t.value.reason });
  // `if (idleTimeoutMillis && ...)`: 0 (or NaN) arms no timer, whatever min is.
  if (!idleT.n) return mechanism(t, undefined, { note: `${t.key} is 0, so pg.Pool never evicts idle clients (${FACT_PG})` });
  const timer = 'a per-client timer armed at release (pg-pool)';
  // A negative timeout fires at once, as setTimeout does.
  const bound = Math.max(idleT.n, 1);
  const minKnown = has(v, MIN_FROM);
  if (minKnown === false) {
    const ignored =
      min.setting.origin.kind === 'file' ? `; ${v.below?.by} predates min (pg-pool 3.10.0), so ${min.setting.key} spares none` : '';
    return mechanism(t, bound, { note: `${timer}${ignored}` });
  }
  const m = min.setting;
  if (m.value.kind === 'unknown') return mechanism(m, undefined, { note: m.value.reason });
  if (!min.n || min.n <= 0) return mechanism(t, bound, { note: timer });
  if (minKnown)
    return mechanism(t, undefined, {
      sparedBy: m,
      note: `${v.from?.by} keeps ${m.key} (${min.n}) clients from idle eviction (min: pg-pool 3.10.0+), so ${t.key} evicts only those above it`,
    });
  return mechanism(
    {
      ...t,
      value: {
        kind: 'unknown',
        reason: `pg-pool 3.10.0+ never evicts the ${m.key} (${min.n}) clients and older pg-pool ignores min; which pg-pool the lockfile installs is not known here`,
      },
    },
    undefined,
    {},
  );
}

/** The max-lifetime mechanism: a per-client timer armed at connect, from pg-pool 3.5.0. Its setting may become unknown. */
function maxLifetime(life: { setting: Setting; n?: number }, v: PgPoolVersions): IdleMechanism {
  const s = life.setting;
  const off = { kind: 'max-lifetime' as const, setting: s, boundMs: undefined, refreshesServer: false };
  if (s.value.kind === 'unknown') return off;
  if (!life.n || life.n <= 0) return { ...off, note: `${s.key} is 0, so pg.Pool never retires connections by age` };
  const known = has(v, LIFETIME_FROM);
  if (known === false) return { ...off, note: `${v.below?.by} predates maxLifetimeSeconds (pg-pool 3.5.0), so ${s.key} retires nothing` };
  if (known === undefined) {
    const reason = `${s.key} needs pg-pool 3.5.0 or later (pg 8.7.2 or later requires it), and which pg-pool is installed is not known here`;
    return { ...off, setting: { ...s, value: { kind: 'unknown', reason } }, note: reason };
  }
  return {
    ...off,
    boundMs: life.n * 1000,
    note: 'a per-client timer armed at connect: an idle client is closed at expiry (pg-pool)',
  };
}

/**
 * pg.Pool's settings, idle mechanisms, keepalive and checkout behaviour from the options it is given, and the
 * options it silently rewrites (`max: 0`). `known`: what the caller knows of the pg and pg-pool versions.
 */
export function readPgPool(o: DriverOptions, known: PgVersionsKnown): { reading: DriverReading; problems: Problem[] } {
  const v = pgPoolVersions(known);
  const problems: Problem[] = [];
  const settings = new Map<string, Setting>();
  const read = (key: string, def: number, convert: (js: unknown) => number, kind: 'count' | 'ms' | 's', fact: string) =>
    numericOption(o, key, 'node-postgres', '', def, convert, kind, `${FACT_PG}: ${fact}`);
  // pg-pool: `max || poolSize || 10`; only an undefined idleTimeoutMillis takes 10000 (0: never evict);
  // `min || 0`; `maxLifetimeSeconds || 0`; a falsy connectionTimeoutMillis: no timeout.
  const poolSize = o.entries.get('poolSize');
  const poolSizeRead = poolSize ? readScalar(poolSize) : undefined;
  const poolSizeN = poolSizeRead?.known ? Number(poolSizeRead.js) || 0 : 0;
  const max = read('max', poolSizeN || 10, (js) => Number(js) || poolSizeN || 10, 'count', 'max 10 (max || poolSize || 10)');
  if (max.entry && max.read?.known && !Number(max.read.js))
    problems.push({
      severity: 'warning',
      ruleId: 'setting-ignored-by-library',
      span: max.entry.span,
      message: `${max.setting.key} is ${String(max.read.js)}, which pg-pool reads as ${max.n} (\`max || poolSize || 10\`), not as "no limit" (${FACT_PG}). Write the pool size you want`,
    });
  const min = read('min', 0, (js) => Number(js) || 0, 'count', 'min 0 (pg-pool 3.10.0+)');
  const idleT = read(
    'idleTimeoutMillis',
    10_000,
    (js) => {
      const n = js === undefined ? 10_000 : Number(js);
      return Number.isNaN(n) ? 0 : n;
    },
    'ms',
    'idleTimeoutMillis 10000 (0: never evict)',
  );
  const wait = read('connectionTimeoutMillis', 0, (js) => Number(js) || 0, 'ms', 'connectionTimeoutMillis 0 (no timeout)');
  const life = read('maxLifetimeSeconds', 0, (js) => Number(js) || 0, 's', 'maxLifetimeSeconds 0 (off; pg-pool 3.5.0+)');
  for (const x of [max, min, idleT, wait, life]) settings.set(x.setting.canonicalKey, x.setting);

  const lifetime = maxLifetime(life, v);
  settings.set('maxLifetimeSeconds', lifetime.setting);
  const idle: IdleMechanism[] = [idleTimeout(idleT, min, v), lifetime];

  let keepalive: DriverReading['keepalive'];
  if (o.open) {
    // keepAlive may be among the keys not known here: whether the driver turns keepalive on is not known.
    settings.set('keepAlive', hiddenSetting(o, o.open, 'keepAlive'));
  } else {
    const k = pgKeepalive(o);
    for (const s of k.settings) settings.set(s.canonicalKey, s);
    if (k.mechanism) idle.push(k.mechanism);
    keepalive = k.keepalive;
  }
  return {
    reading: {
      settings,
      idle,
      ...(keepalive ? { keepalive } : {}),
      validates: { value: false, fact: NO_CHECK, noticesServerClose: NOTICES_CLOSE },
    },
    problems,
  };
}
