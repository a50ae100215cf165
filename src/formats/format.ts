import type { Config } from '../config/config.js';
import type { FileTreeView } from '../discover/file-tree.js';
import type { Entry } from '../model/entry.js';
import type { ConnectionHolder, Host, NetworkElement, OptionFileClient, Owner, Pool, Server } from '../model/model.js';
import type { Problem } from '../model/problem.js';

/**
 * The seam every format plugs into. A format module says which files it claims — first from the
 * path alone (cheap, for the walk), then from the text (a cheap sniff, still without its parser) —
 * and, loaded only when a file needs it, what those files contribute to the model. The engine drives
 * the registry; the model never sees a format.
 */

/** A file the format reads, and how sure it is that the program it names reads it too. */
export interface Claim {
  owner: Owner;
  /** Why (`default option-file name`, `first group is [mysqld]`). */
  reason: string;
}

/** A file with a name the format knows, but that its program does not read; listed by `inspect` with the reason. */
export interface NotRead {
  notRead: string;
}

export interface ClaimedFile {
  path: string;
  /** Decoded with the format's encoding. */
  text: string;
  claim: Claim;
}

/** Caches one parse per file and content, across runs of one process (an editor re-linting one changed file). */
export interface ParseCache {
  get<T>(format: string, path: string, text: string, parse: () => T): T;
}

/**
 * Facts a format states for other formats, gathered before any format contributes: a Compose file says
 * which environment variables reach the application built from a folder, so the Spring Boot format can
 * apply them over that application's `application.*` values.
 */
export interface Declarations {
  environments: AppEnvironment[];
}

/** Environment variables an application receives, and where they are written. */
export interface AppEnvironment {
  /** Directory of the application the variables reach (a Compose service's build context), relative to the root; `.` for the root. */
  appDir: string;
  /** Who passes them, for messages: `service app in docker-compose.yml`. */
  source: string;
  /** One entry per variable: key = the name, text = the value (null when passed through from the shell, unknown), spans where written. */
  variables: Entry[];
}

export interface FormatContext {
  config: Config;
  /** What every format declared (empty lists when nothing did). */
  declarations: Declarations;
  /** The scanned tree, for formats that follow references between files (`!include`). */
  view: FileTreeView;
  cache: ParseCache;
}

/** What one format adds to the model. Paths in `files` update the listing (a file reached by `!include`). */
export interface Contribution {
  servers?: Server[];
  pools?: Pool[];
  /** Command-line clients an option-file tree configures ([client], [mysql] groups). */
  clients?: OptionFileClient[];
  /** Processes that hold the pools' connections outside their checks (a Django management command's loop). */
  holders?: ConnectionHolder[];
  hosts?: Host[];
  network?: NetworkElement[];
  problems?: Problem[];
  /** Files read or not read beyond the claimed ones, or claimed files the format decided not to read after all. */
  files?: Array<{ path: string; read: boolean; owner?: Owner; reason: string }>;
  /**
   * Roots of servers another format built that this contribution's servers stand for (option files a
   * Compose service mounts into its option directory belong to that service's server): the engine drops them.
   */
  replacesServers?: string[];
}

export interface FormatModule {
  /** Optional first pass, run for every format before any `contribute`: facts other formats need. */
  declare?(files: readonly ClaimedFile[], context: Omit<FormatContext, 'declarations'>): Partial<Declarations>;
  /** May be asynchronous when a file needs a parser loaded on demand (a prisma.config.ts beside a schema). */
  contribute(files: readonly ClaimedFile[], context: FormatContext): Contribution | Promise<Contribution>;
}

export interface Format {
  /** Stable id, shown as a file's kind (`mysql-option-file`). */
  id: string;
  /** Program and syntax in words (`MySQL/MariaDB option file`). */
  name: string;
  /** Could a file at this path be one of ours? Called for every path of the walk: no I/O, no allocation-heavy work. */
  matchesName(path: string): boolean;
  /** How the program decodes the bytes (Java's Properties.load(InputStream): ISO-8859-1). */
  encoding: 'utf8' | 'latin1';
  /** Does the program read this file? From the path and a cheap look at the text; never throws. */
  claim(path: string, text: string): Claim | NotRead;
  /**
   * A cheaper look first, at the bytes before they are decoded (issue 21: most JavaScript files of a project build no
   * pool): a NotRead only when `claim` would give that very NotRead for these bytes, else undefined.
   */
  quickNotRead?(path: string, bytes: Buffer): NotRead | undefined;
  /**
   * Words (ASCII bytes, `byteWords`) a file this format may read without claiming it must hold: Prisma looks through a
   * project's sources for `new PrismaPg(`. Discovery keeps the bytes of a file that holds one even when every format
   * turns it away, and a file it did turn away holds none (`FileTreeView.turnedAway`), so the format need not read it.
   */
  reachWords?: readonly Buffer[];
  /** The parser and interpreter, imported only when a file is claimed. */
  load(): Promise<FormatModule>;
}

export function isNotRead(c: Claim | NotRead): c is NotRead {
  return 'notRead' in c;
}
