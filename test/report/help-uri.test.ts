import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderRulesMd } from '../../src/dev/gen-rules-md.js';
import { RULES } from '../../src/engine/registry.js';
import { DOCS_BASE, ruleMeta } from '../../src/engine/rule-docs.js';
import { lint } from '../../src/engine/run.js';
import { toSarifLog } from '../../src/report/sarif.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const rulesMd = readFileSync(resolve(REPO, 'RULES.md'), 'utf8');

/** GitHub's heading anchors: lowercase, punctuation other than `-` and `_` dropped, each space a `-`. */
export function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** Every heading's anchor, with GitHub's `-1`, `-2` suffixes for repeated headings. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const slug = githubSlug(m[1] as string);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

test('githubSlug follows GitHub: lowercase, spaces to -, punctuation dropped', () => {
  assert.equal(githubSlug('parse-error'), 'parse-error');
  assert.equal(githubSlug('Why is this bad?'), 'why-is-this-bad');
  assert.equal(githubSlug('`pool.max` (A_B)'), 'poolmax-a_b');
});

test('RULES.md is what npm run docs generates', () => {
  assert.equal(rulesMd, renderRulesMd(), 'RULES.md is stale: run npm run docs');
});

test('every SARIF helpUri, built-in ids included, points at an anchor RULES.md has', async () => {
  const run = await lint({ cwd: REPO, paths: ['fixtures/demo'] });
  const ids = new Set(run.result.rules.map((r) => r.id));
  assert.ok(
    ['parse-error', 'internal-error', 'unused-disable-directive', 'disable-directive-without-reason'].every((id) => ids.has(id)),
    'result.rules lists the built-in ids',
  );
  // Rules switched off in the demo's config are not in result.rules: add every registered rule.
  const all = { ...run.result, rules: [...run.result.rules, ...RULES.filter((r) => !ids.has(r.id)).map(ruleMeta)] };
  const log = toSarifLog(all) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; helpUri?: string }> } } }> };
  const have = anchors(rulesMd);
  const descriptors = log.runs[0]?.tool.driver.rules ?? [];
  assert.equal(descriptors.length, RULES.length + 4);
  for (const rule of descriptors) {
    assert.ok(rule.helpUri, `${rule.id} has a helpUri`);
    const [base, anchor] = rule.helpUri.split('#');
    assert.equal(base, DOCS_BASE, `${rule.id}: helpUri points at RULES.md`);
    assert.ok(anchor && have.has(anchor), `${rule.id}: RULES.md has no heading with anchor #${anchor}`);
  }
});
