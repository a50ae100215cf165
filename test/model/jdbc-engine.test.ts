import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engineFromJdbc } from '../../src/interpreters/jdbc/engine.js';

test('engine from JDBC URL forms (jdbc-mysql-drivers.md, engine detection)', () => {
  const table: Array<[string, string | undefined]> = [
    ['jdbc:mysql://db:3306/app', 'mysql'],
    ['JDBC:MySQL://db/app', 'mysql'],
    ['jdbc:mysql:loadbalance://a,b/app', 'mysql'],
    ['jdbc:mysql:replication://a,b/app', 'mysql'],
    ['jdbc:mysql+srv://_mysql._tcp.example.com/app', 'mysql'],
    ['jdbc:mysql+srv:loadbalance://_mysql._tcp.example.com/app', 'mysql'],
    ['jdbc:mysql:aws://cluster.rds.amazonaws.com/app', 'mysql'],
    ['jdbc:aws-wrapper:mysql://cluster.rds.amazonaws.com/app', 'mysql'],
    ['jdbc:aws-wrapper:postgresql://cluster/app', 'postgresql'],
    ['jdbc:mariadb://db/app', 'mariadb'],
    ['jdbc:mariadb:replication://a,b/app', 'mariadb'],
    ['jdbc:postgresql://db:5432/app', 'postgresql'],
    ['jdbc:postgresql:app', 'postgresql'],
    // MariaDB and pgjdbc compare their prefixes case-sensitively, so no driver takes these.
    ['JDBC:MARIADB://db/app', undefined],
    ['jdbc:PostgreSQL://db/app', undefined],
    ['jdbc:h2:mem:test', undefined],
    ['mysqlx://db/app', undefined],
    [' jdbc:mysql://db/app', undefined],
  ];
  for (const [jdbcUrl, engine] of table) assert.equal(engineFromJdbc({ jdbcUrl })?.engine, engine, jdbcUrl);
});

test('engine from driver and DataSource class names', () => {
  const drivers: Array<[string, string]> = [
    ['com.mysql.cj.jdbc.Driver', 'mysql'],
    ['com.mysql.jdbc.Driver', 'mysql'],
    ['org.mariadb.jdbc.Driver', 'mariadb'],
    ['org.postgresql.Driver', 'postgresql'],
  ];
  for (const [driverClassName, engine] of drivers) assert.equal(engineFromJdbc({ driverClassName })?.engine, engine, driverClassName);
  const dataSources: Array<[string, string]> = [
    ['com.mysql.cj.jdbc.MysqlDataSource', 'mysql'],
    ['com.mysql.jdbc.jdbc2.optional.MysqlDataSource', 'mysql'],
    ['org.mariadb.jdbc.MariaDbPoolDataSource', 'mariadb'],
    ['org.postgresql.ds.PGSimpleDataSource', 'postgresql'],
  ];
  for (const [dataSourceClassName, engine] of dataSources)
    assert.equal(engineFromJdbc({ dataSourceClassName })?.engine, engine, dataSourceClassName);
  assert.equal(engineFromJdbc({ driverClassName: 'org.h2.Driver' }), undefined);
  assert.equal(engineFromJdbc({}), undefined);
});

test('the DataSource class wins over the URL (HikariCP ignores jdbcUrl then), the driver class over the URL scheme', () => {
  const ds = engineFromJdbc({ dataSourceClassName: 'org.postgresql.ds.PGSimpleDataSource', jdbcUrl: 'jdbc:mysql://db/app' });
  assert.equal(ds?.engine, 'postgresql');
  assert.match(ds?.reason ?? '', /PGSimpleDataSource/);
  // MariaDB Connector/J 2.x also accepts jdbc:mysql: URLs; the named driver is the one that runs.
  const driver = engineFromJdbc({ driverClassName: 'org.mariadb.jdbc.Driver', jdbcUrl: 'jdbc:mysql://db/app' });
  assert.equal(driver?.engine, 'mariadb');
  // An unknown class leaves the URL to decide.
  const wrapped = engineFromJdbc({ driverClassName: 'software.amazon.jdbc.Driver', jdbcUrl: 'jdbc:aws-wrapper:mariadb://db/app' });
  assert.equal(wrapped?.engine, 'mariadb');
  assert.match(wrapped?.reason ?? '', /JDBC URL/);
});
