import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The fixture repositories: `fixtures/<rule>/<case>/`, plus `fixtures/demo` (the README's example,
 * which belongs to no rule). fixtures/README.md describes the layout and fixture.json.
 */
export const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures');

/** The one case that sits directly under fixtures/ and belongs to no rule. */
export const DEMO = 'demo';

/**
 * Rule directories whose cases need no silent twin: a parse error has no near-miss that is "almost
 * unreadable". Discovery rules (unreadable folder, file too large, link not followed ...) join this list
 * when their fixtures arrive.
 */
export const UNPAIRED_RULES: ReadonlySet<string> = new Set(['parse-error']);

export interface FixtureCase {
  /** The rule directory, or null for fixtures/demo. */
  rule: string | null;
  /** The case directory's name (unique within its rule directory). */
  name: string;
  /** Absolute path of the case directory: the root connlint lints. */
  dir: string;
}

function subdirectories(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort();
}

/** Every case directory, sorted by rule directory then case name (demo in its alphabetical place). */
export function fixtureCases(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const top of subdirectories(FIXTURES_DIR)) {
    const dir = join(FIXTURES_DIR, top);
    if (top === DEMO) cases.push({ rule: null, name: DEMO, dir });
    else for (const name of subdirectories(dir)) cases.push({ rule: top, name, dir: join(dir, name) });
  }
  return cases;
}

/** A case's fixture.json. */
export interface FixtureMeta {
  /** One sentence: what the case shows. */
  description: string;
  /** On a firing case: the name of its near-miss in the same rule directory, which must stay silent. */
  silentTwin?: string;
  /** On a silent twin: the firing case it is the near-miss of. */
  twinOf?: string;
  /** Only on a case with no twin: whether the case's rule fires (true for parse errors). */
  fires?: boolean;
  /** The case also keeps the expected `connlint inspect --format json` document in inspect.json. */
  inspect?: boolean;
}

const FIELDS: Record<keyof FixtureMeta, 'string' | 'boolean'> = {
  description: 'string',
  silentTwin: 'string',
  twinOf: 'string',
  fires: 'boolean',
  inspect: 'boolean',
};

/** fixtures/demo keeps its content (the README links it): its fixture.json lives here instead. */
export const DEMO_META: FixtureMeta = {
  description: "The README's example: a HikariCP and a c3p0 pool, a MySQL include tree and a host sysctl behind an AWS NAT gateway.",
  inspect: true,
};

/** The problems of a parsed fixture.json; empty when it is valid. */
export function fixtureMetaProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['fixture.json must hold an object'];
  const problems: string[] = [];
  const meta = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(meta)) {
    const type = FIELDS[key as keyof FixtureMeta];
    if (!type) problems.push(`unknown field "${key}" (known: ${Object.keys(FIELDS).join(', ')})`);
    else if (typeof v !== type) problems.push(`"${key}" must be a ${type}`);
    else if (type === 'string' && (v as string).trim() === '') problems.push(`"${key}" must not be empty`);
  }
  if (!('description' in meta)) problems.push('"description" is missing');
  if ('silentTwin' in meta && 'twinOf' in meta)
    problems.push('a case is either a firing case ("silentTwin") or a twin ("twinOf"), not both');
  const twinned = 'silentTwin' in meta || 'twinOf' in meta;
  if (twinned && 'fires' in meta) problems.push('"fires" is only for a case with no twin ("silentTwin" implies true, "twinOf" false)');
  return problems;
}

/** A case's fixture.json (DEMO_META for demo); throws with the case's path when it is missing or invalid. */
export function readFixtureMeta(c: FixtureCase): FixtureMeta {
  const file = join(c.dir, 'fixture.json');
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if (c.rule === null && (error as NodeJS.ErrnoException).code === 'ENOENT') return DEMO_META;
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const problems = fixtureMetaProblems(value);
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  return value as FixtureMeta;
}

/** Whether the case's own rule must fire in its expected.json (null for demo, which belongs to no rule). */
export function expectedToFire(meta: FixtureMeta): boolean | null {
  if (meta.silentTwin !== undefined) return true;
  if (meta.twinOf !== undefined) return false;
  return meta.fires ?? null;
}

export interface UpdateMode {
  /** Rewrite expected.json and inspect.json from the actual output. */
  update: boolean;
  /** Set when the update switch must not be used here; the fixture tests then compare and fail with it. */
  refused?: string;
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * `CONNLINT_UPDATE=1` rewrites the expected files. In CI (the CI variable set, as GitHub Actions and
 * most CI services do) it is refused: an expected file is a reviewed expectation, not an output.
 */
export function updateMode(env: Record<string, string | undefined>): UpdateMode {
  if (env.CONNLINT_UPDATE !== '1') return { update: false };
  if (isSet(env.CI))
    return { update: false, refused: 'CONNLINT_UPDATE is set in CI: expected files are reviewed expectations, not outputs' };
  return { update: true };
}
