import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  arrayLiteral,
  assertAbsent,
  assertIdentifier,
  camelCase,
  insertImport,
  parseScaffoldArgs,
  printDone,
  renderArray,
  runScript,
  ScaffoldError,
  writeNewFiles,
} from './new-rule.js';

/*
 * `npm run new-format -- <name> [--root DIR]`: writes a format module (src/formats/<name>.ts), its parser
 * (src/parsers/<name>.ts), a test that fails until both are written (test/formats/<name>.test.ts), and
 * its line in src/formats/registry.ts (README, "Adding a format"). The new format claims no file until
 * its matchesName is written, so scaffolding changes no output.
 */

const FORMAT_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const REGISTRY = 'src/formats/registry.ts';
const USAGE = 'usage: npm run new-format -- <name> [--root DIR]   (kebab-case, the program or syntax: spring-boot, pgbouncer-ini)';

function pascalCase(kebab: string): string {
  const camel = camelCase(kebab);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

function formatSource(name: string): string {
  const ident = camelCase(name);
  const parse = `parse${pascalCase(name)}`;
  return `import type { Entry } from '../model/entry.js';
import type { ClaimedFile, Contribution, Format, FormatContext } from './format.js';

/*
 * TODO: which program reads these files and how it finds them (the knowledge-base file and section), and what
 * they add to the model. Scaffolded by \`npm run new-format\`; src/formats/sysctl.ts is a short complete example.
 */

type Parser = typeof import('../parsers/${name}.js');

function contribute(files: readonly ClaimedFile[], ctx: FormatContext, parser: Parser): Contribution {
  const problems: NonNullable<Contribution['problems']> = [];
  const entries = new Map<string, Entry[]>();
  for (const f of files) {
    const result = ctx.cache.get('${name}', f.path, f.text, () => parser.${parse}(f.path, f.text));
    problems.push(...result.problems);
    entries.set(f.path, result.doc.entries);
  }
  // TODO: hand the entries to the interpreter of the library or server they configure (src/interpreters/<library>/,
  // the existing one when that library is already read from another syntax), imported in load() like the parser,
  // and return what it builds: { servers, pools, hosts, network, problems }.
  return { problems };
}

export const ${ident}: Format = {
  id: '${name}',
  name: 'TODO: program and syntax in words',
  // TODO: could a file at this path be one of ours? Called for every path of the walk: no I/O. Until it is written,
  // no file is offered to this format.
  matchesName: (_path) => false,
  // TODO: how the program decodes the bytes (Java's Properties.load(InputStream) reads ISO-8859-1: 'latin1').
  encoding: 'utf8',
  // TODO: does the real program read this file? From the path and a cheap look at the text, never throws:
  // { owner: 'certain' | 'uncertain', reason } when it does (a problem in an uncertain file is at most a note),
  // { notRead: reason } when it does not (\`connlint inspect\` lists the file with that reason).
  claim: (_path, _text) => ({ notRead: 'TODO: why the program does not read this file' }),
  // The parser (and the interpreter) are imported only when a file is claimed.
  async load() {
    const parser = await import('../parsers/${name}.js');
    return { contribute: (files, ctx) => contribute(files, ctx, parser) };
  },
};
`;
}

function parserSource(name: string): string {
  const pascal = pascalCase(name);
  return `import type { Entry } from '../model/entry.js';
import type { ParseProblem, ParseResult } from './parse-result.js';

/*
 * TODO: the grammar as the real program reads it (its source or manual, and the knowledge-base file). Where Debian
 * packages the program, add a differential test beside the unit tests (test/parsers/*-differential.test.ts).
 */

export interface ${pascal}Doc {
  /** Every key/value the program reads, in file order, as neutral entries (src/model/entry.ts). */
  entries: Entry[];
}

/** Parses one file. Never throws: what it could read, with spans, plus problems ('error' only for what the program rejects). */
export function parse${pascal}(_path: string, _text: string): ParseResult<${pascal}Doc> {
  const entries: Entry[] = [];
  const problems: ParseProblem[] = [];
  // TODO: read the text into entries with key, value and spans (lineSpan in src/model/span.ts), as the program does.
  return { doc: { entries }, problems };
}
`;
}

function testSource(name: string): string {
  const ident = camelCase(name);
  const pascal = pascalCase(name);
  return `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ${ident} } from '../../src/formats/${name}.js';
import type { Span } from '../../src/model/span.js';
import { parse${pascal} } from '../../src/parsers/${name}.js';

// Scaffolded by \`npm run new-format\`: these tests fail until the parser and the format are written. Replace each
// TODO input with the smallest real example, and assert what the real program reads from it.

const P = 'TODO/a/file/the/program/reads';
const span = (line: number, column: number, endColumn: number): Span => ({ path: P, line, column, endLine: line, endColumn });

test('${name}: one entry with its key, value and spans', () => {
  // TODO: one setting in this syntax; \`key = value\` stands in for it.
  const { doc, problems } = parse${pascal}(P, 'key = value\\n');
  assert.deepEqual(problems, []);
  assert.deepEqual(doc.entries, [
    { key: 'key', text: 'value', raw: 'value', keySpan: span(1, 1, 4), valueSpan: span(1, 7, 12), span: span(1, 1, 12) },
  ]);
});

test('${name}: claims the files its program reads, and says why it leaves the others', () => {
  assert.equal(${ident}.matchesName(P), true);
  assert.deepEqual(${ident}.claim(P, 'key = value\\n'), { owner: 'certain', reason: 'TODO: the reason claim gives' });
  assert.deepEqual(${ident}.claim('TODO/a/file/with/the/same/name/it/does/not/read', ''), { notRead: 'TODO: the reason' });
});
`;
}

/** Adds the format's import and appends it to FORMATS: last, so it never takes a file an earlier format claims. */
export function registerFormat(source: string, name: string): string {
  const ident = camelCase(name);
  const withImport = insertImport(source, `import { ${ident} } from './${name}.js';`);
  const { match, head, items, tail } = arrayLiteral(withImport, 'FORMATS', REGISTRY);
  return withImport.slice(0, match.index) + renderArray(head, [...items, ident], tail) + withImport.slice(match.index + match[0].length);
}

export function newFormat(argv: readonly string[]): string {
  const { name, root } = parseScaffoldArgs(argv, USAGE);
  if (!FORMAT_NAME.test(name)) throw new ScaffoldError(`"${name}" is not a format name: lower-case words joined by "-"\n${USAGE}`);
  assertIdentifier(name);
  const files = {
    [`src/formats/${name}.ts`]: formatSource(name),
    [`src/parsers/${name}.ts`]: parserSource(name),
    [`test/formats/${name}.test.ts`]: testSource(name),
  };
  assertAbsent(root, Object.keys(files));
  const registry = readFileSync(join(root, REGISTRY), 'utf8');
  if (registry.includes(`'./${name}.js'`)) throw new ScaffoldError(`${REGISTRY} already imports ${name}`);
  const formatsDir = join(root, 'src/formats');
  for (const f of readdirSync(formatsDir)) {
    if (f.endsWith('.ts') && readFileSync(join(formatsDir, f), 'utf8').includes(`id: '${name}'`))
      throw new ScaffoldError(`src/formats/${f} already has the id ${name}`);
  }
  const registered = registerFormat(registry, name);

  writeNewFiles(root, files);
  writeFileSync(join(root, REGISTRY), registered);
  return printDone(
    Object.keys(files),
    [`${REGISTRY} (import and FORMATS entry)`],
    [
      `src/parsers/${name}.ts: the real program's grammar, spans on every entry, problems instead of throws; ` +
        `fill test/formats/${name}.test.ts (it fails until then).`,
      `src/formats/${name}.ts: matchesName, claim (does the real program read this file? owner certain or uncertain, ` +
        'else a notRead reason) and contribute (entries -> an interpreter in src/interpreters/<library>/).',
      'Fixtures are per rule, not per format: for each rule a file of this format can make fire, add ' +
        'fixtures/<rule>/<case>/ and its near-miss twin fixtures/<rule>/<case>-ok/ (fixtures/README.md).',
      `A real-world tree under test/real-world/<case>/ with its expect.json, each file's source in test/real-world/SOURCES.md.`,
      'A row in the README\'s "What it reads", a CHANGELOG line, npm run check (the no-network CLI test runs over every ' +
        'fixture by itself).',
    ],
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runScript(newFormat);
