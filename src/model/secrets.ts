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
