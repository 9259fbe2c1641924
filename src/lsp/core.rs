//! The one door from the language server into the core. Every handler reads a [`Snapshot`]
//! made here; nothing else in `src/lsp/` reads the file system or runs the checker.
//!
//! The workspace is found and read as `lawful check` reads it (the same
//! [`workspace::plan_stdin`] and [`Target::load`]), with the open buffers standing in for their
//! files; the disk is read once and cached until a watched file changes. Each workspace keeps
//! one [`Engine`], the core's [`Incremental`] analysis: a run sets only the files whose text
//! changed, so a keystroke parses one file.

use crate::analysis::Analysis;
use crate::config;
use crate::diag::{self, Diagnostic};
use crate::incremental::{CONFIG_SLOT, Incremental};
use crate::source::{Contents, FileId, Origin, Sources};
use crate::time::Date;
use crate::workspace::{self, CONFIG_FILE, Scope, Target};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An open buffer.
#[derive(Clone, Debug)]
pub struct Document {
    pub text: String,
    pub version: i32,
}

/// Finds the workspace of a file exactly as `lawful check --stdin-filename FILE` does: the
/// nearest directory upward with a `lawful.toml`, else the file's directory. The file itself
/// need not exist (a new, unsaved buffer).
pub fn root_of(file: &Path) -> Result<(PathBuf, bool), String> {
    let cwd = file.parent().unwrap_or(Path::new("/"));
    workspace::plan_stdin(file, cwd)
        .map(|(target, _)| (target.root, target.has_config))
        .map_err(|e| e.0)
}

/// Finds the workspace around a directory (the client's root folder) as `lawful check DIR`.
pub fn root_of_dir(dir: &Path) -> Option<(PathBuf, bool)> {
    let targets = workspace::plan(&[dir.to_path_buf()], dir).ok()?;
    let target = targets.into_iter().next()?;
    Some((target.root, target.has_config))
}

/// The real path of a document, as the workspace loader names files (the directory is
/// canonicalised, the file need not exist).
pub fn real_path(file: &Path) -> PathBuf {
    match (file.parent(), file.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .map(|dir| dir.join(name))
            .unwrap_or_else(|_| file.to_path_buf()),
        _ => file.to_path_buf(),
    }
}

/// The disk side of one workspace, read once and kept until a watched file changes.
pub struct Disk {
    pub workspace: workspace::Workspace,
    /// Why `lawful.toml` could not be read (the files are then checked with the defaults).
    pub config_error: Option<String>,
}

/// Reads a workspace as `lawful check` does. A `lawful.toml` that cannot be read does not stop
/// the server: the files are checked with the defaults and the error is shown on the file.
/// `None` only when not even that can be read.
pub fn load_disk(root: &Path, has_config: bool) -> Option<Disk> {
    let target = |has_config| Target {
        root: root.to_path_buf(),
        has_config,
        scopes: vec![Scope::Whole],
    };
    match target(has_config).load(None) {
        Ok(workspace) => Some(Disk {
            workspace,
            config_error: None,
        }),
        Err(error) => target(false).load(None).ok().map(|workspace| Disk {
            workspace,
            config_error: Some(error.0),
        }),
    }
}

/// The incremental analysis of one workspace, kept between runs: a file whose text did not
/// change is not parsed again. Its [`FileId`]s are the incremental slots (stable while the
/// path exists), never the ids of the batch loader's [`workspace::Workspace`].
pub struct Engine {
    incremental: Incremental,
    /// The real path and buffer version of each user file set, by workspace-relative name.
    fed: BTreeMap<String, (Option<PathBuf>, Option<i32>)>,
    /// The `lawful.toml` text last set (`Some(None)`: none), so an unchanged one is not set again.
    config: Option<Option<String>>,
}

impl Engine {
    pub fn new() -> Engine {
        let mut incremental = Incremental::new(system_date());
        // The handlers parse the file they are asked about (`ide::parse`), so the cached
        // units need no trees: at 10,000 activities they were most of the server's memory.
        incremental.set_keep_trees(false);
        Engine {
            incremental,
            fed: BTreeMap::new(),
            config: None,
        }
    }
}

impl Engine {
    /// How many files the engine has parsed (the stdlib not counted): a test's proof that a
    /// run sets only the files that changed.
    pub fn parses(&self) -> u64 {
        self.incremental.parses()
    }
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new()
    }
}

/// One analysed state of one workspace: what every request and every publish reads.
pub struct Snapshot {
    pub root: PathBuf,
    pub has_config: bool,
    /// The state this was made from; a newer edit makes it stale.
    pub generation: u64,
    /// The incremental analysis's files as of this state (its slots).
    pub sources: Sources,
    pub analysis: Arc<Analysis>,
    /// The workspace loader's own findings (source directories, unreadable entries), in slots.
    pub loader: Vec<Diagnostic>,
    /// The real path of each user file and of `lawful.toml`, by [`FileId`].
    pub paths: Vec<Option<PathBuf>>,
    /// The version of each file that came from an open buffer, by [`FileId`].
    pub versions: Vec<Option<i32>>,
    pub config_error: Option<String>,
}

impl Snapshot {
    /// Every finding: the analysis's, then the loader's.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.analysis.diagnostics.iter().chain(&self.loader)
    }

    pub fn file_of(&self, path: &Path) -> Option<FileId> {
        self.paths
            .iter()
            .position(|p| p.as_deref() == Some(path))
            .map(|i| FileId(u32::try_from(i).unwrap_or(u32::MAX)))
    }

    pub fn path(&self, file: FileId) -> Option<&Path> {
        self.paths.get(file.0 as usize)?.as_deref()
    }

    pub fn config_path(&self) -> PathBuf {
        self.root.join(CONFIG_FILE)
    }

    /// The file that shows workspace-level findings: `lawful.toml`, else the controller's
    /// file, else the first user file.
    pub fn workspace_file(&self) -> Option<FileId> {
        if self.has_config && self.sources.get(CONFIG_SLOT).origin == Origin::Config {
            return Some(CONFIG_SLOT);
        }
        if let Some(controller) = &self.analysis.model.controller {
            return Some(controller.header.name_span.file);
        }
        self.sources
            .iter()
            .find(|(_, f)| f.origin == Origin::User)
            .map(|(id, _)| id)
    }
}

/// Analyses a workspace: the disk as read, with `documents` (real path → buffer) standing in
/// for their files and added when new. Only files whose text differs from the engine's last
/// run are set (and parsed again); comparing is linear in the workspace's bytes, and so are
/// the workspace stages of the analysis.
pub fn snapshot(
    disk: &Disk,
    documents: &HashMap<PathBuf, Document>,
    engine: &mut Engine,
    generation: u64,
) -> Snapshot {
    let mut timer = crate::analysis::Timings::start();
    // Deadlines (rights requests, breach notifications) count from today: a server left
    // running past midnight analyses with the new date.
    engine.incremental.set_clock_date(system_date());
    let ws = &disk.workspace;
    let root = ws.root.clone();
    // What the workspace holds now, by name: the disk's files, the open buffers over them.
    let mut wanted: BTreeMap<String, Wanted<'_>> = BTreeMap::new();
    let mut config_text: Option<String> = None;
    for (id, file) in ws.sources.iter() {
        match file.origin {
            Origin::Stdlib => {}
            Origin::Config => config_text = Some(file.text.clone()),
            Origin::User => {
                let real = ws.real_path(id).map(Path::to_path_buf);
                let doc = real.as_ref().and_then(|p| documents.get(p));
                let contents = match doc {
                    Some(doc) => Text::Str(&doc.text),
                    None => match &file.problem {
                        Some(problem) => Text::Unreadable(problem),
                        None => Text::Str(&file.text),
                    },
                };
                wanted.insert(
                    file.path.clone(),
                    Wanted {
                        real,
                        contents,
                        version: doc.map(|d| d.version),
                    },
                );
            }
        }
    }
    for (path, doc) in documents {
        if !path.starts_with(&root) || path.extension().is_none_or(|e| e != "lawful") {
            continue;
        }
        let Ok(relative) = path.strip_prefix(&root) else {
            continue;
        };
        let name = relative
            .components()
            .map(|c| workspace::escape_name(c.as_os_str()))
            .collect::<Vec<_>>()
            .join("/");
        wanted.entry(name).or_insert_with(|| Wanted {
            real: Some(path.clone()),
            contents: Text::Str(&doc.text),
            version: Some(doc.version),
        });
    }

    // Feed the engine the difference.
    let gone: Vec<String> = engine
        .fed
        .keys()
        .filter(|name| !wanted.contains_key(*name))
        .cloned()
        .collect();
    for name in gone {
        engine.incremental.remove_file(&name);
        engine.fed.remove(&name);
    }
    for (name, want) in &wanted {
        let same = engine.incremental.file_id(name).is_some_and(|id| {
            let file = engine.incremental.sources().get(id);
            match want.contents {
                Text::Str(text) => file.problem.is_none() && file.text == text,
                Text::Unreadable(why) => file.problem.as_deref() == Some(why),
            }
        });
        if !same {
            let contents = match want.contents {
                Text::Str(text) => Contents::Bytes(text.as_bytes().to_vec()),
                Text::Unreadable(why) => Contents::Unreadable(why.to_string()),
            };
            engine.incremental.set_contents(name, contents);
        }
        engine
            .fed
            .insert(name.clone(), (want.real.clone(), want.version));
    }
    let config_now = ws.has_config.then_some(config_text).flatten();
    if engine.config.as_ref() != Some(&config_now) {
        // TOML that does not parse never gets here: `load_disk` then reads the workspace
        // without its config and keeps the error for the editor.
        let _ = engine.incremental.set_config(config_now.as_deref());
        engine.config = Some(config_now);
    }
    engine.incremental.set_today(ws.config.today);

    timer.phase("lsp: feed the changed files");
    let analysis = engine.incremental.analysis();
    timer.phase("lsp: analysis");
    let sources = engine.incremental.sources().clone();
    timer.phase("lsp: copy the sources");
    let slots = sources.slots();
    let mut paths = vec![None; slots];
    let mut versions = vec![None; slots];
    if engine.config.as_ref().is_some_and(Option::is_some) {
        paths[CONFIG_SLOT.0 as usize] = Some(root.join(CONFIG_FILE));
    }
    for (name, (real, version)) in &engine.fed {
        if let Some(id) = engine.incremental.file_id(name)
            && let Some(slot) = paths.get_mut(id.0 as usize)
        {
            *slot = real.clone();
            versions[id.0 as usize] = *version;
        }
    }

    // The loader's own findings (source directories, unreadable entries), in batch ids: the
    // config's E014s are left out (the engine has them), the rest mapped to slots by name.
    let config_problems = match (&engine.config, ws.sources.find(CONFIG_FILE)) {
        (Some(Some(text)), Some(id)) => config::parse(text, id).map_or(0, |(_, p)| p.len()),
        _ => 0,
    };
    let mut loader = Vec::new();
    if ws.diagnostics.len() > config_problems {
        let map = |file: FileId| -> FileId {
            let source = ws.sources.get(file);
            match source.origin {
                Origin::Config => CONFIG_SLOT,
                Origin::User => engine.incremental.file_id(&source.path).unwrap_or(file),
                Origin::Stdlib => sources.find(&source.path).unwrap_or(file),
            }
        };
        for d in &ws.diagnostics[config_problems..] {
            loader.push(remapped(d, &map));
        }
        diag::sort(&mut loader, &sources);
    }
    Snapshot {
        root,
        has_config: ws.has_config,
        generation,
        sources,
        analysis,
        loader,
        paths,
        versions,
        config_error: disk.config_error.clone(),
    }
}

struct Wanted<'a> {
    real: Option<PathBuf>,
    contents: Text<'a>,
    version: Option<i32>,
}

#[derive(Clone, Copy)]
enum Text<'a> {
    Str(&'a str),
    Unreadable(&'a str),
}

fn remapped(d: &Diagnostic, map: &dyn Fn(FileId) -> FileId) -> Diagnostic {
    let mut d = d.clone();
    if let Some(span) = &mut d.primary {
        span.file = map(span.file);
    }
    d.file_only = d.file_only.map(map);
    for related in &mut d.related {
        related.span.file = map(related.span.file);
    }
    d
}

fn system_date() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    Date::from_days_since_epoch(i64::try_from(seconds / 86_400).unwrap_or(0))
}

/// A shared, immutable analysed state.
pub type Shared = Arc<Snapshot>;
