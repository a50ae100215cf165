import type { ModuleHandle } from './eval-value.js';

/*
 * Which file of the scanned tree an import names. Only the given files count (connlint never reads the
 * file system here). Relative imports (`from .base import *`) resolve against the importing file's
 * package directory. An absolute import (`from myproj.settings.base import *`) resolves against the
 * nearest directory, from the importing file's own up to the root, under which the whole dotted path
 * exists (`myproj/settings/base.py` or `myproj/settings/base/__init__.py`): the directory Python would
 * have on sys.path when the project runs from there (the folder of manage.py, of the Flask app).
 */

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

export class ModuleIndex {
  private readonly files: Set<string>;
  private readonly dirs = new Set<string>();

  constructor(paths: Iterable<string>) {
    this.files = new Set(paths);
    for (const p of this.files) {
      let d = dirname(p);
      while (d && !this.dirs.has(d)) {
        this.dirs.add(d);
        d = dirname(d);
      }
    }
    this.dirs.add('');
  }

  hasFile(path: string): boolean {
    return this.files.has(path);
  }

  /** The dotted name a file is imported as, from the `__init__.py` files of the directories above it. */
  moduleNameOf(path: string): string {
    const base = path.slice(path.lastIndexOf('/') + 1).replace(/\.py$/, '');
    const parts = base === '__init__' ? [] : [base];
    let d = dirname(path);
    while (d && this.files.has(join(d, '__init__.py'))) {
      parts.unshift(d.slice(d.lastIndexOf('/') + 1));
      d = dirname(d);
    }
    if (parts.length === 0) parts.push(d.slice(d.lastIndexOf('/') + 1) || base);
    return parts.join('.');
  }

  /** `dotted` (a.b.c) under directory `root`, if the tree has it: a module file, a package, or a namespace directory. */
  private under(root: string, dotted: string, name: string): ModuleHandle | undefined {
    const rel = dotted ? dotted.split('.').join('/') : '';
    const dir = rel ? join(root, rel) : root;
    if (rel && this.files.has(`${dir}.py`)) return { dotted: name, file: `${dir}.py` };
    const init = join(dir, '__init__.py');
    if (this.files.has(init)) return { dotted: name, file: init, dir };
    if (rel && this.dirs.has(dir)) return { dotted: name, dir };
    return undefined;
  }

  /** `import a.b.c` / `from a.b.c import x` from the file `from`. */
  resolveAbsolute(from: string, dotted: string): ModuleHandle | undefined {
    let d = dirname(from);
    for (;;) {
      const hit = this.under(d, dotted, dotted);
      if (hit) return hit;
      if (!d) return undefined;
      d = dirname(d);
    }
  }

  /** The top-level package of an absolute import (`a` of `import a.b.c`), found where `a.b.c` is. */
  resolveTop(from: string, dotted: string): ModuleHandle | undefined {
    const top = dotted.split('.')[0] as string;
    let d = dirname(from);
    for (;;) {
      if (this.under(d, dotted, dotted)) return this.under(d, top, top);
      if (!d) return undefined;
      d = dirname(d);
    }
  }

  /** `from ..a.b import x` (level 2, dotted `a.b`) from the file `from`. */
  resolveRelative(from: string, level: number, dotted: string): ModuleHandle | undefined {
    let d = dirname(from);
    for (let i = 1; i < level; i++) {
      if (!d) return undefined;
      d = dirname(d);
    }
    const name = `${'.'.repeat(level)}${dotted}`;
    const hit = this.under(d, dotted, name);
    if (!hit) return undefined;
    return { ...hit, dotted: this.dottedOf(hit) ?? name };
  }

  /** A submodule `name` of a package (`from . import base`, `pkg.sub` attribute access). */
  submodule(pkg: ModuleHandle, name: string): ModuleHandle | undefined {
    if (pkg.dir === undefined) return undefined;
    const hit = this.under(pkg.dir, name, `${pkg.dotted}.${name}`);
    return hit;
  }

  private dottedOf(h: ModuleHandle): string | undefined {
    return h.file ? this.moduleNameOf(h.file) : undefined;
  }
}
