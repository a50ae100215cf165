import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canonicalOptionName,
  clampVariable,
  MYSQL_VARIABLES,
  type MySqlVariable,
  readOptionNumber,
} from '../../src/interpreters/mysql/variables.js';

/* Expectations from mysql-option-files.md E14/E15 and mysql-server.md, Settings. */

function variable(name: string): MySqlVariable {
  const v = MYSQL_VARIABLES.get(name);
  assert.ok(v, `${name} is known`);
  return v;
}

test('the variables the rules need are known, keyed by canonical name, each citing a fact', () => {
  const required = [
    'wait_timeout',
    'interactive_timeout',
    'net_read_timeout',
    'net_write_timeout',
    'connect_timeout',
    'max_allowed_packet',
    'max_connections',
    'idle_transaction_timeout',
    'idle_readonly_transaction_timeout',
    'idle_write_transaction_timeout',
    'tcp_keepalive_time',
    'tcp_keepalive_interval',
    'tcp_keepalive_probes',
  ];
  for (const name of required) {
    const v = variable(name);
    assert.equal(v.name, name);
    assert.ok(v.fact.includes('.md'), `${name} cites a knowledge file`);
  }
});

test('mysql-server.md defaults and ranges', () => {
  const wait = variable('wait_timeout');
  assert.deepEqual([wait.unit, wait.default, wait.min, wait.max], ['s', { mysql: 28800, mariadb: 28800 }, 1, 31536000]);
  const packet = variable('max_allowed_packet');
  assert.deepEqual(
    [packet.unit, packet.default, packet.min, packet.max, packet.block],
    ['bytes', { mysql: 67108864, mariadb: 16777216 }, 1024, 1073741824, 1024],
  );
  assert.deepEqual([variable('connect_timeout').min, variable('connect_timeout').default.mysql], [2, 10]);
  assert.deepEqual([variable('net_read_timeout').default.mariadb, variable('net_write_timeout').default.mariadb], [30, 60]);
  assert.equal(variable('max_connections').default.mariadb, 151);
});

test('MariaDB-only variables have no MySQL default', () => {
  for (const name of ['idle_transaction_timeout', 'idle_write_transaction_timeout', 'tcp_keepalive_time']) {
    const v = variable(name);
    assert.equal(v.only, 'mariadb');
    assert.ok(Number.isNaN(v.default.mysql));
    assert.equal(v.default.mariadb, 0);
  }
});

test('canonical names: case and dashes do not matter; loose- is reported apart', () => {
  assert.deepEqual(canonicalOptionName('Wait_Timeout'), { canonical: 'wait_timeout', loose: false });
  assert.deepEqual(canonicalOptionName('WAIT-TIMEOUT'), { canonical: 'wait_timeout', loose: false });
  assert.deepEqual(canonicalOptionName('loose_wait_timeout'), { canonical: 'wait_timeout', loose: true });
  assert.deepEqual(canonicalOptionName('loose-max-allowed-packet'), { canonical: 'max_allowed_packet', loose: true });
  assert.deepEqual(canonicalOptionName('loosewait'), { canonical: 'loosewait', loose: false });
});

test('E14: K/M/G suffixes are powers of 1024; characters after the suffix are ignored', () => {
  assert.deepEqual(readOptionNumber('1k'), { ok: true, value: 1024 });
  assert.deepEqual(readOptionNumber('64MB'), { ok: true, value: 67108864 });
  assert.deepEqual(readOptionNumber('1Gb'), { ok: true, value: 1073741824 });
  assert.deepEqual(readOptionNumber('2T'), { ok: true, value: 2 * 2 ** 40 });
  assert.deepEqual(readOptionNumber('28800'), { ok: true, value: 28800 });
  assert.deepEqual(readOptionNumber('+5'), { ok: true, value: 5 });
});

test('E15: other suffixes, decimals and hex abort with the server message', () => {
  assert.deepEqual(readOptionNumber('8h', 'wait_timeout'), {
    ok: false,
    message: "Unknown suffix 'h' used for variable 'wait_timeout' (value '8h'). Legal suffix characters are: K, M, G, T, P, E",
  });
  for (const [text, suffix] of [
    ['10s', 's'],
    ['1.5G', '.'],
    ['0x10', 'x'],
    ['28800.0', '.'],
  ]) {
    const r = readOptionNumber(text ?? '');
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.message.startsWith(`Unknown suffix '${suffix}' (value '${text}')`), JSON.stringify(r));
  }
});

test('E15: a negative number aborts MariaDB ("Incorrect unsigned value")', () => {
  assert.deepEqual(readOptionNumber('-5', 'wait_timeout'), { ok: false, message: "Incorrect unsigned value: '-5' for wait_timeout" });
});

test('strtoull details: empty is 0, a bare suffix multiplies 0, overflow is refused, 16E wraps to 0', () => {
  assert.deepEqual(readOptionNumber(''), { ok: true, value: 0 });
  assert.deepEqual(readOptionNumber('K'), { ok: true, value: 0 });
  assert.deepEqual(readOptionNumber(' 7'), { ok: true, value: 7 });
  assert.equal(readOptionNumber('99999999999999999999').ok, false);
  assert.deepEqual(readOptionNumber('16E'), { ok: true, value: 0 });
});

test('MySQL flavour: empty numeric values are refused; negatives pass to the clamp', () => {
  assert.equal(readOptionNumber('', 'wait_timeout', 'mysql').ok, false);
  assert.deepEqual(readOptionNumber('-5', 'wait_timeout', 'mysql'), { ok: true, value: -5 });
  assert.equal(readOptionNumber('16E', 'wait_timeout', 'mysql').ok, false);
});

test('E15: start-up range handling', () => {
  const wait = variable('wait_timeout');
  assert.deepEqual(clampVariable(wait, 99999999999, 'mariadb'), {
    value: 31536000,
    warning: "option 'wait_timeout': unsigned value 99999999999 adjusted to 31536000",
  });
  assert.deepEqual(clampVariable(wait, 0, 'mariadb'), { value: 1, warning: "option 'wait_timeout': unsigned value 0 adjusted to 1" });
  assert.deepEqual(clampVariable(wait, 600, 'mariadb'), { value: 600 });
  const packet = variable('max_allowed_packet');
  assert.deepEqual(clampVariable(packet, 2 * 1024 ** 3, 'mariadb').value, 1073741824);
  assert.ok(clampVariable(packet, 2 * 1024 ** 3, 'mariadb').warning);
  // Rounding down to the block size is silent.
  assert.deepEqual(clampVariable(packet, 100000, 'mariadb'), { value: 99328 });
  assert.deepEqual(clampVariable(packet, 500, 'mariadb').value, 1024);
  assert.ok(clampVariable(packet, 500, 'mariadb').warning);
  assert.deepEqual(clampVariable(variable('max_connections'), 5, 'mariadb').value, 10);
  assert.deepEqual(clampVariable(variable('connect_timeout'), 1, 'mysql').value, 2);
});

test('E14: interactive_timeout=64MB reads 67108864 and runs with 31536000', () => {
  const read = readOptionNumber('64MB');
  assert.ok(read.ok);
  assert.equal(clampVariable(variable('interactive_timeout'), read.value, 'mariadb').value, 31536000);
});
