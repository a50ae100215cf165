/** Python's whitespace (str.isspace), which `strip()`, `int()` and `float()` skip; not the same set as JavaScript's `trim()` or `\s` (no U+FEFF). */
const PY_SPACE = new Set(
  [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]
    .concat(Array.from({ length: 11 }, (_, i) => 0x2000 + i))
    .map((c) => String.fromCharCode(c)),
);

export function isPySpace(ch: string): boolean {
  return PY_SPACE.has(ch);
}

/** `str.strip()` with Python's whitespace. */
export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPySpace(text[start] as string)) start++;
  while (end > start && isPySpace(text[end - 1] as string)) end--;
  return text.slice(start, end);
}
