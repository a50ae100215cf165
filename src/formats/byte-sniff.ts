/*
 * A format's cheap look at a file's bytes before they are decoded (Format.quickNotRead, issue 21). Every word is
 * ASCII, so it appears in UTF-8 or ISO-8859-1 bytes exactly where it appears in the decoded text.
 */

/** The words as bytes, made once per format. */
export function byteWords(words: readonly string[]): readonly Buffer[] {
  return words.map((w) => {
    if (!/^[\x20-\x7e]+$/.test(w)) throw new Error(`not an ASCII word: ${w}`);
    return Buffer.from(w, 'latin1');
  });
}

/** Does `bytes` hold any of the words? */
export function holdsAny(bytes: Buffer, words: readonly Buffer[]): boolean {
  for (const w of words) if (bytes.includes(w)) return true;
  return false;
}
