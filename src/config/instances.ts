import { globToRegExp } from '../discover/glob.js';
import type { Pool } from '../model/model.js';
import type { Config } from './config.js';

/**
 * Each pool with the number of copies of its application that run (connlint.config.yaml `instances:`): the
 * last entry whose key is the pool's name or a glob matching the pool's file wins; a pool no entry names
 * runs once. The count multiplies the pool's share of the server's `max_connections`.
 */
export function withInstances(pools: readonly Pool[], instances: Config['instances']): Pool[] {
  const entries = Object.entries(instances).map(([key, declared]) => ({ key, declared, re: globToRegExp(key) }));
  return pools.map((pool) => {
    let found: (typeof entries)[number] | undefined;
    for (const e of entries) if (e.key === pool.name || e.re.test(pool.origin.path)) found = e;
    return { ...pool, instances: found ? { value: found.declared.value, span: found.declared.span } : { value: 1 } };
  });
}
