import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import { lint } from '../../src/engine/run.js';
import type { Finding, LintResult } from '../../src/engine/finding.js';
import { renderer } from '../../src/report/index.js';
import { type JsonReport, jsonChunks, renderJson, toJsonShape } from '../../src/report/json.js';

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
    message: 'Lifetime "30 min" is too long, so the server closes it first. Set maxLifetime to 595000 or lower.',
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
      "parts": {
        "headline": "Unexpected character",
        "notes": []
      },
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
      "message": "Lifetime \\"30 min\\" is too long, so the server closes it first. Set maxLifetime to 595000 or lower.",
      "parts": {
        "headline": "Lifetime \\"30 min\\" is too long",
        "notes": [
          "The server closes it first."
        ],
        "help": "Set maxLifetime to 595000 or lower."
      },
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

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const reportSchema = JSON.parse(readFileSync(resolve(REPO, 'schema/report.schema.json'), 'utf8')) as Record<string, unknown>;
const validateReport = new Ajv({ allErrors: true, strict: true }).compile(reportSchema);

function assertReportValid(doc: unknown): void {
  assert.equal(validateReport(doc), true, JSON.stringify(validateReport.errors, null, 2));
}

test('the json output of fixtures/demo validates against schema/report.schema.json', async () => {
  const run = await lint({ cwd: REPO, paths: ['fixtures/demo'] });
  const doc = JSON.parse(renderer('json')(run.result, { color: false })) as Record<string, unknown[]>;
  assert.ok((doc.findings?.length ?? 0) > 0 && (doc.files?.length ?? 0) > 0, 'the demo has findings and files');
  assertReportValid(doc);
});

test('the report schema covers notRead, related locations and notes, and rejects what it should', () => {
  const f: Finding = {
    ruleId: 'pool-size-hint',
    severity: 'note',
    message: 'hint',
    location: { path: 'a.cnf', line: 1, column: 1, endLine: 1, endColumn: 1 },
    related: [{ span: { path: 'b.cnf', line: 2, column: 3, endLine: 2, endColumn: 9 }, message: '' }],
    fingerprint: 'x',
  };
  const doc = toJsonShape({
    findings: [f],
    files: [{ path: 'a.cnf', kind: 'mysql-option-file' }],
    notRead: [{ path: 'openssl.cnf', reason: 'not a MySQL option file' }],
    rules: [],
    toolVersion: '0.1.0',
  });
  assertReportValid(doc);
  const bad = (change: (d: JsonReport) => void): boolean => {
    const copy = structuredClone(doc);
    change(copy);
    return validateReport(copy);
  };
  assert.equal(
    bad((d) => {
      (d.findings[0] as JsonReport['findings'][number]).severity = 'fatal';
    }),
    false,
  );
  assert.equal(
    bad((d) => {
      (d.findings[0] as JsonReport['findings'][number]).location.line = 0;
    }),
    false,
  );
  assert.equal(
    bad((d) => {
      Object.assign(d.findings[0] as object, { extra: 1 });
    }),
    false,
    'additionalProperties: false',
  );
  assert.equal(
    bad((d) => {
      delete (d as Partial<JsonReport>).notRead;
    }),
    false,
  );
  assert.equal(
    bad((d) => {
      (d.files[0] as JsonReport['files'][number]).path = '';
    }),
    false,
  );
});

test('a finding with a fix carries a suggestion: the description, then the value span and its replacement', () => {
  const f: Finding = {
    ruleId: 'pool-lifetime-exceeds-wait-timeout',
    severity: 'error',
    message: 'maxLifetime is 30 min but wait_timeout is 10 min (my.cnf:2). Set maxLifetime to 595000 (595 s) or lower.',
    location: { path: 'app/hikari.properties', line: 2, column: 1, endLine: 2, endColumn: 20 },
    related: [],
    fingerprint: 'x',
    fix: {
      description: 'Set maxLifetime to 595000',
      span: { path: 'app/hikari.properties', line: 2, column: 13, endLine: 2, endColumn: 20 },
      text: '595000',
    },
  };
  const doc = toJsonShape({ findings: [f, { ...f, fix: undefined }], files: [], notRead: [], rules: [], toolVersion: '0.1.0' });
  assertReportValid(doc);
  const text = JSON.stringify(doc.findings[0]);
  assert.ok(
    text.endsWith(
      ',"related":[],"suggestion":{"description":"Set maxLifetime to 595000","replacement":{"path":"app/hikari.properties","line":2,"column":13,"endLine":2,"endColumn":20,"text":"595000"}}}',
    ),
    text,
  );
  assert.equal('suggestion' in (doc.findings[1] as object), false, 'no fix, no suggestion key');
  const broken = structuredClone(doc);
  const replacement = broken.findings[0]?.suggestion?.replacement as Partial<{ text: string }> | undefined;
  assert.ok(replacement);
  delete replacement.text;
  assert.equal(validateReport(broken), false, 'a replacement without text is rejected');
});

test('the demo report carries suggestions, each replacing exactly the written value', async () => {
  const run = await lint({ cwd: REPO, paths: ['fixtures/demo'] });
  const doc = toJsonShape(run.result);
  const suggestions = doc.findings.flatMap((f) => (f.suggestion ? [f.suggestion] : []));
  assert.deepEqual(
    suggestions.map((s) => [s.replacement.path, s.replacement.line, s.replacement.text]),
    [
      ['billing/src/main/resources/c3p0.properties', 5, '345'],
      ['deploy/host/etc/sysctl.d/60-keepalive.conf', 2, '310'],
      ['shop/src/main/resources/hikari.properties', 5, '595000'],
    ],
  );
  assertReportValid(doc);
});

test('the report written in pieces is the whole document: every section, empty and full, nesting and escapes kept', () => {
  const f: Finding = {
    ruleId: 'pool-lifetime-exceeds-wait-timeout',
    severity: 'error',
    messageId: 'exceeds',
    message: 'maxLifetime is "30 min"\nbut wait_timeout is 10 min — ⏱ (my.cnf:2). Set maxLifetime to 595000 or lower.',
    location: { path: 'app/hikari.properties', line: 2, column: 1, endLine: 2, endColumn: 20 },
    related: [
      { span: { path: 'my.cnf', line: 2, column: 1, endLine: 2, endColumn: 9 }, message: 'wait_timeout\tis set here' },
      { span: { path: 'b.cnf', line: 3, column: 1, endLine: 3, endColumn: 9 }, message: '' },
    ],
    fingerprint: 'x',
    fix: {
      description: 'Set maxLifetime to 595000',
      span: { path: 'app/hikari.properties', line: 2, column: 13, endLine: 2, endColumn: 20 },
      text: '595000',
    },
  };
  const full: LintResult = {
    findings: [f, { ...f, fix: undefined, related: [] }],
    files: [
      { path: 'app/hikari.properties', kind: 'hikaricp-properties' },
      { path: 'my.cnf', kind: 'mysql-option-file' },
    ],
    notRead: [
      { path: 'openssl.cnf', reason: 'not a MySQL option file' },
      { path: 'src/ü.js', reason: 'no database pool configuration' },
      { path: 'src/a "quoted"\\back\tslash.js', reason: 'line\nbreak, "quotes", \u0001 and \u2028' },
      { path: 'src/again.js', reason: 'no database pool configuration' },
    ],
    suppressed: [
      {
        ...f,
        suppression: {
          kind: 'inSource',
          justification: 'known "ok"',
          location: { path: 'my.cnf', line: 1, column: 1, endLine: 1, endColumn: 30 },
        },
      },
      { ...f, suppression: { kind: 'baseline' } },
    ],
    rules: [],
    toolVersion: '0.1.0',
  };
  const empty: LintResult = { findings: [], files: [], notRead: [], suppressed: [], rules: [], toolVersion: '0.1.0' };
  for (const result of [full, empty, { ...full, findings: [], suppressed: undefined }, { ...empty, notRead: full.notRead }]) {
    const chunks = [...jsonChunks(result)];
    assert.ok(result.notRead.length === 0 || chunks.length > result.notRead.length, 'one piece per item at least');
    assert.equal(chunks.join(''), `${JSON.stringify(toJsonShape(result), null, 2)}\n`);
    assert.equal(renderJson(result, { color: false }), chunks.join(''));
  }
});
