// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose's own ${VAR} syntax is what these inputs hold
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interpolate, knownText, type Lookup, unknownReason } from '../../src/interpreters/compose/interpolate.js';
import { parseDotenv } from '../../src/parsers/dotenv.js';

const env: Lookup = (name) =>
  ({ SET: { value: 'v' }, EMPTY: { value: '' }, LIFE: { value: '600000' }, SHELL: { unknown: 'from the shell' } })[name];

const text = (t: string) => knownText(interpolate(t, env));

test('Compose substitution: $$, $NAME, ${NAME} and the default forms, nested defaults', () => {
  assert.equal(text('a$$b $SET ${SET}'), 'a$b v v');
  assert.equal(text('${LIFE:-1800000}'), '600000');
  assert.equal(text('${UNSET:-1800000}'), '1800000');
  assert.equal(text('${EMPTY:-d}|${EMPTY-d}|${UNSET-d}'), 'd||d');
  assert.equal(text('${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}|${UNSET+alt}'), 'alt||alt|');
  assert.equal(text('${UNSET:-${ALSO:-${SET}}}x'), 'vx');
  assert.equal(text('$1 $ ${SET}$'), '$1 $ v$');
  assert.equal(text('${SET:?must be set}'), 'v');
});

test('a variable the repository does not set makes the text unknown, never blank', () => {
  const i = interpolate('--wait-timeout=${WAIT}', env);
  assert.equal(knownText(i), undefined);
  assert.match(unknownReason(i) ?? '', /\$\{WAIT\} is not set in the repository/);
  assert.deepEqual(i.pieces[0], '--wait-timeout=');
  assert.equal(knownText(interpolate('$UNSET', env)), undefined);
  assert.equal(knownText(interpolate('${SHELL:-x}', env)), undefined);
  assert.match(unknownReason(interpolate('${UNSET:?}', env)) ?? '', /required/);
  assert.deepEqual(interpolate('${SET}${LIFE}', env).used, ['SET', 'LIFE']);
});

test('an invalid ${ is an error: Compose refuses the file', () => {
  for (const t of ['${}', '${1}', '${a b}', '${SET', '${SET:-x']) {
    assert.match(interpolate(t, env).error ?? '', /^Invalid template/, t);
  }
  // Hostile nesting stops with an error instead of a deep recursion.
  assert.match(interpolate(`${'${A:-'.repeat(5000)}x${'}'.repeat(5000)}`, env).error ?? '', /nested/);
});

test('.env syntax as compose-go reads it, with spans', () => {
  const text = [
    '# comment',
    'export A=1',
    'B = two words # comment',
    'C="line\\nbreak \\$HOME \\"q\\""',
    "D='${NOT} # kept'",
    'E: yaml-style',
    'F',
    'G=a#b',
    'H=',
    '',
  ].join('\n');
  const { doc, problems } = parseDotenv('.env', text);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    doc.entries.map((e) => [e.key, e.value?.text ?? null, e.value?.quote ?? null]),
    [
      ['A', '1', 'none'],
      ['B', 'two words', 'none'],
      ['C', 'line\nbreak $$HOME "q"', 'double'],
      ['D', '${NOT} # kept', 'single'],
      ['E', 'yaml-style', 'none'],
      ['F', null, null],
      ['G', 'a#b', 'none'],
      ['H', '', 'none'],
    ],
  );
  const b = doc.entries[1];
  assert.deepEqual([b?.keySpan.line, b?.keySpan.column, b?.value?.span.column, b?.value?.span.endColumn], [3, 1, 5, 14]);
  assert.equal(doc.entries[3]?.value?.raw, "'${NOT} # kept'");
});

test('.env errors stop the file: a bad name character, a space in a name, an open quote', () => {
  for (const [text, message] of [
    ['A=1\n$X=2\n', /line 2: unexpected character "\$" in variable name/],
    ['BAD KEY=1\n', /key cannot contain a space/],
    ['A="open\nB=1\n', /unterminated quoted value/],
  ] as const) {
    const { doc, problems } = parseDotenv('.env', text);
    assert.equal(doc.failed, true, text);
    assert.match(problems[0]?.message ?? '', message);
    assert.equal(problems[0]?.severity, 'error');
  }
  assert.equal(parseDotenv('.env', '\ufeffA=1').doc.entries[0]?.keySpan.column, 1);
});
