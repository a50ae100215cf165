import type { Entry } from '../../model/entry.js';
import { formatSpan, lineSpan, type Span } from '../../model/span.js';
import type { PyEnv } from './value.js';

/*
 * Values of environment variables the tree itself supplies to Python settings (issue 17, "Environment
 * lookups": "a default given in code or in a .env file read by the same library is used"):
 * - the variables a Compose service passes to the application built from a folder (declared by the
 *   Compose format): the process environment, which every library reads first;
 * - python-decouple's repository file: `config()` looks in os.environ, then in the first `settings.ini` or
 *   `.env` found from the calling module's folder upwards (django.md, python-decouple; decouple 3.6
 *   AutoConfig, RepositoryEnv, read here as that code reads it, checked against it in the tests).
 * A folder with a `settings.ini` stops the search (that file is not read: the value stays unknown).
 */

export interface ProvidedValue {
  /** The text the program reads; null when a Compose service passes the variable through from the shell. */
  text: string | null;
  /** For messages: where the value is written (`.env:3`, `docker-compose.yml:12`). */
  where: string;
  span: Span;
}

export interface EnvironmentSources {
  /** Variables Compose passes to the application built from each folder (relative to the root, `.` for the root). */
  compose: ReadonlyArray<{ appDir: string; source: string; variables: readonly Entry[] }>;
  isFile(path: string): boolean;
  readText(path: string): string | undefined;
}

/** decouple 3.6 RepositoryEnv: strip each line; skip blanks, `#` comments and lines without `=`; one pair of matching quotes removed. */
export function decoupleEnvFile(path: string, text: string): Map<string, { value: string; span: Span }> {
  const out = new Map<string, { value: string; span: Span }>();
  // Python's text mode reads \r\n and \r as \n; str.strip() removes Unicode whitespace, as JavaScript's trim does
  // for the characters that occur in such files.
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || !line.includes('=')) return;
    const eq = line.indexOf('=');
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && ((value[0] === "'" && value.at(-1) === "'") || (value[0] === '"' && value.at(-1) === '"')))
      value = value.slice(1, -1);
    out.set(key, { value, span: lineSpan(path, i + 1, raw.length - raw.trimStart().length + 1, raw.trim().length) });
  });
  return out;
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function under(path: string, dir: string): boolean {
  return dir === '.' || dir === '' || path.startsWith(`${dir}/`);
}

/** Looks up, for an environment lookup in a module, the value the tree supplies, if any. */
export function environmentProvider(sources: EnvironmentSources): (env: PyEnv) => ProvidedValue | undefined {
  const files = new Map<string, Map<string, { value: string; span: Span }> | null>();
  const decoupleFile = (dir: string): { path: string; data: Map<string, { value: string; span: Span }> } | undefined => {
    for (let d = dir; ; d = dirname(d)) {
      const join = (name: string) => (d ? `${d}/${name}` : name);
      if (sources.isFile(join('settings.ini'))) return undefined;
      const envPath = join('.env');
      if (sources.isFile(envPath)) {
        let data = files.get(envPath);
        if (data === undefined) {
          const text = sources.readText(envPath);
          data = text === undefined ? null : decoupleEnvFile(envPath, text);
          files.set(envPath, data);
        }
        return data ? { path: envPath, data } : undefined;
      }
      if (!d) return undefined;
    }
  };
  return (env) => {
    const module = env.span.path;
    // The process environment first: a Compose service whose build folder holds the module (only when one does).
    const reaching = sources.compose
      .filter((c) => under(module, c.appDir))
      .flatMap((c) => {
        const v = [...c.variables].reverse().find((x) => x.key === env.name);
        return v ? [{ text: v.text, where: formatSpan(v.span), span: v.span }] : [];
      });
    const first = reaching[0];
    // Several services run the module with different values: which one applies is not known.
    if (first && reaching.every((r) => r.text === first.text)) return first;
    if (first) return { text: null, where: reaching.map((r) => r.where).join('; '), span: first.span };
    if (env.via !== 'decouple.config') return undefined;
    const found = decoupleFile(dirname(module));
    const hit = found?.data.get(env.name);
    return hit && found ? { text: hit.value, where: formatSpan(hit.span), span: hit.span } : undefined;
  };
}
