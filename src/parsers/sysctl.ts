/**
 * sysctl.conf / sysctl.d files, read as procps `sysctl` and `systemd-sysctl` read them (sysctl.md,
 * "Syntax and parsing facts", line grammar). Both skip a bad line and continue, so every problem here is a
 * warning.
 */
import { lineSpan, type Span } from '../model/span.js';
import type { ParseProblem, ParseResult } from './parse-result.js';

export interface SysctlAssignment {
  /** As written, without the leading `-`. */
  key: string;
  /** The dotted form of the kernel path (`net/ipv4/tcp_keepalive_time` -> `net.ipv4.tcp_keepalive_time`). */
  canonicalKey: string;
  /** The line starts with `-`: failures to apply it are ignored. */
  ignoreFailure: boolean;
  /** The value text after `=`, trimmed, inner spaces kept; never comment-stripped (sysctl has no inline comments). */
  raw: string;
  keySpan: Span;
  valueSpan: Span;
  span: Span;
}

export interface SysctlDoc {
  assignments: SysctlAssignment[];
}

const KEEPALIVE_TIME = 'net.ipv4.tcp_keepalive_time';
const KEEPALIVE_INTVL = 'net.ipv4.tcp_keepalive_intvl';
const KEEPALIVE_PROBES = 'net.ipv4.tcp_keepalive_probes';

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

/**
 * `net/ipv4/conf/eth0.100/rp_filter` -> `net.ipv4.conf.eth0/100.rp_filter`: the first separator decides;
 * when it is `/` the key is a path and `.` and `/` swap to get the dotted form (sysctl.md, key separators).
 */
export function canonicalSysctlKey(key: string): string {
  const first = key.search(/[./]/);
  if (first < 0 || key[first] === '.') return key;
  return key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/**
 * Why the kernel refuses this value for one of the keepalive keys, or undefined when it accepts it.
 * time/intvl are stored in jiffies: more than INT_MAX/HZ seconds overflows; with HZ at least 100 on every
 * kernel, values above INT_MAX/100 are refused everywhere (smaller ones depend on HZ, so they are not flagged).
 * probes is a u8 on current kernels: 0-255, negatives refused (sysctl.md, Settings, tested on 6.18).
 */
function keepaliveRejection(canonicalKey: string, raw: string): string | undefined {
  const n = readKernelInteger(raw);
  if (n === undefined) {
    return `the kernel rejects '${raw}' for ${canonicalKey} (EINVAL) and keeps the previous value: write a plain integer (no units, quotes or suffixes)`;
  }
  if (canonicalKey === KEEPALIVE_PROBES) {
    if (n < 0 || n > 255 || raw.trim().startsWith('-')) {
      return `the kernel rejects ${raw} for ${canonicalKey} (EINVAL; it accepts 0-255) and keeps the previous value`;
    }
    return undefined;
  }
  if (Math.abs(n) > Math.floor(2147483647 / 100)) {
    return `the kernel rejects ${raw} for ${canonicalKey} (EINVAL: seconds overflow when converted to jiffies) and keeps the previous value`;
  }
  return undefined;
}

/** Parses one sysctl file. Never throws; every problem is a warning, since both tools skip the line and go on. */
export function parseSysctl(path: string, text: string): ParseResult<SysctlDoc> {
  const assignments: SysctlAssignment[] = [];
  const problems: ParseProblem[] = [];
  // procps reads with fgets and systemd with read_line: `\n` ends a line; a `\r` before it is trimmed as space.
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const lineNo = index + 1;
    let from = 0;
    let to = line.length;
    while (from < to && isSpace(line[from])) from++;
    while (to > from && isSpace(line[to - 1])) to--;
    if (from === to) continue;
    const first = line[from];
    if (first === '#' || first === ';') continue;
    const lineSpanAll = lineSpan(path, lineNo, from + 1, to - from);

    const eq = line.indexOf('=', from);
    if (eq < 0 || eq >= to) {
      // `-key` alone excludes the key from glob assignments (sysctl.md, globs); it sets nothing.
      if (first === '-') continue;
      problems.push({
        severity: 'warning',
        span: lineSpanAll,
        message: `Line is not an assignment (no '='), so sysctl skips it: '${line.slice(from, to)}'`,
      });
      continue;
    }

    let keyFrom = from;
    const ignoreFailure = first === '-';
    if (ignoreFailure) {
      keyFrom++;
      while (keyFrom < eq && isSpace(line[keyFrom])) keyFrom++;
    }
    let keyTo = eq;
    while (keyTo > keyFrom && isSpace(line[keyTo - 1])) keyTo--;
    let valueFrom = eq + 1;
    while (valueFrom < to && isSpace(line[valueFrom])) valueFrom++;
    const key = line.slice(keyFrom, keyTo);
    const raw = line.slice(valueFrom, to);
    const keySpan = lineSpan(path, lineNo, keyFrom + 1, keyTo - keyFrom);
    const valueSpan = lineSpan(path, lineNo, valueFrom + 1, to - valueFrom);

    if (key.length === 0) {
      problems.push({ severity: 'warning', span: lineSpanAll, message: `Assignment has no key before '=', so sysctl skips it` });
      continue;
    }
    const canonicalKey = canonicalSysctlKey(key);
    assignments.push({ key, canonicalKey, ignoreFailure, raw, keySpan, valueSpan, span: lineSpanAll });

    const isKeepalive = canonicalKey === KEEPALIVE_TIME || canonicalKey === KEEPALIVE_INTVL || canonicalKey === KEEPALIVE_PROBES;
    let reported = false;
    if (raw.length === 0) {
      problems.push({
        severity: 'warning',
        span: valueSpan,
        message: `${key} has an empty value: sysctl writes an empty string${isKeepalive ? ', which the kernel rejects (EINVAL) for this integer key' : ''}`,
      });
      reported = true;
    }
    const hash = raw.search(/(^|[ \t])#/);
    if (hash >= 0) {
      const at = hash + (raw[hash] === '#' ? 0 : 1);
      problems.push({
        severity: 'warning',
        span: lineSpan(path, lineNo, valueFrom + at + 1, raw.length - at),
        message: `${key} is written as '${raw}': sysctl has no inline comments, so '${raw.slice(at)}' is part of the value. Move the comment to its own line`,
      });
    }
    if (/^["']|["']$/.test(raw)) {
      problems.push({
        severity: 'warning',
        span: valueSpan,
        message:
          `sysctl does not remove quotes: ${key} is written as ${raw} with the quotes` +
          `${isKeepalive ? ', which the kernel rejects (EINVAL) for this integer key' : ''}. Remove the quotes`,
      });
      reported = true;
    }
    if (isKeepalive && !reported) {
      const why = keepaliveRejection(canonicalKey, raw);
      if (why) problems.push({ severity: 'warning', span: valueSpan, message: why });
    }
  }
  return { doc: { assignments }, problems };
}
