import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { JsValue } from '../../src/interpreters/js/value.js';

/*
 * Node as the oracle of what pure-data CommonJS configuration files export (issue 18, test-only
 * differential check). The files are written to a temporary folder and Node itself requires them in a
 * child process: only in the tests, never in connlint, and only for fixtures written to be pure data.
 */

/** `module.exports` of each entry file as canonical JSON (keys sorted; what JSON.stringify keeps), by entry path. */
export function nodeExports(files: Record<string, string>, entries: string[]): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'connlint-node-oracle-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{"type": "commonjs"}');
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const script = `
const path = require('path');
${canonical.toString()}
const out = {};
for (const e of JSON.parse(process.argv[1])) out[e] = JSON.stringify(canonical(require(path.join(process.argv[2], e))));
process.stdout.write(JSON.stringify(out));`;
    const stdout = execFileSync(process.execPath, ['-e', script, JSON.stringify(entries), dir], { encoding: 'utf8', env: {} });
    return new Map(Object.entries(JSON.parse(stdout) as Record<string, string>));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A JSON value with keys sorted, the way JSON.stringify would write it (undefined members dropped, NaN as null). */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === undefined || typeof x === 'function' ? null : canonical(x)));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined && typeof x !== 'function') out[k] = canonical(x);
    }
    return out;
  }
  return v;
}

/** The plain value of a static JsValue, or undefined when any part of it is not known (then no comparison). */
export function plainOf(v: JsValue): { value: unknown } | undefined {
  switch (v.kind) {
    case 'number':
    case 'string':
    case 'boolean':
      return { value: v.value };
    case 'null':
      return { value: null };
    case 'undefined':
      return { value: undefined };
    case 'array': {
      const items: unknown[] = [];
      for (const i of v.items) {
        const p = plainOf(i);
        if (!p) return undefined;
        items.push(p.value);
      }
      return { value: items };
    }
    case 'object': {
      if (v.spreads?.length) return undefined;
      const o: Record<string, unknown> = {};
      for (const p of v.properties) {
        const x = plainOf(p.value);
        if (!x) return undefined;
        o[p.key] = x.value;
      }
      return { value: o };
    }
    default:
      return undefined;
  }
}

/** Canonical JSON of a static value, comparable with `nodeExports`; undefined when not fully known. */
export function staticJson(v: JsValue | undefined): string | undefined {
  if (!v) return undefined;
  const p = plainOf(v);
  return p ? JSON.stringify(canonical(p.value)) : undefined;
}
