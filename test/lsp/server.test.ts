import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  MessageType,
  PublishDiagnosticsNotification,
  ShowMessageNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { runLanguageServer } from '../../src/lsp/server.js';

// In the same process: the server must resolve with the exit code, never call process.exit (that would end this test run).
test('runLanguageServer resolves with 0 after shutdown and exit, and offers incremental sync and quick fixes', async () => {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const code = runLanguageServer(toServer, fromServer);
  const client = createProtocolConnection(new StreamMessageReader(fromServer), new StreamMessageWriter(toServer));
  client.listen();
  const init = await client.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: null,
    workspaceFolders: null,
    capabilities: {},
  });
  assert.deepEqual(init.capabilities.codeActionProvider, { codeActionKinds: ['quickfix'] });
  await client.sendNotification(InitializedNotification.type, {});
  await client.sendRequest(ShutdownRequest.type);
  await client.sendNotification(ExitNotification.type);
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([code, new Promise((r) => (timer = setTimeout(() => r('timeout'), 3000)))]);
  clearTimeout(timer);
  assert.equal(result, 0);
  client.dispose();
});

test('a usage error is shown to the user, not thrown: the server keeps running and exits cleanly', async () => {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const code = runLanguageServer(toServer, fromServer);
  const client = createProtocolConnection(new StreamMessageReader(fromServer), new StreamMessageWriter(toServer));
  const shown: Array<{ type: number; message: string }> = [];
  const published: string[] = [];
  let seen: () => void = () => {};
  const message = new Promise<void>((r) => {
    seen = r;
  });
  client.onNotification(ShowMessageNotification.type, (p) => {
    shown.push(p);
    seen();
  });
  client.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(p.uri);
  });
  client.listen();
  // A workspace folder that is not on disk: lint() cannot scan it.
  const folder = '/nonexistent-connlint-folder';
  await client.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: null,
    workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'gone' }],
    capabilities: {},
  });
  await client.sendNotification(InitializedNotification.type, {});
  await client.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: {
      uri: pathToFileURL(`${folder}/app/hikari.properties`).href,
      languageId: 'properties',
      version: 1,
      text: 'maxLifetime=1\n',
    },
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([message, new Promise((r) => (timer = setTimeout(r, 3000)))]);
  clearTimeout(timer);
  assert.deepEqual(shown, [{ type: MessageType.Error, message: 'connlint: no such file or directory: .' }]);
  assert.deepEqual(published, []);
  await client.sendRequest(ShutdownRequest.type);
  await client.sendNotification(ExitNotification.type);
  assert.equal(await code, 0);
  client.dispose();
});

test('a keystroke re-sends the open file and files whose diagnostics changed, not the unchanged closed ones', async () => {
  const { tempRepo } = await import('../temp-repo.js');
  const { DidChangeTextDocumentNotification } = await import('vscode-languageserver-protocol/node');
  const root = tempRepo({
    'a/my.cnf': '[mysqld]\nwait_timeout = 8h\n',
    'b/my.cnf': '[mysqld]\nwait_timeout = 9h\n',
  });
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const code = runLanguageServer(toServer, fromServer);
  const client = createProtocolConnection(new StreamMessageReader(fromServer), new StreamMessageWriter(toServer));
  const uriA = pathToFileURL(`${root}/a/my.cnf`).href;
  const uriB = pathToFileURL(`${root}/b/my.cnf`).href;
  const sent: Array<{ uri: string; count: number }> = [];
  const waiters: Array<() => void> = [];
  client.onNotification(PublishDiagnosticsNotification.type, (p) => {
    sent.push({ uri: p.uri, count: p.diagnostics.length });
    for (const w of waiters.splice(0)) w();
  });
  const publishedFor = async (uri: string, n: number) => {
    const deadline = Date.now() + 10_000;
    while (sent.filter((s) => s.uri === uri).length < n && Date.now() < deadline) await new Promise<void>((r) => waiters.push(r));
  };
  client.listen();
  await client.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: null,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'repo' }],
    capabilities: {},
  });
  await client.sendNotification(InitializedNotification.type, {});
  await client.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: uriA, languageId: 'ini', version: 1, text: '[mysqld]\nwait_timeout = 8h\n' },
  });
  await publishedFor(uriA, 1);
  await publishedFor(uriB, 1);
  // The open file changes and gets its answer; the closed file's unchanged finding is not sent again.
  await client.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: uriA, version: 2 },
    contentChanges: [{ text: '[mysqld]\nwait_timeout = 600\n' }],
  });
  await publishedFor(uriA, 2);
  assert.deepEqual(
    sent.filter((s) => s.uri === uriA).map((s) => s.count),
    [1, 0],
  );
  assert.deepEqual(
    sent.filter((s) => s.uri === uriB).map((s) => s.count),
    [1],
  );
  await client.sendRequest(ShutdownRequest.type);
  await client.sendNotification(ExitNotification.type);
  assert.equal(await code, 0);
  client.dispose();
});
