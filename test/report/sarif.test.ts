import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AjvDraft04 from 'ajv-draft-04';
import type { Finding, LintResult, RuleMeta, Severity } from '../../src/engine/finding.js';
import { lint } from '../../src/engine/run.js';
import type { Span } from '../../src/model/span.js';
import { renderer } from '../../src/report/index.js';
import { MAX_RESULTS_PER_RUN, escapeMessageText, pascalCase, renderSarif, toArtifactUri } from '../../src/report/sarif.js';

// Compiled to dist/test/report/, the schema stays in test/schemas/ (a copy of the OASIS file).
const schemaPath = new URL('../../../test/schemas/sarif-schema-2.1.0.json', import.meta.url);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;

// ajv-formats is not a dependency; these checks follow RFC 3986 (the characters a URI may hold)
// and RFC 3339, which is what the schema's `format` keywords name.
const URI_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
ajv.addFormat('uri-reference', (s: string) => URI_CHARS.test(s) && s.split('#').length <= 2);
ajv.addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && URI_CHARS.test(s));
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i);
const validate = ajv.compile(schema);

function assertValid(log: unknown): void {
  const ok = validate(log);
  assert.equal(ok, true, JSON.stringify(validate.errors, null, 2));
}

function span(path: string, line: number, column = 1, length = 5): Span {
  return { path, line, column, endLine: line, endColumn: column + length };
}

function finding(ruleId: string, at: Span, fingerprint: string, severity: Severity = 'error', related: Finding['related'] = []): Finding {
  return { ruleId, severity, message: `${ruleId} fired`, location: at, related, fingerprint };
}

function meta(id: string, severity: Severity = 'error'): RuleMeta {
  return {
    id,
    summary: `Summary of ${id}`,
    severity,
    tags: ['timeouts'],
    helpMarkdown: `## ${id}\n\nWhy it matters.`,
    helpText: `What ${id} does.\n\nWhy it matters.`,
    helpUri: `https://github.com/connlint/connlint/blob/main/RULES.md#${id}`,
  };
}

function result(findings: Finding[], rules: RuleMeta[]): LintResult {
  return { findings, files: [], notRead: [], rules, toolVersion: '0.1.0' };
}

// biome-ignore lint/suspicious/noExplicitAny: the test walks the parsed log freely; the schema checks its shape
type Json = Record<string, any>;

function parse(text: string): Json {
  return JSON.parse(text) as Json;
}

const RULES = [
  meta('pool-lifetime-exceeds-wait-timeout'),
  meta('keepalive-exceeds-network-idle-timeout', 'warning'),
  meta('parse-error'),
  meta('pool-size-hint', 'note'),
];

test('a log with no findings is valid SARIF and still lists the rules', () => {
  const text = renderSarif(result([], RULES), { color: false });
  assert.ok(text.endsWith('}\n'));
  const log = parse(text);
  assertValid(log);
  assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  assert.deepEqual(run.results, []);
  assert.equal(run.tool.driver.name, 'connlint');
  assert.equal(run.tool.driver.version, '0.1.0');
  assert.equal(run.tool.driver.informationUri, 'https://github.com/connlint/connlint');
  // No automation id unless asked (--sarif-category), so upload-sarif's category applies (issue 19).
  assert.equal(run.automationDetails, undefined);
  assert.deepEqual(
    run.tool.driver.rules.map((r: Json) => r.id),
    RULES.map((r) => r.id),
  );
});

test('several rules and related locations in other files: valid, with ruleIndex pointing at the right rule', () => {
  const findings = [
    finding('pool-lifetime-exceeds-wait-timeout', span('app/application.yml', 14, 7, 12), 'pool:app/maxLifetime', 'error', [
      { span: span('deploy/my.cnf', 9, 1, 12), message: 'wait_timeout is set here' },
      { span: span('deploy/conf.d/extra.cnf', 3, 1, 12), message: 'and overridden here' },
    ]),
    finding('keepalive-exceeds-network-idle-timeout', span('etc/sysctl.conf', 2), 'net:keepalive', 'warning'),
    finding('parse-error', span('broken.cnf', 1), 'parse:broken.cnf', 'error'),
    finding('pool-size-hint', span('knexfile.ts', 8, 3), 'pool:knex/max', 'note'),
  ];
  const log = parse(renderSarif(result(findings, RULES), { color: false }));
  assertValid(log);
  const run = log.runs[0];
  assert.equal(run.results.length, 4);
  // Errors first, then warnings, then notes, each in the given (path) order.
  const bySeverity = [findings[0], findings[2], findings[1], findings[3]];
  run.results.forEach((r: Json, i: number) => {
    const f = bySeverity[i] as Finding;
    assert.equal(r.ruleId, f.ruleId);
    assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId, 'ruleIndex must point at the rule with that id');
    assert.equal(r.level, f.severity);
    if (f.related.length === 0) assert.equal(r.message.text, f.message);
    assert.equal(r.locations.length, 1);
    assert.deepEqual(r.locations[0].physicalLocation.region, {
      startLine: f.location.line,
      startColumn: f.location.column,
      endLine: f.location.endLine,
      endColumn: f.location.endColumn,
    });
  });
  const first = run.results[0];
  assert.deepEqual(
    first.relatedLocations.map((l: Json) => [l.id, l.physicalLocation.artifactLocation.uri, l.message.text]),
    [
      [1, 'deploy/my.cnf', 'wait_timeout is set here'],
      [2, 'deploy/conf.d/extra.cnf', 'and overridden here'],
    ],
  );
  assert.equal(first.relatedLocations[0].physicalLocation.region.startLine, 9);
  assert.equal(
    first.message.text,
    'pool-lifetime-exceeds-wait-timeout fired. Related: [deploy/my.cnf:9](1), [deploy/conf.d/extra.cnf:3](2).',
  );
  assert.equal('relatedLocations' in run.results[1], false, 'no empty relatedLocations array');
});

test('rule descriptors carry what GitHub code scanning reads', () => {
  const log = parse(renderSarif(result([], RULES), { color: false }));
  const rule = log.runs[0].tool.driver.rules[0];
  assert.equal(rule.name, 'PoolLifetimeExceedsWaitTimeout');
  assert.equal(rule.shortDescription.text, 'Summary of pool-lifetime-exceeds-wait-timeout');
  assert.equal(rule.fullDescription.text, 'What pool-lifetime-exceeds-wait-timeout does.');
  assert.equal(rule.help.text, 'What pool-lifetime-exceeds-wait-timeout does.\n\nWhy it matters.');
  assert.equal(rule.help.markdown, '## pool-lifetime-exceeds-wait-timeout\n\nWhy it matters.');
  assert.equal(rule.helpUri, 'https://github.com/connlint/connlint/blob/main/RULES.md#pool-lifetime-exceeds-wait-timeout');
  assert.deepEqual(rule.defaultConfiguration, { level: 'error' });
  assert.deepEqual(rule.properties, { tags: ['timeouts'], precision: 'high', 'problem.severity': 'error' });
  const warning = log.runs[0].tool.driver.rules[1];
  assert.deepEqual(warning.defaultConfiguration, { level: 'warning' });
  assert.equal(warning.properties['problem.severity'], 'warning');
});

test('a note rule maps to level note and problem.severity recommendation', () => {
  const log = parse(renderSarif(result([], [meta('pool-size-hint', 'note')]), { color: false }));
  assertValid(log);
  const rule = log.runs[0].tool.driver.rules[0];
  assert.deepEqual(rule.defaultConfiguration, { level: 'note' });
  assert.equal(rule.properties['problem.severity'], 'recommendation');
});

test('paths with spaces, #, % and non-ASCII become percent-encoded relative URIs', () => {
  const paths = ['config dir/my#app%.cnf', 'café/db.yml', 'a:b/c?.properties', 'x/100%/ü ß.py'];
  // Hand-encoded as UTF-8 percent-escapes (RFC 3986): é = C3 A9, ü = C3 BC, ß = C3 9F.
  const expected = ['config%20dir/my%23app%25.cnf', 'caf%C3%A9/db.yml', 'a%3Ab/c%3F.properties', 'x/100%25/%C3%BC%20%C3%9F.py'];
  const findings = paths.map((p, i) => finding('parse-error', span(p, i + 1), `parse:${p}`));
  const log = parse(renderSarif(result(findings, RULES), { color: false }));
  assertValid(log);
  log.runs[0].results.forEach((r: Json, i: number) => {
    const location = r.locations[0].physicalLocation.artifactLocation;
    assert.equal(location.uri, expected[i]);
    assert.equal(location.uriBaseId, '%SRCROOT%');
    assert.equal(decodeURIComponent(location.uri), paths[i], 'the uri decodes back to the path');
    assert.doesNotMatch(location.uri, /^[A-Za-z][A-Za-z0-9+.-]*:/, 'no scheme: the uri is relative');
    assert.doesNotMatch(location.uri, /^\//, 'no leading slash');
  });
});

test('a uri is never empty or absolute, and a hostile path does not throw', () => {
  assert.equal(toArtifactUri('/etc/mysql/my.cnf'), 'etc/mysql/my.cnf');
  assert.equal(toArtifactUri('//srv/my.cnf'), 'srv/my.cnf');
  assert.equal(toArtifactUri(''), '.');
  assert.equal(toArtifactUri('C:/app/my.cnf'), 'C%3A/app/my.cnf');
  assert.equal(toArtifactUri('bad\uD800name.cnf'), 'bad%EF%BF%BDname.cnf', 'a lone surrogate becomes U+FFFD');
  const findings = [finding('parse-error', span('/abs/path.cnf', 1), 'a'), finding('parse-error', span('', 1), 'b')];
  const log = parse(renderSarif(result(findings, RULES), { color: false }));
  assertValid(log);
  for (const r of log.runs[0].results) assert.notEqual(r.locations[0].physicalLocation.artifactLocation.uri, '');
});

test('out-of-range spans are clamped so the log stays schema-valid', () => {
  const bad: Span = { path: 'a.cnf', line: 0, column: 0, endLine: 0, endColumn: 0 };
  const log = parse(renderSarif(result([finding('parse-error', bad, 'x')], RULES), { color: false }));
  assertValid(log);
  assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.region, {
    startLine: 1,
    startColumn: 1,
    endLine: 1,
    endColumn: 1,
  });
});

test('fingerprints: sha256 of the finding fingerprint, stable across line moves, distinct on one line', () => {
  const key = 'pool:hikaricp:app/hikari.properties/maxLifetime';
  const before = renderSarif(result([finding('pool-lifetime-exceeds-wait-timeout', span('a.properties', 3), key)], RULES), {
    color: false,
  });
  const after = renderSarif(result([finding('pool-lifetime-exceeds-wait-timeout', span('a.properties', 40), key)], RULES), {
    color: false,
  });
  const fpBefore = parse(before).runs[0].results[0].partialFingerprints['connlint/v1'];
  const fpAfter = parse(after).runs[0].results[0].partialFingerprints['connlint/v1'];
  assert.equal(fpBefore, createHash('sha256').update(key).digest('hex'));
  assert.equal(fpAfter, fpBefore, 'moving the finding to another line keeps the fingerprint');

  const sameLine = [
    finding('pool-lifetime-exceeds-wait-timeout', span('a.properties', 3, 1), 'pool:a/maxLifetime'),
    finding('pool-lifetime-exceeds-wait-timeout', span('a.properties', 3, 20), 'pool:a/idleTimeout'),
    // Same fingerprint string twice (an engine slip): the two must still not collapse into one alert.
    finding('parse-error', span('a.properties', 3, 1), 'dup'),
    finding('parse-error', span('a.properties', 3, 9), 'dup'),
  ];
  const fps = parse(renderSarif(result(sameLine, RULES), { color: false })).runs[0].results.map(
    (r: Json) => r.partialFingerprints['connlint/v1'],
  );
  assert.equal(new Set(fps).size, 4, `fingerprints must differ: ${fps.join(', ')}`);
});

test('GitHub upload pitfalls: no originalUriBaseIds, no fixes for findings without one, no empty helpUri', () => {
  const noHelp: RuleMeta = { ...meta('undocumented'), helpUri: '' };
  const findings = [finding('undocumented', span('a.cnf', 1), 'u')];
  const text = renderSarif(result(findings, [noHelp, ...RULES]), { color: false });
  const log = parse(text);
  assertValid(log);
  assert.doesNotMatch(text, /originalUriBaseIds/);
  assert.doesNotMatch(text, /"fixes"/);
  assert.doesNotMatch(text, /"helpUri": ""/);
  const rules: Json[] = log.runs[0].tool.driver.rules;
  assert.equal('helpUri' in (rules[0] as Json), false);
  for (const rule of rules.slice(1)) assert.ok(typeof rule.helpUri === 'string' && rule.helpUri.length > 0);
});

test('empty texts: a result message falls back to the rule id, an empty related message is left out', () => {
  const f: Finding = { ...finding('parse-error', span('a.cnf', 1), 'p'), message: '' };
  f.related = [{ span: span('b.cnf', 2), message: '' }];
  const log = parse(renderSarif(result([f], RULES), { color: false }));
  assertValid(log);
  const r = log.runs[0].results[0];
  assert.equal(r.message.text, 'parse-error. Related: [b.cnf:2](1).');
  assert.deepEqual(Object.keys(r.relatedLocations[0]), ['id', 'physicalLocation']);
});

test('a finding whose rule is missing from result.rules still gets a valid ruleIndex', () => {
  const findings = [finding('internal-error', span('a.cnf', 1), 'i')];
  const log = parse(renderSarif(result(findings, RULES), { color: false }));
  assertValid(log);
  const run = log.runs[0];
  assert.equal(run.tool.driver.rules[run.results[0].ruleIndex].id, 'internal-error');
  assert.equal(run.tool.driver.rules.length, RULES.length + 1);
});

test('the validator rejects broken logs (so passing means something)', () => {
  const good = parse(renderSarif(result([finding('parse-error', span('a.cnf', 1), 'p')], RULES), { color: false }));
  assertValid(good);

  const fatal = structuredClone(good);
  fatal.runs[0].results[0].level = 'fatal';
  assert.equal(validate(fatal), false);
  assert.ok(validate.errors?.some((e) => e.instancePath === '/runs/0/results/0/level'));

  const noName = structuredClone(good);
  delete noName.runs[0].tool.driver.name;
  assert.equal(validate(noName), false);
  assert.ok(validate.errors?.some((e) => e.keyword === 'required' && e.params.missingProperty === 'name'));

  const rawSpace = structuredClone(good);
  rawSpace.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'config dir/a.cnf';
  assert.equal(validate(rawSpace), false);
  assert.ok(validate.errors?.some((e) => e.keyword === 'format' && e.instancePath.endsWith('/artifactLocation/uri')));

  const lineZero = structuredClone(good);
  lineZero.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
  assert.equal(validate(lineZero), false);
  assert.ok(validate.errors?.some((e) => e.instancePath.endsWith('/region/startLine')));
});

test('output is deterministic and the registry returns the same renderer', () => {
  const findings = [finding('parse-error', span('a.cnf', 1), 'p')];
  const r = result(findings, RULES);
  assert.equal(renderSarif(r, { color: false }), renderSarif(r, { color: true }));
  assert.equal(renderer('sarif')(r, { color: false }), renderSarif(r, { color: false }));
});

test('pascalCase turns kebab-case rule ids into SARIF rule names', () => {
  assert.equal(pascalCase('pool-lifetime-exceeds-wait-timeout'), 'PoolLifetimeExceedsWaitTimeout');
  assert.equal(pascalCase('parse-error'), 'ParseError');
  assert.equal(pascalCase('x'), 'X');
});

test('related locations are linked from the message as [path:line](id), ids 1..n, each link resolving', () => {
  const f = finding('pool-lifetime-exceeds-wait-timeout', span('app/a.yml', 4), 'k', 'error', [
    { span: span('db/my.cnf', 2), message: 'wait_timeout = 8' },
    { span: span('connlint.config.yaml', 3), message: '' },
  ]);
  f.message = 'maxLifetime is longer than wait_timeout!';
  const log = parse(renderSarif(result([f], RULES), { color: false }));
  assertValid(log);
  const r = log.runs[0].results[0];
  assert.equal(r.message.text, 'maxLifetime is longer than wait_timeout! Related: [db/my.cnf:2](1), [connlint.config.yaml:3](2).');
  const ids = new Set(r.relatedLocations.map((l: Json) => l.id));
  assert.deepEqual([...ids], [1, 2]);
  for (const m of (r.message.text as string).matchAll(/(?<!\\)\[[^\]]*\]\((\d+)\)/g))
    assert.ok(ids.has(Number(m[1])), `link ${m[0]} resolves`);
});

test('literal square brackets and backslashes in message texts are escaped (SARIF embedded links), nothing else is', () => {
  assert.equal(escapeMessageText('8[x](1)'), '8\\[x\\](1)');
  assert.equal(escapeMessageText('a\\[b'), 'a\\\\\\[b');
  assert.equal(escapeMessageText('C:\\dir'), 'C:\\\\dir');
  assert.equal(escapeMessageText('*bold* _x_ `code` <b> (1) {0}'), '*bold* _x_ `code` <b> (1) {0}');
  // What a consumer does (vscode-codeql unescapeSarifText) gives the original text back.
  const unescapeSarifText = (s: string): string => s.replace(/\\\[/g, '[').replace(/\\\]/g, ']').replace(/\\\\/g, '\\');
  for (const s of ['8[x](1)', 'a\\[b', 'a\\\\]', 'C:\\dir\\', '[[]]']) assert.equal(unescapeSarifText(escapeMessageText(s)), s);
  const f = finding('parse-error', span('conf/[x].cnf', 1), 'p', 'error', [{ span: span('b[1].cnf', 2), message: 'value 8[x](1) here' }]);
  f.message = 'unexpected value 8[x](1)';
  const log = parse(renderSarif(result([f], RULES), { color: false }));
  assertValid(log);
  const r = log.runs[0].results[0];
  assert.equal(r.message.text, 'unexpected value 8\\[x\\](1). Related: [b\\[1\\].cnf:2](1).');
  assert.equal(r.relatedLocations[0].message.text, 'value 8\\[x\\](1) here');
  // The only unescaped link left is the one connlint wrote.
  assert.equal([...(r.message.text as string).matchAll(/(?<!\\)\[(?:[^\]\\]|\\.)*\]\(\d+\)/g)].length, 1);
});

test('at most 25,000 results per run: errors first, and a toolExecutionNotification says how many were left out', () => {
  const findings: Finding[] = [];
  for (let i = 0; i < 26_000; i++) {
    const severity: Severity = i % 3 === 0 ? 'note' : i % 3 === 1 ? 'warning' : 'error';
    findings.push(finding(severity === 'note' ? 'pool-size-hint' : 'parse-error', span('big.cnf', i + 1), `k${i}`, severity));
  }
  const log = parse(renderSarif(result(findings, RULES), { color: false }));
  const run = log.runs[0];
  assert.equal(MAX_RESULTS_PER_RUN, 25_000);
  assert.equal(run.results.length, 25_000);
  const levels: string[] = run.results.map((r: Json) => r.level);
  const rank = { error: 0, warning: 1, note: 2 } as Record<string, number>;
  for (let i = 1; i < levels.length; i++) assert.ok((rank[levels[i - 1] as string] as number) <= (rank[levels[i] as string] as number));
  // 8,666 errors and 8,667 warnings are all kept; the notes fill the rest.
  assert.equal(levels.filter((l) => l === 'error').length, 8_666);
  assert.equal(levels.filter((l) => l === 'warning').length, 8_667);
  assert.equal(levels.filter((l) => l === 'note').length, 25_000 - 8_666 - 8_667);
  const lines = run.results.filter((r: Json) => r.level === 'error').map((r: Json) => r.locations[0].physicalLocation.region.startLine);
  assert.deepEqual(lines.slice(0, 3), [3, 6, 9], 'within a level the given order');
  assert.equal(run.invocations.length, 1);
  const [note] = run.invocations[0].toolExecutionNotifications;
  assert.equal(run.invocations[0].executionSuccessful, true);
  assert.equal(note.level, 'warning');
  assert.match(note.message.text, /^1000 of 26000 results were left out/);
  // Schema-check a trimmed copy (validating 25,000 results is slow and adds nothing).
  assertValid({ ...log, runs: [{ ...run, results: run.results.slice(0, 10) }] });
  const small = parse(renderSarif(result(findings.slice(0, 10), RULES), { color: false }));
  assert.equal(small.runs[0].invocations, undefined, 'no invocations when nothing was left out');
});

test('a finding with a fix gets one SARIF fix: the value region replaced, addressed like the location, schema-valid', () => {
  const f: Finding = {
    ...finding('pool-lifetime-exceeds-wait-timeout', span('config/app settings.yml', 5, 7, 20), 'pool:app/maxLifetime'),
    fix: {
      description: 'Set SQLALCHEMY_ENGINE_OPTIONS["pool_recycle"] to 595',
      span: span('config/app settings.yml', 5, 21, 7),
      text: '"595"',
    },
  };
  const log = parse(renderSarif(result([f, finding('parse-error', span('a.cnf', 1), 'p')], RULES), { color: false }));
  assertValid(log);
  const [withFix, without] = log.runs[0].results as Json[];
  assert.deepEqual(withFix?.fixes, [
    {
      description: { text: 'Set SQLALCHEMY_ENGINE_OPTIONS\\["pool_recycle"\\] to 595' },
      artifactChanges: [
        {
          artifactLocation: { uri: 'config/app%20settings.yml', uriBaseId: '%SRCROOT%' },
          replacements: [
            { deletedRegion: { startLine: 5, startColumn: 21, endLine: 5, endColumn: 28 }, insertedContent: { text: '"595"' } },
          ],
        },
      ],
    },
  ]);
  assert.deepEqual(withFix?.fixes[0]?.artifactChanges[0]?.artifactLocation, withFix?.locations[0]?.physicalLocation.artifactLocation);
  assert.equal('fixes' in (without as Json), false);
  // The schema checks fixes too: a replacement without its deleted region is rejected.
  const broken = structuredClone(log);
  delete broken.runs[0].results[0].fixes[0].artifactChanges[0].replacements[0].deletedRegion;
  assert.equal(validate(broken), false);
});

test('the fixes of a real run (fixtures/demo) are valid SARIF', async () => {
  const run = await lint({ cwd: new URL('../../../fixtures/demo', import.meta.url).pathname, paths: [] });
  const log = parse(renderSarif(run.result, { color: false }));
  assertValid(log);
  const fixes = (log.runs[0].results as Json[]).flatMap((r) => (r.fixes as Json[] | undefined) ?? []);
  assert.equal(fixes.length, 3);
  for (const fix of fixes) assert.match(fix.description.text, /^Set \S+ to \d+$/);
});
