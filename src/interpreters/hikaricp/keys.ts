/**
 * HikariCP's keys and versions: which property names bind to a setter in which release, how a
 * properties file (or Hibernate's `hibernate.hikari.` keys) reaches HikariConfig, and the releases
 * that behave differently (hikaricp.md, Settings, "Syntax and parsing facts", Version changes).
 */
import type { Entry } from '../../model/entry.js';

export type Version = readonly [number, number, number];
type KeyType = 'int' | 'long' | 'bool' | 'string' | 'object';

interface KeyInfo {
  type: KeyType;
  since?: Version;
  removedIn?: Version;
}

/**
 * Every `HikariConfig` setter, with the versions it exists in (hikaricp.md, accepted keys; `dataSource` and
 * `healthCheckRegistry` are setters too, read from HikariConfig.java at 2.4.13 ... 6.0.0).
 */
export const KEY_INFO: Record<string, KeyInfo> = {
  allowPoolSuspension: { type: 'bool' },
  autoCommit: { type: 'bool' },
  catalog: { type: 'string' },
  connectionInitSql: { type: 'string' },
  connectionTestQuery: { type: 'string' },
  connectionTimeout: { type: 'long' },
  credentials: { type: 'object', since: [6, 0, 0] },
  dataSource: { type: 'object' },
  dataSourceClassName: { type: 'string' },
  dataSourceJNDI: { type: 'string' },
  dataSourceProperties: { type: 'object' },
  driverClassName: { type: 'string' },
  exceptionOverride: { type: 'object', since: [6, 0, 0] },
  exceptionOverrideClassName: { type: 'string', since: [3, 4, 3] },
  healthCheckProperties: { type: 'object' },
  healthCheckRegistry: { type: 'object' },
  idleTimeout: { type: 'long' },
  initializationFailFast: { type: 'bool', removedIn: [3, 0, 0] },
  initializationFailTimeout: { type: 'long' },
  isolateInternalQueries: { type: 'bool' },
  jdbc4ConnectionTest: { type: 'bool', removedIn: [3, 0, 0] },
  jdbcUrl: { type: 'string' },
  keepaliveTime: { type: 'long', since: [4, 0, 0] },
  leakDetectionThreshold: { type: 'long' },
  maxLifetime: { type: 'long' },
  maximumPoolSize: { type: 'int' },
  metricRegistry: { type: 'object' },
  metricsTrackerFactory: { type: 'object' },
  minimumIdle: { type: 'int' },
  password: { type: 'string' },
  poolName: { type: 'string' },
  readOnly: { type: 'bool' },
  registerMbeans: { type: 'bool' },
  scheduledExecutor: { type: 'object' },
  scheduledExecutorService: { type: 'object', removedIn: [3, 0, 0] },
  schema: { type: 'string', since: [2, 7, 0] },
  threadFactory: { type: 'object' },
  transactionIsolation: { type: 'string' },
  username: { type: 'string' },
  validationTimeout: { type: 'long' },
};

/** Setter-backed keys of HikariCP 6.x, for detection. */
export const HIKARI_KEYS: ReadonlySet<string> = new Set(
  Object.entries(KEY_INFO)
    .filter(([, info]) => !info.removedIn)
    .map(([key]) => key),
);

/**
 * HikariConfig settings that only the pool reads (sizes, timings, test SQL, pool name, JMX): written as
 * `dataSource.<name>` they reach the driver instead (hikaricp.md, `dataSource.<name>`). Names a JDBC driver
 * may also define (`password`, `readOnly`, `catalog`, `schema`, `autoCommit`) are left out.
 */
export const POOL_ONLY_KEYS: ReadonlySet<string> = new Set([
  'maximumPoolSize',
  'minimumIdle',
  'maxLifetime',
  'idleTimeout',
  'keepaliveTime',
  'connectionTimeout',
  'validationTimeout',
  'leakDetectionThreshold',
  'connectionTestQuery',
  'connectionInitSql',
  'initializationFailTimeout',
  'poolName',
  'registerMbeans',
  'allowPoolSuspension',
  'isolateInternalQueries',
]);

/** Keys that only HikariCP uses, so one of them marks a file as HikariCP's (`username`, `driverClassName` ... are shared with other pools). */
const DISTINCTIVE_KEYS = new Set(['jdbcUrl', 'dataSourceClassName', 'dataSourceJNDI', ...POOL_ONLY_KEYS, 'exceptionOverrideClassName']);

export const HIBERNATE_PREFIX = 'hibernate.hikari.';
/** HikariCP's HikariConfigurationUtil copies these Hibernate keys before the `hibernate.hikari.` ones (hikaricp.md, Hibernate). */
export const HIBERNATE_MAPPED: Record<string, string> = {
  'hibernate.connection.isolation': 'transactionIsolation',
  'hibernate.connection.autocommit': 'autoCommit',
  'hibernate.connection.driver_class': 'driverClassName',
  'hibernate.connection.url': 'jdbcUrl',
  'hibernate.connection.username': 'username',
  'hibernate.connection.password': 'password',
};
export const DATA_SOURCE_PREFIX = 'dataSource.';
export const TARGET_CLASS = 'com.zaxxer.hikari.HikariConfig';

function capitalize(name: string): string {
  return name.slice(0, 1).toUpperCase() + name.slice(1);
}

/**
 * The setter a key reaches: `"set" + upper-case(first char) + rest`, else `"set" + WHOLE KEY UPPER-CASED`
 * (PropertyElf; hikaricp.md: only the first letter is case-insensitive, `MaxLifetime` binds, `maxlifetime` fails).
 */
export function canonicalOf(hikariKey: string): string | undefined {
  if (hikariKey.length === 0) return undefined;
  if (hikariKey in KEY_INFO) return hikariKey;
  const setter = capitalize(hikariKey);
  const upper = hikariKey.toUpperCase();
  return Object.keys(KEY_INFO).find((k) => capitalize(k) === setter || capitalize(k) === upper);
}

/** Does this properties document configure HikariCP? Returns the key prefix to use ('' or 'hibernate.hikari.'), or undefined. */
export function detectHikari(entries: readonly Entry[]): { prefix: string } | undefined {
  if (entries.some((e) => e.key.startsWith(HIBERNATE_PREFIX) && e.key.length > HIBERNATE_PREFIX.length)) {
    return { prefix: HIBERNATE_PREFIX };
  }
  const isHikari = entries.some((e) => {
    if (e.key.startsWith(DATA_SOURCE_PREFIX) && e.key.length > DATA_SOURCE_PREFIX.length) return true;
    const canonical = canonicalOf(e.key);
    return canonical !== undefined && DISTINCTIVE_KEYS.has(canonical);
  });
  return isHikari ? { prefix: '' } : undefined;
}

/**
 * How sure it is that HikariCP reads these entries (issue 15, "Java properties"): certain when the file's
 * name says so (`hikari.properties`, `hikaricp-*.properties`), when the keys are Hibernate's
 * `hibernate.hikari.*`, or when every key binds to a HikariCP setter (HikariConfig would load the file
 * without an error); uncertain when the file also holds keys HikariCP has no setter for — an
 * application's own file with a `jdbcUrl` beside its own keys, which HikariCP may never see.
 */
export function hikariOwnership(
  path: string,
  entries: readonly Entry[],
  prefix: string,
): { owner: 'certain' | 'uncertain'; reason: string } {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (base.includes('hikari'))
    return { owner: 'certain', reason: `HikariCP properties (the file name says ${base.includes('hikaricp') ? 'hikaricp' : 'hikari'})` };
  if (prefix === HIBERNATE_PREFIX) return { owner: 'certain', reason: 'HikariCP settings through Hibernate (hibernate.hikari.* keys)' };
  const foreign = entries.filter((e) => !e.key.startsWith(DATA_SOURCE_PREFIX) && canonicalOf(e.key) === undefined);
  if (foreign.length === 0) return { owner: 'certain', reason: 'HikariCP properties (every key is a HikariCP setting)' };
  const sample = foreign
    .slice(0, 3)
    .map((e) => e.key)
    .join(', ');
  return {
    owner: 'uncertain',
    reason: `possibly HikariCP properties: HikariCP keys beside keys HikariCP has no setter for (${sample}${foreign.length > 3 ? ', ...' : ''}), so it may be the application's own file`,
  };
}

// ---------------------------------------------------------------------------------------------------
// Versions

function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function atLeast(v: Version, floor: Version): boolean {
  return compareVersions(v, floor) >= 0;
}

export function parseVersion(text: string): Version | undefined {
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

export function versionText(v: Version): string {
  return v.join('.');
}

/**
 * One version's behaviour. With an unknown version connlint evaluates one representative of each range
 * whose behaviour differs (hikaricp.md, Version changes) and keeps only what they agree on.
 */
export interface Release {
  version: Version;
  label: string;
}

export const REPRESENTATIVES: Release[] = [
  { version: [2, 7, 9], label: '2.x' },
  { version: [3, 3, 0], label: '3.0.0-3.3.0' },
  { version: [3, 4, 5], label: '3.3.1-3.4.x' },
  { version: [4, 0, 0], label: '4.0.0-6.2.0' },
  { version: [6, 2, 1], label: '6.2.1-6.2.x' },
  { version: [6, 3, 0], label: '6.3.0+' },
];

export function keyExists(canonical: string, v: Version): boolean {
  const info = KEY_INFO[canonical];
  if (!info) return false;
  if (info.since && !atLeast(v, info.since)) return false;
  if (info.removedIn && atLeast(v, info.removedIn)) return false;
  return true;
}

/** Up to 3.3.0 the idleTimeout rules run first and ignore minimumIdle; maximumPoolSize defaults to minimumIdle (hikaricp.md, 3.3.1). */
export function hasOldIdleRules(v: Version): boolean {
  return !atLeast(v, [3, 3, 1]);
}

/** keepaliveTime: no such key before 4.0.0; default 0 in 4.0.0-6.2.0 and 120000 from 6.2.1 (hikaricp.md, Settings). */
export function keepaliveDefault(v: Version): bigint | undefined {
  if (!atLeast(v, [4, 0, 0])) return undefined;
  return atLeast(v, [6, 2, 1]) ? 120000n : 0n;
}

// ---------------------------------------------------------------------------------------------------
// What the file sets

/** One property as HikariCP receives it, after last-one-wins per key. */
export interface Written {
  /** The property name HikariCP sees (`MaxLifetime`, prefix removed). */
  hikariKey: string;
  /** The key as written in the file. */
  fileKey: string;
  entry: Entry;
  /** The value text HikariCP receives (an entry without a value gives the empty string). */
  text: string;
  /** Entries with the same HikariCP key that this one replaced, oldest first. */
  earlier: Entry[];
}

export function collectWritten(entries: readonly Entry[], prefix: string): Written[] {
  const contributions: Array<{ hikariKey: string; entry: Entry }> = [];
  if (prefix === HIBERNATE_PREFIX) {
    // The Hibernate mapping is copied first, then every `hibernate.hikari.X` overwrites X (HikariConfigurationUtil).
    for (const entry of entries) {
      const mapped = HIBERNATE_MAPPED[entry.key];
      if (mapped) contributions.push({ hikariKey: mapped, entry });
    }
  }
  for (const entry of entries) {
    if (entry.key.startsWith(prefix)) contributions.push({ hikariKey: entry.key.slice(prefix.length), entry });
  }
  const byKey = new Map<string, Written>();
  for (const { hikariKey, entry } of contributions) {
    const held = byKey.get(hikariKey);
    if (held) {
      // The replaced one is dropped, so its list is taken over rather than copied (a key written thousands of times).
      held.earlier.push(held.entry);
      byKey.set(hikariKey, { hikariKey, fileKey: entry.rawKey ?? entry.key, entry, text: entry.text ?? '', earlier: held.earlier });
    } else byKey.set(hikariKey, { hikariKey, fileKey: entry.rawKey ?? entry.key, entry, text: entry.text ?? '', earlier: [] });
  }
  return [...byKey.values()];
}

export function hasPlaceholder(text: string): boolean {
  return text.includes('${');
}
