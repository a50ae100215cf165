/**
 * Which database server a Compose service's `image:` runs, and how that image lays out its option
 * files (mysql-server.md, "Managed services and images"; docker-library/mysql and MariaDB/mariadb-docker
 * Dockerfiles). Only names that certainly are a MySQL or MariaDB server count; the tag gives the
 * version when it starts with one (`8.0`, `8.0.36-debian`, `10.11-jammy`), never `latest`/`lts`.
 */

import type { MySqlFlavor } from '../mysql/groups.js';

/**
 * Option-file layouts of the images connlint knows, each the files mysqld reads in order (its default
 * files `/etc/my.cnf`, `/etc/mysql/my.cnf`) with the include directives the image writes into them:
 * - `mysql-oracle`: the official `mysql` image (Oracle Linux; default for 8.0 and later, 5.7): the
 *   image's `/etc/my.cnf` ends with `!includedir /etc/mysql/conf.d/` (5.7 also `/etc/mysql/mysql.conf.d/`);
 *   `/etc/mysql/my.cnf` is read after it when mounted.
 * - `mysql-debian`: `mysql:8.0-debian` (`-bookworm` ...): `/etc/mysql/my.cnf` with `!includedir /etc/mysql/conf.d/`.
 * - `mariadb`: the official `mariadb` image (Ubuntu): `/etc/mysql/my.cnf` -> `mariadb.cnf`, whose
 *   includedirs the image reorders so `/etc/mysql/mariadb.conf.d/` comes first and `/etc/mysql/conf.d/`
 *   (the documented mount point) last (MariaDB/mariadb-docker issue #327).
 * - `mariadb-ubi`: `mariadb:*-ubi`: `/etc/my.cnf` includes `/etc/my.cnf.d`, whose `docker.cnf` includes
 *   `/etc/mysql/mariadb.conf.d` then `/etc/mysql/conf.d`.
 * - `bitnami`: mysqld runs with `--defaults-file=/opt/bitnami/<mysql|mariadb>/conf/my.cnf`; its entrypoint
 *   runs `command:` as a program (`exec "$@"`), and extra server flags come from `MYSQL_EXTRA_FLAGS` /
 *   `MARIADB_EXTRA_FLAGS` (bitnami/containers entrypoint.sh and run.sh).
 */
export type ImageLayout = 'mysql-oracle' | 'mysql-oracle-5.7' | 'mysql-debian' | 'mariadb' | 'mariadb-ubi' | 'bitnami';

export interface DatabaseImage {
  /** The image reference as written (after interpolation). */
  ref: string;
  flavor: MySqlFlavor;
  /** The product in words (`MySQL`, `MariaDB`, `Percona Server for MySQL`). */
  product: string;
  tag?: string;
  /** From the tag (`8.0`, `10.11.6`); undefined for `latest`, `lts` or no tag. */
  version?: string;
  /** Undefined when connlint does not know how the image reads option files. */
  layout?: ImageLayout;
}

/** Namespaces under which Docker Hub publishes the official images (Docker Hub, ECR Public mirror, per-architecture repositories). */
const OFFICIAL = new Set([
  '',
  'library',
  'docker/library',
  'amd64',
  'arm64v8',
  'arm32v7',
  'arm32v6',
  'ppc64le',
  's390x',
  'i386',
  'riscv64',
]);

interface Reference {
  /** Repository path without the registry: `library/mysql`, `bitnami/mariadb`. */
  path: string;
  tag?: string;
}

/** `[registry/]path[:tag][@digest]`, lower-cased as Docker requires repository names. */
export function parseImageReference(ref: string): Reference | undefined {
  let rest = ref.trim();
  if (rest === '' || /\s/.test(rest)) return undefined;
  const at = rest.indexOf('@');
  if (at >= 0) rest = rest.slice(0, at);
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  // A first component with a dot or a port, or `localhost`, names a registry (Docker's reference grammar).
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0] as string)) parts.shift();
  const path = parts.join('/').toLowerCase();
  if (path === '') return undefined;
  return { path, ...(tag ? { tag } : {}) };
}

function versionOf(tag: string | undefined): string | undefined {
  const m = tag === undefined ? null : /^(\d+(?:\.\d+){0,2})(?![\d.])/.exec(tag);
  return m?.[1];
}

function mysqlLayout(tag: string | undefined, version: string | undefined): ImageLayout | undefined {
  const debian = /debian|bookworm|bullseye|buster|stretch/i.test(tag ?? '');
  const major = version ? Number(version.split('.')[0]) : undefined;
  const minor = version?.includes('.') ? Number(version.split('.')[1]) : undefined;
  if (major !== undefined && (major < 5 || (major === 5 && minor !== undefined && minor < 7) || (major === 5 && minor === undefined))) {
    return undefined;
  }
  if (debian) return major === 8 && minor === 0 ? 'mysql-debian' : undefined;
  if (major === 5) return 'mysql-oracle-5.7';
  return 'mysql-oracle';
}

/** The server an image runs, or undefined when it is not (certainly) a MySQL or MariaDB server image. */
export function databaseImage(ref: string): DatabaseImage | undefined {
  const parsed = parseImageReference(ref);
  if (!parsed) return undefined;
  const parts = parsed.path.split('/');
  const name = parts.pop() as string;
  const namespace = parts.join('/');
  const tag = parsed.tag;
  const version = versionOf(tag);
  const base = { ref, ...(tag ? { tag } : {}), ...(version ? { version } : {}) };
  const official = OFFICIAL.has(namespace);
  if (name === 'mysql' && official) {
    const layout = mysqlLayout(tag, version);
    return { ...base, flavor: 'mysql', product: 'MySQL', ...(layout ? { layout } : {}) };
  }
  if (name === 'mariadb' && official) {
    return { ...base, flavor: 'mariadb', product: 'MariaDB', layout: /ubi/i.test(tag ?? '') ? 'mariadb-ubi' : 'mariadb' };
  }
  if (namespace === 'bitnami' && (name === 'mysql' || name === 'mariadb')) {
    return { ...base, flavor: name, product: name === 'mysql' ? 'MySQL' : 'MariaDB', layout: 'bitnami' };
  }
  if ((name === 'percona' && official) || (namespace === 'percona' && name === 'percona-server')) {
    return { ...base, flavor: 'mysql', product: 'Percona Server for MySQL' };
  }
  if (namespace === 'mysql' && name === 'mysql-server') return { ...base, flavor: 'mysql', product: 'MySQL' };
  return undefined;
}

/** The option-file layout of an image, for messages and notes. */
export function describeLayout(layout: ImageLayout): string {
  switch (layout) {
    case 'mysql-oracle':
      return 'its /etc/my.cnf includes /etc/mysql/conf.d/; /etc/mysql/my.cnf is read after it';
    case 'mysql-oracle-5.7':
      return 'its /etc/my.cnf includes /etc/mysql/conf.d/ then /etc/mysql/mysql.conf.d/; /etc/mysql/my.cnf is read after it';
    case 'mysql-debian':
      return '/etc/my.cnf is read first, then its /etc/mysql/my.cnf, which includes /etc/mysql/conf.d/';
    case 'mariadb':
      return '/etc/my.cnf is read first, then its /etc/mysql/my.cnf, which includes /etc/mysql/mariadb.conf.d/ then /etc/mysql/conf.d/';
    case 'mariadb-ubi':
      return 'its /etc/my.cnf includes /etc/my.cnf.d, whose docker.cnf includes /etc/mysql/mariadb.conf.d then /etc/mysql/conf.d; /etc/mysql/my.cnf is read after it';
    case 'bitnami':
      return 'mysqld reads only the file given with --defaults-file=/opt/bitnami/<mysql|mariadb>/conf/my.cnf';
  }
}
