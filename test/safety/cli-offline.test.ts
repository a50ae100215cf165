import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { type Dirent, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Safe by construction, tested (issue 15): the CLI runs over every fixture with a preloaded module
 * that makes every network and process use throw, so a later format cannot quietly start resolving
 * hosts or spawning programs. Only the child processes are guarded; this test process is not.
 */
const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');
const BIN = join(ROOT, 'bin/connlint.js');
const FIXTURES = join(ROOT, 'fixtures');
// A plain .mjs that tsc does not copy to the output folder: always the source file.
const PRELOAD = pathToFileURL(join(ROOT, 'test/safety/no-network.mjs')).href;
const VIOLATION = 'NO-NETWORK VIOLATION';

/** `node [--import <before>...] --import <preload> ...args` in `cwd`. */
function guarded(args: string[], cwd = ROOT, before: string[] = []): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...before.flatMap((b) => ['--import', b]), '--import', PRELOAD, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
}

function show(r: SpawnSyncReturns<string>): string {
  return `status ${r.status}, signal ${r.signal}, error ${r.error?.message}\n--- stderr\n${r.stderr}\n--- stdout\n${r.stdout.slice(0, 2000)}`;
}

// ---------------------------------------------------------------------------------------------
// The guard itself: if it rots (a Node upgrade, a renamed export), these fail before the CLI runs.

test('no-network preload: a plain script still runs, with nothing on stderr', () => {
  const r = guarded(['-e', 'console.log(JSON.stringify({ ok: true }))']);
  assert.equal(r.status, 0, show(r));
  assert.deepEqual(JSON.parse(r.stdout), { ok: true });
  assert.equal(r.stderr, '');
});

/** Each snippet must die on the named guard: both the thrown message and the stderr record. */
const UNCAUGHT: Array<{ name: string; module?: boolean; code: string }> = [
  { name: 'child_process.spawnSync', code: "require('node:child_process').spawnSync('true')" },
  { name: 'child_process.spawn', module: true, code: "import { spawn } from 'node:child_process'; spawn('true');" },
  { name: 'child_process.execFile', module: true, code: "import cp from 'node:child_process'; cp.execFile('true');" },
  { name: 'dns.lookup', module: true, code: "import { lookup } from 'node:dns'; lookup('localhost', () => {});" },
  { name: 'dns/promises.resolve4', module: true, code: "import { resolve4 } from 'node:dns/promises'; await resolve4('localhost');" },
  { name: 'globalThis.fetch', code: "fetch('http://127.0.0.1:9/')" },
  { name: 'globalThis.fetch', module: true, code: "await fetch('http://127.0.0.1:9/');" },
  { name: 'net.createConnection', module: true, code: "import { createConnection } from 'node:net'; createConnection(9, '127.0.0.1');" },
  { name: 'net.Socket.prototype.connect', code: "new (require('node:net').Socket)().connect(9, '127.0.0.1')" },
  { name: 'http.get', module: true, code: "import { get } from 'node:http'; get('http://127.0.0.1:9/');" },
  { name: 'https.request', code: "require('node:https').request('https://127.0.0.1:9/')" },
  { name: 'tls.connect', module: true, code: "import { connect } from 'node:tls'; connect(9, '127.0.0.1');" },
  { name: 'dgram.createSocket', module: true, code: "import { createSocket } from 'node:dgram'; createSocket('udp4');" },
];

for (const { name, module, code } of UNCAUGHT) {
  test(`no-network preload: ${module ? 'ESM' : 'CommonJS'} ${code} throws`, () => {
    const r = guarded([...(module ? ['--input-type=module'] : []), '-e', code]);
    assert.notEqual(r.status, 0, show(r));
    assert.ok(r.stderr.includes(`${VIOLATION} ${name}\n`), show(r));
    assert.ok(r.stderr.includes(`Error: connlint must not use ${name}`), show(r));
  });
}

test('no-network preload: a violation the code under test catches and swallows is still recorded', () => {
  const r = guarded(['-e', "try { require('node:child_process').execSync('true'); } catch {} console.log('swallowed')"]);
  assert.equal(r.status, 0, show(r));
  assert.equal(r.stdout, 'swallowed\n');
  assert.equal(r.stderr, `${VIOLATION} child_process.execSync\n`);
});

/**
 * Every function the guard must cover, reached as an ESM named export (namespace objects show the
 * named bindings) and as a CommonJS property. The child checks the guard's marker before calling,
 * so a function left unguarded is reported and never really called.
 */
const COVERED: Record<string, string[]> = {
  'node:net': ['connect', 'createConnection', 'createServer'],
  'node:dns': [
    'lookup',
    'lookupService',
    'resolve',
    'resolve4',
    'resolve6',
    'resolveAny',
    'resolveMx',
    'resolveSrv',
    'resolveTxt',
    'reverse',
  ],
  'node:dns/promises': ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveSrv', 'reverse'],
  'node:http': ['request', 'get', 'createServer'],
  'node:https': ['request', 'get', 'createServer'],
  'node:http2': ['connect', 'createServer', 'createSecureServer'],
  'node:tls': ['connect', 'createServer'],
  'node:dgram': ['createSocket'],
  'node:child_process': ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'],
  'node:inspector': ['open'],
};
const COVERED_PROTOTYPES: Record<string, string[]> = {
  "require('node:net').Socket.prototype": ['connect'],
  "require('node:net').Server.prototype": ['listen'],
  "require('node:dns').Resolver.prototype": ['resolve', 'resolve4', 'reverse'],
  "require('node:dns/promises').Resolver.prototype": ['resolve', 'resolve4', 'reverse'],
  "require('node:dns').promises": ['lookup', 'resolve4'],
  "require('node:http').Agent.prototype": ['createConnection'],
  "require('node:https').Agent.prototype": ['createConnection'],
  "require('node:dgram').Socket.prototype": ['bind', 'connect', 'send'],
  "require('node:child_process').ChildProcess.prototype": ['spawn'],
  globalThis: ['fetch'],
};

const MODULES = Object.keys(COVERED);
/**
 * ESM named exports are bound when a builtin is first imported as ESM. The preload patches the
 * CommonJS objects and then calls syncBuiltinESMExports(); this earlier preload imports every
 * module first, so the run fails if that call is missing.
 */
const IMPORT_FIRST = `data:text/javascript,${encodeURIComponent(MODULES.map((m) => `import '${m}';`).join(''))}`;

for (const [when, before] of [
  ['', []],
  [', with the ESM modules imported before the preload', [IMPORT_FIRST]],
] as const) {
  test(`no-network preload: every listed function is guarded, as ESM named export, CommonJS property and prototype method${when}`, () => {
    assertAllGuarded(guarded(['--input-type=module', '-e', matrixCode()], ROOT, [...before]));
  });
}

/** A child script that calls each listed function (only if it carries the guard's marker) and prints what it threw. */
function matrixCode(): string {
  return [
    "import { createRequire } from 'node:module';",
    ...MODULES.map((m, i) => `import * as esm${i} from '${m}';`),
    'const require = createRequire(import.meta.url);',
    "const GUARD = Symbol.for('connlint.no-network');",
    'const results = [];',
    'function probe(where, fn, self) {',
    "  if (typeof fn !== 'function' || !fn[GUARD]) { results.push([where, 'not guarded']); return; }",
    '  try { fn.call(self); results.push([where, "did not throw"]); } catch (e) { results.push([where, e.message]); }',
    '}',
    ...MODULES.flatMap((m, i) =>
      (COVERED[m] ?? []).flatMap((fn) => [
        `probe(${JSON.stringify(`esm ${m} ${fn}`)}, esm${i}.${fn});`,
        `probe(${JSON.stringify(`cjs ${m} ${fn}`)}, require('${m}').${fn});`,
      ]),
    ),
    ...Object.entries(COVERED_PROTOTYPES).flatMap(([owner, fns]) =>
      fns.map((fn) => `probe(${JSON.stringify(`${owner}.${fn}`)}, ${owner}.${fn}, {});`),
    ),
    'console.log(JSON.stringify(results));',
  ].join('\n');
}

function assertAllGuarded(r: SpawnSyncReturns<string>): void {
  assert.equal(r.status, 0, show(r));
  const results = JSON.parse(r.stdout) as Array<[string, string]>;
  const expected = MODULES.reduce((n, m) => n + 2 * (COVERED[m] ?? []).length, 0) + Object.values(COVERED_PROTOTYPES).flat().length;
  assert.equal(results.length, expected);
  const bad = results.filter(([, message]) => !message.startsWith('connlint must not use '));
  assert.deepEqual(bad, [], 'functions not guarded');
  // One stderr record per call, even though every error above was caught.
  assert.equal(r.stderr.split('\n').filter((l) => l.startsWith(`${VIOLATION} `)).length, expected, show(r));
}

// ---------------------------------------------------------------------------------------------
// The CLI over every fixture case: a directory anywhere under fixtures/ holding an expected.json
// (fixtures/<rule>/<case>/, fixtures/demo, or the older fixtures/<rule>--<case>/).

function caseDirs(dir: string, found: string[] = []): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found; // an unreadable folder (a fixture of its own): the CLI run over its parent covers it
  }
  if (entries.some((e) => e.isFile() && e.name === 'expected.json')) found.push(dir);
  // Dirent.isDirectory() is false for symbolic links: links inside fixtures are never followed here.
  for (const e of entries) if (e.isDirectory()) caseDirs(join(dir, e.name), found);
  return found;
}

const REAL_WORLD = join(ROOT, 'test/real-world');
/** Fixture cases, plus the trees made from real repositories (symbolic links, foreign .cnf files). */
const CASES = [
  ...caseDirs(FIXTURES),
  ...readdirSync(REAL_WORLD, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(REAL_WORLD, e.name)),
].sort();

test('fixture cases are found', () => {
  assert.ok(CASES.includes(join(FIXTURES, 'demo')), `fixtures/demo not among ${CASES.length} cases`);
  assert.ok(CASES.length > 10, `only ${CASES.length} fixture cases found under ${FIXTURES}`);
});

function assertOffline(r: SpawnSyncReturns<string>): void {
  assert.ok(r.status === 0 || r.status === 1, `exit status must be 0 or 1: ${show(r)}`);
  assert.ok(!r.stderr.includes(VIOLATION), `network or process use: ${show(r)}`);
  assert.doesNotThrow(() => JSON.parse(r.stdout), `stdout is not JSON: ${show(r)}`);
}

for (const dir of CASES) {
  const name = relative(ROOT, dir);
  test(`offline: connlint --format json ${name}`, () => {
    assertOffline(guarded([BIN, '--format', 'json', dir], dir));
  });
  test(`offline: connlint inspect --format json ${name}`, () => {
    assertOffline(guarded([BIN, 'inspect', '--format', 'json', dir], dir));
  });
}
