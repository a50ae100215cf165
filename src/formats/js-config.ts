import { dirname } from '../interpreters/js/module-resolution.js';
import type { Claim, ClaimedFile, Contribution, Format, FormatContext, NotRead } from './format.js';
import { byteWords, holdsAny } from './byte-sniff.js';
import { DECLARATION, GENERATED, SCRIPT, TEST_CODE, withRelativeImports } from './js-files.js';

/*
 * JavaScript and TypeScript configuration (issue 18): knexfiles and `knex({...})`, Strapi's
 * `config/database.*`, mysql2/mysql/mariadb `createPool`, TypeORM data sources and NestJS
 * `TypeOrmModule.forRoot`, `new Sequelize(...)`. A file is claimed from its name and a cheap look at its
 * text; ts-morph and the evaluator load only then. The code is evaluated statically, never run, with the
 * modules it imports from the tree by relative path.
 *
 * TypeORM's own reader (0.2.x–0.3.x `createConnection()` without options; typeorm.md, "ormconfig lookup")
 * is followed per application root: `ormconfig.{env,js,mjs,cjs,ts,mts,cts,json,yml,yaml}` are claimed by
 * name, the root's `.env` is read through the tree (it is not claimed: Prisma and Compose read it too),
 * and only the file the reader would use is read (interpreters/typeorm/reader.ts decides which, per version).
 */

type Evaluate = typeof import('../interpreters/js/evaluate.js');
type Knex = typeof import('../interpreters/knex/pools.js');
type NodeMysql = typeof import('../interpreters/node-mysql/pool.js');
type Typeorm = typeof import('../interpreters/typeorm/data-source.js');
type Sequelize = typeof import('../interpreters/sequelize/pools.js');
type Json = typeof import('../interpreters/js/json-value.js');
type Yaml = typeof import('../parsers/yaml.js');
type Dotenv = typeof import('../parsers/dotenv-node.js');
type Reader = typeof import('../interpreters/typeorm/reader.js');
type EnvReader = typeof import('../interpreters/typeorm/env-reader.js');
type OrmYml = typeof import('../interpreters/typeorm/ormconfig-yml.js');
type Versions = typeof import('../interpreters/node-mysql/versions.js');
type Installed = typeof import('../interpreters/js/installed-version.js');

interface Modules {
  /** Loaded only when a JS/TS file is claimed (it pulls in ts-morph); JSON configurations do without. */
  evaluate: () => Promise<Evaluate>;
  knex: Knex;
  nodeMysql: NodeMysql;
  typeorm: Typeorm;
  sequelize: Sequelize;
  json: Json;
  dotenv: Dotenv;
  reader: Reader;
  envReader: EnvReader;
  versions: Versions;
  installed: Installed;
  /** Loaded only when an ormconfig.yml is read (it pulls in the yaml package). */
  loadYml: () => Promise<[Yaml, OrmYml]>;
}

const SOURCE = /\.(?:[cm]?[jt]s)$/;
/** JSON configurations read by name: TypeORM's ormconfig.json and sequelize-cli's config/config.json. */
const ORMCONFIG_JSON = /(?:^|\/)ormconfig\.json$/;
/** TypeORM's other ormconfig files, claimed by name (`.xml` is not read: TypeORM dropped it with `.yml` in 0.3.14). */
const ORMCONFIG = /(?:^|\/)ormconfig\.(env|[cm]?[jt]s|json|ya?ml)$/;
const ORMCONFIG_JS = /(?:^|\/)ormconfig\.[cm]?[jt]s$/;
const SEQUELIZE_JSON = /(?:^|\/)config\/config\.json$/;
const KNEXFILE = /(?:^|\/)knexfile\.[cm]?[jt]s$/;
const STRAPI = /(?:^|\/)config\/database\.[jt]s$/;
const PRISMA_CONFIG = /(?:^|\/)prisma\.config\.[cm]?[jt]s$/;
const SNIFF =
  /\b[Kk]nex\s*\(|\brequire\s*\(\s*['"]knex['"]\s*\)\s*\(|\bcreatePool(?:Cluster)?\s*\(|\bnew\s+DataSource\s*\(|\bcreateConnections?\s*\(|\bgetConnectionOptions\s*\(|\bTypeOrmModule\s*\.\s*forRoot(?:Async)?\b|\bnew\s+Sequelize\s*\(/;
/** Calls that make TypeORM 0.2.x–0.3.x read ormconfig / TYPEORM_* (the evaluator does not list these two). */
const READER_CALL = /\bcreateConnections\s*\(|\bgetConnectionOptions\s*\(|\bnew\s+ConnectionOptionsReader\s*\(/;
/** Modules a configuration's imports are followed through beyond the first step: those that look like configuration. */
const CONFIG_LIKE = /config|database|\bdb\b|[._-]db\.|env|settings|knex|ormconfig|datasource|data-source/i;
const MAX_IMPORTED = 200;

const NO_POOL: NotRead = { notRead: 'no database pool configuration (knex, createPool, DataSource, TypeOrmModule, Sequelize)' };
/** A text SNIFF matches holds one of these words. */
const SNIFF_WORDS = byteWords([
  'knex',
  'Knex',
  'createPool',
  'DataSource',
  'createConnection',
  'getConnectionOptions',
  'TypeOrmModule',
  'Sequelize',
]);

/** NO_POOL without decoding, for a file only SNIFF could claim whose bytes hold none of its words. */
export function quickJsNotRead(path: string, bytes: Buffer): NotRead | undefined {
  if (ORMCONFIG.test(path) || SEQUELIZE_JSON.test(path) || PRISMA_CONFIG.test(path) || GENERATED.test(path)) return undefined;
  if (KNEXFILE.test(path) || STRAPI.test(path)) return undefined;
  return holdsAny(bytes, SNIFF_WORDS) ? undefined : NO_POOL;
}

export function claimJsConfig(path: string, text: string): Claim | NotRead {
  const orm = ORMCONFIG.exec(path)?.[1];
  if (orm === 'env') return { owner: 'certain', reason: "TypeORM's ormconfig.env (TYPEORM_* variables, TypeORM 0.2.x–0.3.x)" };
  if (orm === 'yml' || orm === 'yaml')
    return { owner: 'certain', reason: `TypeORM's ormconfig.${orm}: each top-level key names a connection (TypeORM 0.2.0–0.3.13)` };
  if (orm && orm !== 'json' && !GENERATED.test(path))
    return TEST_CODE.test(path)
      ? { owner: 'uncertain', reason: `TypeORM's ormconfig.${orm} in test code: it is read when the tests run` }
      : {
          owner: 'certain',
          reason: /\bnew\s+DataSource\s*\(/.test(text)
            ? `TypeORM's ormconfig.${orm} with new DataSource(...) (the 0.3 CLI reads it with -d)`
            : `TypeORM's ormconfig.${orm} (its default export is the connection options)`,
        };
  if (ORMCONFIG_JSON.test(path))
    return /"type"\s*:/.test(text)
      ? { owner: 'certain', reason: "TypeORM's ormconfig.json" }
      : { notRead: 'an ormconfig.json without a "type"' };
  if (SEQUELIZE_JSON.test(path))
    return /"dialect"\s*:|"use_env_variable"\s*:/.test(text)
      ? { owner: 'certain', reason: "sequelize-cli's config/config.json (one configuration per environment)" }
      : { notRead: 'a config/config.json without a Sequelize dialect' };
  if (PRISMA_CONFIG.test(path)) return { notRead: 'a Prisma configuration: read with its schema by the Prisma format' };
  if (GENERATED.test(path)) return { notRead: 'build output or a bundle, not the project’s configuration' };
  if (KNEXFILE.test(path)) return { owner: 'certain', reason: 'a knexfile (read by the knex CLI and the application)' };
  if (STRAPI.test(path) && /\bclient\b/.test(text) && /\bconnection\b/.test(text))
    return { owner: 'certain', reason: "Strapi's database configuration (knex)" };
  const sniff = SNIFF.exec(text);
  if (!sniff) return NO_POOL;
  const what = sniff[0].replace(/\s+/g, ' ');
  // Test code runs when the tests run, not in production: its findings are notes at most.
  if (TEST_CODE.test(path))
    return { owner: 'uncertain', reason: `test code with a pool configuration (${what}): it runs when the tests run` };
  // A migration or seed script runs briefly and exits: whether its pool ever sits idle is doubtful, so notes.
  if (SCRIPT.test(path))
    return {
      owner: 'uncertain',
      reason: `a script (migration, seed, tool) with a pool configuration (${what}): it runs briefly and exits`,
    };
  return { owner: 'certain', reason: `JavaScript/TypeScript pool configuration: ${what}` };
}

/**
 * The claimed files and the modules they import from the tree by relative path, transitively but bounded: a
 * claimed file's imports are read; an imported module's own imports only when it looks like configuration
 * (a knexfile's `./src/config`), not an application's controllers and entities. Build output is never read.
 */
function withImports(files: readonly ClaimedFile[], ctx: FormatContext, imported?: Set<string>): Array<{ path: string; text: string }> {
  return withRelativeImports(files, ctx.view, {
    follows: (path, isStart) => isStart || CONFIG_LIKE.test(path),
    maxImported: MAX_IMPORTED,
    json: true,
    skip: GENERATED,
    ...(imported ? { imported } : {}),
  });
}

/** What the nearest package.json (up from a file's folder) says: its folder, the MySQL package TypeORM 0.x loads, the typeorm range. */
interface Manifest {
  dir: string;
  /** Set when exactly one of mysql and mysql2 is installed. */
  mysqlPackage?: 'mysql' | 'mysql2';
}

function nearestManifest(path: string, ctx: FormatContext, m: Modules): Manifest | undefined {
  for (let d = dirname(path); ; d = dirname(d)) {
    const manifest = d ? `${d}/package.json` : 'package.json';
    if (ctx.view.isFile(manifest)) {
      const text = ctx.view.readText(manifest);
      const value =
        text === undefined ? undefined : ctx.cache.get('json', manifest, text, () => m.json.jsonToJsValue(manifest, text)).value;
      if (value?.kind !== 'object') return { dir: d };
      const deps = new Map<string, string | undefined>();
      for (const p of value.properties)
        if ((p.key === 'dependencies' || p.key === 'devDependencies') && p.value.kind === 'object')
          for (const q of p.value.properties) deps.set(q.key, q.value.kind === 'string' ? q.value.value : undefined);
      const mysql = deps.has('mysql');
      const mysql2 = deps.has('mysql2');
      const pkg = mysql && !mysql2 ? 'mysql' : mysql2 && !mysql ? 'mysql2' : undefined;
      return { dir: d, ...(pkg ? { mysqlPackage: pkg } : {}) };
    }
    if (!d) return undefined;
  }
}

type VersionAt = (name: string, path: string) => LibraryVersion | undefined;
type LibraryVersion = import('../model/model.js').LibraryVersion;

/** `3.9.7`: a version that is one release, as a lock file or an exact pin gives it (not a range). */
const EXACT_VERSION = /^\s*[v=]?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?\s*$/;

/**
 * A package's version for a file: declared in connlint.config.yaml (for the whole tree), else the one the
 * project installs (its lock file's, else its package.json range; installed-version.ts). A range connlint
 * cannot read (`latest`, `workspace:*`) leaves the version unknown rather than warning about the project.
 */
function packageVersions(ctx: FormatContext, m: Modules): VersionAt {
  const memo = new Map<string, LibraryVersion | undefined>();
  return (name, path) => {
    const d = ctx.config.libraries[name];
    if (d) return { version: d.value, span: d.span };
    const key = `${name}\0${dirname(path)}`;
    if (!memo.has(key)) {
      const v = m.installed.installedVersion(ctx.view, path, name);
      memo.set(key, v && m.versions.versionInterval(v.version) ? v : undefined);
    }
    return memo.get(key);
  };
}

/** The versions of the packages TypeORM hands its options to (the options' type picks one). */
function typeormDriverVersions(versionAt: VersionAt, path: string): Partial<Record<'mysql' | 'mysql2' | 'pg', LibraryVersion>> {
  const out: Partial<Record<'mysql' | 'mysql2' | 'pg', LibraryVersion>> = {};
  for (const p of ['mysql', 'mysql2', 'pg'] as const) {
    const v = versionAt(p, path);
    if (v) out[p] = v;
  }
  return out;
}

type Pools = NonNullable<Contribution['pools']>;
type Problems = NonNullable<Contribution['problems']>;
type Listed = NonNullable<Contribution['files']>;
type JsValue = import('../interpreters/js/value.js').JsValue;
type JsModule = import('../interpreters/js/value.js').JsModule;

/** How a JS/TS file gives TypeORM its options: its own (`new DataSource({...})`) or through the reader (`createConnection()`). */
interface TypeormUse {
  explicit?: string;
  reader: boolean;
}

function typeormUse(path: string, text: string, mod: JsModule | undefined): TypeormUse {
  const use: TypeormUse = { reader: READER_CALL.test(text) };
  for (const call of mod?.calls ?? []) {
    const c = call.callee;
    const at = `${call.written}(...) at ${path}:${call.span.line}`;
    const first = call.args[0];
    const hasType = (v: JsValue | undefined) =>
      v?.kind === 'object' && (v.properties.some((p) => p.key === 'type') || (v.spreads?.length ?? 0) > 0);
    if (/^typeorm\.(?:default\.)?DataSource$/.test(c)) use.explicit ??= at;
    else if (/^typeorm\.(?:default\.)?createConnection$/.test(c)) {
      // createConnection(name?) reads ormconfig / TYPEORM_*; createConnection({...}) does not.
      if (!first || first.kind === 'string') use.reader = true;
      else use.explicit ??= at;
    } else if (/TypeOrmModule\.forRoot$/.test(c)) {
      if (hasType(first)) use.explicit ??= at;
      else if (!first || first.kind === 'object') use.reader = true;
    } else if (/TypeOrmModule\.forRootAsync$/.test(c)) {
      const factory = first?.kind === 'object' ? first.properties.find((p) => p.key === 'useFactory')?.value : undefined;
      const returned = factory?.kind === 'function' ? factory.returns : undefined;
      if (hasType(returned)) use.explicit ??= at;
      else if (returned?.kind === 'object') use.reader = true;
    }
  }
  return use;
}

interface ReaderInput {
  ctx: FormatContext;
  m: Modules;
  /** Claimed ormconfig files by path, with the default export of the JS ones. */
  ormconfig: Map<string, { text: string; defaultExport?: JsValue; ownCalls: boolean }>;
  /** Files a module of the tree imports. */
  imported: ReadonlySet<string>;
  /** Folders (package roots) of JS/TS files that call the reader. */
  readerRoots: Set<string>;
  /** By package root: how its JS/TS files use TypeORM. */
  uses: Map<string, TypeormUse>;
  sourceText: Map<string, string>;
  /** A package's version for a file: declared in connlint.config.yaml, else what the project installs. */
  versionAt: VersionAt;
}

/**
 * TypeORM's reader in each application root: which of the root's ormconfig files and `.env` it uses
 * (per version; reader.ts), and the pools of those.
 */
async function readerPools(r: ReaderInput): Promise<{ pools: Pools; problems: Problems; listed: Listed }> {
  const { ctx, m } = r;
  const pools: Pools = [];
  const problems: Problems = [];
  const listed: Listed = [];
  const roots = new Set<string>([...[...r.ormconfig.keys()].map(dirname), ...r.readerRoots]);
  const join = (d: string, name: string) => (d ? `${d}/${name}` : name);
  for (const root of [...roots].sort()) {
    const manifest = nearestManifest(join(root, 'x'), ctx, m);
    const exts = new Set(m.reader.ORMCONFIG_EXTS.filter((e) => ctx.view.isFile(join(root, `ormconfig.${e}`))));
    const dotEnvPath = join(root, '.env');
    const readings = new Map<string, Map<string, import('../interpreters/typeorm/env-reader.js').EnvVariable>>();
    const envText = (file: string) =>
      file === dotEnvPath ? ctx.view.readText(file) : (r.ormconfig.get(file)?.text ?? ctx.view.readText(file));
    const variables = (file: string, flavor: import('../interpreters/typeorm/env-reader.js').DotenvFlavor) => {
      const key = `${file}\0${flavor}`;
      let vars = readings.get(key);
      if (!vars) {
        const text = envText(file) ?? '';
        vars =
          flavor === 'dotenv16'
            ? m.envReader.dotenv16Variables(ctx.cache.get('dotenv-node', file, text, () => m.dotenv.parseDotenvNode(file, text)).doc)
            : m.envReader.legacyDotenvVariables(file, text, flavor);
        readings.set(key, vars);
      }
      return vars;
    };
    const flavors = ['dotenv5', 'dotenv8', 'dotenv16'] as const;
    // The root's .env takes part only when some dotenv would make it select the env reader.
    const hasDotEnv = ctx.view.isFile(dotEnvPath) && flavors.some((f) => m.envReader.activatesEnvReader(variables(dotEnvPath, f), true));
    if (exts.size === 0 && !hasDotEnv) continue;
    const use = r.uses.get(manifest?.dir ?? '');
    // A declared or locked version is the one that runs; a package.json range only bounds it.
    const at = join(manifest?.dir ?? root, 'package.json');
    const typeormVersion = r.versionAt('typeorm', at);
    const interval = typeormVersion ? m.versions.versionInterval(typeormVersion.version) : undefined;
    const exact = typeormVersion && interval && EXACT_VERSION.test(typeormVersion.version) ? typeormVersion : undefined;
    const declared = exact ? interval : undefined;
    const range = exact ? undefined : interval;
    const driverVersions = typeormDriverVersions(r.versionAt, at);
    const decisions = m.reader.readerDecisions({
      root: {
        ormconfig: exts,
        hasDotEnv,
        activates: (file, flavor, url) => m.envReader.activatesEnvReader(variables(join(root, file), flavor), url),
      },
      versions: declared
        ? { interval: declared, label: exact?.version as string, declared: true }
        : range
          ? { interval: range, label: typeormVersion?.version as string, declared: false }
          : { declared: false },
      ...(use?.explicit && !use.reader
        ? {
            explicitOnly: `the application passes its own options to ${use.explicit}, which ignores ormconfig files and TYPEORM_* (typeorm.md)`,
          }
        : {}),
    });
    for (const [name, d] of decisions) {
      const path = join(root, name);
      const claimed = r.ormconfig.get(path);
      // A .env is not ours to list unless the reader uses it: Prisma and Compose read it too, and an application
      // that passes its own options often reads TYPEORM_* itself (`host: process.env.TYPEORM_HOST`).
      if (name === '.env' && (d.owner === null || (use?.explicit && !use.reader))) continue;
      // An ormconfig.ts that exports `new DataSource(...)` (for the 0.3 CLI's -d) is read as code, not as reader
      // options; so is one the application imports and passes to its own call (`createConnection(ormconfig)`).
      if (claimed?.ownCalls || (use?.explicit && !use.reader && r.imported.has(path))) continue;
      // The reader looks in the application root, the folder of package.json (typeorm.md, ormconfig lookup).
      const elsewhere =
        manifest && manifest.dir !== root && d.owner === 'certain'
          ? `TypeORM looks for ormconfig files in the application root (${manifest.dir || '.'}, the folder of package.json), not in ${root}, unless its root option says so`
          : undefined;
      const owner = elsewhere ? 'uncertain' : d.owner;
      listed.push({ path, read: owner !== null, ...(owner ? { owner } : {}), reason: elsewhere ?? d.reason });
      if (owner === null) continue;
      const hull = exact ? undefined : m.reader.groupsHull(d.groups);
      const base = {
        path,
        sourceText: r.sourceText,
        ...(exact ? { version: exact } : {}),
        ...(hull ? { versionRange: hull } : {}),
        ...(manifest?.mysqlPackage ? { driverPackage: manifest.mysqlPackage } : {}),
        driverVersions,
      };
      const take = (options: JsValue, source: 'ormconfig' | 'env') => {
        const res = m.typeorm.typeormPools({ ...base, options, source });
        pools.push(...res.pools);
        problems.push(...res.problems);
      };
      if (name === '.env' || name === 'ormconfig.env') {
        const text = envText(path);
        if (text === undefined) continue;
        r.sourceText.set(path, text);
        const used = [...new Set(d.groups.map((g) => g.dotenv).filter((f) => f !== null))];
        const vars = m.envReader.agreedVariables(used.map((flavor) => ({ flavor, vars: variables(path, flavor) })));
        const at = vars.get('TYPEORM_CONNECTION')?.keySpan ?? vars.get('TYPEORM_URL')?.keySpan;
        const env = at ? m.envReader.typeormEnvOptions(vars, at) : undefined;
        if (!env) continue;
        problems.push(...env.problems);
        take(env.options, 'env');
      } else if (name === 'ormconfig.yml' || name === 'ormconfig.yaml') {
        const text = claimed?.text ?? ctx.view.readText(path);
        if (text === undefined) continue;
        r.sourceText.set(path, text);
        const [yaml, ormYml] = await m.loadYml();
        const parsed = ctx.cache.get('yaml', path, text, () => yaml.parseYaml(path, text));
        problems.push(...parsed.problems);
        const c = ormYml.ymlConnections(parsed.file, parsed.problems);
        problems.push(...c.problems);
        if (c.connections) take(c.connections, 'ormconfig');
      } else if (name === 'ormconfig.json') {
        const text = claimed?.text ?? ctx.view.readText(path);
        if (text === undefined) continue;
        const parsed = ctx.cache.get('json', path, text, () => m.json.jsonToJsValue(path, text));
        problems.push(...parsed.problems);
        if (parsed.value) take(parsed.value, 'ormconfig');
      } else if (claimed?.defaultExport) {
        take(claimed.defaultExport, 'ormconfig');
      }
    }
  }
  return { pools, problems, listed };
}

async function contribute(files: readonly ClaimedFile[], ctx: FormatContext, m: Modules): Promise<Contribution> {
  const isCode = (p: string) => SOURCE.test(p);
  const jsonFiles = files.filter((f) => SEQUELIZE_JSON.test(f.path) && !ORMCONFIG_JSON.test(f.path));
  // Files some module of the tree imports (an ormconfig.ts the application imports is read as a module).
  const imported = new Set<string>();
  const all = withImports(
    files.filter((f) => isCode(f.path)),
    ctx,
    imported,
  );
  const key = all.map((f) => f.path).join('\0');
  const evaluate = all.length > 0 ? await m.evaluate() : undefined;
  const tree = evaluate
    ? ctx.cache.get('js-eval', key, all.map((f) => f.text).join('\0'), () => evaluate.evaluateJsTree(all))
    : { modules: new Map<string, JsModule>(), problems: [] };
  const sourceText = new Map(all.map((f) => [f.path, f.text]));
  const versionAt = packageVersions(ctx, m);
  const keepaliveFor = (path: string) => (client: string, connection: JsValue | undefined) => {
    const c = client.toLowerCase();
    const driver =
      c === 'mysql2'
        ? 'mysql2'
        : c === 'mysql'
          ? 'mysql'
          : c === 'mariadb'
            ? 'mariadb'
            : /^(?:pg|postgres|postgresql)$/.test(c)
              ? 'pg'
              : undefined;
    return driver
      ? m.nodeMysql.nodeDriverKeepalive(driver, connection, driver === 'mysql2' ? versionAt('mysql2', path) : undefined)
      : undefined;
  };
  const pools: Pools = [];
  const problems: Problems = [...tree.problems];
  const listed: Listed = [];
  const claimed = new Set(files.filter((f) => isCode(f.path)).map((f) => f.path));
  for (const f of all)
    if (!claimed.has(f.path)) listed.push({ path: f.path, read: true, owner: 'certain', reason: `imported by a configuration file` });
  const take = (r: { pools: Pools; problems: Problems }) => {
    pools.push(...r.pools);
    problems.push(...r.problems);
  };
  const ormconfig: ReaderInput['ormconfig'] = new Map();
  const uses = new Map<string, TypeormUse>();
  const readerRoots = new Set<string>();
  for (const f of files) if (ORMCONFIG.test(f.path) && !ORMCONFIG_JS.test(f.path)) ormconfig.set(f.path, { text: f.text, ownCalls: false });
  for (const path of claimed) {
    const mod = tree.modules.get(path);
    // How the application gives TypeORM its options, by package root (for the reader's files).
    const use = typeormUse(path, sourceText.get(path) ?? '', mod);
    if (use.explicit || use.reader) {
      const dir = nearestManifest(path, ctx, m)?.dir ?? '';
      const held = uses.get(dir) ?? { reader: false };
      uses.set(dir, {
        reader: held.reader || use.reader,
        ...((held.explicit ?? use.explicit) ? { explicit: held.explicit ?? use.explicit } : {}),
      });
      if (use.reader) readerRoots.add(dir);
    }
    if (ORMCONFIG_JS.test(path)) {
      const exported = mod?.defaultExport;
      ormconfig.set(path, {
        text: sourceText.get(path) ?? '',
        ...(exported ? { defaultExport: exported } : {}),
        ownCalls: Boolean(use.explicit) || exported?.kind === 'call',
      });
    }
    if (!mod) continue;
    // The evaluator's own remarks (a NaN in a sub-expression) are not findings: `parseInt(x || '') || 5432`
    // is NaN only on its way to the fallback (ATOR-Development/ator-rest-api knexfile). What reaches a setting
    // is judged by the interpreters.
    const knexVersion = versionAt('knex', path);
    const keepalive = keepaliveFor(path);
    const base = { path, sourceText, ...(knexVersion ? { version: knexVersion } : {}), driverKeepalive: keepalive };
    if (KNEXFILE.test(path) && mod.defaultExport) take(m.knex.knexPools({ ...base, config: mod.defaultExport, source: 'knexfile' }));
    else if (STRAPI.test(path) && mod.defaultExport) take(m.knex.knexPools({ ...base, config: mod.defaultExport, source: 'strapi' }));
    for (const call of mod.calls) {
      const callee = call.callee;
      const last = callee.slice(callee.lastIndexOf('.') + 1);
      if (/^knex(?:\.default)?$/.test(callee)) take(m.knex.knexPools({ ...base, config: call, source: 'call' }));
      else if (last === 'createPool' || last === 'createPoolCluster') {
        const driver = /^mysql2(?:\/promise)?\./.test(callee)
          ? 'mysql2'
          : /^mysql\./.test(callee)
            ? 'mysql'
            : /^mariadb(?:\/callback)?\./.test(callee)
              ? 'mariadb'
              : undefined;
        if (!driver) continue;
        const v = versionAt(driver, path);
        const r = m.nodeMysql.nodeMysqlPool({ path, call, driver, sourceText, ...(v ? { version: v } : {}) });
        problems.push(...r.problems);
        if (r.pool) pools.push(r.pool);
      } else if (
        /^typeorm\.(?:default\.)?(?:DataSource|createConnection)$/.test(callee) ||
        /TypeOrmModule\.forRoot(?:Async)?$/.test(callee)
      ) {
        const source =
          last === 'DataSource'
            ? 'DataSource'
            : last === 'createConnection'
              ? 'createConnection'
              : last === 'forRootAsync'
                ? 'forRootAsync'
                : 'forRoot';
        const v = versionAt('typeorm', path);
        const options = call.args[0];
        // createConnection('name') takes a connection name, and reads it from the reader's files.
        if (!options || (source === 'createConnection' && options.kind === 'string')) continue;
        const pkg = nearestManifest(path, ctx, m)?.mysqlPackage;
        take(
          m.typeorm.typeormPools({
            path,
            options,
            source,
            sourceText,
            ...(v ? { version: v } : {}),
            ...(pkg ? { driverPackage: pkg } : {}),
            driverVersions: typeormDriverVersions(versionAt, path),
          }),
        );
      } else if (/^(?:sequelize|@sequelize\/core)\.(?:default\.)?Sequelize$/.test(callee) && call.isNew) {
        const v = versionAt('sequelize', path);
        take(
          m.sequelize.sequelizePools({
            path,
            config: call,
            source: 'constructor',
            sourceText,
            driverKeepalive: keepalive,
            ...(v ? { version: v } : {}),
          }),
        );
      }
    }
  }
  // TypeORM's reader: ormconfig.* and TYPEORM_* in .env, one file per application root.
  const reader = await readerPools({
    ctx,
    m,
    ormconfig,
    imported,
    readerRoots,
    uses,
    sourceText,
    versionAt,
  });
  pools.push(...reader.pools);
  problems.push(...reader.problems);
  listed.push(...reader.listed);
  // sequelize-cli's config/config.json: read with positions, never evaluated.
  for (const f of jsonFiles) {
    const parsed = ctx.cache.get('json', f.path, f.text, () => m.json.jsonToJsValue(f.path, f.text));
    problems.push(...parsed.problems);
    if (!parsed.value) continue;
    const v = versionAt('sequelize', f.path);
    take(
      m.sequelize.sequelizePools({
        path: f.path,
        config: parsed.value,
        source: 'config-json',
        driverKeepalive: keepaliveFor(f.path),
        ...(v ? { version: v } : {}),
      }),
    );
  }
  return { pools, problems, files: listed };
}

export const jsConfig: Format = {
  id: 'js-config',
  name: 'JavaScript/TypeScript pool configuration (Knex, mysql2/mysql/mariadb, TypeORM, Sequelize)',
  matchesName: (path) => (SOURCE.test(path) && !DECLARATION.test(path)) || ORMCONFIG.test(path) || SEQUELIZE_JSON.test(path),
  encoding: 'utf8',
  claim: claimJsConfig,
  quickNotRead: quickJsNotRead,
  async load() {
    const [knex, nodeMysql, typeorm, sequelize, json, dotenv, reader, envReader, versions, installed] = await Promise.all([
      import('../interpreters/knex/pools.js'),
      import('../interpreters/node-mysql/pool.js'),
      import('../interpreters/typeorm/data-source.js'),
      import('../interpreters/sequelize/pools.js'),
      import('../interpreters/js/json-value.js'),
      import('../parsers/dotenv-node.js'),
      import('../interpreters/typeorm/reader.js'),
      import('../interpreters/typeorm/env-reader.js'),
      import('../interpreters/node-mysql/versions.js'),
      import('../interpreters/js/installed-version.js'),
    ]);
    const evaluate = () => import('../interpreters/js/evaluate.js');
    const loadYml = () => Promise.all([import('../parsers/yaml.js'), import('../interpreters/typeorm/ormconfig-yml.js')]);
    const modules: Modules = {
      evaluate,
      knex,
      nodeMysql,
      typeorm,
      sequelize,
      json,
      dotenv,
      reader,
      envReader,
      versions,
      installed,
      loadYml,
    };
    return { contribute: (files, ctx) => contribute(files, ctx, modules) };
  },
};
