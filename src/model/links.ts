import { ENGINE_NAMES, type Engine, familyOf, type Link, type Pool, type Server } from './model.js';
import { compareText } from './sort-order.js';

/** A user's pool-to-server mapping (`links:` in connlint.config.yaml), already compiled by the caller. */
export interface LinkMapping {
  /** The glob as written, for messages. */
  pattern: string;
  matches(poolPath: string): boolean;
  /** A server root path, or `database` for the declared server. */
  server: string;
}

export interface LinkInput {
  mappings: readonly LinkMapping[];
  /** Where the mappings are declared (`connlint.config.yaml`), for messages. */
  configPath?: string;
  /** The engine's documented defaults, for a pool with no server configuration at all. */
  defaultServer(engine: Engine): Server;
}

function dirParts(path: string): string[] {
  const parts = path.split('/');
  parts.pop();
  return parts;
}

/** Servers of one family in a directory trie; each node knows the shallowest server below it (ties: smallest root). */
interface Node {
  children: Map<string, Node>;
  best?: { server: Server; depth: number };
}

function better(a: { server: Server; depth: number }, b: { server: Server; depth: number } | undefined): boolean {
  return !b || a.depth < b.depth || (a.depth === b.depth && compareText(a.server.root ?? '', b.server.root ?? '') < 0);
}

function buildTrie(servers: readonly Server[]): Node {
  const root: Node = { children: new Map() };
  for (const server of servers) {
    const parts = dirParts(server.root ?? '');
    const candidate = { server, depth: parts.length };
    let node = root;
    if (better(candidate, node.best)) node.best = candidate;
    for (const part of parts) {
      let next = node.children.get(part);
      if (!next) {
        next = { children: new Map() };
        node.children.set(part, next);
      }
      node = next;
      if (better(candidate, node.best)) node.best = candidate;
    }
  }
  return root;
}

/**
 * The server nearest to a pool by directory distance (steps up to the common ancestor, then down),
 * ties broken by the byte-smallest root: for each ancestor of the pool's directory, the shallowest
 * server below it. O(depth of the pool's path) per pool.
 */
function nearest(trie: Node, poolPath: string): Server | undefined {
  const parts = dirParts(poolPath);
  const chain: Node[] = [trie];
  for (const part of parts) {
    const next = chain[chain.length - 1]?.children.get(part);
    if (!next) break;
    chain.push(next);
  }
  let best: { server: Server; distance: number } | undefined;
  chain.forEach((node, depth) => {
    if (!node.best) return;
    const distance = parts.length - depth + (node.best.depth - depth);
    if (
      !best ||
      distance < best.distance ||
      (distance === best.distance && compareText(node.best.server.root ?? '', best.server.root ?? '') < 0)
    ) {
      best = { server: node.best.server, distance };
    }
  });
  return best?.server;
}

/**
 * Which server each pool talks to: the config's mapping; else the one server answering to the host
 * the pool's URL names; else the one server of the pool's engine family; else the nearest by directory (ties: the byte-smallest root); else the engine's defaults.
 * A pool of unknown engine is linked to nothing: a PostgreSQL pool must never meet a my.cnf.
 */
export function linkPools(pools: readonly Pool[], servers: readonly Server[], input: LinkInput): Link[] {
  const links: Link[] = [];
  const byFamily = new Map<string, Server[]>();
  for (const s of servers) {
    const list = byFamily.get(s.family);
    if (list) list.push(s);
    else byFamily.set(s.family, [s]);
  }
  const tries = new Map<string, Node>();
  const byRoot = new Map(servers.map((s) => [`${s.family}\0${s.source === 'config' ? 'database' : s.root}`, s]));
  for (const pool of pools) {
    if (!pool.engine) continue;
    const family = familyOf(pool.engine);
    const candidates = byFamily.get(family) ?? [];
    const mapping = input.mappings.find((m) => m.matches(pool.origin.path));
    const target = mapping ? byRoot.get(`${family}\0${mapping.server}`) : undefined;
    if (mapping && target) {
      links.push({
        pool,
        server: target,
        via: [],
        reason: 'config',
        note: `linked by ${input.configPath ?? 'the config'} (links: ${mapping.pattern})`,
      });
      continue;
    }
    // The URL names the host a Compose service (or another declared name) answers to.
    const named = pool.host ? candidates.filter((s) => s.hostnames?.includes(pool.host as string)) : [];
    if (named.length === 1) {
      const server = named[0] as Server;
      links.push({
        pool,
        server,
        via: [],
        reason: 'url-host',
        note: `the pool's URL names host ${pool.host}, which is ${server.id}`,
      });
      continue;
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
      let trie = tries.get(family);
      if (!trie) {
        trie = buildTrie(candidates);
        tries.set(family, trie);
      }
      const server = nearest(trie, pool.origin.path) as Server;
      links.push({
        pool,
        server,
        via: [],
        reason: 'nearest-directory',
        note: `assumed ${server.root}, the nearest of ${candidates.length} server configurations; map pools to servers with \`links\` in connlint.config.yaml`,
      });
      continue;
    }
    links.push({
      pool,
      server: input.defaultServer(pool.engine),
      via: [],
      reason: 'engine-default',
      note: `no ${ENGINE_NAMES[pool.engine]} server configuration found, so its documented defaults are assumed`,
    });
  }
  return links;
}
