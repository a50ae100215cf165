import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAdvice, messageParts, sentences } from '../../src/report/message-parts.js';

test('sentences end at a full stop before a capital; versions, file names and e.g. do not end one', () => {
  assert.deepEqual(
    sentences(
      'keepaliveTime defaults to 0 (off) before 6.2.1 and 120000 (2 min) from 6.2.1. Set it (see c3p0.properties:5). E.g. 30 s, e.g. More. `x` is set.',
    ),
    [
      'keepaliveTime defaults to 0 (off) before 6.2.1 and 120000 (2 min) from 6.2.1.',
      'Set it (see c3p0.properties:5).',
      'E.g. 30 s, e.g. More.',
      '`x` is set.',
    ],
  );
  assert.deepEqual(sentences('one\ntwo. Three'), ['one', 'two.', 'Three']);
  assert.deepEqual(sentences(''), []);
});

test('advice opens with an imperative such as Set, Turn, Raise, Remove', () => {
  for (const s of [
    'Set maxLifetime to 1.',
    'Turn on pool_pre_ping.',
    'Raise wait_timeout, or lower x.',
    'Remove the key.',
    'Either set a or b.',
  ])
    assert.equal(isAdvice(s), true, s);
  for (const s of ['Settings are read once.', 'HikariCP validates connections.', 'This assumes x.']) assert.equal(isAdvice(s), false, s);
});

test('a message splits into headline (both values, both places), consequence and other notes, and help', () => {
  assert.deepEqual(
    messageParts(
      'maxLifetime is 30 min but wait_timeout is 10 min (deploy/my.cnf:3), so the server closes them first. HikariCP validates on checkout, so each costs a retry. Set maxLifetime to 595000 (595 s) or lower. Turn on keepaliveTime.',
    ),
    {
      headline: 'maxLifetime is 30 min but wait_timeout is 10 min (deploy/my.cnf:3)',
      notes: ['The server closes them first.', 'HikariCP validates on checkout, so each costs a retry.'],
      help: 'Set maxLifetime to 595000 (595 s) or lower. Turn on keepaliveTime.',
    },
  );
  assert.deepEqual(messageParts('wait_timeout = 8h stops mysqld at start-up.'), {
    headline: 'wait_timeout = 8h stops mysqld at start-up',
    notes: [],
  });
  assert.deepEqual(
    messageParts('Set x to 1.'),
    { headline: 'Set x to 1', notes: [] },
    'a lone sentence is the headline, even when it is advice',
  );
});
