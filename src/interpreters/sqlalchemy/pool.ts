/**
 * The pool SQLAlchemy builds from `create_engine()`, `create_async_engine()`, `engine_from_config()`
 * (`sqlalchemy.*` keys of an .ini file) or Flask-SQLAlchemy's engine options (sqlalchemy.md). Everything
 * happens at checkout: `pool_recycle` replaces a connection older than it (an age since connect, so it
 * bounds idle time too), `pool_pre_ping` pings a reused connection first; nothing runs in the background.
 * Values keep their Python type: only `engine_from_config` (and Flask-SQLAlchemy 3) converts the int keys
 * from strings, and no path converts `pool_pre_ping`, so `"false"` turns it on.
 */
import type { DriverKeepalive, Engine, IdleMechanism, Pool, PoolSize } from '../../model/model.js';
import { countOf, unknownSize } from '../pool-size.js';
import type { Problem } from '../../model/problem.js';
import { type Origin, type Setting, sortedByKey, type Value } from '../../model/setting.js';
import { formatSpan, type Span } from '../../model/span.js';
import type { PyCall, PyValue } from '../python/value.js';
import { type PythonDriver, type SessionWaitTimeout, sessionWaitTimeout, sqlalchemyDriver } from './drivers.js';
import {
  dictItems,
  dictView,
  kwarg,
  pyInt,
  pyRepr,
  pyStr,
  pyTruthy,
  pyValueSpanOf,
  rawOf,
  type Scalar,
  type SourceTexts,
  scalarOf,
  unknownReason,
  withPythonLiterals,
  envWriteAs,
  valueOrigin,
} from './python-scalar.js';
import { engineOfDialect, hostOfUrl, isAsyncDriver, parseSqlalchemyUrl, type SqlalchemyUrl } from './url.js';
import { levenshtein } from '../edit-distance.js';
import { secondsWrittenAsMs, unitSlipProblem } from '../duration-unit.js';

const FACT_DEFAULTS = 'sqlalchemy.md, Settings (create_engine defaults, the same in 1.3, 1.4, 2.0 and 2.1)';
const FACT_RECYCLE =
  'sqlalchemy.md, Settings and Behaviour: pool_recycle (default -1, off) replaces a connection older than it at checkout; an age since connect, so it bounds idle time in the pool';
const FACT_PRE_PING_SUFFICES =
  'sqlalchemy.md, "What a linter can safely conclude": pool_pre_ping truthy makes a long or unset pool_recycle harmless for pooled connections (trap: don\'t flag)';
const FACT_PRE_PING =
  'sqlalchemy.md, Behaviour: pool_pre_ping pings a reused connection at checkout (MySQL ping(), PostgreSQL SELECT 1) and replaces it when the ping finds it dead';
const FACT_NO_PRE_PING =
  'sqlalchemy.md, Settings: pool_pre_ping defaults to False; pool_recycle is an age check at checkout, not a round trip';
const FACT_NOT_COERCED =
  'sqlalchemy.md, Settings: pool_pre_ping and pool_use_lifo are never converted from strings and are tested for truthiness (confirmed by running 1.4.46, 2.0.54, 2.1.1)';

/** A create_engine() keyword as written somewhere: a kwarg, a dict entry, an .ini line. */
export interface EngineOption {
  /** The create_engine() keyword (`pool_recycle`). */
  name: string;
  /** The key as written, for messages (`pool_recycle`, `sqlalchemy.pool_recycle`, `SQLALCHEMY_ENGINE_OPTIONS["pool_recycle"]`). */
  key: string;
  value: PyValue;
  /** The whole entry (`pool_recycle=3600`); the value's span when nothing wider is known. */
  span: Span;
  /** Earlier values it replaced (a duplicate dict key, an override in a later module). */
  overrides?: Span[];
}

/**
 * Engine options that are not a single call: an .ini section read by engine_from_config (prefix keys
 * already stripped, values strings), or Flask-SQLAlchemy's layered config.
 */
export interface EngineConfig {
  url?: PyValue;
  options: ReadonlyMap<string, PyValue>;
  /** How an option is written, for messages: `sqlalchemy.pool_recycle`. Default: the keyword itself. */
  keyOf?: (name: string) => string;
  /** How the URL is written: `sqlalchemy.url`, `SQLALCHEMY_DATABASE_URI`. Default `url`. */
  urlKey?: string;
  /** Where the engine is configured as a whole (a section header, a config class); default the URL's span. */
  origin?: Span;
  /** The whole entry an option is written in (`sqlalchemy.pool_recycle = 3600`), when wider than its value. */
  entrySpan?: (name: string) => Span | undefined;
  /** Set when options not listed may exist (a `**spread` that is not known here): unwritten keys are then unknown, not defaults. */
  open?: { reason: string; span: Span };
}

/** A value a wrapping library sets with `setdefault` before SQLAlchemy sees the options (Flask-SQLAlchemy's `pool_recycle=7200`). */
export interface OptionDefault {
  name: string;
  key: string;
  value: number | boolean;
  library: string;
  version?: string;
  fact: string;
}

export type EngineSource = 'create_engine' | 'create_async_engine' | 'engine_from_config' | 'async_engine_from_config' | 'flask';

export interface SqlalchemyInput {
  /** The file that configures the engine (the pool id and name use it). */
  path: string;
  call: PyCall | EngineConfig;
  source: EngineSource;
  /** Are the int keys converted from strings (engine_from_config's `engine_config_types`)? Default: true for engine_from_config, false for create_engine; Flask-SQLAlchemy 3 true, 2 false. */
  coerce?: boolean;
  environment?: string;
  environmentNote?: string;
  /** Tells several engines of one file apart in the pool id (a variable name, a bind key); default the call's line. */
  label?: string;
  /** Name for messages; default `create_engine() at app/db.py:12`. */
  name?: string;
  defaults?: (url: SqlalchemyUrl | undefined) => OptionDefault[];
  /** A pool class the caller passes (Alembic's env.py: `poolclass=pool.NullPool`); `certain` false when it is only the template's. */
  poolclass?: { name: string; library: string; why: string; certain: boolean };
  sourceText?: SourceTexts;
}

export interface SqlalchemyResult {
  pool?: Pool;
  problems: Problem[];
  /** Why no pool was built, when none was (SQLite, a configuration that is not known here). */
  noPool?: string;
}

/** What was read from the options, before it becomes a pool: Flask-SQLAlchemy merges two of these when its version is unknown. */
export interface EngineReading {
  settings: Map<string, Setting>;
  problems: Problem[];
  engine?: { engine: Engine; reason: string };
  host?: string;
  driver?: PythonDriver;
  /** The pool class, and whether connections are pooled at all. */
  poolClass: { name: string; pooled: boolean };
  keepaliveSetting?: Setting;
  origin: Span;
  noPool?: string;
  /** Keywords not listed may come from an unexpanded `**` (its words): unwritten pool sizes are then unknown. */
  open?: string;
}

const POOL_CLASSES = [
  'NullPool',
  'QueuePool',
  'StaticPool',
  'SingletonThreadPool',
  'AssertionPool',
  'AsyncAdaptedQueuePool',
  'FallbackAsyncAdaptedQueuePool',
];
/** Keywords only some pool classes take; the others make create_engine() raise TypeError (sqlalchemy.md, Settings). */
const ACCEPTED_BY: Record<string, readonly string[]> = {
  pool_size: ['QueuePool', 'AsyncAdaptedQueuePool', 'FallbackAsyncAdaptedQueuePool', 'SingletonThreadPool'],
  max_overflow: ['QueuePool', 'AsyncAdaptedQueuePool', 'FallbackAsyncAdaptedQueuePool'],
  pool_timeout: ['QueuePool', 'AsyncAdaptedQueuePool', 'FallbackAsyncAdaptedQueuePool'],
  pool_use_lifo: ['QueuePool', 'AsyncAdaptedQueuePool', 'FallbackAsyncAdaptedQueuePool'],
};
const ASYNC_POOLS = new Set(['AsyncAdaptedQueuePool', 'FallbackAsyncAdaptedQueuePool', 'NullPool', 'StaticPool']);

/** create_engine() keywords that are not pool settings but are accepted (so a near-miss spelling of a pool key is not one of them). */
const OTHER_KEYWORDS = new Set([
  'url',
  'echo',
  'echo_pool',
  'future',
  'isolation_level',
  'execution_options',
  'json_serializer',
  'json_deserializer',
  'logging_name',
  'pool_logging_name',
  'hide_parameters',
  'encoding',
  'convert_unicode',
  'connect_args',
  'creator',
  'paramstyle',
  'implicit_returning',
  'label_length',
  'max_identifier_length',
  'module',
  'plugins',
  'query_cache_size',
  'pool_reset_on_return',
  'pool',
  'poolclass',
  'strategy',
  'use_insertmanyvalues',
  'insertmanyvalues_page_size',
  'enable_from_linting',
  'case_sensitive',
  'skip_autocommit_rollback',
  'pool_threadlocal',
  'pool_events',
  'pool_dialect',
  'async_creator',
  'empty_in_strategy',
]);

interface NumericKey {
  unit: 's' | 'count';
  default: number;
}
const NUMERIC: Record<string, NumericKey> = {
  pool_size: { unit: 'count', default: 5 },
  max_overflow: { unit: 'count', default: 10 },
  pool_timeout: { unit: 's', default: 30 },
  pool_recycle: { unit: 's', default: -1 },
};
const BOOLEAN: Record<string, boolean> = { pool_pre_ping: false, pool_use_lifo: false };
const PING_WORDS: Record<string, string> = { pool_pre_ping: 'pre-ping', pool_use_lifo: 'LIFO' };

/** The pool class a value names: a class reference the evaluator could not evaluate (`NullPool`), or its dotted name. */
export function poolClassName(v: PyValue): string | undefined {
  const text = v.kind === 'ref' ? v.name : v.kind === 'str' ? v.value : v.kind === 'unknown' ? v.reason : undefined;
  if (text === undefined) return undefined;
  for (const name of POOL_CLASSES) {
    if (new RegExp(`(?:^|[^\\w])${name}(?:$|[^\\w])`).test(text)) return name;
  }
  return undefined;
}

interface Ctx {
  input: SqlalchemyInput;
  coerce: boolean;
  problems: Problem[];
  settings: Map<string, Setting>;
}

function fileOrigin(span: Span): Origin {
  return { kind: 'file', span, via: [] };
}

function keyWithNote(key: string, s: Scalar): string {
  return s.note ? `${key} (${s.note})` : key;
}

function written(ctx: Ctx, o: EngineOption, canonicalKey: string, value: Value, s: Scalar, unit?: 'ms' | 's'): Setting {
  return {
    key: keyWithNote(o.key, s),
    canonicalKey,
    raw: rawOf(o.value, ctx.input.sourceText),
    text: s.literal ? pyStr(s.literal) : null,
    value,
    origin: valueOrigin(o.span, s),
    ...pyValueSpanOf(o.value, o.span, ctx.input.sourceText),
    overrides: (o.overrides ?? []).map(fileOrigin),
    ...(unit ? { unit } : {}),
    ...(envWriteAs(s) ? { writeAs: envWriteAs(s) } : {}),
  };
}

function libraryDefault(canonicalKey: string, value: Value, fact: string, unit?: 's', key = canonicalKey): Setting {
  return {
    key,
    canonicalKey,
    raw: null,
    text: null,
    value,
    origin: { kind: 'library-default', library: 'SQLAlchemy', fact },
    overrides: [],
    ...(unit ? { unit } : {}),
  };
}

function numericValue(unit: NumericKey['unit'], n: number): Value {
  return unit === 's' ? { kind: 'duration', ms: Math.round(n * 1000) } : { kind: 'count', value: n };
}

/** How a string reaches an int key: converted with int() by engine_from_config, else passed on as text. */
function readNumeric(ctx: Ctx, o: EngineOption): void {
  const key = NUMERIC[o.name] as NumericKey;
  const s = scalarOf(o.value);
  const label = keyWithNote(o.key, s);
  const unit = key.unit === 's' ? ('s' as const) : undefined;
  const set = (value: Value) => ctx.settings.set(o.name, written(ctx, o, o.name, value, s, unit));
  // A variable read as text reaches SQLAlchemy as text whenever it is set (sqlalchemy.md, "Python-code configs").
  if (s.env && s.env.typeWhenSet === 'str' && !ctx.coerce)
    reportText(ctx, o, label, `environment variable ${s.env.name} (${s.env.via} returns text)`, true);
  const lit = s.literal;
  if (!lit) {
    set({ kind: 'unknown', reason: `${label} ${s.unknown}` });
    return;
  }
  let n: number | undefined;
  if (lit.kind === 'int' || lit.kind === 'float') n = lit.value;
  else if (lit.kind === 'bool') n = lit.value ? 1 : 0;
  else if (lit.kind === 'str') {
    if (ctx.coerce) {
      n = pyInt(lit.value);
      if (n === undefined) {
        ctx.problems.push({
          severity: 'error',
          ruleId: 'startup-failure',
          span: o.span,
          message: `${label} is ${pyRepr(lit)}, which SQLAlchemy converts with int() when it reads engine options from strings (engine_from_config), so the engine fails at start-up with ValueError: invalid literal for int() (sqlalchemy.md). Write a whole number${key.unit === 's' ? ' of seconds' : ''}`,
        });
        set({ kind: 'unknown', reason: `${label} is not a whole number` });
        return;
      }
    } else {
      if (!s.env) reportText(ctx, o, label, pyRepr(lit), false);
      set({ kind: 'unknown', reason: `${label} is text, which SQLAlchemy does not convert` });
      return;
    }
  } else {
    set({ kind: 'unknown', reason: `${label} is None` });
    return;
  }
  if (ctx.coerce && lit.kind === 'float') n = Math.trunc(n);
  const slip = o.name === 'pool_recycle' ? secondsWrittenAsMs(n) : undefined;
  if (slip) {
    ctx.problems.push(
      unitSlipProblem(o.span, {
        key: label,
        written: n,
        library: 'SQLAlchemy',
        unit: 's',
        slip,
        effect: 'connections are not replaced before the server or the network closes them idle',
        fact: 'sqlalchemy.md, Settings: pool_recycle',
      }),
    );
  }
  set(numericValue(key.unit, n));
}

/** A string where create_engine() wants a number: pool_recycle fails at the second checkout; the others are passed on unconverted. */
function reportText(ctx: Ctx, o: EngineOption, label: string, what: string, whenSet: boolean): void {
  const when = whenSet ? 'whenever the variable is set' : 'always';
  const wrap = whenSet ? ' Convert it with int(...)' : ' Write it as a number';
  if (o.name === 'pool_recycle') {
    ctx.problems.push({
      severity: 'error',
      ruleId: 'startup-failure',
      span: o.span,
      message: `${label} is ${whenSet ? `read from ${what}` : what}, and create_engine() keeps a string as it is, so the second checkout fails with TypeError: '>' not supported between instances of 'str' and 'int' (${when}; sqlalchemy.md, confirmed by running 2.1.1).${wrap}`,
    });
    return;
  }
  ctx.problems.push({
    severity: 'warning',
    ruleId: 'startup-failure',
    span: o.span,
    message: `${label} is ${whenSet ? `read from ${what}` : what}, and create_engine() passes a string to the pool unconverted (${when}), where a number is expected.${wrap}`,
  });
}

/** pool_pre_ping and pool_use_lifo: tested for truthiness, never converted (sqlalchemy.md). */
function readBoolean(ctx: Ctx, o: EngineOption): void {
  const s = scalarOf(o.value);
  const label = keyWithNote(o.key, s);
  const what = PING_WORDS[o.name] as string;
  const lit = s.literal;
  if (!lit) {
    ctx.settings.set(o.name, written(ctx, o, o.name, { kind: 'unknown', reason: `${label}: ${s.unknown}` }, s));
    return;
  }
  const on = pyTruthy(lit);
  const setting = written(ctx, o, o.name, { kind: 'bool', value: on }, s);
  if (lit.kind === 'str' && on && /^\s*(false|no|off|0|n|f|none|null)\s*$/i.test(lit.value)) {
    setting.clamp = {
      written: { kind: 'string', value: lit.value },
      reason: `a non-empty string is true: ${what} is on`,
      fact: FACT_NOT_COERCED,
    };
    ctx.problems.push({
      severity: 'warning',
      ruleId: 'setting-ignored-by-library',
      span: o.span,
      message: `${label} is ${pyRepr(lit)}, which turns ${what} on: SQLAlchemy never converts ${o.name} from a string and tests it for truthiness, so any non-empty value, "false" and "0" included, enables it (sqlalchemy.md). ${o.name === 'pool_pre_ping' ? 'Remove the key, or leave its value empty, to turn pre-ping off' : 'Remove the key to keep FIFO'}`,
    });
  }
  if (s.env && s.env.typeWhenSet === 'str') {
    ctx.problems.push({
      severity: 'warning',
      ruleId: 'setting-ignored-by-library',
      span: o.span,
      message: `${label} is read from environment variable ${s.env.name} as text, and SQLAlchemy tests ${o.name} for truthiness, so whenever the variable is set any non-empty value, "false" and "0" included, turns ${what} on (sqlalchemy.md). Convert it to a bool in the code`,
    });
  }
  ctx.settings.set(o.name, setting);
}

function connectOption(ctx: Ctx, key: string, canonicalKey: string, value: PyValue, span: Span, unit?: 's'): Setting {
  const s = scalarOf(value);
  const lit = s.literal;
  let v: Value;
  if (!lit) v = { kind: 'unknown', reason: `${key} ${s.unknown}` };
  else if (unit === 's') {
    const n = lit.kind === 'int' || lit.kind === 'float' ? lit.value : lit.kind === 'str' ? pyInt(lit.value) : undefined;
    v =
      n === undefined
        ? { kind: 'unknown', reason: `${key} is ${pyRepr(lit)}, not a number of seconds` }
        : { kind: 'duration', ms: Math.round(n * 1000) };
  } else if (lit.kind === 'str') v = { kind: 'string', value: lit.value };
  else if (lit.kind === 'bool') v = { kind: 'bool', value: lit.value };
  else if (lit.kind === 'int' || lit.kind === 'float') v = { kind: 'count', value: lit.value };
  else v = { kind: 'unknown', reason: `${key} is None` };
  return {
    key: keyWithNote(key, s),
    canonicalKey,
    raw: rawOf(value, ctx.input.sourceText),
    text: lit ? pyStr(lit) : null,
    value: v,
    origin: fileOrigin(span),
    ...pyValueSpanOf(value, span, ctx.input.sourceText),
    overrides: [],
    ...(unit ? { unit } : {}),
  };
}

const TIMEOUTS = ['connect_timeout', 'read_timeout', 'write_timeout'];

/** PyMySQL's `max_allowed_packet` is bytes: a whole number becomes a size; anything else is not known (sqlalchemy.md). */
function packetSetting(s: Setting): Setting {
  const v = s.value;
  if (v.kind === 'count' && Number.isInteger(v.value)) return { ...s, value: { kind: 'size', bytes: v.value } };
  if (v.kind === 'unknown') return s;
  return {
    ...s,
    value: { kind: 'unknown', reason: `${s.key} is not a whole number of bytes (a string's effect inside PyMySQL is unverified)` },
  };
}

/** PyMySQL's own range checks at connect (sqlalchemy.md [S19]): connect_timeout 0 < v <= 31536000, read/write_timeout > 0. */
function checkPyMysqlRange(ctx: Ctx, s: Setting, name: string, span: Span): void {
  if (s.value.kind !== 'duration') return;
  const secs = s.value.ms / 1000;
  const bad = name === 'connect_timeout' ? secs <= 0 || secs > 31_536_000 : secs <= 0;
  if (!bad) return;
  const range = name === 'connect_timeout' ? 'above 0 and at most 31536000' : 'above 0';
  ctx.problems.push({
    severity: 'error',
    ruleId: 'startup-failure',
    span,
    message: `${s.key} is ${secs}, but PyMySQL requires ${name} to be ${range}: every connection attempt fails with ValueError (sqlalchemy.md, PyMySQL 1.2.3)`,
  });
}

/** Driver settings from the URL query, then connect_args over them (connect_args wins; sqlalchemy.md, connect_args). */
function readDriverOptions(
  ctx: Ctx,
  url: SqlalchemyUrl | undefined,
  urlOption: EngineOption | undefined,
  driver: PythonDriver | undefined,
  connectArgs: EngineOption | undefined,
): void {
  const urlKey = urlOption?.key ?? 'url';
  if (url && urlOption && driver) {
    for (const q of url.query) {
      const known = TIMEOUTS.includes(q.key) || q.key === 'init_command' || (driver.libpq && q.key.startsWith('keepalives'));
      if (!known) continue;
      const key = `${q.key} in ${urlKey}`;
      const value: PyValue = { kind: 'str', value: q.value, span: urlOption.value.span };
      const unit = TIMEOUTS.includes(q.key) || q.key === 'keepalives_idle' ? ('s' as const) : undefined;
      if (unit && driver.intQuery.includes(q.key) && pyInt(q.value) === undefined) {
        ctx.problems.push({
          severity: 'error',
          ruleId: 'startup-failure',
          span: urlOption.span,
          message: `${key} is "${q.value}", which SQLAlchemy's ${driver.id} dialect converts with int(), so create_engine() fails with ValueError (sqlalchemy.md, URL query -> driver kwargs). Write a whole number of seconds`,
        });
      }
      ctx.settings.set(`connect_args.${q.key}`, connectOption(ctx, key, `connect_args.${q.key}`, value, urlOption.span, unit));
    }
  }
  if (connectArgs) {
    const items = dictItems(connectArgs.value);
    if (!items) {
      ctx.settings.set('connect_args', connectOption(ctx, connectArgs.key, 'connect_args', connectArgs.value, connectArgs.span));
    } else {
      for (const item of items) {
        if (item.key === 'max_allowed_packet' && driver?.id === 'pymysql') {
          ctx.settings.set(
            'connect_args.max_allowed_packet',
            packetSetting(
              connectOption(ctx, `${connectArgs.key}["${item.key}"]`, 'connect_args.max_allowed_packet', item.value, item.span),
            ),
          );
          continue;
        }
        const known = TIMEOUTS.includes(item.key) || item.key === 'init_command' || item.key.startsWith('keepalives');
        if (!known) continue;
        const unit = TIMEOUTS.includes(item.key) || item.key === 'keepalives_idle' ? ('s' as const) : undefined;
        ctx.settings.set(
          `connect_args.${item.key}`,
          connectOption(ctx, `${connectArgs.key}["${item.key}"]`, `connect_args.${item.key}`, item.value, item.span, unit),
        );
      }
    }
  }
  if (driver?.id === 'pymysql') {
    for (const t of TIMEOUTS) {
      const s = ctx.settings.get(`connect_args.${t}`);
      if (s && s.origin.kind === 'file') checkPyMysqlRange(ctx, s, t, s.origin.span);
    }
  }
  const init = ctx.settings.get('connect_args.init_command');
  if (init && !driver?.libpq) addSessionWaitTimeout(ctx.settings, init);
}

/**
 * The session `wait_timeout` an init_command sets, kept under `session.wait_timeout`: it replaces the
 * server's global value for the pool's connections (knowledge README section 1).
 */
export function addSessionWaitTimeout(settings: Map<string, Setting>, init: Setting): void {
  if (init.value.kind !== 'string') return;
  const found: SessionWaitTimeout = sessionWaitTimeout(init.value.value);
  if (!found) return;
  settings.set('session.wait_timeout', {
    ...init,
    key: `${init.key} (SET SESSION wait_timeout)`,
    canonicalKey: 'session.wait_timeout',
    value: 'seconds' in found ? { kind: 'duration', ms: found.seconds * 1000 } : { kind: 'unknown', reason: found.unknown },
    unit: 's',
  });
}

/** The URL a call or config names: a string, an environment value with its default, `make_url("...")`, `URL.create(...)`. */
function urlText(v: PyValue): { text?: string; unknown?: string; note?: string; drivername?: string; host?: string } {
  if (v.kind === 'call') {
    if (/(?:^|\.)make_url$/.test(v.callee) && v.args[0]) return urlText(v.args[0]);
    if (/(?:^|\.)URL(?:\.create)?$/.test(v.callee)) {
      const d = kwarg(v, 'drivername')?.value ?? v.args[0];
      const dn = d ? scalarOf(d).literal : undefined;
      const h = kwarg(v, 'host')?.value;
      const hl = h ? scalarOf(h).literal : undefined;
      if (dn?.kind === 'str') return { drivername: dn.value, ...(hl?.kind === 'str' ? { host: hl.value } : {}) };
    }
  }
  const s = scalarOf(v);
  if (s.literal?.kind === 'str') return { text: s.literal.value, ...(s.note ? { note: s.note } : {}) };
  // A URL built from parts whose start is known (`f"mysql+pymysql://{user}:..."`): the dialect and driver are.
  const prefix = v.kind === 'unknown' ? /^([\w+]+):\/\//.exec(v.prefix ?? '') : null;
  if (prefix) return { drivername: prefix[1] as string, unknown: s.unknown ?? v.kind, ...(s.note ? { note: s.note } : {}) };
  // An environment variable without a default in the code: its value is the deployment's.
  if (s.env && s.literal?.kind === 'none')
    return { unknown: `from environment ${s.env.name}, with no default in the code`, ...(s.note ? { note: s.note } : {}) };
  return { unknown: s.literal ? `it is ${pyRepr(s.literal)}` : (s.unknown ?? 'not known'), ...(s.note ? { note: s.note } : {}) };
}

/** The options of a call or config, in precedence order (a later option with the same name replaces an earlier one). */
function optionsOf(input: SqlalchemyInput): {
  url?: EngineOption;
  options: EngineOption[];
  noPool?: string;
  origin: Span;
  open?: { reason: string; span: Span };
} {
  const call = input.call;
  if ('options' in call) {
    const keyOf = call.keyOf ?? ((n: string) => n);
    const spanOf = (name: string, value: PyValue) => call.entrySpan?.(name) ?? value.span;
    const options = [...call.options].map(([name, value]) => ({ name, key: keyOf(name), value, span: spanOf(name, value) }));
    const url = call.url ? { name: 'url', key: call.urlKey ?? 'url', value: call.url, span: spanOf('url', call.url) } : undefined;
    const origin = call.origin ?? call.url?.span ?? options[0]?.span;
    return {
      ...(url ? { url } : {}),
      options,
      origin: origin ?? { path: input.path, line: 1, column: 1, endLine: 1, endColumn: 1 },
      ...(call.open ? { open: call.open } : {}),
    };
  }
  if (input.source === 'engine_from_config' || input.source === 'async_engine_from_config') {
    const config = call.args[0] ?? kwarg(call, 'configuration')?.value;
    const prefixValue = call.args[1] ?? kwarg(call, 'prefix')?.value;
    const prefixScalar = prefixValue ? scalarOf(prefixValue).literal : undefined;
    const view = config ? dictView(config) : undefined;
    const items = view?.items;
    if (!items || (prefixValue && prefixScalar?.kind !== 'str')) {
      return {
        options: [],
        origin: call.span,
        noPool: `${call.callee}() reads a configuration that is not known here (${config ? (scalarOf(config).unknown ?? 'not a dict') : 'none given'}); the sqlalchemy.* keys of an .ini file are read where they are written`,
      };
    }
    const prefix = prefixScalar?.kind === 'str' ? prefixScalar.value : 'sqlalchemy.';
    // The prefix is compared exactly, case included; keys without it are ignored (sqlalchemy.md, engine_from_config).
    const options: EngineOption[] = items
      .filter((i) => i.key.startsWith(prefix))
      .map((i) => ({ name: i.key.slice(prefix.length), key: i.key, value: i.value, span: i.span, overrides: i.overrides }));
    for (const k of call.kwargs)
      if (k.name !== 'prefix' && k.name !== 'configuration') options.push({ name: k.name, key: k.name, value: k.value, span: k.span });
    const urlIndex = options.map((o) => o.name).lastIndexOf('url');
    const url = urlIndex >= 0 ? options[urlIndex] : undefined;
    const open = view?.open ?? unpackedOf(call);
    return { ...(url ? { url } : {}), options: options.filter((o) => o.name !== 'url'), origin: call.span, ...(open ? { open } : {}) };
  }
  const url: EngineOption | undefined = call.args[0]
    ? { name: 'url', key: 'url', value: call.args[0], span: call.args[0].span }
    : (() => {
        const k = kwarg(call, 'url');
        return k ? { name: 'url', key: 'url', value: k.value, span: k.span } : undefined;
      })();
  const options = call.kwargs.filter((k) => k.name !== 'url').map((k) => ({ name: k.name, key: k.name, value: k.value, span: k.span }));
  const open = unpackedOf(call);
  return { ...(url ? { url } : {}), options, origin: call.span, ...(open ? { open } : {}) };
}

/** A `**kwargs` the evaluator could not expand: the call may get keywords not listed. */
function unpackedOf(call: PyCall): { reason: string; span: Span } | undefined {
  const u = call.unpacked?.find((x) => x.star === '**');
  return u ? { reason: `**${rawOf(u.value, undefined)} (${unknownReason(u.value)})`, span: u.span } : undefined;
}

/** Read the options into settings, with the problems SQLAlchemy (or the driver) would meet. */
export function readEngine(input: SqlalchemyInput): EngineReading {
  const coerce =
    input.coerce ?? (input.source === 'engine_from_config' || input.source === 'async_engine_from_config' || input.source === 'flask');
  const ctx: Ctx = { input, coerce, problems: [], settings: new Map() };
  const { url: urlOption, options, noPool: unknownConfig, origin, open } = optionsOf(input);
  const poolClassNone = { name: 'QueuePool', pooled: true };
  if (unknownConfig) return { settings: ctx.settings, problems: [], poolClass: poolClassNone, origin, noPool: unknownConfig };

  // Last option of each name wins (a later kwarg over a config dict, a dict's later duplicate).
  const byName = new Map<string, EngineOption>();
  for (const o of options) byName.set(o.name, o);

  // URL: dialect, driver, host.
  let url: SqlalchemyUrl | undefined;
  let engine: EngineReading['engine'];
  if (urlOption) {
    const t = urlText(urlOption.value);
    ctx.settings.set('url', {
      key: t.note ? `${urlOption.key} (${t.note})` : urlOption.key,
      canonicalKey: 'url',
      raw: rawOf(urlOption.value, input.sourceText),
      text: t.text ?? null,
      value:
        t.text !== undefined
          ? { kind: 'string', value: t.text }
          : { kind: 'unknown', reason: `${urlOption.key}: ${t.unknown ?? 'built by URL.create()'}` },
      origin: fileOrigin(urlOption.span),
      overrides: [],
    });
    if (t.text !== undefined) {
      url = parseSqlalchemyUrl(t.text);
      if (!url) {
        ctx.problems.push({
          severity: 'error',
          ruleId: 'startup-failure',
          span: urlOption.span,
          // The text is not quoted: a URL holds a password, and one SQLAlchemy cannot parse may hide it from masking.
          message: `${urlOption.key} is not a SQLAlchemy URL (dialect[+driver]://user:password@host/database): create_engine() fails with "Could not parse SQLAlchemy URL"`,
        });
      }
    } else if (t.drivername) {
      const plus = t.drivername.indexOf('+');
      url = {
        drivername: t.drivername,
        dialect: plus < 0 ? t.drivername : t.drivername.slice(0, plus),
        ...(plus >= 0 ? { driver: t.drivername.slice(plus + 1) } : {}),
        ...(t.host ? { host: t.host } : {}),
        query: [],
      };
    }
  }
  if (url?.dialect === 'sqlite') {
    return {
      settings: ctx.settings,
      problems: ctx.problems,
      poolClass: poolClassNone,
      origin,
      noPool: 'a SQLite database: a local file, with no server or network to close idle connections',
    };
  }
  if (url) {
    const e = engineOfDialect(url.dialect);
    if (e) engine = { engine: e, reason: `SQLAlchemy URL '${url.drivername}://'` };
    if (url.dialect === 'postgres' && urlOption) {
      ctx.problems.push({
        severity: 'warning',
        ruleId: 'startup-failure',
        span: urlOption.span,
        message: `${urlOption.key} uses the dialect name "postgres", which SQLAlchemy 1.4 and later no longer accept: create_engine() fails with NoSuchModuleError: Can't load plugin: sqlalchemy.dialects:postgres (sqlalchemy.md). Write postgresql://`,
      });
    }
  }
  const driver = url ? sqlalchemyDriver(url.dialect, url.driver) : undefined;
  const isAsync = input.source === 'create_async_engine' || input.source === 'async_engine_from_config' || isAsyncDriver(url?.driver);

  // Pool class: written, passed by the caller, or the default (sqlalchemy.md, Behaviour: default pool class).
  const classOption = byName.get('poolclass');
  const poolOption = byName.get('pool');
  let poolClass = { name: isAsync ? 'AsyncAdaptedQueuePool' : 'QueuePool', pooled: true };
  if (classOption) {
    const name = poolClassName(classOption.value);
    const s = scalarOf(classOption.value);
    if (name) poolClass = { name, pooled: name !== 'NullPool' };
    ctx.settings.set(
      'poolclass',
      written(
        ctx,
        classOption,
        'poolclass',
        name ? { kind: 'string', value: name } : { kind: 'unknown', reason: `${classOption.key}: ${s.unknown ?? 'not a pool class'}` },
        s,
      ),
    );
    if (name && isAsync && !ASYNC_POOLS.has(name)) {
      ctx.problems.push({
        severity: 'error',
        ruleId: 'startup-failure',
        span: classOption.span,
        message: `${classOption.key} is ${name}, a synchronous pool, but the engine is asynchronous: create_async_engine() fails with ArgumentError: Pool class ${name} cannot be used with asyncio engine (sqlalchemy.md, confirmed by running 2.0.54). Use AsyncAdaptedQueuePool or NullPool`,
      });
    }
  } else if (input.poolclass) {
    poolClass = { name: input.poolclass.name, pooled: input.poolclass.name !== 'NullPool' };
    ctx.settings.set('poolclass', {
      key: 'poolclass',
      canonicalKey: 'poolclass',
      raw: null,
      text: null,
      value: { kind: 'string', value: input.poolclass.name },
      origin: { kind: 'library-default', library: input.poolclass.library, fact: input.poolclass.why },
      overrides: [],
    });
  } else {
    ctx.settings.set(
      'poolclass',
      libraryDefault(
        'poolclass',
        { kind: 'string', value: poolClass.name },
        'sqlalchemy.md, Behaviour: sync dialects default to QueuePool, async ones to AsyncAdaptedQueuePool',
      ),
    );
  }
  if (poolOption) {
    return {
      settings: ctx.settings,
      problems: ctx.problems,
      poolClass,
      origin,
      noPool: `${poolOption.key} hands create_engine() a pool built elsewhere; its settings are not read here`,
    };
  }

  // Defaults first, then what a wrapping library sets with setdefault, then what is written.
  // Defaults are named as the user would write the key here (`sqlalchemy.pool_pre_ping` in an .ini), so advice reads right.
  const keyOf = 'options' in input.call ? (input.call.keyOf ?? ((n: string) => n)) : (n: string) => n;
  if (poolClass.pooled) {
    for (const [name, key] of Object.entries(NUMERIC)) {
      if (name !== 'pool_recycle' && !ACCEPTED_BY[name]?.includes(poolClass.name)) continue;
      const fact = name === 'pool_recycle' ? FACT_RECYCLE : FACT_DEFAULTS;
      ctx.settings.set(
        name,
        libraryDefault(name, numericValue(key.unit, key.default), fact, key.unit === 's' ? 's' : undefined, keyOf(name)),
      );
    }
    for (const [name, value] of Object.entries(BOOLEAN)) {
      if (name === 'pool_use_lifo' && !ACCEPTED_BY[name]?.includes(poolClass.name)) continue;
      const fact = name === 'pool_pre_ping' ? FACT_NO_PRE_PING : FACT_DEFAULTS;
      ctx.settings.set(name, libraryDefault(name, { kind: 'bool', value }, fact, undefined, keyOf(name)));
    }
  }
  if (open) {
    // Keywords not listed may come from the unexpanded `**`: what is not written is unknown, not a default.
    for (const name of ['pool_recycle', 'pool_pre_ping']) {
      if (byName.has(name) || !ctx.settings.has(name)) continue;
      const key = keyOf(name);
      ctx.settings.set(name, {
        key,
        canonicalKey: name,
        raw: null,
        text: null,
        value: { kind: 'unknown', reason: `${key} may be set by ${open.reason}` },
        origin: fileOrigin(open.span),
        overrides: [],
        ...(name === 'pool_recycle' ? { unit: 's' as const } : {}),
      });
    }
  }
  for (const d of open ? [] : (input.defaults?.(url) ?? [])) {
    if (byName.has(d.name)) continue;
    const numeric = NUMERIC[d.name];
    ctx.settings.set(d.name, {
      key: d.key,
      canonicalKey: d.name,
      raw: null,
      text: null,
      value: typeof d.value === 'boolean' ? { kind: 'bool', value: d.value } : numericValue(numeric?.unit ?? 'count', d.value),
      origin: { kind: 'library-default', library: d.library, ...(d.version ? { version: d.version } : {}), fact: d.fact },
      overrides: [],
      ...(numeric?.unit === 's' ? { unit: 's' as const } : {}),
    });
  }
  for (const o of byName.values()) {
    if (o.name in NUMERIC) readNumeric(ctx, o);
    else if (o.name in BOOLEAN) readBoolean(ctx, o);
    else if (!OTHER_KEYWORDS.has(o.name)) {
      const near = [...Object.keys(NUMERIC), ...Object.keys(BOOLEAN), 'poolclass', 'connect_args'].find((k) => levenshtein(k, o.name) <= 2);
      if (near) {
        ctx.problems.push({
          severity: 'error',
          ruleId: 'unknown-setting',
          span: o.span,
          message: `${o.key} is not a create_engine() argument, so the engine fails at start-up with TypeError: Invalid argument(s) '${o.name}' sent to create_engine() (sqlalchemy.md). Did you mean ${o.key.replace(o.name, near)}?`,
        });
      }
    }
    const accepted = ACCEPTED_BY[o.name];
    if (accepted && !accepted.includes(poolClass.name) && POOL_CLASSES.includes(poolClass.name)) {
      const sure = classOption !== undefined || input.poolclass?.certain !== false;
      const why = classOption
        ? `${classOption.key} is ${poolClass.name}`
        : input.poolclass
          ? input.poolclass.why
          : `the pool is ${poolClass.name}`;
      ctx.problems.push({
        severity: sure ? 'error' : 'warning',
        ruleId: 'startup-failure',
        span: o.span,
        message: `${o.key} is only accepted by queue pools, and ${why}: create_engine() fails at start-up with TypeError: Invalid argument(s) '${o.name}' sent to create_engine() (sqlalchemy.md, confirmed by running 1.4.46 and 2.0.54). Remove ${o.key}`,
      });
    }
  }
  readDriverOptions(ctx, url, urlOption, driver, byName.get('connect_args'));

  let keepaliveSetting: Setting | undefined;
  const keepalives = ctx.settings.get('connect_args.keepalives');
  if (driver?.libpq && keepalives) keepaliveSetting = keepalives;
  return {
    settings: ctx.settings,
    problems: ctx.problems,
    ...(engine ? { engine } : {}),
    ...(url && hostOfUrl(url) ? { host: hostOfUrl(url) as string } : {}),
    ...(driver ? { driver } : {}),
    poolClass,
    ...(keepaliveSetting ? { keepaliveSetting } : {}),
    origin,
    ...(open ? { open: open.reason } : {}),
  };
}

function driverKeepalive(reading: EngineReading): DriverKeepalive | undefined {
  const d = reading.driver;
  if (!d?.keepalive) return undefined;
  const off = reading.keepaliveSetting;
  if (off) {
    const v = off.value;
    const isOff = (v.kind === 'count' && v.value === 0) || (v.kind === 'string' && v.value.trim() === '0');
    if (isOff)
      return { driver: d.name, value: false, fact: `${off.key} is 0, which turns libpq's TCP keepalive off (sysctl.md)`, setting: off };
  }
  return { driver: d.name, value: d.keepalive.value, fact: d.keepalive.fact, ...(off ? { setting: off } : {}) };
}

/** The pool from what was read. Its id is `sqlalchemy:<path>[@label][#environment]`. */
/** Why the database may be no server: the URL, or its dialect, is not known here (it may be SQLite). */
function serverUncertain(reading: EngineReading): string {
  const url = reading.settings.get('url');
  if (!url) return 'no URL is given here, so the database may be SQLite, a local file';
  const v = url.value;
  const what = v.kind === 'unknown' ? v.reason : `${url.key} names no server dialect connlint knows`;
  return `the database may be SQLite, a local file: ${what}`;
}

export function poolFromReading(reading: EngineReading, input: SqlalchemyInput): Pool {
  const s = reading.settings;
  const idle: IdleMechanism[] = [];
  const poolclass = s.get('poolclass') as Setting;
  let validates: Pool['validatesOnCheckout'];
  if (!reading.poolClass.pooled) {
    // NullPool opens a connection at each checkout and closes it on return: nothing idles in the pool (sqlalchemy.md).
    idle.push({
      kind: 'max-lifetime',
      setting: poolclass,
      boundMs: 0,
      refreshesServer: false,
      note: `${poolclass.key} is NullPool: every connection is closed when it is returned, so none sits idle in the pool`,
    });
    validates = {
      value: true,
      fact: 'sqlalchemy.md, Settings: NullPool opens a new connection at every checkout, so no pooled connection can be stale',
      setting: poolclass,
    };
  } else {
    const recycle = s.get('pool_recycle');
    if (recycle) {
      const v = recycle.value;
      const bound = v.kind === 'duration' && v.ms >= 0 ? v.ms : undefined;
      const note = v.kind === 'duration' && v.ms < 0 ? `${recycle.key} is ${v.ms / 1000}, so SQLAlchemy never recycles by age` : undefined;
      idle.push({ kind: 'max-lifetime', setting: recycle, boundMs: bound, refreshesServer: false, ...(note ? { note } : {}) });
    }
    const ping = s.get('pool_pre_ping');
    const pv = ping?.value;
    if (pv?.kind === 'unknown') {
      // No finding may rest on an unknown: an unknown pre-ping counts as on, and the fact says so.
      validates = {
        value: true,
        fact: `pool_pre_ping is not known here (${pv.reason}), so it is not assumed off`,
        ...(ping ? { setting: ping } : {}),
      };
    } else if (pv?.kind === 'bool' && pv.value) {
      validates = { value: true, fact: FACT_PRE_PING, ...(ping ? { setting: ping } : {}), sufficient: FACT_PRE_PING_SUFFICES };
    } else {
      validates = { value: false, fact: FACT_NO_PRE_PING, ...(ping ? { setting: ping } : {}) };
    }
  }
  const call = input.call;
  const line = reading.origin.line;
  const label = input.label ?? ('options' in call ? undefined : String(line));
  const env = input.environment;
  const callee = 'options' in call ? undefined : call.callee.slice(call.callee.lastIndexOf('.') + 1);
  const name =
    input.name ?? (callee ? `${callee}() at ${formatSpan(reading.origin)}` : `the SQLAlchemy engine at ${formatSpan(reading.origin)}`);
  const keepalive = driverKeepalive(reading);
  const maxSize = engineMaxSize(reading);
  const packetLimit = pyMysqlPacketLimit(reading);
  return {
    id: `sqlalchemy:${input.path}${label ? `@${label}` : ''}${env ? `#${env}` : ''}`,
    library: 'sqlalchemy',
    libraryName: 'SQLAlchemy',
    name,
    ...(reading.engine ? { engine: reading.engine.engine, engineReason: reading.engine.reason } : {}),
    ...(reading.engine ? {} : { serverUncertain: serverUncertain(reading) }),
    ...(env ? { environment: env } : {}),
    ...(input.environmentNote ? { environmentNote: input.environmentNote } : {}),
    ...(reading.host ? { host: reading.host } : {}),
    origin: reading.origin,
    // Advice spells booleans as the file does: Python source (not the strings of an .ini file).
    settings: 'options' in call && input.source !== 'flask' ? sortedByKey(s) : withPythonLiterals(sortedByKey(s)),
    idle,
    validatesOnCheckout: validates,
    ...(keepalive ? { tcpKeepalive: keepalive } : {}),
    ...(maxSize ? { maxSize } : {}),
    ...(packetLimit ? { packetLimit } : {}),
  };
}

const FACT_PACKET =
  'sqlalchemy.md, Settings: PyMySQL max_allowed_packet (bytes, default 16 MiB) is a client-side cap on what it sends; PyMySQL does not adopt the server value';

/** PyMySQL's own packet cap, when connect_args writes one (a URL query value stays a string, whose effect is unverified). */
function pyMysqlPacketLimit(reading: EngineReading): Pool['packetLimit'] {
  const s = reading.settings.get('connect_args.max_allowed_packet');
  if (!s || reading.driver?.id !== 'pymysql') return undefined;
  return { driver: reading.driver.name, setting: s, capsToServer: false, fact: FACT_PACKET };
}

const FACT_SIZE = 'sqlalchemy.md, Settings: a queue pool opens at most pool_size + max_overflow connections (0 and -1 = no limit)';

/**
 * The most connections one engine opens: pool_size + max_overflow for a queue pool (sqlalchemy.md, "What a linter can
 * safely conclude"); one for StaticPool; no bound for NullPool (a connection per checkout) or SingletonThreadPool (one per thread).
 */
function engineMaxSize(reading: EngineReading): PoolSize | undefined {
  const s = reading.settings;
  const poolclass = s.get('poolclass') as Setting;
  const name = reading.poolClass.name;
  // NullPool engines do not count (sqlalchemy.md, "What a linter can safely conclude"); SingletonThreadPool keeps one
  // connection per thread, and the number of threads is not known here; AssertionPool's bound is not in the knowledge base.
  if (name === 'NullPool' || name === 'SingletonThreadPool' || name === 'AssertionPool') return undefined;
  if (name === 'StaticPool') return { value: 1, settings: [poolclass], note: `${poolclass.key} is StaticPool: one connection, shared` };
  const size = s.get('pool_size');
  const overflow = s.get('max_overflow');
  if (!size || !overflow) return undefined;
  return queuePoolSize(size, overflow, FACT_SIZE, reading.open);
}

/**
 * A SQLAlchemy queue pool's bound: pool_size + max_overflow; pool_size 0 or a negative max_overflow means no limit.
 * `open`: keywords not listed may come from an unexpanded `**`, so a defaulted one is unknown.
 */
export function queuePoolSize(size: Setting, overflow: Setting, fact: string, open?: string): PoolSize {
  const settings = [size, overflow];
  // What is not known goes first: the rule reads an undefined bound with a known first setting as "no limit".
  const openWords = (x: Setting) => (open && x.origin.kind === 'library-default' ? `${x.key} may be set by ${open}` : undefined);
  for (const [x, other] of [
    [size, overflow],
    [overflow, size],
  ] as const) {
    const words = openWords(x);
    if (words) return unknownSize({ value: undefined, settings: [x, other] }, words);
  }
  const a = countOf(size);
  const b = countOf(overflow);
  if ('unknown' in a) return { value: undefined, settings, note: `${size.key} is not known here: ${a.unknown}` };
  if ('unknown' in b) return { value: undefined, settings: [overflow, size], note: `${overflow.key} is not known here: ${b.unknown}` };
  if (a.n === 0) return { value: undefined, settings, note: `${size.key} is 0, which means no limit (${fact})` };
  if (a.n < 0) return unknownSize({ value: undefined, settings }, `${size.key} is ${a.n}, a size the knowledge base does not describe`);
  if (b.n < -1)
    return unknownSize(
      { value: undefined, settings: [overflow, size] },
      `${overflow.key} is ${b.n}; only -1 is documented as no limit (${fact})`,
    );
  if (b.n === -1)
    return {
      value: undefined,
      settings: [overflow, size],
      note: `${overflow.key} is ${b.n}, which means no limit on overflow connections (${fact})`,
    };
  const words = (x: Setting, n: number) =>
    `${x.key} ${n}${x.origin.kind === 'library-default' ? ` (the ${x.origin.library} default${x.origin.version ? ` for ${x.origin.version}` : ''})` : ''}`;
  return { value: a.n + b.n, settings, note: `${words(size, a.n)} + ${words(overflow, b.n)}` };
}

/** The pool SQLAlchemy builds for one engine, and what it or its driver would reject. */
export function sqlalchemyPool(input: SqlalchemyInput): SqlalchemyResult {
  const reading = readEngine(input);
  if (reading.noPool) return { problems: reading.problems, noPool: reading.noPool };
  return { pool: poolFromReading(reading, input), problems: reading.problems };
}
