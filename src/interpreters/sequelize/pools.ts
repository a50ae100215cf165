/**
 * The pool Sequelize builds (sequelize.md): `new Sequelize(...)` in its three forms, or one
 * environment of sequelize-cli's `config/config.json` (which the generated `models/index.js` passes to
 * `new Sequelize`). sequelize-pool keeps single driver connections; every `evict` ms (1000) it destroys
 * those idle longer than `idle` (10000), never below `min` (0), and there is no max lifetime. On
 * checkout the dialect's `validate` inspects client flags only: no round trip in any version, and a
 * user `pool.validate` is called synchronously. v5/v6 turn a falsy `idle`/`acquire`/`evict`/`maxUses`
 * into the default (30000/30000/1000/Infinity); v7 honours 0. With the major unknown (and the callee
 * not `@sequelize/core`, which is v7), values that differ are unknown.
 */
import { poolSizeOf, timesPools, unknownSize } from '../pool-size.js';
import type { DriverKeepalive, Engine, IdleMechanism, LibraryVersion, Pool, PoolSize } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { maskSecrets } from '../../model/secrets.js';
import { type Setting, sortedByKey, type Value } from '../../model/setting.js';
import { formatSpan, type Span } from '../../model/span.js';
import { msWrittenAsSecondsBelow, unitSlipProblem } from '../duration-unit.js';
import { levenshtein } from '../edit-distance.js';
import { defaultSetting, jsScalarOf } from '../js/scalar.js';
import { rangeAtLeast } from '../js/semver-range.js';
import type { JsProperty, JsValue } from '../js/value.js';
import {
  describe,
  expandBranches,
  labelled,
  maySpread,
  numberOf,
  parseUrl,
  propsOf,
  stringOf,
  usableHost,
  writtenSetting,
} from '../knex/js-read.js';

export interface SequelizeInput {
  path: string;
  /** constructor: the `new Sequelize(...)` JsCall; config-json: the parsed file's top-level object. */
  config: JsValue;
  source: 'constructor' | 'config-json';
  version?: LibraryVersion;
  /** The driver's TCP keepalive for a dialect (`mysql`, `postgres`) and its connection options (`dialectOptions`; v7: the options). */
  driverKeepalive?: (dialect: string, connection: JsValue | undefined) => DriverKeepalive | undefined;
  sourceText?: ReadonlyMap<string, string>;
}

export interface SequelizeResult {
  pools: Pool[];
  problems: Problem[];
  notPooled: Array<{ name: string; reason: string }>;
}

const LIB = 'Sequelize';
const FACT_DEFAULTS = 'sequelize.md, Settings (v5.0.0-beta.13 and later, v6, v7: max 5, min 0, idle 10000, acquire 60000, evict 1000)';
const FACT_NO_PING =
  'sequelize.md, Behaviour: the default validate inspects client flags only (mysql: _fatalError, _protocolError, _closing, stream.destroyed; postgres: _invalid, _ending; mariadb: isValid()), no round trip in any version';
const FACT_FLAGS_TAIL =
  'a connection the server closed with a FIN is marked broken and destroyed, one a NAT, firewall or load balancer dropped silently looks healthy and fails on its first query';

type Major = 5 | 6 | 7;

const DIALECT_ENGINE: Record<string, Engine | null> = {
  mysql: 'mysql',
  mariadb: 'mariadb',
  postgres: 'postgresql',
  mssql: null,
  oracle: null,
  db2: null,
  snowflake: null,
  sqlite: null,
};
const V5_DIALECTS = new Set(['mariadb', 'mssql', 'mysql', 'postgres', 'sqlite']);

interface DurationKey {
  default: number;
  /** sequelize-pool <= 7.x replaces a falsy value by this (sequelize.md, Settings). */
  falsy: number;
}
const DURATIONS: Record<string, DurationKey> = {
  idle: { default: 10000, falsy: 30000 },
  acquire: { default: 60000, falsy: 30000 },
  evict: { default: 1000, falsy: 1000 },
};
const POOL_KEYS = new Set(['max', 'min', 'idle', 'acquire', 'evict', 'maxUses', 'validate']);
const OLD_KEYS: Record<string, string> = { maxConnections: 'max', minConnections: 'min', maxIdleTime: 'idle' };
const MISPLACED = ['idleTimeoutMillis', 'connectionTimeoutMillis', 'keepAlive'];

interface Ctx {
  input: SequelizeInput;
  /** 5/6 (same pool semantics) or 7; undefined when not known. */
  major?: Major;
  problems: Problem[];
}

interface Config {
  /** The options object (constructor options, or the config.json environment). */
  options?: JsValue;
  /** The URI (constructor (uri, options), config.json `url`, or `use_env_variable`). */
  uri?: JsProperty;
  password?: JsProperty;
  origin: Span;
  name: string;
  environment?: string;
  environmentNote?: string;
}

function prop(key: string, value: JsValue): JsProperty {
  return { key, value, span: value.span, keySpan: value.span };
}

function v56(ctx: Ctx): boolean | undefined {
  return ctx.major === undefined ? undefined : ctx.major < 7;
}

/** A pool duration: falsy values become defaults on v5/v6, are honoured on v7 (sequelize.md, Settings). */
function readDuration(ctx: Ctx, name: string, p: JsProperty): Setting {
  const d = DURATIONS[name] as DurationKey;
  const key = `pool.${name}`;
  const num = numberOf(p.value);
  const label = labelled(key, num.scalar);
  const set = (value: Value) => writtenSetting(key, key, p, value, ctx.input.sourceText, 'ms');
  const lit = num.scalar.literal;
  const falsy =
    lit &&
    (lit.kind === 'null' ||
      (lit.kind === 'number' && (lit.value === 0 || Number.isNaN(lit.value))) ||
      (lit.kind === 'string' && lit.value === '') ||
      (lit.kind === 'boolean' && !lit.value));
  if (num.n === 0 || falsy) {
    const old = v56(ctx);
    const setting = set(
      old === true
        ? { kind: 'duration', ms: d.falsy }
        : old === false
          ? { kind: 'duration', ms: 0 }
          : { kind: 'unknown', reason: `the Sequelize version is not known: ${key} 0 becomes ${d.falsy} on v5/v6 and stays 0 on v7` },
    );
    if (old !== false) {
      setting.clamp = {
        written: { kind: 'duration', ms: 0 },
        reason: `sequelize-pool ${old === true ? '' : '(v5/v6) '}replaces a falsy ${name} by ${d.falsy}`,
        fact: 'sequelize.md, Settings and "What a linter can safely conclude": idle/acquire/evict 0 on v5/v6 silently become 30000/30000/1000',
      };
      ctx.problems.push({
        severity: 'warning',
        ruleId: 'setting-ignored-by-library',
        span: p.span,
        message: `${label} is ${lit && lit.kind === 'string' ? '""' : String(num.n ?? (lit?.kind === 'null' ? 'null' : 'false'))}, which Sequelize ${old === true ? '' : 'v5 and v6 '}silently replace${old === true ? 's' : ''} by ${d.falsy} ms (sequelize.md, Settings; v7 honours 0). Write the ${name} time in milliseconds`,
      });
    }
    return setting;
  }
  if (num.n !== undefined) {
    // sequelize.md: values under 100 (`idle: 30`) almost certainly meant seconds.
    const slip = name === 'idle' ? msWrittenAsSecondsBelow(num.n, 100) : undefined;
    if (slip) {
      ctx.problems.push(
        unitSlipProblem(p.span, {
          key: label,
          written: num.n,
          library: 'Sequelize',
          unit: 'ms',
          slip,
          effect: 'a free connection above pool.min is closed at the next eviction run after it is released',
          fact: 'sequelize.md, "What a linter can safely conclude"',
        }),
      );
    }
    return set({ kind: 'duration', ms: num.n });
  }
  return set({
    kind: 'unknown',
    reason: `${label}: ${num.unknown ?? `it is ${num.text !== undefined ? JSON.stringify(num.text) : 'not a number'}`}`,
  });
}

/** pool.max / pool.min: integers, checked by sequelize-pool at construction (sequelize.md, Settings). */
function readCount(ctx: Ctx, name: 'max' | 'min', p: JsProperty): { setting: Setting; n?: number } {
  const key = `pool.${name}`;
  const num = numberOf(p.value);
  const label = labelled(key, num.scalar);
  const set = (value: Value) => writtenSetting(key, key, p, value, ctx.input.sourceText);
  const rule = name === 'max' ? 'max must be an integer > 0' : 'min must be an integer >= 0';
  if (num.textWhenSet) {
    ctx.problems.push({
      severity: 'error',
      ruleId: 'startup-failure',
      span: p.span,
      message: `${label} is read from environment variable ${num.textWhenSet} without converting it, so whenever it is set Sequelize gets a string and new Sequelize() throws "Error: ${rule}" (sequelize.md, Settings: a string "10" also throws). Convert it with parseInt(..., 10)`,
    });
  }
  const ok = (n: number) => Number.isInteger(n) && (name === 'max' ? n > 0 : n >= 0);
  if (num.n !== undefined && ok(num.n)) return { setting: set({ kind: 'count', value: num.n }), n: num.n };
  const shown =
    num.n !== undefined
      ? String(num.n)
      : num.text !== undefined
        ? JSON.stringify(num.text)
        : num.other
          ? String(num.other.kind === 'boolean' ? num.other.value : num.other.kind)
          : undefined;
  if (shown !== undefined && !(num.textWhenSet && num.text !== undefined)) {
    ctx.problems.push({
      severity: 'error',
      ruleId: 'startup-failure',
      span: p.span,
      message: `${label} is ${shown}, so new Sequelize() throws "Error: ${rule}" at start-up (sequelize.md, Settings)`,
    });
    return { setting: set({ kind: 'unknown', reason: `${label} is ${shown}, which Sequelize rejects at start-up` }) };
  }
  return { setting: set({ kind: 'unknown', reason: `${label}: ${num.unknown ?? 'a string'}` }) };
}

function readConfig(ctx: Ctx, cfg: Config, out: SequelizeResult): boolean {
  const input = ctx.input;
  const displayName = `${cfg.name}${cfg.environment ? ` (${cfg.environment})` : ''}`;
  const skip = (reason: string): false => {
    out.notPooled.push({ name: displayName, reason });
    return false;
  };
  const view = cfg.options ? propsOf(cfg.options) : undefined;
  if (cfg.options && !view && cfg.options.kind !== 'undefined' && cfg.options.kind !== 'null')
    return skip(`the options are not known here (${describe(cfg.options)})`);
  const props = view?.props ?? new Map<string, JsProperty>();
  const open = view?.open;
  const settings = new Map<string, Setting>();

  // URI: dialect and host (sequelize.md, Syntax: URI form).
  let uriText: string | undefined;
  let uriUnknown: string | undefined;
  if (cfg.uri) {
    const s = jsScalarOf(cfg.uri.value);
    if (s.literal?.kind === 'string') {
      uriText = s.literal.value;
      settings.set('url', writtenSetting(cfg.uri.key, 'url', cfg.uri, { kind: 'string', value: uriText }, input.sourceText));
    } else {
      uriUnknown = `${labelled(cfg.uri.key, s)}: ${s.unknown ?? 'not a string'}`;
      settings.set('url', writtenSetting(cfg.uri.key, 'url', cfg.uri, { kind: 'unknown', reason: uriUnknown }, input.sourceText));
    }
  }
  const uri = uriText ? parseUrl(uriText) : undefined;
  if (cfg.password) {
    const s = jsScalarOf(cfg.password.value);
    settings.set(
      'password',
      writtenSetting(
        'password',
        'password',
        cfg.password,
        s.literal?.kind === 'string' ? { kind: 'string', value: s.literal.value } : { kind: 'unknown', reason: 'not known here' },
        input.sourceText,
      ),
    );
  }

  // Dialect: the option, else the URI scheme.
  const dialectP = props.get('dialect');
  let dialect: string | undefined;
  let dialectWhy: string | undefined;
  let dialectUnknown: string | undefined;
  if (dialectP) {
    const s = jsScalarOf(dialectP.value);
    if (s.literal?.kind === 'string') {
      dialect = s.literal.value;
      dialectWhy = `dialect "${dialect}"${s.note ? ` (${s.note})` : ''}`;
    } else if (dialectP.value.kind === 'ref') {
      // v7: a dialect class from @sequelize/<dialect>.
      const m = /^@sequelize\/(\w+)/.exec(dialectP.value.module);
      if (m) {
        dialect = m[1] as string;
        dialectWhy = `dialect ${dialectP.value.name} from ${dialectP.value.module}`;
      } else dialectUnknown = `${dialectP.key} is ${dialectP.value.name} from ${dialectP.value.module}`;
    } else dialectUnknown = `${labelled('dialect', s)}: ${s.unknown ?? 'not a string'}`;
    settings.set(
      'dialect',
      writtenSetting(
        'dialect',
        'dialect',
        dialectP,
        dialect ? { kind: 'string', value: dialect } : { kind: 'unknown', reason: dialectUnknown ?? 'not known' },
        input.sourceText,
      ),
    );
  } else if (uri) {
    dialect = uri.protocol;
    dialectWhy = `the URI scheme ${uri.protocol}:`;
  } else if (uriUnknown) {
    dialectUnknown = `the URI is not known here (${uriUnknown})`;
  } else if (open) {
    dialectUnknown = `dialect may be set by ${open.reason}`;
  } else {
    ctx.problems.push({
      severity: 'error',
      ruleId: 'startup-failure',
      span: cfg.origin,
      message: `${displayName} names no dialect, so new Sequelize() throws "Dialect needs to be explicitly supplied as of v4.0.0" (sequelize.md, Settings: dialect)`,
    });
    return skip('no dialect: Sequelize refuses the configuration');
  }
  if (dialect === 'postgresql') dialect = 'postgres';
  let engine: Engine | undefined;
  if (dialect !== undefined) {
    if (!(dialect in DIALECT_ENGINE)) {
      ctx.problems.push({
        severity: 'error',
        ruleId: 'startup-failure',
        span: dialectP?.span ?? cfg.uri?.span ?? cfg.origin,
        message: `${dialectWhy ?? 'the dialect'} is not one Sequelize supports, so new Sequelize() throws "The dialect ${dialect} is not supported" (sequelize.md, Settings: dialect; v6: mariadb, mssql, mysql, oracle, postgres, sqlite, db2, snowflake)`,
      });
      return skip(`${dialectWhy ?? 'the dialect'} is not supported`);
    }
    if (ctx.major !== undefined && ctx.major < 6 && !V5_DIALECTS.has(dialect)) {
      ctx.problems.push({
        severity: 'error',
        ruleId: 'startup-failure',
        span: dialectP?.span ?? cfg.origin,
        message: `${dialectWhy} needs Sequelize v6: v5 supports mariadb, mssql, mysql, postgres and sqlite only (sequelize.md, Settings: dialect)`,
      });
    }
    if (dialect === 'sqlite') return skip(`${dialectWhy} is SQLite: a local file, with no server or network to close idle connections`);
    engine = DIALECT_ENGINE[dialect] ?? undefined;
  }

  // Host: the option, else the URI's (`?host=` overrides it; sequelize.md, URI form).
  const host = usableHost(uri?.query.get('host') ?? stringOf(props.get('host')?.value) ?? uri?.host);

  // Options that are not Sequelize's (sequelize.md, "What a linter can safely conclude": unknown/misplaced keys).
  for (const k of MISPLACED) {
    const p = props.get(k);
    if (!p) continue;
    const v7 = ctx.major === 7;
    ctx.problems.push({
      severity: v7 ? 'error' : 'warning',
      ruleId: 'unknown-setting',
      span: p.span,
      message: v7
        ? `${k} is not a Sequelize option: v7 throws "The following options are not recognized by Sequelize" at construction (sequelize.md)`
        : `${k} is ignored: it is not a Sequelize option${ctx.major === undefined ? ' (v5/v6 ignore it; v7 throws at construction)' : ''}, and the pool reads only pool.max, min, idle, acquire, evict, maxUses and validate (sequelize.md)`,
    });
  }
  const dialectOptions = props.get('dialectOptions');
  if (dialectOptions && ctx.major === 7) {
    ctx.problems.push({
      severity: 'error',
      ruleId: 'unknown-setting',
      span: dialectOptions.span,
      message:
        'dialectOptions was removed in Sequelize v7: unknown options throw "The following options are not recognized by Sequelize" at construction; put connection options at the root of the options (sequelize.md, v7 connection options)',
    });
  }

  // Pool.
  const poolProp = props.get('pool');
  const poolView = poolProp ? propsOf(poolProp.value) : undefined;
  const poolOpen = poolProp ? (poolView ? poolView.open : { reason: `pool (${describe(poolProp.value)})`, span: poolProp.span }) : open;
  const pool = poolView?.props ?? new Map<string, JsProperty>();
  const given = (name: string) => {
    const p = pool.get(name);
    return p && p.value.kind !== 'undefined' ? p : undefined;
  };
  const countOf = (name: 'max' | 'min', def: number) => {
    const p = given(name);
    const key = `pool.${name}`;
    if (p) return readCount(ctx, name, p);
    if (poolOpen) return { setting: maySpread(key, key, poolOpen) };
    return { setting: defaultSetting(key, key, { kind: 'count', value: def }, LIB, FACT_DEFAULTS), n: def };
  };
  const max = countOf('max', 5);
  const min = countOf('min', 0);
  if (max.n !== undefined && min.n !== undefined && min.n > max.n) {
    ctx.problems.push({
      severity: 'error',
      ruleId: 'startup-failure',
      span: (given('min') ?? given('max') ?? poolProp ?? { span: cfg.origin }).span,
      message: `pool.min (${min.n}) is above pool.max (${max.n}${given('max') ? '' : ', the default'}), so new Sequelize() throws "max is smaller than min" (sequelize.md, Settings)`,
    });
  }
  settings.set('pool.max', max.setting);
  settings.set('pool.min', min.setting);
  for (const [name, d] of Object.entries(DURATIONS)) {
    const p = given(name);
    const key = `pool.${name}`;
    settings.set(
      key,
      p
        ? readDuration(ctx, name, p)
        : poolOpen
          ? maySpread(key, key, poolOpen, 'ms')
          : defaultSetting(key, key, { kind: 'duration', ms: d.default }, LIB, FACT_DEFAULTS, undefined, 'ms'),
    );
  }
  const validateP = given('validate');
  if (validateP)
    settings.set(
      'pool.validate',
      writtenSetting('pool.validate', 'pool.validate', validateP, { kind: 'string', value: 'a function' }, input.sourceText),
    );
  for (const [k, p] of pool) {
    if (POOL_KEYS.has(k)) continue;
    const near = OLD_KEYS[k] ?? [...POOL_KEYS].find((x) => levenshtein(x, k) <= 2);
    ctx.problems.push({
      severity: 'warning',
      ruleId: 'unknown-setting',
      span: p.span,
      code: 'unknown-key',
      message: `pool.${k} is ignored: Sequelize reads only max, min, idle, acquire, evict, maxUses and validate from pool and drops other keys without a word (sequelize.md, Syntax: key spellings).${near ? ` Did you mean pool.${near}?` : ''}`,
    });
  }

  // Idle retirement (sequelize.md, "What a linter can safely conclude").
  const idleSetting = settings.get('pool.idle') as Setting;
  const evict = settings.get('pool.evict') as Setting;
  const mv = min.setting.value;
  let boundMs: number | undefined;
  let note: string;
  if (mv.kind === 'count' && mv.value > 0) {
    note = `pool.min (${mv.value}) connections are never destroyed for idleness (there is no max lifetime), so they can sit idle indefinitely; idle only retires connections above min`;
    idleSetting.writeAs = `pool.min to 0 and ${idleSetting.writeAs ?? 'pool.idle'}`;
  } else if (mv.kind !== 'count') {
    note = `pool.min is not known here, so whether every idle connection is destroyed is not known${mv.kind === 'unknown' ? ` (${mv.reason})` : ''}`;
  } else if (idleSetting.value.kind === 'duration' && evict.value.kind === 'duration') {
    boundMs = idleSetting.value.ms + evict.value.ms;
    note = `destroyed by the reaper, which runs every evict (${evict.value.ms} ms), so up to idle + evict`;
  } else {
    const u = [idleSetting, evict].find((s) => s.value.kind === 'unknown');
    note = u?.value.kind === 'unknown' ? u.value.reason : 'not known';
  }
  const idle: IdleMechanism[] = [
    {
      kind: 'idle-timeout',
      setting: idleSetting,
      boundMs,
      refreshesServer: false,
      note,
      // sequelize.md: the reaper runs every evict, so retirement happens up to one evict interval late.
      ...(evict.value.kind === 'duration' ? { slackMs: evict.value.ms } : {}),
      ...(mv.kind === 'count' && mv.value > 0 ? { sparedBy: min.setting } : {}),
    },
  ];

  const validates: Pool['validatesOnCheckout'] = {
    value: false,
    fact: validateP
      ? `sequelize.md, Settings: a user pool.validate replaces the default and is called synchronously on checkout, so it cannot wait for a query; ${FACT_FLAGS_TAIL}`
      : `${FACT_NO_PING}: ${FACT_FLAGS_TAIL}`,
    noticesServerClose:
      'sequelize.md, Model: a connection the server closed with a FIN is marked broken by the driver and destroyed, so it is not reused; only a silently dropped one is handed out',
  };

  const connectionOptions = ctx.major === 7 ? cfg.options : dialectOptions?.value;
  const keepalive = dialect ? input.driverKeepalive?.(dialect, connectionOptions) : undefined;
  const env = cfg.environment;
  out.pools.push({
    // Several new Sequelize() calls in one file are told apart by their line.
    id: `sequelize:${input.path}${input.source === 'constructor' && input.config.kind === 'call' ? `@${input.config.span.line}` : ''}${env ? `#${env}` : ''}`,
    library: 'sequelize',
    libraryName: 'Sequelize',
    name: displayName,
    ...(input.version ? { libraryVersion: input.version } : {}),
    ...(engine ? { engine, engineReason: `${dialectWhy} (sequelize.md, Settings: dialect)` } : {}),
    ...(dialect === undefined
      ? { serverUncertain: `the dialect is not known here (${dialectUnknown ?? 'not given'}), so the database may be SQLite, a local file` }
      : {}),
    ...(env ? { environment: env } : {}),
    ...(cfg.environmentNote ? { environmentNote: cfg.environmentNote } : {}),
    ...(host ? { host } : {}),
    origin: cfg.origin,
    settings: sortedByKey(settings),
    idle,
    validatesOnCheckout: validates,
    ...(keepalive ? { tcpKeepalive: keepalive } : {}),
    maxSize: sequelizeMaxSize(max.setting, props.get('replication')),
  });
  return true;
}

/**
 * pool.max per pool (default 5); with `replication` Sequelize builds a read and a write pool, each up to pool.max
 * (sequelize.md, Settings: replication, confirmed by running 6.37.8).
 */
function sequelizeMaxSize(max: Setting, replication: JsProperty | undefined): PoolSize {
  const size = poolSizeOf(max);
  const r = replication?.value;
  if (!r || r.kind === 'undefined' || r.kind === 'null' || (r.kind === 'boolean' && !r.value)) return size;
  if (r.kind === 'object') return timesPools(size, 2, 'replication: a read pool and a write pool');
  return unknownSize(size, `${size.note}; replication is not known here, and with it there are two pools`);
}

/** The constructor's arguments (sequelize.md, Syntax: constructor forms v5/v6; v7 takes only options). */
function constructorConfig(path: string, call: Extract<JsValue, { kind: 'call' }>): Config {
  const [a, b, c, d] = call.args;
  const base = { origin: call.span, name: `new Sequelize() at ${formatSpan(call.span)}` };
  void path;
  if (!a || a.kind === 'object') return { ...base, ...(a ? { options: a } : {}) };
  if (call.args.length >= 3) return { ...base, ...(c ? { password: prop('password', c) } : {}), ...(d ? { options: d } : {}) };
  // (uri, options) when the second argument is not a user name.
  if (b && (b.kind === 'string' || b.kind === 'null')) return { ...base };
  return { ...base, uri: prop('uri', a), ...(b ? { options: b } : {}) };
}

const CLI_KEYS = new Set(['dialect', 'url', 'use_env_variable', 'host', 'username', 'database', 'pool', 'dialectOptions']);

/** sequelize-cli environments: top-level keys, unless the object is itself a config (sequelize.md, sequelize-cli config). */
function jsonConfigs(input: SequelizeInput): Array<Config | { name: string; reason: string }> {
  const view = propsOf(input.config);
  if (!view) return [{ name: input.path, reason: `the configuration is not an object (${describe(input.config)})` }];
  const one = (value: JsValue, origin: Span, environment?: string): Config | { name: string; reason: string } => {
    const props = propsOf(value)?.props;
    const name = input.path;
    if (!props)
      return { name: `${name}${environment ? ` (${environment})` : ''}`, reason: `${environment ?? 'the configuration'} is not an object` };
    const url = props.get('url');
    const envVar = props.get('use_env_variable');
    const envName = stringOf(envVar?.value);
    const uri =
      url ??
      (envVar && envName
        ? { ...envVar, key: `use_env_variable (${envName})`, value: { kind: 'env' as const, name: envName, span: envVar.value.span } }
        : undefined);
    const password = props.get('password');
    return {
      options: value,
      ...(uri ? { uri } : {}),
      ...(password ? { password } : {}),
      origin,
      name,
      ...(environment
        ? {
            environment,
            environmentNote: `sequelize-cli and the generated models/index.js use the "${environment}" block with --env ${environment} or NODE_ENV=${environment} (sequelize.md, sequelize-cli config)`,
          }
        : {}),
    };
  };
  if ([...view.props.keys()].some((k) => CLI_KEYS.has(k))) return [one(input.config, input.config.span)];
  return [...view.props.values()].map((p) => one(p.value, p.span, p.key));
}

/** One pool per `new Sequelize(...)` configuration or sequelize-cli environment (and per case of a NODE_ENV branch). */
export function sequelizePools(input: SequelizeInput): SequelizeResult {
  const out: SequelizeResult = { pools: [], problems: [], notPooled: [] };
  const call = input.config.kind === 'call' ? input.config : undefined;
  const v = input.version?.version;
  // An exact version or a package.json range: the major is known when every version it allows shares it.
  const from6 = v === undefined ? undefined : rangeAtLeast(v, [6, 0, 0]);
  const from7 = v === undefined ? undefined : rangeAtLeast(v, [7, 0, 0]);
  const major: Major | undefined =
    v !== undefined
      ? from7 === true
        ? 7
        : from7 === false && from6 === true
          ? 6
          : from6 === false
            ? 5
            : undefined
      : call?.callee.startsWith('@sequelize/core')
        ? 7
        : undefined;
  const ctx: Ctx = { input, ...(major ? { major } : {}), problems: out.problems };
  let configs: Array<Config | { name: string; reason: string }>;
  if (input.source === 'constructor') {
    if (!call) {
      out.notPooled.push({ name: input.path, reason: `not a new Sequelize(...) call (${describe(input.config)})` });
      return out;
    }
    configs = [constructorConfig(input.path, call)];
  } else configs = jsonConfigs(input);
  for (const cfg of configs) {
    if (!('origin' in cfg)) {
      out.notPooled.push(cfg);
      continue;
    }
    const cases = cfg.options ? expandBranches(cfg.options) : [{ value: undefined, labels: [], notes: [] }];
    for (const c of cases) {
      const environment = [cfg.environment, ...c.labels].filter(Boolean).join(', ') || undefined;
      const environmentNote = [cfg.environmentNote, ...c.notes].filter(Boolean).join('; ') || undefined;
      readConfig(
        ctx,
        {
          ...cfg,
          ...(c.value ? { options: c.value } : {}),
          ...(environment ? { environment } : {}),
          ...(environmentNote ? { environmentNote } : {}),
        },
        out,
      );
    }
  }
  for (const p of out.problems) p.message = maskSecrets('', p.message);
  return out;
}
