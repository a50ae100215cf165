import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { type CommentSyntax, commentSyntax, parseDirectives } from '../../src/engine/directives.js';
import { lint } from '../../src/engine/run.js';
import { FIXTURES_DIR } from '../fixture-dirs.js';
import { tempRepo } from '../temp-repo.js';

const LIFETIME = 'pool-lifetime-exceeds-wait-timeout';
const KEEPALIVE = 'keepalive-exceeds-network-idle-timeout';

/** `[kind, ids, target line, reason]` of each directive in `text`. */
function found(syntax: CommentSyntax, text: string): Array<[string, string[], number | undefined, string | undefined]> {
  return parseDirectives('f', text, syntax).map((d) => [d.malformed ?? d.kind, d.ids, d.target, d.reason]);
}

/** The fixture's files (not its expected output), with some edited; copied into a new temporary repository. */
function fixtureRepo(name: string, edits: Record<string, (text: string) => string> = {}): string {
  const dir = join(FIXTURES_DIR, name);
  const files: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (!['expected.json', 'fixture.json', 'inspect.json'].includes(e.name)) files[relative(dir, abs)] = readFileSync(abs, 'utf8');
    }
  };
  walk(dir);
  for (const [path, edit] of Object.entries(edits)) {
    assert.ok(files[path] !== undefined, `${name} has ${path}`);
    files[path] = edit(files[path] as string);
  }
  return tempRepo(files);
}

/** Replaces line `n` (1-based) by `lines`. */
function setLine(n: number, ...lines: string[]): (text: string) => string {
  return (text) => {
    const all = text.split('\n');
    all.splice(n - 1, 1, ...lines);
    return all.join('\n');
  };
}

function insertBefore(n: number, ...lines: string[]): (text: string) => string {
  return (text) => {
    const all = text.split('\n');
    all.splice(n - 1, 0, ...lines);
    return all.join('\n');
  };
}

async function outcome(dir: string) {
  const { result } = await lint({ cwd: dir, paths: [] });
  return {
    findings: result.findings.map((f) => `${f.ruleId} ${f.location.path}:${f.location.line}`),
    suppressed: (result.suppressed ?? []).map(
      (f) => `${f.ruleId} ${f.location.path}:${f.location.line} ${f.suppression.justification ?? '-'}`,
    ),
    result,
  };
}

test('comment syntax by format id, with .env files by name whatever format read them', () => {
  assert.equal(commentSyntax('db/my.cnf', 'mysql-option-file'), 'hash-semicolon');
  assert.equal(commentSyntax('etc/sysctl.d/60.conf', 'sysctl'), 'hash-semicolon');
  assert.equal(commentSyntax('alembic.ini', 'sqlalchemy-ini'), 'hash-semicolon');
  assert.equal(commentSyntax('hikari.properties', 'java-properties'), 'properties');
  assert.equal(commentSyntax('src/main/resources/application.properties', 'spring-boot'), 'properties');
  assert.equal(commentSyntax('src/main/resources/application.yml', 'spring-boot'), 'yaml');
  assert.equal(commentSyntax('docker-compose.yml', 'compose'), 'yaml');
  assert.equal(commentSyntax('connlint.config.yaml', 'connlint-config'), 'yaml');
  assert.equal(commentSyntax('ormconfig.yml', 'js-config'), 'yaml');
  assert.equal(commentSyntax('config/config.json', 'js-config'), undefined);
  assert.equal(commentSyntax('knexfile.ts', 'js-config'), 'slashes');
  assert.equal(commentSyntax('prisma/schema.prisma', 'prisma'), 'slashes');
  assert.equal(commentSyntax('settings.py', 'python'), 'python');
  assert.equal(commentSyntax('.env', 'prisma'), 'dotenv');
  assert.equal(commentSyntax('deploy/.env.production', 'compose'), 'dotenv');
  assert.equal(commentSyntax('notes.txt', null), undefined);
});

test('directive grammar: kinds, comma-separated ids, the reason after --, malformed and empty directives', () => {
  assert.deepEqual(
    found(
      'hash-semicolon',
      [
        '# connlint-disable-next-line a, b -- the proxy retires them',
        '; connlint-disable-file c',
        '#connlint-disable-next-line d --',
        '# connlint-disable-lines e -- typo',
        '# connlint-disable-file -- no ids',
        '# see connlint-disable-file x (prose, not a directive)',
        '# connlint-disabled-file y',
      ].join('\n'),
    ),
    [
      ['next-line', ['a', 'b'], 2, 'the proxy retires them'],
      ['file', ['c'], undefined, undefined],
      ['next-line', ['d'], 4, undefined],
      ['connlint-disable-lines', ['e'], undefined, 'typo'],
      ['file', [], undefined, 'no ids'],
    ],
  );
  // The span runs from the directive word to the end of the comment.
  const [d] = parseDirectives('x.cnf', '[mysqld]\n  ;  connlint-disable-file a -- why  \n', 'hash-semicolon');
  assert.deepEqual(d?.span, { path: 'x.cnf', line: 2, column: 6, endLine: 2, endColumn: 36 });
});

test('line-start syntaxes: MySQL/sysctl/ini (# ;), .properties (# !), .env (#); trailing text is a value there', () => {
  assert.deepEqual(found('hash-semicolon', 'a = 1 # connlint-disable-line x\n  # connlint-disable-next-line y\n'), [
    ['next-line', ['y'], 3, undefined],
  ]);
  assert.deepEqual(found('properties', '! connlint-disable-file x\n;connlint-disable-file y\n'), [['file', ['x'], undefined, undefined]]);
  // A value, and a continuation line of a value, are not comments.
  assert.deepEqual(found('properties', 'k=v # connlint-disable-file x\nk2=one \\\n  # connlint-disable-file y\n'), []);
  assert.deepEqual(found('properties', 'k2=one \\\\\n# connlint-disable-file y\n'), [['file', ['y'], undefined, undefined]]);
  assert.deepEqual(found('dotenv', '# connlint-disable-next-line x\nURL="a # connlint-disable-file y"\n'), [
    ['next-line', ['x'], 2, undefined],
  ]);
});

test('YAML: # at line start or after a space, not in quotes, a plain scalar or a block scalar', () => {
  const text = [
    'a: 1 # connlint-disable-line x -- why',
    'b: "# connlint-disable-line q"',
    "c: 'it''s # connlint-disable-line q'",
    'd: e#connlint-disable-line q',
    'f: |',
    '  # connlint-disable-file q',
    '  more text',
    '# connlint-disable-next-line y',
    "g: it's # connlint-disable-line z",
  ].join('\n');
  assert.deepEqual(found('yaml', text), [
    ['line', ['x'], 1, 'why'],
    ['next-line', ['y'], 9, undefined],
    ['line', ['z'], 9, undefined],
  ]);
});

test('Python: # outside string literals, triple-quoted strings spanning lines included', () => {
  const text = [
    'A = 1  # connlint-disable-line x',
    "B = '# connlint-disable-line q'",
    'C = """',
    '# connlint-disable-file q',
    '"""  # connlint-disable-line y',
    'D = "a \\" # connlint-disable-line q"',
  ].join('\n');
  assert.deepEqual(found('python', text), [
    ['line', ['x'], 1, undefined],
    ['line', ['y'], 5, undefined],
  ]);
});

test('JS/TS and Prisma: // and /* */ outside strings; a next-line inside a block covers the line after the block', () => {
  const text = [
    "const a = '// connlint-disable-line q';",
    'const b = 1; // connlint-disable-line x',
    '/* connlint-disable-next-line y -- why */',
    'const c = `',
    '// connlint-disable-file q',
    '`; /* connlint-disable-line z */',
    '/*',
    ' * connlint-disable-next-line w',
    ' */',
    'const d = 2;',
  ].join('\n');
  assert.deepEqual(found('slashes', text), [
    ['line', ['x'], 2, undefined],
    ['next-line', ['y'], 4, 'why'],
    ['line', ['z'], 6, undefined],
    ['next-line', ['w'], 10, undefined],
  ]);
});

test('MySQL option file: a next-line comment suppresses, keeping its reason and place; trailing text does not', async () => {
  const on = await outcome(
    fixtureRepo('startup-failure/bad-suffix', {
      'my.cnf': insertBefore(3, '; connlint-disable-next-line startup-failure -- fixed in the image'),
    }),
  );
  assert.deepEqual(on.findings, []);
  assert.deepEqual(on.suppressed, ['startup-failure my.cnf:4 fixed in the image']);
  assert.deepEqual(on.result.suppressed?.[0]?.suppression, {
    kind: 'inSource',
    justification: 'fixed in the image',
    location: { path: 'my.cnf', line: 3, column: 3, endLine: 3, endColumn: 67 },
  });
  const near = await outcome(
    fixtureRepo('startup-failure/bad-suffix', { 'my.cnf': setLine(3, 'wait_timeout = 8h # connlint-disable-line startup-failure') }),
  );
  assert.deepEqual(near.findings, ['startup-failure my.cnf:3']);
  assert.equal(near.result.suppressed, undefined);
});

test('.properties: # and ! comments suppress; the same words in a value do not', async () => {
  const pair = (hikari: string) => tempRepo({ 'db/my.cnf': '[mysqld]\nwait_timeout = 600\n', 'app/hikari.properties': hikari });
  const on = await outcome(
    pair(`jdbcUrl=jdbc:mysql://db/app\n! connlint-disable-next-line ${LIFETIME} -- retired by the proxy\nmaxLifetime=1800000\n`),
  );
  assert.deepEqual(on.findings, []);
  assert.deepEqual(on.suppressed, [`${LIFETIME} app/hikari.properties:3 retired by the proxy`]);
  const near = await outcome(
    pair(`jdbcUrl=jdbc:mysql://db/app\npoolName=# connlint-disable-next-line ${LIFETIME} -- x\nmaxLifetime=1800000\n`),
  );
  assert.deepEqual(near.findings, [`${LIFETIME} app/hikari.properties:3`]);
});

test('sysctl: a ; comment suppresses; a value does not', async () => {
  const conf = 'etc/sysctl.d/60-keepalive.conf';
  const on = await outcome(
    fixtureRepo(`${KEEPALIVE}/sysctl-over-nat`, { [conf]: setLine(1, `; connlint-disable-next-line ${KEEPALIVE} -- why`) }),
  );
  assert.deepEqual(on.findings, []);
  assert.deepEqual(on.suppressed, [`${KEEPALIVE} ${conf}:2 why`]);
  const near = await outcome(
    fixtureRepo(`${KEEPALIVE}/sysctl-over-nat`, { [conf]: setLine(1, `kernel.domainname = connlint-disable-file ${KEEPALIVE}`) }),
  );
  assert.deepEqual(near.findings, [`${KEEPALIVE} ${conf}:2`]);
});

test('.ini (alembic): a ; comment suppresses', async () => {
  const on = await outcome(
    fixtureRepo('setting-ignored-by-library/python-alembic-string-pre-ping', {
      'alembic.ini': setLine(7, '; connlint-disable-next-line setting-ignored-by-library -- why'),
    }),
  );
  assert.deepEqual(on.findings, []);
  assert.deepEqual(on.suppressed, ['setting-ignored-by-library alembic.ini:8 why']);
  const near = await outcome(
    fixtureRepo('setting-ignored-by-library/python-alembic-string-pre-ping', {
      'alembic.ini': setLine(7, 'note = ; connlint-disable-next-line setting-ignored-by-library'),
    }),
  );
  assert.deepEqual(near.findings, ['setting-ignored-by-library alembic.ini:8']);
});

test('Compose YAML: a trailing connlint-disable-line suppresses; the words in a quoted scalar do not', async () => {
  const on = await outcome(
    fixtureRepo('startup-failure/compose-bad-command-value', {
      'docker-compose.yml': setLine(
        5,
        '    command: ["--wait-timeout=8h", "--character-set-server=utf8mb4"] # connlint-disable-line startup-failure -- why',
      ),
    }),
  );
  assert.deepEqual(on.findings, []);
  assert.deepEqual(on.suppressed, ['startup-failure docker-compose.yml:5 why']);
  const near = await outcome(
    fixtureRepo('startup-failure/compose-bad-command-value', {
      'docker-compose.yml': setLine(4, '    x-note: "# connlint-disable-next-line parse-error -- why"'),
    }),
  );
  assert.deepEqual(near.findings, ['startup-failure docker-compose.yml:5']);
});

test('Spring YAML, ormconfig.yml and connlint.config.yaml: # comments suppress', async () => {
  const yml = 'src/main/resources/application.yml';
  const spring = await outcome(
    fixtureRepo(`${LIFETIME}/spring-yaml-over-wait-timeout`, {
      [yml]: setLine(7, `      # connlint-disable-next-line ${LIFETIME} -- why`),
    }),
  );
  assert.deepEqual([spring.findings, spring.suppressed], [[], [`${LIFETIME} ${yml}:8 why`]]);
  const orm = await outcome(
    fixtureRepo(`${LIFETIME}/typeorm-ormconfig-yml`, { 'ormconfig.yml': insertBefore(1, `# connlint-disable-file ${LIFETIME} -- why`) }),
  );
  assert.deepEqual([orm.findings, orm.suppressed], [[], [`${LIFETIME} ormconfig.yml:13 why`]]);
  const config = await outcome(
    fixtureRepo(`${KEEPALIVE}/kernel-default`, {
      'connlint.config.yaml': setLine(2, `  idleTimeout: 240s # connlint-disable-line ${KEEPALIVE} -- why`),
    }),
  );
  assert.deepEqual([config.findings, config.suppressed], [[], [`${KEEPALIVE} connlint.config.yaml:2 why`]]);
});

test('Python: a trailing comment suppresses every id it names; the words in the string do not', async () => {
  const line = '    SQLALCHEMY_DATABASE_URI = "mysql+pymysql://shop:Sh0p-s3cret@db/shop"';
  const on = await outcome(
    fixtureRepo(`${LIFETIME}/flask-config-classes`, {
      'config.py': setLine(16, `${line}  # connlint-disable-line ${LIFETIME}, pool-missing-validation -- why`),
    }),
  );
  assert.deepEqual(on.findings, []);
  assert.deepEqual(on.suppressed, [`${LIFETIME} config.py:16 why`, 'pool-missing-validation config.py:16 why']);
  const near = await outcome(
    fixtureRepo(`${LIFETIME}/flask-config-classes`, {
      'config.py': setLine(16, `${line}; NOTE = "# connlint-disable-line ${LIFETIME}, pool-missing-validation -- why"`),
    }),
  );
  assert.deepEqual(near.findings, [`${LIFETIME} config.py:16`, 'pool-missing-validation config.py:16']);
});

test('JS/TS: // next-line and a trailing /* */ suppress; the words in a string do not', async () => {
  const on = await outcome(
    fixtureRepo(`${LIFETIME}/knexfile-min-connections`, {
      'knexfile.ts': (t) =>
        setLine(
          20,
          `    pool: { min: 2, max: 20 }, /* connlint-disable-line ${LIFETIME} -- why */`,
        )(setLine(14, `    // connlint-disable-next-line ${LIFETIME} -- dev only`)(t)),
    }),
  );
  assert.deepEqual(on.findings, []);
  assert.deepEqual(on.suppressed, [`${LIFETIME} knexfile.ts:15 dev only`, `${LIFETIME} knexfile.ts:20 why`]);
  const near = await outcome(
    fixtureRepo(`${LIFETIME}/knexfile-min-connections`, {
      'knexfile.ts': setLine(14, `    name: '// connlint-disable-next-line ${LIFETIME}',`),
    }),
  );
  assert.deepEqual(near.findings, [`${LIFETIME} knexfile.ts:15`, `${LIFETIME} knexfile.ts:20`]);
});

test('.env read for Prisma: a # line suppresses; a # inside the quoted value does not', async () => {
  const on = await outcome(
    fixtureRepo(`${LIFETIME}/prisma-env-url`, { '.env': setLine(1, `# connlint-disable-next-line ${LIFETIME} -- why`) }),
  );
  assert.deepEqual([on.findings, on.suppressed], [[], [`${LIFETIME} .env:2 why`]]);
  const near = await outcome(
    fixtureRepo(`${LIFETIME}/prisma-env-url`, { '.env': setLine(1, `NOTE="x # connlint-disable-next-line ${LIFETIME} -- why"`) }),
  );
  assert.deepEqual(near.findings, [`${LIFETIME} .env:2`]);
});

const PAIR = { 'db/my.cnf': '[mysqld]\nwait_timeout = 600\n' };
const hikari = (...lines: string[]) => ({ ...PAIR, 'app/hikari.properties': ['jdbcUrl=jdbc:mysql://db/app', ...lines, ''].join('\n') });

test('next-line covers only the next line, file the whole file; a directive in another file covers nothing', async () => {
  const gap = await outcome(tempRepo(hikari(`# connlint-disable-next-line ${LIFETIME} -- why`, '', 'maxLifetime=1800000')));
  assert.deepEqual(gap.findings, [`unused-disable-directive app/hikari.properties:2`, `${LIFETIME} app/hikari.properties:4`]);
  const file = await outcome(tempRepo(hikari('maxLifetime=1800000', `# connlint-disable-file ${LIFETIME} -- why`)));
  assert.deepEqual([file.findings, file.suppressed], [[], [`${LIFETIME} app/hikari.properties:2 why`]]);
  const elsewhere = await outcome(
    tempRepo({
      ...hikari('maxLifetime=1800000'),
      'db/my.cnf': `[mysqld]\n# connlint-disable-file ${LIFETIME} -- why\nwait_timeout = 600\n`,
    }),
  );
  assert.deepEqual(elsewhere.findings, [`${LIFETIME} app/hikari.properties:2`, 'unused-disable-directive db/my.cnf:2']);
});

test('unused, unknown-id, id-less and reason-less directives are reported, and rules: turns them off or re-levels them', async () => {
  const files = hikari(
    `# connlint-disable-next-line ${LIFETIME}`,
    'maxLifetime=1800000',
    '# connlint-disable-next-line pool-missing-validation, no-such-rule -- why',
    '# connlint-disable-file -- why',
  );
  const on = await outcome(tempRepo(files));
  assert.deepEqual(
    on.result.findings.map((f) => [f.ruleId, f.severity, f.location.line, f.message]),
    [
      [
        'disable-directive-without-reason',
        'warning',
        2,
        'connlint-disable-next-line gives no reason: add ` -- ` and why the finding does not apply here',
      ],
      [
        'unused-disable-directive',
        'warning',
        4,
        'connlint-disable-next-line for `pool-missing-validation` suppressed nothing: no such finding on line 5',
      ],
      ['unused-disable-directive', 'warning', 4, 'connlint-disable-next-line names `no-such-rule`, which is not a connlint rule id'],
      [
        'unused-disable-directive',
        'warning',
        5,
        'connlint-disable-file names no rule: list the ids it disables (there is no "disable all")',
      ],
    ],
  );
  assert.deepEqual(on.suppressed, [`${LIFETIME} app/hikari.properties:3 -`]);
  const off = await outcome(
    tempRepo({ ...files, 'connlint.config.yaml': 'rules:\n  unused-disable-directive: off\n  disable-directive-without-reason: error\n' }),
  );
  assert.deepEqual(
    off.result.findings.map((f) => [f.ruleId, f.severity]),
    [['disable-directive-without-reason', 'error']],
  );
  assert.deepEqual(off.suppressed, [`${LIFETIME} app/hikari.properties:3 -`]);
});

test('a directive cannot disable the directive reports, and connlint-disable-line needs a trailing comment', async () => {
  const { result } = await lint({
    cwd: tempRepo(
      hikari(
        'maxLifetime=1800000',
        '# connlint-disable-file unused-disable-directive -- why',
        `# connlint-disable-line ${LIFETIME} -- why`,
      ),
    ),
    paths: [],
  });
  assert.deepEqual(
    result.findings.map((f) => [f.ruleId, f.location.line, f.message]),
    [
      [LIFETIME, 2, result.findings[0]?.message],
      [
        'unused-disable-directive',
        3,
        'connlint-disable-file cannot disable `unused-disable-directive`: set it in the rules: of connlint.config.yaml',
      ],
      [
        'unused-disable-directive',
        4,
        'connlint-disable-line works only in a comment after a value on the same line: use connlint-disable-next-line above it',
      ],
    ],
  );
});
