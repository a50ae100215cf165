/**
 * A Compose project as Compose builds it from its files (compose-spec/compose-go loader/loader.go,
 * override/merge.go, override/uncity.go @ e70e961): every file (and every YAML document in it) is
 * interpolated and merged over the ones before, service by service:
 * - single values (`image`, `container_name`, `network_mode` ...) are replaced;
 * - `command` and `entrypoint` are replaced whole;
 * - `build` is merged key by key (a string is `{context: string}`);
 * - `environment`, `sysctls` are merged by name, `volumes` by target, `env_file` by path: a later entry
 *   replaces an earlier one at its place, new ones are added at the end;
 * - network aliases are added to;
 * - `!reset` removes a value, `!override` replaces it instead of merging;
 * - YAML merge keys (`<<: *anchor`) and `extends:` (same file or `file:`) are applied first.
 * Values keep the file and span where they are written.
 */
import { posix } from 'node:path';
import { isMap, isNode, isScalar, isSeq, type Node } from 'yaml';
import type { Problem } from '../../model/problem.js';
import type { Span } from '../../model/span.js';
import type { YamlFile } from '../../parsers/yaml.js';
import { type Interpolated, interpolate, knownText, type Lookup } from './interpolate.js';
import { parseShortVolume, type VolumeSpec } from './volumes.js';

/** A scalar as written in one file, with its interpolated value. */
export interface Str {
  file: YamlFile;
  node: Node;
  span: Span;
  /** The text YAML reads (quotes removed, escapes applied); null for a YAML null. */
  text: string | null;
  /** The text after interpolation; null for a YAML null. */
  value: Interpolated | null;
}

/** A command or entrypoint: one string Compose splits like a shell, or a list of arguments. */
export type CommandDef = { kind: 'string'; str: Str } | { kind: 'list'; items: Str[]; span: Span };

export interface EnvironmentDef {
  key: string;
  keySpan: Span;
  /** The value; null when none is written (`- NAME` or `NAME:`): Compose passes the project's variable through. */
  value: Str | null;
  /** For the list form, the offset of the value in the item's text (after `NAME=`). */
  valueOffset?: number;
  span: Span;
  /** The list item or mapping value where it is written. */
  item: Str | null;
}

export interface EnvFileDef {
  path: string;
  required: boolean;
  format?: string;
  span: Span;
  /** Directory the path is relative to (the directory of the file that names it). */
  dir: string;
}

export interface VolumeDef {
  spec: VolumeSpec;
  span: Span;
  dir: string;
  /** Span of the source where it is written (the whole entry for the short syntax). */
  sourceSpan: Span;
}

export interface SysctlDef {
  key: string;
  keySpan: Span;
  value: Str | null;
  valueOffset?: number;
  span: Span;
}

export interface BuildDef {
  context?: Str;
  /** `dockerfile:`, relative to the context. */
  dockerfile?: Str;
  span: Span;
  /** The file that says `build:`. */
  file: string;
  /**
   * The folder `context` is relative to (the context itself when there is none): the folder of the file that
   * writes it, or the `project_directory` of the `include:` that brought the file in.
   */
  base: string;
}

export interface ServiceDef {
  name: string;
  /** Where the service is first defined. */
  keySpan: Span;
  /** Every file that defines or changes it, in order. */
  files: string[];
  image?: Str;
  build?: BuildDef;
  command?: CommandDef;
  entrypoint?: CommandDef;
  containerName?: Str;
  networkMode?: Str;
  aliases: Str[];
  environment: Map<string, EnvironmentDef>;
  envFiles: EnvFileDef[];
  volumes: VolumeDef[];
  sysctls: Map<string, SysctlDef>;
  profiles: string[];
  /** Attributes one file's layer resets (`!reset`) or replaces (`!override`) instead of merging. */
  reset?: Set<string>;
}

export interface ComposeProject {
  /** The project directory (the first file's), relative to the scanned root. */
  dir: string;
  /** The files merged, in order. */
  files: string[];
  services: Map<string, ServiceDef>;
  problems: Problem[];
  /** True when Compose would refuse the project (an invalid template, a value of the wrong type, an extends cycle). */
  refused: boolean;
  /** Files read beyond the project's own (`extends: file:`). */
  extraFiles: string[];
  /** Compose files pulled in by a top-level `include:`, with the line that includes each. */
  included: Array<{ path: string; by: Span }>;
}

export interface ProjectSource {
  path: string;
  file: YamlFile;
}

export interface LoadOptions {
  /** Variables for interpolation (the project's `.env`). */
  lookup: Lookup;
  /** Another Compose file, for `extends: {file: ...}`; undefined when it is not in the scanned tree. */
  readCompose(path: string): ProjectSource | undefined;
  /** The variables of an `env_file` of an `include:`; undefined when it is not in the scanned tree. */
  readEnvFile?(path: string): Lookup | undefined;
  /** The folder relative paths of every file resolve against (an included file's `project_directory`). */
  projectDir?: string;
}

/** Nodes visited per project through aliases, merge keys and extends; a hostile file stops here. */
const MAX_VISITS = 200_000;
const MAX_EXTENDS = 10;
/** Nested `include:` levels followed. */
const MAX_INCLUDE_DEPTH = 5;
/** Merge keys inside merged mappings; as deep as the YAML reader lets a file nest. */
const MAX_MERGE_DEPTH = 200;

interface Pair {
  name: string;
  key: Node | null;
  /** The value as written (an alias stays an alias). */
  at: unknown;
}

class Loader {
  readonly problems: Problem[] = [];
  refused = false;
  readonly extraFiles: string[] = [];
  readonly included: Array<{ path: string; by: Span }> = [];
  private visits = 0;
  /** Merged pairs per mapping: a mapping merged many times through aliases is read once. */
  private readonly pairsOf = new WeakMap<Node, Pair[]>();

  constructor(private readonly options: LoadOptions) {}

  error(message: string, span: Span): void {
    this.problems.push({ severity: 'error', message: `${message}; Compose refuses the project`, span });
    this.refused = true;
  }

  private budget(): boolean {
    return ++this.visits <= MAX_VISITS;
  }

  /** The mapping's pairs with YAML merge keys applied: written keys first win, then merged maps in order. */
  pairs(file: YamlFile, node: unknown, depth = 0): Pair[] {
    const map = file.resolve(node);
    if (!isMap(map) || depth > MAX_MERGE_DEPTH) return [];
    const held = this.pairsOf.get(map);
    if (held) return held;
    if (!this.budget()) return [];
    const own: Pair[] = [];
    const merged: Pair[] = [];
    for (const pair of map.items) {
      const name = file.keyName(pair.key);
      if (name === '<<' && isScalar(pair.key) && pair.key.type === 'PLAIN') {
        const value = file.resolve(pair.value);
        const sources = isSeq(value) ? value.items : [pair.value];
        for (const s of sources) merged.push(...this.pairs(file, s, depth + 1));
        continue;
      }
      own.push({ name, key: isNode(pair.key) ? pair.key : null, at: pair.value });
    }
    const seen = new Set(own.map((p) => p.name));
    for (const p of merged) {
      if (seen.has(p.name)) continue;
      seen.add(p.name);
      own.push(p);
    }
    this.pairsOf.set(map, own);
    return own;
  }

  str(file: YamlFile, at: unknown): Str | undefined {
    const node = file.resolve(at);
    if (!isScalar(node)) return undefined;
    const text = node.value === null || node.value === undefined ? null : (node.source ?? String(node.value));
    const span = file.spanOf(node);
    let value: Interpolated | null = null;
    if (text !== null) {
      // Compose interpolates every string value; numbers and booleans have nothing to substitute.
      value = typeof node.value === 'string' ? interpolate(text, this.options.lookup) : { pieces: [text], used: [] };
      if (value.error) this.error(value.error, span);
    }
    return { file, node, span, text, value };
  }

  spanOf(file: YamlFile, at: unknown, fallback: Span): Span {
    const node = file.resolve(at);
    return node ? file.spanOf(node) : isNode(at) ? file.spanOf(at) : fallback;
  }

  typeError(path: string, expected: string, span: Span): void {
    this.error(`${path} must be ${expected}`, span);
  }

  /** The folder relative paths in `path` resolve against. */
  dirOf(path: string): string {
    return this.options.projectDir ?? posix.dirname(path);
  }

  /**
   * Services of the files a top-level `include:` names (Compose 2.20+; compose-spec include.md, compose-go
   * loader/include.go): each entry a path, or `{path, project_directory, env_file}` with `path` a string or a list
   * merged in order. The included model is loaded on its own: its relative paths resolve against
   * `project_directory` (default: the folder of its first file), its variables are the including project's first,
   * then its `env_file` (default: `.env` in `project_directory`) for names those do not set.
   */
  private include(source: ProjectSource, at: unknown, depth: number): Map<string, ServiceDef> {
    const out = new Map<string, ServiceDef>();
    const file = source.file;
    const node = file.resolve(at);
    if (!isSeq(node)) {
      if (node !== null && !(isScalar(node) && node.value === null)) this.typeError('include', 'a list', file.spanOf(node as Node));
      return out;
    }
    const here = this.dirOf(source.path);
    const text = (v: unknown): string | undefined => {
      const s = this.str(file, v);
      return s?.value ? knownText(s.value) : undefined;
    };
    const list = (v: unknown): string[] => {
      const n = file.resolve(v);
      return isSeq(n) ? n.items.flatMap((i) => text(i) ?? []) : (text(v) ?? '').split('\n').filter((x) => x !== '');
    };
    for (const item of node.items) {
      const span = this.spanOf(file, item, file.spanOf(node));
      let paths: string[];
      let projectDir: string | undefined;
      let envFiles: string[] | undefined;
      if (isMap(file.resolve(item))) {
        const fields = this.pairs(file, item);
        const field = (name: string) => fields.find((f) => f.name === name)?.at;
        paths = list(field('path'));
        const pd = field('project_directory');
        if (pd !== undefined) projectDir = text(pd);
        const ef = field('env_file');
        if (ef !== undefined) envFiles = list(ef);
      } else paths = list(item);
      const resolved = paths.map((p) => (posix.isAbsolute(p) ? undefined : posix.normalize(posix.join(here, p))));
      if (paths.length === 0 || resolved.some((p) => p === undefined || p === '..' || p.startsWith('../'))) {
        this.problems.push({
          severity: 'note',
          span,
          message: 'include: a file outside the scanned tree (or one whose path is not known); its services are not read',
        });
        continue;
      }
      const read = (resolved as string[]).map((p) => this.options.readCompose(p));
      const missing = (resolved as string[]).filter((_, i) => !read[i]);
      if (missing.length > 0) {
        this.problems.push({
          severity: 'note',
          span,
          message: `include: ${missing.join(', ')} is not in the scanned tree (or cannot be read); its services are not read`,
        });
        continue;
      }
      const first = resolved[0] as string;
      const dir = projectDir === undefined ? posix.dirname(first) : posix.normalize(posix.join(here, projectDir));
      const envPaths = (envFiles ?? [posix.join(dir, '.env')]).map((e) => (envFiles ? posix.normalize(posix.join(here, e)) : e));
      const envs = envPaths.flatMap((e) => this.options.readEnvFile?.(e) ?? []);
      const outer = this.options.lookup;
      const lookup: Lookup = (name) => outer(name) ?? envs.map((l) => l(name)).find((v) => v !== undefined);
      const loader = new Loader({ ...this.options, lookup, projectDir: dir });
      const services = loader.load(read as ProjectSource[], depth + 1);
      for (const r of read as ProjectSource[]) this.included.push({ path: r.path, by: span });
      this.included.push(...loader.included);
      this.extraFiles.push(...loader.extraFiles.filter((f) => !this.extraFiles.includes(f)));
      this.problems.push(...loader.problems);
      if (loader.refused) this.refused = true;
      for (const [name, def] of services) out.set(name, def);
    }
    return out;
  }

  /** The project: every file's services merged in order. */
  load(sources: ProjectSource[], depth = 0): Map<string, ServiceDef> {
    const services = new Map<string, ServiceDef>();
    for (const source of sources) {
      for (const doc of source.file.documents) {
        const root = doc.root;
        if (root === null) continue;
        if (!isMap(root)) {
          this.error('the top level of a Compose file must be a mapping', source.file.spanOf(root));
          continue;
        }
        const top = this.pairs(source.file, root);
        const includes = top.find((p) => p.name === 'include');
        if (includes && depth < MAX_INCLUDE_DEPTH) {
          // Included services come first; the including file's own definitions merge over them.
          for (const [name, def] of this.include(source, includes.at, depth)) {
            const held = services.get(name);
            services.set(name, held ? mergeServices(held, def) : def);
          }
        }
        const entry = top.find((p) => p.name === 'services');
        if (!entry) continue;
        const node = source.file.resolve(entry.at);
        if (node === null || (isScalar(node) && node.value === null)) continue;
        if (!isMap(node)) {
          this.typeError('services', 'a mapping', this.spanOf(source.file, entry.at, source.file.spanOf(root)));
          continue;
        }
        for (const s of this.pairs(source.file, node)) {
          const keySpan = s.key ? source.file.spanOf(s.key) : source.file.spanOf(node);
          const value = source.file.resolve(s.at);
          if (value?.tag === '!reset') {
            services.delete(s.name);
            continue;
          }
          const layer = this.resolveExtends(source, s.name, s.at, keySpan, [`${source.path}#${s.name}`], 0);
          if (!layer) continue;
          const held = services.get(s.name);
          if (!held || value?.tag === '!override') services.set(s.name, layer);
          else services.set(s.name, mergeServices(held, layer));
        }
      }
    }
    return services;
  }

  /** One service definition with its `extends:` applied (the base first, this one merged over it). */
  private resolveExtends(
    source: ProjectSource,
    name: string,
    at: unknown,
    keySpan: Span,
    stack: string[],
    depth: number,
  ): ServiceDef | undefined {
    const file = source.file;
    const node = file.resolve(at);
    if (node !== null && !isMap(node) && !(isScalar(node) && node.value === null)) {
      this.typeError(`services.${name}`, 'a mapping', keySpan);
      return undefined;
    }
    const pairs = isMap(node) ? this.pairs(file, node) : [];
    const own = this.serviceLayer(file, name, pairs, keySpan);
    const ext = pairs.find((p) => p.name === 'extends');
    if (!ext) return own;
    const extNode = file.resolve(ext.at);
    const extSpan = this.spanOf(file, ext.at, keySpan);
    let baseName: string | undefined;
    let baseFile: string | undefined;
    if (isScalar(extNode)) {
      const v = this.str(file, extNode)?.value;
      baseName = v ? knownText(v) : undefined;
    } else if (isMap(extNode)) {
      for (const p of this.pairs(file, extNode)) {
        const v = this.str(file, p.at);
        const text = v?.value ? knownText(v.value) : undefined;
        if (p.name === 'service') baseName = text;
        if (p.name === 'file') baseFile = text;
      }
    }
    if (baseName === undefined) {
      this.typeError(`services.${name}.extends`, 'a service name or a mapping with service', extSpan);
      return own;
    }
    let baseSource: ProjectSource | undefined = source;
    if (baseFile !== undefined) {
      const path = posix.normalize(posix.join(posix.dirname(source.path), baseFile));
      baseSource = path.startsWith('../') || posix.isAbsolute(baseFile) ? undefined : this.options.readCompose(path);
      if (!baseSource) {
        this.problems.push({
          severity: 'warning',
          message: `extends file ${baseFile} is not in the scanned tree; what service ${name} inherits from it is unknown`,
          span: extSpan,
        });
        return own;
      }
      if (!this.extraFiles.includes(baseSource.path)) this.extraFiles.push(baseSource.path);
    }
    const id = `${baseSource.path}#${baseName}`;
    if (stack.includes(id) || depth >= MAX_EXTENDS) {
      this.error(`Circular reference with extends: ${[...stack, id].join(' -> ')}`, extSpan);
      return own;
    }
    const baseRoot = baseSource.file.documents[0]?.root;
    const baseServices = baseRoot ? this.pairs(baseSource.file, baseRoot).find((p) => p.name === 'services') : undefined;
    const basePair = baseServices ? this.pairs(baseSource.file, baseServices.at).find((p) => p.name === baseName) : undefined;
    if (!basePair) {
      this.error(`cannot extend service "${name}": service "${baseName}" not found`, extSpan);
      return own;
    }
    const baseKeySpan = basePair.key ? baseSource.file.spanOf(basePair.key) : extSpan;
    const base = this.resolveExtends(baseSource, baseName, basePair.at, baseKeySpan, [...stack, id], depth + 1);
    if (!base) return own;
    const merged = mergeServices({ ...base, name, keySpan, files: [] }, own);
    merged.files = [...new Set([...base.files, ...own.files])];
    if (own.reset) merged.reset = own.reset;
    return merged;
  }

  private serviceLayer(file: YamlFile, name: string, pairs: Pair[], keySpan: Span): ServiceDef {
    const def: ServiceDef = {
      name,
      keySpan,
      files: [file.path],
      aliases: [],
      environment: new Map(),
      envFiles: [],
      volumes: [],
      sysctls: new Map(),
      profiles: [],
    };
    const reset = new Set<string>();
    const dir = this.dirOf(file.path);
    for (const p of pairs) {
      const node = file.resolve(p.at);
      const path = `services.${name}.${p.name}`;
      const span = this.spanOf(file, p.at, keySpan);
      if (node?.tag === '!reset') {
        reset.add(p.name);
        continue;
      }
      if (node?.tag === '!override') reset.add(p.name);
      switch (p.name) {
        case 'image':
        case 'container_name':
        case 'network_mode': {
          const s = this.str(file, p.at);
          if (!s) {
            this.typeError(path, 'a string', span);
            break;
          }
          if (p.name === 'image') def.image = s;
          else if (p.name === 'container_name') def.containerName = s;
          else def.networkMode = s;
          break;
        }
        case 'build': {
          const s = this.str(file, p.at);
          if (s) def.build = { context: s, span, file: file.path, base: dir };
          else if (isMap(node)) {
            const fields = this.pairs(file, node);
            const ctx = fields.find((q) => q.name === 'context');
            const context = ctx ? this.str(file, ctx.at) : undefined;
            const df = fields.find((q) => q.name === 'dockerfile');
            const dockerfile = df ? this.str(file, df.at) : undefined;
            def.build = { ...(context ? { context } : {}), ...(dockerfile ? { dockerfile } : {}), span, file: file.path, base: dir };
          } else this.typeError(path, 'a string or a mapping', span);
          break;
        }
        case 'command':
        case 'entrypoint': {
          const command = this.command(file, p.at, path, span);
          if (command && p.name === 'command') def.command = command;
          else if (command) def.entrypoint = command;
          break;
        }
        case 'environment':
          for (const e of this.keyValues(file, p.at, path, span)) def.environment.set(e.key, e);
          break;
        case 'sysctls':
          for (const e of this.keyValues(file, p.at, path, span))
            def.sysctls.set(e.key, {
              key: e.key,
              keySpan: e.keySpan,
              value: e.value,
              ...(e.valueOffset !== undefined ? { valueOffset: e.valueOffset } : {}),
              span: e.span,
            });
          break;
        case 'env_file':
          def.envFiles = uniqueBy(this.envFiles(file, p.at, path, span, dir), (e) => e.path);
          break;
        case 'volumes':
          def.volumes = uniqueBy(this.volumes(file, p.at, path, span, dir), (v) => v.spec.target);
          break;
        case 'networks':
          def.aliases = this.aliases(file, p.at);
          break;
        case 'profiles':
          if (isSeq(node))
            for (const item of node.items) {
              const s = this.str(file, item);
              const t = s?.value ? knownText(s.value) : undefined;
              if (t !== undefined) def.profiles.push(t);
            }
          break;
      }
    }
    def.reset = reset;
    return def;
  }

  private command(file: YamlFile, at: unknown, path: string, span: Span): CommandDef | undefined {
    const node = file.resolve(at);
    if (isScalar(node)) {
      const str = this.str(file, node) as Str;
      return str.text === null ? undefined : { kind: 'string', str };
    }
    if (isSeq(node)) {
      const items: Str[] = [];
      for (const item of node.items) {
        const s = this.str(file, item);
        if (!s || s.text === null) {
          this.typeError(`${path} items`, 'strings', this.spanOf(file, item, span));
          return undefined;
        }
        items.push(s);
      }
      return { kind: 'list', items, span: file.spanOf(node) };
    }
    this.typeError(path, 'a string or a list', span);
    return undefined;
  }

  /** `environment:` / `sysctls:` in either form: a mapping, or a list of `NAME=value` / `NAME`. */
  private keyValues(file: YamlFile, at: unknown, path: string, span: Span): EnvironmentDef[] {
    const node = file.resolve(at);
    const out: EnvironmentDef[] = [];
    if (isMap(node)) {
      for (const p of this.pairs(file, node)) {
        const keySpan = p.key ? file.spanOf(p.key) : span;
        const value = this.str(file, p.at);
        const valueNode = file.resolve(p.at);
        if (!value && valueNode !== null) {
          this.typeError(`${path}.${p.name}`, 'a string, a number, a boolean or null', this.spanOf(file, p.at, keySpan));
          continue;
        }
        const v = value && value.text !== null ? value : null;
        const end = v ? v.span : keySpan;
        out.push({ key: p.name, keySpan, value: v, span: { ...keySpan, endLine: end.endLine, endColumn: end.endColumn }, item: v });
      }
      return out;
    }
    if (isSeq(node)) {
      for (const item of node.items) {
        const s = this.str(file, item);
        if (!s || s.text === null) {
          this.typeError(`${path} items`, 'strings', this.spanOf(file, item, span));
          continue;
        }
        // Compose interpolates the item, then splits it at the first `=`.
        const text = s.value ? knownText(s.value) : s.text;
        const written = text ?? s.text;
        const eq = written.indexOf('=');
        const key = eq < 0 ? written : written.slice(0, eq);
        const keySpan = subSpan(s, 0, key.length);
        if (eq < 0) {
          out.push({ key, keySpan, value: null, span: s.span, item: s });
          continue;
        }
        out.push({ key, keySpan, value: s, valueOffset: eq + 1, span: s.span, item: s });
      }
      // Within one list the last entry of a name wins, at the place of the first (compose-go EnforceUnicity).
      return uniqueBy(out, (e) => e.key);
    }
    if (node !== null && !(isScalar(node) && node.value === null)) this.typeError(path, 'a mapping or a list', span);
    return out;
  }

  private envFiles(file: YamlFile, at: unknown, path: string, span: Span, dir: string): EnvFileDef[] {
    const node = file.resolve(at);
    const items = isSeq(node) ? node.items : [at];
    const out: EnvFileDef[] = [];
    for (const item of items) {
      const n = file.resolve(item);
      const itemSpan = this.spanOf(file, item, span);
      if (isScalar(n)) {
        const s = this.str(file, n);
        const text = s?.value ? knownText(s.value) : undefined;
        if (text !== undefined) out.push({ path: text, required: true, span: itemSpan, dir });
        continue;
      }
      if (isMap(n)) {
        let p: string | undefined;
        let required = true;
        let format: string | undefined;
        for (const q of this.pairs(file, n)) {
          const s = this.str(file, q.at);
          const text = s?.value ? knownText(s.value) : undefined;
          if (q.name === 'path') p = text;
          if (q.name === 'required') required = text !== 'false';
          if (q.name === 'format') format = text;
        }
        if (p !== undefined) out.push({ path: p, required, ...(format ? { format } : {}), span: itemSpan, dir });
        continue;
      }
      this.typeError(`${path} items`, 'strings or mappings', itemSpan);
    }
    return out;
  }

  private volumes(file: YamlFile, at: unknown, path: string, span: Span, dir: string): VolumeDef[] {
    const node = file.resolve(at);
    if (!isSeq(node)) {
      if (node !== null) this.typeError(path, 'a list', span);
      return [];
    }
    const out: VolumeDef[] = [];
    for (const item of node.items) {
      const n = file.resolve(item);
      const itemSpan = this.spanOf(file, item, span);
      if (isScalar(n)) {
        const s = this.str(file, n);
        const text = s?.value ? knownText(s.value) : undefined;
        if (text === undefined) continue;
        const spec = parseShortVolume(text);
        if ('error' in spec) {
          this.error(spec.error, itemSpan);
          continue;
        }
        out.push({ spec, span: itemSpan, dir, sourceSpan: itemSpan });
        continue;
      }
      if (isMap(n)) {
        const fields: Record<string, string | undefined> = {};
        const spans: Record<string, Span> = {};
        for (const q of this.pairs(file, n)) {
          const s = this.str(file, q.at);
          fields[q.name] = s?.value ? knownText(s.value) : undefined;
          if (s) spans[q.name] = s.span;
        }
        const type = fields.type;
        const target = fields.target;
        if (target === undefined) continue;
        out.push({
          spec: {
            type: type === 'bind' || type === 'volume' || type === 'tmpfs' ? type : 'other',
            source: fields.source ?? '',
            target,
            readOnly: fields.read_only === 'true',
          },
          span: itemSpan,
          dir,
          sourceSpan: spans.source ?? itemSpan,
        });
        continue;
      }
      this.typeError(`${path} items`, 'strings or mappings', itemSpan);
    }
    return out;
  }

  private aliases(file: YamlFile, at: unknown): Str[] {
    const node = file.resolve(at);
    if (!isMap(node)) return [];
    const out: Str[] = [];
    for (const network of this.pairs(file, node)) {
      const config = file.resolve(network.at);
      if (!isMap(config)) continue;
      const aliases = this.pairs(file, config).find((p) => p.name === 'aliases');
      const list = aliases ? file.resolve(aliases.at) : null;
      if (!isSeq(list)) continue;
      for (const item of list.items) {
        const s = this.str(file, item);
        if (s) out.push(s);
      }
    }
    return out;
  }
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const at = new Map<string, number>();
  const out: T[] = [];
  for (const item of items) {
    const k = key(item);
    const i = at.get(k);
    if (i === undefined) {
      at.set(k, out.length);
      out.push(item);
    } else out[i] = item;
  }
  return out;
}

function mergeKeyed<T>(base: Map<string, T>, over: Map<string, T>): Map<string, T> {
  const out = new Map(base);
  for (const [k, v] of over) out.set(k, v);
  return out;
}

/** `over` merged onto `base` by Compose's rules for each attribute. */
export function mergeServices(base: ServiceDef, over: ServiceDef): ServiceDef {
  const reset = over.reset ?? new Set<string>();
  const keep = (name: string) => !reset.has(name);
  const out: ServiceDef = {
    name: over.name,
    keySpan: base.keySpan,
    files: [...new Set([...base.files, ...over.files])],
    aliases: [],
    environment: new Map(),
    envFiles: [],
    volumes: [],
    sysctls: new Map(),
    profiles: [],
  };
  const image = over.image ?? (keep('image') ? base.image : undefined);
  if (image) out.image = image;
  const containerName = over.containerName ?? (keep('container_name') ? base.containerName : undefined);
  if (containerName) out.containerName = containerName;
  const networkMode = over.networkMode ?? (keep('network_mode') ? base.networkMode : undefined);
  if (networkMode) out.networkMode = networkMode;
  const command = over.command ?? (keep('command') ? base.command : undefined);
  if (command) out.command = command;
  const entrypoint = over.entrypoint ?? (keep('entrypoint') ? base.entrypoint : undefined);
  if (entrypoint) out.entrypoint = entrypoint;
  const baseBuild = keep('build') ? base.build : undefined;
  if (over.build || baseBuild) {
    const context = over.build?.context ?? baseBuild?.context;
    const dockerfile = over.build?.dockerfile ?? baseBuild?.dockerfile;
    const held = (over.build ?? baseBuild) as BuildDef;
    // The context keeps the folder it is relative to.
    const base = over.build?.context ? over.build.base : baseBuild?.context ? baseBuild.base : held.base;
    out.build = { ...(context ? { context } : {}), ...(dockerfile ? { dockerfile } : {}), span: held.span, file: held.file, base };
  }
  out.environment = mergeKeyed(keep('environment') ? base.environment : new Map(), over.environment);
  out.sysctls = mergeKeyed(keep('sysctls') ? base.sysctls : new Map(), over.sysctls);
  out.envFiles = uniqueBy([...(keep('env_file') ? base.envFiles : []), ...over.envFiles], (e) => e.path);
  out.volumes = uniqueBy([...(keep('volumes') ? base.volumes : []), ...over.volumes], (v) => v.spec.target);
  out.aliases = [...(keep('networks') ? base.aliases : []), ...over.aliases];
  out.profiles = [...new Set([...(keep('profiles') ? base.profiles : []), ...over.profiles])];
  return out;
}

/**
 * The span of characters [from, to) of a scalar's text, when the text stands in the file as written
 * (a plain or quoted scalar without escapes); otherwise the whole scalar.
 */
export function subSpan(s: Str, from: number, to: number): Span {
  const range = s.node.range;
  const text = s.text ?? '';
  if (!range) return s.span;
  const source = s.file.text;
  let start = -1;
  if (source.startsWith(text, range[0])) start = range[0];
  else if (/['"]/.test(source.charAt(range[0])) && source.startsWith(text, range[0] + 1)) start = range[0] + 1;
  if (start < 0 || text.includes('\n')) return s.span;
  return s.file.spanAt(start + from, start + Math.max(to, from));
}

/** Loads one project (its files in merge order). Never throws. */
export function loadProject(dir: string, sources: ProjectSource[], options: LoadOptions): ComposeProject {
  const loader = new Loader(options);
  const services = loader.load(sources);
  return {
    dir,
    files: sources.map((s) => s.path),
    services,
    problems: loader.problems,
    refused: loader.refused,
    extraFiles: loader.extraFiles,
    included: loader.included,
  };
}
