import type { Entry } from '../model/entry.js';
import type { Problem } from '../model/problem.js';
import type { PropertyEntry } from '../parsers/java-properties.js';
import type { ClaimedFile, Contribution, Format, FormatContext } from './format.js';

/*
 * java.util.Properties files that configure a pool: HikariCP (`new HikariConfig(Properties)`, Hibernate's
 * `hibernate.hikari.*`) and c3p0 (`c3p0.properties`). Java decodes them as ISO-8859-1 (hikaricp.md).
 * Whether the library really reads the file is judged from its name and keys: weak evidence makes the
 * owner uncertain, and a problem in such a file at most a note.
 */

/** Words that any pool file of these libraries contains; a file without one is not read (no parse). */
const SNIFF = /hikari|c3p0\.|jdbcUrl|dataSourceClassName|maximumPoolSize|minimumIdle|maxLifetime|keepaliveTime/i;

type Parser = typeof import('../parsers/java-properties.js');
type Hikari = typeof import('../interpreters/hikaricp/pool.js');
type C3p0 = typeof import('../interpreters/c3p0/pool.js');

/** A java.util.Properties entry as a neutral entry (the text is what Properties stores). */
export function propertyEntry(e: PropertyEntry): Entry {
  return { key: e.key, text: e.value, raw: e.rawValue, keySpan: e.keySpan, valueSpan: e.valueSpan, span: e.span };
}

/**
 * In a file HikariCP may never read, keys it has no setter for are evidence that the file is someone
 * else's, not each an error: one note says what would happen if HikariCP did load it.
 */
function weighed(problems: Problem[]): Problem[] {
  const unknown = problems.filter((p) => p.code === 'unknown-key');
  const first = unknown[0];
  if (!first || unknown.length === 1) return problems;
  const keys = unknown.map((p) => /property (\S+?);/.exec(p.message)?.[1] ?? '?');
  return [
    ...problems.filter((p) => p.code !== 'unknown-key'),
    {
      ...first,
      severity: 'note',
      message: `${unknown.length} keys HikariCP has no setter for (${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', ...' : ''}), so this file is probably not HikariCP's; if HikariCP does load it, ${first.message.replace(/^HikariCP has no property \S+?; /, '')}`,
    },
  ];
}

function contribute(files: readonly ClaimedFile[], ctx: FormatContext, parser: Parser, hikari: Hikari, c3p0: C3p0): Contribution {
  const out: Required<Pick<Contribution, 'pools' | 'problems' | 'files'>> = { pools: [], problems: [], files: [] };
  const declared = ctx.config.libraries.hikaricp;
  for (const f of files) {
    const parsed = ctx.cache.get('java-properties', f.path, f.text, () => parser.parseJavaProperties(f.path, f.text));
    const entries = parsed.doc.entries.map(propertyEntry);
    const h = hikari.detectHikari(entries);
    if (h) {
      const owner = hikari.hikariOwnership(f.path, entries, h.prefix);
      const built = hikari.buildHikariPool({
        path: f.path,
        entries,
        prefix: h.prefix,
        ...(declared ? { version: { version: declared.value, span: declared.span } } : {}),
      });
      out.pools.push(built.pool);
      out.problems.push(...parsed.problems, ...(owner.owner === 'certain' ? built.problems : weighed(built.problems)));
      out.files.push({ path: f.path, read: true, owner: owner.owner, reason: owner.reason });
    } else if (c3p0.detectC3p0(entries)) {
      const owner = c3p0.c3p0Ownership(f.path);
      const built = c3p0.buildC3p0Pool({ path: f.path, entries });
      out.pools.push(built.pool);
      out.problems.push(...parsed.problems, ...built.problems);
      out.files.push({ path: f.path, read: true, owner: owner.owner, reason: owner.reason });
    } else {
      out.files.push({ path: f.path, read: false, reason: 'no HikariCP or c3p0 settings' });
    }
  }
  return out;
}

export const javaProperties: Format = {
  id: 'java-properties',
  name: 'Java properties (HikariCP, c3p0)',
  matchesName: (path) => path.endsWith('.properties'),
  encoding: 'latin1',
  claim(_path, text) {
    return SNIFF.test(text) ? { owner: 'certain', reason: 'pool keys' } : { notRead: 'no HikariCP or c3p0 settings' };
  },
  async load() {
    const [parser, hikari, c3p0] = await Promise.all([
      import('../parsers/java-properties.js'),
      import('../interpreters/hikaricp/pool.js'),
      import('../interpreters/c3p0/pool.js'),
    ]);
    return { contribute: (files, ctx) => contribute(files, ctx, parser, hikari, c3p0) };
  },
};
