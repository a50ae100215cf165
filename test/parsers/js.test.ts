import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Span } from '../../src/model/span.js';
import { nodeSpan, parseJs, ts } from '../../src/parsers/js.js';

const P = 'db/knexfile.js';

function span(line: number, column: number, endLine: number, endColumn: number, path = P): Span {
  return { path, line, column, endLine, endColumn };
}

test('a valid file parses without problems, spans are 1-based with exclusive ends', () => {
  const r = parseJs(P, '// comment\nmodule.exports = {\n  client: "mysql2",\n};\n');
  assert.deepEqual(r.problems, []);
  const st = r.doc.source.statements[0] as ts.ExpressionStatement;
  // The comment before the statement is not part of its span.
  assert.deepEqual(nodeSpan(r.doc, st), span(2, 1, 4, 3));
  const obj = (st.expression as ts.BinaryExpression).right as ts.ObjectLiteralExpression;
  assert.deepEqual(nodeSpan(r.doc, obj.properties[0] as ts.Node), span(3, 3, 3, 19));
});

test('columns count UTF-16 units and lines end at \\n, \\r\\n and \\r', () => {
  const r = parseJs(P, 'const a = "😀";\r\nconst b = 1;\rconst c = 2;');
  assert.deepEqual(r.problems, []);
  const [a, b, c] = r.doc.source.statements as unknown as ts.VariableStatement[];
  assert.deepEqual(nodeSpan(r.doc, a as ts.Node), span(1, 1, 1, 16));
  assert.deepEqual(nodeSpan(r.doc, b as ts.Node), span(2, 1, 2, 13));
  assert.deepEqual(nodeSpan(r.doc, c as ts.Node), span(3, 1, 3, 13));
});

test('a byte-order mark is not a column', () => {
  const r = parseJs(P, '\uFEFFconst a = 1;');
  assert.deepEqual(nodeSpan(r.doc, r.doc.source.statements[0] as ts.Node), span(1, 1, 1, 13));
});

test('one syntax error per file, at the first error, with the compiler message', () => {
  const r = parseJs(P, 'const a = {\n  b: 1,\n  c: ;\n};\nconst d = );\n');
  assert.equal(r.problems.length, 1);
  const p = r.problems[0];
  assert.equal(p?.severity, 'error');
  assert.deepEqual(p?.span, span(3, 6, 3, 7));
  assert.match(p?.message ?? '', /^Expression expected: this is not valid JavaScript/);
  assert.deepEqual(r.doc.syntaxError, span(3, 6, 3, 7));
  // What parses is still there.
  assert.equal(r.doc.source.statements.length >= 2, true);
});

test('TypeScript syntax in a .ts file, and the language named in the message', () => {
  assert.deepEqual(parseJs('a.ts', 'const a: number = 1 satisfies number;\nexport = a;').problems, []);
  const bad = parseJs('a.ts', 'const a: = 1;');
  assert.match(bad.problems[0]?.message ?? '', /not valid TypeScript/);
  const json = parseJs('a.json', '{"a": [1, 2}');
  assert.match(json.problems[0]?.message ?? '', /not valid JSON/);
});

test('legacy octal literals are accepted in CommonJS .js files, as Node accepts them', () => {
  assert.deepEqual(parseJs('a.js', 'module.exports = 010;').problems, []);
  assert.equal(parseJs('a.ts', 'export default 010;').problems.length, 1);
});

test('nesting deeper than the compiler can parse is a problem, not an exception', () => {
  const deep = `module.exports = ${'('.repeat(20000)}1${')'.repeat(20000)};`;
  const r = parseJs(P, deep);
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0]?.message ?? '', /nests expressions too deeply/);
  assert.deepEqual(r.doc.syntaxError, span(1, 1, 1, 1));
});

test('empty and whitespace-only files parse', () => {
  assert.deepEqual(parseJs(P, '').problems, []);
  assert.deepEqual(parseJs(P, '\n\n  \n').problems, []);
  assert.equal(ts.SyntaxKind[parseJs(P, '').doc.source.kind], 'SourceFile');
});
