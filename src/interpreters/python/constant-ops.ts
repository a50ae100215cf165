import type { Span } from '../../model/span.js';
import { isConstant, unknown, type Val } from './eval-value.js';
import { pyStrip } from './text.js';

/*
 * Python's semantics for operators, truthiness, `str()`/`repr()` and the `int()`/`float()`/`str()`/`bool()`
 * conversions, on constants only (issue 17: "arithmetic on constants", "int(...)/float(...)/str(...) of
 * constants"). Anything else is unknown with the reason; an operation Python itself would refuse
 * (ZeroDivisionError, ValueError, TypeError) comes back as `{ raises }`, since the module stops importing there.
 */

export type OpResult = Val | { raises: string };

/** Results larger than this are not built (`[0] * 10**9`, `2 ** 10**9`): unknown instead. */
const MAX_ITEMS = 10_000;
const MAX_STRING = 1_000_000;
const MAX_INT_BITS = 4096;

function bitLength(n: bigint): number {
  return (n < 0n ? -n : n).toString(2).length;
}

/** int view of int and bool (bool is an int subclass in Python). */
function asInt(v: Val): bigint | undefined {
  if (v.kind === 'int') return v.value;
  if (v.kind === 'bool') return v.value ? 1n : 0n;
  return undefined;
}

function asNumber(v: Val): number | undefined {
  if (v.kind === 'float') return v.value;
  const i = asInt(v);
  return i === undefined ? undefined : Number(i);
}

/** Python truthiness, when known. */
export function truthiness(v: Val): boolean | undefined {
  switch (v.kind) {
    case 'int':
      return v.value !== 0n;
    case 'float':
      return v.value !== 0;
    case 'str':
      return v.value.length > 0;
    case 'bool':
      return v.value;
    case 'none':
      return false;
    case 'list':
    case 'tuple':
      return v.items.length > 0;
    case 'dict':
      return v.entries.length > 0 ? true : v.merges.length ? undefined : false;
    case 'class':
    case 'module':
    case 'function':
      return true;
    case 'ref':
      // typing.TYPE_CHECKING is False when the program runs.
      return v.name === 'typing.TYPE_CHECKING' || v.name === 'typing_extensions.TYPE_CHECKING' ? false : undefined;
    default:
      return undefined;
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function pyMod(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
}

function floatMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

function typeName(v: Val): string {
  switch (v.kind) {
    case 'int':
    case 'float':
    case 'str':
    case 'bool':
    case 'dict':
    case 'list':
    case 'tuple':
      return v.kind;
    case 'none':
      return 'NoneType';
    default:
      return v.kind;
  }
}

/** `a op b` for arithmetic and bit operators. */
export function binaryOp(op: string, a: Val, b: Val, span: Span): OpResult {
  const ai = asInt(a);
  const bi = asInt(b);
  if (ai !== undefined && bi !== undefined) return intOp(op, ai, bi, span);
  const an = asNumber(a);
  const bn = asNumber(b);
  if (an !== undefined && bn !== undefined) return floatOp(op, an, bn, span);
  if (a.kind === 'str' && b.kind === 'str' && op === '+') {
    if (a.value.length + b.value.length > MAX_STRING) return unknown('a string too long to build', span);
    return { kind: 'str', value: a.value + b.value, span };
  }
  if (op === '*' && ((a.kind === 'str' && bi !== undefined) || (b.kind === 'str' && ai !== undefined))) {
    const s = a.kind === 'str' ? a.value : (b as Val & { kind: 'str' }).value;
    const n = Number(a.kind === 'str' ? bi : ai);
    if (s.length * Math.max(n, 0) > MAX_STRING) return unknown('a string too long to build', span);
    return { kind: 'str', value: n > 0 ? s.repeat(n) : '', span };
  }
  if ((a.kind === 'list' || a.kind === 'tuple') && b.kind === a.kind && op === '+') {
    if (a.items.length + b.items.length > MAX_ITEMS) return unknown('a sequence too long to build', span);
    return { kind: a.kind, items: [...a.items, ...b.items], span };
  }
  if (
    op === '*' &&
    (((a.kind === 'list' || a.kind === 'tuple') && bi !== undefined) || ((b.kind === 'list' || b.kind === 'tuple') && ai !== undefined))
  ) {
    const seq = (a.kind === 'list' || a.kind === 'tuple' ? a : b) as Val & { kind: 'list' | 'tuple' };
    const n = Math.max(Number(a.kind === 'list' || a.kind === 'tuple' ? bi : ai), 0);
    if (seq.items.length * n > MAX_ITEMS) return unknown('a sequence too long to build', span);
    const items: Val[] = [];
    for (let i = 0; i < n; i++) items.push(...seq.items);
    return { kind: seq.kind, items, span };
  }
  if (op === '|' && a.kind === 'dict' && b.kind === 'dict') return unknown('dict union', span);
  if (a.kind === 'str' && op === '%') return unknown('printf-style string formatting', span, prefixOfFormat(a.value, '%'));
  if (isConstant(a) && isConstant(b)) {
    return { raises: `TypeError: unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'` };
  }
  const prefix = op === '+' ? knownPrefix(a) : undefined;
  return unknown(`${describe(a)} ${op} ${describe(b)}`, span, prefix !== undefined ? { prefix } : undefined);
}

/** The known start of a string value (a constant, or an unknown string built from a known start). */
export function knownPrefix(v: Val): string | undefined {
  if (v.kind === 'str') return v.value;
  if (v.kind === 'unknown') return v.prefix;
  return undefined;
}

function prefixOfFormat(template: string, marker: string): { prefix: string } | undefined {
  const at = template.indexOf(marker);
  return at > 0 ? { prefix: template.slice(0, at) } : undefined;
}

/** A short description of a value for unknown reasons. */
export function describe(v: Val): string {
  switch (v.kind) {
    case 'env':
      return `environment variable ${v.name}`;
    case 'call':
      return `${v.written}(...)`;
    case 'unknown':
      return v.reason;
    case 'ref':
      return v.name;
    case 'bound':
      // An attribute of an imported object or a method (`settings.DATABASE_URL`): its name says more than "a bound".
      return v.callee;
    case 'str':
      return JSON.stringify(v.value.length > 40 ? `${v.value.slice(0, 40)}...` : v.value);
    default:
      return isConstant(v) ? (pyRepr(v) ?? v.kind) : `a ${v.kind}`;
  }
}

function intOp(op: string, a: bigint, b: bigint, span: Span): OpResult {
  switch (op) {
    case '+':
      return { kind: 'int', value: a + b, span };
    case '-':
      return { kind: 'int', value: a - b, span };
    case '*':
      if (bitLength(a) + bitLength(b) > MAX_INT_BITS) return unknown('an integer too large to compute', span);
      return { kind: 'int', value: a * b, span };
    case '/':
      if (b === 0n) return { raises: 'ZeroDivisionError: division by zero' };
      return { kind: 'float', value: Number(a) / Number(b), span };
    case '//':
      if (b === 0n) return { raises: 'ZeroDivisionError: integer division or modulo by zero' };
      return { kind: 'int', value: floorDiv(a, b), span };
    case '%':
      if (b === 0n) return { raises: 'ZeroDivisionError: integer division or modulo by zero' };
      return { kind: 'int', value: pyMod(a, b), span };
    case '**':
      if (b < 0n) {
        if (a === 0n) return { raises: 'ZeroDivisionError: 0.0 cannot be raised to a negative power' };
        return { kind: 'float', value: Number(a) ** Number(b), span };
      }
      if (bitLength(a) * Number(b) > MAX_INT_BITS && a !== 0n && a !== 1n && a !== -1n)
        return unknown('an integer too large to compute', span);
      return { kind: 'int', value: a ** b, span };
    case '<<':
      if (b < 0n) return { raises: 'ValueError: negative shift count' };
      if (bitLength(a) + Number(b) > MAX_INT_BITS && a !== 0n) return unknown('an integer too large to compute', span);
      return { kind: 'int', value: a << b, span };
    case '>>':
      if (b < 0n) return { raises: 'ValueError: negative shift count' };
      return { kind: 'int', value: a >> b, span };
    case '&':
      return { kind: 'int', value: a & b, span };
    case '|':
      return { kind: 'int', value: a | b, span };
    case '^':
      return { kind: 'int', value: a ^ b, span };
    default:
      return unknown(`the operator ${op}`, span);
  }
}

function floatOp(op: string, a: number, b: number, span: Span): OpResult {
  let value: number;
  switch (op) {
    case '+':
      value = a + b;
      break;
    case '-':
      value = a - b;
      break;
    case '*':
      value = a * b;
      break;
    case '/':
      if (b === 0) return { raises: 'ZeroDivisionError: float division by zero' };
      value = a / b;
      break;
    case '//':
      if (b === 0) return { raises: 'ZeroDivisionError: float floor division by zero' };
      value = Math.floor(a / b);
      break;
    case '%':
      if (b === 0) return { raises: 'ZeroDivisionError: float modulo' };
      value = floatMod(a, b);
      break;
    case '**':
      if (a < 0 && !Number.isInteger(b)) return unknown('a complex number', span);
      if (a === 0 && b < 0) return { raises: 'ZeroDivisionError: 0.0 cannot be raised to a negative power' };
      value = a ** b;
      if (!Number.isFinite(value) && Number.isFinite(a) && Number.isFinite(b))
        return { raises: "OverflowError: (34, 'Numerical result out of range')" };
      break;
    default:
      return { raises: `TypeError: unsupported operand type(s) for ${op}: 'float'` };
  }
  return { kind: 'float', value, span };
}

export function unaryOp(op: '-' | '+' | '~' | 'not', v: Val, span: Span): OpResult {
  if (op === 'not') {
    const t = truthiness(v);
    return t === undefined ? unknown(`not ${describe(v)}`, span) : { kind: 'bool', value: !t, span };
  }
  const i = asInt(v);
  if (i !== undefined) {
    if (op === '-') return { kind: 'int', value: -i, span };
    if (op === '+') return { kind: 'int', value: i, span };
    return { kind: 'int', value: -i - 1n, span };
  }
  if (v.kind === 'float') {
    if (op === '~') return { raises: "TypeError: bad operand type for unary ~: 'float'" };
    return { kind: 'float', value: op === '-' ? -v.value : v.value, span };
  }
  if (isConstant(v)) return { raises: `TypeError: bad operand type for unary ${op}: '${typeName(v)}'` };
  return unknown(`${op}${describe(v)}`, span);
}

function constantEquals(a: Val, b: Val): boolean | undefined {
  const an = asNumber(a);
  const bn = asNumber(b);
  if (an !== undefined && bn !== undefined) {
    const ai = asInt(a);
    const bi = asInt(b);
    return ai !== undefined && bi !== undefined ? ai === bi : an === bn;
  }
  if (a.kind === 'str' && b.kind === 'str') return a.value === b.value;
  if (a.kind === 'none' || b.kind === 'none') return isConstant(a) && isConstant(b) ? a.kind === b.kind : undefined;
  if (isConstant(a) && isConstant(b)) return false;
  return undefined;
}

function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** One comparison; chains nest on the left, so `a < b < c` reads as `(a < b) < c`: only the last link is known exactly. */
export function compareOp(op: string, a: Val, b: Val, span: Span): OpResult {
  const known = (value: boolean | undefined): Val =>
    value === undefined ? unknown(`${describe(a)} ${op} ${describe(b)}`, span) : { kind: 'bool', value, span };
  switch (op) {
    case '==':
      return known(constantEquals(a, b));
    case '!=': {
      const e = constantEquals(a, b);
      return known(e === undefined ? undefined : !e);
    }
    case 'is':
    case 'is not': {
      // Identity is known for the singletons None, True and False only.
      const single = (v: Val) => v.kind === 'none' || v.kind === 'bool';
      if ((single(a) && isConstant(b)) || (single(b) && isConstant(a))) {
        const same = a.kind === b.kind && (a.kind !== 'bool' || a.value === (b as Val & { kind: 'bool' }).value);
        return known(op === 'is' ? same : !same);
      }
      if (
        (single(a) || single(b)) &&
        (a.kind === 'dict' || a.kind === 'list' || a.kind === 'tuple' || a.kind === 'class' || a.kind === 'module')
      ) {
        return known(op !== 'is');
      }
      return known(undefined);
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const an = asNumber(a);
      const bn = asNumber(b);
      let d: number | undefined;
      if (an !== undefined && bn !== undefined) {
        const ai = asInt(a);
        const bi = asInt(b);
        d = ai !== undefined && bi !== undefined ? (ai < bi ? -1 : ai > bi ? 1 : 0) : an - bn;
        if (Number.isNaN(d)) return known(false);
      } else if (a.kind === 'str' && b.kind === 'str') d = compareCodePoints(a.value, b.value);
      else if (isConstant(a) && isConstant(b))
        return { raises: `TypeError: '${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'` };
      if (d === undefined) return known(undefined);
      return known(op === '<' ? d < 0 : op === '>' ? d > 0 : op === '<=' ? d <= 0 : d >= 0);
    }
    case 'in':
    case 'not in': {
      const r = contains(b, a);
      return known(r === undefined ? undefined : op === 'in' ? r : !r);
    }
    default:
      return known(undefined);
  }
}

function contains(container: Val, item: Val): boolean | undefined {
  if (container.kind === 'str' && item.kind === 'str') return container.value.includes(item.value);
  if (container.kind === 'list' || container.kind === 'tuple') {
    let sure = true;
    for (const x of container.items) {
      const e = constantEquals(x, item);
      if (e === true) return true;
      if (e === undefined) sure = false;
    }
    return sure ? false : undefined;
  }
  if (container.kind === 'dict') {
    for (const e of container.entries) if (constantEquals(e.key, item) === true) return true;
    return container.merges.length || !isConstant(item)
      ? undefined
      : container.entries.every((e) => constantEquals(e.key, item) === false)
        ? false
        : undefined;
  }
  return undefined;
}

/** Python's repr() of a float: shortest round-tripping digits, exponent form below 1e-4 or from 1e16. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '0', expText = '0'] = x.toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let out: string;
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp < 0) {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length > exp + 1) {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    out = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  }
  return negative ? `-${out}` : out;
}

/** Python's repr() of a str. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** str() of a constant (undefined for what connlint does not render). */
export function pyStr(v: Val): string | undefined {
  switch (v.kind) {
    case 'str':
      return v.value;
    case 'int':
      return v.value.toString();
    case 'float':
      return floatRepr(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    default:
      return undefined;
  }
}

export function pyRepr(v: Val): string | undefined {
  return v.kind === 'str' ? strRepr(v.value) : pyStr(v);
}

const INT_TEXT = /^[+-]?[0-9](?:_?[0-9])*$/;
const FLOAT_TEXT =
  /^[+-]?(?:(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?|inf|infinity|nan)$/i;

/** `int(text)` as Python parses it (base 10), or undefined when Python raises ValueError. */
export function parseIntText(text: string): bigint | undefined {
  const t = pyStrip(text);
  if (!INT_TEXT.test(t)) return undefined;
  return BigInt(t.replace(/_/g, ''));
}

/** `float(text)` as Python parses it, or undefined when Python raises ValueError. */
export function parseFloatText(text: string): number | undefined {
  const t = pyStrip(text);
  if (!FLOAT_TEXT.test(t)) return undefined;
  const lower = t.toLowerCase().replace(/_/g, '');
  const sign = lower.startsWith('-') ? -1 : 1;
  const body = lower.replace(/^[+-]/, '');
  if (body === 'inf' || body === 'infinity') return sign * Number.POSITIVE_INFINITY;
  if (body === 'nan') return Number.NaN;
  return Number(lower);
}

/** `int(v)`, `float(v)`, `str(v)`, `bool(v)` of a constant. Non-constants are the caller's business. */
export function convert(to: 'int' | 'float' | 'str' | 'bool', v: Val, span: Span): OpResult {
  switch (to) {
    case 'int': {
      const i = asInt(v);
      if (i !== undefined) return { kind: 'int', value: i, span };
      if (v.kind === 'float') {
        if (!Number.isFinite(v.value))
          return {
            raises: `${Number.isNaN(v.value) ? 'ValueError: cannot convert float NaN' : 'OverflowError: cannot convert float infinity'} to integer`,
          };
        return { kind: 'int', value: BigInt(Math.trunc(v.value)), span };
      }
      if (v.kind === 'str') {
        const n = parseIntText(v.value);
        return n === undefined
          ? { raises: `ValueError: invalid literal for int() with base 10: ${strRepr(v.value)}` }
          : { kind: 'int', value: n, span };
      }
      if (v.kind === 'none')
        return { raises: "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'" };
      break;
    }
    case 'float': {
      const n = asNumber(v);
      if (n !== undefined) return { kind: 'float', value: n, span };
      if (v.kind === 'str') {
        const f = parseFloatText(v.value);
        return f === undefined
          ? { raises: `ValueError: could not convert string to float: ${strRepr(v.value)}` }
          : { kind: 'float', value: f, span };
      }
      if (v.kind === 'none') return { raises: "TypeError: float() argument must be a string or a real number, not 'NoneType'" };
      break;
    }
    case 'str': {
      const s = pyStr(v);
      if (s !== undefined) return { kind: 'str', value: s, span };
      break;
    }
    case 'bool': {
      const t = truthiness(v);
      if (t !== undefined) return { kind: 'bool', value: t, span };
      break;
    }
  }
  return unknown(`${to}(${describe(v)})`, span);
}
