import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FlaskInput, flaskSqlalchemyPools } from '../../src/interpreters/flask-sqlalchemy/config.js';
import type { PyValue } from '../../src/interpreters/python/value.js';
import type { Pool } from '../../src/model/model.js';
import { lineSpan, type Span } from '../../src/model/span.js';

// A Flask config class in app/config.py, one key per line, as the evaluator hands it over.
const FILE = 'app/config.py';
const at = (line: number): Span => lineSpan(FILE, line, 5, 10);
const int = (value: number, line: number): PyValue => ({ kind: 'int', value, span: at(line) });
const str = (value: string, line: number): PyValue => ({ kind: 'str', value, span: at(line) });
const bool = (value: boolean, line: number): PyValue => ({ kind: 'bool', value, span: at(line) });
const dict = (entries: Record<string, PyValue>, line: number): PyValue => ({
  kind: 'dict',
  entries: Object.entries(entries).map(([k, v]) => ({ key: str(k, v.span.line), value: v, span: v.span })),
  span: at(line),
});
const version = (v: string) => ({ version: v, span: lineSpan('requirements.txt', 1, 1, 20) });

function pools(config: Record<string, PyValue>, more: Partial<FlaskInput> = {}) {
  return flaskSqlalchemyPools({ path: FILE, config: new Map(Object.entries(config)), environment: 'ProductionConfig', ...more });
}

function only(r: ReturnType<typeof flaskSqlalchemyPools>): Pool {
  assert.equal(r.pools.length, 1, JSON.stringify(r.notPooled));
  return r.pools[0] as Pool;
}

const MYSQL = { SQLALCHEMY_DATABASE_URI: str('mysql+pymysql://app:pw@db/app', 2) };

test('3.x: a mysql URL gets pool_recycle=7200 from Flask-SQLAlchemy, named as the option to write', () => {
  const r = pools(MYSQL, { version: version('3.1.1') });
  const pool = only(r);
  assert.deepEqual(r.problems, []);
  assert.equal(pool.id, 'sqlalchemy:app/config.py@default#ProductionConfig');
  assert.equal(pool.name, 'Flask-SQLAlchemy engine of ProductionConfig');
  assert.equal(pool.environment, 'ProductionConfig');
  const recycle = pool.settings.get('pool_recycle');
  assert.equal(recycle?.key, 'SQLALCHEMY_ENGINE_OPTIONS["pool_recycle"]');
  assert.deepEqual(recycle?.value, { kind: 'duration', ms: 7_200_000 });
  assert.deepEqual(recycle?.origin, {
    kind: 'library-default',
    library: 'Flask-SQLAlchemy',
    version: '3.x',
    fact: recycle?.origin.kind === 'library-default' ? recycle.origin.fact : '',
  });
  assert.equal(pool.idle[0]?.boundMs, 7_200_000);
  assert.equal(pool.settings.get('pool_pre_ping')?.key, 'SQLALCHEMY_ENGINE_OPTIONS["pool_pre_ping"]');
  // 3.x keeps SQLAlchemy's pool_size 5 (2.x raised it to 10 for MySQL).
  assert.deepEqual(pool.settings.get('pool_size')?.value, { kind: 'count', value: 5 });
});

test('mariadb:// URLs get no 7200 default in any version', () => {
  const pool = only(pools({ SQLALCHEMY_DATABASE_URI: str('mariadb+pymysql://db/app', 2) }));
  assert.deepEqual(pool.settings.get('pool_recycle')?.value, { kind: 'duration', ms: -1000 });
  assert.equal(pool.engine, 'mariadb');
});

test('SQLALCHEMY_POOL_RECYCLE: used by 2.x, silently ignored by 3.x, unknown when the version is', () => {
  const config = { ...MYSQL, SQLALCHEMY_POOL_RECYCLE: int(280, 3) };
  const v3 = pools(config, { version: version('3.0.3') });
  assert.deepEqual(only(v3).settings.get('pool_recycle')?.value, { kind: 'duration', ms: 7_200_000 });
  assert.deepEqual(
    v3.problems.map((p) => [p.severity, p.span.line, p.message]),
    [
      [
        'warning',
        3,
        'SQLALCHEMY_POOL_RECYCLE is ignored: Flask-SQLAlchemy 3.0.3 removed it in 3.0.0 and ignores it without a warning, so pool_recycle keeps its default (7200 s for a MySQL URL, else -1: never) (sqlalchemy.md, confirmed by running 3.0.3 and 3.1.1). Write it as SQLALCHEMY_ENGINE_OPTIONS = {"pool_recycle": ...}',
      ],
    ],
  );
  assert.deepEqual(
    v3.problems.map((p) => p.ruleId),
    ['setting-ignored-by-library'],
  );
  const v2 = pools(config, { version: version('2.5.1') });
  const r2 = only(v2).settings.get('pool_recycle');
  assert.equal(r2?.key, 'SQLALCHEMY_POOL_RECYCLE');
  assert.deepEqual(r2?.value, { kind: 'duration', ms: 280_000 });
  assert.deepEqual(only(v2).settings.get('pool_size')?.value, { kind: 'count', value: 10 });
  assert.deepEqual(
    v2.problems.map((p) => p.severity),
    ['note'],
  );
  const unknown = pools(config);
  const ru = only(unknown).settings.get('pool_recycle');
  assert.equal(ru?.value.kind, 'unknown');
  assert.equal(ru?.origin.kind, 'file', 'the written side keeps the origin, so no rule reasons from a default');
  assert.match(
    ru?.value.kind === 'unknown' ? ru.value.reason : '',
    /^the Flask-SQLAlchemy version is not known: 280 s \(SQLALCHEMY_POOL_RECYCLE, app\/config\.py:3\) with 2\.x, 2 h \(SQLALCHEMY_ENGINE_OPTIONS\["pool_recycle"\], Flask-SQLAlchemy 3\.x default\) with 3\.0\+$/,
  );
  assert.match(unknown.problems[0]?.message ?? '', /^SQLALCHEMY_POOL_RECYCLE is ignored by Flask-SQLAlchemy 3\.0 and later/);
});

test('a string pool_recycle: converted by 3.x, a crash at the second checkout with 2.x', () => {
  const config = { ...MYSQL, SQLALCHEMY_ENGINE_OPTIONS: dict({ pool_recycle: str('280', 4) }, 3) };
  const v3 = pools(config, { version: version('3.1.1') });
  assert.deepEqual(v3.problems, []);
  assert.deepEqual(only(v3).settings.get('pool_recycle')?.value, { kind: 'duration', ms: 280_000 });
  const v2 = pools(config, { version: version('2.5.1') });
  assert.match(
    v2.problems[0]?.message ?? '',
    /^SQLALCHEMY_ENGINE_OPTIONS\["pool_recycle"\] is "280", and create_engine\(\) keeps a string as it is/,
  );
  const unknown = pools(config);
  assert.deepEqual(
    unknown.problems.map((p) => p.severity),
    ['error'],
  );
  assert.match(unknown.problems[0]?.message ?? '', /^With Flask-SQLAlchemy 2\.x, SQLALCHEMY_ENGINE_OPTIONS\["pool_recycle"\] is "280"/);
  assert.equal(only(unknown).settings.get('pool_recycle')?.value.kind, 'unknown');
});

test('pool_pre_ping "false" turns pre-ping on in every version: one problem, no version prefix', () => {
  const r = pools({ ...MYSQL, SQLALCHEMY_ENGINE_OPTIONS: dict({ pool_pre_ping: str('false', 4), pool_recycle: int(280, 5) }, 3) });
  assert.equal(r.problems.length, 1);
  assert.match(
    r.problems[0]?.message ?? '',
    /^SQLALCHEMY_ENGINE_OPTIONS\["pool_pre_ping"\] is "false", which turns pre-ping on: SQLAlchemy never converts/,
  );
  const pool = only(r);
  assert.equal(pool.validatesOnCheckout.value, true);
  assert.deepEqual(pool.settings.get('pool_recycle')?.value, { kind: 'duration', ms: 280_000 });
});

test('SQLALCHEMY_POOL_PRE_PING never existed; SQLALCHEMY_ENGINE_OPTIONS before 2.4.0 is ignored', () => {
  const r = pools(
    { ...MYSQL, SQLALCHEMY_POOL_PRE_PING: bool(true, 3), SQLALCHEMY_ENGINE_OPTIONS: dict({ pool_recycle: int(280, 5) }, 4) },
    { version: version('2.3.2') },
  );
  assert.deepEqual(
    r.problems.map((p) => [p.span.line, p.message.split(':')[0]]),
    [
      [3, 'SQLALCHEMY_POOL_PRE_PING is ignored'],
      [4, 'SQLALCHEMY_ENGINE_OPTIONS is ignored'],
    ],
  );
  assert.equal(only(r).validatesOnCheckout.value, false);
  assert.deepEqual(only(r).settings.get('pool_recycle')?.value, { kind: 'duration', ms: 7_200_000 });
});

test('binds: 3.x reads dict binds with their own options; SQLALCHEMY_ENGINE_OPTIONS reaches only the default bind', () => {
  const r = pools(
    {
      ...MYSQL,
      SQLALCHEMY_ENGINE_OPTIONS: dict({ pool_pre_ping: bool(true, 4) }, 3),
      SQLALCHEMY_BINDS: dict(
        {
          users: dict({ url: str('mysql://users-db/u', 6), pool_recycle: int(300, 7) }, 6),
          audit: str('postgresql://audit-db/a', 8),
        },
        5,
      ),
    },
    { version: version('3.1.1'), engineOptions: dict({ pool_timeout: int(5, 10) }, 10) },
  );
  assert.deepEqual(
    r.pools.map((p) => [
      p.id,
      p.host,
      p.validatesOnCheckout.value,
      p.settings.get('pool_recycle')?.key,
      p.settings.get('pool_timeout')?.key,
    ]),
    [
      [
        'sqlalchemy:app/config.py@default#ProductionConfig',
        'db',
        true,
        'SQLALCHEMY_ENGINE_OPTIONS["pool_recycle"]',
        'engine_options["pool_timeout"]',
      ],
      [
        'sqlalchemy:app/config.py@users#ProductionConfig',
        'users-db',
        false,
        'SQLALCHEMY_BINDS["users"]["pool_recycle"]',
        'engine_options["pool_timeout"]',
      ],
      [
        'sqlalchemy:app/config.py@audit#ProductionConfig',
        'audit-db',
        false,
        'SQLALCHEMY_BINDS["audit"]["pool_recycle"]',
        'engine_options["pool_timeout"]',
      ],
    ],
  );
  assert.equal(r.pools[1]?.name, 'Flask-SQLAlchemy engine "users" of ProductionConfig');
  // 2.x does not read dict binds.
  const v2 = pools({ SQLALCHEMY_BINDS: dict({ users: dict({ url: str('mysql://u/u', 6) }, 6) }, 5) }, { version: version('2.5.1') });
  assert.deepEqual(v2.notPooled, [
    { bind: 'default', reason: 'SQLALCHEMY_DATABASE_URI is not set, so Flask-SQLAlchemy 2.x uses sqlite:///:memory:' },
    { bind: 'users', reason: 'SQLALCHEMY_BINDS["users"] is a dict, which only Flask-SQLAlchemy 3.0+ reads' },
  ]);
});

test('options that are not known here leave the idle settings unknown, never defaults', () => {
  const opaque: PyValue = { kind: 'unknown', reason: 'the result of load_options(), which is not evaluated', span: at(3) };
  const pool = only(pools({ ...MYSQL, SQLALCHEMY_ENGINE_OPTIONS: opaque }, { version: version('3.1.1') }));
  assert.equal(pool.settings.get('pool_recycle')?.value.kind, 'unknown');
  assert.equal(pool.validatesOnCheckout.value, true);
  // A dict with a merge the evaluator could not expand: unwritten keys are unknown too.
  const spread: PyValue = {
    ...(dict({ pool_size: int(5, 4) }, 3) as Extract<PyValue, { kind: 'dict' }>),
    merges: [{ value: opaque, span: at(5) }],
  };
  const merged = only(pools({ ...MYSQL, SQLALCHEMY_ENGINE_OPTIONS: spread }, { version: version('3.1.1') }));
  assert.equal(merged.settings.get('pool_recycle')?.value.kind, 'unknown');
  assert.equal(merged.settings.get('pool_recycle')?.origin.kind, 'file');
});

test('SQLite URLs give no pool', () => {
  const r = pools({ SQLALCHEMY_DATABASE_URI: str('sqlite:///app.db', 2) });
  assert.deepEqual(r.pools, []);
  assert.equal(r.notPooled[0]?.bind, 'default');
});
