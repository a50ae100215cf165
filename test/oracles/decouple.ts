import { execFileSync } from 'node:child_process';

/**
 * python-decouple 3.6 from Debian's package (`python3-decouple`, for /usr/bin/python3) as the oracle of
 * how a `.env` file is read: for each text, the pairs its RepositoryEnv keeps. Test-only: connlint never
 * runs Python.
 */
export const DECOUPLE_PYTHON = '/usr/bin/python3';
export const MISSING_DECOUPLE = `python-decouple not found for ${DECOUPLE_PYTHON}: it is needed by this test only (apt-get install python3-decouple)`;

const SCRIPT = `
import json, os, sys, tempfile
from decouple import RepositoryEnv
out = []
for text in json.load(sys.stdin):
    with tempfile.NamedTemporaryFile('w', suffix='.env', delete=False, encoding='utf-8', newline='') as f:
        f.write(text)
    try:
        out.append(RepositoryEnv(f.name).data)
    finally:
        os.unlink(f.name)
print(json.dumps(out))
`;

/** What decouple reads from each text, or undefined when the oracle is not installed. */
export function decoupleEnv(texts: string[]): Array<Record<string, string>> | undefined {
  try {
    const out = execFileSync(DECOUPLE_PYTHON, ['-c', SCRIPT], { input: JSON.stringify(texts), encoding: 'utf8' });
    return JSON.parse(out) as Array<Record<string, string>>;
  } catch {
    return undefined;
  }
}
