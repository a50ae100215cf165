import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Span } from '../src/model/span.js';
import { parseSysctl } from '../src/parsers/sysctl.js';
import { orderSysctlFiles, sysctlClaim } from '../src/interpreters/linux/sysctl-files.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');
const dir = path.join(corpus, 'sysctl');

function assertSpan(s: Span, lines: string[], file: string): void {
  assert.ok(s.line >= 1 && s.line <= lines.length, `${file}: line out of range ${JSON.stringify(s)}`);
  assert.equal(s.endLine, s.line, `${file}: sysctl spans stay on one line`);
  const line = lines[s.line - 1] ?? '';
  assert.ok(s.column >= 1 && s.endColumn >= s.column && s.endColumn - 1 <= line.length, `${file}: bad columns ${JSON.stringify(s)}`);
}

test('the shared sysctl corpus is present', () => {
  assert.ok(existsSync(dir), `missing ${dir}: the shared corpus must be checked out next to the repository`);
  assert.ok(readdirSync(dir).length > 0, `${dir} is empty`);
});

test('every corpus sysctl file parses without throwing, with spans that point at the text', () => {
  const files = readdirSync(dir).sort();
  let assignments = 0;
  for (const name of files) {
    const text = readFileSync(path.join(dir, name)).toString('utf8');
    const { doc, problems } = parseSysctl(name, text);
    const lines = text.split('\n');
    for (const a of doc.assignments) {
      for (const s of [a.keySpan, a.valueSpan, a.span]) assertSpan(s, lines, name);
      const line = lines[a.keySpan.line - 1] ?? '';
      assert.equal(line.slice(a.keySpan.column - 1, a.keySpan.endColumn - 1), a.key, `${name}:${a.keySpan.line} key span`);
      assert.equal(line.slice(a.valueSpan.column - 1, a.valueSpan.endColumn - 1), a.raw, `${name}:${a.valueSpan.line} value span`);
      assert.ok(!a.canonicalKey.startsWith('-'));
    }
    for (const p of problems) {
      assertSpan(p.span, lines, name);
      assert.equal(p.severity, 'warning', `${name}: sysctl problems are warnings`);
    }
    assignments += doc.assignments.length;
  }
  assert.ok(assignments > 50, 'the corpus holds real assignments');
});

test('corpus files installed as etc/sysctl.d/*.conf are claimed and order into one tree without loss', () => {
  const files = readdirSync(dir).sort();
  const installed = files.map((f) => `etc/sysctl.d/${f}`);
  for (const p of installed) assert.ok(!('notRead' in sysctlClaim(p)), p);
  const trees = orderSysctlFiles(installed);
  assert.equal(trees.length, 1);
  assert.deepEqual(trees.flatMap((t) => t.files).sort(), [...installed].sort());
});
