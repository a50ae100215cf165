import { formatDuration } from '../../model/duration.js';
import type { Problem } from '../../model/problem.js';
import type { Span } from '../../model/span.js';

/**
 * Unit slips in duration keys (rule `suspicious-duration-unit`), shared by the JS and Python interpreters.
 *
 * A seconds key looks written in milliseconds when its value is at least 10000 and a multiple of 1000
 * (`pool_recycle=1800000`: 20.8 days as written, 30 min as meant), or at least 1000000 whatever it is
 * (11.6 days or more). A milliseconds key looks written in seconds when its value is a usual number of
 * seconds under 1000: 5, 10, 15, 20, 30, 45, 90 or a multiple of 60 (`idleTimeoutMillis: 30`: 30 ms as
 * written, 30 s as meant). Round millisecond values such as 100, 250 or 500 stay silent.
 */
export interface UnitSlip {
  /** The value as the library reads it, in milliseconds. */
  readMs: number;
  /** The value as it was most likely meant, in milliseconds. */
  meantMs: number;
  /** What to write instead, in the key's own unit. */
  writeInstead: number;
}

const SECONDS_LIKE = new Set([5, 10, 15, 20, 30, 45, 90]);

/** A seconds key holding what looks like milliseconds. */
export function secondsWrittenAsMs(n: number): UnitSlip | undefined {
  if (!Number.isFinite(n) || !Number.isInteger(n)) return undefined;
  if (!((n >= 10_000 && n % 1000 === 0) || n >= 1_000_000)) return undefined;
  return { readMs: n * 1000, meantMs: n, writeInstead: Math.max(1, Math.round(n / 1000)) };
}

/** A milliseconds key holding what looks like seconds. */
export function msWrittenAsSeconds(n: number): UnitSlip | undefined {
  if (!Number.isInteger(n) || n <= 0 || n >= 1000) return undefined;
  if (!(SECONDS_LIKE.has(n) || n % 60 === 0)) return undefined;
  return { readMs: n, meantMs: n * 1000, writeInstead: n * 1000 };
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
