import { closeSync, constants, type Dirent, fstatSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import { posix, sep } from 'node:path';
import { compareText } from '../model/sort-order.js';
import type { TreeStats, TreeView } from './file-tree.js';
import type { SkipRule, Skipped } from './find-files.js';

/** Files larger than this are reported, not read: no real configuration file comes near it, and reading must stay bounded. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Links resolved in one lookup before giving up, as Linux does (MAXSYMLINKS, path_resolution(7)). */
const MAX_LINK_HOPS = 40;

/** What a directory entry is, from readdir's file types alone (no stat). */
export type EntryKind = 'file' | 'dir' | 'link' | 'other';

type Listing = { entries: ReadonlyMap<string, EntryKind> } | { error: string };

/**
 * What a tree read from the disk: directory listings, link targets and file contents by path without links. A
 * language server keeps one between runs (issue 21: a keystroke re-lints without walking the tree again) and
 * forgets the paths its client reports changed on disk; every other run starts with an empty one.
 */
export interface DiskSnapshot {
  readonly root: string;
  readonly listings: Map<string, Listing>;
  readonly links: Map<string, string | { error: string }>;
  readonly reads: Map<string, ReadOutcome>;
  /** The decisions of walks over this snapshot, by what they depend on (find-files.ts); any change forgets them. */
  readonly walks: Map<string, unknown>;
}

export function createDiskSnapshot(root: string): DiskSnapshot {
  return { root, listings: new Map(), links: new Map(), reads: new Map(), walks: new Map() };
}

/**
 * Forgets what the snapshot holds of `path` (relative to its root, POSIX) and of everything below it, and the
 * listings of the folders above it (a file created or removed changes them): the next run reads them again.
 */
export function forgetPath(snapshot: DiskSnapshot, path: string): void {
  snapshot.walks.clear();
  const below = `${path}/`;
  for (const map of [snapshot.listings, snapshot.links, snapshot.reads] as Array<Map<string, unknown>>) {
    map.delete(path);
    for (const key of map.keys()) if (key.startsWith(below)) map.delete(key);
  }
  const parts = path.split('/');
  for (let i = 0; i < parts.length; i++) snapshot.listings.delete(i === 0 ? '.' : parts.slice(0, i).join('/'));
  // A link anywhere may lead to the path: links are few, so all of them are read again.
  if (snapshot.links.size > 0) {
    snapshot.links.clear();
    snapshot.reads.clear();
  }
}

/** A skip decided by the tree: the walk or the view adds the path it was asked about. */
export interface SkipReason {
  ruleId: SkipRule;
  message: string;
}

export type ReadOutcome = { bytes: Buffer } | SkipReason;

/**
 * Where a path leads inside the tree. `real` is the same file or directory named without any link
 * (`.` for the root). A failure that is only "there is nothing at this path" (no link involved) is
 * marked `absent`: a probe, not something to report.
 */
export type Resolution = { kind: 'file' | 'dir' | 'other'; real: string } | ({ kind: 'failed'; absent?: true } & SkipReason);

/** The link target that put a path component on the queue, for messages. */
interface Origin {
  target: string;
  /** For an absolute target: what the mounts made of it. */
  mapped?: string;
}

interface Step {
  part: string;
  origin: Origin | undefined;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

function kindOf(entry: Dirent): EntryKind {
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  if (entry.isSymbolicLink()) return 'link';
  return 'other';
}

/** A link target that names a path from the file system root: `/etc/x`, `\x`, `C:\x`. */
function isAbsoluteTarget(target: string): boolean {
  return target.startsWith('/') || target.startsWith('\\') || /^[A-Za-z]:/.test(target);
}

/** Mount keys as my-cnf-tree normalizes them: no trailing slash; values relative to the root. */
function normalizeMounts(mounts: Record<string, string>): Array<[string, string]> {
  return Object.entries(mounts)
    .map(([from, to]): [string, string] => {
      const key = posix.normalize(from);
      return [key.length > 1 && key.endsWith('/') ? key.slice(0, -1) : key, posix.normalize(to.replace(/^\/+/, '') || '.')];
    })
    .sort((a, b) => b[0].length - a[0].length || compareText(a[0], b[0]));
}

/** Queues the components of `path` so that its first component is popped first. */
function pushParts(pending: Step[], path: string, origin: Origin | undefined): void {
  const parts = path.split('/');
  for (let i = parts.length - 1; i >= 0; i--) pending.push({ part: parts[i] as string, origin });
}

function missing(origin: Origin | undefined, code: string): Resolution {
  if (!origin) return { kind: 'failed', absent: true, ruleId: 'unreadable-path', message: `cannot read path: ${code}` };
  if (origin.mapped !== undefined) {
    return {
      kind: 'failed',
      ruleId: 'link-not-followed',
      message: `not followed: absolute target ${origin.target} maps to ${origin.mapped}, which is not in the scanned directory`,
    };
  }
  return { kind: 'failed', ruleId: 'link-not-followed', message: `not followed: target ${origin.target} does not exist` };
}

function outside(origin: Origin | undefined): Resolution {
  if (!origin)
    return { kind: 'failed', absent: true, ruleId: 'unreadable-path', message: 'cannot read path: outside the scanned directory' };
  return { kind: 'failed', ruleId: 'link-not-followed', message: `not followed: target ${origin.target} is outside the scanned directory` };
}

/**
 * The scanned tree, resolved lexically: directory entries come from readdir's file types, links are
 * read with readlink and followed by name inside the root, never through the machine running
 * connlint (no realpath, no stat of a link target). An absolute target is looked up only through the
 * configured mounts, so a tree gives the same result on every machine. Listings, link targets and
 * file contents are cached: nothing is read twice.
 */
export class LexicalTree {
  /** Listings with the overlays' entries added, for this run only. */
  private readonly merged = new Map<string, Listing>();
  private resolutions = new Map<string, Resolution>();
  /** Overlays read in this run (they never enter the snapshot). */
  private readonly overlayReads = new Map<string, ReadOutcome>();
  private readonly disk: DiskSnapshot;
  private readonly mounts: Array<[string, string]>;
  private readonly counts: TreeStats = { filesOpened: 0, directoriesListed: 0, linksRead: 0 };
  private readonly rootPrefix: string;
  /** Files discovery turned away in this run, by path without links. */
  private readonly turned = new Set<string>();
  /** Unsaved editor buffers (`--stdin`, the language server) by path without links: they replace the disk's file. */
  private readonly overlays: ReadonlyMap<string, Buffer>;
  /** The entries the overlays add to each directory (a new file, and the folders leading to it). */
  private readonly virtual = new Map<string, Map<string, EntryKind>>();

  constructor(
    private readonly root: string,
    mounts: Record<string, string>,
    overlays: ReadonlyMap<string, string> = new Map(),
    disk?: DiskSnapshot,
  ) {
    this.disk = disk && disk.root === root ? disk : createDiskSnapshot(root);
    this.rootPrefix = root.endsWith(sep) ? root : root + sep;
    this.mounts = normalizeMounts(mounts);
    this.overlays = new Map([...overlays].map(([path, text]) => [path, Buffer.from(text, 'utf8')]));
    for (const path of this.overlays.keys()) {
      const parts = path.split('/');
      for (let i = 0; i < parts.length; i++) {
        const dir = i === 0 ? '.' : parts.slice(0, i).join('/');
        const children = this.virtual.get(dir) ?? new Map<string, EntryKind>();
        children.set(parts[i] as string, i === parts.length - 1 ? 'file' : 'dir');
        this.virtual.set(dir, children);
      }
    }
  }

  stats(): TreeStats {
    return { ...this.counts };
  }

  /** A path named without links (already normalized: no `.`, `..` or empty parts) made absolute, without `join`'s scan. */
  private abs(path: string): string {
    return path === '.' ? this.root : this.rootPrefix + path;
  }

  /** The entries of a directory named without links, in the order readdir gave them. */
  list(dir: string): Listing {
    const added = this.virtual.get(dir);
    if (!added) return this.listDisk(dir);
    const cached = this.merged.get(dir);
    if (cached) return cached;
    const listing = this.listDisk(dir);
    // An overlay is the file as the editor holds it: it shows even where the disk has no such file or folder yet.
    const entries = new Map('error' in listing ? [] : listing.entries);
    for (const [name, kind] of added) if (kind === 'file' || entries.get(name) !== 'dir') entries.set(name, kind);
    const merged = { entries };
    this.merged.set(dir, merged);
    return merged;
  }

  private listDisk(dir: string): Listing {
    const cached = this.disk.listings.get(dir);
    if (cached) return cached;
    this.counts.directoriesListed++;
    let listing: Listing;
    try {
      const entries = new Map<string, EntryKind>();
      for (const entry of readdirSync(this.abs(dir), { withFileTypes: true })) entries.set(entry.name, kindOf(entry));
      listing = { entries };
    } catch (error) {
      listing = { error: errorCode(error) };
    }
    this.disk.listings.set(dir, listing);
    return listing;
  }

  private readLink(path: string): string | { error: string } {
    const cached = this.disk.links.get(path);
    if (cached !== undefined) return cached;
    this.counts.linksRead++;
    let target: string | { error: string };
    try {
      target = readlinkSync(this.abs(path));
    } catch (error) {
      target = { error: errorCode(error) };
    }
    this.disk.links.set(path, target);
    return target;
  }

  /** Longest mount prefix wins; undefined when no mount covers the absolute path. */
  private mapMount(abs: string): string | undefined {
    for (const [from, to] of this.mounts) {
      if (abs === from) return to;
      const prefix = from === '/' ? '/' : `${from}/`;
      if (abs.startsWith(prefix)) return posix.join(to, abs.slice(prefix.length));
    }
    return undefined;
  }

  /**
   * Follows `path` (relative to the root, POSIX) component by component as the kernel would, with
   * the root as the top: `..` goes back to the directory the previous component really was, a
   * relative link target continues from the link's directory, an absolute one from its mount.
   */
  resolve(path: string): Resolution {
    const held = this.resolutions.get(path);
    if (held) return held;
    const found = this.follow(path);
    this.resolutions.set(path, found);
    return found;
  }

  /**
   * Where each path resolved, to share between runs over the same snapshot, mounts and overlay paths (find-files.ts
   * keeps one per walk it remembers). By default this run's own.
   */
  shareResolutions(resolutions: Map<string, Resolution>): void {
    this.resolutions = resolutions;
  }

  private follow(path: string): Resolution {
    const pending: Step[] = [];
    pushParts(pending, path, undefined);
    const real: string[] = [];
    let kind: EntryKind = 'dir';
    let hops = 0;
    for (let step = pending.pop(); step !== undefined; step = pending.pop()) {
      const { part, origin } = step;
      if (kind !== 'dir') return missing(origin, 'ENOTDIR');
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (real.length === 0) return outside(origin);
        real.pop();
        continue;
      }
      const here = real.length === 0 ? '.' : real.join('/');
      const listing = this.list(here);
      if ('error' in listing)
        return { kind: 'failed', ruleId: 'unreadable-path', message: `cannot read directory ${here}: ${listing.error}` };
      const entry = listing.entries.get(part);
      if (entry === undefined) return missing(origin, 'ENOENT');
      if (entry !== 'link') {
        real.push(part);
        kind = entry;
        continue;
      }
      hops++;
      if (hops > MAX_LINK_HOPS) {
        return { kind: 'failed', ruleId: 'link-not-followed', message: `not followed: link loop (more than ${MAX_LINK_HOPS} links)` };
      }
      const linkPath = here === '.' ? part : `${here}/${part}`;
      const target = this.readLink(linkPath);
      if (typeof target !== 'string')
        return { kind: 'failed', ruleId: 'unreadable-path', message: `cannot read link ${linkPath}: ${target.error}` };
      if (isAbsoluteTarget(target)) {
        const mapped = this.mapMount(posix.normalize(target.replace(/\\/g, '/')));
        if (mapped === undefined) {
          return {
            kind: 'failed',
            ruleId: 'link-not-followed',
            message: `not followed: absolute target ${target} (map it with mounts in connlint.config.yaml)`,
          };
        }
        real.length = 0;
        pushParts(pending, mapped, { target, mapped });
      } else pushParts(pending, target.replace(/\\/g, '/'), { target });
    }
    return { kind, real: real.length === 0 ? '.' : real.join('/') };
  }

  /** The bytes of a regular file named without links, read once: later calls return the first outcome. */
  read(real: string): ReadOutcome {
    const overlay = this.overlays.get(real);
    const reads = overlay ? this.overlayReads : this.disk.reads;
    const cached = reads.get(real);
    if (cached) return cached;
    const outcome = overlay ? overlayOutcome(overlay) : this.readOnce(real);
    reads.set(real, outcome);
    return outcome;
  }

  /**
   * Discovery turned this file away (no format claims or reaches it): its bytes on disk (not an overlay's) are dropped,
   * so a later `read` opens it again, and `turnedAway` says so.
   */
  turnAway(real: string): void {
    this.turned.add(real);
    if (!this.overlays.has(real)) this.disk.reads.delete(real);
  }

  turnedAway(real: string): boolean {
    return this.turned.has(real);
  }

  private readOnce(real: string): ReadOutcome {
    this.counts.filesOpened++;
    let fd: number;
    try {
      // Non-blocking, so a FIFO put where a file was listed cannot hang the run; fstat then rejects it.
      fd = openSync(this.abs(real), constants.O_RDONLY | (process.platform === 'win32' ? 0 : constants.O_NONBLOCK));
    } catch (error) {
      return { ruleId: 'unreadable-path', message: `cannot read file: ${errorCode(error)}` };
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return { ruleId: 'unreadable-path', message: 'cannot read file: not a regular file' };
      if (stat.size > MAX_FILE_BYTES) return tooLarge(stat.size);
      // Not zero-filled: every byte is overwritten by the read, and a short read keeps only what was read. A small file
      // takes a slice of Node's shared pool rather than a memory block of its own (most files of a tree are small).
      const buffer = Buffer.allocUnsafe(stat.size);
      let filled = 0;
      while (filled < buffer.length) {
        const n = readSync(fd, buffer, filled, buffer.length - filled, filled);
        if (n === 0) break;
        filled += n;
      }
      const bytes = filled < buffer.length ? buffer.subarray(0, filled) : buffer;
      return checkedBytes(bytes);
    } catch (error) {
      return { ruleId: 'unreadable-path', message: `cannot read file: ${errorCode(error)}` };
    } finally {
      closeSync(fd);
    }
  }
}

function tooLarge(size: number): SkipReason {
  return {
    ruleId: 'file-too-large',
    message: `file is ${size} bytes, more than the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit for configuration files; not read`,
  };
}

/** Bytes read whole: a NUL byte makes them a binary file. */
function checkedBytes(bytes: Buffer): ReadOutcome {
  const nul = bytes.indexOf(0);
  return nul === -1 ? { bytes } : { ruleId: 'binary-file', message: `binary file (NUL byte at offset ${nul}); not read` };
}

/** An overlay is held to the limits a file on disk is. */
function overlayOutcome(bytes: Buffer): ReadOutcome {
  return bytes.length > MAX_FILE_BYTES ? tooLarge(bytes.length) : checkedBytes(bytes);
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * The view parsers read through, sharing the tree's caches. `reported` holds the paths discovery
 * already reported as skipped, so `skipped()` lists only what the view met on its own (a template
 * discovery only listed, then read by a parser, is new).
 */
export function viewOf(tree: LexicalTree, reported: ReadonlySet<string> = new Set()): TreeView {
  const met = new Map<string, Skipped>();
  const resolve = (path: string): Resolution | undefined => {
    // Absolute paths are the parsers' to map through mounts; the view only knows the tree.
    if (isAbsoluteTarget(path)) return undefined;
    return tree.resolve(path === '' ? '.' : path);
  };
  const readBytes = (path: string): Buffer | undefined => {
    const found = resolve(path);
    if (found === undefined || found.kind === 'dir') return undefined;
    let outcome: ReadOutcome;
    if (found.kind === 'failed') {
      if (found.absent) return undefined;
      outcome = found;
    } else if (found.kind === 'other') outcome = { ruleId: 'unreadable-path', message: 'cannot read file: not a regular file' };
    else outcome = tree.read(found.real);
    if ('bytes' in outcome) return outcome.bytes;
    if (!reported.has(path) && !met.has(path)) met.set(path, { ruleId: outcome.ruleId, path, message: outcome.message });
    return undefined;
  };
  return {
    readBytes,
    readText(path) {
      return readBytes(path)?.toString('utf8');
    },
    listDir(path) {
      const found = resolve(path);
      if (found?.kind !== 'dir') return undefined;
      const listing = tree.list(found.real);
      // Byte order, as mysqld's my_dir sorts (mysql-option-files.md, includedir order).
      return 'error' in listing ? undefined : [...listing.entries.keys()].sort(compareBytes);
    },
    isDirectory(path) {
      return resolve(path)?.kind === 'dir';
    },
    isFile(path) {
      return resolve(path)?.kind === 'file';
    },
    turnedAway(path) {
      const found = resolve(path);
      return found?.kind === 'file' && tree.turnedAway(found.real);
    },
    skipped() {
      return [...met.values()].sort((a, b) => compareText(a.path, b.path));
    },
    stats() {
      return tree.stats();
    },
  };
}

/**
 * A view of `root` with its own caches, for callers that did not run discovery. After discovery,
 * use `Discovery.view` instead: it shares the walk's reads.
 */
export function createTreeView(root: string, mounts: Record<string, string> = {}): TreeView {
  return viewOf(new LexicalTree(root, mounts));
}
