import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import { isNotRead } from '../../src/formats/format.js';
import { claimJsConfig, jsConfig } from '../../src/formats/js-config.js';
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
  // knex called on its require, the idiom of many Express apps; a require alone builds no pool.
  assert.ok(!isNotRead(claimJsConfig('utils/db.js', "module.exports = require('knex')({ client: 'mysql2' })")));
  assert.ok(!isNotRead(claimJsConfig('utils/db.js', 'const db = require( "knex" ) ({})')));
  assert.ok(isNotRead(claimJsConfig('utils/db.js', "const knexLib = require('knex');\nmodule.exports = knexLib;")));
});

test("require('knex')({...}): the pool is read like knex({...}) (reduced from utajaraj/spa-template, backend/database/connection.js)", async () => {
  const { findings, r } = await run({
    ...WAIT_600,
    'backend/database/connection.js':
      "const knex = require('knex')({\n  client: 'mysql',\n  connection: { host: 'localhost', database: 'db', port: 30000 },\n  pool: { min: 2, max: 7 }\n});\nmodule.exports = { knex: knex };\n",
  });
  assert.equal(r.model.pools.length, 1);
  assert.equal(r.model.pools[0]?.maxSize?.value, 7);
  assert.ok(
    findings.some((f) => f.startsWith('warning pool-lifetime-exceeds-wait-timeout backend/database/connection.js:4')),
    findings.join('\n'),
  );
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
    findings.some((f) => f.startsWith('warning pool-lifetime-exceeds-wait-timeout src/db.js:')),
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
    unknown.findings.some((f) => f.startsWith('note unknown-setting src/app.module.ts:2 If TypeORM loads mysql ')),
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

// ---------------------------------------------------------------------------------------------
// TypeORM's reader: ormconfig.* by name, TYPEORM_* in .env, one file per application root

const listing = (r: Awaited<ReturnType<typeof run>>['r'], path: string) => r.model.files.find((f) => f.path === path);

test('claim: every ormconfig name TypeORM reads (xml aside); an ormconfig.ts exporting a DataSource says so', () => {
  for (const name of [
    'ormconfig.js',
    'ormconfig.cjs',
    'ormconfig.mjs',
    'ormconfig.ts',
    'ormconfig.mts',
    'ormconfig.cts',
    'ormconfig.yml',
    'ormconfig.yaml',
    'ormconfig.env',
  ])
    assert.ok(jsConfig.matchesName(name) && !isNotRead(claimJsConfig(name, 'module.exports = {}')), name);
  assert.ok(!jsConfig.matchesName('ormconfig.xml'));
  assert.ok(!jsConfig.matchesName('.env'), '.env is read through the tree, not claimed');
  const ds = claimJsConfig('ormconfig.ts', "export default new DataSource({ type: 'mysql' })");
  assert.ok(!isNotRead(ds) && /new DataSource/.test(ds.reason));
  assert.ok(isNotRead(claimJsConfig('dist/ormconfig.js', 'module.exports = {}')));
});

const PKG_02 = { 'package.json': '{"dependencies": {"typeorm": "^0.2.30", "mysql2": "^3.14.0"}}\n' };
const CREATE = { 'src/index.ts': "import { createConnection } from 'typeorm';\ncreateConnection();\n" };
const MYSQL2 = { 'connlint.config.yaml': 'libraries:\n  mysql2: 3.14.0\n' };

test('ormconfig.yml: one pool per connection; a declared TypeORM 0.3.20 does not read it', async () => {
  const files = {
    ...WAIT_600,
    ...PKG_02,
    ...CREATE,
    ...MYSQL2,
    'ormconfig.yml': 'default:\n  type: mysql\n  host: db\n  extra:\n    connectionLimit: 10\n    maxIdle: 0\n    idleTimeout: 900000\n',
  };
  const { r, findings } = await run(files);
  assert.deepEqual(
    r.model.pools.map((p) => [p.id, p.host, p.libraryName]),
    [['typeorm:ormconfig.yml@default', 'db', 'TypeORM (mysql2)']],
  );
  assert.equal(listing(r, 'ormconfig.yml')?.owner, 'certain');
  assert.ok(
    findings.some((f) => f.startsWith('warning pool-lifetime-exceeds-wait-timeout ormconfig.yml:7 extra.idleTimeout is 15 min')),
    findings.join('\n'),
  );
  const v03 = await run({ ...files, 'connlint.config.yaml': 'libraries:\n  typeorm: 0.3.20\n  mysql2: 3.14.0\n' });
  assert.deepEqual(v03.r.model.pools, []);
  assert.match(listing(v03.r, 'ormconfig.yml')?.reason ?? '', /^TypeORM 0\.3\.20 does not read ormconfig\.yml/);
  assert.equal(listing(v03.r, 'ormconfig.yml')?.kind, null);
});

test('TYPEORM_* in .env: the env reader wins over ormconfig.json; no password or URL credential reaches any output', async () => {
  const { r, findings } = await run({
    ...WAIT_600,
    ...PKG_02,
    ...CREATE,
    ...MYSQL2,
    '.env': [
      'APP_PORT=3000',
      'TYPEORM_CONNECTION=mysql',
      'TYPEORM_URL=mysql://api:Url-s3cret-77@db:3306/shop',
      'TYPEORM_PASSWORD=Env-s3cret-88',
      'TYPEORM_DRIVER_EXTRA={"connectionLimit": 10, "maxIdle": 0, "idleTimeout": 900000}',
      '',
    ].join('\n'),
    'ormconfig.json': '{"type": "postgres", "host": "pg", "password": "Json-s3cret-99"}\n',
  });
  assert.deepEqual(
    r.model.pools.map((p) => [p.id, p.host]),
    [['typeorm:.env@default', 'db']],
  );
  assert.equal(listing(r, '.env')?.kind, 'js-config');
  assert.match(listing(r, 'ormconfig.json')?.reason ?? '', /^TYPEORM_CONNECTION or TYPEORM_URL is set in \.env, so TypeORM's env reader/);
  assert.ok(
    findings.some((f) => f.startsWith('warning pool-lifetime-exceeds-wait-timeout .env:5 TYPEORM_DRIVER_EXTRA.idleTimeout is 15 min')),
    findings.join('\n'),
  );
  const everything = JSON.stringify([r.result, r.model]);
  for (const secret of ['Url-s3cret-77', 'Env-s3cret-88', 'Json-s3cret-99']) assert.ok(!everything.includes(secret), secret);
});

test('TypeORM 0.2.26–0.2.45 read .env with dotenv 8, which keeps an inline comment in the value; 0.3.x with dotenv 16', async () => {
  const files = { ...CREATE, '.env': 'TYPEORM_CONNECTION=mysql\nTYPEORM_HOST=db # the database\n' };
  const v02 = await run({ ...files, ...PKG_02 });
  assert.equal(v02.r.model.pools[0]?.host, 'db # the database');
  const v03 = await run({ ...files, 'package.json': '{"dependencies": {"typeorm": "^0.3.0", "mysql2": "^3.14.0"}}\n' });
  assert.equal(v03.r.model.pools[0]?.host, 'db');
  const unknown = await run(files);
  assert.equal(unknown.r.model.pools[0]?.host, undefined, 'the dotenv majors disagree and the version is not known');
});

test('ormconfig.js exports an array: one pool per name; an ormconfig.ts exporting new DataSource is read as code only', async () => {
  const arr = await run({
    ...PKG_02,
    ...CREATE,
    'ormconfig.js':
      "module.exports = [\n  { name: 'default', type: 'mysql', host: 'db' },\n  { name: 'reports', type: 'postgres', host: 'pg' },\n];\n",
  });
  assert.deepEqual(
    arr.r.model.pools.map((p) => [p.id, p.engine]),
    [
      ['typeorm:ormconfig.js@default', 'mysql'],
      ['typeorm:ormconfig.js@reports', 'postgresql'],
    ],
  );
  const ds = await run({
    'ormconfig.ts': "import { DataSource } from 'typeorm';\nexport default new DataSource({ type: 'mysql', host: 'db' });\n",
  });
  assert.deepEqual(
    ds.r.model.pools.map((p) => p.id),
    ['typeorm:ormconfig.ts@default'],
  );
  assert.match(listing(ds.r, 'ormconfig.ts')?.reason ?? '', /new DataSource/);
});

test('an application that passes its own options: a leftover ormconfig gives notes, an imported one is read as a module, .env is left alone', async () => {
  const { r, findings } = await run({
    ...WAIT_600,
    'src/data-source.ts': "import { DataSource } from 'typeorm';\nexport const db = new DataSource({ type: 'mysql', host: 'db' });\n",
    'ormconfig.json': '{"type": "mysql", "host": "db", "extra": {"connectionLimit": 10, "maxIdle": 0, "idleTimeout": 900000}}\n',
    '.env': 'TYPEORM_CONNECTION=mysql\nTYPEORM_HOST=db\n',
  });
  assert.equal(listing(r, 'ormconfig.json')?.owner, 'uncertain');
  assert.match(
    listing(r, 'ormconfig.json')?.reason ?? '',
    /new DataSource\(\.\.\.\) at src\/data-source\.ts:2, which ignores ormconfig files/,
  );
  for (const f of findings.filter((x) => x.includes('ormconfig.json'))) assert.match(f, /^note /);
  assert.equal(listing(r, '.env'), undefined);
  const imported = await run({
    'src/index.ts': "import { createConnection } from 'typeorm';\nimport config from '../ormconfig';\ncreateConnection(config);\n",
    'ormconfig.ts': "export default { type: 'mysql' as const, host: 'db' };\n",
  });
  assert.deepEqual(
    imported.r.model.pools.map((p) => p.id),
    ['typeorm:src/index.ts@default'],
  );
});

test('an ormconfig outside the application root (the folder of package.json) is uncertain', async () => {
  const { r } = await run({ ...PKG_02, ...CREATE, 'config/ormconfig.json': '{"type": "mysql", "host": "db"}\n' });
  assert.equal(listing(r, 'config/ormconfig.json')?.owner, 'uncertain');
  assert.match(listing(r, 'config/ormconfig.json')?.reason ?? '', /application root \(\., the folder of package\.json\), not in config/);
});

test('side effects written in an ormconfig.js never happen when the tree is linted (marker file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'connlint-marker-'));
  try {
    const marker = join(dir, 'marker');
    const text = [
      "const fs = require('fs');",
      `fs.writeFileSync(${JSON.stringify(marker)}, 'x');`,
      `require('child_process').execSync('touch ${marker}2');`,
      `module.exports = { type: 'mysql', host: (() => { fs.writeFileSync(${JSON.stringify(`${marker}3`)}, 'y'); return 'db'; })() };`,
      '',
    ].join('\n');
    const { r } = await run({ 'ormconfig.js': text, ...CREATE });
    assert.equal(r.model.pools.length, 1);
    for (const m of [marker, `${marker}2`, `${marker}3`]) assert.equal(existsSync(m), false, m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('claim: a migration or seed script with a pool is read with uncertain owner (it runs briefly); knex called as Knex(...) is found', () => {
  assert.deepEqual(claimJsConfig('src/migration/index.ts', "import * as Knex from 'knex'\nexport const db = Knex({ client: 'mysql' })"), {
    owner: 'uncertain',
    reason: 'a script (migration, seed, tool) with a pool configuration (Knex(): it runs briefly and exits',
  });
  assert.deepEqual(claimJsConfig('src/database/index.ts', "import * as Knex from 'knex'\nexport const knex = Knex({ client: 'mysql' })"), {
    owner: 'certain',
    reason: 'JavaScript/TypeScript pool configuration: Knex(',
  });
  assert.equal((claimJsConfig('scripts/seed.js', 'const pool = mysql.createPool({})') as { owner?: string }).owner, 'uncertain');
});

test('an ESM TypeScript knexfile importing ./config.js reads config.ts, as TypeScript resolves it', async () => {
  const { r } = await run({
    ...WAIT_600,
    'knexfile.ts':
      "import { db } from './src/config.js';\nexport default { client: 'mysql2', connection: { host: db.host }, pool: { min: 0, max: 4 } };\n",
    'src/config.ts': "export const db = { host: 'db' };\n",
  });
  assert.equal(r.model.pools[0]?.host, 'db');
});

test('one knex call built for two NODE_ENV branches gives one finding where both say the same (reduced from NguyenMinhTam-max/testCircleCi)', async () => {
  const { findings, r } = await run({
    'knexfile.js':
      "module.exports = {\n  development: { client: 'pg', connection: 'postgres://db/dev' },\n  production: { client: 'pg', connection: process.env.DATABASE_URL },\n};\n",
    'utils/dbConnection.js':
      "var environment = process.env.NODE_ENV || 'development'\nvar config = require('../knexfile.js')[environment]\n\nconst knex = require('knex')(config)\n\nmodule.exports = knex\n",
  });
  // Two pools from the call (one per branch) and two from the knexfile's environments: all four are in the model.
  assert.equal(r.model.pools.filter((p) => p.origin.path === 'utils/dbConnection.js').length, 2);
  const atCall = findings.filter((f) => f.includes('pool-missing-validation utils/dbConnection.js:4'));
  assert.equal(atCall.length, 1, findings.join('\n'));
  // The knexfile's two environments are two places, so two findings.
  assert.equal(findings.filter((f) => f.includes('pool-missing-validation knexfile.js:')).length, 2, findings.join('\n'));
});
