// A stand-in for the `vscode` module and vscode-languageclient, so activation runs under plain node.
"use strict";
const Module = require("node:module");
const path = require("node:path");

/** Fresh fake host state for one test. */
function createHost({ settings = {}, userSet = Object.keys(settings) } = {}) {
  // `settings` holds the keys of the copydesk section; `userSet` those the user set explicitly.
  const host = {
    commands: new Map(),
    errors: [],
    executed: [],
    clients: [],
    configListeners: [],
    outputLines: [],
    outputShown: 0,
    errorChoice: undefined,
  };
  const configuration = {
    get(key) {
      return settings[key];
    },
    inspect(key) {
      return userSet.includes(key) ? { globalValue: settings[key] } : { defaultValue: settings[key] };
    },
  };
  host.vscode = {
    window: {
      createOutputChannel(name, options) {
        host.outputName = name;
        host.outputOptions = options;
        return {
          appendLine: (line) => host.outputLines.push(line),
          show: () => {
            host.outputShown += 1;
          },
          dispose() {},
        };
      },
      showErrorMessage(message, ...items) {
        host.errors.push({ message, items });
        return Promise.resolve(host.errorChoice);
      },
    },
    commands: {
      executeCommand(id, ...args) {
        host.executed.push({ id, args: args.map(String) });
        return Promise.resolve();
      },
      registerCommand(id, handler) {
        host.commands.set(id, handler);
        return { dispose: () => host.commands.delete(id) };
      },
    },
    workspace: {
      getConfiguration(section, scope) {
        host.configSection = section;
        host.configScope = scope;
        return configuration;
      },
      onDidChangeConfiguration(listener) {
        host.configListeners.push(listener);
        return { dispose() {} };
      },
    },
    Uri: {
      file: (value) => ({ fsPath: value, toString: () => `file://${value}` }),
      parse: (value) => ({ toString: () => value }),
    },
  };
  class FakeLanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, started: 0, stopped: 0 });
      host.clients.push(this);
    }
    start() {
      this.started += 1;
      return Promise.resolve();
    }
    stop() {
      this.stopped += 1;
      return Promise.resolve();
    }
    isRunning() {
      return this.started > this.stopped;
    }
    sendNotification(method, params) {
      this.notifications = [...(this.notifications ?? []), { method, params }];
      return Promise.resolve();
    }
  }
  host.languageclient = { LanguageClient: FakeLanguageClient, TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 } };
  return host;
}

// The extension compiled by `tsc -p tsconfig.test.json` (not the esbuild bundle, which inlines
// vscode-languageclient and so could not be stubbed).
const outDir = path.resolve(__dirname, "..", "..", "..", "..", "editors", "vscode", "out");
let currentHost;
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === "vscode") {
    return currentHost.vscode;
  }
  if (request === "vscode-languageclient/node") {
    return currentHost.languageclient;
  }
  return originalLoad.call(this, request, parent, isMain);
};

/** Loads a fresh copy of the compiled extension bound to `host`. */
function loadExtension(host) {
  currentHost = host;
  const stale = Object.keys(require.cache).filter((key) => key.startsWith(outDir));
  stale.forEach((key) => Reflect.deleteProperty(require.cache, key));
  return require(path.join(outDir, "extension.js"));
}

/** A fake ExtensionContext rooted at `extensionPath`. */
function createContext(extensionPath) {
  return { extensionPath, subscriptions: [] };
}

/** A lookup env where exactly `files` exist and are executable. */
function lookupEnv(files, pathVariable) {
  const set = new Set(files);
  return { isExecutable: (f) => set.has(f), pathVariable, platform: "linux" };
}

module.exports = { createHost, loadExtension, createContext, lookupEnv, outDir };
