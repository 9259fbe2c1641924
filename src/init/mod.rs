//! `lawful init [DIR]`: a new workspace with a `lawful.toml` and a commented example that
//! checks clean, so the first `lawful check` teaches rather than scolds.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const CONFIG: &str = r#"# Lawful workspace settings; every key is optional (see the README).
[workspace]
sources = ["."]        # directories holding .lawful files
lang = "en"            # "en" or "nl": language of generated documents
# today = "2026-11-22" # pin the date time-dependent rules use (default: today)

[rules]                # per-code severity: "error" | "warning" | "info" | "off"
# U001 = "off"

[breach]
large-scale = 10000    # affected people at or above this count as a high-risk breach
"#;

pub const EXAMPLE: &str = include_str!("example.lawful");

/// Writes the two files into `dir` (created if needed); refuses to overwrite either.
/// Returns the paths written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let files = [
        (dir.join("lawful.toml"), CONFIG),
        (dir.join("organisation.lawful"), EXAMPLE),
    ];
    for (path, _) in &files {
        // `symlink_metadata`: a dangling link counts as existing, it is never written through.
        if fs::symlink_metadata(path).is_ok() {
            return Err(format!(
                "`{}` already exists; nothing was written",
                path.display()
            ));
        }
    }
    fs::create_dir_all(dir)
        .map_err(|error| format!("cannot create `{}`: {error}", dir.display()))?;
    let mut written = Vec::new();
    for (path, text) in files {
        // `create_new` is O_CREAT|O_EXCL: it fails on any existing entry, a link included,
        // so a link planted between the check above and here is not followed either.
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| file.write_all(text.as_bytes()))
            .map_err(|error| format!("cannot write `{}`: {error}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
