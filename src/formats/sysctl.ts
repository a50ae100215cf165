import type { Entry } from '../model/entry.js';
import type { SysctlDoc } from '../parsers/sysctl.js';
import type { ClaimedFile, Contribution, Format, FormatContext } from './format.js';
import { looksLikeSysctl, sysctlClaim } from '../interpreters/linux/sysctl-files.js';

/*
 * sysctl files as procps `sysctl --system` and systemd-sysctl read them (sysctl.md): `sysctl.conf` and
 * `*.conf` in `sysctl.d` directories. A file elsewhere that merely looks like one (modprobe.d, ufw, tuned)
 * is listed as not read. Each tree of files becomes one host with its kernel keepalive settings.
 */

type Parser = typeof import('../parsers/sysctl.js');

/** A sysctl file's assignments as neutral entries: key = the dotted kernel key, rawKey = as written. */
export function sysctlEntries(doc: SysctlDoc): Entry[] {
  return doc.assignments.map((a) => ({
    key: a.canonicalKey,
    ...(a.key !== a.canonicalKey ? { rawKey: a.key } : {}),
    text: a.raw,
    raw: a.raw,
    keySpan: a.keySpan,
    valueSpan: a.valueSpan,
    span: a.span,
  }));
}
type Interpreter = typeof import('../interpreters/linux/keepalive.js');

function contribute(files: readonly ClaimedFile[], ctx: FormatContext, parser: Parser, interpreter: Interpreter): Contribution {
  const problems: NonNullable<Contribution['problems']> = [];
  const entries = new Map<string, Entry[]>();
  for (const f of files) {
    const result = ctx.cache.get('sysctl', f.path, f.text, () => parser.parseSysctl(f.path, f.text));
    problems.push(...result.problems);
    entries.set(f.path, sysctlEntries(result.doc));
  }
  const built = interpreter.buildHosts([...entries.keys()], (p) => entries.get(p));
  // A value the kernel rejects is reported once, by the interpreter, which also says what stays in force.
  const at = (p: { span: { path: string; line: number; column: number } }) => `${p.span.path}:${p.span.line}:${p.span.column}`;
  const rejected = new Set(built.problems.map(at));
  return { hosts: built.hosts, problems: [...problems.filter((p) => !rejected.has(at(p))), ...built.problems] };
}

export const sysctl: Format = {
  id: 'sysctl',
  name: 'sysctl file',
  matchesName: looksLikeSysctl,
  encoding: 'utf8',
  claim(path) {
    const c = sysctlClaim(path);
    return 'notRead' in c ? c : { owner: 'certain', reason: c.reason };
  },
  async load() {
    const [parser, interpreter] = await Promise.all([import('../parsers/sysctl.js'), import('../interpreters/linux/keepalive.js')]);
    return { contribute: (files, ctx) => contribute(files, ctx, parser, interpreter) };
  },
};
