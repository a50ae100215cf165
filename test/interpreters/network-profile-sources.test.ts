import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NETWORK_PROFILES } from '../../src/interpreters/network/profiles.js';

// network-idle-timeouts.md, "Settings" table, Source column, copied by hand (the first source of each row;
// rows without a URL give the reference as the file words it).
const FIRST_SOURCE: Record<string, string> = {
  'aws-nat-gateway': 'https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html',
  'aws-nlb-tcp': 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/update-idle-timeout.html',
  'aws-nlb-tls': 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html#connection-idle-timeout',
  'aws-gwlb': 'https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/gateway-listeners.html',
  'aws-eni-conntrack': 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ConnectionTrackingSpecificationRequest.html',
  'aws-eni-conntrack-nitro-v6':
    'https://aws.amazon.com/blogs/networking-and-content-delivery/best-practices-for-tcp-connection-management-on-ec2/',
  'aws-network-firewall': 'https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_FlowTimeouts.html',
  'aws-clb':
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-elasticloadbalancing-loadbalancer-connectionsettings.html',
  'aws-rds-proxy': 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-connections.html',
  'gcp-cloud-nat': 'Google Compute API RouterNat field docs (tcpEstablishedIdleTimeoutSec, "Defaults to 1200s if not set")',
  'gcp-vpc-firewall': 'https://cloud.google.com/compute/docs/troubleshooting/general-tips',
  'gcp-internal-passthrough-nlb': 'Google Compute API BackendServiceConnectionTrackingPolicy.idleTimeoutSec',
  'gcp-external-passthrough-nlb': 'Google Compute API BackendServiceConnectionTrackingPolicy.idleTimeoutSec',
  'azure-lb': 'https://learn.microsoft.com/azure/load-balancer/load-balancer-tcp-reset',
  'azure-nat-gateway': 'https://learn.microsoft.com/azure/nat-gateway/nat-gateway-resource',
  'azure-firewall': 'https://learn.microsoft.com/azure/firewall/firewall-faq',
  'k8s-kube-proxy-conntrack': 'https://docs.kernel.org/networking/nf_conntrack-sysctl.html',
  'k8s-ipvs': 'https://github.com/easzlab/kubeasz/pull/688',
  'cilium-ct': 'https://docs.cilium.io/en/latest/cmdref/cilium-agent/',
  pf: 'sys/net/pfvar.h (PFTM_TCP_ESTABLISHED_VAL) in openbsd/src and freebsd/freebsd-src',
  fortiadc: 'https://docs.fortinet.com/document/fortiadc/7.4.3/cli-reference/726896/config-firewall-global',
  'juniper-srx':
    'https://juniper.net/documentation/software/junos-security/junos-security10.2/junos-security-swconfig-security/topic-41891.html',
  'oci-lb': 'https://docs.cloud.oracle.com/Content/Balance/Reference/connectionreuse.htm',
};

test('every network profile names the documentation its value comes from', () => {
  assert.deepEqual(Object.keys(FIRST_SOURCE).sort(), [...NETWORK_PROFILES.keys()].sort());
  for (const [id, source] of Object.entries(FIRST_SOURCE)) assert.equal(NETWORK_PROFILES.get(id)?.sources[0], source, id);
});

test('the environments the issue names are profiles with the file values', () => {
  // AWS NAT Gateway 350, NLB 350, GWLB 350, GCP Cloud NAT 1200, Azure LB 240, Azure NAT Gateway 240,
  // Kubernetes node conntrack 432000 (network-idle-timeouts.md, Settings).
  const expected: Array<[string, number]> = [
    ['aws-nat-gateway', 350],
    ['aws-nlb-tcp', 350],
    ['aws-nlb-tls', 350],
    ['aws-gwlb', 350],
    ['gcp-cloud-nat', 1200],
    ['azure-lb', 240],
    ['azure-nat-gateway', 240],
    ['k8s-kube-proxy-conntrack', 432_000],
  ];
  for (const [id, seconds] of expected) assert.equal(NETWORK_PROFILES.get(id)?.idleTimeoutMs, seconds * 1000, id);
});
