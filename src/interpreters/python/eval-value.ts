import type { Span } from '../../model/span.js';
import type { PyBinding, PyDictEntry, PyValue } from './value.js';

/*
 * The evaluator's own values: PyValue's kinds with exact (bigint) ints, plus what only evaluation needs
 * (modules, functions, classes with their bodies, methods of objects made by calls). Values are never
 * changed in place: `d["k"] = v` makes a new dict, so a module that star-imports another and changes a
 * setting leaves the other module's configuration as it was (each leaf settings module is its own
 * environment). `toPyValue` turns them into the PyValues the interpreters read.
 */

/**
 * Spans in the order they were added, as a list whose every version shares the start of the one before: values are
 * never changed in place, and a name or key assigned thousands of times must not copy all the earlier ones each time.
 */
export interface SpanChain {
  readonly before: SpanChain | undefined;
  readonly span: Span;
}

/** `chain` with `span` added at the end, in O(1); the old chain is unchanged. */
export function addSpan(chain: SpanChain | undefined, span: Span): SpanChain {
  return { before: chain, span };
}

/** The spans of `chain`, first added first. */
export function chainSpans(chain: SpanChain | undefined): Span[] {
  const out: Span[] = [];
  for (let c = chain; c; c = c.before) out.push(c.span);
  return out.reverse();
}

/** `a` then `b`, in the time `b` takes. */
export function joinChains(a: SpanChain | undefined, b: SpanChain | undefined): SpanChain | undefined {
  let out = a;
  for (const span of chainSpans(b)) out = addSpan(out, span);
  return out;
}

export interface VEntry {
  key: Val;
  value: Val;
  span: Span;
  /** The earlier values of the key this entry replaced. */
  overrides: SpanChain | undefined;
  laterMerges: number[];
}

export interface VMerge {
  value: Val;
  span: Span;
}

export interface VCall {
  kind: 'call';
  callee: string;
  written: string;
  args: Val[];
  kwargs: Array<{ name: string; value: Val; span: Span }>;
  unpacked: Array<{ star: '*' | '**'; value: Val; span: Span }>;
  classRef?: ClassInfo;
  span: Span;
}

export interface VEnv {
  kind: 'env';
  name: string;
  default?: Val;
  cast?: 'int' | 'float' | 'str' | 'bool';
  via: string;
  span: Span;
}

export interface VUnknown {
  kind: 'unknown';
  reason: string;
  span: Span;
  prefix?: string;
  candidates?: Val[];
  /** Set for a name bound by an import connlint could not follow (`from .base import env` without base.py). */
  importedName?: string;
}

/** A module of the tree (a file, a package directory, or both for a package with `__init__.py`). */
export interface ModuleHandle {
  dotted: string;
  file?: string;
  dir?: string;
}

export interface Binding {
  name: string;
  value: Val;
  span: Span;
  /** The earlier bindings of the name this one replaced. */
  overrides: SpanChain | undefined;
  /** Statements that changed the value in place (`DATABASES["default"]["CONN_MAX_AGE"] = 60`). */
  updates: SpanChain | undefined;
  conditions: Span[];
  alternatives: Binding[];
}

/**
 * The names of a module, class body or function, in binding order. A branch connlint cannot decide runs
 * in an overlay (`new Scope(parent)`) that records only what it changes, so that merging the branches
 * costs what they changed, not the size of the module.
 */
export class Scope implements Iterable<[string, Binding]> {
  private readonly own = new Map<string, Binding | undefined>();

  constructor(private readonly parent?: Scope) {}

  get(name: string): Binding | undefined {
    if (this.own.has(name)) return this.own.get(name);
    return this.parent?.get(name);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  set(name: string, b: Binding): void {
    this.own.set(name, b);
  }

  delete(name: string): void {
    if (this.parent) this.own.set(name, undefined);
    else this.own.delete(name);
  }

  /** Names this overlay bound or deleted. */
  changed(): string[] {
    return [...this.own.keys()];
  }

  *[Symbol.iterator](): Iterator<[string, Binding]> {
    if (this.parent) {
      for (const [name, b] of this.parent) {
        if (this.own.has(name)) {
          const mine = this.own.get(name);
          if (mine) yield [name, mine];
        } else yield [name, b];
      }
      for (const [name, b] of this.own) if (b && !this.parent.has(name)) yield [name, b];
      return;
    }
    for (const [name, b] of this.own) if (b) yield [name, b];
  }
}

export interface ClassInfo {
  name: string;
  qualname: string;
  /** `<module>.<qualname>` */
  dotted: string;
  path: string;
  span: Span;
  bases: Val[];
  /** The bases as dotted names: resolved when known, else as written. */
  baseNames: string[];
  own: Scope;
}

export type Val =
  | { kind: 'int'; value: bigint; span: Span }
  | { kind: 'float'; value: number; span: Span }
  | { kind: 'str'; value: string; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'none'; span: Span }
  | { kind: 'dict'; entries: VEntry[]; merges: VMerge[]; span: Span }
  | { kind: 'list' | 'tuple'; items: Val[]; span: Span }
  | VEnv
  | VCall
  | { kind: 'ref'; name: string; span: Span }
  | { kind: 'class'; cls: ClassInfo; span: Span }
  | { kind: 'module'; mod: ModuleHandle; span: Span }
  | { kind: 'function'; qualified: string; span: Span }
  /** A method of an object made by a call (`env.int` with `env = environ.Env()`): `callee` is `environ.Env.int`. */
  | { kind: 'bound'; callee: string; self: Val; span: Span }
  | VUnknown;

export function unknown(reason: string, span: Span, extra?: Partial<VUnknown>): VUnknown {
  return { kind: 'unknown', reason, span, ...extra };
}

export function isConstant(v: Val): v is Val & { kind: 'int' | 'float' | 'str' | 'bool' | 'none' } {
  return v.kind === 'int' || v.kind === 'float' || v.kind === 'str' || v.kind === 'bool' || v.kind === 'none';
}

/** A new binding; `conditions` are the undecided tests it is made under. */
export function binding(name: string, value: Val, span: Span, conditions: Span[]): Binding {
  return { name, value, span, overrides: undefined, updates: undefined, conditions: [...conditions], alternatives: [] };
}

export const MAX_ALTERNATIVES = 8;
const MAX_VALUE_DEPTH = 200;

/** Projects evaluator values to PyValues; shared values are projected once. */
export class Projector {
  private readonly cache = new WeakMap<object, PyValue>();
  private readonly bindingCache = new WeakMap<Binding, PyBinding>();

  private depth = 0;

  value(v: Val): PyValue {
    const hit = this.cache.get(v);
    if (hit) return hit;
    // Values nest no deeper than the expressions that built them, except through repeated statements (`X = [X]`).
    if (this.depth >= MAX_VALUE_DEPTH) return { kind: 'unknown', reason: 'a value nested too deeply', span: v.span };
    this.depth++;
    try {
      const out = this.project(v);
      this.cache.set(v, out);
      return out;
    } finally {
      this.depth--;
    }
  }

  binding(b: Binding): PyBinding {
    const hit = this.bindingCache.get(b);
    if (hit) return hit;
    const out: PyBinding = { name: b.name, value: this.value(b.value), span: b.span, overrides: chainSpans(b.overrides) };
    if (b.updates) out.updates = chainSpans(b.updates);
    if (b.conditions.length) out.conditions = [...b.conditions];
    if (b.alternatives.length) out.alternatives = b.alternatives.map((a) => this.binding(a));
    this.bindingCache.set(b, out);
    return out;
  }

  private project(v: Val): PyValue {
    switch (v.kind) {
      case 'int':
        if (v.value > BigInt(Number.MAX_SAFE_INTEGER) || v.value < BigInt(Number.MIN_SAFE_INTEGER)) {
          return { kind: 'unknown', reason: `the integer ${v.value} is too large to compare exactly`, span: v.span };
        }
        return { kind: 'int', value: Number(v.value), span: v.span };
      case 'float':
      case 'str':
      case 'bool':
        return { kind: v.kind, value: v.value, span: v.span } as PyValue;
      case 'none':
        return { kind: 'none', span: v.span };
      case 'dict': {
        const entries = v.entries.map((e) => {
          const out: PyDictEntry = { key: this.value(e.key), value: this.value(e.value), span: e.span };
          if (e.overrides) out.overrides = chainSpans(e.overrides);
          if (e.laterMerges.length) out.laterMerges = [...e.laterMerges];
          return out;
        });
        return v.merges.length
          ? { kind: 'dict', entries, span: v.span, merges: v.merges.map((m) => ({ value: this.value(m.value), span: m.span })) }
          : { kind: 'dict', entries, span: v.span };
      }
      case 'list':
      case 'tuple':
        return { kind: v.kind, items: v.items.map((i) => this.value(i)), span: v.span };
      case 'env': {
        const out: PyValue = { kind: 'env', name: v.name, via: v.via, span: v.span };
        if (v.default) out.default = this.value(v.default);
        if (v.cast) out.cast = v.cast;
        return out;
      }
      case 'call': {
        const out: PyValue = {
          kind: 'call',
          callee: v.callee,
          written: v.written,
          args: v.args.map((a) => this.value(a)),
          kwargs: v.kwargs.map((k) => ({ name: k.name, value: this.value(k.value), span: k.span })),
          span: v.span,
        };
        if (v.unpacked.length) out.unpacked = v.unpacked.map((u) => ({ star: u.star, value: this.value(u.value), span: u.span }));
        if (v.classRef) out.classRef = { path: v.classRef.path, name: v.classRef.qualname };
        return out;
      }
      case 'ref':
        return { kind: 'ref', name: v.name, span: v.span };
      case 'class':
        return { kind: 'class', path: v.cls.path, name: v.cls.qualname, span: v.span };
      case 'module':
        return { kind: 'ref', name: v.mod.dotted, span: v.span };
      case 'function':
        return { kind: 'unknown', reason: `the function ${v.qualified}`, span: v.span };
      case 'bound':
        return { kind: 'unknown', reason: `${v.callee} (an attribute of a call's result)`, span: v.span };
      case 'unknown': {
        const out: PyValue = { kind: 'unknown', reason: v.reason, span: v.span };
        if (v.prefix) out.prefix = v.prefix;
        if (v.candidates) out.candidates = v.candidates.map((c) => this.value(c));
        return out;
      }
    }
  }
}
