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
}
