import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { type Format, isNotRead } from '../../src/formats/format.js';
import { FORMATS } from '../../src/formats/registry.js';
import { REPO } from '../load-trace.js';

/*
 * Format.quickNotRead looks at the bytes before they are decoded (issue 21). It may only answer what `claim` would:
 * for every fixture and every case below, a quick NotRead is exactly claim's NotRead for the same bytes.
 */

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

const CASES: Array<[string, string]> = [
  ['src/util.ts', 'export const add = (a: number, b: number) => a + b;\n'],
  ['src/index.js', 'const next = require("./next"); module.exports = next.index;\n'],
  ['src/db.js', 'const pool = mysql.createPool({ connectionLimit: 10 });\n'],
  ['src/db.ts', 'export const db = knex ({ client: "mysql2" });\n'],
  ['src/ds.ts', 'export default new DataSource({ type: "mysql" });\n'],
  ['src/app.module.ts', 'TypeOrmModule . forRootAsync({})\n'],
  ['src/seq.js', 'const s = new Sequelize("db", "u", "p", { dialect: "mysql" });\n'],
  ['src/orm.js', 'getConnectionOptions(); createConnections();\n'],
  ['src/mention.js', '// we used to call createPool( here\n'],
  ['knexfile.js', 'module.exports = {};\n'],
  ['config/database.js', 'module.exports = ({ env }) => ({ connection: { client: "mysql" } });\n'],
  ['ormconfig.js', 'module.exports = { type: "mysql" };\n'],
  ['prisma.config.ts', 'export default {};\n'],
  ['dist/bundle.js', 'var x = 1;\n'],
  ['app/settings.py', 'DEBUG = True\n'],
  ['app/settings.py', 'DATABASES = {"default": {"ENGINE": "django.db.backends.mysql"}}\n'],
  ['app/db.py', 'from sqlalchemy import create_engine\nengine = create_engine("mysql://")\n'],
  ['app/db.py', 'e = engine_from_config(cfg)\n'],
  ['app/app.py', 'SQLALCHEMY_DATABASE_URI = "mysql://"\n'],
  ['app/management/commands/loop.py', 'class Command(BaseCommand):\n    pass\n'],
  ['venv/lib/python3.11/site-packages/x.py', 'x = 1\n'],
];

test('a quick NotRead is the NotRead claim gives for the same bytes, over every fixture and the cases', () => {
  const inputs: Array<[string, Buffer]> = CASES.map(([p, t]) => [p, Buffer.from(t)]);
  for (const file of filesUnder(join(REPO, 'fixtures'))) inputs.push([relative(REPO, file), readFileSync(file)]);
  const answered = new Map<string, number>();
  let checked = 0;
  for (const format of FORMATS) {
    if (!format.quickNotRead) continue;
    for (const [path, bytes] of inputs) {
      if (!format.matchesName(path)) continue;
      checked++;
      const quick = format.quickNotRead(path, bytes);
      if (!quick) continue;
      answered.set(format.id, (answered.get(format.id) ?? 0) + 1);
      const claim = format.claim(path, bytes.toString(format.encoding));
      assert.ok(isNotRead(claim), `${format.id} ${path}: quick says not read, claim reads it (${JSON.stringify(claim)})`);
      assert.equal(quick.notRead, claim.notRead, `${format.id} ${path}`);
    }
  }
  assert.ok(checked > 50, `only ${checked} files checked`);
  // Not vacuous: both formats with a quick look answer for some files, and leave the rest to claim.
  assert.ok((answered.get('js-config') ?? 0) >= 2, `js-config answered ${answered.get('js-config')}`);
  assert.ok((answered.get('python') ?? 0) >= 1, `python answered ${answered.get('python')}`);
});

test('the quick look leaves to claim every file that names a pool, even in a comment', () => {
  const js = FORMATS.find((f) => f.id === 'js-config');
  const py = FORMATS.find((f) => f.id === 'python');
  assert.ok(js?.quickNotRead && py?.quickNotRead);
  for (const [path, text] of CASES) {
    const format: Format = path.endsWith('.py') ? py : js;
    const claim = format.claim(path, text);
    if (!isNotRead(claim)) assert.equal(format.quickNotRead?.(path, Buffer.from(text)), undefined, path);
  }
  assert.deepEqual(js.quickNotRead('src/util.ts', Buffer.from(CASES[0]?.[1] ?? '')), js.claim('src/util.ts', CASES[0]?.[1] ?? ''));
});
