//! A small LSP test client: spawns the real `copydesk` binary and speaks framed JSON-RPC to it.
//!
//! Every wait has a timeout, so a hung server fails the test instead of hanging CI. Requests
//! the server sends to the client are answered (with `null` unless the test set an answer for
//! the method in `answers`) and kept, like notifications, for the test to inspect. The server's stderr is collected for assertions on its log.

#![allow(dead_code)] // each test file uses a different part of the client

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long any single wait may take before the test fails. Generous: CI machines are slow and
/// debug builds slower; a healthy server answers in milliseconds.
pub const TIMEOUT: Duration = Duration::from_secs(60);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Notifications and server requests received and not yet consumed.
    pub inbox: VecDeque<Value>,
    /// The result to answer each server request method with (absent: `null`).
    pub answers: HashMap<String, Value>,
    stderr: Arc<Mutex<String>>,
    next_id: i64,
}

/// The frame for a JSON-RPC body.
pub fn frame(body: &str) -> Vec<u8> {
    let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

impl Client {
    /// Starts `copydesk serve` with logging at `warn`.
    pub fn spawn() -> Client {
        Client::spawn_with(&["serve"])
    }

    pub fn spawn_with(args: &[&str]) -> Client {
        Client::spawn_command(Command::new(env!("CARGO_BIN_EXE_copydesk")).args(args))
    }

    /// Starts any command that serves LSP on its stdio (the server under a tracer, say).
    pub fn spawn_command(command: &mut Command) -> Client {
        let mut child = command
            .env("COPYDESK_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn copydesk");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let (sender, messages) = mpsc::channel();
        thread::spawn(move || read_frames(stdout, sender));
        let log = Arc::new(Mutex::new(String::new()));
        let log_writer = log.clone();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let mut log = log_writer.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            messages,
            inbox: VecDeque::new(),
            answers: HashMap::new(),
            stderr: log,
            next_id: 0,
        }
    }

    /// Writes raw bytes to the server's stdin.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).expect("write to server");
        stdin.flush().expect("flush");
    }

    pub fn send(&mut self, message: &Value) {
        self.send_raw(&frame(&message.to_string()));
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request and waits for its response (the whole message, `result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(&json!(id))
    }

    /// Waits for the response with `id`, keeping the notifications that arrive meanwhile.
    pub fn response(&mut self, id: &Value) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.next_message(deadline).unwrap_or_else(|| {
                panic!(
                    "no response to request {id} within {TIMEOUT:?}; log:\n{}",
                    self.log()
                )
            });
            if message.get("method").is_none() && message.get("id") == Some(id) {
                return message;
            }
            self.keep(message);
        }
    }

    /// The next message from the server, or `None` at the deadline or when its output ends.
    fn next_message(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        self.messages.recv_timeout(left).ok()
    }

    /// Keeps a notification or server request; answers server requests from `answers`.
    fn keep(&mut self, message: Value) {
        if let (Some(id), Some(method)) = (message.get("id"), message.get("method")) {
            let result = method
                .as_str()
                .and_then(|m| self.answers.get(m))
                .cloned()
                .unwrap_or(Value::Null);
            let reply = json!({"jsonrpc": "2.0", "id": id, "result": result});
            self.send(&reply);
        }
        self.inbox.push_back(message);
    }

    /// Waits for a notification of `method` for which `accept` holds; earlier ones stay queued.
    pub fn notification(&mut self, method: &str, accept: impl Fn(&Value) -> bool) -> Value {
        self.notification_within(TIMEOUT, method, accept)
    }

    /// [`Client::notification`] with its own hang guard, for waits on slow work (analysing
    /// megabytes in a debug build).
    pub fn notification_within(
        &mut self,
        timeout: Duration,
        method: &str,
        accept: impl Fn(&Value) -> bool,
    ) -> Value {
        let matches =
            |m: &Value| m["method"] == method && m.get("id").is_none() && accept(&m["params"]);
        if let Some(index) = self.inbox.iter().position(matches) {
            return self.inbox.remove(index).expect("index is valid");
        }
        let deadline = Instant::now() + timeout;
        loop {
            let message = self.next_message(deadline).unwrap_or_else(|| {
                panic!(
                    "no matching {method} within {timeout:?}; log:\n{}",
                    self.log()
                )
            });
            if matches(&message) {
                return message;
            }
            self.keep(message);
        }
    }

    /// Waits for a request of `method` from the server (already answered); earlier ones stay
    /// queued.
    pub fn server_request(&mut self, method: &str) -> Value {
        let matches = |m: &Value| m["method"] == method && m.get("id").is_some();
        if let Some(index) = self.inbox.iter().position(matches) {
            return self.inbox.remove(index).expect("index is valid");
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.next_message(deadline).unwrap_or_else(|| {
                panic!(
                    "no {method} request within {TIMEOUT:?}; log:\n{}",
                    self.log()
                )
            });
            let found = matches(&message);
            self.keep(message);
            if found {
                return self.inbox.pop_back().expect("just kept");
            }
        }
    }

    /// Waits for the diagnostics of `uri` at `version`, skipping those of earlier versions.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Value {
        self.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == version
        })["params"]
            .clone()
    }

    /// `initialize` offering `encodings` (or no `general.positionEncodings` at all), then
    /// `initialized`; the `initialize` result.
    pub fn initialize(&mut self, encodings: Option<&[&str]>) -> Value {
        let general = match encodings {
            Some(encodings) => json!({"positionEncodings": encodings}),
            None => json!({}),
        };
        let response = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {"general": general}}),
        );
        let result = response["result"].clone();
        assert!(result.is_object(), "initialize failed: {response}");
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": version, "text": text}}),
        );
    }

    /// One didChange with the given content changes (`{"range": …, "text": …}` objects).
    pub fn change(&mut self, uri: &str, version: i64, changes: Vec<Value>) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    pub fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }

    /// The server's copy of the document through `copydesk/documentText` (`null` if not open).
    pub fn document_text(&mut self, uri: &str) -> Value {
        let response = self.request(
            "copydesk/documentText",
            json!({"textDocument": {"uri": uri}}),
        );
        assert!(
            response.get("error").is_none(),
            "documentText failed: {response}"
        );
        response["result"].clone()
    }

    /// The process id of the spawned command.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Closes the server's stdin (the client vanishing).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits for the server process to end.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "server did not exit within {TIMEOUT:?}"
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// `shutdown` (asserting a null result), then `exit`; the exit status.
    pub fn shutdown_and_exit(&mut self) -> ExitStatus {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// Everything the server wrote to stderr so far.
    pub fn log(&self) -> String {
        self.stderr
            .lock()
            .map(|log| log.clone())
            .unwrap_or_default()
    }

    /// Waits until the log contains `needle` (the log is written asynchronously).
    pub fn wait_for_log(&self, needle: &str) {
        let deadline = Instant::now() + TIMEOUT;
        while !self.log().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "log never said {needle:?}; log:\n{}",
                self.log()
            );
            thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Reads `Content-Length` frames from the server's stdout until it closes.
fn read_frames(stdout: impl Read, sender: mpsc::Sender<Value>) {
    let mut reader = BufReader::new(stdout);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length:") {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let Some(length) = length else {
            panic!("server sent a frame without Content-Length");
        };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let message: Value = serde_json::from_slice(&body).expect("server sent invalid JSON");
        if sender.send(message).is_err() {
            return;
        }
    }
}

/// A small seeded generator (SplitMix64), so that random tests repeat exactly.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
