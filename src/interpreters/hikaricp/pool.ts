/**
 * HikariCP configured by a properties file (`new HikariConfig(Properties)`, or Hibernate's
 * `hibernate.hikari.` keys): which keys bind, how values are read, the defaults per version and the
 * start-up rewrites of `validateNumerics()`, all as in hikaricp.md (Settings, "Effective-value order",
 * "Syntax and parsing facts"). Checked against the HikariCP 2.7.9 jar by test/model/hikaricp-differential.
 */
import { formatDuration } from '../../model/duration.js';
import { type Entry, valueSpanOf } from '../../model/entry.js';
import type { IdleMechanism, LibraryVersion, Pool, PoolSize } from '../../model/model.js';
import type { Problem } from '../../model/problem.js';
import { type Origin, type ReplacedAssignment, type Setting, settingSpan, sortedByKey, type Value } from '../../model/setting.js';
import { fileSpan, type Span } from '../../model/span.js';
import { msAsSecondsFix, msAsSecondsText, msLooksLikeSeconds, wholeNumber } from '../duration-unit.js';
import { engineFromJdbc, hostOfJdbcUrl, jdbcDriverKeepalive } from '../jdbc/engine.js';
import { jdbcPacketLimit } from '../jdbc/packet-limit.js';
import { jdbcPoolSize } from '../jdbc/pool-size.js';

import {
  type Version,
  KEY_INFO,
  HIBERNATE_PREFIX,
  HIBERNATE_MAPPED,
  DATA_SOURCE_PREFIX,
  TARGET_CLASS,
  canonicalOf,
  atLeast,
  parseVersion,
  versionText,
  REPRESENTATIVES,
  keyExists,
  keepaliveDefault,
  type Written,
  collectWritten,
  hasPlaceholder,
  POOL_ONLY_KEYS,
} from './keys.js';
import { type N, NUMERIC_KEYS, type NumericKey, COUNT_KEYS, type Slot, type Evaluation, evaluate } from './startup.js';

export { detectHikari, hikariOwnership, HIKARI_KEYS } from './keys.js';

export interface HikariBuildInput {
  path: string;
  entries: readonly Entry[];
  prefix: string;
  version?: LibraryVersion;
  environment?: string;
}

// ---------------------------------------------------------------------------------------------------
// Settings

function toValue(key: string, n: bigint): Value {
  return COUNT_KEYS.has(key) ? { kind: 'count', value: Number(n) } : { kind: 'duration', ms: Number(n) };
}

function describeN(key: string, n: N): string {
  if (n === null) return 'unknown';
  return COUNT_KEYS.has(key) ? String(n) : `${n} (${formatDuration(Number(n))})`;
}

function fileOrigin(entry: Entry): Origin {
  return { kind: 'file', span: entry.span, via: [] };
}

function sameOutcome(a: Slot | undefined, b: Slot | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.value !== b.value) return false;
  return a.value !== null || a.reason === b.reason;
}

/** Builds the setting of one numeric key from the evaluations that ran (one when the version is known). */
function numericSetting(key: NumericKey, evaluations: Evaluation[], prefix: string, version: string | undefined): Setting | undefined {
  const present = evaluations.filter((e) => e.slots[key] !== undefined);
  const newest = present[present.length - 1];
  const slot = newest?.slots[key];
  if (!newest || !slot) return undefined;
  const agree = present.every((e) => sameOutcome(e.slots[key], slot));

  let value: Value;
  if (agree) value = slot.value === null ? { kind: 'unknown', reason: slot.reason ?? 'unknown' } : toValue(key, slot.value);
  else if (key === 'keepaliveTime' && !slot.written) {
    value = {
      kind: 'unknown',
      reason: 'HikariCP version unknown: keepaliveTime defaults to 0 (off) before 6.2.1 and 120000 (2 min) from 6.2.1',
    };
  } else {
    const groups = new Map<string, string[]>();
    for (const e of present) {
      const s = e.slots[key];
      let text: string;
      if (s?.value === null && s.fails) text = `fails to start (${s.fails})`;
      else if (s?.value === null) text = `unknown (${s.reason ?? 'unknown'})`;
      else text = describeN(key, s?.value ?? null);
      groups.set(text, [...(groups.get(text) ?? []), e.release.label]);
    }
    const parts = [...groups].map(([text, labels]) => `${labels.join(', ')}: ${text}`);
    value = { kind: 'unknown', reason: `HikariCP version unknown: ${key} depends on it (${parts.join('; ')})` };
  }

  const written = slot.written;
  const facts: Array<[string, string]> = present.map((e) => [e.release.label, e.slots[key]?.defaultFact ?? '']);
  const sameFact = new Set(facts.map(([, f]) => f)).size === 1;
  const setting: Setting = {
    key: written ? written.fileKey : prefix + key,
    canonicalKey: key,
    raw: written ? written.entry.raw : null,
    text: written ? written.text : null,
    value,
    origin: written
      ? fileOrigin(written.entry)
      : {
          kind: 'library-default',
          library: 'HikariCP',
          ...(version ? { version } : {}),
          fact: (sameFact ? slot.defaultFact : uniqueFacts(facts)) || 'hikaricp.md, Settings',
        },
    overrides: written ? written.earlier.map(fileOrigin) : [],
    ...(written ? replacedOf(written, key) : {}),
    ...(written ? valueSpanOf(written.entry, written.text) : {}),
  };
  if (!COUNT_KEYS.has(key)) setting.unit = 'ms';
  // A rewrite is reported only when every version evaluated makes it the same way.
  const clampText = (c: Slot['clamp']) => (c ? `${c.written}|${c.reasons.join('|')}` : '');
  const sameClamp = present.every((e) => clampText(e.slots[key]?.clamp) === clampText(slot.clamp));
  if (agree && sameClamp && slot.clamp && slot.value !== null) {
    const clampWritten: Value = slot.clamp.written === null ? { kind: 'unknown', reason: 'unknown' } : toValue(key, slot.clamp.written);
    setting.clamp = { written: clampWritten, reason: slot.clamp.reasons.join('; then '), fact: [...new Set(slot.clamp.facts)].join('; ') };
  }
  return setting;
}

function uniqueFacts(pairs: Array<[string, string]>): string {
  const byFact = new Map<string, string[]>();
  for (const [label, fact] of pairs) if (fact) byFact.set(fact, [...(byFact.get(fact) ?? []), label]);
  return [...byFact].map(([fact, labels]) => `${labels.join(', ')}: ${fact}`).join(' | ');
}

/**
 * The earlier lines of the same key, spelled the same way, with what each meant (`Setting.replaced`):
 * java.util.Properties keeps the last one (hikaricp.md, Syntax and parsing facts). A value written in another
 * spelling or through Hibernate's mapping is an override HikariCP applies on purpose, not listed.
 */
function replacedOf(w: Written, canonical: string | undefined): { replaced?: ReplacedAssignment[] } {
  const spelling = (e: Entry) => e.rawKey ?? e.key;
  const same = w.earlier.filter((e) => e.key === w.entry.key && spelling(e) === spelling(w.entry));
  if (same.length === 0) return {};
  return { replaced: same.map((e) => ({ origin: fileOrigin(e), raw: e.raw, value: earlierValue(canonical, e.text ?? '') })) };
}

/** What a replaced line meant; a numeric key with a unit suffix depends on the version (6.3.0+), so unknown. */
function earlierValue(canonical: string | undefined, text: string): Value {
  if (canonical && (NUMERIC_KEYS as readonly string[]).includes(canonical) && !hasPlaceholder(text)) {
    if (/^[+-]?[0-9]+$/.test(text)) return toValue(canonical, BigInt(text));
    if (/^\d+(ms|s|m|h|d)$/.test(text)) return { kind: 'unknown', reason: 'a unit suffix is read from HikariCP 6.3.0 only' };
  }
  return plainValue(canonical, text);
}

function plainValue(canonical: string | undefined, text: string): Value {
  if (hasPlaceholder(text)) {
    return {
      kind: 'unknown',
      reason: `'${text}' is a placeholder filled in outside HikariCP (build or deployment), so its value is not known here`,
    };
  }
  // Boolean.parseBoolean: only "true" in any case is true (hikaricp.md, Values).
  if (canonical && KEY_INFO[canonical]?.type === 'bool') return { kind: 'bool', value: text.toLowerCase() === 'true' };
  return { kind: 'string', value: text };
}

// ---------------------------------------------------------------------------------------------------
// Idle mechanisms

const HOUSEKEEPER_MS = 30000;

/** Does the housekeeper retire every idle connection, and by when? (hikaricp.md, idleTimeout; Behaviour) */
function idleRetirement(e: Evaluation): { known: boolean; boundMs?: number; floor?: bigint; note: string } {
  const idle = e.slots.idleTimeout?.value ?? null;
  const min = e.slots.minimumIdle?.value ?? null;
  // The housekeeper only closes connections above minimumIdle (hikaricp.md: "never touches the minimumIdle floor"),
  // so with a floor above 0 some connections are never retired, whatever idleTimeout is.
  if (min !== null && min > 0n) return { known: true, floor: min, note: `minimumIdle (${min}) connections are never idle-retired` };
  if (idle === null) return { known: false, note: e.slots.idleTimeout?.reason ?? 'idleTimeout is unknown' };
  if (idle === 0n) return { known: true, note: 'idleTimeout 0 means idle connections are never retired' };
  if (min === null) return { known: false, note: 'minimumIdle is unknown, so it is not known whether any idle connection is retired' };
  // Retirement happens on the 30 s housekeeper run after idleTimeout passes (hikaricp.md, idleTimeout).
  return {
    known: true,
    boundMs: Number(idle) + HOUSEKEEPER_MS,
    note: 'retired by the housekeeper, which runs every 30 s, so up to idleTimeout + 30 s',
  };
}

function idleMechanisms(settings: Map<string, Setting>, evaluations: Evaluation[], hasKeepalive: boolean): IdleMechanism[] {
  const idle: IdleMechanism[] = [];
  const ms = (s: Setting | undefined): number | undefined => (s?.value.kind === 'duration' ? s.value.ms : undefined);

  const lifetime = settings.get('maxLifetime');
  if (lifetime) {
    const v = ms(lifetime);
    idle.push({
      kind: 'max-lifetime',
      setting: lifetime,
      boundMs: v !== undefined && v > 0 ? v : undefined,
      refreshesServer: false,
      minimumMs: 30000,
      ...(v === 0 ? { note: 'maxLifetime 0 means connections are never retired for age' } : {}),
      ...(lifetime.value.kind === 'unknown' ? { note: lifetime.value.reason } : {}),
    });
  }

  const keepalive = settings.get('keepaliveTime');
  if (keepalive && hasKeepalive) {
    const v = ms(keepalive);
    let note: string | undefined;
    if (keepalive.value.kind === 'unknown') note = keepalive.value.reason;
    else if (v === 0) note = keepalive.clamp ? `keepalive is off: ${keepalive.clamp.reason}` : 'keepaliveTime 0 means keepalive is off';
    idle.push({
      kind: 'keepalive',
      setting: keepalive,
      boundMs: v !== undefined && v > 0 ? v : undefined,
      // It runs isValid() or connectionTestQuery on idle connections, a real round trip (hikaricp.md, Behaviour).
      refreshesServer: true,
      minimumMs: 30000,
      ...(note ? { note } : {}),
    });
  }

  const idleTimeout = settings.get('idleTimeout');
  if (idleTimeout) {
    // Computed per version evaluated: a fixed-size pool retires nothing for idleness in any version, even
    // where versions disagree on the idleTimeout value itself (hikaricp.md, idleTimeout rules up to 3.3.0).
    const outcomes = evaluations.map(idleRetirement);
    const newest = outcomes[outcomes.length - 1];
    const agree = newest !== undefined && outcomes.every((o) => o.known && o.boundMs === newest.boundMs);
    let boundMs: number | undefined;
    let note: string;
    if (agree) {
      boundMs = newest.boundMs;
      const floors = [...new Set(outcomes.map((o) => o.floor))];
      note =
        floors.length > 1 && floors.every((f) => f !== undefined)
          ? `minimumIdle (${floors.join(' or ')}, depending on the HikariCP version) connections are never idle-retired`
          : newest.note;
    } else if (idleTimeout.value.kind === 'unknown') {
      note = idleTimeout.value.reason;
    } else {
      const unknownOne = outcomes.find((o) => !o.known);
      note = unknownOne
        ? unknownOne.note
        : 'HikariCP version unknown: whether idle connections are retired depends on it (declare libraries.hikaricp)';
    }
    idle.push({ kind: 'idle-timeout', setting: idleTimeout, boundMs, refreshesServer: false, minimumMs: 10000, note });
  }
  return idle;
}

// ---------------------------------------------------------------------------------------------------
// The pool

/** The timing keys whose value is checked for a magnitude in seconds (hikaricp.md, Settings: all durations are milliseconds). */
const UNIT_KEYS = new Set<string>(['maxLifetime', 'idleTimeout', 'keepaliveTime', 'connectionTimeout']);

/** What runs for a setting, said as a value with its unit, and `(its default)` when nobody wrote it. */
function runningText(s: Setting | undefined): string {
  if (!s) return 'its default';
  const v = s.value;
  const text =
    v.kind === 'duration'
      ? `${v.ms} (${v.ms === 0 ? 'off' : formatDuration(v.ms)})`
      : v.kind === 'count'
        ? String(v.value)
        : v.kind === 'unknown'
          ? `a value not known here (${v.reason})`
          : v.kind === 'bool'
            ? String(v.value)
            : v.kind === 'string'
              ? v.value
              : 'its default';
  return s.origin.kind === 'file' ? text : `${text}, its default`;
}

/** A milliseconds value that reads as seconds, as a clause for a message about the same line, or ''. */
function secondsHint(key: string, fileKey: string, text: string): string {
  if (!UNIT_KEYS.has(key)) return '';
  const n = wholeNumber(text);
  if (n === undefined || !msLooksLikeSeconds(n)) return '';
  return `. ${text} reads as seconds (${formatDuration(n * 1000)}) but the key is in milliseconds: ${msAsSecondsFix(fileKey, n)}`;
}

function suggestion(hikariKey: string): string {
  const flat = hikariKey.replace(/[-_.]/g, '').toLowerCase();
  const match = Object.keys(KEY_INFO).find((k) => k.toLowerCase() === flat);
  return match ? ` Did you mean ${match}? Only the first letter may differ in case` : '';
}

/**
 * maximumPoolSize as validate() leaves it. Up to 3.3.0 an unset maximumPoolSize takes a positive minimumIdle
 * (hikaricp.md, maximumPoolSize): then minimumIdle is the line that sets the bound, and the note says so.
 */
function hikariMaxSize(settings: Map<string, Setting>, known: Version | undefined): PoolSize | undefined {
  const max = settings.get('maximumPoolSize');
  const min = settings.get('minimumIdle');
  const size = jdbcPoolSize(max);
  if (!size || !max || max.origin.kind === 'file' || !known || atLeast(known, [3, 3, 1])) return size;
  const written = min?.origin.kind === 'file' && min.clamp === undefined && min.value.kind === 'count' ? min.value.value : 0;
  if (written <= 0 || size.value !== written || !min) return size;
  return {
    value: size.value,
    settings: [max, min],
    note: `${max.key} is unset, so HikariCP ${versionText(known)} takes ${min.key} ${written} (up to 3.3.0)`,
  };
}

/** The pool HikariCP would run: every key set, defaults filled in, start-up rewrites applied, idle mechanisms computed. */
export function buildHikariPool(input: HikariBuildInput): { pool: Pool; problems: Problem[] } {
  const { path, entries, prefix } = input;
  const problems: Problem[] = [];
  const written = collectWritten(entries, prefix);

  let known: Version | undefined;
  if (input.version) {
    known = parseVersion(input.version.version);
    if (!known) {
      problems.push({
        severity: 'warning',
        span: input.version.span,
        message: `HikariCP version '${input.version.version}' is not a version number, so version-dependent defaults are treated as unknown`,
      });
    }
  }
  const versionLabel = known ? input.version?.version : undefined;

  // Bind every key to its setter (or to dataSourceProperties).
  const bound = new Map<string, Written[]>();
  const unbound: Written[] = [];
  const dataSource: Written[] = [];
  for (const w of written) {
    if (w.hikariKey.startsWith(DATA_SOURCE_PREFIX)) {
      dataSource.push(w);
      continue;
    }
    const canonical = canonicalOf(w.hikariKey);
    if (canonical) bound.set(canonical, [...(bound.get(canonical) ?? []), w]);
    else unbound.push(w);
  }
  for (const list of bound.values())
    list.sort((a, b) => a.entry.span.line - b.entry.span.line || a.entry.span.column - b.entry.span.column);

  // Evaluate the known version, or every representative whose setters accept all written keys.
  let evaluations: Evaluation[];
  if (known) {
    evaluations = [evaluate({ version: known, label: versionText(known) }, bound)];
  } else {
    const all = REPRESENTATIVES.map((r) => evaluate(r, bound));
    const loadable = all.filter((e) => e.missingKeys.length === 0);
    evaluations = loadable.length > 0 ? loadable : all;
  }

  const settings = new Map<string, Setting>();
  for (const key of NUMERIC_KEYS) {
    const s = numericSetting(key, evaluations, prefix, versionLabel);
    if (s) settings.set(key, s);
  }
  for (const [canonical, list] of bound) {
    if ((NUMERIC_KEYS as readonly string[]).includes(canonical) && settings.get(canonical)?.origin.kind === 'file') continue;
    const last = list[list.length - 1] as Written;
    const ambiguous = list.length > 1 && new Set(list.map((w) => w.text)).size > 1;
    settings.set(canonical, {
      key: last.fileKey,
      canonicalKey: canonical,
      raw: last.entry.raw,
      text: last.text,
      value: ambiguous
        ? {
            kind: 'unknown',
            reason: `${list.map((w) => w.fileKey).join(' and ')} each set ${canonical}; HikariCP applies them in hash order`,
          }
        : plainValue(canonical, last.text),
      origin: fileOrigin(last.entry),
      ...(ambiguous ? {} : valueSpanOf(last.entry, last.text)),
      overrides: [...list.slice(0, -1).flatMap((w) => [...w.earlier, w.entry]), ...last.earlier].map(fileOrigin),
      ...replacedOf(last, canonical),
    });
  }
  for (const w of [...unbound, ...dataSource]) {
    settings.set(w.hikariKey, {
      key: w.fileKey,
      canonicalKey: w.hikariKey,
      raw: w.entry.raw,
      text: w.text,
      value: plainValue(undefined, w.text),
      origin: fileOrigin(w.entry),
      ...valueSpanOf(w.entry, w.text),
      overrides: w.earlier.map(fileOrigin),
      ...replacedOf(w, undefined),
    });
  }

  // Problems: keys HikariCP has no setter for.
  for (const w of unbound) {
    // An unknown key makes HikariConfig throw while loading the file (hikaricp.md, properties parsing).
    problems.push({
      ruleId: 'startup-failure',
      severity: 'error',
      code: 'unknown-key',
      span: w.entry.keySpan,
      message:
        `HikariCP has no property ${w.hikariKey}; the pool fails to start (Property ${w.hikariKey} does not exist on target class ${TARGET_CLASS}).` +
        suggestion(w.hikariKey),
    });
  }
  // Keys already reported as stopping the pool: no second finding on the same line.
  const stops = new Set<string>();
  for (const [canonical, list] of bound) {
    const info = KEY_INFO[canonical];
    const last = list[list.length - 1] as Written;
    if (known && !keyExists(canonical, known)) {
      stops.add(canonical);
      const when =
        info?.since && !atLeast(known, info.since)
          ? `added in ${versionText(info.since)}`
          : `removed in ${versionText(info?.removedIn ?? [0, 0, 0])}`;
      problems.push({
        ruleId: 'startup-failure',
        severity: 'error',
        span: last.entry.keySpan,
        message: `HikariCP ${versionText(known)} has no property ${last.hikariKey} (${when}); the pool fails to start (Property ${last.hikariKey} does not exist on target class ${TARGET_CLASS})`,
      });
    } else if (!known && info?.removedIn) {
      problems.push({
        ruleId: 'startup-failure',
        severity: 'warning',
        span: last.entry.keySpan,
        message: `${last.fileKey} was removed in HikariCP ${versionText(info.removedIn)}: from that version the pool fails to start (Property ${last.hikariKey} does not exist on target class ${TARGET_CLASS})`,
      });
    }
    if (list.length > 1 && new Set(list.map((w) => w.text)).size > 1) {
      problems.push({
        ruleId: 'conflicting-duplicate-setting',
        severity: 'warning',
        span: last.entry.keySpan,
        message: `${list.map((w) => w.fileKey).join(' and ')} each set ${canonical} with different values; HikariCP applies them in hash order, so which one wins is not known. Keep one`,
      });
    }
    if (info?.type === 'bool' && !hasPlaceholder(last.text) && !/^(true|false)$/i.test(last.text)) {
      problems.push({
        ruleId: 'setting-ignored-by-library',
        severity: 'warning',
        span: last.entry.valueSpan,
        message: `${last.fileKey}=${last.text} is read as false: HikariCP uses Boolean.parseBoolean, which accepts only 'true'`,
      });
    }
  }

  // Problems: values that stop the pool (every version evaluated) or stop it only in some versions.
  for (const key of NUMERIC_KEYS) {
    const failing = evaluations.filter((e) => e.slots[key]?.fails);
    if (failing.length === 0) continue;
    const w = failing[0]?.slots[key]?.written;
    if (!w) continue;
    const exception = failing[0]?.slots[key]?.fails ?? '';
    const blank = /^\s|\s$/.test(w.text) ? ' (note the blank space around the number)' : '';
    stops.add(key);
    if (failing.length === evaluations.length) {
      problems.push({
        ruleId: 'startup-failure',
        severity: 'error',
        span: w.entry.valueSpan,
        message: `HikariCP cannot use ${w.fileKey}=${w.text}${blank}: ${exception}, so the pool does not start${secondsHint(key, w.fileKey, w.text)}`,
      });
    } else {
      const fine = evaluations.filter((e) => !e.slots[key]?.fails).map((e) => e.release.label);
      problems.push({
        ruleId: 'startup-failure',
        severity: 'warning',
        span: w.entry.valueSpan,
        message:
          `${w.fileKey}=${w.text} stops HikariCP ${failing.map((e) => e.release.label).join(', ')} from starting (${exception}); ` +
          `only ${fine.join(', ')} accept it. Declare libraries.hikaricp in connlint.config.yaml or write plain milliseconds`,
      });
    }
  }

  // Problems from validate() itself (same in every version read).
  const textOf = (k: string): string | undefined => {
    const s = settings.get(k);
    return s?.origin.kind === 'file' && s.text ? s.text : undefined;
  };
  const spanOf = (k: string): Span | undefined => {
    const s = settings.get(k);
    return s ? settingSpan(s) : undefined;
  };
  const dsClass = textOf('dataSourceClassName');
  const driverClass = textOf('driverClassName');
  if (dsClass && driverClass) {
    problems.push({
      ruleId: 'startup-failure',
      severity: 'error',
      span: spanOf('driverClassName') ?? fileSpan(path),
      message:
        'HikariCP cannot use driverClassName and dataSourceClassName together (IllegalStateException in validate()), so the pool does not start',
    });
  } else if (dsClass && textOf('jdbcUrl')) {
    problems.push({
      ruleId: 'setting-ignored-by-library',
      severity: 'warning',
      span: spanOf('jdbcUrl') ?? fileSpan(path),
      message: `HikariCP uses dataSourceClassName and ignores jdbcUrl (it logs "using dataSourceClassName and ignoring jdbcUrl")`,
    });
  }
  const poolName = textOf('poolName');
  const mbeans = settings.get('registerMbeans')?.value;
  if (poolName?.includes(':') && mbeans?.kind === 'bool' && mbeans.value) {
    problems.push({
      ruleId: 'startup-failure',
      severity: 'error',
      span: spanOf('poolName') ?? fileSpan(path),
      message: `HikariCP rejects poolName '${poolName}' with registerMbeans=true (IllegalArgumentException: poolName cannot contain ':' when used with JMX), so the pool does not start`,
    });
  }

  // A timing value whose magnitude is seconds in a milliseconds key: one finding, which also says what
  // HikariCP does with it (a rewrite at start-up is then not reported a second time).
  const unitSlips = new Set<string>();
  for (const key of UNIT_KEYS) {
    const s = settings.get(key);
    if (s?.origin.kind !== 'file' || stops.has(key)) continue;
    const n = wholeNumber(s.text);
    if (n === undefined || !msLooksLikeSeconds(n)) continue;
    unitSlips.add(key);
    const runs =
      s.value.kind === 'unknown'
        ? `what runs depends on the HikariCP version (${s.value.reason})`
        : s.clamp
          ? `HikariCP rewrites it at start-up (${s.clamp.reason}), so it runs with ${runningText(s)}`
          : `HikariCP runs with ${runningText(s)}`;
    problems.push({
      ruleId: 'suspicious-duration-unit',
      severity: 'warning',
      span: s.origin.span,
      message: `${msAsSecondsText(s.key, s.text ?? '', n)}; ${runs}. ${msAsSecondsFix(s.key, n)}`,
    });
  }

  // A value HikariCP rewrites at start-up is not the one that runs: say so where it is written.
  for (const key of NUMERIC_KEYS) {
    const s = settings.get(key);
    if (!s?.clamp || s.origin.kind !== 'file' || s.value.kind === 'unknown' || unitSlips.has(key)) continue;
    problems.push({
      ruleId: 'setting-ignored-by-library',
      severity: 'warning',
      span: s.origin.span,
      message: `HikariCP does not use ${s.key}=${s.text ?? ''}: ${s.clamp.reason}, so it runs with ${runningText(s)}`,
    });
  }

  // A pool setting written as a driver property: HikariCP strips `dataSource.` and hands the rest to the
  // driver (jdbcUrl: Driver.connect properties) or to the DataSource's setter (dataSourceClassName)
  // (hikaricp.md, `dataSource.<name>`; "Syntax and parsing facts").
  for (const w of dataSource) {
    const name = w.hikariKey.slice(DATA_SOURCE_PREFIX.length);
    const canonical = canonicalOf(name);
    if (!canonical || !POOL_ONLY_KEYS.has(canonical)) continue;
    const write = `${prefix}${canonical}=${w.text}`;
    if (dsClass) {
      problems.push({
        ruleId: 'startup-failure',
        severity: 'error',
        span: w.entry.keySpan,
        message:
          `${w.fileKey}=${w.text} is a DataSource property, not a pool setting: at pool start HikariCP calls set${name.slice(0, 1).toUpperCase()}${name.slice(1)}() on ${dsClass}, ` +
          `which a JDBC DataSource does not have, so the pool does not start (Property ${name} does not exist on target class ${dsClass}). Write ${write}`,
      });
      continue;
    }
    const running = settings.get(canonical);
    const runs =
      running?.value.kind === 'unknown'
        ? `the pool's ${canonical} stays what it is without this line (${running.value.reason})`
        : `the pool runs with ${canonical} ${runningText(running)}`;
    problems.push({
      ruleId: 'setting-ignored-by-library',
      severity: 'warning',
      span: w.entry.keySpan,
      message: `${w.fileKey}=${w.text} goes to the JDBC driver, not to the pool: HikariCP passes every dataSource.* key to the driver as a connection property, so ${runs}. Write ${write}`,
    });
  }

  const sorted = sortedByKey(settings);
  const hasKeepalive = known
    ? keepaliveDefault(known) !== undefined
    : evaluations.some((e) => keepaliveDefault(e.release.version) !== undefined);
  const urlSource = dsClass ? (textOf('dataSource.url') ?? textOf('dataSource.URL') ?? textOf('dataSource.jdbcUrl')) : textOf('jdbcUrl');
  const engine = engineFromJdbc({
    ...(urlSource ? { jdbcUrl: urlSource } : {}),
    ...(driverClass ? { driverClassName: driverClass } : {}),
    ...(dsClass ? { dataSourceClassName: dsClass } : {}),
  });
  const firstHikariEntry = entries.find((e) => {
    const name = e.key.startsWith(prefix) ? e.key.slice(prefix.length) : prefix === HIBERNATE_PREFIX ? HIBERNATE_MAPPED[e.key] : undefined;
    return name !== undefined && (name.startsWith(DATA_SOURCE_PREFIX) || canonicalOf(name) !== undefined);
  });
  const origin: Span = firstHikariEntry?.span ?? entries[0]?.span ?? fileSpan(path);
  const name = textOf('poolName') ?? path;
  // maximumPoolSize after validate(): unset takes 10, or minimumIdle up to 3.3.0 (its clamp says which; hikaricp.md).
  const maxSize = hikariMaxSize(sorted, known);
  const urlSetting = dsClass ? (sorted.get('dataSource.url') ?? sorted.get('dataSource.URL')) : sorted.get('jdbcUrl');
  const packetLimit = jdbcPacketLimit(engine?.engine, urlSetting, sorted.get('dataSource.maxAllowedPacket'));

  const pool: Pool = {
    id: `hikaricp:${path}${input.environment ? `#${input.environment}` : ''}`,
    library: 'hikaricp',
    libraryName: 'HikariCP',
    name,
    ...(input.version ? { libraryVersion: input.version } : {}),
    ...(engine ? { engine: engine.engine, engineReason: engine.reason, tcpKeepalive: jdbcDriverKeepalive(engine.engine) } : {}),
    ...(urlSource && hostOfJdbcUrl(urlSource) ? { host: hostOfJdbcUrl(urlSource) as string } : {}),
    ...(input.environment ? { environment: input.environment } : {}),
    origin,
    settings: sorted,
    idle: idleMechanisms(sorted, evaluations, hasKeepalive),
    validatesOnCheckout: { value: true, fact: 'hikaricp.md, Behaviour: checkout validation when idle > 500 ms' },
    ...(maxSize ? { maxSize } : {}),
    ...(packetLimit ? { packetLimit } : {}),
  };
  return { pool, problems };
}
