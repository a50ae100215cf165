import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyConfig } from '../../src/config/config.js';
import { RULES } from '../../src/engine/registry.js';
import { runRules } from '../../src/engine/run.js';
import type { JsValue } from '../../src/interpreters/js/value.js';
import { KEEPALIVE_TIME, linuxDefault } from '../../src/interpreters/linux/keepalive.js';
import { defaultServer } from '../../src/interpreters/mysql/server.js';
import { type TypeormInput, typeormPools } from '../../src/interpreters/typeorm/data-source.js';
import { yamlToJsValue } from '../../src/interpreters/js/yaml-value.js';
import {
  activatesEnvReader,
  agreedVariables,
  dotenv16Variables,
  type EnvVariable,
  legacyDotenvVariables,
  typeormEnvOptions,
} from '../../src/interpreters/typeorm/env-reader.js';
import { ymlConnections } from '../../src/interpreters/typeorm/ormconfig-yml.js';
import { type OrmconfigExt, readerDecisions } from '../../src/interpreters/typeorm/reader.js';
import { versionInterval } from '../../src/interpreters/node-mysql/versions.js';
import { parseDotenvNode } from '../../src/parsers/dotenv-node.js';
import { parseYaml } from '../../src/parsers/yaml.js';
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
  assert.match(out[0] ?? '', /^pool-lifetime-exceeds-wait-timeout:warning:8: extra\.idleTimeout is 30 s but wait_timeout is 20 s/);
});

test('TypeORM with mysql2 defaults: idle connections outlive wait_timeout (a warning, the driver notices the close); with the mysql package its ping on checkout is enough', () => {
  const defaults = only(run(REALWORLD, { version: version('0.3.20'), driverPackage: 'mysql2', driverVersion: version('3.9.7') }));
  assert.equal(defaults.libraryName, 'TypeORM (mysql2)');
  assert.match(defaults.idle[0]?.note ?? '', /^extra\.maxIdle \(10\) is not below extra\.connectionLimit \(10\)/);
  const out = findings([defaults], 600);
  // mysql2 removes a connection whose socket the server closed (mysql2.md, Model): a warning, and no
  // missing-validation finding against wait_timeout alone.
  assert.deepEqual(
    out.map((f) => f.split(':').slice(0, 2).join(':')),
    ['pool-lifetime-exceeds-wait-timeout:warning'],
  );
  assert.match(
    out[0] ?? '',
    /^pool-lifetime-exceeds-wait-timeout:warning:1: Nothing in .* TypeORM \(mysql2\)'s driver notices the server's close .*Set extra\.maxIdle to 0 and extra\.idleTimeout to 594000 \(594 s\) or lower\.$/,
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
    [
      ['extra.idleTimeoutMillis', 10_000],
      ['extra.maxLifetimeSeconds', undefined],
    ],
  );
  assert.deepEqual([p.validatesOnCheckout.value, p.tcpKeepalive?.value], [false, false]);
  // node-postgres notices a server's FATAL and close (postgresql.md), as for Prisma's adapter-pg.
  assert.match(p.validatesOnCheckout.noticesServerClose ?? '', /node-postgres notices/);
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
  assert.match(forever.idle[0]?.note ?? '', /^extra\.idleTimeoutMillis is 0, so pg\.Pool never evicts idle clients/);
  assert.equal(forever.tcpKeepalive?.value, true);
  assert.deepEqual(
    findings([forever], undefined, 'postgresql').map((f) => f.split(':')[0]),
    ['pool-missing-validation'],
  );
});

test('postgres: extra is read by the node-postgres reader, keys as written; min and maxLifetimeSeconds depend on pg-pool', () => {
  const pg = (extra: Record<string, JsValue>, more: Partial<TypeormInput> = {}) =>
    run(obj({ type: str('postgres', 2), extra: obj(extra, 3) }), { version: version('0.3.31'), ...more });
  // min spares clients only from pg-pool 3.10.0, and pg's version does not say which pg-pool is installed.
  const withMin = only(pg({ idleTimeoutMillis: num(30_000, 4), min: num(2, 5) }, { driverVersions: { pg: version('8.20.0') } }));
  const idle = withMin.idle.find((m) => m.kind === 'idle-timeout');
  assert.equal(idle?.setting.key, 'extra.idleTimeoutMillis');
  assert.equal(idle?.boundMs, undefined);
  assert.match(idle?.setting.value.kind === 'unknown' ? idle.setting.value.reason : '', /extra\.min \(2\).*not known here/);
  // pg 8.7.2 and later require pg-pool 3.5.0: maxLifetimeSeconds is read; an older pg leaves it unknown.
  const life = (pgVersion: string) =>
    only(pg({ maxLifetimeSeconds: num(600, 4) }, { driverVersions: { pg: version(pgVersion) } })).idle.find(
      (m) => m.kind === 'max-lifetime',
    );
  assert.equal(life('8.20.0')?.boundMs, 600_000);
  assert.equal(life('8.6.0')?.boundMs, undefined);
  assert.equal(life('8.6.0')?.setting.value.kind, 'unknown');
  // max 0 becomes 10 (pg-pool `max || poolSize || 10`), named as written.
  const zero = pg({ max: num(0, 4) });
  assert.deepEqual(only(zero).settings.get('max')?.value, { kind: 'count', value: 10 });
  assert.deepEqual(
    zero.problems.map((p) => p.message.split(',')[0]),
    ['extra.max is 0'],
  );
});

test('TYPEORM_* variables of an .env file (w3tecch/express-typescript-boilerplate) become a postgres data source', () => {
  const ENV = '.env';
  const v = (value: string, line: number) => ({ value, span: lineSpan(ENV, line, 1, 20), keySpan: lineSpan(ENV, line, 1, 5) });
  const vars = new Map([
    ['TYPEORM_CONNECTION', v('postgres', 20)],
    ['TYPEORM_HOST', v('localhost', 21)],
    ['TYPEORM_PORT', v('5432', 22)],
    ['TYPEORM_PASSWORD', v('', 24)],
  ]);
  const env = typeormEnvOptions(vars, lineSpan(ENV, 20, 1, 1));
  assert.ok(env);
  const p = only(typeormPools({ path: ENV, options: env.options, source: 'env' }));
  assert.deepEqual([p.engine, p.host], ['postgresql', 'localhost']);
  assert.equal(typeormEnvOptions(new Map([['TYPEORM_HOST', v('x', 1)]]), lineSpan(ENV, 1, 1, 1)), undefined);
});

// ---------------------------------------------------------------------------------------------
// ormconfig.yml: js-yaml's reading of the text, the connections the reader makes of it

function yml(text: string, path = 'ormconfig.yml') {
  const parsed = parseYaml(path, text);
  return { parsed, ...ymlConnections(parsed.file, parsed.problems) };
}
function prop(v: JsValue | undefined, ...keys: string[]): JsValue | undefined {
  let at = v;
  for (const k of keys) at = at?.kind === 'object' ? at.properties.find((p) => p.key === k)?.value : undefined;
  return at;
}

test('yaml-value reads plain scalars as js-yaml does; where js-yaml 3 and 4 disagree the value is unknown', () => {
  const { parsed } = yml(
    'a: 60_000\nb: 0x1F\nc: 010\nd: 1:30\ne: "600"\nf: !!str 12\ng: True\nh: ~\ni: 2024-01-02\nj: 1e3\nk: 10.0.0.1\nl: 0o17\nm: .5\n',
  );
  const root = parsed.file.documents[0]?.root;
  const v = yamlToJsValue(parsed.file, root, lineSpan('ormconfig.yml', 1, 1, 1));
  const get = (k: string) => {
    const x = prop(v, k);
    return x?.kind === 'unknown' ? `unknown: ${x.reason}` : x && 'value' in x ? x.value : x?.kind;
  };
  assert.equal(get('a'), 60_000);
  assert.equal(get('b'), 31);
  assert.match(String(get('c')), /^unknown: js-yaml 3 reads "010" as 8 and js-yaml 4 as 10/);
  assert.match(String(get('d')), /^unknown: js-yaml 3 reads "1:30" as 90 and js-yaml 4 as the string "1:30"/);
  assert.equal(get('e'), '600');
  assert.equal(get('f'), '12');
  assert.equal(get('g'), true);
  assert.equal(get('h'), 'null');
  assert.match(String(get('i')), /timestamp \(a Date object\)/);
  assert.equal(get('j'), 1000);
  assert.equal(get('k'), '10.0.0.1');
  assert.match(String(get('l')), /^unknown: js-yaml 3 reads "0o17" as the string "0o17" and js-yaml 4 as 15/);
  assert.equal(get('m'), 0.5);
  // Spans: the value as written, the property from its key to its value.
  const a = v.kind === 'object' ? v.properties[0] : undefined;
  assert.deepEqual(a?.value.span, { path: 'ormconfig.yml', line: 1, column: 4, endLine: 1, endColumn: 10 });
  assert.deepEqual(a?.span, { path: 'ormconfig.yml', line: 1, column: 1, endLine: 1, endColumn: 10 });
});

test('ormconfig.yml: each top-level key is a connection named by it (a name inside wins); merge keys as js-yaml merges them', () => {
  const text = [
    'default: &base', //              1
    '  type: mysql', //               2
    '  host: db', //                  3
    '  extra:', //                    4
    '    connectionLimit: 10', //     5
    'reports:', //                    6
    '  <<: *base', //                 7
    '  name: analytics', //           8
    '  host: replica', //             9
    '',
  ].join('\n');
  const { connections, problems } = yml(text);
  assert.deepEqual(problems, []);
  const r = typeormPools({ path: 'ormconfig.yml', options: connections as JsValue, source: 'ormconfig', version: version('0.2.45') });
  assert.deepEqual(
    r.pools.map((p) => [p.id, p.host, p.settings.get('connectionLimit')?.origin.kind === 'file' ? 'written' : 'default']),
    [
      ['typeorm:ormconfig.yml@default', 'db', 'written'],
      ['typeorm:ormconfig.yml@analytics', 'replica', 'written'],
    ],
  );
  // The merged extra points where it is written: under the anchor.
  const analytics = r.pools[1] as Pool;
  const origin = analytics.settings.get('connectionLimit')?.origin;
  assert.equal(origin?.kind === 'file' ? origin.span.line : 0, 5);
  // A top-level list gives connections "0", "1" ...
  const list = yml('- type: postgres\n  host: pg\n');
  const pg = typeormPools({ path: 'ormconfig.yml', options: list.connections as JsValue, source: 'ormconfig' });
  assert.deepEqual(
    pg.pools.map((p) => p.id),
    ['typeorm:ormconfig.yml@0'],
  );
});

test('ormconfig.yml that js-yaml cannot load gives no connections: several documents, syntax errors, duplicate keys', () => {
  const two = yml('default:\n  type: mysql\n---\nother:\n  type: mysql\n');
  assert.equal(two.connections, undefined);
  assert.match(
    two.problems[0]?.message ?? '',
    /holds more than one YAML document, and TypeORM's reader \(js-yaml's load\) accepts only one/,
  );
  assert.equal(two.problems[0]?.span.line, 3);
  const dup = yml('default:\n  type: mysql\n  type: postgres\n');
  assert.equal(dup.connections, undefined);
  assert.match(dup.reason ?? '', /not valid YAML for js-yaml/);
  assert.match(dup.parsed.problems[0]?.message ?? '', /key "type" appears twice/);
  assert.match(yml('# nothing yet\n').reason ?? '', /empty/);
  assert.match(yml('just a string\n').reason ?? '', /not a mapping of connection names/);
});

// ---------------------------------------------------------------------------------------------
// TYPEORM_* variables: which dotenv reads them, and the options the env reader builds

test('dotenv 5–6, 8 and 16 read the same .env differently: inline comments, quotes, export', () => {
  const text = [
    'TYPEORM_CONNECTION=mysql', //                 1
    'TYPEORM_HOST=db # the database', //           2
    'TYPEORM_DATABASE="shop" ', //                 3
    "TYPEORM_USERNAME='api", //                    4
    'export TYPEORM_PORT=3307', //                 5
    'TYPEORM_SCHEMA = "a\\nb"', //                 6
    '',
  ].join('\r\n');
  const v5 = legacyDotenvVariables('.env', text, 'dotenv5');
  const v8 = legacyDotenvVariables('.env', text, 'dotenv8');
  const v16 = dotenv16Variables(parseDotenvNode('.env', text).doc);
  const values = (m: Map<string, EnvVariable>) =>
    ['TYPEORM_HOST', 'TYPEORM_DATABASE', 'TYPEORM_USERNAME', 'TYPEORM_PORT', 'TYPEORM_SCHEMA'].map((k) => m.get(k)?.value);
  assert.deepEqual(values(v5), ['db # the database', 'shop"', 'api', undefined, 'a\nb']);
  assert.deepEqual(values(v8), ['db # the database', '"shop"', "'api", undefined, 'a\nb']);
  assert.deepEqual(values(v16), ['db', 'shop', "'api", '3307', 'a\nb']);
  // Spans: the value as written; exact character spans where the value is written as itself.
  assert.deepEqual(v8.get('TYPEORM_HOST')?.span, { path: '.env', line: 2, column: 14, endLine: 2, endColumn: 31 });
  assert.deepEqual(v8.get('TYPEORM_HOST')?.spanOf?.(0, 2), { path: '.env', line: 2, column: 14, endLine: 2, endColumn: 16 });
  assert.deepEqual(v5.get('TYPEORM_DATABASE')?.spanOf?.(0, 4), { path: '.env', line: 3, column: 19, endLine: 3, endColumn: 23 });
  const agreed = agreedVariables([
    { flavor: 'dotenv8', vars: v8 },
    { flavor: 'dotenv16', vars: v16 },
  ]);
  assert.equal(agreed.get('TYPEORM_CONNECTION')?.unknown, undefined);
  assert.match(agreed.get('TYPEORM_HOST')?.unknown ?? '', /read TYPEORM_HOST differently \(quotes, an inline comment\)/);
  assert.match(
    agreed.get('TYPEORM_PORT')?.unknown ?? '',
    /^dotenv 8 \(TypeORM 0\.2\.26–0\.2\.45\) does not read the line that sets TYPEORM_PORT/,
  );
  assert.ok(activatesEnvReader(v8, true));
  assert.ok(!activatesEnvReader(new Map([['TYPEORM_URL', { value: 'mysql://db/x', span: at(1), keySpan: at(1) }]]), false));
});

const ENV = '.env';
const envVar = (value: string, line: number, column = 1): EnvVariable => {
  const key = lineSpan(ENV, line, column, 10);
  const start = column + 11;
  return {
    value,
    keySpan: key,
    span: lineSpan(ENV, line, start, value.length),
    spanOf: (a, b) => lineSpan(ENV, line, start + a, b - a),
  };
};

test('TYPEORM_DRIVER_EXTRA is JSON: its keys point into the .env line; messages name the variables', () => {
  const extra = '{"connectionLimit": 10, "maxIdle": 0, "idleTimeout": 900000}';
  const vars = new Map([
    ['TYPEORM_CONNECTION', envVar('mysql', 1)],
    ['TYPEORM_URL', envVar('mysql://api:s3cret-Env@db:3306/shop?connectTimeout=5', 2)],
    ['TYPEORM_PASSWORD', envVar('an0ther-Secret', 3)],
    ['TYPEORM_DRIVER_EXTRA', envVar(extra, 4)],
  ]);
  const env = typeormEnvOptions(vars, lineSpan(ENV, 1, 1, 18));
  assert.ok(env);
  assert.deepEqual(env.problems, []);
  const r = typeormPools({
    path: ENV,
    options: env.options,
    source: 'env',
    version: version('0.2.45'),
    driverPackage: 'mysql2',
    driverVersions: { mysql2: version('3.14.0') },
  });
  const p = only(r);
  assert.equal(p.host, 'db');
  const idle = p.settings.get('idleTimeout');
  assert.equal(idle?.key, 'TYPEORM_DRIVER_EXTRA.idleTimeout');
  assert.deepEqual(idle?.origin.kind === 'file' ? idle.origin.span : undefined, lineSpan(ENV, 4, 12 + extra.indexOf('"idleTimeout"'), 21));
  assert.match(
    r.problems[0]?.message ?? '',
    /^TYPEORM_URL has query options \(connectTimeout\) that TypeORM drops: .* Move them to TYPEORM_DRIVER_EXTRA$/,
  );
  const out = findings([p], 600);
  assert.match(
    out.find((f) => f.startsWith('pool-lifetime-exceeds-wait-timeout')) ?? '',
    /:4: TYPEORM_DRIVER_EXTRA\.idleTimeout is 15 min/,
  );
  const text = JSON.stringify([p, r.problems, out]);
  assert.ok(!text.includes('s3cret-Env') && !text.includes('an0ther-Secret'), text);
});

test('TYPEORM_* that stop TypeORM at start-up: invalid TYPEORM_DRIVER_EXTRA JSON, a URL scheme that is no driver', () => {
  const bad = typeormEnvOptions(
    new Map([
      ['TYPEORM_CONNECTION', envVar('mysql', 1)],
      ['TYPEORM_DRIVER_EXTRA', envVar("{'connectionLimit': 5}", 2)],
    ]),
    lineSpan(ENV, 1, 1, 18),
  );
  assert.match(
    bad?.problems[0]?.message ?? '',
    /^TYPEORM_DRIVER_EXTRA is not valid JSON \(expected a property name in double quotes but found a single quote/,
  );
  assert.equal(bad?.problems[0]?.severity, 'error');
  const scheme = typeormEnvOptions(new Map([['TYPEORM_URL', envVar('postgresql://api:pw@pg/shop', 1)]]), lineSpan(ENV, 1, 1, 11));
  assert.match(
    scheme?.problems[0]?.message ?? '',
    /TYPEORM_URL's scheme, "postgresql", which is not a TypeORM driver.*Set TYPEORM_CONNECTION=postgres$/,
  );
  const noScheme = typeormEnvOptions(new Map([['TYPEORM_URL', envVar('api:Pw-9secret@pg/shop', 1)]]), lineSpan(ENV, 1, 1, 11));
  assert.match(noScheme?.problems[0]?.message ?? '', /the whole of TYPEORM_URL \(it has no ":\/\/"\)/);
  assert.ok(!JSON.stringify(noScheme?.problems).includes('Pw-9secret'));
  assert.equal(typeormEnvOptions(new Map([['TYPEORM_HOST', envVar('db', 1)]]), lineSpan(ENV, 1, 1, 1)), undefined);
});

// ---------------------------------------------------------------------------------------------
// ConnectionOptionsReader: which file of a root TypeORM uses, per version

function decide(
  files: string[],
  opts: {
    activates?: (file: string, flavor: string, url: boolean) => boolean;
    version?: string;
    range?: string;
    explicitOnly?: string;
  } = {},
) {
  const exts = new Set(files.filter((f) => f.startsWith('ormconfig.')).map((f) => f.slice('ormconfig.'.length) as OrmconfigExt));
  const interval = opts.version ? versionInterval(opts.version) : opts.range ? versionInterval(opts.range) : undefined;
  const d = readerDecisions({
    root: { ormconfig: exts, hasDotEnv: files.includes('.env'), activates: opts.activates ?? (() => false) },
    versions: {
      ...(interval ? { interval } : {}),
      ...(opts.version || opts.range ? { label: opts.version ?? opts.range } : {}),
      declared: Boolean(opts.version),
    },
    ...(opts.explicitOnly ? { explicitOnly: opts.explicitOnly } : {}),
  });
  return Object.fromEntries([...d].map(([f, x]) => [f, `${x.owner ?? 'not read'}: ${x.reason}`]));
}

test('npm ranges as version intervals (versionInterval, through semver-range.ts)', () => {
  assert.deepEqual(versionInterval('^0.2.24'), { lo: [0, 2, 24], hi: [0, 3, 0] });
  assert.deepEqual(versionInterval('~0.3.10'), { lo: [0, 3, 10], hi: [0, 4, 0] });
  assert.deepEqual(versionInterval('^1.0.0'), { lo: [1, 0, 0], hi: [2, 0, 0] });
  assert.deepEqual(versionInterval('0.2.45'), { lo: [0, 2, 45], hi: [0, 2, 46] });
  assert.deepEqual(versionInterval('0.3.x'), { lo: [0, 3, 0], hi: [0, 4, 0] });
  assert.deepEqual(versionInterval('>=0.2.0 <0.3.14'), { lo: [0, 2, 0], hi: [0, 3, 14] });
  // Touching parts of a union are one interval; a gap is not.
  assert.deepEqual(versionInterval('^0.2.0 || ^0.3.0'), { lo: [0, 2, 0], hi: [0, 4, 0] });
  for (const x of ['*', 'latest', '^0.1.0 || ^0.3.0', 'github:typeorm/typeorm']) assert.equal(versionInterval(x), undefined, x);
});

test('reader: ormconfig.yml alone is read by the versions that find it; a declared 0.3.14+ or 0.2.32–0.2.34 does not read it', () => {
  assert.match(
    decide(['ormconfig.yml'])['ormconfig.yml'] ?? '',
    /^certain: TypeORM's ormconfig reader uses it \(TypeORM 0\.2\.0–0\.2\.31, 0\.2\.35–0\.3\.13, the versions on which the application finds connection options here; the typeorm version is not known here/,
  );
  assert.match(
    decide(['ormconfig.yml'], { version: '0.3.20' })['ormconfig.yml'] ?? '',
    /^not read: TypeORM 0\.3\.20 does not read ormconfig\.yml \(it looks for env, js, mjs, cjs, ts, mts, cts, json\)$/,
  );
  assert.match(
    decide(['ormconfig.yml'], { version: '0.2.33' })['ormconfig.yml'] ?? '',
    /loads ormconfig\.yml with js-yaml's loadAll.*typeorm\/typeorm#7743, fixed in 0\.2\.35/,
  );
  assert.match(
    decide(['ormconfig.yml'], { version: '0.2.45' })['ormconfig.yml'] ?? '',
    /^certain: .*TypeORM 0\.2\.45, declared in connlint\.config\.yaml/,
  );
  // With the application's own options elsewhere, a reader file is at most for the CLI: uncertain.
  assert.match(
    decide(['ormconfig.yml'], { explicitOnly: 'new DataSource(...) at src/db.ts:3' })['ormconfig.yml'] ?? '',
    /^uncertain: TypeORM .* reads it only for createConnection\(\) without options .* new DataSource/,
  );
});

test('reader: only the first ormconfig file is read; TYPEORM_CONNECTION in .env wins over all of them, except in 1.x', () => {
  const shadow = decide(['ormconfig.js', 'ormconfig.json', 'ormconfig.yml']);
  assert.match(shadow['ormconfig.js'] ?? '', /^certain:/);
  assert.match(
    shadow['ormconfig.json'] ?? '',
    /^not read: TypeORM reads only the first ormconfig file it finds \(.*\), here ormconfig\.js/,
  );
  const env = (file: string) => file === '.env';
  const both = decide(['.env', 'ormconfig.json'], { activates: env });
  assert.match(both['.env'] ?? '', /^uncertain: TypeORM 0\.2\.0–0\.3\.x uses it, not 1\.x \(TypeORM 1\.x has no env reader/);
  assert.match(
    both['ormconfig.json'] ?? '',
    /^uncertain: TypeORM 1\.x uses it, not 0\.2\.0–0\.3\.x \(TYPEORM_CONNECTION or TYPEORM_URL is set in \.env/,
  );
  const pinned = decide(['.env', 'ormconfig.json'], { activates: env, range: '^0.2.24' });
  assert.match(pinned['.env'] ?? '', /^certain: .*package\.json allows typeorm \^0\.2\.24/);
  assert.match(pinned['ormconfig.json'] ?? '', /^not read: TYPEORM_CONNECTION or TYPEORM_URL is set in \.env/);
  // ormconfig.env comes first: .env is then not loaded at all.
  const ormEnv = decide(['.env', 'ormconfig.env'], { activates: () => true, range: '^0.3.0' });
  assert.match(ormEnv['ormconfig.env'] ?? '', /^certain:/);
  assert.match(ormEnv['.env'] ?? '', /^not read: TypeORM loads ormconfig\.env instead of \.env/);
  // An ormconfig.env without TYPEORM_CONNECTION still comes first: no ormconfig file is read after it.
  const empty = decide(['ormconfig.env', 'ormconfig.json'], { range: '^0.2.30' });
  assert.match(
    empty['ormconfig.json'] ?? '',
    /^not read: ormconfig\.env comes first and does not set TYPEORM_CONNECTION or TYPEORM_URL, so no options are found$/,
  );
  // TYPEORM_URL alone selects the env reader only from 0.2.12.
  const urlOnly = decide(['.env'], { activates: (_f, _v, url) => url, range: '>=0.2.0 <0.2.20' });
  assert.match(
    urlOnly['.env'] ?? '',
    /^certain: TypeORM's ormconfig reader uses it \(TypeORM 0\.2\.12–0\.2\.25, the versions on which the application finds connection options here/,
  );
});

test('a version range from the reader narrows the TypeORM versions a pool is read for', () => {
  const options = obj({ type: str('mysql', 2), poolSize: num(20, 3) });
  const ranged = typeormPools({
    path: FILE,
    options,
    source: 'ormconfig',
    driverPackage: 'mysql2',
    versionRange: { lo: [0, 2, 0], hi: [0, 3, 0], label: '0.2.0–0.2.45' },
  });
  const poolSize = ranged.problems.filter((p) => /poolSize/.test(p.message));
  assert.equal(poolSize.length, 1);
  assert.match(poolSize[0]?.message ?? '', /^poolSize is ignored: TypeORM 0\.2\.0–0\.2\.45 maps poolSize to the pool only from 0\.3\.10/);
  // Without it, every TypeORM version is read, and poolSize is mapped from 0.3.10 on: nothing to report.
  const open = typeormPools({ path: FILE, options, source: 'ormconfig', driverPackage: 'mysql2' });
  assert.deepEqual(
    open.problems.filter((p) => /poolSize/.test(p.message)),
    [],
  );
});
