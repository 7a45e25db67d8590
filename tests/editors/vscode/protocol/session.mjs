// A real Copydesk server driven through vscode-jsonrpc/vscode-languageserver-protocol, the
// libraries inside VS Code's client, with the capabilities VS Code offers (utf-16 positions).
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "..", "..", "..", "..");
// The protocol libraries come from the extension's own dependencies: the versions it ships with.
const requireFromExtension = createRequire(path.join(repoRoot, "editors", "vscode", "package.json"));
const jsonrpc = requireFromExtension("vscode-jsonrpc/node");
const protocol = requireFromExtension("vscode-languageserver-protocol");
export { protocol };

/** Every wait in these tests is bounded so a hung server fails instead of hanging CI. */
export const WAIT_MS = 15000;

export function serverBinary() {
  const binary = process.env.COPYDESK_BIN ?? path.join(repoRoot, "target", "debug", "copydesk");
  return binary;
}

export function fixture(name) {
  const file = path.join(repoRoot, "tests", "editors", "fixtures", name);
  return { file, uri: pathToFileURL(file).href, text: readFileSync(file, "utf8") };
}

/** The LSP position (utf-16 code units: JavaScript's own string units) of a byte-free offset. */
export function positionAt(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}

/** The range of the `occurrence`-th (0-based) appearance of `needle` in `text`. */
export function rangeOf(text, needle, occurrence = 0) {
  let index = -1;
  for (let i = 0; i <= occurrence; i += 1) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) {
      throw new Error(`fixture has no occurrence ${occurrence} of ${JSON.stringify(needle)}`);
    }
  }
  return { start: positionAt(text, index), end: positionAt(text, index + needle.length) };
}

function withTimeout(promise, what, ms = WAIT_MS) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Starts the server, runs `initialize`/`initialized` and returns a handle on the session. */
export async function startSession({ settings = {}, encodings = ["utf-16"] } = {}) {
  const child = spawn(serverBinary(), ["serve", "--stdio"], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, COPYDESK_LOG: "warn" } });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const reader = new jsonrpc.StreamMessageReader(child.stdout);
  const connection = jsonrpc.createMessageConnection(reader, new jsonrpc.StreamMessageWriter(child.stdin));

  const diagnostics = new Map();
  const diagnosticWaiters = [];
  const configurationRequests = [];
  const session = { child, connection, diagnostics, configurationRequests, settings, stderr: () => stderr };

  connection.onNotification(protocol.PublishDiagnosticsNotification.type, (params) => {
    diagnostics.set(params.uri, params);
    for (const waiter of [...diagnosticWaiters]) {
      if (waiter.uri === params.uri && waiter.accept(params)) {
        diagnosticWaiters.splice(diagnosticWaiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    }
  });
  connection.onRequest(protocol.ConfigurationRequest.type, (params) => {
    configurationRequests.push(params);
    return params.items.map((item) => (item.section === "copydesk" || item.section === undefined ? session.settings : null));
  });
  connection.onRequest(protocol.RegistrationRequest.type, () => null);
  connection.onRequest(protocol.UnregistrationRequest.type, () => null);
  connection.onRequest(protocol.WorkDoneProgressCreateRequest.type, () => null);
  connection.onRequest(protocol.ApplyWorkspaceEditRequest.type, () => ({ applied: false }));
  connection.onRequest(protocol.InlayHintRefreshRequest.type, () => null);
  connection.onRequest(protocol.SemanticTokensRefreshRequest.type, () => null);
  connection.onRequest(protocol.DiagnosticRefreshRequest.type, () => null);
  connection.onNotification(protocol.LogMessageNotification.type, () => {});
  connection.onNotification(protocol.ShowMessageNotification.type, () => {});
  connection.listen();

  const result = await withTimeout(
    connection.sendRequest(protocol.InitializeRequest.type, {
      processId: process.pid,
      clientInfo: { name: "copydesk-protocol-test", version: "1" },
      rootUri: null,
      workspaceFolders: null,
      initializationOptions: settings,
      capabilities: {
        general: { positionEncodings: encodings },
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: {
          synchronization: { dynamicRegistration: true, didSave: true },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          hover: { contentFormat: ["markdown", "plaintext"] },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          rename: { prepareSupport: true },
          inlayHint: {},
        },
      },
    }),
    "the initialize response",
  );
  session.capabilities = result.capabilities;
  session.serverInfo = result.serverInfo;
  await connection.sendNotification(protocol.InitializedNotification.type, {});

  session.request = (type, params, what = type.method) => withTimeout(connection.sendRequest(type, params), what);
  session.open = (doc, languageId = "plaintext", version = 1) =>
    connection.sendNotification(protocol.DidOpenTextDocumentNotification.type, { textDocument: { uri: doc.uri, languageId, version, text: doc.text } });
  /** Resolves with the first publishDiagnostics for `uri` that `accept` takes (default: any). */
  session.waitForDiagnostics = (uri, accept = () => true, what = `diagnostics for ${uri}`) => {
    const known = diagnostics.get(uri);
    if (known && accept(known)) {
      return Promise.resolve(known);
    }
    return withTimeout(new Promise((resolve) => diagnosticWaiters.push({ uri, accept, resolve })), what);
  };
  session.shutdown = async () => {
    await withTimeout(connection.sendRequest(protocol.ShutdownRequest.type), "the shutdown response");
    await connection.sendNotification(protocol.ExitNotification.type);
    const status = await withTimeout(exited, "the server to exit");
    connection.dispose();
    return status;
  };
  session.kill = () => {
    // A server killed between a frame's header and its body leaves the reader holding a partial
    // message, and vscode-jsonrpc's partial-message timer re-arms itself every 10 s for as long as
    // it does (dispose does not stop it): the test process would never exit. Timeout 0 ends it.
    reader.partialMessageTimeout = 0;
    connection.dispose();
    child.kill("SIGKILL");
  };
  /** Ends the session the way an editor does (shutdown, exit); kills a server that does not comply. */
  session.close = async () => {
    try {
      await session.shutdown();
    } catch (err) {
      session.kill();
      throw err;
    }
  };
  return session;
}

/** Reports a spec skipped because the server does not advertise what it needs, and says why. */
export function skipUnlessAdvertised(t, session, capability) {
  const value = session.capabilities?.[capability];
  if (value === undefined || value === null || value === false) {
    const reason = `the server does not advertise ${capability} yet`;
    console.log(`# SKIPPED ${t.name}: ${reason}`);
    t.skip(reason);
    return true;
  }
  return false;
}

/**
 * What the analysis core finds in a fixture, through `copydesk check --format json`: the
 * quotations and entities that the editor features present. No capability announces them, so a
 * spec needing them skips (saying so) while the core finds none, e.g. before it has landed.
 */
export function analysisOf(name) {
  const out = execFileSync(serverBinary(), ["check", "--format", "json", "--fail-on", "never", fixture(name).file], { encoding: "utf8" });
  const report = JSON.parse(out.trim().split("\n")[0]);
  return { quotes: report.quotes?.length ?? 0, entities: report.entities?.length ?? 0 };
}

/** Skips (printing why) unless the analysis found `what` ("quotes" or "entities") in the fixture. */
export function skipUnlessAnalysed(t, analysis, what) {
  if (analysis[what] > 0) {
    return false;
  }
  const reason = `copydesk check finds no ${what} in the fixture: that analysis has not landed in this build`;
  console.log(`# SKIPPED ${t.name}: ${reason}`);
  t.skip(reason);
  return true;
}
