import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as core from '@actions/core';
import type { Finding, LintResult, RelatedLocation, Severity } from '../../src/engine/finding.js';
import type { Span } from '../../src/model/span.js';
import { renderGithub } from '../../src/report/github.js';
import { renderer } from '../../src/report/index.js';

function span(path: string, line: number, column = 1, endColumn = column + 4, endLine = line): Span {
  return { path, line, column, endLine, endColumn };
}

function finding(ruleId: string, at: Span, message: string, severity: Severity = 'error', related: RelatedLocation[] = []): Finding {
  return { ruleId, severity, message, location: at, related, fingerprint: `${ruleId}:${at.path}:${message}` };
}

function result(findings: Finding[]): LintResult {
  return { findings, files: [], notRead: [], rules: [], toolVersion: '0.1.0' };
}

function render(findings: Finding[]): string {
  return renderGithub(result(findings), { color: false });
}

/** What @actions/core itself prints for an annotation: the oracle for connlint's own escaping. */
function oracle(severity: Severity, message: string, properties: core.AnnotationProperties): string {
  const chunks: string[] = [];
  const original = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    if (severity === 'error') core.error(message, properties);
    else if (severity === 'warning') core.warning(message, properties);
    else core.notice(message, properties);
  } finally {
    process.stdout.write = original;
  }
  return chunks.join('').replace(/\r?\n$/, '');
}

interface Command {
  name: string;
  properties: Map<string, string>;
  data: string;
}

/** Escaped property values hold no `:` or `,`, so the first `::` after the name starts the data. */
function parseCommand(line: string): Command {
  assert.ok(line.startsWith('::'), line);
  const end = line.indexOf('::', 2);
  const head = line.slice(2, end);
  const space = head.indexOf(' ');
  const name = space === -1 ? head : head.slice(0, space);
  const properties = new Map<string, string>();
  if (space !== -1) {
    for (const pair of head.slice(space + 1).split(',')) {
      const eq = pair.indexOf('=');
      properties.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  return { name, properties, data: line.slice(end + 2) };
}

const TRICKY = [
  'plain',
  '100% sure',
  'a:b',
  'x,y',
  'line1\nline2',
  'cr\rhere',
  'crlf\r\nend',
  'already %0A escaped',
  'double :: colon',
  'café ✓ 日本 😀',
];

test('escaping matches @actions/core for messages, paths and titles', () => {
  for (const text of TRICKY) {
    const at = span(`dir ${text}/my.cnf`, 3, 5, 9);
    const f = finding(`rule-${text}`, at, `message ${text}`);
    const ours = render([f]).replace(/\n$/, '');
    assert.equal(ours.split('\n').length, 1, 'one physical line per annotation');
    const theirs = oracle('error', f.message, {
      title: f.ruleId,
      file: at.path,
      startLine: at.line,
      endLine: at.endLine,
      startColumn: at.column,
      endColumn: at.endColumn,
    });
    const a = parseCommand(ours);
    const b = parseCommand(theirs);
    assert.equal(a.name, b.name);
    assert.equal(a.data, b.data, `data for ${JSON.stringify(text)}`);
    assert.deepEqual([...a.properties].sort(), [...b.properties].sort(), `properties for ${JSON.stringify(text)}`);
    // The brief's order (file first, title last); the runner reads properties by name.
    assert.deepEqual([...a.properties.keys()], ['file', 'line', 'endLine', 'col', 'endColumn', 'title']);
  }
});

test('related locations are appended to the message, escaped like @actions/core does', () => {
  const related = [
    { span: span('deploy/my,1.cnf', 9), message: 'wait_timeout: 600\n(10 min)' },
    { span: span('b%.yml', 2), message: '' },
  ];
  const f = finding('pool-lifetime-exceeds-wait-timeout', span('app.yml', 14, 7, 19), 'outlives 100%', 'warning', related);
  const ours = parseCommand(render([f]).trimEnd());
  // Written by hand from the brief: message, then " (see PATH:LINE: message)" per related location.
  const text = 'outlives 100% (see deploy/my,1.cnf:9: wait_timeout: 600\n(10 min)) (see b%.yml:2)';
  const theirs = parseCommand(oracle('warning', text, { title: 'x' }));
  assert.equal(ours.name, 'warning');
  assert.equal(ours.data, theirs.data);
  assert.equal(ours.data, 'outlives 100%25 (see deploy/my,1.cnf:9: wait_timeout: 600%0A(10 min)) (see b%25.yml:2)');
});

test('an exact annotation line, written by hand', () => {
  const f = finding('pool-lifetime-exceeds-wait-timeout', span('app/application.yml', 14, 7, 19), 'Lifetime too long', 'error', [
    { span: span('deploy/my.cnf', 9), message: 'wait_timeout is set here' },
  ]);
  assert.equal(
    render([f]),
    '::error file=app/application.yml,line=14,endLine=14,col=7,endColumn=19,' +
      'title=pool-lifetime-exceeds-wait-timeout::Lifetime too long (see deploy/my.cnf:9: wait_timeout is set here)\n',
  );
  const note = finding('some-note', span('a.cnf', 1, 1, 2), 'hint', 'note');
  assert.equal(render([note]), '::notice file=a.cnf,line=1,endLine=1,col=1,endColumn=2,title=some-note::hint\n');
});

test('a span over several lines leaves out the columns, as the runner would drop them', () => {
  const at = span('a.cnf', 3, 5, 2, 6);
  const ours = parseCommand(render([finding('r', at, 'm')]).trimEnd());
  const theirs = parseCommand(oracle('error', 'm', { title: 'r', file: 'a.cnf', startLine: 3, endLine: 6 }));
  assert.deepEqual([...ours.properties].sort(), [...theirs.properties].sort());
  assert.equal(ours.properties.has('col'), false);
});

test('no findings: empty output', () => {
  assert.equal(render([]), '');
  assert.equal(renderer('github')(result([]), { color: true }), '');
});

test('errors first, then warnings, then notes, each by path and line', () => {
  const findings = [
    finding('r', span('b.cnf', 1), 'note b1', 'note'),
    finding('r', span('b.cnf', 5), 'warning b5', 'warning'),
    finding('r', span('a.cnf', 9), 'error a9', 'error'),
    finding('r', span('a.cnf', 2), 'warning a2', 'warning'),
    finding('r', span('c.cnf', 1), 'error c1', 'error'),
    finding('r', span('a.cnf', 10), 'error a10', 'error'),
  ];
  const lines = render(findings).trimEnd().split('\n');
  assert.deepEqual(
    lines.map((l) => parseCommand(l).data),
    ['error a9', 'error a10', 'error c1', 'warning a2', 'warning b5', 'note b1'],
  );
  assert.deepEqual(
    lines.map((l) => parseCommand(l).name),
    ['error', 'error', 'error', 'warning', 'warning', 'notice'],
  );
});

function many(n: number, severity: Severity, path: string): Finding[] {
  // Reverse order, so the test also proves the kept ones are the first by line, not the first given.
  return Array.from({ length: n }, (_, i) => finding('r', span(path, n - i), `${severity} ${n - i}`, severity));
}

function countBy(lines: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const l of lines) {
    const { name, properties } = parseCommand(l);
    const key = properties.size === 0 ? `${name} (summary)` : name;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

test('ten per level and nothing more: no summary line', () => {
  const lines = render([...many(10, 'error', 'e.cnf'), ...many(10, 'warning', 'w.cnf'), ...many(10, 'note', 'n.cnf')])
    .trimEnd()
    .split('\n');
  assert.deepEqual(countBy(lines), { error: 10, warning: 10, notice: 10 });
});

test('more than ten errors: the first ten by line, then one notice saying what was left out', () => {
  const lines = render([...many(12, 'error', 'e.cnf'), ...many(3, 'warning', 'w.cnf'), ...many(2, 'note', 'n.cnf')])
    .trimEnd()
    .split('\n');
  assert.deepEqual(countBy(lines), { error: 10, warning: 3, notice: 2, 'notice (summary)': 1 });
  const kept = lines.filter((l) => parseCommand(l).name === 'error').map((l) => parseCommand(l).properties.get('line'));
  assert.deepEqual(kept, ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  const last = lines[lines.length - 1] ?? '';
  assert.equal(
    last,
    '::notice::connlint: 2 more findings (2 errors) not annotated, because GitHub shows at most 10 annotations ' +
      'of each level per step. The SARIF report and `--format json` list all of them.',
  );
});

test('the summary notice takes the tenth notice slot so GitHub does not drop it', () => {
  const overflowNotes = render(many(11, 'note', 'n.cnf'))
    .trimEnd()
    .split('\n');
  assert.deepEqual(countBy(overflowNotes), { notice: 9, 'notice (summary)': 1 });
  assert.match(overflowNotes[9] ?? '', /^::notice::connlint: 2 more findings \(2 notes\) not annotated/);

  const mixed = render([...many(11, 'error', 'e.cnf'), ...many(11, 'warning', 'w.cnf'), ...many(10, 'note', 'n.cnf')])
    .trimEnd()
    .split('\n');
  assert.deepEqual(countBy(mixed), { error: 10, warning: 10, notice: 9, 'notice (summary)': 1 });
  assert.match(mixed[mixed.length - 1] ?? '', /^::notice::connlint: 3 more findings \(1 error, 1 warning, 1 note\)/);
  for (const level of ['error', 'warning', 'notice']) {
    assert.ok(mixed.filter((l) => parseCommand(l).name === level).length <= 10, `at most 10 ${level} lines`);
  }
});
