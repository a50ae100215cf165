import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import { nearVariable } from '../../src/interpreters/mysql/server.js';
import { tempRepo } from '../temp-repo.js';

async function findings(files: Record<string, string>): Promise<string[]> {
  const { result } = await lint({ cwd: tempRepo(files), paths: [] });
  return result.findings.map((f) => `${f.severity} ${f.ruleId} ${f.location.path}:${f.location.line} ${f.message}`);
}

test('an option one or two edits from a known variable is a misspelling candidate; real neighbours are not', () => {
  assert.deepEqual(
    ['wait_timeoutt', 'wiat_timeout', 'wait_timout', 'max_conections', 'max_allowed_packets', 'interactive_timeot'].map(
      (n) => nearVariable(n, 'mysql')?.variable.name,
    ),
    ['wait_timeout', 'wait_timeout', 'wait_timeout', 'max_connections', 'max_allowed_packet', 'interactive_timeout'],
  );
  assert.equal(nearVariable('wiat_timeout', 'mysql')?.distance, 2);
  for (const real of [
    'net_write_timeout',
    'lock_wait_timeout',
    'max_user_connections',
    'extra_max_connections',
    'max_connect_errors',
    'mysqlx_wait_timeout',
    'slave_max_allowed_packet',
    'maximum_wait_timeout',
    'skip_name_resolve',
    'innodb_buffer_pool_size',
  ]) {
    assert.equal(nearVariable(real, 'mariadb'), undefined, real);
    assert.equal(nearVariable(real, 'mysql'), undefined, real);
  }
  // Short names are never judged; MariaDB accepts a unique prefix (wait_timeou sets wait_timeout).
  assert.equal(nearVariable('timeout', 'mysql'), undefined);
  assert.equal(nearVariable('wait_timeou', 'mariadb'), undefined);
  assert.equal(nearVariable('wait_timeou', 'mysql')?.variable.name, 'wait_timeout');
  // MariaDB-only variables are not neighbours on MySQL.
  assert.equal(nearVariable('tcp_keepalive_tim', 'mysql'), undefined);
});

test('wait_timeoutt in [mysqld] is a warning that names the value wait_timeout keeps', async () => {
  const maria = await findings({ 'my.cnf': '[mysqld]\nwait_timeout = 900\nwait_timeoutt = 600\n[mariadb]\n' });
  assert.deepEqual(maria, [
    'warning unknown-setting my.cnf:3 wait_timeoutt is not a server variable connlint knows and is one letter away from wait_timeout: if it is a misspelling, mysqld stops with "unknown variable \'wait_timeoutt=600\'" (exit 7), and wait_timeout stays 900 (15 min), set at my.cnf:2. Spell it wait_timeout, or prefix it with loose- if it is an option of a plugin or another version',
  ]);
  const loose = await findings({ 'my.cnf': '[mysqld]\nloose-wait-timout = 600\n' });
  assert.equal(loose.length, 1);
  assert.match(
    loose[0] ?? '',
    /ignores the line \(it has the loose- prefix\) and wait_timeout stays 28800 \(8 h\), the MySQL default\. Spell it loose-wait_timeout$/,
  );
});

test('options outside the server groups and real neighbours are not reported as misspellings', async () => {
  assert.deepEqual(await findings({ 'my.cnf': '[mysqld]\nnet_write_timeout = 120\nlock_wait_timeout = 50\n' }), []);
  assert.deepEqual(await findings({ 'my.cnf': '[mysqld]\nwait_timeout = 600\n[mysqldump]\nmax_allowed_packt = 1G\n' }), []);
});
