import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withInstances } from '../../src/config/instances.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Pool } from '../../src/model/model.js';

function pool(name: string, path: string): Pool {
  const origin = { path, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return {
    id: `hikaricp:${path}`,
    library: 'hikaricp',
    libraryName: 'HikariCP',
    name,
    origin,
    settings: new Map(),
    idle: [],
    validatesOnCheckout: { value: false, fact: '' },
  };
}

const CONFIG = ['instances:', '  "services/**": 2', '  orders-pool: 6', '  "services/api/**": 4', ''].join('\n');

test('the last entry naming a pool, by glob on its file or by its name, gives its instances; others run once', () => {
  const { config, errors } = loadConfig('connlint.config.yaml', CONFIG, []);
  assert.deepEqual(errors, []);
  const [api, billing, orders, other] = withInstances(
    [
      pool('HikariPool-1', 'services/api/hikari.properties'),
      pool('billing', 'services/billing/settings.py'),
      pool('orders-pool', 'orders/hikari.properties'),
      pool('other', 'tools/knexfile.js'),
    ],
    config.instances,
  );
  assert.equal(api?.instances?.value, 4);
  assert.deepEqual(api?.instances?.span, { path: 'connlint.config.yaml', line: 4, column: 22, endLine: 4, endColumn: 23 });
  assert.equal(billing?.instances?.value, 2);
  assert.equal(orders?.instances?.value, 6);
  assert.deepEqual(other?.instances, { value: 1 });
});
