// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose's own ${VAR} syntax is what these inputs hold
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serviceVariables } from '../../src/interpreters/compose/environment.js';
import { knownText, type Lookup } from '../../src/interpreters/compose/interpolate.js';
import { loadProject, type ServiceDef } from '../../src/interpreters/compose/project.js';
import { parseDotenv } from '../../src/parsers/dotenv.js';
import { parseYaml } from '../../src/parsers/yaml.js';

function project(files: Record<string, string>, order = Object.keys(files), lookup: Lookup = () => undefined) {
  const parsed = Object.fromEntries(Object.entries(files).map(([p, t]) => [p, parseYaml(p, t).file]));
  return loadProject(
    '.',
    order.map((path) => ({ path, file: parsed[path] as NonNullable<(typeof parsed)[string]> })),
    {
      lookup,
      readCompose: (path) => (parsed[path] ? { path, file: parsed[path] } : undefined),
    },
  );
}

function service(p: ReturnType<typeof project>, name: string): ServiceDef {
  const s = p.services.get(name);
  assert.ok(s, `service ${name}`);
  return s;
}

const commandText = (s: ServiceDef) => (s.command?.kind === 'string' ? s.command.str.text : s.command?.items.map((i) => i.text));

test('an override file replaces command, merges environment by name and volumes by target, keeps spans per file', () => {
  const p = project({
    'docker-compose.yml': [
      'services:',
      '  db:',
      '    image: mysql:8.0',
      '    command: --wait-timeout=300',
      '    environment:',
      '      MYSQL_DATABASE: app',
      '      TZ: UTC',
      '    volumes:',
      '      - ./conf:/etc/mysql/conf.d',
      '      - data:/var/lib/mysql',
      '    sysctls:',
      '      net.ipv4.tcp_keepalive_time: 600',
      '',
    ].join('\n'),
    'docker-compose.override.yml': [
      'services:',
      '  db:',
      '    command: ["--wait_timeout", "60"]',
      '    environment:',
      '      - TZ=Europe/Paris',
      '      - EXTRA=1',
      '    volumes:',
      '      - ./other:/etc/mysql/conf.d:ro',
      '    sysctls:',
      '      - net.ipv4.tcp_keepalive_intvl=30',
      '',
    ].join('\n'),
  });
  assert.equal(p.refused, false);
  const db = service(p, 'db');
  assert.deepEqual(db.files, ['docker-compose.yml', 'docker-compose.override.yml']);
  assert.deepEqual(commandText(db), ['--wait_timeout', '60']);
  assert.deepEqual([...db.environment.keys()], ['MYSQL_DATABASE', 'TZ', 'EXTRA']);
  assert.equal(db.environment.get('TZ')?.item?.text, 'TZ=Europe/Paris');
  assert.equal(db.environment.get('TZ')?.span.path, 'docker-compose.override.yml');
  assert.deepEqual(
    db.volumes.map((v) => [v.spec.source, v.spec.target, v.span.path]),
    [
      ['./other', '/etc/mysql/conf.d', 'docker-compose.override.yml'],
      ['data', '/var/lib/mysql', 'docker-compose.yml'],
    ],
  );
  assert.deepEqual([...db.sysctls.keys()], ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_keepalive_intvl']);
  assert.equal(db.image?.span.line, 3);
});

test('anchors and merge keys, !reset and !override, extends in the same file and from another file', () => {
  const p = project(
    {
      'compose.yaml': [
        'x-db: &db',
        '  image: mariadb:10.11',
        '  command: --max-connections=10',
        '  environment: &env',
        '    A: "1"',
        'services:',
        '  db:',
        '    <<: *db',
        '    command: --max-connections=20',
        '  replica:',
        '    extends: db',
        '    environment:',
        '      B: "2"',
        '  other:',
        '    extends:',
        '      file: common.yml',
        '      service: base',
        '',
      ].join('\n'),
      'compose.override.yml': ['services:', '  db:', '    command: !reset null', '    environment: !override', '      C: "3"', ''].join(
        '\n',
      ),
      'common.yml': ['services:', '  base:', '    image: mysql:8.4', '    command: --wait-timeout=5', ''].join('\n'),
    },
    ['compose.yaml', 'compose.override.yml'],
  );
  const db = service(p, 'db');
  assert.equal(db.image?.text, 'mariadb:10.11');
  assert.equal(db.command, undefined);
  assert.deepEqual([...db.environment.keys()], ['C']);
  // A merge key's value is written at the anchor: its span points there.
  assert.equal(db.image?.span.line, 2);
  const replica = service(p, 'replica');
  assert.equal(commandText(replica), '--max-connections=20');
  assert.deepEqual([...replica.environment.keys()], ['A', 'B']);
  const other = service(p, 'other');
  assert.equal(other.image?.text, 'mysql:8.4');
  assert.deepEqual(p.extraFiles, ['common.yml']);
});

test('extends cycles, invalid templates and values of the wrong type make Compose refuse the project', () => {
  const cycle = project({ 'compose.yaml': 'services:\n  a:\n    extends: b\n  b:\n    extends: a\n' });
  assert.equal(cycle.refused, true);
  assert.match(cycle.problems[0]?.message ?? '', /Circular reference/);
  const template = project({ 'compose.yaml': 'services:\n  db:\n    image: mysql:${TAG\n' });
  assert.equal(template.refused, true);
  assert.match(template.problems[0]?.message ?? '', /Invalid template.*Compose refuses the project/);
  assert.equal(template.problems[0]?.span.line, 3);
  const type = project({ 'compose.yaml': 'services:\n  db:\n    command: {a: 1}\n' });
  assert.match(type.problems[0]?.message ?? '', /services\.db\.command must be a string or a list/);
});

test('interpolation uses the project variables; a list item is split at its first = after interpolation', () => {
  const lookup: Lookup = (n) => (n === 'TAG' ? { value: '11.4' } : n === 'PROFILE' ? { value: 'prod' } : undefined);
  const p = project(
    {
      'compose.yaml': [
        'services:',
        '  db:',
        '    image: mariadb:${TAG:-10.11}',
        '  app:',
        '    build: .',
        '    environment:',
        '      - SPRING_PROFILES_ACTIVE=${PROFILE}',
        '      - PASSED',
        '      - LIFE=${LIFE}',
        '',
      ].join('\n'),
    },
    undefined,
    lookup,
  );
  const db = service(p, 'db');
  assert.equal(db.image?.value && knownText(db.image.value), 'mariadb:11.4');
  const app = service(p, 'app');
  const vars = serviceVariables(app, lookup, () => undefined);
  assert.deepEqual(
    vars.variables.map((v) => [v.key, v.text]),
    [
      ['SPRING_PROFILES_ACTIVE', 'prod'],
      ['PASSED', null],
      ['LIFE', null],
    ],
  );
  const profile = vars.variables[0];
  assert.deepEqual([profile?.keySpan.line, profile?.keySpan.column, profile?.keySpan.endColumn], [7, 9, 31]);
});

test('env_file values are interpolated with the project variables, then environment: wins over them', () => {
  const p = project({
    'compose.yaml': [
      'services:',
      '  app:',
      '    build: ./app',
      '    env_file: [./app/a.env, {path: ./app/missing.env, required: false}, ./app/b.env]',
      '    environment:',
      '      OVER: from-compose',
      '',
    ].join('\n'),
  });
  const files: Record<string, string> = {
    'app/a.env': 'DB_HOST=db\nOVER=from-file\nURL=jdbc:mysql://${DB_HOST}:3306/app\n',
    'app/b.env': "DB_HOST=db2\nRAW='${DB_HOST}'\n",
  };
  const vars = serviceVariables(
    service(p, 'app'),
    () => undefined,
    (path) => (files[path] ? parseDotenv(path, files[path]) : undefined),
  );
  assert.deepEqual(vars.files, ['app/a.env', 'app/b.env']);
  assert.deepEqual(
    vars.variables.map((v) => [v.key, v.text, v.span.path, v.span.line]),
    [
      ['DB_HOST', 'db2', 'app/b.env', 1],
      ['URL', 'jdbc:mysql://db:3306/app', 'app/a.env', 3],
      ['RAW', '${DB_HOST}', 'app/b.env', 2],
      ['OVER', 'from-compose', 'compose.yaml', 6],
    ],
  );
});

test('hostile YAML: a billion-laughs alias chain and deep merge keys end with problems, not a hang', () => {
  const lines = ['a0: &a0 {image: mysql}'];
  for (let i = 1; i < 30; i++) lines.push(`a${i}: &a${i} {<<: [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]}`);
  lines.push('services:', '  db:', '    <<: *a29', '');
  const started = Date.now();
  const p = project({ 'compose.yaml': lines.join('\n') });
  assert.ok(Date.now() - started < 5000);
  assert.equal(p.services.get('db')?.image?.text, 'mysql');
});
