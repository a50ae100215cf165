/**
 * connlint.config.yaml -> Config, in three passes over one parsed YAML document:
 * 1. syntax: the yaml package, positions from its LineCounter;
 * 2. structure: ajv against schema/connlint.config.schema.json, each error mapped back from its
 *    JSON pointer to the YAML key or value it is about;
 * 3. meaning: what the schema cannot say (duration syntax, profile ids, numbers as written), while
 *    building the Config from the YAML nodes so that every declared value keeps its span.
 * Spans: a bad value points at the value, an unknown or misplaced key at the key.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { type Document, isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, type Scalar } from 'yaml';
import { parseConfigDuration } from '../model/duration.js';
import type { Engine } from '../model/model.js';
import { fileSpan, lineSpan, type Span } from '../model/span.js';
import { type Config, type Declared, emptyConfig, type RuleSetting } from './config.js';
import { NETWORK_PROFILES, UNLISTED_PROFILES } from './network-profiles.js';

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
 * One parsed file being read. `syntaxErrors` are the parser's and repeated keys; `rejected` holds
 * the JSON pointers ajv refused (`''` for all), kept out of the Config; `keys` caches each
 * mapping's keys by name, as big files look keys up often.
 */
interface Reading {
  path: string;
  text: string;
  doc: Document;
  lines: LineCounter;
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

/** Never throws. `path` is how the file is named in messages (relative to the scanned root, or as given). */
export function loadConfig(path: string, input: string): { config: Config; errors: ConfigError[] } {
  // Editors do not count a byte-order mark as a column.
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const config: Config = { ...emptyConfig(), path };
  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    const before = text.slice(0, deep);
    const span = lineSpan(path, before.split('\n').length, deep - before.lastIndexOf('\n'), 1);
    return { config, errors: [{ message: `nested more than ${MAX_NESTING} levels deep; not read`, span }] };
  }
  const lines = new LineCounter();
  // uniqueKeys off: the yaml package checks it in quadratic time; keysOf reports repeated keys instead.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const r: Reading = { path, text, doc, lines, errors: [], syntaxErrors: [], rejected: new Set(), keys: new WeakMap() };
  for (const e of doc.errors) {
    r.syntaxErrors.push({
      message: `invalid YAML: ${lowerFirst(e.message)}`,
      span: offsetSpan(r, e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)),
    });
  }

  const root = deref(r, doc.contents);
  if (root === null || (isScalar(root) && root.value === null)) return { config, errors: finish(r.syntaxErrors) };
  if (!isMap(root)) {
    const message = `expected a mapping of keys such as network, database and rules at the top of the file (got ${describeNode(root)})`;
    return { config, errors: finish([...r.syntaxErrors, { message, span: nodeSpan(r, root) }]) };
  }

  const budget = { aliased: MAX_ALIASED_NODES };
  const data = toPlain(r, root, 0, budget, false);
  if (budget.aliased < 0) {
    r.syntaxErrors.push({ message: `invalid YAML: aliases expand to more than ${MAX_ALIASED_NODES} values`, span: nodeSpan(r, root) });
  }
  validateStructure(r, root, data);
  readRoot(r, root, config);
  // On a broken tree the structural and semantic errors are guesses: report what the parser found,
  // and still return what could be read.
  return { config, errors: finish(r.syntaxErrors.length > 0 ? r.syntaxErrors : r.errors) };
}

/** An over-estimate of nesting, far above any real config and far below what overflows the stack. */
const MAX_NESTING = 200;

/**
 * Where the nesting estimate passes MAX_NESTING, if it does. The yaml package composes recursively,
 * and a few thousand levels overflow the stack, which V8 can turn into a fatal abort that no catch
 * sees. Counts every column of indentation and of `- `/`? ` prefixes, and every open bracket (even
 * in quotes and comments), so it never under-counts.
 */
function tooDeepAt(text: string): number | undefined {
  let flow = 0;
  let block = 0;
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      atLineStart = true;
      block = 0;
      continue;
    }
    if (atLineStart) {
      const next = text.charCodeAt(i + 1);
      // space; or '-' / '?' followed by space or tab
      if (c === 32 || ((c === 45 || c === 63) && (next === 32 || next === 9))) {
        block++;
        if (block + flow > MAX_NESTING) return i;
        continue;
      }
      atLineStart = false;
    }
    // '[' '{' and ']' '}'
    if (c === 91 || c === 123) {
      flow++;
      if (block + flow > MAX_NESTING) return i;
    } else if ((c === 93 || c === 125) && flow > 0) {
      flow--;
    }
  }
  return undefined;
}

/** Bounds alias expansion ("billion laughs"): values reached through aliases, far beyond any real config. */
const MAX_ALIASED_NODES = 10_000;
/** Aliases can nest a tree deeper than its text (`&a [*a]` even forever). */
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

/** The compiled schema, or why it could not be loaded (an incomplete installation, not a user error). */
function schemaValidator(): ValidateFunction | string {
  if (validator === undefined) {
    try {
      const schema: unknown = JSON.parse(readFileSync(SCHEMA_URL, 'utf8'));
      const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true });
      // The wording of error messages lives in the schema beside each property.
      ajv.addVocabulary(['x-expected']);
      validator = ajv.compile(schema as object);
    } catch (e) {
      validator = `cannot load ${SCHEMA_URL.pathname} (${e instanceof Error ? e.message : String(e)}); the connlint installation is incomplete`;
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
      case 'libraries':
        config.libraries = readVersions(r, entry);
        break;
      case 'rules':
        readRules(r, entry, config);
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
  return `unknown profile ${JSON.stringify(id)} (expected one of ${[...NETWORK_PROFILES.keys()].sort().join(', ')})`;
}

function readDatabase(r: Reading, section: Entry): NonNullable<Config['database']> {
  const database: NonNullable<Config['database']> = { variables: {}, span: nodeSpan(r, section.key) };
  for (const entry of entriesOf(r, section.value, section.pointer, section.where)) {
    if (isRejected(r, entry.pointer)) continue;
    const scalar = scalarOf(r, entry.value);
    if (entry.name === 'engine' && ENGINES.includes(scalar?.value as Engine)) {
      database.engine = { value: scalar?.value as Engine, span: valueSpan(r, entry) };
    } else if (entry.name === 'version') {
      const version = versionText(r, entry, 'a version such as "8.0" or "10.11"');
      if (version) database.version = version;
    } else if (entry.name === 'variables') {
      database.variables = readVariables(r, entry);
    }
  }
  return database;
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

function readRules(r: Reading, section: Entry, config: Config): void {
  for (const entry of entriesOf(r, section.value, section.pointer, section.where)) {
    if (isRejected(r, entry.pointer)) continue;
    const value = deref(r, entry.value);
    if (isScalar(value)) {
      if (RULE_SETTINGS.includes(value.value as RuleSetting))
        config.rules[entry.name] = { value: value.value as RuleSetting, span: valueSpan(r, entry) };
      continue;
    }
    const fields = entriesOf(r, value, entry.pointer, entry.where);
    const severity = fields.find((f) => f.name === 'severity');
    const setting = scalarOf(r, severity?.value ?? null)?.value;
    if (!severity || !RULE_SETTINGS.includes(setting as RuleSetting)) continue;
    config.rules[entry.name] = { value: setting as RuleSetting, span: valueSpan(r, severity) };
    const options = fields.find((f) => f.name === 'options');
    if (!options) continue;
    const read: Record<string, number | boolean | string> = {};
    for (const option of entriesOf(r, options.value, options.pointer, options.where)) {
      if (isRejected(r, option.pointer)) continue;
      const v = scalarOf(r, option.value)?.value;
      if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') read[option.name] = v;
    }
    config.ruleOptions[entry.name] = read;
  }
}

// ---------------------------------------------------------------- YAML tree access

function deref(r: Reading, node: unknown): Node | null {
  if (isAlias(node)) return node.resolve(r.doc) ?? null;
  return isNode(node) ? node : null;
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
    const key = deref(r, pair.key);
    if (!key) continue;
    const name = isScalar(key)
      ? String(key.value ?? '')
      : r.text
          .slice(key.range?.[0] ?? 0, key.range?.[1] ?? 0)
          .trim()
          .slice(0, 40);
    const first = keys.get(name);
    if (first) {
      const message = `invalid YAML: key ${JSON.stringify(name)} appears twice in one mapping (first on line ${nodeSpan(r, first.key).line})`;
      r.syntaxErrors.push({ message, span: nodeSpan(r, key) });
      continue;
    }
    keys.set(name, { key, value: deref(r, pair.value), raw: pair.value });
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

function offsetSpan(r: Reading, start: number, end: number): Span {
  // Block collections end after their last line break; a span ends at the last character.
  while (end > start + 1 && /\s/.test(r.text.charAt(end - 1))) end--;
  const from = r.lines.linePos(start);
  const to = r.lines.linePos(end);
  return { path: r.path, line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
}

function nodeSpan(r: Reading, node: Node): Span {
  const range = node.range;
  if (!range) return fileSpan(r.path);
  return offsetSpan(r, range[0], endOffset(node));
}

/** A block collection's range runs on over trailing comments and blank lines; its last child's does not. */
function endOffset(node: Node): number {
  if ((isMap(node) || isSeq(node)) && !node.flow) {
    const last: unknown = node.items[node.items.length - 1];
    const child = isPair(last) ? (last.value ?? last.key) : last;
    if (isNode(child) && child.range) return endOffset(child);
  }
  return node.range?.[1] ?? 0;
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

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
