import type { FileTreeView } from '../discover/file-tree.js';
import { dirname, normalizePath } from '../interpreters/js/module-resolution.js';

/*
 * JavaScript and TypeScript files as the formats that read code see them (js-config.ts, and prisma.ts for the
 * code that constructs a driver adapter): which paths hold test code or build output, and the modules a file
 * imports from the scanned tree by relative path, read before the evaluator runs (it sees only what is read).
 */

/** TypeScript declaration files: types only, never configuration. */
export const DECLARATION = /\.d\.[cm]?ts$/;

/** Test code runs when the tests run, not in production: what it configures is at most a note. */
export const TEST_CODE = /(?:^|\/)(?:tests?|__tests__|spec|e2e)\/|\.(?:test|spec|e2e-spec)\.[cm]?[jt]s$/;

/** Folders of build output, bundles and copied assets: never the project's own code or configuration. */
/**
 * Scripts beside the application: migrations, seeds and one-off tools run briefly and exit, so a pool
 * configured there rarely sits idle long enough to meet an idle limit.
 */
export const SCRIPT = /(?:^|\/)(?:scripts?|seeds?|seeders?|migrations?|bin|tools)\/|(?:^|\/)(?:seed|migrate)\.[cm]?[jt]s$/;

export const BUILD_FOLDERS: readonly string[] = ['dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.output', 'vendor', 'public'];

/** A path inside one of the build folders, or a minified bundle. */
export const GENERATED = new RegExp(`(?:^|/)(?:${BUILD_FOLDERS.map((f) => f.replace(/\./g, '\\.')).join('|')})/|\\.min\\.js$`);

/** Relative module specifiers of `import ... from`, `require(...)` and `import(...)`. */
const SPECIFIER = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)['"](\.{1,2}\/[^'"\n]+)['"]/g;

/** How far the imports of the starting files are followed. */
export interface ImportWalk {
  /** Whether the imports of a file are read: `isStart` for one of the files the walk began with. */
  follows: (path: string, isStart: boolean) => boolean;
  /** At most this many modules are read beyond the starting files. */
  maxImported: number;
  /** `./config` may name `./config.json` (Node's require reads JSON modules). */
  json: boolean;
  /** Paths never taken for a module, even when they exist. */
  skip?: RegExp;
  /** Collects every file of the tree an import resolves to, whether it was read before or not. */
  imported?: Set<string>;
}

/** A specifier's file, tried in Node's order for a path without extension: the path, with an extension, then its folder's index. */
function extensions(json: boolean): string[] {
  return ['', '.ts', '.js', '.mts', '.mjs', '.cts', '.cjs', ...(json ? ['.json'] : []), '/index.ts', '/index.js'];
}

/**
 * The starting files and the modules they import from the tree by relative path, in the order read: breadth
 * first, each file's imports in source order, until `maxImported` modules are read. A module that is not a
 * file of the tree (a package, a path outside the root) is left to the evaluator as a reference.
 */
export function withRelativeImports(
  start: ReadonlyArray<{ path: string; text: string }>,
  view: Pick<FileTreeView, 'isFile' | 'readText'>,
  walk: ImportWalk,
): Array<{ path: string; text: string }> {
  const texts = new Map<string, string>(start.map((f) => [f.path, f.text]));
  const starts = new Set(texts.keys());
  const exts = extensions(walk.json);
  const queue = [...starts];
  let read = 0;
  for (let from = queue.shift(); from !== undefined; from = queue.shift()) {
    if (!walk.follows(from, starts.has(from))) continue;
    for (const m of (texts.get(from) ?? '').matchAll(SPECIFIER)) {
      if (read >= walk.maxImported) return [...texts].map(([path, text]) => ({ path, text }));
      const base = normalizePath(`${dirname(from)}/${m[1]}`);
      if (base === undefined) continue;
      // TypeScript reads `./db.js` as `./db.ts` when only the TypeScript file exists, as the evaluator's resolution does.
      const stem = base.replace(/\.[cm]?js$/, '');
      const candidates = exts.map((e) => base + e);
      if (stem !== base) candidates.push(...exts.map((e) => stem + e));
      const found = candidates.find((p) => (texts.has(p) || view.isFile(p)) && !walk.skip?.test(p));
      if (found) walk.imported?.add(found);
      if (!found || texts.has(found)) continue;
      const text = view.readText(found);
      if (text === undefined) continue;
      texts.set(found, text);
      read++;
      queue.push(found);
    }
  }
  return [...texts].map(([path, text]) => ({ path, text }));
}
