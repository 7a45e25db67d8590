//! `bench-lsp`: the protocol benchmark of issue 7, for any language server that speaks stdio.
//!
//! For each document size it starts the server, opens a generated fictional article, replays the
//! typing trace (a ~300-character paragraph with a quotation typed one character at a time in the
//! middle, deleted, then a 10 KB block pasted) and measures per edit the time from writing the
//! didChange to reading the publishDiagnostics for that version; then hover and documentSymbol
//! latency, initialize time and peak RSS. Prints a table and writes JSON.
//!
//! Servers that publish diagnostics without a version (harper-ls does) are matched honestly: the
//! trace is closed-loop (the next edit is written only after the previous one's diagnostics
//! arrived), so the first unversioned publish for the document after an edit was written is taken
//! as that edit's; the JSON marks such runs `"diagnostics_versioned": false`.

mod session;
mod soak;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use docgen::{position_of, range_of, ByteEdit, Encoding, Phase};
use serde_json::{json, Value};

use session::Session;
use stats::{fmt_ms, Latencies};

const USAGE: &str = "usage: bench-lsp [options] -- SERVER_COMMAND [ARGS...]
  --sizes LIST         document sizes (default 5KB,100KB,1MB,10MB)
  --name NAME          label for the server in the table and JSON (default: the program name)
  --json PATH          write the results as JSON to PATH
  --encodings LIST     position encodings the client offers (default utf-16, as VS Code)
  --language-id ID     languageId of the document (default plaintext)
  --timeout-ms N       give up waiting for one edit's diagnostics after N ms (default 60000)
  --type-chars N       type only the first N characters of the paragraph (default all)
  --requests N         hover and documentSymbol requests each (default 20)
  --seed N             document seed (default 1)
  --stderr PATH        keep the server's stderr in PATH (default: discarded)
  --soak N             instead of the trace: N random edits, server text and incremental
                       diagnostics checked against the client's (issue 8's 10^6-edit run)";

struct Options {
    sizes: Vec<(String, usize)>,
    name: String,
    json: Option<PathBuf>,
    encodings: Vec<String>,
    language_id: String,
    timeout: Duration,
    type_chars: Option<usize>,
    requests: usize,
    seed: u64,
    stderr: Option<PathBuf>,
    soak: Option<usize>,
    command: Vec<String>,
}

fn parse_args(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        sizes: Vec::new(),
        name: String::new(),
        json: None,
        encodings: vec!["utf-16".into()],
        language_id: "plaintext".into(),
        timeout: Duration::from_secs(60),
        type_chars: None,
        requests: 20,
        seed: 1,
        stderr: None,
        soak: None,
        command: Vec::new(),
    };
    let mut sizes = "5KB,100KB,1MB,10MB".to_string();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        if arg == "--" {
            o.command = it.collect();
            break;
        }
        if arg == "-h" || arg == "--help" {
            return Err(String::new());
        }
        let value = it.next().ok_or_else(|| format!("{arg} needs a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("{arg}: not a number: {value}"))
        };
        match arg.as_str() {
            "--sizes" => sizes = value.clone(),
            "--name" => o.name = value.clone(),
            "--json" => o.json = Some(PathBuf::from(&value)),
            "--encodings" => o.encodings = value.split(',').map(str::to_string).collect(),
            "--language-id" => o.language_id = value.clone(),
            "--timeout-ms" => o.timeout = Duration::from_millis(number()?),
            "--type-chars" => o.type_chars = Some(number()? as usize),
            "--requests" => o.requests = number()? as usize,
            "--seed" => o.seed = number()?,
            "--stderr" => o.stderr = Some(PathBuf::from(&value)),
            "--soak" => o.soak = Some(number()? as usize),
            _ => return Err(format!("unknown option {arg}")),
        }
    }
    if o.command.is_empty() {
        return Err("no server command after --".into());
    }
    for s in sizes.split(',') {
        let bytes = docgen::parse_size(s).ok_or_else(|| format!("bad size {s}"))?;
        o.sizes.push((s.to_string(), bytes));
    }
    if o.name.is_empty() {
        o.name = o.command[0]
            .rsplit('/')
            .next()
            .unwrap_or("server")
            .to_string();
    }
    Ok(o)
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1).collect()) {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("bench-lsp: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Some(edits) = options.soak {
        return match soak::soak(&options.command, &options.encodings, edits, options.seed) {
            Ok(report) => {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("bench-lsp: soak failed: {e}");
                ExitCode::from(1)
            }
        };
    }
    let mut runs = Vec::new();
    for (label, bytes) in &options.sizes {
        eprintln!("bench-lsp: {} at {label} …", options.name);
        match run(&options, label, *bytes) {
            Ok(result) => runs.push(result),
            Err(e) => {
                eprintln!("bench-lsp: {} at {label}: {e}", options.name);
                runs.push(json!({"size": label, "error": e}));
            }
        }
    }
    print_table(&options.name, &runs);
    let report = json!({
        "server": options.name,
        "command": options.command,
        "encodings_offered": options.encodings,
        "machine": machine(),
        "runs": runs,
    });
    if let Some(path) = &options.json {
        let text = serde_json::to_string_pretty(&report).unwrap_or_default();
        if let Err(e) = std::fs::write(path, text + "\n") {
            eprintln!("bench-lsp: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    if runs.iter().any(|r| r.get("error").is_some()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What the server told us at initialize that the trace needs.
struct ServerInfo {
    encoding: Encoding,
    full_sync: bool,
    hover: bool,
    symbols: bool,
}

fn run(o: &Options, label: &str, bytes: usize) -> Result<Value, String> {
    let dir =
        std::env::temp_dir().join(format!("copydesk-bench-lsp-{}-{label}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut text = docgen::article(bytes, o.seed);
    let ext = if o.language_id == "markdown" {
        "md"
    } else {
        "txt"
    };
    let path = dir.join(format!("story.{ext}"));
    std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
    let uri = format!("file://{}", path.display());
    let root = format!("file://{}", dir.display());
    let load_start = read_loadavg();

    let spawned = Instant::now();
    let mut server = Session::spawn(&o.command, o.stderr.as_deref())?;
    let init_params = json!({
        "processId": std::process::id(),
        "rootUri": root,
        "workspaceFolders": [{"uri": root, "name": "bench"}],
        "capabilities": {
            "general": {"positionEncodings": o.encodings},
            "workspace": {"configuration": true},
            "textDocument": {
                "synchronization": {"didSave": true, "dynamicRegistration": false},
                "publishDiagnostics": {"versionSupport": true},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": true}
            }
        }
    });
    let (_, answered, init) = server.request("initialize", init_params, Duration::from_secs(60))?;
    let init_ms = ms(answered - spawned);
    let info = server_info(&init);
    server.notify("initialized", json!({}))?;

    let opened = server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": o.language_id, "version": 1, "text": text}}),
    )?;
    let mut versioned = None;
    let first = wait_diagnostics(&mut server, &uri, 1, opened + o.timeout, &mut versioned)?;
    let open_ms = first.map(|at| ms(at - opened));

    let mut all = Latencies::default();
    let mut phases: Vec<(Phase, Latencies)> = [Phase::Type, Phase::Delete, Phase::Paste]
        .map(|p| (p, Latencies::default()))
        .into();
    // Each edit's latency in trace order (null for a timeout): which edits set the tail.
    let mut per_edit: Vec<Option<f64>> = Vec::new();
    let mut version = 1;
    for (phase, edit) in trace(&text, o) {
        version += 1;
        let change = if info.full_sync {
            let mut after = text.clone();
            edit.apply(&mut after);
            json!({"text": after})
        } else {
            let ((sl, sc), (el, ec)) = range_of(&text, edit.start, edit.end, info.encoding);
            json!({"range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}, "text": edit.text})
        };
        edit.apply(&mut text);
        let body = json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
        .to_string();
        let written = server.write(body.as_bytes())?;
        let slot = phases.iter_mut().find(|(p, _)| *p == phase).map(|(_, l)| l);
        match wait_diagnostics(
            &mut server,
            &uri,
            version,
            written + o.timeout,
            &mut versioned,
        )? {
            Some(at) => {
                per_edit.push(Some(ms(at - written)));
                all.push(ms(at - written));
                if let Some(l) = slot {
                    l.push(ms(at - written));
                }
            }
            None => {
                per_edit.push(None);
                all.timeouts += 1;
                if let Some(l) = slot {
                    l.timeouts += 1;
                }
            }
        }
    }

    let hover_at = name_position(&text, info.encoding);
    let hover = if info.hover {
        Some(repeat_request(
            &mut server,
            o,
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": hover_at}),
        )?)
    } else {
        None
    };
    let symbols = if info.symbols {
        Some(repeat_request(
            &mut server,
            o,
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )?)
    } else {
        None
    };
    let (peak_kib, rss_kib) = server.memory_kib();
    let exit_code = server.finish(Duration::from_secs(10));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(json!({
        "size": label,
        "bytes": bytes,
        "final_bytes": text.len(),
        "encoding": info.encoding.lsp_name(),
        "sync": if info.full_sync { "full" } else { "incremental" },
        "diagnostics_versioned": versioned,
        "initialize_ms": init_ms,
        "open_to_first_diagnostics_ms": open_ms,
        "keystroke_to_diagnostics": all.to_json(),
        "per_edit_ms": per_edit,
        "phases": phases.iter().map(|(p, l)| (p.name().to_string(), l.to_json())).collect::<serde_json::Map<_, _>>(),
        "hover": hover.map(|l| l.to_json()),
        "document_symbol": symbols.map(|l| l.to_json()),
        "peak_rss_mib": peak_kib.map(|k| k as f64 / 1024.0),
        "final_rss_mib": rss_kib.map(|k| k as f64 / 1024.0),
        "exit_code": exit_code,
        "loadavg_before": load_start,
        "loadavg_after": read_loadavg(),
    }))
}

/// The typing trace for `text`, optionally with fewer typed characters.
fn trace(text: &str, o: &Options) -> Vec<(Phase, ByteEdit)> {
    let full = docgen::typing_trace(text, o.seed);
    let Some(limit) = o.type_chars else {
        return full;
    };
    let mut out: Vec<(Phase, ByteEdit)> = Vec::new();
    let mut typed = 0;
    for (phase, edit) in full {
        match phase {
            Phase::Type if typed > limit => continue,
            Phase::Type => typed += 1,
            Phase::Delete => {
                // Delete what was actually typed.
                let end = out
                    .last()
                    .map_or(edit.start, |(_, e)| e.start + e.text.len());
                out.push((
                    phase,
                    ByteEdit {
                        start: edit.start,
                        end,
                        text: String::new(),
                    },
                ));
                continue;
            }
            Phase::Paste => {}
        }
        out.push((phase, edit));
    }
    out
}

/// Waits for the diagnostics of `version` (or, from a server that sends no version, the first
/// diagnostics for `uri` after the edit was written). Stale versions are skipped.
fn wait_diagnostics(
    server: &mut Session,
    uri: &str,
    version: i64,
    deadline: Instant,
    versioned: &mut Option<bool>,
) -> Result<Option<Instant>, String> {
    let mut accept = |m: &session::Incoming| {
        let msg = &m.message;
        if msg.get("method").and_then(Value::as_str) != Some("textDocument/publishDiagnostics") {
            return false;
        }
        let params = &msg["params"];
        if params.get("uri").and_then(Value::as_str) != Some(uri) {
            return false;
        }
        match params.get("version").and_then(Value::as_i64) {
            Some(v) => {
                *versioned = Some(true);
                v >= version
            }
            None => {
                *versioned = Some(false);
                true
            }
        }
    };
    Ok(server
        .wait_notification(deadline, &mut accept)?
        .map(|m| m.at))
}

fn repeat_request(
    server: &mut Session,
    o: &Options,
    method: &str,
    params: Value,
) -> Result<Latencies, String> {
    let mut l = Latencies::default();
    for _ in 0..o.requests {
        match server.request(method, params.clone(), o.timeout) {
            Ok((sent, answered, _)) => l.push(ms(answered - sent)),
            Err(_) => l.timeouts += 1,
        }
    }
    Ok(l)
}

/// A position inside a person's surname in the second half of the document (for hover).
fn name_position(text: &str, enc: Encoding) -> Value {
    let from = docgen::article::char_boundary_at_or_before(text, text.len() / 2);
    let found = docgen::vocab::SURNAMES
        .iter()
        .filter_map(|s| text[from..].find(s).map(|i| from + i + 1))
        .min();
    let (line, character) = position_of(text, found.unwrap_or(from), enc);
    json!({"line": line, "character": character})
}

fn server_info(init: &Value) -> ServerInfo {
    let caps = &init["result"]["capabilities"];
    let encoding = caps
        .get("positionEncoding")
        .and_then(Value::as_str)
        .and_then(Encoding::from_lsp_name)
        .unwrap_or(Encoding::Utf16);
    let sync = &caps["textDocumentSync"];
    let kind = sync
        .as_i64()
        .or_else(|| sync.get("change").and_then(Value::as_i64))
        .unwrap_or(0);
    let provided = |name: &str| {
        caps.get(name)
            .is_some_and(|v| !v.is_null() && v != &json!(false))
    };
    ServerInfo {
        encoding,
        full_sync: kind == 1,
        hover: provided("hoverProvider"),
        symbols: provided("documentSymbolProvider"),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn read_loadavg() -> Option<String> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

fn machine() -> Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(str::trim);
    json!({
        "cpu": model,
        "cpus": std::thread::available_parallelism().map(|n| n.get()).ok(),
        "loadavg": read_loadavg(),
    })
}

fn print_table(name: &str, runs: &[Value]) {
    println!(
        "{:<12} {:>6} {:>8} {:>8} {:>6} {:>8} {:>8} {:>8} {:>8} {:>5} {:>8} {:>8} {:>8}",
        "server",
        "size",
        "init ms",
        "open ms",
        "edits",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "t/o",
        "hover",
        "symbols",
        "peak MiB"
    );
    for r in runs {
        if let Some(e) = r.get("error") {
            println!(
                "{:<12} {:>6} error: {}",
                name,
                r["size"].as_str().unwrap_or(""),
                e.as_str().unwrap_or("")
            );
            continue;
        }
        let k = &r["keystroke_to_diagnostics"];
        let f = |v: &Value| fmt_ms(v.as_f64());
        println!(
            "{:<12} {:>6} {:>8} {:>8} {:>6} {:>8} {:>8} {:>8} {:>8} {:>5} {:>8} {:>8} {:>8}",
            name,
            r["size"].as_str().unwrap_or(""),
            f(&r["initialize_ms"]),
            f(&r["open_to_first_diagnostics_ms"]),
            k["count"].as_u64().unwrap_or(0),
            f(&k["p50_ms"]),
            f(&k["p95_ms"]),
            f(&k["p99_ms"]),
            f(&k["max_ms"]),
            k["timeouts"].as_u64().unwrap_or(0),
            f(&r["hover"]["p50_ms"]),
            f(&r["document_symbol"]["p50_ms"]),
            r["peak_rss_mib"]
                .as_f64()
                .map_or("—".into(), |v| format!("{v:.1}")),
        );
    }
    if runs
        .iter()
        .any(|r| r["diagnostics_versioned"] == json!(false))
    {
        println!("(diagnostics without a version: each edit matched to the first publish after it, closed loop)");
    }
}
