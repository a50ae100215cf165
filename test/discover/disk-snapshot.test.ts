import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type DiscoverOptions, type Discovery, discoverFiles, type Wanted } from '../../src/discover/find-files.js';
import { createDiskSnapshot, forgetPath } from '../../src/discover/tree-view.js';
import { createLintCache } from '../../src/engine/cache.js';
import { lint } from '../../src/engine/run.js';
import { tempRepo } from '../temp-repo.js';

/*
 * Issue 21: a language server keeps what it read from the disk between keystrokes (a DiskSnapshot) and forgets what
 * its client reports changed. A run with a snapshot gives what a run without one gives; it only reads less.
 */

const wanted = (p: string): Wanted => (p.endsWith('.cnf') || p.endsWith('.properties') ? 'read' : undefined);

function discover(root: string, options: Partial<DiscoverOptions> = {}): Discovery {
  return discoverFiles({ root, targets: [root], include: [], exclude: [], mounts: {}, wanted, ...options });
}

const summary = (d: Discovery) => ({
  files: d.files.map((f) => ({ path: f.path, text: f.bytes?.toString('utf8') })),
  skipped: d.skipped,
});

const TREE = {
  'db/my.cnf': '[mysqld]\nwait_timeout = 600\n',
  'app/hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\n',
  'src/index.js': 'console.log(1)\n',
};

test('a second walk over a snapshot lists and reads nothing, and finds what the first found', () => {
  const dir = tempRepo(TREE);
  const disk = createDiskSnapshot(dir);
  const first = discover(dir, { disk });
  assert.ok(first.view.stats().filesOpened === 2 && first.view.stats().directoriesListed > 0);
  const again = discover(dir, { disk });
  assert.deepEqual(again.view.stats(), { filesOpened: 0, directoriesListed: 0, linksRead: 0 });
  assert.deepEqual(summary(again), summary(first));
  assert.deepEqual(summary(again), summary(discover(dir)));
});

test('a forgotten path is read again: a changed file, a new file in a new folder, a removed folder', () => {
  const dir = tempRepo(TREE);
  const disk = createDiskSnapshot(dir);
  discover(dir, { disk });
  writeFileSync(join(dir, 'db/my.cnf'), '[mysqld]\nwait_timeout = 28800\n');
  assert.equal(discover(dir, { disk }).files[1]?.bytes?.toString('utf8'), TREE['db/my.cnf'], 'not told, the snapshot holds');
  forgetPath(disk, 'db/my.cnf');
  assert.deepEqual(summary(discover(dir, { disk })), summary(discover(dir)));

  mkdirSync(join(dir, 'new/deep'), { recursive: true });
  writeFileSync(join(dir, 'new/deep/x.cnf'), '[mysqld]\n');
  forgetPath(disk, 'new/deep/x.cnf');
  const added = discover(dir, { disk });
  assert.ok(added.files.some((f) => f.path === 'new/deep/x.cnf'));
  assert.deepEqual(summary(added), summary(discover(dir)));

  rmSync(join(dir, 'new'), { recursive: true });
  forgetPath(disk, 'new');
  assert.deepEqual(summary(discover(dir, { disk })), summary(discover(dir)));
});

test('overlays never enter the snapshot: without the overlay, the disk text comes back', () => {
  const dir = tempRepo(TREE);
  const disk = createDiskSnapshot(dir);
  const overlays = new Map([
    ['db/my.cnf', '[mysqld]\nwait_timeout = 1\n'],
    ['only/in/editor.cnf', '[mysqld]\n'],
  ]);
  const edited = discover(dir, { disk, overlays });
  assert.deepEqual(summary(edited), summary(discover(dir, { overlays })));
  assert.equal(edited.view.readText('db/my.cnf'), '[mysqld]\nwait_timeout = 1\n');
  const plain = discover(dir, { disk });
  assert.deepEqual(summary(plain), summary(discover(dir)));
  assert.equal(plain.view.readText('only/in/editor.cnf'), undefined);
});

test('lint with a kept disk: the same result as a fresh run after edits, and changes on disk seen once reported', async () => {
  const dir = tempRepo({
    ...TREE,
    'connlint.config.yaml': 'network:\n  profile: aws-nat-gateway\n',
    'compose.yaml': 'services:\n  db:\n    image: mysql:8.0\n    command: ["--wait-timeout=600"]\n',
    'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 600\n',
  });
  const cache = createLintCache({ keepDisk: true });
  const hikari = join(dir, 'app/hikari.properties');
  const plain = (r: Awaited<ReturnType<typeof lint>>) => JSON.stringify(r.result);
  for (const lifetime of [1_800_000, 590_000, 1_800_000, 30_000]) {
    const overlays = new Map([[hikari, `jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=${lifetime}\n`]]);
    assert.equal(plain(await lint({ cwd: dir, paths: [], cache, overlays })), plain(await lint({ cwd: dir, paths: [], overlays })));
  }
  writeFileSync(join(dir, 'db/my.cnf'), '[mysqld]\nwait_timeout = 28800\n');
  cache.changed(join(dir, 'db/my.cnf'));
  assert.equal(plain(await lint({ cwd: dir, paths: [], cache })), plain(await lint({ cwd: dir, paths: [] })));
  writeFileSync(join(dir, 'connlint.config.yaml'), 'network:\n  idleTimeout: 100s\n');
  assert.equal(
    plain(await lint({ cwd: dir, paths: [], cache })),
    plain(await lint({ cwd: dir, paths: [] })),
    'the config is read every run',
  );
  // A file deleted, then written again with other text: gone from the run, then read anew.
  const sysctl = join(dir, 'etc/sysctl.conf');
  rmSync(sysctl);
  cache.changed(sysctl);
  const without = await lint({ cwd: dir, paths: [], cache });
  assert.ok(!without.result.files.some((f) => f.path === 'etc/sysctl.conf'));
  assert.equal(plain(without), plain(await lint({ cwd: dir, paths: [] })));
  writeFileSync(sysctl, 'net.ipv4.tcp_keepalive_time = 7200\n');
  cache.changed(sysctl);
  const back = await lint({ cwd: dir, paths: [], cache });
  assert.ok(back.result.files.some((f) => f.path === 'etc/sysctl.conf'));
  assert.equal(plain(back), plain(await lint({ cwd: dir, paths: [] })));
});

test('without keepDisk a cache keeps no snapshot: every run reads the disk', async () => {
  const dir = tempRepo(TREE);
  const cache = createLintCache();
  assert.equal(cache.disk(dir), undefined);
  await lint({ cwd: dir, paths: [], cache });
  writeFileSync(join(dir, 'db/my.cnf'), '[mysqld]\nwait_timeout = 28800\n');
  const again = await lint({ cwd: dir, paths: [], cache });
  assert.equal(JSON.stringify(again.result), JSON.stringify((await lint({ cwd: dir, paths: [] })).result));
});
