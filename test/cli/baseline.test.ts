import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { tempRepo } from '../temp-repo.js';

async function run(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    cwd,
    env: {},
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

const BAD_SUFFIX = '[mysqld]\nwait_timeout = 8h\n';
const LIFETIME = 'pool-lifetime-exceeds-wait-timeout';
const PAIR = {
  'db/my.cnf': '[mysqld]\nwait_timeout = 600\n',
  'app/hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\n',
};

function edit(dir: string, path: string, change: (text: string) => string): void {
  writeFileSync(join(dir, path), change(readFileSync(join(dir, path), 'utf8')));
}

test('inline suppression: a suppressed error leaves the exit code and the counts; stylish says how many, github nothing', async () => {
  const dir = tempRepo({ 'my.cnf': `[mysqld]\n# connlint-disable-next-line startup-failure -- the image patches it\nwait_timeout = 8h\n` });
  const stylish = await run([], dir);
  assert.deepEqual([stylish.code, stylish.stdout], [0, '0 problems; 1 suppressed (1 by a comment)\n']);
  const github = await run(['-f', 'github'], dir);
  assert.deepEqual([github.code, github.stdout], [0, '']);
  const without = await run([], tempRepo({ 'my.cnf': BAD_SUFFIX }));
  assert.equal(without.code, 1);
  const mixed = await run([], tempRepo({ 'my.cnf': `[mysqld]\nwait_timeout = 8h # connlint-disable-line startup-failure\n` }));
  assert.equal(mixed.code, 1, 'a trailing # in an option file is not a directive');
});

test('baseline round trip: written sorted with exit 0, then re-run reports nothing new; stylish counts what it matched', async () => {
  const alembic = '[alembic]\nsqlalchemy.url = mysql+pymysql://app@db/app\nsqlalchemy.pool_pre_ping = false\n';
  const dir = tempRepo({ ...PAIR, 'alembic.ini': alembic });
  const written = await run(['--write-baseline', 'connlint-baseline.json'], dir);
  assert.deepEqual([written.code, written.stdout, written.stderr], [0, '', 'connlint: wrote 2 findings to connlint-baseline.json\n']);
  const baseline = JSON.parse(readFileSync(join(dir, 'connlint-baseline.json'), 'utf8'));
  assert.deepEqual(Object.keys(baseline), ['version', 'tool', 'findings']);
  assert.deepEqual([baseline.version, baseline.tool], [1, 'connlint']);
  assert.deepEqual(
    baseline.findings.map((e: Record<string, string>) => [e.ruleId, e.path, e.fingerprint]),
    [
      ['setting-ignored-by-library', 'alembic.ini', baseline.findings[0].fingerprint],
      [LIFETIME, 'app/hikari.properties', `${LIFETIME}|app/hikari.properties|${baseline.findings[1].fingerprint.split('|')[2]}`],
    ],
  );
  assert.ok(baseline.findings.every((e: Record<string, string>) => /^[0-9a-f]{16}$/.test(e.valueHash ?? '')));
  // Writing again gives the same bytes.
  await run(['--write-baseline', 'again.json'], dir);
  assert.equal(readFileSync(join(dir, 'again.json'), 'utf8'), readFileSync(join(dir, 'connlint-baseline.json'), 'utf8'));

  const again = await run(['--baseline', 'connlint-baseline.json', '--max-warnings', '0'], dir);
  assert.deepEqual([again.code, again.stdout], [0, '0 problems; 2 suppressed (2 by the baseline)\n']);
  assert.equal((await run(['--max-warnings', '0'], dir)).code, 1, 'without --baseline the warnings still fail');
});

test('baseline: lines moving (blank lines, comments above, in both files) still match; a changed value is reported again', async () => {
  const dir = tempRepo({ ...PAIR });
  await run(['--write-baseline', 'base.json'], dir);
  edit(dir, 'app/hikari.properties', (t) => `# the pool\n\n! owned by the shop team\n${t.replace('maxLifetime', '\n\nmaxLifetime')}`);
  edit(dir, 'db/my.cnf', (t) => `# server\n\n${t.replace('wait_timeout', '# idle limit\nwait_timeout')}`);
  const moved = await run(['--baseline', 'base.json', '-f', 'github'], dir);
  assert.deepEqual([moved.code, moved.stdout], [0, '']);
  const before = await run(['-f', 'github'], dir);
  assert.match(before.stdout, /line=7,/, 'the finding did move');

  edit(dir, 'app/hikari.properties', (t) => t.replace('maxLifetime=1800000', 'maxLifetime=1700000'));
  const changed = await run(['--baseline', 'base.json', '-f', 'github'], dir);
  assert.match(changed.stdout, /^::warning file=app\/hikari\.properties,line=7,.*title=pool-lifetime-exceeds-wait-timeout::/);
  const server = tempRepo({ ...PAIR });
  await run(['--write-baseline', 'base.json'], server);
  edit(server, 'db/my.cnf', (t) => t.replace('600', '900'));
  assert.match((await run(['--baseline', 'base.json', '-f', 'github'], server)).stdout, /title=pool-lifetime-exceeds-wait-timeout/);
});

test('baseline: duplicates are counted (two identical findings, one recorded, one reported)', async () => {
  const dir = tempRepo({ 'my.cnf': BAD_SUFFIX });
  await run(['--write-baseline', 'base.json'], dir);
  edit(dir, 'my.cnf', (t) => `${t}[mysqld]\nwait_timeout = 8h\n`);
  const both = await run(['-f', 'github'], dir);
  assert.equal(both.stdout.split('\n').filter((l) => l.startsWith('::error')).length, 2, 'two identical findings');
  const out = await run(['--baseline', 'base.json'], dir);
  assert.equal(out.code, 1);
  assert.match(out.stdout, /x 1 problem \(1 error, 0 warnings, 0 notes\); 1 suppressed \(1 by the baseline\)\n$/);
});

test('baseline paths start at the repository root when a subfolder is scanned', async () => {
  const dir = tempRepo({ 'services/api/my.cnf': BAD_SUFFIX });
  execFileSync('git', ['init', '-q'], { cwd: dir });
  await run(['--write-baseline', 'base.json', 'services/api'], dir);
  const baseline = JSON.parse(readFileSync(join(dir, 'base.json'), 'utf8'));
  assert.deepEqual(
    baseline.findings.map((e: Record<string, string>) => [e.path, e.fingerprint?.split('|')[1]]),
    [['services/api/my.cnf', 'services/api/my.cnf']],
  );
  // The same baseline matches whether the subfolder or the whole repository is scanned.
  assert.equal((await run(['--baseline', 'base.json', 'services/api'], dir)).code, 0);
  assert.equal((await run(['--baseline', 'base.json'], dir)).code, 0);
});

test('a missing or invalid baseline is a usage error (exit 2, one line)', async () => {
  const dir = tempRepo({ ...PAIR, 'bad.json': '{"version": 2, "tool": "connlint", "findings": []}', 'broken.json': '{' });
  const missing = await run(['--baseline', 'nope.json'], dir);
  assert.deepEqual([missing.code, missing.stderr], [2, 'connlint: cannot read baseline nope.json: ENOENT\n']);
  const bad = await run(['--baseline', 'bad.json'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^connlint: invalid baseline bad\.json: expected \{"version": 1[^\n]*\n$/);
  const broken = await run(['--baseline', 'broken.json'], dir);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /^connlint: invalid baseline broken\.json: [^\n]+\n$/);
});
