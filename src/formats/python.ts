import { MANAGEMENT_COMMAND } from '../interpreters/django/command-path.js';
import type { Claim, ClaimedFile, Contribution, Format, FormatContext, NotRead } from './format.js';
import { byteWords, holdsAny } from './byte-sniff.js';

/*
 * Python settings (issue 17): SQLAlchemy engines (`create_engine`, `engine_from_config` ...), Django
 * `DATABASES` and Flask-SQLAlchemy config, read with a real Python parser (@lezer/python) and a static
 * evaluator; no Python runs. A `.py` file is claimed when its text names one of them; the modules it
 * imports from the tree are read too (through the engine's view), so a split settings package is
 * evaluated as Python would import it. Installed packages (site-packages) are never the project's settings.
 */

type Closure = typeof import('../interpreters/python/module-closure.js');
type Settings = typeof import('../interpreters/python/settings.js');
type Environment = typeof import('../interpreters/python/environment.js');

const SNIFF =
  /\b(?:create_(?:async_)?engine|(?:async_)?engine_from_config|DATABASES|SQLALCHEMY_(?:DATABASE_URI|BINDS|ENGINE_OPTIONS|POOL_\w+)|flask_sqlalchemy|dj_database_url)\b/;
/** Text that ties the file to the library whose names it uses. */
const LIBRARY =
  /\b(?:import|from)[ \t]+(?:sqlalchemy|sqlmodel|flask_sqlalchemy|django|dj_database_url|environ|decouple)\b|django\.db\.backends|\bSQLALCHEMY_DATABASE_URI\b|\bfrom[ \t]+\.+[\w.]*[ \t]+import[ \t]+\*/;
const VENDORED = /(?:^|\/)(?:site-packages|dist-packages|\.tox|\.nox|\.eggs|__pycache__)(?:\/|$)/;

const NO_SETTINGS: NotRead = { notRead: 'no SQLAlchemy engine, Django DATABASES or Flask-SQLAlchemy setting' };
/** A text SNIFF matches holds one of these words (`engine` is in each engine function's name). */
const SNIFF_WORDS = byteWords(['engine', 'DATABASES', 'SQLALCHEMY_', 'flask_sqlalchemy', 'dj_database_url']);

/** NO_SETTINGS without decoding, for a file only SNIFF could claim whose bytes hold none of its words. */
export function quickPythonNotRead(path: string, bytes: Buffer): NotRead | undefined {
  if (VENDORED.test(path) || MANAGEMENT_COMMAND.test(path)) return undefined;
  return holdsAny(bytes, SNIFF_WORDS) ? undefined : NO_SETTINGS;
}

export function claimPython(path: string, text: string): Claim | NotRead {
  if (VENDORED.test(path)) return { notRead: 'an installed package or a tool cache, not the project’s settings' };
  if (MANAGEMENT_COMMAND.test(path) && /\bBaseCommand\b/.test(text))
    return { owner: 'certain', reason: 'a Django management command (BaseCommand): read for loops that hold a connection' };
  const sniff = SNIFF.exec(text);
  if (!sniff) return NO_SETTINGS;
  if (LIBRARY.test(text)) return { owner: 'certain', reason: `Python settings: ${sniff[0]}` };
  return {
    owner: 'uncertain',
    reason: `possibly Python database settings: it names ${sniff[0]} but imports neither SQLAlchemy nor Django`,
  };
}

function contribute(
  files: readonly ClaimedFile[],
  ctx: FormatContext,
  closure: Closure,
  settings: Settings,
  environment: Environment,
): Contribution {
  const claimed = files.map((f) => ({ path: f.path, text: f.text }));
  const key = claimed.map((f) => f.path).join('\0');
  const { tree, texts, added, starImporters } = ctx.cache.get('python', key, claimed.map((f) => f.text).join('\0'), () =>
    closure.evaluateWithImports(claimed, {
      isFile: (p) => ctx.view.isFile(p),
      readText: (p) => ctx.view.readText(p),
      listDir: (p) => ctx.view.listDir(p),
      isProjectFile: (p) => !VENDORED.test(p),
      followsImports: (p) => !MANAGEMENT_COMMAND.test(p),
    }),
  );
  const libraries = ctx.config.libraries;
  const version = (name: string) => {
    const d = libraries[name];
    return d ? { version: d.value, span: d.span } : undefined;
  };
  const django = version('django');
  const flaskSqlalchemy = version('flask-sqlalchemy');
  const result = settings.pythonSettingsPools({
    tree,
    claimed: new Set([...claimed.map((f) => f.path), ...starImporters]),
    texts,
    versions: { ...(django ? { django } : {}), ...(flaskSqlalchemy ? { flaskSqlalchemy } : {}) },
    environment: environment.environmentProvider({
      compose: ctx.declarations.environments,
      isFile: (p) => ctx.view.isFile(p),
      readText: (p) => ctx.view.readText(p),
    }),
  });
  const listed: NonNullable<Contribution['files']> = [];
  for (const [path, by] of added)
    listed.push({ path, read: true, owner: 'certain', reason: starImporters.has(path) ? `star-imports ${by}` : `imported by ${by}` });
  const pooled = new Set(result.pools.map((p) => p.origin.path));
  for (const [path, reasons] of result.noPool) {
    if (!pooled.has(path)) listed.push({ path, read: true, reason: reasons.join('; ') });
  }
  // Syntax errors: one per file; those of imported files count too (the import fails).
  return { pools: result.pools, holders: result.holders, problems: [...tree.problems, ...result.problems], files: listed };
}

export const python: Format = {
  id: 'python',
  name: 'Python settings (SQLAlchemy, Flask-SQLAlchemy, Django)',
  matchesName: (path) => path.endsWith('.py'),
  encoding: 'utf8',
  claim: claimPython,
  quickNotRead: quickPythonNotRead,
  async load() {
    const [closure, settings, environment] = await Promise.all([
      import('../interpreters/python/module-closure.js'),
      import('../interpreters/python/settings.js'),
      import('../interpreters/python/environment.js'),
    ]);
    return { contribute: (files, ctx) => contribute(files, ctx, closure, settings, environment) };
  },
};
