import { dirname } from '../interpreters/js/module-resolution.js';
import { byteWords } from './byte-sniff.js';
import type { Claim, ClaimedFile, Contribution, Format, FormatContext, NotRead } from './format.js';
import { BUILD_FOLDERS, DECLARATION, SCRIPT, TEST_CODE, withRelativeImports } from './js-files.js';

/*
 * Prisma schemas (`*.prisma` with a `datasource` block; issue 18): the datasource URL, read where Prisma
 * reads it — the schema, the `.env` files Prisma loads for it (prisma.md: which ones depends on the version
 * and on a `prisma.config.*` file), and Prisma 7's `prisma.config.*` (evaluated statically, never run) —
 * and, with a driver adapter, the code that constructs it (`new PrismaPg({...})`, `new PrismaMariaDb(...)`),
 * whose options are the driver pool's. That code is found under the schema's project folder by a cheap look
 * at each JS/TS file's text, as discovery already read it; the evaluator (and ts-morph) loads only when one
 * matches.
 */

type Schema = typeof import('../parsers/prisma-schema.js');
type Dotenv = typeof import('../parsers/dotenv-node.js');
type EnvFiles = typeof import('../interpreters/prisma/env-files.js');
type Pools = typeof import('../interpreters/prisma/pools.js');
type Evaluate = typeof import('../interpreters/js/evaluate.js');
type Manifest = typeof import('../interpreters/prisma/manifest.js');
type Json = typeof import('../interpreters/js/json-value.js');
type Adapter = typeof import('../interpreters/prisma/adapter.js');
type Glob = typeof import('../discover/glob.js');

interface Modules {
  schema: Schema;
  dotenv: Dotenv;
  envFiles: EnvFiles;
  pools: Pools;
  manifest: Manifest;
  json: Json;
  adapter: Adapter;
  glob: Glob;
  /** Loaded only when a prisma.config.* file or an adapter construction exists (it pulls in the TypeScript parser). */
  evaluate: () => Promise<Evaluate>;
}

const DATASOURCE = /^[ \t]*datasource[ \t]+\w+[ \t]*\{/m;
const CONFIG_NAMES = [
  'prisma.config.ts',
  'prisma.config.mts',
  'prisma.config.cts',
  'prisma.config.js',
  'prisma.config.mjs',
  'prisma.config.cjs',
];

/** JS/TS sources that may construct the adapter (the extensions the JS/TS format reads), never declaration files. */
const CODE = /\.[cm]?[jt]s$/;
/** Folders that never hold the application's own code: dependencies, VCS data, build output and bundles. */
const NOT_SOURCE = new Set(['node_modules', '.git', '.hg', '.svn', ...BUILD_FOLDERS]);
/** Scripts beside the application (migrations, seeds, checks): their constructions name a pool only when the application has none. */
/** Scripts, and code beside the schema in prisma/: their constructions name a pool only when the application has none. */
const PRISMA_SCRIPT = /(?:^|\/)prisma\//;
/** Bounds on the walk for adapter code, so a huge tree costs no more than discovery already paid. */
const MAX_WALK_DEPTH = 12;
const MAX_WALK_FILES = 20_000;
const MAX_ADAPTER_FILES = 20;
const MAX_IMPORTED = 40;

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

export function claimPrisma(_path: string, text: string): Claim | NotRead {
  if (!DATASOURCE.test(text)) return { notRead: 'a Prisma schema file without a datasource block' };
  return { owner: 'certain', reason: 'a Prisma schema with a datasource block' };
}

/** The project folder of a schema: the folder above `prisma/`, else the schema's own (prisma.md, where the CLI looks). */
function projectDir(schemaPath: string): string {
  const dir = dirname(schemaPath);
  return dir.split('/').pop() === 'prisma' ? dirname(dir) : dir;
}

/** The package.json nearest to the project folder (up to the root), read for the Prisma version and adapter. */
function nearestManifest(project: string, ctx: FormatContext, m: Modules) {
  for (let d = project; ; d = dirname(d)) {
    const path = join(d, 'package.json');
    if (ctx.view.isFile(path)) {
      const text = ctx.view.readText(path);
      const value = text === undefined ? undefined : ctx.cache.get('json', path, text, () => m.json.jsonToJsValue(path, text)).value;
      return value ? { path, facts: m.manifest.prismaManifest(value) } : undefined;
    }
    if (!d) return undefined;
  }
}

/**
 * The JS/TS files under a project folder whose text constructs a pg or mariadb adapter, in path order.
 * Folders of other schemas' projects are theirs; connlint.config.yaml's include and exclude apply as in discovery.
 */
function adapterFiles(project: string, others: ReadonlySet<string>, ctx: FormatContext, m: Modules): string[] {
  const exclude = ctx.config.exclude.map(m.glob.globToRegExp);
  const include = ctx.config.include.map(m.glob.globToRegExp);
  const found: string[] = [];
  let seen = 0;
  const pending: Array<{ dir: string; depth: number }> = [{ dir: project, depth: 0 }];
  while (pending.length > 0 && seen < MAX_WALK_FILES && found.length < MAX_ADAPTER_FILES) {
    const { dir, depth } = pending.shift() as { dir: string; depth: number };
    for (const name of ctx.view.listDir(dir || '.') ?? []) {
      const path = join(dir, name);
      if (ctx.view.isDirectory(path)) {
        if (depth < MAX_WALK_DEPTH && !NOT_SOURCE.has(name) && !others.has(path) && !m.glob.coversDirectory(path, exclude))
          pending.push({ dir: path, depth: depth + 1 });
        continue;
      }
      if (!CODE.test(name) || DECLARATION.test(name) || CONFIG_NAMES.includes(name)) continue;
      if (m.glob.matchesAny(path, exclude) || (include.length > 0 && !m.glob.matchesAny(path, include))) continue;
      seen++;
      // Discovery saw its bytes hold none of ADAPTER_WORDS: no adapter is constructed there.
      if (ctx.view.turnedAway?.(path)) continue;
      const text = ctx.view.readText(path);
      if (text !== undefined && m.adapter.ADAPTER_CONSTRUCTION.test(text)) found.push(path);
    }
  }
  return found.sort();
}

/** The adapter files and the modules they import by relative path: one step, for their options' constants and helpers. */
function withImports(paths: readonly string[], ctx: FormatContext): Array<{ path: string; text: string }> {
  const start = paths.flatMap((path) => {
    const text = ctx.view.readText(path);
    return text === undefined ? [] : [{ path, text }];
  });
  return withRelativeImports(start, ctx.view, {
    follows: (_path, isStart) => isStart,
    maxImported: MAX_IMPORTED,
    json: false,
  });
}

async function contribute(files: readonly ClaimedFile[], ctx: FormatContext, m: Modules): Promise<Contribution> {
  const pools: NonNullable<Contribution['pools']> = [];
  const problems: NonNullable<Contribution['problems']> = [];
  const listed: NonNullable<Contribution['files']> = [];
  const declared = ctx.config.libraries.prisma;
  const projects = new Set(files.map((f) => projectDir(f.path)));
  for (const f of files) {
    const parsed = ctx.cache.get('prisma-schema', f.path, f.text, () => m.schema.parsePrismaSchema(f.path, f.text));
    problems.push(...parsed.problems);
    const project = projectDir(f.path);
    // The version (connlint.config.yaml first, else what the nearest package.json pins) and the adapter package.
    const manifest = nearestManifest(project, ctx, m);
    if (manifest) listed.push({ path: manifest.path, read: true, owner: 'certain', reason: `the Prisma version and adapter of ${f.path}` });
    const version = declared ? { version: declared.value, span: declared.span } : manifest?.facts.version;
    const adapter = manifest?.facts.adapter;
    const configPath = CONFIG_NAMES.map((n) => join(project, n)).find((p) => ctx.view.isFile(p));
    let config: { path: string; value: import('../interpreters/js/value.js').JsValue } | undefined;
    if (configPath) {
      const text = ctx.view.readText(configPath);
      if (text !== undefined) {
        const evaluate = await m.evaluate();
        const tree = ctx.cache.get('js-eval', configPath, text, () => evaluate.evaluateJsTree([{ path: configPath, text }]));
        problems.push(...tree.problems);
        const exported = tree.modules.get(configPath)?.defaultExport;
        // `export default defineConfig({...})`: the argument is the configuration.
        const value = exported?.kind === 'call' && /(?:^|\.)defineConfig$/.test(exported.callee) ? exported.args[0] : exported;
        if (value) config = { path: configPath, value };
        listed.push({ path: configPath, read: true, owner: 'certain', reason: `Prisma's configuration for ${f.path}` });
      }
    }
    // The code that constructs the driver adapter, under this project (not under another schema's).
    const others = new Set([...projects].filter((p) => p !== project && (project === '' || p.startsWith(`${project}/`))));
    const found = adapterFiles(project, others, ctx, m);
    let adapters: import('../interpreters/prisma/adapter.js').AdapterCall[] = [];
    const sourceText = new Map<string, string>();
    if (found.length > 0) {
      const all = withImports(found, ctx);
      for (const x of all) sourceText.set(x.path, x.text);
      const evaluate = await m.evaluate();
      const key = all.map((x) => x.path).join('\0');
      const tree = ctx.cache.get('js-eval', key, all.map((x) => x.text).join('\0'), () => evaluate.evaluateJsTree(all));
      problems.push(...tree.problems);
      // Application code before scripts and test code, then by path: the first construction names its pool.
      const rank = (path: string) => (TEST_CODE.test(path) ? 2 : SCRIPT.test(path) || PRISMA_SCRIPT.test(path) ? 1 : 0);
      adapters = m.adapter.adapterCalls(tree.modules).sort((a, b) => rank(a.path) - rank(b.path));
      for (const path of new Set(adapters.map((a) => a.path))) {
        const mine = adapters.filter((a) => a.path === path);
        // A file whose adapter wraps a mariadb createPool() is the JS/TS format's: it reads that pool.
        if (
          mine.every((a) => {
            const arg = a.call.args[0];
            return a.driver === 'mariadb' && arg?.kind === 'call' && /\.createPool$/.test(arg.callee);
          })
        )
          continue;
        const test = TEST_CODE.test(path);
        listed.push({
          path,
          read: true,
          owner: test ? 'uncertain' : 'certain',
          reason: `${test ? 'test code that constructs' : 'constructs'} the Prisma driver adapter (${mine.map((a) => `${a.call.written}() at line ${a.call.span.line}`).join(', ')}) for ${f.path}${test ? ': it runs when the tests run' : ''}`,
        });
      }
    }
    const pinned = manifest?.facts.drivers.mariadb;
    const pinnedVersion = pinned ? m.manifest.exactVersionOf(pinned.range) : undefined;
    const declaredMariadb = ctx.config.libraries.mariadb;
    const mariadbVersion = declaredMariadb
      ? { version: declaredMariadb.value, span: declaredMariadb.span }
      : pinned && pinnedVersion
        ? { version: pinnedVersion, span: pinned.span }
        : undefined;
    const pgRange = manifest?.facts.drivers.pg?.range;
    const envDocs = new Map<string, import('../parsers/dotenv-node.js').DotenvNodeDoc>();
    for (const p of m.envFiles.prismaEnvFiles(f.path, configPath !== undefined, version?.version)) {
      if (!ctx.view.isFile(p)) continue;
      const text = ctx.view.readText(p);
      if (text === undefined) continue;
      const env = ctx.cache.get('dotenv-node', p, text, () => m.dotenv.parseDotenvNode(p, text));
      problems.push(...env.problems);
      envDocs.set(p, env.doc);
      listed.push({ path: p, read: true, owner: 'certain', reason: `Prisma loads it for ${f.path}` });
    }
    const result = m.pools.prismaPools({
      schemaPath: f.path,
      schema: parsed.doc,
      env: m.envFiles.prismaEnvLookup(envDocs, f.path, configPath !== undefined, version?.version),
      ...(version ? { version } : {}),
      ...(adapter ? { adapter } : {}),
      ...(config ? { config } : {}),
      ...(adapters.length > 0 ? { adapters, sourceText } : {}),
      ...(pgRange ? { pgRange } : {}),
      ...(mariadbVersion ? { mariadbVersion } : {}),
    });
    pools.push(...result.pools);
    problems.push(...result.problems);
    if (result.pools.length === 0 && result.notPooled.length > 0)
      listed.push({ path: f.path, read: true, reason: result.notPooled.map((n) => `${n.name}: ${n.reason}`).join('; ') });
  }
  return { pools, problems, files: listed };
}

/** A text `ADAPTER_CONSTRUCTION` (interpreters/prisma/adapter.ts) matches holds one of these (`new PrismaPg(`). */
export const ADAPTER_WORDS = byteWords(['PrismaPg', 'PrismaMariaDb']);

export const prisma: Format = {
  id: 'prisma',
  name: 'Prisma schema (with the .env files and prisma.config.* Prisma reads)',
  matchesName: (path) => path.endsWith('.prisma'),
  encoding: 'utf8',
  claim: claimPrisma,
  reachWords: ADAPTER_WORDS,
  async load() {
    const [schema, dotenv, envFiles, pools, manifest, json, adapter, glob] = await Promise.all([
      import('../parsers/prisma-schema.js'),
      import('../parsers/dotenv-node.js'),
      import('../interpreters/prisma/env-files.js'),
      import('../interpreters/prisma/pools.js'),
      import('../interpreters/prisma/manifest.js'),
      import('../interpreters/js/json-value.js'),
      import('../interpreters/prisma/adapter.js'),
      import('../discover/glob.js'),
    ]);
    const modules: Modules = {
      schema,
      dotenv,
      envFiles,
      pools,
      manifest,
      json,
      adapter,
      glob,
      evaluate: () => import('../interpreters/js/evaluate.js'),
    };
    return { contribute: (files, ctx) => contribute(files, ctx, modules) };
  },
};
