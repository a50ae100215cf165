import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyBaseline, parseBaseline, withoutLines, writeBaseline } from '../../src/engine/baseline.js';
import type { Finding, LintResult } from '../../src/engine/finding.js';
import { lineSpan } from '../../src/model/span.js';

function finding(path: string, line: number, message: string, key = 'k'): Finding {
  return { ruleId: 'r', severity: 'warning', message, location: lineSpan(path, line, 1, 3), related: [], fingerprint: `r|${path}|${key}` };
}

function result(findings: Finding[]): LintResult {
  return { findings, files: [{ path: 'db/my.cnf', kind: 'mysql-option-file' }], notRead: [], rules: [], toolVersion: '0' };
}

test('the value hash ignores places: path:line[:column] of known files and "line N"; a port or a value stays', () => {
  const strip = withoutLines(result([finding('app/a.properties', 4, 'x')]));
  assert.equal(
    strip('wait_timeout is 10 min (db/my.cnf:2), see app/a.properties:4:7 and jdbc:mysql://db:3306/app at line: 12'),
    'wait_timeout is 10 min (db/my.cnf), see app/a.properties and jdbc:mysql://db:3306/app at line',
  );
  // Only a whole known path: the tail of a longer one keeps its line.
  assert.equal(strip('other/db/my.cnf:2'), 'other/db/my.cnf:2');
});

test('applyBaseline: moved lines match, changed values do not, each entry matches once', () => {
  const recorded = parseBaseline(
    writeBaseline(result([finding('db/my.cnf', 2, 'is 10 min (db/my.cnf:2)'), finding('db/my.cnf', 3, 'is 5 min')])).text,
    'b.json',
  );
  const now = result([
    finding('db/my.cnf', 9, 'is 10 min (db/my.cnf:9)'),
    finding('db/my.cnf', 10, 'is 6 min'),
    finding('db/my.cnf', 11, 'is 10 min (db/my.cnf:11)'),
  ]);
  const { result: left, matched } = applyBaseline(now, recorded);
  assert.equal(matched, 1);
  assert.deepEqual(
    left.findings.map((f) => f.location.line),
    [10, 11],
  );
  assert.deepEqual(
    left.suppressed?.map((f) => [f.location.line, f.suppression.kind]),
    [[9, 'baseline']],
  );
  assert.equal(applyBaseline(now, []).result, now, 'nothing matched: the result is unchanged');
});

test('parseBaseline refuses other documents and entries without the matched fields', () => {
  assert.throws(() => parseBaseline('[]', 'b.json'), /invalid baseline b\.json: expected/);
  assert.throws(
    () => parseBaseline('{"version":1,"tool":"connlint","findings":[{"ruleId":"r","path":"p","fingerprint":"f"}]}', 'b.json'),
    /findings\[0\]\.valueHash is not a string/,
  );
});
