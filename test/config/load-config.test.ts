import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { emptyConfig } from '../../src/config/config.js';
import { type ConfigError, loadConfig, type RuleSpec } from '../../src/config/load-config.js';
import type { RuleOption } from '../../src/engine/define-rule.js';
import { NETWORK_PROFILES } from '../../src/interpreters/network/profiles.js';

const PATH = 'connlint.config.yaml';

const MARGIN: RuleOption = { type: 'integer', description: 'Seconds of margin.', default: 5, minimum: 0 };
/** The rules as the engine passes them (ids and declared options), plus a fixed finding id that has no options. */
const RULES: RuleSpec[] = [
  { id: 'keepalive-exceeds-network-idle-timeout', options: {} },
  { id: 'pool-lifetime-exceeds-wait-timeout', options: { marginSeconds: MARGIN } },
  { id: 'pool-missing-validation', options: { marginSeconds: MARGIN } },
  { id: 'parse-error', options: {} },
];
const KNOWN = 'keepalive-exceeds-network-idle-timeout, parse-error, pool-lifetime-exceeds-wait-timeout, pool-missing-validation';

/** The example of the config format, comments included; columns below are counted on it by hand. */
const FULL = [
  'network:',
  '  idleTimeout: 350s          # or 5m, 1h30m, 250ms, or a number of seconds',
  '  profile: aws-nat-gateway   # or a list: [aws-nlb-tcp, aws-nat-gateway]',
  'database:                    # a server whose config is not in the repository',
  '  engine: mysql              # mysql | mariadb | postgresql',
  '  version: "8.0"',
  '  variables:',
  '    wait_timeout: 600        # option-file spelling accepted (wait-timeout)',
  'links:                       # which server a pool talks to',
  '  - pool: "services/billing/**"     # glob on the pool\'s file path',
  '    server: "deploy/mysql/my.cnf"   # root option file, or the word `database`',
  'mounts:',
  '  /etc/mysql/conf.d: docker/mysql/conf.d',
  'libraries:',
  '  hikaricp: 6.3.0',
  'rules:',
  '  keepalive-exceeds-network-idle-timeout: error    # off | note | warning | error',
  '  pool-lifetime-exceeds-wait-timeout: { severity: warning, options: { marginSeconds: 10 } }',
  'include: ["**/*.cnf"]        # globs relative to the scanned root',
  'exclude: ["vendor/**"]',
  'instances:                   # copies of an application that run at once',
  '  "services/billing/**": 4   # glob on the pool\'s file path, or a pool\'s name',
  '',
].join('\n');

function span(line: number, column: number, endColumn: number, endLine = line) {
  return { path: PATH, line, column, endLine, endColumn };
}

/** Removes every `span` so that values can be compared apart from positions. */
function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'span')
      .map(([k, v]) => [k, withoutSpans(v)]),
  );
}

/** Loads `text` and expects exactly one error. */
function onlyError(text: string): ConfigError {
  const { errors } = loadConfig(PATH, text, RULES);
  assert.equal(errors.length, 1, `expected one error, got ${JSON.stringify(errors, null, 1)}`);
  return errors[0] as ConfigError;
}

test('the full example loads without errors into the exact Config', () => {
  const { config, errors } = loadConfig(PATH, FULL, RULES);
  assert.deepEqual(errors, []);
  assert.deepEqual(withoutSpans(config), {
    path: PATH,
    network: { idleTimeout: { value: 350_000 }, profiles: [{ value: 'aws-nat-gateway' }] },
    database: { engine: { value: 'mysql' }, version: { value: '8.0' }, variables: { wait_timeout: { value: '600' } } },
    links: [{ pool: 'services/billing/**', server: 'deploy/mysql/my.cnf' }],
    mounts: { '/etc/mysql/conf.d': { value: 'docker/mysql/conf.d' } },
    instances: { 'services/billing/**': { value: 4 } },
    libraries: { hikaricp: { value: '6.3.0' } },
    rules: { 'keepalive-exceeds-network-idle-timeout': { value: 'error' }, 'pool-lifetime-exceeds-wait-timeout': { value: 'warning' } },
    ruleOptions: { 'pool-lifetime-exceeds-wait-timeout': { marginSeconds: 10 } },
    include: ['**/*.cnf'],
    exclude: ['vendor/**'],
  });
});

test('declared values keep the span of the value as written', () => {
  const { config } = loadConfig(PATH, FULL, RULES);
  // "  idleTimeout: " is 15 characters, so 350s sits in columns 16-19.
  assert.deepEqual(config.network.idleTimeout?.span, span(2, 16, 20));
  assert.deepEqual(config.network.profiles[0]?.span, span(3, 12, 27));
  // The database section points at its key.
  assert.deepEqual(config.database?.span, span(4, 1, 9));
  assert.deepEqual(config.database?.engine?.span, span(5, 11, 16));
  // Quotes belong to the written value.
  assert.deepEqual(config.database?.version?.span, span(6, 12, 17));
  assert.deepEqual(config.database?.variables.wait_timeout?.span, span(8, 19, 22));
  // A link spans its mapping, from `pool` to the end of the server value, without the comment.
  assert.deepEqual(config.links[0]?.span, span(10, 5, 34, 11));
  assert.deepEqual(config.mounts['/etc/mysql/conf.d']?.span, span(13, 22, 41));
  assert.deepEqual(config.libraries.hikaricp?.span, span(15, 13, 18));
  assert.deepEqual(config.instances['services/billing/**']?.span, span(22, 26, 27));
  assert.deepEqual(config.rules['keepalive-exceeds-network-idle-timeout']?.span, span(17, 43, 48));
  // The object form points at its severity value.
  assert.deepEqual(config.rules['pool-lifetime-exceeds-wait-timeout']?.span, span(18, 51, 58));
});

test('durations: units ms, s, m, h and bare numbers of seconds', () => {
  const cases: Array<[string, number]> = [
    ['350s', 350_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['350', 350_000],
    ['1.5', 1500],
    ['"90"', 90_000],
    ['2d', 172_800_000],
  ];
  for (const [written, ms] of cases) {
    const { config, errors } = loadConfig(PATH, `network:\n  idleTimeout: ${written}\n`, RULES);
    assert.deepEqual(errors, [], written);
    assert.equal(config.network.idleTimeout?.value, ms, written);
  }
});

test('profile may be one id or a list, each with its own span', () => {
  const { config, errors } = loadConfig(PATH, 'network:\n  profile: [aws-nlb-tcp, aws-nat-gateway]\n', RULES);
  assert.deepEqual(errors, []);
  assert.deepEqual(config.network.profiles, [
    { value: 'aws-nlb-tcp', span: span(2, 13, 24) },
    { value: 'aws-nat-gateway', span: span(2, 26, 41) },
  ]);
});

test('variable names take the canonical form; values stay as written', () => {
  const text = 'database:\n  variables:\n    Wait-Timeout: 600\n    max_allowed_packet: 64M\n    net-read-timeout: "30"\n';
  const { config, errors } = loadConfig(PATH, text, RULES);
  assert.deepEqual(errors, []);
  assert.deepEqual(withoutSpans(config.database?.variables), {
    wait_timeout: { value: '600' },
    max_allowed_packet: { value: '64M' },
    net_read_timeout: { value: '30' },
  });
});

test('unquoted versions keep their text: 8.0 is "8.0", not 8', () => {
  const { config, errors } = loadConfig(PATH, 'database:\n  engine: mariadb\n  version: 10.10\nlibraries:\n  hikaricp: 5.1\n', RULES);
  assert.deepEqual(errors, []);
  assert.equal(config.database?.version?.value, '10.10');
  assert.equal(config.database?.engine?.value, 'mariadb');
  assert.equal(config.libraries.hikaricp?.value, '5.1');
});

test('empty input is an empty config without errors', () => {
  for (const text of ['', '\n\n', '# only a comment\n', '~\n', '---\n', '   ']) {
    const { config, errors } = loadConfig(PATH, text, RULES);
    assert.deepEqual(errors, [], JSON.stringify(text));
    assert.deepEqual(config, { ...emptyConfig(), path: PATH }, JSON.stringify(text));
  }
});

test('empty sections are allowed and read as absent', () => {
  const { config, errors } = loadConfig(PATH, 'network:\ndatabase:\nrules:\ninclude:\n', RULES);
  assert.deepEqual(errors, []);
  assert.deepEqual(config, { ...emptyConfig(), path: PATH });
});

test('unknown top-level key: message lists the sections, span is the key', () => {
  const error = onlyError('netwrk:\n  idleTimeout: 5m\n');
  assert.equal(
    error.message,
    'unknown key "netwrk" (expected one of network, database, links, mounts, optionFiles, instances, libraries, rules, overrides, include, exclude)',
  );
  assert.deepEqual(error.span, span(1, 1, 7));
});

test('unknown nested key names its full path', () => {
  const error = onlyError('network:\n  idletimeout: 5m\n');
  assert.equal(error.message, 'unknown key "network.idletimeout" (expected one of idleTimeout, profile)');
  assert.deepEqual(error.span, span(2, 3, 14));
  const inRule = onlyError('rules:\n  parse-error: { severity: error, extra: 1 }\n');
  assert.equal(inRule.message, 'unknown key "rules.parse-error.extra" (expected one of severity, options)');
  // "  parse-error: { severity: error, " is 34 characters.
  assert.deepEqual(inRule.span, span(2, 35, 40));
});

test('bad duration: message quotes the value, span is the value', () => {
  const { config, errors } = loadConfig(PATH, 'network:\n  idleTimeout: 5 minutes\n', RULES);
  assert.deepEqual(errors, [
    {
      message: 'network.idleTimeout: expected a duration such as 350s, 5m or a number of seconds (got "5 minutes")',
      span: span(2, 16, 25),
    },
  ]);
  assert.equal(config.network.idleTimeout, undefined);
});

test('a duration of zero is refused', () => {
  const error = onlyError('network:\n  idleTimeout: 0s\n');
  assert.equal(error.message, 'network.idleTimeout: expected a duration greater than 0 (got "0s")');
  assert.deepEqual(error.span, span(2, 16, 18));
});

test('a duration of the wrong type gets the same wording from the schema', () => {
  const error = onlyError('network:\n  idleTimeout: [5m]\n');
  assert.equal(error.message, 'network.idleTimeout: expected a duration such as 350s, 5m or a number of seconds (got a list)');
  assert.deepEqual(error.span, span(2, 16, 20));
});

test('an empty value points at its key', () => {
  const error = onlyError('network:\n  idleTimeout:\n');
  assert.equal(error.message, 'network.idleTimeout: expected a duration such as 350s, 5m or a number of seconds (got an empty value)');
  assert.deepEqual(error.span, span(2, 3, 14));
});

test('bad severity, short and object forms', () => {
  const { config, errors } = loadConfig(
    PATH,
    'rules:\n  pool-lifetime-exceeds-wait-timeout: warn\n  parse-error: { severity: fatal }\n',
    RULES,
  );
  assert.deepEqual(errors, [
    { message: 'rules.pool-lifetime-exceeds-wait-timeout: expected off, note, warning or error (got "warn")', span: span(2, 39, 43) },
    // "  parse-error: { severity: " is 27 characters.
    { message: 'rules.parse-error.severity: expected off, note, warning or error (got "fatal")', span: span(3, 28, 33) },
  ]);
  assert.deepEqual(config.rules, {});
});

test('a rule entry of the wrong type, and one without severity', () => {
  const text = 'rules:\n  parse-error: 2\n  pool-missing-validation: { options: { marginSeconds: 5 } }\n';
  const { config, errors } = loadConfig(PATH, text, RULES);
  assert.deepEqual(errors, [
    { message: 'rules.parse-error: expected off, note, warning, error or { severity, options } (got 2)', span: span(2, 16, 17) },
    { message: 'rules.pool-missing-validation: missing key "severity"', span: span(3, 28, 61) },
  ]);
  assert.deepEqual(config.ruleOptions, {});
});

test('an unknown rule id is an error at the key naming every known id; known ids keep their span', () => {
  const { config, errors } = loadConfig(PATH, 'rules:\n  no-such-rule: off\n  parse-error: off\n', RULES);
  assert.deepEqual(errors, [{ message: `rules.no-such-rule: unknown rule (known: ${KNOWN})`, span: span(2, 3, 15) }]);
  assert.deepEqual(config.rules, { 'parse-error': { value: 'off', span: span(3, 16, 19) } });
  // Also in the object form, and together with what else is wrong in the entry.
  const { errors: both } = loadConfig(PATH, 'rules:\n  pool-lifetime: { severity: fatal }\n', RULES);
  assert.deepEqual(both, [
    // A misspelt id names the closest known one (every word of it is in pool-lifetime-exceeds-wait-timeout).
    {
      message: `rules.pool-lifetime: unknown rule; did you mean "pool-lifetime-exceeds-wait-timeout"? (known: ${KNOWN})`,
      span: span(2, 3, 16),
    },
    { message: 'rules.pool-lifetime.severity: expected off, note, warning or error (got "fatal")', span: span(2, 30, 35) },
  ]);
});

test('rule options: declared names and types only, each error at its key or value', () => {
  const rule = (options: string) => `rules:\n  pool-lifetime-exceeds-wait-timeout: { severity: warning, options: { ${options} } }\n`;
  const where = 'rules.pool-lifetime-exceeds-wait-timeout.options';
  const cases: Array<[string, string, number, number]> = [
    // [options, message, column offset from the first option key, length];
    // "  pool-lifetime-exceeds-wait-timeout: { severity: warning, options: { " is 70 characters.
    ['marginSeconds: abc', `${where}.marginSeconds: expected a whole number of at least 0 (got "abc")`, 15, 3],
    ['marginSeconds: "10"', `${where}.marginSeconds: expected a whole number of at least 0 (got "10")`, 15, 4],
    ['marginSeconds: 2.5', `${where}.marginSeconds: expected a whole number of at least 0 (got 2.5)`, 15, 3],
    ['marginSeconds: 5.0', `${where}.marginSeconds: expected a whole number of at least 0 (got 5.0)`, 15, 3],
    ['marginSeconds: 1e3', `${where}.marginSeconds: expected a whole number of at least 0 (got 1e3)`, 15, 3],
    // The schema already refuses what is not a finite number, true, false or text.
    ['marginSeconds: .nan', `${where}.marginSeconds: expected a number, true or false or text (got .nan)`, 15, 4],
    ['marginSeconds: true', `${where}.marginSeconds: expected a whole number of at least 0 (got true)`, 15, 4],
    ['marginSeconds: -1', `${where}.marginSeconds: expected a whole number of at least 0 (got -1)`, 15, 2],
    ['margin: 10', `${where}.margin: unknown option (known: marginSeconds)`, 0, 6],
    ['marginSecond: 10', `${where}.marginSecond: unknown option; did you mean "marginSeconds"? (known: marginSeconds)`, 0, 12],
  ];
  for (const [options, message, offset, length] of cases) {
    const { config, errors } = loadConfig(PATH, rule(options), RULES);
    assert.deepEqual(errors, [{ message, span: span(2, 71 + offset, 71 + offset + length) }], options);
    assert.deepEqual(config.ruleOptions['pool-lifetime-exceeds-wait-timeout'], {}, options);
  }
  for (const [written, value] of [
    ['0', 0],
    ['30', 30],
    ['0x10', 16],
  ] as const) {
    const { config, errors } = loadConfig(PATH, rule(`marginSeconds: ${written}`), RULES);
    assert.deepEqual(errors, [], written);
    assert.deepEqual(config.ruleOptions['pool-lifetime-exceeds-wait-timeout'], { marginSeconds: value }, written);
  }
  const none = onlyError('rules:\n  keepalive-exceeds-network-idle-timeout: { severity: note, options: { marginSeconds: 5 } }\n');
  assert.equal(none.message, 'rules.keepalive-exceeds-network-idle-timeout.options.marginSeconds: this rule has no options');
  // "  keepalive-exceeds-network-idle-timeout: { severity: note, options: { " is 71 characters.
  assert.deepEqual(none.span, span(2, 72, 85));
});

test('rule options of every declared type', () => {
  const rules: RuleSpec[] = [
    {
      id: 'r',
      options: {
        ratio: { type: 'number', description: 'A ratio.', default: 1, minimum: 0.5 },
        strict: { type: 'boolean', description: 'Strict.', default: false },
        label: { type: 'string', description: 'A label.', default: 'x' },
      },
    },
  ];
  const load = (options: string) => loadConfig(PATH, `rules:\n  r:\n    severity: note\n    options:\n${options}`, rules);
  const good = load('      ratio: 0.75\n      strict: true\n      label: "8.0"\n');
  assert.deepEqual(good.errors, []);
  assert.deepEqual(good.config.ruleOptions, { r: { ratio: 0.75, strict: true, label: '8.0' } });
  const bad = load('      ratio: 0.25\n      strict: yes\n      label: 8.0\n      ratio2: 1\n');
  assert.deepEqual(bad.errors, [
    { message: 'rules.r.options.ratio: expected a number of at least 0.5 (got 0.25)', span: span(5, 14, 18) },
    { message: 'rules.r.options.strict: expected true or false (got "yes")', span: span(6, 15, 18) },
    { message: 'rules.r.options.label: expected text (got 8.0)', span: span(7, 14, 17) },
    { message: 'rules.r.options.ratio2: unknown option; did you mean "ratio"? (known: ratio, strict, label)', span: span(8, 7, 13) },
  ]);
  assert.deepEqual(bad.config.ruleOptions, { r: {} });
});

test('unknown profile lists every known id; the known ones are kept', () => {
  const { config, errors } = loadConfig(PATH, 'network:\n  profile: [aws-nlb-tcp, aws-nat]\n', RULES);
  assert.equal(errors.length, 1);
  const error = errors[0] as ConfigError;
  assert.ok(
    error.message.startsWith('network.profile[1]: unknown profile "aws-nat"; did you mean "aws-nat-gateway"? (expected one of '),
    error.message,
  );
  for (const id of NETWORK_PROFILES.keys()) assert.ok(error.message.includes(id), id);
  assert.deepEqual(error.span, span(2, 26, 33));
  assert.deepEqual(
    config.network.profiles.map((p) => p.value),
    ['aws-nlb-tcp'],
  );
});

test('a device that is deliberately not a profile says why', () => {
  const error = onlyError('network:\n  profile: aws-alb\n');
  assert.equal(
    error.message,
    'network.profile: "aws-alb" is not a profile: an Application Load Balancer is HTTP-only and never on a database path',
  );
  assert.deepEqual(error.span, span(2, 12, 19));
});

test('engine names', () => {
  const error = onlyError('database:\n  engine: mysq\n');
  assert.equal(error.message, 'database.engine: expected mysql, mariadb or postgresql (got "mysq")');
  assert.deepEqual(error.span, span(2, 11, 15));
});

test('variables: time units and YAML-only number forms are refused', () => {
  const { config, errors } = loadConfig(
    PATH,
    'database:\n  variables:\n    wait_timeout: 8h\n    max_connections: 0x10\n    net_read_timeout: 1.5\n',
    RULES,
  );
  assert.deepEqual(errors, [
    {
      message: 'database.variables.wait_timeout: expected a number or an option-file number such as 600 or 64M (got "8h")',
      span: span(3, 19, 21),
    },
    {
      message: 'database.variables.max_connections: expected a whole number written in digits, such as 600 (got 0x10)',
      span: span(4, 22, 26),
    },
    {
      message: 'database.variables.net_read_timeout: expected a number or an option-file number such as 600 or 64M (got 1.5)',
      span: span(5, 23, 26),
    },
  ]);
  assert.deepEqual(config.database?.variables, {});
});

test('one variable under two spellings', () => {
  const error = onlyError('database:\n  variables:\n    wait_timeout: 600\n    wait-timeout: 700\n');
  assert.equal(error.message, 'database.variables.wait-timeout: the same variable as "wait_timeout" (line 3); give it once');
  assert.deepEqual(error.span, span(4, 5, 17));
});

test('wrong types', () => {
  const include = onlyError('include: "**/*.cnf"\n');
  assert.equal(include.message, 'include: expected a list of globs such as ["**/*.cnf"] (got "**/*.cnf")');
  assert.deepEqual(include.span, span(1, 10, 20));
  const network = onlyError('network: 5\n');
  assert.equal(network.message, 'network: expected a mapping (got 5)');
  assert.deepEqual(network.span, span(1, 10, 11));
  const option = onlyError('rules:\n  pool-missing-validation: { severity: note, options: { marginSeconds: [1] } }\n');
  assert.equal(
    option.message,
    'rules.pool-missing-validation.options.marginSeconds: expected a number, true or false or text (got a list)',
  );
});

test('links: a missing key, and `database` without a database section', () => {
  const missing = onlyError('links:\n  - pool: "a/**"\n');
  assert.equal(missing.message, 'links[0]: missing key "server"');
  assert.deepEqual(missing.span, span(2, 5, 17));
  const toDatabase = onlyError('links:\n  - pool: "a/**"\n    server: database\n');
  assert.equal(toDatabase.message, 'links[0].server: "database" names the declared database, but this file has no database section');
  assert.deepEqual(toDatabase.span, span(3, 13, 21));
  const { errors } = loadConfig(PATH, 'database:\n  engine: mysql\nlinks:\n  - pool: "a/**"\n    server: database\n', RULES);
  assert.deepEqual(errors, []);
});

test('mounts: keys are absolute container paths', () => {
  const error = onlyError('mounts:\n  etc/mysql: docker/mysql\n');
  assert.equal(error.message, 'mounts: expected each key to be an absolute container path such as /etc/mysql/conf.d (got "etc/mysql")');
  assert.deepEqual(error.span, span(2, 3, 12));
});

test('libraries: unknown names are unknown keys', () => {
  const error = onlyError('libraries:\n  hikari: 6.3.0\n');
  assert.equal(
    error.message,
    'unknown key "libraries.hikari" (expected one of hikaricp, django, flask-sqlalchemy, prisma, knex, mysql2, mysql, mariadb, typeorm, sequelize)',
  );
  assert.deepEqual(error.span, span(2, 3, 9));
});

test('YAML syntax error: reported alone, at its position', () => {
  // `network: idleTimeout: 5m` opens a second mapping on one line; the parser stops at column 10.
  const error = onlyError('network: idleTimeout: 5m\nnetwrk: {}\n');
  assert.equal(error.message, 'invalid YAML: nested mappings are not allowed in compact mappings');
  assert.deepEqual(error.span, span(1, 10, 11));
});

test('a repeated key is a YAML error naming both lines', () => {
  const { config, errors } = loadConfig(PATH, 'rules:\n  parse-error: off\n  parse-error: error\n', RULES);
  assert.deepEqual(errors, [
    { message: 'invalid YAML: key "parse-error" appears twice in one mapping (first on line 2)', span: span(3, 3, 14) },
  ]);
  // What could be read is still returned.
  assert.deepEqual(withoutSpans(config.rules), { 'parse-error': { value: 'off' } });
});

test('a file that is a list or a scalar', () => {
  const list = onlyError('- network\n- rules\n');
  assert.equal(list.message, 'expected a mapping of keys such as network, database and rules at the top of the file (got a list)');
  assert.deepEqual(list.span, span(1, 1, 8, 2));
  const scalar = onlyError('network\n');
  assert.equal(scalar.message, 'expected a mapping of keys such as network, database and rules at the top of the file (got "network")');
  assert.deepEqual(scalar.span, span(1, 1, 8));
});

test('a second YAML document is an error at its marker; the first is read', () => {
  const { config, errors } = loadConfig(PATH, 'rules:\n  parse-error: off\n---\nnetwork: {}\n', RULES);
  assert.deepEqual(errors, [{ message: 'a second YAML document starts here; a config file holds one', span: span(3, 1, 4) }]);
  assert.deepEqual(withoutSpans(config.rules), { 'parse-error': { value: 'off' } });
  // Also after an empty first document; an empty document after the first is harmless.
  assert.deepEqual(onlyError('---\n---\nnetwork: {}\n').span, span(2, 1, 4));
  assert.deepEqual(loadConfig(PATH, 'network: {}\n---\n', RULES).errors, []);
});

test('an alias without its anchor is a YAML error', () => {
  const error = onlyError('network:\n  idleTimeout: *t\n');
  assert.equal(error.message, 'invalid YAML: alias *t has no anchor &t before it');
  assert.deepEqual(error.span, span(2, 16, 18));
});

test('CRLF line ends and a byte-order mark leave columns unchanged', () => {
  const text = 'network:\r\n  idleTimeout: 5 minutes\r\n';
  for (const input of [text, `\uFEFF${text}`]) {
    const error = onlyError(input);
    assert.deepEqual(error.span, span(2, 16, 25));
  }
});

test('every error names the config path it was given', () => {
  const { errors } = loadConfig('deploy/connlint.config.yaml', 'netwrk: 1\nrules: [a\n', RULES);
  assert.ok(errors.length > 0);
  for (const error of errors) assert.equal(error.span.path, 'deploy/connlint.config.yaml');
});

test('hostile input: deep nesting, alias bombs, binary and large files neither throw nor hang', () => {
  for (const text of ['['.repeat(100_000), '{a: '.repeat(50_000), '- '.repeat(100_000)]) {
    const error = onlyError(text);
    assert.equal(error.message, 'nested more than 200 levels deep; not read');
    // The estimate counts each `[` and each column of a `- ` prefix, so it passes 200 at offset 200;
    // `{a: ` adds one level per 4 characters, so at offset 800.
    assert.equal(error.span.line, 1);
    assert.equal(error.span.column, { '[': 201, '{': 801, '-': 201 }[text.charAt(0)]);
  }
  const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (const [name, previous] of [
    ['b', 'a'],
    ['c', 'b'],
    ['d', 'c'],
    ['e', 'd'],
    ['f', 'e'],
  ]) {
    laughs.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
  }
  const bomb = onlyError(`${laughs.join('\n')}\n`);
  assert.equal(bomb.message, 'invalid YAML: aliases expand to more than 10000 values');

  // A fixed-seed generator keeps the binary inputs the same on every run.
  let seed = 42;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed;
  };
  for (let i = 0; i < 300; i++) {
    const bytes = Array.from({ length: 1 + (next() % 300) }, () => next() % 256);
    const { errors } = loadConfig(PATH, String.fromCharCode(...bytes), RULES);
    for (const error of errors) assert.ok(error.span.line >= 1 && error.span.column >= 1);
  }

  const many = `rules:\n${Array.from({ length: 20_000 }, (_, i) => `  rule-${i}: warn`).join('\n')}\n`;
  const manyRules = Array.from({ length: 20_000 }, (_, i) => ({ id: `rule-${i}`, options: {} }));
  const { errors } = loadConfig(PATH, many, manyRules);
  assert.equal(errors.length, 20_000);
  assert.deepEqual(errors[19_999]?.span, span(20_001, 15, 19));
});

test('the shipped schema documents every property', () => {
  const schema = JSON.parse(readFileSync(new URL('../../../schema/connlint.config.schema.json', import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
  const missing: string[] = [];
  const visit = (node: unknown, where: string): void => {
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    for (const [name, child] of Object.entries((record.properties ?? {}) as Record<string, unknown>)) {
      if (typeof (child as Record<string, unknown>).description !== 'string') missing.push(`${where}.${name}`);
      visit(child, `${where}.${name}`);
    }
    for (const key of ['additionalProperties', 'items', 'then', 'else']) {
      const child = record[key];
      if (typeof child !== 'object' || child === null) continue;
      if (key !== 'else' && typeof (child as Record<string, unknown>).description !== 'string') missing.push(`${where}/${key}`);
      visit(child, `${where}/${key}`);
    }
  };
  visit(schema, '');
  assert.deepEqual(missing, []);
  assert.equal(typeof schema.description, 'string');
});

test('optionFiles: flavour and version of the server that reads the repository option files', () => {
  const { config, errors } = loadConfig(PATH, 'optionFiles:\n  flavor: mariadb\n  version: 10.11\n', RULES);
  assert.deepEqual(errors, []);
  assert.equal(config.optionFiles?.flavor?.value, 'mariadb');
  assert.deepEqual(config.optionFiles?.flavor?.span, span(2, 11, 18));
  assert.equal(config.optionFiles?.version?.value, '10.11');
  const bad = onlyError('optionFiles:\n  flavor: percona\n');
  assert.match(bad.message, /^optionFiles\.flavor: /);
  assert.deepEqual(bad.span, span(2, 11, 18));
});

test('instances: a count below 1 or not whole is an error at the value', () => {
  assert.match(onlyError('instances:\n  "api/**": 0\n').message, /instances/);
  assert.match(onlyError('instances:\n  "api/**": 2.5\n').message, /instances/);
  assert.match(onlyError('instances:\n  "api/**": four\n').message, /instances/);
});
