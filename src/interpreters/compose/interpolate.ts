/**
 * Compose's variable substitution (compose-spec/compose-go template/template.go @ e70e961), used for the
 * Compose file itself and for unquoted and double-quoted values of `.env` files:
 * `$$` is a `$`; `$NAME` and `${NAME}` substitute; `${NAME:-default}` (unset or empty),
 * `${NAME-default}` (unset), `${NAME:+alt}` (set and not empty), `${NAME+alt}` (set),
 * `${NAME:?message}` / `${NAME?message}` (required); defaults and alternatives are substituted too, and
 * may nest. A `$` followed by anything else stays; `${` that does not open a valid form is an error
 * ("Invalid template") and Compose refuses the file. Names are `[_a-zA-Z][_a-zA-Z0-9]*`.
 *
 * connlint never knows the environment Compose runs in (the shell exports), so a variable the repository
 * does not set has no value here: a text that needs it is unknown, never guessed blank as Compose would
 * make it. A default written in the file is what such a text becomes (`${LIFE:-1800000}` -> 1800000).
 */

/** What a variable holds: a value, a value that is itself unknown, or undefined when the repository does not set it. */
export type VariableValue = { value: string } | { unknown: string } | undefined;

export type Lookup = (name: string) => VariableValue;

/** A piece of an interpolated text: literal text, or a part whose value cannot be known (with why). */
export type Piece = string | { unknown: string };

export interface Interpolated {
  pieces: Piece[];
  /** Compose refuses the file: an invalid `${...}`. */
  error?: string;
  /** Variables the text refers to, in order of use (each once). */
  used: string[];
}

const NAME_START = /[_a-zA-Z]/;
const NAME_REST = /[_a-zA-Z0-9]/;
/** Nesting of defaults inside defaults; far beyond any real file, far below the stack limit. */
const MAX_DEPTH = 64;

/** The text when every piece is known. */
export function knownText(i: Interpolated): string | undefined {
  if (i.error) return undefined;
  let out = '';
  for (const p of i.pieces) {
    if (typeof p !== 'string') return undefined;
    out += p;
  }
  return out;
}

/** Why the text is unknown (the first unknown piece), or undefined when it is known. */
export function unknownReason(i: Interpolated): string | undefined {
  for (const p of i.pieces) if (typeof p !== 'string') return p.unknown;
  return undefined;
}

/** compose-go's getFirstBraceClosingIndex: `{` opens (and skips the next character), `}` closes. */
function closingBrace(text: string, from: number): number {
  let open = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '}') {
      open--;
      if (open === 0) return i;
    }
    if (c === '{') {
      open++;
      i++;
    }
  }
  return -1;
}

const OPERATORS = [':-', '-', ':+', '+', ':?', '?'] as const;
type Operator = (typeof OPERATORS)[number];

class Interpolator {
  readonly used: string[] = [];
  error: string | undefined;

  constructor(private readonly lookup: Lookup) {}

  private get(name: string): VariableValue {
    if (!this.used.includes(name)) this.used.push(name);
    return this.lookup(name);
  }

  run(template: string, depth: number): Piece[] {
    const pieces: Piece[] = [];
    let literal = '';
    const flush = () => {
      if (literal !== '') pieces.push(literal);
      literal = '';
    };
    const push = (ps: Piece[]) => {
      for (const p of ps) {
        if (typeof p === 'string') literal += p;
        else {
          flush();
          pieces.push(p);
        }
      }
    };
    let i = 0;
    while (i < template.length) {
      const c = template.charAt(i);
      if (c !== '$') {
        literal += c;
        i++;
        continue;
      }
      const next = template.charAt(i + 1);
      if (next === '$') {
        literal += '$';
        i += 2;
        continue;
      }
      if (NAME_START.test(next)) {
        let end = i + 2;
        while (end < template.length && NAME_REST.test(template.charAt(end))) end++;
        push(this.plain(template.slice(i + 1, end)));
        i = end;
        continue;
      }
      if (next !== '{') {
        literal += '$';
        i++;
        continue;
      }
      const parsed = this.braced(template, i, depth);
      if (!parsed) {
        this.error ??= `Invalid template: ${JSON.stringify(template)}`;
        return pieces;
      }
      push(parsed.pieces);
      i = parsed.end;
    }
    flush();
    return pieces;
  }

  private plain(name: string): Piece[] {
    const v = this.get(name);
    if (v === undefined) return [{ unknown: `\${${name}} is not set in the repository (no .env value)` }];
    if ('unknown' in v) return [v];
    return [v.value];
  }

  /** `${...}` starting at `start` (the `$`); undefined when it is not a valid form. */
  private braced(text: string, start: number, depth: number): { pieces: Piece[]; end: number } | undefined {
    let p = start + 2;
    if (!NAME_START.test(text.charAt(p))) return undefined;
    p++;
    while (p < text.length && NAME_REST.test(text.charAt(p))) p++;
    const name = text.slice(start + 2, p);
    if (text.charAt(p) === '}') return { pieces: this.plain(name), end: p + 1 };
    const op = OPERATORS.find((o) => text.startsWith(o, p));
    // The pattern's `(.*)` needs a `}` later on the same line.
    const lineEnd = text.indexOf('\n', p);
    const lastBrace = text.lastIndexOf('}', lineEnd < 0 ? text.length : lineEnd);
    if (!op || lastBrace < p) return undefined;
    let close = closingBrace(text, start);
    if (close < 0 || close > lastBrace) close = lastBrace;
    const arg = text.slice(p + op.length, close);
    if (depth >= MAX_DEPTH) {
      this.error ??= `variable defaults nested more than ${MAX_DEPTH} levels deep`;
      return { pieces: [], end: close + 1 };
    }
    return { pieces: this.apply(name, op, arg, depth), end: close + 1 };
  }

  private apply(name: string, op: Operator, arg: string, depth: number): Piece[] {
    const v = this.get(name);
    if (v !== undefined && 'unknown' in v) return [v];
    const value = v?.value;
    const sub = () => this.run(arg, depth + 1);
    switch (op) {
      case ':-':
        return value !== undefined && value !== '' ? [value] : sub();
      case '-':
        return value !== undefined ? [value] : sub();
      case ':+':
        return value !== undefined && value !== '' ? sub() : [value ?? ''];
      case '+':
        return value !== undefined ? sub() : [''];
      case ':?':
        if (value !== undefined && value !== '') return [value];
        return [{ unknown: `\${${name}} is required but not set in the repository (Compose stops unless the environment sets it)` }];
      case '?':
        if (value !== undefined) return [value];
        return [{ unknown: `\${${name}} is required but not set in the repository (Compose stops unless the environment sets it)` }];
    }
  }
}

/** Substitutes variables in `template`. Never throws. */
export function interpolate(template: string, lookup: Lookup): Interpolated {
  const run = new Interpolator(lookup);
  const pieces = run.run(template, 0);
  return { pieces, used: run.used, ...(run.error ? { error: run.error } : {}) };
}
