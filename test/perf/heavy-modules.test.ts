import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { tempRepo } from '../temp-repo.js';
import { loaded, REPO } from '../load-trace.js';

/*
 * Issue 21: the heavy parsers load only for files that need them. Which modules a run really imports is recorded
 * by the resolve hook of test/engine/load-trace.mjs in a child process: an assertion on what loaded, not a timing.
 */

const HEAVY = ['/node_modules/ts-morph/', '/node_modules/@ts-morph/', '/node_modules/typescript/', '/node_modules/@lezer/python/'];

test('a tree of every non-code kind (option files, properties, Spring and Compose YAML, sysctl, Prisma, .ini, a config) never loads ts-morph or the Python parser', () => {
  const dir = tempRepo({
    'connlint.config.yaml': 'network:\n  profile: aws-nat-gateway\n',
    'db/my.cnf': '[mysqld]\n!includedir conf.d\n',
    'db/conf.d/timeouts.cnf': '[mysqld]\nwait_timeout = 600\n',
    'app/hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\n',
    'app/src/main/resources/application.yml': 'spring:\n  datasource:\n    url: jdbc:mysql://db/app\n',
    'compose.yaml': 'services:\n  db:\n    image: mysql:8.0\n',
    'etc/sysctl.d/60-keepalive.conf': 'net.ipv4.tcp_keepalive_time = 600\n',
    'prisma/schema.prisma': 'datasource db {\n  provider = "mysql"\n  url      = env("DATABASE_URL")\n}\n',
    '.env': 'DATABASE_URL="mysql://u@db:3306/app"\n',
    'alembic.ini': '[alembic]\nsqlalchemy.url = mysql://u@db/app\n',
    'README.md': '# app\n',
  });
  const urls = loaded(['--format', 'json', dir]);
  assert.ok(
    urls.some((u) => u.endsWith('/dist/src/bundled/connlint.cjs')),
    'the trace works',
  );
  for (const heavy of HEAVY) {
    assert.ok(!urls.some((u) => u.includes(heavy)), `${heavy} loaded for a tree without JavaScript or Python`);
  }
});

test("the shipped bin loads connlint as one bundle, the config schema's precompiled validator beside it, and no separate module of dist/src", () => {
  const dir = tempRepo({ 'connlint.config.yaml': 'network:\n  profile: aws-nat-gateway\n', 'db/my.cnf': '[mysqld]\nwait_timeout = 600\n' });
  const ours = loaded(['--format', 'json', dir])
    .filter((u) => u.includes('/dist/src/'))
    .map((u) => u.slice(u.indexOf('/dist/src/')));
  assert.deepEqual([...new Set(ours)].sort(), [
    '/dist/src/bundled/code-cache.cjs',
    '/dist/src/bundled/connlint.cjs',
    '/dist/src/config/config-schema.validate.cjs',
  ]);
});

test('a knexfile and a Python settings file load their parsers from the bundled bin too', () => {
  const dir = tempRepo({
    'knexfile.js': "module.exports = { client: 'mysql2', connection: { host: 'db' } };\n",
    'app/settings.py': 'DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "CONN_MAX_AGE": 600}}\n',
  });
  const urls = loaded(['--format', 'json', dir]);
  for (const needed of ['/node_modules/@ts-morph/common/dist/typescript.js', '/node_modules/@lezer/python/'])
    assert.ok(
      urls.some((u) => u.includes(needed)),
      `${needed} not loaded`,
    );
});

test('the default terminal report of a tree without code loads neither ts-morph nor the Python parser either', () => {
  const dir = tempRepo({ 'db/my.cnf': '[mysqld]\nwait_timeout = 8h\n', 'app/hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\n' });
  const urls = loaded([dir]);
  for (const heavy of HEAVY) assert.ok(!urls.some((u) => u.includes(heavy)), `${heavy} loaded`);
});

test('--version loads nothing of connlint but its entry point', () => {
  const urls = loaded(['--version']);
  assert.ok(
    urls.some((u) => u.endsWith('/bin/connlint.js')),
    'the trace works',
  );
  assert.deepEqual(
    urls.filter((u) => u.includes('/dist/') || u.includes('/node_modules/')),
    [],
  );
});

test('the shipped config schema is a valid JSON Schema (the run compiles it without checking it against the meta-schema)', () => {
  const schema = JSON.parse(readFileSync(join(REPO, 'schema/connlint.config.schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  ajv.addVocabulary(['x-expected']);
  assert.equal(ajv.validateSchema(schema), true, JSON.stringify(ajv.errors));
});
