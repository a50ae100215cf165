import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { lint } from '../src/engine/run.js';
import { inspectJson } from '../src/inspect/inspect-json.js';
import type { Finding } from '../src/engine/finding.js';
import { type JsonFinding, toJsonShape } from '../src/report/json.js';
import {
  type FixtureCase,
  FIXTURES_DIR,
  fixtureCases,
  fixtureMetaProblems,
  readFixtureMeta,
  UNPAIRED_RULES,
  updateMode,
} from './fixture-dirs.js';

type Run = Awaited<ReturnType<typeof lint>>;

/** The `connlint inspect --format json` document of a run: the one place this file calls inspect. */
function inspectDocument(run: Run): unknown {
  return inspectJson({ model: run.model, ...(run.config.path ? { configPath: run.config.path } : {}) });
}

/**
 * Every case directory `fixtures/<rule>/<case>/` (and fixtures/demo) is a small repository with the
 * findings it must produce in expected.json (the json reporter's shape) and a fixture.json saying what
 * it shows and which near-miss twin must stay silent (fixtures/README.md). CONNLINT_UPDATE=1 rewrites
 * the expected files for review; in CI that switch is refused.
 */
const mode = updateMode(process.env);
const cases = fixtureCases();

const schema = JSON.parse(readFileSync(join(FIXTURES_DIR, '../schema/inspect.schema.json'), 'utf8')) as object;
const validateInspect = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

function label(c: FixtureCase): string {
  return c.rule === null ? c.name : `${c.rule}/${c.name}`;
}

function expectedFindings(c: FixtureCase): Array<{ ruleId: string }> {
  return JSON.parse(readFileSync(join(c.dir, 'expected.json'), 'utf8')) as Array<{ ruleId: string }>;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * What a case asserts about one finding, as ESLint's RuleTester does: for a rule's finding its message id and the
 * data the message is rendered from, so rewording a message rewrites no expected file; for the ids the engine
 * reports itself (parse-error ...), the message. Everything else as `--format json` prints it.
 */
function expectation(shown: JsonFinding, finding: Finding): Record<string, unknown> {
  const { ruleId, severity, location, related, suggestion } = shown;
  const said = finding.messageId === undefined ? { message: shown.message } : { messageId: finding.messageId, data: finding.data ?? {} };
  return JSON.parse(JSON.stringify({ ruleId, severity, ...said, location, related, ...(suggestion ? { suggestion } : {}) })) as Record<
    string,
    unknown
  >;
}

/** A rendered message that shows a hole in its data: an empty message, `undefined`, `NaN`, `[object Object]` (a JS `null` may be a written value). */
function messageDefect(message: string): string | undefined {
  if (message.trim() === '') return 'the message is empty';
  const hole = /\bundefined\b|\bNaN\b|\[object Object\]/.exec(message);
  return hole ? `the message shows "${hole[0]}"` : undefined;
}

test('CONNLINT_UPDATE is not set in CI', () => {
  if (mode.refused) assert.fail(mode.refused);
});

test('updateMode: CONNLINT_UPDATE=1 rewrites the expected files, except in CI', () => {
  assert.deepEqual(updateMode({}), { update: false });
  assert.deepEqual(updateMode({ CI: 'true' }), { update: false });
  assert.deepEqual(updateMode({ CONNLINT_UPDATE: '1' }), { update: true });
  assert.deepEqual(updateMode({ CONNLINT_UPDATE: '1', CI: 'false' }), { update: true });
  for (const ci of ['true', '1']) {
    assert.deepEqual(updateMode({ CONNLINT_UPDATE: '1', CI: ci }), {
      update: false,
      refused: 'CONNLINT_UPDATE is set in CI: expected files are reviewed expectations, not outputs',
    });
  }
});

for (const c of cases) {
  test(`fixture ${label(c)}`, async () => {
    const meta = readFixtureMeta(c);
    const run = await lint({ cwd: c.dir, paths: [] });
    const shown = toJsonShape(run.result).findings;
    const actual = shown.map((f, i) => expectation(f, run.result.findings[i] as Finding));
    for (const f of shown) {
      const defect = messageDefect(f.message);
      assert.equal(defect, undefined, `${label(c)}: ${f.ruleId} at line ${f.location.line}: ${defect}: ${f.message}`);
    }
    const file = join(c.dir, 'expected.json');
    if (mode.update) writeFileSync(file, json(actual));
    assert.ok(existsSync(file), `${label(c)} has no expected.json (run npm run test:update and review it)`);
    assert.deepEqual(actual, JSON.parse(readFileSync(file, 'utf8')));

    const doc = inspectDocument(run);
    assert.ok(validateInspect(doc), `${label(c)}: inspect JSON does not match its schema: ${JSON.stringify(validateInspect.errors)}`);
    const inspectFile = join(c.dir, 'inspect.json');
    if (meta.inspect) {
      if (mode.update) writeFileSync(inspectFile, json(doc));
      assert.ok(existsSync(inspectFile), `${label(c)}: "inspect": true but no inspect.json (run npm run test:update and review it)`);
      assert.equal(json(doc), readFileSync(inspectFile, 'utf8'));
    } else assert.ok(!existsSync(inspectFile), `${label(c)}: inspect.json without "inspect": true in its fixture.json`);
  });
}

test('fixtures/demo is a case, and every rule directory holds cases', () => {
  assert.ok(
    cases.some((c) => c.rule === null),
    'fixtures/demo is missing',
  );
  assert.ok(cases.filter((c) => c.rule !== null).length > 0, 'no fixtures/<rule>/<case>/ directory found');
});

test('every case has a valid fixture.json', () => {
  for (const c of cases) {
    const file = join(c.dir, 'fixture.json');
    if (c.rule === null && !existsSync(file)) continue; // demo keeps its content; its entry is DEMO_META
    assert.ok(existsSync(file), `${label(c)} has no fixture.json (see fixtures/README.md)`);
    assert.deepEqual(fixtureMetaProblems(JSON.parse(readFileSync(file, 'utf8'))), [], `${label(c)}/fixture.json`);
  }
});

test('fixture.json: known fields only, a description, and either a twin or "fires"', () => {
  assert.deepEqual(fixtureMetaProblems({ description: 'x', silentTwin: 'y', inspect: true }), []);
  assert.deepEqual(fixtureMetaProblems({ description: 'x', fires: true }), []);
  assert.deepEqual(fixtureMetaProblems({ description: 'x', twin: 'y' }), [
    'unknown field "twin" (known: description, silentTwin, twinOf, fires, inspect)',
  ]);
  assert.deepEqual(fixtureMetaProblems({ description: ' ' }), ['"description" must not be empty']);
  assert.deepEqual(fixtureMetaProblems({ silentTwin: 'y' }), ['"description" is missing']);
  assert.deepEqual(fixtureMetaProblems({ description: 'x', inspect: 'yes' }), ['"inspect" must be a boolean']);
  assert.equal(fixtureMetaProblems({ description: 'x', silentTwin: 'y', twinOf: 'z' }).length, 1);
  assert.equal(fixtureMetaProblems({ description: 'x', twinOf: 'z', fires: false }).length, 1);
  assert.equal(fixtureMetaProblems([]).length, 1);
});

test('every firing case names a silent twin of its rule, and the twin points back', () => {
  const byLabel = new Map(cases.map((c) => [label(c), c]));
  const paired = new Set<string>();
  for (const c of cases) {
    const rule = c.rule;
    if (rule === null) continue;
    const meta = readFixtureMeta(c);
    const fires = expectedFindings(c).some((f) => f.ruleId === rule);
    if (meta.silentTwin !== undefined) {
      const twin = byLabel.get(`${rule}/${meta.silentTwin}`);
      assert.ok(twin, `${label(c)}: its silent twin ${rule}/${meta.silentTwin} does not exist`);
      assert.ok(fires, `${label(c)}: names a silent twin, but its expected.json has no ${rule} finding`);
      const loud = expectedFindings(twin).filter((f) => f.ruleId === rule);
      assert.deepEqual(loud, [], `${label(twin)} is the silent twin of ${c.name}, but ${rule} fires there`);
      assert.equal(readFixtureMeta(twin).twinOf, c.name, `${label(twin)}: "twinOf" must name ${c.name}, which names it as its twin`);
      paired.add(rule);
    } else if (meta.twinOf !== undefined) {
      const of = byLabel.get(`${rule}/${meta.twinOf}`);
      assert.ok(of, `${label(c)}: "twinOf" names ${rule}/${meta.twinOf}, which does not exist`);
      assert.equal(readFixtureMeta(of).silentTwin, c.name, `${label(c)}: ${label(of)} does not name it as its "silentTwin"`);
    } else {
      assert.notEqual(meta.fires, undefined, `${label(c)}: a case with no twin says whether its rule fires ("fires" in fixture.json)`);
      assert.equal(fires, meta.fires, `${label(c)}: fixture.json says "fires": ${meta.fires}, expected.json says ${fires}`);
    }
  }
  for (const rule of new Set(cases.map((c) => c.rule))) {
    if (rule === null || UNPAIRED_RULES.has(rule)) continue;
    assert.ok(paired.has(rule), `fixtures/${rule} has no firing case with a silent twin`);
  }
});
