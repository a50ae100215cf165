import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { type IniDoc, findSection, interpolate, parseIni, sectionItems } from '../../src/parsers/ini.js';

const P = 'alembic.ini';

test('sections, options, case, delimiters and positions', () => {
  const text = [
    '# comment',
    '[alembic]',
    'script_location = migrations',
    'SQLAlchemy.URL: mysql://db/app',
    'sqlalchemy.pool_recycle=3600  # 1 h',
    '',
  ].join('\n');
  const { doc, problems } = parseIni(P, text);
  assert.deepEqual(problems, []);
  const s = findSection(doc, 'alembic');
  assert.deepEqual(s?.span, { path: P, line: 2, column: 1, endLine: 2, endColumn: 10 });
  assert.deepEqual(
    [...(s?.options.values() ?? [])].map((o) => [o.key, o.rawKey, o.value]),
    [
      ['script_location', 'script_location', 'migrations'],
      ['sqlalchemy.url', 'SQLAlchemy.URL', 'mysql://db/app'],
      // No inline comments in configparser's defaults: the comment is part of the value.
      ['sqlalchemy.pool_recycle', 'sqlalchemy.pool_recycle', '3600  # 1 h'],
    ],
  );
  const url = s?.options.get('sqlalchemy.url');
  assert.deepEqual(url?.keySpan, { path: P, line: 4, column: 1, endLine: 4, endColumn: 15 });
  assert.deepEqual(url?.valueSpan, { path: P, line: 4, column: 17, endLine: 4, endColumn: 31 });
  assert.deepEqual(url?.span, { path: P, line: 4, column: 1, endLine: 4, endColumn: 31 });
  const recycle = s?.options.get('sqlalchemy.pool_recycle');
  assert.deepEqual([recycle?.keySpan.column, recycle?.valueSpan.column, recycle?.valueSpan.endColumn], [1, 25, 36]);
  // An indented line under an option continues its value, even when it looks like an option.
  const cont = parseIni(P, '[alembic]\na = 1\n  b = 2\n').doc;
  assert.equal(findSection(cont, 'alembic')?.options.get('a')?.value, '1\nb = 2');
});

test('continuation lines: deeper indentation continues a value, blank lines inside it are kept, trailing ones dropped', () => {
  const text = '[app:main]\nkey = first\n    second\n\n  third\n\n\nother = x\r\n  cont\rlast = y';
  const { doc, problems } = parseIni('development.ini', text);
  assert.deepEqual(problems, []);
  const s = findSection(doc, 'app:main');
  assert.equal(s?.options.get('key')?.value, 'first\nsecond\n\nthird');
  assert.deepEqual(s?.options.get('key')?.valueSpan, { path: 'development.ini', line: 2, column: 7, endLine: 5, endColumn: 8 });
  assert.equal(s?.options.get('other')?.value, 'x\ncont');
  assert.equal(s?.options.get('last')?.value, 'y');
  assert.equal(s?.options.get('last')?.keySpan.line, 10);
});

test('what configparser refuses: an option before any section, duplicates, lines that are not options', () => {
  const early = parseIni(P, 'sqlalchemy.url = x\n[alembic]\n');
  assert.equal(early.doc.fatal, true);
  assert.match(early.problems[0]?.message ?? '', /MissingSectionHeaderError/);
  const dupOption = parseIni(P, '[alembic]\na = 1\nA = 2\n');
  assert.deepEqual(
    dupOption.problems.map((p) => [p.span.line, p.message]),
    [[3, 'configparser refuses the file: option a appears twice in [alembic] (DuplicateOptionError)']],
  );
  const dupSection = parseIni(P, '[alembic]\n[other]\n[alembic]\n');
  assert.match(dupSection.problems[0]?.message ?? '', /section \[alembic\] appears twice \(DuplicateSectionError\)/);
  const junk = parseIni(P, '[alembic]\njust some words\nb = 2\n');
  assert.equal(junk.problems[0]?.span.line, 2);
  assert.match(junk.problems[0]?.message ?? '', /ParsingError/);
  // Reading goes on after a ParsingError, as configparser does (it raises at the end).
  assert.equal(findSection(junk.doc, 'alembic')?.options.get('b')?.value, '2');
  // A repeated [DEFAULT] header is allowed.
  assert.deepEqual(parseIni(P, '[DEFAULT]\na=1\n[DEFAULT]\nb=2\n').problems, []);
});

test('interpolation: %(name)s from the section then the defaults, %% as %, errors as configparser raises them', () => {
  const text = '[DEFAULT]\nhost = db\n[alembic]\nsqlalchemy.url = mysql://u:p%%40ss@%(host)s/%(name)s\nname = app\nbad = 50%\n';
  const { doc } = parseIni(P, text);
  const s = findSection(doc, 'alembic');
  assert.ok(s);
  const items = sectionItems(doc, s, { withDefaults: true, vars: { here: '/srv' } });
  assert.deepEqual(
    items.map((i) => [i.option.key, i.value ?? i.error]),
    [
      ['host', 'db'],
      ['sqlalchemy.url', 'mysql://u:p%40ss@db/app'],
      ['name', 'app'],
      ['bad', "InterpolationSyntaxError: in bad, '%' must be followed by '%' or '(' (write %% for a literal %)"],
    ],
  );
  assert.deepEqual(
    sectionItems(doc, s, { withDefaults: false }).map((i) => i.option.key),
    ['sqlalchemy.url', 'name', 'bad'],
  );
  const lookup = (n: string) => ({ a: '%(b)s', b: '%(a)s' })[n];
  assert.match(JSON.stringify(interpolate('%(a)s', lookup, 'x')), /InterpolationDepthError/);
  assert.match(JSON.stringify(interpolate('%(missing)s', () => undefined, 'x')), /InterpolationMissingOptionError/);
});

// ---------------------------------------------------------------------------------------------------
// Differential: Python's own configparser (test-only; connlint never runs Python).

const ORACLE = `
import configparser, json, os, sys, tempfile
cases = json.load(sys.stdin)
out = []
for text in cases:
    fd, path = tempfile.mkstemp(suffix='.ini')
    with os.fdopen(fd, 'w', encoding='utf-8', newline='') as f:
        f.write(text)
    cp = configparser.ConfigParser(defaults={'here': '/srv'})
    try:
        cp.read(path, encoding='utf-8')
    except configparser.Error as e:
        out.append({'ok': False, 'error': type(e).__name__})
        os.unlink(path)
        continue
    os.unlink(path)
    sections = []
    for name in cp.sections():
        raw = dict(cp._sections[name])
        got = {}
        for k in list(cp.defaults().keys()) + list(raw.keys()):
            try:
                got[k] = cp.get(name, k)
            except configparser.Error as e:
                got[k] = '!' + type(e).__name__
        sections.append([name, raw, got])
    defaults = dict(cp._defaults)
    out.append({'ok': True, 'defaults': defaults, 'sections': sections})
print(json.dumps(out))
`;

type OracleCase =
  | { ok: false; error: string }
  | { ok: true; defaults: Record<string, string>; sections: Array<[string, Record<string, string>, Record<string, string>]> };

function python(cases: string[]): OracleCase[] | undefined {
  try {
    return JSON.parse(
      execFileSync('python3', ['-c', ORACLE], { input: JSON.stringify(cases), maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }).toString(
        'utf8',
      ),
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The exception configparser raises for this document: the first immediate one, else ParsingError at the end. */
function raised(problems: Array<{ message: string }>): string {
  const types = problems.map((p) => /\((\w+Error)\)$/.exec(p.message)?.[1] ?? '?');
  return types.find((t) => t !== 'ParsingError') ?? 'ParsingError';
}

function ours(doc: IniDoc): OracleCase {
  // The program's own `here` comes first; the file's [DEFAULT] may replace it.
  const defaults = { here: '/srv', ...Object.fromEntries([...doc.defaults].map(([k, o]) => [k, o.value])) };
  return {
    ok: true,
    defaults,
    sections: doc.sections.map((s) => {
      const raw = Object.fromEntries([...s.options].map(([k, o]) => [k, o.value]));
      // The program's `here` is a default the section sees unless the file sets its own.
      const got: Record<string, string> = { here: '/srv' };
      const items = sectionItems(doc, s, { withDefaults: true, vars: { here: '/srv' } });
      for (const i of items) got[i.option.key] = i.value ?? `!${/^(\w+Error)/.exec(i.error ?? '')?.[1]}`;
      return [s.name, raw, got];
    }),
  };
}

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generated(n: number): string[] {
  const r = rng(17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const spaces = [' ', '  ', '\t', '', '\u00a0', '\u2003', '\x0b', '\x1c'];
  const keys = ['sqlalchemy.url', 'SQLAlchemy.Pool_Recycle', 'pool_pre_ping', 'a', 'B', 'here', 'k k', ' x', 'name'];
  const values = [
    'mysql://u:p@db/app',
    '3600',
    'false',
    '',
    'a=b',
    'x:y',
    '%(name)s',
    '%%',
    '50%',
    '%(here)s/db',
    '%(missing)s',
    '# not a comment',
    'ü ☃',
  ];
  const ends = ['\n', '\r\n', '\r'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const lines: string[] = [];
    if (r() < 0.9) lines.push(pick(['[alembic]', '[DEFAULT]', '[app:main]', ' [alembic] ', '[a]b]']));
    const count = 1 + Math.floor(r() * 8);
    for (let j = 0; j < count; j++) {
      const kind = r();
      if (kind < 0.45)
        lines.push(
          `${pick(spaces)}${pick(keys)}${pick(spaces)}${pick(['=', ':', ' = ', ':='])}${pick(spaces)}${pick(values)}${pick(spaces)}`,
        );
      else if (kind < 0.6) lines.push(`${pick(['  ', '    ', '\t'])}${pick(values)}`);
      else if (kind < 0.7) lines.push(`${pick(spaces)}${pick(['#', ';'])} comment`);
      else if (kind < 0.8) lines.push(pick(['', ' ', '\t']));
      else if (kind < 0.9) lines.push(pick(['[alembic]', '[other]', '[DEFAULT]', '[]', '[x']));
      else lines.push(pick(['garbage line', '= no key', 'name = app', 'here = /x']));
    }
    let text = '';
    for (const l of lines) text += l + pick(ends);
    if (r() < 0.2) text = text.replace(/[\r\n]+$/, '');
    out.push(text);
  }
  return out;
}

const HAND = [
  '[alembic]\nsqlalchemy.url = driver://user:pass@localhost/dbname\n',
  '[alembic]\nkey = a\n\n    b\n# comment\n    c\n\n',
  '[alembic]\nkey =\n    continued\n',
  '[alembic]\n  indented = 1\n    more\nnext = 2\n',
  '[alembic]\n= value\n',
  '[a]b]\nx = 1\n',
  '[ spaced ]\nx = 1\n',
  '\ufeff[alembic]\nx = 1\n',
  '[alembic]\nurl = %(here)s/app.db\nself = %(self)s\n',
  '[alembic]\nk = v\r\n\r\n  cont\r\n',
  '[DEFAULT]\nname = base\n[alembic]\nname = %(name)s-x\n',
];

test('every value and error matches Python configparser, on real-looking and generated files', () => {
  const cases = [...HAND, ...generated(600)];
  const expected = python(cases);
  if (!expected) {
    test.skip?.('python3 not found');
    return;
  }
  let compared = 0;
  cases.forEach((text, i) => {
    const { doc, problems } = parseIni(P, text);
    const want = expected[i] as OracleCase;
    const got: OracleCase = doc.fatal ? { ok: false, error: raised(problems) } : ours(doc);
    assert.deepEqual(got, want, `case ${i}: ${JSON.stringify(text)}`);
    compared++;
  });
  assert.equal(compared, cases.length);
});

test('large and hostile inputs stay linear and never throw', () => {
  const big = `[alembic]\n${'k = v\n    c\n'.repeat(50_000)}`;
  const t0 = Date.now();
  const r = parseIni(
    P,
    big.replace(/k = /g, () => `k${Math.random().toString(36).slice(2)} = `),
  );
  assert.ok(Date.now() - t0 < 3000);
  assert.equal(r.doc.sections.length, 1);
  for (const text of ['', '\n', '[', ']', '[]', '=', ':', '%', '\r\r\r', '\u2028', '[x]\n%(', 'a'.repeat(100_000)]) {
    assert.doesNotThrow(() => parseIni(P, text));
  }
});
