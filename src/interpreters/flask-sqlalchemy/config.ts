/**
 * The engines Flask-SQLAlchemy builds from a Flask app's config (sqlalchemy.md, Flask-SQLAlchemy keys
 * and "Syntax and parsing facts"): `SQLALCHEMY_DATABASE_URI` with `SQLALCHEMY_ENGINE_OPTIONS`, and one
 * engine per `SQLALCHEMY_BINDS` entry. The version decides a lot:
 * - 2.x: options go to `create_engine()` unconverted; `SQLALCHEMY_POOL_SIZE/_TIMEOUT/_RECYCLE` and
 *   `SQLALCHEMY_MAX_OVERFLOW` are used (deprecated from 2.4.0); MySQL URLs get `pool_size=10` and
 *   `pool_recycle=7200` unless set.
 * - 3.0+: options go through `engine_from_config(prefix="")`, so int keys are converted from strings;
 *   the `SQLALCHEMY_POOL_*` keys are silently ignored; `mysql*` URLs get only `pool_recycle=7200`
 *   (not `mariadb://`); `SQLALCHEMY_ENGINE_OPTIONS` applies to the default bind only.
 * With the version unknown, both are read and a value they disagree on is unknown (never assumed).
 */
import type { LibraryVersion, Pool } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import type { Setting, Value } from '../../model/setting.js';
import type { Span } from '../../model/span.js';
import { humanValue, whereFrom } from '../../model/values.js';
import type { PyValue } from '../python/value.js';
import {
  type EngineConfig,
  type EngineReading,
  type OptionDefault,
  poolFromReading,
  readEngine,
  type SqlalchemyInput,
} from '../sqlalchemy/pool.js';
import { dictItems, dictView, type SourceTexts } from '../sqlalchemy/python-scalar.js';
import type { SqlalchemyUrl } from '../sqlalchemy/url.js';

export interface FlaskInput {
  /** The file that holds the config (a config class's module, the app factory). */
  path: string;
  /** The app's effective config for one environment: key -> value, later assignments already applied. */
  config: ReadonlyMap<string, PyValue>;
  /** The config class (`ProductionConfig`) or other environment name. */
  environment?: string;
  environmentNote?: string;
  /** `SQLAlchemy(app, engine_options={...})`: the base of every engine's options. */
  engineOptions?: PyValue;
  /** Flask-SQLAlchemy's version, when the project's manifest or connlint.config.yaml says. */
  version?: LibraryVersion;
  sourceText?: SourceTexts;
}

export interface FlaskResult {
  pools: Pool[];
  problems: Problem[];
  /** Engines that build no pool to lint, and why (SQLite, a pool class built elsewhere ...). */
  notPooled: Array<{ bind: string; reason: string }>;
}

type Major = 2 | 3;
const LIBRARY = 'Flask-SQLAlchemy';
const POOL_KEYS: Record<string, string> = {
  SQLALCHEMY_POOL_SIZE: 'pool_size',
  SQLALCHEMY_POOL_TIMEOUT: 'pool_timeout',
  SQLALCHEMY_POOL_RECYCLE: 'pool_recycle',
  SQLALCHEMY_MAX_OVERFLOW: 'max_overflow',
};
const FACT_MYSQL_3 =
  'sqlalchemy.md, Flask-SQLAlchemy keys: 3.0.0-3.1.1 setdefault("pool_recycle", 7200) for URLs whose drivername starts with mysql (not mariadb://)';
const FACT_MYSQL_2 =
  'sqlalchemy.md, Flask-SQLAlchemy keys: 0.16-2.5.1 setdefault pool_size 10 and pool_recycle 7200 for mysql URLs (not mysql+gaerdbms)';

function versionNumbers(v: string): number[] {
  return v.split(/[.\-+]/).map((p) => Number.parseInt(p, 10) || 0);
}

function atLeast(v: string, min: string): boolean {
  const a = versionNumbers(v);
  const b = versionNumbers(min);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

interface Layer {
  options: Map<string, PyValue>;
  keys: Map<string, string>;
  /** A merge that is not known here may have added options (`{**BASE_OPTIONS}` from outside the tree). */
  open?: { reason: string; span: Span };
}

function layer(): Layer {
  return { options: new Map(), keys: new Map() };
}

/** Copy a dict's entries over the layer (later wins), naming each key as written. */
function apply(l: Layer, dict: PyValue | undefined, keyOf: (k: string) => string, unknownAt?: string): void {
  if (!dict) return;
  const view = dictView(dict);
  const items = view?.items;
  if (view?.open) l.open ??= { reason: `${unknownAt}, which ${view.open.reason}`, span: view.open.span };
  if (!items) {
    // Not a dict known here: the idle settings are unknown, written at this place.
    const reason: PyValue = { kind: 'unknown', reason: `${unknownAt} is not known here`, span: dict.span };
    for (const name of ['pool_recycle', 'pool_pre_ping']) {
      l.options.delete(name);
      l.options.set(name, reason);
      l.keys.set(name, keyOf(name));
    }
    return;
  }
  for (const i of items) {
    if (i.key === 'url') continue;
    l.options.delete(i.key);
    l.options.set(i.key, i.value);
    l.keys.set(i.key, keyOf(i.key));
  }
}

function driverDefaults(major: Major, key: (name: string) => string): (url: SqlalchemyUrl | undefined) => OptionDefault[] {
  return (url) => {
    const dn = url?.drivername;
    if (!dn?.startsWith('mysql')) return [];
    if (major === 3)
      return [{ name: 'pool_recycle', key: key('pool_recycle'), value: 7200, library: LIBRARY, version: '3.x', fact: FACT_MYSQL_3 }];
    if (dn === 'mysql+gaerdbms') return [];
    return [
      { name: 'pool_size', key: key('pool_size'), value: 10, library: LIBRARY, version: '2.x', fact: FACT_MYSQL_2 },
      { name: 'pool_recycle', key: key('pool_recycle'), value: 7200, library: LIBRARY, version: '2.x', fact: FACT_MYSQL_2 },
    ];
  };
}

interface Engine {
  bind: string | null;
  input: SqlalchemyInput;
}

/** The engines one major version builds, with the problems only that version has. */
function enginesFor(input: FlaskInput, major: Major, problems: Problem[], notPooled: FlaskResult['notPooled']): Engine[] {
  const cfg = input.config;
  const version = input.version?.version;
  const engineOptionsKnown = major === 3 || version === undefined || atLeast(version, '2.4.0');
  const out: Engine[] = [];
  const base = (): Layer => {
    const l = layer();
    if (major === 3) apply(l, input.engineOptions, (k) => `engine_options["${k}"]`, 'engine_options');
    return l;
  };
  const engineOptions = cfg.get('SQLALCHEMY_ENGINE_OPTIONS');
  const v2Layers = (l: Layer) => {
    for (const [configKey, name] of Object.entries(POOL_KEYS)) {
      const v = cfg.get(configKey);
      if (!v || v.kind === 'none') continue;
      l.options.delete(name);
      l.options.set(name, v);
      l.keys.set(name, configKey);
    }
    if (engineOptionsKnown) apply(l, engineOptions, (k) => `SQLALCHEMY_ENGINE_OPTIONS["${k}"]`, 'SQLALCHEMY_ENGINE_OPTIONS');
    apply(l, input.engineOptions, (k) => `engine_options["${k}"]`, 'engine_options');
  };
  const make = (bind: string | null, url: PyValue, urlKey: string, l: Layer, defaultKey: (n: string) => string): Engine => {
    const env = input.environment;
    const config: EngineConfig = {
      url,
      options: l.options,
      keyOf: (n) => l.keys.get(n) ?? defaultKey(n),
      urlKey,
      origin: url.span,
      ...(l.open ? { open: l.open } : {}),
    };
    return {
      bind,
      input: {
        path: input.path,
        call: config,
        source: 'flask',
        coerce: major === 3,
        ...(env ? { environment: env } : {}),
        ...(input.environmentNote ? { environmentNote: input.environmentNote } : {}),
        label: bind ?? 'default',
        name: `Flask-SQLAlchemy engine ${bind ? `"${bind}" ` : ''}of ${env ?? input.path}`,
        defaults: driverDefaults(major, defaultKey),
        ...(input.sourceText ? { sourceText: input.sourceText } : {}),
      },
    };
  };

  const uri = cfg.get('SQLALCHEMY_DATABASE_URI');
  const optionKey = (n: string) => `SQLALCHEMY_ENGINE_OPTIONS["${n}"]`;
  if (uri) {
    const l = major === 3 ? base() : layer();
    if (major === 3) apply(l, engineOptions, optionKey, 'SQLALCHEMY_ENGINE_OPTIONS');
    else v2Layers(l);
    out.push(make(null, uri, 'SQLALCHEMY_DATABASE_URI', l, optionKey));
  } else if (major === 2) {
    notPooled.push({ bind: 'default', reason: 'SQLALCHEMY_DATABASE_URI is not set, so Flask-SQLAlchemy 2.x uses sqlite:///:memory:' });
  }

  const binds = cfg.get('SQLALCHEMY_BINDS');
  const items = binds ? dictItems(binds) : undefined;
  for (const b of items ?? []) {
    const bindKey = (n: string) => `SQLALCHEMY_BINDS["${b.key}"]["${n}"]`;
    const inner = dictItems(b.value);
    if (inner) {
      if (major === 2) {
        notPooled.push({ bind: b.key, reason: `SQLALCHEMY_BINDS["${b.key}"] is a dict, which only Flask-SQLAlchemy 3.0+ reads` });
        continue;
      }
      const url = inner.find((i) => i.key === 'url');
      if (!url) {
        problems.push({
          severity: 'error',
          ruleId: 'startup-failure',
          span: b.span,
          message: `SQLALCHEMY_BINDS["${b.key}"] has no "url": Flask-SQLAlchemy 3 needs one in every dict bind`,
        });
        continue;
      }
      const l = base();
      apply(l, b.value, bindKey, `SQLALCHEMY_BINDS["${b.key}"]`);
      out.push(make(b.key, url.value, `SQLALCHEMY_BINDS["${b.key}"]["url"]`, l, bindKey));
    } else {
      const l = major === 3 ? base() : layer();
      if (major === 2) v2Layers(l);
      out.push(make(b.key, b.value, `SQLALCHEMY_BINDS["${b.key}"]`, l, major === 3 ? bindKey : optionKey));
    }
  }
  return out;
}

/** Keys a version ignores or warns about, reported where they are written. */
function keyProblems(input: FlaskInput, major: Major | undefined): Problem[] {
  const out: Problem[] = [];
  const version = input.version?.version;
  const at = (v: PyValue): Span => v.span;
  for (const configKey of Object.keys(POOL_KEYS)) {
    const v = input.config.get(configKey);
    if (!v) continue;
    const name = POOL_KEYS[configKey] as string;
    const fix = `Write it as SQLALCHEMY_ENGINE_OPTIONS = {"${name}": ...}`;
    if (major === 3) {
      out.push({
        severity: 'warning',
        ruleId: 'setting-ignored-by-library',
        span: at(v),
        message: `${configKey} is ignored: Flask-SQLAlchemy ${version} removed it in 3.0.0 and ignores it without a warning, so ${name} keeps its default${name === 'pool_recycle' ? ' (7200 s for a MySQL URL, else -1: never)' : ''} (sqlalchemy.md, confirmed by running 3.0.3 and 3.1.1). ${fix}`,
      });
    } else if (major === 2) {
      if (version && atLeast(version, '2.4.0'))
        out.push({
          severity: 'note',
          ruleId: 'setting-ignored-by-library',
          span: at(v),
          message: `${configKey} is deprecated since Flask-SQLAlchemy 2.4.0 and ignored from 3.0.0 without a warning (sqlalchemy.md). ${fix}`,
        });
    } else {
      out.push({
        severity: 'warning',
        ruleId: 'setting-ignored-by-library',
        span: at(v),
        message: `${configKey} is ignored by Flask-SQLAlchemy 3.0 and later, without a warning (deprecated since 2.4.0; sqlalchemy.md). ${fix}`,
      });
    }
  }
  const prePing = input.config.get('SQLALCHEMY_POOL_PRE_PING');
  if (prePing) {
    out.push({
      severity: 'warning',
      ruleId: 'unknown-setting',
      span: at(prePing),
      message: `SQLALCHEMY_POOL_PRE_PING is ignored: no Flask-SQLAlchemy release has this key (it was proposed and never merged; sqlalchemy.md). Write SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}`,
    });
  }
  const options = input.config.get('SQLALCHEMY_ENGINE_OPTIONS');
  if (options && major === 2 && version && !atLeast(version, '2.4.0')) {
    out.push({
      severity: 'warning',
      ruleId: 'setting-ignored-by-library',
      span: at(options),
      message: `SQLALCHEMY_ENGINE_OPTIONS is ignored: Flask-SQLAlchemy ${version} predates it (added in 2.4.0; sqlalchemy.md)`,
    });
  }
  return out;
}

function sameValue(a: Value, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Where and how a setting comes to be, for a reason that names both versions. */
function described(s: Setting): string {
  return `${humanValue(s.value)} (${s.key}, ${whereFrom(s)})`;
}

/** One reading from the 2.x and the 3.x ones: what they agree on is kept, the rest is unknown. */
function merged(v2: EngineReading, v3: EngineReading): EngineReading {
  const settings = new Map<string, Setting>();
  for (const [k, s3] of v3.settings) {
    const s2 = v2.settings.get(k);
    if (!s2 || sameValue(s2.value, s3.value)) {
      // A default both majors give (pool_recycle 7200 for mysql URLs) is not the 3.x one only.
      const o2 = s2?.origin;
      const o3 = s3.origin;
      const both = o2?.kind === 'library-default' && o3.kind === 'library-default' && o2.version !== o3.version;
      settings.set(k, both ? { ...s3, origin: { ...o3, version: `${o2.version} and ${o3.version}` } } : s3);
      continue;
    }
    // Keep the written side's origin, so no rule reasons from a default that may not apply.
    const base = s3.origin.kind === 'file' ? s3 : s2;
    settings.set(k, {
      ...base,
      value: {
        kind: 'unknown',
        reason: `the Flask-SQLAlchemy version is not known: ${described(s2)} with 2.x, ${described(s3)} with 3.0+`,
      },
    });
  }
  for (const [k, s2] of v2.settings) if (!settings.has(k)) settings.set(k, s2);
  const m3 = new Set(v3.problems.map((p) => p.message));
  const m2 = new Set(v2.problems.map((p) => p.message));
  const problems = [
    ...v3.problems.map((p) => (m2.has(p.message) ? p : { ...p, message: `With Flask-SQLAlchemy 3.0+, ${p.message}` })),
    ...v2.problems.filter((p) => !m3.has(p.message)).map((p) => ({ ...p, message: `With Flask-SQLAlchemy 2.x, ${p.message}` })),
  ];
  return { ...v3, settings, problems };
}

/** The pools Flask-SQLAlchemy builds for one app config (one per bind), and what it ignores or rejects. */
export function flaskSqlalchemyPools(input: FlaskInput): FlaskResult {
  const version = input.version?.version;
  const major: Major | undefined = version === undefined ? undefined : atLeast(version, '3.0.0') ? 3 : 2;
  const problems: Problem[] = keyProblems(input, major);
  const notPooled: FlaskResult['notPooled'] = [];
  const pools: Pool[] = [];
  const majors: Major[] = major ? [major] : [3, 2];
  const built = majors.map((m) => {
    const quiet: Problem[] = [];
    const skipped: FlaskResult['notPooled'] = [];
    const engines = enginesFor(input, m, quiet, skipped);
    return { m, engines, quiet, skipped };
  });
  const primary = built[0] as (typeof built)[number];
  problems.push(...primary.quiet);
  notPooled.push(...primary.skipped);
  const other = built[1];
  for (const e of primary.engines) {
    const reading = readEngine(e.input);
    const twin = other?.engines.find((x) => x.bind === e.bind);
    const combined = twin ? merged(readEngine(twin.input), reading) : reading;
    if (combined.noPool) {
      notPooled.push({ bind: e.bind ?? 'default', reason: combined.noPool });
      problems.push(...combined.problems);
      continue;
    }
    problems.push(...combined.problems);
    pools.push(poolFromReading(combined, e.input));
  }
  return { pools, problems, notPooled };
}
