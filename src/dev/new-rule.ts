import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * `npm run new-rule -- <id> [--root DIR]` (Ruff's add_rule script): writes rules/<id>.ts with every docs
 * field to fill, a firing fixture and its silent twin under fixtures/<id>/, and the registry line in
 * src/engine/registry.ts. The helpers it shares with `new-format` are exported from here.
 */

/** A refusal the user can fix (a bad or taken name): one line on stderr, exit 2. */
export class ScaffoldError extends Error {}

/** Compiled to dist/src/dev/: the repository root is three levels up. */
const DEFAULT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ScaffoldArgs {
  name: string;
  root: string;
}

export function parseScaffoldArgs(argv: readonly string[], usage: string): ScaffoldArgs {
  const names: string[] = [];
  let root = DEFAULT_ROOT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--root') {
      const dir = argv[++i];
      if (dir === undefined) throw new ScaffoldError(`--root needs a directory\n${usage}`);
      root = resolve(dir);
    } else if (arg.startsWith('-')) throw new ScaffoldError(`unknown option ${arg}\n${usage}`);
    else names.push(arg);
  }
  if (names.length !== 1) throw new ScaffoldError(usage);
  return { name: names[0] as string, root };
}

/** `spring-boot` -> `springBoot`. */
export function camelCase(kebab: string): string {
  return kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Words a scaffolded name cannot become, since it is also an identifier in the generated code. */
const RESERVED = new Set(
  'await break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof let new null return static super switch this throw true try typeof var void while with yield'.split(
    ' ',
  ),
);

export function assertIdentifier(name: string): void {
  if (RESERVED.has(camelCase(name))) throw new ScaffoldError(`"${name}" is a JavaScript keyword; choose a name that says more`);
}

/** Refuses before anything is written, so a refused run leaves the tree as it was. */
export function assertAbsent(root: string, paths: readonly string[]): void {
  for (const p of paths) if (existsSync(join(root, p))) throw new ScaffoldError(`${p} already exists`);
}

export function writeNewFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    // 'wx': never overwrite, even if the file appeared since the check.
    writeFileSync(join(root, path), text, { flag: 'wx' });
  }
}

/** Inserts an import line among the file's leading imports, in the order of their module paths. */
export function insertImport(source: string, line: string): string {
  const specifier = (l: string) => /from '([^']+)'/.exec(l)?.[1] ?? '';
  const lines = source.split('\n');
  let last = -1;
  let at = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (!l.startsWith('import ')) continue;
    last = i;
    if (at < 0 && specifier(l) > specifier(line)) at = i;
  }
  lines.splice(at >= 0 ? at : last + 1, 0, line);
  return lines.join('\n');
}

/** An array literal as Biome prints it: on one line when it fits in 140 columns, else one item a line. */
export function renderArray(head: string, items: readonly string[], tail: string): string {
  const flat = `${head}${items.join(', ')}${tail}`;
  return flat.length <= 140 ? flat : `${head}\n${items.map((i) => `  ${i},\n`).join('')}${tail}`;
}

/** The `[...]` items of `const NAME ... = [ ... ]`; throws a ScaffoldError when the file no longer has that shape. */
export function arrayLiteral(
  source: string,
  name: string,
  file: string,
): { match: RegExpExecArray; head: string; items: string[]; tail: string } {
  const match = new RegExp(`(export const ${name}\\b[^=]*= \\[)([^\\]]*)(\\][^;\\n]*;)`).exec(source);
  if (!match) throw new ScaffoldError(`${file}: no "export const ${name} ... = [...];" to add to; add the line by hand`);
  const items = (match[2] as string)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return { match, head: match[1] as string, items, tail: match[3] as string };
}

export function printDone(wrote: readonly string[], changed: readonly string[], next: readonly string[]): string {
  return [
    'Wrote:',
    ...wrote.map((f) => `  ${f}`),
    'Changed:',
    ...changed.map((f) => `  ${f}`),
    '',
    'Next:',
    ...next.map((s, i) => `  ${i + 1}. ${s}`),
    '',
  ].join('\n');
}

/** Runs a scaffold as a script: its report on stdout, or one line on stderr and exit 2. */
export function runScript(main: (argv: readonly string[]) => string): void {
  try {
    process.stdout.write(main(process.argv.slice(2)));
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  }
}

// ---- the rule scaffold

const RULE_ID = /^[a-z]+(-[a-z]+)+$/;
/** Finding ids that are not rules (STYLE.md, "Naming"). */
const NOT_RULES = new Set(['parse-error', 'unused-suppression', 'internal-error']);
const REGISTRY = 'src/engine/registry.ts';
const RULE_USAGE =
  'usage: npm run new-rule -- <rule-id> [--root DIR]   (kebab-case, the thing then the condition: pool-lifetime-exceeds-wait-timeout)';

function ruleSource(id: string): string {
  return `import { defineRule } from '../src/engine/define-rule.js';

// Scaffolded by \`npm run new-rule\`: fill every TODO (STYLE.md, "Rule anatomy" and "Message style"; rules/pool-missing-validation.ts
// is a complete example). The rule asks the model only; joins and unit arithmetic go in src/model/.
export default defineRule({
  id: '${id}',
  summary: 'TODO: one line, the thing and what is wrong with it',
  severity: 'warning',
  tags: ['TODO'],
  status: { kind: 'preview', since: 'TODO: the release that ships it' },
  // Each option: { type, description, default, minimum }, explained in docs.options.
  options: {},
  docs: {
    // What it finds, and when it stays silent.
    whatItDoes: 'TODO: what it finds',
    // The failure users see (the error message, when it happens).
    whyIsThisBad: 'TODO: the failure users see',
    // The smallest repository that makes it fire ({ 'my.cnf': '[mysqld]\\nwait_timeout = 600\\n', ... }); tested.
    example: { 'TODO.txt': 'TODO: the smallest repository that makes the rule fire\\n' },
    // The same repository with the one value on the safe side; must stay silent (tested).
    useInstead: { 'TODO.txt': 'TODO: the same repository, corrected\\n' },
    knownLimits: 'TODO: what it cannot see',
    references: ['TODO: connlint knowledge: <file>.md (the fact it rests on)', 'TODO: the upstream documentation'],
  },
  messages: {
    // Both values under the keys as written, both locations, human units, the consequence, then a computed safe value.
    found: (d: { key: string; value: string; otherKey: string; other: string; otherAt: string; safe: string }) =>
      \`\${d.key} is \${d.value} but \${d.otherKey} is \${d.other} (\${d.otherAt}), so TODO: the consequence. Set \${d.key} to \${d.safe} or lower.\`,
  },
  check(_context) {
    // TODO: read _context.model (paths: one idle path per pool with its server and network; servers, pools, hosts, files) and call
    // _context.report({ messageId: 'found', data, at, related, key }) for each problem. Until then the rule never fires.
  },
});
`;
}

const FIXTURE_FIRES = {
  description: 'TODO: one sentence, what the case shows: the wrong value, where, and why the rule fires.',
  silentTwin: 'fires-ok',
};
const FIXTURE_TWIN = {
  description: 'TODO: the same repository with the one value on the safe side, which keeps the rule silent.',
  twinOf: 'fires',
};

/** Adds the rule's import and its RULES entry, keeping RULES sorted by id. */
export function registerRule(source: string, id: string): string {
  const ident = camelCase(id);
  const withImport = insertImport(source, `import ${ident} from '../../rules/${id}.js';`);
  const idOf = new Map<string, string>();
  for (const m of withImport.matchAll(/^import (\w+) from '\.\.\/\.\.\/rules\/([a-z-]+)\.js';$/gm))
    idOf.set(m[1] as string, m[2] as string);
  const { match, head, items, tail } = arrayLiteral(withImport, 'RULES', REGISTRY);
  const sorted = [...items, ident].sort((a, b) => ((idOf.get(a) ?? a) < (idOf.get(b) ?? b) ? -1 : 1));
  return withImport.slice(0, match.index) + renderArray(head, sorted, tail) + withImport.slice(match.index + match[0].length);
}

export function newRule(argv: readonly string[]): string {
  const { name: id, root } = parseScaffoldArgs(argv, RULE_USAGE);
  if (!RULE_ID.test(id)) throw new ScaffoldError(`"${id}" is not a rule id: two or more lower-case words joined by "-"\n${RULE_USAGE}`);
  if (NOT_RULES.has(id)) throw new ScaffoldError(`"${id}" is the id of findings that are not rules`);
  assertIdentifier(id);
  const ruleFile = `rules/${id}.ts`;
  assertAbsent(root, [ruleFile, `fixtures/${id}`]);
  const registry = readFileSync(join(root, REGISTRY), 'utf8');
  if (registry.includes(`/rules/${id}.js'`)) throw new ScaffoldError(`${REGISTRY} already imports ${id}`);
  const registered = registerRule(registry, id);

  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  const files: Record<string, string> = {
    [ruleFile]: ruleSource(id),
    [`fixtures/${id}/fires/fixture.json`]: json(FIXTURE_FIRES),
    [`fixtures/${id}/fires/expected.json`]: '[]\n',
    [`fixtures/${id}/fires-ok/fixture.json`]: json(FIXTURE_TWIN),
    [`fixtures/${id}/fires-ok/expected.json`]: '[]\n',
  };
  writeNewFiles(root, files);
  writeFileSync(join(root, REGISTRY), registered);
  return printDone(
    Object.keys(files),
    [`${REGISTRY} (import and RULES entry, sorted by id)`],
    [
      `Write the summary and every docs field in ${ruleFile} first (each TODO).`,
      `Make fixtures/${id}/fires/ the smallest repository that makes the rule fire, with "# wrong:" and "# fine:" comments, and ` +
        `fixtures/${id}/fires-ok/ the same files with the one value on the safe side; rename both to say what they show ` +
        '(over-wait-timeout, under-wait-timeout) and fill both fixture.json files (fixtures/README.md).',
      `Write check() against the model; the message: both values, both locations, human units, a computed safe value.`,
      `npm run test:update, then review git diff fixtures/${id}: the firing case's expected.json must hold the finding (the fixture ` +
        'test fails on the [] placeholder until then), its twin stays [].',
      'npm run docs (RULES.md), a CHANGELOG line, npm run check; one commit.',
    ],
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runScript(newRule);
