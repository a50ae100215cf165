import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lint } from '../src/engine/run.js';

/*
 * Trees made from real public repositories (issue 15, "Tests"), one folder per case under
 * test/real-world/, each with an expect.json written by a person from the knowledge base — which
 * program reads which file — not from connlint's output. SOURCES.md names every file's origin.
 */

// Compiled to dist/test/real-world.test.js: the repository root is two levels up.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CASES_DIR = join(ROOT, 'test/real-world');
const BIN = join(ROOT, 'bin/connlint.js');

/** The cases issue 15 asks for; a missing folder fails instead of shrinking the suite. */
const REQUIRED_CASES = ['app-properties', 'etc-absolute-links', 'keyring-cnf', 'modprobe-d', 'openssl-cnf', 'proxysql-cnf', 'shell-cnf'];

type Severity = 'note' | 'warning' | 'error';
const RANK: Record<Severity, number> = { note: 0, warning: 1, error: 2 };

interface Expect {
  /** Why a person expects this; documentation only. */
  why?: string;
  /** No finding of severity `error` anywhere in the tree. */
  noErrors?: boolean;
  /** path -> a substring of the reason it is not read (compared case-insensitively). */
  notRead?: Record<string, string>;
  /** path -> the format that reads it. */
  read?: Record<string, string>;
  /** path -> how sure connlint must be that the program reads it. */
  owner?: Record<string, 'certain' | 'uncertain'>;
  /** path -> the highest severity any finding located in that file may have (weak ownership: at most a note). */
  maxSeverity?: Record<string, Severity>;
  /** Findings that must be present. */
  findings?: Array<{ ruleId: string; path: string; line?: number; severity: Severity }>;
}

function caseNames(): string[] {
  return readdirSync(CASES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(CASES_DIR, d.name, 'expect.json')))
    .map((d) => d.name)
    .sort();
}

test('real-world: every case issue 15 asks for has a tree and an expect.json', () => {
  const present = caseNames();
  for (const name of REQUIRED_CASES) assert.ok(present.includes(name), `missing case test/real-world/${name}/expect.json`);
});

test('real-world: etc-absolute-links holds a real symbolic link to an absolute target', () => {
  // A checkout with core.symlinks=false turns the link into a text file and the case would test nothing.
  const link = join(CASES_DIR, 'etc-absolute-links/etc/mysql/my.cnf');
  assert.ok(lstatSync(link).isSymbolicLink(), `${link} must be a symbolic link (check core.symlinks)`);
  assert.equal(readlinkSync(link), '/etc/alternatives/my.cnf');
});

for (const name of caseNames()) {
  test(`real-world: ${name}`, async () => {
    const dir = join(CASES_DIR, name);
    const expect = JSON.parse(readFileSync(join(dir, 'expect.json'), 'utf8')) as Expect;
    const run = await lint({ cwd: dir, paths: [] });
    const findings = run.result.findings;
    const files = run.model.files;
    const shownFindings = () =>
      findings.map((f) => `  ${f.severity} ${f.ruleId} ${f.location.path}:${f.location.line} ${f.message}`).join('\n') || '  (none)';
    const shownFiles = () => files.map((f) => `  ${f.path} kind=${f.kind} owner=${f.owner} reason=${f.reason}`).join('\n') || '  (none)';

    if (expect.noErrors) {
      const errors = findings.filter((f) => f.severity === 'error');
      assert.equal(errors.length, 0, `${name}: expected no error-level finding, got:\n${shownFindings()}`);
    }

    for (const [path, reason] of Object.entries(expect.notRead ?? {})) {
      const file = files.find((f) => f.path === path);
      assert.ok(file, `${name}: ${path} should be listed as not read, but model.files has no entry for it:\n${shownFiles()}`);
      assert.equal(file.kind, null, `${name}: ${path} should not be read, but it was read as ${file.kind} (${file.reason})`);
      assert.ok(
        file.reason.toLowerCase().includes(reason.toLowerCase()),
        `${name}: the reason ${path} is not read should mention "${reason}", got "${file.reason}"`,
      );
    }

    for (const [path, kind] of Object.entries(expect.read ?? {})) {
      const file = files.find((f) => f.path === path);
      assert.ok(file, `${name}: ${path} should be read as ${kind}, but model.files has no entry for it:\n${shownFiles()}`);
      assert.equal(file.kind, kind, `${name}: ${path} should be read as ${kind}, got ${file.kind} (${file.reason})`);
    }

    for (const [path, owner] of Object.entries(expect.owner ?? {})) {
      const file = files.find((f) => f.path === path);
      assert.ok(file, `${name}: ${path} is not in model.files:\n${shownFiles()}`);
      assert.equal(file.owner, owner, `${name}: ${path} should be owned with ${owner} evidence, got ${file.owner} (${file.reason})`);
    }

    for (const [path, max] of Object.entries(expect.maxSeverity ?? {})) {
      const over = findings.filter((f) => f.location.path === path && RANK[f.severity] > RANK[max]);
      assert.equal(over.length, 0, `${name}: findings in ${path} may be at most ${max}, got:\n${shownFindings()}`);
    }

    for (const want of expect.findings ?? []) {
      const found = findings.some(
        (f) =>
          f.ruleId === want.ruleId &&
          f.location.path === want.path &&
          f.severity === want.severity &&
          (want.line === undefined || f.location.line === want.line),
      );
      const where = `${want.path}${want.line === undefined ? '' : `:${want.line}`}`;
      assert.ok(found, `${name}: expected ${want.severity} ${want.ruleId} at ${where}, got:\n${shownFindings()}`);
    }
  });
}

/*
 * A folder connlint cannot read is reported, not skipped in silence (issue 15). An unreadable folder
 * cannot be committed, so the tree is made here; root ignores permissions, so the CLI runs as
 * nobody (uid/gid 65534), which only root can arrange.
 */
test('real-world: an unreadable folder is an unreadable-path error at that folder (CLI run as uid 65534)', () => {
  const uid = process.getuid?.();
  assert.equal(
    uid,
    0,
    `this test must run as root: it starts the CLI as uid 65534 so that the chmod 000 folder is really unreadable (running as uid ${uid}); run the suite as root, as CI does`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'connlint-unreadable-'));
  const sub = join(dir, 'sub');
  try {
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'my.cnf'), '[mysqld]\nwait_timeout = 600\n', { mode: 0o644 });
    mkdirSync(sub, { mode: 0o755 });
    writeFileSync(join(sub, 'my.cnf'), '[mysqld]\nwait_timeout = 28800\n', { mode: 0o644 });
    chmodSync(sub, 0o000);

    const child = spawnSync(process.execPath, [BIN, '--format', 'json', dir], { cwd: dir, uid: 65534, gid: 65534, encoding: 'utf8' });
    assert.equal(child.error, undefined, `could not start the CLI as uid 65534: ${child.error?.message}`);
    const shown = `exit ${child.status}\nstdout:\n${child.stdout}\nstderr:\n${child.stderr}`;
    assert.equal(child.status, 1, `an unreadable folder is an error, so the exit status is 1; got ${shown}`);
    let report: { findings: Array<{ ruleId: string; severity: string; location: { path: string } }> };
    try {
      report = JSON.parse(child.stdout);
    } catch {
      assert.fail(`--format json printed no JSON document; got ${shown}`);
    }
    const hit = report.findings.find((f) => f.ruleId === 'unreadable-path' && f.location.path === 'sub');
    assert.ok(hit, `expected an unreadable-path finding at sub; got ${shown}`);
    assert.equal(hit.severity, 'error');
  } finally {
    chmodSync(sub, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});
