import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { tempRepo } from '../temp-repo.js';

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../../bin/connlint.js');
const DEMO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/demo');

async function run(argv: string[], cwd: string, env: Record<string, string> = {}, stdin?: string) {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    cwd,
    env,
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    ...(stdin !== undefined ? { stdin: Readable.from([Buffer.from(stdin)]) } : {}),
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
  // One line per problem, with its place.
  assert.match(bad.stderr, /^connlint: invalid config: connlint\.config\.yaml:2:16: network\.idleTimeout: [^\n]+\n$/);
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

test('a JSON report of more than a megabyte is written in pieces that make the same document, to stdout and to a file', async () => {
  const files: Record<string, string> = { ...WARN_ONLY };
  for (let i = 0; i < 5000; i++) files[`src/components/some-feature-folder/a-component-with-a-rather-long-name-${i}.js`] = 'export {};\n';
  const dir = tempRepo(files);
  const writes: string[] = [];
  const code = await main({
    argv: ['-f', 'json'],
    cwd: dir,
    env: {},
    stdout: { write: (s: string) => writes.push(s) },
    stderr: { write: () => true },
  });
  const stdout = writes.join('');
  assert.ok(stdout.length > 1 << 20 && writes.length >= 2, `${stdout.length} characters in ${writes.length} writes`);
  const doc = JSON.parse(stdout) as { notRead: unknown[]; findings: unknown[] };
  assert.deepEqual([code, doc.notRead.length, doc.findings.length], [0, 5000, 1]);
  const toFile = await run(['-f', 'json', '-o', 'report.json'], dir);
  assert.deepEqual([toFile.code, toFile.stdout], [0, '']);
  assert.equal(readFileSync(join(dir, 'report.json'), 'utf8'), stdout);
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

test('--stdin lints an unsaved buffer as the named file, with the rest of the repository from disk', async () => {
  const dir = tempRepo({ ...WARN_ONLY, '.git/HEAD': 'ref: refs/heads/main\n', 'sub/README': 'x\n' });
  // The buffer fixes the pair: the file on disk still has wait_timeout = 600.
  const fixed = await run(['--stdin', '--stdin-filename', 'my.cnf', '-f', 'json'], dir, {}, '[mysqld]\nwait_timeout = 28800\n');
  assert.equal(fixed.code, 0);
  assert.deepEqual(JSON.parse(fixed.stdout).findings, []);
  // A buffer with no file on disk yet, named from a sub-folder: the repository is the context, only its findings show.
  const fresh = await run(
    ['--stdin', '--stdin-filename', '../new/hikari.properties', '-f', 'json'],
    join(dir, 'sub'),
    {},
    'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\n',
  );
  const findings = JSON.parse(fresh.stdout).findings as Array<{ ruleId: string; location: { path: string; line: number } }>;
  assert.deepEqual(
    findings.map((f) => [f.ruleId, f.location.path, f.location.line]),
    [['pool-lifetime-exceeds-wait-timeout', 'new/hikari.properties', 2]],
  );
  const missingName = await run(['--stdin'], dir, {}, '');
  assert.equal(missingName.code, 2);
  assert.match(missingName.stderr, /--stdin needs --stdin-filename/);
  const withPaths = await run(['--stdin', '--stdin-filename', 'my.cnf', 'hikari.properties'], dir, {}, '');
  assert.equal(withPaths.code, 2);
  assert.equal((await run(['--stdin-filename', 'my.cnf'], dir)).code, 2);
});

test('the command line as users meet it: help, options before inspect, --list-rules --format json, --output failures', async () => {
  const dir = tempRepo(WARN_ONLY);
  const help = await run(['help'], dir);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: connlint \[options\] \[command\] \[paths\.\.\.\]/);
  assert.match((await run(['help', 'inspect'], dir)).stdout, /^Usage: connlint inspect \[options\] \[paths\.\.\.\]/);
  // Options before `inspect` are honoured when inspect has them, refused otherwise.
  const json = await run(['-f', 'json', 'inspect'], dir);
  assert.equal(json.code, 0);
  assert.equal(JSON.parse(json.stdout).links.length, 1);
  const sarif = await run(['-f', 'sarif', 'inspect'], dir);
  assert.deepEqual([sarif.code, sarif.stderr], [2, 'connlint: inspect prints text or json, not sarif\n']);
  const maxWarnings = await run(['--max-warnings', '0', 'inspect'], dir);
  assert.deepEqual([maxWarnings.code, maxWarnings.stderr], [2, 'connlint: --max-warnings does not apply to inspect\n']);
  // inspect's own option wins over the one before it.
  assert.match((await run(['-f', 'json', 'inspect', '-f', 'text'], dir)).stdout, /^connlint inspect: 1 link/);
  const rules = JSON.parse((await run(['--list-rules', '--format', 'json'], dir)).stdout) as Array<{ id: string; severity: string }>;
  assert.ok(rules.some((r) => r.id === 'pool-lifetime-exceeds-wait-timeout' && r.severity === 'error'));
  assert.equal((await run(['--list-rules', '--format', 'sarif'], dir)).code, 2);
  const missing = await run(['--output', 'no/such/dir/report.json'], dir);
  assert.deepEqual([missing.code, missing.stderr], [2, 'connlint: cannot write report to no/such/dir/report.json: ENOENT\n']);
});

test('connlint rules, explain and profiles', async () => {
  const dir = tempRepo(WARN_ONLY);
  const text = await run(['rules'], dir);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^pool-missing-validation +warning +A pool lends connections without checking them/m);
  // One column for the severity, however long the longest id.
  const columns = new Set(
    text.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.search(/ (error|warning|note) /)),
  );
  assert.equal(columns.size, 1, text.stdout);
  const json = JSON.parse((await run(['rules', '--format', 'json'], dir)).stdout) as Array<{
    id: string;
    status: string;
    fixable: boolean;
  }>;
  assert.ok(json.some((r) => r.id === 'keepalive-exceeds-network-idle-timeout'));
  assert.deepEqual(json.find((r) => r.id === 'pool-lifetime-exceeds-wait-timeout')?.fixable, true);
  assert.deepEqual(json.find((r) => r.id === 'startup-failure')?.status, 'stable');
  const explained = await run(['explain', 'pool-missing-validation'], dir);
  assert.equal(explained.code, 0);
  assert.match(explained.stdout, /^## pool-missing-validation\n[\s\S]*### What it does\n[\s\S]*### Why is this bad\?/);
  assert.match((await run(['explain', 'parse-error'], dir)).stdout, /^## parse-error\n/);
  const unknown = await run(['explain', 'pool-lifetime'], dir);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^connlint: unknown rule pool-lifetime \(known: .*pool-lifetime-exceeds-wait-timeout/);
  const profiles = await run(['profiles'], dir);
  assert.match(profiles.stdout, /\n {2}aws-nat-gateway {2}AWS NAT gateway\n {4}idle timeout 350 s;/);
  const profilesJson = JSON.parse((await run(['profiles', '-f', 'json'], dir)).stdout) as { network: Array<{ id: string }> };
  assert.ok(profilesJson.network.some((p) => p.id === 'azure-lb'));
});

test('a reader that stops early (connlint . | head): no crash, the run keeps its exit code', async () => {
  // 3,000 findings: far more JSON than a pipe holds, so the writes go on after the reader has closed its end.
  const lines = Array.from({ length: 3000 }, (_, i) => `wait_timeout = ${i % 23}h`);
  const repo = tempRepo({ 'my.cnf': `[mysqld]\n${lines.join('\n')}\n` });
  const child = spawn('node', [BIN, repo, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let first = '';
  child.stdout.once('data', (d) => {
    first = String(d);
    child.stdout.destroy();
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  assert.match(first, /^\{\n {2}"findings": \[/);
  assert.equal(stderr, '');
  assert.equal(code, 1);
});
