import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, relative, resolve } from 'node:path';
import { emptyConfig, type Config } from '../config/config.js';
import { type ConfigError, loadConfig } from '../config/load-config.js';
import { CONFIG_FILE_NAME } from '../discover/classify.js';
import { discoverFiles, toPosix } from '../discover/find-files.js';
import { createTreeView } from '../discover/tree-view.js';
import { buildModel } from '../model/build-model.js';
import type { Model } from '../model/model.js';
import { scrubSecrets, secretValues } from '../model/secrets.js';
import { lineSpan, type Span } from '../model/span.js';
import type { Report, Rule } from './define-rule.js';
import { compareFindings, type Finding, type LintResult, type RuleMeta, type Severity } from './finding.js';
import { RULES } from './registry.js';
import { fixedMeta, ruleMeta } from './rule-docs.js';
import { compareText } from '../model/sort-order.js';

export const TOOL_VERSION: string = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

export interface LintOptions {
  /** Directory relative paths are resolved against. */
  cwd: string;
  /** Files or directories; default the cwd. One directory makes it the scanned root. */
  paths: string[];
  /** --config FILE. */
  configPath?: string;
}

/** connlint's own input is wrong (bad flags, bad config): exit 2 with these lines. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export interface LintRun {
  result: LintResult;
  model: Model;
  /** Include assumptions per root option file, for `inspect`. */
  notes: Map<string, string[]>;
  config: Config;
  root: string;
}

const PARSE_ERROR_META = fixedMeta(
  'parse-error',
  'A file could not be read the way the program that uses it reads it',
  'error',
  'The file has a syntax problem, a value the program rejects at start-up, or a structure connlint cannot follow (an include cycle, a path outside the repository). Errors are what the real program refuses; warnings are accepted but suspicious.',
);
const INTERNAL_ERROR_META = fixedMeta(
  'internal-error',
  'connlint itself failed on this input',
  'error',
  'A bug in connlint. The other files and rules still ran. Please report it with the input that caused it.',
);

function scannedRoot(options: LintOptions): { root: string; targets: string[] } {
  const paths = options.paths.length > 0 ? options.paths : ['.'];
  const targets = paths.map((p) => resolve(options.cwd, p));
  paths.forEach((p, i) => {
    try {
      statSync(targets[i] as string);
    } catch {
      throw new UsageError(`no such file or directory: ${p}`);
    }
  });
  const only = targets[0];
  if (targets.length === 1 && only && statSync(only).isDirectory()) return { root: only, targets };
  const root = resolve(options.cwd);
  for (const t of targets) {
    const rel = relative(root, t);
    if (rel.startsWith('..') || isAbsolute(rel))
      throw new UsageError(`path outside the current directory: ${t}; run connlint from a directory that contains it`);
  }
  return { root, targets };
}

function readConfig(root: string, options: LintOptions): Config {
  const explicit = options.configPath ? resolve(options.cwd, options.configPath) : undefined;
  const file = explicit ?? resolve(root, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    if (explicit) throw new UsageError(`cannot read config file ${options.configPath}`);
    return emptyConfig();
  }
  const rel = relative(root, file);
  const name = rel.startsWith('..') || isAbsolute(rel) ? toPosix(relative(options.cwd, file)) : toPosix(rel);
  const { config, errors } = loadConfig(name, text);
  const unknownRules = Object.entries(config.rules)
    .filter(([id]) => !RULES.some((r) => r.id === id))
    .map(([id, d]): ConfigError => ({ message: `rules.${id}: unknown rule (known: ${RULES.map((r) => r.id).join(', ')})`, span: d.span }));
  const all = [...errors, ...unknownRules];
  if (all.length > 0) {
    throw new UsageError(
      `invalid config ${name}`,
      all.map((e) => `${e.span.path}:${e.span.line}:${e.span.column}: ${e.message}`),
    );
  }
  return { ...config, path: name };
}

/** A bug in connlint, as a finding: what failed, where, and the first lines of the stack. */
function internalError(at: Span, what: string, error: unknown): Finding {
  const text = error instanceof Error ? (error.stack ?? error.message).split('\n').slice(0, 3).join(' | ') : String(error);
  return {
    ruleId: 'internal-error',
    severity: 'error',
    message: `${what} failed: ${text}`,
    location: at,
    related: [],
    fingerprint: `internal-error|${at.path}|${what}`,
  };
}

/**
 * Runs every rule that is not off over the model, with the configured severities and options. A rule
 * that throws (a bug) becomes an `internal-error` finding; the other rules still report.
 */
export function runRules(model: Model, rules: readonly Rule[], config: Config): { findings: Finding[]; metas: RuleMeta[] } {
  const findings: Finding[] = [];
  const metas: RuleMeta[] = [PARSE_ERROR_META, INTERNAL_ERROR_META];
  for (const rule of rules) {
    const setting = config.rules[rule.id]?.value;
    if (setting === 'off') continue;
    metas.push(ruleMeta(rule));
    const opts: Record<string, number | boolean | string> = {};
    for (const [name, o] of Object.entries(rule.options)) opts[name] = config.ruleOptions[rule.id]?.[name] ?? o.default;
    try {
      rule.check({
        model,
        options: opts,
        report: (r: Report<typeof rule.messages>) => {
          const message = (rule.messages[r.messageId] as (d: unknown) => string)(r.data);
          const severity: Severity = setting ?? r.severity ?? rule.severity;
          findings.push({
            ruleId: rule.id,
            severity,
            message,
            location: r.at,
            related: r.related ?? [],
            fingerprint: `${rule.id}|${r.at.path}|${r.key}`,
          });
        },
      });
    } catch (error) {
      findings.push(internalError(lineSpan(config.path ?? model.files[0]?.path ?? '.', 1, 1, 0), `rule ${rule.id}`, error));
    }
  }
  metas.sort((a, b) => compareText(a.id, b.id));
  return { findings, metas };
}

/** The one API for the CLI, the Action and editors: files in, findings out. Prints nothing. */
export function lint(options: LintOptions): LintRun {
  const { root, targets } = scannedRoot(options);
  const config = readConfig(root, options);
  const discovery = discoverFiles({ root, targets, include: config.include, exclude: config.exclude });
  const findings: Finding[] = [];
  const view = createTreeView(root);
  const build = buildModel(discovery.files, config, view, (path, error) =>
    findings.push(internalError(lineSpan(path, 1, 1, 0), `parsing ${path}`, error)),
  );
  for (const p of [...discovery.problems, ...build.problems]) {
    findings.push({
      ruleId: 'parse-error',
      severity: p.severity,
      message: p.message,
      location: p.span,
      related: [],
      fingerprint: `parse-error|${p.span.path}|${p.message}`,
    });
  }

  const ran = runRules(build.model, RULES, config);
  findings.push(...ran.findings);
  const metas = ran.metas;
  // Whatever a parser or rule quoted, a secret written in a scanned file never reaches the output.
  const secrets = secretValues([...build.model.pools, ...build.model.servers].flatMap((x) => [...x.settings.values()]));
  if (secrets.length > 0) {
    for (const f of findings) {
      f.message = scrubSecrets(f.message, secrets);
      f.fingerprint = scrubSecrets(f.fingerprint, secrets);
      for (const r of f.related) r.message = scrubSecrets(r.message, secrets);
    }
  }
  findings.sort(compareFindings);
  const files = [...build.model.files];
  if (config.path && !config.path.startsWith('..') && !isAbsolute(config.path)) files.push({ path: config.path, kind: 'connlint-config' });
  files.sort((a, b) => compareText(a.path, b.path));
  return {
    result: { findings, files, rules: metas, toolVersion: TOOL_VERSION },
    model: build.model,
    notes: build.notes,
    config,
    root,
  };
}
