import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sourceReader } from '../../src/report/read-source.js';
import { tempRepo } from '../temp-repo.js';

test('report paths are read under the base folder, once each; overlays win; missing, folders and large files give undefined', () => {
  const dir = tempRepo({ 'db/my.cnf': '[mysqld]\nwait_timeout = 600\n', 'big.cnf': 'x'.repeat(4 * 1024 * 1024 + 1) });
  const read = sourceReader(dir, new Map([[join(dir, 'stdin.cnf'), '[client]\n']]));
  assert.equal(read('db/my.cnf'), '[mysqld]\nwait_timeout = 600\n');
  writeFileSync(join(dir, 'db/my.cnf'), 'changed');
  assert.equal(read('db/my.cnf'), '[mysqld]\nwait_timeout = 600\n', 'read once: the text the report was made from');
  const outside = tempRepo({ 'connlint.config.yaml': 'rules: {}\n' });
  assert.equal(
    read(join(outside, 'connlint.config.yaml')),
    'rules: {}\n',
    'an absolute report path (a config given with -c) is read as it is',
  );
  assert.equal(read('stdin.cnf'), '[client]\n');
  assert.equal(read('nope.cnf'), undefined);
  assert.equal(read('db'), undefined);
  assert.equal(read('big.cnf'), undefined);
});
