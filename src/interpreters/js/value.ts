import type { Span } from '../../model/span.js';

/*
 * Additions after the first version (optional fields only; no existing field changed meaning):
 * - JsEnv.equals / JsEnv.negated: what a `convert: 'boolean'` value is (`process.env.X === 'true'`).
 * - JsEnv.orFalsy: a converted value with `||` (`Number(process.env.X) || 10`) falls back on 0 and NaN too.
 * - JsEnv.autoRadix: `parseInt(process.env.X)` without a radix (text starting `0x` reads as hexadecimal).
 * - JsCall.ref: the module and name the callee was imported as, when it comes from outside the tree.
 */

/*
 * What connlint knows statically about a JavaScript/TypeScript expression (issue 18, "Static
 * evaluation (just enough, never guessing)"): the contract between the evaluator (evaluate.ts,
 * `evaluateJsTree`) and the Knex, mysql2/mysql/mariadb, TypeORM, Sequelize and Prisma interpreters.
 * Every value keeps the span of the expression it came from, so a finding points at the line that
 * set the value that runs. Nothing is guessed: what cannot be known is `unknown`, with the reason.
 */
export type JsValue =
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'boolean'; value: boolean; span: Span }
  | { kind: 'null'; span: Span }
  | { kind: 'undefined'; span: Span }
  | JsObject
  | { kind: 'array'; items: JsValue[]; span: Span }
  | JsEnv
  | JsBranch
  | JsCall
  /** A function (arrow or `function`): its body is not run; `returns` is the value of a body that only returns an expression (`() => ({...})`). */
  | { kind: 'function'; returns?: JsValue; span: Span }
  /** An imported binding from a module outside the scanned tree (`knex` from 'knex', `DataSource` from 'typeorm'), by module and name. */
  | { kind: 'ref'; module: string; name: string; span: Span }
  | JsUnknown;

export interface JsUnknown {
  kind: 'unknown';
  reason: string;
  span: Span;
  /** For a string built from parts (template literal, `+`), the known start: `mysql://`. */
  prefix?: string;
  /** The value is one of these and connlint cannot tell which (`NODE_ENV === 'production' ? a : b`). */
  candidates?: JsValue[];
}

export interface JsObject {
  kind: 'object';
  /** Properties in source order, each with its final value (a later key or spread replaces an earlier one). */
  properties: JsProperty[];
  span: Span;
  /** Spreads that could not be expanded (`...config` of an unknown value): with any, the object may hold keys not listed. */
  spreads?: Array<{ value: JsValue; span: Span }>;
}

export interface JsProperty {
  /** The property name (computed names only when they evaluate to a string or number). */
  key: string;
  value: JsValue;
  /** The whole `key: value` (or shorthand) as written. */
  span: Span;
  keySpan: Span;
  /** Earlier values of this key it replaced (a duplicate key, a spread before it). */
  overrides?: Span[];
}

/**
 * A value read from the environment: `process.env.X`, `process.env['X']`, with a fallback when written
 * `process.env.X ?? d` (`fallback` used when unset) or `process.env.X || d` (also when empty: `orEmpty`).
 * `convert` is what the code applies to the text: `Number(...)`, `parseInt(..., 10)`, `+x`, `parseFloat`,
 * `=== 'true'` (boolean). Without a conversion the program gets a string.
 */
export interface JsEnv {
  kind: 'env';
  name: string;
  fallback?: JsValue;
  /** The fallback also applies when the variable is set to the empty string (`||`). */
  orEmpty?: boolean;
  convert?: 'number' | 'int' | 'float' | 'boolean';
  /**
   * With `convert: 'boolean'`: the program gets `value === equals` (`!==` when `negated`), written
   * `process.env.X === 'true'` (also `==`, `!=`, either side, and `!` of it). The evaluator writes a
   * boolean only in this form; `fallback` is then the boolean the program gets when the variable is
   * unset (false for `===` without a fallback: undefined equals no string).
   */
  equals?: string;
  negated?: true;
  /**
   * With a numeric `convert` and `||` (`Number(process.env.X) || 10`): the fallback also applies when the
   * converted value is 0 or NaN (unset, empty, `0` or text that is not a number).
   */
  orFalsy?: true;
  /** `convert: 'int'` from `parseInt(x)` without a radix: like radix 10, except that `0x`/`0X` text is read as hexadecimal. */
  autoRadix?: true;
  span: Span;
}

/**
 * A call kept rather than evaluated: `knex({...})`, `mysql.createPool({...})`, `new DataSource({...})`,
 * `TypeOrmModule.forRoot({...})`, `new Sequelize(...)`, `defineConfig({...})`. `callee` is resolved
 * through the imports to `<module>.<name>` for imports from outside the tree (`knex.default`,
 * `mysql2/promise.createPool`, `typeorm.DataSource`, `@nestjs/typeorm.TypeOrmModule.forRoot`,
 * `sequelize.Sequelize`, `prisma/config.defineConfig`), else as written.
 */
export interface JsCall {
  kind: 'call';
  callee: string;
  /** As written (`mysql.createPool`, `new DataSource`). */
  written: string;
  /** `new X(...)` */
  isNew: boolean;
  args: JsValue[];
  span: Span;
  /**
   * For a callee imported from outside the tree, its `ref` (`callee` is then `<module>.<name>`, or
   * `<module>` alone when `name` is `*`). Names: `import x from 'm'` is `default`; `import * as x from 'm'`,
   * `const x = require('m')` and `import x = require('m')` are `*` (the module object itself); `import { a }`
   * and `const { a } = require('m')` are `a`; member accesses append (`x.createPool` -> `createPool` from a
   * namespace or require, `default.createPool` from a default import). So `knex(...)` after
   * `import knex from 'knex'` is `knex.default`, after `const knex = require('knex')` it is `knex`.
   */
  ref?: { module: string; name: string };
}

/** One evaluated module (a JS/TS file of the scanned tree). */
export interface JsModule {
  path: string;
  /** `export default`, or `module.exports =` (CommonJS), when present. */
  defaultExport?: JsValue;
  /** Named exports (`export const x`, `exports.x =`, `module.exports.x =`). */
  namedExports: Map<string, JsValue>;
  /** Every call anywhere in the module whose callee is of interest (see `evaluate.ts`), in source order; calls inside functions see parameters as unknown. */
  calls: JsCall[];
  /** Set when the file does not parse: what parses is still read. */
  syntaxError?: Span;
  /** Facts found while evaluating (`Number("abc")` is NaN), at their span. */
  problems: Array<{ message: string; span: Span; severity: 'error' | 'warning' | 'note'; ruleId?: string }>;
}

/**
 * A value that depends on the environment the program runs in: `process.env.NODE_ENV === 'production' ?
 * a : b` (also `!==`, and `[...][process.env.NODE_ENV]` lookups). One case per environment; `when` null is
 * "any other value". The interpreters make one configuration (environment) per case.
 */
export interface JsBranch {
  kind: 'branch';
  /** The variable tested (`NODE_ENV`). */
  variable: string;
  cases: Array<{ when: string | null; value: JsValue }>;
  span: Span;
}
