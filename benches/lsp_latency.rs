//! Language-server latency: `didChange` → `publishDiagnostics`, for the edited file and for
//! another file whose findings depend on the edit, on generated workspaces; and the server's
//! memory. Drives the real binary (`lawful lsp`) over pipes, as an editor does.
//!
//! ```sh
//! cargo bench --bench lsp_latency              # 1k and 10k activities
//! cargo bench --bench lsp_latency -- 1000      # one size
//! ```
//!
//! The workspaces come from `cargo run --release --example gen-workspace -- N DIR` (run here
//! when missing). The edit toggles the country of a party between `NL` and `CN`, which adds
//! or removes a transfer finding (T001) at the activity in another file that discloses to it.
//! Results are recorded in `docs/performance.md`.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000]
    } else {
        sizes
    };
    for n in sizes {
        let dir = workspace(n);
        let iterations = if n <= 1_000 { 40 } else { 15 };
        measure(n, &dir, iterations);
    }
}

fn workspace(n: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/ws-lsp-{n}"));
    if !dir.join("lawful.toml").exists() {
        let status = Command::new(env!("CARGO"))
            .args(["run", "--release", "--example", "gen-workspace", "--"])
            .arg(n.to_string())
            .arg(&dir)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "gen-workspace failed");
    }
    std::fs::canonicalize(dir).expect("the workspace exists")
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<(Instant, Value)>,
    next_id: u64,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lawful"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // `LAWFUL_TIMINGS=1 cargo bench …` shows the server's phase times.
            .stderr(if std::env::var_os("LAWFUL_TIMINGS").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("lawful lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                if let Ok(value) = serde_json::from_slice(&body)
                    && sender.send((Instant::now(), value)).is_err()
                {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let (_, message) = self.recv();
            if message["id"] == json!(id) && message.get("method").is_none() {
                return message;
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn recv_for(&mut self, limit: Duration) -> Option<(Instant, Value)> {
        self.messages.recv_timeout(limit).ok()
    }

    fn recv(&mut self) -> (Instant, Value) {
        self.messages
            .recv_timeout(Duration::from_secs(600))
            .expect("the server answers within ten minutes")
    }

    /// Waits for the diagnostics of `uri` satisfying `done`.
    fn wait_for(&mut self, uri: &str, done: impl Fn(&Value) -> bool) -> (Instant, Value) {
        loop {
            let (at, message) = self.recv();
            if std::env::var_os("LSP_BENCH_DEBUG").is_some() {
                eprintln!("{} {}", message["method"], message["params"]["uri"]);
            }
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
                && done(&message["params"])
            {
                return (at, message["params"].clone());
            }
        }
    }

    fn memory(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

/// A party used as a recipient in some activities file, its file, and that activities file.
fn pick(dir: &Path) -> (String, PathBuf, PathBuf) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the workspace")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for activities in files.iter().filter(|f| name(f).starts_with("activities-")) {
        let text = std::fs::read_to_string(activities).expect("read");
        for line in text.lines() {
            let Some(party) = line.trim().strip_prefix("recipient ") else {
                continue;
            };
            if party.contains(' ') {
                continue;
            }
            let declaration = format!("party {party} \"");
            for parties in files.iter().filter(|f| name(f).starts_with("parties-")) {
                let text = std::fs::read_to_string(parties).expect("read");
                if let Some(at) = text.find(&declaration) {
                    let block = &text[at..];
                    let end = block.find("\n}").unwrap_or(block.len());
                    // Skip parties whose country or certification already decides a transfer.
                    if block[..end].contains("country NL") && !block[..end].contains("transfer") {
                        return (party.to_string(), parties.clone(), activities.clone());
                    }
                }
            }
        }
    }
    panic!("no party in NL used as a recipient");
}

fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn measure(n: usize, dir: &Path, iterations: usize) {
    let (party, parties_file, activities_file) = pick(dir);
    let parties_uri = uri(&parties_file);
    let activities_uri = uri(&activities_file);
    let text = std::fs::read_to_string(&parties_file).expect("read");
    let at = text.find(&format!("party {party} \"")).expect("declared");
    let country_at = at + text[at..].find("country NL").expect("country") + "country ".len();
    let line = text[..country_at].matches('\n').count() as u32;
    let column = (country_at - text[..country_at].rfind('\n').map_or(0, |i| i + 1)) as u32;

    let mut server = Server::start(dir);
    let started = Instant::now();
    server.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(dir), "capabilities": {}}),
    );
    server.notify("initialized", json!({}));
    eprintln!("waiting for the first diagnostics of {activities_uri}");
    server.wait_for(&activities_uri, |_| true);
    let first = started.elapsed();
    eprintln!("first diagnostics after {first:?}; editing `{party}` in {parties_uri}");
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": parties_uri, "languageId": "lawful", "version": 1, "text": text}}),
    );
    server.wait_for(&parties_uri, |p| p["version"] == 1);

    let mut edited = Vec::new();
    let mut other = Vec::new();
    let mut affected: Option<String> = None;
    for i in 0..iterations {
        let version = i as i64 + 2;
        let (from, to) = if i % 2 == 0 {
            ("NL", "CN")
        } else {
            ("CN", "NL")
        };
        let _ = from;
        let range = json!({"start": {"line": line, "character": column},
                           "end": {"line": line, "character": column + 2}});
        let sent = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": parties_uri, "version": version},
                   "contentChanges": [{"range": range, "text": to}]}),
        );
        // Open buffers are published first; then each other file whose findings changed.
        // The first of those is the affected file (where the transfer finding appears or
        // goes away); `pick` chose a party whose change moves one.
        let mut edited_at = None;
        let mut other_at = None;
        while edited_at.is_none() || other_at.is_none() {
            let Some((at, message)) = server.recv_for(Duration::from_secs(60)) else {
                break;
            };
            if message["method"] != "textDocument/publishDiagnostics" {
                continue;
            }
            let params = &message["params"];
            if std::env::var_os("LSP_BENCH_DEBUG").is_some() {
                eprintln!("iteration {i}: {} {}", params["uri"], params["version"]);
            }
            if params["uri"] == parties_uri {
                if params["version"] == version {
                    edited_at = Some(at);
                }
            } else if edited_at.is_some() && other_at.is_none() {
                if affected.is_none() {
                    affected = params["uri"].as_str().map(str::to_string);
                }
                other_at = Some(at);
            }
        }
        let edited_at = edited_at.expect("the edited file is published");
        edited.push((edited_at - sent).as_secs_f64() * 1000.0);
        if let Some(at) = other_at {
            other.push((at - sent).as_secs_f64() * 1000.0);
        }
    }
    let (rss, hwm) = server.memory();
    server.request("shutdown", Value::Null);
    server.notify("exit", Value::Null);
    let _ = server.child.wait();

    for list in [&mut edited, &mut other] {
        list.sort_by(|a, b| a.total_cmp(b));
    }
    println!(
        "lsp_latency n={n} files={} iterations={iterations} first-publish={:.0} ms",
        std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0),
        first.as_secs_f64() * 1000.0
    );
    println!(
        "  edited file:   median {:.1} ms, p95 {:.1} ms",
        percentile(&edited, 0.5),
        percentile(&edited, 0.95)
    );
    if other.is_empty() {
        println!("  affected file: none changed");
    } else {
        println!(
            "  affected file: median {:.1} ms, p95 {:.1} ms ({} of {iterations} edits; {})",
            percentile(&other, 0.5),
            percentile(&other, 0.95),
            other.len(),
            affected.unwrap_or_default()
        );
    }
    println!(
        "  server memory: {} MiB resident, peak {} MiB",
        rss / 1024,
        hwm / 1024
    );
}
