import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decoupleEnvFile } from '../../src/interpreters/python/environment.js';
import { DECOUPLE_PYTHON, decoupleEnv, MISSING_DECOUPLE } from '../oracles/decouple.js';

const CASES = [
  'DATABASE_URL=mysql://db/app\nCONN_MAX_AGE=600\n',
  '# comment\n\n  SPACED  =  value with spaces  \nNOEQ\n=empty key\nEMPTY=\n',
  'Q1="double"\nQ2=\'single\'\nQ3="mismatched\'\nQ4="\nQ5=""\nQ6="a"b"\n',
  'export X=1\nA=b=c\nDUP=1\nDUP=2\n',
  'CRLF=1\r\nCR=2\rLAST=3',
  'TAB\t=\tv\t\n#X=commented\n  #Y=indented comment\nINLINE=v # not a comment\n',
  'ÜNI=é\n\u00a0NBSP=1\n',
];

test('decouple .env files: the pairs equal those python-decouple 3.6 reads', () => {
  const oracle = decoupleEnv(CASES);
  assert.ok(oracle, MISSING_DECOUPLE);
  CASES.forEach((text, i) => {
    const ours = Object.fromEntries([...decoupleEnvFile('.env', text)].map(([k, v]) => [k, v.value]));
    assert.deepEqual(ours, oracle[i], `case ${i} (${DECOUPLE_PYTHON}): ${JSON.stringify(text)}`);
  });
});

test('decouple .env files: each value keeps the line it is written on', () => {
  const read = decoupleEnvFile('app/.env', '# db\n\nCONN_MAX_AGE = 600\n');
  assert.deepEqual(read.get('CONN_MAX_AGE'), {
    value: '600',
    span: { path: 'app/.env', line: 3, column: 1, endLine: 3, endColumn: 19 },
  });
});
