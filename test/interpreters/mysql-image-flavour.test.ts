import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import { copiedFiles } from '../../src/interpreters/compose/dockerfile.js';
import { tempRepo } from '../temp-repo.js';

async function servers(files: Record<string, string>) {
  const { model } = await lint({ cwd: tempRepo(files), paths: [] });
  return model.servers.map((s) => ({ id: s.id, engine: s.engine, reason: s.engineReason, version: s.version }));
}

const CNF = '[mysqld]\nwait_timeout = 600\n';

test('copiedFiles: COPY and ADD of the built stage, JSON form, flags dropped, --from copies and URLs left out', () => {
  const text = [
    'FROM alpine AS tools',
    'COPY tool.cnf /etc/mysql/conf.d/',
    'FROM mariadb:10.11 AS base',
    'COPY --chown=mysql:mysql a.cnf b.cnf /etc/mysql/conf.d/',
    'FROM base',
    'COPY --from=tools /x.cnf /etc/mysql/conf.d/',
    'ADD ["c d.cnf", "/etc/my.cnf.d/"]',
    'ADD https://example.com/x.cnf /etc/mysql/conf.d/',
  ].join('\n');
  assert.deepEqual(copiedFiles(text), [
    { keyword: 'COPY', sources: ['a.cnf', 'b.cnf'], dest: '/etc/mysql/conf.d/', line: 4 },
    { keyword: 'ADD', sources: ['c d.cnf'], dest: '/etc/my.cnf.d/', line: 7 },
  ]);
});

test('a Dockerfile FROM mariadb that copies my.cnf into /etc/mysql/conf.d makes the server MariaDB (laradock mariadb/)', async () => {
  const got = await servers({
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile build argument in the file's text, not a template literal
    'mariadb/Dockerfile': 'ARG MARIADB_VERSION=latest\nFROM mariadb:${MARIADB_VERSION}\nCOPY my.cnf /etc/mysql/conf.d/my.cnf\n',
    'mariadb/my.cnf': CNF,
  });
  assert.deepEqual(got, [
    {
      id: 'mariadb:mariadb/my.cnf',
      engine: 'mariadb',
      reason: 'mariadb/Dockerfile:2 FROM mariadb copies my.cnf into /etc/mysql/conf.d (line 3)',
      version: undefined,
    },
  ]);
});

test('folders, globs and a Dockerfile in a folder above; the tag gives the version', async () => {
  const folder = await servers({ Dockerfile: 'FROM mariadb:10.11\nCOPY docker/conf/ /etc/mysql/conf.d/\n', 'docker/conf/x.cnf': CNF });
  assert.equal(folder[0]?.engine, 'mariadb');
  assert.equal(folder[0]?.version, '10.11');
  assert.equal(folder[0]?.reason, 'Dockerfile:1 FROM mariadb:10.11 copies docker/conf/x.cnf into /etc/mysql/conf.d (line 2)');
  const glob = await servers({ 'db/Dockerfile': 'FROM mariadb:11.4\nADD *.cnf /etc/mysql/mariadb.conf.d/\n', 'db/x.cnf': CNF });
  assert.equal(glob[0]?.engine, 'mariadb');
  assert.match(glob[0]?.reason ?? '', /adds x\.cnf into \/etc\/mysql\/mariadb\.conf\.d/);
});

test('a copy the image does not read, another file, or a declared flavour leave the Dockerfile out', async () => {
  const elsewhere = await servers({ 'db/Dockerfile': 'FROM mariadb\nCOPY my.cnf /tmp/my.cnf\n', 'db/my.cnf': CNF });
  assert.equal(elsewhere[0]?.engine, 'mysql');
  // The official MySQL image does not read /etc/mysql/mariadb.conf.d.
  const wrongDir = await servers({ 'db/Dockerfile': 'FROM mysql:8.0\nCOPY my.cnf /etc/mysql/mariadb.conf.d/\n', 'db/my.cnf': CNF });
  assert.match(wrongDir[0]?.reason ?? '', /MySQL is assumed/);
  const other = await servers({ 'db/Dockerfile': 'FROM mariadb\nCOPY other.cnf /etc/mysql/conf.d/\n', 'db/my.cnf': CNF });
  assert.equal(other[0]?.engine, 'mysql');
  const declared = await servers({
    'connlint.config.yaml': 'optionFiles:\n  flavor: mysql\n',
    'db/Dockerfile': 'FROM mariadb:10.11\nCOPY my.cnf /etc/mysql/conf.d/\n',
    'db/my.cnf': CNF,
  });
  assert.equal(declared[0]?.engine, 'mysql');
  assert.equal(declared[0]?.version, undefined);
});
