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

/** C `isspace`: procps trims lines with it, and `\r` of a CRLF file is trimmed with it. */
function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\v' || c === '\f';
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

    // Readable lines whose value is not what it seems (sysctl.md, "Syntax and parsing facts"): not parse errors, but
    // values the kernel does not take as meant. Where the interpreter reports the kernel's refusal at the same place,
    // the format keeps only that one (formats/sysctl.ts).
    if (raw.length === 0) {
      problems.push({
        severity: 'warning',
        ruleId: 'setting-ignored-by-library',
        span: valueSpan,
        message: `${key} has an empty value: sysctl writes an empty string`,
      });
    }
    const hash = raw.search(/(^|[ \t])#/);
    if (hash >= 0) {
      const at = hash + (raw[hash] === '#' ? 0 : 1);
      problems.push({
        severity: 'warning',
        ruleId: 'setting-ignored-by-library',
        span: lineSpan(path, lineNo, valueFrom + at + 1, raw.length - at),
        message: `${key} is written as '${raw}': sysctl has no inline comments, so '${raw.slice(at)}' is part of the value. Move the comment to its own line`,
      });
    }
    if (/^["']|["']$/.test(raw)) {
      problems.push({
        severity: 'warning',
        ruleId: 'setting-ignored-by-library',
        span: valueSpan,
        message: `sysctl does not remove quotes: ${key} is written as ${raw} with the quotes, which the kernel receives as part of the value. Remove the quotes`,
      });
    }
  }
  return { doc: { assignments }, problems };
}
