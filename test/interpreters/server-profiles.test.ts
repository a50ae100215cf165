import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ProfileVariable, SERVER_PROFILES, versionFits } from '../../src/interpreters/mysql/server-profiles.js';

const H8 = 28800;
const MIB = 1024 * 1024;

function value(v: ProfileVariable | undefined): number | undefined {
  return v && 'value' in v ? v.value : undefined;
}

// mysql-server.md, "Settings", copied by hand: wait_timeout 28800; interactive_timeout 28800;
// max_allowed_packet MySQL 8.0 67108864 (8.4: 64 MiB, unverified), MariaDB 10.11 16777216 (>=10.2.4 16 MiB);
// max_connections 151 (MySQL 5.7/8.x, MariaDB 10.11).
const RELEASES: Array<[string, 'mysql' | 'mariadb', string, number]> = [
  ['mysql-8.0', 'mysql', '8.0', 64 * MIB],
  ['mysql-8.4', 'mysql', '8.4', 64 * MIB],
  ['mariadb-10.11', 'mariadb', '10.11', 16 * MIB],
  ['mariadb-11', 'mariadb', '11', 16 * MIB],
];

test('each release profile has the Settings table values for its engine and version', () => {
  for (const [id, engine, version, packet] of RELEASES) {
    const p = SERVER_PROFILES.get(id);
    assert.ok(p, id);
    assert.equal(p.engine, engine, id);
    assert.equal(p.version, version, id);
    assert.equal(p.managed, false, id);
    assert.equal(value(p.variables.wait_timeout), H8, id);
    assert.equal(value(p.variables.interactive_timeout), H8, id);
    assert.equal(value(p.variables.max_allowed_packet), packet, id);
    assert.equal(value(p.variables.max_connections), 151, id);
    for (const v of Object.values(p.variables)) assert.ok(v.fact.startsWith('mysql-server.md, Settings: '), `${id}: ${v.fact}`);
  }
});

test('release values the file gives only as "no change known" say (unverified) in their fact', () => {
  const mysql84 = SERVER_PROFILES.get('mysql-8.4');
  assert.match(mysql84?.variables.wait_timeout?.fact ?? '', /\(unverified/);
  assert.match(mysql84?.variables.max_allowed_packet?.fact ?? '', /unverified/);
  const mariadb11 = SERVER_PROFILES.get('mariadb-11');
  for (const name of ['wait_timeout', 'interactive_timeout', 'max_allowed_packet', 'max_connections']) {
    assert.match(mariadb11?.variables[name]?.fact ?? '', /unverified/, name);
  }
  // mysql-8.0 and mariadb-10.11 are the releases the file confirms: no caveat.
  for (const id of ['mysql-8.0', 'mariadb-10.11']) {
    for (const v of Object.values(SERVER_PROFILES.get(id)?.variables ?? {})) assert.doesNotMatch(v.fact, /unverified/, id);
  }
});

// mysql-server.md, "Managed services and images": no provider documents a wait_timeout the file confirms
// (RDS "engine default ... unverified", Aurora "28800 (unverified)", Cloud SQL "not documented", Azure
// "not documented"); max_connections is a memory formula (RDS, Aurora), a machine-type default
// (Cloud SQL, unverified) or a compute-size table (Azure).
const MANAGED: Array<[string, string, RegExp]> = [
  ['aws-rds-mysql', 'Amazon RDS for MySQL', /DBInstanceClassMemory\/12582880/],
  ['aws-aurora-mysql', 'Amazon Aurora MySQL', /log\(DBInstanceClassMemory\/805306368\)\*45/],
  ['gcp-cloud-sql-mysql', 'Google Cloud SQL for MySQL', /machine type/],
  ['azure-mysql-flexible', 'Azure Database for MySQL Flexible Server', /B1s 85.*E96ds_v5 50000; min 10/],
];

test('managed profiles invent no value: each variable is unknown, says why and asks for database.variables', () => {
  for (const [id, name, connections] of MANAGED) {
    const p = SERVER_PROFILES.get(id);
    assert.ok(p, id);
    assert.equal(p.name, name);
    assert.equal(p.engine, 'mysql');
    assert.equal(p.version, undefined, `${id}: a service runs several versions`);
    assert.equal(p.managed, true);
    assert.deepEqual(Object.keys(p.variables).sort(), ['interactive_timeout', 'max_allowed_packet', 'max_connections', 'wait_timeout']);
    for (const [variable, v] of Object.entries(p.variables)) {
      assert.ok('unknown' in v, `${id} ${variable}`);
      assert.ok(v.unknown.endsWith(`declare database.variables.${variable} with the value your instance uses`), v.unknown);
      assert.ok(v.fact.startsWith('mysql-server.md, Managed services and images: '), v.fact);
    }
    const max = p.variables.max_connections;
    assert.match(max && 'unknown' in max ? max.unknown : '', connections, id);
  }
  const rdsWait = SERVER_PROFILES.get('aws-rds-mysql')?.variables.wait_timeout;
  assert.match(rdsWait && 'unknown' in rdsWait ? rdsWait.unknown : '', /28800 s.*unverified/);
});

test('each profile cites the knowledge file and the documentation it names', () => {
  const cited: Record<string, string> = {
    'mysql-8.0': 'https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html',
    'mariadb-10.11': 'MariaDB/server @ mariadb-10.11.18 (sql/sys_vars.cc, include/mysql_com.h)',
    'aws-rds-mysql': 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections',
    'aws-aurora-mysql': 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Performance.html',
    'gcp-cloud-sql-mysql': 'https://cloud.google.com/sql/docs/mysql/quotas',
    'azure-mysql-flexible': 'MicrosoftDocs/azure-databases-docs articles/mysql/flexible-server/concepts-server-parameters.md @ d576c8e',
  };
  for (const [id, source] of Object.entries(cited)) assert.ok(SERVER_PROFILES.get(id)?.sources.includes(source), id);
  for (const p of SERVER_PROFILES.values()) assert.equal(p.sources[0], 'mysql-server.md', p.id);
});

test('a declared version fits a release profile when it names that release, part by part', () => {
  const p = (id: string) => SERVER_PROFILES.get(id) ?? assert.fail(id);
  assert.equal(versionFits(p('mysql-8.0'), '8.0'), true);
  assert.equal(versionFits(p('mysql-8.0'), '8.0.36'), true);
  assert.equal(versionFits(p('mysql-8.0'), '8'), false);
  assert.equal(versionFits(p('mysql-8.0'), '8.4'), false);
  assert.equal(versionFits(p('mariadb-11'), '11.8.2'), true);
  assert.equal(versionFits(p('mariadb-11'), '10.11'), false);
  assert.equal(versionFits(p('aws-rds-mysql'), '5.7'), true);
});
