/*
 * A finding's message is one or two sentences (STYLE.md, "Message style"): what was found with both values
 * and places, the consequence ("so ..."), maybe a caveat, then the fix as an imperative sentence. The
 * terminal shows them apart, as Ruff and rustc do: a short headline, notes, and `help:` for the fix. JSON
 * and SARIF keep the whole message.
 */

export interface MessageParts {
  /** The first sentence up to its consequence, without the final full stop. */
  headline: string;
  /** The consequence of the first sentence, then every other sentence that is not advice, in order. */
  notes: string[];
  /** The advice sentences ("Set maxLifetime to 595000 (595 s) or lower."), joined. */
  help?: string;
}

/** Imperatives that open a fix sentence in connlint's messages. */
const ADVICE_VERBS = new Set([
  'Add',
  'Change',
  'Choose',
  'Declare',
  'Delete',
  'Disable',
  'Drop',
  'Either',
  'Enable',
  'Give',
  'Increase',
  'Keep',
  'Lower',
  'Make',
  'Move',
  'Name',
  'Pin',
  'Prefix',
  'Put',
  'Quote',
  'Raise',
  'Reduce',
  'Remove',
  'Rename',
  'Replace',
  'Set',
  'Spell',
  'Turn',
  'Upgrade',
  'Use',
  'Write',
]);

/** Abbreviations after which a full stop does not end the sentence. */
const ABBREVIATION = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|cf)\.$/i;

/**
 * Sentences: a full stop, `?` or `!` followed by a space and a capital, a backtick or a quote ends one; a
 * full stop inside a version (`6.2.1`), a file name (`c3p0.properties:5`) or after `e.g.` does not. A line
 * break always does.
 */
export function sentences(message: string): string[] {
  const out: string[] = [];
  for (const paragraph of message.split(/\r\n|\r|\n/)) {
    let start = 0;
    const ends = /[.?!]\s+(?=[A-Z`"'])/g;
    for (let m = ends.exec(paragraph); m !== null; m = ends.exec(paragraph)) {
      const sentence = paragraph.slice(start, m.index + 1);
      if (ABBREVIATION.test(sentence)) continue;
      out.push(sentence.trim());
      start = m.index + m[0].length;
    }
    const last = paragraph.slice(start).trim();
    if (last !== '') out.push(last);
  }
  return out;
}

export function isAdvice(sentence: string): boolean {
  return ADVICE_VERBS.has(sentence.split(/[\s,]/, 1)[0] ?? '');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function messageParts(message: string): MessageParts {
  const [first = '', ...rest] = sentences(message);
  const notes: string[] = [];
  let headline = first.replace(/\.$/, '');
  // "A is 30 min but B is 10 min (file:3), so the server closes ..." : the consequence gets its own line.
  const so = headline.indexOf(', so ');
  if (so > 0) {
    notes.push(`${capitalise(headline.slice(so + ', so '.length))}.`);
    headline = headline.slice(0, so);
  }
  const advice: string[] = [];
  for (const s of rest) (isAdvice(s) ? advice : notes).push(s);
  return advice.length > 0 ? { headline, notes, help: advice.join(' ') } : { headline, notes };
}
