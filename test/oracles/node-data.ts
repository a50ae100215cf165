import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { JsEnv, JsModule, JsValue } from '../../src/interpreters/js/value.js';

/*
 * Node as the oracle of what pure-data CommonJS configuration files export (issue 18, test-only
 * differential check). The files are written to a temporary folder and Node itself requires them in a
 * child process: only in the tests, never in connlint, and only for fixtures written to be pure data
 * (`nodeExports`), or for whole fixture trees in a sandbox where everything outside the tree is a
 * recording stub (`nodeModules`).
 */

/** `module.exports` of each entry file as canonical JSON (keys sorted; what JSON.stringify keeps), by entry path. */
export function nodeExports(files: Record<string, string>, entries: string[]): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'connlint-node-oracle-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{"type": "commonjs"}');
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const script = `
const path = require('path');
${canonical.toString()}
const out = {};
for (const e of JSON.parse(process.argv[1])) out[e] = JSON.stringify(canonical(require(path.join(process.argv[2], e))));
process.stdout.write(JSON.stringify(out));`;
    const stdout = execFileSync(process.execPath, ['-e', script, JSON.stringify(entries), dir], { encoding: 'utf8', env: {} });
    return new Map(Object.entries(JSON.parse(stdout) as Record<string, string>));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A JSON value with keys sorted, the way JSON.stringify would write it (undefined members dropped, NaN as null). */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === undefined || typeof x === 'function' ? null : canonical(x)));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined && typeof x !== 'function') out[k] = canonical(x);
    }
    return out;
  }
  return v;
}

/**
 * How `plainOf` and `staticJson` read values. `emptyEnv`: an environment read (`JsEnv`) is the value the
 * program gets when the variable is unset, as value.ts states it (`unsetEnvValue`); without it an
 * environment read is not known.
 */
export interface PlainOptions {
  emptyEnv?: boolean;
}

/**
 * The value a program gets for an environment read when the variable is unset, by the JsEnv contract in
 * value.ts: the fallback when there is one (already converted by the evaluator: `Number(process.env.X ??
 * "10")` has fallback 10; `||` also falls back on unset), else `undefined` for text, NaN for a number
 * conversion (`Number(undefined)`, `parseInt(undefined)`), and for `=== 'x'` false (`!==`: true).
 */
export function unsetEnvValue(v: JsEnv): JsValue {
  if (v.fallback) return v.fallback;
  if (v.convert === 'boolean') return { kind: 'boolean', value: Boolean(v.negated), span: v.span };
  if (v.convert) return { kind: 'number', value: Number.NaN, span: v.span };
  return { kind: 'undefined', span: v.span };
}

/** The plain value of a static JsValue, or undefined when any part of it is not known (then no comparison). */
export function plainOf(v: JsValue, options: PlainOptions = {}): { value: unknown } | undefined {
  switch (v.kind) {
    case 'env':
      return options.emptyEnv ? plainOf(unsetEnvValue(v), options) : undefined;
    case 'number':
    case 'string':
    case 'boolean':
      return { value: v.value };
    case 'null':
      return { value: null };
    case 'undefined':
      return { value: undefined };
    case 'array': {
      const items: unknown[] = [];
      for (const i of v.items) {
        const p = plainOf(i, options);
        if (!p) return undefined;
        items.push(p.value);
      }
      return { value: items };
    }
    case 'object': {
      if (v.spreads?.length) return undefined;
      const o: Record<string, unknown> = {};
      for (const p of v.properties) {
        const x = plainOf(p.value, options);
        if (!x) return undefined;
        o[p.key] = x.value;
      }
      return { value: o };
    }
    default:
      return undefined;
  }
}

/** Canonical JSON of a static value, comparable with `nodeExports`; undefined when not fully known. */
export function staticJson(v: JsValue | undefined, options: PlainOptions = {}): string | undefined {
  if (!v) return undefined;
  const p = plainOf(v, options);
  return p ? JSON.stringify(canonical(p.value)) : undefined;
}

/**
 * What `module.exports` of a CommonJS module is statically: the value of `module.exports =` (with the
 * `module.exports.x =` after it), else the exports object holding the `exports.x =` properties.
 */
export function staticCommonJsExports(m: JsModule): JsValue {
  if (m.defaultExport) return m.defaultExport;
  return objectOf(m.path, [...m.namedExports]);
}

/** What `module.exports` of an ES module compiled to CommonJS is statically: `default` and the named exports. */
export function staticEsmExports(m: JsModule): JsValue {
  const entries: Array<[string, JsValue]> = [...m.namedExports];
  if (m.defaultExport) entries.unshift(['default', m.defaultExport]);
  return objectOf(m.path, entries);
}

function objectOf(path: string, entries: Array<[string, JsValue]>): JsValue {
  return {
    kind: 'object',
    properties: entries.map(([key, value]) => ({ key, value, span: value.span, keySpan: value.span })),
    span: { path, line: 1, column: 1, endLine: 1, endColumn: 1 },
  };
}

// ---------------------------------------------------------------------------------------------
// Whole trees: every request outside the tree is a recording stub, and Node may only read

/**
 * A value as Node holds it, in JSON: what JSON.stringify would lose is kept (undefined members, NaN,
 * -0, functions), and a value made by a stub is `ref` (a module or member, not called) or `call`.
 */
export type NodeValue =
  | { t: 'undefined' }
  | { t: 'null' }
  | { t: 'boolean'; v: boolean }
  | { t: 'string'; v: string }
  /** Finite numbers as numbers; NaN, Infinity, -Infinity and -0 as that text. */
  | { t: 'number'; v: number | string }
  | { t: 'array'; items: NodeValue[] }
  /** Own enumerable string keys, in Node's order. */
  | { t: 'object'; entries: Array<[string, NodeValue]> }
  | { t: 'function' }
  /** A stub module or a member of one, by the specifier and the member names: `knex.default`, `typeorm.DataSource`. */
  | { t: 'ref'; path: string }
  /** What a call of a stub returned, with the callee (as `ref.path`) and the arguments when it was called. */
  | { t: 'call'; callee: string; isNew: boolean; args: NodeValue[] }
  /** A bigint, a symbol, a cycle or a value nested too deep. */
  | { t: 'other'; what: string };

export type NodeModuleResult =
  /** `esModule`: module.exports carries `__esModule` (an ES module compiled to CommonJS). `json`: canonical JSON, as `nodeExports`. */
  | { esModule: boolean; value: NodeValue; json?: string }
  /** Requiring the entry threw (the first line of the message). */
  | { error: string };

/** A call of a stub, with the tree file (relative, POSIX) of the nearest stack frame inside the tree. */
export interface NodeCall {
  file?: string;
  callee: string;
  isNew: boolean;
  args: NodeValue[];
}

/**
 * `module.exports` of each entry of a whole tree as Node has it, with every call of a stub. The files are
 * written to a temporary folder (extensions .ts, .mts, .cts and .mjs load as CommonJS: the caller compiles
 * them first) and a child Node requires the entries in order, with an empty environment, where:
 * - every `require` from a tree file of something that is not a tree file (a package, a Node built-in, a
 *   relative file missing from the tree) returns a stub: a callable, constructible proxy whose members are
 *   stubs (`__esModule` is true, so `import x from 'm'` reads `m.default` as TypeScript compiles it) and
 *   whose calls are recorded; `./a.js` naming `./a.ts` resolves as TypeScript reads it;
 * - Node runs with the permission model: it may read the temporary folder (and the preload below) and
 *   nothing else, and may not write files, start processes or workers; test/safety/no-network.mjs is
 *   preloaded, so every network use (net, dns, http, tls, fetch ...) throws too: tree code touches
 *   nothing, whatever it does (a plain `.js` file's dynamic `import()` is not stubbed, but meets the same
 *   walls);
 * - console output of tree code is dropped and `process.exit` throws.
 */
// Compiled to dist*/test/oracles/: the repository root is three levels up (the preload is not compiled).
const NO_NETWORK = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/safety/no-network.mjs');

export function nodeModules(
  files: Record<string, string>,
  entries: string[],
): { results: Map<string, NodeModuleResult>; calls: NodeCall[] } {
  if (!existsSync(NO_NETWORK)) throw new Error(`the oracle needs its network guard at ${NO_NETWORK}`);
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'connlint-node-oracle-')));
  try {
    writeFileSync(join(dir, 'package.json'), '{"type": "commonjs"}');
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const script = `${canonical.toString()}\n${oracleChild.toString()}\noracleChild(process.argv[2], JSON.parse(process.argv[1]));`;
    const permission = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
    // One flag per path, not a comma-separated list (which Node versions read differently).
    const flags = [permission, `--allow-fs-read=${dir}`, `--allow-fs-read=${NO_NETWORK}`, `--import=${pathToFileURL(NO_NETWORK).href}`];
    const stdout = execFileSync(process.execPath, [...flags, '--no-warnings', '-e', script, JSON.stringify(entries), dir], {
      cwd: dir,
      encoding: 'utf8',
      env: {},
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
      maxBuffer: 256 * 1024 * 1024,
    });
    const out = JSON.parse(stdout) as { results: Record<string, NodeModuleResult>; calls: NodeCall[] };
    return { results: new Map(Object.entries(out.results)), calls: out.calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs in the child (stringified): see `nodeModules`. Self-contained but for `canonical`. */
function oracleChild(dir: string, entries: string[]): void {
  const Module = require('node:module');
  const path = require('node:path');
  const write = process.stdout.write.bind(process.stdout);
  const exit = process.exit.bind(process);
  const quiet = (() => true) as never;
  process.stdout.write = quiet;
  process.stderr.write = quiet;
  for (const k of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'])
    (console as unknown as Record<string, unknown>)[k] = () => {};
  process.exit = (() => {
    throw new Error('process.exit() called');
  }) as never;
  Error.stackTraceLimit = 200;
  for (const e of ['.ts', '.mts', '.cts', '.mjs']) Module._extensions[e] = Module._extensions['.js'];

  type Value = NodeValue;
  type Call = { callee: string; isNew: boolean; args: Value[] };
  const meta = new WeakMap<object, { name: string; call?: Call }>();
  const calls: Array<Call & { file?: string }> = [];
  const stubs = new Map<string, object>();
  const inTree = (f: string) => f.startsWith(dir + path.sep);

  const describe = (v: unknown, depth: number, seen: Set<object>): Value => {
    if (v === null) return { t: 'null' };
    if (typeof v === 'object' || typeof v === 'function') {
      const m = meta.get(v);
      if (m) return m.call ? { t: 'call', ...m.call } : { t: 'ref', path: m.name };
      if (typeof v === 'function') return { t: 'function' };
      if (seen.has(v) || depth > 100) return { t: 'other', what: 'a cycle or a value nested too deep' };
      seen.add(v);
      try {
        if (Array.isArray(v)) return { t: 'array', items: Array.from(v, (x) => describe(x, depth + 1, seen)) };
        const o = v as Record<string, unknown>;
        return { t: 'object', entries: Object.keys(o).map((k) => [k, describe(o[k], depth + 1, seen)]) };
      } finally {
        seen.delete(v);
      }
    }
    switch (typeof v) {
      case 'undefined':
        return { t: 'undefined' };
      case 'boolean':
        return { t: 'boolean', v };
      case 'string':
        return { t: 'string', v };
      case 'number':
        return { t: 'number', v: Number.isFinite(v) && !Object.is(v, -0) ? v : Object.is(v, -0) ? '-0' : String(v) };
      default:
        return { t: 'other', what: typeof v };
    }
  };

  const callerFile = (): string | undefined => {
    for (const line of String(new Error().stack).split('\n').slice(1)) {
      const m = /\(?([^()\s]+):\d+:\d+\)?$/.exec(line.trim());
      if (m?.[1] && inTree(m[1])) return path.relative(dir, m[1]).split(path.sep).join('/');
    }
    return undefined;
  };

  const record = (callee: string, isNew: boolean, args: unknown[]): object => {
    const call: Call = { callee, isNew, args: args.map((a) => describe(a, 0, new Set())) };
    calls.push({ ...call, file: callerFile() });
    return stub(`${callee}()`, call);
  };

  function stub(name: string, call?: Call): object {
    const known = call ? undefined : stubs.get(name);
    if (known) return known;
    // A function expression, not an arrow: `new` of an arrow throws before the construct trap runs.
    // biome-ignore lint/complexity/useArrowFunction: the target must be constructible
    const p: object = new Proxy(function () {}, {
      get(_t, k) {
        if (k === '__esModule') return true;
        if (k === Symbol.toPrimitive) return (hint: string) => (hint === 'number' ? Number.NaN : `[${name}]`);
        if (typeof k === 'symbol') return undefined;
        return stub(`${name}.${k}`);
      },
      apply: (_t, _this, args) => record(name, false, args),
      construct: (_t, args) => record(name, true, args),
    });
    meta.set(p, call ? { name, call } : { name });
    if (!call) stubs.set(name, p);
    return p;
  }

  const load = Module._load;
  const resolveInTree = (request: string, parent: unknown): string | undefined => {
    for (const r of [request, request.replace(/\.(c|m)?js$/, '.$1ts')]) {
      try {
        const f = Module._resolveFilename(r, parent, false);
        if (inTree(f)) return f;
      } catch {}
    }
    return undefined;
  };
  Module._load = function (this: unknown, request: string, parent: { filename?: string } | undefined, isMain: boolean) {
    if (!parent?.filename || !inTree(parent.filename)) return load.call(this, request, parent, isMain);
    if (!request.startsWith('.') && !path.isAbsolute(request)) return stub(request);
    const file = resolveInTree(request, parent);
    return file ? load.call(this, file, parent, isMain) : stub(request);
  };

  const results: Record<string, unknown> = {};
  for (const e of entries) {
    try {
      const m = require(path.join(dir, e));
      const esModule = (typeof m === 'object' || typeof m === 'function') && m !== null && !meta.has(m) && m.__esModule === true;
      let json: string | undefined;
      try {
        json = JSON.stringify(canonical(m));
      } catch {}
      results[e] = { esModule, value: describe(m, 0, new Set()), json };
    } catch (err) {
      results[e] = { error: String((err as Error)?.message ?? err).split('\n')[0] };
    }
  }
  write(JSON.stringify({ results, calls }), () => exit(0));
}
