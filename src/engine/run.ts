import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, relative, resolve } from 'node:path';
import { type Config, emptyConfig } from '../config/config.js';
import { withInstances } from '../config/instances.js';
import type { ConfigError } from '../config/load-config.js';
import { overrideFor, ruleRuns, severityFor } from '../config/overrides.js';
import type { FileTreeView, TreeView } from '../discover/file-tree.js';
import { type DiscoveredFile, discoverFiles, toPosix } from '../discover/find-files.js';
import { globToRegExp } from '../discover/glob.js';
import {
  type Claim,
  type ClaimedFile,
  type Contribution,
  type Declarations,
  type Format,
  type FormatModule,
  isNotRead,
} from '../formats/format.js';
import { holdsAny } from '../formats/byte-sniff.js';
import { FORMATS, TEMPLATE_SUFFIX } from '../formats/registry.js';
import { declaredNetwork } from '../interpreters/network/elements.js';
import { KEEPALIVE_TIME, linuxDefault } from '../interpreters/linux/keepalive.js';
import { buildDeclaredServer, defaultServer } from '../interpreters/mysql/server.js';
import { assembleModel } from '../model/assemble.js';
import type { ConnectionHolder, Host, Model, NetworkElement, OptionFileClient, Pool, ScannedFile, Server } from '../model/model.js';
import type { Problem } from '../model/problem.js';
import { scrubSecrets, secretValues } from '../model/secrets.js';
import { compareText } from '../model/sort-order.js';
import { lineSpan, type Span } from '../model/span.js';
import { createLintCache, type LintCache } from './cache.js';
import { commentSyntax } from './directives.js';
import type { Report, Rule } from './define-rule.js';
import { compareFindings, type Finding, type LintResult, type RuleMeta, type Severity } from './finding.js';
import { findRule, RULES } from './registry.js';
import { fixedMeta, ruleMeta } from './rule-docs.js';
import { applyDirectives, type CommentedFile, DIRECTIVE_WITHOUT_REASON, UNUSED_DIRECTIVE } from './suppress.js';

export const CONFIG_FILE_NAME = 'connlint.config.yaml';

export const TOOL_VERSION: string = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

export interface LintOptions {
  /** Directory relative paths are resolved against. */
  cwd: string;
  /** Files or directories; default the cwd. One directory makes it the scanned root. */
  paths: string[];
  /** --config FILE. */
  configPath?: string;
  /** Parse results kept between runs (an editor re-linting one changed file); a fresh one when absent. */
  cache?: LintCache;
  /** Test hook: reorders each directory's entries during the walk (the result must not change). */
  order?: (names: string[]) => string[];
  /**
   * Unsaved buffers by absolute path (`--stdin`, an editor's open documents): read instead of the file on disk,
   * and linted even when the disk has no such file yet. The config file may be one of them. Each must be inside the
   * scanned root.
   */
  overlays?: ReadonlyMap<string, string>;
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

/** connlint.config.yaml breaks its schema: each problem at its place (an editor shows them in the config file). */
export class InvalidConfigError extends UsageError {
  constructor(
    readonly path: string,
    readonly errors: Array<{ span: Span; message: string }>,
  ) {
    super(
      `invalid config ${path}`,
      errors.map((e) => `${e.span.path}:${e.span.line}:${e.span.column}: ${e.message}`),
    );
  }
}

export interface LintRun {
  result: LintResult;
  model: Model;
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

const UNUSED_DIRECTIVE_META = fixedMeta(
  UNUSED_DIRECTIVE,
  'A connlint-disable comment suppressed nothing or names an id that is not a rule',
  'warning',
  'A `connlint-disable-next-line`, `connlint-disable-line` or `connlint-disable-file` comment covers no finding of an id it names (the problem was fixed, or the comment is on the wrong line), names an id that is no rule, or is not a directive connlint knows. A stale suppression would silently hide the problem when it comes back. Delete the comment or fix its ids (docs/suppression.md).',
);
const DIRECTIVE_WITHOUT_REASON_META = fixedMeta(
  DIRECTIVE_WITHOUT_REASON,
  'A connlint-disable comment gives no reason',
  'warning',
  'Write why the finding does not apply after ` -- ` (`# connlint-disable-next-line pool-missing-validation -- validated by the proxy`): the reason is kept in the JSON and SARIF reports, where reviewers see it (docs/suppression.md).',
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

/** The ids connlint reports itself (not rules), with their docs: in every report's rule list, and `connlint explain`. */
export const FIXED_METAS: readonly RuleMeta[] = [
  PARSE_ERROR_META,
  INTERNAL_ERROR_META,
  UNUSED_DIRECTIVE_META,
  DIRECTIVE_WITHOUT_REASON_META,
];

/** The rule ids a config may name: every rule, plus the fixed ids users may turn off or re-level. */
function configurableRules(): Array<{ id: string; options: Rule['options'] }> {
  return [
    ...RULES.map((r) => ({ id: r.id, options: r.options })),
    { id: 'parse-error', options: {} },
    { id: UNUSED_DIRECTIVE, options: {} },
    { id: DIRECTIVE_WITHOUT_REASON, options: {} },
  ];
}

/** Overlays keyed by path relative to the root (POSIX); one outside the root is a usage error. */
function relativeOverlays(root: string, overlays: ReadonlyMap<string, string> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [abs, text] of overlays ?? []) {
    const rel = relative(root, abs);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new UsageError(`${abs} is not inside the scanned folder ${root}`);
    out.set(toPosix(rel), text);
  }
  return out;
}

/** Reads connlint.config.yaml (or --config). The YAML and schema libraries load only when a config exists. */
async function readConfig(root: string, options: LintOptions, cache: LintCache): Promise<{ config: Config; text?: string }> {
  const explicit = options.configPath ? resolve(options.cwd, options.configPath) : undefined;
  const file = explicit ?? resolve(root, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = options.overlays?.get(file) ?? readFileSync(file, 'utf8');
  } catch {
    if (explicit) throw new UsageError(`cannot read config file ${options.configPath}`);
    return { config: emptyConfig() };
  }
  const rel = relative(root, file);
  // A config outside the scanned folder is named by its absolute path: a path relative to the working directory
  // would mean nothing to a report read from the repository root (issue 19).
  const name = rel.startsWith('..') || isAbsolute(rel) ? toPosix(file) : toPosix(rel);
  const { loadConfig } = await import('../config/load-config.js');
  // The same text gives the same Config object (a language server's runs compare it by identity).
  const held = cache.remember('config', () => new Map<string, { text: string; config: Config; errors: ConfigError[] }>());
  let loaded = held.get(name);
  if (loaded?.text !== text) {
    const read = loadConfig(name, text, configurableRules());
    loaded = { text, config: { ...read.config, path: name }, errors: read.errors };
    held.set(name, loaded);
  }
  const { config, errors } = loaded;
  if (errors.length > 0) throw new InvalidConfigError(name, errors);
  return { config, text };
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
  const metas: RuleMeta[] = [...FIXED_METAS];
  for (const rule of rules) {
    // Off under `rules:` and not turned on by an override; a preview rule runs only when the config names it.
    if (!ruleRuns(config, rule)) continue;
    metas.push(ruleMeta(rule));
    const opts: Record<string, number | boolean | string> = {};
    for (const [name, o] of Object.entries(rule.options)) opts[name] = config.ruleOptions[rule.id]?.[name] ?? o.default;
    try {
      rule.check({
        model,
        options: opts,
        report: (r: Report<typeof rule.messages>) => {
          const setting = severityFor(config, rule.id, r.at.path);
          if (setting === 'off') return;
          const message = (rule.messages[r.messageId] as (d: unknown) => string)(r.data);
          const severity: Severity = setting ?? r.severity ?? rule.severity;
          findings.push({
            ruleId: rule.id,
            severity,
            message,
            messageId: r.messageId,
            data: r.data as Record<string, unknown>,
            location: r.at,
            related: r.related ?? [],
            fingerprint: `${rule.id}|${r.at.path}|${r.key}`,
            ...(r.fix ? { fix: r.fix } : {}),
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

function isDirectory(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/** What the walk should do with a path: read it when a format knows its name; list a template of one. */
function wanted(path: string): 'read' | 'list' | undefined {
  for (const f of FORMATS) if (f.matchesName(path)) return 'read';
  if (TEMPLATE_SUFFIX.test(path)) {
    const plain = path.replace(TEMPLATE_SUFFIX, '');
    for (const f of FORMATS) if (f.matchesName(plain)) return 'list';
  }
  return undefined;
}

interface Gathered {
  files: Map<string, ScannedFile>;
  servers: Server[];
  pools: Pool[];
  clients: OptionFileClient[];
  holders: ConnectionHolder[];
  hosts: Host[];
  network: NetworkElement[];
  problems: Problem[];
  crashes: Finding[];
}

/** Which format claimed one file's bytes (if any), and what went wrong on the way. */
interface ClaimOutcome {
  bytes: Buffer;
  claimed?: { format: Format; text: string; claim: Claim };
  notRead?: string;
  crashes: readonly Finding[];
  /** The file's listing as claimed, made once: a next run over the same bytes lists it with the same object. */
  scanned?: ScannedFile;
}

/** Shared by the outcomes of every file that claimed without a crash (most): one array, not one per file. */
const NO_CRASHES: readonly Finding[] = Object.freeze([]);

function claimOne(path: string, bytes: Buffer): ClaimOutcome {
  const out: ClaimOutcome = { bytes, crashes: NO_CRASHES };
  for (const format of FORMATS) {
    if (!format.matchesName(path)) continue;
    const quick = format.quickNotRead?.(path, bytes);
    if (quick) {
      out.notRead ??= quick.notRead;
      continue;
    }
    const text = bytes.toString(format.encoding);
    let claim: ReturnType<Format['claim']>;
    try {
      claim = format.claim(path, text);
    } catch (error) {
      out.crashes = [...out.crashes, internalError(lineSpan(path, 1, 1, 0), `${format.id} claim of ${path}`, error)];
      continue;
    }
    if (isNotRead(claim)) {
      out.notRead ??= claim.notRead;
      continue;
    }
    out.claimed = { format, text, claim };
    break;
  }
  return out;
}

/**
 * Why no format will read a file, from a quick look at its bytes (`Format.quickNotRead`): every format that knows its
 * name turns it away. Undefined when one may read it; the reason is the one `claimOne` would give.
 */
function quickTurnAway(path: string, bytes: Buffer): string | undefined {
  let reason: string | undefined;
  for (const format of FORMATS) {
    if (!format.matchesName(path)) continue;
    const quick = format.quickNotRead?.(path, bytes);
    if (!quick) return undefined;
    reason ??= quick.notRead;
  }
  // A format may still read it without claiming it (Prisma's driver adapter in the project's sources).
  if (reason !== undefined && REACH_WORDS.length > 0 && holdsAny(bytes, REACH_WORDS)) return undefined;
  return reason;
}

/** Every format's `reachWords`. */
const REACH_WORDS: readonly Buffer[] = FORMATS.flatMap((f) => f.reachWords ?? []);

/**
 * Offers each discovered file to the formats; the first that claims it reads it. `held` has the outcomes of the last
 * run by path: a file with the very same bytes (the language server's disk snapshot) is not decoded or sniffed again.
 */
function claimFiles(discovered: DiscoveredFile[], g: Gathered, held: Map<string, ClaimOutcome> | undefined): Map<Format, ClaimedFile[]> {
  const byFormat = new Map<Format, ClaimedFile[]>();
  // Outcomes of the last run not met again in this one (a file deleted or no longer read): dropped at the end.
  let unmet = held?.size ?? 0;
  for (const d of discovered) {
    if (d.listedOnly) {
      g.files.set(d.path, { path: d.path, kind: null, owner: 'certain', reason: 'a template: its text is not what the program reads' });
      continue;
    }
    if (d.notRead !== undefined) {
      g.files.set(d.path, { path: d.path, kind: null, owner: 'certain', reason: d.notRead });
      continue;
    }
    if (!d.bytes) continue;
    const last = held?.get(d.path);
    if (last) unmet--;
    const outcome = last?.bytes === d.bytes ? last : claimOne(d.path, d.bytes);
    if (held && outcome !== last) held.set(d.path, outcome);
    // Copies: a run changes its findings in place (secrets masked), and the outcome may serve the next run.
    for (const c of outcome.crashes) g.crashes.push({ ...c, related: [...c.related] });
    const c = outcome.claimed;
    if (c) {
      const list = byFormat.get(c.format);
      if (list) list.push({ path: d.path, text: c.text, claim: c.claim });
      else byFormat.set(c.format, [{ path: d.path, text: c.text, claim: c.claim }]);
    }
    outcome.scanned ??= c
      ? { path: d.path, kind: c.format.id, owner: c.claim.owner, reason: c.claim.reason }
      : { path: d.path, kind: null, owner: 'certain', reason: outcome.notRead ?? 'no format reads it' };
    g.files.set(d.path, outcome.scanned);
  }
  if (held && unmet > 0) {
    const paths = new Set(discovered.map((d) => d.path));
    for (const path of held.keys()) if (!paths.has(path)) held.delete(path);
  }
  return byFormat;
}

function addContribution(format: Format, c: Contribution, g: Gathered): void {
  g.servers.push(...(c.servers ?? []));
  g.pools.push(...(c.pools ?? []));
  g.clients.push(...(c.clients ?? []));
  g.holders.push(...(c.holders ?? []));
  g.hosts.push(...(c.hosts ?? []));
  g.network.push(...(c.network ?? []));
  g.problems.push(...(c.problems ?? []));
  for (const f of c.files ?? []) {
    const held = g.files.get(f.path);
    g.files.set(f.path, {
      path: f.path,
      kind: f.read ? format.id : null,
      owner: f.owner ?? held?.owner ?? 'certain',
      reason: f.reason,
    });
  }
}

function problemKey(p: Problem): string {
  return `${p.ruleId ?? 'parse-error'}\0${p.span.path}\0${p.span.line}\0${p.span.column}\0${p.message}`;
}

/** One look a format took at the tree through its view, and what it saw. */
interface Access {
  op: 'bytes' | 'list' | 'dir' | 'file' | 'turned';
  path: string;
  result: Buffer | string[] | boolean | undefined;
}

/** What a format gave for these claimed files and inputs, and every look at the tree it took to give it. */
interface HeldResult {
  claimed: readonly ClaimedFile[];
  inputs: readonly unknown[];
  accesses: Access[];
  value: unknown;
}

/** A view that writes down what it was asked and what it answered. */
function recordingView(view: TreeView, accesses: Access[]): FileTreeView {
  return {
    readText(path) {
      const bytes = view.readBytes(path);
      accesses.push({ op: 'bytes', path, result: bytes });
      return bytes?.toString('utf8');
    },
    listDir(path) {
      const names = view.listDir(path);
      accesses.push({ op: 'list', path, result: names });
      return names;
    },
    isDirectory(path) {
      const is = view.isDirectory(path);
      accesses.push({ op: 'dir', path, result: is });
      return is;
    },
    isFile(path) {
      const is = view.isFile(path);
      accesses.push({ op: 'file', path, result: is });
      return is;
    },
    turnedAway(path) {
      const is = view.turnedAway?.(path) ?? false;
      accesses.push({ op: 'turned', path, result: is });
      return is;
    },
  };
}

/** One look at the tree asked again. */
function askAgain(view: TreeView, a: Access): boolean {
  if (a.op === 'dir') return view.isDirectory(a.path);
  if (a.op === 'file') return view.isFile(a.path);
  return view.turnedAway?.(a.path) ?? false;
}

/** Asks the view again (so it meets the same unreadable files) and tells whether every answer is the same. */
function sameAnswers(view: TreeView, accesses: readonly Access[]): boolean {
  for (const a of accesses) {
    if (a.op === 'bytes') {
      if (view.readBytes(a.path) !== a.result) return false;
    } else if (a.op === 'list') {
      const names = view.listDir(a.path);
      const held = a.result as string[] | undefined;
      if (names === undefined || held === undefined) {
        if (names !== held) return false;
      } else if (names.length !== held.length || names.some((n, i) => n !== held[i])) return false;
    } else if (askAgain(view, a) !== a.result) return false;
  }
  return true;
}

function sameClaims(a: readonly ClaimedFile[], b: readonly ClaimedFile[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i] as ClaimedFile;
      return x.path === y.path && x.text === y.text && x.claim.owner === y.claim.owner && x.claim.reason === y.claim.reason;
    })
  );
}

/** `compute`'s result, or the one held under `key` when its files, inputs and looks at the tree are all the same. */
async function remembered<T>(
  memo: Map<string, HeldResult> | undefined,
  key: string,
  claimed: readonly ClaimedFile[],
  inputs: readonly unknown[],
  view: TreeView,
  compute: (view: FileTreeView) => T | Promise<T>,
): Promise<T> {
  if (!memo) return compute(view);
  const held = memo.get(key);
  if (
    held &&
    sameClaims(held.claimed, claimed) &&
    held.inputs.length === inputs.length &&
    held.inputs.every((x, i) => x === inputs[i]) &&
    sameAnswers(view, held.accesses)
  ) {
    return held.value as T;
  }
  memo.delete(key);
  const accesses: Access[] = [];
  const value = await compute(recordingView(view, accesses));
  memo.set(key, { claimed, inputs, accesses, value });
  return value;
}

/**
 * One finding where a rule said the very same thing twice (rule, severity, place, message and related places): two
 * pools built by one call for two NODE_ENV branches that both miss validation read as one problem at that call.
 */
function withoutRepeats(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    const l = f.location;
    const key = JSON.stringify([
      f.ruleId,
      f.severity,
      l.path,
      l.line,
      l.column,
      l.endLine,
      l.endColumn,
      f.message,
      f.related.map((r) => [r.span.path, r.span.line, r.span.column, r.message]),
    ]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}

/** A finding in a file whose owner is uncertain is at most a note, and says why. */
function lowered(f: Finding, files: Map<string, ScannedFile>): Finding {
  const file = files.get(f.location.path);
  if (file?.owner !== 'uncertain' || f.severity === 'note') return f;
  return { ...f, severity: 'note', message: `${f.message} (a note only: ${file.reason})` };
}

/**
 * Every read file whose syntax has comments, with its text as already read: as its format decoded it when
 * discovery read it, else from the tree's cache (a file a parser reached, an `.env`), and the config file's text.
 */
function commentedFiles(
  model: Model,
  byFormat: Map<Format, ClaimedFile[]>,
  view: TreeView,
  configText: string | undefined,
): CommentedFile[] {
  const texts = new Map<string, string>();
  for (const claimed of byFormat.values()) for (const c of claimed) texts.set(c.path, c.text);
  const out: CommentedFile[] = [];
  for (const f of model.files) {
    const syntax = f.kind === null ? undefined : commentSyntax(f.path, f.kind);
    if (!syntax) continue;
    const text = f.kind === 'connlint-config' ? configText : (texts.get(f.path) ?? view.readBytes(f.path)?.toString('utf8'));
    if (text !== undefined) out.push({ path: f.path, text, syntax });
  }
  return out;
}

/** The one API for the CLI, the Action and editors: files in, findings out. Prints nothing. */
export async function lint(options: LintOptions): Promise<LintRun> {
  const { root, targets } = scannedRoot(options);
  const cache = options.cache ?? createLintCache();
  const { config, text: configText } = await readConfig(root, options, cache);
  const mounts = Object.fromEntries(Object.entries(config.mounts).map(([k, v]) => [k, v.value]));
  const overlays = relativeOverlays(root, options.overlays);
  const disk = cache.disk(root);
  const discovery = discoverFiles({
    ...(overlays.size > 0 ? { overlays } : {}),
    root,
    targets,
    include: config.include,
    exclude: config.exclude,
    mounts,
    wanted,
    ...(options.order ? { order: options.order } : {}),
    ...(disk ? { disk } : {}),
    // Not asked with a disk snapshot (the language server's): it keeps every read, and its last claims are reused.
    turnAway: quickTurnAway,
  });
  const g: Gathered = {
    files: new Map(),
    servers: [],
    pools: [],
    clients: [],
    holders: [],
    hosts: [],
    network: [],
    problems: [],
    crashes: [],
  };
  for (const s of discovery.skipped) {
    g.files.set(s.path, {
      path: s.path,
      kind: null,
      owner: 'certain',
      reason: s.message,
      skipped: { ruleId: s.ruleId, message: s.message },
    });
  }
  for (const t of targets) {
    const path = toPosix(relative(root, t));
    if (path !== '' && wanted(path) === undefined && !g.files.has(path) && !isDirectory(t)) {
      g.files.set(path, { path, kind: null, owner: 'certain', reason: 'no format connlint knows reads a file named like this' });
    }
  }
  // Outcomes are worth keeping only for a next run over the same disk snapshot (the language server's).
  const byFormat = claimFiles(discovery.files, g, disk ? cache.remember('claims', () => new Map<string, ClaimOutcome>()) : undefined);
  const base = { config, view: discovery.view, cache };
  // Load every format that has files, then let each declare what others need (Compose environments),
  // then contribute: a format never depends on the order of the registry.
  const loaded: Array<{ format: Format; module: FormatModule; claimed: ClaimedFile[] }> = [];
  for (const format of FORMATS) {
    const claimed = byFormat.get(format);
    if (!claimed || claimed.length === 0) continue;
    try {
      loaded.push({ format, module: await format.load(), claimed });
    } catch (error) {
      g.crashes.push(internalError(lineSpan(claimed[0]?.path ?? '.', 1, 1, 0), `loading ${format.name} support`, error));
    }
  }
  // With a disk snapshot (the language server), a format whose files, config, declarations and every file it looked
  // at are the very same as in the last run gives what it gave then, without reading them again.
  const memo = disk ? cache.remember('formats', () => new Map<string, HeldResult>()) : undefined;
  const declarations: Declarations = { environments: [] };
  for (const { format, module, claimed } of loaded) {
    const declare = module.declare;
    if (!declare) continue;
    try {
      const declared = await remembered(memo, `${format.id}\0declare`, claimed, [config], discovery.view, (view) =>
        declare.call(module, claimed, { ...base, view }),
      );
      declarations.environments.push(...(declared.environments ?? []));
    } catch (error) {
      g.crashes.push(internalError(lineSpan(claimed[0]?.path ?? '.', 1, 1, 0), `reading ${format.name} files`, error));
    }
  }
  const context = { ...base, declarations };
  const replaced = new Set<string>();
  // Problems of contributions whose servers stand for others (a Compose service's server reads the option files it mounts).
  const fromReplacing = new Set<Problem>();
  for (const { format, module, claimed } of loaded) {
    try {
      const c = await remembered(
        memo,
        `${format.id}\0contribute`,
        claimed,
        [config, ...declarations.environments],
        discovery.view,
        (view) => module.contribute(claimed, { ...context, view }),
      );
      for (const root of c.replacesServers ?? []) replaced.add(root);
      if (c.replacesServers?.length) for (const p of c.problems ?? []) fromReplacing.add(p);
      addContribution(format, c, g);
    } catch (error) {
      g.crashes.push(internalError(lineSpan(claimed[0]?.path ?? '.', 1, 1, 0), `reading ${format.name} files`, error));
    }
  }
  // Option files a Compose service mounts are that service's server, not a server of their own.
  if (replaced.size > 0) {
    const dropped = g.servers.filter((s) => s.hostnames === undefined && s.root !== null && replaced.has(s.root));
    g.servers = g.servers.filter((s) => !dropped.includes(s));
    // A client of a dropped tree talks to the server that now reads its files (the service's), if one does.
    const gone = new Set(dropped.map((s) => s.id));
    g.clients = g.clients.map((c) => {
      if (c.serverId === undefined || !gone.has(c.serverId)) return c;
      const reader = g.servers.find((s) => s.files.includes(c.root));
      const { serverId: _dropped, ...rest } = c;
      return reader ? { ...rest, serverId: reader.id } : rest;
    });
    // What the dropped server's reading found in those files, the service's server found again, as the flavour and
    // version of its image read them (a MariaDB image does not refuse a MySQL 8.4 removal): only the latter stays.
    const reread = new Set(g.servers.filter((s) => s.hostnames !== undefined).flatMap((s) => s.files));
    const stale = new Set(dropped.flatMap((s) => s.files).filter((f) => reread.has(f)));
    if (stale.size > 0) g.problems = g.problems.filter((p) => fromReplacing.has(p) || !stale.has(p.span.path));
  }
  // Files a parser reached through the tree (an `!include`) that could not be read are reported too.
  for (const s of discovery.view.skipped()) {
    const held = g.files.get(s.path);
    if (held?.skipped) continue;
    g.files.set(s.path, {
      path: s.path,
      kind: null,
      owner: 'certain',
      reason: s.message,
      skipped: { ruleId: s.ruleId, message: s.message },
    });
  }
  const declared = buildDeclaredServer(config);
  if (declared.server) g.servers.push(declared.server);
  g.problems.push(...declared.problems);
  g.network.push(...declaredNetwork(config));
  if (config.path && !config.path.startsWith('..') && !isAbsolute(config.path)) {
    g.files.set(config.path, { path: config.path, kind: 'connlint-config', owner: 'certain', reason: "connlint's own configuration" });
  }

  const mappings = config.links.map((l) => {
    const re = globToRegExp(l.pool);
    return { pattern: l.pool, server: l.server, matches: (p: string) => re.test(p) };
  });
  const unique = new Map<string, Problem>();
  for (const p of g.problems) unique.set(problemKey(p), p);
  const model = assembleModel({
    files: [...g.files.values()],
    servers: g.servers,
    pools: withInstances(g.pools, config.instances),
    clients: g.clients,
    holders: g.holders,
    hosts: g.hosts,
    network: g.network,
    links: { mappings, ...(config.path ? { configPath: config.path } : {}), defaultServer },
    linuxKeepalive: linuxDefault(KEEPALIVE_TIME),
    problems: [...unique.values()].filter((p) => p.ruleId !== undefined && findRule(p.ruleId) !== undefined),
  });

  const findings: Finding[] = [...g.crashes];
  const parseSetting = config.rules['parse-error']?.value;
  for (const p of unique.values()) {
    const ruleId = p.ruleId ?? 'parse-error';
    // A problem under a rule's id is that rule's to report (model.problems), with the rule's severity and switch.
    if (findRule(ruleId)) continue;
    if (ruleId === 'parse-error' && parseSetting === 'off') continue;
    findings.push({
      ruleId,
      severity: ruleId === 'parse-error' && parseSetting && parseSetting !== 'off' ? parseSetting : p.severity,
      message: p.message,
      location: p.span,
      related: [],
      fingerprint: `${ruleId}|${p.span.path}|${p.message}`,
    });
  }

  const ran = runRules(model, RULES, config);
  findings.push(...withoutRepeats(ran.findings));
  // g.files holds the model's files by path (assembleModel only sorts them).
  for (let i = 0; i < findings.length; i++) findings[i] = lowered(findings[i] as Finding, g.files);
  const directed = applyDirectives(findings, commentedFiles(model, byFormat, discovery.view, configText), {
    known: new Set(
      configurableRules()
        .map((r) => r.id)
        .concat('internal-error'),
    ),
    unused: config.rules[UNUSED_DIRECTIVE]?.value,
    withoutReason: config.rules[DIRECTIVE_WITHOUT_REASON]?.value,
  });
  // Overrides reach the ids the engine reports itself as well (a parse error in legacy/**, its directive findings).
  findings.splice(0, findings.length, ...withEngineOverrides(directed.findings, config));
  const suppressed = directed.suppressed;
  // Whatever a parser or rule quoted, a secret written in a scanned file never reaches the output.
  const secrets = secretValues([
    ...[...model.pools, ...model.servers, ...model.clients].flatMap((x) => [...x.settings.values()]),
    ...declarations.environments.flatMap((e) => e.variables),
  ]);
  if (secrets.length > 0) {
    for (const f of [...findings, ...suppressed]) {
      f.message = scrubSecrets(f.message, secrets);
      if (f.data) f.data = scrubData(f.data, secrets);
      f.fingerprint = scrubSecrets(f.fingerprint, secrets);
      for (const r of f.related) r.message = scrubSecrets(r.message, secrets);
      if (f.fix) f.fix = { ...f.fix, description: scrubSecrets(f.fix.description, secrets), text: scrubSecrets(f.fix.text, secrets) };
    }
    for (const f of suppressed) {
      const reason = f.suppression.justification;
      if (reason !== undefined) f.suppression = { ...f.suppression, justification: scrubSecrets(reason, secrets) };
    }
  }
  findings.sort(compareFindings);
  suppressed.sort(compareFindings);
  const read = model.files.filter((f) => f.kind !== null).map((f) => ({ path: f.path, kind: f.kind as string }));
  const notRead = model.files.filter((f) => f.kind === null).map((f) => ({ path: f.path, reason: f.reason }));
  return {
    result: {
      findings,
      files: read,
      notRead,
      rules: ran.metas,
      toolVersion: TOOL_VERSION,
      ...(suppressed.length > 0 ? { suppressed } : {}),
    },
    model,
    config,
    root,
  };
}

/** A finding's message data with every secret masked in its strings, as in its message. */
function scrubData(data: Record<string, unknown>, secrets: ReturnType<typeof secretValues>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === 'string' ? scrubSecrets(v, secrets) : v]));
}

/** The engine's own findings (parse-error, directive findings) under `overrides:`: dropped where one turns them off, else its severity. */
function withEngineOverrides(findings: Finding[], config: Config): Finding[] {
  if (!config.overrides?.length) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const set = findRule(f.ruleId) ? undefined : overrideFor(config, f.ruleId, f.location.path);
    if (set === 'off') continue;
    out.push(set ? { ...f, severity: set } : f);
  }
  return out;
}
