import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  msLooksLikeSeconds,
  msWrittenAsSeconds,
  msWrittenAsSecondsBelow,
  secondsLooksLikeMs,
  secondsWrittenAsMs,
  secondsWrittenAsMsFrom,
  unitSlipMessage,
} from '../../src/interpreters/duration-unit.js';

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

test('a milliseconds key looks like seconds only for a usual number of seconds (under 1000, or a usual long duration)', () => {
  assert.deepEqual(msWrittenAsSeconds(30), { readMs: 30, meantMs: 30_000, writeInstead: 30_000 });
  assert.deepEqual(msWrittenAsSeconds(60), { readMs: 60, meantMs: 60_000, writeInstead: 60_000 });
  assert.deepEqual(msWrittenAsSeconds(600)?.writeInstead, 600_000);
  for (const n of [5, 10, 15, 20, 45, 90, 120, 300, 900]) assert.ok(msWrittenAsSeconds(n), String(n));
  // From 1000 up only the usual long durations (20 min to 24 h), none a whole number of seconds in milliseconds.
  for (const n of [1200, 1800, 3600, 28_800, 86_400]) assert.deepEqual(msWrittenAsSeconds(n)?.meantMs, n * 1000, String(n));
  // Round millisecond values, tiny test values, whole seconds in milliseconds and other values from 1000 stay silent.
  for (const n of [1, 2, 100, 250, 500, 750, 1000, 1500, 5000, 30_000, 1_800_000, 0, -30, 30.5]) {
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

test('one module for every library: the Java and the JavaScript/Python readers share the thresholds', () => {
  // The Java pools' former list (java-pools.md, hikaricp.md) and the JavaScript one (knex-tarn.md) are one list now.
  for (const n of [30, 60, 300, 600, 1800, 3600, 28_800, 86_400, 5, 10, 45, 90, 420]) assert.equal(msLooksLikeSeconds(n), true, String(n));
  for (const n of [10_000, 20_000, 60_000, 1_800_000, 1_234_567]) assert.equal(secondsLooksLikeMs(n), true, String(n));
  for (const n of [0, 20, 1800, 9000, 28_800, 86_400, 10_500, 999_999]) assert.equal(secondsLooksLikeMs(n), false, String(n));
});

test('per-library thresholds: Prisma timeouts from 1000 s, Sequelize idle under 100 ms', () => {
  // prisma.md: pool_timeout=10000 and connect_timeout=5000 are almost certainly milliseconds.
  assert.deepEqual(secondsWrittenAsMsFrom(5000, 1000), { readMs: 5_000_000, meantMs: 5000, writeInstead: 5 });
  assert.equal(secondsWrittenAsMsFrom(999, 1000), undefined);
  // sequelize.md: values under 100 (idle: 30) almost certainly meant seconds.
  assert.deepEqual(msWrittenAsSecondsBelow(30, 100), { readMs: 30, meantMs: 30_000, writeInstead: 30_000 });
  assert.equal(msWrittenAsSecondsBelow(100, 100), undefined);
  assert.equal(msWrittenAsSecondsBelow(0, 100), undefined);
});
