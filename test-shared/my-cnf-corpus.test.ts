import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Span } from '../src/model/span.js';
import { groupMatches, serverGroups } from '../src/interpreters/mysql/groups.js';
import { compareBytes, type OptionFileTree, resolveOptionFileTree } from '../src/parsers/my-cnf-tree.js';
import { parseMyCnf } from '../src/parsers/my-cnf.js';
import { findMyPrintDefaults, realFileSystem, runMyPrintDefaults } from '../test/oracles/my-print-defaults.js';

/*
 * Every file of the shared corpus (templates included) must parse without throwing, with valid spans,
 * and read exactly as MariaDB's `my_print_defaults --mysqld` reads it.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = path.resolve(repoRoot, '../shared/corpus');
const mycnfDir = path.join(corpusDir, 'mycnf');

function expectedOutput(tree: OptionFileTree): string {
  const groups = serverGroups('mariadb', '10.11');
  return tree.options
    .filter((r) => groupMatches(r.option.group, groups))
    .map((r) => (r.option.text === null ? `--${r.option.name}\n` : `--${r.option.name}=${r.option.text}\n`))
    .join('');
}

/** A span must lie inside the file: 1-based, one line, columns within the line (endColumn exclusive). */
function assertSpanInside(span: Span, file: string, lines: string[], what: string): void {
  assert.equal(span.path, file, `${what}: path`);
  assert.ok(span.line >= 1 && span.line <= lines.length, `${what}: line ${span.line} outside 1..${lines.length}`);
  assert.equal(span.endLine, span.line, `${what}: spans one line`);
  const length = (lines[span.line - 1] ?? '').length;
  assert.ok(span.column >= 1, `${what}: column ${span.column} < 1`);
  assert.ok(span.endColumn >= span.column, `${what}: endColumn ${span.endColumn} < column ${span.column}`);
  assert.ok(span.endColumn <= length + 1, `${what}: endColumn ${span.endColumn} beyond line length ${length}`);
}

test('the shared corpus is present', () => {
  assert.ok(existsSync(mycnfDir), `corpus not found at ${mycnfDir} (expected ../shared/corpus next to the repository)`);
  assert.ok(readdirSync(mycnfDir).length > 0, `no files in ${mycnfDir}`);
});

const files = existsSync(mycnfDir) ? readdirSync(mycnfDir).sort(compareBytes) : [];
const bin = findMyPrintDefaults();

for (const name of files) {
  const abs = path.join(mycnfDir, name);
  test(`corpus ${name}: parses with spans inside the file`, () => {
    const text = readFileSync(abs, 'utf8');
    const rel = `mycnf/${name}`;
    const { doc, problems } = parseMyCnf(rel, text);
    const lines = text.split('\n');
    for (const e of doc.entries) {
      if (e.kind === 'group') assertSpanInside(e.span, rel, lines, `group ${e.name}`);
      else if (e.kind === 'option') {
        assertSpanInside(e.nameSpan, rel, lines, `name of ${e.name}`);
        assertSpanInside(e.span, rel, lines, `option ${e.name}`);
        if (e.valueSpan) assertSpanInside(e.valueSpan, rel, lines, `value of ${e.name}`);
        // The span of the value covers exactly the raw text as written.
        if (e.valueSpan && e.raw !== null) {
          assert.equal((lines[e.valueSpan.line - 1] ?? '').slice(e.valueSpan.column - 1, e.valueSpan.endColumn - 1), e.raw);
        }
        assert.equal((lines[e.nameSpan.line - 1] ?? '').slice(e.nameSpan.column - 1, e.nameSpan.endColumn - 1), e.name);
      } else {
        assertSpanInside(e.span, rel, lines, `directive ${e.path}`);
        assertSpanInside(e.pathSpan, rel, lines, `path ${e.path}`);
      }
    }
    for (const p of problems) assertSpanInside(p.span, rel, lines, `problem ${p.message}`);
    if (doc.stoppedAt) assertSpanInside(doc.stoppedAt, rel, lines, 'stoppedAt');
  });

  test(`corpus ${name}: same options as my_print_defaults`, () => {
    assert.ok(bin, 'my_print_defaults not found: apt-get install mariadb-client-core');
    const tree = resolveOptionFileTree(abs.slice(1), realFileSystem(), parseMyCnf, { mounts: { '/': '.' } });
    const oracle = runMyPrintDefaults(bin, abs);
    const errors = tree.problems.filter((p) => p.severity === 'error');
    if (oracle.status !== 0) {
      assert.ok(errors.length > 0, `my_print_defaults exited ${oracle.status} (${oracle.stderr.trim()}) but connlint found no error`);
      return;
    }
    assert.deepEqual(errors, []);
    assert.equal(expectedOutput(tree), oracle.stdout);
  });
}
