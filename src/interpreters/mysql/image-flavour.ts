/*
 * The server an option file is written for, when a Dockerfile next to it (or in a folder above) builds a MySQL or
 * MariaDB image and COPYs or ADDs the file into a folder that image's mysqld reads (mysql-option-files.md, "Which
 * files are these": discovery starts at Dockerfile COPY destinations such as /etc/mysql/conf.d/; the image layouts
 * in compose/image.ts). `FROM mariadb` then says MariaDB, and the tag the version, whatever the file's groups show.
 * The build context is taken to be the Dockerfile's folder (as `docker build <folder>` and Compose `build: <folder>`).
 */

import { posix } from 'node:path';
import type { FileTreeView } from '../../discover/file-tree.js';
import { baseImage, copiedFiles } from '../compose/dockerfile.js';
import { databaseImage, type ImageLayout } from '../compose/image.js';
import type { MySqlFlavor } from './groups.js';

export interface ImageFlavour {
  flavor: MySqlFlavor;
  /** From the image tag (`10.11`); undefined for `latest` or no tag. */
  version?: string;
  /** `mariadb/Dockerfile:2 FROM mariadb copies my.cnf into /etc/mysql/conf.d (line 13)`. */
  reason: string;
}

const DEFAULT_FILES = ['/etc/my.cnf', '/etc/mysql/my.cnf'];

/** Folders whose `*.cnf` files the image's mysqld reads through `!includedir`, and its default files (compose/image.ts). */
function readPlaces(layout: ImageLayout | undefined): { dirs: string[]; files: string[] } {
  switch (layout) {
    case 'mysql-oracle':
    case 'mysql-debian':
      return { dirs: ['/etc/mysql/conf.d'], files: DEFAULT_FILES };
    case 'mysql-oracle-5.7':
      return { dirs: ['/etc/mysql/conf.d', '/etc/mysql/mysql.conf.d'], files: DEFAULT_FILES };
    case 'mariadb':
      return { dirs: ['/etc/mysql/mariadb.conf.d', '/etc/mysql/conf.d'], files: DEFAULT_FILES };
    case 'mariadb-ubi':
      return { dirs: ['/etc/my.cnf.d', '/etc/mysql/mariadb.conf.d', '/etc/mysql/conf.d'], files: DEFAULT_FILES };
    case 'bitnami':
      return { dirs: [], files: ['/opt/bitnami/mysql/conf/my.cnf', '/opt/bitnami/mariadb/conf/my.cnf'] };
    case undefined:
      // An image whose layout connlint does not know (Percona, mysql/mysql-server): the usual places.
      return { dirs: ['/etc/mysql/conf.d', '/etc/my.cnf.d'], files: DEFAULT_FILES };
  }
}

function globRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** Where `file` (relative to the scanned root) lands in the image when a COPY of `source` from `context` takes it. */
function landing(file: string, context: string, source: string, dest: string, many: boolean, view: FileTreeView): string | undefined {
  const from = posix.normalize(posix.join(context, source)).replace(/\/$/, '');
  const to = dest.endsWith('/') ? dest : `${dest}${many ? '/' : ''}`;
  if (/[*?[]/.test(source)) {
    if (posix.dirname(from) !== posix.dirname(file) || !globRegExp(posix.basename(from)).test(posix.basename(file))) return undefined;
    return posix.join(to.endsWith('/') ? to : `${to}/`, posix.basename(file));
  }
  if (from === file) return to.endsWith('/') ? posix.join(to, posix.basename(file)) : to;
  const inside = from === '.' ? file : file.startsWith(`${from}/`) ? file.slice(from.length + 1) : undefined;
  if (inside === undefined || !view.isDirectory(from)) return undefined;
  // A folder's contents are copied into the destination folder.
  return posix.join(to, inside);
}

/** The flavour of the image a Dockerfile at or above `root` builds and copies `root` into; undefined when none does. */
export function imageFlavour(root: string, view: FileTreeView): ImageFlavour | undefined {
  for (let dir = posix.dirname(root); ; dir = posix.dirname(dir)) {
    const dockerfile = dir === '.' ? 'Dockerfile' : `${dir}/Dockerfile`;
    const text = view.isFile(dockerfile) ? view.readText(dockerfile) : undefined;
    const found = text === undefined ? undefined : fromDockerfile(root, dir, dockerfile, text, view);
    if (found) return found;
    if (dir === '.' || dir === '/' || dir === '') return undefined;
  }
}

function fromDockerfile(root: string, context: string, dockerfile: string, text: string, view: FileTreeView): ImageFlavour | undefined {
  const base = baseImage(text);
  const ref = base?.image;
  const image = ref === undefined ? undefined : databaseImage(ref);
  if (!base || ref === undefined || !image) return undefined;
  const places = readPlaces(image.layout);
  for (const copy of copiedFiles(text)) {
    const many = copy.sources.length > 1;
    for (const source of copy.sources) {
      const at = landing(root, context, source, copy.dest, many, view);
      if (at === undefined) continue;
      const dir = posix.dirname(at);
      const read = places.files.includes(at) || (places.dirs.includes(dir) && at.endsWith('.cnf'));
      if (!read) continue;
      // `mariadb:10.11` when the tag gives a version, else the image without its tag (`mariadb`, not `mariadb:latest`).
      const shown = image.version || !image.tag ? ref : ref.slice(0, ref.length - image.tag.length - 1);
      return {
        flavor: image.flavor,
        ...(image.version ? { version: image.version } : {}),
        reason: `${dockerfile}:${base.line} FROM ${shown} ${copy.keyword === 'ADD' ? 'adds' : 'copies'} ${posix.relative(context, root) || posix.basename(root)} into ${places.files.includes(at) ? at : dir} (line ${copy.line})`,
      };
    }
  }
  return undefined;
}
