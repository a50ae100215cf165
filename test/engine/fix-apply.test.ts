import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../../src/engine/finding.js';
import { RULES } from '../../src/engine/registry.js';
import { lint } from '../../src/engine/run.js';
import { spanOffsets, spanText } from '../../src/model/span.js';
import { fixtureCases } from '../fixture-dirs.js';
import { tempRepo } from '../temp-repo.js';

/**
 * The strongest check of a fix: applied to a copy of the fixture, it must make its finding go away. Each fix
 * is applied alone (one edit of one value), then the copy is linted again and the finding, identified by rule
 * and fingerprint (rule + file + key, not the line), must be gone.
 */

function applyFix(text: string, finding: Finding): string {
  const fix = finding.fix;
  assert.ok(fix);
  const range = spanOffsets(text, fix.span);
  assert.ok(range, `span ${JSON.stringify(fix.span)} is outside the file`);
  const [from, to] = range;
  return text.slice(0, from) + fix.text + text.slice(to);
}

const fixed = fixtureCases().map((c) => ({ c, label: c.rule === null ? c.name : `${c.rule}/${c.name}` }));

test('every fixture fix replaces exactly a value and makes its finding disappear on a re-lint', async () => {
  let applied = 0;
  const rules = new Set<string>();
  for (const { c, label } of fixed) {
    const run = await lint({ cwd: c.dir, paths: [] });
    for (const finding of run.result.findings) {
      const fix = finding.fix;
      if (!fix) continue;
      const original = readFileSync(join(c.dir, fix.span.path), 'utf8');
      const before = spanText(original, fix.span);
      assert.ok(before !== undefined && before.trim() !== '', `${label}: the fix of ${finding.ruleId} covers no value`);
      assert.equal(fix.span.line, fix.span.endLine, `${label}: a value on one line`);
      assert.notEqual(before, fix.text, `${label}: the fix changes the value`);
      // The advice in the message names the same number (or literal) the fix writes.
      assert.ok(
        finding.message.includes(` to ${fix.text.replace(/^["']|["']$/g, '')}`),
        `${label}: "${fix.text}" is not what the message advises: ${finding.message}`,
      );
      assert.ok(fix.description.startsWith('Set ') && fix.description.endsWith(` to ${fix.text.replace(/^["']|["']$/g, '')}`));

      const copy = mkdtempSync(join(tmpdir(), 'connlint-fix-'));
      try {
        cpSync(c.dir, copy, { recursive: true });
        writeFileSync(join(copy, fix.span.path), applyFix(original, finding));
        const again = await lint({ cwd: copy, paths: [] });
        const still = again.result.findings.filter((f) => f.ruleId === finding.ruleId && f.fingerprint === finding.fingerprint);
        assert.deepEqual(
          still.map((f) => f.message),
          [],
          `${label}: after "${fix.description}" (${fix.span.path}:${fix.span.line}) the finding is still there`,
        );
        // The edit is a value the program reads: it adds no parse error (it may remove one, such as a start-up rewrite).
        const parseErrors = (r: typeof run) =>
          r.result.findings.filter((f) => f.ruleId === 'parse-error' && f.location.path === fix.span.path).map((f) => f.message);
        const added = parseErrors(again).filter((m) => !parseErrors(run).includes(m));
        assert.deepEqual(added, [], `${label}: the edit made ${fix.span.path} worse`);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
      applied++;
      rules.add(finding.ruleId);
    }
  }
  // Not vacuous: the fixtures carry fixes for each rule that advises one written value.
  assert.ok(applied >= 25, `only ${applied} fixture findings carry a fix`);
  // Exactly the rules whose metadata says a fix is sometimes available offer one (RULES.md says so).
  assert.deepEqual(
    [...rules].sort(),
    RULES.filter((r) => r.fixable).map((r) => r.id),
  );
});

const WAIT = { 'my.cnf': '[mysqld]\nwait_timeout = 600\n' };

/** Cases the fixtures do not show: each with the one finding's expected edit (the value as written, its replacement). */
const CASES: Array<{
  name: string;
  files: Record<string, string>;
  rule: string;
  edit?: { path: string; line: number; old: string; text: string };
}> = [
  {
    name: 'c3p0: the written testConnectionOnCheckout=false turned on',
    files: {
      ...WAIT,
      'c3p0.properties': 'c3p0.jdbcUrl=jdbc:mysql://db:3306/app\nc3p0.maxIdleTime=900\nc3p0.testConnectionOnCheckout=false\n',
    },
    rule: 'pool-missing-validation',
    edit: { path: 'c3p0.properties', line: 3, old: 'false', text: 'true' },
  },
  {
    name: 'SQLAlchemy: pool_pre_ping=False turned on, in Python spelling',
    files: {
      ...WAIT,
      'app/db.py':
        'from sqlalchemy import create_engine\n\nengine = create_engine("mysql+pymysql://app@db/app", pool_recycle=3600, pool_pre_ping=False)\n',
    },
    rule: 'pool-missing-validation',
    edit: { path: 'app/db.py', line: 3, old: 'False', text: 'True' },
  },
  {
    name: 'SQLAlchemy: pool_recycle lowered, in seconds',
    files: {
      ...WAIT,
      'app/db.py': 'from sqlalchemy import create_engine\n\nengine = create_engine("mysql+pymysql://app@db/app", pool_recycle=3600)\n',
    },
    rule: 'pool-lifetime-exceeds-wait-timeout',
    edit: { path: 'app/db.py', line: 3, old: '3600', text: '595' },
  },
  {
    name: 'Django: CONN_HEALTH_CHECKS False turned on',
    files: {
      ...WAIT,
      'shop/settings.py':
        'DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "HOST": "db", "NAME": "shop", "CONN_MAX_AGE": 900, "CONN_HEALTH_CHECKS": False}}\n',
    },
    rule: 'pool-missing-validation',
    edit: { path: 'shop/settings.py', line: 1, old: 'False', text: 'True' },
  },
  {
    name: 'Spring YAML: a quoted max-lifetime keeps its quotes',
    files: {
      ...WAIT,
      'src/main/resources/application.yml':
        'spring:\n  datasource:\n    url: jdbc:mysql://db:3306/app\n    hikari:\n      max-lifetime: "1800000"\n',
    },
    rule: 'pool-lifetime-exceeds-wait-timeout',
    edit: { path: 'src/main/resources/application.yml', line: 5, old: '"1800000"', text: '"595000"' },
  },
  {
    name: 'mysql2: a quoted idleTimeout keeps its quotes',
    files: {
      ...WAIT,
      'package.json': '{"dependencies":{"mysql2":"3.9.0"}}\n',
      'db.js': "const mysql = require('mysql2');\nmodule.exports = mysql.createPool({ host: 'db', maxIdle: 0, idleTimeout: '900000' });\n",
    },
    rule: 'pool-lifetime-exceeds-wait-timeout',
    edit: { path: 'db.js', line: 2, old: "'900000'", text: "'594000'" },
  },
  {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Spring placeholder in the file's text, not a template literal
    name: 'Spring placeholder: the default inside ${...} is no value of its own, so no fix',
    files: {
      ...WAIT,
      'src/main/resources/application.properties':
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a Spring placeholder in the file's text, not a template literal
        'spring.datasource.url=jdbc:mysql://db:3306/app\nspring.datasource.hikari.max-lifetime=${MAX_LIFETIME:1800000}\n',
    },
    rule: 'pool-lifetime-exceeds-wait-timeout',
  },
  {
    name: 'A value continued on the next line: no fix',
    files: { ...WAIT, 'hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\nmaxLifetime=18\\\n    00000\n' },
    rule: 'pool-lifetime-exceeds-wait-timeout',
  },
  {
    name: 'A default (nothing written): no fix, since an insertion is not an edit of a value',
    files: { ...WAIT, 'hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\nmaximumPoolSize=10\n' },
    rule: 'pool-lifetime-exceeds-wait-timeout',
  },
];

for (const c of CASES) {
  test(`fix: ${c.name}`, async () => {
    const dir = tempRepo(c.files);
    const run = await lint({ cwd: dir, paths: [] });
    const finding = run.result.findings.find((f) => f.ruleId === c.rule);
    assert.ok(finding, `${c.rule} does not fire`);
    if (!c.edit) {
      assert.equal(finding.fix, undefined);
      return;
    }
    const fix = finding.fix;
    assert.ok(fix, `${c.rule} has no fix: ${finding.message}`);
    const text = c.files[c.edit.path] as string;
    assert.equal(fix.span.path, c.edit.path);
    assert.equal(fix.span.line, c.edit.line);
    assert.equal(spanText(text, fix.span), c.edit.old);
    assert.equal(fix.text, c.edit.text);
    writeFileSync(join(dir, fix.span.path), applyFix(text, finding));
    const again = await lint({ cwd: dir, paths: [] });
    assert.deepEqual(
      again.result.findings.filter((f) => f.fingerprint === finding.fingerprint).map((f) => f.message),
      [],
    );
  });
}
