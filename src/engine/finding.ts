import type { Span } from '../model/span.js';

export type Severity = 'error' | 'warning' | 'note';

export interface RelatedLocation {
  span: Span;
  message: string;
}

/**
 * The one edit that fixes a finding: replace the text of `span` (one written value) with `text`. connlint never
 * applies it; reporters offer it (JSON `suggestion`, SARIF `fixes`, an editor's quick fix).
 */
export interface Fix {
  /** What the edit does, for a person: `Set maxLifetime to 595000`. */
  description: string;
  /** Exactly the value as written (not its key, not its line). */
  span: Span;
  /** The replacement, in the file's own syntax and unit. */
  text: string;
}

export interface Finding {
  /** A rule id, or one of the fixed ids `parse-error`, `internal-error`. */
  ruleId: string;
  severity: Severity;
  message: string;
  /**
   * The rule's message id and the data its message function rendered `message` from (ESLint's messageId and data),
   * so tests assert what a rule reported, not its wording. Absent for the engine's own findings (parse-error ...).
   * Data is never printed: only `message`, with secrets masked, reaches a report (JSON shows `messageId`).
   */
  messageId?: string;
  data?: Record<string, unknown>;
  location: Span;
  related: RelatedLocation[];
  /**
   * Stable across line moves: rule id + file + the key path the finding is about (not the line).
   * Used for SARIF partialFingerprints and baselines.
   */
  fingerprint: string;
  /** Present when one edit of one written value is the fix. */
  fix?: Fix;
}

/** Rule metadata reporters need (SARIF rules, help text); reporters never import rules. */
export interface RuleMeta {
  id: string;
  summary: string;
  severity: Severity;
  tags: string[];
  /** Markdown help rendered from the rule's docs. */
  helpMarkdown: string;
  helpText: string;
  helpUri: string;
}

export interface LintResult {
  /** Findings sorted by path, line, column, rule id. */
  findings: Finding[];
  /** Every file connlint read, with the format that read it, sorted by path. */
  files: Array<{ path: string; kind: string }>;
  /** Files whose name a format knows but that were not read (their program does not read them, a template, unreadable), with why. */
  notRead: Array<{ path: string; reason: string }>;
  /** Metadata of every rule that can appear in `findings`, and of the fixed ids. */
  rules: RuleMeta[];
  toolVersion: string;
  /**
   * Findings kept out of `findings` (so out of counts and exit codes) by a `connlint-disable-*` comment in their file
   * (`inSource`) or a `--baseline` entry (`baseline`); sorted like `findings`. Absent when nothing was suppressed.
   * docs/suppression.md.
   */
  suppressed?: Array<Finding & { suppression: { kind: 'inSource' | 'baseline'; justification?: string; location?: Span } }>;
}

/** Sort order of findings: by file, line, column, rule id, then message (deterministic output). */
export function compareFindings(a: Finding, b: Finding): number {
  const pa = a.location.path;
  const pb = b.location.path;
  if (pa !== pb) return pa < pb ? -1 : 1;
  return (
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
