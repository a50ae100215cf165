/**
 * The database engine a JDBC pool talks to, from the DataSource class, the driver class or the JDBC URL
 * (jdbc-mysql-drivers.md, "Syntax and parsing facts": engine/driver detection and class names).
 */
import type { DriverKeepalive, Engine } from '../../model/model.js';

/** DataSource classes (`dataSourceClassName`); Java class names are case-sensitive. */
const DATA_SOURCE_CLASSES: Record<string, Engine> = {
  'com.mysql.cj.jdbc.MysqlDataSource': 'mysql',
  'com.mysql.cj.jdbc.MysqlConnectionPoolDataSource': 'mysql',
  'com.mysql.cj.jdbc.MysqlXADataSource': 'mysql',
  // Connector/J 5.1 package.
  'com.mysql.jdbc.jdbc2.optional.MysqlDataSource': 'mysql',
  'com.mysql.jdbc.jdbc2.optional.MysqlConnectionPoolDataSource': 'mysql',
  'com.mysql.jdbc.jdbc2.optional.MysqlXADataSource': 'mysql',
  'org.mariadb.jdbc.MariaDbDataSource': 'mariadb',
  'org.mariadb.jdbc.MariaDbPoolDataSource': 'mariadb',
  'org.postgresql.ds.PGSimpleDataSource': 'postgresql',
  'org.postgresql.ds.PGPoolingDataSource': 'postgresql',
  'org.postgresql.ds.PGConnectionPoolDataSource': 'postgresql',
  'org.postgresql.xa.PGXADataSource': 'postgresql',
};

/** Driver classes (`driverClassName`). */
const DRIVER_CLASSES: Record<string, Engine> = {
  'com.mysql.cj.jdbc.Driver': 'mysql',
  'com.mysql.cj.jdbc.NonRegisteringDriver': 'mysql',
  // The 5.1 driver, kept in 8.x+ as a deprecated subclass of the cj driver.
  'com.mysql.jdbc.Driver': 'mysql',
  'com.mysql.jdbc.NonRegisteringDriver': 'mysql',
  'org.mariadb.jdbc.Driver': 'mariadb',
  'org.postgresql.Driver': 'postgresql',
};

const DRIVER_NAMES: Record<Engine, string> = {
  mysql: 'MySQL Connector/J',
  mariadb: 'MariaDB Connector/J',
  postgresql: 'PostgreSQL JDBC (pgjdbc)',
};

/**
 * URL prefixes, first match wins. Connector/J compares its schemes case-insensitively; MariaDB
 * (`startsWith("jdbc:mariadb:")`) and pgjdbc (`startsWith("jdbc:postgresql:")`) do not, so those stay exact.
 */
const URL_FORMS: Array<{ pattern: RegExp; engine: Engine; form: string }> = [
  { pattern: /^jdbc:aws-wrapper:mysql:/, engine: 'mysql', form: 'AWS Advanced JDBC Wrapper over Connector/J' },
  { pattern: /^jdbc:aws-wrapper:mariadb:/, engine: 'mariadb', form: 'AWS Advanced JDBC Wrapper over MariaDB Connector/J' },
  { pattern: /^jdbc:aws-wrapper:postgresql:/, engine: 'postgresql', form: 'AWS Advanced JDBC Wrapper over pgjdbc' },
  { pattern: /^jdbc:mariadb:/, engine: 'mariadb', form: 'MariaDB Connector/J URL' },
  { pattern: /^jdbc:mysql:aws:/i, engine: 'mysql', form: 'AWS JDBC Driver for MySQL URL' },
  { pattern: /^jdbc:mysql(\+srv)?:(loadbalance|replication):/i, engine: 'mysql', form: 'Connector/J multi-host URL' },
  { pattern: /^jdbc:mysql\+srv:/i, engine: 'mysql', form: 'Connector/J DNS SRV URL' },
  { pattern: /^jdbc:mysql:/i, engine: 'mysql', form: 'Connector/J URL' },
  { pattern: /^jdbc:postgresql:/, engine: 'postgresql', form: 'pgjdbc URL' },
];

function fromUrl(url: string): { engine: Engine; reason: string } | undefined {
  // No trimming: drivers match the URL as given (a leading blank makes every driver refuse it).
  for (const { pattern, engine, form } of URL_FORMS) {
    const match = pattern.exec(url);
    if (match) return { engine, reason: `${form} '${match[0]}'` };
  }
  return undefined;
}

/**
 * The engine, and why, from what a pool configuration names. A known DataSource class decides first
 * (HikariCP ignores jdbcUrl when dataSourceClassName is set, hikaricp.md), then a known driver class (it is
 * the driver that parses the URL: MariaDB Connector/J 2.x also takes `jdbc:mysql:` URLs), then the URL.
 */
export function engineFromJdbc(input: {
  jdbcUrl?: string;
  driverClassName?: string;
  dataSourceClassName?: string;
}): { engine: Engine; reason: string } | undefined {
  const ds = input.dataSourceClassName;
  const dsEngine = ds ? DATA_SOURCE_CLASSES[ds] : undefined;
  if (ds && dsEngine) return { engine: dsEngine, reason: `${DRIVER_NAMES[dsEngine]} DataSource class ${ds}` };
  const driver = input.driverClassName;
  const driverEngine = driver ? DRIVER_CLASSES[driver] : undefined;
  if (driver && driverEngine) return { engine: driverEngine, reason: `${DRIVER_NAMES[driverEngine]} driver class ${driver}` };
  if (input.jdbcUrl) {
    const byUrl = fromUrl(input.jdbcUrl);
    if (byUrl) return { engine: byUrl.engine, reason: `JDBC URL: ${byUrl.reason}` };
  }
  return undefined;
}

/**
 * Whether the JDBC driver of an engine switches TCP keepalive on for its sockets by default, so the
 * host's `tcp_keepalive_time` applies at all: Connector/J (`tcpKeepAlive=true`) and MariaDB Connector/J
 * do, pgjdbc does not (knowledge README, section 4; jdbc-mysql-drivers.md; sysctl.md). A URL or
 * property that overrides it is not read yet.
 */
export function jdbcDriverKeepalive(engine: Engine): DriverKeepalive {
  if (engine === 'postgresql') {
    return {
      driver: DRIVER_NAMES[engine],
      value: false,
      fact: 'pgjdbc tcpKeepAlive defaults to false (knowledge README, section 4)',
      switchOn: 'tcpKeepAlive=true',
    };
  }
  return {
    driver: DRIVER_NAMES[engine],
    value: true,
    fact: `${DRIVER_NAMES[engine]} turns TCP keepalive on by default (tcpKeepAlive=true; jdbc-mysql-drivers.md, sysctl.md)`,
  };
}

/**
 * The host a JDBC URL names: `db` in `jdbc:mysql://db:3306/app`, `jdbc:mariadb://user:pw@db/app`,
 * `jdbc:postgresql://db/app`; the first host of a list. Undefined when the URL names none (a socket,
 * an unknown form) or the host is a placeholder.
 */
export function hostOfJdbcUrl(url: string): string | undefined {
  const m = /^jdbc:[a-z0-9:]+:\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^/:?#,;()]+)/i.exec(url.trim());
  const host = m?.[1];
  if (!host || host.includes('${') || host.includes('(')) return undefined;
  return host.toLowerCase();
}
