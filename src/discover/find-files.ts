import { isAbsolute, relative, sep } from 'node:path';
import { compareText } from '../model/sort-order.js';
import type { TreeView } from './file-tree.js';
import { coversDirectory, globToRegExp, matchesAny } from './glob.js';
import { type DiskSnapshot, type EntryKind, LexicalTree, type Resolution, type SkipReason, viewOf } from './tree-view.js';

export { MAX_FILE_BYTES } from './tree-view.js';

/** Directories that never hold a project's own configuration. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** What the engine wants done with a path, decided from the path alone (cheap): read its bytes, only list it (templates such as my.cnf.j2), or ignore it. */
export type Wanted = 'read' | 'list' | undefined;

export interface DiscoverOptions {
  /** Absolute scanned root. */
  root: string;
  /** Absolute files or directories inside the root. */
  targets: string[];
  /** Globs (glob.ts) over POSIX paths relative to the root. */
  include: string[];
  exclude: string[];
  /** Absolute container path -> directory relative to the root (`/etc/mysql` -> `docker/mysql`), from the user's config. */
  mounts: Record<string, string>;
  /** Asked once per file path (relative to the root, POSIX) before anything is read. */
  wanted(path: string): Wanted;
  /** Unsaved buffers by path relative to the root (POSIX): read instead of the disk's file, listed even when the disk has none. */
  overlays?: ReadonlyMap<string, string>;
  /** Test hook: reorders each directory's entries before they are visited (the result must not depend on it). */
  order?: (names: string[]) => string[];
  /** What earlier runs read from this root's disk and that has not changed since (the language server's); filled in as the walk reads. */
  disk?: DiskSnapshot;
  /**
   * Asked once for each file read, with its bytes: why the engine will not use them, or undefined. A file turned away
   * is listed with the reason and without its bytes, which are not kept (a parser that asks for it later reads it
   * again; the view's `turnedAway` tells it so first): most files of a large tree are source files that name no
   * setting, and holding them all is most of a run's memory. Not for a walk with a disk snapshot, which keeps every
   * read for the next run.
   */
  turnAway?(path: string, bytes: Buffer): string | undefined;
}

export interface DiscoveredFile {
  /** Relative to the root, POSIX separators; a followed link keeps its own path. */
  path: string;
  /** Present when the engine wanted the file read and it was read. */
  bytes?: Buffer;
  /** The engine wanted the file only listed. */
  listedOnly?: true;
  /** Read, then turned away (`turnAway`): why; the bytes are not kept. */
  notRead?: string;
}

export type SkipRule = 'unreadable-path' | 'file-too-large' | 'binary-file' | 'link-not-followed';

/** A path discovery did not read, with the reason: nothing is skipped in silence. */
export interface Skipped {
  ruleId: SkipRule;
  path: string;
  message: string;
}

export interface Discovery {
  /** Sorted by path. */
  files: DiscoveredFile[];
  /** Sorted by path, then rule. */
  skipped: Skipped[];
  /** The tree for parsers that follow references, sharing the walk's reads. */
  view: TreeView;
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/**
 * Walks the targets with readdir's file types (no stat per entry), asks `wanted` for every file
 * path, and reads the wanted ones once. Links are followed by name inside the root (tree-view.ts);
 * a directory link is not walked, since its target is walked under its own name when inside the root.
 */
export function discoverFiles(options: DiscoverOptions): Discovery {
  const tree = new LexicalTree(options.root, options.mounts, options.overlays, options.disk);
  // Nothing on the disk changed since the same walk (the language server between keystrokes): replay its decisions,
  // reading again only what is read (an overlay's new text; the disk's from the snapshot).
  const key = options.disk && !options.order ? walkKey(options) : undefined;
  const held = key === undefined ? undefined : (options.disk?.walks.get(key) as Walk | undefined);
  let walk: Walk;
  if (held?.wanted === options.wanted) {
    walk = held;
    tree.shareResolutions(held.resolutions);
  } else {
    const resolutions = new Map<string, Resolution>();
    tree.shareResolutions(resolutions);
    walk = { ...walkTree(options, tree), resolutions };
  }
  if (key !== undefined && walk !== held) options.disk?.walks.set(key, walk);
  const files: DiscoveredFile[] = [];
  const skipped: Skipped[] = [];
  for (const d of walk.decisions) {
    if ('skip' in d) skipped.push({ ruleId: d.skip.ruleId, path: d.path, message: d.skip.message });
    else if ('list' in d) files.push({ path: d.path, listedOnly: true });
    else {
      const outcome = tree.read(d.real);
      if ('bytes' in outcome) {
        const notRead = options.disk ? undefined : options.turnAway?.(d.path, outcome.bytes);
        if (notRead === undefined) files.push({ path: d.path, bytes: outcome.bytes });
        else {
          files.push({ path: d.path, notRead });
          tree.turnAway(d.real);
        }
      } else skipped.push({ ruleId: outcome.ruleId, path: d.path, message: outcome.message });
    }
  }
  files.sort((a, b) => compareText(a.path, b.path));
  skipped.sort((a, b) => compareText(a.path, b.path) || compareText(a.ruleId, b.ruleId) || compareText(a.message, b.message));
  return { files, skipped, view: viewOf(tree, new Set(skipped.map((s) => s.path))) };
}

/** What the walk decided for each path: list it, read it (at its path without links), or report it. */
type Decision = { path: string; list: true } | { path: string; real: string } | { path: string; skip: SkipReason };

interface Walk {
  wanted: DiscoverOptions['wanted'];
  decisions: Decision[];
  /** Where paths led: the same for every run that replays the walk (links, listings and overlay paths unchanged). */
  resolutions: Map<string, Resolution>;
}

/** Everything a walk's decisions depend on besides the disk and `wanted`: the same key, the same walk. */
function walkKey(options: DiscoverOptions): string {
  return JSON.stringify([
    options.root,
    options.targets,
    options.include,
    options.exclude,
    options.mounts,
    [...(options.overlays?.keys() ?? [])].sort(),
  ]);
}

function walkTree(options: DiscoverOptions, tree: LexicalTree): Omit<Walk, 'resolutions'> {
  const include = options.include.map(globToRegExp);
  const exclude = options.exclude.map(globToRegExp);
  const decisions: Decision[] = [];
  // Files the user named: the walk meets each other path once (each directory is walked once, under one name), so
  // only these can be met twice, named and then walked.
  const named = new Set<string>();
  const walkedDirs = new Set<string>();

  const report = (path: string, reason: SkipReason): void => {
    decisions.push({ path, skip: { ruleId: reason.ruleId, message: reason.message } });
  };

  const consider = (path: string, explicit: boolean, resolve: () => Resolution): void => {
    if (named.has(path)) return;
    if (explicit) named.add(path);
    if (matchesAny(path, exclude)) return;
    if (!explicit && include.length > 0 && !matchesAny(path, include)) return;
    const want = options.wanted(path);
    if (want !== 'read' && want !== 'list') return;
    const found = resolve();
    // A directory link is not reported: its target is walked under its own name when inside the root.
    if (found.kind === 'dir') return;
    if (found.kind === 'failed') report(path, found);
    else if (found.kind === 'other') report(path, { ruleId: 'unreadable-path', message: 'cannot read file: not a regular file' });
    else if (want === 'list') decisions.push({ path, list: true });
    else decisions.push({ path, real: found.real });
  };

  // Iterative, so a deep tree cannot overflow the stack.
  const walk = (start: string): void => {
    const pending = [start];
    for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
      if (walkedDirs.has(dir)) continue;
      walkedDirs.add(dir);
      const listing = tree.list(dir);
      if ('error' in listing) {
        report(dir, { ruleId: 'unreadable-path', message: `cannot read directory: ${listing.error}` });
        continue;
      }
      const names = [...listing.entries.keys()];
      for (const name of options.order ? options.order(names) : names) {
        const kind: EntryKind | undefined = listing.entries.get(name);
        if (kind === undefined) continue;
        const path = dir === '.' ? name : `${dir}/${name}`;
        if (kind === 'dir') {
          if (!SKIPPED_DIRS.has(name) && !coversDirectory(path, exclude)) pending.push(path);
        } else if (kind === 'link') consider(path, false, () => tree.resolve(path));
        else consider(path, false, () => ({ kind, real: path }));
      }
    }
  };

  // Named files first, so whether the include globs apply to a file does not depend on the order of the targets.
  const directories: string[] = [];
  for (const target of options.targets) {
    const rel = toPosix(relative(options.root, target)) || '.';
    if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) {
      report(rel, { ruleId: 'unreadable-path', message: 'cannot read path: outside the scanned directory' });
      continue;
    }
    const found = tree.resolve(rel);
    if (found.kind === 'dir') directories.push(found.real);
    else if (found.kind === 'failed') {
      // The user named this path: a link not followed or a missing path is reported whatever its name.
      if (!named.has(rel)) report(rel, found);
      named.add(rel);
    } else consider(rel, true, () => found);
  }
  for (const dir of directories) walk(dir);
  return { wanted: options.wanted, decisions };
}
