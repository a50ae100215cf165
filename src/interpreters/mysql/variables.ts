/*
 * Server variables connlint reasons about, and how mysqld reads their option-file values
 * (mysql-server.md, Settings; mysql-option-files.md, "What the option parser does").
 */

import type { MySqlFlavor } from './groups.js';

export type { MySqlFlavor };

export interface MySqlVariable {
  name: string;
  unit: 's' | 'bytes' | 'count' | 'bool';
  /** NaN for a flavour that has no such variable (see `only`). */
  default: { mysql: number; mariadb: number };
  min: number;
  max: number;
  /** Values are rounded DOWN to a multiple of this, silently. */
  block?: number;
  /** Range of one flavour when it differs from min/max. */
  flavorRange?: Partial<Record<MySqlFlavor, { min: number; max: number }>>;
  /** Set when only one flavour has the variable. */
  only?: MySqlFlavor;
  fact: string;
}

const LONG_TIMEOUT = 31536000;

const variables: MySqlVariable[] = [
  {
    name: 'wait_timeout',
    unit: 's',
    default: { mysql: 28800, mariadb: 28800 },
    min: 1,
    max: LONG_TIMEOUT,
    fact: 'mysql-server.md, Settings: wait_timeout',
  },
  {
    name: 'interactive_timeout',
    unit: 's',
    default: { mysql: 28800, mariadb: 28800 },
    min: 1,
    max: LONG_TIMEOUT,
    fact: 'mysql-server.md, Settings: interactive_timeout',
  },
  {
    name: 'net_read_timeout',
    unit: 's',
    default: { mysql: 30, mariadb: 30 },
    min: 1,
    max: LONG_TIMEOUT,
    fact: 'mysql-server.md, Settings: net_read_timeout',
  },
  {
    name: 'net_write_timeout',
    unit: 's',
    default: { mysql: 60, mariadb: 60 },
    min: 1,
    max: LONG_TIMEOUT,
    fact: 'mysql-server.md, Settings: net_write_timeout',
  },
  {
    name: 'connect_timeout',
    unit: 's',
    default: { mysql: 10, mariadb: 10 },
    min: 2,
    max: LONG_TIMEOUT,
    fact: 'mysql-server.md, Settings: connect_timeout',
  },
  {
    name: 'max_allowed_packet',
    unit: 'bytes',
    // MySQL 8.0 default (5.7: 4 MiB); MariaDB 10.11: 16 MiB.
    default: { mysql: 67108864, mariadb: 16777216 },
    min: 1024,
    max: 1073741824,
    block: 1024,
    fact: 'mysql-server.md, Settings: max_allowed_packet',
  },
  {
    name: 'max_connections',
    unit: 'count',
    default: { mysql: 151, mariadb: 151 },
    // MariaDB 10-100000 confirmed (5 -> 10 with warning); MySQL 1-100000 (unverified in the knowledge file).
    min: 10,
    max: 100000,
    flavorRange: { mysql: { min: 1, max: 100000 } },
    fact: 'mysql-server.md, Settings: max_connections',
  },
  {
    name: 'idle_transaction_timeout',
    unit: 's',
    default: { mysql: Number.NaN, mariadb: 0 },
    min: 0,
    max: LONG_TIMEOUT,
    only: 'mariadb',
    fact: 'mysql-server.md, Settings: idle_transaction_timeout',
  },
  {
    name: 'idle_readonly_transaction_timeout',
    unit: 's',
    default: { mysql: Number.NaN, mariadb: 0 },
    min: 0,
    max: LONG_TIMEOUT,
    only: 'mariadb',
    fact: 'mysql-server.md, Settings: idle_readonly_transaction_timeout',
  },
  {
    name: 'idle_write_transaction_timeout',
    unit: 's',
    default: { mysql: Number.NaN, mariadb: 0 },
    min: 0,
    max: LONG_TIMEOUT,
    only: 'mariadb',
    fact: 'mysql-server.md, Settings: idle_write_transaction_timeout',
  },
  // 0 = the operating system's value (sysctl.md, "which clients enable SO_KEEPALIVE"). The range 0-2147483
  // is from the MariaDB server-system-variables page; the knowledge base does not give it.
  {
    name: 'tcp_keepalive_time',
    unit: 's',
    default: { mysql: Number.NaN, mariadb: 0 },
    min: 0,
    max: 2147483,
    only: 'mariadb',
    fact: 'sysctl.md, MySQL/MariaDB server row: tcp_keepalive_time (range: MariaDB KB server-system-variables)',
  },
  {
    name: 'tcp_keepalive_interval',
    unit: 's',
    default: { mysql: Number.NaN, mariadb: 0 },
    min: 0,
    max: 2147483,
    only: 'mariadb',
    fact: 'sysctl.md, MySQL/MariaDB server row: tcp_keepalive_interval (range: MariaDB KB server-system-variables)',
  },
  {
    name: 'tcp_keepalive_probes',
    unit: 'count',
    default: { mysql: Number.NaN, mariadb: 0 },
    min: 0,
    max: 2147483,
    only: 'mariadb',
    fact: 'sysctl.md, MySQL/MariaDB server row: tcp_keepalive_probes (range: MariaDB KB server-system-variables)',
  },
];

export const MYSQL_VARIABLES: ReadonlyMap<string, MySqlVariable> = new Map(variables.map((v) => [v.name, v]));

/**
 * Canonical option name: lower case, '-' -> '_', 'loose' prefix removed and reported apart.
 * MySQL 8 compares the `loose-` prefix case-sensitively (only `-`/`_` folded, from source); MariaDB 10.11 matches it
 * case-insensitively (`LOOSE-WAIT-TIMEOUT=77` sets wait_timeout, E29). mysql-option-files.md, "Special prefixes".
 * Without a flavour the prefix is matched as MySQL does (lower case only).
 */
export function canonicalOptionName(name: string, flavor: MySqlFlavor = 'mysql'): { canonical: string; loose: boolean } {
  const loose = flavor === 'mariadb' ? /^loose[-_]/i.test(name) : /^loose[-_]/.test(name);
  const rest = loose ? name.slice('loose-'.length) : name;
  return { canonical: rest.replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(/-/g, '_'), loose };
}

const SUFFIX_SHIFT: Record<string, bigint> = { k: 10n, m: 20n, g: 30n, t: 40n, p: 50n, e: 60n };
const U64 = 1n << 64n;

/**
 * The number the server's option parser reads from `text` for an unsigned variable: strtoull base 10,
 * then ONE suffix character K/M/G/T/P/E (case-insensitive, 2^10 steps), the rest ignored (`64MB` = 64M);
 * or why it aborts. mysql-option-files.md, "Numbers" (E14, E15); MariaDB my_getopt.c eval_num_suffix_ull.
 * `name` only fills the server's message. MariaDB semantics unless `flavor` is 'mysql'.
 */
export function readOptionNumber(
  text: string,
  name = '',
  flavor: MySqlFlavor = 'mariadb',
): { ok: true; value: number } | { ok: false; message: string } {
  const forName = name ? ` for ${name}` : '';
  if (text.startsWith('-') && flavor === 'mariadb') {
    return { ok: false, message: `Incorrect unsigned value: '${text}'${forName}` };
  }
  if (text === '' && flavor === 'mysql') {
    // MySQL 8 refuses empty numeric values (EE_OPTION_WITH_EMPTY_VALUE; mysql-option-files.md, from source).
    return { ok: false, message: `Empty value for '${name || 'option'}' specified` };
  }
  // strtoull: leading C-locale blanks, an optional sign, decimal digits; no digits -> 0 and the
  // suffix check starts at the very beginning of the text.
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(text);
  let num = 0n;
  let rest = text;
  if (m) {
    num = BigInt(m[2] ?? '0');
    rest = text.slice(m[0].length);
    if (num >= U64) return { ok: false, message: `Incorrect integer value: '${text}'${forName}` };
    if (m[1] === '-') {
      // strtoull negates in unsigned arithmetic; only reachable after leading blanks (MariaDB) or on MySQL.
      if (flavor === 'mysql') return { ok: true, value: -Number(num) };
      num = (U64 - num) % U64;
    }
  }
  const suffix = rest.charAt(0);
  if (suffix !== '') {
    const shift = SUFFIX_SHIFT[suffix.toLowerCase()];
    if (shift === undefined) {
      const variable = name ? ` used for variable '${name}'` : '';
      return {
        ok: false,
        message: `Unknown suffix '${suffix}'${variable} (value '${text}'). Legal suffix characters are: K, M, G, T, P, E`,
      };
    }
    num <<= shift;
    if (flavor === 'mysql' && num >= U64) return { ok: false, message: `Incorrect integer value: '${text}'${forName}` };
    // MariaDB multiplies in unsigned 64-bit arithmetic: `16E` wraps to 0.
    num %= U64;
  }
  return { ok: true, value: Number(num) };
}

/**
 * The value the server runs with after its start-up range handling (getopt_ull_limit_value: above max ->
 * max, round DOWN to the block size, below min -> min), and the warning it logs when it changes it.
 * Rounding alone is silent (max_allowed_packet=100000 -> 99328). mysql-option-files.md, "Range handling";
 * E15. A negative value only reaches here for MySQL, which sets the minimum with a warning.
 */
export function clampVariable(v: MySqlVariable, value: number, flavor: MySqlFlavor): { value: number; warning?: string } {
  const range = v.flavorRange?.[flavor] ?? { min: v.min, max: v.max };
  let n = value;
  let adjusted = false;
  if (n > range.max) {
    n = range.max;
    adjusted = true;
  }
  if (n > 0 && v.block && v.block > 1) n = Math.floor(n / v.block) * v.block;
  if (n < range.min) {
    n = range.min;
    if (value < range.min) adjusted = true;
  }
  if (!adjusted) return { value: n };
  return { value: n, warning: `option '${v.name}': unsigned value ${value} adjusted to ${n}` };
}
