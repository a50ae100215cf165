/**
 * Durations written in the wrong unit in Java pool settings (java-pools.md, "Unit traps worth flagging";
 * spring-boot.md, "values whose magnitude suggests seconds in a millisecond key"). HikariCP, DBCP2 and
 * Tomcat JDBC read their timing keys in milliseconds, c3p0 in seconds; a value whose magnitude fits the
 * other unit is reported under `suspicious-duration-unit` with both readings.
 *
 * The thresholds are chosen so that a deliberate value stays silent:
 * - a milliseconds key is suspicious only when its value is one of the usual durations in seconds
 *   (30 s, 1, 2, 3, 4, 5, 10, 15, 20, 30, 40 min, 1, 2, 3, 4, 6, 8, 12, 24 h); all of them are either
 *   below 1000 (under a second, as milliseconds) or not a multiple of 1000 (so not whole seconds), so
 *   `30000` or `5000` stays silent;
 * - a seconds key is suspicious when its value is at least 10000 (2 h 46 min) and a multiple of 1000,
 *   which reads as whole seconds written in milliseconds (`20000` = 20 s, `1800000` = 30 min), while the
 *   usual long second values (`28800`, `86400`) are not multiples of 1000.
 */
import { formatDuration } from '../../model/duration.js';
import type { Problem } from '../../model/problem.js';
import type { Setting } from '../../model/setting.js';

export const COMMON_SECONDS: ReadonlySet<number> = new Set([
  30, 60, 120, 180, 240, 300, 600, 900, 1200, 1800, 2400, 3600, 7200, 10800, 14400, 21600, 28800, 43200, 86400,
]);

/** The whole number written (`+` allowed, as Java's parsers), or undefined for anything else. */
export function wholeNumber(text: string | null | undefined): number | undefined {
  const t = (text ?? '').trim();
  return /^\+?\d+$/.test(t) ? Number(t) : undefined;
}

/** A value in a milliseconds key that reads as seconds. */
export function msLooksLikeSeconds(n: number): boolean {
  return COMMON_SECONDS.has(n);
}

/** A value in a seconds key that reads as milliseconds. */
export function secondsLooksLikeMs(n: number): boolean {
  return n >= 10000 && n % 1000 === 0;
}

/**
 * `maxLifetime=1800 is 1.8 s in milliseconds, but reads as seconds (30 min)`: the headline of a
 * milliseconds key written like seconds; the caller adds what the library then does and the fix.
 */
export function msAsSecondsText(key: string, text: string, n: number): string {
  const ms = n < 1000 ? `${n} ms` : `${n} ms (${formatDuration(n)})`;
  return `${key}=${text} is ${ms}, a value that reads as seconds (${formatDuration(n * 1000)}): the key is in milliseconds`;
}

/** The advice for a milliseconds key written like seconds. */
export function msAsSecondsFix(key: string, n: number): string {
  return `If ${formatDuration(n * 1000)} was meant, write ${key}=${n * 1000}`;
}

/** The whole message for a seconds key written like milliseconds (c3p0). */
export function secondsAsMsMessage(library: string, key: string, text: string, n: number): string {
  return (
    `${key}=${text} is ${n} s (${formatDuration(n * 1000)}), a value that reads as milliseconds (${formatDuration(n)}): ` +
    `${library} reads this key in seconds, so it runs with ${formatDuration(n * 1000)}. If ${formatDuration(n)} was meant, write ${key}=${n / 1000}`
  );
}

/** The written settings of the given keys whose whole-number value `looks` flags, with that number. */
function flagged(settings: ReadonlyMap<string, Setting>, keys: readonly string[], looks: (n: number) => boolean) {
  const out: Array<{ s: Setting; span: Problem['span']; n: number }> = [];
  for (const key of keys) {
    const s = settings.get(key);
    if (s?.origin.kind !== 'file') continue;
    const n = wholeNumber(s.text);
    if (n !== undefined && looks(n)) out.push({ s, span: s.origin.span, n });
  }
  return out;
}

/** `suspicious-duration-unit` problems for the seconds keys of a pool (c3p0) written in milliseconds. */
export function secondsKeysWrittenAsMs(library: string, settings: ReadonlyMap<string, Setting>, keys: readonly string[]): Problem[] {
  return flagged(settings, keys, secondsLooksLikeMs).map(({ s, span, n }) => ({
    ruleId: 'suspicious-duration-unit',
    severity: 'warning',
    span,
    message: secondsAsMsMessage(library, s.key, s.text ?? '', n),
  }));
}

/**
 * `suspicious-duration-unit` problems for the milliseconds keys of a pool that uses a written value as
 * it is (DBCP2, Tomcat JDBC): the finding says what the pool runs with and what to write.
 */
export function msKeysWrittenAsSeconds(library: string, settings: ReadonlyMap<string, Setting>, keys: readonly string[]): Problem[] {
  return flagged(settings, keys, msLooksLikeSeconds).map(({ s, span, n }) => ({
    ruleId: 'suspicious-duration-unit',
    severity: 'warning',
    span,
    message: `${msAsSecondsText(s.key, s.text ?? '', n)}; ${library} runs with ${formatDuration(n)}. ${msAsSecondsFix(s.key, n)}`,
  }));
}
