/**
 * How Compose splits a `command:` or `entrypoint:` written as one string: mattn/go-shellwords v1.0.12
 * (`shellwords.Parse`, the version compose-spec/compose-go pins in go.mod), with no shell run and no
 * variable or command substitution. Blanks (space, tab, CR, LF) separate words; `'...'` keeps
 * everything; `"..."` keeps everything but a backslash escapes the next character; an unquoted
 * backslash escapes the next character (`\t` is a `t`); `''` is an empty word. An unquoted `;`, `&`,
 * `|`, `<` or `>` ends the command there: the rest is dropped without a message. An unquoted `(` not
 * after `$` and an unclosed quote are errors ("invalid command line string") and Compose refuses the file.
 * Backquotes and `$(`/`)` switch a state in which blanks stay inside the word.
 */

export interface ShellWord {
  text: string;
  /** Offset of the word's first character in the input (its opening quote when it starts with one). */
  start: number;
  /** Offset just after its last character. */
  end: number;
}

export interface ShellSplit {
  words: ShellWord[];
  /** Offset of an unquoted `;`, `&`, `|`, `<` or `>` where the command was cut. */
  cutAt?: number;
  error?: string;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/** Splits like go-shellwords v1.0.12 `Parse`. Never throws. */
export function splitShellWords(line: string): ShellSplit {
  const words: ShellWord[] = [];
  let buf = '';
  let escaped = false;
  let doubleQuoted = false;
  let singleQuoted = false;
  let backQuote = false;
  let dollarQuote = false;
  let got: 'none' | 'single' | 'quoted' = 'none';
  let start = -1;
  let end = 0;
  let cutAt: number | undefined;
  const begin = (i: number) => {
    if (start < 0) start = i;
  };
  const emit = () => {
    words.push({ text: buf, start: start < 0 ? end : start, end });
    buf = '';
    got = 'none';
    start = -1;
  };
  let i = 0;
  loop: while (i < line.length) {
    const cp = line.codePointAt(i) as number;
    const r = String.fromCodePoint(cp);
    const at = i;
    i += r.length;
    if (escaped) {
      buf += r;
      escaped = false;
      got = 'single';
      end = i;
      continue;
    }
    if (r === '\\') {
      begin(at);
      if (singleQuoted) {
        buf += r;
        end = i;
      } else escaped = true;
      continue;
    }
    if (isSpace(r)) {
      if (singleQuoted || doubleQuoted || backQuote || dollarQuote) {
        buf += r;
        end = i;
      } else if (got !== 'none') emit();
      continue;
    }
    switch (r) {
      case '`':
        if (!singleQuoted && !doubleQuoted && !dollarQuote) backQuote = !backQuote;
        break;
      case ')':
        if (!singleQuoted && !doubleQuoted && !backQuote) dollarQuote = !dollarQuote;
        break;
      case '(':
        if (!singleQuoted && !doubleQuoted && !backQuote) {
          if (!dollarQuote && buf.endsWith('$')) {
            dollarQuote = true;
            buf += '(';
            end = i;
            continue;
          }
          return { words, error: 'invalid command line string' };
        }
        break;
      case '"':
        if (!singleQuoted && !dollarQuote) {
          begin(at);
          if (doubleQuoted) got = 'quoted';
          doubleQuoted = !doubleQuoted;
          end = i;
          continue;
        }
        break;
      case "'":
        if (!doubleQuoted && !dollarQuote) {
          begin(at);
          if (singleQuoted) got = 'quoted';
          singleQuoted = !singleQuoted;
          end = i;
          continue;
        }
        break;
      case ';':
      case '&':
      case '|':
      case '<':
      case '>':
        if (!(singleQuoted || doubleQuoted || backQuote || dollarQuote)) {
          // `2>`: a word of digits before `>` is a file-descriptor number, not an argument.
          if (r === '>' && /^[0-9]/.test(buf)) got = 'none';
          cutAt = at;
          break loop;
        }
        break;
    }
    begin(at);
    got = 'single';
    buf += r;
    end = i;
  }
  if (got !== 'none') emit();
  if (escaped || singleQuoted || doubleQuoted || backQuote || dollarQuote) return { words, error: 'invalid command line string' };
  return { words, ...(cutAt !== undefined ? { cutAt } : {}) };
}
