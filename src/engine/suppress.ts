import type { RuleSetting } from '../config/config.js';
import type { Span } from '../model/span.js';
import { type CommentSyntax, type Directive, parseDirectives } from './directives.js';
import type { Finding, LintResult } from './finding.js';

/** A finding kept out of `findings`, and why (LintResult.suppressed). */
export type SuppressedFinding = NonNullable<LintResult['suppressed']>[number];
export type Suppression = SuppressedFinding['suppression'];

/** The fixed ids directive problems are reported under (RULES.md sections, configurable in `rules:`). */
export const UNUSED_DIRECTIVE = 'unused-disable-directive';
export const DIRECTIVE_WITHOUT_REASON = 'disable-directive-without-reason';

/** A file whose comments may hold directives: its text as its format decoded it, and its comment syntax. */
export interface CommentedFile {
  path: string;
  text: string;
  syntax: CommentSyntax;
}

export interface DirectiveSettings {
  /** Ids a directive may name. */
  known: ReadonlySet<string>;
  unused?: RuleSetting;
  withoutReason?: RuleSetting;
}

function covers(d: Directive, f: Finding): boolean {
  if (d.malformed || !d.ids.includes(f.ruleId)) return false;
  return d.kind === 'file' || d.target === f.location.line;
}

function directiveFinding(ruleId: string, setting: RuleSetting | undefined, span: Span, message: string, key: string): Finding | undefined {
  if (setting === 'off') return undefined;
  return { ruleId, severity: setting ?? 'warning', message, location: span, related: [], fingerprint: `${ruleId}|${span.path}|${key}` };
}

const list = (ids: string[]) => ids.map((id) => `\`${id}\``).join(', ');

/** What is wrong with a directive apart from being unused: its problems, and the ids it may suppress. */
function check(d: Directive, known: ReadonlySet<string>): { problems: Array<[string, string]>; valid: string[] } {
  const word = `connlint-disable-${d.kind}`;
  if (d.malformed) {
    const message = `${d.malformed} is not a directive: write connlint-disable-next-line, connlint-disable-line or connlint-disable-file`;
    return { problems: [['malformed', message]], valid: [] };
  }
  if (d.ids.length === 0)
    return { problems: [['no-id', `${word} names no rule: list the ids it disables (there is no "disable all")`]], valid: [] };
  const problems: Array<[string, string]> = [];
  const ownIds = [UNUSED_DIRECTIVE, DIRECTIVE_WITHOUT_REASON];
  const own = d.ids.filter((id) => ownIds.includes(id));
  const unknown = d.ids.filter((id) => !known.has(id) && !ownIds.includes(id));
  if (unknown.length > 0)
    problems.push(['unknown', `${word} names ${list(unknown)}, which ${unknown.length === 1 ? 'is' : 'are'} not a connlint rule id`]);
  if (own.length > 0)
    problems.push([
      'own',
      `${word} cannot disable ${list(own)}: set ${own.length === 1 ? 'it' : 'them'} in the rules: of connlint.config.yaml`,
    ]);
  if (d.kind === 'line' && d.target === undefined) {
    problems.push([
      'not-trailing',
      'connlint-disable-line works only in a comment after a value on the same line: use connlint-disable-next-line above it',
    ]);
    return { problems, valid: [] };
  }
  return { problems, valid: d.ids.filter((id) => known.has(id) && !ownIds.includes(id)) };
}

function where(d: Directive): string {
  return d.kind === 'file' ? 'in this file' : `on line ${d.target}`;
}

/**
 * Moves the findings a directive in their own file covers to `suppressed` (with the reason and the directive's
 * place) and reports directives that suppressed nothing, name an unknown id or give no reason. Findings the
 * engine reports about directives are never suppressed by one.
 */
export function applyDirectives(
  findings: Finding[],
  files: readonly CommentedFile[],
  settings: DirectiveSettings,
): { findings: Finding[]; suppressed: SuppressedFinding[] } {
  const byPath = new Map<string, Directive[]>();
  for (const file of files) {
    if (!file.text.includes('connlint-disable')) continue;
    const directives = parseDirectives(file.path, file.text, file.syntax);
    if (directives.length > 0) byPath.set(file.path, directives);
  }
  if (byPath.size === 0) return { findings, suppressed: [] };
  const used = new Map<Directive, Set<string>>();
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of findings) {
    const matching = (byPath.get(f.location.path) ?? []).filter((d) => covers(d, f));
    const first = matching[0];
    if (!first) {
      kept.push(f);
      continue;
    }
    for (const d of matching) used.set(d, (used.get(d) ?? new Set()).add(f.ruleId));
    const suppression: Suppression = { kind: 'inSource', location: first.span, ...(first.reason ? { justification: first.reason } : {}) };
    suppressed.push({ ...f, suppression });
  }
  for (const directives of byPath.values()) {
    for (const d of directives) {
      const { problems, valid } = check(d, settings.known);
      const hit = used.get(d);
      const unused = valid.filter((id) => !hit?.has(id));
      if (unused.length > 0)
        problems.push(['unused', `connlint-disable-${d.kind} for ${list(unused)} suppressed nothing: no such finding ${where(d)}`]);
      const key = `${d.kind} ${d.ids.join(',')}`;
      for (const [tag, message] of problems) {
        const out = directiveFinding(UNUSED_DIRECTIVE, settings.unused, d.span, message, `${key}|${tag}`);
        if (out) kept.push(out);
      }
      if (!d.reason && !d.malformed && d.ids.length > 0) {
        const message = `connlint-disable-${d.kind} gives no reason: add \` -- \` and why the finding does not apply here`;
        const out = directiveFinding(DIRECTIVE_WITHOUT_REASON, settings.withoutReason, d.span, message, key);
        if (out) kept.push(out);
      }
    }
  }
  return { findings: kept, suppressed };
}
