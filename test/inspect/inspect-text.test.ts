import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { InspectInput } from '../../src/inspect/inspect-json.js';
import { hostFor, inspectText, timelineMarkers } from '../../src/inspect/inspect-text.js';
import type { Host, Link, Model, Pool, Server } from '../../src/model/model.js';
import type { Origin, Setting } from '../../src/model/setting.js';
import type { Span } from '../../src/model/span.js';

// Compiled to dist/test/inspect/, the snapshots stay in test/inspect/snapshots/. The colour snapshot
// shows ESC as the two characters `\e` so it can be read and reviewed as text.
const snapshot = (name: string) => readFileSync(new URL(`../../../test/inspect/snapshots/${name}`, import.meta.url), 'utf8');

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping SGR codes is the point
const SGR = /\u001b\[[0-9;]*m/g;

function span(path: string, line: number, column = 1, length = 5): Span {
  return { path, line, column, endLine: line, endColumn: column + length };
}

function file(path: string, line: number, column = 1): Origin {
  return { kind: 'file', span: span(path, line, column), via: [] };
}

function setting(key: string, canonicalKey: string, value: Setting['value'], origin: Origin, extra: Partial<Setting> = {}): Setting {
  const isFile = origin.kind === 'file' || origin.kind === 'config';
  return { key, canonicalKey, raw: null, text: null, value, origin, overrides: [], ...(isFile ? {} : { key: canonicalKey }), ...extra };
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: placeholders exactly as written in a properties file
const [KEEPALIVE_PLACEHOLDER, PASSWORD_PLACEHOLDER] = ['${KEEPALIVE_MS}', '${DB_PASSWORD:hunter2}'];
const ms = (n: number): Setting['value'] => ({ kind: 'duration', ms: n });
const CNF = 'deploy/my.cnf';
const TUNING = 'deploy/conf.d/tuning.cnf';
const HIKARI = 'app/src/main/resources/hikari.properties';
const CONFIG = 'connlint.config.yaml';
const mysqlDefault = (fact: string): Origin => ({ kind: 'server-default', engine: 'mysql', fact });
const hikariDefault: Origin = { kind: 'library-default', library: 'hikaricp', version: '6.2.1', fact: 'hikaricp.md, Settings' };
const c3p0Default: Origin = { kind: 'library-default', library: 'c3p0', fact: 'java-pools.md, c3p0 table' };
const linux = (fact: string): Origin => ({ kind: 'os-default', os: 'linux', fact });

function mapOf(list: Setting[]): Map<string, Setting> {
  return new Map(list.map((s) => [s.canonicalKey, s]));
}

function server(root: string, settings: Setting[], files: string[]): Server {
  return {
    id: `mysql:${root}`,
    engine: 'mysql',
    family: 'mysql',
    engineReason: 'no MariaDB-only option group, so MySQL is assumed',
    source: 'file',
    root,
    files,
    groups: ['mysqld', 'server'],
    origin: span(root, 1),
    settings: mapOf(settings),
  };
}

function buildModel(): Model {
  const deploy = server(
    CNF,
    [
      setting('wait-timeout', 'wait_timeout', ms(600_000), file(TUNING, 2), {
        raw: '600',
        text: '600',
        group: 'mysqld',
        overrides: [file(CNF, 6)],
        unit: 's',
      }),
      setting('loose-interactive-timeout', 'interactive_timeout', ms(900_000), file(CNF, 7), {
        raw: '900',
        text: '900',
        group: 'mysqld',
        unit: 's',
      }),
      setting('max_allowed_packet', 'max_allowed_packet', { kind: 'size', bytes: 67_108_864 }, mysqlDefault('mysql-server.md, Settings')),
    ],
    [CNF, TUNING],
  );
  const legacy = server(
    'legacy/my.cnf',
    [setting('wait_timeout', 'wait_timeout', ms(28_800_000), mysqlDefault('mysql-server.md, Settings'))],
    ['legacy/my.cnf'],
  );
  const postgresDefault: Server = {
    id: 'postgresql:default',
    engine: 'postgresql',
    family: 'postgresql',
    engineReason: 'no server configuration found; the engine defaults apply',
    source: 'default',
    root: null,
    files: [],
    groups: [],
    origin: null,
    settings: new Map(),
  };

  const maxLifetime = setting('maxLifetime', 'maxLifetime', ms(1_800_000), file(HIKARI, 3), {
    raw: '10000',
    text: '10000',
    clamp: {
      written: ms(10_000),
      reason: 'maxLifetime is less than 30000ms, setting to default 1800000ms.',
      fact: 'hikaricp.md, Settings',
    },
  });
  const idleTimeout = setting('idleTimeout', 'idleTimeout', ms(600_000), hikariDefault);
  const keepaliveTime = setting(
    'keepaliveTime',
    'keepaliveTime',
    { kind: 'unknown', reason: `'${KEEPALIVE_PLACEHOLDER}' is a placeholder filled in outside HikariCP` },
    file(HIKARI, 4),
    {
      raw: KEEPALIVE_PLACEHOLDER,
      text: KEEPALIVE_PLACEHOLDER,
    },
  );
  const password = setting(
    'password',
    'password',
    { kind: 'unknown', reason: `'${PASSWORD_PLACEHOLDER}' is a placeholder filled in outside HikariCP` },
    file(HIKARI, 2),
    {
      raw: PASSWORD_PLACEHOLDER,
      text: PASSWORD_PLACEHOLDER,
    },
  );
  const hikari: Pool = {
    id: `hikaricp:${HIKARI}`,
    library: 'hikaricp',
    name: 'orders-pool',
    libraryVersion: { version: '6.2.1', span: span(CONFIG, 8, 14) },
    engine: 'mysql',
    engineReason: 'Connector/J URL in jdbcUrl',
    origin: span(HIKARI, 1),
    settings: mapOf([
      maxLifetime,
      idleTimeout,
      keepaliveTime,
      password,
      setting('jdbcUrl', 'jdbcUrl', { kind: 'string', value: 'jdbc:mysql://app:s3cret@db/orders' }, file(HIKARI, 1)),
    ]),
    idle: [
      { kind: 'max-lifetime', setting: maxLifetime, boundMs: 1_800_000, refreshesServer: false },
      {
        kind: 'keepalive',
        setting: keepaliveTime,
        boundMs: undefined,
        refreshesServer: true,
        note: keepaliveTime.value.kind === 'unknown' ? keepaliveTime.value.reason : '',
      },
      {
        kind: 'idle-timeout',
        setting: idleTimeout,
        boundMs: undefined,
        refreshesServer: false,
        note: 'minimumIdle (10) connections are never idle-retired',
      },
    ],
    validatesOnCheckout: { value: true, fact: 'hikaricp.md, Behaviour: checkout validation when idle > 500 ms' },
  };

  const maxIdleTime = setting('c3p0.maxIdleTime', 'maxIdleTime', ms(300_000), file('reports/c3p0.properties', 2), {
    raw: '300',
    text: '300',
    unit: 's',
  });
  const testPeriod = setting('idleConnectionTestPeriod', 'idleConnectionTestPeriod', ms(0), c3p0Default);
  const reports: Pool = {
    id: 'c3p0:reports/c3p0.properties',
    library: 'c3p0',
    name: 'reports/c3p0.properties',
    engine: 'postgresql',
    engineReason: 'pgjdbc URL',
    origin: span('reports/c3p0.properties', 1),
    settings: mapOf([maxIdleTime, testPeriod]),
    idle: [
      {
        kind: 'idle-timeout',
        setting: maxIdleTime,
        boundMs: 300_000,
        refreshesServer: false,
        note: 'checked by the cull task and again at checkout',
      },
      { kind: 'keepalive', setting: testPeriod, boundMs: undefined, refreshesServer: true },
    ],
    validatesOnCheckout: { value: false, fact: 'java-pools.md, c3p0: testConnectionOnCheckout defaults to false' },
  };
  const orphan: Pool = {
    ...reports,
    id: 'c3p0:tools/c3p0.properties',
    name: 'tools/c3p0.properties',
    origin: span('tools/c3p0.properties', 1),
    idle: [],
  };
  delete orphan.engine;
  delete orphan.engineReason;

  const hostSettings = (time: Setting): Map<string, Setting> =>
    mapOf([
      time,
      setting('net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_intvl', ms(75_000), linux('sysctl.md')),
      setting('net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_keepalive_probes', { kind: 'count', value: 9 }, linux('sysctl.md')),
    ]);
  const root: Host = {
    id: 'host:.',
    root: '.',
    files: ['etc/sysctl.d/90-keepalive.conf'],
    settings: hostSettings(
      setting('net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_keepalive_time', ms(600_000), file('etc/sysctl.d/90-keepalive.conf', 1), {
        raw: '600',
        text: '600',
      }),
    ),
  };
  const batch: Host = {
    id: 'host:images/batch',
    root: 'images/batch',
    files: ['images/batch/etc/sysctl.conf'],
    settings: hostSettings(setting('net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_keepalive_time', ms(7_200_000), linux('sysctl.md'))),
  };
  const links: Link[] = [
    {
      pool: hikari,
      server: deploy,
      via: [],
      reason: 'nearest-directory',
      note: `assumed ${CNF}, the nearest of 2 server configurations; map pools to servers with \`links\` in connlint.config.yaml`,
    },
    {
      pool: reports,
      server: postgresDefault,
      via: [],
      reason: 'engine-default',
      note: 'no PostgreSQL server configuration found, so its documented defaults are assumed',
    },
  ];
  return {
    files: [],
    servers: [deploy, legacy],
    pools: [hikari, reports, orphan],
    hosts: [root, batch],
    network: {
      idleTimeout: setting(
        'network.profile aws-nat-gateway',
        'network.idleTimeout',
        ms(350_000),
        { kind: 'config', span: span(CONFIG, 3, 12) },
        { raw: 'aws-nat-gateway' },
      ),
      profiles: [
        {
          profile: {
            id: 'aws-nat-gateway',
            device: 'AWS NAT gateway',
            idleTimeoutMs: 350_000,
            expiry: 'rst-next',
            fact: 'network-idle-timeouts.md',
          },
          span: span(CONFIG, 3, 12),
        },
      ],
    },
    links,
  };
}

function input(): InspectInput {
  return {
    model: buildModel(),
    notes: new Map([[CNF, ['!includedir /etc/mysql/conf.d/ read as deploy/conf.d (mounts)']]]),
    configPath: CONFIG,
  };
}

test('snapshot at 80 columns without colour (reviewed by hand)', () => {
  assert.equal(inspectText(input(), { color: false, width: 80 }), snapshot('inspect-text-80.txt'));
});

test('snapshot at 80 columns with colour (reviewed by hand; ESC written as \\e)', () => {
  assert.equal(inspectText(input(), { color: true, width: 80 }).replaceAll('\u001b', '\\e'), snapshot('inspect-text-80-color.txt'));
});

test('without colour the output is plain ASCII and colour adds only SGR codes', () => {
  for (const width of [60, 80, 120]) {
    const plain = inspectText(input(), { color: false, width });
    const colored = inspectText(input(), { color: true, width });
    assert.ok(
      [...plain].every((c) => c === '\n' || (c >= ' ' && c <= '~')),
      `ASCII at ${width}`,
    );
    assert.equal(colored.replace(SGR, ''), plain);
    for (const line of plain.split('\n')) assert.ok(line.length <= width, `${width}: ${line}`);
  }
});

test('secrets never reach the text', () => {
  const text = inspectText(input(), { color: false, width: 80 });
  assert.ok(!text.includes('hunter2'));
  assert.ok(!text.includes('s3cret'));
});

test('the markers of a link: pool mechanisms, the nearest host keepalive, the network, wait_timeout', () => {
  const model = buildModel();
  const hikari = model.links.find((l) => l.pool.library === 'hikaricp') as Link;
  assert.deepStrictEqual(timelineMarkers(hikari, model), {
    markers: [
      { label: 'maxLifetime 30 min', ms: 1_800_000, kind: 'pool', refreshes: false },
      { label: 'idleTimeout 10 min', ms: undefined, kind: 'pool', refreshes: false },
      { label: 'tcp_keepalive_time 10 min', ms: 600_000, kind: 'keepalive', refreshes: true },
      { label: 'aws-nat-gateway idle timeout 350 s', ms: 350_000, kind: 'network', refreshes: false },
      { label: 'wait_timeout 10 min', ms: 600_000, kind: 'server', refreshes: false },
    ],
    unknown: [`keepaliveTime ('${KEEPALIVE_PLACEHOLDER}' is a placeholder filled in outside HikariCP)`],
  });
  // pgjdbc leaves SO_KEEPALIVE off, so the kernel's keepalive is drawn but refreshes nothing.
  const reports = model.links.find((l) => l.pool.library === 'c3p0') as Link;
  const tcp = timelineMarkers(reports, model).markers.find((m) => m.kind === 'keepalive');
  assert.deepStrictEqual(tcp, { label: 'tcp_keepalive_time 10 min (off in the driver)', ms: 600_000, kind: 'keepalive', refreshes: false });
});

test('with no sysctl tree the Linux default 7200 s is assumed', () => {
  const model = { ...buildModel(), hosts: [] };
  const hikari = model.links.find((l) => l.pool.library === 'hikaricp') as Link;
  const tcp = timelineMarkers(hikari, model).markers.find((m) => m.kind === 'keepalive');
  assert.deepStrictEqual(tcp, { label: 'tcp_keepalive_time 2 h (Linux default)', ms: 7_200_000, kind: 'keepalive', refreshes: true });
});

test('hostFor: nearest ancestor directory, else the only host, else none', () => {
  const model = buildModel();
  const [root, batch] = model.hosts as [Host, Host];
  const poolAt = (path: string): Pool => ({ ...(model.pools[0] as Pool), origin: span(path, 1) });
  assert.deepStrictEqual(hostFor(poolAt('images/batch/app/pool.properties'), [root, batch]), { host: batch, reason: 'nearest-ancestor' });
  assert.deepStrictEqual(hostFor(poolAt('app/pool.properties'), [root, batch]), { host: root, reason: 'nearest-ancestor' });
  assert.deepStrictEqual(hostFor(poolAt('app/pool.properties'), [batch]), { host: batch, reason: 'only-host' });
  const other: Host = { ...batch, id: 'host:images/web', root: 'images/web' };
  assert.deepStrictEqual(hostFor(poolAt('app/pool.properties'), [batch, other]), { reason: 'linux-default' });
});

test('an empty model says so and prints the network', () => {
  const empty: Model = { files: [], servers: [], pools: [], hosts: [], network: { profiles: [] }, links: [] };
  assert.equal(
    inspectText({ model: empty, notes: new Map() }, { color: false, width: 80 }),
    'connlint inspect: 0 links, 0 servers, 0 pools, 0 hosts\n\nnot on any link\n  network: no idle timeout declared\n',
  );
});
