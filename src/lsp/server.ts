/**
 * `connlint lsp`: a language server over stdio. Resolves with the exit code when the client sends `exit`
 * (0 after `shutdown`, 1 without, as the LSP specification says).
 */
export async function runLanguageServer(_input: NodeJS.ReadableStream, _output: NodeJS.WritableStream): Promise<number> {
  throw new Error('not built yet');
}
