//! SARIF 2.1.0, for code-scanning dashboards. The `rules` array comes from the registry.
//! File URIs are relative to the directory Lawful ran in, resolved through the run's
//! `originalUriBaseIds` entry `CWD` (the absolute `file:` URI of that directory).

use super::Diagnostic;
use crate::registry::{self, Severity};
use crate::source::Sources;
use serde_json::{Value, json};

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
}

/// One workspace, files named by their workspace-relative path, no base URI.
pub fn render(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    render_parts(
        &[Part {
            diagnostics,
            sources,
            names: super::own_names(sources),
        }],
        None,
    )
}

/// One log (one run) for several workspaces. `base` is the absolute path of the directory
/// the names are relative to; it becomes `originalUriBaseIds.CWD`.
pub fn render_parts(parts: &[Part<'_>], base: Option<&std::path::Path>) -> String {
    let rules: Vec<Value> = registry::all()
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.summary },
                "help": { "text": rule.explain, "markdown": rule.explain },
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": { "article": rule.article },
            })
        })
        .collect();
    let artifact = |name: &str| {
        if name.starts_with('/') {
            // A workspace outside the current directory is named by its absolute URI.
            return json!({ "uri": format!("file://{}", uri_reference(name)) });
        }
        let mut location = json!({ "uri": uri_reference(name) });
        if base.is_some() {
            location["uriBaseId"] = json!("CWD");
        }
        location
    };
    let mut results: Vec<Value> = Vec::new();
    for part in parts {
        let (sources, names) = (part.sources, &part.names);
        for d in part.diagnostics {
            let d = d.cleaned();
            let at = super::locate_named(sources, names, d.file_only, d.primary);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": { "text": message },
                "properties": { "article": d.article() },
            });
            if let Some(index) = registry::all().iter().position(|r| r.code == d.code) {
                result["ruleIndex"] = json!(index);
            }
            if let Some(file) = &at.file {
                let mut physical = json!({ "artifactLocation": artifact(file) });
                if at.line > 0 {
                    physical["region"] = json!({
                        "startLine": at.line, "startColumn": at.column,
                        "endLine": at.end_line, "endColumn": at.end_column,
                    });
                }
                result["locations"] = json!([{ "physicalLocation": physical }]);
            }
            let related: Vec<Value> = d
                .related
                .iter()
                .filter_map(|r| {
                    let at = super::locate_named(sources, names, None, Some(r.span));
                    let file = at.file?;
                    Some(json!({
                        "physicalLocation": {
                            "artifactLocation": artifact(&file),
                            "region": { "startLine": at.line, "startColumn": at.column },
                        },
                        "message": { "text": r.message },
                    }))
                })
                .collect();
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            results.push(result);
        }
    }
    let mut run = json!({
        "tool": { "driver": {
            "name": "lawful",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        }},
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(base) = base {
        run["originalUriBaseIds"] = json!({ "CWD": { "uri": directory_uri(base) } });
    }
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    serde_json::to_string_pretty(&sarif).unwrap_or_default() + "\n"
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
}
