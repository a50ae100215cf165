// Preload for test/engine/lazy-load.test.ts: records every module the program loads into the file named by
// CONNLINT_TRACE, so a test can check which modules a run really loaded: ES modules through a resolve hook,
// CommonJS ones (a `require` from createRequire, and what they require in turn) through Module._load.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';

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

const load = Module._load;
Module._load = function traced(request, parent, isMain) {
  if (process.env.CONNLINT_TRACE && !request.startsWith('node:')) {
    try {
      const file = Module._resolveFilename(request, parent, isMain);
      if (file.startsWith('/')) appendFileSync(process.env.CONNLINT_TRACE, `${pathToFileURL(file).href}\n`);
    } catch {
      // An unresolvable request fails in the real load below, with its own error.
    }
  }
  return load.apply(this, arguments);
};
