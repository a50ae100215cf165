import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import { isNotRead } from '../../src/formats/format.js';
import { claimPython, python } from '../../src/formats/python.js';
import { inspectJson } from '../../src/inspect/inspect-json.js';
import { inspectText } from '../../src/inspect/inspect-text.js';
import { tempRepo } from '../temp-repo.js';

async function run(files: Record<string, string>) {
  const dir = tempRepo(files, 'connlint-python-');
  const r = await lint({ cwd: dir, paths: [] });
  assert.deepEqual(
    r.result.findings.filter((f) => f.ruleId === 'internal-error'),
    [],
  );
  const findings = r.result.findings.map((f) => `${f.severity} ${f.ruleId} ${f.location.path}:${f.location.line} ${f.message}`);
  return { r, findings, pools: r.model.pools };
}

const MYSQL_CNF = { 'db/my.cnf': '[mysqld]\nwait_timeout = 600\n' };

test('claim: a .py file that names an engine call, DATABASES or Flask-SQLAlchemy keys; never an installed package', () => {
  assert.equal(python.matchesName('app/settings.py'), true);
  assert.equal(python.matchesName('app/settings.pyc'), false);
  const engine = claimPython('app/db.py', 'from sqlalchemy import create_engine\nengine = create_engine(URL)\n');
  assert.ok(!isNotRead(engine) && engine.owner === 'certain', JSON.stringify(engine));
  const vendored = claimPython('.venv/lib/python3.12/site-packages/django/conf/global_settings.py', 'DATABASES = {}\n');
  assert.ok(isNotRead(vendored) && /installed package/.test(vendored.notRead));
  const plain = claimPython('app/views.py', 'def index():\n    return "hi"\n');
  assert.ok(isNotRead(plain));
  // DATABASES in a file that imports neither Django nor SQLAlchemy: read, but a finding there is at most a note.
  const doubt = claimPython('tools/report.py', 'DATABASES = ["a", "b"]\n');
  assert.ok(!isNotRead(doubt) && doubt.owner === 'uncertain', JSON.stringify(doubt));
});

test('Django split settings: each leaf module is an environment; base.py is read through them; same values give one pool', async () => {
  const base = [
    'DATABASES = {',
    '    "default": {"ENGINE": "django.db.backends.mysql", "HOST": "db", "NAME": "shop", "CONN_MAX_AGE": 60},',
    '}',
    '',
  ].join('\n');
  const { pools, findings, r } = await run({
    ...MYSQL_CNF,
    'shop/__init__.py': '',
    'shop/settings/__init__.py': '',
    'shop/settings/base.py': base,
    'shop/settings/production.py': 'from .base import *\nfrom .limits import MAX_AGE\n\nDATABASES["default"]["CONN_MAX_AGE"] = MAX_AGE\n',
    // Holds no database setting: read only because production.py imports it.
    'shop/settings/limits.py': 'MAX_AGE = 60 * 30\n',
    'shop/settings/staging.py': 'from .base import *\n\nDEBUG = True\n',
    'shop/settings/dev.py': 'from .base import *\n\nDEBUG = True\n',
  });
  const django = pools.filter((p) => p.library === 'django');
  // staging and dev change nothing DATABASES holds: one pool for the two, named by the first.
  assert.deepEqual(
    django.map((p) => p.environment),
    ['shop.settings.dev', 'shop.settings.production'],
  );
  assert.match(django[0]?.environmentNote ?? '', /shop\.settings\.staging gives the same pool/);
  const prod = django[1];
  assert.deepEqual(prod?.settings.get('CONN_MAX_AGE')?.value, { kind: 'duration', ms: 1_800_000 });
  // CONN_MAX_AGE 1800 s over wait_timeout 600 s, at the line of production.py that sets it.
  assert.ok(
    findings.some((f) => f.startsWith('error pool-lifetime-exceeds-wait-timeout shop/settings/production.py:4 ')),
    findings.join('\n'),
  );
  assert.ok(!findings.some((f) => f.includes('pool-lifetime') && f.includes('base.py')), findings.join('\n'));
  const listed = r.model.files.find((f) => f.path === 'shop/settings/limits.py');
  assert.equal(listed?.kind, 'python');
  assert.match(listed?.reason ?? '', /imported by shop\/settings\/production\.py/);
  // inspect shows every Python pool with its environment.
  const doc = inspectJson({ model: r.model });
  assert.deepEqual(
    doc.pools.filter((p) => p.library === 'django').map((p) => p.environment),
    ['shop.settings.dev', 'shop.settings.production'],
  );
});

test('DATABASES set under tests connlint cannot decide: one pool per value, each named by its line', async () => {
  const { pools } = await run({
    'hc/__init__.py': '',
    'hc/settings.py': [
      'import os',
      'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "hc.sqlite"}}',
      'if os.getenv("DB") == "postgres":',
      '    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "pg", "CONN_MAX_AGE": 0}}',
      'if os.getenv("DB") == "mysql":',
      '    DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "HOST": "my", "CONN_MAX_AGE": 0}}',
      '',
    ].join('\n'),
  });
  const ids = pools.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, `pool ids are unique: ${ids.join(', ')}`);
  assert.deepEqual(pools.map((p) => [p.engine, p.environment]).sort(), [
    ['mysql', 'hc.settings, DATABASES of line 6'],
    ['postgresql', 'hc.settings, DATABASES of line 4'],
  ]);
});

test('a module constant named SQLALCHEMY_DATABASE_URI in a FastAPI app is not Flask config; its create_engine is the pool', async () => {
  const { pools } = await run({
    ...MYSQL_CNF,
    'app/database.py': [
      'from sqlalchemy import create_engine',
      '',
      'SQLALCHEMY_DATABASE_URI = "mysql+pymysql://app@db/app"',
      'engine = create_engine(SQLALCHEMY_DATABASE_URI, pool_recycle=300, pool_pre_ping=True)',
      '',
    ].join('\n'),
  });
  assert.deepEqual(
    pools.map((p) => [p.library, p.name]),
    [['sqlalchemy', 'create_engine() at app/database.py:4']],
  );
});

test('Flask: app.config writes are an environment; a config file loaded after them makes their values unknown', async () => {
  const app = (after: string) =>
    [
      'from flask import Flask',
      'from flask_sqlalchemy import SQLAlchemy',
      '',
      'app = Flask(__name__)',
      'app.config["SQLALCHEMY_DATABASE_URI"] = "mysql+pymysql://app@db/app"',
      'app.config.update(SQLALCHEMY_ENGINE_OPTIONS={"pool_recycle": 3600})',
      after,
      'db = SQLAlchemy(app)',
      '',
    ].join('\n');
  const written = await run({ ...MYSQL_CNF, 'app.py': app('') });
  assert.deepEqual(
    written.pools.map((p) => p.environment),
    ['app.config in app.py'],
  );
  assert.ok(
    written.findings.some((f) => /^(error|warning) pool-lifetime-exceeds-wait-timeout app\.py:6 /.test(f)),
    written.findings.join('\n'),
  );
  const replaced = await run({ ...MYSQL_CNF, 'app.py': app('app.config.from_pyfile("instance.cfg", silent=True)') });
  assert.deepEqual(
    replaced.findings.filter((f) => f.includes('pool-')),
    [],
  );
});

test('a pydantic BaseSettings class: each value is the default of the environment variable of its name', async () => {
  const { pools, findings } = await run({
    ...MYSQL_CNF,
    'app/__init__.py': 'from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n',
    'app/config.py': [
      'from pydantic_settings import BaseSettings',
      '',
      'class Settings(BaseSettings):',
      '    SQLALCHEMY_DATABASE_URI: str = "mysql+pymysql://app@db/app"',
      '    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_recycle": 3600, "pool_pre_ping": True}',
      '',
    ].join('\n'),
  });
  assert.equal(pools.length, 1);
  assert.match(pools[0]?.environmentNote ?? '', /pydantic BaseSettings/);
  const url = pools[0]?.settings.get('url');
  assert.match(url?.key ?? '', /from environment SQLALCHEMY_DATABASE_URI/);
  // The options dict is the default of a variable pydantic would parse: not known here, so no finding rests on it.
  assert.equal(pools[0]?.settings.get('pool_recycle')?.value.kind, 'unknown');
  assert.deepEqual(findings, []);
});

test('a URL from the environment may name SQLite: a missing pre-ping is a note that says why', async () => {
  const { findings, pools } = await run({
    'worker.py': 'import os\nfrom sqlalchemy import create_engine\n\nengine = create_engine(os.environ["DATABASE_URL"])\n',
  });
  assert.match(pools[0]?.serverUncertain ?? '', /SQLite/);
  assert.equal(findings.length, 1, findings.join('\n'));
  assert.match(
    findings[0] as string,
    /^note pool-missing-validation worker\.py:4 .*if the database is a server.* Set pool_pre_ping to True\./,
  );
});

test('create_engine of another library, and engines in site-packages, are not read', async () => {
  const { pools } = await run({
    'app/db.py': 'import databases\n\ndb = databases.create_engine("mysql://db/app")\n',
    'venv/lib/python3.12/site-packages/lib/db.py': 'from sqlalchemy import create_engine\ne = create_engine("mysql://db/x")\n',
  });
  assert.deepEqual(pools, []);
});

test('a syntax error is one error at its line; the other files are still checked', async () => {
  const { findings } = await run({
    ...MYSQL_CNF,
    'broken.py': 'from sqlalchemy import create_engine\nengine = create_engine("mysql://db/a",\n',
    'good.py': 'from sqlalchemy import create_engine\nengine = create_engine("mysql+pymysql://db/a", pool_recycle=3600)\n',
  });
  assert.ok(
    findings.some((f) => f.startsWith('error parse-error broken.py:')),
    findings.join('\n'),
  );
  assert.ok(
    findings.some((f) => f.startsWith('error pool-lifetime-exceeds-wait-timeout good.py:2 ')),
    findings.join('\n'),
  );
});

test('a finding in a file whose owner is uncertain is a note', async () => {
  const { findings } = await run({
    ...MYSQL_CNF,
    // Calls a create_engine it never imports: perhaps SQLAlchemy's, perhaps not.
    'tools/snippet.py': 'engine = create_engine("mysql+pymysql://db/app")\n',
  });
  assert.ok(findings.length > 0, 'the pool is still read');
  for (const f of findings) assert.match(f, /^note /);
});

test("a session wait_timeout set by init_command replaces the server's for that pool", async () => {
  const settings = (age: number) =>
    [
      'DATABASES = {',
      '    "default": {',
      '        "ENGINE": "django.db.backends.mysql",',
      '        "HOST": "db",',
      `        "CONN_MAX_AGE": ${age},`,
      '        "OPTIONS": {"init_command": "SET SESSION wait_timeout = 300"},',
      '    }',
      '}',
      '',
    ].join('\n');
  // The server's global wait_timeout is 8 h; the session one, 300 s, is what closes these connections.
  const over = await run({ 'app/settings.py': settings(600) });
  const finding = over.r.result.findings.find((f) => f.ruleId === 'pool-lifetime-exceeds-wait-timeout');
  assert.equal(finding?.location.line, 5, over.findings.join('\n'));
  assert.equal(finding?.severity, 'error');
  assert.match(finding?.message ?? '', /is 10 min but wait_timeout is 5 min \(the session value, app\/settings\.py:6\)/);
  assert.deepEqual(
    finding?.related?.map((r) => [r.span.path, r.span.line]),
    [['app/settings.py', 6]],
  );
  const under = await run({ 'app/settings.py': settings(240) });
  assert.deepEqual(
    under.findings.filter((f) => f.includes('pool-lifetime')),
    [],
  );
});

test('python-decouple reads the nearest .env upwards from the module; the finding points at the .env line', async () => {
  const settings = [
    'from decouple import config',
    '',
    'DATABASES = {',
    '    "default": {',
    '        "ENGINE": "django.db.backends.mysql",',
    '        "HOST": "db",',
    '        "CONN_MAX_AGE": config("CONN_MAX_AGE", default=60, cast=int),',
    '    }',
    '}',
    '',
  ].join('\n');
  const { r, pools } = await run({ ...MYSQL_CNF, 'shop/settings.py': settings, '.env': '# deployment\nCONN_MAX_AGE=3600\n' });
  assert.deepEqual(pools[0]?.settings.get('CONN_MAX_AGE')?.value, { kind: 'duration', ms: 3_600_000 });
  const f = r.result.findings.find((x) => x.ruleId === 'pool-lifetime-exceeds-wait-timeout');
  assert.deepEqual([f?.location.path, f?.location.line], ['.env', 2]);
  assert.match(f?.message ?? '', /from environment CONN_MAX_AGE = 3600 \(\.env:2\)/);
  assert.deepEqual(
    f?.related?.map((x) => [x.span.path, x.span.line, x.message]),
    [
      ['shop/settings.py', 7, 'CONN_MAX_AGE is read here'],
      ['db/my.cnf', 2, 'wait_timeout is 10 min'],
    ],
  );
  // A settings.ini nearer the module stops decouple's search: the .env above is not what it reads.
  const stopped = await run({
    ...MYSQL_CNF,
    'shop/settings.py': settings,
    'shop/settings.ini': '[settings]\n',
    '.env': 'CONN_MAX_AGE=3600\n',
  });
  assert.deepEqual(stopped.pools[0]?.settings.get('CONN_MAX_AGE')?.value, { kind: 'duration', ms: 60_000 });
  // os.getenv does not read .env files.
  const plain = await run({
    'shop/settings.py': settings
      .replace('config("CONN_MAX_AGE", default=60, cast=int)', 'int(os.getenv("CONN_MAX_AGE", "60"))')
      .replace('from decouple import config', 'import os'),
    '.env': 'CONN_MAX_AGE=3600\n',
  });
  assert.deepEqual(plain.pools[0]?.settings.get('CONN_MAX_AGE')?.value, { kind: 'duration', ms: 60_000 });
});

test('a Compose service passes the URL and a pool setting to the app built from its folder; the pool links to the db service', async () => {
  const { findings, pools } = await run({
    'docker-compose.yml': [
      'services:',
      '  app:',
      '    build: ./app',
      '    environment:',
      '      DATABASE_URL: mysql+pymysql://app:Secr3t-Pw@db/app',
      '      POOL_RECYCLE: "3600"',
      '  db:',
      '    image: mysql:8.0',
      '    command: --wait-timeout=300',
      '',
    ].join('\n'),
    'app/db.py': [
      'import os',
      'from sqlalchemy import create_engine',
      '',
      'engine = create_engine(os.environ["DATABASE_URL"], pool_recycle=int(os.getenv("POOL_RECYCLE", "280")))',
      '',
    ].join('\n'),
  });
  assert.equal(pools[0]?.engine, 'mysql');
  assert.equal(pools[0]?.host, 'db');
  assert.deepEqual(findings, [
    'warning pool-missing-validation app/db.py:4 SQLAlchemy lends pooled connections without checking them (pool_pre_ping is off) and idle connections can stay 1 h (pool_recycle (from environment POOL_RECYCLE = 3600 (docker-compose.yml:6))), while wait_timeout is 5 min (docker-compose.yml:9), so a connection closed while idle reaches the application. Set pool_pre_ping to True, or set the environment variable POOL_RECYCLE (docker-compose.yml:6) to 295 or lower.',
    'error pool-lifetime-exceeds-wait-timeout docker-compose.yml:6 pool_recycle (from environment POOL_RECYCLE = 3600 (docker-compose.yml:6)) is 1 h but wait_timeout is 5 min (docker-compose.yml:9), so the server closes idle pooled connections 55 min before the pool retires them. Set the environment variable POOL_RECYCLE (docker-compose.yml:6) to 295 or lower.',
  ]);
  for (const f of findings) assert.ok(!f.includes('Secr3t'), f);
});

test('management commands: a wait of unknown length is a note; a short one, none; a renewal anywhere in the module, none', async () => {
  const settings = { 'shop/settings.py': 'DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "HOST": "db"}}\n', ...MYSQL_CNF };
  const command = (loop: string, extra = '') =>
    [
      'import time',
      'from django.core.management.base import BaseCommand',
      'from django.db import connection',
      'from shop.models import Job',
      extra,
      'class Command(BaseCommand):',
      '    def handle(self, *args, **options):',
      loop,
      '',
    ].join('\n');
  const at = 'shop/jobs/management/commands/work.py';
  const unknown = await run({
    ...settings,
    [at]: command('        while True:\n            Job.objects.first()\n            time.sleep(options["every"])'),
  });
  const notes = unknown.findings.filter((f) => f.includes('long-running'));
  assert.equal(notes.length, 1, notes.join('\n'));
  assert.match(
    notes[0] as string,
    /^note long-running-process-holds-idle-connection shop\/jobs\/management\/commands\/work\.py:10 .*time\.sleep\(options\["every"\]\), a length not known here/,
  );
  const short = await run({
    ...settings,
    [at]: command('        while True:\n            Job.objects.first()\n            time.sleep(30)'),
  });
  assert.deepEqual(
    short.findings.filter((f) => f.includes('long-running')),
    [],
  );
  // connection.close() in a helper the loop calls: the command renews its connection.
  const renewed = await run({
    ...settings,
    [at]: command(
      '        while True:\n            self.round()\n            time.sleep(3600)\n    def round(self):\n        connection.close()\n        Job.objects.first()',
    ),
  });
  assert.deepEqual(
    renewed.findings.filter((f) => f.includes('long-running')),
    [],
  );
  assert.equal(renewed.r.model.holders[0]?.refresh?.what, 'connection.close()');
  // inspect shows the holder the rule read.
  const text = inspectText({ model: renewed.r.model }, { color: false, width: 200 });
  assert.match(
    text,
    /processes that hold connections\n {2}management command "work" \(loop at shop\/jobs\/management\/commands\/work\.py:8\): waits 1 h \(time\.sleep\(3600\), [^)]*\); renews its connection: connection\.close\(\) at/,
  );
  // No database use, or no wait in the loop: not a holder at all.
  const noDb = await run({ ...settings, [at]: command('        while True:\n            print("tick")\n            time.sleep(3600)') });
  assert.deepEqual(noDb.r.model.holders, []);
  const noWait = await run({ ...settings, [at]: command('        while Job.objects.exists():\n            Job.objects.first().delete()') });
  assert.deepEqual(noWait.r.model.holders, []);
});

test('a Django alias whose ENGINE comes from an environment URL may be SQLite: notes only; an extension that only sets defaults is no Flask configuration', async () => {
  const django = await run({
    'site/settings.py': 'import dj_database_url\n\nDATABASES = {"default": dj_database_url.config(conn_max_age=500)}\n',
  });
  assert.match(django.pools[0]?.serverUncertain ?? '', /SQLite/);
  for (const f of django.findings) assert.match(f, /^note /);
  const extension = await run({
    'src/flask_ext/extension.py': [
      'from flask_sqlalchemy import SQLAlchemy',
      '',
      'def init_app(app):',
      '    app.config.setdefault("SQLALCHEMY_DATABASE_URI", "mysql+pymysql://db/app")',
      '    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})',
      '',
    ].join('\n'),
  });
  assert.deepEqual(extension.pools, []);
});

test('an attribute of a settings object is named in the reason, not called "a bound" (full-stack-fastapi-template)', async () => {
  // Reduced from fastapi/full-stack-fastapi-template (MIT), backend/app/core/db.py: the URL comes from pydantic settings.
  const { findings } = await run({
    'backend/app/core/config.py':
      'from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    DATABASE_URL: str\n\nsettings = Settings()\n',
    'backend/app/core/db.py':
      'from sqlmodel import create_engine\n\nfrom app.core.config import settings\n\nengine = create_engine(str(settings.DATABASE_URL))\n',
  });
  const finding = findings.find((f) => f.includes('pool-missing-validation'));
  assert.ok(finding, findings.join('\n'));
  // The attribute by the class that declares it (the real repository shows app.core.config.Settings.DATABASE_URL).
  assert.match(finding, /url: str\((?:[\w]+\.)*Settings\.DATABASE_URL\)/);
  assert.doesNotMatch(finding, /a bound/);
});
