import assert from 'node:assert/strict';
import { test } from 'node:test';
import { msWrittenAsSeconds, secondsWrittenAsMs, unitSlipMessage } from '../../src/interpreters/js/duration-unit.js';

test('a seconds key looks like milliseconds from 10000 when a multiple of 1000, and from 1000000 whatever it is', () => {
  assert.deepEqual(secondsWrittenAsMs(1_800_000), { readMs: 1_800_000_000, meantMs: 1_800_000, writeInstead: 1800 });
  assert.deepEqual(secondsWrittenAsMs(60_000), { readMs: 60_000_000, meantMs: 60_000, writeInstead: 60 });
  assert.deepEqual(secondsWrittenAsMs(10_000), { readMs: 10_000_000, meantMs: 10_000, writeInstead: 10 });
  assert.deepEqual(secondsWrittenAsMs(1_234_567)?.writeInstead, 1235);
  // Real numbers of seconds: 1 h, 8 h, 1 day, and values just under the threshold or not whole thousands.
  for (const n of [3600, 28_800, 86_400, 9000, 10_500, 599_999, 0, -10_000, 12_000.5]) {
    assert.equal(secondsWrittenAsMs(n), undefined, String(n));
  }
});

test('a milliseconds key looks like seconds under 1000 only for a usual number of seconds', () => {
  assert.deepEqual(msWrittenAsSeconds(30), { readMs: 30, meantMs: 30_000, writeInstead: 30_000 });
  assert.deepEqual(msWrittenAsSeconds(60), { readMs: 60, meantMs: 60_000, writeInstead: 60_000 });
  assert.deepEqual(msWrittenAsSeconds(600)?.writeInstead, 600_000);
  for (const n of [5, 10, 15, 20, 45, 90, 120, 300, 900]) assert.ok(msWrittenAsSeconds(n), String(n));
  // Round millisecond values, tiny test values, and anything from 1000 up stay silent.
  for (const n of [1, 2, 100, 250, 500, 750, 1000, 30_000, 0, -30, 30.5]) {
    assert.equal(msWrittenAsSeconds(n), undefined, String(n));
  }
});

test('the message gives both readings in human units and the value to write', () => {
  const slip = secondsWrittenAsMs(1_800_000);
  assert.ok(slip);
  assert.equal(
    unitSlipMessage({ key: 'pool_recycle', written: 1_800_000, library: 'SQLAlchemy', unit: 's', slip, effect: 'E', fact: 'F' }),
    'pool_recycle is 1800000, which SQLAlchemy reads in seconds (20 d 20 h); in milliseconds it would be 30 min, almost surely what was meant: E (F). Write 1800 for 30 min',
  );
  const ms = msWrittenAsSeconds(30);
  assert.ok(ms);
  assert.equal(
    unitSlipMessage({ key: 'pool.idleTimeoutMillis', written: 30, library: 'tarn', unit: 'ms', slip: ms, effect: 'E', fact: 'F' }),
    'pool.idleTimeoutMillis is 30, which tarn reads in milliseconds (30 ms); in seconds it would be 30 s, almost surely what was meant: E (F). Write 30000 for 30 s',
  );
});
