//! The shell's side of SPEC §1: finding the workspace, reading `lawful.toml` and the
//! `.lawful` files. This is the only module that touches the file system.

use crate::config::{self, Config};
use crate::diag::Diagnostic;
use crate::source::{Contents, Origin, Sources, Span};
use crate::stdlib;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// A loaded workspace, ready for [`crate::analyze`].
#[derive(Debug)]
pub struct Workspace {
    pub root: PathBuf,
    pub sources: Sources,
    pub config: Config,
    /// E014 findings about `lawful.toml` and its source directories.
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a workspace could not be loaded at all (exit code 2).
#[derive(Debug)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub const CONFIG_FILE: &str = "lawful.toml";

/// Loads the workspace for `paths` (directories or files); without paths, the nearest
/// directory upward from `cwd` holding a `lawful.toml`, else `cwd` itself.
pub fn load(paths: &[PathBuf], cwd: &Path) -> Result<Workspace, LoadError> {
    for path in paths {
        if let Err(error) = fs::metadata(path) {
            return Err(LoadError(format!(
                "cannot read `{}`: {error}",
                path.display()
            )));
        }
    }
    let root = match paths.first() {
        None => find_root(cwd).unwrap_or_else(|| cwd.to_path_buf()),
        Some(first) if first.is_dir() => first.clone(),
        Some(first) => {
            let parent = first
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            find_root(parent).unwrap_or_else(|| parent.to_path_buf())
        }
    };

    let mut sources = Sources::new();
    let mut diagnostics = Vec::new();
    let mut config = Config::default();
    let config_path = root.join(CONFIG_FILE);
    if config_path.is_file() {
        let text = fs::read_to_string(&config_path).map_err(|error| {
            LoadError(format!("cannot read `{}`: {error}", config_path.display()))
        })?;
        let id = sources.add_text(CONFIG_FILE, Origin::Config, &text);
        let (parsed, problems) = config::parse(&text, id).map_err(|error| {
            LoadError(format!(
                "{}:{}:{}: invalid TOML: {}",
                config_path.display(),
                error.line,
                error.column,
                error.message
            ))
        })?;
        config = parsed;
        diagnostics.extend(problems);
        let missing: Vec<&String> = config
            .sources
            .iter()
            .filter(|s| !root.join(s).is_dir())
            .collect();
        if !missing.is_empty() {
            let message = format!(
                "source director{} {} not exist",
                if missing.len() == 1 { "y" } else { "ies" },
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
                    + if missing.len() == 1 { " does" } else { " do" }
            );
            let diagnostic = match &config.sources_key {
                Some(range) => Diagnostic::new("E014", Span::new(id, range.clone()), message),
                None => Diagnostic::file("E014", id, message),
            };
            diagnostics.push(
                diagnostic
                    .with_note("`sources` falls back to its default, the workspace directory")
                    .with_help("create the directory, or correct its name in `sources`"),
            );
            config.sources = Config::default().sources;
        }
    }

    let mut files: Vec<PathBuf> = Vec::new();
    if paths.is_empty() {
        collect_sources(&root, &config, &mut files);
    }
    for path in paths {
        if path.is_dir() {
            if same_path(path, &root) {
                collect_sources(&root, &config, &mut files);
            } else {
                collect(path, &mut files);
            }
        } else {
            files.push(path.clone());
        }
    }
    let mut named: Vec<(String, PathBuf)> = files
        .into_iter()
        .map(|file| (display_path(&file, &root), file))
        .collect();
    named.sort();
    named.dedup_by(|a, b| a.0 == b.0);
    for (name, file) in named {
        let contents = match fs::read(&file) {
            Ok(bytes) => Contents::Bytes(bytes),
            Err(error) => Contents::Unreadable(error.to_string()),
        };
        sources.add(name, Origin::User, contents);
    }
    stdlib::add_to(&mut sources);
    Ok(Workspace {
        root,
        sources,
        config,
        diagnostics,
    })
}

fn find_root(start: &Path) -> Option<PathBuf> {
    let start = fs::canonicalize(start).ok()?;
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

fn same_path(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Files under the configured source directories; a file outside them is never read.
fn collect_sources(root: &Path, config: &Config, files: &mut Vec<PathBuf>) {
    for source in &config.sources {
        let dir = root.join(source);
        if dir.is_dir() {
            collect(&dir, files);
        }
    }
}

/// Every `*.lawful` below `dir`, skipping hidden directories and `target/`. Symbolic links
/// to directories are not followed, so a link cycle cannot loop.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            if !name.starts_with('.') && name != "target" {
                collect(&path, files);
            }
        } else if path.extension().is_some_and(|ext| ext == "lawful") && path.is_file() {
            files.push(path);
        }
    }
}

/// The path relative to the workspace root with `/` separators (SPEC §6.1), or as given when
/// the file lies outside the root.
fn display_path(file: &Path, root: &Path) -> String {
    let relative = match (fs::canonicalize(file), fs::canonicalize(root)) {
        (Ok(file), Ok(root)) => file.strip_prefix(&root).map(Path::to_path_buf).ok(),
        _ => None,
    }
    .unwrap_or_else(|| file.to_path_buf());
    relative
        .components()
        .filter_map(|part| match part {
            Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}
