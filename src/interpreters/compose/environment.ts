/**
 * Variables in a Compose project (compose-spec/compose-go types/project.go
 * `WithServicesEnvironmentResolved`, dotenv/ @ e70e961):
 * - the project's `.env` (in the project directory) gives the variables the Compose file is
 *   interpolated with; the environment Compose runs in would take precedence, but it is not in the
 *   repository, so `.env` is taken as the project's environment and anything else as unset;
 * - a service's variables: its `env_file:` files in order (later ones win), each value interpolated with
 *   the project's variables first, then the service's `environment:`, then the file's earlier lines;
 *   then its `environment:` over them; `NAME` with no value takes the project's variable.
 * A value that needs a variable the repository does not set is unknown (text null), never blank.
 */
import { posix } from 'node:path';
import type { Entry } from '../../model/entry.js';
import type { Problem } from '../../model/problem.js';
import type { Span } from '../../model/span.js';
import type { DotenvDoc, DotenvEntry } from '../../parsers/dotenv.js';
import type { ParseResult } from '../../parsers/parse-result.js';
import { interpolate, knownText, type Lookup, unknownReason, type VariableValue } from './interpolate.js';
import { type EnvironmentDef, type ServiceDef, subSpan } from './project.js';

export type ReadDotenv = (path: string) => ParseResult<DotenvDoc> | undefined;

export interface ProjectEnvironment {
  lookup: Lookup;
  /** The `.env` file read, if any. */
  file?: string;
  problems: Problem[];
  /** Compose refuses to load a `.env` it cannot parse. */
  refused: boolean;
}

/** A path relative to `dir` inside the scanned tree, or undefined (absolute, home, outside). */
export function treePath(dir: string, path: string): string | undefined {
  if (path === '' || posix.isAbsolute(path) || path.startsWith('~') || /^[A-Za-z]:[\\/]/.test(path)) return undefined;
  const p = posix.normalize(posix.join(dir, path.replace(/\\/g, '/'))).replace(/\/+$/, '');
  if (p === '..' || p.startsWith('../')) return undefined;
  return p === '' ? '.' : p;
}

/** Values of one dotenv file, each interpolated with `outer` first, then the file's earlier lines. */
function dotenvValues(doc: DotenvDoc, outer: Lookup, passThrough: Lookup): Map<string, { value: VariableValue; entry: DotenvEntry }> {
  const values = new Map<string, { value: VariableValue; entry: DotenvEntry }>();
  const lookup: Lookup = (name) => outer(name) ?? values.get(name)?.value;
  for (const e of doc.entries) {
    if (e.value === null) {
      const v = passThrough(e.key);
      if (v !== undefined) values.set(e.key, { value: v, entry: e });
      continue;
    }
    if (e.value.quote === 'single') {
      values.set(e.key, { value: { value: e.value.text }, entry: e });
      continue;
    }
    const i = interpolate(e.value.text, lookup);
    const text = knownText(i);
    values.set(e.key, {
      value: text !== undefined ? { value: text } : { unknown: unknownReason(i) ?? `${e.key} cannot be read` },
      entry: e,
    });
  }
  return values;
}

/** The variables of one dotenv file (an `env_file` of a Compose `include:`); undefined when it is not in the tree. */
export function envFileLookup(path: string, read: ReadDotenv): Lookup | undefined {
  const parsed = read(path);
  if (!parsed) return undefined;
  const unset: Lookup = (name) => ({ unknown: `${name} in ${path} takes its value from the environment Compose runs in` });
  const values = dotenvValues(parsed.doc, () => undefined, unset);
  return (name) => values.get(name)?.value;
}

/** The project's variables from its `.env` file. */
export function projectEnvironment(dir: string, read: ReadDotenv): ProjectEnvironment {
  const path = dir === '.' ? '.env' : `${dir}/.env`;
  const parsed = read(path);
  if (!parsed) return { lookup: () => undefined, problems: [], refused: false };
  const unset: Lookup = (name) => ({ unknown: `${name} in ${path} takes its value from the environment Compose runs in` });
  const values = dotenvValues(parsed.doc, () => undefined, unset);
  return {
    lookup: (name) => values.get(name)?.value,
    file: path,
    problems: parsed.problems,
    refused: parsed.doc.failed,
  };
}

function entrySpan(keySpan: Span, end: Span): Span {
  return { ...keySpan, endLine: end.endLine, endColumn: end.endColumn };
}

/** One `environment:` entry as written in the Compose file. */
function composeEntry(def: EnvironmentDef, text: string | null): Entry {
  const item = def.item;
  let raw: string | null = null;
  let valueSpan = def.keySpan;
  if (def.value && item) {
    const range = item.node.range;
    const written = range ? item.file.text.slice(range[0], range[1]) : (item.text ?? '');
    if (def.valueOffset !== undefined) {
      raw = (item.text ?? '').slice(def.valueOffset);
      // Offsets are exact only when interpolation changed nothing.
      valueSpan = item.value?.used.length ? item.span : subSpan(item, def.valueOffset, (item.text ?? '').length);
    } else {
      raw = written;
      valueSpan = item.span;
    }
  }
  return { key: def.key, text, raw, keySpan: def.keySpan, valueSpan, span: def.span };
}

export interface ServiceVariables {
  variables: Entry[];
  /** env_file files read. */
  files: string[];
  problems: Problem[];
  /** Compose refuses to start: a required env_file that cannot be parsed. */
  refused: boolean;
}

/** The variables a service's container receives, each where its value is written. */
export function serviceVariables(service: ServiceDef, project: Lookup, read: ReadDotenv): ServiceVariables {
  const out: ServiceVariables = { variables: [], files: [], problems: [], refused: false };
  // `environment:` first, resolved against the project: env files are interpolated with these values.
  const own = new Map<string, { def: EnvironmentDef; value: VariableValue }>();
  for (const def of service.environment.values()) {
    if (def.value === null || !def.item) {
      own.set(def.key, { def, value: project(def.key) });
      continue;
    }
    const i = def.item.value;
    const full = i ? knownText(i) : (def.item.text ?? undefined);
    const value: VariableValue =
      full !== undefined
        ? { value: def.valueOffset !== undefined ? full.slice(def.valueOffset) : full }
        : { unknown: (i && unknownReason(i)) ?? `${def.key} cannot be read` };
    own.set(def.key, { def, value });
  }
  const ownLookup: Lookup = (name) => {
    const v = own.get(name)?.value;
    return v;
  };
  const fromFiles = new Map<string, { value: VariableValue; entry: DotenvEntry }>();
  for (const envFile of service.envFiles) {
    const path = treePath(envFile.dir, envFile.path);
    const parsed = path ? read(path) : undefined;
    if (!path || !parsed) continue;
    out.files.push(path);
    out.problems.push(...parsed.problems);
    if (parsed.doc.failed) {
      out.refused = true;
      continue;
    }
    const outer: Lookup = (name) => project(name) ?? ownLookup(name) ?? fromFiles.get(name)?.value;
    for (const [k, v] of dotenvValues(parsed.doc, outer, outer)) fromFiles.set(k, v);
  }
  for (const [key, { value, entry }] of fromFiles) {
    if (own.has(key)) continue;
    const text = value && 'value' in value ? value.value : null;
    const v = entry.value;
    out.variables.push({
      key,
      text,
      raw: v?.raw ?? null,
      keySpan: entry.keySpan,
      valueSpan: v?.span ?? entry.keySpan,
      span: v ? entrySpan(entry.keySpan, v.span) : entry.span,
    });
  }
  for (const { def, value } of own.values()) {
    const text = value && 'value' in value ? value.value : null;
    out.variables.push(composeEntry(def, text));
  }
  return out;
}
