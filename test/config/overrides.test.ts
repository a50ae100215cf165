import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig, type RuleSpec } from '../../src/config/load-config.js';
import { ruleRuns, severityFor } from '../../src/config/overrides.js';
import type { RuleStatus } from '../../src/engine/define-rule.js';
import { lint } from '../../src/engine/run.js';
import { tempRepo } from '../temp-repo.js';

const PATH = 'connlint.config.yaml';
const RULES: RuleSpec[] = [
  { id: 'pool-missing-validation', options: {} },
  { id: 'pool-lifetime-exceeds-wait-timeout', options: {} },
  { id: 'conflicting-duplicate-setting', options: {} },
];

function span(line: number, column: number, endColumn: number) {
  return { path: PATH, line, column, endLine: line, endColumn };
}

const CONFIG = [
  'rules:',
  '  pool-missing-validation: error',
  'overrides:',
  '  - files: ["legacy/**"]',
  '    rules: { pool-missing-validation: off, pool-lifetime-exceeds-wait-timeout: note }',
  '  - files: ["legacy/billing/**", "**/*.ini"]',
  '    rules:',
  '      pool-missing-validation: warning',
  '',
].join('\n');

test('overrides are read in order with files, severities and spans', () => {
  const { config, errors } = loadConfig(PATH, CONFIG, RULES);
  assert.deepEqual(errors, []);
  assert.deepEqual(config.overrides, [
    {
      files: ['legacy/**'],
      rules: {
        'pool-missing-validation': { value: 'off', span: span(5, 39, 42) },
        'pool-lifetime-exceeds-wait-timeout': { value: 'note', span: span(5, 80, 84) },
      },
      // The item: from `files` to the end of its last value (85 columns on line 5).
      span: { path: PATH, line: 4, column: 5, endLine: 5, endColumn: 86 },
    },
    {
      files: ['legacy/billing/**', '**/*.ini'],
      rules: { 'pool-missing-validation': { value: 'warning', span: span(8, 32, 39) } },
      span: { path: PATH, line: 6, column: 5, endLine: 8, endColumn: 39 },
    },
  ]);
});

test('severityFor: the last matching override that names the rule, then rules:, else undefined', () => {
  const { config } = loadConfig(PATH, CONFIG, RULES);
  assert.equal(severityFor(config, 'pool-missing-validation', 'app/hikari.properties'), 'error', 'no override matches: rules:');
  assert.equal(severityFor(config, 'pool-missing-validation', 'legacy/shop/c3p0.properties'), 'off');
  assert.equal(severityFor(config, 'pool-missing-validation', 'legacy/billing/c3p0.properties'), 'warning', 'the later override wins');
  assert.equal(severityFor(config, 'pool-missing-validation', 'deep/alembic.ini'), 'warning', 'a glob without / matches at any depth');
  assert.equal(
    severityFor(config, 'pool-lifetime-exceeds-wait-timeout', 'legacy/billing/x.yml'),
    'note',
    'the later override does not name it',
  );
  assert.equal(severityFor(config, 'pool-lifetime-exceeds-wait-timeout', 'app/x.yml'), undefined, 'nothing set: the rule decides');
  assert.equal(severityFor(config, 'pool-missing-validation', 'legacy'), 'error', 'legacy/** matches below legacy/, not legacy itself');
});

test('ruleRuns: a rule off in rules: still runs when an override turns it on; a preview rule only when named', () => {
  const stable: RuleStatus = { kind: 'stable', since: '0.1.0' };
  const preview: RuleStatus = { kind: 'preview', since: '0.3.0' };
  const load = (text: string) => loadConfig(PATH, text, RULES).config;
  const off = load('rules: { pool-missing-validation: off }\n');
  assert.equal(ruleRuns(off, { id: 'pool-missing-validation', status: stable }), false);
  const onForSome = load(
    'rules: { pool-missing-validation: off }\noverrides: [{ files: ["new/**"], rules: { pool-missing-validation: error } }]\n',
  );
  assert.equal(ruleRuns(onForSome, { id: 'pool-missing-validation', status: stable }), true);
  assert.equal(ruleRuns(onForSome, { id: 'pool-lifetime-exceeds-wait-timeout', status: stable }), true);
  assert.equal(ruleRuns(onForSome, { id: 'conflicting-duplicate-setting', status: preview }), false);
  const previewOn = load('overrides: [{ files: ["a/**"], rules: { conflicting-duplicate-setting: note } }]\n');
  assert.equal(ruleRuns(previewOn, { id: 'conflicting-duplicate-setting', status: preview }), true);
  const previewOff = load('overrides: [{ files: ["a/**"], rules: { conflicting-duplicate-setting: off } }]\n');
  assert.equal(ruleRuns(previewOff, { id: 'conflicting-duplicate-setting', status: preview }), false);
});

test('a broken override is an error at its place: shape by the schema, rule ids by the rule list', () => {
  const errors = (text: string) => loadConfig(PATH, text, RULES).errors;
  assert.deepEqual(errors('overrides:\n  - files: ["legacy/**"]\n    rules: { pool-missing-validaton: off }\n'), [
    {
      message:
        'overrides[0].rules.pool-missing-validaton: unknown rule; did you mean "pool-missing-validation"? (known: conflicting-duplicate-setting, pool-lifetime-exceeds-wait-timeout, pool-missing-validation)',
      span: span(3, 14, 36),
    },
  ]);
  assert.deepEqual(errors('overrides:\n  - files: ["legacy/**"]\n    rules: { pool-missing-validation: silent }\n'), [
    { message: 'overrides[0].rules.pool-missing-validation: expected off, note, warning or error (got "silent")', span: span(3, 39, 45) },
  ]);
  assert.deepEqual(errors('overrides:\n  - files: []\n    rules: {}\n'), [
    { message: 'overrides[0].files: expected a non-empty list of globs such as ["legacy/**"] (got a list)', span: span(2, 12, 14) },
  ]);
  assert.deepEqual(errors('overrides:\n  - files: ["a/**"]\n'), [{ message: 'overrides[0]: missing key "rules"', span: span(2, 5, 20) }]);
  assert.deepEqual(errors('overrides:\n  - files: ["a/**"]\n    rules: {}\n    severity: off\n'), [
    { message: 'unknown key "overrides[0].severity" (expected one of files, rules)', span: span(4, 5, 13) },
  ]);
  assert.deepEqual(errors('overrides: { files: ["a/**"] }\n'), [
    { message: 'overrides: expected a list of { files, rules } (got a mapping)', span: span(1, 12, 31) },
  ]);
});

test('overrides reach the ids the engine reports itself: parse-error turned to a note or off by path', async () => {
  const files = {
    'legacy/my.cnf': '[mysqld\nwait_timeout=5\n',
    'current/my.cnf': '[mysqld\nwait_timeout=5\n',
    'tools/my.cnf': '[mysqld\nwait_timeout=5\n',
    'connlint.config.yaml':
      'overrides:\n  - files: ["legacy/**"]\n    rules: { parse-error: note }\n  - files: ["tools/**"]\n    rules: { parse-error: off }\n',
  };
  const { result } = await lint({ cwd: tempRepo(files), paths: [] });
  const parse = result.findings.filter((f) => f.ruleId === 'parse-error').map((f) => [f.location.path, f.severity]);
  assert.deepEqual(parse, [
    ['current/my.cnf', 'error'],
    ['legacy/my.cnf', 'note'],
  ]);
});
