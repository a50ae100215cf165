import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { type DiscoverOptions, type Discovery, discoverFiles, type Wanted } from '../../src/discover/find-files.js';
import { createTreeView } from '../../src/discover/tree-view.js';
import { tempRepo } from '../temp-repo.js';

function discover(root: string, options: Partial<DiscoverOptions> = {}): Discovery {
  const wanted = (path: string): Wanted => (/\.(cnf|conf)$/.test(path) ? 'read' : undefined);
  return discoverFiles({ root, targets: [root], include: [], exclude: [], mounts: {}, wanted, ...options });
}

/** A tree with the given files and links (link path -> target as written). */
function treeWith(files: Record<string, string>, links: Record<string, string>): string {
  const dir = tempRepo(files);
  for (const [link, target] of Object.entries(links)) {
    mkdirSync(dirname(join(dir, link)), { recursive: true });
    symlinkSync(target, join(dir, link));
  }
  return dir;
}

const texts = (d: Discovery) => Object.fromEntries(d.files.map((f) => [f.path, f.bytes?.toString('utf8')]));

test('a relative link to a file inside the root is followed and keeps its own path', () => {
  const dir = treeWith({ 'real/my.cnf': '[mysqld]\n' }, { 'etc/mysql/my.cnf': '../../real/my.cnf' });
  const d = discover(dir);
  assert.deepEqual(texts(d), { 'etc/mysql/my.cnf': '[mysqld]\n', 'real/my.cnf': '[mysqld]\n' });
  assert.deepEqual(d.skipped, []);
  assert.equal(d.view.stats().filesOpened, 1, 'the target was read once for both paths');
});

test('a chain of links is followed to the file at its end', () => {
  const dir = treeWith({ 'z/final.cnf': 'final\n' }, { 'a.cnf': 'b/b.cnf', 'b/b.cnf': '../c.cnf', 'c.cnf': 'z/../z/./final.cnf' });
  assert.deepEqual(texts(discover(dir)), { 'a.cnf': 'final\n', 'b/b.cnf': 'final\n', 'c.cnf': 'final\n', 'z/final.cnf': 'final\n' });
});

test('a link loop is reported, not followed forever', () => {
  const dir = treeWith(
    {},
    { 'a.cnf': 'b.cnf', 'b.cnf': 'a.cnf', 'self.cnf': 'self.cnf', 'deep.cnf': 'sub/deep.cnf', 'sub/deep.cnf': '../deep.cnf' },
  );
  const d = discover(dir);
  assert.deepEqual(d.files, []);
  const loop = 'not followed: link loop (more than 40 links)';
  assert.deepEqual(d.skipped, [
    { ruleId: 'link-not-followed', path: 'a.cnf', message: loop },
    { ruleId: 'link-not-followed', path: 'b.cnf', message: loop },
    { ruleId: 'link-not-followed', path: 'deep.cnf', message: loop },
    { ruleId: 'link-not-followed', path: 'self.cnf', message: loop },
    { ruleId: 'link-not-followed', path: 'sub/deep.cnf', message: loop },
  ]);
});

test('a link leaving the root is reported and its target never read', () => {
  const outside = tempRepo({ 'secret.cnf': '[mysqld]\nwait_timeout=1\n' });
  const dir = treeWith({}, { 'sub/linked.cnf': `../../${outside.split('/').pop()}/secret.cnf`, 'up.cnf': '..' });
  const d = discover(dir, { wanted: () => 'read' });
  assert.deepEqual(d.files, []);
  assert.deepEqual(d.skipped, [
    {
      ruleId: 'link-not-followed',
      path: 'sub/linked.cnf',
      message: `not followed: target ../../${outside.split('/').pop()}/secret.cnf is outside the scanned directory`,
    },
    { ruleId: 'link-not-followed', path: 'up.cnf', message: 'not followed: target .. is outside the scanned directory' },
  ]);
  assert.equal(d.view.stats().filesOpened, 0);
});

test('an absolute link is never looked up on this machine: one to an existing file and one to a missing file give the same result', () => {
  const here = existsSync('/etc/hostname') ? '/etc/hostname' : process.execPath;
  assert.ok(existsSync(here));
  const missing = '/connlint-no-such-dir/hostname';
  assert.ok(!existsSync(missing));
  const withExisting = discover(treeWith({}, { 'etc/hostname.conf': here }));
  const withMissing = discover(treeWith({}, { 'etc/hostname.conf': missing }));
  const message = (target: string) => `not followed: absolute target ${target} (map it with mounts in connlint.config.yaml)`;
  assert.deepEqual(withExisting.files, []);
  assert.deepEqual(withExisting.skipped, [{ ruleId: 'link-not-followed', path: 'etc/hostname.conf', message: message(here) }]);
  assert.deepEqual(
    withMissing.skipped.map((s) => ({ ...s, message: s.message.replace(missing, here) })),
    withExisting.skipped,
  );
  assert.equal(withExisting.view.readText('etc/hostname.conf'), undefined);
  assert.equal(withExisting.view.isFile('etc/hostname.conf'), false);
  assert.equal(withExisting.view.stats().filesOpened, 0);
});

test('the message names the absolute target as the link holds it', () => {
  const d = discover(treeWith({}, { 'etc/mysql/my.cnf': '/etc/alternatives/my.cnf' }));
  assert.deepEqual(d.skipped, [
    {
      ruleId: 'link-not-followed',
      path: 'etc/mysql/my.cnf',
      message: 'not followed: absolute target /etc/alternatives/my.cnf (map it with mounts in connlint.config.yaml)',
    },
  ]);
});

test('an absolute link is mapped through the mounts, longest prefix first', () => {
  const dir = treeWith(
    { 'docker/mysql/my.cnf': 'mounted\n', 'docker/conf.d/x.cnf': 'conf.d\n' },
    {
      'etc/my.cnf': '/etc/mysql/my.cnf',
      'etc/x.cnf': '/etc/mysql/conf.d/x.cnf',
      'etc/gone.cnf': '/etc/mysql/gone.cnf',
      'etc/escape.cnf': '/etc/mysql/../../../outside.cnf',
    },
  );
  const d = discover(dir, { mounts: { '/etc/mysql': 'docker/mysql', '/etc/mysql/conf.d/': 'docker/conf.d' } });
  assert.deepEqual(texts(d), {
    'docker/conf.d/x.cnf': 'conf.d\n',
    'docker/mysql/my.cnf': 'mounted\n',
    'etc/my.cnf': 'mounted\n',
    'etc/x.cnf': 'conf.d\n',
  });
  assert.deepEqual(d.skipped, [
    {
      ruleId: 'link-not-followed',
      path: 'etc/escape.cnf',
      message: 'not followed: absolute target /etc/mysql/../../../outside.cnf (map it with mounts in connlint.config.yaml)',
    },
    {
      ruleId: 'link-not-followed',
      path: 'etc/gone.cnf',
      message: 'not followed: absolute target /etc/mysql/gone.cnf maps to docker/mysql/gone.cnf, which is not in the scanned directory',
    },
  ]);
});

test('a link that points at nothing inside the root is reported with its target', () => {
  const d = discover(treeWith({ 'file.cnf': 'x\n' }, { 'dangling.cnf': 'nothing.cnf', 'through-file.cnf': 'file.cnf/x' }));
  assert.deepEqual(d.skipped, [
    { ruleId: 'link-not-followed', path: 'dangling.cnf', message: 'not followed: target nothing.cnf does not exist' },
    { ruleId: 'link-not-followed', path: 'through-file.cnf', message: 'not followed: target file.cnf/x does not exist' },
  ]);
});

test('a link is reported only when its own path is wanted', () => {
  const d = discover(treeWith({}, { 'notes.txt': '/etc/passwd', 'out.md': '../../x' }));
  assert.deepEqual(d.skipped, []);
  assert.deepEqual(d.files, []);
  assert.equal(d.view.stats().linksRead, 0, 'links of paths nobody wants are not even read');
});

test('a template link wanted only for listing is listed under its own path', () => {
  const dir = treeWith({ 'templates/my.cnf.j2': '{{ x }}\n' }, { 'roles/my.cnf.j2': '../templates/my.cnf.j2' });
  const d = discover(dir, { wanted: (p) => (p.endsWith('.j2') ? 'list' : undefined) });
  assert.deepEqual(d.files, [
    { path: 'roles/my.cnf.j2', listedOnly: true },
    { path: 'templates/my.cnf.j2', listedOnly: true },
  ]);
  assert.equal(d.view.stats().filesOpened, 0);
});

test('directory links are not walked: their target is walked once, under its own name', () => {
  const dir = treeWith(
    { 'real/conf.d/a.cnf': 'a\n', 'docker/mysql/b.cnf': 'b\n' },
    {
      alias: 'real',
      'real/conf.d/again': '..',
      'real/up': '../real',
      mysql: '/etc/mysql',
      'real.cnf': 'real',
    },
  );
  const d = discover(dir, { mounts: { '/etc/mysql': 'docker/mysql' }, wanted: () => 'read' });
  assert.deepEqual(texts(d), { 'docker/mysql/b.cnf': 'b\n', 'real/conf.d/a.cnf': 'a\n' });
  assert.deepEqual(d.skipped, [], 'a directory link is not a skipped file');
});

test('a symlinked directory inside an include path is read through the view, lexically', () => {
  const dir = treeWith(
    { 'docker/mysql/conf.d/x.cnf': '[mysqld]\n', 'docker/mysql/my.cnf': '!includedir /etc/mysql/conf.d\n', 'other/y.cnf': 'y\n' },
    { 'etc/mysql': '../docker/mysql', 'abs/mysql': '/etc/mysql', 'etc/up': 'mysql/..' },
  );
  const d = discover(dir, { mounts: { '/etc/mysql': 'docker/mysql' } });
  const view = d.view;
  assert.equal(view.readText('etc/mysql/conf.d/x.cnf'), '[mysqld]\n');
  assert.equal(view.readText('abs/mysql/conf.d/x.cnf'), '[mysqld]\n');
  assert.deepEqual(view.listDir('etc/mysql/conf.d'), ['x.cnf']);
  assert.deepEqual(view.listDir('abs/mysql'), ['conf.d', 'my.cnf']);
  assert.equal(view.isDirectory('etc/mysql'), true);
  assert.equal(view.isFile('etc/mysql/my.cnf'), true);
  // `..` after a link goes back from where the link led, as the kernel does (docker/mysql/.. is docker).
  assert.deepEqual(view.listDir('etc/mysql/..'), ['mysql']);
  assert.deepEqual(view.listDir('etc/up'), ['mysql']);
  assert.equal(view.readText('etc/mysql/../../other/y.cnf'), 'y\n');
  assert.equal(view.stats().filesOpened, 3, 'x.cnf, my.cnf and y.cnf, each once');
});

test('the tree view never leaves the root, also not through links, and never looks up an absolute path', () => {
  const outside = tempRepo({ 'x.cnf': 'outside' });
  const dir = treeWith({ 'in.cnf': 'inside' }, { escape: outside, 'rel-escape': `../${outside.split('/').pop()}` });
  const view = createTreeView(dir);
  assert.equal(view.readText('in.cnf'), 'inside');
  assert.equal(view.readText('./in.cnf'), 'inside');
  assert.equal(view.readText('../x.cnf'), undefined);
  assert.equal(view.readText('escape/x.cnf'), undefined);
  assert.equal(view.readText('rel-escape/x.cnf'), undefined);
  assert.equal(view.listDir('escape'), undefined);
  assert.equal(view.readText('/etc/passwd'), undefined);
  assert.equal(view.isFile('/etc/passwd'), false);
  assert.equal(view.readText(`${outside}/x.cnf`), undefined);
  assert.deepEqual(view.listDir('.'), ['escape', 'in.cnf', 'rel-escape']);
  assert.equal(view.isDirectory('.'), true);
  assert.equal(view.isDirectory(''), true);
});

test('a named target that is a link not followed is reported, whatever its name', () => {
  const dir = treeWith({ 'a.cnf': 'a\n' }, { notes: '/etc/mysql', 'link.cnf': 'a.cnf' });
  const d = discover(dir, { targets: [join(dir, 'notes'), join(dir, 'link.cnf')] });
  assert.deepEqual(texts(d), { 'link.cnf': 'a\n' });
  assert.deepEqual(d.skipped, [
    {
      ruleId: 'link-not-followed',
      path: 'notes',
      message: 'not followed: absolute target /etc/mysql (map it with mounts in connlint.config.yaml)',
    },
  ]);
});
