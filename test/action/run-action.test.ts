import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { fileURLToPath } from 'node:url';
import * as core from '@actions/core';
import { parse } from 'yaml';
import { type ActionIo, getInput, outputLines, readInputs, runAction } from '../../src/action/action.js';
import { escapeTableCell, renderSummary } from '../../src/action/summary.js';
import type { Finding, LintResult } from '../../src/engine/finding.js';
import { tempRepo } from '../temp-repo.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The compiled entry next to this compiled test (dist-x/test/action -> dist-x/src/action). */
const ENTRY = resolve(HERE, '../../src/action/run-action.js');
const ACTION_YML = resolve(HERE, '../../../action.yml');

/** A monorepo: one service with a lifetime warning, one with a keepalive error. `.git` marks the root. */
function monorepo(): string {
  const dir = tempRepo({
    'services/api/my.cnf': '[mysqld]\nwait_timeout = 600\n',
    'services/api/hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\n',
    'services/edge/connlint.config.yaml': 'network:\n  profile: aws-nat-gateway\n',
    'services/edge/etc/sysctl.d/60-keepalive.conf': 'net.ipv4.tcp_keepalive_time = 600\n',
    'services/clean/my.cnf': '[mysqld]\nwait_timeout = 600\n',
  });
  mkdirSync(join(dir, '.git'));
  return dir;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  runner: string;
}

/** The files and variables an Actions runner provides, in a temp dir of their own. */
function runnerEnv(workspace: string, inputs: Record<string, string>): { env: Record<string, string>; runner: string } {
  const runner = mkdtempSync(join(tmpdir(), 'connlint-runner-'));
  writeFileSync(join(runner, 'summary.md'), '');
  writeFileSync(join(runner, 'output.txt'), '');
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: join(runner, 'summary.md'),
    GITHUB_OUTPUT: join(runner, 'output.txt'),
  };
  // As a JavaScript action receives them: INPUT_FAIL-ON, hyphen kept.
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return { env, runner };
}

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([^=<]+)=(.*)$/.exec(line);
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}

function collect(runner: string, code: number, stdout: string, stderr: string): Run {
  return {
    code,
    stdout,
    stderr,
    summary: readFileSync(join(runner, 'summary.md'), 'utf8'),
    outputs: parseOutputs(readFileSync(join(runner, 'output.txt'), 'utf8')),
    runner,
  };
}

async function act(workspace: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<Run> {
  const { env, runner } = runnerEnv(workspace, inputs);
  let stdout = '';
  let stderr = '';
  const io: ActionIo = {
    env: { ...env, ...extraEnv },
    cwd: '/',
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  };
  const code = await runAction(io);
  return collect(runner, code, stdout, stderr);
}

test('a monorepo service: warning annotation at its repository path, summary, outputs, SARIF', async () => {
  const repo = monorepo();
  const r = await act(repo, { 'working-directory': 'services/api', 'sarif-file': 'reports/connlint.sarif', category: 'connlint/api' });
  assert.equal(r.code, 0, r.stderr);
  const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
  assert.equal(annotations.length, 1);
  assert.match(
    annotations[0] as string,
    /^::warning file=services\/api\/hikari\.properties,line=2,endLine=2,col=1,endColumn=\d+,title=pool-lifetime-exceeds-wait-timeout::maxLifetime is 30 min but wait_timeout is 10 min \(services\/api\/my\.cnf:2\)/,
  );
  assert.deepEqual(r.outputs, {
    errors: '0',
    warnings: '1',
    notes: '0',
    findings: '1',
    'sarif-file': join(repo, 'reports/connlint.sarif'),
  });
  assert.match(r.summary, /^## connlint\n\n0 errors, 1 warning, 0 notes in 2 files read\.\n/);
  assert.match(r.summary, /\| Severity \| Rule \| Location \| Message \|\n\| --- \| --- \| --- \| --- \|\n/);
  assert.match(
    r.summary,
    /\| warning \| `pool-lifetime-exceeds-wait-timeout` \| services\/api\/hikari\.properties:2 \| maxLifetime is 30 min/,
  );
  assert.match(
    r.summary,
    /### By rule\n\n\| Rule \| Errors \| Warnings \| Notes \| Total \|\n.*\n\| `pool-lifetime-exceeds-wait-timeout` \| 0 \| 1 \| 0 \| 1 \|\n$/,
  );
  const sarif = JSON.parse(readFileSync(join(repo, 'reports/connlint.sarif'), 'utf8'));
  assert.equal(sarif.runs[0].automationDetails.id, 'connlint/api');
  assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'services/api/hikari.properties');
});

test('baseline: findings a --write-baseline file records are not reported; a missing file exits 2', async () => {
  const repo = monorepo();
  // Written by the CLI from the repository root, as a user would commit it.
  let stderr = '';
  const written = await main({
    argv: ['--write-baseline', 'connlint-baseline.json', 'services/edge'],
    cwd: repo,
    env: {},
    stdout: { write: () => true },
    stderr: { write: (s: string) => (stderr += s) },
  });
  assert.equal(written, 0, stderr);
  const edge = await act(repo, { 'working-directory': 'services/edge', baseline: 'connlint-baseline.json' });
  assert.equal(edge.code, 0, edge.stderr);
  assert.equal(edge.outputs.findings, '0');
  assert.doesNotMatch(edge.stdout, /^::error/m);
  // The api service's warning is not in the baseline.
  const api = await act(repo, { 'working-directory': 'services/api', baseline: 'connlint-baseline.json', 'fail-on': 'warning' });
  assert.equal(api.code, 1);
  assert.equal(api.outputs.warnings, '1');
  const missing = await act(repo, { 'working-directory': 'services/edge', baseline: 'nope.json' });
  assert.equal(missing.code, 2);
  assert.match(missing.stdout, /^::error title=connlint::connlint: cannot read baseline nope\.json: ENOENT/m);
});

test('fail-on: error (default) passes warnings, warning fails them, never passes errors; errors fail by default', async () => {
  const repo = monorepo();
  assert.equal((await act(repo, { 'working-directory': 'services/api' })).code, 0);
  assert.equal((await act(repo, { 'working-directory': 'services/api', 'fail-on': 'error' })).code, 0);
  const warn = await act(repo, { 'working-directory': 'services/api', 'fail-on': 'warning' });
  assert.equal(warn.code, 1);
  assert.match(warn.stderr, /fail-on level warning/);

  const edge = await act(repo, { 'working-directory': 'services/edge' });
  assert.equal(edge.code, 1);
  assert.match(
    edge.stdout,
    /^::error file=services\/edge\/etc\/sysctl\.d\/60-keepalive\.conf,line=1,.*title=keepalive-exceeds-network-idle-timeout::/m,
  );
  assert.equal(edge.outputs.errors, '1');
  assert.match(
    edge.summary,
    /\| error \| `keepalive-exceeds-network-idle-timeout` \| services\/edge\/etc\/sysctl\.d\/60-keepalive\.conf:1 \|/,
  );
  assert.equal((await act(repo, { 'working-directory': 'services/edge', 'fail-on': 'never' })).code, 0);
  assert.equal((await act(repo, { 'working-directory': 'services/edge', 'fail-on': 'warning' })).code, 1);

  const clean = await act(repo, { 'working-directory': 'services/clean', 'fail-on': 'warning' });
  assert.equal(clean.code, 0);
  assert.equal(clean.outputs.findings, '0');
  assert.doesNotMatch(clean.stdout, /^::/m);
  assert.doesNotMatch(clean.summary, /\| Severity/);
});

test('paths (one per line) from the workspace folder, links to the commit, bad inputs exit 2 with an ::error::', async () => {
  const repo = monorepo();
  const both = await act(
    repo,
    { paths: 'services/api\n\n  services/edge  \n', config: 'services/edge/connlint.config.yaml', 'fail-on': 'warning' },
    {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SHA: 'abc123',
    },
  );
  assert.equal(both.code, 1);
  assert.equal(both.outputs.findings, '2');
  assert.match(both.stdout, /^::\w+ file=services\/edge\/etc\/sysctl\.d\/60-keepalive\.conf,/m);
  assert.match(
    both.summary,
    /\[services\/api\/hikari\.properties:2\]\(https:\/\/github\.com\/acme\/shop\/blob\/abc123\/services\/api\/hikari\.properties#L2\)/,
  );

  const badFailOn = await act(repo, { 'fail-on': 'sometimes' });
  assert.equal(badFailOn.code, 2);
  assert.match(
    badFailOn.stdout,
    /^::error title=connlint::connlint: invalid fail-on input "sometimes"%0Aexpected one of: error, warning, never\n$/,
  );
  assert.equal(badFailOn.outputs.findings, undefined);

  const badConfig = await act(repo, { 'working-directory': 'services/api', config: 'missing.yaml' });
  assert.equal(badConfig.code, 2);
  assert.match(badConfig.stdout, /^::error title=connlint::connlint: /);
});

test('inputs: INPUT_FAIL-ON as a JavaScript action gets it, INPUT_FAIL_ON as the composite step passes it', () => {
  assert.equal(getInput({ 'INPUT_FAIL-ON': ' warning ' }, 'fail-on'), 'warning');
  assert.equal(getInput({ INPUT_FAIL_ON: 'never' }, 'fail-on'), 'never');
  assert.deepEqual(readInputs({}), { paths: [], failOn: 'error', workingDirectory: '.' });
  // @actions/core reads the same variable name: the oracle for the hyphenated form.
  process.env['INPUT_FAIL-ON'] = 'warning';
  try {
    assert.equal(core.getInput('fail-on'), getInput(process.env, 'fail-on'));
  } finally {
    delete process.env['INPUT_FAIL-ON'];
  }
});

test('outputs and summary cells are escaped', () => {
  assert.equal(outputLines({ a: '1', b: '' }), 'a=1\nb=\n');
  assert.equal(outputLines({ m: 'x\ny' }), 'm<<connlint_EOF\nx\ny\nconnlint_EOF\n');
  assert.equal(escapeTableCell('a | b\nc <d> & e\\'), 'a \\| b<br>c &lt;d&gt; &amp; e\\\\');
  const f: Finding = {
    ruleId: 'r',
    severity: 'note',
    message: 'pipe | and\nnewline',
    location: { path: 'a|b.cnf', line: 3, column: 1, endLine: 3, endColumn: 2 },
    related: [],
    fingerprint: 'r|a|k',
  };
  const error: Finding = { ...f, severity: 'error', message: 'second', location: { ...f.location, path: 'z.cnf' } };
  const result: LintResult = { findings: [f, error], files: [], notRead: [], rules: [], toolVersion: '0' };
  const summary = renderSummary(result);
  // Errors first, as in the annotations, though their file sorts last.
  assert.ok(summary.indexOf('| error | `r` | z.cnf:3 | second |') < summary.indexOf('| note |'));
  assert.match(summary, /\| `r` \| 1 \| 0 \| 1 \| 2 \|\n$/);
  assert.match(summary, /\| note \| `r` \| a\\\|b\.cnf:3 \| pipe \\\| and<br>newline \|\n/);
  // Every table row has exactly four unescaped cell separators plus the outer ones.
  for (const row of summary.split('\n').filter((l) => l.startsWith('| note'))) {
    assert.equal(row.replace(/\\\|/g, '').split('|').length, 6);
  }
  // Over the size budget the table stops and says how many it left out.
  const cut = renderSummary(result, { budget: 200, sarifFile: 'out.sarif' });
  assert.match(cut, /more findings? not listed here .*the SARIF report \(out\.sarif\) has all of them/);
});

test('the compiled entry runs as action.yml runs it (child process, INPUT_ variables, GITHUB_ files)', () => {
  const repo = monorepo();
  const { env, runner } = runnerEnv(repo, {});
  // As the composite step passes them: underscores.
  env.INPUT_WORKING_DIRECTORY = 'services/api';
  env.INPUT_FAIL_ON = 'warning';
  env.INPUT_SARIF_FILE = 'connlint.sarif';
  const child = spawnSync(process.execPath, [ENTRY], { cwd: tmpdir(), env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  const r = collect(runner, child.status ?? -1, child.stdout, child.stderr);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^::warning file=services\/api\/hikari\.properties,line=2,.*title=pool-lifetime-exceeds-wait-timeout::/m);
  assert.equal(r.outputs.warnings, '1');
  assert.equal(r.outputs['sarif-file'], join(repo, 'connlint.sarif'));
  assert.equal(JSON.parse(readFileSync(join(repo, 'connlint.sarif'), 'utf8')).version, '2.1.0');
  assert.match(r.summary, /`pool-lifetime-exceeds-wait-timeout`/);
});

test('action.yml: a composite action whose steps use every input and set every output', () => {
  const action = parse(readFileSync(ACTION_YML, 'utf8')) as {
    name: string;
    inputs: Record<string, { description: string; default?: string }>;
    outputs: Record<string, { description: string; value: string }>;
    runs: { using: string; steps: Array<{ id?: string; run?: string; shell?: string; env?: Record<string, string> }> };
  };
  assert.equal(action.name, 'connlint');
  assert.deepEqual(Object.keys(action.inputs).sort(), [
    'baseline',
    'category',
    'config',
    'fail-on',
    'paths',
    'sarif-file',
    'working-directory',
  ]);
  assert.deepEqual(Object.keys(action.outputs).sort(), ['errors', 'findings', 'notes', 'sarif-file', 'warnings']);
  assert.equal(action.runs.using, 'composite');
  for (const step of action.runs.steps) if (step.run) assert.equal(step.shell, 'bash');
  const steps = JSON.stringify(action.runs.steps);
  const main = action.runs.steps.find((s) => s.id === 'connlint');
  assert.ok(main?.env && main.run);
  for (const [name, input] of Object.entries(action.inputs)) {
    assert.ok(input.description, name);
    assert.ok(steps.includes(`\${{ inputs.${name} }}`), `input ${name} is not used by any step`);
    // Passed as the variable the entry reads, not spliced into the script (no injection).
    assert.equal(main.env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`], `\${{ inputs.${name} }}`);
    assert.ok(!main.run.includes('inputs.'), 'inputs must not be interpolated into run:');
  }
  for (const [name, output] of Object.entries(action.outputs)) {
    assert.equal(output.value, `\${{ steps.connlint.outputs.${name} }}`);
  }
  assert.match(main.run, /dist\/src\/action\/run-action\.js/);
});
