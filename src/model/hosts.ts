import type { ParseProblem, ParseResult } from '../parsers/parse-result.js';
import { readKernelInteger, type SysctlDoc } from '../parsers/sysctl.js';
import { orderSysctlFiles } from '../parsers/sysctl-order.js';
import type { Host } from './model.js';
import { overridesOf, type Setting, sortedByKey, type Value } from './setting.js';

export const KEEPALIVE_TIME = 'net.ipv4.tcp_keepalive_time';
export const KEEPALIVE_INTVL = 'net.ipv4.tcp_keepalive_intvl';
export const KEEPALIVE_PROBES = 'net.ipv4.tcp_keepalive_probes';

/** Linux defaults, per network namespace since 4.5 (sysctl.md, Settings). */
const KERNEL_DEFAULTS: Array<{ key: string; value: Value; fact: string }> = [
  {
    key: KEEPALIVE_TIME,
    value: { kind: 'duration', ms: 7_200_000 },
    fact: 'sysctl.md: tcp_keepalive_time default 7200 s (include/net/tcp.h TCP_KEEPALIVE_TIME)',
  },
  {
    key: KEEPALIVE_INTVL,
    value: { kind: 'duration', ms: 75_000 },
    fact: 'sysctl.md: tcp_keepalive_intvl default 75 s (TCP_KEEPALIVE_INTVL)',
  },
  { key: KEEPALIVE_PROBES, value: { kind: 'count', value: 9 }, fact: 'sysctl.md: tcp_keepalive_probes default 9' },
];

function keepaliveValue(key: string, raw: string): Value {
  const n = readKernelInteger(raw);
  if (n === undefined) return { kind: 'unknown', reason: `the kernel rejects '${raw}' (EINVAL) and keeps the previous value` };
  return key === KEEPALIVE_PROBES ? { kind: 'count', value: n } : { kind: 'duration', ms: n * 1000 };
}

/** One host per sysctl tree, values applied in systemd-sysctl's order, last assignment wins. */
export function buildHosts(
  paths: string[],
  parsed: (path: string) => ParseResult<SysctlDoc> | undefined,
): { hosts: Host[]; problems: ParseProblem[] } {
  const hosts: Host[] = [];
  const problems: ParseProblem[] = [];
  for (const tree of orderSysctlFiles(paths)) {
    const settings = new Map<string, Setting>();
    for (const d of KERNEL_DEFAULTS) {
      settings.set(d.key, {
        key: d.key,
        canonicalKey: d.key,
        raw: null,
        text: null,
        value: d.value,
        origin: { kind: 'os-default', os: 'linux', fact: d.fact },
        overrides: [],
        unit: 's',
      });
    }
    const written = new Map<string, Setting>();
    for (const file of tree.files) {
      const result = parsed(file);
      if (!result) continue;
      for (const a of result.doc.assignments) {
        const isKeepalive = a.canonicalKey === KEEPALIVE_TIME || a.canonicalKey === KEEPALIVE_INTVL || a.canonicalKey === KEEPALIVE_PROBES;
        const value: Value = isKeepalive ? keepaliveValue(a.canonicalKey, a.raw) : { kind: 'string', value: a.raw };
        const previous = written.get(a.canonicalKey);
        // A value the kernel rejects leaves the previous one (or the default) in force (sysctl.md, Settings).
        if (value.kind === 'unknown') continue;
        written.set(a.canonicalKey, {
          key: a.key,
          canonicalKey: a.canonicalKey,
          raw: a.raw,
          text: a.raw,
          value,
          origin: { kind: 'file', span: a.span, via: [] },
          overrides: overridesOf(previous),
          unit: 's',
        });
      }
    }
    for (const [k, s] of written) settings.set(k, s);
    hosts.push({
      id: `host:${tree.root}`,
      root: tree.root,
      files: tree.files,
      settings: sortedByKey(settings),
    });
  }
  return { hosts, problems };
}
