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
