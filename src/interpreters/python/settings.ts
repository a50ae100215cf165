import type { ConnectionHolder, LibraryVersion, Pool } from '../../model/model.js';
import { parsePython } from '../../parsers/python.js';
import { isManagementCommand, managementCommandHolder } from '../django/commands.js';
import type { Problem } from '../../model/problem.js';
import { formatSpan } from '../../model/span.js';
import { djangoPools } from '../django/databases.js';
import { flaskSqlalchemyPools } from '../flask-sqlalchemy/config.js';
import { type EngineSource, sqlalchemyPool } from '../sqlalchemy/pool.js';
import type { EvaluatedTree } from './evaluate.js';
import { withEnvironment } from '../sqlalchemy/python-scalar.js';
import type { ProvidedValue } from './environment.js';
import type { PyBinding, PyCall, PyClass, PyConfigWrite, PyEnv, PyModule, PyValue } from './value.js';

/*
 * From evaluated Python modules to pools (issue 17, "What to read"): every SQLAlchemy engine call, every
 * Django settings module that is a leaf (no other module of the tree star-imports it: base.py is read
 * through production.py and dev.py), every Flask config (a config class no other config class extends,
 * or named by `app.config.from_object`; a config module loaded by `from_object`; the `app.config` writes
 * of a module). Each environment is its own configuration; environments that give the same pool are
 * one pool whose note names them all.
 */

export interface PythonSettingsInput {
  tree: EvaluatedTree;
  /** The files the format claimed (the others were read only because these import them). */
  claimed: ReadonlySet<string>;
  texts: ReadonlyMap<string, string>;
  versions: { django?: LibraryVersion; flaskSqlalchemy?: LibraryVersion };
  /** Values the tree supplies for environment variables (Compose, decouple's .env). */
  environment?: (env: PyEnv) => ProvidedValue | undefined;
}

export interface PythonSettingsResult {
  pools: Pool[];
  /** Management commands that hold the Django pools' connections in a loop. */
  holders: ConnectionHolder[];
  problems: Problem[];
  /** Claimed files that give no pool, and why. */
  noPool: Map<string, string[]>;
}

const ENGINE_CALLS: Record<string, EngineSource> = {
  create_engine: 'create_engine',
  create_async_engine: 'create_async_engine',
  engine_from_config: 'engine_from_config',
  async_engine_from_config: 'async_engine_from_config',
};
/** Modules whose create_engine is SQLAlchemy's (SQLModel re-exports it). */
const SQLALCHEMY_MODULES = /^(?:sqlalchemy|sqlmodel)(?:\.|$)/;
const FLASK_SQLALCHEMY = /^(?:flask_sqlalchemy|flask\.ext\.sqlalchemy)(?:\.|$)/;
const MAX_ENVIRONMENTS = 40;

function engineSource(call: PyCall): EngineSource | undefined {
  const dot = call.callee.lastIndexOf('.');
  const fn = call.callee.slice(dot + 1);
  const source = ENGINE_CALLS[fn];
  if (!source) return undefined;
  // An unresolved bare name (a parameter, a star import from outside the tree) is taken as SQLAlchemy's only
  // when written as the bare function name; `db.create_engine` of another library is not.
  if (dot < 0 || SQLALCHEMY_MODULES.test(call.callee)) return source;
  return undefined;
}

interface Built {
  pool: Pool;
  signature: string;
  environments: Array<{ name?: string; note?: string }>;
}

/** What makes two pools the same: everything but their names. */
function signatureOf(pool: Pool): string {
  const { id: _id, name: _name, environment: _e, environmentNote: _n, settings, ...rest } = pool;
  return JSON.stringify([pool.library, [...settings.entries()], rest]);
}

class Collector {
  readonly problems: Problem[] = [];
  readonly noPool = new Map<string, string[]>();
  private readonly built: Built[] = [];

  addPools(pools: Pool[]): void {
    for (const pool of pools) {
      const signature = signatureOf(pool);
      const env = {
        ...(pool.environment ? { name: pool.environment } : {}),
        ...(pool.environmentNote ? { note: pool.environmentNote } : {}),
      };
      const same = this.built.find((b) => b.signature === signature);
      if (same) same.environments.push(env);
      else this.built.push({ pool, signature, environments: [env] });
    }
  }

  why(path: string, reason: string): void {
    const list = this.noPool.get(path) ?? [];
    if (!list.includes(reason)) list.push(reason);
    this.noPool.set(path, list);
  }

  pools(): Pool[] {
    return this.built.map((b) => {
      const [first, ...others] = b.environments;
      if (others.length === 0) return b.pool;
      const names = others.map((o) => o.name ?? 'another configuration');
      const notes = [...(first?.note ? [first.note] : []), `${names.join(', ')} ${names.length > 1 ? 'give' : 'gives'} the same pool`];
      return { ...b.pool, environmentNote: notes.join('; ') };
    });
  }
}

function moduleLabel(m: PyModule): string {
  return m.moduleName ?? m.path;
}

/** Modules another module of the tree star-imports: their bindings live on in the importer. */
function starImported(tree: EvaluatedTree): Set<string> {
  const out = new Set<string>();
  for (const m of tree.modules.values()) for (const i of m.imports) if (i.star && i.path) out.add(i.path);
  return out;
}

function conditionNote(b: PyBinding): string | undefined {
  if (!b.conditions || b.conditions.length === 0) return undefined;
  return `set only when the test at ${b.conditions.map((c) => formatSpan(c)).join(' and ')} holds`;
}

// ---- SQLAlchemy

function sqlalchemyEngines(input: PythonSettingsInput, c: Collector): void {
  for (const m of input.tree.modules.values()) {
    if (!input.claimed.has(m.path)) continue;
    for (const call of m.calls) {
      const source = engineSource(call);
      if (!source) continue;
      const r = sqlalchemyPool({ path: m.path, call, source, sourceText: input.texts });
      c.problems.push(...r.problems);
      if (r.pool) c.addPools([r.pool]);
      else if (r.noPool) c.why(m.path, `${call.written ?? call.callee}() at line ${call.span.line}: ${r.noPool}`);
    }
  }
}

// ---- Django

function djangoSettings(input: PythonSettingsInput, c: Collector): void {
  const imported = starImported(input.tree);
  for (const m of input.tree.modules.values()) {
    const b = m.bindings.get('DATABASES');
    if (!b || imported.has(m.path)) continue;
    // Read from here: the leaf module, or a module one of the claimed files made hold DATABASES.
    if (!input.claimed.has(m.path) && !input.claimed.has(b.span.path)) continue;
    const variants = [b, ...(b.alternatives ?? [])].slice(0, 8);
    for (const v of variants) {
      const notes = [
        conditionNote(v),
        variants.length > 1 ? `DATABASES has ${variants.length} values in ${m.path} depending on tests connlint cannot decide` : undefined,
      ].filter((x): x is string => x !== undefined);
      const r = djangoPools({
        path: m.path,
        databases: v.value,
        // Several values of DATABASES in one module (under tests connlint cannot decide): one environment each.
        environment: variants.length > 1 ? `${moduleLabel(m)}, DATABASES of line ${v.span.line}` : moduleLabel(m),
        ...(notes.length > 0 ? { environmentNote: notes.join('; ') } : {}),
        ...(input.versions.django ? { version: input.versions.django } : {}),
        sourceText: input.texts,
      });
      c.problems.push(...r.problems);
      c.addPools(r.pools);
      for (const n of r.notPooled) c.why(m.path, `DATABASES["${n.alias}"]: ${n.reason}`.replace('DATABASES["*"]: ', ''));
    }
  }
}

// ---- Flask-SQLAlchemy

interface FlaskEnv {
  path: string;
  name: string;
  note?: string;
  config: Map<string, PyValue>;
}

const UPPER = /^[A-Z][A-Z0-9_]*$/;

function classOf(tree: EvaluatedTree, path: string, name: string): PyClass | undefined {
  return tree.modules.get(path)?.classes.get(name);
}

/** pydantic's BaseSettings reads the environment: a field's value is its default, replaced by the variable of the same name. */
function readsEnvironment(cls: PyClass): boolean {
  return cls.externalBases.some((b) => /(?:^|\.)BaseSettings$/.test(b));
}

function classConfig(cls: PyClass): Map<string, PyValue> {
  const env = readsEnvironment(cls);
  const out = new Map<string, PyValue>();
  for (const [k, b] of cls.attributes) {
    if (!UPPER.test(k)) continue;
    out.set(k, env ? { kind: 'env', name: k, default: b.value, via: 'pydantic BaseSettings', span: b.value.span } : b.value);
  }
  return out;
}

function moduleConfig(m: PyModule): Map<string, PyValue> {
  const out = new Map<string, PyValue>();
  for (const [k, b] of m.bindings) if (UPPER.test(k)) out.set(k, b.value);
  return out;
}

function hasSqlalchemyKey(config: ReadonlyMap<string, PyValue>): boolean {
  return config.has('SQLALCHEMY_DATABASE_URI') || config.has('SQLALCHEMY_BINDS');
}

function inTreeBase(base: string, tree: EvaluatedTree): PyClass | undefined {
  for (const m of tree.modules.values()) {
    const prefix = m.moduleName ? `${m.moduleName}.` : undefined;
    if (!prefix || !base.startsWith(prefix)) continue;
    const cls = m.classes.get(base.slice(prefix.length));
    if (cls) return cls;
  }
  return undefined;
}

/** The `app.config` of one module, write by write; several when `from_object` picks one of several classes. */
function appConfigs(tree: EvaluatedTree, m: PyModule, writes: PyConfigWrite[]): FlaskEnv[] {
  let envs: FlaskEnv[] = [{ path: m.path, name: `app.config in ${m.path}`, config: new Map() }];
  const setAll = (env: FlaskEnv, entries: Iterable<[string, PyValue]>) => {
    for (const [k, v] of entries) env.config.set(k, v);
  };
  for (const w of writes) {
    switch (w.kind) {
      case 'item':
        if (w.key) for (const e of envs) e.config.set(w.key, w.value);
        break;
      case 'setdefault':
        if (w.key) for (const e of envs) if (!e.config.has(w.key)) e.config.set(w.key, w.value);
        break;
      case 'update':
      case 'from_mapping':
        if (w.value.kind === 'dict')
          for (const e of envs)
            setAll(
              e,
              w.value.entries.flatMap((x) => (x.key.kind === 'str' ? [[x.key.value, x.value] as [string, PyValue]] : [])),
            );
        break;
      case 'from_object': {
        const picks =
          w.object !== undefined
            ? [w.object]
            : w.value.kind === 'unknown' && w.value.candidates
              ? w.value.candidates.flatMap((v) => (v.kind === 'class' ? [{ kind: 'class' as const, path: v.path, name: v.name }] : []))
              : [];
        if (picks.length === 0) {
          // A config object connlint cannot see: what it sets is unknown, so no key set before stays known.
          for (const e of envs) for (const [k, v] of e.config) e.config.set(k, unknownAfter(v, w));
          break;
        }
        const next: FlaskEnv[] = [];
        for (const e of envs) {
          for (const p of picks) {
            const src =
              p.kind === 'class'
                ? (() => {
                    const cls = classOf(tree, p.path, p.name);
                    return cls ? classConfig(cls) : new Map<string, PyValue>();
                  })()
                : (() => {
                    const mod = tree.modules.get(p.path);
                    return mod ? moduleConfig(mod) : new Map<string, PyValue>();
                  })();
            const copy: FlaskEnv = { ...e, config: new Map(e.config) };
            if (picks.length > 1 && p.kind === 'class') copy.name = `${p.name} (app.config in ${m.path})`;
            setAll(copy, src);
            next.push(copy);
          }
        }
        envs = next.slice(0, MAX_ENVIRONMENTS);
        break;
      }
      default:
        // from_pyfile, from_envvar, from_file, from_prefixed_env: a file or the environment connlint does not read may replace any key.
        for (const e of envs) for (const [k, v] of e.config) e.config.set(k, unknownAfter(v, w));
    }
  }
  return envs;
}

function unknownAfter(v: PyValue, w: PyConfigWrite): PyValue {
  if (v.kind === 'unknown') return v;
  return { kind: 'unknown', reason: `app.config.${w.kind}(...) at ${formatSpan(w.span)} may replace it`, span: v.span };
}

function flaskSettings(input: PythonSettingsInput, c: Collector): void {
  const tree = input.tree;
  const modules = [...tree.modules.values()];
  const flaskUsed = modules.some(
    (m) => m.imports.some((i) => FLASK_SQLALCHEMY.test(i.module)) || m.calls.some((k) => FLASK_SQLALCHEMY.test(k.callee)),
  );
  // engine_options given to the extension itself: the base of every engine's options (one such call only).
  const extension = modules.flatMap((m) =>
    m.calls.filter((k) => FLASK_SQLALCHEMY.test(k.callee) && k.kwargs.some((a) => a.name === 'engine_options')),
  );
  const engineOptions = extension.length === 1 ? extension[0]?.kwargs.find((a) => a.name === 'engine_options')?.value : undefined;

  const envs: FlaskEnv[] = [];
  /** Config classes and modules `app.config.from_object` loads, with where. */
  const named = new Map<string, string>();
  for (const m of modules) {
    for (const w of m.configWrites) {
      if (w.kind !== 'from_object') continue;
      const where = `app.config.from_object(...) at ${formatSpan(w.span)} loads it`;
      if (w.object) named.set(`${w.object.path}\0${w.object.kind === 'class' ? w.object.name : ''}`, where);
      else if (w.value.kind === 'unknown')
        for (const c of w.value.candidates ?? [])
          if (c.kind === 'class') named.set(`${c.path}\0${c.name}`, `${where} (one of several classes)`);
    }
  }
  const extended = new Set<string>();
  for (const m of modules)
    for (const cls of m.classes.values())
      for (const b of cls.bases) {
        const base = inTreeBase(b, tree);
        if (base) extended.add(`${base.path}\0${base.qualifiedName}`);
      }
  for (const m of modules) {
    if (!input.claimed.has(m.path)) continue;
    for (const cls of m.classes.values()) {
      const key = `${cls.path}\0${cls.qualifiedName}`;
      const config = classConfig(cls);
      if (!hasSqlalchemyKey(config)) continue;
      if (!named.has(key) && (!flaskUsed || extended.has(key))) continue;
      const notes = [
        ...(named.has(key) ? [named.get(key) as string] : []),
        ...(readsEnvironment(cls) ? ['a pydantic BaseSettings class: environment variables of the same names replace these values'] : []),
      ];
      envs.push({ path: cls.path, name: cls.qualifiedName, config, ...(notes.length > 0 ? { note: notes.join('; ') } : {}) });
    }
    const moduleNote = named.get(`${m.path}\0`);
    if (moduleNote && hasSqlalchemyKey(moduleConfig(m)))
      envs.push({ path: m.path, name: moduleLabel(m), config: moduleConfig(m), note: moduleNote });
    // app.config written key by key is an environment of its own; one that only loads config objects is
    // theirs, and one that only sets defaults (setdefault: an extension's own init_app) is no configuration.
    const writes = m.configWrites;
    if (writes.some((w) => w.kind !== 'from_object' && w.kind !== 'setdefault')) {
      for (const e of appConfigs(tree, m, writes)) if (hasSqlalchemyKey(e.config)) envs.push(e);
    }
  }
  for (const e of envs.slice(0, MAX_ENVIRONMENTS)) {
    const r = flaskSqlalchemyPools({
      path: e.path,
      config: e.config,
      environment: e.name,
      ...(e.note ? { environmentNote: e.note } : {}),
      ...(engineOptions ? { engineOptions } : {}),
      ...(input.versions.flaskSqlalchemy ? { version: input.versions.flaskSqlalchemy } : {}),
      sourceText: input.texts,
    });
    c.problems.push(...r.problems);
    c.addPools(r.pools);
    for (const n of r.notPooled) c.why(e.path, `${e.name}, ${n.bind === 'default' ? 'default engine' : `bind "${n.bind}"`}: ${n.reason}`);
  }
}

/** The pools of every Python settings environment of the tree. */
export function pythonSettingsPools(input: PythonSettingsInput): PythonSettingsResult {
  return input.environment ? withEnvironment(input.environment, () => settingsPools(input)) : settingsPools(input);
}

function settingsPools(input: PythonSettingsInput): PythonSettingsResult {
  const c = new Collector();
  for (const m of input.tree.modules.values()) {
    if (!input.claimed.has(m.path)) continue;
    for (const p of m.problems) c.problems.push({ ...p });
  }
  sqlalchemyEngines(input, c);
  djangoSettings(input, c);
  flaskSettings(input, c);
  const pools = c.pools();
  return { pools, holders: commandHolders(input, pools), problems: c.problems, noPool: c.noPool };
}

/** Looping management commands: they hold the connections of every Django alias of the project. */
function commandHolders(input: PythonSettingsInput, pools: Pool[]): ConnectionHolder[] {
  const django = pools.filter((p) => p.library === 'django').map((p) => p.id);
  const out: ConnectionHolder[] = [];
  for (const m of input.tree.modules.values()) {
    if (!input.claimed.has(m.path) || !isManagementCommand(m.path)) continue;
    const text = input.texts.get(m.path) ?? '';
    const holder = managementCommandHolder({ path: m.path, syntax: parsePython(m.path, text).doc, module: m, text, pools: django });
    if (holder) out.push(holder);
  }
  return out;
}
