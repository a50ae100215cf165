import type { Config } from '../config/config.js';
import type { FileTreeView } from '../discover/file-tree.js';
import type { DiscoveredFile } from '../discover/find-files.js';
import { parseJavaProperties, type PropertiesDoc } from '../parsers/java-properties.js';
import { resolveRootTrees } from '../parsers/my-cnf-tree.js';
import { type MyCnfDoc, parseMyCnf } from '../parsers/my-cnf.js';
import type { ParseProblem, ParseResult } from '../parsers/parse-result.js';
import { parseSysctl, type SysctlDoc } from '../parsers/sysctl.js';
import { buildC3p0Pool, detectC3p0Properties } from './c3p0.js';
import { buildHikariPool, detectHikariProperties } from './hikaricp.js';
import { buildHosts } from './hosts.js';
import { linkPools } from './links.js';
import type { FileKind, Model, Pool, ScannedFile } from './model.js';
import { buildNetwork } from './network.js';
import { buildDeclaredServer, buildFileServers } from './servers.js';
import { compareText } from './sort-order.js';

export interface ModelBuild {
  model: Model;
  problems: ParseProblem[];
  /** Assumptions made while resolving includes, by root file (for `inspect`). */
  notes: Map<string, string[]>;
}

/** Java reads .properties as ISO-8859-1 (hikaricp.md: `Properties.load(InputStream)`); everything else is UTF-8. */
function decode(file: DiscoveredFile): string {
  return file.bytes ? file.bytes.toString(file.candidate === 'java-properties' ? 'latin1' : 'utf8') : '';
}

function problemKey(p: ParseProblem): string {
  return `${p.span.path}\0${p.span.line}\0${p.span.column}\0${p.message}`;
}

/**
 * Parsed files -> one model. Each parser runs at most once per file; a parser that throws (a bug)
 * is reported by the caller through `onCrash` and the other files still count.
 */
export function buildModel(
  discovered: DiscoveredFile[],
  config: Config,
  view: FileTreeView,
  onCrash: (path: string, error: unknown) => void,
): ModelBuild {
  const problems: ParseProblem[] = [];
  const files: ScannedFile[] = [];
  const list = (path: string, kind: FileKind) => files.push({ path, kind });
  const guarded = <T>(path: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      onCrash(path, error);
      return undefined;
    }
  };

  // Option files: parsed once, whether reached directly or through an include.
  // Keyed by path and text: the include tree re-parses a file with a line blanked at the depth limit.
  const optionCache = new Map<string, { text: string; result: ParseResult<MyCnfDoc> }>();
  const parseOptionFile = (path: string, text: string): ParseResult<MyCnfDoc> => {
    const cached = optionCache.get(path);
    if (cached?.text === text) return cached.result;
    const result: ParseResult<MyCnfDoc> = guarded(path, () => parseMyCnf(path, text)) ?? { doc: { entries: [] }, problems: [] };
    if (!cached) optionCache.set(path, { text, result });
    return result;
  };
  const optionPaths: string[] = [];
  const sysctlDocs = new Map<string, ParseResult<SysctlDoc>>();
  const pools: Pool[] = [];

  for (const file of discovered) {
    if (file.candidate === 'template') {
      list(file.path, 'template');
      continue;
    }
    if (!file.bytes) {
      if (file.candidate !== 'java-properties') list(file.path, file.candidate);
      continue;
    }
    const text = decode(file);
    if (file.candidate === 'mysql-option-file') {
      list(file.path, 'mysql-option-file');
      optionPaths.push(file.path);
      parseOptionFile(file.path, text);
    } else if (file.candidate === 'sysctl') {
      list(file.path, 'sysctl');
      const result = guarded(file.path, () => parseSysctl(file.path, text));
      if (result) {
        sysctlDocs.set(file.path, result);
        problems.push(...result.problems);
      }
    } else if (file.candidate === 'java-properties') {
      const parsed = guarded(file.path, () => parseJavaProperties(file.path, text));
      if (!parsed) continue;
      const pool = guarded(file.path, () => poolFromProperties(file.path, parsed, text, config));
      if (!pool) continue;
      list(file.path, 'java-properties');
      problems.push(...parsed.problems, ...pool.problems);
      pools.push(pool.pool);
    }
  }

  const mounts = Object.fromEntries(Object.entries(config.mounts).map(([k, v]) => [k, v.value]));
  const trees = guarded('.', () => resolveRootTrees(optionPaths, view, parseOptionFile, { mounts })) ?? [];
  const fileServers = guarded('.', () => buildFileServers(trees, config)) ?? {
    servers: [],
    problems: [],
    notes: new Map(),
  };
  problems.push(...fileServers.problems);
  const declared = buildDeclaredServer(config);
  problems.push(...declared.problems);
  const servers = declared.server ? [...fileServers.servers, declared.server] : fileServers.servers;

  const hostBuild = buildHosts([...sysctlDocs.keys()], (p) => sysctlDocs.get(p));
  problems.push(...hostBuild.problems);

  const unique = new Map<string, ParseProblem>();
  for (const p of problems) unique.set(problemKey(p), p);
  files.sort((a, b) => compareText(a.path, b.path));
  pools.sort((a, b) => compareText(a.id, b.id));
  return {
    model: { files, servers, pools, hosts: hostBuild.hosts, network: buildNetwork(config), links: linkPools(pools, servers, config) },
    problems: [...unique.values()],
    notes: fileServers.notes,
  };
}

function poolFromProperties(
  path: string,
  parsed: ParseResult<PropertiesDoc>,
  text: string,
  config: Config,
): { pool: Pool; problems: ParseProblem[] } | undefined {
  const hikari = detectHikariProperties(parsed.doc);
  if (hikari) {
    const declared = config.libraries.hikaricp;
    return buildHikariPool({
      path,
      doc: parsed.doc,
      prefix: hikari.prefix,
      ...(declared ? { version: { version: declared.value, span: declared.span } } : {}),
    });
  }
  if (detectC3p0Properties(parsed.doc)) return buildC3p0Pool({ path, doc: parsed.doc, text });
  return undefined;
}
