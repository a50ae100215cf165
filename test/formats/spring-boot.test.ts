// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Spring's own ${name:default} placeholders are what these inputs hold
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isNotRead } from '../../src/formats/format.js';
import { placeSpringFile, propertiesSeparators, springBoot } from '../../src/formats/spring-boot.js';
import { lint } from '../../src/engine/run.js';
import { inspectJson } from '../../src/inspect/inspect-json.js';
import { inspectText } from '../../src/inspect/inspect-text.js';
import { renderer } from '../../src/report/index.js';
import { poolOf, springContribution, settingValue } from '../interpreters/spring-harness.js';
import { tempRepo } from '../temp-repo.js';

test('names: application.properties, application.yml/.yaml and application-{profile}.*, nothing else', () => {
  for (const yes of [
    'application.properties',
    'src/main/resources/application.yml',
    'x/application.yaml',
    'config/application-prod.yml',
    'application-prod-eu.properties',
  ]) {
    assert.ok(springBoot.matchesName(yes), yes);
  }
  for (const no of [
    'bootstrap.yml',
    'application.yml.j2',
    'application-.yml',
    'my-application.yml',
    'application.json',
    'application.conf',
  ]) {
    assert.ok(!springBoot.matchesName(no), no);
  }
});

test('where a file sits decides its application, location and owner (spring-boot.md, Files)', () => {
  const place = (p: string) => {
    const r = placeSpringFile(p);
    return isNotRead(r) ? r.notRead : [r.app, r.tests, r.group, r.rank, r.owner];
  };
  assert.deepEqual(place('src/main/resources/application.yml'), ['.', false, 0, 0, 'certain']);
  assert.deepEqual(place('shop/src/main/resources/config/application-prod.yml'), ['shop', false, 0, 1, 'certain']);
  assert.deepEqual(place('shop/application.properties'), ['shop', false, 1, 0, 'certain']);
  assert.deepEqual(place('shop/config/application.yml'), ['shop', false, 1, 1, 'certain']);
  assert.deepEqual(place('shop/config/eu/application.yml'), ['shop', false, 1, 2, 'certain']);
  assert.deepEqual(place('application.yml'), ['.', false, 1, 0, 'certain']);
  // The test configuration is read only when the tests run.
  assert.deepEqual(place('shop/src/test/resources/application.yml'), ['shop', true, 0, 0, 'uncertain']);
  // Not a default location: read only when spring.config.location names it.
  assert.deepEqual(place('src/main/resources/db/application.yml'), ['src/main/resources/db', false, 0, 0, 'uncertain']);
  assert.equal(place('shop/target/classes/application.yml'), 'build output (a copy of the application resources)');
  assert.equal(place('build/resources/main/application.yml'), 'build output (a copy of the application resources)');
  const claim = springBoot.claim('src/test/resources/application.yml', '');
  assert.deepEqual(claim, {
    owner: 'uncertain',
    reason: 'Spring Boot test configuration (src/test/resources): read when the tests run, not by the deployed application',
  });
});

test('properties document separators: column 0, exactly three hyphens, no comment on either side, not inside a value', () => {
  assert.deepEqual(propertiesSeparators('a=1\n#---\nb=2\n!---\nc=3\n'), [2, 4]);
  assert.deepEqual(propertiesSeparators('a=1\n #---\nb=2\n'), []);
  assert.deepEqual(propertiesSeparators('a=1\n#----\nb=2\n#--- x\nc=3\n'), []);
  assert.deepEqual(propertiesSeparators('a=1\n#---   \nb=2\n'), [2]);
  // The line before is a comment with the same prefix: a comment, not a separator.
  assert.deepEqual(propertiesSeparators('a=1\n# note\n#---\nb=2\n'), []);
  assert.deepEqual(propertiesSeparators('a=1\n! note\n#---\nb=2\n'), [3]);
  // A comment after it, before the next key, joins the documents back.
  assert.deepEqual(propertiesSeparators('a=1\n#---\n# note\nb=2\n'), []);
  assert.deepEqual(propertiesSeparators('a=1\n#---\n\nb=2\n'), [2]);
  // A continued value swallows the line.
  assert.deepEqual(propertiesSeparators('a=1\\\n#---\nb=2\n'), []);
  assert.deepEqual(propertiesSeparators('a=1\\\\\n#---\nb=2\r\n'), [2]);
});

test('.properties are read as ISO-8859-1 and YAML as UTF-8, with columns counted in characters', async () => {
  const props = Buffer.concat([
    Buffer.from('spring.datasource.name=caf'),
    Buffer.from([0xe9]),
    Buffer.from('\nspring.datasource.url=jdbc:mysql://db/app\n'),
  ]);
  const c1 = await springContribution({});
  assert.deepEqual(c1.pools, []);
  const dir = tempRepo({
    'a/src/main/resources/application.properties': props,
    'b/src/main/resources/application.yml':
      'spring.datasource:\n  name: "café"\n  url: jdbc:mysql://db/app\n  hikari.max-lifetime: "30m" # é\n',
  });
  const run = await lint({ cwd: dir, paths: [] });
  const names = run.model.pools.map((p) => p.name).sort();
  assert.deepEqual(names, ['café', 'café']);
  const error = run.result.findings.find((f) => f.ruleId === 'startup-failure' && f.severity === 'error');
  assert.deepEqual(error?.location, { path: 'b/src/main/resources/application.yml', line: 4, column: 24, endLine: 4, endColumn: 29 });
});

test('a profile YAML file through the whole engine: inspect shows each environment and where each value comes from', async () => {
  const dir = tempRepo({
    'src/main/resources/application.yml':
      'spring.datasource.url: jdbc:mysql://db:3306/app\nspring.datasource.hikari.max-lifetime: 250000\n',
    'src/main/resources/application-prod.yml': 'spring.datasource.hikari.max-lifetime: 1800000\n',
    'my.cnf': '[mysqld]\nwait_timeout = 300\n',
  });
  const run = await lint({ cwd: dir, paths: [] });
  assert.deepEqual(
    run.result.findings.map((f) => [f.ruleId, f.location.path, f.location.line]),
    [['pool-lifetime-exceeds-wait-timeout', 'src/main/resources/application-prod.yml', 1]],
  );
  const doc = inspectJson({ model: run.model });
  assert.deepEqual(
    doc.pools.map((p) => [p.id, p.environment]),
    [
      ['hikaricp:src/main/resources/application.yml#default', 'default'],
      ['hikaricp:src/main/resources/application.yml#prod', 'prod'],
    ],
  );
  const text = inspectText({ model: run.model }, { color: false, width: 100 });
  assert.match(text, /environment prod/);
  assert.match(text, /replacing\s+src\/main\/resources\/application\.yml:2/);
});

test('no secret reaches any output: passwords, URL credentials, placeholder defaults, broken YAML around a password', async () => {
  const dir = tempRepo({
    'src/main/resources/application.yml': [
      'spring:',
      '  datasource:',
      '    url: jdbc:mysql://app:urlsecret1@db:3306/app?password=querysecret1',
      '    password: yamlsecret1',
      '    hikari:',
      '      max-lifetime: 30m',
      '      password: ${DB_PASSWORD:defaultsecret1}',
      '    tomcat:',
      '      password: deadsecret1',
    ].join('\n'),
    'src/main/resources/application-prod.properties':
      'spring.datasource.password=propsecret1\nspring.datasource.url=${DB_URL:jdbc:mysql://u:placeholdersecret1@db/app}\n',
    'broken/src/main/resources/application.yml':
      'spring:\n  datasource:\n    url: jdbc:mysql://db/app\n\n    password: brokensecret1\n      x: [\n',
    'my.cnf': '[mysqld]\nwait_timeout = 300\n',
  });
  const run = await lint({ cwd: dir, paths: [] });
  assert.ok(run.result.findings.length >= 3, JSON.stringify(run.result.findings));
  const outputs = [
    ...(['stylish', 'json', 'sarif', 'github'] as const).map((format) => renderer(format)(run.result, { color: false })),
    JSON.stringify(inspectJson({ model: run.model })),
    inspectText({ model: run.model }, { color: false, width: 100 }),
  ].join('\n');
  for (const secret of [
    'urlsecret1',
    'querysecret1',
    'yamlsecret1',
    'defaultsecret1',
    'deadsecret1',
    'propsecret1',
    'placeholdersecret1',
    'brokensecret1',
  ]) {
    assert.ok(!outputs.includes(secret), `${secret} reached the output`);
  }
  // The file itself still has them (the test would pass vacuously otherwise).
  assert.match(readFileSync(join(dir, 'src/main/resources/application.yml'), 'utf8'), /yamlsecret1/);
});

test('the placeholder default and the profile in the message and in inspect', async () => {
  const c = await springContribution({
    'src/main/resources/application.properties':
      'spring.datasource.url=jdbc:mysql://db/app\nspring.datasource.hikari.max-lifetime=${DB_MAX_LIFETIME:1800000}\n',
  });
  const pool = poolOf(c, 'default');
  assert.equal(settingValue(pool, 'maxLifetime'), 1800000);
  const dir = tempRepo({
    'src/main/resources/application.properties':
      'spring.datasource.url=jdbc:mysql://db/app\nspring.datasource.hikari.max-lifetime=${DB_MAX_LIFETIME:1800000}\n',
    'my.cnf': '[mysqld]\nwait_timeout = 300\n',
  });
  const run = await lint({ cwd: dir, paths: [] });
  const finding = run.result.findings.find((f) => f.ruleId === 'pool-lifetime-exceeds-wait-timeout');
  assert.match(
    finding?.message ?? '',
    /^spring\.datasource\.hikari\.max-lifetime \(from environment DB_MAX_LIFETIME, default 1800000\) is 30 min but wait_timeout is 5 min/,
  );
});

test('Spring Boot problems carry their rule ids: a driver property named like a pool setting, an unknown hikari key, a unit slip, a binding failure, a legacy profile key', async () => {
  const dir = tempRepo({
    'src/main/resources/application.yml': [
      'spring:',
      '  datasource:',
      '    url: jdbc:mysql://db:3306/app',
      '    hikari:',
      '      data-source-properties:',
      '        maximumPoolSize: 20',
      '      max-life-time-ms: 600000',
      '      idle-timeout: 600',
      '      connection-timeout: 5s',
      '---',
      'spring:',
      '  profiles: prod',
      '',
    ].join('\n'),
  });
  const run = await lint({ cwd: dir, paths: [] });
  const got = run.result.findings
    .filter((f) => f.ruleId !== 'pool-lifetime-exceeds-wait-timeout' && f.ruleId !== 'pool-missing-validation')
    .map((f) => [f.ruleId, f.location.line]);
  assert.deepEqual(
    got.sort((a, b) => Number(a[1]) - Number(b[1])),
    [
      ['setting-ignored-by-library', 6],
      ['unknown-setting', 7],
      ['suspicious-duration-unit', 8],
      ['startup-failure', 9],
      ['startup-failure', 12],
    ],
  );
});
