import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { Ajv } from 'ajv';
import type { InspectDocument, JsonPath, JsonPathElement } from '../../src/inspect/inspect-json.js';
import type { PathElement } from '../../src/model/idle-path.js';
import { inspectRepo, KEEPALIVE_PLACEHOLDER, removeRepos, SHOP, TIE } from './repos.js';

// Compiled to dist/test/inspect/, the schema and the docs stay at the repository root.
const schema = JSON.parse(readFileSync(new URL('../../../schema/inspect.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const docs = readFileSync(new URL('../../../docs/inspect.md', import.meta.url), 'utf8');
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(schema);

after(removeRepos);

const HIKARI = 'app/src/main/resources/hikari.properties';
const C3P0 = 'reports/c3p0.properties';

function docPath(doc: InspectDocument, poolFile: string): JsonPath {
  const found = doc.paths.find((p) => p.pool.endsWith(`:${poolFile}`));
  assert.ok(found, `no path for ${poolFile}`);
  return found;
}

const brief = (e: JsonPathElement) => `${e.place} ${e.effect} ${e.label}`;

test('version 2 with every top-level field, in order', async () => {
  const { doc } = await inspectRepo(SHOP);
  assert.equal(doc.version, 2);
  assert.deepStrictEqual(Object.keys(doc), [
    'version',
    'files',
    'servers',
    'clients',
    'pools',
    'holders',
    'hosts',
    'network',
    'links',
    'paths',
  ]);
});

test('files: every file looked at, read or not, with its format, owner and reason, sorted by path', async () => {
  const { doc } = await inspectRepo(SHOP);
  assert.deepStrictEqual(
    doc.files.map((f) => [f.path, f.format]),
    [
      ['app/etc/sysctl.d/60-keepalive.conf', 'sysctl'],
      [HIKARI, 'java-properties'],
      ['certs/openssl.cnf', null],
      ['connlint.config.yaml', 'connlint-config'],
      ['deploy/mysql/conf.d/timeouts.cnf', 'mysql-option-file'],
      ['deploy/mysql/my.cnf', 'mysql-option-file'],
      ['etc/sysctl.conf', 'sysctl'],
      ['legacy/client.cnf', null],
      [C3P0, 'java-properties'],
    ],
  );
  // OpenSSL's file has a `[ req ]` group, which no MySQL or MariaDB program reads: listed, not read, and why.
  assert.deepStrictEqual(
    doc.files.find((f) => f.path === 'certs/openssl.cnf'),
    {
      path: 'certs/openssl.cnf',
      read: false,
      format: null,
      owner: 'certain',
      reason: 'not a MySQL or MariaDB option file: its first group [req] is not read by any MySQL/MariaDB program',
      skipped: null,
    },
  );
  for (const f of doc.files) assert.equal(f.read, f.format !== null, f.path);
});

test('network: each declared element with its own timeout and expiry, in declaration order', async () => {
  const { doc } = await inspectRepo(TIE);
  assert.deepStrictEqual(doc.network.elements, [
    {
      id: 'network:aws-nat-gateway@connlint.config.yaml:2',
      name: 'aws-nat-gateway',
      device: 'AWS NAT gateway',
      idleTimeoutMs: 350_000,
      expiry: 'rst-next',
      fact: doc.network.elements[0]?.fact ?? '',
      origin: { path: 'connlint.config.yaml', line: 2, column: 13 },
    },
    {
      id: 'network:aws-gwlb@connlint.config.yaml:2',
      name: 'aws-gwlb',
      device: 'AWS Gateway Load Balancer',
      idleTimeoutMs: 350_000,
      expiry: 'silent',
      fact: doc.network.elements[1]?.fact ?? '',
      origin: { path: 'connlint.config.yaml', line: 2, column: 30 },
    },
  ]);
  assert.match(doc.network.elements[0]?.fact ?? '', /^network-idle-timeouts\.md: AWS NAT gateway 350 s/);
  assert.match(doc.network.elements[1]?.fact ?? '', /^network-idle-timeouts\.md: AWS GWLB 350 s/);
  const { doc: declared } = await inspectRepo(SHOP);
  assert.deepStrictEqual(declared.network.elements, [
    {
      id: 'network:network@connlint.config.yaml:2',
      name: 'network',
      device: 'the declared network idle timeout',
      idleTimeoutMs: 240_000,
      expiry: 'unknown',
      fact: 'declared in the config',
      origin: { path: 'connlint.config.yaml', line: 2, column: 16 },
    },
  ]);
});

test('two profiles at 350 s that expire differently: both fire first, both are killers, each keeps its expiry', async () => {
  const { doc } = await inspectRepo(TIE);
  const path = docPath(doc, 'app/hikari.properties');
  assert.deepStrictEqual(path.elements.map(brief), [
    'network drops aws-gwlb idle timeout 350 s',
    'network drops aws-nat-gateway idle timeout 350 s',
    'pool retires maxLifetime 30 min',
    'os probes tcp_keepalive_time 2 h (Linux default)',
    'server closes wait_timeout 8 h',
  ]);
  assert.deepStrictEqual(
    path.elements.slice(0, 2).map((e) => [e.of, e.expiry, e.ms]),
    [
      ['network:aws-gwlb@connlint.config.yaml:2', 'silent', 350_000],
      ['network:aws-nat-gateway@connlint.config.yaml:2', 'rst-next', 350_000],
    ],
  );
  assert.deepStrictEqual(path.verdict, { poolBound: 2, serverLimit: 4, networkFirst: [0, 1], keepalive: 3, killers: [0, 1] });
});

test('paths: one per pool in pool id order, linked server, host choice, elements by time, inactive ones apart', async () => {
  const { doc } = await inspectRepo(SHOP);
  assert.deepStrictEqual(
    doc.paths.map((p) => [p.pool, p.server, p.host]),
    [
      [`c3p0:${C3P0}`, 'postgresql:default', { id: 'host:.', reason: 'nearest-ancestor' }],
      [`hikaricp:${HIKARI}`, 'mysql:deploy/mysql/my.cnf', { id: 'host:app', reason: 'nearest-ancestor' }],
    ],
  );
  const hikari = docPath(doc, HIKARI);
  assert.deepStrictEqual(hikari.elements, [
    {
      place: 'network',
      effect: 'drops',
      label: 'network idle timeout 4 min',
      of: 'network:network@connlint.config.yaml:2',
      key: 'network.idleTimeout',
      ms: 240_000,
      origin: { path: 'connlint.config.yaml', line: 2, column: 16 },
      expiry: 'unknown',
      refreshesServer: false,
      refreshesNetwork: false,
      note: null,
    },
    {
      place: 'os',
      effect: 'probes',
      label: 'tcp_keepalive_time 5 min',
      of: 'host:app',
      key: 'net.ipv4.tcp_keepalive_time',
      ms: 300_000,
      origin: { path: 'app/etc/sysctl.d/60-keepalive.conf', line: 1, column: 1 },
      expiry: null,
      refreshesServer: false,
      refreshesNetwork: true,
      note: null,
    },
    {
      place: 'server',
      effect: 'closes',
      label: 'wait_timeout 10 min',
      of: 'mysql:deploy/mysql/my.cnf',
      key: 'wait_timeout',
      ms: 600_000,
      origin: { path: 'deploy/mysql/conf.d/timeouts.cnf', line: 2, column: 1 },
      expiry: null,
      refreshesServer: false,
      refreshesNetwork: false,
      note: null,
    },
    {
      place: 'pool',
      effect: 'retires',
      label: 'maxLifetime 30 min',
      of: `hikaricp:${HIKARI}`,
      key: 'maxLifetime',
      ms: 1_800_000,
      origin: { path: HIKARI, line: 4, column: 1 },
      expiry: null,
      refreshesServer: false,
      refreshesNetwork: false,
      note: null,
    },
  ]);
  // The placeholder keepaliveTime has no time: inactive, with the reason, never on the time line.
  assert.deepStrictEqual(
    hikari.inactive.map((e) => [e.place, e.effect, e.key, e.ms, e.note]),
    [
      [
        'pool',
        'none',
        'keepaliveTime',
        null,
        `'${KEEPALIVE_PLACEHOLDER}' is a placeholder filled in outside HikariCP (build or deployment), so its value is not known here`,
      ],
      ['pool', 'none', 'idleTimeout', null, 'minimumIdle (10) connections are never idle-retired'],
    ],
  );
  assert.deepStrictEqual(hikari.verdict, { poolBound: 3, serverLimit: 2, networkFirst: [0], keepalive: 1, killers: [0] });
});

test('a pgjdbc pool: the driver leaves TCP keepalive off, so the kernel keepalive is inactive and no verdict keepalive', async () => {
  const { doc } = await inspectRepo(SHOP);
  const c3p0 = docPath(doc, C3P0);
  const os = c3p0.inactive.find((e) => e.place === 'os');
  assert.deepStrictEqual(os, {
    place: 'os',
    effect: 'none',
    label: 'tcp_keepalive_time 2 h (off in the driver)',
    of: 'host:.',
    key: 'net.ipv4.tcp_keepalive_time',
    ms: null,
    origin: { path: 'etc/sysctl.conf', line: 1, column: 1 },
    expiry: null,
    refreshesServer: false,
    refreshesNetwork: false,
    note: os?.note ?? null,
  });
  assert.match(os?.note ?? '', /^PostgreSQL JDBC \(pgjdbc\) leaves TCP keepalive off/);
  assert.equal(c3p0.verdict.keepalive, null);
  // PostgreSQL has no idle limit connlint knows yet: no server element.
  assert.equal(c3p0.verdict.serverLimit, null);
  assert.ok(!c3p0.elements.some((e) => e.place === 'os' || e.place === 'server'));
});

test('a pool with no sysctl tree anywhere: Linux default keepalive, host null', async () => {
  const { doc } = await inspectRepo({ 'svc/hikari.properties': 'jdbcUrl=jdbc:mysql://db/svc\n' });
  const path = docPath(doc, 'svc/hikari.properties');
  assert.deepStrictEqual(path.host, { id: null, reason: 'linux-default' });
  const os = path.elements.find((e) => e.place === 'os');
  assert.deepStrictEqual(os, {
    place: 'os',
    effect: 'probes',
    label: 'tcp_keepalive_time 2 h (Linux default)',
    of: null,
    key: 'net.ipv4.tcp_keepalive_time',
    ms: 7_200_000,
    origin: null,
    expiry: null,
    refreshesServer: false,
    refreshesNetwork: true,
    note: 'Linux default',
  });
  assert.equal(path.verdict.keepalive, path.elements.indexOf(os as JsonPathElement));
  assert.deepStrictEqual(doc.hosts, []);
  assert.deepStrictEqual(doc.network.elements, []);
  assert.deepStrictEqual(path.verdict.networkFirst, []);
});

test('host choice: the nearest ancestor sysctl tree of the pool file, else the only one, else none', async () => {
  const { doc } = await inspectRepo({
    'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 600\n',
    'images/batch/etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 120\n',
    'images/batch/app/hikari.properties': 'jdbcUrl=jdbc:mysql://db/batch\n',
    'web/hikari.properties': 'jdbcUrl=jdbc:mysql://db/web\n',
  });
  assert.deepStrictEqual(docPath(doc, 'images/batch/app/hikari.properties').host, { id: 'host:images/batch', reason: 'nearest-ancestor' });
  assert.deepStrictEqual(docPath(doc, 'web/hikari.properties').host, { id: 'host:.', reason: 'nearest-ancestor' });
  assert.equal(docPath(doc, 'images/batch/app/hikari.properties').elements.find((e) => e.place === 'os')?.ms, 120_000);

  const { doc: only } = await inspectRepo({
    'images/batch/etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 120\n',
    'web/hikari.properties': 'jdbcUrl=jdbc:mysql://db/web\n',
  });
  assert.deepStrictEqual(docPath(only, 'web/hikari.properties').host, { id: 'host:images/batch', reason: 'only-host' });

  const { doc: none } = await inspectRepo({
    'images/a/etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 120\n',
    'images/b/etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 60\n',
    'web/hikari.properties': 'jdbcUrl=jdbc:mysql://db/web\n',
  });
  assert.deepStrictEqual(docPath(none, 'web/hikari.properties').host, { id: null, reason: 'linux-default' });
});

test('a pool of unknown engine has a path with no server', async () => {
  const { doc } = await inspectRepo({ 'tools/hikari.properties': 'maximumPoolSize=5\nmaxLifetime=600000\n' });
  const path = docPath(doc, 'tools/hikari.properties');
  assert.equal(path.server, null);
  assert.ok(!path.elements.some((e) => e.place === 'server'));
  assert.deepStrictEqual(doc.links, []);
});

test('the paths are the model paths the rules read: same elements, same verdict, nothing worked out again', async () => {
  for (const files of [SHOP, TIE]) {
    const { run, doc } = await inspectRepo(files);
    assert.equal(doc.paths.length, run.model.paths.length);
    for (const model of run.model.paths) {
      const json = docPath(doc, model.pool.origin.path);
      assert.deepStrictEqual(
        json.elements.map((e) => [e.label, e.ms]),
        model.elements.map((e) => [e.label, e.ms ?? null]),
      );
      assert.deepStrictEqual(json.inactive.map((e) => e.label).sort(), model.inactive.map((e) => e.label).sort());
      const at = (i: number | null) => (i === null ? undefined : json.elements[i]?.label);
      const label = (e: PathElement | undefined) => e?.label;
      const v = model.verdict;
      assert.equal(at(json.verdict.poolBound), label(v.poolBound));
      assert.equal(at(json.verdict.serverLimit), label(v.serverLimit));
      assert.equal(at(json.verdict.keepalive), label(v.keepalive));
      assert.deepStrictEqual(json.verdict.networkFirst.map(at), v.networkFirst.map(label));
      assert.deepStrictEqual(json.verdict.killers.map(at), v.killers.map(label));
    }
  }
});

test('secrets never reach the document: URL passwords, secret keys, a password quoted in a reason', async () => {
  const { doc } = await inspectRepo(SHOP);
  const text = JSON.stringify(doc);
  assert.ok(!text.includes('hunter2'), 'password value');
  assert.ok(!text.includes('s3cret'), 'URL password');
  const pool = doc.pools.find((p) => p.id === `hikaricp:${HIKARI}`);
  const setting = (key: string) => pool?.settings.find((s) => s.key === key);
  assert.deepStrictEqual([setting('password')?.raw, setting('password')?.text, setting('password')?.value], ['****', '****', '****']);
  assert.equal(setting('jdbcUrl')?.value, 'jdbc:mysql://app:****@db:3306/orders');
  assert.equal(
    doc.files.find((f) => f.path === 'legacy/client.cnf')?.reason,
    'not a MySQL or MariaDB option file: its first setting comes before any [group] header',
  );
});

test('output is byte-identical across runs and whatever order the walk finds files in', async () => {
  const a = JSON.stringify((await inspectRepo(SHOP)).doc, null, 2);
  const b = JSON.stringify((await inspectRepo(SHOP)).doc, null, 2);
  const c = JSON.stringify((await inspectRepo(SHOP, { order: (names) => [...names].reverse() })).doc, null, 2);
  assert.equal(a, b);
  assert.equal(a, c);
});

test('an engine-default server reached only through a link is listed once, as source default', async () => {
  const { doc } = await inspectRepo(SHOP);
  const defaults = doc.servers.filter((s) => s.id === 'postgresql:default');
  assert.equal(defaults.length, 1);
  assert.equal(defaults[0]?.source, 'default');
  for (const id of [...doc.links.map((l) => l.server), ...doc.paths.flatMap((p) => p.server ?? [])]) {
    assert.ok(
      doc.servers.some((s) => s.id === id),
      id,
    );
  }
});

test('an empty repository gives empty lists', async () => {
  const { doc } = await inspectRepo({ 'README.md': '# nothing here\n' });
  assert.deepStrictEqual(doc, {
    version: 2,
    files: [],
    servers: [],
    clients: [],
    pools: [],
    holders: [],
    hosts: [],
    network: { elements: [] },
    links: [],
    paths: [],
  });
});

test('every document validates against schema/inspect.schema.json', async () => {
  for (const files of [SHOP, TIE, { 'svc/hikari.properties': 'jdbcUrl=jdbc:mysql://db/svc\n' }, {}]) {
    const { doc } = await inspectRepo(files);
    assert.equal(validate(doc), true, JSON.stringify(validate.errors, null, 2));
  }
});

test('the schema rejects broken documents', async () => {
  const { doc: good } = await inspectRepo(SHOP);
  const broken: Array<[string, (d: InspectDocument) => void]> = [
    ['unknown unit', (d) => Object.assign(d.servers[0]?.settings[0] ?? {}, { unit: 'minutes' })],
    ['missing overrides', (d) => Reflect.deleteProperty(d.pools[0]?.settings[0] ?? {}, 'overrides')],
    ['extra property', (d) => Object.assign(d.hosts[0] ?? {}, { kernel: '6.1' })],
    ['unknown link reason', (d) => Object.assign(d.links[0] ?? {}, { reason: 'guess' })],
    ['version 1', (d) => Object.assign(d, { version: 1 })],
    ['origin with a zero line', (d) => Object.assign(d.pools[1]?.origin ?? {}, { line: 0 })],
    ['file without reason', (d) => Reflect.deleteProperty(d.files[0] ?? {}, 'reason')],
    ['unknown skip rule', (d) => Object.assign(d.files[0] ?? {}, { skipped: { ruleId: 'parse-error', message: 'x' } })],
    ['v1 network shape', (d) => Object.assign(d, { network: { idleTimeout: null, profiles: [] } })],
    ['unknown expiry', (d) => Object.assign(d.network.elements[0] ?? {}, { expiry: 'maybe' })],
    ['unknown effect', (d) => Object.assign(d.paths[0]?.elements[0] ?? {}, { effect: 'explodes' })],
    ['negative verdict index', (d) => Object.assign(d.paths[0]?.verdict ?? {}, { poolBound: -1 })],
    ['verdict label instead of index', (d) => Object.assign(d.paths[0]?.verdict ?? {}, { killers: ['network idle timeout 4 min'] })],
    ['unknown host reason', (d) => Object.assign(d.paths[0]?.host ?? {}, { reason: 'guess' })],
  ];
  assert.equal(validate(good), true);
  for (const [what, breakIt] of broken) {
    const doc = structuredClone(good);
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

test("docs/inspect.md: the example is fixtures/demo's document, trimmed (every object shown is the real one)", async () => {
  const block = /### Example\n[\s\S]*?```json\n([\s\S]*?)\n```/.exec(docs)?.[1];
  assert.ok(block, 'docs/inspect.md has no JSON example');
  const example = JSON.parse(block) as InspectDocument;
  assert.equal(validate(example), true, JSON.stringify(validate.errors));
  const { lint } = await import('../../src/engine/run.js');
  const { inspectJson } = await import('../../src/inspect/inspect-json.js');
  const run = await lint({ cwd: new URL('../../../fixtures/demo', import.meta.url).pathname, paths: [] });
  const real = inspectJson({ model: run.model });
  assert.equal(example.version, real.version);
  assert.deepStrictEqual(Object.keys(example), Object.keys(real));
  const byId = <T extends { id: string }>(list: T[], id: string) => list.find((x) => x.id === id);
  for (const f of example.files)
    assert.deepStrictEqual(
      f,
      real.files.find((r) => r.path === f.path),
    );
  for (const kind of ['servers', 'pools', 'hosts'] as const) {
    for (const shown of example[kind]) {
      const full = byId<(typeof real)[typeof kind][number]>(real[kind], shown.id) as unknown as Record<string, unknown>;
      assert.ok(full, `${kind} ${shown.id}`);
      for (const [key, value] of Object.entries(shown)) {
        if (key !== 'settings') assert.deepStrictEqual(value, full[key], `${kind} ${shown.id} ${key}`);
      }
      for (const s of shown.settings)
        assert.ok(
          (full.settings as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify(s)),
          `${shown.id} ${s.key}`,
        );
    }
  }
  assert.deepStrictEqual(example.network, real.network);
  for (const l of example.links) assert.ok(real.links.some((r) => JSON.stringify(r) === JSON.stringify(l)));
  for (const p of example.paths)
    assert.deepStrictEqual(
      p,
      real.paths.find((r) => r.pool === p.pool),
    );
});

test('clients: the mysql client of an option-file tree, its groups, every option it reads (secrets masked) and its server', async () => {
  const { doc } = await inspectRepo({
    'my.cnf':
      '[client]\nuser = app\npassword = hunter2\nmax_allowed_packet = 100000\n[mysql]\nmax_allowed_packet = 1G\n[mysqld]\nwait_timeout = 600\n',
  });
  assert.equal(doc.clients.length, 1);
  const client = doc.clients[0];
  assert.deepStrictEqual(
    { ...client, settings: client?.settings.map((s) => [s.key, s.value, s.unit, s.group, s.origin?.line, s.overrides.map((o) => o.line)]) },
    {
      id: 'client:my.cnf',
      program: 'mysql',
      root: 'my.cnf',
      files: ['my.cnf'],
      groups: ['mysql', 'client'],
      settings: [
        ['max_allowed_packet', 1073741824, 'bytes', 'mysql', 6, [4]],
        ['password', '****', null, 'client', 3, []],
        ['user', 'app', null, 'client', 2, []],
      ],
      serverId: 'mysql:my.cnf',
    },
  );
  assert.equal(JSON.stringify(doc).includes('hunter2'), false);
});
