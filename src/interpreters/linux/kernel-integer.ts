/** How the kernel reads an integer written to /proc/sys (sysctl.md, "Kernel value parsing"). */

/** C `isspace`: procps trims lines with it, and `\r` of a CRLF file is trimmed with it. */
function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\v' || c === '\f';
}

function digitValue(c: string | undefined): number {
  if (c === undefined) return -1;
  const code = c.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return -1;
}

/** The kernel copies at most this many characters of a number (`TMPBUFLEN - 1` in kernel/sysctl.c). */
const KERNEL_NUMBER_CHARS = 21;
const INT_MAX = 2147483647n;
const ULONG_MAX = 2n ** 64n - 1n;

/**
 * The kernel's reading of an integer sysctl value (base 0: 0x.., leading 0 = octal; surrounding blanks ok);
 * undefined when the kernel rejects it (EINVAL).
 *
 * Mirrors `proc_get_long` + `proc_dointvec` (sysctl.md, Settings and "Kernel value parsing", tested on 6.18):
 * leading white space skipped, an optional `-` (no `+`), then base-0 digits; the next character must be a
 * blank, tab or newline or the end, and whatever follows that one integer is ignored (`600 # comment` was
 * stored as 600); `60s`, `1e3`, `"300"` and the empty string are rejected; the result must fit an `int`.
 */
export function readKernelInteger(raw: string): number | undefined {
  let start = 0;
  while (start < raw.length && isSpace(raw[start])) start++;
  const rest = raw.slice(start);
  if (rest.length === 0) return undefined;
  const tmp = rest.slice(0, KERNEL_NUMBER_CHARS);
  let p = 0;
  let negative = false;
  if (tmp[0] === '-' && rest.length > 1) {
    negative = true;
    p = 1;
  }
  if (digitValue(tmp[p]) < 0 || digitValue(tmp[p]) > 9) return undefined;
  let base = 10;
  if (tmp[p] === '0') {
    const x = tmp[p + 1];
    if ((x === 'x' || x === 'X') && digitValue(tmp[p + 2]) >= 0) {
      base = 16;
      p += 2;
    } else {
      base = 8;
    }
  }
  let value = 0n;
  while (p < tmp.length) {
    const d = digitValue(tmp[p]);
    if (d < 0 || d >= base) break;
    value = value * BigInt(base) + BigInt(d);
    p++;
  }
  if (value > ULONG_MAX) return undefined;
  // A number that fills the whole copy might continue past it, so the kernel refuses it.
  if (p === KERNEL_NUMBER_CHARS) return undefined;
  if (p < rest.length && rest[p] !== ' ' && rest[p] !== '\t' && rest[p] !== '\n') return undefined;
  if (negative ? value > INT_MAX + 1n : value > INT_MAX) return undefined;
  return Number(negative ? -value : value);
}
