import type { Span } from '../../model/span.js';

/**
 * What connlint knows statically about a Python expression (issue 17, "Static evaluation"): a literal,
 * a container of values, a value that comes from the process environment (with its default, if the
 * code gives one), a call it did not evaluate, or unknown with the reason. Every value keeps the span
 * of the expression it came from, so a finding points at the line that set the value that runs.
 * Nothing here is ever guessed: what cannot be known is `unknown`.
 */
export type PyValue =
  | { kind: 'int'; value: number; span: Span }
  | { kind: 'float'; value: number; span: Span }
  | { kind: 'str'; value: string; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'none'; span: Span }
  | { kind: 'dict'; entries: PyDictEntry[]; span: Span }
  | { kind: 'list'; items: PyValue[]; span: Span }
  | { kind: 'tuple'; items: PyValue[]; span: Span }
  | PyEnv
  | PyCall
  | { kind: 'unknown'; reason: string; span: Span };

/** A dict entry; `key` is usually a `str` value. `span` covers `key: value`. */
export interface PyDictEntry {
  key: PyValue;
  value: PyValue;
  span: Span;
}

/**
 * A value read from the environment: `os.environ["X"]`, `os.environ.get("X", "300")`, `os.getenv`,
 * django-environ `env.int("X", default=...)`, python-decouple `config("X", default=..., cast=int)`.
 * `default` is the default the code gives (none: unknown when the variable is unset); `cast` is the
 * conversion applied to it (`int(os.getenv(...))`, `cast=int`): without one the value is a string.
 */
export interface PyEnv {
  kind: 'env';
  name: string;
  default?: PyValue;
  cast?: 'int' | 'float' | 'str' | 'bool';
  /** How it was read, for messages: `os.environ.get`, `env.int`, `decouple.config`. */
  via: string;
  span: Span;
}

/**
 * A call the evaluator keeps rather than evaluates: `create_engine(url, pool_recycle=3600)`,
 * `dj_database_url.config(conn_max_age=600)`. `callee` is the dotted name resolved through the
 * module's imports (`sqlalchemy.create_engine`, `sqlalchemy.ext.asyncio.create_async_engine`), or as
 * written when it cannot be resolved. `**kwargs` from a known dict are merged into `kwargs`.
 */
export interface PyCall {
  kind: 'call';
  callee: string;
  args: PyValue[];
  kwargs: Array<{ name: string; value: PyValue; span: Span }>;
  span: Span;
}

/** One module-level name as the module leaves it: its final value, and the earlier values it replaced. */
export interface PyBinding {
  name: string;
  value: PyValue;
  /** The assignment that set it (for `from .base import *`, the line in the module it came from). */
  span: Span;
  /** Values it replaced, oldest first (later assignments, item assignments, `.update(...)`, star imports). */
  overrides: Span[];
}

/** A class body (`class ProductionConfig(Config): ...`), with its bases resolved and its attributes after inheritance. */
export interface PyClass {
  name: string;
  bases: string[];
  attributes: Map<string, PyBinding>;
  span: Span;
}

/** One evaluated module (a `.py` file of the scanned tree). */
export interface PyModule {
  path: string;
  /** Dotted module name it can be imported as (`myproj.settings.base`), when the tree says. */
  moduleName?: string;
  bindings: Map<string, PyBinding>;
  classes: Map<string, PyClass>;
  /** Every call anywhere in the module (functions included) whose callee resolves to a name of interest. */
  calls: PyCall[];
  /** Item assignments and `.update()` on names, already applied to `bindings`, kept for messages. */
  problems: Array<{ message: string; span: Span; severity: 'error' | 'warning' | 'note' }>;
}
