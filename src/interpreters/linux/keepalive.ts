import { formatDuration } from '../../model/duration.js';
import { type Entry, valueSpanOf } from '../../model/entry.js';
import type { Host } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { addAssignment, lastAssignments, type Setting, sortedByKey, type Value } from '../../model/setting.js';
import { formatSpan } from '../../model/span.js';
import { readKernelInteger } from './kernel-integer.js';
import { orderSysctlFiles } from './sysctl-files.js';

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

/** The Linux default of one keepalive key, as a setting (used where no sysctl tree applies). */
export function linuxDefault(key: string): Setting {
  const d = KERNEL_DEFAULTS.find((k) => k.key === key) ?? (KERNEL_DEFAULTS[0] as (typeof KERNEL_DEFAULTS)[number]);
  return {
    key: d.key,
    canonicalKey: d.key,
    raw: null,
    text: null,
    value: d.value,
    origin: { kind: 'os-default', os: 'linux', fact: d.fact },
    overrides: [],
    ...(d.key === KEEPALIVE_PROBES ? {} : { unit: 's' as const }),
  };
}

function isKeepalive(key: string): boolean {
  return key === KEEPALIVE_TIME || key === KEEPALIVE_INTVL || key === KEEPALIVE_PROBES;
}

/**
 * What the kernel stores for a keepalive value, or why it refuses it (EINVAL, the old value stays).
 * time/intvl are stored in jiffies: more than INT_MAX/HZ seconds overflows; with HZ at least 100 on every
 * kernel, values above INT_MAX/100 are refused everywhere (smaller ones depend on HZ, so they are not flagged).
 * probes is a u8 on current kernels: 0-255, negatives refused (sysctl.md, Settings, tested on 6.18).
 */
export function readKeepalive(key: string, raw: string): { value: Value } | { rejected: string } {
  const n = readKernelInteger(raw);
  if (n === undefined)
    return { rejected: `the kernel rejects '${raw}' for ${key} (EINVAL: not a plain integer; no units, quotes or suffixes)` };
  if (key === KEEPALIVE_PROBES) {
    if (n < 0 || n > 255 || raw.trim().startsWith('-'))
      return { rejected: `the kernel rejects ${raw} for ${key} (EINVAL; it accepts 0-255)` };
    return { value: { kind: 'count', value: n } };
  }
  if (Math.abs(n) > Math.floor(2147483647 / 100)) {
    return { rejected: `the kernel rejects ${raw} for ${key} (EINVAL: seconds overflow when converted to jiffies)` };
  }
  return { value: { kind: 'duration', ms: n * 1000 } };
}

function describe(setting: Setting): string {
  const v = setting.value;
  const shown = v.kind === 'duration' ? `${v.ms / 1000} (${formatDuration(v.ms)})` : v.kind === 'count' ? String(v.value) : '';
  const where = setting.origin.kind === 'file' ? `set at ${formatSpan(setting.origin.span)}` : 'Linux default';
  return `${shown} (${where})`;
}

/**
 * One host per sysctl tree: values applied in systemd-sysctl's order, last assignment wins; a value the
 * kernel rejects is never used, and the problem at its line says which value stays in force.
 * `entriesOf` gives a file's assignments (key = dotted kernel key, rawKey = as written).
 */
export function buildHosts(
  paths: readonly string[],
  entriesOf: (path: string) => readonly Entry[] | undefined,
): { hosts: Host[]; problems: Problem[] } {
  const hosts: Host[] = [];
  const problems: Problem[] = [];
  for (const tree of orderSysctlFiles([...paths])) {
    // What is in force for each key as the lines are applied (for messages), and each key's accepted assignments:
    // `lastAssignments` gives the last its overrides once, so a key set thousands of times costs linear time.
    const settings = new Map<string, Setting>();
    const chains = new Map<string, Setting[]>();
    for (const d of KERNEL_DEFAULTS) settings.set(d.key, linuxDefault(d.key));
    for (const file of tree.files) {
      for (const e of entriesOf(file) ?? []) {
        const raw = e.text ?? '';
        const previous = settings.get(e.key);
        let value: Value = { kind: 'string', value: raw };
        if (isKeepalive(e.key)) {
          const read = readKeepalive(e.key, raw);
          if ('rejected' in read) {
            const stays = previous ? `${e.key} stays ${describe(previous)}` : `${e.key} keeps its previous value`;
            // The write fails with EINVAL and the kernel keeps the old value; the other lines are still applied
            // (sysctl.md: "Non-numeric input ... is EINVAL and the old value is kept"; procps >= 4.0.0 exits non-zero).
            problems.push({
              severity: 'warning',
              span: e.valueSpan,
              ruleId: 'setting-ignored-by-library',
              message: `${read.rejected}, so this line is not applied: ${stays}`,
            });
            // Every setting here was made for this tree (the defaults too), so the value in force is told in place.
            if (previous) {
              previous.rejected ??= [];
              previous.rejected.push({ span: e.span, reason: read.rejected });
            }
            continue;
          }
          value = read.value;
        }
        const setting: Setting = {
          key: e.rawKey ?? e.key,
          canonicalKey: e.key,
          raw: e.raw,
          text: raw,
          value,
          origin: { kind: 'file', span: e.span, via: [] },
          ...valueSpanOf(e),
          overrides: [],
          unit: 's',
        };
        settings.set(e.key, setting);
        addAssignment(chains, e.key, setting);
      }
    }
    // Gives each key's last assignment (the one in force in `settings`) what it overrides and replaces.
    lastAssignments(chains);
    hosts.push({ id: `host:${tree.root}`, root: tree.root, files: tree.files, settings: sortedByKey(settings) });
  }
  return { hosts, problems };
}
