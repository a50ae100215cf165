import type { Finding, Severity } from '../engine/finding.js';
import type { Renderer } from './index.js';

// Raw SGR codes (no dependency), with the same open/close pairs chalk uses in ESLint's stylish.
const RED = ['\u001b[31m', '\u001b[39m'] as const;
const YELLOW = ['\u001b[33m', '\u001b[39m'] as const;
const BLUE = ['\u001b[34m', '\u001b[39m'] as const;
const DIM = ['\u001b[2m', '\u001b[22m'] as const;
const BOLD = ['\u001b[1m', '\u001b[22m'] as const;
const UNDERLINE = ['\u001b[4m', '\u001b[24m'] as const;

const SEVERITY_COLOR: Record<Severity, readonly [string, string]> = { error: RED, warning: YELLOW, note: BLUE };

/** A wrapped message column narrower than this is unreadable; past it, lines overflow instead. */
const MIN_MESSAGE_WIDTH = 20;

/**
 * Control characters, DEL, C1 controls and bidirectional overrides from a scanned file could move the
 * cursor, recolour the terminal or reorder what the reader sees, so they are shown as escapes.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Display width in code points: close enough for the aligned columns (wide CJK glyphs are not measured). */
function width(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function padEnd(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

function padStart(text: string, to: number): string {
  return ' '.repeat(Math.max(0, to - width(text))) + text;
}

/** Greedy word wrap; a word longer than the line stays whole (keys and paths must stay copyable). */
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r\n|\r|\n/)) {
    let line = '';
    for (const word of printable(paragraph).split(' ')) {
      if (line === '') line = word;
      else if (width(line) + 1 + width(word) <= max) line += ` ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Math.max(...values) overflows the call stack on very large arrays; one file may hold many findings. */
function maxOf(values: number[]): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}

function groupByFile(findings: Finding[]): Array<[string, Finding[]]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const group = groups.get(f.location.path);
    if (group) group.push(f);
    else groups.set(f.location.path, [f]);
  }
  return [...groups];
}

function renderFile(path: string, findings: Finding[], color: boolean, termWidth: number | undefined): string[] {
  const paint = (style: readonly [string, string], text: string): string => (color ? `${style[0]}${text}${style[1]}` : text);

  const lineW = maxOf(findings.map((f) => String(f.location.line).length));
  const colW = maxOf(findings.map((f) => String(f.location.column).length));
  const sevW = maxOf(findings.map((f) => f.severity.length));
  const ruleW = maxOf(findings.map((f) => width(printable(f.ruleId))));
  const indent = 2 + lineW + 1 + colW + 2 + sevW + 2;
  const wrapAt = termWidth === undefined ? Number.POSITIVE_INFINITY : Math.max(MIN_MESSAGE_WIDTH, termWidth - indent - 2 - ruleW);
  const messages = findings.map((f) => wrap(f.message, wrapAt));
  // An overflowing word (a long key) must not push every rule id in the file off to the right.
  const msgW = Math.min(wrapAt, maxOf(messages.map((lines) => maxOf(lines.map(width)))));
  const arrow = color ? '↳' : '->';
  const relatedIndent = 6 + width(arrow) + 1;
  const relatedWrapAt = termWidth === undefined ? Number.POSITIVE_INFINITY : Math.max(MIN_MESSAGE_WIDTH, termWidth - relatedIndent);

  const out = [paint(UNDERLINE, printable(path))];
  findings.forEach((f, i) => {
    const lines = messages[i] ?? [''];
    const position = `${padStart(String(f.location.line), lineW)}:${padEnd(String(f.location.column), colW)}`;
    const severity = paint(SEVERITY_COLOR[f.severity], f.severity) + ' '.repeat(sevW - f.severity.length);
    const head = `  ${position}  ${severity}  `;
    const rule = paint(DIM, printable(f.ruleId));
    lines.forEach((text, j) => {
      const lead = j === 0 ? head : ' '.repeat(indent);
      out.push(j === lines.length - 1 ? `${lead}${padEnd(text, msgW)}  ${rule}` : `${lead}${text}`);
    });
    for (const r of f.related) {
      const text = `${r.span.path}:${r.span.line}${r.message === '' ? '' : ` ${r.message}`}`;
      wrap(text, relatedWrapAt).forEach((part, j) => {
        out.push(j === 0 ? `      ${arrow} ${part}` : `${' '.repeat(relatedIndent)}${part}`);
      });
    }
  });
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
  const blocks = groupByFile(result.findings).map(([path, findings]) =>
    renderFile(path, findings, options.color, options.width).join('\n'),
  );

  const count = (s: Severity): number => result.findings.filter((f) => f.severity === s).length;
  const errors = count('error');
  const warnings = count('warning');
  const notes = count('note');
  const summaryText =
    `${options.color ? '✖' : 'x'} ${plural(result.findings.length, 'problem')} ` +
    `(${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(notes, 'note')})${suppressed}`;
  const summaryColor = errors > 0 ? RED : warnings > 0 ? YELLOW : BLUE;
  const summary = options.color ? `${summaryColor[0]}${BOLD[0]}${summaryText}${BOLD[1]}${summaryColor[1]}` : summaryText;
  return `${blocks.join('\n\n')}\n\n${summary}\n`;
};
