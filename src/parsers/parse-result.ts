import type { Problem } from '../model/problem.js';

/**
 * A problem found while parsing. `error` problems are what the real program rejects (mysqld refuses
 * to start, java.util.Properties cannot load); `warning` ones are accepted but suspicious.
 */
export type ParseProblem = Problem;

/** What every parser returns: what it could read, with spans, plus problems. Parsers never throw on input. */
export interface ParseResult<Doc> {
  doc: Doc;
  problems: ParseProblem[];
}
