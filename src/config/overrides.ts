/*
 * Per-path rule severities (`overrides:` in connlint.config.yaml), as ESLint's overrides and Ruff's
 * per-file-ignores: the last override whose `files` match the finding's file and that names the rule wins,
 * then `rules:`, then the rule's own severity (left to the caller).
 */
import { globToRegExp } from '../discover/glob.js';
import type { RuleStatus } from '../engine/define-rule.js';
import type { Config, Override, RuleSetting } from './config.js';

const compiled = new WeakMap<Override, RegExp[]>();

function patterns(override: Override): RegExp[] {
  let res = compiled.get(override);
  if (!res) {
    res = override.files.map(globToRegExp);
    compiled.set(override, res);
  }
  return res;
}

/** The configured severity of `ruleId` for a finding in `path` (relative to the scanned root), or undefined when none is set. */
export function severityFor(config: Config, ruleId: string, path: string): RuleSetting | undefined {
  return overrideFor(config, ruleId, path) ?? config.rules[ruleId]?.value;
}

/** The severity the last matching override gives `ruleId` in `path`, ignoring `rules:`; undefined when no override names it there. */
export function overrideFor(config: Config, ruleId: string, path: string): RuleSetting | undefined {
  const overrides = config.overrides ?? [];
  for (let i = overrides.length - 1; i >= 0; i--) {
    const o = overrides[i] as Override;
    const setting = o.rules[ruleId];
    if (setting && patterns(o).some((re) => re.test(path))) return setting.value;
  }
  return undefined;
}

/**
 * Whether a rule runs at all: not when `rules:` turns it off and no override turns it on for some files; a
 * preview rule (Ruff's preview) only when `rules:` or an override names it.
 */
export function ruleRuns(config: Config, rule: { id: string; status: RuleStatus }): boolean {
  const setting = config.rules[rule.id]?.value;
  const onSomewhere = (config.overrides ?? []).some((o) => {
    const s = o.rules[rule.id]?.value;
    return s !== undefined && s !== 'off';
  });
  if (setting === 'off') return onSomewhere;
  return rule.status.kind !== 'preview' || setting !== undefined || onSomewhere;
}
