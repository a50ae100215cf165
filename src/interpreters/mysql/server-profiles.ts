/**
 * Server profiles that `database.profile` in connlint.config.yaml can name: a MySQL or MariaDB release,
 * or a managed service, whose configuration is not in the repository.
 *
 * Every value comes from mysql-server.md ("Settings" for the releases, "Managed services and images"
 * for the services). A managed service whose value that file does not document, or marks
 * "(unverified)", gets no value: the variable is unknown with the reason, and the declared server asks
 * for `database.variables.<name>`, so no finding ever rests on a guessed provider default. A release
 * default the file gives as "same (unverified, no change known)" is kept, as for any declared server of
 * that engine, and its fact says so.
 */
import type { MySqlFlavor } from './groups.js';

/** The knowledge-base file every server profile comes from. */
export const SERVER_PROFILE_KB = 'mysql-server.md';

/** One server variable of a profile: its documented value in the variable's unit (s, bytes, count), or why there is none. */
export type ProfileVariable = { value: number; fact: string } | { unknown: string; fact: string };

export interface ServerProfile {
  id: string;
  /** Who sets the defaults, as findings name them: "the <name> default" (`Amazon RDS for MySQL`). */
  name: string;
  engine: MySqlFlavor;
  /** The release, when the profile is one; a version the config declares must start with it (`8.0` -> `8.0.36`). */
  version?: string;
  /** A managed service (its values are the provider's), not a release (the engine's own defaults). */
  managed: boolean;
  variables: Readonly<Record<string, ProfileVariable>>;
  /** The documentation or source the knowledge file cites: URLs where it gives one, else the reference as worded there. */
  sources: readonly string[];
}

const SETTINGS = `${SERVER_PROFILE_KB}, Settings`;
const MANAGED = `${SERVER_PROFILE_KB}, Managed services and images`;

const MYSQL_MANUAL = 'https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html';

function declare(name: string): string {
  return `declare database.variables.${name} with the value your instance uses`;
}

/** The four variables a release profile sets, with the facts the Settings table gives for that release. */
function release(
  id: string,
  name: string,
  engine: MySqlFlavor,
  version: string,
  facts: { wait: string; interactive: string; packet: [number, string]; connections: string },
  sources: readonly string[],
): [string, ServerProfile] {
  return [
    id,
    {
      id,
      name,
      engine,
      version,
      managed: false,
      variables: {
        wait_timeout: { value: 28800, fact: `${SETTINGS}: wait_timeout ${facts.wait}` },
        interactive_timeout: { value: 28800, fact: `${SETTINGS}: interactive_timeout ${facts.interactive}` },
        max_allowed_packet: { value: facts.packet[0], fact: `${SETTINGS}: max_allowed_packet ${facts.packet[1]}` },
        max_connections: { value: 151, fact: `${SETTINGS}: max_connections ${facts.connections}` },
      },
      sources,
    },
  ];
}

function managed(
  id: string,
  name: string,
  engine: MySqlFlavor,
  variables: Record<string, { unknown: string }>,
  sources: readonly string[],
): [string, ServerProfile] {
  const withFacts: Record<string, ProfileVariable> = {};
  for (const [variable, v] of Object.entries(variables)) {
    withFacts[variable] = { unknown: `${v.unknown}; ${declare(variable)}`, fact: `${MANAGED}: ${name}, ${variable}` };
  }
  return [id, { id, name, engine, managed: true, variables: withFacts, sources }];
}

/** interactive_timeout is no column of the managed-services table: no provider value is documented. */
const NO_INTERACTIVE = { unknown: 'the knowledge base documents no provider value' };

export const SERVER_PROFILES: ReadonlyMap<string, ServerProfile> = new Map([
  release(
    'mysql-8.0',
    'MySQL 8.0',
    'mysql',
    '8.0',
    {
      wait: '28800 s (8 h), NET_WAIT_TIMEOUT in MySQL-lineage sys_vars.cc copies (5.x-8.0)',
      interactive: '28800 s',
      packet: [67_108_864, 'MySQL 8.0: 67108864 (64 MiB), sys_vars.cc DEFAULT(64 * 1024 * 1024)'],
      connections: '151 (MySQL 5.7/8.x)',
    },
    [SERVER_PROFILE_KB, MYSQL_MANUAL],
  ),
  release(
    'mysql-8.4',
    'MySQL 8.4',
    'mysql',
    '8.4',
    {
      wait: '28800 s (8 h); MySQL 8.4 the same (unverified, no change known)',
      interactive: '28800 s; MySQL 8.4 no change found (unverified)',
      packet: [67_108_864, '64 MiB for 8.4 (unverified; 67108864 in MySQL 8.0, no change known)'],
      connections: '151 (MySQL 5.7/8.x)',
    },
    [
      SERVER_PROFILE_KB,
      MYSQL_MANUAL,
      'mysql/mysql-server @ mysql-8.4.11 (sql/auth/sql_authentication.cc, sql/conn_handler/connection_handler_manager.cc)',
    ],
  ),
  release(
    'mariadb-10.11',
    'MariaDB 10.11',
    'mariadb',
    '10.11',
    {
      wait: '28800 s (8 h), MariaDB 10.11 (source and run), NET_WAIT_TIMEOUT 8*60*60 @ mariadb-10.11.18',
      interactive: '28800 s',
      packet: [16_777_216, 'MariaDB 10.11: 16777216 (16 MiB), sys_vars.cc DEFAULT(16*1024*1024) @ mariadb-10.11.18'],
      connections: '151 (MariaDB 10.11)',
    },
    [
      SERVER_PROFILE_KB,
      'MariaDB/server @ mariadb-10.11.18 (sql/sys_vars.cc, include/mysql_com.h)',
      'https://mariadb.com/kb/en/server-system-variables/',
    ],
  ),
  release(
    'mariadb-11',
    'MariaDB 11',
    'mariadb',
    '11',
    {
      wait: '28800 s (8 h); MariaDB 11.4/11.8 the same (unverified, no change known)',
      interactive: '28800 s; MariaDB 10.6 to 11.8 no change found (unverified beyond 10.11)',
      packet: [16_777_216, 'MariaDB >= 10.2.4: 16 MiB; 10.6 to 11.8 no change found (unverified beyond 10.11)'],
      connections: '151 (given for MariaDB 10.11; 10.6 to 11.8 no change found, unverified beyond 10.11)',
    },
    [
      SERVER_PROFILE_KB,
      'MariaDB/server @ mariadb-10.11.18 (sql/sys_vars.cc, include/mysql_com.h)',
      'https://mariadb.com/kb/en/server-system-variables/',
    ],
  ),
  managed(
    'aws-rds-mysql',
    'Amazon RDS for MySQL',
    'mysql',
    {
      wait_timeout: {
        unknown:
          'the knowledge base gives the engine default 28800 s but marks "AWS default parameter group does not override it" unverified',
      },
      interactive_timeout: NO_INTERACTIVE,
      max_allowed_packet: { unknown: 'engine default (unverified)' },
      max_connections: {
        unknown:
          'a formula of the instance memory, {DBInstanceClassMemory/12582880} (about 1,300 for a 16 GiB class; DBInstanceClassMemory is RAM minus OS/RDS reservations)',
      },
    },
    [SERVER_PROFILE_KB, 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections'],
  ),
  managed(
    'aws-aurora-mysql',
    'Amazon Aurora MySQL',
    'mysql',
    {
      wait_timeout: { unknown: 'the knowledge base gives 28800 s, marked unverified' },
      interactive_timeout: NO_INTERACTIVE,
      max_allowed_packet: { unknown: 'engine default, 4 MiB (v2) / 64 MiB (v3), marked unverified' },
      max_connections: {
        unknown:
          'a formula of the instance memory, GREATEST({log(DBInstanceClassMemory/805306368)*45},{log(DBInstanceClassMemory/8187281408)*1000}), log base 2 (db.r4.large: 1000), settable up to 16,000',
      },
    },
    [SERVER_PROFILE_KB, 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Performance.html'],
  ),
  managed(
    'gcp-cloud-sql-mysql',
    'Google Cloud SQL for MySQL',
    'mysql',
    {
      wait_timeout: { unknown: 'not documented in the sources the knowledge base reached' },
      interactive_timeout: NO_INTERACTIVE,
      max_allowed_packet: { unknown: 'not documented (unverified)' },
      max_connections: { unknown: 'memory-based defaults by machine type (such as 250, 1,000, 4,000), marked unverified' },
    },
    [SERVER_PROFILE_KB, 'https://cloud.google.com/sql/docs/mysql/quotas', 'https://cloud.google.com/sql/docs/mysql/flags'],
  ),
  managed(
    'azure-mysql-flexible',
    'Azure Database for MySQL Flexible Server',
    'mysql',
    {
      wait_timeout: { unknown: 'not documented on the server-parameters page' },
      interactive_timeout: NO_INTERACTIVE,
      max_allowed_packet: { unknown: 'not documented on the server-parameters page' },
      max_connections: {
        unknown:
          'set by compute size (B1s 85, B1ms 171, B2s 341, D2ds_v4/D2ads_v5 683, D4 1365, D8 2731, D16 5461, D32 10923, D48 16384, D64 21845, E96ds_v5 50000; min 10)',
      },
    },
    [SERVER_PROFILE_KB, 'MicrosoftDocs/azure-databases-docs articles/mysql/flexible-server/concepts-server-parameters.md @ d576c8e'],
  ),
]);

/** Whether a declared version belongs to the profile's release: `8.0` and `8.0.36` to `8.0`, `11.4` to `11`. */
export function versionFits(profile: ServerProfile, version: string): boolean {
  if (profile.version === undefined) return true;
  const want = profile.version.split('.');
  const got = version.split('.');
  return want.every((part, i) => got[i] !== undefined && Number(got[i]) === Number(part));
}
