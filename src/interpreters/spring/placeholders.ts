/**
 * Property placeholders (spring-boot.md, "Property Placeholders"): `${name}` or `${name:default}` anywhere
 * in a value; the default is the text after the first `:`; placeholders nest. A name is looked up in the
 * environment first, then in the configuration (the caller's `lookup`); with neither a value nor a
 * default, Boot leaves the text as it is — connlint then treats the value as unknown, never a guess.
 */

export interface Lookup {
  /** The value, and where it comes from in words (`environment DB_MAX_LIFETIME (docker-compose.yml:12)`). */
  value: string;
  where: string;
  /** True when the value comes from an environment variable a deployment file declares. */
  fromEnvironment: boolean;
  /** The entry that sets it, when one does (an environment variable's line). */
  entry?: import('../../model/entry.js').Entry;
  /** Set when the name is known to be set but its value is not (a variable passed through from the shell). */
  unknown?: string;
}

export interface Resolution {
  /** The value with every placeholder that could be resolved replaced; unresolved ones stay as written. */
  text: string;
  /** Names with neither a value nor a default. */
  unresolved: string[];
  /** Names that are set somewhere whose value is not known, and why. */
  unknown: Array<{ name: string; reason: string }>;
  /** Placeholders that fell back to their default: name and default text. */
  defaults: Array<{ name: string; value: string }>;
  /** Placeholders filled from a value found in the environment or the configuration. */
  found: Array<{ name: string; where: string; fromEnvironment: boolean }>;
}

/** Deep enough for any real nesting; a cycle (`a=${b}`, `b=${a}`) stops here and stays unresolved. */
const MAX_DEPTH = 10;

/** Index of the `}` closing the placeholder whose content starts at `from`, or -1. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text.startsWith('${', i)) {
      depth++;
      i++;
    } else if (text[i] === '{') depth++;
    else if (text[i] === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

export function hasPlaceholder(text: string): boolean {
  return text.includes('${');
}

export function resolvePlaceholders(text: string, lookup: (name: string) => Lookup | undefined): Resolution {
  const result: Resolution = { text: '', unresolved: [], unknown: [], defaults: [], found: [] };
  result.text = resolveIn(text, lookup, result, 0);
  return result;
}

function resolveIn(text: string, lookup: (name: string) => Lookup | undefined, out: Resolution, depth: number): string {
  let s = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) {
      s += text.slice(i);
      break;
    }
    const end = closingBrace(text, start + 2);
    if (end < 0) {
      s += text.slice(i);
      break;
    }
    s += text.slice(i, start);
    const whole = text.slice(start, end + 1);
    if (depth >= MAX_DEPTH) {
      out.unresolved.push(whole);
      s += whole;
      i = end + 1;
      continue;
    }
    // Spring resolves placeholders inside the placeholder first, then splits at the first ':'.
    const inner = resolveIn(text.slice(start + 2, end), lookup, out, depth + 1);
    const colon = inner.indexOf(':');
    const name = colon < 0 ? inner : inner.slice(0, colon);
    const fallback = colon < 0 ? undefined : inner.slice(colon + 1);
    const found = lookup(name);
    if (found?.unknown) {
      out.unknown.push({ name, reason: found.unknown });
      s += whole;
    } else if (found) {
      out.found.push({ name, where: found.where, fromEnvironment: found.fromEnvironment });
      s += resolveIn(found.value, lookup, out, depth + 1);
    } else if (fallback !== undefined) {
      out.defaults.push({ name, value: fallback });
      s += fallback;
    } else {
      out.unresolved.push(name);
      s += whole;
    }
    i = end + 1;
  }
  return s;
}
