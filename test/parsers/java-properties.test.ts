import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJavaProperties } from '../../src/parsers/java-properties.js';
import type { Span } from '../../src/model/span.js';

const P = 'conf/hikari.properties';
const span = (line: number, column: number, endLine: number, endColumn: number): Span => ({ path: P, line, column, endLine, endColumn });

test('key, value and line spans of simple assignments', () => {
  const { doc, problems } = parseJavaProperties(P, 'a=1\n  bb : 22\ncc   333\n');
  assert.deepEqual(problems, []);
  const [a, b, c] = doc.entries;
  assert.ok(a && b && c);
  assert.deepEqual([a.key, a.value, a.rawKey, a.rawValue], ['a', '1', 'a', '1']);
  assert.deepEqual(a.keySpan, span(1, 1, 1, 2));
  assert.deepEqual(a.valueSpan, span(1, 3, 1, 4));
  assert.deepEqual(a.span, span(1, 1, 1, 4));
  // "  bb : 22": key at columns 3-4, value at 8-9.
  assert.deepEqual([b.key, b.value], ['bb', '22']);
  assert.deepEqual(b.keySpan, span(2, 3, 2, 5));
  assert.deepEqual(b.valueSpan, span(2, 8, 2, 10));
  assert.deepEqual(b.span, span(2, 3, 2, 10));
  // Whitespace alone separates: "cc   333".
  assert.deepEqual([c.key, c.value], ['cc', '333']);
  assert.deepEqual(c.valueSpan, span(3, 6, 3, 9));
});

test('a continued value spans several lines and keeps the raw text', () => {
  const text = 'multi=first \\\n    second\nnext=x\n';
  const { doc } = parseJavaProperties(P, text);
  const [m, n] = doc.entries;
  assert.ok(m && n);
  // The leading blanks of the continuation line are dropped, the blank before the backslash is kept.
  assert.equal(m.value, 'first second');
  assert.equal(m.rawValue, 'first \\\n    second');
  assert.deepEqual(m.valueSpan, span(1, 7, 2, 11));
  assert.deepEqual(m.span, span(1, 1, 2, 11));
  assert.deepEqual(n.keySpan, span(3, 1, 3, 5));
});

test('a key split by a continuation', () => {
  const { doc } = parseJavaProperties(P, 'max\\\n  Lifetime=5\n');
  const [e] = doc.entries;
  assert.ok(e);
  assert.equal(e.key, 'maxLifetime');
  assert.equal(e.rawKey, 'max\\\n  Lifetime');
  assert.deepEqual(e.keySpan, span(1, 1, 2, 11));
  assert.deepEqual(e.valueSpan, span(2, 12, 2, 13));
});

test('CRLF and lone CR both end lines', () => {
  const { doc } = parseJavaProperties(P, 'a=1\r\nb=2\rc=3\r\n\r\nd=4');
  assert.deepEqual(
    doc.entries.map((e) => [e.key, e.value, e.span.line, e.valueSpan.column]),
    [
      ['a', '1', 1, 3],
      ['b', '2', 2, 3],
      ['c', '3', 3, 3],
      ['d', '4', 5, 3],
    ],
  );
  // The value span ends before the terminator.
  assert.deepEqual(doc.entries[0]?.valueSpan, span(1, 3, 1, 4));
});

test('comments only where a logical line starts; # and ! inside values are data', () => {
  const { doc } = parseJavaProperties(P, '# c\n  ! c\nk=v # not a comment\nx=\\\n  #data\n');
  assert.deepEqual(
    doc.entries.map((e) => [e.key, e.value]),
    [
      ['k', 'v # not a comment'],
      ['x', '#data'],
    ],
  );
});

test('escapes: \\t \\n \\uXXXX, escaped separators, any other \\c is c', () => {
  const { doc, problems } = parseJavaProperties(P, 'a\\=b\\ c=x\\ty\\u00e9\\q\nz=\\\\\n');
  assert.deepEqual(problems, []);
  assert.deepEqual(
    doc.entries.map((e) => [e.key, e.value]),
    [
      ['a=b c', 'x\ty\u00e9q'],
      ['z', '\\'],
    ],
  );
  assert.equal(doc.entries[0]?.rawKey, 'a\\=b\\ c');
});

test('an empty value has a zero-width span where the value would start', () => {
  const { doc } = parseJavaProperties(P, 'key=\nother   \n');
  const [k, o] = doc.entries;
  assert.ok(k && o);
  assert.deepEqual([k.value, k.rawValue], ['', '']);
  assert.deepEqual(k.valueSpan, span(1, 5, 1, 5));
  // "other   ": the trailing blanks are separators, the value is empty and starts after them.
  assert.deepEqual([o.key, o.value], ['other', '']);
  assert.deepEqual(o.valueSpan, span(2, 9, 2, 9));
});

test('trailing blanks stay in the value (they break HikariCP number parsing)', () => {
  const { doc } = parseJavaProperties(P, 'maxLifetime=60000 \n');
  assert.equal(doc.entries[0]?.value, '60000 ');
  assert.deepEqual(doc.entries[0]?.valueSpan, span(1, 13, 1, 19));
});

test('duplicate keys are all kept in file order', () => {
  const { doc } = parseJavaProperties(P, 'a=1\nb=2\na=3\n');
  assert.deepEqual(
    doc.entries.map((e) => `${e.key}=${e.value}`),
    ['a=1', 'b=2', 'a=3'],
  );
});

test('a malformed \\u escape is an error at the escape and ends the file', () => {
  const { doc, problems } = parseJavaProperties(P, 'ok=1\nbad=x\\u12G4y\nlater=2\n');
  assert.deepEqual(
    doc.entries.map((e) => e.key),
    ['ok'],
  );
  assert.equal(problems.length, 1);
  const [p] = problems;
  assert.ok(p);
  assert.equal(p.severity, 'error');
  assert.deepEqual(p.span, span(2, 6, 2, 12));
  assert.match(p.message, /Malformed \\uxxxx encoding/);
  assert.match(p.message, /whole file fails to load/);
});

test('a \\u escape cut short by the end of the value is malformed too', () => {
  const { problems } = parseJavaProperties(P, 'short=ab\\u12\n');
  assert.equal(problems[0]?.severity, 'error');
  assert.deepEqual(problems[0]?.span, span(1, 9, 1, 13));
});

test('a lone backslash at the end of the file is an empty key with an empty value, as in Java', () => {
  const { doc } = parseJavaProperties(P, '\\');
  assert.deepEqual(
    doc.entries.map((e) => [e.key, e.value]),
    [['', '']],
  );
});

test('empty input and blank-only input give no entries', () => {
  assert.deepEqual(parseJavaProperties(P, '').doc.entries, []);
  assert.deepEqual(parseJavaProperties(P, '\n \t\f\r\n\n').doc.entries, []);
});

function assertValidSpan(s: Span, lineCount: number): void {
  assert.ok(s.line >= 1 && s.column >= 1, `bad start ${JSON.stringify(s)}`);
  assert.ok(s.endLine >= s.line && s.endLine <= lineCount, `bad end line ${JSON.stringify(s)}`);
  if (s.endLine === s.line) assert.ok(s.endColumn >= s.column, `bad end column ${JSON.stringify(s)}`);
}

test('random bytes, huge lines and odd endings never throw and give valid spans', () => {
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  const alphabet = 'ab=: \t\f\\\\u0#!\r\n\x00\xff';
  for (let round = 0; round < 300; round++) {
    let text = '';
    const length = next() % 200;
    for (let i = 0; i < length; i++) text += alphabet[next() % alphabet.length];
    const { doc } = parseJavaProperties(P, text);
    const lineCount = text.split(/\r\n|\r|\n/).length;
    for (const e of doc.entries) {
      for (const s of [e.keySpan, e.valueSpan, e.span]) assertValidSpan(s, lineCount);
    }
  }
  // A 2 MB line gives its one entry whole (how fast is the benchmark's concern, not a unit test's).
  const huge = `k=${'v'.repeat(2_000_000)}`;
  const { doc } = parseJavaProperties(P, huge);
  assert.equal(doc.entries.length, 1);
  assert.equal(doc.entries[0]?.key, 'k');
  assert.equal(doc.entries[0]?.value.length, 2_000_000);
});
