import { posix } from 'node:path';
import type { FileTreeView } from '../discover/file-tree.js';
import type { Span } from '../model/span.js';
import type { MyCnfDirective, MyCnfDoc, MyCnfOption } from './my-cnf.js';
import type { ParseProblem, ParseResult } from './parse-result.js';

/*
 * Follows `!include` / `!includedir` the way mysqld does (mysql-option-files.md, "Includes"), inside a
 * scanned repository. Where the server's answer depends on the machine it runs on (working directory,
 * absolute paths), the assumption is recorded in `notes`.
 */

export interface TreeOptions {
  /** Container path -> tree directory, from connlint.config.yaml `mounts` (e.g. '/etc/mysql/conf.d' -> 'docker/mysql/conf.d'). */
  mounts: Record<string, string>;
}

export interface ResolvedOption {
  option: MyCnfOption;
  file: string;
  /** Include directive spans that led to the file, outermost first. */
  via: Span[];
}

export interface OptionFileTree {
  /** The root file's path. */
  root: string;
  /** Every file read, in reading order (a file included twice appears twice). */
  files: string[];
  /** Every option of every group, in the order the server applies them. */
  options: ResolvedOption[];
  /** Every `[group]` header read, empty groups included, in reading order (MariaDB packaging ships empty ones). */
  groups: Array<{ name: string; span: Span }>;
  /** Parse problems of every file read + include problems. */
  problems: ParseProblem[];
  /** Assumptions made, for `inspect`. */
  notes: string[];
}

export type ParseOptionFile = (path: string, text: string) => ParseResult<MyCnfDoc>;

/** my_default.c: at recursion level 10 further directives are skipped with a warning ("Includes", Nesting). */
export const MAX_INCLUDE_DEPTH = 10;

/** FN_REFLEN (512) - 3: longer include paths are ignored by my_default.c. */
const MAX_PATH_BYTES = 509;

/** Byte order of the UTF-8 names, as my_dir sorts with strcmp (mysql-option-files.md, includedir order, E9). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

type Location =
  | { status: 'found'; path: string; note?: string }
  | { status: 'missing'; how: 'relative' | 'mounted' | 'absolute'; tried: string; note: string }
  | { status: 'home'; note: string }
  | { status: 'outside'; path: string };

function isOutside(path: string): boolean {
  return path === '..' || path.startsWith('../');
}

function exists(view: FileTreeView, path: string, kind: MyCnfDirective['kind']): boolean {
  return kind === 'include' ? view.isFile(path) : view.isDirectory(path);
}

/**
 * A relative `!includedir` path is opened by the kernel, so every directory before a `..` must exist
 * (`!includedir nonexist/../real` fails); a `!include` path is cleaned up textually first
 * (`!include nonexist/../x.cnf` opens x.cnf). Both seen with my_print_defaults 10.11.19.
 */
function joinAsKernel(base: string, relative: string, view: FileTreeView): string | { missing: string } | { outside: string } {
  const parts = base === '.' ? [] : base.split('/');
  for (const comp of relative.split('/')) {
    if (comp === '' || comp === '.') continue;
    if (comp === '..') {
      const here = parts.join('/') || '.';
      if (!view.isDirectory(here)) return { missing: here };
      if (parts.length === 0) return { outside: posix.normalize(posix.join(base, relative)) };
      parts.pop();
    } else parts.push(comp);
  }
  return parts.join('/') || '.';
}

function normalizeMount(key: string): string {
  const k = posix.normalize(key);
  return k.length > 1 && k.endsWith('/') ? k.slice(0, -1) : k;
}

class TreeReader {
  private readonly cache = new Map<string, ParseResult<MyCnfDoc> | undefined>();
  private readonly mounts: Array<[string, string]>;

  constructor(
    private readonly view: FileTreeView,
    private readonly parse: ParseOptionFile,
    mounts: Record<string, string>,
  ) {
    // Longest container prefix wins.
    this.mounts = Object.entries(mounts)
      .map(([k, v]): [string, string] => [normalizeMount(k), posix.normalize(v.replace(/^\/+/, '') || '.')])
      .sort((a, b) => b[0].length - a[0].length);
  }

  parsed(path: string): ParseResult<MyCnfDoc> | undefined {
    if (this.cache.has(path)) return this.cache.get(path);
    const text = this.view.readText(path);
    let result: ParseResult<MyCnfDoc> | undefined;
    if (text !== undefined) result = this.parse(path, text);
    this.cache.set(path, result);
    return result;
  }

  /**
   * At the depth limit mysqld skips every `!` line before looking at it, so a `!include` without a path
   * does not stop the file there (my_print_defaults 10.11.19: the lines after it were read). The fatal
   * line is blanked, keeping line numbers, and the file parsed again; only happens in that rare case.
   */
  parsedAtDepthLimit(path: string): { result: ParseResult<MyCnfDoc>; skipped: Span[] } | undefined {
    let result = this.parsed(path);
    const text = this.view.readText(path);
    if (!result || text === undefined) return undefined;
    const lines = text.split('\n');
    const skipped: Span[] = [];
    for (;;) {
      const stop = result.doc.stoppedAt;
      if (!stop || lines[stop.line - 1] === '') break;
      const fatal = result.problems.find((p) => p.severity === 'error' && p.span.line === stop.line && p.span.column === stop.column);
      if (!fatal?.message.startsWith("Wrong '!")) break;
      skipped.push(stop);
      lines[stop.line - 1] = '';
      result = this.parse(path, lines.join('\n'));
    }
    return { result, skipped };
  }

  locate(raw: string, kind: MyCnfDirective['kind'], root: string): Location {
    const rootDir = posix.dirname(root);
    const view = this.view;
    // fn_format(MY_UNPACK_FILENAME) expands `~` for `!include`; `!includedir` opens the path as written.
    if (kind === 'include' && raw.startsWith('~')) {
      return { status: 'home', note: `skipped !include ${raw}: the server user's home directory is not in the scanned tree` };
    }
    if (raw.startsWith('/')) {
      const abs = posix.normalize(raw);
      for (const [from, to] of this.mounts) {
        if (!(from === '/' || abs === from || abs.startsWith(`${from}/`))) continue;
        const rest = from === '/' ? abs.slice(1) : abs.slice(from.length + 1);
        const path = posix.normalize(posix.join(to, rest));
        if (isOutside(path)) return { status: 'outside', path };
        if (exists(view, path, kind)) return { status: 'found', path, note: `resolved ${raw} as ${path} (mount ${from} -> ${to})` };
        return {
          status: 'missing',
          how: 'mounted',
          tried: path,
          note: `${raw} maps to ${path} (mount ${from} -> ${to}), which is not in the scanned tree`,
        };
      }
      const comps = abs.split('/').filter((c) => c !== '');
      // A file needs its directory name too: a bare `my.cnf` next to the root would mostly find the root itself.
      const least = kind === 'includedir' ? 1 : Math.min(2, comps.length);
      const bases = rootDir === '.' ? ['.'] : [rootDir, '.'];
      for (const base of bases) {
        for (let k = comps.length; k >= least; k--) {
          const tail = comps.slice(comps.length - k).join('/');
          const path = posix.normalize(posix.join(base, tail));
          if (!exists(view, path, kind)) continue;
          const where = base === '.' ? 'below the scanned root' : `next to ${root}`;
          return { status: 'found', path, note: `resolved ${raw} as ${path} (same trailing path '${tail}' ${where})` };
        }
      }
      return {
        status: 'missing',
        how: 'absolute',
        tried: abs,
        note: `${raw} is not in the scanned tree (no mount and no directory with the same trailing path); it may exist on the server`,
      };
    }
    const assumed = `assumed working directory ${rootDir === '.' ? 'the scanned root' : rootDir}, the directory of ${root}`;
    let path: string;
    if (kind === 'include') {
      path = posix.normalize(posix.join(rootDir, raw));
      if (isOutside(path)) return { status: 'outside', path };
    } else {
      const joined = joinAsKernel(rootDir, raw, view);
      if (typeof joined !== 'string') {
        if ('outside' in joined) return { status: 'outside', path: joined.outside };
        return {
          status: 'missing',
          how: 'relative',
          tried: joined.missing,
          note: `${raw}: directory ${joined.missing} does not exist (${assumed})`,
        };
      }
      path = joined;
    }
    if (exists(view, path, kind)) return { status: 'found', path, note: `resolved relative ${raw} as ${path} (${assumed})` };
    return { status: 'missing', how: 'relative', tried: path, note: `${raw} resolves to ${path}, which does not exist (${assumed})` };
  }

  resolve(root: string): OptionFileTree {
    const tree: OptionFileTree = { root, files: [], options: [], groups: [], problems: [], notes: [] };
    const reported = new Set<string>();
    // A file read twice would repeat its directive problems and notes; each is reported once.
    const seenProblems = new Set<string>();
    const report = (p: ParseProblem): void => {
      const key = JSON.stringify([p.severity, p.message, p.span]);
      if (seenProblems.has(key)) return;
      seenProblems.add(key);
      tree.problems.push(p);
    };
    const note = (text: string): void => {
      if (!tree.notes.includes(text)) tree.notes.push(text);
    };

    /** Returns false when the server stops reading `file` at this directive. */
    const followDirective = (d: MyCnfDirective, file: string, depth: number, via: Span[], stack: string[]): boolean => {
      const where = `!${d.kind} ${d.path}`;
      if (Buffer.byteLength(d.path, 'utf8') >= MAX_PATH_BYTES) {
        // my_default.c ignores an !include path of FN_REFLEN-3 bytes or more (508 read, 509 skipped with
        // my_print_defaults 10.11.19); a long !includedir path is truncated to another directory, not modelled.
        note(`skipped ${d.kind === 'include' ? '' : 'unmodelled '}!${d.kind} path of ${MAX_PATH_BYTES} bytes or more in ${file}`);
        return true;
      }
      const loc = this.locate(d.path, d.kind, root);
      if (loc.status === 'home') {
        note(loc.note);
        return true;
      }
      if (loc.status === 'outside') {
        report({
          severity: 'warning',
          message: `${where} resolves outside the scanned tree (${loc.path}); connlint does not read it`,
          span: d.span,
        });
        return true;
      }
      if (loc.status === 'missing') {
        note(loc.note);
        // A missing !include is skipped silently; a missing !includedir stops the file (E10), and the
        // program when that file is the top-level one. An unmapped absolute directory may exist on the server.
        if (d.kind === 'include' || loc.how === 'absolute') return true;
        const message = `Can't read dir of '${d.path}' (Errcode: 2 "No such file or directory")`;
        if (depth === 0) {
          // Readable text, but the server stops ("Fatal error in defaults handling. Program aborted", E10).
          report({ severity: 'error', message: `${message}: mysqld refuses to start`, span: d.span, ruleId: 'startup-failure' });
        } else {
          report({ severity: 'warning', message: `${message}: mysqld stops reading ${file} here`, span: d.span });
        }
        return false;
      }
      if (loc.note) note(loc.note);
      const targets: string[] = [];
      if (d.kind === 'include') targets.push(loc.path);
      else {
        // Only names ending exactly `.cnf` (hidden ones too), byte order, no recursion (E9).
        const entries = [...(this.view.listDir(loc.path) ?? [])].sort(compareBytes);
        for (const name of entries) {
          const path = loc.path === '.' ? name : `${loc.path}/${name}`;
          if (!this.view.isFile(path)) continue;
          if (name.endsWith('.cnf')) targets.push(path);
          else if (/\.(cnf|conf)$/i.test(name)) {
            // A safe warning per mysql-option-files.md ("What a linter can safely conclude"): `y.CNF`, `x.conf`.
            report({
              severity: 'warning',
              message: `mysqld skips ${path} in ${where}: it reads only names ending exactly in '.cnf'`,
              span: d.span,
            });
          }
        }
      }
      for (const target of targets) {
        const at = stack.indexOf(target);
        if (at >= 0) {
          const cycle = [...stack.slice(at), target].join(' -> ');
          report({
            severity: 'warning',
            message: `Include cycle ${cycle}: connlint reads each file once (mysqld re-reads them until the include depth limit of ${MAX_INCLUDE_DEPTH})`,
            span: d.span,
          });
          continue;
        }
        readFile(target, depth + 1, [...via, d.span], [...stack, target]);
      }
      return true;
    };

    const readFile = (file: string, depth: number, via: Span[], stack: string[]): void => {
      const limited = depth >= MAX_INCLUDE_DEPTH ? this.parsedAtDepthLimit(file) : undefined;
      const parsed = limited ? limited.result : this.parsed(file);
      for (const span of limited?.skipped ?? []) {
        report({
          severity: 'warning',
          message: `mysqld skips this directive: the maximum include depth (${MAX_INCLUDE_DEPTH}) was reached`,
          span,
        });
      }
      if (!parsed) {
        if (depth === 0) {
          report({
            severity: 'error',
            message: `Could not open required defaults file: ${file}`,
            span: { path: file, line: 1, column: 1, endLine: 1, endColumn: 1 },
          });
        }
        return;
      }
      tree.files.push(file);
      if (!reported.has(file)) {
        reported.add(file);
        for (const p of parsed.problems) {
          // An error inside an included file stops only that file; the server goes on (E11).
          report(
            depth > 0 && p.severity === 'error'
              ? { ...p, severity: 'warning', message: `${p.message}: mysqld skips the rest of this included file` }
              : p,
          );
        }
      }
      for (const entry of parsed.doc.entries) {
        if (entry.kind === 'group') {
          tree.groups.push({ name: entry.name, span: entry.span });
          continue;
        }
        if (entry.kind === 'option') {
          tree.options.push({ option: entry, file, via });
          continue;
        }
        if (depth >= MAX_INCLUDE_DEPTH) {
          report({
            severity: 'warning',
            message: `mysqld skips '!${entry.kind} ${entry.path}': the maximum include depth (${MAX_INCLUDE_DEPTH}) was reached`,
            span: entry.span,
          });
          continue;
        }
        if (!followDirective(entry, file, depth, via, stack)) return;
      }
    };

    readFile(root, 0, [], [root]);
    return tree;
  }
}

/** The include tree of one root option file, in the order mysqld reads it. Never throws on input. */
export function resolveOptionFileTree(root: string, view: FileTreeView, parse: ParseOptionFile, options: TreeOptions): OptionFileTree {
  return new TreeReader(view, parse, options.mounts).resolve(root);
}

/**
 * The trees of the option files (paths in the tree) that no other given option file includes; in a
 * pure include cycle, that of the byte-smallest path of the cycle. Sorted by root; each tree is
 * resolved once.
 */
export function resolveRootTrees(paths: string[], view: FileTreeView, parse: ParseOptionFile, options: TreeOptions): OptionFileTree[] {
  const reader = new TreeReader(view, parse, options.mounts);
  const nodes = [...new Set(paths)];
  const index = new Map(nodes.map((p, i) => [p, i]));
  const trees = nodes.map((p) => reader.resolve(p));
  const edges = trees.map((tree) => {
    const reached = new Set(tree.files);
    reached.delete(tree.root);
    return [...reached].flatMap((f) => (index.has(f) ? [index.get(f) as number] : []));
  });
  const component = stronglyConnected(edges);
  const hasIncoming = new Set<number>();
  edges.forEach((targets, from) => {
    for (const to of targets) if (component[from] !== component[to]) hasIncoming.add(component[to] as number);
  });
  const best = new Map<number, number>();
  nodes.forEach((p, i) => {
    const c = component[i] as number;
    if (hasIncoming.has(c)) return;
    const current = best.get(c);
    if (current === undefined || compareBytes(p, nodes[current] as string) < 0) best.set(c, i);
  });
  return [...best.values()].map((i) => trees[i] as OptionFileTree).sort((a, b) => compareBytes(a.root, b.root));
}

/** The root option files among `paths` (see resolveRootTrees). Sorted. */
export function findRootOptionFiles(paths: string[], view: FileTreeView, parse: ParseOptionFile, options: TreeOptions): string[] {
  return resolveRootTrees(paths, view, parse, options).map((tree) => tree.root);
}

/** Component id per node (Kosaraju, iterative so that long include chains cannot overflow the stack). */
function stronglyConnected(edges: number[][]): number[] {
  const n = edges.length;
  const reverse: number[][] = edges.map(() => []);
  edges.forEach((targets, from) => {
    for (const to of targets) reverse[to]?.push(from);
  });
  const seen = new Uint8Array(n);
  const order: number[] = [];
  for (let s = 0; s < n; s++) {
    if (seen[s]) continue;
    seen[s] = 1;
    const stack: Array<[number, number]> = [[s, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [number, number];
      const [node, next] = top;
      const targets = edges[node] ?? [];
      if (next < targets.length) {
        top[1] = next + 1;
        const to = targets[next] as number;
        if (!seen[to]) {
          seen[to] = 1;
          stack.push([to, 0]);
        }
      } else {
        order.push(node);
        stack.pop();
      }
    }
  }
  const component = new Array<number>(n).fill(-1);
  let id = 0;
  for (let i = order.length - 1; i >= 0; i--) {
    const s = order[i] as number;
    if (component[s] !== -1) continue;
    const stack = [s];
    component[s] = id;
    while (stack.length > 0) {
      const node = stack.pop() as number;
      for (const from of reverse[node] ?? []) {
        if (component[from] === -1) {
          component[from] = id;
          stack.push(from);
        }
      }
    }
    id++;
  }
  return component;
}
