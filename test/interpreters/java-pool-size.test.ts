// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Spring's own ${name:default} placeholders are what these inputs hold
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import { propertyEntry } from '../../src/formats/java-properties.js';
import { buildC3p0Pool } from '../../src/interpreters/c3p0/pool.js';
import { buildDbcp2Pool } from '../../src/interpreters/dbcp2/pool.js';
import { buildHikariPool } from '../../src/interpreters/hikaricp/pool.js';
import { connectionProperty, urlParameter } from '../../src/interpreters/jdbc/packet-limit.js';
import { buildTomcatPool } from '../../src/interpreters/tomcat-jdbc/pool.js';
import type { Pool } from '../../src/model/model.js';
import { parseJavaProperties } from '../../src/parsers/java-properties.js';
import { tempRepo } from '../temp-repo.js';

function entries(path: string, text: string) {
  return parseJavaProperties(path, text).doc.entries.map(propertyEntry);
}

const SPAN = { path: 'connlint.config.yaml', line: 1, column: 1, endLine: 1, endColumn: 2 };

function hikari(text: string, version?: string): Pool {
  const path = 'hikari.properties';
  return buildHikariPool({ path, entries: entries(path, text), prefix: '', ...(version ? { version: { version, span: SPAN } } : {}) }).pool;
}
const c3p0 = (text: string) => buildC3p0Pool({ path: 'c3p0.properties', entries: entries('c3p0.properties', text) }).pool;
const dbcp2 = (text: string) => buildDbcp2Pool({ path: 'dbcp.properties', entries: entries('dbcp.properties', text), prefix: '' }).pool;
const tomcat = (text: string) =>
  buildTomcatPool({ path: 'tomcat.properties', entries: entries('tomcat.properties', text), prefix: '' }).pool;

/** The bound, the key and origin kind of its first setting: what the rule reads. */
function size(pool: Pool): [number | undefined, string | undefined, string | undefined] {
  return [pool.maxSize?.value, pool.maxSize?.settings[0]?.key, pool.maxSize?.settings[0]?.origin.kind];
}

test('HikariCP maximumPoolSize: written, default 10, and minimumIdle alone by version (hikaricp.md, maximumPoolSize)', () => {
  const URL = 'jdbcUrl=jdbc:mysql://db:3306/app\n';
  assert.deepEqual(size(hikari(`${URL}maximumPoolSize=50\n`)), [50, 'maximumPoolSize', 'file']);
  assert.deepEqual(size(hikari(URL, '5.1.0')), [10, 'maximumPoolSize', 'library-default']);
  assert.match(hikari(URL, '5.1.0').maxSize?.note ?? '', /default/);
  // Up to 3.3.0 an unset maximumPoolSize takes minimumIdle when that is above 0; from 3.3.1 it is 10.
  assert.equal(hikari(`${URL}minimumIdle=20\n`, '2.7.9').maxSize?.value, 20);
  assert.match(hikari(`${URL}minimumIdle=20\n`, '2.7.9').maxSize?.note ?? '', /takes minimumIdle/);
  assert.equal(hikari(`${URL}minimumIdle=20\n`, '5.1.0').maxSize?.value, 10);
  // Version unknown: the versions disagree, so the bound is not known, and the note says why.
  const unknown = hikari(`${URL}minimumIdle=20\n`);
  assert.equal(unknown.maxSize?.value, undefined);
  assert.match(unknown.maxSize?.note ?? '', /version/);
  // A placeholder is not guessed.
  const placeholder = hikari(`${URL}maximumPoolSize=\${POOL_SIZE}\n`);
  assert.equal(placeholder.maxSize?.value, undefined);
  assert.match(placeholder.maxSize?.note ?? '', /not known here/);
  // Hibernate's hibernate.hikari. keys name the same setting.
  const hib = buildHikariPool({
    path: 'hibernate.properties',
    entries: entries('hibernate.properties', 'hibernate.hikari.jdbcUrl=jdbc:mysql://db/app\nhibernate.hikari.maximumPoolSize=30\n'),
    prefix: 'hibernate.hikari.',
  }).pool;
  assert.deepEqual(size(hib), [30, 'hibernate.hikari.maximumPoolSize', 'file']);
});

test('c3p0 maxPoolSize: written, else 15 (java-pools.md, c3p0 table)', () => {
  assert.deepEqual(size(c3p0('c3p0.jdbcUrl=jdbc:mysql://db/app\nc3p0.maxPoolSize=40\n')), [40, 'c3p0.maxPoolSize', 'file']);
  assert.deepEqual(size(c3p0('c3p0.jdbcUrl=jdbc:mysql://db/app\n')), [15, 'c3p0.maxPoolSize', 'library-default']);
  // minPoolSize above maxPoolSize is lowered to it; the cap stays.
  assert.equal(c3p0('c3p0.maxPoolSize=5\nc3p0.minPoolSize=20\n').maxSize?.value, 5);
  assert.equal(c3p0('c3p0.maxPoolSize=many\n').maxSize?.value, undefined);
});

test('DBCP2 maxTotal: written, else 8; negative means no limit, so it cannot be counted', () => {
  assert.deepEqual(size(dbcp2('url=jdbc:mysql://db/app\nmaxTotal=30\n')), [30, 'maxTotal', 'file']);
  assert.deepEqual(size(dbcp2('url=jdbc:mysql://db/app\n')), [8, 'maxTotal', 'library-default']);
  const unbounded = dbcp2('url=jdbc:mysql://db/app\nmaxTotal=-1\n');
  assert.equal(unbounded.maxSize?.value, undefined);
  assert.match(unbounded.maxSize?.note ?? '', /maxTotal is -1: .*no limit/);
  // 0 lends nothing: a bound of 0, not "no limit".
  assert.equal(dbcp2('maxTotal=0\n').maxSize?.value, 0);
});

test('Tomcat JDBC maxActive: written, else 100; below 1 the pool uses 100 and the note says so', () => {
  assert.deepEqual(size(tomcat('url=jdbc:mysql://db/app\nmaxActive=25\n')), [25, 'maxActive', 'file']);
  assert.deepEqual(size(tomcat('url=jdbc:mysql://db/app\n')), [100, 'maxActive', 'library-default']);
  const clamped = tomcat('maxActive=0\n');
  assert.equal(clamped.maxSize?.value, 100);
  assert.match(clamped.maxSize?.note ?? '', /less than 1, so the pool uses 100/);
});

test('maxAllowedPacket in a URL query and in connectionProperties: the value and where it starts', () => {
  assert.deepEqual(urlParameter('jdbc:mysql://db/app?useSSL=false&maxAllowedPacket=1048576', 'maxAllowedPacket'), {
    text: '1048576',
    offset: 50,
  });
  assert.equal(urlParameter('jdbc:mysql://db/app', 'maxAllowedPacket'), undefined);
  assert.equal(urlParameter('jdbc:mysql://db/app?maxallowedpacket=5', 'maxAllowedPacket'), undefined);
  assert.deepEqual(connectionProperty('a=1;maxAllowedPacket=2048', 'maxAllowedPacket'), { text: '2048', offset: 21 });
});

test('packetLimit: MariaDB Connector/J 3.x applies its own value; Connector/J caps itself to the server value', () => {
  const maria = hikari('jdbcUrl=jdbc:mariadb://db:3306/app\ndataSource.maxAllowedPacket=67108864\n');
  assert.equal(maria.packetLimit?.driver, 'MariaDB Connector/J 3.x');
  assert.equal(maria.packetLimit?.capsToServer, false);
  assert.deepEqual(maria.packetLimit?.setting.value, { kind: 'size', bytes: 67108864 });
  assert.equal(maria.packetLimit?.setting.key, 'dataSource.maxAllowedPacket');
  assert.equal(maria.packetLimit?.setting.valueSpan?.line, 2);

  // A URL parameter: a setting of its own whose span is the number inside the URL.
  const cj = hikari('jdbcUrl=jdbc:mysql://db:3306/app?maxAllowedPacket=4194304\n');
  assert.equal(cj.packetLimit?.driver, 'MySQL Connector/J');
  assert.equal(cj.packetLimit?.capsToServer, true);
  assert.deepEqual(cj.packetLimit?.setting.value, { kind: 'size', bytes: 4194304 });
  const at = cj.packetLimit?.setting.valueSpan;
  assert.deepEqual([at?.line, at?.column, at?.endColumn], [1, 51, 58]);

  // Only when written: no default is filled in, and not for PostgreSQL.
  assert.equal(hikari('jdbcUrl=jdbc:mariadb://db:3306/app\n').packetLimit, undefined);
  assert.equal(hikari('jdbcUrl=jdbc:postgresql://db/app?maxAllowedPacket=5\n').packetLimit, undefined);
  // Connector/J does not take `16M`; a placeholder is not guessed.
  assert.equal(hikari('jdbcUrl=jdbc:mysql://db/app?maxAllowedPacket=16M\n').packetLimit?.setting.value.kind, 'unknown');
  assert.equal(hikari('jdbcUrl=jdbc:mariadb://db/app\ndataSource.maxAllowedPacket=${PACKET}\n').packetLimit?.setting.value.kind, 'unknown');
  // Written twice with different values: which one the driver uses is not guessed.
  const both = hikari('jdbcUrl=jdbc:mariadb://db/app?maxAllowedPacket=1024\ndataSource.maxAllowedPacket=2048\n');
  assert.equal(both.packetLimit?.setting.value.kind, 'unknown');

  assert.deepEqual(c3p0('c3p0.jdbcUrl=jdbc:mariadb://db/app?maxAllowedPacket=2048\n').packetLimit?.setting.value, {
    kind: 'size',
    bytes: 2048,
  });
  const viaList = tomcat('url=jdbc:mariadb://db/app\nconnectionProperties=useSSL=false;maxAllowedPacket=8192\n');
  assert.deepEqual(viaList.packetLimit?.setting.value, { kind: 'size', bytes: 8192 });
  assert.equal(viaList.packetLimit?.capsToServer, false);
  assert.deepEqual(dbcp2('url=jdbc:mysql://db/app?maxAllowedPacket=100000\n').packetLimit?.setting.value, { kind: 'size', bytes: 100000 });
});

async function springPools(files: Record<string, string>): Promise<Pool[]> {
  return (await lint({ cwd: tempRepo(files), paths: [] })).model.pools;
}

test('Spring Boot: maximum-pool-size, tomcat max-active, dbcp2 max-total, placeholders, data-source-properties', async () => {
  const yml = 'src/main/resources/application.yml';
  const [h] = await springPools({
    [yml]:
      'spring:\n  datasource:\n    url: jdbc:mariadb://db:3306/app\n    hikari:\n      maximum-pool-size: 40\n      data-source-properties:\n        maxAllowedPacket: 1048576\n',
  });
  assert.deepEqual(size(h as Pool), [40, 'spring.datasource.hikari.maximum-pool-size', 'file']);
  assert.deepEqual(h?.packetLimit?.setting.value, { kind: 'size', bytes: 1048576 });
  assert.equal(h?.packetLimit?.capsToServer, false);

  const [t] = await springPools({
    [yml]:
      'spring:\n  datasource:\n    type: org.apache.tomcat.jdbc.pool.DataSource\n    url: jdbc:mysql://db/app\n    tomcat:\n      max-active: 60\n',
  });
  assert.deepEqual(size(t as Pool), [60, 'spring.datasource.tomcat.max-active', 'file']);

  const [d] = await springPools({
    [yml]:
      'spring:\n  datasource:\n    type: org.apache.commons.dbcp2.BasicDataSource\n    url: jdbc:mysql://db/app\n    dbcp2:\n      max-total: -1\n',
  });
  assert.equal(d?.maxSize?.value, undefined);
  assert.match(d?.maxSize?.note ?? '', /no limit/);

  // A placeholder without a default: not known, with the reason.
  const [p] = await springPools({
    [yml]: 'spring:\n  datasource:\n    url: jdbc:mysql://db/app\n    hikari:\n      maximum-pool-size: ${POOL_MAX}\n',
  });
  assert.equal(p?.maxSize?.value, undefined);
  assert.match(p?.maxSize?.note ?? '', /POOL_MAX/);
  const [pt] = await springPools({
    [yml]:
      'spring:\n  datasource:\n    type: org.apache.tomcat.jdbc.pool.DataSource\n    url: jdbc:mysql://db/app\n    tomcat:\n      max-active: ${POOL_MAX}\n',
  });
  assert.equal(pt?.maxSize?.value, undefined);
  assert.match(pt?.maxSize?.note ?? '', /POOL_MAX/);
  // A placeholder with a default: Boot uses the default when nothing sets the name.
  const [pd] = await springPools({
    [yml]: 'spring:\n  datasource:\n    url: jdbc:mysql://db/app\n    hikari:\n      maximum-pool-size: ${POOL_MAX:25}\n',
  });
  assert.equal(pd?.maxSize?.value, 25);
});
