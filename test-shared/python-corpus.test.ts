import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { evaluateTree } from '../src/interpreters/python/evaluate.js';
import type { PyCall, PyDict, PyModule, PyValue } from '../src/interpreters/python/value.js';
import {
  connlintLiterals,
  MISSING_PYTHON,
  type OracleResult,
  oracleLiterals,
  pythonAst,
  withoutPositions,
} from '../test/oracles/python-ast.js';

/*
 * The Python files of the shared corpus (sqlalchemy/, django/): each parses without a crash and without a
 * false error (the cookiecutter template is reported as a template), every literal and its position equal
 * CPython's `ast` (python3 is the test's oracle only), and each repository, evaluated as a tree with its
 * files at their real paths, gives what the files say, as read by hand.
 */

const CORPUS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');

interface Source {
  kind: string;
  saved: string;
  repository: string;
  path: string;
}

function sources(): Source[] {
  const lines = readFileSync(join(CORPUS, 'SOURCES.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  return lines
    .map((l) => {
      const [kind = '', saved = '', repository = '', path = ''] = l.split('\t');
      return { kind, saved, repository, path };
    })
    .filter((s) => s.saved.endsWith('.py'));
}

function tree(repository: string): Map<string, PyModule> {
  const files = sources()
    .filter((s) => s.repository === repository)
    .map((s) => ({ path: s.path, text: readFileSync(join(CORPUS, s.saved), 'utf8') }));
  return evaluateTree(files).modules;
}

function module(repository: string, path: string): PyModule {
  const m = tree(repository).get(path);
  assert.ok(m, `${repository} ${path} not evaluated`);
  return m;
}

function entry(d: PyValue | undefined, key: string): PyValue | undefined {
  assert.equal(d?.kind, 'dict', `expected a dict holding ${key}`);
  return (d as PyDict).entries.find((e) => e.key.kind === 'str' && e.key.value === key)?.value;
}

function kwarg(c: PyCall | undefined, name: string): PyValue | undefined {
  return c?.kwargs.find((k) => k.name === name)?.value;
}

function plain(v: PyValue | undefined): unknown {
  if (!v) return undefined;
  if (v.kind === 'int' || v.kind === 'float' || v.kind === 'str' || v.kind === 'bool') return v.value;
  if (v.kind === 'none') return null;
  if (v.kind === 'ref') return `<${v.name}>`;
  if (v.kind === 'env') return { env: v.name, default: plain(v.default), cast: v.cast, via: v.via };
  return `<${v.kind}>`;
}

test('the Python corpus is present', () => {
  assert.ok(existsSync(join(CORPUS, 'sqlalchemy')), `corpus not found at ${CORPUS}`);
  assert.ok(sources().length >= 15);
});

test('every corpus file parses without a crash or a false error; literals and positions equal CPython ast', () => {
  const files = sources();
  const texts = files.map((s) => readFileSync(join(CORPUS, s.saved), 'utf8'));
  const oracle = pythonAst(texts);
  assert.ok(oracle, MISSING_PYTHON);
  files.forEach((s, i) => {
    const text = texts[i] as string;
    const o = oracle[i] as OracleResult;
    const ours = connlintLiterals(s.path, text);
    for (const p of ours.result.problems) assert.ok(!p.message.startsWith('connlint could not read'), `${s.saved}: ${p.message}`);
    if (!o.ok) {
      // Only the cookiecutter template is not Python; it is reported as a template, not as an error.
      assert.match(s.path, /\{\{cookiecutter/, `${s.saved}: CPython rejects it (${o.error})`);
      assert.deepEqual(
        ours.result.problems.map((p) => p.severity),
        ['note'],
      );
      assert.equal(ours.result.doc.isTemplate, true);
      return;
    }
    assert.deepEqual(
      ours.result.problems.filter((p) => p.severity === 'error'),
      [],
      s.saved,
    );
    assert.deepEqual(ours.literals, withoutPositions(oracleLiterals(text, o.literals), ours.namedEscapes), s.saved);
  });
});

test('joker666666666/database: create_engine with a literal MySQL URL and every pool keyword', () => {
  const [call] = module('joker666666666/database', 'sql_app/database.py').calls;
  assert.equal(call?.callee, 'sqlalchemy.create_engine');
  assert.equal(plain(call?.args[0]), 'mysql+pymysql://sunzijun:sunzijun@localhost/sql_app');
  assert.deepEqual(
    call?.kwargs.map((k) => [k.name, plain(k.value), k.span.line]),
    [
      ['pool_size', 20, 9],
      ['max_overflow', 30, 10],
      ['pool_timeout', 30, 11],
      ['pool_recycle', 3600, 12],
      ['pool_pre_ping', true, 13],
    ],
  );
});

test('asibhossen897/maktab-finances: **POOL_CONFIG from db_config.py reaches sqlmodel.create_engine, spans in db_config.py', () => {
  const [call] = module('asibhossen897/maktab-finances', 'database.py').calls;
  assert.equal(call?.callee, 'sqlmodel.create_engine');
  assert.equal(call?.unpacked, undefined);
  assert.deepEqual(plain(kwarg(call, 'poolclass')), '<sqlalchemy.pool.QueuePool>');
  const recycle = call?.kwargs.find((k) => k.name === 'pool_recycle');
  assert.deepEqual([plain(recycle?.value), recycle?.span.path, recycle?.span.line], [3600, 'db_config.py', 8]);
  assert.equal(plain(kwarg(call, 'pool_pre_ping')), true);
});

test('CodeMath and Kamekure: URLs built at run time are unknown, the dialect prefix is kept', () => {
  const [codemath] = module('CodeMath/carrier-plan-comparison-fastapi', 'backend/db/session.py').calls;
  const url = codemath?.args[0];
  assert.equal(url?.kind === 'unknown' && url.prefix, 'mysql+pymysql://');
  assert.equal(codemath?.kwargs.length, 0);
  const [kamekure] = module('Kamekure-Maisuke/fastapi-container', 'app/database.py').calls;
  assert.deepEqual(
    [kamekure?.callee, plain(kamekure?.args[0]), plain(kwarg(kamekure, 'echo'))],
    ['sqlalchemy.create_engine', '<core.config.MYSQL_URI>', true],
  );
});

test('tmomy/ChargeileServer: a create_engine inside a function is found; values from an imported dict are unknown', () => {
  const [call] = module('tmomy/ChargeileServer', 'app/db/MysqlService/Pools.py').calls;
  assert.equal(call?.callee, 'sqlalchemy.create_engine');
  assert.equal(plain(kwarg(call, 'poolclass')), '<sqlalchemy.pool.QueuePool>');
  assert.equal(kwarg(call, 'pool_recycle')?.kind, 'unknown');
});

test('Flask settings modules and app.config: innerly-journal, smart-coffee, qairon', () => {
  const innerly = module('ethanbond64/innerly-journal', 'backend/api/settings.py').bindings.get('SQLALCHEMY_ENGINE_OPTIONS');
  assert.deepEqual(
    [plain(entry(innerly?.value, 'pool_recycle')), plain(entry(innerly?.value, 'pool_pre_ping')), innerly?.span.line],
    [3600, true, 19],
  );
  const coffee = module('smart-coffee/web-api', 'src/config/production.py').bindings.get('SQLALCHEMY_ENGINE_OPTIONS');
  assert.deepEqual([plain(entry(coffee?.value, 'pool_recycle')), plain(entry(coffee?.value, 'pool_pre_ping'))], [500, true]);
  const qairon = tree('gnydick/qairon');
  const writes = qairon.get('base.py')?.configWrites ?? [];
  const options = writes.find((w) => w.key === 'SQLALCHEMY_ENGINE_OPTIONS');
  assert.deepEqual([options?.kind, options?.targetCallee, plain(entry(options?.value, 'pool_recycle'))], ['item', 'flask.Flask', 4]);
  assert.deepEqual(plain(writes.find((w) => w.key === 'SQLALCHEMY_DATABASE_URI')?.value), {
    env: 'SQLALCHEMY_DATABASE_URI',
    default: null,
    cast: undefined,
    via: 'os.getenv',
  });
  assert.deepEqual(
    qairon.get('db.py')?.calls.map((c) => c.callee),
    ['flask_sqlalchemy.SQLAlchemy'],
  );
});

test('Django: literal DATABASES (banjin 5 * 60, netbox, xxo93) and the star import of a base not in the tree', () => {
  const banjin = module('banjin/django_example', 'django_example/settings/product.py');
  const age = entry(entry(banjin.bindings.get('DATABASES')?.value, 'default'), 'CONN_MAX_AGE');
  assert.deepEqual([plain(age), age?.span.line], [300, 16]);
  assert.deepEqual(
    banjin.opaqueStarImports.map((i) => i.module),
    ['.base'],
  );
  const netbox = module('netbox-community/netbox', 'netbox/netbox/configuration_example.py').bindings.get('DATABASES');
  assert.equal(plain(entry(entry(netbox?.value, 'default'), 'CONN_MAX_AGE')), 300);
  const xxo = module('xxo93/dj_blog', 'blog_dj/settings/setting_config_ref/dev.py').bindings.get('DATABASES');
  assert.equal(plain(entry(entry(xxo?.value, 'default'), 'CONN_MAX_AGE')), 60);
});

test('Django: python-decouple and dj-database-url (saas-fundation), dj_database_url.parse (chattyapp)', () => {
  const m = module('GolamRabbani20/saas-fundation', 'src/home/db.py');
  assert.deepEqual(plain(m.bindings.get('CONN_MAX_AGE')?.value), {
    env: 'CONN_MAX_AGE',
    default: 300,
    cast: 'int',
    via: 'decouple.config',
  });
  const databases = m.bindings.get('DATABASES');
  // Set under `if DATABASE_URL is not None:`, which depends on the environment.
  assert.deepEqual(
    databases?.conditions?.map((c) => c.line),
    [6],
  );
  const call = entry(databases?.value, 'default') as PyCall;
  assert.equal(call.callee, 'dj_database_url.config');
  assert.deepEqual(
    [plain(kwarg(call, 'conn_max_age')), plain(kwarg(call, 'conn_health_checks'))],
    [{ env: 'CONN_MAX_AGE', default: 300, cast: 'int', via: 'decouple.config' }, true],
  );
  assert.deepEqual(
    m.calls.map((c) => c.callee),
    ['dj_database_url.config'],
  );
  const [parse] = module('ethernalarts/chattyapp', 'chattyapp/settings/dev.py').calls;
  assert.deepEqual(
    [parse?.callee, plain(kwarg(parse, 'conn_max_age')), plain(kwarg(parse, 'conn_health_checks'))],
    ['dj_database_url.parse', 600, true],
  );
  assert.deepEqual(plain(parse?.args[0]), { env: 'DATABASE_URL', default: undefined, cast: undefined, via: 'env' });
});

test('Django: healthchecks picks the engine from the environment; every branch is an alternative', () => {
  const databases = module('healthchecks/healthchecks', 'hc/settings.py').bindings.get('DATABASES');
  const engines = [databases, ...(databases?.alternatives ?? [])].map((b) => plain(entry(entry(b?.value, 'default'), 'ENGINE')));
  assert.deepEqual(engines.sort(), ['django.db.backends.mysql', 'django.db.backends.postgresql', 'django.db.backends.sqlite3']);
  const postgres = databases?.alternatives?.find(
    (b) => plain(entry(entry(b.value, 'default'), 'ENGINE')) === 'django.db.backends.postgresql',
  );
  const age = entry(entry(postgres?.value, 'default'), 'CONN_MAX_AGE');
  assert.deepEqual([age?.kind, age?.kind === 'call' && age.callee], ['call', 'settings.envint']);
});

test('Django: the cookiecutter template is read where it parses (CONN_MAX_AGE from env.int, default 60)', () => {
  const m = module('cookiecutter/cookiecutter-django', '{{cookiecutter.project_slug}}/config/settings/production.py');
  assert.equal(m.isTemplate, true);
  const age = entry(entry(m.bindings.get('DATABASES')?.value, 'default'), 'CONN_MAX_AGE');
  assert.deepEqual([plain(age), age?.span.line], [{ env: 'CONN_MAX_AGE', default: 60, cast: 'int', via: 'env.int' }, 34]);
});
