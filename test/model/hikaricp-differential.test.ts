import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildHikariPool } from '../../src/interpreters/hikaricp/pool.js';
import type { Pool } from '../../src/model/model.js';
import { propertyEntry } from '../../src/formats/java-properties.js';
import { parseJavaProperties } from '../../src/parsers/java-properties.js';
import { repoRoot, validateWithHikari } from '../oracles/java-oracle.js';

const casesDir = path.join(repoRoot, 'test/model/hikari-cases');
const cases = readdirSync(casesDir)
  .filter((f) => f.endsWith('.properties'))
  .sort();
const KEYS = [
  'maxLifetime',
  'idleTimeout',
  'minimumIdle',
  'maximumPoolSize',
  'connectionTimeout',
  'validationTimeout',
  'leakDetectionThreshold',
];
const VERSION = { version: '2.7.9', span: { path: 'connlint.config.yaml', line: 1, column: 1, endLine: 1, endColumn: 1 } };

function effective(pool: Pool, key: string): number | string {
  const value = pool.settings.get(key)?.value;
  if (value?.kind === 'duration') return value.ms;
  if (value?.kind === 'count') return value.value;
  return `not a number: ${JSON.stringify(value)}`;
}

test('HikariCP case files cover every start-up clamp', () => {
  assert.ok(cases.length >= 15, `expected the case files in ${casesDir}`);
});

test('buildHikariPool (version 2.7.9) gives the effective values of HikariConfig.validate() in the 2.7.9 jar', () => {
  const files = cases.map((c) => path.join(casesDir, c));
  const jar = validateWithHikari(files);
  let failures = 0;
  for (const file of files) {
    const expected = jar[file];
    assert.ok(expected, `no oracle result for ${file}`);
    const text = readFileSync(file).toString('latin1');
    const { doc } = parseJavaProperties(path.basename(file), text);
    const { pool, problems } = buildHikariPool({
      path: path.basename(file),
      entries: doc.entries.map(propertyEntry),
      prefix: '',
      version: VERSION,
    });
    const stops = problems.filter((p) => /does not start|fails to start/.test(p.message));
    if (expected.ok) {
      assert.deepEqual(stops, [], `${file}: the jar starts the pool but connlint says it does not`);
      const ours = Object.fromEntries(KEYS.map((k) => [k, effective(pool, k)]));
      const theirs = Object.fromEntries(KEYS.map((k) => [k, (expected as Record<string, number>)[k]]));
      assert.deepEqual(ours, theirs, `${file}: effective values differ from HikariCP 2.7.9`);
    } else {
      failures++;
      // The jar's own exception text (after the class name) must appear in the problem that stops the pool.
      const javaMessage = expected.error.replace(/^[\w.$]+: /, '');
      assert.ok(
        stops.some((p) => p.message.includes(javaMessage)),
        `${file}: the jar fails with "${expected.error}" but connlint reports ${JSON.stringify(problems.map((p) => p.message))}`,
      );
    }
  }
  assert.ok(failures >= 5, 'the cases include start-up failures');
});
