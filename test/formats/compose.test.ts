// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose's own ${VAR} syntax is what these inputs hold
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyConfig } from '../../src/config/config.js';
import { createTreeView } from '../../src/discover/tree-view.js';
import { createLintCache } from '../../src/engine/cache.js';
import { lint } from '../../src/engine/run.js';
import { claimCompose, compose, composeProjects } from '../../src/formats/compose.js';
import { isNotRead } from '../../src/formats/format.js';
import { inspectJson } from '../../src/inspect/inspect-json.js';
import { inspectText } from '../../src/inspect/inspect-text.js';
import type { Server } from '../../src/model/model.js';
import { renderer } from '../../src/report/index.js';
import { tempRepo } from '../temp-repo.js';

async function run(files: Record<string, string>) {
  const dir = tempRepo(files, 'connlint-compose-');
  const r = await lint({ cwd: dir, paths: [] });
  const findings = r.result.findings.map(
    (f) => `${f.severity} ${f.ruleId} ${f.location.path}:${f.location.line}:${f.location.column} ${f.message}`,
  );
  assert.deepEqual(
    r.result.findings.filter((f) => f.ruleId === 'internal-error'),
    [],
  );
  return { r, findings, dir };
}

function seconds(server: Server | undefined, key: string): number | string | undefined {
  const v = server?.settings.get(key)?.value;
  if (v?.kind === 'duration') return v.ms / 1000;
  if (v?.kind === 'count') return v.value;
  return v?.kind;
}

test('claim: default Compose names and override names with a services key; other names are listed with why', () => {
  const services = 'services:\n  db:\n    image: mysql\n';
  assert.equal(compose.matchesName('deploy/docker-compose.yml'), true);
  assert.equal(compose.matchesName('compose.override.yaml'), true);
  assert.equal(compose.matchesName('docker-compose.prod.yml'), true);
  assert.equal(compose.matchesName('compose-files/app.yml'), false);
  assert.equal(compose.matchesName('application.yml'), false);
  const base = claimCompose('docker-compose.yml', services);
  assert.ok(!isNotRead(base) && base.owner === 'certain');
  const override = claimCompose('compose.override.yml', services);
  assert.ok(!isNotRead(override) && /override/.test(override.reason));
  const json = claimCompose('compose.yaml', '{"services": {"db": {"image": "mysql"}}}');
  assert.ok(!isNotRead(json));
  const variant = claimCompose('docker-compose.prod.yml', services);
  assert.ok(isNotRead(variant) && /only when a command names it \(-f\)/.test(variant.notRead));
  const none = claimCompose('docker-compose.yml', 'version: "3"\nvolumes:\n  data: {}\n  # services: none\n');
  assert.ok(isNotRead(none) && /no top-level services/.test(none.notRead));
  // laradock's docker-compose.yml: every service comes from `include:`, which is followed.
  const included = claimCompose('docker-compose.yml', 'networks:\n  backend: {}\ninclude:\n  - path: mysql/compose.yml\n');
  assert.ok(!isNotRead(included) && /top-level include: of other Compose files/.test(included.reason));
});

test('which files docker compose reads in a folder: the first default name, then the first override name', () => {
  const present = new Set(['compose.yaml', 'docker-compose.yml', 'docker-compose.override.yml', 'a/docker-compose.override.yml']);
  const { projects, notRead } = composeProjects([...present], (p) => present.has(p));
  assert.deepEqual(projects, [{ dir: '.', files: ['compose.yaml', 'docker-compose.override.yml'] }]);
  assert.deepEqual(
    notRead.map((n) => n.path),
    ['docker-compose.yml', 'a/docker-compose.override.yml'],
  );
  assert.match(notRead[0]?.reason ?? '', /reads compose\.yaml in this folder/);
  assert.match(notRead[1]?.reason ?? '', /no Compose file/);
});

test('a mysql service: command options win over the mounted conf.d and link the pool by its URL host', async () => {
  const { r, findings } = await run({
    'docker-compose.yml': [
      'services:',
      '  db:',
      '    image: mysql:8.0',
      '    command: --wait-timeout=300 --max_connections 500',
      '    volumes:',
      '      - ./mysql/conf.d:/etc/mysql/conf.d:ro',
      '  app:',
      '    build: ./app',
      '',
    ].join('\n'),
    'mysql/conf.d/timeouts.cnf': '[mysqld]\nwait_timeout = 100\ninteractive_timeout = 200\n',
    'app/hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\nmaxLifetime=600000\n',
  });
  assert.equal(r.model.servers.length, 1, 'the mounted file is the compose server, not a server of its own');
  const db = r.model.servers[0];
  assert.equal(db?.id, 'mysql:docker-compose.yml#db');
  assert.equal(db?.root, 'docker-compose.yml');
  assert.deepEqual(db?.hostnames, ['db']);
  assert.deepEqual(db?.files, ['mysql/conf.d/timeouts.cnf', 'docker-compose.yml']);
  assert.equal(db?.version, '8.0');
  assert.deepEqual([seconds(db, 'wait_timeout'), seconds(db, 'interactive_timeout'), seconds(db, 'max_connections')], [300, 200, 500]);
  const wait = db?.settings.get('wait_timeout');
  assert.equal(wait?.group, undefined);
  assert.deepEqual(
    wait?.overrides.map((o) => (o.kind === 'file' ? `${o.span.path}:${o.span.line}` : o.kind)),
    ['mysql/conf.d/timeouts.cnf:2'],
  );
  assert.equal(r.model.links[0]?.reason, 'url-host');
  assert.match(findings.find((f) => f.includes('pool-lifetime')) ?? '', /wait_timeout is 5 min \(docker-compose\.yml:4\)/);
  assert.ok(db?.notes.some((n) => n === '/etc/mysql/conf.d is mysql/conf.d (docker-compose.yml:6)'));
});

test('MariaDB reads mariadb.conf.d before conf.d; a file replacing /etc/my.cnf without the includedir leaves conf.d unread', async () => {
  const maria = await run({
    'compose.yaml': [
      'services:',
      '  db:',
      '    image: mariadb:10.11',
      '    volumes:',
      '      - ./conf.d:/etc/mysql/conf.d',
      '      - ./server.d:/etc/mysql/mariadb.conf.d',
      '',
    ].join('\n'),
    'conf.d/a.cnf': '[mariadb]\nwait_timeout = 60\n',
    'server.d/z.cnf': '[mysqld]\nwait_timeout = 900\n',
  });
  const db = maria.r.model.servers[0];
  assert.equal(db?.engine, 'mariadb');
  assert.deepEqual(db?.files, ['server.d/z.cnf', 'conf.d/a.cnf', 'compose.yaml']);
  assert.equal(seconds(db, 'wait_timeout'), 60);
  const via = db?.settings.get('wait_timeout')?.origin;
  assert.deepEqual(via?.kind === 'file' ? via.via.map((s) => `${s.path}:${s.line}`) : [], ['compose.yaml:5']);

  const replaced = await run({
    'docker-compose.yml': [
      'services:',
      '  db:',
      '    image: mysql:8.4',
      '    volumes:',
      '      - ./my.cnf:/etc/my.cnf',
      '      - ./conf.d:/etc/mysql/conf.d',
      '',
    ].join('\n'),
    'my.cnf': '[mysqld]\nwait_timeout = 120\n',
    'conf.d/a.cnf': '[mysqld]\nwait_timeout = 60\n',
  });
  const mysql = replaced.r.model.servers.find((s) => s.hostnames);
  assert.equal(seconds(mysql, 'wait_timeout'), 120);
  assert.deepEqual(
    replaced.findings.filter((f) => f.includes('does not read')),
    [
      'warning setting-ignored-by-library docker-compose.yml:6:9 mysqld in image mysql:8.4 does not read /etc/mysql/conf.d (mounted from ./conf.d): no option file it reads includes it (its /etc/my.cnf includes /etc/mysql/conf.d/; /etc/mysql/my.cnf is read after it)',
    ],
  );
});

test('a service built from a Dockerfile FROM mysql is a server; a folder mounted where a file goes is read by nobody', async () => {
  const { r, findings } = await run({
    'docker/docker-compose.yml': [
      'services:',
      '  db:',
      '    build: mysql',
      '    image: job-db:0.0.1',
      '    command: mysqld --wait-timeout=600',
      '    volumes:',
      '      - ./mysql/conf.d:/etc/mysql/conf.d/my.cnf',
      '',
    ].join('\n'),
    'docker/mysql/Dockerfile': '# base\nFROM mysql:8.0.39-debian\nRUN true\n',
    'docker/mysql/conf.d/my.cnf': '[mysqld]\nwait_timeout = 60\n',
  });
  assert.deepEqual(findings, [
    'warning setting-ignored-by-library docker/docker-compose.yml:7:9 /etc/mysql/conf.d/my.cnf is a folder (mounted from ./mysql/conf.d), not a file, so mysqld reads none of the option files in docker/mysql/conf.d; mount the folder on /etc/mysql/conf.d or a file on /etc/mysql/conf.d/my.cnf',
  ]);
  // The option file under the mount is the service's (read there or not): no server of its own.
  assert.deepEqual(
    r.model.servers.map((s) => [s.id, s.version, s.engineReason, seconds(s, 'wait_timeout')]),
    [
      [
        'mysql:docker/docker-compose.yml#db',
        '8.0.39',
        'built from docker/mysql on image mysql:8.0.39-debian (docker/mysql/Dockerfile:2) runs MySQL',
        600,
      ],
    ],
  );
  assert.deepEqual(r.model.hosts, []);
  assert.ok(r.model.files.some((f) => f.path === 'docker/mysql/Dockerfile' && f.kind === 'compose'));
});

test('an include of a folder the image does not have stops mysqld; for an image of unknown layout nothing is assumed', async () => {
  const files = (image: string) => ({
    'docker-compose.yml': `services:\n  db:\n    image: ${image}\n    volumes: ['./my.cnf:/etc/mysql/my.cnf']\n`,
    'my.cnf': '[mysqld]\nwait_timeout = 100\n!includedir /etc/mysql/mysql.conf.d/\n',
  });
  const oracle = await run(files('mysql:8.0'));
  assert.deepEqual(oracle.findings, [
    `error startup-failure my.cnf:3:1 Can't read dir of '/etc/mysql/mysql.conf.d/' (Errcode: 2 "No such file or directory"): mysqld refuses to start`,
  ]);
  const percona = await run(files('percona:8.0'));
  assert.deepEqual(percona.findings, []);
  assert.equal(seconds(percona.r.model.servers[0], 'wait_timeout'), 100);
});

test('mysqld refuses a command-line value as it refuses one in an option file, at the command line', async () => {
  const { findings, r } = await run({
    'docker-compose.yml': "services:\n  db:\n    image: mysql:8.0\n    command: ['--wait-timeout=8h', '--max-connections=99999999']\n",
  });
  assert.deepEqual(findings, [
    "error startup-failure docker-compose.yml:4:31 Unknown suffix 'h' used for variable 'wait_timeout' (value '8h'). Legal suffix characters are: K, M, G, T, P, E; mysqld refuses to start",
    `warning setting-ignored-by-library docker-compose.yml:4:55 mysqld does not use max-connections = 99999999: it logs the Warning "option 'max_connections': unsigned value 99999999 adjusted to 100000" at start-up and runs with 100000; write 100000`,
  ]);
  assert.equal(r.model.servers[0]?.settings.get('wait_timeout')?.value.kind, 'unknown');
});

test('--defaults-file, unknown values and commands that do not start mysqld', async () => {
  const { r, findings } = await run({
    'docker-compose.yml': [
      'services:',
      '  db:',
      '    image: mariadb:11.4',
      '    command: --defaults-file=/etc/custom/my.cnf --wait-timeout=${WAIT}',
      '    volumes: ["./custom:/etc/custom"]',
      '  other:',
      '    image: mysql:8.0',
      '    command: bash -c "mysqld --wait-timeout=5"',
      '',
    ].join('\n'),
    'custom/my.cnf': '[mysqld]\nmax_connections = 42\nwait_timeout = 30\n',
  });
  assert.deepEqual(findings, []);
  const db = r.model.servers.find((s) => s.id === 'mariadb:docker-compose.yml#db');
  assert.equal(seconds(db, 'max_connections'), 42);
  const wait = db?.settings.get('wait_timeout');
  assert.equal(wait?.value.kind, 'unknown');
  assert.match(wait?.value.kind === 'unknown' ? wait.value.reason : '', /\$\{WAIT\} is not set/);
  const other = r.model.servers.find((s) => s.id === 'mysql:docker-compose.yml#other');
  assert.equal(seconds(other, 'wait_timeout'), 28800);
  assert.ok(other?.notes.some((n) => /runs bash, not mysqld/.test(n)));
});

test('a container gets its own keepalive: sysctls, else Linux defaults, never the repository sysctl.conf', async () => {
  const { r, findings } = await run({
    'docker-compose.yml': [
      'services:',
      '  app:',
      '    build: ./app',
      '    sysctls:',
      '      net.ipv4.tcp_keepalive_time: 7200',
      '  worker:',
      '    build: ./worker',
      '    volumes: [./code:/srv/code]',
      '  edge:',
      '    build: ./edge',
      '    network_mode: host',
      '  side:',
      '    build: ./side',
      '    network_mode: service:app',
      '',
    ].join('\n'),
    'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 300\n',
    'app/hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\n',
    'worker/hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\n',
    'edge/hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\n',
    'side/hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\n',
    'code/hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\n',
  });
  assert.deepEqual(findings, []);
  const hostOf = (pool: string) => {
    const path = r.model.paths.find((p) => p.pool.origin.path === pool);
    const h = path?.host;
    const s = h?.host?.settings.get('net.ipv4.tcp_keepalive_time');
    return [h?.reason, h?.host?.id, s?.value.kind === 'duration' ? s.value.ms / 1000 : undefined];
  };
  assert.deepEqual(hostOf('app/hikari.properties'), ['container', 'host:docker-compose.yml#app', 7200]);
  assert.deepEqual(hostOf('worker/hikari.properties'), ['container', 'host:docker-compose.yml#worker', 7200]);
  // network_mode: host shares the machine's namespace: the repository's sysctl tree applies.
  assert.deepEqual(hostOf('edge/hikari.properties'), ['nearest-ancestor', 'host:.', 300]);
  assert.deepEqual(hostOf('side/hikari.properties'), ['container', 'host:docker-compose.yml#side', 7200]);
  // Folders mounted into the container run in it too.
  assert.deepEqual(hostOf('code/hikari.properties'), ['container', 'host:docker-compose.yml#worker@code', 7200]);
  const worker = r.model.hosts.find((h) => h.id === 'host:docker-compose.yml#worker');
  assert.equal(worker?.settings.get('net.ipv4.tcp_keepalive_time')?.origin.kind, 'os-default');
  assert.deepEqual(worker?.container, { service: 'worker', file: 'docker-compose.yml' });
});

test('declare: each application service says which variables reach the application it builds, with spans', async () => {
  const dir = tempRepo({
    'docker-compose.yml': [
      'services:',
      '  db:',
      '    image: mysql:8.0',
      '    environment:',
      '      MYSQL_ROOT_PASSWORD: hunter22',
      '  app:',
      '    build: ./app',
      '    env_file: app.env',
      '    environment:',
      '      SPRING_PROFILES_ACTIVE: ${PROFILE:-dev}',
      '      SPRING_DATASOURCE_HIKARI_MAX_LIFETIME: ${LIFE}',
      '  front:',
      '    image: example/front:1',
      '    environment: [API=http://app]',
      '  cache:',
      '    image: redis:7',
      '',
    ].join('\n'),
    '.env': 'LIFE=600000\n',
    'app.env': 'SPRING_DATASOURCE_URL=jdbc:mysql://db/app\n',
  });
  const module = await compose.load();
  const view = createTreeView(dir);
  const ctx = { config: emptyConfig(), view, cache: createLintCache() };
  const files = ['docker-compose.yml'].map((path) => {
    const text = view.readText(path) ?? '';
    return { path, text, claim: claimCompose(path, text) as { owner: 'certain'; reason: string } };
  });
  const declared = module.declare?.(files, ctx);
  assert.deepEqual(
    declared?.environments?.map((e) => [e.appDir, e.source, e.variables.map((v) => `${v.key}=${v.text}@${v.span.path}:${v.span.line}`)]),
    [
      [
        'app',
        'service app in docker-compose.yml (built from app)',
        [
          'SPRING_DATASOURCE_URL=jdbc:mysql://db/app@app.env:1',
          'SPRING_PROFILES_ACTIVE=dev@docker-compose.yml:10',
          'SPRING_DATASOURCE_HIKARI_MAX_LIFETIME=600000@docker-compose.yml:11',
        ],
      ],
      [
        '.',
        'service front in docker-compose.yml (image example/front:1, not built here: assumed to run the application configured in the scanned root)',
        ['API=http://app@docker-compose.yml:14'],
      ],
    ],
  );
  const life = declared?.environments?.[0]?.variables[2];
  assert.deepEqual([life?.raw, life?.valueSpan.line, life?.valueSpan.column], ['${LIFE}', 11, 46]);
});

test('secrets in environment: never in any reporter nor in inspect', async () => {
  const { r } = await run({
    'docker-compose.yml': [
      'services:',
      '  db:',
      '    image: mysql:8.0',
      '    command: --wait-timeout=8h',
      '    environment:',
      '      MYSQL_ROOT_PASSWORD: s3cr3t-root',
      '      MYSQL_PASSWORD: s3cr3t-user',
      '  app:',
      '    build: .',
      '    environment:',
      '      - SPRING_DATASOURCE_URL=jdbc:mysql://app:s3cr3t-url@db/app',
      '      - DB_PASSWORD=s3cr3t-app',
      '      - BAD KEY',
      '',
    ].join('\n'),
    'hikari.properties': 'jdbcUrl=jdbc:mysql://app:s3cr3t-url@db/app\npassword=s3cr3t-app\nmaxLifetime=600000\n',
  });
  const output = [
    ...(['stylish', 'json', 'sarif', 'github'] as const).map((f) => renderer(f)(r.result, { color: false })),
    JSON.stringify(inspectJson({ model: r.model })),
    inspectText({ model: r.model }, { color: false, width: 100 }),
  ].join('\n');
  assert.ok(r.result.findings.length > 0);
  for (const secret of ['s3cr3t-root', 's3cr3t-user', 's3cr3t-url', 's3cr3t-app']) assert.ok(!output.includes(secret), secret);
});

test('a file Compose cannot load gives problems with locations and no server; hostile YAML never hangs', async () => {
  const broken = await run({ 'docker-compose.yml': 'services:\n  db:\n    image: mysql:${TAG\n    command: --wait-timeout=1\n' });
  assert.deepEqual(broken.r.model.servers, []);
  assert.match(broken.findings[0] ?? '', /^error parse-error docker-compose\.yml:3:12 Invalid template/);

  const laughs = ['x0: &x0 [a, b]'];
  for (let i = 1; i < 40; i++) laughs.push(`x${i}: &x${i} [*x${i - 1}, *x${i - 1}, *x${i - 1}]`);
  laughs.push('services:', '  db:', '    image: mysql', '    command: *x39', '');
  const deep = `services:\n  db:\n    image: mysql\n    x: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
  const huge = `services:\n${Array.from({ length: 5000 }, (_, i) => `  s${i}:\n    image: mysql:8.0\n    command: --wait-timeout=${i + 1}\n`).join('')}`;
  const started = Date.now();
  for (const text of [laughs.join('\n'), deep]) {
    const { r, findings } = await run({ 'docker-compose.yml': text });
    assert.ok(
      findings.some((f) => f.startsWith('error parse-error docker-compose.yml:')),
      findings.join('\n'),
    );
    assert.deepEqual(r.model.servers, []);
  }
  const big = await run({ 'docker-compose.yml': huge });
  assert.equal(big.r.model.servers.length, 5000);
  assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
});

test("a containerised pool's keepalive is the container's: Linux's default there, whatever the host's sysctl.conf says, reported at the service", async () => {
  const dir = tempRepo({
    'docker-compose.yml': 'services:\n  db:\n    image: mysql:8.0\n  app:\n    build: ./app\n',
    'app/hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/x\nmaxLifetime=1800000\n',
    'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 60\n',
    'connlint.config.yaml': 'network:\n  profile: aws-gwlb\nlibraries:\n  hikaricp: 5.1.0\n',
  });
  const { result } = await lint({ cwd: dir, paths: [] });
  const keepalive = result.findings.filter((f) => f.ruleId === 'keepalive-exceeds-network-idle-timeout');
  assert.equal(keepalive.length, 1);
  assert.deepEqual([keepalive[0]?.location.path, keepalive[0]?.location.line], ['docker-compose.yml', 4]);
  assert.match(keepalive[0]?.message ?? '', /Linux default in the container of service app, which does not see the host's sysctl files/);
});

test('a mounted option file is judged once, as the service image reads it: no MySQL-only finding on a MariaDB service', async () => {
  const cwd = tempRepo({
    'docker-compose.yml': 'services:\n  db:\n    image: mariadb:10.11\n    volumes:\n      - ./mysql/conf.d:/etc/mysql/conf.d\n',
    'mysql/conf.d/my.cnf': '[mysqld]\ndefault_authentication_plugin = mysql_native_password\nwait_timeout = 8h\n',
  });
  const { result } = await lint({ cwd, paths: [] });
  assert.deepEqual(
    result.findings.map((f) => [f.ruleId, f.location.line]),
    [
      ['setting-ignored-by-library', 2],
      ['startup-failure', 3],
    ],
  );
});
