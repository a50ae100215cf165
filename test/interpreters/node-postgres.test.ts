import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsValue } from '../../src/interpreters/js/value.js';
import type { DriverOptions } from '../../src/interpreters/node-mysql/drivers.js';
import { optionEntries } from '../../src/interpreters/node-mysql/options.js';
import { type PgVersionsKnown, readPgPool } from '../../src/interpreters/node-postgres/pool.js';
import type { IdleMechanism } from '../../src/model/model.js';
import { lineSpan, type Span } from '../../src/model/span.js';

// pg.Pool options as the evaluator leaves them for an imagined src/db.ts, one option per line.
const FILE = 'src/db.ts';
const at = (line: number): Span => lineSpan(FILE, line, 3, 12);
const num = (value: number, line: number): JsValue => ({ kind: 'number', value, span: at(line) });
const obj = (props: Record<string, JsValue>): JsValue => ({
  kind: 'object',
  properties: Object.entries(props).map(([key, value]) => ({ key, value, span: value.span, keySpan: value.span })),
  span: at(1),
});

function read(props: Record<string, JsValue>, known: PgVersionsKnown = {}, prefix = '') {
  const view = optionEntries(obj(props), prefix);
  assert.ok(view);
  const o: DriverOptions = { entries: view.entries, keyOf: (k) => `${prefix}${k}` };
  return readPgPool(o, known);
}
const mechanism = (r: ReturnType<typeof read>, kind: IdleMechanism['kind']) => r.reading.idle.find((m) => m.kind === kind);
const unknownReason = (m: IdleMechanism | undefined) => (m?.setting.value.kind === 'unknown' ? m.setting.value.reason : undefined);

test('min is ignored before pg-pool 3.10.0, so idleTimeoutMillis bounds every idle client', () => {
  const r = read({ idleTimeoutMillis: num(30_000, 2), min: num(2, 3) }, { pgPool: '3.9.0' });
  const idle = mechanism(r, 'idle-timeout');
  assert.equal(idle?.boundMs, 30_000);
  assert.equal(idle?.sparedBy, undefined);
  assert.match(idle?.note ?? '', /pg-pool 3\.9\.0 predates min \(pg-pool 3\.10\.0\), so min spares none/);
  // An unknown min changes nothing there either.
  const unknownMin = read({ idleTimeoutMillis: num(30_000, 2), min: { kind: 'env', name: 'POOL_MIN', span: at(3) } }, { pgPool: '3.9.0' });
  assert.equal(mechanism(unknownMin, 'idle-timeout')?.boundMs, 30_000);
});

test('min spares clients from pg-pool 3.10.0: nothing bounds their idle time, and min is what spares them', () => {
  const r = read({ idleTimeoutMillis: num(30_000, 2), min: num(2, 3) }, { pgPool: '3.10.0' });
  const idle = mechanism(r, 'idle-timeout');
  assert.equal(idle?.boundMs, undefined);
  assert.equal(idle?.setting.key, 'idleTimeoutMillis');
  assert.deepEqual(idle?.setting.value, { kind: 'duration', ms: 30_000 });
  assert.equal(idle?.sparedBy?.key, 'min');
  assert.equal(idle?.sparedBy?.origin.kind === 'file' ? idle.sparedBy.origin.span.line : undefined, 3);
  // min 0 spares nothing.
  assert.equal(
    mechanism(read({ idleTimeoutMillis: num(30_000, 2), min: num(0, 3) }, { pgPool: '3.10.0' }), 'idle-timeout')?.boundMs,
    30_000,
  );
});

test('min > 0 with the pg-pool version unknown leaves the idle bound unknown; pg alone does not say which pg-pool runs', () => {
  for (const known of [{}, { pg: '8.20.0' }, { pg: '^8.11.0' }] as PgVersionsKnown[]) {
    const idle = mechanism(read({ idleTimeoutMillis: num(30_000, 2), min: num(2, 3) }, known), 'idle-timeout');
    assert.equal(idle?.boundMs, undefined, JSON.stringify(known));
    assert.equal(idle?.sparedBy, undefined);
    assert.match(unknownReason(idle) ?? '', /pg-pool 3\.10\.0\+ never evicts the min \(2\) clients and older pg-pool ignores min/);
  }
  // A range of pg-pool that straddles 3.10.0 is not known either.
  assert.equal(mechanism(read({ min: num(1, 3) }, { pgPool: '^3.9.0' }), 'idle-timeout')?.setting.value.kind, 'unknown');
  // Without min, the default timeout bounds every client whatever the version.
  assert.equal(mechanism(read({}), 'idle-timeout')?.boundMs, 10_000);
});

test('maxLifetimeSeconds exists from pg-pool 3.5.0 (pg 8.7.2 and later require it); before, it retires nothing; unknown stays unknown', () => {
  const life = (known: PgVersionsKnown) => mechanism(read({ maxLifetimeSeconds: num(300, 2) }, known), 'max-lifetime');
  assert.equal(life({ pgPool: '3.5.0' })?.boundMs, 300_000);
  assert.equal(life({ pg: '8.7.2' })?.boundMs, 300_000);
  assert.equal(life({ pg: '^8.11.0' })?.boundMs, 300_000);
  assert.equal(life({ atLeast: { ver: [3, 5, 0], by: 'Prisma 7' } })?.boundMs, 300_000);
  const old = life({ pgPool: '3.4.1' });
  assert.equal(old?.boundMs, undefined);
  assert.deepEqual(old?.setting.value, { kind: 'duration', ms: 300_000 });
  assert.match(old?.note ?? '', /pg-pool 3\.4\.1 predates maxLifetimeSeconds/);
  for (const known of [{}, { pg: '8.6.0' }, { pg: '^8.6.0' }] as PgVersionsKnown[]) {
    const m = life(known);
    assert.equal(m?.boundMs, undefined, JSON.stringify(known));
    assert.match(unknownReason(m) ?? '', /needs pg-pool 3\.5\.0 or later/);
  }
  // Unwritten, it is 0: off, in every version.
  assert.match(mechanism(read({}), 'max-lifetime')?.note ?? '', /maxLifetimeSeconds is 0/);
});

test('max 0 becomes 10 (`max || poolSize || 10`), with a warning at the key as written; poolSize is its alias', () => {
  const r = read({ max: num(0, 2) }, {}, 'extra.');
  assert.deepEqual(r.reading.settings.get('max')?.value, { kind: 'count', value: 10 });
  assert.deepEqual(
    r.problems.map((p) => [p.span.line, p.message.split(',')[0]]),
    [[2, 'extra.max is 0']],
  );
  assert.match(r.problems[0]?.message ?? '', /pg-pool reads as 10/);
  assert.deepEqual(read({ max: num(0, 2), poolSize: num(4, 3) }).reading.settings.get('max')?.value, { kind: 'count', value: 4 });
  assert.deepEqual(read({}).reading.settings.get('max')?.value, { kind: 'count', value: 10 });
  assert.deepEqual(read({ max: num(20, 2) }).problems, []);
});

test('idleTimeoutMillis 0 never evicts, whatever min is and whichever pg-pool runs', () => {
  for (const known of [{}, { pgPool: '3.9.0' }, { pgPool: '3.10.1' }] as PgVersionsKnown[]) {
    const idle = mechanism(read({ idleTimeoutMillis: num(0, 2), min: num(2, 3) }, known), 'idle-timeout');
    assert.equal(idle?.boundMs, undefined);
    assert.deepEqual(idle?.setting.value, { kind: 'duration', ms: 0 });
    assert.match(idle?.note ?? '', /idleTimeoutMillis is 0, so pg\.Pool never evicts idle clients/);
  }
  // Unwritten, it is 10 s (pg.defaults' 30 s is not pg.Pool's).
  assert.deepEqual(read({}).reading.settings.get('idleTimeoutMillis')?.value, { kind: 'duration', ms: 10_000 });
});

test('pg-pool lends clients unchecked, node-postgres notices a server close; keepAlive off unless written', () => {
  const r = read({});
  assert.equal(r.reading.validates.value, false);
  assert.match(r.reading.validates.fact, /^postgresql\.md/);
  assert.match(r.reading.validates.noticesServerClose ?? '', /^postgresql\.md: .*node-postgres notices/);
  assert.deepEqual([r.reading.keepalive?.value, r.reading.keepalive?.switchOn], [false, 'keepAlive: true']);
  const on = read({ keepAlive: { kind: 'boolean', value: true, span: at(2) }, keepAliveInitialDelayMillis: num(60_000, 3) });
  assert.equal(on.reading.keepalive?.value, true);
  assert.equal(mechanism(on, 'keepalive')?.boundMs, 60_000);
});

test('options with keys not known here (a spread) leave unwritten keys and keepalive unknown', () => {
  const o: DriverOptions = {
    entries: new Map(),
    keyOf: (k) => `extra.${k}`,
    open: { reason: 'the spread of baseOptions', span: at(4) },
  };
  const r = readPgPool(o, { pg: '8.20.0' });
  for (const key of ['max', 'idleTimeoutMillis', 'maxLifetimeSeconds', 'keepAlive'])
    assert.equal(r.reading.settings.get(key)?.value.kind, 'unknown', key);
  assert.equal(r.reading.keepalive, undefined);
  assert.match(
    unknownReason(mechanism({ ...r }, 'idle-timeout')) ?? '',
    /extra\.idleTimeoutMillis may be set by the spread of baseOptions/,
  );
});
