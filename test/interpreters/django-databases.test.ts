import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyConfig } from '../../src/config/config.js';
import { RULES } from '../../src/engine/registry.js';
import { runRules } from '../../src/engine/run.js';
import { expandDatabaseCall } from '../../src/interpreters/django/database-url.js';
import { type DjangoInput, djangoPools } from '../../src/interpreters/django/databases.js';
import { KEEPALIVE_TIME, linuxDefault } from '../../src/interpreters/linux/keepalive.js';
import { defaultServer } from '../../src/interpreters/mysql/server.js';
import type { PyCall, PyEnv, PyValue } from '../../src/interpreters/python/value.js';
import { assembleModel } from '../../src/model/assemble.js';
import type { Engine, Pool } from '../../src/model/model.js';
import { lineSpan, type Span } from '../../src/model/span.js';

// DATABASES of myproj/settings/production.py as the evaluator leaves it, one value per line.
const FILE = 'myproj/settings/production.py';
const at = (line: number, column = 9, length = 10): Span => lineSpan(FILE, line, column, length);
const int = (value: number, line: number): PyValue => ({ kind: 'int', value, span: at(line) });
const str = (value: string, line: number): PyValue => ({ kind: 'str', value, span: at(line) });
const bool = (value: boolean, line: number): PyValue => ({ kind: 'bool', value, span: at(line) });
const none = (line: number): PyValue => ({ kind: 'none', span: at(line) });
const env = (name: string, line: number, more: Partial<Pick<PyEnv, 'default' | 'cast' | 'via'>> = {}): PyValue => ({
  kind: 'env',
  name,
  via: more.via ?? 'os.environ.get',
  ...(more.default ? { default: more.default } : {}),
  ...(more.cast ? { cast: more.cast } : {}),
  span: at(line),
});
const dict = (entries: Record<string, PyValue>, line: number): Extract<PyValue, { kind: 'dict' }> => ({
  kind: 'dict',
  entries: Object.entries(entries).map(([k, v]) => ({ key: str(k, v.span.line), value: v, span: { ...v.span, column: 9 } })),
  span: at(line),
});
function call(callee: string, args: PyValue[], kwargs: Record<string, PyValue>, line: number): PyCall {
  return {
    kind: 'call',
    callee,
    written: callee,
    args,
    kwargs: Object.entries(kwargs).map(([name, value]) => ({ name, value, span: value.span })),
    span: at(line, 16, 30),
  };
}
const version = (v: string) => ({ version: v, span: lineSpan('requirements.txt', 1, 1, 12) });

function run(databases: PyValue, more: Partial<DjangoInput> = {}) {
  return djangoPools({ path: FILE, databases, environment: 'myproj.settings.production', ...more });
}
function only(r: ReturnType<typeof djangoPools>): Pool {
  assert.equal(r.pools.length, 1, JSON.stringify(r.notPooled));
  return r.pools[0] as Pool;
}
const MYSQL = (more: Record<string, PyValue> = {}) =>
  dict({ default: dict({ ENGINE: str('django.db.backends.mysql', 3), HOST: str('DB', 4), PASSWORD: str('pw-123', 5), ...more }, 2) }, 1);

function findings(pools: Pool[], engine: Engine = 'mysql', waitSeconds?: number) {
  const server = defaultServer(engine);
  const wait = server.settings.get('wait_timeout');
  if (wait && waitSeconds !== undefined)
    server.settings.set('wait_timeout', { ...wait, value: { kind: 'duration', ms: waitSeconds * 1000 } });
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

test('CONN_MAX_AGE in seconds bounds a MySQL alias; over wait_timeout without health checks both rules fire', () => {
  const r = run(MYSQL({ CONN_MAX_AGE: int(300, 6) }));
  const pool = only(r);
  assert.deepEqual(r.problems, []);
  assert.equal(pool.id, 'django:myproj/settings/production.py@default#myproj.settings.production');
  assert.equal(pool.name, 'DATABASES["default"] (myproj.settings.production)');
  assert.deepEqual([pool.library, pool.libraryName, pool.engine, pool.host], ['django', 'Django', 'mysql', 'db']);
  assert.equal(pool.engineReason, 'ENGINE django.db.backends.mysql (MySQL or MariaDB)');
  assert.deepEqual(
    pool.idle.map((m) => [m.kind, m.setting.key, m.boundMs]),
    [['max-lifetime', 'DATABASES["default"]["CONN_MAX_AGE"]', 300_000]],
  );
  assert.equal(pool.settings.get('CONN_MAX_AGE')?.unit, 's');
  assert.equal(pool.validatesOnCheckout.value, false);
  assert.equal(pool.validatesOnCheckout.setting?.key, 'DATABASES["default"]["CONN_HEALTH_CHECKS"]');
  assert.deepEqual(pool.settings.get('CONN_HEALTH_CHECKS')?.origin, {
    kind: 'library-default',
    library: 'Django',
    version: '4.1+',
    fact: 'django.md, Settings: CONN_HEALTH_CHECKS defaults to False (added in 4.1)',
  });
  assert.equal(pool.tcpKeepalive?.driver, 'mysqlclient (MySQLdb)');
  assert.deepEqual(findings([pool], 'mysql', 600), []);
  const out = findings([pool], 'mysql', 120);
  assert.equal(out.length, 2);
  assert.match(
    out[0] as string,
    /^pool-lifetime-exceeds-wait-timeout:error:6: DATABASES\["default"\]\["CONN_MAX_AGE"\] is 5 min but wait_timeout is 2 min .* Set DATABASES\["default"\]\["CONN_MAX_AGE"\] to 115 or lower\.$/,
  );
  assert.match(
    out[1] as string,
    /^pool-missing-validation:warning:\d+: Django lends pooled connections without checking them \(DATABASES\["default"\]\["CONN_HEALTH_CHECKS"\] is off\)/,
  );
});

test('CONN_MAX_AGE 0 (the default) closes after each request: nothing is reused, so no rule fires, on PostgreSQL either', () => {
  const pool = only(run(MYSQL()));
  assert.deepEqual(
    pool.idle.map((m) => [m.boundMs, m.note]),
    [[0, 'DATABASES["default"]["CONN_MAX_AGE"] is 0: Django closes the connection at the end of each request']],
  );
  assert.equal(pool.validatesOnCheckout.value, true);
  assert.deepEqual(findings([pool], 'mysql', 5), []);
  const pg = only(run(dict({ default: dict({ ENGINE: str('django.db.backends.postgresql', 3), CONN_MAX_AGE: int(-1, 4) }, 2) }, 1)));
  assert.match(pg.idle[0]?.note ?? '', /is -1, which acts as 0/);
  assert.deepEqual(findings([pg], 'postgresql'), []);
});

test('CONN_MAX_AGE None keeps connections forever: an error without CONN_HEALTH_CHECKS, nothing with it (django.md: "trap: don\'t flag")', () => {
  const bare = only(run(MYSQL({ CONN_MAX_AGE: none(6) })));
  assert.equal(bare.idle[0]?.boundMs, undefined);
  assert.equal(
    bare.idle[0]?.note,
    `DATABASES["default"]["CONN_MAX_AGE"] is None, so Django keeps each thread's connection open with no age limit`,
  );
  assert.match(
    findings([bare], 'mysql')[0] as string,
    /^pool-lifetime-exceeds-wait-timeout:error:6: Nothing in DATABASES\["default"\] \(myproj\.settings\.production\) retires/,
  );
  const checked = only(run(MYSQL({ CONN_MAX_AGE: none(6), CONN_HEALTH_CHECKS: bool(true, 7) })));
  assert.equal(checked.validatesOnCheckout.value, true);
  assert.match(checked.validatesOnCheckout.fact, /assumes Django 4\.1 or later$/);
  assert.match(checked.validatesOnCheckout.sufficient ?? '', /trap: don't flag/);
  assert.deepEqual(findings([checked], 'mysql'), []);
});

test('a string CONN_MAX_AGE fails at the first connect; an environment value without int() does whenever it is set', () => {
  const literal = run(MYSQL({ CONN_MAX_AGE: str('600', 6) }));
  assert.deepEqual(
    literal.problems.map((p) => [p.severity, p.span.line]),
    [['error', 6]],
  );
  assert.match(
    literal.problems[0]?.message ?? '',
    /^DATABASES\["default"\]\["CONN_MAX_AGE"\] is the string "600", .*TypeError: unsupported operand type\(s\) for \+: 'float' and 'str' \(always;/,
  );
  const decouple = run(MYSQL({ CONN_MAX_AGE: env('CONN_MAX_AGE', 6, { via: 'decouple.config', default: int(60, 6) }) }));
  assert.match(
    decouple.problems[0]?.message ?? '',
    /read from environment variable CONN_MAX_AGE as text \(decouple\.config returns a string when it is set\).*\(whenever the variable is set;/,
  );
  assert.deepEqual(only(decouple).settings.get('CONN_MAX_AGE')?.value, { kind: 'duration', ms: 60_000 });
  const environ = run(MYSQL({ CONN_MAX_AGE: env('CONN_MAX_AGE', 6, { via: 'env.int', default: int(60, 6), cast: 'int' }) }));
  assert.deepEqual(environ.problems, []);
  assert.equal(
    only(environ).settings.get('CONN_MAX_AGE')?.key,
    'DATABASES["default"]["CONN_MAX_AGE"] (from environment CONN_MAX_AGE, default 60)',
  );
  const noDefault = only(run(MYSQL({ CONN_MAX_AGE: env('CONN_MAX_AGE', 6, { via: 'os.environ[...]', cast: 'int' }) })));
  assert.equal(noDefault.settings.get('CONN_MAX_AGE')?.value.kind, 'unknown');
  assert.deepEqual(
    findings([noDefault], 'mysql', 60).filter((f) => f.startsWith('pool-lifetime')),
    [],
  );
});

test('CONN_HEALTH_CHECKS: ignored by a declared Django before 4.1; a "false" string turns it on', () => {
  const old = run(MYSQL({ CONN_MAX_AGE: int(60, 6), CONN_HEALTH_CHECKS: bool(true, 7) }), { version: version('4.0.10') });
  assert.equal(only(old).validatesOnCheckout.value, false);
  assert.match(
    old.problems[0]?.message ?? '',
    /^DATABASES\["default"\]\["CONN_HEALTH_CHECKS"\] is ignored: Django 4\.0\.10 predates CONN_HEALTH_CHECKS/,
  );
  const text = run(MYSQL({ CONN_MAX_AGE: int(60, 6), CONN_HEALTH_CHECKS: str('false', 7) }), { version: version('5.2') });
  assert.equal(only(text).validatesOnCheckout.value, true);
  assert.match(text.problems[0]?.message ?? '', /is "false", which turns health checks on/);
});

test('dj_database_url.config(): the URL from DATABASE_URL (its default here), conn_max_age and conn_health_checks as written', () => {
  const cfg = call(
    'dj_database_url.config',
    [],
    {
      default: str('mysql://app:pw-456@Primary:3306/shop', 3),
      conn_max_age: env('CONN_MAX_AGE', 4, { via: 'decouple.config', default: int(300, 4), cast: 'int' }),
      conn_health_checks: bool(true, 5),
    },
    2,
  );
  const pool = only(run(dict({ default: cfg }, 1)));
  assert.deepEqual([pool.engine, pool.host], ['mysql', 'primary']);
  assert.equal(pool.settings.get('CONN_MAX_AGE')?.key, 'conn_max_age (from environment CONN_MAX_AGE, default 300)');
  assert.equal(pool.settings.get('CONN_HEALTH_CHECKS')?.key, 'conn_health_checks');
  assert.equal(pool.validatesOnCheckout.value, true);
  assert.match(
    pool.settings.get('ENGINE')?.key ?? '',
    /^DATABASES\["default"\]\["ENGINE"\] \(from the URL scheme mysql:\/\/ \(from environment DATABASE_URL, default "mysql:\/\/app:\*\*\*\*@Primary:3306\/shop"\)\)$/,
  );
  assert.deepEqual(pool.settings.get('PASSWORD')?.value, { kind: 'string', value: 'pw-456' }, 'kept for masking');
  // Without conn_max_age the helper sets 0 itself, and says so.
  const plain = only(run(dict({ default: call('dj_database_url.config', [], { default: str('postgres://pg/app', 3) }, 2) }, 1)));
  assert.equal(
    plain.settings.get('CONN_MAX_AGE')?.key,
    'DATABASES["default"]["CONN_MAX_AGE"] (set by dj_database_url.config(): conn_max_age defaults to 0)',
  );
  assert.equal(plain.engine, 'postgresql');
  // An unknown URL: the engine is unknown, not guessed.
  const unknown = only(run(dict({ default: call('dj_database_url.config', [], { conn_max_age: int(600, 3) }, 2) }, 1)));
  assert.equal(unknown.engine, undefined);
  assert.deepEqual(unknown.idle[0]?.boundMs, 600_000);
});

test('.update(dj_database_url.config()) resets CONN_MAX_AGE and CONN_HEALTH_CHECKS written before it', () => {
  const update = call('dj_database_url.config', [], { default: str('mysql://db/app', 8) }, 8);
  const alias = dict({ ENGINE: str('django.db.backends.mysql', 3), CONN_MAX_AGE: int(600, 4), CONN_HEALTH_CHECKS: bool(true, 5) }, 2);
  for (const e of alias.entries) e.laterMerges = [0];
  alias.merges = [{ value: update, span: at(8) }];
  const pool = only(run(dict({ default: alias }, 1)));
  const age = pool.settings.get('CONN_MAX_AGE');
  assert.deepEqual(age?.value, { kind: 'duration', ms: 0 });
  assert.equal(age?.origin.kind === 'file' ? age.origin.span.line : 0, 8);
  assert.deepEqual(
    age?.overrides.map((o) => (o.kind === 'file' ? o.span.line : 0)),
    [4],
  );
  assert.deepEqual(pool.settings.get('CONN_HEALTH_CHECKS')?.value, { kind: 'bool', value: false });
  // A merge the evaluator could not expand: CONN_MAX_AGE may be anything.
  const opaque = dict({ ENGINE: str('django.db.backends.mysql', 3) }, 2);
  opaque.merges = [{ value: call('myproj.db.settings', [], {}, 9), span: at(9) }];
  const o = only(run(dict({ default: opaque }, 1)));
  assert.equal(o.settings.get('CONN_MAX_AGE')?.value.kind, 'unknown');
  assert.equal(o.idle[0]?.boundMs, undefined);
});

test('django-environ env.db(): ?conn_max_age= becomes CONN_MAX_AGE; with dj-database-url it goes to the driver', () => {
  const environ = only(
    run(
      dict(
        {
          default: call(
            'environ.Env.db',
            [],
            { default: str('mysql://db/app?conn_max_age=600&init_command=SET+SESSION+wait_timeout%3D300', 3) },
            2,
          ),
        },
        1,
      ),
    ),
  );
  assert.deepEqual(environ.settings.get('CONN_MAX_AGE')?.value, { kind: 'duration', ms: 600_000 });
  assert.deepEqual(environ.settings.get('session.wait_timeout')?.value, { kind: 'duration', ms: 300_000 });
  const dj = run(dict({ default: call('dj_database_url.parse', [str('mysql://db/app?conn_max_age=600', 3)], {}, 2) }, 1));
  assert.deepEqual(only(dj).settings.get('CONN_MAX_AGE')?.value, { kind: 'duration', ms: 0 });
  assert.match(
    dj.problems[0]?.message ?? '',
    /^\?conn_max_age= in the URL is not CONN_MAX_AGE: dj_database_url\.parse\(\) puts every query parameter into OPTIONS/,
  );
  const health = only(
    run(
      dict(
        { default: call('environ.Env.db', [], { default: str('postgres://pg/app?conn_health_checks=false&conn_max_age=60', 3) }, 2) },
        1,
      ),
    ),
  );
  assert.equal(health.settings.get('CONN_HEALTH_CHECKS')?.value.kind, 'unknown');
  assert.equal(health.validatesOnCheckout.value, true, 'an unknown CONN_HEALTH_CHECKS is not assumed off');
  assert.equal(expandDatabaseCall(call('os.getenv', [], {}, 1)), undefined);
});

test('OPTIONS: init_command sets a session wait_timeout; libpq keepalives=0 turns keepalive off', () => {
  const mysql = only(
    run(
      MYSQL({
        CONN_MAX_AGE: int(60, 6),
        OPTIONS: dict(
          { init_command: str("SET sql_mode='STRICT_TRANS_TABLES'; SET SESSION wait_timeout=30", 8), read_timeout: int(10, 9) },
          7,
        ),
      }),
    ),
  );
  const session = mysql.settings.get('session.wait_timeout');
  assert.equal(session?.key, 'DATABASES["default"]["OPTIONS"]["init_command"] (SET SESSION wait_timeout)');
  assert.deepEqual(session?.value, { kind: 'duration', ms: 30_000 });
  assert.deepEqual(mysql.settings.get('OPTIONS.read_timeout')?.value, { kind: 'duration', ms: 10_000 });
  const pg = only(
    run(dict({ default: dict({ ENGINE: str('django.db.backends.postgresql', 3), OPTIONS: dict({ keepalives: int(0, 5) }, 4) }, 2) }, 1)),
  );
  assert.deepEqual(pg.tcpKeepalive && [pg.tcpKeepalive.value, pg.tcpKeepalive.setting?.key], [
    false,
    'DATABASES["default"]["OPTIONS"]["keepalives"]',
  ]);
});

test('OPTIONS["pool"] (Django 5.1+, PostgreSQL): psycopg_pool owns the connections; CONN_MAX_AGE must be 0', () => {
  const r = run(
    dict(
      {
        default: dict(
          {
            ENGINE: str('django.db.backends.postgresql', 3),
            CONN_MAX_AGE: int(600, 4),
            OPTIONS: dict({ pool: dict({ min_size: int(2, 6), max_lifetime: int(1800, 7) }, 6) }, 5),
          },
          2,
        ),
      },
      1,
    ),
  );
  const pool = only(r);
  assert.deepEqual(
    [pool.library, pool.libraryName, pool.id],
    ['psycopg-pool', 'psycopg_pool', 'psycopg-pool:myproj/settings/production.py@default#myproj.settings.production'],
  );
  assert.match(
    r.problems[0]?.message ?? '',
    /^DATABASES\["default"\]\["CONN_MAX_AGE"\] must be 0 with OPTIONS\["pool"\]: .*ImproperlyConfigured: Pooling doesn't support persistent connections/,
  );
  assert.deepEqual(
    pool.idle.map((m) => [m.kind, m.boundMs, m.note]),
    [
      [
        'max-lifetime',
        undefined,
        'DATABASES["default"]["OPTIONS"]["pool"]["max_lifetime"] is checked when a connection is returned to psycopg_pool, not when it is lent, so it does not bound how long one sits idle',
      ],
      [
        'idle-timeout',
        undefined,
        'DATABASES["default"]["OPTIONS"]["pool"]["max_idle"] closes only connections above min_size (2); those may sit idle indefinitely',
      ],
    ],
  );
  assert.deepEqual(pool.settings.get('pool.max_idle')?.value, { kind: 'duration', ms: 600_000 });
  assert.equal(pool.validatesOnCheckout.value, false);
  assert.match(
    findings([pool], 'postgresql')[0] as string,
    /^pool-missing-validation:warning:\d+: psycopg_pool lends pooled connections without checking them \(DATABASES\["default"\]\["CONN_HEALTH_CHECKS"\] is off\)/,
  );
});

test('misplaced pool keys are reported as ignored; SQLite, geventpool and missing ENGINE give no pool', () => {
  const r = run(MYSQL({ POOL_RECYCLE: int(300, 6), conn_max_age: int(60, 7), TEST: dict({}, 8) }));
  assert.deepEqual(
    r.problems.map((p) => [p.span.line, p.message]),
    [
      [
        6,
        'DATABASES["default"]["POOL_RECYCLE"] is ignored: Django reads no such key and never rejects unknown ones (django.md, configure_settings). Its setting for this is CONN_MAX_AGE',
      ],
      [
        7,
        'DATABASES["default"]["conn_max_age"] is ignored: Django reads no such key and never rejects unknown ones (django.md, configure_settings). Its setting for this is CONN_MAX_AGE',
      ],
    ],
  );
  const none = run(
    dict(
      {
        default: dict({ ENGINE: str('django.db.backends.sqlite3', 3) }, 2),
        gevent: dict({ ENGINE: str('django_db_geventpool.backends.postgresql_psycopg3', 5) }, 4),
        empty: dict({ NAME: str('x', 7) }, 6),
      },
      1,
    ),
  );
  assert.deepEqual(
    none.notPooled.map((n) => n.alias),
    ['default', 'gevent', 'empty'],
  );
  assert.match(none.notPooled[2]?.reason ?? '', /no ENGINE, so Django uses django\.db\.backends\.dummy/);
});

test('dj_db_conn_pool: a SQLAlchemy pool per alias with upper-case POOL_OPTIONS only', () => {
  const r = run(
    dict(
      {
        default: dict(
          {
            ENGINE: str('dj_db_conn_pool.backends.mysql', 3),
            POOL_OPTIONS: dict({ RECYCLE: int(3600, 5), pool_pre_ping: bool(false, 6), POOL_RECYCLE: int(10, 7) }, 4),
          },
          2,
        ),
      },
      1,
    ),
  );
  const pool = only(r);
  assert.deepEqual([pool.library, pool.idle[0]?.boundMs, pool.validatesOnCheckout.value], ['dj-db-conn-pool', 3_600_000, true]);
  assert.deepEqual(
    r.problems.map((p) => p.message.split(':')[0]),
    ['DATABASES["default"]["POOL_OPTIONS"]["pool_pre_ping"] is ignored', 'DATABASES["default"]["POOL_OPTIONS"]["POOL_RECYCLE"] is ignored'],
  );
  assert.match(r.problems[1]?.message ?? '', /Write it as "RECYCLE"$/);
});

test('DATABASES that is not a dict here, and an alias that is an unknown call, say why there is no pool', () => {
  assert.deepEqual(run({ kind: 'unknown', reason: 'imported from local_settings, not in the tree', span: at(1) }).notPooled, [
    { alias: '*', reason: 'DATABASES is not known here (imported from local_settings, not in the tree)' },
  ]);
  assert.match(
    run(dict({ default: call('myproj.db.get_config', [], {}, 2) }, 1)).notPooled[0]?.reason ?? '',
    /myproj\.db\.get_config\(\.\.\.\), which connlint does not evaluate/,
  );
});

test('split settings whose base module is not in the tree: the alias is open, so ENGINE and CONN_HEALTH_CHECKS are unknown', () => {
  // production.py: `from .base import *` (base.py absent), then DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60).
  const opaque: PyValue = {
    kind: 'unknown',
    reason: '"default" of DATABASES is imported from .base, which is not in the scanned tree',
    span: at(34),
  };
  const alias = dict({ CONN_MAX_AGE: env('CONN_MAX_AGE', 34, { via: 'env.int', default: int(60, 34), cast: 'int' }) }, 34);
  alias.merges = [{ value: opaque, span: at(34) }];
  const pool = only(run(dict({ default: alias }, 17)));
  assert.equal(pool.engine, undefined);
  assert.deepEqual(pool.idle[0]?.boundMs, 60_000);
  assert.equal(pool.settings.get('CONN_HEALTH_CHECKS')?.value.kind, 'unknown');
  assert.equal(pool.validatesOnCheckout.value, true);
  assert.deepEqual(findings([pool]), []);
});
