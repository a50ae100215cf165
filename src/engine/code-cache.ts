import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/*
 * Loads a large CommonJS file (the TypeScript compiler: 9 MB) with V8's code cache (issue 21).
 * Compiling that file is most of what a run with a knexfile costs (≈ 130 ms of ≈ 200 ms on the
 * benchmark machine); with the bytecode V8 wrote on an earlier run it is ≈ 20 ms. Node 20 has no
 * compile cache of its own (module.enableCompileCache is Node 22), so this does what it does for one
 * file: compile with `vm.Script` and `cachedData`, and write the cache when there was none.
 *
 * The cache changes how fast a file loads, never what it does: V8 rejects bytecode written by another
 * V8 or with other flags, and the file name holds the loaded file's path, size, modification time and
 * inode, so a changed file never meets an old cache (and writing its new cache removes the old one).
 * Every failure (no home directory, a read-only disk, a corrupt or rejected cache) falls back to
 * compiling the source, silently: it only costs time.
 * The cache lives per user (XDG_CACHE_HOME or ~/.cache, %LOCALAPPDATA% on Windows, under `connlint/`;
 * CONNLINT_CACHE_DIR replaces it), never in a directory other users can write. CONNLINT_CODE_CACHE=0
 * turns it off.
 */

/** What happened to the cache of a file (tests check it). */
export type CodeCacheUse = 'off' | 'used' | 'rejected' | 'missing';

export interface CodeCacheLoad {
  exports: unknown;
  cache: CodeCacheUse;
}

/** Cache files to write when the process exits: the loaded file's script, and the prefix its older caches share. */
const toWrite = new Map<string, { script: Script; prefix: string }>();
let exitHook = false;

/** The per-user directory, or undefined when there is none. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CONNLINT_CODE_CACHE === '0') return undefined;
  if (env.CONNLINT_CACHE_DIR) return env.CONNLINT_CACHE_DIR;
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'connlint', 'Cache');
  const home = env.XDG_CACHE_HOME ? undefined : safeHome();
  const base = env.XDG_CACHE_HOME || (home ? join(home, '.cache') : undefined);
  return base ? join(base, 'connlint') : undefined;
}

function safeHome(): string | undefined {
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Requires `filename` (an absolute path to a CommonJS file) as `require` would, through the code cache: Node
 * resolves, loads and records the module as ever; only compiling that one file is done here, with the cache.
 * A file already required is returned from require's own cache.
 */
export function requireWithCodeCache(filename: string): CodeCacheLoad {
  const require = createRequire(filename);
  const dir = codeCacheDir();
  const cjs = Module as unknown as ModuleInternals;
  if (!dir || cjs._cache[filename]) return { exports: require(filename), cache: 'off' };
  // Every cache of one file's path starts with the same prefix: writing a new one removes the others (an upgraded or
  // rebuilt file's).
  const prefix = `code-${hash(filename)}-`;
  let cacheFile: string;
  try {
    const stats = statSync(filename);
    cacheFile = join(dir, `${prefix}${hash(`${process.version}\0${process.arch}\0${stats.size}\0${stats.mtimeMs}\0${stats.ino}`)}.bin`);
  } catch {
    return { exports: require(filename), cache: 'off' };
  }
  let use: CodeCacheUse = 'off';
  const extensions = cjs._extensions;
  const loadJs = extensions['.js'];
  // An ASCII source (the compiler's is) read as bytes becomes a string without UTF-8 decoding: for 9 MB, ≈ 5–10 ms
  // instead of ≈ 25. Anything else is loaded as Node loads it.
  extensions['.js'] = function loadAscii(this: unknown, module: ModuleInstance, file: string) {
    if (file !== filename) return loadJs.call(this, module, file);
    const bytes = readFileSync(file);
    if (!isAscii(bytes)) return loadJs.call(this, module, file);
    return module._compile(bytes.toString('latin1'), file);
  };
  const proto = cjs.prototype;
  const compile = proto._compile;
  proto._compile = function compileWithCache(this: ModuleInstance, content: string, file: string) {
    if (file !== filename) return compile.call(this, content, file);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    const script = new Script(cjs.wrap(stripShebang(content)), { filename: file, cachedData });
    use = cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used';
    if (use !== 'used') scheduleWrite(cacheFile, script, prefix);
    const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, createRequire(file), this, file, dirname(file));
  };
  try {
    return { exports: require(filename), cache: use };
  } finally {
    proto._compile = compile;
    extensions['.js'] = loadJs;
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/** The bytecode is taken at exit, so the functions the run compiled lazily are in it too. */
function scheduleWrite(cacheFile: string, script: Script, prefix: string): void {
  toWrite.set(cacheFile, { script, prefix });
  if (exitHook) return;
  exitHook = true;
  process.once('exit', writeCaches);
}

/** Writes every pending cache (atomically: a reader sees the old file or the whole new one). Never throws. */
export function writeCaches(): void {
  for (const [cacheFile, { script, prefix }] of toWrite) {
    toWrite.delete(cacheFile);
    try {
      const data = script.createCachedData();
      const dir = dirname(cacheFile);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const partial = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(partial, data, { mode: 0o600 });
      renameSync(partial, cacheFile);
      for (const other of readdirSync(dir))
        if (other.startsWith(prefix) && other.endsWith('.bin') && join(dir, other) !== cacheFile) rmSync(join(dir, other), { force: true });
      sweepStale(dir, Date.now());
    } catch {
      // A cache that cannot be written costs the next run time, nothing else.
    }
  }
}

/** A cache not written for this long is removed when another is written. */
export const STALE_CACHE_DAYS = 30;
const CACHE_FILE = /^code-[0-9a-f]{24}-[0-9a-f]{24}\.bin(?:\.\d+\.tmp)?$/;

/**
 * Caches of files that are gone (each `npx connlint@<version>` runs from a folder of its own) would pile up: when a
 * cache is written (after an install or an upgrade), any cache or unfinished write not written for
 * `STALE_CACHE_DAYS` is removed. A cache still in use but that old is written again by its next run, once.
 */
function sweepStale(dir: string, now: number): void {
  for (const name of readdirSync(dir)) {
    if (!CACHE_FILE.test(name)) continue;
    try {
      const path = join(dir, name);
      if (now - statSync(path).mtimeMs > STALE_CACHE_DAYS * 24 * 3600 * 1000) rmSync(path, { force: true });
    } catch {
      // Removed by another run meanwhile.
    }
  }
}

/** A `#!` line is a comment to Node's loader but not to V8 inside a function wrapper. */
function stripShebang(source: string): string {
  return source.startsWith('#!') ? `//${source}` : source;
}

interface ModuleInstance {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}

interface ModuleInternals {
  _cache: Record<string, ModuleInstance | undefined>;
  _extensions: { '.js': (this: unknown, module: ModuleInstance, filename: string) => unknown };
  wrap(source: string): string;
  prototype: { _compile(this: ModuleInstance, content: string, filename: string): unknown };
}
