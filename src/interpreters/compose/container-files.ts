/**
 * The files a database container sees where mysqld looks for option files: the image's own files (only
 * their include directives: the settings an image writes are paths and sockets, nothing connlint
 * checks) with the service's bind mounts laid over them, the most specific mount winning, as Docker
 * stacks them. The option-file tree reader (src/parsers/my-cnf-tree.ts) reads this view with container
 * paths, so `!includedir /etc/mysql/conf.d/` in a mounted file finds what is mounted there and nothing
 * else: no guessing by directory name.
 */
import { posix } from 'node:path';
import type { FileTreeView } from '../../discover/file-tree.js';
import type { Span } from '../../model/span.js';
import type { MySqlFlavor } from '../mysql/groups.js';
import type { ImageLayout } from './image.js';

export interface ContainerMount {
  /** Container path, without the leading `/` (`etc/mysql/conf.d`). */
  target: string;
  /** The repository path mounted there; undefined when the source is not in the scanned tree (a named volume, a host path). */
  source?: string;
  /** The source as written, for notes. */
  written: string;
  /** The `volumes:` entry. */
  span: Span;
}

export interface ImageFiles {
  /** Text of the image's files that matter (include directives), by container path. */
  files: Map<string, string>;
  /** Directories the image has (empty as far as option files go). */
  dirs: Set<string>;
  /** The default option files mysqld reads, in order (container paths). */
  defaults: string[];
  /** The image's layout is not known: any folder may exist in it (with files connlint cannot see). */
  opaque: boolean;
}

function dirsOf(paths: string[]): Set<string> {
  const dirs = new Set<string>();
  for (const p of paths) {
    const parts = p.split('/');
    for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return dirs;
}

/** What an image provides, by layout (image.ts). */
export function imageFiles(layout: ImageLayout | undefined, flavor: MySqlFlavor): ImageFiles {
  const files = new Map<string, string>();
  let dirs: string[] = [];
  let defaults = ['etc/my.cnf', 'etc/mysql/my.cnf'];
  switch (layout) {
    case 'mysql-oracle':
      files.set('etc/my.cnf', '!includedir /etc/mysql/conf.d\n');
      dirs = ['etc/mysql/conf.d'];
      break;
    case 'mysql-oracle-5.7':
      files.set('etc/my.cnf', '!includedir /etc/mysql/conf.d\n!includedir /etc/mysql/mysql.conf.d\n');
      dirs = ['etc/mysql/conf.d', 'etc/mysql/mysql.conf.d'];
      break;
    case 'mysql-debian':
      files.set('etc/mysql/my.cnf', '!includedir /etc/mysql/conf.d\n');
      dirs = ['etc/mysql/conf.d'];
      break;
    case 'mariadb':
      files.set('etc/mysql/my.cnf', '!includedir /etc/mysql/mariadb.conf.d\n!includedir /etc/mysql/conf.d\n');
      dirs = ['etc/mysql/mariadb.conf.d', 'etc/mysql/conf.d'];
      break;
    case 'mariadb-ubi':
      files.set('etc/my.cnf', '!includedir /etc/my.cnf.d\n');
      files.set('etc/my.cnf.d/docker.cnf', '!includedir /etc/mysql/mariadb.conf.d\n!includedir /etc/mysql/conf.d\n');
      dirs = ['etc/my.cnf.d', 'etc/mysql/mariadb.conf.d', 'etc/mysql/conf.d'];
      break;
    case 'bitnami':
      defaults = [`opt/bitnami/${flavor}/conf/my.cnf`];
      dirs = [`opt/bitnami/${flavor}/conf`];
      break;
    case undefined:
      break;
  }
  return { files, dirs: dirsOf([...dirs, ...[...files.keys()].map((f) => posix.dirname(f))]), defaults, opaque: layout === undefined };
}

/** `/etc/mysql/conf.d/` -> `etc/mysql/conf.d`; `.` for the root. */
export function containerPath(path: string): string {
  const n = posix.normalize(`/${path}`).replace(/\/+$/, '');
  return n === '' ? '.' : n.slice(1);
}

type Place = { kind: 'repo'; path: string; mount: ContainerMount } | { kind: 'unknown'; mount: ContainerMount } | { kind: 'image' };

/** Container paths mapped to the repository through the mounts; a FileTreeView for the option-file tree reader. */
export class ContainerView implements FileTreeView {
  private readonly mounts: ContainerMount[];
  /** Mounts the reader looked into (read a file or listed a folder of). */
  readonly touched = new Set<ContainerMount>();

  constructor(
    private readonly repo: FileTreeView,
    mounts: ContainerMount[],
    private readonly image: ImageFiles,
  ) {
    // Longest target first: a file mounted into a mounted directory lies over it.
    this.mounts = [...mounts].sort((a, b) => b.target.length - a.target.length);
  }

  /** Where a container path comes from. */
  place(path: string): Place {
    const c = containerPath(path);
    for (const m of this.mounts) {
      if (c !== m.target && !c.startsWith(`${m.target}/`)) continue;
      if (m.source === undefined) return { kind: 'unknown', mount: m };
      const rest = c.slice(m.target.length + 1);
      return { kind: 'repo', path: rest === '' ? m.source : m.source === '.' ? rest : `${m.source}/${rest}`, mount: m };
    }
    return { kind: 'image' };
  }

  /** The mount a container path lies under, if any. */
  mountOf(path: string): ContainerMount | undefined {
    const p = this.place(path);
    return p.kind === 'image' ? undefined : p.mount;
  }

  /** The repository file behind a container path, if it is one. */
  repoPath(path: string): string | undefined {
    const p = this.place(path);
    return p.kind === 'repo' ? p.path : undefined;
  }

  /** Mount targets directly inside a container directory. */
  private mountedChildren(dir: string): string[] {
    const prefix = dir === '.' ? '' : `${dir}/`;
    const names = new Set<string>();
    for (const m of this.mounts) {
      if (!m.target.startsWith(prefix) || m.target === dir) continue;
      const name = m.target.slice(prefix.length).split('/')[0];
      if (name) names.add(name);
    }
    return [...names];
  }

  readText(path: string): string | undefined {
    const p = this.place(path);
    if (p.kind !== 'image') this.touched.add(p.mount);
    if (p.kind === 'repo') return this.repo.isFile(p.path) ? this.repo.readText(p.path) : undefined;
    if (p.kind === 'unknown') return undefined;
    return this.image.files.get(containerPath(path));
  }

  isFile(path: string): boolean {
    const p = this.place(path);
    if (p.kind === 'repo') return this.repo.isFile(p.path);
    if (p.kind === 'unknown') return false;
    return this.image.files.has(containerPath(path));
  }

  isDirectory(path: string): boolean {
    const c = containerPath(path);
    const p = this.place(c);
    if (p.kind === 'repo') return this.repo.isDirectory(p.path) || this.mountedChildren(c).length > 0;
    // What a volume or host path holds is not known; a directory mounted there exists.
    if (p.kind === 'unknown') return true;
    return c === '.' || this.image.opaque || this.image.dirs.has(c) || this.mountedChildren(c).length > 0;
  }

  listDir(path: string): string[] | undefined {
    const c = containerPath(path);
    if (!this.isDirectory(c)) return undefined;
    const p = this.place(c);
    if (p.kind !== 'image') this.touched.add(p.mount);
    const names = new Set<string>(this.mountedChildren(c));
    if (p.kind === 'repo') for (const n of this.repo.listDir(p.path) ?? []) names.add(n);
    if (p.kind === 'image') {
      const prefix = c === '.' ? '' : `${c}/`;
      for (const f of [...this.image.files.keys(), ...this.image.dirs]) {
        if (f.startsWith(prefix) && f !== c) names.add(f.slice(prefix.length).split('/')[0] as string);
      }
    }
    return [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }
}
