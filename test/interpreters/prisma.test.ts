// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dotenv's own ${VAR} expansion syntax is what these inputs hold
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyConfig } from '../../src/config/config.js';
import { RULES } from '../../src/engine/registry.js';
import { runRules } from '../../src/engine/run.js';
import { evaluateJsTree } from '../../src/interpreters/js/evaluate.js';
import type { JsValue } from '../../src/interpreters/js/value.js';
import { KEEPALIVE_TIME, linuxDefault } from '../../src/interpreters/linux/keepalive.js';
import { defaultServer } from '../../src/interpreters/mysql/server.js';
import { adapterCalls } from '../../src/interpreters/prisma/adapter.js';
import { prismaEnvFiles, prismaEnvLookup } from '../../src/interpreters/prisma/env-files.js';
import { type PrismaInput, prismaPools } from '../../src/interpreters/prisma/pools.js';
import { assembleModel } from '../../src/model/assemble.js';
import type { Pool } from '../../src/model/model.js';
import { lineSpan, type Span } from '../../src/model/span.js';
import { type DotenvNodeDoc, parseDotenvNode } from '../../src/parsers/dotenv-node.js';
import { parsePrismaSchema } from '../../src/parsers/prisma-schema.js';

const SCHEMA = 'prisma/schema.prisma';
const PASSWORD = 's3cr3t-pw';

function schema(provider: string, url = 'env("DATABASE_URL")'): string {
  return `generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "${provider}"\n${url ? `  url      = ${url}\n` : ''}}\n`;
}

/** .env files by path; `DATABASE_URL` on line 2 of prisma/.env unless given. */
function envOf(files: Record<string, string>, hasConfig = false, version?: string) {
  const docs = new Map<string, DotenvNodeDoc>();
  for (const [path, text] of Object.entries(files)) docs.set(path, parseDotenvNode(path, text).doc);
  return prismaEnvLookup(docs, SCHEMA, hasConfig, version);
}

const version = (v: string) => ({ version: v, span: lineSpan('package.json', 12, 5, 20) });

function run(provider: string, url: string, more: Partial<PrismaInput> & { schemaUrl?: string } = {}) {
  const text = schema(provider, more.schemaUrl ?? 'env("DATABASE_URL")');
  const parsed = parsePrismaSchema(SCHEMA, text);
  assert.deepEqual(parsed.problems, []);
  const env = envOf({ 'prisma/.env': `# comment\nDATABASE_URL="${url}"\n` }, more.config !== undefined, more.version?.version);
  return prismaPools({ schemaPath: SCHEMA, schema: parsed.doc, env, ...more });
}

function only(r: ReturnType<typeof prismaPools>): Pool {
  assert.equal(r.pools.length, 1, JSON.stringify(r.notPooled));
  return r.pools[0] as Pool;
}

const envAt = (column: number, endColumn: number): Span => ({ path: 'prisma/.env', line: 2, column, endLine: 2, endColumn });
// `env("DATABASE_URL")` in the schema above: line 7, columns 14-33.
const REF: Span = { path: SCHEMA, line: 7, column: 14, endLine: 7, endColumn: 33 };

function findings(pools: Pool[], waitSeconds: number) {
  const server = defaultServer('mysql');
  const wait = server.settings.get('wait_timeout');
  if (wait) server.settings.set('wait_timeout', { ...wait, value: { kind: 'duration', ms: waitSeconds * 1000 } });
  const model = assembleModel({
    files: [],
    servers: [],
    pools,
    hosts: [],
    network: [],
    links: { mappings: [], defaultServer: () => server },
    linuxKeepalive: linuxDefault(KEEPALIVE_TIME),
  });
  return runRules(model, RULES, emptyConfig()).findings.map((f) => `${f.ruleId}:${f.severity}:${f.location.path}:${f.location.line}`);
}

test('classic engine (6.x): URL parameters from .env with their origin at the .env line and env() in via; engine defaults', () => {
  const url = `mysql://app:${PASSWORD}@db:3306/shop?connection_limit=5&max_idle_connection_lifetime=600`;
  const r = run('mysql', url, { version: version('6.19.3') });
  assert.deepEqual(r.problems, []);
  const pool = only(r);
  assert.equal(pool.id, 'prisma:prisma/schema.prisma@db');
  assert.deepEqual([pool.library, pool.libraryName, pool.engine, pool.host], ['prisma', 'Prisma', 'mysql', 'db']);
  const limit = pool.settings.get('connection_limit');
  assert.deepEqual(limit?.value, { kind: 'count', value: 5 });
  // "DATABASE_URL=" is 13 characters plus the quote: the URL text starts at column 15.
  const start = 15 + url.indexOf('connection_limit');
  assert.deepEqual(limit?.origin, { kind: 'file', span: envAt(start, start + 'connection_limit=5'.length), via: [REF] });
  const idle = pool.settings.get('max_idle_connection_lifetime');
  assert.deepEqual(idle?.value, { kind: 'duration', ms: 600_000 });
  assert.equal(idle?.unit, 's');
  assert.equal(pool.settings.get('pool_timeout')?.origin.kind, 'library-default');
  assert.deepEqual(pool.settings.get('pool_timeout')?.value, { kind: 'duration', ms: 10_000 });
  assert.deepEqual(pool.settings.get('connect_timeout')?.value, { kind: 'duration', ms: 5000 });
  assert.equal(pool.settings.has('pgbouncer'), false);
  assert.deepEqual(
    pool.idle.map((m) => [m.kind, m.boundMs]),
    [
      ['idle-timeout', 600_000],
      ['max-lifetime', undefined],
    ],
  );
  assert.equal(pool.validatesOnCheckout.value, true);
  assert.equal(pool.validatesOnCheckout.sufficient, undefined);
  // The URL's value is masked; its text stays for the secret scrubber.
  const u = pool.settings.get('url');
  assert.equal(u?.value.kind === 'string' && u.value.value.includes(PASSWORD), false);
  assert.deepEqual(u?.origin, { kind: 'file', span: envAt(14, 16 + url.length), via: [REF] });
});

test('classic defaults: idle retirement at 300 s, CPU-dependent connection_limit, pgbouncer on PostgreSQL', () => {
  const pool = only(run('postgresql', 'postgresql://u@pg/app', { version: version('5.22.0') }));
  assert.deepEqual(pool.settings.get('max_idle_connection_lifetime')?.value, { kind: 'duration', ms: 300_000 });
  assert.equal(pool.idle[0]?.boundMs, 300_000);
  assert.equal(pool.settings.get('connection_limit')?.value.kind, 'unknown');
  assert.deepEqual(pool.settings.get('pgbouncer')?.value, { kind: 'bool', value: false });
  assert.equal(pool.engine, 'postgresql');
  // max_idle_connection_lifetime=0 turns retirement off.
  const off = only(run('postgresql', 'postgresql://u@pg/app?max_idle_connection_lifetime=0'));
  assert.equal(off.idle[0]?.boundMs, undefined);
  assert.match(off.idle[0]?.note ?? '', /is 0/);
});

test('rules: the 300 s retirement over a shorter wait_timeout is a warning (the health check catches most), never missing validation', () => {
  const pool = only(run('mysql', 'mysql://u@db/app', { version: version('6.19.3') }));
  assert.deepEqual(findings([pool], 120), ['pool-lifetime-exceeds-wait-timeout:warning:prisma/schema.prisma:5']);
  assert.deepEqual(findings([pool], 600), []);
});

test('values the engine rejects or discards, and values that look like milliseconds', () => {
  const url = `postgres://u:${PASSWORD}@pg/app?connection_limit=abc&pgbouncer=yes&connectionLimit=3&pool_timeout=10000&foo=1&socket=x`;
  const r = run('postgresql', url, { version: version('6.19.3') });
  const got = r.problems.map((p) => [p.severity, p.message.split(' ').slice(0, 3).join(' ')]);
  assert.deepEqual(got, [
    ['warning', 'connectionLimit in DATABASE_URL'],
    ['note', 'foo in DATABASE_URL'],
    ['note', 'socket in DATABASE_URL'],
    ['error', 'connection_limit in DATABASE_URL'],
    ['warning', 'pool_timeout in DATABASE_URL'],
    ['error', 'pgbouncer in DATABASE_URL'],
  ]);
  assert.match(r.problems[0]?.message ?? '', /Did you mean connection_limit\?/);
  assert.match(
    r.problems[4]?.message ?? '',
    /^pool_timeout in DATABASE_URL is 10000, which Prisma reads in seconds \(2 h 46 min 40 s\); in milliseconds it would be 10 s, .*Write 10 for 10 s$/,
  );
  assert.deepEqual(
    r.problems.map((p) => p.ruleId),
    ['unknown-setting', 'unknown-setting', 'unknown-setting', 'startup-failure', 'suspicious-duration-unit', 'startup-failure'],
  );
  const pool = only(r);
  assert.equal(pool.settings.get('connection_limit')?.value.kind, 'unknown');
  for (const p of r.problems) assert.equal(p.message.includes(PASSWORD), false, p.message);
  for (const p of r.problems) assert.equal(p.span.path, 'prisma/.env');
});

test('a URL protocol the provider does not accept is P1012; Accelerate and SQLite give no pool', () => {
  const r = run('mysql', `postgresql://u:${PASSWORD}@pg/app`, { version: version('6.19.3') });
  assert.equal(r.pools.length, 0);
  assert.equal(r.problems[0]?.severity, 'error');
  assert.match(r.problems[0]?.message ?? '', /`mysql:\/\/`.*P1012/);
  assert.equal(r.problems[0]?.message.includes(PASSWORD), false);
  assert.equal(run('postgresql', 'prisma://accelerate.prisma-data.net/?api_key=k').pools.length, 0);
  const sqlite = run('sqlite', 'file:./dev.db');
  assert.deepEqual(
    sqlite.notPooled.map((n) => n.name),
    ['db'],
  );
});

test('a variable no .env file sets leaves every parameter unknown, written where env() is', () => {
  const parsed = parsePrismaSchema(SCHEMA, schema('mysql'));
  const r = prismaPools({ schemaPath: SCHEMA, schema: parsed.doc, env: () => undefined, version: version('6.0.0') });
  const pool = only(r);
  const idle = pool.settings.get('max_idle_connection_lifetime');
  assert.equal(idle?.value.kind, 'unknown');
  assert.deepEqual(idle?.origin, { kind: 'file', span: REF, via: [] });
  assert.deepEqual(findings([pool], 60), []);
});

test('Prisma 7: url in schema.prisma is P1012; without a known adapter there is no pool to model', () => {
  const r = run('postgresql', 'postgresql://u@pg/app', { version: version('7.0.0') });
  assert.equal(r.pools.length, 0);
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.span.line, p.span.column]),
    [['error', 7, 3]],
  );
  assert.match(r.problems[0]?.message ?? '', /`url` is no longer supported in schema files.*P1012/);
  assert.match(r.notPooled[0]?.reason ?? '', /adapter/);
});

const CONFIG = 'prisma.config.ts';
const cfg = (line: number, column = 3, length = 20): Span => lineSpan(CONFIG, line, column, length);
function config(url: JsValue): { path: string; value: JsValue } {
  const ds: JsValue = { kind: 'object', properties: [{ key: 'url', value: url, span: cfg(6, 5), keySpan: cfg(6, 5, 3) }], span: cfg(5) };
  return {
    path: CONFIG,
    value: {
      kind: 'object',
      properties: [
        { key: 'schema', value: { kind: 'string', value: SCHEMA, span: cfg(4, 11) }, span: cfg(4), keySpan: cfg(4, 3, 6) },
        { key: 'datasource', value: ds, span: cfg(5), keySpan: cfg(5, 3, 10) },
      ],
      span: cfg(3, 28, 40),
    },
  };
}
const envCall: JsValue = {
  kind: 'call',
  callee: 'prisma/config.env',
  written: 'env',
  isNew: false,
  args: [{ kind: 'string', value: 'DATABASE_URL', span: cfg(6, 14, 14) }],
  span: cfg(6, 10, 19),
};

test('Prisma 7 with @prisma/adapter-pg: pg.Pool defaults, and connection_limit in the URL is a finding', () => {
  const text = schema('postgresql', '');
  const parsed = parsePrismaSchema(SCHEMA, text);
  const url = `postgresql://u:${PASSWORD}@pg/app?connection_limit=5`;
  // The config's `import "dotenv/config"` reads .env of the working folder: the caller decides; here the root .env.
  const docs = new Map([['.env', parseDotenvNode('.env', `DATABASE_URL=${url}\n`).doc]]);
  const lookupRoot = (name: string) => {
    const e = docs.get('.env')?.entries.find((x) => x.key === name);
    return e ? { text: e.value.text, span: e.value.span, file: '.env', spanOf: e.value.spanOf } : undefined;
  };
  const r = prismaPools({
    schemaPath: SCHEMA,
    schema: parsed.doc,
    env: lookupRoot,
    version: version('7.10.1'),
    config: config(envCall),
    adapter: { name: '@prisma/adapter-pg' },
  });
  const pool = only(r);
  assert.equal(r.problems.length, 1);
  const p = r.problems[0];
  assert.equal(p?.severity, 'warning');
  const at = 14 + url.indexOf('connection_limit');
  assert.deepEqual(p?.span, { path: '.env', line: 1, column: at, endLine: 1, endColumn: at + 'connection_limit=5'.length });
  assert.match(p?.message ?? '', /connection_limit in DATABASE_URL is ignored.*pg\.Pool.*Set max/);
  assert.equal(p?.message.includes(PASSWORD), false);
  assert.deepEqual(pool.settings.get('max')?.value, { kind: 'count', value: 10 });
  assert.deepEqual(
    pool.idle.map((m) => [m.kind, m.boundMs]),
    [
      ['idle-timeout', 10_000],
      ['max-lifetime', undefined],
    ],
  );
  assert.equal(pool.validatesOnCheckout.value, false);
  assert.equal(pool.tcpKeepalive?.value, false);
  assert.deepEqual(pool.settings.get('url')?.origin, { kind: 'file', span: lineSpan('.env', 1, 14, url.length), via: [cfg(6, 10, 19)] });
});

test('Prisma 7 with @prisma/adapter-mariadb: the per-borrow ping protects, idleTimeout retires nothing by default', () => {
  const parsed = parsePrismaSchema(SCHEMA, schema('mysql', ''));
  const r = prismaPools({
    schemaPath: SCHEMA,
    schema: parsed.doc,
    env: () => undefined,
    version: version('7.0.0'),
    config: config({ kind: 'string', value: 'mysql://u@db/app', span: cfg(6, 10, 18) }),
    adapter: { name: '@prisma/adapter-mariadb' },
  });
  const pool = only(r);
  assert.deepEqual(r.problems, []);
  assert.equal(pool.validatesOnCheckout.value, true);
  assert.ok(pool.validatesOnCheckout.sufficient);
  assert.equal(pool.idle[0]?.boundMs, undefined);
  assert.equal(pool.host, 'db');
  assert.deepEqual(findings([pool], 60), []);
});

test('an unknown version with no url in the schema is not guessed', () => {
  const parsed = parsePrismaSchema(SCHEMA, schema('postgresql', ''));
  const r = prismaPools({ schemaPath: SCHEMA, schema: parsed.doc, env: () => undefined });
  assert.equal(r.pools.length, 0);
  assert.match(r.notPooled[0]?.reason ?? '', /version is not known/);
});

test('.env files Prisma reads: root first, then the first schema .env that exists; none with a config file on 6.4+ or on 7', () => {
  assert.deepEqual(prismaEnvFiles(SCHEMA, false, '6.19.3'), ['.env', 'prisma/.env']);
  assert.deepEqual(prismaEnvFiles('apps/api/prisma/schema.prisma', false), ['apps/api/.env', 'apps/api/prisma/.env']);
  assert.deepEqual(prismaEnvFiles('db/schema.prisma', false), ['db/.env', 'db/prisma/.env']);
  assert.deepEqual(prismaEnvFiles(SCHEMA, true, '6.4.0'), []);
  assert.deepEqual(prismaEnvFiles(SCHEMA, true), []);
  assert.deepEqual(prismaEnvFiles(SCHEMA, true, '6.3.0'), ['.env', 'prisma/.env']);
  assert.deepEqual(prismaEnvFiles(SCHEMA, false, '7.0.0'), []);
  for (const f of prismaEnvFiles(SCHEMA, false)) assert.doesNotMatch(f, /\.env\.(example|production|local)$/);

  // For a name in both files the root .env wins; ${NAME} is expanded from the same files.
  const env = envOf({
    '.env': 'DATABASE_URL="mysql://root@a/x"\nHOST=b\n',
    'prisma/.env': 'DATABASE_URL=mysql://root@b/x\nOTHER=mysql://${HOST}/y\n',
  });
  assert.equal(env('DATABASE_URL')?.file, '.env');
  assert.equal(env('OTHER')?.text, 'mysql://b/y');
  assert.equal(env('OTHER')?.spanOf, undefined);
  assert.equal(envOf({ 'prisma/.env': 'X=${NOPE}\n' })('X')?.unknown !== undefined, true);
  // With a config file on 6.4+ Prisma reads no .env at all.
  assert.equal(envOf({ '.env': 'DATABASE_URL=mysql://a/b\n' }, true, '6.5.0')('DATABASE_URL'), undefined);
});

// ---------------------------------------------------------------------------------------------------
// Driver adapter options written in code (adapter.ts)

/** The schema (no url, as Prisma 7 wants it) with the adapter constructions of `code`, evaluated as the format does. */
function adapterRun(provider: string, code: Record<string, string>, more: Partial<PrismaInput> = {}) {
  const parsed = parsePrismaSchema(SCHEMA, schema(provider, ''));
  const tree = evaluateJsTree(Object.entries(code).map(([path, text]) => ({ path, text })));
  const adapters = adapterCalls(tree.modules);
  return prismaPools({
    schemaPath: SCHEMA,
    schema: parsed.doc,
    env: () => undefined,
    version: version('7'),
    adapters,
    sourceText: new Map(Object.entries(code)),
    ...more,
  });
}

const value = (pool: Pool, key: string) => pool.settings.get(key)?.value;
const line = (pool: Pool, key: string) => {
  const o = pool.settings.get(key)?.origin;
  return o?.kind === 'file' ? o.span.line : o?.kind;
};

test('adapter-pg options in code: read as pg-pool reads them, each setting at its line; what pg ignores is a finding', () => {
  const url = `postgresql://app:${PASSWORD}@pg.internal:5432/shop?connection_limit=5&keepalives_idle=30`;
  const code = [
    "import { PrismaPg } from '@prisma/adapter-pg';",
    '',
    'const adapter = new PrismaPg({',
    `  connectionString: '${url}',`,
    '  max: 0,',
    '  idleTimeoutMillis: 0,',
    '  maxLifetimeSeconds: 1800,',
    '  keepAlive: true,',
    '  keepAliveInitialDelayMillis: 60_000,',
    '  connectionLimit: 5,',
    '});',
    'export default adapter;',
    '',
  ].join('\n');
  const r = adapterRun('postgresql', { 'src/lib/prisma.ts': code });
  const pool = only(r);
  assert.equal(pool.id, 'prisma:prisma/schema.prisma@db');
  assert.equal(pool.name, 'datasource db (prisma/schema.prisma) through new PrismaPg() at src/lib/prisma.ts:3');
  assert.deepEqual([pool.origin.path, pool.origin.line, pool.host], ['src/lib/prisma.ts', 3, 'pg.internal']);
  // pg-pool: `max || poolSize || 10`, so 0 is 10; idleTimeoutMillis 0 never evicts.
  assert.deepEqual(value(pool, 'max'), { kind: 'count', value: 10 });
  assert.deepEqual(value(pool, 'idleTimeoutMillis'), { kind: 'duration', ms: 0 });
  assert.deepEqual(value(pool, 'maxLifetimeSeconds'), { kind: 'duration', ms: 1_800_000 });
  assert.equal(pool.settings.get('maxLifetimeSeconds')?.unit, 's');
  assert.deepEqual(value(pool, 'keepAlive'), { kind: 'bool', value: true });
  assert.deepEqual(
    ['max', 'idleTimeoutMillis', 'maxLifetimeSeconds', 'keepAlive', 'keepAliveInitialDelayMillis', 'connectionTimeoutMillis'].map((k) =>
      line(pool, k),
    ),
    [5, 6, 7, 8, 9, 'library-default'],
  );
  assert.deepEqual(
    pool.idle.map((m) => [m.kind, m.boundMs]),
    [
      ['idle-timeout', undefined],
      ['max-lifetime', 1_800_000],
      ['keepalive', 60_000],
    ],
  );
  assert.match(pool.idle[0]?.note ?? '', /never evicts/);
  assert.equal(pool.tcpKeepalive?.value, true);
  assert.equal(pool.validatesOnCheckout.value, false);
  assert.ok(pool.validatesOnCheckout.noticesServerClose);
  // The unwritten key is advised where the pool is built.
  assert.equal(
    pool.settings.get('connectionTimeoutMillis')?.writeAs,
    'connectionTimeoutMillis in the options of new PrismaPg() at src/lib/prisma.ts:3',
  );

  const at = (key: string) => 22 + url.indexOf(key);
  const problems = [...r.problems].sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);
  assert.deepEqual(
    problems.map((p) => [p.severity, p.span.line, p.span.column, p.message.split(' ').slice(0, 3).join(' ')]),
    [
      ['warning', 4, at('connection_limit'), 'connection_limit in connectionString'],
      ['warning', 4, at('keepalives_idle'), 'keepalives_idle in connectionString'],
      ['warning', 5, 3, 'max is 0,'],
      ['warning', 10, 3, 'connectionLimit is not'],
    ],
  );
  assert.match(problems[0]?.message ?? '', /is ignored.*pg\.Pool.*Set max/);
  assert.match(problems[1]?.message ?? '', /only pg-native reads it.*Set keepAliveInitialDelayMillis/);
  assert.match(problems[2]?.message ?? '', /reads as 10/);
  assert.match(problems[3]?.message ?? '', /Did you mean max\?/);
  for (const p of r.problems) assert.equal(p.message.includes(PASSWORD), false, p.message);
  const u = pool.settings.get('url');
  assert.equal(u?.key, 'connectionString');
  assert.equal(u?.value.kind === 'string' && u.value.value.includes(PASSWORD), false);
});

test('new PrismaPg(pool) with a pg.Pool built in the tree: the Pool call is the pool, its options are read', () => {
  const db = (options: string) =>
    [
      "import pg from 'pg';",
      "import { PrismaPg } from '@prisma/adapter-pg';",
      '',
      `const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, ${options} });`,
      'export const adapter = new PrismaPg(pool);',
      '',
    ].join('\n');
  const pool = only(adapterRun('postgresql', { 'src/db.ts': db('idleTimeoutMillis: 30_000') }));
  assert.equal(pool.name, 'datasource db (prisma/schema.prisma) through new pg.Pool() at src/db.ts:4');
  assert.equal(pool.origin.line, 4);
  assert.deepEqual(
    pool.idle.map((m) => [m.kind, m.boundMs]),
    [
      ['idle-timeout', 30_000],
      ['max-lifetime', undefined],
    ],
  );
  // The connection string comes from the environment: not known here (Prisma 7 loads no .env).
  assert.equal(value(pool, 'url')?.kind, 'unknown');
  assert.equal(pool.host, undefined);

  // min spares clients from eviction only in pg-pool 3.10.0+, whose version the lockfile decides: unknown, no finding.
  const withMin = only(adapterRun('postgresql', { 'src/db.ts': db('idleTimeoutMillis: 30_000, min: 2') }));
  assert.equal(withMin.idle[0]?.setting.value.kind, 'unknown');
  assert.match(withMin.idle[0]?.setting.value.kind === 'unknown' ? withMin.idle[0].setting.value.reason : '', /pg-pool 3\.10\.0/);
  // The same with no timeout at all is known: idleTimeoutMillis 0 never evicts, whatever min is.
  const never = only(adapterRun('postgresql', { 'src/db.ts': db('idleTimeoutMillis: 0, min: 2') }));
  assert.equal(never.idle[0]?.setting.value.kind, 'duration');
});

test('maxLifetimeSeconds: read under Prisma 7 or a pg range from 8.7.2; with an older or unknown pg it is unknown', () => {
  const code = {
    'src/db.ts':
      "import { PrismaPg } from '@prisma/adapter-pg';\nexport const a = new PrismaPg({ idleTimeoutMillis: 0, maxLifetimeSeconds: 300 });\n",
  };
  const life = (more: Partial<PrismaInput>) => only(adapterRun('postgresql', code, more)).idle.find((m) => m.kind === 'max-lifetime');
  assert.equal(life({})?.boundMs, 300_000);
  assert.equal(life({ version: version('6.19.3'), pgRange: '^8.11.0' })?.boundMs, 300_000);
  const old = life({ version: version('6.19.3'), pgRange: '^8.6.0' });
  assert.equal(old?.boundMs, undefined);
  assert.equal(old?.setting.value.kind, 'unknown');
  assert.equal(life({ version: version('6.19.3') })?.setting.value.kind, 'unknown');
});

test('an adapter argument not known here leaves every pool setting unknown, and no rule reasons from defaults', () => {
  const code = {
    'src/db.ts': [
      "import { PrismaPg } from '@prisma/adapter-pg';",
      "import { poolConfig } from '@acme/config';",
      'export const adapter = new PrismaPg(poolConfig);',
      '',
    ].join('\n'),
  };
  const pool = only(adapterRun('postgresql', code));
  for (const key of ['max', 'idleTimeoutMillis', 'maxLifetimeSeconds', 'keepAlive']) assert.equal(value(pool, key)?.kind, 'unknown', key);
  assert.match(
    value(pool, 'idleTimeoutMillis')?.kind === 'unknown' ? (value(pool, 'idleTimeoutMillis') as { reason: string }).reason : '',
    /poolConfig/,
  );
  assert.equal(pool.tcpKeepalive, undefined);
  assert.equal(line(pool, 'max'), 3);
});

test('adapter-mariadb: object options through the mariadb reader (idleTimeout in seconds), a mysql:// URL rewritten to mariadb://', () => {
  const obj = [
    "import { PrismaMariaDb } from '@prisma/adapter-mariadb';",
    'export const adapter = new PrismaMariaDb({',
    "  host: 'db',",
    '  connectionLimit: 5,',
    '  minimumIdle: 0,',
    '  idleTimeout: 30 * 60 * 1000,',
    '  connection_limit: 3,',
    '});',
    '',
  ].join('\n');
  const r = adapterRun('mysql', { 'src/db.ts': obj }, { mariadbVersion: version('3.5.3') });
  const pool = only(r);
  assert.deepEqual([pool.host, pool.engine, pool.origin.line], ['db', 'mysql', 2]);
  assert.deepEqual(value(pool, 'idleTimeout'), { kind: 'duration', ms: 1_800_000_000 });
  assert.equal(pool.settings.get('idleTimeout')?.unit, 's');
  assert.deepEqual(value(pool, 'connectionLimit'), { kind: 'count', value: 5 });
  // mariadb 3.5 with minimumIdle 0 retires every idle connection: bound = idleTimeout + the 500 ms reaper.
  assert.equal(pool.idle.find((m) => m.kind === 'idle-timeout')?.boundMs, 1_800_000_500);
  assert.ok(pool.validatesOnCheckout.sufficient);
  assert.deepEqual(
    r.problems.map((p) => [p.span.line, p.message.split(' ').slice(0, 3).join(' ')]),
    [
      [7, 'connection_limit is not'],
      [6, 'idleTimeout is 1800000,'],
    ],
  );
  assert.match(r.problems[0]?.message ?? '', /Did you mean connectionLimit\?/);

  const url = `mysql://app:${PASSWORD}@mariadb.internal:3306/app?connectionLimit=3&connection_limit=5`;
  const fromUrl = adapterRun('mysql', {
    'src/db.ts': `import { PrismaMariaDb } from '@prisma/adapter-mariadb';\nexport const adapter = new PrismaMariaDb('${url}');\n`,
  });
  const p2 = only(fromUrl);
  assert.equal(p2.host, 'mariadb.internal');
  assert.deepEqual(value(p2, 'connectionLimit'), { kind: 'count', value: 3 });
  assert.deepEqual(
    fromUrl.problems.map((p) => p.message.split(' ').slice(0, 8).join(' ')),
    ['connection_limit in the connection string of new PrismaMariaDb()'],
  );
  assert.match(fromUrl.problems[0]?.message ?? '', /Set connectionLimit/);
  for (const p of fromUrl.problems) assert.equal(p.message.includes(PASSWORD), false);
});

test('adapter-mariadb around mariadb.createPool(): that pool is the JS/TS format’s, so the datasource adds none', () => {
  const code = [
    "import * as mariadb from 'mariadb';",
    "import { PrismaMariaDb } from '@prisma/adapter-mariadb';",
    "const pool = mariadb.createPool({ host: 'db', connectionLimit: 5 });",
    'export const adapter = new PrismaMariaDb(pool);',
    '',
  ].join('\n');
  const r = adapterRun('mysql', { 'src/db.ts': code });
  assert.deepEqual(r.pools, []);
  assert.match(r.notPooled[0]?.reason ?? '', /wraps the pool of mariadb\.createPool\(\) at src\/db\.ts:3/);
});

test('constructions that configure the pool alike are one pool; a different one is a pool of its own; a mismatched adapter is skipped', () => {
  const app =
    "import { PrismaPg } from '@prisma/adapter-pg';\nexport const a = new PrismaPg({ connectionString: process.env.DATABASE_URL });\n";
  const seed =
    "import { PrismaPg } from '@prisma/adapter-pg';\nconst url = process.env.DATABASE_URL;\nexport const b = new PrismaPg({ connectionString: url });\n";
  const same = adapterRun('postgresql', { 'src/lib/prisma.ts': app, 'scripts/seed.ts': seed });
  const one = only(same);
  assert.equal(one.id, 'prisma:prisma/schema.prisma@db');
  assert.match(one.name, /new PrismaPg\(\) at scripts\/seed\.ts:3 \(also new PrismaPg\(\) at src\/lib\/prisma\.ts:2\)/);
  const worker = "import { PrismaPg } from '@prisma/adapter-pg';\nexport const w = new PrismaPg({ max: 2, idleTimeoutMillis: 0 });\n";
  const two = adapterRun('postgresql', { 'src/lib/prisma.ts': app, 'src/worker.ts': worker });
  assert.deepEqual(
    two.pools.map((p) => p.id),
    ['prisma:prisma/schema.prisma@db/src/lib/prisma.ts:2', 'prisma:prisma/schema.prisma@db/src/worker.ts:2'],
  );
  // A MariaDB adapter under a postgresql provider is not this datasource's pool.
  const other = "import { PrismaMariaDb } from '@prisma/adapter-mariadb';\nexport const m = new PrismaMariaDb({ host: 'db' });\n";
  const mixed = adapterRun('postgresql', { 'src/lib/prisma.ts': app, 'src/legacy.ts': other });
  assert.equal(only(mixed).name.includes('PrismaMariaDb'), false);
});

test('Prisma 6 with an adapter constructed in code (no adapter package in the manifest): the adapter stack, not the classic engine', () => {
  const parsed = parsePrismaSchema(SCHEMA, schema('postgresql'));
  const code = {
    'src/db.ts': "import { PrismaPg } from '@prisma/adapter-pg';\nexport const a = new PrismaPg({ idleTimeoutMillis: 5000 });\n",
  };
  const tree = evaluateJsTree(Object.entries(code).map(([path, text]) => ({ path, text })));
  const r = prismaPools({
    schemaPath: SCHEMA,
    schema: parsed.doc,
    env: envOf({ 'prisma/.env': 'DATABASE_URL="postgresql://u@pg/app?connection_limit=5"\n' }, false, '6.19.3'),
    version: version('6.19.3'),
    adapters: adapterCalls(tree.modules),
  });
  const pool = only(r);
  assert.equal(pool.idle[0]?.boundMs, 5000);
  assert.equal(pool.settings.has('connection_limit'), false);
  assert.deepEqual(
    r.problems.map((p) => [p.span.path, p.message.split(' ').slice(0, 4).join(' ')]),
    [['prisma/.env', 'connection_limit in DATABASE_URL is']],
  );
});
