import { problemRule } from '../src/engine/problem-rule.js';

// Reported by the readers (problemRule): mysqld option files and command lines, Compose sysctls, and the pool
// readers that know a setter or binder that throws.
export default problemRule({
  id: 'startup-failure',
  summary: 'A value stops the program at start-up',
  severity: 'error',
  tags: ['config'],
  status: { kind: 'stable', since: '0.3.0' },
  docs: {
    whatItDoes:
      'Reports a value that the program reads without trouble as text but refuses when it starts, so it does not start at all. ' +
      'MySQL/MariaDB server: a number with a suffix other than K, M, G, T, P, E (`wait_timeout = 8h`, `10s`, `1.5G`, `0x10`), ' +
      'a negative value for an unsigned variable on MariaDB, an empty numeric value on MySQL 8, an option the server does ' +
      'not know without the `loose-` prefix (as far as the knowledge base can tell: `default_authentication_plugin` on MySQL ' +
      '8.4, a MariaDB-only variable on a declared MySQL server), a top-level `!includedir` of a missing directory, and the same ' +
      'in a Compose `command:`. Containers: a Compose `sysctls:` value the kernel rejects or a `net.*` sysctl with ' +
      '`network_mode: host`, which stop the container. Pool readers report here the setters and binders that throw at start-up: ' +
      'HikariCP setters (`connectionTimeout` under 250 ms, `maximumPoolSize` under 1), a Spring Boot binding that cannot ' +
      'convert a value (`max-lifetime: 30m` before Boot converts durations for that key), tarn `min` above `max` (knex ' +
      'throws when the pool is created), a Python pool argument of the wrong type, and a Prisma datasource that sets one ' +
      'property twice (P1012 `Key "url" is already defined`).',
    whyIsThisBad:
      'The service never comes up, and the message is in a log nobody reads until the outage: mysqld prints ' +
      "\"Unknown suffix 'h' used for variable 'wait_timeout' (value '8h'). Legal suffix characters are: K, M, G, T, P, E\" " +
      'or "unknown variable \'foo_bar=1\'" followed by "[ERROR] Aborting" and exits (status 9 and 7 with MariaDB 10.11). ' +
      'Option files are often mounted into containers, so the failure shows up as a restart loop.',
    example: {
      'my.cnf': '[mysqld]\n# K/M/G are powers of 1024, not time units\nwait_timeout = 8h\n',
    },
    useInstead: {
      'my.cnf': '[mysqld]\n# 8 hours, written in seconds\nwait_timeout = 28800\n',
    },
    knownLimits:
      'connlint has no complete list of server options, so an option is called unknown only when the knowledge base names it ' +
      'as removed or flavour-only; other misspellings are not reported. MySQL behaviour is from MySQL source (no MySQL binary ' +
      'was run for the knowledge base), MariaDB behaviour from running mariadbd 10.11.',
    references: [
      'connlint knowledge: mysql-option-files.md ("What the option parser does": numbers and suffixes, unknown names, loose-; "What a linter can safely conclude": safe ERROR findings; E15, E18, E30)',
      'connlint knowledge: mysql-server.md (Settings: ranges and start-up handling of bad values)',
      'connlint knowledge: sysctl.md (kernel value parsing; Compose and Kubernetes sysctls)',
      'MariaDB option files: https://mariadb.com/kb/en/configuring-mariadb-with-option-files/',
    ],
  },
});
