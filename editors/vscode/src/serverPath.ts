// Finds the `copydesk` server binary: the `copydesk.path` setting, the bundled `bin/`, else PATH.
import * as fs from "node:fs";
import * as path from "node:path";

/** The installation guide, shipped inside the VSIX (and in the repository as docs/editors.md). */
export const INSTALL_DOCS = path.join("docs", "editors.md");
const SEE_DOCS = "See “Installing the server” in docs/editors.md.";

export type ServerLocation =
  | { kind: "found"; command: string; source: "setting" | "bundled" | "path" }
  | { kind: "missing"; message: string };

/** The filesystem and environment the lookup may consult; injected so tests need no real files. */
export interface LookupEnv {
  isExecutable(file: string): boolean;
  pathVariable: string | undefined;
  platform: NodeJS.Platform;
}

export const realLookupEnv: LookupEnv = {
  isExecutable(file: string): boolean {
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) {
        return false;
      }
      fs.accessSync(file, process.platform === "win32" ? fs.constants.F_OK : fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  pathVariable: process.env.PATH,
  platform: process.platform,
};

function binaryName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "copydesk.exe" : "copydesk";
}

/** Expands a leading `~` the way a user typing a path in settings expects. */
function expandHome(p: string): string {
  const home = process.env.HOME ?? process.env.USERPROFILE;
  if (home && (p === "~" || p.startsWith("~/"))) {
    return path.join(home, p.slice(1));
  }
  return p;
}

/**
 * Resolves the server binary. A configured path that does not exist is an error of its own:
 * silently falling back to another binary would hide a typo in the user's settings.
 */
export function findServer(configuredPath: string | null | undefined, extensionDir: string, env: LookupEnv = realLookupEnv): ServerLocation {
  const name = binaryName(env.platform);
  const configured = configuredPath?.trim();
  if (configured) {
    const candidate = expandHome(configured);
    if (env.isExecutable(candidate)) {
      return { kind: "found", command: candidate, source: "setting" };
    }
    return {
      kind: "missing",
      message: `Copydesk: the server binary set in "copydesk.path" (${configured}) does not exist or is not executable. ${SEE_DOCS}`,
    };
  }
  const bundled = path.join(extensionDir, "bin", name);
  if (env.isExecutable(bundled)) {
    return { kind: "found", command: bundled, source: "bundled" };
  }
  const separator = env.platform === "win32" ? ";" : ":";
  for (const dir of (env.pathVariable ?? "").split(separator)) {
    if (!dir) {
      continue;
    }
    const candidate = path.join(dir, name);
    if (env.isExecutable(candidate)) {
      return { kind: "found", command: candidate, source: "path" };
    }
  }
  return {
    kind: "missing",
    message: `Copydesk: no server binary found: none is bundled with this extension and "${name}" is not on PATH. Install it or set "copydesk.path". ${SEE_DOCS}`,
  };
}
