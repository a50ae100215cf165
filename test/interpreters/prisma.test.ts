// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dotenv's own ${VAR} expansion syntax is what these inputs hold
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyConfig } from '../../src/config/config.js';
import { RULES } from '../../src/engine/registry.js';
import { runRules } from '../../src/engine/run.js';
import type { JsValue } from '../../src/interpreters/js/value.js';
import { KEEPALIVE_TIME, linuxDefault } from '../../src/interpreters/linux/keepalive.js';
import { defaultServer } from '../../src/interpreters/mysql/server.js';
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
  assert.match(r.problems[4]?.message ?? '', /Write 10 for 10 s/);
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
