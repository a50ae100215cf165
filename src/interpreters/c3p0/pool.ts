import { type Entry, valueSpanOf } from '../../model/entry.js';
import type { IdleMechanism, Pool } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { addAssignment, lastAssignments, type Setting, sortedByKey, type Value } from '../../model/setting.js';
import { fileSpan } from '../../model/span.js';
import { secondsKeysWrittenAsMs } from '../duration-unit.js';
import { engineFromJdbc, hostOfJdbcUrl, jdbcDriverKeepalive } from '../jdbc/engine.js';
import { jdbcPacketLimit } from '../jdbc/packet-limit.js';
import { jdbcPoolSize } from '../jdbc/pool-size.js';

/**
 * c3p0 (`com.mchange.v2.c3p0`) configured by `c3p0.properties` from the classpath root, keys prefixed
 * `c3p0.` (java-pools.md, Syntax). Defaults are identical in 0.9.2.1, 0.9.5.5 and 0.10.0
 * (java-pools.md, c3p0 table; C3P0Defaults.java), so no version is needed.
 */
const PREFIX = 'c3p0.';

interface C3p0Key {
  unit: 's' | 'bool' | 'string' | 'count';
  default?: Value;
  fact: string;
}

const FACT = 'java-pools.md, c3p0 table (C3P0Defaults.java @ v.0.10.0)';
const KEYS: Record<string, C3p0Key> = {
  maxIdleTime: { unit: 's', default: { kind: 'duration', ms: 0 }, fact: FACT },
  maxIdleTimeExcessConnections: { unit: 's', default: { kind: 'duration', ms: 0 }, fact: FACT },
  maxConnectionAge: { unit: 's', default: { kind: 'duration', ms: 0 }, fact: FACT },
  idleConnectionTestPeriod: { unit: 's', default: { kind: 'duration', ms: 0 }, fact: FACT },
  testConnectionOnCheckout: { unit: 'bool', default: { kind: 'bool', value: false }, fact: FACT },
  testConnectionOnCheckin: { unit: 'bool', default: { kind: 'bool', value: false }, fact: FACT },
  preferredTestQuery: { unit: 'string', fact: FACT },
  // The cap on connections; minPoolSize above it is lowered to it, not the other way round (java-pools.md, c3p0 table).
  maxPoolSize: { unit: 'count', default: { kind: 'count', value: 15 }, fact: FACT },
  jdbcUrl: { unit: 'string', fact: FACT },
  driverClass: { unit: 'string', fact: FACT },
};

/** Do these entries configure c3p0? (any `c3p0.<known key>`) */
export function detectC3p0(entries: readonly Entry[]): boolean {
  return entries.some((e) => e.key.startsWith(PREFIX) && e.key.slice(PREFIX.length) in KEYS);
}

/**
 * c3p0 reads `c3p0.properties` from the classpath root (java-pools.md, Syntax): that name is certain.
 * Any other file with `c3p0.` keys may be read by the application and handed to c3p0, or not at all.
 */
export function c3p0Ownership(path: string): { owner: 'certain' | 'uncertain'; reason: string } {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === 'c3p0.properties'
    ? { owner: 'certain', reason: 'c3p0 reads c3p0.properties from the classpath root' }
    : {
        owner: 'uncertain',
        reason: `possibly c3p0 settings: c3p0.* keys in a file c3p0 does not read by itself (it reads c3p0.properties)`,
      };
}

function readValue(key: C3p0Key, text: string): Value {
  const t = text.trim();
  if (key.unit === 's') {
    // All c3p0 time keys are whole seconds, converted x1000 internally (java-pools.md, Behaviour).
    return /^-?\d+$/.test(t)
      ? { kind: 'duration', ms: Number(t) * 1000 }
      : { kind: 'unknown', reason: `'${text}' is not a whole number of seconds` };
  }
  if (key.unit === 'bool') return { kind: 'bool', value: t.toLowerCase() === 'true' };
  if (key.unit === 'count')
    return /^-?\d+$/.test(t) ? { kind: 'count', value: Number(t) } : { kind: 'unknown', reason: `'${text}' is not a whole number` };
  return { kind: 'string', value: text };
}

export function buildC3p0Pool(input: { path: string; entries: readonly Entry[] }): { pool: Pool; problems: Problem[] } {
  const settings = new Map<string, Setting>();
  for (const [name, key] of Object.entries(KEYS)) {
    if (!key.default) continue;
    settings.set(name, {
      key: `${PREFIX}${name}`,
      canonicalKey: name,
      raw: null,
      text: null,
      value: key.default,
      origin: { kind: 'library-default', library: 'c3p0', fact: key.fact },
      overrides: [],
      ...(key.unit === 'count' ? {} : { unit: 's' as const }),
    });
  }
  const chains = new Map<string, Setting[]>();
  for (const e of input.entries) {
    if (!e.key.startsWith(PREFIX)) continue;
    const name = e.key.slice(PREFIX.length);
    const key = KEYS[name];
    const setting: Setting = {
      key: e.key,
      canonicalKey: name,
      raw: e.raw,
      text: e.text,
      value: key ? readValue(key, e.text ?? '') : { kind: 'string', value: e.text ?? '' },
      origin: { kind: 'file', span: e.span, via: [] },
      ...valueSpanOf(e),
      overrides: [],
      ...(key?.unit === 'count' ? {} : { unit: 's' as const }),
    };
    addAssignment(chains, name, setting);
  }
  const written = lastAssignments(chains);
  for (const [k, s] of written) settings.set(k, s);

  // Seconds keys written in milliseconds (java-pools.md, "Unit traps worth flagging": `maxIdleTime=1800000` = 20.8 days).
  const secondsKeys = Object.keys(KEYS).filter((k) => KEYS[k]?.unit === 's');
  const problems = secondsKeysWrittenAsMs('c3p0', written, secondsKeys);
  const get = (k: string) => settings.get(k);
  const secs = (k: string): number | undefined => {
    const v = get(k)?.value;
    return v?.kind === 'duration' && v.ms > 0 ? v.ms : undefined;
  };
  const idle: IdleMechanism[] = [];
  const age = get('maxConnectionAge');
  if (age) idle.push({ kind: 'max-lifetime', setting: age, boundMs: secs('maxConnectionAge'), refreshesServer: false });
  const maxIdle = get('maxIdleTime');
  if (maxIdle) idle.push({ kind: 'idle-timeout', setting: maxIdle, boundMs: secs('maxIdleTime'), refreshesServer: false });
  const test = get('idleConnectionTestPeriod');
  if (test) idle.push({ kind: 'keepalive', setting: test, boundMs: secs('idleConnectionTestPeriod'), refreshesServer: true });
  const checkout = get('testConnectionOnCheckout')?.value;
  const jdbcUrl = written.get('jdbcUrl')?.text ?? undefined;
  const driverClassName = written.get('driverClass')?.text ?? undefined;
  const engine = engineFromJdbc({ ...(jdbcUrl ? { jdbcUrl } : {}), ...(driverClassName ? { driverClassName } : {}) });
  const first = input.entries.find((e) => e.key.startsWith(PREFIX));
  const maxSize = jdbcPoolSize(get('maxPoolSize'));
  const packetLimit = jdbcPacketLimit(engine?.engine, written.get('jdbcUrl'), undefined);
  const pool: Pool = {
    id: `c3p0:${input.path}`,
    library: 'c3p0',
    libraryName: 'c3p0',
    name: input.path,
    ...(engine ? { engine: engine.engine, engineReason: engine.reason, tcpKeepalive: jdbcDriverKeepalive(engine.engine) } : {}),
    ...(jdbcUrl && hostOfJdbcUrl(jdbcUrl) ? { host: hostOfJdbcUrl(jdbcUrl) as string } : {}),
    origin: first ? first.span : fileSpan(input.path),
    settings: sortedByKey(settings),
    idle,
    validatesOnCheckout: {
      value: checkout?.kind === 'bool' && checkout.value,
      ...(get('testConnectionOnCheckout') ? { setting: get('testConnectionOnCheckout') as Setting } : {}),
      fact: 'java-pools.md, c3p0: testConnectionOnCheckout defaults to false; with defaults nothing is tested',
    },
    ...(maxSize ? { maxSize } : {}),
    ...(packetLimit ? { packetLimit } : {}),
  };
  return { pool, problems };
}
