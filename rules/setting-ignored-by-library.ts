import { problemRule } from '../src/engine/problem-rule.js';

// Stub: the readers that report under this id and the docs arrive with issue 20's helpers.
export default problemRule({
  id: 'setting-ignored-by-library',
  summary: 'A value the library clamps, resets or ignores at start-up',
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
