import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lint, UsageError } from '../src/engine/run.js';
import { inspectJson } from '../src/inspect/inspect-json.js';
import { renderer } from '../src/report/index.js';
import { tempRepo } from './temp-repo.js';

/** A small seeded generator (mulberry32), so a failure names a reproducible case. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES: Record<string, string[]> = {
  cnf: [
    '[mysqld]',
    '[mariadb]',
    '[client]',
    '[mysqld',
    'wait_timeout = 600',
    'wait-timeout=8h',
    'loose-wait_timeout=',
    'max_allowed_packet = 64M',
    '!include a.cnf',
    '!includedir conf.d',
    '!include ../../x.cnf',
    '!include /etc/mysql/conf.d/x.cnf',
    'x = "unbalanced',
    'y = \\t\\n',
    '# comment',
    'skip-name-resolve',
    '= 5',
    '\u00a0voil\u00e0 = 1',
    '',
  ],
  sysctl: [
    'net.ipv4.tcp_keepalive_time = 600',
    'net/ipv4/tcp_keepalive_time=0x20',
    '-net.ipv4.tcp_keepalive_probes = 999',
    'net.ipv4.tcp_keepalive_intvl = 60s # no',
    'garbage line',
    '; comment',
    'net.ipv4.conf.*.rp_filter = 2',
    '',
  ],
  properties: [
    'jdbcUrl=jdbc:mysql://u:pw@db/app',
    'maxLifetime=1800000',
    'maxLifetime = 20000 ',
    'keepaliveTime=30s',
    'minimumIdle=0',
    'idleTimeout=5000',
    'MaxLifetime=1',
    'c3p0.maxIdleTime=900',
    'c3p0.testConnectionOnCheckout=yes',
    'key\\',
    '  continued',
    '\\u12',
    '! comment',
    'password=secret1',
    '',
  ],
  yaml: [
    'network:',
    '  idleTimeout: 350s',
    '  profile: aws-nat-gateway',
    'database:',
    '  variables:',
    '    wait_timeout: 300',
    'rules: {',
    'libraries:',
    '  hikaricp: 5.1.0',
    '- list',
    '',
  ],
  compose: [
    'services:',
    '  db:',
    '    image: mysql:8.0',
    '    image: mariadb:10.11',
    '    command: --wait-timeout=300 --max-connections=8h',
    "    command: ['--wait_timeout', '60', '--loose-x']",
    '    volumes:',
    '      - ./mysql/conf.d:/etc/mysql/conf.d:ro',
    '      - &v ./my.cnf:/etc/mysql/my.cnf',
    '      - *v',
    '    sysctls:',
    '      net.ipv4.tcp_keepalive_time: 7200',
    '      - net.ipv4.tcp_keepalive_time=60s',
    '  app:',
    '    build: ./app',
    '    environment:',
    '      SPRING_DATASOURCE_URL: jdbc:mysql://u:secret1@db/app',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose and Spring placeholders, not a template literal
    '      - SPRING_DATASOURCE_HIKARI_MAXLIFETIME=${LIFE:-1800000}',
    '      SPRING_PROFILES_ACTIVE: prod',
    '    <<: *missing',
    '  [x: y',
    '',
  ],
  spring: [
    'spring:',
    '  datasource:',
    '    url: jdbc:mysql://db/app',
    '    password: secret1',
    '    hikari:',
    '      max-lifetime: 30m',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose and Spring placeholders, not a template literal
    '      maxLifetime: ${DB_LIFE:1800000}',
    '      keepalive-time: 10000',
    '    tomcat:',
    '      test-on-borrow: false',
    '---',
    'spring.config.activate.on-profile: prod',
    'spring.profiles: dev',
    'spring.datasource.hikari.max-lifetime=600000',
    '#---',
    '  : broken',
    '',
  ],
};
const FILES: Array<[string, keyof typeof PIECES]> = [
  ['docker-compose.yml', 'compose'],
  ['docker-compose.override.yml', 'compose'],
  ['app/src/main/resources/application.yml', 'spring'],
  ['app/src/main/resources/application-prod.properties', 'spring'],
  ['my.cnf', 'cnf'],
  ['a.cnf', 'cnf'],
  ['conf.d/b.cnf', 'cnf'],
  ['etc/sysctl.conf', 'sysctl'],
  ['etc/sysctl.d/10-x.conf', 'sysctl'],
  ['app/hikari.properties', 'properties'],
  ['app/c3p0.properties', 'properties'],
  ['connlint.config.yaml', 'yaml'],
];

function randomText(rand: () => number, kind: keyof typeof PIECES): string {
  const pieces = PIECES[kind] ?? [];
  const lines: string[] = [];
  const n = Math.floor(rand() * 12);
  for (let i = 0; i < n; i++) {
    if (rand() < 0.1) lines.push(String.fromCharCode(...Array.from({ length: Math.floor(rand() * 20) }, () => Math.floor(rand() * 256))));
    else lines.push(pieces[Math.floor(rand() * pieces.length)] ?? '');
  }
  const eol = rand() < 0.2 ? '\r\n' : '\n';
  return lines.join(eol) + (rand() < 0.5 ? eol : '');
}

test('random trees of every format: no crash, no internal error, spans inside the files, secrets never shown', async () => {
  const rand = prng(20261125);
  let linted = 0;
  let reported = 0;
  for (let round = 0; round < 150; round++) {
    const files: Record<string, string> = {};
    for (const [name, kind] of FILES) if (rand() < 0.7) files[name] = randomText(rand, kind);
    const dir = tempRepo(files, 'connlint-fuzz-');
    let run: Awaited<ReturnType<typeof lint>>;
    try {
      run = await lint({ cwd: dir, paths: [] });
    } catch (error) {
      assert.ok(error instanceof UsageError, `round ${round}: ${String(error)}`);
      continue;
    }
    const { findings } = run.result;
    linted++;
    reported += findings.length;
    assert.deepEqual(
      findings.filter((f) => f.ruleId === 'internal-error').map((f) => f.message),
      [],
      `round ${round}`,
    );
    for (const f of findings) {
      // Lines as an editor counts them: a lone CR ends a line too (java.util.Properties agrees).
      const lines = readFileSync(join(dir, f.location.path), 'utf8').split(/\r\n|\r|\n/);
      assert.ok(f.location.line >= 1 && f.location.line <= Math.max(lines.length, 1), `round ${round}: ${JSON.stringify(f)} in ${dir}`);
      assert.ok(f.location.column >= 1 && f.location.endColumn >= 1, `round ${round}: ${JSON.stringify(f.location)}`);
    }
    const output = [
      ...(['stylish', 'json', 'sarif', 'github'] as const).map((format) => renderer(format)(run.result, { color: false })),
      JSON.stringify(inspectJson({ model: run.model })),
    ].join('\n');
    for (const secret of ['secret1', ':pw@']) assert.ok(!output.includes(secret), `round ${round}: ${secret} reached the output`);
  }
  // The generator must exercise the linter, not only the config loader's refusals.
  assert.ok(linted > 50 && reported > 100, `only ${linted} rounds linted with ${reported} findings`);
});
