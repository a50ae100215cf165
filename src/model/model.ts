import type { IdlePath } from './idle-path.js';
import type { Problem } from './problem.js';
import type { Setting } from './setting.js';
import type { Span } from './span.js';

/** Database engines. MySQL and MariaDB speak the same protocol and share option-file syntax. */
export type Engine = 'mysql' | 'mariadb' | 'postgresql';
/** Engines a client of one engine can talk to: a MySQL driver reaches a MariaDB server and back. */
export type EngineFamily = 'mysql' | 'postgresql';

export function familyOf(engine: Engine): EngineFamily {
  return engine === 'postgresql' ? 'postgresql' : 'mysql';
}

export const ENGINE_NAMES: Record<Engine, string> = { mysql: 'MySQL', mariadb: 'MariaDB', postgresql: 'PostgreSQL' };

/**
 * How sure connlint is that the program it names really reads a file. `certain`: the file's name or
 * content says so (`my.cnf`, a `[mysqld]` group, `hikari.properties`). `uncertain`: weak evidence (an
 * application's own properties file with a `jdbcUrl` beside its own keys); a finding in such a file is
 * at most a note.
 */
export type Owner = 'certain' | 'uncertain';

/** A file connlint looked at: read by a format (`kind`), or left unread, and why either way. */
export interface ScannedFile {
  /** Relative to the scanned root, POSIX separators. */
  path: string;
  /** The format that read it (`mysql-option-file`, `sysctl`, `java-properties`, `connlint-config`); null when not read. */
  kind: string | null;
  owner: Owner;
  /** Why it was read (`default option-file name`) or why not (`no MySQL or MariaDB group header`). */
  reason: string;
  /** Set when the file or folder could not be read at all; reported under this rule id. */
  skipped?: { ruleId: SkipRuleId; message: string };
}

/** Rules that report paths connlint could not read (nothing is skipped in silence). */
export type SkipRuleId = 'unreadable-path' | 'file-too-large' | 'binary-file' | 'link-not-followed';

/** One effective database server configuration. */
export interface Server {
  /** Stable id: `<engine>:<root>`; `<engine>:config` for a declared one, `<engine>:default` for the engine's defaults. */
  id: string;
  engine: Engine;
  family: EngineFamily;
  /** Why this engine was chosen (`[mariadb] group in deploy/my.cnf`, `declared in connlint.config.yaml`). */
  engineReason: string;
  /** Declared server version, when known (decides version-suffixed option groups). */
  version?: string;
  /** `file`: read from the repository's files; `config`: declared in connlint.config.yaml; `default`: no config at all. */
  source: 'file' | 'config' | 'default';
  /** Root file (an option file no other scanned file includes), or the config file, or null for defaults. */
  root: string | null;
  /** Files read for this server, in reading order (the include chain). */
  files: string[];
  /** Option groups this server reads (lower case). */
  groups: string[];
  /** Where to point when the finding is about the server as a whole. */
  origin: Span | null;
  /** Every option the server reads, by canonical key, last one wins; known defaults filled in. */
  settings: Map<string, Setting>;
  /** Assumptions made while reading its files (where a relative include was resolved from ...), for `inspect`. */
  notes: string[];
  /** Host names clients reach it by (a Compose service name and its aliases); pools whose URL names one link to it. */
  hostnames?: string[];
}

/** How a pool bounds the time a pooled connection can sit idle without a round trip. */
export interface IdleMechanism {
  kind: 'max-lifetime' | 'idle-timeout' | 'keepalive';
  /** The setting that drives it (written, defaulted or clamped). */
  setting: Setting;
  /**
   * The longest idle time this mechanism allows for every pooled connection, or undefined when it
   * does not bound it (disabled, or it only applies above a minimum the pool keeps forever).
   */
  boundMs: number | undefined;
  /** Why the bound is what it is, in words for messages (`minimumIdle (10) connections are never idle-retired`). */
  note?: string;
  /** True when the mechanism sends a real query, so it also resets the server's idle timer. */
  refreshesServer: boolean;
  /** The library rewrites values below this at start-up (HikariCP's 30 s floor), so no safe value may go lower. */
  minimumMs?: number;
  /**
   * The mechanism acts up to this long after its setting's value (tarn's reap interval, mysql2's 1 s idle
   * timer), so a safe value for the setting leaves this much room.
   */
  slackMs?: number;
  /**
   * The setting that spares some connections from this mechanism for good (tarn's and Sequelize's `pool.min`,
   * mysql2's `maxIdle`): when it is why nothing bounds the idle time, the line a finding points at.
   */
  sparedBy?: Setting;
}

export interface LibraryVersion {
  version: string;
  /** Where the version is declared (connlint.config.yaml). */
  span: Span;
}

/** Whether a pool's driver switches TCP keepalive on for its sockets, so the OS keepalive timer applies at all. */
export interface DriverKeepalive {
  /** The driver's name for messages (`MySQL Connector/J`). */
  driver: string;
  value: boolean;
  fact: string;
  /** The setting that switches it, when one is written. */
  setting?: Setting;
  /** How to switch it on, as the configuration spells it (`tcpKeepAlive=true`, `keepAlive: true`), when the driver can. */
  switchOn?: string;
}

/** The most connections a pool holds at once: what it can take of the server's `max_connections`. */
export interface PoolSize {
  /** The bound; undefined when unknown statically (an environment variable, a default that depends on the machine) or unbounded. */
  value: number | undefined;
  /**
   * The settings that decide it (written or defaulted), the one a fix edits first: HikariCP `maximumPoolSize`;
   * SQLAlchemy `pool_size` then `max_overflow`, whose sum is the bound.
   */
  settings: Setting[];
  /** How the bound is derived or why it is unknown, in words for messages (`pool_size 5 + max_overflow 10`). */
  note?: string;
}

/** How many copies of the application run this pool (replicas, workers). */
export interface PoolInstances {
  value: number;
  /** Where the count is declared (connlint.config.yaml `instances:`); absent for the assumed single instance. */
  span?: Span;
}

/**
 * The largest packet a pool's driver lets through to the server: a client-side `max_allowed_packet`
 * (MariaDB Connector/J 3.x `maxAllowedPacket`, PyMySQL `max_allowed_packet`). Bigger statements than the
 * server's `max_allowed_packet` are refused by the server, which closes the connection (error 1153, then 2006).
 */
export interface PacketLimit {
  /** The driver's name for messages (`MariaDB Connector/J 3.x`). */
  driver: string;
  /** The written or defaulted limit, a `size` value. */
  setting: Setting;
  /**
   * True when the driver lowers its limit to the server's at connect (MySQL Connector/J adopts the server's
   * value), so a bigger value is harmless (jdbc-mysql-drivers.md, "Packet size").
   */
  capsToServer: boolean;
  fact: string;
}

/** One client pool (one per environment/profile where the format has them). */
export interface Pool {
  /** Stable id: `<library>:<path>[#environment]`. */
  id: string;
  /** Library id (`hikaricp`, `c3p0`). */
  library: string;
  /** Library name for messages (`HikariCP`). */
  libraryName: string;
  /** Human name used in messages: the poolName, else the file. */
  name: string;
  libraryVersion?: LibraryVersion;
  /** Engine from the JDBC URL or driver class; undefined when unknown. */
  engine?: Engine;
  engineReason?: string;
  /**
   * Why it is not known that the pool talks to a database server at all (a SQLAlchemy URL from the
   * environment that may name SQLite, a local file): findings that need a server are then notes.
   */
  serverUncertain?: string;
  environment?: string;
  /** Why this environment is (or may be) the one that runs: `SPRING_PROFILES_ACTIVE=prod in docker-compose.yml:14`. */
  environmentNote?: string;
  /** The database host the pool's URL names (`db` in `jdbc:mysql://db:3306/app`), when it names one. */
  host?: string;
  origin: Span;
  /** All settings, library defaults filled in, start-up clamps applied. */
  settings: Map<string, Setting>;
  /** Mechanisms that retire or ping idle connections. */
  idle: IdleMechanism[];
  /** Does the pool check a connection with a round trip before lending it? `setting`: the key that switches it, if any. */
  validatesOnCheckout: {
    value: boolean;
    fact: string;
    setting?: Setting;
    /**
     * Set when the knowledge base says the check makes a lifetime over the server's idle limit harmless, so
     * it is not reported (SQLAlchemy's pre-ping, Django's health checks: "trap: don't flag"); the fact.
     */
    sufficient?: string;
    /**
     * Set when the driver notices a connection the server closed cleanly and discards it before lending it
     * (node-postgres reads the server's FATAL message and close; postgresql.md): only a silent drop on the path
     * can reach the application. The fact.
     */
    noticesServerClose?: string;
  };
  /** TCP keepalive on the pool's sockets; undefined when the driver is not known. */
  tcpKeepalive?: DriverKeepalive;
  /** The most connections the pool opens at once; undefined when the library is not known to bound it. */
  maxSize?: PoolSize;
  /** How many copies of the application run the pool; set when the model is assembled (default 1). */
  instances?: PoolInstances;
  /** The driver's own cap on the packets it sends, when the configuration sets or defaults one. */
  packetLimit?: PacketLimit;
}

/** Kernel TCP keepalive settings of one sysctl tree (one host or image). */
export interface Host {
  /** Stable id: `host:<directory>`. */
  id: string;
  /** The directory that holds the tree (`.` for the scanned root). */
  root: string;
  /** Files in the order systemd-sysctl applies them. */
  files: string[];
  /** Every key set, by canonical dotted key, last one wins; keepalive defaults filled in. */
  settings: Map<string, Setting>;
  /** Set for a container's own network namespace (Compose `sysctls:`): the host's sysctl files do not reach it. */
  container?: { service: string; file: string };
  /** Where to point when the finding is about the host as a whole (a Compose service's name); else its first file. */
  origin?: Span;
}

/** What a middlebox does when its idle timer fires (network-idle-timeouts.md, "Expiry" values). */
export type Expiry = 'silent' | 'rst-next' | 'rst-both' | 'close' | 'unknown';

/**
 * One element of the network between pools and servers that forgets idle flows: a named device
 * (`aws-nat-gateway`) or a declared idle timeout. Each keeps its own timeout and expiry.
 */
export interface NetworkElement {
  /** Stable id: `network:<name>@<path>:<line>`. */
  id: string;
  /** The profile id (`aws-nat-gateway`), or `network` for a declared idle timeout. */
  name: string;
  /** The device in words (`AWS NAT gateway`). */
  device: string;
  /** The idle timeout, as a setting with its origin (the line that declares it). */
  idleTimeout: Setting;
  expiry: Expiry;
  fact: string;
}

export interface Network {
  /** Every element declared on the path, in declaration order. */
  elements: NetworkElement[];
}

export type LinkReason = 'config' | 'url-host' | 'only-candidate' | 'nearest-directory' | 'engine-default';

/** A pool and the server it talks to. */
export interface Link {
  pool: Pool;
  server: Server;
  /** Proxies between them (PgBouncer, RDS Proxy), by id; empty for now. */
  via: string[];
  reason: LinkReason;
  /** Words for messages: `assumed deploy/my.cnf, the nearest MySQL server config`. */
  note: string;
}

/**
 * A process that keeps a database connection across idle periods outside its pool's own checks: a Django
 * management command that loops (django.md, "Long-running processes": Django closes or checks a connection
 * only when a request starts or ends, so CONN_MAX_AGE and CONN_HEALTH_CHECKS never run there).
 */
export interface ConnectionHolder {
  /** Stable id: `<kind>:<path>@<line of the loop>`. */
  id: string;
  /** For messages: `management command "sendalerts"`. */
  name: string;
  /** The loop that keeps the process alive. */
  loop: Span;
  /** The wait between two rounds of the loop (a sleep), when the loop has one: `ms` when its length is known. */
  wait?: { span: Span; text: string; ms?: number };
  /** How the process renews its connection, when it does (`close_old_connections()` at a line). */
  refresh?: { span: Span; what: string };
  /** The pools whose connections it holds (the Django aliases of the project's settings). */
  pools: string[];
  /** The knowledge the holder rests on. */
  fact: string;
}

/**
 * A command-line client's settings from option files: the `[client]` and `[mysql]` groups of one option-file
 * tree, as the `mysql` client reads them (mysql-option-files.md, "Groups"). `[mysqldump]` is not a client
 * that sends large statements, so it is not one of these (mysql-server.md, "Packet size").
 */
export interface OptionFileClient {
  /** Stable id: `client:<root>`. */
  id: string;
  /** The program for messages (`mysql`). */
  program: string;
  /** Root option file of the tree. */
  root: string;
  /** Files read, in reading order. */
  files: string[];
  /** Groups read (lower case), in the order the program applies them. */
  groups: string[];
  /** Every option the client reads, by canonical key, last one wins (no defaults filled in). */
  settings: Map<string, Setting>;
  /** The server this client is compared with (same tree, else the one a pool would link to), by id. */
  serverId?: string;
}

export interface Model {
  /** Every file connlint looked at, read or not, sorted by path. */
  files: ScannedFile[];
  servers: Server[];
  pools: Pool[];
  /** Command-line clients configured by option files ([client], [mysql]), by id. */
  clients: OptionFileClient[];
  /** Processes that hold pool connections outside the pool's checks, by id. */
  holders: ConnectionHolder[];
  hosts: Host[];
  network: Network;
  links: Link[];
  /** One idle path per pool, in pool id order: what the rules and `inspect` both read. */
  paths: IdlePath[];
  /**
   * What readers found wrong that a rule reports (a problem whose `ruleId` is a rule: `unknown-setting`,
   * `startup-failure` ...), in file and line order. Problems without a rule stay `parse-error` findings.
   */
  problems: Problem[];
}
