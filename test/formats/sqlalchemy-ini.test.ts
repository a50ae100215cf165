import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyConfig } from '../../src/config/config.js';
import { createTreeView } from '../../src/discover/tree-view.js';
import { createLintCache } from '../../src/engine/cache.js';
import { RULES } from '../../src/engine/registry.js';
import { runRules } from '../../src/engine/run.js';
import { isNotRead } from '../../src/formats/format.js';
import { claimSqlalchemyIni, sqlalchemyIni } from '../../src/formats/sqlalchemy-ini.js';
import { KEEPALIVE_TIME, linuxDefault } from '../../src/interpreters/linux/keepalive.js';
import { defaultServer } from '../../src/interpreters/mysql/server.js';
import { assembleModel } from '../../src/model/assemble.js';
import type { Pool } from '../../src/model/model.js';
import { tempRepo } from '../temp-repo.js';

/** The format's contribution for these files, as the engine would ask for it (the format is not registered yet). */
async function contribution(files: Record<string, string>) {
  const dir = tempRepo(files);
  const view = createTreeView(dir);
  const module = await sqlalchemyIni.load();
  const claimed = Object.keys(files).map((path) => {
    const text = view.readText(path) ?? '';
    const claim = sqlalchemyIni.claim(path, text);
    assert.ok(!isNotRead(claim), `${path} not claimed`);
    return { path, text, claim };
  });
  return module.contribute(claimed, { config: emptyConfig(), view, cache: createLintCache(), declarations: { environments: [] } });
}

function findings(pools: Pool[], waitSeconds: number) {
  const server = defaultServer('mysql');
  const wait = server.settings.get('wait_timeout');
  if (wait) server.settings.set('wait_timeout', { ...wait, value: { kind: 'duration', ms: waitSeconds * 1000 } });
  const model = assembleModel({
    files: [],
    servers: [],
    pools,
    hosts: [],
    network: [],
    links: { mappings: [], defaultServer: () => server },
    linuxKeepalive: linuxDefault(KEEPALIVE_TIME),
  });
  return runRules(model, RULES, emptyConfig()).findings.map((f) => `${f.ruleId}:${f.severity}:${f.location.line}: ${f.message}`);
}

test('which .ini files are claimed: Alembic and PasteDeploy by name or section, others as uncertain, my.ini never', () => {
  assert.equal(sqlalchemyIni.matchesName('deploy/production.ini'), true);
  assert.equal(sqlalchemyIni.matchesName('etc/my.ini'), false);
  assert.equal(sqlalchemyIni.matchesName('alembic.ini.mako'), false);
  const url = 'sqlalchemy.url = mysql://db/app\n';
  assert.deepEqual(claimSqlalchemyIni('alembic.ini', `[alembic]\n${url}`), {
    owner: 'certain',
    reason: 'Alembic reads alembic.ini and passes its sqlalchemy.* keys to engine_from_config',
  });
  assert.equal((claimSqlalchemyIni('db/migrate.ini', `[alembic]\n${url}`) as { owner: string }).owner, 'certain');
  assert.equal((claimSqlalchemyIni('production.ini', `[app:main]\nuse = egg:shop\n${url}`) as { owner: string }).owner, 'certain');
  assert.equal((claimSqlalchemyIni('tox.ini', `[testenv]\n${url}`) as { owner: string }).owner, 'uncertain');
  assert.deepEqual(claimSqlalchemyIni('setup.ini', '[metadata]\nname = shop\n'), { notRead: 'no sqlalchemy.* keys' });
  assert.equal(isNotRead(claimSqlalchemyIni('x.ini', '# sqlalchemy.url = x\n')), true);
});

test('alembic.ini with pool_pre_ping = false: pre-ping is on, and the line says so; Alembic passes NullPool', async () => {
  const text = [
    '# A generic, single database configuration.',
    '[alembic]',
    'script_location = %(here)s/migrations',
    'sqlalchemy.url = mysql+pymysql://app:secret@db/shop',
    'sqlalchemy.pool_pre_ping = false',
    '',
  ].join('\n');
  const c = await contribution({ 'alembic.ini': text });
  assert.deepEqual(
    c.problems?.map((p) => [p.severity, p.span.line, p.span.column, p.message.split(':')[0]]),
    [['warning', 5, 1, 'sqlalchemy.pool_pre_ping is "false", which turns pre-ping on']],
  );
  const pool = c.pools?.[0];
  assert.ok(pool);
  assert.deepEqual(
    [pool.id, pool.name, pool.engine, pool.host],
    ['sqlalchemy:alembic.ini@alembic', 'sqlalchemy.* in alembic.ini [alembic]', 'mysql', 'db'],
  );
  const ping = pool.settings.get('pool_pre_ping');
  assert.deepEqual([ping?.key, ping?.raw, ping?.text], ['sqlalchemy.pool_pre_ping', 'false', 'false']);
  assert.deepEqual(ping?.origin, { kind: 'file', span: { path: 'alembic.ini', line: 5, column: 1, endLine: 5, endColumn: 33 }, via: [] });
  assert.deepEqual(pool.settings.get('poolclass')?.value, { kind: 'string', value: 'NullPool' });
  assert.equal(pool.idle[0]?.boundMs, 0);
  assert.deepEqual(findings([pool], 60), []);
});

test('Pyramid production.ini: int keys converted from strings, the rules compare pool_recycle with wait_timeout', async () => {
  const text = [
    '[DEFAULT]',
    'sqlalchemy.pool_recycle = 99',
    '',
    '[app:main]',
    'use = egg:shop',
    'sqlalchemy.url = mysql://app@db/shop',
    'sqlalchemy.pool_recycle = 3600',
    'pool_pre_ping = true',
    '',
    '[server:main]',
    'use = egg:waitress#main',
    '',
  ].join('\n');
  const c = await contribution({ 'production.ini': text });
  const pool = c.pools?.[0];
  assert.ok(pool);
  assert.equal(pool.id, 'sqlalchemy:production.ini@app:main');
  assert.deepEqual(pool.settings.get('pool_recycle')?.value, { kind: 'duration', ms: 3_600_000 });
  assert.deepEqual(pool.settings.get('poolclass')?.value, { kind: 'string', value: 'QueuePool' });
  assert.deepEqual(
    c.problems?.map((p) => [p.span.line, p.message]),
    [
      [
        8,
        'pool_pre_ping is ignored: engine_from_config reads only keys that start with sqlalchemy. (sqlalchemy.md, engine_from_config). Write it as sqlalchemy.pool_pre_ping',
      ],
    ],
  );
  // The application (egg:shop) may set keys of its own before engine_from_config, as CKAN sets
  // sqlalchemy.pool_pre_ping = True: an unwritten pre-ping is unknown, so it is not reported as off.
  const ping = pool.settings.get('pool_pre_ping')?.value;
  assert.equal(ping?.kind, 'unknown');
  assert.match(ping?.kind === 'unknown' ? ping.reason : '', /egg:shop/);
  const out = findings([pool], 600);
  assert.equal(out.length, 1, out.join('\n'));
  assert.match(
    out[0] as string,
    /^pool-lifetime-exceeds-wait-timeout:warning:7: sqlalchemy\.pool_recycle is 1 h but wait_timeout is 10 min/,
  );
});

test('what stops the program: a bare % in the section, an inline comment in an int key, a duplicate key', async () => {
  const percent = await contribution({ 'alembic.ini': '[alembic]\nsqlalchemy.url = mysql://app:p%40ss@db/shop\n' });
  assert.deepEqual(percent.pools, []);
  assert.deepEqual(
    percent.problems?.map((p) => [p.severity, p.span.line, p.message]),
    [
      [
        'error',
        2,
        "sqlalchemy.url cannot be read: configparser raises InterpolationSyntaxError: in sqlalchemy.url, '%' must be followed by '%' or '(' (write %% for a literal %) when Alembic reads [alembic]",
      ],
    ],
  );
  const comment = await contribution({
    'development.ini': '[app:main]\nsqlalchemy.url = mysql://db/shop\nsqlalchemy.pool_recycle = 3600  # 1 h\n',
  });
  assert.match(
    comment.problems?.[0]?.message ?? '',
    /^sqlalchemy\.pool_recycle is "3600 {2}# 1 h", which SQLAlchemy converts with int\(\)/,
  );
  const duplicate = await contribution({ 'alembic.ini': '[alembic]\nsqlalchemy.url = mysql://db/a\nsqlalchemy.url = mysql://db/b\n' });
  assert.deepEqual(duplicate.pools, []);
  assert.match(duplicate.problems?.[0]?.message ?? '', /DuplicateOptionError/);
});

test('Alembic reads [DEFAULT] keys into its section; queue-only keys fail with the NullPool of its env.py template', async () => {
  const c = await contribution({
    'alembic.ini': '[DEFAULT]\nsqlalchemy.url = postgresql://pg/app\n\n[alembic]\nsqlalchemy.max_overflow = 10\n',
  });
  const pool = c.pools?.[0];
  assert.equal(pool?.engine, 'postgresql');
  assert.deepEqual(
    c.problems?.map((p) => [p.severity, p.span.line]),
    [['warning', 5]],
  );
  assert.match(
    c.problems?.[0]?.message ?? '',
    /^sqlalchemy\.max_overflow is only accepted by queue pools, and Alembic's generated env\.py \(poolclass=pool\.NullPool\): /,
  );
});

test('a SQLite URL, and a file with no section of sqlalchemy.* keys, give no pool and say why', async () => {
  const c = await contribution({
    'alembic.ini': '[alembic]\nsqlalchemy.url = sqlite:///%(here)s/app.db\n',
    'other.ini': '[x]\nsqlalchemy.url = mysql://db/a\n',
  });
  assert.deepEqual(
    c.pools?.map((p) => p.id),
    ['sqlalchemy:other.ini@x'],
  );
  assert.deepEqual(c.files, [
    { path: 'alembic.ini', read: true, reason: 'a SQLite database: a local file, with no server or network to close idle connections' },
  ]);
});

test('one development.ini with both an [app:main] and an [alembic] section: two engines, each read as its program reads it', async () => {
  const text = [
    '[app:main]',
    'use = egg:shop',
    'sqlalchemy.url = mysql://db/shop',
    '',
    '[alembic]',
    'script_location = shop:migrations',
    'sqlalchemy.url = mysql://db/shop',
    '',
  ].join('\n');
  const c = await contribution({ 'development.ini': text });
  assert.deepEqual(
    c.pools?.map((p) => [p.id, p.settings.get('poolclass')?.value]),
    [
      ['sqlalchemy:development.ini@app:main', { kind: 'string', value: 'QueuePool' }],
      ['sqlalchemy:development.ini@alembic', { kind: 'string', value: 'NullPool' }],
    ],
  );
});
