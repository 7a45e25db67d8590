// The VS Code extension: starts the Copydesk language server over stdio and wires its commands.
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";
import { findServer, INSTALL_DOCS, type LookupEnv, realLookupEnv } from "./serverPath";
import { documentSelector, RESTART_KEYS, serverSettings } from "./settings";

export const CLIENT_ID = "copydesk";
export const CLIENT_NAME = "Copydesk";
const DID_CHANGE_CONFIGURATION = "workspace/didChangeConfiguration";

/** What `activate` returns: lets tests and other extensions reach the running client. */
export interface CopydeskApi {
  client(): LanguageClient | undefined;
  outputChannel: vscode.LogOutputChannel;
}

let client: LanguageClient | undefined;
let lookupEnv: LookupEnv = realLookupEnv;

/** For unit tests: replace the filesystem/PATH lookup. */
export function setLookupEnvForTests(env: LookupEnv): void {
  lookupEnv = env;
}

function createClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): LanguageClient | undefined {
  const config = vscode.workspace.getConfiguration("copydesk");
  const location = findServer(config.get<string | null>("path"), context.extensionPath, lookupEnv);
  if (location.kind === "missing") {
    outputChannel.appendLine(location.message);
    void vscode.window.showErrorMessage(location.message, "Open installation guide").then((choice) => {
      if (choice) {
        openInstallGuide(context, outputChannel);
      }
    });
    return undefined;
  }
  outputChannel.appendLine(`Starting ${location.command} (${location.source})`);
  // `transport: stdio` makes the client append `--stdio`, which the server accepts after `serve`.
  const executable = { command: location.command, args: ["serve"], transport: TransportKind.stdio, options: { env: process.env } };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(config.get<string[]>("documentSelector")),
    outputChannel,
    traceOutputChannel: outputChannel,
    initializationOptions: serverSettings(config),
    middleware: {
      workspace: {
        // The server asks for the `copydesk` section; answer with its keys only, never the
        // client's own (path, trace, document selector), which it would reject as unknown.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers;
          }
          return params.items.map((item, index) =>
            item.section === CLIENT_ID
              ? serverSettings(vscode.workspace.getConfiguration(CLIENT_ID, item.scopeUri ? vscode.Uri.parse(item.scopeUri) : null))
              : answers[index],
          );
        },
      },
    },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

/** Opens the guide bundled in the VSIX; a development checkout has none, so show the log instead. */
function openInstallGuide(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): void {
  const guide = path.join(context.extensionPath, INSTALL_DOCS);
  if (fs.existsSync(guide)) {
    void vscode.commands.executeCommand("markdown.showPreview", vscode.Uri.file(guide));
  } else {
    outputChannel.show(true);
  }
}

async function startClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): Promise<void> {
  client = createClient(context, outputChannel);
  if (!client) {
    return;
  }
  try {
    await client.start();
  } catch (error) {
    const message = `Copydesk: the server failed to start: ${error instanceof Error ? error.message : String(error)}`;
    outputChannel.appendLine(message);
    void vscode.window.showErrorMessage(message);
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch {
      // A server that already died cannot be stopped; nothing is lost.
    }
  }
}

async function restart(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): Promise<void> {
  outputChannel.appendLine("Restarting the Copydesk server");
  await stopClient();
  await startClient(context, outputChannel);
}

export async function activate(context: vscode.ExtensionContext): Promise<CopydeskApi> {
  const outputChannel = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(
    outputChannel,
    vscode.commands.registerCommand("copydesk.restartServer", () => restart(context, outputChannel)),
    vscode.commands.registerCommand("copydesk.showOutput", () => outputChannel.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (RESTART_KEYS.some((key) => event.affectsConfiguration(key))) {
        void restart(context, outputChannel);
      } else if (event.affectsConfiguration(CLIENT_ID) && client?.isRunning()) {
        // The whole server layer each time, so a setting the user removed is dropped too.
        const settings = serverSettings(vscode.workspace.getConfiguration(CLIENT_ID));
        void client.sendNotification(DID_CHANGE_CONFIGURATION, { settings: { [CLIENT_ID]: settings } });
      }
    }),
  );
  await startClient(context, outputChannel);
  return { client: () => client, outputChannel };
}

export function deactivate(): Promise<void> {
  return stopClient();
}

