import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyConfig } from '../../src/config/config.js';
import { RULES } from '../../src/engine/registry.js';
import { runRules } from '../../src/engine/run.js';
import { jsonToJsValue } from '../../src/interpreters/js/json-value.js';
import type { JsValue } from '../../src/interpreters/js/value.js';
import { KEEPALIVE_TIME, linuxDefault } from '../../src/interpreters/linux/keepalive.js';
import { defaultServer } from '../../src/interpreters/mysql/server.js';
import { type SequelizeInput, sequelizePools } from '../../src/interpreters/sequelize/pools.js';
import { assembleModel } from '../../src/model/assemble.js';
import type { Engine, Pool } from '../../src/model/model.js';
import { lineSpan, type Span } from '../../src/model/span.js';

const FILE = 'src/db.js';
const at = (line: number, column = 5, length = 10): Span => lineSpan(FILE, line, column, length);
const num = (value: number, line: number): JsValue => ({ kind: 'number', value, span: at(line) });
const str = (value: string, line: number): JsValue => ({ kind: 'string', value, span: at(line) });
const env = (name: string, line: number, fallback?: JsValue): JsValue => ({
  kind: 'env',
  name,
  ...(fallback ? { fallback } : {}),
  span: at(line),
});
function obj(entries: Record<string, JsValue>, line: number): JsValue {
  return {
    kind: 'object',
    properties: Object.entries(entries).map(([key, value]) => ({
      key,
      value,
      span: { ...value.span, column: 3 },
      keySpan: lineSpan(FILE, value.span.line, 3, key.length),
    })),
    span: at(line),
  };
}
const ctor = (args: JsValue[], callee = 'sequelize.Sequelize'): JsValue => ({
  kind: 'call',
  callee,
  written: 'new Sequelize',
  isNew: true,
  args,
  span: at(1, 16, 30),
});
const version = (v: string) => ({ version: v, span: lineSpan('package.json', 5, 5, 12) });

function run(config: JsValue, more: Partial<SequelizeInput> = {}) {
  return sequelizePools({ path: FILE, config, source: 'constructor', ...more });
}
function only(r: ReturnType<typeof sequelizePools>): Pool {
  assert.equal(r.pools.length, 1, JSON.stringify(r.notPooled));
  return r.pools[0] as Pool;
}
function findings(pools: Pool[], engine: Engine = 'mysql', waitSeconds?: number) {
  const server = defaultServer(engine);
  const wait = server.settings.get('wait_timeout');
  if (wait && waitSeconds !== undefined)
    server.settings.set('wait_timeout', { ...wait, value: { kind: 'duration', ms: waitSeconds * 1000 } });
  const model = assembleModel({
    files: [],
    servers: [],
    pools,
    hosts: [],
    network: [],
    links: { mappings: [], defaultServer: () => server },
    linuxKeepalive: linuxDefault(KEEPALIVE_TIME),
  });
  return runRules(model, RULES, emptyConfig()).findings.map((f) => `${f.ruleId}:${f.severity}:${f.location.line}: ${f.message}`);
}
const FOUR = (pool: Record<string, JsValue> | undefined, more: Record<string, JsValue> = {}) =>
  ctor([
    str('app', 1),
    str('app', 1),
    str('pw-secret-1', 1),
    obj({ dialect: str('mysql', 3), host: str('DB', 4), ...(pool ? { pool: obj(pool, 5) } : {}), ...more }, 2),
  ]);

test('(database, user, password, options): defaults max 5, min 0, idle 10 s + evict 1 s; no round trip on checkout', () => {
  const r = run(FOUR(undefined));
  assert.deepEqual(r.problems, []);
  const pool = only(r);
  assert.equal(pool.id, 'sequelize:src/db.js@1');
  assert.equal(pool.name, 'new Sequelize() at src/db.js:1');
  assert.deepEqual([pool.library, pool.libraryName, pool.engine, pool.host], ['sequelize', 'Sequelize', 'mysql', 'db']);
  assert.deepEqual(
    ['pool.max', 'pool.min', 'pool.idle', 'pool.acquire', 'pool.evict'].map((k) => pool.settings.get(k)?.value),
    [
      { kind: 'count', value: 5 },
      { kind: 'count', value: 0 },
      { kind: 'duration', ms: 10000 },
      { kind: 'duration', ms: 60000 },
      { kind: 'duration', ms: 1000 },
    ],
  );
  assert.equal(pool.idle[0]?.boundMs, 11_000);
  assert.equal(pool.validatesOnCheckout.value, false);
  assert.match(pool.validatesOnCheckout.fact, /no round trip in any version: a connection the server closed with a FIN/);
  assert.equal(pool.settings.get('password')?.text, 'pw-secret-1');
  assert.deepEqual(findings([pool], 'mysql', 600), []);
  // sequelize.md: a connection the server closed with a FIN is destroyed, not reused, so the mismatch costs a
  // reconnect: a warning, and no missing-validation finding on top of it.
  const out = findings([pool], 'mysql', 8);
  assert.equal(out.length, 1, out.join('\n'));
  assert.match(
    out[0] as string,
    /^pool-lifetime-exceeds-wait-timeout:warning:\d+: pool\.idle is 10 s \(Sequelize default\) .*costs a reconnect rather than a failed query\. Set pool\.idle to 2000 \(2 s\) or lower\.$/,
  );
});

test('min above 0 keeps connections forever: wait_timeout is outlived whatever idle is', () => {
  const pool = only(run(FOUR({ min: num(1, 6), idle: num(5000, 7) })));
  assert.equal(pool.idle[0]?.boundMs, undefined);
  assert.match(pool.idle[0]?.note ?? '', /^pool\.min \(1\) connections are never destroyed for idleness/);
  const out = findings([pool], 'mysql', 600);
  assert.equal(out.length, 1, out.join('\n'));
  assert.match(
    out[0] as string,
    /^pool-lifetime-exceeds-wait-timeout:warning:\d+: Nothing in new Sequelize\(\) at src\/db\.js:1 retires.* Set pool\.min to 0 and pool\.idle to 594000 \(594 s\) or lower\.$/,
  );
});

test('pool.idle under 100 is seconds written in a milliseconds key', () => {
  const slip = run(FOUR({ min: num(0, 6), idle: num(30, 7) }));
  assert.deepEqual(
    slip.problems.map((p) => [p.ruleId, p.severity, p.span.line]),
    [['suspicious-duration-unit', 'warning', 7]],
  );
  assert.match(
    slip.problems[0]?.message ?? '',
    /^pool\.idle is 30, which Sequelize reads in milliseconds \(30 ms\); in seconds it would be 30 s, .*Write 30000 for 30 s$/,
  );
  assert.deepEqual(run(FOUR({ min: num(0, 6), idle: num(30000, 7) })).problems, []);
});

test('falsy durations: 30000 on v5/v6, 0 on v7 (@sequelize/core), unknown without a version', () => {
  const uri = (callee?: string) =>
    ctor([str('postgres://app:pw-secret-1@PG.internal:5432/app', 1), obj({ pool: obj({ idle: num(0, 3) }, 2) }, 2)], callee);
  const unknown = run(uri());
  const u = only(unknown);
  assert.deepEqual([u.engine, u.host], ['postgresql', 'pg.internal']);
  assert.equal(u.settings.get('pool.idle')?.value.kind, 'unknown');
  assert.match(unknown.problems[0]?.message ?? '', /^pool\.idle is 0, which Sequelize v5 and v6 silently replace by 30000 ms/);
  const v6 = run(uri(), { version: version('6.37.8') });
  assert.deepEqual(only(v6).settings.get('pool.idle')?.value, { kind: 'duration', ms: 30000 });
  assert.equal(only(v6).settings.get('pool.idle')?.clamp?.written.kind, 'duration');
  const v7 = run(uri('@sequelize/core.Sequelize'));
  assert.deepEqual(v7.problems, []);
  assert.deepEqual(only(v7).settings.get('pool.idle')?.value, { kind: 'duration', ms: 0 });
  for (const p of unknown.problems) assert.doesNotMatch(p.message, /pw-secret/);
});

test('what Sequelize rejects or ignores: string max, min above max, misspelt and v3 pool keys, top-level pg options, no dialect', () => {
  const r = run(FOUR({ max: str('10', 6), idel: num(10000, 7), maxConnections: num(5, 8) }, { idleTimeoutMillis: num(1000, 9) }));
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.span.line]),
    [
      ['warning', 9],
      ['error', 6],
      ['warning', 7],
      ['warning', 8],
    ],
  );
  assert.match(r.problems[1]?.message ?? '', /pool\.max is "10", so new Sequelize\(\) throws "Error: max must be an integer > 0"/);
  assert.match(r.problems[2]?.message ?? '', /Did you mean pool\.idle\?$/);
  assert.match(r.problems[3]?.message ?? '', /Did you mean pool\.max\?$/);
  const minMax = run(FOUR({ min: num(8, 6) }));
  assert.match(minMax.problems[0]?.message ?? '', /pool\.min \(8\) is above pool\.max \(5, the default\)/);
  const none = run(ctor([str('app', 1), str('app', 1), str('pw', 1)]));
  assert.match(none.problems[0]?.message ?? '', /Dialect needs to be explicitly supplied as of v4\.0\.0/);
  assert.equal(none.pools.length, 0);
  const sqlite = run(ctor([obj({ dialect: str('sqlite', 2), storage: str(':memory:', 3) }, 2)]));
  assert.match(sqlite.notPooled[0]?.reason ?? '', /SQLite/);
  const fromEnv = only(run(ctor([env('DATABASE_URL', 1), obj({ pool: obj({ max: num(10, 3) }, 2) }, 2)])));
  assert.match(fromEnv.serverUncertain ?? '', /the dialect is not known here/);
});

test('sequelize-cli config/config.json: one pool per environment, use_env_variable for the URL', () => {
  const text = [
    '{',
    '  "development": { "username": "root", "password": "pw-secret-1", "database": "app", "host": "127.0.0.1", "dialect": "mysql" },',
    '  "production": {',
    '    "use_env_variable": "DATABASE_URL",',
    '    "dialect": "mysql",',
    '    "pool": { "max": 10, "min": 2, "idle": 20000 },',
    '    "dialectOptions": { "connectTimeout": 10000 }',
    '  }',
    '}',
  ].join('\n');
  const parsed = jsonToJsValue('config/config.json', text);
  assert.deepEqual(parsed.problems, []);
  const seen: string[] = [];
  const r = sequelizePools({
    path: 'config/config.json',
    config: parsed.value as JsValue,
    source: 'config-json',
    driverKeepalive: (dialect, options) => {
      seen.push(`${dialect}:${options?.kind}`);
      return undefined;
    },
  });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.pools.map((p) => [p.id, p.environment, p.engine, p.host, p.origin.line]),
    [
      ['sequelize:config/config.json#development', 'development', 'mysql', '127.0.0.1', 2],
      ['sequelize:config/config.json#production', 'production', 'mysql', undefined, 3],
    ],
  );
  assert.deepEqual(seen, ['mysql:undefined', 'mysql:object']);
  const prod = r.pools[1] as Pool;
  assert.equal(prod.settings.get('url')?.value.kind, 'unknown');
  assert.deepEqual(prod.settings.get('pool.idle')?.origin, {
    kind: 'file',
    span: { path: 'config/config.json', line: 6, column: 36, endLine: 6, endColumn: 49 },
    via: [],
  });
  assert.match(prod.environmentNote ?? '', /--env production or NODE_ENV=production/);
  const out = findings(r.pools, 'mysql', 600);
  assert.equal(out.filter((f) => f.startsWith('pool-lifetime-exceeds-wait-timeout')).length, 1);
  for (const f of out) assert.doesNotMatch(f, /pw-secret/);
});
