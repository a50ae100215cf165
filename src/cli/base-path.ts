import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The repository a scanned folder belongs to: the nearest folder at or above it holding `.git` (a
 * folder, or a file in a worktree or submodule), as git finds its work tree. Undefined outside any
 * repository. Report paths start there unless `--base-path` says otherwise (issue 19).
 */
export function repositoryRoot(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(resolve(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** `C:\a\b` -> `C:/a/b`; POSIX paths unchanged. */
export function toPosixPath(path: string): string {
  return path.replace(/\\/g, '/');
}
