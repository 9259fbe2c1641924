//! The JSON output: the contract in docs/json.md.

use super::{Counts, Diagnostic};
use crate::source::Sources;
use serde::Serialize;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    article: &'a str,
    file: Option<String>,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    help: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
    /// Only when several workspaces are reported together: the workspace directory as
    /// given from the current directory, so that `file` (relative to it) is unambiguous.
    #[serde(skip_serializing_if = "Option::is_none")]
    workspace: Option<&'a str>,
    /// Ways to resolve the finding (docs/json.md); absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    file: Option<String>,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: Option<String>,
    line: u32,
    column: u32,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

/// One workspace's share of a JSON document.
pub struct Part<'a> {
    pub diagnostics: &'a [Diagnostic],
    pub sources: &'a Sources,
    /// User files checked (the summary's `files`).
    pub files: usize,
    /// The workspace directory from the current directory; set only when several
    /// workspaces are combined in one document.
    pub workspace: Option<String>,
}

pub fn render(diagnostics: &[Diagnostic], sources: &Sources, files: usize) -> String {
    render_parts(&[Part {
        diagnostics,
        sources,
        files,
        workspace: None,
    }])
}

/// One document for several workspaces: diagnostics in the order given, summary summed.
/// Messages are cleaned ([`Diagnostic::cleaned`]) and `file` stays workspace-relative.
pub fn render_parts(parts: &[Part<'_>]) -> String {
    let cleaned: Vec<Vec<Diagnostic>> = parts
        .iter()
        .map(|part| super::cleaned_all(part.diagnostics))
        .collect();
    let mut counts = Counts::default();
    let mut files = 0;
    let mut diagnostics = Vec::new();
    for (part, cleaned) in parts.iter().zip(&cleaned) {
        let part_counts = super::count(cleaned);
        counts.errors += part_counts.errors;
        counts.warnings += part_counts.warnings;
        counts.infos += part_counts.infos;
        files += part.files;
        let sources = part.sources;
        for d in cleaned {
            let at = d.location(sources);
            diagnostics.push(JsonDiagnostic {
                code: d.code,
                severity: d.severity.as_str(),
                message: &d.message,
                article: d.article(),
                file: at.file,
                line: at.line,
                column: at.column,
                end_line: at.end_line,
                end_column: at.end_column,
                help: d.help.as_deref(),
                related: d
                    .related
                    .iter()
                    .map(|r| {
                        let at = super::locate(sources, None, Some(r.span));
                        JsonRelated {
                            file: at.file,
                            line: at.line,
                            column: at.column,
                            message: &r.message,
                        }
                    })
                    .collect(),
                workspace: part.workspace.as_deref(),
                fixes: d
                    .fixes
                    .iter()
                    .map(|fix| JsonFix {
                        title: &fix.title,
                        applicability: fix.applicability.as_str(),
                        edits: fix
                            .edits
                            .iter()
                            .map(|edit| {
                                let at = super::locate(sources, None, Some(edit.span));
                                JsonEdit {
                                    file: at.file,
                                    line: at.line,
                                    column: at.column,
                                    end_line: at.end_line,
                                    end_column: at.end_column,
                                    text: &edit.text,
                                }
                            })
                            .collect(),
                    })
                    .collect(),
            });
        }
    }
    let output = Output {
        version: 1,
        diagnostics,
        summary: Summary {
            files,
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
        },
    };
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(&output).unwrap_or_default() + "\n"
}
