import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, LintResult } from '../../src/engine/finding.js';
import { renderer } from '../../src/report/index.js';
import { renderJson, toJsonShape } from '../../src/report/json.js';

// Expected text written by hand from the brief's shape: keys in this order, 2-space indent.

test('no findings: empty arrays, the files list kept', () => {
  const result: LintResult = {
    findings: [],
    files: [{ path: 'deploy/my.cnf', kind: 'my-cnf' }],
    notRead: [],
    rules: [],
    toolVersion: '0.1.0',
  };
  const expected = `{
  "findings": [],
  "files": [
    {
      "path": "deploy/my.cnf",
      "kind": "my-cnf"
    }
  ],
  "notRead": []
}
`;
  assert.equal(renderJson(result, { color: false }), expected);
  assert.equal(renderJson(result, { color: true }), expected, 'colour never changes machine output');
});

test('findings keep the given order, fixed key order, related without end positions, no fingerprint', () => {
  // Keys deliberately built in a scrambled order: the output order must not depend on it.
  const first: Finding = {
    fingerprint: 'pool:app/maxLifetime',
    related: [{ message: 'wait_timeout is set here', span: { endColumn: 20, endLine: 9, column: 1, line: 9, path: 'deploy/my.cnf' } }],
    location: { endColumn: 19, endLine: 14, column: 7, line: 14, path: 'app/application.yml' },
    message: 'Lifetime "30 min" is too long',
    severity: 'error',
    ruleId: 'pool-lifetime-exceeds-wait-timeout',
  };
  const second: Finding = {
    ruleId: 'parse-error',
    severity: 'warning',
    message: 'Unexpected character',
    location: { path: 'a.cnf', line: 1, column: 2, endLine: 2, endColumn: 1 },
    related: [],
    fingerprint: 'parse:a.cnf',
  };
  const result: LintResult = {
    findings: [second, first],
    files: [
      { kind: 'spring-yaml', path: 'app/application.yml' },
      { kind: 'my-cnf', path: 'deploy/my.cnf' },
    ],
    notRead: [],
    rules: [],
    toolVersion: '0.1.0',
  };
  const expected = `{
  "findings": [
    {
      "ruleId": "parse-error",
      "severity": "warning",
      "message": "Unexpected character",
      "location": {
        "path": "a.cnf",
        "line": 1,
        "column": 2,
        "endLine": 2,
        "endColumn": 1
      },
      "related": []
    },
    {
      "ruleId": "pool-lifetime-exceeds-wait-timeout",
      "severity": "error",
      "message": "Lifetime \\"30 min\\" is too long",
      "location": {
        "path": "app/application.yml",
        "line": 14,
        "column": 7,
        "endLine": 14,
        "endColumn": 19
      },
      "related": [
        {
          "path": "deploy/my.cnf",
          "line": 9,
          "column": 1,
          "message": "wait_timeout is set here"
        }
      ]
    }
  ],
  "files": [
    {
      "path": "app/application.yml",
      "kind": "spring-yaml"
    },
    {
      "path": "deploy/my.cnf",
      "kind": "my-cnf"
    }
  ],
  "notRead": []
}
`;
  assert.equal(renderJson(result, { color: false }), expected);
  assert.equal(renderer('json')(result, { color: false }), expected);
  assert.deepEqual(toJsonShape(result), JSON.parse(expected));
});
