import { literalTokenSpan, type Setting, type Value } from '../../model/setting.js';
import type { Span } from '../../model/span.js';
import type { JsObject, JsProperty, JsValue } from './value.js';

/*
 * Reading evaluated JavaScript values as the libraries read them, shared by the Knex, mysql2/mysql/
 * mariadb, TypeORM, Sequelize and Prisma interpreters: one scalar with where it comes from, and an
 * object's properties.
 */

export type JsLiteral = Extract<JsValue, { kind: 'number' | 'string' | 'boolean' | 'null' | 'undefined' }>;

export interface JsScalar {
  /** The value the program gets (for an environment value: the fallback, when the variable is unset); undefined when unknown. */
  literal?: JsLiteral;
  /** Why the value is not known. */
  unknown?: string;
  /** Set for a value read from the environment. */
  env?: { name: string; hasFallback: boolean; convert?: 'number' | 'int' | 'float' | 'boolean' };
  /** Words for the key in messages: `from environment DB_POOL_MAX, default 10`. */
  note?: string;
  span: Span;
}

export function isJsLiteral(v: JsValue): v is JsLiteral {
  return v.kind === 'number' || v.kind === 'string' || v.kind === 'boolean' || v.kind === 'null' || v.kind === 'undefined';
}

/** `10`, `"mysql"`, `true`, `null`, `undefined`: a literal as JavaScript source would show it (for messages). */
export function jsRepr(v: JsLiteral): string {
  switch (v.kind) {
    case 'string':
      return JSON.stringify(v.value);
    case 'number':
    case 'boolean':
      return String(v.value);
    default:
      return v.kind;
  }
}

function reasonOf(v: JsValue): string {
  switch (v.kind) {
    case 'unknown':
      return v.reason;
    case 'call':
      return `the result of ${v.written}(...), which is not evaluated`;
    case 'ref':
      return `${v.name} from ${v.module}, outside the scanned tree`;
    case 'function':
      return 'a function';
    case 'object':
    case 'array':
      return `an ${v.kind}, not a single value`;
    case 'branch':
      return `it depends on ${v.variable}`;
    case 'env':
      return `it comes from environment variable ${v.name}, which has no fallback here`;
    default:
      return 'not known';
  }
}

/** The value a library gets from an expression, and where it comes from. An environment value is its fallback when the variable is unset. */
export function jsScalarOf(v: JsValue): JsScalar {
  if (isJsLiteral(v)) return { literal: v, span: v.span };
  if (v.kind !== 'env') return { unknown: reasonOf(v), span: v.span };
  const env = { name: v.name, hasFallback: v.fallback !== undefined, ...(v.convert ? { convert: v.convert } : {}) };
  if (!v.fallback) return { unknown: reasonOf(v), env, note: `from environment ${v.name}`, span: v.span };
  const f = jsScalarOf(v.fallback);
  if (!f.literal)
    return {
      unknown: `it comes from environment variable ${v.name}, whose fallback is ${f.unknown}`,
      env,
      note: `from environment ${v.name}`,
      span: v.span,
    };
  return { literal: f.literal, env, note: `from environment ${v.name}, default ${jsRepr(f.literal)}`, span: v.span };
}

/** An object's properties by key (the last wins), or undefined when the value is not an object literal. */
export function jsProperties(v: JsValue): { props: Map<string, JsProperty>; open?: { reason: string; span: Span } } | undefined {
  if (v.kind !== 'object') return undefined;
  const o: JsObject = v;
  const props = new Map<string, JsProperty>();
  for (const p of o.properties) props.set(p.key, p);
  const spread = o.spreads?.[0];
  return { props, ...(spread ? { open: { reason: `...${reasonOf(spread.value)}`, span: spread.span } } : {}) };
}

/** What a user changes for a value read from the environment (`writeAs` of its Setting): the variable, or its fallback in the code. */
export function jsEnvWriteAs(s: JsScalar): string | undefined {
  if (!s.env) return undefined;
  return `the environment variable ${s.env.name}${s.env.hasFallback ? ' (or the default in the code)' : ''}`;
}

/** A library default, named as the user would write the key. */
export function defaultSetting(
  key: string,
  canonicalKey: string,
  value: Value,
  library: string,
  fact: string,
  version?: string,
  unit?: 'ms' | 's',
): Setting {
  return {
    key,
    canonicalKey,
    raw: null,
    text: null,
    value,
    origin: { kind: 'library-default', library, ...(version ? { version } : {}), fact },
    overrides: [],
    ...(unit ? { unit } : {}),
  };
}

/**
 * `{ valueSpan }` when `value` is a literal written inside `within` (its `key: value`), not a name, an expression or an
 * environment lookup; else `{}`. `sources` holds the file texts.
 */
export function jsValueSpanOf(value: JsValue, within: Span, sources: ReadonlyMap<string, string> | undefined): { valueSpan?: Span } {
  if (value.kind !== 'number' && value.kind !== 'string' && value.kind !== 'boolean') return {};
  const valueSpan = literalTokenSpan(sources?.get(value.span.path), value.span, value.value, within);
  return valueSpan ? { valueSpan } : {};
}
