import type { Setting } from './setting.js';
import type { Span } from './span.js';

/** Database engines. MySQL and MariaDB speak the same protocol and share option-file syntax. */
export type Engine = 'mysql' | 'mariadb' | 'postgresql';
/** Engines a client of one engine can talk to: a MySQL driver reaches a MariaDB server and back. */
export type EngineFamily = 'mysql' | 'postgresql';

export function familyOf(engine: Engine): EngineFamily {
  return engine === 'postgresql' ? 'postgresql' : 'mysql';
}

/** The kinds of file connlint reads; `template` files are listed but not parsed. */
export type FileKind = 'mysql-option-file' | 'sysctl' | 'java-properties' | 'connlint-config' | 'template';

export interface ScannedFile {
  /** Relative to the scanned root, POSIX separators. */
  path: string;
  kind: FileKind;
}

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
  /** `file`: read from an option file tree; `config`: declared in connlint.config.yaml; `default`: no config at all. */
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
}

export interface LibraryVersion {
  version: string;
  /** Where the version is declared (connlint.config.yaml). */
  span: Span;
}

/** One client pool (one per environment/profile where the format has them). */
export interface Pool {
  /** Stable id: `<library>:<path>[#environment]`. */
  id: string;
  library: 'hikaricp' | 'c3p0';
  /** Human name used in messages: the poolName, else the file. */
  name: string;
  libraryVersion?: LibraryVersion;
  /** Engine from the JDBC URL or driver class; undefined when unknown. */
  engine?: Engine;
  engineReason?: string;
  environment?: string;
  /** The file (and line) that defines the pool. */
  origin: Span;
  /** All settings, library defaults filled in, start-up clamps applied. */
  settings: Map<string, Setting>;
  /** Mechanisms that retire or ping idle connections. */
  idle: IdleMechanism[];
  /** Does the pool check a connection with a round trip before lending it? `setting`: the key that switches it, if any. */
  validatesOnCheckout: { value: boolean; fact: string; setting?: Setting };
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
}

/** A middlebox profile (named device with a documented idle timeout). */
export interface NetworkProfile {
  id: string;
  device: string;
  idleTimeoutMs: number;
  /** What the device does when the timer expires (network-idle-timeouts.md, "Expiry"). */
  expiry: 'silent' | 'rst-next' | 'rst-both' | 'close' | 'unknown';
  fact: string;
}

export interface Network {
  /** The declared idle timeout or the smallest profile timeout, as a setting with its origin. */
  idleTimeout?: Setting;
  /** Profiles named in the config, each with the span that names it. */
  profiles: Array<{ profile: NetworkProfile; span: Span }>;
}

export type LinkReason = 'config' | 'only-candidate' | 'nearest-directory' | 'engine-default';

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

export interface Model {
  files: ScannedFile[];
  servers: Server[];
  pools: Pool[];
  hosts: Host[];
  network: Network;
  links: Link[];
}
