/**
 * A pool's `maxSize` (the most connections it opens at once) from the count setting that bounds it, shared by
 * the Java, JavaScript and Python pool interpreters. An unknown value (an environment variable, text a library does not
 * convert) stays unknown with its reason; a value a library reads as "no limit" is unbounded, said in the note.
 */
import type { PoolSize } from '../model/model.js';
import type { Setting } from '../model/setting.js';

/**
 * The convention the rule reads: a bound that is undefined with a known first setting is "no limit" (an accusation);
 * one whose first setting is unknown is not counted. So a bound not known for another reason (a value whose effect is
 * unverified, a replication whose node count is not known) carries its first setting as unknown, with the reason.
 */
export function unknownSize(size: PoolSize, reason: string): PoolSize {
  const [first, ...rest] = size.settings;
  const settings = first ? [{ ...first, value: { kind: 'unknown' as const, reason } }, ...rest] : [];
  return { value: undefined, settings, note: reason };
}

export interface SizeRules {
  /** A written value the library reads as "no limit" (mysql2 `connectionLimit: 0`): the words that say so. */
  unbounded?: (n: number) => string | undefined;
  /** A written value whose effect the knowledge base does not establish: the words that say so (the bound is unknown). */
  unverified?: (n: number) => string | undefined;
}

/** The count a setting holds, or why it is not known. */
export function countOf(s: Setting): { n: number } | { unknown: string } {
  const v = s.value;
  if (v.kind === 'count') return { n: v.value };
  if (v.kind === 'unknown') return { unknown: v.reason };
  return { unknown: `${s.key} is not a number` };
}

/** Is the setting a library default (not written anywhere)? The note says so, as messages must. */
function defaultWords(s: Setting): string {
  return s.origin.kind === 'library-default'
    ? `, the ${s.origin.library} default${s.origin.version ? ` for ${s.origin.version}` : ''}`
    : '';
}

/** The bound one count setting gives: `connectionLimit 10`, `pool.max 10, the knex default`, or unknown with the reason. */
export function poolSizeOf(setting: Setting, rules: SizeRules = {}): PoolSize {
  const settings = [setting];
  const c = countOf(setting);
  if ('unknown' in c) return { value: undefined, settings, note: `${setting.key} is not known here: ${c.unknown}` };
  const unbounded = rules.unbounded?.(c.n);
  if (unbounded) return { value: undefined, settings, note: `${setting.key} is ${c.n}: ${unbounded}` };
  const unverified = rules.unverified?.(c.n);
  if (unverified) return unknownSize({ value: undefined, settings }, `${setting.key} is ${c.n}: ${unverified}`);
  return { value: c.n, settings, note: `${setting.key} ${c.n}${defaultWords(setting)}` };
}

/** A bound that several pools of one configuration share (replication: one pool per node): the sum, with the reason. */
export function timesPools(size: PoolSize, pools: number, why: string): PoolSize {
  if (pools === 1) return size;
  return {
    ...size,
    value: size.value === undefined ? undefined : size.value * pools,
    note: `${size.note ?? ''}${size.note ? ' ' : ''}× ${pools} pools (${why})`,
  };
}
