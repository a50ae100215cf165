import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { lint } from '../../src/engine/run.js';
import { inspectJson, type JsonPool } from '../../src/inspect/inspect-json.js';
import { isSecretKey } from '../../src/model/secrets.js';
import {
  type HikariOracleResult,
  loadWithJava,
  type PropertiesOracleResult,
  repoRoot,
  validateWithHikari,
} from '../oracles/java-oracle.js';

/*
 * Differential test through `connlint inspect --format json` (issue #12): each HikariCP case file is linted
 * alone, as `hikari.properties` beside a connlint.config.yaml declaring HikariCP 2.7.9, and the one pool of the
 * inspect document is compared with the 2.7.9 jar (HikariEffective.java: `new HikariConfig(props).validate()`)
 * and with java.util.Properties (PropertiesDump.java). The model-level twin is test/model/hikaricp-differential.
 */

const FOLDERS = ['test/model/hikari-cases', 'test/inspect/differential-cases/hikari'];

/**
 * Files connlint must not take for HikariCP, by case path, and why. HikariConfig itself takes any properties
 * file (the oracle even fills in a dummy jdbcUrl), so whether a file is HikariCP's is connlint's call: a file is
 * one when it holds a key only HikariCP uses (jdbcUrl, maximumPoolSize, maxLifetime ...), a `dataSource.` key or
 * Hibernate's `hibernate.hikari.` prefix. Every file in test/model/hikari-cases has jdbcUrl or maxLifetime.
 */
const NOT_HIKARI: Record<string, string> = {
  'test/inspect/differential-cases/hikari/shared-keys-only.properties':
    'username, password and autoCommit are keys c3p0, DBCP and plain JDBC code use too; nothing names HikariCP',
  'test/inspect/differential-cases/hikari/comments-only.properties': 'comments only: no key at all',
};

/** What the HikariConfig getters return after validate(): milliseconds, except the two pool sizes. */
const EFFECTIVE_KEYS: Record<string, 'ms' | 'count'> = {
  maxLifetime: 'ms',
  idleTimeout: 'ms',
  minimumIdle: 'count',
  maximumPoolSize: 'count',
  connectionTimeout: 'ms',
  validationTimeout: 'ms',
  leakDetectionThreshold: 'ms',
};
const SECRET = '<masked secret>';

interface Case {
  /** Repository-relative path of the case file. */
  label: string;
  /** Temp directory holding the copy as hikari.properties and the config. */
  dir: string;
  file: string;
}

const workDir = mkdtempSync(path.join(os.tmpdir(), 'connlint-inspect-hikari-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

const cases: Case[] = FOLDERS.flatMap((folder) =>
  readdirSync(path.join(repoRoot, folder))
    .filter((f) => f.endsWith('.properties'))
    .sort()
    .map((f) => `${folder}/${f}`),
).map((label, i) => {
  const dir = path.join(workDir, `${String(i).padStart(2, '0')}-${path.basename(label, '.properties')}`);
  mkdirSync(dir);
  const file = path.join(dir, 'hikari.properties');
  copyFileSync(path.join(repoRoot, label), file);
  writeFileSync(path.join(dir, 'connlint.config.yaml'), 'libraries:\n  hikaricp: 2.7.9\n');
  return { label, dir, file };
});

interface Oracles {
  jar: Record<string, HikariOracleResult>;
  properties: Record<string, PropertiesOracleResult>;
}

let oracles: Oracles | undefined;
/** Both JVM runs take every file at once; a missing java or jar throws with the fix, failing the test that asks. */
function runOracles(): Oracles {
  oracles ??= { jar: validateWithHikari(cases.map((c) => c.file)), properties: loadWithJava(cases.map((c) => c.file)) };
  return oracles;
}

function effective(pool: JsonPool, key: string): { value: unknown; unit: unknown } {
  const s = pool.settings.find((x) => x.key === key);
  return s ? { value: s.value, unit: s.unit } : { value: 'no such setting', unit: null };
}

test('the case folders hold HikariCP cases and the files connlint rejects', () => {
  assert.ok(cases.length >= 30, `expected the case files of ${FOLDERS.join(', ')}, found ${cases.length}`);
  for (const label of Object.keys(NOT_HIKARI)) {
    assert.ok(
      cases.some((c) => c.label === label),
      `${label} is listed as not HikariCP but is not a case file`,
    );
  }
});

test('the oracles (java.util.Properties, HikariCP 2.7.9 jar) answer for every case', () => {
  const { jar, properties } = runOracles();
  for (const c of cases) {
    assert.ok(jar[c.file], `no HikariEffective result for ${c.label}`);
    assert.ok(properties[c.file], `no PropertiesDump result for ${c.label}`);
  }
  const failures = cases.filter((c) => jar[c.file]?.ok === false).length;
  assert.ok(failures >= 5 && failures < cases.length - 20, `the cases should mix start-up failures and starts (${failures} failures)`);
});

for (const c of cases) {
  test(`inspect pool equals HikariCP 2.7.9: ${c.label}`, async () => {
    const run = await lint({ cwd: c.dir, paths: ['.'] });
    const doc = inspectJson({ model: run.model });
    // What the file says about itself: unreadable text (parse-error) and values that stop the pool (startup-failure).
    const parseErrors = run.result.findings.filter(
      (f) => (f.ruleId === 'parse-error' || f.ruleId === 'startup-failure') && f.location.path === 'hikari.properties',
    );
    const listErrors = () => JSON.stringify(parseErrors.map((f) => `${f.severity} ${f.location.line}: ${f.message}`));

    if (NOT_HIKARI[c.label]) {
      assert.deepEqual(doc.pools, [], `${c.label} is not HikariCP (${NOT_HIKARI[c.label]}) but inspect shows a pool`);
      return;
    }
    assert.equal(doc.pools.length, 1, `${c.label}: expected exactly one pool, got ${JSON.stringify(doc.pools.map((p) => p.id))}`);
    const pool = doc.pools[0] as JsonPool;
    assert.equal(pool.library, 'hikaricp');
    assert.equal(pool.libraryVersion?.version, '2.7.9', 'the declared version from connlint.config.yaml');

    const { jar, properties } = runOracles();
    const started = jar[c.file];
    assert.ok(started, `no HikariEffective result for ${c.label}`);
    if (started.ok) {
      const errors = parseErrors.filter((f) => f.severity === 'error');
      assert.deepEqual(errors, [], `${c.label}: the jar starts the pool but lint reports errors: ${listErrors()}`);
      const ours = Object.fromEntries(Object.keys(EFFECTIVE_KEYS).map((k) => [k, effective(pool, k)]));
      const theirs = Object.fromEntries(Object.entries(EFFECTIVE_KEYS).map(([k, unit]) => [k, { value: started[k], unit }]));
      assert.deepEqual(ours, theirs, `${c.label}: inspect values differ from HikariConfig.validate() in the 2.7.9 jar`);
    } else {
      // The jar's own exception text (after the class name) must be in the finding that reports it.
      const javaMessage = started.error.replace(/^[\w.$]+: /, '');
      assert.ok(
        parseErrors.some((f) => f.message.includes(javaMessage)),
        `${c.label}: the jar fails with "${started.error}" but lint's parse-error and startup-failure findings are ${listErrors()}`,
      );
    }

    const loaded = properties[c.file];
    assert.ok(loaded, `no PropertiesDump result for ${c.label}`);
    if (!loaded.ok) {
      assert.ok(
        parseErrors.some((f) => f.severity === 'error'),
        `${c.label}: Properties.load fails (${loaded.error}) but lint reports no error: ${listErrors()}`,
      );
      return;
    }
    // Every key the file sets is one setting whose `written` is the key and whose `text` is the value Java reads.
    const written = pool.settings.filter((s) => s.written !== null);
    const ours = Object.fromEntries(
      written.map((s) => {
        const key = s.written as string;
        if (!isSecretKey(key)) return [key, s.text];
        const java = loaded.entries[key];
        return [key, s.text !== null && s.text !== '' && s.text === java ? `revealed: ${s.text}` : SECRET];
      }),
    );
    const theirs = Object.fromEntries(Object.entries(loaded.entries).map(([k, v]) => [k, isSecretKey(k) ? SECRET : v]));
    assert.deepEqual(ours, theirs, `${c.label}: written keys and their text differ from java.util.Properties`);
  });
}
