import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** An absolute file system path for a `file:` URI; undefined for any other scheme (untitled buffers, remote files). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Is `path` inside `folder` (or the folder itself)? */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Which folder a file is linted with: the innermost workspace folder that contains it; for a file outside every
 * folder, the nearest enclosing git repository (a `.git` directory or file), else the file's own directory.
 */
export class Roots {
  private folders: string[] = [];
  private readonly gitRoots = new Map<string, string | null>();

  setFolders(folders: readonly string[]): void {
    this.folders = [...new Set(folders.map((f) => resolve(f)))].sort((a, b) => b.length - a.length);
  }

  addFolder(folder: string): void {
    this.setFolders([...this.folders, folder]);
  }

  removeFolder(folder: string): void {
    const gone = resolve(folder);
    this.setFolders(this.folders.filter((f) => f !== gone));
  }

  get workspaceFolders(): readonly string[] {
    return this.folders;
  }

  rootOf(file: string): string {
    for (const f of this.folders) if (isInside(f, file) && f !== file) return f;
    // A new file may sit in folders that do not exist yet: start from the nearest one that does.
    let dir = dirname(file);
    while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
    return this.gitRoot(dir) ?? dir;
  }

  private gitRoot(dir: string): string | undefined {
    const seen: string[] = [];
    let d = dir;
    let found: string | null = null;
    for (;;) {
      const held = this.gitRoots.get(d);
      if (held !== undefined) {
        found = held;
        break;
      }
      seen.push(d);
      if (existsSync(resolve(d, '.git'))) {
        found = d;
        break;
      }
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
    for (const s of seen) this.gitRoots.set(s, found);
    return found ?? undefined;
  }
}

/** Runs a task per key after a quiet period; a new request for the same key restarts the wait. */
export class Debouncer {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  schedule(key: string, delayMs: number, task: () => void): void {
    const held = this.timers.get(key);
    if (held) clearTimeout(held);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        task();
      }, delayMs),
    );
  }

  /** Cancels every pending task (shutdown): nothing is left to keep the event loop alive. */
  clear(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
