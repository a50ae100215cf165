/**
 * Spring Boot applications of a repository and the pools they run: files grouped by application, one
 * effective configuration for the default profile, one per profile the files name, and one per
 * environment that runs the application (a Compose service whose build context is the application's
 * folder), each merged key by key in Boot's order (config-data.ts). Configurations whose pool comes out
 * of the same values give one pool, whose environment note names them all.
 */
import type { Entry } from '../../model/entry.js';
import type { LibraryVersion, Pool } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { formatSpan } from '../../model/span.js';
import {
  applicableDocuments,
  type ConfigDocument,
  type ConfigFile,
  documentsOf,
  effectiveProfiles,
  type ProfileSettings,
  profileProblems,
  profileSettings,
  profilesFound,
} from './config-data.js';
import { type Assignment, buildDataSource, classifyKey } from './datasource.js';
import { isPlainYaml } from './conversion.js';
import { type Lookup, hasPlaceholder, resolvePlaceholders } from './placeholders.js';
import { splitProfiles } from './profiles.js';
import { afterPrefix, elementForm, elementsOf, envCandidates, envElements } from './relaxed-names.js';

export type { ConfigFile } from './config-data.js';

/** Configurations evaluated per application: far above any real one (a few profiles), far below what takes seconds. */
export const MAX_CONFIGURATIONS = 100;

/** Environment variables that reach an application folder (a Compose service's build context, as declared). */
export interface SpringEnvironment {
  appDir: string;
  source: string;
  variables: Entry[];
}

export interface SpringInput {
  files: ConfigFile[];
  environments: readonly SpringEnvironment[];
  hikariVersion?: LibraryVersion;
}

export interface SpringOutput {
  pools: Pool[];
  problems: Problem[];
  /** Per application folder: why it has no pool, when it has none. */
  noPool: Map<string, string>;
}

interface Configuration {
  /** Profiles as written (`prod,live`), or `default`. */
  name: string;
  active: string[];
  env?: SpringEnvironment;
  /** Why this configuration is (or may be) the one that runs. */
  note?: string;
}

/** Does the environment reach the application (its folder or an ancestor)? */
function reaches(env: SpringEnvironment, app: string): boolean {
  return env.appDir === '.' || env.appDir === app || app.startsWith(`${env.appDir}/`);
}

function profilesVariable(env: SpringEnvironment): Entry | undefined {
  return env.variables.filter((v) => afterPrefix(envElements(v.key), ['spring', 'profiles', 'active'])?.length === 0).pop();
}

/** Resolves a profile list written with placeholders (`${SPRING_PROFILES_ACTIVE:dev}`), defaults only. */
function resolvedProfiles(values: readonly string[]): string[] {
  return values
    .flatMap((v) => (hasPlaceholder(v) ? splitProfiles(resolvePlaceholders(v, () => undefined).text) : [v]))
    .filter((p) => !hasPlaceholder(p));
}

function configurations(
  app: string,
  tests: boolean,
  docs: readonly ConfigDocument[],
  settings: ProfileSettings,
  envs: readonly SpringEnvironment[],
): Configuration[] {
  const out: Configuration[] = [];
  const fileActive = settings.active ? resolvedProfiles(settings.active.values) : undefined;
  const fileActiveAt = settings.active
    ? `spring.profiles.active=${settings.active.values.join(',')} in ${formatSpan(settings.active.entry.span)}`
    : '';
  const nameOf = (active: readonly string[]) => (active.length > 0 ? active.join(',') : 'default');
  const add = (c: Configuration) => {
    let name = c.name;
    // Two services running the same profiles with different variables are two configurations.
    if (out.some((o) => o.name === name) && c.env) name = `${name} (${c.env.source})`;
    if (!out.some((o) => o.name === name)) out.push({ ...c, name });
  };
  for (const env of tests ? [] : envs.filter((e) => reaches(e, app))) {
    const variable = profilesVariable(env);
    if (variable && variable.text !== null) {
      const active = splitProfiles(variable.text);
      add({ name: nameOf(active), active, env, note: `${variable.key}=${variable.text} in ${formatSpan(variable.span)} (${env.source})` });
    } else if (variable) {
      add({
        name: nameOf(fileActive ?? []),
        active: fileActive ?? [],
        env,
        note: `${env.source} runs it, but ${variable.key} is passed through from the shell (${formatSpan(variable.span)}), so which profiles run is not known; shown with ${fileActive ? fileActiveAt : 'the default profile'}`,
      });
    } else {
      add({
        name: nameOf(fileActive ?? []),
        active: fileActive ?? [],
        env,
        note: `${env.source} runs it${fileActive ? `; ${fileActiveAt}` : ' with no profile set (the default profile)'}`,
      });
    }
  }
  if (fileActive)
    add({ name: nameOf(fileActive), active: fileActive, note: `${fileActiveAt}: what runs unless SPRING_PROFILES_ACTIVE says otherwise` });
  else add({ name: 'default', active: [] });
  for (const p of profilesFound(docs, settings)) {
    if (p !== 'default' && !hasPlaceholder(p)) add({ name: p, active: [p] });
  }
  return out;
}

/** A key in the form Boot compares names in, for placeholder look-ups (`spring.datasource.url`). */
function comparedName(key: string): string {
  return elementsOf(key)
    .map((e) => (e.indexed ? `[${e.text}]` : elementForm(e.text)))
    .join('.');
}

function lookupFor(docs: readonly ConfigDocument[], env: SpringEnvironment | undefined): (name: string) => Lookup | undefined {
  const properties = new Map<string, Entry>();
  for (const d of docs) for (const e of d.entries) properties.set(comparedName(e.key), e);
  const variables = env?.variables ?? [];
  return (name) => {
    // The environment comes first (higher precedence than config files), under the names Boot tries.
    for (const candidate of envCandidates(name)) {
      const v = variables.filter((x) => x.key === candidate).pop();
      if (!v) continue;
      if (v.text === null)
        return {
          value: '',
          where: '',
          fromEnvironment: true,
          entry: v,
          unknown: `is passed through from the shell that starts ${env?.source}`,
        };
      return { value: v.text, where: `environment ${v.key} (${formatSpan(v.span)})`, fromEnvironment: true, entry: v };
    }
    const p = properties.get(comparedName(name));
    if (p) return { value: p.text ?? '', where: `${p.rawKey ?? p.key} (${formatSpan(p.span)})`, fromEnvironment: false };
    return undefined;
  };
}

/** One location and profile: documents that repeat rather than override each other (datasource.ts, `Assignment.layer`). */
function layerOf(d: ConfigDocument): string {
  const when = [d.onProfile?.expressions.join(',') ?? '', d.onCloudPlatform?.text ?? ''].join('|');
  return `${d.file.app}|${d.file.tests}|${d.file.group}|${d.file.rank}|${d.file.profile ?? ''}|${when}`;
}

function assignmentsOf(docs: readonly ConfigDocument[], env: SpringEnvironment | undefined): Assignment[] {
  const out: Assignment[] = [];
  for (const d of docs) {
    for (const entry of d.entries) {
      const target = classifyKey(entry.key, false);
      if (target)
        out.push({
          entry,
          target,
          where: `${d.file.path}#${d.index}`,
          yamlPlain: d.file.yaml && isPlainYaml(entry.raw),
          layer: layerOf(d),
        });
    }
  }
  for (const entry of env?.variables ?? []) {
    const target = classifyKey(entry.key, true);
    if (target) out.push({ entry, target, envSource: env?.source as string, where: env?.source as string, yamlPlain: false });
  }
  return out;
}

/**
 * The file that names a configuration's pool (its id and, without a poolName, its name in messages): the
 * application's first non-profile file, else the file of the configuration's last profile, else the first.
 */
function poolPath(files: readonly ConfigFile[], profiles: readonly string[]): string {
  const sorted = [...files].sort(
    (a, b) => a.group - b.group || a.rank - b.rank || Number(!a.yaml) - Number(!b.yaml) || (a.path < b.path ? -1 : 1),
  );
  const base = sorted.find((f) => f.profile === undefined);
  if (base) return base.path;
  for (const p of [...profiles].reverse()) {
    const own = sorted.find((f) => f.profile === p);
    if (own) return own.path;
  }
  return sorted[0]?.path ?? '';
}

export function springPools(input: SpringInput): SpringOutput {
  const out: SpringOutput = { pools: [], problems: [], noPool: new Map() };
  const apps = new Map<string, ConfigFile[]>();
  for (const f of input.files) {
    const id = `${f.app}\0${f.tests ? 'tests' : 'main'}`;
    apps.set(id, [...(apps.get(id) ?? []), f]);
  }
  for (const [id, files] of [...apps.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [app = '.', kind] = id.split('\0');
    const tests = kind === 'tests';
    const docs = files.flatMap(documentsOf);
    out.problems.push(...profileProblems(docs));
    const settings = profileSettings(docs);
    const built: Array<{ pool: Pool; signature: string; configs: Configuration[] }> = [];
    let reason: string | undefined;
    const all = configurations(app, tests, docs, settings, input.environments);
    if (all.length > MAX_CONFIGURATIONS) {
      const first = files[0] as ConfigFile;
      const skipped = all.slice(MAX_CONFIGURATIONS).map((c) => c.name);
      out.problems.push({
        severity: 'note',
        span: first.entries[0]?.keySpan ?? { path: first.path, line: 1, column: 1, endLine: 1, endColumn: 1 },
        message: `${all.length} profile configurations for this application; only the first ${MAX_CONFIGURATIONS} are checked (not: ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', ...' : ''})`,
      });
    }
    for (const config of all.slice(0, MAX_CONFIGURATIONS)) {
      const profiles = effectiveProfiles(config.active, settings);
      const applied = applicableDocuments(docs, profiles);
      const result = buildDataSource({
        path: poolPath(files, profiles),
        environment: config.name,
        assignments: assignmentsOf(applied, config.env),
        lookup: lookupFor(applied, config.env),
        ...(input.hikariVersion ? { hikariVersion: input.hikariVersion } : {}),
      });
      out.problems.push(...result.problems);
      if (!result.pool) {
        reason ??= result.noPool;
        continue;
      }
      const same = built.find((b) => b.signature === result.signature);
      if (same) same.configs.push(config);
      else built.push({ pool: result.pool, signature: result.signature, configs: [config] });
    }
    if (built.length === 0) out.noPool.set(id, reason ?? 'no spring.datasource settings');
    for (const b of built) {
      const [first, ...others] = b.configs as [Configuration, ...Configuration[]];
      const notes = [
        ...(tests ? ['the test configuration (src/test/resources): used when the tests run'] : []),
        ...(first.note ? [first.note] : []),
        ...others.map((o) =>
          o.note ? `also ${o.name}: ${o.note}` : `profile ${o.name} gives the same pool (it changes no setting this pool reads)`,
        ),
      ];
      if (notes.length > 0) b.pool.environmentNote = notes.join('; ');
      out.pools.push(b.pool);
    }
  }
  return out;
}
