/**
 * Apache Commons DBCP2 `BasicDataSource`, minimal: validation on borrow (on by default since 2.0), the
 * connection lifetime checked at borrow, and the evictor that closes or validates idle connections
 * (java-pools.md, DBCP2 table and Behaviour). Entries carry the property name after the caller's prefix
 * and a text the setter reads, durations already in milliseconds (a caller such as Spring Boot converts
 * values first). DBCP2 2.10 added Duration setters (`maxConn`, `durationBetweenEvictionRuns`,
 * `minEvictableIdle`, `softMinEvictableIdle`, `maxWait`) for the same properties as the millis ones.
 */
import { type Entry, valueSpanOf } from '../../model/entry.js';
import type { IdleMechanism, Pool } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { addAssignment, lastAssignments, type Setting, sameSpelling, sortedByKey, type Value } from '../../model/setting.js';
import { fileSpan } from '../../model/span.js';
import { msKeysWrittenAsSeconds } from '../duration-unit.js';
import { engineFromJdbc, hostOfJdbcUrl, jdbcDriverKeepalive } from '../jdbc/engine.js';
import { jdbcPacketLimit } from '../jdbc/packet-limit.js';
import { DBCP2_SIZE_RULES, jdbcPoolSize } from '../jdbc/pool-size.js';

type KeyType = 'count' | 'ms' | 's' | 'bool' | 'string';

const FACT = 'java-pools.md, DBCP2 table (BasicDataSource.java, commons-pool2 defaults)';

export const DBCP2_KEYS: Record<string, { type: KeyType; default?: Value }> = {
  testOnBorrow: { type: 'bool', default: { kind: 'bool', value: true } },
  testOnReturn: { type: 'bool', default: { kind: 'bool', value: false } },
  testOnCreate: { type: 'bool', default: { kind: 'bool', value: false } },
  testWhileIdle: { type: 'bool', default: { kind: 'bool', value: false } },
  validationQuery: { type: 'string' },
  validationQueryTimeout: { type: 's' },
  maxConnLifetimeMillis: { type: 'ms', default: { kind: 'duration', ms: -1 } },
  timeBetweenEvictionRunsMillis: { type: 'ms', default: { kind: 'duration', ms: -1 } },
  numTestsPerEvictionRun: { type: 'count', default: { kind: 'count', value: 3 } },
  minEvictableIdleTimeMillis: { type: 'ms', default: { kind: 'duration', ms: 1800000 } },
  softMinEvictableIdleTimeMillis: { type: 'ms', default: { kind: 'duration', ms: -1 } },
  maxTotal: { type: 'count', default: { kind: 'count', value: 8 } },
  maxIdle: { type: 'count', default: { kind: 'count', value: 8 } },
  minIdle: { type: 'count', default: { kind: 'count', value: 0 } },
  initialSize: { type: 'count', default: { kind: 'count', value: 0 } },
  maxWaitMillis: { type: 'ms', default: { kind: 'duration', ms: -1 } },
  url: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  driverClassName: { type: 'string' },
};

/** The DBCP2 2.10+ Duration setters and the millis property each one sets (java-pools.md, DBCP2 2.10.0). */
export const DBCP2_DURATION_ALIASES: Record<string, string> = {
  maxConn: 'maxConnLifetimeMillis',
  durationBetweenEvictionRuns: 'timeBetweenEvictionRunsMillis',
  minEvictableIdle: 'minEvictableIdleTimeMillis',
  softMinEvictableIdle: 'softMinEvictableIdleTimeMillis',
  maxWait: 'maxWaitMillis',
};

export interface Dbcp2BuildInput {
  path: string;
  entries: readonly Entry[];
  prefix: string;
  environment?: string;
  keyStyle?: 'kebab' | 'camel';
}

function readValue(type: KeyType, text: string): Value {
  const t = text.trim();
  const whole = /^[+-]?\d+$/.test(t);
  switch (type) {
    case 'bool':
      return { kind: 'bool', value: t.toLowerCase() === 'true' };
    case 'count':
      return whole ? { kind: 'count', value: Number(t) } : { kind: 'unknown', reason: `'${text}' is not a whole number` };
    case 'ms':
      return whole ? { kind: 'duration', ms: Number(t) } : { kind: 'unknown', reason: `'${text}' is not a number of milliseconds` };
    case 's':
      return whole ? { kind: 'duration', ms: Number(t) * 1000 } : { kind: 'unknown', reason: `'${text}' is not a number of seconds` };
    case 'string':
      return { kind: 'string', value: text };
  }
}

const ms = (s: Setting | undefined): number | undefined => (s?.value.kind === 'duration' ? s.value.ms : undefined);
const count = (s: Setting | undefined): number | undefined => (s?.value.kind === 'count' ? s.value.value : undefined);
const bool = (s: Setting | undefined): boolean | undefined => (s?.value.kind === 'bool' ? s.value.value : undefined);

export function buildDbcp2Pool(input: Dbcp2BuildInput): { pool: Pool; problems: Problem[] } {
  const { path, prefix } = input;
  const settings = new Map<string, Setting>();
  const named = (name: string) => `${prefix}${input.keyStyle === 'kebab' ? name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) : name}`;
  for (const [name, key] of Object.entries(DBCP2_KEYS)) {
    if (!key.default) continue;
    settings.set(name, {
      key: named(name),
      canonicalKey: name,
      raw: null,
      text: null,
      value: key.default,
      origin: { kind: 'library-default', library: 'Commons DBCP2', fact: FACT },
      overrides: [],
      ...(key.type === 'ms' || key.type === 's' ? { unit: key.type } : {}),
    });
  }
  const chains = new Map<string, Setting[]>();
  for (const e of input.entries) {
    if (!e.key.startsWith(prefix)) continue;
    const asWritten = e.key.slice(prefix.length);
    const name = DBCP2_DURATION_ALIASES[asWritten] ?? asWritten;
    const key = DBCP2_KEYS[name];
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
  // The same key again is a repetition; an alias (`maxWaitMillis` then `maxWait`) is not listed.
  const written = lastAssignments(chains, sameSpelling);
  for (const [name, s] of written) settings.set(name, s);

  const sorted = sortedByKey(settings);
  const url = written.get('url')?.text ?? undefined;
  const driverClassName = written.get('driverClassName')?.text ?? undefined;
  const engine = engineFromJdbc({ ...(url ? { jdbcUrl: url } : {}), ...(driverClassName ? { driverClassName } : {}) });
  const host = url ? hostOfJdbcUrl(url) : undefined;
  const borrow = settings.get('testOnBorrow') as Setting;
  const first = input.entries.find((e) => e.key.startsWith(prefix));
  const maxSize = jdbcPoolSize(settings.get('maxTotal'), DBCP2_SIZE_RULES);
  const packetLimit = jdbcPacketLimit(
    engine?.engine,
    written.get('url'),
    undefined,
    written.get('connectionProperties') ?? written.get('connection-properties'),
  );
  const pool: Pool = {
    id: `dbcp2:${path}${input.environment ? `#${input.environment}` : ''}`,
    library: 'dbcp2',
    libraryName: 'Commons DBCP2',
    name: path,
    ...(engine ? { engine: engine.engine, engineReason: engine.reason, tcpKeepalive: jdbcDriverKeepalive(engine.engine) } : {}),
    ...(host ? { host } : {}),
    ...(input.environment ? { environment: input.environment } : {}),
    origin: first?.span ?? fileSpan(path),
    settings: sorted,
    idle: idleMechanisms(sorted),
    validatesOnCheckout: {
      value: bool(borrow) === true,
      setting: borrow,
      fact: 'java-pools.md, DBCP2: testOnBorrow defaults to true (2.0+) and validates every borrow',
    },
    ...(maxSize ? { maxSize } : {}),
    ...(packetLimit ? { packetLimit } : {}),
  };
  // Millisecond keys written in seconds (java-pools.md, "Unit traps worth flagging").
  const msKeys = Object.keys(DBCP2_KEYS).filter((k) => DBCP2_KEYS[k]?.type === 'ms');
  return { pool, problems: msKeysWrittenAsSeconds('Commons DBCP2', written, msKeys) };
}

function idleMechanisms(settings: Map<string, Setting>): IdleMechanism[] {
  const idle: IdleMechanism[] = [];
  const period = ms(settings.get('timeBetweenEvictionRunsMillis')) ?? -1;
  const tests = count(settings.get('numTestsPerEvictionRun')) ?? 3;
  const maxIdle = count(settings.get('maxIdle'));
  const maxTotal = count(settings.get('maxTotal'));
  const idleCap = maxIdle !== undefined && maxIdle >= 0 ? maxIdle : maxTotal !== undefined && maxTotal >= 0 ? maxTotal : undefined;
  // The evictor examines numTestsPerEvictionRun idle connections per run (a negative n: 1/|n| of them), so
  // each one is revisited every period x runs (java-pools.md, numTestsPerEvictionRun).
  const runs = tests > 0 ? (idleCap === undefined ? undefined : Math.max(1, Math.ceil(idleCap / tests))) : tests < 0 ? -tests : undefined;
  const sweep = period > 0 && runs !== undefined ? period * runs : undefined;
  const noEvictor = 'no evictor runs (timeBetweenEvictionRunsMillis is not positive)';

  const evictable = settings.get('minEvictableIdleTimeMillis') as Setting;
  const evict = ms(evictable);
  const idleBound = sweep !== undefined && evict !== undefined && evict > 0 ? evict + sweep : undefined;
  const idleNote =
    period <= 0
      ? noEvictor
      : idleBound === undefined
        ? 'minEvictableIdleTimeMillis is not positive or the evictor sweep is unknown, so idle connections are not closed in time'
        : 'closed by the evictor, which visits each idle connection every timeBetweenEvictionRunsMillis x ceil(maxIdle / numTestsPerEvictionRun)';

  const lifetime = settings.get('maxConnLifetimeMillis') as Setting;
  const life = ms(lifetime);
  const lifeNote = life !== undefined && life <= 0 ? 'maxConnLifetimeMillis not positive means no lifetime limit' : undefined;
  // Checked when a connection is lent (PoolableConnectionFactory.activateObject), so no lent connection is older.
  idle.push({
    kind: 'max-lifetime',
    setting: lifetime,
    boundMs: life !== undefined && life > 0 ? life : undefined,
    refreshesServer: false,
    // Idle eviction that cannot bound every connection is not offered as a fix; its reason is told here.
    ...(lifeNote || idleBound === undefined
      ? { note: [lifeNote, idleBound === undefined ? `idle eviction: ${idleNote}` : undefined].filter(Boolean).join('; ') }
      : {}),
  });
  if (idleBound !== undefined)
    idle.push({ kind: 'idle-timeout', setting: evictable, boundMs: idleBound, refreshesServer: false, note: idleNote });

  const whileIdle = settings.get('testWhileIdle') as Setting;
  if (bool(whileIdle) === true) {
    idle.push({
      kind: 'keepalive',
      setting: whileIdle,
      boundMs: sweep,
      refreshesServer: true,
      note: sweep === undefined ? noEvictor : 'the evictor validates each idle connection it visits (a query to the server)',
    });
  }
  return idle;
}
