// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Spring's own ${name:default} placeholders are what these inputs hold
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDbcp2Pool } from '../../src/interpreters/dbcp2/pool.js';
import { buildTomcatPool } from '../../src/interpreters/tomcat-jdbc/pool.js';
import type { Entry } from '../../src/model/entry.js';
import { lineSpan } from '../../src/model/span.js';
import { poolOf, springContribution, settingValue, variable, whereSet } from './spring-harness.js';

const R = 'src/main/resources';

function entries(prefix: string, pairs: Record<string, string>): Entry[] {
  return Object.entries(pairs).map(([k, v], i) => {
    const span = lineSpan('pool.properties', i + 1, 1, k.length + v.length + 1);
    return { key: `${prefix}${k}`, text: v, raw: v, keySpan: span, valueSpan: span, span };
  });
}

test('keys under a dead prefix are reported once per place, with the reason the pool is what it is', async () => {
  const yaml = [
    'spring:',
    '  datasource:',
    '    url: jdbc:mysql://db/app',
    '    hikari:',
    '      max-lifetime: 200000',
    '    tomcat:',
    '      max-active: 20',
    '      test-on-borrow: true',
    '    dbcp:',
    '      max-idle: 5',
  ].join('\n');
  const c = await springContribution({ [`${R}/application.yml`]: yaml });
  const messages = (c.problems ?? []).map((p) => `${p.span.line}:${p.severity}:${p.message}`);
  assert.deepEqual(messages, [
    "7:warning:spring.datasource.tomcat.max-active and 1 more spring.datasource.tomcat.* key (spring.datasource.tomcat.test-on-borrow) are ignored: the pool is HikariCP (Spring Boot's default since 2.0: spring.datasource.type is not set, and HikariCP comes with the JDBC and JPA starters), so Spring Boot binds only spring.datasource.hikari.*. Write the HikariCP settings under spring.datasource.hikari, or set spring.datasource.type to use Tomcat JDBC",
    '10:warning:spring.datasource.dbcp.max-idle is ignored: spring.datasource.dbcp.* (DBCP 1) was removed in Spring Boot 2.0. Write the HikariCP settings under spring.datasource.hikari',
  ]);
  assert.equal(poolOf(c, 'default').library, 'hikaricp');
});

test('pool keys with no pool segment, and keys HikariCP has no setter for, are ignored by Boot and reported', async () => {
  const text = [
    'spring.datasource.url=jdbc:mysql://db/app',
    'spring.datasource.max-lifetime=200000',
    'spring.datasource.test-on-borrow=true',
    'spring.datasource.max-active=20',
    'spring.datasource.hikari.max-pool-size=20',
    'spring.datasource.hikari.test-on-borrow=true',
    'spring.datasource.hikari.health-check-properties.x=1',
  ].join('\n');
  const c = await springContribution({ [`${R}/application.properties`]: text });
  const byLine = new Map((c.problems ?? []).map((p) => [p.span.line, p.message]));
  assert.match(byLine.get(2) ?? '', /is ignored: since Spring Boot 1\.4 .* Write it as spring\.datasource\.hikari\.max-lifetime\./);
  assert.match(byLine.get(3) ?? '', /HikariCP checks a connection idle for more than 500 ms before lending it anyway/);
  assert.match(byLine.get(4) ?? '', /HikariCP's nearest setting is spring\.datasource\.hikari\.maximum-pool-size\./);
  assert.match(
    byLine.get(5) ?? '',
    /^spring\.datasource\.hikari\.max-pool-size is ignored: HikariCP has no setting max-pool-size .*Did you mean spring\.datasource\.hikari\.maximum-pool-size\?$/,
  );
  assert.match(byLine.get(6) ?? '', /test-on-borrow is ignored: HikariCP has no setting/);
  // A map setter is not an unknown key.
  assert.equal(byLine.get(7), undefined);
  assert.equal(
    c.problems?.every((p) => p.severity === 'warning'),
    true,
  );
  // Ignored keys set nothing.
  assert.equal(whereSet(poolOf(c, 'default'), 'maxLifetime'), 'library-default');
});

test('a declared HikariCP version without the setter: the key is ignored (Boot), not a start-up failure (properties file)', async () => {
  const c = await springContribution(
    { [`${R}/application.yml`]: 'spring.datasource.url: jdbc:mysql://db/app\nspring.datasource.hikari.keepalive-time: 60000\n' },
    { hikaricp: '3.4.5' },
  );
  assert.deepEqual(
    c.problems?.map((p) => [p.severity, p.message]),
    [
      [
        'warning',
        'spring.datasource.hikari.keepalive-time is ignored: HikariCP 3.4.5 has no setting keepaliveTime (Spring Boot ignores keys the pool has no setter for)',
      ],
    ],
  );
});

test('a value Boot cannot convert stops the application: an error where it is written, and the setting is unknown', async () => {
  const c = await springContribution({
    [`${R}/application.yml`]: 'spring.datasource.url: jdbc:mysql://db/app\nspring.datasource.hikari.max-lifetime: 1800000\n',
    [`${R}/application-prod.yml`]: 'spring.datasource.hikari.max-lifetime: 30m\nspring.datasource.hikari.auto-commit: maybe\n',
  });
  const errors = (c.problems ?? []).filter((p) => p.severity === 'error');
  assert.deepEqual(
    errors.map((p) => `${p.span.path}:${p.span.line}:${p.span.column} ${p.message}`),
    [
      `${R}/application-prod.yml:1:40 The application does not start: Spring Boot cannot convert spring.datasource.hikari.max-lifetime=30m to HikariCP's maxLifetime, a long in milliseconds ("Failed to bind properties under 'spring.datasource.hikari.max-lifetime' to long": java.lang.NumberFormatException: For input string: "30m"). Write 1800000 (30 min).`,
      `${R}/application-prod.yml:2:39 The application does not start: Spring Boot cannot convert spring.datasource.hikari.auto-commit=maybe to HikariCP's autoCommit, a boolean ("Failed to bind properties under 'spring.datasource.hikari.auto-commit' to boolean": java.lang.IllegalArgumentException: Invalid boolean value 'maybe'). Write true or false.`,
    ],
  );
  const prod = poolOf(c, 'prod');
  assert.equal(settingValue(prod, 'maxLifetime'), 'unknown');
  assert.equal(whereSet(prod, 'maxLifetime'), `${R}/application-prod.yml:1`);
  // The idle mechanism it drives is unknown too, so no rule reasons from the default.
  assert.equal(prod.idle.find((m) => m.kind === 'max-lifetime')?.boundMs, undefined);
  assert.equal(settingValue(poolOf(c, 'default'), 'maxLifetime'), 1800000);
  // A value Boot converts is handed over as the setter receives it ("yes" is true for Boot, not for Boolean.parseBoolean).
  const yes = await springContribution({
    [`${R}/application.properties`]:
      'spring.datasource.url=jdbc:mysql://db/app\nspring.datasource.hikari.auto-commit=yes\nspring.datasource.hikari.max-lifetime= 0x1B7740\n',
  });
  assert.deepEqual(yes.problems, []);
  assert.equal(settingValue(poolOf(yes, 'default'), 'autoCommit'), true);
  assert.equal(settingValue(poolOf(yes, 'default'), 'maxLifetime'), 1800000);
});

test("Boot's own keys reach HikariCP: url as jdbcUrl (engine and host), name as poolName; hikari.* bound afterwards wins", async () => {
  const c = await springContribution({
    [`${R}/application.yml`]: [
      'spring.datasource:',
      '  url: jdbc:mysql://primary:3306/app',
      '  name: shop',
      '  driver-class-name: org.mariadb.jdbc.Driver',
      '  hikari:',
      '    jdbc-url: jdbc:mariadb://replica/app',
      '    data-source-properties:',
      '      cachePrepStmts: true',
    ].join('\n'),
  });
  const pool = poolOf(c, 'default');
  assert.equal(pool.name, 'shop');
  assert.equal(pool.engine, 'mariadb');
  assert.equal(pool.host, 'replica');
  assert.equal(pool.settings.get('jdbcUrl')?.key, 'spring.datasource.hikari.jdbc-url');
  assert.equal(pool.settings.get('jdbcUrl')?.overrides.length, 1);
  assert.equal(settingValue(pool, 'dataSource.cachePrepStmts'), 'true');
  // With data-source-class-name, Boot does not pass driver-class-name (HikariCP would refuse the two together).
  const ds = await springContribution({
    [`${R}/application.properties`]:
      'spring.datasource.url=jdbc:mysql://db/app\nspring.datasource.driver-class-name=com.mysql.cj.jdbc.Driver\nspring.datasource.hikari.data-source-class-name=com.mysql.cj.jdbc.MysqlDataSource\n',
  });
  assert.deepEqual(
    ds.problems?.filter((p) => p.severity === 'error'),
    [],
  );
  assert.equal(poolOf(ds, 'default').settings.get('driverClassName'), undefined);
  // Settings nobody wrote are named under the prefix, as a user would write them.
  assert.equal(pool.settings.get('maxLifetime')?.key, 'spring.datasource.hikari.maxLifetime');
});

test("Tomcat pool: Boot's testOnBorrow default counts as validation for a URL of a known database", async () => {
  const files = (url: string, extra = '') => ({
    [`${R}/application.yml`]: `spring.datasource:\n  type: org.apache.tomcat.jdbc.pool.DataSource\n  url: ${url}\n${extra}`,
  });
  const mysql = poolOf(await springContribution(files('jdbc:mysql://db/app')), 'default');
  assert.equal(mysql.library, 'tomcat-jdbc');
  assert.equal(mysql.validatesOnCheckout.value, true);
  assert.equal(
    mysql.validatesOnCheckout.setting?.origin.kind === 'library-default' && mysql.validatesOnCheckout.setting.origin.library,
    'Spring Boot',
  );
  assert.equal(settingValue(mysql, 'validationQuery'), '/* ping */ SELECT 1');
  // A wrapper URL is not a database Boot knows: tomcat-jdbc's own default (false) stays.
  const wrapped = poolOf(await springContribution(files('jdbc:p6spy:mysql://db/app')), 'default');
  assert.equal(wrapped.validatesOnCheckout.value, false);
  assert.equal(wrapped.validatesOnCheckout.setting?.key, 'spring.datasource.tomcat.test-on-borrow');
  // The user's key, bound after Boot's default, wins.
  const off = poolOf(await springContribution(files('jdbc:mysql://db/app', '  tomcat:\n    test-on-borrow: false\n')), 'default');
  assert.equal(off.validatesOnCheckout.value, false);
  assert.equal(whereSet(off, 'testOnBorrow'), `${R}/application.yml:5`);
  // A URL from an unset variable: not assumed off.
  const unknown = poolOf(await springContribution(files('${DATABASE_URL}')), 'default');
  assert.equal(unknown.validatesOnCheckout.value, true);
});

test('Tomcat JDBC interpreter: defaults, minIdle keeps connections, maxAge bounds at borrow, testWhileIdle pings', () => {
  const plain = buildTomcatPool({ path: 'p', entries: entries('t.', { url: 'jdbc:mysql://db/app' }), prefix: 't.' }).pool;
  assert.equal(plain.validatesOnCheckout.value, false);
  assert.deepEqual(
    plain.idle.map((m) => [m.kind, m.boundMs, m.note]),
    [
      [
        'max-lifetime',
        undefined,
        'maxAge 0 means connections are never retired for age; idle eviction: minIdle (10) connections are never closed for idleness',
      ],
    ],
  );
  const tuned = buildTomcatPool({
    path: 'p',
    entries: entries('t.', { minIdle: '0', maxAge: '300000', testWhileIdle: 'true', timeBetweenEvictionRunsMillis: '60000' }),
    prefix: 't.',
  }).pool;
  assert.deepEqual(
    tuned.idle.map((m) => [m.kind, m.boundMs]),
    [
      ['max-lifetime', 300000],
      ['idle-timeout', 120000],
      ['keepalive', 60000],
    ],
  );
  // minIdle above maxActive is lowered at start-up, and said where written.
  const clamped = buildTomcatPool({ path: 'p', entries: entries('t.', { maxActive: '5', minIdle: '8' }), prefix: 't.' });
  assert.deepEqual(clamped.pool.settings.get('minIdle')?.value, { kind: 'count', value: 5 });
  assert.match(
    clamped.problems[0]?.message ?? '',
    /Tomcat JDBC does not use t\.minIdle=8: minIdle is larger than maxActive, so the pool uses 5/,
  );
});

test('DBCP2 interpreter and Boot binding: testOnBorrow on by default, lifetime at borrow, Duration keys in milliseconds', async () => {
  const plain = buildDbcp2Pool({ path: 'p', entries: [], prefix: 'd.' }).pool;
  assert.equal(plain.validatesOnCheckout.value, true);
  assert.deepEqual(
    plain.idle.map((m) => [m.kind, m.boundMs]),
    [['max-lifetime', undefined]],
  );
  const c = await springContribution({
    [`${R}/application.yml`]: [
      'spring.datasource:',
      '  type: org.apache.commons.dbcp2.BasicDataSource',
      '  url: jdbc:mysql://db/app',
      '  dbcp2:',
      '    max-conn: 5m',
      '    test-while-idle: true',
      '    time-between-eviction-runs-millis: 30000',
    ].join('\n'),
  });
  const pool = poolOf(c, 'default');
  assert.equal(pool.library, 'dbcp2');
  assert.equal(settingValue(pool, 'maxConnLifetimeMillis'), 300000);
  assert.equal(pool.settings.get('maxConnLifetimeMillis')?.key, 'spring.datasource.dbcp2.max-conn');
  // Each idle connection is visited every 30 s x ceil(8 / 3) runs.
  assert.deepEqual(
    pool.idle.map((m) => [m.kind, m.boundMs]),
    [
      ['max-lifetime', 300000],
      ['idle-timeout', 1890000],
      ['keepalive', 90000],
    ],
  );
});

test('no pool Boot configures: another pool class, JNDI, or no spring.datasource setting at all', async () => {
  const druid = await springContribution({
    [`${R}/application.yml`]:
      'spring.datasource.type: com.alibaba.druid.pool.DruidDataSource\nspring.datasource.url: jdbc:mysql://db/app\nspring.datasource.max-active: 5\nspring.datasource.hikari.max-lifetime: 1\n',
  });
  assert.deepEqual(druid.pools, []);
  // Keys for Boot's pools are not reported either: with another pool class nothing of it is configured from here.
  assert.deepEqual(druid.problems, []);
  const jndi = await springContribution({ [`${R}/application.yml`]: 'spring.datasource.jndi-name: java:comp/env/jdbc/app\n' });
  assert.deepEqual(jndi.pools, []);
  const none = await springContribution({ [`${R}/application.yml`]: 'server.port: 8080\n' });
  assert.deepEqual(none.pools, []);
  // Environment variables alone make a pool for the application they reach.
  const envOnly = await springContribution(
    { [`${R}/application.yml`]: 'server.port: 8080\n' },
    {
      environments: [
        {
          appDir: '.',
          source: 'service app in docker-compose.yml',
          variables: [variable('SPRING_DATASOURCE_URL', 'jdbc:mysql://db/app', 4)],
        },
      ],
    },
  );
  assert.equal(envOnly.pools?.[0]?.host, 'db');
});
