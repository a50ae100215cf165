import { literalTokenSpan, type Setting } from '../../model/setting.js';
import type { ProvidedValue } from '../python/environment.js';
/**
 * What one Python value is to a library that reads it (issue 17, "Static evaluation"): a literal, a
 * value from the environment (with the default the code gives, and the type the program gets when the
 * variable is set), or unknown with the reason. Shared by the SQLAlchemy, Flask-SQLAlchemy and Django
 * interpreters: none of them ever guesses a value the code does not give.
 */
import { maskSecrets } from '../../model/secrets.js';
import { type Span, spanText } from '../../model/span.js';
import type { PyCall, PyEnv, PyValue } from '../python/value.js';
import { isPySpace, pyStrip } from '../python/text.js';

export type PyLiteral = Extract<PyValue, { kind: 'int' | 'float' | 'str' | 'bool' | 'none' }>;
export type PyCast = NonNullable<PyEnv['cast']>;

export interface EnvSource {
  name: string;
  /** How it is read, for messages (`os.environ.get`); the evaluator's ` or` suffix dropped. */
  via: string;
  /** The type the program gets when the variable is set: text unless something converts it. */
  typeWhenSet: PyCast;
  hasDefault: boolean;
  /** Where the tree sets the variable, when it does (`docker-compose.yml:12`, `.env:3`). */
  suppliedBy?: string;
  /** That place, where a finding about the value points (the code that reads it is the origin's `via`). */
  suppliedAt?: Span;
}

export interface Scalar {
  /** The literal the program gets (for an environment value: the default, when the variable is unset); undefined when unknown. */
  literal?: PyLiteral;
  /** Why the value is not known. */
  unknown?: string;
  env?: EnvSource;
  /** Words for the key in messages: `from environment POOL_RECYCLE, default 3600`. */
  note?: string;
  span: Span;
}

/** Python's `int(text)` for base 10: surrounding whitespace, a sign, digits with single underscores between them. */
export function pyInt(text: string): number | undefined {
  const t = pyStrip(text);
  return /^[+-]?\d+(?:_\d+)*$/.test(t) ? Number(t.replace(/_/g, '')) : undefined;
}

/** Python's `repr()` of a literal, for messages (strings in double quotes, as connlint quotes values). */
export function pyRepr(v: PyLiteral): string {
  switch (v.kind) {
    case 'int':
      return String(v.value);
    case 'float':
      return Number.isInteger(v.value) && Math.abs(v.value) < 1e16 ? `${v.value}.0` : String(v.value);
    case 'str':
      return JSON.stringify(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
  }
}

/** What Python's `str()` gives for a literal (the text a program would read from it). */
export function pyStr(v: PyLiteral): string {
  return v.kind === 'str' ? v.value : pyRepr(v);
}

/** Python truthiness: `if value:`. A non-empty string is true whatever it says (`"false"`, `"0"`). */
export function pyTruthy(v: PyLiteral): boolean {
  switch (v.kind) {
    case 'int':
    case 'float':
      return v.value !== 0;
    case 'str':
      return v.value.length > 0;
    case 'bool':
      return v.value;
    case 'none':
      return false;
  }
}

/** Is it a literal Python value (not a container, a call, an environment lookup or unknown)? */
export function isLiteral(v: PyValue): v is PyLiteral {
  return v.kind === 'int' || v.kind === 'float' || v.kind === 'str' || v.kind === 'bool' || v.kind === 'none';
}

/** Why a non-literal value is not known, in words for messages. */
export function unknownReason(v: PyValue): string {
  switch (v.kind) {
    case 'call':
      return `the result of ${v.written ?? v.callee}(...), which is not evaluated`;
    case 'dict':
    case 'list':
    case 'tuple':
      return `a ${v.kind}, not a single value`;
    case 'ref':
      return `${v.name}, a name from outside the scanned tree`;
    case 'class':
      return `the class ${v.name}`;
    case 'unknown':
      return v.reason;
    case 'env':
      return `it comes from environment variable ${v.name}, which has no default here`;
    default:
      return 'not known';
  }
}

/**
 * The value a library gets from a Python expression, and where it comes from. An environment value's
 * `default` is what the code gets when the variable is unset, already converted as the library converts
 * it (the evaluator's contract, value.ts); `cast` is what is applied to the variable's text when it is
 * set, so without one the program gets text. A value that is one of several candidates is known only
 * when they all agree.
 */
export function scalarOf(v: PyValue): Scalar {
  if (isLiteral(v)) return { literal: v, span: v.span };
  if (v.kind === 'unknown' && v.candidates && v.candidates.length > 0) {
    const all = v.candidates.map(scalarOf);
    const first = all[0] as Scalar;
    const same = all.every(
      (c) => c.literal && first.literal && !c.env && pyRepr(c.literal) === pyRepr(first.literal) && c.literal.kind === first.literal.kind,
    );
    if (same && first.literal) return { literal: { ...first.literal, span: v.span } as PyLiteral, span: v.span };
    return { unknown: v.reason, span: v.span };
  }
  if (v.kind !== 'env') return { unknown: unknownReason(v), span: v.span };
  const env: EnvSource = {
    name: v.name,
    via: v.via.replace(/ or$/, ''),
    typeWhenSet: v.cast ?? 'str',
    hasDefault: v.default !== undefined,
  };
  const provided = provider?.(v);
  if (provided) return providedScalar(v, { ...env, suppliedBy: provided.where, suppliedAt: provided.span }, provided);
  if (!v.default)
    return {
      unknown: `it comes from environment variable ${v.name}, which has no default here`,
      env,
      note: `from environment ${v.name}`,
      span: v.span,
    };
  const d = scalarOf(v.default);
  if (!d.literal) {
    const note = `from environment ${v.name}${d.note ? `, else ${d.note}` : ''}`;
    return { unknown: `it comes from environment variable ${v.name}, whose default is ${d.unknown}`, env, note, span: v.span };
  }
  // A default URL may hold a password: notes end up in keys and messages, so it is masked here.
  const note = maskSecrets('', `from environment ${v.name}, default ${d.note ? `${pyRepr(d.literal)} ${d.note}` : pyRepr(d.literal)}`);
  return { literal: d.literal, env, note, span: v.span };
}

type Provider = (env: PyEnv) => ProvidedValue | undefined;
let provider: Provider | undefined;

/**
 * Runs `fn` with the values the tree supplies for environment variables (a Compose service's
 * `environment:`, decouple's `.env`): scalarOf then reads an environment lookup as the value it gets.
 */
export function withEnvironment<T>(p: Provider, fn: () => T): T {
  const previous = provider;
  provider = p;
  try {
    return fn();
  } finally {
    provider = previous;
  }
}

const TRUE_WORDS = new Set(['y', 'yes', 't', 'true', 'on', '1']);
const FALSE_WORDS = new Set(['n', 'no', 'f', 'false', 'off', '0']);

/** The value a lookup gets from a supplied text, converted as the lookup converts it. */
function providedScalar(v: PyEnv, env: EnvSource, p: ProvidedValue): Scalar {
  const from = `from environment ${v.name}`;
  if (p.text === null)
    return { unknown: `${from}, passed in by ${p.where} from the environment it runs in`, env, note: `${from} (${p.where})`, span: v.span };
  const text = p.text;
  const span = v.span;
  let literal: PyLiteral | undefined;
  let fails: string | undefined;
  switch (v.cast) {
    case undefined:
    case 'str':
      literal = { kind: 'str', value: text, span };
      break;
    case 'int': {
      const n = pyInt(text);
      if (n === undefined) fails = `int(${JSON.stringify(text)}) raises ValueError`;
      else literal = { kind: 'int', value: n, span };
      break;
    }
    case 'float': {
      const t = pyStrip(text);
      if (/^[+-]?(?:\d+(?:_\d+)*\.?(?:\d+(?:_\d+)*)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?$/.test(t))
        literal = { kind: 'float', value: Number(t.replace(/_/g, '')), span };
      else fails = `float(${JSON.stringify(text)}) is not known here`;
      break;
    }
    case 'bool': {
      // decouple's cast=bool (strtobool; the empty string is False); other libraries' words are not read here.
      const w = text.toLowerCase();
      if (v.via === 'decouple.config' && (w === '' || TRUE_WORDS.has(w) || FALSE_WORDS.has(w)))
        literal = { kind: 'bool', value: TRUE_WORDS.has(w), span };
      else fails = `${v.via} reads ${JSON.stringify(text)} as a boolean in a way connlint does not apply`;
      break;
    }
  }
  const note = maskSecrets('', `${from} = ${literal ? pyRepr(literal) : JSON.stringify(text)} (${p.where})`);
  if (!literal) return { unknown: `${from}: ${fails}`, env, note, span };
  return { literal, env, note, span };
}

/** Source texts by path, for quoting values exactly as written. */
export type SourceTexts = ReadonlyMap<string, string>;

/** A value as written in the source when the text is at hand, else its Python form. */
export function rawOf(v: PyValue, sources: SourceTexts | undefined): string {
  const text = sources?.get(v.span.path);
  const written = text === undefined ? undefined : spanText(text, v.span);
  if (written !== undefined) return written;
  if (isLiteral(v)) return pyRepr(v);
  if (v.kind === 'env') return `${v.via}(${JSON.stringify(v.name)}${v.default && isLiteral(v.default) ? `, ${pyRepr(v.default)}` : ''})`;
  if (v.kind === 'call') return `${v.written ?? v.callee}(...)`;
  if (v.kind === 'ref' || v.kind === 'class') return v.name;
  return `<${v.kind}>`;
}

export interface DictItem {
  key: string;
  value: PyValue;
  /** `key: value`, or the statement that set it. */
  span: Span;
  /** Earlier values of the key it replaced, oldest first. */
  overrides: Span[];
}

export interface DictView {
  /** Keys in insertion order, each with its final value; a value a merge may have replaced is unknown. */
  items: DictItem[];
  /** Set when a merge connlint could not expand may have added keys not in `items`. */
  open?: { reason: string; span: Span };
}

/**
 * A dict with string keys as Python leaves it, merges applied (`{**opts}`, `d.update(call())`): `expand`
 * turns a merged value it understands into a dict (a dj_database_url call); a merge it does not is
 * unknown, so a key set before it may have been replaced and keys not listed may exist.
 */
export function dictView(v: PyValue, expand?: (merged: PyValue) => PyValue | undefined): DictView | undefined {
  if (v.kind !== 'dict') return undefined;
  const merges = (v.merges ?? []).map((m) => {
    const expanded = expand?.(m.value) ?? (m.value.kind === 'dict' ? m.value : undefined);
    return { merge: m, inner: expanded ? dictView(expanded, expand) : undefined };
  });
  const out = new Map<string, DictItem>();
  const written = new Set<string>();
  for (const e of v.entries) {
    if (e.key.kind !== 'str') continue;
    const key = e.key.value;
    written.add(key);
    let item: DictItem = { key, value: e.value, span: e.span, overrides: e.overrides ?? [] };
    for (const k of e.laterMerges ?? []) {
      const m = merges[k];
      if (!m) continue;
      const hit = m.inner?.items.find((i) => i.key === key);
      if (hit) item = { ...hit, overrides: [...item.overrides, item.span] };
      else if (!m.inner || m.inner.open) {
        const what = unknownReason(m.merge.value);
        item = {
          key,
          value: { kind: 'unknown', reason: `${key} may be replaced by a merge that is not known here (${what})`, span: m.merge.span },
          span: m.merge.span,
          overrides: [...item.overrides, item.span],
        };
      }
    }
    out.delete(key);
    out.set(key, item);
  }
  let open: DictView['open'];
  for (const m of merges) {
    if (!m.inner) {
      open ??= { reason: `it merges ${unknownReason(m.merge.value)}`, span: m.merge.span };
      continue;
    }
    if (m.inner.open) open ??= m.inner.open;
    for (const i of m.inner.items) {
      if (written.has(i.key)) continue;
      const before = out.get(i.key);
      out.delete(i.key);
      out.set(i.key, before ? { ...i, overrides: [...before.overrides, before.span] } : i);
    }
  }
  return { items: [...out.values()], ...(open ? { open } : {}) };
}

/** The items of a dict (see dictView), or undefined when the value is not a dict. */
export function dictItems(v: PyValue): DictItem[] | undefined {
  return dictView(v)?.items;
}

/** A keyword argument of a call, if given. */
export function kwarg(call: PyCall, name: string): { name: string; value: PyValue; span: Span } | undefined {
  let found: { name: string; value: PyValue; span: Span } | undefined;
  for (const k of call.kwargs) if (k.name === name) found = k;
  return found;
}

export { isPySpace, pyStrip };

/** Settings read from Python source: advice spells booleans as Python does (`True`). */
export function withPythonLiterals(settings: Map<string, Setting>): Map<string, Setting> {
  for (const s of settings.values()) s.literals = { true: 'True', false: 'False' };
  return settings;
}

/** What a user changes for a value read from the environment: the variable, or the default the code gives. */
export function envWriteAs(s: Scalar): string | undefined {
  if (!s.env) return undefined;
  if (s.env.suppliedBy) return `the environment variable ${s.env.name} (${s.env.suppliedBy})`;
  return s.env.hasDefault
    ? `the environment variable ${s.env.name} (or the default in the code)`
    : `the environment variable ${s.env.name}`;
}

/** Where a value that runs is set: the line that supplies an environment variable (reached through the code that reads it), else the code. */
export function valueOrigin(span: Span, s: Scalar): Setting['origin'] {
  return s.env?.suppliedAt ? { kind: 'file', span: s.env.suppliedAt, via: [span] } : { kind: 'file', span, via: [] };
}

/**
 * `{ valueSpan }` when `value` is a literal written inside `within` (its `key: value` or keyword argument), not a
 * name, an expression or an environment lookup; else `{}`. `sources` holds the file texts.
 */
export function pyValueSpanOf(value: PyValue, within: Span, sources: SourceTexts | undefined): { valueSpan?: Span } {
  if (value.kind === 'none') return literalSpanOf(sources, value.span, null, within);
  if (value.kind !== 'int' && value.kind !== 'float' && value.kind !== 'str' && value.kind !== 'bool') return {};
  return literalSpanOf(sources, value.span, value.value, within);
}

function literalSpanOf(
  sources: SourceTexts | undefined,
  span: Span,
  value: number | string | boolean | null,
  within: Span,
): { valueSpan?: Span } {
  const valueSpan = literalTokenSpan(sources?.get(span.path), span, value, within, { true: 'True', false: 'False', null: 'None' });
  return valueSpan ? { valueSpan } : {};
}
