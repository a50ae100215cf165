import type { SkipRuleId } from '../model/model.js';
import { lineSpan } from '../model/span.js';
import { defineRule, type RuleDocs } from './define-rule.js';

/**
 * The rules that report paths connlint could not read (issue 15, "Nothing skipped in silence"): each
 * reports the files and folders the walk marked with its id, at the path, so users can see, configure
 * and suppress them like any rule.
 */
export function skippedPathRule(id: SkipRuleId, summary: string, severity: 'error' | 'warning' | 'note', docs: RuleDocs) {
  return defineRule({
    id,
    summary,
    severity,
    tags: ['connlint', 'files'],
    status: { kind: 'stable', since: '0.2.0' },
    options: {},
    docs,
    messages: { skipped: (d: { message: string }) => d.message },
    check({ model, report }) {
      for (const file of model.files) {
        if (file.skipped?.ruleId !== id) continue;
        report({ messageId: 'skipped', data: { message: file.skipped.message }, at: lineSpan(file.path, 1, 1, 0), key: file.path });
      }
    },
  });
}
