import assert from 'node:assert/strict';
import fs, { symlinkSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { discoverFiles } from '../../src/discover/find-files.js';
import { tempRepo } from '../temp-repo.js';

type Calls = Map<string, string[]>;

/**
 * Runs `body` with the file-system calls discovery could make wrapped, so the test sees every call
 * (the ES module bindings of node:fs follow the wrapped functions after syncBuiltinESMExports).
 */
function watchingFs<T>(body: () => T): { result: T; calls: Calls } {
  const names = ['openSync', 'readFileSync', 'readdirSync', 'readlinkSync', 'statSync', 'lstatSync', 'realpathSync', 'existsSync'] as const;
  const calls: Calls = new Map(names.map((n) => [n, []]));
  const original = new Map(names.map((n) => [n, fs[n]]));
  for (const name of names) {
    const real = fs[name] as (...args: unknown[]) => unknown;
    (fs as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      calls.get(name)?.push(String(args[0]));
      return real(...args);
    };
  }
  syncBuiltinESMExports();
  try {
    return { result: body(), calls };
  } finally {
    for (const [name, fn] of original) (fs as unknown as Record<string, unknown>)[name] = fn;
    syncBuiltinESMExports();
  }
}

test('the walk lists each directory once, stats nothing, and the view reads no file a second time', () => {
  const dir = tempRepo({
    'my.cnf': '!includedir conf.d\n',
    'conf.d/a.cnf': 'a\n',
    'conf.d/b.cnf': 'b\n',
    'docker/mysql/c.cnf': 'c\n',
    'notes/readme.txt': 'not wanted\n',
  });
  symlinkSync('../conf.d/a.cnf', join(dir, 'docker/a-link.cnf'));
  symlinkSync('docker/mysql', join(dir, 'mysql'));
  symlinkSync('/etc/mysql/c.cnf', join(dir, 'abs.cnf'));
  const { result: d, calls } = watchingFs(() => {
    const found = discoverFiles({
      root: dir,
      targets: [dir],
      include: [],
      exclude: [],
      mounts: { '/etc/mysql': 'docker/mysql' },
      wanted: (p) => (p.endsWith('.cnf') ? 'read' : undefined),
    });
    // A parser following includes reads the same files again through the view, by other names too.
    for (const path of ['my.cnf', 'conf.d/a.cnf', 'conf.d/b.cnf', 'docker/a-link.cnf', 'mysql/c.cnf', 'abs.cnf', 'notes/readme.txt']) {
      assert.ok(found.view.readText(path) !== undefined, path);
    }
    assert.deepEqual(found.view.listDir('conf.d'), ['a.cnf', 'b.cnf']);
    assert.equal(found.view.isDirectory('mysql'), true);
    return found;
  });
  assert.deepEqual(
    d.files.map((f) => f.path),
    ['abs.cnf', 'conf.d/a.cnf', 'conf.d/b.cnf', 'docker/a-link.cnf', 'docker/mysql/c.cnf', 'my.cnf'],
  );
  for (const name of ['statSync', 'lstatSync', 'realpathSync', 'existsSync', 'readFileSync']) {
    assert.deepEqual(calls.get(name), [], `${name} was called`);
  }
  const opened = calls.get('openSync') ?? [];
  assert.equal(new Set(opened).size, opened.length, `a file was opened twice: ${opened.join(', ')}`);
  assert.equal(opened.length, 5, 'four wanted files, one of them reached by three names, and the unwanted readme once');
  const listed = calls.get('readdirSync') ?? [];
  assert.equal(new Set(listed).size, listed.length, 'a directory was listed twice');
  assert.deepEqual((calls.get('readlinkSync') ?? []).map((p) => p.slice(dir.length + 1)).sort(), ['abs.cnf', 'docker/a-link.cnf', 'mysql']);
  assert.deepEqual(d.view.stats(), { filesOpened: 5, directoriesListed: listed.length, linksRead: 3 });
});
