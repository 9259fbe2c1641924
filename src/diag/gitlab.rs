//! GitLab Code Quality reports: a JSON array of issues with `description`, `check_name`,
//! `fingerprint`, `severity` and `location.path` / `location.lines.begin`.
//!
//! The fingerprint is stable across runs and across edits that move a finding: it hashes the
//! code, the file and the message (not the line), plus the finding's rank among identical
//! ones in that file, so GitLab can tell new findings from fixed ones.

use super::Diagnostic;
use crate::registry::Severity;
use crate::source::Sources;
use serde_json::{Value, json};
use std::collections::HashMap;

/// One workspace's share of the report. `names` name files from the current directory
/// (GitLab wants paths from the repository root, where CI jobs run); `fallback` is the
/// path given to workspace-level findings (the workspace's `lawful.toml` or directory).
pub struct Part<'a> {
    pub diagnostics: &'a [Diagnostic],
    pub sources: &'a Sources,
    pub names: Vec<String>,
    pub fallback: String,
}

pub fn render_parts(parts: &[Part<'_>]) -> String {
    let mut issues: Vec<Value> = Vec::new();
    let mut seen: HashMap<u64, u32> = HashMap::new();
    for part in parts {
        for d in super::cleaned_all(part.diagnostics) {
            let at = super::locate_named(part.sources, &part.names, d.file_only, d.primary);
            let path = at.file.unwrap_or_else(|| part.fallback.clone());
            let mut description = d.message.clone();
            if let Some(help) = &d.help {
                description.push_str("; help: ");
                description.push_str(help);
            }
            let base = fnv1a(&[d.code, &path, &d.message]);
            let rank = seen.entry(base).or_insert(0);
            *rank += 1;
            let fingerprint = format!(
                "{:016x}{:016x}",
                base,
                fnv1a(&[&rank.to_string(), d.code, &path])
            );
            issues.push(json!({
                "description": description,
                "check_name": d.code,
                "fingerprint": fingerprint,
                "severity": match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                "type": "issue",
                "location": { "path": path, "lines": { "begin": at.line.max(1) } },
            }));
        }
    }
    serde_json::to_string_pretty(&Value::Array(issues)).unwrap_or_default() + "\n"
}

/// 64-bit FNV-1a over the parts, each followed by a 0 byte: fixed, unlike `DefaultHasher`.
pub(crate) fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_is_the_published_function() {
        // FNV-1a 64 of "a" is af63dc4c8601ec8c; with our 0 terminator it is fixed too.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        hash ^= u64::from(b'a');
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        assert_eq!(hash, 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(&["a"]), fnv1a(&["a"]));
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
    }
}
