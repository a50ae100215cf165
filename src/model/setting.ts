import { isQuoted } from './entry.js';
import { compareText } from './sort-order.js';
import { type Span, spanText } from './span.js';

/**
 * A normalized value. Durations are milliseconds, sizes bytes. A value that cannot be known
 * statically (an environment variable, a template, a version-dependent default) is `unknown`
 * with the reason; rules never guess it.
 */
export type Value =
  | { kind: 'duration'; ms: number }
  | { kind: 'size'; bytes: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'count'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'unknown'; reason: string };

/** Where a setting came from. Every origin a person can open has a span. */
export type Origin =
  /** Written in a scanned file; `via` lists the include directives that led to the file, outermost first. */
  | { kind: 'file'; span: Span; via: Span[] }
  /** Not written anywhere: the library's documented default (`library` is its name for messages, `HikariCP`; `version` when the default depends on it). */
  | { kind: 'library-default'; library: string; version?: string; fact: string }
  /** Not written anywhere: the server's documented default. */
  | { kind: 'server-default'; engine: string; version?: string; fact: string }
  /** Not written anywhere: the operating system's default (Linux keepalive sysctls). */
  | { kind: 'os-default'; os: 'linux'; fact: string }
  /** Declared in connlint.config.yaml (`database.variables`, `network.idleTimeout` ...). */
  | { kind: 'config'; span: Span };

/** What the program does with the written value at start-up when it differs from what was written. */
export interface Clamp {
  /** The value as written (normalized). */
  written: Value;
  /** What the library logs or does, e.g. `maxLifetime is less than 30000ms, setting to default 1800000ms`. */
  reason: string;
  /** Knowledge-base citation for the clamp. */
  fact: string;
}

export interface Setting {
  /** Key exactly as written (`wait-timeout`, `loose_wait_timeout`, `maxLifetime`); the canonical key for defaults. */
  key: string;
  /** Canonical key (`wait_timeout`, `maxLifetime`, `net.ipv4.tcp_keepalive_time`). */
  canonicalKey: string;
  /** The value exactly as written (quotes included); null for defaults and declarations without text. */
  raw: string | null;
  /** The string the program itself reads (quotes removed, escapes applied); null for defaults. */
  text: string | null;
  /** The effective value (after clamps). */
  value: Value;
  origin: Origin;
  /**
   * Exactly the value as written, when it is a plain literal at this place (quotes included; for `k = v` the `v`):
   * replacing its text changes this value and nothing else. Absent for defaults, placeholders, environment lookups,
   * computed expressions, continued lines and values with escapes.
   */
  valueSpan?: Span;
  /** Section or group the value came from (`mysqld`, `mariadb` ...), when the format has one. */
  group?: string;
  /** Earlier assignments of the same key that this one replaced (last one wins), oldest first. */
  overrides: Origin[];
  /**
   * The earlier assignments among `overrides` that repeat this one rather than override it on purpose, with their
   * values, oldest first: the same key twice in one option file, `.properties` file, `.env` file or Spring profile
   * layer. An intended layer (a Spring profile document overriding the default one) is not listed. The
   * conflicting-duplicate-setting rule needs the values to tell a conflict (`600` then `28800`) from a repetition
   * (`600` then `600`, `1K` then `1024`). Absent when the reader records none.
   */
  replaced?: ReplacedAssignment[];
  /** Present when the program rewrites the written value at start-up. */
  clamp?: Clamp;
  /** Later assignments the program refused (kernel EINVAL), so this value stayed in force; oldest first. */
  rejected?: Array<{ span: Span; reason: string }>;
  /** For durations: the unit the key is written in (HikariCP `ms`, my.cnf and sysctl `s`), for safe values a user can type. */
  unit?: 'ms' | 's';
  /** How the file spells booleans, for advice a user can type (Python `True`/`False`); default `true`/`false`. */
  literals?: { true: string; false: string };
  /** What a user writes to change the value, when not the key itself (`conn_health_checks of dj_database_url.config()`). */
  writeAs?: string;
  /** The library version the key needs (`Django 4.1 or later`), said in advice that asks to set it. */
  requires?: string;
}

/** The span a person can open for this origin: files and config declarations have one, defaults do not. */
export function originSpan(origin: Origin): Span | undefined {
  return origin.kind === 'file' || origin.kind === 'config' ? origin.span : undefined;
}

/** The span a person can open for this setting, if any. */
export function settingSpan(setting: Setting): Span | undefined {
  return originSpan(setting.origin);
}

/** One earlier assignment of the same key: where, as written, and what it meant. */
export interface ReplacedAssignment {
  origin: Origin;
  /** As written (quotes included); null for a flag without value. */
  raw: string | null;
  /** The value as written (before any start-up clamp). */
  value: Value;
}

/** Origins a new assignment replaces: everything the previous one replaced, then the previous one. */
export function overridesOf(previous: Setting | undefined): Origin[] {
  return previous ? [...previous.overrides, previous.origin] : [];
}

/** The assignments a new one replaces (`Setting.replaced`): everything the previous one replaced, then the previous one. */
export function replacedOf(previous: Setting | undefined): { replaced?: ReplacedAssignment[] } {
  if (previous?.origin.kind !== 'file') return {};
  const value = previous.clamp?.written ?? previous.value;
  return { replaced: [...(previous.replaced ?? []), { origin: previous.origin, raw: previous.raw, value }] };
}

/**
 * The last of one key's assignments (in the order the program reads them), with `overrides` and `replaced` as
 * folding `overridesOf` and `replacedOf` (the latter where `repeats`) along the chain gives them, in time linear in
 * its length: a key assigned thousands of times no longer copies every earlier assignment for each new one (issue
 * 21). Only the last one is given them; the earlier ones are replaced and left as they were.
 */
export function lastAssignment(
  chain: readonly Setting[],
  /** Whether `next` repeats `previous` (its `replaced` lists it) rather than only overriding it: by default, always. */
  repeats: (previous: Setting, next: Setting) => boolean = () => true,
): Setting | undefined {
  const last = chain[chain.length - 1];
  if (!last || chain.length === 1) {
    if (last) last.overrides = [];
    return last;
  }
  const overrides: Origin[] = [];
  // What the assignment at i replaced: its own list (as the reader gave it) until a file assignment precedes it.
  let replaced: ReplacedAssignment[] | undefined = chain[0]?.replaced;
  let owned = false;
  for (let i = 0; i < chain.length - 1; i++) {
    const s = chain[i] as Setting;
    const next = chain[i + 1] as Setting;
    overrides.push(s.origin);
    if (s.origin.kind !== 'file' || !repeats(s, next)) {
      replaced = next.replaced;
      owned = false;
      continue;
    }
    if (!owned) {
      replaced = [...(replaced ?? [])];
      owned = true;
    }
    replaced?.push({ origin: s.origin, raw: s.raw, value: s.clamp?.written ?? s.value });
  }
  last.overrides = overrides;
  if (replaced !== undefined) last.replaced = replaced;
  return last;
}

/** Adds one assignment to its key's chain (in reading order), for `lastAssignments`. */
export function addAssignment(chains: Map<string, Setting[]>, key: string, setting: Setting): void {
  const chain = chains.get(key);
  if (chain) chain.push(setting);
  else chains.set(key, [setting]);
}

/** Each key's last assignment (`lastAssignment`), in the order keys were first assigned. */
export function lastAssignments(
  chains: ReadonlyMap<string, readonly Setting[]>,
  repeats?: (previous: Setting, next: Setting) => boolean,
): Map<string, Setting> {
  const out = new Map<string, Setting>();
  for (const [key, chain] of chains) {
    const last = lastAssignment(chain, repeats);
    if (last) out.set(key, last);
  }
  return out;
}

/** For readers where another spelling of a key (an alias) overrides it without repeating it. */
export const sameSpelling = (previous: Setting, next: Setting): boolean => previous.key === next.key;

/** Settings by key in code-unit order, so every consumer sees the same order. */
export function sortedByKey(settings: Map<string, Setting>): Map<string, Setting> {
  return new Map([...settings.entries()].sort(([a], [b]) => compareText(a, b)));
}

/**
 * `span` when the source there is one literal token that reads as `value`, written on one line inside `within` (the
 * `key: value` it was found in, so a constant defined elsewhere does not count): a plain number (`600`, `-1`, `0.5`),
 * a string in matching quotes without escapes, or a boolean or null spelled as the file spells it (`literals`: Python
 * `True`, `None`).
 * A computed expression, a name, a template or a concatenation gives undefined. The span for a Setting's `valueSpan`
 * in code (JavaScript, Python).
 */
export function literalTokenSpan(
  source: string | undefined,
  span: Span,
  value: number | string | boolean | null,
  within: Span,
  literals: { true: string; false: string; null: string } = { true: 'true', false: 'false', null: 'null' },
): Span | undefined {
  if (source === undefined || span.path !== within.path || span.line !== span.endLine || !contains(within, span)) return undefined;
  const written = spanText(source, span);
  if (written === undefined) return undefined;
  const reads =
    typeof value === 'number'
      ? /^-?\d+(\.\d+)?$/.test(written) && Number(written) === value
      : typeof value === 'boolean'
        ? written === literals[value ? 'true' : 'false']
        : value === null
          ? written === literals.null
          : isQuoted(written, value);
  return reads ? span : undefined;
}

function contains(outer: Span, inner: Span): boolean {
  const startsAfter = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const endsBefore = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return startsAfter && endsBefore;
}
