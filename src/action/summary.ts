import type { Finding, LintResult, Severity } from '../engine/finding.js';
import { compareFindings } from '../engine/finding.js';
import { annotationMessage } from '../report/github.js';

/*
 * The job summary ($GITHUB_STEP_SUMMARY, Markdown): every finding, since annotations stop at 10 per level
 * per step (integrations.md, "GitHub Actions annotations"). Pure: the caller appends it to the file.
 */

/** GitHub refuses a step summary over 1 MiB; the findings table stops well before that. */
export const SUMMARY_BUDGET = 900 * 1024;

export interface Counts {
  errors: number;
  warnings: number;
  notes: number;
  findings: number;
}

export function countFindings(result: LintResult): Counts {
  const of = (s: Severity) => result.findings.filter((f) => f.severity === s).length;
  return { errors: of('error'), warnings: of('warning'), notes: of('note'), findings: result.findings.length };
}

/** Text in a Markdown table cell: `|` would end the cell, a newline the row, and `<`/`&` start HTML. */
export function escapeTableCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** Where a finding's file can be browsed: the commit the workflow runs on, when the environment names it. */
export interface SourceLink {
  serverUrl: string;
  repository: string;
  sha: string;
}

function location(f: Finding, link: SourceLink | undefined): string {
  const at = `${f.location.path}:${f.location.line}`;
  // Absolute paths are files outside the repository (a -c config elsewhere): nothing to link to.
  if (!link || f.location.path.startsWith('/') || /^[A-Za-z]:/.test(f.location.path)) return escapeTableCell(at);
  const path = f.location.path.split('/').map(encodeURIComponent).join('/');
  const url = `${link.serverUrl}/${link.repository}/blob/${link.sha}/${path}#L${f.location.line}`;
  return `[${escapeTableCell(at).replace(/[[\]]/g, '\\$&')}](${url})`;
}

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'note'];
const SEVERITY_LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', note: 'note' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface SummaryOptions {
  link?: SourceLink;
  /** Where the SARIF report was written, to say where the full list is when the table is cut. */
  sarifFile?: string;
  budget?: number;
}

export function renderSummary(result: LintResult, options: SummaryOptions = {}): string {
  const counts = countFindings(result);
  const lines: string[] = ['## connlint', ''];
  lines.push(
    `${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${plural(counts.notes, 'note')} ` +
      `in ${plural(result.files.length, 'file')} read.`,
    '',
  );
  if (counts.findings === 0) return `${lines.join('\n')}\n`;

  // Errors first, as the annotations are ordered, then by file and line.
  const ordered = [...result.findings].sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || compareFindings(a, b),
  );
  const budget = options.budget ?? SUMMARY_BUDGET;
  const rows: string[] = ['| Severity | Rule | Location | Message |', '| --- | --- | --- | --- |'];
  let size = lines.join('\n').length + rows.join('\n').length;
  let shown = 0;
  for (const f of ordered) {
    const row = `| ${SEVERITY_LABEL[f.severity]} | \`${f.ruleId}\` | ${location(f, options.link)} | ${escapeTableCell(annotationMessage(f))} |`;
    size += Buffer.byteLength(row) + 1;
    if (size > budget) break;
    rows.push(row);
    shown++;
  }
  lines.push(...rows, '');
  if (shown < ordered.length) {
    const where = options.sarifFile ? `the SARIF report (${escapeTableCell(options.sarifFile)})` : 'the SARIF report';
    lines.push(
      `${plural(ordered.length - shown, 'more finding')} not listed here (GitHub limits a step summary to 1 MiB); ${where} has all of them.`,
      '',
    );
  }

  const byRule = new Map<string, Counts>();
  for (const f of result.findings) {
    const c = byRule.get(f.ruleId) ?? { errors: 0, warnings: 0, notes: 0, findings: 0 };
    if (f.severity === 'error') c.errors++;
    else if (f.severity === 'warning') c.warnings++;
    else c.notes++;
    c.findings++;
    byRule.set(f.ruleId, c);
  }
  lines.push('### By rule', '', '| Rule | Errors | Warnings | Notes | Total |', '| --- | ---: | ---: | ---: | ---: |');
  const rules = [...byRule.entries()].sort(([a, x], [b, y]) => y.findings - x.findings || (a < b ? -1 : a > b ? 1 : 0));
  for (const [rule, c] of rules) lines.push(`| \`${rule}\` | ${c.errors} | ${c.warnings} | ${c.notes} | ${c.findings} |`);
  return `${lines.join('\n')}\n`;
}
