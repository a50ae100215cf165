import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Entry } from '../../src/model/entry.js';
import { MAX_ALIASED_NODES, MAX_DOCUMENTS, MAX_NESTING, parseYaml, yamlEntries } from '../../src/parsers/yaml.js';

const PATH = 'src/main/resources/application.yml';

function span(line: number, column: number, endColumn: number, endLine = line) {
  return { path: PATH, line, column, endLine, endColumn };
}

/** Entries of `text`, expecting no problem. */
function entriesOf(text: string): Entry[] {
  const { file, problems } = parseYaml(PATH, text);
  assert.deepEqual(problems, []);
  return yamlEntries(file);
}

/** key -> text, in order, for comparing what was read apart from positions. */
function texts(entries: Entry[]): Array<[string, string | null]> {
  return entries.map((e) => [e.key, e.text]);
}

test('nested keys become dotted paths; key, value and entry spans on several lines', () => {
  const text = [
    'spring:',
    '  datasource:',
    '    url: "jdbc:mysql://db/shop"   # quoted',
    '    hikari:',
    '      max-lifetime: 30m',
    '      auto-commit: true',
    '      maximum-pool-size: 10',
    '',
  ].join('\n');
  const entries = entriesOf(text);
  assert.deepEqual(texts(entries), [
    ['spring.datasource.url', 'jdbc:mysql://db/shop'],
    ['spring.datasource.hikari.max-lifetime', '30m'],
    ['spring.datasource.hikari.auto-commit', 'true'],
    ['spring.datasource.hikari.maximum-pool-size', '10'],
  ]);
  const [url, lifetime] = entries;
  // Quotes belong to the raw text and the value's span, not to the text the program reads.
  assert.deepEqual(url, {
    key: 'spring.datasource.url',
    text: 'jdbc:mysql://db/shop',
    raw: '"jdbc:mysql://db/shop"',
    keySpan: span(3, 5, 8),
    valueSpan: span(3, 10, 32),
    span: span(3, 5, 32),
    document: 0,
  });
  assert.deepEqual(lifetime?.keySpan, span(5, 7, 19));
  assert.deepEqual(lifetime?.valueSpan, span(5, 21, 24));
  assert.equal(lifetime?.raw, '30m');
});

test('text is the scalar as YAML reads it before typing; raw is the source', () => {
  const text = [
    'a: 8.0',
    'b: 0x10',
    "c: 'it''s'",
    'd: "tab\\there"',
    'e: 1800000',
    'f: |',
    '  line one',
    '  line two',
    'g: >-',
    '  folded',
    '  text',
    '',
  ].join('\n');
  const entries = entriesOf(text);
  assert.deepEqual(texts(entries), [
    ['a', '8.0'],
    ['b', '0x10'],
    ['c', "it's"],
    ['d', 'tab\there'],
    ['e', '1800000'],
    ['f', 'line one\nline two\n'],
    ['g', 'folded text'],
  ]);
  assert.deepEqual(
    entries.map((e) => e.raw),
    ['8.0', '0x10', "'it''s'", '"tab\\there"', '1800000', '|\n  line one\n  line two', '>-\n  folded\n  text'],
  );
  // A block scalar's span ends at its last character, not after the line break.
  assert.deepEqual(entries[5]?.valueSpan, span(6, 4, 11, 8));
});

test('nulls and empty values: text null; the value span is the key span when nothing is written', () => {
  const entries = entriesOf('a:\nb: ~\nc: null\nd: ""\ne: {}\nf: []\n');
  // Empty collections are not scalar leaves.
  assert.deepEqual(texts(entries), [
    ['a', null],
    ['b', null],
    ['c', null],
    ['d', ''],
  ]);
  const [a, b] = entries;
  assert.equal(a?.raw, null);
  assert.deepEqual(a?.valueSpan, span(1, 1, 2));
  assert.deepEqual(a?.span, span(1, 1, 2));
  assert.equal(b?.raw, '~');
  assert.deepEqual(b?.valueSpan, span(2, 4, 5));
});

test('sequences: items as list[0], sequences of mappings, a sequence at the top', () => {
  const entries = entriesOf('hosts:\n  - db1\n  - db2\nservers:\n  - name: a\n    port: 3306\n  - [x, y]\n');
  assert.deepEqual(texts(entries), [
    ['hosts[0]', 'db1'],
    ['hosts[1]', 'db2'],
    ['servers[0].name', 'a'],
    ['servers[0].port', '3306'],
    ['servers[1][0]', 'x'],
    ['servers[1][1]', 'y'],
  ]);
  // An item has no key: its key span is the item itself.
  assert.deepEqual(entries[1]?.keySpan, span(3, 5, 8));
  assert.deepEqual(entries[1]?.valueSpan, span(3, 5, 8));
  assert.deepEqual(texts(entriesOf('- 1\n- k: v\n')), [
    ['[0]', '1'],
    ['[1].k', 'v'],
  ]);
});

test('flow mappings and sequences keep exact columns', () => {
  const entries = entriesOf('pool: { maxLifetime: 1800000, hosts: [a, "b"] }\n');
  assert.deepEqual(texts(entries), [
    ['pool.maxLifetime', '1800000'],
    ['pool.hosts[0]', 'a'],
    ['pool.hosts[1]', 'b'],
  ]);
  assert.deepEqual(entries[0]?.keySpan, span(1, 9, 20));
  assert.deepEqual(entries[0]?.valueSpan, span(1, 22, 29));
  assert.deepEqual(entries[2]?.valueSpan, span(1, 42, 45));
  // A flow key without a value.
  const [bare] = entriesOf('{a}\n');
  assert.deepEqual(bare && [bare.key, bare.text, bare.raw], ['a', null, null]);
});

test('quoted keys with dots are joined as written, as Spring Boot flattens them', () => {
  const entries = entriesOf('"spring.datasource":\n  \'hikari.max-lifetime\': 30m\nlogging:\n  level:\n    "org.hibernate": debug\n');
  assert.deepEqual(texts(entries), [
    ['spring.datasource.hikari.max-lifetime', '30m'],
    ['logging.level.org.hibernate', 'debug'],
  ]);
  assert.deepEqual(entries[0]?.keySpan, span(2, 3, 24));
  assert.deepEqual(entries[0]?.span, span(2, 3, 29));
});

test('multi-document files: each entry carries its document index; empty documents count', () => {
  const text = [
    'a: 1',
    '---',
    'spring:',
    '  config:',
    '    activate:',
    '      on-profile: prod',
    '---',
    '---',
    '# only a comment',
    '---',
    'b: 2',
    '',
  ].join('\n');
  const { file, problems } = parseYaml(PATH, text);
  assert.deepEqual(problems, []);
  assert.equal(file.documents.length, 5);
  assert.deepEqual(
    file.documents.map((d) => d.index),
    [0, 1, 2, 3, 4],
  );
  assert.equal(file.documents[2]?.root, null);
  const entries = yamlEntries(file);
  assert.deepEqual(
    entries.map((e) => [e.key, e.document]),
    [
      ['a', 0],
      ['spring.config.activate.on-profile', 1],
      ['b', 4],
    ],
  );
  assert.deepEqual(entries[1]?.valueSpan, span(6, 19, 23));
  assert.deepEqual(entries[2]?.keySpan, span(11, 1, 2));
  // `...` ends a document too.
  assert.deepEqual(
    entriesOf('k: v\n...\nz: 1\n').map((e) => e.document),
    [0, 1],
  );
});

test('empty input is one empty document without problems or entries', () => {
  for (const text of ['', '\n\n', '# only a comment\n', '~\n', '---\n', '   ', '\uFEFF']) {
    const { file, problems } = parseYaml(PATH, text);
    assert.deepEqual(problems, [], JSON.stringify(text));
    assert.equal(file.documents.length, 1, JSON.stringify(text));
    assert.deepEqual(yamlEntries(file), [], JSON.stringify(text));
  }
  // A scalar document has no key, so no entry.
  assert.deepEqual(entriesOf('just text\n'), []);
});

test('a repeated key is a problem at the second key; both entries are kept in order', () => {
  const { file, problems } = parseYaml(PATH, 'pool:\n  size: 5\n  other: x\n  size: 10\n');
  assert.deepEqual(problems, [
    { message: 'invalid YAML: key "size" appears twice in one mapping (first on line 2)', span: span(4, 3, 7), severity: 'error' },
  ]);
  // Which one wins differs by program, so both are entries.
  assert.deepEqual(texts(yamlEntries(file)), [
    ['pool.size', '5'],
    ['pool.other', 'x'],
    ['pool.size', '10'],
  ]);
  // The same key in two mappings, or in two documents, is not repeated.
  assert.deepEqual(parseYaml(PATH, 'a:\n  k: 1\nb:\n  k: 2\n---\na: 3\n').problems, []);
  // Quoting does not make another key.
  assert.equal(parseYaml(PATH, 'k: 1\n"k": 2\n').problems.length, 1);
});

test('aliases: followed with spans where the values are written', () => {
  const { file, problems } = parseYaml(PATH, 'base: &base\n  size: 5\ncopy: *base\nt: &t 30s\nu: *t\n');
  assert.deepEqual(problems, []);
  const entries = yamlEntries(file);
  assert.deepEqual(texts(entries), [
    ['base.size', '5'],
    ['copy.size', '5'],
    ['t', '30s'],
    ['u', '30s'],
  ]);
  // copy.size is written at base.size.
  assert.deepEqual(entries[1]?.keySpan, span(2, 3, 7));
  assert.deepEqual(entries[1]?.valueSpan, span(2, 9, 10));
  // u: its key where it is, its value at the anchored scalar, the entry up to the alias.
  assert.deepEqual(entries[3]?.keySpan, span(5, 1, 2));
  assert.deepEqual(entries[3]?.valueSpan, span(4, 7, 10));
  assert.deepEqual(entries[3]?.span, span(5, 1, 6));
  assert.equal(entries[3]?.raw, '30s');
});

test('an alias without an anchor before it, or inside the node it names, is a problem', () => {
  const unknown = parseYaml(PATH, 'a: *nowhere\nb: &later 1\nc: *later\n');
  assert.deepEqual(unknown.problems, [
    { message: 'invalid YAML: alias *nowhere has no anchor &nowhere before it', span: span(1, 4, 12), severity: 'error' },
  ]);
  assert.deepEqual(texts(yamlEntries(unknown.file)), [
    ['a', null],
    ['b', '1'],
    ['c', '1'],
  ]);
  const loop = parseYaml(PATH, 'a: &a [*a]\nb: &b {k: *b}\n');
  assert.deepEqual(
    loop.problems.map((p) => [p.message, p.span.line, p.span.column]),
    [
      ['invalid YAML: alias *a is inside the node it names', 1, 8],
      ['invalid YAML: alias *b is inside the node it names', 2, 11],
    ],
  );
  assert.equal(yamlEntries(loop.file).length, 2);
});

test('alias bombs give one problem at the alias that ran out, and bounded entries', () => {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (const [name, previous] of [
    ['b', 'a'],
    ['c', 'b'],
    ['d', 'c'],
    ['e', 'd'],
    ['f', 'e'],
    ['g', 'f'],
    ['h', 'g'],
    ['i', 'h'],
  ]) {
    lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
  }
  const { file, problems } = parseYaml(PATH, `${lines.join('\n')}\n`);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.message, `invalid YAML: aliases expand to more than ${MAX_ALIASED_NODES} values`);
  // a (10) + b (10 x 11 = 110) + c (10 x 111 = 1110) fit; d's expansions pass the bound in its fourth alias.
  assert.deepEqual(problems[0]?.span, span(4, 36, 38));
  assert.ok(yamlEntries(file).length <= MAX_ALIASED_NODES + 100);
  // Through mappings as well.
  const maps = ['m0: &m0 {a: 1, b: 1, c: 1, d: 1}'];
  for (let i = 1; i < 30; i++) maps.push(`m${i}: &m${i} {a: *m${i - 1}, b: *m${i - 1}, c: *m${i - 1}, d: *m${i - 1}}`);
  const viaMaps = parseYaml(PATH, maps.join('\n'));
  assert.deepEqual(
    viaMaps.problems.map((p) => p.message),
    [`invalid YAML: aliases expand to more than ${MAX_ALIASED_NODES} values`],
  );
  assert.ok(yamlEntries(viaMaps.file).length <= MAX_ALIASED_NODES + 100);
});

test('deep nesting is a problem at the first level too deep, before the YAML package sees it', () => {
  for (const [text, column] of [
    ['['.repeat(100_000), MAX_NESTING + 1],
    ['{a: '.repeat(50_000), 4 * MAX_NESTING + 1],
    ['- '.repeat(100_000), MAX_NESTING + 1],
  ] as const) {
    const { file, problems } = parseYaml(PATH, text);
    assert.deepEqual(
      problems.map((p) => p.message),
      [`nested more than ${MAX_NESTING} levels deep; not read`],
    );
    assert.deepEqual(problems[0]?.span, span(1, column, column + 1));
    assert.deepEqual(file.documents, []);
    assert.deepEqual(yamlEntries(file), []);
  }
  // Block nesting on many lines: each level's indentation counts.
  const deep = Array.from({ length: 150 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n');
  assert.equal(parseYaml(PATH, deep).problems[0]?.message, `nested more than ${MAX_NESTING} levels deep; not read`);
  // Real nesting stays readable.
  const fine = Array.from({ length: 20 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n');
  assert.deepEqual(parseYaml(PATH, `${fine} v\n`).problems, []);
});

test('more documents than the bound: the rest are reported at the first one left out', () => {
  const { file, problems } = parseYaml(PATH, 'a: 1\n---\n'.repeat(MAX_DOCUMENTS + 5));
  assert.equal(file.documents.length, MAX_DOCUMENTS);
  assert.deepEqual(
    problems.map((p) => [p.message, p.span.line, p.span.column]),
    [[`more than ${MAX_DOCUMENTS} YAML documents; the rest are not read`, 2 * MAX_DOCUMENTS, 1]],
  );
  assert.equal(yamlEntries(file).length, MAX_DOCUMENTS);
});

test('CRLF line ends and a byte-order mark leave lines and columns unchanged', () => {
  const lf = 'pool:\n  maxLifetime: 30m\n  hosts:\n    - a\n';
  const expected = parseYaml(PATH, lf);
  for (const input of [lf.replace(/\n/g, '\r\n'), `\uFEFF${lf}`, `\uFEFF${lf.replace(/\n/g, '\r\n')}`]) {
    const { file, problems } = parseYaml(PATH, input);
    assert.deepEqual(problems, []);
    const entries = yamlEntries(file);
    assert.deepEqual(entries, yamlEntries(expected.file), JSON.stringify(input));
    assert.deepEqual(entries[0]?.valueSpan, span(2, 16, 19));
  }
});

test('syntax errors are problems at their position; what could be read is kept', () => {
  const { file, problems } = parseYaml(PATH, 'a: 1\nb: [1, 2\nc: 3\n');
  assert.ok(problems.length > 0);
  for (const p of problems) {
    assert.match(p.message, /^invalid YAML: /);
    assert.equal(p.severity, 'error');
    assert.ok(p.span.line >= 2, JSON.stringify(p));
  }
  assert.deepEqual(yamlEntries(file)[0]?.key, 'a');
  const compact = parseYaml(PATH, 'network: idleTimeout: 5m\n');
  assert.deepEqual(compact.problems, [
    { message: 'invalid YAML: nested mappings are not allowed in compact mappings', span: span(1, 10, 11), severity: 'error' },
  ]);
});

test('random bytes never throw, and every problem has a position', () => {
  // A fixed-seed generator keeps the inputs the same on every run.
  let seed = 7;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed;
  };
  const alphabet = [
    '-',
    ' ',
    ':',
    '\n',
    '[',
    ']',
    '{',
    '}',
    '&a',
    '*a',
    '"',
    "'",
    '|',
    '>',
    '---',
    '#',
    '?',
    ',',
    'k',
    '!',
    '%',
    '\t',
    '\r',
  ];
  for (let i = 0; i < 300; i++) {
    const text =
      i % 2 === 0
        ? String.fromCharCode(...Array.from({ length: 1 + (next() % 200) }, () => next() % 256))
        : Array.from({ length: 1 + (next() % 80) }, () => alphabet[next() % alphabet.length]).join('');
    const { file, problems } = parseYaml(PATH, text);
    for (const p of problems) assert.ok(p.span.line >= 1 && p.span.column >= 1, JSON.stringify({ text, p }));
    for (const e of yamlEntries(file)) assert.ok(e.keySpan.line >= 1 && e.valueSpan.line >= 1, JSON.stringify({ text, e }));
  }
});

test('a syntax error never quotes the token it is about (it may be a secret); the span points at it', () => {
  const { problems } = parseYaml('c.yaml', '- a\nb: s3cret\n');
  assert.ok(problems.length > 0);
  for (const p of problems) assert.doesNotMatch(p.message, /s3cret/);
  assert.ok(problems.some((p) => p.span.line === 2));
});
