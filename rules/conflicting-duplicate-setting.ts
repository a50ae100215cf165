import { defineRule } from '../src/engine/define-rule.js';

// Stub: the check and its docs arrive with issue 20's helpers.
export default defineRule({
  id: 'conflicting-duplicate-setting',
  summary: 'One option is set twice with different values in one effective configuration',
  severity: 'warning',
  tags: ['config'],
  status: { kind: 'preview', since: '0.3.0' },
  options: {},
  docs: {
    whatItDoes: 'TODO',
    whyIsThisBad: 'TODO',
    exampleNote: 'TODO: covered by a test to be written',
    references: [],
  },
  messages: {},
  check() {},
});
