import type { Finding, RelatedLocation, Severity } from '../engine/finding.js';
import type { Span } from '../model/span.js';
import type { Renderer } from './index.js';
import { messageParts } from './message-parts.js';
import { type SnippetLine, snippetLine } from './source-snippet.js';
import { hanging, plural, printable, width, wrap } from './terminal-text.js';

/*
 * The terminal format, laid out like Ruff's and rustc's diagnostics (issue 20): per finding a short
 * headline, the location, the marked line of the file and of each related place, the consequence as
 * `= note:` lines and the fix as `help:`, wrapped to the terminal width; then the pluralised count.
 * JSON and SARIF keep the whole message.
 */

declare module './index.js' {
  interface RenderOptions {
    /**
     * The text of a reported file by its report path, for the marked source line (stylish only); without it,
     * or when it returns undefined, no source line is shown. The CLI passes report/read-source.ts's reader.
     */
    readSource?: (path: string) => string | undefined;
  }
}

// Raw SGR codes (no dependency), with the same open/close pairs chalk uses in ESLint's stylish.
const RED = ['\u001b[31m', '\u001b[39m'] as const;
const YELLOW = ['\u001b[33m', '\u001b[39m'] as const;
const BLUE = ['\u001b[34m', '\u001b[39m'] as const;
const BOLD = ['\u001b[1m', '\u001b[22m'] as const;

type Style = readonly [string, string];

const SEVERITY_COLOR: Record<Severity, Style> = { error: RED, warning: YELLOW, note: BLUE };

/** The width when none is given (output piped or written to a file). */
export const DEFAULT_WIDTH = 80;

interface Layout {
  color: boolean;
  width: number;
  readSource?: (path: string) => string | undefined;
}

function paint(layout: Layout, style: Style, text: string): string {
  return layout.color ? `${style[0]}${text}${style[1]}` : text;
}

function location(span: Span): string {
  return printable(`${span.path}:${span.line}:${span.column}`);
}

function snippetOf(layout: Layout, span: Span, room: number): SnippetLine | undefined {
  const source = layout.readSource?.(span.path);
  return source === undefined ? undefined : snippetLine(source, span, room);
}

/** `N | text` then `  | ^^^^ label`, the label wrapped under itself, or on its own lines when the mark leaves no room. */
function snippetLines(layout: Layout, gutter: number, line: SnippetLine, mark: string, style: Style, label: string): string[] {
  const bar = paint(layout, BLUE, `${' '.repeat(gutter)} |`);
  const number = paint(layout, BLUE, `${String(line.number).padStart(gutter)} |`);
  const markText = `${' '.repeat(line.markStart)}${mark.repeat(line.markWidth)}`;
  const out = [bar, line.text === '' ? number : `${number} ${line.text}`];
  const markLine = `${bar} ${paint(layout, style, markText)}`;
  const labelAt = gutter + 4 + width(markText);
  if (label === '') out.push(markLine);
  else if (layout.width - labelAt >= 20) {
    const lines = wrap(label, layout.width - labelAt);
    out.push(`${markLine} ${lines[0]}`, ...lines.slice(1).map((l) => `${bar}${' '.repeat(labelAt - gutter - 2)}${l}`));
  } else {
    out.push(markLine, ...wrap(label, Math.max(20, layout.width - gutter - 3)).map((l) => `${bar} ${l}`));
  }
  return out;
}

function renderFinding(f: Finding, layout: Layout): string[] {
  const parts = messageParts(f.message);
  const sevStyle = SEVERITY_COLOR[f.severity];
  const primary = snippetOf(layout, f.location, Number.POSITIVE_INFINITY);
  const related = f.related.map((r) => ({ r, line: snippetOf(layout, r.span, Number.POSITIVE_INFINITY) }));
  const numbers = [primary, ...related.map((x) => x.line)].flatMap((l) => (l ? [String(l.number).length] : []));
  const gutter = Math.max(1, ...numbers);
  // Recut the lines now that the gutter is known: the text after `N | ` gets the rest of the width.
  const room = Math.max(20, layout.width - gutter - 3);
  const cut = (span: Span, line: SnippetLine | undefined) => (line ? snippetOf(layout, span, room) : undefined);

  const label = `${f.severity}[${printable(f.ruleId)}]`;
  const out = hanging(`${paint(layout, sevStyle, paint(layout, BOLD, label))}: `, parts.headline, layout.width, 2, width(label) + 2);
  const pad = ' '.repeat(gutter);
  out.push(`${pad}${paint(layout, BLUE, '-->')} ${location(f.location)}`);
  const shownPrimary = cut(f.location, primary);
  let hasSnippet = false;
  if (shownPrimary) {
    out.push(...snippetLines(layout, gutter, shownPrimary, '^', sevStyle, ''));
    hasSnippet = true;
  }
  for (const { r, line } of related as Array<{ r: RelatedLocation; line: SnippetLine | undefined }>) {
    const shown = cut(r.span, line);
    if (shown) {
      out.push(`${pad}${paint(layout, BLUE, ':::')} ${location(r.span)}`);
      out.push(...snippetLines(layout, gutter, shown, '-', BLUE, r.message));
      hasSnippet = true;
    } else {
      const lead = `${pad}${paint(layout, BLUE, ':::')} ${location(r.span)}`;
      const leadWidth = gutter + 4 + width(location(r.span));
      out.push(...(r.message === '' ? [lead] : hanging(`${lead} `, r.message, layout.width, gutter + 5, leadWidth + 1)));
    }
  }
  if (hasSnippet && (parts.notes.length > 0 || parts.help !== undefined)) out.push(paint(layout, BLUE, `${pad} |`));
  const noteLead = `${pad} ${paint(layout, BLUE, '=')} ${paint(layout, BOLD, 'note')}: `;
  for (const note of parts.notes) out.push(...hanging(noteLead, note, layout.width, gutter + 9, gutter + 9));
  if (parts.help !== undefined) out.push(...hanging(`${paint(layout, BOLD, 'help')}: `, parts.help, layout.width, 6, 6));
  return out;
}

/** `; 3 suppressed (2 by comments, 1 by the baseline)`, or nothing when nothing was suppressed. */
function suppressedText(result: Parameters<Renderer>[0]): string {
  const all = result.suppressed ?? [];
  if (all.length === 0) return '';
  const baseline = all.filter((f) => f.suppression.kind === 'baseline').length;
  const inSource = all.length - baseline;
  const parts = [
    inSource > 0 ? `${inSource} by ${inSource === 1 ? 'a comment' : 'comments'}` : '',
    baseline > 0 ? `${baseline} by the baseline` : '',
  ];
  return `; ${all.length} suppressed (${parts.filter((p) => p !== '').join(', ')})`;
}

export const renderStylish: Renderer = (result, options) => {
  const suppressed = suppressedText(result);
  if (result.findings.length === 0) return suppressed === '' ? '' : `0 problems${suppressed}\n`;
  const layout: Layout = {
    color: options.color,
    width: options.width ?? DEFAULT_WIDTH,
    ...(options.readSource ? { readSource: options.readSource } : {}),
  };
  const blocks = result.findings.map((f) => renderFinding(f, layout).join('\n'));

  let errors = 0;
  let warnings = 0;
  let notes = 0;
  for (const f of result.findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else notes++;
  }
  const summaryText =
    `${options.color ? '✖' : 'x'} ${plural(result.findings.length, 'problem')} ` +
    `(${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(notes, 'note')})${suppressed}`;
  const summaryColor = errors > 0 ? RED : warnings > 0 ? YELLOW : BLUE;
  const summary = options.color ? `${summaryColor[0]}${BOLD[0]}${summaryText}${BOLD[1]}${summaryColor[1]}` : summaryText;
  return `${blocks.join('\n\n')}\n\n${summary}\n`;
};
