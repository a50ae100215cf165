import { problemRule } from '../src/engine/problem-rule.js';

// Stub: the readers that report under this id and the docs arrive with issue 20's helpers.
export default problemRule({
  id: 'unknown-setting',
  summary: 'A key the library or server does not know',
  severity: 'warning',
  tags: ['config'],
  status: { kind: 'stable', since: '0.3.0' },
  docs: {
    whatItDoes: 'TODO',
    whyIsThisBad: 'TODO',
    exampleNote: 'TODO: covered by a test to be written',
    references: [],
  },
});
