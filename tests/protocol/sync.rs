//! Text synchronisation: the server's text must equal the client's after any sequence of edits.

use std::time::Duration;

use serde_json::{json, Value};

use crate::client::{Client, Rng};

const URI: &str = "file:///story.txt";

fn range(l1: usize, c1: usize, l2: usize, c2: usize) -> Value {
    json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}})
}

fn edit(l1: usize, c1: usize, l2: usize, c2: usize, text: &str) -> Value {
    json!({"range": range(l1, c1, l2, c2), "text": text})
}

fn assert_text(client: &mut Client, uri: &str, text: &str, version: i64) {
    assert_eq!(
        client.document_text(uri),
        json!({"text": text, "version": version})
    );
}

#[test]
fn open_change_close_with_multibyte_text_in_utf16() {
    let mut client = Client::spawn();
    client.initialize(None);
    client.open(URI, 1, "“Yes,” she said — 👍.\n東京 café\n");
    // utf-16: “ is one unit, 👍 two. Replace "she" (units 7..10) with "Kishida".
    client.change(URI, 2, vec![edit(0, 7, 0, 10, "Kishida")]);
    assert_text(
        &mut client,
        URI,
        "“Yes,” Kishida said — 👍.\n東京 café\n",
        2,
    );
    // After the emoji (units 22..24 on line 0) and between 東 and 京.
    client.change(
        URI,
        3,
        vec![edit(0, 24, 0, 24, "!"), edit(1, 1, 1, 1, "・")],
    );
    assert_text(
        &mut client,
        URI,
        "“Yes,” Kishida said — 👍!.\n東・京 café\n",
        3,
    );
    // Delete across the line break.
    client.change(URI, 4, vec![edit(0, 26, 1, 0, " ")]);
    assert_text(
        &mut client,
        URI,
        "“Yes,” Kishida said — 👍!. 東・京 café\n",
        4,
    );
    client.close(URI);
    assert_eq!(client.document_text(URI), Value::Null);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn utf8_client_positions_count_bytes() {
    let mut client = Client::spawn();
    let result = client.initialize(Some(&["utf-8"]));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    client.open(URI, 1, "“Hi” 東京");
    // “ is 3 bytes, H i 2, ” 3, space 1: 東 starts at byte 9.
    client.change(URI, 2, vec![edit(0, 9, 0, 12, "大阪")]);
    assert_text(&mut client, URI, "“Hi” 大阪京", 2);
    // A byte offset inside a character rounds down to the character's start.
    client.change(URI, 3, vec![edit(0, 10, 0, 10, "|")]);
    assert_text(&mut client, URI, "“Hi” |大阪京", 3);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn utf32_client_positions_count_characters() {
    let mut client = Client::spawn();
    client.initialize(Some(&["utf-32"]));
    client.open(URI, 1, "👍👍 e\u{301}x");
    client.change(URI, 2, vec![edit(0, 1, 0, 2, "👎"), edit(0, 5, 0, 5, "!")]);
    assert_text(&mut client, URI, "👍👎 e\u{301}!x", 2);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn full_text_changes_and_out_of_range_positions() {
    let mut client = Client::spawn();
    client.initialize(None);
    client.open(URI, 1, "old");
    client.change(URI, 2, vec![json!({"text": "Brand new\ntext"})]);
    assert_text(&mut client, URI, "Brand new\ntext", 2);
    // Past the line's end means the line's end; past the document's end means its end.
    client.change(URI, 3, vec![edit(0, 99, 0, 99, "!"), edit(9, 0, 9, 5, "?")]);
    assert_text(&mut client, URI, "Brand new!\ntext?", 3);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn diagnostics_are_published_per_version_and_cleared_on_close() {
    let mut client = Client::spawn();
    client.initialize(None);
    client.open(URI, 1, "“Quote,” he said.");
    let published = client.diagnostics(URI, 1);
    assert!(published["diagnostics"].is_array());
    client.change(URI, 2, vec![edit(0, 0, 0, 0, "x")]);
    client.diagnostics(URI, 2);
    client.close(URI);
    let cleared = client.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == URI && p.get("version").is_none_or(Value::is_null)
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn unknown_documents_and_version_gaps_are_logged_and_harmless() {
    let mut client = Client::spawn();
    client.initialize(None);
    client.change("file:///never-opened.txt", 2, vec![edit(0, 0, 0, 0, "x")]);
    client.wait_for_log("didChange for a document that is not open");
    assert_eq!(
        client.document_text("file:///never-opened.txt"),
        Value::Null
    );

    client.open(URI, 1, "abc");
    client.change(URI, 5, vec![edit(0, 3, 0, 3, "d")]);
    client.wait_for_log("didChange version is not the next one");
    assert_text(&mut client, URI, "abcd", 5);
    client.close("file:///never-opened.txt");
    client.wait_for_log("didClose for a document that is not open");
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn documents_are_independent() {
    let mut client = Client::spawn();
    client.initialize(None);
    client.open("file:///a.txt", 1, "alpha");
    client.open("untitled:Untitled-1", 1, "beta");
    client.change("file:///a.txt", 2, vec![edit(0, 5, 0, 5, "!")]);
    assert_text(&mut client, "file:///a.txt", "alpha!", 2);
    assert_text(&mut client, "untitled:Untitled-1", "beta", 1);
    // Reopening replaces the text.
    client.open("untitled:Untitled-1", 7, "gamma");
    assert_text(&mut client, "untitled:Untitled-1", "gamma", 7);
    assert!(client.shutdown_and_exit().success());
}

/// The client's model of the buffer, with LSP positions in UTF-16 code units.
struct Model {
    text: String,
}

impl Model {
    /// The UTF-16 position of byte `offset` (a char boundary).
    fn position(&self, offset: usize) -> (usize, usize) {
        let before = &self.text[..offset];
        let line = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].encode_utf16().count())
    }

    fn boundaries(&self) -> Vec<usize> {
        self.text
            .char_indices()
            .map(|(i, _)| i)
            .chain([self.text.len()])
            .collect()
    }
}

#[test]
fn thousand_random_utf16_edits_keep_server_and_client_text_equal() {
    const PIECES: [&str; 14] = [
        "👍", "東京", "“", "”", "—", "é", "e\u{301}", "a", " ", "\n", "word ", "‘x’", "🇯🇵", "中文 ",
    ];
    let mut rng = Rng::new(0x00C0_FFEE);
    let mut model = Model {
        text: "“Opening line,” she said.\n東京 — 👍\n".to_owned(),
    };
    let mut client = Client::spawn();
    client.initialize(Some(&["utf-16"]));
    client.open(URI, 1, &model.text);
    let mut version = 1;
    let mut edits = 0;
    while edits < 1_000 {
        // One to three content changes per didChange, applied in order, as editors send them.
        let batch = 1 + rng.below(3);
        let mut changes = Vec::new();
        for _ in 0..batch {
            let boundaries = model.boundaries();
            let a = *rng.pick(&boundaries);
            let b = *rng.pick(&boundaries);
            let (start, mut end) = (a.min(b), a.max(b));
            if rng.below(3) > 0 {
                // Mostly short deletions, like typing and backspacing.
                let limit = boundaries
                    .iter()
                    .copied()
                    .filter(|&x| x >= start)
                    .nth(rng.below(4));
                end = end.min(limit.unwrap_or(start));
            }
            let insert: String = (0..rng.below(3)).map(|_| *rng.pick(&PIECES)).collect();
            let (l1, c1) = model.position(start);
            let (l2, mut c2) = model.position(end);
            if rng.below(20) == 0 {
                // Now and then a character past the line's end: the server clamps to the end.
                end = model.text[end..]
                    .find('\n')
                    .map_or(model.text.len(), |i| end + i);
                c2 = model.position(end).1 + 3;
            }
            changes.push(edit(l1, c1, l2, c2, &insert));
            model.text.replace_range(start..end, &insert);
            edits += 1;
        }
        version += 1;
        client.change(URI, version, changes);
        if version % 97 == 0 {
            assert_text(&mut client, URI, &model.text, version);
        }
    }
    assert_text(&mut client, URI, &model.text, version);
    // Stale versions may be skipped, but the final one is always analysed and published.
    client.diagnostics(URI, version);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn five_megabyte_document() {
    let paragraph = "“We will not back down,” the minister said on Tuesday — 東京 👍 café.\n\n";
    let mut text = String::new();
    while text.len() < 5 * 1024 * 1024 {
        text.push_str(paragraph);
    }
    let mut client = Client::spawn();
    client.initialize(None);
    client.open(URI, 1, &text);
    let lines = text.matches('\n').count();
    // Edit near the end and in the middle, in UTF-16 positions.
    client.change(
        URI,
        2,
        vec![
            edit(lines - 2, 1, lines - 2, 3, "They"),
            edit(lines / 2, 0, lines / 2, 0, "Inserted. "),
        ],
    );
    let mut expected = text.clone();
    let last_para = expected.len() - paragraph.len();
    expected.replace_range(last_para + 3..last_para + 5, "They");
    let middle = expected
        .match_indices('\n')
        .nth(lines / 2 - 1)
        .map(|(i, _)| i + 1)
        .unwrap();
    expected.insert_str(middle, "Inserted. ");
    let response = client.document_text(URI);
    assert_eq!(response["version"], 2);
    assert!(
        response["text"].as_str() == Some(expected.as_str()),
        "5 MB text differs"
    );
    // Analysing 5 MB takes a while in a debug build: a longer hang guard, not a timing claim.
    let published = client.notification_within(
        Duration::from_secs(600),
        "textDocument/publishDiagnostics",
        |p| p["uri"] == URI && p["version"] == 2,
    );
    assert!(published["params"]["diagnostics"].is_array());
    assert!(client.shutdown_and_exit().success());
}
