import type { MyCnfDoc } from '../parsers/my-cnf.js';
import type { OptionFileTree } from '../parsers/my-cnf-tree.js';
import type { ParseResult } from '../parsers/parse-result.js';
import type { Claim, ClaimedFile, Contribution, Format, FormatContext, NotRead } from './format.js';

/*
 * MySQL/MariaDB option files (mysql-option-files.md). A file is read when a MySQL or MariaDB program
 * would read it: a default name (`my.cnf`, `my.ini`, `.my.cnf`), a file whose first group is a program
 * group (`[mysqld]`, `[client]`, `[mariadb-10.11]` ...), or a target of `!include`/`!includedir` from
 * one. Other `.cnf` files (OpenSSL's `openssl.cnf`, ProxySQL's libconfig, keyring JSON) are not.
 */

const DEFAULT_NAMES = new Set(['my.cnf', 'my.ini', '.my.cnf']);

/**
 * Program groups (mysql-option-files.md, "Which groups each program reads"): servers (`mysqld`, `server`,
 * `mariadb`, `mariadbd`, `client-server`, `galera`, the `mysqld_safe`/`mysqld_multi` scripts), clients
 * (`client`, `mysql*` tools, `mariadb-*` tools, `client-mariadb`), each optionally with a version
 * (`-8.0`), a `--defaults-group-suffix` (`.instance1`, `1`). Case-insensitive, as the reader compares.
 */
const PROGRAM_GROUP =
  /^(?:mysqld|mysqld_safe|mysqld_multi|mysql[a-z_]*|mariadb|mariadbd|mariadb-[a-z-]+|client|client-server|client-mariadb|server|galera|embedded|myisamchk|myisampack|xtrabackup|mariabackup|mariadb-backup)(?:-\d+\.\d+)?(?:\.[^\]\s]+|\d+)?$/i;

/** Placeholders of envsubst, shell heredocs and template engines. */
const TEMPLATE_MARK = /\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-=?+][^}]*)?\}|\{\{[^}]*\}\}/;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The first line that is neither blank, a comment nor an include directive, trimmed; undefined when none. */
function firstContentLine(text: string): string | undefined {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Bounded: a sniff looks at the first 200 lines at most.
  for (let n = 0; n < 200 && start < text.length; n++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line.startsWith('#') || line.startsWith(';') || line.startsWith('!include')) continue;
    return line;
  }
  return undefined;
}

export function claimOptionFile(path: string, text: string): Claim | NotRead {
  const base = baseName(path);
  // `my.ini` is a Windows name, where file names are case-insensitive.
  if (DEFAULT_NAMES.has(base) || base.toLowerCase() === 'my.ini') {
    return { owner: 'certain', reason: `${base} is a default option-file name of mysqld and the MySQL/MariaDB clients` };
  }
  const first = firstContentLine(text);
  if (first === undefined) return { notRead: 'no MySQL or MariaDB group header (the file has no settings)' };
  // The line itself is not quoted: it may hold a secret (`password = ...`).
  if (!first.startsWith('[')) return { notRead: 'not a MySQL or MariaDB option file: its first setting comes before any [group] header' };
  const close = first.indexOf(']');
  const group = (close < 0 ? first.slice(1) : first.slice(1, close)).trim();
  if (PROGRAM_GROUP.test(group)) {
    // `${VAR}` or `{{ var }}` in a file no default name gives: most likely a template that envsubst or a
    // start-up script renders into the real option directory (sclorg/mysql-container's cnf/*.cnf).
    if (TEMPLATE_MARK.test(text)) {
      return {
        owner: 'uncertain',
        reason: `possibly a template: its first group [${group}] is a MySQL/MariaDB program group, but it holds \${...} or {{ ... }} placeholders that a script usually fills in before mysqld reads the result`,
      };
    }
    return { owner: 'certain', reason: `its first group [${group}] is read by a MySQL/MariaDB program` };
  }
  return { notRead: `not a MySQL or MariaDB option file: its first group [${group}] is not read by any MySQL/MariaDB program` };
}

type Parser = typeof import('../parsers/my-cnf.js');
type TreeReader = typeof import('../parsers/my-cnf-tree.js');
type ServerInterpreter = typeof import('../interpreters/mysql/server.js');
type ClientInterpreter = typeof import('../interpreters/mysql/clients.js');
type ImageReader = typeof import('../interpreters/mysql/image-flavour.js');

function contribute(
  files: readonly ClaimedFile[],
  ctx: FormatContext,
  parser: Parser,
  reader: TreeReader,
  interpreter: ServerInterpreter,
  clientInterpreter: ClientInterpreter,
  imageReader: ImageReader,
): Contribution {
  const parse = (path: string, text: string): ParseResult<MyCnfDoc> =>
    ctx.cache.get('mysql-option-file', path, text, () => parser.parseMyCnf(path, text));
  const mounts = Object.fromEntries(Object.entries(ctx.config.mounts).map(([k, v]) => [k, v.value]));
  const claimed = new Set(files.map((f) => f.path));
  const trees: OptionFileTree[] = reader.resolveRootTrees(
    files.map((f) => f.path),
    ctx.view,
    parse,
    { mounts },
  );
  const listed: NonNullable<Contribution['files']> = [];
  const seen = new Set<string>();
  const owner = new Map(files.map((f) => [f.path, f.claim.owner]));
  for (const tree of trees) {
    // What a file certainly read includes is read as it is, placeholders and all.
    const rootCertain = owner.get(tree.root) !== 'uncertain';
    for (const f of tree.files) {
      if (f === tree.root || seen.has(f)) continue;
      if (claimed.has(f) && !(rootCertain && owner.get(f) === 'uncertain')) continue;
      if (!rootCertain && claimed.has(f)) continue;
      seen.add(f);
      listed.push({
        path: f,
        read: true,
        owner: rootCertain ? 'certain' : 'uncertain',
        reason: `reached by !include or !includedir from ${tree.root}`,
      });
    }
  }
  const notes = new Map(trees.map((t) => [t.root, t.notes]));
  const sources = trees.map((t) => ({
    root: t.root,
    files: t.files,
    options: t.options.map((o) => ({ entry: parser.optionEntry(o.option), via: o.via })),
    groups: t.groups,
  }));
  const images = new Map<string, import('../interpreters/mysql/image-flavour.js').ImageFlavour>();
  for (const t of trees) {
    const image = imageReader.imageFlavour(t.root, ctx.view);
    if (image) images.set(t.root, image);
  }
  const built = interpreter.buildFileServers(sources, ctx.config, notes, images);
  return {
    servers: built.servers,
    clients: clientInterpreter.buildFileClients(sources, ctx.config, built.servers, images),
    problems: [...trees.flatMap((t) => t.problems), ...built.problems],
    files: listed,
  };
}

export const mysqlOptionFile: Format = {
  id: 'mysql-option-file',
  name: 'MySQL/MariaDB option file',
  matchesName(path) {
    const base = baseName(path);
    return base.endsWith('.cnf') || base.toLowerCase() === 'my.ini';
  },
  encoding: 'utf8',
  claim: claimOptionFile,
  async load() {
    const [parser, reader, interpreter, clientInterpreter, imageReader] = await Promise.all([
      import('../parsers/my-cnf.js'),
      import('../parsers/my-cnf-tree.js'),
      import('../interpreters/mysql/server.js'),
      import('../interpreters/mysql/clients.js'),
      import('../interpreters/mysql/image-flavour.js'),
    ]);
    return { contribute: (files, ctx) => contribute(files, ctx, parser, reader, interpreter, clientInterpreter, imageReader) };
  },
};
