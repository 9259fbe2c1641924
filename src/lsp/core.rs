//! The one door from the language server into the core. Every handler reads a [`Snapshot`]
//! made here; nothing else in `src/lsp/` reads the file system or runs the checker.
//!
//! Today a snapshot is a full re-analysis: the workspace as `lawful check` reads it (the same
//! [`workspace::plan_stdin`] and [`Target::load`]), with the open buffers standing in for their
//! files. The disk is read once and cached until a watched file changes. When the core's
//! incremental workspace lands, only this module changes.

use super::symbols::Index;
use crate::analysis::{Analysis, Settings, analyze};
use crate::diag::{self, Diagnostic};
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

/// One analysed state of one workspace: what every request and every publish reads.
pub struct Snapshot {
    pub root: PathBuf,
    pub has_config: bool,
    /// The state this was made from; a newer edit makes it stale.
    pub generation: u64,
    pub sources: Sources,
    pub analysis: Analysis,
    /// The real path of each user file and of `lawful.toml`, by [`FileId`].
    pub paths: Vec<Option<PathBuf>>,
    /// The version of each file that came from an open buffer, by [`FileId`].
    pub versions: Vec<Option<i32>>,
    pub index: Index,
    pub config_error: Option<String>,
}

impl Snapshot {
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
        if self.has_config
            && let Some(id) = self.sources.find(CONFIG_FILE)
        {
            return Some(id);
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
/// for their files and added when new. Linear in the size of the workspace.
pub fn snapshot(disk: &Disk, documents: &HashMap<PathBuf, Document>, generation: u64) -> Snapshot {
    let ws = &disk.workspace;
    let root = ws.root.clone();
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    let mut config = None;
    let mut stdlib = Vec::new();
    for (id, file) in ws.sources.iter() {
        match file.origin {
            Origin::Stdlib => stdlib.push(id),
            Origin::Config => config = Some(id),
            Origin::User => {
                let real = ws.real_path(id).map(Path::to_path_buf);
                let contents = match real.as_ref().and_then(|p| documents.get(p)) {
                    Some(doc) => Contents::Bytes(doc.text.clone().into_bytes()),
                    None => contents_of(&ws.sources, id),
                };
                let version = real
                    .as_ref()
                    .and_then(|p| documents.get(p))
                    .map(|d| d.version);
                entries.insert(
                    file.path.clone(),
                    Entry {
                        old: Some(id),
                        real,
                        contents,
                        version,
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
        entries.entry(name).or_insert_with(|| Entry {
            old: None,
            real: Some(path.clone()),
            contents: Contents::Bytes(doc.text.clone().into_bytes()),
            version: Some(doc.version),
        });
    }

    let mut sources = Sources::new();
    let mut paths = Vec::new();
    let mut versions = Vec::new();
    let mut remap: HashMap<FileId, FileId> = HashMap::new();
    if let Some(id) = config {
        let new = sources.add(CONFIG_FILE, Origin::Config, contents_of(&ws.sources, id));
        remap.insert(id, new);
        paths.push(Some(root.join(CONFIG_FILE)));
        versions.push(None);
    }
    for (name, entry) in entries {
        let new = sources.add(name, Origin::User, entry.contents);
        if let Some(old) = entry.old {
            remap.insert(old, new);
        }
        paths.push(entry.real);
        versions.push(entry.version);
    }
    for id in stdlib {
        let file = ws.sources.get(id);
        let new = sources.add_text(file.path.clone(), Origin::Stdlib, &file.text);
        remap.insert(id, new);
        paths.push(None);
        versions.push(None);
    }

    let settings = Settings {
        today: ws.config.today.unwrap_or_else(system_date),
        config: ws.config.clone(),
    };
    let mut analysis = analyze(&sources, &settings);
    if !ws.diagnostics.is_empty() {
        for d in &ws.diagnostics {
            analysis.diagnostics.push(remapped(d, &remap));
        }
        diag::sort(&mut analysis.diagnostics, &sources);
    }
    let index = Index::build(&analysis.model);
    Snapshot {
        root,
        has_config: ws.has_config,
        generation,
        sources,
        analysis,
        paths,
        versions,
        index,
        config_error: disk.config_error.clone(),
    }
}

struct Entry {
    old: Option<FileId>,
    real: Option<PathBuf>,
    contents: Contents,
    version: Option<i32>,
}

fn contents_of(sources: &Sources, id: FileId) -> Contents {
    let file = sources.get(id);
    match &file.problem {
        Some(problem) => Contents::Unreadable(problem.clone()),
        None => Contents::Bytes(file.text.clone().into_bytes()),
    }
}

fn remapped(d: &Diagnostic, remap: &HashMap<FileId, FileId>) -> Diagnostic {
    let map = |file: FileId| remap.get(&file).copied().unwrap_or(file);
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
