import { defineRule } from '../src/engine/define-rule.js';
import { formatDuration } from '../src/model/duration.js';
import { KEEPALIVE_TIME } from '../src/model/hosts.js';
import { LIBRARY_NAMES, spanOr, typedWithHuman, whereFrom } from '../src/model/idle-limits.js';
import type { Model, NetworkProfile } from '../src/model/model.js';
import { expiryOf } from '../src/model/network.js';

/** A keepalive a comfortable step under the timeout: 10 % or 30 s below it, whichever is more, in whole 10 s. */
export function safeKeepaliveMs(timeoutMs: number): number {
  const below = timeoutMs - Math.max(timeoutMs / 10, 30_000);
  return Math.max(Math.floor(below / 10_000) * 10_000, 10_000);
}

const CONSEQUENCE: Record<NetworkProfile['expiry'], string> = {
  silent: 'the flow is dropped silently and the next query on that connection hangs until TCP gives up (15 to 30 min)',
  'rst-next': 'the next packet on that connection gets a reset (ECONNRESET, "Communications link failure")',
  'rst-both': 'both ends get a reset when the timer expires',
  close: 'the middlebox closes the connection',
  unknown: 'the connection breaks on its next use once the network forgets the flow',
};

function networkWhere(model: Model): string {
  const net = model.network.idleTimeout;
  if (!net) return '';
  const profile = model.network.profiles.find((p) => net.raw === p.profile.id);
  return profile ? `${profile.profile.id}, ${whereFrom(net)}` : whereFrom(net);
}

export default defineRule({
  id: 'keepalive-exceeds-network-idle-timeout',
  summary: 'TCP keepalive starts later than the network drops idle connections',
  severity: 'error',
  tags: ['network', 'keepalive', 'timeouts'],
  status: { stable: '0.1.0' },
  options: {},
  docs: {
    whatItDoes:
      'Compares the time before the first keepalive packet with the idle timeout of the network path declared ' +
      'in connlint.config.yaml (`network.idleTimeout` or a named `network.profile` such as aws-nat-gateway, 350 s). ' +
      "It checks the kernel's `net.ipv4.tcp_keepalive_time` of every sysctl tree in the repository (the Linux " +
      "default of 7200 s when no file sets it) and a pool's own keepalive (HikariCP `keepaliveTime`, c3p0 " +
      '`idleConnectionTestPeriod`). It fires when the keepalive is equal to or longer than the idle timeout.',
    whyIsThisBad:
      'NAT gateways, load balancers and firewalls forget a TCP flow that has been idle longer than their timeout. ' +
      'A keepalive probe is a real packet and resets that timer, but only if it comes before the timeout. When it ' +
      'comes later, an idle pooled connection is dead the next time it is used: AWS NAT gateway and NLB answer ' +
      'with a reset, Azure and GCP firewalls drop silently and the query hangs until TCP retransmission gives up.',
    example: {
      'connlint.config.yaml': 'network:\n  profile: aws-nat-gateway\n',
      'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 7200\n',
    },
    useInstead: {
      'connlint.config.yaml': 'network:\n  profile: aws-nat-gateway\n',
      'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 300\n',
    },
    knownLimits:
      'Since Linux 4.5 the keepalive sysctls are per network namespace: a container starts with 7200 s whatever ' +
      'the host sets, unless it shares the host network or sets its own sysctls. connlint does not yet read ' +
      'Kubernetes or Compose `sysctls`. Only clients that enable SO_KEEPALIVE use the kernel keepalive ' +
      '(Connector/J and MariaDB Connector/J do by default).',
    references: [
      'connlint knowledge: sysctl.md (keepalive is per socket; defaults 7200/75/9; per network namespace since Linux 4.5)',
      'connlint knowledge: network-idle-timeouts.md (profile idle timeouts and expiry behaviour; "keepalive below the timeout")',
      'connlint knowledge: hikaricp.md (keepaliveTime pings idle connections; < 30 s disables it)',
      'AWS NAT gateway idle timeout: https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html',
    ],
  },
  messages: {
    kernel: (d: { key: string; value: string; where: string; timeout: string; network: string; consequence: string; safe: string }) =>
      `${d.key} is ${d.value}${d.where ? ` (${d.where})` : ''} but the network drops connections idle for ${d.timeout} (${d.network}), so the first ` +
      `keepalive probe comes too late and ${d.consequence}. Set ${d.key} to ${d.safe} or lower.`,
    kernelDefault: (d: { timeout: string; network: string; consequence: string; safe: string }) =>
      `No sysctl file sets net.ipv4.tcp_keepalive_time, so Linux waits 2 h before the first keepalive probe, but the network ` +
      `drops connections idle for ${d.timeout} (${d.network}) and ${d.consequence}. Set net.ipv4.tcp_keepalive_time to ` +
      `${d.safe} or lower, in the host or container that runs the pool.`,
    pool: (d: { library: string; key: string; value: string; timeout: string; network: string; consequence: string; safe: string }) =>
      `${d.key} is ${d.value} but the network drops connections idle for ${d.timeout} (${d.network}), so ${d.library}'s ` +
      `keepalive comes too late and ${d.consequence}. Set ${d.key} to ${d.safe} or lower.`,
  },
  check({ model, report }) {
    const net = model.network.idleTimeout;
    if (net?.value.kind !== 'duration' || net.origin.kind !== 'config') return;
    const timeoutMs = net.value.ms;
    const netSpan = net.origin.span;
    const expiry = expiryOf(model.network) ?? 'unknown';
    const common = {
      timeout: formatDuration(timeoutMs),
      network: networkWhere(model),
      consequence: CONSEQUENCE[expiry],
    };
    const related = [{ span: netSpan, message: `network idle timeout ${formatDuration(timeoutMs)}` }];

    for (const host of model.hosts) {
      const s = host.settings.get(KEEPALIVE_TIME);
      if (s?.value.kind !== 'duration' || s.value.ms < timeoutMs) continue;
      const first = host.files[0];
      const at = spanOr(s, first ? { path: first, line: 1, column: 1, endLine: 1, endColumn: 1 } : netSpan);
      report({
        messageId: 'kernel',
        data: {
          ...common,
          key: KEEPALIVE_TIME,
          value: formatDuration(s.value.ms),
          where: s.origin.kind === 'file' ? '' : `Linux default; not set in ${host.files.join(', ')}`,
          safe: typedWithHuman(s, safeKeepaliveMs(timeoutMs)),
        },
        at,
        related,
        key: `${host.id}/${KEEPALIVE_TIME}`,
      });
    }

    let unprotectedPool = false;
    for (const pool of model.pools) {
      const keepalive = pool.idle.find((m) => m.kind === 'keepalive');
      const ms = keepalive?.boundMs;
      if (keepalive && ms !== undefined && ms < timeoutMs) continue;
      unprotectedPool = true;
      if (!keepalive || ms === undefined || keepalive.setting.origin.kind !== 'file') continue;
      report({
        messageId: 'pool',
        data: {
          ...common,
          library: LIBRARY_NAMES[pool.library] ?? pool.library,
          key: keepalive.setting.key,
          value: formatDuration(ms),
          safe: typedWithHuman(keepalive.setting, safeKeepaliveMs(timeoutMs)),
        },
        at: keepalive.setting.origin.span,
        related,
        key: `${pool.id}/${keepalive.setting.canonicalKey}`,
      });
    }

    if (model.hosts.length === 0 && unprotectedPool) {
      report({
        messageId: 'kernelDefault',
        data: { ...common, safe: String(Math.floor(safeKeepaliveMs(timeoutMs) / 1000)) },
        at: netSpan,
        key: `network/${KEEPALIVE_TIME}`,
      });
    }
  },
});
