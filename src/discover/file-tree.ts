import type { Skipped } from './find-files.js';

/**
 * A read-only view of the scanned tree. Paths are relative to the scanned root with POSIX
 * separators (`docker/mysql/conf.d`); `.` is the root. Nothing outside the root is visible.
 * Parsers that follow references between files (`!include`) read through this view only.
 */
export interface FileTreeView {
  /** The file's text, or undefined when it is not in the tree, not a regular file or unreadable. */
  readText(path: string): string | undefined;
  /** Base names of the entries of a directory, sorted by byte value; undefined when it is not a directory. */
  listDir(path: string): string[] | undefined;
  isDirectory(path: string): boolean;
  isFile(path: string): boolean;
  /**
   * Did discovery read this file and turn it away: no format claims it and it holds none of the formats'
   * `reachWords`? Such a file's bytes are not kept; a view that turns nothing away answers false.
   */
  turnedAway?(path: string): boolean;
}

/** How often the tree touched the file system; tests use it to check that nothing is read twice. */
export interface TreeStats {
  /** Files opened (each at most once per run: reads are cached by the file's resolved path). */
  filesOpened: number;
  directoriesListed: number;
  linksRead: number;
}

/**
 * The view discovery hands to the engine: it shares discovery's caches, so a file the walk read is
 * not read again when a parser follows an `!include` to it.
 */
export interface TreeView extends FileTreeView {
  /** The file's bytes, or undefined as for readText (also for a file too large or binary). */
  readBytes(path: string): Buffer | undefined;
  /**
   * Files parsers asked for through this view that exist but could not be read (too large, binary,
   * unreadable, a link not followed) and that discovery did not already report; sorted by path.
   */
  skipped(): Skipped[];
  stats(): TreeStats;
}
