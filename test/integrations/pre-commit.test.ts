import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/*
 * The hook as a user gets it (docs/pre-commit.md): Debian's pre-commit installs this checkout's
 * .pre-commit-hooks.yaml from a git repository at a commit (npm install, npm pack, npm install -g, as
 * pre-commit's node language does) and runs it from `git commit`. The hook repository is a throw-away copy of
 * the working tree (tracked and new files, uncommitted changes included), committed there, never here.
 * Needs `pre-commit` on PATH (the README's test command installs it) and the npm registry.
 */

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'connlint test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'connlint test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, ...env }, maxBuffer: 64 * 1024 * 1024 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** A git repository holding the checkout's working tree as one commit; returns its folder and the commit. */
function hookRepository(): { dir: string; sha: string } {
  const dir = mkdtempSync(join(tmpdir(), 'connlint-hook-repo-'));
  ok(sh('git', ['init', '-q'], dir), 'git init');
  const listed = ok(sh('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], REPO), 'git ls-files');
  for (const name of new Set(listed.split('\0').filter((n) => n !== ''))) {
    const from = join(REPO, name);
    if (!existsSync(from) || !lstatSync(from).isFile()) continue; // deleted in the working tree, or a link
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    copyFileSync(from, join(dir, name));
  }
  ok(sh('git', ['add', '-A'], dir), 'git add');
  ok(sh('git', ['commit', '-q', '--no-verify', '-m', 'connlint working tree'], dir), 'git commit (hook repository)');
  return { dir, sha: ok(sh('git', ['rev-parse', 'HEAD'], dir), 'git rev-parse').trim() };
}

test('pre-commit: the connlint hook blocks a commit whose staged file meets a committed one in a finding, then lets the fix through', {
  timeout: 900_000,
}, () => {
  const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  assert.ok(
    version.status === 0,
    "pre-commit is not installed: this test needs Debian's pre-commit package (apt-get install -y pre-commit, as in the README's test command and .ci/run)",
  );
  const hook = hookRepository();
  const home = mkdtempSync(join(tmpdir(), 'connlint-pre-commit-home-'));
  const env = { PRE_COMMIT_HOME: home };
  const project = mkdtempSync(join(tmpdir(), 'connlint-pre-commit-project-'));
  ok(sh('git', ['init', '-q'], project), 'git init (project)');
  writeFileSync(
    join(project, '.pre-commit-config.yaml'),
    [
      'repos:',
      `  - repo: ${JSON.stringify(hook.dir)}`,
      `    rev: ${hook.sha}`,
      '    hooks:',
      '      - id: connlint',
      // User args add to the hook's entry (connlint --only-files): warnings block too.
      '        args: [--max-warnings, "0"]',
      '',
    ].join('\n'),
  );
  // The server's wait_timeout is committed first, without the hook: it is context, never staged again.
  writeFileSync(join(project, 'my.cnf'), '[mysqld]\nwait_timeout = 600\n');
  ok(sh('git', ['add', '.'], project), 'git add');
  ok(sh('git', ['commit', '-q', '-m', 'server'], project), 'first commit');
  ok(sh('pre-commit', ['install'], project, env), 'pre-commit install');

  // Only the pool file is staged; its lifetime outlives the committed server's wait_timeout.
  writeFileSync(join(project, 'hikari.properties'), 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\n');
  ok(sh('git', ['add', 'hikari.properties'], project), 'git add hikari.properties');
  const blocked = sh('git', ['commit', '-m', 'pool'], project, env);
  const blockedOut = `${blocked.stdout}\n${blocked.stderr}`;
  assert.notEqual(blocked.status, 0, `the commit went through:\n${blockedOut}`);
  assert.match(blockedOut, /connlint\.+Failed/);
  assert.match(blockedOut, /hikari\.properties/);
  assert.match(blockedOut, /wait_timeout/);
  assert.match(blockedOut, /my\.cnf:2/, 'the finding names the committed server file (read as context)');
  assert.match(blockedOut, /warnings exceed --max-warnings 0/);
  assert.equal(ok(sh('git', ['rev-list', '--count', 'HEAD'], project), 'git rev-list').trim(), '1');

  // The fix: a lifetime under wait_timeout. The commit passes through the hook.
  writeFileSync(join(project, 'hikari.properties'), 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=540000\n');
  ok(sh('git', ['add', 'hikari.properties'], project), 'git add (fixed)');
  const passed = sh('git', ['commit', '-m', 'pool'], project, env);
  const passedOut = `${passed.stdout}\n${passed.stderr}`;
  assert.equal(passed.status, 0, `the fixed commit was blocked:\n${passedOut}`);
  assert.match(passedOut, /connlint\.+Passed/);
  assert.equal(ok(sh('git', ['rev-list', '--count', 'HEAD'], project), 'git rev-list').trim(), '2');
});
