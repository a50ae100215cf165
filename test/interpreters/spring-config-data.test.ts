// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Spring's own ${name:default} placeholders are what these inputs hold
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { poolOf, springContribution, settingValue, variable, whereSet } from './spring-harness.js';

const R = 'src/main/resources';

test("Boot's file order: classpath root < classpath config/ < ./ < ./config/; in one location .properties beats YAML", async () => {
  const c = await springContribution({
    [`${R}/application.yml`]:
      'spring.datasource:\n  url: jdbc:mysql://db/a\n  hikari.max-lifetime: 100000\n  hikari.idle-timeout: 100000\n  hikari.minimum-idle: 1\n',
    [`${R}/application.properties`]: 'spring.datasource.hikari.max-lifetime=200000\n',
    [`${R}/config/application.yml`]: 'spring.datasource.hikari.idle-timeout: 300000\n',
    'application.properties': 'spring.datasource.hikari.max-lifetime=400000\n',
    'config/application.properties': 'spring.datasource.hikari.minimum-idle=3\n',
  });
  assert.equal(c.pools?.length, 1);
  const pool = poolOf(c, 'default');
  assert.equal(settingValue(pool, 'maxLifetime'), 400000);
  assert.equal(whereSet(pool, 'maxLifetime'), 'application.properties:1');
  // Every earlier assignment is kept as overridden, in order.
  assert.deepEqual(
    pool.settings.get('maxLifetime')?.overrides.map((o) => (o.kind === 'file' ? `${o.span.path}:${o.span.line}` : o.kind)),
    [`${R}/application.yml:3`, `${R}/application.properties:1`],
  );
  assert.equal(settingValue(pool, 'idleTimeout'), 300000);
  assert.equal(settingValue(pool, 'minimumIdle'), 3);
  assert.equal(pool.id, `hikaricp:${R}/application.yml#default`);
});

test('profile files override every non-profile file of their location group, and the outer group wins over both', async () => {
  // Boot reference, "Config data files are considered in the following order": jar application, jar
  // profile files, outside application, outside profile files.
  const c = await springContribution({
    [`${R}/application.yml`]: 'spring.datasource.url: jdbc:mysql://db/a\nspring.datasource.hikari.max-lifetime: 100000\n',
    [`${R}/application-prod.yml`]: 'spring.datasource.hikari.max-lifetime: 200000\nspring.datasource.hikari.connection-timeout: 25000\n',
    'config/application.yml': 'spring.datasource.hikari.connection-timeout: 40000\n',
  });
  const prod = poolOf(c, 'prod');
  assert.equal(settingValue(prod, 'maxLifetime'), 200000);
  assert.equal(settingValue(prod, 'connectionTimeout'), 40000);
  const base = poolOf(c, 'default');
  assert.equal(settingValue(base, 'maxLifetime'), 100000);
});

test('multi-document YAML: a document applies when its on-profile expression matches, later documents win', async () => {
  const yaml = [
    'spring:',
    '  datasource:',
    '    url: jdbc:mysql://db/app',
    '    hikari:',
    '      max-lifetime: 100000',
    '---',
    'spring:',
    '  config:',
    '    activate:',
    '      on-profile: prod | staging',
    '  datasource.hikari.max-lifetime: 200000',
    '---',
    'spring.config.activate.on-profile: "!prod"',
    'spring.datasource.hikari.keepalive-time: 60000',
  ].join('\n');
  const c = await springContribution({ [`${R}/application.yml`]: yaml });
  assert.deepEqual(c.pools?.map((p) => p.environment).sort(), ['default', 'prod', 'staging']);
  assert.equal(settingValue(poolOf(c, 'default'), 'maxLifetime'), 100000);
  assert.equal(settingValue(poolOf(c, 'default'), 'keepaliveTime'), 60000);
  assert.equal(settingValue(poolOf(c, 'prod'), 'maxLifetime'), 200000);
  assert.equal(whereSet(poolOf(c, 'prod'), 'maxLifetime'), `${R}/application.yml:11`);
  assert.notEqual(settingValue(poolOf(c, 'prod'), 'keepaliveTime'), 60000);
});

test('multi-document properties: #--- and !--- separate documents, unless a comment touches the separator', async () => {
  const text = [
    'spring.datasource.url=jdbc:mysql://db/app',
    'spring.datasource.hikari.max-lifetime=100000',
    '#---',
    'spring.config.activate.on-profile=prod',
    'spring.datasource.hikari.max-lifetime=200000',
    '!---',
    'spring.config.activate.on-profile=dev',
    'spring.datasource.hikari.max-lifetime=300000',
    '# a comment right before the separator makes it a comment',
    '#---',
    'spring.datasource.hikari.connection-timeout=40000',
  ].join('\n');
  const c = await springContribution({ [`${R}/application.properties`]: text });
  assert.equal(settingValue(poolOf(c, 'default'), 'maxLifetime'), 100000);
  assert.equal(settingValue(poolOf(c, 'prod'), 'maxLifetime'), 200000);
  assert.equal(settingValue(poolOf(c, 'dev'), 'maxLifetime'), 300000);
  // The last separator was ignored, so connection-timeout belongs to the dev document.
  assert.equal(settingValue(poolOf(c, 'dev'), 'connectionTimeout'), 40000);
  assert.equal(settingValue(poolOf(c, 'default'), 'connectionTimeout'), 30000);
  // A comment after a separator, before any key, joins the document back to the one before.
  const joined = await springContribution({
    [`${R}/application.properties`]:
      'spring.datasource.url=jdbc:mysql://db/app\n#---\n# prod only\nspring.config.activate.on-profile=prod\nspring.datasource.hikari.max-lifetime=200000\n',
  });
  // The activation now covers the first document too: nothing applies without the profile.
  assert.deepEqual(
    joined.pools?.map((p) => p.environment),
    ['prod'],
  );
});

test('one pool per distinct configuration: a profile that changes nothing the pool reads joins the default pool', async () => {
  const c = await springContribution({
    [`${R}/application.yml`]: 'spring.datasource.url: jdbc:mysql://db/app\n',
    [`${R}/application-dev.yml`]: 'logging.level.root: debug\n',
    [`${R}/application-prod.yml`]: 'spring.datasource.hikari.max-lifetime: 200000\n',
  });
  assert.deepEqual(
    c.pools?.map((p) => p.environment),
    ['default', 'prod'],
  );
  assert.match(poolOf(c, 'default').environmentNote ?? '', /profile dev gives the same pool/);
});

test('spring.profiles.active in a file names the configuration that runs, with its place', async () => {
  const c = await springContribution({
    [`${R}/application.yml`]: 'spring.profiles.active: prod\nspring.datasource.url: jdbc:mysql://db/app\n',
    [`${R}/application-prod.yml`]: 'spring.datasource.hikari.max-lifetime: 200000\n',
    [`${R}/application-dev.yml`]: 'spring.datasource.hikari.max-lifetime: 300000\n',
  });
  assert.deepEqual(c.pools?.map((p) => p.environment).sort(), ['dev', 'prod']);
  assert.equal(
    poolOf(c, 'prod').environmentNote,
    `spring.profiles.active=prod in ${R}/application.yml:1: what runs unless SPRING_PROFILES_ACTIVE says otherwise`,
  );
  assert.equal(poolOf(c, 'dev').environmentNote, undefined);
});

test('profile keys Boot refuses where they are written: legacy spring.profiles, spring.profiles.active in a profile file', async () => {
  const c = await springContribution({
    [`${R}/application.yml`]:
      'spring.datasource.url: jdbc:mysql://db/app\n---\nspring.profiles: prod\nspring.datasource.hikari.max-lifetime: 200000\n',
    [`${R}/application-dev.yml`]: 'spring.profiles.active: dev,local\n',
  });
  // The legacy key still activates the document (Boot 2.x), and is warned with the version caveat.
  assert.equal(settingValue(poolOf(c, 'prod'), 'maxLifetime'), 200000);
  const legacy = c.problems?.find((p) => p.span.line === 3 && p.span.path.endsWith('application.yml'));
  assert.equal(legacy?.severity, 'warning');
  assert.match(legacy?.message ?? '', /from 3\.0 the application does not start.*version is not known here/);
  const misplaced = c.problems?.find((p) => p.span.path.endsWith('application-dev.yml'));
  assert.match(misplaced?.message ?? '', /profile-specific file: from Spring Boot 2\.4\.2 the application does not start/);
});

test('a Compose environment that runs the application: SPRING_PROFILES_ACTIVE picks the configuration and says why', async () => {
  const c = await springContribution(
    {
      [`app/${R}/application.yml`]: 'spring.datasource.url: jdbc:mysql://db/app\nspring.datasource.hikari.max-lifetime: 100000\n',
      [`app/${R}/application-prod.yml`]: 'spring.datasource.hikari.max-lifetime: 200000\n',
      [`other/${R}/application.yml`]: 'spring.datasource.url: jdbc:mysql://db/other\n',
    },
    {
      environments: [
        {
          appDir: 'app',
          source: 'service app in docker-compose.yml',
          variables: [variable('SPRING_PROFILES_ACTIVE', 'prod', 12), variable('SPRING_DATASOURCE_HIKARI_IDLETIMEOUT', '250000', 13)],
        },
      ],
    },
  );
  const prod = c.pools?.filter((p) => p.id.startsWith('hikaricp:app/')).find((p) => p.environment === 'prod');
  assert.ok(prod);
  assert.equal(prod.environmentNote, 'SPRING_PROFILES_ACTIVE=prod in docker-compose.yml:12 (service app in docker-compose.yml)');
  assert.equal(settingValue(prod, 'maxLifetime'), 200000);
  // The variable overrides the files; the setting keeps the variable's name and points at its line.
  const idle = prod.settings.get('idleTimeout');
  assert.equal(idle?.key, 'SPRING_DATASOURCE_HIKARI_IDLETIMEOUT');
  assert.equal(whereSet(prod, 'idleTimeout'), 'docker-compose.yml:13');
  // The other application is not reached by that environment.
  const other = c.pools?.filter((p) => p.id.startsWith('hikaricp:other/'));
  assert.deepEqual(
    other?.map((p) => [p.environment, p.environmentNote]),
    [['default', undefined]],
  );
});

test('environment variables in the legacy form, lower case, and map keys (lower-cased from the environment)', async () => {
  const c = await springContribution(
    { [`${R}/application.yml`]: 'spring.datasource.url: jdbc:mysql://db/app\n' },
    {
      environments: [
        {
          appDir: '.',
          source: 'service app in compose.yaml',
          variables: [
            variable('SPRING_DATASOURCE_HIKARI_MAX_LIFETIME', '200000', 5, 'compose.yaml'),
            variable('spring_datasource_hikari_minimumidle', '2', 6, 'compose.yaml'),
            variable('SPRING_DATASOURCE_HIKARI_DATASOURCEPROPERTIES_SOCKETTIMEOUT', '30000', 7, 'compose.yaml'),
          ],
        },
      ],
    },
  );
  const pool = poolOf(c, 'default');
  assert.equal(settingValue(pool, 'maxLifetime'), 200000);
  assert.equal(settingValue(pool, 'minimumIdle'), 2);
  assert.equal(settingValue(pool, 'dataSource.sockettimeout'), '30000');
  assert.match(pool.environmentNote ?? '', /service app in compose\.yaml runs it with no profile set/);
});

test('placeholders: a default is used and said; an environment variable fills it; without either the value is unknown', async () => {
  const files = {
    [`${R}/application.properties`]: [
      'spring.datasource.url=jdbc:mysql://${DB_HOST:localhost}:3306/app',
      'spring.datasource.hikari.max-lifetime=${DB_MAX_LIFETIME:1800000}',
      'spring.datasource.hikari.idle-timeout=${DB_IDLE}',
      'spring.datasource.hikari.keepalive-time=${pool.keepalive}',
      'pool.keepalive=60000',
    ].join('\n'),
  };
  const plain = poolOf(await springContribution(files), 'default');
  assert.equal(settingValue(plain, 'maxLifetime'), 1800000);
  assert.equal(
    plain.settings.get('maxLifetime')?.key,
    'spring.datasource.hikari.max-lifetime (from environment DB_MAX_LIFETIME, default 1800000)',
  );
  assert.equal(plain.host, 'localhost');
  assert.equal(settingValue(plain, 'idleTimeout'), 'unknown');
  const idle = plain.settings.get('idleTimeout')?.value;
  assert.match(
    idle?.kind === 'unknown' ? idle.reason : '',
    /environment variable DB_IDLE, which nothing in the repository sets and which has no default/,
  );
  assert.equal(settingValue(plain, 'keepaliveTime'), 60000);
  assert.match(plain.settings.get('keepaliveTime')?.key ?? '', /from pool\.keepalive \(src\/main\/resources\/application\.properties:5\)/);

  const withEnv = poolOf(
    await springContribution(files, {
      environments: [
        {
          appDir: '.',
          source: 'service app in docker-compose.yml',
          variables: [variable('DB_MAX_LIFETIME', '250000', 9), variable('DB_HOST', 'db', 10), variable('DB_IDLE', null, 11)],
        },
      ],
    }),
    'default',
  );
  assert.equal(settingValue(withEnv, 'maxLifetime'), 250000);
  const life = withEnv.settings.get('maxLifetime');
  assert.equal(life?.key, 'spring.datasource.hikari.max-lifetime (from environment DB_MAX_LIFETIME (docker-compose.yml:9))');
  // The value that runs is written in the Compose file, so the setting points there.
  assert.equal(whereSet(withEnv, 'maxLifetime'), 'docker-compose.yml:9');
  assert.equal(withEnv.host, 'db');
  const passed = withEnv.settings.get('idleTimeout')?.value;
  assert.match(passed?.kind === 'unknown' ? passed.reason : '', /DB_IDLE, which is passed through from the shell/);
});

test('test resources: their own pools, from test files only; files outside the default locations are uncertain', async () => {
  const c = await springContribution({
    [`${R}/application.yml`]: 'spring.datasource.url: jdbc:mysql://db/app\n',
    'src/test/resources/application-it.yml':
      'spring.datasource.url: jdbc:mysql://localhost/test\nspring.datasource.hikari.maximum-pool-size: 1\n',
    [`${R}/templates/application.yml`]: 'spring.datasource.url: jdbc:mysql://other/x\n',
    'target/classes/application.yml': 'spring.datasource.url: jdbc:mysql://copy/x\n',
  });
  assert.deepEqual(c.pools?.map((p) => p.id).sort(), [
    `hikaricp:${R}/application.yml#default`,
    `hikaricp:${R}/templates/application.yml#default`,
    'hikaricp:src/test/resources/application-it.yml#it',
  ]);
  const it = c.pools?.find((p) => p.id.includes('src/test/'));
  assert.match(it?.environmentNote ?? '', /^the test configuration \(src\/test\/resources\): used when the tests run/);
  // The test pool is built from the test file alone.
  assert.equal(it?.host, 'localhost');
});
