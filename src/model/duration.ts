/**
 * Human units for messages ("30 min", "9 min 55 s", "8 h", "350 ms") and the duration syntax of
 * connlint.config.yaml ("350s", "5m", "1h30m", "250ms", or a bare number of seconds).
 */

const UNITS: Array<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1000],
];

/** `1800000` -> `30 min`; `595000` -> `9 min 55 s`; `28800000` -> `8 h`; `1500` -> `1.5 s`; `250` -> `250 ms`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === 0) return '0 s';
  if (ms < 1000) return `${ms} ms`;
  if (ms % 1000 !== 0 && ms < 60_000) return `${Number((ms / 1000).toFixed(3))} s`;
  // Under 10 min, a duration that is not whole minutes reads better in seconds: NAT gateways say "350 s".
  if (ms < 600_000 && ms % 60_000 !== 0 && ms % 1000 === 0) return `${ms / 1000} s`;
  const parts: string[] = [];
  let rest = ms;
  for (const [name, size] of UNITS) {
    if (rest >= size) {
      const n = Math.floor(rest / size);
      parts.push(`${n} ${name}`);
      rest -= n * size;
    }
    if (parts.length === 3) break;
  }
  if (rest > 0 && parts.length < 3) parts.push(`${rest} ms`);
  return parts.join(' ');
}

/** Sizes in powers of 1024, as MySQL's K/M/G suffixes: `67108864` -> `64 MiB`, `99328` -> `97 KiB`, `1500` -> `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let i = 0;
  while (Math.abs(value) >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${Number(value.toFixed(1))} ${units[i]}`;
}

const CONFIG_DURATION = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h|d))+$/;
const CONFIG_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const PART_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Reads a duration as connlint.config.yaml writes it: a number is seconds; a string is one or more
 * `<number><unit>` parts with units ms, s, m, h, d (`350s`, `5m`, `1h30m`). Returns undefined if invalid.
 */
export function parseConfigDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.round(input * 1000) : undefined;
  const text = input.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!CONFIG_DURATION.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(CONFIG_PART)) total += Number(m[1]) * (PART_MS[m[2] ?? 's'] ?? 1000);
  return Math.round(total);
}
