/**
 * mysqld's command-line arguments (Docker `command:`, `docker run mysql --wait-timeout=600`) as the
 * server reads them (mysql-option-files.md): the option-file reader turns each file line into a
 * `--name=value` argument placed BEFORE the real ones, then one option parser (my_getopt) reads the whole
 * list, so command-line options use the same names (`-`/`_` alike, `loose-`, `skip-`), the same values
 * and clamps, and win over every option file (last one wins).
 * - `--name=value`; `--name value` (an option that requires a value takes the next argument, whatever
 *   it is); `--name` alone (a boolean, or an option missing its value: mysqld refuses to start);
 * - `--no-defaults`, `--defaults-file=PATH`, `--defaults-extra-file=PATH`, `--defaults-group-suffix=SUF`
 *   are read by the option-file reader only at the start of the list (and only with `=`); later, mysqld
 *   rejects them as unknown variables and does not start (E13);
 * - a word that is not an option: "Too many arguments", mysqld does not start.
 * Each option becomes an Entry like an option-file line (key = the name as written, text = the value,
 * null for none), with `section` set by the caller so the server interpreter reads it in order.
 */
import type { Entry } from '../../model/entry.js';
import type { Problem } from '../../model/problem.js';
import type { Span } from '../../model/span.js';
import { canonicalOptionName, MYSQL_VARIABLES } from './variables.js';

/** One argument mysqld receives. */
export interface Argument {
  /** The argument as mysqld receives it; when `unknown` is set, only its known beginning. */
  text: string;
  /** Set when the argument depends on a value connlint cannot know (an unset variable): why. */
  unknown?: string;
  span: Span;
  /** Span of characters [from, to) of `text` (the whole argument where they cannot be located). */
  sub(from: number, to: number): Span;
}

export interface DefaultsOptions {
  noDefaults?: Span;
  file?: { path: string; span: Span };
  extraFile?: { path: string; span: Span };
  groupSuffix?: { suffix: string; span: Span };
}

export interface CommandLine {
  /** Options in the order mysqld applies them, as option-file-like entries. */
  options: Entry[];
  /** Options (in `options`) whose value connlint cannot know, with why: their text is null and the server's value unknown. */
  unknown: Map<Entry, string>;
  defaults: DefaultsOptions;
  notes: string[];
  problems: Problem[];
}

const DEFAULTS_OPTION = /^--(defaults-file|defaults-extra-file|defaults-group-suffix)=([\s\S]*)$/;
const DEFAULTS_NAMES = new Set(['no-defaults', 'defaults-file', 'defaults-extra-file', 'defaults-group-suffix']);
/** mysqld's short options that take a value (`-u mysql`, `-P 3306`, `-h /datadir`). */
const SHORT_WITH_VALUE = /^-[uhPbCLTWl]$/;

function union(a: Span, b: Span): Span {
  if (a.path !== b.path) return a;
  return { path: a.path, line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn };
}

/** Reads mysqld's arguments (the program name excluded). Never throws. */
export function readCommandLine(args: readonly Argument[], section = 'mysqld'): CommandLine {
  const out: CommandLine = { options: [], unknown: new Map(), defaults: {}, notes: [], problems: [] };
  let i = 0;
  // my_default.c get_defaults_options: only a leading run of these is the option-file reader's.
  for (; i < args.length; i++) {
    const a = args[i] as Argument;
    if (a.unknown !== undefined) break;
    if (a.text === '--no-defaults') {
      out.defaults.noDefaults = a.span;
      continue;
    }
    const m = DEFAULTS_OPTION.exec(a.text);
    if (!m) break;
    const value = m[2] as string;
    if (m[1] === 'defaults-file') out.defaults.file = { path: value, span: a.span };
    else if (m[1] === 'defaults-extra-file') out.defaults.extraFile = { path: value, span: a.span };
    else out.defaults.groupSuffix = { suffix: value, span: a.span };
  }
  const option = (a: Argument, name: string, text: string | null, valueSpan: Span, span: Span): Entry => ({
    key: name,
    text,
    raw: text,
    keySpan: a.sub(2, 2 + name.length),
    valueSpan,
    span,
    section,
  });
  for (; i < args.length; i++) {
    const a = args[i] as Argument;
    if (a.unknown !== undefined) {
      const m = /^--([^=]+)=/.exec(a.text);
      if (m) {
        const name = m[1] as string;
        const eq = name.length + 3;
        const entry = option(a, name, null, a.sub(eq, eq), a.span);
        out.options.push(entry);
        out.unknown.set(entry, a.unknown);
      } else {
        out.notes.push(`an argument of mysqld depends on a value the repository does not set, so what it sets is unknown: ${a.unknown}`);
      }
      continue;
    }
    if (a.text.startsWith('--') && a.text.length > 2) {
      const body = a.text.slice(2);
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      if (DEFAULTS_NAMES.has(name)) {
        const what = eq >= 0 ? `unknown variable '${body}'` : `unknown option '--${name}'`;
        out.problems.push({
          severity: 'error',
          ruleId: 'startup-failure',
          message: `mysqld: ${what}: the option-file reader takes --${name} only at the start of the arguments, so mysqld refuses to start`,
          span: a.span,
        });
        continue;
      }
      if (eq >= 0) {
        out.options.push(option(a, name, body.slice(eq + 1), a.sub(3 + eq, a.text.length), a.span));
        continue;
      }
      const variable = MYSQL_VARIABLES.get(canonicalOptionName(name).canonical);
      const next = args[i + 1];
      // A known variable requires a value and takes the next argument whatever it is (my_getopt); for a name
      // connlint does not know, the next argument is its value unless it is an option itself.
      const takes = next !== undefined && (variable ? variable.unit !== 'bool' : next.unknown !== undefined || !next.text.startsWith('-'));
      if (!takes || !next) {
        out.options.push(option(a, name, null, a.sub(2, a.text.length), a.span));
        continue;
      }
      i++;
      if (next.unknown !== undefined) {
        const entry = option(a, name, null, next.span, union(a.span, next.span));
        out.options.push(entry);
        out.unknown.set(entry, next.unknown);
        continue;
      }
      out.options.push(option(a, name, next.text, next.span, union(a.span, next.span)));
      continue;
    }
    if (a.text.startsWith('-') && a.text.length > 1 && !a.text.startsWith('--')) {
      out.notes.push(`short option ${a.text} is not read (only long --name options are)`);
      const next = args[i + 1];
      if (SHORT_WITH_VALUE.test(a.text) && next && !next.text.startsWith('-')) i++;
      continue;
    }
    out.problems.push({
      severity: 'error',
      ruleId: 'startup-failure',
      message: `mysqld: Too many arguments (first extra is '${a.text}'): mysqld refuses to start`,
      span: a.span,
    });
    break;
  }
  return out;
}
