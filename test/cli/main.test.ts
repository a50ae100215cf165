import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { tempRepo } from '../temp-repo.js';

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../../bin/connlint.js');
const DEMO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/demo');

async function run(argv: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    cwd,
    env,
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

const WARN_ONLY = {
  'my.cnf': '[mysqld]\nwait_timeout = 600\n',
  'hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\n',
};

test('exit codes: 0 clean, 1 errors, warnings within --max-warnings or over it, 2 usage and config errors', async () => {
  assert.equal((await run([], tempRepo({ 'my.cnf': '[mysqld]\nwait_timeout=600\n' }))).code, 0);
  assert.equal((await run([DEMO], '/')).code, 1);
  const warnDir = tempRepo(WARN_ONLY);
  assert.equal((await run([], warnDir)).code, 0);
  assert.equal((await run(['--max-warnings', '1'], warnDir)).code, 0);
  const over = await run(['--max-warnings', '0'], warnDir);
  assert.equal(over.code, 1);
  assert.match(over.stderr, /1 warnings exceed --max-warnings 0/);
  assert.equal((await run(['--format', 'xml'], warnDir)).code, 2);
  assert.equal((await run(['--max-warnings', 'many'], warnDir)).code, 2);
  const bad = await run([], tempRepo({ 'connlint.config.yaml': 'network:\n  idleTimeout: soon\n' }));
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^connlint: invalid config connlint\.config\.yaml\n {2}connlint\.config\.yaml:2:16: network\.idleTimeout: /);
  assert.equal((await run(['nope'], warnDir)).code, 2);
});

test('--quiet keeps errors only; --output writes the report to a file', async () => {
  const quiet = await run(['--quiet', '--format', 'json', DEMO], '/');
  const findings = JSON.parse(quiet.stdout).findings as Array<{ severity: string }>;
  assert.deepEqual(
    findings.map((f) => f.severity),
    ['error'],
  );
  const dir = tempRepo(WARN_ONLY);
  const out = await run(['--format', 'sarif', '--output', 'report.sarif'], dir);
  assert.equal(out.stdout, '');
  assert.equal(JSON.parse(readFileSync(join(dir, 'report.sarif'), 'utf8')).version, '2.1.0');
});

test('colour only on a TTY without NO_COLOR or --no-color', async () => {
  const dir = tempRepo(WARN_ONLY);
  const tty = async (env: Record<string, string>, argv: string[] = []) => {
    let stdout = '';
    await main({ argv, cwd: dir, env, stdout: { write: (s: string) => (stdout += s), isTTY: true }, stderr: { write: () => true } });
    return stdout;
  };
  const ESC = '\u001b[';
  assert.ok((await tty({})).includes(ESC));
  assert.ok(!(await tty({ NO_COLOR: '1' })).includes(ESC));
  assert.ok(!(await tty({}, ['--no-color'])).includes(ESC));
  assert.ok(!(await run([], dir)).stdout.includes(ESC));
});

test('the installed command: --version, --help, and inspect on the demo', async () => {
  const version = execFileSync('node', [BIN, '--version'], { encoding: 'utf8' }).trim();
  assert.equal(version, JSON.parse(readFileSync(resolve(dirname(BIN), '../package.json'), 'utf8')).version);
  assert.match(execFileSync('node', [BIN, '--help'], { encoding: 'utf8' }), /Usage: connlint \[options\] \[command\] \[paths\.\.\.\]/);
  const inspect = spawnSync('node', [BIN, 'inspect', DEMO, '--format', 'json'], { encoding: 'utf8' });
  assert.equal(inspect.status, 0);
  const doc = JSON.parse(inspect.stdout);
  assert.equal(doc.links.length, 2);
  const text = spawnSync('node', [BIN, 'inspect', DEMO], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(text.status, 0);
  assert.match(text.stdout, /idle timeline/);
  assert.ok(text.stdout.split('\n').every((line) => line.length <= 80));
  const lintRun = spawnSync('node', [BIN, DEMO], { encoding: 'utf8' });
  assert.equal(lintRun.status, 1);
  assert.match(lintRun.stdout, /3 problems \(1 error, 2 warnings, 0 notes\)/);
});

test('paths start at the repository root when a sub-folder is scanned; --base-path overrides; --sarif-category sets the automation id', async () => {
  const repo = tempRepo({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'services/api/my.cnf': '[mysqld]\nwait_timeout = 600\n',
    'services/api/hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\n',
  });
  const sub = join(repo, 'services/api');
  const json = JSON.parse((await run(['--format', 'json'], sub)).stdout) as { findings: Array<{ location: { path: string } }> };
  assert.deepEqual(
    json.findings.map((f) => f.location.path),
    ['services/api/hikari.properties'],
  );
  const github = (await run(['--format', 'github'], sub)).stdout;
  assert.match(github, /file=services\/api\/hikari\.properties,line=2/);
  const sarif = JSON.parse((await run(['--format', 'sarif'], sub)).stdout) as {
    runs: Array<{
      automationDetails?: unknown;
      results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
    }>;
  };
  assert.equal(sarif.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri, 'services/api/hikari.properties');
  assert.equal(sarif.runs[0]?.automationDetails, undefined);
  const categorized = JSON.parse((await run(['--format', 'sarif', '--sarif-category', 'connlint/api'], sub)).stdout) as {
    runs: Array<{ automationDetails?: { id: string } }>;
  };
  assert.deepEqual(categorized.runs[0]?.automationDetails, { id: 'connlint/api' });
  const based = JSON.parse((await run(['--format', 'json', '--base-path', '.'], sub)).stdout) as {
    findings: Array<{ location: { path: string } }>;
  };
  assert.deepEqual(
    based.findings.map((f) => f.location.path),
    ['hikari.properties'],
  );
});

test('--only-files: the whole repository is read, only findings in or related to the given files are reported', async () => {
  const repo = tempRepo({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'db/my.cnf': '[mysqld]\nwait_timeout = 600\n',
    'services/api/hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\n',
    'README.md': 'not read\n',
  });
  const paths = async (argv: string[], cwd = repo) => {
    const r = await run(['--format', 'json', ...argv], cwd);
    return {
      code: r.code,
      stderr: r.stderr,
      found: (JSON.parse(r.stdout) as { findings: Array<{ location: { path: string } }> }).findings.map((f) => f.location.path),
    };
  };
  // Without the flag a file argument is the whole input: the pool alone has no server to outlive.
  assert.deepEqual((await paths(['services/api/hikari.properties'])).found, []);
  // With it, the server file is context: the finding is in the given file...
  assert.deepEqual((await paths(['--only-files', 'services/api/hikari.properties'])).found, ['services/api/hikari.properties']);
  // ...or names it as a related location (the server's file staged alone still shows the mismatch)...
  assert.deepEqual((await paths(['--only-files', 'db/my.cnf'])).found, ['services/api/hikari.properties']);
  // ...and a file no finding touches reports nothing, with exit 0 even over --max-warnings 0.
  const clean = await paths(['--only-files', '--max-warnings', '0', 'README.md']);
  assert.deepEqual(clean, { code: 0, stderr: '', found: [] });
  assert.equal((await paths(['--only-files', '--max-warnings', '0', 'db/my.cnf'])).code, 1);
  // From a sub-folder, paths are relative to it; the repository root is still the context and report paths start there.
  assert.deepEqual((await paths(['--only-files', 'hikari.properties'], join(repo, 'services/api'))).found, [
    'services/api/hikari.properties',
  ]);
  // A folder selects the files under it; no paths report the whole repository.
  assert.deepEqual((await paths(['--only-files', 'services'])).found, ['services/api/hikari.properties']);
  assert.deepEqual((await paths(['--only-files'])).found, ['services/api/hikari.properties']);
  assert.equal((await run(['--only-files', 'nope.cnf'], repo)).code, 2);
});
