import { evaluateTree, type EvaluatedTree } from './evaluate.js';
import type { PyModule } from './value.js';

/*
 * The Python files one lint has to evaluate: the claimed settings modules, the modules they import from
 * the scanned tree (a `base.py` that holds no database setting but defines a constant production.py
 * uses), and the `__init__.py` files above them (which give a module its dotted name). Found by
 * evaluating, looking at the imports that did not resolve, and adding the files of the tree they name,
 * until nothing new is found. Reads through `read` only (the engine's view of the tree).
 */

/** Files added beyond the claimed ones, at most: a settings module imports a handful. */
const MAX_EXTRA_FILES = 400;
const MAX_ROUNDS = 6;

export interface TreeReader {
  isFile(path: string): boolean;
  readText(path: string): string | undefined;
  /** Entry names of a directory (`''` is the root), undefined when it is not one. */
  listDir(path: string): string[] | undefined;
  /** Is the file the project's own (not an installed package)? Imports of other files are not followed. */
  isProjectFile(path: string): boolean;
  /** Are a claimed file's own imports read (settings modules), or only the file (a management command)? Default: read. */
  followsImports?(path: string): boolean;
}

export interface ModuleClosure {
  tree: EvaluatedTree;
  /** Every file evaluated, path -> text. */
  texts: Map<string, string>;
  /** Files read beyond the claimed ones, each with the file whose import reached it (or that it star-imports). */
  added: Map<string, string>;
  /** Of those, the modules read because they star-import a claimed one (settings leaves). */
  starImporters: Set<string>;
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** Files an import written in `from` could name, nearest first. */
function candidates(from: string, module: string): string[] {
  const level = /^\.*/.exec(module)?.[0].length ?? 0;
  const dotted = module.slice(level);
  const rel = dotted ? dotted.split('.').join('/') : '';
  const roots: string[] = [];
  if (level > 0) {
    let d = dirname(from);
    for (let i = 1; i < level; i++) d = dirname(d);
    roots.push(d);
  } else {
    for (let d = dirname(from); ; d = dirname(d)) {
      roots.push(d);
      if (!d) break;
    }
  }
  const out: string[] = [];
  for (const r of roots) {
    if (rel) out.push(`${join(r, rel)}.py`);
    out.push(join(rel ? join(r, rel) : r, '__init__.py'));
  }
  return out;
}

export function evaluateWithImports(claimed: ReadonlyArray<{ path: string; text: string }>, reader: TreeReader): ModuleClosure {
  const texts = new Map<string, string>(claimed.map((f) => [f.path, f.text]));
  const added = new Map<string, string>();
  const starImporters = new Set<string>();
  const add = (path: string, by: string): boolean => {
    if (texts.has(path) || added.size >= MAX_EXTRA_FILES || !reader.isProjectFile(path) || !reader.isFile(path)) return false;
    const text = reader.readText(path);
    if (text === undefined) return false;
    texts.set(path, text);
    added.set(path, by);
    return true;
  };
  const addPackages = (path: string): void => {
    for (let d = dirname(path); d; d = dirname(d)) if (!add(join(d, '__init__.py'), path) && !texts.has(join(d, '__init__.py'))) break;
  };
  for (const f of claimed) addPackages(f.path);
  // A settings package's leaves (production.py, dev.py) may hold no database setting of their own and
  // only star-import the module that does: each is still a configuration of its own, so the modules
  // next to a claimed one that star-import it are read too (Python decides what they import).
  for (const f of claimed) {
    const dir = dirname(f.path);
    const stem = f.path.slice(dir ? dir.length + 1 : 0).replace(/\.py$/, '');
    if (stem === '__init__') continue;
    const importer = new RegExp(
      `^[ \\t]*from[ \\t]+(?:\\.|[\\w.]*\\.)?${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \\t]+import[ \\t]+\\*`,
      'm',
    );
    for (const name of reader.listDir(dir) ?? []) {
      const path = join(dir, name);
      if (!name.endsWith('.py') || texts.has(path) || !reader.isProjectFile(path) || !reader.isFile(path)) continue;
      const text = reader.readText(path);
      if (text !== undefined && importer.test(text) && added.size < MAX_EXTRA_FILES) {
        texts.set(path, text);
        added.set(path, f.path);
        starImporters.add(path);
      }
    }
  }
  const direct = new Set<string>([...claimed.map((f) => f.path), ...starImporters].filter((p) => reader.followsImports?.(p) ?? true));
  let tree = evaluateTree([...texts].map(([path, text]) => ({ path, text })));
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let grew = false;
    for (const m of tree.modules.values() as Iterable<PyModule>) {
      for (const imp of m.imports) {
        // A settings module's own imports are read, and star imports all the way down (what they bind is
        // the settings module's); the imports of a module it merely imports are not (views importing models ...).
        if (imp.path || !(imp.star || direct.has(m.path))) continue;
        for (const c of candidates(m.path, imp.module)) {
          if (texts.has(c)) break;
          if (add(c, m.path)) {
            addPackages(c);
            if (imp.star && direct.has(m.path)) direct.add(c);
            grew = true;
            break;
          }
        }
      }
    }
    if (!grew) break;
    tree = evaluateTree([...texts].map(([path, text]) => ({ path, text })));
  }
  return { tree, texts, added, starImporters };
}
