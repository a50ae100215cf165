import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lint } from '../src/engine/run.js';
import { rebaseResult } from '../src/report/base-path.js';
import { renderer } from '../src/report/index.js';
import { sourceReader } from '../src/report/read-source.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

test("the README's example output is what connlint prints for fixtures/demo", async () => {
  const readme = readFileSync(resolve(REPO, 'README.md'), 'utf8');
  const block = /\$ npx connlint fixtures\/demo\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'README has no example output block');
  const run = await lint({ cwd: REPO, paths: ['fixtures/demo'] });
  // The CLI names files from the repository root, the checkout (cli/base-path.ts).
  assert.equal(block, renderer('stylish')(rebaseResult(run.result, run.root, REPO), { color: false, readSource: sourceReader(REPO) }));
});

test('the README holds exactly two set-up commands, and the second is the test command CI runs', async () => {
  const readme = readFileSync(resolve(REPO, 'README.md'), 'utf8');
  const setup = readme.slice(readme.indexOf('## Set-up on a fresh machine'), readme.indexOf('## What it reads'));
  const commands = [...setup.matchAll(/```sh\n([^\n]+)\n```/g)].map((m) => m[1]);
  assert.deepEqual(commands, [
    'npm install && npx connlint fixtures/demo',
    'apt-get update && apt-get install -y --no-install-recommends mariadb-client-core libhikaricp-java libslf4j-java default-jre-headless python3-decouple pre-commit && npm ci && npm test',
  ]);
  assert.match(readFileSync(resolve(REPO, '.ci/run'), 'utf8'), /\nnpm test\n/);
});
