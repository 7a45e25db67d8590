// Protocol specs: the real server, spoken to the way VS Code's client speaks (utf-16 positions).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { analysisOf, fixture, protocol, rangeOf, skipUnlessAdvertised, skipUnlessAnalysed, startSession } from "./session.mjs";

const article = fixture("harbour-vote.txt");
const analysis = analysisOf("harbour-vote.txt");
const UNATTRIBUTED = "“The ferry operators have waited long enough, and the money will not wait forever.”";

const byCode = (diagnostics, code) => diagnostics.filter((d) => d.code === code);

describe("copydesk serve, as VS Code's client sees it", () => {
  let session;
  before(async () => {
    session = await startSession();
    await session.open(article);
  });
  after(() => session?.close());

  test("negotiates utf-16 and incremental sync for a client that offers only utf-16", () => {
    assert.equal(session.capabilities.positionEncoding ?? "utf-16", "utf-16");
    const sync = session.capabilities.textDocumentSync;
    assert.equal(typeof sync === "number" ? sync : sync?.change, protocol.TextDocumentSyncKind.Incremental);
  });

  test("publishes exactly one unattributed-quote warning, on the quotation with no speaker", async (t) => {
    if (skipUnlessAnalysed(t, analysis, "quotes")) return;
    const published = await session.waitForDiagnostics(article.uri, (p) => byCode(p.diagnostics, "unattributed-quote").length > 0, "an unattributed-quote diagnostic");
    assert.equal(published.version, 1);
    const found = byCode(published.diagnostics, "unattributed-quote");
    assert.equal(found.length, 1, JSON.stringify(published.diagnostics, null, 1));
    const [diagnostic] = found;
    assert.deepEqual(diagnostic.range, rangeOf(article.text, UNATTRIBUTED));
    assert.equal(diagnostic.severity, protocol.DiagnosticSeverity.Warning);
    assert.match(diagnostic.codeDescription?.href ?? "", /docs\/rules\.md#unattributed-quote$/);
    assert.equal(diagnostic.source, "copydesk");
    assert.ok(diagnostic.message.length > 10, diagnostic.message);
    // Every code is one of the documented rules; the fixture's quote marks are balanced.
    const rules = ["unattributed-quote", "unbalanced-quote", "markup-residue", "unresolved-pronoun-speaker", "first-reference", "name-variant"];
    for (const d of published.diagnostics) {
      assert.ok(rules.includes(d.code), `unknown code ${d.code}`);
      assert.notEqual(d.code, "unbalanced-quote", d.message);
    }
  });

  test("an incremental edit above the quotation moves its diagnostic with the text", async (t) => {
    if (skipUnlessAnalysed(t, analysis, "quotes")) return;
    const anchor = rangeOf(article.text, "The terminal would cost");
    const inserted = "Ferry traffic has doubled since 2019 👍 (渡船).\n\n";
    await session.connection.sendNotification(protocol.DidChangeTextDocumentNotification.type, {
      textDocument: { uri: article.uri, version: 2 },
      contentChanges: [{ range: { start: anchor.start, end: anchor.start }, text: inserted }],
    });
    const edited = article.text.replace("The terminal would cost", inserted + "The terminal would cost");
    const published = await session.waitForDiagnostics(article.uri, (p) => p.version === 2, "diagnostics for version 2");
    const found = byCode(published.diagnostics, "unattributed-quote");
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].range, rangeOf(edited, UNATTRIBUTED));
    // Undo, so the later specs see the fixture as written.
    const end = rangeOf(edited, inserted);
    await session.connection.sendNotification(protocol.DidChangeTextDocumentNotification.type, {
      textDocument: { uri: article.uri, version: 3 },
      contentChanges: [{ range: end, text: "" }],
    });
    await session.waitForDiagnostics(article.uri, (p) => p.version === 3, "diagnostics for version 3");
  });

  test("hover on a surname shows the person's card", async (t) => {
    if (skipUnlessAdvertised(t, session, "hoverProvider") || skipUnlessAnalysed(t, analysis, "entities")) return;
    const mention = rangeOf(article.text, "Valderrama said her group");
    const hover = await session.request(protocol.HoverRequest.type, { textDocument: { uri: article.uri }, position: { line: mention.start.line, character: mention.start.character + 3 } });
    assert.ok(hover, "hover returned null on a person's name");
    const markdown = typeof hover.contents === "string" ? hover.contents : hover.contents.value;
    assert.match(markdown, /Ines Valderrama/);
    assert.match(markdown, /We were promised a beach/);
    assert.deepEqual(hover.range, rangeOf(article.text, "Valderrama", 1));
  });

  test("the outline lists both speakers under Sources with their quotations", async (t) => {
    if (skipUnlessAdvertised(t, session, "documentSymbolProvider") || skipUnlessAnalysed(t, analysis, "quotes")) return;
    const symbols = await session.request(protocol.DocumentSymbolRequest.type, { textDocument: { uri: article.uri } });
    const all = [];
    const walk = (list) => list.forEach((s) => (all.push(s), walk(s.children ?? [])));
    walk(symbols);
    const sources = all.find((s) => s.name === "Sources");
    assert.ok(sources, `no Sources symbol in ${JSON.stringify(all.map((s) => s.name))}`);
    const speakers = (sources.children ?? []).map((s) => s.name);
    assert.ok(speakers.includes("Ines Valderrama"), speakers.join(", "));
    assert.ok(speakers.includes("Tobias Lindqvist"), speakers.join(", "));
    const valderrama = sources.children.find((s) => s.name === "Ines Valderrama");
    assert.equal(valderrama.children.length, 1);
    assert.match(valderrama.children[0].name, /We were promised/);
    const quote = rangeOf(article.text, "“We were promised a beach for our children, not a car park for day-trippers,”");
    assert.equal(valderrama.children[0].selectionRange.start.line, quote.start.line);
  });

  test("an inlay hint names the speaker of the pronoun-attributed quotation", async (t) => {
    if (skipUnlessAdvertised(t, session, "inlayHintProvider") || skipUnlessAnalysed(t, analysis, "quotes")) return;
    const lines = article.text.split("\n").length;
    const hints = await session.request(protocol.InlayHintRequest.type, {
      textDocument: { uri: article.uri },
      range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } },
    });
    const label = (h) => (typeof h.label === "string" ? h.label : h.label.map((p) => p.value).join(""));
    const pronoun = rangeOf(article.text, "he said.");
    const onLine = (hints ?? []).filter((h) => h.position.line === pronoun.start.line);
    assert.ok(onLine.some((h) => /Lindqvist/.test(label(h))), JSON.stringify(hints));
  });

  test("rename of a person, as VS Code does it, rewrites every mention and keeps the possessive", async (t) => {
    if (skipUnlessAdvertised(t, session, "renameProvider") || skipUnlessAnalysed(t, analysis, "entities")) return;
    // VS Code asks prepareRename for the range and the text to put in the rename box, and the
    // user edits that text: here, one letter of the surname in the full first mention.
    const at = rangeOf(article.text, "Tobias Lindqvist");
    const prepared = await session.request(protocol.PrepareRenameRequest.type, { textDocument: { uri: article.uri }, position: at.start });
    assert.deepEqual(prepared, { range: at, placeholder: "Tobias Lindqvist" });
    const edit = await session.request(protocol.RenameRequest.type, { textDocument: { uri: article.uri }, position: at.start, newName: "Tobias Lindquist" });
    const edits = edit.changes?.[article.uri] ?? edit.documentChanges?.flatMap((c) => c.edits ?? []) ?? [];
    const offset = (pos) => article.text.split("\n").slice(0, pos.line).reduce((n, l) => n + l.length + 1, 0) + pos.character;
    let text = article.text;
    for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
      text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
    }
    assert.equal(text, article.text.replaceAll("Lindqvist", "Lindquist"));
  });

  test("prepareRename refuses a word that is not an entity", async (t) => {
    if (skipUnlessAdvertised(t, session, "renameProvider")) return;
    if (!session.capabilities.renameProvider?.prepareProvider) {
      console.log(`# SKIPPED ${t.name}: the server does not advertise renameProvider.prepareProvider`);
      t.skip("no prepareProvider");
      return;
    }
    const at = rangeOf(article.text, "terminal would cost").start;
    const result = await session.request(protocol.PrepareRenameRequest.type, { textDocument: { uri: article.uri }, position: at }).catch((error) => ({ error }));
    assert.ok(result === null || result.error, JSON.stringify(result));
  });

  test("a settings change (as the extension sends it) re-grades the diagnostics", async (t) => {
    if (skipUnlessAnalysed(t, analysis, "quotes")) return;
    session.settings = { rules: { "unattributed-quote": "error" } };
    const before = session.configurationRequests.length;
    await session.connection.sendNotification(protocol.DidChangeConfigurationNotification.type, { settings: { copydesk: session.settings } });
    const raised = await session.waitForDiagnostics(
      article.uri,
      (p) => byCode(p.diagnostics, "unattributed-quote").some((d) => d.severity === protocol.DiagnosticSeverity.Error),
      "unattributed-quote as an error",
    );
    assert.equal(byCode(raised.diagnostics, "unattributed-quote").length, 1);
    const pulled = session.configurationRequests.slice(before).some((r) => r.items.some((i) => i.section === "copydesk"));
    console.log(`# settings applied ${pulled ? "after a workspace/configuration request" : "from the didChangeConfiguration payload"}`);
  });
});

test("shutdown then exit ends the server with status 0", async () => {
  const session = await startSession();
  const status = await session.shutdown();
  assert.deepEqual(status, { code: 0, signal: null });
});
