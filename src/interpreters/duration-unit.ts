/**
 * Durations written in the other unit (rule `suspicious-duration-unit`), for every interpreter: the Java pools
 * (HikariCP, DBCP2 and Tomcat JDBC in milliseconds, c3p0 in seconds), the JavaScript ones (knex/tarn, mysql2,
 * mariadb, Sequelize, Prisma) and the Python ones (SQLAlchemy, Django).
 *
 * What the knowledge base says ("Unit traps"):
 * - java-pools.md, "Unit traps worth flagging": c3p0 keys in millisecond-looking magnitudes
 *   (`maxIdleTime=1800000` = 20.8 days); DBCP/Tomcat keys in second-looking magnitudes
 *   (`minEvictableIdleTimeMillis=300` = 0.3 s, `maxAge=3600`).
 * - hikaricp.md and spring-boot.md ("values whose magnitude suggests seconds in a millisecond key"):
 *   `max-lifetime: 1800`, which HikariCP then resets to 1800000 because it is under 30000.
 * - knex-tarn.md: every knex/tarn duration is milliseconds; values that look like seconds
 *   (`idleTimeoutMillis: 30`, `acquireConnectionTimeout: 60`) are accepted, so a "< 1000 ms" warning is reasonable.
 * - sequelize.md: every `pool.*` duration is milliseconds; values under 100 (`idle: 30`) almost certainly meant
 *   seconds (`msWrittenAsSecondsBelow(n, 100)`).
 * - mysql2.md: the mariadb pool's `idleTimeout` is in seconds, every other duration in milliseconds; a
 *   mysql2-style `idleTimeout: 60000` means 16.7 hours.
 * - prisma.md: URL parameters are seconds; `pool_timeout=10000` or `connect_timeout=5000` are almost certainly
 *   milliseconds (`secondsWrittenAsMsFrom(n, 1000)`).
 * - sqlalchemy.md (`pool_recycle` in seconds) and django.md (`CONN_MAX_AGE` in seconds): the same
 *   millisecond-looking test as c3p0.
 *
 * The thresholds are chosen so that a deliberate value stays silent:
 * - a milliseconds key looks written in seconds when its value is a usual number of seconds: under 1000, 5, 10,
 *   15, 20, 30, 45, 90 or a multiple of 60 (`30` = 30 ms as written, 30 s as meant); from 1000, only the usual long
 *   durations 20, 30, 40 min, 1, 2, 3, 4, 6, 8, 12 and 24 h, none of which is a whole number of seconds in
 *   milliseconds (so `30000` or `5000` stays silent). Round millisecond values (100, 250, 500) stay silent;
 * - a seconds key looks written in milliseconds when its value is at least 10000 and a multiple of 1000
 *   (`20000` = 5 h 33 min as written, 20 s as meant), or at least 1000000 whatever it is (11.6 days or more),
 *   while the usual long second values (`28800`, `86400`) are not multiples of 1000.
 */
import { formatDuration } from '../model/duration.js';
import type { Problem } from '../model/problem.js';
import type { Setting } from '../model/setting.js';
import type { Span } from '../model/span.js';

/** Usual numbers of seconds under 1000 that are not a multiple of 60. */
const SHORT_SECONDS: ReadonlySet<number> = new Set([5, 10, 15, 20, 30, 45, 90]);

/** Usual long durations in seconds from 1000 up: 20, 30, 40 min; 1, 2, 3, 4, 6, 8, 12, 24 h. */
const LONG_SECONDS: ReadonlySet<number> = new Set([1200, 1800, 2400, 3600, 7200, 10800, 14400, 21600, 28800, 43200, 86400]);

/** The whole number written (`+` allowed, as Java's parsers), or undefined for anything else. */
export function wholeNumber(text: string | null | undefined): number | undefined {
  const t = (text ?? '').trim();
  return /^\+?\d+$/.test(t) ? Number(t) : undefined;
}

/** A value in a milliseconds key that reads as a usual number of seconds. */
export function msLooksLikeSeconds(n: number): boolean {
  if (!Number.isInteger(n) || n <= 0) return false;
  return n < 1000 ? SHORT_SECONDS.has(n) || n % 60 === 0 : LONG_SECONDS.has(n);
}

/** A value in a seconds key that reads as milliseconds. */
export function secondsLooksLikeMs(n: number): boolean {
  return Number.isInteger(n) && ((n >= 10_000 && n % 1000 === 0) || n >= 1_000_000);
}

/** A unit slip: the value as read, as most likely meant, and what to write. */
export interface UnitSlip {
  /** The value as the library reads it, in milliseconds. */
  readMs: number;
  /** The value as it was most likely meant, in milliseconds. */
  meantMs: number;
  /** What to write instead, in the key's own unit. */
  writeInstead: number;
}

function secondsSlip(n: number): UnitSlip {
  return { readMs: n * 1000, meantMs: n, writeInstead: Math.max(1, Math.round(n / 1000)) };
}

function msSlip(n: number): UnitSlip {
  return { readMs: n, meantMs: n * 1000, writeInstead: n * 1000 };
}

/** A seconds key holding what looks like milliseconds. */
export function secondsWrittenAsMs(n: number): UnitSlip | undefined {
  return secondsLooksLikeMs(n) ? secondsSlip(n) : undefined;
}

/** A seconds key whose every value from `limit` up is milliseconds by mistake (Prisma's timeouts: 1000). */
export function secondsWrittenAsMsFrom(n: number, limit: number): UnitSlip | undefined {
  return Number.isInteger(n) && n >= limit ? secondsSlip(n) : undefined;
}

/** A milliseconds key holding what looks like seconds. */
export function msWrittenAsSeconds(n: number): UnitSlip | undefined {
  return msLooksLikeSeconds(n) ? msSlip(n) : undefined;
}

/** A milliseconds key whose every positive value under `limit` is seconds by mistake (Sequelize's `idle`: 100). */
export function msWrittenAsSecondsBelow(n: number, limit: number): UnitSlip | undefined {
  return Number.isFinite(n) && n > 0 && n < limit ? msSlip(n) : undefined;
}

/**
 * The message: `key is N, which LIBRARY reads in UNIT (read); as OTHER UNIT it would be (meant), the
 * usual intent. what. Write X` with both readings in human units.
 */
export interface UnitSlipText {
  key: string;
  written: number;
  library: string;
  unit: 's' | 'ms';
  slip: UnitSlip;
  /** What the value as read does, e.g. "idle connections are closed as soon as they are released". */
  effect: string;
  /** Knowledge-base citation, e.g. "knex-tarn.md, Settings". */
  fact: string;
}

export function unitSlipMessage(o: UnitSlipText): string {
  const unitName = o.unit === 's' ? 'seconds' : 'milliseconds';
  const otherName = o.unit === 's' ? 'milliseconds' : 'seconds';
  return `${o.key} is ${o.written}, which ${o.library} reads in ${unitName} (${formatDuration(o.slip.readMs)}); in ${otherName} it would be ${formatDuration(o.slip.meantMs)}, almost surely what was meant: ${o.effect} (${o.fact}). Write ${o.slip.writeInstead} for ${formatDuration(o.slip.meantMs)}`;
}

/** The `suspicious-duration-unit` problem at the value's span. */
export function unitSlipProblem(span: Span, o: UnitSlipText): Problem {
  return { severity: 'warning', ruleId: 'suspicious-duration-unit', span, message: unitSlipMessage(o) };
}

// ---------------------------------------------------------------------------------------------------
// The Java pools' wording (HikariCP adds what its start-up rewrite then does).

/**
 * `maxLifetime=1800 is 1800 ms (1.8 s), a value that reads as seconds (30 min): the key is in milliseconds`:
 * the headline of a milliseconds key written like seconds; the caller adds what the library then does and the fix.
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
    `${library} reads this key in seconds, so it runs with ${formatDuration(n * 1000)}. If ${formatDuration(n)} was meant, write ${key}=${Math.max(1, Math.round(n / 1000))}`
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
