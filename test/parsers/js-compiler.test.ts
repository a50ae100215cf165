import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { Project, ts as morphTs } from 'ts-morph';
import { parseJs } from '../../src/parsers/js.js';
import { compilerLoad, ts } from '../../src/parsers/typescript-compiler.js';
import { REPO } from '../load-trace.js';

/*
 * connlint parses with the compiler ts-morph ships, without ts-morph's project (src/parsers/typescript-compiler.ts).
 * These tests hold it to what ts-morph's in-memory project gives for the same text: the same compiler, and the same
 * tree and syntax errors for every JavaScript/TypeScript fixture and for the edge cases below.
 */

test('the compiler is the one ts-morph ships, loaded from its own file', () => {
  assert.equal(compilerLoad.road, 'ts-morph-compiler-file');
  assert.equal(ts.version, morphTs.version);
  assert.equal(ts.SyntaxKind.ObjectLiteralExpression, morphTs.SyntaxKind.ObjectLiteralExpression);
});

/** Every node as kind@pos-end, depth first: two trees with the same shape give the same list. */
function shape(source: morphTs.SourceFile): string[] {
  const out: string[] = [];
  const visit = (node: morphTs.Node): void => {
    out.push(`${morphTs.SyntaxKind[node.kind]}@${node.pos}-${node.end}`);
    morphTs.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function errors(source: morphTs.SourceFile): string[] {
  const diagnostics = (source as unknown as { parseDiagnostics?: morphTs.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return diagnostics.map((d) => `${d.code}@${d.start}+${d.length}`);
}

const project = new Project({
  useInMemoryFileSystem: true,
  skipFileDependencyResolution: true,
  skipAddingFilesFromTsConfig: true,
  compilerOptions: { allowJs: true, noLib: true },
});
let counter = 0;

function morphParse(path: string, text: string): morphTs.SourceFile {
  const file = project.createSourceFile(`/m-${counter++}/${path}`, text, { overwrite: true });
  const source = file.compilerNode;
  project.removeSourceFile(file);
  return source;
}

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourcesUnder(path));
    else if (/\.(?:[cm]?[jt]sx?)$/.test(name)) out.push(path);
  }
  return out;
}

test('every JavaScript/TypeScript fixture parses to the tree and syntax errors ts-morph gives', () => {
  const files = sourcesUnder(join(REPO, 'fixtures'));
  assert.ok(files.length >= 20, `only ${files.length} fixtures`);
  for (const file of files) {
    const path = relative(REPO, file);
    const text = readFileSync(file, 'utf8');
    const ours = parseJs(path, text).doc.source;
    const theirs = morphParse(path, text);
    assert.deepEqual(shape(ours as unknown as morphTs.SourceFile), shape(theirs), path);
    assert.deepEqual(errors(ours as unknown as morphTs.SourceFile), errors(theirs), path);
    assert.equal(ours.text, theirs.text, path);
  }
});

test('edge cases parse as in ts-morph: a byte-order mark, syntax errors, JSX, TypeScript-only syntax, JSON', () => {
  const cases: Array<[string, string]> = [
    ['knexfile.js', '\uFEFFmodule.exports = { client: "mysql2" };\n'],
    ['bad.js', 'module.exports = { client: "mysql2", pool: { min: 2, };\n'],
    ['bad.ts', 'export default { a: 1 as, b };\n'],
    ['view.jsx', 'export const A = () => <div a={1}>x</div>;\n'],
    ['view.tsx', 'export const A = (p: { a: number }) => <b>{p.a}</b>;\n'],
    ['data-source.ts', 'enum E { A = 1 }\nexport const d = new DataSource({ type: "mysql" } satisfies object) as any;\n'],
    ['config.mts', 'import type { X } from "./x.js";\nexport default {} as X;\n'],
    ['config.cjs', 'module.exports = { port: 010 };\n'],
    ['config/config.json', '{ "production": { "dialect": "mysql" }, }\n'],
  ];
  for (const [path, text] of cases) {
    const ours = parseJs(path, text).doc.source as unknown as morphTs.SourceFile;
    const theirs = morphParse(path, text);
    assert.deepEqual(shape(ours), shape(theirs), path);
    assert.deepEqual(errors(ours), errors(theirs), path);
    assert.equal(ours.languageVariant, theirs.languageVariant, path);
  }
});
