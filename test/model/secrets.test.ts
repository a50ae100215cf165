import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSecretKey, maskSecrets } from '../../src/model/secrets.js';

test('values of secret keys are masked whole', () => {
  for (const key of [
    'password',
    'dataSource.password',
    'c3p0.password',
    'spring.datasource.password',
    'DB_PASSWORD',
    'apiKey',
    'client_secret',
  ]) {
    assert.ok(isSecretKey(key), key);
    assert.equal(maskSecrets(key, 'hunter2'), '****');
  }
  for (const key of ['passwordless', 'maxLifetime', 'jdbcUrl', 'username']) assert.ok(!isSecretKey(key), key);
});

test('passwords inside URLs are masked, the rest kept', () => {
  assert.equal(
    maskSecrets('jdbcUrl', 'jdbc:mysql://app:s3cr%40t@db:3306/shop?useSSL=true'),
    'jdbc:mysql://app:****@db:3306/shop?useSSL=true',
  );
  assert.equal(maskSecrets('url', 'mysql://root:admin@localhost:3306/app'), 'mysql://root:****@localhost:3306/app');
  assert.equal(
    maskSecrets('jdbcUrl', 'jdbc:mysql://db/app?user=app&password=p%26w&ssl=1'),
    'jdbc:mysql://db/app?user=app&password=****&ssl=1',
  );
  assert.equal(maskSecrets('jdbcUrl', 'jdbc:mariadb://db:3306/app'), 'jdbc:mariadb://db:3306/app');
});
