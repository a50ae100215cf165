import { type IdlePath, type PathElement, type Place, serverIdleLimit } from '../model/idle-path.js';
import { ENGINE_NAMES, type Engine, type Link, type Model, type NetworkElement, type Pool, type Server } from '../model/model.js';
import { originSpan, type Setting, settingSpan } from '../model/setting.js';
import { compareText } from '../model/sort-order.js';
import { formatDuration } from '../model/duration.js';
import { formatSpan } from '../model/span.js';
import { humanValue, whereFrom } from '../model/values.js';
import { defaultSource, type InspectInput, inspectedServers, maskSetting, maskText } from './inspect-json.js';
import { printable } from '../report/terminal-text.js';
import { drawTimeline, type TimelineMarker, wrapText } from './timeline.js';

/**
 * `connlint inspect` (text): one block per pool -> server link with the settings that decide how long
 * an idle pooled connection lives, where each came from, and the idle timeline; then whatever no link
 * mentions. Everything about the idle path (host choice, keepalive, network, server limit, timeline) is
 * read from the model's idle path, the one the rules read. Plain ASCII; colour only adds SGR codes, so
 * stripping them gives the colourless output.
 */

const BOLD = ['\u001b[1m', '\u001b[22m'] as const;

/** Server variables that end or bound an idle connection (knowledge README, section 1; mysql-server.md). */
const SERVER_IDLE_KEYS = [
  'wait_timeout',
  'interactive_timeout',
  'idle_transaction_timeout',
  'idle_readonly_transaction_timeout',
  'idle_write_transaction_timeout',
];
const KEEPALIVE_TIME = 'net.ipv4.tcp_keepalive_time';
const HOST_KEYS = [KEEPALIVE_TIME, 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];

function allElements(path: IdlePath): PathElement[] {
  return [...path.elements, ...path.inactive];
}

const MARKER_KIND: Record<Place, TimelineMarker['kind']> = {
  pool: 'pool',
  os: 'keepalive',
  network: 'network',
  proxy: 'network',
  server: 'server',
};

/** One path element as a timeline marker: its label, time and role exactly as the idle path has them. */
function marker(e: PathElement): TimelineMarker {
  const refreshes = e.refreshesServer || e.refreshesNetwork;
  // A pool ping that is no real query only moves packets: like a kernel probe, it keeps the network's timers fresh.
  const kind = e.place === 'pool' && refreshes && !e.refreshesServer ? 'keepalive' : MARKER_KIND[e.place];
  // The kernel keepalive of a driver that leaves SO_KEEPALIVE off does nothing; it is drawn where it
  // would be, as `.`, so the reader sees why it is no rescue.
  const ms = e.ms ?? (e.place === 'os' && e.setting.value.kind === 'duration' ? e.setting.value.ms : undefined);
  return {
    label: maskSetting(e.setting, e.label),
    ms,
    kind,
    refreshes,
    ...(e.element ? { device: e.element.device } : {}),
    ...(e.expiry ? { expiry: e.expiry } : {}),
  };
}

/**
 * Timeline markers of one idle path — exactly the elements the rules read, in the path's order — and
 * the elements left off it because their value is unknown.
 */
export function timelineMarkers(path: IdlePath): { markers: TimelineMarker[]; unknown: string[] } {
  const markers: TimelineMarker[] = [];
  const unknown: string[] = [];
  for (const e of allElements(path)) {
    if (e.setting.value.kind === 'unknown') unknown.push(`${e.setting.canonicalKey} (${maskSetting(e.setting, e.setting.value.reason)})`);
    else markers.push(marker(e));
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
  return engine ? (ENGINE_NAMES[engine as Engine] ?? engine) : 'engine unknown';
}

function poolTitle(pool: Pool): string {
  const library = `${pool.libraryName}${pool.libraryVersion ? ` ${pool.libraryVersion.version}` : ''}`;
  const env = pool.environment ? `, environment ${pool.environment}` : '';
  return `pool ${maskText(pool.name)} (${library}${env}, ${formatSpan(pool.origin)})`;
}

function poolSection(out: Out, path: IdlePath): void {
  const { pool } = path;
  out.line(2, 'pool settings', true);
  const rows: Array<{ setting: Setting; note?: string }> = [];
  const seen = new Set<Setting>();
  for (const e of allElements(path).filter((x) => x.place === 'pool')) {
    if (seen.has(e.setting)) continue;
    seen.add(e.setting);
    rows.push({ setting: e.setting, ...(e.note ? { note: e.note } : {}) });
  }
  // A rewritten or unknowable value elsewhere in the pool is worth seeing even if it bounds no idle time.
  for (const s of [...pool.settings.values()].sort((a, b) => compareText(a.canonicalKey, b.canonicalKey))) {
    if (!seen.has(s) && (s.clamp || s.value.kind === 'unknown')) rows.push({ setting: s });
  }
  settingLines(out, 4, rows);
  out.line(4, `checkout validation: ${pool.validatesOnCheckout.value ? 'yes' : 'no'} (${pool.validatesOnCheckout.fact})`);
}

/** The kernel keepalive of the pool's host, as the path chose it, and whether the pool's driver lets it act. */
function hostSection(out: Out, path: IdlePath): void {
  const choice = path.host;
  const os = allElements(path).find((e) => e.place === 'os');
  if (choice.host) {
    const why =
      choice.reason === 'container'
        ? `the container of service ${choice.host.container?.service} (${choice.host.container?.file}): its own network namespace, so the host's sysctl files do not reach it`
        : choice.reason === 'nearest-ancestor'
          ? 'the nearest sysctl tree above the pool'
          : 'the only sysctl tree scanned';
    out.line(2, `os keepalive: ${choice.host.id}, ${why}`, true);
  } else {
    out.line(2, 'os keepalive: Linux defaults (no scanned sysctl tree applies)', true);
  }
  const driver = path.pool.tcpKeepalive;
  if (!driver) out.line(4, 'driver: not known, so whether it turns TCP keepalive on is not known; these settings are not counted');
  else if (os?.effect === 'probes') out.line(4, `driver: ${driver.fact}`);
  else out.line(4, `driver: ${driver.fact}, so these settings do not apply`);
  const rows = choice.host
    ? HOST_KEYS.flatMap((k) => {
        const s = choice.host?.settings.get(k);
        return s ? [{ setting: s }] : [];
      })
    : os
      ? [{ setting: os.setting }]
      : [];
  settingLines(out, 4, rows);
}

/** `profile aws-nat-gateway at connlint.config.yaml:3: AWS NAT gateway, 350 s, on expiry rst-next`. */
function networkLine(n: NetworkElement): string {
  const at = originSpan(n.idleTimeout.origin);
  const timeout = n.idleTimeout.value.kind === 'duration' ? humanValue(n.idleTimeout.value) : 'unknown';
  const name = n.name === 'network' ? 'idle timeout' : `profile ${n.name}`;
  const device = n.name === 'network' ? '' : `${n.device}, `;
  return `${name}${at ? ` at ${formatSpan(at)}` : ''}: ${device}${timeout}, on expiry ${n.expiry}`;
}

/** The network elements on the path in declaration order, the first to forget the flow marked. */
function networkSection(out: Out, model: Model, path: IdlePath): void {
  const onPath = new Set(allElements(path).flatMap((e) => (e.place === 'network' && e.element ? [e.element] : [])));
  const elements = model.network.elements.filter((n) => onPath.has(n));
  if (elements.length === 0) {
    out.line(2, 'network: no idle timeout declared', true);
    return;
  }
  const first = new Set(path.verdict.networkFirst.map((e) => e.element));
  out.line(2, 'network', true);
  for (const n of elements) out.line(4, `${networkLine(n)}${first.has(n) ? ' (fires first)' : ''}`);
  const expiries = new Set(path.verdict.networkFirst.map((e) => e.expiry));
  if (path.verdict.networkFirst.length > 1) {
    out.line(
      4,
      expiries.size > 1
        ? `${path.verdict.networkFirst.length} devices fire at the same time and expire differently; which one forgets the flow first is not known`
        : `${path.verdict.networkFirst.length} devices fire at the same time`,
    );
  }
}

function serverSection(out: Out, server: Server): void {
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
  for (const n of server.notes) out.line(4, `note: ${maskText(n)}`);
}

function linkBlock(out: Out, path: IdlePath & { link: Link }, model: Model): void {
  const { link } = path;
  const via = link.via.map((p) => ` -> ${p}`).join('');
  out.line(
    0,
    `${poolTitle(link.pool)}${via} -> server ${link.server.root ?? link.server.id} (${engineName(link.server.engine)}, ${link.reason})`,
    true,
  );
  out.line(2, `link: ${maskText(link.note)}`);
  poolSection(out, path);
  hostSection(out, path);
  networkSection(out, model, path);
  serverSection(out, link.server);
  out.line(2, 'idle timeline', true);
  const { markers, unknown } = timelineMarkers(path);
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
  const linked = model.paths.filter((p): p is IdlePath & { link: Link } => p.link !== undefined);
  const servers = inspectedServers(model);
  out.line(
    0,
    `connlint inspect: ${plural(linked.length, 'link')}, ${plural(servers.length, 'server')}, ${plural(model.pools.length, 'pool')}, ${plural(model.hosts.length, 'host')}`,
    true,
  );
  if (input.configPath) out.line(0, `config: ${input.configPath}`);
  for (const path of linked) {
    out.blank();
    linkBlock(out, path, model);
  }

  const linkedServers = new Set(linked.map((p) => p.link.server.id));
  const linkedPools = new Set(linked.map((p) => p.pool.id));
  const usedHosts = new Set(linked.flatMap((p) => p.host.host?.id ?? []));
  const loneServers = servers.filter((s) => !linkedServers.has(s.id));
  const loneHosts = [...model.hosts].sort((a, b) => compareText(a.id, b.id)).filter((h) => !usedHosts.has(h.id));
  const lonePools = [...model.pools].sort((a, b) => compareText(a.id, b.id)).filter((p) => !linkedPools.has(p.id));
  if (loneServers.length + loneHosts.length + lonePools.length > 0 || linked.length === 0) {
    out.blank();
    out.line(0, 'not on any link', true);
    for (const s of loneServers) {
      const limit = briefSetting(serverIdleLimit(s));
      out.line(2, `server ${s.id} (${engineName(s.engine)}, ${plural(s.files.length, 'file')})${limit ? `: ${limit}` : ''}`);
      // Why MySQL or MariaDB: which group or option showed it, or that MySQL is assumed.
      if (s.engineReason) out.line(4, `${engineName(s.engine)}: ${maskText(s.engineReason)}`);
    }
    for (const h of loneHosts) {
      const time = briefSetting(h.settings.get(KEEPALIVE_TIME));
      out.line(2, `host ${h.id} (${plural(h.files.length, 'file')})${time ? `: ${time}` : ''}`);
    }
    for (const p of lonePools) {
      const why = p.engine ? `no ${engineName(p.engine)} server is linked` : 'engine unknown, so no server is linked';
      out.line(2, `${poolTitle(p)}: ${why}`);
    }
    if (linked.length === 0) {
      if (model.network.elements.length === 0) out.line(2, 'network: no idle timeout declared');
      for (const n of model.network.elements) out.line(2, `network: ${networkLine(n)}`);
    }
  }
  // Processes that hold pool connections outside the pools' checks (long-running-process-holds-idle-connection).
  if (model.holders.length > 0) {
    out.blank();
    out.line(0, 'processes that hold connections', true);
    for (const h of [...model.holders].sort((a, b) => compareText(a.id, b.id))) {
      const wait = h.wait
        ? `waits ${h.wait.ms !== undefined ? formatDuration(h.wait.ms) : 'an unknown time'} (${maskText(h.wait.text)}, ${formatSpan(h.wait.span)})`
        : 'no wait found in its loop';
      const renew = h.refresh ? `renews its connection: ${h.refresh.what} at ${formatSpan(h.refresh.span)}` : 'never renews its connection';
      out.line(2, `${h.name} (loop at ${formatSpan(h.loop)}): ${wait}; ${renew}`);
      out.line(4, `holds: ${h.pools.length > 0 ? h.pools.join(', ') : 'no pool of the tree'}`);
    }
  }
  // Command-line clients the option files configure ([client], [mysql] ...): every option they read, as written.
  if (model.clients.length > 0) {
    out.blank();
    out.line(0, 'option-file clients', true);
    for (const c of [...model.clients].sort((a, b) => compareText(a.id, b.id))) {
      const groups = c.groups.map((g) => `[${g}]`).join(' ');
      out.line(2, `client ${c.id} (${c.program}, reads ${groups}${c.serverId ? `; server ${c.serverId}` : ''})`);
      if (c.files.length > 1) out.line(4, `files: ${c.files.join(' -> ')}`);
      const rows = [...c.settings.values()].sort((a, b) => compareText(a.canonicalKey, b.canonicalKey)).map((setting) => ({ setting }));
      if (rows.length === 0) out.line(4, 'no options in those groups');
      settingLines(out, 4, rows);
    }
  }
  // Files a format knows by name but that no program reads (openssl.cnf, a modprobe.d file, a template),
  // and paths that could not be read: nothing is left out in silence.
  const notRead = model.files.filter((f) => f.kind === null);
  const uncertain = model.files.filter((f) => f.kind !== null && f.owner === 'uncertain');
  if (notRead.length + uncertain.length > 0) {
    out.blank();
    out.line(0, 'files not read, or read with doubt', true);
    for (const f of notRead) out.line(2, `${f.path}: ${f.skipped ? `${f.skipped.ruleId}: ` : 'not read: '}${maskText(f.reason)}`);
    for (const f of uncertain) out.line(2, `${f.path}: read as ${f.kind}, ${maskText(f.reason)}; its findings are notes at most`);
  }
  return `${out.lines.join('\n')}\n`;
}
