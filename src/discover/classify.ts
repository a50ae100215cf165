import { isSysctlPath } from '../parsers/sysctl-order.js';

/** What a path looks like before its content is read. `.properties` files are pools only if they hold pool keys. */
export type Candidate = 'mysql-option-file' | 'sysctl' | 'java-properties' | 'template';

const TEMPLATE_SUFFIX = /\.(?:j2|jinja2?|tmpl|tpl|erb|template|mustache|hbs)$/i;

export const CONFIG_FILE_NAME = 'connlint.config.yaml';

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function classifyPlain(path: string): Exclude<Candidate, 'template'> | undefined {
  const base = baseName(path);
  // mysqld reads `.cnf` files (and `my.ini` on Windows); mysql-option-files.md, "Which files".
  if (base.endsWith('.cnf') || base.toLowerCase() === 'my.ini') return 'mysql-option-file';
  if (isSysctlPath(path)) return 'sysctl';
  if (base.endsWith('.properties')) return 'java-properties';
  return undefined;
}

/**
 * Classifies by name only. Templates of a known format (`my.cnf.j2`, `my.cnf.tmpl`) are listed but not
 * parsed: their text is not what the program reads.
 */
export function classifyPath(path: string): Candidate | undefined {
  if (TEMPLATE_SUFFIX.test(path)) {
    return classifyPlain(path.replace(TEMPLATE_SUFFIX, '')) ? 'template' : undefined;
  }
  return classifyPlain(path);
}
