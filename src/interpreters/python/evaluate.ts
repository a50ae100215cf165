import type { Problem } from '../../model/problem.js';
import type { Span } from '../../model/span.js';
import { type PyArgument, type PyExpr, type PyStmt, type PySyntaxModule, parsePython } from '../../parsers/python.js';
import { binaryOp, compareOp, convert, describe, type OpResult, pyRepr, pyStr, truthiness, unaryOp } from './constant-ops.js';
import { type CallArgs, castEnvironment, environmentCall, environSubscript } from './env-lookups.js';
import {
  addSpan,
  type Binding,
  binding,
  type ClassInfo,
  isConstant,
  joinChains,
  MAX_ALTERNATIVES,
  Projector,
  unknown,
  type Val,
  type VCall,
  Scope,
  type VEntry,
} from './eval-value.js';
import { ModuleIndex } from './module-resolution.js';
import type { PyClass, PyConfigWrite, PyImport, PyModule } from './value.js';

/*
 * Static evaluation of Python settings modules (issue 17, "Static evaluation (just enough, never
 * guessing)"). Each module of the tree is run in the abstract, once, in import order: literals,
 * arithmetic and conversions of constants, names, dicts and `dict(...)`, `**kwargs`, f-strings,
 * imports between modules of the tree (star imports included), later assignments and in-place changes
 * (`DATABASES["default"]["CONN_MAX_AGE"] = 600`, `.update(...)`), class bodies with inheritance,
 * environment lookups, and calls kept with their callee resolved through the imports. Tests connlint
 * cannot decide (`if os.getenv("PROD"):`) run both ways and leave alternatives; function bodies run once,
 * after their module, with parameters unknown, for the calls and Flask config writes they make. Nothing
 * is read from the file system and no Python runs.
 *
 * Unknown on purpose (connlint does not run code): what calls return (except int/float/str/bool/dict/
 * list/tuple of known values and a few str/dict methods), user functions' results, loop variables,
 * comprehensions, lambdas, sets, bytes, complex numbers, `%` formatting and f-string format specs,
 * `\N{...}` escapes (no Unicode name table), attributes of objects made by calls, module globals changed
 * inside functions (the function may never run), names from modules outside the tree (a `ref`, or unknown
 * for relative imports; their star imports are listed as opaque), `bool()` of an environment variable,
 * lookups with a computed variable name, django-environ schemes and decouple casts other than
 * int/float/str/bool, ints beyond 2**53 once projected.
 */

export interface EvaluatedTree {
  modules: Map<string, PyModule>;
  /** Syntax problems of every file (one per file at most, as CPython reports the first). */
  problems: Problem[];
}

/** Callee names whose calls every module lists (`PyModule.calls`). */
const CALLS_OF_INTEREST = [
  'create_engine',
  'create_async_engine',
  'engine_from_config',
  'async_engine_from_config',
  'dj_database_url.config',
  'dj_database_url.parse',
  'env.db',
  'Env.db',
  'env.db_url',
  'Env.db_url',
  'SQLAlchemy',
  // A management command's wait between two rounds of its loop (django/commands.ts).
  'sleep',
];

export function isCallOfInterest(callee: string): boolean {
  return CALLS_OF_INTEREST.some((c) => callee === c || callee.endsWith(`.${c}`));
}

const FLASK_CONFIG_METHODS = new Set([
  'update',
  'setdefault',
  'from_object',
  'from_mapping',
  'from_pyfile',
  'from_envvar',
  'from_file',
  'from_prefixed_env',
]);
const MUTATORS = new Set(['update', 'setdefault', 'pop', 'clear', 'append', 'extend', 'insert', 'remove', 'popitem', 'sort', 'reverse']);
const BUILTINS = new Set([
  'abs',
  'all',
  'any',
  'bool',
  'bytes',
  'callable',
  'dict',
  'enumerate',
  'Exception',
  'filter',
  'float',
  'frozenset',
  'getattr',
  'hasattr',
  'ImportError',
  'int',
  'isinstance',
  'KeyError',
  'len',
  'list',
  'map',
  'max',
  'min',
  'ModuleNotFoundError',
  'object',
  'open',
  'print',
  'property',
  'range',
  'repr',
  'round',
  'set',
  'setattr',
  'sorted',
  'staticmethod',
  'classmethod',
  'str',
  'sum',
  'super',
  'tuple',
  'type',
  'ValueError',
  'zip',
]);
/** Deeper import chains are not followed (bounded recursion). */
const MAX_IMPORT_DEPTH = 64;
const MAX_CLASS_DEPTH = 100;
/** How deep inside other names' values an in-place change is looked for. */
const MAX_ALIAS_DEPTH = 8;

interface Frame {
  mod: ModuleState;
  kind: 'module' | 'class' | 'function';
  locals: Scope;
  /** The lexically enclosing frame (module frame last). */
  outer?: Frame;
  conditions: Span[];
  /** Prefix of qualified names of what is defined here: `''`, `Config.`, `create_app.<locals>.` */
  qualPrefix: string;
  /** Set in function frames: the function's qualified name. */
  functionName?: string;
}

interface InternalConfigWrite {
  target: string;
  targetCallee?: string;
  kind: PyConfigWrite['kind'];
  key?: string;
  value: Val;
  object?: PyConfigWrite['object'];
  inFunction?: string;
  span: Span;
}

interface ModuleState {
  path: string;
  dotted: string;
  syntax: PySyntaxModule;
  frame: Frame;
  status: 'loading' | 'done';
  classes: Map<string, ClassInfo>;
  calls: VCall[];
  callKeys: Set<string>;
  configWrites: InternalConfigWrite[];
  imports: PyImport[];
  opaqueStarImports: PyImport[];
  problems: PyModule['problems'];
  deferred: Array<() => void>;
}

function spanKey(s: Span): string {
  return `${s.line}:${s.column}:${s.endLine}:${s.endColumn}`;
}

/** The callee as written: `sa.create_engine`, `env.db`, `settings.get_engine()`. */
function written(e: PyExpr): string {
  switch (e.kind) {
    case 'name':
      return e.id;
    case 'attribute':
      return `${written(e.object)}.${e.attr}`;
    case 'call':
      return `${written(e.func)}()`;
    case 'subscript':
      return `${written(e.object)}[...]`;
    default:
      return '<expression>';
  }
}

/** Evaluates every module of the tree. Pure: module resolution only within `files`. */
export function evaluateTree(files: Array<{ path: string; text: string }>): EvaluatedTree {
  return new TreeEvaluator(files).run();
}

class TreeEvaluator {
  private readonly index: ModuleIndex;
  private readonly texts = new Map<string, string>();
  private readonly states = new Map<string, ModuleState>();
  private readonly problems: Problem[] = [];
  private importDepth = 0;
  /** Dicts and lists read through a name, attribute or subscript (see `read`). */
  private readonly shared = new WeakSet<Val>();

  constructor(files: Array<{ path: string; text: string }>) {
    for (const f of files) this.texts.set(f.path, f.text);
    this.index = new ModuleIndex(this.texts.keys());
  }

  run(): EvaluatedTree {
    const paths = [...this.texts.keys()].sort();
    for (const p of paths) this.load(p);
    const projector = new Projector();
    const modules = new Map<string, PyModule>();
    for (const p of paths) {
      const st = this.states.get(p) as ModuleState;
      modules.set(p, this.project(st, projector));
    }
    return { modules, problems: this.problems };
  }

  // ---- modules

  private load(path: string): ModuleState {
    const existing = this.states.get(path);
    if (existing) return existing;
    const text = this.texts.get(path) ?? '';
    const parsed = parsePython(path, text);
    this.problems.push(...parsed.problems);
    const st: ModuleState = {
      path,
      dotted: this.index.moduleNameOf(path),
      syntax: parsed.doc,
      frame: undefined as unknown as Frame,
      status: 'loading',
      classes: new Map(),
      calls: [],
      callKeys: new Set(),
      configWrites: [],
      imports: [],
      opaqueStarImports: [],
      problems: [],
      deferred: [],
    };
    st.frame = { mod: st, kind: 'module', locals: new Scope(), conditions: [], qualPrefix: '' };
    this.states.set(path, st);
    this.importDepth++;
    try {
      this.block(parsed.doc.body, st.frame);
      // Function bodies run after the module, in definition order (nested ones after their parent).
      for (let i = 0; i < st.deferred.length; i++) (st.deferred[i] as () => void)();
    } finally {
      this.importDepth--;
      st.status = 'done';
    }
    return st;
  }

  private project(st: ModuleState, p: Projector): PyModule {
    const bindings = new Map<string, ReturnType<Projector['binding']>>();
    for (const [name, b] of st.frame.locals) bindings.set(name, p.binding(b));
    const classes = new Map<string, PyClass>();
    for (const [qualname, info] of st.classes) classes.set(qualname, this.projectClass(info, p));
    const out: PyModule = {
      path: st.path,
      moduleName: st.dotted,
      bindings,
      classes,
      calls: st.calls.map((c) => p.value(c) as PyModule['calls'][number]),
      configWrites: st.configWrites.map((w) => {
        const o: PyConfigWrite = { target: w.target, kind: w.kind, value: p.value(w.value), span: w.span };
        if (w.targetCallee) o.targetCallee = w.targetCallee;
        if (w.key !== undefined) o.key = w.key;
        if (w.object) o.object = w.object;
        if (w.inFunction) o.inFunction = w.inFunction;
        return o;
      }),
      imports: st.imports,
      opaqueStarImports: st.opaqueStarImports,
      problems: st.problems,
    };
    if (st.syntax.syntaxError) out.syntaxError = st.syntax.syntaxError;
    if (st.syntax.isTemplate) out.isTemplate = true;
    return out;
  }

  // ---- classes

  private readonly mros = new Map<ClassInfo, ClassInfo[]>();

  /** C3 method resolution order over the classes of the tree; other bases are left out (listed as external). */
  private mro(cls: ClassInfo, depth = 0): ClassInfo[] {
    const cached = this.mros.get(cls);
    if (cached) return cached;
    // A class is defined after its bases, so there are no cycles; very long chains are cut, to bound recursion.
    if (depth > MAX_CLASS_DEPTH) return [cls];
    const bases = cls.bases.flatMap((b) => (b.kind === 'class' && b.cls !== cls ? [b.cls] : []));
    if (bases.length <= 1) {
      const out = bases[0] ? [cls, ...this.mro(bases[0], depth + 1)] : [cls];
      this.mros.set(cls, out);
      return out;
    }
    const seqs = [...bases.map((b) => this.mro(b, depth + 1)), bases].map((s) => [...s]);
    const out: ClassInfo[] = [cls];
    for (;;) {
      const nonEmpty = seqs.filter((s) => s.length > 0);
      if (nonEmpty.length === 0) {
        this.mros.set(cls, out);
        return out;
      }
      const head = nonEmpty.map((s) => s[0] as ClassInfo).find((h) => !nonEmpty.some((s) => s.indexOf(h) > 0));
      // No consistent order (Python raises TypeError): fall back to depth-first order.
      const next = head ?? (nonEmpty[0]?.[0] as ClassInfo);
      out.push(next);
      for (const s of seqs) if (s[0] === next) s.shift();
      for (const s of seqs) {
        const i = s.indexOf(next);
        if (i >= 0) s.splice(i, 1);
      }
    }
  }

  private classAttribute(cls: ClassInfo, name: string): Binding | undefined {
    for (const c of this.mro(cls)) {
      const b = c.own.get(name);
      if (b) return b;
    }
    return undefined;
  }

  private projectClass(info: ClassInfo, p: Projector): PyClass {
    const attributes = new Map<string, ReturnType<Projector['binding']>>();
    for (const c of this.mro(info).reverse()) {
      for (const [name, b] of c.own) {
        const projected = p.binding(b);
        const replaced = attributes.get(name);
        attributes.set(
          name,
          replaced ? { ...projected, overrides: [...replaced.overrides, replaced.span, ...projected.overrides] } : projected,
        );
      }
    }
    const externalBases: string[] = [];
    for (const c of this.mro(info)) {
      c.bases.forEach((b, i) => {
        const name = c.baseNames[i] as string;
        if (b.kind !== 'class' && name !== 'builtins.object' && !externalBases.includes(name)) externalBases.push(name);
      });
    }
    const bases = [...info.baseNames];
    return { name: info.name, qualifiedName: info.qualname, path: info.path, bases, externalBases, attributes, span: info.span };
  }

  // ---- statements

  private block(stmts: PyStmt[], frame: Frame): void {
    for (const s of stmts) this.statement(s, frame);
  }

  private bind(frame: Frame, name: string, value: Val, span: Span): void {
    const old = frame.locals.get(name);
    const b = binding(name, value, span, frame.conditions);
    if (old) b.overrides = addSpan(old.overrides, old.span);
    frame.locals.set(name, b);
  }

  private statement(s: PyStmt, frame: Frame): void {
    switch (s.kind) {
      case 'assign': {
        const value = this.expr(s.value, frame);
        if (s.annotation) this.expr(s.annotation, frame);
        for (const t of s.targets) this.assign(t, value, s.span, frame);
        return;
      }
      case 'annotate':
        this.expr(s.annotation, frame);
        return;
      case 'augassign':
        this.augmentedAssign(s, frame);
        return;
      case 'expr':
        this.expr(s.value, frame);
        return;
      case 'import':
        this.importStatement(s, frame);
        return;
      case 'from':
        this.fromImport(s, frame);
        return;
      case 'if': {
        const test = this.expr(s.test, frame);
        const t = truthiness(test);
        if (t === true) this.block(s.body, frame);
        else if (t === false) this.block(s.orelse, frame);
        else this.branches(frame, s.test.span, [s.body, s.orelse], false);
        return;
      }
      case 'try': {
        this.block(s.body, frame);
        this.block(s.orelse, frame);
        if (s.handlers.length) {
          for (const h of s.handlers) if (h.type) this.expr(h.type, frame);
          this.branchesEach(
            frame,
            s.handlers.map((h) => h.span),
            s.handlers.map((h) => h.body),
            s.handlers.map((h) => h.name),
          );
        }
        this.block(s.finalbody, frame);
        return;
      }
      case 'with':
        for (const item of s.items) {
          const ctx = this.expr(item.context, frame);
          if (item.target) this.assign(item.target, unknown(`the value of with ${describe(ctx)}`, item.target.span), s.span, frame);
        }
        this.block(s.body, frame);
        return;
      case 'for': {
        this.expr(s.iter, frame);
        this.branchesEach(frame, [s.iter.span], [[...s.body, ...s.orelse]], [undefined], s.target);
        return;
      }
      case 'while':
        this.expr(s.test, frame);
        this.branches(frame, s.test.span, [[...s.body, ...s.orelse]], true);
        return;
      case 'def':
        this.functionDefinition(s, frame);
        return;
      case 'class':
        this.classDefinition(s, frame);
        return;
      case 'delete':
        for (const t of s.targets) this.deleteTarget(t, s.span, frame);
        return;
      case 'scope':
        return;
      case 'return':
        if (s.value) this.expr(s.value, frame);
        return;
      case 'other':
        for (const e of s.exprs) this.expr(e, frame);
        if (s.bodies.length) this.branches(frame, s.span, s.bodies, true);
        return;
      case 'invalid':
        return;
    }
  }

  /** Runs blocks whose test connlint cannot decide, each from the same state, and merges what they bind. */
  private branches(frame: Frame, test: Span, blocks: PyStmt[][], includeSkip: boolean): void {
    const before = frame.locals;
    const results: Scope[] = [];
    for (const b of blocks) {
      frame.locals = new Scope(before);
      frame.conditions.push(test);
      this.block(b, frame);
      frame.conditions.pop();
      results.push(frame.locals);
    }
    frame.locals = before;
    mergeBranches(before, results, includeSkip && blocks.length > 0);
  }

  /** Like `branches` with one test per block, an optional name bound to unknown in each (except `as e`, loop targets), and the state before kept as one outcome. */
  private branchesEach(frame: Frame, tests: Span[], blocks: PyStmt[][], names: Array<string | undefined>, target?: PyExpr): void {
    const before = frame.locals;
    const results: Scope[] = [];
    blocks.forEach((b, i) => {
      frame.locals = new Scope(before);
      const test = tests[i] ?? (tests[0] as Span);
      frame.conditions.push(test);
      const name = names[i];
      if (name) this.bind(frame, name, unknown(`the exception caught as ${name}`, test), test);
      if (target) this.assign(target, unknown('a loop variable', target.span), test, frame);
      this.block(b, frame);
      frame.conditions.pop();
      results.push(frame.locals);
    });
    frame.locals = before;
    mergeBranches(before, results, true);
  }

  private assign(target: PyExpr, value: Val, span: Span, frame: Frame): void {
    switch (target.kind) {
      case 'name':
        this.bind(frame, target.id, value, span);
        return;
      case 'tuple':
      case 'list': {
        const starred = target.items.findIndex((t) => t.kind === 'starred');
        const items = value.kind === 'list' || value.kind === 'tuple' ? value.items : undefined;
        if (items && starred < 0 && items.length === target.items.length) {
          target.items.forEach((t, i) => {
            this.assign(t, items[i] as Val, span, frame);
          });
          return;
        }
        for (const t of target.items) this.assign(t, unknown(`an element of ${describe(value)}`, t.span), span, frame);
        return;
      }
      case 'starred':
        this.assign(target.value, unknown('a starred assignment', target.span), span, frame);
        return;
      case 'subscript':
        this.itemAssignment(target, value, span, frame);
        return;
      case 'attribute':
        this.expr(target.object, frame);
        return;
      default:
        return;
    }
  }

  private augmentedAssign(s: PyStmt & { kind: 'augassign' }, frame: Frame): void {
    const value = this.expr(s.value, frame);
    if (s.target.kind === 'name') {
      const old = this.lookup(s.target.id, s.target.span, frame);
      const result = this.opResult(binaryOp(s.op, old, value, s.span), s.span, frame, `${s.target.id} ${s.op}= ...`);
      const b = frame.locals.get(s.target.id);
      if (b) frame.locals.set(s.target.id, { ...b, value: result, updates: addSpan(b.updates, s.span) });
      else this.bind(frame, s.target.id, result, s.span);
      return;
    }
    if (s.target.kind === 'subscript') {
      const old = this.expr(s.target, frame);
      const result = this.opResult(binaryOp(s.op, old, value, s.span), s.span, frame, `${written(s.target)} ${s.op}= ...`);
      this.itemAssignment(s.target, result, s.span, frame, true);
      return;
    }
    this.expr(s.target, frame);
  }

  private deleteTarget(t: PyExpr, span: Span, frame: Frame): void {
    if (t.kind === 'name') {
      frame.locals.delete(t.id);
      return;
    }
    if (t.kind === 'tuple' || t.kind === 'list') {
      for (const i of t.items) this.deleteTarget(i, span, frame);
      return;
    }
    if (t.kind === 'subscript') {
      const path = this.mutationPath(t.object, frame);
      const key = this.expr(t.index, frame);
      if (!path) return;
      this.mutate(path, span, frame, (container) => deleteKey(container, key, span));
    }
  }

  // ---- in-place changes

  /** `root[k1][k2]...` rooted at a name bound in this frame: the name and the keys, evaluated. */
  private mutationPath(e: PyExpr, frame: Frame): { root: string; keys: Val[] } | undefined {
    const keys: Val[] = [];
    let cur = e;
    const indexes: PyExpr[] = [];
    while (cur.kind === 'subscript') {
      indexes.unshift(cur.index);
      cur = cur.object;
    }
    if (cur.kind !== 'name') {
      this.expr(e, frame);
      return undefined;
    }
    for (const i of indexes) keys.push(this.expr(i, frame));
    // Only names of this frame: a function changing a module global may never run.
    if (!frame.locals.has(cur.id)) return undefined;
    return { root: cur.id, keys };
  }

  /** Replaces the value at `path` by what `change` makes of it; the binding records the update. */
  /**
   * Replaces the value at `path` by what `change` makes of it; the binding records the update. Values are
   * copied on change, so when the changed dict or list is also held by another name (`db =
   * DATABASES["default"]`, then `db["CONN_MAX_AGE"] = 0`), those names get the new version too, as they
   * share one object in Python.
   */
  private mutate(path: { root: string; keys: Val[] }, span: Span, frame: Frame, change: (container: Val) => Val): void {
    const b = frame.locals.get(path.root);
    if (!b) return;
    const replaced = new Map<Val, Val>();
    const apply = (v: Val) => modifyAt(v, path.keys, change, span, replaced);
    const alternatives = b.alternatives.map((a) => ({ ...a, value: apply(a.value), updates: addSpan(a.updates, span) }));
    frame.locals.set(path.root, { ...b, value: apply(b.value), updates: addSpan(b.updates, span), alternatives });
    if (![...replaced.keys()].some((old) => this.shared.has(old))) return;
    for (const v of replaced.values()) this.shared.add(v);
    for (const [name, other] of frame.locals) {
      const value = replaceContainers(other.value, replaced);
      if (value !== other.value)
        frame.locals.set(name, { ...other, value, updates: name === path.root ? other.updates : addSpan(other.updates, span) });
    }
  }

  private itemAssignment(target: PyExpr & { kind: 'subscript' }, value: Val, span: Span, frame: Frame, isUpdate = false): void {
    // Flask: `app.config["KEY"] = value`
    if (target.object.kind === 'attribute' && target.object.attr === 'config') {
      const key = this.expr(target.index, frame);
      this.configWrite(target.object.object, 'item', value, span, frame, key.kind === 'str' ? key.value : undefined);
      return;
    }
    const path = this.mutationPath(target.object, frame);
    const key = this.expr(target.index, frame);
    if (!path) return;
    this.mutate(path, span, frame, (container) => setKey(container, key, value, span, isUpdate));
  }

  private configWrite(owner: PyExpr, kind: PyConfigWrite['kind'], value: Val, span: Span, frame: Frame, key?: string): InternalConfigWrite {
    const ownerValue = this.expr(owner, frame);
    const w: InternalConfigWrite = { target: written(owner), kind, value, span };
    if (ownerValue.kind === 'call') w.targetCallee = ownerValue.callee;
    if (key !== undefined) w.key = key;
    if (frame.functionName) w.inFunction = frame.functionName;
    frame.mod.configWrites.push(w);
    return w;
  }

  // ---- imports

  private importStatement(s: PyStmt & { kind: 'import' }, frame: Frame): void {
    for (const n of s.names) {
      const full = this.index.resolveAbsolute(frame.mod.path, n.name);
      frame.mod.imports.push(
        full?.file ? { module: n.name, path: full.file, star: false, span: s.span } : { module: n.name, star: false, span: s.span },
      );
      if (full?.file) this.loadModule(full.file);
      if (n.asname) {
        this.bind(
          frame,
          n.asname,
          full ? { kind: 'module', mod: full, span: n.span } : { kind: 'ref', name: n.name, span: n.span },
          s.span,
        );
        continue;
      }
      const top = n.name.split('.')[0] as string;
      const topHandle = full ? this.index.resolveTop(frame.mod.path, n.name) : undefined;
      if (topHandle?.file) this.loadModule(topHandle.file);
      this.bind(
        frame,
        top,
        topHandle ? { kind: 'module', mod: topHandle, span: n.span } : { kind: 'ref', name: top, span: n.span },
        s.span,
      );
    }
  }

  private loadModule(path: string): ModuleState | undefined {
    if (this.importDepth >= MAX_IMPORT_DEPTH && !this.states.has(path)) return undefined;
    return this.load(path);
  }

  private fromImport(s: PyStmt & { kind: 'from' }, frame: Frame): void {
    const written = `${'.'.repeat(s.level)}${s.module}`;
    const handle =
      s.level > 0 ? this.index.resolveRelative(frame.mod.path, s.level, s.module) : this.index.resolveAbsolute(frame.mod.path, s.module);
    const record: PyImport = handle?.file
      ? { module: written, path: handle.file, star: s.names === 'star', span: s.span }
      : { module: written, star: s.names === 'star', span: s.span };
    frame.mod.imports.push(record);
    const source = handle?.file ? this.loadModule(handle.file) : undefined;
    if (s.names === 'star') {
      if (!source) {
        frame.mod.opaqueStarImports.push(record);
        return;
      }
      frame.mod.opaqueStarImports.push(...source.opaqueStarImports.filter((o) => !frame.mod.opaqueStarImports.includes(o)));
      for (const [name, b] of this.publicNames(source)) this.importBinding(frame, name, b, s.span);
      return;
    }
    for (const n of s.names) {
      const local = n.asname ?? n.name;
      const fromModule = source?.frame.locals.get(n.name);
      if (fromModule) {
        this.importBinding(frame, local, fromModule, s.span);
        continue;
      }
      const sub = handle ? this.index.submodule(handle, n.name) : undefined;
      if (sub) {
        if (sub.file) this.loadModule(sub.file);
        this.bind(frame, local, { kind: 'module', mod: sub, span: n.span }, s.span);
        continue;
      }
      if (handle && !handle.file && s.level === 0) {
        // A directory without __init__.py does not hide an installed package of the same name (namespace packages).
        this.bind(frame, local, { kind: 'ref', name: `${s.module}.${n.name}`, span: n.span }, s.span);
      } else if (handle) {
        const why = source?.opaqueStarImports.length ? `, perhaps from ${source.opaqueStarImports.map((o) => o.module).join(', ')}` : '';
        this.bind(frame, local, unknown(`${n.name} is not defined in ${written}${why}`, n.span, { importedName: n.name }), s.span);
      } else if (s.level > 0) {
        this.bind(
          frame,
          local,
          unknown(`${n.name} is imported from ${written}, which is not in the scanned tree`, n.span, { importedName: n.name }),
          s.span,
        );
      } else {
        this.bind(frame, local, { kind: 'ref', name: `${s.module}.${n.name}`, span: n.span }, s.span);
      }
    }
  }

  /** What `from m import *` imports: `__all__` when it is a known list of names, else every name not starting with `_`. */
  private publicNames(source: ModuleState): Array<[string, Binding]> {
    const scope = source.frame.locals;
    const all = scope.get('__all__')?.value;
    if (all && (all.kind === 'list' || all.kind === 'tuple') && all.items.every((i) => i.kind === 'str')) {
      return all.items.flatMap((i) => {
        const b = scope.get((i as Val & { kind: 'str' }).value);
        return b ? [[b.name, b] as [string, Binding]] : [];
      });
    }
    return [...scope].filter(([name]) => !name.startsWith('_'));
  }

  private importBinding(frame: Frame, local: string, from: Binding, span: Span): void {
    const old = frame.locals.get(local);
    // Importing the same binding again (`from .base import *` then `from .base import env`) replaces nothing.
    const same = old && old.span.path === from.span.path && spanKey(old.span) === spanKey(from.span) && old.value === from.value;
    const b: Binding = {
      ...from,
      name: local,
      overrides: same ? old.overrides : joinChains(from.overrides, old ? addSpan(old.overrides, old.span) : undefined),
      conditions: [...frame.conditions, ...from.conditions],
    };
    void span;
    frame.locals.set(local, b);
  }

  // ---- definitions

  private functionDefinition(s: PyStmt & { kind: 'def' }, frame: Frame): void {
    for (const d of s.decorators) this.expr(d, frame);
    for (const d of s.defaults) this.expr(d, frame);
    const qualname = `${frame.qualPrefix}${s.name}`;
    this.bind(frame, s.name, { kind: 'function', qualified: `${frame.mod.dotted}.${qualname}`, span: s.nameSpan }, s.span);
    // Functions see the enclosing function and module scopes, never a class body's.
    let outer: Frame | undefined = frame;
    while (outer && outer.kind === 'class') outer = outer.outer;
    const defining = outer;
    frame.mod.deferred.push(() => {
      const fn: Frame = {
        mod: frame.mod,
        kind: 'function',
        locals: new Scope(),
        conditions: [],
        qualPrefix: `${qualname}.<locals>.`,
        functionName: qualname,
      };
      if (defining) fn.outer = defining;
      for (const p of s.params) fn.locals.set(p, binding(p, unknown(`the parameter ${p} of ${s.name}`, s.nameSpan), s.nameSpan, []));
      this.block(s.body, fn);
    });
  }

  private classDefinition(s: PyStmt & { kind: 'class' }, frame: Frame): void {
    for (const d of s.decorators) this.expr(d, frame);
    const bases: Val[] = [];
    const baseNames: string[] = [];
    for (const a of s.args) {
      const v = this.expr(a.value, frame);
      if (a.kind !== 'positional') continue;
      bases.push(v);
      baseNames.push(v.kind === 'class' ? v.cls.dotted : v.kind === 'ref' ? v.name : v.kind === 'module' ? v.mod.dotted : written(a.value));
    }
    const qualname = `${frame.qualPrefix}${s.name}`;
    const body: Frame = { mod: frame.mod, kind: 'class', locals: new Scope(), outer: frame, conditions: [], qualPrefix: `${qualname}.` };
    if (frame.functionName) body.functionName = frame.functionName;
    this.block(s.body, body);
    const info: ClassInfo = {
      name: s.name,
      qualname,
      dotted: `${frame.mod.dotted}.${qualname}`,
      path: frame.mod.path,
      span: s.span,
      bases,
      baseNames,
      own: body.locals,
    };
    frame.mod.classes.set(qualname, info);
    this.bind(frame, s.name, { kind: 'class', cls: info, span: s.nameSpan }, s.span);
  }

  // ---- expressions

  private lookup(name: string, span: Span, frame: Frame): Val {
    const own = frame.locals.get(name);
    if (own) return own.value;
    for (let f = frame.outer; f; f = f.outer) {
      if (f.kind === 'class') continue;
      const b = f.locals.get(name);
      if (b) return b.value;
    }
    if (BUILTINS.has(name)) return { kind: 'ref', name: `builtins.${name}`, span };
    if (name.startsWith('__') && name.endsWith('__')) return unknown(`${name} (set by Python when the module runs)`, span);
    const opaque = frame.mod.opaqueStarImports;
    if (opaque.length)
      return unknown(`${name} may come from ${opaque.map((o) => o.module).join(', ')} (not in the scanned tree)`, span, {
        importedName: name,
      });
    return unknown(`${name} is not defined in this module`, span);
  }

  /** A dict or list read from a name may end up held by a second name: in-place changes must then reach both. */
  private read(v: Val): Val {
    if (v.kind === 'dict' || v.kind === 'list') this.shared.add(v);
    return v;
  }

  /** An operator's result; what Python would raise is unknown, noted when it runs at import. */
  private opResult(r: OpResult, span: Span, frame: Frame, what: string): Val {
    if (!('raises' in r)) return r;
    if (frame.kind !== 'function') {
      frame.mod.problems.push({
        ruleId: 'startup-failure',
        severity: 'warning',
        message: `${what} raises ${r.raises} when Python imports this module`,
        span,
      });
    }
    return unknown(`${what} raises ${r.raises}`, span);
  }

  private expr(e: PyExpr, frame: Frame): Val {
    const span = e.span;
    switch (e.kind) {
      case 'int':
        return { kind: 'int', value: e.value, span };
      case 'float':
        return { kind: 'float', value: e.value, span };
      case 'str':
        return e.namedEscape ? unknown('a string with a \\N{...} escape', span) : { kind: 'str', value: e.value, span };
      case 'bool':
        return { kind: 'bool', value: e.value, span };
      case 'none':
        return { kind: 'none', span };
      case 'complex':
        return unknown('a complex number', span);
      case 'bytes':
        return unknown('a bytes value', span);
      case 'ellipsis':
        return { kind: 'ref', name: 'builtins.Ellipsis', span };
      case 'fstring':
        return this.fstring(e, frame);
      case 'name':
        return this.read(this.lookup(e.id, span, frame));
      case 'attribute':
        return this.read(this.attribute(this.expr(e.object, frame), e.attr, span));
      case 'subscript': {
        const obj = this.expr(e.object, frame);
        const index = this.expr(e.index, frame);
        return this.read(this.subscript(obj, index, span, frame, written(e)));
      }
      case 'slice':
        for (const p of [e.lower, e.upper, e.step]) if (p) this.expr(p, frame);
        return unknown('a slice', span);
      case 'call':
        return this.call(e, frame);
      case 'binary': {
        const l = this.expr(e.left, frame);
        const r = this.expr(e.right, frame);
        return this.opResult(binaryOp(e.op, l, r, span), span, frame, `${describe(l)} ${e.op} ${describe(r)}`);
      }
      case 'unary':
        return this.opResult(unaryOp(e.op, this.expr(e.operand, frame), span), span, frame, `${e.op} ...`);
      case 'compare': {
        const l = this.expr(e.left, frame);
        const r = this.expr(e.right, frame);
        return this.opResult(compareOp(e.op, l, r, span), span, frame, `${describe(l)} ${e.op} ${describe(r)}`);
      }
      case 'boolop':
        return this.boolop(e, frame);
      case 'ifexp': {
        const test = this.expr(e.test, frame);
        const body = this.expr(e.body, frame);
        const orelse = this.expr(e.orelse, frame);
        const t = truthiness(test);
        if (t !== undefined) return t ? body : orelse;
        return unknown(`depends on ${describe(test)}`, span, { candidates: [body, orelse] });
      }
      case 'dict':
        return this.dict(e, frame);
      case 'list':
      case 'tuple':
      case 'set': {
        const items: Val[] = [];
        let opaque: Val | undefined;
        for (const i of e.items) {
          if (i.kind === 'starred') {
            const v = this.expr(i.value, frame);
            if (v.kind === 'list' || v.kind === 'tuple') items.push(...v.items);
            else opaque = v;
          } else items.push(this.expr(i, frame));
        }
        if (e.kind === 'set') return unknown('a set', span);
        if (opaque) return unknown(`a ${e.kind} with *${describe(opaque)}`, span);
        return { kind: e.kind, items, span };
      }
      case 'starred':
        this.expr(e.value, frame);
        return unknown('a starred expression', span);
      case 'walrus': {
        const v = this.expr(e.value, frame);
        this.bind(frame, e.target, v, span);
        return v;
      }
      case 'other':
        for (const c of e.children) this.expr(c, frame);
        return unknown(e.what === 'too-deep' ? 'an expression nested too deeply' : `a ${e.what}`, span);
    }
  }

  private boolop(e: PyExpr & { kind: 'boolop' }, frame: Frame): Val {
    const l = this.expr(e.left, frame);
    const r = this.expr(e.right, frame);
    const t = truthiness(l);
    if (e.op === 'or') {
      if (t === true) return l;
      if (t === false) return r;
      // `os.getenv("X") or "300"`: the default applies when X is unset or empty.
      if (l.kind === 'env' && (!l.default || l.default.kind === 'none') && isConstant(r) && !l.cast) {
        return { ...l, default: r, via: `${l.via} or`, span: e.span };
      }
      return unknown(`${describe(l)} or ${describe(r)}`, e.span, { candidates: [l, r] });
    }
    if (t === true) return r;
    if (t === false) return l;
    return unknown(`${describe(l)} and ${describe(r)}`, e.span);
  }

  private fstring(e: PyExpr & { kind: 'fstring' }, frame: Frame): Val {
    if (e.namedEscape) {
      for (const p of e.parts) if (p.kind === 'field') this.expr(p.value, frame);
      return unknown('an f-string with a \\N{...} escape', e.span);
    }
    let text = '';
    let failed: string | undefined;
    const render = (parts: typeof e.parts): string | undefined => {
      let out = '';
      for (const p of parts) {
        if (p.kind === 'text') {
          out += p.value;
          continue;
        }
        const v = this.expr(p.value, frame);
        const spec = p.spec ? render(p.spec) : '';
        if (failed) continue;
        if (spec === undefined || spec !== '') {
          failed ??= 'a format spec';
          continue;
        }
        const s = p.conversion === 'r' || p.conversion === 'a' ? pyRepr(v) : pyStr(v);
        if (s === undefined || (p.conversion === 'a' && [...s].some((ch) => ch.charCodeAt(0) > 0x7f))) {
          failed ??= describe(v);
          continue;
        }
        out += s;
      }
      return failed ? undefined : out;
    };
    // Text before the first unknown field is the known prefix.
    for (const p of e.parts) {
      if (p.kind !== 'text') break;
      text += p.value;
    }
    const value = render(e.parts);
    if (value !== undefined) return { kind: 'str', value, span: e.span };
    return unknown(`an f-string with ${failed}`, e.span, text ? { prefix: text } : undefined);
  }

  private dict(e: PyExpr & { kind: 'dict' }, frame: Frame): Val {
    const d = new DictBuilder(e.span);
    for (const item of e.items) {
      if (item.kind === 'pair') {
        const key = this.expr(item.key, frame);
        const value = this.expr(item.value, frame);
        d.set(key, value, item.span);
      } else {
        d.merge(this.expr(item.value, frame), item.span);
      }
    }
    return d.built();
  }

  private attribute(obj: Val, attr: string, span: Span): Val {
    switch (obj.kind) {
      case 'module': {
        const st = obj.mod.file ? this.states.get(obj.mod.file) : undefined;
        const b = st?.frame.locals.get(attr);
        if (b) return b.value;
        const sub = this.index.submodule(obj.mod, attr);
        if (sub) {
          if (sub.file) this.loadModule(sub.file);
          return { kind: 'module', mod: sub, span };
        }
        // A directory without __init__.py does not hide an installed package of the same name.
        if (!obj.mod.file && !obj.mod.dotted.startsWith('.')) return { kind: 'ref', name: `${obj.mod.dotted}.${attr}`, span };
        return unknown(`${attr} is not defined in ${obj.mod.dotted}`, span);
      }
      case 'ref':
        return { kind: 'ref', name: `${obj.name}.${attr}`, span };
      case 'class': {
        const b = this.classAttribute(obj.cls, attr);
        return b ? b.value : unknown(`${obj.cls.name}.${attr} is not defined in the tree`, span);
      }
      case 'call': {
        if (obj.classRef) {
          const b = this.classAttribute(obj.classRef, attr);
          if (b && b.value.kind !== 'function') return b.value;
        }
        return { kind: 'bound', callee: `${obj.callee}.${attr}`, self: obj, span };
      }
      case 'bound':
        return { kind: 'bound', callee: `${obj.callee}.${attr}`, self: obj, span };
      case 'str':
        return { kind: 'bound', callee: `str.${attr}`, self: obj, span };
      case 'dict':
        return { kind: 'bound', callee: `dict.${attr}`, self: obj, span };
      case 'unknown':
        if (obj.importedName) return { kind: 'bound', callee: `${obj.importedName}.${attr}`, self: obj, span };
        return unknown(`${attr} of ${describe(obj)}`, span);
      default:
        return unknown(`${attr} of ${describe(obj)}`, span);
    }
  }

  private subscript(obj: Val, index: Val, span: Span, frame: Frame, text: string): Val {
    if (obj.kind === 'ref' && obj.name === 'os.environ') return environSubscript(index, span);
    if (obj.kind === 'dict') {
      const entry = findEntry(obj, index);
      if (entry)
        return entry.laterMerges.length
          ? unknown(`${text}: may be replaced by a later merge`, span, { candidates: [entry.value] })
          : entry.value;
      if (!isConstant(index))
        return unknown(`${text} with the key ${describe(index)}`, span, { candidates: [...new Set(obj.entries.map((en) => en.value))] });
      if (obj.merges.length) return unknown(`${text}: from ${describe(obj.merges[0]?.value as Val)}`, span);
      return this.opResult({ raises: `KeyError: ${pyRepr(index) ?? describe(index)}` }, span, frame, text);
    }
    if ((obj.kind === 'list' || obj.kind === 'tuple') && (index.kind === 'int' || index.kind === 'bool')) {
      const n = BigInt(obj.items.length);
      let i = index.kind === 'int' ? index.value : index.value ? 1n : 0n;
      if (i < 0n) i += n;
      if (i >= 0n && i < n) return obj.items[Number(i)] as Val;
      return this.opResult({ raises: `IndexError: ${obj.kind} index out of range` }, span, frame, text);
    }
    return unknown(`${text}`, span);
  }

  // ---- calls

  private callArguments(args: PyArgument[], frame: Frame): { positional: Val[]; kwargs: VCall['kwargs']; unpacked: VCall['unpacked'] } {
    const positional: Val[] = [];
    const kwargs: VCall['kwargs'] = [];
    const unpacked: VCall['unpacked'] = [];
    for (const a of args) {
      const v = this.expr(a.value, frame);
      switch (a.kind) {
        case 'positional':
          positional.push(v);
          break;
        case 'keyword':
          kwargs.push({ name: a.name, value: v, span: a.span });
          break;
        case 'star':
          if (v.kind === 'list' || v.kind === 'tuple') positional.push(...v.items);
          else unpacked.push({ star: '*', value: v, span: a.span });
          break;
        case 'doubleStar':
          if (v.kind === 'dict') {
            for (const en of v.entries) {
              if (en.key.kind === 'str') kwargs.push({ name: en.key.value, value: en.value, span: en.span });
              else unpacked.push({ star: '**', value: en.value, span: en.span });
            }
            for (const m of v.merges) unpacked.push({ star: '**', value: m.value, span: m.span });
          } else unpacked.push({ star: '**', value: v, span: a.span });
          break;
      }
    }
    return { positional, kwargs, unpacked };
  }

  private call(e: PyExpr & { kind: 'call' }, frame: Frame): Val {
    const span = e.span;
    // Flask: `app.config.update(...)`, `app.config.from_object(...)` ...
    if (
      e.func.kind === 'attribute' &&
      e.func.object.kind === 'attribute' &&
      e.func.object.attr === 'config' &&
      FLASK_CONFIG_METHODS.has(e.func.attr)
    ) {
      return this.flaskConfigCall(e, e.func.object.object, e.func.attr as PyConfigWrite['kind'], frame);
    }
    // In-place changes of a dict or list bound in this frame: `DATABASES["default"].update(...)`.
    if (e.func.kind === 'attribute' && MUTATORS.has(e.func.attr)) {
      const path = this.mutationPath(e.func.object, frame);
      if (path) return this.mutatingCall(e, e.func.attr, path, frame);
    }
    const func = this.expr(e.func, frame);
    const { positional, kwargs, unpacked } = this.callArguments(e.args, frame);
    const text = written(e.func);
    const result = this.callValue(func, text, positional, kwargs, unpacked, span, frame);
    if (result.kind === 'call' && isCallOfInterest(result.callee)) {
      const key = spanKey(span);
      if (!frame.mod.callKeys.has(key)) {
        frame.mod.callKeys.add(key);
        frame.mod.calls.push(result);
      }
    }
    return result;
  }

  private makeCall(
    callee: string,
    text: string,
    args: Val[],
    kwargs: VCall['kwargs'],
    unpacked: VCall['unpacked'],
    span: Span,
    classRef?: ClassInfo,
  ): VCall {
    const c: VCall = { kind: 'call', callee, written: text, args, kwargs, unpacked, span };
    if (classRef) c.classRef = classRef;
    return c;
  }

  private callValue(
    func: Val,
    text: string,
    args: Val[],
    kwargs: VCall['kwargs'],
    unpacked: VCall['unpacked'],
    span: Span,
    frame: Frame,
  ): Val {
    const callArgs: CallArgs = { args, kwargs: new Map(kwargs.map((k) => [k.name, k.value])), hasUnpacked: unpacked.length > 0 };
    switch (func.kind) {
      case 'ref': {
        const builtin = this.builtinCall(func.name, args, kwargs, unpacked, span, frame);
        if (builtin) return builtin;
        const env = environmentCall(func.name, callArgs, span);
        if (env) return env;
        return this.makeCall(func.name, text, args, kwargs, unpacked, span);
      }
      case 'call': {
        const env = environmentCall(`${func.callee}()`, callArgs, span, func);
        if (env) return env;
        return this.makeCall(`${func.callee}()`, text, args, kwargs, unpacked, span);
      }
      case 'bound': {
        const env = environmentCall(func.callee, callArgs, span, func.self);
        if (env) return env;
        const method = this.methodCall(func, args, kwargs, unpacked, span);
        if (method) return method;
        return this.makeCall(func.callee, text, args, kwargs, unpacked, span);
      }
      case 'class':
        return this.makeCall(func.cls.dotted, text, args, kwargs, unpacked, span, func.cls);
      case 'function':
        return this.makeCall(func.qualified, text, args, kwargs, unpacked, span);
      case 'unknown': {
        // `from .base import env` with base.py not in the tree: django-environ's conventional name.
        if (func.importedName === 'env') {
          const env = environmentCall('env()', callArgs, span);
          if (env) return env;
        }
        return this.makeCall(text, text, args, kwargs, unpacked, span);
      }
      default:
        return this.makeCall(text, text, args, kwargs, unpacked, span);
    }
  }

  /** `int(...)`, `float(...)`, `str(...)`, `bool(...)`, `dict(...)`, `list(...)`, `tuple(...)` of what connlint knows. */
  private builtinCall(
    name: string,
    args: Val[],
    kwargs: VCall['kwargs'],
    unpacked: VCall['unpacked'],
    span: Span,
    frame: Frame,
  ): Val | undefined {
    const cast = { 'builtins.int': 'int', 'builtins.float': 'float', 'builtins.str': 'str', 'builtins.bool': 'bool' }[name] as
      | 'int'
      | 'float'
      | 'str'
      | 'bool'
      | undefined;
    if (cast) {
      if (args.length !== 1 || kwargs.length || unpacked.length) return unknown(`${cast}() with these arguments`, span);
      const v = args[0] as Val;
      if (v.kind === 'env') return castEnvironment(cast, v, span);
      if (isConstant(v)) return this.opResult(convert(cast, v, span), span, frame, `${cast}(${describe(v)})`);
      if (cast === 'str' && v.kind === 'unknown' && v.prefix !== undefined) return v;
      return unknown(`${cast}(${describe(v)})`, span);
    }
    if (name === 'builtins.dict') {
      if (unpacked.some((u) => u.star === '*') || args.length > 1) return unknown('dict() with these arguments', span);
      const d = new DictBuilder(span);
      const first = args[0];
      if (first) {
        if (first.kind === 'list' || first.kind === 'tuple') {
          for (const pair of first.items) {
            if ((pair.kind === 'tuple' || pair.kind === 'list') && pair.items.length === 2)
              d.set(pair.items[0] as Val, pair.items[1] as Val, pair.span);
            else return unknown('dict() of a sequence that is not pairs', span);
          }
        } else d.merge(first, first.span);
      }
      for (const k of kwargs) d.set({ kind: 'str', value: k.name, span: k.span }, k.value, k.span);
      for (const u of unpacked) d.merge(u.value, u.span);
      return d.built();
    }
    if ((name === 'builtins.list' || name === 'builtins.tuple') && args.length === 1 && !kwargs.length && !unpacked.length) {
      const v = args[0] as Val;
      if (v.kind === 'list' || v.kind === 'tuple') return { kind: name === 'builtins.list' ? 'list' : 'tuple', items: v.items, span };
      return unknown(`${name.slice(9)}(${describe(v)})`, span);
    }
    return undefined;
  }

  /** Methods of known values that do not change them: `dict.get`, `dict.copy`, `str.format`, `str.lower` ... */
  private methodCall(
    func: Val & { kind: 'bound' },
    args: Val[],
    kwargs: VCall['kwargs'],
    unpacked: VCall['unpacked'],
    span: Span,
  ): Val | undefined {
    const self = func.self;
    if (unpacked.length) return undefined;
    if (self.kind === 'dict') {
      if (func.callee === 'dict.copy' && !args.length) return { ...self, span };
      if (func.callee === 'dict.get' && args.length >= 1 && args.length <= 2 && !kwargs.length) {
        const entry = findEntry(self, args[0] as Val);
        if (entry && !entry.laterMerges.length) return entry.value;
        if (!entry && !self.merges.length && isConstant(args[0] as Val)) return args[1] ?? { kind: 'none', span };
        return unknown(`${describe(args[0] as Val)} of a dict`, span);
      }
      return undefined;
    }
    if (self.kind === 'str') {
      const m = func.callee.slice(4);
      if (['lower', 'upper', 'strip', 'lstrip', 'rstrip'].includes(m) && !args.length && !kwargs.length) {
        const s = self.value;
        const value =
          m === 'lower'
            ? s.toLowerCase()
            : m === 'upper'
              ? s.toUpperCase()
              : m === 'strip'
                ? s.trim()
                : m === 'lstrip'
                  ? s.trimStart()
                  : s.trimEnd();
        return { kind: 'str', value, span };
      }
      if (m === 'format') return formatString(self.value, args, kwargs, span);
      return undefined;
    }
    return undefined;
  }

  private mutatingCall(e: PyExpr & { kind: 'call' }, method: string, path: { root: string; keys: Val[] }, frame: Frame): Val {
    const { positional, kwargs, unpacked } = this.callArguments(e.args, frame);
    const span = e.span;
    let result: Val = { kind: 'none', span };
    this.mutate(path, span, frame, (container) => {
      if (container.kind === 'dict') {
        switch (method) {
          case 'update': {
            let d = container;
            for (const a of positional) d = mergeInto(d, a, a.kind === 'dict' ? a.span : span);
            for (const k of kwargs) d = setEntry(d, { kind: 'str', value: k.name, span: k.span }, k.value, k.span);
            for (const u of unpacked) d = mergeInto(d, u.value, u.span);
            return d;
          }
          case 'setdefault': {
            const key = positional[0];
            const value = positional[1] ?? { kind: 'none', span };
            if (!key) return container;
            const entry = findEntry(container, key);
            if (entry) {
              result = entry.value;
              return container;
            }
            result = value;
            if (container.merges.length)
              return { ...container, merges: [...container.merges, { value: unknown(`setdefault(${describe(key)}, ...)`, span), span }] };
            return setEntry(container, key, value, span);
          }
          case 'pop': {
            const key = positional[0];
            if (!key) return unknown('pop() of a dict', span);
            const entry = findEntry(container, key);
            result = entry?.value ?? positional[1] ?? unknown(`pop(${describe(key)})`, span);
            return deleteKey(container, key, span);
          }
          case 'clear':
            return { ...container, entries: [], merges: [] };
          default:
            return unknown(`${written(e.func)}(...) changed it`, span);
        }
      }
      if (container.kind === 'list') {
        switch (method) {
          case 'append':
            return positional.length === 1
              ? { ...container, items: [...container.items, positional[0] as Val] }
              : unknown('append()', span);
          case 'extend': {
            const v = positional[0];
            return v && (v.kind === 'list' || v.kind === 'tuple')
              ? { ...container, items: [...container.items, ...v.items] }
              : unknown(`extend(${v ? describe(v) : ''})`, span);
          }
          case 'insert': {
            const [at, v] = positional;
            if (at?.kind === 'int' && v) {
              const items = [...container.items];
              const n = BigInt(items.length);
              let i = at.value < 0n ? at.value + n : at.value;
              if (i < 0n) i = 0n;
              if (i > n) i = n;
              items.splice(Number(i), 0, v);
              return { ...container, items };
            }
            return unknown('insert()', span);
          }
          default:
            return unknown(`${written(e.func)}(...) changed it`, span);
        }
      }
      if (method === 'update' && (container.kind === 'call' || container.kind === 'env' || container.kind === 'unknown')) {
        let d: Val & { kind: 'dict' } = {
          kind: 'dict',
          entries: [],
          merges: [{ value: container, span: container.span }],
          span: container.span,
        };
        for (const a of positional) d = mergeInto(d, a, a.kind === 'dict' ? a.span : span);
        for (const k of kwargs) d = setEntry(d, { kind: 'str', value: k.name, span: k.span }, k.value, k.span);
        return d;
      }
      return unknown(`${written(e.func)}(...) changed ${describe(container)}`, span);
    });
    return result;
  }

  private flaskConfigCall(e: PyExpr & { kind: 'call' }, owner: PyExpr, kind: PyConfigWrite['kind'], frame: Frame): Val {
    const { positional, kwargs, unpacked } = this.callArguments(e.args, frame);
    const span = e.span;
    if (kind === 'update' || kind === 'from_mapping') {
      let d: Val & { kind: 'dict' } = { kind: 'dict', entries: [], merges: [], span };
      for (const a of positional) d = mergeInto(d, a, a.kind === 'dict' ? a.span : span);
      for (const k of kwargs) d = setEntry(d, { kind: 'str', value: k.name, span: k.span }, k.value, k.span);
      for (const u of unpacked) d = mergeInto(d, u.value, u.span);
      this.configWrite(owner, kind, d, span, frame);
      return { kind: 'none', span };
    }
    if (kind === 'setdefault') {
      const key = positional[0];
      this.configWrite(owner, kind, positional[1] ?? { kind: 'none', span }, span, frame, key?.kind === 'str' ? key.value : undefined);
      return unknown('app.config.setdefault(...)', span);
    }
    const first =
      positional[0] ??
      kwargs[0]?.value ??
      (kind === 'from_prefixed_env' ? { kind: 'str', value: 'FLASK', span } : unknown('no argument', span));
    const w = this.configWrite(owner, kind, first, span, frame);
    if (kind === 'from_object') {
      const object = this.configObject(first, frame);
      if (object) w.object = object;
    }
    return { kind: 'bool', value: true, span };
  }

  /** What `app.config.from_object(x)` reads, in the tree: a class, an instance's class, or a module named by an import string. */
  private configObject(v: Val, frame: Frame): PyConfigWrite['object'] | undefined {
    if (v.kind === 'class') return { kind: 'class', path: v.cls.path, name: v.cls.qualname };
    if (v.kind === 'call' && v.classRef) return { kind: 'class', path: v.classRef.path, name: v.classRef.qualname };
    if (v.kind === 'module' && v.mod.file) return { kind: 'module', path: v.mod.file };
    if (v.kind !== 'str') return undefined;
    // werkzeug's import_string: `pkg.module.Name` or `pkg.module:Name`.
    const text = v.value.replace(':', '.');
    const parts = text.split('.');
    for (let cut = parts.length; cut > 0; cut--) {
      const handle = this.index.resolveAbsolute(frame.mod.path, parts.slice(0, cut).join('.'));
      if (!handle?.file) continue;
      const st = this.loadModule(handle.file);
      if (!st) return undefined;
      let value: Val = { kind: 'module', mod: handle, span: v.span };
      for (const attr of parts.slice(cut)) value = this.attribute(value, attr, v.span);
      if (value.kind === 'class') return { kind: 'class', path: value.cls.path, name: value.cls.qualname };
      if (value.kind === 'module' && value.mod.file) return { kind: 'module', path: value.mod.file };
      return undefined;
    }
    return undefined;
  }
}

// ---- dict helpers (values are never changed in place)

function keyEquals(a: Val, b: Val): boolean {
  if (a.kind === 'str' && b.kind === 'str') return a.value === b.value;
  if ((a.kind === 'int' || a.kind === 'bool') && (b.kind === 'int' || b.kind === 'bool')) {
    const x = a.kind === 'int' ? a.value : a.value ? 1n : 0n;
    const y = b.kind === 'int' ? b.value : b.value ? 1n : 0n;
    return x === y;
  }
  if (a.kind === 'none' && b.kind === 'none') return true;
  return false;
}

/** One string for keys `keyEquals` holds equal (`1`, `1` and `True`), undefined for keys it holds equal to none. */
function keyIdentity(key: Val): string | undefined {
  if (key.kind === 'str') return `s${key.value}`;
  if (key.kind === 'int') return `i${key.value}`;
  if (key.kind === 'bool') return key.value ? 'i1' : 'i0';
  if (key.kind === 'none') return 'n';
  return undefined;
}

/**
 * A new dict (`{...}`, `dict(...)`) built in place, which is safe while nothing else holds it: what `setEntry` and
 * `mergeInto` would give, item by item, in linear time for a literal of thousands of keys.
 */
class DictBuilder {
  private d: Val & { kind: 'dict' };
  /** Where each key's entry is in `d.entries`. */
  private at = new Map<string, number>();

  constructor(span: Span) {
    this.d = { kind: 'dict', entries: [], merges: [], span };
  }

  set(key: Val, value: Val, span: Span): void {
    const id = keyIdentity(key);
    const i = id === undefined ? undefined : this.at.get(id);
    const entries = this.d.entries;
    if (i === undefined) {
      if (id !== undefined) this.at.set(id, entries.length);
      entries.push({ key, value, span, overrides: undefined, laterMerges: [] });
    } else {
      const old = entries[i] as VEntry;
      entries[i] = { key: old.key, value, span, overrides: addSpan(old.overrides, old.span), laterMerges: [] };
    }
  }

  merge(v: Val, span: Span): void {
    this.d = mergeInto(this.d, v, span);
    this.at = placesOf(this.d.entries);
  }

  /** The dict, whose map of places later versions (`setEntry`) share. */
  built(): Val & { kind: 'dict' } {
    KEY_PLACES.set(this.d.entries, this.at);
    return this.d;
  }
}

/**
 * Where keys sit in a dict's entries (by `keyIdentity`), for dicts of more than a few keys. One map serves the versions
 * `setEntry` and `modifyInside` make from one another (a key keeps its place; a new one goes at the end), so a dict
 * built by thousands of `d[k] = v` statements is not searched from the start for each. Versions that part (branches)
 * may disagree on a place: a position is checked against the version asked, and searched for when it is wrong.
 */
const KEY_PLACES = new WeakMap<readonly VEntry[], Map<string, number>>();
const INDEXED_FROM = 16;

/** Each key's first place in `entries`. */
function placesOf(entries: readonly VEntry[]): Map<string, number> {
  const places = new Map<string, number>();
  for (let i = 0; i < entries.length; i++) {
    const id = keyIdentity((entries[i] as VEntry).key);
    if (id !== undefined && !places.has(id)) places.set(id, i);
  }
  return places;
}

function keyPlaces(entries: readonly VEntry[]): Map<string, number> {
  let places = KEY_PLACES.get(entries);
  if (!places) {
    places = placesOf(entries);
    KEY_PLACES.set(entries, places);
  }
  return places;
}

/** The index of `key`'s entry, or -1. */
function entryIndex(entries: readonly VEntry[], key: Val): number {
  const id = keyIdentity(key);
  // keyEquals holds such a key equal to none.
  if (id === undefined) return -1;
  if (entries.length < INDEXED_FROM) return entries.findIndex((e) => keyEquals(e.key, key));
  const i = keyPlaces(entries).get(id);
  // Every key of every version sharing the map is in it, at its place in one of them.
  if (i === undefined) return -1;
  if (i < entries.length && keyEquals((entries[i] as VEntry).key, key)) return i;
  return entries.findIndex((e) => keyEquals(e.key, key));
}

/** `next` keeps every key of `entries` at its place: it shares their map, if they have one. */
function samePlaces(entries: readonly VEntry[], next: readonly VEntry[]): void {
  const places = KEY_PLACES.get(entries);
  if (places) KEY_PLACES.set(next, places);
}

function findEntry(d: Val & { kind: 'dict' }, key: Val): VEntry | undefined {
  const i = entryIndex(d.entries, key);
  return i < 0 ? undefined : d.entries[i];
}

/** `d[key] = value`: an existing key keeps its place and remembers what it replaced. */
function setEntry(d: Val & { kind: 'dict' }, key: Val, value: Val, span: Span): Val & { kind: 'dict' } {
  const i = entryIndex(d.entries, key);
  const entries = d.entries.slice();
  if (i >= 0) {
    const old = entries[i] as VEntry;
    entries[i] = { key: old.key, value, span, overrides: addSpan(old.overrides, old.span), laterMerges: [] };
    samePlaces(d.entries, entries);
  } else {
    entries.push({ key, value, span, overrides: undefined, laterMerges: [] });
    const places = KEY_PLACES.get(d.entries);
    const id = keyIdentity(key);
    if (places && id !== undefined) {
      places.set(id, entries.length - 1);
      KEY_PLACES.set(entries, places);
    }
  }
  return { ...d, entries };
}

/** `{**v}` / `d.update(v)`: a known dict's entries are set; anything else is a merge connlint could not expand. */
function mergeInto(d: Val & { kind: 'dict' }, v: Val, span: Span): Val & { kind: 'dict' } {
  if (v.kind === 'dict') {
    let out = d;
    const base = out.merges.length;
    for (const m of v.merges) out = mergeInto(out, m.value, m.span);
    for (const e of v.entries) {
      out = setEntry(out, e.key, e.value, e.span);
      if (e.laterMerges.length) {
        const entry = findEntry(out, e.key) as VEntry;
        entry.laterMerges = e.laterMerges.map((i) => i + base);
      }
    }
    return out;
  }
  const index = d.merges.length;
  return {
    ...d,
    merges: [...d.merges, { value: v, span }],
    entries: d.entries.map((e) => ({ ...e, laterMerges: [...e.laterMerges, index] })),
  };
}

function deleteKey(container: Val, key: Val, span: Span): Val {
  if (container.kind !== 'dict') return unknown(`del of ${describe(container)}`, span);
  return { ...container, entries: container.entries.filter((e) => !keyEquals(e.key, key)) };
}

/** `container[key] = value` (augmented: `container[key] op= value`, already computed). */
function setKey(container: Val, key: Val, value: Val, span: Span, _isUpdate: boolean): Val {
  if (container.kind === 'dict') return setEntry(container, key, value, span);
  if (container.kind === 'list' && key.kind === 'int') {
    const n = BigInt(container.items.length);
    const i = key.value < 0n ? key.value + n : key.value;
    if (i < 0n || i >= n) return unknown(`an assignment out of range (${span.path}:${span.line})`, span);
    const items = [...container.items];
    items[Number(i)] = value;
    return { ...container, items };
  }
  if (container.kind === 'call' || container.kind === 'env' || container.kind === 'unknown') {
    // `DATABASES["default"] = dj_database_url.config(); DATABASES["default"]["CONN_MAX_AGE"] = 60`
    return setEntry(
      { kind: 'dict', entries: [], merges: [{ value: container, span: container.span }], span: container.span },
      key,
      value,
      span,
    );
  }
  return unknown(`an item assignment on ${describe(container)}`, span);
}

/** Applies `change` to the value at `keys` inside `v`, rebuilding the containers on the way. */
function modifyAt(v: Val, keys: Val[], change: (container: Val) => Val, span: Span, replaced: Map<Val, Val>): Val {
  const out = modifyInside(v, keys, change, span, replaced);
  if (out !== v && (v.kind === 'dict' || v.kind === 'list')) replaced.set(v, out);
  return out;
}

function modifyInside(v: Val, keys: Val[], change: (container: Val) => Val, span: Span, replaced: Map<Val, Val>): Val {
  if (keys.length === 0) return change(v);
  const [key, ...rest] = keys as [Val, ...Val[]];
  if (v.kind === 'dict') {
    const entry = findEntry(v, key);
    if (!entry) {
      const missing: Val = v.merges.length
        ? unknown(`${describe(key)}, from ${describe(v.merges[v.merges.length - 1]?.value as Val)}`, span)
        : unknown(`${describe(key)} is not set (KeyError)`, span);
      return setEntry(v, key, modifyAt(missing, rest, change, span, replaced), span);
    }
    const entries = v.entries.map((e) => (e === entry ? { ...e, value: modifyAt(e.value, rest, change, span, replaced) } : e));
    samePlaces(v.entries, entries);
    return { ...v, entries };
  }
  if (v.kind === 'list' && key.kind === 'int') {
    const n = BigInt(v.items.length);
    const i = key.value < 0n ? key.value + n : key.value;
    if (i < 0n || i >= n) return v;
    const items = [...v.items];
    items[Number(i)] = modifyAt(items[Number(i)] as Val, rest, change, span, replaced);
    return { ...v, items };
  }
  if (v.kind === 'call' || v.kind === 'env' || v.kind === 'unknown') {
    const inner: Val = unknown(`${describe(key)} of ${describe(v)}`, span);
    return setEntry(
      { kind: 'dict', entries: [], merges: [{ value: v, span: v.span }], span: v.span },
      key,
      modifyAt(inner, rest, change, span, replaced),
      span,
    );
  }
  return unknown(`changed inside ${describe(v)}`, span);
}

/** `v` with every container in `replaced` swapped for its new version (the other names an in-place change reaches). */
function replaceContainers(v: Val, replaced: Map<Val, Val>, depth = 0): Val {
  const hit = replaced.get(v);
  if (hit) return hit;
  if (depth > MAX_ALIAS_DEPTH) return v;
  if (v.kind === 'dict') {
    let changed = false;
    const entries = v.entries.map((e) => {
      const value = replaceContainers(e.value, replaced, depth + 1);
      if (value === e.value) return e;
      changed = true;
      return { ...e, value };
    });
    return changed ? { ...v, entries } : v;
  }
  if (v.kind === 'list' || v.kind === 'tuple') {
    const items = v.items.map((i) => replaceContainers(i, replaced, depth + 1));
    return items.some((i, k) => i !== v.items[k]) ? { ...v, items } : v;
  }
  return v;
}

/** `"...{}...".format(args)` with positional `{}`/`{0}` and named `{name}` fields, no specs. */
function formatString(template: string, args: Val[], kwargs: VCall['kwargs'], span: Span): Val {
  let out = '';
  let auto = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      out += c;
      i++;
      continue;
    }
    if (c === '}') return unknown("str.format with a single '}'", span);
    if (c !== '{') {
      out += c;
      continue;
    }
    const close = template.indexOf('}', i);
    if (close < 0) return unknown('str.format with an unclosed field', span);
    const field = template.slice(i + 1, close);
    let v: Val | undefined;
    if (field === '') v = args[auto++];
    else if (/^\d+$/.test(field)) v = args[Number(field)];
    else if (/^[A-Za-z_]\w*$/.test(field)) v = kwargs.find((k) => k.name === field)?.value;
    const s = v ? pyStr(v) : undefined;
    if (s === undefined)
      return unknown(`str.format with ${v ? describe(v) : `the field {${field}}`}`, span, out ? { prefix: out } : undefined);
    out += s;
    i = close;
  }
  return { kind: 'str', value: out, span };
}

/**
 * Merges into `before` what blocks that ran from it (overlays on it) changed: a name bound the same way in
 * all outcomes (`includeSkip`: not running any block is one) keeps its binding; otherwise the textually
 * last binding that differs from `before` wins and the others become its alternatives.
 */
function mergeBranches(before: Scope, results: Scope[], includeSkip: boolean): void {
  const names = new Set<string>();
  for (const r of results) for (const n of r.changed()) names.add(n);
  for (const name of names) {
    const old = before.get(name);
    const found = results.map((r) => r.get(name));
    if (includeSkip) found.push(old);
    const first = found[0];
    if (found.every((b) => b === first)) {
      if (first) before.set(name, first);
      else before.delete(name);
      continue;
    }
    const defined = found.filter((b): b is Binding => b !== undefined);
    const changed = defined.filter((b) => b !== old);
    const main = (changed[changed.length - 1] ?? defined[defined.length - 1]) as Binding;
    const alternatives: Binding[] = [];
    const add = (b: Binding) => {
      if (b !== main && !alternatives.includes(b) && alternatives.length < MAX_ALTERNATIVES) alternatives.push(b);
    };
    for (const b of main.alternatives) add(b);
    for (const b of defined) {
      add(b);
      for (const a of b.alternatives) add(a);
    }
    before.set(name, { ...main, alternatives });
  }
}
