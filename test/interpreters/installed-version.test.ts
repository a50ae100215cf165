import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { installedVersion, type TreeFiles } from '../../src/interpreters/js/installed-version.js';
import type { LibraryVersion } from '../../src/model/model.js';

/** A scanned tree held in memory: repository-relative path -> text. */
function tree(files: Record<string, string>): TreeFiles & { texts: Record<string, string> } {
  return {
    texts: files,
    isFile: (path) => Object.hasOwn(files, path),
    readText: (path) => (Object.hasOwn(files, path) ? files[path] : undefined),
  };
}

/** The text a span covers (one line). */
function spanned(files: { texts: Record<string, string> }, v: LibraryVersion | undefined): string {
  assert.ok(v, 'a version');
  const { span } = v;
  assert.equal(span.endLine, span.line);
  const line = (files.texts[span.path] ?? '').split('\n')[span.line - 1] ?? '';
  return line.replace(/\r$/, '').slice(span.column - 1, span.endColumn - 1);
}

/** package.json text, two-space indented as npm writes it. */
const manifest = (o: Record<string, unknown>) => `${JSON.stringify(o, null, 2)}\n`;

const APP = manifest({
  name: 'orders-api',
  version: '1.4.0',
  private: true,
  scripts: { start: 'node src/server.js', migrate: 'knex migrate:latest' },
  dependencies: { '@prisma/client': '^5.10.0', express: '^4.18.2', knex: '^3.1.0', mysql2: '^3.9.0' },
  devDependencies: { prisma: '^5.10.0', typescript: '~5.4.2' },
});

// ---- package-lock.json ----

const LOCK_V3 = `{
  "name": "orders-api",
  "version": "1.4.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "orders-api",
      "version": "1.4.0",
      "dependencies": {
        "@prisma/client": "^5.10.0",
        "express": "^4.18.2",
        "knex": "^3.1.0",
        "mysql2": "^3.9.0"
      },
      "devDependencies": {
        "prisma": "^5.10.0",
        "typescript": "~5.4.2"
      }
    },
    "node_modules/@prisma/client": {
      "version": "5.10.2",
      "resolved": "https://registry.npmjs.org/@prisma/client/-/client-5.10.2.tgz",
      "integrity": "sha512-ef49hzB2yJZCvM5gFHMxSFL9KYrIP9udpT5rYo0CsHD4P9IKj473MbhU1gjKKftiwWBTIyrt9jukprzZXazyag==",
      "hasInstallScript": true,
      "engines": {
        "node": ">=16.13"
      },
      "peerDependencies": {
        "prisma": "*"
      },
      "peerDependenciesMeta": {
        "prisma": {
          "optional": true
        }
      }
    },
    "node_modules/knex": {
      "version": "3.1.0",
      "resolved": "https://registry.npmjs.org/knex/-/knex-3.1.0.tgz",
      "integrity": "sha512-GLoII6hR0c4ti243gMs5/1Rb3B+AjwMOfjYm97pu0FOQa7JH56hgBxYf5WK2525ceSbBY1cjeZ9yk99GPMB6Kw==",
      "dependencies": {
        "colorette": "2.0.19",
        "mysql2": "^2.3.0"
      },
      "bin": {
        "knex": "bin/cli.js"
      }
    },
    "node_modules/knex/node_modules/mysql2": {
      "version": "2.3.3",
      "resolved": "https://registry.npmjs.org/mysql2/-/mysql2-2.3.3.tgz",
      "integrity": "sha512-wxJUev6LgMSgACDkb/InIFxDprRa6T95+VEoR+xPvtr3l2Zp5DuzaWqgXAXQyBxzxiyG+W/IrTxt+kzrdQpI9Q=="
    },
    "node_modules/mysql2": {
      "version": "3.9.7",
      "resolved": "https://registry.npmjs.org/mysql2/-/mysql2-3.9.7.tgz",
      "integrity": "sha512-KnJT8vYRcNAZv73uf9zpXqNbvBG7DJrs+1nACsjZP1HMJ1TgXEy8wnNilXAn/5i57JizXKtrUtwDB7HxT9DDpw==",
      "dependencies": {
        "denque": "^2.1.0",
        "generate-function": "^2.3.1"
      },
      "engines": {
        "node": ">= 8.0"
      }
    }
  }
}
`;

test('package-lock.json v3: the exact version, on its line in the package entry Node loads', () => {
  const files = tree({ 'package.json': APP, 'package-lock.json': LOCK_V3, 'src/db.js': '' });
  const v = installedVersion(files, 'src/db.js', 'mysql2');
  assert.equal(v?.version, '3.9.7');
  assert.deepEqual(v?.span, { path: 'package-lock.json', line: 56, column: 7, endLine: 56, endColumn: 25 });
  assert.equal(spanned(files, v), '"version": "3.9.7"');
  // Scoped, and a file at the root.
  const prisma = installedVersion(files, 'knexfile.js', '@prisma/client');
  assert.equal(prisma?.version, '5.10.2');
  assert.equal(prisma?.span.line, 22);
  assert.equal(spanned(files, prisma), '"version": "5.10.2"');
  assert.equal(installedVersion(files, 'knexfile.js', 'knex')?.version, '3.1.0');
});

test('package-lock.json v2 (both sections) reads packages; four-space indentation; npm-shrinkwrap.json wins over package-lock.json', () => {
  const v2 = JSON.stringify(
    {
      name: 'orders-api',
      lockfileVersion: 2,
      requires: true,
      packages: {
        '': { name: 'orders-api', dependencies: { mysql2: '^3.9.0' } },
        'node_modules/mysql2': { version: '3.9.8', resolved: 'https://registry.npmjs.org/mysql2/-/mysql2-3.9.8.tgz' },
      },
      dependencies: { mysql2: { version: '3.9.1', resolved: 'https://registry.npmjs.org/mysql2/-/mysql2-3.9.1.tgz' } },
    },
    null,
    4,
  );
  const files = tree({ 'package.json': APP, 'package-lock.json': v2 });
  const v = installedVersion(files, 'src/db.js', 'mysql2');
  assert.equal(v?.version, '3.9.8');
  assert.equal(spanned(files, v), '"version": "3.9.8"');
  assert.equal(v?.span.column, 13);

  // A duplicated key: JSON.parse keeps the last, and so does the span.
  const dup = LOCK_V3.replace('"node_modules/knex/node_modules/mysql2"', '"node_modules/mysql2"');
  const d = tree({ 'package.json': APP, 'package-lock.json': dup });
  const dv = installedVersion(d, 'src/db.js', 'mysql2');
  assert.equal(dv?.version, '3.9.7');
  assert.equal(dv?.span.line, 56);

  const shrinkwrap = LOCK_V3.replace(/"3\.9\.7"/, '"3.9.4"');
  const both = tree({ 'package.json': APP, 'package-lock.json': LOCK_V3, 'npm-shrinkwrap.json': shrinkwrap });
  const w = installedVersion(both, 'src/db.js', 'mysql2');
  assert.equal(w?.version, '3.9.4');
  assert.equal(w?.span.path, 'npm-shrinkwrap.json');
});

test('package-lock.json v1: the top-level dependencies entry, not a nested one', () => {
  const v1 = `{
  "name": "nestjs-realworld-example-app",
  "version": "1.1.4",
  "lockfileVersion": 1,
  "requires": true,
  "dependencies": {
    "@nestjs/typeorm": {
      "version": "7.1.5",
      "resolved": "https://registry.npmjs.org/@nestjs/typeorm/-/typeorm-7.1.5.tgz",
      "requires": {
        "mysql": "^2.18.1"
      },
      "dependencies": {
        "mysql": {
          "version": "2.17.1",
          "resolved": "https://registry.npmjs.org/mysql/-/mysql-2.17.1.tgz"
        }
      }
    },
    "mysql": {
      "version": "2.18.1",
      "resolved": "https://registry.npmjs.org/mysql/-/mysql-2.18.1.tgz",
      "integrity": "sha512-Bca+gk2YWmqp2Uf6k5NFEurwY/0td0cpebAucFpY/3jhrwrVGuxU2uQFCHjU19SJfje0yQvi+rVWdq78hR5lig==",
      "requires": {
        "bignumber.js": "9.0.0"
      }
    }
  }
}
`;
  const files = tree({
    'package.json': manifest({ name: 'nestjs-realworld-example-app', dependencies: { mysql: '^2.18.1', typeorm: '^0.2.25' } }),
    'package-lock.json': v1,
  });
  const v = installedVersion(files, 'src/app.module.ts', 'mysql');
  assert.equal(v?.version, '2.18.1');
  assert.equal(v?.span.line, 21);
  assert.equal(spanned(files, v), '"version": "2.18.1"');
  // Listed in package.json but absent from the lock: the range.
  const t = installedVersion(files, 'src/app.module.ts', 'typeorm');
  assert.equal(t?.version, '^0.2.25');
  assert.equal(t?.span.path, 'package.json');
});

// An npm workspace: apps/api needs mysql2 3, apps/legacy mysql2 2 (hoisted to the root).
const WS_LOCK = `${JSON.stringify(
  {
    name: 'shop',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'shop', workspaces: ['apps/*'], devDependencies: { typescript: '^5.4.0' } },
      'apps/api': { name: '@shop/api', version: '0.1.0', dependencies: { mysql2: '^3.9.0', knex: '^3.1.0' } },
      'apps/api/node_modules/mysql2': { version: '3.9.7', resolved: 'https://registry.npmjs.org/mysql2/-/mysql2-3.9.7.tgz' },
      'apps/legacy': { name: '@shop/legacy', version: '0.1.0', dependencies: { mysql2: '^2.3.0' } },
      'node_modules/@shop/api': { resolved: 'apps/api', link: true },
      'node_modules/@shop/legacy': { resolved: 'apps/legacy', link: true },
      'node_modules/knex': { version: '3.1.0' },
      'node_modules/mysql2': { version: '2.3.3', resolved: 'https://registry.npmjs.org/mysql2/-/mysql2-2.3.3.tgz' },
      'node_modules/typescript': { version: '5.4.5', dev: true },
    },
  },
  null,
  2,
)}\n`;
const WS = {
  'package.json': manifest({ name: 'shop', private: true, workspaces: ['apps/*'], devDependencies: { typescript: '^5.4.0' } }),
  'package-lock.json': WS_LOCK,
  'apps/api/package.json': manifest({ name: '@shop/api', version: '0.1.0', dependencies: { knex: '^3.1.0', mysql2: '^3.9.0' } }),
  'apps/legacy/package.json': manifest({ name: '@shop/legacy', version: '0.1.0', dependencies: { mysql2: '^2.3.0' } }),
  'apps/web/package.json': manifest({ name: '@shop/web', version: '0.1.0', dependencies: { next: '^14.0.0' } }),
};

test('npm workspaces: the member nested copy first, then the hoisted one; the root lock serves its members', () => {
  const files = tree(WS);
  const api = installedVersion(files, 'apps/api/src/db/knexfile.ts', 'mysql2');
  assert.equal(api?.version, '3.9.7');
  assert.equal(api?.span.path, 'package-lock.json');
  assert.equal(spanned(files, api), '"version": "3.9.7"');
  assert.equal(installedVersion(files, 'apps/legacy/db.js', 'mysql2')?.version, '2.3.3');
  assert.equal(installedVersion(files, 'apps/api/knexfile.js', 'knex')?.version, '3.1.0');
  // The root's dev dependency, from a member that does not list it: Node finds the root's.
  assert.equal(installedVersion(files, 'apps/api/src/x.ts', 'typescript')?.version, '5.4.5');
  // A member that lists nothing of the kind, and a sibling's dependency: not found.
  assert.equal(installedVersion(files, 'apps/web/db.js', 'mysql2'), undefined);
  assert.equal(installedVersion(files, 'apps/legacy/db.js', 'knex'), undefined);
});

test('a lock file above a project that is not its workspace member is someone else’s: the range', () => {
  const files = tree({
    ...WS,
    'tools/seed/package.json': manifest({ name: 'seed', dependencies: { mysql2: '~3.6.0' } }),
  });
  const v = installedVersion(files, 'tools/seed/index.js', 'mysql2');
  assert.equal(v?.version, '~3.6.0');
  assert.deepEqual(v?.span, { path: 'tools/seed/package.json', line: 4, column: 5, endLine: 4, endColumn: 23 });
  assert.equal(spanned(files, v), '"mysql2": "~3.6.0"');
});

test('package.json: the nearest that lists the package decides; one that does not (or is not JSON) is passed', () => {
  const files = tree({
    'package.json': manifest({ name: 'root', dependencies: { mysql2: '^3.2.0' }, devDependencies: { sequelize: '6.37.1' } }),
    'services/billing/package.json': manifest({ name: 'billing', dependencies: { mysql2: '3.9.2', express: '^4.19.0' } }),
    'services/billing/src/package.json': '{ "type": "module", }',
    'services/report/package.json': manifest({ name: 'report', dependencies: { pg: '^8.11.0' } }),
  });
  assert.equal(installedVersion(files, 'services/billing/src/db/pool.js', 'mysql2')?.version, '3.9.2');
  assert.equal(installedVersion(files, 'services/report/db.js', 'mysql2')?.version, '^3.2.0');
  const s = installedVersion(files, 'services/report/db.js', 'sequelize');
  assert.equal(s?.version, '6.37.1');
  assert.equal(spanned(files, s), '"sequelize": "6.37.1"');
  assert.equal(installedVersion(files, 'services/report/db.js', 'knex'), undefined);
  assert.equal(installedVersion(tree({}), 'knexfile.js', 'knex'), undefined);
  // npm's precedence: optionalDependencies over dependencies; peerDependencies last.
  const sections = tree({
    'package.json': manifest({
      name: 'lib',
      peerDependencies: { mysql2: '>=2' },
      dependencies: { mysql2: '^3.0.0' },
      optionalDependencies: { mysql2: '^3.9.0' },
      devDependencies: { typeorm: '^0.3.20' },
    }),
  });
  assert.equal(installedVersion(sections, 'index.js', 'mysql2')?.version, '^3.9.0');
  const peer = tree({ 'package.json': manifest({ name: 'plugin', peerDependencies: { knex: '>=2.4.0 <4' } }) });
  assert.equal(installedVersion(peer, 'index.js', 'knex')?.version, '>=2.4.0 <4');
});

// ---- yarn.lock ----

const YARN_V1 = `# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@prisma/client@^5.10.0", "@prisma/client@^5.9.0":
  version "5.10.2"
  resolved "https://registry.yarnpkg.com/@prisma/client/-/client-5.10.2.tgz#e087b40a4de8e3171eb9cbf0a873465cd2068e17"
  integrity sha512-ef49hzB2yJZCvM5gFHMxSFL9KYrIP9udpT5rYo0CsHD4P9IKj473MbhU1gjKKftiwWBTIyrt9jukprzZXazyag==

denque@^2.0.1, denque@^2.1.0:
  version "2.1.0"
  resolved "https://registry.yarnpkg.com/denque/-/denque-2.1.0.tgz#e93e1a6569fb5e66f16a3c2a2964617d349d6ab1"
  integrity sha512-HVQE3AAb/pxF8fQAoiqpvg9i3evqug3hoiwakOyZAwJm+6vZehbkYXZ0l4JxS+I3QxM97v5aaRNhj8v5oBhekw==

mysql2@^2.3.0:
  version "2.3.3"
  resolved "https://registry.yarnpkg.com/mysql2/-/mysql2-2.3.3.tgz#944f3deca4b16629052ff8614fbf89d5552545a0"
  integrity sha512-wxJUev6LgMSgACDkb/InIFxDprRa6T95+VEoR+xPvtr3l2Zp5DuzaWqgXAXQyBxzxiyG+W/IrTxt+kzrdQpI9Q==
  dependencies:
    denque "^2.0.1"

mysql2@^3.9.0, mysql2@^3.9.2:
  version "3.9.7"
  resolved "https://registry.yarnpkg.com/mysql2/-/mysql2-3.9.7.tgz#843755daf65b5ef08afe545fe14b8fb62824741a"
  integrity sha512-KnJT8vYRcNAZv73uf9zpXqNbvBG7DJrs+1nACsjZP1HMJ1TgXEy8wnNilXAn/5i57JizXKtrUtwDB7HxT9DDpw==
  dependencies:
    denque "^2.1.0"
    generate-function "^2.3.1"

"sequelize@>= 6.30 < 7":
  version "6.37.1"
  resolved "https://registry.yarnpkg.com/sequelize/-/sequelize-6.37.1.tgz#8f2d7b8c2c8e2a2b2b1c1a7a0e7e5d6b9e0c1d2e"
`;

test('yarn.lock v1: the entry whose header lists the manifest range, quoted, scoped or spaced', () => {
  const pkg = manifest({ name: 'app', dependencies: { '@prisma/client': '^5.9.0', mysql2: '^3.9.2', sequelize: '>= 6.30 < 7' } });
  const files = tree({ 'package.json': pkg, 'yarn.lock': YARN_V1 });
  const v = installedVersion(files, 'src/db.ts', 'mysql2');
  assert.equal(v?.version, '3.9.7');
  assert.deepEqual(v?.span, { path: 'yarn.lock', line: 23, column: 3, endLine: 23, endColumn: 18 });
  assert.equal(spanned(files, v), 'version "3.9.7"');
  assert.equal(installedVersion(files, 'src/db.ts', '@prisma/client')?.version, '5.10.2');
  assert.equal(installedVersion(files, 'src/db.ts', 'sequelize')?.version, '6.37.1');
  // With Windows line ends too.
  const crlf = tree({ 'package.json': pkg, 'yarn.lock': YARN_V1.replace(/\n/g, '\r\n') });
  const w = installedVersion(crlf, 'src/db.ts', 'mysql2');
  assert.equal(w?.version, '3.9.7');
  assert.equal(spanned(crlf, w), 'version "3.9.7"');
});

test('yarn.lock v1: a range the lock does not list takes the only version, else the manifest range', () => {
  const stale = tree({ 'package.json': manifest({ name: 'app', dependencies: { '@prisma/client': '^5.10.1' } }), 'yarn.lock': YARN_V1 });
  assert.equal(installedVersion(stale, 'a.js', '@prisma/client')?.version, '5.10.2');
  // A malformed entry that is not the one chosen does not spoil the lock.
  const odd = YARN_V1.replace('version "2.3.3"', 'version "2.3"');
  const pick = tree({ 'package.json': manifest({ name: 'app', dependencies: { mysql2: '^3.9.0' } }), 'yarn.lock': odd });
  assert.equal(installedVersion(pick, 'a.js', 'mysql2')?.version, '3.9.7');
  const oddOnly = tree({ 'package.json': manifest({ name: 'app', dependencies: { mysql2: '^2.3.0' } }), 'yarn.lock': odd });
  assert.equal(installedVersion(oddOnly, 'a.js', 'mysql2')?.version, '^2.3.0');
  const two = tree({ 'package.json': manifest({ name: 'app', dependencies: { mysql2: '^3.1.0' } }), 'yarn.lock': YARN_V1 });
  const v = installedVersion(two, 'a.js', 'mysql2');
  assert.equal(v?.version, '^3.1.0');
  assert.equal(v?.span.path, 'package.json');
});

const BERRY = `# This file is generated by running "yarn install" inside your project.
# Manual changes might be lost - proceed with caution!

__metadata:
  version: 8
  cacheKey: 10c0

"@prisma/client@npm:^5.10.0":
  version: 5.10.2
  resolution: "@prisma/client@npm:5.10.2"
  peerDependencies:
    prisma: "*"
  peerDependenciesMeta:
    prisma:
      optional: true
  checksum: 10c0/6d6f5e1b0b0b9a1f6f6b2f5b8c1e1f8e1f1b0d8f1e8b0a7f6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3
  languageName: node
  linkType: hard

"@shop/api@workspace:apps/api":
  version: 0.0.0-use.local
  resolution: "@shop/api@workspace:apps/api"
  dependencies:
    "@prisma/client": "npm:^5.10.0"
    mysql2: "npm:^3.9.0"
  languageName: unknown
  linkType: soft

"mysql2@npm:^2.3.0":
  version: 2.3.3
  resolution: "mysql2@npm:2.3.3"
  languageName: node
  linkType: hard

"mysql2@npm:^3.9.0, mysql2@npm:^3.9.2":
  version: 3.9.7
  resolution: "mysql2@npm:3.9.7"
  dependencies:
    denque: "npm:^2.1.0"
  checksum: 10c0/0a9f4e5f0c5f3e0ab1f1d6a1c9e7d8b6c5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0
  languageName: node
  linkType: hard

"shop@workspace:.":
  version: 0.0.0-use.local
  resolution: "shop@workspace:."
  languageName: unknown
  linkType: soft
`;

test('yarn.lock berry: `name@npm:range` headers; a workspace member (package.json globs) reads the root lock', () => {
  const files = tree({
    'package.json': manifest({
      name: 'shop',
      private: true,
      workspaces: { packages: ['apps/*', '!apps/sandbox'] },
      packageManager: 'yarn@4.1.1',
    }),
    'yarn.lock': BERRY,
    'apps/api/package.json': manifest({ name: '@shop/api', dependencies: { '@prisma/client': '^5.10.0', mysql2: '^3.9.0' } }),
    'apps/sandbox/package.json': manifest({ name: 'sandbox', dependencies: { mysql2: '^3.9.0' } }),
  });
  const v = installedVersion(files, 'apps/api/src/db.ts', 'mysql2');
  assert.equal(v?.version, '3.9.7');
  assert.deepEqual(v?.span, { path: 'yarn.lock', line: 36, column: 3, endLine: 36, endColumn: 17 });
  assert.equal(spanned(files, v), 'version: 3.9.7');
  assert.equal(installedVersion(files, 'apps/api/src/db.ts', '@prisma/client')?.version, '5.10.2');
  // Excluded from the workspaces: not the root lock's.
  assert.equal(installedVersion(files, 'apps/sandbox/db.ts', 'mysql2')?.version, '^3.9.0');
});

// ---- pnpm-lock.yaml ----

const PNPM_V9 = `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    devDependencies:
      typescript:
        specifier: ^5.4.0
        version: 5.4.5

  apps/api:
    dependencies:
      '@prisma/client':
        specifier: ^5.10.0
        version: 5.10.2(prisma@5.10.2)
      '@shop/db':
        specifier: workspace:*
        version: link:../../packages/db
      knex:
        specifier: ^3.1.0
        version: 3.1.0(mysql2@3.9.7)
      mysql2:
        specifier: ^3.9.0
        version: 3.9.7
    devDependencies:
      prisma:
        specifier: ^5.10.0
        version: 5.10.2

  packages/db:
    dependencies:
      mysql2:
        specifier: 3.6.5
        version: 3.6.5

packages:

  '@prisma/client@5.10.2':
    resolution: {integrity: sha512-ef49hzB2yJZCvM5gFHMxSFL9KYrIP9udpT5rYo0CsHD4P9IKj473MbhU1gjKKftiwWBTIyrt9jukprzZXazyag==}
    engines: {node: '>=16.13'}

  mysql2@3.9.7:
    resolution: {integrity: sha512-KnJT8vYRcNAZv73uf9zpXqNbvBG7DJrs+1nACsjZP1HMJ1TgXEy8wnNilXAn/5i57JizXKtrUtwDB7HxT9DDpw==}
    engines: {node: '>= 8.0'}
`;

test('pnpm-lock.yaml v9: the member importer, the peer suffix dropped; a link is not a version', () => {
  const files = tree({
    'package.json': manifest({ name: 'shop', private: true, devDependencies: { typescript: '^5.4.0' } }),
    'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n  - 'packages/*'\n",
    'pnpm-lock.yaml': PNPM_V9,
    'apps/api/package.json': manifest({
      name: '@shop/api',
      dependencies: { '@prisma/client': '^5.10.0', '@shop/db': 'workspace:*', knex: '^3.1.0', mysql2: '^3.9.0' },
    }),
    'packages/db/package.json': manifest({ name: '@shop/db', dependencies: { mysql2: '3.6.5' } }),
  });
  const v = installedVersion(files, 'apps/api/src/knexfile.ts', 'mysql2');
  assert.equal(v?.version, '3.9.7');
  assert.deepEqual(v?.span, { path: 'pnpm-lock.yaml', line: 28, column: 9, endLine: 28, endColumn: 23 });
  assert.equal(installedVersion(files, 'apps/api/src/knexfile.ts', 'knex')?.version, '3.1.0');
  const prisma = installedVersion(files, 'apps/api/src/knexfile.ts', '@prisma/client');
  assert.equal(prisma?.version, '5.10.2');
  assert.equal(spanned(files, prisma), 'version: 5.10.2(prisma@5.10.2)');
  assert.equal(installedVersion(files, 'packages/db/index.ts', 'mysql2')?.version, '3.6.5');
  assert.equal(installedVersion(files, 'scripts/build.ts', 'typescript')?.version, '5.4.5');
  const linked = installedVersion(files, 'apps/api/src/knexfile.ts', '@shop/db');
  assert.equal(linked?.version, 'workspace:*');
  assert.equal(linked?.span.path, 'apps/api/package.json');
});

test('pnpm-lock.yaml v6, single project: top-level sections with specifier and version', () => {
  const lock = `lockfileVersion: '6.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

dependencies:
  '@prisma/client':
    specifier: ^4.13.0
    version: 4.13.0(prisma@4.13.0)
  mysql2:
    specifier: ^3.2.0
    version: 3.2.4

devDependencies:
  prisma:
    specifier: ^4.13.0
    version: 4.13.0

packages:

  /@prisma/client@4.13.0(prisma@4.13.0):
    resolution: {integrity: sha512-YaiiICcRB2hatxsbnfB66uWXjcRw3jsZdlAVxmx0cFcTc/Ad/sKdHCcWSnqyDX47vAewkjRFwiLwrOUjswVvmA==}
    engines: {node: '>=14.17'}
`;
  const files = tree({
    'package.json': manifest({
      name: 'taxonomy',
      dependencies: { '@prisma/client': '^4.13.0', mysql2: '^3.2.0' },
      devDependencies: { prisma: '^4.13.0' },
    }),
    'pnpm-lock.yaml': lock,
  });
  const v = installedVersion(files, 'lib/db.ts', '@prisma/client');
  assert.equal(v?.version, '4.13.0');
  assert.equal(v?.span.line, 10);
  assert.equal(installedVersion(files, 'lib/db.ts', 'mysql2')?.version, '3.2.4');
  assert.equal(installedVersion(files, 'lib/db.ts', 'prisma')?.version, '4.13.0');
});

test('pnpm-lock.yaml v5: `name: version_peers` under specifiers-style sections, single project and importers', () => {
  const single = `lockfileVersion: 5.4

specifiers:
  '@prisma/client': ^4.8.0
  mysql2: ^2.3.3
  typeorm: ^0.3.11

dependencies:
  '@prisma/client': 4.8.1_prisma@4.8.1
  mysql2: 2.3.3
  typeorm: 0.3.11_mysql2@2.3.3

packages:

  /mysql2/2.3.3:
    resolution: {integrity: sha512-wxJUev6LgMSgACDkb/InIFxDprRa6T95+VEoR+xPvtr3l2Zp5DuzaWqgXAXQyBxzxiyG+W/IrTxt+kzrdQpI9Q==}
    engines: {node: '>= 8.0'}
`;
  const pkg = manifest({ name: 'api', dependencies: { '@prisma/client': '^4.8.0', mysql2: '^2.3.3', typeorm: '^0.3.11' } });
  const files = tree({ 'package.json': pkg, 'pnpm-lock.yaml': single });
  const t = installedVersion(files, 'src/data-source.ts', 'typeorm');
  assert.equal(t?.version, '0.3.11');
  assert.equal(spanned(files, t), 'typeorm: 0.3.11_mysql2@2.3.3');
  assert.equal(t?.span.line, 11);
  assert.equal(installedVersion(files, 'src/data-source.ts', '@prisma/client')?.version, '4.8.1');

  const importers = `lockfileVersion: 5.4

importers:

  .:
    specifiers:
      typescript: ^4.9.4
    devDependencies:
      typescript: 4.9.4

  packages/api:
    specifiers:
      knex: ^2.4.0
      mysql2: ^2.3.3
    dependencies:
      knex: 2.4.2_mysql2@2.3.3
      mysql2: 2.3.3
`;
  const ws = tree({
    'package.json': manifest({ name: 'mono', private: true, devDependencies: { typescript: '^4.9.4' } }),
    'pnpm-lock.yaml': importers,
    'packages/api/package.json': manifest({ name: 'api', dependencies: { knex: '^2.4.0', mysql2: '^2.3.3' } }),
    'packages/other/package.json': manifest({ name: 'other', dependencies: { knex: '^2.5.0' } }),
  });
  const k = installedVersion(ws, 'packages/api/knexfile.js', 'knex');
  assert.equal(k?.version, '2.4.2');
  assert.equal(k?.span.line, 16);
  // Not an importer of the root lock: the range.
  assert.equal(installedVersion(ws, 'packages/other/knexfile.js', 'knex')?.version, '^2.5.0');
});

// ---- malformed and conflicting input ----

test('malformed lock files and manifests never throw: the manifest range (or undefined) instead', () => {
  const truncated = LOCK_V3.slice(0, 1500);
  for (const [name, text] of [
    ['package-lock.json', truncated],
    ['package-lock.json', '{"lockfileVersion": 3, "packages": []}'],
    ['package-lock.json', '{"lockfileVersion": 3, "packages": {"node_modules/mysql2": {"version": 397}}}'],
    ['package-lock.json', '{"lockfileVersion": 3, "packages": {"node_modules/mysql2": {"version": "npm:mysql2@3.9.7"}}}'],
    ['package-lock.json', ''],
    ['yarn.lock', 'mysql2@^3.9.0:\n  version "3.9"\n'],
    ['yarn.lock', '\u0000\u0001 binary ~~~ :\n\n  :\n'],
    [
      'pnpm-lock.yaml',
      "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      mysql2:\n        specifier: ^3.9.0\n        version: [oops\n",
    ],
    ['pnpm-lock.yaml', "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      mysql2: {specifier: ^3.9.0, version: 3.9.7}\n"],
  ] as const) {
    const files = tree({ 'package.json': APP, [name]: text });
    const v = installedVersion(files, 'src/db.js', 'mysql2');
    assert.equal(v?.version, '^3.9.0', `${name}: ${text.slice(0, 40)}`);
    assert.equal(spanned(files, v), '"mysql2": "^3.9.0"');
  }
  assert.equal(installedVersion(tree({ 'package.json': '{"dependencies": {"mysql2": 3}}' }), 'a.js', 'mysql2'), undefined);
  assert.equal(installedVersion(tree({ 'package.json': '[]' }), 'a.js', 'mysql2'), undefined);
  assert.equal(installedVersion(tree({ 'package.json': '' }), 'a.js', 'mysql2'), undefined);
  const throwing: TreeFiles = {
    isFile: () => true,
    readText: () => {
      throw new Error('EACCES');
    },
  };
  assert.equal(installedVersion(throwing, 'a/b.js', 'mysql2'), undefined);
  // A minified package.json still gives the dependency's place; a byte-order mark is not a column.
  const min = tree({ 'package.json': '\ufeff{"name":"x","dependencies":{"mysql2":"^3.9.0"}}' });
  assert.deepEqual(installedVersion(min, 'a.js', 'mysql2')?.span, { path: 'package.json', line: 1, column: 29, endLine: 1, endColumn: 46 });
});

test('lock files of one folder that disagree give the range; that agree, the version', () => {
  const pkg = manifest({ name: 'app', dependencies: { '@prisma/client': '^5.9.0', mysql2: '^3.9.2' } });
  const disagree = tree({ 'package.json': pkg, 'package-lock.json': LOCK_V3.replace(/"3\.9\.7"/, '"3.9.8"'), 'yarn.lock': YARN_V1 });
  assert.equal(installedVersion(disagree, 'db.js', 'mysql2')?.version, '^3.9.2');
  const agree = tree({ 'package.json': pkg, 'package-lock.json': LOCK_V3, 'yarn.lock': YARN_V1 });
  assert.equal(installedVersion(agree, 'db.js', 'mysql2')?.version, '3.9.7');
  // One lock without the package does not outvote one with it.
  const partial = tree({
    'package.json': pkg,
    'package-lock.json': LOCK_V3,
    'pnpm-lock.yaml': "lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n",
  });
  assert.equal(installedVersion(partial, 'db.js', 'mysql2')?.version, '3.9.7');
});

// ---- this repository's own lock file, as a large real one ----

test('this repository: a dev dependency from its own package-lock.json, on the right line', () => {
  let root = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(root, 'package-lock.json')) && dirname(root) !== root) root = dirname(root);
  const lockText = readFileSync(join(root, 'package-lock.json'), 'utf8');
  assert.ok(lockText.length > 10_000);
  const files: TreeFiles = {
    isFile: (p) => existsSync(join(root, p)) && statSync(join(root, p)).isFile(),
    readText: (p) => readFileSync(join(root, p), 'utf8'),
  };
  const lock = JSON.parse(lockText) as { packages: Record<string, { version?: string }> };
  const started = performance.now();
  const v = installedVersion(files, 'src/cli/main.ts', 'typescript');
  assert.ok(performance.now() - started < 2000);
  assert.equal(v?.version, lock.packages['node_modules/typescript']?.version);
  const line = lockText.split('\n')[(v?.span.line ?? 0) - 1] ?? '';
  assert.equal(line.trim(), `"version": "${v?.version}",`);
  // The entry above the line is typescript's.
  const before = lockText.split('\n').slice(0, v?.span.line).reverse();
  assert.ok(before.find((l) => /^\s*"node_modules\//.test(l))?.includes('"node_modules/typescript"'));
});
