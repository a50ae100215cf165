import type { Problem } from '../../model/problem.js';
import type { Span } from '../../model/span.js';
import { JsParser, type JsSyntaxFile, nodeSpan, ts } from '../../parsers/js.js';
import { resolveSpecifier } from './module-resolution.js';
import type { JsBranch, JsCall, JsEnv, JsModule, JsObject, JsProperty, JsUnknown, JsValue } from './value.js';

/*
 * Static evaluation of JavaScript/TypeScript configuration files (issue 18, "Static evaluation (just
 * enough, never guessing)"). Nothing is run, required or imported: the evaluator reads the compiler's
 * syntax tree and computes what is certain (literals, const references, imports between files of the
 * tree, spreads, arithmetic and template literals of constants, environment lookups with their
 * fallbacks, NODE_ENV branches). What is not certain is `unknown` with the reason.
 *
 * Work stays linear in the input: every binding, call and function is evaluated at most once
 * (memoized thunks), module exports are computed lazily per name (a cycle between modules is an
 * unknown), each walk over a tree is iterative, expressions nested deeper than MAX_DEPTH and work
 * beyond a budget proportional to the input size are unknown, and strings longer than MAX_STRING are
 * not built.
 */

/** Callees (last name) that `JsModule.calls` lists: the pool and client constructors of the libraries connlint reads. */
export const CALLS_OF_INTEREST: ReadonlySet<string> = new Set([
  'knex',
  'Knex',
  'createPool',
  'createPoolCluster',
  'createConnection',
  'DataSource',
  'forRoot',
  'forRootAsync',
  'Sequelize',
  'defineConfig',
  'PrismaClient',
  'PrismaMariaDb',
  'PrismaPg',
  'Pool',
]);

/** Environment variables whose comparisons make one configuration per value (JsBranch). */
const BRANCH_VARIABLES: ReadonlySet<string> = new Set(['NODE_ENV']);

export const MAX_DEPTH = 200;
export const MAX_STRING = 1 << 20;

/** Work counters, for tests that check evaluation stays linear. */
export interface JsEvalStats {
  /** Syntax nodes the module walks looked at. */
  nodesVisited: number;
  /** Expression evaluations, plus properties and items copied by spreads. */
  steps: number;
}

export interface JsEvalOptions {
  /** Filled with work counters. */
  stats?: JsEvalStats;
}

export interface JsTreeResult {
  modules: Map<string, JsModule>;
  problems: Problem[];
}

/**
 * Evaluates every file of a JS/TS tree (paths relative to the scanned root, POSIX separators). Imports
 * and requires resolve among these files only. Never throws: a file that does not parse gives one
 * `error` problem at its first syntax error, and what parses is still evaluated.
 */
export function evaluateJsTree(files: Array<{ path: string; text: string }>, options: JsEvalOptions = {}): JsTreeResult {
  const stats = options.stats ?? { nodesVisited: 0, steps: 0 };
  try {
    return new TreeEvaluator(files, stats).run();
  } catch (e) {
    // A bug, not an input problem: every module is reported unread rather than thrown.
    const modules = new Map<string, JsModule>();
    const problems: Problem[] = [];
    for (const f of files) {
      const span = { path: f.path, line: 1, column: 1, endLine: 1, endColumn: 1 };
      modules.set(f.path, { path: f.path, namedExports: new Map(), calls: [], problems: [] });
      problems.push({ severity: 'error', message: `connlint could not evaluate this file (${(e as Error).message})`, span });
    }
    return { modules, problems };
  }
}

interface Thunk {
  state: 0 | 1 | 2;
  value?: JsValue;
  compute: () => JsValue;
  /** The value when the thunk is needed while it is being computed (a cycle). */
  cycle: () => JsValue;
}

class Scope {
  bindings?: Map<string, Thunk>;
  constructor(
    readonly node: ts.Node,
    readonly parent: Scope | undefined,
    readonly mod: ModuleRec,
  ) {}
}

interface ExportTable {
  named: Map<string, Thunk>;
  esmDefault?: Thunk;
  /** `module.exports = v` / `export = v` (the last one), with the `module.exports.x =` written after it. */
  cjs?: Thunk;
  /** Properties set on the original `exports` object (`exports.x =`, `module.exports.x =` before any `module.exports =`). */
  exportsProps: Array<{ key: string; thunk: Thunk; node: ts.Node; keyNode: ts.Node }>;
  stars: string[];
  namespace?: Thunk;
  exportsObject?: Thunk;
}

interface ModuleRec {
  path: string;
  file: JsSyntaxFile;
  module: JsModule;
  root: Scope;
  isEsm: boolean;
  /** Names whose object is written to after it is built (`x.pool = ...`, `Object.assign(x, ...)`), with the first place. */
  mutated: Map<string, ts.Node>;
  /** Names assigned again (`x = ...`, `x += ...`, `x++`). */
  reassigned: Map<string, ts.Node>;
  /** `module.exports`/`exports.x` assigned inside a block or function: the exports depend on what runs. */
  conditionalExports?: ts.Node;
  pendingCalls: Array<{ node: ts.CallExpression | ts.NewExpression; scope: Scope }>;
  exports?: ExportTable;
}

/** Marks the `process` and `process.env` objects among unknown values. */
type Marker = 'process' | 'env';

const FUNCTION_KINDS = new Set([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
]);

const ASSIGNMENT_OPERATORS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.AsteriskAsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken,
  ts.SyntaxKind.PercentEqualsToken,
  ts.SyntaxKind.LessThanLessThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.AmpersandEqualsToken,
  ts.SyntaxKind.BarEqualsToken,
  ts.SyntaxKind.CaretEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

type Literal = Extract<JsValue, { kind: 'number' | 'string' | 'boolean' | 'null' | 'undefined' }>;

function isLiteral(v: JsValue): v is Literal {
  return v.kind === 'number' || v.kind === 'string' || v.kind === 'boolean' || v.kind === 'null' || v.kind === 'undefined';
}

function primitive(v: Literal): string | number | boolean | null | undefined {
  switch (v.kind) {
    case 'null':
      return null;
    case 'undefined':
      return undefined;
    default:
      return v.value;
  }
}

function literalOf(x: unknown, span: Span): JsValue | undefined {
  if (x === null) return { kind: 'null', span };
  if (x === undefined) return { kind: 'undefined', span };
  if (typeof x === 'number') return { kind: 'number', value: x, span };
  if (typeof x === 'string') return { kind: 'string', value: x, span };
  if (typeof x === 'boolean') return { kind: 'boolean', value: x, span };
  return undefined;
}

/** Truthiness as JavaScript decides it, when known. */
function truthy(v: JsValue): boolean | undefined {
  if (isLiteral(v)) return Boolean(primitive(v));
  if (v.kind === 'object' || v.kind === 'array' || v.kind === 'function') return true;
  return undefined;
}

/** Reasons quoted inside other reasons are cut to this length, so that reasons do not grow along chains of values. */
const MAX_QUOTED_REASON = 160;

/** Why a value is not a single known literal, for reasons of values computed from it. */
function whyNot(v: JsValue): string {
  switch (v.kind) {
    case 'unknown':
      return v.reason.length > MAX_QUOTED_REASON ? `${v.reason.slice(0, MAX_QUOTED_REASON - 3)}...` : v.reason;
    case 'env':
      return `it comes from environment variable ${v.name}`;
    case 'branch':
      return `it depends on ${v.variable}`;
    case 'call':
      return `the result of ${v.written}(...) is not evaluated`;
    case 'ref':
      return `${v.name === '*' ? v.module : `${v.name} from ${v.module}`} is outside the scanned tree`;
    case 'function':
      return 'it is a function';
    case 'object':
    case 'array':
      return `it is an ${v.kind}`;
    default:
      return 'it is not known';
  }
}

function refCallee(module: string, name: string): string {
  return name === '*' ? module : `${module}.${name}`;
}

function lastName(s: string): string {
  const i = s.lastIndexOf('.');
  return i < 0 ? s : s.slice(i + 1);
}

function unwrap(node: ts.Expression): ts.Expression {
  let n = node;
  for (;;) {
    if (
      ts.isParenthesizedExpression(n) ||
      ts.isAsExpression(n) ||
      ts.isSatisfiesExpression(n) ||
      ts.isNonNullExpression(n) ||
      ts.isTypeAssertionExpression(n) ||
      ts.isExpressionWithTypeArguments(n)
    )
      n = n.expression;
    else return n;
  }
}

class TreeEvaluator {
  private readonly parser = new JsParser();
  private readonly recs = new Map<string, ModuleRec>();
  private readonly paths: Set<string>;
  private readonly problems: Problem[] = [];
  private readonly scopes = new Map<ts.Node, Scope>();
  private readonly callMemo = new Map<ts.Node, JsValue>();
  private readonly fnMemo = new Map<ts.Node, JsValue>();
  private readonly paramCounts = new WeakMap<JsValue, number>();
  private readonly markers = new WeakMap<JsValue, Marker>();
  private depth = 0;
  private readonly budget: number;

  constructor(
    private readonly files: Array<{ path: string; text: string }>,
    private readonly stats: JsEvalStats,
  ) {
    this.paths = new Set(files.map((f) => f.path));
    let size = 0;
    for (const f of files) size += f.text.length;
    this.budget = 100_000 + 40 * size;
  }

  run(): JsTreeResult {
    for (const f of this.files) {
      if (this.recs.has(f.path)) continue;
      const parsed = this.parser.parse(f.path, f.text);
      this.problems.push(...parsed.problems);
      const module: JsModule = { path: f.path, namedExports: new Map(), calls: [], problems: [] };
      if (parsed.doc.syntaxError) module.syntaxError = parsed.doc.syntaxError;
      const rec: ModuleRec = {
        path: f.path,
        file: parsed.doc,
        module,
        root: undefined as unknown as Scope,
        isEsm:
          ts.isExternalModule(parsed.doc.source) && !parsed.doc.source.statements.some((s) => ts.isExportAssignment(s) && s.isExportEquals),
        mutated: new Map(),
        reassigned: new Map(),
        pendingCalls: [],
      };
      rec.root = new Scope(parsed.doc.source, undefined, rec);
      this.scopes.set(parsed.doc.source, rec.root);
      this.recs.set(f.path, rec);
    }
    for (const rec of this.recs.values()) this.walk(rec);
    const modules = new Map<string, JsModule>();
    for (const rec of this.recs.values()) {
      this.finish(rec);
      modules.set(rec.path, rec.module);
    }
    return { modules, problems: this.problems };
  }

  // -------------------------------------------------------------------------------------------
  // Module walk: writes to names and exports, and the calls of interest (iterative: any depth)

  private walk(rec: ModuleRec): void {
    const stack: Array<{ node: ts.Node; scope: Scope }> = [{ node: rec.file.source, scope: rec.root }];
    const children: ts.Node[] = [];
    for (let item = stack.pop(); item; item = stack.pop()) {
      const { node, scope } = item;
      this.stats.nodesVisited++;
      if (ts.isBinaryExpression(node) && ASSIGNMENT_OPERATORS.has(node.operatorToken.kind)) this.noteWrite(rec, node.left, node);
      else if (
        (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
        (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)
      )
        this.noteWrite(rec, node.operand, node);
      else if (ts.isDeleteExpression(node)) this.noteWrite(rec, node.expression, node);
      else if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        rec.pendingCalls.push({ node, scope });
        const callee = unwrap(node.expression);
        if (
          ts.isPropertyAccessExpression(callee) &&
          ts.isIdentifier(callee.expression) &&
          callee.expression.text === 'Object' &&
          (callee.name.text === 'assign' || callee.name.text === 'defineProperty' || callee.name.text === 'defineProperties') &&
          node.arguments?.[0]
        )
          this.noteObjectWrite(rec, node.arguments[0], node);
      }
      children.length = 0;
      ts.forEachChild(node, (c) => {
        children.push(c);
      });
      for (let i = children.length - 1; i >= 0; i--) {
        const c = children[i] as ts.Node;
        stack.push({ node: c, scope: this.isScopeNode(c) ? this.scopeFor(c, scope) : scope });
      }
    }
  }

  /** Records a write to `target` (an assignment target, `delete` or `++` operand). */
  private noteWrite(rec: ModuleRec, target: ts.Expression, site: ts.Node): void {
    const t = unwrap(target);
    if (ts.isIdentifier(t)) {
      if (!rec.reassigned.has(t.text)) rec.reassigned.set(t.text, site);
      return;
    }
    if (!ts.isPropertyAccessExpression(t) && !ts.isElementAccessExpression(t)) return;
    const exportTarget = this.exportTarget(t);
    if (exportTarget) {
      // `module.exports = exports = {...}`: the chain's outermost assignment is the statement.
      let top: ts.Node = site;
      while (
        top.parent &&
        ts.isBinaryExpression(top.parent) &&
        top.parent.right === top &&
        top.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken
      ) {
        top = top.parent;
      }
      const stmt = top.parent;
      const topLevel = stmt && ts.isExpressionStatement(stmt) && ts.isSourceFile(stmt.parent);
      if ((!topLevel || !ts.isBinaryExpression(site) || site.operatorToken.kind !== ts.SyntaxKind.EqualsToken) && !rec.conditionalExports) {
        rec.conditionalExports = site;
      }
      return;
    }
    let root: ts.Expression = t;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = unwrap(root.expression);
    if (ts.isIdentifier(root) && root.text !== 'module' && root.text !== 'exports' && !rec.mutated.has(root.text)) {
      rec.mutated.set(root.text, site);
    }
  }

  /** `Object.assign(target, ...)`: the object `target` names is changed (the exports, when it is `module.exports` or `exports`). */
  private noteObjectWrite(rec: ModuleRec, target: ts.Expression, site: ts.Node): void {
    let root = unwrap(target);
    if (this.exportTarget(root)?.kind === 'module' || (ts.isIdentifier(root) && root.text === 'exports')) {
      if (!rec.conditionalExports) rec.conditionalExports = site;
      return;
    }
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = unwrap(root.expression);
    if (ts.isIdentifier(root) && root.text !== 'module' && root.text !== 'exports' && !rec.mutated.has(root.text))
      rec.mutated.set(root.text, site);
  }

  /** `module.exports` -> 'module'; `exports.x` / `module.exports.x` -> the key. */
  private exportTarget(t: ts.Expression): { kind: 'module' } | { kind: 'prop'; key: string; keyNode: ts.Node } | undefined {
    const n = unwrap(t);
    const isId = (e: ts.Expression, name: string) => {
      const u = unwrap(e);
      return ts.isIdentifier(u) && u.text === name;
    };
    const isModuleExports = (e: ts.Expression) => {
      const u = unwrap(e);
      return ts.isPropertyAccessExpression(u) && isId(u.expression, 'module') && u.name.text === 'exports';
    };
    if (isModuleExports(n)) return { kind: 'module' };
    if (ts.isPropertyAccessExpression(n) && (isId(n.expression, 'exports') || isModuleExports(n.expression))) {
      return { kind: 'prop', key: n.name.text, keyNode: n.name };
    }
    if (
      ts.isElementAccessExpression(n) &&
      (isId(n.expression, 'exports') || isModuleExports(n.expression)) &&
      ts.isStringLiteralLike(n.argumentExpression)
    ) {
      return { kind: 'prop', key: n.argumentExpression.text, keyNode: n.argumentExpression };
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Scopes and bindings

  private isScopeNode(node: ts.Node): boolean {
    if (FUNCTION_KINDS.has(node.kind)) return true;
    switch (node.kind) {
      case ts.SyntaxKind.Block:
        // A function's body belongs to the function's scope (its parameters and body declarations).
        return !(node.parent && FUNCTION_KINDS.has(node.parent.kind));
      case ts.SyntaxKind.ModuleBlock:
      case ts.SyntaxKind.CaseBlock:
      case ts.SyntaxKind.ForStatement:
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.ForInStatement:
      case ts.SyntaxKind.CatchClause:
      case ts.SyntaxKind.ClassStaticBlockDeclaration:
        return true;
      default:
        return false;
    }
  }

  private scopeFor(node: ts.Node, parent: Scope): Scope {
    let s = this.scopes.get(node);
    if (!s) {
      s = new Scope(node, parent, parent.mod);
      this.scopes.set(node, s);
    }
    return s;
  }

  private lookup(scope: Scope, name: string): Thunk | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (!s.bindings) s.bindings = this.buildBindings(s);
      const t = s.bindings.get(name);
      if (t) return t;
    }
    return undefined;
  }

  private thunk(compute: () => JsValue, cycle: () => JsValue): Thunk {
    return { state: 0, compute, cycle };
  }

  private force(t: Thunk): JsValue {
    if (t.state === 2) return t.value as JsValue;
    if (t.state === 1) return t.cycle();
    t.state = 1;
    let v: JsValue;
    try {
      v = t.compute();
    } catch (e) {
      // A bug or a stack overflow on a pathological input: this value is unknown, the rest goes on.
      const span = { path: '', line: 1, column: 1, endLine: 1, endColumn: 1 };
      v = { kind: 'unknown', reason: `connlint could not evaluate this (${(e as Error).message})`, span };
    }
    t.state = 2;
    t.value = v;
    return v;
  }

  private constThunk(v: JsValue): Thunk {
    return { state: 2, value: v, compute: () => v, cycle: () => v };
  }

  private buildBindings(scope: Scope): Map<string, Thunk> {
    const map = new Map<string, Thunk>();
    const node = scope.node;
    const rec = scope.mod;
    const unknownBinding = (name: string, reason: string, at: ts.Node) => map.set(name, this.constThunk(this.unknown(reason, at, rec)));
    const declarePattern = (name: ts.BindingName, reason: string) => {
      for (const id of this.bindingIdentifiers(name)) unknownBinding(id.text, reason, id);
    };
    let statements: readonly ts.Statement[] = [];
    let functionLevel = false;
    if (ts.isSourceFile(node)) {
      statements = node.statements;
      functionLevel = true;
    } else if (FUNCTION_KINDS.has(node.kind)) {
      const fn = node as ts.FunctionLikeDeclaration;
      const line = this.span(fn, rec).line;
      for (const p of fn.parameters)
        declarePattern(p.name, `it is a parameter of the function at line ${line}, whose arguments connlint does not follow`);
      if (fn.body && ts.isBlock(fn.body)) statements = fn.body.statements;
      functionLevel = true;
    } else if (ts.isBlock(node) || ts.isModuleBlock(node)) statements = node.statements;
    else if (ts.isCaseBlock(node)) statements = node.clauses.flatMap((c) => [...c.statements]);
    else if (ts.isClassStaticBlockDeclaration(node)) statements = node.body.statements;
    else if (ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      const init = node.initializer;
      if (init && ts.isVariableDeclarationList(init)) {
        for (const d of init.declarations) declarePattern(d.name, 'it is a loop variable');
      }
      return map;
    } else if (ts.isCatchClause(node)) {
      if (node.variableDeclaration) declarePattern(node.variableDeclaration.name, 'it is the caught error');
      return map;
    }
    for (const st of statements) this.declareStatement(scope, st, map);
    if (functionLevel) this.declareNestedVars(scope, statements, map);
    return map;
  }

  private bindingIdentifiers(name: ts.BindingName): ts.Identifier[] {
    const out: ts.Identifier[] = [];
    const stack: ts.BindingName[] = [name];
    for (let n = stack.pop(); n; n = stack.pop()) {
      if (ts.isIdentifier(n)) out.push(n);
      else for (const e of n.elements) if (!ts.isOmittedExpression(e)) stack.push(e.name);
    }
    return out;
  }

  private declareStatement(scope: Scope, st: ts.Statement, map: Map<string, Thunk>): void {
    const rec = scope.mod;
    if (ts.isVariableStatement(st)) {
      const flags = st.declarationList.flags;
      const kind = flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : 'var';
      if (st.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) return;
      for (const d of st.declarationList.declarations) {
        const whole = this.thunk(
          () => (d.initializer ? this.ev(d.initializer, scope) : { kind: 'undefined', span: this.span(d, rec) }),
          () => this.unknown('it refers to itself', d, rec),
        );
        this.declareBinding(scope, d.name, whole, kind, d, map);
      }
    } else if (ts.isFunctionDeclaration(st) && st.name) {
      const fn = st;
      map.set(
        st.name.text,
        this.thunk(
          () => this.functionValue(fn, scope),
          () => this.unknown('it refers to itself', fn, rec),
        ),
      );
    } else if ((ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) {
      map.set(
        st.name.text,
        this.constThunk(this.unknown(`${st.name.text} is a ${ts.isClassDeclaration(st) ? 'class' : 'enum'}`, st.name, rec)),
      );
    } else if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const clause = st.importClause;
      if (!clause || clause.isTypeOnly) return;
      const spec = st.moduleSpecifier.text;
      if (clause.name) {
        const id = clause.name;
        map.set(id.text, this.importThunk(rec, spec, 'default', id));
      }
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) map.set(nb.name.text, this.importThunk(rec, spec, '*', nb.name));
      else if (nb) {
        for (const el of nb.elements) {
          if (el.isTypeOnly) continue;
          const imported = el.propertyName
            ? ts.isIdentifier(el.propertyName)
              ? el.propertyName.text
              : el.propertyName.text
            : el.name.text;
          map.set(el.name.text, this.importThunk(rec, spec, imported, el.name));
        }
      }
    } else if (ts.isImportEqualsDeclaration(st) && !st.isTypeOnly) {
      const ref = st.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
        const spec = ref.expression.text;
        const id = st.name;
        map.set(
          id.text,
          this.thunk(
            () => this.requireValue(rec, spec, id),
            () => this.unknown('import cycle', id, rec),
          ),
        );
      } else map.set(st.name.text, this.constThunk(this.unknown('a namespace alias', st.name, rec)));
    }
  }

  private declareBinding(scope: Scope, name: ts.BindingName, whole: Thunk, kind: string, decl: ts.Node, map: Map<string, Thunk>): void {
    const rec = scope.mod;
    const check = (id: ts.Identifier, v: JsValue): JsValue => {
      const again = rec.reassigned.get(id.text);
      if (kind !== 'const' && again) {
        return this.unknown(`${id.text} is assigned again at line ${this.span(again, rec).line}`, decl, rec);
      }
      const changed = rec.mutated.get(id.text);
      if (changed && (v.kind === 'object' || v.kind === 'array')) {
        return this.unknown(`${id.text} is changed at line ${this.span(changed, rec).line}, which connlint does not follow`, decl, rec);
      }
      return v;
    };
    if (ts.isIdentifier(name)) {
      if (map.has(name.text)) {
        map.set(name.text, this.constThunk(this.unknown(`${name.text} is declared more than once`, name, rec)));
        return;
      }
      const id = name;
      map.set(
        id.text,
        this.thunk(
          () => check(id, this.force(whole)),
          () => this.unknown(`${id.text} refers to itself`, decl, rec),
        ),
      );
      return;
    }
    // Destructuring: each name is the member of the value (a default when the member is undefined).
    const elements = name.elements;
    elements.forEach((el, index) => {
      if (ts.isOmittedExpression(el)) return;
      let key: string | undefined;
      if (ts.isArrayBindingPattern(name)) key = el.dotDotDotToken ? undefined : String(index);
      else if (!el.dotDotDotToken) {
        const pn = el.propertyName ?? el.name;
        key = ts.isIdentifier(pn) || ts.isStringLiteral(pn) || ts.isNumericLiteral(pn) ? pn.text : undefined;
      }
      const sub = this.thunk(
        () => {
          if (key === undefined) return this.unknown('a rest element or computed key in destructuring', el, rec);
          const whole_ = this.force(whole);
          let v = this.member(whole_, key, el, rec);
          if (el.initializer && (v.kind === 'undefined' || v.kind === 'unknown')) {
            if (v.kind === 'undefined') v = this.ev(el.initializer, scope);
            else v = this.unknown(`it is ${key} of a value not known (${v.reason}), or its default`, el, rec);
          }
          return v;
        },
        () => this.unknown('it refers to itself', el, rec),
      );
      this.declareBinding(scope, el.name, sub, kind, decl, map);
    });
  }

  /** `var` declared inside blocks of a function (or the module) is visible in all of it, but set only when its block runs. */
  private declareNestedVars(scope: Scope, statements: readonly ts.Statement[], map: Map<string, Thunk>): void {
    const rec = scope.mod;
    const stack: ts.Statement[] = [];
    const pushNested = (s: ts.Statement) => {
      if (ts.isBlock(s)) stack.push(...s.statements);
      else if (ts.isIfStatement(s)) {
        stack.push(s.thenStatement);
        if (s.elseStatement) stack.push(s.elseStatement);
      } else if (ts.isForStatement(s) || ts.isForOfStatement(s) || ts.isForInStatement(s)) {
        const init = s.initializer;
        if (init && ts.isVariableDeclarationList(init) && !(init.flags & ts.NodeFlags.BlockScoped)) {
          for (const d of init.declarations) for (const id of this.bindingIdentifiers(d.name)) this.nestedVar(map, id, rec);
        }
        stack.push(s.statement);
      } else if (ts.isWhileStatement(s) || ts.isDoStatement(s) || ts.isLabeledStatement(s) || ts.isWithStatement(s))
        stack.push(s.statement);
      else if (ts.isTryStatement(s)) {
        stack.push(s.tryBlock);
        if (s.catchClause) stack.push(s.catchClause.block);
        if (s.finallyBlock) stack.push(s.finallyBlock);
      } else if (ts.isSwitchStatement(s)) for (const c of s.caseBlock.clauses) stack.push(...c.statements);
    };
    for (const s of statements) pushNested(s);
    for (let s = stack.pop(); s; s = stack.pop()) {
      if (ts.isVariableStatement(s) && !(s.declarationList.flags & ts.NodeFlags.BlockScoped)) {
        for (const d of s.declarationList.declarations) for (const id of this.bindingIdentifiers(d.name)) this.nestedVar(map, id, rec);
      } else pushNested(s);
    }
  }

  private nestedVar(map: Map<string, Thunk>, id: ts.Identifier, rec: ModuleRec): void {
    const line = this.span(id, rec).line;
    map.set(
      id.text,
      this.constThunk(
        this.unknown(`${id.text} is declared with var inside a block (line ${line}), set only when that block runs`, id, rec),
      ),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Modules: imports, requires and exports

  private importThunk(rec: ModuleRec, spec: string, name: string, at: ts.Node): Thunk {
    return this.thunk(
      () => this.importValue(rec, spec, name, at),
      () => this.unknown(`${name === '*' ? spec : `${name} from ${spec}`} is part of an import cycle`, at, rec),
    );
  }

  private importValue(rec: ModuleRec, spec: string, name: string, at: ts.Node): JsValue {
    const r = resolveSpecifier(rec.path, spec, this.paths);
    if (r.kind === 'package') return { kind: 'ref', module: r.module, name, span: this.span(at, rec) };
    if (r.kind === 'missing') return this.unknown(r.reason, at, rec);
    const target = this.recs.get(r.path) as ModuleRec;
    if (name === '*') return target.isEsm ? this.namespaceValue(target) : this.moduleValue(target);
    if (name === 'default') return this.defaultValue(target, at, rec);
    return this.namedValue(target, name, at, rec, new Set());
  }

  private requireValue(rec: ModuleRec, spec: string, at: ts.Node): JsValue {
    const r = resolveSpecifier(rec.path, spec, this.paths);
    if (r.kind === 'package') return { kind: 'ref', module: r.module, name: '*', span: this.span(at, rec) };
    if (r.kind === 'missing') return this.unknown(r.reason, at, rec);
    return this.moduleValue(this.recs.get(r.path) as ModuleRec);
  }

  private defaultValue(target: ModuleRec, at: ts.Node, rec: ModuleRec): JsValue {
    const t = this.exportTable(target);
    if (t.esmDefault) return this.force(t.esmDefault);
    if (!target.isEsm) return this.moduleValue(target);
    return this.unknown(`${target.path} has no default export`, at, rec);
  }

  private namedValue(target: ModuleRec, name: string, at: ts.Node, rec: ModuleRec, seen: Set<string>): JsValue {
    seen.add(target.path);
    const t = this.exportTable(target);
    const own = t.named.get(name);
    if (own) return this.force(own);
    for (const star of t.stars) {
      if (seen.has(star)) continue;
      const starRec = this.recs.get(star) as ModuleRec;
      const st = this.exportTable(starRec);
      if (st.named.has(name) || st.stars.length > 0) {
        const v = this.namedValue(starRec, name, at, rec, seen);
        if (!(v.kind === 'unknown' && v.reason.endsWith(' does not export it'))) return v;
      }
    }
    if (!target.isEsm) return this.member(this.moduleValue(target), name, at, rec);
    return this.unknown(`${name}: ${target.path} does not export it`, at, rec);
  }

  /** What `require()` gives: `module.exports` (or an ES module's namespace). */
  private moduleValue(target: ModuleRec): JsValue {
    const t = this.exportTable(target);
    if (target.conditionalExports) {
      return this.unknown(
        `${target.path} sets its exports in a way connlint does not follow (line ${this.span(target.conditionalExports, target).line}: inside a block or function, or with Object.assign)`,
        target.conditionalExports,
        target,
      );
    }
    if (t.cjs) return this.force(t.cjs);
    if (target.isEsm) return this.namespaceValue(target);
    if (!t.exportsObject) {
      t.exportsObject = this.thunk(
        () => this.objectOf(t.exportsProps, target),
        () => this.unknown(`${target.path} is part of a require cycle`, target.file.source, target),
      );
    }
    return this.force(t.exportsObject);
  }

  private namespaceValue(target: ModuleRec): JsValue {
    const t = this.exportTable(target);
    if (!t.namespace) {
      t.namespace = this.thunk(
        () => {
          const props: Array<{ key: string; thunk: Thunk; node: ts.Node; keyNode: ts.Node }> = [];
          if (t.esmDefault) props.push({ key: 'default', thunk: t.esmDefault, node: target.file.source, keyNode: target.file.source });
          for (const [key, thunk] of t.named) props.push({ key, thunk, node: target.file.source, keyNode: target.file.source });
          const o = this.objectOf(props, target);
          if (t.stars.length > 0 && o.kind === 'object') {
            o.spreads = [{ value: this.unknown('export * from another module', target.file.source, target), span: o.span }];
          }
          return o;
        },
        () => this.unknown(`${target.path} is part of an import cycle`, target.file.source, target),
      );
    }
    return this.force(t.namespace);
  }

  private objectOf(props: Array<{ key: string; thunk: Thunk; node: ts.Node; keyNode: ts.Node }>, rec: ModuleRec): JsValue {
    const b = new ObjectBuilder(this.span(rec.file.source, rec));
    for (const p of props) {
      const node = ts.isSourceFile(p.node) ? undefined : p.node;
      const value = this.force(p.thunk);
      const span = node ? this.span(node, rec) : value.span;
      b.set({ key: p.key, value, span, keySpan: node ? this.span(p.keyNode, rec) : value.span });
    }
    return b.finish();
  }

  private exportTable(rec: ModuleRec): ExportTable {
    if (rec.exports) return rec.exports;
    const t: ExportTable = { named: new Map(), exportsProps: [], stars: [] };
    rec.exports = t;
    const source = rec.file.source;
    const scope = rec.root;
    const local = (name: string, at: ts.Node): Thunk =>
      this.thunk(
        () => {
          const b = this.lookup(scope, name);
          return b ? this.force(b) : this.unknown(`${name} is not defined in this file`, at, rec);
        },
        () => this.unknown(`${name} refers to itself`, at, rec),
      );
    const exprThunk = (e: ts.Expression) =>
      this.thunk(
        () => this.ev(e, scope),
        () => this.unknown('the exports refer to themselves', e, rec),
      );
    if (rec.path.toLowerCase().endsWith('.json')) {
      const st = source.statements[0];
      if (st && ts.isExpressionStatement(st)) t.cjs = exprThunk(st.expression);
      return t;
    }
    let cjsBase: Thunk | undefined;
    let cjsExtras: Array<{ key: string; thunk: Thunk; node: ts.Node; keyNode: ts.Node }> = [];
    const hasExport = (s: ts.Node) => ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const hasDefault = (s: ts.Node) => ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    for (const st of source.statements) {
      if (ts.isVariableStatement(st) && hasExport(st)) {
        for (const d of st.declarationList.declarations)
          for (const id of this.bindingIdentifiers(d.name)) t.named.set(id.text, local(id.text, id));
      } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && hasExport(st)) {
        if (hasDefault(st)) {
          const decl = st;
          t.esmDefault = st.name
            ? local(st.name.text, st.name)
            : this.constThunk(ts.isFunctionDeclaration(decl) ? this.functionValue(decl, scope) : this.unknown('a class', decl, rec));
        } else if (st.name) t.named.set(st.name.text, local(st.name.text, st.name));
      } else if (ts.isExportAssignment(st)) {
        if (st.isExportEquals) {
          cjsBase = exprThunk(st.expression);
          cjsExtras = [];
        } else t.esmDefault = exprThunk(st.expression);
      } else if (ts.isExportDeclaration(st) && !st.isTypeOnly) {
        const spec = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
        const clause = st.exportClause;
        if (spec !== undefined) {
          if (!clause) {
            const r = resolveSpecifier(rec.path, spec, this.paths);
            if (r.kind === 'file') t.stars.push(r.path);
          } else if (ts.isNamespaceExport(clause)) {
            t.named.set(clause.name.text, this.importThunk(rec, spec, '*', clause.name));
          } else {
            for (const el of clause.elements) {
              if (el.isTypeOnly) continue;
              const from = (el.propertyName ?? el.name).text;
              const thunk = this.importThunk(rec, spec, from, el);
              if (el.name.text === 'default') t.esmDefault = thunk;
              else t.named.set(el.name.text, thunk);
            }
          }
        } else if (clause && ts.isNamedExports(clause)) {
          for (const el of clause.elements) {
            if (el.isTypeOnly) continue;
            const thunk = local((el.propertyName ?? el.name).text, el);
            if (el.name.text === 'default') t.esmDefault = thunk;
            else t.named.set(el.name.text, thunk);
          }
        }
      } else if (ts.isExpressionStatement(st)) {
        // `module.exports = exports = v` and friends: every target gets the final value.
        const targets: ts.Expression[] = [];
        let e = unwrap(st.expression);
        while (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
          targets.push(e.left);
          e = unwrap(e.right);
        }
        if (targets.length === 0) continue;
        const value = exprThunk(e);
        for (const target of targets) {
          const x = this.exportTarget(target);
          if (!x) continue;
          if (x.kind === 'module') {
            cjsBase = value;
            cjsExtras = [];
            continue;
          }
          const isModuleProp = ts.isPropertyAccessExpression(unwrap(target)) || ts.isElementAccessExpression(unwrap(target));
          const viaModule =
            isModuleProp &&
            this.exportTarget((unwrap(target) as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression)?.kind === 'module';
          const entry = { key: x.key, thunk: value, node: unwrap(target), keyNode: x.keyNode };
          if (viaModule && cjsBase) cjsExtras.push(entry);
          else t.exportsProps.push(entry);
          t.named.set(x.key, value);
        }
      }
    }
    if (cjsBase) {
      const base = cjsBase;
      const extras = cjsExtras;
      t.cjs =
        extras.length === 0
          ? base
          : this.thunk(
              () => {
                const v = this.force(base);
                if (v.kind !== 'object')
                  return this.unknown(
                    'module.exports gets properties after it is set to a value that is not an object literal',
                    extras[0]?.node ?? source,
                    rec,
                  );
                const b = new ObjectBuilder(v.span);
                b.spread(v, (n) => this.step(n));
                for (const x of extras)
                  b.set({
                    key: x.key,
                    value: this.force(x.thunk),
                    span: this.span(x.node.parent ?? x.node, rec),
                    keySpan: this.span(x.keyNode, rec),
                  });
                return b.finish();
              },
              () => this.unknown('the exports refer to themselves', source, rec),
            );
    }
    return t;
  }

  private finish(rec: ModuleRec): void {
    const t = this.exportTable(rec);
    // Top-level bindings in source order: a chain of constants is then evaluated without deep recursion.
    if (!rec.root.bindings) rec.root.bindings = this.buildBindings(rec.root);
    for (const b of rec.root.bindings.values()) this.force(b);
    const m = rec.module;
    if (rec.conditionalExports && (t.cjs || !rec.isEsm)) {
      m.defaultExport = this.moduleValue(rec);
    } else if (t.esmDefault) m.defaultExport = this.force(t.esmDefault);
    else if (t.cjs) m.defaultExport = this.force(t.cjs);
    for (const [k, thunk] of t.named) m.namedExports.set(k, this.force(thunk));
    for (const { node, scope } of rec.pendingCalls) {
      const info = this.calleeInfo(unwrap(node.expression), scope);
      const names = [lastName(info.callee), lastName(info.written)];
      if (info.ref && (info.ref.name === 'default' || info.ref.name === '*')) names.push(info.ref.module.split('/').pop() ?? '');
      if (!names.some((n) => CALLS_OF_INTEREST.has(n))) continue;
      const v = this.evCall(node, scope);
      if (v.kind === 'call') m.calls.push(v);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  private span(node: ts.Node, rec: ModuleRec): Span {
    return nodeSpan(rec.file, node);
  }

  private unknown(reason: string, node: ts.Node, rec: ModuleRec, extra: Partial<JsUnknown> = {}): JsUnknown {
    return { kind: 'unknown', reason, span: this.span(node, rec), ...extra };
  }

  /** Counts work; false (and nothing counted beyond the budget) when the budget is spent. */
  private step(n = 1): boolean {
    if (this.stats.steps + n > this.budget) {
      this.stats.steps = Math.max(this.stats.steps, this.budget + 1);
      return false;
    }
    this.stats.steps += n;
    return true;
  }

  private text(node: ts.Node, rec: ModuleRec): string {
    const t = rec.file.text.slice(node.getStart(rec.file.source), node.end).replace(/\s+/g, ' ');
    return t.length > 60 ? `${t.slice(0, 57)}...` : t;
  }

  private ev(node: ts.Expression, scope: Scope): JsValue {
    const rec = scope.mod;
    if (!this.step()) return this.unknown('connlint stopped evaluating: this file needs more work than its size allows', node, rec);
    if (this.depth >= MAX_DEPTH) return this.unknown(`it is nested more than ${MAX_DEPTH} levels deep`, node, rec);
    this.depth++;
    try {
      return this.evInner(node, scope);
    } finally {
      this.depth--;
    }
  }

  private evInner(node: ts.Expression, scope: Scope): JsValue {
    const rec = scope.mod;
    const span = () => this.span(node, rec);
    switch (node.kind) {
      case ts.SyntaxKind.NumericLiteral:
        return { kind: 'number', value: Number((node as ts.NumericLiteral).text), span: span() };
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
        return { kind: 'string', value: (node as ts.StringLiteral).text, span: span() };
      case ts.SyntaxKind.TrueKeyword:
        return { kind: 'boolean', value: true, span: span() };
      case ts.SyntaxKind.FalseKeyword:
        return { kind: 'boolean', value: false, span: span() };
      case ts.SyntaxKind.NullKeyword:
        return { kind: 'null', span: span() };
      case ts.SyntaxKind.Identifier:
        return this.identifier(node as ts.Identifier, scope);
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.ExpressionWithTypeArguments:
        return this.ev((node as ts.ParenthesizedExpression).expression, scope);
      case ts.SyntaxKind.TemplateExpression:
        return this.template(node as ts.TemplateExpression, scope);
      case ts.SyntaxKind.ObjectLiteralExpression:
        return this.object(node as ts.ObjectLiteralExpression, scope);
      case ts.SyntaxKind.ArrayLiteralExpression:
        return this.array(node as ts.ArrayLiteralExpression, scope);
      case ts.SyntaxKind.PropertyAccessExpression: {
        const n = node as ts.PropertyAccessExpression;
        if (this.exportTarget(n)?.kind === 'module' && !this.lookup(scope, 'module')) return this.moduleValue(rec);
        const obj = this.ev(n.expression, scope);
        if (ts.isPrivateIdentifier(n.name)) return this.unknown('a private field', n, rec);
        if (n.questionDotToken && obj.kind !== 'unknown' && isLiteral(obj) && (obj.kind === 'null' || obj.kind === 'undefined')) {
          return { kind: 'undefined', span: span() };
        }
        return this.member(obj, n.name.text, n, rec);
      }
      case ts.SyntaxKind.ElementAccessExpression:
        return this.elementAccess(node as ts.ElementAccessExpression, scope);
      case ts.SyntaxKind.CallExpression:
      case ts.SyntaxKind.NewExpression:
        return this.evCall(node as ts.CallExpression, scope);
      case ts.SyntaxKind.ConditionalExpression:
        return this.conditional(node as ts.ConditionalExpression, scope);
      case ts.SyntaxKind.BinaryExpression:
        return this.binary(node as ts.BinaryExpression, scope);
      case ts.SyntaxKind.PrefixUnaryExpression:
        return this.prefix(node as ts.PrefixUnaryExpression, scope);
      case ts.SyntaxKind.VoidExpression:
        return { kind: 'undefined', span: span() };
      case ts.SyntaxKind.TypeOfExpression: {
        const v = this.ev((node as ts.TypeOfExpression).expression, scope);
        if (isLiteral(v)) return { kind: 'string', value: typeof primitive(v), span: span() };
        if (v.kind === 'object' || v.kind === 'array') return { kind: 'string', value: 'object', span: span() };
        if (v.kind === 'function') return { kind: 'string', value: 'function', span: span() };
        return this.unknown(`typeof a value not known (${whyNot(v)})`, node, rec);
      }
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression:
        return this.functionValue(node as ts.ArrowFunction, scope);
      case ts.SyntaxKind.AwaitExpression:
        return this.unknown('an awaited value', node, rec);
      case ts.SyntaxKind.ClassExpression:
        return this.unknown('a class', node, rec);
      case ts.SyntaxKind.RegularExpressionLiteral:
        return this.unknown('a regular expression', node, rec);
      case ts.SyntaxKind.BigIntLiteral:
        return this.unknown('a BigInt', node, rec);
      case ts.SyntaxKind.TaggedTemplateExpression:
        return this.unknown('a tagged template, which calls a function', node, rec);
      default:
        return this.unknown(`connlint does not evaluate ${ts.SyntaxKind[node.kind] ?? 'this expression'}`, node, rec);
    }
  }

  private identifier(node: ts.Identifier, scope: Scope): JsValue {
    const rec = scope.mod;
    const name = node.text;
    const b = this.lookup(scope, name);
    if (b) return this.force(b);
    const span = this.span(node, rec);
    switch (name) {
      case 'undefined':
        return { kind: 'undefined', span };
      case 'NaN':
        return { kind: 'number', value: Number.NaN, span };
      case 'Infinity':
        return { kind: 'number', value: Number.POSITIVE_INFINITY, span };
      case 'process': {
        const v = this.unknown('the process object', node, rec);
        this.markers.set(v, 'process');
        return v;
      }
      default:
        return this.unknown(`${name} is not defined in this file`, node, rec);
    }
  }

  /** `value.key` (or `value[key]`), as JavaScript reads it. */
  private member(obj: JsValue, key: string, node: ts.Node, rec: ModuleRec): JsValue {
    const span = this.span(node, rec);
    const marker = this.markers.get(obj);
    if (marker === 'process') {
      if (key !== 'env') return this.unknown(`process.${key}`, node, rec);
      const v = this.unknown('the environment (process.env)', node, rec);
      this.markers.set(v, 'env');
      return v;
    }
    if (marker === 'env') return { kind: 'env', name: key, span };
    switch (obj.kind) {
      case 'object': {
        let found: JsProperty | undefined;
        for (const p of obj.properties) if (p.key === key) found = p;
        if (found) return found.value;
        if (obj.spreads?.length) return this.unknown(`${key} may come from ...${this.spreadText(obj)}, which is not known`, node, rec);
        return { kind: 'undefined', span };
      }
      case 'array': {
        if (key === 'length') return { kind: 'number', value: obj.items.length, span };
        const i = /^(?:0|[1-9][0-9]*)$/.test(key) ? Number(key) : -1;
        if (i >= 0) return obj.items[i] ?? { kind: 'undefined', span };
        return this.unknown(`${key} of an array`, node, rec);
      }
      case 'string': {
        if (key === 'length') return { kind: 'number', value: obj.value.length, span };
        const i = /^(?:0|[1-9][0-9]*)$/.test(key) ? Number(key) : -1;
        if (i >= 0) return i < obj.value.length ? { kind: 'string', value: obj.value[i] as string, span } : { kind: 'undefined', span };
        return this.unknown(`${key} of a string`, node, rec);
      }
      case 'ref':
        return { kind: 'ref', module: obj.module, name: obj.name === '*' ? key : `${obj.name}.${key}`, span };
      case 'branch':
        return this.mapBranch(obj, (v) => this.member(v, key, node, rec), span);
      case 'null':
      case 'undefined':
        return this.unknown(`reading ${key} of ${obj.kind} throws a TypeError`, node, rec);
      default:
        return this.unknown(`${key} of a value not known (${whyNot(obj)})`, node, rec);
    }
  }

  private spreadText(o: JsObject): string {
    const s = o.spreads?.[0];
    return s ? whyNot(s.value) : '';
  }

  private mapBranch(b: JsBranch, f: (v: JsValue) => JsValue, span: Span): JsBranch {
    return { kind: 'branch', variable: b.variable, cases: b.cases.map((c) => ({ when: c.when, value: f(c.value) })), span };
  }

  private elementAccess(node: ts.ElementAccessExpression, scope: Scope): JsValue {
    const rec = scope.mod;
    const obj = this.ev(node.expression, scope);
    const key = this.ev(node.argumentExpression, scope);
    if (key.kind === 'string' || key.kind === 'number') return this.member(obj, String(key.value), node, rec);
    if (key.kind === 'env' && !key.convert && BRANCH_VARIABLES.has(key.name) && obj.kind === 'object' && !obj.spreads?.length) {
      // `configs[process.env.NODE_ENV]`: one configuration per key; any other value reads undefined
      // (unset reads the fallback's key, itself one of the cases when the fallback is a key).
      const cases: JsBranch['cases'] = [];
      const seen = new Set<string>();
      for (let i = obj.properties.length - 1; i >= 0; i--) {
        const p = obj.properties[i] as JsProperty;
        if (seen.has(p.key)) continue;
        seen.add(p.key);
        cases.unshift({ when: p.key, value: p.value });
      }
      cases.push({ when: null, value: { kind: 'undefined', span: this.span(node, rec) } });
      return { kind: 'branch', variable: key.name, cases, span: this.span(node, rec) };
    }
    if (this.markers.get(obj) === 'env') return this.unknown(`an environment variable whose name is not known (${whyNot(key)})`, node, rec);
    return this.unknown(`a key not known (${whyNot(key)})`, node, rec);
  }

  private template(node: ts.TemplateExpression, scope: Scope): JsValue {
    const rec = scope.mod;
    let out = node.head.text;
    for (const part of node.templateSpans) {
      const v = this.ev(part.expression, scope);
      if (!isLiteral(v)) {
        const prefix = out + (v.kind === 'unknown' && v.prefix ? v.prefix : '');
        return this.unknown(
          `the part \${${this.text(part.expression, rec)}} is not known (${whyNot(v)})`,
          node,
          rec,
          prefix ? { prefix } : {},
        );
      }
      out += String(primitive(v)) + part.literal.text;
      if (out.length > MAX_STRING) return this.unknown('a string longer than connlint builds', node, rec);
    }
    return { kind: 'string', value: out, span: this.span(node, rec) };
  }

  private propertyKey(name: ts.PropertyName, scope: Scope): string | JsValue {
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name) || ts.isNoSubstitutionTemplateLiteral(name))
      return name.text;
    if (ts.isNumericLiteral(name)) return String(Number(name.text));
    if (ts.isBigIntLiteral(name)) return name.text.replace(/n$/, '');
    if (ts.isComputedPropertyName(name)) {
      const v = this.ev(name.expression, scope);
      if (v.kind === 'string' || v.kind === 'number') return String(v.value);
      return v;
    }
    return this.unknown('a key connlint does not read', name, scope.mod);
  }

  private object(node: ts.ObjectLiteralExpression, scope: Scope): JsValue {
    const rec = scope.mod;
    const b = new ObjectBuilder(this.span(node, rec));
    for (const p of node.properties) {
      if (ts.isSpreadAssignment(p)) {
        const v = this.ev(p.expression, scope);
        const pspan = this.span(p, rec);
        if (v.kind === 'object') {
          if (!b.spread(v, (n) => this.step(n))) return this.unknown('connlint stopped evaluating: too much work', p, rec);
        } else if (v.kind === 'array') {
          v.items.forEach((item, i) => {
            b.set({ key: String(i), value: item, span: item.span, keySpan: item.span });
          });
        } else if (v.kind === 'string') {
          for (let i = 0; i < v.value.length; i++)
            b.set({ key: String(i), value: { kind: 'string', value: v.value[i] as string, span: v.span }, span: pspan, keySpan: pspan });
        } else if (isLiteral(v)) {
          // Spreading null, undefined, a number or a boolean adds nothing.
        } else b.open({ value: v, span: pspan }, this.text(p.expression, rec), pspan);
        continue;
      }
      const name = p.name;
      if (!name) continue;
      const key = this.propertyKey(name, scope);
      const pspan = this.span(p, rec);
      if (typeof key !== 'string') {
        b.open({ value: this.unknown(`a computed key not known (${whyNot(key)})`, name, rec), span: pspan }, this.text(name, rec), pspan);
        continue;
      }
      let value: JsValue;
      if (ts.isPropertyAssignment(p)) value = this.ev(p.initializer, scope);
      else if (ts.isShorthandPropertyAssignment(p)) value = this.identifier(p.name, scope);
      else if (ts.isMethodDeclaration(p)) value = this.functionValue(p, scope);
      else value = this.unknown('a getter or setter, which runs code', p, rec);
      b.set({ key, value, span: pspan, keySpan: this.span(name, rec) });
    }
    return b.finish();
  }

  private array(node: ts.ArrayLiteralExpression, scope: Scope): JsValue {
    const rec = scope.mod;
    const items: JsValue[] = [];
    for (const e of node.elements) {
      if (ts.isOmittedExpression(e)) items.push({ kind: 'undefined', span: this.span(e, rec) });
      else if (ts.isSpreadElement(e)) {
        const v = this.ev(e.expression, scope);
        if (v.kind === 'array') {
          if (!this.step(v.items.length)) return this.unknown('connlint stopped evaluating: too much work', e, rec);
          items.push(...v.items);
        } else if (v.kind === 'string') {
          for (const ch of v.value) items.push({ kind: 'string', value: ch, span: v.span });
        } else return this.unknown(`...${this.text(e.expression, rec)} is not known (${whyNot(v)})`, node, rec);
      } else items.push(this.ev(e, scope));
    }
    return { kind: 'array', items, span: this.span(node, rec) };
  }

  private functionValue(node: ts.FunctionLikeDeclaration, scope: Scope): JsValue {
    const memo = this.fnMemo.get(node);
    if (memo) return memo;
    const rec = scope.mod;
    const fscope = this.scopeFor(node, scope);
    const v: JsValue = { kind: 'function', span: this.span(node, rec) };
    this.fnMemo.set(node, v);
    this.paramCounts.set(v, node.parameters.length);
    let ret: ts.Expression | undefined;
    const body = node.body;
    if (body && !ts.isBlock(body)) ret = body;
    else if (body) {
      // Only `return expr`, after constant declarations (which are read lazily, never run).
      const stmts = body.statements.filter((s) => !ts.isEmptyStatement(s));
      const last = stmts[stmts.length - 1];
      if (last && ts.isReturnStatement(last) && last.expression && stmts.slice(0, -1).every((s) => ts.isVariableStatement(s)))
        ret = last.expression;
    }
    if (ret) v.returns = this.ev(ret, fscope);
    return v;
  }

  private calleeInfo(
    callee: ts.Expression,
    scope: Scope,
  ): { callee: string; written: string; ref?: { module: string; name: string }; value?: JsValue } {
    const rec = scope.mod;
    const written = this.text(callee, rec);
    const v = this.ev(callee, scope);
    if (v.kind === 'ref') return { callee: refCallee(v.module, v.name), written, ref: { module: v.module, name: v.name }, value: v };
    return { callee: written, written, value: v };
  }

  private evCall(node: ts.CallExpression | ts.NewExpression, scope: Scope): JsValue {
    const memo = this.callMemo.get(node);
    if (memo) return memo;
    const v = this.evCallInner(node, scope);
    this.callMemo.set(node, v);
    return v;
  }

  private evCallInner(node: ts.CallExpression | ts.NewExpression, scope: Scope): JsValue {
    const rec = scope.mod;
    const isNew = ts.isNewExpression(node);
    const callee = unwrap(node.expression);
    const argNodes = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    if (!isNew && ts.isIdentifier(callee) && !this.lookup(scope, callee.text)) {
      const name = callee.text;
      if (name === 'require') {
        const a = argNodes[0];
        const spec = a ? this.ev(a, scope) : undefined;
        if (spec?.kind === 'string') return this.requireValue(rec, spec.value, node);
        return this.unknown('require() of a name not known', node, rec);
      }
      if (name === 'Number' || name === 'parseInt' || name === 'parseFloat' || name === 'String' || name === 'Boolean') {
        return this.builtin(name, argNodes, node, scope);
      }
    }
    if (
      !isNew &&
      ts.isPropertyAccessExpression(callee) &&
      ts.isIdentifier(callee.expression) &&
      !this.lookup(scope, callee.expression.text)
    ) {
      const obj = callee.expression.text;
      const fn = callee.name.text;
      if ((obj === 'Number' && (fn === 'parseInt' || fn === 'parseFloat')) || (obj === 'Math' && fn === 'floor')) {
        if (obj === 'Number') return this.builtin(fn, argNodes, node, scope);
      }
      if (obj === 'Object' && fn === 'assign') {
        const first = argNodes[0] ? unwrap(argNodes[0]) : undefined;
        if (first && ts.isObjectLiteralExpression(first)) {
          const b = new ObjectBuilder(this.span(node, rec));
          for (const a of argNodes) {
            if (ts.isSpreadElement(a)) return this.unknown('Object.assign with a spread argument', node, rec);
            const v = this.ev(a, scope);
            if (v.kind === 'object') b.spread(v, (n) => this.step(n));
            else if (!(v.kind === 'null' || v.kind === 'undefined'))
              b.open({ value: v, span: v.span }, this.text(a, rec), this.span(a, rec));
          }
          return b.finish();
        }
      }
    }
    const info = this.calleeInfo(callee, scope);
    const fn = info.value;
    if (!isNew && fn?.kind === 'function' && fn.returns && this.paramCounts.get(fn) === 0) return fn.returns;
    const args = argNodes.map((a) =>
      ts.isSpreadElement(a) ? this.unknown(`a spread argument (...${this.text(a.expression, rec)})`, a, rec) : this.ev(a, scope),
    );
    const call: JsCall = {
      kind: 'call',
      callee: info.callee,
      written: isNew ? `new ${info.written}` : info.written,
      isNew,
      args,
      span: this.span(node, rec),
    };
    if (info.ref) call.ref = info.ref;
    return call;
  }

  /** Number(x), parseInt(x, 10), parseFloat(x), String(x), Boolean(x): on a constant, the builtin's own result; on an environment value, a conversion. */
  private builtin(name: string, argNodes: ts.NodeArray<ts.Expression>, node: ts.Node, scope: Scope): JsValue {
    const rec = scope.mod;
    const a = argNodes[0];
    if (!a || ts.isSpreadElement(a)) {
      if (name === 'Number' || name === 'String' || name === 'Boolean') {
        return literalOf(name === 'Number' ? 0 : name === 'String' ? '' : false, this.span(node, rec)) as JsValue;
      }
      return { kind: 'number', value: Number.NaN, span: this.span(node, rec) };
    }
    let radix: number | undefined;
    if (name === 'parseInt' && argNodes[1]) {
      const r = this.ev(argNodes[1], scope);
      if (r.kind !== 'number') return this.unknown(`parseInt with a radix not known (${whyNot(r)})`, node, rec);
      radix = r.value;
    }
    const v = this.ev(a, scope);
    return this.convert(v, name, radix, node, rec);
  }

  private convert(v: JsValue, name: string, radix: number | undefined, node: ts.Node, rec: ModuleRec): JsValue {
    const span = this.span(node, rec);
    if (isLiteral(v)) {
      const x = primitive(v);
      let out: number | string | boolean;
      if (name === 'Number') out = Number(x);
      else if (name === 'parseInt') out = Number.parseInt(String(x), radix);
      else if (name === 'parseFloat') out = Number.parseFloat(String(x));
      else if (name === 'String') out = String(x);
      else out = Boolean(x);
      if (typeof out === 'number' && Number.isNaN(out) && !(v.kind === 'number' && Number.isNaN(v.value))) {
        // Readable code whose value is not the number meant: a note (the key it reaches, if any, is not known here),
        // under the rule for values a library does not take as written; not a parse error.
        rec.module.problems.push({
          message: `${name}(${isLiteral(v) ? (JSON.stringify(x) ?? 'undefined') : ''}) does not give a number: an option given this value is not the number it seems to be`,
          span,
          severity: 'note',
          ruleId: 'setting-ignored-by-library',
        });
      }
      return literalOf(out, span) as JsValue;
    }
    if (v.kind === 'branch') return this.mapBranch(v, (c) => this.convert(c, name, radix, node, rec), span);
    if (v.kind === 'env') {
      if (name === 'String') return v.convert ? this.unknown(`String() of a converted environment value`, node, rec) : v;
      if (name === 'Boolean') return this.unknown(`Boolean(process.env.${v.name}) is true for any text but the empty one`, node, rec);
      const kind: JsEnv['convert'] = name === 'Number' ? 'number' : name === 'parseFloat' ? 'float' : 'int';
      if (name === 'parseInt' && radix !== undefined && radix !== 10) return this.unknown(`parseInt with radix ${radix}`, node, rec);
      if (v.convert) {
        if (v.convert === 'boolean') return this.unknown(`${name}() of a boolean from environment variable ${v.name}`, node, rec);
        if (name === 'Number') return { ...v, span };
        return this.unknown(`${name}() of a number from environment variable ${v.name}`, node, rec);
      }
      const out: JsEnv = { kind: 'env', name: v.name, convert: kind, span };
      if (name === 'parseInt' && radix === undefined) out.autoRadix = true;
      if (v.orEmpty) out.orEmpty = true;
      if (v.fallback) out.fallback = this.convert(v.fallback, name, radix, node, rec);
      if (out.fallback && isLiteral(out.fallback) && v.fallback) out.fallback = { ...out.fallback, span: v.fallback.span } as JsValue;
      return out;
    }
    return this.unknown(`${name}() of a value not known (${whyNot(v)})`, node, rec);
  }

  private conditional(node: ts.ConditionalExpression, scope: Scope): JsValue {
    const rec = scope.mod;
    const test = this.ev(node.condition, scope);
    const t = truthy(test);
    if (t === true) return this.ev(node.whenTrue, scope);
    if (t === false) return this.ev(node.whenFalse, scope);
    const a = this.ev(node.whenTrue, scope);
    const b = this.ev(node.whenFalse, scope);
    const span = this.span(node, rec);
    if (test.kind === 'env' && test.convert === 'boolean' && test.equals !== undefined && BRANCH_VARIABLES.has(test.name)) {
      // Unset must take the "any other value" side for the `null` case to hold it.
      const unsetValue = test.fallback?.kind === 'boolean' ? test.fallback.value : false;
      if (unsetValue === Boolean(test.negated) && !test.orEmpty) {
        const eq = test.negated ? b : a;
        const other = test.negated ? a : b;
        return this.makeBranch(test.name, test.equals, eq, other, span);
      }
    }
    return this.unknown(`it depends on ${this.text(node.condition, rec)} (${whyNot(test)})`, node, rec, { candidates: [a, b] });
  }

  private makeBranch(variable: string, equals: string, eq: JsValue, other: JsValue, span: Span): JsBranch {
    const pick = (v: JsValue): JsValue => {
      if (v.kind !== 'branch' || v.variable !== variable) return v;
      return (v.cases.find((c) => c.when === equals) ?? v.cases.find((c) => c.when === null))?.value ?? v;
    };
    const cases: JsBranch['cases'] = [{ when: equals, value: pick(eq) }];
    if (other.kind === 'branch' && other.variable === variable) {
      for (const c of other.cases) if (c.when !== equals) cases.push(c);
    } else cases.push({ when: null, value: other });
    return { kind: 'branch', variable, cases, span };
  }

  private binary(node: ts.BinaryExpression, scope: Scope): JsValue {
    const rec = scope.mod;
    const op = node.operatorToken.kind;
    const span = this.span(node, rec);
    if (op === ts.SyntaxKind.CommaToken || op === ts.SyntaxKind.EqualsToken) return this.ev(node.right, scope);
    if (ASSIGNMENT_OPERATORS.has(op)) return this.unknown('a compound assignment', node, rec);
    const left = this.ev(node.left, scope);
    if (op === ts.SyntaxKind.QuestionQuestionToken) {
      if (isLiteral(left)) return left.kind === 'null' || left.kind === 'undefined' ? this.ev(node.right, scope) : left;
      if (left.kind === 'object' || left.kind === 'array' || left.kind === 'function') return left;
      if (left.kind === 'env') {
        if (left.convert) return left;
        if (!left.fallback) return { ...left, fallback: this.ev(node.right, scope), span };
        if (isLiteral(left.fallback) && left.fallback.kind !== 'null' && left.fallback.kind !== 'undefined') return left;
      }
      if (left.kind === 'branch') {
        const right = this.ev(node.right, scope);
        return this.mapBranch(left, (v) => (v.kind === 'null' || v.kind === 'undefined' ? right : v), span);
      }
      return this.unknown(`the left of ?? is not known (${whyNot(left)})`, node, rec);
    }
    if (op === ts.SyntaxKind.BarBarToken) {
      const t = truthy(left);
      if (t === true) return left;
      if (t === false) return this.ev(node.right, scope);
      if (left.kind === 'env' && !left.fallback) {
        if (!left.convert) return { ...left, fallback: this.ev(node.right, scope), orEmpty: true, span };
        if (left.convert !== 'boolean') return { ...left, fallback: this.ev(node.right, scope), orEmpty: true, orFalsy: true, span };
      }
      if (left.kind === 'branch') {
        const right = this.ev(node.right, scope);
        return this.mapBranch(left, (v) => (truthy(v) === false ? right : v), span);
      }
      return this.unknown(`the left of || is not known (${whyNot(left)})`, node, rec);
    }
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
      const t = truthy(left);
      if (t === false) return left;
      if (t === true) return this.ev(node.right, scope);
      return this.unknown(`the left of && is not known (${whyNot(left)})`, node, rec);
    }
    const right = this.ev(node.right, scope);
    if (
      op === ts.SyntaxKind.EqualsEqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      op === ts.SyntaxKind.EqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsToken
    ) {
      const negated = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
      const env = left.kind === 'env' ? left : right.kind === 'env' ? right : undefined;
      const other = env === left ? right : left;
      if (env && !env.convert && other.kind === 'string') {
        // The program gets `value === equals` (an environment value is a string or unset): when unset,
        // the fallback compared (none: undefined, never equal).
        let unset: boolean | undefined = false;
        if (env.fallback) unset = isLiteral(env.fallback) ? primitive(env.fallback) === other.value : undefined;
        if (unset !== undefined) {
          const out: JsEnv = { kind: 'env', name: env.name, convert: 'boolean', equals: other.value, span };
          if (negated) out.negated = true;
          if (env.orEmpty) out.orEmpty = true;
          out.fallback = { kind: 'boolean', value: negated ? !unset : unset, span: env.fallback?.span ?? span };
          if (!env.fallback && !negated) delete out.fallback;
          if (!env.fallback && negated) out.fallback = { kind: 'boolean', value: true, span };
          return out;
        }
      }
    }
    if (isLiteral(left) && isLiteral(right)) {
      const r = binaryOp(op, primitive(left), primitive(right));
      if (r === NOT_EVALUATED) return this.unknown(`connlint does not evaluate ${node.operatorToken.getText(rec.file.source)}`, node, rec);
      if (typeof r === 'string' && r.length > MAX_STRING) return this.unknown('a string longer than connlint builds', node, rec);
      return literalOf(r, span) ?? this.unknown('not a simple value', node, rec);
    }
    if (op === ts.SyntaxKind.PlusToken) {
      // A string plus anything is a string starting with it.
      let prefix: string | undefined;
      if (left.kind === 'string') prefix = left.value + (right.kind === 'unknown' && right.prefix ? right.prefix : '');
      else if (left.kind === 'unknown' && left.prefix) prefix = left.prefix;
      const culprit = isLiteral(left) ? right : left;
      return this.unknown(`it is computed from a value not known (${whyNot(culprit)})`, node, rec, prefix ? { prefix } : {});
    }
    const culprit = isLiteral(left) ? right : left;
    return this.unknown(`it is computed from a value not known (${whyNot(culprit)})`, node, rec);
  }

  private prefix(node: ts.PrefixUnaryExpression, scope: Scope): JsValue {
    const rec = scope.mod;
    const span = this.span(node, rec);
    const v = this.ev(node.operand, scope);
    switch (node.operator) {
      case ts.SyntaxKind.PlusToken:
        return this.convert(v, 'Number', undefined, node, rec);
      case ts.SyntaxKind.MinusToken:
        if (isLiteral(v)) return literalOf(-(primitive(v) as number), span) as JsValue;
        break;
      case ts.SyntaxKind.TildeToken:
        if (isLiteral(v)) return literalOf(~(primitive(v) as number), span) as JsValue;
        break;
      case ts.SyntaxKind.ExclamationToken: {
        const t = truthy(v);
        if (t !== undefined) return { kind: 'boolean', value: !t, span };
        if (v.kind === 'env' && v.convert === 'boolean' && v.equals !== undefined) {
          const out: JsEnv = { ...v, span };
          if (v.negated) delete out.negated;
          else out.negated = true;
          out.fallback = { kind: 'boolean', value: !(v.fallback?.kind === 'boolean' ? v.fallback.value : false), span };
          return out;
        }
        break;
      }
      default:
        return this.unknown('an increment or decrement', node, rec);
    }
    return this.unknown(`it is computed from a value not known (${whyNot(v)})`, node, rec);
  }
}

const NOT_EVALUATED = Symbol('not evaluated');

/** A binary operator on two primitives, exactly as JavaScript computes it (no user code can run on primitives). */
function binaryOp(op: ts.SyntaxKind, a: unknown, b: unknown): unknown {
  // biome-ignore lint/suspicious/noExplicitAny: JavaScript's own operators on primitive operands
  const x = a as any;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const y = b as any;
  switch (op) {
    case ts.SyntaxKind.PlusToken:
      return x + y;
    case ts.SyntaxKind.MinusToken:
      return x - y;
    case ts.SyntaxKind.AsteriskToken:
      return x * y;
    case ts.SyntaxKind.SlashToken:
      return x / y;
    case ts.SyntaxKind.PercentToken:
      return x % y;
    case ts.SyntaxKind.AsteriskAsteriskToken:
      return x ** y;
    case ts.SyntaxKind.LessThanLessThanToken:
      return x << y;
    case ts.SyntaxKind.GreaterThanGreaterThanToken:
      return x >> y;
    case ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken:
      return x >>> y;
    case ts.SyntaxKind.AmpersandToken:
      return x & y;
    case ts.SyntaxKind.BarToken:
      return x | y;
    case ts.SyntaxKind.CaretToken:
      return x ^ y;
    case ts.SyntaxKind.EqualsEqualsEqualsToken:
      return x === y;
    case ts.SyntaxKind.ExclamationEqualsEqualsToken:
      return x !== y;
    case ts.SyntaxKind.EqualsEqualsToken:
      // biome-ignore lint/suspicious/noDoubleEquals: JavaScript's loose equality is what the program computes
      return x == y;
    case ts.SyntaxKind.ExclamationEqualsToken:
      // biome-ignore lint/suspicious/noDoubleEquals: as above
      return x != y;
    case ts.SyntaxKind.LessThanToken:
      return x < y;
    case ts.SyntaxKind.GreaterThanToken:
      return x > y;
    case ts.SyntaxKind.LessThanEqualsToken:
      return x <= y;
    case ts.SyntaxKind.GreaterThanEqualsToken:
      return x >= y;
    default:
      return NOT_EVALUATED;
  }
}

/**
 * An object literal as JavaScript builds it: a key keeps its first position and takes its last value;
 * a spread that cannot be expanded may replace any key written before it, so those keys become unknown
 * (with their written value as the candidate).
 */
class ObjectBuilder {
  private readonly props: JsProperty[] = [];
  private readonly index = new Map<string, number>();
  private readonly overrides = new Map<string, Span[]>();
  /** Sequence number of the last write of each property, and of the last unexpanded spread. */
  private readonly setAt: number[] = [];
  private seq = 0;
  private lastOpen = -1;
  private readonly openSpreads: Array<{ value: JsValue; span: Span; text: string }> = [];

  constructor(private readonly span: Span) {}

  set(p: JsProperty): void {
    const i = this.index.get(p.key);
    if (i === undefined) {
      this.index.set(p.key, this.props.length);
      this.props.push(p);
      this.setAt.push(this.seq++);
      if (p.overrides?.length) this.overrides.set(p.key, [...p.overrides]);
      return;
    }
    const old = this.props[i] as JsProperty;
    let list = this.overrides.get(p.key);
    if (!list) {
      list = [];
      this.overrides.set(p.key, list);
    }
    list.push(old.span);
    if (p.overrides) list.push(...p.overrides);
    this.props[i] = p;
    this.setAt[i] = this.seq++;
  }

  /** Copies a known object's properties; false when the work budget is spent. */
  spread(o: JsObject, step: (n: number) => boolean): boolean {
    if (!step(o.properties.length)) return false;
    for (const p of o.properties) this.set(p);
    for (const s of o.spreads ?? []) this.open(s, '', s.span);
    return true;
  }

  open(s: { value: JsValue; span: Span }, text: string, _at: Span): void {
    this.openSpreads.push({ ...s, text });
    this.lastOpen = this.seq++;
  }

  finish(): JsObject {
    const properties = this.props.map((p, i) => {
      const list = this.overrides.get(p.key);
      let out: JsProperty = list?.length ? { ...p, overrides: list } : p.overrides ? { ...p, overrides: [] } : p;
      if (out.overrides?.length === 0) {
        const { overrides: _, ...rest } = out;
        out = rest;
      }
      if ((this.setAt[i] ?? 0) < this.lastOpen) {
        const s = this.openSpreads[this.openSpreads.length - 1];
        out = {
          ...out,
          value: {
            kind: 'unknown',
            reason: `a spread after it (${s?.text ? `...${s.text}` : 'a value not known'}, line ${s?.span.line}) may replace it`,
            span: p.value.span,
            candidates: [p.value],
          },
        };
      }
      return out;
    });
    const o: JsObject = { kind: 'object', properties, span: this.span };
    if (this.openSpreads.length) o.spreads = this.openSpreads.map(({ value, span }) => ({ value, span }));
    return o;
  }
}
