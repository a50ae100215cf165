/*
 * The values of the assignments a setting replaced (last one wins), beside `Setting.overrides`, which keeps only
 * their origins. The conflicting-duplicate-setting rule needs the values to tell a real conflict
 * (`wait_timeout = 600` then `wait_timeout = 28800`) from a repetition (`600` then `600`, `1K` then `1024`).
 * Declared here, by module augmentation, until src/model/setting.ts has the field (issue 20 report).
 */

import type { Origin, Setting, Value } from '../../model/setting.js';

/** One earlier assignment of the same key: where, as written, and what it meant. */
export interface ReplacedAssignment {
  origin: Origin;
  /** As written (quotes included); null for a flag without value. */
  raw: string | null;
  /** The value as written (before any start-up clamp). */
  value: Value;
}

declare module '../../model/setting.js' {
  interface Setting {
    /** Earlier assignments of the same key this one replaced, oldest first, with their values (parallel to `overrides`). */
    replaced?: ReplacedAssignment[];
  }
}

/** The assignments a new one replaces: everything the previous one replaced, then the previous one itself. */
export function replacedOf(previous: Setting | undefined): { replaced?: ReplacedAssignment[] } {
  if (previous?.origin.kind !== 'file') return {};
  const value = previous.clamp?.written ?? previous.value;
  return { replaced: [...(previous.replaced ?? []), { origin: previous.origin, raw: previous.raw, value }] };
}
