// The server-side settings: the `copydesk.*` keys the server reads, as the server expects them.
// The client-only keys (path, trace, document selector) never reach the server.

/** The keys that mirror the server's configuration (docs/configuration.md). */
export const SERVER_KEYS = ["quote-style", "min-quote-words", "speech-verbs", "rules", "people", "organizations"] as const;

/** Keys whose change needs a new server process rather than a configuration notification. */
export const RESTART_KEYS = ["copydesk.path", "copydesk.documentSelector"] as const;

export interface ConfigurationReader {
  get<T>(section: string): T | undefined;
  inspect?<T>(section: string): { defaultValue?: T; globalValue?: T; workspaceValue?: T; workspaceFolderValue?: T } | undefined;
}

/**
 * The server settings the user actually set. Defaults are left out so the server's own defaults
 * and `.copydesk.toml` decide: an unset VS Code setting must not override the project's file.
 */
export function serverSettings(config: ConfigurationReader): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of SERVER_KEYS) {
    const inspected = config.inspect?.(key);
    const explicitlySet =
      inspected === undefined ||
      inspected.globalValue !== undefined ||
      inspected.workspaceValue !== undefined ||
      inspected.workspaceFolderValue !== undefined;
    const value = config.get<unknown>(key);
    if (explicitlySet && value !== undefined && value !== null) {
      result[key] = value;
    }
  }
  return result;
}

/** The document selector from settings, defaulting to plain text and Markdown files. */
export function documentSelector(languages: readonly string[] | undefined): { scheme: string; language: string }[] {
  const ids = languages && languages.length > 0 ? languages : ["plaintext", "markdown"];
  const selector: { scheme: string; language: string }[] = [];
  for (const language of ids) {
    for (const scheme of ["file", "untitled"]) {
      selector.push({ scheme, language });
    }
  }
  return selector;
}
