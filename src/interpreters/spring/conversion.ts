/**
 * How Spring Boot turns a configuration value into the type of the pool's setter, and when it cannot
 * (spring-boot.md: "a value the setter type cannot parse stops the application at start-up";
 * `ignoreInvalidFields` false; "Converting Durations"). The conversions, read from Spring's source:
 * - numbers: `NumberUtils.parseNumber` removes every blank, decodes hex (`0x`, `0X`, `#`) with
 *   `Long.decode`, else `Long.valueOf`/`Integer.valueOf` (sign allowed, no unit, no `_`): `30m` fails;
 * - booleans: `StringToBooleanConverter` trims and accepts `true/on/yes/1` and `false/off/no/0` in any
 *   case, anything else fails (`Invalid boolean value`);
 * - `java.time.Duration` setters (DBCP2 2.10+ only): `10s`, `5m`, `PT30S`, a bare number is milliseconds;
 * - an empty value converts to null, which binds nothing.
 * YAML is read by SnakeYAML with YAML 1.1 types before Boot converts, so a plain `1_800_000` or `0x1B`
 * is already a number there (SnakeYAML's Resolver), while a quoted one is a string.
 */

export type SetterType = 'int' | 'long' | 'boolean' | 'duration' | 'string';

export type Converted = { kind: 'value'; text: string } | { kind: 'empty' } | { kind: 'fails'; javaType: string; cause: string };

const JAVA_TYPE: Record<SetterType, string> = {
  int: 'int',
  long: 'long',
  boolean: 'boolean',
  duration: 'java.time.Duration',
  string: 'java.lang.String',
};

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);
const INT_MAX = 2n ** 31n - 1n;
const INT_MIN = -(2n ** 31n);

/** YAML 1.1 integers as SnakeYAML resolves a plain scalar (Resolver.INT), or undefined. */
function yamlInteger(text: string): bigint | undefined {
  const t = text.replace(/_/g, '');
  let m = /^([-+]?)0b([01]+)$/.exec(t);
  if (m) return signed(m[1], BigInt(`0b${m[2]}`));
  m = /^([-+]?)0x([0-9a-fA-F]+)$/.exec(t);
  if (m) return signed(m[1], BigInt(`0x${m[2]}`));
  m = /^([-+]?)0([0-7]+)$/.exec(t);
  if (m) return signed(m[1], BigInt(`0o${m[2]}`));
  m = /^([-+]?)(0|[1-9][0-9]*)$/.exec(t);
  if (m) return signed(m[1], BigInt(m[2] as string));
  m = /^([-+]?)([1-9][0-9]*(?::[0-5]?[0-9])+)$/.exec(t);
  if (m)
    return signed(
      m[1],
      (m[2] as string).split(':').reduce((acc, part) => acc * 60n + BigInt(part), 0n),
    );
  return undefined;
}

function signed(sign: string | undefined, n: bigint): bigint {
  return sign === '-' ? -n : n;
}

/** Is this YAML scalar plain (not quoted, not a block scalar), so SnakeYAML types it? */
export function isPlainYaml(raw: string | null): boolean {
  return raw !== null && !/^["'|>]/.test(raw);
}

function numberFails(text: string, javaType: string): Converted {
  return { kind: 'fails', javaType, cause: `java.lang.NumberFormatException: For input string: "${text.replace(/\s/g, '')}"` };
}

function toNumber(text: string, type: 'int' | 'long', yaml: boolean): Converted {
  const [min, max] = type === 'int' ? [INT_MIN, INT_MAX] : [LONG_MIN, LONG_MAX];
  if (yaml) {
    const n = yamlInteger(text);
    // A YAML integer reaches the setter as a number; Boot narrows it (overflow is refused).
    if (n !== undefined) return n < min || n > max ? numberFails(text, type) : { kind: 'value', text: String(n) };
    // A YAML float (`1.8e+6`) is a Double, which Boot narrows with longValue() (truncation).
    const f = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$/.test(text) ? Number(text.replace(/_/g, '')) : Number.NaN;
    if (Number.isFinite(f) && /[0-9]/.test(text)) {
      const truncated = BigInt(Math.trunc(f));
      return truncated < min || truncated > max ? numberFails(text, type) : { kind: 'value', text: String(truncated) };
    }
  }
  const t = text.replace(/\s/g, '');
  if (t === '') return { kind: 'empty' };
  const hex = /^(-?)(?:0[xX]|#)([0-9a-fA-F]+)$/.exec(t);
  let n: bigint | undefined;
  if (hex) n = signed(hex[1], BigInt(`0x${hex[2]}`));
  else if (/^[+-]?[0-9]+$/.test(t)) n = BigInt(t);
  if (n === undefined || n < min || n > max) return numberFails(text, type);
  return { kind: 'value', text: String(n) };
}

function toBoolean(text: string): Converted {
  const t = text.trim().toLowerCase();
  if (t === '') return { kind: 'empty' };
  if (['true', 'on', 'yes', '1'].includes(t)) return { kind: 'value', text: 'true' };
  if (['false', 'off', 'no', '0'].includes(t)) return { kind: 'value', text: 'false' };
  return { kind: 'fails', javaType: 'boolean', cause: `java.lang.IllegalArgumentException: Invalid boolean value '${text}'` };
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };

/** Boot's DurationStyle: simple (`30s`, bare number = ms) or ISO-8601 (`PT30M`); milliseconds, or undefined. */
export function parseBootDuration(text: string): number | undefined {
  const t = text.trim();
  const simple = /^([+-]?\d+)([a-zA-Z]{0,2})$/.exec(t);
  if (simple) {
    const unit = DURATION_UNITS[(simple[2] ?? '').toLowerCase() || 'ms'];
    return unit === undefined ? undefined : Number(simple[1]) * unit;
  }
  const iso = /^([+-]?)P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(t);
  if (iso && /\d/.test(t)) {
    const ms = Number(iso[2] ?? 0) * 86400000 + Number(iso[3] ?? 0) * 3600000 + Number(iso[4] ?? 0) * 60000 + Number(iso[5] ?? 0) * 1000;
    return iso[1] === '-' ? -ms : ms;
  }
  return undefined;
}

function toDuration(text: string, yaml: boolean): Converted {
  if (yaml) {
    const n = yamlInteger(text);
    if (n !== undefined) return { kind: 'value', text: String(n) };
  }
  if (text.trim() === '') return { kind: 'empty' };
  const ms = parseBootDuration(text);
  if (ms === undefined || !Number.isFinite(ms)) {
    return { kind: 'fails', javaType: JAVA_TYPE.duration, cause: `java.lang.IllegalArgumentException: '${text}' is not a valid duration` };
  }
  return { kind: 'value', text: String(Math.trunc(ms)) };
}

/**
 * The text the setter receives, in its own unit (milliseconds for durations), or why Boot cannot
 * convert it. `yaml`: the value is a plain YAML scalar (typed by SnakeYAML first).
 */
export function convertForSetter(text: string, type: SetterType, yaml: boolean): Converted {
  switch (type) {
    case 'int':
    case 'long':
      return toNumber(text, type, yaml);
    case 'boolean':
      return toBoolean(text);
    case 'duration':
      return toDuration(text, yaml);
    case 'string':
      return { kind: 'value', text };
  }
}

export function javaTypeOf(type: SetterType): string {
  return JAVA_TYPE[type];
}

/** A value written with a time unit (`30m`, `1800s`, `PT30M`, `30 min`) in milliseconds, for advice; undefined otherwise. */
export function intendedMs(text: string): number | undefined {
  const t = text
    .trim()
    .replace(/\s*(min|mins|minutes?)$/i, 'm')
    .replace(/\s*(secs?|seconds?)$/i, 's')
    .replace(/\s*(hours?|hrs?)$/i, 'h');
  if (/^\d+$/.test(t)) return undefined;
  const ms = parseBootDuration(t.replace(/\s+/g, ''));
  return ms !== undefined && ms > 0 && Number.isFinite(ms) ? Math.trunc(ms) : undefined;
}
