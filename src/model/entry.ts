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
  /** The value is written elsewhere and only referred to here (a YAML alias: `valueSpan` is its anchored node). */
  referenced?: true;
}

/**
 * The span of the value when replacing the text there sets exactly this value and nothing else: the value is
 * written here (not through an alias), on one line, and the program reads it as written, or as written between
 * one pair of matching quotes (no escapes, no continuation lines). `read` is the text the program finally uses
 * (after placeholders or environment lookups); when it differs from the text written, the written text is not
 * the value and there is no such span.
 */
export function literalValueSpan(entry: Entry, read: string | null = entry.text): Span | undefined {
  const { raw, text, valueSpan } = entry;
  if (entry.referenced || raw === null || raw === '' || text === null || read !== text) return undefined;
  if (valueSpan.line !== valueSpan.endLine || valueSpan.endColumn - valueSpan.column !== raw.length) return undefined;
  return text === raw || isQuoted(raw, text) ? valueSpan : undefined;
}

/** `{ valueSpan }` for a Setting built from `entry` when the entry has a literal value span (see literalValueSpan), else `{}`. */
export function valueSpanOf(entry: Entry, read: string | null = entry.text): { valueSpan?: Span } {
  const valueSpan = literalValueSpan(entry, read);
  return valueSpan ? { valueSpan } : {};
}

/** `"600"` or `'600'` read as `600`. */
export function isQuoted(raw: string, text: string): boolean {
  const q = raw[0];
  return raw.length >= 2 && (q === '"' || q === "'") && raw[raw.length - 1] === q && raw.slice(1, -1) === text;
}
