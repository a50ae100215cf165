import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { classifyPath } from '../../src/discover/classify.js';
import { discoverFiles, MAX_FILE_BYTES } from '../../src/discover/find-files.js';
import { globToRegExp } from '../../src/discover/glob.js';
import { createTreeView } from '../../src/discover/tree-view.js';
import { lint } from '../../src/engine/run.js';
import { tempRepo } from '../temp-repo.js';

test('classification by name: option files, sysctl, properties, templates, everything else ignored', () => {
  assert.equal(classifyPath('deploy/my.cnf'), 'mysql-option-file');
  assert.equal(classifyPath('conf.d/50-server.cnf'), 'mysql-option-file');
  assert.equal(classifyPath('win/my.ini'), 'mysql-option-file');
  assert.equal(classifyPath('etc/sysctl.conf'), 'sysctl');
  assert.equal(classifyPath('etc/sysctl.d/60-keepalive.conf'), 'sysctl');
  assert.equal(classifyPath('src/main/resources/hikari.properties'), 'java-properties');
  assert.equal(classifyPath('templates/my.cnf.j2'), 'template');
  assert.equal(classifyPath('11/templates/my.cnf.tmpl'), 'template');
  assert.equal(classifyPath('nginx/nginx.conf'), undefined);
  assert.equal(classifyPath('README.md.j2'), undefined);
});

test('globs: ** across directories, * within one, {a,b}, bare names match at any depth', () => {
  assert.ok(globToRegExp('vendor/**').test('vendor/a/b/my.cnf'));
  assert.ok(!globToRegExp('vendor/**').test('src/vendor.cnf'));
  assert.ok(globToRegExp('**/*.cnf').test('my.cnf'));
  assert.ok(globToRegExp('**/*.cnf').test('a/b/my.cnf'));
  assert.ok(!globToRegExp('deploy/*.cnf').test('deploy/conf.d/x.cnf'));
  assert.ok(globToRegExp('*.{cnf,properties}').test('x/y/hikari.properties'));
  assert.ok(globToRegExp('services/billing/**').test('services/billing/src/hikari.properties'));
});

test('include and exclude from the config; .git and node_modules are never walked', () => {
  const dir = tempRepo({
    'a/my.cnf': '[mysqld]\n',
    'vendor/my.cnf': '[mysqld]\n',
    'node_modules/pkg/my.cnf': '[mysqld]\n',
    '.git/my.cnf': '[mysqld]\n',
    'b/hikari.properties': 'jdbcUrl=jdbc:mysql://x/y\n',
  });
  const all = discoverFiles({ root: dir, targets: [dir], include: [], exclude: [] }).files.map((f) => f.path);
  assert.deepEqual(all, ['a/my.cnf', 'b/hikari.properties', 'vendor/my.cnf']);
  const some = discoverFiles({ root: dir, targets: [dir], include: ['**/*.cnf'], exclude: ['vendor/**'] }).files.map((f) => f.path);
  assert.deepEqual(some, ['a/my.cnf']);
});

test('hostile trees: a link leaving the root, an oversized file and a binary file are reported, never read', () => {
  const outside = tempRepo({ 'secret.cnf': '[mysqld]\nwait_timeout=1\n' });
  const dir = tempRepo({
    'big.cnf': Buffer.alloc(MAX_FILE_BYTES + 1, 0x61),
    'binary.cnf': Buffer.from([0x5b, 0x6d, 0x79, 0x00, 0xff, 0xfe, 0x0a]),
    'ok/my.cnf': '[mysqld]\nwait_timeout = 600\n',
  });
  symlinkSync(join(outside, 'secret.cnf'), join(dir, 'linked.cnf'));
  symlinkSync(dir, join(dir, 'ok', 'loop'));
  const run = lint({ cwd: dir, paths: [] });
  const byPath = new Map(run.result.findings.map((f) => [f.location.path, f]));
  assert.match(byPath.get('big.cnf')?.message ?? '', /more than the 4194304-byte limit/);
  assert.equal(byPath.get('big.cnf')?.severity, 'error');
  assert.match(byPath.get('linked.cnf')?.message ?? '', /points outside the scanned directory/);
  assert.match(byPath.get('binary.cnf')?.message ?? '', /not a text file/);
  assert.ok(!JSON.stringify(run.model).includes('wait_timeout=1'), 'the linked file was read');
  assert.equal(run.model.servers.find((s) => s.root === 'ok/my.cnf')?.settings.get('wait_timeout')?.raw, '600');
});

test('the tree view never leaves the root, also not through links', () => {
  const outside = tempRepo({ 'x.cnf': 'outside' });
  const dir = tempRepo({ 'in.cnf': 'inside' });
  symlinkSync(outside, join(dir, 'escape'));
  const view = createTreeView(dir);
  assert.equal(view.readText('in.cnf'), 'inside');
  assert.equal(view.readText('../x.cnf'), undefined);
  assert.equal(view.readText('escape/x.cnf'), undefined);
  assert.equal(view.listDir('escape'), undefined);
  assert.equal(view.readText('/etc/passwd'), undefined);
  assert.deepEqual(view.listDir('.'), ['escape', 'in.cnf']);
});
