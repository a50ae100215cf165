/**
 * The JDBC driver's own cap on the packets it sends (`maxAllowedPacket`), when a pool's configuration writes one: as
 * a URL parameter or as a driver property (HikariCP `dataSource.maxAllowedPacket`, Spring Boot
 * `data-source-properties.maxAllowedPacket`). jdbc-mysql-drivers.md ("Packet size"): MySQL Connector/J lowers its
 * value to the server's at connect, so a bigger one is harmless; MariaDB Connector/J 3.x does not read the server
 * value, so its written value is the limit it applies (2.x has no such option and reads the server's). No default is
 * filled in: without the option, Connector/J adopts the server value and MariaDB 3.x has no guard.
 */
import type { Engine, PacketLimit } from '../../model/model.js';
import type { Setting } from '../../model/setting.js';
import type { Span } from '../../model/span.js';

const FACTS: Record<'mysql' | 'mariadb', { driver: string; capsToServer: boolean; fact: string }> = {
  mysql: {
    driver: 'MySQL Connector/J',
    capsToServer: true,
    fact:
      "jdbc-mysql-drivers.md, Packet size: Connector/J adopts the server's max_allowed_packet at connect when it is smaller than " +
      'maxAllowedPacket, so a bigger client value is harmless (NativeProtocol.initServerSession)',
  },
  mariadb: {
    driver: 'MariaDB Connector/J 3.x',
    capsToServer: false,
    fact:
      "jdbc-mysql-drivers.md, Packet size: MariaDB Connector/J 3.x refuses commands of maxAllowedPacket bytes or more and does not read the server's " +
      'max_allowed_packet; 2.x has no such option and reads the server value',
  },
};

const KEY = 'maxAllowedPacket';

/** `name=value` among `separator`-joined pairs: the last value and where it starts in `text`. */
function pairValue(text: string, name: string, separator: string, from: number): { text: string; offset: number } | undefined {
  let found: { text: string; offset: number } | undefined;
  let start = from;
  for (const part of text.slice(from).split(separator)) {
    const eq = part.indexOf('=');
    // Both drivers match property names case-sensitively, and a later occurrence replaces an earlier one.
    if (eq > 0 && part.slice(0, eq).trim() === name) found = { text: part.slice(eq + 1), offset: start + eq + 1 };
    start += part.length + separator.length;
  }
  return found;
}

/** `name` in a JDBC URL's query (`?a=1&maxAllowedPacket=16777216`): the text and where it starts in the URL. */
export function urlParameter(url: string, name: string): { text: string; offset: number } | undefined {
  const q = url.indexOf('?');
  return q < 0 ? undefined : pairValue(url, name, '&', q + 1);
}

/** `name` in Tomcat JDBC's or DBCP2's `connectionProperties` (`a=1;maxAllowedPacket=16777216`, java-pools.md, Syntax). */
export function connectionProperty(properties: string, name: string): { text: string; offset: number } | undefined {
  return pairValue(properties, name, ';', 0);
}

/** A whole number of bytes; both drivers read the option as an integer (Connector/J rejects `16M`). */
function bytesValue(text: string, where: string): Setting['value'] {
  const t = text.trim();
  if (t.includes('${')) return { kind: 'unknown', reason: `'${text}' is a placeholder filled in outside the driver` };
  return /^\d+$/.test(t)
    ? { kind: 'size', bytes: Number(t) }
    : { kind: 'unknown', reason: `'${text}' in ${where} is not a whole number of bytes, which the driver does not accept` };
}

/** The span of `length` characters at `offset` in the value of `setting`, when its value is written literally on one line. */
function spanInValue(setting: Setting, offset: number, length: number): Span | undefined {
  const v = setting.valueSpan;
  if (!v || v.line !== v.endLine || setting.raw === null || setting.text === null) return undefined;
  const quote = setting.raw.length === setting.text.length + 2 ? 1 : 0;
  const column = v.column + quote + offset;
  return { path: v.path, line: v.line, column, endLine: v.line, endColumn: column + length };
}

/** One `maxAllowedPacket=` inside a longer value (a URL, connectionProperties) as a setting of its own, pointing into that line. */
function partSetting(url: Setting, param: { text: string; offset: number }): Setting {
  const span = spanInValue(url, param.offset, param.text.length);
  return {
    key: `${KEY} in ${url.key}`,
    canonicalKey: KEY,
    raw: param.text,
    text: param.text,
    value: bytesValue(param.text, url.key),
    origin: url.origin.kind === 'file' ? { ...url.origin, ...(span ? { span } : {}) } : url.origin,
    ...(span ? { valueSpan: span } : {}),
    overrides: [],
    writeAs: `${KEY}=<bytes> in ${url.key}`,
  };
}

/** The driver property as a setting: `dataSource.maxAllowedPacket` itself, or the pair inside `connectionProperties`. */
function propertySetting(property: Setting | undefined, list: Setting | undefined): Setting | undefined {
  if (property) return { ...property, value: bytesValue(property.text ?? '', property.key) };
  const pair = list?.text ? connectionProperty(list.text, KEY) : undefined;
  return list && pair ? partSetting(list, pair) : undefined;
}

/**
 * The packet cap of a pool's driver. `url`: the JDBC URL setting; `property`: the driver property setting
 * (`dataSource.maxAllowedPacket`); `list`: a `connectionProperties` setting (Tomcat JDBC, DBCP2). Undefined when the
 * engine is not MySQL or MariaDB or nothing sets the option.
 */
export function jdbcPacketLimit(
  engine: Engine | undefined,
  url: Setting | undefined,
  property: Setting | undefined,
  list?: Setting,
): PacketLimit | undefined {
  if (engine !== 'mysql' && engine !== 'mariadb') return undefined;
  const param = url?.text ? urlParameter(url.text, KEY) : undefined;
  const fromParam = url && param ? partSetting(url, param) : undefined;
  const fromProperty = propertySetting(property, list);
  let setting = fromProperty ?? fromParam;
  if (fromProperty && fromParam && fromProperty.text?.trim() !== fromParam.text?.trim()) {
    // Which of the two a driver uses is not established in the knowledge base: not guessed.
    setting = {
      ...fromProperty,
      value: { kind: 'unknown', reason: `${fromParam.key} and ${fromProperty.key} both set it, to different values` },
    };
  }
  if (!setting) return undefined;
  return { ...FACTS[engine], setting };
}
