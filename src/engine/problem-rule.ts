import type { Severity } from './finding.js';
import { defineRule, type RuleDocs, type RuleStatus } from './define-rule.js';

/**
 * A rule whose findings readers find while they read (an option mysqld does not know, a value HikariCP
 * rewrites at start-up): the parser or interpreter records a problem under the rule's id (model.problems),
 * with the whole message and its severity, and this rule reports it. So it has docs, a severity users can
 * change, and directives and baselines that name it, like every rule.
 */
export function problemRule(options: {
  id: string;
  summary: string;
  severity: Severity;
  tags: string[];
  status: RuleStatus;
  docs: RuleDocs;
}) {
  return defineRule({
    ...options,
    options: {},
    messages: { problem: (d: { message: string }) => d.message },
    check({ model, report }) {
      for (const p of model.problems) {
        if (p.ruleId !== options.id) continue;
        report({ messageId: 'problem', data: { message: p.message }, at: p.span, severity: p.severity, key: p.message });
      }
    },
  });
}
