import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { compileSchemaValidator, PRECOMPILED_VALIDATOR } from '../../src/config/load-config.js';

const require = createRequire(import.meta.url);
const CONFIG_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../src/config');
const FILE = join(CONFIG_DIR, PRECOMPILED_VALIDATOR);

/** What a validation says, in the parts load-config.ts reads from each error. */
function verdict(validate: ValidateFunction, data: unknown) {
  const ok = validate(data);
  const errors = (validate.errors ?? []).map((e) => ({
    keyword: e.keyword,
    instancePath: e.instancePath,
    params: e.params,
    propertyName: e.propertyName,
    schema: e.schema,
    expected: (e.parentSchema as Record<string, unknown> | undefined)?.['x-expected'],
  }));
  return { ok, errors };
}

const SAMPLES: unknown[] = [
  {},
  { network: { idleTimeout: '350s', profile: ['aws-nat-gateway', 'aws-nlb-tcp'] } },
  { network: { idleTimeout: true, profile: 'no-such-profile' } },
  { netwrk: {} },
  { database: { engine: 'oracle', version: 8, variables: { wait_timeout: [1] } } },
  { links: [{ pool: 'a/**' }], mounts: { 'relative/path': 'x' } },
  { instances: { 'api/**': 0, worker: 2.5, other: 'four' } },
  { libraries: { hikaricp: 'six', unknownlib: '1.0' } },
  { rules: { 'pool-missing-validation': { severity: 'loud', options: { marginSeconds: -1 } } } },
  { overrides: [{ files: [], rules: {} }, { rules: { x: 'off' } }] },
  { include: 'not-a-list', exclude: [1, 2] },
  { optionFiles: { flavor: 'percona', version: [] } },
];

test('npm run build leaves the schema compiled to standalone code, and it validates exactly as ajv compiling the schema now', () => {
  assert.ok(existsSync(FILE), `${FILE} is missing: npm run build writes it (src/dev/compile-config-schema.ts)`);
  const precompiled = require(FILE) as ValidateFunction;
  const now = compileSchemaValidator();
  for (const sample of SAMPLES) assert.deepEqual(verdict(precompiled, sample), verdict(now, sample), JSON.stringify(sample));
  assert.ok(SAMPLES.filter((s) => !verdict(now, s).ok).length >= 10, 'the samples exercise the error paths');
});

test("reading a config with the precompiled validator does not load ajv's compiler", () => {
  const script = [
    'const { loadConfig } = await import(process.argv[1]);',
    "const { errors } = loadConfig('connlint.config.yaml', 'network:\\n  idleTimeout: 350s\\nnetwrk: 1\\n', []);",
    "const { createRequire } = await import('node:module');",
    'const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => /node_modules\\/ajv\\/dist\\/(ajv|core|compile)/.test(k));',
    'console.log(JSON.stringify({ errors: errors.length, loaded }));',
  ].join('\n');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, join(CONFIG_DIR, 'load-config.js')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { errors: 1, loaded: [] });
});
