import { problemRule } from '../src/engine/problem-rule.js';

// Stub: the readers that report under this id and the docs arrive with issue 20's helpers.
export default problemRule({
  id: 'startup-failure',
  summary: 'A value stops the program at start-up',
  severity: 'error',
  tags: ['config'],
  status: { kind: 'stable', since: '0.3.0' },
  docs: {
    whatItDoes: 'TODO',
    whyIsThisBad: 'TODO',
    exampleNote: 'TODO: covered by a test to be written',
    references: [],
  },
});
