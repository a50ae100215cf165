/**
 * What a Compose project contributes: database services become servers (server.ts), application
 * services built from a folder of the repository get a container host there (host.ts), and every
 * application service declares the environment its container receives (environment.ts), for the formats
 * that read that application's own configuration.
 */
import type { Config } from '../../config/config.js';
import type { FileTreeView } from '../../discover/file-tree.js';
import type { AppEnvironment } from '../../formats/format.js';
import type { Host, Server } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { formatSpan, lineSpan, type Span } from '../../model/span.js';
import type { DotenvDoc } from '../../parsers/dotenv.js';
import type { MyCnfDoc } from '../../parsers/my-cnf.js';
import type { ParseResult } from '../../parsers/parse-result.js';
import type { YamlFile } from '../../parsers/yaml.js';
import { KEEPALIVE_TIME } from '../linux/keepalive.js';
import { envFileLookup, projectEnvironment, type ProjectEnvironment, serviceVariables, treePath } from './environment.js';
import { baseImage } from './dockerfile.js';
import { containerHost, hostNetworkSysctlProblems } from './host.js';
import { type DatabaseImage, databaseImage } from './image.js';
import { type Interpolated, knownText } from './interpolate.js';
import { type ComposeProject, loadProject, type ServiceDef } from './project.js';
import { buildComposeServer } from './server.js';

export interface ComposeReader {
  config: Config;
  view: FileTreeView;
  /** A Compose file parsed (through the parse cache); undefined when it is not in the tree. */
  compose(path: string): { file: YamlFile; problems: Problem[] } | undefined;
  dotenv(path: string): ParseResult<DotenvDoc> | undefined;
  optionFile(path: string, text: string): ParseResult<MyCnfDoc>;
}

/** The files of one project, in merge order (the default file, then its override). */
export interface ProjectFiles {
  dir: string;
  files: string[];
}

export interface LoadedProject {
  project: ComposeProject;
  env: ProjectEnvironment;
  /** Compose would refuse to load it: nothing of it runs. */
  refused: boolean;
  problems: Problem[];
}

function hasError(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** Loads each project; YAML problems of its own files are the caller's (reported once per file). */
export function loadComposeProjects(groups: readonly ProjectFiles[], reader: ComposeReader): LoadedProject[] {
  const all = loadEach(groups, reader);
  // A file another project includes is part of that project, not a project of its own (laradock's mariadb/compose.yml).
  const included = new Set(all.flatMap((l) => l.project.included.map((i) => i.path)));
  return all.filter((l) => !l.project.files.some((f) => included.has(f)));
}

function loadEach(groups: readonly ProjectFiles[], reader: ComposeReader): LoadedProject[] {
  const loaded: LoadedProject[] = [];
  for (const group of groups) {
    const sources = group.files.flatMap((path) => {
      const parsed = reader.compose(path);
      return parsed ? [{ path, file: parsed.file, problems: parsed.problems }] : [];
    });
    const env = projectEnvironment(group.dir, reader.dotenv);
    const project = loadProject(
      group.dir,
      sources.map((s) => ({ path: s.path, file: s.file })),
      {
        lookup: env.lookup,
        readCompose: (path) => {
          const parsed = reader.compose(path);
          return parsed && !hasError(parsed.problems) ? { path, file: parsed.file } : undefined;
        },
        readEnvFile: (path) => envFileLookup(path, reader.dotenv),
      },
    );
    // Compose refuses a file it cannot parse (go-yaml rejects what the YAML problems report as errors), and
    // the whole project when a service's env_file cannot be read (types/project.go WithServicesEnvironmentResolved).
    const unreadable = sources.some((s) => hasError(s.problems));
    const envFiles = [...project.services.values()].map((s) => serviceVariables(s, env.lookup, reader.dotenv));
    loaded.push({
      project,
      env,
      refused: unreadable || project.refused || env.refused || envFiles.some((v) => v.refused),
      problems: [...env.problems, ...project.problems, ...envFiles.flatMap((v) => v.problems)],
    });
  }
  return loaded;
}

function text(s: { value: Interpolated | null } | undefined): string | undefined {
  return s?.value ? knownText(s.value) : undefined;
}

interface DatabaseService {
  image: DatabaseImage;
  /** Where the image is named. */
  span: Span;
  /** That place in words. */
  from: string;
  /** The Dockerfile read, when the service is built. */
  dockerfile?: string;
}

const classified = new WeakMap<ServiceDef, DatabaseService | null>();

/**
 * The database server a service runs: its `image:` when that names a MySQL or MariaDB image, else, for a
 * service built from a folder, the base image of its Dockerfile (`FROM mysql:5.7`): `image:` then only
 * names the result (`image: job-db:0.0.1`).
 */
function databaseOf(service: ServiceDef, view: FileTreeView): DatabaseService | undefined {
  const held = classified.get(service);
  if (held !== undefined) return held ?? undefined;
  let found: DatabaseService | undefined;
  const ref = text(service.image);
  const image = ref === undefined ? undefined : databaseImage(ref);
  if (image && service.image) found = { image, span: service.image.span, from: `image ${image.ref}` };
  const context = contextDir(service);
  if (!found && context !== undefined && service.build) {
    const name = service.build.dockerfile ? text(service.build.dockerfile) : 'Dockerfile';
    const path = name === undefined ? undefined : treePath(context, name);
    const content = path === undefined ? undefined : view.readText(path);
    const base = content === undefined ? undefined : baseImage(content);
    const fromImage = base?.image === undefined ? undefined : databaseImage(base.image);
    if (path && base && fromImage) {
      found = {
        image: fromImage,
        span: lineSpan(path, base.line, 1, base.written.length),
        from: `built from ${context} on image ${fromImage.ref}`,
        dockerfile: path,
      };
    }
  }
  classified.set(service, found ?? null);
  return found;
}

/** Folders of the repository an application container runs: its build context, then the folders mounted into it. */
function appFolders(service: ServiceDef, context: string, view: FileTreeView): string[] {
  const folders = [context];
  for (const v of service.volumes) {
    if (v.spec.type !== 'bind') continue;
    const p = treePath(v.dir, v.spec.source);
    if (p !== undefined && view.isDirectory(p) && !folders.includes(p)) folders.push(p);
  }
  return folders;
}

/** The folder a service is built from, relative to the scanned root; undefined for none, a URL or a path outside. */
function contextDir(service: ServiceDef): string | undefined {
  const build = service.build;
  if (!build) return undefined;
  // `build:` with no context builds from the folder of the file that says so.
  if (!build.context) return treePath(build.base, '.');
  const ctx = text(build.context);
  if (ctx === undefined || /^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\//i.test(ctx)) return undefined;
  return treePath(build.base, ctx === '' ? '.' : ctx);
}

function who(service: ServiceDef): string {
  return `service ${service.name} in ${service.files.join(' + ')}`;
}

/** The environment each application service's container receives, keyed to the folder of its application. */
export function composeEnvironments(loaded: readonly LoadedProject[], reader: ComposeReader): AppEnvironment[] {
  const out: AppEnvironment[] = [];
  for (const { project, env, refused } of loaded) {
    if (refused) continue;
    for (const service of project.services.values()) {
      if (databaseOf(service, reader.view) || (!service.build && !service.image)) continue;
      const context = contextDir(service);
      if (service.build && context === undefined) continue;
      const vars = serviceVariables(service, env.lookup, reader.dotenv);
      // An image-only service that receives no variable says nothing about an application.
      if (vars.refused || (context === undefined && vars.variables.length === 0)) continue;
      const image = text(service.image);
      out.push({
        appDir: context ?? project.dir,
        source:
          context !== undefined
            ? `${who(service)} (built from ${context})`
            : `${who(service)} (image ${image ?? 'unknown'}, not built here: assumed to run the application configured in ${project.dir === '.' ? 'the scanned root' : project.dir})`,
        variables: vars.variables,
      });
    }
  }
  return out;
}

export interface ComposeModel {
  servers: Server[];
  hosts: Host[];
  problems: Problem[];
  /** Option files the servers read (their own option-file servers are replaced). */
  optionFiles: string[];
  /** Files read beyond the Compose files, with why. */
  files: Array<{ path: string; reason: string }>;
}

/** Servers, container hosts and problems of the projects. */
export function composeModel(loaded: readonly LoadedProject[], reader: ComposeReader): ComposeModel {
  const out: ComposeModel = { servers: [], hosts: [], problems: [], optionFiles: [], files: [] };
  const listed = new Set<string>();
  const list = (path: string, reason: string) => {
    if (listed.has(path)) return;
    listed.add(path);
    out.files.push({ path, reason });
  };
  for (const { project, env, refused, problems } of loaded) {
    out.problems.push(...problems);
    const first = project.files[0] ?? '';
    if (env.file) list(env.file, `variables for interpolating ${project.files.join(' + ')} (Compose reads .env from the project folder)`);
    for (const f of project.extraFiles) list(f, `extended by a service of ${first}`);
    for (const i of project.included) list(i.path, `included by ${formatSpan(i.by)} (top-level include:)`);
    if (refused) continue;
    for (const service of project.services.values()) {
      const file = service.files.find((f) => project.files.includes(f)) ?? first;
      const database = databaseOf(service, reader.view);
      if (database) {
        if (database.dockerfile) list(database.dockerfile, `its FROM names the image service ${service.name} of ${first} runs`);
        const built = buildComposeServer({
          service,
          file,
          image: database.image,
          imageSpan: database.span,
          imageFrom: database.from,
          config: reader.config,
          view: reader.view,
          parseOptionFile: reader.optionFile,
        });
        out.servers.push(built.server);
        out.problems.push(...built.problems);
        out.optionFiles.push(...built.optionFiles);
        for (const [path, reason] of built.mountedAt) {
          // A file the option-file format already lists under its own name keeps that listing.
          if (!/\.cnf$|(^|\/)my\.ini$/i.test(path)) list(path, reason);
        }
        continue;
      }
      const vars = serviceVariables(service, env.lookup, reader.dotenv);
      for (const f of vars.files) list(f, `env_file of ${who(service)}`);
      const mode = service.networkMode ? text(service.networkMode) : undefined;
      if (mode === 'host') {
        out.problems.push(
          ...hostNetworkSysctlProblems(service, formatSpan((service.networkMode as NonNullable<ServiceDef['networkMode']>).span)),
        );
        continue;
      }
      const context = contextDir(service);
      if (context === undefined || mode === 'none') continue;
      let owner: ServiceDef | undefined = service;
      let unknown: string | undefined;
      if (service.networkMode && mode === undefined)
        unknown = `network_mode of service ${service.name} depends on a value the repository does not set`;
      else if (mode?.startsWith('service:')) owner = project.services.get(mode.slice('service:'.length));
      else if (mode?.startsWith('container:'))
        unknown = `service ${service.name} uses the network namespace of container ${mode.slice('container:'.length)}, which is not in the repository`;
      if (!owner) continue;
      appFolders(service, context, reader.view).forEach((folder, i) => {
        const host = containerHost({ service, file, context: folder, namespaceOwner: owner as ServiceDef });
        // Folders mounted into the container run there too: one host each, named after the folder.
        if (i > 0) host.host.id = `${host.host.id}@${folder}`;
        if (unknown) {
          const held = host.host.settings.get(KEEPALIVE_TIME);
          if (held) host.host.settings.set(KEEPALIVE_TIME, { ...held, value: { kind: 'unknown', reason: unknown } });
        }
        out.hosts.push(host.host);
        if (owner === service && i === 0) out.problems.push(...host.problems);
      });
    }
  }
  out.optionFiles = [...new Set(out.optionFiles)];
  return out;
}
