import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { type ConfigError, closestId, loadConfig, type RuleSpec } from '../../src/config/load-config.js';
import { SERVER_PROFILES } from '../../src/interpreters/mysql/server-profiles.js';
import { NETWORK_PROFILES } from '../../src/interpreters/network/profiles.js';

const PATH = 'connlint.config.yaml';
const RULES: RuleSpec[] = [{ id: 'parse-error', options: {} }];

function span(line: number, column: number, endColumn: number) {
  return { path: PATH, line, column, endLine: line, endColumn };
}

function errorsOf(text: string): ConfigError[] {
  return loadConfig(PATH, text, RULES).errors;
}

// The ids the issue asks for (mysql-server.md: Settings, "Managed services and images").
const DATABASE_IDS = [
  'mysql-8.0',
  'mysql-8.4',
  'mariadb-10.11',
  'mariadb-11',
  'aws-rds-mysql',
  'aws-aurora-mysql',
  'gcp-cloud-sql-mysql',
  'azure-mysql-flexible',
];

test('database.profile is read with the span of its value', () => {
  const { config, errors } = loadConfig(PATH, 'database:\n  profile: aws-rds-mysql\n', RULES);
  assert.deepEqual(errors, []);
  assert.deepEqual(config.database?.profile, { value: 'aws-rds-mysql', span: span(2, 12, 25) });
  assert.equal(config.database?.engine, undefined, 'the engine stays as declared; the server takes it from the profile');
});

test('every database profile id loads on its own', () => {
  for (const id of DATABASE_IDS) assert.deepEqual(errorsOf(`database:\n  profile: ${id}\n`), [], id);
});

test('an unknown database profile names the closest id and lists the known ones, at the value', () => {
  const errors = errorsOf('database:\n  profile: aws-rds\n');
  assert.equal(errors.length, 1);
  const error = errors[0] as ConfigError;
  assert.ok(
    error.message.startsWith('database.profile: unknown profile "aws-rds"; did you mean "aws-rds-mysql"? (expected one of '),
    error.message,
  );
  for (const id of DATABASE_IDS) assert.ok(error.message.includes(id), id);
  assert.deepEqual(error.span, span(2, 12, 19));
});

test('closest ids: spelling, missing words, an extended release, a typo; nothing for a stranger', () => {
  const db = [...SERVER_PROFILES.keys()];
  assert.equal(closestId('MySQL_8.0', db), 'mysql-8.0');
  assert.equal(closestId('aurora', db), 'aws-aurora-mysql');
  assert.equal(closestId('mariadb-11.4', db), 'mariadb-11');
  assert.equal(closestId('mysql-8.0.36', db), 'mysql-8.0');
  assert.equal(closestId('mariadb-10.1', db), 'mariadb-10.11');
  assert.equal(closestId('cloud-sql', db), 'gcp-cloud-sql-mysql');
  assert.equal(closestId('postgres-16', db), undefined);
  const network = [...NETWORK_PROFILES.keys()];
  assert.equal(closestId('aws-nat', network), 'aws-nat-gateway');
  assert.equal(closestId('azure-nat', network), 'azure-nat-gateway');
  assert.equal(closestId('aws-gwbl', network), 'aws-gwlb');
  assert.equal(closestId('kubernetes-conntrack', network), 'k8s-kube-proxy-conntrack');
  assert.equal(closestId('google-cloud-nat', network), 'gcp-cloud-nat');
  assert.equal(closestId('haproxy', network), undefined);
});

test('an unknown network profile also names the closest id', () => {
  const errors = errorsOf('network:\n  profile: gcp-nat\n');
  assert.equal(errors.length, 1);
  assert.ok((errors[0] as ConfigError).message.startsWith('network.profile: unknown profile "gcp-nat"; did you mean "gcp-cloud-nat"?'));
  assert.deepEqual((errors[0] as ConfigError).span, span(2, 12, 19));
});

test('an engine that contradicts the profile is an error at the engine', () => {
  const errors = errorsOf('database:\n  profile: mariadb-10.11\n  engine: mysql\n');
  assert.deepEqual(errors, [
    {
      message:
        'database.engine: "mysql" contradicts database.profile mariadb-10.11, MariaDB 10.11; remove database.engine or use engine mariadb',
      span: span(3, 11, 16),
    },
  ]);
  const managed = errorsOf('database:\n  engine: postgresql\n  profile: aws-aurora-mysql\n');
  assert.deepEqual(managed, [
    {
      message:
        'database.engine: "postgresql" contradicts database.profile aws-aurora-mysql, Amazon Aurora MySQL (a MySQL server); remove database.engine or use engine mysql',
      span: span(2, 11, 21),
    },
  ]);
  assert.deepEqual(errorsOf('database:\n  profile: mariadb-11\n  engine: mariadb\n'), []);
});

test('a version of another release is an error at the version; the same release in more detail is not', () => {
  assert.deepEqual(errorsOf('database:\n  profile: mysql-8.0\n  version: "8.4"\n'), [
    {
      message:
        'database.version: "8.4" is not a version of database.profile mysql-8.0 (8.0); remove database.version or give 8.0 or 8.0.<n>',
      span: span(3, 12, 17),
    },
  ]);
  assert.equal(errorsOf('database:\n  profile: mariadb-11\n  version: 10.11\n').length, 1);
  // 8.0.36 is an 8.0 release; 11.4 a MariaDB 11 one; a managed service takes any version.
  assert.deepEqual(errorsOf('database:\n  profile: mysql-8.0\n  version: "8.0.36"\n'), []);
  assert.deepEqual(errorsOf('database:\n  profile: mariadb-11\n  version: "11.4"\n'), []);
  assert.deepEqual(errorsOf('database:\n  profile: aws-aurora-mysql\n  version: "8.0"\n'), []);
  // Versions are compared part by part as numbers: 8.10 is a release of 8.10, not of 8.0.
  assert.equal(errorsOf('database:\n  profile: mysql-8.0\n  version: "8.10"\n').length, 1);
});

test('a profile that is not text is a schema error in the config wording', () => {
  const errors = errorsOf('database:\n  profile: [mysql-8.0]\n');
  assert.deepEqual(errors, [
    { message: 'database.profile: expected a database profile id such as mysql-8.0 or aws-rds-mysql (got a list)', span: span(2, 12, 23) },
  ]);
});

test("the schema's examples are exactly the profile ids, so editors offer every one", () => {
  const schema = JSON.parse(readFileSync(new URL('../../../schema/connlint.config.schema.json', import.meta.url), 'utf8'));
  assert.deepEqual(schema.properties.database.properties.profile.examples, [...SERVER_PROFILES.keys()]);
  assert.deepEqual(schema.properties.network.properties.profile.items.examples, [...NETWORK_PROFILES.keys()]);
  assert.deepEqual([...SERVER_PROFILES.keys()], DATABASE_IDS);
});
