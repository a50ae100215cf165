/**
 * A JSON file's text as a JsValue with exact spans (sequelize-cli `config/config.json`, TypeORM's
 * `ormconfig.json`), so a finding points at the line of the value. A small exact reader of RFC 8259
 * JSON as Node's `require()` and `JSON.parse` read it: a leading byte-order mark is skipped, duplicate
 * keys keep the last value (the earlier ones are listed as overrides), and anything else JSON.parse
 * rejects (comments, trailing commas, single quotes, bare words) is a parse error at its place, with
 * no value: the program that loads the file fails there.
 */
import type { Problem } from '../../model/problem.js';
import type { Span } from '../../model/span.js';
import type { JsProperty, JsValue } from './value.js';
import { LastKeyWins } from './last-key-wins.js';

class JsonError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Objects and arrays nested deeper than this are not read (the reader recurses, as the YAML reader's limit guards
 * it): Node's JSON.parse reads them, so the file is not wrong, only not checked.
 */
export const MAX_JSON_NESTING = 200;

class TooDeep extends Error {
  constructor(readonly offset: number) {
    super(`nested more than ${MAX_JSON_NESTING} levels deep`);
  }
}

class Reader {
  private pos = 0;
  private depth = 0;
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly path: string,
    private readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  /** 1-based line and column (UTF-16 code units) of an offset. */
  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.lineStarts[lo] as number) + 1 };
  }

  span(from: number, to: number): Span {
    const a = this.at(from);
    const b = this.at(to);
    return { path: this.path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  private ws(): void {
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else break;
    }
  }

  private describe(): string {
    if (this.pos >= this.text.length) return 'the end of the file';
    const c = this.text[this.pos] as string;
    if (c === '/' && (this.text[this.pos + 1] === '/' || this.text[this.pos + 1] === '*')) return 'a comment, which JSON does not allow';
    if (c === "'") return 'a single quote (JSON strings take double quotes)';
    return `"${c}"`;
  }

  private fail(expected: string): never {
    throw new JsonError(`expected ${expected} but found ${this.describe()}`, this.pos);
  }

  document(): JsValue {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.pos < this.text.length) this.fail('the end of the file after the value');
    return v;
  }

  private value(): JsValue {
    this.ws();
    const c = this.text[this.pos];
    const start = this.pos;
    if (c === '{' || c === '[') {
      if (++this.depth > MAX_JSON_NESTING) throw new TooDeep(this.pos);
      const v = c === '{' ? this.object() : this.array();
      this.depth--;
      return v;
    }
    if (c === '"') {
      const value = this.string();
      return { kind: 'string', value, span: this.span(start, this.pos) };
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        const span = this.span(start, this.pos);
        return v === null ? { kind: 'null', span } : { kind: 'boolean', value: v, span };
      }
    }
    this.fail('a value');
  }

  private number(): JsValue {
    const start = this.pos;
    const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) this.fail('a number');
    this.pos += m[0].length;
    return { kind: 'number', value: Number(m[0]), span: this.span(start, this.pos) };
  }

  private string(): string {
    // At the opening quote.
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('a closing double quote');
      const c = this.text[this.pos] as string;
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c.charCodeAt(0) < 0x20) throw new JsonError('control character inside a string (write it as an escape)', this.pos);
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = this.text[this.pos + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && e in simple) {
        out += simple[e];
        this.pos += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
        out += String.fromCharCode(Number.parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
        this.pos += 6;
      } else {
        throw new JsonError('invalid escape sequence in a string', this.pos);
      }
    }
  }

  private object(): JsValue {
    const start = this.pos;
    this.pos++;
    // JSON.parse keeps the last value of a duplicate key.
    const properties = new LastKeyWins();
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', properties: [], span: this.span(start, this.pos) };
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') this.fail('a property name in double quotes');
      const keyStart = this.pos;
      const key = this.string();
      const keySpan = this.span(keyStart, this.pos);
      this.ws();
      if (this.text[this.pos] !== ':') this.fail('":"');
      this.pos++;
      const value = this.value();
      properties.add({ key, value, span: this.span(keyStart, this.pos), keySpan });
      this.ws();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        this.ws();
        if (this.text[this.pos] === '}') this.fail('another property after ","');
        continue;
      }
      if (c === '}') {
        this.pos++;
        return { kind: 'object', properties: properties.properties(), span: this.span(start, this.pos) };
      }
      this.fail('"," or "}"');
    }
  }

  private array(): JsValue {
    const start = this.pos;
    this.pos++;
    const items: JsValue[] = [];
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'array', items, span: this.span(start, this.pos) };
    }
    for (;;) {
      items.push(this.value());
      this.ws();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        this.ws();
        if (this.text[this.pos] === ']') this.fail('another value after ","');
        continue;
      }
      if (c === ']') {
        this.pos++;
        return { kind: 'array', items, span: this.span(start, this.pos) };
      }
      this.fail('"," or "]"');
    }
  }
}

/** The JSON text as a value with exact spans, or a parse error (no value) at the place JSON.parse fails. */
export function jsonToJsValue(path: string, text: string): { value?: JsValue; problems: Problem[] } {
  const reader = new Reader(path, text);
  try {
    return { value: reader.document(), problems: [] };
  } catch (e) {
    if (e instanceof TooDeep) {
      return {
        problems: [
          {
            severity: 'warning',
            span: reader.span(e.offset, e.offset + 1),
            message: `${path} nests objects or arrays more than ${MAX_JSON_NESTING} levels deep: connlint does not read it, so nothing in it is checked (the program that loads it reads it)`,
          },
        ],
      };
    }
    if (!(e instanceof JsonError)) throw e;
    const span = reader.span(e.offset, Math.min(e.offset + 1, text.length));
    return {
      problems: [
        {
          severity: 'error',
          span,
          message: `${path} is not valid JSON: ${e.message}, so the program that loads it fails with SyntaxError`,
        },
      ],
    };
  }
}
