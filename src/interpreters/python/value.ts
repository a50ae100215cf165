import type { Span } from '../../model/span.js';

/*
 * Types the static evaluator (evaluate.ts, `evaluateTree`) produces and the SQLAlchemy / Flask / Django
 * interpreters read. Changes since the first version (additive; every earlier field keeps its meaning):
 * - PyValue gains `ref` (a module, class or function outside the tree, by dotted name: `poolclass=NullPool`
 *   is `{ kind: 'ref', name: 'sqlalchemy.pool.NullPool' }`) and `class` (a class defined in the tree).
 * - `unknown` may carry `prefix` (the known start of a string built from parts: the `mysql+pymysql://` of
 *   an f-string whose host comes from the environment) and `candidates` (one of these values, e.g.
 *   `config[name]` over a dict of config classes).
 * - dict values keep what they could not expand: `merges` (a `**spread` or `.update()` of a call or an
 *   unknown value: `DATABASES["default"].update(dj_database_url.config())`); each entry says, in
 *   `laterMerges`, which merges came after it was set (any of those may have replaced it) and, in
 *   `overrides`, the earlier values of its key that it replaced.
 * - PyCall gains `written` (the callee as written), `unpacked` (`*args` / `**kwargs` it could not expand:
 *   the call may receive more arguments) and `classRef` (the callee is a class of the tree).
 * - PyEnv: `default` is the value the code gets when the variable is unset, already converted as the
 *   library converts it (decouple applies `cast` to the default, django-environ does not unless
 *   `parse_default=True`, `int(os.getenv("X", "300"))` gives 300); `cast` is what is applied to the
 *   variable's text when it is set. `os.getenv("X")` without a default has default None (what Python returns).
 * - PyBinding gains `updates`, `conditions` and `alternatives`; PyClass gains `path`, `qualifiedName`,
 *   `externalBases`; PyModule gains `configWrites` (Flask `app.config`), `imports`, `syntaxError`,
 *   `isTemplate`, `opaqueStarImports`.
 */

/**
 * What connlint knows statically about a Python expression (issue 17, "Static evaluation"): a literal,
 * a container of values, a value that comes from the process environment (with its default, if the
 * code gives one), a call it did not evaluate, a name from outside the tree, or unknown with the reason.
 * Every value keeps the span of the expression it came from, so a finding points at the line that set
 * the value that runs. Nothing here is ever guessed: what cannot be known is `unknown`.
 */
export type PyValue =
  | { kind: 'int'; value: number; span: Span }
  | { kind: 'float'; value: number; span: Span }
  | { kind: 'str'; value: string; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'none'; span: Span }
  | PyDict
  | { kind: 'list'; items: PyValue[]; span: Span }
  | { kind: 'tuple'; items: PyValue[]; span: Span }
  | PyEnv
  | PyCall
  /**
   * A module, class, function or constant from outside the scanned tree, by its dotted name resolved
   * through the imports (`sqlalchemy.pool.NullPool`, `os`, `builtins.int`, `typing.TYPE_CHECKING`).
   */
  | { kind: 'ref'; name: string; span: Span }
  /** A class defined in the tree: `PyModule.classes.get(name)` of the module at `path`. */
  | { kind: 'class'; path: string; name: string; span: Span }
  | PyUnknown;

export interface PyUnknown {
  kind: 'unknown';
  reason: string;
  span: Span;
  /** For a string built from parts (f-string, `+`, `.format`), the known start: `mysql+pymysql://`. */
  prefix?: string;
  /** The value is one of these, connlint cannot tell which (`config[os.getenv("APP_ENV")]`). */
  candidates?: PyValue[];
}

export interface PyDict {
  kind: 'dict';
  /** Keys in insertion order, each with its final known value. */
  entries: PyDictEntry[];
  span: Span;
  /**
   * Values merged in that connlint could not expand, in order: `{**opts}`, `d.update(call())`,
   * `dict(unknown)`. With any, the dict may hold keys not in `entries`.
   */
  merges?: PyMerge[];
}

export interface PyMerge {
  value: PyValue;
  /** The `**x`, the `.update(...)` call, or the item assignment that put a non-dict where a dict was needed. */
  span: Span;
}

/** A dict entry; `key` is usually a `str` value. `span` covers `key: value` (or the assignment that set it). */
export interface PyDictEntry {
  key: PyValue;
  value: PyValue;
  span: Span;
  /** Earlier values of this key it replaced, oldest first (a duplicate key, `d["k"] = v`, `.update()`, a later module). */
  overrides?: Span[];
  /** Indexes into the dict's `merges` made after this value was set: each may have replaced it. */
  laterMerges?: number[];
}

/**
 * A value read from the environment: `os.environ["X"]`, `os.environ.get("X", "300")`, `os.getenv`,
 * django-environ `env.int("X", default=...)`, python-decouple `config("X", default=..., cast=int)`.
 * `default` is the value when the variable is unset (none: the lookup fails when unset), as the library
 * returns it; `cast` is the conversion applied to the variable's text when it is set: without one the
 * value is the text (a `str`).
 */
export interface PyEnv {
  kind: 'env';
  name: string;
  default?: PyValue;
  cast?: 'int' | 'float' | 'str' | 'bool';
  /**
   * How it was read, for messages: `os.environ[...]`, `os.environ.get`, `os.environ.setdefault`,
   * `os.getenv`, `env`, `env.int`, `env.bool`, `env.str`, `env.float` (django-environ), `decouple.config`.
   * A trailing ` or` (`os.getenv("X") or "300"`): the default also applies when the variable is empty.
   */
  via: string;
  span: Span;
}

/**
 * A call the evaluator keeps rather than evaluates: `create_engine(url, pool_recycle=3600)`,
 * `dj_database_url.config(conn_max_age=600)`. `callee` is the dotted name resolved through the
 * module's imports (`sqlalchemy.create_engine`, `sqlalchemy.ext.asyncio.create_async_engine`; a method
 * of an object made by a call adds to that call's callee: `env.db()` with `env = environ.Env()` is
 * `environ.Env.db`; a function or class of the tree is `<module>.<name>`), or as written when it cannot be
 * resolved. `**kwargs` from a known dict are merged into `kwargs` (each keeping the span where it is written).
 */
export interface PyCall {
  kind: 'call';
  callee: string;
  /** The callee as written in the source (`sa.create_engine`, `env.db`); always set by `evaluateTree`. */
  written?: string;
  args: PyValue[];
  kwargs: Array<{ name: string; value: PyValue; span: Span }>;
  /**
   * `*args` / `**kwargs` whose value connlint could not expand; with any, the call may get more positional
   * arguments (positions after a `*` are then uncertain) or keywords than listed.
   */
  unpacked?: Array<{ star: '*' | '**'; value: PyValue; span: Span }>;
  /** The callee is a class of the tree (calling it makes an instance: `ProductionConfig()`). */
  classRef?: { path: string; name: string };
  span: Span;
}

/** One name as the module (or class body) leaves it: its final value, and the earlier values it replaced. */
export interface PyBinding {
  name: string;
  value: PyValue;
  /** The statement that bound it (for `from .base import *`, the line in the module it came from). */
  span: Span;
  /** Earlier bindings of the name it replaced, oldest first (an earlier line, a star-imported module's line). */
  overrides: Span[];
  /** Statements after `span` that changed the value in place, in order: `D["k"] = v`, `D.update(...)`, `L.append(x)`, `X += 1`. */
  updates?: Span[];
  /** Tests of `if`/`while`/`for`/`try` connlint could not decide, under which the binding was made (outermost first). */
  conditions?: Span[];
  /**
   * Other values the name may have in this same module, when it depends on such a test: `value` is the
   * textually last one; each alternative keeps its own span and conditions (the value before the `if`
   * is one when a branch does not assign). At most 8.
   */
  alternatives?: PyBinding[];
}

/** A class body (`class ProductionConfig(Config): ...`), with its bases resolved and its attributes after inheritance. */
export interface PyClass {
  /** Name as written (`ProductionConfig`). */
  name: string;
  /** Name inside the module: `Outer.Inner`, `create_app.<locals>.Config` for classes not at module level. */
  qualifiedName: string;
  path: string;
  /** Bases as dotted names (in-tree classes as `<module>.<qualified name>`), in order. */
  bases: string[];
  /**
   * Bases that are not classes of the tree (`object` excepted), e.g. `pydantic.BaseSettings`: attributes they
   * provide, or any behaviour they add (pydantic reads the environment), are not in `attributes`.
   */
  externalBases: string[];
  /** Own attributes over inherited ones (method resolution order); overriding ones list what they replaced. */
  attributes: Map<string, PyBinding>;
  span: Span;
}

/**
 * A write to a Flask config object: `app.config["X"] = v`, `app.config.update(...)`,
 * `app.config.from_object(...)` (issue 17, Flask-SQLAlchemy), in source order.
 */
export interface PyConfigWrite {
  /** The object whose `config` is written, as written: `app`, `self.app`, `current_app`. */
  target: string;
  /** How that object was made, when known: `flask.Flask` for `app = Flask(__name__)`. */
  targetCallee?: string;
  kind:
    | 'item'
    | 'update'
    | 'setdefault'
    | 'from_object'
    | 'from_mapping'
    | 'from_pyfile'
    | 'from_envvar'
    | 'from_file'
    | 'from_prefixed_env';
  /** For `item` and `setdefault`: the key, when it is a known string. */
  key?: string;
  /**
   * `item`/`setdefault`: the value. `update`/`from_mapping`: a dict (positional dict and keywords merged).
   * `from_object`: the argument (a `str` import path, a `class`, a `ref`, a `call` for an instance, or unknown).
   * `from_pyfile`/`from_envvar`/`from_file`: the first argument. `from_prefixed_env`: the prefix (default `FLASK`).
   */
  value: PyValue;
  /**
   * `from_object` only: what it names in the tree, resolved as Flask does (a class, or a module for an
   * import path like `"config.settings"`); the class may also be an instance's class (`from_object(Config())`).
   */
  object?: { kind: 'class'; path: string; name: string } | { kind: 'module'; path: string };
  /** Set when written inside a function (`create_app`): it runs when the function is called. */
  inFunction?: string;
  span: Span;
}

/** An import statement, resolved against the tree. */
export interface PyImport {
  /** Dotted module name as written, with leading dots for relative imports (`.base`, `myproj.settings.base`). */
  module: string;
  /** The file it resolves to in the tree (a module file or a package's `__init__.py`), when it does. */
  path?: string;
  /** `from x import *` */
  star: boolean;
  span: Span;
}

/** One evaluated module (a `.py` file of the scanned tree). */
export interface PyModule {
  path: string;
  /** Dotted module name it can be imported as (`myproj.settings.base`), from the `__init__.py` files around it. */
  moduleName?: string;
  bindings: Map<string, PyBinding>;
  /** Every class body of the module, by qualified name (module-level ones by their plain name). */
  classes: Map<string, PyClass>;
  /**
   * Every call anywhere in the module (functions included) whose callee resolves to a name of interest:
   * one ending in `create_engine`, `create_async_engine`, `engine_from_config`, `async_engine_from_config`,
   * `dj_database_url.config`, `dj_database_url.parse`, `env.db`, `Env.db`, `env.db_url`, `Env.db_url`,
   * `SQLAlchemy`; in source order. Calls inside functions see parameters as unknown.
   */
  calls: PyCall[];
  /** Flask `app.config` writes anywhere in the module (functions included), in source order. */
  configWrites: PyConfigWrite[];
  /** Imports anywhere in the module, in source order (for finding leaf settings modules). */
  imports: PyImport[];
  /** `from x import *` of modules not in the tree: any binding may have been replaced by them. */
  opaqueStarImports: PyImport[];
  /** Set when Python cannot compile the file: `bindings` hold what the statements that parse assign. */
  syntaxError?: Span;
  /** The file is a template (Jinja), not Python. */
  isTemplate?: boolean;
  /** Facts found while evaluating that Python would act on at import (`int("abc")` raises ValueError). */
  problems: Array<{ message: string; span: Span; severity: 'error' | 'warning' | 'note'; ruleId?: string }>;
}
