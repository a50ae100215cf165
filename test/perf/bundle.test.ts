import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../load-trace.js';

/*
 * bin/connlint.js runs the bundle src/dev/bundle.ts writes; the unit tests import tsc's modules. The two must be the
 * same program: the same output and exit code for the demo, every rule's fixtures and the generated bench cases.
 */

function run(entry: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8', cwd: REPO });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BIN = join(REPO, 'bin/connlint.js');
const MODULES = join(REPO, 'test/engine/run-modules.mjs');

test('the bundle and the modules give the same findings, inspect output and exit codes', () => {
  const cases = [
    ['fixtures/demo'],
    ['--format', 'json', 'fixtures'],
    ['--format', 'sarif', 'fixtures/demo'],
    ['inspect', '--format', 'json', 'fixtures/demo'],
    ['rules', '--format', 'json'],
    ['--no-such-flag'],
  ];
  for (const args of cases) {
    const bundled = run(BIN, args);
    const modules = run(MODULES, args);
    assert.equal(bundled.status, modules.status, args.join(' '));
    assert.equal(bundled.stdout, modules.stdout, args.join(' '));
    assert.equal(bundled.stderr, modules.stderr, args.join(' '));
  }
  // Not vacuous: the cases found problems and the bad flag failed.
  assert.equal(run(BIN, ['fixtures/demo']).status, 1);
  assert.equal(run(BIN, ['--no-such-flag']).status, 2);
});
