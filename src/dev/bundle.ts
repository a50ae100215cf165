import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/*
 * `npm run build`'s last step (issue 21): connlint's own modules, as tsc wrote them to dist/src, bundled into one
 * CommonJS file, dist/src/bundled/connlint.cjs, which bin/connlint.js loads through V8's code cache
 * (src/engine/code-cache.ts, bundled alone beside it as code-cache.cjs). About 200 ES modules cost a run ≈ 100 ms to
 * resolve, compile and link, and their functions were compiled again on every run; one cached file costs ≈ 20 ms.
 * Packages stay outside the bundle (`packages: 'external'`), so ts-morph's compiler, the Python parser, yaml and the
 * language server's protocol still load only when a run needs them; the format modules inside it are still
 * initialised only when their files are claimed (esbuild keeps `import()` lazy).
 *
 * The bundle sits two folders below the package root, as every module that finds a file relative to itself does
 * (`new URL('../../../schema/…', import.meta.url)`), so those paths hold in both forms.
 */

const DIST_SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(DIST_SRC, 'bundled');

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: { connlint: join(DIST_SRC, 'cli/main.js'), 'code-cache': join(DIST_SRC, 'engine/code-cache.js') },
  outdir: OUT,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // In CommonJS `import.meta` is empty: each module's own URL becomes the bundle's, at the same depth.
  define: { 'import.meta.url': '__connlintBundleUrl' },
  banner: { js: 'const __connlintBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
});
