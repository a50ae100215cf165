import type { Config } from '../config/config.js';
import { NETWORK_PROFILES } from '../config/network-profiles.js';
import { formatDuration } from './duration.js';
import type { Network, NetworkProfile } from './model.js';
import type { Setting } from './setting.js';
import type { Span } from './span.js';

/**
 * The declared network path: `network.idleTimeout` and every named profile. The effective idle
 * timeout is the smallest of them, because several timers stack on one path and the smallest wins
 * (network-idle-timeouts.md, Behaviour).
 */
export function buildNetwork(config: Config): Network {
  const profiles: Network['profiles'] = [];
  for (const declared of config.network.profiles) {
    const profile = NETWORK_PROFILES.get(declared.value);
    if (profile) profiles.push({ profile, span: declared.span });
  }
  const candidates: Setting[] = [];
  if (config.network.idleTimeout) {
    const d = config.network.idleTimeout;
    candidates.push({
      key: 'network.idleTimeout',
      canonicalKey: 'network.idleTimeout',
      raw: formatDuration(d.value),
      text: null,
      value: { kind: 'duration', ms: d.value },
      origin: { kind: 'config', span: d.span },
      overrides: [],
    });
  }
  for (const { profile, span } of profiles) candidates.push(profileSetting(profile, span));
  candidates.sort((a, b) => msOfSetting(a) - msOfSetting(b));
  const idleTimeout = candidates[0];
  return { ...(idleTimeout ? { idleTimeout } : {}), profiles };
}

function msOfSetting(s: Setting): number {
  return s.value.kind === 'duration' ? s.value.ms : Number.POSITIVE_INFINITY;
}

function profileSetting(profile: NetworkProfile, span: Span): Setting {
  return {
    key: `network.profile ${profile.id}`,
    canonicalKey: 'network.idleTimeout',
    raw: profile.id,
    text: null,
    value: { kind: 'duration', ms: profile.idleTimeoutMs },
    origin: { kind: 'config', span },
    overrides: [],
  };
}

/** How the path fails when the idle timeout expires, when a profile says so. */
export function expiryOf(network: Network): NetworkProfile['expiry'] | undefined {
  const s = network.idleTimeout;
  if (!s) return undefined;
  return network.profiles.find((p) => p.profile.idleTimeoutMs === (s.value.kind === 'duration' ? s.value.ms : -1))?.profile.expiry;
}
