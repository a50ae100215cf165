import { createHash } from 'node:crypto';
import type { ParseCache } from '../formats/format.js';

/**
 * Parse results kept between runs of one process, keyed by format, path and a hash of the text: an
 * editor that re-lints after one changed file re-parses that file only. A run without a cache passed
 * in gets a fresh one (nothing is shared between unrelated runs).
 */
export interface LintCache extends ParseCache {
  /** How many parses ran and how many were served from the cache, for tests and the benchmark. */
  readonly stats: { parsed: number; reused: number };
}

export function createLintCache(): LintCache {
  const entries = new Map<string, { hash: string; value: unknown }>();
  const stats = { parsed: 0, reused: 0 };
  return {
    stats,
    get<T>(format: string, path: string, text: string, parse: () => T): T {
      const key = `${format}\0${path}`;
      const hash = createHash('sha1').update(text).digest('hex');
      const held = entries.get(key);
      if (held && held.hash === hash) {
        stats.reused++;
        return held.value as T;
      }
      const value = parse();
      stats.parsed++;
      entries.set(key, { hash, value });
      return value;
    },
  };
}
