import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lint } from '../src/engine/run.js';
import { inspectJson } from '../src/inspect/inspect-json.js';
import type { Pool } from '../src/model/model.js';
import { renderer } from '../src/report/index.js';
import { tempRepo } from '../test/temp-repo.js';

const CORPUS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');

interface Source {
  kind: string;
  saved: string;
  repository: string;
  path: string;
}

/** SOURCES.tsv: kind, saved_file, repository, path, commit, license, notes. */
function sources(): Source[] {
  const lines = readFileSync(join(CORPUS, 'SOURCES.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  return lines.map((l) => {
    const [kind = '', saved = '', repository = '', path = ''] = l.split('\t');
    return { kind, saved, repository, path };
  });
}

/**
 * Each repository of corpus/spring as a tree with its files at their real paths (a Spring file only
 * means something where Boot looks for it), with the files of other kinds from the same repository
 * (the "PAIR with" rows: its my.cnf).
 */
function repositoryTrees(): Array<{ repository: string; files: Record<string, Buffer> }> {
  const all = sources();
  const repos = [...new Set(all.filter((s) => s.kind === 'spring').map((s) => s.repository))].sort();
  return repos.map((repository) => ({
    repository,
    files: Object.fromEntries(all.filter((s) => s.repository === repository).map((s) => [s.path, readFileSync(join(CORPUS, s.saved))])),
  }));
}

test('the Spring corpus is present', () => {
  assert.ok(existsSync(join(CORPUS, 'spring')), `corpus not found at ${CORPUS}`);
  assert.ok(repositoryTrees().length >= 5);
});

/** What each file configures, written from reading the files (not from connlint's output). */
const EXPECTED: Record<string, (pools: Pool[]) => void> = {
  'xuxueli/xxl-job': (pools) => {
    // type HikariDataSource; kebab-case keys; MySQL URL.
    const [pool] = pools;
    assert.equal(pools.length, 1);
    assert.equal(pool?.engine, 'mysql');
    assert.deepEqual(pool?.settings.get('maxLifetime')?.value, { kind: 'duration', ms: 900000 });
    assert.deepEqual(pool?.settings.get('minimumIdle')?.value, { kind: 'count', value: 10 });
    assert.deepEqual(pool?.settings.get('maximumPoolSize')?.value, { kind: 'count', value: 30 });
    assert.equal(pool?.name, 'HikariCP');
  },
  'apache/fineract': (pools) => {
    // Every hikari key is ${ENV:default}; the driver is MariaDB's; `connectionTestquery` binds (relaxed binding ignores case).
    const [pool] = pools;
    assert.equal(pools.length, 1);
    assert.equal(pool?.engine, 'mariadb');
    assert.deepEqual(pool?.settings.get('minimumIdle')?.value, { kind: 'count', value: 3 });
    assert.deepEqual(pool?.settings.get('connectionTestQuery')?.value, { kind: 'string', value: 'SELECT 1' });
    assert.equal(pool?.settings.get('maxLifetime')?.origin.kind, 'library-default');
  },
  'jhipster/jhipster-sample-app': (pools) => {
    // Profile files only: dev (H2), prod (PostgreSQL), and the test configuration's testprod profile.
    assert.deepEqual(pools.map((p) => p.environment).sort(), ['dev', 'prod', 'testprod']);
    const prod = pools.find((p) => p.environment === 'prod');
    assert.equal(prod?.engine, 'postgresql');
    assert.deepEqual(prod?.settings.get('autoCommit')?.value, { kind: 'bool', value: false });
    assert.equal(pools.find((p) => p.environment === 'dev')?.engine, undefined);
    const test = pools.find((p) => p.environment === 'testprod');
    assert.deepEqual(test?.settings.get('maximumPoolSize')?.value, { kind: 'count', value: 1 });
  },
  'TomokiIwai/d3-spring-test-db': (pools) => {
    // No pool key: HikariCP defaults; the 5.1 driver class names MySQL.
    assert.equal(pools.length, 1);
    assert.equal(pools[0]?.engine, 'mysql');
    assert.deepEqual(pools[0]?.settings.get('maxLifetime')?.value, { kind: 'duration', ms: 1800000 });
  },
  'dev-fjk/job-sample-api': (pools) => {
    assert.equal(pools.length, 1);
    assert.equal(pools[0]?.host, 'localhost');
  },
};

for (const { repository, files } of repositoryTrees()) {
  test(`corpus/spring ${repository}: every file read, no crash, no error-level finding, the pools the files describe`, async () => {
    const run = await lint({ cwd: tempRepo(files, 'connlint-spring-corpus-'), paths: [] });
    for (const path of Object.keys(files).filter((p) => /application[^/]*\.(properties|ya?ml)$/.test(p))) {
      const file = run.model.files.find((f) => f.path === path);
      assert.equal(file?.kind, 'spring-boot', `${path}: ${file?.reason}`);
    }
    // The files are configurations that start (read line by line): nothing in them is an error.
    assert.deepEqual(
      run.result.findings.filter((f) => f.severity === 'error' || f.ruleId === 'internal-error'),
      [],
    );
    for (const format of ['stylish', 'json', 'sarif', 'github'] as const)
      assert.equal(typeof renderer(format)(run.result, { color: false }), 'string');
    assert.equal(inspectJson({ model: run.model }).pools.length, run.model.pools.length);
    const check = EXPECTED[repository];
    assert.ok(check, `no expectation written for ${repository}`);
    check(run.model.pools);
  });
}
