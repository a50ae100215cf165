// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose's own ${VAR} syntax is what these inputs hold
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContainerView, imageFiles } from '../../src/interpreters/compose/container-files.js';
import { namespaceSettings } from '../../src/interpreters/compose/host.js';
import { loadProject } from '../../src/interpreters/compose/project.js';
import type { FileTreeView } from '../../src/discover/file-tree.js';
import type { Problem } from '../../src/model/problem.js';
import { lineSpan } from '../../src/model/span.js';
import { parseYaml } from '../../src/parsers/yaml.js';

function sysctlsOf(yaml: string) {
  const file = parseYaml('docker-compose.yml', yaml).file;
  const p = loadProject('.', [{ path: 'docker-compose.yml', file }], { lookup: () => undefined, readCompose: () => undefined });
  return p.services.get('app')?.sysctls.values() ?? [];
}

const seconds = (s: Map<string, { value: { kind: string; ms?: number; value?: unknown } }>, key: string) => {
  const v = s.get(key)?.value;
  return v?.kind === 'duration' ? (v.ms as number) / 1000 : v?.kind === 'count' ? v.value : v?.kind;
};

test('sysctls in map and list form, slash keys, Linux defaults for the rest', () => {
  const problems: Problem[] = [];
  const settings = namespaceSettings(
    sysctlsOf(
      [
        'services:',
        '  app:',
        '    sysctls:',
        '      - net.ipv4.tcp_keepalive_time=300',
        '      - net/ipv4/tcp_keepalive_intvl=0x1e',
        '      - net.core.somaxconn=1024',
        '',
      ].join('\n'),
    ),
    problems,
  );
  assert.deepEqual(problems, []);
  assert.equal(seconds(settings, 'net.ipv4.tcp_keepalive_time'), 300);
  assert.equal(seconds(settings, 'net.ipv4.tcp_keepalive_intvl'), 30);
  assert.equal(seconds(settings, 'net.ipv4.tcp_keepalive_probes'), 9);
  assert.equal(settings.get('net.ipv4.tcp_keepalive_probes')?.origin.kind, 'os-default');
  const time = settings.get('net.ipv4.tcp_keepalive_time');
  assert.deepEqual(time?.origin.kind === 'file' ? [time.origin.span.line, time.origin.span.column] : [], [4, 9]);
  assert.equal(settings.get('net.core.somaxconn')?.value.kind, 'string');
});

test('a value the kernel rejects keeps the container from starting; the default stays in the model', () => {
  const problems: Problem[] = [];
  const settings = namespaceSettings(
    sysctlsOf('services:\n  app:\n    sysctls:\n      net.ipv4.tcp_keepalive_time: 60s\n      net.ipv4.tcp_keepalive_probes: 256\n'),
    problems,
  );
  assert.deepEqual(
    problems.map((p) => [p.severity, p.span.line, p.span.column, /container does not start/.test(p.message)]),
    [
      ['error', 4, 36, true],
      ['error', 5, 38, true],
    ],
  );
  assert.equal(seconds(settings, 'net.ipv4.tcp_keepalive_time'), 7200);
  assert.equal(settings.get('net.ipv4.tcp_keepalive_time')?.rejected?.length, 1);
});

test('a sysctl value from an unset variable is unknown', () => {
  const problems: Problem[] = [];
  const settings = namespaceSettings(sysctlsOf('services:\n  app:\n    sysctls:\n      net.ipv4.tcp_keepalive_time: ${KA}\n'), problems);
  assert.equal(settings.get('net.ipv4.tcp_keepalive_time')?.value.kind, 'unknown');
});

test('the container view: the most specific mount wins, a mounted file shows in its folder, volumes are unknown', () => {
  const repo: Record<string, string> = { 'conf/a.cnf': '[mysqld]\n', 'conf/b.cnf': '[mysqld]\n', 'extra.cnf': '[mysqld]\n' };
  const dirs = new Set(['.', 'conf']);
  const view: FileTreeView = {
    readText: (p) => repo[p],
    listDir: (p) => (p === 'conf' ? ['a.cnf', 'b.cnf'] : undefined),
    isDirectory: (p) => dirs.has(p),
    isFile: (p) => p in repo,
  };
  const span = lineSpan('docker-compose.yml', 1, 1, 1);
  const c = new ContainerView(
    view,
    [
      { target: 'etc/mysql/conf.d', source: 'conf', written: './conf', span },
      { target: 'etc/mysql/conf.d/z.cnf', source: 'extra.cnf', written: './extra.cnf', span },
      { target: 'etc/mysql/mysql.conf.d', written: 'named', span },
    ],
    imageFiles('mysql-oracle', 'mysql'),
  );
  assert.deepEqual(c.listDir('/etc/mysql/conf.d/'), ['a.cnf', 'b.cnf', 'z.cnf']);
  assert.equal(c.repoPath('etc/mysql/conf.d/z.cnf'), 'extra.cnf');
  assert.equal(c.repoPath('etc/mysql/conf.d/a.cnf'), 'conf/a.cnf');
  assert.equal(c.readText('etc/my.cnf'), '!includedir /etc/mysql/conf.d\n');
  assert.equal(c.isDirectory('etc/mysql/mysql.conf.d'), true);
  assert.deepEqual(c.listDir('etc/mysql/mysql.conf.d'), []);
  assert.equal(c.isFile('etc/mysql/my.cnf'), false);
  assert.deepEqual(c.listDir('etc/mysql'), ['conf.d', 'mysql.conf.d']);
});
