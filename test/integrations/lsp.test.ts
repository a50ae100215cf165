import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  createProtocolConnection,
  DiagnosticSeverity,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  FileChangeType,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { lint } from '../../src/engine/run.js';
import { tempRepo } from '../temp-repo.js';

/*
 * `connlint lsp --stdio` as an editor runs it: a child process spoken to with vscode-languageserver-protocol, the
 * library VS Code's client is built on. Every wait has a timeout, so a server that never answers fails the test.
 */

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../../bin/connlint.js');
// Generous for a loaded machine; a normal run takes about 2 s per test.
const WAIT_MS = 10_000;

const MY_CNF = '[mysqld]\nwait_timeout = 600\n';
const HIKARI = 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\n';
const RULE = 'pool-lifetime-exceeds-wait-timeout';

function withTimeout<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Is `bytes` nothing but `Content-Length`-framed messages (what an LSP client can read)? Returns how many. */
function countFramedMessages(bytes: Buffer): number {
  let at = 0;
  let count = 0;
  while (at < bytes.length) {
    const headerEnd = bytes.indexOf('\r\n\r\n', at);
    assert.ok(headerEnd > at, `a message header at byte ${at}`);
    const headers = bytes.subarray(at, headerEnd).toString('ascii').split('\r\n');
    const length = headers.map((h) => /^Content-Length: (\d+)$/i.exec(h)?.[1]).find((v) => v !== undefined);
    assert.ok(length !== undefined, `Content-Length in ${JSON.stringify(headers)}`);
    const body = bytes.subarray(headerEnd + 4, headerEnd + 4 + Number(length));
    assert.equal(body.length, Number(length), 'a complete message body');
    JSON.parse(body.toString('utf8'));
    at = headerEnd + 4 + Number(length);
    count++;
  }
  return count;
}

class Client {
  readonly child: ChildProcessWithoutNullStreams;
  readonly connection: ProtocolConnection;
  readonly published: PublishDiagnosticsParams[] = [];
  readonly errors: string[] = [];
  private readonly stdout: Buffer[] = [];
  private readonly stderr: Buffer[] = [];
  private waiters: Array<() => void> = [];
  readonly exit: Promise<number | null>;

  constructor(readonly dir: string) {
    this.child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: dir, stdio: 'pipe' });
    this.exit = new Promise((r) => this.child.on('exit', (code) => r(code)));
    this.child.stdout.on('data', (b: Buffer) => this.stdout.push(b));
    this.child.stderr.on('data', (b: Buffer) => this.stderr.push(b));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onError(([error]) => this.errors.push(String(error)));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      for (const w of this.waiters) w();
    });
    this.connection.listen();
  }

  uri(rel: string): string {
    return pathToFileURL(join(this.dir, rel)).href;
  }

  async initialize(): Promise<void> {
    const result = await withTimeout(
      this.connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: null,
        workspaceFolders: [{ uri: pathToFileURL(this.dir).href, name: 'repo' }],
        capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true } } },
      }),
      'initialize',
    );
    assert.equal(result.serverInfo?.name, 'connlint');
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  /** The first publish for `rel` after the `from`-th publish that satisfies `test`. */
  async waitForPublish(rel: string, from: number, what: string, ok: (p: PublishDiagnosticsParams) => boolean = () => true) {
    const uri = this.uri(rel);
    const find = () => this.published.slice(from).find((p) => p.uri === uri && ok(p));
    return withTimeout(
      new Promise<PublishDiagnosticsParams>((done) => {
        const check = () => {
          const hit = find();
          if (!hit) return;
          this.waiters = this.waiters.filter((w) => w !== check);
          done(hit);
        };
        this.waiters.push(check);
        check();
      }),
      `${what} (published so far: ${JSON.stringify(this.published.map((p) => [p.uri.slice(-30), p.diagnostics.length]))})`,
    );
  }

  open(rel: string, text: string, languageId = 'plaintext'): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: this.uri(rel), languageId, version: 1, text },
    });
  }

  /** One incremental edit: replace line `line` (0-based), characters `from` to `to`, with `text`. */
  edit(rel: string, version: number, line: number, from: number, to: number, text: string): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: this.uri(rel), version },
      contentChanges: [{ range: { start: { line, character: from }, end: { line, character: to } }, text }],
    });
  }

  /** shutdown (unless told not to), exit; the exit code of the child. */
  async stop(shutdown = true): Promise<number | null> {
    if (shutdown) await withTimeout(this.connection.sendRequest(ShutdownRequest.type), 'shutdown');
    await this.connection.sendNotification(ExitNotification.type);
    const code = await withTimeout(this.exit, 'the server process to exit');
    this.connection.dispose();
    return code;
  }

  assertCleanStreams(): void {
    assert.deepEqual(this.errors, [], 'the client read every message the server wrote');
    assert.ok(countFramedMessages(Buffer.concat(this.stdout)) > 0, 'stdout holds LSP messages only');
    assert.equal(Buffer.concat(this.stderr).toString('utf8'), '', 'nothing on stderr');
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

test('diagnostics follow unsaved edits of either file of a pair, the config file is checked, and exit is clean', async () => {
  const dir = tempRepo({ 'db/my.cnf': MY_CNF, 'app/hikari.properties': HIKARI });
  const client = new Client(dir);
  try {
    await client.initialize();

    await client.open('app/hikari.properties', HIKARI);
    const first = await client.waitForPublish(
      'app/hikari.properties',
      0,
      'the finding in hikari.properties',
      (p) => p.diagnostics.length > 0,
    );
    assert.equal(first.diagnostics.length, 1);
    const d = first.diagnostics[0];
    assert.ok(d);
    assert.equal(d.code, RULE);
    assert.equal(d.source, 'connlint');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(d.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 19 } });
    assert.match(String(d.message), /^maxLifetime is 30 min but wait_timeout is 10 min/);
    assert.equal(d.codeDescription?.href, `https://github.com/connlint/connlint/blob/main/RULES.md#${RULE}`);
    assert.deepEqual(d.relatedInformation, [
      {
        location: { uri: client.uri('db/my.cnf'), range: { start: { line: 1, character: 0 }, end: { line: 1, character: 18 } } },
        message: 'wait_timeout is 10 min',
      },
    ]);

    // The quick fixes offered are the engine's: one edit per finding that has a fix, none when it has none.
    const engine = (await lint({ cwd: dir, paths: [] })).result.findings;
    const actions = await withTimeout(
      client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: client.uri('app/hikari.properties') },
        range: { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } },
        context: { diagnostics: first.diagnostics },
      }),
      'code actions',
    );
    assert.deepEqual(
      (actions ?? []).map((a) => ('kind' in a ? [a.kind, a.title, a.edit?.changes] : ['command', a.title])),
      engine.flatMap((f) =>
        f.fix
          ? [
              [
                'quickfix',
                f.fix.description,
                {
                  [client.uri(f.fix.span.path)]: [
                    {
                      range: {
                        start: { line: f.fix.span.line - 1, character: f.fix.span.column - 1 },
                        end: { line: f.fix.span.endLine - 1, character: f.fix.span.endColumn - 1 },
                      },
                      newText: f.fix.text,
                    },
                  ],
                },
              ],
            ]
          : [],
      ),
    );

    // Fixing the other file of the pair, without saving it, clears the finding in this one.
    await client.open('db/my.cnf', MY_CNF);
    const mark = client.published.length;
    await client.edit('db/my.cnf', 2, 1, 15, 18, '28800');
    await client.waitForPublish('app/hikari.properties', mark, 'an empty list for hikari.properties', (p) => p.diagnostics.length === 0);
    assert.equal(readFileSync(join(dir, 'db/my.cnf'), 'utf8'), MY_CNF, 'the edit was never saved');

    // An invalid config, open as a document, is reported at its place; fixing it clears that.
    const beforeConfig = client.published.length;
    await client.open('connlint.config.yaml', 'rules:\n  no-such-rule: off\n', 'yaml');
    const invalid = await client.waitForPublish('connlint.config.yaml', beforeConfig, 'the config error', (p) => p.diagnostics.length > 0);
    assert.equal(invalid.diagnostics.length, 1);
    assert.equal(invalid.diagnostics[0]?.severity, DiagnosticSeverity.Error);
    assert.deepEqual(invalid.diagnostics[0]?.range.start, { line: 1, character: 2 });
    assert.match(String(invalid.diagnostics[0]?.message), /no-such-rule/);
    const beforeValid = client.published.length;
    await client.edit('connlint.config.yaml', 2, 1, 2, 14, RULE);
    await client.waitForPublish('connlint.config.yaml', beforeValid, 'the config error cleared', (p) => p.diagnostics.length === 0);

    assert.equal(await client.stop(), 0);
    client.assertCleanStreams();
  } finally {
    client.kill();
  }
});

test('an edit of the file itself and an unsaved new file are linted; exit without shutdown is code 1', async () => {
  const dir = tempRepo({ 'db/my.cnf': MY_CNF, 'app/hikari.properties': HIKARI });
  const client = new Client(dir);
  try {
    await client.initialize();
    await client.open('app/hikari.properties', HIKARI);
    await client.waitForPublish('app/hikari.properties', 0, 'the finding', (p) => p.diagnostics[0]?.code === RULE);
    const mark = client.published.length;
    await client.edit('app/hikari.properties', 2, 1, 12, 19, '590000');
    await client.waitForPublish('app/hikari.properties', mark, 'the finding cleared', (p) => p.diagnostics.length === 0);

    // A file that exists only in the editor, in folders that do not exist yet.
    const beforeNew = client.published.length;
    await client.open('new/module/hikari.properties', HIKARI);
    const fresh = await client.waitForPublish(
      'new/module/hikari.properties',
      beforeNew,
      'the finding in the new file',
      (p) => p.diagnostics.length > 0,
    );
    assert.deepEqual(
      fresh.diagnostics.map((x) => [x.code, x.range.start.line]),
      [[RULE, 1]],
    );

    // A change on disk the editor reports (a file not open here) is linted too.
    const beforeDisk = client.published.length;
    writeFileSync(join(dir, 'db/my.cnf'), '[mysqld]\nwait_timeout = 28800\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: client.uri('db/my.cnf'), type: FileChangeType.Changed }],
    });
    await client.waitForPublish(
      'new/module/hikari.properties',
      beforeDisk,
      'the finding cleared by the disk change',
      (p) => p.diagnostics.length === 0,
    );

    assert.equal(await client.stop(false), 1);
    client.assertCleanStreams();
  } finally {
    client.kill();
  }
});
