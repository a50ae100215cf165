/**
 * A Compose service that runs a MySQL or MariaDB image is a server (mysql-server.md, "Managed services
 * and images"): the option files the image's mysqld reads, with the service's bind mounts laid over the
 * image (container-files.ts), then the arguments its `command:` passes to mysqld, applied after every
 * option file as mysqld applies its command line (mysql-option-files.md). Both are read by the MySQL
 * server interpreter through ServerSource, with the same names, values, groups and clamps as any option
 * file; the server answers to the service's host names on the Compose network.
 */
import type { Config } from '../../config/config.js';
import type { FileTreeView } from '../../discover/file-tree.js';
import type { Entry } from '../../model/entry.js';
import type { Server } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { overridesOf, replacedOf, type Setting } from '../../model/setting.js';
import { formatSpan, type Span } from '../../model/span.js';
import { resolveOptionFileTree } from '../../parsers/my-cnf-tree.js';
import { type MyCnfDoc, optionEntry } from '../../parsers/my-cnf.js';
import type { ParseResult } from '../../parsers/parse-result.js';
import { type Argument, type CommandLine, readCommandLine } from '../mysql/command-line.js';
import { buildFileServers, defaultServerSettings, type ServerOption } from '../mysql/server.js';
import { serverGroups } from '../mysql/groups.js';
import { canonicalOptionName } from '../mysql/variables.js';
import { type ContainerMount, ContainerView, containerPath, imageFiles } from './container-files.js';
import { type DatabaseImage, describeLayout } from './image.js';
import { knownText, type Piece, unknownReason } from './interpolate.js';
import { type CommandDef, type ServiceDef, subSpan } from './project.js';
import { splitShellWords } from './shell-words.js';
import { treePath } from './environment.js';

/** Spans of the image's own files start with this: never shown, re-anchored to the `image:` line. */
const IMAGE_FILE = '\u0000image:';

export interface ComposeServerInput {
  service: ServiceDef;
  /** The Compose file that defines the service. */
  file: string;
  image: DatabaseImage;
  /** Where the image is named: the `image:` value, or the `FROM` line of the Dockerfile the service is built from. */
  imageSpan: Span;
  /** That place in words (`image mysql:8.0`, `built from docker/mysql (FROM mysql:5.7)`). */
  imageFrom: string;
  config: Config;
  view: FileTreeView;
  /** Parses an option file (through the parse cache) under the path given. */
  parseOptionFile(path: string, text: string): ParseResult<MyCnfDoc>;
}

export interface ComposeServer {
  server: Server;
  problems: Problem[];
  /** Repository option files the server reads (their own servers are this one). */
  optionFiles: string[];
  /** Reasons for the listing, by option file. */
  mountedAt: Map<string, string>;
}

/** The markers a string command carries for unknown parts: one private-use character per part. */
const MARK = 0xe000;

function argumentFromPieces(pieces: Piece[], span: Span, sub: Argument['sub']): Argument {
  let text = '';
  for (const p of pieces) {
    if (typeof p !== 'string') return { text, unknown: p.unknown, span, sub };
    text += p;
  }
  return { text, span, sub };
}

/** The arguments of a command as Compose passes them (a string split like a shell, a list as is). */
export function commandArguments(command: CommandDef, problems: Problem[]): Argument[] {
  if (command.kind === 'list') {
    return command.items.map((s) => {
      const exact = !s.value?.used.length;
      const sub = (from: number, to: number) => (exact ? subSpan(s, from, to) : s.span);
      return argumentFromPieces(s.value?.pieces ?? [s.text ?? ''], s.span, sub);
    });
  }
  const s = command.str;
  const pieces = s.value?.pieces ?? [s.text ?? ''];
  const reasons: string[] = [];
  let line = '';
  for (const p of pieces) {
    if (typeof p === 'string') line += p;
    else {
      line += String.fromCharCode(MARK + Math.min(reasons.length, 0x18ff));
      reasons.push(p.unknown);
    }
  }
  const split = splitShellWords(line);
  if (split.error) {
    problems.push({ severity: 'error', message: `${split.error} in command; Compose refuses the project`, span: s.span });
    return [];
  }
  const exact = !s.value?.used.length;
  return split.words.map((w) => {
    const at = exact ? subSpan(s, w.start, w.end) : s.span;
    const sub = (from: number, to: number) => (exact ? subSpan(s, w.start + from, w.start + to) : at);
    const marked = [...w.text].findIndex((c) => (c.codePointAt(0) as number) >= MARK && (c.codePointAt(0) as number) < MARK + 0x1900);
    if (marked < 0) return { text: w.text, span: at, sub };
    const reason = reasons[(w.text.codePointAt(marked) as number) - MARK] ?? 'unknown value';
    return { text: [...w.text].slice(0, marked).join(''), unknown: reason, span: at, sub };
  });
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The service's bind mounts as container paths over repository paths. */
function mountsOf(service: ServiceDef, view: FileTreeView): ContainerMount[] {
  const mounts: ContainerMount[] = [];
  for (const v of service.volumes) {
    if (!v.spec.target.startsWith('/')) continue;
    const target = containerPath(v.spec.target);
    let source: string | undefined;
    if (v.spec.type === 'bind') {
      const p = treePath(v.dir, v.spec.source);
      if (p !== undefined && (view.isFile(p) || view.isDirectory(p))) source = p;
    }
    mounts.push({ target, ...(source !== undefined ? { source } : {}), written: v.spec.source || `(${v.spec.type})`, span: v.span });
  }
  return mounts;
}

const OPTION_DIRS = /^(etc\/my\.cnf|etc\/my\.cnf\.d|etc\/mysql)(\/|$)/;

/** A repository file, or the files under a folder (a few levels, a bounded number). */
function filesUnder(view: FileTreeView, path: string): string[] {
  if (view.isFile(path)) return [path];
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const name of view.listDir(dir) ?? []) {
      if (out.length >= 1000) return;
      const p = dir === '.' ? name : `${dir}/${name}`;
      if (view.isFile(p)) out.push(p);
      else if (depth < 3 && view.isDirectory(p)) walk(p, depth + 1);
    }
  };
  walk(path, 0);
  return out;
}

/** One server from a database service. */
export function buildComposeServer(input: ComposeServerInput): ComposeServer {
  const { service, file, image, config, view } = input;
  const problems: Problem[] = [];
  const notes: string[] = [];
  const where = formatSpan(input.imageSpan);
  const version = image.version;
  const product = `${image.product}${version ? ` ${version}` : ', version unknown'}`;
  notes.push(
    image.layout
      ? `${input.imageFrom} (${where}): ${product}; ${describeLayout(image.layout)}`
      : `${input.imageFrom} (${where}): ${product}; how this image lays out its option files is not known, so only files mounted on /etc/my.cnf or /etc/mysql/my.cnf are read`,
  );
  if (service.build)
    notes.push(
      `the service is built (${formatSpan(service.build.span)}): what its Dockerfile copies or runs after FROM may change the option files; it is not read`,
    );
  if (service.profiles.length > 0) notes.push(`started only with the Compose profile ${service.profiles.join(' or ')}`);

  // What mysqld is started with.
  let args: Argument[] = [];
  let argsAt: Span | undefined;
  const commandProblems: Problem[] = [];
  if (service.entrypoint) {
    notes.push(
      `entrypoint is replaced (${formatSpan(service.entrypoint.kind === 'string' ? service.entrypoint.str.span : service.entrypoint.span)}), so how mysqld is started is not known; command options are not read`,
    );
  } else if (image.layout === 'bitnami') {
    const extra = service.environment.get(image.flavor === 'mysql' ? 'MYSQL_EXTRA_FLAGS' : 'MARIADB_EXTRA_FLAGS');
    if (service.command) {
      const command = commandArguments(service.command, commandProblems);
      const first = command[0];
      if (first?.text.startsWith('-')) {
        problems.push({
          severity: 'warning',
          span: first.span,
          ruleId: 'setting-ignored-by-library',
          message: `the bitnami image runs command: as a program (its entrypoint ends with exec "$@"), so ${first.text} is not passed to mysqld; pass server flags in ${image.flavor === 'mysql' ? 'MYSQL_EXTRA_FLAGS' : 'MARIADB_EXTRA_FLAGS'}`,
        });
      }
    }
    if (extra?.item && extra.value) {
      // run.sh splits the variable on blanks, without quotes.
      const s = extra.item;
      const full = s.value ? knownText(s.value) : (s.text ?? undefined);
      if (full === undefined)
        notes.push(`${extra.key} depends on a value the repository does not set: ${(s.value && unknownReason(s.value)) ?? ''}`);
      else {
        const offset = extra.valueOffset ?? 0;
        const exact = !s.value?.used.length;
        for (const m of full.slice(offset).matchAll(/\S+/g)) {
          const from = offset + (m.index ?? 0);
          const to = from + m[0].length;
          args.push({
            text: m[0],
            span: exact ? subSpan(s, from, to) : s.span,
            sub: (a, b) => (exact ? subSpan(s, from + a, from + b) : s.span),
          });
        }
        argsAt = s.span;
      }
    }
  } else if (service.command) {
    const command = commandArguments(service.command, commandProblems);
    const first = command[0];
    argsAt = service.command.kind === 'string' ? service.command.str.span : service.command.span;
    if (first && first.unknown === undefined && first.text.startsWith('-')) args = command;
    else if (first && first.unknown === undefined && ['mysqld', 'mariadbd'].includes(basename(first.text))) args = command.slice(1);
    else if (first) {
      notes.push(
        first.unknown !== undefined
          ? `command (${formatSpan(argsAt)}) depends on a value the repository does not set, so what it runs is unknown: ${first.unknown}`
          : `command (${formatSpan(argsAt)}) runs ${first.text}, not mysqld with options: options in it are not read`,
      );
    }
  }
  problems.push(...commandProblems);
  const line: CommandLine = readCommandLine(args, 'mysqld');
  problems.push(...line.problems);
  notes.push(...line.notes);
  if (line.defaults.groupSuffix)
    notes.push(`--defaults-group-suffix=${line.defaults.groupSuffix.suffix} is not modelled: the groups with that suffix are not read`);

  // The option files the container's mysqld reads.
  const mounts = mountsOf(service, view);
  const layout = imageFiles(image.layout, image.flavor);
  const container = new ContainerView(view, mounts, layout);
  const touched = container.touched;
  const parse = (path: string, text: string): ParseResult<MyCnfDoc> => {
    const repo = container.repoPath(path);
    return input.parseOptionFile(repo ?? `${IMAGE_FILE}/${containerPath(path)}`, text);
  };
  let roots: string[] = [];
  if (line.defaults.noDefaults) notes.push(`--no-defaults (${formatSpan(line.defaults.noDefaults)}): mysqld reads no option file`);
  else if (line.defaults.file) roots = [containerPath(line.defaults.file.path)];
  else {
    roots = [...layout.defaults];
    if (line.defaults.extraFile) roots.push(containerPath(line.defaults.extraFile.path));
  }
  const options: ServerOption[] = [];
  const read: string[] = [];
  const mountedAt = new Map<string, string>();
  for (const root of roots) {
    if (!container.isFile(root)) {
      const place = container.place(root);
      if (place.kind === 'unknown') {
        notes.push(
          `/${root} is mounted from ${place.mount.written} (${formatSpan(place.mount.span)}), which is not in the scanned tree: what mysqld reads there is unknown`,
        );
      } else if (line.defaults.file && place.kind === 'repo') {
        problems.push({
          severity: 'error',
          ruleId: 'startup-failure',
          span: line.defaults.file.span,
          message: `Could not open required defaults file: /${root} (${place.path} is not in the mounted folder): mysqld refuses to start`,
        });
      } else if (line.defaults.file || line.defaults.extraFile) {
        notes.push(`/${root} is not mounted from the repository: what mysqld reads there is unknown`);
      }
      continue;
    }
    const tree = resolveOptionFileTree(root, container, parse, { mounts: { '/': '.' } });
    for (const f of tree.files) {
      const repo = container.repoPath(f);
      if (repo === undefined) continue;
      read.push(repo);
      const m = container.mountOf(f);
      if (m)
        mountedAt.set(repo, `mounted into service ${service.name} at /${containerPath(f)} (${formatSpan(m.span)}), so its server reads it`);
    }
    for (const o of tree.options) {
      const via = o.via.map((span) => (span.path.startsWith(IMAGE_FILE) ? (container.mountOf(o.file)?.span ?? input.imageSpan) : span));
      options.push({ entry: optionEntry(o.option), via });
    }
    for (const p of tree.problems) {
      if (p.span.path.startsWith(IMAGE_FILE))
        problems.push({ ...p, span: input.imageSpan, message: `in the image's option files: ${p.message}` });
      else problems.push(p);
    }
    for (const n of tree.notes) if (!n.includes('(mount / -> .)')) notes.push(n);
  }
  const optionPlace = (target: string) => OPTION_DIRS.test(target) || (image.layout === 'bitnami' && target.startsWith('opt/bitnami/'));
  for (const m of mounts) {
    const at = formatSpan(m.span);
    if (touched.has(m) && m.source !== undefined) notes.push(`/${m.target} is ${m.source} (${at})`);
    else if (m.source === undefined && optionPlace(m.target)) {
      notes.push(`/${m.target} is mounted from ${m.written} (${at}), which is not in the scanned tree: what mysqld reads there is unknown`);
    } else if (m.source !== undefined && image.layout && optionPlace(m.target)) {
      if (image.layout === 'bitnami' && m.target.startsWith('opt/bitnami/')) {
        notes.push(`/${m.target} (${at}) is handled by the bitnami image's setup scripts, which connlint does not model`);
      } else if (view.isDirectory(m.source) && /\.cnf$/.test(m.target)) {
        // Docker mounts the folder where a file is expected; the reader opens only files there.
        problems.push({
          severity: 'warning',
          span: m.span,
          ruleId: 'setting-ignored-by-library',
          message: `/${m.target} is a folder (mounted from ${m.written}), not a file, so mysqld reads none of the option files in ${m.source}; mount the folder on /${m.target.slice(0, m.target.lastIndexOf('/'))} or a file on /${m.target}`,
        });
      } else {
        problems.push({
          severity: 'warning',
          span: m.span,
          ruleId: 'setting-ignored-by-library',
          message: `mysqld in image ${image.ref} does not read /${m.target} (mounted from ${m.written}): no option file it reads includes it (${describeLayout(image.layout)})`,
        });
      }
    }
  }

  // Command-line options come after every option file (mysql-option-files.md).
  const commandEntries = line.options.filter((e) => !line.unknown.has(e));
  if (line.options.length > 0 && argsAt)
    notes.push(`options on mysqld's command line (${formatSpan(argsAt)}) are applied after the option files`);
  const sourceRoot = `${file}#${service.name}`;
  const cfg: Config = {
    ...config,
    optionFiles: {
      flavor: { value: image.flavor, span: input.imageSpan },
      ...(version ? { version: { value: version, span: input.imageSpan } } : {}),
    },
  };
  const built = buildFileServers(
    [{ root: sourceRoot, files: read, options: [...options, ...commandEntries.map((entry) => ({ entry, via: [] }))] }],
    cfg,
    new Map([[sourceRoot, notes]]),
  );
  problems.push(...built.problems);
  const server: Server = built.servers[0] ?? {
    id: `${image.flavor}:${sourceRoot}`,
    engine: image.flavor,
    family: 'mysql',
    engineReason: '',
    ...(version ? { version } : {}),
    source: 'file',
    root: file,
    files: read,
    groups: serverGroups(image.flavor, version),
    origin: service.keySpan,
    settings: defaultServerSettings(image.flavor, version),
    notes,
  };
  // Command-line options sit in no group; the interpreter read them as [mysqld] lines.
  const fromCommand = new Set(commandEntries.map((e) => e.span));
  for (const s of server.settings.values()) if (s.origin.kind === 'file' && fromCommand.has(s.origin.span)) delete s.group;
  // An option whose value is unknown makes the server's value unknown, unless a later option sets it again.
  const last = new Map<string, Entry>();
  for (const e of line.options) last.set(canonicalOptionName(e.key).canonical, e);
  for (const [canonical, e] of last) {
    const reason = line.unknown.get(e);
    if (reason === undefined) continue;
    const previous = server.settings.get(canonical);
    server.settings.set(canonical, {
      key: e.key,
      canonicalKey: canonical,
      raw: null,
      text: null,
      value: { kind: 'unknown', reason },
      origin: { kind: 'file', span: e.span, via: [] },
      overrides: previous?.origin.kind === 'file' ? overridesOf(previous) : [],
      ...replacedOf(previous),
      ...(previous?.unit ? { unit: previous.unit } : {}),
    } satisfies Setting);
  }
  server.id = `${image.flavor}:${sourceRoot}`;
  server.root = file;
  server.engineReason = `${input.imageFrom} (${where}) runs ${image.product}`;
  server.origin = service.keySpan;
  server.files = [...new Set([...read, ...service.files])];
  const hostnames = [
    service.name,
    ...(service.containerName?.value ? [knownText(service.containerName.value)] : []),
    ...service.aliases.map((a) => (a.value ? knownText(a.value) : undefined)),
  ];
  server.hostnames = [...new Set(hostnames.filter((h): h is string => h !== undefined && h !== '').map((h) => h.toLowerCase()))];
  // Option files under what the service mounts belong to its container, read there or not.
  const mounted = mounts.flatMap((m) => (m.source === undefined || !optionPlace(m.target) ? [] : filesUnder(view, m.source)));
  return { server, problems, optionFiles: [...new Set([...read, ...mounted])], mountedAt };
}
