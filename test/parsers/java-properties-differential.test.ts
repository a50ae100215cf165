import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseJavaProperties } from '../../src/parsers/java-properties.js';
import { loadWithJava, repoRoot } from '../oracles/java-oracle.js';

const casesDir = path.join(repoRoot, 'test/parsers/properties-cases');
const cases = readdirSync(casesDir)
  .filter((f) => f.endsWith('.properties'))
  .sort();

test('properties case files exist', () => {
  assert.ok(cases.length >= 15, `expected the case files in ${casesDir}`);
});

test('parseJavaProperties stores exactly what java.util.Properties.load stores', () => {
  const files = cases.map((c) => path.join(casesDir, c));
  const java = loadWithJava(files);
  for (const file of files) {
    const expected = java[file];
    assert.ok(expected, `no oracle result for ${file}`);
    // HikariCP reads with Properties.load(InputStream): bytes as ISO-8859-1.
    const parsed = parseJavaProperties(path.basename(file), readFileSync(file).toString('latin1'));
    const errors = parsed.problems.filter((p) => p.severity === 'error');
    if (!expected.ok) {
      assert.equal(errors.length, 1, `${file}: Java failed (${expected.error}) but the parser reported ${errors.length} errors`);
      assert.match(expected.error, /Malformed \\uxxxx encoding/);
      continue;
    }
    assert.deepEqual(errors, [], `${file}: unexpected error problems`);
    const ours: Record<string, string> = {};
    for (const e of parsed.doc.entries) ours[e.key] = e.value;
    assert.deepEqual(ours, expected.entries, `${file}: entries differ from java.util.Properties`);
  }
});

test('seeded random inputs: parseJavaProperties agrees with java.util.Properties on every one', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'connlint-props-'));
  try {
    let seed = 20240601;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    // The characters the grammar treats specially, plus ordinary text and Latin-1 bytes.
    const pieces = [
      'a',
      'b',
      'key',
      '1',
      ' ',
      '\t',
      '\f',
      '=',
      ':',
      '\\',
      '\\\\',
      '\\u0041',
      '\\u00',
      '#',
      '!',
      '\n',
      '\r',
      '\r\n',
      '\xe9',
      '\xa0',
      'u',
    ];
    const files: string[] = [];
    for (let i = 0; i < 300; i++) {
      let text = '';
      const length = next() % 40;
      for (let k = 0; k < length; k++) text += pieces[next() % pieces.length];
      const file = path.join(dir, `random-${i}.properties`);
      writeFileSync(file, Buffer.from(text, 'latin1'));
      files.push(file);
    }
    const java = loadWithJava(files);
    for (const file of files) {
      const expected = java[file];
      assert.ok(expected, `no oracle result for ${file}`);
      const text = readFileSync(file).toString('latin1');
      const parsed = parseJavaProperties('random.properties', text);
      const failed = parsed.problems.some((p) => p.severity === 'error');
      assert.equal(
        failed,
        !expected.ok,
        `${JSON.stringify(text)}: Java ${expected.ok ? 'loads it' : 'fails'}, connlint ${failed ? 'fails' : 'loads it'}`,
      );
      if (!expected.ok) continue;
      const ours: Record<string, string> = {};
      for (const e of parsed.doc.entries) ours[e.key] = e.value;
      assert.deepEqual(ours, expected.entries, `${JSON.stringify(text)}: entries differ`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
