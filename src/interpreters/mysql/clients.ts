/*
 * The `mysql` command-line client as an option-file tree configures it (mysql-option-files.md, "Which groups each
 * program reads"): the groups it reads, the options it takes from them, and the server of the same tree.
 */

import type { Config } from '../../config/config.js';
import type { OptionFileClient, Server } from '../../model/model.js';
import { addAssignment, lastAssignments, type Setting, sortedByKey, type Value } from '../../model/setting.js';
import { detectFlavour } from './flavour.js';
import { groupMatches, type MySqlFlavor } from './groups.js';
import type { ImageFlavour } from './image-flavour.js';
import { type ServerSource, writtenSetting } from './server.js';
import { canonicalOptionName, clampVariable, type MySqlVariable, readOptionNumber } from './variables.js';

/**
 * Groups the `mysql` client reads, in its own list order (options still apply in file order). MySQL 8 `mysql`:
 * `[mysql] [client]` (client/mysql.cc `load_default_groups`). MariaDB 10.11 `mariadb` (also installed as `mysql`):
 * `[mysql] [mariadb-client] [client] [client-server] [client-mariadb]` (client/mysql.cc; E7). The knowledge base
 * lists no version-suffixed client groups, so none are read here.
 */
export function clientGroups(flavor: MySqlFlavor): string[] {
  return flavor === 'mariadb' ? ['mysql', 'mariadb-client', 'client', 'client-server', 'client-mariadb'] : ['mysql', 'client'];
}

/** Groups only a MariaDB client reads: a tree that has one was written for MariaDB's `mariadb` client. */
const MARIADB_CLIENT_GROUPS = ['mariadb-client', 'client-mariadb'];

/**
 * The client's own `max_allowed_packet` (mysql-server.md, "client-side max_allowed_packet"): 4096 to 2 GiB, rounded
 * down to a multiple of 1024 by the same option parser as the server's (my_getopt; MariaDB client/mysql.cc declares
 * it GET_ULONG with block size 1024). The default (16 MiB for `mysql`) is not filled in: a client is compared only
 * on what is written.
 */
const CLIENT_VARIABLES: ReadonlyMap<string, MySqlVariable> = new Map([
  [
    'max_allowed_packet',
    {
      name: 'max_allowed_packet',
      unit: 'bytes',
      default: { mysql: 16777216, mariadb: 16777216 },
      min: 4096,
      max: 2147483648,
      block: 1024,
      fact: 'mysql-server.md, Settings: client-side max_allowed_packet (CLI: 4096-2 GiB, block 1024)',
    },
  ],
]);

function sizeOrCount(v: MySqlVariable, n: number): Value {
  return v.unit === 'bytes' ? { kind: 'size', bytes: n } : { kind: 'count', value: n };
}

/** What the client makes of one option line: a known number read and adjusted as my_getopt does, else the text. */
function readClientOption(o: ServerSource['options'][number], canonical: string, flavor: MySqlFlavor): Setting {
  const { entry } = o;
  const setting = writtenSetting(entry, o.via, canonical);
  const variable = CLIENT_VARIABLES.get(canonical);
  if (!variable) return setting;
  if (entry.text === null || entry.text.trim() === '') {
    setting.value = { kind: 'unknown', reason: entry.text === null ? 'no value given' : 'empty value' };
    return setting;
  }
  const read = readOptionNumber(entry.text, canonical, flavor);
  if (!read.ok) {
    // The client refuses the value and exits; nothing is compared with it.
    setting.value = { kind: 'unknown', reason: read.message };
    return setting;
  }
  const clamped = clampVariable(variable, read.value, flavor);
  setting.value = sizeOrCount(variable, clamped.value);
  if (clamped.value !== read.value) {
    setting.clamp = {
      written: sizeOrCount(variable, read.value),
      reason: clamped.warning ?? `${canonical} rounded down to ${clamped.value}, a multiple of ${variable.block ?? 1}`,
      fact: variable.fact,
    };
  }
  return setting;
}

/**
 * One `mysql` client per option-file tree that has a group the client reads (for the tree's flavour, as the server
 * of the tree is detected), with every option it takes, last one wins across the include chain; `serverId` is the
 * server built from the same tree, when the tree configures one. `[mysqldump]` is not read: mysqldump receives rows,
 * it does not send big statements (mysql-server.md, "Packet size"; model.ts OptionFileClient).
 */
export function buildFileClients(
  trees: readonly ServerSource[],
  config: Config,
  servers: readonly Server[],
  images: ReadonlyMap<string, ImageFlavour> = new Map(),
): OptionFileClient[] {
  const clients: OptionFileClient[] = [];
  for (const tree of trees) {
    const headers = tree.groups ?? [];
    const detected = detectFlavour(
      headers,
      tree.options.map((o) => ({
        key: o.entry.key,
        ...(o.entry.section !== undefined ? { section: o.entry.section } : {}),
        span: o.entry.span,
      })),
    );
    // [client-mariadb] and [mariadb-client] are MariaDB-client-only groups: evidence for the client even where the
    // server's detection (which looks at groups a server reads) assumed MySQL.
    const mariaClient = headers.some((h) => groupMatches(h.name, MARIADB_CLIENT_GROUPS));
    // The client in the image a Dockerfile copies the file into is that image's (the `mysql` of a MariaDB image is `mariadb`).
    const image = images.get(tree.root)?.flavor;
    const flavor: MySqlFlavor = config.optionFiles?.flavor?.value ?? image ?? (mariaClient ? 'mariadb' : detected.flavor);
    const groups = clientGroups(flavor);
    const read = tree.options.filter((o) => groupMatches(o.entry.section ?? '', groups));
    const hasGroup = headers.some((h) => groupMatches(h.name, groups));
    if (read.length === 0 && !hasGroup) continue;
    const chains = new Map<string, Setting[]>();
    for (const o of read) {
      const { canonical } = canonicalOptionName(o.entry.key, flavor);
      const setting = readClientOption(o, canonical, flavor);
      addAssignment(chains, canonical, setting);
    }
    const settings = lastAssignments(chains);
    const server = servers.find((s) => s.root === tree.root && s.source === 'file');
    clients.push({
      id: `client:${tree.root}`,
      program: 'mysql',
      root: tree.root,
      files: tree.files,
      groups,
      settings: sortedByKey(settings),
      ...(server ? { serverId: server.id } : {}),
    });
  }
  return clients;
}
