import type { RuleMeta, Severity } from './finding.js';
import type { Rule } from './define-rule.js';

export const DOCS_BASE = 'https://github.com/connlint/connlint/blob/main/RULES.md';

function anchor(id: string): string {
  return `${DOCS_BASE}#${id}`;
}

function filesBlock(files: Record<string, string>): string {
  return Object.entries(files)
    .map(([name, text]) => `\`${name}\`:\n\n\`\`\`${fence(name)}\n${text.replace(/\n$/, '')}\n\`\`\``)
    .join('\n\n');
}

function fence(name: string): string {
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'yaml';
  if (name.endsWith('.properties')) return 'properties';
  return 'ini';
}

function statusText(rule: Rule): string {
  const s = rule.status;
  if (s.kind === 'stable') return `Stable since ${s.since}.`;
  if (s.kind === 'preview') return `Preview since ${s.since}: off unless connlint.config.yaml turns it on; it may still change.`;
  return `Deprecated since ${s.since}${s.replacedBy ? `: use \`${s.replacedBy}\`` : ''}.`;
}

/** The rule's docs as Markdown, in Ruff's heading order; used by RULES.md and SARIF help. */
export function ruleMarkdown(rule: Rule): string {
  const d = rule.docs;
  const parts = [
    `## ${rule.id}`,
    `${rule.summary}.`,
    `Default severity: ${rule.severity}. Tags: ${rule.tags.join(', ')}. ${statusText(rule)}${rule.fixable ? ' Fix is sometimes available (one edit of one written value).' : ''}`,
    `### What it does\n\n${d.whatItDoes}`,
    `### Why is this bad?\n\n${d.whyIsThisBad}`,
    ...(d.example ? [`### Example\n\n${filesBlock(d.example)}`] : []),
    ...(d.useInstead ? [`### Use instead\n\n${filesBlock(d.useInstead)}`] : []),
    ...(d.exampleNote ? [`### How to see it\n\n${d.exampleNote}`] : []),
  ];
  const options = Object.entries(rule.options);
  if (options.length > 0 || d.options) {
    parts.push(
      `### Options\n\n${options.map(([name, o]) => `- \`${name}\` (${o.type}, default \`${o.default}\`): ${o.description}`).join('\n')}${d.options ? `\n\n${d.options}` : ''}`,
    );
  }
  if (d.knownLimits) parts.push(`### Known limits\n\n${d.knownLimits}`);
  parts.push(`### References\n\n${d.references.map((r) => `- ${r}`).join('\n')}`);
  return parts.join('\n\n');
}

/** Plain-text help (SARIF help.text): the two explanatory sections without Markdown. */
export function ruleText(rule: Rule): string {
  return `${rule.docs.whatItDoes}\n\n${rule.docs.whyIsThisBad}`.replace(/`/g, '');
}

export function ruleMeta(rule: Rule): RuleMeta {
  return {
    id: rule.id,
    summary: rule.summary,
    severity: rule.severity,
    tags: rule.tags,
    helpMarkdown: ruleMarkdown(rule),
    helpText: ruleText(rule),
    helpUri: anchor(rule.id),
  };
}

/** Findings that are not rules keep fixed ids (STYLE.md, Naming). */
export function fixedMeta(
  id: 'parse-error' | 'internal-error' | 'unused-disable-directive' | 'disable-directive-without-reason',
  summary: string,
  severity: Severity,
  text: string,
): RuleMeta {
  return { id, summary, severity, tags: ['connlint'], helpMarkdown: `## ${id}\n\n${text}`, helpText: text, helpUri: anchor(id) };
}
