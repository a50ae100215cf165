import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempRepo } from '../temp-repo.js';

/** Discovery run in a child process, so it can run as an unprivileged user when the tests run as root. */
const CHILD = `
const [moduleUrl, root] = process.argv.slice(1);
const { discoverFiles } = await import(moduleUrl);
const d = discoverFiles({ root, targets: [root], include: [], exclude: [], mounts: {}, wanted: (p) => (p.endsWith('.cnf') ? 'read' : undefined) });
const view = { locked: d.view.readText('locked/inner.cnf') ?? null, ok: d.view.readText('ok/my.cnf') ?? null, listLocked: d.view.listDir('locked') ?? null };
console.log(JSON.stringify({ files: d.files.map((f) => [f.path, f.bytes?.toString('utf8') ?? null]), skipped: d.skipped, view }));
`;

const NOBODY = 65534;

test('an unreadable directory and an unreadable file are reported; everything else is still found', {
  skip: process.platform === 'win32',
}, () => {
  const dir = tempRepo({ 'ok/my.cnf': '[mysqld]\n', 'locked/inner.cnf': '[mysqld]\n', 'secret.cnf': '[client]\n', 'z/last.cnf': 'z\n' });
  symlinkSync('locked/inner.cnf', join(dir, 'via-locked.cnf'));
  for (const d of ['.', 'ok', 'z']) chmodSync(join(dir, d), 0o755);
  for (const f of ['ok/my.cnf', 'z/last.cnf']) chmodSync(join(dir, f), 0o644);
  chmodSync(join(dir, 'secret.cnf'), 0o000);
  chmodSync(join(dir, 'locked'), 0o000);
  try {
    const moduleUrl = new URL('../../src/discover/find-files.js', import.meta.url).href;
    // As root every permission check passes, so the child runs as nobody; as another user it runs as that user.
    const asRoot = process.getuid?.() === 0;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, moduleUrl, dir], {
      encoding: 'utf8',
      ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    assert.equal(child.status, 0, child.stderr);
    const out = JSON.parse(child.stdout);
    assert.deepEqual(out.files, [
      ['ok/my.cnf', '[mysqld]\n'],
      ['z/last.cnf', 'z\n'],
    ]);
    assert.deepEqual(out.skipped, [
      { ruleId: 'unreadable-path', path: 'locked', message: 'cannot read directory: EACCES' },
      { ruleId: 'unreadable-path', path: 'secret.cnf', message: 'cannot read file: EACCES' },
      { ruleId: 'unreadable-path', path: 'via-locked.cnf', message: 'cannot read directory locked: EACCES' },
    ]);
    assert.deepEqual(out.view, { locked: null, ok: '[mysqld]\n', listLocked: null });
  } finally {
    chmodSync(join(dir, 'locked'), 0o755);
    chmodSync(join(dir, 'secret.cnf'), 0o644);
  }
});
