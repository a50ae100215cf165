import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, LintResult, RelatedLocation, Severity } from '../../src/engine/finding.js';
import type { Span } from '../../src/model/span.js';
import { renderer } from '../../src/report/index.js';
import { renderStylish } from '../../src/report/stylish.js';

// Every expected string below was written by hand from the brief (ESLint's stylish layout), not
// captured from the renderer.

const ESC = '\u001b';

function span(path: string, line: number, column: number): Span {
  return { path, line, column, endLine: line, endColumn: column + 3 };
}

function finding(ruleId: string, severity: Severity, message: string, at: Span, related: RelatedLocation[] = []): Finding {
  return { ruleId, severity, message, location: at, related, fingerprint: `${ruleId}:${at.path}` };
}

function result(findings: Finding[]): LintResult {
  return { findings, files: [], notRead: [], rules: [], toolVersion: '0.1.0' };
}

const THREE = result([
  finding('pool-x', 'error', 'wait_timeout is 8 h', span('a.cnf', 3, 14), [{ span: span('b.yml', 12, 1), message: 'pool here' }]),
  finding('keepalive-y', 'warning', 'keepalive too long', span('a.cnf', 12, 5)),
  finding('some-note', 'note', 'hint', span('b.yml', 1, 1)),
]);

test('no findings: nothing at all', () => {
  assert.equal(renderStylish(result([]), { color: false }), '');
  assert.equal(renderStylish(result([]), { color: true }), '');
});

test('without colour: aligned columns per file, ASCII arrow and summary', () => {
  const expected = [
    'a.cnf',
    '   3:14  error    wait_timeout is 8 h  pool-x',
    '      -> b.yml:12 pool here',
    '  12:5   warning  keepalive too long   keepalive-y',
    '',
    'b.yml',
    '  1:1  note  hint  some-note',
    '',
    'x 3 problems (1 error, 1 warning, 1 note)',
    '',
  ].join('\n');
  assert.equal(renderStylish(THREE, { color: false }), expected);
  assert.equal(renderer('stylish')(THREE, { color: false }), expected);
});

test('with colour: underlined paths, red/yellow/blue severities, dim rule ids, ↳ and ✖', () => {
  const expected = [
    `${ESC}[4ma.cnf${ESC}[24m`,
    `   3:14  ${ESC}[31merror${ESC}[39m    wait_timeout is 8 h  ${ESC}[2mpool-x${ESC}[22m`,
    '      ↳ b.yml:12 pool here',
    `  12:5   ${ESC}[33mwarning${ESC}[39m  keepalive too long   ${ESC}[2mkeepalive-y${ESC}[22m`,
    '',
    `${ESC}[4mb.yml${ESC}[24m`,
    `  1:1  ${ESC}[34mnote${ESC}[39m  hint  ${ESC}[2msome-note${ESC}[22m`,
    '',
    `${ESC}[31m${ESC}[1m✖ 3 problems (1 error, 1 warning, 1 note)${ESC}[22m${ESC}[39m`,
    '',
  ].join('\n');
  assert.equal(renderStylish(THREE, { color: true }), expected);
});

test('summary pluralises each count and takes the colour of the worst level', () => {
  const one = result([finding('r', 'error', 'm', span('a', 1, 1))]);
  assert.equal(renderStylish(one, { color: false }).split('\n').at(-2), 'x 1 problem (1 error, 0 warnings, 0 notes)');

  const warnings = result([finding('r', 'warning', 'm', span('a', 1, 1)), finding('r', 'warning', 'n', span('a', 2, 1))]);
  assert.equal(
    renderStylish(warnings, { color: true }).split('\n').at(-2),
    `${ESC}[33m${ESC}[1m✖ 2 problems (0 errors, 2 warnings, 0 notes)${ESC}[22m${ESC}[39m`,
  );

  const notes = result([finding('r', 'note', 'm', span('a', 1, 1)), finding('r', 'note', 'n', span('a', 1, 9))]);
  assert.equal(
    renderStylish(notes, { color: true }).split('\n').at(-2),
    `${ESC}[34m${ESC}[1m✖ 2 problems (0 errors, 0 warnings, 2 notes)${ESC}[22m${ESC}[39m`,
  );
});

test('a terminal width wraps messages under the message column and keeps rule ids aligned', () => {
  const long = result([
    finding('pool-x', 'error', 'spring.datasource.hikari.max-lifetime is 30 min but wait_timeout is 10 min', span('a.yml', 14, 7), [
      { span: span('deploy/my.cnf', 9, 1), message: 'wait_timeout is set to 600 seconds in this file' },
    ]),
  ]);
  // Width 40: the message column starts at 15 and leaves 40 - 15 - 2 - 6 ("pool-x") = 17, raised to
  // the 20-column minimum; the long key overflows on its own line rather than being cut.
  // Related text wraps at 40 - 9 (the "      -> " indent) = 31.
  const expected = [
    'a.yml',
    '  14:7  error  spring.datasource.hikari.max-lifetime',
    '               is 30 min but',
    '               wait_timeout is 10',
    '               min                   pool-x',
    '      -> deploy/my.cnf:9 wait_timeout is',
    '         set to 600 seconds in this file',
    '',
    'x 1 problem (1 error, 0 warnings, 0 notes)',
    '',
  ].join('\n');
  assert.equal(renderStylish(long, { color: false, width: 40 }), expected);
  assert.equal(
    renderStylish(long, { color: false }).split('\n')[1],
    '  14:7  error  spring.datasource.hikari.max-lifetime is 30 min but wait_timeout is 10 min  pool-x',
    'no width: no wrapping',
  );
});

test('line breaks inside a message continue under the message column', () => {
  const r = result([finding('r', 'warning', 'first\nsecond line', span('x.cnf', 2, 3))]);
  const expected = [
    'x.cnf',
    '  2:3  warning  first',
    '                second line  r',
    '',
    'x 1 problem (0 errors, 1 warning, 0 notes)',
    '',
  ];
  assert.equal(renderStylish(r, { color: false }), expected.join('\n'));
});

test('control characters and bidi overrides from scanned files are shown escaped, never sent to the terminal', () => {
  const r = result([finding('r', 'error', `key ${ESC}[2J wiped\u0007 \u202Eevil`, span(`bad${ESC}]0;title\u0007.cnf`, 1, 1))]);
  const out = renderStylish(r, { color: false });
  assert.equal(out.includes(ESC), false);
  assert.equal(out.includes('\u0007'), false);
  assert.equal(out.includes('\u202E'), false);
  assert.equal(
    out,
    [
      'bad\\x1b]0;title\\x07.cnf',
      '  1:1  error  key \\x1b[2J wiped\\x07 \\u202eevil  r',
      '',
      'x 1 problem (1 error, 0 warnings, 0 notes)',
      '',
    ].join('\n'),
  );
});

test('findings are grouped by file in the order given', () => {
  const r = result([
    finding('r', 'error', 'one', span('z.cnf', 1, 1)),
    finding('r', 'error', 'two', span('a.cnf', 1, 1)),
    finding('r', 'error', 'three', span('z.cnf', 2, 1)),
  ]);
  const paths = renderStylish(r, { color: false })
    .split('\n')
    .filter((l) => l.endsWith('.cnf'));
  assert.deepEqual(paths, ['z.cnf', 'a.cnf']);
});

test('a file with 200,000 findings renders without overflowing the call stack', () => {
  const n = 200_000;
  const many = Array.from({ length: n }, (_, i) => finding('r', 'warning', `m${i}`, span('big.cnf', i + 1, 1)));
  const lines = renderStylish(result(many), { color: false, width: 80 }).split('\n');
  assert.equal(lines.length, 1 + n + 1 + 1 + 1);
  assert.equal(lines[1], '       1:1  warning  m0       r');
  assert.equal(lines.at(-2), 'x 200000 problems (0 errors, 200000 warnings, 0 notes)');
});
