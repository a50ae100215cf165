/**
 * SQLAlchemy database URLs (sqlalchemy.md, "Syntax and parsing facts"):
 * `dialect[+driver]://user:password@host[:port]/database[?key=value&...]`, read as `make_url()` does
 * (the pattern of `sqlalchemy.engine.url._parse_url`; query values through `parse_qsl`).
 */
import type { Engine } from '../../model/model.js';

export interface SqlalchemyUrl {
  /** `mysql+pymysql` */
  drivername: string;
  dialect: string;
  /** The driver as written after `+`; undefined for the dialect's default driver. */
  driver?: string;
  host?: string;
  port?: string;
  database?: string;
  /** Query parameters in order, values percent-decoded; a repeated key appears more than once. */
  query: Array<{ key: string; value: string }>;
}

// The pattern of `_parse_url` (SQLAlchemy 1.4-2.1): `name` is `[\w+]+`, the password cannot hold `@`.
const URL_PATTERN =
  /^([\w+]+):\/\/(?:([^:/]*)(?::([^@]*))?@)?(?:(?:\[([^/?]+)\]|([^/:?]+))?(?::([^/?]*))?)?(?:\/([^?]*))?(?:\?([\s\S]*))?/u;

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** `parse_qsl` with its defaults: `&` separates, `+` is a space, pairs without `=` or with an empty value are dropped. */
function parseQuery(query: string): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const value = decode(part.slice(eq + 1));
    if (value === '') continue;
    out.push({ key: decode(part.slice(0, eq)), value });
  }
  return out;
}

/** The URL's parts, or undefined when SQLAlchemy could not parse it either (`Could not parse SQLAlchemy URL`). */
export function parseSqlalchemyUrl(text: string): SqlalchemyUrl | undefined {
  const m = URL_PATTERN.exec(text);
  if (!m) return undefined;
  const drivername = m[1] as string;
  const plus = drivername.indexOf('+');
  const host = m[4] ?? m[5];
  return {
    drivername,
    dialect: plus < 0 ? drivername : drivername.slice(0, plus),
    ...(plus >= 0 ? { driver: drivername.slice(plus + 1) } : {}),
    ...(host ? { host: decode(host) } : {}),
    ...(m[6] ? { port: m[6] } : {}),
    ...(m[7] !== undefined ? { database: m[7] } : {}),
    query: m[8] ? parseQuery(m[8]) : [],
  };
}

/** Engines of the dialects connlint models; `postgres` is the pre-1.4 spelling. */
const DIALECT_ENGINES: Record<string, Engine> = { mysql: 'mysql', mariadb: 'mariadb', postgresql: 'postgresql', postgres: 'postgresql' };

export function engineOfDialect(dialect: string): Engine | undefined {
  return DIALECT_ENGINES[dialect];
}

/** The host a URL names, lower-cased, unless it is a placeholder a template or shell fills in. */
export function hostOfUrl(url: SqlalchemyUrl): string | undefined {
  const h = url.host;
  if (!h || /[$%{}<>]/.test(h)) return undefined;
  return h.toLowerCase();
}

/** Dialects whose default pool is asynchronous, by driver (sqlalchemy.md, Behaviour: default pool class). */
const ASYNC_DRIVERS = new Set(['aiomysql', 'asyncmy', 'asyncpg', 'aiosqlite', 'psycopg_async']);

export function isAsyncDriver(driver: string | undefined): boolean {
  return driver !== undefined && ASYNC_DRIVERS.has(driver);
}
