import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderRulesMd } from '../src/dev/gen-rules-md.js';
import { RULES } from '../src/engine/registry.js';
import { lint } from '../src/engine/run.js';
import { tempRepo } from './temp-repo.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

test('the registry holds exactly the files in rules/, sorted, each id equal to its file name', async () => {
  const files = readdirSync(join(REPO, 'rules'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  assert.deepEqual(
    RULES.map((r) => r.id),
    files,
  );
});

test('every rule has its docs filled in and every option documented', async () => {
  for (const rule of RULES) {
    assert.match(rule.id, /^[a-z]+(-[a-z]+)+$/);
    assert.ok(rule.summary.length > 10 && !rule.summary.endsWith('.'), `${rule.id}: summary`);
    for (const field of ['whatItDoes', 'whyIsThisBad', 'knownLimits'] as const)
      assert.ok((rule.docs[field] ?? '').length > 40, `${rule.id}: docs.${field}`);
    assert.ok(
      rule.docs.references.some((r) => r.includes('knowledge')),
      `${rule.id}: cites the knowledge base`,
    );
    for (const [name, o] of Object.entries(rule.options)) assert.ok(o.description.length > 10, `${rule.id}: option ${name}`);
  }
});

test("each rule's docs example fires it and its use-instead stays silent (ESLint's example check)", async () => {
  for (const rule of RULES) {
    if (!rule.docs.example || !rule.docs.useInstead) {
      // Rules about what text files cannot show (permissions, links, binary bytes) explain how to see them; their tests live elsewhere.
      assert.ok((rule.docs.exampleNote ?? '').includes('test'), `${rule.id}: no example and no exampleNote naming its test`);
      continue;
    }
    const bad = (await lint({ cwd: tempRepo(rule.docs.example), paths: [] })).result.findings;
    assert.ok(
      bad.some((f) => f.ruleId === rule.id),
      `${rule.id}: example does not fire (${JSON.stringify(bad)})`,
    );
    const good = (await lint({ cwd: tempRepo(rule.docs.useInstead), paths: [] })).result.findings;
    assert.deepEqual(
      good.map((f) => `${f.ruleId}: ${f.message}`),
      [],
      `${rule.id}: use-instead is not silent`,
    );
  }
});

test('RULES.md is generated from the rules and up to date', async () => {
  assert.equal(readFileSync(join(REPO, 'RULES.md'), 'utf8'), renderRulesMd(), 'RULES.md is stale: run npm run docs');
});
