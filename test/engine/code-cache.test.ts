import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { codeCacheDir } from '../../src/engine/code-cache.js';
import { REPO } from '../load-trace.js';

/*
 * The code cache (src/engine/code-cache.ts) changes how fast a file loads, never what it gives: each case runs in a
 * fresh process, as a run of the CLI would, and checks the module's exports beside what happened to the cache.
 */

const LOADER = pathToFileURL(join(REPO, 'dist/src/engine/code-cache.js')).href;

function setup(source: string): { dir: string; module: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'connlint-code-cache-'));
  const module = join(dir, 'lib.cjs');
  writeFileSync(module, source);
  return { dir, module, cache: join(dir, 'cache') };
}

/** Loads `module` in a child process; what the cache did, the module's answer, and whether require sees the same module. */
function load(module: string, env: Record<string, string>): { cache: string; answer: unknown; same: boolean } {
  const script = `
    import { createRequire } from 'node:module';
    const { requireWithCodeCache } = await import(${JSON.stringify(LOADER)});
    const file = ${JSON.stringify(module)};
    const loaded = requireWithCodeCache(file);
    const same = createRequire(file)(file) === loaded.exports;
    process.stdout.write(JSON.stringify({ cache: loaded.cache, answer: loaded.exports.answer(), same }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, CONNLINT_CODE_CACHE: '', ...env },
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

const cacheFiles = (dir: string) => {
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.bin'));
  } catch {
    return [];
  }
};

test('the first run compiles and writes the cache, the next one uses it; both give the same module', () => {
  const { module, cache } = setup('"use strict";\nconst base = 40;\nexports.answer = function () { return base + 2; };\n');
  assert.deepEqual(load(module, { CONNLINT_CACHE_DIR: cache }), { cache: 'missing', answer: 42, same: true });
  assert.equal(cacheFiles(cache).length, 1);
  assert.deepEqual(load(module, { CONNLINT_CACHE_DIR: cache }), { cache: 'used', answer: 42, same: true });
});

test('the source is the same text whether it is ASCII (read without UTF-8 decoding) or not (a BOM, accents, emoji)', () => {
  // Node's own loader for anything but ASCII: a BOM is not part of the text, characters are decoded as UTF-8.
  const texts = ['plain ascii', 'caf\u00e9 \u{1F600}'];
  for (const [i, text] of texts.entries()) {
    for (const bom of ['', '\uFEFF']) {
      const { module, cache } = setup(
        `${bom}exports.answer = () => ${JSON.stringify(text)} + "|" + module.exports.answer.toString().length;\n`,
      );
      const expected = `${text}|${`() => ${JSON.stringify(text)} + "|" + module.exports.answer.toString().length`.length}`;
      for (const use of ['missing', 'used'])
        assert.deepEqual(
          load(module, { CONNLINT_CACHE_DIR: cache }),
          { cache: use, answer: expected, same: true },
          `text ${i}, bom ${bom.length}`,
        );
    }
  }
});

test('a corrupt cache is rejected by V8 and written again; the module still loads', () => {
  const { module, cache } = setup('exports.answer = () => "from the source";\n');
  load(module, { CONNLINT_CACHE_DIR: cache });
  const [name] = cacheFiles(cache);
  assert.ok(name);
  const file = join(cache, name);
  const bytes = readFileSync(file);
  bytes.fill(7, 0, Math.min(bytes.length, 64));
  writeFileSync(file, bytes);
  assert.deepEqual(load(module, { CONNLINT_CACHE_DIR: cache }), { cache: 'rejected', answer: 'from the source', same: true });
  assert.deepEqual(load(module, { CONNLINT_CACHE_DIR: cache }), { cache: 'used', answer: 'from the source', same: true });
});

test('a changed file never meets the cache of its old text, which is removed', () => {
  const { module, cache } = setup('exports.answer = () => 1;\n');
  load(module, { CONNLINT_CACHE_DIR: cache });
  const [old] = cacheFiles(cache);
  writeFileSync(module, 'exports.answer = () => 22;\n');
  assert.deepEqual(load(module, { CONNLINT_CACHE_DIR: cache }), { cache: 'missing', answer: 22, same: true });
  // The old file's cache made way for the new one's.
  const now = cacheFiles(cache);
  assert.equal(now.length, 1);
  assert.notEqual(now[0], old);
  assert.deepEqual(load(module, { CONNLINT_CACHE_DIR: cache }), { cache: 'used', answer: 22, same: true });
});

test('writing a cache removes the caches and unfinished writes of other files not written for 30 days, and nothing else', () => {
  const { module, cache } = setup('exports.answer = () => 3;\n');
  mkdirSync(cache, { recursive: true });
  const day = 24 * 3600;
  const now = Date.now() / 1000;
  const put = (name: string, daysOld: number) => {
    writeFileSync(join(cache, name), 'x');
    utimesSync(join(cache, name), now - daysOld * day, now - daysOld * day);
  };
  const hex = (c: string) => c.repeat(24);
  put(`code-${hex('a')}-${hex('b')}.bin`, 40);
  put(`code-${hex('a')}-${hex('c')}.bin.4242.tmp`, 31);
  put(`code-${hex('d')}-${hex('e')}.bin`, 29);
  put('notes.txt', 400);
  assert.deepEqual(load(module, { CONNLINT_CACHE_DIR: cache }), { cache: 'missing', answer: 3, same: true });
  const left = readdirSync(cache).sort();
  assert.equal(left.length, 3, left.join(', '));
  assert.ok(left.includes(`code-${hex('d')}-${hex('e')}.bin`) && left.includes('notes.txt'), left.join(', '));
  assert.equal(cacheFiles(cache).length, 2, 'the new cache beside the recent one');
  // A run that only reads a cache removes nothing.
  put(`code-${hex('f')}-${hex('f')}.bin`, 90);
  assert.deepEqual(load(module, { CONNLINT_CACHE_DIR: cache }), { cache: 'used', answer: 3, same: true });
  assert.ok(readdirSync(cache).includes(`code-${hex('f')}-${hex('f')}.bin`));
});

test('CONNLINT_CODE_CACHE=0 turns it off; a cache directory that cannot be written costs nothing but time', () => {
  const { dir, module, cache } = setup('exports.answer = () => "plain";\n');
  assert.deepEqual(load(module, { CONNLINT_CACHE_DIR: cache, CONNLINT_CODE_CACHE: '0' }), { cache: 'off', answer: 'plain', same: true });
  assert.deepEqual(cacheFiles(cache), []);
  const notADir = join(dir, 'a-file');
  writeFileSync(notADir, 'x');
  for (let i = 0; i < 2; i++)
    assert.deepEqual(load(module, { CONNLINT_CACHE_DIR: join(notADir, 'cache') }), { cache: 'missing', answer: 'plain', same: true });
});

test('the cache is per user: XDG_CACHE_HOME or ~/.cache, CONNLINT_CACHE_DIR first', () => {
  assert.equal(codeCacheDir({ CONNLINT_CACHE_DIR: '/x/c' }), '/x/c');
  assert.equal(codeCacheDir({ CONNLINT_CODE_CACHE: '0', CONNLINT_CACHE_DIR: '/x/c' }), undefined);
  if (process.platform !== 'win32') {
    assert.equal(codeCacheDir({ XDG_CACHE_HOME: '/home/u/.cache-x' }), '/home/u/.cache-x/connlint');
    assert.match(codeCacheDir({}) ?? '', /\/\.cache\/connlint$/);
  }
});
