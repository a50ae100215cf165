/*
 * Which file of the scanned tree an import or require names (issue 18: "no file-system resolution beyond
 * the scanned tree"). Only relative specifiers resolve; everything else is a package (or a Node built-in)
 * and stays a reference by name. Resolution follows Node's CommonJS order for a path without extension
 * (the file, then the file with an extension, then `index.*` in the folder), with the TypeScript
 * extensions first, and TypeScript's rule that `./config.js` in a `.ts` project names `config.ts`.
 */

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];

/** TypeScript reads `./a.js` as `./a.ts` when only the TypeScript file exists (and `.mjs`/`.cjs` as `.mts`/`.cts`). */
const TS_FOR_JS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

export type Resolution = { kind: 'file'; path: string } | { kind: 'package'; module: string } | { kind: 'missing'; reason: string };

export function isRelativeSpecifier(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

/** `a/b/../c` -> `a/c`; undefined when the path leaves the scanned root. */
export function normalizePath(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** `a/b/c.ts` -> `a/b`; `c.ts` -> `` (the scanned root). */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function resolveSpecifier(fromPath: string, specifier: string, files: ReadonlySet<string>): Resolution {
  if (!isRelativeSpecifier(specifier)) {
    if (specifier.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(specifier) || specifier.startsWith('file:')) {
      return { kind: 'missing', reason: `${specifier} is an absolute path, outside the scanned tree` };
    }
    return { kind: 'package', module: specifier };
  }
  const dir = dirname(fromPath);
  const base = normalizePath(dir ? `${dir}/${specifier}` : specifier);
  if (base === undefined) return { kind: 'missing', reason: `${specifier} is outside the scanned tree` };
  const candidates: string[] = [];
  if (base !== '' && !specifier.endsWith('/')) {
    candidates.push(base);
    const dot = base.lastIndexOf('.');
    const ext = dot > base.lastIndexOf('/') ? base.slice(dot) : '';
    for (const ts of TS_FOR_JS[ext] ?? []) candidates.push(base.slice(0, dot) + ts);
    for (const e of EXTENSIONS) candidates.push(base + e);
  }
  for (const e of EXTENSIONS) candidates.push(base === '' ? `index${e}` : `${base}/index${e}`);
  for (const c of candidates) if (files.has(c)) return { kind: 'file', path: c };
  return { kind: 'missing', reason: `${specifier} is not a file of the scanned tree` };
}
