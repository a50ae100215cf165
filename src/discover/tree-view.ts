import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { posix, relative, resolve } from 'node:path';
import type { FileTreeView } from './file-tree.js';
import { MAX_FILE_BYTES } from './find-files.js';

/**
 * The scanned tree as parsers see it when they follow references (`!include`): relative POSIX paths
 * only, nothing outside the root (also not through symbolic links), size-limited reads.
 */
export function createTreeView(root: string): FileTreeView {
  const realRoot = realpathSync(root);
  const inside = (rel: string): string | undefined => {
    const normal = posix.normalize(rel);
    if (normal.startsWith('../') || normal === '..' || posix.isAbsolute(normal)) return undefined;
    try {
      const real = realpathSync(resolve(root, normal));
      const back = relative(realRoot, real);
      if (back.startsWith('..') || resolve(realRoot, back) !== real) return undefined;
      return real;
    } catch {
      return undefined;
    }
  };
  return {
    readText(path) {
      const real = inside(path);
      if (!real) return undefined;
      try {
        const st = statSync(real);
        if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
        return readFileSync(real, 'utf8');
      } catch {
        return undefined;
      }
    },
    listDir(path) {
      const real = inside(path);
      if (!real) return undefined;
      try {
        // Byte order, as mysqld's my_dir sorts (mysql-option-files.md, includedir order).
        return readdirSync(real).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      } catch {
        return undefined;
      }
    },
    isDirectory(path) {
      const real = inside(path);
      try {
        return real !== undefined && statSync(real).isDirectory();
      } catch {
        return false;
      }
    },
    isFile(path) {
      const real = inside(path);
      try {
        return real !== undefined && statSync(real).isFile();
      } catch {
        return false;
      }
    },
  };
}
