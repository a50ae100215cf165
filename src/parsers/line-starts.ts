/**
 * Offsets of line starts for `\n`, `\r\n` and `\r` line ends, and the 1-based line and UTF-16 column of an
 * offset. A byte-order mark is not part of line 1 (editors hide it; CPython and the TypeScript compiler skip it).
 */
export class LineStarts {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
    if (text.charCodeAt(0) === 0xfeff) this.starts[0] = 1;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: Math.max(1, offset - (this.starts[lo] ?? 0) + 1) };
  }
}
