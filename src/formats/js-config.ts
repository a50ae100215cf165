import type { Claim, ClaimedFile, Contribution, Format, FormatContext, NotRead } from './format.js';

/*
 * JavaScript and TypeScript configuration (issue 18): knexfiles and `knex({...})`, Strapi's
 * `config/database.*`, mysql2/mysql/mariadb `createPool`, TypeORM data sources and NestJS
 * `TypeOrmModule.forRoot`, `new Sequelize(...)`. A file is claimed from its name and a cheap look at its
 * text; ts-morph and the evaluator load only then. The code is evaluated statically, never run, with the
 * modules it imports from the tree by relative path.
 */

type Evaluate = typeof import('../interpreters/js/evaluate.js');
type Knex = typeof import('../interpreters/knex/pools.js');
type NodeMysql = typeof import('../interpreters/node-mysql/pool.js');
type Typeorm = typeof import('../interpreters/typeorm/data-source.js');
type Sequelize = typeof import('../interpreters/sequelize/pools.js');
type Json = typeof import('../interpreters/js/json-value.js');

interface Modules {
  /** Loaded only when a JS/TS file is claimed (it pulls in ts-morph); JSON configurations do without. */
  evaluate: () => Promise<Evaluate>;
  knex: Knex;
  nodeMysql: NodeMysql;
  typeorm: Typeorm;
  sequelize: Sequelize;
  json: Json;
}

const SOURCE = /\.(?:[cm]?[jt]s)$/;
/** JSON configurations read by name: TypeORM's ormconfig.json and sequelize-cli's config/config.json. */
const ORMCONFIG_JSON = /(?:^|\/)ormconfig\.json$/;
const SEQUELIZE_JSON = /(?:^|\/)config\/config\.json$/;
const DECLARATION = /\.d\.[cm]?ts$/;
/** Build output, bundles and tool folders: never the project's configuration. */
const GENERATED = /(?:^|\/)(?:dist|build|out|coverage|\.next|\.nuxt|\.output|vendor|public)\/|\.min\.js$/;
const KNEXFILE = /(?:^|\/)knexfile\.[cm]?[jt]s$/;
const TEST_CODE = /(?:^|\/)(?:tests?|__tests__|spec|e2e)\/|\.(?:test|spec|e2e-spec)\.[cm]?[jt]s$/;
const STRAPI = /(?:^|\/)config\/database\.[jt]s$/;
const PRISMA_CONFIG = /(?:^|\/)prisma\.config\.[cm]?[jt]s$/;
const SNIFF =
  /\bknex\s*\(|\bcreatePool(?:Cluster)?\s*\(|\bnew\s+DataSource\s*\(|\bcreateConnection\s*\(|\bTypeOrmModule\s*\.\s*forRoot(?:Async)?\b|\bnew\s+Sequelize\s*\(/;
/** Modules a configuration's imports are followed through beyond the first step: those that look like configuration. */
const CONFIG_LIKE = /config|database|\bdb\b|[._-]db\.|env|settings|knex|ormconfig|datasource|data-source/i;
/** Relative module specifiers, to read the modules a claimed file imports (the evaluator decides what they mean). */
const SPECIFIER = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)['"](\.{1,2}\/[^'"\n]+)['"]/g;
const EXTENSIONS = ['', '.ts', '.js', '.mts', '.mjs', '.cts', '.cjs', '.json', '/index.ts', '/index.js'];
const MAX_IMPORTED = 200;

export function claimJsConfig(path: string, text: string): Claim | NotRead {
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
  if (!sniff) return { notRead: 'no database pool configuration (knex, createPool, DataSource, TypeOrmModule, Sequelize)' };
  const what = sniff[0].replace(/\s+/g, ' ');
  // Test code runs when the tests run, not in production: its findings are notes at most.
  if (TEST_CODE.test(path))
    return { owner: 'uncertain', reason: `test code with a pool configuration (${what}): it runs when the tests run` };
  return { owner: 'certain', reason: `JavaScript/TypeScript pool configuration: ${what}` };
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function normalize(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** The claimed files and the modules they import from the tree by relative path (transitively, bounded). */
function withImports(files: readonly ClaimedFile[], ctx: FormatContext): Array<{ path: string; text: string }> {
  const texts = new Map<string, string>(files.map((f) => [f.path, f.text]));
  const claimed = new Set(files.filter((f) => !f.path.endsWith('.json')).map((f) => f.path));
  const queue = [...files.map((f) => f.path)];
  while (queue.length > 0 && texts.size < files.length + MAX_IMPORTED) {
    const from = queue.shift() as string;
    // A claimed file's imports are read; an imported module's own imports only when it looks like configuration
    // (a knexfile's `./src/config`), not an application's controllers and entities.
    if (!claimed.has(from) && !CONFIG_LIKE.test(from)) continue;
    for (const m of (texts.get(from) ?? '').matchAll(SPECIFIER)) {
      const base = normalize(`${dirname(from)}/${m[1]}`);
      if (base === undefined) continue;
      const found = EXTENSIONS.map((e) => base + e).find((p) => (texts.has(p) || ctx.view.isFile(p)) && !GENERATED.test(p));
      if (!found || texts.has(found)) continue;
      const text = ctx.view.readText(found);
      if (text === undefined) continue;
      texts.set(found, text);
      queue.push(found);
    }
  }
  return [...texts].map(([path, text]) => ({ path, text }));
}

/** The MySQL package TypeORM 0.x loads, when the nearest package.json installs exactly one of mysql and mysql2. */
function mysqlPackage(path: string, ctx: FormatContext, m: Modules): 'mysql' | 'mysql2' | undefined {
  for (let d = dirname(path); ; d = dirname(d)) {
    const manifest = d ? `${d}/package.json` : 'package.json';
    if (ctx.view.isFile(manifest)) {
      const text = ctx.view.readText(manifest);
      const value =
        text === undefined ? undefined : ctx.cache.get('json', manifest, text, () => m.json.jsonToJsValue(manifest, text)).value;
      if (value?.kind !== 'object') return undefined;
      const names = new Set<string>();
      for (const p of value.properties)
        if ((p.key === 'dependencies' || p.key === 'devDependencies') && p.value.kind === 'object')
          for (const q of p.value.properties) names.add(q.key);
      const mysql = names.has('mysql');
      const mysql2 = names.has('mysql2');
      return mysql && !mysql2 ? 'mysql' : mysql2 && !mysql ? 'mysql2' : undefined;
    }
    if (!d) return undefined;
  }
}

async function contribute(files: readonly ClaimedFile[], ctx: FormatContext, m: Modules): Promise<Contribution> {
  const jsonFiles = files.filter((f) => f.path.endsWith('.json'));
  const all = withImports(
    files.filter((f) => !f.path.endsWith('.json')),
    ctx,
  );
  const key = all.map((f) => f.path).join('\0');
  const evaluate = all.length > 0 ? await m.evaluate() : undefined;
  const tree = evaluate
    ? ctx.cache.get('js-eval', key, all.map((f) => f.text).join('\0'), () => evaluate.evaluateJsTree(all))
    : { modules: new Map<string, import('../interpreters/js/value.js').JsModule>(), problems: [] };
  const sourceText = new Map(all.map((f) => [f.path, f.text]));
  const libraries = ctx.config.libraries;
  const version = (name: string) => {
    const d = libraries[name];
    return d ? { version: d.value, span: d.span } : undefined;
  };
  const mysql2 = version('mysql2');
  const keepalive = (client: string, connection: import('../interpreters/js/value.js').JsValue | undefined) => {
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
    return driver ? m.nodeMysql.nodeDriverKeepalive(driver, connection, driver === 'mysql2' ? mysql2 : undefined) : undefined;
  };
  const pools: NonNullable<Contribution['pools']> = [];
  const problems: NonNullable<Contribution['problems']> = [...tree.problems];
  const listed: NonNullable<Contribution['files']> = [];
  const claimed = new Set(files.filter((f) => !f.path.endsWith('.json')).map((f) => f.path));
  for (const f of all)
    if (!claimed.has(f.path)) listed.push({ path: f.path, read: true, owner: 'certain', reason: `imported by a configuration file` });
  const take = (r: { pools: NonNullable<Contribution['pools']>; problems: NonNullable<Contribution['problems']> }) => {
    pools.push(...r.pools);
    problems.push(...r.problems);
  };
  const knexVersion = version('knex');
  for (const path of claimed) {
    const mod = tree.modules.get(path);
    if (!mod) continue;
    // The evaluator's own remarks (a NaN in a sub-expression) are not findings: `parseInt(x || '') || 5432`
    // is NaN only on its way to the fallback (ATOR-Development/ator-rest-api knexfile). What reaches a setting
    // is judged by the interpreters.
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
        const v = version(driver);
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
        const v = version('typeorm');
        const options = call.args[0];
        const pkg = mysqlPackage(path, ctx, m);
        if (options)
          take(
            m.typeorm.typeormPools({
              path,
              options,
              source,
              sourceText,
              ...(v ? { version: v } : {}),
              ...(pkg ? { driverPackage: pkg } : {}),
            }),
          );
      } else if (/^(?:sequelize|@sequelize\/core)\.(?:default\.)?Sequelize$/.test(callee) && call.isNew) {
        const v = version('sequelize');
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
  // JSON configurations: read with positions, never evaluated.
  for (const f of jsonFiles) {
    const parsed = ctx.cache.get('json', f.path, f.text, () => m.json.jsonToJsValue(f.path, f.text));
    problems.push(...parsed.problems);
    if (!parsed.value) continue;
    if (ORMCONFIG_JSON.test(f.path)) {
      const v = version('typeorm');
      take(m.typeorm.typeormPools({ path: f.path, options: parsed.value, source: 'ormconfig', sourceText, ...(v ? { version: v } : {}) }));
    } else {
      const v = version('sequelize');
      take(
        m.sequelize.sequelizePools({
          path: f.path,
          config: parsed.value,
          source: 'config-json',
          driverKeepalive: keepalive,
          ...(v ? { version: v } : {}),
        }),
      );
    }
  }
  return { pools, problems, files: listed };
}

export const jsConfig: Format = {
  id: 'js-config',
  name: 'JavaScript/TypeScript pool configuration (Knex, mysql2/mysql/mariadb, TypeORM, Sequelize)',
  matchesName: (path) => (SOURCE.test(path) && !DECLARATION.test(path)) || ORMCONFIG_JSON.test(path) || SEQUELIZE_JSON.test(path),
  encoding: 'utf8',
  claim: claimJsConfig,
  async load() {
    const [knex, nodeMysql, typeorm, sequelize, json] = await Promise.all([
      import('../interpreters/knex/pools.js'),
      import('../interpreters/node-mysql/pool.js'),
      import('../interpreters/typeorm/data-source.js'),
      import('../interpreters/sequelize/pools.js'),
      import('../interpreters/js/json-value.js'),
    ]);
    const evaluate = () => import('../interpreters/js/evaluate.js');
    return { contribute: (files, ctx) => contribute(files, ctx, { evaluate, knex, nodeMysql, typeorm, sequelize, json }) };
  },
};
