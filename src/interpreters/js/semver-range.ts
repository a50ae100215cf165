/**
 * The versions a package.json dependency range allows, as half-open intervals [lo, hi) of release
 * versions, so that a version-dependent fact can apply when every version the range allows agrees on it
 * (`^3.9.0` is [3.9.0, 4.0.0): every such mysql2 has a fact that changed in 3.5; `^3.1.0` is not).
 *
 * The grammar is npm's (node-semver `Range`, without the `loose` option): exact and partial versions
 * (`1.2.3`, `=1.2.3`, `v1.2.3`, `1.2`, `1.x`, `1.2.*`), `^`, `~` (and `~>`), `<`, `<=`, `>`, `>=`,
 * hyphen ranges (`1.2.3 - 2.3`), space-separated comparators (all must hold), `||` unions. Only release
 * versions are counted, as `npm install` picks them (a prerelease is installed only when the range names
 * one), and a prerelease in a range reads as its release: `^7.0.0-alpha.9` allows [7.0.0, 8.0.0) of the
 * releases, exactly as node-semver says; `7.0.0-alpha.20` alone, which no release satisfies, reads as
 * [7.0.0, 7.0.1), the alpha belonging to 7.0.0 for our purposes (its behaviour is 7.0.0's, not 6.x's).
 *
 * Not understood (undefined): a wildcard major (`*`, `x`, `""`, `>=*`), dist-tags (`latest`), protocols
 * (`file:`, `git+…`, `workspace:*`, `npm:other@1`, URLs), anything malformed, and ranges no release
 * satisfies (`>2 <1`). A union is kept exactly, as its list of disjoint intervals (`rangeIntervals`);
 * `rangeInterval` gives the one interval only when the parts touch or overlap (`^2 || ^3` is [2.0.0,
 * 4.0.0)), never a hull over a gap (`^1 || ^3` has none), so an interval is always exactly the allowed set.
 */

/** A release version: major, minor, patch. */
export type Ver = readonly [number, number, number];

export function compareVer(a: Ver, b: Ver): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** [lo, hi): the release versions v with lo <= v < hi; hi undefined is unbounded. */
export interface Interval {
  lo: Ver;
  hi: Ver | undefined;
}

const ZERO: Ver = [0, 0, 0];
const NUM = '0|[1-9]\\d*';
const PART = `${NUM}|[xX*]`;
/** Prerelease identifiers: numeric ones without leading zeros, as node-semver requires. */
const PRE_ID = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const PRE = `${PRE_ID}(?:\\.${PRE_ID})*`;
const BUILD = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
/** A partial version after its operator: `v1.2.3-alpha.1+build`, `1.2`, `1.x`, `1.2.*` (node-semver's XRANGEPLAIN). */
const PARTIAL = new RegExp(`^[v=]*(${PART})(?:\\.(${PART})(?:\\.(${PART})(?:-(${PRE}))?(?:\\+(${BUILD}))?)?)?$`);
const COMPARATOR = /^(<=|>=|<|>|=|~>|~|\^)?(.*)$/;
const HYPHEN = /^\s*(\S+)\s+-\s+(\S+)\s*$/;

/** A version as written: numbers up to the first wildcard (or the end), and whether it names a prerelease. */
interface Partial {
  parts: number[];
  pre: boolean;
}

function partial(text: string): Partial | undefined {
  const m = PARTIAL.exec(text);
  if (!m) return undefined;
  const parts: number[] = [];
  let wild = false;
  for (const p of [m[1], m[2], m[3]]) {
    if (p === undefined) break;
    if (/^[xX*]$/.test(p)) wild = true;
    // A number after a wildcard (`1.x.3`): node-semver rejects it in some places and ignores it in others.
    else if (wild) return undefined;
    else parts.push(Number(p));
  }
  if (!parts.every(Number.isSafeInteger)) return undefined;
  return { parts, pre: parts.length === 3 && m[4] !== undefined };
}

/** The first version after everything `p` names: 1.2.3 -> 1.2.4, 1.2 -> 1.3.0, 1 -> 2.0.0. */
function after(parts: number[]): Ver {
  const [a = 0, b = 0, c = 0] = parts;
  return parts.length === 3 ? [a, b, c + 1] : parts.length === 2 ? [a, b + 1, 0] : [a + 1, 0, 0];
}
function first(parts: number[]): Ver {
  const [a = 0, b = 0, c = 0] = parts;
  return [a, b, c];
}

/** One comparator's releases; undefined when not understood (a wildcard major included). */
function comparator(op: string, p: Partial): Interval | undefined {
  const { parts, pre } = p;
  if (parts.length === 0) return undefined;
  const lo = first(parts);
  switch (op) {
    case '':
    case '=':
      return { lo, hi: after(parts) };
    case '>=':
      return { lo, hi: undefined };
    case '>':
      // The releases above 1.2.3-beta start at 1.2.3.
      return { lo: pre ? lo : after(parts), hi: undefined };
    case '<':
      return { lo: ZERO, hi: lo };
    case '<=':
      return { lo: ZERO, hi: pre ? lo : after(parts) };
    case '~':
    case '~>':
      return { lo, hi: parts.length === 1 ? after(parts) : after(parts.slice(0, 2)) };
    case '^': {
      // Up to the next change of the first non-zero part among those written (`^0.0` and `^0.0.x` are <0.1.0).
      const [a = 0, b = 0] = parts;
      if (a > 0 || parts.length === 1) return { lo, hi: after(parts.slice(0, 1)) };
      if (b > 0 || parts.length === 2) return { lo, hi: after(parts.slice(0, 2)) };
      return { lo, hi: after(parts) };
    }
    default:
      return undefined;
  }
}

function intersect(a: Interval, b: Interval): Interval {
  const lo = compareVer(a.lo, b.lo) >= 0 ? a.lo : b.lo;
  const hi = a.hi === undefined ? b.hi : b.hi === undefined ? a.hi : compareVer(a.hi, b.hi) <= 0 ? a.hi : b.hi;
  return { lo, hi };
}
function isEmpty(i: Interval): boolean {
  return i.hi !== undefined && compareVer(i.hi, i.lo) <= 0;
}

/** One `||` part: a hyphen range or space-separated comparators; null when no release satisfies it. */
function comparatorSet(text: string): Interval | null | undefined {
  const hyphen = HYPHEN.exec(text);
  if (hyphen) {
    const from = partial(hyphen[1] ?? '');
    const to = partial(hyphen[2] ?? '');
    const a = from && comparator('>=', from);
    const b = to && comparator('<=', to);
    if (!a || !b) return undefined;
    const i = intersect(a, b);
    return isEmpty(i) ? null : i;
  }
  // `>= 1.2.3` and `^ 1.2` are one comparator each.
  const words = text
    .trim()
    .replace(/(<=|>=|<|>|=|~>|~|\^)\s+/g, '$1')
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return undefined;
  let out: Interval = { lo: ZERO, hi: undefined };
  for (const w of words) {
    const m = COMPARATOR.exec(w);
    const p = m ? partial(m[2] ?? '') : undefined;
    const i = p && comparator(m?.[1] ?? '', p);
    if (!i) return undefined;
    out = intersect(out, i);
  }
  return isEmpty(out) ? null : out;
}

/**
 * The release versions `text` allows, as sorted disjoint intervals (adjacent or overlapping parts of a union
 * merged); undefined when the range is not understood or allows no release (see the module comment).
 */
export function rangeIntervals(text: string): Interval[] | undefined {
  const sets: Interval[] = [];
  for (const part of text.split('||')) {
    const i = comparatorSet(part);
    if (i === undefined) return undefined;
    if (i !== null) sets.push(i);
  }
  if (sets.length === 0) return undefined;
  sets.sort((a, b) => compareVer(a.lo, b.lo));
  const merged: Interval[] = [];
  for (const i of sets) {
    const last = merged[merged.length - 1];
    if (last && (last.hi === undefined || compareVer(i.lo, last.hi) <= 0)) {
      if (last.hi !== undefined && (i.hi === undefined || compareVer(i.hi, last.hi) > 0)) last.hi = i.hi;
    } else merged.push({ ...i });
  }
  return merged;
}

/** The half-open interval [lo, hi) of release versions `text` allows; undefined when not understood or when a union leaves a gap. */
export function rangeInterval(text: string): Interval | undefined {
  const list = rangeIntervals(text);
  return list?.length === 1 ? list[0] : undefined;
}

/** Whether `v` is in one of the intervals. */
export function inIntervals(v: Ver, intervals: readonly Interval[]): boolean {
  return intervals.some((i) => compareVer(v, i.lo) >= 0 && (i.hi === undefined || compareVer(v, i.hi) < 0));
}

/**
 * True when every release `text` allows is at least `min`, false when none is, undefined when some are and
 * some are not, or the range is not understood. An exact version is a range of one (`3.9.7`).
 */
export function rangeAtLeast(text: string, min: Ver): boolean | undefined {
  const list = rangeIntervals(text);
  if (!list) return undefined;
  if (list.every((i) => compareVer(i.lo, min) >= 0)) return true;
  if (list.every((i) => i.hi !== undefined && compareVer(i.hi, min) <= 0)) return false;
  return undefined;
}
