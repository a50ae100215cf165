import { ENGINE_NAMES, LIBRARY_NAMES } from '../model/idle-limits.js';
import type { Host, IdleMechanism, Link, Model, Pool, Server } from '../model/model.js';
import { canonicalOptionName } from '../model/mysql-variables.js';
import { maskSecrets } from '../model/secrets.js';
import type { Origin, Setting, Value } from '../model/setting.js';
import type { Span } from '../model/span.js';
import { compareText } from '../model/sort-order.js';
import { originSpan } from '../model/setting.js';

/**
 * `connlint inspect --format json`: the effective model as plain data. The shape is documented in
 * docs/inspect.md and checked by schema/inspect.schema.json; every object is built key by key and every
 * array sorted, so two runs over the same files give byte-identical output.
 */

export interface InspectInput {
  model: Model;
  /** Include assumptions per root option file (LintRun.notes). */
  notes: Map<string, string[]>;
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
}

export interface JsonIdleMechanism {
  kind: IdleMechanism['kind'];
  key: string;
  boundMs: number | null;
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
  environment: string | null;
  origin: JsonOrigin;
  validatesOnCheckout: { value: boolean; fact: string };
  idle: JsonIdleMechanism[];
  settings: JsonSetting[];
}

export interface JsonHost {
  id: string;
  root: string;
  files: string[];
  settings: JsonSetting[];
}

export interface JsonNetwork {
  idleTimeout: { ms: number | null; origin: JsonOrigin | null; key: string } | null;
  profiles: Array<{ id: string; device: string; idleTimeoutMs: number; expiry: string; fact: string; origin: JsonOrigin }>;
}

export interface JsonLink {
  pool: string;
  server: string;
  via: string[];
  reason: Link['reason'];
  note: string;
}

export interface InspectDocument {
  version: 1;
  servers: JsonServer[];
  pools: JsonPool[];
  hosts: JsonHost[];
  network: JsonNetwork;
  links: JsonLink[];
}

function origin(span: Span): JsonOrigin {
  return { path: span.path, line: span.line, column: span.column };
}

/** Free text that may quote a value (reasons, notes): URL passwords masked whatever the key. */
export function maskText(text: string): string {
  return maskSecrets('text', text);
}

/** A setting's string as it may be shown: masked under the key as written and under its canonical key. */
export function maskSetting(setting: Setting, text: string): string {
  return maskSecrets(setting.canonicalKey, maskSecrets(setting.key, text));
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
      return `${LIBRARY_NAMES[o.library] ?? o.library}${o.version ? ` ${o.version}` : ''} default`;
    case 'server-default':
      return `${ENGINE_NAMES[o.engine] ?? o.engine}${o.version ? ` ${o.version}` : ''} default`;
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
  const at = originSpan(o);
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
    origin: at ? origin(at) : null,
    ...(where !== null && o.kind !== 'file' && o.kind !== 'config' ? { default: `${where}; ${o.fact}` } : {}),
    ...(setting.group !== undefined ? { group: setting.group } : {}),
    overrides: setting.overrides.flatMap((earlier) => {
      const s = originSpan(earlier);
      return s ? [origin(s)] : [];
    }),
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

function jsonServer(server: Server, notes: Map<string, string[]>): JsonServer {
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
    notes: (server.root !== null ? (notes.get(server.root) ?? []) : []).map(maskText),
  };
}

const IDLE_ORDER: Record<IdleMechanism['kind'], number> = { 'max-lifetime': 0, 'idle-timeout': 1, keepalive: 2 };

function jsonPool(pool: Pool): JsonPool {
  return {
    id: pool.id,
    library: pool.library,
    libraryVersion: pool.libraryVersion ? { version: pool.libraryVersion.version, origin: origin(pool.libraryVersion.span) } : null,
    name: maskSecrets('poolName', pool.name),
    engine: pool.engine ?? null,
    engineReason: pool.engineReason === undefined ? null : maskText(pool.engineReason),
    environment: pool.environment ?? null,
    origin: origin(pool.origin),
    validatesOnCheckout: { value: pool.validatesOnCheckout.value, fact: pool.validatesOnCheckout.fact },
    idle: [...pool.idle]
      .sort((a, b) => IDLE_ORDER[a.kind] - IDLE_ORDER[b.kind] || compareText(a.setting.canonicalKey, b.setting.canonicalKey))
      .map((m) => ({
        kind: m.kind,
        key: m.setting.canonicalKey,
        boundMs: m.boundMs ?? null,
        refreshesServer: m.refreshesServer,
        note: m.note === undefined ? null : maskSetting(m.setting, m.note),
      })),
    settings: jsonSettings(pool.settings, false),
  };
}

function jsonHost(host: Host): JsonHost {
  return { id: host.id, root: host.root, files: [...host.files], settings: jsonSettings(host.settings, false) };
}

function jsonNetwork(model: Model): JsonNetwork {
  const s = model.network.idleTimeout;
  const at = s ? originSpan(s.origin) : undefined;
  return {
    idleTimeout: s ? { ms: s.value.kind === 'duration' ? s.value.ms : null, origin: at ? origin(at) : null, key: s.key } : null,
    profiles: [...model.network.profiles]
      .sort(
        (a, b) =>
          compareText(a.span.path, b.span.path) ||
          a.span.line - b.span.line ||
          a.span.column - b.span.column ||
          compareText(a.profile.id, b.profile.id),
      )
      .map(({ profile, span }) => ({
        id: profile.id,
        device: profile.device,
        idleTimeoutMs: profile.idleTimeoutMs,
        expiry: profile.expiry,
        fact: profile.fact,
        origin: origin(span),
      })),
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

export function sortedLinks(model: Model): Link[] {
  return [...model.links].sort((a, b) => compareText(a.pool.id, b.pool.id) || compareText(a.server.id, b.server.id));
}

export function inspectJson(input: InspectInput): InspectDocument {
  const { model } = input;
  return {
    version: 1,
    servers: inspectedServers(model).map((s) => jsonServer(s, input.notes)),
    pools: [...model.pools].sort((a, b) => compareText(a.id, b.id)).map(jsonPool),
    hosts: [...model.hosts].sort((a, b) => compareText(a.id, b.id)).map(jsonHost),
    network: jsonNetwork(model),
    links: sortedLinks(model).map((l) => ({
      pool: l.pool.id,
      server: l.server.id,
      via: [...l.via],
      reason: l.reason,
      note: maskText(l.note),
    })),
  };
}
