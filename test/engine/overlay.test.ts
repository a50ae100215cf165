import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLintCache } from '../../src/engine/cache.js';
import { InvalidConfigError, lint, UsageError } from '../../src/engine/run.js';
import { tempRepo } from '../temp-repo.js';

// Unsaved buffers (`--stdin`, the language server) replace the file on disk for one run; the rest of the tree is
// read from disk.
const OVER = {
  'db/my.cnf': '[mysqld]\nwait_timeout = 600\n',
  'app/hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\n',
};

const ids = (findings: Array<{ ruleId: string; location: { path: string; line: number } }>) =>
  findings.map((f) => `${f.ruleId} ${f.location.path}:${f.location.line}`);

test('an overlay replaces the file on disk, which is left as it was', async () => {
  const dir = tempRepo(OVER);
  const before = await lint({ cwd: dir, paths: [] });
  assert.deepEqual(ids(before.result.findings), ['pool-lifetime-exceeds-wait-timeout app/hikari.properties:2']);
  const fixed = await lint({
    cwd: dir,
    paths: [],
    overlays: new Map([[join(dir, 'app/hikari.properties'), 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=590000\n']]),
  });
  assert.deepEqual(ids(fixed.result.findings), []);
  assert.equal(readFileSync(join(dir, 'app/hikari.properties'), 'utf8'), OVER['app/hikari.properties']);
});

test('an overlay of the other file of a pair changes the finding in this one', async () => {
  const dir = tempRepo(OVER);
  const run = await lint({
    cwd: dir,
    paths: [],
    overlays: new Map([[join(dir, 'db/my.cnf'), '[mysqld]\nwait_timeout = 28800\n']]),
  });
  assert.deepEqual(ids(run.result.findings), []);
});

test('an overlay with no file on disk yet, in a folder that does not exist, is linted with the tree', async () => {
  const dir = tempRepo({ 'db/my.cnf': OVER['db/my.cnf'] });
  const run = await lint({
    cwd: dir,
    paths: [],
    overlays: new Map([[join(dir, 'new/module/hikari.properties'), OVER['app/hikari.properties']]]),
  });
  assert.deepEqual(ids(run.result.findings), ['pool-lifetime-exceeds-wait-timeout new/module/hikari.properties:2']);
  assert.deepEqual(
    run.result.files.map((f) => f.path),
    ['db/my.cnf', 'new/module/hikari.properties'],
  );
});

test('an overlay is held to the limits of a file on disk', async () => {
  const dir = tempRepo(OVER);
  const run = await lint({
    cwd: dir,
    paths: [],
    overlays: new Map([[join(dir, 'db/my.cnf'), '[mysqld]\n\0']]),
  });
  assert.deepEqual(
    run.result.findings.map((f) => [f.ruleId, f.location.path, f.message]),
    [['binary-file', 'db/my.cnf', 'binary file (NUL byte at offset 9); not read']],
  );
});

test('the config file can be an overlay too, and its errors carry their places', async () => {
  const dir = tempRepo(OVER);
  const off = await lint({
    cwd: dir,
    paths: [],
    overlays: new Map([[join(dir, 'connlint.config.yaml'), 'rules:\n  pool-lifetime-exceeds-wait-timeout: off\n']]),
  });
  assert.deepEqual(ids(off.result.findings), []);
  await assert.rejects(
    lint({ cwd: dir, paths: [], overlays: new Map([[join(dir, 'connlint.config.yaml'), 'rules:\n  no-such-rule: off\n']]) }),
    (error: unknown) => {
      assert.ok(error instanceof InvalidConfigError);
      assert.equal(error.path, 'connlint.config.yaml');
      assert.deepEqual(
        error.errors.map((e) => [e.span.line, e.span.column]),
        [[2, 3]],
      );
      return true;
    },
  );
});

test('an overlay outside the scanned folder is a usage error', async () => {
  const dir = tempRepo(OVER);
  await assert.rejects(
    lint({ cwd: join(dir, 'app'), paths: [], overlays: new Map([[join(dir, 'db/my.cnf'), '']]) }),
    (error: unknown) => error instanceof UsageError && /is not inside the scanned folder/.test(error.message),
  );
});

test('with a kept cache, a changed overlay is the only file parsed again', async () => {
  const dir = tempRepo(OVER);
  const cache = createLintCache();
  await lint({ cwd: dir, paths: [], cache });
  assert.equal(cache.stats.parsed, 2);
  await lint({
    cwd: dir,
    paths: [],
    cache,
    overlays: new Map([[join(dir, 'app/hikari.properties'), 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=590000\n']]),
  });
  assert.deepEqual(cache.stats, { parsed: 3, reused: 1 });
});
