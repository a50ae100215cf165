import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderReadme } from '../../src/dev/gen-rules-md.js';
import { RULES } from '../../src/engine/registry.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

test("README.md's two rule tables are generated from the rules and up to date", () => {
  const readme = readFileSync(resolve(REPO, 'README.md'), 'utf8');
  assert.equal(readme, renderReadme(readme), 'README.md rule tables are stale: run npm run docs');
});

test('every registered rule is in exactly one table: file rules (tag files) in the second, with its summary and a RULES.md link', () => {
  const readme = readFileSync(resolve(REPO, 'README.md'), 'utf8');
  const table = (name: string) =>
    readme.slice(
      readme.indexOf(`<!-- rules:begin ${name} -->`),
      readme.indexOf('<!-- rules:end -->', readme.indexOf(`<!-- rules:begin ${name} -->`)),
    );
  const checks = table('checks');
  const files = table('files');
  for (const rule of RULES) {
    const row = `| [\`${rule.id}\`](RULES.md#${rule.id}) | ${rule.summary}`;
    const [inside, outside] = rule.tags.includes('files') ? [files, checks] : [checks, files];
    assert.ok(inside.includes(row), `${rule.id} missing from its table`);
    assert.ok(!outside.includes(`[\`${rule.id}\`]`), `${rule.id} in the wrong table`);
  }
  for (const id of ['unreadable-path', 'binary-file']) assert.ok(files.includes(`[\`${id}\`]`), id);
  assert.ok(checks.includes('[`pool-missing-validation`]'));
});

test('renderReadme replaces only what is between the markers and refuses a README without them', () => {
  const stale =
    'intro\n<!-- rules:begin checks -->\n| old |\n<!-- rules:end -->\nmiddle\n<!-- rules:begin files -->\n<!-- rules:end -->\nend\n';
  const out = renderReadme(stale);
  assert.ok(out.startsWith('intro\n<!-- rules:begin checks -->\n| Rule | What it finds |\n| --- | --- |\n| ['));
  assert.ok(!out.includes('| old |'));
  assert.ok(out.includes('<!-- rules:end -->\nmiddle\n<!-- rules:begin files -->\n| Rule | What it finds |'));
  assert.ok(out.endsWith('<!-- rules:end -->\nend\n'));
  assert.equal(renderReadme(out), out, 'idempotent');
  assert.throws(() => renderReadme('intro\n<!-- rules:begin checks -->\n<!-- rules:end -->\n'), /rules:begin files/);
});
