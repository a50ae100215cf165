import type { Config } from '../../config/config.js';
import { type Entry, valueSpanOf } from '../../model/entry.js';
import type { Engine, Server } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { addAssignment, lastAssignments, type Setting, sortedByKey, type Value } from '../../model/setting.js';
import { lineSpan, type Span } from '../../model/span.js';
import { humanValue, whereFrom } from '../../model/values.js';
import { levenshtein } from '../edit-distance.js';
import { detectFlavour, type GroupHeader } from './flavour.js';
import type { ImageFlavour } from './image-flavour.js';
import { baseVersion, groupMatches, type MySqlFlavor, serverGroups } from './groups.js';
import { type ProfileVariable, SERVER_PROFILES, type ServerProfile } from './server-profiles.js';
import { type MySqlVariable, MYSQL_VARIABLES, canonicalOptionName, clampVariable, readOptionNumber } from './variables.js';

type ParseProblem = Problem;

/**
 * One option as the server receives it, whatever carried it: an option-file line (`section` = its
 * group) or, next, a command-line flag. `via`: the include directives that led to the file, outermost first.
 */
export interface ServerOption {
  entry: Entry;
  via: Span[];
}

/** The options one server reads, in the order it applies them, from one root (an option file and its includes). */
export interface ServerSource {
  root: string;
  /** Files read, in reading order. */
  files: string[];
  options: ServerOption[];
  /** Every `[group]` header read, in reading order, empty ones included (flavour evidence). */
  groups?: GroupHeader[];
}

function toValue(v: MySqlVariable, n: number): Value {
  if (v.unit === 's') return { kind: 'duration', ms: n * 1000 };
  if (v.unit === 'bytes') return { kind: 'size', bytes: n };
  if (v.unit === 'bool') return { kind: 'bool', value: n !== 0 };
  return { kind: 'count', value: n };
}

/** A server's known defaults (mysql-server.md, Settings) for the variables nobody wrote. */
export function defaultServerSettings(flavor: MySqlFlavor, version?: string): Map<string, Setting> {
  const settings = new Map<string, Setting>();
  for (const v of MYSQL_VARIABLES.values()) {
    const value = flavor === 'mariadb' ? v.default.mariadb : v.default.mysql;
    if (Number.isNaN(value)) continue;
    settings.set(v.name, {
      key: v.name,
      canonicalKey: v.name,
      raw: null,
      text: null,
      value: toValue(v, value),
      origin: { kind: 'server-default', engine: flavor, ...(version ? { version } : {}), fact: v.fact },
      overrides: [],
      ...(v.unit === 's' ? { unit: 's' as const } : {}),
    });
  }
  return settings;
}

interface Reading {
  setting: Setting;
  problem?: ParseProblem;
}

/**
 * One option line as written, before any program reads its value: a flag without value is `true`, anything else the
 * text (the server and the command-line clients each read the number from it their own way).
 */
export function writtenSetting(entry: Entry, via: Span[], canonical: string): Setting {
  return {
    key: entry.key,
    canonicalKey: canonical,
    raw: entry.raw,
    text: entry.text,
    value: entry.text === null ? { kind: 'bool', value: true } : { kind: 'string', value: entry.text },
    origin: { kind: 'file', span: entry.span, via },
    ...valueSpanOf(entry),
    group: (entry.section ?? '').toLowerCase(),
    overrides: [],
  };
}

/** What mysqld makes of one option line: the number it reads, clamped as at start-up, or why it refuses to start. */
function readOption(r: ServerOption, canonical: string, flavor: MySqlFlavor): Reading {
  const option = { name: r.entry.key, text: r.entry.text, raw: r.entry.raw, group: r.entry.section ?? '' };
  const setting = writtenSetting(r.entry, r.via, canonical);
  const variable = MYSQL_VARIABLES.get(canonical);
  if (!variable || variable.unit === 'bool') return { setting };
  if (variable.unit === 's') setting.unit = 's';
  const at: Span = r.entry.valueSpan;
  if (option.text === null) {
    setting.value = { kind: 'unknown', reason: 'no value given' };
    return {
      setting,
      problem: {
        message: `option '${option.name}' requires an argument; mysqld refuses to start`,
        span: at,
        severity: 'error',
        ruleId: 'startup-failure',
      },
    };
  }
  let n: number;
  if (option.text.trim() === '') {
    if (flavor === 'mysql') {
      setting.value = { kind: 'unknown', reason: 'empty value' };
      return {
        setting,
        problem: {
          message: `empty value for '${option.name}'; MySQL 8 refuses to start (EE_OPTION_WITH_EMPTY_VALUE); write a number`,
          span: at,
          severity: 'error',
          ruleId: 'startup-failure',
        },
      };
    }
    // MariaDB reads an empty number as 0 and clamps it to the minimum (mysql-option-files.md, E15).
    n = 0;
  } else {
    const read = readOptionNumber(option.text, canonical, flavor);
    if (!read.ok) {
      setting.value = { kind: 'unknown', reason: read.message };
      return {
        setting,
        problem: { message: `${read.message}; mysqld refuses to start`, span: at, severity: 'error', ruleId: 'startup-failure' },
      };
    }
    n = read.value;
  }
  const clamped = clampVariable(variable, n, flavor);
  setting.value = toValue(variable, clamped.value);
  if (clamped.value !== n) {
    setting.clamp = {
      written: toValue(variable, n),
      reason: clamped.warning ?? `${canonical} adjusted to ${clamped.value}`,
      fact: variable.fact,
    };
    // The value in force is the adjusted one: say so where the other one is written.
    return { setting, problem: clampProblem(option.name, option.text, variable, n, clamped, at) };
  }
  return { setting };
}

/** `31536000 (365 d)` for seconds, `99328 (97 KiB)` for bytes, the number alone for counts. */
function withUnit(variable: MySqlVariable, n: number): string {
  const human = humanValue(toValue(variable, n));
  return human === String(n) ? String(n) : `${n} (${human})`;
}

/** ` (97.7 KiB)` after a value as written, when the human form says more than the text. */
function writtenHuman(variable: MySqlVariable, text: string, n: number): string {
  const human = humanValue(toValue(variable, n));
  return human === text || human === String(n) ? '' : ` (${human})`;
}

/**
 * A value mysqld adjusts at start-up (mysql-option-files.md, "Range handling"): above max or below min with a
 * Warning, rounded down to the block size silently (max_allowed_packet=100000 -> 99328, E15). It still starts.
 */
function clampProblem(
  name: string,
  text: string,
  variable: MySqlVariable,
  written: number,
  clamped: { value: number; warning?: string },
  at: Span,
): Problem {
  const runs = withUnit(variable, clamped.value);
  const how = clamped.warning
    ? `it logs the Warning "${clamped.warning}" at start-up`
    : `it rounds it down to a multiple of ${variable.block ?? 1} without any message`;
  return {
    severity: 'warning',
    span: at,
    ruleId: 'setting-ignored-by-library',
    message: `mysqld does not use ${name} = ${text}${writtenHuman(variable, text, written)}: ${how} and runs with ${runs}; write ${clamped.value}`,
  };
}

/** MySQL 8.4 or later, when the declared version says so; undefined when no version is known. */
function atLeastMySql84(version: string | undefined): boolean | undefined {
  const v = baseVersion(version);
  if (!v) return undefined;
  const [major, minor] = v.split('.').map(Number) as [number, number];
  return major > 8 || (major === 8 && minor >= 4);
}

/**
 * An option name the server of this flavour does not accept, as far as the knowledge base can decide: it has
 * no complete option list, so only the names it lists as removed or flavour-only are judged
 * (mysql-option-files.md: default_authentication_plugin removed in MySQL 8.4.0, a no-op on MariaDB 10.11, E30;
 * MariaDB-only variables, mysql-server.md; name case and `LOOSE-` on MySQL 8, from source).
 * An unknown name without `loose-` stops mysqld ("unknown variable", "Aborting", E18): startup-failure;
 * with `loose-` it is skipped with a Warning: unknown-setting.
 */
function optionNameProblem(entry: Entry, flavor: MySqlFlavor, version: string | undefined): Problem | undefined {
  const { canonical, loose } = canonicalOptionName(entry.key, flavor);
  const line = `${entry.key}${entry.text === null ? '' : `=${entry.text}`}`;
  const span = entry.keySpan;
  const refuses = (why: string, fix: string): Problem =>
    loose
      ? {
          severity: 'warning',
          span,
          ruleId: 'unknown-setting',
          message: `${why}: mysqld logs "[Warning] unknown variable '${line}'" and ignores the line (it has the loose- prefix); ${fix}`,
        }
      : {
          severity: 'error',
          span,
          ruleId: 'startup-failure',
          message: `${why}: mysqld logs "unknown variable '${line}'" and "Aborting", so the server does not start; ${fix}`,
        };
  if (canonical === 'default_authentication_plugin') {
    if (flavor === 'mariadb') {
      return {
        severity: 'warning',
        span,
        ruleId: 'setting-ignored-by-library',
        message: `MariaDB has no ${entry.key}, so the line has no effect; remove it. mariadbd accepts it only for MySQL compatibility and logs "[Warning] 'default-authentication-plugin' is MySQL 5.6 / 5.7 compatible option. To be implemented in later versions."`,
      };
    }
    const is84 = atLeastMySql84(version);
    if (is84 === false) return undefined;
    if (is84) return refuses(`MySQL ${version} does not know ${entry.key} (removed in MySQL 8.4.0)`, 'remove the line');
    return {
      severity: 'warning',
      span,
      ruleId: 'unknown-setting',
      message: `${entry.key} was removed in MySQL 8.4.0: on MySQL 8.4 or later mysqld ${loose ? 'ignores it with a Warning' : 'logs "unknown variable" and does not start'}; MySQL 8.0 still accepts it. The server version is not known (declare optionFiles.version in connlint.config.yaml); remove the line for 8.4`,
    };
  }
  if (flavor !== 'mysql') return undefined;
  const variable = MYSQL_VARIABLES.get(canonical);
  if (variable?.only === 'mariadb' && variable.fact.startsWith('mysql-server.md')) {
    return refuses(`MySQL has no ${canonical}: it is a MariaDB-only variable`, 'remove it, or run MariaDB');
  }
  // From source only (not run against a MySQL binary): a warning, never an error.
  if (/^loose[-_]/i.test(entry.key) && !loose) {
    return {
      severity: 'warning',
      span,
      ruleId: 'unknown-setting',
      message: `MySQL 8 matches the loose- prefix case-sensitively (read from MySQL's my_getopt.cc, not run): '${entry.key}' has no loose- prefix there, so mysqld reads it as an unknown variable and does not start (MariaDB accepts it); write loose-${entry.key.slice(6)}`,
    };
  }
  const lower = canonical;
  if (/[A-Z]/.test(entry.key) && MYSQL_VARIABLES.has(lower)) {
    return {
      severity: 'warning',
      span,
      ruleId: 'unknown-setting',
      message: `MySQL 8 compares option names case-sensitively (read from MySQL's my_getopt.cc, not run): '${entry.key}' is an unknown variable there, so mysqld ${loose ? 'ignores the line with a Warning' : 'does not start'} (MariaDB accepts any case); did you mean ${loose ? 'loose-' : ''}${lower}?`,
    };
  }
  return undefined;
}

/**
 * Real server options (MySQL 8.x, MariaDB 10.11) whose names sit near a variable connlint knows: never called
 * misspellings. From the MySQL and MariaDB server-variable lists, not from a run of `mysqld --verbose --help`;
 * most are farther than two edits and listed so that a later, looser distance keeps them silent.
 */
const REAL_NEIGHBOURS = new Set([
  'lock_wait_timeout',
  'innodb_lock_wait_timeout',
  'slave_net_timeout',
  'replica_net_timeout',
  'max_user_connections',
  'max_used_connections',
  'extra_max_connections',
  'max_connect_errors',
  'admin_connect_timeout',
  'delayed_insert_timeout',
  'thread_pool_idle_timeout',
  'mysqlx_wait_timeout',
  'mysqlx_interactive_timeout',
  'mysqlx_read_timeout',
  'mysqlx_write_timeout',
  'mysqlx_connect_timeout',
  'mysqlx_max_connections',
  'mysqlx_max_allowed_packet',
  'slave_max_allowed_packet',
  'replica_max_allowed_packet',
  'net_retry_count',
  'net_buffer_length',
  'tcp_nodelay',
]);

/** Prefixes mysqld tries when the whole name matches nothing (mysql-option-files.md, "Special prefixes"). */
const SPECIAL_PREFIX = /^(skip|disable|enable|maximum|autoset)_/;

/**
 * A known variable `canonical` is probably a misspelling of: within two edits, the name eight characters or
 * longer, not a real option connlint knows of, not a prefix MariaDB would accept as an abbreviation
 * (mysql-option-files.md, "Prefix abbreviations"). connlint has no complete option list, so at most a warning.
 */
export function nearVariable(canonical: string, flavor: MySqlFlavor): { variable: MySqlVariable; distance: number } | undefined {
  if (canonical.length < 8 || MYSQL_VARIABLES.has(canonical) || REAL_NEIGHBOURS.has(canonical)) return undefined;
  const bare = canonical.replace(SPECIAL_PREFIX, '');
  if (bare !== canonical && (MYSQL_VARIABLES.has(bare) || REAL_NEIGHBOURS.has(bare))) return undefined;
  let best: { variable: MySqlVariable; distance: number } | undefined;
  for (const variable of MYSQL_VARIABLES.values()) {
    if (variable.only && variable.only !== flavor) continue;
    if (flavor === 'mariadb' && variable.name.startsWith(canonical)) return undefined;
    const distance = levenshtein(canonical, variable.name);
    if (distance <= 2 && (!best || distance < best.distance)) best = { variable, distance };
  }
  return best;
}

/** `28800 (8 h), the MariaDB default` or `600 (10 min), set at my.cnf:4`: the value a variable runs with. */
function inForce(variable: MySqlVariable, setting: Setting | undefined): string {
  if (!setting) return 'at its default';
  const v = setting.value;
  const n = v.kind === 'duration' ? v.ms / 1000 : v.kind === 'size' ? v.bytes : v.kind === 'count' ? v.value : undefined;
  const shown = n === undefined ? humanValue(v) : withUnit(variable, n);
  return setting.origin.kind === 'server-default' ? `${shown}, the ${whereFrom(setting)}` : `${shown}, set at ${whereFrom(setting)}`;
}

/** An option one or two letters from a variable connlint knows, with the value that variable keeps (see nearVariable). */
function misspeltOptionProblem(entry: Entry, flavor: MySqlFlavor, settings: ReadonlyMap<string, Setting>): Problem | undefined {
  const { canonical, loose } = canonicalOptionName(entry.key, flavor);
  const near = nearVariable(canonical, flavor);
  if (!near) return undefined;
  const target = near.variable.name;
  const line = `${entry.key}${entry.text === null ? '' : `=${entry.text}`}`;
  const away = near.distance === 1 ? 'one letter' : 'two letters';
  const stays = `${target} stays ${inForce(near.variable, settings.get(target))}`;
  const message = loose
    ? `${entry.key} is not a server variable connlint knows and is ${away} away from ${target}: if it is a misspelling, mysqld logs "[Warning] unknown variable '${line}'", ignores the line (it has the loose- prefix) and ${stays}. Spell it loose-${target}`
    : `${entry.key} is not a server variable connlint knows and is ${away} away from ${target}: if it is a misspelling, mysqld stops with "unknown variable '${line}'"${flavor === 'mariadb' ? ' (exit 7)' : ''}, and ${stays}. Spell it ${target}, or prefix it with loose- if it is an option of a plugin or another version`;
  return { severity: 'warning', span: entry.keySpan, ruleId: 'unknown-setting', code: 'unknown-key', message };
}

export interface ServerBuild {
  servers: Server[];
  problems: ParseProblem[];
}

/** One server per source whose options include server groups; the effective values after includes and last-wins. */
export function buildFileServers(
  trees: readonly ServerSource[],
  config: Config,
  notes: ReadonlyMap<string, string[]> = new Map(),
  images: ReadonlyMap<string, ImageFlavour> = new Map(),
): ServerBuild {
  const servers: Server[] = [];
  const problems: ParseProblem[] = [];
  for (const tree of trees) {
    const { root } = tree;
    const declared = config.optionFiles?.flavor;
    const detected = detectFlavour(
      tree.groups ?? [],
      tree.options.map((o) => ({
        key: o.entry.key,
        ...(o.entry.section !== undefined ? { section: o.entry.section } : {}),
        span: o.entry.span,
      })),
    );
    // A Dockerfile that copies the file into the option folder of its image says which server reads it.
    const image = images.get(root);
    const flavor: MySqlFlavor = declared?.value ?? image?.flavor ?? detected.flavor;
    const engineReason = declared ? `declared in ${config.path ?? 'the config'} (optionFiles.flavor)` : (image?.reason ?? detected.reason);
    const version = config.optionFiles?.version?.value ?? (declared ? undefined : image?.version);
    const groups = serverGroups(flavor, version);
    const read = tree.options.filter((o) => groupMatches(o.entry.section ?? '', groups));
    if (read.length === 0) continue;
    const settings = defaultServerSettings(flavor, version);
    // Every assignment of each key in reading order: the last wins and lists the ones it replaced.
    const chains = new Map<string, Setting[]>();
    for (const r of read) {
      const { canonical } = canonicalOptionName(r.entry.key, flavor);
      const named = optionNameProblem(r.entry, flavor, version);
      if (named) problems.push(named);
      const reading = readOption(r, canonical, flavor);
      if (reading.problem) problems.push(reading.problem);
      addAssignment(chains, canonical, reading.setting);
    }
    for (const [k, s] of lastAssignments(chains)) settings.set(k, s);
    for (const r of read) {
      const misspelt = misspeltOptionProblem(r.entry, flavor, settings);
      if (misspelt) problems.push(misspelt);
    }
    const engine: Engine = flavor;
    servers.push({
      id: `${engine}:${root}`,
      engine,
      family: 'mysql',
      engineReason,
      ...(version ? { version } : {}),
      source: 'file',
      root,
      files: tree.files,
      groups,
      origin: lineSpan(root, 1, 1, 0),
      settings: sortedByKey(settings),
      notes: notes.get(root) ?? [],
    });
  }
  return { servers, problems };
}

/**
 * The server declared in connlint.config.yaml `database`, for one whose config is not in the repository:
 * the engine's documented defaults, then the values of `database.profile` (each with the profile's fact,
 * read as "the <provider> default"; a value the provider does not document is unknown and says why),
 * then `database.variables`, which override both.
 */
export function buildDeclaredServer(config: Config): { server?: Server; problems: ParseProblem[] } {
  const db = config.database;
  if (!db || !config.path) return { problems: [] };
  const profile = db.profile ? SERVER_PROFILES.get(db.profile.value) : undefined;
  const engine: Engine = db.engine?.value ?? profile?.engine ?? 'mysql';
  const problems: ParseProblem[] = [];
  const version = db.version?.value ?? profile?.version;
  const settings =
    engine === 'postgresql' ? new Map<string, Setting>() : defaultServerSettings(engine === 'mariadb' ? 'mariadb' : 'mysql', version);
  if (profile && db.profile && engine === profile.engine) {
    for (const [name, declared] of Object.entries(profile.variables)) {
      const variable = MYSQL_VARIABLES.get(name);
      if (!variable) continue;
      settings.set(name, profileSetting(profile, variable, declared, version));
    }
    const wait = profile.variables.wait_timeout;
    if (wait && 'unknown' in wait && !db.variables.wait_timeout) {
      problems.push({
        message: `database.profile ${profile.id}: connlint knows no ${profile.name} default for wait_timeout (${wait.unknown}), so pools linked to this server are not checked against it`,
        span: db.profile.span,
        severity: 'note',
      });
    }
  }
  for (const [name, declared] of Object.entries(db.variables)) {
    const variable = MYSQL_VARIABLES.get(name);
    const setting: Setting = {
      key: name,
      canonicalKey: name,
      raw: declared.value,
      text: declared.value,
      value: { kind: 'string', value: declared.value },
      origin: { kind: 'config', span: declared.span },
      overrides: [],
      ...(variable?.unit === 's' ? { unit: 's' as const } : {}),
    };
    if (variable && engine !== 'postgresql') {
      const read = readOptionNumber(declared.value);
      if (read.ok) {
        const clamped = clampVariable(variable, read.value, engine === 'mariadb' ? 'mariadb' : 'mysql');
        setting.value = toValue(variable, clamped.value);
        if (clamped.value !== read.value) {
          setting.clamp = { written: toValue(variable, read.value), reason: clamped.warning ?? '', fact: variable.fact };
        }
      } else {
        setting.value = { kind: 'unknown', reason: read.message };
        problems.push({ message: `database.variables.${name}: ${read.message}`, span: declared.span, severity: 'error' });
      }
    }
    settings.set(name, setting);
  }
  return {
    server: {
      id: `${engine}:config`,
      engine,
      family: engine === 'postgresql' ? 'postgresql' : 'mysql',
      engineReason: profile ? `declared in ${config.path} (database.profile ${profile.id}: ${profile.name})` : `declared in ${config.path}`,
      ...(version ? { version } : {}),
      source: 'config',
      root: config.path,
      files: [config.path],
      groups: [],
      // A profile's values have no line of their own: the profile is where they are declared.
      origin: db.profile?.span ?? db.span,
      settings,
      notes: [],
    },
    problems,
  };
}

/**
 * A profile's value as a default nobody wrote: a release's reads "MySQL default" (its engine), a managed
 * service's "Amazon RDS for MySQL default"; either way the fact cites the knowledge base.
 */
function profileSetting(profile: ServerProfile, variable: MySqlVariable, declared: ProfileVariable, version?: string): Setting {
  return {
    key: variable.name,
    canonicalKey: variable.name,
    raw: null,
    text: null,
    value: 'unknown' in declared ? { kind: 'unknown', reason: declared.unknown } : toValue(variable, declared.value),
    origin: {
      kind: 'server-default',
      engine: profile.managed ? profile.name : profile.engine,
      ...(version ? { version } : {}),
      fact: declared.fact,
    },
    overrides: [],
    ...(variable.unit === 's' ? { unit: 's' as const } : {}),
  };
}

/** The engine's documented defaults, for a pool with no server config at all. */
export function defaultServer(engine: Engine): Server {
  const flavor: MySqlFlavor = engine === 'mariadb' ? 'mariadb' : 'mysql';
  return {
    id: `${engine}:default`,
    engine,
    family: engine === 'postgresql' ? 'postgresql' : 'mysql',
    engineReason: 'no server configuration found; the engine defaults apply',
    source: 'default',
    root: null,
    files: [],
    groups: [],
    origin: null,
    settings: engine === 'postgresql' ? new Map() : defaultServerSettings(flavor),
    notes: [],
  };
}
