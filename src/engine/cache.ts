import { createHash } from 'node:crypto';
import { isAbsolute, relative } from 'node:path';
import { toPosix } from '../discover/find-files.js';
import { createDiskSnapshot, type DiskSnapshot, forgetPath } from '../discover/tree-view.js';
import type { ParseCache } from '../formats/format.js';

/**
 * Parse results kept between runs of one process, keyed by format, path and a hash of the text: an
 * editor that re-lints after one changed file re-parses that file only. A run without a cache passed
 * in gets a fresh one (nothing is shared between unrelated runs).
 */
export interface LintCache extends ParseCache {
  /** How many parses ran and how many were served from the cache, for tests and the benchmark. */
  readonly stats: { parsed: number; reused: number };
  /**
   * With `keepDisk`: what the last run read from the disk under `root` (listings, file contents), for the next run.
   * Without it, undefined: every run reads the disk afresh.
   */
  disk(root: string): DiskSnapshot | undefined;
  /** The file or folder at `abs` changed on disk: the next run reads it (and the folders above it) again. */
  changed(abs: string): void;
  /** Everything on disk may have changed. */
  forgetDisk(): void;
  /** The engine's own state between runs, by name (`claims`): made by `make` on first use. */
  remember<T>(slot: string, make: () => T): T;
}

export interface LintCacheOptions {
  /**
   * Keep what was read from the disk between runs. Only for a caller told of every change on disk (a language server
   * whose client reports changed files), which calls `changed` for each: nothing else is read again.
   */
  keepDisk?: boolean;
}

export function createLintCache(options: LintCacheOptions = {}): LintCache {
  const entries = new Map<string, { hash: string; value: unknown }>();
  const stats = { parsed: 0, reused: 0 };
  let snapshot: DiskSnapshot | undefined;
  const slots = new Map<string, unknown>();
  return {
    remember<T>(slot: string, make: () => T): T {
      if (!slots.has(slot)) slots.set(slot, make());
      return slots.get(slot) as T;
    },
    stats,
    disk(root) {
      if (!options.keepDisk) return undefined;
      if (snapshot?.root !== root) snapshot = createDiskSnapshot(root);
      return snapshot;
    },
    changed(abs) {
      if (!snapshot) return;
      const rel = relative(snapshot.root, abs);
      if (rel === '') snapshot = undefined;
      else if (!rel.startsWith('..') && !isAbsolute(rel)) forgetPath(snapshot, toPosix(rel));
    },
    forgetDisk() {
      snapshot = undefined;
    },
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
