import { rmSync } from 'node:fs';
import { lint } from '../../src/engine/run.js';
import { type InspectDocument, type InspectInput, inspectJson } from '../../src/inspect/inspect-json.js';
import type { IdlePath } from '../../src/model/idle-path.js';
import { tempRepo } from '../temp-repo.js';

/*
 * Small repositories for the inspect tests. Every model is built by the real code path — discovery, the
 * formats, the interpreters, linking and the idle paths — through `lint()`, as `connlint inspect` does;
 * no test builds a Model by hand, so what the tests see is what the rules saw.
 */

// biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder exactly as written in a properties file
export const KEEPALIVE_PLACEHOLDER = '${KEEPALIVE_MS}';

/** Two devices at 350 s that expire differently: the NAT gateway resets, the GWLB drops silently. */
export const TIE: Record<string, string> = {
  'connlint.config.yaml': 'network:\n  profile: [aws-nat-gateway, aws-gwlb]\n',
  'app/hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\nkeepaliveTime=0\n',
};

/**
 * One repository with a bit of everything: a MySQL server with an include, a HikariCP pool with a secret,
 * a placeholder and a sysctl tree above it, a pgjdbc c3p0 pool, a second sysctl tree at the root, a
 * declared network idle timeout, and files connlint does not read (OpenSSL's openssl.cnf, a `.cnf` that
 * starts with a password).
 */
export const SHOP: Record<string, string> = {
  'connlint.config.yaml': 'network:\n  idleTimeout: 240s\nlibraries:\n  hikaricp: 6.2.1\n',
  'deploy/mysql/my.cnf': '[mysqld]\nwait_timeout = 28800\n!includedir conf.d\n',
  'deploy/mysql/conf.d/timeouts.cnf': '[mysqld]\nwait_timeout = 600\ninteractive_timeout = 900\n',
  'app/src/main/resources/hikari.properties': [
    'poolName=orders',
    'jdbcUrl=jdbc:mysql://app:s3cret@db:3306/orders',
    'password=hunter2',
    'maxLifetime=1800000',
    `keepaliveTime=${KEEPALIVE_PLACEHOLDER}`,
    '',
  ].join('\n'),
  'app/etc/sysctl.d/60-keepalive.conf': 'net.ipv4.tcp_keepalive_time = 300\n',
  'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 7200\nnet.ipv4.tcp_keepalive_intvl = 30\n',
  'reports/c3p0.properties': 'c3p0.jdbcUrl=jdbc:postgresql://db/reports\nc3p0.maxIdleTime=300\n',
  'certs/openssl.cnf': '# OpenSSL configuration\n[ req ]\ndefault_bits = 2048\n',
  'legacy/client.cnf': 'password = hunter2\n[client]\nuser = app\n',
};

const dirs: string[] = [];

/** Removes every repository `inspectRepo` wrote (call from `after`). */
export function removeRepos(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface InspectedRepo {
  dir: string;
  run: Awaited<ReturnType<typeof lint>>;
  input: InspectInput;
  doc: InspectDocument;
}

/** Writes the files to a temp repository, lints it the way `connlint inspect` does and returns the JSON too. */
export async function inspectRepo(
  files: Record<string, string>,
  options: { order?: (names: string[]) => string[] } = {},
): Promise<InspectedRepo> {
  const dir = tempRepo(files, 'connlint-inspect-');
  dirs.push(dir);
  const run = await lint({ cwd: dir, paths: [], ...options });
  const input: InspectInput = { model: run.model, ...(run.config.path ? { configPath: run.config.path } : {}) };
  return { dir, run, input, doc: inspectJson(input) };
}

/** The idle path of the pool whose file is `file`. */
export function pathOf(repo: InspectedRepo, file: string): IdlePath {
  const path = repo.run.model.paths.find((p) => p.pool.origin.path === file);
  if (!path) throw new Error(`no pool in ${file}: ${repo.run.model.paths.map((p) => p.pool.id).join(', ')}`);
  return path;
}
