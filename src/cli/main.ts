import { closeSync, existsSync, openSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, posix, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { applyBaseline, readBaselineFile, writeBaseline } from '../engine/baseline.js';
import type { LintResult } from '../engine/finding.js';
import { RULES } from '../engine/registry.js';
import { FIXED_METAS, InvalidConfigError, lint, TOOL_VERSION, UsageError } from '../engine/run.js';
import { ruleMarkdown } from '../engine/rule-docs.js';
import { rebaseResult } from '../report/base-path.js';
import { sourceReader } from '../report/read-source.js';
import { FORMATS, type Format, renderChunks } from '../report/index.js';
import { repositoryRoot, toPosixPath } from './base-path.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_PROBLEMS } from './exit-codes.js';

export interface Io {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown };
  /** Raw streams for `--stdin` and the language server (bin/ passes the process's; tests pass their own). */
  stdin?: NodeJS.ReadableStream;
  stdoutStream?: NodeJS.WritableStream;
}

interface LintFlags {
  format: Format;
  output?: string;
  config?: string;
  maxWarnings: number;
  quiet?: boolean;
  color: boolean;
  listRules?: boolean;
  basePath?: string;
  sarifCategory?: string;
  onlyFiles?: boolean;
  stdin?: boolean;
  stdinFilename?: string;
  baseline?: string;
  writeBaseline?: string;
}

function parseCount(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

/** Exit status from the findings: errors, internal errors and the warning budget (ESLint's --max-warnings). */
export function exitCodeFor(result: LintResult, maxWarnings: number): number {
  if (result.findings.some((f) => f.ruleId === 'internal-error')) return EXIT_FAILURE;
  if (result.findings.some((f) => f.severity === 'error')) return EXIT_PROBLEMS;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  return maxWarnings >= 0 && warnings > maxWarnings ? EXIT_PROBLEMS : EXIT_OK;
}

function useColor(io: Io, flags: { color: boolean; output?: string }): boolean {
  if (!flags.color || flags.output) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

/**
 * The findings whose location or one of whose related locations is one of `targets` or inside one of them (absolute
 * POSIX paths). Finding paths are relative to `base`, or absolute. The file lists stay whole: they are the context.
 */
export function keepFindingsIn(result: LintResult, base: string, targets: string[]): LintResult {
  const absolute = (p: string) => (isAbsolute(p) ? posix.normalize(p) : posix.join(base, p));
  const wanted = targets.map((t) => posix.normalize(t).replace(/\/+$/, ''));
  const hit = (p: string) => {
    const a = absolute(p);
    return wanted.some((t) => a === t || a.startsWith(`${t}/`));
  };
  const kept = <F extends LintResult['findings'][number]>(f: F) => hit(f.location.path) || f.related.some((r) => hit(r.span.path));
  return {
    ...result,
    findings: result.findings.filter(kept),
    ...(result.suppressed ? { suppressed: result.suppressed.filter(kept) } : {}),
  };
}

/** Everything on a stream, as UTF-8 text. */
async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** `--list-rules` and `connlint rules`: a line per rule, or JSON with `--format json`. */
function listRules(format: Format | 'text'): string {
  if (format === 'json') {
    const rules = RULES.map((r) => ({
      id: r.id,
      severity: r.severity,
      summary: r.summary,
      tags: r.tags,
      status: r.status.kind,
      fixable: r.fixable === true,
    }));
    return `${JSON.stringify(rules, null, 2)}\n`;
  }
  if (format !== 'stylish' && format !== 'text') throw new UsageError(`--list-rules prints text or json, not ${format}`);
  const width = Math.max(...RULES.map((r) => r.id.length));
  return `${RULES.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(8)} ${r.summary}`).join('\n')}\n`;
}

/**
 * What to lint and what to report: the paths as given; with --only-files or --stdin, the whole repository as
 * context and only the findings in or pointing at the named files; with --stdin, the buffer replaces that file.
 */
async function lintScope(
  paths: string[],
  flags: LintFlags,
  io: Io,
): Promise<{ cwd: string; paths: string[]; only?: string[]; overlays?: Map<string, string> }> {
  if (flags.stdinFilename !== undefined && !flags.stdin) throw new UsageError('--stdin-filename names the buffer given with --stdin');
  if (flags.stdin) {
    if (flags.stdinFilename === undefined) {
      throw new UsageError("--stdin needs --stdin-filename PATH: the buffer's path decides which program reads it");
    }
    if (paths.length > 0 || flags.onlyFiles) {
      throw new UsageError('--stdin lints the buffer on standard input: name it with --stdin-filename, not with paths or --only-files');
    }
    const file = resolve(io.cwd, flags.stdinFilename);
    const text = await readAll(io.stdin ?? process.stdin);
    return { cwd: repositoryRoot(dirname(file)) ?? io.cwd, paths: [], only: [file], overlays: new Map([[file, text]]) };
  }
  if (!flags.onlyFiles) return { cwd: io.cwd, paths };
  const only = paths.map((p) => resolve(io.cwd, p));
  only.forEach((abs, i) => {
    if (!existsSync(abs)) throw new UsageError(`no such file or directory: ${paths[i]}`);
  });
  return { cwd: repositoryRoot(io.cwd) ?? io.cwd, paths: [], only };
}

function writeReport(abs: string, given: string, text: string | Iterable<string>, what = 'report'): void {
  let fd: number | undefined;
  try {
    if (typeof text === 'string') writeFileSync(abs, text);
    else {
      fd = openSync(abs, 'w');
      const out = fd;
      inBatches(text, (batch) => writeFileSync(out, batch));
    }
  } catch (error) {
    throw new UsageError(`cannot write ${what} to ${given}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Pieces of a report joined into batches of about 1 MiB, each given to `write`, and at least one (maybe empty). */
function inBatches(chunks: Iterable<string>, write: (batch: string) => void): void {
  let batch: string[] = [];
  let size = 0;
  let wrote = false;
  for (const chunk of chunks) {
    batch.push(chunk);
    size += chunk.length;
    if (size >= 1 << 20) {
      write(batch.join(''));
      wrote = true;
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0 || !wrote) write(batch.join(''));
}

async function runLint(paths: string[], flags: LintFlags, io: Io): Promise<number> {
  if (flags.listRules) {
    io.stdout.write(listRules(flags.format));
    return EXIT_OK;
  }
  const baseline = flags.baseline !== undefined ? readBaselineFile(resolve(io.cwd, flags.baseline), flags.baseline) : undefined;
  const scope = await lintScope(paths, flags, io);
  const only = scope.only;
  const run = await lint({
    cwd: scope.cwd,
    paths: scope.paths,
    ...(flags.config ? { configPath: scope.cwd === io.cwd ? flags.config : resolve(io.cwd, flags.config) } : {}),
    ...(scope.overlays ? { overlays: scope.overlays } : {}),
  });
  // Paths in every format start at the repository root (or --base-path), as GitHub and editors read them.
  const root = toPosixPath(run.root);
  const base = toPosixPath(flags.basePath ? resolve(io.cwd, flags.basePath) : (repositoryRoot(run.root) ?? run.root));
  const rebased = rebaseResult(run.result, root, base);
  const scoped = only && only.length > 0 ? keepFindingsIn(rebased, base, only.map(toPosixPath)) : rebased;
  if (flags.writeBaseline !== undefined) {
    // Today's findings, with the paths the report shows (from the repository root); nothing else is printed.
    const written = writeBaseline(scoped);
    writeReport(resolve(io.cwd, flags.writeBaseline), flags.writeBaseline, written.text, 'baseline');
    io.stderr.write(`connlint: wrote ${written.count} finding${written.count === 1 ? '' : 's'} to ${flags.writeBaseline}\n`);
    return EXIT_OK;
  }
  const full = baseline ? applyBaseline(scoped, baseline).result : scoped;
  const shown: LintResult = flags.quiet ? { ...full, findings: full.findings.filter((f) => f.severity === 'error') } : full;
  const chunks = renderChunks(flags.format, shown, {
    color: useColor(io, flags),
    width: io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : 80,
    readSource: sourceReader(base, scope.overlays),
    ...(flags.sarifCategory ? { sarifCategory: flags.sarifCategory } : {}),
  });
  if (flags.output) writeReport(resolve(io.cwd, flags.output), flags.output, chunks);
  else inBatches(chunks, (batch) => io.stdout.write(batch));
  const warnings = full.findings.filter((f) => f.severity === 'warning').length;
  const code = exitCodeFor(full, flags.maxWarnings);
  if (code === EXIT_FAILURE) {
    const crashes = full.findings.filter((f) => f.ruleId === 'internal-error').length;
    io.stderr.write(
      `connlint: ${crashes} internal error${crashes === 1 ? '' : 's'} (see the internal-error findings); the other files and rules still ran\n`,
    );
  } else if (code === EXIT_PROBLEMS && !full.findings.some((f) => f.severity === 'error')) {
    io.stderr.write(`connlint: ${warnings} warnings exceed --max-warnings ${flags.maxWarnings}\n`);
  }
  return code;
}

interface InspectFlags {
  format: 'text' | 'json';
  config?: string;
  color: boolean;
}

/** `connlint inspect`: what connlint believed, as text with timelines or as JSON (docs/inspect.md). */
async function runInspect(paths: string[], flags: InspectFlags, io: Io): Promise<number> {
  const run = await lint({ cwd: io.cwd, paths, ...(flags.config ? { configPath: flags.config } : {}) });
  const input = { model: run.model, ...(run.config.path ? { configPath: run.config.path } : {}) };
  if (flags.format === 'json') {
    const { inspectJson } = await import('../inspect/inspect-json.js');
    io.stdout.write(`${JSON.stringify(inspectJson(input), null, 2)}\n`);
  } else {
    const { inspectText } = await import('../inspect/inspect-text.js');
    // The terminal's width on a TTY, 80 columns when piped (issue #12).
    const width = io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : 80;
    io.stdout.write(inspectText(input, { color: useColor(io, flags), width }));
  }
  return EXIT_OK;
}

/** `connlint explain <id>`: a rule's docs as Markdown (what RULES.md and SARIF help show), as `ruff rule` prints them. */
function explain(id: string): string {
  const rule = RULES.find((r) => r.id === id);
  if (rule) return `${ruleMarkdown(rule)}\n`;
  const fixed = FIXED_METAS.find((m) => m.id === id);
  if (fixed) return `${fixed.helpMarkdown}\n`;
  const known = [...RULES.map((r) => r.id), ...FIXED_METAS.map((m) => m.id)].sort();
  throw new UsageError(`unknown rule ${id} (known: ${known.join(', ')})`);
}

/** Options of `inspect` that can also be written before the word inspect. */
const INSPECT_SHARED: Record<string, keyof InspectFlags> = { format: 'format', config: 'config', color: 'color' };

/**
 * Options given before `inspect` (`connlint -f json inspect`): the ones inspect also has are honoured unless inspect
 * sets them itself; any other is refused, never silently dropped.
 */
function optionsBeforeInspect(program: Command, inspect: Command): Partial<InspectFlags> {
  const out: Partial<InspectFlags> = {};
  for (const option of program.options) {
    const name = option.attributeName();
    if (program.getOptionValueSource(name) !== 'cli') continue;
    const shared = INSPECT_SHARED[name];
    if (!shared) throw new UsageError(`${option.long ?? option.flags} does not apply to inspect`);
    if (inspect.getOptionValueSource(name) === 'cli') continue;
    const value = program.getOptionValue(name) as string | boolean;
    if (shared === 'format' && value !== 'text' && value !== 'json') {
      throw new UsageError(`inspect prints text or json, not ${String(value)}`);
    }
    (out as Record<string, unknown>)[shared] = value;
  }
  return out;
}

/** argv -> exit code. Only this module and bin/ touch the outside world. */
export async function main(io: Io): Promise<number> {
  const program = new Command();
  let code = EXIT_OK;
  program
    .name('connlint')
    .description(
      'Find the pool, server and network timeout settings behind "MySQL server has gone away" and friends, from config files alone.',
    )
    .version(TOOL_VERSION, '-v, --version')
    .argument('[paths...]', 'files or directories to lint (default: .)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('stylish'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-c, --config <file>', 'config file (default: connlint.config.yaml in the scanned directory)')
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this (-1: no limit)', parseCount, -1)
    .option('--quiet', 'report errors only')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .option('--list-rules', 'list the rules and exit')
    .option('--base-path <dir>', 'report paths relative to this folder (default: the enclosing git repository, else the scanned folder)')
    .option(
      '--only-files',
      'lint the whole repository (the enclosing git repository, else the current directory) and report only findings in or related to the given paths (for pre-commit)',
    )
    .option(
      '--sarif-category <id>',
      "SARIF runAutomationDetails.id, to tell several uploads apart (default: none, so upload-sarif's category applies)",
    )
    .option('--stdin', 'lint the text on standard input as the file named by --stdin-filename (an unsaved editor buffer)')
    .option('--stdin-filename <path>', 'the path of the --stdin buffer; the rest of its repository is read from disk')
    .option('--baseline <file>', 'report only findings the baseline file (from --write-baseline) does not record')
    .option('--write-baseline <file>', "record today's findings in a baseline file and exit 0 (docs/suppression.md)")
    // `inspect`'s own -f/-c come after the word inspect; without this the top-level ones would take them.
    .enablePositionalOptions()
    // The root takes paths, so commander adds no `help` command by itself.
    .helpCommand('help [command]', 'show help for connlint or one of its commands')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .action(async (paths: string[], flags: LintFlags) => {
      code = await runLint(paths, flags, io);
    });
  program
    .command('inspect')
    .description('print the effective model: every value with its origin, each pool-server link and its idle timeline')
    .argument('[paths...]', 'files or directories (default: .)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-c, --config <file>', 'config file (default: connlint.config.yaml in the scanned directory)')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .action(async (paths: string[], flags: InspectFlags, command: Command) => {
      code = await runInspect(paths, { ...flags, ...optionsBeforeInspect(program, command) }, io);
    });
  const subcommand = (name: string, description: string) =>
    program
      .command(name)
      .description(description)
      .exitOverride()
      .configureOutput({
        writeOut: (s) => io.stdout.write(s),
        writeErr: (s) => io.stderr.write(s),
      });
  subcommand('rules', 'list the rules (id, default severity, summary)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((flags: { format: 'text' | 'json' }) => {
      io.stdout.write(listRules(flags.format));
    });
  subcommand('explain', "print a rule's documentation (what it does, why, an example, the fix, references)")
    .argument('<id>', 'a rule id, or parse-error, internal-error ...')
    .action((id: string) => {
      io.stdout.write(explain(id));
    });
  subcommand('profiles', 'list the network and database profiles connlint.config.yaml can name, with their values and sources')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (flags: { format: 'text' | 'json' }) => {
      const { listProfiles } = await import('../profiles/list-profiles.js');
      io.stdout.write(listProfiles(flags.format));
    });
  program
    .command('lsp')
    .description('run the language server over stdio (editors start it; see docs/editors.md)')
    .option('--stdio', 'talk over stdin/stdout (the only transport; accepted because editors pass it)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .action(async () => {
      const { runLanguageServer } = await import('../lsp/server.js');
      code = await runLanguageServer(io.stdin ?? process.stdin, io.stdoutStream ?? process.stdout);
    });
  try {
    await program.parseAsync(io.argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too; commander already printed what it had to say.
      return error.exitCode === 0 ? EXIT_OK : EXIT_FAILURE;
    }
    if (error instanceof InvalidConfigError) {
      // One line per problem, each with its place, as compilers and linters print them.
      io.stderr.write(error.details.map((d) => `connlint: invalid config: ${d}\n`).join(''));
      return EXIT_FAILURE;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`connlint: ${error.message}\n${error.details.map((d) => `  ${d}\n`).join('')}`);
      return EXIT_FAILURE;
    }
    io.stderr.write(`connlint: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}
