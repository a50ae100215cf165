/*
 * Which option groups the server reads (mysql-option-files.md, "Which groups each program reads").
 * MySQL 8 mysqld: [mysqld] [server] [mysqld-X.Y]. MariaDB 10.11 mariadbd adds [mariadb] [mariadb-X.Y]
 * [mariadbd] [mariadbd-X.Y] [client-server] [galera] (E7, confirmed with my_print_defaults --mysqld).
 */

export type MySqlFlavor = 'mysql' | 'mariadb';

/** `8.0.36` -> `8.0`, `10.11.6-MariaDB` -> `10.11`; undefined when no major.minor can be read. */
export function baseVersion(version: string | undefined): string | undefined {
  const m = version === undefined ? null : /^\s*(\d+)\.(\d+)/.exec(version);
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

/** Lower-case group names mysqld/mariadbd reads for that flavour and version ('8.0', '10.11'; undefined = no version groups). */
export function serverGroups(flavor: MySqlFlavor, version?: string): string[] {
  const v = baseVersion(version);
  // The order is the server's group list order; options are still applied in FILE order (E13).
  const groups = ['mysqld', 'server'];
  if (v) groups.push(`mysqld-${v}`);
  if (flavor === 'mariadb') {
    groups.push('mariadb');
    if (v) groups.push(`mariadb-${v}`);
    groups.push('mariadbd');
    if (v) groups.push(`mariadbd-${v}`);
    // [galera] is read only by WSREP builds; the distribution packages are built with WSREP (E7).
    groups.push('client-server', 'galera');
  }
  return groups;
}

/** ASCII-only lower case: mysqld compares group names with latin1 upper-casing, never Unicode case folding. */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/**
 * Whether a group name as written is one of `groups`, the server's way: case-insensitive, leading blanks
 * kept (`[ mysqld]` is not mysqld), trailing spaces ignored (find_type skips them; the parser already
 * trims them). mysql-option-files.md, "Which groups each program reads"; E4.
 */
export function groupMatches(name: string, groups: string[]): boolean {
  const wanted = asciiLower(name.replace(/ +$/, ''));
  return groups.some((g) => asciiLower(g) === wanted);
}

/**
 * True when a group name (as written) only MariaDB's programs read appears: mariadb*, mariadbd*, client-server,
 * client-mariadb, galera. MySQL's server and clients ignore all of them (mysql-option-files.md, "MySQL vs MariaDB",
 * and the MariaDB 10.11 client group lists).
 */
export function isMariaDbOnlyGroup(name: string): boolean {
  const n = asciiLower(name.replace(/ +$/, ''));
  return n.startsWith('mariadb') || n === 'client-server' || n === 'client-mariadb' || n === 'galera';
}
