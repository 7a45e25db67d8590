// The VSIX scripts/package-vscode made: the server binary inside, executable, and the bundle.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");

const vsix = process.env.COPYDESK_VSIX;

/** name -> unix mode of every entry, read with Python's zipfile (always present on our machines). */
function entries(file) {
  const script = "import sys, zipfile, json; print(json.dumps({i.filename: i.external_attr >> 16 for i in zipfile.ZipFile(sys.argv[1]).infolist()}))";
  return JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" }));
}

test("the VSIX holds the executable server, the bundled client, the manifest and the guide", (t) => {
  if (!vsix) {
    console.log(`# SKIPPED ${t.name}: COPYDESK_VSIX is not set (tests/editors/run-vscode sets it)`);
    t.skip("COPYDESK_VSIX not set");
    return;
  }
  const files = entries(vsix);
  for (const name of ["extension/package.json", "extension/dist/extension.js", "extension/bin/copydesk", "extension/docs/editors.md", "extension.vsixmanifest"]) {
    assert.ok(name in files, `${name} missing from ${Object.keys(files).join(", ")}`);
  }
  assert.equal(files["extension/bin/copydesk"] & 0o111, 0o111, "bin/copydesk is not executable");
  // Only what .vscodeignore lets through: no sources, no node_modules.
  assert.deepEqual(Object.keys(files).filter((f) => /node_modules|\/src\/|\.ts$/.test(f)), []);
  const manifest = execFileSync("python3", ["-c", "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('extension.vsixmanifest').decode())", vsix], { encoding: "utf8" });
  assert.match(manifest, /TargetPlatform="linux-x64"/);
});
