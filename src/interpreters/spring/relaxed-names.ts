/**
 * Spring Boot's relaxed binding (spring-boot.md, "Syntax and parsing facts", Relaxed binding): a property
 * name is split into elements on `.` and `[...]`; each element is compared with the bean property's
 * element ignoring case and every character that is not `a-z`/`0-9`, so `max-lifetime`, `maxLifetime`,
 * `max_lifetime` and `MAXLIFETIME` all bind `setMaxLifetime`. Environment variables are upper case with
 * `_` for `.` and no `-` (`SPRING_DATASOURCE_HIKARI_MAXLIFETIME`), or with `_` for `-` too (the legacy form
 * `SPRING_DATASOURCE_HIKARI_MAX_LIFETIME`); names are lower-cased before matching, so lower case binds too.
 */

/** One element of a property name: `max-lifetime`, or `cachePrepStmts` from `[cachePrepStmts]` (indexed). */
export interface NameElement {
  /** As written, brackets and surrounding quotes removed. */
  text: string;
  /** Written in brackets (a map key or list index): compared as written, never relaxed. */
  indexed: boolean;
}

/** `a.b[c].d` -> a, b, [c], d (ConfigurationPropertyName's elements). Empty elements are dropped. */
export function elementsOf(key: string): NameElement[] {
  const out: NameElement[] = [];
  let current = '';
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    if (c === '.') {
      if (current !== '') out.push({ text: current, indexed: false });
      current = '';
    } else if (c === '[') {
      if (current !== '') out.push({ text: current, indexed: false });
      current = '';
      const close = key.indexOf(']', i + 1);
      const inner = key.slice(i + 1, close < 0 ? key.length : close);
      out.push({ text: inner.replace(/^(['"])(.*)\1$/, '$2'), indexed: true });
      i = close < 0 ? key.length : close;
    } else current += c;
  }
  if (current !== '') out.push({ text: current, indexed: false });
  return out;
}

/** The form Boot compares an element in: lower case, only `a-z` and `0-9` (2.0.0 dropped only `-` and `_`). */
export function elementForm(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Does the name start with these elements (given in compared form)? Returns the rest, or undefined. */
export function afterPrefix(elements: readonly NameElement[], prefix: readonly string[]): NameElement[] | undefined {
  if (elements.length < prefix.length) return undefined;
  for (let i = 0; i < prefix.length; i++) {
    const e = elements[i] as NameElement;
    if (e.indexed || elementForm(e.text) !== prefix[i]) return undefined;
  }
  return elements.slice(prefix.length);
}

/** A JavaBean property name in Boot's canonical dashed form: `maxLifetime` -> `max-lifetime`. */
export function dashed(name: string): string {
  return name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c.toLowerCase() : `-${c.toLowerCase()}`));
}

/**
 * An environment variable as the elements of a property name (SystemEnvironmentPropertyMapper): lower
 * case, split on `_`. `SPRING_DATASOURCE_HIKARI_MAX_LIFETIME` gives five elements; callers that bind a
 * single-element bean property join what follows the prefix, which is the legacy `-` to `_` form.
 */
export function envElements(name: string): NameElement[] {
  return name
    .toLowerCase()
    .split('_')
    .filter((e) => e !== '')
    .map((text) => ({ text, indexed: false }));
}

/** Does this variable name look like an environment variable (upper case, digits, `_`), not a property name? */
export function isEnvStyle(name: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(name);
}

/**
 * The names SystemEnvironmentPropertySource tries for a property name used in a placeholder: the name,
 * with `.` as `_`, with `-` as `_`, both, each also upper-cased; and the canonical form (`-` removed).
 */
export function envCandidates(name: string): string[] {
  const forms = [
    name,
    name.replace(/\./g, '_'),
    name.replace(/-/g, '_'),
    name.replace(/[.-]/g, '_'),
    name.replace(/-/g, '').replace(/\./g, '_'),
  ];
  return [...new Set([...forms, ...forms.map((f) => f.toUpperCase())])];
}
