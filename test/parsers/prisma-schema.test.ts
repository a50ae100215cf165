import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePrismaSchema, parsePrismaSchemaCounted, prismaProperty } from '../../src/parsers/prisma-schema.js';

const P = 'prisma/schema.prisma';
const span = (line: number, column: number, endColumn: number, endLine = line) => ({ path: P, line, column, endLine, endColumn });

// The shape of most schemas in the corpus: a comment header, a generator, a datasource with env(), models.
const COMMON = [
  '// This is your Prisma schema file,',
  '',
  'generator client {',
  '  provider = "prisma-client-js"',
  '}',
  '',
  'datasource db {',
  '  provider = "postgresql"',
  '  url      = env("DATABASE_URL")',
  '}',
  '',
  'model Note {',
  '  id        String   @id @default(uuid())',
  '  content   String   @default("{ not a block }") // a } in a comment',
  '  user      User?    @relation(fields: [userId], references: [id])',
  '',
  '  @@map(name: "notes")',
  '}',
  '',
  'enum Role {',
  '  ADMIN',
  '}',
  '',
].join('\n');

test('datasource and generator blocks with exact spans; models and enums are skipped', () => {
  const { doc, problems } = parsePrismaSchema(P, COMMON);
  assert.deepEqual(problems, []);
  assert.equal(doc.generators.length, 1);
  const g = doc.generators[0];
  assert.equal(g?.name, 'client');
  assert.deepEqual(g?.nameSpan, span(3, 11, 17));
  assert.deepEqual(g?.properties[0]?.value, {
    kind: 'string',
    value: 'prisma-client-js',
    raw: '"prisma-client-js"',
    span: span(4, 14, 32),
  });
  const ds = doc.datasources[0];
  assert.ok(ds);
  assert.equal(ds.name, 'db');
  assert.deepEqual(ds.span, span(7, 1, 2, 10));
  const provider = prismaProperty(ds, 'provider');
  assert.deepEqual(provider?.keySpan, span(8, 3, 11));
  assert.deepEqual(provider?.span, span(8, 3, 26));
  const url = prismaProperty(ds, 'url');
  assert.deepEqual(url?.keySpan, span(9, 3, 6));
  assert.deepEqual(url?.value, { kind: 'env', name: 'DATABASE_URL', nameSpan: span(9, 18, 32), span: span(9, 14, 33) });
  assert.deepEqual(
    doc.skipped.map((s) => [s.kind, s.name, s.span.line, s.span.endLine]),
    [
      ['model', 'Note', 12, 18],
      ['enum', 'Role', 20, 22],
    ],
  );
});

test('CRLF line ends, a byte-order mark and /// comments keep columns exact', () => {
  const text = '\ufeff/// doc\r\ndatasource db {\r\n  provider = "mysql" // trailing\r\n  url = "mysql://u@h/d"\r\n}\r\n';
  const { doc, problems } = parsePrismaSchema(P, text);
  assert.deepEqual(problems, []);
  const ds = doc.datasources[0];
  assert.ok(ds);
  assert.deepEqual(prismaProperty(ds, 'provider')?.value.span, span(3, 14, 21));
  assert.deepEqual(prismaProperty(ds, 'url')?.value, {
    kind: 'string',
    value: 'mysql://u@h/d',
    raw: '"mysql://u@h/d"',
    span: span(4, 9, 24),
  });
});

test('strings with escapes, numbers, booleans, arrays over several lines, names, other calls', () => {
  const text = [
    'generator client {',
    '  provider        = "prisma-client-js"',
    '  previewFeatures = ["driverAdapters", // comment',
    '                     "metrics",]',
    '  binaryTargets   = ["native", env("TARGET")]',
    '  esm             = true',
    '  size            = -1.5',
    '  mode            = foreignKeys',
    '  path            = "C:\\\\x \\"q\\" \\u0041"',
    '  other           = dbgenerated("x")',
    '}',
  ].join('\n');
  const { doc, problems } = parsePrismaSchema(P, text);
  assert.deepEqual(problems, []);
  const g = doc.generators[0];
  assert.ok(g);
  const v = (k: string) => prismaProperty(g, k)?.value;
  const features = v('previewFeatures');
  assert.equal(features?.kind, 'array');
  assert.deepEqual(features?.span, span(3, 21, 33, 4));
  assert.deepEqual(features?.kind === 'array' ? features.items.map((i) => (i.kind === 'string' ? i.value : i.kind)) : [], [
    'driverAdapters',
    'metrics',
  ]);
  const targets = v('binaryTargets');
  assert.equal(targets?.kind === 'array' ? targets.items[1]?.kind : undefined, 'env');
  assert.deepEqual(v('esm'), { kind: 'boolean', value: true, span: span(6, 21, 25) });
  assert.deepEqual(v('size'), { kind: 'number', value: -1.5, raw: '-1.5', span: span(7, 21, 25) });
  assert.deepEqual(v('mode'), { kind: 'name', name: 'foreignKeys', span: span(8, 21, 32) });
  const path = v('path');
  assert.equal(path?.kind === 'string' ? path.value : undefined, 'C:\\x "q" A');
  assert.equal(v('other')?.kind, 'call');
});

test('what Prisma rejects: unknown property, unknown provider, broken lines, unterminated string and block', () => {
  const text = [
    'datasource db {',
    '  provider = "mariadb"',
    '  url = env("DATABASE_URL")',
    '  connectionLimit = 5',
    '  referentialIntegrity = "prisma"',
    '  this is wrong',
    '  shadowDatabaseUrl = "unterminated',
    '}',
    'banana {',
    '  x = 1',
    '}',
    'generator g {',
    '  provider = "x"',
  ].join('\n');
  const { doc, problems } = parsePrismaSchema(P, text);
  const got = problems.map((p) => [p.severity, p.span.line, p.span.column, p.message.slice(0, 40)]);
  assert.deepEqual(got, [
    ['error', 6, 3, 'This line is not a valid definition with'],
    ['error', 7, 23, 'This string is not closed before the end'],
    ['error', 9, 1, 'This line is invalid. It does not start '],
    ['error', 12, 1, 'generator g is not closed with }; Prisma'],
    ['error', 4, 3, 'Property not known: "connectionLimit". P'],
    ['warning', 5, 3, 'The `referentialIntegrity` attribute is '],
    ['error', 2, 14, 'Datasource provider not known: "mariadb"'],
  ]);
  // Reading goes on after each problem: the datasource keeps its good properties.
  assert.equal(prismaProperty(doc.datasources[0] as never, 'url')?.value.kind, 'env');
  assert.equal(doc.generators.length, 1);
});

test('a duplicate key stops Prisma (P1012, from its source); a second datasource is a warning the knowledge base does not confirm', () => {
  const text = 'datasource a {\n  provider = "mysql"\n  provider = "mysql"\n}\ndatasource b {\n  provider = "mysql"\n}\n';
  const { problems } = parsePrismaSchema(P, text);
  assert.deepEqual(
    problems.map((p) => [p.severity, p.span.line, p.ruleId]),
    [
      ['error', 3, 'startup-failure'],
      ['warning', 5, 'startup-failure'],
    ],
  );
  assert.match(problems[0]?.message ?? '', /Key "provider" is already defined in datasource "a"/);
  assert.match(problems[1]?.message ?? '', /not confirmed/);
});

test('random and truncated text never throws, and the work stays linear', () => {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const alphabet = [
    'datasource',
    'generator',
    'model',
    ' ',
    '\n',
    '{',
    '}',
    '"',
    '\\',
    '[',
    ']',
    '(',
    ')',
    ',',
    '=',
    'env',
    '//',
    'x',
    '1',
    '-',
    '.',
    ':',
    '\r',
  ];
  for (let round = 0; round < 300; round++) {
    let text = '';
    const n = Math.floor(rand() * 400);
    for (let i = 0; i < n; i++) text += alphabet[Math.floor(rand() * alphabet.length)];
    const { result, steps } = parsePrismaSchemaCounted(P, text);
    assert.ok(Array.isArray(result.problems));
    assert.ok(steps <= 20 * (text.length + 1), `steps ${steps} for ${text.length} characters`);
  }
  for (let cut = 0; cut <= COMMON.length; cut++) {
    const text = COMMON.slice(0, cut);
    const { steps } = parsePrismaSchemaCounted(P, text);
    assert.ok(steps <= 20 * (text.length + 1));
  }
  // Deep nesting and long pathological inputs grow linearly too.
  for (const unit of ['[', 'env(', '"', '{', 'model a {', 'datasource d {\n x = [\n']) {
    const small = parsePrismaSchemaCounted(P, `datasource d {\n v = ${unit.repeat(1000)}`).steps;
    const large = parsePrismaSchemaCounted(P, `datasource d {\n v = ${unit.repeat(10000)}`).steps;
    assert.ok(large <= 12 * small, `${JSON.stringify(unit)}: ${small} -> ${large}`);
  }
});
