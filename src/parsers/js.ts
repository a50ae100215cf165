import type { Span } from '../model/span.js';
import type { ParseProblem, ParseResult } from './parse-result.js';
import { LineStarts } from './line-starts.js';
import { ts } from './typescript-compiler.js';

/*
 * JavaScript/TypeScript source -> the TypeScript compiler's syntax tree, with connlint spans (issue 18).
 * Parsing only: ts-morph's compiler parses each file on its own, without a program, type checking,
 * libraries or file-system resolution; nothing here (or in the evaluator) runs, requires or imports the
 * code it reads. The compiler is imported by this file alone (through src/parsers/typescript-compiler.ts):
 * it is heavy, so it loads only when a JS/TS file is read.
 * Spans: 1-based lines (a line ends at \n, \r\n or \r, as the other connlint parsers and editors count
 * them; U+2028/U+2029 do not start a line here), columns in UTF-16 units, end exclusive.
 */

export { ts };

export interface JsSyntaxFile {
  path: string;
  text: string;
  /** The compiler's tree (parents set). Empty when the parser could not run (too deeply nested). */
  source: ts.SourceFile;
  lines: JsLineIndex;
  /** The first syntax error, when the file does not parse; the tree still holds what parses. */
  syntaxError?: Span;
}

/** Maps string offsets to 1-based lines and UTF-16 columns. */
export class JsLineIndex {
  private readonly starts: LineStarts;

  constructor(
    readonly path: string,
    text: string,
  ) {
    this.starts = new LineStarts(text);
  }

  position(offset: number): { line: number; column: number } {
    return this.starts.position(offset);
  }

  /** The span of [from, to). */
  span(from: number, to: number): Span {
    const a = this.position(from);
    const b = this.position(Math.max(from, to));
    return { path: this.path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

/** The span of a node, from its first token (comments before it excluded) to its end. */
export function nodeSpan(file: JsSyntaxFile, node: ts.Node): Span {
  const start = node.kind === ts.SyntaxKind.SourceFile ? 0 : node.getStart(file.source);
  return file.lines.span(start, node.end);
}

/** The compiler picks the grammar from the extension: `.ts` allows types, `.tsx`/`.jsx` JSX, `.json` one JSON value. */
function scriptKindOf(path: string): ts.ScriptKind {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return ts.ScriptKind.JSON;
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (lower.endsWith('.ts') || lower.endsWith('.mts') || lower.endsWith('.cts')) return ts.ScriptKind.TS;
  return ts.ScriptKind.JS;
}

/**
 * Parses files one at a time, as ts-morph's in-memory project did for connlint (the latest grammar, parents
 * set, the script kind from the extension, a byte-order mark dropped), without the project: nothing is
 * type-checked, and parse errors are the compiler's own `parseDiagnostics`.
 */
export class JsParser {
  /** Parses one file. Never throws: a file the compiler cannot parse gives an empty tree and a problem. */
  parse(path: string, text: string): ParseResult<JsSyntaxFile> {
    const lines = new JsLineIndex(path, text);
    const name = `/${path.replace(/^\/+/, '') || 'file.js'}`;
    let source: ts.SourceFile;
    try {
      source = ts.createSourceFile(
        name,
        text.startsWith('\uFEFF') ? text.slice(1) : text,
        ts.ScriptTarget.Latest,
        true,
        scriptKindOf(path),
      );
    } catch (e) {
      const tooDeep = e instanceof RangeError;
      const span = lines.span(0, 0);
      return {
        doc: { path, text, source: ts.createSourceFile(name, '', ts.ScriptTarget.Latest, true), lines, syntaxError: span },
        problems: [
          {
            severity: 'error',
            message: tooDeep
              ? 'This file nests expressions too deeply for connlint to read it: nothing in it was read'
              : `connlint could not read this file (${(e as Error).message})`,
            span,
          },
        ],
      };
    }
    // Offsets are into the text the compiler kept (without a byte-order mark).
    const kept = source.text === text ? lines : new JsLineIndex(path, source.text);
    const doc: JsSyntaxFile = { path, text: source.text, source, lines: kept };
    const problems: ParseProblem[] = [];
    const diagnostics = ((source as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? []).filter(
      (d) => !isSloppyOctal(d, path),
    );
    const first = diagnostics.reduce<ts.DiagnosticWithLocation | undefined>((a, b) => (!a || b.start < a.start ? b : a), undefined);
    if (first) {
      doc.syntaxError = kept.span(first.start, first.start + first.length);
      const language = scriptKindOf(path) === ts.ScriptKind.JSON ? 'JSON' : /\.[cm]?tsx?$/i.test(path) ? 'TypeScript' : 'JavaScript';
      problems.push({
        severity: 'error',
        message: `${ts.flattenDiagnosticMessageText(first.messageText, ' ').replace(/\.$/, '')}: this is not valid ${language}, connlint reads only what parses`,
        span: doc.syntaxError,
      });
    }
    return { doc, problems };
  }
}

/** One file. */
export function parseJs(path: string, text: string): ParseResult<JsSyntaxFile> {
  return new JsParser().parse(path, text);
}

/**
 * The compiler rejects legacy octal literals (`010`, `08`) everywhere, but Node accepts them in a CommonJS
 * `.js`/`.cjs` file (sloppy mode), so they are no syntax error there (TS1121, TS1489).
 */
function isSloppyOctal(d: ts.DiagnosticWithLocation, path: string): boolean {
  return (d.code === 1121 || d.code === 1489) && /\.c?js$/i.test(path);
}
