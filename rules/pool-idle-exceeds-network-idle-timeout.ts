import { defineRule } from '../src/engine/define-rule.js';
import type { Severity } from '../src/engine/finding.js';
import { formatDuration } from '../src/model/duration.js';
import { firstNetworkElements, type IdlePath } from '../src/model/idle-path.js';
import { networkConsequence, networkRelated, networkWhere } from '../src/model/network-words.js';
import type { IdleMechanism } from '../src/model/model.js';
import { idleCulprit, setValueFix, spanOr, typedValue, typedWithHuman, whereFrom } from '../src/model/values.js';

const KEEPALIVE_TIME = 'net.ipv4.tcp_keepalive_time';

/**
 * Why no TCP keepalive probe keeps the flow alive on this path, or undefined when one might (the driver
 * switches keepalive on: then a probe that comes too late is keepalive-exceeds-network-idle-timeout's finding).
 */
function noKeepalive(path: IdlePath, timeoutMs: number): string | undefined {
  const driver = path.pool.tcpKeepalive;
  if (driver?.value === false) return `${driver.driver} leaves TCP keepalive off`;
  if (driver) return undefined;
  // The driver is not known: only a host keepalive at or above the timeout rules a probe out either way.
  const os = [...path.elements, ...path.inactive].find((e) => e.place === 'os');
  if (os?.setting.value.kind !== 'duration' || os.setting.value.ms < timeoutMs) return undefined;
  return `whether the driver enables TCP keepalive is not known, and if it does the first probe comes only after ${formatDuration(os.setting.value.ms)} (${KEEPALIVE_TIME}, ${whereFrom(os.setting)})`;
}

/**
 * The mechanism a fix lowers: the idle timeout unless some connections are spared from it for good (HikariCP's
 * `minimumIdle`, tarn's `min`: lowering it does not reach them), else the lifetime.
 */
function retirement(idle: readonly IdleMechanism[]): IdleMechanism | undefined {
  const idleTimeout = idle.find((m) => m.kind === 'idle-timeout');
  if (idleTimeout && !idleTimeout.sparedBy) return idleTimeout;
  return idle.find((m) => m.kind === 'max-lifetime') ?? idleTimeout;
}

export default defineRule({
  id: 'pool-idle-exceeds-network-idle-timeout',
  summary: 'Pooled connections sit idle longer than the network keeps an idle flow, with no keepalive to keep it',
  severity: 'error',
  tags: ['network', 'pool', 'timeouts'],
  status: { kind: 'stable', since: '0.3.0' },
  fixable: true,
  options: {
    marginSeconds: {
      type: 'integer',
      description: 'How much shorter than the network idle timeout the pool must retire or ping idle connections.',
      default: 5,
      minimum: 0,
    },
  },
  docs: {
    whatItDoes:
      'Follows the idle path of every pool to the network declared in connlint.config.yaml (`network.idleTimeout`, or ' +
      'a `network.profile` such as aws-nat-gateway, 350 s). It fires when the pool lets a connection sit idle at least ' +
      'as long as the first middlebox keeps an idle flow (HikariCP `idleTimeout`/`maxLifetime`, c3p0 `maxIdleTime`, ' +
      'SQLAlchemy `pool_recycle`, tarn `idleTimeoutMillis`, or nothing at all), no ping of the pool comes sooner, and no ' +
      'TCP keepalive probe can keep the flow: the driver leaves keepalive off (node-postgres, mysql2 by default), or the ' +
      'driver is not known and the host keepalive starts at or after the timeout. When the driver does switch keepalive ' +
      'on and the kernel probe comes too late, keepalive-exceeds-network-idle-timeout reports the keepalive instead.',
    whyIsThisBad:
      'NAT gateways, load balancers and firewalls forget a TCP flow that has been idle longer than their timeout. ' +
      'A connection that sat in the pool longer than that is dead when the application next uses it: AWS NAT gateway ' +
      'and NLB answer with a reset (ECONNRESET, "Connection terminated unexpectedly", "Communications link failure"), ' +
      'Azure and GCP firewalls drop silently and the query hangs until TCP retransmission gives up (15 to 30 min).',
    example: {
      'connlint.config.yaml': 'network:\n  profile: aws-nat-gateway\n',
      'db.py':
        'from sqlalchemy.ext.asyncio import create_async_engine\nengine = create_async_engine("postgresql+asyncpg://app@db/app", pool_recycle=1800)\n',
    },
    useInstead: {
      'connlint.config.yaml': 'network:\n  profile: aws-nat-gateway\n',
      'db.py':
        'from sqlalchemy.ext.asyncio import create_async_engine\nengine = create_async_engine("postgresql+asyncpg://app@db/app", pool_recycle=300)\n',
    },
    knownLimits:
      'A pool that keeps a minimum of idle connections forever (HikariCP `minimumIdle`, tarn `min`) is only saved by a ' +
      'lifetime, a ping or keepalive. Only the network declared in connlint.config.yaml is known: connlint cannot see ' +
      'which NAT gateway or load balancer a deployment really crosses. Application-level pings outside the pool are not seen.',
    references: [
      'connlint knowledge: network-idle-timeouts.md ("What a linter can safely conclude": keepalive idle, pool idle eviction / max lifetime and app pings must all reach the timeout)',
      'connlint knowledge: postgresql.md (node-postgres keepAlive off by default), mysql2.md (enableKeepAlive), jdbc-mysql-drivers.md (tcpKeepAlive on by default)',
      'AWS NAT gateway idle timeout: https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html',
    ],
  },
  messages: {
    idle: (d: {
      pool: string;
      key: string;
      value: string;
      where: string;
      timeout: string;
      network: string;
      noKeepalive: string;
      consequence: string;
      advice: string;
    }) =>
      `${d.key} is ${d.value} (${d.where}) but the network drops connections idle for ${d.timeout} (${d.network}), and ` +
      `${d.noKeepalive}, so a connection idle in ${d.pool} for longer is dead when next used: ${d.consequence}. ${d.advice}`,
    never: (d: { pool: string; why: string; timeout: string; network: string; noKeepalive: string; consequence: string; advice: string }) =>
      `Nothing in ${d.pool} retires or pings idle connections (${d.why}) but the network drops connections idle for ${d.timeout} ` +
      `(${d.network}), and ${d.noKeepalive}, so a connection idle that long is dead when next used: ${d.consequence}. ${d.advice}`,
  },
  check({ model, options, report }) {
    const first = firstNetworkElements(model.network.elements);
    const net = first[0];
    if (net?.ms === undefined || net.setting.origin.kind !== 'config') return;
    const timeoutMs = net.ms;
    const margin = Number(options.marginSeconds) * 1000;
    const related = networkRelated(first, timeoutMs);
    const failsFast = first.every((e) => e.expiry === 'rst-next' || e.expiry === 'rst-both');
    for (const path of model.paths) {
      const { pool } = path;
      // A retirement or ping before the timeout keeps or ends the connection in time; an OS probe is the other rule's.
      if (path.elements.some((e) => e.ms !== undefined && e.ms < timeoutMs && (e.place === 'pool' || e.place === 'os'))) continue;
      // A value written in a file that cannot be read could be anything: no finding rests on it.
      if (pool.idle.some((m) => m.setting.value.kind === 'unknown' && m.setting.origin.kind === 'file')) continue;
      const why = noKeepalive(path, timeoutMs);
      if (!why) continue;
      const retire = retirement(pool.idle);
      const safeMs = timeoutMs - margin - (retire?.slackMs ?? 0);
      const fits = retire !== undefined && safeMs >= (retire.minimumMs ?? 1000);
      const switchOn = pool.tcpKeepalive?.switchOn;
      const keepaliveAdvice = switchOn
        ? `enable the driver's TCP keepalive (${switchOn}) with a host ${KEEPALIVE_TIME} below ${formatDuration(timeoutMs)}`
        : '';
      const lower =
        retire && fits ? `Set ${retire.setting.writeAs ?? retire.setting.key} to ${typedWithHuman(retire.setting, safeMs)} or lower` : '';
      const advice = lower
        ? `${lower}${keepaliveAdvice ? `, or ${keepaliveAdvice}` : ''}.`
        : keepaliveAdvice
          ? `${keepaliveAdvice[0]?.toUpperCase()}${keepaliveAdvice.slice(1)}.`
          : `Make ${pool.libraryName} retire idle connections sooner than ${formatDuration(timeoutMs)}, or ping them.`;
      // A reset fails fast and a pool that checks on checkout replaces the connection: a warning. A drop
      // the pool cannot tell from a slow server (silent) is an error. A pool that may talk to no server is a note.
      const severity: Severity | undefined = pool.serverUncertain
        ? 'note'
        : failsFast && pool.validatesOnCheckout.value
          ? 'warning'
          : undefined;
      const common = {
        pool: pool.name,
        timeout: formatDuration(timeoutMs),
        network: networkWhere(first),
        noKeepalive: why,
        consequence:
          networkConsequence(first) +
          (severity === 'warning'
            ? `, which ${pool.libraryName}'s checkout validation catches at the cost of a failed check and a retry`
            : ''),
        advice,
      };
      const bound = path.verdict.poolBound;
      const fix = retire && fits ? setValueFix(retire.setting, typedValue(retire.setting, safeMs)) : undefined;
      const extra = { related, key: `${pool.id}/network-idle`, ...(severity ? { severity } : {}), ...(fix ? { fix } : {}) };
      if (bound?.ms !== undefined) {
        report({
          messageId: 'idle',
          data: { ...common, key: bound.setting.key, value: formatDuration(bound.ms), where: whereFrom(bound.setting) },
          at: spanOr(bound.setting, pool.origin),
          ...extra,
        });
        continue;
      }
      const notes = pool.idle.map((m) => m.note).filter((n): n is string => n !== undefined);
      report({
        messageId: 'never',
        data: { ...common, why: notes.join('; ') || 'no idle timeout, lifetime or ping is set' },
        at: spanOr(idleCulprit(pool), pool.origin),
        ...extra,
      });
    }
  },
});
