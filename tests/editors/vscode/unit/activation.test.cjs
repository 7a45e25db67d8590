// Activation, server lookup, commands and settings of the extension, against a stubbed `vscode`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { createHost, loadExtension, createContext, lookupEnv } = require("./harness.cjs");

const EXT = "/ext/copydesk-0.1.0";
const BUNDLED = path.join(EXT, "bin", "copydesk");

async function activateWith({ settings, userSet, files = [BUNDLED], pathVariable = "/usr/local/bin:/usr/bin" } = {}) {
  const host = createHost({ settings, userSet });
  const extension = loadExtension(host);
  extension.setLookupEnvForTests(lookupEnv(files, pathVariable));
  const context = createContext(EXT);
  const api = await extension.activate(context);
  return { host, extension, context, api };
}

test("activation starts the bundled server over stdio for plain text and Markdown", async () => {
  const { host, context } = await activateWith();
  assert.equal(host.clients.length, 1);
  const client = host.clients[0];
  assert.equal(client.id, "copydesk");
  assert.equal(client.name, "Copydesk");
  assert.equal(client.started, 1);
  assert.deepEqual(client.serverOptions.run, {
    command: BUNDLED,
    args: ["serve"],
    transport: 0,
    options: { env: process.env },
  });
  assert.deepEqual(client.serverOptions.debug, client.serverOptions.run);
  assert.deepEqual(client.clientOptions.documentSelector, [
    { scheme: "file", language: "plaintext" },
    { scheme: "untitled", language: "plaintext" },
    { scheme: "file", language: "markdown" },
    { scheme: "untitled", language: "markdown" },
  ]);
  assert.equal(client.clientOptions.synchronize, undefined, "the whole section would leak client-only keys");
  assert.deepEqual(client.clientOptions.initializationOptions, {});
  assert.equal(host.outputName, "Copydesk");
  assert.deepEqual(host.outputOptions, { log: true });
  assert.equal(client.clientOptions.outputChannel, client.clientOptions.traceOutputChannel);
  assert.deepEqual([...host.commands.keys()].sort(), ["copydesk.restartServer", "copydesk.showOutput"]);
  // Output channel, two commands, the configuration listener: all disposed with the extension.
  assert.equal(context.subscriptions.length, 4);
  assert.deepEqual(host.errors, []);
  assert.equal(host.configSection, "copydesk");
});

test("copydesk.path overrides the bundled binary, with ~ expanded", async () => {
  const home = process.env.HOME;
  const { host } = await activateWith({
    settings: { path: "~/bin/copydesk" },
    files: [BUNDLED, path.join(home, "bin", "copydesk")],
  });
  assert.equal(host.clients[0].serverOptions.run.command, path.join(home, "bin", "copydesk"));
  assert.match(host.outputLines.join("\n"), /\(setting\)/);
});

test("a copydesk.path that does not exist is an error, not a silent fallback", async () => {
  const { host } = await activateWith({ settings: { path: "/opt/nowhere/copydesk" } });
  assert.equal(host.clients.length, 0);
  assert.equal(host.errors.length, 1);
  assert.match(host.errors[0].message, /"copydesk\.path" \(\/opt\/nowhere\/copydesk\) does not exist or is not executable/);
  assert.match(host.errors[0].message, /See “Installing the server” in docs\/editors\.md\./);
});

test("without a bundled binary the server is found on PATH", async () => {
  const { host } = await activateWith({ files: ["/usr/bin/copydesk"], pathVariable: "/usr/local/bin::/usr/bin" });
  assert.equal(host.clients[0].serverOptions.run.command, "/usr/bin/copydesk");
});

test("no binary anywhere: a clear error whose button opens the bundled installation guide", async () => {
  const host = createHost();
  host.errorChoice = "Open installation guide";
  const extension = loadExtension(host);
  extension.setLookupEnvForTests(lookupEnv([], "/usr/bin"));
  const extensionDir = fs.mkdtempSync(path.join(os.tmpdir(), "copydesk-ext-"));
  fs.mkdirSync(path.join(extensionDir, "docs"));
  fs.writeFileSync(path.join(extensionDir, "docs", "editors.md"), "# Copydesk in your editor\n");
  await extension.activate(createContext(extensionDir));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(host.clients.length, 0);
  assert.equal(host.errors.length, 1);
  assert.match(host.errors[0].message, /none is bundled with this extension and "copydesk" is not on PATH/);
  assert.deepEqual(host.errors[0].items, ["Open installation guide"]);
  assert.match(host.errors[0].message, /See “Installing the server” in docs\/editors\.md\./);
  assert.deepEqual(host.executed, [{ id: "markdown.showPreview", args: [`file://${path.join(extensionDir, "docs", "editors.md")}`] }]);
  fs.rmSync(extensionDir, { recursive: true });
});

test("without a bundled guide the error button shows the output channel", async () => {
  const host = createHost();
  host.errorChoice = "Open installation guide";
  const extension = loadExtension(host);
  extension.setLookupEnvForTests(lookupEnv([], "/usr/bin"));
  await extension.activate(createContext(EXT));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(host.executed, []);
  assert.equal(host.outputShown, 1);
  // The commands still exist, so the user can fix settings and restart.
  assert.ok(host.commands.has("copydesk.restartServer"));
});

const SETTINGS = {
  path: "/opt/copydesk/bin/copydesk",
  documentSelector: ["plaintext", "markdown"],
  "trace.server": "verbose",
  rules: { "first-reference": "off" },
  "quote-style": "auto",
  "min-quote-words": 6,
  "speech-verbs": ["quipped"],
  people: [{ name: "Ines Valderrama", aliases: ["Valderrama"] }],
  organizations: [],
};
const USER_SET = ["path", "trace.server", "rules", "min-quote-words", "speech-verbs", "people"];
const SERVER_SIDE = {
  rules: { "first-reference": "off" },
  "min-quote-words": 6,
  "speech-verbs": ["quipped"],
  people: [{ name: "Ines Valderrama", aliases: ["Valderrama"] }],
};

test("only server keys the user set reach the server as initialization options", async () => {
  const { host } = await activateWith({ settings: SETTINGS, userSet: USER_SET, files: [BUNDLED, SETTINGS.path] });
  assert.deepEqual(host.clients[0].clientOptions.initializationOptions, SERVER_SIDE);
});

test("workspace/configuration for the copydesk section is answered with server keys only", async () => {
  const { host } = await activateWith({ settings: SETTINGS, userSet: USER_SET, files: [BUNDLED, SETTINGS.path] });
  const { configuration } = host.clients[0].clientOptions.middleware.workspace;
  const params = { items: [{ section: "copydesk", scopeUri: "file:///news/harbour.txt" }, { section: "editor" }] };
  const next = async (p) => p.items.map((item) => ({ answeredByVscodeFor: item.section }));
  const answers = await configuration(params, {}, next);
  assert.deepEqual(answers, [SERVER_SIDE, { answeredByVscodeFor: "editor" }]);
  assert.equal(host.configScope.toString(), "file:///news/harbour.txt");
});

test("a changed server setting is sent as workspace/didChangeConfiguration without a restart", async () => {
  const { host } = await activateWith({ settings: SETTINGS, userSet: USER_SET, files: [BUNDLED, SETTINGS.path] });
  host.configListeners[0]({ affectsConfiguration: (key) => key === "copydesk" || key === "copydesk.rules" });
  assert.equal(host.clients.length, 1);
  assert.deepEqual(host.clients[0].notifications, [{ method: "workspace/didChangeConfiguration", params: { settings: { copydesk: SERVER_SIDE } } }]);
});

test("a custom document selector replaces the default languages", async () => {
  const { host } = await activateWith({ settings: { documentSelector: ["markdown"] } });
  assert.deepEqual(host.clients[0].clientOptions.documentSelector, [
    { scheme: "file", language: "markdown" },
    { scheme: "untitled", language: "markdown" },
  ]);
});

test("the restart command stops the running client and starts a new one", async () => {
  const { host } = await activateWith();
  await host.commands.get("copydesk.restartServer")();
  assert.equal(host.clients.length, 2);
  assert.equal(host.clients[0].stopped, 1);
  assert.equal(host.clients[1].started, 1);
  assert.match(host.outputLines.join("\n"), /Restarting the Copydesk server/);
});

test("the show-output command reveals the output channel", async () => {
  const { host } = await activateWith();
  await host.commands.get("copydesk.showOutput")();
  assert.equal(host.outputShown, 1);
});

test("changing copydesk.path restarts the server; other settings do not", async () => {
  const { host } = await activateWith();
  const [listener] = host.configListeners;
  listener({ affectsConfiguration: (key) => key === "copydesk.min-quote-words" || key === "copydesk" });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(host.clients.length, 1);
  listener({ affectsConfiguration: (key) => key === "copydesk.path" || key === "copydesk" });
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(host.clients.length, 2);
  assert.equal(host.clients[0].stopped, 1);
});

test("deactivate stops the client", async () => {
  const { host, extension, api } = await activateWith();
  assert.equal(api.client(), host.clients[0]);
  await extension.deactivate();
  assert.equal(host.clients[0].stopped, 1);
  assert.equal(api.client(), undefined);
});

