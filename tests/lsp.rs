//! Protocol tests: the real JSON-RPC server (`lawful::lsp::service`, framing and all) in
//! process, driven by a fake client over in-memory pipes that answers the server's requests
//! and collects `publishDiagnostics`. Every test runs under a timeout, so a hang fails.

#![cfg(feature = "lsp")]

#[path = "support/lsp_workspace.rs"]
mod lsp_workspace;
use lsp_workspace::{ACTIVITIES, CONTROLLER};

use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, WriteHalf};
use tokio::sync::{Mutex, mpsc, oneshot};

const TIMEOUT: Duration = Duration::from_secs(60);

/// A workspace in a fresh temporary directory, removed when dropped.
struct Dir(PathBuf);

impl Dir {
    fn new(files: &[(&str, &str)]) -> Dir {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("lawful-lsp-test-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let dir = std::fs::canonicalize(dir).unwrap();
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Dir(dir)
    }

    fn uri(&self, path: &str) -> String {
        format!("file://{}", self.0.join(path).display())
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

type Pending = Arc<Mutex<HashMap<u64, oneshot::Sender<Value>>>>;

/// The fake editor.
struct Client {
    writer: Arc<Mutex<WriteHalf<DuplexStream>>>,
    pending: Pending,
    diagnostics: mpsc::UnboundedReceiver<Value>,
    /// The latest diagnostics per URI (`(version, diagnostics)`).
    latest: HashMap<String, (Value, Vec<Value>)>,
    /// Every publication in order, for the staleness checks.
    history: Vec<(String, Value, Vec<Value>)>,
    next_id: u64,
}

async fn write_message(writer: &Mutex<WriteHalf<DuplexStream>>, message: &Value) {
    let body = message.to_string();
    let mut writer = writer.lock().await;
    writer
        .write_all(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
        .await
        .unwrap();
    writer.flush().await.unwrap();
}

async fn read_message<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).await.ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    async fn start() -> Client {
        let (client_side, server_side) = tokio::io::duplex(1 << 22);
        let (server_read, server_write) = tokio::io::split(server_side);
        tokio::spawn(lawful::lsp::serve(server_read, server_write));
        let (client_read, client_write) = tokio::io::split(client_side);
        let writer = Arc::new(Mutex::new(client_write));
        let pending: Pending = Arc::default();
        let (sender, diagnostics) = mpsc::unbounded_channel();
        {
            let writer = Arc::clone(&writer);
            let pending = Arc::clone(&pending);
            tokio::spawn(async move {
                let mut reader = BufReader::new(client_read);
                while let Some(message) = read_message(&mut reader).await {
                    match (message.get("id"), message.get("method")) {
                        // A request from the server (registerCapability…): accept it.
                        (Some(id), Some(_)) => {
                            let reply = json!({"jsonrpc": "2.0", "id": id, "result": null});
                            write_message(&writer, &reply).await;
                        }
                        (Some(id), None) => {
                            if let Some(id) = id.as_u64()
                                && let Some(waiter) = pending.lock().await.remove(&id)
                            {
                                let _ = waiter.send(message);
                            }
                        }
                        (None, Some(method)) if method == "textDocument/publishDiagnostics" => {
                            let _ = sender.send(message["params"].clone());
                        }
                        _ => {}
                    }
                }
            });
        }
        Client {
            writer,
            pending,
            diagnostics,
            latest: HashMap::new(),
            history: Vec::new(),
            next_id: 1,
        }
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let (send, receive) = oneshot::channel();
        self.pending.lock().await.insert(id, send);
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        write_message(&self.writer, &message).await;
        receive.await.unwrap()
    }

    async fn notify(&mut self, method: &str, params: Value) {
        let message = json!({"jsonrpc": "2.0", "method": method, "params": params});
        write_message(&self.writer, &message).await;
    }

    async fn initialize(&mut self, root: &Dir, encodings: &[&str]) -> Value {
        let response = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": format!("file://{}", root.0.display()),
                    "capabilities": {
                        "general": {"positionEncodings": encodings},
                        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}
                    }
                }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        response
    }

    async fn open(&mut self, dir: &Dir, path: &str) {
        let text = std::fs::read_to_string(dir.0.join(path)).unwrap();
        self.open_text(&dir.uri(path), &text).await;
    }

    async fn open_text(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "lawful", "version": 1, "text": text}}),
        )
        .await;
    }

    async fn change(&mut self, uri: &str, version: i32, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        )
        .await;
    }

    /// Waits until the latest diagnostics of `uri` satisfy `done`, and returns them.
    async fn diagnostics_until(
        &mut self,
        uri: &str,
        done: impl Fn(&Value, &[Value]) -> bool,
    ) -> Vec<Value> {
        loop {
            if let Some((version, diagnostics)) = self.latest.get(uri)
                && done(version, diagnostics)
            {
                return diagnostics.clone();
            }
            let params = self.diagnostics.recv().await.unwrap();
            let uri = params["uri"].as_str().unwrap().to_string();
            let version = params["version"].clone();
            let list = params["diagnostics"].as_array().unwrap().clone();
            self.history
                .push((uri.clone(), version.clone(), list.clone()));
            self.latest.insert(uri, (version, list));
        }
    }
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or(""))
        .collect()
}

/// Runs a test body on a multi-threaded runtime under [`TIMEOUT`].
fn run<F: std::future::Future<Output = ()>>(body: F) {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            tokio::time::timeout(TIMEOUT, body)
                .await
                .expect("the test timed out: the server hung or never published");
        });
}

const PARTIES: &str = "party mailco \"Mail Co Inc.\" {
  role processor
  country US
  agreement {
    signed 2025-01-01
    clauses subject-matter, instructions, confidentiality, security, subprocessors,
            assistance-rights, assistance-obligations, deletion, audits
  }
}
";

fn shop() -> Dir {
    Dir::new(&[
        ("lawful.toml", "[workspace]\ntoday = \"2026-11-22\"\n"),
        ("controller.lawful", CONTROLLER),
        ("parties.lawful", PARTIES),
        ("activities.lawful", ACTIVITIES),
    ])
}

/// The range of `country US` in parties.lawful: line 2, characters 10..12.
fn us_range() -> Value {
    json!({"start": {"line": 2, "character": 10}, "end": {"line": 2, "character": 12}})
}

#[test]
fn initialize_reports_the_version_and_negotiates_the_encoding() {
    run(async {
        let dir = shop();
        let mut client = Client::start().await;
        let response = client.initialize(&dir, &["utf-16", "utf-8"]).await;
        let result = &response["result"];
        assert_eq!(result["serverInfo"]["name"], "lawful");
        assert_eq!(result["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
        // Incremental sync (2).
        assert_eq!(result["capabilities"]["textDocumentSync"]["change"], 2);
        assert_eq!(
            result["capabilities"]["renameProvider"]["prepareProvider"],
            true
        );

        let mut other = Client::start().await;
        let response = other.initialize(&dir, &["utf-32"]).await;
        assert_eq!(
            response["result"]["capabilities"]["positionEncoding"],
            "utf-16"
        );
    });
}

#[test]
fn every_file_of_the_workspace_gets_diagnostics_before_any_is_opened() {
    run(async {
        let dir = shop();
        let mut client = Client::start().await;
        client.initialize(&dir, &[]).await;
        let activities = client
            .diagnostics_until(&dir.uri("activities.lawful"), |_, d| !d.is_empty())
            .await;
        assert_eq!(codes(&activities), ["T002"]);
        let t002 = &activities[0];
        assert_eq!(
            t002["range"],
            json!({"start": {"line": 6, "character": 2}, "end": {"line": 6, "character": 18}})
        );
        assert_eq!(t002["severity"], 1);
        assert_eq!(t002["source"], "lawful");
        assert_eq!(t002["codeDescription"]["href"], "lawful-rule:///T002.md");
        let message = t002["message"].as_str().unwrap();
        assert!(
            message.starts_with("`mailco` in United States (`US`) is not covered"),
            "{message}"
        );
        assert!(
            message.contains("\nhelp: add `certified dpf` to `mailco`"),
            "{message}"
        );
        assert!(message.ends_with("GDPR Art. 45(1)"), "{message}");
        let related = &t002["relatedInformation"][0];
        assert_eq!(related["location"]["uri"], dir.uri("parties.lawful"));
        assert_eq!(related["location"]["range"], us_range());
        assert_eq!(related["message"], "the destination country is given here");
        // Files without findings are published too (empty), so old findings clear.
        let parties = client
            .diagnostics_until(&dir.uri("parties.lawful"), |_, _| true)
            .await;
        assert!(parties.is_empty(), "{parties:?}");
    });
}

#[test]
fn an_edit_to_a_party_updates_and_clears_findings_in_the_file_using_it() {
    run(async {
        let dir = shop();
        let mut client = Client::start().await;
        client.initialize(&dir, &["utf-16"]).await;
        let activities = dir.uri("activities.lawful");
        let parties = dir.uri("parties.lawful");
        client
            .diagnostics_until(&activities, |_, d| codes(d) == ["T002"])
            .await;
        let controller = dir.uri("controller.lawful");
        client.diagnostics_until(&controller, |_, _| true).await;
        client.open(&dir, "parties.lawful").await;
        // `country US` → `country NL`: the transfer finding in the other file goes away.
        client
            .change(&parties, 2, json!([{"range": us_range(), "text": "NL"}]))
            .await;
        client
            .diagnostics_until(&activities, |_, d| d.is_empty())
            .await;
        let own = client
            .diagnostics_until(&parties, |v, _| v == &json!(2))
            .await;
        assert!(own.is_empty(), "{own:?}");
        // And back: it returns.
        let nl =
            json!({"start": {"line": 2, "character": 10}, "end": {"line": 2, "character": 12}});
        client
            .change(&parties, 3, json!([{"range": nl, "text": "US"}]))
            .await;
        let back = client
            .diagnostics_until(&activities, |_, d| !d.is_empty())
            .await;
        assert_eq!(codes(&back), ["T002"]);
        // The run after the first edit published `activities.lawful` (before the second
        // edit's run began) but not the unchanged `controller.lawful`: it is sent once.
        let sent = client
            .history
            .iter()
            .filter(|(uri, _, _)| uri == &controller)
            .count();
        assert_eq!(sent, 1, "{:?}", client.history);
    });
}

#[test]
fn a_burst_of_edits_is_published_for_the_latest_version_only_and_never_goes_back() {
    run(async {
        let dir = shop();
        let mut client = Client::start().await;
        client.initialize(&dir, &["utf-16"]).await;
        let parties = dir.uri("parties.lawful");
        client.open(&dir, "parties.lawful").await;
        // Twenty edits, each replacing the contact line's end: the last one leaves a typo key.
        for version in 2..=21 {
            let text = if version == 21 {
                "  rol processor"
            } else {
                "  role processor"
            };
            let range =
                json!({"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 99}});
            client
                .change(&parties, version, json!([{"range": range, "text": text}]))
                .await;
        }
        let last = client
            .diagnostics_until(&parties, |v, _| v == &json!(21))
            .await;
        assert!(codes(&last).contains(&"E002"), "{last:?}");
        let versions: Vec<i64> = client
            .history
            .iter()
            .filter(|(uri, _, _)| uri == &parties)
            .filter_map(|(_, v, _)| v.as_i64())
            .collect();
        assert!(
            versions.windows(2).all(|w| w[0] <= w[1]),
            "published versions went back: {versions:?}"
        );
        // A burst collapses: far fewer runs than edits.
        assert!(versions.len() < 20, "{versions:?}");
    });
}

#[test]
fn unused_declarations_are_tagged_unnecessary() {
    run(async {
        let dir = Dir::new(&[
            ("controller.lawful", CONTROLLER),
            ("data.lawful", "data shoe-size \"Shoe size\" { }\n"),
        ]);
        let mut client = Client::start().await;
        client.initialize(&dir, &[]).await;
        let found = client
            .diagnostics_until(&dir.uri("data.lawful"), |_, d| !d.is_empty())
            .await;
        assert_eq!(codes(&found), ["U001"]);
        assert_eq!(found[0]["tags"], json!([1]));
        assert_eq!(found[0]["severity"], 3);
        assert_eq!(
            found[0]["range"],
            json!({"start": {"line": 0, "character": 5}, "end": {"line": 0, "character": 14}})
        );
    });
}

#[test]
fn hover_definition_references_and_rename_go_across_files_and_into_the_stdlib() {
    run(async {
        let dir = shop();
        let mut client = Client::start().await;
        client.initialize(&dir, &["utf-16"]).await;
        let activities = dir.uri("activities.lawful");
        client.open(&dir, "activities.lawful").await;
        let at = |line: u32, character: u32| json!({"textDocument": {"uri": activities}, "position": {"line": line, "character": character}});
        // Hover on `recipient mailco`: the party's role and country with its adequacy.
        let hover = client.request("textDocument/hover", at(6, 14)).await;
        let text = hover["result"]["contents"]["value"].as_str().unwrap();
        assert!(
            text.starts_with("party `mailco` \"Mail Co Inc.\""),
            "{text}"
        );
        assert!(text.contains("role: processor"), "{text}");
        assert!(text.contains("country: US (partial adequacy"), "{text}");
        assert_eq!(
            hover["result"]["range"],
            json!({"start": {"line": 6, "character": 12}, "end": {"line": 6, "character": 18}})
        );
        // Hover on a key.
        let hover = client.request("textDocument/hover", at(5, 4)).await;
        let text = hover["result"]["contents"]["value"].as_str().unwrap();
        assert!(
            text.starts_with("`retention` — at most once; A002 when missing: "),
            "{text}"
        );

        // Definition into the other file.
        let definition = client.request("textDocument/definition", at(6, 14)).await;
        assert_eq!(definition["result"]["uri"], dir.uri("parties.lawful"));
        assert_eq!(
            definition["result"]["range"],
            json!({"start": {"line": 0, "character": 6}, "end": {"line": 0, "character": 12}})
        );
        // Definition into the stdlib, served read-only.
        let definition = client.request("textDocument/definition", at(3, 12)).await;
        let uri = definition["result"]["uri"].as_str().unwrap().to_string();
        assert_eq!(uri, "lawful-stdlib:///subjects.lawful");
        let content = client.request("lawful/content", json!({"uri": uri})).await;
        let text = content["result"]["text"].as_str().unwrap();
        let line = definition["result"]["range"]["start"]["line"]
            .as_u64()
            .unwrap() as usize;
        assert!(
            text.lines()
                .nth(line)
                .unwrap()
                .contains("subjects customers")
        );

        // References from the declaration, declaration included.
        let parties = dir.uri("parties.lawful");
        let refs = client
            .request(
                "textDocument/references",
                json!({"textDocument": {"uri": parties}, "position": {"line": 0, "character": 8},
                       "context": {"includeDeclaration": true}}),
            )
            .await;
        let found: Vec<(String, u64)> = refs["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["uri"].as_str().unwrap().to_string(),
                    l["range"]["start"]["line"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(found, [(parties.clone(), 0), (activities.clone(), 6)]);

        // Rename across both files.
        let edit = client
            .request(
                "textDocument/rename",
                json!({"textDocument": {"uri": activities}, "position": {"line": 6, "character": 14},
                       "newName": "mailer"}),
            )
            .await;
        let changes = &edit["result"]["changes"];
        assert_eq!(changes[&parties][0]["newText"], "mailer");
        assert_eq!(
            changes[&activities][0]["range"]["start"],
            json!({"line": 6, "character": 12})
        );
        // A stdlib name is refused, with the reason.
        let refused = client
            .request("textDocument/prepareRename", at(3, 12))
            .await;
        let reason = refused["error"]["message"].as_str().unwrap();
        assert_eq!(
            reason,
            "subjects `customers` belongs to the standard library and cannot be renamed; declare a subjects of your own instead"
        );
    });
}

#[test]
fn hover_on_an_allowed_rule_code_shows_the_rule_and_its_article() {
    run(async {
        let parties = PARTIES.replace(
            "  role processor\n",
            "  role processor\n  allow D005 \"reviewed\"\n",
        );
        let dir = Dir::new(&[
            ("controller.lawful", CONTROLLER),
            ("parties.lawful", &parties),
        ]);
        let mut client = Client::start().await;
        client.initialize(&dir, &[]).await;
        let uri = dir.uri("parties.lawful");
        let hover = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 9}}),
            )
            .await;
        let text = hover["result"]["contents"]["value"].as_str().unwrap();
        let rule = lawful::registry::lookup("D005").unwrap();
        assert!(text.starts_with("**D005**"), "{text}");
        assert!(text.contains(rule.summary), "{text}");
        assert!(text.contains(rule.article), "{text}");
        assert_eq!(
            hover["result"]["range"],
            json!({"start": {"line": 2, "character": 8}, "end": {"line": 2, "character": 12}})
        );
    });
}

#[test]
fn formatting_returns_the_formatter_output_and_positions_follow_the_encoding() {
    run(async {
        let messy = "party  bakker \"Bakkerij De Korenschoof ë😀\"{role processor\ncountry NL}\n";
        let dir = Dir::new(&[("controller.lawful", CONTROLLER), ("bakker.lawful", messy)]);
        let mut client = Client::start().await;
        client.initialize(&dir, &["utf-16"]).await;
        let uri = dir.uri("bakker.lawful");
        client.open(&dir, "bakker.lawful").await;
        let edits = client
            .request(
                "textDocument/formatting",
                json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
            )
            .await;
        let edit = &edits["result"][0];
        let expected = lawful::fmt::format(lawful::source::FileId(0), messy).unwrap();
        assert_eq!(edit["newText"], expected);
        assert_eq!(edit["range"]["end"], json!({"line": 2, "character": 0}));
        // Hover on `processor`-less key `role` after the emoji: UTF-16 counts the emoji twice.
        let hover = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 45}}),
            )
            .await;
        assert_eq!(
            hover["result"]["range"],
            json!({"start": {"line": 0, "character": 44}, "end": {"line": 0, "character": 48}})
        );
    });
}

#[test]
fn symbols_tokens_folding_and_links() {
    run(async {
        let dir = shop();
        let mut client = Client::start().await;
        client.initialize(&dir, &[]).await;
        let uri = dir.uri("activities.lawful");
        client.open(&dir, "activities.lawful").await;
        let doc = json!({"textDocument": {"uri": uri}});
        let symbols = client
            .request("textDocument/documentSymbol", doc.clone())
            .await;
        let symbols = symbols["result"].as_array().unwrap();
        let names: Vec<&str> = symbols
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["newsletter", "newsletter-mail"]);
        assert_eq!(symbols[0]["children"][0]["name"], "basis");
        assert_eq!(symbols[0]["children"][0]["detail"], "consent");

        let found = client
            .request("workspace/symbol", json!({"query": "mail"}))
            .await;
        let names: Vec<&str> = found["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"mailco") && names.contains(&"newsletter-mail"),
            "{names:?}"
        );

        let tokens = client
            .request("textDocument/semanticTokens/full", doc.clone())
            .await;
        let data: Vec<u64> = tokens["result"]["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .collect();
        // `activity` keyword (0), then the name (type, 1), then the title string (5).
        assert_eq!(
            &data[..15],
            &[0, 0, 8, 0, 0, 0, 9, 10, 1, 0, 0, 11, 12, 5, 0]
        );

        let folds = client
            .request("textDocument/foldingRange", doc.clone())
            .await;
        let first = &folds["result"][0];
        assert_eq!(
            (first["startLine"].as_u64(), first["endLine"].as_u64()),
            (Some(0), Some(7))
        );

        let links = client.request("textDocument/documentLink", doc).await;
        assert_eq!(links["result"][0]["target"], "https://example.nl/privacy");
        assert_eq!(
            links["result"][0]["range"],
            json!({"start": {"line": 2, "character": 54}, "end": {"line": 2, "character": 80}})
        );
    });
}

#[test]
fn malformed_messages_and_unknown_methods_do_not_stop_the_server() {
    run(async {
        let dir = shop();
        let mut client = Client::start().await;
        client.initialize(&dir, &[]).await;
        {
            let mut writer = client.writer.lock().await;
            writer
                .write_all(b"Content-Length: 6\r\n\r\n{oops}")
                .await
                .unwrap();
            writer.write_all(b"X-Nonsense: 1\r\n\r\n").await.unwrap();
            writer.flush().await.unwrap();
        }
        let unknown = client.request("lawful/noSuchThing", json!({})).await;
        assert_eq!(unknown["error"]["code"], -32601);
        // Half-typed input and a file that does not exist on disk.
        let uri = dir.uri("new.lawful");
        client.open_text(&uri, "party half {\n  role proc").await;
        let found = client.diagnostics_until(&uri, |_, d| !d.is_empty()).await;
        assert!(codes(&found).contains(&"E001"), "{found:?}");
        let hover = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": {"line": 9, "character": 99}}),
            )
            .await;
        assert_eq!(hover["result"], Value::Null);
        let shutdown = client.request("shutdown", Value::Null).await;
        assert_eq!(shutdown["result"], Value::Null);
    });
}

#[test]
fn files_created_on_disk_and_a_broken_lawful_toml_are_picked_up() {
    run(async {
        let dir = shop();
        let mut client = Client::start().await;
        client.initialize(&dir, &[]).await;
        let activities = dir.uri("activities.lawful");
        client
            .diagnostics_until(&activities, |_, d| codes(d) == ["T002"])
            .await;
        // A file created on disk (not open) is checked and published.
        let extra = dir.0.join("extra.lawful");
        std::fs::write(&extra, "data shoe-size \"Shoe size\" { }\n").unwrap();
        client
            .notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": dir.uri("extra.lawful"), "type": 1}]}),
            )
            .await;
        let found = client
            .diagnostics_until(&dir.uri("extra.lawful"), |_, d| !d.is_empty())
            .await;
        assert_eq!(codes(&found), ["U001"]);
        // Deleted: its findings are cleared.
        std::fs::remove_file(&extra).unwrap();
        client
            .notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": dir.uri("extra.lawful"), "type": 3}]}),
            )
            .await;
        client
            .diagnostics_until(&dir.uri("extra.lawful"), |_, d| d.is_empty())
            .await;
        // `lawful.toml` broken: shown on the file, the others still checked.
        std::fs::write(dir.0.join("lawful.toml"), "[workspace\n").unwrap();
        client
            .notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": dir.uri("lawful.toml"), "type": 2}]}),
            )
            .await;
        let config = client
            .diagnostics_until(&dir.uri("lawful.toml"), |_, d| !d.is_empty())
            .await;
        let message = config[0]["message"].as_str().unwrap();
        assert!(message.contains("invalid TOML"), "{message}");
        let still = client
            .diagnostics_until(&activities, |_, d| !d.is_empty())
            .await;
        assert!(codes(&still).contains(&"T002"), "{still:?}");
    });
}

#[test]
fn a_file_deleted_while_open_stays_checked_until_closed_then_its_uses_are_reported() {
    run(async {
        let dir = shop();
        let mut client = Client::start().await;
        client.initialize(&dir, &[]).await;
        let parties = dir.uri("parties.lawful");
        let activities = dir.uri("activities.lawful");
        client.open(&dir, "parties.lawful").await;
        client
            .diagnostics_until(&parties, |v, _| v == &json!(1))
            .await;
        std::fs::remove_file(dir.0.join("parties.lawful")).unwrap();
        client
            .notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": parties, "type": 3}]}),
            )
            .await;
        // Still open: the buffer stands in for the file, so `mailco` still resolves.
        let hover = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": activities}, "position": {"line": 6, "character": 14}}),
            )
            .await;
        assert!(
            hover["result"]["contents"]["value"]
                .as_str()
                .unwrap_or_default()
                .contains("role: processor"),
            "{hover}"
        );
        // A change to a document that was never opened is ignored, not a crash.
        client
            .change(
                &dir.uri("ghost.lawful"),
                5,
                json!([{"text": "party ghost {"}]),
            )
            .await;
        client
            .notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": parties}}),
            )
            .await;
        client
            .diagnostics_until(&parties, |_, d| d.is_empty())
            .await;
        let found = client
            .diagnostics_until(&activities, |_, d| codes(d) != ["T002"] && !d.is_empty())
            .await;
        assert_eq!(codes(&found), ["E004"], "{found:?}");
        assert!(
            found[0]["message"]
                .as_str()
                .unwrap()
                .starts_with("no party named `mailco`"),
            "{found:?}"
        );
    });
}

/// The real binary ends on `exit` even while the editor keeps its standard input open (a
/// pending read of stdin must not keep the process alive).
#[test]
fn the_binary_exits_on_exit_with_stdin_still_open() {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lawful"))
        .arg("lsp")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut send = |message: Value| {
        let body = message.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    };
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    );
    // Wait for the answer, as an editor does, before the rest.
    let mut length = 0;
    loop {
        let mut line = String::new();
        std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
        if let Some(n) = line.trim_end().strip_prefix("Content-Length: ") {
            length = n.parse().unwrap();
        }
        if line.trim_end().is_empty() {
            break;
        }
    }
    let mut body = vec![0; length];
    std::io::Read::read_exact(&mut stdout, &mut body).unwrap();
    let response: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(response["result"]["serverInfo"]["name"], "lawful");
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    send(json!({"jsonrpc": "2.0", "method": "exit"}));
    // A guard against a hang, not a timing assertion: stdin stays open throughout.
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("`lawful lsp` did not exit after `exit`");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    drop(stdin);
}

#[test]
fn completion_code_actions_inlay_hints_and_code_lenses_through_the_protocol() {
    run(async {
        let dir = shop();
        let mut client = Client::start().await;
        let response = client.initialize(&dir, &["utf-16"]).await;
        let caps = &response["result"]["capabilities"];
        assert_eq!(caps["inlayHintProvider"], true);
        assert_eq!(
            caps["codeActionProvider"]["codeActionKinds"],
            json!(["quickfix", "source.fixAll"])
        );
        let activities = dir.uri("activities.lawful");
        client.open(&dir, "activities.lawful").await;
        // Misspell the key `subjects` on line 3 and the recipient on line 6.
        client
            .change(
                &activities,
                2,
                json!([
                    {"range": {"start": {"line": 3, "character": 2}, "end": {"line": 3, "character": 10}}, "text": "subjetcs"},
                    {"range": {"start": {"line": 6, "character": 12}, "end": {"line": 6, "character": 18}}, "text": "mailcoo"}
                ]),
            )
            .await;
        let diagnostics = client
            .diagnostics_until(&activities, |v, _| v == &json!(2))
            .await;
        assert!(codes(&diagnostics).contains(&"E004"), "{diagnostics:?}");

        // Completion of a recipient: the workspace's party.
        let completion = client
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": activities}, "position": {"line": 6, "character": 12}}),
            )
            .await;
        let items = completion["result"].as_array().unwrap();
        let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
        assert_eq!(labels, ["mailco"], "{completion}");
        assert!(
            items[0]["documentation"]["value"]
                .as_str()
                .unwrap()
                .starts_with("party `mailco`")
        );

        // The quick fix for the misspelt reference, preferred, fixes it.
        let actions = client
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": activities},
                       "range": {"start": {"line": 6, "character": 14}, "end": {"line": 6, "character": 14}},
                       "context": {"diagnostics": []}}),
            )
            .await;
        let actions = actions["result"].as_array().unwrap().clone();
        let preferred = actions
            .iter()
            .find(|a| a["isPreferred"] == true)
            .unwrap_or_else(|| panic!("{actions:?}"));
        assert_eq!(preferred["kind"], "quickfix");
        assert_eq!(preferred["diagnostics"][0]["code"], "E004");
        assert_eq!(
            preferred["edit"]["changes"][&activities],
            json!([{"range": {"start": {"line": 6, "character": 12}, "end": {"line": 6, "character": 19}}, "newText": "mailco"}])
        );
        // Fix-all: only the safe fixes, both misspellings at once.
        let fix_all = client
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": activities},
                       "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                       "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
            )
            .await;
        let fix_all = fix_all["result"].as_array().unwrap();
        assert_eq!(fix_all.len(), 1, "{fix_all:?}");
        assert_eq!(fix_all[0]["kind"], "source.fixAll");
        let edits = fix_all[0]["edit"]["changes"][&activities]
            .as_array()
            .unwrap();
        let texts: Vec<&str> = edits
            .iter()
            .map(|e| e["newText"].as_str().unwrap())
            .collect();
        assert_eq!(texts, ["subjects", "mailco"], "{edits:?}");

        // Applying them gives clean text: the findings go.
        client
            .change(
                &activities,
                3,
                json!([
                    {"range": {"start": {"line": 3, "character": 2}, "end": {"line": 3, "character": 10}}, "text": "subjects"},
                    {"range": {"start": {"line": 6, "character": 12}, "end": {"line": 6, "character": 19}}, "text": "mailco"}
                ]),
            )
            .await;
        let diagnostics = client
            .diagnostics_until(&activities, |v, _| v == &json!(3))
            .await;
        assert!(!codes(&diagnostics).contains(&"E004"), "{diagnostics:?}");

        // Inlay hints: the transfer facts after the recipient.
        let hints = client
            .request(
                "textDocument/inlayHint",
                json!({"textDocument": {"uri": activities},
                       "range": {"start": {"line": 0, "character": 0}, "end": {"line": 12, "character": 0}}}),
            )
            .await;
        let hints = hints["result"].as_array().unwrap();
        let recipient = hints
            .iter()
            .find(|h| h["position"] == json!({"line": 6, "character": 18}))
            .unwrap_or_else(|| panic!("{hints:?}"));
        assert_eq!(
            recipient["label"],
            "US · DPF not met · processor · agreement ok"
        );

        // Code lens on the activity.
        let lenses = client
            .request(
                "textDocument/codeLens",
                json!({"textDocument": {"uri": activities}}),
            )
            .await;
        let lenses = lenses["result"].as_array().unwrap();
        assert_eq!(lenses.len(), 1, "{lenses:?}");
        assert_eq!(
            lenses[0]["range"]["start"],
            json!({"line": 0, "character": 0})
        );
        let title = lenses[0]["command"]["title"].as_str().unwrap();
        assert!(title.contains("1 transfer outside the EEA"), "{title}");
    });
}

/// A file with more findings than an editor can use gets the first 1,000 and one more that
/// counts the rest and points at the first not shown; its outline stops at 10,000 nested
/// statements. Both keep a 4 MiB file within the server's budget.
#[test]
fn a_file_with_too_many_findings_gets_the_first_thousand_and_a_count() {
    run(async {
        // Line 0 `data d {` (U001: unused), lines 1–700 unknown keys (E002), lines 701–1400
        // `origin` again and again (E006 from line 702), then 10,050 blocks (E002 too, past
        // the analysis's own cap of 1,000 per code).
        let mut data = String::from("data d {\n");
        for i in 0..700 {
            data.push_str(&format!("  note{i} x\n"));
        }
        data.push_str(&"  origin provided\n".repeat(700));
        for i in 0..10_050 {
            data.push_str(&format!("  block{i} {{ }}\n"));
        }
        data.push_str("}\n");
        let dir = Dir::new(&[
            ("controller.lawful", CONTROLLER),
            ("many.lawful", data.as_str()),
        ]);
        let mut client = Client::start().await;
        client.initialize(&dir, &[]).await;
        let uri = dir.uri("many.lawful");
        let found = client.diagnostics_until(&uri, |_, d| !d.is_empty()).await;
        assert_eq!(found.len(), 1_001);
        let shown = codes(&found[..1_000]);
        assert_eq!(shown[0], "U001");
        assert!(shown[1..701].iter().all(|code| *code == "E002"));
        assert!(shown[701..].iter().all(|code| *code == "E006"));
        let last = &found[1_000];
        assert_eq!(last["severity"], 3);
        assert!(last["code"].is_null());
        // 1 + 1,000 E002 + 699 E006 found, 1,000 shown.
        assert!(
            last["message"]
                .as_str()
                .unwrap()
                .starts_with("700 more findings in this file are not shown"),
            "{last}"
        );
        // The first not shown: the 300th E006, on line 1,001 (0-based).
        assert_eq!(
            last["range"]["start"],
            json!({"line": 1001, "character": 2})
        );

        let symbols = client
            .request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": uri}}),
            )
            .await;
        let children = symbols["result"][0]["children"].as_array().unwrap();
        assert_eq!(children.len(), 10_000);
        assert_eq!(children[9_999]["name"], "block9999");
    });
}
