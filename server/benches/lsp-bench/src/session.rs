//! One language-server process over stdio: framed JSON-RPC out, a reader thread timestamping every
//! message in, and answers to the server's own requests so that no server stalls waiting on us.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// A message from the server and the moment the reader thread finished parsing it.
pub struct Incoming {
    pub at: Instant,
    pub message: Value,
}

pub struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Incoming>,
    next_id: i64,
    /// Notifications read while waiting for something else, oldest first.
    backlog: Vec<Incoming>,
    reader: Option<thread::JoinHandle<()>>,
}

impl Session {
    /// Starts `command` (program and arguments) with piped stdio; its stderr goes to `stderr_log`.
    pub fn spawn(
        command: &[String],
        stderr_log: Option<&std::path::Path>,
    ) -> Result<Session, String> {
        let (program, args) = command.split_first().ok_or("no server command given")?;
        let stderr = match stderr_log {
            Some(path) => Stdio::from(
                std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?,
            ),
            None => Stdio::null(),
        };
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("cannot start {program}: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout pipe")?;
        let (sender, incoming) = mpsc::channel();
        let reader = thread::spawn(move || read_frames(stdout, sender));
        Ok(Session {
            stdin: child.stdin.take(),
            child,
            incoming,
            next_id: 1,
            backlog: Vec::new(),
            reader: Some(reader),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Writes one framed message; returns the instant just before the first byte was written.
    pub fn write(&mut self, body: &[u8]) -> Result<Instant, String> {
        let stdin = self.stdin.as_mut().ok_or("stdin already closed")?;
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        let started = Instant::now();
        stdin
            .write_all(header.as_bytes())
            .and_then(|()| stdin.write_all(body))
            .and_then(|()| stdin.flush())
            .map_err(|e| format!("server closed its input: {e}"))?;
        Ok(started)
    }

    pub fn notify(&mut self, method: &str, params: Value) -> Result<Instant, String> {
        let body = json!({"jsonrpc": "2.0", "method": method, "params": params}).to_string();
        self.write(body.as_bytes())
    }

    /// Sends a request and waits for its response; returns (sent at, answered at, response).
    pub fn request(
        &mut self,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<(Instant, Instant, Value), String> {
        let id = self.next_id;
        self.next_id += 1;
        let body =
            json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string();
        let sent = self.write(body.as_bytes())?;
        let deadline = sent + timeout;
        loop {
            let msg = self
                .next_message(deadline)?
                .ok_or_else(|| format!("no answer to {method} within {timeout:?}"))?;
            if msg.message.get("id") == Some(&json!(id)) && msg.message.get("method").is_none() {
                return Ok((sent, msg.at, msg.message));
            }
            self.backlog.push(msg);
        }
    }

    /// The next notification (from the backlog first) accepted by `accept`, or `None` at the
    /// deadline. Notifications not accepted are dropped: callers ask in the order they need.
    pub fn wait_notification(
        &mut self,
        deadline: Instant,
        accept: &mut dyn FnMut(&Incoming) -> bool,
    ) -> Result<Option<Incoming>, String> {
        while !self.backlog.is_empty() {
            let msg = self.backlog.remove(0);
            if accept(&msg) {
                return Ok(Some(msg));
            }
        }
        loop {
            match self.next_message(deadline)? {
                None => return Ok(None),
                Some(msg) if accept(&msg) => return Ok(Some(msg)),
                Some(_) => {}
            }
        }
    }

    /// Reads the next message, answering server-to-client requests on the way.
    fn next_message(&mut self, deadline: Instant) -> Result<Option<Incoming>, String> {
        loop {
            let wait = deadline.saturating_duration_since(Instant::now());
            let msg = match self.incoming.recv_timeout(wait) {
                Ok(msg) => msg,
                Err(RecvTimeoutError::Timeout) => return Ok(None),
                Err(RecvTimeoutError::Disconnected) => {
                    return Err("the server closed its output".into())
                }
            };
            if let (Some(id), Some(method)) = (
                msg.message.get("id"),
                msg.message.get("method").and_then(Value::as_str),
            ) {
                let result = answer_for(method, msg.message.get("params"));
                let body = json!({"jsonrpc": "2.0", "id": id, "result": result}).to_string();
                self.write(body.as_bytes())?;
                continue;
            }
            return Ok(Some(msg));
        }
    }

    /// Peak and current resident set size in KiB, from /proc (Linux).
    pub fn memory_kib(&self) -> (Option<u64>, Option<u64>) {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        };
        (field("VmHWM:"), field("VmRSS:"))
    }

    /// shutdown, exit, and wait for the process (killed after `grace`); the exit code if any.
    pub fn finish(mut self, grace: Duration) -> Option<i32> {
        let _ = self.request("shutdown", Value::Null, grace);
        let _ = self.notify("exit", Value::Null);
        self.stdin = None;
        let deadline = Instant::now() + grace;
        let code = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break status.code(),
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
                _ => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    break None;
                }
            }
        };
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        code
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.reader.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// What we answer to a request from the server: defaults for configuration, null otherwise.
fn answer_for(method: &str, params: Option<&Value>) -> Value {
    match method {
        "workspace/configuration" => {
            let items = params
                .and_then(|p| p.get("items"))
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            Value::Array(vec![Value::Null; items])
        }
        _ => Value::Null,
    }
}

/// Reads `Content-Length` frames until the server closes its output.
fn read_frames(stdout: impl Read, sender: mpsc::Sender<Incoming>) {
    let mut reader = BufReader::with_capacity(1 << 20, stdout);
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
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<usize>().ok();
                }
            }
        }
        let Some(length) = length else { continue };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let Ok(message) = serde_json::from_slice::<Value>(&body) else {
            continue;
        };
        if sender
            .send(Incoming {
                at: Instant::now(),
                message,
            })
            .is_err()
        {
            return;
        }
    }
}
