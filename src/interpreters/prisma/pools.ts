/**
 * The connection pool behind each Prisma datasource (prisma.md). Two stacks:
 * - the classic Rust engine (4.x–6.x): the pool is configured only through the datasource URL's query
 *   parameters (`connection_limit`, `pool_timeout`, `connect_timeout`, `socket_timeout`,
 *   `max_idle_connection_lifetime`, `max_connection_lifetime`, `statement_cache_size`, `pgbouncer`), in
 *   seconds; idle connections are retired after 300 s, and a connection not checked for 15 s gets a
 *   `SELECT 1` before it is lent;
 * - driver adapters (opt-in in 6.x, mandatory in 7.x): the pool is the JavaScript driver's (`pg.Pool`, the
 *   `mariadb` pool), and Prisma's URL parameters are not read at all. Its options are those of the adapter
 *   constructions found in the code (adapter.ts), one pool per distinct configuration; with none found, the
 *   driver's defaults.
 * The URL comes from `url` in schema.prisma (`env("X")` resolved through the .env files Prisma reads), or
 * from `datasource.url` in prisma.config.ts (6.18+ with `engine: 'classic'`, and 7.x for the CLI). A value
 * from a .env file keeps its origin at the .env line, with the schema's `env("X")` in `origin.via`.
 * Secrets: problems name keys, never the URL; a value is quoted only after `maskSecrets`.
 */
import type { IdleMechanism, LibraryVersion, Pool, PoolSize } from '../../model/model.js';
import { poolSizeOf } from '../pool-size.js';
import { driverMaxSize } from '../node-mysql/drivers.js';
import type { Problem } from '../../model/problem.js';
import { maskSecrets } from '../../model/secrets.js';
import { type Origin, type Setting, sortedByKey, type Value } from '../../model/setting.js';
import { formatSpan, type Span } from '../../model/span.js';
import { type PrismaBlock, type PrismaSchemaDoc, type PrismaValue, prismaProperty } from '../../parsers/prisma-schema.js';
import { levenshtein } from '../edit-distance.js';
import { secondsWrittenAsMsFrom, unitSlipProblem } from '../duration-unit.js';
import { jsProperties, jsScalarOf } from '../js/scalar.js';
import type { JsValue } from '../js/value.js';
import { type PrismaEnvValue, prismaVersionAtLeast } from './env-files.js';
import { type AdapterCall, type AdapterDriver, adapterDriverOf, type AdapterPool, readAdapterPool } from './adapter.js';
import { literalSpanOf, paramSpan, type PrismaUrl, type PrismaUrlParam, parsePrismaUrl, type UrlSource } from './url.js';

export interface PrismaInput {
  /** The schema file (pool ids and names use it). */
  schemaPath: string;
  schema: PrismaSchemaDoc;
  /** A variable as Prisma's .env files set it (see `prismaEnvLookup`); undefined when none sets it. */
  env: (name: string) => PrismaEnvValue | undefined;
  /** The Prisma version (`prisma` / `@prisma/client` in the manifest, or connlint.config.yaml). */
  version?: LibraryVersion;
  /** prisma.config.*: the evaluated argument of `defineConfig`. */
  config?: { path: string; value: JsValue };
  /** The driver adapter package the project depends on (`@prisma/adapter-pg`), when known. */
  adapter?: { name: string; span?: Span };
  /** The adapter constructions found in the project's code (`new PrismaPg({...})`), evaluated statically. */
  adapters?: AdapterCall[];
  /** Texts of the evaluated code files, to quote values as written. */
  sourceText?: ReadonlyMap<string, string>;
  /** The `pg` range of package.json (whether pg-pool reads maxLifetimeSeconds). */
  pgRange?: string;
  /** The mariadb package's version, when declared or pinned. */
  mariadbVersion?: LibraryVersion;
}

export interface PrismaResult {
  pools: Pool[];
  problems: Problem[];
  notPooled: Array<{ name: string; reason: string }>;
}

const LIBRARY = 'Prisma';
const FACT_URL = 'prisma.md, "A. Classic engine: datasource URL query parameters"';
const FACT_HEALTH =
  'prisma.md, Behaviour: the classic engine runs a SELECT 1 health check at checkout when the connection was last checked more than 15 s ago, and replaces a connection that fails it';
const FACT_IDLE =
  'prisma.md, A: max_idle_connection_lifetime (default 300 s; 0 = never) replaces idle connections older than it, closed lazily before reuse';
const FACT_LIFETIME = 'prisma.md, A: max_connection_lifetime (default none) replaces connections older than it at the next checkout';
const FACT_ADAPTER = 'prisma.md, "B. Driver adapters"';
const FACT_V7_URL =
  'prisma.md, "C. schema.prisma datasource block": 7.x rejects url, directUrl and shadowDatabaseUrl in schema files (P1012, confirmed with 7.0.0 and 7.10.1)';

/** Classic-engine URL parameters that shape the pool, with their engine defaults (prisma.md, A). */
interface Param {
  unit: 's' | 'count' | 'bool';
  /** Default value; undefined: none (no limit). */
  default?: number | boolean;
  /** Why the default is what it is, when it is not a plain value. */
  defaultUnknown?: string;
  only?: 'postgresql' | 'mysql';
}
const POOL_PARAMS: Record<string, Param> = {
  connection_limit: { unit: 'count', defaultUnknown: '2 × physical CPU cores + 1, so it depends on the host' },
  pool_timeout: { unit: 's', default: 10 },
  connect_timeout: { unit: 's', default: 5 },
  socket_timeout: { unit: 's' },
  max_idle_connection_lifetime: { unit: 's', default: 300 },
  max_connection_lifetime: { unit: 's' },
  statement_cache_size: { unit: 'count', default: 100 },
  pgbouncer: { unit: 'bool', default: false, only: 'postgresql' },
};
/** Other parameters the engine reads (prisma.md, A), so they are not called unknown. */
const OTHER_PARAMS: Record<string, 'postgresql' | 'mysql' | 'both'> = {
  sslmode: 'postgresql',
  sslaccept: 'both',
  sslcert: 'both',
  sslidentity: 'both',
  sslpassword: 'both',
  schema: 'postgresql',
  host: 'postgresql',
  socket: 'mysql',
  prefer_socket: 'mysql',
  application_name: 'both',
  options: 'both',
  channel_binding: 'postgresql',
};
/** Spellings from other libraries that the engine discards (prisma.md, "What a linter can safely conclude"). */
const LOOKALIKES: Record<string, string> = {
  connectionlimit: 'connection_limit',
  pool_size: 'connection_limit',
  poolsize: 'connection_limit',
  max_connections: 'connection_limit',
  maxconnections: 'connection_limit',
  pooltimeout: 'pool_timeout',
  connecttimeout: 'connect_timeout',
  sockettimeout: 'socket_timeout',
  idle_timeout: 'max_idle_connection_lifetime',
  idletimeout: 'max_idle_connection_lifetime',
  max_idle_lifetime: 'max_idle_connection_lifetime',
  max_lifetime: 'max_connection_lifetime',
  maxlifetime: 'max_connection_lifetime',
};
/** What the adapter's driver calls the job a Prisma parameter did (prisma.md, B). */
const ADAPTER_EQUIVALENT: Record<'pg' | 'mariadb', Record<string, string>> = {
  pg: {
    connection_limit: 'max',
    pool_timeout: 'connectionTimeoutMillis',
    connect_timeout: 'connectionTimeoutMillis',
    max_idle_connection_lifetime: 'idleTimeoutMillis',
    max_connection_lifetime: 'maxLifetimeSeconds',
  },
  mariadb: {
    connection_limit: 'connectionLimit',
    pool_timeout: 'acquireTimeout',
    connect_timeout: 'connectTimeout',
    max_idle_connection_lifetime: 'idleTimeout',
  },
};

type Stack = { kind: 'classic'; why: string } | { kind: 'adapter'; why: string; v7: boolean } | { kind: 'unknown'; why: string };

function majorOf(version: string | undefined): number | undefined {
  const m = /(\d+)/.exec(version ?? '');
  return m ? Number(m[1]) : undefined;
}

function fileOrigin(span: Span, via: Span[]): Origin {
  return { kind: 'file', span, via };
}

/** A variable as Prisma's .env files give it, with the reference (`env("X")`) it travels through. */
function fromEnv(input: PrismaInput, name: string, ref: Span): UrlSource {
  const v = input.env(name);
  if (!v)
    return {
      label: name,
      unknown: `${name} is not set in any .env file Prisma reads here (it may be set in the environment)`,
      span: ref,
      via: [],
    };
  if (v.unknown !== undefined) return { label: name, unknown: v.unknown, span: v.span, via: [ref] };
  return { label: name, text: v.text, span: v.span, via: [ref], ...(v.spanOf ? { spanOf: v.spanOf } : {}) };
}

function fromSchema(input: PrismaInput, value: PrismaValue): UrlSource {
  if (value.kind === 'env') return fromEnv(input, value.name, value.span);
  if (value.kind === 'string') {
    const spanOf = value.raw.length === value.value.length + 2 ? literalSpanOf(value.span, value.value, true) : undefined;
    return { label: 'url', text: value.value, span: value.span, via: [], ...(spanOf ? { spanOf } : {}) };
  }
  return { label: 'url', unknown: 'url is neither a string nor env("...")', span: value.span, via: [] };
}

/** `datasource.url` of prisma.config.ts: a literal, `env("X")` of prisma/config, or `process.env.X`. */
function fromConfig(input: PrismaInput, value: JsValue): UrlSource {
  return fromJs(input, value, 'datasource.url', `datasource.url in ${input.config?.path}`);
}

/** A URL written in code: a literal, `env("X")`, or `process.env.X` (looked up in the .env files Prisma reads). */
function fromJs(input: PrismaInput, value: JsValue, label: string, where = label): UrlSource {
  if (value.kind === 'call' && /(^|\.)env$/.test(value.callee) && value.args[0]?.kind === 'string')
    return fromEnv(input, value.args[0].value, value.span);
  if (value.kind === 'env') {
    const found = fromEnv(input, value.name, value.span);
    if (found.text !== undefined || !value.fallback) return found;
  }
  const s = jsScalarOf(value);
  if (s.literal?.kind === 'string') {
    const spanOf = value.kind === 'string' ? literalSpanOf(value.span, s.literal.value, true) : undefined;
    return { label, text: s.literal.value, span: s.literal.span, via: [], ...(spanOf ? { spanOf } : {}) };
  }
  return { label, unknown: `${where}: ${s.unknown ?? 'not a string'}`, span: value.span, via: [] };
}

interface ConfigReading {
  url?: { value: JsValue; span: Span };
  engine?: string;
  /** `adapter` in the config (6.x early access): the CLI uses a driver adapter. */
  adapter?: Span;
}

function readConfig(config: PrismaInput['config']): ConfigReading {
  if (!config) return {};
  const top = jsProperties(config.value);
  if (!top) return {};
  const out: ConfigReading = {};
  const engine = top.props.get('engine');
  const lit = engine ? jsScalarOf(engine.value).literal : undefined;
  if (lit?.kind === 'string') out.engine = lit.value;
  const adapter = top.props.get('adapter');
  if (adapter) out.adapter = adapter.span;
  const ds = top.props.get('datasource');
  const url = ds ? jsProperties(ds.value)?.props.get('url') : undefined;
  if (url) out.url = { value: url.value, span: url.span };
  return out;
}

function stackOf(input: PrismaInput, block: PrismaBlock, config: ConfigReading): Stack {
  const version = input.version?.version;
  const major = majorOf(version);
  if (major !== undefined && major >= 7)
    return { kind: 'adapter', v7: true, why: `Prisma ${version} always uses a driver adapter (${FACT_ADAPTER})` };
  const adapter = input.adapter?.name ?? input.adapters?.[0]?.package;
  if (adapter) return { kind: 'adapter', v7: false, why: `the project uses ${adapter}` };
  if (major !== undefined) return { kind: 'classic', why: `Prisma ${version} uses the classic engine without an adapter` };
  if (prismaProperty(block, 'url'))
    return { kind: 'classic', why: 'url is set in schema.prisma, which Prisma 7 rejects, so 6.x or older is assumed' };
  if (config.engine === 'classic') return { kind: 'classic', why: `engine is 'classic' in ${input.config?.path}` };
  return {
    kind: 'unknown',
    why: "the Prisma version is not known and schema.prisma has no url: the pool is either a driver adapter's (7.x) or the classic engine's; declare the version (libraries.prisma)",
  };
}

function defaultSetting(key: string, value: Value, fact: string, writeAs: string, version?: string, unit?: 's' | 'ms'): Setting {
  return {
    key,
    canonicalKey: key,
    raw: null,
    text: null,
    value,
    origin: { kind: 'library-default', library: LIBRARY, ...(version ? { version } : {}), fact },
    overrides: [],
    writeAs,
    ...(unit ? { unit } : {}),
  };
}

interface Ctx {
  input: PrismaInput;
  block: PrismaBlock;
  problems: Problem[];
}

/** Reads the classic engine's pool parameters; unknown keys and values the engine rejects become problems. */
function readParams(
  ctx: Ctx,
  src: UrlSource,
  url: PrismaUrl | undefined,
  engine: 'mysql' | 'postgresql',
  settings: Map<string, Setting>,
): void {
  const version = ctx.input.version?.version;
  const written = new Map<string, { param: PrismaUrlParam; overrides: Origin[] }>();
  for (const p of url?.params ?? []) {
    const at = paramSpan(src, p.from, p.to);
    const spec = POOL_PARAMS[p.key];
    const other = OTHER_PARAMS[p.key];
    const fits = (only: string | undefined) => only === undefined || only === 'both' || only === engine;
    if (spec && fits(spec.only)) {
      // The engine reads the pairs in order, so a repeated key ends with its last value (unverified).
      const previous = written.get(p.key);
      written.set(p.key, {
        param: p,
        overrides: previous ? [...previous.overrides, fileOrigin(paramSpan(src, previous.param.from, previous.param.to), src.via)] : [],
      });
      continue;
    }
    if (other && fits(other)) continue;
    const lookalike = LOOKALIKES[p.key.toLowerCase()] ?? LOOKALIKES[p.key.toLowerCase().replace(/-/g, '_')];
    const near = Object.keys(POOL_PARAMS).find((k) => fits(POOL_PARAMS[k]?.only) && levenshtein(k, p.key) <= 2);
    const suggestion = lookalike ?? near;
    const elsewhere = spec || other ? ` (a ${engine === 'mysql' ? 'PostgreSQL' : 'MySQL'} parameter)` : '';
    ctx.problems.push({
      severity: suggestion ? 'warning' : 'note',
      ruleId: 'unknown-setting',
      span: at,
      code: 'unknown-key',
      message: `${p.key} in ${src.label}${elsewhere} is not a parameter Prisma's engine reads for ${engine === 'mysql' ? 'MySQL' : 'PostgreSQL'}, so it is discarded without a word (${FACT_URL}).${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
    });
  }
  for (const [key, spec] of Object.entries(POOL_PARAMS)) {
    if (spec.only && spec.only !== engine) continue;
    const writeAs = `the ${key} parameter of ${src.label}`;
    const unit = spec.unit === 's' ? ('s' as const) : undefined;
    const w = written.get(key);
    if (!w) {
      if (src.text === undefined) {
        // The URL is not known, so neither is any parameter in it.
        settings.set(key, {
          key,
          canonicalKey: key,
          raw: null,
          text: null,
          value: { kind: 'unknown', reason: `${key} may be set in ${src.label}, which is not known here (${src.unknown})` },
          origin: fileOrigin(src.span, src.via),
          overrides: [],
          writeAs,
          ...(unit ? { unit } : {}),
        });
        continue;
      }
      let value: Value;
      if (spec.defaultUnknown) value = { kind: 'unknown', reason: `${key} defaults to ${spec.defaultUnknown}` };
      else if (spec.default === undefined) value = { kind: 'string', value: 'none' };
      else if (spec.unit === 's') value = { kind: 'duration', ms: (spec.default as number) * 1000 };
      else if (spec.unit === 'bool') value = { kind: 'bool', value: spec.default as boolean };
      else value = { kind: 'count', value: spec.default as number };
      settings.set(key, defaultSetting(key, value, FACT_URL, writeAs, version, unit));
      continue;
    }
    const p = w.param;
    const at = paramSpan(src, p.from, p.to);
    const shown = JSON.stringify(maskSecrets(key, p.value));
    let value: Value;
    if (spec.unit === 'bool') {
      if (p.value === 'true' || p.value === 'false') value = { kind: 'bool', value: p.value === 'true' };
      else {
        ctx.problems.push({
          severity: 'error',
          ruleId: 'startup-failure',
          span: at,
          message: `${key} in ${src.label} is ${shown}, but the engine reads it as a Rust bool (only true or false), so connecting fails with InvalidConnectionArguments (${FACT_URL}). Write true or false`,
        });
        value = { kind: 'unknown', reason: `${key} is ${shown}, which the engine rejects` };
      }
    } else if (/^\+?[0-9]+$/.test(p.value) && BigInt(p.value.replace('+', '')) <= 18446744073709551615n) {
      const n = Number(p.value.replace('+', ''));
      value = spec.unit === 's' ? { kind: 'duration', ms: n * 1000 } : { kind: 'count', value: n };
      // prisma.md: values that look like milliseconds (`pool_timeout=10000`, `connect_timeout=5000`) are almost certainly wrong.
      const slip =
        spec.unit === 's' && (key === 'pool_timeout' || key === 'connect_timeout' || key === 'socket_timeout')
          ? secondsWrittenAsMsFrom(n, 1000)
          : undefined;
      if (slip) {
        ctx.problems.push(
          unitSlipProblem(at, {
            key: `${key} in ${src.label}`,
            written: n,
            library: 'Prisma',
            unit: 's',
            slip,
            effect:
              key === 'pool_timeout'
                ? 'a query waits that long for a free connection before failing'
                : 'a dead or unreachable server is noticed only after that long',
            fact: `${FACT_URL}; "Units are seconds"`,
          }),
        );
      }
    } else {
      ctx.problems.push({
        severity: 'error',
        ruleId: 'startup-failure',
        span: at,
        message: `${key} in ${src.label} is ${shown}, but the engine reads it as a whole number${spec.unit === 's' ? ' of seconds (no unit suffix)' : ''}, so connecting fails at run time with InvalidConnectionArguments; prisma validate does not notice (${FACT_URL}). Write a whole number`,
      });
      value = { kind: 'unknown', reason: `${key} is ${shown}, which the engine rejects` };
    }
    settings.set(key, {
      key,
      canonicalKey: key,
      raw: p.value,
      text: p.value,
      value,
      origin: fileOrigin(at, src.via),
      overrides: w.overrides,
      writeAs,
      ...(unit ? { unit } : {}),
    });
  }
}

function classicIdle(settings: Map<string, Setting>): IdleMechanism[] {
  const idle = settings.get('max_idle_connection_lifetime') as Setting;
  const life = settings.get('max_connection_lifetime') as Setting;
  const bound = (s: Setting) => (s.value.kind === 'duration' && s.value.ms > 0 ? s.value.ms : undefined);
  const offNote = (s: Setting, what: string) =>
    s.value.kind === 'duration' && s.value.ms === 0
      ? `${s.key} is 0, so the engine never ${what}`
      : s.value.kind === 'string'
        ? `${s.key} is not set, so the engine never ${what}`
        : undefined;
  const idleNote = offNote(idle, 'retires idle connections');
  const lifeNote = offNote(life, 'retires connections by age');
  return [
    { kind: 'idle-timeout', setting: idle, boundMs: bound(idle), refreshesServer: false, ...(idleNote ? { note: idleNote } : {}) },
    { kind: 'max-lifetime', setting: life, boundMs: bound(life), refreshesServer: false, ...(lifeNote ? { note: lifeNote } : {}) },
  ];
}

/** The driver behind an adapter package, or why there is no pool to model (prisma.md, B). */
function adapterPool(adapter: string, engine: 'mysql' | 'postgresql'): { kind: AdapterDriver } | { none: string } | { unknown: string } {
  const kind = adapterDriverOf(adapter);
  if (kind === 'pg')
    return engine === 'postgresql' ? { kind } : { unknown: `${adapter} is a PostgreSQL adapter, but the provider is mysql` };
  if (kind === 'mariadb')
    return engine === 'mysql' ? { kind } : { unknown: `${adapter} is a MySQL/MariaDB adapter, but the provider is postgresql` };
  if (/adapter-planetscale$/.test(adapter))
    return { none: `${adapter} talks HTTP (@planetscale/database): there is no TCP pool to keep idle (${FACT_ADAPTER})` };
  return { unknown: `${adapter} is not an adapter connlint models` };
}

function formatSpanExact(span: Span): string {
  return `${span.path}:${span.line}:${span.column}-${span.endLine}:${span.endColumn}`;
}

/** What makes two constructions the same pool for the rules: every setting but the URL, and the host. */
function poolSignature(a: AdapterPool): string {
  const settings = [...(a.reading?.settings ?? [])]
    .filter(([k]) => k !== 'url')
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([k, s]) => [k, s.value, s.origin.kind]);
  return JSON.stringify([settings, a.host ?? null]);
}

/** Problems for Prisma pool parameters a driver adapter ignores. */
function ignoredParams(ctx: Ctx, src: UrlSource, url: PrismaUrl, stack: Stack, driver: 'pg' | 'mariadb' | undefined): void {
  for (const p of url.params) {
    if (!POOL_PARAMS[p.key]) continue;
    const instead = driver ? ADAPTER_EQUIVALENT[driver][p.key] : undefined;
    const pool = driver === 'pg' ? 'pg.Pool' : driver === 'mariadb' ? 'the mariadb pool' : "the driver's pool";
    const why =
      stack.kind === 'adapter' && stack.v7
        ? `under Prisma ${ctx.input.version?.version} the pool is the driver adapter's`
        : `with a driver adapter (${stack.why}) the pool is the driver's`;
    ctx.problems.push({
      severity: 'warning',
      ruleId: 'setting-ignored-by-library',
      span: paramSpan(src, p.from, p.to),
      message: `${p.key} in ${src.label} is ignored: ${why} (${pool}), which does not read Prisma's URL parameters (${FACT_ADAPTER}).${instead ? ` Set ${instead} in the adapter's options instead` : " Configure the pool in the adapter's options instead"}`,
    });
  }
}

function providerOf(block: PrismaBlock): { engine: 'mysql' | 'postgresql'; reason: string } | { none: string } {
  const p = prismaProperty(block, 'provider');
  if (!p) return { none: 'the datasource has no provider' };
  if (p.value.kind !== 'string') return { none: 'provider is not a string literal' };
  const name = p.value.value;
  const where = formatSpan(p.value.span);
  if (name === 'mysql') return { engine: 'mysql', reason: `provider "mysql" (${where}): MySQL or MariaDB` };
  if (name === 'postgresql' || name === 'postgres') return { engine: 'postgresql', reason: `provider "${name}" (${where})` };
  if (name === 'sqlite') return { none: 'provider "sqlite": a local file, with no server or network to close idle connections' };
  if (name === 'mongodb') return { none: 'provider "mongodb": MongoDB is out of scope' };
  if (name === 'cockroachdb') return { none: 'provider "cockroachdb": CockroachDB servers are not modelled' };
  if (name === 'sqlserver') return { none: 'provider "sqlserver": SQL Server is not modelled' };
  return { none: `provider "${name}" is not one Prisma knows` };
}

function readDatasource(ctx: Ctx, config: ConfigReading): { pools: Pool[]; reason?: string } {
  const { input, block } = ctx;
  const version = input.version?.version;
  const stack = stackOf(input, block, config);
  // Prisma 7 rejects connection URLs in the schema (P1012), whatever the provider.
  if (stack.kind === 'adapter' && stack.v7) {
    for (const key of ['url', 'directUrl', 'shadowDatabaseUrl']) {
      const p = prismaProperty(block, key);
      if (!p) continue;
      ctx.problems.push({
        severity: 'error',
        ruleId: 'startup-failure',
        span: p.span,
        message: `The datasource property \`${key}\` is no longer supported in schema files: Prisma ${version} rejects the schema (P1012; ${FACT_V7_URL}). Move it to datasource.${key === 'directUrl' ? 'url' : key} in prisma.config.ts and pass the connection string to the driver adapter`,
      });
    }
  }
  const provider = providerOf(block);
  if ('none' in provider) return { pools: [], reason: provider.none };
  const engine = provider.engine;

  // Which URL the pool (classic) or the CLI (adapter) reads: prisma.config.ts datasource.url wins over the schema's (6.18+, 7.x).
  const schemaUrl = prismaProperty(block, 'url');
  const configWins =
    config.url && (stack.kind !== 'classic' || config.engine === 'classic' || prismaVersionAtLeast(version, 6, 18) !== false);
  const src: UrlSource | undefined =
    configWins && config.url ? fromConfig(input, config.url.value) : schemaUrl ? fromSchema(input, schemaUrl.value) : undefined;
  const url = src?.text !== undefined ? parsePrismaUrl(src.text) : undefined;
  if (url?.scheme === 'prisma' || url?.scheme === 'prisma+postgres')
    return { pools: [], reason: `${src?.label} is a Prisma Accelerate / Prisma Postgres URL: the pool is remote (prisma.md, B)` };

  if (stack.kind === 'unknown') return { pools: [], reason: stack.why };
  const origin = block.nameSpan;
  const name = `datasource ${block.name} (${input.schemaPath})`;
  const base = {
    id: `prisma:${input.schemaPath}@${block.name}`,
    library: 'prisma',
    libraryName: LIBRARY,
    ...(input.version ? { libraryVersion: input.version } : {}),
    engine,
    engineReason: provider.reason,
    ...(url?.host && !url.host.startsWith('/') ? { host: url.host } : {}),
    origin,
  };

  if (stack.kind === 'adapter') {
    // The constructions in code whose driver fits the provider; without one, the package.json adapter with its driver's defaults.
    const fitting = (input.adapters ?? []).filter((a) => 'kind' in adapterPool(a.package, engine));
    const pkg = fitting[0]?.package ?? input.adapter?.name;
    const driver = pkg ? adapterPool(pkg, engine) : undefined;
    if (src && url) ignoredParams(ctx, src, url, stack, driver && 'kind' in driver ? driver.kind : undefined);
    if (!pkg || !driver)
      return { pools: [], reason: `${stack.why}; the adapter the code passes to PrismaClient is not known here, so neither is its pool` };
    if ('none' in driver) return { pools: [], reason: driver.none };
    if ('unknown' in driver) return { pools: [], reason: driver.unknown };
    const major = majorOf(version);
    const read = (adapter?: AdapterCall) =>
      readAdapterPool({
        driver: driver.kind,
        packageName: adapter?.package ?? pkg,
        ...(adapter ? { adapter } : {}),
        ...(input.sourceText ? { sourceText: input.sourceText } : {}),
        ...(major !== undefined ? { prismaMajor: major } : {}),
        ...(input.pgRange ? { pgRange: input.pgRange } : {}),
        ...(input.mariadbVersion ? { mariadbVersion: input.mariadbVersion } : {}),
        resolveUrl: (v, label) => fromJs(input, v, label),
      });
    const readings = fitting.length > 0 ? fitting.map((a) => read(a)) : [read()];
    for (const r of readings) {
      ctx.problems.push(...r.problems);
      // Prisma's parameters in the connection string the code hands the driver (unless it is the .env line judged above).
      if (r.url?.text !== undefined && (!src || formatSpanExact(r.url.span) !== formatSpanExact(src.span)))
        ignoredParams(ctx, r.url, parsePrismaUrl(r.url.text), stack, driver.kind);
    }
    const built = readings.filter((r): r is AdapterPool & { reading: NonNullable<AdapterPool['reading']> } => !r.skip && !!r.reading);
    if (built.length === 0) return { pools: [], reason: readings.map((r) => r.skip).join('; ') };
    // Constructions that configure the pool alike (a script and the app, both with the defaults) are one pool for the rules.
    const groups = new Map<string, typeof built>();
    for (const r of built) groups.set(poolSignature(r), [...(groups.get(poolSignature(r)) ?? []), r]);
    const pools = [...groups.values()].map((group, _i, all): Pool => {
      const first = group[0] as (typeof built)[number];
      const settings = new Map(first.reading.settings);
      const u = first.url ?? src;
      if (u) settings.set('url', urlSetting(u));
      const host = first.host ?? base.host;
      const { host: _configHost, ...rest } = base;
      const more =
        group.length > 1
          ? ` (also ${group
              .slice(1)
              .map((x) => x.where)
              .join(', ')})`
          : '';
      return {
        ...rest,
        id: all.length > 1 && first.origin ? `${base.id}/${formatSpan(first.origin)}` : base.id,
        name: `${name} through ${first.where}${more}`,
        ...(host ? { host } : {}),
        origin: first.origin ?? origin,
        settings: sortedByKey(settings),
        idle: first.reading.idle,
        validatesOnCheckout: first.reading.validates,
        ...(first.reading.keepalive ? { tcpKeepalive: first.reading.keepalive } : {}),
        ...maxSizeOf(driverMaxSize(driver.kind, settings)),
      };
    });
    return { pools };
  }

  if (!src) return { pools: [], reason: 'the datasource has no url, so the classic engine has nothing to connect to' };
  if (url) {
    const ok = engine === 'mysql' ? url.scheme === 'mysql' : url.scheme === 'postgresql' || url.scheme === 'postgres';
    if (!ok) {
      const want = engine === 'mysql' ? '`mysql://`' : '`postgresql://` or `postgres://`';
      ctx.problems.push({
        severity: 'error',
        ruleId: 'startup-failure',
        span: src.span,
        message: `${src.label} must start with the protocol ${want} for provider "${engine === 'mysql' ? 'mysql' : 'postgresql'}": Prisma rejects the datasource (P1012; prisma.md, "C. schema.prisma datasource block", confirmed with prisma 6.19.3)`,
      });
      return { pools: [], reason: `${src.label} does not start with the protocol the provider needs` };
    }
  }
  const settings = new Map<string, Setting>();
  settings.set('url', urlSetting(src));
  readParams(ctx, src, url, engine, settings);
  return {
    pools: [
      {
        ...base,
        name,
        settings: sortedByKey(settings),
        idle: classicIdle(settings),
        validatesOnCheckout: { value: true, fact: `${FACT_HEALTH}; ${FACT_IDLE}; ${FACT_LIFETIME}` },
        ...maxSizeOf(classicMaxSize(settings)),
      },
    ],
  };
}

/** The pool field, when there is a size (an adapter's driver pool: pg `max` 10, mariadb `connectionLimit` 10; prisma.md, B). */
function maxSizeOf(maxSize: PoolSize | undefined): { maxSize?: PoolSize } {
  return maxSize ? { maxSize } : {};
}

/**
 * The classic engine's pool: `connection_limit` per PrismaClient (per process); unset, it is 2 × physical CPU cores + 1,
 * which depends on the host, so it is not known statically (prisma.md, A: connection_limit).
 */
function classicMaxSize(settings: ReadonlyMap<string, Setting>): PoolSize | undefined {
  const s = settings.get('connection_limit');
  if (!s) return undefined;
  if (s.origin.kind === 'library-default')
    return {
      value: undefined,
      settings: [s],
      note: `${s.key} is not set, and Prisma's default, num_cpus × 2 + 1 with num_cpus the physical CPU cores, depends on the host (prisma.md, A)`,
    };
  return poolSizeOf(s, {
    unverified: (n) => (n === 0 ? 'mobc documents 0 as no limit, but its effect through Prisma is unverified (prisma.md, A)' : undefined),
  });
}

function urlSetting(src: UrlSource): Setting {
  return {
    key: src.label,
    canonicalKey: 'url',
    raw: src.text ?? null,
    text: src.text ?? null,
    // The text stays for the secret scrubber; the value shown anywhere is masked.
    value:
      src.text !== undefined
        ? { kind: 'string', value: maskSecrets('url', src.text) }
        : { kind: 'unknown', reason: src.unknown ?? 'not known' },
    origin: fileOrigin(src.span, src.via),
    overrides: [],
  };
}

/** One pool per datasource of a schema.prisma, and what Prisma would reject or ignore. */
export function prismaPools(input: PrismaInput): PrismaResult {
  const problems: Problem[] = [];
  const pools: Pool[] = [];
  const notPooled: PrismaResult['notPooled'] = [];
  const config = readConfig(input.config);
  if (input.schema.datasources.length === 0) notPooled.push({ name: '*', reason: `${input.schemaPath} has no datasource block` });
  for (const block of input.schema.datasources) {
    const got = readDatasource({ input, block, problems }, config);
    if (got.pools.length > 0) pools.push(...got.pools);
    else notPooled.push({ name: block.name, reason: got.reason ?? 'not modelled' });
  }
  return { pools, problems, notPooled };
}
