import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { lint } from '../../src/engine/run.js';
import { buildDeclaredServer } from '../../src/interpreters/mysql/server.js';
import { humanValue, whereFrom } from '../../src/model/values.js';
import { tempRepo } from '../temp-repo.js';

const PATH = 'connlint.config.yaml';

function declared(text: string) {
  const { config, errors } = loadConfig(PATH, text, [{ id: 'parse-error', options: {} }]);
  assert.deepEqual(errors, []);
  const built = buildDeclaredServer(config);
  assert.ok(built.server);
  return { server: built.server, problems: built.problems };
}

test('a release profile sets engine, version and its values, each read as that engine default', () => {
  const { server, problems } = declared('database:\n  profile: mariadb-10.11\n');
  assert.deepEqual(problems, []);
  assert.equal(server.engine, 'mariadb');
  assert.equal(server.version, '10.11');
  assert.equal(server.engineReason, 'declared in connlint.config.yaml (database.profile mariadb-10.11: MariaDB 10.11)');
  const wait = server.settings.get('wait_timeout');
  assert.ok(wait);
  assert.deepEqual(wait.value, { kind: 'duration', ms: 28800 * 1000 });
  assert.equal(whereFrom(wait), 'MariaDB default');
  assert.equal(wait.origin.kind === 'server-default' && wait.origin.version, '10.11');
  assert.match(wait.origin.kind === 'server-default' ? wait.origin.fact : '', /^mysql-server\.md, Settings: wait_timeout 28800 s/);
  assert.deepEqual(server.settings.get('max_allowed_packet')?.value, { kind: 'size', bytes: 16 * 1024 * 1024 });
  assert.deepEqual(server.settings.get('max_connections')?.value, { kind: 'count', value: 151 });
});

test('a managed profile reads as the provider default, unknown where undocumented, with a note asking for wait_timeout', () => {
  const { server, problems } = declared('database:\n  profile: aws-rds-mysql\n');
  assert.equal(server.engine, 'mysql');
  assert.equal(server.version, undefined);
  const wait = server.settings.get('wait_timeout');
  assert.ok(wait);
  assert.equal(wait.value.kind, 'unknown');
  assert.equal(whereFrom(wait), 'Amazon RDS for MySQL default');
  assert.match(
    humanValue(server.settings.get('max_connections')?.value ?? { kind: 'count', value: 0 }),
    /^unknown \(a formula of the instance memory/,
  );
  assert.deepEqual(
    problems.map((p) => [p.severity, p.span.line, p.span.column]),
    [['note', 2, 12]],
  );
  assert.match(
    problems[0]?.message ?? '',
    /^database\.profile aws-rds-mysql: connlint knows no Amazon RDS for MySQL default for wait_timeout \(/,
  );
  assert.match(problems[0]?.message ?? '', /declare database\.variables\.wait_timeout/);
});

test('database.variables override the profile, and then nothing asks for them', () => {
  const { server, problems } = declared('database:\n  profile: aws-rds-mysql\n  version: "8.0"\n  variables:\n    wait_timeout: 600\n');
  assert.deepEqual(problems, []);
  const wait = server.settings.get('wait_timeout');
  assert.deepEqual(wait?.value, { kind: 'duration', ms: 600_000 });
  assert.equal(wait?.origin.kind, 'config');
  assert.equal(server.version, '8.0');
  const packet = server.settings.get('max_allowed_packet');
  assert.equal(packet?.value.kind, 'unknown', 'the other provider values stay unknown');
  // A release profile: the declared value beats the release default.
  const release = declared('database:\n  profile: mysql-8.4\n  variables:\n    max_connections: 500\n').server;
  assert.deepEqual(release.settings.get('max_connections')?.value, { kind: 'count', value: 500 });
  assert.deepEqual(release.settings.get('wait_timeout')?.value, { kind: 'duration', ms: 28800 * 1000 });
});

const HIKARI_9H = 'jdbcUrl=jdbc:mysql://db:3306/app\nmaxLifetime=32400000\n';

async function findings(files: Record<string, string>) {
  return (await lint({ cwd: tempRepo(files), paths: [] })).result.findings.map((f) => [f.ruleId, f.severity, f.message]);
}

test('a 9 h pool lifetime against a release profile is a finding that names the engine default', async () => {
  const found = await findings({ 'connlint.config.yaml': 'database:\n  profile: mysql-8.0\n', 'hikari.properties': HIKARI_9H });
  assert.equal(found.length, 1, JSON.stringify(found));
  const [ruleId, , message] = found[0] as [string, string, string];
  assert.equal(ruleId, 'pool-lifetime-exceeds-wait-timeout');
  // mysql-server.md: wait_timeout 28800 s = 8 h.
  assert.match(message, /but wait_timeout is 8 h \(MySQL default\)/);
  assert.doesNotMatch(message, /connlint\.config\.yaml:/, 'a profile value is a default, not a value set in the file');
  // The near miss: 8 h - 5 s margin - anything is inside the limit.
  const inside = await findings({
    'connlint.config.yaml': 'database:\n  profile: mysql-8.0\n',
    'hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\nmaxLifetime=28000000\n',
  });
  assert.deepEqual(inside, []);
});

test('against Amazon RDS the 9 h lifetime is not judged (no documented wait_timeout) but a note asks for it', async () => {
  const found = await findings({ 'connlint.config.yaml': 'database:\n  profile: aws-rds-mysql\n', 'hikari.properties': HIKARI_9H });
  assert.deepEqual(
    found.map(([ruleId, severity]) => [ruleId, severity]),
    [['parse-error', 'note']],
  );
  // Once given, the value is judged and named as set in the config.
  const given = await findings({
    'connlint.config.yaml': 'database:\n  profile: aws-rds-mysql\n  variables:\n    wait_timeout: 28800\n',
    'hikari.properties': HIKARI_9H,
  });
  assert.equal(given.length, 1, JSON.stringify(given));
  assert.equal(given[0]?.[0], 'pool-lifetime-exceeds-wait-timeout');
  assert.match(String(given[0]?.[2]), /but wait_timeout is 8 h \(connlint\.config\.yaml:4\)/);
});
