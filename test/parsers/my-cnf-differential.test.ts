import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Span } from '../../src/model/span.js';
import { groupMatches, serverGroups } from '../../src/interpreters/mysql/groups.js';
import { type OptionFileTree, resolveOptionFileTree } from '../../src/parsers/my-cnf-tree.js';
import { parseMyCnf } from '../../src/parsers/my-cnf.js';
import { findMyPrintDefaults, listCnfFiles, realFileSystem, runMyPrintDefaults } from '../oracles/my-print-defaults.js';

/*
 * Differential test: every .cnf under my-cnf-cases/ (recursively, included files too) is read by
 * MariaDB's own reader, `my_print_defaults --mysqld`, and by connlint; the option lines must be equal.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const casesDir = path.join(repoRoot, 'test/parsers/my-cnf-cases');

/** What my_print_defaults should print for the tree: one `--name[=text]` per line, newlines inside values raw. */
function expectedLines(tree: OptionFileTree): string[] {
  const groups = serverGroups('mariadb', '10.11');
  return tree.options
    .filter((r) => groupMatches(r.option.group, groups))
    .map((r) => (r.option.text === null ? `--${r.option.name}` : `--${r.option.name}=${r.option.text}`));
}

/** name -> last value, for comparing effective settings (last occurrence wins). */
function lastWins(lines: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of lines) {
    const eq = line.indexOf('=', 2);
    map.set(eq < 0 ? line : line.slice(0, eq), eq < 0 ? '' : line.slice(eq + 1));
  }
  return map;
}

function isSubsequence(small: string[], big: string[]): boolean {
  let i = 0;
  for (const x of big) if (i < small.length && small[i] === x) i++;
  return i === small.length;
}

/** Compares connlint's reading of `file` with my_print_defaults'; exported shape kept local to this test. */
function compareWithOracle(bin: string, file: string): void {
  const view = realFileSystem();
  const tree = resolveOptionFileTree(file.slice(1), view, parseMyCnf, { mounts: { '/': '.' } });
  const oracle = runMyPrintDefaults(bin, file);
  const errors = tree.problems.filter((p) => p.severity === 'error');
  if (oracle.status !== 0) {
    assert.ok(errors.length > 0, `my_print_defaults exited ${oracle.status} (${oracle.stderr.trim()}) but connlint found no error`);
    return;
  }
  assert.deepEqual(errors, [], 'my_print_defaults accepted the file but connlint reported errors');
  const expected = expectedLines(tree);
  if (tree.problems.some((p) => p.message.startsWith('Include cycle'))) {
    // mysqld re-reads a cycle until depth 10; connlint reads each file once. The effective values must agree.
    const actual = oracle.stdout.split('\n').slice(0, -1);
    assert.ok(isSubsequence(expected, actual), `connlint's lines are not in my_print_defaults' order:\n${expected.join('\n')}`);
    assert.deepEqual(lastWins(expected), lastWins(actual));
    return;
  }
  // Compared as one string so that values holding a newline are checked byte for byte.
  assert.equal(expected.map((l) => `${l}\n`).join(''), oracle.stdout);
}

/** Every span of the parse lies inside the file: 1-based, one line, columns within that line. */
function assertSpansInside(file: string): void {
  const text = readFileSync(file, 'utf8');
  const { doc, problems } = parseMyCnf('case.cnf', text);
  const spans: Span[] = problems.map((p) => p.span);
  for (const e of doc.entries) {
    spans.push(e.span);
    if (e.kind === 'option') spans.push(e.nameSpan, ...(e.valueSpan ? [e.valueSpan] : []));
    if (e.kind === 'include' || e.kind === 'includedir') spans.push(e.pathSpan);
  }
  const lines = text.split('\n');
  for (const s of spans) {
    const length = (lines[s.line - 1] ?? '').length;
    assert.ok(s.line >= 1 && s.line <= lines.length && s.endLine === s.line, `line of ${JSON.stringify(s)}`);
    assert.ok(s.column >= 1 && s.endColumn >= s.column && s.endColumn <= length + 1, `columns of ${JSON.stringify(s)}`);
  }
}

const bin = findMyPrintDefaults();
// The parser's own edge cases and every option file of the fixture repositories (issue #2).
const cases = [...listCnfFiles(casesDir), ...listCnfFiles(path.join(repoRoot, 'fixtures'))];

test('my_print_defaults is installed (the differential oracle)', () => {
  assert.ok(bin, 'my_print_defaults not found: apt-get install mariadb-client-core');
});

test('the case directory has the grammar cases', () => {
  assert.ok(cases.length >= 60, `expected at least 60 .cnf cases, found ${cases.length}`);
});

for (const file of cases) {
  test(`same options as my_print_defaults: ${path.relative(repoRoot, file)}`, () => {
    assertSpansInside(file);
    assert.ok(bin, 'my_print_defaults not found: apt-get install mariadb-client-core');
    compareWithOracle(bin, file);
  });
}
