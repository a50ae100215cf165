import type { Claim, ClaimedFile, Contribution, Format, FormatContext, NotRead } from './format.js';

/*
 * Prisma schemas (`*.prisma` with a `datasource` block; issue 18): the datasource URL, read where Prisma
 * reads it — the schema, the `.env` files Prisma loads for it (prisma.md: which ones depends on the version
 * and on a `prisma.config.*` file), and Prisma 7's `prisma.config.*` (evaluated statically, never run).
 */

type Schema = typeof import('../parsers/prisma-schema.js');
type Dotenv = typeof import('../parsers/dotenv-node.js');
type EnvFiles = typeof import('../interpreters/prisma/env-files.js');
type Pools = typeof import('../interpreters/prisma/pools.js');
type Evaluate = typeof import('../interpreters/js/evaluate.js');
type Manifest = typeof import('../interpreters/prisma/manifest.js');
type Json = typeof import('../interpreters/js/json-value.js');

interface Modules {
  schema: Schema;
  dotenv: Dotenv;
  envFiles: EnvFiles;
  pools: Pools;
  manifest: Manifest;
  json: Json;
  /** Loaded only when a prisma.config.* file exists (it pulls in the TypeScript parser). */
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

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

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

async function contribute(files: readonly ClaimedFile[], ctx: FormatContext, m: Modules): Promise<Contribution> {
  const pools: NonNullable<Contribution['pools']> = [];
  const problems: NonNullable<Contribution['problems']> = [];
  const listed: NonNullable<Contribution['files']> = [];
  const declared = ctx.config.libraries.prisma;
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
    });
    pools.push(...result.pools);
    problems.push(...result.problems);
    if (result.pools.length === 0 && result.notPooled.length > 0)
      listed.push({ path: f.path, read: true, reason: result.notPooled.map((n) => `${n.name}: ${n.reason}`).join('; ') });
  }
  return { pools, problems, files: listed };
}

export const prisma: Format = {
  id: 'prisma',
  name: 'Prisma schema (with the .env files and prisma.config.* Prisma reads)',
  matchesName: (path) => path.endsWith('.prisma'),
  encoding: 'utf8',
  claim: claimPrisma,
  async load() {
    const [schema, dotenv, envFiles, pools, manifest, json] = await Promise.all([
      import('../parsers/prisma-schema.js'),
      import('../parsers/dotenv-node.js'),
      import('../interpreters/prisma/env-files.js'),
      import('../interpreters/prisma/pools.js'),
      import('../interpreters/prisma/manifest.js'),
      import('../interpreters/js/json-value.js'),
    ]);
    const modules: Modules = { schema, dotenv, envFiles, pools, manifest, json, evaluate: () => import('../interpreters/js/evaluate.js') };
    return { contribute: (files, ctx) => contribute(files, ctx, modules) };
  },
};
