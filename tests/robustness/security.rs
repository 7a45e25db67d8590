//! Security at the system level (issue 8.4), on the real binary: configuration is read only by
//! walking up from a document to the workspace root (a file above the root would visibly change
//! the diagnostics and does not; one inside does), config values are validated (a bad one is one
//! diagnostic and the defaults), documents the server cannot map to a file are served from
//! memory, and the process opens no socket: seen in `/proc/PID/fd` during a session and, where
//! `strace` is installed and allowed to trace, in every network and file system call it makes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use crate::client::Client;

const ARTICLE: &str = "Quay vote delayed\n\n“We will not sell the quay to anyone, not now and not ever.”\n\nThe council meets on Friday.\n";

/// `outer/` holds a sentinel `.copydesk.toml`; `outer/newsroom` is the workspace root;
/// `outer/newsroom/desk/story.txt` the article.
struct Newsroom {
    outer: PathBuf,
    root: PathBuf,
    story: PathBuf,
}

impl Newsroom {
    fn new(test: &str) -> Newsroom {
        let outer =
            std::env::temp_dir().join(format!("copydesk-security-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&outer);
        let root = outer.join("newsroom");
        let desk = root.join("desk");
        std::fs::create_dir_all(&desk).unwrap();
        // Applied, it would make every unattributed quotation an error.
        std::fs::write(
            outer.join(".copydesk.toml"),
            "[rules]\nunattributed-quote = \"error\"\n",
        )
        .unwrap();
        let story = desk.join("story.txt");
        std::fs::write(&story, ARTICLE).unwrap();
        Newsroom { outer, root, story }
    }

    fn uri(path: &Path) -> String {
        format!("file://{}", path.display())
    }

    /// Documents with no file behind them; their paths point into the newsroom at a name
    /// (`never-read`) that must not show up in any system call.
    fn odd_uris(&self) -> Vec<String> {
        let hidden = self.root.join("desk").join("never-read.txt");
        vec![
            "untitled:Untitled-7".to_string(),
            format!("git:{}?%7B%22ref%22%3A%22HEAD%22%7D", hidden.display()),
            format!("vscode-notebook-cell:{}#W0sZmlsZQ%3D%3D", hidden.display()),
            format!("copydesk-odd+scheme://desk{}?q#frag", hidden.display()),
        ]
    }
}

impl Drop for Newsroom {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.outer);
    }
}

fn severity_of_unattributed(published: &Value) -> Vec<i64> {
    published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "unattributed-quote")
        .map(|d| d["severity"].as_i64().unwrap())
        .collect()
}

/// One editing session against the newsroom; `during` runs while documents are open.
fn session(client: &mut Client, newsroom: &Newsroom, during: impl FnOnce(&mut Client)) {
    let response = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "workspaceFolders": [{"uri": Newsroom::uri(&newsroom.root), "name": "newsroom"}]}),
    );
    assert!(response["result"].is_object(), "{response}");
    client.notify("initialized", json!({}));
    let story = Newsroom::uri(&newsroom.story);
    client.open(&story, 1, ARTICLE);
    assert_eq!(
        severity_of_unattributed(&client.diagnostics(&story, 1)),
        vec![2],
        "the .copydesk.toml above the workspace root must not apply (it would make this an error)"
    );
    for uri in newsroom.odd_uris() {
        client.open(&uri, 1, ARTICLE);
        assert_eq!(
            severity_of_unattributed(&client.diagnostics(&uri, 1)),
            vec![2],
            "{uri} checked from memory"
        );
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 3}}),
        );
        assert!(hover.get("error").is_none(), "{uri}: {hover}");
        let symbols = client.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        );
        assert!(symbols["result"].is_array(), "{uri}: {symbols}");
        assert_eq!(client.document_text(&uri)["text"], ARTICLE, "{uri}");
    }
    during(client);

    // A file inside the root applies.
    std::fs::write(
        newsroom.root.join(".copydesk.toml"),
        "[rules]\nunattributed-quote = \"info\"\n",
    )
    .unwrap();
    client.change(
        &story,
        2,
        vec![json!({"text": ARTICLE.replace("Friday", "Monday")})],
    );
    assert_eq!(
        severity_of_unattributed(&client.diagnostics(&story, 2)),
        vec![3],
        "the root's .copydesk.toml applies"
    );

    // A bad value: one diagnostic on the file at its line, and the defaults.
    let config = newsroom.root.join(".copydesk.toml");
    std::fs::write(&config, "# house rules\nmin-quote-words = -2\n").unwrap();
    client.change(&story, 3, vec![json!({"text": ARTICLE})]);
    let config_uri = Newsroom::uri(&config);
    let published = client.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == config_uri.as_str()
    })["params"]
        .clone();
    let diagnostics = published["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{published}");
    assert_eq!(diagnostics[0]["code"], "bad-config");
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 1, "{published}");
    assert_eq!(
        severity_of_unattributed(&client.diagnostics(&story, 3)),
        vec![2],
        "defaults while the file is bad"
    );
    assert!(!client.log().contains("panicked"), "{}", client.log());
    assert!(client.shutdown_and_exit().success());
}

/// Where every descriptor of `pid` points (`socket:[…]`, `pipe:[…]`, a path, …).
fn open_descriptors(pid: u32) -> Vec<String> {
    let mut links = Vec::new();
    for entry in std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .flatten()
    {
        if let Ok(target) = std::fs::read_link(entry.path()) {
            links.push(target.display().to_string());
        }
    }
    links.sort();
    links
}

#[test]
fn config_stays_under_the_root_values_are_validated_and_no_socket_is_open() {
    if !Path::new("/proc/self/fd").is_dir() {
        eprintln!("skipped: no /proc/PID/fd on this system");
        return;
    }
    let newsroom = Newsroom::new("fds");
    let mut client = Client::spawn();
    let pid = client.pid();
    session(&mut client, &newsroom, |client| {
        // Mid-session, with five documents open and requests answered.
        let _ = client.document_text(&Newsroom::uri(&newsroom.story));
        let links = open_descriptors(pid);
        eprintln!(
            "copydesk serve (pid {pid}) has {} descriptors open: {links:?}",
            links.len()
        );
        assert!(!links.is_empty(), "could not read /proc/{pid}/fd");
        let sockets: Vec<&String> = links.iter().filter(|l| l.starts_with("socket:")).collect();
        assert!(sockets.is_empty(), "the server holds sockets: {sockets:?}");
        let files: Vec<&String> = links
            .iter()
            .filter(|l| l.starts_with('/') && !l.starts_with("/dev/"))
            .collect();
        assert!(files.is_empty(), "the server keeps files open: {files:?}");
    });
}

/// Paths named by the file system calls in an strace log (`openat(AT_FDCWD, "/x", …)`, …).
fn traced_paths(log: &str) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    for line in log.lines() {
        let mut rest = line;
        while let Some(open) = rest.find('"') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('"') else { break };
            let path = &after[..close];
            if path.starts_with('/') {
                paths.insert(path.to_string());
            }
            rest = &after[close + 1..];
        }
    }
    paths
}

#[rustfmt::skip]
const NETWORK_CALLS: &[&str] = &[
    "socket(", "socketpair(", "connect(", "bind(", "listen(", "accept(", "accept4(", "sendto(",
    "sendmsg(", "sendmmsg(", "recvfrom(", "recvmsg(", "recvmmsg(", "getsockopt(", "setsockopt(",
    "getsockname(", "getpeername(", "shutdown(",
];

#[test]
fn under_strace_no_network_call_and_no_file_outside_the_workspace_and_system() {
    let strace = Command::new("strace").arg("-V").output();
    if !strace.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: strace is not installed");
        return;
    }
    let newsroom = Newsroom::new("strace");
    let log_path = newsroom.outer.join("strace.log");
    let bin = env!("CARGO_BIN_EXE_copydesk");
    let mut command = Command::new("strace");
    // Full strings (`-s`): a truncated path could hide the file above the root. cargo's
    // LD_LIBRARY_PATH (toolchain and target folders) would only add the loader's library search.
    command
        .args(["-f", "-qq", "-s", "4096", "-o"])
        .arg(&log_path)
        .args(["-e", "trace=network,file", "--", bin, "serve"])
        .env_remove("LD_LIBRARY_PATH");
    let mut client = Client::spawn_command(&mut command);
    // strace that may not trace (no ptrace in this container) exits at once, saying why.
    std::thread::sleep(std::time::Duration::from_millis(300));
    if client.log().contains("ptrace") || client.log().contains("Operation not permitted") {
        eprintln!("skipped: strace cannot trace here: {}", client.log());
        return;
    }
    session(&mut client, &newsroom, |_| {});
    let log = std::fs::read_to_string(&log_path).unwrap();
    let lines = log.lines().count();
    let network: Vec<&str> = log
        .lines()
        .filter(|l| NETWORK_CALLS.iter().any(|c| l.contains(c)))
        .collect();
    assert!(network.is_empty(), "network system calls: {network:#?}");

    let paths = traced_paths(&log);
    let outer = newsroom.outer.display().to_string();
    let root = newsroom.root.display().to_string();
    let above_root = format!("{outer}/.copydesk.toml");
    assert!(
        !paths.contains(&above_root),
        "the file above the root was touched"
    );
    assert!(
        paths.contains(&format!("{root}/.copydesk.toml")),
        "the walk up to the root is traced: {paths:#?}"
    );
    assert!(
        !paths.iter().any(|p| p.contains("never-read")),
        "a non-file URI reached the file system: {paths:#?}"
    );
    let system = [
        "/etc/ld.so",
        "/lib",
        "/usr/lib",
        "/lib64",
        "/proc/",
        "/sys/",
        "/dev/",
    ];
    let unexpected: Vec<&String> = paths
        .iter()
        .filter(|p| {
            !(p.starts_with(&format!("{root}/"))
                || *p == bin
                || system.iter().any(|s| p.starts_with(s)))
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "files outside the workspace and the system's libraries: {unexpected:#?}"
    );
    eprintln!(
        "strace: {lines} network/file calls traced, no network call; paths: {}",
        paths.iter().cloned().collect::<Vec<_>>().join(", ")
    );
}
