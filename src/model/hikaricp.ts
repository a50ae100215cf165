/**
 * HikariCP configured by a properties file (`new HikariConfig(Properties)`, or Hibernate's
 * `hibernate.hikari.` keys): which keys bind, how values are read, the defaults per version and the
 * start-up rewrites of `validateNumerics()`, all as in hikaricp.md (Settings, "Effective-value order",
 * "Syntax and parsing facts"). Checked against the HikariCP 2.7.9 jar by test/model/hikaricp-differential.
 */
import type { PropertiesDoc, PropertyEntry } from '../parsers/java-properties.js';
import type { ParseProblem } from '../parsers/parse-result.js';
import { formatDuration } from './duration.js';
import { engineFromJdbc } from './jdbc-engine.js';
import type { IdleMechanism, LibraryVersion, Pool } from './model.js';
import { type Origin, type Setting, settingSpan, type Value } from './setting.js';
import { fileSpan, type Span } from './span.js';

type Version = readonly [number, number, number];
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
const KEY_INFO: Record<string, KeyInfo> = {
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

/** Keys that only HikariCP uses, so one of them marks a file as HikariCP's (`username`, `driverClassName` ... are shared with other pools). */
const DISTINCTIVE_KEYS = new Set([
  'jdbcUrl',
  'dataSourceClassName',
  'dataSourceJNDI',
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
  'exceptionOverrideClassName',
]);

const HIBERNATE_PREFIX = 'hibernate.hikari.';
/** HikariCP's HikariConfigurationUtil copies these Hibernate keys before the `hibernate.hikari.` ones (hikaricp.md, Hibernate). */
const HIBERNATE_MAPPED: Record<string, string> = {
  'hibernate.connection.isolation': 'transactionIsolation',
  'hibernate.connection.autocommit': 'autoCommit',
  'hibernate.connection.driver_class': 'driverClassName',
  'hibernate.connection.url': 'jdbcUrl',
  'hibernate.connection.username': 'username',
  'hibernate.connection.password': 'password',
};
const DATA_SOURCE_PREFIX = 'dataSource.';
const TARGET_CLASS = 'com.zaxxer.hikari.HikariConfig';

function capitalize(name: string): string {
  return name.slice(0, 1).toUpperCase() + name.slice(1);
}

/**
 * The setter a key reaches: `"set" + upper-case(first char) + rest`, else `"set" + WHOLE KEY UPPER-CASED`
 * (PropertyElf; hikaricp.md: only the first letter is case-insensitive, `MaxLifetime` binds, `maxlifetime` fails).
 */
function canonicalOf(hikariKey: string): string | undefined {
  if (hikariKey.length === 0) return undefined;
  if (hikariKey in KEY_INFO) return hikariKey;
  const setter = capitalize(hikariKey);
  const upper = hikariKey.toUpperCase();
  return Object.keys(KEY_INFO).find((k) => capitalize(k) === setter || capitalize(k) === upper);
}

/** Does this properties document configure HikariCP? Returns the key prefix to use ('' or 'hibernate.hikari.'), or undefined. */
export function detectHikariProperties(doc: PropertiesDoc): { prefix: string } | undefined {
  if (doc.entries.some((e) => e.key.startsWith(HIBERNATE_PREFIX) && e.key.length > HIBERNATE_PREFIX.length)) {
    return { prefix: HIBERNATE_PREFIX };
  }
  const isHikari = doc.entries.some((e) => {
    if (e.key.startsWith(DATA_SOURCE_PREFIX) && e.key.length > DATA_SOURCE_PREFIX.length) return true;
    const canonical = canonicalOf(e.key);
    return canonical !== undefined && DISTINCTIVE_KEYS.has(canonical);
  });
  return isHikari ? { prefix: '' } : undefined;
}

export interface HikariBuildInput {
  path: string;
  doc: PropertiesDoc;
  prefix: string;
  version?: LibraryVersion;
  environment?: string;
}

// ---------------------------------------------------------------------------------------------------
// Versions

function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function atLeast(v: Version, floor: Version): boolean {
  return compareVersions(v, floor) >= 0;
}

function parseVersion(text: string): Version | undefined {
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

function versionText(v: Version): string {
  return v.join('.');
}

/**
 * One version's behaviour. With an unknown version connlint evaluates one representative of each range
 * whose behaviour differs (hikaricp.md, Version changes) and keeps only what they agree on.
 */
interface Release {
  version: Version;
  label: string;
}

const REPRESENTATIVES: Release[] = [
  { version: [2, 7, 9], label: '2.x' },
  { version: [3, 3, 0], label: '3.0.0-3.3.0' },
  { version: [3, 4, 5], label: '3.3.1-3.4.x' },
  { version: [4, 0, 0], label: '4.0.0-6.2.0' },
  { version: [6, 2, 1], label: '6.2.1-6.2.x' },
  { version: [6, 3, 0], label: '6.3.0+' },
];

function keyExists(canonical: string, v: Version): boolean {
  const info = KEY_INFO[canonical];
  if (!info) return false;
  if (info.since && !atLeast(v, info.since)) return false;
  if (info.removedIn && atLeast(v, info.removedIn)) return false;
  return true;
}

/** Up to 3.3.0 the idleTimeout rules run first and ignore minimumIdle; maximumPoolSize defaults to minimumIdle (hikaricp.md, 3.3.1). */
function hasOldIdleRules(v: Version): boolean {
  return !atLeast(v, [3, 3, 1]);
}

/** keepaliveTime: no such key before 4.0.0; default 0 in 4.0.0-6.2.0 and 120000 from 6.2.1 (hikaricp.md, Settings). */
function keepaliveDefault(v: Version): bigint | undefined {
  if (!atLeast(v, [4, 0, 0])) return undefined;
  return atLeast(v, [6, 2, 1]) ? 120000n : 0n;
}

// ---------------------------------------------------------------------------------------------------
// What the file sets

/** One property as HikariCP receives it, after last-one-wins per key. */
interface Written {
  /** The property name HikariCP sees (`MaxLifetime`, prefix removed). */
  hikariKey: string;
  /** The key as written in the file. */
  fileKey: string;
  entry: PropertyEntry;
  /** Entries with the same HikariCP key that this one replaced, oldest first. */
  earlier: PropertyEntry[];
}

function collectWritten(doc: PropertiesDoc, prefix: string): Written[] {
  const contributions: Array<{ hikariKey: string; entry: PropertyEntry }> = [];
  if (prefix === HIBERNATE_PREFIX) {
    // The Hibernate mapping is copied first, then every `hibernate.hikari.X` overwrites X (HikariConfigurationUtil).
    for (const entry of doc.entries) {
      const mapped = HIBERNATE_MAPPED[entry.key];
      if (mapped) contributions.push({ hikariKey: mapped, entry });
    }
  }
  for (const entry of doc.entries) {
    if (entry.key.startsWith(prefix)) contributions.push({ hikariKey: entry.key.slice(prefix.length), entry });
  }
  const byKey = new Map<string, Written>();
  for (const { hikariKey, entry } of contributions) {
    const held = byKey.get(hikariKey);
    if (held) byKey.set(hikariKey, { hikariKey, fileKey: entry.key, entry, earlier: [...held.earlier, held.entry] });
    else byKey.set(hikariKey, { hikariKey, fileKey: entry.key, entry, earlier: [] });
  }
  return [...byKey.values()];
}

function hasPlaceholder(text: string): boolean {
  return text.includes('${');
}

// ---------------------------------------------------------------------------------------------------
// Reading numbers as PropertyElf does

type Parsed = { kind: 'number'; n: bigint } | { kind: 'unknown'; reason: string } | { kind: 'fails'; exception: string };

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);
const INT_MAX = 2n ** 31n - 1n;
const INT_MIN = -(2n ** 31n);
const UNIT_MS: Record<string, bigint> = { ms: 1n, s: 1000n, m: 60000n, h: 3600000n, d: 86400000n };

/**
 * `Integer.parseInt` / `Long.parseLong` (no units, no blanks, `+` allowed); from 6.3.0 first
 * `^\d+(ms|s|m|h|d)$` (hikaricp.md, 6.3.0; PropertyElf.parseDuration, int setters get `(int) millis`).
 */
function parseNumber(text: string, type: 'int' | 'long', v: Version): Parsed {
  if (hasPlaceholder(text)) {
    return {
      kind: 'unknown',
      reason: `'${text}' is a placeholder filled in outside HikariCP (build or deployment), so its value is not known here`,
    };
  }
  if (atLeast(v, [6, 3, 0])) {
    const m = /^(\d+)(ms|s|m|h|d)$/.exec(text);
    if (m) {
      const amount = BigInt(m[1] ?? '0');
      const ms = amount * (UNIT_MS[m[2] ?? 'ms'] ?? 1n);
      if (amount > LONG_MAX) return { kind: 'fails', exception: `NumberFormatException: For input string: "${m[1]}"` };
      if (ms > LONG_MAX) return { kind: 'fails', exception: 'ArithmeticException: long overflow' };
      return { kind: 'number', n: type === 'int' ? BigInt.asIntN(32, ms) : ms };
    }
  }
  if (!/^[+-]?[0-9]+$/.test(text)) return { kind: 'fails', exception: `NumberFormatException: For input string: "${text}"` };
  const n = BigInt(text);
  const [min, max] = type === 'int' ? [INT_MIN, INT_MAX] : [LONG_MIN, LONG_MAX];
  if (n < min || n > max) return { kind: 'fails', exception: `NumberFormatException: For input string: "${text}"` };
  return { kind: 'number', n };
}

/** The setter checks that throw while the file is applied (hikaricp.md, "Set-time"), same in every version read. */
function setterCheck(key: string, n: bigint): { stored: bigint; note?: string } | { exception: string } {
  switch (key) {
    case 'connectionTimeout':
      if (n === 0n)
        return { stored: INT_MAX, note: 'connectionTimeout 0 means wait forever: HikariCP stores 2147483647 ms (Integer.MAX_VALUE)' };
      // Negative values are refused too: the setter tests `< 250` after `== 0` (HikariConfig.java, checked on 2.7.9).
      if (n < 250n) return { exception: 'IllegalArgumentException: connectionTimeout cannot be less than 250ms' };
      return { stored: n };
    case 'validationTimeout':
      return n < 250n ? { exception: 'IllegalArgumentException: validationTimeout cannot be less than 250ms' } : { stored: n };
    case 'idleTimeout':
      return n < 0n ? { exception: 'IllegalArgumentException: idleTimeout cannot be negative' } : { stored: n };
    case 'maximumPoolSize':
      return n < 1n ? { exception: 'IllegalArgumentException: maxPoolSize cannot be less than 1' } : { stored: n };
    case 'minimumIdle':
      return n < 0n ? { exception: 'IllegalArgumentException: minimumIdle cannot be negative' } : { stored: n };
    default:
      return { stored: n };
  }
}

// ---------------------------------------------------------------------------------------------------
// validateNumerics, with unknown values (three-valued logic: null = unknown)

type N = bigint | null;
type B = boolean | null;

const NUMERIC_KEYS = [
  'maxLifetime',
  'idleTimeout',
  'keepaliveTime',
  'minimumIdle',
  'maximumPoolSize',
  'connectionTimeout',
  'validationTimeout',
  'leakDetectionThreshold',
  'initializationFailTimeout',
] as const;
type NumericKey = (typeof NUMERIC_KEYS)[number];

const COUNT_KEYS = new Set<string>(['minimumIdle', 'maximumPoolSize']);

/** Internal "unset" value of maximumPoolSize and minimumIdle until validate() (HikariConfig constructor). */
const UNSET = -1n;

interface Slot {
  key: NumericKey;
  written?: Written;
  value: N;
  /** Why the value is unknown. */
  reason?: string;
  /** For a value nobody wrote: the default and its rule. */
  defaultFact?: string;
  clamp?: { written: N; reasons: string[]; facts: string[] };
  /** The exception that stops the pool, when this key's value causes one. */
  fails?: string;
}

type Slots = Record<NumericKey, Slot | undefined>;

const and = (...xs: B[]): B => (xs.includes(false) ? false : xs.includes(null) ? null : true);
const or = (...xs: B[]): B => (xs.includes(true) ? true : xs.includes(null) ? null : false);
const test = (a: N, b: N, f: (x: bigint, y: bigint) => boolean): B => (a === null || b === null ? null : f(a, b));
const lt = (a: N, b: N): B => test(a, b, (x, y) => x < y);
const gt = (a: N, b: N): B => test(a, b, (x, y) => x > y);
const ge = (a: N, b: N): B => test(a, b, (x, y) => x >= y);
const ne = (a: N, b: N): B => test(a, b, (x, y) => x !== y);
/** Java `long` addition wraps around. */
const plus = (a: N, b: bigint): N => (a === null ? null : BigInt.asIntN(64, a + b));

const FACT = {
  maxLifetime: 'hikaricp.md, Settings: maxLifetime (validateNumerics: 1-29999 or negative -> 1800000)',
  keepaliveTime: 'hikaricp.md, Settings: keepaliveTime (< 30000 -> off; >= maxLifetime -> off)',
  idleTimeout: 'hikaricp.md, Settings: idleTimeout (close to maxLifetime -> 0; 1-9999 -> 600000)',
  leakDetectionThreshold: 'hikaricp.md, Settings: leakDetectionThreshold (< 2000 or > maxLifetime -> off)',
  connectionTimeout: 'hikaricp.md, Settings: connectionTimeout (0 -> Integer.MAX_VALUE; < 250 -> 30000)',
  validationTimeout: 'hikaricp.md, Settings: validationTimeout (< 250 -> 5000)',
  maximumPoolSize: 'hikaricp.md, Settings: maximumPoolSize',
  minimumIdle: 'hikaricp.md, Settings: minimumIdle (unset or > maximumPoolSize -> maximumPoolSize)',
} as const;

function listUnknown(slots: Array<Slot | undefined>, self: Slot): string {
  const names = slots.filter((s): s is Slot => s !== undefined && s !== self && s.value === null).map((s) => s.key);
  const unique = [...new Set(names)];
  return unique.length === 1 ? `${unique[0]}, which is unknown` : `${unique.join(' and ')}, which are unknown`;
}

/** Applies one start-up rule: `when` true rewrites to `to`; unknown makes the slot unknown unless the value would not change. */
function rewrite(slot: Slot | undefined, when: B, to: N, warning: string, fact: string, deps: Array<Slot | undefined>): void {
  if (!slot || when === false || slot.value === null) return;
  if (when === true && to !== null && slot.value === to) return;
  if (when === null || to === null) {
    slot.value = null;
    slot.reason = `HikariCP may rewrite ${slot.key} at start-up (${warning}) depending on ${listUnknown(deps, slot)}`;
    return;
  }
  if (!slot.written && slot.value === UNSET) {
    slot.defaultFact = fact;
  } else if (slot.clamp) {
    slot.clamp.reasons.push(warning);
    slot.clamp.facts.push(fact);
  } else {
    slot.clamp = { written: slot.value, reasons: [warning], facts: [fact] };
  }
  slot.value = to;
}

/** `HikariConfig.validateNumerics()`, in the order of the given version (hikaricp.md, "Effective-value order"). */
function validateNumerics(s: Slots, v: Version): void {
  const ml = s.maxLifetime;
  const idle = s.idleTimeout;
  const ka = s.keepaliveTime;
  const leak = s.leakDetectionThreshold;
  const ct = s.connectionTimeout;
  const vt = s.validationTimeout;
  const max = s.maximumPoolSize;
  const min = s.minimumIdle;
  const val = (slot: Slot | undefined): N => (slot ? slot.value : null);
  const old = hasOldIdleRules(v);

  rewrite(
    ml,
    and(ne(val(ml), 0n), lt(val(ml), 30000n)),
    1800000n,
    'maxLifetime is less than 30000ms, setting to default 1800000ms',
    FACT.maxLifetime,
    [ml],
  );

  if (old) {
    rewrite(
      idle,
      and(gt(plus(val(idle), 1000n), val(ml)), gt(val(ml), 0n)),
      0n,
      'idleTimeout is close to or more than maxLifetime, disabling it',
      FACT.idleTimeout,
      [idle, ml],
    );
    rewrite(
      idle,
      and(ne(val(idle), 0n), lt(val(idle), 10000n)),
      600000n,
      'idleTimeout is less than 10000ms, setting to default 600000ms',
      FACT.idleTimeout,
      [idle],
    );
  }

  if (ka) {
    rewrite(ka, and(ne(val(ka), 0n), lt(val(ka), 30000n)), 0n, 'keepaliveTime is less than 30000ms, disabling it', FACT.keepaliveTime, [
      ka,
    ]);
    rewrite(
      ka,
      and(ne(val(ka), 0n), ne(val(ml), 0n), ge(val(ka), val(ml))),
      0n,
      'keepaliveTime is greater than or equal to maxLifetime, disabling it',
      FACT.keepaliveTime,
      [ka, ml],
    );
  }

  rewrite(
    leak,
    and(gt(val(leak), 0n), or(lt(val(leak), 2000n), and(gt(val(leak), val(ml)), gt(val(ml), 0n)))),
    0n,
    'leakDetectionThreshold is less than 2000ms or more than maxLifetime, disabling it',
    FACT.leakDetectionThreshold,
    [leak, ml],
  );
  rewrite(ct, lt(val(ct), 250n), 30000n, 'connectionTimeout is less than 250ms, setting to 30000ms', FACT.connectionTimeout, [ct]);
  rewrite(vt, lt(val(vt), 250n), 5000n, 'validationTimeout is less than 250ms, setting to 5000ms', FACT.validationTimeout, [vt]);

  if (old) {
    const minValue = val(min);
    const fallback: N = minValue === null ? null : minValue <= 0n ? 10n : minValue;
    rewrite(
      max,
      lt(val(max), 1n),
      fallback,
      'maximumPoolSize is unset, so it takes minimumIdle when that is above 0, else 10',
      `${FACT.maximumPoolSize} (up to 3.3.0: minimumIdle if > 0, else 10)`,
      [max, min],
    );
  } else {
    rewrite(max, lt(val(max), 1n), 10n, 'maximumPoolSize is unset, so it is 10', `${FACT.maximumPoolSize} (default 10 from 3.3.1)`, [max]);
  }
  rewrite(
    min,
    or(lt(val(min), 0n), gt(val(min), val(max))),
    val(max),
    min?.written
      ? 'minimumIdle is greater than maximumPoolSize, so HikariCP silently uses maximumPoolSize'
      : 'minimumIdle is unset, so it equals maximumPoolSize',
    FACT.minimumIdle,
    [min, max],
  );

  if (!old) {
    const first = and(gt(plus(val(idle), 1000n), val(ml)), gt(val(ml), 0n), lt(val(min), val(max)));
    rewrite(idle, first, 0n, 'idleTimeout is close to or more than maxLifetime, disabling it', FACT.idleTimeout, [idle, ml, min, max]);
    if (first === false) {
      const second = and(ne(val(idle), 0n), lt(val(idle), 10000n), lt(val(min), val(max)));
      rewrite(idle, second, 600000n, 'idleTimeout is less than 10000ms, setting to default 600000ms', FACT.idleTimeout, [idle, min, max]);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// One evaluation per version

interface Evaluation {
  release: Release;
  slots: Slots;
  /** Keys written in the file that this version has no setter for. */
  missingKeys: Written[];
}

function defaultSlot(key: NumericKey, v: Version): Slot | undefined {
  const at = (value: bigint, fact: string): Slot => ({ key, value, defaultFact: fact });
  switch (key) {
    case 'maxLifetime':
      return at(1800000n, 'hikaricp.md, Settings: maxLifetime default 1800000 (30 min), all versions');
    case 'idleTimeout':
      return at(600000n, 'hikaricp.md, Settings: idleTimeout default 600000 (10 min)');
    case 'keepaliveTime': {
      const d = keepaliveDefault(v);
      if (d === undefined) return undefined;
      return at(
        d,
        d === 0n
          ? 'hikaricp.md, Settings: keepaliveTime default 0 (off) in 4.0.0-6.2.0'
          : 'hikaricp.md, Settings: keepaliveTime default 120000 (2 min) from 6.2.1',
      );
    }
    case 'connectionTimeout':
      return at(30000n, 'hikaricp.md, Settings: connectionTimeout default 30000 (30 s)');
    case 'validationTimeout':
      return at(5000n, 'hikaricp.md, Settings: validationTimeout default 5000 (5 s)');
    case 'leakDetectionThreshold':
      return at(0n, 'hikaricp.md, Settings: leakDetectionThreshold default 0 (off)');
    case 'initializationFailTimeout':
      return at(1n, 'hikaricp.md, Settings: initializationFailTimeout default 1');
    case 'maximumPoolSize':
    case 'minimumIdle':
      return at(UNSET, '');
  }
}

function evaluate(release: Release, bound: Map<string, Written[]>): Evaluation {
  const v = release.version;
  const missingKeys: Written[] = [];
  for (const [canonical, list] of bound) if (!keyExists(canonical, v)) missingKeys.push(...list);
  const slots = {} as Slots;
  for (const key of NUMERIC_KEYS) {
    const base = defaultSlot(key, v);
    const list = keyExists(key, v) ? bound.get(key) : undefined;
    if (!list || list.length === 0) {
      slots[key] = base;
      continue;
    }
    const written = list[list.length - 1] as Written;
    const slot: Slot = { key, written, value: null };
    slots[key] = slot;
    if (list.length > 1 && new Set(list.map((w) => w.entry.value)).size > 1) {
      slot.reason = `${list.map((w) => w.fileKey).join(' and ')} each set ${key}; HikariCP applies them in hash order, so which one wins is not known`;
      continue;
    }
    const type = KEY_INFO[key]?.type === 'int' ? 'int' : 'long';
    const parsed = parseNumber(written.entry.value, type, v);
    if (parsed.kind === 'unknown') {
      slot.reason = parsed.reason;
      continue;
    }
    if (parsed.kind === 'fails') {
      slot.fails = parsed.exception;
      slot.reason = `HikariCP fails to start on it (${parsed.exception})`;
      continue;
    }
    const checked = setterCheck(key, parsed.n);
    if ('exception' in checked) {
      slot.fails = checked.exception;
      slot.reason = `HikariCP fails to start on it (${checked.exception})`;
      continue;
    }
    slot.value = checked.stored;
    if (checked.note) slot.clamp = { written: parsed.n, reasons: [checked.note], facts: [FACT.connectionTimeout] };
  }
  validateNumerics(slots, v);
  return { release, slots, missingKeys };
}

// ---------------------------------------------------------------------------------------------------
// Settings

function toValue(key: string, n: bigint): Value {
  return COUNT_KEYS.has(key) ? { kind: 'count', value: Number(n) } : { kind: 'duration', ms: Number(n) };
}

function describeN(key: string, n: N): string {
  if (n === null) return 'unknown';
  return COUNT_KEYS.has(key) ? String(n) : `${n} (${formatDuration(Number(n))})`;
}

function fileOrigin(entry: PropertyEntry): Origin {
  return { kind: 'file', span: entry.span, via: [] };
}

function sameOutcome(a: Slot | undefined, b: Slot | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.value !== b.value) return false;
  return a.value !== null || a.reason === b.reason;
}

/** Builds the setting of one numeric key from the evaluations that ran (one when the version is known). */
function numericSetting(key: NumericKey, evaluations: Evaluation[], prefix: string, version: string | undefined): Setting | undefined {
  const present = evaluations.filter((e) => e.slots[key] !== undefined);
  const newest = present[present.length - 1];
  const slot = newest?.slots[key];
  if (!newest || !slot) return undefined;
  const agree = present.every((e) => sameOutcome(e.slots[key], slot));

  let value: Value;
  if (agree) value = slot.value === null ? { kind: 'unknown', reason: slot.reason ?? 'unknown' } : toValue(key, slot.value);
  else if (key === 'keepaliveTime' && !slot.written) {
    value = {
      kind: 'unknown',
      reason: 'HikariCP version unknown: keepaliveTime defaults to 0 (off) before 6.2.1 and 120000 (2 min) from 6.2.1',
    };
  } else {
    const groups = new Map<string, string[]>();
    for (const e of present) {
      const s = e.slots[key];
      let text: string;
      if (s?.value === null && s.fails) text = `fails to start (${s.fails})`;
      else if (s?.value === null) text = `unknown (${s.reason ?? 'unknown'})`;
      else text = describeN(key, s?.value ?? null);
      groups.set(text, [...(groups.get(text) ?? []), e.release.label]);
    }
    const parts = [...groups].map(([text, labels]) => `${labels.join(', ')}: ${text}`);
    value = { kind: 'unknown', reason: `HikariCP version unknown: ${key} depends on it (${parts.join('; ')})` };
  }

  const written = slot.written;
  const facts: Array<[string, string]> = present.map((e) => [e.release.label, e.slots[key]?.defaultFact ?? '']);
  const sameFact = new Set(facts.map(([, f]) => f)).size === 1;
  const setting: Setting = {
    key: written ? written.fileKey : prefix + key,
    canonicalKey: key,
    raw: written ? written.entry.rawValue : null,
    text: written ? written.entry.value : null,
    value,
    origin: written
      ? fileOrigin(written.entry)
      : {
          kind: 'library-default',
          library: 'hikaricp',
          ...(version ? { version } : {}),
          fact: (sameFact ? slot.defaultFact : uniqueFacts(facts)) || 'hikaricp.md, Settings',
        },
    overrides: written ? written.earlier.map(fileOrigin) : [],
  };
  if (!COUNT_KEYS.has(key)) setting.unit = 'ms';
  // A rewrite is reported only when every version evaluated makes it the same way.
  const clampText = (c: Slot['clamp']) => (c ? `${c.written}|${c.reasons.join('|')}` : '');
  const sameClamp = present.every((e) => clampText(e.slots[key]?.clamp) === clampText(slot.clamp));
  if (agree && sameClamp && slot.clamp && slot.value !== null) {
    const clampWritten: Value = slot.clamp.written === null ? { kind: 'unknown', reason: 'unknown' } : toValue(key, slot.clamp.written);
    setting.clamp = { written: clampWritten, reason: slot.clamp.reasons.join('; then '), fact: [...new Set(slot.clamp.facts)].join('; ') };
  }
  return setting;
}

function uniqueFacts(pairs: Array<[string, string]>): string {
  const byFact = new Map<string, string[]>();
  for (const [label, fact] of pairs) if (fact) byFact.set(fact, [...(byFact.get(fact) ?? []), label]);
  return [...byFact].map(([fact, labels]) => `${labels.join(', ')}: ${fact}`).join(' | ');
}

function plainValue(canonical: string | undefined, text: string): Value {
  if (hasPlaceholder(text)) {
    return {
      kind: 'unknown',
      reason: `'${text}' is a placeholder filled in outside HikariCP (build or deployment), so its value is not known here`,
    };
  }
  // Boolean.parseBoolean: only "true" in any case is true (hikaricp.md, Values).
  if (canonical && KEY_INFO[canonical]?.type === 'bool') return { kind: 'bool', value: text.toLowerCase() === 'true' };
  return { kind: 'string', value: text };
}

// ---------------------------------------------------------------------------------------------------
// Idle mechanisms

const HOUSEKEEPER_MS = 30000;

/** Does the housekeeper retire every idle connection, and by when? (hikaricp.md, idleTimeout; Behaviour) */
function idleRetirement(e: Evaluation): { known: boolean; boundMs?: number; floor?: bigint; note: string } {
  const idle = e.slots.idleTimeout?.value ?? null;
  const min = e.slots.minimumIdle?.value ?? null;
  // The housekeeper only closes connections above minimumIdle (hikaricp.md: "never touches the minimumIdle floor"),
  // so with a floor above 0 some connections are never retired, whatever idleTimeout is.
  if (min !== null && min > 0n) return { known: true, floor: min, note: `minimumIdle (${min}) connections are never idle-retired` };
  if (idle === null) return { known: false, note: e.slots.idleTimeout?.reason ?? 'idleTimeout is unknown' };
  if (idle === 0n) return { known: true, note: 'idleTimeout 0 means idle connections are never retired' };
  if (min === null) return { known: false, note: 'minimumIdle is unknown, so it is not known whether any idle connection is retired' };
  // Retirement happens on the 30 s housekeeper run after idleTimeout passes (hikaricp.md, idleTimeout).
  return {
    known: true,
    boundMs: Number(idle) + HOUSEKEEPER_MS,
    note: 'retired by the housekeeper, which runs every 30 s, so up to idleTimeout + 30 s',
  };
}

function idleMechanisms(settings: Map<string, Setting>, evaluations: Evaluation[], hasKeepalive: boolean): IdleMechanism[] {
  const idle: IdleMechanism[] = [];
  const ms = (s: Setting | undefined): number | undefined => (s?.value.kind === 'duration' ? s.value.ms : undefined);

  const lifetime = settings.get('maxLifetime');
  if (lifetime) {
    const v = ms(lifetime);
    idle.push({
      kind: 'max-lifetime',
      setting: lifetime,
      boundMs: v !== undefined && v > 0 ? v : undefined,
      refreshesServer: false,
      minimumMs: 30000,
      ...(v === 0 ? { note: 'maxLifetime 0 means connections are never retired for age' } : {}),
      ...(lifetime.value.kind === 'unknown' ? { note: lifetime.value.reason } : {}),
    });
  }

  const keepalive = settings.get('keepaliveTime');
  if (keepalive && hasKeepalive) {
    const v = ms(keepalive);
    let note: string | undefined;
    if (keepalive.value.kind === 'unknown') note = keepalive.value.reason;
    else if (v === 0) note = keepalive.clamp ? `keepalive is off: ${keepalive.clamp.reason}` : 'keepaliveTime 0 means keepalive is off';
    idle.push({
      kind: 'keepalive',
      setting: keepalive,
      boundMs: v !== undefined && v > 0 ? v : undefined,
      // It runs isValid() or connectionTestQuery on idle connections, a real round trip (hikaricp.md, Behaviour).
      refreshesServer: true,
      minimumMs: 30000,
      ...(note ? { note } : {}),
    });
  }

  const idleTimeout = settings.get('idleTimeout');
  if (idleTimeout) {
    // Computed per version evaluated: a fixed-size pool retires nothing for idleness in any version, even
    // where versions disagree on the idleTimeout value itself (hikaricp.md, idleTimeout rules up to 3.3.0).
    const outcomes = evaluations.map(idleRetirement);
    const newest = outcomes[outcomes.length - 1];
    const agree = newest !== undefined && outcomes.every((o) => o.known && o.boundMs === newest.boundMs);
    let boundMs: number | undefined;
    let note: string;
    if (agree) {
      boundMs = newest.boundMs;
      const floors = [...new Set(outcomes.map((o) => o.floor))];
      note =
        floors.length > 1 && floors.every((f) => f !== undefined)
          ? `minimumIdle (${floors.join(' or ')}, depending on the HikariCP version) connections are never idle-retired`
          : newest.note;
    } else if (idleTimeout.value.kind === 'unknown') {
      note = idleTimeout.value.reason;
    } else {
      const unknownOne = outcomes.find((o) => !o.known);
      note = unknownOne
        ? unknownOne.note
        : 'HikariCP version unknown: whether idle connections are retired depends on it (declare libraries.hikaricp)';
    }
    idle.push({ kind: 'idle-timeout', setting: idleTimeout, boundMs, refreshesServer: false, minimumMs: 10000, note });
  }
  return idle;
}

// ---------------------------------------------------------------------------------------------------
// The pool

function suggestion(hikariKey: string): string {
  const flat = hikariKey.replace(/[-_.]/g, '').toLowerCase();
  const match = Object.keys(KEY_INFO).find((k) => k.toLowerCase() === flat);
  return match ? ` Did you mean ${match}? Only the first letter may differ in case` : '';
}

/** The pool HikariCP would run: every key set, defaults filled in, start-up rewrites applied, idle mechanisms computed. */
export function buildHikariPool(input: HikariBuildInput): { pool: Pool; problems: ParseProblem[] } {
  const { path, doc, prefix } = input;
  const problems: ParseProblem[] = [];
  const written = collectWritten(doc, prefix);

  let known: Version | undefined;
  if (input.version) {
    known = parseVersion(input.version.version);
    if (!known) {
      problems.push({
        severity: 'warning',
        span: input.version.span,
        message: `HikariCP version '${input.version.version}' is not a version number, so version-dependent defaults are treated as unknown`,
      });
    }
  }
  const versionLabel = known ? input.version?.version : undefined;

  // Bind every key to its setter (or to dataSourceProperties).
  const bound = new Map<string, Written[]>();
  const unbound: Written[] = [];
  const dataSource: Written[] = [];
  for (const w of written) {
    if (w.hikariKey.startsWith(DATA_SOURCE_PREFIX)) {
      dataSource.push(w);
      continue;
    }
    const canonical = canonicalOf(w.hikariKey);
    if (canonical) bound.set(canonical, [...(bound.get(canonical) ?? []), w]);
    else unbound.push(w);
  }
  for (const list of bound.values())
    list.sort((a, b) => a.entry.span.line - b.entry.span.line || a.entry.span.column - b.entry.span.column);

  // Evaluate the known version, or every representative whose setters accept all written keys.
  let evaluations: Evaluation[];
  if (known) {
    evaluations = [evaluate({ version: known, label: versionText(known) }, bound)];
  } else {
    const all = REPRESENTATIVES.map((r) => evaluate(r, bound));
    const loadable = all.filter((e) => e.missingKeys.length === 0);
    evaluations = loadable.length > 0 ? loadable : all;
  }

  const settings = new Map<string, Setting>();
  for (const key of NUMERIC_KEYS) {
    const s = numericSetting(key, evaluations, prefix, versionLabel);
    if (s) settings.set(key, s);
  }
  for (const [canonical, list] of bound) {
    if ((NUMERIC_KEYS as readonly string[]).includes(canonical) && settings.get(canonical)?.origin.kind === 'file') continue;
    const last = list[list.length - 1] as Written;
    const ambiguous = list.length > 1 && new Set(list.map((w) => w.entry.value)).size > 1;
    settings.set(canonical, {
      key: last.fileKey,
      canonicalKey: canonical,
      raw: last.entry.rawValue,
      text: last.entry.value,
      value: ambiguous
        ? {
            kind: 'unknown',
            reason: `${list.map((w) => w.fileKey).join(' and ')} each set ${canonical}; HikariCP applies them in hash order`,
          }
        : plainValue(canonical, last.entry.value),
      origin: fileOrigin(last.entry),
      overrides: [...list.slice(0, -1).flatMap((w) => [...w.earlier, w.entry]), ...last.earlier].map(fileOrigin),
    });
  }
  for (const w of [...unbound, ...dataSource]) {
    settings.set(w.hikariKey, {
      key: w.fileKey,
      canonicalKey: w.hikariKey,
      raw: w.entry.rawValue,
      text: w.entry.value,
      value: plainValue(undefined, w.entry.value),
      origin: fileOrigin(w.entry),
      overrides: w.earlier.map(fileOrigin),
    });
  }

  // Problems: keys HikariCP has no setter for.
  for (const w of unbound) {
    // An unknown key makes HikariConfig throw while loading the file (hikaricp.md, properties parsing).
    problems.push({
      severity: 'error',
      span: w.entry.keySpan,
      message:
        `HikariCP has no property ${w.hikariKey}; the pool fails to start (Property ${w.hikariKey} does not exist on target class ${TARGET_CLASS}).` +
        suggestion(w.hikariKey),
    });
  }
  for (const [canonical, list] of bound) {
    const info = KEY_INFO[canonical];
    const last = list[list.length - 1] as Written;
    if (known && !keyExists(canonical, known)) {
      const when =
        info?.since && !atLeast(known, info.since)
          ? `added in ${versionText(info.since)}`
          : `removed in ${versionText(info?.removedIn ?? [0, 0, 0])}`;
      problems.push({
        severity: 'error',
        span: last.entry.keySpan,
        message: `HikariCP ${versionText(known)} has no property ${last.hikariKey} (${when}); the pool fails to start (Property ${last.hikariKey} does not exist on target class ${TARGET_CLASS})`,
      });
    } else if (!known && info?.removedIn) {
      problems.push({
        severity: 'warning',
        span: last.entry.keySpan,
        message: `${last.fileKey} was removed in HikariCP ${versionText(info.removedIn)}: from that version the pool fails to start (Property ${last.hikariKey} does not exist on target class ${TARGET_CLASS})`,
      });
    }
    if (list.length > 1 && new Set(list.map((w) => w.entry.value)).size > 1) {
      problems.push({
        severity: 'warning',
        span: last.entry.keySpan,
        message: `${list.map((w) => w.fileKey).join(' and ')} each set ${canonical} with different values; HikariCP applies them in hash order, so which one wins is not known. Keep one`,
      });
    }
    if (info?.type === 'bool' && !hasPlaceholder(last.entry.value) && !/^(true|false)$/i.test(last.entry.value)) {
      problems.push({
        severity: 'warning',
        span: last.entry.valueSpan,
        message: `${last.fileKey}=${last.entry.value} is read as false: HikariCP uses Boolean.parseBoolean, which accepts only 'true'`,
      });
    }
  }

  // Problems: values that stop the pool (every version evaluated) or stop it only in some versions.
  for (const key of NUMERIC_KEYS) {
    const failing = evaluations.filter((e) => e.slots[key]?.fails);
    if (failing.length === 0) continue;
    const w = failing[0]?.slots[key]?.written;
    if (!w) continue;
    const exception = failing[0]?.slots[key]?.fails ?? '';
    const blank = /^\s|\s$/.test(w.entry.value) ? ' (note the blank space around the number)' : '';
    if (failing.length === evaluations.length) {
      problems.push({
        severity: 'error',
        span: w.entry.valueSpan,
        message: `HikariCP cannot use ${w.fileKey}=${w.entry.value}${blank}: ${exception}, so the pool does not start`,
      });
    } else {
      const fine = evaluations.filter((e) => !e.slots[key]?.fails).map((e) => e.release.label);
      problems.push({
        severity: 'warning',
        span: w.entry.valueSpan,
        message:
          `${w.fileKey}=${w.entry.value} stops HikariCP ${failing.map((e) => e.release.label).join(', ')} from starting (${exception}); ` +
          `only ${fine.join(', ')} accept it. Declare libraries.hikaricp in connlint.config.yaml or write plain milliseconds`,
      });
    }
  }

  // Problems from validate() itself (same in every version read).
  const textOf = (k: string): string | undefined => {
    const s = settings.get(k);
    return s?.origin.kind === 'file' && s.text ? s.text : undefined;
  };
  const spanOf = (k: string): Span | undefined => {
    const s = settings.get(k);
    return s ? settingSpan(s) : undefined;
  };
  const dsClass = textOf('dataSourceClassName');
  const driverClass = textOf('driverClassName');
  if (dsClass && driverClass) {
    problems.push({
      severity: 'error',
      span: spanOf('driverClassName') ?? fileSpan(path),
      message:
        'HikariCP cannot use driverClassName and dataSourceClassName together (IllegalStateException in validate()), so the pool does not start',
    });
  } else if (dsClass && textOf('jdbcUrl')) {
    problems.push({
      severity: 'warning',
      span: spanOf('jdbcUrl') ?? fileSpan(path),
      message: `HikariCP uses dataSourceClassName and ignores jdbcUrl (it logs "using dataSourceClassName and ignoring jdbcUrl")`,
    });
  }
  const poolName = textOf('poolName');
  const mbeans = settings.get('registerMbeans')?.value;
  if (poolName?.includes(':') && mbeans?.kind === 'bool' && mbeans.value) {
    problems.push({
      severity: 'error',
      span: spanOf('poolName') ?? fileSpan(path),
      message: `HikariCP rejects poolName '${poolName}' with registerMbeans=true (IllegalArgumentException: poolName cannot contain ':' when used with JMX), so the pool does not start`,
    });
  }

  const sorted = new Map([...settings.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const hasKeepalive = known
    ? keepaliveDefault(known) !== undefined
    : evaluations.some((e) => keepaliveDefault(e.release.version) !== undefined);
  const urlSource = dsClass ? (textOf('dataSource.url') ?? textOf('dataSource.URL') ?? textOf('dataSource.jdbcUrl')) : textOf('jdbcUrl');
  const engine = engineFromJdbc({
    ...(urlSource ? { jdbcUrl: urlSource } : {}),
    ...(driverClass ? { driverClassName: driverClass } : {}),
    ...(dsClass ? { dataSourceClassName: dsClass } : {}),
  });
  const firstHikariEntry = doc.entries.find((e) => {
    const name = e.key.startsWith(prefix) ? e.key.slice(prefix.length) : prefix === HIBERNATE_PREFIX ? HIBERNATE_MAPPED[e.key] : undefined;
    return name !== undefined && (name.startsWith(DATA_SOURCE_PREFIX) || canonicalOf(name) !== undefined);
  });
  const origin: Span = firstHikariEntry?.span ?? doc.entries[0]?.span ?? fileSpan(path);
  const name = textOf('poolName') ?? path;

  const pool: Pool = {
    id: `hikaricp:${path}${input.environment ? `#${input.environment}` : ''}`,
    library: 'hikaricp',
    name,
    ...(input.version ? { libraryVersion: input.version } : {}),
    ...(engine ? { engine: engine.engine, engineReason: engine.reason } : {}),
    ...(input.environment ? { environment: input.environment } : {}),
    origin,
    settings: sorted,
    idle: idleMechanisms(sorted, evaluations, hasKeepalive),
    validatesOnCheckout: { value: true, fact: 'hikaricp.md, Behaviour: checkout validation when idle > 500 ms' },
  };
  return { pool, problems };
}
