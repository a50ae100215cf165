import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { evaluateJsTree, type JsEvalStats } from '../../src/interpreters/js/evaluate.js';
import type { JsModule, JsValue } from '../../src/interpreters/js/value.js';
import type { Span } from '../../src/model/span.js';
import { nodeExports, staticCommonJsExports, staticJson } from '../oracles/node-data.js';

const P = 'knexfile.js';

function span(line: number, column: number, endLine: number, endColumn: number, path = P): Span {
  return { path, line, column, endLine, endColumn };
}

function tree(files: Record<string, string>): Map<string, JsModule> {
  const r = evaluateJsTree(Object.entries(files).map(([path, text]) => ({ path, text })));
  assert.deepEqual(r.problems, [], 'no syntax problems expected');
  return r.modules;
}

function mod(text: string, path = P): JsModule {
  return tree({ [path]: text }).get(path) as JsModule;
}

/** The default export, without spans (spans are checked by their own tests). */
function value(text: string, path = P): unknown {
  return strip(mod(text, path).defaultExport);
}

function strip(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === 'span' || k === 'keySpan' || k === 'overrides' ? undefined : x)));
}

function prop(v: JsValue | undefined, ...keys: string[]): JsValue | undefined {
  let cur = v;
  for (const k of keys) cur = cur?.kind === 'object' ? cur.properties.find((p) => p.key === k)?.value : undefined;
  return cur;
}

test('object literals, nested, with exact spans of values, properties and keys', () => {
  const m = mod('module.exports = {\n  client: "mysql2",\n  pool: { min: 2, max: 10 },\n};\n');
  const d = m.defaultExport;
  assert.equal(d?.kind, 'object');
  assert.deepEqual(d?.span, span(1, 18, 4, 2));
  const client = d?.kind === 'object' ? d.properties[0] : undefined;
  assert.deepEqual(client, {
    key: 'client',
    value: { kind: 'string', value: 'mysql2', span: span(2, 11, 2, 19) },
    span: span(2, 3, 2, 19),
    keySpan: span(2, 3, 2, 9),
  });
  assert.deepEqual(prop(d, 'pool', 'max'), { kind: 'number', value: 10, span: span(3, 24, 3, 26) });
});

test('literal forms: numbers, strings, escapes, booleans, null, undefined, void 0, NaN', () => {
  assert.deepEqual(value('module.exports = [0x10, 1_000, 1e3, .5, "a\\tb", `c`, true, false, null, undefined, void 0, -5, NaN];'), {
    kind: 'array',
    items: [
      { kind: 'number', value: 16 },
      { kind: 'number', value: 1000 },
      { kind: 'number', value: 1000 },
      { kind: 'number', value: 0.5 },
      { kind: 'string', value: 'a\tb' },
      { kind: 'string', value: 'c' },
      { kind: 'boolean', value: true },
      { kind: 'boolean', value: false },
      { kind: 'null' },
      { kind: 'undefined' },
      { kind: 'undefined' },
      { kind: 'number', value: -5 },
      { kind: 'number', value: null },
    ],
  });
});

test('const references keep the span where the value is written', () => {
  const m = mod('const MAX = 10;\nmodule.exports = { max: MAX };');
  assert.deepEqual(prop(m.defaultExport, 'max'), { kind: 'number', value: 10, span: span(1, 13, 1, 15) });
});

test('let/var assigned again, and objects changed after they are built, are unknown with the reason', () => {
  const a = mod('let x = 1;\nif (c) x = 2;\nmodule.exports = { x };');
  assert.deepEqual(strip(prop(a.defaultExport, 'x')), { kind: 'unknown', reason: 'x is assigned again at line 2' });
  const b = mod('const cfg = { pool: { max: 1 } };\ncfg.pool.max = 5;\nmodule.exports = cfg;');
  assert.deepEqual(strip(b.defaultExport), { kind: 'unknown', reason: 'cfg is changed at line 2, which connlint does not follow' });
  const c = mod('let y = 3;\nmodule.exports = { y };');
  assert.deepEqual(strip(prop(c.defaultExport, 'y')), { kind: 'number', value: 3 });
});

test('spreads: later keys replace earlier ones, keep the first position, and record what they replaced', () => {
  const m = mod('const base = { a: 1, b: 2 };\nmodule.exports = { ...base, b: 3, c: 4 };');
  const d = m.defaultExport;
  assert.deepEqual(d?.kind === 'object' ? d.properties.map((p) => [p.key, strip(p.value), p.overrides]) : undefined, [
    ['a', { kind: 'number', value: 1 }, undefined],
    ['b', { kind: 'number', value: 3 }, [span(1, 22, 1, 26)]],
    ['c', { kind: 'number', value: 4 }, undefined],
  ]);
});

test('a spread that cannot be expanded opens the object and makes earlier keys unknown', () => {
  const m = mod('module.exports = { client: "pg", ...other, max: 5 };');
  const d = m.defaultExport;
  assert.equal(d?.kind, 'object');
  if (d?.kind !== 'object') return;
  assert.deepEqual(strip(d.spreads), [{ value: { kind: 'unknown', reason: 'other is not defined in this file' } }]);
  assert.deepEqual(strip(prop(d, 'client')), {
    kind: 'unknown',
    reason: 'a spread after it (...other, line 1) may replace it',
    candidates: [{ kind: 'string', value: 'pg' }],
  });
  assert.deepEqual(strip(prop(d, 'max')), { kind: 'number', value: 5 });
});

test('export default, export const, export =, exports.x, module.exports.x', () => {
  assert.deepEqual(strip(mod('export default { a: 1 };', 'a.ts').defaultExport), {
    kind: 'object',
    properties: [{ key: 'a', value: { kind: 'number', value: 1 } }],
  });
  const named = mod('export const a = 1, b = "x";\nexport function f() { return 2; }', 'a.ts');
  assert.deepEqual(strip([...named.namedExports]), [
    ['a', { kind: 'number', value: 1 }],
    ['b', { kind: 'string', value: 'x' }],
    ['f', { kind: 'function', returns: { kind: 'number', value: 2 } }],
  ]);
  assert.deepEqual(strip(mod('const c = { a: 1 };\nexport = c;', 'a.ts').defaultExport), {
    kind: 'object',
    properties: [{ key: 'a', value: { kind: 'number', value: 1 } }],
  });
  const cjs = mod('exports.a = 1;\nmodule.exports.b = 2;');
  assert.equal(cjs.defaultExport, undefined);
  assert.deepEqual(strip([...cjs.namedExports]), [
    ['a', { kind: 'number', value: 1 }],
    ['b', { kind: 'number', value: 2 }],
  ]);
  const after = mod('module.exports = { a: 1 };\nmodule.exports.b = 2;');
  assert.deepEqual(strip(after.defaultExport), {
    kind: 'object',
    properties: [
      { key: 'a', value: { kind: 'number', value: 1 } },
      { key: 'b', value: { kind: 'number', value: 2 } },
    ],
  });
});

test('exports set inside a block are unknown', () => {
  const m = mod('if (process.env.X) {\n  module.exports = { a: 1 };\n}');
  assert.equal(m.defaultExport?.kind, 'unknown');
  assert.match(m.defaultExport?.kind === 'unknown' ? m.defaultExport.reason : '', /line 2/);
});

test('satisfies, as, as const, non-null and parentheses are transparent', () => {
  assert.deepEqual(value('const a = { x: (1 as number)! } as const;\nexport default (a satisfies object);', 'a.ts'), {
    kind: 'object',
    properties: [{ key: 'x', value: { kind: 'number', value: 1 } }],
  });
});

test('imports of constants between files of the tree, with extensions, index files and .js naming .ts', () => {
  const modules = tree({
    'config/index.ts': 'export const POOL = 5;\nexport default { host: "db" };\nexport * from "./more";',
    'config/more.ts': 'export const IDLE = 30;',
    'config/shared.json': '{"port": 3306}',
    'src/db.ts':
      'import cfg, { POOL, IDLE } from "../config";\nimport * as all from "../config/index.js";\nimport shared from "../config/shared.json";\nexport default { host: cfg.host, max: POOL, idle: IDLE, p: all.POOL, port: shared.port };',
    'cjs.js': 'const { POOL } = require("./config/index.ts");\nconst more = require("./config/more");\nmodule.exports = [POOL, more.IDLE];',
  });
  assert.deepEqual(strip(modules.get('src/db.ts')?.defaultExport), {
    kind: 'object',
    properties: [
      { key: 'host', value: { kind: 'string', value: 'db' } },
      { key: 'max', value: { kind: 'number', value: 5 } },
      { key: 'idle', value: { kind: 'number', value: 30 } },
      { key: 'p', value: { kind: 'number', value: 5 } },
      { key: 'port', value: { kind: 'number', value: 3306 } },
    ],
  });
  assert.deepEqual(strip(modules.get('cjs.js')?.defaultExport), {
    kind: 'array',
    items: [
      { kind: 'number', value: 5 },
      { kind: 'number', value: 30 },
    ],
  });
  // The value keeps the span in the file that wrote it.
  assert.deepEqual(prop(modules.get('src/db.ts')?.defaultExport, 'max')?.span, span(1, 21, 1, 22, 'config/index.ts'));
});

test('an import cycle is unknown with the reason, and a missing file is unknown', () => {
  const modules = tree({
    'a.js': 'const b = require("./b");\nmodule.exports = { x: b.y };',
    'b.js': 'const a = require("./a");\nmodule.exports = { y: a.x };',
  });
  const x = prop(modules.get('a.js')?.defaultExport, 'x');
  assert.equal(x?.kind, 'unknown');
  assert.match(x?.kind === 'unknown' ? x.reason : '', /cycle|itself/);
  assert.deepEqual(strip(mod('module.exports = require("./nope");').defaultExport), {
    kind: 'unknown',
    reason: './nope is not a file of the scanned tree',
  });
});

test('template literals and concatenation of constants; unknown parts keep the known prefix', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source text holding template literals
  assert.deepEqual(value('const h = "db";\nmodule.exports = `mysql://${h}:${3300 + 6}/app`;'), {
    kind: 'string',
    value: 'mysql://db:3306/app',
  });
  // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source text holding template literals
  assert.deepEqual(value('module.exports = `mysql://${process.env.HOST}/x`;'), {
    kind: 'unknown',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source text holding template literals
    reason: 'the part ${process.env.HOST} is not known (it comes from environment variable HOST)',
    prefix: 'mysql://',
  });
  assert.deepEqual(value('module.exports = "postgres://" + process.env.HOST;'), {
    kind: 'unknown',
    reason: 'it is computed from a value not known (it comes from environment variable HOST)',
    prefix: 'postgres://',
  });
});

test('arithmetic on constants', () => {
  assert.deepEqual(value('const MIN = 60 * 1000;\nmodule.exports = [5 * MIN, 2 ** 10, 7 % 4, (1 + 2) * 3, 10 / 4, 1 << 3, "a" + 1];'), {
    kind: 'array',
    items: [300000, 1024, 3, 9, 2.5, 8].map((value) => ({ kind: 'number', value })).concat([{ kind: 'string', value: 'a1' } as never]),
  });
});

test('process.env.X, process.env["X"], with ?? and || fallbacks, and exact spans', () => {
  const m = mod('module.exports = {\n  a: process.env.A,\n  b: process.env["B"] ?? "d",\n  c: process.env.C || 5,\n};');
  const d = m.defaultExport;
  assert.deepEqual(prop(d, 'a'), { kind: 'env', name: 'A', span: span(2, 6, 2, 19) });
  assert.deepEqual(prop(d, 'b'), {
    kind: 'env',
    name: 'B',
    fallback: { kind: 'string', value: 'd', span: span(3, 26, 3, 29) },
    span: span(3, 6, 3, 29),
  });
  assert.deepEqual(strip(prop(d, 'c')), { kind: 'env', name: 'C', fallback: { kind: 'number', value: 5 }, orEmpty: true });
  assert.deepEqual(strip(prop(mod('const env = process.env;\nmodule.exports = { x: env.X };').defaultExport, 'x')), {
    kind: 'env',
    name: 'X',
  });
});

test('Number, parseInt, parseFloat and unary + convert, the fallback converted too', () => {
  const d = mod(
    'module.exports = {\n  a: Number(process.env.A ?? "10"),\n  b: parseInt(process.env.B || "7", 10),\n  c: parseFloat(process.env.C),\n  d: +process.env.D,\n  e: parseInt(process.env.E),\n  f: Number(process.env.F) || 3,\n  g: parseInt("12px", 10),\n};',
  ).defaultExport;
  assert.deepEqual(prop(d, 'a'), {
    kind: 'env',
    name: 'A',
    convert: 'number',
    fallback: { kind: 'number', value: 10, span: span(2, 30, 2, 34) },
    span: span(2, 6, 2, 35),
  });
  assert.deepEqual(strip(prop(d, 'b')), { kind: 'env', name: 'B', convert: 'int', orEmpty: true, fallback: { kind: 'number', value: 7 } });
  assert.deepEqual(strip(prop(d, 'c')), { kind: 'env', name: 'C', convert: 'float' });
  assert.deepEqual(strip(prop(d, 'd')), { kind: 'env', name: 'D', convert: 'number' });
  assert.deepEqual(strip(prop(d, 'e')), { kind: 'env', name: 'E', convert: 'int', autoRadix: true });
  assert.deepEqual(strip(prop(d, 'f')), {
    kind: 'env',
    name: 'F',
    convert: 'number',
    fallback: { kind: 'number', value: 3 },
    orEmpty: true,
    orFalsy: true,
  });
  assert.deepEqual(strip(prop(d, 'g')), { kind: 'number', value: 12 });
});

test('Number("abc") is NaN, reported as a note of the module (setting-ignored-by-library, not a parse error)', () => {
  const m = mod('module.exports = { max: Number("abc") };');
  assert.deepEqual(m.problems, [
    {
      message: 'Number("abc") does not give a number: an option given this value is not the number it seems to be',
      span: span(1, 25, 1, 38),
      severity: 'note',
      ruleId: 'setting-ignored-by-library',
    },
  ]);
});

test('comparisons of an environment value with a string are booleans whose meaning is written out', () => {
  const d = mod(
    'module.exports = { a: process.env.SSL === "true", b: process.env.V !== "false", c: (process.env.W ?? "true") === "true" };',
  ).defaultExport;
  assert.deepEqual(strip(prop(d, 'a')), { kind: 'env', name: 'SSL', convert: 'boolean', equals: 'true' });
  assert.deepEqual(strip(prop(d, 'b')), {
    kind: 'env',
    name: 'V',
    convert: 'boolean',
    equals: 'false',
    negated: true,
    fallback: { kind: 'boolean', value: true },
  });
  assert.deepEqual(strip(prop(d, 'c')), {
    kind: 'env',
    name: 'W',
    convert: 'boolean',
    equals: 'true',
    fallback: { kind: 'boolean', value: true },
  });
});

test('NODE_ENV ternaries and lookups are branches, one case per environment', () => {
  const d = mod(
    'const configs = { development: { max: 1 }, production: { max: 20 } };\nmodule.exports = {\n  a: process.env.NODE_ENV === "production" ? 20 : 2,\n  b: process.env.NODE_ENV !== "production" ? 2 : 20,\n  c: process.env.NODE_ENV === "production" ? 1 : process.env.NODE_ENV === "test" ? 2 : 3,\n  d: configs[process.env.NODE_ENV].max,\n};',
  ).defaultExport;
  const two = { kind: 'number', value: 2 };
  const twenty = { kind: 'number', value: 20 };
  assert.deepEqual(strip(prop(d, 'a')), {
    kind: 'branch',
    variable: 'NODE_ENV',
    cases: [
      { when: 'production', value: twenty },
      { when: null, value: two },
    ],
  });
  assert.deepEqual(strip(prop(d, 'b')), {
    kind: 'branch',
    variable: 'NODE_ENV',
    cases: [
      { when: 'production', value: twenty },
      { when: null, value: two },
    ],
  });
  assert.deepEqual(strip(prop(d, 'c')), {
    kind: 'branch',
    variable: 'NODE_ENV',
    cases: [
      { when: 'production', value: { kind: 'number', value: 1 } },
      { when: 'test', value: two },
      { when: null, value: { kind: 'number', value: 3 } },
    ],
  });
  assert.deepEqual(strip(prop(d, 'd')), {
    kind: 'branch',
    variable: 'NODE_ENV',
    cases: [
      { when: 'development', value: { kind: 'number', value: 1 } },
      { when: 'production', value: twenty },
      { when: null, value: { kind: 'unknown', reason: 'reading max of undefined throws a TypeError' } },
    ],
  });
  assert.deepEqual(prop(d, 'a')?.span, span(3, 6, 3, 52));
});

test('other undecidable ternaries are unknown with both candidates', () => {
  assert.deepEqual(value('module.exports = process.env.FAST ? 1 : 2;'), {
    kind: 'unknown',
    reason: 'it depends on process.env.FAST (it comes from environment variable FAST)',
    candidates: [
      { kind: 'number', value: 1 },
      { kind: 'number', value: 2 },
    ],
  });
  assert.deepEqual(value('module.exports = 1 > 0 ? "yes" : "no";'), { kind: 'string', value: 'yes' });
});

test('functions: returns of an expression body or a lone return, parameters unknown', () => {
  assert.deepEqual(value('module.exports = (cfg) => ({ host: cfg.host, max: 5 });'), {
    kind: 'function',
    returns: {
      kind: 'object',
      properties: [
        {
          key: 'host',
          value: {
            kind: 'unknown',
            reason: 'host of a value not known (it is a parameter of the function at line 1, whose arguments connlint does not follow)',
          },
        },
        { key: 'max', value: { kind: 'number', value: 5 } },
      ],
    },
  });
  assert.deepEqual(value('module.exports = function () { const m = 3; return { m }; };'), {
    kind: 'function',
    returns: { kind: 'object', properties: [{ key: 'm', value: { kind: 'number', value: 3 } }] },
  });
  assert.deepEqual(value('module.exports = () => { log(); return 1; };'), { kind: 'function' });
  // A call of a function of the file without parameters is its return value.
  assert.deepEqual(value('function make() { return { max: 4 }; }\nmodule.exports = make();'), {
    kind: 'object',
    properties: [{ key: 'max', value: { kind: 'number', value: 4 } }],
  });
});

test('calls of interest, with callees resolved through imports and requires, also inside functions', () => {
  const modules = tree({
    'a.ts':
      'import knex from "knex";\nimport { DataSource } from "typeorm";\nimport * as mysql from "mysql2/promise";\nimport { TypeOrmModule } from "@nestjs/typeorm";\nexport const db = knex({ client: "mysql2" });\nexport const ds = new DataSource({ type: "mysql" });\nasync function main(host: string) {\n  const pool = mysql.createPool({ host, connectionLimit: 10 });\n}\n@Module({ imports: [TypeOrmModule.forRootAsync({ useFactory: () => ({ type: "mysql" }) })] })\nexport class AppModule {}\nconsole.log("not of interest");',
    'b.js':
      'const mysql = require("mysql2");\nconst { Pool } = require("pg");\nmysql.createPool({});\nnew Pool({ max: 3 });\nrequire("knex")({});',
  });
  const a = modules.get('a.ts') as JsModule;
  assert.deepEqual(
    a.calls.map((c) => [c.callee, c.written, c.isNew, c.ref]),
    [
      ['knex.default', 'knex', false, { module: 'knex', name: 'default' }],
      ['typeorm.DataSource', 'new DataSource', true, { module: 'typeorm', name: 'DataSource' }],
      ['mysql2/promise.createPool', 'mysql.createPool', false, { module: 'mysql2/promise', name: 'createPool' }],
      [
        '@nestjs/typeorm.TypeOrmModule.forRootAsync',
        'TypeOrmModule.forRootAsync',
        false,
        { module: '@nestjs/typeorm', name: 'TypeOrmModule.forRootAsync' },
      ],
    ],
  );
  const pool = a.calls[2];
  assert.deepEqual(strip(pool?.args), [
    {
      kind: 'object',
      properties: [
        {
          key: 'host',
          value: { kind: 'unknown', reason: 'it is a parameter of the function at line 7, whose arguments connlint does not follow' },
        },
        { key: 'connectionLimit', value: { kind: 'number', value: 10 } },
      ],
    },
  ]);
  assert.deepEqual(pool?.span, span(8, 16, 8, 63, 'a.ts'));
  assert.deepEqual(
    (modules.get('b.js') as JsModule).calls.map((c) => c.callee),
    ['mysql2.createPool', 'pg.Pool', 'knex'],
  );
  assert.deepEqual(strip(a.namedExports.get('db')), {
    kind: 'call',
    callee: 'knex.default',
    written: 'knex',
    isNew: false,
    args: [{ kind: 'object', properties: [{ key: 'client', value: { kind: 'string', value: 'mysql2' } }] }],
    ref: { module: 'knex', name: 'default' },
  });
});

test('defineConfig(...) is kept as a call around the evaluated configuration', () => {
  const m = mod(
    'import { defineConfig } from "prisma/config";\nexport default defineConfig({ schema: "prisma/schema.prisma" });',
    'prisma.config.ts',
  );
  assert.deepEqual(strip(m.defaultExport), {
    kind: 'call',
    callee: 'prisma/config.defineConfig',
    written: 'defineConfig',
    isNew: false,
    args: [{ kind: 'object', properties: [{ key: 'schema', value: { kind: 'string', value: 'prisma/schema.prisma' } }] }],
    ref: { module: 'prisma/config', name: 'defineConfig' },
  });
  assert.equal(m.calls.length, 1);
});

test('a syntax error is one problem at the first error; what parses is still evaluated', () => {
  const r = evaluateJsTree([{ path: P, text: 'module.exports = { a: 1, b: };\nconst x = ;' }]);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]?.severity, 'error');
  assert.deepEqual(r.problems[0]?.span, span(1, 29, 1, 30));
  const m = r.modules.get(P) as JsModule;
  assert.deepEqual(m.syntaxError, span(1, 29, 1, 30));
  assert.deepEqual(strip(prop(m.defaultExport, 'a')), { kind: 'number', value: 1 });
});

test('side effects written in a knexfile never happen (marker file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'connlint-marker-'));
  try {
    const marker = join(dir, 'marker');
    const text = `const fs = require('fs');\nrequire('fs').writeFileSync(${JSON.stringify(marker)}, 'x');\nfs.writeFileSync(${JSON.stringify(`${marker}2`)}, 'x');\nrequire('child_process').execSync('touch ${marker}3');\nconst cfg = (() => { fs.writeFileSync(${JSON.stringify(marker)}, 'y'); return { client: 'mysql2' }; })();\nmodule.exports = { client: 'mysql2', x: eval("require('fs').writeFileSync('${marker}', 'z')") };\nnew Function("require('fs').writeFileSync('${marker}', 'w')")();\nimport(${JSON.stringify(marker)});\n`;
    const r = evaluateJsTree([
      { path: 'knexfile.js', text },
      {
        path: 'ormconfig.ts',
        text: `import './knexfile';\nimport { writeFileSync } from 'fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\nexport default { type: 'mysql' };`,
      },
    ]);
    assert.equal(existsSync(marker), false);
    assert.equal(existsSync(`${marker}2`), false);
    assert.equal(existsSync(`${marker}3`), false);
    assert.deepEqual(strip(prop(r.modules.get('knexfile.js')?.defaultExport, 'client')), { kind: 'string', value: 'mysql2' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// Node as the differential oracle for pure-data CommonJS configs (test-only: connlint never runs code)

const PURE_DATA: Record<string, string> = {
  'plain.js': 'module.exports = { client: "mysql2", pool: { min: 2, max: 10 }, debug: false, n: null, list: [1, "two", [3]] };',
  'consts.js':
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source text holding template literals
    'const SECOND = 1000;\nconst MINUTE = 60 * SECOND;\nconst name = "app";\nmodule.exports = { idle: 5 * MINUTE, life: MINUTE * 30 - 1, name: `${name}-db`, url: "mysql://" + name + ":" + (3300 + 6) };',
  'spreads.js':
    'const base = { a: 1, b: { c: 2 }, d: 3 };\nconst list = [1, 2];\nmodule.exports = { ...base, d: 4, a: 5, e: [...list, 3, ...list], ...{ f: 6 }, ...null, "g-h": 7, 9: "nine", 1.5: "x" };',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source text holding template literals
  'dupes.js': 'module.exports = { a: 1, b: 2, a: 3, ["c" + 1]: 4, [`d${2}`]: 5 };',
  'exports.js': 'exports.a = 1;\nexports.b = { c: [true, null] };\nmodule.exports.d = "e";',
  'reassign.js': 'module.exports = { x: 1 };\nmodule.exports.y = 2;\nmodule.exports.x = 3;',
  'arith.js':
    'module.exports = [1 + 2 * 3, 10 / 4, 2 ** 10, 7 % 3, -5 % 3, 1 / 3, 0.1 + 0.2, "5" * "2", "5" + 2, 1 << 31, -1 >>> 0, 5 & 3, 5 | 3, 5 ^ 3, ~5, 1 < 2, "b" > "a", 1 == "1", null ?? 4, 0 || 5, 1 && 6, !0, typeof "s", void 0, 1e21 + 1, NaN, -0];',
  'strings.js':
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source text holding template literals
    'const a = "x\\ty", b = \'q"uote\';\nmodule.exports = { t: `${a}|${b}|${1.50}|${null}|${undefined}|${true}`, u: "\\u00e9\\u{1F600}", len: a.length, c: a[0] };',
  'builtins.js':
    'module.exports = [Number("42"), Number(""), Number(" 12 "), parseInt("08", 10), parseInt("12px"), parseFloat("1.5e3x"), String(12), Boolean(""), Number(true), parseInt("0x1f")];',
  'req/index.js':
    'const shared = require("./shared");\nconst { port } = require("./shared.json");\nmodule.exports = { ...shared.db, port, other: require("./other").x };',
  'req/shared.js': 'exports.db = { host: "localhost", user: "app" };',
  'req/shared.json': '{ "port": 3306, "nested": { "a": [1, 2] } }',
  'req/other.js': 'const x = { y: 1 };\nmodule.exports = { x };',
  'ternary.js':
    'const big = 10 > 3;\nmodule.exports = { max: big ? 20 : 2, min: "" ? 1 : 0, d: { a: 1 }.a, e: [1, 2, 3].length, f: { ...[7, 8] } };',
  'functions.js':
    'function make() { return { max: 4 }; }\nconst arrow = () => ({ min: 1 });\nmodule.exports = { ...make(), ...arrow(), v: (() => 3)() };',
  'destructure.js':
    'const { a, b: { c }, d = 9, e = 8 } = { a: 1, b: { c: 2 }, e: 0 };\nconst [x, , y] = [5, 6, 7];\nmodule.exports = { a, c, d, e, x, y };',
  'assign.js': 'module.exports = Object.assign({}, { a: 1, b: 2 }, { b: 3 }, null);',
  'ts-like.cjs': 'const cfg = { a: 1 };\nmodule.exports = exports = cfg;',
};

test('pure-data configs: the static values are what Node gives (differential)', () => {
  const entries = Object.keys(PURE_DATA).filter((p) => !p.startsWith('req/') || p === 'req/index.js');
  const expected = nodeExports(PURE_DATA, entries);
  const r = evaluateJsTree(Object.entries(PURE_DATA).map(([path, text]) => ({ path, text })));
  assert.deepEqual(r.problems, []);
  let compared = 0;
  for (const entry of entries) {
    // `module.exports =`, or with only `exports.x =` the exports object.
    const v = staticCommonJsExports(r.modules.get(entry) as JsModule);
    const got = staticJson(v);
    assert.notEqual(got, undefined, `${entry}: every value should be known, got ${JSON.stringify(strip(v))}`);
    assert.equal(got, expected.get(entry), entry);
    compared++;
  }
  assert.equal(compared, entries.length);
});

// ---------------------------------------------------------------------------------------------
// Robustness: generated inputs never throw and work stays linear

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomExpr(r: () => number, depth: number): string {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source text holding template literals
  const leaves = ['1', '"s"', 'process.env.X', 'A', 'true', 'null', '`t${A}`', 'process.env.NODE_ENV', 'undefined', '...', 'x.y'];
  if (depth <= 0 || r() < 0.2) return leaves[Math.floor(r() * leaves.length)] as string;
  const sub = () => randomExpr(r, depth - 1);
  switch (Math.floor(r() * 10)) {
    case 0:
      return `{ a: ${sub()}, ...${sub()}, [${sub()}]: ${sub()} }`;
    case 1:
      return `[${sub()}, ...${sub()}]`;
    case 2:
      return `(${sub()} ? ${sub()} : ${sub()})`;
    case 3:
      return `${sub()} + ${sub()} * ${sub()}`;
    case 4:
      return `Number(${sub()} ?? ${sub()})`;
    case 5:
      return `knex(${sub()})`;
    case 6:
      return `(() => (${sub()}))`;
    case 7:
      return `${sub()}[${sub()}]`;
    case 8:
      return `${sub()} || ${sub()} && ${sub()}`;
    default:
      return `{ ${sub()} }`;
  }
}

test('generated and truncated inputs never throw', () => {
  const r = rng(18);
  for (let i = 0; i < 300; i++) {
    const text = `const A = ${randomExpr(r, 5)};\nlet x = A;\nmodule.exports = ${randomExpr(r, 6)};\nexport default A;`;
    const cut = text.slice(0, Math.floor(r() * (text.length + 1)));
    for (const t of [text, cut, `${cut}${')]}'.repeat(3)}`]) {
      const res = evaluateJsTree([
        { path: 'a.ts', text: t },
        { path: 'b.js', text: `const a = require('./a');\nmodule.exports = { ...a, b: a.default };\n${cut}` },
      ]);
      assert.equal(res.modules.size, 2);
    }
  }
  // Deep nesting is a problem or an unknown, never an exception.
  for (const text of [
    `module.exports = ${'['.repeat(5000)}`,
    `module.exports = ${'{a:'.repeat(600)}1${'}'.repeat(600)};`,
    `module.exports = ${'-'.repeat(3000)}1;`,
  ]) {
    const res = evaluateJsTree([{ path: 'deep.js', text }]);
    assert.equal(res.modules.size, 1);
  }
});

test('work stays linear in the input size (a size-N and a size-8N input)', () => {
  const make = (n: number) => {
    const lines: string[] = ['const c0 = { a: 1, b: process.env.B ?? "x" };'];
    // Each constant reads the one before three times: without memoized bindings this is exponential.
    for (let i = 1; i < n; i++)
      lines.push(`const c${i} = { ...c${i - 1}, a: c${i - 1}.a + 1, k: \`v\${c${i - 1}.a}\`, s: [c${i - 1}.b, c${i - 1}.k] };`);
    lines.push(`module.exports = knex(c${n - 1});`);
    return lines.join('\n');
  };
  const work = (n: number) => {
    const stats: JsEvalStats = { nodesVisited: 0, steps: 0 };
    evaluateJsTree([{ path: P, text: make(n) }], { stats });
    return stats;
  };
  // Doubling spreads of an array grow the output exponentially: the budget stops them.
  const doubling = ['const a0 = [1, 2];'];
  for (let i = 1; i < 60; i++) doubling.push(`const a${i} = [...a${i - 1}, ...a${i - 1}];`);
  doubling.push('module.exports = a59;');
  const stats: JsEvalStats = { nodesVisited: 0, steps: 0 };
  const res = evaluateJsTree([{ path: P, text: doubling.join('\n') }], { stats });
  assert.equal(res.modules.get(P)?.defaultExport?.kind, 'unknown');
  assert.ok(stats.steps < 100_000 + 40 * doubling.join('\n').length + 1000);
  const small = work(40);
  const large = work(320);
  assert.ok(large.nodesVisited <= 10 * small.nodesVisited, `nodes ${small.nodesVisited} -> ${large.nodesVisited}`);
  assert.ok(large.steps <= 10 * small.steps + 1000, `steps ${small.steps} -> ${large.steps}`);
});
