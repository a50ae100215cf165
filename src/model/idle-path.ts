import { formatDuration } from './duration.js';
import type { DriverKeepalive, Expiry, Host, IdleMechanism, Link, NetworkElement, Pool, Server } from './model.js';
import type { Setting } from './setting.js';
import { compareText } from './sort-order.js';

/**
 * One pooled connection's idle life, end to end: what keeps it alive or retires it (the pool, the
 * driver's TCP keepalive on the pool's own host) and what kills it (each middlebox on the network,
 * the server's idle limit), ordered by when each acts. Rules and `inspect` (text, JSON, timeline) read
 * these paths and nothing else, so what `inspect` shows is what the rules used.
 */

/** Where on the path an element sits. */
export type Place = 'pool' | 'os' | 'network' | 'proxy' | 'server';
/**
 * What it does to an idle connection when its time comes: `retires` (the pool closes it), `pings`
 * (the pool sends a query), `probes` (a TCP keepalive packet: refreshes the network's timers only),
 * `drops` (a middlebox forgets the flow), `closes` (the server ends the session), `none` (disabled or
 * not applying, kept so `inspect` can say why).
 */
export type Effect = 'retires' | 'pings' | 'probes' | 'drops' | 'closes' | 'none';

export interface PathElement {
  place: Place;
  effect: Effect;
  /** Short label for timelines: `maxLifetime 30 min`, `aws-nat-gateway idle timeout 5 min 50 s`. */
  label: string;
  /** The setting that decides when it acts (written, defaulted or declared), with its origin. */
  setting: Setting;
  /** When it acts, idle time in milliseconds; undefined when it never acts or its value is unknown. */
  ms: number | undefined;
  /** Why it does not act, or how its time was derived, in words for messages. */
  note?: string;
  /** Resets the server's idle timer (a real query). */
  refreshesServer: boolean;
  /** Resets the network's idle timers (any packet: a query or a keepalive probe). */
  refreshesNetwork: boolean;
  /** For `drops`: what the middlebox does when its timer fires. */
  expiry?: Expiry;
  /** The pool mechanism or network element this stands for. */
  mechanism?: IdleMechanism;
  element?: NetworkElement;
}

/** The sysctl tree whose keepalive applies to the pool's process, and why that one. */
export interface HostChoice {
  host?: Host;
  /** `container`: the pool's application runs in a container with its own network namespace (its sysctls, or Linux's defaults). */
  reason: 'container' | 'nearest-ancestor' | 'only-host' | 'linux-default';
}

export interface IdlePath {
  pool: Pool;
  /** The pool's server link; undefined when the pool's engine is unknown. */
  link?: Link;
  host: HostChoice;
  /** Every element with a known time, by time (ties: keepers before killers, then by label). */
  elements: PathElement[];
  /** Elements whose time is unknown (an environment placeholder, a version-dependent default) or that never act. */
  inactive: PathElement[];
  verdict: PathVerdict;
}

export interface PathVerdict {
  /** The pool mechanism with the smallest time that retires a connection or pings the server with a query (what bounds idle time against the server), if any. */
  poolBound?: PathElement;
  /** The server's idle limit on this path, if known. */
  serverLimit?: PathElement;
  /** The first network middlebox(es) to forget the flow: all elements that fire at the smallest network time. */
  networkFirst: PathElement[];
  /** The OS keepalive element, when the driver switches keepalive on. */
  keepalive?: PathElement;
  /** The first killers: the network or server elements that fire first among those nothing acts before (no retirement, no packet that resets their timer); empty when the connection is always kept or retired in time. */
  killers: PathElement[];
}

const LINUX_KEEPALIVE_TIME = 'net.ipv4.tcp_keepalive_time';

function parentDirs(path: string): string[] {
  const parts = path.split('/');
  parts.pop();
  const dirs = ['.'];
  for (let i = 1; i <= parts.length; i++) dirs.push(parts.slice(0, i).join('/'));
  return dirs;
}

/**
 * The sysctl tree that applies to a pool's process: the one whose directory is the nearest ancestor of
 * the pool's file (a Compose service's container when the pool's application is built from that
 * folder); else the only machine tree scanned; else none (Linux's own defaults). `byRoot` indexes hosts.
 */
export function chooseHost(pool: Pool, hosts: readonly Host[], byRoot: ReadonlyMap<string, Host>): HostChoice {
  const dirs = parentDirs(pool.origin.path);
  for (let i = dirs.length - 1; i >= 0; i--) {
    const host = byRoot.get(dirs[i] as string);
    if (host) return { host, reason: host.container ? 'container' : 'nearest-ancestor' };
  }
  // A container's namespace is its own: it never stands in for another application's host.
  const machines = hosts.filter((h) => !h.container);
  const only = machines.length === 1 ? machines[0] : undefined;
  return only ? { host: only, reason: 'only-host' } : { reason: 'linux-default' };
}

/** The idle limit a MySQL-family server applies to a pooled connection: its global `wait_timeout` (mysql-server.md). */
export function serverIdleLimit(server: Server): Setting | undefined {
  if (server.family !== 'mysql') return undefined;
  const s = server.settings.get('wait_timeout');
  return s?.value.kind === 'duration' ? s : undefined;
}

function durationOf(setting: Setting): number | undefined {
  return setting.value.kind === 'duration' ? setting.value.ms : undefined;
}

function poolElement(m: IdleMechanism): PathElement {
  const ping = m.kind === 'keepalive';
  const ms = m.boundMs;
  const off = m.setting.value.kind === 'duration' && m.setting.value.ms === 0;
  const shown = ms !== undefined ? formatDuration(ms) : off ? 'off' : m.setting.value.kind === 'unknown' ? 'unknown' : 'never';
  return {
    place: 'pool',
    effect: ms === undefined ? 'none' : ping ? 'pings' : 'retires',
    label: `${m.setting.canonicalKey} ${shown}`,
    setting: m.setting,
    ms,
    ...(m.note ? { note: m.note } : {}),
    refreshesServer: ping && ms !== undefined && m.refreshesServer,
    refreshesNetwork: ping && ms !== undefined,
    mechanism: m,
  };
}

/** The OS keepalive of the pool's host (or Linux's default), effective only when the driver turns SO_KEEPALIVE on. */
function osElement(host: HostChoice, driver: DriverKeepalive | undefined, linuxDefault: Setting): PathElement {
  const setting = host.host?.settings.get(LINUX_KEEPALIVE_TIME) ?? linuxDefault;
  const ms = durationOf(setting);
  const on = driver?.value === true;
  const notes: string[] = [];
  if (setting.origin.kind === 'os-default') notes.push('Linux default');
  if (!driver) notes.push('the driver is not known, so whether it enables TCP keepalive is not known');
  else if (!on) notes.push(`${driver.driver} leaves TCP keepalive off (${driver.fact})`);
  return {
    place: 'os',
    effect: on && ms !== undefined ? 'probes' : 'none',
    label: `tcp_keepalive_time ${ms !== undefined ? formatDuration(ms) : 'unknown'}${setting.origin.kind === 'os-default' && on ? ' (Linux default)' : ''}${on ? '' : driver ? ' (off in the driver)' : ' (driver unknown)'}`,
    setting,
    ms: on ? ms : undefined,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    refreshesServer: false,
    refreshesNetwork: on && ms !== undefined,
  };
}

function networkElement(e: NetworkElement): PathElement {
  const ms = durationOf(e.idleTimeout);
  return {
    place: 'network',
    effect: ms !== undefined ? 'drops' : 'none',
    label: `${e.name} idle timeout ${ms !== undefined ? formatDuration(ms) : 'unknown'}`,
    setting: e.idleTimeout,
    ms,
    refreshesServer: false,
    refreshesNetwork: false,
    expiry: e.expiry,
    element: e,
  };
}

/**
 * The server's idle limit for this pool's connections: a session `wait_timeout` the pool sets on each
 * connection (`SET SESSION wait_timeout` in an init command, under `session.wait_timeout`) replaces the
 * server's global value for them (knowledge README, section 1); else the global one.
 */
function serverElement(server: Server, pool: Pool): PathElement | undefined {
  if (server.family !== 'mysql') return undefined;
  const session = pool.settings.get('session.wait_timeout');
  const s = session ?? server.settings.get('wait_timeout');
  if (!s) return undefined;
  const ms = durationOf(s);
  return {
    place: 'server',
    effect: ms !== undefined ? 'closes' : 'none',
    label: `${session ? 'session wait_timeout' : 'wait_timeout'} ${ms !== undefined ? formatDuration(ms) : 'unknown'}`,
    setting: s,
    ms,
    ...(s.value.kind === 'unknown' ? { note: s.value.reason } : {}),
    refreshesServer: false,
    refreshesNetwork: false,
  };
}

const KEEPER: Record<Effect, number> = { retires: 0, pings: 0, probes: 0, drops: 1, closes: 1, none: 2 };

function byTime(a: PathElement, b: PathElement): number {
  return (a.ms ?? 0) - (b.ms ?? 0) || KEEPER[a.effect] - KEEPER[b.effect] || compareText(a.label, b.label);
}

/**
 * Whether something acts on the idle connection before this killer fires: the pool retires it, or a
 * packet resets the killer's timer (any packet for a middlebox; only a real query for the server).
 */
function rescued(killer: PathElement, elements: readonly PathElement[]): boolean {
  const at = killer.ms ?? Number.POSITIVE_INFINITY;
  return elements.some(
    (e) =>
      e.ms !== undefined && e.ms < at && (e.effect === 'retires' || (killer.place === 'server' ? e.refreshesServer : e.refreshesNetwork)),
  );
}

/** All elements of `list` that act at the smallest time. */
function firstAt(list: PathElement[]): PathElement[] {
  const min = Math.min(...list.map((e) => e.ms ?? Number.POSITIVE_INFINITY));
  return Number.isFinite(min) ? list.filter((e) => e.ms === min) : [];
}

/** The network elements that forget an idle flow first (every one at the smallest timeout: they may expire differently). */
export function firstNetworkElements(elements: readonly NetworkElement[]): PathElement[] {
  return firstAt(elements.map(networkElement).filter((e) => e.ms !== undefined));
}

/** One idle path per pool, in the order of `pools`. Linear in pools + hosts + network elements per pool. */
export function idlePaths(input: {
  pools: readonly Pool[];
  links: readonly Link[];
  hosts: readonly Host[];
  network: readonly NetworkElement[];
  linuxDefault: Setting;
}): IdlePath[] {
  const linkOf = new Map(input.links.map((l) => [l.pool.id, l]));
  // A container's namespace and a sysctl tree can share a folder (`build: .`): the container is where the pool runs.
  const byRoot = new Map<string, Host>();
  for (const h of input.hosts) {
    const held = byRoot.get(h.root);
    if (!held || (h.container && !held.container)) byRoot.set(h.root, h);
  }
  const network = input.network.map(networkElement);
  return input.pools.map((pool) => {
    const link = linkOf.get(pool.id);
    const host = chooseHost(pool, input.hosts, byRoot);
    const all: PathElement[] = [...pool.idle.map(poolElement), osElement(host, pool.tcpKeepalive, input.linuxDefault), ...network];
    const server = link ? serverElement(link.server, pool) : undefined;
    if (server) all.push(server);
    const elements = all.filter((e) => e.ms !== undefined && e.effect !== 'none').sort(byTime);
    const inactive = all.filter((e) => !(e.ms !== undefined && e.effect !== 'none'));
    // What bounds idle time against the server: a retirement, or a ping that is a real query. A driver's TCP
    // keepalive probe keeps a middlebox's timer alive but not the server's (mysql2 enableKeepAlive).
    const poolBound = firstAt(elements.filter((e) => e.place === 'pool' && (e.effect === 'retires' || e.refreshesServer)))[0];
    const serverLimit = elements.find((e) => e.place === 'server');
    const networkFirst = firstAt(elements.filter((e) => e.place === 'network'));
    const keepalive = elements.find((e) => e.place === 'os');
    const killers = firstAt(elements.filter((e) => (e.effect === 'drops' || e.effect === 'closes') && !rescued(e, elements)));
    return {
      pool,
      ...(link ? { link } : {}),
      host,
      elements,
      inactive,
      verdict: {
        ...(poolBound ? { poolBound } : {}),
        ...(serverLimit ? { serverLimit } : {}),
        networkFirst,
        ...(keepalive ? { keepalive } : {}),
        killers,
      },
    };
  });
}
