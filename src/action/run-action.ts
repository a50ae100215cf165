import { runAction } from './action.js';

// The entry action.yml runs: `node dist/src/action/run-action.js`, with the inputs as INPUT_* variables.
process.exitCode = await runAction({ env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
