import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildHikariPool, detectHikari, HIKARI_KEYS } from '../../src/interpreters/hikaricp/pool.js';
import type { IdleMechanism, Pool } from '../../src/model/model.js';
import type { Value } from '../../src/model/setting.js';
import { propertyEntry } from '../../src/formats/java-properties.js';
import { parseJavaProperties } from '../../src/parsers/java-properties.js';

const PATH = 'src/main/resources/hikari.properties';
const URL = 'jdbcUrl=jdbc:mysql://db:3306/app\n';
const versionAt = (version: string) => ({
  version,
  span: { path: 'connlint.config.yaml', line: 4, column: 13, endLine: 4, endColumn: 18 },
});

function build(text: string, version?: string, prefix = '') {
  const { doc } = parseJavaProperties(PATH, text);
  return buildHikariPool({
    path: PATH,
    entries: doc.entries.map(propertyEntry),
    prefix,
    ...(version ? { version: versionAt(version) } : {}),
  });
}

function value(pool: Pool, key: string): Value | undefined {
  return pool.settings.get(key)?.value;
}

function mechanism(pool: Pool, kind: IdleMechanism['kind']): IdleMechanism | undefined {
  return pool.idle.find((m) => m.kind === kind);
}

const ms = (n: number): Value => ({ kind: 'duration', ms: n });
const count = (n: number): Value => ({ kind: 'count', value: n });

test('HIKARI_KEYS lists the 6.x setters, not the removed 2.x ones', () => {
  for (const k of [
    'maxLifetime',
    'keepaliveTime',
    'jdbcUrl',
    'dataSourceClassName',
    'minimumIdle',
    'schema',
    'exceptionOverrideClassName',
  ]) {
    assert.ok(HIKARI_KEYS.has(k), k);
  }
  for (const k of ['initializationFailFast', 'jdbc4ConnectionTest', 'maxPoolSize', 'max-lifetime']) assert.ok(!HIKARI_KEYS.has(k), k);
});

test('detectHikari: bare keys, dataSource.*, the hibernate.hikari. prefix; not Spring or generic files', () => {
  const detect = (text: string) => detectHikari(parseJavaProperties(PATH, text).doc.entries.map(propertyEntry));
  assert.deepEqual(detect('jdbcUrl=jdbc:mysql://x/y\n'), { prefix: '' });
  assert.deepEqual(detect('MaximumPoolSize=5\n'), { prefix: '' });
  assert.deepEqual(detect('dataSource.user=app\n'), { prefix: '' });
  assert.deepEqual(detect('hibernate.dialect=x\nhibernate.hikari.minimumIdle=5\n'), { prefix: 'hibernate.hikari.' });
  assert.equal(detect('spring.datasource.hikari.max-lifetime=60000\n'), undefined);
  assert.equal(detect('username=app\npassword=secret\ndriverClassName=org.h2.Driver\n'), undefined);
  assert.equal(detect('db.pool.config.connectionTimeout=30000\n'), undefined);
  assert.equal(detect(''), undefined);
});

test('defaults with an unknown version: 30 min lifetime, keepalive default unknown, fixed-size pool of 10', () => {
  const { pool, problems } = build(URL);
  assert.deepEqual(problems, []);
  assert.deepEqual(value(pool, 'maxLifetime'), ms(1800000));
  assert.deepEqual(value(pool, 'idleTimeout'), ms(600000));
  assert.deepEqual(value(pool, 'connectionTimeout'), ms(30000));
  assert.deepEqual(value(pool, 'validationTimeout'), ms(5000));
  assert.deepEqual(value(pool, 'maximumPoolSize'), count(10));
  assert.deepEqual(value(pool, 'minimumIdle'), count(10));
  assert.deepEqual(value(pool, 'keepaliveTime'), {
    kind: 'unknown',
    reason: 'HikariCP version unknown: keepaliveTime defaults to 0 (off) before 6.2.1 and 120000 (2 min) from 6.2.1',
  });
  const lifetime = pool.settings.get('maxLifetime');
  assert.equal(lifetime?.origin.kind, 'library-default');
  assert.equal(lifetime?.raw, null);
  assert.equal(lifetime?.unit, 'ms');
  assert.deepEqual(
    pool.idle.map((m) => [m.kind, m.boundMs, m.refreshesServer]),
    [
      ['max-lifetime', 1800000, false],
      ['keepalive', undefined, true],
      ['idle-timeout', undefined, false],
    ],
  );
  assert.equal(mechanism(pool, 'idle-timeout')?.note, 'minimumIdle (10) connections are never idle-retired');
  assert.equal(mechanism(pool, 'max-lifetime')?.minimumMs, 30000);
  assert.deepEqual(pool.validatesOnCheckout, { value: true, fact: 'hikaricp.md, Behaviour: checkout validation when idle > 500 ms' });
});

test('keepaliveTime default by version: 0 in 4.0.0-6.2.0, 120000 from 6.2.1, absent before 4.0.0', () => {
  const v5 = build(URL, '5.1.0').pool;
  assert.deepEqual(value(v5, 'keepaliveTime'), ms(0));
  assert.equal(mechanism(v5, 'keepalive')?.boundMs, undefined);
  const v621 = build(URL, '6.2.1').pool;
  assert.deepEqual(value(v621, 'keepaliveTime'), ms(120000));
  assert.equal(mechanism(v621, 'keepalive')?.boundMs, 120000);
  const origin = v621.settings.get('keepaliveTime')?.origin;
  assert.ok(origin?.kind === 'library-default' && origin.version === '6.2.1' && /from 6\.2\.1/.test(origin.fact));
  const v3 = build(URL, '3.4.5').pool;
  assert.equal(v3.settings.get('keepaliveTime'), undefined);
  assert.equal(mechanism(v3, 'keepalive'), undefined);
});

test('6.2.1+: the 120000 default is disabled when maxLifetime is not longer (keepaliveTime >= maxLifetime)', () => {
  const { pool } = build(`${URL}maxLifetime=60000\n`, '6.2.1');
  const keepalive = pool.settings.get('keepaliveTime');
  assert.deepEqual(keepalive?.value, ms(0));
  assert.deepEqual(keepalive?.clamp?.written, ms(120000));
  assert.match(keepalive?.clamp?.reason ?? '', /greater than or equal to maxLifetime, disabling it/);
  // Every version agrees that keepalive is off here (0 before 6.2.1, disabled after), so it is known even without a version.
  assert.deepEqual(value(build(`${URL}maxLifetime=60000\n`).pool, 'keepaliveTime'), ms(0));
});

test('maxLifetime 1-29999 or negative becomes 30 min, with the clamp recorded', () => {
  for (const written of [20000, 1, -5]) {
    const s = build(`${URL}maxLifetime=${written}\n`).pool.settings.get('maxLifetime');
    assert.deepEqual(s?.value, ms(1800000));
    assert.deepEqual(s?.clamp?.written, ms(written));
    assert.equal(s?.clamp?.reason, 'maxLifetime is less than 30000ms, setting to default 1800000ms');
    assert.equal(s?.origin.kind, 'file');
    assert.equal(s?.raw, String(written));
  }
  const zero = build(`${URL}maxLifetime=0\n`).pool;
  assert.deepEqual(value(zero, 'maxLifetime'), ms(0));
  assert.equal(mechanism(zero, 'max-lifetime')?.boundMs, undefined);
});

test('keepaliveTime below 30 s is disabled; a valid one bounds idle time and refreshes the server', () => {
  const low = build(`${URL}keepaliveTime=10000\n`, '5.1.0').pool;
  assert.deepEqual(value(low, 'keepaliveTime'), ms(0));
  assert.equal(low.settings.get('keepaliveTime')?.clamp?.reason, 'keepaliveTime is less than 30000ms, disabling it');
  assert.equal(mechanism(low, 'keepalive')?.boundMs, undefined);
  const ok = build(`${URL}keepaliveTime=60000\n`).pool;
  assert.deepEqual(value(ok, 'keepaliveTime'), ms(60000));
  assert.deepEqual([mechanism(ok, 'keepalive')?.boundMs, mechanism(ok, 'keepalive')?.refreshesServer], [60000, true]);
});

test('idle-timeout bounds idle time only with minimumIdle 0: idleTimeout + 30 s housekeeper period', () => {
  const { pool } = build(`${URL}minimumIdle=0\nidleTimeout=60000\n`, '5.1.0');
  assert.equal(mechanism(pool, 'idle-timeout')?.boundMs, 90000);
  const floor = build(`${URL}minimumIdle=2\nidleTimeout=60000\n`, '5.1.0').pool;
  assert.equal(mechanism(floor, 'idle-timeout')?.boundMs, undefined);
  assert.equal(mechanism(floor, 'idle-timeout')?.note, 'minimumIdle (2) connections are never idle-retired');
});

test('3.3.1+: idleTimeout rules only when minimumIdle < maximumPoolSize; up to 3.3.0 also for a fixed pool', () => {
  const text = `${URL}maximumPoolSize=5\nminimumIdle=5\nidleTimeout=3000\n`;
  assert.deepEqual(value(build(text, '2.7.9').pool, 'idleTimeout'), ms(600000));
  assert.deepEqual(value(build(text, '5.1.0').pool, 'idleTimeout'), ms(3000));
  const unknown = build(text).pool;
  assert.equal(value(unknown, 'idleTimeout')?.kind, 'unknown');
  // Either way a fixed-size pool retires nothing for idleness.
  assert.equal(mechanism(unknown, 'idle-timeout')?.note, 'minimumIdle (5) connections are never idle-retired');
});

test('idleTimeout close to maxLifetime is disabled (non-fixed pool)', () => {
  const s = build(`${URL}maxLifetime=600000\nidleTimeout=599001\nminimumIdle=1\n`, '6.0.0').pool.settings.get('idleTimeout');
  assert.deepEqual(s?.value, ms(0));
  assert.equal(s?.clamp?.reason, 'idleTimeout is close to or more than maxLifetime, disabling it');
});

test('maximumPoolSize follows minimumIdle up to 3.3.0, is 10 from 3.3.1 (minimumIdle clamped to it)', () => {
  const text = `${URL}minimumIdle=20\n`;
  const old = build(text, '2.7.9').pool;
  assert.deepEqual([value(old, 'maximumPoolSize'), value(old, 'minimumIdle')], [count(20), count(20)]);
  const recent = build(text, '5.1.0').pool;
  assert.deepEqual([value(recent, 'maximumPoolSize'), value(recent, 'minimumIdle')], [count(10), count(10)]);
  assert.deepEqual(recent.settings.get('minimumIdle')?.clamp?.written, count(20));
  const unknown = build(text).pool;
  assert.equal(value(unknown, 'maximumPoolSize')?.kind, 'unknown');
  assert.equal(value(unknown, 'minimumIdle')?.kind, 'unknown');
});

test('connectionTimeout 0 means forever; below 250 ms the pool does not start', () => {
  const zero = build(`${URL}connectionTimeout=0\n`).pool.settings.get('connectionTimeout');
  assert.deepEqual(zero?.value, ms(2147483647));
  assert.deepEqual(zero?.clamp?.written, ms(0));
  const { pool, problems } = build(`${URL}connectionTimeout=100\n`);
  assert.equal(value(pool, 'connectionTimeout')?.kind, 'unknown');
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.severity, 'error');
  assert.match(problems[0]?.message ?? '', /connectionTimeout cannot be less than 250ms/);
  // The problem points at the value: line 2, "100" at columns 19-21.
  assert.deepEqual(problems[0]?.span, { path: PATH, line: 2, column: 19, endLine: 2, endColumn: 22 });
});

test('a trailing space makes Long.parseLong fail: error, value unknown', () => {
  const { pool, problems } = build(`${URL}maxLifetime=60000 \n`, '6.0.0');
  assert.equal(value(pool, 'maxLifetime')?.kind, 'unknown');
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.severity, 'error');
  assert.match(problems[0]?.message ?? '', /NumberFormatException: For input string: "60000 "/);
  assert.match(problems[0]?.message ?? '', /does not start/);
});

test('duration suffixes: read from 6.3.0, fatal before, unknown without a version', () => {
  assert.deepEqual(value(build(`${URL}maxLifetime=10m\n`, '6.3.0').pool, 'maxLifetime'), ms(600000));
  assert.deepEqual(value(build(`${URL}idleTimeout=250ms\nminimumIdle=0\n`, '6.3.0').pool, 'idleTimeout'), ms(600000));
  // int setters receive (int) millis: "1s" for a pool size is 1000.
  assert.deepEqual(value(build(`${URL}maximumPoolSize=1s\n`, '6.3.0').pool, 'maximumPoolSize'), count(1000));
  const old = build(`${URL}maxLifetime=10m\n`, '6.2.1');
  assert.equal(old.problems[0]?.severity, 'error');
  assert.match(old.problems[0]?.message ?? '', /For input string: "10m"/);
  const unknown = build(`${URL}maxLifetime=10m\n`);
  assert.equal(value(unknown.pool, 'maxLifetime')?.kind, 'unknown');
  assert.equal(unknown.problems.length, 1);
  assert.equal(unknown.problems[0]?.severity, 'warning');
  assert.match(unknown.problems[0]?.message ?? '', /only 6\.3\.0\+ accept it/);
});

test('placeholders are unknown, never guessed, and not reported', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the properties text holds literal ${...} placeholders
  const { pool, problems } = build('jdbcUrl=${DB_URL}\nmaxLifetime=${POOL_LIFETIME}\n');
  assert.deepEqual(problems, []);
  assert.equal(value(pool, 'maxLifetime')?.kind, 'unknown');
  assert.equal(value(pool, 'jdbcUrl')?.kind, 'unknown');
  assert.equal(mechanism(pool, 'max-lifetime')?.boundMs, undefined);
});

test('only the first letter binds case-insensitively; other spellings are kept and reported as start-up errors', () => {
  const { pool, problems } = build(`${URL}MaxLifetime=60000\nmaxlifetime=70000\nmax-pool-size=3\n`);
  const s = pool.settings.get('maxLifetime');
  assert.deepEqual([s?.key, s?.canonicalKey, s?.value], ['MaxLifetime', 'maxLifetime', ms(60000)]);
  assert.deepEqual(value(pool, 'maxlifetime'), { kind: 'string', value: '70000' });
  assert.equal(problems.length, 2);
  // HikariConfig throws on a key it has no setter for: the pool never starts (hikaricp.md).
  assert.ok(problems.every((p) => p.severity === 'error'));
  assert.equal(
    problems[0]?.message,
    'HikariCP has no property maxlifetime; the pool fails to start (Property maxlifetime does not exist on target class com.zaxxer.hikari.HikariConfig). ' +
      'Did you mean maxLifetime? Only the first letter may differ in case',
  );
  assert.deepEqual(problems[0]?.span, { path: PATH, line: 3, column: 1, endLine: 3, endColumn: 12 });
});

test('two spellings of one key with different values: which wins is unknown', () => {
  const { pool, problems } = build(`${URL}MaxLifetime=60000\nmaxLifetime=70000\n`, '6.0.0');
  assert.equal(value(pool, 'maxLifetime')?.kind, 'unknown');
  assert.match(problems[0]?.message ?? '', /hash order/);
});

test('keys a known version does not have: keepaliveTime before 4.0.0', () => {
  const { problems } = build(`${URL}keepaliveTime=60000\n`, '3.4.5');
  assert.equal(problems.length, 1);
  assert.match(problems[0]?.message ?? '', /HikariCP 3\.4\.5 has no property keepaliveTime \(added in 4\.0\.0\)/);
});

test('duplicate keys: the last one wins and the earlier ones are overrides, oldest first', () => {
  const { pool } = build(`${URL}maxLifetime=100000\nmaxLifetime=200000\nidleTimeout=0\nmaxLifetime=300000\n`);
  const s = pool.settings.get('maxLifetime');
  assert.deepEqual(s?.value, ms(300000));
  assert.equal(s?.origin.kind === 'file' && s.origin.span.line, 5);
  assert.deepEqual(
    s?.overrides.map((o) => (o.kind === 'file' ? o.span.line : 0)),
    [2, 3],
  );
  assert.deepEqual(
    s?.replaced?.map((r) => r.raw),
    ['100000', '200000'],
  );
  assert.deepEqual(pool.settings.get('idleTimeout')?.overrides, []);
});

test('hibernate.hikari. prefix: keys as written, canonical names, hibernate.connection.url as jdbcUrl', () => {
  const text =
    'hibernate.dialect=org.hibernate.dialect.MySQLDialect\nhibernate.connection.url=jdbc:mariadb://db/app\nhibernate.hikari.maxLifetime=600000\n';
  const { pool, problems } = build(text, '5.1.0', 'hibernate.hikari.');
  assert.deepEqual(problems, []);
  const s = pool.settings.get('maxLifetime');
  assert.deepEqual([s?.key, s?.canonicalKey, s?.value], ['hibernate.hikari.maxLifetime', 'maxLifetime', ms(600000)]);
  assert.equal(pool.settings.get('idleTimeout')?.key, 'hibernate.hikari.idleTimeout');
  assert.equal(pool.settings.get('jdbcUrl')?.key, 'hibernate.connection.url');
  assert.equal(pool.settings.get('dialect'), undefined);
  assert.equal(pool.engine, 'mariadb');
  // The pool is anchored at the first HikariCP key, line 2.
  assert.equal(pool.origin.line, 2);
});

test('pool identity: id, name from poolName, origin, engine, dataSource.* settings', () => {
  const text = '# pool\npoolName=orders\ndataSourceClassName=com.mysql.cj.jdbc.MysqlDataSource\ndataSource.url=jdbc:mysql://db/app\n';
  const { pool, problems } = build(text, '6.0.0');
  assert.deepEqual(problems, []);
  assert.equal(pool.id, `hikaricp:${PATH}`);
  assert.equal(pool.library, 'hikaricp');
  assert.equal(pool.name, 'orders');
  assert.deepEqual(pool.origin, { path: PATH, line: 2, column: 1, endLine: 2, endColumn: 16 });
  assert.equal(pool.engine, 'mysql');
  assert.equal(pool.libraryVersion?.version, '6.0.0');
  const ds = pool.settings.get('dataSource.url');
  assert.deepEqual(
    [ds?.key, ds?.canonicalKey, ds?.value],
    ['dataSource.url', 'dataSource.url', { kind: 'string', value: 'jdbc:mysql://db/app' }],
  );
  assert.equal(build(URL).pool.name, PATH);
});

test('validate() failures and boolean parsing quirks', () => {
  const both = build('dataSourceClassName=com.mysql.cj.jdbc.MysqlDataSource\ndriverClassName=com.mysql.cj.jdbc.Driver\n');
  assert.ok(both.problems.some((p) => p.severity === 'error' && /driverClassName and dataSourceClassName together/.test(p.message)));
  const jmx = build(`${URL}poolName=a:b\nregisterMbeans=true\n`);
  assert.ok(jmx.problems.some((p) => p.severity === 'error' && /cannot contain ':'/.test(p.message)));
  const bool = build(`${URL}autoCommit=yes\n`);
  assert.deepEqual(value(bool.pool, 'autoCommit'), { kind: 'bool', value: false });
  assert.match(bool.problems[0]?.message ?? '', /read as false/);
});

test('an unparseable version is warned at its span and treated as unknown', () => {
  const { pool, problems } = build(URL, 'latest');
  assert.equal(problems[0]?.span.path, 'connlint.config.yaml');
  assert.equal(value(pool, 'keepaliveTime')?.kind, 'unknown');
});
