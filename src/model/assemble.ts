import { idlePaths } from './idle-path.js';
import { type LinkInput, linkPools } from './links.js';
import type { ConnectionHolder, Host, Model, NetworkElement, OptionFileClient, Pool, ScannedFile, Server } from './model.js';
import type { Problem } from './problem.js';
import type { Setting } from './setting.js';
import { compareText } from './sort-order.js';

/**
 * What the formats contributed -> one model: everything sorted by id (so the result never depends on
 * the order files were found in), pools linked to servers, and one idle path per pool.
 */
export function assembleModel(input: {
  files: ScannedFile[];
  servers: Server[];
  pools: Pool[];
  clients?: OptionFileClient[];
  holders?: ConnectionHolder[];
  hosts: Host[];
  network: NetworkElement[];
  links: LinkInput;
  /** Problems a rule reports (see Model.problems). */
  problems?: Problem[];
  /** Linux's tcp_keepalive_time default, for pools no scanned sysctl tree applies to. */
  linuxKeepalive: Setting;
}): Model {
  const byId = <T extends { id: string }>(a: T, b: T) => compareText(a.id, b.id);
  const files = [...input.files].sort((a, b) => compareText(a.path, b.path));
  const servers = [...input.servers].sort(byId);
  const pools = [...input.pools].sort(byId);
  const hosts = [...input.hosts].sort(byId);
  const links = linkPools(pools, servers, input.links);
  const paths = idlePaths({ pools, links, hosts, network: input.network, linuxDefault: input.linuxKeepalive });
  const holders = [...(input.holders ?? [])].sort(byId);
  const clients = [...(input.clients ?? [])].sort(byId);
  const problems = [...(input.problems ?? [])].sort(
    (a, b) =>
      compareText(a.span.path, b.span.path) ||
      a.span.line - b.span.line ||
      a.span.column - b.span.column ||
      compareText(a.message, b.message),
  );
  return { files, servers, pools, clients, holders, hosts, network: { elements: input.network }, links, paths, problems };
}
