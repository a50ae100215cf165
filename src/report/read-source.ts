/*
 * How the CLI gives the stylish renderer the text of reported files (the renderers themselves stay pure).
 * Report paths are relative to the report's base folder (base-path.ts), or absolute.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/** Larger files are not read for a snippet (the file-too-large limit: connlint did not read them either). */
const MAX_BYTES = 4 * 1024 * 1024;

function readSmallFile(abs: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_BYTES) return undefined;
    const buffer = Buffer.alloc(stat.size);
    const n = readSync(fd, buffer, 0, stat.size, 0);
    return buffer.subarray(0, n).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A reader of report paths under `base`; `overlays` (absolute path -> text, as `lint()` takes them) win over
 * the disk, so text read from stdin is shown as linted. Each file is read once.
 */
export function sourceReader(base: string, overlays?: ReadonlyMap<string, string>): (path: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (path) => {
    const abs = isAbsolute(path) ? path : resolve(base, path);
    if (!cache.has(abs)) cache.set(abs, overlays?.get(abs) ?? readSmallFile(abs));
    return cache.get(abs);
  };
}
