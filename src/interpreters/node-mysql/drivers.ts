/**
 * What mysql2, mysql (mysqljs) and mariadb make of their pool options in one version (mysql2.md,
 * Settings, Behaviour, "Version changes"), and the merge of several versions' readings when the
 * version is not known: what they agree on is kept, the rest is unknown.
 */
import { formatDuration } from '../../model/duration.js';
import type { DriverKeepalive, IdleMechanism, Pool, PoolSize } from '../../model/model.js';
import { poolSizeOf } from '../pool-size.js';
import type { Setting, Value } from '../../model/setting.js';
import { humanValue } from '../../model/values.js';
import {
  count,
  durationMs,
  isNaNRule,
  type OptionEntry,
  orRule,
  type Read,
  readScalar,
  type SourceTexts,
  undefinedRule,
  writtenSetting,
} from './options.js';
import { atLeast, type Candidate, type Ver } from './versions.js';
import { defaultSetting } from '../js/scalar.js';

export type NodeMysqlDriver = 'mysql2' | 'mysql' | 'mariadb';
export type NodeDriver = NodeMysqlDriver | 'pg';

export const DRIVER_NAMES: Record<NodeDriver, string> = {
  mysql2: 'mysql2',
  mysql: 'mysql (mysqljs)',
  mariadb: 'mariadb (MariaDB Connector/Node.js)',
  pg: 'node-postgres (pg)',
};

/** The options a driver reads, by its own key, and how each unwritten key is spelled for advice. */
export interface DriverOptions {
  entries: ReadonlyMap<string, OptionEntry>;
  keyOf: (key: string) => string;
  /** Keys not listed may exist (an unexpanded spread): unwritten keys are then unknown, not defaults. */
  open?: { reason: string; span: OptionEntry['span'] };
  sources?: SourceTexts;
}

/** One version's reading. `keepalive` undefined: not known. */
export interface DriverReading {
  settings: Map<string, Setting>;
  idle: IdleMechanism[];
  keepalive?: DriverKeepalive;
  validates: Pool['validatesOnCheckout'];
}

const MYSQL2_IDLE =
  'mysql2.md, Settings (mysql2): maxIdle defaults to connectionLimit and the idle timer (every 1 s) only runs when maxIdle < connectionLimit';
const MYSQL2_NO_CHECK =
  'mysql2.md, Behaviour: mysql2 never validates on checkout in any version read: getConnection pops a free connection and returns it';
/** mysql2.md, Model: what all three drivers do with a connection the server closed while it sat in the pool. */
const NOTICES_CLOSE =
  'mysql2.md, Model: mysql2, mysql and mariadb remove a pooled connection as soon as the driver sees its socket end or error, so a server wait_timeout close that reaches the client is healed transparently; only a connection dropped silently on the path is handed out';
const MYSQL2_KEEPALIVE =
  'mysql2.md, Settings (enableKeepAlive, keepAliveInitialDelay): TCP keepalive on since 2.1.0 (enableKeepAlive ignored until 3.3.1, honoured with default true from 3.3.2)';
const LIBUV_60 =
  "mysql2.md, keepAliveInitialDelay: in 2.1.0–3.3.4 setKeepAlive ran before the socket existed, so the value was ignored and libuv's fixed 60 s applied";
const TCP_PROBE_NOTE = "a TCP keepalive probe keeps the network's state alive, not the server's wait_timeout";
const MYSQLJS_PING =
  'mysql2.md, Settings (mysql): from 2.2.0 the pool pings every reused free connection on getConnection (acquireTimeout, 10 s) and replaces a dead one';
const MYSQLJS_PING_SUFFICES =
  'mysql2.md, "What a linter can safely conclude": mysqljs pings on checkout, so stale connections cost latency, not errors ("Do not report no validation for mysqljs pools"); typeorm.md: a long idle time is fine with mysql';
const MARIADB_PING =
  'mysql2.md, Settings (mariadb): a borrowed connection idle longer than minDelayValidation (500 ms) is pinged first (pingTimeout 250 ms) and discarded when dead';
const MARIADB_PING_SUFFICES =
  'mysql2.md, "What a linter can safely conclude": with the mariadb pool the per-borrow ping (minDelayValidation/pingTimeout) is what protects the application';

/** Reads one key: written (as the library converts it), unknown, or its default. `label`: the version the default is for, or ''. */
export function numericOption(
  o: DriverOptions,
  key: string,
  library: string,
  label: string,
  def: number | Value,
  convert: (js: unknown, def: number) => number,
  kind: 'count' | 'ms' | 's',
  fact: string,
): { setting: Setting; n?: number; read?: Read; entry?: OptionEntry } {
  const unit = kind === 'count' ? undefined : kind;
  const toValue = (n: number): Value => (kind === 'count' ? count(n) : kind === 'ms' ? durationMs(n) : durationMs(n * 1000));
  const e = o.entries.get(key);
  if (e) {
    const r = readScalar(e);
    if (!r.known) {
      const setting = writtenSetting(e, key, r, { kind: 'unknown', reason: `${e.key}: ${r.scalar.unknown}` }, o.sources, unit);
      return { setting, read: r, entry: e };
    }
    const fallback = typeof def === 'number' ? def : Number.NaN;
    const n = convert(r.js, fallback);
    const value = Number.isNaN(n) && typeof def !== 'number' ? def : toValue(n);
    return { setting: writtenSetting(e, key, r, value, o.sources, unit), ...(Number.isFinite(n) ? { n } : {}), read: r, entry: e };
  }
  if (o.open) {
    const setting: Setting = {
      key: o.keyOf(key),
      canonicalKey: key,
      raw: null,
      text: null,
      value: { kind: 'unknown', reason: `${o.keyOf(key)} may be set by ${o.open.reason}` },
      origin: { kind: 'file', span: o.open.span, via: [] },
      overrides: [],
      ...(unit ? { unit } : {}),
    };
    return { setting };
  }
  const value = typeof def === 'number' ? toValue(def) : def;
  return {
    setting: defaultSetting(o.keyOf(key), key, value, library, fact, label, unit),
    ...(typeof def === 'number' ? { n: def } : value.kind === 'count' ? { n: value.value } : {}),
  };
}

function boolOption(o: DriverOptions, key: string): { entry?: OptionEntry; read?: Read } {
  const e = o.entries.get(key);
  return e ? { entry: e, read: readScalar(e) } : {};
}

// ---------------------------------------------------------------------------------------------------
// TCP keepalive

export interface KeepaliveReading {
  keepalive?: DriverKeepalive;
  mechanism?: IdleMechanism;
  settings: Setting[];
}

/** A driver's first keepalive probe after `ms` idle: a mechanism of its own when the delay is known and positive. */
export function keepaliveDelayMechanism(setting: Setting, ms: number | undefined, driver: string): IdleMechanism | undefined {
  if (setting.value.kind === 'unknown')
    return { kind: 'keepalive', setting, boundMs: undefined, refreshesServer: false, note: setting.value.reason };
  if (ms === undefined || !(ms > 0)) return undefined;
  return {
    kind: 'keepalive',
    setting,
    boundMs: ms,
    refreshesServer: false,
    note: `${driver} sends the first TCP keepalive probe after ${formatDuration(ms)} idle; ${TCP_PROBE_NOTE}`,
  };
}

/** mysql2: on since 2.1.0; the delay is libuv's 60 s before 3.3.5, the written one (or the OS value) from 3.3.5. */
export function mysql2Keepalive(o: DriverOptions, v: Ver, label: string): KeepaliveReading {
  const name = 'mysql2';
  if (!atLeast(v, [2, 1, 0]))
    return {
      keepalive: { driver: name, value: false, fact: 'mysql2.md, Version changes: keepalive options added in 2.1.0' },
      settings: [],
    };
  const enable = boolOption(o, 'enableKeepAlive');
  const settings: Setting[] = [];
  let on = true;
  let enableSetting: Setting | undefined;
  if (enable.entry && enable.read) {
    const r = enable.read;
    if (!r.known) {
      enableSetting = writtenSetting(
        enable.entry,
        'enableKeepAlive',
        r,
        { kind: 'unknown', reason: `${enable.entry.key}: ${r.scalar.unknown}` },
        o.sources,
      );
      settings.push(enableSetting);
      if (atLeast(v, [3, 3, 2])) return { settings };
    } else {
      const honoured = atLeast(v, [3, 3, 2]);
      on = honoured ? r.js !== false : true;
      enableSetting = writtenSetting(enable.entry, 'enableKeepAlive', r, { kind: 'bool', value: on }, o.sources);
      if (!honoured && r.js === false)
        enableSetting.clamp = {
          written: { kind: 'bool', value: false },
          reason: `mysql2 ${label} ignores enableKeepAlive: TCP keepalive is always on`,
          fact: MYSQL2_KEEPALIVE,
        };
      settings.push(enableSetting);
    }
  } else {
    settings.push(
      defaultSetting(o.keyOf('enableKeepAlive'), 'enableKeepAlive', { kind: 'bool', value: true }, 'mysql2', MYSQL2_KEEPALIVE, label),
    );
  }
  const keepalive: DriverKeepalive = {
    driver: name,
    value: on,
    fact: MYSQL2_KEEPALIVE,
    ...(enableSetting ? { setting: enableSetting } : {}),
    switchOn: `${o.keyOf('enableKeepAlive')}: true`,
  };
  if (!on) return { keepalive, settings };
  const delay = o.entries.get('keepAliveInitialDelay');
  if (!atLeast(v, [3, 3, 5])) {
    // libuv's fixed 60 s, whatever is written (mysql2.md, keepAliveInitialDelay).
    let setting: Setting;
    if (delay) {
      const r = readScalar(delay);
      setting = writtenSetting(delay, 'keepAliveInitialDelay', r, { kind: 'duration', ms: 60_000 }, o.sources, 'ms');
      setting.clamp = {
        written: r.known ? durationMs(Number(r.js)) : { kind: 'unknown', reason: r.scalar.unknown ?? 'unknown' },
        reason: `mysql2 ${label} ignores keepAliveInitialDelay: libuv starts probes after a fixed 60 s`,
        fact: LIBUV_60,
      };
    } else {
      setting = defaultSetting(
        o.keyOf('keepAliveInitialDelay'),
        'keepAliveInitialDelay',
        { kind: 'duration', ms: 60_000 },
        'mysql2',
        LIBUV_60,
        label,
        'ms',
      );
    }
    settings.push(setting);
    return { keepalive, mechanism: keepaliveDelayMechanism(setting, 60_000, name), settings };
  }
  if (!delay) return { keepalive, settings };
  const r = readScalar(delay);
  const ms = r.known ? Number(r.js ?? 0) : undefined;
  const setting = writtenSetting(
    delay,
    'keepAliveInitialDelay',
    r,
    r.known ? durationMs(ms ?? 0) : { kind: 'unknown', reason: `${delay.key}: ${r.scalar.unknown}` },
    o.sources,
    'ms',
  );
  settings.push(setting);
  return { keepalive, mechanism: keepaliveDelayMechanism(setting, ms, name), settings };
}

/** mariadb: keepAliveDelay (and from 3.4.0 the mysql2-style alias); off ≤ 3.4.0 unless > 0, on 3.4.1–3.4.x, off again from 3.5.0 unless set. */
export function mariadbKeepalive(o: DriverOptions, v: Ver, label: string): KeepaliveReading {
  const name = DRIVER_NAMES.mariadb;
  const fact = 'mysql2.md, Settings (mariadb): keepAliveDelay';
  let entry = o.entries.get('keepAliveDelay');
  let canonical = 'keepAliveDelay';
  if (!entry && atLeast(v, [3, 4, 0])) {
    const enable = boolOption(o, 'enableKeepAlive');
    const initial = o.entries.get('keepAliveInitialDelay');
    if (enable.read && !enable.read.known && initial) return { settings: [] };
    // The alias applies only with enableKeepAlive === true and keepAliveInitialDelay set (CONJS-296).
    if (enable.read?.js === true && initial) {
      entry = initial;
      canonical = 'keepAliveInitialDelay';
    }
  }
  let n: number | undefined;
  let setting: Setting;
  if (entry) {
    const r = readScalar(entry);
    if (!r.known) {
      setting = writtenSetting(entry, canonical, r, { kind: 'unknown', reason: `${entry.key}: ${r.scalar.unknown}` }, o.sources, 'ms');
      return { settings: [setting] };
    }
    n = r.js === undefined ? undefined : Number(r.js);
    setting = writtenSetting(
      entry,
      canonical,
      r,
      n === undefined ? { kind: 'unknown', reason: 'undefined' } : durationMs(n),
      o.sources,
      'ms',
    );
  } else {
    const def = atLeast(v, [3, 5, 0]) ? undefined : 0;
    n = def;
    setting = defaultSetting(
      o.keyOf('keepAliveDelay'),
      'keepAliveDelay',
      def === undefined ? { kind: 'bool', value: false } : { kind: 'duration', ms: 0 },
      'mariadb',
      `${fact} (default ${def === undefined ? 'undefined = off from 3.5.0' : '0'})`,
      label,
      'ms',
    );
  }
  let on: boolean;
  let why: string;
  if (!atLeast(v, [3, 4, 1])) {
    on = !!n && n > 0;
    why = `${fact}: up to 3.4.0 keepalive is on only for a non-zero keepAliveDelay`;
  } else if (!atLeast(v, [3, 5, 0])) {
    on = n !== undefined && n >= 0;
    why = `${fact}: 3.4.1–3.4.x enable keepalive whenever keepAliveDelay >= 0 (default 0, so always on with the OS delay)`;
  } else {
    on = n !== undefined && !Number.isNaN(n) && n >= 0;
    why = `${fact}: from 3.5.0 keepAliveDelay defaults to undefined (off); any number >= 0 turns it on (0: the OS delay)`;
  }
  const keepalive: DriverKeepalive = {
    driver: name,
    value: on,
    fact: why,
    ...(entry ? { setting } : {}),
    switchOn: `${o.keyOf('keepAliveDelay')}: 0 (the OS keepalive time) or a delay in milliseconds`,
  };
  return { keepalive, ...(on ? { mechanism: keepaliveDelayMechanism(setting, n, 'mariadb') } : {}), settings: [setting] };
}

// ---------------------------------------------------------------------------------------------------
// Pools

function putAll(settings: Map<string, Setting>, list: Setting[]): void {
  for (const s of list) settings.set(s.canonicalKey, s);
}

/** mysql2's pool in one version. */
export function readMysql2(o: DriverOptions, c: Candidate): DriverReading {
  const { ver: v, label } = c;
  const settings = new Map<string, Setting>();
  const idle: IdleMechanism[] = [];
  const fact = 'mysql2.md, Settings (mysql2)';
  const limitRule = atLeast(v, [2, 0, 2]) ? isNaNRule : undefinedRule;
  const limit = numericOption(o, 'connectionLimit', 'mysql2', label, 10, limitRule, 'count', `${fact}: connectionLimit 10 (0 = unlimited)`);
  settings.set('connectionLimit', limit.setting);
  settings.set(
    'connectTimeout',
    numericOption(o, 'connectTimeout', 'mysql2', label, 10_000, isNaNRule, 'ms', `${fact}: connectTimeout 10000`).setting,
  );
  if (atLeast(v, [3, 1, 0])) {
    const maxIdle = numericOption(
      o,
      'maxIdle',
      'mysql2',
      label,
      limit.n ?? { kind: 'unknown', reason: 'maxIdle defaults to connectionLimit, which is not known' },
      isNaNRule,
      'count',
      `${fact}: maxIdle defaults to connectionLimit`,
    );
    const timeout = numericOption(o, 'idleTimeout', 'mysql2', label, 60_000, isNaNRule, 'ms', `${fact}: idleTimeout 60000 (3.1.0+)`);
    settings.set('maxIdle', maxIdle.setting);
    settings.set('idleTimeout', timeout.setting);
    const unknownOne = [maxIdle.setting, limit.setting, timeout.setting].find((s) => s.value.kind === 'unknown');
    const newer = atLeast(v, [3, 11, 1]);
    const fix = `${o.keyOf('maxIdle')} to 0 and ${o.keyOf('idleTimeout')}`;
    if (unknownOne) {
      idle.push({
        kind: 'idle-timeout',
        setting: unknownOne,
        boundMs: undefined,
        refreshesServer: false,
        note: `whether mysql2 retires idle connections is not known: ${unknownOne.value.kind === 'unknown' ? unknownOne.value.reason : ''}`,
      });
    } else {
      const mi = maxIdle.n as number;
      const cl = limit.n as number;
      const t = timeout.n as number;
      if (!(mi < cl)) {
        timeout.setting.writeAs = fix;
        idle.push({
          kind: 'idle-timeout',
          setting: timeout.setting,
          boundMs: undefined,
          refreshesServer: false,
          slackMs: 1000,
          sparedBy: maxIdle.setting,
          note: `${o.keyOf('maxIdle')} (${mi}) is not below ${o.keyOf('connectionLimit')} (${cl}), so mysql2 never starts its idle timer and ${timeout.setting.key} is inert (${MYSQL2_IDLE})`,
        });
      } else if (!newer && mi > 0) {
        timeout.setting.writeAs = fix;
        idle.push({
          kind: 'idle-timeout',
          setting: timeout.setting,
          boundMs: undefined,
          refreshesServer: false,
          slackMs: 1000,
          sparedBy: maxIdle.setting,
          note: `mysql2 ${label} keeps up to ${o.keyOf('maxIdle')} (${mi}) idle connections forever and retires only those above it (mysql2.md, idleTimeout: 3.1.0–3.11.0)`,
        });
      } else {
        idle.push({
          kind: 'idle-timeout',
          setting: timeout.setting,
          boundMs: Math.max(t, 0) + 1000,
          refreshesServer: false,
          slackMs: 1000,
          note: `mysql2's idle timer runs every 1 s, so an idle connection is closed within ${timeout.setting.key} + 1 s (mysql2.md, idleTimeout${newer ? ': 3.11.1+ retires all idle connections' : ', maxIdle 0'})`,
        });
      }
    }
  }
  const k = mysql2Keepalive(o, v, label);
  putAll(settings, k.settings);
  if (k.mechanism) idle.push(k.mechanism);
  return {
    settings,
    idle,
    ...(k.keepalive ? { keepalive: k.keepalive } : {}),
    validates: { value: false, fact: MYSQL2_NO_CHECK, noticesServerClose: NOTICES_CLOSE },
  };
}

/** mysql (mysqljs) 2.x: no idle retirement, no keepalive; a ping on every reused connection from 2.2.0. */
export function readMysqljs(o: DriverOptions, c: Candidate): DriverReading {
  const { ver: v, label } = c;
  const settings = new Map<string, Setting>();
  const fact = 'mysql2.md, Settings (mysql)';
  settings.set(
    'connectionLimit',
    numericOption(o, 'connectionLimit', 'mysql', label, 10, undefinedRule, 'count', `${fact}: connectionLimit 10`).setting,
  );
  settings.set(
    'connectTimeout',
    numericOption(o, 'connectTimeout', 'mysql', label, 10_000, undefinedRule, 'ms', `${fact}: connectTimeout 10000`).setting,
  );
  if (atLeast(v, [2, 4, 0]))
    settings.set(
      'acquireTimeout',
      numericOption(
        o,
        'acquireTimeout',
        'mysql',
        label,
        10_000,
        undefinedRule,
        'ms',
        `${fact}: acquireTimeout 10000 (2.4.0+), the ping timeout`,
      ).setting,
    );
  const pings = atLeast(v, [2, 2, 0]);
  return {
    settings,
    idle: [],
    keepalive: { driver: DRIVER_NAMES.mysql, value: false, fact: 'mysql2.md, Settings (mysql): no setKeepAlive anywhere in the library' },
    validates: pings
      ? { value: true, fact: MYSQLJS_PING, sufficient: MYSQLJS_PING_SUFFICES }
      : {
          value: false,
          fact: 'mysql2.md, Version changes: mysql before 2.2.0 does not ping on getConnection',
          noticesServerClose: NOTICES_CLOSE,
        },
  };
}

/** mariadb (MariaDB Connector/Node.js): idleTimeout in seconds, reaper every 500 ms, ping on borrow. */
export function readMariadb(o: DriverOptions, c: Candidate): DriverReading {
  const { ver: v, label } = c;
  const settings = new Map<string, Setting>();
  const idle: IdleMechanism[] = [];
  const fact = 'mysql2.md, Settings (mariadb)';
  const limit = numericOption(o, 'connectionLimit', 'mariadb', label, 10, undefinedRule, 'count', `${fact}: connectionLimit 10`);
  settings.set('connectionLimit', limit.setting);
  const min = numericOption(
    o,
    'minimumIdle',
    'mariadb',
    label,
    limit.n ?? { kind: 'unknown', reason: 'minimumIdle defaults to connectionLimit, which is not known' },
    undefinedRule,
    'count',
    `${fact}: minimumIdle defaults to connectionLimit`,
  );
  settings.set('minimumIdle', min.setting);
  const zeroDisables = atLeast(v, [3, 0, 2]);
  const timeout = numericOption(
    o,
    'idleTimeout',
    'mariadb',
    label,
    1800,
    zeroDisables ? undefinedRule : orRule,
    's',
    `${fact}: idleTimeout 1800 seconds${zeroDisables ? '' : ' (0 becomes 1800 up to 3.0.1)'}`,
  );
  settings.set('idleTimeout', timeout.setting);
  const connectDefault = !atLeast(v, [2, 5, 6]) ? 10_000 : !atLeast(v, [3, 0, 0]) ? 1000 : !atLeast(v, [3, 0, 1]) ? 10_000 : 1000;
  settings.set(
    'connectTimeout',
    numericOption(
      o,
      'connectTimeout',
      'mariadb',
      label,
      connectDefault,
      undefinedRule,
      'ms',
      `${fact}: connectTimeout ${connectDefault} in ${label}`,
    ).setting,
  );
  settings.set(
    'acquireTimeout',
    numericOption(o, 'acquireTimeout', 'mariadb', label, 10_000, undefinedRule, 'ms', `${fact}: acquireTimeout 10000`).setting,
  );
  const delay = numericOption(o, 'minDelayValidation', 'mariadb', label, 500, undefinedRule, 'ms', `${fact}: minDelayValidation 500`);
  settings.set('minDelayValidation', delay.setting);
  settings.set(
    'pingTimeout',
    numericOption(o, 'pingTimeout', 'mariadb', label, 250, orRule, 'ms', `${fact}: pingTimeout 250 (source; the docs say 500)`).setting,
  );

  // The reaper (mysql2.md, mariadb idleTimeout).
  const unknownOne = [timeout.setting, min.setting, limit.setting].find((s) => s.value.kind === 'unknown');
  if (unknownOne) {
    idle.push({
      kind: 'idle-timeout',
      setting: unknownOne,
      boundMs: undefined,
      refreshesServer: false,
      note: `whether mariadb retires idle connections is not known: ${unknownOne.value.kind === 'unknown' ? unknownOne.value.reason : ''}`,
    });
  } else {
    const t = timeout.n as number;
    const floor = Math.min(min.n as number, limit.n as number);
    let boundMs: number | undefined;
    let note: string;
    if (t === 0) {
      note = `${timeout.setting.key} 0 disables the reaper (3.0.2+)`;
    } else if (!atLeast(v, [3, 0, 1])) {
      // One connection per 500 ms tick is replaced, so a full pool turns over within connectionLimit ticks.
      boundMs = t * 1000 + 500 * Math.max(1, limit.n as number);
      note = `mariadb ${label} recycles connections idle longer than ${timeout.setting.key} (seconds), one per 500 ms reaper run`;
    } else if (floor > 0) {
      note = `mariadb ${label} retires only connections above ${o.keyOf('minimumIdle')} (${floor}); it defaults to ${o.keyOf('connectionLimit')}, so with defaults none is retired`;
    } else {
      boundMs = t * 1000 + 500;
      note = `the reaper runs every 500 ms and ${timeout.setting.key} is in seconds`;
    }
    idle.push({
      kind: 'idle-timeout',
      setting: timeout.setting,
      boundMs,
      refreshesServer: false,
      note,
      slackMs: atLeast(v, [3, 0, 1]) ? 500 : 500 * Math.max(1, limit.n as number),
      ...(t !== 0 && atLeast(v, [3, 0, 1]) && floor > 0 ? { sparedBy: min.setting } : {}),
    });
  }
  const k = mariadbKeepalive(o, v, label);
  putAll(settings, k.settings);
  if (k.mechanism) idle.push(k.mechanism);

  const d = delay.setting.value;
  const validates: Pool['validatesOnCheckout'] =
    d.kind === 'unknown'
      ? {
          value: true,
          fact: `${MARIADB_PING}; ${delay.setting.key} is not known here (${d.reason}), so validation is not assumed off`,
          setting: delay.setting,
        }
      : d.kind === 'duration' && d.ms <= 1000
        ? { value: true, fact: MARIADB_PING, setting: delay.setting, sufficient: MARIADB_PING_SUFFICES }
        : {
            value: true,
            fact: `${MARIADB_PING}; ${delay.setting.key} is ${humanValue(d)}, so only connections idle longer than that are pinged`,
            setting: delay.setting,
          };
  return { settings, idle, ...(k.keepalive ? { keepalive: k.keepalive } : {}), validates };
}

export function readDriver(driver: NodeMysqlDriver, o: DriverOptions, c: Candidate): DriverReading {
  return driver === 'mysql2' ? readMysql2(o, c) : driver === 'mysql' ? readMysqljs(o, c) : readMariadb(o, c);
}

// ---------------------------------------------------------------------------------------------------
// Merging readings of several versions (or packages)

function sameValue(a: Value, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Above this many versions (or combinations of versions) read, a message counts them instead of naming each. */
const MAX_NAMED = 10;

/**
 * What each version read gives, grouped: `3.1.0–3.3.1, 3.3.2–3.3.4: 1 min; 3.11.1 and later: none`. Many
 * combinations (TypeORM × package × driver versions) are counted rather than named, so a message stays readable:
 * `in 26 of 38 version combinations: none; in 12: 1 min`.
 */
function groupByText(entries: Array<[string, string]>): string {
  const groups = new Map<string, string[]>();
  for (const [label, text] of entries) groups.set(text, [...(groups.get(text) ?? []), label]);
  if (entries.length <= MAX_NAMED) return [...groups].map(([text, labels]) => `${labels.join(', ')}: ${text}`).join('; ');
  return [...groups]
    .map(([text, labels], i) => `in ${labels.length}${i === 0 ? ` of ${entries.length} version combinations` : ''}: ${text}`)
    .join('; ');
}

/**
 * A version's note without its own label (`mariadb 3.4.0 retires only …` → `mariadb retires only …`): grouped under
 * its labels, versions that say the same are said once.
 */
function withoutLabel(note: string, label: string): string {
  return note.split(` ${label} `).join(' ');
}

/** `mysql2 version unknown`, `TypeORM version / driver version unknown` (the dimensions already say "version"). */
function unknownOf(what: string): string {
  return `${what}${/version$/.test(what) ? '' : ' version'} unknown`;
}

/** One reading from several: agreement is kept, disagreement is unknown with each version's outcome. */
export function mergeReadings(what: string, readings: Array<{ label: string; reading: DriverReading }>): DriverReading {
  const last = readings[readings.length - 1];
  if (!last) throw new Error('no reading');
  if (readings.length === 1) return last.reading;
  const settings = new Map<string, Setting>();
  const keys = new Set(readings.flatMap((r) => [...r.reading.settings.keys()]));
  for (const key of keys) {
    const present = readings.map((r) => [r.label, r.reading.settings.get(key)] as const);
    const newest = [...present].reverse().find(([, s]) => s)?.[1] as Setting;
    // A written value stays what it is where a version does not read the key; the mechanisms say what it does there.
    const agree = present.every(([, s]) => (s ? sameValue(s.value, newest.value) : newest.origin.kind === 'file'));
    if (agree) {
      settings.set(key, newest);
      continue;
    }
    const outcomes = groupByText(present.map(([label, s]) => [label, s ? humanValue(s.value) : 'not read']));
    settings.set(key, {
      ...newest,
      value: { kind: 'unknown', reason: `${unknownOf(what)}: ${newest.key} depends on it (${outcomes})` },
      ...(newest.origin.kind === 'library-default' ? { origin: { ...newest.origin, version: undefined, fact: newest.origin.fact } } : {}),
    });
  }
  const idle: IdleMechanism[] = [];
  const kinds = new Set(readings.flatMap((r) => r.reading.idle.map((m) => m.kind)));
  for (const kind of kinds) {
    const present = readings.map((r) => [r.label, r.reading.idle.find((m) => m.kind === kind)] as const);
    const newest = [...present].reverse().find(([, m]) => m)?.[1] as IdleMechanism;
    const agree = present.every(([, m]) => m && m.boundMs === newest.boundMs);
    if (agree && present.every(([, m]) => m?.note === newest.note)) {
      idle.push(newest);
      continue;
    }
    const outcomes = groupByText(
      present.map(([label, m]) => [
        label,
        !m ? 'none' : m.boundMs !== undefined ? formatDuration(m.boundMs) : m.note ? withoutLabel(m.note, label) : 'never',
      ]),
    );
    // What spares connections, and how late the mechanism acts, is kept only where every version says the same.
    const { sparedBy, slackMs, ...rest } = newest;
    const sig = (m: IdleMechanism | undefined, k: 'sparedBy' | 'slackMs') =>
      k === 'slackMs' ? String(m?.slackMs) : m?.sparedBy ? `${m.sparedBy.canonicalKey}=${JSON.stringify(m.sparedBy.value)}` : '';
    const same = (k: 'sparedBy' | 'slackMs') => present.every(([, m]) => sig(m, k) === sig(newest, k));
    idle.push({
      ...rest,
      boundMs: agree ? newest.boundMs : undefined,
      note: `${unknownOf(what)}: ${outcomes}`,
      ...(sparedBy && same('sparedBy') ? { sparedBy } : {}),
      ...(slackMs !== undefined && same('slackMs') ? { slackMs } : {}),
    });
  }
  const ks = readings.map((r) => r.reading.keepalive);
  const k0 = ks[ks.length - 1];
  const keepalive = k0 && ks.every((k) => k && k.value === k0.value && k.driver === k0.driver) ? k0 : undefined;
  const vs = readings.map((r) => r.reading.validates);
  const v0 = last.reading.validates;
  let validates: Pool['validatesOnCheckout'];
  if (vs.every((x) => x.value === v0.value && x.sufficient === v0.sufficient)) validates = v0;
  else if (vs.every((x) => x.value === v0.value)) {
    const { sufficient: _s, ...rest } = v0;
    validates = { ...rest, fact: `${unknownOf(what)}: ${groupByText(readings.map((r) => [r.label, r.reading.validates.fact]))}` };
  } else {
    // No finding rests on an unknown: validation that depends on the version counts as on, and the fact says so.
    const withSetting = vs.find((x) => x.setting)?.setting;
    validates = {
      value: true,
      fact: `${unknownOf(what)}, so validation on checkout is not assumed off: ${groupByText(
        readings.map((r) => [r.label, r.reading.validates.value ? 'validates' : 'does not validate']),
      )}`,
      ...(withSetting ? { setting: withSetting } : {}),
    };
  }
  return { settings, idle, ...(keepalive ? { keepalive } : {}), validates };
}

// ---------------------------------------------------------------------------------------------------
// Pool size

/**
 * The most connections a driver pool opens at once, from its (merged) settings: mysql2 and mysql `connectionLimit`
 * (default 10, 0 = unlimited; mysql2.md, typeorm.md), mariadb `connectionLimit` (default 10), pg-pool `max` (default 10,
 * `max || poolSize || 10`, already applied when read; postgresql.md).
 */
export function driverMaxSize(driver: NodeDriver, settings: ReadonlyMap<string, Setting>): PoolSize | undefined {
  const s = settings.get(driver === 'pg' ? 'max' : 'connectionLimit');
  if (!s) return undefined;
  if (driver === 'pg') return poolSizeOf(s);
  if (driver === 'mariadb')
    return poolSizeOf(s, {
      unverified: (n) => (n <= 0 ? 'what mariadb does with it is not in the knowledge base (mysql2.md)' : undefined),
    });
  return poolSizeOf(s, { unbounded: (n) => (n === 0 ? 'no limit (mysql2.md: connectionLimit 0 = unlimited)' : undefined) });
}
