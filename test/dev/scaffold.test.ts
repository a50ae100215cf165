import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { registerFormat } from '../../src/dev/new-format.js';
import { registerRule } from '../../src/dev/new-rule.js';

/*
 * `npm run new-format` and `npm run new-rule` run in a copy of the sources (src/, rules/ and the
 * configuration, with the repository's node_modules linked in), never in the repository itself: they
 * must write their files, add their registry lines once, refuse a second run or a bad name with exit 2
 * and nothing written, and leave a tree that type-checks.
 */

// Compiled to <out>/test/dev/: the compiled scripts are in <out>/src/dev/, the repository three levels up.
const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../..');
const SCRIPTS = resolve(HERE, '../../src/dev');

const tmp = mkdtempSync(join(tmpdir(), 'connlint-scaffold-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function copyOfSources(): string {
  const root = mkdtempSync(join(tmp, 'repo-'));
  for (const p of ['package.json', 'tsconfig.json', 'biome.json', 'src', 'rules', 'fixtures/README.md'])
    cpSync(join(REPO, p), join(root, p), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

function scaffold(script: 'new-format' | 'new-rule', root: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(SCRIPTS, `${script}.js`), ...args, '--root', root], { encoding: 'utf8' });
}

const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');
const count = (text: string, part: string) => text.split(part).length - 1;

test('new-format and new-rule write their files and registry lines, refuse a second run, and the tree type-checks', () => {
  const root = copyOfSources();

  const format = scaffold('new-format', root, 'pgbouncer-ini');
  assert.equal(format.status, 0, format.stderr);
  for (const f of ['src/formats/pgbouncer-ini.ts', 'src/parsers/pgbouncer-ini.ts', 'test/formats/pgbouncer-ini.test.ts']) {
    assert.ok(existsSync(join(root, f)), `${f} not written`);
    assert.match(format.stdout, new RegExp(`  ${f}\\n`), `${f} not in the report`);
  }
  assert.match(format.stdout, /fixtures\/<rule>\/<case>\//, 'the report says where fixtures go');
  const formats = read(root, 'src/formats/registry.ts');
  assert.equal(count(formats, "import { pgbouncerIni } from './pgbouncer-ini.js';"), 1);
  // The new format is appended to the list, after every existing one (the list may wrap over lines).
  const list = /export const FORMATS: readonly Format\[\] = \[([^\]]*)\];/.exec(formats)?.[1] ?? '';
  assert.deepEqual(
    list
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
    [
      ...list
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x && x !== 'pgbouncerIni'),
      'pgbouncerIni',
    ],
  );
  assert.equal(count(list, 'pgbouncerIni'), 1);

  const rule = scaffold('new-rule', root, 'server-sql-mode-drops-data');
  assert.equal(rule.status, 0, rule.stderr);
  for (const f of [
    'rules/server-sql-mode-drops-data.ts',
    'fixtures/server-sql-mode-drops-data/fires/fixture.json',
    'fixtures/server-sql-mode-drops-data/fires/expected.json',
    'fixtures/server-sql-mode-drops-data/fires-ok/fixture.json',
    'fixtures/server-sql-mode-drops-data/fires-ok/expected.json',
  ])
    assert.ok(existsSync(join(root, f)), `${f} not written`);
  assert.deepEqual(JSON.parse(read(root, 'fixtures/server-sql-mode-drops-data/fires/fixture.json')).silentTwin, 'fires-ok');
  assert.deepEqual(JSON.parse(read(root, 'fixtures/server-sql-mode-drops-data/fires-ok/fixture.json')).twinOf, 'fires');
  const rules = read(root, 'src/engine/registry.ts');
  assert.equal(count(rules, "import serverSqlModeDropsData from '../../rules/server-sql-mode-drops-data.js';"), 1);
  assert.equal(count(rules, '  serverSqlModeDropsData,\n'), 1);
  assert.ok(rules.indexOf('  poolSizeExceedsMaxConnections,\n') < rules.indexOf('  serverSqlModeDropsData,\n'), 'RULES sorted by id');
  assert.ok(rules.indexOf('  serverSqlModeDropsData,\n') < rules.indexOf('  settingIgnoredByLibrary,\n'), 'RULES sorted by id');

  for (const [script, name] of [
    ['new-format', 'pgbouncer-ini'],
    ['new-rule', 'server-sql-mode-drops-data'],
  ] as const) {
    const again = scaffold(script, root, name);
    assert.equal(again.status, 2, `${script} ${name} a second time`);
    assert.match(again.stderr, /already exists/);
  }
  assert.equal(read(root, 'src/formats/registry.ts'), formats, 'a refused run changes nothing');
  assert.equal(read(root, 'src/engine/registry.ts'), rules, 'a refused run changes nothing');

  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json'), '--noEmit'], {
    encoding: 'utf8',
  });
  assert.equal(tsc.status, 0, `tsc --noEmit on the scaffolded tree:\n${tsc.stdout}${tsc.stderr}`);

  // The scaffolded files pass the same format and lint check as the rest (npm run lint).
  const written = [
    'src/formats/pgbouncer-ini.ts',
    'src/parsers/pgbouncer-ini.ts',
    'test/formats/pgbouncer-ini.test.ts',
    'src/formats/registry.ts',
  ];
  written.push('rules/server-sql-mode-drops-data.ts', 'src/engine/registry.ts');
  const biome = spawnSync(join(root, 'node_modules/.bin/biome'), ['ci', '--colors=off', '--error-on-warnings', ...written], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(biome.status, 0, `biome ci on the scaffolded files:\n${biome.stdout}${biome.stderr}`);
});

test('a bad or reserved name, or no name, is refused with exit 2 and nothing written', () => {
  const root = copyOfSources();
  const before = [read(root, 'src/formats/registry.ts'), read(root, 'src/engine/registry.ts')];
  const cases: Array<['new-format' | 'new-rule', string[], RegExp]> = [
    ['new-format', ['Spring_Boot'], /not a format name/],
    ['new-format', ['-x'], /unknown option -x/],
    ['new-format', [], /usage: npm run new-format/],
    ['new-format', ['format'], /src\/formats\/format\.ts already exists/],
    ['new-format', ['sysctl'], /already exists/],
    ['new-format', ['class'], /keyword/],
    ['new-rule', ['lifetime'], /not a rule id/],
    ['new-rule', ['pool-2-big'], /not a rule id/],
    ['new-rule', ['parse-error'], /not rules/],
    ['new-rule', ['pool-missing-validation'], /rules\/pool-missing-validation\.ts already exists/],
  ];
  for (const [script, args, message] of cases) {
    const run = scaffold(script, root, ...args);
    assert.equal(run.status, 2, `${script} ${args.join(' ')}: ${run.stdout}${run.stderr}`);
    assert.match(run.stderr, message, `${script} ${args.join(' ')}`);
  }
  assert.deepEqual([read(root, 'src/formats/registry.ts'), read(root, 'src/engine/registry.ts')], before);
});

test('registry edits: imports in path order, FORMATS appended (wrapped past 140 columns), RULES sorted by id', () => {
  const formats =
    "import type { Format } from './format.js';\nimport { sysctl } from './sysctl.js';\n\nexport const FORMATS: readonly Format[] = [sysctl];\n";
  assert.equal(
    registerFormat(formats, 'pgbouncer-ini'),
    "import type { Format } from './format.js';\nimport { pgbouncerIni } from './pgbouncer-ini.js';\nimport { sysctl } from './sysctl.js';\n\n" +
      'export const FORMATS: readonly Format[] = [sysctl, pgbouncerIni];\n',
  );
  const many = ['aaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb', 'cccccccccccccccccccc', 'dddddddddddddddddddd', 'eeeeeeeeeeeeeeeeeeee'];
  const wide = registerFormat(
    `import { sysctl } from './sysctl.js';\n\nexport const FORMATS: readonly Format[] = [${many.join(', ')}];\n`,
    'spring-boot',
  );
  assert.equal(
    wide,
    "import { springBoot } from './spring-boot.js';\nimport { sysctl } from './sysctl.js';\n\n" +
      `export const FORMATS: readonly Format[] = [\n${[...many, 'springBoot'].map((i) => `  ${i},\n`).join('')}];\n`,
  );
  assert.equal(registerFormat(wide, 'sqlalchemy').split('\n').at(-3), '  sqlalchemy,');

  const rules =
    "import poolB from '../../rules/pool-b.js';\nimport zed from '../../rules/zed-rule.js';\nimport type { Rule } from './define-rule.js';\n\n" +
    'export const RULES: readonly Rule[] = [poolB, zed] as Rule[];\n';
  assert.equal(
    registerRule(rules, 'pool-a-b'),
    "import poolAB from '../../rules/pool-a-b.js';\nimport poolB from '../../rules/pool-b.js';\nimport zed from '../../rules/zed-rule.js';\n" +
      "import type { Rule } from './define-rule.js';\n\nexport const RULES: readonly Rule[] = [poolAB, poolB, zed] as Rule[];\n",
  );
});
