import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type CodeAction,
  CodeActionKind,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  DiagnosticSeverity,
  type Range,
} from 'vscode-languageserver/node';
import type { Finding, Fix, RuleMeta, Severity } from '../engine/finding.js';
import type { Span } from '../model/span.js';

/** The `source` of every diagnostic the server publishes. */
export const SOURCE = 'connlint';

/**
 * connlint's Span (1-based line and column, end column exclusive, UTF-16 columns) as an LSP range (0-based,
 * UTF-16, end exclusive): both count the same units, so only the base changes.
 */
export function toRange(span: Span): Range {
  const line = Math.max(span.line - 1, 0);
  const character = Math.max(span.column - 1, 0);
  const endLine = Math.max(span.endLine - 1, line);
  let endCharacter = Math.max(span.endColumn - 1, 0);
  if (endLine === line && endCharacter < character) endCharacter = character;
  return { start: { line, character }, end: { line: endLine, character: endCharacter } };
}

export function toSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    default:
      return DiagnosticSeverity.Information;
  }
}

/** An absolute file system path for a finding's path: relative ones are relative to the linted root. */
export function absolutePath(root: string, path: string): string {
  return isAbsolute(path) ? path : resolve(root, path);
}

export interface ConvertOptions {
  /** The folder lint() ran in; finding paths are relative to it (or absolute). */
  root: string;
  /** The client shows DiagnosticRelatedInformation; otherwise related places are appended to the message. */
  relatedInformation: boolean;
  /** Rule metadata by id (result.rules), for codeDescription.href. */
  rules: ReadonlyMap<string, RuleMeta>;
  /** The URI to publish for an absolute path (an open document keeps the client's spelling). */
  uriOf?: (absPath: string) => string;
}

export function defaultUri(absPath: string): string {
  return pathToFileURL(absPath).href;
}

/** One finding as an LSP diagnostic of the file at `finding.location.path`. */
export function toDiagnostic(finding: Finding, options: ConvertOptions): Diagnostic {
  const uriOf = options.uriOf ?? defaultUri;
  const diagnostic: Diagnostic = {
    range: toRange(finding.location),
    severity: toSeverity(finding.severity),
    code: finding.ruleId,
    source: SOURCE,
    message: finding.message,
  };
  const helpUri = options.rules.get(finding.ruleId)?.helpUri;
  if (helpUri) diagnostic.codeDescription = { href: helpUri };
  if (finding.related.length > 0) {
    if (options.relatedInformation) {
      diagnostic.relatedInformation = finding.related.map(
        (r): DiagnosticRelatedInformation => ({
          location: { uri: uriOf(absolutePath(options.root, r.span.path)), range: toRange(r.span) },
          message: r.message,
        }),
      );
    } else {
      diagnostic.message += finding.related.map((r) => `\n${r.span.path}:${r.span.line}:${r.span.column}: ${r.message}`).join('');
    }
  }
  return diagnostic;
}

/** A finding's fix as a quick fix: one edit replacing the written value, attached to the finding's diagnostic. */
export function fixToCodeAction(fix: Fix, diagnostic: Diagnostic, options: Pick<ConvertOptions, 'root' | 'uriOf'>): CodeAction {
  const uriOf = options.uriOf ?? defaultUri;
  const uri = uriOf(absolutePath(options.root, fix.span.path));
  return {
    title: fix.description,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    edit: { changes: { [uri]: [{ range: toRange(fix.span), newText: fix.text }] } },
  };
}

/** A diagnostic with the fix that goes with it (when the finding has one), grouped under the URI it is published on. */
export interface Published {
  diagnostic: Diagnostic;
  fix?: Fix;
}

/** Findings grouped by the URI of the file they sit in, in the order lint() sorted them. */
export function groupFindings(findings: readonly Finding[], options: ConvertOptions): Map<string, Published[]> {
  const uriOf = options.uriOf ?? defaultUri;
  const out = new Map<string, Published[]>();
  for (const f of findings) {
    const uri = uriOf(absolutePath(options.root, f.location.path));
    const list = out.get(uri) ?? [];
    const diagnostic = toDiagnostic(f, options);
    list.push(f.fix ? { diagnostic, fix: f.fix } : { diagnostic });
    out.set(uri, list);
  }
  return out;
}

/** The errors of an invalid connlint.config.yaml, as Error diagnostics at their places. */
export function configErrorDiagnostics(
  root: string,
  configPath: string,
  errors: ReadonlyArray<{ span: Span; message: string }>,
  uriOf: (absPath: string) => string = defaultUri,
): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  const add = (path: string, d: Diagnostic) => {
    const uri = uriOf(absolutePath(root, path));
    out.set(uri, [...(out.get(uri) ?? []), d]);
  };
  for (const e of errors) {
    add(e.span.path || configPath, {
      range: toRange(e.span),
      severity: DiagnosticSeverity.Error,
      code: 'invalid-config',
      source: SOURCE,
      message: e.message,
    });
  }
  if (errors.length === 0) {
    add(configPath, {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Error,
      code: 'invalid-config',
      source: SOURCE,
      message: `invalid config ${configPath}`,
    });
  }
  return out;
}

/** Do two ranges share a position (touching counts: a cursor at the end of a value still gets its fix)? */
export function rangesTouch(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
