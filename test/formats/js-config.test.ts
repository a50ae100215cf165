import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import { isNotRead } from '../../src/formats/format.js';
import { claimJsConfig } from '../../src/formats/js-config.js';
import { tempRepo } from '../temp-repo.js';

async function run(files: Record<string, string>) {
  const r = await lint({ cwd: tempRepo(files, 'connlint-js-'), paths: [] });
  assert.deepEqual(
    r.result.findings.filter((f) => f.ruleId === 'internal-error'),
    [],
  );
  return { r, findings: r.result.findings.map((f) => `${f.severity} ${f.ruleId} ${f.location.path}:${f.location.line} ${f.message}`) };
}

const WAIT_600 = { 'db/my.cnf': '[mysqld]\nwait_timeout = 600\n' };

test('claim: knexfiles by name, pool calls by a cheap look; bundles, declarations and prisma.config.* are not read here', () => {
  assert.ok(!isNotRead(claimJsConfig('knexfile.ts', 'export default {}')));
  assert.ok(!isNotRead(claimJsConfig('src/db.js', 'const pool = mysql.createPool({})')));
  assert.ok(!isNotRead(claimJsConfig('src/app.module.ts', 'TypeOrmModule.forRoot({ type: "mysql" })')));
  assert.ok(isNotRead(claimJsConfig('src/users.module.ts', 'TypeOrmModule.forFeature([User])')));
  assert.ok(isNotRead(claimJsConfig('dist/db.js', 'mysql.createPool({})')));
  assert.ok(isNotRead(claimJsConfig('prisma.config.ts', 'export default defineConfig({})')));
  assert.ok(isNotRead(claimJsConfig('src/index.ts', 'export const x = 1')));
});

test('a mysql2 pool from createPool: its idle timer is inert at maxIdle = connectionLimit, so connections outlive wait_timeout', async () => {
  const { findings, r } = await run({
    ...WAIT_600,
    'src/db.js': [
      "const mysql = require('mysql2/promise');",
      '',
      'module.exports = mysql.createPool({',
      "  host: 'db',",
      "  user: 'api',",
      '  password: process.env.DB_PASSWORD,',
      '  connectionLimit: 10,',
      '});',
      '',
    ].join('\n'),
  });
  assert.equal(r.model.pools[0]?.library, 'mysql2');
  assert.equal(r.model.pools[0]?.host, 'db');
  assert.ok(
    findings.some((f) => f.startsWith('error pool-lifetime-exceeds-wait-timeout src/db.js:')),
    findings.join('\n'),
  );
});

test('knexfile environments: one pool each; the knexfile imports its connection from a config module', async () => {
  const { r } = await run({
    ...WAIT_600,
    'knexfile.js':
      "const { connection } = require('./src/config/db');\nmodule.exports = {\n  development: { client: 'mysql2', connection, pool: { min: 0, max: 5 } },\n  production: { client: 'mysql2', connection, pool: { min: 2, max: 10 } },\n};\n",
    'src/config/db.js': "module.exports = { connection: { host: 'db', user: 'api', password: 's3cret-Knex' } };\n",
  });
  assert.deepEqual(
    r.model.pools.map((p) => [p.id, p.host]),
    [
      ['knex:knexfile.js#development', 'db'],
      ['knex:knexfile.js#production', 'db'],
    ],
  );
  assert.ok(!JSON.stringify(r.result).includes('s3cret-Knex'));
});

test('several knex() calls in one test file: one pool each, and test code gets notes at most', async () => {
  const call = (line: string) => `  const db${line} = knex({ client: 'mysql2', connection: { host: 'db' }, pool: { min: 2, max: 5 } });`;
  const { r, findings } = await run({
    ...WAIT_600,
    'test/migrations.test.js': ["const knex = require('knex');", "test('a', () => {", call('1'), call('2'), '});', ''].join('\n'),
  });
  assert.deepEqual(
    r.model.pools.map((p) => p.id),
    ['knex:test/migrations.test.js@3', 'knex:test/migrations.test.js@4'],
  );
  assert.ok(findings.length > 0);
  for (const f of findings) assert.match(f, /^note /);
});

test('TypeORM: the MySQL package comes from package.json; with it unknown, what only one package would do is a note', async () => {
  const module = [
    "import { TypeOrmModule } from '@nestjs/typeorm';",
    "export const db = TypeOrmModule.forRoot({ type: 'mysql', host: 'db', extra: { connectionLimit: 10, maxIdle: 10, idleTimeout: 60000 } });",
    '',
  ].join('\n');
  const unknown = await run({ ...WAIT_600, 'src/app.module.ts': module });
  assert.ok(
    unknown.findings.some((f) => f.startsWith('note parse-error src/app.module.ts:2 If TypeORM loads mysql ')),
    unknown.findings.join('\n'),
  );
  const known = await run({
    ...WAIT_600,
    'src/app.module.ts': module,
    'package.json': '{"dependencies": {"typeorm": "^0.3.20", "mysql2": "^3.11.3"}}\n',
  });
  assert.equal(known.r.model.pools[0]?.libraryName, 'TypeORM (mysql2)');
  assert.ok(!known.findings.some((f) => f.includes('If TypeORM loads')), known.findings.join('\n'));
});
