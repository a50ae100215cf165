import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { type Interval, inIntervals, rangeAtLeast, rangeInterval, rangeIntervals } from '../../src/interpreters/js/semver-range.js';
import type { Ver } from '../../src/interpreters/node-mysql/versions.js';

const show = (i: Interval) => `[${i.lo.join('.')}, ${i.hi ? i.hi.join('.') : '∞'})`;
const shown = (text: string) => rangeIntervals(text)?.map(show).join(' ∪ ');

// What each range allows, as npm's semver reads it (checked against it below), prereleases read as their release.
const TABLE: Array<[string, string]> = [
  ['1.2.3', '[1.2.3, 1.2.4)'],
  ['=1.2.3', '[1.2.3, 1.2.4)'],
  ['v1.2.3', '[1.2.3, 1.2.4)'],
  ['=v1.2.3', '[1.2.3, 1.2.4)'],
  ['1.2', '[1.2.0, 1.3.0)'],
  ['1', '[1.0.0, 2.0.0)'],
  ['1.x', '[1.0.0, 2.0.0)'],
  ['1.2.x', '[1.2.0, 1.3.0)'],
  ['1.2.*', '[1.2.0, 1.3.0)'],
  ['1.X.x', '[1.0.0, 2.0.0)'],
  ['^1.2.3', '[1.2.3, 2.0.0)'],
  ['^0.3.17', '[0.3.17, 0.4.0)'],
  ['^0.0.3', '[0.0.3, 0.0.4)'],
  ['^1.2', '[1.2.0, 2.0.0)'],
  ['^0.0', '[0.0.0, 0.1.0)'],
  ['^0.0.x', '[0.0.0, 0.1.0)'],
  ['^0.x', '[0.0.0, 1.0.0)'],
  ['^0', '[0.0.0, 1.0.0)'],
  ['^0.1', '[0.1.0, 0.2.0)'],
  ['^1.x', '[1.0.0, 2.0.0)'],
  ['^ 1.2.3', '[1.2.3, 2.0.0)'],
  ['~1.2.3', '[1.2.3, 1.3.0)'],
  ['~1.2', '[1.2.0, 1.3.0)'],
  ['~1', '[1.0.0, 2.0.0)'],
  ['~0.2.3', '[0.2.3, 0.3.0)'],
  ['~>1.2.3', '[1.2.3, 1.3.0)'],
  ['>=1.2.3', '[1.2.3, ∞)'],
  ['>= 1.2.3', '[1.2.3, ∞)'],
  ['>=1.2.3 <2.0.0', '[1.2.3, 2.0.0)'],
  ['>= 1.2.3 < 2', '[1.2.3, 2.0.0)'],
  ['>1.2.3', '[1.2.4, ∞)'],
  ['>1.2', '[1.3.0, ∞)'],
  ['>1', '[2.0.0, ∞)'],
  ['<1.2.3', '[0.0.0, 1.2.3)'],
  ['<=1.2.3', '[0.0.0, 1.2.4)'],
  ['<1.2', '[0.0.0, 1.2.0)'],
  ['<=1.2', '[0.0.0, 1.3.0)'],
  ['<=1', '[0.0.0, 2.0.0)'],
  ['  ^1.2.3  ', '[1.2.3, 2.0.0)'],
  ['^1.2.3+build.5', '[1.2.3, 2.0.0)'],
  ['7.0.0-alpha.20', '[7.0.0, 7.0.1)'],
  ['^7.0.0-alpha.9', '[7.0.0, 8.0.0)'],
  ['~7.0.0-rc.1', '[7.0.0, 7.1.0)'],
  ['>=7.0.0-alpha.1', '[7.0.0, ∞)'],
  ['>7.0.0-alpha.1', '[7.0.0, ∞)'],
  ['<7.0.0-alpha.1', '[0.0.0, 7.0.0)'],
  ['<=7.0.0-alpha.1', '[0.0.0, 7.0.0)'],
  ['1.2.3 - 2.3.4', '[1.2.3, 2.3.5)'],
  ['1.2 - 2', '[1.2.0, 3.0.0)'],
  ['1.2.3 - 2.3', '[1.2.3, 2.4.0)'],
  ['1.2.3-beta.1 - 2', '[1.2.3, 3.0.0)'],
  ['^1.2.3 || ^2.0.0', '[1.2.3, 3.0.0)'],
  ['^2 || ^1.5', '[1.5.0, 3.0.0)'],
  ['^1 || ^3', '[1.0.0, 2.0.0) ∪ [3.0.0, 4.0.0)'],
  ['>=1.0.0 || <0.5.0', '[0.0.0, 0.5.0) ∪ [1.0.0, ∞)'],
  ['^1 || >2 <1', '[1.0.0, 2.0.0)'],
];

const NOT_UNDERSTOOD = [
  '*',
  'x',
  '',
  '   ',
  '>=*',
  '^1 || *',
  'latest',
  'next',
  'file:../db',
  'git+https://github.com/sidorares/node-mysql2.git',
  'github:sidorares/node-mysql2#v3.9.7',
  'https://example.com/mysql2-3.9.7.tgz',
  'workspace:*',
  'workspace:^1.2.3',
  'npm:mysql2@^3.9.0',
  'link:../mysql2',
  '01.2.3',
  '1.02.3',
  '1.2.3.4',
  '1.x.3',
  '^1.2.3 garbage',
  '1.2.3-01',
  '>2 <1',
  '>=1.2.3 <1.2.3',
  '<0.0.0',
  '^1 |',
  '>=',
  '1.2.3 -',
];

test('rangeIntervals: each supported form gives the releases it allows', () => {
  for (const [range, expected] of TABLE) assert.equal(shown(range), expected, range);
});

test('rangeIntervals: wildcards, tags, protocols, malformed and unsatisfiable ranges are not understood', () => {
  for (const range of NOT_UNDERSTOOD) assert.equal(rangeIntervals(range), undefined, JSON.stringify(range));
});

test('rangeInterval: one interval, or undefined when a union leaves a gap', () => {
  assert.deepEqual(rangeInterval('^0.3.17'), { lo: [0, 3, 17], hi: [0, 4, 0] });
  assert.deepEqual(rangeInterval('>=1.2.3'), { lo: [1, 2, 3], hi: undefined });
  assert.deepEqual(rangeInterval('^7.0.0-alpha.9'), { lo: [7, 0, 0], hi: [8, 0, 0] });
  assert.deepEqual(rangeInterval('^2.0.0 || ^3.0.0'), { lo: [2, 0, 0], hi: [4, 0, 0] });
  assert.equal(rangeInterval('^1 || ^3'), undefined);
  assert.equal(rangeInterval('*'), undefined);
  assert.equal(rangeInterval('workspace:*'), undefined);
});

test('rangeAtLeast: true when every allowed release is at least the version, false when none is, else undefined', () => {
  const cases: Array<[string, Ver, boolean | undefined]> = [
    ['3.9.7', [3, 5, 0], true],
    ['3.4.9', [3, 5, 0], false],
    ['^3.9.0', [3, 5, 0], true],
    ['^3.1.0', [3, 5, 0], undefined],
    ['^3.9.0', [4, 0, 0], false],
    ['~3.4.1', [3, 5, 0], false],
    ['>=3.5.0', [3, 5, 0], true],
    ['>3.4.99', [3, 5, 0], undefined],
    ['<3.5.0', [3, 5, 0], false],
    ['<=3.5.0', [3, 5, 0], undefined],
    ['^0.3.17', [0, 3, 0], true],
    ['^0.3.17', [0, 4, 0], false],
    ['7.0.0-alpha.20', [7, 0, 0], true],
    ['^7.0.0-alpha.9', [7, 0, 0], true],
    ['^1 || ^3', [1, 0, 0], true],
    ['^1 || ^3', [3, 0, 0], undefined],
    ['^1 || ^3', [4, 0, 0], false],
    ['^1 || ^3', [2, 5, 0], undefined],
    ['*', [0, 0, 0], undefined],
    ['latest', [1, 0, 0], undefined],
  ];
  for (const [range, min, expected] of cases) assert.equal(rangeAtLeast(range, min), expected, `${range} >= ${min.join('.')}`);
});

// ---- node-semver as an oracle ----

interface Semver {
  satisfies(version: string, range: string): boolean;
}

/** npm's own semver, where Node's npm installs it (this test's oracle only; connlint does not use it). */
function findSemver(): Semver | undefined {
  const prefix = dirname(dirname(process.execPath));
  const candidates = [
    join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'semver'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'semver'),
    '/usr/lib/node_modules/npm/node_modules/semver',
    '/usr/local/lib/node_modules/npm/node_modules/semver',
  ];
  const found = candidates.find((c) => existsSync(join(c, 'package.json')));
  return found ? (createRequire(import.meta.url)(found) as Semver) : undefined;
}

// Recorded from node-semver 7 (npm 10) for when it cannot be found: [range, version, satisfies].
const RECORDED: Array<[string, string, boolean]> = [
  ['^0.3.17', '0.3.17', true],
  ['^0.3.17', '0.3.16', false],
  ['^0.3.17', '0.4.0', false],
  ['^0.0.3', '0.0.3', true],
  ['^0.0.3', '0.0.4', false],
  ['^0.0', '0.0.5', true],
  ['^0.0', '0.1.0', false],
  ['^0.x', '0.5.0', true],
  ['^1.2', '1.9.0', true],
  ['^1.2', '1.1.9', false],
  ['~1.2', '1.2.9', true],
  ['~1.2', '1.3.0', false],
  ['~1', '1.9.9', true],
  ['>1.2', '1.2.9', false],
  ['>1.2', '1.3.0', true],
  ['<=1.2', '1.2.9', true],
  ['<=1.2', '1.3.0', false],
  ['>7.0.0-alpha.1', '7.0.0', true],
  ['<=7.0.0-alpha.1', '7.0.0', false],
  ['<=7.0.0-alpha.1', '6.9.9', true],
  ['^7.0.0-alpha.9', '7.0.0', true],
  ['^7.0.0-alpha.9', '8.0.0', false],
  ['1.2.3 - 2.3', '2.3.9', true],
  ['1.2.3 - 2.3', '2.4.0', false],
  ['^1 || ^3', '2.0.0', false],
  ['^1 || ^3', '3.1.0', true],
];

const versionText = (v: Ver) => v.join('.');

test('rangeIntervals agrees with node-semver on release versions for every range it understands', (t) => {
  const grid: Ver[] = [];
  for (const a of [0, 1, 2, 3, 4, 7, 8])
    for (const b of [0, 1, 2, 3, 4, 5, 9]) for (const c of [0, 1, 2, 3, 4, 5, 16, 17, 18]) grid.push([a, b, c]);
  const semver = findSemver();
  if (!semver) {
    t.diagnostic('node-semver not found next to npm: checking the recorded table instead');
    for (const [range, version, expected] of RECORDED) {
      const list = rangeIntervals(range);
      assert.ok(list, range);
      const v = version.split('.').map(Number) as unknown as Ver;
      assert.equal(inIntervals(v, list), expected, `${version} in ${range}`);
    }
    return;
  }
  // The recorded table is node-semver's answer.
  for (const [range, version, expected] of RECORDED) assert.equal(semver.satisfies(version, range), expected, `${version} in ${range}`);
  // An exact prerelease is read as its release on purpose (no release satisfies it in node-semver).
  const ranges = TABLE.map(([r]) => r).filter((r) => r !== '7.0.0-alpha.20');
  let compared = 0;
  for (const range of ranges) {
    const list = rangeIntervals(range);
    assert.ok(list, range);
    for (const v of grid) {
      assert.equal(inIntervals(v, list), semver.satisfies(versionText(v), range), `${versionText(v)} in ${range}`);
      compared++;
    }
  }
  assert.equal(compared, ranges.length * grid.length);
  // And what is not understood is mostly what node-semver rejects too; where it accepts, we say "unknown".
  for (const range of ['1.2.3.4', '01.2.3', 'latest', 'file:../db']) assert.equal(semver.satisfies('1.2.3', range), false, range);
});
