// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Spring's own ${name:default} placeholders are what these inputs hold
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertForSetter, intendedMs, parseBootDuration } from '../../src/interpreters/spring/conversion.js';
import { classifyKey } from '../../src/interpreters/spring/datasource.js';
import { resolvePlaceholders } from '../../src/interpreters/spring/placeholders.js';
import { matchesProfiles, profileNames } from '../../src/interpreters/spring/profiles.js';
import { dashed, elementForm, elementsOf, envCandidates } from '../../src/interpreters/spring/relaxed-names.js';

test('relaxed binding: every spelling of a key reaches the same element form (spring-boot.md, Relaxed binding)', () => {
  for (const spelling of ['max-lifetime', 'maxLifetime', 'max_lifetime', 'MAXLIFETIME', 'MaxLifeTime', 'max-life-time']) {
    assert.equal(elementForm(spelling), 'maxlifetime', spelling);
  }
  // A dot inside the name makes two elements, so `max.lifetime` is another property.
  assert.deepEqual(
    elementsOf('spring.datasource.hikari.max.lifetime').map((e) => e.text),
    ['spring', 'datasource', 'hikari', 'max', 'lifetime'],
  );
  // Brackets make an element that keeps its case and characters (a map key).
  assert.deepEqual(elementsOf("spring.datasource.hikari.dataSourceProperties['cachePrepStmts']").slice(-1), [
    { text: 'cachePrepStmts', indexed: true },
  ]);
  assert.equal(dashed('maxLifetime'), 'max-lifetime');
  assert.equal(dashed('jdbcUrl'), 'jdbc-url');
});

test('keys under spring.datasource: the pool prefix, DataSourceProperties, and pool keys with no pool segment', () => {
  assert.deepEqual(classifyKey('spring.datasource.url', false), { kind: 'ds', prop: 'url' });
  assert.deepEqual(classifyKey('spring.dataSource.driverClassName', false), { kind: 'ds', prop: 'driverClassName' });
  assert.deepEqual(classifyKey('spring.datasource.driver_class_name', false), { kind: 'ds', prop: 'driverClassName' });
  const hikari = classifyKey('spring.datasource.hikari.max-lifetime', false);
  assert.equal(hikari?.kind === 'pool' && hikari.prefix, 'hikari');
  const tomcat = classifyKey('SPRING.DATASOURCE.TOMCAT.MAX-ACTIVE', false);
  assert.equal(tomcat?.kind === 'pool' && tomcat.prefix, 'tomcat');
  assert.deepEqual(classifyKey('spring.datasource.max-active', false), { kind: 'no-segment', name: 'maxactive' });
  assert.deepEqual(classifyKey('spring.datasource.testOnBorrow', false), { kind: 'no-segment', name: 'testonborrow' });
  // DataSourceProperties of Boot 2 (SQL init) and other starters are not pool keys.
  assert.equal(classifyKey('spring.datasource.schema', false), undefined);
  assert.equal(classifyKey('spring.datasource.initialization-mode', false), undefined);
  assert.equal(classifyKey('spring.datasource.druid.max-active', false), undefined);
  assert.equal(classifyKey('spring.jpa.open-in-view', false), undefined);
});

test('environment variables: canonical and legacy forms, lower case too (spring-boot.md, Environment variables)', () => {
  const canonical = classifyKey('SPRING_DATASOURCE_HIKARI_MAXLIFETIME', true);
  assert.ok(canonical?.kind === 'pool' && canonical.prefix === 'hikari');
  assert.deepEqual(
    canonical.rest.map((e) => e.text),
    ['maxlifetime'],
  );
  const legacy = classifyKey('SPRING_DATASOURCE_HIKARI_MAX_LIFETIME', true);
  assert.ok(legacy?.kind === 'pool');
  assert.deepEqual(
    legacy.rest.map((e) => e.text),
    ['max', 'lifetime'],
  );
  assert.deepEqual(classifyKey('SPRING_DATASOURCE_DRIVER_CLASS_NAME', true), { kind: 'ds', prop: 'driverClassName' });
  assert.deepEqual(classifyKey('spring_datasource_url', true), { kind: 'ds', prop: 'url' });
  assert.deepEqual(classifyKey('SPRING_DATASOURCE_MAXACTIVE', true), { kind: 'no-segment', name: 'maxactive' });
  assert.equal(classifyKey('DB_MAX_LIFETIME', true), undefined);
  // Names a placeholder `${spring.datasource.url}` finds in the environment.
  assert.ok(envCandidates('spring.datasource.url').includes('SPRING_DATASOURCE_URL'));
  assert.ok(envCandidates('demo.item-price').includes('DEMO_ITEMPRICE'));
});

test("conversion to the setter's type: what Boot accepts and what stops the application", () => {
  assert.deepEqual(convertForSetter('1800000', 'long', false), { kind: 'value', text: '1800000' });
  // NumberUtils.parseNumber removes every blank and decodes hex.
  assert.deepEqual(convertForSetter(' 1800000 ', 'long', false), { kind: 'value', text: '1800000' });
  assert.deepEqual(convertForSetter('0x1B7740', 'long', false), { kind: 'value', text: '1800000' });
  assert.deepEqual(convertForSetter('+5', 'int', false), { kind: 'value', text: '5' });
  assert.deepEqual(convertForSetter('', 'long', false), { kind: 'empty' });
  const unit = convertForSetter('30m', 'long', false);
  assert.equal(unit.kind, 'fails');
  assert.match(unit.kind === 'fails' ? unit.cause : '', /NumberFormatException: For input string: "30m"/);
  assert.equal(convertForSetter('1_800_000', 'long', false).kind, 'fails');
  assert.equal(convertForSetter('3000000000', 'int', false).kind, 'fails');
  // A plain YAML scalar is typed by SnakeYAML (YAML 1.1) first: underscores and floats are numbers there.
  assert.deepEqual(convertForSetter('1_800_000', 'long', true), { kind: 'value', text: '1800000' });
  assert.deepEqual(convertForSetter('1.8e+6', 'long', true), { kind: 'value', text: '1800000' });
  assert.equal(convertForSetter('30m', 'long', true).kind, 'fails');
  // StringToBooleanConverter.
  for (const t of ['true', 'ON', 'yes', '1']) assert.deepEqual(convertForSetter(t, 'boolean', false), { kind: 'value', text: 'true' });
  for (const t of ['false', 'Off', 'no', '0']) assert.deepEqual(convertForSetter(t, 'boolean', false), { kind: 'value', text: 'false' });
  const bad = convertForSetter('maybe', 'boolean', false);
  assert.ok(bad.kind === 'fails' && /Invalid boolean value 'maybe'/.test(bad.cause));
  // Duration setters (DBCP2 2.10+): simple and ISO forms, a bare number is milliseconds.
  assert.deepEqual(convertForSetter('30m', 'duration', false), { kind: 'value', text: '1800000' });
  assert.deepEqual(convertForSetter('PT30S', 'duration', false), { kind: 'value', text: '30000' });
  assert.deepEqual(convertForSetter('500', 'duration', false), { kind: 'value', text: '500' });
  assert.equal(parseBootDuration('30 minutes'), undefined);
  assert.equal(intendedMs('30m'), 1800000);
  assert.equal(intendedMs('30 min'), 1800000);
  assert.equal(intendedMs('1800'), undefined);
});

test('placeholders: defaults, found values, nesting, unresolved names (spring-boot.md, Property Placeholders)', () => {
  const env: Record<string, string> = { DB_HOST: 'db', LOOP: '${LOOP}' };
  const lookup = (name: string) =>
    name in env ? { value: env[name] as string, where: `environment ${name}`, fromEnvironment: true } : undefined;
  assert.deepEqual(resolvePlaceholders('${DB_MAX_LIFETIME:1800000}', lookup), {
    text: '1800000',
    unresolved: [],
    unknown: [],
    defaults: [{ name: 'DB_MAX_LIFETIME', value: '1800000' }],
    found: [],
  });
  assert.equal(resolvePlaceholders('jdbc:mysql://${DB_HOST:localhost}:3306/app', lookup).text, 'jdbc:mysql://db:3306/app');
  // The default is the text after the first ':' and may itself hold a placeholder.
  assert.equal(resolvePlaceholders('${A:${B:jdbc:mysql://x}}', lookup).text, 'jdbc:mysql://x');
  assert.equal(resolvePlaceholders('${EMPTY:}', lookup).text, '');
  const missing = resolvePlaceholders('${DB_MAX_LIFETIME}', lookup);
  assert.deepEqual([missing.text, missing.unresolved], ['${DB_MAX_LIFETIME}', ['DB_MAX_LIFETIME']]);
  // A cycle stops and stays unresolved instead of recursing for ever.
  assert.ok(resolvePlaceholders('${LOOP}', lookup).unresolved.length > 0);
});

test('profile expressions of spring.config.activate.on-profile', () => {
  const active = new Set(['prod', 'eu']);
  assert.equal(matchesProfiles(['prod'], active), true);
  assert.equal(matchesProfiles(['dev'], active), false);
  assert.equal(matchesProfiles(['dev', 'prod'], active), true);
  assert.equal(matchesProfiles(['!dev'], active), true);
  assert.equal(matchesProfiles(['prod & eu'], active), true);
  assert.equal(matchesProfiles(['prod & (us | dev)'], active), false);
  assert.equal(matchesProfiles(['dev | eu'], active), true);
  // Spring refuses a mix of & and | without parentheses: the document is not matched.
  assert.equal(matchesProfiles(['prod & eu | dev'], active), undefined);
  assert.deepEqual(profileNames('prod & !(dev | test)'), ['prod', 'dev', 'test']);
});
