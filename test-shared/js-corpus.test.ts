import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lint } from '../src/engine/run.js';

/*
 * The JS/TS and Prisma corpus as the repositories it came from (issue 18). The corpus keeps each file
 * under a flat name, `owner__repo__path__to__file`; connlint reads these formats by their real names
 * (`knexfile.ts`, `ormconfig.js`, `config/database.js`, `prisma/schema.prisma`), so each file is put back
 * at its path in a folder per repository, and each folder is linted as the repository it stands for.
 */

const CORPUS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');
const FOLDERS = ['knex', 'typeorm', 'prisma'];

const root = mkdtempSync(join(tmpdir(), 'connlint-js-corpus-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The repositories rebuilt under `root`, by `owner+repo`. */
function rebuild(): string[] {
  const repos = new Set<string>();
  for (const folder of FOLDERS)
    for (const name of readdirSync(join(CORPUS, folder))) {
      const [owner, repo, ...path] = name.split('__');
      if (!owner || !repo || path.length === 0) continue;
      const repoDir = join(root, `${owner}+${repo}`);
      const target = join(repoDir, ...path);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(CORPUS, folder, name), target);
      repos.add(`${owner}+${repo}`);
    }
  return [...repos].sort();
}

/**
 * What a person expects from each repository's files, by the knowledge base (knex-tarn.md, typeorm.md,
 * mysql2.md, prisma.md); repositories not listed must give no finding at all.
 * - rudex and ator-rest-api: knexfiles whose client comes from the environment (it may be SQLite), one note
 *   per environment that knex has no check on checkout; EgyptTravelGuide's Strapi config likewise.
 * - Express-Replication-MySQL and tap-hoa-api: a TypeORM MySQL data source with no idle retirement in any
 *   mysql/mysql2 version, against MySQL's default 8 h wait_timeout; the drivers notice the server's close
 *   (mysql2.md, Model), so a warning.
 * - uptime-kuma's server/database.js, the Prisma schemas (no version, or a URL only from the environment):
 *   nothing a person could act on.
 */
const EXPECTED: Record<string, string[]> = {
  '3langn+Express-Replication-MySQL': ['pool-lifetime-exceeds-wait-timeout warning ormconfig.js:1'],
  '42VN-Pasila+rudex': [
    'pool-missing-validation note knexfile.ts:32',
    'pool-missing-validation note knexfile.ts:33',
    'pool-missing-validation note knexfile.ts:34',
  ],
  'ATOR-Development+ator-rest-api': [
    'pool-missing-validation note knexfile.ts:29',
    'pool-missing-validation note knexfile.ts:34',
    'pool-missing-validation note knexfile.ts:50',
  ],
  'LeVanHieu0509+tap-hoa-api': ['pool-lifetime-exceeds-wait-timeout warning ormconfig.ts:1'],
  'boussa69+EgyptTravelGuide': ['pool-missing-validation note cms/config/database.js:2'],
};

test('the JS/TS and Prisma corpus, rebuilt as its repositories: the findings a person expects, and no others', async () => {
  const repos = rebuild();
  assert.ok(repos.length >= 20, `only ${repos.length} repositories rebuilt from ${CORPUS}`);
  for (const repo of repos) {
    const run = await lint({ cwd: join(root, repo), paths: [] });
    const got = run.result.findings.map((f) => `${f.ruleId} ${f.severity} ${f.location.path}:${f.location.line}`).sort();
    assert.deepEqual(got, EXPECTED[repo] ?? [], repo);
    // Every message stays readable: no finding lists every version combination.
    for (const f of run.result.findings) assert.ok(f.message.length < 1500, `${repo}: a ${f.message.length}-character message`);
  }
});
