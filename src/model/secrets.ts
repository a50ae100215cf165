/**
 * Secrets never reach any output (DEVELOPERS.md, "Static, safe, total"): values of keys that name a
 * secret, passwords inside URLs (`user:pass@host`, `?password=`), whatever the format.
 */
export const MASK = '****';

const SECRET_KEY = /(pass(word|wd|phrase)?|secret|token|credential|api[-_.]?key|private[-_.]?key)$/i;
const URL_USERINFO = /(\/\/[^/:@\s]*):([^@/\s]*)@/g;
const QUERY_SECRET = /([?&;](?:password|pass|pwd|secret|token|sslpassword)=)([^&;#\s]*)/gi;

export function isSecretKey(key: string): boolean {
  const last = key.split(/[.:/]/).pop() ?? key;
  return SECRET_KEY.test(last);
}

/** The text with secrets replaced by `****`: the whole value for a secret key, else passwords inside URLs. */
export function maskSecrets(key: string, text: string): string {
  if (isSecretKey(key)) return text === '' ? text : MASK;
  return text.replace(URL_USERINFO, `$1:${MASK}@`).replace(QUERY_SECRET, `$1${MASK}`);
}

const URL_PASSWORD = /\/\/[^/:@\s]*:([^@/\s]+)@/g;
const QUERY_PASSWORD = /[?&;](?:password|pass|pwd|secret|token|sslpassword)=([^&;#\s]+)/gi;

/** Every secret value written in the given settings: values of secret keys and passwords inside URLs. */
export function secretValues(settings: Iterable<{ key: string; text: string | null }>): string[] {
  const found = new Set<string>();
  for (const s of settings) {
    if (!s.text) continue;
    if (isSecretKey(s.key)) found.add(s.text);
    for (const m of s.text.matchAll(URL_PASSWORD)) if (m[1]) found.add(m[1]);
    for (const m of s.text.matchAll(QUERY_PASSWORD)) if (m[1]) found.add(m[1]);
  }
  // Very short values would mask ordinary words; a two-character password is not worth hiding that way.
  return [...found].filter((v) => v.length >= 3).sort((a, b) => b.length - a.length);
}

/** The text with every occurrence of the given secrets replaced by `****`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(MASK);
  return out;
}
