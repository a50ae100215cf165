/**
 * Python DB-API drivers under SQLAlchemy and Django: which one a URL or backend means, whether it
 * switches TCP keepalive on (knowledge README section 4; sysctl.md, "Which clients switch SO_KEEPALIVE
 * on"), which URL query values its SQLAlchemy dialect converts to int (sqlalchemy.md, "URL query ->
 * driver kwargs"), and the session `wait_timeout` an `init_command` sets (knowledge README section 1).
 */
import type { Engine } from '../../model/model.js';

export interface PythonDriver {
  /** SQLAlchemy's driver name (`pymysql`, `mysqldb`, `psycopg2`). */
  id: string;
  /** For messages (`PyMySQL`). */
  name: string;
  /** Does it set SO_KEEPALIVE on its sockets by default? Undefined: the knowledge base does not say. */
  keepalive?: { value: boolean; fact: string };
  /** libpq drivers: `keepalives=0` in the connection parameters turns keepalive off. */
  libpq?: boolean;
  /** URL query keys its dialect converts with int() (the rest stay strings). */
  intQuery: readonly string[];
  /** MySQL-protocol driver that takes `init_command`, `read_timeout`, `write_timeout`, `connect_timeout`. */
  mysqlOptions?: boolean;
}

const MYSQLDB_INTS = ['connect_timeout', 'read_timeout', 'write_timeout', 'client_flag'];
const LIBPQ_KEEPALIVE = {
  value: true,
  fact: 'libpq (psycopg2, psycopg) turns TCP keepalive on by default (keepalives=1) with the OS timers (knowledge README, section 4; sysctl.md, traced psycopg2 2.9.5 and psycopg 3.1.7)',
};

const DRIVERS: Record<string, PythonDriver> = {
  mysqldb: {
    id: 'mysqldb',
    name: 'mysqlclient (MySQLdb)',
    keepalive: {
      value: true,
      fact: 'mysqlclient turns TCP keepalive on with the OS timers (knowledge README, section 4; sysctl.md, traced mysqlclient 1.4.6 on libmariadb; built against Oracle libmysqlclient it is unverified)',
    },
    intQuery: MYSQLDB_INTS,
    mysqlOptions: true,
  },
  pymysql: {
    id: 'pymysql',
    name: 'PyMySQL',
    keepalive: {
      value: true,
      fact: 'PyMySQL sets SO_KEEPALIVE on its TCP sockets with the OS timers (sqlalchemy.md [S19]; sysctl.md, traced PyMySQL 1.0.2)',
    },
    intQuery: MYSQLDB_INTS,
    mysqlOptions: true,
  },
  mariadbconnector: {
    id: 'mariadbconnector',
    name: 'MariaDB Connector/Python',
    intQuery: ['connect_timeout', 'read_timeout', 'write_timeout', 'client_flag', 'port', 'pool_size'],
    mysqlOptions: true,
  },
  mysqlconnector: {
    id: 'mysqlconnector',
    name: 'MySQL Connector/Python',
    intQuery: ['connect_timeout', 'connection_timeout', 'pool_size'],
  },
  aiomysql: { id: 'aiomysql', name: 'aiomysql', intQuery: [], mysqlOptions: true },
  asyncmy: { id: 'asyncmy', name: 'asyncmy', intQuery: [], mysqlOptions: true },
  cymysql: { id: 'cymysql', name: 'CyMySQL', intQuery: [] },
  psycopg2: { id: 'psycopg2', name: 'psycopg2 (libpq)', keepalive: LIBPQ_KEEPALIVE, libpq: true, intQuery: [] },
  psycopg2cffi: { id: 'psycopg2cffi', name: 'psycopg2cffi (libpq)', keepalive: LIBPQ_KEEPALIVE, libpq: true, intQuery: [] },
  psycopg: { id: 'psycopg', name: 'psycopg 3 (libpq)', keepalive: LIBPQ_KEEPALIVE, libpq: true, intQuery: [] },
  psycopg_async: { id: 'psycopg_async', name: 'psycopg 3 (libpq)', keepalive: LIBPQ_KEEPALIVE, libpq: true, intQuery: [] },
  asyncpg: {
    id: 'asyncpg',
    name: 'asyncpg',
    keepalive: {
      value: false,
      fact: 'asyncpg sets no SO_KEEPALIVE on its sockets (knowledge README, section 4; sysctl.md, traced asyncpg 0.27)',
    },
    intQuery: ['port', 'prepared_statement_cache_size'],
  },
  pg8000: { id: 'pg8000', name: 'pg8000', intQuery: [] },
};

/**
 * The driver a SQLAlchemy URL means. Without `+driver`: MySQL and MariaDB use mysqldb (mysqlclient);
 * PostgreSQL uses psycopg2 up to 2.0 and psycopg from 2.1, both libpq, which is all that matters here.
 */
export function sqlalchemyDriver(dialect: string, driver: string | undefined): PythonDriver | undefined {
  if (driver) return DRIVERS[driver];
  if (dialect === 'mysql' || dialect === 'mariadb') return DRIVERS.mysqldb;
  if (dialect === 'postgresql' || dialect === 'postgres')
    return {
      id: 'psycopg2',
      name: 'psycopg2 or psycopg (libpq; the default depends on the SQLAlchemy version)',
      keepalive: LIBPQ_KEEPALIVE,
      libpq: true,
      intQuery: [],
    };
  return undefined;
}

/** The driver under a Django backend: mysqlclient for MySQL, psycopg2 or psycopg (both libpq) for PostgreSQL (django.md). */
export function djangoDriver(engine: Engine, connectorPython: boolean): PythonDriver {
  if (connectorPython) return DRIVERS.mysqlconnector as PythonDriver;
  if (engine === 'postgresql')
    return { id: 'psycopg', name: 'psycopg2 or psycopg (libpq)', keepalive: LIBPQ_KEEPALIVE, libpq: true, intQuery: [] };
  return DRIVERS.mysqldb as PythonDriver;
}

export type SessionWaitTimeout = { seconds: number } | { unknown: string } | undefined;

const SCOPE = /^(global|session|local|persist|persist_only)\s+/i;
const AT_SCOPE = /^@@(?:(global|session|local|persist|persist_only)\.)?/i;

/**
 * The session `wait_timeout` an `init_command` sets (`SET SESSION wait_timeout=600`, `SET wait_timeout = 600`,
 * `SET @@session.wait_timeout=600`): it replaces the server's global value for that connection
 * (knowledge README section 1; mysql-server.md). `SET GLOBAL` does not reach the session; a value that is
 * not a plain number, or an assignment whose scope is unclear, is unknown. Undefined when not set.
 */
export function sessionWaitTimeout(sql: string): SessionWaitTimeout {
  let found: SessionWaitTimeout;
  for (const statement of sql.split(';')) {
    const m = /^\s*set\s+([\s\S]*)$/i.exec(statement);
    if (!m) continue;
    let inherited: string | undefined;
    for (const part of (m[1] as string).split(',')) {
      let rest = part.trim();
      let scope: string | undefined;
      const word = SCOPE.exec(rest);
      if (word) {
        scope = (word[1] as string).toLowerCase();
        inherited = scope;
        rest = rest.slice(word[0].length);
      }
      const at = AT_SCOPE.exec(rest);
      if (at) {
        scope = (at[1] ?? 'session').toLowerCase();
        rest = rest.slice(at[0].length);
      }
      const assign = /^`?wait_timeout`?\s*:?=\s*(.*)$/is.exec(rest);
      if (!assign) continue;
      const effective = scope ?? inherited ?? 'session';
      if (effective !== 'session' && effective !== 'local') {
        // A scope keyword earlier in the statement may or may not carry over; only an explicit session assignment counts.
        if (scope === undefined) found = { unknown: `the scope of wait_timeout in "${statement.trim()}" is not clear` };
        continue;
      }
      const value = (assign[1] as string).trim();
      found = /^\d+$/.test(value) ? { seconds: Number(value) } : { unknown: `wait_timeout is set to ${value}, not a plain number` };
    }
  }
  return found;
}
