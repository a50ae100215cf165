// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose's own ${VAR} syntax is what these inputs hold
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import { knownText } from '../../src/interpreters/compose/interpolate.js';
import { loadProject } from '../../src/interpreters/compose/project.js';
import { parseYaml } from '../../src/parsers/yaml.js';
import { tempRepo } from '../temp-repo.js';

function project(files: Record<string, string>, env: Record<string, Record<string, string>> = {}) {
  const parsed = Object.fromEntries(Object.entries(files).map(([p, t]) => [p, parseYaml(p, t).file]));
  const root = Object.keys(files)[0] as string;
  return loadProject('.', [{ path: root, file: parsed[root] as NonNullable<(typeof parsed)[string]> }], {
    lookup: () => undefined,
    readCompose: (path) => (parsed[path] ? { path, file: parsed[path] } : undefined),
    readEnvFile: (path) =>
      env[path] ? (name) => (env[path]?.[name] === undefined ? undefined : { value: env[path]?.[name] as string }) : undefined,
  });
}

test('include: with project_directory resolves the included file against it; its env_file fills its variables', () => {
  const p = project(
    {
      'docker-compose.yml': 'include:\n  - path: mariadb/compose.yml\n    project_directory: .\n    env_file: mariadb/defaults.env\n',
      'mariadb/compose.yml':
        'services:\n  mariadb:\n    build:\n      context: ./mariadb\n    image: db:${MARIADB_VERSION}\n    volumes:\n      - ./conf:/etc/mysql/conf.d\n',
    },
    { 'mariadb/defaults.env': { MARIADB_VERSION: '11.4' } },
  );
  const db = p.services.get('mariadb');
  assert.ok(db);
  assert.equal(db.build?.base, '.');
  assert.equal(db.volumes[0]?.dir, '.');
  assert.equal(db.image?.value ? knownText(db.image.value) : undefined, 'db:11.4');
  assert.deepEqual(db.files, ['mariadb/compose.yml']);
  assert.deepEqual(
    p.included.map((i) => [i.path, i.by.line]),
    [['mariadb/compose.yml', 2]],
  );
});

test('include: a plain path resolves against the included file folder; the including file merges over it; a missing file is a note', () => {
  const p = project({
    'compose.yml': 'include:\n  - db/compose.yml\n  - nowhere/compose.yml\nservices:\n  db:\n    command: --wait-timeout=60\n',
    'db/compose.yml': 'services:\n  db:\n    build: .\n',
  });
  const db = p.services.get('db');
  assert.equal(db?.build?.base, 'db');
  assert.equal(db?.command?.kind, 'string');
  assert.deepEqual(
    p.problems.map((x) => [x.severity, x.span.line, x.message]),
    [['note', 3, 'include: nowhere/compose.yml is not in the scanned tree (or cannot be read); its services are not read']],
  );
  assert.equal(p.refused, false);
});

test('laradock shape: the root includes mariadb/compose.yml (project_directory .), which is no project of its own; the server is MariaDB', async () => {
  const { model } = await lint({
    cwd: tempRepo({
      'docker-compose.yml':
        'networks:\n  backend: {}\ninclude:\n  - path: mariadb/compose.yml\n    project_directory: .\n    env_file: mariadb/defaults.env\n',
      'mariadb/compose.yml':
        'services:\n  mariadb:\n    build:\n      context: ./mariadb\n      args:\n        - MARIADB_VERSION=${MARIADB_VERSION}\n    environment:\n      - MYSQL_DATABASE=${MARIADB_DATABASE}\n',
      'mariadb/defaults.env': 'MARIADB_VERSION=11.4\nMARIADB_DATABASE=default\n',
      'mariadb/Dockerfile': 'ARG MARIADB_VERSION=latest\nFROM mariadb:${MARIADB_VERSION}\nCOPY my.cnf /etc/mysql/conf.d/my.cnf\n',
      'mariadb/my.cnf': '[mysqld]\nwait_timeout = 600\n',
    }),
    paths: [],
  });
  const compose = model.servers.filter((s) => s.id.includes('compose'));
  assert.deepEqual(
    compose.map((s) => [s.id, s.engine]),
    [['mariadb:docker-compose.yml#mariadb', 'mariadb']],
  );
  assert.match(compose[0]?.engineReason ?? '', /^built from mariadb on image mariadb:latest \(mariadb\/Dockerfile:2\)/);
  const files = new Map(model.files.map((f) => [f.path, f]));
  assert.equal(files.get('docker-compose.yml')?.kind, 'compose');
  assert.equal(files.get('mariadb/compose.yml')?.reason, 'included by docker-compose.yml:4 (top-level include:)');
  assert.equal(files.get('mariadb/Dockerfile')?.kind, 'compose');
  assert.equal(model.servers.find((s) => s.root === 'mariadb/my.cnf')?.engine, 'mariadb');
});
