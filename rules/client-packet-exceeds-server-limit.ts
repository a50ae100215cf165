import { defineRule } from '../src/engine/define-rule.js';
import type { RelatedLocation } from '../src/engine/finding.js';
import { formatBytes } from '../src/model/duration.js';
import { ENGINE_NAMES, type Link, type Model, type OptionFileClient, type Server } from '../src/model/model.js';
import { type Setting, settingSpan } from '../src/model/setting.js';
import { formatSpan, lineSpan } from '../src/model/span.js';
import { spanOr, throughLines } from '../src/model/values.js';

/** The server's hard ceiling for max_allowed_packet (mysql-server.md: 1024-1073741824, above 1 GiB -> 1 GiB). */
const SERVER_MAX = 1073741824;

function bytesOf(setting: Setting | undefined): number | undefined {
  return setting?.value.kind === 'size' ? setting.value.bytes : undefined;
}

/** `1G (1 GiB)` as written, `67108864 (64 MiB)`, `100000 (97 KiB after rounding)`; the human form alone for a default. */
function asWritten(setting: Setting, bytes: number): string {
  const human = formatBytes(bytes);
  if (setting.text === null) return human;
  if (setting.clamp) return `${setting.text} (in force: ${human})`;
  return `${setting.text} (${human})`;
}

/** `64M` for whole mebibytes and gibibytes, else the byte count: what a my.cnf line takes. */
function optionFileNumber(bytes: number): string {
  if (bytes % 1073741824 === 0) return `${bytes / 1073741824}G`;
  if (bytes % 1048576 === 0) return `${bytes / 1048576}M`;
  if (bytes % 1024 === 0) return `${bytes / 1024}K`;
  return String(bytes);
}

/** The server's value and where it comes from: `64M (64 MiB) (my.cnf:9)`, `the MariaDB 10.11 default 16 MiB`. */
function serverValue(setting: Setting, bytes: number): string {
  const o = setting.origin;
  if (o.kind === 'server-default') {
    const engine = ENGINE_NAMES[o.engine as keyof typeof ENGINE_NAMES] ?? o.engine;
    return `the ${engine}${o.version ? ` ${o.version}` : ''} default ${formatBytes(bytes)}`;
  }
  const at = settingSpan(setting);
  return `${asWritten(setting, bytes)}${at ? ` (${formatSpan(at)})` : ''}`;
}

/**
 * The two fixes, server first: raise the server's limit (at its line when written, else as a new line under [mysqld])
 * to the client's value, or lower the client's to the server's. The server takes at most 1 GiB: above that, only
 * lowering the client's value helps.
 */
function advice(server: Server, limit: Setting, wanted: number, lower: string): string {
  const at = settingSpan(limit);
  const where =
    server.source === 'config'
      ? `(declared in ${server.root ?? 'connlint.config.yaml'}; set it where the server is configured)`
      : at && limit.group
        ? `under [${limit.group}] at ${formatSpan(at)}`
        : 'under [mysqld]';
  if (wanted > SERVER_MAX) {
    return `Lower it to ${lower}; the server's max_allowed_packet (${where}) cannot go above 1G (1 GiB), its maximum.`;
  }
  const to = `${optionFileNumber(wanted)} (${formatBytes(wanted)})`;
  return `Raise the server's max_allowed_packet ${where} to ${to}${wanted === SERVER_MAX ? ', its maximum' : ' or more'}, or lower this one to ${lower}.`;
}

function serverRelated(setting: Setting, bytes: number): RelatedLocation[] {
  const at = settingSpan(setting);
  return at ? [{ span: at, message: `the server's max_allowed_packet is ${formatBytes(bytes)}` }] : [];
}

/**
 * The server a client is compared with: the one built from its own tree; else one that reads its root file (a
 * Compose service that mounts it); else, assumed and said to be, the only MySQL-family server of the model.
 */
function serverOf(client: OptionFileClient, model: Model): { server: Server; assumed: boolean } | undefined {
  const byId = client.serverId ? model.servers.find((s) => s.id === client.serverId) : undefined;
  if (byId) return { server: byId, assumed: false };
  const reading = model.servers.filter((s) => s.family === 'mysql' && s.files.includes(client.root));
  if (reading.length === 1 && reading[0]) return { server: reading[0], assumed: false };
  const mysql = model.servers.filter((s) => s.family === 'mysql');
  if (mysql.length === 1 && mysql[0]) return { server: mysql[0], assumed: true };
  return undefined;
}

/** Words for a link connlint assumed rather than read (`; assumed deploy/my.cnf, the nearest ...`). */
function linkNote(link: Link): string {
  return link.reason === 'config' || link.reason === 'url-host' ? '' : `; ${link.note}`;
}

const CONSEQUENCE =
  `the server refuses it with error 1153 "Got a packet bigger than 'max_allowed_packet' bytes" and closes the ` +
  'connection, which the client sees as 2006 "MySQL server has gone away" (or 2013 "Lost connection")';

export default defineRule({
  id: 'client-packet-exceeds-server-limit',
  summary: "A client may send packets bigger than the server's max_allowed_packet",
  severity: 'warning',
  tags: ['server', 'client', 'packet'],
  status: { kind: 'stable', since: '0.3.0' },
  options: {},
  docs: {
    whatItDoes:
      "Finds a client configured to send statements bigger than its server's `max_allowed_packet`: the `mysql` " +
      'client reading `max_allowed_packet` from the `[client]` or `[mysql]` groups of an option-file tree (MariaDB: also ' +
      '`[mariadb-client]`, `[client-server]`, `[client-mariadb]`), and a driver whose own packet limit is above the ' +
      "server's and that does not lower it to the server's at connect (MariaDB Connector/J 3.x `maxAllowedPacket`, " +
      "PyMySQL `max_allowed_packet`). Both values are compared after the server's rounding down to a multiple of 1024 " +
      'and its 1 GiB ceiling. The client is compared with the server of its own option-file tree, else the server that ' +
      'reads its file (a Compose service mounting it); when the repository configures exactly one MySQL or MariaDB ' +
      'server elsewhere, with that one, as a note. A pool is compared with the server it is linked to. MySQL ' +
      "Connector/J adopts the server's value at connect, so it is never reported. `[mysqldump]` is never read: mysqldump " +
      'receives rows and sends no large statements, so its limit only bounds what it can receive.',
    whyIsThisBad:
      "The server's `max_allowed_packet` wins. Raising only the client's value does not let it send more: a statement " +
      "bigger than the server's limit (an import of a dump with large extended INSERTs, a big BLOB) is refused with " +
      `error 1153 "Got a packet bigger than 'max_allowed_packet' bytes", the server closes the connection, and the ` +
      'client reports `ERROR 2006 (HY000): MySQL server has gone away` (or 2013), in the middle of the import.',
    example: {
      'my.cnf': '[mysql]\nmax_allowed_packet = 1G\n\n[mysqld]\nmax_allowed_packet = 64M\n',
    },
    useInstead: {
      'my.cnf': '[mysql]\nmax_allowed_packet = 1G\n\n[mysqld]\nmax_allowed_packet = 1G\n',
    },
    knownLimits:
      'A client option file with no server configured anywhere in the repository (a `~/.my.cnf`) is not compared: the ' +
      "server's value is not known. A value from an environment variable or a template is not guessed. Which statements " +
      'the client really sends is not known: the finding says the client is allowed to send more than the server ' +
      'accepts. `SET GLOBAL max_allowed_packet` at run time and managed-service parameter groups are not seen unless ' +
      'declared in connlint.config.yaml (`database.variables`). No fix is offered: raising the server or lowering the ' +
      'client are both right, and only the owner knows which.',
    references: [
      'connlint knowledge: mysql-server.md (max_allowed_packet: server default, range 1024-1 GiB, block 1024; client-side max_allowed_packet limits what the client receives; experiment S3: error 1153, then 2006; "What a linter can safely conclude", Packet size)',
      'connlint knowledge: mysql-option-files.md ("Which groups each program reads": mysql reads [mysql] [client], MariaDB also [mariadb-client] [client-server] [client-mariadb]; "Range handling")',
      "connlint knowledge: jdbc-mysql-drivers.md (Packet size: Connector/J caps itself to the server's value; MariaDB Connector/J 3.x does not)",
      'connlint knowledge: sqlalchemy.md (PyMySQL max_allowed_packet, default 16 MiB)',
      'MySQL manual, max_allowed_packet: https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_max_allowed_packet',
      'MySQL manual, "Packet Too Large": https://dev.mysql.com/doc/refman/8.0/en/packet-too-large.html',
    ],
  },
  messages: {
    client: (d: {
      key: string;
      value: string;
      group: string;
      server: string;
      serverLimit: string;
      consequence: string;
      advice: string;
      assumed: string;
    }) =>
      `${d.key} is ${d.value} for the mysql client ([${d.group}]) but the server's max_allowed_packet is ${d.server}${d.assumed}, ` +
      `so a statement bigger than ${d.serverLimit} that the client sends (a dump import, a large INSERT) does not get through: ` +
      `${d.consequence}. ${d.advice}`,
    pool: (d: {
      driver: string;
      key: string;
      value: string;
      server: string;
      serverLimit: string;
      consequence: string;
      advice: string;
      link: string;
    }) =>
      `${d.driver} ${d.key} is ${d.value} but the server's max_allowed_packet is ${d.server}${d.link}, and ${d.driver} does not ` +
      `lower its limit to the server's, so a statement bigger than ${d.serverLimit} reaches the server and does not get through: ${d.consequence}. ${d.advice}`,
  },
  check({ model, report }) {
    for (const client of model.clients) {
      const setting = client.settings.get('max_allowed_packet');
      const bytes = bytesOf(setting);
      if (!setting || bytes === undefined) continue;
      const found = serverOf(client, model);
      if (!found) continue;
      const limit = found.server.settings.get('max_allowed_packet');
      const limitBytes = bytesOf(limit);
      if (!limit || limitBytes === undefined || bytes <= limitBytes) continue;
      const where = found.server.root ?? found.server.id;
      report({
        messageId: 'client',
        data: {
          key: setting.key,
          value: asWritten(setting, bytes),
          group: setting.group ?? 'client',
          server: serverValue(limit, limitBytes),
          serverLimit: formatBytes(limitBytes),
          consequence: CONSEQUENCE,
          assumed: found.assumed ? ` (assumed: ${where} is the only MySQL/MariaDB server configured here)` : '',
          advice: advice(found.server, limit, bytes, `${optionFileNumber(limitBytes)} (${formatBytes(limitBytes)})`),
        },
        at: spanOr(setting, lineSpan(client.root, 1, 1, 0)),
        related: [...throughLines(setting), ...serverRelated(limit, limitBytes)],
        ...(found.assumed ? { severity: 'note' as const } : {}),
        key: `${client.id}/max_allowed_packet`,
      });
    }
    for (const link of model.links) {
      const { pool, server } = link;
      const packet = pool.packetLimit;
      if (!packet || packet.capsToServer) continue;
      const bytes = bytesOf(packet.setting);
      const limit = server.settings.get('max_allowed_packet');
      const limitBytes = bytesOf(limit);
      if (bytes === undefined || !limit || limitBytes === undefined || bytes <= limitBytes) continue;
      const key = packet.setting.key;
      report({
        messageId: 'pool',
        data: {
          driver: packet.driver,
          key,
          value: asWritten(packet.setting, bytes),
          server: serverValue(limit, limitBytes),
          serverLimit: formatBytes(limitBytes),
          consequence: CONSEQUENCE,
          link: linkNote(link),
          advice: advice(
            server,
            limit,
            bytes,
            `${limitBytes} (${formatBytes(limitBytes)}), so the driver refuses a bigger statement itself and the connection survives`,
          ),
        },
        at: spanOr(packet.setting, pool.origin),
        related: [...throughLines(packet.setting), ...serverRelated(limit, limitBytes)],
        ...(pool.serverUncertain ? { severity: 'note' as const } : {}),
        key: `${pool.id}/packet`,
      });
    }
  },
});
