/**
 * What HikariConfig does with the values at start-up, per release: PropertyElf's number reading,
 * the setters' checks and `validateNumerics()` rewrites (hikaricp.md, "Effective-value order").
 */
import {
  type Version,
  KEY_INFO,
  atLeast,
  type Release,
  keyExists,
  hasOldIdleRules,
  keepaliveDefault,
  type Written,
  hasPlaceholder,
} from './keys.js';

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

export type N = bigint | null;
type B = boolean | null;

export const NUMERIC_KEYS = [
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
export type NumericKey = (typeof NUMERIC_KEYS)[number];

export const COUNT_KEYS = new Set<string>(['minimumIdle', 'maximumPoolSize']);

/** Internal "unset" value of maximumPoolSize and minimumIdle until validate() (HikariConfig constructor). */
const UNSET = -1n;

export interface Slot {
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

export interface Evaluation {
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

export function evaluate(release: Release, bound: Map<string, Written[]>): Evaluation {
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
    if (list.length > 1 && new Set(list.map((w) => w.text)).size > 1) {
      slot.reason = `${list.map((w) => w.fileKey).join(' and ')} each set ${key}; HikariCP applies them in hash order, so which one wins is not known`;
      continue;
    }
    const type = KEY_INFO[key]?.type === 'int' ? 'int' : 'long';
    const parsed = parseNumber(written.text, type, v);
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
