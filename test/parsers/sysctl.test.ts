import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readKernelInteger } from '../../src/interpreters/linux/kernel-integer.js';
import { parseSysctl } from '../../src/parsers/sysctl.js';
import type { Span } from '../../src/model/span.js';

const P = 'etc/sysctl.d/60-net.conf';
const span = (line: number, column: number, endColumn: number): Span => ({ path: P, line, column, endLine: line, endColumn });

test('assignments with spans; comments (# and ;) and blank lines skipped', () => {
  const text = '# comment\n; also a comment\n\n  net.ipv4.tcp_keepalive_time = 600\nvm.swappiness=10\n';
  const { doc, problems } = parseSysctl(P, text);
  assert.deepEqual(problems, []);
  assert.equal(doc.assignments.length, 2);
  const [a, b] = doc.assignments;
  assert.ok(a && b);
  assert.deepEqual(
    [a.key, a.canonicalKey, a.raw, a.ignoreFailure],
    ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_keepalive_time', '600', false],
  );
  // "  net.ipv4.tcp_keepalive_time = 600": key at columns 3-29, value at 33-35.
  assert.deepEqual(a.keySpan, span(4, 3, 30));
  assert.deepEqual(a.valueSpan, span(4, 33, 36));
  assert.deepEqual(a.span, span(4, 3, 36));
  assert.deepEqual([b.key, b.raw], ['vm.swappiness', '10']);
  assert.deepEqual(b.valueSpan, span(5, 15, 17));
});

test('slash keys map to the dotted form; the first separator decides (sysctl.md, key separators)', () => {
  const { doc } = parseSysctl(
    P,
    'net/ipv4/tcp_keepalive_intvl = 30\nnet/ipv4/conf/eth0.100/rp_filter = 1\nnet.ipv4.conf.eth0/100.rp_filter = 1\n',
  );
  assert.deepEqual(
    doc.assignments.map((a) => a.canonicalKey),
    ['net.ipv4.tcp_keepalive_intvl', 'net.ipv4.conf.eth0/100.rp_filter', 'net.ipv4.conf.eth0/100.rp_filter'],
  );
  assert.equal(doc.assignments[0]?.key, 'net/ipv4/tcp_keepalive_intvl');
});

test("a leading '-' ignores failures; '-key' alone is a glob exclusion and sets nothing; globs are legal", () => {
  const { doc, problems } = parseSysctl(
    P,
    '-net.ipv4.tcp_keepalive_time = 300\n-net.ipv4.conf.lo.rp_filter\nnet.ipv4.conf.*.rp_filter = 2\n',
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(
    doc.assignments.map((a) => [a.key, a.ignoreFailure, a.raw]),
    [
      ['net.ipv4.tcp_keepalive_time', true, '300'],
      ['net.ipv4.conf.*.rp_filter', false, '2'],
    ],
  );
  // The key span starts after the dash.
  assert.deepEqual(doc.assignments[0]?.keySpan, span(1, 2, 29));
});

test('inner spaces of a value are kept; CRLF line ends are trimmed', () => {
  const { doc, problems } = parseSysctl(P, 'net.ipv4.ip_local_port_range = 1024   65000\r\nkernel.domainname = example.com\r\n');
  assert.deepEqual(problems, []);
  assert.deepEqual(
    doc.assignments.map((a) => a.raw),
    ['1024   65000', 'example.com'],
  );
  assert.deepEqual(doc.assignments[0]?.valueSpan, span(1, 32, 44));
});

test('a # after the value is part of it: warned, value kept whole', () => {
  const { doc, problems } = parseSysctl(P, 'net.ipv4.tcp_keepalive_time = 600 # ten minutes\n');
  assert.equal(doc.assignments[0]?.raw, '600 # ten minutes');
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.severity, 'warning');
  assert.match(problems[0]?.message ?? '', /no inline comments/);
  // The warning points at "# ten minutes" (columns 35-47).
  assert.deepEqual(problems[0]?.span, span(1, 35, 48));
});

test("quotes are literal: warned for every key (what the kernel makes of the value is the interpreter's business)", () => {
  const { doc, problems } = parseSysctl(P, 'net.ipv4.tcp_keepalive_time = "600"\nkernel.hostname = "box"\n');
  assert.deepEqual(
    doc.assignments.map((a) => a.raw),
    ['"600"', '"box"'],
  );
  assert.equal(problems.length, 2);
  for (const p of problems) assert.match(p.message, /does not remove quotes/);
  assert.ok(problems.every((p) => p.severity === 'warning'));
  // Readable text with a surprising meaning: not a parse error.
  assert.ok(problems.every((p) => p.ruleId === 'setting-ignored-by-library'));
});

test('empty values and lines without = are warned', () => {
  const { doc, problems } = parseSysctl(P, 'net.ipv4.tcp_keepalive_probes =\nnet.ipv4.tcp_keepalive_time 600\n');
  assert.deepEqual(
    doc.assignments.map((a) => [a.key, a.raw]),
    [['net.ipv4.tcp_keepalive_probes', '']],
  );
  assert.equal(problems.length, 2);
  assert.match(problems[0]?.message ?? '', /empty value/);
  assert.deepEqual(problems[0]?.span, span(1, 32, 32));
  assert.match(problems[1]?.message ?? '', /not an assignment/);
  // A line sysctl cannot read stays a parse error; an empty value is read, as an empty string.
  assert.deepEqual(
    problems.map((p) => p.ruleId),
    ['setting-ignored-by-library', undefined],
  );
  assert.deepEqual(problems[1]?.span, span(2, 1, 32));
});

test('readKernelInteger follows the kernel: base 0, blanks around, one integer, int range', () => {
  const table: Array<[string, number | undefined]> = [
    ['600', 600],
    ['  600  ', 600],
    ['600\t', 600],
    ['0x10', 16],
    ['0X1f', 31],
    ['010', 8],
    ['0', 0],
    ['-5', -5],
    ['600 # comment', 600],
    ['2147483647', 2147483647],
    ['-2147483648', -2147483648],
    ['2147483648', undefined],
    ['9999999999', undefined],
    ['08', undefined],
    ['0x', undefined],
    ['60s', undefined],
    ['600x', undefined],
    ['+20', undefined],
    ['1e3', undefined],
    ['"300"', undefined],
    ['', undefined],
    ['   ', undefined],
    ['-', undefined],
    ['--5', undefined],
  ];
  for (const [raw, expected] of table) assert.equal(readKernelInteger(raw), expected, `readKernelInteger(${JSON.stringify(raw)})`);
});

test('binary and huge input never throw and give valid spans', () => {
  let text = '';
  for (let i = 0; i < 5000; i++) text += String.fromCharCode((i * 7919) % 256);
  text += `\nkey = ${'9'.repeat(100000)}`;
  const { doc } = parseSysctl(P, text);
  const lines = text.split('\n');
  for (const a of doc.assignments) {
    for (const s of [a.keySpan, a.valueSpan, a.span]) {
      assert.ok(s.line >= 1 && s.line <= lines.length && s.endLine === s.line && s.column >= 1 && s.endColumn >= s.column);
      const line = lines[s.line - 1] ?? '';
      assert.ok(s.endColumn - 1 <= line.length);
    }
    const line = lines[a.keySpan.line - 1] ?? '';
    assert.equal(line.slice(a.keySpan.column - 1, a.keySpan.endColumn - 1), a.key);
    assert.equal(line.slice(a.valueSpan.column - 1, a.valueSpan.endColumn - 1), a.raw);
  }
  assert.deepEqual(parseSysctl(P, '').doc.assignments, []);
});
