/**
 * A service's `volumes:` entries (compose-spec/compose-go format/volume.go `ParseVolume` @ e70e961 for
 * the short syntax `SOURCE:TARGET[:OPTIONS]`; the long syntax is a mapping with `type`, `source`,
 * `target`, `read_only`). A short entry whose source starts with `.`, `/` or `~` (or a Windows drive)
 * is a bind mount of a host path; any other source names a volume; one part alone is an anonymous
 * volume at that target. Two volumes with the same target: the later one replaces the earlier (Compose
 * keeps one per target).
 */

export interface VolumeSpec {
  type: 'bind' | 'volume' | 'tmpfs' | 'other';
  /** The source as written: a host path for a bind mount, a volume name, or empty. */
  source: string;
  target: string;
  readOnly: boolean;
}

function isWindowsDrive(buffer: string, c: string): boolean {
  return c === ':' && buffer.length === 1 && /\p{L}/u.test(buffer);
}

/** Whether a short-syntax source is a host path (compose-go `isFilePath`). */
export function isHostPath(source: string): boolean {
  if (source === '') return false;
  if ('./~'.includes(source.charAt(0))) return true;
  if (source.startsWith('\\\\')) return true;
  const first = String.fromCodePoint(source.codePointAt(0) as number);
  return source.length > first.length && isWindowsDrive(first, source.charAt(first.length));
}

/** Parses a short-syntax volume; an error says why Compose refuses it. */
export function parseShortVolume(spec: string): VolumeSpec | { error: string } {
  if (spec === '') return { error: 'invalid empty volume spec' };
  if (spec.length <= 2) return { type: 'volume', source: '', target: spec, readOnly: false };
  const fields: { source?: string; target?: string; readOnly: boolean } = { readOnly: false };
  let buffer = '';
  let nesting = 0;
  const chars = [...spec, ''];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    const atEnd = i === chars.length - 1;
    if (c === '$' && chars[i + 1] === '{') {
      nesting++;
      buffer += c;
      continue;
    }
    if (c === '}' && nesting > 0) {
      nesting--;
      buffer += c;
      continue;
    }
    if (isWindowsDrive(buffer, c)) {
      buffer += c;
      continue;
    }
    if ((c === ':' || atEnd) && nesting === 0) {
      if (buffer === '') return { error: `invalid spec: ${spec}: empty section between colons` };
      if (fields.source === undefined && atEnd) fields.target = buffer;
      else if (fields.source === undefined) fields.source = buffer;
      else if (fields.target === undefined) fields.target = buffer;
      else if (c === ':') return { error: `invalid spec: ${spec}: too many colons` };
      else {
        for (const option of buffer.split(',')) {
          if (option === 'ro') fields.readOnly = true;
          else if (option === 'rw') fields.readOnly = false;
        }
      }
      buffer = '';
      continue;
    }
    buffer += c;
  }
  const source = fields.source ?? '';
  return { type: isHostPath(source) ? 'bind' : 'volume', source, target: fields.target ?? '', readOnly: fields.readOnly };
}
