import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import { tempRepo } from '../temp-repo.js';

async function run(files: Record<string, string>) {
  const { result, model } = await lint({ cwd: tempRepo(files), paths: [] });
  const findings = result.findings.map((f) => `${f.severity} ${f.ruleId} ${f.location.path}:${f.location.line} ${f.message}`);
  return { findings, servers: model.servers };
}

test('an EMPTY MariaDB-only group (Debian 50-server.cnf ends with [mariadb] and [mariadb-10.11]) makes the server MariaDB', async () => {
  const { servers } = await run({
    '50-server.cnf': '[server]\n\n[mysqld]\nwait_timeout = 600\n\n[embedded]\n\n[mariadb]\n\n[mariadb-10.11]\n',
  });
  assert.equal(servers[0]?.engine, 'mariadb');
  assert.equal(
    servers[0]?.engineReason,
    '[mariadb] group at 50-server.cnf:8 is read only by MariaDB (its packaging ships such groups, even empty ones)',
  );
});

test('an empty [client-server] group (the MariaDB RPM my.cnf) makes the server MariaDB', async () => {
  const { servers } = await run({ 'my.cnf': '[client-server]\n\n[mysqld]\nwait_timeout = 600\n' });
  assert.equal(servers[0]?.engine, 'mariadb');
  assert.match(servers[0]?.engineReason ?? '', /^\[client-server\] group at my\.cnf:1 /);
});

test('a [client-mariadb] group (read by MariaDB clients only) makes the tree MariaDB', async () => {
  const { servers } = await run({ 'my.cnf': '[client-mariadb]\ndefault-character-set = utf8mb4\n\n[mysqld]\nwait_timeout = 600\n' });
  assert.equal(servers[0]?.engine, 'mariadb');
  assert.match(servers[0]?.engineReason ?? '', /^\[client-mariadb\] group at my\.cnf:1 /);
});

test('a MariaDB-only variable makes the server MariaDB; default_authentication_plugin makes it MySQL; else MySQL is assumed', async () => {
  const maria = await run({ 'my.cnf': '[mysqld]\nidle_transaction_timeout = 60\n' });
  assert.equal(maria.servers[0]?.engine, 'mariadb');
  assert.equal(maria.servers[0]?.engineReason, 'idle_transaction_timeout at my.cnf:2 is a MariaDB-only server variable');
  const mysql = await run({ 'my.cnf': '[mysqld]\ndefault_authentication_plugin = mysql_native_password\n' });
  assert.equal(mysql.servers[0]?.engine, 'mysql');
  assert.match(mysql.servers[0]?.engineReason ?? '', /^default_authentication_plugin at my\.cnf:2 is a MySQL option/);
  const none = await run({ 'my.cnf': '[mysqld]\nwait_timeout = 600\n' });
  assert.equal(none.servers[0]?.engineReason, 'no MariaDB-only option group, so MySQL is assumed');
});

test('default_authentication_plugin: a no-op on MariaDB (ignored, never "will not start"); unknown version on MySQL is a warning', async () => {
  const maria = await run({ 'my.cnf': '[mysqld]\ndefault_authentication_plugin = mysql_native_password\n[mariadb]\n' });
  assert.equal(maria.findings.length, 1);
  assert.match(
    maria.findings[0] ?? '',
    /^warning setting-ignored-by-library my\.cnf:2 MariaDB has no default_authentication_plugin, so the line has no effect/,
  );
  const mysql = await run({ 'my.cnf': '[mysqld]\ndefault_authentication_plugin = mysql_native_password\n' });
  assert.equal(mysql.findings.length, 1);
  assert.match(mysql.findings[0] ?? '', /^warning unknown-setting my\.cnf:2 default_authentication_plugin was removed in MySQL 8\.4\.0/);
});

test('a MariaDB-only variable on a declared MySQL server stops mysqld, unless it is written loose-', async () => {
  const config = 'optionFiles:\n  flavor: mysql\n  version: "8.0"\n';
  const plain = await run({ 'connlint.config.yaml': config, 'my.cnf': '[mysqld]\nidle_transaction_timeout = 60\n' });
  assert.ok(
    plain.findings.some((f) => f.startsWith('error startup-failure my.cnf:2 MySQL has no idle_transaction_timeout')),
    String(plain.findings),
  );
  const loose = await run({ 'connlint.config.yaml': config, 'my.cnf': '[mysqld]\nloose-idle_transaction_timeout = 60\n' });
  assert.ok(
    loose.findings.some((f) => f.startsWith('warning unknown-setting my.cnf:2 MySQL has no idle_transaction_timeout')),
    String(loose.findings),
  );
});

test('mixed-case names and LOOSE- are MariaDB spellings: on MariaDB LOOSE-WAIT-TIMEOUT sets wait_timeout; on MySQL they are warned about', async () => {
  const maria = await run({ 'my.cnf': '[mysqld]\nLOOSE-WAIT-TIMEOUT = 77\n[mariadb]\n' });
  assert.deepEqual(maria.findings, []);
  assert.deepEqual(maria.servers[0]?.settings.get('wait_timeout')?.value, { kind: 'duration', ms: 77_000 });
  const mysql = await run({ 'my.cnf': '[mysqld]\nWait_Timeout = 600\n' });
  assert.equal(mysql.findings.length, 1);
  assert.match(
    mysql.findings[0] ?? '',
    /^warning unknown-setting my\.cnf:2 MySQL 8 compares option names case-sensitively .*did you mean wait_timeout\?$/,
  );
});

test('values mysqld adjusts at start-up are setting-ignored-by-library, with what runs; the silent 1024 rounding says it is silent', async () => {
  const { findings } = await run({ 'my.cnf': '[mysqld]\nmax_allowed_packet = 100000\nwait_timeout = 99999999999\n' });
  assert.deepEqual(findings, [
    'warning setting-ignored-by-library my.cnf:2 mysqld does not use max_allowed_packet = 100000 (97.7 KiB): it rounds it down to a multiple of 1024 without any message and runs with 99328 (97 KiB); write 99328',
    `warning setting-ignored-by-library my.cnf:3 mysqld does not use wait_timeout = 99999999999 (1157407 d 9 h 46 min): it logs the Warning "option 'wait_timeout': unsigned value 99999999999 adjusted to 31536000" at start-up and runs with 31536000 (365 d); write 31536000`,
  ]);
});

test('a negative value is fatal on MariaDB (startup-failure) and raised to the minimum on MySQL (setting-ignored-by-library)', async () => {
  const maria = await run({ 'my.cnf': '[mysqld]\nmax_connections = -5\n[mariadb]\n' });
  assert.match(maria.findings[0] ?? '', /^error startup-failure my\.cnf:2 Incorrect unsigned value: '-5'/);
  const mysql = await run({ 'my.cnf': '[mysqld]\nmax_connections = -5\n' });
  assert.match(mysql.findings[0] ?? '', /^warning setting-ignored-by-library my\.cnf:2 mysqld does not use max_connections = -5/);
});

test('conflicting-duplicate-setting: a warning within one file; across files silent unless acrossFiles, then a note', async () => {
  const same = await run({ 'my.cnf': '[mysqld]\nwait_timeout = 600\nwait-timeout = 1K\nwait_timeout = 1024\n' });
  // 1K and 1024 are one value: only 600 conflicts with the value in force.
  assert.deepEqual(
    same.findings.filter((f) => f.includes('conflicting-duplicate-setting')),
    [
      'warning conflicting-duplicate-setting my.cnf:2 wait_timeout is set twice with different values: 600 (10 min) at my.cnf:2, then 1024 (17 min 4 s) at my.cnf:4; the server (MySQL) uses the last one, so the line at my.cnf:2 has no effect. Keep one line with the value you mean',
    ],
  );
  const files = { 'my.cnf': '[mysqld]\nwait_timeout = 28800\n!includedir conf.d\n', 'conf.d/90-app.cnf': '[mysqld]\nwait_timeout = 600\n' };
  assert.deepEqual((await run(files)).findings, []);
  const across = await run({
    ...files,
    'connlint.config.yaml': 'rules:\n  conflicting-duplicate-setting: { severity: warning, options: { acrossFiles: true } }\n',
  });
  // A note by default; the severity written in the config (required with options) applies to every finding of the rule.
  assert.deepEqual(across.findings, [
    'warning conflicting-duplicate-setting my.cnf:2 wait_timeout is set twice with different values: 28800 (8 h) at my.cnf:2, then 600 (10 min) at conf.d/90-app.cnf:2; the server (MySQL) uses the last one, so the line at my.cnf:2 has no effect (a later file overriding an earlier one, which may be on purpose)',
  ]);
});

test('conflicting-duplicate-setting covers sysctl trees: a later file of the same tree is across files, the same file is a warning', async () => {
  const { findings } = await run({
    'etc/sysctl.d/60-keepalive.conf': 'net.ipv4.tcp_keepalive_time = 600\nnet.ipv4.tcp_keepalive_time = 300\n',
  });
  assert.deepEqual(
    findings.filter((f) => f.includes('conflicting-duplicate-setting')),
    [
      'warning conflicting-duplicate-setting etc/sysctl.d/60-keepalive.conf:1 net.ipv4.tcp_keepalive_time is set twice with different values: 600 (10 min) at etc/sysctl.d/60-keepalive.conf:1, then 300 (5 min) at etc/sysctl.d/60-keepalive.conf:2; the kernel (sysctl files, last one applied) uses the last one, so the line at etc/sysctl.d/60-keepalive.conf:1 has no effect. Keep one line with the value you mean',
    ],
  );
});
