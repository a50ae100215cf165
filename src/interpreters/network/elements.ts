import type { Config } from '../../config/config.js';
import { formatDuration } from '../../model/duration.js';
import type { NetworkElement } from '../../model/model.js';
import { formatSpan } from '../../model/span.js';
import { NETWORK_PROFILES } from './profiles.js';

/**
 * The network path declared in connlint.config.yaml: `network.idleTimeout` and each named profile,
 * every one an element with its own idle timeout and expiry. Several timers stack on one path; the
 * first to fire decides (network-idle-timeouts.md, Behaviour), which the idle path works out.
 */
export function declaredNetwork(config: Config): NetworkElement[] {
  const elements: NetworkElement[] = [];
  const d = config.network.idleTimeout;
  if (d) {
    elements.push({
      id: `network:network@${formatSpan(d.span)}`,
      name: 'network',
      device: 'the declared network idle timeout',
      idleTimeout: {
        key: 'network.idleTimeout',
        canonicalKey: 'network.idleTimeout',
        raw: formatDuration(d.value),
        text: null,
        value: { kind: 'duration', ms: d.value },
        origin: { kind: 'config', span: d.span },
        overrides: [],
      },
      expiry: 'unknown',
      fact: 'declared in the config',
    });
  }
  for (const declared of config.network.profiles) {
    const profile = NETWORK_PROFILES.get(declared.value);
    if (!profile) continue;
    elements.push({
      id: `network:${profile.id}@${formatSpan(declared.span)}`,
      name: profile.id,
      device: profile.device,
      idleTimeout: {
        key: `network.profile ${profile.id}`,
        canonicalKey: 'network.idleTimeout',
        raw: profile.id,
        text: null,
        value: { kind: 'duration', ms: profile.idleTimeoutMs },
        origin: { kind: 'config', span: declared.span },
        overrides: [],
      },
      expiry: profile.expiry,
      fact: profile.fact,
    });
  }
  return elements;
}
