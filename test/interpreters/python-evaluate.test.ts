import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateTree } from '../../src/interpreters/python/evaluate.js';
import type { PyBinding, PyCall, PyDict, PyModule, PyValue } from '../../src/interpreters/python/value.js';

/*
 * The static evaluator (issue 17, "Static evaluation"): expectations are what CPython computes for the
 * same modules (checked by hand), or "unknown" where the value depends on what connlint cannot see.
 */

function run(files: Record<string, string>) {
  return evaluateTree(Object.entries(files).map(([path, text]) => ({ path, text })));
}

function mod(files: Record<string, string>, path: string): PyModule {
  const m = run(files).modules.get(path);
  assert.ok(m, `${path} not evaluated`);
  return m;
}

function one(text: string): PyModule {
  return mod({ 'settings.py': text }, 'settings.py');
}

function get(m: PyModule, name: string): PyBinding {
  const b = m.bindings.get(name);
  assert.ok(b, `${name} not bound`);
  return b;
}

/** A PyValue as plain data for comparisons (spans left out). */
function plain(v: PyValue | undefined): unknown {
  if (!v) return undefined;
  switch (v.kind) {
    case 'int':
    case 'float':
    case 'str':
    case 'bool':
      return v.value;
    case 'none':
      return null;
    case 'dict':
      return Object.fromEntries(v.entries.map((e) => [String(plain(e.key)), plain(e.value)]));
    case 'list':
    case 'tuple':
      return v.items.map(plain);
    case 'env': {
      const out: Record<string, unknown> = { env: v.name, via: v.via };
      if (v.default) out.default = plain(v.default);
      if (v.cast) out.cast = v.cast;
      return out;
    }
    case 'call':
      return { call: v.callee, args: v.args.map(plain), kwargs: Object.fromEntries(v.kwargs.map((k) => [k.name, plain(k.value)])) };
    case 'ref':
      return `<${v.name}>`;
    case 'class':
      return `<class ${v.path}:${v.name}>`;
    case 'unknown':
      return '<unknown>';
  }
}

function value(m: PyModule, name: string): unknown {
  return plain(get(m, name).value);
}

function entry(d: PyValue | undefined, key: string) {
  assert.equal(d?.kind, 'dict');
  return (d as PyDict).entries.find((e) => e.key.kind === 'str' && e.key.value === key);
}

// ---- constants

test('literals, arithmetic on constants, names bound to constants, casts of constants', () => {
  const m = one(
    [
      'A = 60 * 30',
      'B = A // 7 + 2 ** 10 - 0x10 + 1_000',
      'C = -7 // 2, -7 % 2, 7 / 2, 2 ** -1, 10 % -3',
      'D = int("  42 ") + int(3.9) + int(True)',
      'E = float("1_0.5"), str(3600), str(1e16), str(0.1), str(None), bool("")',
      'F = "a" "b" + "c" * 2',
      'G = [1, 2] + [3]',
      'H = not 0, 1 < 2 <= 2, "x" in "xyz", None is None',
      'I = 1 if A > 100 else 2',
    ].join('\n'),
  );
  assert.equal(value(m, 'A'), 1800);
  assert.equal(value(m, 'B'), 257 + 1024 - 16 + 1000);
  assert.deepEqual(value(m, 'C'), [-4, 1, 3.5, 0.5, -2]);
  assert.equal(value(m, 'D'), 46);
  assert.deepEqual(value(m, 'E'), [10.5, '3600', '1e+16', '0.1', 'None', false]);
  assert.equal(value(m, 'F'), 'abcc');
  assert.deepEqual(value(m, 'G'), [1, 2, 3]);
  assert.deepEqual(value(m, 'H'), [true, true, true, true]);
  assert.equal(value(m, 'I'), 1);
  assert.equal(get(m, 'A').span.line, 1);
});

test('f-strings of constants; partly known strings keep their known start', () => {
  const m = one(
    [
      'import os',
      'HOST = "db"',
      'PORT = 3306',
      'URL = f"mysql+pymysql://u:p@{HOST}:{PORT}/app?x={1.5!r}"',
      'ENV_URL = f"mysql+pymysql://{os.environ[\'DB_USER\']}@{HOST}/app"',
      'CONCAT = "postgresql://" + os.getenv("DB_HOST", "localhost")',
      'FORMAT = "mysql://{}:{}/{}".format(HOST, PORT, "app")',
      'PARTIAL = "mysql://{}:{}/x".format(os.environ["H"], PORT)',
    ].join('\n'),
  );
  assert.equal(value(m, 'URL'), 'mysql+pymysql://u:p@db:3306/app?x=1.5');
  assert.equal(value(m, 'FORMAT'), 'mysql://db:3306/app');
  for (const [name, prefix] of [
    ['ENV_URL', 'mysql+pymysql://'],
    ['CONCAT', 'postgresql://'],
    ['PARTIAL', 'mysql://'],
  ] as const) {
    const v = get(m, name).value;
    assert.equal(v.kind === 'unknown' && v.prefix, prefix, name);
  }
});

test('what Python would refuse at import is unknown, and noted', () => {
  const m = one('X = int("abc")\nY = 1 / 0\nZ = "a" + 1\n');
  for (const n of ['X', 'Y', 'Z']) assert.equal(get(m, n).value.kind, 'unknown');
  assert.deepEqual(
    m.problems.map((p) => [p.span.line, /ValueError|ZeroDivisionError|TypeError/.exec(p.message)?.[0]]),
    [
      [1, 'ValueError'],
      [2, 'ZeroDivisionError'],
      [3, 'TypeError'],
    ],
  );
});

// ---- dicts and calls

test('dicts, dict(...), **kwargs from a dict literal and from a module-level dict of another module', () => {
  const files = {
    'db_config.py': "POOL = {'pool_size': 5, 'pool_recycle': 3600}\n",
    'db.py': [
      'from sqlalchemy import create_engine',
      'from db_config import POOL',
      'EXTRA = dict(pool_pre_ping=True, **{"max_overflow": 0})',
      'D = {"a": 1, "a": 2, **EXTRA}',
      'engine = create_engine("mysql://h/db", **POOL, **EXTRA, echo=False)',
    ].join('\n'),
  };
  const m = mod(files, 'db.py');
  assert.deepEqual(value(m, 'EXTRA'), { pool_pre_ping: true, max_overflow: 0 });
  const d = get(m, 'D').value;
  assert.deepEqual(plain(d), { a: 2, pool_pre_ping: true, max_overflow: 0 });
  assert.equal(entry(d, 'a')?.overrides?.length, 1, 'the duplicate key remembers the value it replaced');
  const [call] = m.calls;
  assert.deepEqual(plain(call), {
    call: 'sqlalchemy.create_engine',
    args: ['mysql://h/db'],
    kwargs: { pool_size: 5, pool_recycle: 3600, pool_pre_ping: true, max_overflow: 0, echo: false },
  });
  const recycle = call?.kwargs.find((k) => k.name === 'pool_recycle');
  assert.deepEqual([recycle?.span.path, recycle?.span.line], ['db_config.py', 1]);
});

test('a call with **kwargs connlint cannot expand says so', () => {
  const m = one('from sqlalchemy import create_engine\nfrom somewhere import OPTS\ne = create_engine("mysql://h/db", **OPTS)\n');
  const [call] = m.calls;
  assert.deepEqual(
    call?.unpacked?.map((u) => [u.star, plain(u.value)]),
    [['**', '<somewhere.OPTS>']],
  );
});

test('calls of interest are collected anywhere, with callees resolved through imports and the tree', () => {
  const files = {
    'pkg/__init__.py': '',
    'pkg/engines.py': 'from sqlalchemy import create_engine as make\n',
    'app.py': [
      'import sqlalchemy as sa',
      'import sqlalchemy.ext.asyncio',
      'from sqlalchemy.ext.asyncio import create_async_engine',
      'from flask_sqlalchemy import SQLAlchemy',
      'from pkg.engines import make',
      'import pkg.engines as eng',
      'db = SQLAlchemy(engine_options={"pool_recycle": 280})',
      'def get():',
      '    url = "mysql://h/db"',
      '    return sa.engine_from_config({"sqlalchemy.url": url}, prefix="sqlalchemy.")',
      'class Repo:',
      '    def __init__(self, url):',
      '        self.engine = create_async_engine(url, pool_pre_ping=True)',
      'lazy = lambda: make("sqlite://")',
      'other = eng.make("mysql://a/b")',
      'x = sqlalchemy.ext.asyncio.async_engine_from_config({})',
      'sa.select(1)',
    ].join('\n'),
  };
  const m = mod(files, 'app.py');
  assert.deepEqual(
    m.calls.map((c) => [c.callee, c.span.line]),
    [
      ['flask_sqlalchemy.SQLAlchemy', 7],
      ['sqlalchemy.create_engine', 14],
      ['sqlalchemy.create_engine', 15],
      ['sqlalchemy.ext.asyncio.async_engine_from_config', 16],
      ['sqlalchemy.engine_from_config', 10],
      ['sqlalchemy.ext.asyncio.create_async_engine', 13],
    ],
  );
  const fromFunction = m.calls.find((c) => c.span.line === 10) as PyCall;
  assert.deepEqual(plain(fromFunction.args[0]), { 'sqlalchemy.url': 'mysql://h/db' });
  const method = m.calls.find((c) => c.span.line === 13) as PyCall;
  assert.equal(method.args[0]?.kind, 'unknown', 'a parameter is unknown');
  assert.equal(method.written, 'create_async_engine');
});

// ---- split settings

const split = {
  'manage.py': 'import os\n',
  'myproj/__init__.py': '',
  'myproj/settings/__init__.py': '',
  'myproj/settings/base.py': [
    'import environ',
    'env = environ.Env()',
    'DEBUG = False',
    'DATABASES = {',
    '    "default": {',
    '        "ENGINE": "django.db.backends.mysql",',
    '        "CONN_MAX_AGE": 60 * 5,',
    '    }',
    '}',
    '_PRIVATE = 1',
  ].join('\n'),
  'myproj/settings/production.py': [
    'from .base import *',
    'from .base import env',
    'DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)',
    'DATABASES["default"].update({"CONN_HEALTH_CHECKS": True})',
  ].join('\n'),
  'myproj/settings/staging.py': [
    'from myproj.settings.base import *',
    'DEBUG = True',
    'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}',
  ].join('\n'),
  'myproj/settings/urls.py': 'import myproj.settings.base as base_settings\nAGE = base_settings.DATABASES["default"]["CONN_MAX_AGE"]\n',
};

test('from .base import *: the leaf starts with base bindings, overrides items in place, base stays as it was', () => {
  const r = run(split);
  const base = r.modules.get('myproj/settings/base.py') as PyModule;
  const prod = r.modules.get('myproj/settings/production.py') as PyModule;
  assert.equal(prod.moduleName, 'myproj.settings.production');
  assert.equal(prod.bindings.has('_PRIVATE'), false, 'names starting with _ are not star-imported');
  const baseDefault = entry(get(base, 'DATABASES').value, 'default')?.value;
  assert.deepEqual(plain(baseDefault), { ENGINE: 'django.db.backends.mysql', CONN_MAX_AGE: 300 });
  const databases = get(prod, 'DATABASES');
  assert.deepEqual([databases.span.path, databases.span.line], ['myproj/settings/base.py', 4]);
  assert.deepEqual(
    databases.updates?.map((s) => s.line),
    [3, 4],
  );
  const age = entry(entry(databases.value, 'default')?.value, 'CONN_MAX_AGE');
  assert.deepEqual(plain(age?.value), { env: 'CONN_MAX_AGE', via: 'env.int', default: 600, cast: 'int' });
  assert.deepEqual(
    age?.overrides?.map((s) => [s.path, s.line]),
    [['myproj/settings/base.py', 7]],
  );
  assert.equal(plain(entry(entry(databases.value, 'default')?.value, 'CONN_HEALTH_CHECKS')?.value), true);
  assert.deepEqual(
    prod.imports.map((i) => [i.module, i.path, i.star]),
    [
      ['.base', 'myproj/settings/base.py', true],
      ['.base', 'myproj/settings/base.py', false],
    ],
  );
});

test('from myproj.settings.base import * (absolute) and later assignments record what they replaced', () => {
  const r = run(split);
  const staging = r.modules.get('myproj/settings/staging.py') as PyModule;
  const debug = get(staging, 'DEBUG');
  assert.equal(plain(debug.value), true);
  assert.deepEqual(
    debug.overrides.map((s) => [s.path, s.line]),
    [['myproj/settings/base.py', 3]],
  );
  assert.deepEqual(value(staging, 'DATABASES'), { default: { ENGINE: 'django.db.backends.sqlite3' } });
  const urls = r.modules.get('myproj/settings/urls.py') as PyModule;
  assert.equal(value(urls, 'AGE'), 300, 'import x.y.z as name reads the module');
});

test('DATABASES.update(dj_database_url.config()) keeps the call as a merge that may replace earlier keys', () => {
  const m = one(
    [
      'import dj_database_url',
      'DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "CONN_MAX_AGE": 600}}',
      'DATABASES["default"].update(dj_database_url.config(conn_max_age=60))',
      'DATABASES["default"]["CONN_HEALTH_CHECKS"] = True',
      'DATABASES["replica"] = dj_database_url.config(env="REPLICA_URL")',
      'DATABASES["replica"]["CONN_MAX_AGE"] = None',
    ].join('\n'),
  );
  const def = entry(get(m, 'DATABASES').value, 'default')?.value as PyDict;
  assert.deepEqual(
    def.merges?.map((x) => plain(x.value)),
    [{ call: 'dj_database_url.config', args: [], kwargs: { conn_max_age: 60 } }],
  );
  assert.deepEqual(entry(def, 'CONN_MAX_AGE')?.laterMerges, [0], 'set before the merge: the merge may replace it');
  assert.equal(entry(def, 'CONN_HEALTH_CHECKS')?.laterMerges, undefined, 'set after the merge: definite');
  const replica = entry(get(m, 'DATABASES').value, 'replica')?.value as PyDict;
  assert.deepEqual(
    [replica.merges?.length, plain(entry(replica, 'CONN_MAX_AGE')?.value), entry(replica, 'CONN_MAX_AGE')?.laterMerges],
    [1, null, undefined],
  );
  assert.deepEqual(
    m.calls.map((c) => c.span.line),
    [3, 5],
  );
});

test('import cycles see the partly run module, as Python does; no crash', () => {
  const r = run({ 'a.py': 'X = 1\nfrom b import Y\nZ = Y\n', 'b.py': 'from a import X\nY = X + 1\n' });
  assert.equal(value(r.modules.get('a.py') as PyModule, 'Z'), 2);
});

test('__all__ limits a star import; names from modules outside the tree are refs, never read from disk', () => {
  const m = mod(
    { 'base.py': '__all__ = ["A"]\nA = 1\nB = 2\n', 'leaf.py': 'from base import *\nfrom config import Config\nimport os.path\n' },
    'leaf.py',
  );
  assert.deepEqual([...m.bindings.keys()], ['A', 'Config', 'os']);
  assert.deepEqual([value(m, 'Config'), value(m, 'os')], ['<config.Config>', '<os>']);
});

// ---- environment

test('os.environ and os.getenv: the default is what the code gets when unset; int() casts text and default', () => {
  const m = one(
    [
      'import os',
      'from os import environ, getenv',
      'A = os.environ["POOL_RECYCLE"]',
      'B = os.environ.get("POOL_RECYCLE", "300")',
      'C = os.getenv("POOL_RECYCLE")',
      'D = int(os.getenv("POOL_RECYCLE", "300"))',
      'E = float(environ.get("T", 1))',
      'F = getenv("HOST") or "localhost"',
      'G = int(os.getenv("X"))',
      'H = bool(os.getenv("X"))',
      'I = int(os.getenv("X", "abc"))',
      'J = str(os.getenv("X"))',
    ].join('\n'),
  );
  assert.deepEqual(value(m, 'A'), { env: 'POOL_RECYCLE', via: 'os.environ[...]' });
  assert.deepEqual(value(m, 'B'), { env: 'POOL_RECYCLE', via: 'os.environ.get', default: '300' });
  assert.deepEqual(value(m, 'C'), { env: 'POOL_RECYCLE', via: 'os.getenv', default: null });
  assert.deepEqual(value(m, 'D'), { env: 'POOL_RECYCLE', via: 'os.getenv', default: 300, cast: 'int' });
  assert.deepEqual(value(m, 'E'), { env: 'T', via: 'os.environ.get', default: 1, cast: 'float' });
  assert.deepEqual(value(m, 'F'), { env: 'HOST', via: 'os.getenv or', default: 'localhost' });
  assert.deepEqual(value(m, 'G'), { env: 'X', via: 'os.getenv', cast: 'int' }, 'int(None) raises: no default');
  assert.equal(value(m, 'H'), '<unknown>', 'bool() of a text is true for any non-empty text, not a parse');
  assert.deepEqual(value(m, 'I'), { env: 'X', via: 'os.getenv', default: '<unknown>', cast: 'int' });
  assert.deepEqual(value(m, 'J'), { env: 'X', via: 'os.getenv', default: 'None', cast: 'str' });
});

test('django-environ: env.int/bool/str, env() smart cast, scheme, env.db() kept as a call', () => {
  const m = one(
    [
      'import environ',
      'env = environ.Env(DEBUG=(bool, False))',
      'A = env.int("CONN_MAX_AGE", default=60)',
      'B = env.bool("HEALTH", default=True)',
      'C = env("AGE", default=600)',
      'D = env("NAME")',
      'E = env.int("X", default="60")',
      'F = env("DEBUG")',
      'G = env.list("HOSTS", default=[])',
      'DATABASES = {"default": env.db()}',
    ].join('\n'),
  );
  assert.deepEqual(value(m, 'A'), { env: 'CONN_MAX_AGE', via: 'env.int', default: 60, cast: 'int' });
  assert.deepEqual(value(m, 'B'), { env: 'HEALTH', via: 'env.bool', default: true, cast: 'bool' });
  assert.deepEqual(value(m, 'C'), { env: 'AGE', via: 'env', default: 600, cast: 'int' });
  assert.deepEqual(value(m, 'D'), { env: 'NAME', via: 'env' });
  assert.deepEqual(value(m, 'E'), { env: 'X', via: 'env.int', default: '60', cast: 'int' }, 'django-environ returns the default as given');
  assert.equal(value(m, 'F'), '<unknown>', 'the Env(...) scheme sets its cast and default');
  assert.deepEqual(value(m, 'G'), { call: 'environ.Env.list', args: ['HOSTS'], kwargs: { default: [] } });
  assert.deepEqual(
    m.calls.map((c) => c.callee),
    ['environ.Env.db'],
  );
});

test('python-decouple: the cast applies to the default too', () => {
  const m = one(
    [
      'from decouple import config, Csv, AutoConfig',
      'A = config("CONN_MAX_AGE", cast=int, default="300")',
      'B = config("HEALTH", default="yes", cast=bool)',
      'C = config("URL")',
      'D = config("HOSTS", cast=Csv())',
      'cfg = AutoConfig(search_path="/app")',
      'E = cfg("AGE", default=60, cast=int)',
      'F = config("AGE", default=60)',
    ].join('\n'),
  );
  assert.deepEqual(value(m, 'A'), { env: 'CONN_MAX_AGE', via: 'decouple.config', default: 300, cast: 'int' });
  assert.deepEqual(value(m, 'B'), { env: 'HEALTH', via: 'decouple.config', default: true, cast: 'bool' });
  assert.deepEqual(value(m, 'C'), { env: 'URL', via: 'decouple.config' });
  assert.equal(value(m, 'D'), '<unknown>');
  assert.deepEqual(value(m, 'E'), { env: 'AGE', via: 'decouple.config', default: 60, cast: 'int' });
  assert.deepEqual(value(m, 'F'), { env: 'AGE', via: 'decouple.config', default: 60 }, 'no cast: the text when set, 60 when unset');
});

test('a name, an item and a literal key written many times: every earlier one remembered in order, branches kept apart', () => {
  const lines = ['AGE = 0', 'D = {"default": {"AGE": -1}}'];
  for (let i = 1; i <= 300; i++) lines.push(`AGE = ${i}`, `D["default"]["AGE"] = ${i}`);
  lines.push('if flag():', '    AGE = "yes"', '    D["default"]["AGE"] = "yes"', 'E = D');
  const m = one(`${lines.join('\n')}\n`);
  const age = get(m, 'AGE');
  assert.deepEqual(plain(age.value), 'yes');
  // Lines 1, 3, 5, ..., 601: the 301 assignments before the branch's, oldest first.
  assert.deepEqual(
    age.overrides.map((s) => s.line),
    Array.from({ length: 301 }, (_, i) => 1 + 2 * i),
  );
  assert.deepEqual(
    age.alternatives?.map((a) => [plain(a.value), a.overrides.length]),
    [[300, 300]],
    'the value without the branch replaced the 300 before it, not the branch',
  );
  const inner = entry(entry(get(m, 'D').value, 'default')?.value, 'AGE');
  assert.equal(plain(inner?.value), 'yes');
  assert.deepEqual(
    inner?.overrides?.map((s) => s.line),
    Array.from({ length: 301 }, (_, i) => (i === 0 ? 2 : 2 + 2 * i)),
  );
  assert.deepEqual(
    get(m, 'D').updates?.map((s) => s.line),
    [...Array.from({ length: 300 }, (_, i) => 4 + 2 * i), 605],
  );
});

test('a dict of many keys set statement by statement, in two branches that add different keys at the same place', () => {
  const lines = ['D = {}'];
  for (let i = 0; i < 20; i++) lines.push(`D["k${i}"] = ${i}`);
  lines.push('E = dict(D)', 'if flag():', '    D["x"] = "x"', '    D["k3"] = "three"', 'else:', '    D["y"] = "y"', '    D["x"] = "late"');
  lines.push('D["k19"] = 19.5', 'del E["k0"]', 'E["k1"] = "one"', 'E["k0"] = "zero"');
  const m = one(`${lines.join('\n')}\n`);
  const keys = (v: PyValue | undefined) => (v as PyDict).entries.map((e) => `${plain(e.key)}=${plain(e.value)}`);
  const d = get(m, 'D');
  const k = Array.from({ length: 20 }, (_, i) => `k${i}=${i}`);
  // The else branch ran last: its version is the value; the if branch's is the alternative.
  assert.deepEqual(keys(d.value), [...k.slice(0, 19), 'k19=19.5', 'y=y', 'x=late']);
  assert.deepEqual(
    d.alternatives?.map((a) => keys(a.value)),
    [[...k.slice(0, 3), 'k3=three', ...k.slice(4, 19), 'k19=19.5', 'x=x']],
  );
  assert.equal(entry(d.value, 'x')?.overrides, undefined, 'x was new in the else branch: it replaced nothing');
  assert.deepEqual(
    entry(d.value, 'k19')?.overrides?.map((s) => s.line),
    [21],
  );
  assert.deepEqual(keys(get(m, 'E').value), [...k.slice(1, 20).map((x) => (x === 'k1=1' ? 'k1=one' : x)), 'k0=zero']);
});

test('dict literals and dict(): a repeated key keeps its first place and remembers, True is 1, ** merges in order', () => {
  const m = one(
    [
      'BASE = {"b": 1, "c": 2}',
      'D = {"a": 1, 1: "one", "b": 0, True: "true", **BASE, "a": 2, None: 0, None: 1, "c": 3}',
      'F = dict([("x", 1), ("x", 2)], y=3, **BASE)',
    ].join('\n'),
  );
  const d = get(m, 'D').value as PyDict;
  assert.deepEqual(
    d.entries.map((e) => [plain(e.key), plain(e.value), e.overrides?.map((s) => `${s.line}:${s.column}`) ?? []]),
    [
      ['a', 2, ['2:6']],
      [1, 'true', ['2:14']],
      ['b', 1, ['2:24']],
      ['c', 3, ['1:17']],
      [null, 1, ['2:62']],
    ],
  );
  const f = get(m, 'F').value as PyDict;
  assert.deepEqual(
    f.entries.map((e) => [plain(e.key), plain(e.value), e.overrides?.length ?? 0]),
    [
      ['x', 2, 1],
      ['y', 3, 0],
      ['b', 1, 0],
      ['c', 2, 0],
    ],
  );
});

// ---- classes

test('config classes: inheritance, attributes after the method resolution order, overrides recorded', () => {
  const files = {
    'config.py': [
      'from pydantic import BaseSettings',
      'class Config:',
      '    RECYCLE = 3600',
      '    SQLALCHEMY_ENGINE_OPTIONS = {"pool_recycle": RECYCLE, "pool_pre_ping": False}',
      '    def init_app(app):',
      '        pass',
      'class Mixin:',
      '    SQLALCHEMY_POOL_RECYCLE = 280',
      'class ProductionConfig(Mixin, Config):',
      '    SQLALCHEMY_ENGINE_OPTIONS = {**Config.SQLALCHEMY_ENGINE_OPTIONS, "pool_pre_ping": True}',
      'class Settings(BaseSettings, Unknown):',
      '    POOL_RECYCLE: int = 3600',
    ].join('\n'),
  };
  const m = mod(files, 'config.py');
  const prod = m.classes.get('ProductionConfig');
  assert.deepEqual(prod?.bases, ['config.Mixin', 'config.Config']);
  assert.deepEqual(plain(prod?.attributes.get('SQLALCHEMY_ENGINE_OPTIONS')?.value), { pool_recycle: 3600, pool_pre_ping: true });
  assert.deepEqual(
    prod?.attributes.get('SQLALCHEMY_ENGINE_OPTIONS')?.overrides.map((s) => s.line),
    [4],
  );
  assert.equal(plain(prod?.attributes.get('SQLALCHEMY_POOL_RECYCLE')?.value), 280);
  assert.deepEqual([...(prod?.attributes.keys() ?? [])].sort(), [
    'RECYCLE',
    'SQLALCHEMY_ENGINE_OPTIONS',
    'SQLALCHEMY_POOL_RECYCLE',
    'init_app',
  ]);
  assert.deepEqual(m.classes.get('Settings')?.externalBases, ['pydantic.BaseSettings', 'Unknown']);
  assert.equal(value(m, 'ProductionConfig'), '<class config.py:ProductionConfig>');
});

// ---- Flask

test('Flask app.config writes: items, update, from_object with a class, an import string and a lookup among classes', () => {
  const files = {
    'config.py':
      'class Config:\n    X = 1\nclass ProductionConfig(Config):\n    X = 2\nconfig = {"default": Config, "production": ProductionConfig}\n',
    'app/__init__.py': [
      'import os',
      'from flask import Flask',
      'from config import config, ProductionConfig',
      'app = Flask(__name__)',
      'app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_recycle": 280}',
      'app.config.update(SQLALCHEMY_POOL_RECYCLE=100, SQLALCHEMY_DATABASE_URI=os.environ["DATABASE_URL"])',
      'app.config.from_object(ProductionConfig)',
      'app.config.from_object("config.ProductionConfig")',
      'def create_app(name):',
      '    other = Flask(__name__)',
      '    other.config.from_object(config[name])',
      '    return other',
    ].join('\n'),
  };
  const m = mod(files, 'app/__init__.py');
  assert.deepEqual(
    m.configWrites.map((w) => [w.target, w.targetCallee, w.kind, w.key, w.inFunction, w.span.line]),
    [
      ['app', 'flask.Flask', 'item', 'SQLALCHEMY_ENGINE_OPTIONS', undefined, 5],
      ['app', 'flask.Flask', 'update', undefined, undefined, 6],
      ['app', 'flask.Flask', 'from_object', undefined, undefined, 7],
      ['app', 'flask.Flask', 'from_object', undefined, undefined, 8],
      ['other', 'flask.Flask', 'from_object', undefined, 'create_app', 11],
    ],
  );
  const [item, update, byClass, byString, byLookup] = m.configWrites;
  assert.deepEqual(plain(item?.value), { pool_recycle: 280 });
  assert.deepEqual(plain(update?.value), {
    SQLALCHEMY_POOL_RECYCLE: 100,
    SQLALCHEMY_DATABASE_URI: { env: 'DATABASE_URL', via: 'os.environ[...]' },
  });
  assert.deepEqual(byClass?.object, { kind: 'class', path: 'config.py', name: 'ProductionConfig' });
  assert.deepEqual(byString?.object, { kind: 'class', path: 'config.py', name: 'ProductionConfig' });
  const lookup = byLookup?.value;
  assert.deepEqual(lookup?.kind === 'unknown' && lookup.candidates?.map(plain), [
    '<class config.py:Config>',
    '<class config.py:ProductionConfig>',
  ]);
});

// ---- control flow

test('an if connlint cannot decide: the last branch wins, the others are alternatives, with the test as condition', () => {
  const m = one(
    [
      'import os',
      'DEBUG = False',
      'if DEBUG:',
      '    NEVER = 1',
      'if os.getenv("USE_SQLITE"):',
      '    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}',
      'else:',
      '    DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "CONN_MAX_AGE": None}}',
      'if os.getenv("PROD"):',
      '    AGE = 600',
      'from typing import TYPE_CHECKING',
      'if TYPE_CHECKING:',
      '    TYPED = 1',
    ].join('\n'),
  );
  assert.equal(m.bindings.has('NEVER'), false, 'DEBUG is False in this module');
  assert.equal(m.bindings.has('TYPED'), false, 'TYPE_CHECKING is False when the program runs');
  const databases = get(m, 'DATABASES');
  assert.deepEqual(plain(entry(databases.value, 'default')?.value), { ENGINE: 'django.db.backends.mysql', CONN_MAX_AGE: null });
  assert.deepEqual(
    databases.conditions?.map((c) => c.line),
    [5],
  );
  assert.deepEqual(
    databases.alternatives?.map((a) => [plain(entry(a.value, 'default')?.value), a.span.line]),
    [[{ ENGINE: 'django.db.backends.sqlite3' }, 6]],
  );
  const age = get(m, 'AGE');
  assert.deepEqual([plain(age.value), age.conditions?.map((c) => c.line), age.alternatives], [600, [9], undefined]);
});

test('try/except ImportError around a local settings import not in the tree', () => {
  const m = one('DEBUG = False\ntry:\n    from .local_settings import *\nexcept ImportError:\n    pass\n');
  assert.deepEqual(
    m.opaqueStarImports.map((i) => [i.module, i.span.line]),
    [['.local_settings', 3]],
  );
  assert.equal(value(m, 'DEBUG'), false);
});

test('a file with a syntax error: the problem is returned, the statements that parse are evaluated', () => {
  const r = run({ 'settings.py': 'A = 1\nB = (\nC = 3\n' });
  const m = r.modules.get('settings.py') as PyModule;
  assert.equal(m.syntaxError?.line, 3);
  assert.equal(value(m, 'A'), 1);
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.span.path]),
    [['error', 'settings.py']],
  );
});

test('large generated settings modules evaluate without trouble', () => {
  const lines = ['import os', 'BASE = {"default": {"CONN_MAX_AGE": 0}}'];
  for (let i = 0; i < 3000; i++) {
    lines.push(`V${i} = ${i} * 2 + int(os.getenv("X${i}", "${i}"))`);
    lines.push(`BASE["default"]["K${i % 50}"] = V${i}`);
    lines.push(`if os.getenv("F${i}"):\n    V${i} = ${i}`);
  }
  const m = one(lines.join('\n'));
  assert.equal(m.bindings.size, 3002);
  assert.equal(get(m, 'V2999').alternatives?.length, 1);
});

test('values and classes nested by repeated statements stay bounded', () => {
  const lines = ['X = []', 'class C0:\n    A = 0'];
  for (let i = 1; i < 1000; i++) {
    lines.push('X = [X]');
    lines.push(`class C${i}(C${i - 1}):\n    B${i} = ${i}`);
  }
  const m = one(lines.join('\n'));
  assert.equal(get(m, 'X').value.kind, 'list');
  assert.ok(m.classes.get('C999'));
});

test('an in-place change through a second name reaches every name holding the same dict, as in Python', () => {
  const m = one(
    [
      'DEFAULT = {"ENGINE": "django.db.backends.mysql", "CONN_MAX_AGE": 600}',
      'DATABASES = {"default": DEFAULT, "replica": DEFAULT}',
      'db = DATABASES["default"]',
      'db["CONN_MAX_AGE"] = 0',
      'COPY = dict(DEFAULT)',
    ].join('\n'),
  );
  assert.deepEqual(value(m, 'DATABASES'), {
    default: { ENGINE: 'django.db.backends.mysql', CONN_MAX_AGE: 0 },
    replica: { ENGINE: 'django.db.backends.mysql', CONN_MAX_AGE: 0 },
  });
  assert.equal((value(m, 'DEFAULT') as Record<string, unknown>).CONN_MAX_AGE, 0);
  assert.deepEqual(
    get(m, 'DATABASES').updates?.map((s) => s.line),
    [4],
  );
  assert.equal((value(m, 'COPY') as Record<string, unknown>).CONN_MAX_AGE, 0, 'dict() copies the value it sees at that line');
});
