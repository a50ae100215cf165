// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose's own ${VAR} syntax is what these inputs hold
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitShellWords } from '../../src/interpreters/compose/shell-words.js';
import { type Argument, readCommandLine } from '../../src/interpreters/mysql/command-line.js';
import { lineSpan } from '../../src/model/span.js';

const words = (line: string) => splitShellWords(line).words.map((w) => w.text);

test('a string command is split like go-shellwords 1.0.12: blanks, quotes, backslashes, empty words', () => {
  assert.deepEqual(words('--wait-timeout=300  --max-connections=500'), ['--wait-timeout=300', '--max-connections=500']);
  assert.deepEqual(words(`--init-connect='SET NAMES utf8mb4' --x="a b" c\\ d`), ['--init-connect=SET NAMES utf8mb4', '--x=a b', 'c d']);
  assert.deepEqual(words(`a '' "" b`), ['a', '', '', 'b']);
  // A backslash escapes the next character outside single quotes; `\t` is a plain `t` in 1.0.12.
  assert.deepEqual(words(`a\\tb "q\\"x" 'k\\n'`), ['atb', 'q"x', 'k\\n']);
  assert.deepEqual(words('\t--a\r\n--b\n'), ['--a', '--b']);
});

test('an unquoted ; & | < > ends the command silently; ( and an open quote are errors', () => {
  const cut = splitShellWords('mysqld --wait-timeout=60; echo done');
  assert.deepEqual(
    cut.words.map((w) => w.text),
    ['mysqld', '--wait-timeout=60'],
  );
  assert.equal(cut.cutAt, 24);
  assert.deepEqual(words('mysqld 2>/dev/null'), ['mysqld']);
  assert.deepEqual(words('a "b;c" d'), ['a', 'b;c', 'd']);
  assert.equal(splitShellWords('mysqld (x)').error, 'invalid command line string');
  assert.equal(splitShellWords("mysqld 'open").error, 'invalid command line string');
  assert.equal(splitShellWords('mysqld \\').error, 'invalid command line string');
  assert.deepEqual(words('echo $(date) x'), ['echo', '$(date)', 'x']);
});

test('word offsets point at the text as written, opening quote included', () => {
  const split = splitShellWords(`  --a=1 "--b=2"`);
  assert.deepEqual(
    split.words.map((w) => [w.start, w.end]),
    [
      [2, 7],
      [8, 15],
    ],
  );
});

function args(...texts: Array<string | { known: string; unknown: string }>): Argument[] {
  let column = 1;
  return texts.map((t) => {
    const text = typeof t === 'string' ? t : t.known;
    const span = lineSpan('docker-compose.yml', 4, column, text.length);
    const start = column;
    column += text.length + 1;
    return {
      text,
      ...(typeof t === 'string' ? {} : { unknown: t.unknown }),
      span,
      sub: (from: number, to: number) => lineSpan('docker-compose.yml', 4, start + from, to - from),
    };
  });
}

test('mysqld options: --name=value, --name value (a known option takes the next word), booleans, loose-', () => {
  const line = readCommandLine(
    args('--wait-timeout=300', '--wait_timeout', '60', '--max_connections', '--skip-name-resolve', '--loose-foo', 'bar', '--LOOSE-x=1'),
  );
  assert.deepEqual(
    line.options.map((e) => [e.key, e.text, e.section]),
    [
      ['wait-timeout', '300', 'mysqld'],
      ['wait_timeout', '60', 'mysqld'],
      // A known option requires a value: it takes the next argument whatever it is (my_getopt).
      ['max_connections', '--skip-name-resolve', 'mysqld'],
      ['loose-foo', 'bar', 'mysqld'],
      ['LOOSE-x', '1', 'mysqld'],
    ],
  );
  assert.deepEqual(line.problems, []);
  const first = line.options[0];
  assert.deepEqual([first?.keySpan.column, first?.keySpan.endColumn, first?.valueSpan.column, first?.valueSpan.endColumn], [3, 15, 16, 19]);
  const separate = line.options[1];
  assert.equal(separate?.span.endColumn, separate?.valueSpan.endColumn);
  const last = readCommandLine(args('--wait-timeout'));
  assert.deepEqual(
    last.options.map((e) => [e.key, e.text]),
    [['wait-timeout', null]],
  );
});

test('--defaults-file and friends count only at the start; later, and stray words, stop mysqld', () => {
  const ok = readCommandLine(args('--no-defaults', '--defaults-file=/etc/mysql/custom.cnf', '--wait-timeout=1'));
  assert.ok(ok.defaults.noDefaults);
  assert.equal(ok.defaults.file?.path, '/etc/mysql/custom.cnf');
  assert.equal(ok.options.length, 1);
  const late = readCommandLine(args('--wait-timeout=1', '--defaults-file=/x.cnf', 'extra', '--max-connections=5'));
  assert.deepEqual(
    late.problems.map((p) => p.message),
    [
      "mysqld: unknown variable 'defaults-file=/x.cnf': the option-file reader takes --defaults-file only at the start of the arguments, so mysqld refuses to start",
      "mysqld: Too many arguments (first extra is 'extra'): mysqld refuses to start",
    ],
  );
  assert.ok(late.problems.every((p) => p.severity === 'error'));
  const short = readCommandLine(args('-u', 'mysql', '--wait-timeout=2'));
  assert.deepEqual(
    short.options.map((e) => e.key),
    ['wait-timeout'],
  );
  assert.match(short.notes[0] ?? '', /short option -u is not read/);
});

test('an option whose value is unknown is kept in order and flagged, never guessed', () => {
  const line = readCommandLine(
    args({ known: '--wait-timeout=', unknown: '${WAIT} is not set' }, '--max_connections', { known: '', unknown: 'x' }),
  );
  assert.deepEqual(
    line.options.map((e) => [e.key, e.text, line.unknown.get(e)]),
    [
      ['wait-timeout', null, '${WAIT} is not set'],
      ['max_connections', null, 'x'],
    ],
  );
});
