import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyConfig } from '../../src/config/config.js';
import { RULES } from '../../src/engine/registry.js';
import { runRules } from '../../src/engine/run.js';
import { KEEPALIVE_TIME, linuxDefault } from '../../src/interpreters/linux/keepalive.js';
import { defaultServer } from '../../src/interpreters/mysql/server.js';
import type { PyCall, PyEnv, PyValue } from '../../src/interpreters/python/value.js';
import { sessionWaitTimeout } from '../../src/interpreters/sqlalchemy/drivers.js';
import { sqlalchemyPool } from '../../src/interpreters/sqlalchemy/pool.js';
import { dictView, pyInt, scalarOf } from '../../src/interpreters/sqlalchemy/python-scalar.js';
import { spanText } from '../../src/model/span.js';
import { parseSqlalchemyUrl } from '../../src/interpreters/sqlalchemy/url.js';
import { assembleModel } from '../../src/model/assemble.js';
import type { Engine, Pool } from '../../src/model/model.js';
import { lineSpan, type Span } from '../../src/model/span.js';

// PyValues as the static evaluator gives them, one per line of an imagined app/db.py.
const FILE = 'app/db.py';
const at = (line: number, column = 5, length = 10): Span => lineSpan(FILE, line, column, length);
const int = (value: number, line = 1): PyValue => ({ kind: 'int', value, span: at(line) });
const str = (value: string, line = 1): PyValue => ({ kind: 'str', value, span: at(line) });
const bool = (value: boolean, line = 1): PyValue => ({ kind: 'bool', value, span: at(line) });
const ref = (dotted: string, line = 1): PyValue => ({ kind: 'ref', name: dotted, span: at(line) });
const env = (n: string, line: number, more: Partial<Pick<PyEnv, 'default' | 'cast' | 'via'>> = {}): PyValue => ({
  kind: 'env',
  name: n,
  via: more.via ?? 'os.environ.get',
  ...(more.default ? { default: more.default } : {}),
  ...(more.cast ? { cast: more.cast } : {}),
  span: at(line),
});
const dict = (entries: Record<string, PyValue>, line = 1): PyValue => ({
  kind: 'dict',
  entries: Object.entries(entries).map(([k, v]) => ({ key: str(k, v.span.line), value: v, span: v.span })),
  span: at(line),
});
/** `callee(url, name=value, ...)` with each keyword on the line of its value. */
function call(callee: string, args: PyValue[], kwargs: Record<string, PyValue> = {}, line = 1): PyCall {
  return {
    kind: 'call',
    callee,
    written: callee.slice(callee.lastIndexOf('.') + 1),
    args,
    kwargs: Object.entries(kwargs).map(([n, value]) => ({ name: n, value, span: { ...value.span, column: 5 } })),
    span: at(line, 1, 20),
  };
}
const createEngine = (args: PyValue[], kwargs: Record<string, PyValue> = {}) =>
  sqlalchemyPool({ path: FILE, call: call('sqlalchemy.create_engine', args, kwargs), source: 'create_engine' });

function poolOf(r: ReturnType<typeof sqlalchemyPool>): Pool {
  assert.ok(r.pool, `no pool: ${r.noPool}`);
  return r.pool;
}

/** The rules' findings for these pools against a server of this engine with the given wait_timeout (or its default). */
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

test('create_engine with pool_recycle and pre-ping: a MySQL pool whose lifetime bounds idle time and that validates', () => {
  const r = createEngine([str('mysql+pymysql://app:s3cret@DB:3306/shop?charset=utf8mb4', 2)], {
    pool_size: int(20, 3),
    pool_recycle: int(3600, 4),
    pool_pre_ping: bool(true, 5),
  });
  const pool = poolOf(r);
  assert.deepEqual(r.problems, []);
  assert.equal(pool.id, 'sqlalchemy:app/db.py@1');
  assert.equal(pool.name, 'create_engine() at app/db.py:1');
  assert.equal(pool.engine, 'mysql');
  assert.equal(pool.engineReason, "SQLAlchemy URL 'mysql+pymysql://'");
  assert.equal(pool.host, 'db');
  assert.deepEqual(
    pool.idle.map((m) => [m.kind, m.setting.key, m.boundMs]),
    [['max-lifetime', 'pool_recycle', 3_600_000]],
  );
  assert.equal(pool.validatesOnCheckout.value, true);
  assert.equal(pool.validatesOnCheckout.setting?.key, 'pool_pre_ping');
  assert.deepEqual(pool.tcpKeepalive && [pool.tcpKeepalive.driver, pool.tcpKeepalive.value], ['PyMySQL', true]);
  assert.deepEqual(pool.settings.get('pool_size')?.value, { kind: 'count', value: 20 });
  assert.equal(pool.settings.get('max_overflow')?.origin.kind, 'library-default');
  assert.equal(pool.settings.get('pool_recycle')?.unit, 's');
  assert.deepEqual(pool.settings.get('pool_recycle')?.origin, { kind: 'file', span: { ...at(4), column: 5 }, via: [] });
  // Under the server's limit, or over it: silent, since pre-ping replaces a connection the server closed
  // (sqlalchemy.md, "What a linter can safely conclude": "trap: don't flag").
  assert.deepEqual(findings([pool], 'mysql', 28800), []);
  assert.deepEqual(findings([pool], 'mysql', 600), []);
  assert.match(pool.validatesOnCheckout.sufficient ?? '', /trap: don't flag/);
});

test('defaults: pool_recycle -1 never recycles and pre-ping is off, so both rules fire against a finite wait_timeout', () => {
  const pool = poolOf(createEngine([str('mysql://app@db/shop', 2)]));
  const recycle = pool.idle[0];
  assert.equal(recycle?.boundMs, undefined);
  assert.equal(recycle?.note, 'pool_recycle is -1, so SQLAlchemy never recycles by age');
  assert.deepEqual(pool.validatesOnCheckout.value, false);
  assert.equal(pool.tcpKeepalive?.driver, 'mysqlclient (MySQLdb)');
  assert.deepEqual(pool.settings.get('poolclass')?.value, { kind: 'string', value: 'QueuePool' });
  const out = findings([pool], 'mysql', 600);
  assert.equal(out.length, 2);
  assert.match(
    out[0] as string,
    /^pool-lifetime-exceeds-wait-timeout:error:1: Nothing in create_engine\(\) at app\/db\.py:1 retires or pings idle connections \(pool_recycle is -1, so SQLAlchemy never recycles by age/,
  );
  assert.match(
    out[1] as string,
    /^pool-missing-validation:warning:1: SQLAlchemy lends pooled connections without checking them \(pool_pre_ping is off\)/,
  );
});

test('a pool_recycle read as text from the environment crashes at the second checkout; int(...) around it does not', () => {
  const bare = createEngine([str('mysql://db/app', 2)], { pool_recycle: env('POOL_RECYCLE', 3, { via: 'os.environ' }) });
  assert.deepEqual(
    bare.problems.map((p) => [p.severity, p.span.line]),
    [['error', 3]],
  );
  assert.match(
    bare.problems[0]?.message ?? '',
    /^pool_recycle \(from environment POOL_RECYCLE\) is read from environment variable POOL_RECYCLE \(os\.environ returns text\), .*TypeError: '>' not supported between instances of 'str' and 'int' \(whenever the variable is set; sqlalchemy\.md/,
  );
  // No default: the value is unknown, and no finding rests on it.
  assert.equal(poolOf(bare).settings.get('pool_recycle')?.value.kind, 'unknown');
  assert.deepEqual(
    findings([poolOf(bare)], 'mysql', 600).filter((f) => f.startsWith('pool-lifetime')),
    [],
  );

  const withDefault = createEngine([str('mysql://db/app', 2)], { pool_recycle: env('POOL_RECYCLE', 3, { default: int(3600, 3) }) });
  const recycle = poolOf(withDefault).settings.get('pool_recycle');
  assert.equal(recycle?.key, 'pool_recycle (from environment POOL_RECYCLE, default 3600)');
  assert.deepEqual(recycle?.value, { kind: 'duration', ms: 3_600_000 });
  assert.equal(withDefault.problems.length, 1, 'still text whenever the variable is set');

  // int(os.getenv("POOL_RECYCLE", "1800")): the evaluator hands over the converted default and the cast.
  const cast = createEngine([str('mysql://db/app', 2)], { pool_recycle: env('POOL_RECYCLE', 3, { default: int(1800, 3), cast: 'int' }) });
  assert.deepEqual(cast.problems, []);
  const c = poolOf(cast).settings.get('pool_recycle');
  assert.equal(c?.key, 'pool_recycle (from environment POOL_RECYCLE, default 1800)');
  assert.deepEqual(c?.value, { kind: 'duration', ms: 1_800_000 });
  assert.equal(c?.text, '1800');
});

test('a literal string pool_recycle in create_engine() is an error; other int keys as text are warnings', () => {
  const r = createEngine([str('mysql://db/app', 2)], { pool_recycle: str('3600', 3), pool_size: str('5', 4) });
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.span.line, p.message.split(',')[0]]),
    [
      ['error', 3, 'pool_recycle is "3600"'],
      ['warning', 4, 'pool_size is "5"'],
    ],
  );
});

test('engine_from_config converts the int keys from strings, never pool_pre_ping: "false" turns pre-ping on', () => {
  const config = dict({
    'sqlalchemy.url': str('mysql+mysqldb://db/app', 2),
    'sqlalchemy.pool_recycle': str(' 3600 ', 3),
    'sqlalchemy.pool_pre_ping': str('false', 4),
    'sqlalchemy.pool_timeout': str('30.5', 5),
    'other.pool_size': str('99', 6),
  });
  const r = sqlalchemyPool({
    path: FILE,
    call: call('sqlalchemy.engine_from_config', [config], { pool_size: int(7, 7) }),
    source: 'engine_from_config',
  });
  const pool = poolOf(r);
  assert.deepEqual(pool.settings.get('pool_recycle')?.value, { kind: 'duration', ms: 3_600_000 });
  assert.equal(pool.settings.get('pool_recycle')?.key, 'sqlalchemy.pool_recycle');
  assert.deepEqual(pool.settings.get('pool_pre_ping')?.value, { kind: 'bool', value: true });
  assert.equal(pool.settings.get('pool_pre_ping')?.clamp?.reason, 'a non-empty string is true: pre-ping is on');
  assert.equal(pool.validatesOnCheckout.value, true);
  // The kwarg overrides the config; the other prefix is never read.
  assert.deepEqual(pool.settings.get('pool_size')?.value, { kind: 'count', value: 7 });
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.span.line]),
    [
      ['warning', 4],
      ['error', 5],
    ],
  );
  assert.match(
    r.problems[0]?.message ?? '',
    /^sqlalchemy\.pool_pre_ping is "false", which turns pre-ping on: .*Remove the key, or leave its value empty, to turn pre-ping off$/,
  );
  assert.match(
    r.problems[1]?.message ?? '',
    /^sqlalchemy\.pool_timeout is "30\.5", which SQLAlchemy converts with int\(\) .*ValueError: invalid literal for int\(\)/,
  );
});

test('engine_from_config on a configuration the evaluator does not know builds no pool', () => {
  const r = sqlalchemyPool({
    path: FILE,
    call: call('sqlalchemy.engine_from_config', [{ kind: 'unknown', reason: 'parameter settings', span: at(1) }], {
      prefix: str('sqlalchemy.', 1),
    }),
    source: 'engine_from_config',
  });
  assert.equal(r.pool, undefined);
  assert.match(r.noPool ?? '', /reads a configuration that is not known here \(parameter settings\)/);
});

test('NullPool pools nothing: no idle bound to break, validation not needed, and queue-only keys are a start-up TypeError', () => {
  const r = createEngine([str('mysql://db/app', 2)], {
    poolclass: ref('sqlalchemy.pool.NullPool', 3),
    pool_size: int(5, 4),
    pool_recycle: int(99999, 5),
  });
  const pool = poolOf(r);
  assert.deepEqual(
    pool.idle.map((m) => [m.setting.key, m.boundMs]),
    [['poolclass', 0]],
  );
  assert.equal(pool.validatesOnCheckout.value, true);
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.span.line]),
    [['error', 4]],
  );
  assert.match(
    r.problems[0]?.message ?? '',
    /^pool_size is only accepted by queue pools, and poolclass is NullPool: .*TypeError: Invalid argument\(s\) 'pool_size'/,
  );
  assert.deepEqual(findings([pool], 'mysql', 10), []);
  assert.deepEqual(findings([pool], 'postgresql'), []);
});

test('a pool class the caller supplies (Alembic env.py) makes queue-only keys a warning, not an error', () => {
  const r = sqlalchemyPool({
    path: 'alembic.ini',
    call: { url: str('mysql://db/app', 2), options: new Map([['max_overflow', str('10', 3)]]) },
    source: 'engine_from_config',
    poolclass: { name: 'NullPool', library: 'Alembic', why: "Alembic's generated env.py", certain: false },
  });
  assert.deepEqual(
    r.problems.map((p) => p.severity),
    ['warning'],
  );
  assert.equal(poolOf(r).settings.get('poolclass')?.origin.kind, 'library-default');
});

test('SQLite and pool= instances give no pool; an unknown URL gives a pool without an engine', () => {
  assert.equal(
    createEngine([str('sqlite:///app.db')]).noPool,
    'a SQLite database: a local file, with no server or network to close idle connections',
  );
  assert.match(
    createEngine([str('mysql://db/app')], { pool: call('sqlalchemy.pool.QueuePool', [], {}, 2) }).noPool ?? '',
    /a pool built elsewhere/,
  );
  const unknown = poolOf(createEngine([env('DATABASE_URL', 1, { via: 'os.environ' })]));
  assert.equal(unknown.engine, undefined);
  assert.equal(unknown.tcpKeepalive, undefined);
  assert.equal(unknown.settings.get('url')?.value.kind, 'unknown');
  // An env URL with a default: the default's dialect is used, and the key says so (password masked).
  const dflt = poolOf(createEngine([env('DATABASE_URL', 1, { default: str('mariadb+mariadbconnector://u:pw1234@maria/app') })]));
  assert.equal(dflt.engine, 'mariadb');
  assert.equal(dflt.tcpKeepalive, undefined, 'MariaDB Connector/Python keepalive is not in the knowledge base');
  assert.equal(dflt.settings.get('url')?.key, 'url (from environment DATABASE_URL, default "mariadb+mariadbconnector://u:****@maria/app")');
});

test('URL query and connect_args: timeouts, a session wait_timeout from init_command, PyMySQL range checks', () => {
  const r = createEngine([str('mysql+pymysql://db/app?read_timeout=30&init_command=SET+SESSION+wait_timeout%3D300', 2)], {
    connect_args: dict({ read_timeout: int(0, 4), write_timeout: int(20, 5) }, 3),
  });
  const pool = poolOf(r);
  assert.deepEqual(pool.settings.get('connect_args.read_timeout')?.value, { kind: 'duration', ms: 0 });
  assert.equal(pool.settings.get('connect_args.read_timeout')?.key, 'connect_args["read_timeout"]');
  assert.deepEqual(pool.settings.get('connect_args.write_timeout')?.value, { kind: 'duration', ms: 20_000 });
  const session = pool.settings.get('session.wait_timeout');
  assert.equal(session?.key, 'init_command in url (SET SESSION wait_timeout)');
  assert.deepEqual(session?.value, { kind: 'duration', ms: 300_000 });
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.span.line, p.message]),
    [
      [
        'error',
        4,
        'connect_args["read_timeout"] is 0, but PyMySQL requires read_timeout to be above 0: every connection attempt fails with ValueError (sqlalchemy.md, PyMySQL 1.2.3)',
      ],
    ],
  );
  const bad = createEngine([str('mysql+pymysql://db/app?connect_timeout=10s', 2)]);
  assert.match(
    bad.problems[0]?.message ?? '',
    /^connect_timeout in url is "10s", which SQLAlchemy's pymysql dialect converts with int\(\)/,
  );
});

test('async engines: an async driver or create_async_engine defaults to AsyncAdaptedQueuePool and refuses a sync pool class', () => {
  const r = sqlalchemyPool({
    path: FILE,
    call: call('sqlalchemy.ext.asyncio.create_async_engine', [str('mysql+aiomysql://db/app')], {
      poolclass: ref('sqlalchemy.pool.QueuePool', 2),
    }),
    source: 'create_async_engine',
  });
  assert.match(
    r.problems[0]?.message ?? '',
    /^poolclass is QueuePool, a synchronous pool, but the engine is asynchronous: .*ArgumentError/,
  );
  const plain = poolOf(createEngine([str('postgresql+asyncpg://db/app')]));
  assert.deepEqual(plain.settings.get('poolclass')?.value, { kind: 'string', value: 'AsyncAdaptedQueuePool' });
  assert.deepEqual(plain.tcpKeepalive && [plain.tcpKeepalive.value, plain.tcpKeepalive.driver], [false, 'asyncpg']);
});

test('misspelt pool keys are a start-up TypeError with the near key; unrelated keywords are left alone', () => {
  const r = createEngine([str('mysql://db/app')], { pool_recyle: int(300, 2), echo: bool(true, 3), future: bool(true, 4) });
  assert.deepEqual(
    r.problems.map((p) => p.message),
    [
      "pool_recyle is not a create_engine() argument, so the engine fails at start-up with TypeError: Invalid argument(s) 'pool_recyle' sent to create_engine() (sqlalchemy.md). Did you mean pool_recycle?",
    ],
  );
});

test('postgres:// and libpq: the old dialect name is a warning, keepalives=0 turns TCP keepalive off', () => {
  const r = createEngine([str('postgres://u@pg/app')], { connect_args: dict({ keepalives: int(0, 3) }, 2) });
  const pool = poolOf(r);
  assert.equal(pool.engine, 'postgresql');
  assert.match(r.problems[0]?.message ?? '', /dialect name "postgres", which SQLAlchemy 1\.4 and later no longer accept/);
  assert.equal(pool.tcpKeepalive?.value, false);
  assert.equal(pool.tcpKeepalive?.setting?.key, 'connect_args["keepalives"]');
  const on = poolOf(createEngine([str('postgresql+psycopg://pg/app')]));
  assert.deepEqual(on.tcpKeepalive && [on.tcpKeepalive.driver, on.tcpKeepalive.value], ['psycopg 3 (libpq)', true]);
  // PostgreSQL has no wait_timeout: only the validation rule speaks, without a limit.
  assert.deepEqual(
    findings([on], 'postgresql').map((f) => f.slice(0, 62)),
    ['pool-missing-validation:warning:1: SQLAlchemy lends pooled con'],
  );
});

test('pool_pre_ping from the environment: text when set is always on; an unknown value is never assumed off', () => {
  const r = createEngine([str('mysql://db/app')], { pool_pre_ping: env('PRE_PING', 2, { default: bool(false, 2) }) });
  assert.equal(poolOf(r).validatesOnCheckout.value, false);
  assert.match(
    r.problems[0]?.message ?? '',
    /^pool_pre_ping \(from environment PRE_PING, default False\) is read from environment variable PRE_PING as text/,
  );
  const unknown = poolOf(createEngine([str('mysql://db/app')], { pool_pre_ping: env('PRE_PING', 2, { cast: 'bool' }) }));
  assert.equal(unknown.validatesOnCheckout.value, true);
  assert.match(unknown.validatesOnCheckout.fact, /not known here/);
  const lifo = createEngine([str('mysql://db/app')], { pool_use_lifo: str('False', 3) });
  assert.match(lifo.problems[0]?.message ?? '', /^pool_use_lifo is "False", which turns LIFO on/);
});

test('URL.create() and make_url() name the dialect and host', () => {
  const create = call('sqlalchemy.engine.URL.create', [], { drivername: str('mysql+pymysql', 2), host: str('Primary.DB', 3) }, 2);
  const pool = poolOf(createEngine([create]));
  assert.deepEqual([pool.engine, pool.host], ['mysql', 'primary.db']);
  const made = poolOf(createEngine([call('sqlalchemy.make_url', [str('mariadb://m/app')])]));
  assert.equal(made.engine, 'mariadb');
});

test('an unparsable URL is an error that never quotes its password', () => {
  const r = createEngine([str('mysql:/user:hunter22@db/app')]);
  assert.equal(r.problems[0]?.severity, 'error');
  assert.doesNotMatch(r.problems[0]?.message ?? '', /hunter22/);
  assert.match(r.problems[0]?.message ?? '', /^url is not a SQLAlchemy URL/);
});

test('parseSqlalchemyUrl follows make_url: IPv6 hosts, decoded query values, repeated keys, dropped blanks', () => {
  assert.deepEqual(parseSqlalchemyUrl('postgresql+psycopg2://u:p%40ss@[::1]:5432/db?a=1&a=2&b=&c&d=x+y'), {
    drivername: 'postgresql+psycopg2',
    dialect: 'postgresql',
    driver: 'psycopg2',
    host: '::1',
    port: '5432',
    database: 'db',
    query: [
      { key: 'a', value: '1' },
      { key: 'a', value: '2' },
      { key: 'd', value: 'x y' },
    ],
  });
  assert.equal(parseSqlalchemyUrl('not a url'), undefined);
  assert.equal(parseSqlalchemyUrl('mysql://db')?.host, 'db');
});

test('sessionWaitTimeout reads SET [SESSION] wait_timeout and never a global one', () => {
  assert.deepEqual(sessionWaitTimeout('SET SESSION wait_timeout=600'), { seconds: 600 });
  assert.deepEqual(sessionWaitTimeout("SET NAMES utf8mb4; SET wait_timeout = 28800, sql_mode='STRICT_ALL_TABLES'"), { seconds: 28800 });
  assert.deepEqual(sessionWaitTimeout('SET @@session.wait_timeout=60'), { seconds: 60 });
  assert.deepEqual(sessionWaitTimeout('set local wait_timeout := 61'), { seconds: 61 });
  assert.equal(sessionWaitTimeout('SET GLOBAL wait_timeout=60'), undefined);
  assert.equal(sessionWaitTimeout('SET @@global.wait_timeout=60'), undefined);
  assert.equal(sessionWaitTimeout("SET time_zone = '+00:00'"), undefined);
  assert.deepEqual(sessionWaitTimeout('SET GLOBAL a=1, wait_timeout=5'), {
    unknown: 'the scope of wait_timeout in "SET GLOBAL a=1, wait_timeout=5" is not clear',
  });
  assert.deepEqual(sessionWaitTimeout('SET wait_timeout=8*3600'), { unknown: 'wait_timeout is set to 8*3600, not a plain number' });
});

test('Python value helpers: int() of text, environment defaults as the evaluator converted them, candidates, spans', () => {
  assert.equal(pyInt(' -3_600\t'), -3600);
  assert.equal(pyInt('3600s'), undefined);
  assert.equal(pyInt('1__0'), undefined);
  // The default arrives converted (value.ts); without a cast the set variable is text.
  const d = scalarOf(env('X', 1, { via: 'decouple.config', default: int(60), cast: 'int' }));
  assert.deepEqual([d.literal?.kind, d.env?.typeWhenSet, d.note], ['int', 'int', 'from environment X, default 60']);
  assert.equal(scalarOf(env('X', 1, { via: 'os.getenv', default: int(60) })).env?.typeWhenSet, 'str');
  assert.equal(scalarOf(env('X', 1, { via: 'os.getenv', default: { kind: 'none', span: at(1) } })).literal?.kind, 'none');
  const same: PyValue = { kind: 'unknown', reason: 'one of two', span: at(2), candidates: [int(5, 3), int(5, 4)] };
  assert.equal(scalarOf(same).literal?.kind, 'int');
  const differ: PyValue = { kind: 'unknown', reason: 'one of two', span: at(2), candidates: [int(5, 3), int(6, 4)] };
  assert.equal(scalarOf(differ).unknown, 'one of two');
  assert.equal(spanText('a = 1\nbb = "x"\n', lineSpan('f', 2, 6, 3)), '"x"');
  assert.equal(spanText('one line', lineSpan('f', 3, 1, 2)), undefined);
});

test('dictView applies merges: an expanded one replaces keys set before it, an unknown one makes them unknown and opens the dict', () => {
  const merged: PyValue = {
    kind: 'dict',
    entries: [
      { key: str('a', 1), value: int(1, 1), span: at(1), laterMerges: [0] },
      { key: str('b', 2), value: int(2, 2), span: at(2), laterMerges: [1] },
      { key: str('c', 5), value: int(3, 5), span: at(5), overrides: [at(1)] },
    ],
    merges: [
      { value: dict({ a: int(10, 3), d: int(4, 3) }, 3), span: at(3) },
      { value: call('settings.load', [], {}, 4), span: at(4) },
    ],
    span: at(1),
  };
  const view = dictView(merged);
  assert.deepEqual(
    view?.items.map((i) => [i.key, i.value.kind === 'int' ? i.value.value : i.value.kind, i.span.line, i.overrides.map((o) => o.line)]),
    [
      ['a', 10, 3, [1]],
      ['b', 'unknown', 4, [2]],
      ['c', 3, 5, [1]],
      ['d', 4, 3, []],
    ],
  );
  assert.equal(view?.open?.span.line, 4);
});

test('a **kwargs the evaluator could not expand makes the unwritten pool settings unknown, never defaults', () => {
  const c = call('sqlalchemy.create_engine', [str('mysql://db/app')], { echo: bool(false, 2) });
  c.unpacked = [
    { star: '**', value: { kind: 'unknown', reason: 'POOL_CONFIG is imported from config, not in the tree', span: at(3) }, span: at(3) },
  ];
  const pool = poolOf(sqlalchemyPool({ path: FILE, call: c, source: 'create_engine' }));
  const recycle = pool.settings.get('pool_recycle')?.value;
  assert.equal(recycle?.kind === 'unknown' && /^pool_recycle may be set by \*\*/.test(recycle.reason), true);
  assert.equal(pool.validatesOnCheckout.value, true, 'an unknown pre-ping is not assumed off');
  assert.deepEqual(findings([pool], 'mysql', 60), []);
});

test('a URL built from parts with a known start still names the dialect and driver', () => {
  const url: PyValue = { kind: 'unknown', reason: 'an f-string with environment parts', prefix: 'mysql+pymysql://', span: at(2) };
  const pool = poolOf(createEngine([url]));
  assert.deepEqual([pool.engine, pool.host, pool.tcpKeepalive?.driver], ['mysql', undefined, 'PyMySQL']);
  assert.equal(pool.settings.get('url')?.value.kind, 'unknown');
});
