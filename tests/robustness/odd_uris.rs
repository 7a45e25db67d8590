//! Documents the server cannot map to a file (untitled buffers, diff views, notebook cells, odd
//! schemes) are served from memory like any other and never crash it (issue 8.4).

use docgen::ByteEdit;
use serde_json::json;

use crate::client::Client;
use crate::support::Workspace;

#[rustfmt::skip]
const URIS: &[&str] = &[
    "untitled:Untitled-1",
    "git:/repo/story.txt?%7B%22path%22%3A%22%2Frepo%2Fstory.txt%22%2C%22ref%22%3A%22HEAD%22%7D",
    "vscode-notebook-cell:/repo/desk.ipynb#W0sZmlsZQ%3D%3D",
    "file:///no/such/folder/story.txt",
    "file://fileserver/share/story.txt",
    "file:///repo/%E2%80%9Cquoted%E2%80%9D%20name.txt",
    "weird+scheme://host:99/a/../b?x#y",
    "file:///../../etc/passwd",
];

#[test]
fn odd_uris_are_served_from_memory() {
    let mut client = Client::spawn();
    let mut ws = Workspace::start(&mut client, Some(&["utf-16"]));
    for (i, uri) in URIS.iter().enumerate() {
        ws.open(&mut client, uri, docgen::article(1_200, 40 + i as u64));
        ws.change(
            &mut client,
            uri,
            &[ByteEdit {
                start: 0,
                end: 0,
                text: "“Fresh,” she said.\n\n".into(),
            }],
        );
        for method in [
            "textDocument/hover",
            "textDocument/documentSymbol",
            "textDocument/foldingRange",
        ] {
            let response = client.request(
                method,
                json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}),
            );
            assert!(
                response.get("result").is_some() || response["error"]["code"] == json!(-32601),
                "{uri} {method}: {response}"
            );
        }
    }
    ws.assert_in_sync(&mut client);
    for uri in URIS {
        client.close(uri);
        assert_eq!(
            client.document_text(uri),
            serde_json::Value::Null,
            "{uri} closed"
        );
    }
    assert!(!client.log().contains("panicked"), "{}", client.log());
    assert!(client.shutdown_and_exit().success());
}
