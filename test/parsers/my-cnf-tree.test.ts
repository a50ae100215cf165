import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileTreeView } from '../../src/discover/file-tree.js';
import type { Span } from '../../src/model/span.js';
import { compareBytes, findRootOptionFiles, type OptionFileTree, resolveOptionFileTree } from '../../src/parsers/my-cnf-tree.js';
import { type MyCnfDoc, parseMyCnf } from '../../src/parsers/my-cnf.js';
import type { ParseResult } from '../../src/parsers/parse-result.js';

/** An in-memory tree: file path -> text; directories are implied by the paths (plus `dirs`). */
function memoryTree(files: Record<string, string>, dirs: string[] = []): FileTreeView {
  const allDirs = new Set<string>(['.', ...dirs]);
  for (const f of [...Object.keys(files), ...dirs]) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) allDirs.add(parts.slice(0, i).join('/'));
  }
  return {
    readText: (p) => files[p],
    isFile: (p) => p in files,
    isDirectory: (p) => allDirs.has(p),
    listDir: (p) => {
      if (!allDirs.has(p)) return undefined;
      const prefix = p === '.' ? '' : `${p}/`;
      const names = new Set<string>();
      for (const entry of [...Object.keys(files), ...allDirs]) {
        if (entry !== p && entry.startsWith(prefix) && entry !== '.') names.add(entry.slice(prefix.length).split('/')[0] ?? '');
      }
      return [...names].sort(compareBytes);
    },
  };
}

const noMounts = { mounts: {} };

function tree(files: Record<string, string>, root: string, mounts: Record<string, string> = {}, dirs: string[] = []): OptionFileTree {
  return resolveOptionFileTree(root, memoryTree(files, dirs), parseMyCnf, { mounts });
}

/** `file: name=text` for every option, in applied order. */
function applied(t: OptionFileTree): string[] {
  return t.options.map((r) => `${r.file}: [${r.option.group}] ${r.option.name}${r.option.text === null ? '' : `=${r.option.text}`}`);
}

function span(path: string, line: number, column: number, endColumn: number): Span {
  return { path, line, column, endLine: line, endColumn };
}

test('a relative !include is relative to the root file directory (the assumed working directory), not the including file', () => {
  const t = tree(
    {
      'deploy/my.cnf': '[mysqld]\na=1\n!include conf/one.cnf\nb=2\n',
      'deploy/conf/one.cnf': '[mysqld]\none=1\n!include conf/two.cnf\n',
      'deploy/conf/two.cnf': '[mysqld]\ntwo=1\n',
      'deploy/conf/conf/two.cnf': '[mysqld]\nwrong=1\n',
    },
    'deploy/my.cnf',
  );
  assert.deepEqual(applied(t), [
    'deploy/my.cnf: [mysqld] a=1',
    'deploy/conf/one.cnf: [mysqld] one=1',
    'deploy/conf/two.cnf: [mysqld] two=1',
    'deploy/my.cnf: [mysqld] b=2',
  ]);
  assert.deepEqual(t.files, ['deploy/my.cnf', 'deploy/conf/one.cnf', 'deploy/conf/two.cnf']);
  assert.deepEqual(t.problems, []);
  assert.ok(t.notes.some((n) => n.includes('conf/one.cnf') && n.includes('deploy')));
});

test('via lists the include directives that led to a file, outermost first', () => {
  const t = tree(
    {
      'my.cnf': '[mysqld]\n!include a.cnf\n',
      'a.cnf': '[mysqld]\n!include b.cnf\n',
      'b.cnf': '[mysqld]\nx=1\n',
    },
    'my.cnf',
  );
  assert.deepEqual(t.options[0]?.via, [span('my.cnf', 2, 1, 15), span('a.cnf', 2, 1, 15)]);
  assert.equal(t.options[0]?.file, 'b.cnf');
});

test('E9: !includedir reads names ending exactly .cnf, hidden ones too, in byte order, without recursion', () => {
  const names = ['b.cnf', 'a.cnf', 'B.cnf', '10-x.cnf', '9-x.cnf', '.hidden.cnf', 'x.conf', 'x.ini', 'y.CNF', 'z.cnf.bak', 'z.cnf~'];
  const files: Record<string, string> = { 'my.cnf': '[mysqld]\n!includedir conf.d\n' };
  for (const n of names) files[`conf.d/${n}`] = `[mysqld]\nfrom=${n}\n`;
  files['conf.d/sub/deep.cnf'] = '[mysqld]\nfrom=deep\n';
  const t = tree(files, 'my.cnf');
  assert.deepEqual(
    t.options.map((r) => r.option.text),
    ['.hidden.cnf', '10-x.cnf', '9-x.cnf', 'B.cnf', 'a.cnf', 'b.cnf'],
  );
  // Names that look meant for mysqld but are skipped are warned about; .ini, .bak and ~ files are not.
  assert.deepEqual(
    t.problems.map((p) => [p.severity, p.message.split(' ')[2]]),
    [
      ['warning', 'conf.d/x.conf'],
      ['warning', 'conf.d/y.CNF'],
    ],
  );
});

test('E10: each included file starts with no group; the including file continues in its group', () => {
  const t = tree(
    {
      'my.cnf': '[mysqld]\na=1\n!include client.cnf\nb=2\n',
      'client.cnf': '[client]\nuser=x\n',
    },
    'my.cnf',
  );
  assert.deepEqual(applied(t), ['my.cnf: [mysqld] a=1', 'client.cnf: [client] user=x', 'my.cnf: [mysqld] b=2']);
});

test('E11: an error inside an included file stops only that file and becomes a warning', () => {
  const t = tree(
    {
      'my.cnf': '[mysqld]\na=1\n!include bad.cnf\nb=2\n',
      'bad.cnf': '[mysqld]\nkept=1\n[mysqld\nlost=1\n',
    },
    'my.cnf',
  );
  assert.deepEqual(applied(t), ['my.cnf: [mysqld] a=1', 'bad.cnf: [mysqld] kept=1', 'my.cnf: [mysqld] b=2']);
  assert.deepEqual(
    t.problems.map((p) => [p.severity, p.span]),
    [['warning', span('bad.cnf', 3, 1, 8)]],
  );
  assert.match(t.problems[0]?.message ?? '', /^Wrong group definition in config file: bad\.cnf at line 3/);
});

test('the root file keeps the severity of its parse problems', () => {
  const t = tree({ 'my.cnf': 'x=1\n' }, 'my.cnf');
  assert.deepEqual(
    t.problems.map((p) => p.severity),
    ['error'],
  );
  assert.deepEqual(t.options, []);
});

test('E10: a missing !include is skipped silently (a note); a missing relative !includedir is an error and stops mysqld', () => {
  const a = tree({ 'my.cnf': '[mysqld]\n!include missing.cnf\nx=1\n' }, 'my.cnf');
  assert.deepEqual(a.problems, []);
  assert.equal(applied(a).length, 1);
  assert.ok(a.notes.some((n) => n.includes('missing.cnf')));

  const b = tree({ 'my.cnf': '[mysqld]\nx=1\n!includedir d1\ny=2\n' }, 'my.cnf');
  assert.deepEqual(
    b.problems.map((p) => [p.severity, p.span]),
    [['error', span('my.cnf', 3, 1, 15)]],
  );
  assert.match(b.problems[0]?.message ?? '', /Can't read dir of 'd1'/);
  assert.deepEqual(applied(b), ['my.cnf: [mysqld] x=1']);
});

test('a missing !includedir inside an included file stops only that file, as a warning', () => {
  const t = tree(
    {
      'my.cnf': '[mysqld]\n!include inc.cnf\nafter=1\n',
      'inc.cnf': '[mysqld]\nin=1\n!includedir /nonexistent\nin2=2\n',
    },
    'my.cnf',
    { '/': '.' },
  );
  assert.deepEqual(applied(t), ['inc.cnf: [mysqld] in=1', 'my.cnf: [mysqld] after=1']);
  assert.deepEqual(
    t.problems.map((p) => p.severity),
    ['warning'],
  );
});

test('a relative !includedir goes through the kernel: a missing directory before .. fails', () => {
  const t = tree({ 'my.cnf': '[mysqld]\n!includedir nonexist/../real\n', 'real/a.cnf': '[mysqld]\nx=1\n' }, 'my.cnf');
  assert.equal(t.problems[0]?.severity, 'error');
  assert.deepEqual(t.options, []);
  // !include paths are cleaned up textually first, so the same spelling works there.
  const u = tree({ 'my.cnf': '[mysqld]\n!include nonexist/../real/a.cnf\n', 'real/a.cnf': '[mysqld]\nx=1\n' }, 'my.cnf');
  assert.deepEqual(applied(u), ['real/a.cnf: [mysqld] x=1']);
});

test('absolute paths go through mounts, longest prefix first', () => {
  const t = tree(
    {
      'deploy/my.cnf': '[mysqld]\n!includedir /etc/mysql/conf.d/\n!include /etc/mysql/extra/x.cnf\n',
      'docker/conf.d/a.cnf': '[mysqld]\nfrom=mount-conf.d\n',
      'docker/etc/mysql/extra/x.cnf': '[mysqld]\nfrom=mount-etc\n',
      'deploy/conf.d/a.cnf': '[mysqld]\nfrom=suffix\n',
    },
    'deploy/my.cnf',
    { '/etc/mysql/conf.d': 'docker/conf.d', '/etc': 'docker/etc' },
  );
  assert.deepEqual(
    t.options.map((r) => r.option.text),
    ['mount-conf.d', 'mount-etc'],
  );
  assert.deepEqual(t.problems, []);
});

test('a missing directory mapped through mounts is an error; an unmapped absolute one is only a note', () => {
  const mapped = tree({ 'my.cnf': '[mysqld]\n!includedir /etc/mysql/conf.d/\nx=1\n' }, 'my.cnf', { '/etc/mysql': 'docker' });
  assert.deepEqual(
    mapped.problems.map((p) => p.severity),
    ['error'],
  );
  const unmapped = tree({ 'my.cnf': '[mysqld]\n!includedir /etc/mysql/conf.d/\nx=1\n' }, 'my.cnf');
  assert.deepEqual(unmapped.problems, []);
  assert.deepEqual(applied(unmapped), ['my.cnf: [mysqld] x=1']);
  assert.ok(unmapped.notes.some((n) => n.includes('/etc/mysql/conf.d/')));
});

test('without a mount, an absolute directory is found by its trailing path: next to the root first, then from the tree root', () => {
  const files = {
    'deploy/my.cnf': '[mysqld]\n!includedir /etc/mysql/conf.d/\n',
    'deploy/conf.d/a.cnf': '[mysqld]\nfrom=deploy/conf.d\n',
    'mysql/conf.d/a.cnf': '[mysqld]\nfrom=mysql/conf.d\n',
  };
  const t = tree(files, 'deploy/my.cnf');
  assert.deepEqual(
    t.options.map((r) => r.option.text),
    ['deploy/conf.d'],
  );
  assert.ok(t.notes.includes("resolved /etc/mysql/conf.d/ as deploy/conf.d (same trailing path 'conf.d' next to deploy/my.cnf)"));
  // The longest trailing path wins within one base; the root file's directory is tried before the tree root.
  const u = tree({ ...files, 'deploy/mysql/conf.d/a.cnf': '[mysqld]\nfrom=deploy/mysql/conf.d\n' }, 'deploy/my.cnf');
  assert.deepEqual(
    u.options.map((r) => r.option.text),
    ['deploy/mysql/conf.d'],
  );
  const v = tree({ 'deploy/my.cnf': files['deploy/my.cnf'], 'mysql/conf.d/a.cnf': files['mysql/conf.d/a.cnf'] }, 'deploy/my.cnf');
  assert.deepEqual(
    v.options.map((r) => r.option.text),
    ['mysql/conf.d'],
  );
});

test('an absolute !include file needs at least its directory name to match', () => {
  const t = tree({ 'deploy/my.cnf': '[mysqld]\n!include /etc/mysql/my.cnf\nx=1\n' }, 'deploy/my.cnf');
  assert.deepEqual(applied(t), ['deploy/my.cnf: [mysqld] x=1']);
  assert.deepEqual(t.problems, []);
});

test('a path that leaves the tree is never read', () => {
  const t = tree({ 'deploy/my.cnf': '[mysqld]\n!include ../../x.cnf\n!includedir ../../d\nx=1\n' }, 'deploy/my.cnf');
  assert.deepEqual(
    t.problems.map((p) => [p.severity, p.span.line]),
    [
      ['warning', 2],
      ['warning', 3],
    ],
  );
  assert.deepEqual(t.files, ['deploy/my.cnf']);
  assert.equal(t.options.length, 1);
});

test('a cycle is read once, with a warning naming it', () => {
  const t = tree(
    {
      'deploy/a.cnf': '[mysqld]\na=1\n!include b.cnf\nb=1\n',
      'deploy/b.cnf': '[mysqld]\nc=1\n!include a.cnf\nd=1\n',
    },
    'deploy/a.cnf',
  );
  assert.deepEqual(
    t.options.map((r) => r.option.name),
    ['a', 'c', 'd', 'b'],
  );
  assert.equal(t.problems.length, 1);
  assert.equal(t.problems[0]?.severity, 'warning');
  assert.match(t.problems[0]?.message ?? '', /deploy\/a\.cnf -> deploy\/b\.cnf -> deploy\/a\.cnf/);
  assert.deepEqual(t.problems[0]?.span, span('deploy/b.cnf', 3, 1, 15));
});

test('a file included twice is read twice; each file is parsed once', () => {
  let calls = 0;
  const parse = (path: string, text: string): ParseResult<MyCnfDoc> => {
    calls++;
    return parseMyCnf(path, text);
  };
  const view = memoryTree({ 'my.cnf': '[mysqld]\n!include x.cnf\n!include x.cnf\n', 'x.cnf': '[mysqld]\nx=1\n' });
  const t = resolveOptionFileTree('my.cnf', view, parse, noMounts);
  assert.deepEqual(t.files, ['my.cnf', 'x.cnf', 'x.cnf']);
  assert.equal(t.options.length, 2);
  assert.equal(calls, 2);
});

test('the file at include depth 10 cannot include further', () => {
  const files: Record<string, string> = { 'f0.cnf': '[mysqld]\nd0=1\n!include f1.cnf\n' };
  for (let i = 1; i <= 12; i++) files[`f${i}.cnf`] = `[mysqld]\nd${i}=1\n!include f${i + 1}.cnf\n`;
  const t = tree(files, 'f0.cnf');
  assert.equal(t.files.length, 11);
  assert.equal(t.options.at(-1)?.option.name, 'd10');
  assert.deepEqual(
    t.problems.map((p) => [p.severity, p.span.path]),
    [['warning', 'f10.cnf']],
  );
});

test('an unreadable root is an error, not an exception', () => {
  const t = tree({}, 'nope.cnf');
  assert.deepEqual(
    t.problems.map((p) => p.severity),
    ['error'],
  );
  assert.deepEqual(t.files, []);
});

test('!include ~/x is not followed (home directory unknown)', () => {
  const t = tree({ 'my.cnf': '[mysqld]\n!include ~/.my.cnf\n' }, 'my.cnf');
  assert.deepEqual(t.problems, []);
  assert.deepEqual(t.files, ['my.cnf']);
  assert.equal(t.notes.length, 1);
});

test('roots: files no other file includes; the byte-smallest of a pure cycle', () => {
  const view = memoryTree({
    'deploy/my.cnf': '[mysqld]\n!includedir conf.d\n',
    'deploy/conf.d/a.cnf': '[mysqld]\nx=1\n',
    'deploy/conf.d/b.cnf': '[mysqld]\n!include conf.d/a.cnf\n',
    'other/z.cnf': '[mysqld]\n!include y.cnf\n',
    'other/y.cnf': '[mysqld]\n!include z.cnf\n',
    'lone.cnf': '[mysqld]\n',
  });
  const paths = ['other/z.cnf', 'deploy/conf.d/b.cnf', 'lone.cnf', 'deploy/my.cnf', 'other/y.cnf', 'deploy/conf.d/a.cnf'];
  assert.deepEqual(findRootOptionFiles(paths, view, parseMyCnf, noMounts), ['deploy/my.cnf', 'lone.cnf', 'other/y.cnf']);
});

test('roots: a cycle that something else includes has no root of its own', () => {
  const view = memoryTree({
    'top.cnf': '[mysqld]\n!include a.cnf\n',
    'a.cnf': '[mysqld]\n!include b.cnf\n',
    'b.cnf': '[mysqld]\n!include a.cnf\n',
  });
  assert.deepEqual(findRootOptionFiles(['b.cnf', 'a.cnf', 'top.cnf'], view, parseMyCnf, noMounts), ['top.cnf']);
});

test('roots: a file that only a file outside the given list includes is still a root', () => {
  const view = memoryTree({ 'a.cnf': '[mysqld]\n!include b.cnf\n', 'b.cnf': '[mysqld]\n' });
  assert.deepEqual(findRootOptionFiles(['b.cnf'], view, parseMyCnf, noMounts), ['b.cnf']);
});

test('at the depth limit a !include without path is skipped, not fatal (my_print_defaults 10.11.19)', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 10; i++) files[`f${i}.cnf`] = `[mysqld]\nd${i}=1\n!include f${i + 1}.cnf\n`;
  files['f10.cnf'] = '[mysqld]\nd10=1\n!include \nafter10=1\n';
  const t = tree(files, 'f0.cnf');
  assert.deepEqual(
    t.options.slice(-2).map((r) => r.option.name),
    ['d10', 'after10'],
  );
  assert.deepEqual(
    t.problems.map((p) => [p.severity, p.span]),
    [['warning', span('f10.cnf', 3, 1, 9)]],
  );
});
