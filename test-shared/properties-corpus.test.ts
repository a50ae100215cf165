import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildHikariPool, detectHikari } from '../src/interpreters/hikaricp/pool.js';
import type { Span } from '../src/model/span.js';
import { propertyEntry } from '../src/formats/java-properties.js';
import { parseJavaProperties } from '../src/parsers/java-properties.js';
import { loadWithJava } from '../test/oracles/java-oracle.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');

function corpusFiles(): string[] {
  const hikari = path.join(corpus, 'hikari');
  const spring = path.join(corpus, 'spring');
  for (const d of [hikari, spring]) assert.ok(existsSync(d), `missing ${d}: the shared corpus must be checked out next to the repository`);
  return [
    ...readdirSync(hikari).map((f) => path.join(hikari, f)),
    ...readdirSync(spring)
      .filter((f) => f.endsWith('.properties'))
      .map((f) => path.join(spring, f)),
  ].sort();
}

function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

function assertSpan(s: Span, lines: number, file: string): void {
  assert.ok(s.line >= 1 && s.column >= 1 && s.endLine >= s.line && s.endLine <= lines, `${file}: bad span ${JSON.stringify(s)}`);
  if (s.endLine === s.line) assert.ok(s.endColumn >= s.column, `${file}: bad span ${JSON.stringify(s)}`);
}

test('corpus .properties files parse without throwing, with valid spans, and HikariCP pools build', () => {
  const files = corpusFiles();
  assert.ok(files.length >= 5);
  let pools = 0;
  for (const file of files) {
    const text = readFileSync(file).toString('latin1');
    const { doc, problems } = parseJavaProperties(path.basename(file), text);
    const lines = lineCount(text);
    for (const e of doc.entries) for (const s of [e.keySpan, e.valueSpan, e.span]) assertSpan(s, lines, file);
    for (const p of problems) assertSpan(p.span, lines, file);
    const hikari = detectHikari(doc.entries.map(propertyEntry));
    if (hikari) {
      const { pool } = buildHikariPool({ path: path.basename(file), entries: doc.entries.map(propertyEntry), prefix: hikari.prefix });
      assertSpan(pool.origin, lines, file);
      assert.ok(pool.settings.has('maxLifetime'));
      pools++;
    }
  }
  assert.ok(pools >= 4, `expected the HikariCP corpus files to be detected, got ${pools}`);
});

test('corpus .properties files give exactly the entries java.util.Properties.load gives', () => {
  const files = corpusFiles();
  const java = loadWithJava(files);
  for (const file of files) {
    const expected = java[file];
    assert.ok(expected, `no oracle result for ${file}`);
    const { doc, problems } = parseJavaProperties(path.basename(file), readFileSync(file).toString('latin1'));
    const errors = problems.filter((p) => p.severity === 'error');
    if (!expected.ok) {
      assert.ok(errors.length > 0, `${file}: Java fails (${expected.error}) but no error was reported`);
      continue;
    }
    assert.deepEqual(errors, [], file);
    const ours: Record<string, string> = {};
    for (const e of doc.entries) ours[e.key] = e.value;
    assert.deepEqual(ours, expected.entries, `${file}: entries differ from java.util.Properties`);
  }
});
