/**
 * connlint.config.yaml -> Config, in three passes over one parsed YAML document:
 * 1. syntax: the YAML reader (src/parsers/yaml.ts), with positions and its guards;
 * 2. structure: ajv against schema/connlint.config.schema.json, each error mapped back from its
 *    JSON pointer to the YAML key or value it is about;
 * 3. meaning: what the schema cannot say (duration syntax, profile ids, numbers as written, rule ids
 *    and each rule's options), while building the Config from the YAML nodes so that every declared
 *    value keeps its span.
 * Spans: a bad value points at the value, an unknown or misplaced key at the key.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isAlias, isMap, isNode, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { RuleOption } from '../engine/define-rule.js';
import { levenshtein } from '../interpreters/edit-distance.js';
import { SERVER_PROFILES, versionFits } from '../interpreters/mysql/server-profiles.js';
import { NETWORK_PROFILES, UNLISTED_PROFILES } from '../interpreters/network/profiles.js';
import { parseConfigDuration } from '../model/duration.js';
import { ENGINE_NAMES, type Engine } from '../model/model.js';
import { fileSpan, type Span } from '../model/span.js';
import { MAX_ALIASED_NODES, parseYaml, type YamlFile } from '../parsers/yaml.js';
import { ajvOptions } from './schema-options.js';
import { type Config, type Declared, emptyConfig, type Override, type RuleSetting, type RuleSpec } from './config.js';

export type { RuleSpec } from './config.js';

export interface ConfigError {
  message: string;
  span: Span;
}

/** dist/src/config/ -> package root: the same three levels in the work tree and in the npm package. */
const SCHEMA_URL = new URL('../../../schema/connlint.config.schema.json', import.meta.url);

const ENGINES: readonly Engine[] = ['mysql', 'mariadb', 'postgresql'];
const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'note', 'warning', 'error'];
const DURATION_EXPECTED = 'a duration such as 350s, 5m or a number of seconds';
/** The text of a YAML number must itself be a version: `8.0` is, `1e3` or `0x10` is not. */
const VERSION_TEXT = /^\d+(?:\.\d+)*$/;

/**
 * One parsed file being read. `syntaxErrors` are the YAML reader's problems; `rejected` holds the
 * JSON pointers ajv refused (`''` for all), kept out of the Config; `keys` caches each mapping's keys
 * by name, as big files look keys up often; `rules` are the known rules by id.
 */
interface Reading {
  path: string;
  file: YamlFile;
  rules: ReadonlyMap<string, RuleSpec>;
  errors: ConfigError[];
  syntaxErrors: ConfigError[];
  rejected: Set<string>;
  keys: WeakMap<Node, Map<string, KeyEntry>>;
}

/** A key of a mapping: the key node, the value with aliases resolved, and the value as written (`raw`). */
interface KeyEntry {
  key: Node;
  value: Node | null;
  raw: unknown;
}

/** A key of a YAML mapping with its value; `pointer` is ajv's instancePath, `where` the key path for messages. */
interface Entry {
  name: string;
  pointer: string;
  where: string;
  key: Node;
  value: Node | null;
}

/**
 * Never throws. `path` is how the file is named in messages (relative to the scanned root, or as given);
 * `rules` are the rules a config may name, with the options each accepts.
 */
export function loadConfig(path: string, text: string, rules: readonly RuleSpec[]): { config: Config; errors: ConfigError[] } {
  const config: Config = { ...emptyConfig(), path };
  const { file, problems } = parseYaml(path, text);
  const r: Reading = {
    path,
    file,
    rules: new Map(rules.map((rule) => [rule.id, rule])),
    errors: [],
    syntaxErrors: problems.map((p) => ({ message: p.message, span: p.span })),
    rejected: new Set(),
    keys: new WeakMap(),
  };
  const [first, ...rest] = file.documents;
  // An empty document after the first (a trailing `---`) holds nothing that could be missed.
  const second = rest.find((d) => d.root !== null);
  if (second) {
    const start = second.doc.range[0];
    const lineEnd = file.text.indexOf('\n', start);
    const span = file.spanAt(start, file.text.startsWith('---', start) ? start + 3 : lineEnd < 0 ? file.text.length : lineEnd);
    // Valid YAML, so not a syntax error: the first document is still checked.
    r.errors.push({ message: 'a second YAML document starts here; a config file holds one', span });
  }

  const root = first?.root ?? null;
  if (root === null || (isScalar(root) && root.value === null)) return { config, errors: finish([...r.syntaxErrors, ...r.errors]) };
  if (!isMap(root)) {
    const message = `expected a mapping of keys such as network, database and rules at the top of the file (got ${describeNode(root)})`;
    return { config, errors: finish([...r.syntaxErrors, ...r.errors, { message, span: nodeSpan(r, root) }]) };
  }

  // The reader reports an alias bomb; this bound only keeps the copy for ajv small.
  const data = toPlain(r, root, 0, { aliased: MAX_ALIASED_NODES }, false);
  validateStructure(r, root, data);
  readRoot(r, root, config);
  // On a broken tree the structural and semantic errors are guesses: report what the parser found,
  // and still return what could be read.
  return { config, errors: finish(r.syntaxErrors.length > 0 ? r.syntaxErrors : r.errors) };
}

/** Aliases can nest a tree deeper than its text. */
const MAX_DEPTH = 64;

/**
 * The YAML tree as plain data for ajv, keys named as keysOf names them. Not Document.toJS: that
 * stringifies collection keys recursively (exponential on `{{{{...`) and warns on stderr.
 */
function toPlain(r: Reading, raw: unknown, depth: number, budget: { aliased: number }, viaAlias: boolean): unknown {
  const aliased = viaAlias || isAlias(raw);
  if (aliased && --budget.aliased < 0) return null;
  const node = deref(r, raw);
  if (node === null || depth > MAX_DEPTH) return null;
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return node.items.map((item) => toPlain(r, item, depth + 1, budget, aliased));
  const plain: Record<string, unknown> = {};
  for (const [name, entry] of keysOf(r, node)) plain[name] = toPlain(r, entry.raw, depth + 1, budget, aliased);
  return plain;
}

function finish(errors: ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const id = `${e.span.line}:${e.span.column}:${e.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return unique.sort(
    (a, b) => a.span.line - b.span.line || a.span.column - b.span.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

// ---------------------------------------------------------------- structure (ajv)

let validator: ValidateFunction | string | undefined;
const require = createRequire(import.meta.url);
/**
 * The schema compiled to standalone code by `npm run build` (src/dev/compile-config-schema.ts), named from this
 * module's folder in a way that also holds from the bundle's (dist/src/bundled, src/dev/bundle.ts).
 */
export const PRECOMPILED_VALIDATOR = '../config/config-schema.validate.cjs';

/** The schema compiled with ajv now: what the build step does ahead of time, for a build without its output. */
export function compileSchemaValidator(): ValidateFunction {
  const schema: unknown = JSON.parse(readFileSync(SCHEMA_URL, 'utf8'));
  const { default: Ajv } = require('ajv') as typeof import('ajv');
  const ajv = new Ajv(ajvOptions);
  // The wording of error messages lives in the schema beside each property.
  ajv.addVocabulary(['x-expected']);
  return ajv.compile(schema as object);
}

/**
 * The compiled schema, or why it could not be loaded (an incomplete installation, not a user error): the build's
 * standalone code when it is there (ajv's compiler is not loaded then, issue 21), else ajv compiles the schema.
 */
function schemaValidator(): ValidateFunction | string {
  if (validator === undefined) {
    try {
      validator = require(PRECOMPILED_VALIDATOR) as ValidateFunction;
    } catch {
      try {
        validator = compileSchemaValidator();
      } catch (e) {
        validator = `cannot load ${SCHEMA_URL.pathname} (${e instanceof Error ? e.message : String(e)}); the connlint installation is incomplete`;
      }
    }
  }
  return validator;
}

function validateStructure(r: Reading, root: Node, data: unknown): void {
  const validate = schemaValidator();
  if (typeof validate === 'string') {
    r.errors.push({ message: validate, span: fileSpan(r.path) });
    return;
  }
  if (validate(data)) return;
  const reported = new Set<string>();
  for (const error of validate.errors ?? []) {
    // `if` only says which branch failed; `propertyNames` repeats the error on the name itself.
    if (error.keyword === 'if' || error.keyword === 'propertyNames') continue;
    const mapped = mapSchemaError(r, root, error);
    if (reported.has(mapped.id)) continue;
    reported.add(mapped.id);
    r.rejected.add(mapped.pointer);
    r.errors.push(mapped.error);
  }
}

function mapSchemaError(r: Reading, root: Node, error: ErrorObject): { id: string; pointer: string; error: ConfigError } {
  const at = locate(r, root, error.instancePath);
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  const expected = typeof parent['x-expected'] === 'string' ? parent['x-expected'] : undefined;

  if (error.propertyName !== undefined) {
    const entry = keysOf(r, at.node).get(error.propertyName);
    const span = entry ? nodeSpan(r, entry.key) : at.span;
    const pointer = `${error.instancePath}/${escapePointer(error.propertyName)}`;
    const message =
      error.keyword === 'enum'
        ? unknownKey(joinPath(at.where, error.propertyName), error.schema as unknown[])
        : `${at.where}: expected each key to be ${expected ?? 'a valid name'} (got ${JSON.stringify(error.propertyName)})`;
    return { id: pointer, pointer, error: { message, span } };
  }
  if (error.keyword === 'additionalProperties') {
    const name = String((error.params as { additionalProperty: string }).additionalProperty);
    const entry = keysOf(r, at.node).get(name);
    const allowed = Object.keys((parent.properties ?? {}) as object);
    const pointer = `${error.instancePath}/${escapePointer(name)}`;
    return {
      id: pointer,
      pointer,
      error: { message: unknownKey(joinPath(at.where, name), allowed), span: entry ? nodeSpan(r, entry.key) : at.span },
    };
  }
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    return {
      id: `${error.instancePath}#${missing}`,
      pointer: error.instancePath,
      error: { message: `${at.where}: missing key "${missing}"`, span: at.span },
    };
  }
  const wanted = expected ?? expectation(error);
  // Several keywords can fail on one value; the first names the problem well enough.
  return {
    id: error.instancePath,
    pointer: error.instancePath,
    error: { message: `${at.where}: expected ${wanted} (got ${describeNode(at.node, error.data)})`, span: at.span },
  };
}

function expectation(error: ErrorObject): string {
  if (error.keyword === 'enum') return orList((error.schema as unknown[]).map(String));
  if (error.keyword === 'type') {
    const types = (Array.isArray(error.schema) ? error.schema : [error.schema]).map(String).filter((t) => t !== 'null');
    const words: Record<string, string> = {
      object: 'a mapping',
      array: 'a list',
      string: 'text',
      number: 'a number',
      integer: 'a whole number',
      boolean: 'true or false',
    };
    return orList(types.map((t) => words[t] ?? t));
  }
  return error.message ?? 'a valid value';
}

function unknownKey(where: string, allowed: unknown[]): string {
  return `unknown key ${JSON.stringify(where)} (expected one of ${allowed.map(String).join(', ')})`;
}

/** Follows a JSON pointer through the YAML tree; stops at the deepest node that exists. */
function locate(r: Reading, root: Node, pointer: string): { node: Node | null; where: string; span: Span } {
  let node: Node | null = root;
  let where = '';
  let span = nodeSpan(r, root);
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (isSeq(node)) {
      const item = deref(r, node.items[Number(segment)]);
      where = `${where}[${segment}]`;
      node = item;
      if (item) span = nodeSpan(r, item);
      continue;
    }
    const entry = keysOf(r, node).get(segment);
    where = joinPath(where, segment);
    node = entry?.value ?? null;
    if (entry) span = valueSpan(r, entry);
  }
  return { node, where, span };
}

// ---------------------------------------------------------------- meaning, and the Config

function readRoot(r: Reading, root: Node, config: Config): void {
  let databaseLinks: Array<{ where: string; span: Span }> = [];
  for (const entry of entriesOf(r, root, '', '')) {
    if (isRejected(r, entry.pointer) || isEmpty(entry.value)) continue;
    switch (entry.name) {
      case 'network':
        readNetwork(r, entry, config);
        break;
      case 'database':
        config.database = readDatabase(r, entry);
        break;
      case 'links':
        databaseLinks = readLinks(r, entry, config);
        break;
      case 'mounts':
        config.mounts = readStrings(r, entry);
        break;
      case 'optionFiles':
        config.optionFiles = readOptionFiles(r, entry);
        break;
      case 'instances':
        config.instances = readCounts(r, entry);
        break;
      case 'libraries':
        config.libraries = readVersions(r, entry);
        break;
      case 'rules':
        readRules(r, entry, config);
        break;
      case 'overrides':
        config.overrides = readOverrides(r, entry);
        break;
      case 'include':
      case 'exclude':
        config[entry.name] = itemsOf(r, entry).flatMap((item) =>
          typeof item.scalar?.value === 'string' && !isRejected(r, item.pointer) ? [item.scalar.value] : [],
        );
        break;
    }
  }
  if (!config.database) {
    for (const link of databaseLinks) {
      r.errors.push({
        message: `${link.where}: "database" names the declared database, but this file has no database section`,
        span: link.span,
      });
    }
  }
}

function readNetwork(r: Reading, section: Entry, config: Config): void {
  for (const entry of entriesOf(r, section.value, section.pointer, section.where)) {
    if (isRejected(r, entry.pointer)) continue;
    if (entry.name === 'idleTimeout') {
      const value = scalarOf(r, entry.value)?.value;
      if (typeof value !== 'number' && typeof value !== 'string') continue;
      const ms = parseConfigDuration(value);
      const span = valueSpan(r, entry);
      if (ms === undefined)
        r.errors.push({ message: `${entry.where}: expected ${DURATION_EXPECTED} (got ${describeNode(entry.value)})`, span });
      else if (ms <= 0)
        r.errors.push({ message: `${entry.where}: expected a duration greater than 0 (got ${describeNode(entry.value)})`, span });
      else config.network.idleTimeout = { value: ms, span };
    } else if (entry.name === 'profile') {
      const items = isSeq(deref(r, entry.value))
        ? itemsOf(r, entry)
        : [{ where: entry.where, pointer: entry.pointer, scalar: scalarOf(r, entry.value), span: valueSpan(r, entry) }];
      for (const item of items) {
        const id = item.scalar?.value;
        if (typeof id !== 'string' || isRejected(r, item.pointer)) continue;
        const problem = profileProblem(id);
        if (problem) r.errors.push({ message: `${item.where}: ${problem}`, span: item.span });
        else config.network.profiles.push({ value: id, span: item.span });
      }
    }
  }
}

function profileProblem(id: string): string | undefined {
  if (NETWORK_PROFILES.has(id)) return undefined;
  const reason = UNLISTED_PROFILES.get(id);
  if (reason) return `"${id}" is not a profile: ${reason}`;
  return unknownProfile(id, [...NETWORK_PROFILES.keys()]);
}

/** `unknown profile "aws-nat"; did you mean "aws-nat-gateway"? (expected one of ...)`. */
function unknownProfile(id: string, known: string[]): string {
  const near = closestId(id, known);
  const hint = near ? `; did you mean ${JSON.stringify(near)}?` : '';
  return `unknown profile ${JSON.stringify(id)}${hint} (expected one of ${[...known].sort().join(', ')})`;
}

/** Words people write for the ones profile ids use (`kubernetes-conntrack` -> `k8s-kube-proxy-conntrack`). */
const WORD_ALIASES: Record<string, string> = { kubernetes: 'k8s', amazon: 'aws', google: 'gcp', microsoft: 'azure', maria: 'mariadb' };

/**
 * The known id a misspelt one most likely meant: the same id in another spelling (`MySQL_8.0`), one
 * that holds every word of it (`aws-nat` -> `aws-nat-gateway`, `aurora` -> `aws-aurora-mysql`,
 * `kubernetes-conntrack` -> `k8s-kube-proxy-conntrack`, the shortest first) or that it extends (`mariadb-11.4` -> `mariadb-11`), else the nearest by edit
 * distance when that is at most a third of its length (at least 2).
 */
export function closestId(id: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[_\s]+/g, '-');
  const wanted = norm(id);
  const words = wanted
    .split('-')
    .filter((w) => w !== '')
    .map((w) => WORD_ALIASES[w] ?? w);
  const same = known.find((k) => norm(k) === wanted);
  if (same) return same;
  const byLength = [...known].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const holding = byLength.find((k) => words.length > 0 && words.every((w) => norm(k).split('-').includes(w)));
  if (holding) return holding;
  const extended = byLength.reverse().find((k) => wanted.startsWith(`${norm(k)}.`) || wanted.startsWith(`${norm(k)}-`));
  if (extended) return extended;
  let best: { id: string; d: number } | undefined;
  for (const k of known) {
    const d = levenshtein(wanted, norm(k));
    if (!best || d < best.d) best = { id: k, d };
  }
  return best && best.d <= Math.max(2, Math.floor(wanted.length / 3)) ? best.id : undefined;
}

function readDatabase(r: Reading, section: Entry): NonNullable<Config['database']> {
  const database: NonNullable<Config['database']> = { variables: {}, span: nodeSpan(r, section.key) };
  for (const entry of entriesOf(r, section.value, section.pointer, section.where)) {
    if (isRejected(r, entry.pointer)) continue;
    const scalar = scalarOf(r, entry.value);
    if (entry.name === 'profile' && typeof scalar?.value === 'string') {
      const span = valueSpan(r, entry);
      if (SERVER_PROFILES.has(scalar.value)) database.profile = { value: scalar.value, span };
      else r.errors.push({ message: `${entry.where}: ${unknownProfile(scalar.value, [...SERVER_PROFILES.keys()])}`, span });
    } else if (entry.name === 'engine' && ENGINES.includes(scalar?.value as Engine)) {
      database.engine = { value: scalar?.value as Engine, span: valueSpan(r, entry) };
    } else if (entry.name === 'version') {
      const version = versionText(r, entry, 'a version such as "8.0" or "10.11"');
      if (version) database.version = version;
    } else if (entry.name === 'variables') {
      database.variables = readVariables(r, entry);
    }
  }
  checkProfileAgrees(r, database);
  return database;
}

/** `engine` and `version` given beside `profile` must be the profile's: a MariaDB profile with `engine: mysql` is a contradiction. */
function checkProfileAgrees(r: Reading, database: NonNullable<Config['database']>): void {
  const profile = database.profile && SERVER_PROFILES.get(database.profile.value);
  if (!profile) return;
  const { engine, version } = database;
  const names = ENGINE_NAMES as Record<string, string>;
  const what = `${profile.name}${profile.managed ? ` (a ${names[profile.engine]} server)` : ''}`;
  if (engine && engine.value !== profile.engine) {
    r.errors.push({
      message: `database.engine: ${JSON.stringify(engine.value)} contradicts database.profile ${profile.id}, ${what}; remove database.engine or use engine ${profile.engine}`,
      span: engine.span,
    });
  }
  if (version && !versionFits(profile, version.value)) {
    r.errors.push({
      message: `database.version: ${JSON.stringify(version.value)} is not a version of database.profile ${profile.id} (${profile.version}); remove database.version or give ${profile.version} or ${profile.version}.<n>`,
      span: version.span,
    });
  }
}

function readOptionFiles(r: Reading, section: Entry): NonNullable<Config['optionFiles']> {
  const optionFiles: NonNullable<Config['optionFiles']> = {};
  for (const entry of entriesOf(r, section.value, section.pointer, section.where)) {
    if (isRejected(r, entry.pointer)) continue;
    const value = scalarOf(r, entry.value)?.value;
    if (entry.name === 'flavor' && (value === 'mysql' || value === 'mariadb')) {
      optionFiles.flavor = { value, span: valueSpan(r, entry) };
    } else if (entry.name === 'version') {
      const version = versionText(r, entry, 'a version such as "8.0" or "10.11"');
      if (version) optionFiles.version = version;
    }
  }
  return optionFiles;
}

/**
 * Variables keep the text as written (`600`, `64M`); names take the canonical form because option
 * files read `-` and `_` alike and MariaDB ignores case (mysql-server.md, "Settings").
 */
function readVariables(r: Reading, section: Entry): Record<string, Declared<string>> {
  const variables: Record<string, Declared<string>> = {};
  const firstSeen = new Map<string, Entry>();
  for (const entry of entriesOf(r, section.value, section.pointer, section.where)) {
    const canonical = entry.name.toLowerCase().replace(/-/g, '_');
    const earlier = firstSeen.get(canonical);
    if (earlier) {
      const line = nodeSpan(r, earlier.key).line;
      r.errors.push({
        message: `${entry.where}: the same variable as ${JSON.stringify(earlier.name)} (line ${line}); give it once`,
        span: nodeSpan(r, entry.key),
      });
      continue;
    }
    firstSeen.set(canonical, entry);
    if (isRejected(r, entry.pointer)) continue;
    const scalar = scalarOf(r, entry.value);
    if (!scalar) continue;
    // A YAML number such as 0x10 or 1e3 is read by YAML, not by the server: mysqld would refuse that text
    // (mysql-option-files.md, "Numbers").
    if (typeof scalar.value === 'number' && !/^\d+$/.test(scalar.source ?? '')) {
      r.errors.push({
        message: `${entry.where}: expected a whole number written in digits, such as 600 (got ${describeNode(scalar)})`,
        span: valueSpan(r, entry),
      });
      continue;
    }
    if (typeof scalar.value === 'string') variables[canonical] = { value: scalar.value, span: valueSpan(r, entry) };
    else if (typeof scalar.value === 'number')
      variables[canonical] = { value: scalar.source ?? String(scalar.value), span: valueSpan(r, entry) };
  }
  return variables;
}

function readVersions(r: Reading, section: Entry): Record<string, Declared<string>> {
  const versions: Record<string, Declared<string>> = {};
  for (const entry of entriesOf(r, section.value, section.pointer, section.where)) {
    if (isRejected(r, entry.pointer)) continue;
    const version = versionText(r, entry, 'a version such as "6.3.0"');
    if (version) versions[entry.name] = version;
  }
  return versions;
}

/** A version as written: a quoted string, or the source text of an unquoted number (`8.0` stays "8.0", not 8). */
function versionText(r: Reading, entry: Entry, expected: string): Declared<string> | undefined {
  const scalar = scalarOf(r, entry.value);
  if (typeof scalar?.value === 'string') return { value: scalar.value, span: valueSpan(r, entry) };
  if (typeof scalar?.value !== 'number') return undefined;
  const source = scalar.source ?? '';
  if (VERSION_TEXT.test(source)) return { value: source, span: valueSpan(r, entry) };
  r.errors.push({ message: `${entry.where}: expected ${expected} (got ${describeNode(scalar)})`, span: valueSpan(r, entry) });
  return undefined;
}

/** `instances:` counts; the schema has checked each is a whole number of at least 1. */
function readCounts(r: Reading, section: Entry): Record<string, Declared<number>> {
  const values: Record<string, Declared<number>> = {};
  for (const entry of entriesOf(r, section.value, section.pointer, section.where)) {
    const value = scalarOf(r, entry.value)?.value;
    if (!isRejected(r, entry.pointer) && typeof value === 'number') values[entry.name] = { value, span: valueSpan(r, entry) };
  }
  return values;
}

function readStrings(r: Reading, section: Entry): Record<string, Declared<string>> {
  const values: Record<string, Declared<string>> = {};
  for (const entry of entriesOf(r, section.value, section.pointer, section.where)) {
    const value = scalarOf(r, entry.value)?.value;
    if (!isRejected(r, entry.pointer) && typeof value === 'string') values[entry.name] = { value, span: valueSpan(r, entry) };
  }
  return values;
}

function readLinks(r: Reading, section: Entry, config: Config): Array<{ where: string; span: Span }> {
  const toDatabase: Array<{ where: string; span: Span }> = [];
  for (const item of itemsOf(r, section)) {
    if (isRejected(r, item.pointer)) continue;
    const fields = new Map(entriesOf(r, item.node, item.pointer, item.where).map((e) => [e.name, e]));
    const pool = scalarOf(r, fields.get('pool')?.value ?? null)?.value;
    const serverEntry = fields.get('server');
    const server = scalarOf(r, serverEntry?.value ?? null)?.value;
    if (typeof pool !== 'string' || typeof server !== 'string' || !serverEntry) continue;
    config.links.push({ pool, server, span: item.span });
    if (server === 'database') toDatabase.push({ where: serverEntry.where, span: valueSpan(r, serverEntry) });
  }
  return toDatabase;
}

/**
 * Rule ids are checked against the rules given to loadConfig, and options against what each rule
 * declares (ESLint's meta.schema): a rule never sees an option it did not declare, nor a value of
 * another type or below its minimum.
 */
function readRules(r: Reading, section: Entry, config: Config): void {
  for (const entry of entriesOf(r, section.value, section.pointer, section.where)) {
    const rule = r.rules.get(entry.name);
    if (!rule) {
      r.errors.push({ message: `${entry.where}: ${unknownRule(r, entry.name)}`, span: nodeSpan(r, entry.key) });
      continue;
    }
    if (isRejected(r, entry.pointer)) continue;
    const value = deref(r, entry.value);
    if (isScalar(value)) {
      if (RULE_SETTINGS.includes(value.value as RuleSetting))
        config.rules[entry.name] = { value: value.value as RuleSetting, span: valueSpan(r, entry) };
      continue;
    }
    const fields = entriesOf(r, value, entry.pointer, entry.where);
    const options = fields.find((f) => f.name === 'options');
    const read = options && !isRejected(r, options.pointer) ? readRuleOptions(r, rule, options) : undefined;
    const severity = fields.find((f) => f.name === 'severity');
    const setting = scalarOf(r, severity?.value ?? null)?.value;
    if (!severity || !RULE_SETTINGS.includes(setting as RuleSetting)) continue;
    config.rules[entry.name] = { value: setting as RuleSetting, span: valueSpan(r, severity) };
    if (read) config.ruleOptions[entry.name] = read;
  }
}

/** `unknown rule; did you mean "pool-lifetime-exceeds-wait-timeout"? (known: ...)`. */
function unknownRule(r: Reading, id: string): string {
  const known = [...r.rules.keys()].sort();
  const near = closestId(id, known);
  return `unknown rule${near ? `; did you mean ${JSON.stringify(near)}?` : ''} (known: ${known.join(', ')})`;
}

/**
 * `overrides:` (ESLint's overrides, Ruff's per-file-ignores). The schema checks the shape; here each rule id
 * is checked against the known rules, at its key. An override keeps the severities it could read.
 */
function readOverrides(r: Reading, section: Entry): Override[] {
  const overrides: Override[] = [];
  for (const item of itemsOf(r, section)) {
    if (isRejected(r, item.pointer)) continue;
    const fields = new Map(entriesOf(r, item.node, item.pointer, item.where).map((e) => [e.name, e]));
    const filesEntry = fields.get('files');
    const rulesEntry = fields.get('rules');
    if (!filesEntry || !rulesEntry) continue;
    const files = itemsOf(r, filesEntry).flatMap((f) => (typeof f.scalar?.value === 'string' ? [f.scalar.value] : []));
    const rules: Override['rules'] = {};
    for (const entry of entriesOf(r, rulesEntry.value, rulesEntry.pointer, rulesEntry.where)) {
      if (!r.rules.has(entry.name)) {
        r.errors.push({ message: `${entry.where}: ${unknownRule(r, entry.name)}`, span: nodeSpan(r, entry.key) });
        continue;
      }
      const value = scalarOf(r, entry.value)?.value;
      if (!isRejected(r, entry.pointer) && RULE_SETTINGS.includes(value as RuleSetting))
        rules[entry.name] = { value: value as RuleSetting, span: valueSpan(r, entry) };
    }
    overrides.push({ files, rules, span: item.span });
  }
  return overrides;
}

/** An integer as YAML writes one (`5`, `-5`, `0x10`); `5.0` and `1e3` are YAML floats even when whole. */
const INTEGER_TEXT = /^[-+]?(?:[0-9][0-9_]*|0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+)$/;

const OPTION_TYPE_WORDS: Record<RuleOption['type'], string> = {
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  string: 'text',
};

function readRuleOptions(r: Reading, rule: RuleSpec, section: Entry): Record<string, number | boolean | string> {
  const read: Record<string, number | boolean | string> = {};
  const known = Object.keys(rule.options);
  for (const option of entriesOf(r, section.value, section.pointer, section.where)) {
    const declared = Object.hasOwn(rule.options, option.name) ? rule.options[option.name] : undefined;
    if (!declared) {
      const near = closestId(option.name, known);
      const hint = near ? `; did you mean ${JSON.stringify(near)}?` : '';
      const message = known.length > 0 ? `unknown option${hint} (known: ${known.join(', ')})` : 'this rule has no options';
      r.errors.push({ message: `${option.where}: ${message}`, span: nodeSpan(r, option.key) });
      continue;
    }
    if (isRejected(r, option.pointer)) continue;
    const scalar = scalarOf(r, option.value);
    const value = scalar ? optionValue(declared, scalar) : undefined;
    if (value === undefined) {
      const wanted = OPTION_TYPE_WORDS[declared.type] + (declared.minimum !== undefined ? ` of at least ${declared.minimum}` : '');
      r.errors.push({ message: `${option.where}: expected ${wanted} (got ${describeNode(option.value)})`, span: valueSpan(r, option) });
      continue;
    }
    read[option.name] = value;
  }
  return read;
}

/** The value when it has the declared type and range; a string is never converted (`"5"` is not 5). */
function optionValue(declared: RuleOption, scalar: Scalar): number | boolean | string | undefined {
  const value = scalar.value;
  switch (declared.type) {
    case 'boolean':
    case 'string':
      return typeof value === declared.type ? (value as boolean | string) : undefined;
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
      if (declared.type === 'integer' && !(Number.isInteger(value) && INTEGER_TEXT.test(scalar.source ?? ''))) return undefined;
      return declared.minimum !== undefined && value < declared.minimum ? undefined : value;
    }
  }
}

// ---------------------------------------------------------------- YAML tree access

function deref(r: Reading, node: unknown): Node | null {
  return r.file.resolve(node);
}

function scalarOf(r: Reading, node: unknown): Scalar | undefined {
  const resolved = deref(r, node);
  return isScalar(resolved) ? resolved : undefined;
}

function isEmpty(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** Keys of a mapping node; a collection used as a key is named by its source text, so ajv reports it as unknown. */
function entriesOf(r: Reading, node: unknown, pointer: string, where: string): Entry[] {
  return [...keysOf(r, node)].map(([name, { key, value }]) => ({
    name,
    pointer: `${pointer}/${escapePointer(name)}`,
    where: joinPath(where, name),
    key,
    value,
  }));
}

function keysOf(r: Reading, node: unknown): Map<string, KeyEntry> {
  const map = deref(r, node);
  if (!isMap(map)) return new Map();
  let keys = r.keys.get(map);
  if (keys) return keys;
  keys = new Map();
  for (const pair of map.items) {
    // The reader reports a repeated key; the first one is read.
    const name = r.file.keyName(pair.key);
    if (!isNode(pair.key) || keys.has(name)) continue;
    keys.set(name, { key: pair.key, value: deref(r, pair.value), raw: pair.value });
  }
  r.keys.set(map, keys);
  return keys;
}

function itemsOf(
  r: Reading,
  section: Entry,
): Array<{ node: Node | null; scalar: Scalar | undefined; pointer: string; where: string; span: Span }> {
  const seq = deref(r, section.value);
  if (!isSeq(seq)) return [];
  return seq.items.map((raw, i) => {
    const node = deref(r, raw);
    return {
      node,
      scalar: isScalar(node) ? node : undefined,
      pointer: `${section.pointer}/${i}`,
      where: `${section.where}[${i}]`,
      span: node ? nodeSpan(r, node) : valueSpan(r, section),
    };
  });
}

function isRejected(r: Reading, pointer: string): boolean {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
    if (r.rejected.has(p)) return true;
    if (p === '') return false;
  }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `network.idleTimeout`, `links[0].pool`, `mounts["/etc/mysql/conf.d"]`. */
function joinPath(where: string, name: string): string {
  if (!/^[A-Za-z_][\w-]*$/.test(name)) return `${where}[${JSON.stringify(name)}]`;
  return where === '' ? name : `${where}.${name}`;
}

// ---------------------------------------------------------------- spans and wording

function nodeSpan(r: Reading, node: Node): Span {
  return r.file.spanOf(node);
}

/** The value's span; the key's when the value is empty (`idleTimeout:` has no text to point at). */
function valueSpan(r: Reading, entry: { key: Node; value: Node | null }): Span {
  const range = entry.value?.range;
  if (!entry.value || !range || range[1] <= range[0]) return nodeSpan(r, entry.key);
  return nodeSpan(r, entry.value);
}

/** How a value is shown after "got": text quoted, numbers as written, collections by kind. */
function describeNode(node: Node | null, data?: unknown): string {
  if (isMap(node) || (!node && isPlainObject(data))) return 'a mapping';
  if (isSeq(node) || (!node && Array.isArray(data))) return 'a list';
  if (isScalar(node)) {
    if (node.value === null || node.value === undefined) return 'an empty value';
    if (typeof node.value === 'string') return JSON.stringify(node.value);
    return node.source ?? String(node.value);
  }
  if (data === null || data === undefined) return 'an empty value';
  return typeof data === 'string' ? JSON.stringify(data) : String(data);
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function orList(words: string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
