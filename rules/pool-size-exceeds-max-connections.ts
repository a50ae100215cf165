import { defineRule } from '../src/engine/define-rule.js';
import type { RelatedLocation } from '../src/engine/finding.js';
import type { Link, Pool, Server } from '../src/model/model.js';
import { type Setting, settingSpan } from '../src/model/setting.js';
import { formatSpan, type Span } from '../src/model/span.js';
import { spanOr, throughLines, whereFrom } from '../src/model/values.js';

/** One pool's share of a server's connections: its bound times the copies of its application that run. */
interface Share {
  pool: Pool;
  link: Link;
  size: number;
  instances: number;
  /** The setting that decides the bound (the one to lower). */
  setting: Setting | undefined;
}

/** Links are trusted when the config maps the pool or its URL names the server's host; the rest are assumptions. */
const CERTAIN_LINKS = new Set<Link['reason']>(['config', 'url-host']);

/** The pool a Spring profile or another environment builds is one of several alternatives: only one of them runs. */
function applicationOf(pool: Pool): string {
  const hash = pool.id.indexOf('#');
  return hash < 0 ? pool.id : pool.id.slice(0, hash);
}

/** The pool's name, with its file when the name is its own (a poolName), and its environment when it has alternatives. */
function poolLabel(pool: Pool, alternatives: boolean): string {
  const named = pool.name.includes(pool.origin.path) ? pool.name : `${pool.name} in ${pool.origin.path}`;
  return alternatives && pool.environment ? `${named} (${pool.environment})` : named;
}

function times(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** `hikari.properties: 4 instances × maximumPoolSize 50`, `app.py: pool_size 5 + max_overflow 10, the SQLAlchemy default`. */
function partText(s: Share, alternatives: boolean): string {
  const note = s.pool.maxSize?.note ?? times(s.size, 'connection');
  // A bound that is a sum (`pool_size 50 + max_overflow 50`) is multiplied as a whole.
  const factor = s.instances > 1 && / \+ /.test(note) ? `(${note})` : note;
  return `${poolLabel(s.pool, alternatives)}: ${s.instances > 1 ? `${s.instances} instances × ` : ''}${factor}`;
}

/**
 * The value to write in the share's first setting so its bound becomes `bound`: the bound may be a sum of settings
 * (SQLAlchemy pool_size + max_overflow), so the first one is lowered by the difference. Undefined when that leaves
 * less than 1 or the setting is not a number.
 */
function advisedValue(s: Share, bound: number): number | undefined {
  const v = s.setting?.value;
  if (v?.kind !== 'count') return undefined;
  const value = v.value - (s.size - bound);
  return value >= 1 ? value : undefined;
}

/** Room for other clients (the mysql CLI, migrations, monitoring) above the pools' total: 10 %, at least 10. */
function headroom(total: number): number {
  return Math.max(10, Math.ceil(total / 10));
}

function serverName(server: Server): string {
  if (server.source === 'default') return `the ${server.engine === 'mariadb' ? 'MariaDB' : 'MySQL'} server`;
  const host = server.hostnames?.[0];
  return host ? `${host} (${server.root ?? server.id})` : (server.root ?? server.id);
}

/** `max_connections is 151 (the MySQL default)` or `(deploy/my.cnf:3)`. */
function limitWhere(setting: Setting): string {
  const o = setting.origin;
  return o.kind === 'file' || o.kind === 'config' ? whereFrom(setting) : `the ${whereFrom(setting)}`;
}

/** The pool's library reads its bound as "no limit" (the setting is known, the bound is not a number). */
function isUnbounded(pool: Pool): boolean {
  const first = pool.maxSize?.settings[0];
  return pool.maxSize !== undefined && pool.maxSize.value === undefined && first !== undefined && first.value.kind !== 'unknown';
}

/** The assumptions behind a finding: a server nobody configured, links by guess, pools that may not use a server at all. */
function assumptionsOf(server: Server, links: Array<{ link: Link; pool: Pool }>): string[] {
  const out = server.source === 'default' && links[0] ? [links[0].link.note] : [];
  for (const { link, pool } of links) {
    if (pool.serverUncertain) out.push(`${pool.name}: ${pool.serverUncertain}`);
    else if (!CERTAIN_LINKS.has(link.reason) && link.reason !== 'engine-default') out.push(`${pool.name}: ${link.note}`);
  }
  return [...new Set(out)];
}

/** Every counted pool's size line (or the pool, for a default), its `instances:` line, and the written max_connections. */
function relatedOf(shares: Share[], at: Span, writtenLimit: Setting | undefined, limit: number): RelatedLocation[] {
  const related: RelatedLocation[] = [];
  const seen = new Set<string>([formatSpan(at)]);
  const add = (span: Span | undefined, message: string) => {
    if (!span || seen.has(formatSpan(span))) return;
    seen.add(formatSpan(span));
    related.push({ span, message });
  };
  for (const s of shares) {
    const each = `${times(s.size, 'connection')} × ${times(s.instances, 'instance')}`;
    const written = s.setting && settingSpan(s.setting);
    for (const through of throughLines(s.setting)) add(through.span, through.message);
    add(spanOr(written ? s.setting : undefined, s.pool.origin), written || !s.setting ? each : `${each} (${whereFrom(s.setting)})`);
    if (s.pool.instances?.span) add(s.pool.instances.span, `${times(s.pool.instances.value, 'instance')} of ${s.pool.name}`);
  }
  if (writtenLimit) add(settingSpan(writtenLimit), `max_connections is ${limit}`);
  return related;
}

export default defineRule({
  id: 'pool-size-exceeds-max-connections',
  summary: 'The pools that share a database server can open more connections than its max_connections',
  severity: 'warning',
  tags: ['pool', 'server', 'capacity'],
  status: { kind: 'stable', since: '0.3.0' },
  options: {},
  docs: {
    whatItDoes:
      'Adds up, for each MySQL or MariaDB server, the most connections every pool linked to it can open at once (HikariCP ' +
      '`maximumPoolSize`, default 10; c3p0 `maxPoolSize`, default 15; Commons DBCP2 `maxTotal`, default 8; Tomcat JDBC ' +
      "`maxActive`, default 100; the Python and JavaScript pools' own bounds), each times the number of copies of its " +
      "application that run (`instances:` in connlint.config.yaml, by a glob of the pool's file or its name; default 1), " +
      "and compares the total with the server's `max_connections` (from its option files, `database.variables`, a " +
      'declared profile, or the default 151). It fires when the total is above it. Pools whose bound is not known (an ' +
      'environment variable) are named as not counted; the rule still fires when the counted ones alone are above. A pool ' +
      'with no limit at all (DBCP2 `maxTotal=-1`, SQLAlchemy `NullPool`) cannot be added up: when the others fit, the ' +
      'finding is a note on that pool with the bound that would fit. Profiles of one application (Spring `application-prod.yml`) are alternatives: ' +
      'the largest of them is counted once. When a pool is linked to the server by assumption (the only or nearest ' +
      'server configuration, or no configuration at all), the finding is a note.',
    whyIsThisBad:
      'A pool grows to its maximum under load, and every copy of the application has its own pool. When together they ' +
      'ask for more sessions than `max_connections`, the server refuses the extra ones with error 1040 "Too many ' +
      'connections" (SQLSTATE 08004) exactly at peak, while the pools are growing: the pool cannot open the connection ' +
      "it was asked for, and requests wait for the pool's connection timeout and then fail. The one extra session MySQL keeps for " +
      'administrators is not for the application.',
    example: {
      'my.cnf': '[mysqld]\nmax_connections = 151\n',
      'hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\nmaximumPoolSize=50\n',
      'connlint.config.yaml': 'links:\n  - pool: hikari.properties\n    server: my.cnf\ninstances:\n  hikari.properties: 4\n',
    },
    useInstead: {
      'my.cnf': '[mysqld]\nmax_connections = 151\n',
      'hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\nmaximumPoolSize=35\n',
      'connlint.config.yaml': 'links:\n  - pool: hikari.properties\n    server: my.cnf\ninstances:\n  hikari.properties: 4\n',
    },
    knownLimits:
      'Only pools connlint finds and links to the server are counted: other applications, batch jobs, the mysql CLI and ' +
      'monitoring also take sessions, so a total just under `max_connections` can still be too much (the advice leaves ' +
      'room for them). The number of instances is what `instances:` declares; replicas set by an orchestrator ' +
      '(Kubernetes, autoscaling) are not read. A managed server whose `max_connections` depends on the instance size ' +
      '(Amazon RDS, Aurora, Cloud SQL, Azure) is unknown unless declared in `database.variables`, and then the rule is ' +
      'silent. A test configuration (src/test/resources) linked to the same server is counted like the application. ' +
      'PostgreSQL servers are not checked yet.',
    references: [
      'connlint knowledge: mysql-server.md (max_connections: default 151, error 1040 "Too many connections"; "Connection budget: Σ(pool maximum × app replicas) + other clients must stay ≤ max_connections (do not count the +1 admin slot)")',
      'connlint knowledge: hikaricp.md (maximumPoolSize default 10; up to 3.3.0 an unset maximumPoolSize takes minimumIdle)',
      'connlint knowledge: java-pools.md (c3p0 maxPoolSize 15, DBCP2 maxTotal 8, Tomcat JDBC maxActive 100, below 1 -> 100)',
      'connlint knowledge: spring-boot.md (spring.datasource.hikari.maximum-pool-size: "Pool size for max_connections sums")',
      'MySQL max_connections: https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_max_connections',
      'MySQL "Too many connections": https://dev.mysql.com/doc/refman/8.0/en/too-many-connections.html',
      'Commons DBCP2 configuration (maxTotal: "negative for no limit"): https://commons.apache.org/proper/commons-dbcp/configuration.html',
    ],
  },
  messages: {
    tooMany: (d: {
      server: string;
      total: number;
      parts: string;
      limit: number;
      limitWhere: string;
      uncounted: string;
      assumption: string;
      advice: string;
    }) =>
      `The pools linked to ${d.server} can open ${d.total} connections at once (${d.parts}) but max_connections is ${d.limit} ` +
      `(${d.limitWhere}), so at peak, while the pools grow, the server refuses new connections with error 1040 "Too many ` +
      `connections".${d.uncounted}${d.assumption} ${d.advice}`,
    noLimit: (d: {
      pool: string;
      why: string;
      server: string;
      limit: number;
      limitWhere: string;
      others: string;
      assumption: string;
      advice: string;
    }) =>
      `${d.pool} has no limit on its connections (${d.why}), so under load it can open more than the max_connections of ${d.server}, ` +
      `${d.limit} (${d.limitWhere})${d.others}, and the server then refuses new connections with error 1040 "Too many connections".` +
      `${d.assumption} ${d.advice}`,
  },
  check({ model, report }) {
    const linksByServer = new Map<string, Link[]>();
    for (const link of model.links) {
      if (link.server.family !== 'mysql') continue;
      linksByServer.set(link.server.id, [...(linksByServer.get(link.server.id) ?? []), link]);
    }
    for (const links of linksByServer.values()) {
      const server = (links[0] as Link).server;
      const limitSetting = server.settings.get('max_connections');
      if (limitSetting?.value.kind !== 'count') continue;
      const limit = limitSetting.value.value;

      // One share per application: of its alternatives (profiles), the largest known one.
      const byApp = new Map<string, Link[]>();
      for (const link of links) byApp.set(applicationOf(link.pool), [...(byApp.get(applicationOf(link.pool)) ?? []), link]);
      const shares: Array<Share & { alternatives: boolean }> = [];
      const uncounted: string[] = [];
      // A bound the library reads as "no limit" (DBCP2 maxTotal=-1) is known, unlike an environment variable: kept apart.
      const unbounded: Link[] = [];
      for (const group of byApp.values()) {
        const alternatives = group.length > 1;
        let best: (Share & { alternatives: boolean }) | undefined;
        for (const link of group) {
          const size = link.pool.maxSize?.value;
          if (size === undefined) continue;
          const instances = link.pool.instances?.value ?? 1;
          if (!best || size * instances > best.size * best.instances)
            best = { pool: link.pool, link, size, instances, setting: link.pool.maxSize?.settings[0], alternatives };
        }
        if (best) shares.push(best);
        else
          for (const link of group) {
            const why = link.pool.maxSize?.note ?? `connlint does not know how many connections ${link.pool.libraryName} opens`;
            uncounted.push(`${poolLabel(link.pool, alternatives)} (${why})`);
            if (isUnbounded(link.pool)) unbounded.push(link);
          }
      }
      const total = shares.reduce((sum, s) => sum + s.size * s.instances, 0);
      const writtenLimit = limitSetting.origin.kind === 'file' || limitSetting.origin.kind === 'config' ? limitSetting : undefined;
      if (total <= limit) {
        const open = unbounded[0];
        if (!open) continue;
        // No number to add: the pool can take every session the others leave (and more), so this is said, as a note.
        const setting = open.pool.maxSize?.settings[0] as Setting;
        const instances = open.pool.instances?.value ?? 1;
        const fit = Math.floor((limit - total) / instances);
        const key = setting.writeAs ?? setting.key;
        const assumptions = assumptionsOf(server, [{ link: open, pool: open.pool }, ...shares]);
        const at = spanOr(setting, open.pool.origin);
        report({
          messageId: 'noLimit',
          data: {
            pool: open.pool.name,
            why: open.pool.maxSize?.note ?? 'no limit',
            server: serverName(server),
            limit,
            limitWhere: limitWhere(limitSetting),
            others: total > 0 ? ` (the other pools take up to ${total}: ${shares.map((x) => partText(x, x.alternatives)).join('; ')})` : '',
            assumption: assumptions.length > 0 ? ` This assumes which server the pools use (${assumptions.join('; ')}).` : '',
            advice:
              fit < 1
                ? `The other pools already take all of max_connections: lower them, then give ${open.pool.name} a bound that fits.`
                : setting.value.kind === 'count'
                  ? `Set ${key} to ${fit} or lower${instances > 1 ? ` (${instances} instances)` : ''}, so that all pools together stay at or below ${limit}.`
                  : `Give ${open.pool.name} a bound of ${fit} connections or fewer${instances > 1 ? ` (${instances} instances)` : ''}, so that all pools together stay at or below ${limit}.`,
          },
          at,
          related: relatedOf(shares, at, writtenLimit, limit),
          severity: 'note',
          key: `${server.id}/max_connections`,
        });
        continue;
      }

      shares.sort((a, b) => b.size * b.instances - a.size * a.instances || (a.pool.id < b.pool.id ? -1 : 1));
      const largest = shares[0] as Share & { alternatives: boolean };
      const writtenSize = largest.setting?.origin.kind === 'file' ? largest.setting : undefined;
      const at: Span = (writtenSize && settingSpan(writtenSize)) ?? (writtenLimit && settingSpan(writtenLimit)) ?? largest.pool.origin;

      // Advice: lower the largest pool so the total fits, else every pool in proportion; or raise max_connections.
      const others = total - largest.size * largest.instances;
      const fit = Math.floor((limit - others) / largest.instances);
      // With several pools, the key alone does not say which file to edit.
      const keyOf = (s: Share) =>
        s.setting
          ? `${s.setting.writeAs ?? s.setting.key}${byApp.size > 1 && !(s.setting.writeAs ?? s.setting.key).includes(s.pool.name) ? ` of ${s.pool.name}` : ''}`
          : `the size of ${s.pool.name}`;
      const single = fit >= 1 ? advisedValue(largest, fit) : undefined;
      const lower =
        single !== undefined
          ? `set ${keyOf(largest)} to ${single} or lower`
          : `lower the pools in proportion (${shares
              .map((s) => `${keyOf(s)} to ${advisedValue(s, Math.max(1, Math.floor((s.size * limit) / total))) ?? 1}`)
              .join(', ')})`;
      const raise = total + headroom(total);
      const advice =
        `Keep the total at or below ${limit}: ${lower}; or raise max_connections to ${raise} or more ` +
        `(the total plus room for other clients such as the mysql CLI, migrations and monitoring).`;

      const uniqueAssumptions = assumptionsOf(server, shares);
      const severity = uniqueAssumptions.length > 0 ? ('note' as const) : undefined;

      const related = relatedOf(shares, at, writtenLimit, limit);

      report({
        messageId: 'tooMany',
        data: {
          server: serverName(server),
          total,
          parts: shares.map((s) => partText(s, s.alternatives)).join('; '),
          limit,
          limitWhere: limitWhere(limitSetting),
          uncounted:
            uncounted.length > 0 ? ` Not counted, their size is not known: ${uncounted.join('; ')}; the total can only be higher.` : '',
          assumption: uniqueAssumptions.length > 0 ? ` This assumes which server the pools use (${uniqueAssumptions.join('; ')}).` : '',
          advice,
        },
        at,
        related,
        ...(severity ? { severity } : {}),
        key: `${server.id}/max_connections`,
      });
    }
  },
});
