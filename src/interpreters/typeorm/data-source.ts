/**
 * TypeORM data sources: `new DataSource({...})`, `createConnection({...})`, NestJS
 * `TypeOrmModule.forRoot({...})` and `forRootAsync({ useFactory: () => ({...}) })`, ormconfig files and
 * `TYPEORM_*` variables (typeorm.md; which of those the reader uses is reader.ts, the yml and env readings are
 * ormconfig-yml.ts and env-reader.ts). TypeORM owns no pool: for `mysql`/`mariadb` it hands one options
 * object to the mysql or mysql2 pool (its own `connectTimeout`, `acquireTimeout`, `poolSize` from 0.3.10,
 * then `extra`, which wins), for `postgres`/`cockroachdb` to a pg Pool. So a pool here has library
 * `typeorm` (the file configures TypeORM) with the driver package's facts inside, and its libraryName
 * names the package (`TypeORM (mysql2)`), so every message says whose pool it is.
 */
import type { Engine, LibraryVersion, Pool, PoolSize } from '../../model/model.js';
import { timesPools, unknownSize } from '../pool-size.js';
import type { Problem } from '../../model/problem.js';
import { maskSecrets } from '../../model/secrets.js';
import { type Setting, sortedByKey } from '../../model/setting.js';
import { formatSpan, type Span } from '../../model/span.js';
import { jsProperties, jsScalarOf } from '../js/scalar.js';
import type { JsValue } from '../js/value.js';
import { type DriverOptions, type DriverReading, driverMaxSize, mergeReadings, readDriver } from '../node-mysql/drivers.js';
import { type OptionEntry, optionEntries, readScalar, writtenSetting } from '../node-mysql/options.js';
import { DRIVER_RANGES, driverProblems } from '../node-mysql/pool.js';
import { atLeast, type Candidate, candidates, compareVer, TYPEORM_RANGES, type Ver } from '../node-mysql/versions.js';
import { readPgPool } from '../node-postgres/pool.js';

/** Where the options are written; `ormconfig` is an ormconfig.{js,ts,json,yml,...} file, `env` TYPEORM_* variables (env-reader.ts). */
export type TypeormSource = 'DataSource' | 'createConnection' | 'forRoot' | 'forRootAsync' | 'ormconfig' | 'env';

export interface TypeormInput {
  path: string;
  options: JsValue;
  source: TypeormSource;
  version?: LibraryVersion;
  /** The version of the driver package TypeORM loads (mysql, mysql2 or pg). */
  driverVersion?: LibraryVersion;
  /** Declared versions of the driver packages, by package: the one TypeORM loads for the options' type is read. */
  driverVersions?: Partial<Record<'mysql' | 'mysql2' | 'pg', LibraryVersion>>;
  /**
   * The MySQL package TypeORM 0.x loads, when the project's manifest says (0.x prefers `mysql` when both
   * are installed, typeorm.md `connectorPackage`); 1.x always loads mysql2.
   */
  driverPackage?: 'mysql' | 'mysql2';
  environment?: string;
  environmentNote?: string;
  sourceText?: ReadonlyMap<string, string>;
  /**
   * Without a declared version: the versions that can be running, when where the options are written says
   * (TypeORM reads ormconfig.yml only before 0.3.14, TYPEORM_* only before 1.0.0; reader.ts), as [lo, hi).
   */
  versionRange?: { lo: Ver; hi: Ver; label: string };
}

export interface TypeormResult {
  pools: Pool[];
  problems: Problem[];
  notPooled: Array<{ name: string; reason: string }>;
}

const SQLITE = new Set(['sqlite', 'better-sqlite3', 'sqljs', 'cordova', 'react-native', 'nativescript', 'expo', 'capacitor']);
const DATA_API = new Set(['aurora-mysql', 'aurora-postgres', 'aurora-data-api', 'aurora-data-api-pg']);
const FACT_NO_POOL =
  'typeorm.md: TypeORM owns no connection pool for MySQL/MariaDB/PostgreSQL; it hands its options to the driver pool, which alone decides idle handling and validation';

interface Ctx {
  input: TypeormInput;
  result: TypeormResult;
}

/** The TypeORM version ranges to read: the declared version's, else those `versionRange` overlaps, else all. */
function typeormCandidates(input: TypeormInput, problems: Problem[]): { list: Candidate[]; known: boolean; label?: string } {
  const c = candidates(TYPEORM_RANGES, 'TypeORM', input.version, problems);
  if (input.version) return c.known ? { ...c, label: input.version.version } : c;
  const range = input.versionRange;
  if (!range) return c;
  const list = TYPEORM_RANGES.flatMap((r, i) => {
    const next = TYPEORM_RANGES[i + 1]?.from;
    if ((next && compareVer(next, range.lo) <= 0) || compareVer(r.from, range.hi) >= 0) return [];
    return [{ ver: compareVer(r.from, range.lo) >= 0 ? r.from : range.lo, label: r.label }];
  });
  if (list.length === 0) return c;
  return list.length === 1
    ? { list: [{ ver: (list[0] as Candidate).ver, label: range.label }], known: true, label: range.label }
    : { list, known: false };
}

/** One pool per data source, from whatever the options are. */
export function typeormPools(input: TypeormInput): TypeormResult {
  const ctx: Ctx = { input, result: { pools: [], problems: [], notPooled: [] } };
  let options: JsValue | undefined = input.options;
  if (input.source === 'forRootAsync') {
    const view = jsProperties(options);
    const factory = view?.props.get('useFactory')?.value;
    if (factory?.kind !== 'function' || !factory.returns) {
      const other = view?.props.get('useClass') ?? view?.props.get('useExisting');
      ctx.result.notPooled.push({
        name: `TypeOrmModule.forRootAsync() at ${formatSpan(input.options.span)}`,
        reason: other
          ? `${other.key} builds the options in a class, which is not evaluated`
          : "useFactory's body is not a single returned object, so the options are not known here",
      });
      return ctx.result;
    }
    options = factory.returns;
  }
  visit(ctx, options, input.environment, input.environmentNote);
  return ctx.result;
}

function visit(ctx: Ctx, v: JsValue, environment: string | undefined, environmentNote: string | undefined): void {
  if (v.kind === 'branch') {
    for (const c of v.cases) {
      const env = `${v.variable}=${c.when ?? '(other)'}`;
      visit(ctx, c.value, environment ? `${environment}, ${env}` : env, environmentNote ?? `${v.variable} decides which options apply`);
    }
    return;
  }
  if (v.kind === 'array') {
    for (const item of v.items) visit(ctx, item, environment, environmentNote);
    return;
  }
  if (v.kind !== 'object') {
    const s = jsScalarOf(v);
    ctx.result.notPooled.push({
      name: `TypeORM options at ${formatSpan(v.span)}`,
      reason: `the options are ${s.unknown ?? `a ${v.kind}`}, not an object known here`,
    });
    return;
  }
  dataSource(ctx, v, environment, environmentNote);
}

function stringOf(e: OptionEntry | undefined): string | undefined {
  const s = e ? jsScalarOf(e.value) : undefined;
  return s?.literal?.kind === 'string' ? s.literal.value : undefined;
}

/** Option keys as TYPEORM_* variables name them (env-reader.ts), for messages about options read from the environment. */
const ENV_NAMES: Readonly<Record<string, string>> = {
  type: 'TYPEORM_CONNECTION',
  url: 'TYPEORM_URL',
  host: 'TYPEORM_HOST',
  port: 'TYPEORM_PORT',
  username: 'TYPEORM_USERNAME',
  password: 'TYPEORM_PASSWORD',
  database: 'TYPEORM_DATABASE',
  extra: 'TYPEORM_DRIVER_EXTRA',
};

/** How `extra.<key>` is named in messages: inside TYPEORM_DRIVER_EXTRA when the options come from the environment. */
function extraPrefix(input: TypeormInput): string {
  return input.source === 'env' ? 'TYPEORM_DRIVER_EXTRA.' : 'extra.';
}

function dataSource(ctx: Ctx, v: JsValue, environment: string | undefined, environmentNote: string | undefined): void {
  const { input } = ctx;
  const view = optionEntries(v);
  if (!view) return;
  const top = view.entries;
  if (input.source === 'env') for (const [k, e] of top) top.set(k, { ...e, key: ENV_NAMES[k] ?? e.key });
  const dsName = stringOf(top.get('name')) ?? 'default';
  const label = `TypeORM data source "${dsName}"${environment ? ` (${environment})` : ''}`;
  const typeEntry = top.get('type');
  const type = stringOf(typeEntry);
  const where = formatSpan(v.span);
  if (!typeEntry) {
    const nest = input.source === 'forRoot' || input.source === 'forRootAsync';
    ctx.result.notPooled.push({
      name: label,
      reason: nest
        ? 'no type: @nestjs/typeorm up to 8.0.x then calls createConnection() with no options and reads ormconfig or TYPEORM_* instead (typeorm.md)'
        : `no type at ${where}: TypeORM fails at start-up with MissingDriverError`,
    });
    return;
  }
  if (type === undefined) {
    ctx.result.notPooled.push({
      name: label,
      reason: `type is ${jsScalarOf(typeEntry.value).unknown ?? 'not a string'}, so the driver and its pool are not known`,
    });
    return;
  }
  if (SQLITE.has(type)) {
    ctx.result.notPooled.push({
      name: label,
      reason: `type "${type}": a local SQLite database, with no server or network to close idle connections`,
    });
    return;
  }
  if (DATA_API.has(type)) {
    ctx.result.notPooled.push({
      name: label,
      reason: `type "${type}" uses the RDS Data API over HTTPS: no TCP pool, so idle and keepalive rules do not apply (typeorm.md)`,
    });
    return;
  }
  const mysql = type === 'mysql' || type === 'mariadb';
  const pg = type === 'postgres' || type === 'cockroachdb';
  if (!mysql && !pg) {
    ctx.result.notPooled.push({ name: label, reason: `type "${type}": its driver's pool is not covered by the knowledge base` });
    return;
  }
  const extraEntry = top.get('extra');
  const extraView = extraEntry ? optionEntries(extraEntry.value, extraPrefix(input)) : { entries: new Map<string, OptionEntry>() };
  const extra = extraView?.entries ?? new Map<string, OptionEntry>();
  const open =
    view.open ??
    (extraView?.open
      ? extraView.open
      : extraEntry && !extraView
        ? { reason: `extra, which is ${jsScalarOf(extraEntry.value).unknown ?? 'not known here'}`, span: extraEntry.span }
        : undefined);
  const url = urlOf(ctx, top, mysql);
  const host = url.host ?? replicationHost(top) ?? stringOf(top.get('host'))?.toLowerCase();
  const engine: Engine = type === 'mariadb' ? 'mariadb' : pg ? 'postgresql' : 'mysql';
  const common = {
    label,
    dsName,
    environment,
    environmentNote,
    host,
    engine,
    type,
    typeSpan: typeEntry.span,
    origin: v.span,
    url: url.setting,
  };
  if (mysql) mysqlPool(ctx, top, extra, open, common);
  else pgPool(ctx, top, extra, open, common);
}

interface Common {
  label: string;
  dsName: string;
  environment: string | undefined;
  environmentNote: string | undefined;
  host: string | undefined;
  engine: Engine;
  type: string;
  typeSpan: Span;
  origin: Span;
  url: Setting | undefined;
}

/** TypeORM's own URL reading: MySQL keeps user, password, host, port and database and drops the query; postgres hands it to pg (typeorm.md). */
function urlOf(ctx: Ctx, top: Map<string, OptionEntry>, mysql: boolean): { host?: string; setting?: Setting } {
  const e = top.get('url');
  if (!e) return {};
  const r = readScalar(e);
  const text = r.known && typeof r.js === 'string' ? r.js : undefined;
  const setting = writtenSetting(
    e,
    'url',
    r,
    text === undefined
      ? { kind: 'unknown', reason: `${e.key}: ${r.scalar.unknown ?? 'not a string'}` }
      : { kind: 'string', value: maskSecrets('url', text) },
    ctx.input.sourceText,
  );
  if (text === undefined) return { setting };
  let parsed: URL | undefined;
  try {
    parsed = new URL(text);
  } catch {
    return { setting };
  }
  if (mysql && parsed.search.length > 1) {
    const keys = [...parsed.searchParams.keys()].join(', ');
    ctx.result.problems.push({
      severity: 'warning',
      ruleId: 'setting-ignored-by-library',
      span: e.span,
      message: `${e.key} has query options (${keys}) that TypeORM drops: it keeps only the user, password, host, port and database of a MySQL URL (typeorm.md). Move them to ${extraPrefix(ctx.input).slice(0, -1)}`,
    });
  }
  return { ...(parsed.hostname ? { host: decodeURIComponent(parsed.hostname).toLowerCase() } : {}), setting };
}

function replicationHost(top: Map<string, OptionEntry>): string | undefined {
  const rep = top.get('replication');
  const master = rep ? jsProperties(rep.value)?.props.get('master')?.value : undefined;
  const host = master ? jsProperties(master)?.props.get('host')?.value : undefined;
  const s = host ? jsScalarOf(host) : undefined;
  return s?.literal?.kind === 'string' ? s.literal.value.toLowerCase() : undefined;
}

function slaveCount(top: Map<string, OptionEntry>): number | undefined {
  const rep = top.get('replication');
  const slaves = rep ? jsProperties(rep.value)?.props.get('slaves')?.value : undefined;
  return slaves?.kind === 'array' ? slaves.items.length : undefined;
}

function replicationNote(top: Map<string, OptionEntry>): string {
  const n = slaveCount(top);
  return n === undefined ? '' : `; replication: the master and ${n} slave${n === 1 ? '' : 's'} each get a pool with these settings`;
}

function mysqlPool(ctx: Ctx, top: Map<string, OptionEntry>, extra: Map<string, OptionEntry>, open: DriverOptions['open'], c: Common): void {
  const { input } = ctx;
  const problems = ctx.result.problems;
  const typeormC = typeormCandidates(input, problems);
  const connector = stringOf(top.get('connectorPackage'));
  const readings: Array<{ label: string; reading: DriverReading }> = [];
  const packages = new Set<'mysql' | 'mysql2'>();
  const dims: string[] = [];
  const parts = (t: Candidate, p: string, d: Candidate, manyP: boolean, manyD: boolean) =>
    [typeormC.known ? '' : `TypeORM ${t.label}`, manyP || !typeormC.known ? p : '', manyD ? `${p} ${d.label}` : '']
      .filter(Boolean)
      .join(' with ');
  let poolSizeIgnored = true;
  // The options differ between TypeORM versions only in whether poolSize reaches the pool, so a package's reading of
  // one driver version is made once for each of those two option sets, not once per TypeORM version.
  const driverMemo = new Map<string, Array<{ label: string; ver: Ver; reading: DriverReading }>>();
  for (const t of typeormC.list) {
    const entries = new Map<string, OptionEntry>();
    for (const k of ['connectTimeout', 'acquireTimeout', 'host']) {
      const e = top.get(k);
      if (e) entries.set(k, e);
    }
    const poolSize = top.get('poolSize');
    if (poolSize && atLeast(t.ver, [0, 3, 10])) {
      entries.set('connectionLimit', poolSize);
      poolSizeIgnored = false;
    }
    // extra is merged last and wins (typeorm.md, extra).
    for (const [k, e] of extra) entries.set(k, e);
    const o: DriverOptions = {
      entries,
      keyOf: (k) => (k === 'connectTimeout' || k === 'acquireTimeout' ? k : `${extraPrefix(input)}${k}`),
      ...(open ? { open } : {}),
      ...(input.sourceText ? { sources: input.sourceText } : {}),
    };
    let pkgs: Array<'mysql' | 'mysql2'>;
    if (atLeast(t.ver, [1, 0, 0])) pkgs = ['mysql2'];
    else if (input.driverPackage) pkgs = [input.driverPackage];
    else if ((connector === 'mysql' || connector === 'mysql2') && atLeast(t.ver, [0, 3, 2])) pkgs = [connector];
    else pkgs = ['mysql', 'mysql2'];
    for (const p of pkgs) {
      packages.add(p);
      const dc = candidates(
        DRIVER_RANGES[p],
        p,
        input.driverVersions?.[p] ?? (pkgs.length === 1 ? input.driverVersion : undefined),
        problems,
      );
      const memoKey = `${p}\0${pkgs.length}\0${entries.has('connectionLimit')}`;
      const held = driverMemo.get(memoKey);
      const driverReadings = held ?? dc.list.map((d) => ({ label: d.label, ver: d.ver, reading: readDriver(p, o, d) }));
      for (const [i, d] of dc.list.entries()) {
        const reading = driverReadings[i]?.reading as DriverReading;
        readings.push({ label: parts(t, p, d, pkgs.length > 1, dc.list.length > 1), reading });
      }
      // The same options and readings give the same problems, already pushed.
      if (held) continue;
      driverMemo.set(memoKey, driverReadings);
      for (const pr of driverProblems(p, o, driverReadings, dc.known)) {
        // Which package TypeORM loads is not known: what only one of them would do is a note that says so.
        const said =
          pkgs.length > 1
            ? {
                ...pr,
                severity: 'note' as const,
                message: `If TypeORM loads ${p} (it loads mysql when that is installed, else mysql2; which is installed is not known here): ${pr.message}`,
              }
            : pr;
        if (!problems.some((x) => x.message === said.message)) problems.push(said);
      }
    }
  }
  if (!typeormC.known) dims.push('TypeORM version');
  if (packages.size > 1) dims.push('MySQL package');
  dims.push('driver version');
  const poolSize = top.get('poolSize');
  if (poolSize && poolSizeIgnored && typeormC.known) {
    problems.push({
      severity: 'warning',
      ruleId: 'setting-ignored-by-library',
      span: poolSize.span,
      message: `${poolSize.key} is ignored: TypeORM ${typeormC.label} maps poolSize to the pool only from 0.3.10 (typeorm.md). Write extra.connectionLimit`,
    });
  }
  // acquireTimeout with mysql2 is reported by driverProblems (a key mysql2 warns about and ignores).
  const merged = mergeReadings(readings.length > 1 ? dims.join(' / ') : 'driver', readings);
  const pkgName = packages.size === 1 ? [...packages][0] : 'mysql or mysql2';
  const why =
    packages.size === 1
      ? atLeast(typeormC.list[0]?.ver ?? [0, 0, 0], [1, 0, 0])
        ? 'TypeORM 1.x loads only mysql2'
        : input.driverPackage
          ? `the project installs ${pkgName}`
          : `connectorPackage is "${pkgName}"`
      : 'TypeORM 0.x loads mysql when it is installed, else mysql2, and which is installed is not known here';
  pushPool(ctx, c, merged, `TypeORM (${pkgName})`, `${why}${replicationNote(top)}`, typeormMaxSize('mysql2', merged, top));
}

function pgPool(ctx: Ctx, top: Map<string, OptionEntry>, extra: Map<string, OptionEntry>, open: DriverOptions['open'], c: Common): void {
  const { input } = ctx;
  const problems = ctx.result.problems;
  const typeormC = typeormCandidates(input, problems);
  const pgVersion = (input.driverVersion ?? input.driverVersions?.pg)?.version;
  const readings = typeormC.list.map((t) => {
    const entries = new Map<string, OptionEntry>();
    const poolSize = top.get('poolSize');
    if (poolSize && atLeast(t.ver, [0, 3, 10])) entries.set('max', poolSize);
    const connect = top.get('connectTimeoutMS');
    if (connect) entries.set('connectionTimeoutMillis', connect);
    // extra is merged last and wins (typeorm.md, extra).
    for (const [k, e] of extra) entries.set(k, e);
    const o: DriverOptions = {
      entries,
      keyOf: (k) => `${extraPrefix(input)}${k}`,
      ...(open ? { open } : {}),
      ...(input.sourceText ? { sources: input.sourceText } : {}),
    };
    const r = readPgPool(o, pgVersion !== undefined ? { pg: pgVersion } : {});
    for (const p of r.problems) if (!problems.some((x) => x.message === p.message)) problems.push(p);
    return { label: `TypeORM ${t.label}`, reading: r.reading };
  });
  const poolSize = top.get('poolSize');
  if (poolSize && typeormC.known && !atLeast(typeormC.list[0]?.ver ?? [0, 0, 0], [0, 3, 10])) {
    problems.push({
      severity: 'warning',
      ruleId: 'setting-ignored-by-library',
      span: poolSize.span,
      message: `${poolSize.key} is ignored: TypeORM ${typeormC.label} maps poolSize to the pool only from 0.3.10 (typeorm.md). Write extra.max`,
    });
  }
  const merged = mergeReadings('TypeORM', readings);
  pushPool(ctx, c, merged, 'TypeORM (pg)', `a pg Pool${replicationNote(top)}`, typeormMaxSize('pg', merged, top));
}

/**
 * The driver pool's size (extra.connectionLimit / extra.max, else poolSize from 0.3.10, else 10; already merged into the
 * reading), times the pools replication builds: the master and each slave get one (typeorm.md, "What a linter can safely conclude").
 */
function typeormMaxSize(driver: 'mysql2' | 'pg', reading: DriverReading, top: Map<string, OptionEntry>): PoolSize | undefined {
  const size = driverMaxSize(driver, reading.settings);
  const rep = top.get('replication');
  if (!size || !rep) return size;
  const view = jsProperties(rep.value);
  const slaves = view?.props.get('slaves')?.value;
  const nodes = [view?.props.get('master')?.value, ...(slaves?.kind === 'array' ? slaves.items : [])];
  // From 0.3.28 a replica's own poolSize wins over the top-level one (typeorm.md, poolSize): not read here.
  const perNode = nodes.some((n) => n && jsProperties(n)?.props.has('poolSize'));
  const n = slaveCount(top);
  if (n === undefined || perNode)
    return unknownSize(
      size,
      `${size.note}; with replication every node gets a pool, and ${perNode ? 'a node sets its own poolSize, which is not read here' : 'the number of slaves is not known here'}`,
    );
  return timesPools(size, 1 + n, `replication: the master and ${n} slave${n === 1 ? '' : 's'}`);
}

function pushPool(ctx: Ctx, c: Common, reading: DriverReading, libraryName: string, why: string, maxSize?: PoolSize): void {
  const { input } = ctx;
  const settings = reading.settings;
  if (c.url) settings.set('url', c.url);
  const env = c.environment;
  const pool: Pool = {
    id: `typeorm:${input.path}@${c.dsName}${env ? `#${env}` : ''}`,
    library: 'typeorm',
    libraryName,
    name: `${c.label} at ${formatSpan(c.origin)}`,
    ...(input.version ? { libraryVersion: input.version } : {}),
    engine: c.engine,
    engineReason: `type "${c.type}" at ${formatSpan(c.typeSpan)}; the pool is the driver's, not TypeORM's: ${why} (${FACT_NO_POOL})`,
    ...(env ? { environment: env } : {}),
    ...(c.environmentNote ? { environmentNote: c.environmentNote } : {}),
    ...(c.host ? { host: c.host } : {}),
    origin: c.origin,
    settings: sortedByKey(settings),
    idle: reading.idle,
    validatesOnCheckout: reading.validates,
    ...(reading.keepalive ? { tcpKeepalive: reading.keepalive } : {}),
    ...(maxSize ? { maxSize } : {}),
  };
  ctx.result.pools.push(pool);
}
