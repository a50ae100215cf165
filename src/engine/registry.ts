import binaryFile from '../../rules/binary-file.js';
import clientPacketExceedsServerLimit from '../../rules/client-packet-exceeds-server-limit.js';
import conflictingDuplicateSetting from '../../rules/conflicting-duplicate-setting.js';
import fileTooLarge from '../../rules/file-too-large.js';
import keepaliveExceedsNetworkIdleTimeout from '../../rules/keepalive-exceeds-network-idle-timeout.js';
import linkNotFollowed from '../../rules/link-not-followed.js';
import longRunningProcessHoldsIdleConnection from '../../rules/long-running-process-holds-idle-connection.js';
import poolIdleExceedsNetworkIdleTimeout from '../../rules/pool-idle-exceeds-network-idle-timeout.js';
import poolLifetimeExceedsWaitTimeout from '../../rules/pool-lifetime-exceeds-wait-timeout.js';
import poolMissingValidation from '../../rules/pool-missing-validation.js';
import poolSizeExceedsMaxConnections from '../../rules/pool-size-exceeds-max-connections.js';
import settingIgnoredByLibrary from '../../rules/setting-ignored-by-library.js';
import startupFailure from '../../rules/startup-failure.js';
import suspiciousDurationUnit from '../../rules/suspicious-duration-unit.js';
import unknownSetting from '../../rules/unknown-setting.js';
import unreadablePath from '../../rules/unreadable-path.js';
import type { Rule } from './define-rule.js';

/** Every rule, sorted by id. A published id is never reused. */
export const RULES: readonly Rule[] = [
  binaryFile,
  clientPacketExceedsServerLimit,
  conflictingDuplicateSetting,
  fileTooLarge,
  keepaliveExceedsNetworkIdleTimeout,
  linkNotFollowed,
  longRunningProcessHoldsIdleConnection,
  poolIdleExceedsNetworkIdleTimeout,
  poolLifetimeExceedsWaitTimeout,
  poolMissingValidation,
  poolSizeExceedsMaxConnections,
  settingIgnoredByLibrary,
  startupFailure,
  suspiciousDurationUnit,
  unknownSetting,
  unreadablePath,
] as Rule[];

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
