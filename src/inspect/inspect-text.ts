import { ENGINE_NAMES, humanValue, LIBRARY_NAMES, serverIdleLimit, whereFrom } from '../model/idle-limits.js';
import { KEEPALIVE_INTVL, KEEPALIVE_PROBES, KEEPALIVE_TIME } from '../model/hosts.js';
import type { Host, Link, Model, Pool, Server } from '../model/model.js';
import { type Setting, settingSpan } from '../model/setting.js';
import { formatSpan } from '../model/span.js';
import { defaultSource, type InspectInput, inspectedServers, maskSetting, maskText, sortedLinks } from './inspect-json.js';
import { drawTimeline, printable, type TimelineMarker, wrapText } from './timeline.js';
import { compareText } from '../model/sort-order.js';
import { originSpan } from '../model/setting.js';

/**
 * `connlint inspect` (text): one block per pool -> server link with the settings that decide how long
 * an idle pooled connection lives, where each came from, and the idle timeline; then whatever no link
 * mentions. Plain ASCII; colour only adds SGR codes, so stripping them gives the colourless output.
 */

const BOLD = ['\u001b[1m', '\u001b[22m'] as const;

/** Linux's tcp_keepalive_time when no scanned sysctl tree applies (knowledge README, section 4; sysctl.md). */
const LINUX_KEEPALIVE_MS = 7_200_000;

/** Server variables that end or bound an idle connection (knowledge README, section 1; mysql-server.md). */
const SERVER_IDLE_KEYS = [
  'wait_timeout',
  'interactive_timeout',
  'idle_transaction_timeout',
  'idle_readonly_transaction_timeout',
  'idle_write_transaction_timeout',
];
const HOST_KEYS = [KEEPALIVE_TIME, KEEPALIVE_INTVL, KEEPALIVE_PROBES];

function parentDirs(path: string): string[] {
  const parts = path.split('/');
  parts.pop();
  const dirs = ['.'];
  for (let i = 1; i <= parts.length; i++) dirs.push(parts.slice(0, i).join('/'));
  return dirs;
}

export interface HostChoice {
  host?: Host;
  reason: 'nearest-ancestor' | 'only-host' | 'linux-default';
}

/**
 * The sysctl tree that applies to a pool's process: the one whose directory is the nearest ancestor of
 * the pool's file; else the only one scanned; else none (Linux's own defaults).
 */
export function hostFor(pool: Pool, hosts: Host[]): HostChoice {
  const ancestors = parentDirs(pool.origin.path);
  const nearest = [...hosts]
    .filter((h) => ancestors.includes(h.root))
    .sort((a, b) => ancestors.indexOf(b.root) - ancestors.indexOf(a.root) || compareText(a.id, b.id))[0];
  if (nearest) return { host: nearest, reason: 'nearest-ancestor' };
  const only = hosts.length === 1 ? hosts[0] : undefined;
  if (only) return { host: only, reason: 'only-host' };
  return { reason: 'linux-default' };
}

/**
 * Whether the pool's driver turns SO_KEEPALIVE on, so the OS keepalive applies at all: Connector/J and
 * MariaDB Connector/J do by default, pgjdbc does not (knowledge README, section 4; sysctl.md).
 */
function driverKeepsAlive(pool: Pool): boolean {
  return pool.engine === 'mysql' || pool.engine === 'mariadb';
}

function durationLabel(setting: Setting, ms: number | undefined): string {
  if (setting.value.kind === 'duration' && setting.value.ms === 0) return `${setting.canonicalKey} off`;
  return `${setting.canonicalKey} ${ms !== undefined ? humanValue({ kind: 'duration', ms }) : humanValue(setting.value)}`;
}

/** Timeline markers of one link, and the limits left off it because their value is unknown. */
export function timelineMarkers(link: Link, model: Model): { markers: TimelineMarker[]; unknown: string[] } {
  const markers: TimelineMarker[] = [];
  const unknown: string[] = [];
  const skip = (s: Setting) => {
    if (s.value.kind === 'unknown') unknown.push(`${s.canonicalKey} (${maskSetting(s, s.value.reason)})`);
  };
  for (const m of link.pool.idle) {
    if (m.setting.value.kind === 'unknown') {
      skip(m.setting);
      continue;
    }
    const isPing = m.kind === 'keepalive';
    // A ping that is no real query still moves packets, which only keeps the network path's timers fresh.
    const kind = isPing && !m.refreshesServer ? 'keepalive' : 'pool';
    markers.push({ label: durationLabel(m.setting, m.boundMs), ms: m.boundMs, kind, refreshes: isPing || m.refreshesServer });
  }
  const { host } = hostFor(link.pool, model.hosts);
  const keepalive = host?.settings.get(KEEPALIVE_TIME);
  const probes = driverKeepsAlive(link.pool);
  const keepaliveLabel = (ms: number, isDefault: boolean) => {
    const notes = [...(isDefault ? ['Linux default'] : []), ...(probes ? [] : ['off in the driver'])];
    return `tcp_keepalive_time ${humanValue({ kind: 'duration', ms })}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
  };
  if (keepalive && keepalive.value.kind === 'unknown') skip(keepalive);
  else if (keepalive && keepalive.value.kind === 'duration') {
    const ms = keepalive.value.ms;
    markers.push({ label: keepaliveLabel(ms, settingSpan(keepalive) === undefined), ms, kind: 'keepalive', refreshes: probes });
  } else {
    markers.push({ label: keepaliveLabel(LINUX_KEEPALIVE_MS, true), ms: LINUX_KEEPALIVE_MS, kind: 'keepalive', refreshes: probes });
  }
  const net = model.network.idleTimeout;
  if (net?.value.kind === 'duration') {
    const name = net.key.startsWith('network.profile ') && net.raw ? net.raw : 'network';
    markers.push({ label: `${name} idle timeout ${humanValue(net.value)}`, ms: net.value.ms, kind: 'network', refreshes: false });
  } else if (net) skip(net);
  const limit = serverIdleLimit(link.server);
  if (limit && limit.value.kind === 'duration') {
    markers.push({ label: `${limit.canonicalKey} ${humanValue(limit.value)}`, ms: limit.value.ms, kind: 'server', refreshes: false });
  } else {
    const written = link.server.settings.get('wait_timeout');
    if (written && link.server.family === 'mysql') skip(written);
  }
  return { markers, unknown };
}

class Out {
  readonly lines: string[] = [];

  constructor(
    readonly width: number,
    readonly color: boolean,
  ) {}

  /** A line at `indent`, wrapped with a further two-space hanging indent. */
  line(indent: number, text: string, bold = false): void {
    const pad = ' '.repeat(indent);
    for (const l of wrapText(printable(text), Math.max(10, this.width - indent), '  ')) {
      this.lines.push(bold && this.color ? `${pad}${BOLD[0]}${l}${BOLD[1]}` : `${pad}${l}`.trimEnd());
    }
  }

  blank(): void {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
  }
}

function shownValue(s: Setting): string {
  if (s.value.kind === 'unknown') return 'unknown';
  if (s.value.kind === 'string') return `"${maskSetting(s, s.value.value)}"`;
  return humanValue(s.value);
}

/** `set at f:3`, `HikariCP 6.2.1 default`, `clamped from 10 s at f:3: reason`, `set at f:3; why it is unknown`. */
export function settingStatus(s: Setting): string {
  const at = settingSpan(s);
  const place = at ? formatSpan(at) : (defaultSource(s.origin) ?? whereFrom(s));
  if (s.value.kind === 'unknown') return `${at ? `set at ${place}` : place}; ${maskSetting(s, s.value.reason)}`;
  if (s.clamp)
    return `clamped from ${s.clamp.written.kind === 'string' ? `"${maskSetting(s, s.clamp.written.value)}"` : humanValue(s.clamp.written)}${at ? ` at ${place}` : ` (${place})`}: ${maskSetting(s, s.clamp.reason)}`;
  if (!at) return place;
  const earlier = s.overrides.flatMap((o) => {
    const at = originSpan(o);
    return at ? [formatSpan(at)] : [];
  });
  // Long override chains (a tree of tuning files) would bury the line; the last replaced one is the one to check.
  const replaced =
    earlier.length === 0
      ? ''
      : earlier.length <= 2
        ? `, replacing ${earlier.join(', ')}`
        : `, replacing ${earlier.length} earlier assignments, the last at ${earlier[earlier.length - 1]}`;
  return `set at ${place}${replaced}`;
}

/** Aligned `key  value  status` lines; notes go on the line below their setting. */
function settingLines(out: Out, indent: number, rows: Array<{ setting: Setting; note?: string }>): void {
  const keyWidth = Math.min(34, Math.max(0, ...rows.map((r) => r.setting.key.length)));
  const valueWidth = Math.min(14, Math.max(0, ...rows.map((r) => shownValue(r.setting).length)));
  for (const { setting, note } of rows) {
    out.line(indent, `${setting.key.padEnd(keyWidth)}  ${shownValue(setting).padEnd(valueWidth)}  ${settingStatus(setting)}`);
    // An unknown value's reason is already in its status.
    if (note && !(setting.value.kind === 'unknown' && setting.value.reason === note)) out.line(indent + 2, maskSetting(setting, note));
  }
}

function engineName(engine: string | undefined): string {
  return engine ? (ENGINE_NAMES[engine] ?? engine) : 'engine unknown';
}

function poolTitle(pool: Pool): string {
  const library = `${LIBRARY_NAMES[pool.library] ?? pool.library}${pool.libraryVersion ? ` ${pool.libraryVersion.version}` : ''}`;
  const env = pool.environment ? `, environment ${pool.environment}` : '';
  return `pool ${maskText(pool.name)} (${library}${env}, ${formatSpan(pool.origin)})`;
}

function serverName(server: Server): string {
  return server.root ?? server.id;
}

function poolSection(out: Out, pool: Pool): void {
  out.line(2, 'pool settings', true);
  const rows: Array<{ setting: Setting; note?: string }> = [];
  const seen = new Set<Setting>();
  for (const m of pool.idle) {
    if (seen.has(m.setting)) continue;
    seen.add(m.setting);
    rows.push({ setting: m.setting, ...(m.note ? { note: m.note } : {}) });
  }
  // A rewritten or unknowable value elsewhere in the pool is worth seeing even if it bounds no idle time.
  for (const s of [...pool.settings.values()].sort((a, b) => compareText(a.canonicalKey, b.canonicalKey))) {
    if (!seen.has(s) && (s.clamp || s.value.kind === 'unknown')) rows.push({ setting: s });
  }
  settingLines(out, 4, rows);
  out.line(4, `checkout validation: ${pool.validatesOnCheckout.value ? 'yes' : 'no'} (${pool.validatesOnCheckout.fact})`);
}

function hostSection(out: Out, pool: Pool, model: Model): void {
  const choice = hostFor(pool, model.hosts);
  const probes = driverKeepsAlive(pool) ? '' : '; the driver leaves SO_KEEPALIVE off by default, so these do not apply';
  if (!choice.host) {
    out.line(2, 'os keepalive: Linux defaults (no scanned sysctl tree applies)', true);
    out.line(4, `tcp_keepalive_time 2 h (Linux default${probes})`);
    return;
  }
  const why = choice.reason === 'nearest-ancestor' ? 'the nearest sysctl tree above the pool' : 'the only sysctl tree scanned';
  out.line(2, `os keepalive: ${choice.host.id}, ${why}${probes}`, true);
  const rows = HOST_KEYS.flatMap((k) => {
    const s = choice.host?.settings.get(k);
    return s ? [{ setting: s }] : [];
  });
  settingLines(out, 4, rows);
}

function networkSection(out: Out, model: Model): void {
  const net = model.network;
  if (!net.idleTimeout) {
    out.line(2, 'network: no idle timeout declared', true);
    return;
  }
  out.line(2, 'network', true);
  settingLines(out, 4, [{ setting: net.idleTimeout }]);
  for (const { profile, span } of net.profiles) {
    out.line(
      4,
      `profile ${profile.id} at ${formatSpan(span)}: ${profile.device}, ${humanValue({ kind: 'duration', ms: profile.idleTimeoutMs })}, on expiry ${profile.expiry}`,
    );
  }
}

function serverSection(out: Out, server: Server, notes: Map<string, string[]>): void {
  const version = server.version ? ` ${server.version}` : '';
  out.line(2, `server ${server.id} (${engineName(server.engine)}${version}, ${server.source}): ${maskText(server.engineReason)}`, true);
  if (server.files.length > 1) out.line(4, `files: ${server.files.join(' -> ')}`);
  const rows = SERVER_IDLE_KEYS.flatMap((k) => {
    const s = server.settings.get(k);
    return s ? [{ setting: s }] : [];
  });
  for (const s of [...server.settings.values()].sort((a, b) => compareText(a.canonicalKey, b.canonicalKey))) {
    if (!SERVER_IDLE_KEYS.includes(s.canonicalKey) && (s.clamp || s.value.kind === 'unknown')) rows.push({ setting: s });
  }
  if (rows.length === 0) out.line(4, 'no idle limit known');
  settingLines(out, 4, rows);
  for (const n of server.root !== null ? (notes.get(server.root) ?? []) : []) out.line(4, `note: ${maskText(n)}`);
}

function linkBlock(out: Out, link: Link, input: InspectInput): void {
  const via = link.via.map((p) => ` -> ${p}`).join('');
  out.line(
    0,
    `${poolTitle(link.pool)}${via} -> server ${serverName(link.server)} (${engineName(link.server.engine)}, ${link.reason})`,
    true,
  );
  out.line(2, `link: ${maskText(link.note)}`);
  poolSection(out, link.pool);
  hostSection(out, link.pool, input.model);
  networkSection(out, input.model);
  serverSection(out, link.server, input.notes);
  out.line(2, 'idle timeline', true);
  const { markers, unknown } = timelineMarkers(link, input.model);
  for (const l of drawTimeline(markers, { color: out.color, width: Math.max(10, out.width - 4) })) out.lines.push(`    ${l}`.trimEnd());
  if (unknown.length > 0) out.line(4, `not on the timeline (value unknown): ${unknown.join('; ')}`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function briefSetting(s: Setting | undefined): string {
  return s ? `${s.canonicalKey} ${shownValue(s)} (${settingStatus(s)})` : '';
}

export function inspectText(input: InspectInput, options: { color: boolean; width: number }): string {
  const { model } = input;
  const out = new Out(Math.max(1, Math.floor(options.width)), options.color);
  const links = sortedLinks(model);
  const servers = inspectedServers(model);
  out.line(
    0,
    `connlint inspect: ${plural(links.length, 'link')}, ${plural(servers.length, 'server')}, ${plural(model.pools.length, 'pool')}, ${plural(model.hosts.length, 'host')}`,
    true,
  );
  if (input.configPath) out.line(0, `config: ${input.configPath}`);
  for (const link of links) {
    out.blank();
    linkBlock(out, link, input);
  }

  const linkedServers = new Set(links.map((l) => l.server.id));
  const linkedPools = new Set(links.map((l) => l.pool.id));
  const usedHosts = new Set(links.flatMap((l) => hostFor(l.pool, model.hosts).host?.id ?? []));
  const loneServers = servers.filter((s) => !linkedServers.has(s.id));
  const loneHosts = [...model.hosts].sort((a, b) => compareText(a.id, b.id)).filter((h) => !usedHosts.has(h.id));
  const lonePools = [...model.pools].sort((a, b) => compareText(a.id, b.id)).filter((p) => !linkedPools.has(p.id));
  if (loneServers.length + loneHosts.length + lonePools.length > 0 || links.length === 0) {
    out.blank();
    out.line(0, 'not on any link', true);
    for (const s of loneServers) {
      const limit = briefSetting(serverIdleLimit(s));
      out.line(2, `server ${s.id} (${engineName(s.engine)}, ${plural(s.files.length, 'file')})${limit ? `: ${limit}` : ''}`);
    }
    for (const h of loneHosts) {
      const time = briefSetting(h.settings.get(KEEPALIVE_TIME));
      out.line(2, `host ${h.id} (${plural(h.files.length, 'file')})${time ? `: ${time}` : ''}`);
    }
    for (const p of lonePools) {
      const why = p.engine ? `no ${engineName(p.engine)} server is linked` : 'engine unknown, so no server is linked';
      out.line(2, `${poolTitle(p)}: ${why}`);
    }
    if (links.length === 0) {
      const net = model.network.idleTimeout;
      out.line(2, net ? `network: ${briefSetting(net)}` : 'network: no idle timeout declared');
    }
  }
  return `${out.lines.join('\n')}\n`;
}
