import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FileTreeView } from '../../src/discover/file-tree.js';
import { compareBytes } from '../../src/parsers/my-cnf-tree.js';

/**
 * MariaDB's own option-file reader, `my_print_defaults` (Debian package mariadb-client-core), as the
 * oracle of the differential tests, and the pieces every such test needs.
 */
export const MISSING_MY_PRINT_DEFAULTS = 'my_print_defaults not found: apt-get install mariadb-client-core';

export function findMyPrintDefaults(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/local/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, 'my_print_defaults');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export interface OracleRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * `my_print_defaults --defaults-file=FILE --mysqld` run from the file's directory: relative includes
 * resolve against the process's working directory (mysql-option-files.md, Includes), and connlint
 * assumes that is the root file's directory.
 */
export function runMyPrintDefaults(bin: string, file: string): OracleRun {
  try {
    const stdout = execFileSync(bin, [`--defaults-file=${file}`, '--mysqld'], {
      cwd: path.dirname(file),
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, stdout: stdout.toString('utf8'), stderr: '' };
  } catch (e) {
    const err = e as { status?: number | null; stdout?: Buffer; stderr?: Buffer };
    if (typeof err.status !== 'number') throw e;
    return { status: err.status, stdout: err.stdout?.toString('utf8') ?? '', stderr: err.stderr?.toString('utf8') ?? '' };
  }
}

/** The real file system as a FileTreeView rooted at `/`, so absolute includes resolve as for the real program. */
export function realFileSystem(): FileTreeView {
  const abs = (p: string) => (p === '.' ? '/' : `/${p}`);
  const stat = (p: string) => {
    try {
      return statSync(abs(p));
    } catch {
      return undefined;
    }
  };
  return {
    readText: (p) => {
      try {
        return stat(p)?.isFile() ? readFileSync(abs(p), 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
    listDir: (p) => {
      try {
        return readdirSync(abs(p)).sort(compareBytes);
      } catch {
        return undefined;
      }
    },
    isDirectory: (p) => stat(p)?.isDirectory() ?? false,
    isFile: (p) => stat(p)?.isFile() ?? false,
  };
}

/** Every `.cnf` below a directory, recursively, in byte order. */
export function listCnfFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort(compareBytes)) {
    const full = path.join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) out.push(...listCnfFiles(full));
    else if (st.isFile() && name.endsWith('.cnf')) out.push(full);
  }
  return out;
}
