//! `--soak N`: N random edits through a real server in the negotiated encoding, checking that the
//! server's text (`copydesk/documentText`) equals the client's every 10,000 edits and at the end,
//! and that the edited document's diagnostics equal those of the same text opened fresh
//! (incremental == from scratch, as a client sees it). Issue 8's 10⁶-edit run.

use std::time::{Duration, Instant};

use docgen::{random_edit, range_of, Encoding, Rng};
use serde_json::{json, Value};

use crate::session::Session;

/// How long to wait for a re-publish of the same version after the last one.
const SETTLE: Duration = Duration::from_secs(3);

pub fn soak(
    command: &[String],
    offered: &[String],
    edits: usize,
    seed: u64,
) -> Result<Value, String> {
    let started = Instant::now();
    let mut server = Session::spawn(command, None)?;
    let timeout = Duration::from_secs(120);
    let (_, _, init) = server.request(
        "initialize",
        json!({"capabilities": {"general": {"positionEncodings": offered}}}),
        timeout,
    )?;
    let enc = init["result"]["capabilities"]["positionEncoding"]
        .as_str()
        .and_then(Encoding::from_lsp_name)
        .unwrap_or(Encoding::Utf16);
    server.notify("initialized", json!({}))?;
    let uri = format!("file:///soak/{}.txt", enc.lsp_name());
    let mut text = docgen::article(3_000, seed);
    server.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}))?;
    let mut rng = Rng::new(seed);
    let mut version = 1i64;
    let mut done = 0;
    let mut checks = 0;
    while done < edits {
        let mut changes = Vec::new();
        for _ in 0..rng.range(1, 3).min(edits - done) {
            let edit = random_edit(&mut rng, &text);
            let ((sl, sc), (el, ec)) = range_of(&text, edit.start, edit.end, enc);
            changes.push(json!({"range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}, "text": edit.text}));
            edit.apply(&mut text);
            done += 1;
        }
        version += 1;
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        )?;
        if done % 10_000 < changes.len() || done == edits {
            check_text(&mut server, &uri, version, &text, timeout)?;
            checks += 1;
        }
    }
    // The edited document's final diagnostics against a fresh open of the same text.
    let edited = diagnostics_for(&mut server, &uri, version, timeout)?;
    let fresh_uri = format!("file:///soak/fresh-{}.txt", enc.lsp_name());
    server.notify("textDocument/didOpen", json!({"textDocument": {"uri": fresh_uri, "languageId": "plaintext", "version": 1, "text": text}}))?;
    let fresh = diagnostics_for(&mut server, &fresh_uri, 1, timeout)?;
    if edited != fresh {
        return Err(format!(
            "incremental diagnostics differ from a fresh analysis ({} vs {})",
            edited.len(),
            fresh.len()
        ));
    }
    let code = server.finish(Duration::from_secs(10));
    Ok(json!({
        "encoding": enc.lsp_name(),
        "edits": done,
        "did_change_messages": version - 1,
        "text_checks": checks,
        "final_bytes": text.len(),
        "final_diagnostics": edited.len(),
        "incremental_equals_fresh": true,
        "seconds": started.elapsed().as_secs_f64(),
        "exit_code": code,
    }))
}

fn check_text(
    server: &mut Session,
    uri: &str,
    version: i64,
    text: &str,
    timeout: Duration,
) -> Result<(), String> {
    let (_, _, answer) = server.request(
        "copydesk/documentText",
        json!({"textDocument": {"uri": uri}}),
        timeout,
    )?;
    let got = answer["result"]["text"]
        .as_str()
        .ok_or_else(|| format!("no text for {uri}: {answer}"))?;
    if got != text {
        let at = got
            .bytes()
            .zip(text.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(got.len().min(text.len()));
        return Err(format!(
            "server text differs from the client's at byte {at} after version {version}"
        ));
    }
    if answer["result"]["version"] != json!(version) {
        return Err(format!(
            "server version {} != {version}",
            answer["result"]["version"]
        ));
    }
    Ok(())
}

/// The diagnostics of `uri` at `version` (waits for that publish).
fn diagnostics_for(
    server: &mut Session,
    uri: &str,
    version: i64,
    timeout: Duration,
) -> Result<Vec<Value>, String> {
    let mut accept = |m: &crate::session::Incoming| {
        m.message["method"] == "textDocument/publishDiagnostics"
            && m.message["params"]["uri"] == uri
            && m.message["params"]["version"] == json!(version)
    };
    let mut found = server
        .wait_notification(Instant::now() + timeout, &mut accept)?
        .ok_or_else(|| format!("no diagnostics for {uri} v{version}"))?;
    // A server may hold some findings back while a paragraph is being typed and publish the same
    // version again when typing pauses (Copydesk does, for 1.5 s): the last publish is the answer.
    while let Some(later) = server.wait_notification(Instant::now() + SETTLE, &mut accept)? {
        found = later;
    }
    Ok(found.message["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default())
}
