import { canonicalOptionName } from '../interpreters/mysql/variables.js';
import type { Effect, IdlePath, PathElement, Place } from '../model/idle-path.js';
import {
  type ConnectionHolder,
  ENGINE_NAMES,
  type Engine,
  type Expiry,
  type Host,
  type IdleMechanism,
  type Link,
  type Model,
  type NetworkElement,
  type OptionFileClient,
  type Owner,
  type Pool,
  type ScannedFile,
  type Server,
  type SkipRuleId,
} from '../model/model.js';
import { isSecretKey, MASK, maskSecrets } from '../model/secrets.js';
import { type Origin, originSpan, type Setting, type Value } from '../model/setting.js';
import { compareText } from '../model/sort-order.js';
import type { Span } from '../model/span.js';

/**
 * `connlint inspect --format json`: the effective model as plain data. The shape is documented in
 * docs/inspect.md and checked by schema/inspect.schema.json; every object is built key by key and every
 * array sorted, so two runs over the same files give byte-identical output. The idle reasoning is the
 * model's own (`model.paths`, what the rules read), copied out, never worked out again here.
 */

export interface InspectInput {
  model: Model;
  /** The connlint config that was read, if any (shown by the text view). */
  configPath?: string;
}

export interface JsonOrigin {
  path: string;
  line: number;
  column: number;
}

export type JsonUnit = 'ms' | 'bytes' | 'bool' | 'count' | null;
export type JsonSource = 'file' | 'default' | 'clamped' | 'environment-default' | 'unknown';
export type JsonValue = number | boolean | string | null;

export interface JsonFile {
  path: string;
  read: boolean;
  format: string | null;
  owner: Owner;
  reason: string;
  skipped: { ruleId: SkipRuleId; message: string } | null;
}

export interface JsonSetting {
  key: string;
  written: string | null;
  loose: boolean;
  raw: string | null;
  text: string | null;
  value: JsonValue;
  unit: JsonUnit;
  source: JsonSource;
  origin: JsonOrigin | null;
  default?: string;
  group?: string;
  overrides: JsonOrigin[];
  clamp?: { written: JsonValue; unit: JsonUnit; reason: string; fact: string };
  unknown?: string;
}

export interface JsonServer {
  id: string;
  engine: string;
  engineReason: string;
  version: string | null;
  source: Server['source'];
  root: string | null;
  files: string[];
  groups: string[];
  settings: JsonSetting[];
  notes: string[];
  hostnames: string[];
}

export interface JsonClient {
  id: string;
  program: string;
  root: string;
  files: string[];
  groups: string[];
  settings: JsonSetting[];
  serverId: string | null;
}

export interface JsonIdleMechanism {
  kind: IdleMechanism['kind'];
  key: string;
  boundMs: number | null;
  slackMs: number | null;
  sparedBy: string | null;
  refreshesServer: boolean;
  note: string | null;
}

export interface JsonPool {
  id: string;
  library: Pool['library'];
  libraryVersion: { version: string; origin: JsonOrigin } | null;
  name: string;
  engine: string | null;
  engineReason: string | null;
  serverUncertain: string | null;
  environment: string | null;
  environmentNote: string | null;
  host: string | null;
  origin: JsonOrigin;
  validatesOnCheckout: { value: boolean; fact: string; sufficient: string | null; noticesServerClose: string | null };
  idle: JsonIdleMechanism[];
  settings: JsonSetting[];
}

export interface JsonHost {
  id: string;
  root: string;
  files: string[];
  settings: JsonSetting[];
  container: { service: string; file: string } | null;
}

export interface JsonNetworkElement {
  id: string;
  name: string;
  device: string;
  idleTimeoutMs: number | null;
  expiry: Expiry;
  fact: string;
  origin: JsonOrigin | null;
}

export interface JsonNetwork {
  elements: JsonNetworkElement[];
}

export interface JsonLink {
  pool: string;
  server: string;
  via: string[];
  reason: Link['reason'];
  note: string;
}

export interface JsonPathElement {
  place: Place;
  effect: Effect;
  label: string;
  /** Whose setting decides it: the pool, host, network element or server id; null for Linux's default keepalive. */
  of: string | null;
  key: string;
  ms: number | null;
  origin: JsonOrigin | null;
  expiry: Expiry | null;
  refreshesServer: boolean;
  refreshesNetwork: boolean;
  note: string | null;
}

/** Indexes into the path's `elements`. */
export interface JsonVerdict {
  poolBound: number | null;
  serverLimit: number | null;
  networkFirst: number[];
  keepalive: number | null;
  killers: number[];
}

export interface JsonPath {
  pool: string;
  server: string | null;
  host: { id: string | null; reason: IdlePath['host']['reason'] };
  elements: JsonPathElement[];
  inactive: JsonPathElement[];
  verdict: JsonVerdict;
}

export interface JsonHolder {
  id: string;
  name: string;
  loop: JsonOrigin;
  wait: { text: string; ms: number | null; origin: JsonOrigin } | null;
  refresh: { what: string; origin: JsonOrigin } | null;
  pools: string[];
  fact: string;
}

export interface InspectDocument {
  version: 2;
  files: JsonFile[];
  servers: JsonServer[];
  clients: JsonClient[];
  pools: JsonPool[];
  holders: JsonHolder[];
  hosts: JsonHost[];
  network: JsonNetwork;
  links: JsonLink[];
  paths: JsonPath[];
}

function jsonHolder(h: ConnectionHolder): JsonHolder {
  return {
    id: h.id,
    name: h.name,
    loop: origin(h.loop),
    wait: h.wait ? { text: maskText(h.wait.text), ms: h.wait.ms ?? null, origin: origin(h.wait.span) } : null,
    refresh: h.refresh ? { what: h.refresh.what, origin: origin(h.refresh.span) } : null,
    pools: [...h.pools].sort(compareText),
    fact: h.fact,
  };
}

function origin(span: Span): JsonOrigin {
  return { path: span.path, line: span.line, column: span.column };
}

function originOf(o: Origin): JsonOrigin | null {
  const at = originSpan(o);
  return at ? origin(at) : null;
}

/** `password = hunter2`, `api_key: abc` inside free text (a quoted first line of a file, say). */
const SECRET_ASSIGNMENT =
  /([A-Za-z0-9_.-]*(?:pass(?:word|wd|phrase)?|secret|token|credential|api[-_.]?key|private[-_.]?key))(\s*[=:]\s*)("[^"]*"?|'[^']*'?|[^\s,;)]+)/gi;

/**
 * Free text that may quote a value (reasons, notes, a file's first line): passwords inside URLs and the
 * value of any `<secret key> = value` it quotes are masked, whatever the surrounding words.
 */
export function maskText(text: string): string {
  return maskSecrets('text', text).replace(SECRET_ASSIGNMENT, (whole, key: string, sep: string) =>
    isSecretKey(key) ? `${key}${sep}${MASK}` : whole,
  );
}

/** A setting's string as it may be shown: masked under the key as written and under its canonical key. */
export function maskSetting(setting: Setting, text: string): string {
  return maskText(maskSecrets(setting.canonicalKey, maskSecrets(setting.key, text)));
}

function jsonValue(value: Value, mask: (text: string) => string): { value: JsonValue; unit: JsonUnit } {
  switch (value.kind) {
    case 'duration':
      return { value: value.ms, unit: 'ms' };
    case 'size':
      return { value: value.bytes, unit: 'bytes' };
    case 'bool':
      return { value: value.value, unit: 'bool' };
    case 'count':
      return { value: value.value, unit: 'count' };
    case 'string':
      return { value: mask(value.value), unit: null };
    case 'unknown':
      return { value: null, unit: null };
  }
}

/** `HikariCP 6.2.1 default`, `MySQL 8.0.36 default`, `Linux default`; null for written settings. */
export function defaultSource(o: Origin): string | null {
  switch (o.kind) {
    case 'library-default':
      return `${o.library}${o.version ? ` ${o.version}` : ''} default`;
    case 'server-default':
      return `${ENGINE_NAMES[o.engine as Engine] ?? o.engine}${o.version ? ` ${o.version}` : ''} default`;
    case 'os-default':
      return 'Linux default';
    case 'file':
    case 'config':
      return null;
  }
}

export function sourceOf(setting: Setting): JsonSource {
  if (setting.value.kind === 'unknown') return 'unknown';
  if (setting.clamp) return 'clamped';
  return originSpan(setting.origin) ? 'file' : 'default';
}

function jsonSetting(setting: Setting, isOptionFile: boolean): JsonSetting {
  const mask = (text: string) => maskSetting(setting, text);
  const o = setting.origin;
  const where = defaultSource(o);
  const { value, unit } = jsonValue(setting.value, mask);
  const clamp = setting.clamp ? jsonValue(setting.clamp.written, mask) : undefined;
  // Spreads keep the key order fixed: key, written ... overrides, clamp, unknown.
  return {
    key: setting.canonicalKey,
    written: where === null ? setting.key : null,
    // mysql-option-files.md: `loose-` only tells mysqld not to abort on an unknown option; the name is the rest.
    loose: isOptionFile && where === null && canonicalOptionName(setting.key).loose,
    raw: setting.raw === null ? null : mask(setting.raw),
    text: setting.text === null ? null : mask(setting.text),
    value,
    unit,
    source: sourceOf(setting),
    origin: originOf(o),
    ...(where !== null && o.kind !== 'file' && o.kind !== 'config' ? { default: `${where}; ${o.fact}` } : {}),
    ...(setting.group !== undefined ? { group: setting.group } : {}),
    overrides: setting.overrides.flatMap((earlier) => originOf(earlier) ?? []),
    ...(setting.clamp && clamp
      ? { clamp: { written: clamp.value, unit: clamp.unit, reason: mask(setting.clamp.reason), fact: setting.clamp.fact } }
      : {}),
    ...(setting.value.kind === 'unknown' ? { unknown: mask(setting.value.reason) } : {}),
  };
}

function jsonSettings(settings: Map<string, Setting>, isOptionFile: boolean): JsonSetting[] {
  return [...settings.values()]
    .map((s) => jsonSetting(s, isOptionFile))
    .sort((a, b) => compareText(a.key, b.key) || compareText(a.written ?? '', b.written ?? ''));
}

function jsonFile(file: ScannedFile): JsonFile {
  return {
    path: file.path,
    read: file.kind !== null,
    format: file.kind,
    owner: file.owner,
    reason: maskText(file.reason),
    skipped: file.skipped ? { ruleId: file.skipped.ruleId, message: maskText(file.skipped.message) } : null,
  };
}

function jsonServer(server: Server): JsonServer {
  return {
    id: server.id,
    engine: server.engine,
    engineReason: maskText(server.engineReason),
    version: server.version ?? null,
    source: server.source,
    root: server.root,
    files: [...server.files],
    groups: [...server.groups],
    settings: jsonSettings(server.settings, server.source === 'file'),
    notes: server.notes.map(maskText),
    hostnames: [...(server.hostnames ?? [])],
  };
}

function jsonClient(client: OptionFileClient): JsonClient {
  return {
    id: client.id,
    program: client.program,
    root: client.root,
    files: [...client.files],
    groups: [...client.groups],
    settings: jsonSettings(client.settings, true),
    serverId: client.serverId ?? null,
  };
}

const IDLE_ORDER: Record<IdleMechanism['kind'], number> = { 'max-lifetime': 0, 'idle-timeout': 1, keepalive: 2 };

function jsonPool(pool: Pool): JsonPool {
  return {
    id: pool.id,
    library: pool.library,
    libraryVersion: pool.libraryVersion ? { version: pool.libraryVersion.version, origin: origin(pool.libraryVersion.span) } : null,
    name: maskText(maskSecrets('poolName', pool.name)),
    engine: pool.engine ?? null,
    engineReason: pool.engineReason === undefined ? null : maskText(pool.engineReason),
    serverUncertain: pool.serverUncertain === undefined ? null : maskText(pool.serverUncertain),
    environment: pool.environment ?? null,
    environmentNote: pool.environmentNote === undefined ? null : maskText(pool.environmentNote),
    host: pool.host ?? null,
    origin: origin(pool.origin),
    validatesOnCheckout: {
      value: pool.validatesOnCheckout.value,
      fact: pool.validatesOnCheckout.fact,
      sufficient: pool.validatesOnCheckout.sufficient ?? null,
      noticesServerClose: pool.validatesOnCheckout.noticesServerClose ?? null,
    },
    idle: [...pool.idle]
      .sort((a, b) => IDLE_ORDER[a.kind] - IDLE_ORDER[b.kind] || compareText(a.setting.canonicalKey, b.setting.canonicalKey))
      .map((m) => ({
        kind: m.kind,
        key: m.setting.canonicalKey,
        boundMs: m.boundMs ?? null,
        slackMs: m.slackMs ?? null,
        sparedBy: m.sparedBy?.canonicalKey ?? null,
        refreshesServer: m.refreshesServer,
        note: m.note === undefined ? null : maskSetting(m.setting, m.note),
      })),
    settings: jsonSettings(pool.settings, false),
  };
}

function jsonHost(host: Host): JsonHost {
  return {
    id: host.id,
    root: host.root,
    files: [...host.files],
    settings: jsonSettings(host.settings, false),
    container: host.container ? { service: host.container.service, file: host.container.file } : null,
  };
}

function jsonNetworkElement(e: NetworkElement): JsonNetworkElement {
  return {
    id: e.id,
    name: e.name,
    device: e.device,
    idleTimeoutMs: e.idleTimeout.value.kind === 'duration' ? e.idleTimeout.value.ms : null,
    expiry: e.expiry,
    fact: e.fact,
    origin: originOf(e.idleTimeout.origin),
  };
}

/** Whose setting a path element is: the pool, the chosen host (null: Linux's default), the network element, the server. */
function ownerId(e: PathElement, path: IdlePath): string | null {
  switch (e.place) {
    case 'pool':
      return path.pool.id;
    case 'os':
      return path.host.host?.id ?? null;
    case 'server':
      return path.link?.server.id ?? null;
    case 'network':
    case 'proxy':
      return e.element?.id ?? null;
  }
}

function jsonPathElement(e: PathElement, path: IdlePath): JsonPathElement {
  return {
    place: e.place,
    effect: e.effect,
    label: maskSetting(e.setting, e.label),
    of: ownerId(e, path),
    key: e.setting.canonicalKey,
    ms: e.ms ?? null,
    origin: originOf(e.setting.origin),
    expiry: e.expiry ?? null,
    refreshesServer: e.refreshesServer,
    refreshesNetwork: e.refreshesNetwork,
    note: e.note === undefined ? null : maskSetting(e.setting, e.note),
  };
}

const PLACE_ORDER: Record<Place, number> = { pool: 0, os: 1, network: 2, proxy: 3, server: 4 };

function jsonPath(path: IdlePath): JsonPath {
  const index = (e: PathElement | undefined): number | null => {
    const i = e ? path.elements.indexOf(e) : -1;
    return i < 0 ? null : i;
  };
  const indexes = (list: PathElement[]): number[] => list.flatMap((e) => index(e) ?? []).sort((a, b) => a - b);
  const v = path.verdict;
  return {
    pool: path.pool.id,
    server: path.link?.server.id ?? null,
    host: { id: path.host.host?.id ?? null, reason: path.host.reason },
    // `elements` keeps the model's order, which is the meaning: by time, ties keepers first, then by label.
    elements: path.elements.map((e) => jsonPathElement(e, path)),
    inactive: [...path.inactive].sort((a, b) => PLACE_ORDER[a.place] - PLACE_ORDER[b.place]).map((e) => jsonPathElement(e, path)),
    verdict: {
      poolBound: index(v.poolBound),
      serverLimit: index(v.serverLimit),
      networkFirst: indexes(v.networkFirst),
      keepalive: index(v.keepalive),
      killers: indexes(v.killers),
    },
  };
}

/**
 * Every server the model knows plus the engine-default servers that links point at (they are not in
 * `model.servers`, yet a reader must see which defaults a pool was compared with), by id.
 */
export function inspectedServers(model: Model): Server[] {
  const byId = new Map<string, Server>();
  for (const s of model.servers) byId.set(s.id, s);
  for (const l of model.links) if (!byId.has(l.server.id)) byId.set(l.server.id, l.server);
  return [...byId.values()].sort((a, b) => compareText(a.id, b.id));
}

export function inspectJson(input: InspectInput): InspectDocument {
  const { model } = input;
  const byId =
    <T>(id: (x: T) => string) =>
    (a: T, b: T) =>
      compareText(id(a), id(b));
  return {
    version: 2,
    files: [...model.files].sort(byId((f) => f.path)).map(jsonFile),
    servers: inspectedServers(model).map(jsonServer),
    clients: [...model.clients].sort(byId((c) => c.id)).map(jsonClient),
    pools: [...model.pools].sort(byId((p) => p.id)).map(jsonPool),
    holders: [...model.holders].sort(byId((h) => h.id)).map(jsonHolder),
    hosts: [...model.hosts].sort(byId((h) => h.id)).map(jsonHost),
    // Declaration order is the meaning here (the config's order); ids are unique.
    network: { elements: model.network.elements.map(jsonNetworkElement) },
    links: [...model.links]
      .sort((a, b) => compareText(a.pool.id, b.pool.id) || compareText(a.server.id, b.server.id))
      .map((l) => ({ pool: l.pool.id, server: l.server.id, via: [...l.via], reason: l.reason, note: maskText(l.note) })),
    paths: [...model.paths].sort(byId((p) => p.pool.id)).map(jsonPath),
  };
}
