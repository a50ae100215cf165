import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lint } from '../src/engine/run.js';
import { toJsonShape } from '../src/report/json.js';

/**
 * Every directory under fixtures/ is a small repository with the findings it must produce in
 * expected.json (the json reporter's shape). CONNLINT_UPDATE=1 rewrites them; review the diff.
 */
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const update = process.env.CONNLINT_UPDATE === '1';

for (const name of readdirSync(FIXTURES).sort()) {
  const dir = join(FIXTURES, name);
  test(`fixture ${name}`, () => {
    const run = lint({ cwd: dir, paths: [] });
    const actual = toJsonShape(run.result).findings;
    const file = join(dir, 'expected.json');
    if (update) writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    assert.ok(existsSync(file), `${name} has no expected.json (run npm run test:update and review it)`);
    assert.deepEqual(actual, JSON.parse(readFileSync(file, 'utf8')));
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
