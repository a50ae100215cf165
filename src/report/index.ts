import type { LintResult } from '../engine/finding.js';
import { renderGithub } from './github.js';
import { jsonChunks, renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderStylish } from './stylish.js';

export interface RenderOptions {
  /** Emit ANSI colours (stylish only; the other formats are machine-read and never coloured). */
  color: boolean;
  /** Terminal width in columns, for stylish wrapping; undefined = no wrapping. */
  width?: number;
  /** SARIF `automationDetails.id` (`--sarif-category`); none by default, so an upload's own category applies. */
  sarifCategory?: string;
}

/** A pure function of the result: no process, fs, clock or randomness; output ends with a newline or is empty. */
export type Renderer = (result: LintResult, options: RenderOptions) => string;

export const FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

const RENDERERS: Record<Format, Renderer> = {
  stylish: renderStylish,
  json: renderJson,
  sarif: renderSarif,
  github: renderGithub,
};

export function renderer(format: Format): Renderer {
  return RENDERERS[format];
}

export function isFormat(name: string): name is Format {
  return (FORMATS as readonly string[]).includes(name);
}

/**
 * The report in pieces whose concatenation is the renderer's text, for output written as it is made: the JSON report
 * of a large tree (18 MB at 100,000 files) is never held whole. The other formats come in one piece.
 */
export function renderChunks(format: Format, result: LintResult, options: RenderOptions): Iterable<string> {
  return format === 'json' ? jsonChunks(result) : [renderer(format)(result, options)];
}
