import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type PyParseStats, parsePython } from '../../src/parsers/python.js';
import {
  connlintLiterals,
  MISSING_PYTHON,
  type OracleResult,
  oracleLiterals,
  pythonAst,
  sourceLines,
  withoutPositions,
} from '../oracles/python-ast.js';

/*
 * Differential test (issue 17, Tests): every literal connlint's Python parser extracts, with its position,
 * equals what CPython's own `ast` gives, for every .py file of the fixture repositories and for generated
 * programs (random nesting, odd literals); mutated programs (syntax errors) never crash the parser, keep
 * every span inside the text, and, whenever CPython accepts them, get no syntax error from connlint either.
 * Linear time is checked by counting work (nodes visited against the size of Lezer's tree and of the input),
 * never by timing. python3 runs here only, as the oracle; connlint never runs it. The shared corpus has its
 * own test (test-shared/python-corpus.test.ts).
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function listPy(dir: string): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) out.push(...listPy(p));
    else if (n.endsWith('.py')) out.push(p);
  }
  return out;
}

/** No crash inside the parser (it would come back as this problem), and every span inside the text. */
function assertSane(text: string, result: ReturnType<typeof parsePython>, label: string): void {
  for (const p of result.problems) assert.ok(!p.message.startsWith('connlint could not read'), `${label}: ${p.message}`);
  const lines = sourceLines(text);
  const check = (s: { line: number; column: number; endLine: number; endColumn: number }) => {
    const ok =
      s.line >= 1 &&
      s.endLine >= s.line &&
      s.endLine <= lines.length &&
      s.column >= 1 &&
      s.column <= (lines[s.line - 1]?.length ?? 0) + 1 &&
      s.endColumn <= (lines[s.endLine - 1]?.length ?? 0) + 1 &&
      (s.endLine > s.line || s.endColumn >= s.column);
    assert.ok(ok, `${label}: span outside the text ${JSON.stringify(s)}`);
  };
  for (const p of result.problems) check(p.span);
  const stack: unknown[] = [result.doc.body];
  while (stack.length) {
    const x = stack.pop();
    if (Array.isArray(x)) stack.push(...x);
    else if (x && typeof x === 'object' && !(x instanceof Uint8Array)) {
      const o = x as Record<string, unknown>;
      if (typeof o.line === 'number' && typeof o.endColumn === 'number') check(o as never);
      else for (const v of Object.values(o)) if (v && typeof v === 'object') stack.push(v);
    }
  }
}

/** Compares connlint with the oracle for one source. */
function compare(label: string, text: string, oracle: OracleResult): void {
  const ours = connlintLiterals(label, text);
  assertSane(text, ours.result, label);
  const errors = ours.result.problems.filter((p) => p.severity === 'error');
  if (!oracle.ok) return;
  assert.deepEqual(errors, [], `${label}: CPython accepts this file but connlint reports a syntax error`);
  assert.equal(ours.result.doc.isTemplate, undefined, `${label}: CPython accepts this file but connlint calls it a template`);
  assert.deepEqual(ours.literals, withoutPositions(oracleLiterals(text, oracle.literals), ours.namedEscapes), `${label}: literals differ`);
}

const fixtureFiles = listPy(path.join(repoRoot, 'fixtures'));
const fixtureTexts = fixtureFiles.map((f) => readFileSync(f, 'utf8'));

// ---- generated programs

/** mulberry32: a small seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Generator {
  constructor(private readonly rnd: () => number) {}

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)] as T;
  }

  chance(p: number): boolean {
    return this.rnd() < p;
  }

  digits(n: number, alphabet = '0123456789'): string {
    let s = '';
    for (let i = 0; i < n; i++) {
      s += this.pick([...alphabet]);
      if (i < n - 1 && this.chance(0.2)) s += '_';
    }
    return s;
  }

  int(): string {
    return this.pick([
      () => '0',
      () => '00',
      () => '0_0',
      () => `${this.pick(['1', '5', '9'])}${this.digits(Math.floor(this.rnd() * 8))}`.replace(/_$/, ''),
      () =>
        `0${this.pick(['x', 'X'])}${this.chance(0.3) ? '_' : ''}${this.digits(1 + Math.floor(this.rnd() * 6), '0123456789abcdefABCDEF')}`,
      () => `0${this.pick(['o', 'O'])}${this.digits(1 + Math.floor(this.rnd() * 6), '01234567')}`,
      () => `0${this.pick(['b', 'B'])}${this.digits(1 + Math.floor(this.rnd() * 12), '01')}`,
      () => `1${'0'.repeat(30)}`,
      () => '3600',
      () => '28_800',
    ])();
  }

  float(): string {
    return this.pick([
      '1.',
      '.5',
      '1.5',
      '1e5',
      '1.e-3',
      '1_0.0_1e+1_0',
      '0.1',
      '1e400',
      '3.14J',
      '10j',
      '00.5',
      '09.5',
      '1E-07',
      '2.5e+3',
      '0e0',
      '123456789.123456789e-20',
    ]);
  }

  stringPiece(format: boolean, bytes: boolean, long: boolean, raw: boolean, quote: string): string {
    const pieces = ['abc', ' ', '\\n', '\\t', '\\x41', '\\101', '\\\\', "\\'", '\\"', '\\d', '%s', 'x=1', '\\0', '\\a\\b\\f\\v\\r'];
    if (!bytes) pieces.push('é', '😀', '中文', '\\u00e9', '\\U0001F600', '\\N{BULLET}', 'ẞ', '\u200b');
    if (long) pieces.push('\n', '\\\n', '\r\n', "'", '"');
    if (format)
      pieces.push('{x}', '{x!r}', '{x:>10}', '{x=}', '{ x = }', '{y:{w}}', '{{', '}}', '{x!s:^{w}.{p}}', "{d['k']}", '{a + b}', '{f(1)}');
    else pieces.push('{', '}', '{x}');
    let p = this.pick(pieces);
    if (!long && (p === quote || p.includes('\n'))) p = 'q';
    // In a raw f-string a backslash before a brace is kept, so `\{` would not start a field as Lezer reads it.
    if (format && raw && p.includes('\\')) p = 'q';
    if (format && quote.startsWith("'") && p.includes("'")) p = 'q';
    if (format && quote.startsWith('"') && p.includes('"') && !p.startsWith('\\')) p = 'q';
    return p;
  }

  string(kind: 'str' | 'bytes' | 'any' = 'any'): string {
    const prefixes =
      kind === 'bytes'
        ? ['b', 'B', 'rb', 'Rb', 'BR']
        : kind === 'str'
          ? ['', 'r', 'u', 'f', 'rf', 'F', 'U', 'R', 'fR']
          : ['', 'r', 'u', 'b', 'rb', 'f', 'rf', 'R', 'F', 'B'];
    const prefix = this.pick(prefixes);
    const quote = this.pick(["'", '"', "'''", '"""']);
    const long = quote.length === 3;
    const format = prefix.toLowerCase().includes('f');
    const bytes = prefix.toLowerCase().includes('b');
    const raw = prefix.toLowerCase().includes('r');
    let body = '';
    const n = Math.floor(this.rnd() * 5);
    for (let i = 0; i < n; i++) body += this.stringPiece(format, bytes, long, raw, quote);
    // Three quote characters in a row would close a long string early.
    if (long) body = body.split(quote[0] as string).join(`${quote[0]}z`);
    // A body must not end with an odd backslash or with the quote character (it would close early).
    if (body.endsWith('\\') || body.endsWith(quote[0] as string)) body += 'z';
    return `${prefix}${quote}${body}${quote}`;
  }

  strings(): string {
    const kind = this.chance(0.2) ? 'bytes' : 'str';
    const n = 1 + Math.floor(this.rnd() * 3);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(this.string(kind));
    const joint = this.pick([' ', '', '\n    ', ' \\\n  ']);
    // Adjacent literals on several lines only concatenate inside brackets.
    return joint.includes('\n') && !joint.includes('\\') ? `(${parts.join(joint)})` : parts.join(joint);
  }

  literal(): string {
    return this.pick([() => this.int(), () => this.float(), () => this.strings(), () => this.pick(['True', 'False', 'None', '...'])])();
  }

  expr(depth: number): string {
    if (depth <= 0 || this.chance(0.3)) return this.chance(0.7) ? this.literal() : this.pick(['x', 'y', 'os.environ', 'DATABASES']);
    const e = () => this.expr(depth - 1);
    return this.pick([
      () => `[${e()}, ${e()}]`,
      () => `(${e()},)`,
      () => `(${e()}, ${e()}\n    , ${e()})`,
      () => `{${this.strings()}: ${e()}, ${this.int()}: ${e()}, **${this.pick(['x', 'y'])}}`,
      () => `{${e()}, ${e()}}`,
      () => `f(${e()}, k=${e()}, *x, **y)`,
      () => `${this.pick(['x', 'DATABASES', 'a.b'])}[${e()}]`,
      () => `x[${e()}:${e()}]`,
      () => `(-${e()})`,
      () => `(not ${e()})`,
      () => `(${e()} ${this.pick(['+', '-', '*', '/', '//', '%', '**', '|', '&', '^', '<<', '>>', '@'])} ${e()})`,
      () => `(${e()} ${this.pick(['<', '>', '==', '!=', 'in', 'not in', 'is', 'is not', 'and', 'or'])} ${e()})`,
      () => `(${e()} if ${e()} else ${e()})`,
      () => `(lambda q=${e()}: ${e()})`,
      () => `[${e()} for i in ${e()} if ${e()}]`,
      () => `(\n    ${e()}  # comment\n)`,
      () => `int(${e()})`,
    ])();
  }

  statement(depth: number, indent: string): string {
    const e = () => this.expr(3);
    const body = () =>
      `${indent}    pass\n${Array.from({ length: Math.floor(this.rnd() * 3) }, () => this.statement(depth - 1, `${indent}    `)).join('')}`;
    const simple = [
      () => `${indent}X_${Math.floor(this.rnd() * 5)} = ${e()}\n`,
      () => `${indent}a, b = ${e()}, ${e()}\n`,
      () => `${indent}DATABASES["default"][${this.strings()}] = ${e()}\n`,
      () => `${indent}x += ${e()}\n`,
      () => `${indent}y: int = ${e()}\n`,
      () => `${indent}${e()}\n`,
      () => `${indent}from .base import *\n`,
      () => `${indent}from ..a.b import (c as d,\n${indent}    e)\n`,
      () => `${indent}import os.path as p, sys\n`,
      () => `${indent}assert ${e()}, ${this.strings()}\n`,
      () => `${indent}x = 1; y = ${e()}\n`,
      () => `${indent}# a comment ${this.string().replace(/[\r\n\\]/g, ' ')}\n`,
      () => '\n',
    ];
    if (depth <= 0 || this.chance(0.6)) return this.pick(simple)();
    return this.pick([
      () => `${indent}if ${e()}:\n${body()}${indent}elif ${e()}:\n${body()}${indent}else:\n${body()}`,
      () => `${indent}def f(a, b=${e()}, *c, d=${e()}, **k) -> ${e()}:\n${indent}    ${this.strings()}\n${body()}`,
      () => `${indent}@dec(${e()})\n${indent}class C(Base, metaclass=M):\n${body()}`,
      () => `${indent}try:\n${body()}${indent}except (A, B) as err:\n${body()}${indent}finally:\n${body()}`,
      () => `${indent}for i, j in ${e()}:\n${body()}`,
      () => `${indent}with open(${e()}) as fh:\n${body()}`,
      () => `${indent}while ${e()}:\n${body()}`,
    ])();
  }

  program(): string {
    let out = '';
    const n = 1 + Math.floor(this.rnd() * 8);
    for (let i = 0; i < n; i++) out += this.statement(3, '');
    if (this.chance(0.2)) out = out.replace(/\n/g, '\r\n');
    if (this.chance(0.1)) out = `\uFEFF${out}`;
    return out;
  }

  /** Random damage: deletions, insertions of tricky characters, duplicated slices. */
  mutate(text: string): string {
    let s = text;
    const edits = 1 + Math.floor(this.rnd() * 3);
    for (let i = 0; i < edits; i++) {
      const at = Math.floor(this.rnd() * (s.length + 1));
      const kind = this.pick(['delete', 'insert', 'duplicate']);
      if (kind === 'delete') s = s.slice(0, at) + s.slice(at + 1 + Math.floor(this.rnd() * 4));
      else if (kind === 'insert')
        s =
          s.slice(0, at) +
          this.pick([
            '(',
            ')',
            '"',
            "'",
            '\\',
            '\n',
            ':',
            '{',
            '}',
            '#',
            'f"',
            '0x',
            '.',
            ' ',
            '\t',
            'é',
            '😀',
            '"""',
            '\r',
            '\f',
            '1.',
            'yield',
            'print ',
          ]) +
          s.slice(at);
      else {
        const len = Math.floor(this.rnd() * 20);
        s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at);
      }
    }
    return s;
  }
}

const gen = new Generator(random(20250117));
const generated: string[] = [];
for (let i = 0; i < 250; i++) generated.push(gen.program());
const mutated = generated.map((g) => gen.mutate(g));
// Hand-written odd literals, one per line, beside the generated ones.
const oddLiterals = [
  'x = 0_0, 00, 0x_1f, 0O17, 0B1_0, 1_000_000, 123456789012345678901234567890',
  'x = 1., .5e-3, 1.e5, 1.j, 1E400, 0.1, 5e-324, 1.7976931348623157e308, 9007199254740993.0',
  'x = r"\\"", r"\\\\", b"\\xff\\777", "\\777", "\\1\\12\\123\\1234", "\\x41\\u00e9\\U0001f600"',
  'x = "a" \'b\' """c""" \'\'\'d\'\'\' r"\\n" u"e" f"{1}" F"{x!r:>{w}}" rf"\\d{x}"',
  'x = f"{x=}" f"{ x = !s:^10}" f"{{}}" f"a{{b}}c" f"{x:{y}.{z}}" f"{\'k\'}"',
  'x = """\nline\r\nwindows\\\ncontinued\n"""',
  'x = b"a" B"b" Rb"\\d" bR"\\e"',
  'x = "é😀中文", \'tab\there\'',
  'x = {"k": 1, "k": 2, **d}',
  'x = ...; y = None; z = True, False',
];

/**
 * Valid Python that Lezer's grammar (1.1.19) rejects or mis-parses, found by linting saleor and ckan:
 * connlint rewrites the text it hands Lezer (same length) so none is a false syntax error.
 */
const lezerGaps = [
  // A few hundred statements separated by blank lines or comment lines (Lezer cuts its stack: saleor/settings.py).
  Array.from({ length: 1200 }, (_, i) => `X${i} = f("A", ${i})\n`).join('\n'),
  Array.from({ length: 900 }, (_, i) => `X${i} = ${i}\n# comment ${i}`).join('\n'),
  `class Plugin:\n${Array.from({ length: 300 }, (_, i) => `    # Trigger ${i}.\n    #\n    a${i}: Callable[["C", Any], Any] = ${i}\n`).join('\n')}`,
  'if x:\n    a = 1\n\n    # c\n\n    b = 2\n\n\nc = 3\r\n\r\nd = 4\n',
  // Class patterns without arguments (ckan datastore).
  'match x:\n    case F() as op:\n        y = 1\n    case F() | G.H() as op:\n        y = 2\n    case F(a=1):\n        y = 3\n',
  'case = 1\ncase()\nz = case\n',
  // Starred targets in comprehensions (saleor graphql).
  'r = [a for a, *_ in x]\ns = {a: b for a, *b in x}\nt = (a for *a, b in x)\nfor a, *b in x:\n    u = "k"\n',
  // Parenthesized context managers (Python 3.10).
  'with (a as b, c as d):\n    v = 1\nwith (\n    a as b,\n    c(1) as d,\n):\n    v = 2\nwith (a, b):\n    v = 3\nwith (a) as b:\n    v = 4\n',
  // A backslash before a blank line ends the statement (ckan logic/action/get.py).
  'q = a \\\n    .b(1) \\\n\nr = 2\n',
];

// ---- tests

test('python3 is installed (the differential oracle)', () => {
  assert.ok(pythonAst(['1']), MISSING_PYTHON);
});

test('fixture .py files: every literal and its position equal CPython ast', () => {
  const oracle = pythonAst(fixtureTexts);
  assert.ok(oracle, MISSING_PYTHON);
  fixtureFiles.forEach((f, i) => {
    compare(path.relative(repoRoot, f), fixtureTexts[i] as string, oracle[i] as OracleResult);
  });
});

test('odd literals: values and positions equal CPython ast', () => {
  const oracle = pythonAst(oddLiterals);
  assert.ok(oracle, MISSING_PYTHON);
  oddLiterals.forEach((text, i) => {
    const o = oracle[i] as OracleResult;
    assert.ok(o.ok, `CPython rejects odd literal case ${i}: ${!o.ok ? o.error : ''}`);
    compare(`odd-${i}.py`, text, o);
  });
});

test("Lezer's grammar gaps: no syntax error where CPython accepts, literals and positions equal", () => {
  const oracle = pythonAst(lezerGaps);
  assert.ok(oracle, MISSING_PYTHON);
  lezerGaps.forEach((text, i) => {
    const o = oracle[i] as OracleResult;
    assert.ok(o.ok, `CPython rejects gap case ${i}: ${!o.ok ? o.error : ''}`);
    const problems = parsePython(`gap-${i}.py`, text).problems.filter((p) => p.severity === 'error');
    assert.deepEqual(problems, [], `gap case ${i}`);
    compare(`gap-${i}.py`, text, o);
  });
});

test('generated programs: literals equal CPython ast whenever CPython accepts the program', () => {
  const oracle = pythonAst(generated);
  assert.ok(oracle, MISSING_PYTHON);
  let accepted = 0;
  generated.forEach((text, i) => {
    const o = oracle[i] as OracleResult;
    if (o.ok) accepted++;
    compare(`generated-${i}.py`, text, o);
  });
  // Most generated programs are valid Python; otherwise this test would check little.
  assert.ok(accepted >= generated.length * 0.6, `only ${accepted} of ${generated.length} generated programs are valid Python`);
});

test('mutated programs: no crash, spans inside the text, no syntax error where CPython accepts', () => {
  const oracle = pythonAst(mutated);
  assert.ok(oracle, MISSING_PYTHON);
  let rejected = 0;
  let flagged = 0;
  mutated.forEach((text, i) => {
    const o = oracle[i] as OracleResult;
    if (!o.ok) {
      rejected++;
      if (parsePython('m.py', text).problems.some((p) => p.severity === 'error' || p.severity === 'note')) flagged++;
    }
    compare(`mutated-${i}.py`, text, o);
  });
  assert.ok(rejected > 20, `the mutations should break some programs (${rejected} broken)`);
  // Lezer is more lenient than CPython in places, so not every broken program is flagged; most are.
  assert.ok(flagged >= rejected * 0.8, `connlint flags ${flagged} of the ${rejected} programs CPython rejects`);
});

// ---- linear work

function work(text: string): PyParseStats {
  const stats: PyParseStats = { nodesVisited: 0, treeNodes: 0 };
  const result = parsePython('big.py', text, stats);
  assertSane(text, result, 'big.py');
  return stats;
}

test("the parser looks at each node of Lezer's tree a bounded number of times", () => {
  for (const text of [...generated, ...mutated]) {
    const s = work(text);
    assert.ok(s.nodesVisited <= 3 * s.treeNodes + 10, `visited ${s.nodesVisited} nodes of a tree of ${s.treeNodes}`);
  }
});

test('work grows linearly with the input', () => {
  const unit = generated.slice(0, 40).join('\n');
  const small = work(unit);
  const large = work(Array.from({ length: 16 }, () => unit).join('\n'));
  assert.ok(large.treeNodes <= 16 * small.treeNodes * 1.1 + 100, `tree: ${large.treeNodes} vs 16 x ${small.treeNodes}`);
  assert.ok(large.nodesVisited <= 16 * small.nodesVisited * 1.1 + 100, `visits: ${large.nodesVisited} vs 16 x ${small.nodesVisited}`);
});

test('pathological inputs complete, without a crash, with bounded work', () => {
  const cases = [
    `x = ${'('.repeat(5000)}1${')'.repeat(5000)}`,
    `x = ${'['.repeat(20000)}`,
    `x = ${'1 + '.repeat(20000)}1`,
    `x = ${'-'.repeat(20000)}1`,
    `x = ${'{"a": '.repeat(5000)}1${'}'.repeat(5000)}`,
    Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}if x:`).join('\n'),
    '"unterminated\n'.repeat(20000),
    '"""'.repeat(20001),
    'f"{'.repeat(5000),
    Array.from({ length: 100000 }, (_, i) => '([{:=,"\'\\\n#'[i % 12]).join(''),
    '\0'.repeat(1000),
    'x = 1\n'.repeat(30000),
  ];
  for (const text of cases) {
    const s = work(text);
    assert.ok(s.nodesVisited <= 3 * s.treeNodes + 10, `visited ${s.nodesVisited} nodes of a tree of ${s.treeNodes}`);
    assert.ok(s.treeNodes <= 10 * text.length + 10, `a tree of ${s.treeNodes} nodes for ${text.length} characters`);
  }
});
