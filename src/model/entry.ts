import type { Span } from './span.js';

/**
 * One key/value as a program reads it, whatever the syntax it was written in: an option-file line,
 * a `.properties` entry, a sysctl assignment, a YAML path (`spring.datasource.hikari.max-lifetime`),
 * and later Python or JS object literals, `.env` lines, HCL attributes. Format modules turn their
 * parser's documents into entries; interpreters (HikariCP, the MySQL server, Linux keepalive) read
 * entries only, so one library's meaning is written once for every syntax it can come from.
 */
export interface Entry {
  /** The key as the program sees it (escapes applied, YAML path joined with `.`), in the case written. */
  key: string;
  /** The key exactly as written, when it differs from `key` (`net/ipv4/tcp_keepalive_time` for `net.ipv4.tcp_keepalive_time`). */
  rawKey?: string;
  /** The value the program reads (quotes removed, escapes applied, continuations joined); null when the key has no value (`skip-name-resolve`). */
  text: string | null;
  /** The value exactly as written (quotes included); null when there is none. */
  raw: string | null;
  keySpan: Span;
  /** The value's span; the key's span when there is no value. */
  valueSpan: Span;
  /** The whole entry. */
  span: Span;
  /** Group or section it sits in (`mysqld`), when the format has them. */
  section?: string;
  /** Document index in a multi-document file (YAML `---`, properties `#---`), from 0. */
  document?: number;
  /** Profile or environment the entry applies to (`prod`), when the format says so. */
  profile?: string;
}
