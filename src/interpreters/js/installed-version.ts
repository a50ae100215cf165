/**
 * The version of an npm package (mysql2, knex, typeorm, `@prisma/client` …) a JS project installs, read
 * statically from the project's files: exact from its lock file, else the range its package.json declares,
 * so that version-dependent facts apply without the user declaring the version in connlint.config.yaml.
 *
 * Which manifest decides. From the folder of the file that loads the package, upwards, the first
 * package.json that lists the package (optionalDependencies, dependencies, devDependencies,
 * peerDependencies, in npm's order of precedence) decides. A package.json that does not list it does not
 * stop the walk: Node resolves `require('mysql2')` through every `node_modules` above the file whatever
 * the package.json files on the way say, so a workspace member that leans on the root's (hoisted)
 * dependency loads the root's, and that is what is found. A sibling member's dependency is not on the way
 * up, and is not found. A package.json that is not JSON is passed over like one that does not list it.
 *
 * Which lock file. The nearest folder at or above that manifest holding a lock file (npm-shrinkwrap.json,
 * else package-lock.json; yarn.lock; pnpm-lock.yaml) is the only one read. At the manifest's folder it is
 * the project's own; above it, it counts only when the manifest's folder is a workspace member of it (npm:
 * the lock lists the member's folder under `packages`; pnpm: under `importers`; yarn: the lock folder's
 * package.json `workspaces` globs match it), else the lock is someone else's and the range is given. When
 * the lock files of one folder give different versions (a stale yarn.lock beside package-lock.json), which
 * one is installed is not known, and the range is given.
 *
 * Lock files are read exactly but narrowly, and never throw: package-lock.json with JSON.parse (the values,
 * and whether the file is JSON at all) plus a text search for the entry's key, then a scan of that entry
 * alone, for the version's line (no position-keeping parse of a many-MB file);
 * yarn.lock and pnpm-lock.yaml line by line: both are machine-written in a fixed shape (entries at column 0,
 * two-space nesting, one `key: value` per line, in the part we read), which a line reader follows with its
 * line numbers in hand, where the `yaml` package would build a whole document (and yarn v1 is not YAML).
 */
import type { LibraryVersion } from '../../model/model.js';
import type { Span } from '../../model/span.js';

export interface TreeFiles {
  isFile(path: string): boolean;
  readText(path: string): string | undefined;
}

/** npm's precedence: an optional dependency overrides a regular one; peers are installed by npm 7+. */
const SECTIONS = ['optionalDependencies', 'dependencies', 'devDependencies', 'peerDependencies'] as const;
/** An exact version as lock files write it (a peer suffix may follow in pnpm's: `3.9.7(…)`, v5 `3.9.7_…`). */
const EXACT =
  /^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?/;

// ---- paths (repository-relative, '/' separators, the root is '') ----

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}
function parentOf(dir: string): string | undefined {
  return dir === '' ? undefined : dirOf(dir);
}
function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}
/** `dir` relative to its ancestor `base` ('' when the same). */
function relative(base: string, dir: string): string {
  return base === '' ? dir : dir === base ? '' : dir.slice(base.length + 1);
}

// ---- positions ----

/** 1-based line and column of an offset (a byte-order mark is not a column, as in src/parsers/line-starts.ts). */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: Math.max(1, offset - start + 1) };
}
function offsetSpan(path: string, text: string, from: number, to: number): Span {
  const a = position(text, from);
  const b = position(text, to);
  return { path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}
/** Line `index` (0-based) of `lines` without its indentation and trailing blanks. */
function lineContentSpan(path: string, lines: readonly string[], index: number): Span {
  const raw = (lines[index] ?? '').replace(/\s+$/, '');
  const indent = raw.length - raw.trimStart().length;
  const bom = index === 0 && raw.charCodeAt(0) === 0xfeff ? 1 : 0;
  return { path, line: index + 1, column: indent + 1 - bom, endLine: index + 1, endColumn: raw.length + 1 - bom };
}

// ---- JSON: the place of one member, found along its key path ----

function skipBlanks(t: string, i: number): number {
  let j = i;
  for (;;) {
    const c = t.charCodeAt(j);
    if (c === 32 || c === 9 || c === 10 || c === 13) j++;
    else return j;
  }
}
/** The offset after the string starting at `i` (a `"`), or -1. */
function stringEnd(t: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = t.indexOf('"', from);
    if (q < 0) return -1;
    let slashes = 0;
    while (t.charCodeAt(q - 1 - slashes) === 92) slashes++;
    if (slashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}
/** The offset after the value starting at `i`, or -1; containers are skipped by jumping between brackets and quotes. */
function valueEnd(t: string, i: number): number {
  const c = t[i];
  if (c === '"') return stringEnd(t, i);
  if (c === '{' || c === '[') {
    const structural = /["{}[\]]/g;
    structural.lastIndex = i;
    let depth = 0;
    for (;;) {
      const m = structural.exec(t);
      if (!m) return -1;
      if (m[0] === '"') {
        const end = stringEnd(t, m.index);
        if (end < 0) return -1;
        structural.lastIndex = end;
      } else if (m[0] === '{' || m[0] === '[') depth++;
      else if (--depth === 0) return m.index + 1;
    }
  }
  const stop = /[,}\]\s]/g;
  stop.lastIndex = i;
  const m = stop.exec(t);
  return m ? m.index : t.length;
}
/**
 * Where the member at `path` (object keys from the top) is written: from its key's quote to its value's end.
 * Only the objects on the path are walked; other values are skipped unread. With a duplicated key this finds
 * the first where JSON.parse keeps the last (lock files and manifests have none).
 */
function jsonMember(t: string, path: readonly string[]): { from: number; to: number } | undefined {
  let i = skipBlanks(t, t.charCodeAt(0) === 0xfeff ? 1 : 0);
  for (let k = 0; k < path.length; k++) {
    if (t[i] !== '{') return undefined;
    i = skipBlanks(t, i + 1);
    let found = false;
    while (t[i] === '"') {
      const from = i;
      const keyEnd = stringEnd(t, i);
      if (keyEnd < 0) return undefined;
      const raw = t.slice(i + 1, keyEnd - 1);
      const key = raw.includes('\\') ? (JSON.parse(t.slice(i, keyEnd)) as string) : raw;
      i = skipBlanks(t, keyEnd);
      if (t[i] !== ':') return undefined;
      i = skipBlanks(t, i + 1);
      if (key === path[k]) {
        if (k === path.length - 1) {
          const to = valueEnd(t, i);
          return to < 0 ? undefined : { from, to };
        }
        found = true;
        break;
      }
      const end = valueEnd(t, i);
      if (end < 0) return undefined;
      i = skipBlanks(t, end);
      if (t[i] === ',') i = skipBlanks(t, i + 1);
    }
    if (!found) return undefined;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return undefined;
  }
}
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function memberSpan(path: string, text: string, keys: readonly string[]): Span | undefined {
  try {
    const at = jsonMember(text, keys);
    return at ? offsetSpan(path, text, at.from, at.to) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `version` member of `packages["<key>"]` in a v2/v3 lock, found by searching for the key's text: a key
 * holding `node_modules/` names an install folder, and only `packages` is keyed by those, so an occurrence
 * followed by `: {` is the entry (of a duplicated key, the last, which is the one JSON.parse keeps).
 */
function packageEntrySpan(path: string, text: string, key: string): Span | undefined {
  const needle = JSON.stringify(key);
  let open: number | undefined;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) {
    const colon = skipBlanks(text, i + needle.length);
    if (text[colon] !== ':') continue;
    const brace = skipBlanks(text, colon + 1);
    if (text[brace] !== '{') continue;
    open = brace;
  }
  if (open === undefined) return undefined;
  const end = valueEnd(text, open);
  const at = end < 0 ? undefined : jsonMember(text.slice(open, end), ['version']);
  return at && offsetSpan(path, text, open + at.from, open + at.to);
}

// ---- package.json ----

interface Declared {
  /** The manifest's folder. */
  dir: string;
  path: string;
  text: string;
  section: (typeof SECTIONS)[number];
  range: string;
}

function declaredIn(files: TreeFiles, dir: string, pkg: string): Declared | undefined {
  const path = join(dir, 'package.json');
  if (!files.isFile(path)) return undefined;
  const text = files.readText(path);
  const manifest = text === undefined ? undefined : parseJson(text);
  if (text === undefined || !isObject(manifest)) return undefined;
  for (const section of SECTIONS) {
    const deps = manifest[section];
    const range = isObject(deps) ? deps[pkg] : undefined;
    if (typeof range === 'string') return { dir, path, text, section, range };
  }
  return undefined;
}

/** A workspace glob (`packages/*`, `apps/**`, `./tools/cli/`) against a folder relative to the workspace root. */
function globMatches(pattern: string, dir: string): boolean {
  const want = pattern
    .replace(/^\.\//, '')
    .replace(/\/+$/, '')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  const have = dir.split('/');
  const match = (i: number, j: number): boolean => {
    if (i === want.length) return j === have.length;
    const p = want[i] ?? '';
    if (p === '**') return match(i + 1, j) || (j < have.length && match(i, j + 1));
    if (j === have.length) return false;
    const re = new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
    return re.test(have[j] ?? '') && match(i + 1, j + 1);
  };
  return match(0, 0);
}
/** Whether `member` (relative) is a workspace of the package.json in `root` (its `workspaces` globs; `!` excludes). */
function isWorkspace(files: TreeFiles, root: string, member: string): boolean {
  const path = join(root, 'package.json');
  const text = files.isFile(path) ? files.readText(path) : undefined;
  const manifest = text === undefined ? undefined : parseJson(text);
  if (!isObject(manifest)) return false;
  const ws = manifest.workspaces;
  const globs = Array.isArray(ws) ? ws : isObject(ws) && Array.isArray(ws.packages) ? ws.packages : [];
  const patterns = globs.filter((g): g is string => typeof g === 'string');
  return (
    patterns.some((g) => !g.startsWith('!') && globMatches(g, member)) &&
    !patterns.some((g) => g.startsWith('!') && globMatches(g.slice(1), member))
  );
}

// ---- lock files ----

interface Ask {
  files: TreeFiles;
  pkg: string;
  declared: Declared;
  /** The lock file's folder. */
  lockDir: string;
  /** The manifest's folder relative to the lock's ('' when the same). */
  member: string;
  /** The folder of the file that loads the package, relative to the lock's. */
  from: string;
}

function exactVersion(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = EXACT.exec(v);
  return m && m[0] === v ? v : undefined;
}

/**
 * package-lock.json / npm-shrinkwrap.json. v2/v3: `packages` keyed by install folder; the package is the one
 * Node finds, `<dir>/node_modules/<pkg>` for the loading file's folder and each above it up to the lock's.
 * v1 (npm 6, no workspaces): the top-level `dependencies.<pkg>`.
 */
function npmLock(ask: Ask, path: string, text: string): LibraryVersion | undefined {
  const lock = parseJson(text);
  if (!isObject(lock)) return undefined;
  const packages = lock.packages;
  if (isObject(packages)) {
    if (ask.member !== '' && !isObject(packages[ask.member])) return undefined;
    for (let d: string | undefined = ask.from; d !== undefined; d = parentOf(d)) {
      const key = join(d, `node_modules/${ask.pkg}`);
      const entry = packages[key];
      if (entry === undefined) continue;
      // The first one there is the one Node loads: a link or a non-registry version is not a version we know.
      const version = isObject(entry) ? exactVersion(entry.version) : undefined;
      const span = version && packageEntrySpan(path, text, key);
      return version && span ? { version, span } : undefined;
    }
    return undefined;
  }
  const deps = lock.dependencies;
  if (ask.member !== '' || !isObject(deps)) return undefined;
  const entry = deps[ask.pkg];
  const version = isObject(entry) ? exactVersion(entry.version) : undefined;
  const span = version && memberSpan(path, text, ['dependencies', ask.pkg, 'version']);
  return version && span ? { version, span } : undefined;
}

/** `name@range` (the name may be scoped: `@prisma/client@^5`). */
function descriptor(text: string): { name: string; range: string } | undefined {
  const at = text.indexOf('@', 1);
  return at < 0 ? undefined : { name: text.slice(0, at), range: text.slice(at + 1) };
}

/**
 * yarn.lock, v1 (`mysql2@^3.9.0, mysql2@^3.9.2:` then `  version "3.9.7"`) and berry (`"mysql2@npm:^3.9.0":`
 * then `  version: 3.9.7`): the entry whose header lists the manifest's range, else the one version of all
 * the package's entries when they agree.
 */
function yarnLock(ask: Ask, path: string, text: string): LibraryVersion | undefined {
  if (ask.member !== '' && !isWorkspace(ask.files, ask.lockDir, ask.member)) return undefined;
  const lines = text.split('\n');
  const range = ask.declared.range;
  let names: Array<{ name: string; range: string }> | undefined;
  const all: Array<{ version: string | undefined; line: number; matches: boolean }> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      names = undefined;
      if (!line.endsWith(':')) continue;
      const parts = line
        .slice(0, -1)
        .split(/,\s*/)
        .map((p) => descriptor(p.trim().replace(/^"|"$/g, '')));
      const mine = parts.filter((d): d is { name: string; range: string } => d !== undefined && d.name === ask.pkg);
      if (mine.length > 0) names = mine;
      continue;
    }
    const v = names && /^ {2}version:? +"?([^"\s]+)"?$/.exec(line);
    if (!names || !v) continue;
    // A version that is not one (a malformed entry) is only fatal when it is the one chosen.
    all.push({ version: exactVersion(v[1]), line: i, matches: names.some((d) => d.range === range || d.range === `npm:${range}`) });
    names = undefined;
  }
  const chosen = all.find((e) => e.matches) ?? (new Set(all.map((e) => e.version)).size === 1 ? all[0] : undefined);
  return chosen?.version === undefined ? undefined : { version: chosen.version, span: lineContentSpan(path, lines, chosen.line) };
}

interface YamlLine {
  index: number;
  indent: number;
  key: string;
  value: string;
}
function unquote(s: string): string {
  return /^'.*'$/.test(s) ? s.slice(1, -1).replace(/''/g, "'") : /^".*"$/.test(s) ? s.slice(1, -1) : s;
}
/** `  key: value` or `  key:` (keys plain or quoted, a trailing comment dropped); undefined for anything else. */
function yamlLine(lines: readonly string[], index: number): YamlLine | undefined {
  const m = /^( *)('(?:[^']|'')*'|"[^"]*"|[^\s'"#][^:]*?):(?: +(.*?))?\s*$/.exec((lines[index] ?? '').replace(/\r$/, ''));
  if (!m) return undefined;
  const value = (m[3] ?? '').replace(/\s+#.*$/, '');
  return { index, indent: (m[1] ?? '').length, key: unquote(m[2] ?? ''), value: unquote(value) };
}
/** The mapping entries directly under the line `parent` (index; -1 for the top level), in order. */
function* children(lines: readonly string[], parent: number, parentIndent: number): Generator<YamlLine> {
  let indent: number | undefined;
  for (let i = parent + 1; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (/^\s*(#.*)?\r?$/.test(raw)) continue;
    const lead = raw.length - raw.trimStart().length;
    if (lead <= parentIndent) return;
    indent ??= lead;
    if (lead !== indent) continue;
    const y = yamlLine(lines, i);
    if (y) yield y;
  }
}
function child(lines: readonly string[], parent: YamlLine | undefined, key: string): YamlLine | undefined {
  for (const c of children(lines, parent ? parent.index : -1, parent ? parent.indent : -1)) if (c.key === key) return c;
  return undefined;
}

/**
 * pnpm-lock.yaml: under `importers:` the manifest's folder (`.` at the lock's), else (a single-project v5/v6
 * lock) the top level; then `dependencies:` / `devDependencies:` / `optionalDependencies:`, then the package:
 * `version: 3.9.7(peer@1.0.0)` under it (v6, v9) or `<pkg>: 3.9.7_peer@1.0.0` (v5). The peer suffix is dropped.
 */
function pnpmLock(ask: Ask, path: string, text: string): LibraryVersion | undefined {
  const lines = text.split('\n');
  const importers = child(lines, undefined, 'importers');
  let project: YamlLine | undefined;
  if (importers) {
    project = child(lines, importers, ask.member === '' ? '.' : ask.member);
    if (!project) return undefined;
  } else if (ask.member !== '') return undefined;
  for (const section of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const deps = child(lines, project, section);
    const entry = deps && child(lines, deps, ask.pkg);
    if (!entry) continue;
    const at = entry.value === '' ? child(lines, entry, 'version') : entry;
    const m = at && EXACT.exec(at.value);
    if (!at || !m || !/^(?:$|[(_])/.test(at.value.slice(m[0].length))) return undefined;
    return { version: m[0], span: lineContentSpan(path, lines, at.index) };
  }
  return undefined;
}

const LOCKS: ReadonlyArray<{ names: readonly string[]; read: (ask: Ask, path: string, text: string) => LibraryVersion | undefined }> = [
  // npm reads npm-shrinkwrap.json instead of package-lock.json when both exist.
  { names: ['npm-shrinkwrap.json', 'package-lock.json'], read: npmLock },
  { names: ['yarn.lock'], read: yarnLock },
  { names: ['pnpm-lock.yaml'], read: pnpmLock },
];

/** The version the lock files in `lockDir` give; undefined when none does or they disagree. */
function lockedVersion(
  ask: Ask,
  present: ReadonlyArray<{ path: string; read: (typeof LOCKS)[number]['read'] }>,
): LibraryVersion | undefined {
  const found: LibraryVersion[] = [];
  for (const { path, read } of present) {
    const text = ask.files.readText(path);
    if (text === undefined) continue;
    try {
      const v = read(ask, path, text);
      if (v) found.push(v);
    } catch {
      // A malformed lock file says nothing.
    }
  }
  return new Set(found.map((v) => v.version)).size === 1 ? found[0] : undefined;
}

/**
 * The version of `pkg` the project containing `fromPath` installs: exact from the lock file next to the
 * nearest package.json that lists it (or any ancestor's lock file, for workspaces), else the package.json
 * range as written. undefined when no package.json on the way up lists it.
 */
export function installedVersion(files: TreeFiles, fromPath: string, pkg: string): LibraryVersion | undefined {
  try {
    const start = dirOf(fromPath);
    let declared: Declared | undefined;
    for (let d: string | undefined = start; d !== undefined && !declared; d = parentOf(d)) declared = declaredIn(files, d, pkg);
    if (!declared) return undefined;
    const fallback = (): LibraryVersion | undefined => {
      const span = declared && memberSpan(declared.path, declared.text, [declared.section, pkg]);
      return declared && span ? { version: declared.range, span } : undefined;
    };
    for (let d: string | undefined = declared.dir; d !== undefined; d = parentOf(d)) {
      const lockDir = d;
      const present = LOCKS.map(({ names, read }) => {
        const path = names.map((n) => join(lockDir, n)).find((p) => files.isFile(p));
        return path ? { path, read } : undefined;
      }).filter((p) => p !== undefined);
      if (present.length === 0) continue;
      const ask: Ask = { files, pkg, declared, lockDir, member: relative(lockDir, declared.dir), from: relative(lockDir, start) };
      return lockedVersion(ask, present) ?? fallback();
    }
    return fallback();
  } catch {
    return undefined;
  }
}
