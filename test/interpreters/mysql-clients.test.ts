import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import { buildFileClients, clientGroups } from '../../src/interpreters/mysql/clients.js';
import type { OptionFileClient } from '../../src/model/model.js';
import { tempRepo } from '../temp-repo.js';

async function run(files: Record<string, string>) {
  const { result, model } = await lint({ cwd: tempRepo(files), paths: [] });
  const packet = result.findings.filter((f) => f.ruleId === 'client-packet-exceeds-server-limit');
  return { model, packet };
}

function packetOf(client: OptionFileClient | undefined): number | string | undefined {
  const v = client?.settings.get('max_allowed_packet')?.value;
  return v?.kind === 'size' ? v.bytes : v?.kind;
}

test('the mysql client reads [mysql] [client] on MySQL; the MariaDB client also [mariadb-client] [client-server] [client-mariadb]', () => {
  assert.deepEqual(clientGroups('mysql'), ['mysql', 'client']);
  assert.deepEqual(clientGroups('mariadb'), ['mysql', 'mariadb-client', 'client', 'client-server', 'client-mariadb']);
});

test('a MySQL tree: [client-server] and [client-mariadb] values do not reach the mysql client; [mysqldump] never does', async () => {
  const { model } = await run({
    'my.cnf':
      '[client]\nmax_allowed_packet = 32M\n[mysql]\nmax_allowed_packet = 48M\n[mysqldump]\nmax_allowed_packet = 1G\n' +
      '[mysqld]\ndefault_authentication_plugin = mysql_native_password\n',
  });
  const client = model.clients[0];
  assert.equal(model.clients.length, 1);
  assert.equal(client?.id, 'client:my.cnf');
  assert.equal(client?.program, 'mysql');
  assert.deepEqual(client?.groups, ['mysql', 'client']);
  // Last one wins in file order, across the groups the client reads.
  assert.equal(packetOf(client), 48 * 1048576);
  assert.equal(client?.settings.get('max_allowed_packet')?.group, 'mysql');
  assert.equal(client?.settings.get('max_allowed_packet')?.overrides.length, 1);
  assert.equal(client?.serverId, 'mysql:my.cnf');
});

test('a MariaDB tree: [client-server] and [client-mariadb] are read by the client, in file order', async () => {
  const { model } = await run({
    'my.cnf': '[client-server]\nmax_allowed_packet = 8M\n[client-mariadb]\nmax_allowed_packet = 24M\n[mariadb]\n',
  });
  const client = model.clients[0];
  assert.deepEqual(client?.groups, ['mysql', 'mariadb-client', 'client', 'client-server', 'client-mariadb']);
  assert.equal(packetOf(client), 24 * 1048576);
  assert.equal(client?.settings.get('max_allowed_packet')?.group, 'client-mariadb');
  assert.equal(client?.serverId, 'mariadb:my.cnf');
});

test('[client-mariadb] alone makes the client the MariaDB one, even where the server detection assumes MySQL', async () => {
  const { model } = await run({ '.my.cnf': '[client-mariadb]\nmax_allowed_packet = 24M\n' });
  assert.equal(packetOf(model.clients[0]), 24 * 1048576);
  assert.equal(model.clients[0]?.serverId, undefined);
  assert.equal(model.servers.length, 0);
});

test('a client group in a file reached by !includedir belongs to the root tree, with the include line as via', async () => {
  const { model } = await run({
    'my.cnf': '[mysqld]\nmax_allowed_packet = 32M\n\n!includedir conf.d/\n',
    'conf.d/client.cnf': '[client]\nmax_allowed_packet = 256M\n',
  });
  assert.equal(model.clients.length, 1);
  const client = model.clients[0];
  assert.equal(client?.root, 'my.cnf');
  assert.deepEqual(client?.files, ['my.cnf', 'conf.d/client.cnf']);
  const s = client?.settings.get('max_allowed_packet');
  assert.equal(s?.origin.kind === 'file' && s.origin.span.path, 'conf.d/client.cnf');
  assert.equal(s?.origin.kind === 'file' && s.origin.via[0]?.line, 4);
  assert.equal(client?.serverId, 'mysql:my.cnf');
});

test('values are read as the option parser does: suffixes, 1024 rounding, the client range 4096 to 2 GiB', async () => {
  const read = async (text: string) => packetOf((await run({ 'my.cnf': `[client]\nmax_allowed_packet = ${text}\n` })).model.clients[0]);
  assert.equal(await read('64MB'), 64 * 1048576);
  assert.equal(await read('100000'), 99328);
  assert.equal(await read('1000'), 4096);
  // The client's ceiling is 2 GiB, not the server's 1 GiB.
  assert.equal(await read('2G'), 2147483648);
  assert.equal(await read('3G'), 2147483648);
  assert.equal(await read('8h'), 'unknown');
  const { model } = await run({ 'my.cnf': '[client]\nmax_allowed_packet = 100000\n' });
  assert.ok(model.clients[0]?.settings.get('max_allowed_packet')?.clamp);
});

test('no client without a client group; a tree with only an empty [client] header still has one', async () => {
  assert.equal((await run({ 'my.cnf': '[mysqld]\nwait_timeout = 600\n' })).model.clients.length, 0);
  const empty = await run({ 'my.cnf': '[client]\n[mysqld]\nwait_timeout = 600\n' });
  assert.equal(empty.model.clients.length, 1);
  assert.equal(empty.model.clients[0]?.settings.size, 0);
});

test('buildFileClients pairs a client with the server built from the same root only', () => {
  const entry = (key: string, text: string, section: string, path: string) => ({
    entry: {
      key,
      raw: text,
      text,
      section,
      span: { path, line: 2, column: 1, endLine: 2, endColumn: 10 },
      keySpan: { path, line: 2, column: 1, endLine: 2, endColumn: 5 },
      valueSpan: { path, line: 2, column: 8, endLine: 2, endColumn: 10 },
    },
    via: [],
  });
  const clients = buildFileClients(
    [
      { root: 'a/my.cnf', files: ['a/my.cnf'], options: [entry('max_allowed_packet', '1G', 'client', 'a/my.cnf')] },
      { root: 'b/my.cnf', files: ['b/my.cnf'], options: [entry('max_allowed_packet', '1G', 'mysql', 'b/my.cnf')] },
    ],
    { mounts: {} } as never,
    [{ id: 'mysql:a/my.cnf', root: 'a/my.cnf', source: 'file' } as never],
  );
  assert.deepEqual(
    clients.map((c) => [c.id, c.serverId]),
    [
      ['client:a/my.cnf', 'mysql:a/my.cnf'],
      ['client:b/my.cnf', undefined],
    ],
  );
});

test('the rule: a client above its server warns; the only server elsewhere is assumed, as a note; no server, no finding', async () => {
  const same = await run({ 'my.cnf': '[mysql]\nmax_allowed_packet = 1G\n[mysqld]\nmax_allowed_packet = 64M\n' });
  assert.equal(same.packet.length, 1);
  assert.equal(same.packet[0]?.severity, 'warning');
  const elsewhere = await run({
    'home/.my.cnf': '[client]\nmax_allowed_packet = 1G\n',
    'db/my.cnf': '[mysqld]\nmax_allowed_packet = 64M\n',
  });
  assert.equal(elsewhere.packet.length, 1);
  assert.equal(elsewhere.packet[0]?.severity, 'note');
  assert.match(elsewhere.packet[0]?.message ?? '', /assumed: db\/my\.cnf is the only MySQL\/MariaDB server configured here/);
  const alone = await run({ '.my.cnf': '[client]\nmax_allowed_packet = 1G\n' });
  assert.equal(alone.packet.length, 0);
  // 1G against the server's 1G: the server rounds and caps first, so 2G there is also 1 GiB.
  const capped = await run({ 'my.cnf': '[mysql]\nmax_allowed_packet = 1G\n[mysqld]\nmax_allowed_packet = 2G\n' });
  assert.equal(capped.packet.length, 0);
});

test('the rule: a client above the server maximum (1 GiB) is told to lower its value, since the server cannot follow', async () => {
  const { packet } = await run({ 'my.cnf': '[client]\nmax_allowed_packet = 2G\n[mysqld]\nmax_allowed_packet = 1G\n' });
  assert.equal(packet.length, 1);
  assert.match(packet[0]?.message ?? '', /max_allowed_packet is 2G \(2 GiB\) for the mysql client \(\[client\]\)/);
  assert.match(
    packet[0]?.message ?? '',
    /Lower it to 1G \(1 GiB\); the server's max_allowed_packet \(under \[mysqld\] at my\.cnf:4\) cannot go above 1G/,
  );
  assert.equal(packet[0]?.fix, undefined);
});

test('the rule: a declared server (connlint.config.yaml database.variables) is compared, the advice names the declaration', async () => {
  const { packet } = await run({
    'connlint.config.yaml': 'database:\n  engine: mysql\n  variables:\n    max_allowed_packet: "16M"\n',
    '.my.cnf': '[mysql]\nmax_allowed_packet = 64M\n',
  });
  assert.equal(packet.length, 1);
  assert.equal(packet[0]?.severity, 'note');
  assert.match(packet[0]?.message ?? '', /declared in connlint\.config\.yaml/);
});
