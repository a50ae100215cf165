import { problemRule } from '../src/engine/problem-rule.js';

/**
 * Reported by the readers while they interpret a file (model.problems under this id): the HikariCP,
 * Tomcat JDBC and Spring Boot interpreters, and the Python, JavaScript, MySQL, Compose and sysctl readers
 * for their libraries' own rewrites.
 */
export default problemRule({
  id: 'setting-ignored-by-library',
  summary: 'A value the library clamps, resets or ignores at start-up',
  severity: 'warning',
  tags: ['config', 'pool'],
  status: { kind: 'stable', since: '0.3.0' },
  docs: {
    whatItDoes:
      'Finds a setting that is written but is not what runs, because the library rewrites or drops it when it ' +
      'starts, and says what runs instead. HikariCP: `maxLifetime` between 1 and 29999 ms (or negative) becomes ' +
      'the 30 min default, `keepaliveTime` under 30 s or not below `maxLifetime` turns keepalive off, `idleTimeout` ' +
      'under 10 s becomes 10 min or close to `maxLifetime` becomes 0, `leakDetectionThreshold` under 2 s is off, ' +
      '`minimumIdle` above `maximumPoolSize` becomes `maximumPoolSize`, a boolean other than `true` is false, ' +
      '`jdbcUrl` beside `dataSourceClassName` is unused, and a pool setting written as a driver property ' +
      '(`dataSource.maximumPoolSize=20`) goes to the JDBC driver while the pool keeps its own value. Tomcat JDBC: ' +
      '`maxActive` under 1, `initialSize` or `minIdle` above `maxActive`, a cleaner period longer than `maxAge`. ' +
      'Spring Boot: keys under a pool prefix that is not the live pool (`spring.datasource.tomcat.*` while the pool ' +
      'is HikariCP, `spring.datasource.dbcp.*` since 2.0) and pool settings without a pool segment ' +
      '(`spring.datasource.test-on-borrow`, bound only up to Spring Boot 1.3). Other readers report their ' +
      "libraries' rewrites under the same id (Flask-SQLAlchemy 3 ignoring `SQLALCHEMY_POOL_*`, knex up to 3.1 " +
      'replacing `pool.validate`, MariaDB accepting `default_authentication_plugin` as a no-op). sysctl: a value the ' +
      'kernel refuses (an empty value, a `#` comment or quotes inside the value), so the earlier value stays in force. ' +
      'JavaScript configs: an expression that evaluates to not-a-number (`Number("abc")`), which the library then ' +
      'treats as unset (a note: which key receives it is not always known).',
    whyIsThisBad:
      'The file says one thing and the pool does another, silently or with one log line at start-up that nobody ' +
      'reads: HikariCP logs `maxLifetime is less than 30000ms, setting to default 1800000ms.` or ' +
      '`keepaliveTime is less than 30000ms, disabling it.`; Spring Boot ignores an unknown key under a pool prefix ' +
      'without a word. A lifetime meant to stay below `wait_timeout` becomes 30 min, a keepalive meant to beat a ' +
      'NAT timeout never runs, a pool meant to hold 20 connections holds 10, and connections go stale ' +
      '("Communications link failure ... The last packet successfully received from the server was N milliseconds ago").',
    example: {
      'src/main/resources/hikari.properties':
        'jdbcUrl=jdbc:mysql://db:3306/app\n' +
        '# goes to MySQL Connector/J, the pool stays at 10\n' +
        'dataSource.maximumPoolSize=20\n' +
        '# under 30 s: HikariCP turns keepalive off\n' +
        'keepaliveTime=10000\n',
    },
    useInstead: {
      'src/main/resources/hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\nmaximumPoolSize=20\nkeepaliveTime=60000\n',
    },
    knownLimits:
      "HikariCP's start-up rules are applied per version; with no `libraries.hikaricp` in connlint.config.yaml " +
      'a rewrite is reported only when every version range connlint evaluates makes it the same way. ' +
      '`dataSource.<name>` is reported only for names that are pool settings and that no common JDBC driver ' +
      'defines (`maximumPoolSize`, `minimumIdle`, `maxLifetime`, `idleTimeout`, `keepaliveTime`, `connectionTimeout`, ' +
      '`validationTimeout`, `leakDetectionThreshold`, `initializationFailTimeout`, `connectionTestQuery`, ' +
      '`connectionInitSql`, `poolName`, `registerMbeans`, `allowPoolSuspension`, `isolateInternalQueries`); with ' +
      '`dataSourceClassName` such a key stops the pool instead and is reported as `startup-failure`. A value that ' +
      'is both rewritten and written in the wrong unit (`maxLifetime=1800`) is reported once, as ' +
      '`suspicious-duration-unit`. Spring Boot keys are judged against the pool connlint decides is live; an ' +
      "application's own `DataSource` bean is not seen.",
    references: [
      'connlint knowledge: hikaricp.md, Settings (maxLifetime, keepaliveTime, idleTimeout, leakDetectionThreshold, minimumIdle, dataSource.<name>)',
      'connlint knowledge: hikaricp.md, "Syntax and parsing facts" (dataSource. prefix, Boolean.parseBoolean) and "What a linter can safely conclude"',
      'connlint knowledge: java-pools.md, Tomcat JDBC table (checkPoolConfiguration)',
      'connlint knowledge: spring-boot.md, Settings (spring.datasource.* without a pool segment, spring.datasource.dbcp.*) and "What a linter can safely conclude"',
      'https://github.com/brettwooldridge/HikariCP/issues/2101',
    ],
  },
});
