/*
 * Text for a terminal: what a scanned file may hold must not drive the terminal, columns are counted in
 * code points, and long text wraps at spaces. Pure functions, shared by the stylish renderer's parts.
 */

/**
 * Control characters, DEL, C1 controls and bidirectional overrides from a scanned file could move the
 * cursor, recolour the terminal or reorder what the reader sees, so they are shown as escapes.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Display width in code points: close enough for aligned columns (wide CJK glyphs are not measured). */
export function width(text: string): number {
  // Without surrogates (nearly always) code points are UTF-16 units.
  if (!/[\ud800-\udfff]/.test(text)) return text.length;
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** `9 min`, `350 s`, `64 KiB` stay on one line: a number alone at the end of a line reads as another value. */
const NUMBER_AND_UNIT = /(\d) (?=(?:ms|s|min|h|d|B|KiB|MiB|GiB)\b)/g;
/** A character no printable text holds (printable escapes every control character). */
const GLUE = '\u0000';

/**
 * Greedy word wrap of printable text, `firstMax` columns on the first line and `max` on the others; a word
 * longer than the line stays whole (keys and paths must stay copyable). Line breaks start new lines.
 */
export function wrap(text: string, max: number, firstMax = max): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r\n|\r|\n/)) {
    let line = '';
    // The line's width is kept beside it: measuring the whole line again for every word was quadratic.
    let lineWidth = 0;
    for (const word of printable(paragraph).replace(NUMBER_AND_UNIT, `$1${GLUE}`).split(' ')) {
      const wordWidth = width(word);
      if (line === '') {
        line = word;
        lineWidth = wordWidth;
      } else if (lineWidth + 1 + wordWidth <= (lines.length === 0 ? firstMax : max)) {
        line += ` ${word}`;
        lineWidth += 1 + wordWidth;
      } else {
        lines.push(line);
        line = word;
        lineWidth = wordWidth;
      }
    }
    lines.push(line);
  }
  return lines.map((l) => l.replaceAll(GLUE, ' '));
}

/** Below this many columns for the text, wrapping makes it harder to read, not easier. */
const MIN_TEXT_WIDTH = 20;

/**
 * `text` wrapped to `max` columns with `lead` (already printed, e.g. `  = note: `) before the first line and
 * `indent` spaces before the others (a hanging indent). `lead` may hold colour codes: `leadWidth` is its width.
 */
export function hanging(lead: string, text: string, max: number, indent: number, leadWidth = width(lead)): string[] {
  const lines = wrap(text, Math.max(MIN_TEXT_WIDTH, max - indent), Math.max(MIN_TEXT_WIDTH, max - leadWidth));
  return lines.map((line, i) => (i === 0 ? `${lead}${line}` : `${' '.repeat(indent)}${line}`));
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
