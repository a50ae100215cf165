import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import type { IdlePath } from '../../src/model/idle-path.js';
import { tempRepo } from '../temp-repo.js';

async function pathsOf(files: Record<string, string>): Promise<IdlePath[]> {
  return (await lint({ cwd: tempRepo(files), paths: [] })).model.paths;
}
const labels = (path: IdlePath | undefined) => path?.elements.map((e) => `${e.place}:${e.effect}:${e.label}`);
const killers = (path: IdlePath | undefined) => path?.verdict.killers.map((e) => e.label);

test('elements in time order, from the pool to the server, with what each does', async () => {
  const [path] = await pathsOf({
    'svc/hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\n',
    'svc/etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 600\n',
    'my.cnf': '[mysqld]\nwait_timeout = 900\n',
    'connlint.config.yaml': 'network:\n  profile: aws-nat-gateway\nlibraries:\n  hikaricp: 5.1.0\n',
  });
  assert.deepEqual(labels(path), [
    'network:drops:aws-nat-gateway idle timeout 350 s',
    'os:probes:tcp_keepalive_time 10 min',
    'server:closes:wait_timeout 15 min',
    'pool:retires:maxLifetime 30 min',
  ]);
  assert.equal(path?.host.reason, 'nearest-ancestor');
  assert.deepEqual(killers(path), ['aws-nat-gateway idle timeout 350 s']);
  assert.equal(path?.verdict.poolBound?.label, 'maxLifetime 30 min');
});

test('a killer is not one when something acts first: a probe refreshes the network, only a query refreshes the server', async () => {
  const [path] = await pathsOf({
    'hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\n',
    'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 120\n',
    'my.cnf': '[mysqld]\nwait_timeout = 900\n',
    'connlint.config.yaml': 'network:\n  idleTimeout: 240s\nlibraries:\n  hikaricp: 5.1.0\n',
  });
  // The probe at 2 min keeps the network's flow; the server still closes at 15 min, before the 30 min retirement.
  assert.deepEqual(killers(path), ['wait_timeout 15 min']);
  const [retired] = await pathsOf({
    'hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=200000\n',
    'my.cnf': '[mysqld]\nwait_timeout = 900\n',
    'connlint.config.yaml': 'network:\n  idleTimeout: 240s\nlibraries:\n  hikaricp: 5.1.0\n',
  });
  assert.deepEqual(killers(retired), [], 'the pool retires every connection before anything kills it');
});

test('the driver decides whether the OS keepalive applies: pgjdbc leaves it off', async () => {
  const [path] = await pathsOf({
    'hikari.properties': 'jdbcUrl=jdbc:postgresql://db/app\n',
    'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 60\n',
    'connlint.config.yaml': 'network:\n  idleTimeout: 240s\nlibraries:\n  hikaricp: 5.1.0\n',
  });
  const os = path?.inactive.find((e) => e.place === 'os');
  assert.equal(os?.effect, 'none');
  assert.match(os?.note ?? '', /leaves TCP keepalive off/);
  assert.deepEqual(killers(path), ['network idle timeout 4 min']);
});

test('middleboxes that fire together are all killers, each with its own expiry', async () => {
  const [path] = await pathsOf({
    'hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\n',
    'connlint.config.yaml': 'network:\n  profile: [aws-nat-gateway, aws-gwlb]\nlibraries:\n  hikaricp: 5.1.0\n',
  });
  assert.deepEqual(
    path?.verdict.killers.map((e) => [e.element?.name, e.expiry]),
    [
      ['aws-gwlb', 'silent'],
      ['aws-nat-gateway', 'rst-next'],
    ],
  );
});
