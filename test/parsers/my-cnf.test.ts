import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Span } from '../../src/model/span.js';
import { type MyCnfDirective, type MyCnfGroup, type MyCnfOption, parseMyCnf } from '../../src/parsers/my-cnf.js';
import { groupMatches, isMariaDbOnlyGroup, serverGroups } from '../../src/interpreters/mysql/groups.js';

/*
 * Expectations are written by hand from mysql-option-files.md (grammar steps 1-12, experiments E1-E20)
 * and from runs of my_print_defaults 10.11.19 noted next to the case.
 */

const P = 'deploy/my.cnf';

function options(text: string): MyCnfOption[] {
  return parseMyCnf(P, text).doc.entries.filter((e): e is MyCnfOption => e.kind === 'option');
}

function groups(text: string): MyCnfGroup[] {
  return parseMyCnf(P, text).doc.entries.filter((e): e is MyCnfGroup => e.kind === 'group');
}

function directives(text: string): MyCnfDirective[] {
  return parseMyCnf(P, text).doc.entries.filter((e): e is MyCnfDirective => e.kind === 'include' || e.kind === 'includedir');
}

/** `--name=text` / `--name`, as my_print_defaults prints it. */
function printed(text: string): string[] {
  return options(text).map((o) => (o.text === null ? `--${o.name}` : `--${o.name}=${o.text}`));
}

function span(line: number, column: number, endColumn: number): Span {
  return { path: P, line, column, endLine: line, endColumn };
}

test('E1: # ends the line outside quotes, even without a blank; ; does not', () => {
  const text = [
    '# comment',
    '; comment',
    '   # indented comment',
    '[mysqld]',
    'd = 4 # c',
    'e = 5#no space',
    'f = "quoted # not comment" # c',
    'i = val ; semi',
    'q = "with \\" escaped # quote" # c',
  ].join('\n');
  assert.deepEqual(printed(text), ['--d=4', '--e=5', '--f=quoted # not comment', '--i=val ; semi', '--q=with " escaped # quote']);
});

test('E2: matching quotes are removed, escapes apply quoted or not', () => {
  const text = [
    '[mysqld]',
    "g = 'single quoted'",
    'h = "mismatched\'',
    'l = "a\\nb\\tc\\\\d\\se\\bf\\qg\\"h"',
    'm = C:\\path\\to',
    'o = "  "',
    'p = x "y" z',
  ].join('\n');
  const got = options(text);
  assert.deepEqual(
    got.map((o) => o.text),
    ['single quoted', '"mismatched\'', 'a\nb\tc\\d e\bf\\qg"h', 'C:\\path\to', '  ', 'x "y" z'],
  );
  assert.deepEqual(
    got.map((o) => o.raw),
    ["'single quoted'", '"mismatched\'', '"a\\nb\\tc\\\\d\\se\\bf\\qg\\"h"', 'C:\\path\\to', '"  "', 'x "y" z'],
  );
});

test('E2: a lone trailing backslash is kept; a one-character quote is not a pair', () => {
  assert.deepEqual(printed('[mysqld]\nw = end\\\nx = "\\"\nz = "\ny = \'\'\n'), ['--w=end\\', '--x=\\', '--z="', '--y=']);
});

test('E3: blanks around = and at the end are removed; empty value and no value differ', () => {
  const got = options('[mysqld]\nb=2   \nc\t=\t3\nj =\nk\n');
  assert.deepEqual(
    got.map((o) => [o.name, o.raw, o.text]),
    [
      ['b', '2', '2'],
      ['c', '3', '3'],
      ['j', '', ''],
      ['k', null, null],
    ],
  );
  assert.equal(got[3]?.valueSpan, null);
});

test('E4: group name is the text up to the first ], trailing blanks removed, leading blanks kept', () => {
  const got = groups('[MYSQLD]\n[ mysqld ]\n[mysqld ]\n[mysqld] trailing text\n[mysqld]]\n[]\n[mysqld\t]\n');
  assert.deepEqual(
    got.map((g) => g.name),
    ['MYSQLD', ' mysqld', 'mysqld', 'mysqld', 'mysqld', '', 'mysqld'],
  );
  assert.deepEqual(got[3]?.span, span(4, 1, 9));
});

test('lines of every group are returned, each with its group', () => {
  const got = options('[client]\nuser = x\n[mysqld]\nwait_timeout = 600\n');
  assert.deepEqual(
    got.map((o) => [o.group, o.name]),
    [
      ['client', 'user'],
      ['mysqld', 'wait_timeout'],
    ],
  );
});

test('E5/E14: names are kept exactly as written and every repetition is returned', () => {
  assert.deepEqual(printed('[mysqld]\nwait_timeout = 28800\nwait-timeout = 600\nWait_Timeout=601\nloose_wait_timeout=700\n'), [
    '--wait_timeout=28800',
    '--wait-timeout=600',
    '--Wait_Timeout=601',
    '--loose_wait_timeout=700',
  ]);
});

test('positions: name, value and whole option; tabs count one column', () => {
  const [o] = options('[mysqld]\n\twait_timeout\t=  600  # ten minutes\n');
  assert.ok(o);
  assert.deepEqual(o.nameSpan, span(2, 2, 14));
  assert.deepEqual(o.valueSpan, span(2, 18, 21));
  assert.deepEqual(o.span, span(2, 2, 21));
});

test('positions: a quoted value spans its quotes; an empty value is an empty span after =', () => {
  const got = options("[mysqld]\ninit_connect = 'SET x=1'\nj =\n");
  assert.deepEqual(got[0]?.valueSpan, span(2, 16, 25));
  assert.equal(got[0]?.text, 'SET x=1');
  assert.deepEqual(got[1]?.valueSpan, span(3, 4, 4));
  assert.deepEqual(got[1]?.span, span(3, 1, 4));
});

test('E12b: CRLF lines read like LF lines and keep columns', () => {
  const got = options('[mysqld]\r\nx = 1 \r\ny="q"\r\n');
  assert.deepEqual(
    got.map((o) => [o.name, o.raw, o.text]),
    [
      ['x', '1', '1'],
      ['y', '"q"', 'q'],
    ],
  );
  assert.deepEqual(got[0]?.valueSpan, span(2, 5, 6));
  assert.deepEqual(got[1]?.valueSpan, span(3, 3, 6));
});

test('a CR without LF does not end a line (fgets splits at LF only)', () => {
  assert.deepEqual(printed('[mysqld]\rhidden=1\r\nseen=1\n'), ['--seen=1']);
});

test('positions after non-ASCII text are in UTF-16 units of the line', () => {
  const [o] = options('[mysqld]\nkorean = 한국어 # 주석\n');
  assert.equal(o?.text, '한국어');
  assert.deepEqual(o?.valueSpan, span(2, 10, 13));
});

test('the last line needs no newline for an option', () => {
  assert.deepEqual(printed('[mysqld]\nx=abc'), ['--x=abc']);
});

test('E11: an option before the first group stops reading with the server message', () => {
  const { doc, problems } = parseMyCnf(P, '# c\nwait_timeout = 600\n[mysqld]\nx = 1\n');
  assert.deepEqual(doc.entries, []);
  assert.deepEqual(doc.stoppedAt, span(2, 1, 19));
  assert.deepEqual(problems, [
    { severity: 'error', message: `Found option without preceding group in config file: ${P} at line: 2`, span: span(2, 1, 19) },
  ]);
});

test('E11: [group without ] is fatal; entries before it are kept', () => {
  const { doc, problems } = parseMyCnf(P, '[mysqld]\nx = 1\n  [mysqld\ny = 2\n');
  assert.deepEqual(
    doc.entries.map((e) => e.kind),
    ['group', 'option'],
  );
  assert.deepEqual(problems, [
    { severity: 'error', message: `Wrong group definition in config file: ${P} at line 3`, span: span(3, 3, 10) },
  ]);
  assert.deepEqual(doc.stoppedAt, span(3, 3, 10));
});

test('E11: !include without a path is fatal', () => {
  const { doc, problems } = parseMyCnf(P, '[mysqld]\n!include   \nx = 1\n');
  assert.deepEqual(
    doc.entries.map((e) => e.kind),
    ['group'],
  );
  assert.deepEqual(problems, [
    { severity: 'error', message: `Wrong '!include' directive in config file: ${P} at line 2`, span: span(2, 1, 9) },
  ]);
});

test('E10: directive spellings; other ! lines are ignored', () => {
  const got = directives(
    '[mysqld]\n! include d1/a.cnf\n!include\td1/b.cnf\n!includefoo x\n!foo bar\n!include   missing.cnf   \n  !includedir  conf.d/ \n',
  );
  assert.deepEqual(
    got.map((d) => [d.kind, d.path]),
    [
      ['include', 'd1/a.cnf'],
      ['include', 'd1/b.cnf'],
      ['include', 'missing.cnf'],
      ['includedir', 'conf.d/'],
    ],
  );
  assert.deepEqual(got[2]?.pathSpan, span(6, 12, 23));
  assert.deepEqual(got[2]?.span, span(6, 1, 23));
  assert.deepEqual(got[3]?.span, span(7, 3, 23));
});

test('directives are recognised before the first group', () => {
  assert.deepEqual(
    directives('!includedir /etc/mysql/conf.d/\n').map((d) => d.path),
    ['/etc/mysql/conf.d/'],
  );
});

test('E12: a last-line directive without newline loses the last character of its path', () => {
  const { doc, problems } = parseMyCnf(P, '[mysqld]\n!include /abs/inc.cnf');
  const [d] = doc.entries.filter((e) => e.kind === 'include') as MyCnfDirective[];
  assert.equal(d?.path, '/abs/inc.cn');
  assert.deepEqual(d?.pathSpan, span(2, 10, 21));
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.severity, 'warning');
  assert.match(problems[0]?.message ?? '', /opens '\/abs\/inc\.cn', not '\/abs\/inc\.cnf'/);
  assert.equal(directives('[mysqld]\n!includedir /abs/d1')[0]?.path, '/abs/d');
});

test('E12: a trailing blank (or CR) on the last line protects the path', () => {
  const a = parseMyCnf(P, '[mysqld]\n!include inc.cnf ');
  assert.equal((a.doc.entries[1] as MyCnfDirective).path, 'inc.cnf');
  assert.deepEqual(a.problems, []);
  assert.equal(directives('[mysqld]\n!include inc.cnf\r')[0]?.path, 'inc.cnf');
});

test('E12: a one-character path on a last line without newline is a missing path', () => {
  const { problems } = parseMyCnf(P, '[mysqld]\n!include x');
  assert.deepEqual(problems, [
    { severity: 'error', message: `Wrong '!include' directive in config file: ${P} at line 2`, span: span(2, 1, 9) },
  ]);
});

test('E20: a line longer than 4094 bytes is split and the rest read as a new line', () => {
  const text = `[mysqld]\ninit_connect=${'a'.repeat(5000)}\nafter=1\n`;
  const { doc, problems } = parseMyCnf(P, text);
  const got = doc.entries.filter((e): e is MyCnfOption => e.kind === 'option');
  assert.deepEqual(
    got.map((o) => [o.name.length, o.text?.length ?? null]),
    [
      [12, 4081],
      [919, null],
      [5, 1],
    ],
  );
  assert.deepEqual(got[1]?.nameSpan, span(2, 4095, 5014));
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.severity, 'warning');
  assert.deepEqual(problems[0]?.span, span(2, 4095, 5014));
});

test('a line of exactly 4094 bytes is not split visibly', () => {
  const { doc, problems } = parseMyCnf(P, `[mysqld]\nv=${'c'.repeat(4092)}\n`);
  assert.equal((doc.entries[1] as MyCnfOption).text?.length, 4092);
  assert.deepEqual(problems, []);
});

test('the 4094-byte split counts bytes, not characters', () => {
  // 'é' is two bytes: 2 + 2046*2 = 4094 bytes fill the first read; 'z=1' starts the next one.
  const got = options(`[mysqld]\nv=${'é'.repeat(2046)}z=1\n`);
  assert.deepEqual(
    got.map((o) => [o.name, o.text?.length]),
    [
      ['v', 2046],
      ['z', 1],
    ],
  );
  assert.deepEqual(got[1]?.nameSpan, span(2, 2049, 2050));
});

test('unbalanced quotes turn # into data, with a warning', () => {
  const { doc, problems } = parseMyCnf(P, "[mysqld]\ns = it's # not a comment\n");
  assert.equal((doc.entries[1] as MyCnfOption).text, "it's # not a comment");
  assert.deepEqual(
    problems.map((p) => [p.severity, p.span]),
    [['warning', span(2, 7, 8)]],
  );
});

test('unquoted backslash sequences warn; quoted ones and \\\\ do not', () => {
  const a = parseMyCnf(P, '[mysqld]\nm = C:\\path\\to\n');
  assert.deepEqual(
    a.problems.map((p) => [p.severity, p.span]),
    [['warning', span(2, 12, 14)]],
  );
  assert.match(a.problems[0]?.message ?? '', /'\\t' in this value as a tab/);
  assert.deepEqual(parseMyCnf(P, '[mysqld]\nm = "C:\\path\\to"\nn = C:\\\\path\n').problems, []);
});

test('lines starting with = : empty name, and the server copying the line when blanks precede it', () => {
  // my_print_defaults 10.11.19: `=5` -> `--=5`; `  =6 # c` -> `--=6 =6`.
  const got = options('[mysqld]\n=5\n  =6 # c\n');
  assert.deepEqual(
    got.map((o) => [o.name, o.text]),
    [
      ['', '5'],
      ['=6 ', '6'],
    ],
  );
  assert.equal(parseMyCnf(P, '[mysqld]\n=5\n').problems[0]?.severity, 'warning');
});

test('0xA0 is a blank for mysqld: a value ending in à loses its last byte', () => {
  // my_print_defaults 10.11.19 printed `--bad=voil\xC3`.
  const { doc, problems } = parseMyCnf(P, '[mysqld]\nbad = voilà\nnbsp_inside = a\u00a0b\n');
  const got = doc.entries.filter((e): e is MyCnfOption => e.kind === 'option');
  assert.equal(got[0]?.text, 'voil\uFFFD');
  assert.equal(got[0]?.raw, 'voilà');
  assert.deepEqual(got[0]?.valueSpan, span(2, 7, 12));
  assert.equal(got[1]?.text, 'a\u00a0b');
  assert.deepEqual(
    problems.map((p) => [p.severity, p.span]),
    [['warning', span(2, 11, 12)]],
  );
});

test('a UTF-8 byte-order mark makes the first line an option before any group', () => {
  const { problems } = parseMyCnf(P, '\uFEFF[mysqld]\nx=1\n');
  assert.equal(problems[0]?.severity, 'error');
  assert.match(problems[0]?.message ?? '', /^Found option without preceding group/);
});

test('binary input: one error, no entries', () => {
  assert.deepEqual(parseMyCnf(P, '[mysqld]\nx=1\0\n'), {
    doc: { entries: [] },
    problems: [{ severity: 'error', message: 'not a text file', span: span(1, 1, 1) }],
  });
});

test('empty and comment-only input give nothing', () => {
  assert.deepEqual(parseMyCnf(P, ''), { doc: { entries: [] }, problems: [] });
  assert.deepEqual(parseMyCnf(P, '# x\n\n  ; y'), { doc: { entries: [] }, problems: [] });
});

/** Deterministic pseudo-random generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('any input: no throw, spans inside the text', () => {
  const alphabet = [
    '[',
    ']',
    '=',
    '#',
    ';',
    '!',
    '"',
    "'",
    '\\',
    ' ',
    '\t',
    '\r',
    '\n',
    'a',
    'z',
    'é',
    '\u00a0',
    '한',
    '😀',
    'include',
    'includedir ',
  ];
  const next = random(42);
  for (let round = 0; round < 2000; round++) {
    const parts: string[] = [round % 2 ? '[mysqld]\n' : ''];
    const n = Math.floor(next() * 60);
    for (let i = 0; i < n; i++) parts.push(alphabet[Math.floor(next() * alphabet.length)] ?? '');
    const text = parts.join('');
    const { doc, problems } = parseMyCnf(P, text);
    const lines = text.split('\n');
    const spans: Span[] = [...problems.map((p) => p.span)];
    for (const e of doc.entries) {
      spans.push(e.span);
      if (e.kind === 'option') spans.push(e.nameSpan, ...(e.valueSpan ? [e.valueSpan] : []));
      if (e.kind === 'include' || e.kind === 'includedir') spans.push(e.pathSpan);
    }
    for (const s of spans) {
      const length = (lines[s.line - 1] ?? '').length;
      assert.ok(s.line >= 1 && s.line <= lines.length && s.endLine === s.line, `line of ${JSON.stringify(s)} in ${JSON.stringify(text)}`);
      assert.ok(
        s.column >= 1 && s.endColumn >= s.column && s.endColumn <= length + 1,
        `columns of ${JSON.stringify(s)} in ${JSON.stringify(text)}`,
      );
    }
  }
});

// Speed is the benchmark's concern, not a unit test's: this checks only what the parser yields.
test('a huge single line is read in 4094-byte pieces, as mysqld reads it', () => {
  const { doc, problems } = parseMyCnf(P, `[mysqld]\n${'x'.repeat(4_000_000)}`);
  // 4_000_000 bytes = 977 reads of 4094 bytes, each an option without value.
  assert.equal(doc.entries.length, 1 + Math.ceil(4_000_000 / 4094));
  // One problem, at the long line: mysqld reads the rest of it as new lines.
  assert.deepEqual(
    problems.map((p) => p.span.line),
    [2],
  );
});

test('E7: the groups mariadbd 10.11 reads; MySQL 8.0 reads three', () => {
  assert.deepEqual(serverGroups('mariadb', '10.11'), [
    'mysqld',
    'server',
    'mysqld-10.11',
    'mariadb',
    'mariadb-10.11',
    'mariadbd',
    'mariadbd-10.11',
    'client-server',
    'galera',
  ]);
  assert.deepEqual(serverGroups('mysql', '8.0'), ['mysqld', 'server', 'mysqld-8.0']);
  assert.deepEqual(serverGroups('mysql', '8.0.36'), ['mysqld', 'server', 'mysqld-8.0']);
  assert.deepEqual(serverGroups('mysql'), ['mysqld', 'server']);
  assert.deepEqual(serverGroups('mariadb', '10.11.6-MariaDB'), serverGroups('mariadb', '10.11'));
});

test('E4: group matching ignores case but not leading blanks', () => {
  const g = serverGroups('mariadb', '10.11');
  assert.equal(groupMatches('MYSQLD', g), true);
  assert.equal(groupMatches('MariaDB-10.11', g), true);
  assert.equal(groupMatches(' mysqld', g), false);
  assert.equal(groupMatches('mysqld-8.0', g), false);
  assert.equal(groupMatches('mariadb-10.6', g), false);
  assert.equal(groupMatches('client', g), false);
  assert.equal(groupMatches('mysqld_safe', g), false);
  // Only ASCII letters fold: 'K' (Kelvin sign) lower-cases to 'k' in Unicode, not for mysqld.
  assert.equal(groupMatches('mysqld', ['MYSQLD']), true);
  assert.equal(groupMatches('\u212Aey', ['key']), false);
});

test('MariaDB-only groups', () => {
  for (const name of ['mariadb', 'MariaDB', 'mariadb-10.11', 'mariadbd', 'mariadbd-11.4', 'client-server', 'galera', 'Galera']) {
    assert.equal(isMariaDbOnlyGroup(name), true, name);
  }
  for (const name of ['mysqld', 'server', 'mysqld-8.0', 'client', ' mariadb', 'mysql']) {
    assert.equal(isMariaDbOnlyGroup(name), false, name);
  }
});
