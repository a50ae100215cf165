import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hanging, width, wrap } from '../../src/report/terminal-text.js';

test('width counts code points: an emoji (two UTF-16 units) is one column, a lone surrogate one', () => {
  assert.equal(width('abc'), 3);
  assert.equal(width('a😀b'), 3);
  assert.equal(width('x\ud800y'), 3);
  assert.equal(width(''), 0);
});

test('wrap fills lines greedily up to the width, counting code points, and keeps long words whole', () => {
  assert.deepEqual(wrap('aaa bbb ccc ddd', 7), ['aaa bbb', 'ccc ddd']);
  assert.deepEqual(wrap('😀😀😀 bbb ccc', 7), ['😀😀😀 bbb', 'ccc']);
  assert.deepEqual(wrap('a verylongwordthatdoesnotfit b', 6), ['a', 'verylongwordthatdoesnotfit', 'b']);
  assert.deepEqual(wrap('first line\nsecond', 80), ['first line', 'second']);
  // The first line has its own width.
  assert.deepEqual(wrap('aa bb cc dd', 5, 2), ['aa', 'bb cc', 'dd']);
  // A number and its unit stay together.
  assert.deepEqual(wrap('wait 350 s now', 8), ['wait', '350 s', 'now']);
});

test('a long paragraph wraps into lines no wider than the limit, losing no word', () => {
  const words = Array.from({ length: 5000 }, (_, i) => `w${i % 97}`);
  const lines = wrap(words.join(' '), 40);
  for (const line of lines) assert.ok(width(line) <= 40, line);
  assert.deepEqual(lines.join(' ').split(' '), words);
});

test('hanging puts the lead before the first line and indents the others', () => {
  assert.deepEqual(hanging('= note: ', 'alpha beta gamma delta epsilon zeta eta theta', 30, 4), [
    '= note: alpha beta gamma delta',
    '    epsilon zeta eta theta',
  ]);
});
