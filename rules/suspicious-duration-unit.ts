import { problemRule } from '../src/engine/problem-rule.js';

/**
 * Reported by the readers while they interpret a file (model.problems under this id): the HikariCP, c3p0,
 * DBCP2 and Tomcat JDBC interpreters (also through Spring Boot), and the Python and JavaScript readers for
 * their libraries' keys.
 */
export default problemRule({
  id: 'suspicious-duration-unit',
  summary: 'A duration whose size suggests the wrong unit',
  severity: 'warning',
  tags: ['config', 'pool'],
  status: { kind: 'stable', since: '0.3.0' },
  docs: {
    whatItDoes:
      'Finds a duration whose size reads as another unit than the one the key takes, and gives both readings ' +
      'and the value to write. Milliseconds keys written in seconds: HikariCP `maxLifetime`, `idleTimeout`, ' +
      '`keepaliveTime`, `connectionTimeout` (`maxLifetime=1800` is 1.8 s), the DBCP2 `*Millis` keys and the ' +
      'Tomcat JDBC `maxAge`, `maxWait`, `validationInterval`, `timeBetweenEvictionRunsMillis`, ' +
      '`minEvictableIdleTimeMillis`, in their own files or under `spring.datasource.hikari|dbcp2|tomcat`. Seconds ' +
      'keys written in milliseconds: c3p0 `maxIdleTime`, `maxIdleTimeExcessConnections`, `maxConnectionAge`, ' +
      '`idleConnectionTestPeriod` (`c3p0.maxIdleTime=20000` is 5 h 33 min). Other readers report under the same ' +
      'id (SQLAlchemy `pool_recycle=1800000`, the mariadb npm pool `idleTimeout` written in milliseconds).',
    whyIsThisBad:
      'The pool runs with a value a thousand times too small or too large. Too small: HikariCP resets a ' +
      '`maxLifetime` under 30 s to 30 min (`maxLifetime is less than 30000ms, setting to default 1800000ms.`), ' +
      'a DBCP2 or Tomcat idle limit of 300 ms closes connections almost as soon as they are returned, a ' +
      '`connectionTimeout` of 300 ms fails requests (`Connection is not available, request timed out after 300ms`). ' +
      'Too large: a c3p0 idle limit of 20000 s keeps connections for hours after the server or a NAT gateway ' +
      'dropped them, and the application sees "Communications link failure ... The last packet successfully ' +
      'received from the server was N milliseconds ago".',
    example: {
      'hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\n# 1800 ms, meant as 30 min\nmaxLifetime=1800\n',
      'c3p0.properties':
        'c3p0.jdbcUrl=jdbc:mysql://db:3306/app\nc3p0.testConnectionOnCheckout=true\n# 20000 s, meant as 20 s\nc3p0.maxIdleTime=20000\n',
    },
    useInstead: {
      'hikari.properties': 'jdbcUrl=jdbc:mysql://db:3306/app\nmaxLifetime=1800000\n',
      'c3p0.properties': 'c3p0.jdbcUrl=jdbc:mysql://db:3306/app\nc3p0.testConnectionOnCheckout=true\nc3p0.maxIdleTime=20\n',
    },
    knownLimits:
      "Only sizes that are hard to mean in the key's own unit are reported, so a deliberate value stays silent. " +
      'A milliseconds key fires only on a usual number of seconds: 30, 60, 120, 180, 240, 300, 600, 900, 1200, ' +
      '1800, 2400, 3600, 7200, 10800, 14400, 21600, 28800, 43200 or 86400 (each under 1000 or not a multiple of ' +
      '1000, so `5000` or `30000` never fires; `23800` is reported only as a HikariCP reset, under ' +
      '`setting-ignored-by-library`). A seconds key fires at 10000 or more when the value is a multiple of 1000 ' +
      '(`28800` and `86400` stay silent). A value that also stops the program (HikariCP `connectionTimeout=30`, ' +
      'under its 250 ms floor) is reported once, as `startup-failure`, whose message names the unit; a value ' +
      'HikariCP also rewrites is reported once, here, with the rewrite. Durations with a unit suffix (HikariCP ' +
      '6.3 `30m`, Spring Boot Duration keys) are not checked.',
    references: [
      'connlint knowledge: hikaricp.md, Settings ("All durations are milliseconds") and "What a linter can safely conclude"',
      'connlint knowledge: java-pools.md, "What a linter can safely conclude": unit traps (c3p0 maxIdleTime=1800000; DBCP/Tomcat minEvictableIdleTimeMillis=300, maxAge=3600)',
      'connlint knowledge: java-pools.md, c3p0 table (maxIdleTime, maxConnectionAge, idleConnectionTestPeriod in seconds)',
      'connlint knowledge: spring-boot.md, "What a linter can safely conclude" (max-lifetime: 1800)',
      'https://github.com/brettwooldridge/HikariCP/issues/1483',
    ],
  },
});
