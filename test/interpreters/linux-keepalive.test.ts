import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sysctlEntries } from '../../src/formats/sysctl.js';
import { buildHosts, KEEPALIVE_TIME } from '../../src/interpreters/linux/keepalive.js';
import { parseSysctl } from '../../src/parsers/sysctl.js';

function hostsOf(files: Record<string, string>) {
  const entries = new Map(Object.entries(files).map(([path, text]) => [path, sysctlEntries(parseSysctl(path, text).doc)]));
  return buildHosts([...entries.keys()], (p) => entries.get(p));
}

test('keepalive values the kernel rejects are warned at their value and never used (suffixes, u8 range, jiffies overflow)', () => {
  const text = [
    'net.ipv4.tcp_keepalive_time = 60s',
    'net.ipv4.tcp_keepalive_intvl = 1e3',
    'net.ipv4.tcp_keepalive_probes = 256',
    'net.ipv4.tcp_keepalive_probes = -1',
    'net.ipv4.tcp_keepalive_time = 9999999999',
    'net.ipv4.tcp_keepalive_time = 99999999',
    // Accepted by the kernel (sysctl.md, tested on 6.18): no warning.
    'net.ipv4.tcp_keepalive_time = 0x258',
    'net.ipv4.tcp_keepalive_probes = 255',
    'net.ipv4.tcp_keepalive_intvl = 2147484',
    // Not a keepalive key: the value is not checked.
    'net.core.somaxconn = 4096k',
  ].join('\n');
  const { hosts, problems } = hostsOf({ 'etc/sysctl.conf': text });
  assert.deepEqual(
    problems.map((p) => p.span.line),
    [1, 2, 3, 4, 5, 6],
  );
  assert.ok(problems.every((p) => p.severity === 'warning' && /kernel rejects/.test(p.message)));
  const host = hosts[0];
  assert.equal(host?.settings.get(KEEPALIVE_TIME)?.text, '0x258');
  assert.deepEqual(host?.settings.get('net.ipv4.tcp_keepalive_probes')?.value, { kind: 'count', value: 255 });
});

test('a rejected value leaves the earlier one in force, and the message says which (issue 15: 30000000 overflows jiffies)', () => {
  const { hosts, problems } = hostsOf({
    'etc/sysctl.d/10-a.conf': 'net.ipv4.tcp_keepalive_time = 300\n',
    'etc/sysctl.d/20-b.conf': 'net.ipv4.tcp_keepalive_time = 30000000\n',
  });
  const s = hosts[0]?.settings.get(KEEPALIVE_TIME);
  assert.deepEqual(s?.value, { kind: 'duration', ms: 300_000 });
  assert.equal(s?.origin.kind === 'file' ? s.origin.span.path : '', 'etc/sysctl.d/10-a.conf');
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.span.path, 'etc/sysctl.d/20-b.conf');
  // The kernel keeps the old value and nothing stops: setting-ignored-by-library, not a start-up failure.
  assert.equal(problems[0]?.ruleId, 'setting-ignored-by-library');
  assert.match(
    problems[0]?.message ?? '',
    /overflow.*not applied: net\.ipv4\.tcp_keepalive_time stays 300 \(5 min\) \(set at etc\/sysctl\.d\/10-a\.conf:1\)/,
  );
});

test('with no earlier value, the Linux default stays and is named', () => {
  const { hosts, problems } = hostsOf({ 'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = "600"\n' });
  assert.equal(hosts[0]?.settings.get(KEEPALIVE_TIME)?.origin.kind, 'os-default');
  assert.match(problems[0]?.message ?? '', /stays 7200 \(2 h\) \(Linux default\)/);
});

test('a key set many times across files: the one in force lists every earlier assignment, oldest first, and keeps its rejected lines', () => {
  const { hosts } = hostsOf({
    'etc/sysctl.d/10-a.conf': 'net.ipv4.tcp_keepalive_time = 300\nnet.ipv4.tcp_keepalive_time = 400\n',
    'etc/sysctl.d/20-b.conf': 'net.ipv4.tcp_keepalive_time = 500\nnet.ipv4.tcp_keepalive_time = 5m\nnet.ipv4.tcp_keepalive_time = 6m\n',
  });
  const s = hosts[0]?.settings.get(KEEPALIVE_TIME);
  const at = (o: { kind: string; span?: { path: string; line: number } } | undefined) =>
    o?.span ? `${o.span.path}:${o.span.line}` : o?.kind;
  assert.equal(at(s?.origin as never), 'etc/sysctl.d/20-b.conf:1');
  // The Linux default is not an assignment: nothing overrides it in a file.
  assert.deepEqual(
    s?.overrides.map((o) => at(o as never)),
    ['etc/sysctl.d/10-a.conf:1', 'etc/sysctl.d/10-a.conf:2'],
  );
  assert.deepEqual(
    s?.replaced?.map((r) => [at(r.origin as never), r.raw]),
    [
      ['etc/sysctl.d/10-a.conf:1', '300'],
      ['etc/sysctl.d/10-a.conf:2', '400'],
    ],
  );
  assert.deepEqual(
    s?.rejected?.map((r) => r.span.line),
    [2, 3],
  );
});
