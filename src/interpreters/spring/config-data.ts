/**
 * Spring Boot's config data (spring-boot.md, "Syntax and parsing facts"; Boot reference,
 * external-config.adoc "Config data files are considered in the following order" and "Profile Specific
 * Files"): which files and documents an application reads for a set of active profiles, and in which
 * order they override each other, key by key.
 *
 * Order, lowest first: files on the classpath (`src/main/resources`: the root, then `config/`), then
 * profile-specific files on the classpath, then files in the current directory (`./`, `./config/`,
 * `./config/*\/`), then profile-specific files there. Within one location `.properties` beats YAML; several
 * active profiles: the last one listed wins; within a file, later documents win; a document with
 * `spring.config.activate.on-profile` counts only when its expression matches. Environment variables
 * (a Compose `environment:` of the service that runs the application) come after every file.
 */
import type { Entry } from '../../model/entry.js';
import type { Problem } from '../../model/problem.js';
import type { Span } from '../../model/span.js';
import { formatSpan } from '../../model/span.js';
import { matchesProfiles, profileNames, splitProfiles } from './profiles.js';
import { afterPrefix, elementForm, elementsOf, type NameElement } from './relaxed-names.js';

/** One Spring configuration file, read and placed by the format. */
export interface ConfigFile {
  path: string;
  /** The application folder it belongs to (`.` for the root); files of one application are merged. */
  app: string;
  /** Under `src/test/resources`: the test configuration, merged only with other test files. */
  tests: boolean;
  /** 0: on the classpath (`src/main/resources`); 1: in the directory the application runs from. */
  group: 0 | 1;
  /** The location within its group, in Boot's order (classpath root 0, classpath config/ 1; ./ 0, ./config/ 1, ./config/*\/ 2). */
  rank: number;
  /** From the file name `application-{profile}.*`. */
  profile?: string;
  yaml: boolean;
  /** Every entry, with its document index. */
  entries: Entry[];
}

/** One document of one file, and when it applies. */
export interface ConfigDocument {
  file: ConfigFile;
  index: number;
  entries: Entry[];
  /** `spring.config.activate.on-profile` (or legacy `spring.profiles`) expressions, when set. */
  onProfile?: { expressions: string[]; entry: Entry; legacy: boolean };
  /** `spring.config.activate.on-cloud-platform`: applies only on that platform, which a file cannot show. */
  onCloudPlatform?: Entry;
}

/** An environment that runs an application (`SPRING_PROFILES_ACTIVE` and other variables). */
export interface RunEnvironment {
  /** For messages: `service app in docker-compose.yml`. */
  source: string;
  variables: Entry[];
}

const ON_PROFILE = ['spring', 'config', 'activate', 'onprofile'];
const ON_CLOUD = ['spring', 'config', 'activate', 'oncloudplatform'];
const PROFILES = ['spring', 'profiles'];

/** Values of a key written as a comma list or as a YAML/indexed list (`key[0]`, `key[1]`). */
function listValues(
  entries: readonly Entry[],
  match: (rest: NameElement[]) => boolean,
  prefix: string[],
): { values: string[]; entry: Entry } | undefined {
  let found: { values: string[]; entry: Entry } | undefined;
  const indexed: string[] = [];
  let indexedEntry: Entry | undefined;
  for (const e of entries) {
    const rest = afterPrefix(elementsOf(e.key), prefix);
    if (!rest || !match(rest)) continue;
    const last = rest[rest.length - 1];
    if (last?.indexed) {
      indexed.push(...splitProfiles(e.text ?? ''));
      indexedEntry = e;
    } else found = { values: splitProfiles(e.text ?? ''), entry: e };
  }
  if (indexedEntry) return { values: indexed, entry: indexedEntry };
  return found;
}

/** Splits a file into documents and reads each one's activation. */
export function documentsOf(file: ConfigFile): ConfigDocument[] {
  const byIndex = new Map<number, Entry[]>();
  for (const e of file.entries) {
    const i = e.document ?? 0;
    const held = byIndex.get(i);
    if (held) held.push(e);
    else byIndex.set(i, [e]);
  }
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, entries]) => {
      const doc: ConfigDocument = { file, index, entries };
      const on = listValues(entries, (rest) => rest.length === 0 || (rest.length === 1 && rest[0]?.indexed === true), ON_PROFILE);
      const legacy = listValues(entries, (rest) => rest.length === 0 || (rest.length === 1 && rest[0]?.indexed === true), PROFILES);
      if (on) doc.onProfile = { expressions: on.values, entry: on.entry, legacy: false };
      else if (legacy) doc.onProfile = { expressions: legacy.values, entry: legacy.entry, legacy: true };
      const cloud = entries.find((e) => afterPrefix(elementsOf(e.key), ON_CLOUD)?.length === 0);
      if (cloud) doc.onCloudPlatform = cloud;
      return doc;
    });
}

/** What the application's non-profile, unconditional documents say about profiles. */
export interface ProfileSettings {
  active?: { values: string[]; entry: Entry };
  include?: { values: string[]; entry: Entry };
  groups: Map<string, string[]>;
}

function isProfileSpecific(doc: ConfigDocument): boolean {
  return doc.file.profile !== undefined || doc.onProfile !== undefined;
}

export function profileSettings(docs: readonly ConfigDocument[]): ProfileSettings {
  const settings: ProfileSettings = { groups: new Map() };
  for (const doc of orderedBase(docs)) {
    if (isProfileSpecific(doc) || doc.onCloudPlatform) continue;
    const active = listValues(doc.entries, (rest) => isNamed(rest, 'active'), PROFILES);
    if (active) settings.active = active;
    const include = listValues(doc.entries, (rest) => isNamed(rest, 'include'), PROFILES);
    if (include) settings.include = include;
    for (const e of doc.entries) {
      const rest = afterPrefix(elementsOf(e.key), [...PROFILES, 'group']);
      const name = rest?.[0];
      if (!rest || !name) continue;
      settings.groups.set(name.text, splitProfiles(e.text ?? ''));
    }
  }
  return settings;
}

function isNamed(rest: NameElement[], name: string): boolean {
  const first = rest[0];
  return (
    first !== undefined &&
    !first.indexed &&
    elementForm(first.text) === name &&
    (rest.length === 1 || (rest.length === 2 && rest[1]?.indexed === true))
  );
}

/** Problems Boot reports about where profile keys are written (spring-boot.md, spring.profiles.*, spring.profiles). */
export function profileProblems(docs: readonly ConfigDocument[]): Problem[] {
  const problems: Problem[] = [];
  for (const doc of docs) {
    if (doc.onProfile?.legacy) {
      problems.push({
        ruleId: 'startup-failure',
        severity: 'warning',
        span: doc.onProfile.entry.keySpan,
        message:
          `${doc.onProfile.entry.rawKey ?? doc.onProfile.entry.key} activates this document the pre-2.4 way: Spring Boot 2.4 to 2.7 still honour it with a deprecation warning, ` +
          "and from 3.0 the application does not start (\"Property 'spring.profiles' ... is invalid and should be replaced with 'spring.config.activate.on-profile'\"). " +
          'The Spring Boot version is not known here. Write spring.config.activate.on-profile instead',
      });
    }
    if (!isProfileSpecific(doc)) continue;
    for (const e of doc.entries) {
      const rest = afterPrefix(elementsOf(e.key), PROFILES);
      const which = ['active', 'include', 'default'].find((w) => rest !== undefined && isNamed(rest, w));
      if (!which) continue;
      problems.push({
        ruleId: 'startup-failure',
        severity: 'warning',
        span: e.keySpan,
        message:
          `${e.rawKey ?? e.key} is written in a profile-specific ${doc.file.profile ? 'file' : 'document'}: from Spring Boot 2.4.2 the application does not start ` +
          `("Property 'spring.profiles.${which}' imported from location ... is invalid in a profile specific resource"). ` +
          'The Spring Boot version is not known here. Set it in application.yml or application.properties, or in the environment',
      });
    }
  }
  return problems;
}

/** Every profile the application's files name: file names, activation expressions, active/include lists, groups. */
export function profilesFound(docs: readonly ConfigDocument[], settings: ProfileSettings): string[] {
  const found = new Set<string>();
  for (const doc of docs) {
    if (doc.file.profile) found.add(doc.file.profile);
    for (const x of doc.onProfile?.expressions ?? []) for (const p of profileNames(x)) found.add(p);
  }
  for (const p of [...(settings.active?.values ?? []), ...(settings.include?.values ?? [])]) found.add(p);
  for (const [name, members] of settings.groups) {
    found.add(name);
    for (const m of members) found.add(m);
  }
  return [...found].sort();
}

/**
 * The profiles in force, in order (spring-boot.md: included profiles come before active ones; a group
 * adds its members after the profile; no active profile means `default`).
 */
export function effectiveProfiles(active: readonly string[], settings: ProfileSettings): string[] {
  const out: string[] = [];
  const add = (p: string, depth: number) => {
    if (out.includes(p) || depth > 10) return;
    out.push(p);
    for (const m of settings.groups.get(p) ?? []) add(m, depth + 1);
  };
  for (const p of settings.include?.values ?? []) add(p, 0);
  for (const p of active) add(p, 0);
  // With no profile active, Boot activates its default profiles: `default` (profiles.adoc).
  if (out.length === 0) add('default', 0);
  return out;
}

/** Files of the application in the order Boot reads them, before profiles: by group, location, YAML before properties. */
function orderedBase(docs: readonly ConfigDocument[]): ConfigDocument[] {
  return docs.filter((d) => d.file.profile === undefined).sort(compareDocs);
}

function compareDocs(a: ConfigDocument, b: ConfigDocument): number {
  return (
    a.file.group - b.file.group ||
    a.file.rank - b.file.rank ||
    // In one location `.properties` takes precedence over YAML, so it is applied after it.
    Number(!a.file.yaml) - Number(!b.file.yaml) ||
    (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0) ||
    a.index - b.index
  );
}

/**
 * The documents that apply for these profiles, lowest precedence first. Profile-specific files follow
 * the non-profile files of their location group (classpath, then current directory); several profiles:
 * for each profile in order, each location in order (the last-wins strategy per location group).
 */
export function applicableDocuments(docs: readonly ConfigDocument[], profiles: readonly string[]): ConfigDocument[] {
  const active = new Set(profiles);
  const applies = (d: ConfigDocument) => !d.onCloudPlatform && (!d.onProfile || matchesProfiles(d.onProfile.expressions, active) === true);
  const out: ConfigDocument[] = [];
  for (const group of [0, 1] as const) {
    out.push(...orderedBase(docs).filter((d) => d.file.group === group && applies(d)));
    for (const p of profiles) {
      out.push(...docs.filter((d) => d.file.group === group && d.file.profile === p && applies(d)).sort(compareDocs));
    }
  }
  return out;
}

/** `SPRING_PROFILES_ACTIVE=prod in docker-compose.yml:14` */
export function variableAt(e: Entry): string {
  return `${e.rawKey ?? e.key}${e.text === null ? '' : `=${e.text}`} in ${formatSpan(e.span)}`;
}

export function spanText(span: Span): string {
  return formatSpan(span);
}
