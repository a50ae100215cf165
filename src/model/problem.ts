import type { Span } from './span.js';

/**
 * Something wrong found while reading or interpreting a file, before any rule runs. `error`: what the
 * real program rejects (mysqld refuses to start, HikariCP throws); `warning`: accepted but suspicious;
 * `note`: worth knowing. `ruleId` names the rule users configure and suppress it under; `parse-error`
 * when absent. The engine lowers every problem in a file of uncertain owner to a note.
 */
export interface Problem {
  message: string;
  span: Span;
  severity: 'error' | 'warning' | 'note';
  ruleId?: string;
  /** What kind of problem, for callers that group or weigh them (`unknown-key`: a key the program has no setting for). */
  code?: 'unknown-key';
}
