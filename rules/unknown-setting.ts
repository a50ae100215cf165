import { problemRule } from '../src/engine/problem-rule.js';

// Reported by the readers (problemRule): an unknown key a program ignores or only warns about. Where the
// program refuses to start on it, the reader reports startup-failure instead.
export default problemRule({
  id: 'unknown-setting',
  summary: 'A key the library or server does not know',
  severity: 'warning',
  tags: ['config'],
  status: { kind: 'stable', since: '0.3.0' },
  docs: {
    whatItDoes:
      'Reports a key that the program reading it does not know, with the closest known key when there is one. In the ' +
      'server groups of a MySQL/MariaDB option file (`[mysqld]`, `[server]`, `[mariadb]` ...) this depends on the flavour ' +
      'and version: `loose-default_authentication_plugin` on MySQL 8.4 (removed in 8.4.0) is skipped with a warning; ' +
      '`default_authentication_plugin` with no known version is removed in 8.4 and still accepted by 8.0; option names in ' +
      'mixed case or a `LOOSE-` prefix work on MariaDB but not on MySQL 8 (from MySQL source). A server option one or two ' +
      'letters away from a variable connlint knows (`wait_timeoutt`, `max_conections`; names of 8 characters or more) is ' +
      'reported as a probable misspelling, with the value the intended variable keeps. A server option known to be ' +
      'unknown WITHOUT `loose-` stops mysqld, so it is reported as `startup-failure`, not here.',
    whyIsThisBad:
      'The intended value never applies and nothing fails: mysqld logs "[Warning] unknown variable \'loose-…\'" and goes ' +
      'on with its default, and libraries that ignore unknown keys say nothing at all. A `loose-` typo such as ' +
      '`loose-wait_timout` means the setting is simply absent.',
    example: {
      'my.cnf': '[mysqld]\n# removed in MySQL 8.4.0\ndefault_authentication_plugin = mysql_native_password\nwait_timeout = 600\n',
    },
    useInstead: {
      'my.cnf': '[mysqld]\nwait_timeout = 600\n',
    },
    knownLimits:
      'The knowledge base has no complete MySQL or MariaDB option list, so only names it lists as removed, renamed or ' +
      'flavour-only are judged as certainly unknown (`default_authentication_plugin`; MariaDB-only variables on a declared ' +
      'MySQL server). Other misspellings are found only near the variables connlint reasons about (wait_timeout, ' +
      'max_allowed_packet, max_connections ...) and only as a warning, since the name may be a plugin option or one of ' +
      'another version; real neighbours (lock_wait_timeout, max_user_connections, mysqlx_* ...) are listed and stay silent, ' +
      'and a prefix of a known name is left alone on MariaDB, which accepts unique prefixes. Declare `optionFiles.flavor` and `optionFiles.version` in connlint.config.yaml ' +
      'when the files do not show the server (a Compose image does).',
    references: [
      'connlint knowledge: mysql-option-files.md ("Special prefixes": loose-; "Prefix abbreviations"; unknown name without loose- (E18); "Which files are these": default_authentication_plugin, flavour evidence; E29, E30)',
      'MySQL 8.4 option changes: https://dev.mysql.com/doc/mysqld-version-reference/en/optvar-changes-8-4.html',
    ],
  },
});
