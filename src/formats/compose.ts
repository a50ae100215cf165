import type { LoadedProject, ProjectFiles } from '../interpreters/compose/build.js';
import type { Claim, ClaimedFile, Contribution, Declarations, Format, FormatContext, NotRead } from './format.js';

/*
 * Docker Compose files as `docker compose` finds them with no `-f` (compose-spec/compose-go cli/options.go
 * @ e70e961): in a folder, the first of compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml
 * that exists, merged with the first of compose.override.yml, compose.override.yaml,
 * docker-compose.override.yml, docker-compose.override.yaml that exists. Other names
 * (docker-compose.prod.yml) are read only when a command names them with `-f`, and which files a
 * deployment combines is not written in the repository, so they are listed as not read. A file with one
 * of these names but no top-level `services:` key defines no service.
 */

const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
const OVERRIDE_FILES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];
const VARIANT = /^(?:docker-)?compose\.[^/]+\.ya?ml$/;
/** A top-level `services:` key, in block style or in a flow (JSON) mapping. */
/** A top-level `include:` key (Compose 2.20+), in block style or in a flow (JSON) mapping. */
const INCLUDE_KEY = /^include[ \t]*:|^["']include["'][ \t]*:|[{,][ \t\r\n]*["']?include["']?[ \t]*:/m;
const SERVICES_KEY = /^services[ \t]*:|^["']services["'][ \t]*:|[{,][ \t\r\n]*["']?services["']?[ \t]*:/m;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}

function join(dir: string, name: string): string {
  return dir === '.' ? name : `${dir}/${name}`;
}

export function claimCompose(path: string, text: string): Claim | NotRead {
  const base = baseName(path);
  const isDefault = DEFAULT_FILES.includes(base);
  const isOverride = OVERRIDE_FILES.includes(base);
  if (!isDefault && !isOverride) {
    return {
      notRead: `not a default Compose file name: docker compose reads ${base} only when a command names it (-f), and which files are combined is not written in the repository`,
    };
  }
  if (!SERVICES_KEY.test(text)) {
    // `include:` pulls services from other Compose files (laradock's root docker-compose.yml).
    if (INCLUDE_KEY.test(text)) {
      return isDefault
        ? {
            owner: 'certain',
            reason: `${base} is a default Compose file name (docker compose reads it in its folder) with a top-level include: of other Compose files`,
          }
        : {
            owner: 'certain',
            reason: `${base} is a Compose override file name: docker compose merges it over the Compose file of its folder`,
          };
    }
    return { notRead: 'no top-level services: key, so it defines no Compose service' };
  }
  return isDefault
    ? {
        owner: 'certain',
        reason: `${base} is a default Compose file name (docker compose reads it in its folder) with a top-level services: key`,
      }
    : { owner: 'certain', reason: `${base} is a Compose override file name: docker compose merges it over the Compose file of its folder` };
}

/** The projects `docker compose` would load, and the claimed files it would not read, with why. */
export function composeProjects(
  paths: readonly string[],
  isFile: (path: string) => boolean,
): { projects: ProjectFiles[]; notRead: Array<{ path: string; reason: string }> } {
  const byDir = new Map<string, string[]>();
  for (const p of paths) {
    const dir = dirName(p);
    const list = byDir.get(dir);
    if (list) list.push(p);
    else byDir.set(dir, [p]);
  }
  const projects: ProjectFiles[] = [];
  const notRead: Array<{ path: string; reason: string }> = [];
  for (const [dir, claimed] of [...byDir].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const winner = DEFAULT_FILES.find((n) => isFile(join(dir, n)));
    const base = winner ? join(dir, winner) : undefined;
    if (!base) {
      for (const p of claimed)
        notRead.push({ path: p, reason: `no Compose file (${DEFAULT_FILES.join(', ')}) in its folder for it to override` });
      continue;
    }
    if (!claimed.includes(base)) {
      for (const p of claimed) notRead.push({ path: p, reason: `docker compose reads ${winner} in this folder, which defines no service` });
      continue;
    }
    const overrideName = OVERRIDE_FILES.find((n) => isFile(join(dir, n)));
    const override = overrideName ? join(dir, overrideName) : undefined;
    const files = override && claimed.includes(override) ? [base, override] : [base];
    projects.push({ dir, files });
    for (const p of claimed) {
      if (files.includes(p)) continue;
      notRead.push({
        path: p,
        reason: OVERRIDE_FILES.includes(baseName(p))
          ? `docker compose merges ${overrideName} in this folder (the first override name that exists), not ${baseName(p)}`
          : `docker compose reads ${winner} in this folder (the first of ${DEFAULT_FILES.join(', ')} that exists), not ${baseName(p)}`,
      });
    }
  }
  return { projects, notRead };
}

type Yaml = typeof import('../parsers/yaml.js');
type Dotenv = typeof import('../parsers/dotenv.js');
type MyCnf = typeof import('../parsers/my-cnf.js');
type Build = typeof import('../interpreters/compose/build.js');

interface Modules {
  yaml: Yaml;
  dotenv: Dotenv;
  myCnf: MyCnf;
  build: Build;
}

type Base = Omit<FormatContext, 'declarations'>;

/** declare and contribute see the same claimed files and view: the projects are loaded once for both. */
const loadedFor = new WeakMap<readonly ClaimedFile[], { view: Base['view']; value: ReturnType<typeof load> }>();

function load(files: readonly ClaimedFile[], ctx: Base, m: Modules) {
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const reader = {
    config: ctx.config,
    view: ctx.view,
    compose(path: string) {
      const text = texts.get(path) ?? ctx.view.readText(path);
      if (text === undefined) return undefined;
      const parsed = ctx.cache.get('compose', path, text, () => m.yaml.parseYaml(path, text));
      return { file: parsed.file, problems: parsed.problems };
    },
    dotenv(path: string) {
      if (!ctx.view.isFile(path)) return undefined;
      const text = ctx.view.readText(path);
      if (text === undefined) return undefined;
      return ctx.cache.get('dotenv', path, text, () => m.dotenv.parseDotenv(path, text));
    },
    optionFile(path: string, text: string) {
      return ctx.cache.get('mysql-option-file', path, text, () => m.myCnf.parseMyCnf(path, text));
    },
  };
  const { projects, notRead } = composeProjects(
    files.map((f) => f.path),
    (p) => ctx.view.isFile(p),
  );
  const loaded: LoadedProject[] = m.build.loadComposeProjects(projects, reader);
  return { reader, projects, notRead, loaded };
}

function loadOnce(files: readonly ClaimedFile[], ctx: Base, m: Modules): ReturnType<typeof load> {
  const held = loadedFor.get(files);
  if (held && held.view === ctx.view) return held.value;
  const value = load(files, ctx, m);
  loadedFor.set(files, { view: ctx.view, value });
  return value;
}

function declare(files: readonly ClaimedFile[], ctx: Base, m: Modules): Partial<Declarations> {
  const { reader, loaded } = loadOnce(files, ctx, m);
  return { environments: m.build.composeEnvironments(loaded, reader) };
}

function contribute(files: readonly ClaimedFile[], ctx: FormatContext, m: Modules): Contribution {
  const { reader, projects, notRead, loaded } = loadOnce(files, ctx, m);
  const problems: NonNullable<Contribution['problems']> = [];
  const extra = new Set(loaded.flatMap((l) => l.project.extraFiles));
  for (const path of [...new Set([...projects.flatMap((p) => p.files), ...extra])]) {
    problems.push(...(reader.compose(path)?.problems ?? []));
  }
  const model = m.build.composeModel(loaded, reader);
  problems.push(...model.problems);
  return {
    servers: model.servers,
    hosts: model.hosts,
    problems,
    replacesServers: model.optionFiles,
    files: [
      ...notRead.map((n) => ({ path: n.path, read: false, reason: n.reason })),
      ...model.files.map((f) => ({ path: f.path, read: true, owner: 'certain' as const, reason: f.reason })),
    ],
  };
}

export const compose: Format = {
  id: 'compose',
  name: 'Docker Compose file',
  matchesName(path) {
    const base = baseName(path);
    return DEFAULT_FILES.includes(base) || OVERRIDE_FILES.includes(base) || VARIANT.test(base);
  },
  encoding: 'utf8',
  claim: claimCompose,
  async load() {
    const [yaml, dotenv, myCnf, build] = await Promise.all([
      import('../parsers/yaml.js'),
      import('../parsers/dotenv.js'),
      import('../parsers/my-cnf.js'),
      import('../interpreters/compose/build.js'),
    ]);
    const m: Modules = { yaml, dotenv, myCnf, build };
    return {
      declare: (files, ctx) => declare(files, ctx, m),
      contribute: (files, ctx) => contribute(files, ctx, m),
    };
  },
};
