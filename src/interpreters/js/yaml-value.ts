/**
 * A YAML node (from `parseYaml`, positions kept) as the JsValue a Node program gets when it loads the
 * file with js-yaml (TypeORM's `ormconfig.yml`), so the JavaScript interpreters read it like any other
 * options object and a finding points at the line of the value. The text is composed by the `yaml`
 * package; what js-yaml makes of it is applied here (nodeca/js-yaml lib/type/*.js @ 3.14.1 and 4.1.0,
 * the default schema of `safeLoad` (3.x) and `load` (4.x)):
 * - a plain scalar is tried as null (`~`, `null`, `Null`, `NULL`, nothing), bool (`true`, `True`, `TRUE`,
 *   `false` ...), int (`_` separators; `0b`, `0x`; 3.x reads a leading `0` as octal and `1:30` as base 60,
 *   4.x takes `0o` and reads `010` as ten), float (`.5`, `1e3`, `.inf`, `.nan`; 3.x also base 60), then
 *   timestamp (a Date); else it is a string. Quoted and block scalars are strings;
 * - where js-yaml 3 and 4 read a scalar differently, the value is unknown, with both readings;
 * - `<<` merges the mapping it names (or each of a list of them, the first winning) under keys the
 *   mapping does not write itself, as js-yaml's merge type does;
 * - keys are strings (`String(key)`); an alias is the node its anchor names.
 * Duplicate keys, several documents and syntax errors make js-yaml throw; `parseYaml` reports them,
 * and the caller decides what a file with problems gives.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { Span } from '../../model/span.js';
import { MAX_ALIASED_NODES, MAX_NESTING, type YamlFile } from '../../parsers/yaml.js';
import type { JsProperty, JsValue } from './value.js';
import { LastKeyWins } from './last-key-wins.js';

const STR = 'tag:yaml.org,2002:str';
const NULL_TAG = 'tag:yaml.org,2002:null';
const BOOL = 'tag:yaml.org,2002:bool';
const INT = 'tag:yaml.org,2002:int';
const FLOAT = 'tag:yaml.org,2002:float';

type Plain =
  | { kind: 'null' }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'date' }
  | { kind: 'string'; value: string };

function resolveNull(s: string): boolean {
  return s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL';
}

function resolveBool(s: string): boolean | undefined {
  if (s === 'true' || s === 'True' || s === 'TRUE') return true;
  if (s === 'false' || s === 'False' || s === 'FALSE') return false;
  return undefined;
}

const BIN = /^[01]$/;
const OCT = /^[0-7]$/;
const DEC = /^[0-9]$/;
const HEX = /^[0-9a-fA-F]$/;

/** Digits of one base with `_` allowed between, not at the end (js-yaml's loop). */
function digitsWithUnderscores(s: string, digit: RegExp): boolean {
  let has = false;
  let last = '';
  for (const ch of s) {
    last = ch;
    if (ch === '_') continue;
    if (!digit.test(ch)) return false;
    has = true;
  }
  return has && last !== '_';
}

function sign(s: string): { sign: number; rest: string } {
  if (s.startsWith('-')) return { sign: -1, rest: s.slice(1) };
  if (s.startsWith('+')) return { sign: 1, rest: s.slice(1) };
  return { sign: 1, rest: s };
}

/** js-yaml 4.1.0 lib/type/int.js. */
function int4(s: string): number | undefined {
  const { sign: k, rest } = sign(s);
  if (rest === '') return undefined;
  if (rest === '0') return 0;
  if (rest[0] === '0') {
    const base = rest[1] === 'b' ? 2 : rest[1] === 'x' ? 16 : rest[1] === 'o' ? 8 : undefined;
    if (base !== undefined) {
      const digits = rest.slice(2);
      if (!digitsWithUnderscores(digits, base === 2 ? BIN : base === 16 ? HEX : OCT)) return undefined;
      return k * Number.parseInt(digits.replace(/_/g, ''), base);
    }
  }
  if (rest[0] === '_' || !digitsWithUnderscores(rest, DEC)) return undefined;
  return k * Number.parseInt(rest.replace(/_/g, ''), 10);
}

/** js-yaml 3.14.1 lib/js-yaml/type/int.js: a leading 0 is octal, `1:30` is base 60. */
function int3(s: string): number | undefined {
  const { sign: k, rest } = sign(s);
  if (rest === '') return undefined;
  if (rest === '0') return 0;
  if (rest[0] === '0') {
    if (rest[1] === 'b' || rest[1] === 'x') {
      const digits = rest.slice(2);
      const base = rest[1] === 'b' ? 2 : 16;
      if (!digitsWithUnderscores(digits, base === 2 ? BIN : HEX)) return undefined;
      return k * Number.parseInt(digits.replace(/_/g, ''), base);
    }
    const digits = rest.slice(1);
    if (!digitsWithUnderscores(digits, OCT)) return undefined;
    return k * Number.parseInt(digits.replace(/_/g, ''), 8);
  }
  if (rest[0] === '_') return undefined;
  const colon = rest.indexOf(':');
  const head = colon < 0 ? rest : rest.slice(0, colon);
  if (!digitsWithUnderscores(head, DEC)) return undefined;
  if (colon < 0) return k * Number.parseInt(rest.replace(/_/g, ''), 10);
  if (!/^(?::[0-5]?[0-9])+$/.test(rest.slice(colon))) return undefined;
  let value = 0;
  for (const part of rest.replace(/_/g, '').split(':')) value = value * 60 + Number.parseInt(part, 10);
  return k * value;
}

const FLOAT4 =
  /^(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const FLOAT3 =
  /^(?:[-+]?(?:0|[1-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function float(s: string, pattern: RegExp): number | undefined {
  if (!pattern.test(s) || s.endsWith('_')) return undefined;
  const { sign: k, rest } = sign(s.replace(/_/g, '').toLowerCase());
  if (rest === '.inf') return k * Number.POSITIVE_INFINITY;
  if (rest === '.nan') return Number.NaN;
  if (rest.includes(':')) {
    let value = 0;
    for (const part of rest.split(':')) value = value * 60 + Number.parseFloat(part);
    return k * value;
  }
  return k * Number.parseFloat(rest);
}

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const TIMESTAMP =
  /^[0-9]{4}-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9]{2})?))?$/;

/** A plain scalar's value under js-yaml 3 or 4 (the implicit types in schema order). */
function plain(s: string, major: 3 | 4): Plain {
  if (resolveNull(s)) return { kind: 'null' };
  const b = resolveBool(s);
  if (b !== undefined) return { kind: 'boolean', value: b };
  const i = major === 3 ? int3(s) : int4(s);
  if (i !== undefined) return { kind: 'number', value: i };
  const f = float(s, major === 3 ? FLOAT3 : FLOAT4);
  if (f !== undefined) return { kind: 'number', value: f };
  if (DATE.test(s) || TIMESTAMP.test(s)) return { kind: 'date' };
  return { kind: 'string', value: s };
}

function samePlain(a: Plain, b: Plain): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'number' && b.kind === 'number') return Object.is(a.value, b.value);
  if (a.kind === 'string' && b.kind === 'string') return a.value === b.value;
  if (a.kind === 'boolean' && b.kind === 'boolean') return a.value === b.value;
  return true;
}

function describe(p: Plain): string {
  switch (p.kind) {
    case 'number':
      return String(p.value);
    case 'string':
      return `the string ${JSON.stringify(p.value)}`;
    case 'boolean':
      return String(p.value);
    case 'date':
      return 'a date';
    default:
      return 'null';
  }
}

function fromPlain(p: Plain, span: Span): JsValue {
  switch (p.kind) {
    case 'null':
      return { kind: 'null', span };
    case 'boolean':
      return { kind: 'boolean', value: p.value, span };
    case 'number':
      return { kind: 'number', value: p.value, span };
    case 'string':
      return { kind: 'string', value: p.value, span };
    default:
      return { kind: 'unknown', reason: 'js-yaml reads it as a timestamp (a Date object), not a number or string', span };
  }
}

function scalarValue(node: Scalar, span: Span): JsValue {
  const source = typeof node.source === 'string' ? node.source : String(node.value ?? '');
  const tag = node.tag;
  const isPlain = node.type === 'PLAIN' || node.type === undefined;
  if (tag === STR || (!isPlain && (tag === undefined || tag === '!'))) return { kind: 'string', value: source, span };
  if (tag !== undefined && tag !== NULL_TAG && tag !== BOOL && tag !== INT && tag !== FLOAT)
    return { kind: 'unknown', reason: `the tag ${tag} is not a type js-yaml's default schema reads as a number or string`, span };
  const v3 = plain(source, 3);
  const v4 = plain(source, 4);
  if (tag !== undefined) {
    // An explicit core tag: js-yaml accepts the scalar only when that type resolves it.
    const want = tag === NULL_TAG ? 'null' : tag === BOOL ? 'boolean' : 'number';
    const ok = (p: Plain) => p.kind === want && (tag !== INT || (p.kind === 'number' && Number.isInteger(p.value)));
    if (!ok(v3) || !ok(v4)) return { kind: 'unknown', reason: `js-yaml rejects ${JSON.stringify(source)} as ${tag}`, span };
  }
  if (!samePlain(v3, v4))
    return {
      kind: 'unknown',
      reason: `js-yaml 3 reads ${JSON.stringify(source)} as ${describe(v3)} and js-yaml 4 as ${describe(v4)}, and which one loads the file is not known here`,
      span,
    };
  return fromPlain(v4, span);
}

/** The js-yaml value of a node (undefined node: nothing written, which js-yaml reads as null). */
export function yamlToJsValue(file: YamlFile, node: unknown, fallback: Span): JsValue {
  const budget = { left: MAX_ALIASED_NODES };
  return convert(file, node, fallback, 0, budget);
}

function convert(file: YamlFile, at: unknown, fallback: Span, depth: number, budget: { left: number }): JsValue {
  if (isAlias(at) && --budget.left < 0) return { kind: 'unknown', reason: 'aliases expand too far to be read', span: file.spanOf(at) };
  const node = file.resolve(at);
  const span = node?.range && node.range[1] > node.range[0] ? file.spanOf(node) : isNode(at) && at.range ? file.spanOf(at) : fallback;
  if (depth > MAX_NESTING) return { kind: 'unknown', reason: 'nested too deeply to be read', span };
  if (!node) return { kind: 'null', span };
  if (isScalar(node)) return scalarValue(node, span);
  if (isSeq(node)) return { kind: 'array', items: node.items.map((item) => convert(file, item, span, depth + 1, budget)), span };
  if (isMap(node)) {
    const own = new LastKeyWins();
    const merged: JsProperty[] = [];
    for (const pair of node.items) {
      const key = file.resolve(pair.key);
      const keySpan = isNode(pair.key) && pair.key.range ? file.spanOf(pair.key) : span;
      const value = convert(file, pair.value, keySpan, depth + 1, budget);
      if (isScalar(pair.key) && (pair.key.type === 'PLAIN' || pair.key.type === undefined) && pair.key.source === '<<' && !pair.key.tag) {
        // js-yaml's merge: each named mapping adds the keys not yet present; keys written here always win.
        const sources = value.kind === 'array' ? value.items : [value];
        for (const s of sources) if (s.kind === 'object') merged.push(...s.properties);
        continue;
      }
      const name = keyText(file, key);
      const end =
        value.span.endLine > keySpan.endLine || (value.span.endLine === keySpan.endLine && value.span.endColumn > keySpan.endColumn);
      const whole: Span = end ? { ...keySpan, endLine: value.span.endLine, endColumn: value.span.endColumn } : keySpan;
      own.add({ key: name, value, span: whole, keySpan });
    }
    const properties = own.properties();
    const names = new Set(properties.map((p) => p.key));
    for (const p of merged) {
      if (names.has(p.key)) continue;
      names.add(p.key);
      properties.push(p);
    }
    return { kind: 'object', properties, span };
  }
  return { kind: 'unknown', reason: 'not a YAML value js-yaml reads', span };
}

/** A key as js-yaml names the property: `String()` of its value. */
function keyText(file: YamlFile, key: Node | null): string {
  if (isScalar(key)) {
    const v = scalarValue(key, file.spanOf(key));
    if (v.kind === 'string') return v.value;
    if (v.kind === 'number' || v.kind === 'boolean') return String(v.value);
    if (v.kind === 'null') return 'null';
  }
  return file.keyName(key);
}
