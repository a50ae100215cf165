import type { Pool } from '../model/model.js';
import type { Problem } from '../model/problem.js';
import type { Span } from '../model/span.js';
import type { PyValue } from '../interpreters/python/value.js';
import type { IniDoc, IniOption, IniSection } from '../parsers/ini.js';
import type { Claim, ClaimedFile, Contribution, Format, FormatContext, NotRead } from './format.js';

/*
 * `sqlalchemy.*` keys in .ini files, read by `engine_from_config(settings, prefix="sqlalchemy.")`
 * (sqlalchemy.md, ".ini files" and engine_from_config): Alembic's `alembic.ini` (its `[alembic]`
 * section, every value a string, and the generated env.py passes `poolclass=pool.NullPool`) and
 * Pyramid/PasteDeploy's `development.ini`/`production.ini` (`[app:main]`). Values stay strings: the
 * int keys are converted, `pool_pre_ping = false` turns pre-ping on.
 */

type Parser = typeof import('../parsers/ini.js');
type Interpreter = typeof import('../interpreters/sqlalchemy/pool.js');

const PREFIX = 'sqlalchemy.';
/** A `sqlalchemy.` key at the start of a line (configparser lower-cases keys, so any case counts). */
const SNIFF = /^[ \t]*sqlalchemy\.[^\s=:]+[ \t]*[=:]/im;
/** A pool key without the prefix: engine_from_config never sees it (sqlalchemy.md, ckan#5932). */
const STRAY = /(?:^|[._-])(pool_recycle|pool_pre_ping|pool_size|max_overflow|pool_timeout|pool_use_lifo)$/;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}

export function claimSqlalchemyIni(path: string, text: string): Claim | NotRead {
  if (!SNIFF.test(text)) return { notRead: 'no sqlalchemy.* keys' };
  if (baseName(path) === 'alembic.ini')
    return { owner: 'certain', reason: 'Alembic reads alembic.ini and passes its sqlalchemy.* keys to engine_from_config' };
  if (/^[ \t]*\[alembic\]/m.test(text)) return { owner: 'certain', reason: 'an [alembic] section: an Alembic configuration (alembic -c)' };
  if (/^[ \t]*\[app:/m.test(text))
    return {
      owner: 'certain',
      reason: "a PasteDeploy [app:...] section with sqlalchemy.* keys (Pyramid's engine_from_config(settings, 'sqlalchemy.'))",
    };
  return {
    owner: 'uncertain',
    reason: 'possibly SQLAlchemy settings: sqlalchemy.* keys in an .ini file that neither Alembic nor PasteDeploy names',
  };
}

/**
 * The sections a program hands to engine_from_config, and whether Alembic reads it: `[alembic]`, or in
 * alembic.ini any section but a PasteDeploy `[app:...]` one (`alembic -n` picks another), defaults
 * included; a PasteDeploy app section, or any other with its own `sqlalchemy.*` keys, without them.
 */
function engineSections(path: string, doc: IniDoc): Array<{ section: IniSection; alembic: boolean }> {
  const own = (s: IniSection) => [...s.options.keys()].some((k) => k.startsWith(PREFIX));
  const inDefaults = [...doc.defaults.keys()].some((k) => k.startsWith(PREFIX));
  const alembicFile = baseName(path) === 'alembic.ini';
  return doc.sections
    .map((section) => ({ section, alembic: section.name === 'alembic' || (alembicFile && !section.name.startsWith('app:')) }))
    .filter(({ section, alembic }) => own(section) || (alembic && inDefaults));
}

/** ` (egg:ckan)`: what a PasteDeploy section's `use` names, for messages. */
function useOf(section: IniSection): string {
  const text = section.options.get('use')?.value.trim();
  return text ? ` (${text})` : '';
}

function contribute(files: readonly ClaimedFile[], ctx: FormatContext, parser: Parser, interpreter: Interpreter): Contribution {
  const problems: Problem[] = [];
  const pools: Pool[] = [];
  const listed: NonNullable<Contribution['files']> = [];
  for (const f of files) {
    const parsed = ctx.cache.get('sqlalchemy-ini', f.path, f.text, () => parser.parseIni(f.path, f.text));
    problems.push(...parsed.problems);
    const doc = parsed.doc;
    // configparser raised: the program that reads the file stops, so no engine is built from it.
    if (doc.fatal) continue;
    const sections = engineSections(f.path, doc);
    if (sections.length === 0) {
      listed.push({ path: f.path, read: false, reason: 'no section with sqlalchemy.* keys' });
      continue;
    }
    const noPool: string[] = [];
    const before = pools.length;
    for (const { section, alembic } of sections) {
      // Alembic reads its section with ConfigParser.items() (defaults included); PasteDeploy passes the
      // section's own options as the app's settings. Both define `here` as the file's directory.
      const items = parser.sectionItems(doc, section, { withDefaults: alembic, vars: { here: dirName(f.path), __file__: f.path } });
      const broken = items.filter((i) => i.error);
      for (const b of broken) {
        problems.push({
          severity: 'error',
          span: b.option.valueSpan,
          message: `${b.option.rawKey} cannot be read: configparser raises ${b.error} when ${alembic ? 'Alembic' : 'the application'} reads [${section.name}]`,
        });
      }
      if (broken.length > 0) continue;
      const byName = new Map<string, IniOption>();
      const values = new Map<string, PyValue>();
      for (const i of items) {
        const o = i.option;
        if (!o.key.startsWith(PREFIX)) {
          if (STRAY.test(o.key)) {
            problems.push({
              severity: 'warning',
              ruleId: 'setting-ignored-by-library',
              span: o.keySpan,
              message: `${o.rawKey} is ignored: engine_from_config reads only keys that start with ${PREFIX} (sqlalchemy.md, engine_from_config). Write it as ${PREFIX}${(STRAY.exec(o.key) as RegExpExecArray)[1]}`,
            });
          }
          continue;
        }
        const name = o.key.slice(PREFIX.length);
        byName.set(name, o);
        values.set(name, { kind: 'str', value: i.value ?? '', span: o.valueSpan });
      }
      const url = values.get('url');
      values.delete('url');
      const entry = (name: string): Span | undefined => byName.get(name)?.span;
      const built = interpreter.sqlalchemyPool({
        path: f.path,
        call: {
          ...(url ? { url } : {}),
          options: values,
          keyOf: (n) => byName.get(n)?.rawKey ?? `${PREFIX}${n}`,
          urlKey: byName.get('url')?.rawKey ?? `${PREFIX}url`,
          origin: section.span,
          entrySpan: entry,
          // A PasteDeploy application may add defaults of its own before engine_from_config (CKAN sets
          // sqlalchemy.pool_pre_ping = True): a key not written here is not known to take SQLAlchemy's default.
          ...(alembic
            ? {}
            : {
                open: {
                  reason: `the application that reads [${section.name}]${useOf(section)} may set sqlalchemy.* keys of its own before engine_from_config (CKAN sets sqlalchemy.pool_pre_ping)`,
                  span: section.span,
                },
              }),
        },
        source: 'engine_from_config',
        label: section.name,
        name: `${PREFIX}* in ${f.path} [${section.name}]`,
        ...(alembic
          ? {
              poolclass: {
                name: 'NullPool',
                library: 'Alembic',
                why: "Alembic's generated env.py (poolclass=pool.NullPool)",
                certain: false,
              },
            }
          : {}),
        sourceText: new Map([[f.path, f.text]]),
      });
      problems.push(...built.problems);
      if (built.pool) pools.push(built.pool);
      else if (built.noPool) noPool.push(sections.length > 1 ? `[${section.name}]: ${built.noPool}` : built.noPool);
    }
    // A file that gives no pool says why; one that gives some keeps the reason it was read for.
    if (pools.length === before && noPool.length > 0) listed.push({ path: f.path, read: true, reason: noPool.join('; ') });
  }
  return { pools, problems, files: listed };
}

export const sqlalchemyIni: Format = {
  id: 'sqlalchemy-ini',
  name: 'SQLAlchemy settings in an .ini file (Alembic, Pyramid/PasteDeploy)',
  matchesName(path) {
    const base = baseName(path);
    // my.ini is MySQL's (mysql-option-file).
    return base.endsWith('.ini') && base.toLowerCase() !== 'my.ini';
  },
  encoding: 'utf8',
  claim: claimSqlalchemyIni,
  async load() {
    const [parser, interpreter] = await Promise.all([import('../parsers/ini.js'), import('../interpreters/sqlalchemy/pool.js')]);
    return { contribute: (files, ctx) => contribute(files, ctx, parser, interpreter) };
  },
};
