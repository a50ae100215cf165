import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import { isNotRead } from '../../src/formats/format.js';
import { emptyConfig } from '../../src/config/config.js';
import type { FileTreeView } from '../../src/discover/file-tree.js';
import { createTreeView } from '../../src/discover/tree-view.js';
import { createLintCache } from '../../src/engine/cache.js';
import { holdsAny } from '../../src/formats/byte-sniff.js';
import { ADAPTER_WORDS, claimPrisma, prisma } from '../../src/formats/prisma.js';
import { ADAPTER_CONSTRUCTION } from '../../src/interpreters/prisma/adapter.js';
import { prismaVersionOfRange } from '../../src/interpreters/prisma/manifest.js';
import { tempRepo } from '../temp-repo.js';

async function run(files: Record<string, string>) {
  const dir = tempRepo(files, 'connlint-prisma-');
  const r = await lint({ cwd: dir, paths: [] });
  assert.deepEqual(
    r.result.findings.filter((f) => f.ruleId === 'internal-error'),
    [],
  );
  return { r, findings: r.result.findings.map((f) => `${f.severity} ${f.ruleId} ${f.location.path}:${f.location.line} ${f.message}`) };
}

const SCHEMA7 = 'generator client {\n  provider = "prisma-client"\n}\n\ndatasource db {\n  provider = "postgresql"\n}\n';

test('claim: a .prisma file with a datasource block; a schema part without one is listed as not read', () => {
  assert.ok(!isNotRead(claimPrisma('prisma/schema.prisma', 'datasource db {\n  provider = "mysql"\n}\n')));
  assert.ok(isNotRead(claimPrisma('prisma/models/user.prisma', 'model User {\n  id Int @id\n}\n')));
});

test('package.json ranges: a major from 7 on, an exact version, nothing for a range that spans .env-relevant minors', () => {
  assert.equal(prismaVersionOfRange('^7.6.0'), '7');
  assert.equal(prismaVersionOfRange('~7.1'), '7');
  assert.equal(prismaVersionOfRange('6.19.0'), '6.19.0');
  assert.equal(prismaVersionOfRange('^6.2.0'), undefined);
  assert.equal(prismaVersionOfRange('latest'), undefined);
  assert.equal(prismaVersionOfRange('>=5 <7'), undefined);
});

test('Prisma 7 with @prisma/adapter-pg from package.json: the pg pool, whose driver notices a server close (a note at most)', async () => {
  const manifest = JSON.stringify({ dependencies: { '@prisma/adapter-pg': '^7.6.0', '@prisma/client': '^7.6.0' } }, null, 2);
  const { r, findings } = await run({
    'package.json': manifest,
    'prisma/schema.prisma': SCHEMA7,
    'prisma.config.ts':
      'import { defineConfig, env } from "prisma/config";\nexport default defineConfig({ datasource: { url: env("DATABASE_URL") } });\n',
  });
  const pool = r.model.pools[0];
  assert.equal(pool?.library, 'prisma');
  assert.equal(pool?.libraryVersion?.version, '7');
  assert.match(pool?.validatesOnCheckout.noticesServerClose ?? '', /node-postgres/);
  assert.deepEqual(
    findings.map((f) => f.split(' ').slice(0, 3).join(' ')),
    ['note pool-missing-validation prisma/schema.prisma:5'],
  );
  assert.deepEqual(
    r.model.files.filter((f) => f.kind === 'prisma').map((f) => f.path),
    ['package.json', 'prisma.config.ts', 'prisma/schema.prisma'],
  );
});

test('without a known version a schema without url gives no pool, and says why', async () => {
  const { r, findings } = await run({ 'prisma/schema.prisma': SCHEMA7 });
  assert.deepEqual(r.model.pools, []);
  assert.deepEqual(findings, []);
  assert.match(r.model.files.find((f) => f.path === 'prisma/schema.prisma')?.reason ?? '', /version is not known/);
});

// ---------------------------------------------------------------------------------------------------
// The code that constructs the driver adapter

const MANIFEST7 = JSON.stringify({ dependencies: { '@prisma/adapter-pg': '^7.6.0', '@prisma/client': '^7.6.0', pg: '^8.16.3' } }, null, 2);
const NAT = 'network:\n  profile: aws-nat-gateway\n';
const pgAdapter = (options: string) =>
  `import { PrismaPg } from '@prisma/adapter-pg';\n\nexport const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL, ${options} });\n`;

test('the adapter file under the project is found by its text and read: its pool options reach the rules, at its lines', async () => {
  const { r, findings } = await run({
    'package.json': MANIFEST7,
    'connlint.config.yaml': NAT,
    'prisma/schema.prisma': SCHEMA7,
    'src/lib/prisma.ts': pgAdapter('idleTimeoutMillis: 0'),
    // Dependencies and build output are never the application's adapter.
    'node_modules/some-lib/index.js': pgAdapter('idleTimeoutMillis: 1'),
    'dist/lib/prisma.js': pgAdapter('idleTimeoutMillis: 1'),
  });
  assert.equal(r.model.pools.length, 1);
  assert.equal(r.model.pools[0]?.name, 'datasource db (prisma/schema.prisma) through new PrismaPg() at src/lib/prisma.ts:3');
  assert.deepEqual(
    findings.map((f) => f.split(' ').slice(0, 3).join(' ')),
    ['error pool-idle-exceeds-network-idle-timeout src/lib/prisma.ts:3', 'warning pool-missing-validation src/lib/prisma.ts:3'],
  );
  const listed = r.model.files.find((f) => f.path === 'src/lib/prisma.ts');
  assert.deepEqual([listed?.kind, listed?.owner], ['prisma', 'certain']);
  assert.match(listed?.reason ?? '', /constructs the Prisma driver adapter \(new PrismaPg\(\) at line 3\) for prisma\/schema\.prisma/);

  // Idle clients closed before the NAT gateway's 350 s: silent.
  const ok = await run({
    'package.json': MANIFEST7,
    'connlint.config.yaml': NAT,
    'prisma/schema.prisma': SCHEMA7,
    'src/lib/prisma.ts': pgAdapter('idleTimeoutMillis: 300000'),
  });
  assert.deepEqual(ok.findings, []);
});

test('the adapter search opens no file discovery turned away: ADAPTER_WORDS are in every text it looks for', async () => {
  // What a turned-away file lacks is what the search's regular expression needs (a drift guard, and examples).
  assert.match(ADAPTER_CONSTRUCTION.source, /Prisma\(\?:Pg\|MariaDb\)/);
  for (const text of ['new PrismaPg({})', 'new  PrismaMariaDb (pool)', pgAdapter('max: 1')]) {
    assert.ok(ADAPTER_CONSTRUCTION.test(text) && holdsAny(Buffer.from(text), ADAPTER_WORDS), text);
  }
  const files = {
    'package.json': MANIFEST7,
    'prisma/schema.prisma': SCHEMA7,
    'src/a.ts': pgAdapter('max: 1'),
    'src/b.ts': pgAdapter('max: 2'),
  };
  const dir = tempRepo(files, 'connlint-prisma-');
  const tree = createTreeView(dir);
  const opened: string[] = [];
  // A view as discovery leaves it when it turned src/a.ts away (here it could not have: the test says so of it).
  const view: FileTreeView = {
    ...tree,
    readText: (path) => {
      opened.push(path);
      return tree.readText(path);
    },
    turnedAway: (path) => path === 'src/a.ts',
  };
  const module = await prisma.load();
  const c = await module.contribute([{ path: 'prisma/schema.prisma', text: SCHEMA7, claim: { owner: 'certain', reason: 'a schema' } }], {
    config: emptyConfig(),
    view,
    cache: createLintCache(),
    declarations: { environments: [] },
  });
  assert.ok(opened.includes('src/b.ts') && !opened.includes('src/a.ts'), opened.join(', '));
  assert.deepEqual(
    c.pools?.map((p) => p.name),
    ['datasource db (prisma/schema.prisma) through new PrismaPg() at src/b.ts:3'],
  );
});

test('an adapter built only in test code is read with doubt: its findings are notes', async () => {
  const { r, findings } = await run({
    'package.json': MANIFEST7,
    'connlint.config.yaml': NAT,
    'prisma/schema.prisma': SCHEMA7,
    'test/helpers/db.ts': pgAdapter('idleTimeoutMillis: 0'),
  });
  assert.equal(r.model.files.find((f) => f.path === 'test/helpers/db.ts')?.owner, 'uncertain');
  assert.ok(findings.length > 0);
  for (const f of findings) assert.match(f, /^note /);
});

test('each schema reads the adapter code of its own project folder; connlint.config.yaml exclude applies', async () => {
  const mysqlSchema = 'generator client {\n  provider = "prisma-client"\n}\n\ndatasource db {\n  provider = "mysql"\n}\n';
  const mariadb =
    "import { PrismaMariaDb } from '@prisma/adapter-mariadb';\nexport const adapter = new PrismaMariaDb({ host: 'db', connectionLimit: 4 });\n";
  const files = {
    'package.json': JSON.stringify({ dependencies: { '@prisma/client': '^7.6.0', '@prisma/adapter-mariadb': '^7.6.0' } }),
    'prisma/schema.prisma': mysqlSchema,
    'src/db.ts': mariadb,
    'apps/reports/package.json': MANIFEST7,
    'apps/reports/prisma/schema.prisma': SCHEMA7,
    'apps/reports/src/db.ts': pgAdapter('max: 3'),
  };
  const { r } = await run(files);
  assert.deepEqual(
    r.model.pools.map((p) => p.name),
    [
      'datasource db (apps/reports/prisma/schema.prisma) through new PrismaPg() at apps/reports/src/db.ts:3',
      'datasource db (prisma/schema.prisma) through new PrismaMariaDb() at src/db.ts:2',
    ],
  );
  const excluded = await run({ ...files, 'connlint.config.yaml': 'exclude:\n  - apps/reports/src/**\n' });
  const reports = excluded.r.model.pools.find((p) => p.id.includes('apps/reports'));
  assert.equal(reports?.name, 'datasource db (apps/reports/prisma/schema.prisma) through @prisma/adapter-pg');
  assert.equal(reports?.settings.get('max')?.origin.kind, 'library-default');
});

test('an adapter around mariadb.createPool(): one pool, the mariadb one the JS/TS format reads', async () => {
  const mysqlSchema = 'generator client {\n  provider = "prisma-client"\n}\n\ndatasource db {\n  provider = "mysql"\n}\n';
  const { r } = await run({
    'package.json': JSON.stringify({
      dependencies: { '@prisma/client': '^7.6.0', '@prisma/adapter-mariadb': '^7.6.0', mariadb: '^3.4.0' },
    }),
    'prisma/schema.prisma': mysqlSchema,
    'src/db.ts': [
      "import * as mariadb from 'mariadb';",
      "import { PrismaMariaDb } from '@prisma/adapter-mariadb';",
      "const pool = mariadb.createPool({ host: 'db', connectionLimit: 5 });",
      'export const adapter = new PrismaMariaDb(pool);',
      '',
    ].join('\n'),
  });
  assert.deepEqual(
    r.model.pools.map((p) => p.library),
    ['mariadb'],
  );
  assert.equal(r.model.files.find((f) => f.path === 'src/db.ts')?.kind, 'js-config');
  assert.match(r.model.files.find((f) => f.path === 'prisma/schema.prisma')?.reason ?? '', /wraps the pool of mariadb\.createPool\(\)/);
});
