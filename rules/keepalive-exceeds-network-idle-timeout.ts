import { defineRule } from '../src/engine/define-rule.js';
import { formatDuration } from '../src/model/duration.js';
import { firstNetworkElements } from '../src/model/idle-path.js';
import type { Host } from '../src/model/model.js';
import { networkConsequence, networkRelated, networkWhere } from '../src/model/network-words.js';
import { formatSpan } from '../src/model/span.js';
import { setValueFix, spanOr, typedValue, typedWithHuman, whereFrom } from '../src/model/values.js';

const KEEPALIVE_TIME = 'net.ipv4.tcp_keepalive_time';

/** A keepalive a comfortable step under the timeout: 10 % or 30 s below it, whichever is more, in whole 10 s. */
export function safeKeepaliveMs(timeoutMs: number): number {
  const below = timeoutMs - Math.max(timeoutMs / 10, 30_000);
  return Math.max(Math.floor(below / 10_000) * 10_000, 10_000);
}

export default defineRule({
  id: 'keepalive-exceeds-network-idle-timeout',
  summary: 'TCP keepalive starts later than the network drops idle connections',
  severity: 'error',
  tags: ['network', 'keepalive', 'timeouts'],
  status: { kind: 'stable', since: '0.1.0' },
  fixable: true,
  options: {},
  docs: {
    whatItDoes:
      'Follows the idle path of every pool (its own pings and retirement, the TCP keepalive of the sysctl tree nearest ' +
      'to it, the Linux default of 7200 s when none applies) up to the network declared in connlint.config.yaml ' +
      '(`network.idleTimeout` or named `network.profile`s such as aws-nat-gateway, 350 s). It fires when nothing acts on ' +
      'an idle connection before the first middlebox forgets the flow: the pool does not retire or ping it in time ' +
      "(HikariCP `maxLifetime`, `keepaliveTime`; c3p0 `maxIdleTime`, `idleConnectionTestPeriod`) and the kernel's " +
      '`net.ipv4.tcp_keepalive_time` is equal to or longer than the idle timeout. A driver that leaves TCP keepalive off ' +
      'sends no probe at all: pool-idle-exceeds-network-idle-timeout reports that pool instead. ' +
      'In a repository without pools, every sysctl tree is checked against the declared network.',
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
    const first = firstNetworkElements(model.network.elements);
    const net = first[0];
    if (net?.ms === undefined || net.setting.origin.kind !== 'config') return;
    const timeoutMs = net.ms;
    const netSpan = net.setting.origin.span;
    const common = {
      timeout: formatDuration(timeoutMs),
      network: networkWhere(first),
      consequence: networkConsequence(first),
    };
    const related = networkRelated(first, timeoutMs);

    const reported = new Set<string>();
    const kernel = (host: Host, severity?: 'warning', eased = '') => {
      const s = host.settings.get(KEEPALIVE_TIME);
      if (s?.value.kind !== 'duration' || s.value.ms < timeoutMs || reported.has(host.id)) return;
      reported.add(host.id);
      const first = host.files[0];
      const refused = s.rejected?.[s.rejected.length - 1];
      // A value the kernel refused leaves this one in force: point at the line the user wrote and must fix.
      const at =
        refused?.span ?? spanOr(s, host.origin ?? (first ? { path: first, line: 1, column: 1, endLine: 1, endColumn: 1 } : netSpan));
      // With a refused line the finding points there, and that line is what the user edits: no single edit of the value in force.
      const fix = refused ? undefined : setValueFix(s, typedValue(s, safeKeepaliveMs(timeoutMs)));
      report({
        messageId: 'kernel',
        data: {
          ...common,
          consequence: common.consequence + eased,
          key: KEEPALIVE_TIME,
          value: formatDuration(s.value.ms),
          where: refused
            ? `${whereFrom(s)}, because the kernel rejects the value written at ${formatSpan(refused.span)}`
            : s.origin.kind === 'file'
              ? ''
              : host.container
                ? `Linux default in the container of service ${host.container.service}, which does not see the host's sysctl files; set it under its sysctls: in ${host.container.file}`
                : `Linux default; not set in ${host.files.join(', ')}`,
          safe: typedWithHuman(s, safeKeepaliveMs(timeoutMs)),
        },
        at,
        related,
        ...(severity ? { severity } : {}),
        key: `${host.id}/${KEEPALIVE_TIME}`,
        ...(fix ? { fix } : {}),
      });
    };

    // Without any pool the declared network and the sysctl trees are all there is: each tree's keepalive
    // is what every long-lived connection of that host (a server's too) relies on.
    if (model.paths.length === 0) {
      for (const host of model.hosts) kernel(host);
      return;
    }
    // A reset on expiry fails fast, and a pool that validates on checkout then replaces the connection:
    // mostly harmless, so a warning (network-idle-timeouts.md, "What a linter can safely conclude").
    const failsFast = first.every((e) => e.expiry === 'rst-next' || e.expiry === 'rst-both');
    const hostDemand = new Map<Host, { severity: 'warning' | undefined; eased: string }>();
    for (const path of model.paths) {
      const { pool } = path;
      // Something acts on an idle connection before the network forgets it: a pool that retires or pings it, or a keepalive probe.
      if (path.elements.some((e) => e.ms !== undefined && e.ms < timeoutMs && (e.place === 'pool' || e.place === 'os'))) continue;
      const severity = failsFast && pool.validatesOnCheckout.value ? ('warning' as const) : undefined;
      const eased = severity
        ? `, which ${pool.libraryName}'s checkout validation catches, so each stale connection costs a failed validation and a retry`
        : '';
      const here = { ...common, consequence: common.consequence + eased };
      const keepalive = pool.idle.find((m) => m.kind === 'keepalive');
      if (keepalive?.boundMs !== undefined && keepalive.setting.origin.kind === 'file') {
        const fix = setValueFix(keepalive.setting, typedValue(keepalive.setting, safeKeepaliveMs(timeoutMs)));
        report({
          messageId: 'pool',
          data: {
            ...here,
            library: pool.libraryName,
            key: keepalive.setting.key,
            value: formatDuration(keepalive.boundMs),
            safe: typedWithHuman(keepalive.setting, safeKeepaliveMs(timeoutMs)),
          },
          at: keepalive.setting.origin.span,
          related,
          ...(severity ? { severity } : {}),
          key: `${pool.id}/${keepalive.setting.canonicalKey}`,
          ...(fix ? { fix } : {}),
        });
        // The OS keepalive would also keep the flow alive: it is reported too, as the other way to fix it.
      }
      // A driver that leaves keepalive off gets no probe at all: pool-idle-exceeds-network-idle-timeout reports the pool.
      if (pool.tcpKeepalive?.value === false) continue;
      if (!pool.tcpKeepalive) continue; // driver unknown: whether the OS keepalive applies is not known
      const host = path.host.host;
      if (host) {
        // The host is reported once, after every pool on it is seen: an error if any of them is unprotected.
        const held = hostDemand.get(host);
        hostDemand.set(host, held && !held.severity ? held : { severity, eased });
        continue;
      }
      if (reported.has('network')) continue;
      reported.add('network');
      report({
        messageId: 'kernelDefault',
        data: { ...here, safe: String(Math.floor(safeKeepaliveMs(timeoutMs) / 1000)) },
        at: netSpan,
        ...(severity ? { severity } : {}),
        key: `network/${KEEPALIVE_TIME}`,
      });
    }
    for (const [host, demand] of hostDemand) kernel(host, demand.severity, demand.eased);
  },
});
