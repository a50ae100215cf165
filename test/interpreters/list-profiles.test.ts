import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listProfiles, type ProfilesJson } from '../../src/profiles/list-profiles.js';

test('the JSON listing has every profile with values in units and human form, and its sources', () => {
  const data = JSON.parse(listProfiles('json')) as ProfilesJson;
  const nat = data.network.find((p) => p.id === 'aws-nat-gateway');
  assert.deepEqual(nat?.idleTimeout, { seconds: 350, human: '350 s' });
  assert.equal(nat?.expiry, 'rst-next');
  assert.equal(nat?.knowledge, 'network-idle-timeouts.md');
  assert.ok(nat?.sources.includes('https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html'));
  assert.deepEqual(data.network.find((p) => p.id === 'gcp-cloud-nat')?.idleTimeout, { seconds: 1200, human: '20 min' });
  assert.deepEqual(data.network.find((p) => p.id === 'azure-nat-gateway')?.idleTimeout, { seconds: 240, human: '4 min' });
  assert.ok(data.networkNotProfiles.some((u) => u.id === 'aws-transit-gateway' && u.reason.includes('network.idleTimeout')));

  const mysql80 = data.database.find((p) => p.id === 'mysql-8.0');
  assert.equal(mysql80?.kind, 'release');
  assert.equal(mysql80?.knowledge, 'mysql-server.md');
  assert.deepEqual(
    mysql80?.variables.map((v) => [v.name, v.value, v.unit, v.human]),
    [
      ['wait_timeout', 28800, 's', '8 h'],
      ['interactive_timeout', 28800, 's', '8 h'],
      ['max_allowed_packet', 67108864, 'bytes', '64 MiB'],
      ['max_connections', 151, 'count', '151'],
    ],
  );
  const rds = data.database.find((p) => p.id === 'aws-rds-mysql');
  assert.equal(rds?.kind, 'managed');
  const wait = rds?.variables.find((v) => v.name === 'wait_timeout');
  assert.equal(wait?.value, null);
  assert.match(wait?.unknown ?? '', /declare database\.variables\.wait_timeout/);
  assert.ok(rds?.sources.includes('https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections'));
});

test('the text listing names each id once with its values and sources', () => {
  const text = listProfiles('text');
  const data = JSON.parse(listProfiles('json')) as ProfilesJson;
  for (const p of [...data.network, ...data.database]) {
    assert.equal(text.split('\n').filter((l) => l.startsWith(`  ${p.id}  `)).length, 1, p.id);
  }
  assert.match(text, /\n {2}aws-gwlb {2}AWS Gateway Load Balancer\n {4}idle timeout 350 s; on expiry: packets dropped silently\n/);
  assert.match(text, /\n {4}wait_timeout {9}8 h \(28800 s\)\n/);
  assert.match(text, /\n {4}source: https:\/\/learn\.microsoft\.com\/azure\/nat-gateway\/nat-gateway-resource\n/);
  assert.match(
    text,
    /\n {4}wait_timeout {9}unknown: not documented on the server-parameters page; declare database\.variables\.wait_timeout/,
  );
  assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'));
});
