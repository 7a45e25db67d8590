// Real VS Code (code-server) in headless chromium: the packaged extension on a fixture article.
// Started by tests/editors/run-vscode-e2e, which passes the environment read below.
/* global document, NodeFilter -- used only inside page.evaluate, which runs in the browser */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";

const { CODE_SERVER_URL, E2E_WORKSPACE, E2E_SCREENSHOT, COPYDESK_OFFERS } = process.env;
const { capabilities, analysis } = JSON.parse(COPYDESK_OFFERS ?? '{"capabilities": {}, "analysis": {}}');
const WAIT = 60000;
const ARTICLE = "harbour-vote.txt";
const text = readFileSync(path.join(E2E_WORKSPACE ?? ".", ARTICLE), "utf8");
const lines = text.split("\n");
/** 1-based line and column (utf-16, as VS Code shows them) of a phrase in the article. */
function lineColOf(phrase) {
  const index = lines.findIndex((line) => line.includes(phrase));
  assert.ok(index >= 0, `fixture lacks ${phrase}`);
  return { line: index + 1, column: lines[index].indexOf(phrase) + 1 };
}

function skip(t, reason) {
  console.log(`# SKIPPED ${t.name}: ${reason}`);
  t.skip(reason);
  return true;
}

/** Skips, saying why, unless the server advertises `capability` (if given) and its analysis
 * finds `what` ("quotes", "entities") in the fixture: no capability announces those. */
function skipUnlessOffered(t, capability, what) {
  if (capability && !capabilities[capability]) {
    return skip(t, `the server does not advertise ${capability} yet`);
  }
  if (!(analysis[what] > 0)) {
    return skip(t, `copydesk check finds no ${what} in the fixture: that analysis has not landed in this build`);
  }
  return false;
}

/** The centre of `word` inside the rendered editor line that contains `context`. */
async function wordCentre(page, context, word) {
  return page.evaluate(
    ([ctx, w]) => {
      for (const line of document.querySelectorAll(".monaco-editor .view-lines .view-line")) {
        if (!line.textContent.replace(/\u00a0/g, " ").includes(ctx)) continue;
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
          const at = node.data.replace(/\u00a0/g, " ").indexOf(w);
          if (at >= 0) {
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + w.length);
            const r = range.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          }
        }
      }
      return null;
    },
    [context, word],
  );
}

/** Runs a command from the palette. The palette lists commands once when it opens, and an
 * extension's contributions appear only after the remote extension host has scanned it, so an
 * early attempt is closed and retried until the deadline. */
async function runCommand(page, title) {
  const deadline = Date.now() + WAIT;
  for (;;) {
    await page.keyboard.press("F1");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: WAIT });
    await input.fill(`>${title}`);
    const row = page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first();
    try {
      await row.waitFor({ timeout: 3000 });
      await row.click();
      return;
    } catch (error) {
      await page.keyboard.press("Escape");
      if (Date.now() > deadline) {
        throw error;
      }
    }
  }
}

describe("Copydesk in VS Code (code-server)", () => {
  let browser;
  let page;

  before(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_BIN ?? "/usr/bin/chromium",
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-features=Translate,MediaRouter,OptimizationHints",
      ],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${CODE_SERVER_URL}/?folder=${encodeURIComponent(E2E_WORKSPACE)}`, { timeout: WAIT });
    await page.locator(".monaco-workbench").waitFor({ timeout: WAIT });
    // Quick Open the article.
    await page.locator(".explorer-folders-view .monaco-list-row", { hasText: ARTICLE }).first().waitFor({ timeout: WAIT });
    await page.locator(".explorer-folders-view .monaco-list-row", { hasText: ARTICLE }).first().dblclick();
    await page.locator(".monaco-editor .view-lines").first().waitFor({ timeout: WAIT });
  });

  after(async () => {
    if (page && E2E_SCREENSHOT) {
      await page.screenshot({ path: E2E_SCREENSHOT }).catch((error) => console.error(`screenshot failed: ${error.message}`));
    }
    await browser?.close();
  });

  test("the extension starts the bundled server: Copydesk: Show Output says so", async () => {
    const line = page.locator(".part.panel .monaco-editor .view-line", { hasText: "copydesk (bundled)" }).first();
    // The first attempt can race the extension host's start on a loaded machine: retry.
    const deadline = Date.now() + WAIT;
    for (;;) {
      await runCommand(page, "Copydesk: Show Output");
      try {
        await line.waitFor({ timeout: 5000 });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
    // Monaco renders spaces as no-break spaces.
    assert.match((await line.innerText()).replace(/\u00a0/g, " "), /Starting \S+\/bin\/copydesk \(bundled\)$/);
  });

  test("the unattributed quotation gets a warning squiggle on its line", async (t) => {
    if (skipUnlessOffered(t, null, "quotes")) return;
    await page.locator(".monaco-editor .squiggly-warning").first().waitFor({ state: "attached", timeout: WAIT });
    // Measure squiggles and line in one pass, and poll: inlay hints arriving re-wrap lines.
    const onQuoteLine = () =>
      page.evaluate((phrase) => {
        const line = [...document.querySelectorAll(".monaco-editor .view-line")].find((l) => l.textContent.replace(/\u00a0/g, " ").includes(phrase));
        if (!line) return { found: false };
        const box = line.getBoundingClientRect();
        const tops = [...document.querySelectorAll(".monaco-editor .squiggly-warning")].map((q) => q.getBoundingClientRect().top);
        return { found: tops.some((top) => top >= box.top - 1 && top < box.bottom), lineTop: box.top, tops };
      }, "The ferry operators have waited");
    let seen = await onQuoteLine();
    const deadline = Date.now() + WAIT;
    while (!seen.found && Date.now() < deadline) {
      await page.waitForTimeout(250);
      seen = await onQuoteLine();
    }
    assert.ok(seen.found, `no warning squiggle on the quotation's line: ${JSON.stringify(seen)}`);
  });

  test("the Problems panel lists it with its code and position", async (t) => {
    if (skipUnlessOffered(t, null, "quotes")) return;
    await runCommand(page, "View: Focus Problems");
    const row = page.locator(".markers-panel .monaco-list-row", { hasText: "unattributed-quote" }).first();
    await row.waitFor({ timeout: WAIT });
    const label = (await row.getAttribute("aria-label")) ?? (await row.innerText());
    const at = lineColOf("“The ferry operators");
    assert.match(label, new RegExp(`${at.line}\\D+${at.column}`), label);
  });

  test("the outline shows the sources", async (t) => {
    if (skipUnlessOffered(t, "documentSymbolProvider", "quotes")) return;
    await runCommand(page, "Explorer: Focus on Outline View");
    // Fold the file tree so the outline gets the sidebar's height.
    const folders = page.locator(".pane-header", { hasText: "workspace" }).first();
    if ((await folders.getAttribute("aria-expanded")) === "true") {
      await folders.click();
    }
    const outline = page.locator(".outline-pane");
    const sources = outline.locator(".monaco-list-row", { hasText: "Sources" }).first();
    await sources.waitFor({ timeout: WAIT });
    // Groups start folded (outline.collapseItems): open Sources, which lists every speaker.
    if ((await sources.getAttribute("aria-expanded")) === "false") {
      await sources.locator(".monaco-tl-twistie").click();
    }
    for (const speaker of ["Ines Valderrama", "Tobias Lindqvist"]) {
      await outline.locator(".monaco-list-row", { hasText: speaker }).first().waitFor({ timeout: WAIT });
    }
  });

  test("hovering a name shows the person's card", async (t) => {
    if (skipUnlessOffered(t, "hoverProvider", "entities")) return;
    // Her first mention: the card opens above it and leaves the flagged quotation in view.
    const at = await wordCentre(page, "said Ines Valderrama", "Valderrama");
    assert.ok(at, "the name is not rendered in the editor");
    await page.mouse.move(at.x - 40, at.y - 40);
    await page.mouse.move(at.x, at.y, { steps: 5 });
    const card = page.locator(".monaco-hover", { hasText: "Ines Valderrama" }).first();
    await card.waitFor({ state: "visible", timeout: WAIT });
    const content = await card.innerText();
    assert.match(content, /We were promised a beach/);
    // The relative clause after her name is her descriptor.
    assert.match(content, /chairs the Kestrel Point Residents’ Association/);
  });
});
