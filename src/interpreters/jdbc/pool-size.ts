/**
 * A Java pool's `maxSize` from the count setting that caps it (HikariCP `maximumPoolSize`, c3p0 `maxPoolSize`,
 * DBCP2 `maxTotal`, Tomcat JDBC `maxActive`), with the shared wording of src/interpreters/pool-size.ts. A value the
 * pool rewrites at start-up counts as it runs, and the note says why (the setting's clamp).
 */
import type { PoolSize } from '../../model/model.js';
import type { Setting } from '../../model/setting.js';
import { poolSizeOf, type SizeRules } from '../pool-size.js';

export function jdbcPoolSize(setting: Setting | undefined, rules: SizeRules = {}): PoolSize | undefined {
  if (!setting) return undefined;
  const size = poolSizeOf(setting, rules);
  return setting.clamp && size.value !== undefined ? { ...size, note: `${size.note} (${setting.clamp.reason})` } : size;
}

/**
 * Commons DBCP2 reads a negative `maxTotal` as no limit (commons-pool2 `GenericObjectPool.setMaxTotal`: "Use a negative
 * value for no limit"); 0 lends nothing, so it still caps the pool.
 */
export const DBCP2_SIZE_RULES: SizeRules = {
  unbounded: (n) => (n < 0 ? 'a negative maxTotal means no limit, so the pool opens as many connections as callers ask for' : undefined),
};
