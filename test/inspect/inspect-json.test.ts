import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { type InspectDocument, type InspectInput, inspectJson } from '../../src/inspect/inspect-json.js';
import type { Host, Link, Model, Pool, Server } from '../../src/model/model.js';
import type { Origin, Setting } from '../../src/model/setting.js';
import type { Span } from '../../src/model/span.js';

// Compiled to dist/test/inspect/, the schema stays at the repository root.
const schema = JSON.parse(readFileSync(new URL('../../../schema/inspect.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;

function span(path: string, line: number, column = 1, length = 5): Span {
  return { path, line, column, endLine: line, endColumn: column + length };
}

function file(path: string, line: number, column = 1): Origin {
  return { kind: 'file', span: span(path, line, column), via: [] };
}

const CNF = 'deploy/my.cnf';
const TUNING = 'deploy/conf.d/tuning.cnf';
const HIKARI = 'app/src/main/resources/hikari.properties';
const C3P0 = 'reports/c3p0.properties';
const SYSCTL = 'etc/sysctl.d/90-keepalive.conf';
const CONFIG = 'connlint.config.yaml';
// biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder exactly as written in a properties file
const KEEPALIVE_PLACEHOLDER = '${KEEPALIVE_MS}';
const PLACEHOLDER_REASON = `'${KEEPALIVE_PLACEHOLDER}' is a placeholder filled in outside HikariCP (build or deployment), so its value is not known here`;

/** Settings as the model builders make them; `reversed` inserts them in the other order (output must not change). */
function settingMap(list: Setting[], reversed: boolean): Map<string, Setting> {
  const ordered = reversed ? [...list].reverse() : list;
  return new Map(ordered.map((s) => [s.canonicalKey, s]));
}

function fileServer(reversed: boolean): Server {
  const settings: Setting[] = [
    {
      key: 'wait-timeout',
      canonicalKey: 'wait_timeout',
      raw: '600',
      text: '600',
      value: { kind: 'duration', ms: 600_000 },
      origin: { kind: 'file', span: span(TUNING, 2), via: [span(CNF, 3, 1, 24)] },
      group: 'mysqld',
      overrides: [file(CNF, 6)],
      unit: 's',
    },
    {
      key: 'loose-interactive-timeout',
      canonicalKey: 'interactive_timeout',
      raw: '"900"',
      text: '900',
      value: { kind: 'duration', ms: 900_000 },
      origin: file(CNF, 7),
      group: 'mysqld',
      overrides: [],
      unit: 's',
    },
    {
      key: 'max_allowed_packet',
      canonicalKey: 'max_allowed_packet',
      raw: null,
      text: null,
      value: { kind: 'size', bytes: 67_108_864 },
      origin: { kind: 'server-default', engine: 'mysql', fact: 'mysql-server.md, Settings: max_allowed_packet' },
      overrides: [],
    },
    {
      key: 'connect_timeout',
      canonicalKey: 'connect_timeout',
      raw: '1',
      text: '1',
      value: { kind: 'duration', ms: 2000 },
      origin: file(CNF, 8),
      group: 'mysqld',
      overrides: [],
      clamp: {
        written: { kind: 'duration', ms: 1000 },
        reason: "option 'connect_timeout': value 1 adjusted to 2",
        fact: 'mysql-server.md, Settings: connect_timeout',
      },
      unit: 's',
    },
  ];
  return {
    id: `mysql:${CNF}`,
    engine: 'mysql',
    family: 'mysql',
    engineReason: 'no MariaDB-only option group, so MySQL is assumed',
    source: 'file',
    root: CNF,
    files: [CNF, TUNING],
    groups: ['mysqld', 'server'],
    origin: span(CNF, 1),
    settings: settingMap(settings, reversed),
  };
}

const POSTGRES_DEFAULT: Server = {
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

function hikariPool(reversed: boolean): Pool {
  const hikariDefault = (fact: string): Origin => ({ kind: 'library-default', library: 'hikaricp', version: '6.2.1', fact });
  const maxLifetime: Setting = {
    key: 'maxLifetime',
    canonicalKey: 'maxLifetime',
    raw: '10000',
    text: '10000',
    value: { kind: 'duration', ms: 1_800_000 },
    origin: file(HIKARI, 3),
    overrides: [],
    clamp: {
      written: { kind: 'duration', ms: 10_000 },
      reason: 'maxLifetime is less than 30000ms, setting to default 1800000ms.',
      fact: 'hikaricp.md, Settings: maxLifetime',
    },
    unit: 'ms',
  };
  const idleTimeout: Setting = {
    key: 'idleTimeout',
    canonicalKey: 'idleTimeout',
    raw: null,
    text: null,
    value: { kind: 'duration', ms: 600_000 },
    origin: hikariDefault('hikaricp.md, Settings: idleTimeout'),
    overrides: [],
    unit: 'ms',
  };
  const keepaliveTime: Setting = {
    key: 'keepaliveTime',
    canonicalKey: 'keepaliveTime',
    raw: KEEPALIVE_PLACEHOLDER,
    text: KEEPALIVE_PLACEHOLDER,
    value: { kind: 'unknown', reason: PLACEHOLDER_REASON },
    origin: file(HIKARI, 4),
    overrides: [],
    unit: 'ms',
  };
  const settings: Setting[] = [
    {
      key: 'jdbcUrl',
      canonicalKey: 'jdbcUrl',
      raw: 'jdbc:mysql://app:s3cret@db:3306/orders',
      text: 'jdbc:mysql://app:s3cret@db:3306/orders',
      value: { kind: 'string', value: 'jdbc:mysql://app:s3cret@db:3306/orders' },
      origin: file(HIKARI, 1),
      overrides: [],
    },
    {
      key: 'password',
      canonicalKey: 'password',
      raw: 'hunter2',
      text: 'hunter2',
      value: { kind: 'string', value: 'hunter2' },
      origin: file(HIKARI, 2),
      overrides: [file(HIKARI, 9)],
    },
    maxLifetime,
    keepaliveTime,
    idleTimeout,
    {
      key: 'minimumIdle',
      canonicalKey: 'minimumIdle',
      raw: null,
      text: null,
      value: { kind: 'count', value: 10 },
      origin: hikariDefault('hikaricp.md, Settings: minimumIdle = maximumPoolSize'),
      overrides: [],
    },
  ];
  return {
    id: `hikaricp:${HIKARI}`,
    library: 'hikaricp',
    name: 'orders-pool',
    libraryVersion: { version: '6.2.1', span: span(CONFIG, 8, 14) },
    engine: 'mysql',
    engineReason: 'Connector/J URL in jdbcUrl',
    origin: span(HIKARI, 1),
    settings: settingMap(settings, reversed),
    idle: [
      { kind: 'keepalive', setting: keepaliveTime, boundMs: undefined, refreshesServer: true, note: PLACEHOLDER_REASON },
      {
        kind: 'idle-timeout',
        setting: idleTimeout,
        boundMs: undefined,
        refreshesServer: false,
        note: 'minimumIdle (10) connections are never idle-retired',
      },
      { kind: 'max-lifetime', setting: maxLifetime, boundMs: 1_800_000, refreshesServer: false },
    ],
    validatesOnCheckout: { value: true, fact: 'hikaricp.md, Behaviour: checkout validation when idle > 500 ms' },
  };
}

function c3p0Pool(): Pool {
  const c3p0Default = (fact: string): Origin => ({ kind: 'library-default', library: 'c3p0', fact });
  const maxIdleTime: Setting = {
    key: 'c3p0.maxIdleTime',
    canonicalKey: 'maxIdleTime',
    raw: '300',
    text: '300',
    value: { kind: 'duration', ms: 300_000 },
    origin: file(C3P0, 2),
    overrides: [],
    unit: 's',
  };
  const testPeriod: Setting = {
    key: 'idleConnectionTestPeriod',
    canonicalKey: 'idleConnectionTestPeriod',
    raw: null,
    text: null,
    value: { kind: 'duration', ms: 0 },
    origin: c3p0Default('java-pools.md, c3p0 table'),
    overrides: [],
    unit: 's',
  };
  return {
    id: `c3p0:${C3P0}`,
    library: 'c3p0',
    name: C3P0,
    engine: 'postgresql',
    engineReason: 'pgjdbc URL in c3p0.jdbcUrl',
    origin: span(C3P0, 1),
    settings: new Map([
      ['idleConnectionTestPeriod', testPeriod],
      ['maxIdleTime', maxIdleTime],
      [
        'testConnectionOnCheckout',
        {
          key: 'testConnectionOnCheckout',
          canonicalKey: 'testConnectionOnCheckout',
          raw: null,
          text: null,
          value: { kind: 'bool', value: false },
          origin: c3p0Default('java-pools.md, c3p0 table'),
          overrides: [],
        },
      ],
    ]),
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
}

const HOST: Host = {
  id: 'host:.',
  root: '.',
  files: [SYSCTL],
  settings: new Map<string, Setting>([
    [
      'net.ipv4.tcp_keepalive_intvl',
      {
        key: 'net.ipv4.tcp_keepalive_intvl',
        canonicalKey: 'net.ipv4.tcp_keepalive_intvl',
        raw: null,
        text: null,
        value: { kind: 'duration', ms: 75_000 },
        origin: { kind: 'os-default', os: 'linux', fact: 'sysctl.md: tcp_keepalive_intvl default 75 s' },
        overrides: [],
        unit: 's',
      },
    ],
    [
      'net.ipv4.tcp_keepalive_time',
      {
        key: 'net.ipv4.tcp_keepalive_time',
        canonicalKey: 'net.ipv4.tcp_keepalive_time',
        raw: '600',
        text: '600',
        value: { kind: 'duration', ms: 600_000 },
        origin: file(SYSCTL, 1),
        overrides: [],
        unit: 's',
      },
    ],
  ]),
};

function buildModel(reversed = false): Model {
  const server = fileServer(reversed);
  const hikari = hikariPool(reversed);
  const c3p0 = c3p0Pool();
  const links: Link[] = [
    { pool: hikari, server, via: [], reason: 'only-candidate', note: `${CNF} is the only MySQL server configuration` },
    {
      pool: c3p0,
      server: POSTGRES_DEFAULT,
      via: [],
      reason: 'engine-default',
      note: 'no PostgreSQL server configuration found, so its documented defaults are assumed',
    },
  ];
  return {
    files: [],
    servers: [server],
    pools: reversed ? [hikari, c3p0] : [c3p0, hikari],
    hosts: [HOST],
    network: {
      idleTimeout: {
        key: 'network.profile aws-nat-gateway',
        canonicalKey: 'network.idleTimeout',
        raw: 'aws-nat-gateway',
        text: null,
        value: { kind: 'duration', ms: 350_000 },
        origin: { kind: 'config', span: span(CONFIG, 3, 12) },
        overrides: [],
      },
      profiles: [
        {
          profile: {
            id: 'aws-nat-gateway',
            device: 'AWS NAT gateway',
            idleTimeoutMs: 350_000,
            expiry: 'rst-next',
            fact: 'network-idle-timeouts.md: AWS NAT gateway 350 s',
          },
          span: span(CONFIG, 3, 12),
        },
      ],
    },
    links: reversed ? links : [...links].reverse(),
  };
}

function input(reversed = false): InspectInput {
  return {
    model: buildModel(reversed),
    notes: new Map([[CNF, ['!includedir /etc/mysql/conf.d/ read as deploy/conf.d (mounts)']]]),
    configPath: CONFIG,
  };
}

const at = (path: string, line: number, column = 1) => ({ path, line, column });

// Written by hand from the model above: each value, unit and source checked against the brief's rules.
const EXPECTED: InspectDocument = {
  version: 1,
  servers: [
    {
      id: 'mysql:deploy/my.cnf',
      engine: 'mysql',
      engineReason: 'no MariaDB-only option group, so MySQL is assumed',
      version: null,
      source: 'file',
      root: CNF,
      files: [CNF, TUNING],
      groups: ['mysqld', 'server'],
      settings: [
        {
          key: 'connect_timeout',
          written: 'connect_timeout',
          loose: false,
          raw: '1',
          text: '1',
          value: 2000,
          unit: 'ms',
          source: 'clamped',
          origin: at(CNF, 8),
          group: 'mysqld',
          overrides: [],
          clamp: {
            written: 1000,
            unit: 'ms',
            reason: "option 'connect_timeout': value 1 adjusted to 2",
            fact: 'mysql-server.md, Settings: connect_timeout',
          },
        },
        {
          key: 'interactive_timeout',
          written: 'loose-interactive-timeout',
          loose: true,
          raw: '"900"',
          text: '900',
          value: 900_000,
          unit: 'ms',
          source: 'file',
          origin: at(CNF, 7),
          group: 'mysqld',
          overrides: [],
        },
        {
          key: 'max_allowed_packet',
          written: null,
          loose: false,
          raw: null,
          text: null,
          value: 67_108_864,
          unit: 'bytes',
          source: 'default',
          origin: null,
          default: 'MySQL default; mysql-server.md, Settings: max_allowed_packet',
          overrides: [],
        },
        {
          key: 'wait_timeout',
          written: 'wait-timeout',
          loose: false,
          raw: '600',
          text: '600',
          value: 600_000,
          unit: 'ms',
          source: 'file',
          origin: at(TUNING, 2),
          group: 'mysqld',
          overrides: [at(CNF, 6)],
        },
      ],
      notes: ['!includedir /etc/mysql/conf.d/ read as deploy/conf.d (mounts)'],
    },
    {
      id: 'postgresql:default',
      engine: 'postgresql',
      engineReason: 'no server configuration found; the engine defaults apply',
      version: null,
      source: 'default',
      root: null,
      files: [],
      groups: [],
      settings: [],
      notes: [],
    },
  ],
  pools: [
    {
      id: 'c3p0:reports/c3p0.properties',
      library: 'c3p0',
      libraryVersion: null,
      name: C3P0,
      engine: 'postgresql',
      engineReason: 'pgjdbc URL in c3p0.jdbcUrl',
      environment: null,
      origin: at(C3P0, 1),
      validatesOnCheckout: { value: false, fact: 'java-pools.md, c3p0: testConnectionOnCheckout defaults to false' },
      idle: [
        {
          kind: 'idle-timeout',
          key: 'maxIdleTime',
          boundMs: 300_000,
          refreshesServer: false,
          note: 'checked by the cull task and again at checkout',
        },
        { kind: 'keepalive', key: 'idleConnectionTestPeriod', boundMs: null, refreshesServer: true, note: null },
      ],
      settings: [
        {
          key: 'idleConnectionTestPeriod',
          written: null,
          loose: false,
          raw: null,
          text: null,
          value: 0,
          unit: 'ms',
          source: 'default',
          origin: null,
          default: 'c3p0 default; java-pools.md, c3p0 table',
          overrides: [],
        },
        {
          key: 'maxIdleTime',
          written: 'c3p0.maxIdleTime',
          loose: false,
          raw: '300',
          text: '300',
          value: 300_000,
          unit: 'ms',
          source: 'file',
          origin: at(C3P0, 2),
          overrides: [],
        },
        {
          key: 'testConnectionOnCheckout',
          written: null,
          loose: false,
          raw: null,
          text: null,
          value: false,
          unit: 'bool',
          source: 'default',
          origin: null,
          default: 'c3p0 default; java-pools.md, c3p0 table',
          overrides: [],
        },
      ],
    },
    {
      id: `hikaricp:${HIKARI}`,
      library: 'hikaricp',
      libraryVersion: { version: '6.2.1', origin: at(CONFIG, 8, 14) },
      name: 'orders-pool',
      engine: 'mysql',
      engineReason: 'Connector/J URL in jdbcUrl',
      environment: null,
      origin: at(HIKARI, 1),
      validatesOnCheckout: { value: true, fact: 'hikaricp.md, Behaviour: checkout validation when idle > 500 ms' },
      idle: [
        { kind: 'max-lifetime', key: 'maxLifetime', boundMs: 1_800_000, refreshesServer: false, note: null },
        {
          kind: 'idle-timeout',
          key: 'idleTimeout',
          boundMs: null,
          refreshesServer: false,
          note: 'minimumIdle (10) connections are never idle-retired',
        },
        { kind: 'keepalive', key: 'keepaliveTime', boundMs: null, refreshesServer: true, note: PLACEHOLDER_REASON },
      ],
      settings: [
        {
          key: 'idleTimeout',
          written: null,
          loose: false,
          raw: null,
          text: null,
          value: 600_000,
          unit: 'ms',
          source: 'default',
          origin: null,
          default: 'HikariCP 6.2.1 default; hikaricp.md, Settings: idleTimeout',
          overrides: [],
        },
        {
          key: 'jdbcUrl',
          written: 'jdbcUrl',
          loose: false,
          raw: 'jdbc:mysql://app:****@db:3306/orders',
          text: 'jdbc:mysql://app:****@db:3306/orders',
          value: 'jdbc:mysql://app:****@db:3306/orders',
          unit: null,
          source: 'file',
          origin: at(HIKARI, 1),
          overrides: [],
        },
        {
          key: 'keepaliveTime',
          written: 'keepaliveTime',
          loose: false,
          raw: KEEPALIVE_PLACEHOLDER,
          text: KEEPALIVE_PLACEHOLDER,
          value: null,
          unit: null,
          source: 'unknown',
          origin: at(HIKARI, 4),
          overrides: [],
          unknown: PLACEHOLDER_REASON,
        },
        {
          key: 'maxLifetime',
          written: 'maxLifetime',
          loose: false,
          raw: '10000',
          text: '10000',
          value: 1_800_000,
          unit: 'ms',
          source: 'clamped',
          origin: at(HIKARI, 3),
          overrides: [],
          clamp: {
            written: 10_000,
            unit: 'ms',
            reason: 'maxLifetime is less than 30000ms, setting to default 1800000ms.',
            fact: 'hikaricp.md, Settings: maxLifetime',
          },
        },
        {
          key: 'minimumIdle',
          written: null,
          loose: false,
          raw: null,
          text: null,
          value: 10,
          unit: 'count',
          source: 'default',
          origin: null,
          default: 'HikariCP 6.2.1 default; hikaricp.md, Settings: minimumIdle = maximumPoolSize',
          overrides: [],
        },
        {
          key: 'password',
          written: 'password',
          loose: false,
          raw: '****',
          text: '****',
          value: '****',
          unit: null,
          source: 'file',
          origin: at(HIKARI, 2),
          overrides: [at(HIKARI, 9)],
        },
      ],
    },
  ],
  hosts: [
    {
      id: 'host:.',
      root: '.',
      files: [SYSCTL],
      settings: [
        {
          key: 'net.ipv4.tcp_keepalive_intvl',
          written: null,
          loose: false,
          raw: null,
          text: null,
          value: 75_000,
          unit: 'ms',
          source: 'default',
          origin: null,
          default: 'Linux default; sysctl.md: tcp_keepalive_intvl default 75 s',
          overrides: [],
        },
        {
          key: 'net.ipv4.tcp_keepalive_time',
          written: 'net.ipv4.tcp_keepalive_time',
          loose: false,
          raw: '600',
          text: '600',
          value: 600_000,
          unit: 'ms',
          source: 'file',
          origin: at(SYSCTL, 1),
          overrides: [],
        },
      ],
    },
  ],
  network: {
    idleTimeout: { ms: 350_000, origin: at(CONFIG, 3, 12), key: 'network.profile aws-nat-gateway' },
    profiles: [
      {
        id: 'aws-nat-gateway',
        device: 'AWS NAT gateway',
        idleTimeoutMs: 350_000,
        expiry: 'rst-next',
        fact: 'network-idle-timeouts.md: AWS NAT gateway 350 s',
        origin: at(CONFIG, 3, 12),
      },
    ],
  },
  links: [
    {
      pool: 'c3p0:reports/c3p0.properties',
      server: 'postgresql:default',
      via: [],
      reason: 'engine-default',
      note: 'no PostgreSQL server configuration found, so its documented defaults are assumed',
    },
    {
      pool: `hikaricp:${HIKARI}`,
      server: 'mysql:deploy/my.cnf',
      via: [],
      reason: 'only-candidate',
      note: 'deploy/my.cnf is the only MySQL server configuration',
    },
  ],
};

test('the document is exactly the hand-written one', () => {
  assert.deepStrictEqual(inspectJson(input()), EXPECTED);
});

test('key order is fixed: the serialized text equals that of the expected object', () => {
  assert.equal(JSON.stringify(inspectJson(input())), JSON.stringify(EXPECTED));
});

test('output is byte-identical across calls and across Map and array insertion orders', () => {
  const a = JSON.stringify(inspectJson(input(false)), null, 2);
  const b = JSON.stringify(inspectJson(input(false)), null, 2);
  const c = JSON.stringify(inspectJson(input(true)), null, 2);
  assert.equal(a, b);
  assert.equal(a, c);
});

test('secrets never reach the document', () => {
  const text = JSON.stringify(inspectJson(input()));
  assert.ok(!text.includes('hunter2'));
  assert.ok(!text.includes('s3cret'));
  assert.ok(text.includes('jdbc:mysql://app:****@db:3306/orders'));
});

test('an engine-default server reached only through a link is listed once, as source default', () => {
  const doc = inspectJson(input());
  const defaults = doc.servers.filter((s) => s.id === 'postgresql:default');
  assert.equal(defaults.length, 1);
  assert.equal(defaults[0]?.source, 'default');
  for (const l of doc.links)
    assert.ok(
      doc.servers.some((s) => s.id === l.server),
      l.server,
    );
});

test('a model with nothing in it gives empty lists and a null network timeout', () => {
  const doc = inspectJson({
    model: { files: [], servers: [], pools: [], hosts: [], network: { profiles: [] }, links: [] },
    notes: new Map(),
  });
  assert.deepStrictEqual(doc, { version: 1, servers: [], pools: [], hosts: [], network: { idleTimeout: null, profiles: [] }, links: [] });
});

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(schema);

test('the document validates against schema/inspect.schema.json', () => {
  for (const doc of [inspectJson(input()), inspectJson({ model: buildModel(true), notes: new Map() })]) {
    assert.equal(validate(doc), true, JSON.stringify(validate.errors, null, 2));
  }
});

test('the schema rejects broken documents', () => {
  const broken: Array<[string, (d: InspectDocument) => void]> = [
    ['unknown unit', (d) => Object.assign(d.servers[0]?.settings[0] ?? {}, { unit: 'minutes' })],
    ['missing overrides', (d) => Reflect.deleteProperty(d.pools[0]?.settings[0] ?? {}, 'overrides')],
    ['extra property', (d) => Object.assign(d.hosts[0] ?? {}, { kernel: '6.1' })],
    ['unknown link reason', (d) => Object.assign(d.links[0] ?? {}, { reason: 'guess' })],
    ['wrong version', (d) => Object.assign(d, { version: 2 })],
    ['origin with a zero line', (d) => Object.assign(d.pools[1]?.origin ?? {}, { line: 0 })],
  ];
  for (const [what, breakIt] of broken) {
    const doc = structuredClone(inspectJson(input()));
    breakIt(doc);
    assert.equal(validate(doc), false, what);
  }
});

test('every property in the schema has a description', () => {
  const missing: string[] = [];
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) walk(n, `${where}/${i}`);
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    for (const key of ['properties', 'definitions']) {
      const children = o[key];
      if (children && typeof children === 'object') {
        for (const [name, child] of Object.entries(children)) {
          const c = child as Record<string, unknown>;
          if (typeof c.description !== 'string' || c.description === '') missing.push(`${where}/${key}/${name}`);
        }
      }
    }
    for (const [k, v] of Object.entries(o)) walk(v, `${where}/${k}`);
  };
  walk(schema, '#');
  assert.deepStrictEqual(missing, []);
});
