import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tempRepo } from '../temp-repo.js';
import { has, loaded } from '../load-trace.js';

/**
 * Heavy modules load only when a file needs them (issue 15, "A format registry"): what a run really
 * imports, recorded by a resolve hook in the child process. Which of connlint's own modules load is seen from the
 * CLI run from tsc's modules (`'modules'`); the shipped bin loads them as one bundle (test/perf/heavy-modules.test.ts).
 */

test('--version loads no YAML, schema, parser or inspect module', () => {
  const urls = loaded(['--version']);
  assert.ok(has(urls, '/bin/connlint.js'), 'the trace works');
  for (const heavy of [
    '/node_modules/yaml/',
    '/node_modules/ajv/',
    '/dist/src/parsers/',
    '/dist/src/inspect/',
    '/dist/src/config/load-config.js',
  ]) {
    assert.ok(!has(urls, heavy), `${heavy} loaded by --version`);
  }
});

test('a tree without a config file and with only sysctl files loads the sysctl parser only', () => {
  const dir = tempRepo({ 'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 600\n', 'src/app.js': 'console.log(1)\n' });
  const urls = loaded(['--format', 'json', dir], 'modules');
  assert.ok(has(urls, '/dist/src/parsers/sysctl.js'));
  for (const other of [
    '/node_modules/yaml/',
    '/node_modules/ajv/',
    '/dist/src/parsers/my-cnf.js',
    '/dist/src/parsers/java-properties.js',
    '/dist/src/interpreters/hikaricp/',
  ]) {
    assert.ok(!has(urls, other), `${other} loaded without a file that needs it`);
  }
});

test('a .cnf that no MySQL program reads (openssl.cnf) never loads the option-file parser', () => {
  const dir = tempRepo({ 'ssl/openssl.cnf': '[req]\ndefault_bits = 2048\n' });
  const urls = loaded(['--format', 'json', dir], 'modules');
  assert.ok(!has(urls, '/dist/src/parsers/my-cnf.js'));
});

test("a config file loads the YAML reader and the schema validator npm run build compiled, not ajv's compiler", () => {
  const dir = tempRepo({ 'connlint.config.yaml': 'network:\n  profile: aws-nat-gateway\n' });
  const urls = loaded(['--format', 'json', dir], 'modules');
  assert.ok(has(urls, '/node_modules/yaml/') && has(urls, '/dist/src/config/config-schema.validate.cjs'));
  assert.ok(!has(urls, '/node_modules/ajv/dist/ajv.js') && !has(urls, '/node_modules/ajv/dist/compile/'), "ajv's compiler loaded");
});

test('Spring and Compose YAML load the YAML reader but never the config schema validator', () => {
  const dir = tempRepo({
    'app/src/main/resources/application.yml': 'spring:\n  datasource:\n    url: jdbc:mysql://db/app\n',
    'docker-compose.yml': 'services:\n  db:\n    image: mysql:8.0\n',
  });
  const urls = loaded(['--format', 'json', dir], 'modules');
  assert.ok(has(urls, '/node_modules/yaml/'));
  assert.ok(!has(urls, '/node_modules/ajv/'), 'ajv is only for connlint.config.yaml');
});

test('a tree whose Python files hold no database settings never loads the Python parser', () => {
  const dir = tempRepo({
    'app/main.py': 'import os\n\nprint(os.getcwd())\n',
    'app/models.py': 'class User:\n    name = "x"\n',
    'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 600\n',
  });
  const urls = loaded(['--format', 'json', dir], 'modules');
  for (const heavy of [
    '/node_modules/@lezer/',
    '/dist/src/parsers/python.js',
    '/dist/src/interpreters/python/',
    '/dist/src/interpreters/sqlalchemy/',
  ]) {
    assert.ok(!has(urls, heavy), `${heavy} loaded without a Python settings file`);
  }
});

test('a Python settings file loads the Python parser and its interpreters, not the others', () => {
  const dir = tempRepo({ 'app/db.py': 'from sqlalchemy import create_engine\n\nengine = create_engine("mysql+pymysql://db/app")\n' });
  const urls = loaded(['--format', 'json', dir], 'modules');
  assert.ok(has(urls, '/node_modules/@lezer/python/') && has(urls, '/dist/src/parsers/python.js'));
  for (const other of [
    '/node_modules/yaml/',
    '/dist/src/parsers/my-cnf.js',
    '/dist/src/parsers/java-properties.js',
    '/dist/src/parsers/ini.js',
  ]) {
    assert.ok(!has(urls, other), `${other} loaded without a file that needs it`);
  }
});

test('a Prisma schema loads its parser, never ts-morph unless a prisma.config.* sits beside it; unrelated JS loads neither', () => {
  const schema = 'datasource db {\n  provider = "mysql"\n  url      = env("DATABASE_URL")\n}\n';
  const plain = loaded(['--format', 'json', tempRepo({ 'prisma/schema.prisma': schema, 'src/index.js': 'console.log(1)\n' })], 'modules');
  assert.ok(has(plain, '/dist/src/parsers/prisma-schema.js'));
  for (const heavy of ['/node_modules/ts-morph/', '/node_modules/@ts-morph/', '/dist/src/parsers/js.js'])
    assert.ok(!has(plain, heavy), `${heavy} loaded`);
  const js = loaded(
    ['--format', 'json', tempRepo({ 'src/index.ts': 'export const x = 1;\n', 'src/app.js': 'module.exports = {}\n' })],
    'modules',
  );
  for (const heavy of ['/node_modules/ts-morph/', '/dist/src/parsers/js.js', '/dist/src/parsers/prisma-schema.js'])
    assert.ok(!has(js, heavy), `${heavy} loaded`);
  const withConfig = loaded(
    [
      '--format',
      'json',
      tempRepo({
        'prisma/schema.prisma': schema,
        'prisma.config.ts':
          'import { defineConfig } from "prisma/config";\nexport default defineConfig({ schema: "prisma/schema.prisma" });\n',
      }),
    ],
    'modules',
  );
  assert.ok(has(withConfig, '/dist/src/parsers/js.js'), 'the config is evaluated');
});

test('a sequelize-cli config/config.json is read without ts-morph; a knexfile loads it', () => {
  const json = loaded(
    ['--format', 'json', tempRepo({ 'config/config.json': '{"production": {"dialect": "mysql", "host": "db"}}\n' })],
    'modules',
  );
  assert.ok(has(json, '/dist/src/interpreters/sequelize/'));
  assert.ok(!has(json, '/node_modules/ts-morph/') && !has(json, '/dist/src/parsers/js.js'), 'ts-morph loaded for a JSON config');
  const knex = loaded(
    ['--format', 'json', tempRepo({ 'knexfile.js': "module.exports = { client: 'mysql2', connection: { host: 'db' } };\n" })],
    'modules',
  );
  assert.ok(has(knex, '/dist/src/parsers/js.js'));
  // The compiler ts-morph ships, without ts-morph's project layer (src/parsers/typescript-compiler.ts).
  assert.ok(has(knex, '/node_modules/@ts-morph/common/dist/typescript.js'), 'the compiler was not loaded');
  assert.ok(!has(knex, '/node_modules/ts-morph/dist/') && !has(knex, '/ts-morph-common.js'), "ts-morph's project layer loaded");
});
