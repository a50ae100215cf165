import type { Entry } from '../model/entry.js';
import type { Problem } from '../model/problem.js';
import type { ConfigFile } from '../interpreters/spring/application.js';
import type { Claim, ClaimedFile, Contribution, Format, FormatContext, NotRead } from './format.js';
import { propertyEntry } from './java-properties.js';

/*
 * Spring Boot's `application.properties`, `application.yml`/`.yaml` and profile files
 * `application-{profile}.*` (spring-boot.md, "Syntax and parsing facts"). A file is read where Boot looks
 * for it: the classpath root and `config/` (`src/main/resources`, `src/main/resources/config`), and the
 * directory the application runs from (`./`, `./config/`, `./config/*\/`). Files under
 * `src/test/resources` are the test configuration: read only when the tests run, so their owner is
 * uncertain and every problem in them is at most a note. Build output (`target/classes`) is a copy.
 *
 * Boot reads `.properties` as ISO-8859-1 (OriginTrackedPropertiesLoader, as java.util.Properties) and YAML
 * as UTF-8 (SnakeYAML's UnicodeReader): the format decodes as latin1, which keeps every byte, and YAML
 * files are decoded again as UTF-8 before parsing.
 */

const NAME = /^application(?:-(.+))?\.(properties|ya?ml)$/;

type Parser = typeof import('../parsers/java-properties.js');
type Yaml = typeof import('../parsers/yaml.js');
type Spring = typeof import('../interpreters/spring/application.js');

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Where a file sits for Spring Boot: its application folder, location group and rank, and how sure that is. */
export interface Placement {
  app: string;
  tests: boolean;
  group: 0 | 1;
  rank: number;
  owner: 'certain' | 'uncertain';
  reason: string;
}

/** Folders that hold a build's copy of the resources, never the source Boot is configured from. */
const BUILD_OUTPUT = /(?:^|\/)(?:target\/(?:test-)?classes|build\/resources\/(?:main|test)|bin\/(?:main|test)|out\/production)(?:\/|$)/;

export function placeSpringFile(path: string): Placement | NotRead {
  const dirs = path.split('/').slice(0, -1);
  const file = baseName(path);
  const dirText = dirs.join('/');
  if (BUILD_OUTPUT.test(dirText)) return { notRead: 'build output (a copy of the application resources)' };
  for (let i = 0; i + 2 < dirs.length; i++) {
    if (dirs[i] !== 'src' || dirs[i + 2] !== 'resources' || (dirs[i + 1] !== 'main' && dirs[i + 1] !== 'test')) continue;
    const app = dirs.slice(0, i).join('/') || '.';
    const tests = dirs[i + 1] === 'test';
    const inside = dirs.slice(i + 3);
    const where = tests ? 'src/test/resources' : 'src/main/resources';
    if (inside.length > 1 || (inside.length === 1 && inside[0] !== 'config')) {
      return {
        app: dirText,
        tests,
        group: 0,
        rank: 0,
        owner: 'uncertain',
        reason: `${file} in ${inside.join('/')}/ of ${where}, which is not a location Spring Boot reads by default (the classpath root and config/): read only if spring.config.location or spring.config.import names it`,
      };
    }
    const rank = inside.length === 1 ? 1 : 0;
    const location = rank === 1 ? `${where}/config` : where;
    if (tests) {
      return {
        app,
        tests,
        group: 0,
        rank,
        owner: 'uncertain',
        reason: `Spring Boot test configuration (${location}): read when the tests run, not by the deployed application`,
      };
    }
    return {
      app,
      tests,
      group: 0,
      rank,
      owner: 'certain',
      reason: `Spring Boot reads ${file} from the classpath ${rank === 1 ? 'config/ folder' : 'root'} (${location})`,
    };
  }
  const last = dirs[dirs.length - 1];
  const parent = dirs[dirs.length - 2];
  if (last === 'config') {
    const app = dirs.slice(0, -1).join('/') || '.';
    return {
      app,
      tests: false,
      group: 1,
      rank: 1,
      owner: 'certain',
      reason: `Spring Boot reads ${file} from ./config/ of an application started in ${app}`,
    };
  }
  if (parent === 'config') {
    const app = dirs.slice(0, -2).join('/') || '.';
    return {
      app,
      tests: false,
      group: 1,
      rank: 2,
      owner: 'certain',
      reason: `Spring Boot reads ${file} from ./config/*/ of an application started in ${app}`,
    };
  }
  const app = dirText || '.';
  return {
    app,
    tests: false,
    group: 1,
    rank: 0,
    owner: 'certain',
    reason: `Spring Boot reads ${file} from the current directory of an application started in ${app}`,
  };
}

/**
 * The lines that start a new document in a `.properties` file (spring-boot.md, Multi-document): `#---`
 * or `!---` at column 0, nothing after but blanks, the line before not a comment with the same prefix,
 * and no comment before the new document's first key (Boot then joins it back to the one before:
 * OriginTrackedPropertiesLoader, "The lines immediately before and after the separator must not be comments").
 * A line inside a continued value is not one. Returns 1-based line numbers.
 */
export function propertiesSeparators(text: string): number[] {
  const lines = text.split(/\r\n|\r|\n/);
  const separators: number[] = [];
  let pending: number | undefined;
  let previousComment: string | undefined;
  let continued = false;
  lines.forEach((line, i) => {
    const inValue = continued;
    const trimmed = line.replace(/^[ \t\f]+/, '');
    const isComment = !inValue && (trimmed.startsWith('#') || trimmed.startsWith('!'));
    if (!inValue && /^[#!]---[ \t\f]*$/.test(line) && previousComment !== line[0]) {
      pending = i + 1;
      previousComment = undefined;
      continued = false;
      return;
    }
    if (isComment) {
      // A comment before the first key of a new document cancels the separator.
      pending = undefined;
      previousComment = trimmed[0];
    } else {
      previousComment = undefined;
      if (!inValue && trimmed !== '' && pending !== undefined) {
        separators.push(pending);
        pending = undefined;
      }
    }
    const slashes = /\\+$/.exec(line)?.[0].length ?? 0;
    continued = !isComment && trimmed !== '' ? slashes % 2 === 1 : inValue && slashes % 2 === 1;
  });
  return separators;
}

const SECRET_LINE = /(pass(word|wd|phrase)?|secret|token|credential|api[-_.]?key|private[-_.]?key)["']?\s*[:=]|\/\/[^/\s:@]*:[^@\s]*@/i;

/**
 * The YAML library quotes the source text it could not read (`unexpected scalar token ... "s3cret"`); on a
 * line that sets a secret that quote is the secret, which no output may show, so it is masked.
 */
function withoutQuotedSecrets(p: Problem, text: string): Problem {
  const lines = text.split(/\r\n|\r|\n/).slice(p.span.line - 1, p.span.endLine);
  if (!lines.some((l) => SECRET_LINE.test(l))) return p;
  return { ...p, message: p.message.replace(/"(?:[^"\\]|\\.)*"/g, '"****"') };
}

function readFile(
  f: ClaimedFile,
  place: Placement,
  ctx: FormatContext,
  parser: Parser,
  yaml: Yaml,
): { file: ConfigFile; problems: Problem[] } {
  const base = baseName(f.path);
  const m = NAME.exec(base);
  const profile = m?.[1];
  const isYaml = m?.[2] !== 'properties';
  let entries: Entry[];
  let problems: Problem[];
  if (isYaml) {
    const text = Buffer.from(f.text, 'latin1').toString('utf8');
    const parsed = ctx.cache.get('spring-boot-yaml', f.path, text, () => {
      const r = yaml.parseYaml(f.path, text);
      return { entries: yaml.yamlEntries(r.file), problems: r.problems.map((p) => withoutQuotedSecrets(p, text)) };
    });
    entries = parsed.entries;
    problems = parsed.problems;
  } else {
    const parsed = ctx.cache.get('spring-boot-properties', f.path, f.text, () => {
      const r = parser.parseJavaProperties(f.path, f.text);
      const separators = propertiesSeparators(f.text);
      const list = r.doc.entries.map((e) => {
        const entry = propertyEntry(e);
        const document = separators.filter((line) => line < entry.span.line).length;
        return { ...entry, document };
      });
      // Boot's loader fails the same way, with IllegalStateException("Malformed \uxxxx encoding.").
      const problems = r.problems.map((p) =>
        p.message.startsWith('Malformed')
          ? {
              ...p,
              message:
                'Malformed \\uxxxx encoding: Spring Boot cannot load this file (IllegalStateException), so the application does not start',
            }
          : p,
      );
      return { entries: list, problems };
    });
    entries = parsed.entries;
    problems = parsed.problems;
  }
  const withProfile = profile ? entries.map((e) => ({ ...e, profile })) : entries;
  return {
    file: {
      path: f.path,
      app: place.app,
      tests: place.tests,
      group: place.group,
      rank: place.rank,
      ...(profile ? { profile } : {}),
      yaml: isYaml,
      entries: withProfile,
    },
    problems,
  };
}

function contribute(files: readonly ClaimedFile[], ctx: FormatContext, parser: Parser, yaml: Yaml, spring: Spring): Contribution {
  const out: Required<Pick<Contribution, 'pools' | 'problems' | 'files'>> = { pools: [], problems: [], files: [] };
  const configFiles: ConfigFile[] = [];
  for (const f of files) {
    const place = placeSpringFile(f.path);
    if ('notRead' in place) continue;
    const read = readFile(f, place, ctx, parser, yaml);
    configFiles.push(read.file);
    out.problems.push(...read.problems);
  }
  const declared = ctx.config.libraries.hikaricp;
  const result = spring.springPools({
    files: configFiles,
    environments: ctx.declarations.environments,
    ...(declared ? { hikariVersion: { version: declared.value, span: declared.span } } : {}),
  });
  out.pools.push(...result.pools);
  out.problems.push(...result.problems);
  return out;
}

export const springBoot: Format = {
  id: 'spring-boot',
  name: 'Spring Boot configuration',
  matchesName: (path) => NAME.test(baseName(path)),
  // ISO-8859-1 keeps every byte; YAML files are decoded again as UTF-8 (see above).
  encoding: 'latin1',
  claim(path, _text): Claim | NotRead {
    const place = placeSpringFile(path);
    if ('notRead' in place) return place;
    return { owner: place.owner, reason: place.reason };
  },
  async load() {
    const [parser, yaml, spring] = await Promise.all([
      import('../parsers/java-properties.js'),
      import('../parsers/yaml.js'),
      import('../interpreters/spring/application.js'),
    ]);
    return { contribute: (files, ctx) => contribute(files, ctx, parser, yaml, spring) };
  },
};
