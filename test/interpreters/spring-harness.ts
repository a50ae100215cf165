import { emptyConfig } from '../../src/config/config.js';
import type { AppEnvironment, Contribution, FormatContext } from '../../src/formats/format.js';
import { isNotRead } from '../../src/formats/format.js';
import { springBoot } from '../../src/formats/spring-boot.js';
import type { Entry } from '../../src/model/entry.js';
import type { Pool } from '../../src/model/model.js';
import { lineSpan } from '../../src/model/span.js';

/**
 * Runs the Spring Boot format over files given as text, through the same seam the engine uses (claim,
 * load, contribute), with Compose-style environments declared by hand.
 */
export async function springContribution(
  files: Record<string, string>,
  options: { environments?: AppEnvironment[]; hikaricp?: string } = {},
): Promise<Contribution> {
  const module = await springBoot.load();
  const claimed = Object.entries(files).flatMap(([path, text]) => {
    const decoded = Buffer.from(text, 'utf8').toString(springBoot.encoding);
    const claim = springBoot.claim(path, decoded);
    return isNotRead(claim) ? [] : [{ path, text: decoded, claim }];
  });
  const config = emptyConfig();
  if (options.hikaricp) config.libraries.hikaricp = { value: options.hikaricp, span: lineSpan('connlint.config.yaml', 1, 1, 1) };
  const context: FormatContext = {
    config,
    declarations: { environments: options.environments ?? [] },
    view: undefined as never,
    cache: { get: (_format, _path, _text, parse) => parse() },
  };
  return module.contribute(claimed, context);
}

/** An environment variable as a Compose file declares it: the name, the value (null when passed through), its line. */
export function variable(name: string, value: string | null, line: number, path = 'docker-compose.yml'): Entry {
  const span = lineSpan(path, line, 7, name.length + (value?.length ?? 0) + 2);
  return { key: name, text: value, raw: value, keySpan: lineSpan(path, line, 7, name.length), valueSpan: span, span };
}

export function poolOf(c: Contribution, environment: string): Pool {
  const pool = c.pools?.find((p) => p.environment === environment);
  if (!pool) throw new Error(`no pool for ${environment}: ${(c.pools ?? []).map((p) => p.id).join(', ')}`);
  return pool;
}

/** A setting's value in plain terms: ms, count, boolean, string, or `unknown`. */
export function settingValue(pool: Pool, key: string): unknown {
  const v = pool.settings.get(key)?.value;
  if (!v) return undefined;
  switch (v.kind) {
    case 'duration':
      return v.ms;
    case 'count':
    case 'bool':
    case 'string':
      return v.value;
    case 'size':
      return v.bytes;
    case 'unknown':
      return 'unknown';
  }
}

/** `path:line` where the setting is written, or its origin kind for defaults. */
export function whereSet(pool: Pool, key: string): string | undefined {
  const o = pool.settings.get(key)?.origin;
  if (!o) return undefined;
  return o.kind === 'file' ? `${o.span.path}:${o.span.line}` : o.kind;
}
