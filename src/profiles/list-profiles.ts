/**
 * `connlint profiles`: every profile `network.profile` and `database.profile` accept, with its values in
 * human units and where they come from (the knowledge-base file and the provider documentation it cites).
 */
import { SERVER_PROFILE_KB, SERVER_PROFILES, type ServerProfile } from '../interpreters/mysql/server-profiles.js';
import { MYSQL_VARIABLES } from '../interpreters/mysql/variables.js';
import { NETWORK_PROFILE_KB, NETWORK_PROFILES, type NetworkProfile, UNLISTED_PROFILES } from '../interpreters/network/profiles.js';
import { formatBytes, formatDuration } from '../model/duration.js';
import { ENGINE_NAMES } from '../model/model.js';

export type ProfilesFormat = 'text' | 'json';

export interface NetworkProfileJson {
  id: string;
  device: string;
  idleTimeout: { seconds: number; human: string };
  expiry: string;
  fact: string;
  knowledge: string;
  sources: string[];
}

export interface ServerVariableJson {
  name: string;
  /** In the variable's unit: seconds, bytes or a count; null when unknown. */
  value: number | null;
  unit: 's' | 'bytes' | 'count';
  human: string;
  /** Why there is no value, and what to declare instead. */
  unknown: string | null;
  fact: string;
}

export interface ServerProfileJson {
  id: string;
  name: string;
  kind: 'release' | 'managed';
  engine: string;
  version: string | null;
  variables: ServerVariableJson[];
  knowledge: string;
  sources: string[];
}

export interface ProfilesJson {
  network: NetworkProfileJson[];
  /** Devices the knowledge base names whose default is not documented: naming one is a config error that says why. */
  networkNotProfiles: Array<{ id: string; reason: string }>;
  database: ServerProfileJson[];
}

const EXPIRY_WORDS: Record<string, string> = {
  'rst-next': 'RST to the side that sends after expiry',
  'rst-both': 'RST to both ends at expiry',
  silent: 'packets dropped silently',
  close: 'the proxy closes the connection',
  unknown: 'behaviour not documented',
};

/** Every network and database profile, as text for people or JSON for tools, in the order the profile tables list them. */
export function listProfiles(format: ProfilesFormat): string {
  const data = profilesData();
  return format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : profilesText(data);
}

export function profilesData(): ProfilesJson {
  return {
    network: [...NETWORK_PROFILES.values()].map(networkJson),
    networkNotProfiles: [...UNLISTED_PROFILES].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, reason]) => ({ id, reason })),
    database: [...SERVER_PROFILES.values()].map(serverJson),
  };
}

function networkJson(p: NetworkProfile): NetworkProfileJson {
  const seconds = p.idleTimeoutMs / 1000;
  return {
    id: p.id,
    device: p.device,
    idleTimeout: { seconds, human: formatDuration(p.idleTimeoutMs) },
    expiry: p.expiry,
    fact: p.fact,
    knowledge: NETWORK_PROFILE_KB,
    sources: [...p.sources],
  };
}

function serverJson(p: ServerProfile): ServerProfileJson {
  const variables: ServerVariableJson[] = [];
  for (const [name, v] of Object.entries(p.variables)) {
    const unit = MYSQL_VARIABLES.get(name)?.unit;
    const u = unit === 's' || unit === 'bytes' ? unit : 'count';
    if ('unknown' in v) {
      variables.push({ name, value: null, unit: u, human: 'unknown', unknown: v.unknown, fact: v.fact });
      continue;
    }
    const human = u === 's' ? formatDuration(v.value * 1000) : u === 'bytes' ? formatBytes(v.value) : String(v.value);
    variables.push({ name, value: v.value, unit: u, human, unknown: null, fact: v.fact });
  }
  return {
    id: p.id,
    name: p.name,
    kind: p.managed ? 'managed' : 'release',
    engine: p.engine,
    version: p.version ?? null,
    variables,
    knowledge: SERVER_PROFILE_KB,
    sources: [...p.sources],
  };
}

function profilesText(data: ProfilesJson): string {
  const lines: string[] = [];
  lines.push(`network.profile: middlebox idle timeouts (knowledge: ${NETWORK_PROFILE_KB})`, '');
  for (const p of data.network) {
    lines.push(`  ${p.id}  ${p.device}`);
    lines.push(
      `    idle timeout ${secondsWithHuman(p.idleTimeout.human, p.idleTimeout.seconds)}; on expiry: ${EXPIRY_WORDS[p.expiry] ?? p.expiry}`,
    );
    lines.push(`    fact: ${p.fact}`);
    for (const s of p.sources) lines.push(`    source: ${s}`);
    lines.push('');
  }
  lines.push('  not profiles (declare network.idleTimeout instead):');
  for (const u of data.networkNotProfiles) lines.push(`    ${u.id}: ${u.reason}`);
  lines.push('', `database.profile: server defaults (knowledge: ${SERVER_PROFILE_KB}); database.variables override them`, '');
  for (const p of data.database) {
    const engine = (ENGINE_NAMES as Record<string, string>)[p.engine] ?? p.engine;
    const what = p.kind === 'managed' ? `managed ${engine}` : `${engine} ${p.version ?? ''}`.trim();
    lines.push(`  ${p.id}  ${p.name} (${what})`);
    const width = Math.max(...p.variables.map((v) => v.name.length));
    for (const v of p.variables) {
      const value =
        v.unknown === null ? (v.unit === 's' && v.value !== null ? secondsWithHuman(v.human, v.value) : v.human) : `unknown: ${v.unknown}`;
      lines.push(`    ${v.name.padEnd(width)}  ${value}`);
      lines.push(`    ${' '.repeat(width)}  fact: ${v.fact}`);
    }
    for (const s of p.sources) lines.push(`    source: ${s}`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** `8 h (28800 s)`; just `350 s` when the human form already is the seconds. */
function secondsWithHuman(human: string, seconds: number): string {
  return human === `${seconds} s` ? human : `${human} (${seconds} s)`;
}
