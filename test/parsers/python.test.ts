import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Span } from '../../src/model/span.js';
import { decodeNumber, type PyExpr, type PyStmt, parsePython, walkExpressions } from '../../src/parsers/python.js';

/*
 * Expectations are written by hand from CPython 3.11's tokenizer and grammar (and checked against
 * `python3 -c "import ast; ..."`, which the differential test automates).
 */

const P = 'app/settings.py';

function parse(text: string) {
  return parsePython(P, text);
}

function body(text: string): PyStmt[] {
  const r = parse(text);
  assert.deepEqual(
    r.problems.filter((p) => p.severity === 'error'),
    [],
    'no syntax error expected',
  );
  return r.doc.body;
}

/** The value expression of the first statement `x = <value>`. */
function value(text: string): PyExpr {
  const s = body(text)[0];
  assert.equal(s?.kind, 'assign');
  return (s as PyStmt & { kind: 'assign' }).value;
}

function span(line: number, column: number, endLine: number, endColumn: number): Span {
  return { path: P, line, column, endLine, endColumn };
}

function firstError(text: string) {
  return parse(text).problems.find((p) => p.severity === 'error');
}

// ---- numbers

test('ints: underscores, bases, leading zeros of zero, exact big values', () => {
  assert.deepEqual(decodeNumber('1_000_000'), { kind: 'int', value: 1000000n });
  assert.deepEqual(decodeNumber('0x_1F'), { kind: 'int', value: 31n });
  assert.deepEqual(decodeNumber('0O17'), { kind: 'int', value: 15n });
  assert.deepEqual(decodeNumber('0b1_0'), { kind: 'int', value: 2n });
  assert.deepEqual(decodeNumber('00'), { kind: 'int', value: 0n });
  assert.deepEqual(decodeNumber('0_0'), { kind: 'int', value: 0n });
  assert.deepEqual(decodeNumber('123456789012345678901234567890'), { kind: 'int', value: 123456789012345678901234567890n });
});

test('floats and imaginary numbers, including forms Lezer lacks (1., 1.e5, 1.j)', () => {
  assert.deepEqual(decodeNumber('1.'), { kind: 'float', value: 1 });
  assert.deepEqual(decodeNumber('.5'), { kind: 'float', value: 0.5 });
  assert.deepEqual(decodeNumber('1_0.0_1e+1_0'), { kind: 'float', value: 10.01e10 });
  assert.deepEqual(decodeNumber('09.5'), { kind: 'float', value: 9.5 });
  assert.deepEqual(decodeNumber('1e400'), { kind: 'float', value: Number.POSITIVE_INFINITY });
  assert.deepEqual(decodeNumber('10j'), { kind: 'complex', imag: 10 });
  const v = value('x = (1., 1.e5, 1.j, .5)');
  assert.equal(v.kind, 'tuple');
  const items = (v as PyExpr & { kind: 'tuple' }).items;
  assert.deepEqual(
    items.map((i) => [i.kind, 'value' in i ? i.value : 'imag' in i ? i.imag : undefined, i.span.column, i.span.endColumn]),
    [
      ['float', 1, 6, 8],
      ['float', 1e5, 10, 14],
      ['complex', 1, 16, 19],
      ['float', 0.5, 21, 23],
    ],
  );
});

test('number forms CPython rejects are syntax errors with its message', () => {
  assert.deepEqual(decodeNumber('0777'), {
    error: 'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
  });
  assert.deepEqual(decodeNumber('1__0'), { error: 'invalid decimal literal' });
  assert.deepEqual(decodeNumber('1_'), { error: 'invalid decimal literal' });
  assert.deepEqual(decodeNumber('0x_'), { error: 'invalid hexadecimal literal' });
  const e = firstError('x = 1\ny = 0777\n');
  assert.equal(
    e?.message,
    'Leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers: Python cannot compile this file',
  );
  assert.deepEqual(e?.span, span(2, 5, 2, 9));
  assert.match(firstError('x = 5L\n')?.message ?? '', /invalid/i);
  assert.match(firstError('x = 0x1g\n')?.message ?? '', /invalid hexadecimal literal/i);
  // `1if` is accepted (with a warning), as CPython 3.11 does.
  assert.equal(firstError('x = 1if y else 2\n'), undefined);
});

// ---- strings

test('string prefixes, escapes, raw strings, bytes', () => {
  assert.deepEqual(value('x = "a\\tb\\x41\\101\\u00e9\\U0001F600\\\\\\\'"'), {
    kind: 'str',
    value: "a\tbAAé😀\\'",
    span: span(1, 5, 1, 39),
  });
  assert.equal((value('x = r"\\n\\"" ') as { value: string }).value, '\\n\\"');
  assert.equal((value('x = "\\d"') as { value: string }).value, '\\d', 'an unknown escape keeps its backslash');
  assert.equal((value('x = "\\777"') as { value: string }).value, '\u01ff');
  const b = value('x = b"\\xff\\777a"');
  assert.equal(b.kind, 'bytes');
  assert.deepEqual([...(b as { value: Uint8Array }).value], [0xff, 0xff, 0x61]);
  assert.deepEqual([...(value('x = Rb"\\d"') as { value: Uint8Array }).value], [0x5c, 0x64]);
  const named = value('x = "\\N{BULLET}"');
  assert.deepEqual(named, { kind: 'str', value: '\\N{BULLET}', span: span(1, 5, 1, 17), namedEscape: true });
});

test('implicit concatenation is one value spanning all parts; triple quotes; newlines read as \\n', () => {
  const v = value('x = ("a" \'b\'\n     """c\r\nd""" r"\\e")\n');
  // \r\n inside the triple-quoted string is a line break for spans and \n in the value.
  assert.deepEqual(v, { kind: 'str', value: 'abc\nd\\e', span: span(1, 6, 3, 11) });
  assert.equal((value('x = """a\\\nb"""') as { value: string }).value, 'ab', 'a backslash at the end of a line joins the lines');
  assert.match(firstError('x = "a" b"b"\n')?.message ?? '', /cannot mix bytes and nonbytes literals/i);
  assert.match(firstError('x = b"é"\n')?.message ?? '', /bytes can only contain ASCII literal characters/i);
  assert.match(firstError('x = "\\x4"\n')?.message ?? '', /truncated \\xXX escape/i);
});

test('unterminated strings are reported where they start', () => {
  assert.deepEqual(firstError('x = 1\ny = "abc\nz = 2\n'), {
    severity: 'error',
    message: 'Unterminated string literal: Python cannot compile this file',
    span: span(2, 5, 2, 9),
  });
  assert.equal(firstError('x = """abc\n\n')?.message, 'Unterminated triple-quoted string literal: Python cannot compile this file');
  assert.equal(firstError('x = "abc\\"\n')?.message, 'Unterminated string literal: Python cannot compile this file');
});

test('f-strings: literal text, fields with conversion and nested spec, {{ }}, self-documenting =', () => {
  const v = value('x = f"a{{b}}{host!r:>{width}} {port}" "!"');
  assert.equal(v.kind, 'fstring');
  const parts = (v as PyExpr & { kind: 'fstring' }).parts;
  assert.deepEqual(
    parts.map((p) =>
      p.kind === 'text'
        ? p.value
        : { field: p.value.kind === 'name' ? p.value.id : p.value.kind, conversion: p.conversion, spec: p.spec?.length },
    ),
    ['a{b}', { field: 'host', conversion: 'r', spec: 2 }, ' ', { field: 'port', conversion: undefined, spec: undefined }, '!'],
  );
  const selfDoc = (value('x = f"{ n = }"') as PyExpr & { kind: 'fstring' }).parts;
  assert.deepEqual(selfDoc[0], { kind: 'text', value: ' n = ' });
  assert.equal(selfDoc[1]?.kind === 'field' && selfDoc[1].conversion, 'r');
  assert.match(firstError('x = f"a}b"\n')?.message ?? '', /single '\}' is not allowed/i);
});

test('f-strings may reuse their own quote inside fields (Python 3.12, PEP 701), Lezer notwithstanding', () => {
  const v = value('x = f"{d["user"]}@{h["host"]:>{w}}/{"-".join(p)}"') as PyExpr & { kind: 'fstring' };
  assert.equal(v.kind, 'fstring');
  assert.deepEqual(
    v.parts.map((p) => (p.kind === 'text' ? p.value : p.value.kind)),
    ['subscript', '@', 'subscript', '/', 'call'],
  );
  const inner = v.parts[0]?.kind === 'field' ? v.parts[0].value : undefined;
  assert.ok(inner?.kind === 'subscript' && inner.index.kind === 'str' && inner.index.value === 'user', JSON.stringify(inner));
  assert.equal(firstError('x = f"{d["k"]}"\ny = f\'{d[\'k\']}\'\nz = f"{ {"a": 1}["a"] }"\n'), undefined);
  assert.match(firstError('x = f"a{b"\n')?.message ?? '', /unterminated string literal/i);
});

// ---- spans

test('columns count UTF-16 units; lines end at \\n, \\r\\n and \\r; a byte-order mark is not a column', () => {
  const v = value('x = "😀é" + 42');
  assert.equal(v.kind, 'binary');
  // 😀 is two UTF-16 units.
  assert.deepEqual((v as PyExpr & { kind: 'binary' }).right.span, span(1, 13, 1, 15));
  const [a, b, c] = body('a = 1\r\nb = 2\rc = 3\n') as Array<PyStmt & { kind: 'assign' }>;
  assert.deepEqual([a?.value.span.line, b?.value.span.line, c?.value.span.line], [1, 2, 3]);
  assert.deepEqual(b?.span, span(2, 1, 2, 6));
  assert.deepEqual((body('\uFEFFx = 1\n')[0] as PyStmt & { kind: 'assign' }).value.span, span(1, 5, 1, 6));
});

test('compound statements: spans stop at their last character, not at the next line', () => {
  const [f] = body('def f():\r\n    return 1\r\n\r\nx = 2\r\n');
  assert.deepEqual(f?.span, span(1, 1, 2, 13));
});

// ---- statements

test('assignments: chains, annotations, tuples, augmented, item assignment', () => {
  const [chain, annotated, tuple, aug, item] = body('a = b = 1\nc: int = 2\nd, *e = 1, 2\nf += 3\nD["default"]["CONN_MAX_AGE"] = 600\n');
  assert.equal(chain?.kind === 'assign' && chain.targets.length, 2);
  assert.equal(annotated?.kind === 'assign' && annotated.annotation?.kind, 'name');
  assert.equal(tuple?.kind === 'assign' && tuple.targets[0]?.kind, 'tuple');
  assert.equal(aug?.kind === 'augassign' && aug.op, '+');
  assert.ok(item?.kind === 'assign' && item.targets[0]?.kind === 'subscript');
  assert.match(firstError('f() = 1\n')?.message ?? '', /cannot assign to function call/i);
  assert.match(firstError('1 = x\n')?.message ?? '', /cannot assign to literal/i);
  assert.match(firstError('a, b += 1\n')?.message ?? '', /invalid syntax|illegal expression for augmented assignment/i);
});

test('imports: dotted, aliases, relative levels, star, parenthesized names', () => {
  const [imp, rel, star, paren] = body(
    'import os.path as p, sys\nfrom ..a.b import c as d\nfrom .base import *\nfrom x import (y,\n    z,)\n',
  );
  assert.deepEqual(imp?.kind === 'import' && imp.names.map((n) => [n.name, n.asname]), [
    ['os.path', 'p'],
    ['sys', undefined],
  ]);
  assert.deepEqual(rel?.kind === 'from' && [rel.module, rel.level, rel.names !== 'star' && rel.names[0]?.asname], ['a.b', 2, 'd']);
  assert.deepEqual(star?.kind === 'from' && [star.module, star.level, star.names], ['base', 1, 'star']);
  assert.deepEqual(paren?.kind === 'from' && paren.names !== 'star' && paren.names.map((n) => n.name), ['y', 'z']);
  assert.match(firstError('from x import y,\n')?.message ?? '', /trailing comma not allowed/i);
});

test('if / elif / else nest; class with bases and keywords; def with defaults; try; with; for', () => {
  const [ifs, cls, fn, tr, wi, fo] = body(
    [
      'if a:\n    x = 1\nelif b:\n    x = 2\nelse:\n    x = 3',
      'class C(Base, metaclass=M):\n    X = 1',
      '@dec\ndef f(a, b=2, *c, d=4, **e):\n    yield',
      'try:\n    from .local import *\nexcept ImportError as err:\n    pass\nfinally:\n    pass',
      'with open(p) as fh, lock:\n    pass',
      'for k, v in items:\n    pass\nelse:\n    pass',
      '',
    ].join('\n'),
  );
  assert.ok(ifs?.kind === 'if' && ifs.orelse[0]?.kind === 'if' && ifs.orelse[0].orelse.length === 1);
  assert.ok(cls?.kind === 'class' && cls.args.length === 2 && cls.args[1]?.kind === 'keyword');
  assert.ok(fn?.kind === 'def' && fn.decorators.length === 1 && fn.defaults.length === 2);
  assert.deepEqual(fn?.kind === 'def' && fn.params, ['a', 'b', 'c', 'd', 'e']);
  assert.ok(tr?.kind === 'try' && tr.handlers[0]?.name === 'err' && tr.finalbody.length === 1);
  assert.ok(wi?.kind === 'with' && wi.items.length === 2 && wi.items[0]?.target?.kind === 'name');
  assert.ok(fo?.kind === 'for' && fo.target.kind === 'tuple' && fo.orelse.length === 1);
});

test('calls: positional, keyword, *args, **kwargs, generator argument; argument order rules', () => {
  const v = value('x = create_engine(url, pool_recycle=3600, *a, **opts)');
  assert.ok(v.kind === 'call');
  assert.deepEqual(
    (v as PyExpr & { kind: 'call' }).args.map((a) => a.kind),
    ['positional', 'keyword', 'star', 'doubleStar'],
  );
  const kw = (v as PyExpr & { kind: 'call' }).args[1];
  assert.deepEqual(kw?.kind === 'keyword' && [kw.name, kw.nameSpan, kw.span], ['pool_recycle', span(1, 24, 1, 36), span(1, 24, 1, 41)]);
  assert.equal(firstError('x = ", ".join(a for a in b)\n'), undefined);
  assert.match(firstError('f(a for a in b, 1)\n')?.message ?? '', /Generator expression must be parenthesized/i);
  assert.match(firstError('f(a=1, b)\n')?.message ?? '', /positional argument follows keyword argument/i);
});

test('Python 2 syntax is an error: print statement, <>; except A, B is valid from 3.14 (PEP 758) but not with as', () => {
  assert.match(firstError('print "hi"\n')?.message ?? '', /print/i);
  assert.match(firstError('x = a <> b\n')?.message ?? '', /<>/i);
  assert.equal(firstError('try:\n    pass\nexcept InvalidTokenError, ValidationError:\n    pass\n'), undefined);
  assert.ok(firstError('try:\n    pass\nexcept E, F as e:\n    pass\n'), 'with as, the types need parentheses');
});

test('one error per file, the first; the statements that parse are kept', () => {
  const r = parse('a = 1\nb = (\nc = 3\nd = "x\n');
  assert.equal(r.problems.filter((p) => p.severity === 'error').length, 1);
  assert.equal(r.doc.syntaxError?.line, 3);
  assert.equal(r.doc.body[0]?.kind, 'assign');
});

test('a Jinja template is reported once, as a note, not as a Python error', () => {
  const r = parse('{% if cookiecutter.use_sentry == "y" -%}\nimport sentry_sdk\n{% endif %}\nDEBUG = False\n');
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.span.line]),
    [['note', 1]],
  );
  assert.equal(r.doc.isTemplate, true);
  assert.ok(r.doc.body.some((s) => s.kind === 'assign'));
});

test('null bytes, deep nesting and garbage: never throws, problems instead', () => {
  assert.match(firstError('x = 1\0\n')?.message ?? '', /null bytes/i);
  assert.match(firstError(`x = ${'('.repeat(250)}1${')'.repeat(250)}\n`)?.message ?? '', /too many nested parentheses/i);
  // A chain of thousands of operators, which CPython 3.11 compiles (up to ≈ 2,900 terms): Lezer cuts it after 300
  // reductions, which is no error of the text; the conversion does not read so deep a value and says so.
  for (const terms of [1000, 2000]) {
    const long = parse(`X = ${Array(terms).fill('1').join('+')}\nY = 2\n`);
    assert.equal(long.doc.syntaxError, undefined, `${terms} terms`);
    assert.ok(long.problems.length > 0, `${terms} terms`);
    for (const p of long.problems)
      assert.deepEqual([p.severity, p.message], ['note', 'Expression nested more than 300 levels deep: connlint does not read inside it']);
    assert.ok(long.doc.body.some((st) => st.kind === 'assign' && st.targets.some((t) => t.kind === 'name' && t.id === 'Y')));
  }
  // A chain that really lacks its last operand is still Python's error.
  assert.match(firstError(`X = ${Array(400).fill('1').join('+')} +\n`)?.message ?? '', /invalid syntax/i);
  // Deep enough to overflow connlint's conversion: still Python's own error (CPython 3.11: SyntaxError at the 201st).
  for (const open of ['(', '[']) {
    const close = open === '(' ? ')' : ']';
    const r = parse(`x = ${open.repeat(20_000)}1${close.repeat(20_000)}\n`);
    assert.deepEqual(
      r.problems.map((p) => [p.severity, p.message, p.span.line, p.span.column]),
      [['error', 'Too many nested parentheses: Python cannot compile this file', 1, 5 + 200]],
    );
    assert.equal(r.doc.syntaxError?.column, 205);
  }
  const deep = parse(`x = ${'-'.repeat(2000)}1\n`);
  assert.ok(deep.problems.some((p) => p.severity === 'note' && /nested more than/.test(p.message)));
  for (const text of [
    '',
    '\n',
    '(((',
    '"""',
    'def',
    'class:',
    '@',
    'x = {**}',
    'f(**a, *b)',
    'lambda: (yield)',
    'match x:\n    case 1:\n        pass\n',
  ]) {
    assert.doesNotThrow(() => parse(text));
  }
});

test('walkExpressions visits nested statements and expressions, and can skip children', () => {
  const names: string[] = [];
  walkExpressions(body('def f():\n    return g(h(1), k=[i])\nclass C:\n    X = j\n'), (e) => {
    if (e.kind === 'name') names.push(e.id);
    return !(e.kind === 'call' && e.func.kind === 'name' && e.func.id === 'h');
  });
  // `h(1)` was skipped with its children (`h` itself among them).
  assert.deepEqual(names, ['g', 'i', 'X', 'j']);
});
