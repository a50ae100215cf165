/**
 * Version ranges in which a Node library's defaults and behaviour stay the same, from the "Version
 * changes" tables of mysql2.md and typeorm.md. With the version unknown (or only partly known, `3.11`)
 * every range it may fall in is read, and what they disagree on is unknown, never assumed.
 */
import type { LibraryVersion } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { compareVer, rangeIntervals, type Ver } from '../js/semver-range.js';

export { compareVer, type Ver };

/** The first version of a range where nothing relevant changes, and its label for messages. */
export interface Range {
  from: Ver;
  label: string;
}

export function atLeast(v: Ver, min: Ver): boolean {
  return compareVer(v, min) >= 0;
}

/** Above every real version: the end of an unbounded range (`>=3.1.0`). */
const UNBOUNDED: Ver = [Number.MAX_SAFE_INTEGER, 0, 0];

/**
 * `3.11.1` -> [3.11.1, 3.11.2); `3.11` -> [3.11.0, 3.12.0); `3` -> [3.0.0, 4.0.0); a leading `v` or `=` is
 * allowed. A package.json range (`^3.9.0`, from the project's manifest) gives the versions it allows when they
 * form one interval (semver-range.ts); `>=3.1.0` ends above every version.
 */
export function versionInterval(text: string): { lo: Ver; hi: Ver } | undefined {
  const m = /^\s*[v=]?(\d+)(?:\.(\d+)(?:\.(\d+))?)?\s*$/.exec(text);
  if (!m) {
    const parts = rangeIntervals(text);
    const lo = parts?.[0]?.lo;
    if (!parts || !lo || parts.length !== 1) return undefined;
    return { lo, hi: parts[0]?.hi ?? UNBOUNDED };
  }
  const major = Number(m[1]);
  if (m[2] === undefined) return { lo: [major, 0, 0], hi: [major + 1, 0, 0] };
  const minor = Number(m[2]);
  if (m[3] === undefined) return { lo: [major, minor, 0], hi: [major, minor + 1, 0] };
  const patch = Number(m[3]);
  return { lo: [major, minor, patch], hi: [major, minor, patch + 1] };
}

export interface Candidate {
  /** The version the reading is made for (a range's first version, or the declared one). */
  ver: Ver;
  /** For messages: the declared version, or the range (`3.1.0–3.3.1`). */
  label: string;
}

/**
 * The ranges a declared version may fall in (all of them when it is unknown), each read at its first
 * version (or the declared one, when that is later). A version that is not a number reads every range,
 * with a warning.
 */
export function candidates(
  ranges: readonly Range[],
  library: string,
  version: LibraryVersion | undefined,
  problems: Problem[],
): { list: Candidate[]; known: boolean } {
  const all = ranges.map((r) => ({ ver: r.from, label: r.label }));
  if (!version) return { list: all, known: false };
  const iv = versionInterval(version.version);
  if (!iv) {
    problems.push({
      severity: 'warning',
      span: version.span,
      message: `${library} version '${version.version}' is not a version number, so its version-dependent defaults are treated as unknown`,
    });
    return { list: all, known: false };
  }
  const list: Candidate[] = [];
  ranges.forEach((r, i) => {
    const next = ranges[i + 1]?.from;
    // The range [r.from, next) overlaps [lo, hi).
    if (next && compareVer(next, iv.lo) <= 0) return;
    if (compareVer(r.from, iv.hi) >= 0) return;
    const ver = compareVer(r.from, iv.lo) >= 0 ? r.from : iv.lo;
    list.push({ ver, label: r.label });
  });
  if (list.length === 1 && list[0]) list[0] = { ver: list[0].ver, label: version.version };
  // A version older than every range read: the oldest range's facts are the nearest known.
  return list.length > 0 ? { list, known: list.length === 1 } : { list: all.slice(0, 1), known: false };
}

/** mysql2.md, "Version changes": the versions where a default or behaviour read here changes. */
export const MYSQL2_RANGES: readonly Range[] = [
  { from: [2, 0, 0], label: '2.0.0–2.0.1' },
  { from: [2, 0, 2], label: '2.0.2–2.0.x' },
  { from: [2, 1, 0], label: '2.1.0–3.0.x' },
  { from: [3, 1, 0], label: '3.1.0–3.3.1' },
  { from: [3, 3, 2], label: '3.3.2–3.3.4' },
  { from: [3, 3, 5], label: '3.3.5–3.11.0' },
  { from: [3, 11, 1], label: '3.11.1 and later' },
];
/** mysql2.md: mysql (mysqljs) 2.2.0 pings on getConnection; 2.4.0 adds acquireTimeout. */
export const MYSQL_RANGES: readonly Range[] = [
  { from: [2, 0, 0], label: '2.0.0–2.1.x' },
  { from: [2, 2, 0], label: '2.2.0–2.3.x' },
  { from: [2, 4, 0], label: '2.4.0 and later' },
];
/** mysql2.md, "Settings — mariadb" and "Version changes". */
export const MARIADB_RANGES: readonly Range[] = [
  { from: [2, 5, 0], label: '2.5.0–2.5.5' },
  { from: [2, 5, 6], label: '2.5.6–2.5.x' },
  { from: [3, 0, 0], label: '3.0.0' },
  { from: [3, 0, 1], label: '3.0.1' },
  { from: [3, 0, 2], label: '3.0.2–3.3.x' },
  { from: [3, 4, 0], label: '3.4.0' },
  { from: [3, 4, 1], label: '3.4.1–3.4.x' },
  { from: [3, 5, 0], label: '3.5.0 and later' },
];
/** typeorm.md, "Version changes": poolSize from 0.3.10; the mysql package dropped in 1.0.0. */
export const TYPEORM_RANGES: readonly Range[] = [
  { from: [0, 2, 0], label: '0.2.0–0.3.1' },
  { from: [0, 3, 2], label: '0.3.2–0.3.9' },
  { from: [0, 3, 10], label: '0.3.10–0.3.x' },
  { from: [1, 0, 0], label: '1.x' },
];
