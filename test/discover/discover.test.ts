import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type DiscoverOptions, type Discovery, discoverFiles, MAX_FILE_BYTES, type Wanted } from '../../src/discover/find-files.js';
import { coversDirectory, globToRegExp } from '../../src/discover/glob.js';
import { createDiskSnapshot } from '../../src/discover/tree-view.js';
import { tempRepo } from '../temp-repo.js';

const readAll = (): Wanted => 'read';

function discover(root: string, options: Partial<DiscoverOptions> = {}): Discovery {
  return discoverFiles({ root, targets: [root], include: [], exclude: [], mounts: {}, wanted: readAll, ...options });
}

/** Everything a discovery says, as plain data (texts instead of buffers). */
function summary(d: Discovery) {
  return {
    files: d.files.map((f) => ({ path: f.path, text: f.bytes?.toString('utf8'), listedOnly: f.listedOnly })),
    skipped: d.skipped,
  };
}

test('globs: ** across directories, * within one, {a,b}, bare names match at any depth', () => {
  assert.ok(globToRegExp('vendor/**').test('vendor/a/b/my.cnf'));
  assert.ok(!globToRegExp('vendor/**').test('src/vendor.cnf'));
  assert.ok(globToRegExp('**/*.cnf').test('my.cnf'));
  assert.ok(globToRegExp('**/*.cnf').test('a/b/my.cnf'));
  assert.ok(!globToRegExp('deploy/*.cnf').test('deploy/conf.d/x.cnf'));
  assert.ok(globToRegExp('*.{cnf,properties}').test('x/y/hikari.properties'));
  assert.ok(globToRegExp('services/billing/**').test('services/billing/src/hikari.properties'));
});

test('a directory is left out of the walk only when the patterns exclude everything below it', () => {
  const covers = (dir: string, pattern: string) => coversDirectory(dir, [globToRegExp(pattern)]);
  assert.ok(covers('vendor', 'vendor/**'));
  assert.ok(covers('vendor', 'vendor/'));
  assert.ok(covers('a/vendor', '**/vendor/**'));
  assert.ok(covers('vendor', 'vendor'));
  assert.ok(!covers('vendor', 'vendor/*.cnf'));
  assert.ok(!covers('vendor', '*.cnf'));
  assert.ok(!covers('vendors', 'vendor/**'));
});

test('include and exclude from the config; .git, node_modules, .hg and .svn are never walked', () => {
  const dir = tempRepo({
    'a/my.cnf': '[mysqld]\n',
    'vendor/my.cnf': '[mysqld]\n',
    'node_modules/pkg/my.cnf': '[mysqld]\n',
    '.git/my.cnf': '[mysqld]\n',
    '.hg/my.cnf': '[mysqld]\n',
    'x/.svn/my.cnf': '[mysqld]\n',
    'b/hikari.properties': 'jdbcUrl=jdbc:mysql://x/y\n',
  });
  assert.deepEqual(
    discover(dir).files.map((f) => f.path),
    ['a/my.cnf', 'b/hikari.properties', 'vendor/my.cnf'],
  );
  const some = discover(dir, { include: ['**/*.cnf'], exclude: ['vendor/**'] });
  assert.deepEqual(
    some.files.map((f) => f.path),
    ['a/my.cnf'],
  );
});

test('wanted decides from the path: read gives the bytes, list gives the path only, undefined leaves the file alone', () => {
  const dir = tempRepo({ 'my.cnf': '[mysqld]\n', 'templates/my.cnf.j2': '[mysqld]\n{{ x }}\n', 'README.md': '# hi\n' });
  const asked: string[] = [];
  const wanted = (path: string): Wanted => {
    asked.push(path);
    if (path.endsWith('.cnf')) return 'read';
    if (path.endsWith('.j2')) return 'list';
    return undefined;
  };
  const d = discover(dir, { wanted });
  assert.deepEqual(summary(d).files, [
    { path: 'my.cnf', text: '[mysqld]\n', listedOnly: undefined },
    { path: 'templates/my.cnf.j2', text: undefined, listedOnly: true },
  ]);
  assert.deepEqual(asked.sort(), ['README.md', 'my.cnf', 'templates/my.cnf.j2'], 'asked once per file, never for a directory');
  assert.equal(d.view.stats().filesOpened, 1, 'only the file wanted for reading was opened');
});

test('named files: wanted is asked, include does not apply, exclude does; the order of the targets does not matter', () => {
  const dir = tempRepo({ 'a/x.cnf': 'x\n', 'a/y.txt': 'y\n', 'a/skip.cnf': 's\n' });
  const wanted = (path: string): Wanted => (path.endsWith('.cnf') ? 'read' : undefined);
  const targets = [join(dir, 'a'), join(dir, 'a/x.cnf'), join(dir, 'a/y.txt')];
  const run = (t: string[]) => summary(discover(dir, { targets: t, include: ['nothing/**'], exclude: ['**/skip.cnf'], wanted }));
  const expected = { files: [{ path: 'a/x.cnf', text: 'x\n', listedOnly: undefined }], skipped: [] };
  assert.deepEqual(run(targets), expected);
  assert.deepEqual(run([...targets].reverse()), expected);
});

test('a file over the size limit is reported after one fstat and never read', () => {
  const dir = tempRepo({ 'big.cnf': Buffer.alloc(5 * 1024 * 1024, 0x61), 'ok.cnf': 'ok\n' });
  const d = discover(dir);
  assert.deepEqual(
    d.files.map((f) => f.path),
    ['ok.cnf'],
  );
  assert.deepEqual(d.skipped, [
    {
      ruleId: 'file-too-large',
      path: 'big.cnf',
      message: `file is ${5 * 1024 * 1024} bytes, more than the 4 MiB limit for configuration files; not read`,
    },
  ]);
  assert.equal(MAX_FILE_BYTES, 4 * 1024 * 1024);
  assert.equal(d.view.readText('big.cnf'), undefined);
  assert.equal(d.view.stats().filesOpened, 2, 'the view did not open the big file again');
});

test('a file with a NUL byte is reported as binary with the offset', () => {
  const dir = tempRepo({ 'binary.cnf': Buffer.from([0x5b, 0x6d, 0x79, 0x00, 0xff, 0xfe, 0x0a]) });
  const d = discover(dir);
  assert.deepEqual(d.files, []);
  assert.deepEqual(d.skipped, [{ ruleId: 'binary-file', path: 'binary.cnf', message: 'binary file (NUL byte at offset 3); not read' }]);
});

test('the view skips what the walk already reported and reports what parsers met on their own', () => {
  const dir = tempRepo({ 'my.cnf': '!include extra.bin\n', 'extra.bin': Buffer.from([0x61, 0x00]), 'binary.cnf': Buffer.from([0]) });
  const d = discover(dir, { wanted: (p) => (p.endsWith('.cnf') ? 'read' : undefined) });
  assert.equal(d.view.readText('binary.cnf'), undefined);
  assert.equal(d.view.readText('extra.bin'), undefined);
  assert.equal(d.view.isFile('extra.bin'), true);
  assert.deepEqual(d.view.skipped(), [
    { ruleId: 'binary-file', path: 'extra.bin', message: 'binary file (NUL byte at offset 1); not read' },
  ]);
});

/** A deterministic shuffle (xorshift), so a failure can be reproduced. */
function shuffled(seed: number): (names: string[]) => string[] {
  let s = seed;
  return (names) => {
    const out = [...names];
    for (let i = out.length - 1; i > 0; i--) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const j = Math.abs(s) % (i + 1);
      [out[i], out[j]] = [out[j] as string, out[i] as string];
    }
    return out;
  };
}

test('the order in which directory entries are visited does not change the result', () => {
  const files: Record<string, string | Buffer> = { 'big.cnf': Buffer.alloc(MAX_FILE_BYTES + 1, 0x61), 'bin.cnf': Buffer.from([0]) };
  for (const d of ['a', 'b', 'c', 'a/x', 'b/y/z']) for (const f of ['1.cnf', '2.cnf', 'Z.cnf', 'é.cnf']) files[`${d}/${f}`] = `${d}/${f}\n`;
  const dir = tempRepo(files);
  symlinkSync('a', join(dir, 'alias'));
  symlinkSync('../b/y/z/1.cnf', join(dir, 'a/link.cnf'));
  symlinkSync('/etc/alternatives/my.cnf', join(dir, 'c/abs.cnf'));
  symlinkSync('loop2.cnf', join(dir, 'loop1.cnf'));
  symlinkSync('loop1.cnf', join(dir, 'loop2.cnf'));
  const walks = [undefined, (n: string[]) => [...n].reverse(), shuffled(1), shuffled(42), shuffled(2026)].map((order) =>
    discover(dir, { targets: [join(dir, 'c'), dir, join(dir, 'a/1.cnf')], ...(order ? { order } : {}) }),
  );
  const first = summary(walks[0] as Discovery);
  assert.equal(first.files.length, 21);
  assert.equal(first.skipped.length, 5);
  for (const w of walks.slice(1)) assert.deepEqual(summary(w), first);
});

test('a tree 10,000 directories deep is walked without overflowing the stack; what is too deep is reported', () => {
  const dir = mkdtempSync(join(tmpdir(), 'connlint-deep-'));
  const depth = 10_000;
  const cwd = process.cwd();
  try {
    // Relative steps: the absolute path soon exceeds PATH_MAX, which mkdir -p cannot create.
    process.chdir(dir);
    for (let i = 0; i < depth; i++) {
      mkdirSync('d');
      process.chdir('d');
      if (i === 99) writeFileSync('at-100.cnf', 'x\n');
    }
    writeFileSync('bottom.cnf', 'x\n');
    process.chdir(cwd);

    const d = discover(dir);
    assert.deepEqual(
      d.files.map((f) => f.path),
      [`${'d/'.repeat(100)}at-100.cnf`],
    );
    assert.equal(d.skipped.length, 1);
    assert.equal(d.skipped[0]?.ruleId, 'unreadable-path');
    assert.equal(d.skipped[0]?.message, 'cannot read directory: ENAMETOOLONG');
    assert.equal(d.view.isFile(`${'d/'.repeat(100)}at-100.cnf`), true);
    assert.equal(d.view.isFile(`${'d/'.repeat(depth)}bottom.cnf`), false);
  } finally {
    // Remove from the bottom up, again with relative steps.
    process.chdir(dir);
    for (let i = 0; i < depth; i++) process.chdir('d');
    unlinkSync('bottom.cnf');
    for (let i = depth - 1; i >= 0; i--) {
      process.chdir('..');
      if (i === 99) unlinkSync('d/at-100.cnf');
      rmdirSync('d');
    }
    process.chdir(cwd);
    rmdirSync(dir);
  }
});

test('turnAway: a file the engine will not use is listed with the reason and without its bytes, which are not kept', () => {
  const root = tempRepo({ 'a/knexfile.js': 'module.exports = { client: "mysql2" };\n', 'a/util.js': 'export const x = 1;\n' });
  const asked: string[] = [];
  const d = discover(root, {
    turnAway: (path, bytes) => {
      asked.push(`${path}: ${bytes.length}`);
      return path.endsWith('util.js') ? 'names no setting' : undefined;
    },
  });
  assert.deepEqual(asked, ['a/knexfile.js: 39', 'a/util.js: 20']);
  assert.deepEqual(
    d.files.map((f) => ({ path: f.path, text: f.bytes?.toString('utf8'), notRead: f.notRead })),
    [
      { path: 'a/knexfile.js', text: 'module.exports = { client: "mysql2" };\n', notRead: undefined },
      { path: 'a/util.js', text: undefined, notRead: 'names no setting' },
    ],
  );
  // The view says which file was turned away (a format that only reaches files can skip it unread) ...
  assert.equal(d.view.turnedAway?.('a/util.js'), true);
  assert.equal(d.view.turnedAway?.('./a//util.js'), true);
  for (const other of ['a/knexfile.js', 'a', '.', 'a/missing.js']) assert.equal(d.view.turnedAway?.(other), false, other);
  // ... and a parser that follows an import to it reads it again; the kept file is not read twice.
  assert.equal(d.view.stats().filesOpened, 2);
  assert.equal(d.view.readText('a/util.js'), 'export const x = 1;\n');
  assert.equal(d.view.readText('a/knexfile.js'), 'module.exports = { client: "mysql2" };\n');
  assert.equal(d.view.stats().filesOpened, 3);
});

test('turnAway is not asked in a walk with a disk snapshot: the snapshot keeps every read for the next run', () => {
  const root = tempRepo({ 'util.js': 'export const x = 1;\n' });
  const d = discover(root, { disk: createDiskSnapshot(root), turnAway: () => 'never asked' });
  assert.deepEqual(summary(d).files, [{ path: 'util.js', text: 'export const x = 1;\n', listedOnly: undefined }]);
  assert.equal(d.view.turnedAway?.('util.js'), false);
});
