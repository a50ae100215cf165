import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lint } from '../src/engine/run.js';
import { inspectJson } from '../src/inspect/inspect-json.js';
import { renderer } from '../src/report/index.js';

const CORPUS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');

test('the shared corpus is present', async () => {
  assert.ok(existsSync(CORPUS), `corpus not found at ${CORPUS}`);
});

/**
 * The whole pipeline over real-world files: every folder of the corpus, and the corpus as one tree.
 * No internal error, every format renders, and inspect covers every recognised file.
 */
for (const folder of [
  '.',
  ...readdirSync(CORPUS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name),
]) {
  test(`lint and inspect run cleanly over corpus/${folder}`, async () => {
    const run = await lint({ cwd: join(CORPUS, folder), paths: [] });
    assert.deepEqual(
      run.result.findings.filter((f) => f.ruleId === 'internal-error'),
      [],
    );
    for (const format of ['stylish', 'json', 'sarif', 'github'] as const)
      assert.equal(typeof renderer(format)(run.result, { color: false }), 'string');
    const doc = inspectJson({ model: run.model });
    assert.equal(doc.pools.length, run.model.pools.length);
    assert.equal(doc.hosts.length, run.model.hosts.length);
  });
}

/**
 * The Python corpus as a person reads it (sqlalchemy.md, django.md): CodeMath builds a MySQL engine with
 * no pool_recycle (-1: never) and no pre-ping, against MySQL's default 8 h wait_timeout; Kamekure's URL
 * comes from a module not in the corpus (it may be SQLite: a note at most); NetBox's example keeps
 * PostgreSQL connections 300 s without CONN_HEALTH_CHECKS; the cookiecutter template is Jinja, not Python.
 * joker sets pool_recycle 3600 with pre-ping, the rest build URLs or settings that are not known here.
 */
test('the Python corpus: the findings a person expects, and no others', async () => {
  const got: string[] = [];
  for (const folder of ['sqlalchemy', 'django']) {
    const run = await lint({ cwd: join(CORPUS, folder), paths: [] });
    for (const f of run.result.findings) got.push(`${f.ruleId} ${f.severity} ${f.location.path.split('__')[0]}:${f.location.line}`);
  }
  assert.deepEqual(got.sort(), [
    'parse-error note cookiecutter:2',
    'pool-lifetime-exceeds-wait-timeout error CodeMath:15',
    'pool-missing-validation note Kamekure-Maisuke:7',
    'pool-missing-validation warning CodeMath:15',
    'pool-missing-validation warning netbox-community:16',
  ]);
});
