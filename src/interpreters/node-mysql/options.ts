import { maskSecrets } from '../../model/secrets.js';
import type { Origin, Setting, Value } from '../../model/setting.js';
import { type Span, spanText } from '../../model/span.js';
import { jsEnvWriteAs, type JsLiteral, type JsScalar, jsProperties, jsRepr, jsScalarOf, jsValueSpanOf } from '../js/scalar.js';
import type { JsValue } from '../js/value.js';

/** One option as written: a property of an options object, a URL query parameter, a TypeORM key mapped to a driver key. */
export interface OptionEntry {
  /** The key as the user wrote it (`idleTimeout`, `extra.idleTimeout`, `poolSize`, `connectionLimit (URL query)`). */
  key: string;
  value: JsValue;
  /** The whole `key: value`, or the URL. */
  span: Span;
  overrides?: Span[];
  /** Set for a URL query value: it starts as text and the library converts it (mysql2 `JSON.parse`, mariadb `parseInt`). */
  fromUrl?: boolean;
}

export type SourceTexts = ReadonlyMap<string, string>;

/** The options of an object literal by key, and whether keys not listed may exist (an unexpanded spread). */
export function optionEntries(
  v: JsValue | undefined,
  prefix = '',
): { entries: Map<string, OptionEntry>; open?: { reason: string; span: Span } } | undefined {
  if (!v) return { entries: new Map() };
  const view = jsProperties(v);
  if (!view) return undefined;
  const entries = new Map<string, OptionEntry>();
  for (const [key, p] of view.props) {
    entries.set(key, { key: `${prefix}${key}`, value: p.value, span: p.span, ...(p.overrides ? { overrides: p.overrides } : {}) });
  }
  return { entries, ...(view.open ? { open: view.open } : {}) };
}

/** The value as written (from the source text when at hand), secrets masked. */
export function rawOf(key: string, v: JsValue, sources: SourceTexts | undefined): string {
  const text = sources?.get(v.span.path);
  const written = text === undefined ? undefined : spanText(text, v.span);
  if (written !== undefined) return maskSecrets(key, written);
  switch (v.kind) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'null':
    case 'undefined':
      return maskSecrets(key, jsRepr(v));
    case 'env':
      return `process.env.${v.name}`;
    case 'call':
      return `${v.written}(...)`;
    default:
      return `<${v.kind}>`;
  }
}

/** A scalar's literal as the program gets it; `undefined` (the JavaScript value) when the key is absent or undefined. */
export interface Read {
  scalar: JsScalar;
  /** The JavaScript value the library receives; absent when not known. */
  js?: number | string | boolean | null | undefined;
  known: boolean;
}

export function readScalar(e: OptionEntry): Read {
  const scalar = jsScalarOf(e.value);
  const lit: JsLiteral | undefined = scalar.literal;
  if (!lit) return { scalar, known: false };
  const js = lit.kind === 'null' ? null : lit.kind === 'undefined' ? undefined : lit.value;
  return { scalar, js, known: true };
}

/** `key (from environment X, default 10)` for messages. */
export function keyLabel(e: OptionEntry, r: Read): string {
  return r.scalar.note ? `${e.key} (${r.scalar.note})` : e.key;
}

/** mysql2 ≥ 2.0.2 and mariadb 3.5 numeric options: `isNaN(v) ? default : Number(v)`. */
export function isNaNRule(js: unknown, fallback: number): number {
  return Number.isNaN(Number(js)) ? fallback : Number(js);
}
/** mysqljs and mysql2 2.0.0–2.0.1: `v === undefined ? default : Number(v)` (NaN stays NaN). */
export function undefinedRule(js: unknown, fallback: number): number {
  return js === undefined ? fallback : Number(js);
}
/** `v || default`: 0, '', null, false and NaN take the default. */
export function orRule(js: unknown, fallback: number): number {
  return js ? Number(js) : fallback;
}

export function fileOrigin(span: Span, via: Span[] = []): Origin {
  return { kind: 'file', span, via };
}

/** A setting for a written option. */
export function writtenSetting(
  e: OptionEntry,
  canonicalKey: string,
  r: Read,
  value: Value,
  sources: SourceTexts | undefined,
  unit?: 'ms' | 's',
): Setting {
  const text = r.known && r.js !== undefined && r.js !== null ? String(r.js) : null;
  return {
    key: keyLabel(e, r),
    canonicalKey,
    raw: rawOf(e.key, e.value, sources),
    text: text === null ? null : maskSecrets(e.key, text),
    value,
    origin: fileOrigin(e.span),
    ...(e.fromUrl ? {} : jsValueSpanOf(e.value, e.span, sources)),
    overrides: (e.overrides ?? []).map((s) => fileOrigin(s)),
    ...(unit ? { unit } : {}),
    ...(r.scalar.env ? { writeAs: jsEnvWriteAs(r.scalar) } : {}),
  };
}

export function durationMs(n: number): Value {
  return Number.isFinite(n) ? { kind: 'duration', ms: n } : { kind: 'unknown', reason: `${n} is not a number of milliseconds` };
}
export function count(n: number): Value {
  return Number.isFinite(n) ? { kind: 'count', value: n } : { kind: 'unknown', reason: `${n} is not a number` };
}
