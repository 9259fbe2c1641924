//! SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning first). The `rules` array
//! comes from the registry: `shortDescription` is the rule's summary, `fullDescription` the
//! first paragraph of its explanation, `help` the whole explanation (`text` and `markdown`;
//! GitHub shows `help` and ignores `helpUri`). There is no `security-severity`: these are not
//! security rules, and GitHub would otherwise rank them as vulnerabilities.
//!
//! * File URIs are relative to the directory Lawful ran in, resolved through the run's
//!   `originalUriBaseIds` entry `CWD` (the absolute `file:` URI of that directory).
//! * Columns count UTF-16 code units (`columnKind: utf16CodeUnits`, SARIF's default and what
//!   GitHub assumes), unlike the JSON contract's Unicode scalars.
//! * Every result has a location: a workspace-level finding points at the part's `fallback`
//!   (its `lawful.toml` or directory), since GitHub drops results without one.
//! * `partialFingerprints["lawful/v1"]` hashes the code, the file and the message plus the
//!   result's rank among identical ones in that file, never the line, so a finding keeps its
//!   identity when lines move.
//! * At most [`MAX_RESULTS`] results per run (GitHub's limit) and [`MAX_RELATED`] related
//!   locations per result; what is left out is counted in a `toolExecutionNotifications` entry.

use super::Diagnostic;
use crate::registry::{self, Severity};
use crate::source::{Sources, Span};
use serde_json::{Value, json};
use std::collections::HashMap;

/// GitHub code scanning accepts at most 25,000 results per run.
pub const MAX_RESULTS: usize = 25_000;
/// GitHub keeps at most 1,000 related locations per result.
pub const MAX_RELATED: usize = 1_000;

/// The `partialFingerprints` key Lawful writes.
pub const FINGERPRINT_KEY: &str = "lawful/v1";

/// One result, printed, and how many of its related locations were left out.
fn result(
    d: &Diagnostic,
    file: Option<&str>,
    fingerprint: &str,
    sources: &Sources,
    names: &[String],
    based: bool,
) -> (String, usize) {
    let artifact = |name: &str| {
        if name.starts_with('/') {
            // A workspace outside the current directory is named by its absolute URI.
            return json!({ "uri": format!("file://{}", uri_reference(name)) });
        }
        let mut location = json!({ "uri": uri_reference(name) });
        if based {
            location["uriBaseId"] = json!("CWD");
        }
        location
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let mut result = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": { "text": message },
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint },
        "properties": { "article": d.article() },
    });
    if let Some(index) = registry::all().iter().position(|r| r.code == d.code) {
        result["ruleIndex"] = json!(index);
    }
    if let Some(file) = file {
        let mut physical = json!({ "artifactLocation": artifact(file) });
        if let Some(span) = d.primary {
            physical["region"] = region(sources, span, true);
        }
        result["locations"] = json!([{ "physicalLocation": physical }]);
    }
    // Only the locations kept are built; the rest are counted (a finding can relate to every
    // activity of the workspace).
    let mut related: Vec<Value> = Vec::new();
    let mut left_out = 0;
    for r in &d.related {
        let at = super::locate_named(sources, names, None, Some(r.span));
        let Some(file) = at.file else { continue };
        if related.len() >= MAX_RELATED {
            left_out += 1;
            continue;
        }
        related.push(json!({
            "physicalLocation": {
                "artifactLocation": artifact(&file),
                "region": region(sources, r.span, false),
            },
            "message": { "text": r.message },
        }));
    }
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    (
        serde_json::to_string_pretty(&result).unwrap_or_default(),
        left_out,
    )
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// One workspace's share of a SARIF log: its diagnostics, named by `names` (by `FileId`).
pub struct Part<'a> {
    pub diagnostics: &'a [Diagnostic],
    pub sources: &'a Sources,
    pub names: Vec<String>,
    /// Where a finding about the workspace as a whole points (its `lawful.toml`, else its
    /// directory); `None` leaves such results without a location.
    pub fallback: Option<String>,
}

/// One workspace, files named by their workspace-relative path, no base URI.
pub fn render(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    render_parts(
        &[Part {
            diagnostics,
            sources,
            names: super::own_names(sources),
            fallback: Some("lawful.toml".to_string()),
        }],
        None,
    )
}

/// One log (one run) for several workspaces. `base` is the absolute path of the directory
/// the names are relative to; it becomes `originalUriBaseIds.CWD`.
pub fn render_parts(parts: &[Part<'_>], base: Option<&std::path::Path>) -> String {
    render_limited(parts, base, MAX_RESULTS)
}

/// GitHub code scanning keeps at most this many characters of a rule's descriptions.
pub const MAX_DESCRIPTION_CHARS: usize = 1024;

/// `text` within `max` characters: whole sentences when one fits, else whole words, then `…`.
fn within_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut = text
        .char_indices()
        .nth(max - 1)
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..cut];
    if let Some(end) = head.rfind(". ") {
        return head[..=end].to_string();
    }
    let end = head.rfind(' ').unwrap_or(head.len());
    format!("{}…", &head[..end])
}

/// The first paragraph of an explanation that is prose (not a heading, not the article line).
fn first_paragraph(markdown: &str) -> String {
    let mut paragraph: Vec<&str> = Vec::new();
    for line in markdown.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !paragraph.is_empty() {
                break;
            }
            continue;
        }
        if paragraph.is_empty() && (line.starts_with('#') || line.starts_with("**")) {
            continue;
        }
        paragraph.push(line);
    }
    paragraph.join(" ")
}

/// The explanation as plain text: `**` markers and code fences dropped, code indented.
fn plain(markdown: &str) -> String {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push(format!("    {line}"));
        } else {
            let line = line.replace("**", "");
            out.push(line.trim_start_matches('#').trim_start().to_string());
        }
    }
    out.join("\n").trim_end().to_string()
}

/// As [`render_parts`], keeping at most `limit` results.
pub fn render_limited(parts: &[Part<'_>], base: Option<&std::path::Path>, limit: usize) -> String {
    let rules: Vec<Value> = registry::all()
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.summary },
                "fullDescription": {
                    "text": within_chars(&first_paragraph(rule.explain), MAX_DESCRIPTION_CHARS),
                },
                "help": { "text": plain(rule.explain), "markdown": rule.explain.trim_end() },
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": { "article": rule.article, "tags": ["gdpr", "privacy"] },
            })
        })
        .collect();
    let based = base.is_some();
    // Each result is printed as soon as it is built, so the log never holds more than one
    // result as a `serde_json::Value` tree (a tree of maps costs several times its text).
    let mut results: Vec<String> = Vec::new();
    let mut left_out = 0usize;
    let mut related_left_out = 0usize;
    let mut seen: HashMap<u64, u32> = HashMap::new();
    for part in parts {
        let (sources, names) = (part.sources, &part.names);
        let cleaned = super::cleaned_all(part.diagnostics);
        let room = limit.saturating_sub(results.len());
        left_out += cleaned.len().saturating_sub(room);
        // What depends on the order (a fingerprint's rank among equal ones) is settled first;
        // then each result is built and printed on its own, on every core for the large runs.
        let ranked: Vec<(&Diagnostic, Option<String>, String)> = cleaned
            .iter()
            .take(room)
            .map(|d| {
                let at = super::locate_named(sources, names, d.file_only, d.primary);
                let file = at.file.or_else(|| part.fallback.clone());
                let path = file.clone().unwrap_or_default();
                let base_print = super::gitlab::fnv1a(&[d.code, &path, &d.message]);
                let rank = seen.entry(base_print).or_insert(0);
                *rank += 1;
                let fingerprint = format!(
                    "{base_print:016x}{:016x}",
                    super::gitlab::fnv1a(&[&rank.to_string(), d.code, &path])
                );
                (d, file, fingerprint)
            })
            .collect();
        let printed = crate::parallel::map(
            crate::analysis::default_threads(),
            crate::parallel::MIN_WORK,
            &ranked,
            |_, (d, file, fingerprint)| {
                result(d, file.as_deref(), fingerprint, sources, names, based)
            },
        );
        for (text, related_left) in printed {
            results.push(text);
            related_left_out += related_left;
        }
    }
    let mut notifications = Vec::new();
    if left_out > 0 {
        notifications.push(json!({
            "level": "warning",
            "message": { "text": format!(
                "{left_out} more result(s) left out: GitHub code scanning accepts at most {limit} per run; run `lawful check` to see them all"
            ) },
            "descriptor": { "id": "results-left-out" },
            "properties": { "leftOut": left_out },
        }));
    }
    if related_left_out > 0 {
        notifications.push(json!({
            "level": "note",
            "message": { "text": format!(
                "{related_left_out} related location(s) left out: at most {MAX_RELATED} per result"
            ) },
            "descriptor": { "id": "related-locations-left-out" },
        }));
    }
    let mut invocation = json!({ "executionSuccessful": true });
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }
    let mut run = json!({
        "tool": { "driver": {
            "name": "lawful",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        }},
        "invocations": [invocation],
        "columnKind": "utf16CodeUnits",
        "results": [],
    });
    if let Some(base) = base {
        run["originalUriBaseIds"] = json!({ "CWD": { "uri": directory_uri(base) } });
    }
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    let skeleton = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    splice_results(&skeleton, &results) + "\n"
}

/// Where the run's empty `results` array stands in the pretty-printed skeleton: the run's keys
/// are indented six spaces. No string can hold it (strings have no raw line breaks).
const RESULTS_SLOT: &str = "\n      \"results\": []";

/// The skeleton with its empty `results` replaced by `results` (each pretty-printed alone),
/// laid out exactly as `serde_json::to_string_pretty` lays out the whole tree.
fn splice_results(skeleton: &str, results: &[String]) -> String {
    let Some(at) = skeleton.find(RESULTS_SLOT).filter(|_| !results.is_empty()) else {
        return skeleton.to_string();
    };
    let size: usize = results.iter().map(|r| r.len() + r.len() / 8).sum();
    let mut out = String::with_capacity(skeleton.len() + size);
    out.push_str(&skeleton[..at]);
    out.push_str("\n      \"results\": [");
    for (i, result) in results.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        for (j, line) in result.split('\n').enumerate() {
            if j > 0 {
                out.push('\n');
            }
            out.push_str("        ");
            out.push_str(line);
        }
    }
    out.push_str("\n      ]");
    out.push_str(&skeleton[at + RESULTS_SLOT.len()..]);
    out
}

/// A SARIF region for `span`: 1-based lines, 1-based columns in UTF-16 code units.
fn region(sources: &Sources, span: Span, with_end: bool) -> Value {
    let source = sources.get(span.file);
    let (line, column) = source
        .lines
        .utf16_position(&source.text, span.start as usize);
    if !with_end {
        return json!({ "startLine": line + 1, "startColumn": column + 1 });
    }
    let (end_line, end_column) = source.lines.utf16_position(&source.text, span.end as usize);
    json!({
        "startLine": line + 1, "startColumn": column + 1,
        "endLine": end_line + 1, "endColumn": end_column + 1,
    })
}

/// A relative URI reference for a `/`-separated path: every byte outside the unreserved set
/// (and `/`) percent-encoded.
fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `file:///abs/dir/` for an absolute directory (a base URI must end with `/`).
fn directory_uri(dir: &std::path::Path) -> String {
    let text = dir.to_string_lossy().replace('\\', "/");
    let text = text.trim_end_matches('/');
    let lead = if text.starts_with('/') { "" } else { "/" };
    format!("file://{lead}{}/", uri_reference(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_and_bases_end_with_a_slash() {
        assert_eq!(uri_reference("a b/ü%.lawful"), "a%20b/%C3%BC%25.lawful");
        assert_eq!(
            directory_uri(std::path::Path::new("/tmp/my dir")),
            "file:///tmp/my%20dir/"
        );
    }

    #[test]
    fn spliced_results_print_as_the_whole_tree_would() {
        let results = vec![
            json!({ "ruleId": "B001", "message": { "text": "a\nb" }, "locations": [{ "x": [1, 2] }] }),
            json!({ "ruleId": "C001", "related": [], "empty": {} }),
        ];
        let run = |results: Value| json!({ "runs": [{ "columnKind": "u", "results": results, "tool": { "a": [1] } }], "version": "2.1.0" });
        let whole = serde_json::to_string_pretty(&run(Value::Array(results.clone()))).unwrap();
        let skeleton = serde_json::to_string_pretty(&run(json!([]))).unwrap();
        let printed: Vec<String> = results
            .iter()
            .map(|r| serde_json::to_string_pretty(r).unwrap())
            .collect();
        assert_eq!(splice_results(&skeleton, &printed), whole);
        assert_eq!(splice_results(&skeleton, &[]), skeleton);
    }

    #[test]
    fn descriptions_come_from_the_explanation() {
        let md = "# B001 x\n\n**GDPR Art. 6(1)** · error\n\nFirst line\nsecond line.\n\n## Why\nmore\n```lawful\ncode\n```\n";
        assert_eq!(first_paragraph(md), "First line second line.");
        assert_eq!(within_chars("One. Two three.", 12), "One.");
        assert_eq!(within_chars("one two three", 10), "one two…");
        assert_eq!(within_chars("short", 10), "short");
        assert_eq!(
            plain(md),
            "B001 x\n\nGDPR Art. 6(1) · error\n\nFirst line\nsecond line.\n\nWhy\nmore\n    code"
        );
    }
}
