import type { Fix } from '../engine/finding.js';
import { formatBytes, formatDuration } from './duration.js';
import { isQuoted } from './entry.js';
import { ENGINE_NAMES, type Engine, type Pool } from './model.js';
import { type Setting, settingSpan, type Value } from './setting.js';
import { formatSpan, type Span } from './span.js';

/** A value in human units: `30 min`, `64 MiB`, `true`. */
export function humanValue(value: Value): string {
  switch (value.kind) {
    case 'duration':
      return formatDuration(value.ms);
    case 'size':
      return formatBytes(value.bytes);
    case 'bool':
      return String(value.value);
    case 'count':
      return String(value.value);
    case 'string':
      return `"${value.value}"`;
    case 'unknown':
      return `unknown (${value.reason})`;
  }
}

/** Where a value comes from, for messages: `deploy/my.cnf:9`, `HikariCP default`, `MySQL default`, `connlint.config.yaml:3`. */
export function whereFrom(setting: Setting): string {
  const o = setting.origin;
  switch (o.kind) {
    case 'file':
    case 'config':
      return formatSpan(o.span);
    case 'library-default':
      return `${o.library}${o.version ? ` ${o.version}` : ''} default`;
    case 'server-default':
      return `${ENGINE_NAMES[o.engine as Engine] ?? o.engine} default`;
    case 'os-default':
      return 'Linux default';
  }
}

/** The span a finding can point at for this setting, else the fallback (the pool or server as a whole). */
export function spanOr(setting: Setting | undefined, fallback: Span): Span {
  return (setting && settingSpan(setting)) ?? fallback;
}

/** A duration as the user must type it for this key: `595000` for milliseconds keys, `595` for seconds keys (rounded down). */
export function typedValue(setting: Setting, ms: number): string {
  return setting.unit === 's' ? String(Math.floor(ms / 1000)) : String(Math.floor(ms));
}

/** `595000 (595 s)` for a milliseconds key, `310` for a seconds key whose human form adds nothing. */
export function typedWithHuman(setting: Setting, ms: number): string {
  const typed = typedValue(setting, ms);
  const human = formatDuration(setting.unit === 's' ? Math.floor(ms / 1000) * 1000 : ms);
  return human === `${typed} s` ? typed : `${typed} (${human})`;
}

/**
 * The one edit behind advice `Set <key> to <text>`: the written value replaced by `text`, in the same quotes as
 * written. Undefined when the setting has no value span (a default, a placeholder, an environment lookup, an
 * expression) or the advice names something else to write (`writeAs`: an environment variable, two keys at once).
 */
export function setValueFix(setting: Setting | undefined, text: string): Fix | undefined {
  if (!setting?.valueSpan || setting.writeAs !== undefined) return undefined;
  const raw = setting.raw ?? '';
  const quote = setting.text !== null && isQuoted(raw, setting.text) ? raw[0] : '';
  return { description: `Set ${setting.key} to ${text}`, span: setting.valueSpan, text: `${quote}${text}${quote}` };
}

/** `CONN_HEALTH_CHECKS to True (Django 4.1 or later)`: asking for a boolean as the file spells it. */
export function setTo(setting: Setting, value: boolean): string {
  const literal = setting.literals ? setting.literals[value ? 'true' : 'false'] : String(value);
  return `${setting.writeAs ?? setting.key} to ${literal}${setting.requires ? ` (${setting.requires})` : ''}`;
}

/**
 * The written setting that lets a pool's connections sit idle unbounded, for a finding to point at when
 * nothing retires them: what spares connections for good (tarn's `pool.min`), else a written idle timeout
 * (`idleTimeoutMillis: 0`), else a written lifetime. Undefined when only defaults are involved.
 */
export function idleCulprit(pool: Pool): Setting | undefined {
  const written = (s: Setting | undefined) => (s?.origin.kind === 'file' ? s : undefined);
  const idle = pool.idle.filter((m) => m.kind === 'idle-timeout');
  return (
    idle.map((m) => written(m.sparedBy)).find(Boolean) ??
    idle.map((m) => written(m.setting)).find(Boolean) ??
    pool.idle
      .filter((m) => m.kind === 'max-lifetime')
      .map((m) => written(m.setting))
      .find(Boolean)
  );
}

/** The lines a value travels through to the program that reads it (the code reading an environment variable, an `!include`), for related locations. */
export function throughLines(setting: Setting | undefined): Array<{ span: Span; message: string }> {
  const o = setting?.origin;
  if (!setting || o?.kind !== 'file') return [];
  return o.via.map((span) => ({ span, message: `${setting.canonicalKey} is read here` }));
}
