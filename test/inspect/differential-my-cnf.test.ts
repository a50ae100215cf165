import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../src/engine/finding.js';
import { lint } from '../../src/engine/run.js';
import { type InspectDocument, inspectJson, type JsonOrigin, type JsonServer } from '../../src/inspect/inspect-json.js';
import { isSecretKey } from '../../src/model/secrets.js';
import { MISSING_MY_PRINT_DEFAULTS, findMyPrintDefaults, listCnfFiles, runMyPrintDefaults } from '../oracles/my-print-defaults.js';

/*
 * Differential test through `connlint inspect --format json` (issue #12): every server the inspect document
 * shows for an option-file tree must hold exactly the options MariaDB's own reader prints for that tree,
 * `my_print_defaults --defaults-file=<root> --mysqld`, run from the root file's directory as mariadbd would be.
 * The parser-level twin is test/parsers/my-cnf-differential.test.ts; this one checks the document users see.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FOLDERS = [
  { label: 'parser grammar cases', dir: path.join(repoRoot, 'test/parsers/my-cnf-cases') },
  { label: 'deployment-shaped cases', dir: path.join(repoRoot, 'test/inspect/differential-cases/my-cnf') },
];
const MISSING_ORACLE = MISSING_MY_PRINT_DEFAULTS;
// mysql-option-files.md, "Which groups each program reads": what `mariadbd` 10.11 and `my_print_defaults --mysqld` read (E7).
const MARIADB_1011_GROUPS = [
  'client-server',
  'galera',
  'mariadb',
  'mariadb-10.11',
  'mariadbd',
  'mariadbd-10.11',
  'mysqld',
  'mysqld-10.11',
  'server',
];

const configDir = mkdtempSync(path.join(os.tmpdir(), 'connlint-inspect-my-cnf-'));
const configPath = path.join(configDir, 'connlint.config.yaml');
writeFileSync(configPath, 'optionFiles:\n  flavor: mariadb\n  version: "10.11"\n');
after(() => rmSync(configDir, { recursive: true, force: true }));

interface PrintedOption {
  /** The name as written: the reader passes it on unnormalised (mysql-option-files.md, grammar step 11). */
  name: string;
  /** null for an option without `=`. */
  value: string | null;
}

/**
 * my_print_defaults prints one `--name[=value]` per option with the value's newlines raw, so a physical line
 * that does not start with `--` continues the previous value.
 */
function parsePrinted(stdout: string): PrintedOption[] {
  const lines = stdout.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const options: PrintedOption[] = [];
  for (const line of lines) {
    if (line.startsWith('--')) {
      const eq = line.indexOf('=');
      options.push(eq < 0 ? { name: line.slice(2), value: null } : { name: line.slice(2, eq), value: line.slice(eq + 1) });
      continue;
    }
    const previous = options[options.length - 1];
    if (!previous || previous.value === null) throw new Error(`unexpected my_print_defaults line ${JSON.stringify(line)}`);
    previous.value += `\n${line}`;
  }
  return options;
}

/**
 * The name the option parser looks up (mysql-option-files.md, "What the option parser does"): a lower-case
 * `loose-`/`loose_` prefix dropped, `-` read as `_`, case ignored. The case folding is C `tolower`, which
 * leaves bytes outside ASCII alone, so only A-Z are folded here.
 */
function canonicalName(name: string): string {
  const rest = /^loose[-_]/.test(name) ? name.slice('loose-'.length) : name;
  return rest.replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(/-/g, '_');
}

interface Effective {
  last: PrintedOption;
  /** How many times the name was printed; all but the last are overridden (the last occurrence wins, grammar step 12). */
  count: number;
}

function effectiveOptions(printed: PrintedOption[]): Map<string, Effective> {
  const map = new Map<string, Effective>();
  for (const option of printed) {
    const key = canonicalName(option.name);
    map.set(key, { last: option, count: (map.get(key)?.count ?? 0) + 1 });
  }
  return map;
}

function at(o: { path: string; line: number }): string {
  return `${o.path}:${o.line}`;
}

function describeFinding(f: Finding): string {
  return `${f.severity} ${at(f.location)} ${f.message}`;
}

interface FolderRun {
  doc: InspectDocument;
  findings: Finding[];
}

async function lintFolder(dir: string): Promise<FolderRun> {
  const run = await lint({ cwd: dir, paths: ['.'], configPath });
  return { doc: inspectJson({ model: run.model }), findings: run.result.findings };
}

const SECRET = '<masked secret>';

/**
 * What the option-file reader itself rejects: text it cannot read (parse-error), or a top-level `!includedir` of a
 * missing directory, which reads fine but stops the program (startup-failure, "Can't read dir of ...").
 */
function isReaderFinding(f: Finding): boolean {
  return f.ruleId === 'parse-error' || (f.ruleId === 'startup-failure' && f.message.startsWith("Can't read dir of"));
}

function compareServer(bin: string, folder: string, server: JsonServer, findings: Finding[]): void {
  const root = server.root ?? '';
  const oracle = runMyPrintDefaults(bin, path.join(folder, root));
  const tree = new Set(server.files);
  const inTree = findings.filter((f) => isReaderFinding(f) && tree.has(f.location.path));
  const errors = inTree.filter((f) => f.severity === 'error');

  if (oracle.status !== 0) {
    if (errors.length > 0) return;
    // connlint reads only the repository: an absolute include outside it "may exist on the server", so it is a
    // note, not an error. my_print_defaults failing on it says only that this machine lacks that path.
    const named = /'(\/[^']*)'/.exec(oracle.stderr)?.[1];
    assert.ok(
      named !== undefined && server.notes.some((n) => n.includes(named) && n.includes('not in the scanned tree')),
      `${root}: my_print_defaults exited ${oracle.status} (${oracle.stderr.trim()}) but lint reported no error-severity reader finding ` +
        `in ${[...tree].join(', ')} (findings there: ${JSON.stringify(inTree.map(describeFinding))})`,
    );
    return;
  }

  const expected = effectiveOptions(parsePrinted(oracle.stdout));
  const written = server.settings.filter((s) => s.source !== 'default');
  // mysqld re-reads an include cycle until depth 10 and prints those options again; connlint reads each file once.
  const isCycle = inTree.some((f) => f.message.startsWith('Include cycle'));
  const shown = (key: string, text: string | null, printed: string | null | undefined): string | null => {
    if (!isSecretKey(key)) return text;
    return text !== null && text !== '' && text === printed ? `revealed: ${text}` : SECRET;
  };
  const ours = Object.fromEntries(
    [...written]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((s) => {
        const printed = expected.get(s.key)?.last.value;
        const row = { written: s.written, text: shown(s.key, s.text, printed) };
        return [s.key, isCycle ? row : { ...row, overrides: s.overrides.length }];
      }),
  );
  const theirs = Object.fromEntries(
    [...expected.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, e]) => {
        const row = { written: e.last.name, text: isSecretKey(key) ? SECRET : e.last.value };
        return [key, isCycle ? row : { ...row, overrides: e.count - 1 }];
      }),
  );
  assert.deepEqual(ours, theirs, `${root}: inspect settings (source not "default") differ from my_print_defaults --mysqld`);
  if (isCycle) {
    for (const s of written) {
      const count = expected.get(s.key)?.count ?? 0;
      assert.ok(
        s.overrides.length <= count - 1,
        `${root}: ${s.key} has ${s.overrides.length} overrides, my_print_defaults printed it ${count} times`,
      );
    }
  }

  // The reader accepted the tree, so an error can only be about a value the server rejects at start-up, and
  // such an error sits on one of the option lines the server read.
  const optionLines = new Set(written.flatMap((s) => [s.origin, ...s.overrides]).flatMap((o: JsonOrigin | null) => (o ? [at(o)] : [])));
  const structural = errors.filter((f) => !optionLines.has(at(f.location)));
  assert.deepEqual(
    structural.map(describeFinding),
    [],
    `${root}: my_print_defaults read the tree, but lint reports errors off its option lines`,
  );
}

const bin = findMyPrintDefaults();

// Every folder is linted (top-level await) before the first test is declared: the tests are declared from
// what the runs found, and a test that ran during an await could end the file and its clean-up early.
const runs: Array<{ label: string; dir: string; run?: FolderRun; failure?: unknown }> = [];
for (const { label, dir } of FOLDERS) {
  try {
    runs.push({ label, dir, run: await lintFolder(dir) });
  } catch (error) {
    runs.push({ label, dir, failure: error });
  }
}

test('my_print_defaults is installed (the differential oracle)', () => {
  assert.ok(bin, MISSING_ORACLE);
});

test('the oracle reading of my_print_defaults output matches a hand count of deploy/mysql/my.cnf', () => {
  assert.ok(bin, MISSING_ORACLE);
  const folder = FOLDERS[1]?.dir ?? '';
  const oracle = runMyPrintDefaults(bin, path.join(folder, 'deploy/mysql/my.cnf'));
  assert.equal(oracle.status, 0, oracle.stderr);
  const got = Object.fromEntries(
    [...effectiveOptions(parsePrinted(oracle.stdout))].map(([k, e]) => [k, [e.last.name, e.last.value, e.count]]),
  );
  // Read off the case files with the grammar of mysql-option-files.md: files in reading order (conf.d in byte
  // order, then the rest of [mysqld], then [mariadb-10.11]); [mysqld-8.0] and [client] are not read.
  assert.deepEqual(got, {
    port: ['port', '3306', 1],
    wait_timeout: ['Wait_Timeout', '601', 3],
    max_allowed_packet: ['max_allowed_packet', '64M', 2],
    init_connect: ['init-connect', "SET @app = 'shop';\nSET @tz = 'UTC'", 1],
    // Unquoted `C:\temp\new`: the reader turns `\t` into a tab and `\n` into a newline (E2).
    tmpdir: ['tmpdir', `C:${'\t'}emp${'\n'}ew`, 1],
    interactive_timeout: ['interactive-timeout', '1200', 2],
    ssl_passphrase: ['loose_ssl_passphrase', 's3cret # not a comment', 1],
    skip_name_resolve: ['skip-name-resolve', null, 1],
    sql_mode: ['sql_mode', 'STRICT_TRANS_TABLES ; not a comment', 1],
    wsrep_on: ['wsrep_on', 'OFF', 1],
    net_write_timeout: ['net_write_timeout', '120', 1],
  });
});

for (const { label, dir, run, failure } of runs) {
  const servers = run?.doc.servers.filter((s) => s.source === 'file') ?? [];

  test(`${label}: lint reads the folder as MariaDB 10.11 option files`, () => {
    assert.equal(failure, undefined, `lint failed on ${dir}: ${String(failure)}`);
    if (label === 'parser grammar cases') {
      assert.ok(servers.length >= 30, `expected at least 30 option-file servers in ${dir}, found ${servers.length}`);
    } else {
      assert.deepEqual(
        servers.map((s) => s.root),
        ['deploy/mysql/my.cnf', 'ops/replica.cnf'],
      );
    }
    for (const s of servers) {
      assert.equal(s.engine, 'mariadb', `${s.id}: engine`);
      assert.equal(s.version, '10.11', `${s.id}: version`);
      assert.deepEqual([...s.groups].sort(), MARIADB_1011_GROUPS, `${s.id}: groups`);
    }
  });

  for (const server of servers) {
    test(`${label}: inspect server ${server.root} equals my_print_defaults --mysqld`, () => {
      assert.ok(bin, MISSING_ORACLE);
      compareServer(bin, dir, server, run?.findings ?? []);
    });
  }

  test(`${label}: option files in no server's tree give my_print_defaults no server options`, () => {
    assert.ok(bin, MISSING_ORACLE);
    assert.equal(failure, undefined, `lint failed on ${dir}: ${String(failure)}`);
    const listed = new Set(servers.flatMap((s) => s.files));
    const findings = run?.findings ?? [];
    const notRead = new Map((run?.doc.files ?? []).filter((f) => !f.read).map((f) => [f.path, f.reason]));
    for (const file of listCnfFiles(dir)) {
      const rel = path.relative(dir, file).split(path.sep).join('/');
      if (listed.has(rel)) continue;
      // A .cnf no MySQL/MariaDB program would read (not a default name, no include reaches it, its first
      // line is not a program group) is no option file (issue 15): mysqld never reads it, whatever
      // my_print_defaults makes of it when named with --defaults-file. inspect lists it with the reason.
      if (notRead.has(rel)) {
        assert.match(notRead.get(rel) ?? '', /^(not a MySQL or MariaDB option file|no MySQL or MariaDB group header)/, rel);
        continue;
      }
      const oracle = runMyPrintDefaults(bin, file);
      if (oracle.status !== 0) {
        const errors = findings.filter((f) => isReaderFinding(f) && f.severity === 'error' && f.location.path === rel);
        assert.ok(
          errors.length > 0,
          `${rel}: my_print_defaults exited ${oracle.status} (${oracle.stderr.trim()}) but lint reported no error there`,
        );
      } else {
        assert.equal(oracle.stdout, '', `${rel}: my_print_defaults reads server options from it, but inspect shows no server for it`);
      }
    }
  });
}
