/**
 * Which sysctl files belong together (one host or image), and the order systemd-sysctl applies them in
 * (sysctl.md, "Syntax and parsing facts", files and order).
 */

export interface SysctlTree {
  /** The directory that holds the tree, `.` for the scanned root. */
  root: string;
  /** In the order systemd-sysctl applies them. */
  files: string[];
}

/**
 * Directories systemd-sysctl reads, highest priority first (sysctl.md: `/etc`, `/run`, `/usr/local/lib`,
 * `/usr/lib`; procps also `/lib`). Longer suffixes come first so `usr/lib` is not taken for `lib`.
 */
const SYSTEM_DIRS: Array<{ suffix: string; priority: number }> = [
  { suffix: 'usr/local/lib', priority: 2 },
  { suffix: 'usr/lib', priority: 3 },
  { suffix: 'etc', priority: 0 },
  { suffix: 'run', priority: 1 },
  { suffix: 'lib', priority: 4 },
];
/** A `sysctl.d` outside the system layout (`deploy/sysctl.d`): read, but below every system directory. */
const OWN_DIR_PRIORITY = 5;
/** systemd-sysctl reads `/etc/sysctl.conf` only through the Debian symlink `/etc/sysctl.d/99-sysctl.conf` (sysctl.md, systemd 207). */
const SYSCTL_CONF_ALIAS = '99-sysctl.conf';

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i) || '.';
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The part of `dir` before the path suffix `suffix` (`a/usr/lib` - `usr/lib` = `a`), or undefined when it does not end so. */
function stripSuffix(dir: string, suffix: string): string | undefined {
  if (dir === suffix) return '.';
  if (dir.endsWith(`/${suffix}`)) return dir.slice(0, dir.length - suffix.length - 1) || '.';
  return undefined;
}

/** Could this path be a sysctl file by its name? (cheap prefilter: `sysctl.conf`, `*.conf` in `sysctl.d`, `*sysctl*.conf`) */
export function looksLikeSysctl(path: string): boolean {
  // Asked for every path of a walk: most end otherwise.
  if (!path.endsWith('.conf')) return false;
  const base = basename(path);
  if (base === 'sysctl.conf') return true;
  if (!base.endsWith('.conf')) return false;
  return basename(dirname(path)) === 'sysctl.d' || base.includes('sysctl');
}

/** Directories whose files are applied by another program, never by procps or systemd-sysctl (sysctl.md). */
const FOREIGN_DIRS: Record<string, string> = {
  'modprobe.d': 'a modprobe.d file holds kernel module options, read by modprobe, not by sysctl',
  ufw: "ufw's own sysctl file (/etc/ufw/sysctl.conf), applied by ufw when the firewall starts, not by systemd-sysctl",
  tuned: 'a tuned profile, applied by tuned, not by systemd-sysctl',
};

/**
 * Whether procps `sysctl --system` or systemd-sysctl reads this file: `sysctl.conf`, and `*.conf` in a
 * `sysctl.d` directory (sysctl.md, files and order). Anything else named like sysctl is not read.
 */
export function sysctlClaim(path: string): { reason: string } | { notRead: string } {
  const parts = path.split('/');
  for (const dir of parts.slice(0, -1)) {
    const why = FOREIGN_DIRS[dir];
    if (why) return { notRead: why };
  }
  const base = basename(path);
  if (base === 'sysctl.conf') return { reason: 'sysctl.conf, read by procps and systemd-sysctl' };
  if (base.endsWith('.conf') && basename(dirname(path)) === 'sysctl.d')
    return { reason: '*.conf in a sysctl.d directory, read by systemd-sysctl' };
  return { notRead: 'not a sysctl file: procps and systemd-sysctl read only sysctl.conf and *.conf in sysctl.d directories' };
}

interface Member {
  path: string;
  /** The name the file is sorted and masked by. */
  name: string;
  priority: number;
  /** `sysctl.conf` standing in for the 99-sysctl.conf symlink: a real file of that name in the same directory wins. */
  isAlias: boolean;
}

/** Byte order (`strcmp`), which differs from UTF-16 order for some non-ASCII names. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Places a file in a tree from where it sits: the tree's root and its priority there, or undefined for a loose file. */
function placeOf(path: string): { root: string; member: Member } | undefined {
  const dir = dirname(path);
  const base = basename(path);
  if (basename(dir) === 'sysctl.d' && base.endsWith('.conf')) {
    const holder = dirname(dir);
    for (const { suffix, priority } of SYSTEM_DIRS) {
      const root = stripSuffix(holder === '.' ? '' : holder, suffix);
      if (root !== undefined) return { root, member: { path, name: base, priority, isAlias: false } };
    }
    return { root: holder, member: { path, name: base, priority: OWN_DIR_PRIORITY, isAlias: false } };
  }
  if (base === 'sysctl.conf') {
    const root = stripSuffix(dir === '.' ? '' : dir, 'etc');
    if (root !== undefined) return { root, member: { path, name: SYSCTL_CONF_ALIAS, priority: 0, isAlias: true } };
    return { root: dir, member: { path, name: SYSCTL_CONF_ALIAS, priority: OWN_DIR_PRIORITY, isAlias: true } };
  }
  return undefined;
}

/** Groups sysctl file paths (relative, POSIX) into trees and orders each one as systemd-sysctl does. */
export function orderSysctlFiles(paths: string[]): SysctlTree[] {
  const trees = new Map<string, Member[]>();
  const add = (root: string, member: Member) => {
    const list = trees.get(root);
    if (list) list.push(member);
    else trees.set(root, [member]);
  };
  const unique = [...new Set(paths)].sort(compareBytes);
  for (const path of unique) {
    const place = placeOf(path);
    if (place) add(place.root, place.member);
  }

  const result: SysctlTree[] = [];
  for (const [root, members] of trees) {
    // A name present in several directories is read only from the highest-priority one; a real
    // 99-sysctl.conf beats the sysctl.conf alias at the same level (sysctl.md, tested masking).
    const byName = new Map<string, Member>();
    for (const m of members) {
      const held = byName.get(m.name);
      if (!held || m.priority < held.priority || (m.priority === held.priority && held.isAlias && !m.isAlias)) byName.set(m.name, m);
    }
    // All survivors are applied in file-name order, whatever their directory (sysctl.md, strcmp order).
    const files = [...byName.values()].sort((a, b) => compareBytes(a.name, b.name) || compareBytes(a.path, b.path)).map((m) => m.path);
    result.push({ root, files });
  }
  return result.sort((a, b) => compareBytes(a.root, b.root));
}
