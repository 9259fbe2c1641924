//! `lawful init [DIR]`: a new workspace with a `lawful.toml` and a commented example that
//! checks clean, so the first `lawful check` teaches rather than scolds. Text generation
//! only: the binary writes the files.

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

/// The files a new workspace gets: (name, text). Pure; the shell writes them (`lawful init`
/// refuses to overwrite any of them).
pub fn files() -> [(&'static str, &'static str); 2] {
    [("lawful.toml", CONFIG), ("organisation.lawful", EXAMPLE)]
}
