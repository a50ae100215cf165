import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import { tempRepo } from '../temp-repo.js';

const POOL = 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=600000\n';
const SERVER = '[mysqld]\nwait_timeout = 900\n';

async function linksOf(files: Record<string, string>): Promise<Record<string, string>> {
  const run = await lint({ cwd: tempRepo(files), paths: [] });
  return Object.fromEntries(run.model.links.map((l) => [l.pool.origin.path, `${l.server.root ?? l.server.id} (${l.reason})`]));
}

test('each pool links to the nearest server by directory distance; ties go to the byte-smallest root', async () => {
  const links = await linksOf({
    'svc/a/hikari.properties': POOL,
    'svc/a/db/my.cnf': SERVER, // one step down from svc/a
    'svc/b/hikari.properties': POOL,
    'svc/my.cnf': SERVER, // one step up from svc/b, two from svc/a
    'deep/x/y/z/hikari.properties': POOL,
    'deep/B/my.cnf': SERVER, // both three steps away from deep/x/y/z ... and from each other
    'deep/a/my.cnf': SERVER,
    'top/hikari.properties': POOL,
  });
  assert.deepEqual(links, {
    'svc/a/hikari.properties': 'svc/a/db/my.cnf (nearest-directory)',
    'svc/b/hikari.properties': 'svc/my.cnf (nearest-directory)',
    'deep/x/y/z/hikari.properties': 'deep/B/my.cnf (nearest-directory)',
    'top/hikari.properties': 'svc/my.cnf (nearest-directory)',
  });
});

test('one server of the family is taken whatever the distance; no server means the engine defaults; a PostgreSQL pool never meets a my.cnf', async () => {
  assert.deepEqual(await linksOf({ 'a/b/c/hikari.properties': POOL, 'z/my.cnf': SERVER }), {
    'a/b/c/hikari.properties': 'z/my.cnf (only-candidate)',
  });
  assert.deepEqual(await linksOf({ 'hikari.properties': POOL }), { 'hikari.properties': 'mysql:default (engine-default)' });
  assert.deepEqual(await linksOf({ 'hikari.properties': 'jdbcUrl=jdbc:postgresql://db/app\n', 'my.cnf': SERVER }), {
    'hikari.properties': 'postgresql:default (engine-default)',
  });
});

test('a links mapping in the config wins over distance, and names the config in its note', async () => {
  const run = await lint({
    cwd: tempRepo({
      'svc/hikari.properties': POOL,
      'svc/my.cnf': SERVER,
      'far/away/my.cnf': SERVER,
      'connlint.config.yaml': 'links:\n  - pool: "svc/**"\n    server: far/away/my.cnf\n',
    }),
    paths: [],
  });
  assert.equal(run.model.links[0]?.server.root, 'far/away/my.cnf');
  assert.match(run.model.links[0]?.note ?? '', /linked by connlint\.config\.yaml \(links: svc\/\*\*\)/);
});
