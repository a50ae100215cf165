import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { repositoryRoot, toPosixPath } from '../cli/base-path.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_PROBLEMS } from '../cli/exit-codes.js';
import type { LintResult } from '../engine/finding.js';
import { lint, UsageError } from '../engine/run.js';
import { escapeData } from '../report/github.js';
import { rebaseResult } from '../report/base-path.js';
import { applyBaseline, readBaselineFile } from '../engine/baseline.js';
import { renderer } from '../report/index.js';
import { countFindings, renderSummary, type SourceLink } from './summary.js';

/*
 * The GitHub Action (action.yml, docs/github-action.md): connlint's lint() with the CLI's report paths
 * (repository root), annotations on stdout, a job summary, step outputs, an optional SARIF file and an
 * exit status chosen by `fail-on`. Everything from the outside world comes through ActionIo, so tests
 * run it in-process; run-action.ts hands it the real process.
 */

export interface ActionIo {
  env: Record<string, string | undefined>;
  /** Used when GITHUB_WORKSPACE is not set (a local run). */
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export const FAIL_ON = ['error', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface ActionInputs {
  paths: string[];
  config?: string;
  failOn: FailOn;
  sarifFile?: string;
  category?: string;
  /** A file from `connlint --write-baseline`, relative to the workspace: only findings it does not record are reported. */
  baseline?: string;
  workingDirectory: string;
}

/**
 * An input as an Actions runner passes it to a JavaScript action (`INPUT_FAIL-ON`: upper case, spaces to `_`,
 * hyphens kept), or with `_` for `-`, as action.yml's composite step passes it (a shell-friendly name).
 */
export function getInput(env: Record<string, string | undefined>, name: string): string {
  const key = `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
  return (env[key] ?? env[key.replace(/-/g, '_')] ?? '').trim();
}

/** `paths` is one path per line (a YAML block), as @actions/core's getMultilineInput reads it. */
export function readInputs(env: Record<string, string | undefined>): ActionInputs {
  const paths = getInput(env, 'paths')
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const failOn = (getInput(env, 'fail-on') || 'error').toLowerCase();
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw new UsageError(`invalid fail-on input ${JSON.stringify(failOn)}`, [`expected one of: ${FAIL_ON.join(', ')}`]);
  }
  const config = getInput(env, 'config');
  const sarifFile = getInput(env, 'sarif-file');
  const category = getInput(env, 'category');
  const baseline = getInput(env, 'baseline');
  return {
    paths,
    failOn: failOn as FailOn,
    workingDirectory: getInput(env, 'working-directory') || '.',
    ...(config ? { config } : {}),
    ...(sarifFile ? { sarifFile } : {}),
    ...(category ? { category } : {}),
    ...(baseline ? { baseline } : {}),
  };
}

/** Exit status: 2 when connlint failed itself (internal errors), else 1 when a finding reaches `fail-on`. */
export function actionExitCode(result: LintResult, failOn: FailOn): number {
  if (failOn === 'never') return EXIT_OK;
  if (result.findings.some((f) => f.ruleId === 'internal-error')) return EXIT_FAILURE;
  const failing = failOn === 'warning' ? ['error', 'warning'] : ['error'];
  return result.findings.some((f) => failing.includes(f.severity)) ? EXIT_PROBLEMS : EXIT_OK;
}

/** `name=value` lines; a value with a line break uses the heredoc form the runner also accepts. */
export function outputLines(outputs: Record<string, string>): string {
  return Object.entries(outputs)
    .map(([name, value]) => {
      if (!/[\r\n]/.test(value)) return `${name}=${value}\n`;
      let delimiter = 'connlint_EOF';
      while (value.includes(delimiter)) delimiter += '_';
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join('');
}

function sourceLink(env: Record<string, string | undefined>): SourceLink | undefined {
  const { GITHUB_SERVER_URL: serverUrl, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = env;
  return serverUrl && repository && sha ? { serverUrl, repository, sha } : undefined;
}

function isInside(dir: string, parent: string): boolean {
  const rel = relative(parent, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export async function runAction(io: ActionIo): Promise<number> {
  try {
    return await run(io);
  } catch (error) {
    const text =
      error instanceof UsageError
        ? [error.message, ...error.details].join('\n')
        : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    // An ::error:: without a file still shows on the run's page, which a log line alone would not.
    io.stdout.write(`::error title=connlint::${escapeData(`connlint: ${text}`)}\n`);
    return EXIT_FAILURE;
  }
}

async function run(io: ActionIo): Promise<number> {
  const inputs = readInputs(io.env);
  const workspace = resolve(io.cwd, io.env.GITHUB_WORKSPACE || '.');
  const cwd = resolve(workspace, inputs.workingDirectory);

  const lintRun = await lint({ cwd, paths: inputs.paths, ...(inputs.config ? { configPath: inputs.config } : {}) });
  // As the CLI does: paths from the enclosing git repository. Without one (a checkout without .git), the
  // workspace, which is the repository's root in a workflow, when the scanned folder is inside it.
  const root = toPosixPath(lintRun.root);
  const base = toPosixPath(repositoryRoot(lintRun.root) ?? (isInside(lintRun.root, workspace) ? workspace : lintRun.root));
  const rebased = rebaseResult(lintRun.result, root, base);
  const result = inputs.baseline
    ? applyBaseline(rebased, readBaselineFile(resolve(workspace, inputs.baseline), inputs.baseline)).result
    : rebased;

  // Annotations: github.ts orders them errors first and says how many the 10-per-level limit left out.
  io.stdout.write(renderer('github')(result, { color: false }));

  let sarifPath: string | undefined;
  if (inputs.sarifFile) {
    // Relative to the workspace, where upload-sarif's sarif_file is read from, not to working-directory.
    sarifPath = resolve(workspace, inputs.sarifFile);
    mkdirSync(dirname(sarifPath), { recursive: true });
    writeFileSync(sarifPath, renderer('sarif')(result, { color: false, ...(inputs.category ? { sarifCategory: inputs.category } : {}) }));
  }

  const counts = countFindings(result);
  const code = actionExitCode(result, inputs.failOn);
  const link = sourceLink(io.env);
  if (io.env.GITHUB_STEP_SUMMARY) {
    appendFileSync(
      io.env.GITHUB_STEP_SUMMARY,
      renderSummary(result, { ...(link ? { link } : {}), ...(inputs.sarifFile ? { sarifFile: inputs.sarifFile } : {}) }),
    );
  }
  if (io.env.GITHUB_OUTPUT) {
    appendFileSync(
      io.env.GITHUB_OUTPUT,
      outputLines({
        errors: String(counts.errors),
        warnings: String(counts.warnings),
        notes: String(counts.notes),
        findings: String(counts.findings),
        'sarif-file': sarifPath ?? '',
      }),
    );
  }

  io.stdout.write(
    `connlint: ${counts.errors} error(s), ${counts.warnings} warning(s), ${counts.notes} note(s) in ${result.files.length} file(s) read` +
      `${sarifPath ? `; SARIF written to ${sarifPath}` : ''}\n`,
  );
  if (code === EXIT_FAILURE) {
    io.stderr.write('connlint: internal errors (see the internal-error findings); the other files and rules still ran\n');
  } else if (code === EXIT_PROBLEMS) {
    io.stderr.write(`connlint: failing because of findings at fail-on level ${inputs.failOn} or above\n`);
  }
  return code;
}
