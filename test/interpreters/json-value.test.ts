import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonToJsValue, MAX_JSON_NESTING } from '../../src/interpreters/js/json-value.js';
import type { JsValue } from '../../src/interpreters/js/value.js';
import { yamlToJsValue } from '../../src/interpreters/js/yaml-value.js';
import { parseYaml } from '../../src/parsers/yaml.js';

const FILE = 'config/config.json';

test('values keep exact spans: lines, UTF-16 columns, end exclusive', () => {
  const text =
    '{\n  "development": {\n    "pool": { "max": 5, "idle": 1e4 },\n    "name": "caf\\u00e9 ☕",\n    "ok": true, "n": null\n  }\n}\n';
  const { value, problems } = jsonToJsValue(FILE, text);
  assert.deepEqual(problems, []);
  assert.equal(value?.kind, 'object');
  const dev = (value as Extract<JsValue, { kind: 'object' }>).properties[0];
  assert.equal(dev?.key, 'development');
  assert.deepEqual(dev?.keySpan, { path: FILE, line: 2, column: 3, endLine: 2, endColumn: 16 });
  assert.deepEqual(dev?.span, { path: FILE, line: 2, column: 3, endLine: 6, endColumn: 4 });
  const inner = (dev?.value as Extract<JsValue, { kind: 'object' }> | undefined)?.properties ?? [];
  const pool = (inner[0]?.value as Extract<JsValue, { kind: 'object' }> | undefined)?.properties ?? [];
  assert.deepEqual(
    pool.map((p) => [p.key, p.value.kind === 'number' ? p.value.value : undefined, p.span.column, p.span.endColumn]),
    [
      ['max', 5, 15, 23],
      ['idle', 10000, 25, 36],
    ],
  );
  assert.deepEqual(inner[1]?.value, {
    kind: 'string',
    value: 'café ☕',
    span: { path: FILE, line: 4, column: 13, endLine: 4, endColumn: 26 },
  });
  assert.deepEqual(
    inner.slice(2).map((p) => p.value.kind),
    ['boolean', 'null'],
  );
});

test('a duplicate key keeps the last value, as JSON.parse does, and lists the earlier one', () => {
  const { value } = jsonToJsValue(FILE, '{"a": 1, "b": 2, "a": 3}');
  const props = (value as Extract<JsValue, { kind: 'object' }>).properties;
  assert.deepEqual(
    props.map((p) => p.key),
    ['b', 'a'],
  );
  assert.deepEqual(props[1]?.value.kind === 'number' && props[1].value.value, 3);
  assert.deepEqual(props[1]?.overrides, [{ path: FILE, line: 1, column: 2, endLine: 1, endColumn: 8 }]);
});

test('a key repeated again and again, among others: the last value, in the last place, after every earlier one (JSON and YAML)', () => {
  const at = (line: number, column: number, endColumn: number, path = FILE) => ({ path, line, column, endLine: line, endColumn });
  const json = jsonToJsValue(FILE, '{"a": 1,\n"b": 2,\n"a": 3,\n"c": 4,\n"a": 5}').value;
  const yamlFile = parseYaml('ormconfig.yml', 'a: 1\nb: 2\na: 3\nc: 4\na: 5\n').file;
  const yaml = yamlToJsValue(yamlFile, yamlFile.documents[0]?.root, at(1, 1, 1, 'ormconfig.yml'));
  for (const [value, overrides] of [
    [json, [at(1, 2, 8), at(3, 1, 7)]],
    [yaml, [at(1, 1, 5, 'ormconfig.yml'), at(3, 1, 5, 'ormconfig.yml')]],
  ] as const) {
    const props = (value as Extract<JsValue, { kind: 'object' }>).properties;
    assert.deepEqual(
      props.map((p) => [p.key, p.value.kind === 'number' ? p.value.value : p.value.kind, p.overrides?.length ?? 0]),
      [
        ['b', 2, 0],
        ['c', 4, 0],
        ['a', 5, 2],
      ],
    );
    assert.deepEqual(props[2]?.overrides, overrides);
  }
});

test('nesting deeper than connlint reads is a warning at the first level it does not read, never a crash', () => {
  const nested = (n: number) => `{"type": "mysql", "x": ${'['.repeat(n)}${']'.repeat(n)}}`;
  // The object itself is the first level: 199 arrays inside it make 200.
  assert.deepEqual(jsonToJsValue(FILE, nested(MAX_JSON_NESTING - 1)).problems, []);
  for (const n of [MAX_JSON_NESTING, 20_000]) {
    const { value, problems } = jsonToJsValue(FILE, nested(n));
    assert.equal(value, undefined);
    assert.deepEqual(
      problems.map((p) => [p.severity, p.span.line, p.span.column, p.message]),
      [
        [
          'warning',
          1,
          23 + MAX_JSON_NESTING,
          `${FILE} nests objects or arrays more than 200 levels deep: connlint does not read it, so nothing in it is checked (the program that loads it reads it)`,
        ],
      ],
    );
  }
  // What Node reads, as the message says.
  assert.doesNotThrow(() => JSON.parse(nested(20_000)));
});

test('a byte-order mark is skipped; arrays and nesting read', () => {
  const { value, problems } = jsonToJsValue(FILE, '\uFEFF[1, [2], {"x": "y"}]');
  assert.deepEqual(problems, []);
  assert.equal(value?.kind, 'array');
  assert.equal((value as Extract<JsValue, { kind: 'array' }>).items.length, 3);
  assert.equal(value?.span.column, 2);
});

test('what JSON.parse rejects is a parse error at its place, with no value', () => {
  const cases: Array<[string, number, number, RegExp]> = [
    ['{\n  "a": 1,\n}', 3, 1, /expected another property after ","/],
    ['{\n  // dev\n  "a": 1\n}', 2, 3, /a comment, which JSON does not allow/],
    ["{'a': 1}", 1, 2, /a single quote/],
    ['{"a": 01}', 1, 8, /expected "," or "}"/],
    ['{"a": 1', 1, 8, /the end of the file/],
    ['{"a": 1} x', 1, 10, /expected the end of the file after the value/],
    ['', 1, 1, /expected a value/],
  ];
  for (const [text, line, column, message] of cases) {
    const r = jsonToJsValue(FILE, text);
    assert.equal(r.value, undefined, text);
    assert.equal(r.problems.length, 1, text);
    const p = r.problems[0];
    assert.equal(p?.severity, 'error');
    assert.deepEqual([p?.span.line, p?.span.column], [line, column], text);
    assert.match(p?.message ?? '', message, text);
    assert.match(p?.message ?? '', /^config\/config\.json is not valid JSON: .*SyntaxError$/);
  }
});
