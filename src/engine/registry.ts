import keepaliveExceedsNetworkIdleTimeout from '../../rules/keepalive-exceeds-network-idle-timeout.js';
import poolLifetimeExceedsWaitTimeout from '../../rules/pool-lifetime-exceeds-wait-timeout.js';
import poolMissingValidation from '../../rules/pool-missing-validation.js';
import type { Rule } from './define-rule.js';

/** Every rule, sorted by id. A published id is never reused. */
export const RULES: readonly Rule[] = [keepaliveExceedsNetworkIdleTimeout, poolLifetimeExceedsWaitTimeout, poolMissingValidation] as Rule[];

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
