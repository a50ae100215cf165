/**
 * Glob patterns of connlint.config.yaml `include`/`exclude`/`links`: `**` any number of path segments,
 * `*` and `?` within one segment, `{a,b}` alternatives. Matched against POSIX paths relative to the root.
 * A pattern without `/` matches the base name at any depth (as .gitignore and ESLint do).
 */
export function globToRegExp(pattern: string): RegExp {
  let p = pattern.trim().replace(/^\.\//, '');
  if (!p.includes('/')) p = `**/${p}`;
  if (p.endsWith('/')) p += '**';
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '*') {
      if (p[i + 1] === '*') {
        const atSegmentStart = i === 0 || p[i - 1] === '/';
        const atSegmentEnd = i + 2 === p.length || p[i + 2] === '/';
        if (atSegmentStart && atSegmentEnd) {
          // `**/` matches zero or more whole segments; a trailing `**` matches everything below.
          out += i + 2 === p.length ? '.*' : '(?:.*/)?';
          i += i + 2 === p.length ? 1 : 2;
          continue;
        }
      }
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const close = p.indexOf('}', i);
      if (close === -1) out += '\\{';
      else {
        out += `(?:${p
          .slice(i + 1, close)
          .split(',')
          .map((alt) => alt.replace(/[.+^${}()|[\]\\*?]/g, '\\$&'))
          .join('|')})`;
        i = close;
      }
    } else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

export function matchesAny(path: string, patterns: RegExp[]): boolean {
  return patterns.some((re) => re.test(path));
}

/**
 * Whether the patterns exclude a whole directory, so the walk need not enter it: the directory itself
 * matches (`vendor`, `vendor/*`), or a pattern ending in `/**` matches it with a trailing slash
 * (`vendor/**`), which then matches every path below it too.
 */
export function coversDirectory(dir: string, patterns: RegExp[]): boolean {
  return patterns.some((re) => re.test(dir) || (re.source.endsWith('/.*$') && re.test(`${dir}/`)));
}
