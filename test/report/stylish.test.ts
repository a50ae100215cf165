import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, LintResult, RelatedLocation, Severity } from '../../src/engine/finding.js';
import type { Span } from '../../src/model/span.js';
import { renderer } from '../../src/report/index.js';
import { renderStylish } from '../../src/report/stylish.js';

// Every expected string below was written by hand from the brief (Ruff's and rustc's layout: headline,
// `-->` location, marked source line, `:::` related places, `= note:` and `help:`), not captured from the renderer.

const ESC = '\u001b';

function span(path: string, line: number, column: number, length = 3): Span {
  return { path, line, column, endLine: line, endColumn: column + length };
}

function finding(ruleId: string, severity: Severity, message: string, at: Span, related: RelatedLocation[] = []): Finding {
  return { ruleId, severity, message, location: at, related, fingerprint: `${ruleId}:${at.path}` };
}

function result(findings: Finding[], suppressed?: LintResult['suppressed']): LintResult {
  return { findings, files: [], notRead: [], rules: [], toolVersion: '0.1.0', ...(suppressed ? { suppressed } : {}) };
}

function sources(files: Record<string, string>): (path: string) => string | undefined {
  return (path) => files[path];
}

const THREE = result([
  finding('pool-x', 'error', 'wait_timeout is 8 h', span('a.cnf', 3, 14), [{ span: span('b.yml', 12, 1), message: 'pool here' }]),
  finding('keepalive-y', 'warning', 'keepalive too long', span('a.cnf', 12, 5)),
  finding('some-note', 'note', 'hint', span('b.yml', 1, 1)),
]);

test('no findings: nothing at all, or only what was suppressed', () => {
  assert.equal(renderStylish(result([]), { color: false }), '');
  assert.equal(renderStylish(result([]), { color: true }), '');
  const gone = { ...finding('r', 'error', 'm', span('a', 1, 1)), suppression: { kind: 'baseline' as const } };
  assert.equal(renderStylish(result([], [gone]), { color: false }), '0 problems; 1 suppressed (1 by the baseline)\n');
});

test('without source text or colour: headline, --> location, ::: related place, summary', () => {
  const expected = [
    'error[pool-x]: wait_timeout is 8 h',
    ' --> a.cnf:3:14',
    ' ::: b.yml:12:1 pool here',
    '',
    'warning[keepalive-y]: keepalive too long',
    ' --> a.cnf:12:5',
    '',
    'note[some-note]: hint',
    ' --> b.yml:1:1',
    '',
    'x 3 problems (1 error, 1 warning, 1 note)',
    '',
  ].join('\n');
  assert.equal(renderStylish(THREE, { color: false }), expected);
  assert.equal(renderer('stylish')(THREE, { color: false }), expected);
});

test('with colour: bold red/yellow/blue labels, blue arrows, ✖ summary in the worst colour', () => {
  const expected = [
    `${ESC}[31m${ESC}[1merror[pool-x]${ESC}[22m${ESC}[39m: wait_timeout is 8 h`,
    ` ${ESC}[34m-->${ESC}[39m a.cnf:3:14`,
    ` ${ESC}[34m:::${ESC}[39m b.yml:12:1 pool here`,
    '',
    `${ESC}[33m${ESC}[1mwarning[keepalive-y]${ESC}[22m${ESC}[39m: keepalive too long`,
    ` ${ESC}[34m-->${ESC}[39m a.cnf:12:5`,
    '',
    `${ESC}[34m${ESC}[1mnote[some-note]${ESC}[22m${ESC}[39m: hint`,
    ` ${ESC}[34m-->${ESC}[39m b.yml:1:1`,
    '',
    `${ESC}[31m${ESC}[1m✖ 3 problems (1 error, 1 warning, 1 note)${ESC}[22m${ESC}[39m`,
    '',
  ].join('\n');
  assert.equal(renderStylish(THREE, { color: true }), expected);
});

test('summary pluralises each count, takes the colour of the worst level and counts suppressed findings', () => {
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

  const byComment = { ...finding('r', 'error', 'm', span('a', 5, 1)), suppression: { kind: 'inSource' as const } };
  const byBaseline = { ...finding('r', 'error', 'm', span('a', 6, 1)), suppression: { kind: 'baseline' as const } };
  assert.equal(
    renderStylish(result(one.findings, [byComment, byComment, byBaseline]), { color: false })
      .split('\n')
      .at(-2),
    'x 1 problem (1 error, 0 warnings, 0 notes); 3 suppressed (2 by comments, 1 by the baseline)',
  );
});

const HIKARI = ['jdbcUrl=jdbc:mysql://app:s3cret@db/app', 'maxLifetime=1800000', ''].join('\n');
const MY_CNF = [...Array.from({ length: 11 }, () => '# comment'), 'wait_timeout = 600', ''].join('\n');
const LIFETIME = finding(
  'pool-lifetime',
  'warning',
  'maxLifetime is 30 min but wait_timeout is 10 min (deploy/my.cnf:12), so the server closes idle pooled connections first. Set maxLifetime to 595000 (595 s) or lower.',
  span('app/hikari.properties', 2, 13, 7),
  [{ span: span('deploy/my.cnf', 12, 1, 18), message: 'wait_timeout is 10 min' }],
);

test('with source text: the marked line of the finding and of its related place, the consequence as a note, the fix as help', () => {
  const readSource = sources({ 'app/hikari.properties': HIKARI, 'deploy/my.cnf': MY_CNF });
  // The headline (24 + 67 columns) wraps before "(deploy/my.cnf:12)"; the gutter is 2 wide for line 12.
  const expected = [
    'warning[pool-lifetime]: maxLifetime is 30 min but wait_timeout is 10 min',
    '  (deploy/my.cnf:12)',
    '  --> app/hikari.properties:2:13',
    '   |',
    ' 2 | maxLifetime=1800000',
    '   |             ^^^^^^^',
    '  ::: deploy/my.cnf:12:1',
    '   |',
    '12 | wait_timeout = 600',
    '   | ------------------ wait_timeout is 10 min',
    '   |',
    '   = note: The server closes idle pooled connections first.',
    'help: Set maxLifetime to 595000 (595 s) or lower.',
    '',
    'x 1 problem (0 errors, 1 warning, 0 notes)',
    '',
  ].join('\n');
  assert.equal(renderStylish(result([LIFETIME]), { color: false, readSource }), expected);
  // A file the reader does not have: no source line for it, the other still shown.
  const onlyCnf = renderStylish(result([LIFETIME]), { color: false, readSource: sources({ 'deploy/my.cnf': MY_CNF }) });
  assert.deepEqual(onlyCnf.split('\n').slice(2, 8), [
    '  --> app/hikari.properties:2:13',
    '  ::: deploy/my.cnf:12:1',
    '   |',
    '12 | wait_timeout = 600',
    '   | ------------------ wait_timeout is 10 min',
    '   |',
  ]);
});

test('with colour and source: blue gutter, carets in the severity colour, dashes and label in blue', () => {
  const f = finding('r', 'error', 'x is 1 s. Set x to 2.', span('a.cnf', 1, 5, 1));
  const out = renderStylish(result([f]), { color: true, readSource: sources({ 'a.cnf': 'x = 1\n' }) });
  assert.deepEqual(out.split('\n').slice(0, 6), [
    `${ESC}[31m${ESC}[1merror[r]${ESC}[22m${ESC}[39m: x is 1 s`,
    ` ${ESC}[34m-->${ESC}[39m a.cnf:1:5`,
    `${ESC}[34m  |${ESC}[39m`,
    `${ESC}[34m1 |${ESC}[39m x = 1`,
    `${ESC}[34m  |${ESC}[39m ${ESC}[31m    ^${ESC}[39m`,
    `${ESC}[34m  |${ESC}[39m`,
  ]);
  assert.equal(out.split('\n')[6], `${ESC}[1mhelp${ESC}[22m: Set x to 2.`);
});

test('a narrow terminal wraps headline, notes and help with hanging indents; a long key stays whole', () => {
  const f = finding(
    'pool-x',
    'error',
    'spring.datasource.hikari.max-lifetime is 30 min but wait_timeout is 10 min, so the server closes connections the pool still lends. Set spring.datasource.hikari.max-lifetime to 570000 or lower.',
    span('a.yml', 14, 7),
  );
  // Width 40. Headline: 15 columns of label, then 25 for text (the key overflows them, whole); continuations
  // indent 2. Notes indent 10, help 6.
  const expected = [
    'error[pool-x]: spring.datasource.hikari.max-lifetime',
    '  is 30 min but wait_timeout is 10 min',
    ' --> a.yml:14:7',
    '  = note: The server closes connections',
    '          the pool still lends.',
    'help: Set',
    '      spring.datasource.hikari.max-lifetime',
    '      to 570000 or lower.',
    '',
    'x 1 problem (1 error, 0 warnings, 0 notes)',
    '',
  ].join('\n');
  assert.equal(renderStylish(result([f]), { color: false, width: 40 }), expected);
});

test('without a width the text wraps at 80 columns, as when piped; "10 min" is never split', () => {
  const words = Array.from({ length: 8 }, (_, i) => `word${i}`).join(' ');
  const f = finding('r', 'warning', `${words} ${words} is 10 min`, span('x.cnf', 2, 3));
  const lines = renderStylish(result([f]), { color: false }).split('\n');
  // "warning[r]: " is 12 columns; the 16 words of 5 letters take 95 columns with their spaces.
  assert.deepEqual(lines.slice(0, 2), [
    'warning[r]: word0 word1 word2 word3 word4 word5 word6 word7 word0 word1 word2',
    '  word3 word4 word5 word6 word7 is 10 min',
  ]);
  // Width 31 leaves 19 columns, raised to the 20-column minimum: "the value is set 10" would fit, "10 min" does not.
  const tight = renderStylish(result([finding('r', 'warning', 'the value is set 10 min', span('x', 1, 1))]), { color: false, width: 31 });
  assert.deepEqual(tight.split('\n').slice(0, 2), ['warning[r]: the value is set', '  10 min']);
});

test('line breaks inside a message are sentence breaks: the rest becomes notes', () => {
  const r = result([finding('r', 'warning', 'first\nsecond line', span('x.cnf', 2, 3))]);
  const expected = ['warning[r]: first', ' --> x.cnf:2:3', '  = note: second line', '', 'x 1 problem (0 errors, 1 warning, 0 notes)', ''];
  assert.equal(renderStylish(r, { color: false }), expected.join('\n'));
});

test('tabs are expanded and the mark follows them; a zero-width span or a binary file shows no source line', () => {
  const tab = finding('r', 'note', 'm', span('t.cnf', 2, 2, 4));
  const out = renderStylish(result([tab]), { color: false, readSource: sources({ 't.cnf': '[mysqld]\n\tport = 1\n' }) });
  assert.deepEqual(out.split('\n').slice(2, 5), ['  |', '2 |     port = 1', '  |     ^^^^']);

  const whole: Span = { path: 't.cnf', line: 1, column: 1, endLine: 1, endColumn: 1 };
  const none = renderStylish(result([finding('r', 'note', 'm', whole)]), { color: false, readSource: sources({ 't.cnf': '[mysqld]\n' }) });
  assert.equal(none, ['note[r]: m', ' --> t.cnf:1:1', '', 'x 1 problem (0 errors, 0 warnings, 1 note)', ''].join('\n'));
  const binary = renderStylish(result([finding('r', 'note', 'm', span('b.cnf', 1, 1))]), {
    color: false,
    readSource: sources({ 'b.cnf': 'ab\u0000cdef\n' }),
  });
  assert.equal(binary.includes(' | '), false);
});

test('a long source line is cut around the mark with ...', () => {
  const line = `url=${'x'.repeat(100)}&socketTimeout=0&${'y'.repeat(100)}`;
  const at = line.indexOf('socketTimeout') + 1;
  const out = renderStylish(result([finding('r', 'note', 'm', span('u.properties', 1, at, 15))]), {
    color: false,
    width: 60,
    readSource: sources({ 'u.properties': line }),
  });
  // 60 - 4 (gutter) = 56 columns: "..." + 16 before the mark (15 x and "&"), the 15 marked, then 19 ("&" and
  // 18 y) + "..." after.
  assert.deepEqual(out.split('\n').slice(3, 5), [
    `1 | ...${'x'.repeat(15)}&socketTimeout=0&${'y'.repeat(18)}...`,
    `  | ${' '.repeat(19)}${'^'.repeat(15)}`,
  ]);
});

test('secrets on a shown line are masked; when masking would move the mark, the line is not shown', () => {
  const url = finding('r', 'warning', 'm', span('app/hikari.properties', 1, 9, 30));
  const out = renderStylish(result([url]), { color: false, readSource: sources({ 'app/hikari.properties': HIKARI }) });
  assert.equal(out.includes('s3cret'), false);
  assert.deepEqual(out.split('\n').slice(3, 5), ['1 | jdbcUrl=jdbc:mysql://app:****@db/app', `  |         ${'^'.repeat(28)}`]);

  const files = sources({ 'a.env': 'DB_PASSWORD=hunter22\n', 'b.yml': '  password: "hunter22"  # the app\n' });
  const direct = finding('r', 'warning', 'm', span('a.env', 1, 13, 8));
  const keyed = finding('r', 'warning', 'm', span('b.yml', 1, 3, 8));
  const both = renderStylish(result([direct, keyed]), { color: false, readSource: files });
  assert.equal(both.includes('hunter22'), false);
  assert.ok(both.includes('1 |   password: "****"  # the app'), 'the key is marked and the value masked');
  assert.equal(both.split('\n').filter((l) => l.startsWith('1 |')).length, 1, 'the marked secret itself is not shown');
});

test('control characters and bidi overrides from scanned files are shown escaped, never sent to the terminal', () => {
  const r = result([finding('r', 'error', `key ${ESC}[2J wiped\u0007 \u202Eevil`, span(`bad${ESC}]0;title\u0007.cnf`, 1, 1))]);
  const out = renderStylish(r, { color: false, readSource: () => `v${ESC}[2J = 1\u202E\n` });
  for (const c of [ESC, '\u0007', '\u202E']) assert.equal(out.includes(c), false);
  assert.equal(
    out,
    [
      'error[r]: key \\x1b[2J wiped\\x07 \\u202eevil',
      ' --> bad\\x1b]0;title\\x07.cnf:1:1',
      '  |',
      '1 | v\\x1b[2J = 1\\u202e',
      '  | ^^^^^^',
      '',
      'x 1 problem (1 error, 0 warnings, 0 notes)',
      '',
    ].join('\n'),
  );
});

test('findings keep the order given (sorted by the engine: file, line, column)', () => {
  const r = result([
    finding('r', 'error', 'one', span('z.cnf', 1, 1)),
    finding('r', 'error', 'two', span('a.cnf', 1, 1)),
    finding('r', 'error', 'three', span('z.cnf', 2, 1)),
  ]);
  const places = renderStylish(r, { color: false })
    .split('\n')
    .filter((l) => l.startsWith(' --> '));
  assert.deepEqual(places, [' --> z.cnf:1:1', ' --> a.cnf:1:1', ' --> z.cnf:2:1']);
});

test('200,000 findings render without overflowing the call stack', () => {
  const n = 200_000;
  const many = Array.from({ length: n }, (_, i) => finding('r', 'warning', `m${i}`, span('big.cnf', i + 1, 1)));
  const lines = renderStylish(result(many), { color: false, width: 80 }).split('\n');
  assert.equal(lines.length, 3 * n + 2);
  assert.deepEqual(lines.slice(0, 3), ['warning[r]: m0', ' --> big.cnf:1:1', '']);
  assert.equal(lines.at(-2), 'x 200000 problems (0 errors, 200000 warnings, 0 notes)');
});
