/**
 * Which `.env` files Prisma reads for a schema, and the variables they give (prisma.md, "Syntax and
 * parsing facts"; prisma/prisma packages/internals/src/utils/getEnvPaths.ts, tryLoadEnvs.ts):
 * - 4.x–6.x without a config file: (1) the project root `.env`, next to the nearest `package.json` above
 *   the working directory; (2) the schema `.env`, the first that exists of `<schema dir>/.env`,
 *   `./prisma/.env`, `./.env` (the `package.json` "prisma.schema" branch never yields a path). For a key in
 *   both with different values the root file wins; real environment variables win over both.
 * - 6.4.0–6.x with a `prisma.config.*` file, and every 7.x: no `.env` is loaded by Prisma at all.
 * - `.env.example`, `.env.production`, `.env.local`, `.env.development` are never read by Prisma.
 * Statically the working directory is taken to be the project folder: the schema's folder, or its parent
 * when the schema sits in a folder named `prisma` (Prisma's default layout); `packageDir` overrides it.
 */
import { type DotenvNodeDoc, dotenvNodeGet, expandPrismaDotenv } from '../../parsers/dotenv-node.js';
import type { Span } from '../../model/span.js';

/** A variable as one of Prisma's .env files sets it (the shape `prismaPools` takes). */
export interface PrismaEnvValue {
  text: string;
  /** The value as written in the .env file. */
  span: Span;
  file: string;
  /** Where `text[from, to)` is written, when known exactly. */
  spanOf?: (from: number, to: number) => Span | undefined;
  /** Set when the value is not known here (a `${NAME}` no file sets): no finding may rest on `text`. */
  unknown?: string;
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

function join(dir: string, name: string): string {
  return dir === '.' || dir === '' ? name : `${dir}/${name}`;
}

function major(version: string | undefined): number | undefined {
  const m = /(\d+)(?:\.(\d+))?/.exec(version ?? '');
  return m ? Number(m[1]) : undefined;
}

/** True when the version is known and at least `major.minor`. */
export function prismaVersionAtLeast(version: string | undefined, wantMajor: number, wantMinor = 0): boolean | undefined {
  const m = /(\d+)(?:\.(\d+))?/.exec(version ?? '');
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2] ?? 0);
  return a > wantMajor || (a === wantMajor && b >= wantMinor);
}

/** Where Prisma looks: the root `.env` (or null), then the schema `.env` candidates of which only the first that exists is loaded. */
export function prismaEnvSources(
  schemaPath: string,
  hasConfigFile: boolean,
  version?: string,
  packageDir?: string,
): { root: string | null; schemaCandidates: string[]; why?: string } {
  const m = major(version);
  if (m !== undefined && m >= 7)
    return { root: null, schemaCandidates: [], why: 'Prisma 7 loads no .env file (prisma.md, "Version changes" 7.0.0)' };
  // A config file without a known version: prisma.config.* exists only from 6.4.0, which skips .env when it finds one.
  if (hasConfigFile && (m === undefined || prismaVersionAtLeast(version, 6, 4)))
    return {
      root: null,
      schemaCandidates: [],
      why: 'a prisma.config.* file makes Prisma 6.4+ skip .env loading ("Prisma config detected, skipping environment variable loading."; prisma.md, "Version changes" 6.4.0)',
    };
  const schemaDir = dirname(schemaPath);
  const project = packageDir ?? (schemaDir.split('/').pop() === 'prisma' ? dirname(schemaDir) : schemaDir);
  const candidates = [join(schemaDir, '.env'), join(join(project, 'prisma'), '.env'), join(project, '.env')];
  return { root: join(project, '.env'), schemaCandidates: [...new Set(candidates)] };
}

/**
 * The candidate `.env` paths in the order Prisma reads them (the first file that sets a name wins): the
 * project root `.env`, then the schema `.env` candidates, of which Prisma loads only the first that exists
 * (`prismaEnvLookup` applies that rule). Empty when Prisma loads no `.env` (a config file on 6.4+, or 7.x).
 */
export function prismaEnvFiles(schemaPath: string, hasConfigFile: boolean, version?: string, packageDir?: string): string[] {
  const s = prismaEnvSources(schemaPath, hasConfigFile, version, packageDir);
  return [...new Set([...(s.root ? [s.root] : []), ...s.schemaCandidates])];
}

/**
 * The `env` function `prismaPools` takes, from the parsed files (`files.get(path)` undefined: the file does
 * not exist). The root file wins over the schema file; `${NAME}` is expanded from the same files.
 */
export function prismaEnvLookup(
  files: ReadonlyMap<string, DotenvNodeDoc>,
  schemaPath: string,
  hasConfigFile: boolean,
  version?: string,
  packageDir?: string,
): (name: string) => PrismaEnvValue | undefined {
  const s = prismaEnvSources(schemaPath, hasConfigFile, version, packageDir);
  const loaded: Array<{ path: string; doc: DotenvNodeDoc }> = [];
  const rootDoc = s.root ? files.get(s.root) : undefined;
  if (s.root && rootDoc) loaded.push({ path: s.root, doc: rootDoc });
  const schemaEnv = s.schemaCandidates.find((p) => files.has(p));
  // tryLoadEnvs loads the schema file only when it is not the root file itself.
  if (schemaEnv && schemaEnv !== s.root) loaded.push({ path: schemaEnv, doc: files.get(schemaEnv) as DotenvNodeDoc });
  const rawOf = (name: string) => {
    for (const f of loaded) {
      const e = dotenvNodeGet(f.doc, name);
      if (e) return { entry: e, file: f.path };
    }
    return undefined;
  };
  return (name: string) => {
    const found = rawOf(name);
    if (!found) return undefined;
    const v = found.entry.value;
    const base = { span: v.span, file: found.file };
    if (!v.interpolates) return { ...base, text: v.text, spanOf: v.spanOf };
    const expanded = expandPrismaDotenv(v.text, (n) => rawOf(n)?.entry.value.text);
    if ('unknown' in expanded) return { ...base, text: v.text, unknown: `${name} ${expanded.unknown}` };
    // Positions inside an expanded value are no longer those of the file.
    return { ...base, text: expanded.text };
  };
}
