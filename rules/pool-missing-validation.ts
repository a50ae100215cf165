import { defineRule } from '../src/engine/define-rule.js';
import type { Fix } from '../src/engine/finding.js';
import { formatDuration } from '../src/model/duration.js';
import type { IdlePath } from '../src/model/idle-path.js';
import { type Setting, settingSpan } from '../src/model/setting.js';
import { idleCulprit, setTo, setValueFix, spanOr, throughLines, typedValue, typedWithHuman, whereFrom } from '../src/model/values.js';

interface PathLimit {
  setting: Setting;
  ms: number;
  what: string;
}

/** `pool_recycle, app/db.py:9`; the key alone when it already says where its value is set (`... (docker-compose.yml:6)`). */
function keyAndWhere(setting: Setting): string {
  const where = whereFrom(setting);
  return setting.key.includes(where) ? setting.key : `${setting.key}, ${where}`;
}

/** The idle limits on the pool's path: its server's wait_timeout and the first network element to forget the flow. */
function pathLimits(path: IdlePath): PathLimit[] {
  const limits: PathLimit[] = [];
  const wait = path.verdict.serverLimit;
  if (wait?.ms !== undefined) limits.push({ setting: wait.setting, ms: wait.ms, what: 'wait_timeout' });
  const net = path.verdict.networkFirst[0];
  // A packet before the middlebox's timer fires (a TCP keepalive probe, a ping) keeps the flow: then the
  // network drops nothing, and only the server's limit is left (network-idle-timeouts.md).
  const kept = net?.ms !== undefined && path.elements.some((e) => e.refreshesNetwork && e.ms !== undefined && e.ms < (net.ms as number));
  if (net?.ms !== undefined && !kept) limits.push({ setting: net.setting, ms: net.ms, what: 'the network idle timeout' });
  return limits.sort((a, b) => a.ms - b.ms);
}

/** The switch for a check on checkout, written off, turned on in the file's spelling of true (`true`, Python `True`). */
function checkoutFix(setting: Setting | undefined): Fix | undefined {
  const on = setting?.literals?.true ?? 'true';
  return setting?.value.kind === 'bool' && (on === 'true' || on === 'True') ? setValueFix(setting, on) : undefined;
}

export default defineRule({
  id: 'pool-missing-validation',
  summary: 'A pool lends connections without checking them, and nothing keeps them from going stale',
  severity: 'warning',
  tags: ['pool', 'validation'],
  status: { kind: 'stable', since: '0.1.0' },
  fixable: true,
  options: {
    marginSeconds: {
      type: 'integer',
      description: 'How much shorter than the smallest idle limit the pool must retire or ping idle connections to count as protected.',
      default: 5,
      minimum: 0,
    },
  },
  docs: {
    whatItDoes:
      'Finds pools that hand out a pooled connection without a round trip to the server first (c3p0 with its ' +
      'default `testConnectionOnCheckout=false`; a SQLAlchemy or Flask-SQLAlchemy engine without `pool_pre_ping`; a ' +
      'Django alias with `CONN_MAX_AGE` other than 0 and without `CONN_HEALTH_CHECKS`, which needs Django 4.1; knex without ' +
      '`pool.validate`, Sequelize, mysql2, pg-pool behind a Prisma adapter) ' +
      'unless the pool retires or pings idle connections at least `marginSeconds` before the smallest idle limit ' +
      "on its path (the server's `wait_timeout` and the declared network idle timeout; a network timeout that TCP " +
      'keepalive probes or pings beat is no limit, since each packet restarts its timer). HikariCP always ' +
      'validates a connection idle for more than 500 ms, so it is never reported.',
    whyIsThisBad:
      'A connection the server or a firewall closed while it sat in the pool looks healthy to the pool. Without a ' +
      'check on checkout the application gets it and its first query fails ("MySQL server has gone away", ' +
      '"Communications link failure", ECONNRESET), or hangs for many minutes when a middlebox dropped the flow ' +
      'silently.',
    example: {
      'my.cnf': '[mysqld]\nwait_timeout = 600\n',
      'c3p0.properties': 'c3p0.jdbcUrl=jdbc:mysql://db:3306/app\nc3p0.maxIdleTime=900\n',
    },
    useInstead: {
      'my.cnf': '[mysqld]\nwait_timeout = 600\n',
      'c3p0.properties': 'c3p0.jdbcUrl=jdbc:mysql://db:3306/app\nc3p0.maxIdleTime=300\nc3p0.testConnectionOnCheckout=true\n',
    },
    knownLimits:
      'A check on checkout never protects a connection that goes stale while it is checked out (a long ' +
      'transaction, a session held across an idle period). Django checks a connection only in the request ' +
      'cycle. A SQLAlchemy engine whose URL comes from the environment may be SQLite, with no server: its ' +
      'finding is a note that says so. Where the driver notices a connection the server closed and discards it ' +
      '(knex, Sequelize, node-postgres), a `wait_timeout` close is left to pool-lifetime-exceeds-wait-timeout and, ' +
      'with no silent drop declared on the path, the finding is a note.',
    references: [
      'connlint knowledge: README.md, table 2 "Who checks a connection on checkout"',
      'connlint knowledge: java-pools.md (c3p0: testConnectionOnCheckout false by default; with defaults nothing expires and nothing is tested)',
      'connlint knowledge: hikaricp.md (checkout validation when idle > 500 ms, cannot be switched off)',
      'connlint knowledge: sqlalchemy.md (pool_pre_ping default False; pings at checkout and replaces a dead connection)',
      'connlint knowledge: django.md (CONN_HEALTH_CHECKS, 4.1+: checks a reused connection at the first use in a request)',
      'c3p0 docs, configuring connection testing: https://www.mchange.com/projects/c3p0/#configuring_connection_testing',
    ],
  },
  messages: {
    unchecked: (d: { library: string; key: string; limit: string; limitWhat: string; limitWhere: string; bound: string; advice: string }) =>
      `${d.library} lends pooled connections without checking them (${d.key} is off) and ${d.bound}, while ${d.limitWhat} ` +
      `is ${d.limit} (${d.limitWhere}), so a connection closed while idle reaches the application. ${d.advice}`,
    uncheckedMaybeLocal: (d: { library: string; key: string; why: string; advice: string }) =>
      `${d.library} lends pooled connections without checking them (${d.key} is off); if the database is a server, a ` +
      `connection it closed while idle reaches the application (${d.why}). ${d.advice}`,
    uncheckedSilentOnly: (d: { library: string; key: string; advice: string }) =>
      `${d.library} lends pooled connections without checking them (${d.key} is off); its driver notices a connection the ` +
      'server closed and discards it, so only a silent drop on the path (a firewall or NAT that forgets the flow, a host ' +
      `that disappears) would reach the application. ${d.advice}`,
    uncheckedNoLimit: (d: { library: string; key: string; advice: string }) =>
      `${d.library} lends pooled connections without checking them (${d.key} is off), so a connection closed while idle ` +
      `(server restart, failover, a firewall) reaches the application. ${d.advice}`,
  },
  check({ model, options, report }) {
    const margin = Number(options.marginSeconds) * 1000;
    for (const path of model.paths) {
      const { pool } = path;
      if (pool.validatesOnCheckout.value) continue;
      const limits = pathLimits(path);
      const bound = { ms: path.verdict.poolBound?.ms, by: path.verdict.poolBound?.mechanism };
      const smallest = limits[0];
      if (smallest && bound.ms !== undefined && bound.ms <= smallest.ms - margin) continue;
      // A value written in a file that cannot be read (a placeholder without a default) might retire
      // connections in time: no finding rests on an unknown, as in pool-lifetime-exceeds-wait-timeout.
      if (pool.idle.some((m) => m.setting.value.kind === 'unknown' && m.setting.origin.kind === 'file')) continue;
      const library = pool.libraryName;
      const checkoutSetting = pool.validatesOnCheckout.setting;
      const key = checkoutSetting?.key ?? 'validation on checkout';
      // The switch to turn on, else the written setting that lets connections sit idle unbounded.
      const at = spanOr(checkoutSetting ?? (bound.ms === undefined ? idleCulprit(pool) : undefined), pool.origin);
      const retire = pool.idle.find((m) => m.kind === 'idle-timeout') ?? pool.idle.find((m) => m.kind === 'max-lifetime');
      const safeMs = smallest ? smallest.ms - margin - (retire?.slackMs ?? 0) : undefined;
      const retireFits = retire && safeMs !== undefined && safeMs >= (retire.minimumMs ?? 1000);
      const retireAdvice =
        retire && retireFits
          ? `, or set ${retire.setting.writeAs ?? retire.setting.key} to ${typedWithHuman(retire.setting, safeMs)} or lower`
          : '';
      // One edit: the written switch turned on, else (it is not written) the written idle limit lowered.
      const fix =
        checkoutFix(checkoutSetting) ??
        (retire && retireFits ? setValueFix(retire.setting, typedValue(retire.setting, safeMs)) : undefined);
      // A library with no switch for a check on checkout (Sequelize, mysql2) can only retire connections in time.
      const advice = checkoutSetting
        ? `Set ${setTo(checkoutSetting, true)}${retireAdvice}.`
        : retireAdvice
          ? `${library} cannot check a connection on checkout: s${retireAdvice.slice(', or s'.length)}.`
          : `${library} cannot check a connection on checkout: close idle connections in the application, or use a pool that checks them.`;
      if (pool.serverUncertain && !smallest) {
        // Not known to talk to a server: an idle limit needs one, so this is only a note.
        const why = pool.serverUncertain;
        report({
          messageId: 'uncheckedMaybeLocal',
          data: { library, key, why, advice },
          at,
          severity: 'note',
          key: `${pool.id}/validation`,
          ...(fix ? { fix } : {}),
        });
        continue;
      }
      if (!smallest && pool.validatesOnCheckout.noticesServerClose) {
        // A server's close is noticed by the driver: only a silent drop on the path (none declared) would reach the application.
        report({
          messageId: 'uncheckedSilentOnly',
          data: { library, key, advice },
          at,
          severity: 'note',
          key: `${pool.id}/validation`,
          ...(fix ? { fix } : {}),
        });
        continue;
      }
      if (!smallest) {
        report({
          messageId: 'uncheckedNoLimit',
          data: { library, key, advice },
          at,
          key: `${pool.id}/validation`,
          ...(fix ? { fix } : {}),
        });
        continue;
      }
      const boundText =
        bound.ms === undefined
          ? 'nothing retires or pings idle connections'
          : `idle connections can stay ${formatDuration(bound.ms)} (${keyAndWhere(bound.by?.setting as Setting)})`;
      const relatedAt = settingSpan(smallest.setting);
      // The server's own close is noticed by the driver (knex, node-postgres) and the connection replaced: the
      // lifetime rule reports the mismatch (knex-tarn.md: "usually harmless ... flag it as a warning").
      if (pool.validatesOnCheckout.noticesServerClose !== undefined && smallest.what === 'wait_timeout') continue;
      report({
        messageId: 'unchecked',
        data: {
          library,
          key,
          limit: formatDuration(smallest.ms),
          limitWhat: smallest.what,
          limitWhere: whereFrom(smallest.setting),
          bound: boundText,
          advice,
        },
        at,
        related: [
          ...throughLines(checkoutSetting),
          ...(relatedAt ? [{ span: relatedAt, message: `${smallest.what} is ${formatDuration(smallest.ms)}` }] : []),
        ],
        key: `${pool.id}/validation`,
        ...(fix ? { fix } : {}),
      });
    }
  },
});
