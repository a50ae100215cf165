/**
 * The Tomcat JDBC pool (`org.apache.tomcat.jdbc.pool`), minimal: the settings that decide how long an
 * idle connection can sit and whether it is checked before it is lent, with the defaults, the start-up
 * rewrites of `checkPoolConfiguration` and the idle behaviour of the pool cleaner (java-pools.md, Tomcat
 * JDBC table and Behaviour). Entries carry the PoolProperties name after the caller's prefix
 * (`spring.datasource.tomcat.testOnBorrow`) and a text the setter reads (a caller such as Spring Boot
 * converts values first); a caller may replace a default with its own (Boot's testOnBorrow).
 */
import { formatDuration } from '../../model/duration.js';
import { type Entry, valueSpanOf } from '../../model/entry.js';
import type { IdleMechanism, Pool } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { addAssignment, lastAssignments, type Origin, type Setting, sameSpelling, sortedByKey, type Value } from '../../model/setting.js';
import { fileSpan } from '../../model/span.js';
import { msKeysWrittenAsSeconds } from '../duration-unit.js';
import { engineFromJdbc, hostOfJdbcUrl, jdbcDriverKeepalive } from '../jdbc/engine.js';
import { jdbcPacketLimit } from '../jdbc/packet-limit.js';
import { jdbcPoolSize } from '../jdbc/pool-size.js';

type KeyType = 'count' | 'ms' | 's' | 'bool' | 'string';

interface TomcatKey {
  type: KeyType;
  /** The default, when it is a fixed value (maxIdle and minIdle follow other keys). */
  default?: Value;
}

const FACT = 'java-pools.md, Tomcat JDBC table (PoolProperties.java)';

/** PoolProperties names connlint reads (java-pools.md, Tomcat JDBC table). Other setters exist and are kept as strings. */
export const TOMCAT_KEYS: Record<string, TomcatKey> = {
  initialSize: { type: 'count', default: { kind: 'count', value: 10 } },
  maxActive: { type: 'count', default: { kind: 'count', value: 100 } },
  maxIdle: { type: 'count' },
  minIdle: { type: 'count' },
  maxWait: { type: 'ms', default: { kind: 'duration', ms: 30000 } },
  testOnBorrow: { type: 'bool', default: { kind: 'bool', value: false } },
  testOnReturn: { type: 'bool', default: { kind: 'bool', value: false } },
  testWhileIdle: { type: 'bool', default: { kind: 'bool', value: false } },
  testOnConnect: { type: 'bool', default: { kind: 'bool', value: false } },
  validationQuery: { type: 'string' },
  validationQueryTimeout: { type: 's' },
  // 3000 from Tomcat 8.5.5 / 9.0.0.M10 (30000 before): every Tomcat Spring Boot 1.4+ manages is newer.
  validationInterval: { type: 'ms', default: { kind: 'duration', ms: 3000 } },
  timeBetweenEvictionRunsMillis: { type: 'ms', default: { kind: 'duration', ms: 5000 } },
  minEvictableIdleTimeMillis: { type: 'ms', default: { kind: 'duration', ms: 60000 } },
  maxAge: { type: 'ms', default: { kind: 'duration', ms: 0 } },
  removeAbandoned: { type: 'bool', default: { kind: 'bool', value: false } },
  removeAbandonedTimeout: { type: 's' },
  url: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  driverClassName: { type: 'string' },
  name: { type: 'string' },
};

/** A default another component applies before binding (Spring Boot's testOnBorrow), replacing the pool's own. */
export interface AppliedDefault {
  key: string;
  text: string;
  library: string;
  fact: string;
}

export interface TomcatBuildInput {
  path: string;
  entries: readonly Entry[];
  /** What the entries' keys start with (`spring.datasource.tomcat.`); settings nobody wrote are named with it. */
  prefix: string;
  environment?: string;
  defaults?: readonly AppliedDefault[];
  /** How settings nobody wrote are named after the prefix: `kebab` (`test-on-borrow`, Spring Boot) or the setter name. */
  keyStyle?: 'kebab' | 'camel';
}

function readValue(type: KeyType, text: string): Value {
  const t = text.trim();
  switch (type) {
    case 'bool':
      // DataSourceFactory and the setters take Boolean.parseBoolean: only "true" is true (java-pools.md, Syntax).
      return { kind: 'bool', value: t.toLowerCase() === 'true' };
    case 'count':
      return /^[+-]?\d+$/.test(t) ? { kind: 'count', value: Number(t) } : { kind: 'unknown', reason: `'${text}' is not a whole number` };
    case 'ms':
      return /^[+-]?\d+$/.test(t)
        ? { kind: 'duration', ms: Number(t) }
        : { kind: 'unknown', reason: `'${text}' is not a number of milliseconds` };
    case 's':
      return /^[+-]?\d+$/.test(t)
        ? { kind: 'duration', ms: Number(t) * 1000 }
        : { kind: 'unknown', reason: `'${text}' is not a number of seconds` };
    case 'string':
      return { kind: 'string', value: text };
  }
}

function dashedKey(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

const ms = (s: Setting | undefined): number | undefined => (s?.value.kind === 'duration' ? s.value.ms : undefined);
const count = (s: Setting | undefined): number | undefined => (s?.value.kind === 'count' ? s.value.value : undefined);
const bool = (s: Setting | undefined): boolean | undefined => (s?.value.kind === 'bool' ? s.value.value : undefined);

export function buildTomcatPool(input: TomcatBuildInput): { pool: Pool; problems: Problem[] } {
  const { path, prefix } = input;
  const problems: Problem[] = [];
  const settings = new Map<string, Setting>();
  const defaultSetting = (name: string, value: Value, origin: Origin): Setting => ({
    key: `${prefix}${input.keyStyle === 'kebab' ? dashedKey(name) : name}`,
    canonicalKey: name,
    raw: null,
    text: null,
    value,
    origin,
    overrides: [],
    ...(TOMCAT_KEYS[name]?.type === 'ms' || TOMCAT_KEYS[name]?.type === 's' ? { unit: TOMCAT_KEYS[name]?.type as 'ms' | 's' } : {}),
  });
  for (const [name, key] of Object.entries(TOMCAT_KEYS)) {
    if (key.default) settings.set(name, defaultSetting(name, key.default, { kind: 'library-default', library: 'Tomcat JDBC', fact: FACT }));
  }
  for (const d of input.defaults ?? []) {
    const key = TOMCAT_KEYS[d.key];
    if (key)
      settings.set(
        d.key,
        defaultSetting(d.key, readValue(key.type, d.text), { kind: 'library-default', library: d.library, fact: d.fact }),
      );
  }

  const chains = new Map<string, Setting[]>();
  for (const e of input.entries) {
    if (!e.key.startsWith(prefix)) continue;
    const name = e.key.slice(prefix.length);
    const key = TOMCAT_KEYS[name];
    const text = e.text ?? '';
    const setting: Setting = {
      key: e.rawKey ?? e.key,
      canonicalKey: name,
      raw: e.raw,
      text,
      value: key ? readValue(key.type, text) : { kind: 'string', value: text },
      origin: { kind: 'file', span: e.span, via: [] },
      ...valueSpanOf(e, text),
      overrides: [],
      ...(key?.type === 'ms' || key?.type === 's' ? { unit: key.type } : {}),
    };
    addAssignment(chains, name, setting);
  }
  // The same key again is a repetition; another spelling of it overrides without being listed.
  const written = lastAssignments(chains, sameSpelling);
  for (const [name, s] of written) settings.set(name, s);

  // Sizes that follow other keys, and checkPoolConfiguration's rewrites (java-pools.md, Tomcat table).
  const maxActive = settings.get('maxActive') as Setting;
  if ((count(maxActive) ?? 1) < 1) clamp(maxActive, { kind: 'count', value: 100 }, 'maxActive is less than 1, so the pool uses 100');
  const active = count(maxActive);
  const initial = settings.get('initialSize') as Setting;
  if (active !== undefined && (count(initial) ?? 0) > active)
    clamp(initial, { kind: 'count', value: active }, `initialSize is larger than maxActive, so the pool uses ${active}`);
  if (!settings.has('minIdle')) {
    settings.set(
      'minIdle',
      defaultSetting('minIdle', initial.value, {
        kind: 'library-default',
        library: 'Tomcat JDBC',
        fact: `${FACT}: minIdle defaults to initialSize`,
      }),
    );
  }
  if (!settings.has('maxIdle')) {
    settings.set(
      'maxIdle',
      defaultSetting('maxIdle', maxActive.value, {
        kind: 'library-default',
        library: 'Tomcat JDBC',
        fact: `${FACT}: maxIdle defaults to maxActive`,
      }),
    );
  }
  const minIdle = settings.get('minIdle') as Setting;
  if (active !== undefined && (count(minIdle) ?? 0) > active)
    clamp(minIdle, { kind: 'count', value: active }, `minIdle is larger than maxActive, so the pool uses ${active}`);

  const period = settings.get('timeBetweenEvictionRunsMillis') as Setting;
  const maxAge = settings.get('maxAge') as Setting;
  const testWhileIdle = bool(settings.get('testWhileIdle')) === true;
  const minEvictable = settings.get('minEvictableIdleTimeMillis') as Setting;
  const removeAbandoned = bool(settings.get('removeAbandoned')) === true;
  const age = ms(maxAge);
  // The cleaner runs only with a positive period and something for it to do (java-pools.md, timeBetweenEvictionRunsMillis).
  const sweeper = (ms(period) ?? 0) > 0 && (removeAbandoned || testWhileIdle || (ms(minEvictable) ?? 0) > 0 || (age ?? 0) > 0);
  if (sweeper && age !== undefined && age > 0 && (ms(period) ?? 0) > age) {
    clamp(
      period,
      { kind: 'duration', ms: age },
      `timeBetweenEvictionRunsMillis is longer than maxAge, so the cleaner runs every ${formatDuration(age)}`,
    );
  }
  // Millisecond keys written in seconds (java-pools.md, "Unit traps worth flagging": `maxAge=3600`).
  const msKeys = Object.keys(TOMCAT_KEYS).filter((k) => TOMCAT_KEYS[k]?.type === 'ms');
  const slips = msKeysWrittenAsSeconds('Tomcat JDBC', written, msKeys);
  problems.push(...slips);
  const slipped = new Set(slips.map((p) => `${p.span.path}:${p.span.line}:${p.span.column}`));
  for (const s of [maxActive, initial, minIdle, period]) {
    const at = s.origin.kind === 'file' ? s.origin.span : undefined;
    if (s.clamp && at && !slipped.has(`${at.path}:${at.line}:${at.column}`)) {
      problems.push({
        ruleId: 'setting-ignored-by-library',
        severity: 'warning',
        span: at,
        message: `Tomcat JDBC does not use ${s.key}=${s.text ?? ''}: ${s.clamp.reason}`,
      });
    }
  }

  const sorted = sortedByKey(settings);
  const idle = idleMechanisms(sorted, sweeper);
  const borrow = settings.get('testOnBorrow') as Setting;
  const interval = ms(settings.get('validationInterval'));
  const url = written.get('url')?.text ?? undefined;
  const driverClassName = written.get('driverClassName')?.text ?? undefined;
  const engine = engineFromJdbc({ ...(url ? { jdbcUrl: url } : {}), ...(driverClassName ? { driverClassName } : {}) });
  const host = url ? hostOfJdbcUrl(url) : undefined;
  const first = input.entries.find((e) => e.key.startsWith(prefix));
  const maxSize = jdbcPoolSize(settings.get('maxActive'));
  const packetLimit = jdbcPacketLimit(
    engine?.engine,
    written.get('url'),
    undefined,
    written.get('connectionProperties') ?? written.get('connection-properties'),
  );
  const name = written.get('name')?.text;
  const pool: Pool = {
    id: `tomcat-jdbc:${path}${input.environment ? `#${input.environment}` : ''}`,
    library: 'tomcat-jdbc',
    libraryName: 'Tomcat JDBC',
    name: name || path,
    ...(engine ? { engine: engine.engine, engineReason: engine.reason, tcpKeepalive: jdbcDriverKeepalive(engine.engine) } : {}),
    ...(host ? { host } : {}),
    ...(input.environment ? { environment: input.environment } : {}),
    origin: first?.span ?? fileSpan(path),
    settings: sorted,
    idle,
    validatesOnCheckout: {
      value: bool(borrow) === true,
      setting: borrow,
      fact:
        'java-pools.md, Tomcat JDBC: testOnBorrow validates before lending' +
        (interval !== undefined && interval > 0
          ? `, except a connection validated less than validationInterval (${formatDuration(interval)}) ago`
          : ''),
    },
    ...(maxSize ? { maxSize } : {}),
    ...(packetLimit ? { packetLimit } : {}),
  };
  return { pool, problems };
}

function clamp(s: Setting, to: Value, reason: string): void {
  s.clamp = { written: s.value, reason, fact: 'java-pools.md, Tomcat JDBC table (ConnectionPool.checkPoolConfiguration)' };
  s.value = to;
}

function idleMechanisms(settings: Map<string, Setting>, sweeper: boolean): IdleMechanism[] {
  const idle: IdleMechanism[] = [];
  const period = ms(settings.get('timeBetweenEvictionRunsMillis')) ?? 0;
  const notRunning = 'the pool cleaner does not run (timeBetweenEvictionRunsMillis is not positive, or it has nothing to do)';

  const evictable = settings.get('minEvictableIdleTimeMillis') as Setting;
  const minIdle = count(settings.get('minIdle'));
  const evict = ms(evictable);
  let idleBound: number | undefined;
  let idleNote: string;
  if (!sweeper) idleNote = notRunning;
  else if (minIdle === undefined) idleNote = 'minIdle is unknown, so it is not known whether any idle connection is closed';
  // The cleaner never shrinks the pool below minIdle (java-pools.md, Behaviour: checkIdle).
  else if (minIdle > 0) idleNote = `minIdle (${minIdle}) connections are never closed for idleness`;
  else if (evict === undefined || evict <= 0) idleNote = 'minEvictableIdleTimeMillis is not positive, so idle connections are never closed';
  else {
    idleBound = evict + period;
    idleNote =
      'closed by the pool cleaner, which runs every timeBetweenEvictionRunsMillis, so up to minEvictableIdleTimeMillis + that period';
  }

  const maxAge = settings.get('maxAge') as Setting;
  const age = ms(maxAge);
  // maxAge is checked when a connection is borrowed (it reconnects instead of lending), so no lent
  // connection has been idle longer (java-pools.md, maxAge; Tomcat 8.5 before 8.5.40 may lack the check).
  const ageNote =
    maxAge.value.kind === 'unknown' ? maxAge.value.reason : age === 0 ? 'maxAge 0 means connections are never retired for age' : undefined;
  idle.push({
    kind: 'max-lifetime',
    setting: maxAge,
    boundMs: age !== undefined && age > 0 ? age : undefined,
    refreshesServer: false,
    // Idle eviction that cannot bound every connection is not offered as a fix; its reason is told here.
    ...(ageNote || idleBound === undefined
      ? { note: [ageNote, idleBound === undefined ? `idle eviction: ${idleNote}` : undefined].filter(Boolean).join('; ') }
      : {}),
  });
  if (idleBound !== undefined)
    idle.push({ kind: 'idle-timeout', setting: evictable, boundMs: idleBound, refreshesServer: false, note: idleNote });

  const whileIdle = settings.get('testWhileIdle') as Setting;
  const interval = ms(settings.get('validationInterval')) ?? 0;
  if (bool(whileIdle) === true) {
    // Every idle connection is validated each cleaner run, unless it was validated less than
    // validationInterval ago (java-pools.md, Behaviour), so it stays silent at most that long plus a period.
    const bound = sweeper && period > 0 ? (period >= interval ? period : interval + period) : undefined;
    idle.push({
      kind: 'keepalive',
      setting: whileIdle,
      boundMs: bound,
      refreshesServer: true,
      note: bound === undefined ? notRunning : 'each pool cleaner run validates every idle connection (a query to the server)',
    });
  }
  return idle;
}
