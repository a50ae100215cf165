import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NETWORK_PROFILES, UNLISTED_PROFILES } from '../../src/interpreters/network/profiles.js';

const EXPIRIES = new Set(['silent', 'rst-next', 'rst-both', 'close', 'unknown']);

test('each profile is filed under its own id, with a positive whole idle timeout', () => {
  assert.ok(NETWORK_PROFILES.size >= 14);
  const ids = [...NETWORK_PROFILES.values()].map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const [id, profile] of NETWORK_PROFILES) {
    assert.equal(profile.id, id);
    assert.match(id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    assert.ok(Number.isInteger(profile.idleTimeoutMs) && profile.idleTimeoutMs > 0, id);
    assert.ok(EXPIRIES.has(profile.expiry), `${id}: ${profile.expiry}`);
    assert.ok(profile.device.length > 0, id);
    assert.ok(profile.fact.startsWith('network-idle-timeouts.md: '), id);
  }
});

// knowledge/README.md, table 6 "Middlebox idle timeouts", copied by hand: seconds and "On expiry".
const TABLE_6: Array<[string, number, string]> = [
  ['aws-nat-gateway', 350, 'rst-next'], // RST on next packet
  ['aws-nlb-tcp', 350, 'rst-next'], // RST on next packet
  ['aws-gwlb', 350, 'silent'], // silent (RST optional)
  ['aws-network-firewall', 350, 'silent'],
  ['aws-eni-conntrack', 432_000, 'silent'], // 432000; 350 on Nitro v6 (its own profile, below)
  ['aws-rds-proxy', 1800, 'close'], // proxy closes client
  ['gcp-cloud-nat', 1200, 'silent'], // silent (unverified)
  ['gcp-vpc-firewall', 600, 'silent'],
  ['azure-lb', 240, 'silent'], // silent, or RST both ends if enabled
  ['azure-nat-gateway', 240, 'rst-next'], // silent, then RST on next packet
  ['k8s-ipvs', 900, 'unknown'], // "reset reported": the mechanism is unverified
  ['k8s-kube-proxy-conntrack', 432_000, 'silent'],
  ['cilium-ct', 8000, 'unknown'],
  ['juniper-srx', 1800, 'silent'], // silent (unverified)
];

test("every profile of table 6 has the table's default and expiry", () => {
  for (const [id, seconds, expiry] of TABLE_6) {
    const profile = NETWORK_PROFILES.get(id);
    assert.ok(profile, id);
    assert.equal(profile.idleTimeoutMs, seconds * 1000, id);
    assert.equal(profile.expiry, expiry, id);
  }
});

// network-idle-timeouts.md, "Settings" table, rows beyond table 6, copied by hand.
const MORE: Array<[string, number, string]> = [
  ['aws-nlb-tls', 350, 'rst-next'],
  ['aws-eni-conntrack-nitro-v6', 350, 'silent'],
  ['aws-clb', 60, 'close'],
  ['gcp-internal-passthrough-nlb', 600, 'unknown'],
  ['gcp-external-passthrough-nlb', 60, 'unknown'],
  ['azure-firewall', 240, 'unknown'],
  ['pf', 86_400, 'silent'],
  ['fortiadc', 3600, 'unknown'],
  ['oci-lb', 300, 'close'],
];

test("the other documented devices have the file's defaults", () => {
  for (const [id, seconds, expiry] of MORE) {
    const profile = NETWORK_PROFILES.get(id);
    assert.ok(profile, id);
    assert.equal(profile.idleTimeoutMs, seconds * 1000, id);
    assert.equal(profile.expiry, expiry, id);
  }
  assert.equal(NETWORK_PROFILES.size, TABLE_6.length + MORE.length);
});

test('a profile resting on an unverified statement says so in its fact', () => {
  // Rows whose expiry (or, for oci-lb, the TCP listener default) the file marks "(unverified)".
  for (const id of [
    'aws-nlb-tls',
    'aws-clb',
    'gcp-cloud-nat',
    'gcp-internal-passthrough-nlb',
    'gcp-external-passthrough-nlb',
    'k8s-ipvs',
    'cilium-ct',
    'pf',
    'juniper-srx',
    'oci-lb',
  ]) {
    assert.match(NETWORK_PROFILES.get(id)?.fact ?? '', /\(unverified\)/, id);
  }
});

test('devices with an unverified or missing default are not profiles, and say why', () => {
  for (const id of [
    'aws-alb',
    'aws-transit-gateway',
    'gcp-proxy-nlb',
    'cisco-asa',
    'palo-alto',
    'fortigate',
    'checkpoint',
    'fly-proxy',
    'docker-userland-proxy',
  ]) {
    assert.equal(NETWORK_PROFILES.has(id), false, id);
    assert.ok((UNLISTED_PROFILES.get(id) ?? '').length > 0, id);
  }
  for (const id of UNLISTED_PROFILES.keys()) assert.equal(NETWORK_PROFILES.has(id), false, id);
});
