import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSecretKey, maskSecrets } from '../../src/model/secrets.js';

test('values of secret keys are masked whole', async () => {
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

test('passwords inside URLs are masked, the rest kept', async () => {
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

test('secrets written in scanned files are scrubbed from every finding', async () => {
  const { tempRepo } = await import('../temp-repo.js');
  const { lint } = await import('../../src/engine/run.js');
  const dir = tempRepo({
    'hikari.properties':
      'jdbcUrl=jdbc:mysql://app:Sup3rS3cret@db:3306/shop\npassword=hunter22\nmaxLifetime=Sup3rS3cret\nconnectionTimeout=hunter22\n',
  });
  const run = await lint({ cwd: dir, paths: [] });
  const text = JSON.stringify(run.result);
  assert.ok(run.result.findings.length >= 2, 'the two bad values are reported');
  assert.ok(!text.includes('Sup3rS3cret') && !text.includes('hunter22'), text);
  assert.ok(text.includes('****'));
});

test('secretValues finds secret keys and URL passwords, longest first', async () => {
  const { secretValues, scrubSecrets } = await import('../../src/model/secrets.js');
  const secrets = secretValues([
    { key: 'dataSource.password', text: 'pw-one' },
    { key: 'jdbcUrl', text: 'jdbc:mysql://u:pw-one-longer@h/db?password=qpw123' },
    { key: 'maxLifetime', text: '1800000' },
    { key: 'password', text: 'ab' },
  ]);
  assert.deepEqual(secrets, ['pw-one-longer', 'pw-one', 'qpw123']);
  assert.equal(scrubSecrets('x pw-one-longer y pw-one z', secrets), 'x **** y **** z');
});
