import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LintResult } from '../../src/engine/finding.js';
import { rebasePath, rebaseResult } from '../../src/report/base-path.js';

const span = (path: string, line = 1) => ({ path, line, column: 1, endLine: line, endColumn: 2 });

test('rebasePath: relative to the base inside it, absolute outside it, never ../', () => {
  assert.equal(rebasePath('knexfile.ts', '/repo/services/api', '/repo'), 'services/api/knexfile.ts');
  assert.equal(rebasePath('db/my.cnf', '/repo', '/repo'), 'db/my.cnf');
  assert.equal(rebasePath('/repo/config/connlint.config.yaml', '/repo/services/api', '/repo'), 'config/connlint.config.yaml');
  assert.equal(rebasePath('/etc/connlint.yaml', '/repo/services/api', '/repo'), '/etc/connlint.yaml');
  assert.equal(rebasePath('knexfile.ts', '/elsewhere', '/repo'), '/elsewhere/knexfile.ts');
  assert.equal(rebasePath('a/../b.cnf', '/repo/x', '/repo'), 'x/b.cnf');
});

test('rebaseResult: findings, related locations, file lists and fingerprints name files from the base', () => {
  const result: LintResult = {
    findings: [
      {
        ruleId: 'pool-lifetime-exceeds-wait-timeout',
        severity: 'warning',
        message: 'm',
        location: span('knexfile.ts', 3),
        related: [{ span: span('db/my.cnf', 2), message: 'wait_timeout is 10 min' }],
        fingerprint: 'pool-lifetime-exceeds-wait-timeout|knexfile.ts|knex:knexfile.ts#production/idle',
      },
    ],
    files: [{ path: 'knexfile.ts', kind: 'js-config' }],
    notRead: [{ path: 'openssl.cnf', reason: 'not MySQL' }],
    rules: [],
    toolVersion: '0.1.0',
  };
  const out = rebaseResult(result, '/repo/services/api', '/repo');
  const f = out.findings[0];
  assert.equal(f?.location.path, 'services/api/knexfile.ts');
  assert.equal(f?.location.line, 3);
  assert.equal(f?.related[0]?.span.path, 'services/api/db/my.cnf');
  assert.equal(f?.fingerprint, 'pool-lifetime-exceeds-wait-timeout|services/api/knexfile.ts|knex:knexfile.ts#production/idle');
  assert.deepEqual(out.files, [{ path: 'services/api/knexfile.ts', kind: 'js-config' }]);
  assert.deepEqual(out.notRead, [{ path: 'services/api/openssl.cnf', reason: 'not MySQL' }]);
  // Scanning the root itself changes nothing.
  assert.equal(rebaseResult(result, '/repo', '/repo'), result);
});

test('rebaseResult: `path:line` in messages is rewritten like the locations, never the tail of a longer path', () => {
  const result: LintResult = {
    findings: [
      {
        ruleId: 'r',
        severity: 'warning',
        message: 'wait_timeout is 10 min (db/my.cnf:2); see also other/db/my.cnf:2 and db/my.cnf (no line)',
        location: span('knexfile.ts', 3),
        related: [{ span: span('db/my.cnf', 2), message: 'set at db/my.cnf:2' }],
        fingerprint: '',
      },
    ],
    files: [{ path: 'db/my.cnf', kind: 'mysql-option-file' }],
    notRead: [],
    rules: [],
    toolVersion: '0.1.0',
  };
  const f = rebaseResult(result, '/repo/api', '/repo').findings[0];
  assert.equal(f?.message, 'wait_timeout is 10 min (api/db/my.cnf:2); see also other/db/my.cnf:2 and db/my.cnf (no line)');
  assert.equal(f?.related[0]?.message, 'set at api/db/my.cnf:2');
});
