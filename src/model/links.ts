import type { Config } from '../config/config.js';
import { globToRegExp } from '../discover/glob.js';
import { familyOf, type Link, type Pool, type Server } from './model.js';
import { defaultServer } from './servers.js';
import { ENGINE_NAMES } from './idle-limits.js';

function dirOf(path: string): string[] {
  const parts = path.split('/');
  parts.pop();
  return parts;
}

function sharedDepth(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** Directory distance: steps up from the pool's directory to the common ancestor, then down to the server's. */
function distance(pool: Pool, server: Server): number {
  const p = dirOf(pool.origin.path);
  const s = dirOf(server.root ?? '');
  const common = sharedDepth(p, s);
  return p.length - common + (s.length - common);
}

/**
 * Which server each pool talks to: the config's mapping; else the one server of the pool's engine
 * family; else the nearest by directory (ties: the byte-smallest root); else the engine's defaults.
 * A pool of unknown engine is linked to nothing: a PostgreSQL pool must never meet a my.cnf.
 */
export function linkPools(pools: Pool[], servers: Server[], config: Config): Link[] {
  const links: Link[] = [];
  const mappings = config.links.map((l) => ({ ...l, re: globToRegExp(l.pool) }));
  for (const pool of pools) {
    if (!pool.engine) continue;
    const family = familyOf(pool.engine);
    const candidates = servers.filter((s) => s.family === family);
    const mapping = mappings.find((m) => m.re.test(pool.origin.path));
    if (mapping) {
      const target = candidates.find((s) => (mapping.server === 'database' ? s.source === 'config' : s.root === mapping.server));
      if (target) {
        links.push({
          pool,
          server: target,
          via: [],
          reason: 'config',
          note: `linked by ${config.path ?? 'the config'} (links: ${mapping.pool})`,
        });
        continue;
      }
    }
    if (candidates.length === 1) {
      const only = candidates[0] as Server;
      links.push({
        pool,
        server: only,
        via: [],
        reason: 'only-candidate',
        note: `${only.root} is the only ${ENGINE_NAMES[only.engine]} server configuration`,
      });
      continue;
    }
    if (candidates.length > 1) {
      const ranked = [...candidates].sort((a, b) => distance(pool, a) - distance(pool, b) || ((a.root ?? '') < (b.root ?? '') ? -1 : 1));
      const nearest = ranked[0] as Server;
      links.push({
        pool,
        server: nearest,
        via: [],
        reason: 'nearest-directory',
        note: `assumed ${nearest.root}, the nearest of ${candidates.length} server configurations; map pools to servers with \`links\` in connlint.config.yaml`,
      });
      continue;
    }
    const fallback = defaultServer(pool.engine);
    links.push({
      pool,
      server: fallback,
      via: [],
      reason: 'engine-default',
      note: `no ${ENGINE_NAMES[pool.engine]} server configuration found, so its documented defaults are assumed`,
    });
  }
  return links;
}
