import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyConfig } from '../../src/config/config.js';
import { RULES } from '../../src/engine/registry.js';
import { runRules } from '../../src/engine/run.js';
import type { JsCall, JsValue } from '../../src/interpreters/js/value.js';
import { KEEPALIVE_TIME, linuxDefault } from '../../src/interpreters/linux/keepalive.js';
import { defaultServer } from '../../src/interpreters/mysql/server.js';
import { nodeDriverKeepalive, nodeDriverKeepaliveDelay, nodeMysqlPool } from '../../src/interpreters/node-mysql/pool.js';
import { assembleModel } from '../../src/model/assemble.js';
import type { Engine, NetworkElement, Pool } from '../../src/model/model.js';
import { lineSpan, type Span } from '../../src/model/span.js';

// JsValues as the evaluator leaves them for an imagined src/db.js, one option per line.
const FILE = 'src/db.js';
const at = (line: number, column = 3, length = 12): Span => lineSpan(FILE, line, column, length);
const num = (value: number, line: number): JsValue => ({ kind: 'number', value, span: at(line) });
const str = (value: string, line: number): JsValue => ({ kind: 'string', value, span: at(line) });
const bool = (value: boolean, line: number): JsValue => ({ kind: 'boolean', value, span: at(line) });
const env = (name: string, line: number, fallback?: JsValue, convert?: 'number' | 'boolean'): JsValue => ({
  kind: 'env',
  name,
  ...(fallback ? { fallback } : {}),
  ...(convert ? { convert } : {}),
  span: at(line),
});
const obj = (props: Record<string, JsValue>, line = 1): JsValue => ({
  kind: 'object',
  properties: Object.entries(props).map(([key, value]) => ({ key, value, span: value.span, keySpan: value.span })),
  span: at(line, 30, 5),
});
function call(callee: string, args: JsValue[], line = 1): JsCall {
  return { kind: 'call', callee, written: callee.replace(/^mysql2\/promise/, 'mysql'), isNew: false, args, span: at(line, 14, 20) };
}
const version = (v: string) => ({ version: v, span: lineSpan('package.json', 5, 5, 10) });

function pool(driver: 'mysql2' | 'mysql' | 'mariadb', options: JsValue | string, v?: string) {
  const arg = typeof options === 'string' ? str(options, 1) : options;
  const callee = driver === 'mysql2' ? 'mysql2/promise.createPool' : `${driver}.createPool`;
  return nodeMysqlPool({ path: FILE, call: call(callee, [arg]), driver, ...(v ? { version: version(v) } : {}) });
}
function only(r: ReturnType<typeof nodeMysqlPool>): Pool {
  assert.ok(r.pool, r.noPool);
  return r.pool;
}

const NAT: NetworkElement = {
  id: 'network:aws-nat-gateway@connlint.config.yaml:2',
  name: 'aws-nat-gateway',
  device: 'AWS NAT gateway',
  idleTimeout: {
    key: 'network.profile aws-nat-gateway',
    canonicalKey: 'network.idleTimeout',
    raw: 'aws-nat-gateway',
    text: null,
    value: { kind: 'duration', ms: 350_000 },
    origin: { kind: 'config', span: lineSpan('connlint.config.yaml', 2, 12, 15) },
    overrides: [],
  },
  expiry: 'rst-next',
  fact: 'network-idle-timeouts.md',
};

function findings(pools: Pool[], waitSeconds?: number, network: NetworkElement[] = [], engine: Engine = 'mysql') {
  const server = defaultServer(engine);
  const wait = server.settings.get('wait_timeout');
  if (wait && waitSeconds !== undefined)
    server.settings.set('wait_timeout', { ...wait, value: { kind: 'duration', ms: waitSeconds * 1000 } });
  const model = assembleModel({
    files: [],
    servers: [],
    pools,
    hosts: [],
    network,
    links: { mappings: [], defaultServer: () => server },
    linuxKeepalive: linuxDefault(KEEPALIVE_TIME),
  });
  return runRules(model, RULES, emptyConfig()).findings.map((f) => `${f.ruleId}:${f.severity}:${f.location.line}: ${f.message}`);
}

test('mysql2 3.14 with defaults: maxIdle equals connectionLimit, so nothing is retired, nothing is checked; both rules fire', () => {
  const r = pool('mysql2', obj({ host: str('DB', 2), password: str('pw-secret', 3) }), '3.14.0');
  const p = only(r);
  assert.deepEqual(r.problems, []);
  assert.equal(p.id, 'mysql2:src/db.js@1');
  assert.equal(p.name, 'mysql.createPool() at src/db.js:1');
  assert.deepEqual([p.library, p.libraryName, p.engine, p.host], ['mysql2', 'mysql2', 'mysql', 'db']);
  assert.deepEqual(
    ['connectionLimit', 'maxIdle', 'idleTimeout'].map((k) => p.settings.get(k)?.value),
    [
      { kind: 'count', value: 10 },
      { kind: 'count', value: 10 },
      { kind: 'duration', ms: 60_000 },
    ],
  );
  assert.deepEqual(p.settings.get('idleTimeout')?.origin, {
    kind: 'library-default',
    library: 'mysql2',
    version: '3.14.0',
    fact: 'mysql2.md, Settings (mysql2): idleTimeout 60000 (3.1.0+)',
  });
  assert.deepEqual(
    p.idle.map((m) => [m.kind, m.boundMs]),
    [['idle-timeout', undefined]],
  );
  assert.match(p.idle[0]?.note ?? '', /^maxIdle \(10\) is not below connectionLimit \(10\), so mysql2 never starts its idle timer/);
  assert.equal(p.validatesOnCheckout.value, false);
  assert.deepEqual([p.tcpKeepalive?.driver, p.tcpKeepalive?.value], ['mysql2', true]);
  assert.ok(!JSON.stringify(p).includes('pw-secret'));
  // mysql2 removes a connection whose socket the server closed (mysql2.md, Model): against wait_timeout alone the
  // lifetime finding is a warning and there is no missing-validation finding; a NAT that drops silently adds it.
  assert.match(p.validatesOnCheckout.noticesServerClose ?? '', /^mysql2\.md, Model: /);
  const out = findings([p], 600);
  assert.equal(out.length, 1, out.join('\n'));
  assert.match(
    out[0] as string,
    /^pool-lifetime-exceeds-wait-timeout:warning:1: Nothing in mysql\.createPool\(\) at src\/db\.js:1 retires or pings idle connections \(idleTimeout: maxIdle \(10\) is not below connectionLimit \(10\), so mysql2 never starts its idle timer.* mysql2's driver notices the server's close and replaces the connection/,
  );
  const behindNat = findings([p], 600, [NAT]).filter((f) => f.startsWith('pool-missing-validation'));
  assert.equal(behindNat.length, 1, behindNat.join('\n'));
  assert.match(
    behindNat[0] as string,
    /^pool-missing-validation:warning:1: mysql2 lends pooled connections without checking them .* the network idle timeout is 350 s .* mysql2 cannot check a connection on checkout: set maxIdle to 0 and idleTimeout to 344000 \(344 s\) or lower\.$/,
  );
});

test('mysql2 idle timer: 3.11.0 keeps maxIdle connections, 3.11.1 retires all; maxIdle 0 bounds every version from 3.1.0', () => {
  const opts = obj({ connectionLimit: num(10, 2), maxIdle: num(2, 3), idleTimeout: num(30_000, 4) });
  const old = only(pool('mysql2', opts, '3.11.0'));
  assert.equal(old.idle[0]?.boundMs, undefined);
  assert.match(old.idle[0]?.note ?? '', /keeps up to maxIdle \(2\) idle connections forever/);
  const fixed = only(pool('mysql2', opts, '3.11.1'));
  assert.equal(fixed.idle[0]?.boundMs, 31_000);
  assert.deepEqual(findings([fixed], 600), []);
  const zero = only(pool('mysql2', obj({ maxIdle: num(0, 3), idleTimeout: num(30_000, 4) }), '3.1.0'));
  assert.equal(zero.idle[0]?.boundMs, 31_000);
  // Over wait_timeout: the message names idleTimeout and the safe value in milliseconds.
  const out = findings([fixed], 20);
  assert.match(out[0] as string, /^pool-lifetime-exceeds-wait-timeout:warning:4: idleTimeout is 30 s but wait_timeout is 20 s/);
});

test('an idleTimeout that maxIdle makes inert is reported; before 3.1.0 both keys are ignored with a warning', () => {
  const r = pool('mysql2', obj({ connectionLimit: num(3, 2), maxIdle: num(3, 3), idleTimeout: num(30_000, 4) }), '3.11.0');
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.span.line]),
    [['warning', 4]],
  );
  assert.match(r.problems[0]?.message ?? '', /^idleTimeout has no effect: .*maxIdle \(maxIdle\) is not \(3\).*Set maxIdle to 0$/);
  const old = pool('mysql2', obj({ maxIdle: num(0, 3), idleTimeout: num(30_000, 4) }), '2.3.3');
  assert.deepEqual(
    old.problems.map((p) => p.span.line),
    [3, 4],
  );
  assert.match(old.problems[0]?.message ?? '', /^maxIdle is ignored: mysql2 2\.3\.3 predates maxIdle and idleTimeout \(added in 3\.1\.0\)/);
  assert.deepEqual(
    only(old).idle.map((m) => [m.kind, m.boundMs]),
    [['keepalive', 60_000]],
  );
});

test('mysql2 version unknown: the idle bound and the keepalive delay are unknown, never assumed', () => {
  const p = only(pool('mysql2', obj({ maxIdle: num(0, 3), idleTimeout: num(30_000, 4) })));
  const idle = p.idle.find((m) => m.kind === 'idle-timeout');
  assert.equal(idle?.boundMs, undefined);
  assert.match(
    idle?.note ?? '',
    /^mysql2 version unknown: 2\.0\.0–2\.0\.1, 2\.0\.2–2\.0\.x, 2\.1\.0–3\.0\.x: none; 3\.1\.0–3\.3\.1, .*: 31 s$/,
  );
  assert.equal(p.tcpKeepalive, undefined);
  assert.equal(p.settings.get('maxIdle')?.value.kind, 'count');
  assert.equal(p.settings.get('idleTimeout')?.value.kind, 'duration');
  // A version that only names the minor line reads the ranges in it.
  const minor = only(pool('mysql2', obj({ maxIdle: num(2, 3) }), '3.11'));
  assert.match(minor.idle[0]?.note ?? '', /^mysql2 version unknown: 3\.3\.5–3\.11\.0: .*; 3\.11\.1 and later: 61 s$/);
  // A package.json range reads the ranges it allows: ^3.11.0 is 3.11.0 or later, so maxIdle 2 depends on 3.11.1.
  const range = only(pool('mysql2', obj({ maxIdle: num(2, 3) }), '^3.11.0'));
  assert.match(range.idle[0]?.note ?? '', /^mysql2 version unknown: 3\.3\.5–3\.11\.0: .*; 3\.11\.1 and later: 61 s$/);
  const newer = only(pool('mysql2', obj({ maxIdle: num(2, 3) }), '^3.11.1'));
  assert.equal(newer.idle[0]?.boundMs, 61_000);
  const bad = pool('mysql2', obj({}), 'latest');
  assert.match(bad.problems[0]?.message ?? '', /^mysql2 version 'latest' is not a version number/);
});

test('mariadb version unknown: versions whose reaper says the same are named together, their note said once', () => {
  const note = only(pool('mariadb', obj({}))).idle.find((m) => m.kind === 'idle-timeout')?.note ?? '';
  assert.match(
    note,
    /^mariadb version unknown: 2\.5\.0–2\.5\.5, 2\.5\.6–2\.5\.x, 3\.0\.0: 30 min [^;]+; 3\.0\.1, 3\.0\.2–3\.3\.x, 3\.4\.0, 3\.4\.1–3\.4\.x, 3\.5\.0 and later: mariadb retires only connections above minimumIdle \(10\); it defaults to connectionLimit, so with defaults none is retired$/,
  );
});

test('createPool(uri): host and JSON-typed query options; the password never reaches the model', () => {
  const p = only(pool('mysql2', 'mysql://app:pw-secret@Primary:3306/shop?connectionLimit=5&maxIdle=1&idleTimeout=20000', '3.14.0'));
  assert.equal(p.host, 'primary');
  assert.equal(p.settings.get('connectionLimit')?.key, 'connectionLimit (uri query)');
  assert.deepEqual(p.settings.get('connectionLimit')?.value, { kind: 'count', value: 5 });
  assert.equal(p.idle[0]?.boundMs, 21_000);
  assert.equal(p.settings.get('uri')?.text, 'mysql://app:****@Primary:3306/shop?connectionLimit=5&maxIdle=1&idleTimeout=20000');
  assert.ok(!JSON.stringify(p).includes('pw-secret'));
  // {uri} plus explicit keys: an explicit truthy key wins.
  const both = only(pool('mysql2', obj({ uri: str('mysql://db/app?connectionLimit=5', 2), connectionLimit: num(8, 3) }), '3.14.0'));
  assert.deepEqual(both.settings.get('connectionLimit')?.value, { kind: 'count', value: 8 });
  assert.equal(both.host, 'db');
  // mariadb reads only mariadb:// URLs.
  const bad = pool('mariadb', 'mysql://db/app', '3.4.5');
  assert.match(
    bad.problems[0]?.message ?? '',
    /^uri is not a URL mariadb \(MariaDB Connector\/Node\.js\) accepts: mariadb only reads mariadb:\/\//,
  );
});

test('mysql2 keepalive per version: libuv 60 s before 3.3.5, the written delay from 3.3.5, against a 350 s NAT gateway', () => {
  const old = only(pool('mysql2', obj({ keepAliveInitialDelay: num(600_000, 2) }), '3.2.0'));
  const k = old.idle.find((m) => m.kind === 'keepalive');
  assert.equal(k?.boundMs, 60_000);
  assert.equal(k?.refreshesServer, false);
  assert.match(k?.setting.clamp?.reason ?? '', /^mysql2 3\.2\.0 ignores keepAliveInitialDelay: libuv starts probes after a fixed 60 s$/);
  assert.deepEqual(
    findings([old], 28800, [NAT]).filter((f) => f.startsWith('keepalive')),
    [],
  );
  const late = only(pool('mysql2', obj({ keepAliveInitialDelay: num(600_000, 2) }), '3.14.0'));
  // The rule also names the OS keepalive as the other fix (it does not know the driver's delay replaces it per socket).
  const out = findings([late], 28800, [NAT]).filter((f) => f.startsWith('keepalive'));
  assert.equal(out.length, 2, out.join('\n'));
  assert.match(
    out[0] as string,
    /^keepalive-exceeds-network-idle-timeout:error:2: keepAliveInitialDelay is 10 min but the network drops connections idle for 350 s .*Set keepAliveInitialDelay to 310000 \(310 s\) or lower\.$/,
  );
  const fine = only(pool('mysql2', obj({ keepAliveInitialDelay: num(60_000, 2) }), '3.14.0'));
  assert.deepEqual(
    findings([fine], 28800, [NAT]).filter((f) => f.startsWith('keepalive')),
    [],
  );
  // Without a delay the OS value applies: the Linux default 2 h is too late.
  const os = only(pool('mysql2', obj({}), '3.14.0'));
  assert.match(
    findings([os], 28800, [NAT]).find((f) => f.startsWith('keepalive')) ?? '',
    /No sysctl file sets net\.ipv4\.tcp_keepalive_time/,
  );
});

test('pool-lifetime-exceeds-wait-timeout advises idleTimeout (with maxIdle 0) when mysql2 has no max-lifetime mechanism', () => {
  const p = only(pool('mysql2', obj({}), '3.14.0'));
  assert.match(findings([p], 600)[0] ?? '', /Set maxIdle to 0 and idleTimeout to 594000 \(594 s\) or lower\.$/);
});

test('a TCP keepalive never resets wait_timeout: mysql2 3.2 with its libuv 60 s probe still outlives wait_timeout', () => {
  const p = only(pool('mysql2', obj({}), '3.2.0'));
  assert.match(findings([p], 600).join('\n'), /pool-lifetime-exceeds-wait-timeout/);
});

test('enableKeepAlive: false is honoured from 3.3.2, ignored before; a text environment value never turns it off', () => {
  assert.equal(only(pool('mysql2', obj({ enableKeepAlive: bool(false, 2) }), '3.3.2')).tcpKeepalive?.value, false);
  const old = pool('mysql2', obj({ enableKeepAlive: bool(false, 2) }), '3.3.1');
  assert.equal(only(old).tcpKeepalive?.value, true);
  assert.match(old.problems[0]?.message ?? '', /^enableKeepAlive is false, which mysql2 3\.3\.1 ignores/);
  const text = pool('mysql2', obj({ enableKeepAlive: env('DB_KEEPALIVE', 2, str('false', 2)) }), '3.14.0');
  assert.match(text.problems[0]?.message ?? '', /read from environment variable DB_KEEPALIVE as text .* "false" keeps it on/);
});

test('keys copied from other libraries are reported; mysqljs pings on checkout, so no rule fires', () => {
  const r = pool('mysql2', obj({ acquireTimeout: num(10_000, 2), idleTimeoutMillis: num(30_000, 3) }), '3.14.0');
  assert.deepEqual(
    r.problems.map((p) => p.span.line),
    [2, 3],
  );
  assert.match(
    r.problems[0]?.message ?? '',
    /^acquireTimeout is not a mysql2 option .*Ignoring invalid configuration option passed to Connection: acquireTimeout/,
  );
  const js = pool('mysql', obj({ idleTimeout: num(30_000, 2), connectionLimit: num(5, 3) }), '2.18.1');
  const p = only(js);
  assert.match(js.problems[0]?.message ?? '', /^idleTimeout is not a mysql \(mysqljs\) option .*ignores it without a warning/);
  assert.deepEqual([p.library, p.libraryName, p.idle.length], ['mysql', 'mysql (mysqljs)', 0]);
  assert.equal(p.validatesOnCheckout.value, true);
  assert.match(p.validatesOnCheckout.sufficient ?? '', /Do not report no validation for mysqljs pools/);
  assert.equal(p.tcpKeepalive?.value, false);
  assert.deepEqual(findings([p], 600), []);
  assert.equal(only(pool('mysql', obj({}), '2.1.0')).validatesOnCheckout.value, false);
});

test('mariadb: idleTimeout in seconds, the reaper spares minimumIdle, a ping on borrow; minimumIdle 0 breaks 3.0.1–3.4.x', () => {
  const r = pool('mariadb', obj({ idleTimeout: num(60_000, 2) }), '3.4.5');
  const p = only(r);
  assert.equal(p.engine, 'mariadb');
  assert.deepEqual(p.settings.get('idleTimeout')?.value, { kind: 'duration', ms: 60_000_000 });
  assert.equal(p.settings.get('idleTimeout')?.unit, 's');
  assert.equal(r.problems[0]?.ruleId, 'suspicious-duration-unit');
  assert.match(
    r.problems[0]?.message ?? '',
    /^idleTimeout is 60000, which mariadb reads in seconds \(16 h 40 min\); in milliseconds it would be 1 min, .* Write 60 for 1 min$/,
  );
  assert.equal(p.idle[0]?.boundMs, undefined);
  assert.match(p.idle[0]?.note ?? '', /retires only connections above minimumIdle \(10\)/);
  assert.equal(p.validatesOnCheckout.value, true);
  assert.ok(p.validatesOnCheckout.sufficient);
  assert.deepEqual([p.tcpKeepalive?.value], [true]);
  assert.deepEqual(findings([p], 600), []);
  const zero = pool('mariadb', obj({ minimumIdle: num(0, 2), idleTimeout: num(300, 3) }), '3.4.5');
  assert.deepEqual(
    zero.problems.map((x) => [x.severity, x.span.line]),
    [['error', 2]],
  );
  assert.equal(only(zero).idle[0]?.boundMs, 300_500);
  const recycled = only(pool('mariadb', obj({ idleTimeout: num(300, 3) }), '3.0.0'));
  assert.equal(recycled.idle[0]?.boundMs, 305_000);
  assert.equal(only(pool('mariadb', obj({}), '3.5.1')).tcpKeepalive?.value, false);
  const alias = only(pool('mariadb', obj({ enableKeepAlive: bool(true, 2), keepAliveInitialDelay: num(30_000, 3) }), '3.5.1'));
  assert.deepEqual([alias.tcpKeepalive?.value, alias.idle.find((m) => m.kind === 'keepalive')?.boundMs], [true, 30_000]);
  const ignored = pool('mariadb', obj({ keepAliveInitialDelay: num(30_000, 3) }), '3.5.1');
  assert.match(
    ignored.problems[0]?.message ?? '',
    /^keepAliveInitialDelay is ignored: mariadb reads it only together with enableKeepAlive: true/,
  );
});

test('nodeDriverKeepalive for the Knex and Sequelize interpreters: per driver and version, undefined when not known', () => {
  assert.equal(nodeDriverKeepalive('pg', obj({}))?.value, false);
  assert.equal(nodeDriverKeepalive('pg', obj({ keepAlive: bool(true, 2) }))?.value, true);
  assert.equal(
    nodeDriverKeepaliveDelay('pg', obj({ keepAlive: bool(true, 2), keepAliveInitialDelayMillis: num(10_000, 3) }))?.boundMs,
    10_000,
  );
  assert.equal(nodeDriverKeepalive('mysql', obj({}))?.value, false);
  assert.equal(nodeDriverKeepalive('mysql2', obj({})), undefined);
  assert.equal(nodeDriverKeepalive('mysql2', obj({}), version('3.14.0'))?.value, true);
  assert.equal(nodeDriverKeepalive('mysql2', obj({ enableKeepAlive: bool(false, 2) }), version('3.14.0'))?.value, false);
  assert.equal(nodeDriverKeepalive('mysql2', env('OPTS', 2)), undefined);
  assert.equal(nodeDriverKeepaliveDelay('mysql2', obj({}), version('3.0.0'))?.boundMs, 60_000);
  assert.equal(nodeDriverKeepaliveDelay('mysql2', obj({}), version('3.14.0')), undefined);
  assert.equal(nodeDriverKeepalive('mariadb', obj({}), version('3.4.2'))?.value, true);
  assert.equal(nodeDriverKeepalive('mariadb', obj({}), version('3.4.0'))?.value, false);
});

test('createPoolCluster only configures the cluster; cluster.add(id, options) is a pool', () => {
  const r = nodeMysqlPool({ path: FILE, call: call('mysql2.createPoolCluster', [obj({ canRetry: bool(true, 2) })]), driver: 'mysql2' });
  assert.match(r.noPool ?? '', /^mysql2\.createPoolCluster\(\) only configures the cluster/);
  const add = nodeMysqlPool({
    path: FILE,
    call: { ...call('cluster.add', [str('MASTER', 1), obj({ maxIdle: num(0, 2) })]), written: 'cluster.add' },
    driver: 'mysql2',
    version: version('3.14.0'),
  });
  assert.equal(only(add).idle[0]?.boundMs, 61_000);
});
