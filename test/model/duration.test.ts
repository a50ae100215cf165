import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes, formatDuration, parseConfigDuration } from '../../src/model/duration.js';

test('durations in human units: whole units, seconds under 10 min, up to three parts', () => {
  const cases: Array<[number, string]> = [
    [0, '0 s'],
    [250, '250 ms'],
    [1500, '1.5 s'],
    [30_000, '30 s'],
    [350_000, '350 s'],
    [595_000, '595 s'],
    [600_000, '10 min'],
    [1_800_000, '30 min'],
    [7_200_000, '2 h'],
    [28_800_000, '8 h'],
    [28_795_000, '7 h 59 min 55 s'],
    [432_000_000, '5 d'],
    [-60_000, '-1 min'],
  ];
  for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, String(ms));
});

test('sizes in powers of 1024', () => {
  assert.equal(formatBytes(67_108_864), '64 MiB');
  assert.equal(formatBytes(16_777_216), '16 MiB');
  assert.equal(formatBytes(1_073_741_824), '1 GiB');
  assert.equal(formatBytes(99_328), '97 KiB');
  assert.equal(formatBytes(1500), '1.5 KiB');
  assert.equal(formatBytes(512), '512 B');
});

test('config durations: a number is seconds, strings take ms, s, m, h, d parts', () => {
  assert.equal(parseConfigDuration(350), 350_000);
  assert.equal(parseConfigDuration('350'), 350_000);
  assert.equal(parseConfigDuration('350s'), 350_000);
  assert.equal(parseConfigDuration('5m'), 300_000);
  assert.equal(parseConfigDuration('1h30m'), 5_400_000);
  assert.equal(parseConfigDuration('250ms'), 250);
  assert.equal(parseConfigDuration('2d'), 172_800_000);
  for (const bad of ['5 minutes', '5min', 'PT5M', '', '-5s', 'm5']) assert.equal(parseConfigDuration(bad), undefined, bad);
  assert.equal(parseConfigDuration(-1), undefined);
});
