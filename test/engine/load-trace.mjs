// Preload for test/engine/lazy-load.test.ts: records every module URL the program resolves into the
// file named by CONNLINT_TRACE, so a test can check which modules a run really loaded.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.CONNLINT_TRACE) appendFileSync(process.env.CONNLINT_TRACE, result.url + '\\n');
  return result;
}
`)}`,
);
