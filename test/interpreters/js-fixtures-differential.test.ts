import assert from 'node:assert/strict';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { CALLS_OF_INTEREST, evaluateJsTree } from '../../src/interpreters/js/evaluate.js';
import type { JsCall, JsModule, JsValue } from '../../src/interpreters/js/value.js';
import { fixtureCases } from '../fixture-dirs.js';
import {
  type NodeCall,
  type NodeValue,
  nodeModules,
  staticCommonJsExports,
  staticEsmExports,
  staticJson,
  unsetEnvValue,
} from '../oracles/node-data.js';

/*
 * Differential check of the static evaluator (src/interpreters/js/evaluate.ts) against Node itself, over
 * the JavaScript/TypeScript files of the fixture repositories (issue 18; test-only: connlint never runs
 * project code, this test does, sandboxed, to check what connlint says without running it).
 *
 * Selection rule. The roots are the fixture repositories (`fixtures/<rule>/<case>/` and `fixtures/demo`,
 * as test/fixture-dirs.ts lists them) and the cases under `test/real-world/`. In each root, every file
 * named `*.js`, `*.cjs`, `*.mjs`, `*.ts`, `*.cts` or `*.mts` (not `*.d.ts`, not under node_modules, no
 * symbolic link followed) is an entry: not only knexfiles, ormconfigs and config/database.js, because
 * (when this was written) every JS/TS file of the fixtures is TypeScript and most hand their
 * configuration to a call (`defineConfig({...})`, `new PrismaPg({...})`, `TypeOrmModule.forRoot({...})`)
 * rather than export plain data, so a rule keeping only `module.exports = {...}` files would compare two.
 * The whole root (entries and its `.json` files) is one static tree, as connlint evaluates it.
 *
 * How Node runs them (test/oracles/node-data.ts, `nodeModules`): one child Node per root, with an EMPTY
 * environment, allowed to read the temporary copy of the root and nothing else (permission model: no
 * writes, no child processes; test/safety/no-network.mjs preloaded: no network), console output dropped. TypeScript, `.mjs` and `.js` files with
 * import/export are compiled to CommonJS first with the `typescript` package's `transpileModule`
 * (esModuleInterop, experimentalDecorators as NestJS projects set it); plain CommonJS `.js`/`.cjs` runs as
 * written. Nothing outside the tree is loaded: every package, Node built-in (`dotenv/config`, `knex`,
 * `fs`) and missing relative file is a stub that records its calls, so no fixture is skipped for its
 * requires, and `knex({...})` or `new DataSource({...})` are compared argument by argument with the
 * `JsCall` the evaluator keeps. `package.json` files are not copied (their `"type"` would change how Node
 * loads the copies); an entry Node cannot load is listed with the reason in EXPECTED_NODE_FAILURES.
 *
 * What is compared, value by value (`compare`):
 * - module.exports: for a compiled ES module, `default` and the named exports (`staticEsmExports`); for
 *   CommonJS, `module.exports =` or the object of `exports.x =` (`staticCommonJsExports`). Objects without
 *   an unexpanded spread must have exactly Node's keys; arrays Node's length.
 * - literals exactly (NaN, -0, undefined kept); functions as functions; a `ref` (outside module or member)
 *   as the stub of the same name; a `JsCall` as the stub call with the same callee (the full
 *   `<module>.<name>` when the evaluator resolved it through an import, else the last name), `new` or not,
 *   and its arguments compared the same way.
 * - environment reads (`JsEnv`): Node has no variables, so each read must be what value.ts says the program
 *   gets when the variable is unset (`unsetEnvValue`): the fallback (`process.env.X ?? 'd'` is kept as the
 *   env read WITH the default, so Node must give 'd'; `Number(process.env.X ?? '10')` must give 10), else
 *   undefined, NaN after a number conversion, false for `=== 'x'`. This is meaningful, not vacuous: a
 *   read the evaluator modelled wrongly (a fallback lost, a conversion not applied) disagrees here.
 * - `JsBranch` (NODE_ENV): the contract does not say which case an unset variable takes (the `:` side of
 *   a ternary, the fallback's key of `configs[process.env.NODE_ENV || 'development']`), so Node's value
 *   must equal one of the cases.
 * - `unknown` values are not compared (counted). A `JsCall` of a function of the tree, which Node runs,
 *   is not compared either.
 * - calls of interest (`CALLS_OF_INTEREST`): every call of a stub Node made while loading a file, from
 *   that file (nearest stack frame in the tree), must be one of the evaluator's `JsModule.calls` for the
 *   file, with equal arguments. Calls the evaluator lists that Node did not make (inside functions that
 *   never ran) are not compared.
 * - whole files: where the evaluator knows all of module.exports (environment reads as unset), its
 *   canonical JSON (`staticJson`, the helper of js-evaluate.test.ts's inline differential) equals Node's.
 *
 * When this was written: 14 files selected and compared, all under fixtures/ (test/real-world/ holds no
 * JS/TS), 135 distinct values (objects, arrays, calls and literals, each once by its span) and 10
 * environment reads compared, 2 values not known (the two NestJS
 * `AppModule` classes), 2 whole files; no disagreement; about 2 s. The test prints these counts per file
 * (`node --test` diagnostics), and the floors below keep it from ever comparing nothing. A disagreement
 * found later goes to EXPECTED_DIFFERENCES (never a change to the evaluator here), so it is visible and
 * the suite still passes. The second test checks the comparison itself on CommonJS shapes the fixtures
 * lack and finds a planted difference.
 *
 * Side effects: the marker-file tests (js-evaluate.test.ts, formats/js-config.test.ts) check that code
 * with side effects never runs when connlint evaluates or lints it; this test adds that evaluating every
 * fixture tree (and running Node on temporary copies) leaves fixtures/ and test/real-world/ as they were:
 * the same paths, sizes and modification times.
 */

// Compiled to dist*/test/interpreters/: the repository root is three levels up.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/*
 * Floors (observed when written: 14 files, 135 values, 10 environment reads, 2 whole files; the floors
 * leave out the two nestjs-typeorm-for-root cases, which were being added at the time).
 */
/** Files with at least one value compared. */
const MIN_FILES = 12;
/** Distinct static values compared. */
const MIN_VALUES = 100;
/** Environment reads compared with what an unset variable gives. */
const MIN_ENV_READS = 8;
/** Files known whole and compared as canonical JSON (the two knexfile.ts). */
const MIN_WHOLE_FILES = 2;

/** `<root>/<file>: <Node's error>` (repository-relative) of entries Node cannot require even with stubs. None today. */
const EXPECTED_NODE_FAILURES: string[] = [];

/** Known disagreements between the evaluator and Node (see `describeDiff` for the form). None today. */
const EXPECTED_DIFFERENCES: string[] = [];

const CODE = /\.(?:[cm]?[jt]s)$/;

interface Root {
  /** Repository-relative, POSIX. */
  name: string;
  dir: string;
  /** Root-relative path -> text: the code files and the JSON files. */
  files: Map<string, string>;
  entries: string[];
}

function roots(): Root[] {
  const dirs = fixtureCases().map((c) => c.dir);
  const realWorld = join(ROOT, 'test/real-world');
  for (const d of readdirSync(realWorld, { withFileTypes: true })) if (d.isDirectory()) dirs.push(join(realWorld, d.name));
  const out: Root[] = [];
  for (const dir of dirs) {
    const files = new Map<string, string>();
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        // Dirent types come from lstat: a symbolic link is neither a directory nor a file here.
        if (e.isDirectory()) {
          if (e.name !== 'node_modules') walk(p);
        } else if (e.isFile() && ((CODE.test(e.name) && !e.name.endsWith('.d.ts')) || e.name.endsWith('.json'))) {
          files.set(relative(dir, p).split('\\').join('/'), readFileSync(p, 'utf8'));
        }
      }
    };
    walk(dir);
    const entries = [...files.keys()].filter((p) => CODE.test(p)).sort();
    if (entries.length > 0) out.push({ name: relative(ROOT, dir).split('\\').join('/'), dir, files, entries });
  }
  return out;
}

/** Every path under the roots with its size and modification time (links not followed). */
function snapshot(dirs: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = lstatSync(p);
      out.set(p, `${s.isDirectory() ? 'dir' : s.size}:${s.mtimeMs}`);
      if (s.isDirectory()) walk(p);
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Preparing the files for Node

function hasModuleSyntax(path: string, text: string): boolean {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  return sf.statements.some(
    (s) =>
      ts.isImportDeclaration(s) ||
      ts.isExportDeclaration(s) ||
      ts.isExportAssignment(s) ||
      (ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)),
  );
}

/** The file as Node 20 can require it: TypeScript, .mjs and ES-module .js compiled to CommonJS; CommonJS as written. */
function forNode(path: string, text: string): string {
  if (/\.c?js$/.test(path) && !(path.endsWith('.js') && hasModuleSyntax(path, text))) return text;
  return ts.transpileModule(text, {
    fileName: path,
    reportDiagnostics: false,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      experimentalDecorators: true,
    },
  }).outputText;
}

// ---------------------------------------------------------------------------------------------
// Comparing

/**
 * What one comparison saw. Values are counted once each, by the static value's kind and span (a value
 * compared twice, as an export and as the argument of a call of interest, counts once).
 */
interface Tally {
  values: Set<string>;
  envReads: Set<string>;
  unknown: Set<string>;
  diffs: string[];
}

const newTally = (): Tally => ({ values: new Set(), envReads: new Set(), unknown: new Set(), diffs: [] });

function merge(into: Tally, t: Tally): void {
  for (const k of ['values', 'envReads', 'unknown'] as const) for (const x of t[k]) into[k].add(x);
  into.diffs.push(...t.diffs);
}

const id = (v: JsValue) => `${v.kind} ${v.span.path}:${v.span.line}:${v.span.column}-${v.span.endLine}:${v.span.endColumn}`;

interface Ctx {
  root: Root;
  /** The entry (root-relative) the comparison is for. */
  file: string;
  tally: Tally;
}

/** The source text a static value was computed from (its span), on one line and cut short. */
function expression(ctx: Ctx, v: JsValue): string {
  const text = ctx.root.files.get(v.span.path);
  if (text === undefined) return '?';
  const lines = text.split('\n');
  const part =
    v.span.line === v.span.endLine
      ? (lines[v.span.line - 1] ?? '').slice(v.span.column - 1, v.span.endColumn - 1)
      : [
          (lines[v.span.line - 1] ?? '').slice(v.span.column - 1),
          ...lines.slice(v.span.line, v.span.endLine - 1),
          (lines[v.span.endLine - 1] ?? '').slice(0, v.span.endColumn - 1),
        ].join('\n');
  const one = part.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 77)}...` : one;
}

function showNode(n: NodeValue): string {
  switch (n.t) {
    case 'undefined':
    case 'null':
    case 'function':
      return n.t;
    case 'boolean':
    case 'string':
      return JSON.stringify(n.v);
    case 'number':
      return String(n.v);
    case 'array':
      return `an array of ${n.items.length}`;
    case 'object':
      return `an object with keys [${n.entries.map(([k]) => k).join(', ')}]`;
    case 'ref':
      return `stub ${n.path}`;
    case 'call':
      return `${n.isNew ? 'new ' : ''}${n.callee}(${n.args.length} arguments)`;
    default:
      return n.what;
  }
}

function showStatic(v: JsValue): string {
  switch (v.kind) {
    case 'number':
      return Object.is(v.value, -0) ? '-0' : String(v.value);
    case 'string':
    case 'boolean':
      return JSON.stringify(v.value);
    case 'null':
    case 'undefined':
    case 'function':
      return v.kind;
    case 'array':
      return `an array of ${v.items.length}`;
    case 'object':
      return `an object with keys [${v.properties.map((p) => p.key).join(', ')}]${v.spreads?.length ? ' and spreads' : ''}`;
    case 'ref':
      return `ref ${v.name === '*' ? v.module : `${v.module}.${v.name}`}`;
    case 'call':
      return `${v.isNew ? 'new ' : ''}${v.callee}(${v.args.length} arguments)`;
    case 'env':
      return `env ${v.name}`;
    case 'branch':
      return `a branch on ${v.variable}`;
    default:
      return `unknown (${v.reason})`;
  }
}

/** One disagreement: `<root>/<file> <where> \`<expression>\`: Node <value>, connlint <value>`. */
function describeDiff(ctx: Ctx, at: string, s: JsValue, node: string, connlint: string): string {
  return `${ctx.root.name}/${ctx.file} ${at} \`${expression(ctx, s)}\`: Node ${node}, connlint ${connlint}`;
}

function differ(ctx: Ctx, at: string, s: JsValue, n: NodeValue | undefined, connlint = showStatic(s)): void {
  ctx.tally.diffs.push(describeDiff(ctx, at, s, n ? showNode(n) : 'has no such key', connlint));
}

function nodeNumber(v: number | string): number {
  return typeof v === 'number' ? v : v === '-0' ? -0 : Number(v);
}

const lastName = (callee: string) => callee.slice(callee.lastIndexOf('.') + 1);

/** Compares a static value with Node's wherever the evaluator knows it; see the file's comment. */
function compare(s: JsValue, n: NodeValue, at: string, ctx: Ctx): void {
  const t = ctx.tally;
  if (s.kind === 'env') t.envReads.add(id(s));
  else if (s.kind === 'unknown' || (s.kind === 'call' && n.t !== 'call' && !s.ref)) t.unknown.add(id(s));
  else if (s.kind !== 'branch') t.values.add(id(s));
  switch (s.kind) {
    case 'number':
      if (n.t !== 'number' || !Object.is(nodeNumber(n.v), s.value)) differ(ctx, at, s, n);
      return;
    case 'string':
    case 'boolean':
      if (n.t !== s.kind || n.v !== s.value) differ(ctx, at, s, n);
      return;
    case 'null':
    case 'undefined':
    case 'function':
      if (n.t !== s.kind) differ(ctx, at, s, n);
      return;
    case 'ref': {
      const path = s.name === '*' ? s.module : `${s.module}.${s.name}`;
      if (n.t !== 'ref' || n.path !== path) differ(ctx, at, s, n);
      return;
    }
    case 'env': {
      const unset = unsetEnvValue(s);
      const before = t.diffs.length;
      compare(unset, n, at, ctx);
      // Name the read, not only its unset value.
      for (let i = before; i < t.diffs.length; i++) t.diffs[i] = `${t.diffs[i]} (as ${showStatic(s)} unset)`;
      return;
    }
    case 'object': {
      if (n.t !== 'object') {
        differ(ctx, at, s, n);
        return;
      }
      const got = new Map(n.entries);
      for (const p of s.properties) {
        const x = got.get(p.key);
        if (x === undefined) differ(ctx, `${at}.${p.key}`, p.value, undefined);
        else compare(p.value, x, `${at}.${p.key}`, ctx);
      }
      if (!s.spreads?.length) {
        const keys = new Set(s.properties.map((p) => p.key));
        for (const [k, x] of n.entries) if (!keys.has(k)) differ(ctx, `${at}.${k}`, s, x, 'has no such key');
      }
      return;
    }
    case 'array':
      if (n.t !== 'array' || n.items.length !== s.items.length) {
        differ(ctx, at, s, n);
        return;
      }
      for (const [i, item] of s.items.entries()) compare(item, n.items[i] as NodeValue, `${at}[${i}]`, ctx);
      return;
    case 'call':
      if (n.t !== 'call' && !s.ref) {
        // A call of a function of the tree, kept as a call: Node ran the function (counted as not known).
        return;
      }
      if (n.t !== 'call') differ(ctx, at, s, n);
      else compareCall(s, n, at, ctx);
      return;
    case 'branch': {
      // Node's value must be one of the cases (the most informative matching one is counted).
      let best: Tally | undefined;
      for (const c of s.cases) {
        const sub: Ctx = { ...ctx, tally: newTally() };
        compare(c.value, n, `${at}<${s.variable}=${c.when ?? '*'}>`, sub);
        if (sub.tally.diffs.length === 0 && (!best || sub.tally.values.size > best.values.size)) best = sub.tally;
      }
      if (best) merge(t, best);
      else differ(ctx, at, s, n, `${showStatic(s)} with no case equal to Node's value`);
      return;
    }
    default:
    // unknown: not compared (counted as not known)
  }
}

function compareCall(s: JsCall, n: Extract<NodeValue, { t: 'call' }>, at: string, ctx: Ctx): void {
  const sameCallee = s.ref ? n.callee === s.callee : lastName(n.callee) === lastName(s.callee);
  if (!sameCallee || n.isNew !== s.isNew || n.args.length !== s.args.length) {
    differ(ctx, at, s, n);
    return;
  }
  for (const [i, a] of s.args.entries()) compare(a, n.args[i] as NodeValue, `${at}(arg ${i})`, ctx);
}

/** Node's calls of interest made from `file`, each matched with one of the evaluator's calls of that file. */
function compareCalls(file: string, nodeCalls: NodeCall[], m: JsModule, ctx: Ctx): void {
  const unmatched = [...m.calls];
  let k = 0;
  for (const c of nodeCalls) {
    if (c.file !== file || !CALLS_OF_INTEREST.has(lastName(c.callee))) continue;
    const at = `calls[${k++}] ${c.callee}`;
    const n: NodeValue = { t: 'call', callee: c.callee, isNew: c.isNew, args: c.args };
    const candidates = unmatched.filter(
      (s) => (s.ref ? s.callee === c.callee : lastName(s.callee) === lastName(c.callee)) && s.isNew === c.isNew,
    );
    if (candidates.length === 0) {
      ctx.tally.diffs.push(`${ctx.root.name}/${file} ${at}: Node made this call while loading the file, connlint lists no such call`);
      continue;
    }
    let chosen: { s: JsCall; tally: Tally } | undefined;
    for (const s of candidates) {
      const sub: Ctx = { ...ctx, tally: newTally() };
      compareCall(s, n, at, sub);
      if (!chosen || (chosen.tally.diffs.length > 0 && sub.tally.diffs.length === 0)) chosen = { s, tally: sub.tally };
    }
    if (!chosen) continue;
    ctx.tally.values.add(id(chosen.s));
    merge(ctx.tally, chosen.tally);
    unmatched.splice(unmatched.indexOf(chosen.s), 1);
  }
}

// ---------------------------------------------------------------------------------------------

interface RootResult {
  /** One line per entry: what was compared. */
  lines: string[];
  nodeFailures: string[];
  diffs: string[];
  selected: number;
  /** Entries with at least one value compared. */
  files: number;
  values: number;
  envReads: number;
  unknown: number;
  wholeFiles: number;
}

/**
 * Evaluates a root statically and in Node and compares every entry. `nodeText` replaces what Node runs
 * for a file (the self-check below plants a difference with it); the static side always reads the root.
 */
function differential(root: Root, nodeText: (path: string, text: string) => string = (_p, text) => text): RootResult {
  const out: RootResult = {
    lines: [],
    nodeFailures: [],
    diffs: [],
    selected: 0,
    files: 0,
    values: 0,
    envReads: 0,
    unknown: 0,
    wholeFiles: 0,
  };
  const tree = evaluateJsTree([...root.files].map(([path, text]) => ({ path, text })));
  const forNodeFiles: Record<string, string> = {};
  for (const [path, text] of root.files) {
    if (path === 'package.json' || path.endsWith('/package.json')) continue;
    const t = nodeText(path, text);
    forNodeFiles[path] = CODE.test(path) ? forNode(path, t) : t;
  }
  const node = nodeModules(forNodeFiles, root.entries);
  for (const file of root.entries) {
    out.selected++;
    const r = node.results.get(file);
    const m = tree.modules.get(file);
    assert.ok(r && m, `${root.name}/${file}: both Node and connlint answer`);
    if ('error' in r) {
      out.nodeFailures.push(`${root.name}/${file}: ${r.error}`);
      continue;
    }
    const ctx: Ctx = { root, file, tally: newTally() };
    const exported = r.esModule ? staticEsmExports(m) : staticCommonJsExports(m);
    compare(exported, r.value, r.esModule ? 'exports' : 'module.exports', ctx);
    compareCalls(file, node.calls, m, ctx);
    const whole = staticJson(exported, { emptyEnv: true });
    // An empty module.exports (a file that only calls) is no whole-file comparison.
    if (whole !== undefined && whole !== '{}') {
      out.wholeFiles++;
      if (whole !== r.json) ctx.tally.diffs.push(`${root.name}/${file} (whole, canonical JSON): Node ${r.json}, connlint ${whole}`);
    }
    const { values, envReads, unknown, diffs } = ctx.tally;
    out.values += values.size;
    out.envReads += envReads.size;
    out.unknown += unknown.size;
    out.diffs.push(...diffs);
    if (values.size > 0) out.files++;
    out.lines.push(
      `${root.name}/${file}: ${values.size} values and ${envReads.size} environment reads compared, ${unknown.size} not known, ${diffs.length} disagreements`,
    );
  }
  return out;
}

test('fixture JS/TS configs: the static values are what Node gives with an empty environment (differential)', (t) => {
  const started = performance.now();
  const scanned = [join(ROOT, 'fixtures'), join(ROOT, 'test/real-world')];
  const before = snapshot(scanned);
  const total: RootResult = {
    lines: [],
    nodeFailures: [],
    diffs: [],
    selected: 0,
    files: 0,
    values: 0,
    envReads: 0,
    unknown: 0,
    wholeFiles: 0,
  };
  for (const root of roots()) {
    const r = differential(root);
    total.lines.push(...r.lines);
    total.nodeFailures.push(...r.nodeFailures);
    total.diffs.push(...r.diffs);
    for (const k of ['selected', 'files', 'values', 'envReads', 'unknown', 'wholeFiles'] as const) total[k] += r[k];
  }
  // Static evaluation of every tree, then Node on temporary copies: neither touched the fixtures.
  assert.deepEqual(snapshot(scanned), before, 'evaluating the fixture trees changed nothing under fixtures/ or test/real-world/');
  const ms = Math.round(performance.now() - started);
  for (const line of total.lines) t.diagnostic(line);
  t.diagnostic(
    `${total.selected} files selected, ${total.files} compared: ${total.values} values and ${total.envReads} environment reads, ${total.unknown} not known; ${total.wholeFiles} whole files; ${total.diffs.length} disagreements; ${ms} ms`,
  );

  assert.deepEqual(total.nodeFailures, EXPECTED_NODE_FAILURES, 'entries Node cannot require (list them with the reason)');
  assert.deepEqual(
    total.diffs,
    EXPECTED_DIFFERENCES,
    'disagreements between connlint and Node (report them; do not change the evaluator here)',
  );
  assert.ok(total.files >= MIN_FILES, `compared ${total.files} files, expected at least ${MIN_FILES}`);
  assert.ok(total.values >= MIN_VALUES, `compared ${total.values} values, expected at least ${MIN_VALUES}`);
  assert.ok(total.envReads >= MIN_ENV_READS, `compared ${total.envReads} environment reads, expected at least ${MIN_ENV_READS}`);
  assert.ok(total.wholeFiles >= MIN_WHOLE_FILES, `compared ${total.wholeFiles} whole files, expected at least ${MIN_WHOLE_FILES}`);
});

/**
 * The comparison itself, on a small CommonJS tree of the shapes the fixtures do not hold yet (knexfile.js
 * with `require('dotenv').config()` and `require('knex')`, config/database.js with a NODE_ENV lookup,
 * every environment form of value.ts): it agrees with Node as written, and finds a difference planted
 * in what Node runs, at the place planted.
 */
test('the differential finds what it should: CommonJS shapes agree, a planted difference is found', (t) => {
  const files = new Map<string, string>([
    [
      'knexfile.js',
      `require('dotenv').config();
const knex = require('knex');
const base = { client: 'mysql2', pool: { min: 0, max: Number(process.env.POOL_MAX ?? '10') } };
module.exports = {
  development: { ...base, connection: { host: process.env.DB_HOST || 'localhost', port: parseInt(process.env.DB_PORT, 10) } },
  production: { ...base, debug: process.env.DEBUG === 'true', ssl: process.env.NO_SSL !== '1', idle: +process.env.IDLE || 30000 },
  db: knex({ client: 'pg', pool: { max: 5 } }),
  afterCreate: (conn, done) => done(null, conn),
};`,
    ],
    [
      'config/database.js',
      `const configs = { development: { max: 1 }, production: { max: 20 } };
module.exports = { pool: configs[process.env.NODE_ENV || 'development'], mode: process.env.NODE_ENV === 'production' ? 'prod' : 'dev' };`,
    ],
    ['ormconfig.cjs', `exports.type = 'mysql';\nexports.extra = require('./extra.json');`],
    ['extra.json', '{ "connectionLimit": 10 }'],
  ]);
  const root: Root = { name: 'self-check', dir: '', files, entries: [...files.keys()].filter((p) => CODE.test(p)).sort() };
  const same = differential(root);
  for (const line of same.lines) t.diagnostic(line);
  assert.deepEqual(same.nodeFailures, []);
  assert.deepEqual(same.diffs, []);
  assert.equal(same.files, 3);
  assert.ok(same.values >= 25 && same.envReads === 6, `${same.values} values, ${same.envReads} environment reads`);
  assert.equal(same.wholeFiles, 1);

  const planted = differential(root, (path, text) =>
    path === 'knexfile.js' ? text.replace("'10'", "'11'").replace('max: 5', 'max: 6') : text,
  );
  assert.deepEqual(planted.diffs, [
    "self-check/knexfile.js module.exports.development.pool.max `'10'`: Node 11, connlint 10 (as env POOL_MAX unset)",
    "self-check/knexfile.js module.exports.production.pool.max `'10'`: Node 11, connlint 10 (as env POOL_MAX unset)",
    'self-check/knexfile.js module.exports.db(arg 0).pool.max `5`: Node 6, connlint 5',
    'self-check/knexfile.js calls[0] knex(arg 0).pool.max `5`: Node 6, connlint 5',
  ]);
});
