//! `lawful lsp`: the language server, a thin protocol layer over the core.
//!
//! * Every handler converts positions ([`lines`]) and calls a plain function of [`ide`] over a
//!   [`core::Snapshot`]; [`core`] is the only door into the checker.
//! * Edits are applied synchronously, in order, before any `.await`. A worker task analyses
//!   the latest state as soon as the previous run ends: a burst of edits collapses into one
//!   run, with no fixed delay; a result made stale by a newer edit is dropped, never published.
//! * Diagnostics are published for every file of the workspace, with the document version of
//!   the state analysed, so an edit in one file updates the findings of the files using it.
//! * Logging goes to stderr; stdout carries only the protocol.

pub mod assist;
pub mod core;
pub mod ide;
pub mod lines;
pub mod transport;

use self::core::{Disk, Document, Engine, Snapshot};
use self::lines::{Encoding, Lines};
use crate::registry::{self, Severity};
use crate::source::{FileId, Origin, Span};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::Notify;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, ClientSocket, LanguageServer, LspService};

/// The URI scheme of the embedded standard library's files: `lawful-stdlib:///countries.lawful`.
pub const STDLIB_SCHEME: &str = "lawful-stdlib";
/// The URI scheme of a rule's documentation: `lawful-rule:///B001.md` (`codeDescription`).
pub const RULE_SCHEME: &str = "lawful-rule";
/// The request that serves the text of those read-only documents.
pub const CONTENT_METHOD: &str = "lawful/content";

/// How long the server waits for the client to answer a request of its own.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves the protocol on stdin/stdout until the client exits.
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // A read of stdin still blocks a thread of the pool when the editor keeps the pipe open
    // after `exit`: do not wait for it.
    runtime.shutdown_background();
    Ok(())
}

/// Serves the protocol on any pair of streams (stdio, or pipes in tests), with malformed
/// frames screened out first ([`transport::screen`]).
pub async fn serve(
    input: impl tokio::io::AsyncRead + Unpin + Send + 'static,
    output: impl tokio::io::AsyncWrite + Unpin + Send + 'static,
) {
    let (screened, server_input) = tokio::io::duplex(1 << 20);
    tokio::spawn(transport::screen(input, screened));
    let (service, socket) = service();
    tower_lsp_server::Server::new(server_input, output, socket)
        .serve(service)
        .await;
}

/// The JSON-RPC service and the socket of messages to the client (for in-process tests).
pub fn service() -> (LspService<Server>, ClientSocket) {
    LspService::build(Server::new)
        .custom_method(CONTENT_METHOD, Server::content)
        .finish()
}

/// Logs a line to stderr (never stdout: it carries the protocol).
fn log(message: impl std::fmt::Display) {
    eprintln!("lawful lsp: {message}");
}

pub struct Server {
    client: Client,
    state: Arc<Mutex<State>>,
    wake: Arc<Notify>,
}

#[derive(Default)]
struct State {
    encoding: Encoding,
    /// Open buffers by real path.
    documents: HashMap<PathBuf, Document>,
    /// The URI the client used for each open buffer, by real path.
    uris: HashMap<PathBuf, Uri>,
    /// The client's workspace folders, as real paths.
    folders: Vec<PathBuf>,
    /// Each workspace by root.
    workspaces: BTreeMap<PathBuf, Workspace>,
    /// Bumped by every change; each workspace remembers the last one that touched it.
    generation: u64,
    /// What was published last, per workspace root and file: unchanged files are not sent
    /// again, and files that vanish are cleared.
    published: HashMap<PathBuf, HashMap<Uri, Published>>,
    worker_started: bool,
    watch_registered: bool,
}

/// The version and diagnostics last sent for one file.
type Published = (Option<i32>, Vec<Diagnostic>);

struct Workspace {
    has_config: bool,
    disk: Option<Arc<Disk>>,
    /// Bumped whenever the disk must be read again.
    disk_epoch: u64,
    generation: u64,
    snapshot: Option<Arc<Snapshot>>,
    /// The incremental analysis, kept across runs and disk reloads.
    engine: Arc<Mutex<Engine>>,
}

impl Workspace {
    fn new(has_config: bool, generation: u64) -> Workspace {
        Workspace {
            has_config,
            disk: None,
            disk_epoch: 0,
            generation,
            snapshot: None,
            engine: Arc::new(Mutex::new(Engine::new())),
        }
    }
}

/// What the worker analyses in one run.
struct Job {
    root: PathBuf,
    has_config: bool,
    disk: Option<Arc<Disk>>,
    disk_epoch: u64,
    documents: HashMap<PathBuf, Document>,
    generation: u64,
    engine: Arc<Mutex<Engine>>,
}

impl State {
    fn touch(&mut self, root: &Path) {
        self.generation += 1;
        let generation = self.generation;
        if let Some(ws) = self.workspaces.get_mut(root) {
            ws.generation = generation;
        }
    }

    /// The workspace of a file, created (as `lawful check` would find it) when new.
    fn workspace_for(&mut self, path: &Path) -> Option<PathBuf> {
        if let Some(root) = self
            .workspaces
            .keys()
            .filter(|root| path.starts_with(root))
            .max_by_key(|root| root.as_os_str().len())
        {
            // A nearer `lawful.toml` makes a nested workspace of its own.
            if let Ok((found, _)) = core::root_of(path)
                && &found == root
            {
                return Some(found);
            }
        }
        let (root, has_config) = core::root_of(path).ok()?;
        self.generation += 1;
        let generation = self.generation;
        self.workspaces
            .entry(root.clone())
            .or_insert_with(|| Workspace::new(has_config, generation));
        Some(root)
    }

    fn job(&self) -> Option<Job> {
        let (root, ws) = self.workspaces.iter().find(|(_, ws)| {
            ws.snapshot
                .as_ref()
                .is_none_or(|s| s.generation != ws.generation)
        })?;
        Some(self.job_for(root, ws))
    }

    fn job_for(&self, root: &Path, ws: &Workspace) -> Job {
        Job {
            root: root.to_path_buf(),
            has_config: ws.has_config,
            disk: ws.disk.clone(),
            disk_epoch: ws.disk_epoch,
            documents: self
                .documents
                .iter()
                .filter(|(path, _)| path.starts_with(root))
                .map(|(path, doc)| (path.clone(), doc.clone()))
                .collect(),
            generation: ws.generation,
            engine: Arc::clone(&ws.engine),
        }
    }

    /// Stores a finished run unless a newer change made it stale.
    fn finish(&mut self, job: &Job, disk: Arc<Disk>, snapshot: Arc<Snapshot>) -> bool {
        let Some(ws) = self.workspaces.get_mut(&job.root) else {
            return false;
        };
        if ws.disk_epoch == job.disk_epoch {
            ws.disk = Some(disk);
        }
        if ws.generation != job.generation {
            return false;
        }
        ws.snapshot = Some(snapshot);
        true
    }

    fn current(&self, root: &Path, generation: u64) -> bool {
        self.workspaces
            .get(root)
            .is_some_and(|ws| ws.generation == generation)
    }

    /// Every workspace must be read from disk again (a watched file changed); with
    /// `lawful.toml` changes the roots themselves are found again.
    fn invalidate(&mut self, paths: &[PathBuf], config_changed: bool) {
        if config_changed {
            let mut wanted: Vec<PathBuf> = self.folders.clone();
            wanted.extend(self.documents.keys().cloned());
            let old = std::mem::take(&mut self.workspaces);
            for path in wanted {
                let found = if path.extension().is_some_and(|e| e == "lawful") {
                    core::root_of(&path).ok()
                } else {
                    core::root_of_dir(&path)
                };
                if let Some((root, has_config)) = found {
                    self.generation += 1;
                    let generation = self.generation;
                    self.workspaces
                        .entry(root)
                        .or_insert_with(|| Workspace::new(has_config, generation));
                }
            }
            // Workspaces that are gone keep their published URIs, cleared by the next run of
            // any workspace (see `run_job`).
            drop(old);
            return;
        }
        self.generation += 1;
        let generation = self.generation;
        for (root, ws) in &mut self.workspaces {
            if paths.iter().any(|p| p.starts_with(root)) {
                ws.disk = None;
                ws.disk_epoch += 1;
                ws.generation = generation;
            }
        }
    }
}

impl Server {
    fn new(client: Client) -> Server {
        Server {
            client,
            state: Arc::new(Mutex::new(State::default())),
            wake: Arc::new(Notify::new()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    fn encoding(&self) -> Encoding {
        self.state().encoding
    }

    fn start_worker(&self) {
        let mut state = self.state();
        if state.worker_started {
            return;
        }
        state.worker_started = true;
        drop(state);
        let state = Arc::clone(&self.state);
        let wake = Arc::clone(&self.wake);
        let client = self.client.clone();
        tokio::spawn(async move {
            loop {
                wake.notified().await;
                loop {
                    let job = lock(&state).job();
                    let Some(job) = job else { break };
                    run_job(&state, &client, job).await;
                }
            }
        });
    }

    /// The analysed state of the workspace holding `uri`, made now if the worker has not
    /// caught up with the latest edit (requests never answer from a stale state).
    async fn snapshot_for(&self, uri: &Uri) -> Option<(Arc<Snapshot>, FileId)> {
        if uri.scheme().as_str() == STDLIB_SCHEME {
            let name = format!("<stdlib>{}", uri.path().as_str());
            let snapshot = self.any_snapshot().await?;
            let file = snapshot.sources.find(&name)?;
            return Some((snapshot, file));
        }
        let path = document_path(uri)?;
        let root = self.state().workspace_for(&path)?;
        let snapshot = self.fresh(&root).await?;
        let file = snapshot.file_of(&path)?;
        Some((snapshot, file))
    }

    async fn any_snapshot(&self) -> Option<Arc<Snapshot>> {
        let root = self.state().workspaces.keys().next().cloned();
        match root {
            Some(root) => self.fresh(&root).await,
            None => {
                // No workspace yet: the stdlib alone, from an empty directory-less state.
                let snapshot = tokio::task::spawn_blocking(|| {
                    let dir = std::env::temp_dir().join("lawful-lsp-stdlib-only");
                    let disk = core::load_disk(&dir, false)?;
                    Some(Arc::new(core::snapshot(
                        &disk,
                        &HashMap::new(),
                        &mut Engine::new(),
                        0,
                    )))
                })
                .await
                .ok()??;
                Some(snapshot)
            }
        }
    }

    async fn fresh(&self, root: &Path) -> Option<Arc<Snapshot>> {
        let job = {
            let state = self.state();
            let ws = state.workspaces.get(root)?;
            if let Some(snapshot) = &ws.snapshot
                && snapshot.generation == ws.generation
            {
                return Some(Arc::clone(snapshot));
            }
            state.job_for(root, ws)
        };
        let (disk, snapshot) = analyse(&job).await?;
        lock(&self.state).finish(&job, disk, Arc::clone(&snapshot));
        Some(snapshot)
    }

    fn changed(&self) {
        self.start_worker();
        self.wake.notify_one();
    }

    async fn register_watchers(&self) {
        let registration = Registration {
            id: "lawful-watched-files".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                watchers: ["**/*.lawful", "**/lawful.toml"]
                    .into_iter()
                    .map(|glob| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(glob.to_string()),
                        kind: None,
                    })
                    .collect(),
            })
            .ok(),
        };
        match tokio::time::timeout(
            CLIENT_TIMEOUT,
            self.client.register_capability(vec![registration]),
        )
        .await
        {
            Ok(Ok(())) => {}
            Ok(Err(error)) => log(format!("the client refused file watching: {error}")),
            Err(_) => log("the client did not answer the file-watching registration"),
        }
    }

    /// `lawful/content`: the text of a read-only document (a stdlib file or a rule's page).
    async fn content(&self, params: ContentParams) -> Result<ContentResult> {
        let uri: Uri = params
            .uri
            .parse()
            .map_err(|_| invalid(format!("`{}` is not a URI", params.uri)))?;
        let path = uri.path().as_str().trim_start_matches('/');
        let scheme = uri.scheme().as_str();
        if scheme == STDLIB_SCHEME {
            let name = format!("<stdlib>/{path}");
            return crate::stdlib::FILES
                .iter()
                .find(|(file, _)| *file == name)
                .map(|(_, text)| ContentResult {
                    text: (*text).to_string(),
                })
                .ok_or_else(|| invalid(format!("the standard library has no file `{path}`")));
        }
        if scheme == RULE_SCHEME {
            let code = path.trim_end_matches(".md");
            return registry::lookup(code)
                .map(|rule| ContentResult {
                    text: rule.explain.to_string(),
                })
                .ok_or_else(|| invalid(format!("there is no rule `{code}`")));
        }
        Err(invalid(format!("`{scheme}` documents are not served here")))
    }
}

fn lock<T>(state: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock must not take the server down with it.
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn invalid(message: String) -> Error {
    Error {
        code: ErrorCode::InvalidParams,
        message: message.into(),
        data: None,
    }
}

#[derive(Debug, Deserialize, Serialize)]
pub struct ContentParams {
    pub uri: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct ContentResult {
    pub text: String,
}

/// Runs the checker off the async threads.
async fn analyse(job: &Job) -> Option<(Arc<Disk>, Arc<Snapshot>)> {
    let root = job.root.clone();
    let has_config = job.has_config;
    let disk = job.disk.clone();
    let documents = job.documents.clone();
    let generation = job.generation;
    let engine = Arc::clone(&job.engine);
    tokio::task::spawn_blocking(move || {
        let disk = match disk {
            Some(disk) => disk,
            None => Arc::new(core::load_disk(&root, has_config)?),
        };
        let mut engine = lock(&engine);
        let snapshot = Arc::new(core::snapshot(&disk, &documents, &mut engine, generation));
        Some((disk, snapshot))
    })
    .await
    .ok()?
}

async fn run_job(state: &Arc<Mutex<State>>, client: &Client, job: Job) {
    let Some((disk, snapshot)) = analyse(&job).await else {
        // The workspace cannot be read at all: forget it rather than retry forever.
        lock(state).workspaces.remove(&job.root);
        return;
    };
    if !lock(state).finish(&job, disk, Arc::clone(&snapshot)) {
        return;
    }
    let (encoding, uris) = {
        let state = lock(state);
        (state.encoding, state.uris.clone())
    };
    let mut timer = crate::analysis::Timings::start();
    let mut batches = diagnostics_by_file(&snapshot, encoding, &uris);
    timer.phase("lsp: diagnostics to the protocol");
    // Open buffers first: they are what the user is looking at.
    batches.sort_by_key(|(_, _, version)| version.is_none());
    // Only what changed is sent: a file whose findings and version are as last published
    // is skipped, and a file that left the workspace is cleared.
    let (cleared, changed) = {
        let mut state = lock(state);
        let gone: Vec<PathBuf> = state
            .published
            .keys()
            .filter(|root| !state.workspaces.contains_key(*root))
            .cloned()
            .collect();
        let mut cleared: Vec<Uri> = Vec::new();
        for root in gone {
            cleared.extend(
                state
                    .published
                    .remove(&root)
                    .unwrap_or_default()
                    .into_keys(),
            );
        }
        let now: HashSet<&Uri> = batches.iter().map(|(uri, _, _)| uri).collect();
        let published = state.published.entry(job.root.clone()).or_default();
        let vanished: Vec<Uri> = published
            .keys()
            .filter(|uri| !now.contains(uri))
            .cloned()
            .collect();
        for uri in &vanished {
            published.remove(uri);
        }
        cleared.extend(vanished);
        let changed: Vec<Batch> = batches
            .into_iter()
            .filter(|(uri, diagnostics, version)| {
                published
                    .get(uri)
                    .is_none_or(|(v, d)| v != version || d != diagnostics)
            })
            .collect();
        (cleared, changed)
    };
    for uri in cleared {
        client.publish_diagnostics(uri, Vec::new(), None).await;
    }
    for (uri, diagnostics, version) in changed {
        // Never publish for a state a newer edit has replaced: the next run publishes it.
        {
            let mut state = lock(state);
            if !state.current(&job.root, job.generation) {
                return;
            }
            state
                .published
                .entry(job.root.clone())
                .or_default()
                .insert(uri.clone(), (version, diagnostics.clone()));
        }
        client.publish_diagnostics(uri, diagnostics, version).await;
    }
}

/// The URI of a file of a snapshot: the client's own for open buffers.
fn uri_of(snapshot: &Snapshot, file: FileId, uris: &HashMap<PathBuf, Uri>) -> Option<Uri> {
    let source = snapshot.sources.get(file);
    if source.origin == Origin::Stdlib {
        let name = source.path.trim_start_matches("<stdlib>/");
        return format!("{STDLIB_SCHEME}:///{name}").parse().ok();
    }
    let path = snapshot.path(file)?;
    uris.get(path)
        .cloned()
        .or_else(|| Uri::from_file_path(path))
}

type Batch = (Uri, Vec<Diagnostic>, Option<i32>);

/// The most findings published for one file. A file of 4 MiB can hold 400,000 of them
/// (one per unknown key); converted and sent whole they took seconds and gigabytes, on the
/// server and in the editor, and nobody reads past the first screenfuls. The rest are
/// counted in one last finding that points at the first of them.
const MAX_PUBLISHED: usize = 1_000;

/// The diagnostics of every user file and of `lawful.toml`, empty lists included (they clear
/// what was shown before), at most [`MAX_PUBLISHED`] per file and a count of the rest.
fn diagnostics_by_file(
    snapshot: &Snapshot,
    encoding: Encoding,
    uris: &HashMap<PathBuf, Uri>,
) -> Vec<Batch> {
    let mut by_file: BTreeMap<FileId, Vec<Diagnostic>> = BTreeMap::new();
    for (id, source) in snapshot.sources.iter() {
        if source.origin != Origin::Stdlib && snapshot.path(id).is_some() {
            by_file.entry(id).or_default();
        }
    }
    let workspace_file = snapshot.workspace_file();
    let mut lines_cache: HashMap<FileId, Lines<'_>> = HashMap::new();
    let lines_of = |file: FileId| -> Lines<'_> { Lines::of(snapshot.sources.get(file), encoding) };
    // Past the cap, a file's findings are counted, not converted: (count, where the first
    // one not shown is).
    let mut unshown: BTreeMap<FileId, (usize, Range)> = BTreeMap::new();
    for d in snapshot.diagnostics() {
        let Some(file) = d.file_id().or(workspace_file) else {
            continue;
        };
        if snapshot.sources.get(file).origin == Origin::Stdlib {
            continue;
        }
        let lines = lines_cache.entry(file).or_insert_with(|| lines_of(file));
        if by_file
            .get(&file)
            .is_some_and(|shown| shown.len() >= MAX_PUBLISHED)
        {
            let more = unshown.entry(file).or_insert_with(|| {
                let at = d.primary.map(|span| lines.range(span.range()));
                (0, at.unwrap_or_default())
            });
            more.0 += 1;
            continue;
        }
        let range = match d.primary {
            Some(span) => lines.range(span.range()),
            None => Range::default(),
        };
        let related = d
            .related
            .iter()
            .filter_map(|r| {
                let uri = uri_of(snapshot, r.span.file, uris)?;
                let lines = lines_cache
                    .entry(r.span.file)
                    .or_insert_with(|| lines_of(r.span.file));
                Some(DiagnosticRelatedInformation {
                    location: Location::new(uri, lines.range(r.span.range())),
                    message: r.message.clone(),
                })
            })
            .collect::<Vec<_>>();
        by_file
            .entry(file)
            .or_default()
            .push(to_lsp_diagnostic(d, range, related));
    }
    for (file, (count, range)) in unshown {
        by_file.entry(file).or_default().push(Diagnostic {
            range,
            severity: Some(DiagnosticSeverity::INFORMATION),
            source: Some("lawful".to_string()),
            message: format!(
                "{count} more findings in this file are not shown (an editor shows the first {MAX_PUBLISHED})\nhelp: run `lawful check` on this file to see them all"
            ),
            ..Diagnostic::default()
        });
    }
    if let Some(error) = &snapshot.config_error {
        let config = snapshot.config_path();
        let uri = uris
            .get(&config)
            .cloned()
            .or_else(|| Uri::from_file_path(&config));
        if let Some(uri) = uri {
            let diagnostic = Diagnostic {
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("lawful".to_string()),
                message: format!(
                    "{error}\nhelp: the files are checked with the default settings until `lawful.toml` is fixed"
                ),
                ..Diagnostic::default()
            };
            let mut batches: Vec<Batch> = vec![(uri.clone(), vec![diagnostic], None)];
            batches.extend(
                into_batches(snapshot, by_file, uris)
                    .into_iter()
                    .filter(|(u, _, _)| u != &uri),
            );
            return batches;
        }
    }
    into_batches(snapshot, by_file, uris)
}

fn into_batches(
    snapshot: &Snapshot,
    by_file: BTreeMap<FileId, Vec<Diagnostic>>,
    uris: &HashMap<PathBuf, Uri>,
) -> Vec<Batch> {
    by_file
        .into_iter()
        .filter_map(|(file, diagnostics)| {
            let uri = uri_of(snapshot, file, uris)?;
            let version = snapshot.versions.get(file.0 as usize).copied().flatten();
            Some((uri, diagnostics, version))
        })
        .collect()
}

fn to_lsp_diagnostic(
    d: &crate::diag::Diagnostic,
    range: Range,
    related: Vec<DiagnosticRelatedInformation>,
) -> Diagnostic {
    let mut message = d.message.clone();
    for note in &d.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let article = d.article();
    if !article.is_empty() {
        message.push_str(&format!("\n{article}"));
    }
    let tags = matches!(d.code, "U001" | "U002").then(|| vec![DiagnosticTag::UNNECESSARY]);
    Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: format!("{RULE_SCHEME}:///{}.md", d.code)
            .parse()
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("lawful".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags,
        data: Some(serde_json::json!({ "article": article })),
    }
}

fn to_range(snapshot: &Snapshot, span: Span, encoding: Encoding) -> Range {
    Lines::of(snapshot.sources.get(span.file), encoding).range(span.range())
}

fn location(
    snapshot: &Snapshot,
    span: Span,
    encoding: Encoding,
    uris: &HashMap<PathBuf, Uri>,
) -> Option<Location> {
    Some(Location::new(
        uri_of(snapshot, span.file, uris)?,
        to_range(snapshot, span, encoding),
    ))
}

fn symbol_kind(kind: crate::syntax::ast::Kind) -> SymbolKind {
    use crate::syntax::ast::Kind;
    match kind {
        Kind::Controller => SymbolKind::MODULE,
        Kind::Party => SymbolKind::CLASS,
        Kind::Activity => SymbolKind::FUNCTION,
        Kind::Data => SymbolKind::STRUCT,
        Kind::Subjects => SymbolKind::INTERFACE,
        Kind::Purpose => SymbolKind::ENUM,
        Kind::System => SymbolKind::OBJECT,
        Kind::Country => SymbolKind::CONSTANT,
        Kind::Breach => SymbolKind::EVENT,
    }
}

fn outline_symbol(snapshot: &Snapshot, o: ide::Outline, encoding: Encoding) -> DocumentSymbol {
    #[allow(deprecated)]
    DocumentSymbol {
        name: o.name,
        detail: o.detail,
        kind: o.kind.map_or(SymbolKind::FIELD, symbol_kind),
        tags: None,
        deprecated: None,
        range: to_range(snapshot, o.span, encoding),
        selection_range: to_range(snapshot, o.selection, encoding),
        children: Some(
            o.children
                .into_iter()
                .map(|c| outline_symbol(snapshot, c, encoding))
                .collect(),
        ),
    }
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = Encoding::negotiate(
            params
                .capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        #[allow(deprecated)]
        if folders.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(|u| u.to_file_path())
        {
            folders.push(root.into_owned());
        }
        let watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        {
            let mut state = self.state();
            state.encoding = encoding;
            state.watch_registered = watch;
            for folder in folders {
                let folder = std::fs::canonicalize(&folder).unwrap_or(folder);
                if let Some((root, has_config)) = core::root_of_dir(&folder) {
                    state.generation += 1;
                    let generation = state.generation;
                    state
                        .workspaces
                        .entry(root)
                        .or_insert_with(|| Workspace::new(has_config, generation));
                }
                state.folders.push(folder);
            }
        }
        log(format!(
            "{} {} started, position encoding {}",
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION"),
            encoding.kind().as_str()
        ));
        let legend = SemanticTokensLegend {
            token_types: ide::TOKEN_TYPES
                .iter()
                .map(|t| SemanticTokenType::new(t))
                .collect(),
            token_modifiers: Vec::new(),
        };
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec![" ".to_string(), ",".to_string()]),
                    ..CompletionOptions::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::SOURCE_FIX_ALL,
                        ]),
                        ..CodeActionOptions::default()
                    },
                )),
                inlay_hint_provider: Some(OneOf::Left(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                document_formatting_provider: Some(OneOf::Left(true)),
                document_range_formatting_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                }),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend,
                            full: Some(SemanticTokensFullOptions::Bool(true)),
                            range: Some(false),
                            work_done_progress_options: WorkDoneProgressOptions::default(),
                        },
                    ),
                ),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "lawful".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        if self.state().watch_registered {
            self.register_watchers().await;
        }
        // Findings for the whole workspace from the start, before any file is opened.
        self.changed();
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri;
        let Some(path) = document_path(&uri) else {
            return;
        };
        {
            let mut state = self.state();
            state.documents.insert(
                path.clone(),
                Document {
                    text: params.text_document.text,
                    version: params.text_document.version,
                },
            );
            state.uris.insert(path.clone(), uri);
            if let Some(root) = state.workspace_for(&path) {
                state.touch(&root);
            }
        }
        self.changed();
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let Some(path) = document_path(&params.text_document.uri) else {
            return;
        };
        {
            let mut state = self.state();
            let encoding = state.encoding;
            let Some(doc) = state.documents.get_mut(&path) else {
                log(format!(
                    "a change to `{}`, which is not open",
                    path.display()
                ));
                return;
            };
            for change in params.content_changes {
                lines::apply_change(&mut doc.text, change.range, &change.text, encoding);
            }
            doc.version = params.text_document.version;
            if let Some(root) = state.workspace_for(&path) {
                state.touch(&root);
            }
        }
        self.changed();
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let Some(path) = document_path(&params.text_document.uri) else {
            return;
        };
        self.state().invalidate(&[path], false);
        self.changed();
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let Some(path) = document_path(&params.text_document.uri) else {
            return;
        };
        {
            let mut state = self.state();
            state.documents.remove(&path);
            state.uris.remove(&path);
            // The file on disk (or its absence) counts again.
            state.invalidate(std::slice::from_ref(&path), false);
        }
        self.changed();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let paths: Vec<PathBuf> = params
            .changes
            .iter()
            .filter_map(|c| document_path(&c.uri))
            .collect();
        let config_changed = paths.iter().any(|p| {
            p.file_name()
                .is_some_and(|n| n == crate::workspace::CONFIG_FILE)
        });
        self.state().invalidate(&paths, config_changed);
        self.changed();
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params;
        let Some((snapshot, file)) = self.snapshot_for(&position.text_document.uri).await else {
            return Ok(None);
        };
        let encoding = self.encoding();
        let lines = Lines::of(snapshot.sources.get(file), encoding);
        let offset = lines.offset(position.position);
        Ok(
            ide::hover(&snapshot, file, offset).map(|(text, span)| Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: text,
                }),
                range: Some(lines.range(span.range())),
            }),
        )
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let position = params.text_document_position_params;
        let Some((snapshot, file)) = self.snapshot_for(&position.text_document.uri).await else {
            return Ok(None);
        };
        let (encoding, uris) = {
            let state = self.state();
            (state.encoding, state.uris.clone())
        };
        let offset = Lines::of(snapshot.sources.get(file), encoding).offset(position.position);
        Ok(ide::definition(&snapshot, file, offset)
            .and_then(|span| location(&snapshot, span, encoding, &uris))
            .map(GotoDefinitionResponse::Scalar))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let position = params.text_document_position;
        let Some((snapshot, file)) = self.snapshot_for(&position.text_document.uri).await else {
            return Ok(None);
        };
        let (encoding, uris) = {
            let state = self.state();
            (state.encoding, state.uris.clone())
        };
        let offset = Lines::of(snapshot.sources.get(file), encoding).offset(position.position);
        let spans = ide::references(&snapshot, file, offset, params.context.include_declaration);
        Ok(Some(
            spans
                .into_iter()
                .filter_map(|span| location(&snapshot, span, encoding, &uris))
                .collect(),
        ))
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let position = params.text_document_position_params;
        let Some((snapshot, file)) = self.snapshot_for(&position.text_document.uri).await else {
            return Ok(None);
        };
        let lines = Lines::of(snapshot.sources.get(file), self.encoding());
        let offset = lines.offset(position.position);
        Ok(Some(
            ide::highlights(&snapshot, file, offset)
                .into_iter()
                .map(|(span, write)| DocumentHighlight {
                    range: lines.range(span.range()),
                    kind: Some(if write {
                        DocumentHighlightKind::WRITE
                    } else {
                        DocumentHighlightKind::READ
                    }),
                })
                .collect(),
        ))
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let Some((snapshot, file)) = self.snapshot_for(&params.text_document.uri).await else {
            return Ok(None);
        };
        let lines = Lines::of(snapshot.sources.get(file), self.encoding());
        let offset = lines.offset(params.position);
        match ide::prepare_rename(&snapshot, file, offset) {
            Ok(span) => Ok(Some(PrepareRenameResponse::Range(
                lines.range(span.range()),
            ))),
            Err(reason) => Err(invalid(reason)),
        }
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let position = params.text_document_position;
        let Some((snapshot, file)) = self.snapshot_for(&position.text_document.uri).await else {
            return Ok(None);
        };
        let (encoding, uris) = {
            let state = self.state();
            (state.encoding, state.uris.clone())
        };
        let offset = Lines::of(snapshot.sources.get(file), encoding).offset(position.position);
        let edits = ide::rename(&snapshot, file, offset, &params.new_name).map_err(invalid)?;
        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
        for edit in edits {
            let Some(loc) = location(&snapshot, edit.span, encoding, &uris) else {
                continue;
            };
            changes
                .entry(loc.uri)
                .or_default()
                .push(TextEdit::new(loc.range, edit.new_text));
        }
        Ok(Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let Some((snapshot, file)) = self.snapshot_for(&params.text_document.uri).await else {
            return Ok(None);
        };
        let text = &snapshot.sources.get(file).text;
        let lines = Lines::new(text, self.encoding());
        match ide::format_document(&snapshot, file) {
            Ok(Some(formatted)) => Ok(Some(vec![TextEdit::new(
                lines.range(0..text.len()),
                formatted,
            )])),
            Ok(None) => Ok(Some(Vec::new())),
            Err(reason) => Err(invalid(reason)),
        }
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let Some((snapshot, file)) = self.snapshot_for(&params.text_document.uri).await else {
            return Ok(None);
        };
        let lines = Lines::of(snapshot.sources.get(file), self.encoding());
        let range = lines.byte_range(params.range);
        match ide::format_range(&snapshot, file, range) {
            Ok(Some((old, new))) => Ok(Some(vec![TextEdit::new(lines.range(old), new)])),
            Ok(None) => Ok(Some(Vec::new())),
            Err(reason) => Err(invalid(reason)),
        }
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some((snapshot, file)) = self.snapshot_for(&params.text_document.uri).await else {
            return Ok(None);
        };
        let encoding = self.encoding();
        let symbols = ide::outline(&snapshot, file)
            .into_iter()
            .map(|o| outline_symbol(&snapshot, o, encoding))
            .collect();
        Ok(Some(DocumentSymbolResponse::Nested(symbols)))
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let Some(snapshot) = self.any_snapshot().await else {
            return Ok(None);
        };
        let (encoding, uris) = {
            let state = self.state();
            (state.encoding, state.uris.clone())
        };
        #[allow(deprecated)]
        let symbols = ide::workspace_symbols(&snapshot, &params.query)
            .into_iter()
            .filter_map(|(s, name)| {
                Some(SymbolInformation {
                    name: name.to_string(),
                    kind: symbol_kind(s.id.kind),
                    tags: None,
                    deprecated: None,
                    location: location(&snapshot, s.name_span, encoding, &uris)?,
                    container_name: Some(s.id.kind.keyword().to_string()),
                })
            })
            .collect();
        Ok(Some(WorkspaceSymbolResponse::Flat(symbols)))
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let Some((snapshot, file)) = self.snapshot_for(&params.text_document.uri).await else {
            return Ok(None);
        };
        let text = &snapshot.sources.get(file).text;
        let lines = Lines::new(text, self.encoding());
        let mut data = Vec::new();
        let (mut last_line, mut last_start) = (0, 0);
        for (start, end, class) in ide::semantic_tokens(&snapshot, file) {
            let from = lines.position(start);
            let to = lines.position(end);
            // Tokens never span lines except multi-line strings, which are cut to their first line.
            let length = if to.line == from.line {
                to.character - from.character
            } else {
                lines
                    .position(text[start..].find(['\n', '\r']).map_or(end, |n| start + n))
                    .character
                    - from.character
            };
            let delta_line = from.line - last_line;
            let delta_start = if delta_line == 0 {
                from.character - last_start
            } else {
                from.character
            };
            data.push(SemanticToken {
                delta_line,
                delta_start,
                length,
                token_type: class,
                token_modifiers_bitset: 0,
            });
            last_line = from.line;
            last_start = from.character;
        }
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: None,
            data,
        })))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some((snapshot, file)) = self.snapshot_for(&params.text_document.uri).await else {
            return Ok(None);
        };
        let lines = Lines::of(snapshot.sources.get(file), self.encoding());
        Ok(Some(
            ide::folding_ranges(&snapshot, file)
                .into_iter()
                .filter_map(|(start, end, comment)| {
                    let (from, to) = (lines.position(start), lines.position(end));
                    (to.line > from.line).then(|| FoldingRange {
                        start_line: from.line,
                        end_line: to.line,
                        kind: Some(if comment {
                            FoldingRangeKind::Comment
                        } else {
                            FoldingRangeKind::Region
                        }),
                        ..FoldingRange::default()
                    })
                })
                .collect(),
        ))
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let Some((snapshot, file)) = self.snapshot_for(&params.text_document.uri).await else {
            return Ok(None);
        };
        let lines = Lines::of(snapshot.sources.get(file), self.encoding());
        Ok(Some(
            ide::links(&snapshot, file)
                .into_iter()
                .filter_map(|(start, end, url)| {
                    Some(DocumentLink {
                        range: lines.range(start..end),
                        target: Some(url.parse().ok()?),
                        tooltip: None,
                        data: None,
                    })
                })
                .collect(),
        ))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let position = params.text_document_position;
        let Some((snapshot, file)) = self.snapshot_for(&position.text_document.uri).await else {
            return Ok(None);
        };
        let lines = Lines::of(snapshot.sources.get(file), self.encoding());
        let offset = lines.offset(position.position);
        let items: Vec<CompletionItem> = assist::completions(&snapshot, file, offset)
            .into_iter()
            .map(|item| {
                let snippet = matches!(
                    item.kind,
                    assist::ItemKind::Snippet | assist::ItemKind::Rule
                );
                CompletionItem {
                    label: item.label,
                    kind: Some(match item.kind {
                        assist::ItemKind::Key => CompletionItemKind::PROPERTY,
                        assist::ItemKind::Value => CompletionItemKind::ENUM_MEMBER,
                        assist::ItemKind::Name(kind) => match kind {
                            crate::syntax::ast::Kind::Party
                            | crate::syntax::ast::Kind::Controller => CompletionItemKind::CLASS,
                            crate::syntax::ast::Kind::Country => CompletionItemKind::CONSTANT,
                            _ => CompletionItemKind::REFERENCE,
                        },
                        assist::ItemKind::Rule => CompletionItemKind::EVENT,
                        assist::ItemKind::Snippet => CompletionItemKind::SNIPPET,
                    }),
                    detail: item.detail,
                    documentation: Some(Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: item.documentation,
                    })),
                    insert_text: Some(item.insert),
                    insert_text_format: Some(if snippet {
                        InsertTextFormat::SNIPPET
                    } else {
                        InsertTextFormat::PLAIN_TEXT
                    }),
                    ..CompletionItem::default()
                }
            })
            .collect();
        Ok(Some(CompletionResponse::Array(items)))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let Some((snapshot, file)) = self.snapshot_for(&params.text_document.uri).await else {
            return Ok(None);
        };
        let (encoding, uris) = {
            let state = self.state();
            (state.encoding, state.uris.clone())
        };
        let lines = Lines::of(snapshot.sources.get(file), encoding);
        let start = lines.offset(params.range.start);
        let end = lines.offset(params.range.end);
        let wanted = |kind: &CodeActionKind| {
            params.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    kind.as_str() == o.as_str()
                        || kind.as_str().starts_with(&format!("{}.", o.as_str()))
                })
            })
        };
        let mut out = Vec::new();
        let actions = if params
            .context
            .only
            .as_ref()
            .is_some_and(|only| only.iter().all(|o| o.as_str().starts_with("source")))
        {
            assist::fix_all(&snapshot, file).into_iter().collect()
        } else {
            assist::code_actions(&snapshot, file, start, end)
        };
        for action in actions {
            let kind = if action.fix_all {
                CodeActionKind::SOURCE_FIX_ALL
            } else {
                CodeActionKind::QUICKFIX
            };
            if !wanted(&kind) {
                continue;
            }
            let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
            for edit in &action.edits {
                let Some(loc) = location(&snapshot, edit.span, encoding, &uris) else {
                    continue;
                };
                changes
                    .entry(loc.uri)
                    .or_default()
                    .push(TextEdit::new(loc.range, edit.text.clone()));
            }
            let diagnostics = action.diagnostic.and_then(|d| {
                let span = d.primary?;
                Some(vec![to_lsp_diagnostic(
                    d,
                    to_range(&snapshot, span, encoding),
                    Vec::new(),
                )])
            });
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: action.title,
                kind: Some(kind),
                diagnostics,
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: action.preferred.then_some(true),
                ..CodeAction::default()
            }));
        }
        Ok(Some(out))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let Some((snapshot, file)) = self.snapshot_for(&params.text_document.uri).await else {
            return Ok(None);
        };
        let lines = Lines::of(snapshot.sources.get(file), self.encoding());
        let start = lines.offset(params.range.start);
        let end = lines.offset(params.range.end);
        Ok(Some(
            assist::inlay_hints(&snapshot, file)
                .into_iter()
                .filter(|h| start <= h.at && h.at <= end)
                .map(|h| InlayHint {
                    position: lines.range(h.at..h.at).start,
                    label: InlayHintLabel::String(h.label),
                    kind: None,
                    text_edits: None,
                    tooltip: None,
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
                .collect(),
        ))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let Some((snapshot, file)) = self.snapshot_for(&params.text_document.uri).await else {
            return Ok(None);
        };
        let encoding = self.encoding();
        Ok(Some(
            assist::code_lenses(&snapshot, file)
                .into_iter()
                .map(|lens| CodeLens {
                    range: to_range(&snapshot, lens.span, encoding),
                    command: Some(Command {
                        title: lens.title,
                        command: String::new(),
                        arguments: None,
                    }),
                    data: None,
                })
                .collect(),
        ))
    }
}

/// The real path of the file a `file:` URI names, the key every document and workspace is kept
/// under (so a link and its target are one document); `None` for other schemes.
fn document_path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| core::real_path(&p))
}
