/**
 * The kernel keepalive settings of a service's container (sysctl.md, network namespaces): since Linux 4.5
 * `net.ipv4.tcp_keepalive_*` are per network namespace and a new namespace starts at the kernel's
 * defaults (7200/75/9), so a container gets Linux's defaults, not the host's `sysctl.conf`, unless its
 * `sysctls:` set them. Docker passes each value to runc, which writes it into the container's
 * /proc/sys when it starts the container and stops on an error (opencontainers/runc libcontainer
 * standard_init_linux.go): a value the kernel rejects keeps the container from starting, and runc
 * refuses `net.*` sysctls in the host's network namespace ("sysctl ... is not allowed in the hosts
 * network namespace", runc PRs #1138, #2706).
 */
import { valueSpanOf } from '../../model/entry.js';
import type { Host } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { overridesOf, replacedOf, type Setting, sortedByKey } from '../../model/setting.js';
import { canonicalSysctlKey } from '../../parsers/sysctl.js';
import { KEEPALIVE_INTVL, KEEPALIVE_PROBES, KEEPALIVE_TIME, linuxDefault, readKeepalive } from '../linux/keepalive.js';
import { knownText, unknownReason } from './interpolate.js';
import { type ServiceDef, type SysctlDef, subSpan } from './project.js';

const KEEPALIVE = new Set([KEEPALIVE_TIME, KEEPALIVE_INTVL, KEEPALIVE_PROBES]);

function valueSpan(def: SysctlDef) {
  if (!def.value) return def.keySpan;
  if (def.valueOffset === undefined) return def.value.span;
  return def.value.value?.used.length ? def.value.span : subSpan(def.value, def.valueOffset, (def.value.text ?? '').length);
}

/** The keepalive settings of a network namespace: Linux's defaults, then the sysctls written for it. */
export function namespaceSettings(sysctls: Iterable<SysctlDef>, problems: Problem[]): Map<string, Setting> {
  const settings = new Map<string, Setting>();
  for (const key of KEEPALIVE) settings.set(key, linuxDefault(key));
  for (const def of sysctls) {
    const key = canonicalSysctlKey(def.key);
    const previous = settings.get(key);
    const at = valueSpan(def);
    const i = def.value?.value;
    const full = i ? knownText(i) : undefined;
    const text = full === undefined ? undefined : def.valueOffset !== undefined ? full.slice(def.valueOffset) : full;
    const raw = def.value ? (def.valueOffset !== undefined ? (def.value.text ?? '').slice(def.valueOffset) : def.value.text) : null;
    const base = {
      key: def.key,
      canonicalKey: key,
      raw,
      text: text ?? raw,
      origin: { kind: 'file' as const, span: def.span, via: [] },
      overrides: previous?.origin.kind === 'file' ? overridesOf(previous) : [],
      ...replacedOf(previous),
      // Interpolated or quoted values are not located character for character: no value span then.
      ...(text === undefined ? {} : valueSpanOf({ key: def.key, text, raw, keySpan: def.keySpan, valueSpan: at, span: def.span })),
    };
    if (!def.value || def.value.text === null) {
      problems.push({
        severity: 'error',
        ruleId: 'startup-failure',
        message: `sysctl ${def.key} has no value; Docker refuses to create the container`,
        span: def.span,
      });
      continue;
    }
    if (text === undefined) {
      settings.set(key, { ...base, value: { kind: 'unknown', reason: (i && unknownReason(i)) ?? 'unknown value' }, unit: 's' });
      continue;
    }
    if (!KEEPALIVE.has(key)) {
      settings.set(key, { ...base, value: { kind: 'string', value: text } });
      continue;
    }
    const read = readKeepalive(key, text);
    if ('rejected' in read) {
      problems.push({
        severity: 'error',
        span: at,
        ruleId: 'startup-failure',
        message: `${read.rejected}; runc writes the container's sysctls when it starts it and stops on this error, so the container does not start`,
      });
      if (previous) settings.set(key, { ...previous, rejected: [...(previous.rejected ?? []), { span: def.span, reason: read.rejected }] });
      continue;
    }
    settings.set(key, { ...base, value: read.value, ...(key === KEEPALIVE_PROBES ? {} : { unit: 's' as const }) });
  }
  return settings;
}

export interface ContainerHostInput {
  service: ServiceDef;
  /** The Compose file that defines the service (the host's id and `container.file`). */
  file: string;
  /** The build context directory, relative to the scanned root: pools of the application there run in this container. */
  context: string;
  /** The service whose network namespace the container uses (itself, or the one named by `network_mode: service:x`). */
  namespaceOwner: ServiceDef;
}

export function containerHost(input: ContainerHostInput): { host: Host; problems: Problem[] } {
  const problems: Problem[] = [];
  const settings = namespaceSettings(input.namespaceOwner.sysctls.values(), problems);
  const files = [...new Set([input.file, ...input.service.files, ...input.namespaceOwner.files])];
  return {
    host: {
      id: `host:${input.file}#${input.service.name}`,
      root: input.context,
      files,
      settings: sortedByKey(settings),
      container: { service: input.service.name, file: input.file },
      origin: input.service.keySpan,
    },
    problems,
  };
}

/** runc refuses `net.*` sysctls for a container in the host's network namespace. */
export function hostNetworkSysctlProblems(service: ServiceDef, networkModeAt: string): Problem[] {
  const out: Problem[] = [];
  for (const def of service.sysctls.values()) {
    const key = canonicalSysctlKey(def.key);
    if (!key.startsWith('net.')) continue;
    out.push({
      severity: 'error',
      span: def.span,
      ruleId: 'startup-failure',
      message: `runc refuses sysctl ${def.key} for a container in the host's network namespace (network_mode: host, ${networkModeAt}): "sysctl "${key}" is not allowed in the hosts network namespace", so the container does not start`,
    });
  }
  return out;
}
