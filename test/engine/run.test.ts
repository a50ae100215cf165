import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { emptyConfig } from '../../src/config/config.js';
import { createLintCache } from '../../src/engine/cache.js';
import { defineRule } from '../../src/engine/define-rule.js';
import { problemRule } from '../../src/engine/problem-rule.js';
import { lint, runRules, UsageError } from '../../src/engine/run.js';
import type { Model } from '../../src/model/model.js';
import { lineSpan } from '../../src/model/span.js';
import { tempRepo } from '../temp-repo.js';

const OVER = {
  'my.cnf': '[mysqld]\nwait_timeout = 600\n',
  'hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\n',
};

test('the config sets a rule off, or its severity for all its findings', async () => {
  const base = (await lint({ cwd: tempRepo(OVER), paths: [] })).result.findings;
  assert.deepEqual(
    base.map((f) => [f.ruleId, f.severity]),
    [['pool-lifetime-exceeds-wait-timeout', 'warning']],
  );
  const off = await lint({
    cwd: tempRepo({ ...OVER, 'connlint.config.yaml': 'rules:\n  pool-lifetime-exceeds-wait-timeout: off\n' }),
    paths: [],
  });
  assert.deepEqual(off.result.findings, []);
  assert.ok(!off.result.rules.some((r) => r.id === 'pool-lifetime-exceeds-wait-timeout'), 'an off rule is not in the SARIF rules');
  const error = await lint({
    cwd: tempRepo({ ...OVER, 'connlint.config.yaml': 'rules:\n  pool-lifetime-exceeds-wait-timeout: error\n' }),
    paths: [],
  });
  assert.deepEqual(
    error.result.findings.map((f) => f.severity),
    ['error'],
  );
});

test('rule options from the config replace the defaults (marginSeconds)', async () => {
  // 590 s is 10 s under wait_timeout: fine with the default 5 s margin, too close with 30 s.
  const files = { 'my.cnf': '[mysqld]\nwait_timeout = 600\n', 'hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=590000\n' };
  assert.deepEqual((await lint({ cwd: tempRepo(files), paths: [] })).result.findings, []);
  const strict = await lint({
    cwd: tempRepo({
      ...files,
      'connlint.config.yaml': 'rules:\n  pool-lifetime-exceeds-wait-timeout: { severity: error, options: { marginSeconds: 30 } }\n',
    }),
    paths: [],
  });
  assert.equal(strict.result.findings.length, 1);
  assert.match(strict.result.findings[0]?.message ?? '', /Set maxLifetime to 570000 \(570 s\) or lower\./);
});

test('an invalid config or an unknown rule id is a usage error naming file, line and key', async () => {
  await assert.rejects(
    () => lint({ cwd: tempRepo({ 'connlint.config.yaml': 'rules:\n  no-such-rule: error\n' }), paths: [] }),
    (e: unknown) =>
      e instanceof UsageError && e.details.some((d) => d.startsWith('connlint.config.yaml:2:3: rules.no-such-rule: unknown rule')),
  );
  await assert.rejects(() => lint({ cwd: tempRepo({}), paths: ['missing-dir'] }), /no such file or directory: missing-dir/);
});

test('a rule that throws becomes an internal-error finding and the other rules still report', async () => {
  const model: Model = {
    files: [{ path: 'my.cnf', kind: 'mysql-option-file', owner: 'certain', reason: 'default option-file name' }],
    servers: [],
    pools: [],
    clients: [],
    holders: [],
    problems: [],
    hosts: [],
    network: { elements: [] },
    links: [],
    paths: [],
  };
  const broken = defineRule({
    id: 'broken-rule',
    summary: 'Always throws',
    severity: 'error',
    tags: [],
    status: { kind: 'stable', since: '0.0.0' },
    options: {},
    docs: { whatItDoes: '', whyIsThisBad: '', example: {}, useInstead: {}, references: [] },
    messages: {},
    check() {
      throw new Error('boom');
    },
  });
  const reporting = defineRule({
    id: 'reporting-rule',
    summary: 'Always reports',
    severity: 'warning',
    tags: [],
    status: { kind: 'stable', since: '0.0.0' },
    options: {},
    docs: { whatItDoes: '', whyIsThisBad: '', example: {}, useInstead: {}, references: [] },
    messages: { hello: (d: { n: number }) => `hello ${d.n}` },
    check({ report }) {
      report({ messageId: 'hello', data: { n: 1 }, at: lineSpan('my.cnf', 2, 1, 3), key: 'x' });
    },
  });
  const { findings } = runRules(model, [broken, reporting], emptyConfig());
  assert.deepEqual(
    findings.map((f) => [f.ruleId, f.severity, f.location.path, f.message.split(':')[0]]),
    [
      ['internal-error', 'error', 'my.cnf', 'rule broken-rule failed'],
      ['reporting-rule', 'warning', 'my.cnf', 'hello 1'],
    ],
  );
});

test('output does not depend on the order files are found in: a shuffled walk and targets in another order give the same bytes', async () => {
  const dir = tempRepo({
    ...OVER,
    'b/my.cnf': '[mysqld]\nwait_timeout=100\n',
    'b/hikari.properties': 'jdbcUrl=jdbc:mysql://x/y\n',
    'b/c3p0.properties': 'c3p0.jdbcUrl=jdbc:mysql://x/y\nc3p0.maxIdleTime=900\n',
    'a/sysctl.d/10-a.conf': 'net.ipv4.tcp_keepalive_time=600\n',
    'a/sysctl.d/20-b.conf': 'net.ipv4.tcp_keepalive_time=7200\n',
    'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time=7200\n',
    'c/openssl.cnf': '[req]\ndefault_bits = 2048\n',
    'connlint.config.yaml': 'network:\n  profile: [aws-nat-gateway, aws-gwlb]\n',
  });
  const show = (run: Awaited<ReturnType<typeof lint>>) =>
    JSON.stringify({
      result: run.result,
      files: run.model.files,
      paths: run.model.paths.map((p) => [p.pool.id, p.link?.server.id, p.host.host?.id]),
    });
  const sorted = show(await lint({ cwd: dir, paths: [] }));
  let calls = 0;
  const reversed = show(
    await lint({
      cwd: dir,
      paths: [],
      order: (names) => {
        calls++;
        return [...names].reverse();
      },
    }),
  );
  assert.ok(calls > 3, 'the walk used the order hook');
  assert.equal(reversed, sorted);
  // A deterministic shuffle (not just a reversal), and the same tree given as targets in another order.
  let seed = 7;
  const shuffle = (names: string[]) => {
    const a = [...names];
    for (let i = a.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const j = seed % (i + 1);
      [a[i], a[j]] = [a[j] as string, a[i] as string];
    }
    return a;
  };
  assert.equal(show(await lint({ cwd: dir, paths: [], order: shuffle })), sorted);
  const forward = await lint({ cwd: dir, paths: ['a', 'b', 'c', 'etc', 'my.cnf', 'hikari.properties'] });
  const backward = await lint({ cwd: dir, paths: ['hikari.properties', 'my.cnf', 'etc', 'c', 'b', 'a'] });
  assert.equal(JSON.stringify(backward.result), JSON.stringify(forward.result));
  assert.ok(forward.result.findings.length > 0);
});

test('a shared cache keeps each parse result by path and content: re-linting after one change re-parses that file only', async () => {
  const dir = tempRepo({
    ...OVER,
    'b/my.cnf': '[mysqld]\nwait_timeout=100\n',
    'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time=600\n',
  });
  const cache = createLintCache();
  const first = await lint({ cwd: dir, paths: [], cache });
  assert.deepEqual(cache.stats, { parsed: 4, reused: 0 });
  const again = await lint({ cwd: dir, paths: [], cache });
  assert.deepEqual(cache.stats, { parsed: 4, reused: 4 });
  assert.equal(JSON.stringify(again.result), JSON.stringify(first.result));
  writeFileSync(join(dir, 'my.cnf'), '[mysqld]\nwait_timeout = 7200\n');
  const changed = await lint({ cwd: dir, paths: [], cache });
  assert.deepEqual(cache.stats, { parsed: 5, reused: 7 });
  assert.equal(first.result.findings.length, 1);
  assert.deepEqual(changed.result.findings, [], 'the changed file was read again');
});

test('a problem under a rule id is reported by that rule: its severity, its switch; a preview rule runs only when named', async () => {
  const problem = {
    ruleId: 'problem-backed',
    message: 'mysqld refuses wait_timeout = 8h',
    span: lineSpan('my.cnf', 2, 1, 16),
    severity: 'error' as const,
  };
  const model: Model = {
    files: [{ path: 'my.cnf', kind: 'mysql-option-file', owner: 'certain', reason: 'default option-file name' }],
    servers: [],
    pools: [],
    clients: [],
    holders: [],
    problems: [problem, { ...problem, ruleId: 'another-rule', message: 'not this rule' }],
    hosts: [],
    network: { elements: [] },
    links: [],
    paths: [],
  };
  const docs = { whatItDoes: '', whyIsThisBad: '', example: {}, useInstead: {}, references: [] };
  const backed = problemRule({
    id: 'problem-backed',
    summary: 'From readers',
    severity: 'warning',
    tags: [],
    status: { kind: 'stable', since: '0.0.0' },
    docs,
  });
  const preview = problemRule({
    id: 'another-rule',
    summary: 'Preview',
    severity: 'warning',
    tags: [],
    status: { kind: 'preview', since: '0.0.0' },
    docs,
  });
  const plain = runRules(model, [backed, preview], emptyConfig());
  assert.deepEqual(
    plain.findings.map((f) => [f.ruleId, f.severity, f.message, f.location.line]),
    [['problem-backed', 'error', 'mysqld refuses wait_timeout = 8h', 2]],
  );
  assert.ok(!plain.metas.some((m) => m.id === 'another-rule'), 'a preview rule the config does not name does not run');
  const span = lineSpan('connlint.config.yaml', 2, 3, 10);
  const config = {
    ...emptyConfig(),
    rules: { 'problem-backed': { value: 'note' as const, span }, 'another-rule': { value: 'warning' as const, span } },
  };
  assert.deepEqual(
    runRules(model, [backed, preview], config).findings.map((f) => [f.ruleId, f.severity]),
    [
      ['problem-backed', 'note'],
      ['another-rule', 'warning'],
    ],
  );
  const off = { ...emptyConfig(), rules: { 'problem-backed': { value: 'off' as const, span } } };
  assert.deepEqual(runRules(model, [backed, preview], off).findings, []);
});
