#!/usr/bin/env node
const argv = process.argv.slice(2);

// A reader that stops early (`connlint . | head`) is not connlint's failure: what is left of the report is dropped and
// the run ends with its own exit code. Any other error writing the report is said on stderr, with exit code 2.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
  process.exitCode = 2;
  process.stderr.write(`connlint: cannot write to standard output: ${error.code ?? error.message}\n`);
});
process.stderr.on('error', () => {
  // Nowhere left to say it.
});

// `--version` alone answers before anything else loads (issue 21: no slower than `node -e 0` by more than 30 %).
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  // connlint's modules are one bundled file (src/dev/bundle.ts), compiled with V8's code cache (issue 21).
  const { createRequire } = await import('node:module');
  const { fileURLToPath } = await import('node:url');
  const require = createRequire(import.meta.url);
  const { requireWithCodeCache } = require('../dist/src/bundled/code-cache.cjs');
  const { main } = requireWithCodeCache(fileURLToPath(new URL('../dist/src/bundled/connlint.cjs', import.meta.url))).exports;
  process.exitCode = await main({
    argv,
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
