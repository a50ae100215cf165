import { existsSync, writeFileSync } from 'node:fs';
import { isAbsolute, posix, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { LintResult } from '../engine/finding.js';
import { RULES } from '../engine/registry.js';
import { lint, TOOL_VERSION, UsageError } from '../engine/run.js';
import { rebaseResult } from '../report/base-path.js';
import { FORMATS, type Format, renderer } from '../report/index.js';
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
  return { ...result, findings: result.findings.filter((f) => hit(f.location.path) || f.related.some((r) => hit(r.span.path))) };
}

async function runLint(paths: string[], flags: LintFlags, io: Io): Promise<number> {
  if (flags.listRules) {
    io.stdout.write(`${RULES.map((r) => `${r.id.padEnd(40)} ${r.severity.padEnd(8)} ${r.summary}`).join('\n')}\n`);
    return EXIT_OK;
  }
  // --only-files: the whole repository is the context, the paths only choose what is reported (pre-commit).
  const only = flags.onlyFiles ? paths.map((p) => resolve(io.cwd, p)) : undefined;
  if (only) {
    only.forEach((abs, i) => {
      if (!existsSync(abs)) throw new UsageError(`no such file or directory: ${paths[i]}`);
    });
  }
  const lintCwd = only ? (repositoryRoot(io.cwd) ?? io.cwd) : io.cwd;
  const run = await lint({
    cwd: lintCwd,
    paths: only ? [] : paths,
    ...(flags.config ? { configPath: only ? resolve(io.cwd, flags.config) : flags.config } : {}),
  });
  // Paths in every format start at the repository root (or --base-path), as GitHub and editors read them.
  const root = toPosixPath(run.root);
  const base = toPosixPath(flags.basePath ? resolve(io.cwd, flags.basePath) : (repositoryRoot(run.root) ?? run.root));
  const rebased = rebaseResult(run.result, root, base);
  const full = only && only.length > 0 ? keepFindingsIn(rebased, base, only.map(toPosixPath)) : rebased;
  const shown: LintResult = flags.quiet ? { ...full, findings: full.findings.filter((f) => f.severity === 'error') } : full;
  const text = renderer(flags.format)(shown, {
    color: useColor(io, flags),
    ...(flags.sarifCategory ? { sarifCategory: flags.sarifCategory } : {}),
  });
  if (flags.output) writeFileSync(resolve(io.cwd, flags.output), text);
  else io.stdout.write(text);
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
    // `inspect`'s own -f/-c come after the word inspect; without this the top-level ones would take them.
    .enablePositionalOptions()
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
    .action(async (paths: string[], flags: InspectFlags) => {
      code = await runInspect(paths, flags, io);
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
    if (error instanceof UsageError) {
      io.stderr.write(`connlint: ${error.message}\n${error.details.map((d) => `  ${d}\n`).join('')}`);
      return EXIT_FAILURE;
    }
    io.stderr.write(`connlint: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}
