/**
 * The floor of `npm run bench` (bench.ts), in a module of its own so that its process loads nothing else: a plain
 * Node walk with connlint's ignore rules (readdir with file types; .git, node_modules, .hg, .svn skipped) that reads
 * connlint.config.yaml and every file whose name a format knows, as connlint's walk does, and does nothing with them.
 *
 *   node dist/src/dev/bench-floor.js DIR
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORMATS } from '../formats/registry.js';

/** Directories connlint never walks (src/discover/find-files.ts, SKIPPED_DIRS). */
const SKIPPED = new Set(['.git', 'node_modules', '.hg', '.svn']);

export function floor(root: string): number {
  let read = 0;
  try {
    readFileSync(join(root, 'connlint.config.yaml'));
    read++;
  } catch {
    // no config file: connlint reads none either
  }
  const pending = [''];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name)) pending.push(rel);
      } else if (entry.isFile() && FORMATS.some((f) => f.matchesName(rel))) {
        readFileSync(join(root, rel));
        read++;
      }
    }
  }
  return read;
}

if (process.argv[2]) floor(process.argv[2]);
