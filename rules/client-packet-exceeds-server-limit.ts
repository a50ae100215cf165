import { defineRule } from '../src/engine/define-rule.js';

// Scaffolded by `npm run new-rule`: fill every TODO (STYLE.md, "Rule anatomy" and "Message style"; rules/pool-missing-validation.ts
// is a complete example). The rule asks the model only; joins and unit arithmetic go in src/model/.
export default defineRule({
  id: 'client-packet-exceeds-server-limit',
  summary: 'TODO: one line, the thing and what is wrong with it',
  severity: 'warning',
  tags: ['TODO'],
  status: { kind: 'preview', since: 'TODO: the release that ships it' },
  // Each option: { type, description, default, minimum }, explained in docs.options.
  options: {},
  docs: {
    // What it finds, and when it stays silent.
    whatItDoes: 'TODO: what it finds',
    // The failure users see (the error message, when it happens).
    whyIsThisBad: 'TODO: the failure users see',
    // The smallest repository that makes it fire ({ 'my.cnf': '[mysqld]\nwait_timeout = 600\n', ... }); tested.
    example: { 'TODO.txt': 'TODO: the smallest repository that makes the rule fire\n' },
    // The same repository with the one value on the safe side; must stay silent (tested).
    useInstead: { 'TODO.txt': 'TODO: the same repository, corrected\n' },
    knownLimits: 'TODO: what it cannot see',
    references: ['TODO: connlint knowledge: <file>.md (the fact it rests on)', 'TODO: the upstream documentation'],
  },
  messages: {
    // Both values under the keys as written, both locations, human units, the consequence, then a computed safe value.
    found: (d: { key: string; value: string; otherKey: string; other: string; otherAt: string; safe: string }) =>
      `${d.key} is ${d.value} but ${d.otherKey} is ${d.other} (${d.otherAt}), so TODO: the consequence. Set ${d.key} to ${d.safe} or lower.`,
  },
  check(_context) {
    // TODO: read _context.model (paths: one idle path per pool with its server and network; servers, pools, hosts, files) and call
    // _context.report({ messageId: 'found', data, at, related, key }) for each problem. Until then the rule never fires.
  },
});
