import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import type { Pool } from '../../src/model/model.js';
import { tempRepo } from '../temp-repo.js';

// Pool.maxSize (the most connections a pool opens at once) and Pool.packetLimit as the Python and JavaScript
// interpreters fill them, read end to end from a small repository.

async function pools(files: Record<string, string>): Promise<Pool[]> {
  const dir = tempRepo(files, 'connlint-pool-size-');
  const r = await lint({ cwd: dir, paths: [] });
  assert.deepEqual(
    r.result.findings.filter((f) => f.ruleId === 'internal-error'),
    [],
  );
  return r.model.pools;
}

async function only(files: Record<string, string>): Promise<Pool> {
  const got = await pools(files);
  assert.equal(got.length, 1, `one pool: ${got.map((p) => p.id).join(', ')}`);
  return got[0] as Pool;
}

/** The rule counts an undefined bound as "no limit" only when the first setting is known; else it is not counted. */
function firstKnown(pool: Pool): boolean {
  return pool.maxSize?.settings[0]?.value.kind !== 'unknown';
}

/** value, the keys of the settings that decide it, and whether each is written (`file`) or a default. */
function size(pool: Pool): { value: number | undefined; settings: string[]; note: string } {
  const m = pool.maxSize;
  assert.ok(m, `${pool.id} has a maxSize`);
  return { value: m.value, settings: m.settings.map((s) => `${s.key} ${s.origin.kind}`), note: m.note ?? '' };
}

const PY = (body: string) => `from sqlalchemy import create_engine\nimport os\n\nengine = create_engine(${body})\n`;

test('SQLAlchemy: pool_size + max_overflow as written, their defaults 5 + 10, -1 and 0 mean no limit', async () => {
  const written = size(await only({ 'app/db.py': PY('"mysql+pymysql://app@db/app", pool_size=50, max_overflow=50') }));
  assert.deepEqual(written, { value: 100, settings: ['pool_size file', 'max_overflow file'], note: 'pool_size 50 + max_overflow 50' });

  const defaults = size(await only({ 'app/db.py': PY('"mysql+pymysql://app@db/app"') }));
  assert.equal(defaults.value, 15);
  assert.deepEqual(defaults.settings, ['pool_size library-default', 'max_overflow library-default']);
  assert.match(defaults.note, /pool_size 5 \(the SQLAlchemy default\) \+ max_overflow 10 \(the SQLAlchemy default\)/);

  const unbounded = size(await only({ 'app/db.py': PY('"mysql+pymysql://app@db/app", pool_size=20, max_overflow=-1') }));
  assert.equal(unbounded.value, undefined);
  // The setting that makes it unbounded comes first: it is the one to change.
  assert.deepEqual(unbounded.settings, ['max_overflow file', 'pool_size file']);
  assert.match(unbounded.note, /max_overflow is -1, which means no limit/);

  const zeroPool = await only({ 'app/db.py': PY('"mysql+pymysql://app@db/app", pool_size=0') });
  assert.equal(firstKnown(zeroPool), true);
  const zero = size(zeroPool);
  assert.equal(zero.value, undefined);
  assert.match(zero.note, /pool_size is 0, which means no limit/);
});

test('SQLAlchemy: a size from the environment or an unexpanded ** is unknown with the reason; NullPool does not count, StaticPool is one', async () => {
  const envPool = await only({ 'app/db.py': PY('"mysql+pymysql://app@db/app", pool_size=int(os.environ["POOL_SIZE"])') });
  const env = size(envPool);
  assert.equal(env.value, undefined);
  assert.equal(firstKnown(envPool), false);
  assert.match(env.note, /^pool_size.* is not known here: /);

  // NullPool engines do not count (sqlalchemy.md): no bound, and no accusation of "no limit" either.
  const nullPool = await only({
    'app/db.py':
      'from sqlalchemy import create_engine\nfrom sqlalchemy.pool import NullPool\n\nengine = create_engine("mysql+pymysql://app@db/app", poolclass=NullPool)\n',
  });
  assert.equal(nullPool.maxSize, undefined);

  // Keywords from a ** the evaluator cannot expand: the defaults may not apply, so the bound is unknown (first setting unknown).
  const open = size(
    await only({
      'app/db.py':
        'from sqlalchemy import create_engine\nfrom config import POOL_CONFIG\n\nengine = create_engine("mysql+pymysql://app@db/app", pool_size=10, **POOL_CONFIG)\n',
    }),
  );
  assert.equal(open.value, undefined);
  assert.deepEqual(open.settings, ['max_overflow library-default', 'pool_size file']);
  assert.match(open.note, /max_overflow may be set by \*\*/);

  const staticPool = size(
    await only({
      'app/db.py':
        'from sqlalchemy import create_engine\nfrom sqlalchemy.pool import StaticPool\n\nengine = create_engine("mysql+pymysql://app@db/app", poolclass=StaticPool)\n',
    }),
  );
  assert.equal(staticPool.value, 1);
});

test('Flask-SQLAlchemy: SQLALCHEMY_ENGINE_OPTIONS sizes; with the version unknown a key only 2.x reads is unknown', async () => {
  const opts = size(
    await only({
      'app/config.py':
        'class Config:\n    SQLALCHEMY_DATABASE_URI = "postgresql://app@db/app"\n    SQLALCHEMY_ENGINE_OPTIONS = {"pool_size": 20, "max_overflow": 5}\n',
      'app/__init__.py':
        'from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\napp.config.from_object("app.config.Config")\ndb = SQLAlchemy(app)\n',
    }),
  );
  assert.equal(opts.value, 25);

  const legacy = size(
    await only({
      'app/config.py': 'class Config:\n    SQLALCHEMY_DATABASE_URI = "postgresql://app@db/app"\n    SQLALCHEMY_POOL_SIZE = 40\n',
      'app/__init__.py':
        'from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\napp.config.from_object("app.config.Config")\ndb = SQLAlchemy(app)\n',
    }),
  );
  assert.equal(legacy.value, undefined);
  assert.match(legacy.note, /Flask-SQLAlchemy version is not known/);
});

test('PyMySQL max_allowed_packet in connect_args is the pool packet limit; a URL query value (a string) is not', async () => {
  const pool = await only({ 'app/db.py': PY('"mysql+pymysql://app@db/app", connect_args={"max_allowed_packet": 67108864}') });
  const p = pool.packetLimit;
  assert.ok(p);
  assert.equal(p.driver, 'PyMySQL');
  assert.equal(p.capsToServer, false);
  assert.deepEqual(p.setting.value, { kind: 'size', bytes: 67108864 });
  assert.equal(p.setting.key, 'connect_args["max_allowed_packet"]');
  assert.equal(p.setting.origin.kind, 'file');

  const url = await only({ 'app/db.py': PY('"mysql+pymysql://app@db/app?max_allowed_packet=67108864"') });
  assert.equal(url.packetLimit, undefined);
  // mysqlclient is not PyMySQL: its packet option is not in the knowledge base.
  const other = await only({ 'app/db.py': PY('"mysql+mysqldb://app@db/app", connect_args={"max_allowed_packet": 67108864}') });
  assert.equal(other.packetLimit, undefined);
});

const DJANGO = (db: string) =>
  `DATABASES = {\n    "default": ${db},\n}\nINSTALLED_APPS = ["django.contrib.contenttypes"]\nROOT_URLCONF = "app.urls"\n`;

test('Django: persistent connections have no pool size; dj_db_conn_pool POOL_SIZE + MAX_OVERFLOW; OPTIONS["pool"] max_size, else min_size', async () => {
  const plain = await only({
    'app/settings.py': DJANGO('{"ENGINE": "django.db.backends.mysql", "NAME": "app", "HOST": "db", "CONN_MAX_AGE": 60}'),
  });
  assert.equal(plain.maxSize, undefined);

  const connPool = size(
    await only({
      'app/settings.py': DJANGO(
        '{"ENGINE": "dj_db_conn_pool.backends.mysql", "NAME": "app", "HOST": "db", "POOL_OPTIONS": {"POOL_SIZE": 30, "MAX_OVERFLOW": 20}}',
      ),
    }),
  );
  assert.equal(connPool.value, 50);
  assert.equal(connPool.settings.length, 2);
  const connDefaults = size(
    await only({ 'app/settings.py': DJANGO('{"ENGINE": "dj_db_conn_pool.backends.mysql", "NAME": "app", "HOST": "db"}') }),
  );
  assert.equal(connDefaults.value, 20);

  const psycopg = size(
    await only({
      'app/settings.py': DJANGO(
        '{"ENGINE": "django.db.backends.postgresql", "NAME": "app", "HOST": "db", "OPTIONS": {"pool": {"min_size": 2, "max_size": 8}}}',
      ),
    }),
  );
  assert.equal(psycopg.value, 8);
  const fixed = size(
    await only({
      'app/settings.py': DJANGO(
        '{"ENGINE": "django.db.backends.postgresql", "NAME": "app", "HOST": "db", "OPTIONS": {"pool": {"min_size": 6}}}',
      ),
    }),
  );
  assert.equal(fixed.value, 6);
  assert.match(fixed.note, /max_size"\] is not set, so psycopg_pool stays at min_size/);
});

const KNEX = (pool: string) =>
  `module.exports = {\n  production: {\n    client: 'mysql2',\n    connection: { host: 'db', user: 'app', database: 'app' },\n${pool}  },\n};\n`;

test('knex: pool.max as written, its default 10, unknown from the environment', async () => {
  const written = size(await only({ 'knexfile.js': KNEX('    pool: { min: 0, max: 30 },\n') }));
  assert.deepEqual(written, { value: 30, settings: ['pool.max file'], note: 'pool.max 30' });
  const def = size(await only({ 'knexfile.js': KNEX('') }));
  assert.equal(def.value, 10);
  assert.match(def.note, /the .* default/);
  const env = size(await only({ 'knexfile.js': KNEX('    pool: { min: 0, max: Number(process.env.POOL_MAX) },\n') }));
  assert.equal(env.value, undefined);
});

test('Sequelize: pool.max (default 5); replication builds a read and a write pool', async () => {
  const SEQ = (opts: string) =>
    `const { Sequelize } = require('sequelize');\nconst sequelize = new Sequelize('app', 'app', 'pw', { host: 'db', dialect: 'mysql'${opts} });\nmodule.exports = sequelize;\n`;
  assert.equal(size(await only({ 'src/db.js': SEQ(', pool: { max: 12 }') })).value, 12);
  assert.equal(size(await only({ 'src/db.js': SEQ('') })).value, 5);
  const rep = size(await only({ 'src/db.js': SEQ(", pool: { max: 7 }, replication: { read: [{ host: 'r1' }], write: { host: 'db' } }") }));
  assert.equal(rep.value, 14);
  assert.match(rep.note, /× 2 pools/);
});

test('mysql2 / mariadb createPool: connectionLimit (default 10; 0 is no limit for mysql2)', async () => {
  const M = (driver: string, opts: string) =>
    `const mysql = require('${driver}');\nconst pool = mysql.createPool({ host: 'db', user: 'app', database: 'app'${opts} });\nmodule.exports = pool;\n`;
  assert.equal(size(await only({ 'src/db.js': M('mysql2', ', connectionLimit: 25') })).value, 25);
  const def = size(await only({ 'src/db.js': M('mysql2', '') }));
  assert.equal(def.value, 10);
  assert.deepEqual(def.settings, ['connectionLimit library-default']);
  const zero = size(await only({ 'src/db.js': M('mysql2', ', connectionLimit: 0') }));
  assert.equal(zero.value, undefined);
  assert.match(zero.note, /no limit/);
  assert.equal(size(await only({ 'src/db.js': M('mariadb', ', connectionLimit: 4') })).value, 4);
  // mariadb's 0 is not described by the knowledge base: unknown, never "no limit".
  const mariadbZero = await only({ 'src/db.js': M('mariadb', ', connectionLimit: 0') });
  assert.equal(mariadbZero.maxSize?.value, undefined);
  assert.equal(firstKnown(mariadbZero), false);
});

test('TypeORM: extra.connectionLimit wins over poolSize; replication multiplies by master + slaves', async () => {
  const T = (opts: string) =>
    `import { DataSource } from 'typeorm';\nexport const AppDataSource = new DataSource({ type: 'mysql', host: 'db', database: 'app'${opts} });\n`;
  const manifest = JSON.stringify({ dependencies: { typeorm: '0.3.20', mysql2: '3.9.0' } });
  const extra = size(await only({ 'package.json': manifest, 'src/data-source.ts': T(', poolSize: 7, extra: { connectionLimit: 3 }') }));
  assert.equal(extra.value, 3);
  assert.equal(size(await only({ 'package.json': manifest, 'src/data-source.ts': T(', poolSize: 7') })).value, 7);
  assert.equal(size(await only({ 'package.json': manifest, 'src/data-source.ts': T('') })).value, 10);
  const rep = size(
    await only({
      'package.json': manifest,
      'src/data-source.ts': T(", poolSize: 5, replication: { master: { host: 'db' }, slaves: [{ host: 'r1' }, { host: 'r2' }] }"),
    }),
  );
  assert.equal(rep.value, 15);
});

test('Prisma: connection_limit as written; unset, the num_cpus * 2 + 1 default is not known statically; adapter-pg max 10', async () => {
  const SCHEMA = 'datasource db {\n  provider = "mysql"\n  url      = env("DATABASE_URL")\n}\n';
  const written = size(
    await only({ 'prisma/schema.prisma': SCHEMA, '.env': 'DATABASE_URL="mysql://app:pw@db:3306/app?connection_limit=40"\n' }),
  );
  assert.equal(written.value, 40);
  assert.equal(written.settings.length, 1);
  const unset = size(await only({ 'prisma/schema.prisma': SCHEMA, '.env': 'DATABASE_URL="mysql://app:pw@db:3306/app"\n' }));
  assert.equal(unset.value, undefined);
  assert.match(unset.note, /num_cpus × 2 \+ 1/);
  const zero = await only({ 'prisma/schema.prisma': SCHEMA, '.env': 'DATABASE_URL="mysql://app:pw@db:3306/app?connection_limit=0"\n' });
  assert.equal(zero.maxSize?.value, undefined);
  assert.equal(firstKnown(zero), false);
  assert.match(zero.maxSize?.note ?? '', /unverified/);

  const manifest = JSON.stringify({ dependencies: { '@prisma/adapter-pg': '^7.6.0', '@prisma/client': '^7.6.0' } });
  const adapter = size(
    await only({
      'package.json': manifest,
      'prisma/schema.prisma': 'generator client {\n  provider = "prisma-client"\n}\n\ndatasource db {\n  provider = "postgresql"\n}\n',
      'prisma.config.ts':
        'import { defineConfig, env } from "prisma/config";\nexport default defineConfig({ datasource: { url: env("DATABASE_URL") } });\n',
    }),
  );
  assert.equal(adapter.value, 10);
});
