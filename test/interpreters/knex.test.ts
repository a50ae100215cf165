import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyConfig } from '../../src/config/config.js';
import { RULES } from '../../src/engine/registry.js';
import { runRules } from '../../src/engine/run.js';
import type { JsValue } from '../../src/interpreters/js/value.js';
import { type KnexInput, knexPools } from '../../src/interpreters/knex/pools.js';
import { since } from '../../src/interpreters/knex/js-read.js';
import { KEEPALIVE_TIME, linuxDefault } from '../../src/interpreters/linux/keepalive.js';
import { defaultServer } from '../../src/interpreters/mysql/server.js';
import { assembleModel } from '../../src/model/assemble.js';
import type { Engine, Pool } from '../../src/model/model.js';
import { lineSpan, type Span } from '../../src/model/span.js';

// Values as the evaluator leaves them, one per line of knexfile.js.
const FILE = 'knexfile.js';
const at = (line: number, column = 5, length = 10): Span => lineSpan(FILE, line, column, length);
const num = (value: number, line: number): JsValue => ({ kind: 'number', value, span: at(line) });
const str = (value: string, line: number): JsValue => ({ kind: 'string', value, span: at(line) });
const fn = (line: number, returns?: JsValue): JsValue => ({ kind: 'function', ...(returns ? { returns } : {}), span: at(line) });
const env = (name: string, line: number, fallback?: JsValue, convert?: 'int' | 'number'): JsValue => ({
  kind: 'env',
  name,
  ...(fallback ? { fallback } : {}),
  ...(convert ? { convert } : {}),
  span: at(line),
});
const unknown = (reason: string, line: number): JsValue => ({ kind: 'unknown', reason, span: at(line) });
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
const call = (written: string, args: JsValue[], line: number): JsValue => ({
  kind: 'call',
  callee: written,
  written,
  isNew: false,
  args,
  span: at(line, 1, 30),
});
const version = (v: string) => ({ version: v, span: lineSpan('package.json', 5, 5, 12) });

function run(config: JsValue, more: Partial<KnexInput> = {}) {
  return knexPools({ path: FILE, config, source: 'knexfile', ...more });
}
function only(r: ReturnType<typeof knexPools>): Pool {
  assert.equal(r.pools.length, 1, JSON.stringify(r.notPooled));
  return r.pools[0] as Pool;
}
const MYSQL = (pool: Record<string, JsValue> | undefined, more: Record<string, JsValue> = {}) =>
  obj(
    {
      client: str('mysql2', 2),
      connection: obj({ host: str('DB', 4), password: str('pw-secret-1', 5) }, 3),
      ...(pool ? { pool: obj(pool, 6) } : {}),
      ...more,
    },
    1,
  );

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

test('a knexfile gives one pool per environment; the default min 2 is never reaped and knex has no round-trip check', () => {
  const r = run(
    obj(
      {
        development: obj({ client: str('pg', 2), connection: unknown('process.env.DB_CONNECTION', 3) }, 2),
        production: obj(
          {
            client: str('postgresql', 5),
            connection: obj({ host: str('pg.internal', 7), database: str('app', 8), password: str('pw-secret-1', 9) }, 6),
            pool: obj({ min: num(2, 11), max: num(10, 12) }, 10),
          },
          5,
        ),
      },
      1,
    ),
  );
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.pools.map((p) => [p.id, p.environment, p.engine, p.host]),
    [
      ['knex:knexfile.js#development', 'development', 'postgresql', undefined],
      ['knex:knexfile.js#production', 'production', 'postgresql', 'pg.internal'],
    ],
  );
  const prod = r.pools[1] as Pool;
  assert.equal(prod.name, 'knexfile.js (production)');
  assert.match(prod.environmentNote ?? '', /--env production or NODE_ENV=production/);
  assert.equal(prod.engineReason, 'client "postgresql" (knex-tarn.md, Syntax: client names)');
  assert.deepEqual(
    prod.idle.map((m) => [m.kind, m.setting.key, m.boundMs]),
    [
      ['idle-timeout', 'pool.idleTimeoutMillis', undefined],
      ['max-lifetime', 'pool.maxConnectionLifetimeMillis', undefined],
    ],
  );
  assert.match(prod.idle[0]?.note ?? '', /^pool\.min \(2\) connections are never reaped/);
  assert.equal(prod.validatesOnCheckout.value, false);
  assert.match(
    prod.validatesOnCheckout.fact,
    /no knex dialect sends a ping.*__knex__disposed flag set when the driver emitted error or end/,
  );
  // The development block uses the default min 2 too.
  const dev = r.pools[0] as Pool;
  assert.equal(dev.settings.get('pool.min')?.origin.kind, 'library-default');
  assert.match(dev.idle[0]?.note ?? '', /pool\.min \(2, the default\)/);
  // PostgreSQL has no wait_timeout, and the driver notices a server close: the missing validation is a note
  // (only a silent drop on the path would reach the application).
  const out = findings([prod], 'postgresql');
  assert.equal(out.length, 1);
  assert.match(
    out[0] as string,
    /^pool-missing-validation:note:\d+: Knex lends pooled connections without checking them \(pool\.validate is off\); its driver notices .* Set pool\.validate to a function that runs a query such as SELECT 1 \(knex 3\.2\.0 or later\)/,
  );
});

test('mysql2 with the default min: idle connections outlive wait_timeout; min 0 with the default idle timeout is quiet', () => {
  const pool = only(run(MYSQL(undefined)));
  assert.equal(pool.id, 'knex:knexfile.js');
  assert.deepEqual([pool.engine, pool.host, pool.library, pool.libraryName], ['mysql', 'db', 'knex', 'Knex']);
  assert.match(pool.validatesOnCheckout.fact, /mysql2 dialect tests !_fatalError, and from knex 0\.95\.14 also _protocolError/);
  // knex-tarn.md: a server's close reaches the client and the connection is replaced, "usually harmless ...
  // flag it as a warning"; the advice is the one the knowledge base gives (min 0 and an idle timeout).
  const out = findings([pool], 'mysql', 600);
  assert.equal(out.length, 1, out.join('\n'));
  assert.match(
    out[0] as string,
    /^pool-lifetime-exceeds-wait-timeout:warning:1: Nothing in knexfile\.js retires or pings idle connections \(pool\.idleTimeoutMillis: pool\.min \(2, the default\) connections are never reaped.* Set pool\.min to 0 and pool\.idleTimeoutMillis to 594000 \(594 s\) or lower\.$/,
  );

  const reaped = only(run(MYSQL({ min: num(0, 7) })));
  assert.equal(reaped.idle[0]?.boundMs, 31_000);
  assert.match(reaped.idle[0]?.note ?? '', /up to idleTimeoutMillis \+ reapIntervalMillis/);
  assert.deepEqual(findings([reaped], 'mysql', 600), []);
  // A wait_timeout under the reaper's reach: the advice names idleTimeoutMillis itself.
  const short = findings([reaped], 'mysql', 20);
  assert.match(
    short[0] as string,
    /^pool-lifetime-exceeds-wait-timeout:warning:\d+: pool\.idleTimeoutMillis is 30 s .* Set pool\.idleTimeoutMillis to 14000 \(14 s\) or lower\.$/,
  );
});

test('pool.validate and maxConnectionLifetimeMillis per knex version: silently replaced or fatal before 3.2.0, unknown when the version is', () => {
  const pool = (v?: string) =>
    run(MYSQL({ validate: fn(7), maxConnectionLifetimeMillis: num(300000, 8) }), v ? { version: version(v) } : {});
  const old = pool('3.1.0');
  assert.deepEqual(
    old.problems.map((p) => [p.severity, p.span.line, p.message.slice(0, 60)]),
    [
      ['warning', 7, 'pool.validate is ignored: knex 3.1.0 silently replaces it wi'],
      ['error', 8, 'pool.maxConnectionLifetimeMillis needs knex 3.2.0 or later: '],
    ],
  );
  assert.equal(only(old).validatesOnCheckout.value, false);

  const neu = only(pool('3.2.0'));
  assert.deepEqual(pool('3.2.0').problems, []);
  assert.equal(neu.validatesOnCheckout.value, true);
  assert.equal(neu.idle[1]?.boundMs, 300_000);
  assert.match(neu.idle[1]?.note ?? '', /checked when a connection is acquired/);
  assert.equal(neu.libraryVersion?.version, '3.2.0');

  const unknownVersion = pool();
  assert.deepEqual(
    unknownVersion.problems.map((p) => p.severity),
    ['note', 'warning'],
  );
  const u = only(unknownVersion);
  assert.equal(u.validatesOnCheckout.value, true);
  assert.match(u.validatesOnCheckout.fact, /not assumed off/);
  assert.equal(u.settings.get('pool.maxConnectionLifetimeMillis')?.value.kind, 'unknown');
  // No finding rests on an unknown written value.
  assert.deepEqual(findings([u], 'mysql', 60), []);
});

test('tarn rejects time options that are not integers above 0, and strings from the environment', () => {
  const r = run(
    MYSQL({
      min: num(0, 7),
      idleTimeoutMillis: num(0, 8),
      reapIntervalMillis: str('1000', 9),
      createTimeoutMillis: env('CREATE_TIMEOUT', 10, num(30000, 10)),
      destroyTimeoutMillis: env('DESTROY_TIMEOUT', 11, str('5000', 11), 'int'),
    }),
  );
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.span.line]),
    [
      ['error', 8],
      ['error', 9],
      ['error', 10],
    ],
  );
  assert.match(
    r.problems[0]?.message ?? '',
    /pool\.idleTimeoutMillis is 0, which tarn rejects: knex\(config\) throws "Tarn: invalid opt\.idleTimeoutMillis 0"/,
  );
  assert.match(r.problems[1]?.message ?? '', /"Tarn: invalid opt\.reapIntervalMillis "1000""/);
  assert.match(r.problems[2]?.message ?? '', /environment variable CREATE_TIMEOUT without converting it, so whenever it is set/);
  const pool = only(r);
  assert.equal(pool.settings.get('pool.idleTimeoutMillis')?.value.kind, 'unknown');
  assert.deepEqual(pool.settings.get('pool.destroyTimeoutMillis')?.value, { kind: 'duration', ms: 5000 });
  assert.equal(
    pool.settings.get('pool.destroyTimeoutMillis')?.key,
    'pool.destroyTimeoutMillis (from environment DESTROY_TIMEOUT, default "5000")',
  );
});

test('unsupported pool keys make knex() throw; min above the default max too', () => {
  const r = run(MYSQL({ min: num(20, 7), testOnBorrow: { kind: 'boolean', value: true, span: at(8) }, idleTimeout: num(1000, 9) }));
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.span.line, p.code]),
    [
      ['error', 7, undefined],
      ['error', 8, 'unknown-key'],
      ['error', 9, 'unknown-key'],
    ],
  );
  assert.match(
    r.problems[0]?.message ?? '',
    /pool\.min \(20\) is above pool\.max \(10, the default\).*"Tarn: opt\.max is smaller than opt\.min"/,
  );
  assert.match(
    r.problems[1]?.message ?? '',
    /knex logs "Pool config option "testOnBorrow" is no longer supported" and then knex\(config\) throws "Tarn: unsupported option opt\.testOnBorrow"/,
  );
  assert.match(r.problems[2]?.message ?? '', /Did you mean pool\.idleTimeoutMillis\?$/);
});

test('the acquire timeout: a pool value above 60000 is capped before knex 2.4.0, unknown without a version', () => {
  const config = MYSQL({ min: num(0, 7), acquireTimeoutMillis: num(120000, 8) });
  const unknownVersion = run(config);
  assert.equal(unknownVersion.problems.length, 1);
  assert.match(unknownVersion.problems[0]?.message ?? '', /knex before 2\.4\.0 silently caps the acquire timeout/);
  assert.match(only(unknownVersion).settings.get('pool.acquireTimeoutMillis')?.value.kind ?? '', /unknown/);
  const old = run(config, { version: version('2.3.0') });
  assert.deepEqual(only(old).settings.get('pool.acquireTimeoutMillis')?.value, { kind: 'duration', ms: 60000 });
  const neu = run(config, { version: version('2.5.1') });
  assert.deepEqual(neu.problems, []);
  assert.deepEqual(only(neu).settings.get('pool.acquireTimeoutMillis')?.value, { kind: 'duration', ms: 120000 });
  const zero = run(MYSQL(undefined, { acquireConnectionTimeout: num(0, 9) }), { version: version('3.1.0') });
  assert.match(zero.problems[0]?.message ?? '', /^acquireConnectionTimeout is 0, so knex\(config\) throws/);
});

test("Strapi's config/database.js: env() and env.int() are environment lookups with their defaults", () => {
  const envCall = (written: string, name: string, line: number, fallback?: JsValue) =>
    call(written, [str(name, line), ...(fallback ? [fallback] : [])], line);
  const config = fn(
    1,
    obj(
      {
        connection: obj(
          {
            client: str('mysql', 3),
            connection: obj(
              {
                host: envCall('env', 'DATABASE_HOST', 5, str('MySQL.internal', 5)),
                password: envCall('env', 'DATABASE_PASSWORD', 6, str('strapi-pw', 6)),
              },
              4,
            ),
            pool: obj(
              { min: envCall('env.int', 'DATABASE_POOL_MIN', 8, num(2, 8)), max: envCall('env.int', 'DATABASE_POOL_MAX', 9, num(10, 9)) },
              7,
            ),
            acquireConnectionTimeout: envCall('env.int', 'DATABASE_CONNECTION_TIMEOUT', 10, num(60000, 10)),
          },
          2,
        ),
      },
      1,
    ),
  );
  const r = knexPools({ path: 'config/database.js', config, source: 'strapi' });
  assert.deepEqual(r.problems, []);
  const pool = only(r);
  assert.equal(pool.id, 'knex:config/database.js');
  assert.deepEqual([pool.engine, pool.host], ['mysql', 'mysql.internal']);
  assert.equal(pool.settings.get('pool.min')?.key, 'pool.min (from environment DATABASE_POOL_MIN, default 2)');
  assert.deepEqual(pool.settings.get('pool.min')?.value, { kind: 'count', value: 2 });
  assert.equal(pool.idle[0]?.boundMs, undefined);
  // The v3 shape is listed as not modelled; a SQLite client gives no pool.
  const v3 = knexPools({ path: 'config/database.js', config: fn(1, obj({ defaultConnection: str('default', 2) }, 1)), source: 'strapi' });
  assert.match(v3.notPooled[0]?.reason ?? '', /Strapi v3/);
  const sqlite = knexPools({
    path: 'config/database.js',
    config: fn(1, obj({ connection: obj({ client: str('sqlite', 3), connection: obj({ filename: str('.tmp/data.db', 4) }, 4) }, 2) }, 1)),
    source: 'strapi',
  });
  assert.equal(sqlite.pools.length, 0);
  assert.match(sqlite.notPooled[0]?.reason ?? '', /SQLite: a local file/);
});

test('a knex() call: a NODE_ENV branch gives one pool per case, and no secret reaches a message', () => {
  const branch: JsValue = {
    kind: 'branch',
    variable: 'NODE_ENV',
    cases: [
      { when: 'production', value: obj({ min: num(0, 5) }, 5) },
      { when: null, value: obj({ min: num(2, 6) }, 6) },
    ],
    span: at(4),
  };
  const r = knexPools({
    path: 'src/db.ts',
    config: call(
      'knex',
      [obj({ client: str('mysql2', 2), connection: str('mysql://app:pw-secret-1@db.internal/app', 3), pool: branch }, 1)],
      1,
    ),
    source: 'call',
  });
  assert.deepEqual(
    r.pools.map((p) => [p.id, p.environment, p.host, p.idle[0]?.boundMs]),
    [
      ['knex:src/db.ts@1#production', 'production', 'db.internal', 31_000],
      ['knex:src/db.ts@1#NODE_ENV not production', 'NODE_ENV not production', 'db.internal', undefined],
    ],
  );
  assert.match(r.pools[0]?.environmentNote ?? '', /^when NODE_ENV is "production" \(knexfile\.js:4\)$/);
  assert.match(r.pools[0]?.name ?? '', /^knex\(\) at knexfile\.js:1 \(production\)$/);

  // Whole-config URL string, a missing client, and a case error: messages never hold the password.
  const errors = knexPools({
    path: 'src/db.ts',
    config: call('knex', [obj({ connection: obj({ host: str('db', 2), password: str('pw-secret-1', 3) }, 2) }, 1)], 1),
    source: 'call',
  });
  assert.match(
    errors.problems[0]?.message ?? '',
    /no client, so knex\(config\) throws "knex: Required configuration option 'client' is missing\."/,
  );
  const bad = run(obj({ client: str('MySQL2', 2), connection: str('mysql://app:pw-secret-1@db/app', 3) }, 1));
  assert.match(bad.problems[0]?.message ?? '', /Client names are case-sensitive: write "mysql2"/);
  const whole = knexPools({ path: 'src/db.ts', config: call('knex', [str('mysql://app:pw-secret-1@db/app', 1)], 1), source: 'call' });
  assert.deepEqual([only(whole).engine, only(whole).host], ['mysql', 'db']);
  for (const p of [...r.problems, ...errors.problems, ...bad.problems, ...whole.problems]) assert.doesNotMatch(p.message, /pw-secret/);
  for (const f of findings([...r.pools, ...whole.pools], 'mysql', 60)) assert.doesNotMatch(f, /pw-secret/);
});

test('no pool: SQLite, no connection, pool.max 0, connectionPool; an unknown client leaves the server uncertain', () => {
  const r = run(
    obj(
      {
        test: obj({ client: str('sqlite3', 2), connection: obj({ filename: str(':memory:', 3) }, 3) }, 2),
        ci: obj({ client: str('pg', 4) }, 4),
        off: obj({ client: str('pg', 5), connection: str('postgres://db/app', 5), pool: obj({ max: num(0, 6) }, 6) }, 5),
        ext: obj({ client: str('pg', 7), connectionPool: unknown('new Pool()', 7) }, 7),
        prod: obj(
          {
            client: env('KNEX_CLIENT', 8),
            connection: obj({ host: env('KNEX_HOST', 9) }, 9),
            pool: obj({ min: num(0, 10), max: num(10, 10) }, 10),
          },
          8,
        ),
      },
      1,
    ),
  );
  assert.deepEqual(
    r.notPooled.map((n) => [n.name, n.reason.slice(0, 40)]),
    [
      ['knexfile.js (test)', 'client "sqlite3" is SQLite: a local file'],
      ['knexfile.js (ci)', 'no connection is configured, so knex cre'],
      ['knexfile.js (off)', 'pool.max is 0: knex creates no pool'],
      ['knexfile.js (ext)', 'connectionPool hands knex a pool built e'],
    ],
  );
  assert.equal(r.problems.length, 1);
  const prod = only(r);
  assert.equal(prod.engine, undefined);
  assert.match(
    prod.serverUncertain ?? '',
    /^the client is not known here \(client \(from environment KNEX_CLIENT\): it comes from environment variable KNEX_CLIENT/,
  );
  assert.match(findings([prod])[0] as string, /^pool-missing-validation:note:/);
});

test('the driver keepalive comes from the callback, with the client as written and the connection value', () => {
  const seen: string[] = [];
  const pool = only(
    run(MYSQL(undefined), {
      driverKeepalive: (client, connection) => {
        seen.push(`${client}:${connection?.kind}`);
        return { driver: 'mysql2', value: true, fact: 'mysql2.md: on by default since 2.1.0' };
      },
    }),
  );
  assert.deepEqual(seen, ['mysql2:object']);
  assert.equal(pool.tcpKeepalive?.value, true);
  assert.equal(only(run(MYSQL(undefined))).tcpKeepalive, undefined);
});

test('since: an exact version or a package.json range is known only when every version it allows agrees', () => {
  assert.equal(since('3.1.0', '3.2.0'), false);
  assert.equal(since('3.2.0', '3.2.0'), true);
  assert.equal(since('~3.1.0', '3.2.0'), false);
  assert.equal(since('^3.2.1', '3.2.0'), true);
  assert.equal(since('^3.1.0', '3.2.0'), undefined);
  assert.equal(since('>=2.4.0', '2.4.0'), true);
  assert.equal(since('latest', '3.2.0'), undefined);
  assert.equal(since(undefined, '3.2.0'), undefined);
});
