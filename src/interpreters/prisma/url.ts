/**
 * A Prisma datasource URL as the classic engine reads it (prisma.md, "A. Classic engine: datasource URL
 * query parameters" and "Syntax and parsing facts"): `scheme://[user[:password]@]host[:port]/db?k=v&k2=v2`,
 * query pairs split on `&` and percent-decoded (`+` is a space), as the Rust `url` crate's `query_pairs`.
 * Offsets are into the URL text, so a parameter can be pointed at inside the .env line that holds it.
 */

import type { Span } from '../../model/span.js';

export interface PrismaUrlParam {
  /** Decoded key and value. */
  key: string;
  value: string;
  /** Offsets of `key=value` and of the value alone in the URL text. */
  from: number;
  to: number;
  valueFrom: number;
  valueTo: number;
}

export interface PrismaUrl {
  /** Lower-case scheme without `://` (`mysql`, `postgresql`, `prisma+postgres`); undefined when there is none. */
  scheme?: string;
  /** The host the authority names (brackets of an IPv6 address removed); undefined for none. */
  host?: string;
  params: PrismaUrlParam[];
}

function decode(text: string): string {
  const plus = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    // The url crate keeps a malformed escape as written; decode what can be decoded.
    return plus.replace(/(%[0-9A-Fa-f]{2})+/g, (m) => {
      try {
        return decodeURIComponent(m);
      } catch {
        return m;
      }
    });
  }
}

export function parsePrismaUrl(text: string): PrismaUrl {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  const params: PrismaUrlParam[] = [];
  const hash = text.indexOf('#');
  const end = hash < 0 ? text.length : hash;
  const q = text.indexOf('?');
  let host: string | undefined;
  if (m) {
    const rest = m[0].length;
    let authEnd = text.slice(rest).search(/[/?#]/);
    authEnd = authEnd < 0 ? text.length : rest + authEnd;
    const authority = text.slice(rest, authEnd);
    const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
    const h = hostPort.startsWith('[')
      ? hostPort.slice(1, hostPort.indexOf(']') < 0 ? undefined : hostPort.indexOf(']'))
      : hostPort.split(':')[0];
    if (h) host = decode(h);
  }
  if (q >= 0 && q < end) {
    let from = q + 1;
    while (from <= end) {
      let to = text.indexOf('&', from);
      if (to < 0 || to > end) to = end;
      if (to > from) {
        const pair = text.slice(from, to);
        const eq = pair.indexOf('=');
        const keyText = eq < 0 ? pair : pair.slice(0, eq);
        const valueText = eq < 0 ? '' : pair.slice(eq + 1);
        params.push({
          key: decode(keyText),
          value: decode(valueText),
          from,
          to,
          valueFrom: eq < 0 ? to : from + eq + 1,
          valueTo: to,
        });
      }
      from = to + 1;
    }
  }
  return { ...(m ? { scheme: (m[1] as string).toLowerCase() } : {}), ...(host ? { host } : {}), params };
}

/** A connection URL as a Prisma setting writes it: where its text came from, and what it is. */
export interface UrlSource {
  /** How the user refers to it in messages: `DATABASE_URL`, `url`, `datasource.url`, `connectionString`. */
  label: string;
  /** Set when the text is known. */
  text?: string;
  unknown?: string;
  /** The written value's span (the .env line for an env value), and the lines it travels through. */
  span: Span;
  via: Span[];
  spanOf?: (from: number, to: number) => Span | undefined;
}

/** Where a literal's characters sit, when each is written as itself between the quotes on one line. */
export function literalSpanOf(span: Span, text: string, quoted: boolean): ((from: number, to: number) => Span | undefined) | undefined {
  const shift = quoted ? 1 : 0;
  if (span.line !== span.endLine || span.endColumn - span.column !== text.length + 2 * shift) return undefined;
  return (from, to) => ({ ...span, column: span.column + shift + from, endColumn: span.column + shift + to });
}

/** The span of a parameter (or its value) inside the written URL, else the URL's own span. */
export function paramSpan(src: UrlSource, from: number, to: number): Span {
  return src.spanOf?.(from, to) ?? src.span;
}
