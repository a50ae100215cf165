import { defineRule } from '../src/engine/define-rule.js';
import type { Fix } from '../src/engine/finding.js';
import { formatDuration } from '../src/model/duration.js';
import type { IdleMechanism, Link } from '../src/model/model.js';
import { settingSpan } from '../src/model/setting.js';
import { humanValue, setValueFix, spanOr, throughLines, typedValue, typedWithHuman, whereFrom } from '../src/model/values.js';

const VERB: Record<IdleMechanism['kind'], string> = { 'max-lifetime': 'retires', 'idle-timeout': 'retires', keepalive: 'pings' };

function serverPhrase(link: Link, limitWhere: string): string {
  const s = link.server;
  if (s.source === 'default') return `${limitWhere}; ${link.note}`;
  return link.reason === 'nearest-directory' ? `${limitWhere}; ${link.note}` : limitWhere;
}

export default defineRule({
  id: 'pool-lifetime-exceeds-wait-timeout',
  summary: 'A pool keeps idle connections longer than the database server lets them live',
  severity: 'error',
  tags: ['timeouts', 'pool', 'server'],
  status: { kind: 'stable', since: '0.1.0' },
  fixable: true,
  options: {
    marginSeconds: {
      type: 'integer',
      description: 'How much shorter than `wait_timeout` the pool must retire or ping idle connections.',
      default: 5,
      minimum: 0,
    },
  },
  docs: {
    whatItDoes:
      'Compares the longest time a pooled connection can sit idle before the pool retires it or pings it ' +
      '(HikariCP: `maxLifetime`, `keepaliveTime`, and `idleTimeout` only when `minimumIdle` is 0; c3p0: ' +
      '`maxConnectionAge`, `maxIdleTime`, `idleConnectionTestPeriod`; SQLAlchemy and Flask-SQLAlchemy: ' +
      '`pool_recycle`, -1 meaning never; Django: `CONN_MAX_AGE`, `None` meaning never; knex/tarn and Sequelize: the idle ' +
      'timeout, never for the `min` connections; mysql2: `idleTimeout` only below `connectionLimit`; Prisma: ' +
      '`max_idle_connection_lifetime`) with the `wait_timeout` of the MySQL or ' +
      'MariaDB server the pool talks to (from its option files, from `database.variables` in ' +
      'connlint.config.yaml, or the documented default of 8 h). It fires when the pool does not act at least ' +
      '`marginSeconds` before the server closes the connection. A SQLAlchemy engine with `pool_pre_ping` on, or a Django ' +
      'alias with `CONN_HEALTH_CHECKS=True`, is not reported: the knowledge base counts that check as enough. Where the driver ' +
      "notices the server's close and replaces the connection (knex, Sequelize, mysql2, mysqljs, node-postgres), the finding is a warning. Values are the effective ones: HikariCP start-up " +
      'rewrites (a `maxLifetime` under 30 s becomes 30 min) and server clamps are applied first.',
    whyIsThisBad:
      'The server silently closes a connection that stays idle longer than its `wait_timeout`. The pool does not ' +
      'notice and lends the dead connection to the application, which then fails with "MySQL server has gone ' +
      'away" (2006), "Lost connection" (2013), error 4031, "Communications link failure" or ECONNRESET. ' +
      'HikariCP validates a connection idle for more than 500 ms before lending it, so there the cost is a ' +
      'failed validation, a WARN "Possibly consider using a shorter maxLifetime value" and a retry; when every ' +
      "pooled connection died at once the caller waits up to `connectionTimeout`. HikariCP's documentation asks " +
      'for `maxLifetime` "several seconds shorter than any database or infrastructure imposed connection time ' +
      'limit"; its maintainer considers `wait_timeout` minus 5 s safe with per-connection timers.',
    example: {
      'my.cnf': '[mysqld]\nwait_timeout = 600\n',
      'hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\nmaxLifetime=1800000\n',
    },
    useInstead: {
      'my.cnf': '[mysqld]\nwait_timeout = 600\n',
      'hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\nmaxLifetime=595000\n',
    },
    knownLimits:
      'A session `wait_timeout` set by a Python pool (`init_command` in SQLAlchemy `connect_args` or Django ' +
      '`OPTIONS`) replaces the server value for that pool; the Java ones (Connector/J `sessionVariables`, ' +
      "`connectionInitSql`) and the server's `init_connect` are not read yet. Django checks `CONN_MAX_AGE` only " +
      'when a request starts or ends: a management command or worker that holds a connection is not covered. With an unknown HikariCP version the default `keepaliveTime` is unknown (0 before 6.2.1, ' +
      '2 min from 6.2.1): the finding is then a warning that says so; declare `libraries.hikaricp` in ' +
      'connlint.config.yaml. A connection that dies while checked out is not covered by any pool setting.',
    references: [
      'connlint knowledge: mysql-server.md (wait_timeout: seconds, default 28800, range 1-31536000; "What a linter can safely conclude")',
      'connlint knowledge: hikaricp.md (maxLifetime/idleTimeout/keepaliveTime defaults, start-up rewrites, checkout validation)',
      'connlint knowledge: java-pools.md (c3p0 maxIdleTime, maxConnectionAge, idleConnectionTestPeriod in seconds, default 0)',
      'connlint knowledge: sqlalchemy.md (pool_recycle default -1; Flask-SQLAlchemy adds pool_recycle=7200 for mysql URLs)',
      'connlint knowledge: django.md (CONN_MAX_AGE 0 closes after each request, None never; "What a linter can safely conclude")',
      'HikariCP README, `maxLifetime`: https://github.com/brettwooldridge/HikariCP#frequently-used',
      'MySQL wait_timeout: https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_wait_timeout',
    ],
  },
  messages: {
    outlives: (d: {
      poolKey: string;
      poolValue: string;
      poolWhere: string;
      verb: string;
      server: string;
      serverWhere: string;
      gap: string;
      advice: string;
      extra: string;
    }) =>
      `${d.poolKey} is ${d.poolValue}${d.poolWhere ? ` (${d.poolWhere})` : ''} but wait_timeout is ${d.server} (${d.serverWhere}), so the server ` +
      `closes idle pooled connections ${d.gap} before the pool ${d.verb} them.${d.extra} ${d.advice}`,
    neverRetired: (d: { pool: string; why: string; server: string; serverWhere: string; advice: string; extra: string }) =>
      `Nothing in ${d.pool} retires or pings idle connections (${d.why}) but wait_timeout is ${d.server} ` +
      `(${d.serverWhere}), so idle pooled connections outlive the server's limit.${d.extra} ${d.advice}`,
  },
  check({ model, options, report }) {
    const margin = Number(options.marginSeconds) * 1000;
    for (const path of model.paths) {
      const { link, pool } = path;
      const limitElement = path.verdict.serverLimit;
      if (!link || limitElement?.ms === undefined) continue;
      const limit = limitElement.setting;
      const limitMs = limitElement.ms;
      const bound = {
        ms: path.verdict.poolBound?.ms,
        by: path.verdict.poolBound?.mechanism,
        unknown: pool.idle.filter((m) => m.setting.value.kind === 'unknown'),
      };
      if (bound.ms !== undefined && bound.ms <= limitMs - margin) continue;
      // A check on checkout the knowledge base counts as enough (SQLAlchemy pre-ping, Django health checks).
      if (pool.validatesOnCheckout.value && pool.validatesOnCheckout.sufficient) continue;
      // A value written in a file that cannot be read (a placeholder, a value the pool rejects) could be
      // anything: stay silent rather than guess. Version-dependent defaults are reported with a caveat below.
      if (bound.unknown.some((m) => m.setting.origin.kind === 'file')) continue;

      const library = pool.libraryName;
      // The setting to advise on: what binds, else a lifetime, else an idle timeout (which may need more,
      // such as maxIdle or min 0: its writeAs says so).
      // An idle timeout whose library says how to make it bind (writeAs: tarn's `pool.min to 0 and
      // pool.idleTimeoutMillis`) is the fix its knowledge recommends, ahead of a lifetime checked only at checkout.
      const target =
        bound.by ??
        pool.idle.find((m) => m.kind === 'idle-timeout' && m.setting.writeAs !== undefined) ??
        pool.idle.find((m) => m.kind === 'max-lifetime') ??
        pool.idle.find((m) => m.kind === 'idle-timeout');
      // Advise on the setting that binds (or, when nothing does, the lifetime), in the key's own unit.
      const advised = target;
      // The setting's value must leave room for how late the mechanism acts (tarn's reap interval).
      const safeMs = limitMs - margin - (advised?.slackMs ?? 0);
      const floor = advised?.minimumMs ?? 0;
      let advice: string;
      let fix: Fix | undefined;
      if (advised && safeMs >= floor && safeMs > 0) {
        advice = `Set ${advised.setting.writeAs ?? advised.setting.key} to ${typedWithHuman(advised.setting, safeMs)} or lower.`;
        fix = setValueFix(advised.setting, typedValue(advised.setting, safeMs));
      } else if (!advised) {
        advice = `${library} has no setting connlint knows that retires idle connections: close them in the application before ${formatDuration(safeMs)} of idleness, or raise wait_timeout.`;
      } else {
        advice = `${library} cannot retire connections that early (it rewrites values under ${formatDuration(floor)}); raise wait_timeout above ${formatDuration(floor + margin)}.`;
      }
      // The pool's own session value (an init command's SET SESSION wait_timeout) replaces the server's.
      const session = limit.canonicalKey === 'session.wait_timeout';
      const serverWhere = session ? `the session value, ${whereFrom(limit)}` : serverPhrase(link, whereFrom(limit));
      // Nothing bounds the idle time because a setting spares some connections for good (tarn's pool.min):
      // that line is the accusation, and the idle timeout it defeats is a related location.
      const spared = bound.ms === undefined && target?.sparedBy?.origin.kind === 'file' ? target.sparedBy : undefined;
      const idleLine = spared && target && settingSpan(target.setting);
      const related = [
        ...(spared ? throughLines(spared) : []),
        ...throughLines(target?.setting),
        ...(idleLine && target
          ? [
              {
                span: idleLine,
                message: `${target.setting.key} is ${humanValue(target.setting.value)}; it retires only connections above ${spared.key}`,
              },
            ]
          : []),
        ...(link.server.source === 'default' && !session
          ? []
          : [
              {
                span: spanOr(limit, link.server.origin ?? pool.origin),
                message: `${session ? 'session ' : ''}wait_timeout is ${formatDuration(limitMs)}`,
              },
            ]),
      ];
      const validating = pool.validatesOnCheckout.value;
      // A switch whose value is not known counts as on (no finding rests on an unknown), and the message says so.
      const check = pool.validatesOnCheckout.setting;
      let extra = !validating
        ? ''
        : check?.value.kind === 'unknown'
          ? ` If ${check.key} turns validation on (its value is not known here), each stale connection costs a failed validation and a retry.`
          : ` ${library} validates connections on checkout, so each stale one costs a failed validation and a retry.`;
      const unknownKeepalive = bound.unknown.find((m) => m.kind === 'keepalive' || m.kind === 'max-lifetime');
      if (bound.ms !== undefined && unknownKeepalive && unknownKeepalive.setting.value.kind === 'unknown') {
        extra += ` This assumes ${unknownKeepalive.setting.key} does not ping sooner: ${unknownKeepalive.setting.value.reason}.`;
      }
      // A driver that notices the server's close replaces the connection (knex-tarn.md: "usually harmless ... flag it as a warning").
      if (!validating && pool.validatesOnCheckout.noticesServerClose)
        extra += ` ${library}'s driver notices the server's close and replaces the connection, so this costs a reconnect rather than a failed query.`;
      const severity = validating || unknownKeepalive || pool.validatesOnCheckout.noticesServerClose ? ('warning' as const) : undefined;
      const at = spanOr(spared ?? target?.setting, pool.origin);
      if (bound.ms !== undefined && target) {
        const gap = bound.ms - limitMs;
        report({
          messageId: 'outlives',
          data: {
            poolKey: target.setting.key,
            poolValue: humanValue(target.setting.value),
            poolWhere: target.setting.origin.kind === 'file' ? '' : whereFrom(target.setting),
            verb: VERB[target.kind],
            server: formatDuration(limitMs),
            serverWhere,
            gap: gap > 0 ? formatDuration(gap) : `less than the ${formatDuration(margin)} margin`,
            advice,
            extra,
          },
          at,
          related,
          ...(severity ? { severity } : {}),
          key: `${pool.id}/${target.setting.canonicalKey}`,
          ...(fix ? { fix } : {}),
        });
      } else {
        const listed = pool.idle
          .map((m) => {
            if (m.note) return m.note.startsWith(m.setting.key) ? m.note : `${m.setting.key}: ${m.note}`;
            const v = m.setting.value;
            return `${m.setting.key} is ${v.kind === 'duration' && v.ms === 0 ? '0 (off)' : humanValue(v)}`;
          })
          .join('; ');
        // A library with no idle mechanism at all (mysqljs, mysql2 before 3.1.0) says so rather than leaving the list empty.
        const why = listed || `${library} has no setting that retires or pings idle connections`;
        report({
          messageId: 'neverRetired',
          data: { pool: pool.name, why, server: formatDuration(limitMs), serverWhere, advice, extra },
          at,
          related,
          ...(severity ? { severity } : {}),
          key: `${pool.id}/idle`,
          ...(fix ? { fix } : {}),
        });
      }
    }
  },
});
