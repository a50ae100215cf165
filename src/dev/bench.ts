/**
 * `npm run bench` (issue 21): connlint's cost as ratios to a floor measured in the same run, on generated trees.
 *
 * The floor is a plain Node walk with connlint's ignore rules (.git, node_modules ...) that reads the files whose
 * names a format knows, as connlint's walk does, and nothing else: the I/O no linter of these files can avoid.
 * Both run as child processes (`node` start-up included in both), each a few times; medians are compared. Peak
 * memory is each child's maxRSS. A script, not a test: timings belong to a machine, so nothing here asserts.
 *
 *   node dist/src/dev/bench.js [--quick] [--runs N] [--json FILE]
 *
 * `--quick` skips the 100k-file tree. The JSON goes to FILE (default bench-results.json); BENCHMARKS.md keeps
 * the history with the machine each run was on.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { CHANGE_DEBOUNCE_MS } from '../lsp/server.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../..');
const BIN = join(REPO, 'bin/connlint.js');
const FLOOR = join(HERE, 'bench-floor.js');

// ---------------------------------------------------------------- generated trees

/** Configuration files of every kind connlint reads; service `i` gets two kinds, about 2-4 files in 100. */
const KINDS: Array<(i: number) => Record<string, string>> = [
  (i) => ({
    'db/my.cnf': '[mysqld]\n!includedir conf.d\n',
    'db/conf.d/timeouts.cnf': `[mysqld]\nwait_timeout = ${300 + i}\ninteractive_timeout = 600\n`,
  }),
  (i) => ({ 'hikari.properties': `jdbcUrl=jdbc:mysql://db/app\nmaximumPoolSize=10\nmaxLifetime=${1_700_000 + i}\n` }),
  () => ({ 'etc/sysctl.d/60-keepalive.conf': 'net.ipv4.tcp_keepalive_time = 600\nnet.ipv4.tcp_keepalive_intvl = 60\n' }),
  (i) => ({
    'src/main/resources/application.yml': `spring:\n  datasource:\n    url: jdbc:mysql://db/app\n    hikari:\n      max-lifetime: ${1_700_000 + i}\n---\nspring:\n  config:\n    activate:\n      on-profile: prod\n  datasource:\n    hikari:\n      idle-timeout: 60000\n`,
  }),
  (i) => ({
    'compose.yaml': `services:\n  db:\n    image: mysql:8.0\n    command: ["--wait-timeout=${600 + i}"]\n  app:\n    build: .\n    environment:\n      DB_HOST: db\n`,
  }),
  () => ({
    'app/settings.py':
      "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.mysql',\n        'NAME': 'app',\n        'CONN_MAX_AGE': 3600,\n    }\n}\n",
  }),
  (i) => ({
    'app/db.py': `from sqlalchemy import create_engine\n\nengine = create_engine("mysql+pymysql://u@db/app", pool_recycle=${3000 + i})\n`,
  }),
  () => ({
    'knexfile.js': "module.exports = {\n  client: 'mysql2',\n  connection: { host: 'db' },\n  pool: { min: 2, max: 10 },\n};\n",
  }),
  () => ({
    'prisma/schema.prisma': 'datasource db {\n  provider = "mysql"\n  url      = env("DATABASE_URL")\n}\n',
    '.env': 'DATABASE_URL="mysql://u@db:3306/app?connection_limit=5"\n',
  }),
  (i) => ({
    'src/data-source.ts': `import { DataSource } from 'typeorm';\n\nexport const AppDataSource = new DataSource({\n  type: 'mysql',\n  host: 'db',\n  database: 'app',\n  extra: { connectionLimit: 10, idleTimeout: ${60_000 + i} },\n});\n`,
  }),
  () => ({ 'alembic.ini': '[alembic]\nscript_location = migrations\nsqlalchemy.url = mysql://u@db/app\nsqlalchemy.pool_recycle = 3600\n' }),
];

/** Source a linter of configuration has to walk past: JavaScript (read to see whether it builds a pool), and the rest. */
function filler(i: number, j: number): [string, string] {
  if (j % 4 === 0) return [`docs/note-${j}.md`, `# Service ${i}\n\nNothing to see.\n`];
  if (j % 4 === 1) return [`src/lib/util-${j}.ts`, `export function f${j}(x: number): number {\n  return x * ${j};\n}\n`];
  return [`src/handlers/h-${j}.js`, `export default function handler${j}(req, res) {\n  res.end('${i}-${j}');\n}\n`];
}

function write(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}

/** About `total` files in services of 100: two configuration kinds each, the rest filler. */
function generateTree(root: string, total: number): void {
  write(root, { 'connlint.config.yaml': 'network:\n  profile: aws-nat-gateway\n' });
  const services = Math.max(1, Math.round(total / 100));
  for (let i = 0; i < services; i++) {
    const dir = join(root, `services/s${i}`);
    const config = {
      ...(KINDS[i % KINDS.length] as (i: number) => Record<string, string>)(i),
      ...(KINDS[(i + 3) % KINDS.length] as (i: number) => Record<string, string>)(i),
    };
    write(dir, config);
    const rest = 100 - Object.keys(config).length;
    const files: Record<string, string> = {};
    for (let j = 0; j < rest; j++) {
      const [name, text] = filler(i, j);
      files[name] = text;
    }
    write(dir, files);
  }
}

/**
 * One HikariCP file with `n` distinct keys HikariCP refuses at start-up: `n` startup-failure findings in one file,
 * each at its own line, none replacing another (what the findings themselves cost: sorting, suppression, reports).
 */
function findingsTree(root: string, n: number): void {
  const lines = ['jdbcUrl=jdbc:mysql://db/app', 'maxLifetime=1700000'];
  for (let i = 0; i < n; i++) lines.push(`maxLifetim${i}=${i}`);
  write(root, { 'hikari.properties': `${lines.join('\n')}\n` });
}

type RepeatedKind = 'my.cnf' | 'sysctl.conf' | 'settings.py';

/**
 * One file assigning one key `n` times: the cost of long chains of replaced values. In an option file each value is a
 * finding (an `h` suffix mysqld refuses); in a sysctl file each is applied and replaces the one before; in Django
 * settings each changes `DATABASES["default"]["CONN_MAX_AGE"]` in place.
 */
function repeatedKeyTree(root: string, n: number, kind: RepeatedKind = 'my.cnf'): void {
  const lines =
    kind === 'my.cnf' ? ['[mysqld]'] : kind === 'settings.py' ? ['DATABASES = {"default": {"ENGINE": "django.db.backends.mysql"}}'] : [];
  for (let i = 0; i < n; i++) {
    if (kind === 'my.cnf') lines.push(`wait_timeout = ${i % 23}h`);
    else if (kind === 'sysctl.conf') lines.push(`net.ipv4.tcp_keepalive_time = ${600 + (i % 23)}`);
    else lines.push(`DATABASES["default"]["CONN_MAX_AGE"] = ${i % 23}`);
  }
  write(root, { [kind]: `${lines.join('\n')}\n` });
}

// ---------------------------------------------------------------- measuring

interface Sample {
  ms: number;
  rssKiB: number;
}

const RSS_HOOK = `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); });\n`;

function runChild(work: string, args: string[]): Sample {
  const rssFile = join(work, 'rss.txt');
  const hook = join(work, 'rss-hook.mjs');
  writeFileSync(hook, RSS_HOOK);
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', hook, ...args], {
    env: { ...process.env, BENCH_RSS_FILE: rssFile, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, rssKiB: Number(readFileSync(rssFile, 'utf8')) };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Alternates the two commands `runs` times (so drift hits both alike) and returns their medians. */
function pair(work: string, a: string[], b: string[], runs: number): { a: Sample; b: Sample } {
  const as: Sample[] = [];
  const bs: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    as.push(runChild(work, a));
    bs.push(runChild(work, b));
  }
  const med = (xs: Sample[]): Sample => ({ ms: median(xs.map((x) => x.ms)), rssKiB: median(xs.map((x) => x.rssKiB)) });
  return { a: med(as), b: med(bs) };
}

/**
 * Through the language server, as an editor runs it (`connlint lsp --stdio`, a client that accepts file watchers):
 * open one file of the tree, wait for the first diagnostics, then change it `runs` times. Each re-lint is the time
 * from the change to its diagnostics, less the quiet time the server waits after a keystroke (CHANGE_DEBOUNCE_MS).
 */
async function lspRelint(root: string, runs: number): Promise<{ firstMs: number; relintMs: number }> {
  // BENCH_LSP_NODE_ARGS='--cpu-prof' profiles the server.
  const nodeArgs = process.env.BENCH_LSP_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'lsp', '--stdio'], { cwd: root, stdio: 'pipe' });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = pathToFileURL(join(root, 'services/s1/hikari.properties')).href;
  let waiter: (() => void) | undefined;
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    if (p.uri === uri) waiter?.();
  });
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.listen();
  const published = () =>
    new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error('the language server published nothing within 60 s')), 60_000);
      waiter = () => {
        clearTimeout(timer);
        waiter = undefined;
        done();
      };
    });
  // A key HikariCP refuses keeps a finding in the file, so every run publishes its diagnostics.
  const text = (i: number) => `jdbcUrl=jdbc:mysql://db/app\nmaximumPoolSize=10\nmaxLifetime=${590_000 - i}\nmaxLifetim=1\n`;
  try {
    await connection.sendRequest(InitializeRequest.type, {
      processId: null,
      rootUri: null,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'bench' }],
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    let start = process.hrtime.bigint();
    const first = published();
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'properties', version: 1, text: text(0) },
    });
    await first;
    const firstMs = Number(process.hrtime.bigint() - start) / 1e6;
    const times: number[] = [];
    for (let i = 1; i <= runs; i++) {
      const next = published();
      start = process.hrtime.bigint();
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: i + 1 },
        contentChanges: [{ text: text(i) }],
      });
      await next;
      times.push(Number(process.hrtime.bigint() - start) / 1e6 - CHANGE_DEBOUNCE_MS);
    }
    const exited = new Promise<void>((done) => {
      child.on('exit', () => done());
      setTimeout(done, 10_000).unref();
    });
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    await exited;
    return { firstMs, relintMs: median(times) };
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill();
  }
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--generate') {
    // A tree to profile by hand: `node dist/src/dev/bench.js --generate DIR 10000` (or `findings N`, `repeated N`,
    // `repeated-sysctl N`, `repeated-python N`).
    const [dir, what, count] = [resolve(argv[1] as string), argv[2] as string, Number(argv[3] ?? argv[2])];
    if (what === 'findings') findingsTree(dir, count);
    else if (what === 'repeated') repeatedKeyTree(dir, count);
    else if (what === 'repeated-sysctl') repeatedKeyTree(dir, count, 'sysctl.conf');
    else if (what === 'repeated-python') repeatedKeyTree(dir, count, 'settings.py');
    else generateTree(dir, Number(what));
    return;
  }
  if (argv[0] === '--lsp') {
    // Only the language server's re-lint, on a tree made with --generate: `--lsp DIR [RUNS]`.
    console.log(await lspRelint(resolve(argv[1] as string), Number(argv[2] ?? 10)));
    return;
  }
  const quick = argv.includes('--quick');
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 5;
  const jsonAt = argv.indexOf('--json');
  const jsonFile = resolve(jsonAt >= 0 ? (argv[jsonAt + 1] as string) : 'bench-results.json');
  const work = mkdtempSync(join(tmpdir(), 'connlint-bench-'));
  // Every connlint of the run (the language server's too) shares a code cache of its own, made by one run over the
  // 10k tree before anything is timed: what the cache holds is what was compiled in the run that wrote it, so a cache
  // left by another run would move the times and the memory of this one (by a few MiB and ms on this machine).
  process.env.CONNLINT_CACHE_DIR = join(work, 'code-cache');
  const rows: Array<Record<string, unknown>> = [];
  const print = (name: string, connlintMs: number, floorMs: number, extra = '') =>
    console.log(
      `${name.padEnd(34)} ${`${round(connlintMs, 0)} ms`.padStart(10)} ${`${round(floorMs, 0)} ms`.padStart(10)} ${`${round(connlintMs / floorMs)}x`.padStart(7)}  ${extra}`,
    );
  try {
    console.log(`${'case'.padEnd(34)} ${'connlint'.padStart(10)} ${'floor'.padStart(10)} ${'ratio'.padStart(7)}`);
    const trees: Array<[string, number]> = [
      ['1k', 1_000],
      ['10k', 10_000],
      ...(quick ? [] : ([['100k', 100_000]] as Array<[string, number]>)),
    ];
    const treeMs: Record<string, number> = {};
    for (const [name, size] of trees) generateTree(join(work, `tree-${name}`), size);
    runChild(work, [BIN, join(work, 'tree-10k'), '-f', 'json', '-o', join(work, 'out.json')]);
    for (const [name, size] of trees) {
      const root = join(work, `tree-${name}`);
      const r = pair(
        work,
        [BIN, root, '-f', 'json', '-o', join(work, 'out.json')],
        [FLOOR, root],
        size >= 100_000 ? Math.min(runs, 3) : runs,
      );
      treeMs[name] = r.a.ms;
      print(
        `tree ${name} files`,
        r.a.ms,
        r.b.ms,
        `peak memory ${round(r.a.rssKiB / 1024, 0)} MiB vs ${round(r.b.rssKiB / 1024, 0)} MiB (${round(r.a.rssKiB / r.b.rssKiB)}x)`,
      );
      rows.push({
        case: `tree-${name}`,
        files: size,
        connlintMs: round(r.a.ms),
        floorMs: round(r.b.ms),
        ratio: round(r.a.ms / r.b.ms),
        connlintRssKiB: r.a.rssKiB,
        floorRssKiB: r.b.rssKiB,
      });
    }
    if (treeMs['100k'] !== undefined && treeMs['10k'] !== undefined) {
      console.log(`${'100k tree / 10k tree'.padEnd(34)} ${`${round(treeMs['100k'] / treeMs['10k'])}x`.padStart(10)}  (target <= 11x)`);
      rows.push({ case: 'scaling-100k-over-10k', ratio: round(treeMs['100k'] / treeMs['10k']) });
    }
    // Findings: what 5,000 and 50,000 findings in one file add to a run of the same file without findings, in the
    // JSON report and in the terminal one (source lines shown).
    const f0 = join(work, 'findings-0');
    const f5 = join(work, 'findings-5k');
    const f50 = join(work, 'findings-50k');
    findingsTree(f0, 0);
    findingsTree(f5, 5_000);
    findingsTree(f50, 50_000);
    for (const format of ['json', 'stylish']) {
      const args = (dir: string) => [BIN, dir, '-f', format, '-o', join(work, 'out.txt')];
      const samples: number[][] = [[], [], []];
      for (let i = 0; i < runs; i++) {
        for (const [k, dir] of [f0, f5, f50].entries()) samples[k]?.push(runChild(work, args(dir)).ms);
      }
      const [t0, t5, t50] = samples.map((xs) => median(xs)) as [number, number, number];
      const add5 = t5 - t0;
      const add50 = t50 - t0;
      console.log(
        `${`findings (${format}): 50k added / 5k`.padEnd(34)} ${`${round(add50, 0)} ms`.padStart(10)} ${`${round(add5, 0)} ms`.padStart(10)} ${`${round(add50 / add5)}x`.padStart(7)}  (target <= 12x; the file alone ${round(t0, 0)} ms)`,
      );
      rows.push({
        case: `findings-${format}-50k-over-5k`,
        baseMs: round(t0),
        added50kMs: round(add50),
        added5kMs: round(add5),
        ratio: round(add50 / add5),
      });
    }
    if (!quick) {
      // Not a target: one key assigned again and again; linear would be 4x.
      for (const kind of ['my.cnf', 'sysctl.conf', 'settings.py'] as const) {
        const r5 = join(work, `repeated-5k-${kind}`);
        const r20 = join(work, `repeated-20k-${kind}`);
        repeatedKeyTree(r5, 5_000, kind);
        repeatedKeyTree(r20, 20_000, kind);
        const a = runChild(work, [BIN, r5, '-f', 'json', '-o', join(work, 'out.txt')]).ms;
        const b = runChild(work, [BIN, r20, '-f', 'json', '-o', join(work, 'out.txt')]).ms;
        console.log(
          `${`one key 20k times / 5k, ${kind}`.padEnd(34)} ${`${round(b, 0)} ms`.padStart(10)} ${`${round(a, 0)} ms`.padStart(10)} ${`${round(b / a)}x`.padStart(7)}  (one run each; linear is about 4x)`,
        );
        rows.push({
          case: kind === 'my.cnf' ? 'repeated-key-20k-over-5k' : `repeated-key-20k-over-5k-${kind}`,
          ms20k: round(b),
          ms5k: round(a),
          ratio: round(b / a),
        });
      }
    }
    const version = pair(work, [BIN, '--version'], ['-e', '0'], Math.max(runs, 10));
    print('--version vs node -e 0', version.a.ms, version.b.ms, '(target <= 1.3x)');
    rows.push({
      case: 'version',
      connlintMs: round(version.a.ms),
      floorMs: round(version.b.ms),
      ratio: round(version.a.ms / version.b.ms),
    });
    const demo = pair(work, [BIN, join(REPO, 'fixtures/demo')], ['-e', '0'], Math.max(runs, 10));
    print('demo vs node -e 0', demo.a.ms, demo.b.ms, '(target: demo under 250 ms)');
    rows.push({ case: 'demo', connlintMs: round(demo.a.ms), floorMs: round(demo.b.ms) });
    const relint = await lspRelint(join(work, 'tree-10k'), Math.max(runs, 10));
    console.log(
      `${'re-lint 10k after one change'.padEnd(34)} ${`${round(relint.relintMs, 0)} ms`.padStart(10)}  first lint ${round(relint.firstMs, 0)} ms (target < 50 ms; connlint lsp --stdio, after its ${CHANGE_DEBOUNCE_MS} ms quiet time)`,
    );
    rows.push({ case: 'relint-10k-one-change', ms: round(relint.relintMs), firstMs: round(relint.firstMs) });
    const machine = {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memoryGiB: round(totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: process.platform,
    };
    writeFileSync(jsonFile, `${JSON.stringify({ date: new Date().toISOString(), machine, runs, results: rows }, null, 2)}\n`);
    console.log(`\nwrote ${jsonFile} (${machine.cpus} x ${machine.cpu}, Node ${machine.node})`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
