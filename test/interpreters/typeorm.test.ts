import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyConfig } from '../../src/config/config.js';
import { RULES } from '../../src/engine/registry.js';
import { runRules } from '../../src/engine/run.js';
import type { JsValue } from '../../src/interpreters/js/value.js';
import { KEEPALIVE_TIME, linuxDefault } from '../../src/interpreters/linux/keepalive.js';
import { defaultServer } from '../../src/interpreters/mysql/server.js';
import { type TypeormInput, typeormEnvOptions, typeormPools } from '../../src/interpreters/typeorm/data-source.js';
import { assembleModel } from '../../src/model/assemble.js';
import type { Engine, Pool } from '../../src/model/model.js';
import { lineSpan, type Span } from '../../src/model/span.js';

// Options as the evaluator leaves them, one per line of an imagined src/data-source.ts (or an ormconfig).
const FILE = 'src/data-source.ts';
const at = (line: number, column = 3, length = 12): Span => lineSpan(FILE, line, column, length);
const num = (value: number, line: number): JsValue => ({ kind: 'number', value, span: at(line) });
const str = (value: string, line: number): JsValue => ({ kind: 'string', value, span: at(line) });
const obj = (props: Record<string, JsValue>, line = 1): JsValue => ({
  kind: 'object',
  properties: Object.entries(props).map(([key, value]) => ({ key, value, span: value.span, keySpan: value.span })),
  span: at(line, 30, 5),
});
const version = (v: string) => ({ version: v, span: lineSpan('package.json', 5, 5, 10) });

function run(options: JsValue, more: Partial<TypeormInput> = {}) {
  return typeormPools({ path: FILE, options, source: 'DataSource', ...more });
}
function only(r: ReturnType<typeof typeormPools>): Pool {
  assert.equal(r.pools.length, 1, JSON.stringify(r.notPooled));
  return r.pools[0] as Pool;
}
function findings(pools: Pool[], waitSeconds?: number, engine: Engine = 'mysql') {
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

// lujakob/nestjs-realworld-example-app ormconfig.json.example, as JSON values.
const REALWORLD = obj(
  {
    type: str('mysql', 2),
    host: str('localhost', 3),
    port: num(3306, 4),
    username: str('your-mysql-username', 5),
    password: str('your-mysql-password', 6),
    database: str('nestjsrealworld', 7),
  },
  1,
);

test('ormconfig of a 0.x project: mysql or mysql2 is not known, so checkout validation is not assumed off', () => {
  const r = run(REALWORLD, { source: 'ormconfig' });
  const p = only(r);
  assert.deepEqual(r.problems, []);
  assert.equal(p.id, 'typeorm:src/data-source.ts@default');
  assert.deepEqual([p.library, p.libraryName, p.engine, p.host], ['typeorm', 'TypeORM (mysql or mysql2)', 'mysql', 'localhost']);
  assert.match(
    p.engineReason ?? '',
    /^type "mysql" at src\/data-source\.ts:2; the pool is the driver's, not TypeORM's: TypeORM 0\.x loads mysql when it is installed/,
  );
  assert.equal(p.validatesOnCheckout.value, true);
  assert.match(p.validatesOnCheckout.fact, /version unknown, so validation on checkout is not assumed off/);
  assert.equal(p.tcpKeepalive, undefined);
  assert.ok(!JSON.stringify(p).includes('your-mysql-password'));
});

test('TypeORM 1.x loads mysql2: extra wins over poolSize; mysql2 3.14 retires idle connections only with maxIdle below the limit', () => {
  const options = obj({
    type: str('mysql', 2),
    url: str('mysql://app:pw-secret@DB:3306/shop?connectTimeout=1000', 3),
    poolSize: num(7, 4),
    extra: obj({ connectionLimit: num(3, 6), maxIdle: num(0, 7), idleTimeout: num(30_000, 8) }, 5),
  });
  const r = run(options, { version: version('1.1.0'), driverVersion: version('3.14.0') });
  const p = only(r);
  assert.equal(p.libraryName, 'TypeORM (mysql2)');
  assert.equal(p.host, 'db');
  assert.deepEqual(p.settings.get('connectionLimit')?.value, { kind: 'count', value: 3 });
  assert.equal(p.settings.get('connectionLimit')?.key, 'extra.connectionLimit');
  assert.deepEqual(
    p.idle.map((m) => [m.kind, m.setting.key, m.boundMs]),
    [['idle-timeout', 'extra.idleTimeout', 31_000]],
  );
  assert.match(r.problems[0]?.message ?? '', /^url has query options \(connectTimeout\) that TypeORM drops/);
  assert.ok(!JSON.stringify(p).includes('pw-secret'));
  assert.equal(p.validatesOnCheckout.value, false);
  assert.deepEqual(findings([p], 600), []);
  const out = findings([p], 20);
  assert.match(out[0] ?? '', /^pool-lifetime-exceeds-wait-timeout:error:8: extra\.idleTimeout is 30 s but wait_timeout is 20 s/);
});

test('TypeORM with mysql2 defaults: both rules fire; with the mysql package its ping on checkout is enough', () => {
  const defaults = only(run(REALWORLD, { version: version('0.3.20'), driverPackage: 'mysql2', driverVersion: version('3.9.7') }));
  assert.equal(defaults.libraryName, 'TypeORM (mysql2)');
  assert.match(defaults.idle[0]?.note ?? '', /^extra\.maxIdle \(10\) is not below extra\.connectionLimit \(10\)/);
  const out = findings([defaults], 600);
  assert.deepEqual(
    out.map((f) => f.split(':').slice(0, 2).join(':')),
    ['pool-lifetime-exceeds-wait-timeout:error', 'pool-missing-validation:warning'],
  );
  assert.match(
    out[1] ?? '',
    /^pool-missing-validation:warning:1: TypeORM \(mysql2\) lends pooled connections without checking them .*set extra\.maxIdle to 0 and extra\.idleTimeout to 595000/,
  );
  const mysqljs = only(run(REALWORLD, { version: version('0.3.20'), driverPackage: 'mysql', driverVersion: version('2.18.1') }));
  assert.equal(mysqljs.validatesOnCheckout.value, true);
  assert.deepEqual(findings([mysqljs], 600), []);
});

test('poolSize before 0.3.10 is ignored; acquireTimeout with mysql2 is warned about', () => {
  const r = run(obj({ type: str('mysql', 2), poolSize: num(20, 3), acquireTimeout: num(5000, 4) }), {
    version: version('0.3.9'),
    driverPackage: 'mysql2',
  });
  const p = only(r);
  assert.deepEqual(p.settings.get('connectionLimit')?.value, { kind: 'count', value: 10 });
  assert.deepEqual(
    r.problems.map((x) => x.span.line),
    [4, 3],
  );
  assert.match(
    r.problems[0]?.message ?? '',
    /^acquireTimeout is not a mysql2 option .*Ignoring invalid configuration option passed to Connection: acquireTimeout/,
  );
  assert.match(r.problems[1]?.message ?? '', /^poolSize is ignored: TypeORM 0\.3\.9 maps poolSize to the pool only from 0\.3\.10/);
});

test('sqlite, a type from the environment and the Data API are not pooled; an array gives one pool per name', () => {
  const sqlite = run(obj({ type: str('sqlite', 2), database: str('db/database.sqlite', 3) }), { source: 'ormconfig' });
  assert.match(sqlite.notPooled[0]?.reason ?? '', /^type "sqlite": a local SQLite database/);
  const fromEnv = run(obj({ type: { kind: 'env', name: 'DATABASE_TYPE', span: at(2) } }));
  assert.match(fromEnv.notPooled[0]?.reason ?? '', /^type is it comes from environment variable DATABASE_TYPE/);
  const api = run(obj({ type: str('aurora-mysql', 2) }));
  assert.match(api.notPooled[0]?.reason ?? '', /RDS Data API/);
  const two = run(
    {
      kind: 'array',
      items: [obj({ name: str('default', 2), type: str('mysql', 3) }, 1), obj({ name: str('reports', 5), type: str('postgres', 6) }, 4)],
      span: at(1),
    },
    { source: 'ormconfig', version: version('0.2.45') },
  );
  assert.deepEqual(
    two.pools.map((p) => [p.id, p.engine]),
    [
      ['typeorm:src/data-source.ts@default', 'mysql'],
      ['typeorm:src/data-source.ts@reports', 'postgresql'],
    ],
  );
});

test('forRootAsync reads the literal useFactory returns; forRoot without type falls back to ormconfig', () => {
  const factory: JsValue = { kind: 'function', returns: obj({ type: str('mariadb', 3) }, 2), span: at(2) };
  const r = typeormPools({
    path: FILE,
    options: obj({ useFactory: factory, inject: { kind: 'array', items: [], span: at(4) } }),
    source: 'forRootAsync',
  });
  assert.equal(only(r).engine, 'mariadb');
  const opaque = typeormPools({ path: FILE, options: obj({ useFactory: { kind: 'function', span: at(2) } }), source: 'forRootAsync' });
  assert.match(opaque.notPooled[0]?.reason ?? '', /^useFactory's body is not a single returned object/);
  const noType = typeormPools({ path: FILE, options: obj({ host: str('db', 2) }), source: 'forRoot' });
  assert.match(noType.notPooled[0]?.reason ?? '', /@nestjs\/typeorm up to 8\.0\.x then calls createConnection\(\) with no options/);
});

test('postgres: pg-pool evicts idle clients after idleTimeoutMillis (10 s), 0 keeps them; keepAlive from extra', () => {
  const p = only(run(obj({ type: str('postgres', 2), host: str('PG', 3) }), { version: version('0.3.31') }));
  assert.deepEqual([p.libraryName, p.engine, p.host], ['TypeORM (pg)', 'postgresql', 'pg']);
  assert.deepEqual(
    p.idle.map((m) => [m.setting.key, m.boundMs]),
    [['extra.idleTimeoutMillis', 10_000]],
  );
  assert.deepEqual([p.validatesOnCheckout.value, p.tcpKeepalive?.value], [false, false]);
  const forever = only(
    run(
      obj({
        type: str('postgres', 2),
        extra: obj({ idleTimeoutMillis: num(0, 4), keepAlive: { kind: 'boolean', value: true, span: at(5) } }, 3),
      }),
      {
        version: version('0.3.31'),
      },
    ),
  );
  assert.equal(forever.idle[0]?.boundMs, undefined);
  assert.equal(forever.idle[0]?.note, 'extra.idleTimeoutMillis 0 keeps idle clients forever');
  assert.equal(forever.tcpKeepalive?.value, true);
  assert.deepEqual(
    findings([forever], undefined, 'postgresql').map((f) => f.split(':')[0]),
    ['pool-missing-validation'],
  );
});

test('TYPEORM_* variables of an .env file (w3tecch/express-typescript-boilerplate) become a postgres data source', () => {
  const ENV = '.env';
  const v = (value: string, line: number) => ({ value, span: lineSpan(ENV, line, 1, 20) });
  const vars = new Map([
    ['TYPEORM_CONNECTION', v('postgres', 20)],
    ['TYPEORM_HOST', v('localhost', 21)],
    ['TYPEORM_PORT', v('5432', 22)],
    ['TYPEORM_PASSWORD', v('', 24)],
  ]);
  const options = typeormEnvOptions(vars, lineSpan(ENV, 20, 1, 1));
  assert.ok(options);
  const p = only(typeormPools({ path: ENV, options, source: 'ormconfig' }));
  assert.deepEqual([p.engine, p.host], ['postgresql', 'localhost']);
  assert.equal(typeormEnvOptions(new Map([['TYPEORM_HOST', v('x', 1)]]), lineSpan(ENV, 1, 1, 1)), undefined);
});
