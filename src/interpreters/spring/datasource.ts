/**
 * What Spring Boot's DataSource auto-configuration does with `spring.datasource.*` (spring-boot.md,
 * Settings and Behaviour): it picks the pool (`spring.datasource.type`, else HikariCP, the default since
 * 2.0), creates it with `url`, `username`, `password` and `driver-class-name` (and `name` as HikariCP's
 * poolName), then binds every key under that pool's own prefix onto its setters. Keys under another
 * pool's prefix, and pool keys with no pool segment (`spring.datasource.max-active`, ignored since 1.4),
 * bind nothing; a value the setter's type cannot take stops the application. The pools' own meaning
 * (defaults, clamps, idle mechanisms) comes from their interpreters, unchanged.
 */
import { formatDuration } from '../../model/duration.js';
import type { Entry } from '../../model/entry.js';
import type { LibraryVersion, Pool } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { isSecretKey } from '../../model/secrets.js';
import { type Setting, sortedByKey } from '../../model/setting.js';
import { formatSpan, type Span } from '../../model/span.js';
import { DBCP2_DURATION_ALIASES, DBCP2_KEYS, buildDbcp2Pool } from '../dbcp2/pool.js';
import { buildHikariPool } from '../hikaricp/pool.js';
import { DBCP2_SIZE_RULES, jdbcPoolSize } from '../jdbc/pool-size.js';
import { KEY_INFO, keyExists, parseVersion } from '../hikaricp/keys.js';
import { type AppliedDefault, TOMCAT_KEYS, buildTomcatPool } from '../tomcat-jdbc/pool.js';
import { type Converted, convertForSetter, intendedMs, javaTypeOf, type SetterType } from './conversion.js';
import { hasPlaceholder, type Lookup, type Resolution, resolvePlaceholders } from './placeholders.js';
import { afterPrefix, dashed, elementForm, elementsOf, envElements, isEnvStyle, type NameElement } from './relaxed-names.js';
import { levenshtein } from '../edit-distance.js';

export type PoolKind = 'hikari' | 'tomcat' | 'dbcp2';
type Prefix = PoolKind | 'oracleucp' | 'dbcp';
type DsProp = 'url' | 'username' | 'password' | 'driverClassName' | 'type' | 'name' | 'jndiName';

/** Where a key binds. */
export type Target =
  | { kind: 'ds'; prop: DsProp }
  | { kind: 'pool'; prefix: Prefix; rest: NameElement[] }
  | { kind: 'no-segment'; name: string };

const DATASOURCE = ['spring', 'datasource'];
const PREFIXES: Record<string, Prefix> = { hikari: 'hikari', tomcat: 'tomcat', dbcp2: 'dbcp2', oracleucp: 'oracleucp', dbcp: 'dbcp' };
const DS_PROPS: Record<string, DsProp> = {
  url: 'url',
  username: 'username',
  password: 'password',
  driverclassname: 'driverClassName',
  type: 'type',
  name: 'name',
  jndiname: 'jndiName',
};
const PREFIX_NAMES: Record<Prefix, string> = {
  hikari: 'spring.datasource.hikari',
  tomcat: 'spring.datasource.tomcat',
  dbcp2: 'spring.datasource.dbcp2',
  oracleucp: 'spring.datasource.oracleucp',
  dbcp: 'spring.datasource.dbcp',
};
export const LIBRARY_NAMES: Record<PoolKind, string> = { hikari: 'HikariCP', tomcat: 'Tomcat JDBC', dbcp2: 'Commons DBCP2' };

/** `spring.datasource.type` values Boot recognises, compared case-insensitively (spring-boot.md, spring.datasource.type). */
const TYPE_CLASSES: Record<string, Prefix> = {
  'com.zaxxer.hikari.hikaridatasource': 'hikari',
  'org.apache.tomcat.jdbc.pool.datasource': 'tomcat',
  'org.apache.commons.dbcp2.basicdatasource': 'dbcp2',
  'oracle.ucp.jdbc.pooldatasource': 'oracleucp',
};

/**
 * Pool settings people write directly under `spring.datasource.` (Boot 1.3 style, or copied from a
 * Tomcat or DBCP page): reported as ignored. Other unknown `spring.datasource.*` keys belong to
 * DataSourceProperties (`schema`, `initialization-mode` ...) or to other starters (`druid`, `dynamic`).
 */
const POOL_WORDS = new Set(
  [
    ...Object.keys(KEY_INFO).filter(
      (k) => !['username', 'password', 'jdbcUrl', 'driverClassName', 'dataSource', 'schema', 'catalog'].includes(k),
    ),
    ...Object.keys(TOMCAT_KEYS).filter((k) => !['url', 'username', 'password', 'driverClassName', 'name'].includes(k)),
    ...Object.keys(DBCP2_KEYS).filter((k) => !['url', 'username', 'password', 'driverClassName'].includes(k)),
  ].map((k) => k.toLowerCase()),
);

/** Where a file key (`fromEnv` false) or an environment variable name binds under spring.datasource, if anywhere. */
export function classifyKey(key: string, fromEnv: boolean): Target | undefined {
  const rest = afterPrefix(fromEnv ? envElements(key) : elementsOf(key), DATASOURCE);
  const first = rest?.[0];
  if (!rest || !first || first.indexed) return undefined;
  const form = elementForm(first.text);
  const prefix = PREFIXES[form];
  if (prefix) return { kind: 'pool', prefix, rest: rest.slice(1) };
  // An environment variable may spell a multi-word property with `_` (DRIVER_CLASS_NAME, the legacy form).
  const whole = fromEnv ? elementForm(rest.map((e) => e.text).join('')) : rest.length === 1 ? form : undefined;
  const prop = whole === undefined ? undefined : DS_PROPS[whole];
  if (prop) return { kind: 'ds', prop };
  if (whole !== undefined && POOL_WORDS.has(whole)) return { kind: 'no-segment', name: whole };
  return undefined;
}

/** A key as Boot writes it in its error messages: dashed elements (`spring.datasource.hikari.max-lifetime`). */
function canonicalName(prefix: Prefix, name: string): string {
  return `${PREFIX_NAMES[prefix]}.${dashed(name)}`;
}

/** One assignment of a key, from a file document or an environment variable, in precedence order. */
export interface Assignment {
  entry: Entry;
  target: Target;
  /** Set for an environment variable: who passes it. */
  envSource?: string;
  /** The file's document, for grouping reports. */
  where: string;
  /** Was the value a plain YAML scalar (typed by SnakeYAML before Boot converts it)? */
  yamlPlain: boolean;
  /**
   * The layer of configuration the assignment belongs to: one location and profile (file name and
   * `on-profile`). The same key twice in one layer is a repetition (`.properties` beats YAML there, and a later
   * line wins); a later layer (a profile, `./config/`) overrides an earlier one on purpose (spring-boot.md).
   */
  layer?: string;
}

export interface DataSourceInput {
  /** Names the pool: its id and, without a poolName, its name in messages. */
  path: string;
  environment: string;
  assignments: Assignment[];
  lookup: (name: string) => Lookup | undefined;
  hikariVersion?: LibraryVersion;
}

export interface DataSourceResult {
  pool?: Pool;
  problems: Problem[];
  /** Equal for configurations whose pool is built from the same values (one pool is reported for them). */
  signature: string;
  /** Why no pool was built, when none was. */
  noPool?: string;
}

/** A setter a key reaches in the live pool: its name for the pool's interpreter and the type Boot converts to. */
interface Setter {
  name: string;
  type: SetterType;
  /** Milliseconds (or seconds) for advice. */
  unit?: 'ms' | 's';
}

function hikariSetter(rest: NameElement[], fromEnv: boolean): Setter | { map: string } | { skip: true } | undefined {
  const first = rest[0];
  if (!first) return undefined;
  // Object-typed setters (metricRegistry, healthCheckProperties ...) are not pool timing; not modelled, not reported.
  const objectSetter = Object.entries(KEY_INFO).find(([k, info]) => info.type === 'object' && k.toLowerCase() === elementForm(first.text));
  if (objectSetter && !(elementForm(first.text) === 'datasourceproperties' && rest.length > 1)) return { skip: true };
  if (!first.indexed && elementForm(first.text) === 'datasourceproperties' && rest.length > 1) {
    // Map keys keep their case from files; from environment variables they arrive lower-cased (spring-boot.md).
    const name = rest
      .slice(1)
      .map((e) => e.text)
      .join('.');
    return { map: fromEnv ? name.toLowerCase() : name };
  }
  const form = elementForm(rest.map((e) => e.text).join(''));
  if (!fromEnv && rest.length > 1) return undefined;
  const name = Object.keys(KEY_INFO).find((k) => k.toLowerCase() === form);
  const info = name ? KEY_INFO[name] : undefined;
  if (!name || !info) return undefined;
  const type: SetterType | undefined =
    info.type === 'int'
      ? 'int'
      : info.type === 'long'
        ? 'long'
        : info.type === 'bool'
          ? 'boolean'
          : info.type === 'string'
            ? 'string'
            : undefined;
  if (!type) return undefined;
  return { name, type, ...(info.type === 'long' ? { unit: 'ms' as const } : {}) };
}

function tomcatSetter(rest: NameElement[], fromEnv: boolean): Setter | undefined {
  if (!fromEnv && rest.length !== 1) return undefined;
  const form = elementForm(rest.map((e) => e.text).join(''));
  const name = Object.keys(TOMCAT_KEYS).find((k) => k.toLowerCase() === form);
  const key = name ? TOMCAT_KEYS[name] : undefined;
  if (!name || !key) return undefined;
  const type: SetterType = key.type === 'bool' ? 'boolean' : key.type === 'string' ? 'string' : key.type === 'ms' ? 'long' : 'int';
  return { name, type, ...(key.type === 'ms' || key.type === 's' ? { unit: key.type } : {}) };
}

function dbcp2Setter(rest: NameElement[], fromEnv: boolean): Setter | undefined {
  if (!fromEnv && rest.length !== 1) return undefined;
  const form = elementForm(rest.map((e) => e.text).join(''));
  const alias = Object.keys(DBCP2_DURATION_ALIASES).find((k) => k.toLowerCase() === form);
  if (alias) return { name: alias, type: 'duration', unit: 'ms' };
  const name = Object.keys(DBCP2_KEYS).find((k) => k.toLowerCase() === form);
  const key = name ? DBCP2_KEYS[name] : undefined;
  if (!name || !key) return undefined;
  const type: SetterType = key.type === 'bool' ? 'boolean' : key.type === 'string' ? 'string' : key.type === 'ms' ? 'long' : 'int';
  return { name, type, ...(key.type === 'ms' || key.type === 's' ? { unit: key.type } : {}) };
}

/** The DataSourceProperties a pool receives before its prefix is bound, and the pool's name for each. */
const DS_TO_POOL: Record<PoolKind, Partial<Record<DsProp, Setter>>> = {
  hikari: {
    url: { name: 'jdbcUrl', type: 'string' },
    username: { name: 'username', type: 'string' },
    password: { name: 'password', type: 'string' },
    driverClassName: { name: 'driverClassName', type: 'string' },
    name: { name: 'poolName', type: 'string' },
  },
  tomcat: {
    url: { name: 'url', type: 'string' },
    username: { name: 'username', type: 'string' },
    password: { name: 'password', type: 'string' },
    driverClassName: { name: 'driverClassName', type: 'string' },
  },
  dbcp2: {
    url: { name: 'url', type: 'string' },
    username: { name: 'username', type: 'string' },
    password: { name: 'password', type: 'string' },
    driverClassName: { name: 'driverClassName', type: 'string' },
  },
};

/** Database URLs for which Boot gives the Tomcat pool a validation query and testOnBorrow (DatabaseDriver, spring-boot.md). */
const VALIDATION_QUERIES: Record<string, string> = {
  mysql: '/* ping */ SELECT 1',
  mariadb: 'SELECT 1',
  postgresql: 'SELECT 1',
  h2: 'SELECT 1',
  hsqldb: 'SELECT COUNT(*) FROM INFORMATION_SCHEMA.SYSTEM_USERS',
  oracle: "SELECT 'Hello' from DUAL",
  sqlserver: 'SELECT 1',
  db2: 'SELECT 1 FROM SYSIBM.SYSDUMMY1',
};

function assignmentId(a: Assignment): string {
  const t = a.target;
  if (t.kind === 'ds') return `ds:${t.prop}`;
  if (t.kind === 'no-segment') return `none:${t.name}`;
  return `${t.prefix}:${elementForm(t.rest.map((e) => (e.indexed ? `[${e.text}]` : e.text)).join('.'))}`;
}

/** The written key (file key or variable name). */
function keyOf(a: Assignment): string {
  return a.entry.rawKey ?? a.entry.key;
}

interface Resolved {
  a: Assignment;
  /** The text after placeholders, or null when unknown. */
  text: string | null;
  /** Why the text is not known. */
  unknown?: string;
  /** Words after the key in messages: `(from environment DB_MAX_LIFETIME, default 1800000)`. */
  note?: string;
  /** Where the value that runs is written, when an environment variable fills a placeholder. */
  valueEntry?: Entry;
}

function describeResolution(r: Resolution, key: string, showValues: boolean): string | undefined {
  const parts: string[] = [];
  for (const d of r.defaults) {
    const from = isEnvStyle(d.name) ? `environment ${d.name}` : `\${${d.name}}`;
    parts.push(showValues ? `from ${from}, default ${d.value}` : `from ${from}, its default`);
  }
  for (const f of r.found) parts.push(`from ${f.where}`);
  if (parts.length === 0 || isSecretKey(key)) return undefined;
  return parts.join('; ');
}

function resolveText(a: Assignment, lookup: DataSourceInput['lookup'], typed: boolean): Resolved {
  const e = a.entry;
  if (e.text === null && a.envSource) {
    return {
      a,
      text: null,
      unknown: `${keyOf(a)} is passed through from the shell that starts ${a.envSource}, so its value is not known here`,
    };
  }
  const text = e.text ?? '';
  if (!hasPlaceholder(text)) return { a, text };
  const r = resolvePlaceholders(text, lookup);
  const note = describeResolution(r, keyOf(a), typed);
  const unknown = r.unknown[0];
  if (unknown)
    return { a, text: null, unknown: `${keyOf(a)} takes its value from ${unknown.name}, which ${unknown.reason}, so it is not known here` };
  if (r.unresolved.length > 0) {
    const names = r.unresolved.map((n) => (isEnvStyle(n) ? `environment variable ${n}` : `\${${n}}`)).join(', ');
    return {
      a,
      text: null,
      unknown: `${keyOf(a)} takes its value from ${names}, which nothing in the repository sets and which has no default, so it is not known here`,
    };
  }
  const env = r.found.find((f) => f.fromEnvironment);
  const valueEntry = env ? lookup(env.name) : undefined;
  return { a, text: r.text, ...(note ? { note } : {}), ...(valueEntry?.entry ? { valueEntry: valueEntry.entry } : {}) };
}

/** The entry a pool interpreter receives: its key, the value the setter gets, the key as written (with how a placeholder was filled). */
function poolEntry(r: Resolved, poolKey: string, text: string): Entry {
  const e = r.a.entry;
  const at = r.valueEntry;
  return {
    key: poolKey,
    rawKey: r.note ? `${keyOf(r.a)} (${r.note})` : keyOf(r.a),
    text,
    raw: e.raw,
    keySpan: e.keySpan,
    valueSpan: at ? at.valueSpan : e.valueSpan,
    span: at ? at.span : e.span,
    // A value an environment variable supplies is written elsewhere (its raw is the placeholder's).
    ...(at || e.referenced ? { referenced: true as const } : {}),
  };
}

/** Tomcat and DBCP names whose HikariCP counterpart has another name (hikaricp.md and java-pools.md, Settings). */
const HIKARI_COUNTERPARTS: Record<string, string> = {
  maxactive: 'maximumPoolSize',
  maxtotal: 'maximumPoolSize',
  minidle: 'minimumIdle',
  maxwait: 'connectionTimeout',
  maxwaitmillis: 'connectionTimeout',
  maxage: 'maxLifetime',
  maxconnlifetimemillis: 'maxLifetime',
  minevictableidletimemillis: 'idleTimeout',
};

const VALIDATION_WORDS = new Set([
  'testonborrow',
  'testwhileidle',
  'testonreturn',
  'validationquery',
  'validationinterval',
  'testonconnect',
]);

function hikariHint(form: string): string {
  if (VALIDATION_WORDS.has(form))
    return ' HikariCP checks a connection idle for more than 500 ms before lending it anyway, so it needs no such setting.';
  const close = Object.keys(KEY_INFO)
    .filter((k) => !['dataSource', 'dataSourceProperties', 'healthCheckProperties'].includes(k))
    .map((k) => ({ k, d: levenshtein(k.toLowerCase(), form) }))
    .sort((x, y) => x.d - y.d)[0];
  return close && close.d <= Math.max(2, Math.floor(form.length * 0.4)) ? ` Did you mean spring.datasource.hikari.${dashed(close.k)}?` : '';
}

/** The pool Spring Boot builds for one configuration (one profile set and environment), and what it reports. */
export function buildDataSource(input: DataSourceInput): DataSourceResult {
  const problems: Problem[] = [];
  const { assignments, lookup } = input;
  if (assignments.length === 0) return { problems, signature: '', noPool: 'no spring.datasource settings' };

  // Last assignment wins per key (precedence order), whatever its spelling (spring-boot.md, relaxed binding).
  const winners = new Map<string, Assignment>();
  for (const a of assignments) winners.set(assignmentId(a), a);
  const winner = (prop: DsProp) => winners.get(`ds:${prop}`);

  const typeA = winner('type');
  const typeText = typeA ? resolveText(typeA, lookup, false).text : undefined;
  let kind: Prefix | 'generic' | 'unknown' = 'hikari';
  let why = "Spring Boot's default since 2.0: spring.datasource.type is not set, and HikariCP comes with the JDBC and JPA starters";
  if (typeA) {
    if (typeText === null || typeText === undefined) {
      kind = 'unknown';
    } else {
      kind = TYPE_CLASSES[typeText.trim().toLowerCase()] ?? 'generic';
      why = `${keyOf(typeA)} is ${typeText.trim()} (${formatSpan(typeA.entry.keySpan)})`;
    }
  }
  const jndi = winner('jndiName');
  const jndiText = jndi ? resolveText(jndi, lookup, false).text : undefined;
  if (jndiText)
    return {
      problems,
      signature: '',
      noPool: `${keyOf(jndi as Assignment)} looks the DataSource up in JNDI, so the pool is configured in the container`,
    };
  if (kind === 'unknown')
    return { problems, signature: '', noPool: `${keyOf(typeA as Assignment)} is not known here, so the pool class is not known` };
  if (kind === 'generic' || kind === 'oracleucp' || kind === 'dbcp') {
    return {
      problems,
      signature: '',
      noPool:
        kind === 'generic'
          ? `spring.datasource.type names ${typeText?.trim()}, a pool Spring Boot does not configure from spring.datasource.*`
          : 'Oracle UCP pools are not modelled',
    };
  }
  const live: PoolKind = kind;
  const library = LIBRARY_NAMES[live];

  // Keys under another pool's prefix, or with no pool segment, bind nothing: one report per prefix and place.
  const dead = new Map<string, Assignment[]>();
  for (const a of assignments) {
    const t = a.target;
    if (t.kind === 'pool' && t.prefix !== live) {
      const id = `${t.prefix}\0${a.envSource ?? a.where}`;
      dead.set(id, [...(dead.get(id) ?? []), a]);
    }
  }
  for (const list of dead.values()) {
    const first = list[0] as Assignment;
    const prefix = (first.target as { prefix: Prefix }).prefix;
    const keys = [...new Set(list.map(keyOf))];
    const more =
      keys.length > 1
        ? ` and ${keys.length - 1} more ${PREFIX_NAMES[prefix]}.* ${keys.length === 2 ? 'key' : 'keys'} (${keys.slice(1, 4).join(', ')}${keys.length > 4 ? ', ...' : ''})`
        : '';
    const reason =
      prefix === 'dbcp'
        ? 'spring.datasource.dbcp.* (DBCP 1) was removed in Spring Boot 2.0'
        : `the pool is ${library} (${why}), so Spring Boot binds only ${PREFIX_NAMES[live]}.*`;
    const advice =
      prefix === 'dbcp' || prefix === 'oracleucp'
        ? `Write the ${library} settings under ${PREFIX_NAMES[live]}`
        : `Write the ${library} settings under ${PREFIX_NAMES[live]}, or set spring.datasource.type to use ${LIBRARY_NAMES[prefix as PoolKind]}`;
    problems.push({
      ruleId: 'setting-ignored-by-library',
      severity: 'warning',
      span: first.entry.keySpan,
      message: `${keys[0]}${more} ${keys.length > 1 ? 'are' : 'is'} ignored: ${reason}. ${advice}`,
    });
  }
  for (const a of assignments) {
    if (a.target.kind !== 'no-segment') continue;
    const name = a.target.name;
    const setter =
      live === 'hikari'
        ? hikariSetter([{ text: name, indexed: false }], false)
        : live === 'tomcat'
          ? tomcatSetter([{ text: name, indexed: false }], false)
          : dbcp2Setter([{ text: name, indexed: false }], false);
    let hint: string;
    if (setter && 'name' in setter && 'type' in setter) hint = ` Write it as ${PREFIX_NAMES[live]}.${dashed(setter.name)}.`;
    else if (live === 'hikari' && VALIDATION_WORDS.has(name)) hint = hikariHint(name);
    else if (live === 'hikari' && HIKARI_COUNTERPARTS[name])
      hint = ` HikariCP's nearest setting is ${PREFIX_NAMES.hikari}.${dashed(HIKARI_COUNTERPARTS[name] as string)}.`;
    else hint = ` ${library} has no such setting.`;
    problems.push({
      ruleId: 'setting-ignored-by-library',
      severity: 'warning',
      span: a.entry.keySpan,
      message: `${keyOf(a)} is ignored: since Spring Boot 1.4 pool settings bind only under the pool's own prefix, and the pool is ${library} (${PREFIX_NAMES[live]}.*).${hint}`,
    });
  }

  // The entries the pool's interpreter receives: DataSourceProperties first (the pool is created with
  // them), then the pool prefix, bound afterwards (spring-boot.md: hikari.jdbc-url overrides url).
  const prefix = `${PREFIX_NAMES[live]}.`;
  const declared = live === 'hikari' && input.hikariVersion ? parseVersion(input.hikariVersion.version) : undefined;
  const groups = new Map<string, { setter: Setter; list: Assignment[]; order: number }>();
  let order = 0;
  const add = (id: string, setter: Setter, a: Assignment) => {
    const g = groups.get(id) ?? { setter, list: [], order: order++ };
    g.list.push(a);
    groups.set(id, g);
  };
  // With spring.datasource.hikari.data-source-class-name set, Boot does not pass the driver class
  // (DataSourceConfiguration.Hikari: applyDriverClassName is false), which HikariCP would refuse beside it.
  const dataSourceClass = assignments.some((a) => {
    const t = a.target;
    if (live !== 'hikari' || t.kind !== 'pool' || t.prefix !== 'hikari') return false;
    const s = hikariSetter(t.rest, a.envSource !== undefined);
    return s !== undefined && 'name' in s && s.name === 'dataSourceClassName';
  });
  for (const a of assignments) {
    if (a.target.kind !== 'ds') continue;
    if (dataSourceClass && a.target.prop === 'driverClassName') continue;
    const setter = DS_TO_POOL[live][a.target.prop];
    if (setter) add(`ds:${setter.name}`, setter, a);
  }
  const ignored = new Map<string, Assignment>();
  for (const a of assignments) {
    const t = a.target;
    if (t.kind !== 'pool' || t.prefix !== live || t.rest.length === 0) continue;
    const fromEnv = a.envSource !== undefined;
    if (live === 'hikari') {
      const s = hikariSetter(t.rest, fromEnv);
      if (s && 'skip' in s) continue;
      if (s && 'map' in s) add(`map:${s.map}`, { name: `dataSource.${s.map}`, type: 'string' }, a);
      else if (s && declared && !keyExists(s.name, declared)) ignored.set(keyOf(a), a);
      else if (s) add(`pool:${s.name}`, s, a);
      else ignored.set(keyOf(a), a);
    } else {
      const s = live === 'tomcat' ? tomcatSetter(t.rest, fromEnv) : dbcp2Setter(t.rest, fromEnv);
      // Tomcat and DBCP2 have setters connlint does not list; an unknown key is kept as written, not reported.
      const name = s?.name ?? t.rest.map((e) => e.text).join('.');
      add(`pool:${live === 'dbcp2' ? (DBCP2_DURATION_ALIASES[name] ?? name) : name}`, s ?? { name, type: 'string' }, a);
    }
  }
  for (const [key, a] of ignored) {
    const t = a.target as { rest: NameElement[] };
    const form = elementForm(t.rest.map((e) => e.text).join(''));
    const known = Object.keys(KEY_INFO).find((k) => k.toLowerCase() === form);
    const message =
      known && declared
        ? `${key} is ignored: HikariCP ${input.hikariVersion?.version} has no setting ${known} (Spring Boot ignores keys the pool has no setter for)`
        : `${key} is ignored: HikariCP has no setting ${t.rest.map((e) => e.text).join('.')} (Spring Boot ignores keys under spring.datasource.hikari that HikariCP has no setter for).${hikariHint(form)}`;
    problems.push({ ruleId: 'unknown-setting', severity: 'warning', span: a.entry.keySpan, message: message.replace(/\.$/, '') });
  }

  const entries: Entry[] = [];
  /** The layer of each entry passed to the pool, by its span: replaced values from another layer are overrides. */
  const layers = new Map<string, string>();
  const unknowns: Array<{ name: string; r: Resolved }> = [];
  const failures: Array<{ name: string; r: Resolved; converted: Extract<Converted, { kind: 'fails' }>; setter: Setter }> = [];
  const ordered = [...groups.values()].sort(
    (x, y) => (x.list[0]?.target.kind === 'ds' ? 0 : 1) - (y.list[0]?.target.kind === 'ds' ? 0 : 1) || x.order - y.order,
  );
  for (const g of ordered) {
    const poolKey = `${prefix}${g.setter.name}`;
    const resolved = g.list.map((a) => resolveText(a, lookup, g.setter.type !== 'string'));
    const last = resolved[resolved.length - 1] as Resolved;
    const targetName = live === 'dbcp2' ? (DBCP2_DURATION_ALIASES[g.setter.name] ?? g.setter.name) : g.setter.name;
    if (last.text === null) {
      // Unknown: keep the chain so overrides show, with the winner's text as written (the interpreter reads it as unknown).
      unknowns.push({ name: targetName, r: last });
      for (const r of resolved) entries.push(poolEntry(r, poolKey, r.a.entry.text ?? ''));
      continue;
    }
    const converted = convertForSetter(last.text, g.setter.type, last.a.yamlPlain && !hasPlaceholder(last.a.entry.text ?? ''));
    if (converted.kind === 'fails') {
      failures.push({ name: targetName, r: last, converted, setter: g.setter });
      continue;
    }
    // An empty value converts to null and binds nothing: the pool keeps its default.
    if (converted.kind === 'empty') continue;
    for (const r of resolved.slice(0, -1)) entries.push(poolEntry(r, poolKey, r.text ?? r.a.entry.text ?? ''));
    entries.push(poolEntry(last, poolKey, converted.text));
    for (const r of resolved) layers.set(spanId(poolEntry(r, poolKey, '').span), r.a.layer ?? r.a.where);
  }

  for (const f of failures) {
    const e = f.r.a.entry;
    const written = f.r.text ?? e.text ?? '';
    const javaType = javaTypeOf(f.setter.type);
    const intended = f.setter.unit ? intendedMs(written) : undefined;
    const advice =
      f.setter.type === 'boolean'
        ? ' Write true or false.'
        : intended !== undefined && f.setter.unit === 'ms'
          ? ` Write ${intended} (${formatDuration(intended)}).`
          : intended !== undefined && f.setter.unit === 's'
            ? ` Write ${Math.floor(intended / 1000)} (${formatDuration(Math.floor(intended / 1000) * 1000)}).`
            : f.setter.unit
              ? ` Write a whole number of ${f.setter.unit === 'ms' ? 'milliseconds' : 'seconds'}.`
              : ' Write a whole number.';
    const unitWords = f.setter.unit === 'ms' ? ' in milliseconds' : f.setter.unit === 's' ? ' in seconds' : '';
    problems.push({
      ruleId: 'startup-failure',
      severity: 'error',
      span: f.r.valueEntry?.valueSpan ?? e.valueSpan,
      message:
        `The application does not start: Spring Boot cannot convert ${keyOf(f.r.a)}=${written}${f.r.note ? ` (${f.r.note})` : ''} to ${library}'s ${f.setter.name}, a ${javaType}${unitWords} ` +
        `("Failed to bind properties under '${canonicalName(live, f.setter.name)}' to ${javaType}": ${f.converted.cause}).${advice}`,
    });
  }

  if (entries.length === 0 && unknowns.length === 0 && failures.length === 0) {
    return { problems, signature: '', noPool: 'no spring.datasource setting reaches the pool' };
  }

  let built: { pool: Pool; problems: Problem[] };
  if (live === 'hikari') {
    built = buildHikariPool({
      path: input.path,
      entries,
      prefix,
      ...(input.hikariVersion ? { version: input.hikariVersion } : {}),
      environment: input.environment,
    });
  } else if (live === 'tomcat') {
    // The pool is created with spring.datasource.url, so Boot's defaults follow it, not spring.datasource.tomcat.url.
    const url = winner('url');
    const defaults = tomcatDefaults(url ? resolveText(url, lookup, false) : undefined);
    built = buildTomcatPool({ path: input.path, entries, prefix, environment: input.environment, keyStyle: 'kebab', defaults });
  } else {
    built = buildDbcp2Pool({ path: input.path, entries, prefix, environment: input.environment, keyStyle: 'kebab' });
  }
  problems.push(...built.problems);
  const pool = built.pool;
  keepRepetitions(pool, layers);
  for (const u of unknowns) markUnknown(pool, u.name, u.r.unknown ?? 'not known here');
  for (const f of failures) {
    const e = f.r.a.entry;
    const at = f.r.valueEntry ?? e;
    replaceSetting(pool, f.name, {
      key: keyOf(f.r.a),
      canonicalKey: f.name,
      raw: e.raw,
      text: f.r.text ?? e.text,
      value: {
        kind: 'unknown',
        reason: `the application does not start: Spring Boot cannot convert '${f.r.text ?? e.text ?? ''}' to a ${javaTypeOf(f.setter.type)}`,
      },
      origin: { kind: 'file', span: at.span, via: [] },
      overrides: [],
      ...(f.setter.unit ? { unit: f.setter.unit } : {}),
    });
  }
  const signature = JSON.stringify([
    live,
    entries.map((e) => [e.key, e.rawKey, e.text, e.span.path, e.span.line, e.span.column]),
    unknowns.map((u) => [u.name, u.r.unknown, u.r.a.entry.span.path, u.r.a.entry.span.line]),
    failures.map((f) => [f.name, f.r.a.entry.span.path, f.r.a.entry.span.line]),
  ]);
  return { pool, problems, signature };
}

/**
 * Spring Boot gives the Tomcat pool testOnBorrow=true and a validation query when the URL's database is
 * one it knows (`jdbc:mysql:`, `jdbc:mariadb:` ...; a wrapper such as `jdbc:p6spy:` is not), before binding
 * spring.datasource.tomcat.* (spring-boot.md, Tomcat test-on-borrow row; DatabaseDriver.fromJdbcUrl).
 */
function tomcatDefaults(url: Resolved | undefined): AppliedDefault[] {
  const fact = (what: string) =>
    `spring-boot.md: Spring Boot 1.4+ sets testOnBorrow=true and the validation query of the URL's database before binding spring.datasource.tomcat.* (${what})`;
  if (!url) return [];
  if (url.text === null) {
    return [
      {
        key: 'testOnBorrow',
        text: 'true',
        library: 'Spring Boot',
        fact: fact('the URL is not known here; assumed to name a database Boot knows'),
      },
    ];
  }
  const m = /^jdbc:([a-z0-9]+):/i.exec(url.text);
  const query = m ? VALIDATION_QUERIES[(m[1] as string).toLowerCase()] : undefined;
  if (!m || !query) return [];
  const what = `${keyOf(url.a)} is a jdbc:${m[1]}: URL`;
  return [
    { key: 'testOnBorrow', text: 'true', library: 'Spring Boot', fact: fact(what) },
    { key: 'validationQuery', text: query, library: 'Spring Boot', fact: fact(what) },
  ];
}

/** The setting's value becomes unknown, and so do the idle mechanisms it drives. */
function spanId(span: Span): string {
  return `${span.path}:${span.line}:${span.column}`;
}

/**
 * `Setting.replaced` keeps only the assignments of the winner's own layer: a profile or a later location
 * overriding the default file is what Spring Boot's layering is for, not a duplicate (spring-boot.md, "Syntax and
 * parsing facts").
 */
function keepRepetitions(pool: Pool, layers: Map<string, string>): void {
  for (const setting of pool.settings.values()) {
    if (!setting.replaced || setting.origin.kind !== 'file') continue;
    const own = layers.get(spanId(setting.origin.span));
    const kept = setting.replaced.filter((r) => r.origin.kind === 'file' && own !== undefined && layers.get(spanId(r.origin.span)) === own);
    if (kept.length > 0) setting.replaced = kept;
    else delete setting.replaced;
  }
}

function markUnknown(pool: Pool, name: string, reason: string): void {
  const s = pool.settings.get(name);
  if (!s) return;
  replaceSetting(pool, name, { ...s, value: { kind: 'unknown', reason }, clamp: undefined } as Setting);
}

function replaceSetting(pool: Pool, name: string, setting: Setting): void {
  if (setting.clamp === undefined) delete setting.clamp;
  const settings = new Map(pool.settings);
  settings.set(name, setting);
  pool.settings = sortedByKey(settings);
  // The pool's bound follows its size setting (a placeholder or a value Boot cannot convert makes it unknown).
  if (pool.maxSize?.settings[0]?.canonicalKey === name)
    pool.maxSize = jdbcPoolSize(setting, pool.library === 'dbcp2' ? DBCP2_SIZE_RULES : {});
  pool.idle = pool.idle.map((m) =>
    m.setting.canonicalKey === name
      ? { ...m, setting, boundMs: undefined, note: setting.value.kind === 'unknown' ? setting.value.reason : m.note }
      : m,
  );
  if (pool.validatesOnCheckout.setting?.canonicalKey === name) {
    // A switch whose value is not known is not assumed to be off: rules stay silent rather than guess.
    pool.validatesOnCheckout =
      setting.value.kind === 'unknown'
        ? {
            value: true,
            setting,
            fact: `${setting.key} is not known here (${setting.value.reason}), so validation on checkout is not assumed to be off`,
          }
        : { ...pool.validatesOnCheckout, setting };
  }
}
