import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Finding, RuleMeta } from '../../src/engine/finding.js';
import { configErrorDiagnostics, fixToCodeAction, groupFindings, rangesTouch, toDiagnostic, toRange } from '../../src/lsp/diagnostics.js';

const ROOT = '/repo';
const uri = (rel: string) => pathToFileURL(`${ROOT}/${rel}`).href;
const META = { id: 'pool-lifetime-exceeds-wait-timeout', helpUri: 'https://example.invalid/rules#pool' } as RuleMeta;
const RULES = new Map([[META.id, META]]);

/** A hand-made finding with a fix, as the rule reports it once fixes are filled in. */
const FINDING: Finding = {
  ruleId: META.id,
  severity: 'warning',
  message: 'maxLifetime is 30 min but wait_timeout is 10 min',
  location: { path: 'app/hikari.properties', line: 2, column: 1, endLine: 2, endColumn: 20 },
  related: [{ span: { path: 'db/my.cnf', line: 2, column: 1, endLine: 2, endColumn: 19 }, message: 'wait_timeout is 10 min' }],
  fingerprint: 'x',
  fix: {
    description: 'Set maxLifetime to 595000',
    span: { path: 'app/hikari.properties', line: 2, column: 13, endLine: 2, endColumn: 20 },
    text: '595000',
  },
};

test('spans become 0-based ranges with the same UTF-16 columns, end exclusive', () => {
  assert.deepEqual(toRange({ path: 'a', line: 3, column: 5, endLine: 4, endColumn: 2 }), {
    start: { line: 2, character: 4 },
    end: { line: 3, character: 1 },
  });
  // An empty span at the start of a file stays a valid, empty range.
  assert.deepEqual(toRange({ path: 'a', line: 1, column: 1, endLine: 1, endColumn: 1 }), {
    start: { line: 0, character: 0 },
    end: { line: 0, character: 0 },
  });
});

test('a finding becomes a diagnostic with severity, code, help link and related locations', () => {
  const d = toDiagnostic(FINDING, { root: ROOT, relatedInformation: true, rules: RULES });
  assert.deepEqual(d, {
    range: { start: { line: 1, character: 0 }, end: { line: 1, character: 19 } },
    severity: 2,
    code: META.id,
    source: 'connlint',
    message: FINDING.message,
    codeDescription: { href: META.helpUri },
    relatedInformation: [
      {
        location: { uri: uri('db/my.cnf'), range: { start: { line: 1, character: 0 }, end: { line: 1, character: 18 } } },
        message: 'wait_timeout is 10 min',
      },
    ],
  });
  assert.equal(toDiagnostic({ ...FINDING, severity: 'error' }, { root: ROOT, relatedInformation: true, rules: RULES }).severity, 1);
  assert.equal(toDiagnostic({ ...FINDING, severity: 'note' }, { root: ROOT, relatedInformation: true, rules: RULES }).severity, 3);
});

test('without relatedInformation support the related places are appended to the message', () => {
  const d = toDiagnostic(FINDING, { root: ROOT, relatedInformation: false, rules: new Map() });
  assert.equal(d.message, `${FINDING.message}\ndb/my.cnf:2:1: wait_timeout is 10 min`);
  assert.equal(d.relatedInformation, undefined);
  assert.equal(d.codeDescription, undefined);
});

test("a finding's fix is a preferred quick fix replacing exactly the value", () => {
  const grouped = groupFindings([FINDING], { root: ROOT, relatedInformation: true, rules: RULES });
  const entry = grouped.get(uri('app/hikari.properties'))?.[0];
  assert.ok(entry?.fix);
  const action = fixToCodeAction(entry.fix, entry.diagnostic, { root: ROOT });
  assert.deepEqual(action, {
    title: 'Set maxLifetime to 595000',
    kind: 'quickfix',
    diagnostics: [entry.diagnostic],
    isPreferred: true,
    edit: {
      changes: {
        [uri('app/hikari.properties')]: [
          { range: { start: { line: 1, character: 12 }, end: { line: 1, character: 19 } }, newText: '595000' },
        ],
      },
    },
  });
  // A cursor anywhere on the diagnostic's line range asks for it; another line does not.
  assert.equal(rangesTouch(entry.diagnostic.range, { start: { line: 1, character: 19 }, end: { line: 1, character: 19 } }), true);
  assert.equal(rangesTouch(entry.diagnostic.range, { start: { line: 0, character: 3 }, end: { line: 0, character: 3 } }), false);
});

test('absolute finding paths (files outside the root) keep their place', () => {
  const grouped = groupFindings([{ ...FINDING, location: { ...FINDING.location, path: '/etc/mysql/my.cnf' } }], {
    root: ROOT,
    relatedInformation: true,
    rules: RULES,
  });
  assert.deepEqual([...grouped.keys()], [pathToFileURL('/etc/mysql/my.cnf').href]);
});

test('config errors are Error diagnostics on the config file at their spans', () => {
  const out = configErrorDiagnostics(ROOT, 'connlint.config.yaml', [
    { span: { path: 'connlint.config.yaml', line: 2, column: 3, endLine: 2, endColumn: 15 }, message: 'unknown rule no-such-rule' },
  ]);
  assert.deepEqual(
    [...out].map(([u, ds]) => [u, ds.map((d) => [d.severity, d.range.start, d.message])]),
    [[uri('connlint.config.yaml'), [[1, { line: 1, character: 2 }, 'unknown rule no-such-rule']]]],
  );
});
