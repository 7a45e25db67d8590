// Lint rules for the extension, its tests and build scripts.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Node's globals, listed here rather than pulling in another package for them. */
const nodeGlobals = Object.fromEntries(
  ["process", "console", "require", "module", "__dirname", "__filename", "setTimeout", "clearTimeout", "setImmediate", "Buffer", "URL"].map(
    (name) => [name, "readonly"],
  ),
);

export default tseslint.config(
  { ignores: ["**/dist/", "**/out/", "**/node_modules/", "**/bin/", "**/docs/", "**/*.vsix"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ["**/*.mjs", "**/*.cjs"],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
