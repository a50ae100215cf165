import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import { literalValueSpan } from '../../src/model/entry.js';
import type { Setting } from '../../src/model/setting.js';
import { lineSpan, type Span, spanText } from '../../src/model/span.js';
import { tempRepo } from '../temp-repo.js';

/**
 * Setting.valueSpan is exactly the value as written (quotes included) when it is a plain literal at that place,
 * and absent otherwise. Each case lints a small repository and checks the span's columns on the real text.
 */

const WAIT = { 'my.cnf': '[mysqld]\nwait_timeout = 600\n' };

type Model = Awaited<ReturnType<typeof lint>>['model'];

async function modelOf(files: Record<string, string>): Promise<Model> {
  return (await lint({ cwd: tempRepo(files), paths: [] })).model;
}

function poolSetting(model: Model, key: string): Setting {
  const found = model.pools.map((p) => p.settings.get(key)).find((s) => s !== undefined);
  assert.ok(found, `no pool has ${key}`);
  return found;
}

function serverSetting(model: Model, key: string): Setting {
  const found = model.servers.map((s) => s.settings.get(key)).find((s) => s !== undefined);
  assert.ok(found, `no server has ${key}`);
  return found;
}

function hostSetting(model: Model, key: string): Setting {
  const found = model.hosts.map((h) => h.settings.get(key)).find((s) => s?.origin.kind === 'file');
  assert.ok(found, `no host has ${key} written`);
  return found;
}

/** The span, and that it holds exactly `text` in the file. */
function assertSpan(files: Record<string, string>, setting: Setting, expected: Span, text: string): void {
  assert.deepEqual(setting.valueSpan, expected);
  assert.equal(spanText(files[expected.path] as string, expected), text);
}

test('my.cnf: the value after =, without blanks; a quoted value with its quotes, before an inline comment', async () => {
  const plain = { 'my.cnf': '[mysqld]\nwait_timeout   =   600\n' };
  assertSpan(plain, serverSetting(await modelOf(plain), 'wait_timeout'), lineSpan('my.cnf', 2, 20, 3), '600');
  const quoted = { 'my.cnf': '[mysqld]\nwait_timeout = "600" # ten minutes\n' };
  assertSpan(quoted, serverSetting(await modelOf(quoted), 'wait_timeout'), lineSpan('my.cnf', 2, 16, 5), '"600"');
  // An escape the server reads differently from the text written: no span.
  const escaped = { 'my.cnf': '[mysqld]\nwait_timeout = 600\\s\n' };
  assert.equal(serverSetting(await modelOf(escaped), 'wait_timeout').valueSpan, undefined);
});

test('.properties (HikariCP, c3p0): the value after the separator; a continued or escaped value has none', async () => {
  const hikari = { ...WAIT, 'hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\nmaxLifetime = 1800000\n' };
  assertSpan(hikari, poolSetting(await modelOf(hikari), 'maxLifetime'), lineSpan('hikari.properties', 2, 15, 7), '1800000');
  const continued = { ...WAIT, 'hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\nmaxLifetime=18\\\n    00000\n' };
  const c = poolSetting(await modelOf(continued), 'maxLifetime');
  assert.deepEqual(c.value, { kind: 'duration', ms: 1800000 });
  assert.equal(c.valueSpan, undefined);
  const escaped = { ...WAIT, 'hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\nmaxLifetime=18\\u00300000\n' };
  const e = poolSetting(await modelOf(escaped), 'maxLifetime');
  assert.deepEqual(e.value, { kind: 'duration', ms: 1800000 });
  assert.equal(e.valueSpan, undefined);
  const c3p0 = { ...WAIT, 'c3p0.properties': 'c3p0.jdbcUrl=jdbc:mysql://db:3306/app\nc3p0.maxIdleTime:900\n' };
  assertSpan(c3p0, poolSetting(await modelOf(c3p0), 'maxIdleTime'), lineSpan('c3p0.properties', 2, 18, 3), '900');
});

test('Spring Boot: a literal in .properties or YAML (quoted with its quotes); a placeholder or an alias has none', async () => {
  const props = {
    ...WAIT,
    'src/main/resources/application.properties':
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Spring placeholder in the file's text, not a template literal
      'spring.datasource.url=jdbc:mysql://db:3306/app\nspring.datasource.hikari.max-lifetime=${MAX_LIFETIME:1800000}\nspring.datasource.hikari.keepalive-time=60000\n',
  };
  const pm = await modelOf(props);
  assert.equal(poolSetting(pm, 'maxLifetime').valueSpan, undefined);
  assertSpan(props, poolSetting(pm, 'keepaliveTime'), lineSpan('src/main/resources/application.properties', 3, 41, 5), '60000');

  const yaml = {
    ...WAIT,
    'src/main/resources/application.yml':
      'spring:\n  datasource:\n    url: jdbc:mysql://db:3306/app\n    hikari:\n      max-lifetime: "1800000"\n      keepalive-time: 60000\n',
  };
  const ym = await modelOf(yaml);
  assertSpan(yaml, poolSetting(ym, 'maxLifetime'), lineSpan('src/main/resources/application.yml', 5, 21, 9), '"1800000"');
  assertSpan(yaml, poolSetting(ym, 'keepaliveTime'), lineSpan('src/main/resources/application.yml', 6, 23, 5), '60000');

  const aliased = {
    ...WAIT,
    'src/main/resources/application.yml':
      'limits:\n  lifetime: &life 1800000\nspring:\n  datasource:\n    url: jdbc:mysql://db:3306/app\n    hikari:\n      max-lifetime: *life\n',
  };
  const am = await modelOf(aliased);
  assert.deepEqual(poolSetting(am, 'maxLifetime').value, { kind: 'duration', ms: 1800000 });
  assert.equal(poolSetting(am, 'maxLifetime').valueSpan, undefined);
});

test('sysctl files and Compose sysctls: the value after =', async () => {
  const files = { 'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 7200\n' };
  assertSpan(files, hostSetting(await modelOf(files), 'net.ipv4.tcp_keepalive_time'), lineSpan('etc/sysctl.conf', 1, 31, 4), '7200');
  const compose = {
    'docker-compose.yml': 'services:\n  app:\n    build: ./app\n    sysctls:\n      - net.ipv4.tcp_keepalive_time=7200\n',
    'app/Dockerfile': 'FROM eclipse-temurin:21\n',
  };
  const cm = await modelOf(compose);
  assertSpan(compose, hostSetting(cm, 'net.ipv4.tcp_keepalive_time'), lineSpan('docker-compose.yml', 5, 37, 4), '7200');
  const mapping = {
    'docker-compose.yml': 'services:\n  app:\n    build: ./app\n    sysctls:\n      net.ipv4.tcp_keepalive_time: 7200\n',
    'app/Dockerfile': 'FROM eclipse-temurin:21\n',
  };
  const mm = await modelOf(mapping);
  assertSpan(mapping, hostSetting(mm, 'net.ipv4.tcp_keepalive_time'), lineSpan('docker-compose.yml', 5, 36, 4), '7200');
});

test('Python: a literal keyword argument or dict value (True, None, numbers); an expression or environment lookup has none', async () => {
  const files = {
    ...WAIT,
    'app/db.py':
      'import os\nfrom sqlalchemy import create_engine\n\nengine = create_engine("mysql+pymysql://app@db/app", pool_recycle=3600, pool_pre_ping=False)\n' +
      'other = create_engine("mysql+pymysql://app@db/other", pool_recycle=60 * 60)\n' +
      'third = create_engine("mysql+pymysql://app@db/third", pool_recycle=int(os.environ.get("RECYCLE", "3600")))\n',
  };
  const m = await modelOf(files);
  const byUrl = (db: string) => {
    const pool = m.pools.find((p) => p.settings.get('url')?.text?.endsWith(`/${db}`));
    assert.ok(pool, `no pool for ${db}`);
    return pool;
  };
  const app = byUrl('app');
  assertSpan(files, app.settings.get('pool_recycle') as Setting, lineSpan('app/db.py', 4, 67, 4), '3600');
  assertSpan(files, app.settings.get('pool_pre_ping') as Setting, lineSpan('app/db.py', 4, 87, 5), 'False');
  assert.deepEqual(byUrl('other').settings.get('pool_recycle')?.value, { kind: 'duration', ms: 3_600_000 });
  assert.equal(byUrl('other').settings.get('pool_recycle')?.valueSpan, undefined);
  assert.equal(byUrl('third').settings.get('pool_recycle')?.valueSpan, undefined);

  const django = {
    ...WAIT,
    'shop/settings.py':
      'import dj_database_url\n\nDATABASES = {"default": dj_database_url.config(default="mysql://shop@db:3306/shop", conn_max_age=None)}\n',
  };
  assertSpan(django, poolSetting(await modelOf(django), 'CONN_MAX_AGE'), lineSpan('shop/settings.py', 3, 98, 4), 'None');
});

test('JavaScript: a literal property value (quotes kept); a computed value or a constant defined elsewhere has none', async () => {
  const files = {
    ...WAIT,
    'package.json': '{"dependencies":{"mysql2":"3.9.0"}}\n',
    'db.js':
      "const mysql = require('mysql2');\nconst IDLE = 900000;\n" +
      "exports.a = mysql.createPool({ host: 'db', database: 'a', maxIdle: 0, idleTimeout: '900000' });\n" +
      "exports.b = mysql.createPool({ host: 'db', database: 'b', maxIdle: 0, idleTimeout: 15 * 60 * 1000 });\n" +
      "exports.c = mysql.createPool({ host: 'db', database: 'c', maxIdle: 0, idleTimeout: IDLE });\n",
  };
  const m = await modelOf(files);
  const idle = m.pools
    .map((p) => p.settings.get('idleTimeout'))
    .filter((s): s is Setting => s?.origin.kind === 'file')
    .sort((x, y) => (x.origin.kind === 'file' && y.origin.kind === 'file' ? x.origin.span.line - y.origin.span.line : 0));
  assert.equal(idle.length, 3);
  assertSpan(files, idle[0] as Setting, lineSpan('db.js', 3, 84, 8), "'900000'");
  assert.deepEqual(idle[1]?.value, { kind: 'duration', ms: 900_000 });
  assert.equal(idle[1]?.valueSpan, undefined);
  assert.deepEqual(idle[2]?.value, { kind: 'duration', ms: 900_000 });
  assert.equal(idle[2]?.valueSpan, undefined);
});

test('literalValueSpan: one line, read as written or between one pair of quotes, not through an alias, not replaced', () => {
  const at = (column: number, length: number) => lineSpan('f', 1, column, length);
  const entry = { key: 'k', keySpan: at(1, 1), span: at(1, 10) };
  assert.deepEqual(literalValueSpan({ ...entry, raw: '600', text: '600', valueSpan: at(3, 3) }), at(3, 3));
  assert.deepEqual(literalValueSpan({ ...entry, raw: "'600'", text: '600', valueSpan: at(3, 5) }), at(3, 5));
  // Quotes that do not match, an escape, a span that is not the raw text, text the program does not read.
  assert.equal(literalValueSpan({ ...entry, raw: '"600\'', text: '600', valueSpan: at(3, 5) }), undefined);
  assert.equal(literalValueSpan({ ...entry, raw: '6\\00', text: '6\u000000', valueSpan: at(3, 4) }), undefined);
  assert.equal(literalValueSpan({ ...entry, raw: '600', text: '600', valueSpan: at(3, 9) }), undefined);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Spring placeholder in the file's text, not a template literal
  assert.equal(literalValueSpan({ ...entry, raw: '${X:600}', text: '${X:600}', valueSpan: at(3, 8) }, '600'), undefined);
  assert.equal(literalValueSpan({ ...entry, raw: '600', text: '600', valueSpan: at(3, 3), referenced: true }), undefined);
  assert.equal(
    literalValueSpan({ ...entry, raw: '600', text: '600', valueSpan: { path: 'f', line: 1, column: 3, endLine: 2, endColumn: 6 } }),
    undefined,
  );
  assert.equal(literalValueSpan({ ...entry, raw: null, text: null, valueSpan: at(1, 1) }), undefined);
});
