// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dotenv's own ${VAR} expansion syntax is what these inputs hold
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dotenvNodeGet, expandPrismaDotenv, parseDotenvNode } from '../../src/parsers/dotenv-node.js';

const F = 'prisma/.env';
const span = (line: number, column: number, endColumn: number, endLine = line) => ({ path: F, line, column, endLine, endColumn });

function values(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of parseDotenvNode(F, text).doc.entries) out[e.key] = e.value.text;
  return out;
}

test('key and value spans: comments, quotes, export, the colon form', () => {
  const text = [
    '# Environment variables declared in this file are automatically made available to Prisma.',
    '',
    'DATABASE_URL="mysql://root:pw@localhost:3306/app"',
    "export SINGLE='a b'  # comment",
    'PLAIN = value with spaces   ',
    'COLON: yes',
  ].join('\n');
  const { doc, problems } = parseDotenvNode(F, text);
  assert.deepEqual(problems, []);
  const url = dotenvNodeGet(doc, 'DATABASE_URL');
  assert.deepEqual(url?.keySpan, span(3, 1, 13));
  assert.deepEqual(url?.value.span, span(3, 14, 50));
  assert.equal(url?.value.text, 'mysql://root:pw@localhost:3306/app');
  assert.equal(url?.value.quote, 'double');
  // Characters of the text map into the quoted value.
  assert.deepEqual(url?.value.spanOf(0, 5), span(3, 15, 20));
  const single = dotenvNodeGet(doc, 'SINGLE');
  assert.deepEqual(single?.keySpan, span(4, 8, 14));
  assert.deepEqual(single?.value.span, span(4, 15, 20));
  assert.deepEqual(single?.span, span(4, 1, 20));
  assert.equal(single?.value.text, 'a b');
  assert.deepEqual(dotenvNodeGet(doc, 'PLAIN')?.value.span, span(5, 9, 26));
  assert.equal(dotenvNodeGet(doc, 'PLAIN')?.value.text, 'value with spaces');
  assert.equal(dotenvNodeGet(doc, 'COLON')?.value.text, 'yes');
});

test("dotenv 16's quirks: # cuts unquoted values, only \\n and \\r expand, multi-line quotes, last one wins", () => {
  assert.deepEqual(values('A=x#y\nB="l1\\nl2\\t"\nC=\'\\n\'\nD=`tick`\nE=\nF="multi\nline"\nA=second\n'), {
    A: 'second',
    B: 'l1\nl2\\t',
    C: '\\n',
    D: 'tick',
    E: '',
    F: 'multi\nline',
  });
  // A quote not followed by the end of the line falls back to the unquoted reading, quotes kept.
  assert.deepEqual(values('A="x" y\nB="unterminated\nC=ok\n'), { A: '"x" y', B: '"unterminated', C: 'ok' });
  // Lines that are not assignments are skipped without a word; a colon needs white space after it.
  assert.deepEqual(values('not an assignment\nK:v\nbad key=1\nok.name-1=2\n'), { 'ok.name-1': '2' });
});

test('CRLF and lone CR line ends keep line and column', () => {
  const { doc } = parseDotenvNode(F, 'A=1\r\nB="two"\rC=3\r\n');
  assert.deepEqual(dotenvNodeGet(doc, 'B')?.value.span, span(2, 3, 8));
  assert.deepEqual(dotenvNodeGet(doc, 'C')?.keySpan, span(3, 1, 2));
  assert.deepEqual(dotenvNodeGet(doc, 'C')?.value.span, span(3, 3, 4));
});

test('spanOf stops at the first expanded escape and at line breaks', () => {
  const { doc } = parseDotenvNode(F, 'A="ab\\ncd"\nB=plain\n');
  const a = dotenvNodeGet(doc, 'A')?.value;
  assert.deepEqual(a?.spanOf(0, 2), span(1, 4, 6));
  assert.equal(a?.spanOf(0, 4), undefined);
  assert.deepEqual(dotenvNodeGet(doc, 'B')?.value.spanOf(1, 3), span(2, 4, 6));
});

test("Prisma's ${NAME} expansion: braces only, escapes, unknown names, loops", () => {
  const vars: Record<string, string> = { HOST: 'db', PORT: '5432', SELF: '${SELF}' };
  const look = (n: string) => vars[n];
  assert.deepEqual(expandPrismaDotenv('postgres://u@${HOST}:${PORT}/app', look), { text: 'postgres://u@db:5432/app' });
  assert.deepEqual(expandPrismaDotenv('$HOST \\${HOST}', look), { text: '$HOST ${HOST}' });
  assert.ok('unknown' in expandPrismaDotenv('${MISSING}', look));
  assert.ok('unknown' in expandPrismaDotenv('${SELF}', look));
  const { doc } = parseDotenvNode(F, 'A=${HOST}\nB=\\${HOST}\n');
  assert.equal(dotenvNodeGet(doc, 'A')?.value.interpolates, true);
  assert.equal(dotenvNodeGet(doc, 'B')?.value.interpolates, false);
});
