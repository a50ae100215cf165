import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Which modules a run of the CLI really loads (ES modules and CommonJS), recorded in a child process by the preload
 * test/engine/load-trace.mjs: for tests that assert what loads, never how fast.
 */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(REPO, 'bin/connlint.js');
const TRACE_HOOK = join(REPO, 'test/engine/load-trace.mjs');
/** The CLI from tsc's modules rather than the bundle bin/connlint.js loads (src/dev/bundle.ts). */
const MODULES_BIN = join(REPO, 'test/engine/run-modules.mjs');

/**
 * The URLs of every module `connlint <args>` loaded: by the shipped bin (the bundle and the packages it loads), or,
 * with `entry: 'modules'`, by the same CLI run from connlint's separate modules, to see which of its own load.
 */
export function loaded(args: string[], entry: 'bin' | 'modules' = 'bin'): string[] {
  const trace = join(mkdtempSync(join(tmpdir(), 'connlint-trace-')), 'trace.txt');
  const run = spawnSync(process.execPath, ['--import', TRACE_HOOK, entry === 'bin' ? BIN : MODULES_BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CONNLINT_TRACE: trace },
  });
  assert.ok(run.status === 0 || run.status === 1, `${args.join(' ')}: exit ${run.status}: ${run.stderr}`);
  return readFileSync(trace, 'utf8').split('\n').filter(Boolean);
}

export const has = (urls: string[], part: string) => urls.some((u) => u.includes(part));
