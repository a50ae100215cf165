import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { lint } from '../src/engine/run.js';
import { inspectJson } from '../src/inspect/inspect-json.js';
import { toJsonShape } from '../src/report/json.js';

/**
 * Every directory under fixtures/ is a small repository with the findings it must produce in
 * expected.json (the json reporter's shape). CONNLINT_UPDATE=1 rewrites them; review the diff.
 */
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const update = process.env.CONNLINT_UPDATE === '1';

/**
 * Fixtures that also keep the expected `connlint inspect --format json` document, one or more per
 * format: option-file include trees, sysctl trees, HikariCP and c3p0 pools, declared servers and networks.
 */
const INSPECT_FIXTURES = new Set([
  'demo',
  'keepalive-exceeds-network-idle-timeout--systemd-order',
  'pool-lifetime-exceeds-wait-timeout--declared-database',
  'pool-lifetime-exceeds-wait-timeout--included-wait-timeout',
  'pool-lifetime-exceeds-wait-timeout--nearest-server',
  'pool-missing-validation--c3p0-network',
]);

const schema = JSON.parse(readFileSync(resolve(FIXTURES, '../schema/inspect.schema.json'), 'utf8')) as object;
const validateInspect = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

for (const name of readdirSync(FIXTURES).sort()) {
  const dir = join(FIXTURES, name);
  test(`fixture ${name}`, () => {
    const run = lint({ cwd: dir, paths: [] });
    const actual = toJsonShape(run.result).findings;
    const file = join(dir, 'expected.json');
    if (update) writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    assert.ok(existsSync(file), `${name} has no expected.json (run npm run test:update and review it)`);
    assert.deepEqual(actual, JSON.parse(readFileSync(file, 'utf8')));

    const doc = inspectJson({ model: run.model, notes: run.notes, ...(run.config.path ? { configPath: run.config.path } : {}) });
    assert.ok(validateInspect(doc), `${name}: inspect JSON does not match its schema: ${JSON.stringify(validateInspect.errors)}`);
    const inspectFile = join(dir, 'inspect.json');
    if (INSPECT_FIXTURES.has(name)) {
      if (update) writeFileSync(inspectFile, `${JSON.stringify(doc, null, 2)}\n`);
      assert.equal(`${JSON.stringify(doc, null, 2)}\n`, readFileSync(inspectFile, 'utf8'));
    } else assert.ok(!existsSync(inspectFile), `${name}: inspect.json without an entry in INSPECT_FIXTURES`);
  });
}

test('every firing fixture of a rule has a silent twin, and every rule has both', () => {
  const names = readdirSync(FIXTURES);
  const byRule = new Map<string, { firing: number; silent: number }>();
  for (const name of names) {
    const [rule] = name.split('--');
    if (!rule || !name.includes('--') || rule === 'parse-error') continue;
    const findings = JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')) as Array<{ ruleId: string }>;
    const entry = byRule.get(rule) ?? { firing: 0, silent: 0 };
    if (findings.some((f) => f.ruleId === rule)) entry.firing++;
    else entry.silent++;
    byRule.set(rule, entry);
  }
  for (const [rule, { firing, silent }] of byRule) {
    assert.ok(firing > 0, `${rule} has no fixture that fires`);
    assert.ok(silent >= firing, `${rule} has ${firing} firing fixtures but only ${silent} silent twins`);
  }
});
