import { isAbsolute, posix } from 'node:path';
import type { Finding, LintResult } from '../engine/finding.js';
import type { Span } from '../model/span.js';

/*
 * Where report paths start (issue 19). The engine names files relative to the scanned folder; GitHub
 * (SARIF upload, workflow annotations) and editors read them from the repository root. Scanning
 * `services/api` of a monorepo must therefore report `services/api/knexfile.ts`, not `knexfile.ts`.
 * Everything here is pure: the caller finds the repository root (cli/base-path.ts) and passes both
 * folders as absolute POSIX-style paths.
 */

/**
 * A path as the report shows it: relative to `base` when the file is inside it, else absolute (never a
 * `../` path, which a SARIF consumer could not resolve). `path` is relative to `root`, or absolute (a
 * config file given with `-c` outside the scanned folder).
 */
export function rebasePath(path: string, root: string, base: string): string {
  const absolute = isAbsolute(path) ? posix.normalize(path) : posix.join(root, path);
  const rel = posix.relative(base, absolute);
  return rel === '' || rel.startsWith('../') || rel === '..' || isAbsolute(rel) ? absolute : rel;
}

function rebaseSpan(span: Span, root: string, base: string): Span {
  return { ...span, path: rebasePath(span.path, root, base) };
}

/**
 * Messages name places as `path:line` (`wait_timeout is 10 min (db/my.cnf:2)`); those are rewritten like the
 * locations, so a message and its links agree. Only the paths of files this result knows are rewritten, and only
 * where a whole path stands before `:<line>` (not the tail of a longer path).
 */
function pathsInText(result: LintResult, root: string, base: string): (text: string) => string {
  const known = new Set<string>();
  for (const f of [...result.findings, ...(result.suppressed ?? [])]) {
    known.add(f.location.path);
    for (const r of f.related) known.add(r.span.path);
  }
  for (const f of result.files) known.add(f.path);
  const paths = [...known].filter((x) => x !== '' && rebasePath(x, root, base) !== x).sort((a, b) => b.length - a.length);
  if (paths.length === 0) return (t) => t;
  const escaped = paths.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`(?<![\\w./-])(${escaped.join('|')})(?=:\\d)`, 'g');
  return (t) => t.replace(re, (m) => rebasePath(m, root, base));
}

/** `rule|path|key` (engine/run.ts) with its file named from `base`, so a finding keeps its fingerprint whichever folder was scanned. */
function rebaseFingerprint(fingerprint: string, root: string, base: string): string {
  const m = /^([^|]*)\|([^|]*)\|([\s\S]*)$/.exec(fingerprint);
  return m ? `${m[1]}|${rebasePath(m[2] as string, root, base)}|${m[3]}` : fingerprint;
}

/** The result with every path (findings, related locations, file lists, fingerprints' files) relative to `base`. */
export function rebaseResult(result: LintResult, root: string, base: string): LintResult {
  if (root === base) return result;
  const p = (path: string) => rebasePath(path, root, base);
  const text = pathsInText(result, root, base);
  const finding = <F extends Finding>(f: F): F => ({
    ...f,
    message: text(f.message),
    location: rebaseSpan(f.location, root, base),
    related: f.related.map((r) => ({ message: text(r.message), span: rebaseSpan(r.span, root, base) })),
    fingerprint: rebaseFingerprint(f.fingerprint, root, base),
    ...(f.fix ? { fix: { ...f.fix, description: text(f.fix.description), span: rebaseSpan(f.fix.span, root, base) } } : {}),
  });
  return {
    ...result,
    findings: result.findings.map(finding),
    ...(result.suppressed
      ? {
          suppressed: result.suppressed.map((f) => {
            const { location, ...rest } = f.suppression;
            return { ...finding(f), suppression: { ...rest, ...(location ? { location: rebaseSpan(location, root, base) } : {}) } };
          }),
        }
      : {}),
    files: result.files.map((f) => ({ ...f, path: p(f.path) })),
    notRead: result.notRead.map((n) => ({ ...n, path: p(n.path) })),
  };
}
