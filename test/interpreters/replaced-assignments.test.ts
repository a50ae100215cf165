import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildC3p0Pool } from '../../src/interpreters/c3p0/pool.js';
import { buildHikariPool } from '../../src/interpreters/hikaricp/pool.js';
import type { Entry } from '../../src/model/entry.js';
import type { Pool } from '../../src/model/model.js';
import { lineSpan } from '../../src/model/span.js';
import { poolOf, springContribution } from './spring-harness.js';

const R = 'src/main/resources';

function lines(path: string, pairs: Array<[string, string]>): Entry[] {
  return pairs.map(([k, v], i) => {
    const span = lineSpan(path, i + 1, 1, k.length + v.length + 1);
    return { key: k, rawKey: k, text: v, raw: v, keySpan: span, valueSpan: span, span };
  });
}

/** `line=raw` for each replaced assignment of a setting, oldest first; undefined when none is listed. */
function replaced(pool: Pool, key: string): string[] | undefined {
  return pool.settings.get(key)?.replaced?.map((r) => `${r.origin.kind === 'file' ? r.origin.span.line : '?'}=${r.raw}`);
}

test('HikariCP .properties: a key written twice lists the earlier line with its value; other spellings are not listed', () => {
  const { pool } = buildHikariPool({
    path: 'hikari.properties',
    prefix: '',
    entries: lines('hikari.properties', [
      ['jdbcUrl', 'jdbc:mysql://db/app'],
      ['maxLifetime', '600000'],
      ['poolName', 'a'],
      ['maxLifetime', '1200000'],
      ['poolName', 'b'],
      ['connectionTimeout', '30000'],
    ]),
  });
  assert.deepEqual(replaced(pool, 'maxLifetime'), ['2=600000']);
  assert.deepEqual(pool.settings.get('maxLifetime')?.replaced?.[0]?.value, { kind: 'duration', ms: 600000 });
  assert.deepEqual(replaced(pool, 'poolName'), ['3=a']);
  assert.equal(replaced(pool, 'connectionTimeout'), undefined);
  assert.equal(replaced(pool, 'jdbcUrl'), undefined);
});

test('c3p0 .properties: a key written twice lists the earlier line, in seconds', () => {
  const { pool } = buildC3p0Pool({
    path: 'c3p0.properties',
    entries: lines('c3p0.properties', [
      ['c3p0.jdbcUrl', 'jdbc:mysql://db/app'],
      ['c3p0.maxIdleTime', '600'],
      ['c3p0.maxIdleTime', '300'],
    ]),
  });
  assert.deepEqual(replaced(pool, 'maxIdleTime'), ['2=600']);
  assert.deepEqual(pool.settings.get('maxIdleTime')?.replaced?.[0]?.value, { kind: 'duration', ms: 600000 });
});

test('Spring Boot: a repeated key in one file is listed; a profile overriding the default file is not', async () => {
  const base = [
    'spring.datasource.url=jdbc:mysql://db/app',
    'spring.datasource.hikari.max-lifetime=600000',
    'spring.datasource.hikari.max-lifetime=900000',
  ].join('\n');
  const prod = 'spring.datasource.hikari.max-lifetime=300000\n';
  const c = await springContribution({ [`${R}/application.properties`]: base, [`${R}/application-prod.properties`]: prod });
  assert.deepEqual(replaced(poolOf(c, 'default'), 'maxLifetime'), ['2=600000']);
  // prod: the profile file wins on purpose, so only the repetition inside application.properties would be listed,
  // and it is not the winner's layer either.
  const inProd = poolOf(c, 'prod').settings.get('maxLifetime');
  assert.equal(inProd?.raw, '300000');
  assert.equal(inProd?.replaced, undefined);
  assert.equal(inProd?.overrides.length, 2);
});

test('Spring Boot: application.properties beside application.yml in one location is one layer (.properties wins)', async () => {
  const c = await springContribution({
    [`${R}/application.yml`]: 'spring:\n  datasource:\n    url: jdbc:mysql://db/app\n    hikari:\n      max-lifetime: 600000\n',
    [`${R}/application.properties`]: 'spring.datasource.hikari.max-lifetime=900000\n',
  });
  const s = poolOf(c, 'default').settings.get('maxLifetime');
  assert.equal(s?.raw, '900000');
  assert.deepEqual(
    s?.replaced?.map((r) => (r.origin.kind === 'file' ? `${r.origin.span.path}:${r.origin.span.line}=${r.raw}` : '')),
    [`${R}/application.yml:5=600000`],
  );
});

test('Spring Boot: a later document with on-profile in the same file is an override, not a repetition', async () => {
  const yaml = [
    'spring:',
    '  datasource:',
    '    url: jdbc:mysql://db/app',
    '    hikari:',
    '      max-lifetime: 600000',
    '---',
    'spring:',
    '  config:',
    '    activate:',
    '      on-profile: prod',
    '  datasource:',
    '    hikari:',
    '      max-lifetime: 300000',
  ].join('\n');
  const c = await springContribution({ [`${R}/application.yml`]: yaml });
  const s = poolOf(c, 'prod').settings.get('maxLifetime');
  assert.equal(s?.raw, '300000');
  assert.equal(s?.replaced, undefined);
});
