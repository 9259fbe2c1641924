//! The shell's side of the workspace rules: finding each PATH's workspace, reading
//! `lawful.toml` and the `.lawful` files. This is the only module that touches the file system.
//!
//! Every command that reads a workspace (`check`, `breach`, and later `fmt`, `register`…) goes
//! through [`plan`] (PATHs → one [`Target`] per workspace) and [`Target::load`] (one read of the
//! whole workspace), then keeps the findings [`Workspace::in_scope`].
//!
//! Guarantees (docs/security.md, docs/decisions.md "Workspace and file system"):
//! * nothing outside the workspace root is read: every source directory and every file is
//!   resolved to its real path and must lie below the root's real path; a symbolic link to a
//!   file inside the workspace is read (once, under its real identity), a link to outside is
//!   E011 and never opened, links to directories are not followed;
//! * a non-regular file (FIFO, device, socket) is never opened;
//! * every read is bounded: at most [`MAX_FILE_BYTES`] + 1 bytes of a `.lawful` file and
//!   [`MAX_CONFIG_BYTES`] + 1 bytes of `lawful.toml`.

use crate::config::{self, Config};
use crate::diag::Diagnostic;
use crate::source::{Contents, FileId, MAX_FILE_BYTES, Origin, SourceFile, Sources, Span};

/// From this many files, a workspace is read on every core.
const PARALLEL_READS: usize = 64;
use crate::stdlib;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// A loaded workspace, ready for [`crate::analyze`].
#[derive(Debug)]
pub struct Workspace {
    /// The workspace directory (its real path).
    pub root: PathBuf,
    /// Whether `root` holds a `lawful.toml` (else it was taken as the workspace by default).
    pub has_config: bool,
    pub sources: Sources,
    pub config: Config,
    /// E014 findings about `lawful.toml` and its source directories, E011 for unreadable
    /// directories.
    pub diagnostics: Vec<Diagnostic>,
    /// What the PATHs asked for; findings elsewhere are not reported.
    pub scopes: Vec<Scope>,
    /// Whether each file is in scope, indexed by [`FileId`] (see [`Workspace::in_scope`]).
    scoped: Vec<bool>,
    /// The real path of each user file, indexed by [`FileId`] (`None` for `lawful.toml`, the
    /// stdlib and files that are not read).
    real: Vec<Option<PathBuf>>,
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

/// `lawful.toml` beyond this size stops the run (exit 2): a settings file is a few hundred bytes.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// What part of a workspace a PATH names. Paths are real (canonical) paths.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The workspace directory itself, or no PATH at all.
    Whole,
    /// A directory below the root: files at or below it.
    Dir(PathBuf),
    /// One `.lawful` file.
    File(PathBuf),
}

/// One workspace to read, and what its PATHs asked for.
#[derive(Clone, Debug)]
pub struct Target {
    /// The workspace directory (real path).
    pub root: PathBuf,
    pub has_config: bool,
    pub scopes: Vec<Scope>,
}

/// Unsaved editor text standing in for a file of the workspace (`--stdin-filename`).
#[derive(Clone, Debug)]
pub struct Replacement {
    /// The file's real path (its directory must exist; the file need not).
    pub path: PathBuf,
    pub text: Vec<u8>,
}

/// Groups PATHs by workspace, in the order first named. Without PATH, the workspace is found
/// from `cwd`. A PATH that does not exist, is not a directory or a `*.lawful` regular file, is
/// a usage error. Each workspace appears once however many PATHs name it.
pub fn plan(paths: &[PathBuf], cwd: &Path) -> Result<Vec<Target>, LoadError> {
    let mut targets: Vec<Target> = Vec::new();
    if paths.is_empty() {
        let start = fs::canonicalize(cwd).map_err(|error| {
            LoadError(format!(
                "cannot read the current directory `{}`: {}",
                cwd.display(),
                reason(&error)
            ))
        })?;
        let (root, has_config) = root_for(&start);
        targets.push(Target {
            root,
            has_config,
            scopes: vec![Scope::Whole],
        });
        return Ok(targets);
    }
    // Hash maps keep this linear in the number of PATHs (a pre-commit hook may pass thousands).
    let mut by_root: HashMap<PathBuf, usize> = HashMap::new();
    let mut seen: HashSet<(usize, Scope)> = HashSet::new();
    for path in paths {
        let (root, has_config, scope) = locate(path, cwd)?;
        let index = *by_root.entry(root.clone()).or_insert_with(|| {
            targets.push(Target {
                root,
                has_config,
                scopes: Vec::new(),
            });
            targets.len() - 1
        });
        if seen.insert((index, scope.clone())) {
            targets[index].scopes.push(scope);
        }
    }
    Ok(targets)
}

/// The target for `--stdin-filename PATH`: PATH must name a `*.lawful` file in an existing
/// directory; the file itself need not exist (a new, unsaved file).
pub fn plan_stdin(path: &Path, cwd: &Path) -> Result<(Target, PathBuf), LoadError> {
    check_extension(path)?;
    let absolute = cwd.join(path);
    if let Ok(meta) = fs::metadata(&absolute)
        && !meta.is_file()
    {
        return Err(LoadError(format!(
            "`{}` is not a regular file",
            path.display()
        )));
    }
    let (Some(parent), Some(name)) = (absolute.parent(), absolute.file_name()) else {
        return Err(LoadError(format!(
            "`{}` is not a file name",
            path.display()
        )));
    };
    let parent = fs::canonicalize(parent).map_err(|error| {
        LoadError(format!(
            "cannot read the directory of `{}`: {}",
            path.display(),
            reason(&error)
        ))
    })?;
    let real = parent.join(name);
    let (root, has_config) = root_for(&parent);
    Ok((
        Target {
            root,
            has_config,
            scopes: vec![Scope::File(real.clone())],
        },
        real,
    ))
}

fn locate(path: &Path, cwd: &Path) -> Result<(PathBuf, bool, Scope), LoadError> {
    let absolute = cwd.join(path);
    // `metadata` does not open the file, so a FIFO is inspected without blocking.
    let meta = fs::metadata(&absolute).map_err(|error| {
        LoadError(format!(
            "cannot read `{}`: {}",
            path.display(),
            reason(&error)
        ))
    })?;
    if meta.is_dir() {
        let dir = fs::canonicalize(&absolute).map_err(|error| {
            LoadError(format!(
                "cannot read `{}`: {}",
                path.display(),
                reason(&error)
            ))
        })?;
        let (root, has_config) = match find_root(&dir) {
            Some(root) => (root, true),
            None => (dir.clone(), false),
        };
        let scope = if root == dir {
            Scope::Whole
        } else {
            Scope::Dir(dir)
        };
        return Ok((root, has_config, scope));
    }
    if !meta.is_file() {
        return Err(LoadError(format!(
            "`{}` is not a regular file or a directory (a FIFO, device or socket is never read)",
            path.display()
        )));
    }
    check_extension(path)?;
    let real = fs::canonicalize(&absolute).map_err(|error| {
        LoadError(format!(
            "cannot read `{}`: {}",
            path.display(),
            reason(&error)
        ))
    })?;
    let parent = real.parent().unwrap_or(Path::new("/")).to_path_buf();
    let (root, has_config) = root_for(&parent);
    Ok((root, has_config, Scope::File(real)))
}

fn check_extension(path: &Path) -> Result<(), LoadError> {
    if path.extension().is_some_and(|ext| ext == "lawful") {
        Ok(())
    } else {
        Err(LoadError(format!(
            "`{}` is not a `.lawful` file; name a `.lawful` file or a directory",
            path.display()
        )))
    }
}

/// The nearest directory at or above `dir` (a real path) holding a `lawful.toml`, else `dir`.
fn root_for(dir: &Path) -> (PathBuf, bool) {
    match find_root(dir) {
        Some(root) => (root, true),
        None => (dir.to_path_buf(), false),
    }
}

fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| {
            fs::symlink_metadata(dir.join(CONFIG_FILE))
                .is_ok_and(|m| m.is_file() || m.file_type().is_symlink())
        })
        .map(Path::to_path_buf)
}

/// Loads the workspace around `paths` (compatibility for callers with one workspace): the
/// first PATH's workspace, whole.
pub fn load(paths: &[PathBuf], cwd: &Path) -> Result<Workspace, LoadError> {
    let targets = plan(paths, cwd)?;
    match targets.into_iter().next() {
        Some(target) => target.load(None),
        None => Err(LoadError("no workspace".to_string())),
    }
}

/// A `.lawful` file found in the workspace.
struct Found {
    /// Workspace-relative display name (escaped, `/` separators).
    name: String,
    /// Its real path, or why it is not read.
    real: Result<PathBuf, String>,
}

impl Target {
    /// Reads the whole workspace once: `lawful.toml`, every file below its source directories,
    /// and the files and directories the PATHs name even outside those sources (they are below
    /// the root by construction). `replace` stands in for one file's contents.
    pub fn load(&self, replace: Option<&Replacement>) -> Result<Workspace, LoadError> {
        let root = &self.root;
        let mut sources = Sources::new();
        let mut diagnostics = Vec::new();
        let mut config = Config::default();
        let mut real = Vec::new();
        if self.has_config {
            let config_path = root.join(CONFIG_FILE);
            let text = read_config(&config_path, root)?;
            let id = sources.add_text(CONFIG_FILE, Origin::Config, &text);
            real.push(None);
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
            check_source_dirs(root, id, &mut config, &mut diagnostics);
        }

        let mut found: Vec<Found> = Vec::new();
        for source in &config.sources {
            if let Ok(dir) = fs::canonicalize(root.join(source)) {
                walk(&dir, root, &mut found, &mut diagnostics);
            }
        }
        for scope in &self.scopes {
            match scope {
                Scope::Whole => {}
                Scope::Dir(dir) => walk(dir, root, &mut found, &mut diagnostics),
                Scope::File(file) => {
                    if replace.is_none_or(|r| &r.path != file) {
                        found.push(Found {
                            name: display_path(file, root),
                            real: Ok(file.clone()),
                        });
                    }
                }
            }
        }
        if let Some(replacement) = replace {
            found.push(Found {
                name: display_path(&replacement.path, root),
                real: Ok(replacement.path.clone()),
            });
        }
        // File identity is the real path: a file reached twice (a link to it, a PATH and a
        // source directory) is read once, under its own name when that was seen.
        found.sort_by(|a, b| {
            let key = |f: &Found| match &f.real {
                Ok(path) => (0, path.clone(), display_path(path, root) != f.name),
                Err(_) => (1, PathBuf::from(&f.name), false),
            };
            key(a).cmp(&key(b))
        });
        found.dedup_by(|later, earlier| match (&later.real, &earlier.real) {
            (Ok(a), Ok(b)) => a == b,
            (Err(_), Err(_)) => later.name == earlier.name,
            _ => false,
        });
        found.sort_by(|a, b| a.name.cmp(&b.name));
        // Read and indexed on every core (files of a large workspace by the hundred), added
        // in name order.
        let files = crate::parallel::map(
            crate::analysis::default_threads(),
            PARALLEL_READS,
            &found,
            |_, file| {
                let contents = match &file.real {
                    Ok(path) => match replace.filter(|r| &r.path == path) {
                        Some(replacement) if replacement.text.len() > MAX_FILE_BYTES => {
                            Contents::Unreadable(too_large())
                        }
                        Some(replacement) => Contents::Bytes(replacement.text.clone()),
                        None => read_source(path),
                    },
                    Err(why) => Contents::Unreadable(why.clone()),
                };
                SourceFile::new(file.name.clone(), Origin::User, contents)
            },
        );
        for (file, source) in found.into_iter().zip(files) {
            sources.push(source);
            real.push(file.real.ok());
        }
        stdlib::add_to(&mut sources);
        let scoped = scope_mask(&self.scopes, &real, &sources);
        Ok(Workspace {
            root: root.clone(),
            has_config: self.has_config,
            sources,
            config,
            diagnostics,
            scopes: self.scopes.clone(),
            scoped,
            real,
        })
    }
}

impl Workspace {
    /// Whether findings in `file` are reported for the PATHs given: files at or below them,
    /// and `lawful.toml` (its problems concern the whole workspace).
    pub fn in_scope(&self, file: FileId) -> bool {
        self.scoped.get(file.0 as usize).copied().unwrap_or(false)
    }

    /// The real path of a user file (inside the root), for commands that write files back
    /// (`fmt`); `None` for `lawful.toml`, the stdlib and files that were not read.
    pub fn real_path(&self, file: FileId) -> Option<&Path> {
        self.real.get(file.0 as usize)?.as_deref()
    }

    /// The user files in scope, with their real paths: what a command that rewrites files
    /// (`fmt`) works on.
    pub fn files_to_process(&self) -> impl Iterator<Item = (FileId, &Path)> {
        self.sources.iter().filter_map(|(id, file)| {
            let real = self.real_path(id)?;
            (file.origin == Origin::User && self.in_scope(id)).then_some((id, real))
        })
    }

    /// Keeps the findings the PATHs asked for, plus the workspace-level ones (no file).
    pub fn retain_in_scope(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.scopes.contains(&Scope::Whole) {
            return;
        }
        diagnostics.retain(|d| d.file_id().is_none_or(|file| self.in_scope(file)));
    }

    /// How many user files are in scope (the summary's `files`).
    pub fn files_in_scope(&self) -> usize {
        self.sources
            .iter()
            .filter(|(id, f)| f.origin == Origin::User && self.in_scope(*id))
            .count()
    }

    /// Each file's name as seen from `cwd` (for human, `github` and SARIF output), indexed by
    /// [`FileId`]; stdlib files keep their own name.
    /// A workspace below `cwd` is named relatively (`examples/webshop/orders.lawful`), one
    /// elsewhere absolutely (`/srv/policies/orders.lawful`), as ruff and clippy do.
    pub fn names_from(&self, cwd: &Path) -> Vec<String> {
        let prefix = self.prefix_from(cwd);
        self.sources
            .iter()
            .map(|(_, file)| match file.origin {
                Origin::Stdlib => file.path.clone(),
                _ if prefix.is_empty() => file.path.clone(),
                _ => format!("{prefix}/{}", file.path),
            })
            .collect()
    }

    /// The workspace directory as seen from `cwd` (`.` for the current directory).
    pub fn root_from(&self, cwd: &Path) -> String {
        let shown = self.prefix_from(cwd);
        if shown.is_empty() {
            ".".to_string()
        } else {
            shown
        }
    }
}

/// Which files the scopes cover: `lawful.toml` always, the stdlib only for a whole
/// workspace, a user file when a scope names it or one of its directories. Linear in the
/// files times their depth, whatever the number of scopes.
fn scope_mask(scopes: &[Scope], real: &[Option<PathBuf>], sources: &Sources) -> Vec<bool> {
    let whole = scopes.contains(&Scope::Whole);
    let files: HashSet<&Path> = scopes
        .iter()
        .filter_map(|s| match s {
            Scope::File(path) => Some(path.as_path()),
            _ => None,
        })
        .collect();
    let dirs: HashSet<&Path> = scopes
        .iter()
        .filter_map(|s| match s {
            Scope::Dir(path) => Some(path.as_path()),
            _ => None,
        })
        .collect();
    sources
        .iter()
        .map(|(id, file)| match (file.origin, real.get(id.0 as usize)) {
            (Origin::Config, _) => true,
            _ if whole => true,
            (Origin::User, Some(Some(path))) => {
                files.contains(path.as_path()) || path.ancestors().any(|a| dirs.contains(a))
            }
            _ => false,
        })
        .collect()
}

impl Workspace {
    /// The root as a prefix for names: relative below `cwd` (empty for `cwd` itself), else
    /// absolute with a leading `/`.
    fn prefix_from(&self, cwd: &Path) -> String {
        let cwd = fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf());
        match self.root.strip_prefix(&cwd) {
            Ok(below) => escape_components(below),
            Err(_) => format!("/{}", escape_components(&self.root)),
        }
    }
}

fn read_config(path: &Path, root: &Path) -> Result<String, LoadError> {
    let shown = path.display();
    let real = fs::canonicalize(path)
        .map_err(|error| LoadError(format!("cannot read `{shown}`: {}", reason(&error))))?;
    if !real.starts_with(root) {
        return Err(LoadError(format!(
            "`{shown}` is a symbolic link to outside the workspace; it is not read"
        )));
    }
    let meta = fs::metadata(&real)
        .map_err(|error| LoadError(format!("cannot read `{shown}`: {}", reason(&error))))?;
    if !meta.is_file() {
        return Err(LoadError(format!("`{shown}` is not a regular file")));
    }
    let bytes = read_limited(&real, MAX_CONFIG_BYTES)
        .map_err(|why| LoadError(format!("cannot read `{shown}`: {why}")))?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(LoadError(format!(
            "`{shown}` is larger than the limit of {} KiB for settings",
            MAX_CONFIG_BYTES / 1024
        )));
    }
    String::from_utf8(bytes).map_err(|_| LoadError(format!("`{shown}` is not valid UTF-8")))
}

/// E014 for source directories that do not exist or resolve to outside the workspace; such
/// directories are dropped, and `sources` falls back to its default when none is left.
fn check_source_dirs(
    root: &Path,
    id: FileId,
    config: &mut Config,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut missing = Vec::new();
    let mut outside = Vec::new();
    for source in &config.sources {
        match fs::canonicalize(root.join(source)) {
            Ok(dir) if !dir.starts_with(root) => outside.push(source.clone()),
            Ok(dir) if dir.is_dir() => {}
            _ => missing.push(source.clone()),
        }
    }
    let anchor = |message: String| match &config.sources_key {
        Some(range) => Diagnostic::new("E014", Span::new(id, range.clone()), message),
        None => Diagnostic::file("E014", id, message),
    };
    let list = |names: &[String]| {
        names
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !missing.is_empty() {
        let message = format!(
            "source director{} {} not exist",
            if missing.len() == 1 { "y" } else { "ies" },
            list(&missing) + if missing.len() == 1 { " does" } else { " do" }
        );
        diagnostics.push(
            anchor(message)
                .with_note("`sources` falls back to its default, the workspace directory")
                .with_help("create the directory, or correct its name in `sources`"),
        );
    }
    if !outside.is_empty() {
        let message = format!(
            "source director{} {} outside the workspace through a symbolic link",
            if outside.len() == 1 { "y" } else { "ies" },
            list(&outside) + if outside.len() == 1 { " lies" } else { " lie" }
        );
        diagnostics.push(
            anchor(message)
                .with_note("nothing outside the workspace directory is read")
                .with_help("move the files into the workspace, or make the workspace wider"),
        );
    }
    if !missing.is_empty() || !outside.is_empty() {
        config.sources = Config::default().sources;
    }
}

/// Every `*.lawful` below `dir` (a real path below `root`), skipping hidden directories and
/// `target/`. Links to directories are not followed (so a link cycle cannot loop and no link
/// leads outside); a link to a `.lawful` file is read only when its target is a regular file
/// inside the workspace. FIFOs, devices and sockets are skipped without being opened. A
/// directory that cannot be read is reported (E011), not skipped silently. Iterative, so
/// deep trees cannot overflow the stack.
fn walk(dir: &Path, root: &Path, found: &mut Vec<Found>, problems: &mut Vec<Diagnostic>) {
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) => {
                problems.push(unreadable_dir(&dir, root, &error));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    problems.push(unreadable_dir(&dir, root, &error));
                    break;
                }
            };
            let path = entry.path();
            let name = entry.file_name();
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                let hidden = name.as_encoded_bytes().first() == Some(&b'.');
                if !hidden && name != "target" {
                    pending.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|ext| ext != "lawful") {
                continue;
            }
            if file_type.is_file() {
                found.push(Found {
                    name: display_path(&path, root),
                    real: Ok(path),
                });
            } else if file_type.is_symlink() {
                let real = match fs::canonicalize(&path) {
                    Ok(real) if !real.starts_with(root) => Err(
                        "it is a symbolic link to outside the workspace, which is never read"
                            .to_string(),
                    ),
                    Ok(real) if real.is_file() => Ok(real),
                    Ok(real) if real.is_dir() => continue,
                    Ok(_) => Err(
                        "it is a symbolic link to something that is not a regular file".to_string(),
                    ),
                    Err(_) => {
                        Err("it is a symbolic link to a file that does not exist".to_string())
                    }
                };
                found.push(Found {
                    name: display_path(&path, root),
                    real,
                });
            }
        }
    }
}

fn unreadable_dir(dir: &Path, root: &Path, error: &std::io::Error) -> Diagnostic {
    let name = display_path(dir, root);
    let name = if name.is_empty() {
        ".".to_string()
    } else {
        name
    };
    Diagnostic::workspace(
        "E011",
        format!(
            "directory `{name}` cannot be read: {}; its files are not checked",
            reason(error)
        ),
    )
    .with_help("make the directory readable, or leave it out of `sources`")
}

/// Reads a source file (a real path to a regular file below the root), at most
/// [`MAX_FILE_BYTES`] + 1 bytes of it.
fn read_source(path: &Path) -> Contents {
    match fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            return Contents::Unreadable("it is not a regular file".to_string());
        }
        Ok(meta) if meta.len() > MAX_FILE_BYTES as u64 => {
            return Contents::Unreadable(too_large());
        }
        _ => {}
    }
    match read_limited(path, MAX_FILE_BYTES as u64) {
        Ok(bytes) if bytes.len() > MAX_FILE_BYTES => Contents::Unreadable(too_large()),
        Ok(bytes) => Contents::Bytes(bytes),
        Err(why) => Contents::Unreadable(format!("it cannot be read: {why}")),
    }
}

fn too_large() -> String {
    format!(
        "the file is larger than the limit of {} MiB",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// At most `limit + 1` bytes, so a file that grows (or never ends) cannot exhaust memory.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    // O_NONBLOCK: should a regular file be swapped for a FIFO after it was inspected, opening
    // it still returns at once (it has no effect on regular files).
    #[cfg(all(
        target_os = "linux",
        any(
            target_arch = "x86_64",
            target_arch = "x86",
            target_arch = "aarch64",
            target_arch = "arm",
            target_arch = "riscv64"
        )
    ))]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, 0o4000);
    let file = options.open(path).map_err(|error| reason(&error))?;
    // Sized from the open file's length (a hint: it may have changed): one read fills it,
    // where growing from empty took a dozen reads per file.
    let expected = file.metadata().map_or(0, |meta| meta.len().min(limit));
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0).saturating_add(1));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| reason(&error))?;
    Ok(bytes)
}

/// An I/O error in words, lowercase: "permission denied".
fn reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        _ => error.to_string(),
    }
}

/// The path relative to the workspace root with `/` separators; every component escaped so
/// that two different files never share a name (see [`escape_name`]).
fn display_path(file: &Path, root: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file);
    escape_components(relative)
}

fn escape_components(path: &Path) -> String {
    path.components()
        .filter_map(|part| match part {
            Component::Normal(name) => Some(escape_name(name)),
            Component::ParentDir => Some("..".to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A file name as text: bytes that are not UTF-8 become `\xNN`, control and invisible
/// characters `\u{…}`, and a backslash `\\`, so the name is unique, printable and safe on a
/// terminal.
pub fn escape_name(name: &std::ffi::OsStr) -> String {
    let bytes = name.as_encoded_bytes();
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else if crate::diag::is_hidden_char(c) {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            } else {
                out.push(c);
            }
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    out
}
