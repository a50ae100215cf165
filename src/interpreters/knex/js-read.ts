/**
 * Reading evaluated JavaScript configuration values as the Node pools read them, shared by the Knex and
 * Sequelize interpreters: numbers with where they come from, settings with their origins, versions,
 * connection URLs, and the expansion of `NODE_ENV` branches into one configuration per case.
 */
import type { Engine } from '../../model/model.js';
import type { Origin, Setting, Value } from '../../model/setting.js';
import { formatSpan, type Span, spanText } from '../../model/span.js';
import { type JsLiteral, jsEnvWriteAs, jsRepr, jsScalarOf, type JsScalar, jsValueSpanOf } from '../js/scalar.js';
import { rangeAtLeast } from '../js/semver-range.js';
import type { JsProperty, JsValue } from '../js/value.js';

/**
 * true / false when every version allowed is at least `min` / below it, undefined when the version is not
 * known or the range allows both. `version` is an exact version or a package.json range (`^3.1.0`).
 */
export function since(version: string | undefined, min: string): boolean | undefined {
  if (version === undefined) return undefined;
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(min);
  return m ? rangeAtLeast(version, [Number(m[1]), Number(m[2]), Number(m[3])]) : undefined;
}

/** A value as written when the source text is at hand, else a JavaScript form of it. */
export function rawOf(v: JsValue, sources: ReadonlyMap<string, string> | undefined): string {
  const text = sources?.get(v.span.path);
  const written = text === undefined ? undefined : spanText(text, v.span);
  if (written !== undefined) return written;
  switch (v.kind) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'null':
    case 'undefined':
      return jsRepr(v);
    case 'env':
      return `process.env.${v.name}`;
    case 'call':
      return `${v.written}(...)`;
    case 'ref':
      return v.name;
    default:
      return `<${v.kind}>`;
  }
}

/** A number as the program gets it, or why it is not one. */
export interface JsNumber {
  /** The number (after the code's own conversion of an environment value, or its fallback). */
  n?: number;
  /** A string the program gets where a number is expected (written, or the fallback). */
  text?: string;
  /** Other literal kinds (`null`, `true`). */
  other?: JsLiteral;
  unknown?: string;
  /** Set when the value comes from an environment variable the code does not convert: a string whenever it is set. */
  textWhenSet?: string;
  scalar: JsScalar;
}

function converted(lit: JsLiteral, convert: 'number' | 'int' | 'float'): number | undefined {
  const raw = lit.kind === 'string' ? lit.value : lit.kind === 'number' ? String(lit.value) : undefined;
  if (raw === undefined) return undefined;
  if (convert === 'int') return Number.parseInt(raw, 10);
  if (convert === 'float') return Number.parseFloat(raw);
  if (convert === 'number') return Number(raw);
  return undefined;
}

export function numberOf(v: JsValue): JsNumber {
  const scalar = jsScalarOf(v);
  const convert = scalar.env?.convert;
  const textWhenSet = scalar.env && !convert ? scalar.env.name : undefined;
  const base = { scalar, ...(textWhenSet ? { textWhenSet } : {}) };
  const lit = scalar.literal;
  if (!lit) return { ...base, unknown: scalar.unknown ?? 'not known' };
  if (convert && convert !== 'boolean') {
    const n = converted(lit, convert);
    if (n !== undefined) return { ...base, n };
  }
  if (lit.kind === 'number') return { ...base, n: lit.value };
  if (lit.kind === 'string') return { ...base, text: lit.value };
  return { ...base, other: lit };
}

/** A string as the program gets it (the fallback of an environment value when unset), or undefined. */
export function stringOf(v: JsValue | undefined): string | undefined {
  if (!v) return undefined;
  const lit = jsScalarOf(v).literal;
  return lit?.kind === 'string' ? lit.value : undefined;
}

/** An object's properties by key, or undefined when the value is not an object literal. */
export function propsOf(v: JsValue | undefined): { props: Map<string, JsProperty>; open?: { reason: string; span: Span } } | undefined {
  if (v?.kind !== 'object') return undefined;
  const props = new Map<string, JsProperty>();
  for (const p of v.properties) props.set(p.key, p);
  const spread = v.spreads?.[0];
  return { props, ...(spread ? { open: { reason: `...${describe(spread.value)}`, span: spread.span } } : {}) };
}

/** Why a value is not known, in words. */
export function describe(v: JsValue): string {
  return jsScalarOf(v).unknown ?? (v.kind === 'object' ? 'an object' : v.kind);
}

/** The key with where its value comes from: `pool.min (from environment DATABASE_POOL_MIN, default 2)`. */
export function labelled(key: string, s: JsScalar): string {
  return s.note ? `${key} (${s.note})` : key;
}

export function fileOrigin(span: Span): Origin {
  return { kind: 'file', span, via: [] };
}

export function writtenSetting(
  key: string,
  canonicalKey: string,
  property: JsProperty,
  value: Value,
  sources: ReadonlyMap<string, string> | undefined,
  unit?: 'ms' | 's',
): Setting {
  const s = jsScalarOf(property.value);
  const lit = s.literal;
  return {
    key: labelled(key, s),
    canonicalKey,
    raw: rawOf(property.value, sources),
    text: lit ? (lit.kind === 'string' ? lit.value : jsRepr(lit)) : null,
    value,
    origin: fileOrigin(property.span),
    ...jsValueSpanOf(property.value, property.span, sources),
    overrides: (property.overrides ?? []).map(fileOrigin),
    ...(unit ? { unit } : {}),
    ...(s.env ? { writeAs: jsEnvWriteAs(s) } : {}),
  };
}

/** A key the object does not list but an unexpanded spread may set: unknown, at the spread. */
export function maySpread(key: string, canonicalKey: string, open: { reason: string; span: Span }, unit?: 'ms' | 's'): Setting {
  return {
    key,
    canonicalKey,
    raw: null,
    text: null,
    value: { kind: 'unknown', reason: `${key} may be set by ${open.reason}, which is not known here` },
    origin: fileOrigin(open.span),
    overrides: [],
    ...(unit ? { unit } : {}),
  };
}

/** What a connection URL names, read as WHATWG `URL` reads it (no password kept). */
export interface UrlParts {
  protocol: string;
  host?: string;
  query: Map<string, string>;
}

export function parseUrl(text: string): UrlParts | undefined {
  const m = /^([a-zA-Z][\w+.-]*):\/\//.exec(text.trim());
  if (!m) return undefined;
  try {
    const u = new URL(text.trim());
    const host = decodeURIComponent(u.hostname)
      .replace(/^\[|\]$/g, '')
      .toLowerCase();
    return {
      protocol: (m[1] as string).toLowerCase(),
      ...(host ? { host } : {}),
      query: new Map(u.searchParams),
    };
  } catch {
    return { protocol: (m[1] as string).toLowerCase(), query: new Map() };
  }
}

/** A host a pool can be linked by: not a socket path, not a template. */
export function usableHost(host: string | undefined): string | undefined {
  if (!host || host.startsWith('/') || /[$%{}<>[\]\s]/.test(host)) return undefined;
  return host.toLowerCase();
}

export const ENGINE_OF_SCHEME: Record<string, Engine> = {
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mariadb',
  postgres: 'postgresql',
  postgresql: 'postgresql',
};

/** One configuration per case of every `NODE_ENV` (or other) branch in the value, outside functions. */
export interface BranchCase {
  value: JsValue;
  /** `production`, `DATABASE_CLIENT=mysql`, one per branch taken. */
  labels: string[];
  /** `NODE_ENV is "production" (knexfile.js:3)`. */
  notes: string[];
}

function firstBranch(v: JsValue, depth = 0): Extract<JsValue, { kind: 'branch' }> | undefined {
  if (depth > 40) return undefined;
  if (v.kind === 'branch') return v;
  if (v.kind === 'object') {
    for (const p of v.properties) {
      const b = firstBranch(p.value, depth + 1);
      if (b) return b;
    }
  }
  if (v.kind === 'array') {
    for (const i of v.items) {
      const b = firstBranch(i, depth + 1);
      if (b) return b;
    }
  }
  return undefined;
}

function replaced(v: JsValue, target: JsValue, by: JsValue): JsValue {
  if (v === target) return by;
  if (v.kind === 'object') {
    let changed = false;
    const properties = v.properties.map((p) => {
      const nv = replaced(p.value, target, by);
      if (nv === p.value) return p;
      changed = true;
      return { ...p, value: nv };
    });
    return changed ? { ...v, properties } : v;
  }
  if (v.kind === 'array') {
    let changed = false;
    const items = v.items.map((i) => {
      const ni = replaced(i, target, by);
      if (ni !== i) changed = true;
      return ni;
    });
    return changed ? { ...v, items } : v;
  }
  return v;
}

/** Label of one case: the value itself for NODE_ENV, `VAR=value` for another variable; `NODE_ENV not production` for the rest. */
function caseLabel(b: Extract<JsValue, { kind: 'branch' }>, when: string | null): string {
  if (when !== null) return b.variable === 'NODE_ENV' ? when : `${b.variable}=${when}`;
  const others = b.cases.map((c) => c.when).filter((w): w is string => w !== null);
  return `${b.variable} not ${others.join('/') || 'set'}`;
}

function caseNote(b: Extract<JsValue, { kind: 'branch' }>, when: string | null): string {
  const where = formatSpan(b.span);
  if (when !== null) return `when ${b.variable} is ${JSON.stringify(when)} (${where})`;
  const others = b.cases.map((c) => c.when).filter((w): w is string => w !== null);
  return `when ${b.variable} is none of ${others.map((o) => JSON.stringify(o)).join(', ')} (${where})`;
}

export function expandBranches(value: JsValue, limit = 16): BranchCase[] {
  let cases: BranchCase[] = [{ value, labels: [], notes: [] }];
  for (let round = 0; round < 8; round++) {
    let any = false;
    const next: BranchCase[] = [];
    for (const c of cases) {
      const b = firstBranch(c.value);
      if (!b || next.length + b.cases.length > limit) {
        next.push(c);
        continue;
      }
      any = true;
      for (const k of b.cases) {
        next.push({
          value: replaced(c.value, b, k.value),
          labels: [...c.labels, caseLabel(b, k.when)],
          notes: [...c.notes, caseNote(b, k.when)],
        });
      }
    }
    cases = next;
    if (!any) break;
  }
  return cases;
}
