import type { LibraryVersion } from '../../model/model.js';
import type { Span } from '../../model/span.js';
import { jsProperties } from '../js/scalar.js';
import type { JsValue } from '../js/value.js';

/*
 * What a project's package.json says about its Prisma: the version (from `prisma` or `@prisma/client`) and
 * the driver adapter package it depends on (`@prisma/adapter-pg`). A range says which versions may run, not
 * which one does, so only what every version in it shares is kept: the major of `^7.6.0` (7: Prisma 7's
 * facts do not depend on the minor), the exact version of a pinned `6.19.0`; a `^6.2.0` could be 6.2 or 6.19,
 * whose .env handling differ, so it gives no version (the interpreter then says the version is unknown).
 */

export interface PrismaManifest {
  version?: LibraryVersion;
  adapter?: { name: string; span: Span };
  /** The ranges of the drivers an adapter builds its pool with (`pg`, `mariadb`), when the project names them itself. */
  drivers: Partial<Record<'pg' | 'mariadb', { range: string; span: Span }>>;
}

function dependencies(manifest: JsValue): Array<{ name: string; value: JsValue; span: Span }> {
  const top = jsProperties(manifest);
  const out: Array<{ name: string; value: JsValue; span: Span }> = [];
  for (const group of ['dependencies', 'devDependencies']) {
    const deps = top?.props.get(group);
    const inner = deps ? jsProperties(deps.value) : undefined;
    for (const [name, p] of inner?.props ?? []) out.push({ name, value: p.value, span: p.span });
  }
  return out;
}

/** The version an exact pin (`3.4.5`, `=3.4.5`) names; undefined for a range, which npm may resolve to any version in it. */
export function exactVersionOf(range: string): string | undefined {
  return /^\s*=?v?(\d+\.\d+\.\d+)\s*$/.exec(range)?.[1];
}

/** The version a range pins as far as Prisma's facts go (see above), or undefined. */
export function prismaVersionOfRange(range: string): string | undefined {
  const exact = exactVersionOf(range);
  if (exact) return exact;
  const major = /^\s*[\^~]\s*v?(\d+)(?:\.\d+){0,2}\s*$/.exec(range);
  if (major && Number(major[1]) >= 7) return major[1];
  return undefined;
}

export function prismaManifest(manifest: JsValue): PrismaManifest {
  const deps = dependencies(manifest);
  const out: PrismaManifest = { drivers: {} };
  for (const name of ['prisma', '@prisma/client']) {
    const d = deps.find((x) => x.name === name);
    if (d?.value.kind !== 'string') continue;
    const version = prismaVersionOfRange(d.value.value);
    if (version) {
      out.version = { version, span: d.span };
      break;
    }
  }
  const adapter = deps.find((x) => x.name.startsWith('@prisma/adapter-'));
  if (adapter) out.adapter = { name: adapter.name, span: adapter.span };
  for (const name of ['pg', 'mariadb'] as const) {
    const d = deps.find((x) => x.name === name);
    if (d?.value.kind === 'string') out.drivers[name] = { range: d.value.value, span: d.span };
  }
  return out;
}
