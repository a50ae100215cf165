import type { Model } from '../model/model.js';
import type { Span } from '../model/span.js';
import type { Fix, RelatedLocation, Severity } from './finding.js';

/** Structured docs with fixed headings (Ruff's doc comment sections); rendered into RULES.md, SARIF help and `explain`. */
export interface RuleDocs {
  whatItDoes: string;
  whyIsThisBad: string;
  /** Files of a mini repository that makes the rule fire (tested). Absent only when no text files can show it (`exampleNote` says why and which test covers it). */
  example?: Record<string, string>;
  /** The same repository corrected; must stay silent (tested). */
  useInstead?: Record<string, string>;
  /** For a rule about what cannot be written as text files (an unreadable folder, a symbolic link): how to see it fire. */
  exampleNote?: string;
  options?: string;
  knownLimits?: string;
  /** Knowledge-base facts and upstream docs the rule rests on. */
  references: string[];
}

export interface RuleOption {
  type: 'integer' | 'number' | 'boolean' | 'string';
  description: string;
  default: number | boolean | string;
  minimum?: number;
}

interface ReportCommon {
  at: Span;
  related?: RelatedLocation[];
  /** Lower than the rule's default when the facts make the problem milder (e.g. the pool validates on checkout). */
  severity?: Severity;
  /** What the finding is about, for the fingerprint (`pool:hikaricp:app/hikari.properties/maxLifetime`). */
  key: string;
  /** When one edit of one written value is the fix (the value the message advises, at its exact span). */
  fix?: Fix;
}

export type RuleStatus =
  | { kind: 'stable'; since: string }
  | { kind: 'preview'; since: string }
  | { kind: 'deprecated'; since: string; replacedBy?: string };

/** One report: a message id of the rule and exactly the data its message function takes. */
export type Report<M extends Messages> = {
  [K in keyof M & string]: ReportCommon & { messageId: K; data: Parameters<M[K]>[0] };
}[keyof M & string];

export interface RuleContext<M extends Messages> {
  model: Model;
  options: Record<string, number | boolean | string>;
  report(report: Report<M>): void;
}

// biome-ignore lint/suspicious/noExplicitAny: message functions take rule-specific data objects
export type Messages = Record<string, (data: any) => string>;

export interface Rule<M extends Messages = Messages> {
  id: string;
  /** One line, used by --list-rules, SARIF shortDescription and stylish hints. */
  summary: string;
  severity: Severity;
  tags: string[];
  /**
   * Ruff's rule lifecycle: `preview` rules run only when the config turns them on (they may still change),
   * `stable` ones by default, `deprecated` ones still run but say what replaces them. `since`: the release.
   */
  status: RuleStatus;
  /**
   * Some of its findings carry a fix: one edit of one written value (JSON `suggestion`, SARIF `fixes`, an editor's
   * quick fix); Ruff's "Fix is sometimes available". A test holds it to the fixtures: exactly the rules marked so offer one.
   */
  fixable?: true;
  options: Record<string, RuleOption>;
  docs: RuleDocs;
  messages: M;
  check(context: RuleContext<M>): void;
}

/** Typed identity: a misspelt message id or missing message data does not compile. */
export function defineRule<M extends Messages>(rule: Rule<M>): Rule<M> {
  return rule;
}
