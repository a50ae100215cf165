import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { lineSpan } from '../model/span.js';
import type { ParseProblem } from '../parsers/parse-result.js';
import { type Candidate, classifyPath } from './classify.js';
import { globToRegExp, matchesAny } from './glob.js';
import { compareText } from '../model/sort-order.js';

/** Files larger than this are reported, not read: no real option file comes near it, and reading must stay bounded. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Directories that never hold a project's own configuration. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

export interface DiscoveredFile {
  /** Relative to the root, POSIX separators. */
  path: string;
  candidate: Candidate;
  /** The bytes, or undefined when the file was not read (too large, unreadable: see problems). */
  bytes: Buffer | undefined;
}

export interface Discovery {
  files: DiscoveredFile[];
  problems: ParseProblem[];
}

export interface DiscoverOptions {
  /** Absolute root. */
  root: string;
  /** Absolute files or directories to scan, all inside the root. */
  targets: string[];
  include: string[];
  exclude: string[];
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function isInside(root: string, abs: string): boolean {
  const rel = relative(root, abs);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/') && !/^[A-Za-z]:/.test(rel));
}

/** Walks the targets in byte order, never following directory symlinks, and reads every candidate file. */
export function discoverFiles(options: DiscoverOptions): Discovery {
  const include = options.include.map(globToRegExp);
  const exclude = options.exclude.map(globToRegExp);
  const realRoot = realpathSync(options.root);
  const seen = new Set<string>();
  const files: DiscoveredFile[] = [];
  const problems: ParseProblem[] = [];

  const consider = (abs: string, explicit: boolean): void => {
    const path = toPosix(relative(options.root, abs));
    if (seen.has(path)) return;
    seen.add(path);
    if (matchesAny(path, exclude)) return;
    if (!explicit && include.length > 0 && !matchesAny(path, include)) return;
    const candidate = classifyPath(path);
    if (!candidate) return;
    files.push({ path, candidate, bytes: readCandidate(abs, path, realRoot, problems) });
  };

  const walk = (absDir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(absDir).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const abs = join(absDir, name);
      let st: ReturnType<typeof lstatSync>;
      try {
        st = lstatSync(abs);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        const rel = toPosix(relative(options.root, abs));
        if (!SKIPPED_DIRS.has(name) && !matchesAny(rel, exclude)) walk(abs);
      } else if (st.isFile() || st.isSymbolicLink()) consider(abs, false);
    }
  };

  for (const target of options.targets) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(target);
    } catch {
      continue;
    }
    if (st.isDirectory()) walk(target);
    else consider(target, true);
  }
  files.sort((a, b) => compareText(a.path, b.path));
  return { files, problems };
}

function readCandidate(abs: string, path: string, realRoot: string, problems: ParseProblem[]): Buffer | undefined {
  const at = lineSpan(path, 1, 1, 0);
  try {
    const real = realpathSync(abs);
    if (!isInside(realRoot, real)) {
      problems.push({ message: 'symbolic link points outside the scanned directory; not read', span: at, severity: 'warning' });
      return undefined;
    }
    const st = statSync(real);
    if (!st.isFile()) return undefined;
    if (st.size > MAX_FILE_BYTES) {
      problems.push({
        message: `file is ${st.size} bytes, more than the ${MAX_FILE_BYTES}-byte limit for configuration files; not read`,
        span: at,
        severity: 'error',
      });
      return undefined;
    }
    return readFileSync(real);
  } catch (error) {
    problems.push({ message: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, span: at, severity: 'error' });
    return undefined;
  }
}
