/**
 * Which configuration TypeORM's ConnectionOptionsReader uses in one application root (typeorm.md,
 * "ormconfig lookup", ".env loading", "Precedence"; typeorm/typeorm src/connection/ConnectionOptionsReader.ts
 * at each tag). The reader serves `createConnection()` without options, `createConnections()`,
 * `getConnectionOptions()` and @nestjs/typeorm ≤ 8.0.x `forRoot()` without `type`:
 * 1. the first `ormconfig.<ext>` that exists, in the order of the version's list, is the found format;
 * 2. if that is `env`, ormconfig.env is loaded with dotenv, else `<root>/.env` is, when it exists (1.x: neither);
 * 3. if TYPEORM_CONNECTION (or, from 0.2.12, TYPEORM_URL) is then set, the TYPEORM_* variables are the
 *    options; otherwise the found js/ts/json/yml file is read (nothing else), or no options are found.
 * The versions split where the list, the dotenv major TypeORM depends on (package.json at each tag), or
 * what is read changes. 0.2.32–0.2.34 read ormconfig.yml with js-yaml's loadAll, so the documents, not the
 * top-level keys, became connections ("0" ...), and the connections written there were not found
 * (typeorm/typeorm#7743, fixed in 0.2.35 by 57f9254).
 */
import type { DotenvFlavor } from './env-reader.js';
import { compareVer, type Ver } from '../node-mysql/versions.js';

export type OrmconfigExt = 'env' | 'js' | 'mjs' | 'cjs' | 'ts' | 'mts' | 'cts' | 'json' | 'yml' | 'yaml' | 'xml';
export const ORMCONFIG_EXTS: readonly OrmconfigExt[] = ['env', 'js', 'mjs', 'cjs', 'ts', 'mts', 'cts', 'json', 'yml', 'yaml', 'xml'];
export const JS_EXTS: ReadonlySet<string> = new Set(['js', 'mjs', 'cjs', 'ts', 'mts', 'cts']);

export interface ReaderGroup {
  /** First version of the group (the next group's `from` ends it). */
  from: Ver;
  label: string;
  /** The extensions searched, in order. */
  exts: readonly OrmconfigExt[];
  /** The dotenv major that loads ormconfig.env / .env (dotenv ^5.0.1, ^6.2.0, ^8.2.0, ^16.x); null: no env reader (1.x). */
  dotenv: DotenvFlavor | null;
  /** TYPEORM_URL alone selects the env reader (0.2.12+). */
  urlActivates: boolean;
  /** ormconfig.yml is read with loadAll, and its connections are not found (0.2.32–0.2.34). */
  ymlLoadAll?: true;
}

const A: OrmconfigExt[] = ['env', 'js', 'ts', 'json', 'yml', 'yaml', 'xml'];
const B: OrmconfigExt[] = ['env', 'js', 'cjs', 'ts', 'json', 'yml', 'yaml', 'xml'];
const C: OrmconfigExt[] = ['env', 'js', 'mjs', 'cjs', 'ts', 'mts', 'cts', 'json', 'yml', 'yaml', 'xml'];
const D: OrmconfigExt[] = ['env', 'js', 'mjs', 'cjs', 'ts', 'mts', 'cts', 'json'];
const E: OrmconfigExt[] = ['js', 'mjs', 'cjs', 'ts', 'mts', 'cts', 'json'];

export const READER_GROUPS: readonly ReaderGroup[] = [
  { from: [0, 2, 0], label: '0.2.0–0.2.11', exts: A, dotenv: 'dotenv5', urlActivates: false },
  { from: [0, 2, 12], label: '0.2.12–0.2.25', exts: A, dotenv: 'dotenv5', urlActivates: true },
  { from: [0, 2, 26], label: '0.2.26–0.2.31', exts: B, dotenv: 'dotenv8', urlActivates: true },
  { from: [0, 2, 32], label: '0.2.32–0.2.34', exts: B, dotenv: 'dotenv8', urlActivates: true, ymlLoadAll: true },
  { from: [0, 2, 35], label: '0.2.35–0.2.41', exts: B, dotenv: 'dotenv8', urlActivates: true },
  { from: [0, 2, 42], label: '0.2.42–0.2.45', exts: C, dotenv: 'dotenv8', urlActivates: true },
  { from: [0, 3, 0], label: '0.3.0–0.3.13', exts: C, dotenv: 'dotenv16', urlActivates: true },
  { from: [0, 3, 14], label: '0.3.14–0.3.x', exts: D, dotenv: 'dotenv16', urlActivates: true },
  { from: [1, 0, 0], label: '1.x', exts: E, dotenv: null, urlActivates: false },
];

/** The groups a version interval [lo, hi) overlaps (every group when it is not known). */
export function readerGroups(interval: { lo: Ver; hi: Ver } | undefined): ReaderGroup[] {
  if (!interval) return [...READER_GROUPS];
  const out = READER_GROUPS.filter((g, i) => {
    const next = READER_GROUPS[i + 1]?.from;
    return (!next || compareVer(next, interval.lo) > 0) && compareVer(g.from, interval.hi) < 0;
  });
  // Older than 0.2.0: the oldest group is the nearest known.
  return out.length > 0 ? out : [READER_GROUPS[0] as ReaderGroup];
}

/** Labels of consecutive groups joined into ranges: `0.2.0–0.2.31, 0.2.35–0.3.13`. */
export function groupsLabel(groups: readonly ReaderGroup[]): string {
  const idx = groups.map((g) => READER_GROUPS.indexOf(g)).sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && (idx[j + 1] as number) === (idx[j] as number) + 1) j++;
    const first = READER_GROUPS[idx[i] as number] as ReaderGroup;
    const last = READER_GROUPS[idx[j] as number] as ReaderGroup;
    const lo = first.label.split('–')[0] as string;
    const hi = last.label.includes('–') ? (last.label.split('–')[1] as string) : last.label;
    parts.push(first === last ? first.label : lo === hi ? lo : `${lo}–${hi}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** What one application root holds that the reader looks at. */
export interface RootFiles {
  /** The `ormconfig.<ext>` files that exist there. */
  ormconfig: ReadonlySet<OrmconfigExt>;
  hasDotEnv: boolean;
  /** Does the dotenv file, read by this dotenv major, set TYPEORM_CONNECTION (or TYPEORM_URL, when it counts) to a non-empty value? */
  activates(file: 'ormconfig.env' | '.env', flavor: DotenvFlavor, urlActivates: boolean): boolean;
}

export type Outcome =
  | { source: 'env'; file: 'ormconfig.env' | '.env' }
  | { source: 'file'; ext: OrmconfigExt }
  | { source: 'none'; reason: string };

/** What one group of versions reads in a root. */
export function readerOutcome(g: ReaderGroup, root: RootFiles): Outcome {
  const found = g.exts.find((e) => root.ormconfig.has(e));
  if (g.dotenv) {
    const dotenvFile = found === 'env' ? 'ormconfig.env' : root.hasDotEnv ? '.env' : undefined;
    if (dotenvFile && root.activates(dotenvFile, g.dotenv, g.urlActivates)) return { source: 'env', file: dotenvFile };
  }
  if (found === undefined) return { source: 'none', reason: 'no ormconfig file it reads' };
  if (found === 'env')
    return {
      source: 'none',
      reason: `ormconfig.env comes first and does not set TYPEORM_CONNECTION${g.urlActivates ? ' or TYPEORM_URL' : ''}, so no options are found`,
    };
  return { source: 'file', ext: found };
}

/** Does the outcome give the application a connection it can use (for excluding versions the project could not start on)? */
export function outcomeConnects(g: ReaderGroup, o: Outcome): boolean {
  if (o.source === 'none') return false;
  if (o.source === 'file' && (o.ext === 'yml' || o.ext === 'yaml') && g.ymlLoadAll) return false;
  return true;
}

/** A file the reader may use: `ormconfig.<ext>` or `.env`. */
export type ReaderFile = `ormconfig.${OrmconfigExt}` | '.env';

export interface ReaderFacts {
  root: RootFiles;
  /** The versions that may run: declared in connlint.config.yaml (`declared`), allowed by package.json, or every one. */
  versions: { interval?: { lo: Ver; hi: Ver }; label?: string; declared: boolean };
  /**
   * Where the application passes its own options (`new DataSource({...})`, `createConnection({...})`,
   * `forRoot({ type })`) when nothing in it calls the reader: the reader's files are then at most for the
   * CLI or left over, and their findings are notes.
   */
  explicitOnly?: string;
}

export interface ReaderDecision {
  /** The groups of versions that read this file's options. */
  groups: ReaderGroup[];
  /** null: not read by any version that may run. */
  owner: 'certain' | 'uncertain' | null;
  reason: string;
}

function fileOf(o: Outcome): ReaderFile | undefined {
  return o.source === 'env' ? o.file : o.source === 'file' ? `ormconfig.${o.ext}` : undefined;
}

const ENV_WINS = "so TypeORM's env reader takes its options from TYPEORM_* and reads no other ormconfig file (typeorm.md, Precedence)";

function whyNot(file: ReaderFile, g: ReaderGroup, o: Outcome, version: string): string {
  const ext = file === '.env' ? undefined : (file.slice('ormconfig.'.length) as OrmconfigExt);
  if (file === '.env' || ext === 'env') {
    if (!g.dotenv)
      return `TypeORM ${version} has no env reader: TYPEORM_* variables, ormconfig.env and .env are ignored (typeorm.md, 1.0.0)`;
    if (file === '.env' && o.source === 'env' && o.file === 'ormconfig.env')
      return 'TypeORM loads ormconfig.env instead of .env when it exists';
    if (file === '.env' && g.exts[0] === 'env' && o.source !== 'env')
      return `in TypeORM ${version} it does not select the env reader (TYPEORM_CONNECTION${g.urlActivates ? ' or TYPEORM_URL' : ''} not set as that version's dotenv reads it)`;
  }
  if (ext && !g.exts.includes(ext)) return `TypeORM ${version} does not read ormconfig.${ext} (it looks for ${g.exts.join(', ')})`;
  if (o.source === 'env') return `TYPEORM_CONNECTION or TYPEORM_URL is set in ${o.file}, ${ENV_WINS}`;
  if (o.source === 'file' && fileOf(o) === file && g.ymlLoadAll)
    return `TypeORM ${g.label} loads ormconfig.yml with js-yaml's loadAll, so the file's documents, not its top-level keys, become connections ("0" ...), and the connections written here are not found (typeorm/typeorm#7743, fixed in 0.2.35)`;
  if (o.source === 'file') return `TypeORM reads only the first ormconfig file it finds (${g.exts.join(', ')}), here ormconfig.${o.ext}`;
  return o.reason;
}

/** For each file of the root the reader may use, which versions read it and how sure that is. */
export function readerDecisions(facts: ReaderFacts): Map<ReaderFile, ReaderDecision> {
  const { root, versions } = facts;
  const outcomes = readerGroups(versions.interval).map((g) => ({ g, o: readerOutcome(g, root) }));
  let considered = outcomes;
  // A project whose only options come from the reader starts only on the versions where the reader gives
  // it a connection: those are the versions it runs, unless the version is declared.
  if (!versions.declared && !facts.explicitOnly) {
    const connecting = outcomes.filter((x) => outcomeConnects(x.g, x.o));
    if (connecting.length > 0) considered = connecting;
  }
  const filtered = considered.length < outcomes.length;
  const label = versions.label ?? groupsLabel(considered.map((x) => x.g));
  const which = versions.declared
    ? `TypeORM ${label} is declared in connlint.config.yaml`
    : versions.label
      ? `package.json allows typeorm ${label}`
      : 'the typeorm version is not known here (declare it under libraries in connlint.config.yaml)';
  const scope = (groups: readonly ReaderGroup[]) =>
    versions.declared
      ? `TypeORM ${label}, declared in connlint.config.yaml`
      : `TypeORM ${groupsLabel(groups)}${filtered ? ', the versions on which the application finds connection options here' : ''}; ${which}`;
  const files: ReaderFile[] = [
    ...ORMCONFIG_EXTS.filter((e) => e !== 'xml' && root.ormconfig.has(e)).map((e) => `ormconfig.${e}` as ReaderFile),
  ];
  if (root.hasDotEnv) files.push('.env');
  const out = new Map<ReaderFile, ReaderDecision>();
  for (const file of files) {
    const groups = considered.filter((x) => fileOf(x.o) === file && outcomeConnects(x.g, x.o)).map((x) => x.g);
    const first = considered[0] as { g: ReaderGroup; o: Outcome };
    if (groups.length === 0) {
      const other = considered.find((x) => !(fileOf(x.o) === file)) ?? first;
      out.set(file, { groups, owner: null, reason: whyNot(file, other.g, other.o, versions.declared ? label : other.g.label) });
      continue;
    }
    const readLabel = groupsLabel(groups);
    if (facts.explicitOnly) {
      out.set(file, {
        groups,
        owner: 'uncertain',
        reason: `TypeORM ${readLabel} reads it only for createConnection() without options (and in 0.2.x its CLI), but ${facts.explicitOnly}`,
      });
    } else if (groups.length === considered.length) {
      out.set(file, { groups, owner: 'certain', reason: `TypeORM's ormconfig reader uses it (${scope(groups)})` });
    } else {
      const others = considered.filter((x) => !groups.includes(x.g));
      const not = others[0] as { g: ReaderGroup; o: Outcome };
      out.set(file, {
        groups,
        owner: 'uncertain',
        reason: `TypeORM ${groupsLabel(groups)} uses it, not ${groupsLabel(others.map((x) => x.g))} (${whyNot(file, not.g, not.o, not.g.label)}); ${which}`,
      });
    }
  }
  return out;
}

/** The versions from the first group's start to the last group's end, as [lo, hi) with a label (`0.2.0–0.3.13`). */
export function groupsHull(groups: readonly ReaderGroup[]): { lo: Ver; hi: Ver; label: string } | undefined {
  const idx = groups.map((g) => READER_GROUPS.indexOf(g)).sort((a, b) => a - b);
  const first = READER_GROUPS[idx[0] ?? -1];
  const lastAt = idx[idx.length - 1] ?? -1;
  const last = READER_GROUPS[lastAt];
  if (!first || !last) return undefined;
  const next = READER_GROUPS[lastAt + 1];
  const lo = first.label.split('–')[0] as string;
  const hi = last.label.includes('–') ? (last.label.split('–')[1] as string) : last.label;
  return { lo: first.from, hi: next ? next.from : [Number.MAX_SAFE_INTEGER, 0, 0], label: lo === hi ? lo : `${lo}–${hi}` };
}
