import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksLikeSysctl, orderSysctlFiles, sysctlClaim } from '../../src/interpreters/linux/sysctl-files.js';

test('sysctlClaim: sysctl.conf and *.conf in sysctl.d are read; sysctl-looking files elsewhere are listed as not read', () => {
  const read = ['sysctl.conf', 'etc/sysctl.conf', 'etc/sysctl.d/10-net.conf', 'deploy/sysctl.d/x.conf'];
  for (const p of read) {
    assert.equal(looksLikeSysctl(p), true, p);
    assert.ok(!('notRead' in sysctlClaim(p)), p);
  }
  // Named like sysctl files, but procps and systemd-sysctl never read them (sysctl.md).
  const notRead: Record<string, RegExp> = {
    'ops/node-sysctl.conf': /only sysctl.conf and \*.conf in sysctl.d/,
    'sysctl_systemd.conf': /only sysctl.conf and \*.conf in sysctl.d/,
    'etc/modprobe.d/firewalld-sysctls.conf': /modprobe/,
    'etc/ufw/sysctl.conf': /ufw/,
    'usr/lib/tuned/throughput-performance/sysctl.conf': /tuned/,
  };
  for (const [p, why] of Object.entries(notRead)) {
    assert.equal(looksLikeSysctl(p), true, p);
    const c = sysctlClaim(p);
    assert.ok('notRead' in c && why.test(c.notRead), `${p}: ${JSON.stringify(c)}`);
  }
  const no = ['etc/sysctl.d/x.conf.bak', 'etc/sysctl.d/README', 'etc/nginx.conf', 'sysctl.conf.d', 'etc/sysctl.d', 'my.cnf'];
  for (const p of no) assert.equal(looksLikeSysctl(p), false, p);
});

test('files from all system directories are applied in file-name order (sysctl.md: 05-c, 10-a, 20-b)', () => {
  const trees = orderSysctlFiles(['etc/sysctl.d/20-b.conf', 'run/sysctl.d/10-a.conf', 'usr/lib/sysctl.d/05-c.conf']);
  assert.deepEqual(trees, [{ root: '.', files: ['usr/lib/sysctl.d/05-c.conf', 'run/sysctl.d/10-a.conf', 'etc/sysctl.d/20-b.conf'] }]);
});

test('a name in several directories is read only from the highest-priority one', () => {
  const trees = orderSysctlFiles([
    'usr/lib/sysctl.d/10-a.conf',
    'etc/sysctl.d/10-a.conf',
    'usr/local/lib/sysctl.d/30-x.conf',
    'lib/sysctl.d/30-x.conf',
    'run/sysctl.d/40-y.conf',
    'usr/local/lib/sysctl.d/40-y.conf',
  ]);
  assert.deepEqual(trees, [{ root: '.', files: ['etc/sysctl.d/10-a.conf', 'usr/local/lib/sysctl.d/30-x.conf', 'run/sysctl.d/40-y.conf'] }]);
});

test('etc/sysctl.conf is applied as 99-sysctl.conf and masks a vendor 99-sysctl.conf', () => {
  const trees = orderSysctlFiles([
    'etc/sysctl.conf',
    'etc/sysctl.d/50-x.conf',
    'usr/lib/sysctl.d/99-sysctl.conf',
    'usr/lib/sysctl.d/99-z.conf',
  ]);
  assert.deepEqual(trees, [{ root: '.', files: ['etc/sysctl.d/50-x.conf', 'etc/sysctl.conf', 'usr/lib/sysctl.d/99-z.conf'] }]);
});

test('a real etc/sysctl.d/99-sysctl.conf replaces the symlink, so etc/sysctl.conf is not read', () => {
  const trees = orderSysctlFiles(['etc/sysctl.conf', 'etc/sysctl.d/99-sysctl.conf', 'etc/sysctl.d/10-a.conf']);
  assert.deepEqual(trees, [{ root: '.', files: ['etc/sysctl.d/10-a.conf', 'etc/sysctl.d/99-sysctl.conf'] }]);
});

test('trees are grouped by the directory that holds etc/, run/, usr/lib/ ... or the sysctl.d itself', () => {
  const trees = orderSysctlFiles([
    'images/web/etc/sysctl.d/10-net.conf',
    'images/web/usr/lib/sysctl.d/50-default.conf',
    'images/db/etc/sysctl.conf',
    'deploy/sysctl.d/20-keepalive.conf',
    'deploy/sysctl.conf',
    'sysctl.conf',
  ]);
  assert.deepEqual(trees, [
    { root: '.', files: ['sysctl.conf'] },
    { root: 'deploy', files: ['deploy/sysctl.d/20-keepalive.conf', 'deploy/sysctl.conf'] },
    { root: 'images/db', files: ['images/db/etc/sysctl.conf'] },
    { root: 'images/web', files: ['images/web/etc/sysctl.d/10-net.conf', 'images/web/usr/lib/sysctl.d/50-default.conf'] },
  ]);
});

test('files neither named sysctl.conf nor in a sysctl.d directory join no tree (systemd-sysctl never reads them)', () => {
  const trees = orderSysctlFiles(['k8s/node-sysctl.conf', 'k8s/a-sysctl.conf', 'etc/sysctl.d/10-a.conf', 'tuning-sysctl.conf']);
  assert.deepEqual(trees, [{ root: '.', files: ['etc/sysctl.d/10-a.conf'] }]);
});

test('names sort by bytes (strcmp), not by locale', () => {
  const trees = orderSysctlFiles(['etc/sysctl.d/a.conf', 'etc/sysctl.d/B.conf', 'etc/sysctl.d/_x.conf', 'etc/sysctl.d/10.conf']);
  assert.deepEqual(trees[0]?.files, ['etc/sysctl.d/10.conf', 'etc/sysctl.d/B.conf', 'etc/sysctl.d/_x.conf', 'etc/sysctl.d/a.conf']);
});

test('non-sysctl paths are ignored and duplicates collapse', () => {
  assert.deepEqual(orderSysctlFiles(['my.cnf', 'etc/sysctl.d/x.conf.bak']), []);
  assert.deepEqual(orderSysctlFiles(['etc/sysctl.d/1.conf', 'etc/sysctl.d/1.conf']), [{ root: '.', files: ['etc/sysctl.d/1.conf'] }]);
});
