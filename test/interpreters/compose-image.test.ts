// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose's own ${VAR} syntax is what these inputs hold
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseImage } from '../../src/interpreters/compose/dockerfile.js';
import { databaseImage, parseImageReference } from '../../src/interpreters/compose/image.js';
import { isHostPath, parseShortVolume } from '../../src/interpreters/compose/volumes.js';

test('image references: registry, namespace, tag and digest', () => {
  assert.deepEqual(parseImageReference('mysql:8.0'), { path: 'mysql', tag: '8.0' });
  assert.deepEqual(parseImageReference('docker.io/library/mariadb:10.11@sha256:abc'), { path: 'library/mariadb', tag: '10.11' });
  assert.deepEqual(parseImageReference('localhost:5000/mysql'), { path: 'mysql' });
  assert.deepEqual(parseImageReference('public.ecr.aws/docker/library/mysql:8.4'), { path: 'docker/library/mysql', tag: '8.4' });
  assert.equal(parseImageReference(''), undefined);
  assert.equal(parseImageReference('my sql'), undefined);
});

test('which images are MySQL or MariaDB servers: flavour, version from the tag, option-file layout', () => {
  const cases: Array<[string, string | undefined, string | undefined, string | undefined]> = [
    // ref, flavor, version, layout
    ['mysql:8.0', 'mysql', '8.0', 'mysql-oracle'],
    ['mysql', 'mysql', undefined, 'mysql-oracle'],
    ['mysql:latest', 'mysql', undefined, 'mysql-oracle'],
    ['mysql:8.0.36-debian', 'mysql', '8.0.36', 'mysql-debian'],
    ['mysql:5.7', 'mysql', '5.7', 'mysql-oracle-5.7'],
    ['mysql:5.6', 'mysql', '5.6', undefined],
    ['arm64v8/mysql:8.4', 'mysql', '8.4', 'mysql-oracle'],
    ['mariadb:10.11', 'mariadb', '10.11', 'mariadb'],
    ['mariadb:lts', 'mariadb', undefined, 'mariadb'],
    ['mariadb:11.4-ubi', 'mariadb', '11.4', 'mariadb-ubi'],
    ['docker.io/bitnami/mariadb:10.6', 'mariadb', '10.6', 'bitnami'],
    ['bitnami/mysql:8.0', 'mysql', '8.0', 'bitnami'],
    ['percona:8.0', 'mysql', '8.0', undefined],
    ['percona/percona-server:8.0', 'mysql', '8.0', undefined],
    ['mysql/mysql-server:8.0', 'mysql', '8.0', undefined],
  ];
  for (const [ref, flavor, version, layout] of cases) {
    const image = databaseImage(ref);
    assert.deepEqual([image?.flavor, image?.version, image?.layout], [flavor, version, layout], ref);
  }
  for (const ref of ['postgres:16', 'redis', 'myorg/mysql-backup:1', 'phpmyadmin', 'adminer', 'someone/mysql:8']) {
    assert.equal(databaseImage(ref), undefined, ref);
  }
});

test('short volume syntax as compose-go ParseVolume reads it', () => {
  assert.deepEqual(parseShortVolume('./mysql/conf.d:/etc/mysql/conf.d:ro'), {
    type: 'bind',
    source: './mysql/conf.d',
    target: '/etc/mysql/conf.d',
    readOnly: true,
  });
  assert.deepEqual(parseShortVolume('db-data:/var/lib/mysql'), {
    type: 'volume',
    source: 'db-data',
    target: '/var/lib/mysql',
    readOnly: false,
  });
  assert.deepEqual(parseShortVolume('/var/lib/mysql'), { type: 'volume', source: '', target: '/var/lib/mysql', readOnly: false });
  assert.deepEqual(parseShortVolume('C:\\conf:/etc/mysql/conf.d:rw'), {
    type: 'bind',
    source: 'C:\\conf',
    target: '/etc/mysql/conf.d',
    readOnly: false,
  });
  assert.deepEqual(parseShortVolume('${CONF:-./c}:/etc/mysql/conf.d'), {
    type: 'volume',
    source: '${CONF:-./c}',
    target: '/etc/mysql/conf.d',
    readOnly: false,
  });
  assert.deepEqual(parseShortVolume('./a::/b'), { error: 'invalid spec: ./a::/b: empty section between colons' });
  // A one-letter first part followed by `:` is a Windows drive, as in compose-go.
  assert.equal((parseShortVolume('a::b') as { source: string }).source, 'a:');
  assert.deepEqual(parseShortVolume('./a:/b:ro:x'), { error: 'invalid spec: ./a:/b:ro:x: too many colons' });
  assert.ok(isHostPath('~/x') && isHostPath('./x') && !isHostPath('named'));
});

test('a Dockerfile builds on the image of its last FROM, through stage names and ARG defaults', () => {
  assert.deepEqual(baseImage('# escape=`\nFROM mysql:8.0.39-debian\nRUN apt-get update\n'), {
    image: 'mysql:8.0.39-debian',
    written: 'FROM mysql:8.0.39-debian',
    line: 2,
  });
  const staged = ['ARG VERSION=10.11', 'FROM --platform=linux/amd64 mariadb:${VERSION} AS base', 'COPY x /y', 'FROM base', ''].join('\n');
  assert.equal(baseImage(staged)?.image, 'mariadb:10.11');
  assert.equal(baseImage('FROM node:20 AS build\nRUN x\nFROM nginx:1 \\\n  AS final\n')?.image, 'nginx:1');
  assert.deepEqual(baseImage('ARG TAG\nFROM mysql:${TAG}\n'), { written: 'FROM mysql:${TAG}', line: 2 });
  assert.equal(baseImage('# nothing\n'), undefined);
});
