import assert from 'node:assert/strict';
import { test } from 'node:test';
import { propertyEntry } from '../../src/formats/java-properties.js';
import { buildC3p0Pool } from '../../src/interpreters/c3p0/pool.js';
import { buildDbcp2Pool } from '../../src/interpreters/dbcp2/pool.js';
import { buildHikariPool } from '../../src/interpreters/hikaricp/pool.js';
import { msLooksLikeSeconds, secondsLooksLikeMs } from '../../src/interpreters/duration-unit.js';
import { buildTomcatPool } from '../../src/interpreters/tomcat-jdbc/pool.js';
import type { Problem } from '../../src/model/problem.js';
import { parseJavaProperties } from '../../src/parsers/java-properties.js';

const URL = 'jdbcUrl=jdbc:mysql://db:3306/app\n';

function entries(path: string, text: string) {
  return parseJavaProperties(path, text).doc.entries.map(propertyEntry);
}

function hikari(text: string, version?: string): Problem[] {
  const path = 'hikari.properties';
  return buildHikariPool({
    path,
    entries: entries(path, text),
    prefix: '',
    ...(version ? { version: { version, span: { path: 'connlint.config.yaml', line: 1, column: 1, endLine: 1, endColumn: 2 } } } : {}),
  }).problems;
}

/** [ruleId, severity, line] of each problem: the id, not the wording, is what these tests pin. */
const ids = (ps: Problem[]) => ps.map((p) => [p.ruleId ?? 'parse-error', p.severity, p.span.line]);

test('the unit thresholds: usual seconds in a milliseconds key, a multiple of 1000 from 10000 in a seconds key', () => {
  for (const n of [30, 60, 300, 600, 1800, 3600, 28800, 86400]) assert.equal(msLooksLikeSeconds(n), true, String(n));
  for (const n of [0, 1, 250, 500, 1000, 5000, 23800, 30000, 1800000]) assert.equal(msLooksLikeSeconds(n), false, String(n));
  for (const n of [10000, 20000, 60000, 1800000]) assert.equal(secondsLooksLikeMs(n), true, String(n));
  for (const n of [0, 20, 1800, 9000, 28800, 86400, 10500]) assert.equal(secondsLooksLikeMs(n), false, String(n));
});

test('HikariCP maxLifetime=1800: one finding, the unit one, saying both readings and what HikariCP runs', () => {
  const ps = hikari(`${URL}maxLifetime=1800\n`);
  assert.deepEqual(ids(ps), [['suspicious-duration-unit', 'warning', 2]]);
  const m = ps[0]?.message ?? '';
  assert.match(m, /1\.8 s/);
  assert.match(m, /30 min/);
  assert.match(m, /setting to default 1800000ms/);
  assert.match(m, /write maxLifetime=1800000$/);
});

test('HikariCP maxLifetime=23800: a reset, not a unit slip', () => {
  assert.deepEqual(ids(hikari(`${URL}maxLifetime=23800\n`)), [['setting-ignored-by-library', 'warning', 2]]);
  assert.deepEqual(ids(hikari(`${URL}maxLifetime=1800000\n`)), []);
});

test('HikariCP keepaliveTime=10000 is turned off; keepaliveTime=60 is a unit slip in 4.0+, unknown before', () => {
  assert.deepEqual(ids(hikari(`${URL}keepaliveTime=10000\n`, '5.1.0')), [['setting-ignored-by-library', 'warning', 2]]);
  assert.deepEqual(ids(hikari(`${URL}keepaliveTime=60\n`, '5.1.0')), [['suspicious-duration-unit', 'warning', 2]]);
  // The key does not exist in 3.4.5: the pool does not start, and that is the one finding.
  assert.deepEqual(ids(hikari(`${URL}keepaliveTime=60\n`, '3.4.5')), [['startup-failure', 'error', 2]]);
});

test('HikariCP connectionTimeout=30 stops the pool: one startup-failure that names the unit; 300 is a unit slip; 5000 is fine', () => {
  const stop = hikari(`${URL}connectionTimeout=30\n`);
  assert.deepEqual(ids(stop), [['startup-failure', 'error', 2]]);
  assert.match(stop[0]?.message ?? '', /connectionTimeout cannot be less than 250ms/);
  assert.match(stop[0]?.message ?? '', /write connectionTimeout=30000$/);
  assert.deepEqual(ids(hikari(`${URL}connectionTimeout=300\n`)), [['suspicious-duration-unit', 'warning', 2]]);
  assert.deepEqual(ids(hikari(`${URL}connectionTimeout=5000\n`)), []);
});

test('HikariCP dataSource.<pool setting>: with jdbcUrl it goes to the driver and the pool keeps its own value', () => {
  const ps = hikari(`${URL}dataSource.maximumPoolSize=20\ndataSource.cachePrepStmts=true\ndataSource.password=x\n`);
  assert.deepEqual(ids(ps), [['setting-ignored-by-library', 'warning', 2]]);
  assert.match(ps[0]?.message ?? '', /maximumPoolSize 10, its default\. Write maximumPoolSize=20$/);
  // A pool value written as well is the one that runs.
  const both = hikari(`${URL}maximumPoolSize=15\ndataSource.MaxLifetime=60000\n`);
  assert.deepEqual(ids(both), [['setting-ignored-by-library', 'warning', 3]]);
  assert.match(both[0]?.message ?? '', /maxLifetime 1800000 \(30 min\), its default/);
});

test('HikariCP dataSource.<pool setting> with dataSourceClassName: the DataSource has no such setter, the pool does not start', () => {
  const ps = hikari(
    'dataSourceClassName=org.mariadb.jdbc.MariaDbDataSource\ndataSource.url=jdbc:mariadb://db/app\ndataSource.maximumPoolSize=20\n',
  );
  assert.deepEqual(ids(ps), [['startup-failure', 'error', 3]]);
  assert.match(ps[0]?.message ?? '', /Property maximumPoolSize does not exist on target class org\.mariadb\.jdbc\.MariaDbDataSource/);
});

test('HikariCP reclassified problems: unknown key, duplicate spellings, a non-boolean, jdbcUrl beside dataSourceClassName', () => {
  assert.deepEqual(ids(hikari(`${URL}maxLifeTime=60000\n`)), [['startup-failure', 'error', 2]]);
  assert.deepEqual(ids(hikari(`${URL}maxLifetime=60000\nMaxLifetime=90000\n`)), [['conflicting-duplicate-setting', 'warning', 3]]);
  assert.deepEqual(ids(hikari(`${URL}autoCommit=yes\n`)), [['setting-ignored-by-library', 'warning', 2]]);
  assert.deepEqual(ids(hikari(`${URL}dataSourceClassName=com.mysql.cj.jdbc.MysqlDataSource\n`)), [
    ['setting-ignored-by-library', 'warning', 1],
  ]);
  assert.deepEqual(ids(hikari(`${URL}driverClassName=a.B\ndataSourceClassName=c.D\n`)), [['startup-failure', 'error', 2]]);
});

test('c3p0 seconds keys written in milliseconds; a deliberate long value stays silent', () => {
  const path = 'c3p0.properties';
  const build = (text: string) => buildC3p0Pool({ path, entries: entries(path, text) }).problems;
  const ps = build('c3p0.maxIdleTime=20000\nc3p0.maxConnectionAge=28800\nc3p0.idleConnectionTestPeriod=60000\n');
  assert.deepEqual(ids(ps), [
    ['suspicious-duration-unit', 'warning', 1],
    ['suspicious-duration-unit', 'warning', 3],
  ]);
  assert.match(ps[0]?.message ?? '', /5 h 33 min 20 s.*20 s.*write c3p0\.maxIdleTime=20$/);
  assert.deepEqual(ids(build('c3p0.maxIdleTime=20\nc3p0.maxIdleTimeExcessConnections=1800\n')), []);
});

test('DBCP2 and Tomcat JDBC milliseconds keys written in seconds', () => {
  const path = 'pool.properties';
  const d = buildDbcp2Pool({
    path,
    entries: entries(path, 'd.minEvictableIdleTimeMillis=300\nd.maxWaitMillis=5000\nd.maxConn=1800\n'),
    prefix: 'd.',
  });
  // maxConn (the 2.10 Duration setter) sets maxConnLifetimeMillis, checked in the key table's order.
  assert.deepEqual(ids(d.problems), [
    ['suspicious-duration-unit', 'warning', 3],
    ['suspicious-duration-unit', 'warning', 1],
  ]);
  const t = buildTomcatPool({ path, entries: entries(path, 't.maxAge=3600\nt.validationInterval=3000\n'), prefix: 't.' });
  assert.deepEqual(ids(t.problems), [['suspicious-duration-unit', 'warning', 1]]);
  assert.match(t.problems[0]?.message ?? '', /3\.6 s.*1 h.*write t\.maxAge=3600000$/);
  // A cleaner period that is both a unit slip and rewritten down to maxAge is reported once.
  const both = buildTomcatPool({ path, entries: entries(path, 't.maxAge=1000\nt.timeBetweenEvictionRunsMillis=1800\n'), prefix: 't.' });
  assert.deepEqual(ids(both.problems), [['suspicious-duration-unit', 'warning', 2]]);
});
