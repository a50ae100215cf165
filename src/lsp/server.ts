import { inspect } from 'node:util';
import {
  type CodeAction,
  CodeActionKind,
  type Connection,
  createConnection,
  type DataCallback,
  DidChangeWatchedFilesNotification,
  type Disposable,
  ExitNotification,
  type InitializeParams,
  type InitializeResult,
  Message,
  type MessageReader,
  MessageType,
  type PartialMessageInfo,
  ShowMessageNotification,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLintCache, type LintCache } from '../engine/cache.js';
import type { Fix, RuleMeta } from '../engine/finding.js';
import { InvalidConfigError, lint, TOOL_VERSION, UsageError } from '../engine/run.js';
import { configErrorDiagnostics, defaultUri, fixToCodeAction, groupFindings, type Published, rangesTouch } from './diagnostics.js';
import { Debouncer, Roots, uriToPath } from './workspace.js';

/** Quiet time after the last keystroke in a root before it is linted again. */
export const CHANGE_DEBOUNCE_MS = 150;
/** Open, save, close and file-system events: just long enough to fold a burst (several files opened at once) into one run. */
export const EVENT_DEBOUNCE_MS = 20;
/** How often the client process named in `initialize` is checked for (the server exits when it is gone). */
const PARENT_CHECK_MS = 3000;

/** Files whose changes on disk (outside the editor) can change a finding: the names connlint's formats read, and its config. */
const WATCHED_GLOBS = ['**/*.{cnf,ini,properties,prisma,py,js,cjs,mjs,ts,cts,mts,json,yml,yaml,conf}', '**/.env*', '**/yarn.lock'];

/** What the server remembers of one root between runs. */
interface RootState {
  cache: LintCache;
  /** What was last published, by URI (the diagnostics with their fixes). */
  published: Map<string, Published[]>;
  /** The diagnostics last sent for each URI, as JSON: a file that is not open and whose list is unchanged is not sent again. */
  sent: Map<string, string>;
  /** The versions of the open documents the last run saw, by URI: a quick fix is offered only for the text it was computed on. */
  versions: Map<string, number>;
  running: boolean;
  again: boolean;
  /** The last usage or internal error shown to the user, so that each keystroke does not show it again. */
  lastError?: string;
}

/**
 * Reads messages like the reader it wraps, but takes the client's process id out of `initialize` before the library
 * sees it: the library would watch that process with a timer that keeps the event loop alive after `exit`. The server
 * watches it itself, with a timer it clears.
 */
class InitializeFilter implements MessageReader {
  processId: number | undefined;
  constructor(private readonly inner: MessageReader) {}
  get onError() {
    return this.inner.onError;
  }
  get onClose() {
    return this.inner.onClose;
  }
  get onPartialMessage(): MessageReader['onPartialMessage'] {
    return this.inner.onPartialMessage as (listener: (e: PartialMessageInfo) => unknown) => Disposable;
  }
  listen(callback: DataCallback): Disposable {
    return this.inner.listen((message) => {
      if (Message.isRequest(message) && message.method === 'initialize' && message.params && typeof message.params === 'object') {
        const params = message.params as { processId?: unknown };
        if (typeof params.processId === 'number') this.processId = params.processId;
        params.processId = null;
      }
      callback(message);
    });
  }
  dispose(): void {
    this.inner.dispose();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** Sends console.* to window/logMessage until the returned function is called. */
function redirectConsole(connection: Connection): () => void {
  const saved = CONSOLE_METHODS.map((m) => [m, console[m]] as const);
  const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  console.log = console.info = console.debug = console.trace = (...args: unknown[]) => connection.console.log(text(args));
  console.warn = (...args: unknown[]) => connection.console.warn(text(args));
  console.error = (...args: unknown[]) => connection.console.error(text(args));
  return () => {
    for (const [m, f] of saved) console[m] = f;
  };
}

/**
 * `connlint lsp`: a language server over stdio. Resolves with the exit code when the client sends `exit`
 * (0 after `shutdown`, 1 without, as the LSP specification says).
 */
export async function runLanguageServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<number> {
  const reader = new InitializeFilter(new StreamMessageReader(input));
  const connection: Connection = createConnection(reader, new StreamMessageWriter(output));
  const documents = new TextDocuments(TextDocument);
  const roots = new Roots();
  const states = new Map<string, RootState>();
  const debouncer = new Debouncer();
  let relatedInformation = false;
  let watchRegistration = false;
  /** The client accepted the file watchers: it reports every change on disk, so what a run read from the disk is kept. */
  let watching = false;
  let workspaceFolderEvents = false;
  let shutdownReceived = false;
  let stopped = false;
  let parentCheck: NodeJS.Timeout | undefined;

  // stdout carries the protocol: anything a dependency prints with console.* goes to the client's log instead.
  const restoreConsole = output === process.stdout ? redirectConsole(connection) : () => {};

  let resolveExit: (code: number) => void = () => {};
  const exited = new Promise<number>((r) => {
    resolveExit = r;
  });
  let finished = false;
  const finish = (code: number) => {
    if (finished) return;
    finished = true;
    stopped = true;
    debouncer.clear();
    if (parentCheck) clearInterval(parentCheck);
    try {
      connection.dispose();
    } catch {
      // already closed by the client
    }
    restoreConsole();
    // A paused stream no longer holds the event loop open: the process ends once the caller returns.
    input.pause();
    resolveExit(code);
  };

  const stateOf = (root: string): RootState => {
    let s = states.get(root);
    if (!s) {
      s = {
        cache: createLintCache({ keepDisk: true }),
        published: new Map(),
        sent: new Map(),
        versions: new Map(),
        running: false,
        again: false,
      };
      states.set(root, s);
    }
    return s;
  };

  const send = (uri: string, list: Published[]) => {
    if (stopped) return;
    connection.sendDiagnostics({ uri, diagnostics: list.map((p) => p.diagnostic) }).catch(() => {
      // the client went away; the reader's close ends the server
    });
  };

  /**
   * Publishes the new set, and an empty list for every file that had diagnostics and has none now. The client keeps a
   * file's diagnostics until they are replaced, so a file that is not open and whose list did not change is not sent
   * again (a keystroke in one file of a large tree re-sends that file, not hundreds; issue 21). Open documents always
   * get their list, so an editor sees each run answer.
   */
  const publish = (state: RootState, next: Map<string, Published[]>) => {
    const open = new Set(documents.keys());
    for (const [uri, list] of next) {
      const json = JSON.stringify(list.map((p) => p.diagnostic));
      if (!open.has(uri) && state.sent.get(uri) === json) continue;
      state.sent.set(uri, json);
      send(uri, list);
    }
    for (const uri of state.published.keys()) {
      if (next.has(uri)) continue;
      state.sent.delete(uri);
      send(uri, []);
    }
    state.published = next;
  };

  const reportError = (state: RootState, root: string, message: string, detail?: string) => {
    if (detail) connection.console.error(`connlint: ${root}: ${detail}`);
    if (state.lastError === message || stopped) return;
    state.lastError = message;
    connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: `connlint: ${message}` }).catch(() => {});
  };

  const runOnce = async (root: string, state: RootState) => {
    const overlays = new Map<string, string>();
    const openUris = new Map<string, string>();
    const versions = new Map<string, number>();
    for (const doc of documents.all()) {
      const path = uriToPath(doc.uri);
      if (path === undefined || roots.rootOf(path) !== root) continue;
      overlays.set(path, doc.getText());
      openUris.set(path, doc.uri);
      versions.set(doc.uri, doc.version);
    }
    const uriOf = (abs: string) => openUris.get(abs) ?? defaultUri(abs);
    // Without the client's reports of changes on disk, each run reads the disk again (issue 21: with them, a keystroke
    // re-lints without walking the tree).
    if (!watching) state.cache.forgetDisk();
    try {
      const run = await lint({ cwd: root, paths: [], cache: state.cache, overlays });
      if (stopped) return;
      const rules = new Map<string, RuleMeta>(run.result.rules.map((r) => [r.id, r]));
      state.versions = versions;
      state.lastError = undefined;
      publish(state, groupFindings(run.result.findings, { root, relatedInformation, rules, uriOf }));
      connection.console.log(
        `linted ${root}: ${run.result.findings.length} findings in ${run.result.files.length} files (parsed ${state.cache.stats.parsed}, reused ${state.cache.stats.reused})`,
      );
    } catch (error) {
      if (stopped) return;
      if (error instanceof InvalidConfigError) {
        // The findings of the other files stay as they were: nothing can be linted until the config is valid again.
        const next = new Map(state.published);
        for (const [uri, diagnostics] of configErrorDiagnostics(root, error.path, error.errors, uriOf)) {
          next.set(
            uri,
            diagnostics.map((diagnostic) => ({ diagnostic })),
          );
        }
        // The versions stay those of the run that computed the fixes still published.
        state.lastError = undefined;
        publish(state, next);
      } else if (error instanceof UsageError) {
        reportError(state, root, [error.message, ...error.details].join('; '), error.message);
      } else {
        const text = error instanceof Error ? error.message : String(error);
        reportError(state, root, `internal error: ${text}`, error instanceof Error ? (error.stack ?? text) : text);
      }
    }
  };

  /** One run at a time per root; a request during a run makes one more run after it, with the newest texts. */
  const lintRoot = async (root: string) => {
    const state = stateOf(root);
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    try {
      do {
        state.again = false;
        await runOnce(root, state);
      } while (state.again && !stopped);
    } finally {
      state.running = false;
    }
  };

  const schedule = (root: string, delay: number) => {
    if (stopped) return;
    debouncer.schedule(root, delay, () => {
      lintRoot(root).catch((error: unknown) => connection.console.error(`connlint: ${String(error)}`));
    });
  };

  const scheduleFor = (uri: string, delay: number) => {
    const path = uriToPath(uri);
    if (path !== undefined) schedule(roots.rootOf(path), delay);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
    if (folders.length === 0) {
      const single = params.rootUri ? uriToPath(params.rootUri) : (params.rootPath ?? undefined);
      if (single) folders.push(single);
    }
    roots.setFolders(folders);
    const caps = params.capabilities;
    relatedInformation = caps.textDocument?.publishDiagnostics?.relatedInformation === true;
    watchRegistration = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    workspaceFolderEvents = caps.workspace?.workspaceFolders === true;
    const pid = reader.processId;
    if (pid !== undefined) {
      parentCheck = setInterval(() => {
        if (!processAlive(pid)) finish(shutdownReceived ? 0 : 1);
      }, PARENT_CHECK_MS);
      parentCheck.unref();
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'connlint', version: TOOL_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (watchRegistration) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) })
        .then(() => {
          watching = true;
        })
        .catch((error: unknown) => connection.console.warn(`connlint: could not watch files: ${String(error)}`));
    }
    if (workspaceFolderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const f of event.removed) {
          const path = uriToPath(f.uri);
          if (path === undefined) continue;
          roots.removeFolder(path);
          const state = states.get(path);
          if (state) {
            publish(state, new Map());
            states.delete(path);
          }
        }
        for (const f of event.added) {
          const path = uriToPath(f.uri);
          if (path !== undefined) roots.addFolder(path);
        }
        // Open documents may belong to another root now.
        for (const doc of documents.all()) scheduleFor(doc.uri, EVENT_DEBOUNCE_MS);
      });
    }
  });

  // TextDocuments fires onDidChangeContent right after onDidOpen: that one is the open, not a keystroke.
  let opening: string | undefined;
  documents.onDidOpen((e) => {
    opening = e.document.uri;
    scheduleFor(e.document.uri, EVENT_DEBOUNCE_MS);
  });
  documents.onDidChangeContent((e) => {
    const opened = opening === e.document.uri;
    opening = undefined;
    if (!opened) scheduleFor(e.document.uri, CHANGE_DEBOUNCE_MS);
  });
  /** The editor wrote or let go of a file: the next run reads it from the disk again. */
  const forgetOnDisk = (uri: string) => {
    const path = uriToPath(uri);
    if (path !== undefined) states.get(roots.rootOf(path))?.cache.changed(path);
  };
  documents.onDidSave((e) => {
    forgetOnDisk(e.document.uri);
    scheduleFor(e.document.uri, EVENT_DEBOUNCE_MS);
  });
  documents.onDidClose((e) => {
    forgetOnDisk(e.document.uri);
    scheduleFor(e.document.uri, EVENT_DEBOUNCE_MS);
  });

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      const path = uriToPath(change.uri);
      if (path === undefined) continue;
      const root = roots.rootOf(path);
      states.get(root)?.cache.changed(path);
      // A root nothing was linted in yet (no document of it open) waits for its first document.
      if (states.has(root) || roots.workspaceFolders.includes(root)) schedule(root, EVENT_DEBOUNCE_MS);
    }
  });

  connection.onCodeAction((params): CodeAction[] => {
    const only = params.context.only;
    if (only && !only.some((k) => CodeActionKind.QuickFix === k || CodeActionKind.QuickFix.startsWith(`${k}.`))) return [];
    const path = uriToPath(params.textDocument.uri);
    if (path === undefined) return [];
    const root = roots.rootOf(path);
    const state = states.get(root);
    const entries = state?.published.get(params.textDocument.uri) ?? [];
    const actions: CodeAction[] = [];
    for (const entry of entries) {
      const fix: Fix | undefined = entry.fix;
      if (!fix || !rangesTouch(entry.diagnostic.range, params.range)) continue;
      const action = fixToCodeAction(fix, entry.diagnostic, {
        root,
        uriOf: (abs) => documents.all().find((d) => uriToPath(d.uri) === abs)?.uri ?? defaultUri(abs),
      });
      // An edit computed on an older text of an open document would land in the wrong place: wait for the next run.
      const target = Object.keys(action.edit?.changes ?? {})[0];
      const open = target ? documents.get(target) : undefined;
      if (open && state?.versions.get(open.uri) !== open.version) continue;
      actions.push(action);
    }
    return actions;
  });

  connection.onShutdown(() => {
    shutdownReceived = true;
    stopped = true;
    debouncer.clear();
  });
  // Replaces the library's exit handler, which would call process.exit: the caller gets the code and returns.
  connection.onNotification(ExitNotification.type, () => finish(shutdownReceived ? 0 : 1));
  reader.onClose(() => finish(shutdownReceived ? 0 : 1));

  documents.listen(connection);
  connection.listen();
  return exited;
}
