/*
 * Which server an option-file tree was written for, MariaDB or MySQL, from the signals the knowledge base
 * lists (mysql-option-files.md, "Which files are these", flavour evidence; "MySQL vs MariaDB differences").
 */

import { formatSpan, type Span } from '../../model/span.js';
import { groupMatches, isMariaDbOnlyGroup, type MySqlFlavor, serverGroups } from './groups.js';
import { canonicalOptionName, MYSQL_VARIABLES } from './variables.js';

/** A `[group]` header as read, in reading order. */
export interface GroupHeader {
  name: string;
  span: Span;
}

export interface FlavourOption {
  key: string;
  section?: string;
  span: Span;
}

export interface Flavour {
  flavor: MySqlFlavor;
  /** Why, in words, with the place (for `inspect` and messages). */
  reason: string;
}

/** Variables only MySQL has, whose presence shows a file written for MySQL (mysql-option-files.md, default_authentication_plugin). */
export const MYSQL_ONLY_EVIDENCE = new Set(['default_authentication_plugin']);

/**
 * The flavour the files show, strongest signal first:
 * 1. a MariaDB-only group header, EMPTY ones included (`[mariadb]`, `[mariadb-10.11]`, `[client-server]`, `[galera]`,
 *    `[mariadbd]`, `[client-mariadb]` ...): Debian's and the RPM's MariaDB packaging ship them as empty placeholders,
 *    and MySQL never reads them;
 * 2. a MariaDB-only server variable (`idle_transaction_timeout`, `tcp_keepalive_time` ...) in a group both servers read;
 * 3. `default_authentication_plugin`, a MySQL option (a no-op on MariaDB): evidence of a file written for MySQL;
 * 4. otherwise MySQL is assumed, and said to be assumed.
 */
export function detectFlavour(groups: readonly GroupHeader[], options: readonly FlavourOption[]): Flavour {
  const group = groups.find((g) => isMariaDbOnlyGroup(g.name));
  if (group) {
    return {
      flavor: 'mariadb',
      reason: `[${group.name}] group at ${formatSpan(group.span)} is read only by MariaDB (its packaging ships such groups, even empty ones)`,
    };
  }
  const shared = serverGroups('mysql');
  const inServerGroup = options.filter((o) => groupMatches(o.section ?? '', shared));
  const mariaOnly = inServerGroup.find((o) => MYSQL_VARIABLES.get(canonicalOptionName(o.key, 'mariadb').canonical)?.only === 'mariadb');
  if (mariaOnly) {
    return {
      flavor: 'mariadb',
      reason: `${mariaOnly.key} at ${formatSpan(mariaOnly.span)} is a MariaDB-only server variable`,
    };
  }
  const mysqlOnly = inServerGroup.find((o) => MYSQL_ONLY_EVIDENCE.has(canonicalOptionName(o.key, 'mariadb').canonical));
  if (mysqlOnly) {
    return {
      flavor: 'mysql',
      reason: `${mysqlOnly.key} at ${formatSpan(mysqlOnly.span)} is a MySQL option (MariaDB ignores it), so the files were written for MySQL`,
    };
  }
  return { flavor: 'mysql', reason: 'no MariaDB-only option group, so MySQL is assumed' };
}
