// The CLI as bin/connlint.js runs it, but from tsc's modules (dist/src) instead of the bundle: for tests that check
// which of connlint's own modules a run loads (test/engine/lazy-load.test.ts), which the bundle holds in one file.
const { main } = await import('../../dist/src/cli/main.js');
process.exitCode = await main({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
