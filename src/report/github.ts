import type { Finding, Severity } from '../engine/finding.js';
import { compareFindings } from '../engine/finding.js';
import type { Renderer } from './index.js';

/**
 * GitHub shows at most 10 annotations of each level per step and drops the rest silently
 * (integrations.md, "GitHub Actions annotations"), so the most important ones must come first.
 */
export const ANNOTATIONS_PER_LEVEL = 10;

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', note: 'notice' };
const LEVEL_ORDER: Severity[] = ['error', 'warning', 'note'];

/** Message data, escaped exactly as @actions/core's command.ts escapeData (integrations.md). */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values, escaped exactly as @actions/core's command.ts escapeProperty (integrations.md). */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The annotation text: annotations cannot carry related locations, so they are named in the text. */
export function annotationMessage(finding: Finding): string {
  let text = finding.message;
  for (const r of finding.related) {
    const where = `${r.span.path}:${r.span.line}`;
    text += r.message === '' ? ` (see ${where})` : ` (see ${where}: ${r.message})`;
  }
  return text;
}

function annotation(finding: Finding): string {
  const at = finding.location;
  const props: Array<[string, string]> = [
    ['file', at.path],
    ['line', String(at.line)],
    ['endLine', String(at.endLine)],
  ];
  // The runner drops col/endColumn when the lines differ or the columns run backwards
  // (actions/runner ActionCommandManager ValidateLinesAndColumns), so they are sent only when valid.
  if (at.line === at.endLine && at.column <= at.endColumn) {
    props.push(['col', String(at.column)], ['endColumn', String(at.endColumn)]);
  }
  // The title is the rule id (issue 19): the annotation names what to look up in RULES.md or suppress.
  props.push(['title', finding.ruleId]);
  const rendered = props.map(([key, value]) => `${key}=${escapeProperty(value)}`).join(',');
  return `::${COMMAND[finding.severity]} ${rendered}::${escapeData(annotationMessage(finding))}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const renderGithub: Renderer = (result) => {
  const byLevel = new Map<Severity, Finding[]>(LEVEL_ORDER.map((s) => [s, []]));
  for (const f of result.findings) byLevel.get(f.severity)?.push(f);

  const errors = byLevel.get('error') ?? [];
  const warnings = byLevel.get('warning') ?? [];
  const notes = byLevel.get('note') ?? [];
  const leftOutErrors = Math.max(0, errors.length - ANNOTATIONS_PER_LEVEL);
  const leftOutWarnings = Math.max(0, warnings.length - ANNOTATIONS_PER_LEVEL);
  // The closing ::notice:: is itself a notice annotation: when one is needed it takes the tenth
  // notice slot, or GitHub would drop the very line that says something was dropped.
  const needsSummary = leftOutErrors > 0 || leftOutWarnings > 0 || notes.length > ANNOTATIONS_PER_LEVEL;
  const noteLimit = needsSummary ? ANNOTATIONS_PER_LEVEL - 1 : ANNOTATIONS_PER_LEVEL;
  const leftOutNotes = Math.max(0, notes.length - noteLimit);

  const lines: string[] = [];
  for (const [list, limit] of [
    [errors, ANNOTATIONS_PER_LEVEL],
    [warnings, ANNOTATIONS_PER_LEVEL],
    [notes, noteLimit],
  ] as const) {
    const sorted = [...list].sort(compareFindings);
    for (const f of sorted.slice(0, limit)) lines.push(annotation(f));
  }

  if (needsSummary) {
    const leftOut = leftOutErrors + leftOutWarnings + leftOutNotes;
    const parts = [
      leftOutErrors > 0 ? plural(leftOutErrors, 'error') : '',
      leftOutWarnings > 0 ? plural(leftOutWarnings, 'warning') : '',
      leftOutNotes > 0 ? plural(leftOutNotes, 'note') : '',
    ].filter((p) => p !== '');
    const text =
      `connlint: ${plural(leftOut, 'more finding')} (${parts.join(', ')}) not annotated, because GitHub shows ` +
      `at most ${ANNOTATIONS_PER_LEVEL} annotations of each level per step. ` +
      'The SARIF report and `--format json` list all of them.';
    lines.push(`::notice::${escapeData(text)}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
};
