/**
 * Middlebox profiles that `network.profile` in connlint.config.yaml can name: a device on the path
 * between a pool and its server that forgets idle TCP flows after a documented time.
 *
 * Every value comes from network-idle-timeouts.md (and table 6 of knowledge/README.md). A device
 * whose default that file marks "(unverified)" is not a profile: naming it is a config error that
 * says why (UNLISTED_PROFILES), so no finding ever rests on a guessed timeout. Where only the
 * expiry behaviour is unverified, the profile is kept and its `fact` says "(unverified)".
 */
import type { Expiry } from '../../model/model.js';

export type ProfileExpiry = Expiry;

/** A named middlebox with its documented idle timeout and what it does when the timer fires. */
export interface NetworkProfile {
  id: string;
  device: string;
  idleTimeoutMs: number;
  expiry: Expiry;
  fact: string;
  /**
   * The provider's documentation (or source) the knowledge file cites for the value: URLs where the
   * file gives one, else the reference as the file words it.
   */
  sources: readonly string[];
}

/** The knowledge-base file every network profile comes from. */
export const NETWORK_PROFILE_KB = 'network-idle-timeouts.md';

const SECOND = 1000;

function profile(
  id: string,
  device: string,
  idleSeconds: number,
  expiry: ProfileExpiry,
  fact: string,
  sources: readonly string[],
): [string, NetworkProfile] {
  return [id, { id, device, idleTimeoutMs: idleSeconds * SECOND, expiry, fact: `${NETWORK_PROFILE_KB}: ${fact}`, sources }];
}

export const NETWORK_PROFILES: ReadonlyMap<string, NetworkProfile> = new Map([
  profile(
    'aws-nat-gateway',
    'AWS NAT gateway',
    350,
    'rst-next',
    'AWS NAT gateway 350 s, not configurable, RST to the side that sends after expiry, docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html',

    [
      'https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html',
      'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-comparison.html',
    ],
  ),
  profile(
    'aws-nlb-tcp',
    'AWS Network Load Balancer, TCP listener',
    350,
    'rst-next',
    'AWS NLB TCP listener 350 s (60-6000, tcp.idle_timeout.seconds), RST after expiry, docs.aws.amazon.com/elasticloadbalancing/latest/network/update-idle-timeout.html',

    ['https://docs.aws.amazon.com/elasticloadbalancing/latest/network/update-idle-timeout.html'],
  ),
  profile(
    'aws-nlb-tls',
    'AWS Network Load Balancer, TLS listener',
    350,
    'rst-next',
    'AWS NLB TLS listener 350 s, not modifiable; RST after expiry documented for NLB, for TLS listeners (unverified), docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html#connection-idle-timeout',

    ['https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html#connection-idle-timeout'],
  ),
  profile(
    'aws-gwlb',
    'AWS Gateway Load Balancer',
    350,
    'silent',
    'AWS GWLB 350 s (60-6000, tcp.idle_timeout.seconds), silent unless send_tcp_reset.on_idle_timeout.enabled, docs.aws.amazon.com/elasticloadbalancing/latest/gateway/gateway-listeners.html',

    ['https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/gateway-listeners.html'],
  ),
  profile(
    'aws-eni-conntrack',
    'EC2 ENI / security-group connection tracking (Nitro v5 and earlier)',
    432_000,
    'silent',
    'EC2 ENI connection tracking 432000 s (5 days) on Nitro v5 and earlier (350 s on Nitro v6: aws-eni-conntrack-nitro-v6), 60-432000 via TcpEstablishedTimeout, docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ConnectionTrackingSpecificationRequest.html',

    [
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ConnectionTrackingSpecificationRequest.html',
      'https://aws.amazon.com/blogs/networking-and-content-delivery/best-practices-for-tcp-connection-management-on-ec2/',
    ],
  ),
  // The file gives one row with two defaults; a Nitro v6 path needs its own id to be declarable.
  profile(
    'aws-eni-conntrack-nitro-v6',
    'EC2 ENI / security-group connection tracking (Nitro v6 instance types)',
    350,
    'silent',
    'EC2 ENI connection tracking 350 s on Nitro v6 instance types from June 2025 (excluding P6e-GB200), aws.amazon.com/blogs/networking-and-content-delivery/best-practices-for-tcp-connection-management-on-ec2/',

    ['https://aws.amazon.com/blogs/networking-and-content-delivery/best-practices-for-tcp-connection-management-on-ec2/'],
  ),
  profile(
    'aws-network-firewall',
    'AWS Network Firewall (stateful engine)',
    350,
    'silent',
    'AWS Network Firewall 350 s (60-6000, FlowTimeouts.TcpIdleTimeoutSeconds), data packets dropped after the idle timeout, docs.aws.amazon.com/network-firewall/latest/APIReference/API_FlowTimeouts.html',

    ['https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_FlowTimeouts.html'],
  ),
  profile(
    'aws-clb',
    'AWS Classic Load Balancer',
    60,
    'close',
    'AWS Classic Load Balancer 60 s (1-3600, ConnectionSettings.IdleTimeout), closes both sides (unverified), docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-elasticloadbalancing-loadbalancer-connectionsettings.html',

    [
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-elasticloadbalancing-loadbalancer-connectionsettings.html',
    ],
  ),
  profile(
    'aws-rds-proxy',
    'Amazon RDS Proxy, client side',
    1800,
    'close',
    'Amazon RDS Proxy IdleClientTimeout 1800 s, the proxy closes the idle client connection, docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-connections.html',

    ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-connections.html'],
  ),
  profile(
    'gcp-cloud-nat',
    'Google Cloud NAT',
    1200,
    'silent',
    'Google Cloud NAT tcpEstablishedIdleTimeoutSec 1200 s ("Defaults to 1200s if not set"), silent drop (unverified), Compute API RouterNat field docs',

    ['Google Compute API RouterNat field docs (tcpEstablishedIdleTimeoutSec, "Defaults to 1200s if not set")'],
  ),
  profile(
    'gcp-vpc-firewall',
    'Google Cloud VPC firewall connection tracking',
    600,
    'silent',
    'Google Cloud VPC firewall connection tracking 600 s, not configurable, cloud.google.com/compute/docs/troubleshooting/general-tips',

    ['https://cloud.google.com/compute/docs/troubleshooting/general-tips'],
  ),
  profile(
    'gcp-internal-passthrough-nlb',
    'Google internal passthrough Network Load Balancer connection tracking',
    600,
    'unknown',
    'Google internal passthrough NLB connection tracking 600 s (also the minimum, up to 57600 via connectionTrackingPolicy.idleTimeoutSec), next packet re-hashed (unverified), Compute API BackendServiceConnectionTrackingPolicy.idleTimeoutSec',

    ['Google Compute API BackendServiceConnectionTrackingPolicy.idleTimeoutSec'],
  ),
  profile(
    'gcp-external-passthrough-nlb',
    'Google external passthrough Network Load Balancer connection tracking',
    60,
    'unknown',
    'Google external passthrough NLB connection tracking 60 s, expiry behaviour (unverified), Compute API BackendServiceConnectionTrackingPolicy.idleTimeoutSec',

    ['Google Compute API BackendServiceConnectionTrackingPolicy.idleTimeoutSec'],
  ),
  profile(
    'azure-lb',
    'Azure Load Balancer (Standard)',
    240,
    'silent',
    'Azure Load Balancer 240 s (4-100 min, idleTimeoutInMinutes), silent drop unless enableTcpReset (then RST to both ends), learn.microsoft.com/azure/load-balancer/load-balancer-tcp-reset',

    [
      'https://learn.microsoft.com/azure/load-balancer/load-balancer-tcp-reset',
      'https://learn.microsoft.com/azure/load-balancer/load-balancer-tcp-idle-timeout',
    ],
  ),
  profile(
    'azure-nat-gateway',
    'Azure NAT Gateway',
    240,
    'rst-next',
    'Azure NAT Gateway 240 s (4-120 min, idleTimeoutInMinutes), silent at expiry then RST when traffic is seen on the dropped flow, learn.microsoft.com/azure/nat-gateway/nat-gateway-resource',

    ['https://learn.microsoft.com/azure/nat-gateway/nat-gateway-resource'],
  ),
  profile(
    'azure-firewall',
    'Azure Firewall',
    240,
    'unknown',
    'Azure Firewall 240 s, not configurable per the FAQ version read, "no guarantee that the TCP or HTTP session is maintained", learn.microsoft.com/azure/firewall/firewall-faq',

    ['https://learn.microsoft.com/azure/firewall/firewall-faq'],
  ),
  profile(
    'k8s-kube-proxy-conntrack',
    'Linux netfilter conntrack on Kubernetes nodes (kube-proxy, Docker bridge NAT)',
    432_000,
    'silent',
    'netfilter nf_conntrack_tcp_timeout_established 432000 s; kube-proxy only raises it (target 86400 s), so a stock node stays at 432000, docs.kernel.org nf_conntrack-sysctl and kubernetes/kubernetes cmd/kube-proxy/app/conntrack.go',

    [
      'https://docs.kernel.org/networking/nf_conntrack-sysctl.html',
      'kubernetes/kubernetes cmd/kube-proxy/app/conntrack.go @ 03c60748bb30d91fb7c200b366284431961bbbc9',
    ],
  ),
  profile(
    'k8s-ipvs',
    'kube-proxy IPVS mode',
    900,
    'unknown',
    'IPVS tcp timeout 900 s (ipvsadm -l --timeout), "Connection reset by peer" in field reports, mechanism (unverified), easzlab/kubeasz PR #688',

    ['https://github.com/easzlab/kubeasz/pull/688'],
  ),
  profile(
    'cilium-ct',
    'Cilium eBPF connection tracking',
    8000,
    'unknown',
    'Cilium bpf-ct-timeout-regular-tcp 8000 s (2h13m20s), expiry behaviour (unverified), docs.cilium.io/en/latest/cmdref/cilium-agent/',

    ['https://docs.cilium.io/en/latest/cmdref/cilium-agent/'],
  ),
  profile(
    'pf',
    'OpenBSD/FreeBSD pf (pfSense, OPNsense)',
    86_400,
    'silent',
    'pf tcp.established 86400 s (PFTM_TCP_ESTABLISHED_VAL = 24*60*60), silent drop (unverified), sys/net/pfvar.h in openbsd/src and freebsd/freebsd-src',

    ['sys/net/pfvar.h (PFTM_TCP_ESTABLISHED_VAL) in openbsd/src and freebsd/freebsd-src'],
  ),
  profile(
    'fortiadc',
    'Fortinet FortiADC firewall connection tracking',
    3600,
    'unknown',
    'FortiADC tcp-established-timeout 3600 s (1-86400), entry removed, next-packet handling not documented, docs.fortinet.com/document/fortiadc/7.4.3/cli-reference/726896/config-firewall-global',

    ['https://docs.fortinet.com/document/fortiadc/7.4.3/cli-reference/726896/config-firewall-global'],
  ),
  profile(
    'juniper-srx',
    'Juniper SRX / J-series flow sessions',
    1800,
    'silent',
    'Juniper SRX TCP session 1800 s (30 min), aged out silently (unverified), juniper.net/documentation/software/junos-security/junos-security10.2/junos-security-swconfig-security/topic-41891.html',

    ['https://juniper.net/documentation/software/junos-security/junos-security10.2/junos-security-swconfig-security/topic-41891.html'],
  ),
  profile(
    'oci-lb',
    'Oracle Cloud Infrastructure Load Balancer',
    300,
    'close',
    'OCI Load Balancer closes backend connections idle > 300 s; TCP listener idle default (unverified), docs.cloud.oracle.com/Content/Balance/Reference/connectionreuse.htm',

    ['https://docs.cloud.oracle.com/Content/Balance/Reference/connectionreuse.htm'],
  ),
]);

const DECLARE = 'declare network.idleTimeout with the timeout the device is configured with';
const UNDOCUMENTED = `its idle timeout is not documented in the sources connlint relies on; ${DECLARE}`;

/**
 * Device ids that network-idle-timeouts.md names but that are deliberately not profiles, with the
 * reason; the config loader quotes it when one of them is named.
 */
export const UNLISTED_PROFILES: ReadonlyMap<string, string> = new Map([
  ['aws-alb', 'an Application Load Balancer is HTTP-only and never on a database path'],
  ['aws-transit-gateway', UNDOCUMENTED],
  ['gcp-proxy-nlb', UNDOCUMENTED],
  ['cisco-asa', `its default (3600 s, "timeout conn 1:00:00") is unverified; ${DECLARE}`],
  ['palo-alto', `its default (3600 s) is unverified; ${DECLARE}`],
  ['fortigate', `its default (3600 s) is unverified; ${DECLARE}`],
  ['checkpoint', `its default (1500 s) is unverified; ${DECLARE}`],
  ['fly-proxy', 'the fly.io proxy stopped closing idle TCP connections in 2023'],
  ['docker-userland-proxy', UNDOCUMENTED],
  ['digitalocean-lb', UNDOCUMENTED],
  ['cloudflare-spectrum', UNDOCUMENTED],
  ['cloudflare-tunnel', UNDOCUMENTED],
  ['azure-mysql-flexible-gateway', UNDOCUMENTED],
]);
