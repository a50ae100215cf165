import { defineRule } from '../src/engine/define-rule.js';
import { ENGINE_NAMES, type Model } from '../src/model/model.js';
import type { ReplacedAssignment, Setting, Value } from '../src/model/setting.js';
import { isSecretKey } from '../src/model/secrets.js';
import { formatSpan, type Span } from '../src/model/span.js';
import { humanValue } from '../src/model/values.js';

/** Same meaning: `600` and `600`, `1K` and `1024`, `wait-timeout` and `wait_timeout` with one value. */
function sameValue(a: Value, b: Value): boolean {
  switch (a.kind) {
    case 'duration':
      return b.kind === 'duration' && a.ms === b.ms;
    case 'size':
      return b.kind === 'size' && a.bytes === b.bytes;
    case 'bool':
    case 'count':
      return b.kind === a.kind && b.value === a.value;
    case 'string':
      return b.kind === 'string' && b.value === a.value;
    case 'unknown':
      return true;
  }
}

/** `600 (10 min)`; just `600` when the human form adds nothing; `64M (64 MiB)`. */
function shown(raw: string | null, value: Value): string {
  const written = raw ?? '(no value)';
  if (value.kind === 'string' || value.kind === 'bool' || value.kind === 'count') return written;
  const human = humanValue(value);
  return human === written ? written : `${written} (${human})`;
}

/** `my.cnf:4`, or `docker-compose.yml:4:15` when the other assignment is on the same line (two flags of one command). */
function place(span: Span, other: Span): string {
  return span.path === other.path && span.line === other.line ? `${formatSpan(span)}:${span.column}` : formatSpan(span);
}

interface Holder {
  id: string;
  /** Who applies the last one, for messages: `the server (MariaDB)`, `the kernel (sysctl files)`, `HikariCP`. */
  program: string;
  settings: Map<string, Setting>;
}

function holders(model: Model): Holder[] {
  return [
    ...model.servers.map((s) => ({ id: s.id, program: `the server (${ENGINE_NAMES[s.engine]})`, settings: s.settings })),
    ...model.pools.map((p) => ({ id: p.id, program: p.libraryName, settings: p.settings })),
    ...model.hosts.map((h) => ({
      id: h.id,
      program: h.container ? `Docker (service ${h.container.service})` : 'the kernel (sysctl files, last one applied)',
      settings: h.settings,
    })),
  ];
}

export default defineRule({
  id: 'conflicting-duplicate-setting',
  summary: 'One option is set twice with different values in one effective configuration',
  severity: 'warning',
  tags: ['config'],
  status: { kind: 'stable', since: '0.3.0' },
  options: {
    acrossFiles: {
      type: 'boolean',
      description:
        'Also report a value replaced from another file (a note): an include or a later conf.d file overriding an earlier one, which packaging such as Debian does on purpose.',
      default: false,
    },
  },
  docs: {
    whatItDoes:
      'Finds a setting assigned more than once, with different values, in the configuration one program reads: a MySQL or ' +
      'MariaDB server (every option file it reads through `!include`/`!includedir`, then its command line), a sysctl tree ' +
      '(files in the order systemd-sysctl applies them), a container’s `sysctls:`, or a pool: a HikariCP, c3p0, DBCP2 or ' +
      'Tomcat JDBC `.properties` file, or one Spring Boot location and profile (`application.properties` beside ' +
      '`application.yml`). Spellings that mean the same option count as one (`wait-timeout` and `wait_timeout`, ' +
      '`loose-wait_timeout`); values that mean the same number (`1K` and `1024`) are not a conflict. Within one file the ' +
      'finding is a warning; an assignment replaced from another file is reported only with `acrossFiles: true`, as a note.',
    whyIsThisBad:
      'Every program here applies assignments in order and keeps the last one without a word: mysqld turns each option-file ' +
      'line into an argument and its option parser lets the last one win (`wait_timeout = 28800` then `wait-timeout = 600` ' +
      'runs with 600); sysctl writes every line in file-name order and systemd-sysctl keeps the last; java.util.Properties ' +
      '(HikariCP’s file, Spring Boot’s `application.properties`) keeps the last line of a key. Someone who edits the ' +
      'first line, or reads only it, believes a value that never runs: no log line, no error.',
    example: {
      'my.cnf': '[mysqld]\nwait_timeout = 600\nmax_connections = 200\nwait_timeout = 28800\n',
    },
    useInstead: {
      'my.cnf': '[mysqld]\nmax_connections = 200\nwait_timeout = 600\n',
    },
    options:
      '`acrossFiles` (boolean, default false): also report, as notes, values replaced from another file — an `!include`d ' +
      'file or a later `conf.d/*.cnf` overriding an earlier one (Debian’s `/etc/mysql/mariadb.conf.d/` layout does so on ' +
      'purpose), a Compose `command:` flag overriding an option file, or a later `sysctl.d` file. A severity set for the rule in ' +
      'connlint.config.yaml applies to these notes too.',
    knownLimits:
      'Works from the model only: a reader must keep the values of the assignments a setting replaced. MySQL/MariaDB option ' +
      'files, Compose `command:` flags and `sysctls:`, sysctl files, Java `.properties` pool files and Spring Boot ' +
      'configuration do; JavaScript and Python configurations (an object key written twice) and `.env` files are not ' +
      'covered yet. A Spring profile, a later location (`./config/`) or an environment variable overriding ' +
      '`application.properties` is Spring Boot’s layering at work and never reported, not even with `acrossFiles`; nor ' +
      'is a key HikariCP receives in two spellings (hash order, reported as unknown) or through Hibernate’s mapping. Groups a server does not read are not compared. Values connlint cannot know (environment variables) ' +
      'are never called conflicting.',
    references: [
      'connlint knowledge: mysql-option-files.md (grammar step 12 "Repetition": every occurrence is kept, last one wins; E5, E13 file order)',
      'connlint knowledge: sysctl.md ("Syntax and parsing facts": sorted by file name, a later assignment of the same key wins)',
      'connlint knowledge: hikaricp.md ("Syntax and parsing facts": java.util.Properties, last one wins)',
      'connlint knowledge: spring-boot.md ("Syntax and parsing facts": a repeated key in one `.properties` document, last occurrence wins; in one location `.properties` beats YAML; profiles override)',
      'MySQL option files: https://dev.mysql.com/doc/refman/8.0/en/option-files.html',
    ],
  },
  messages: {
    conflict: (d: {
      key: string;
      first: string;
      firstAt: string;
      last: string;
      lastAt: string;
      program: string;
      runs: string | null;
      acrossFiles: boolean;
    }) =>
      `${d.key} is set twice with different values: ${d.first} at ${d.firstAt}, then ${d.last} at ${d.lastAt}; ` +
      `${d.program} uses the last one${d.runs ? ` (adjusted at start-up to ${d.runs})` : ''}, so the line at ${d.firstAt} has no effect` +
      (d.acrossFiles ? ' (a later file overriding an earlier one, which may be on purpose)' : '. Keep one line with the value you mean'),
  },
  check({ model, options, report }) {
    const acrossFiles = options.acrossFiles === true;
    for (const holder of holders(model)) {
      for (const setting of holder.settings.values()) {
        const last = setting.origin;
        const written = setting.clamp?.written ?? setting.value;
        // A password set twice is still a conflict, but its values are never printed: not reported here.
        if (last.kind !== 'file' || setting.value.kind === 'unknown' || isSecretKey(setting.key)) continue;
        for (const earlier of setting.replaced ?? ([] as ReplacedAssignment[])) {
          if (earlier.origin.kind !== 'file' || earlier.value.kind === 'unknown' || sameValue(earlier.value, written)) continue;
          const at: Span = earlier.origin.span;
          const sameFile = at.path === last.span.path;
          if (!sameFile && !acrossFiles) continue;
          report({
            messageId: 'conflict',
            data: {
              key: setting.canonicalKey,
              first: shown(earlier.raw, earlier.value),
              firstAt: place(at, last.span),
              last: shown(setting.raw, written),
              lastAt: place(last.span, at),
              program: holder.program,
              runs: setting.clamp ? humanValue(setting.value) : null,
              acrossFiles: !sameFile,
            },
            at,
            related: [{ span: last.span, message: `the value in force: ${setting.key} = ${setting.raw ?? ''}` }],
            ...(sameFile ? {} : { severity: 'note' as const }),
            key: `${holder.id}/${setting.canonicalKey}/${earlier.raw ?? ''}/${setting.raw ?? ''}`,
          });
        }
      }
    }
  },
});
