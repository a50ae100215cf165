import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import { isNotRead } from '../../src/formats/format.js';
import { claimPrisma } from '../../src/formats/prisma.js';
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
