import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lastAssignment, type Origin, overridesOf, replacedOf, type Setting } from '../../src/model/setting.js';

/*
 * lastAssignment gives the last of a key's assignments what folding overridesOf and replacedOf along the chain gives
 * it (the way every reader did before, quadratic in the chain's length): compared on chains of every shape.
 */

function setting(i: number, kind: 'file' | 'config' | 'default', preReplaced: boolean, clamped: boolean): Setting {
  const span = { path: 'my.cnf', line: i + 1, column: 1, endLine: i + 1, endColumn: 10 };
  const origin: Origin =
    kind === 'file'
      ? { kind: 'file', span, via: [] }
      : kind === 'config'
        ? { kind: 'config', span }
        : { kind: 'server-default', engine: 'mysql', fact: 'f' };
  return {
    key: 'wait_timeout',
    canonicalKey: 'wait_timeout',
    raw: String(600 + i),
    text: String(600 + i),
    value: { kind: 'duration', ms: (600 + i) * 1000 },
    origin,
    overrides: [],
    ...(preReplaced ? { replaced: [{ origin, raw: 'pre', value: { kind: 'count', value: i } }] } : {}),
    ...(clamped ? { clamp: { written: { kind: 'count', value: -i }, reason: 'r', fact: 'f' } } : {}),
  };
}

/** The fold every reader did: each assignment replaces the previous one (and lists it where it repeats it). */
function folded(chain: Setting[], repeats: (a: Setting, b: Setting) => boolean = () => true): Setting | undefined {
  let previous: Setting | undefined;
  for (const s of chain) {
    s.overrides = overridesOf(previous);
    if (!previous || repeats(previous, s)) Object.assign(s, replacedOf(previous));
    previous = s;
  }
  return previous;
}

function chains(seed: number, n: number): [Setting[], Setting[]] {
  let x = seed;
  const rnd = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  const a: Setting[] = [];
  const b: Setting[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    const kind = r < 0.7 ? 'file' : r < 0.85 ? 'config' : 'default';
    const pre = rnd() < 0.2;
    const clamped = rnd() < 0.2;
    // Two spellings of one key (`maxWaitMillis`, `maxWait`): only the same spelling again is a repetition.
    const spelling = rnd() < 0.3 ? 'wait_timeout_alias' : 'wait_timeout';
    a.push({ ...setting(i, kind, pre, clamped), key: spelling });
    b.push({ ...setting(i, kind, pre, clamped), key: spelling });
  }
  return [a, b];
}

test('the last assignment lists what the fold lists, for chains of every shape', () => {
  let compared = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const [a, b] = chains(seed, 1 + (seed % 9));
    const expected = folded(a);
    const actual = lastAssignment(b);
    assert.deepEqual(actual, expected, `seed ${seed}`);
    compared++;
  }
  const sameSpelling = (p: Setting, n: Setting) => p.key === n.key;
  for (let seed = 1; seed <= 300; seed++) {
    const [a, b] = chains(seed + 1000, 1 + (seed % 9));
    assert.deepEqual(lastAssignment(b, sameSpelling), folded(a, sameSpelling), `seed ${seed}, by spelling`);
    compared++;
  }
  assert.equal(compared, 600);
  assert.equal(lastAssignment([]), undefined);
});

test('a key assigned three times in one file: the last lists both earlier ones, oldest first, with their values', () => {
  const chain = [setting(0, 'file', false, false), setting(1, 'file', false, true), setting(2, 'file', false, false)];
  const last = lastAssignment(chain);
  assert.equal(last, chain[2]);
  assert.deepEqual(
    last?.overrides.map((o) => (o.kind === 'file' ? o.span.line : 0)),
    [1, 2],
  );
  assert.deepEqual(
    last?.replaced?.map((r) => [r.raw, r.value]),
    [
      ['600', { kind: 'duration', ms: 600000 }],
      ['601', { kind: 'count', value: -1 }],
    ],
  );
});
