//! The JSON output of SPEC §6.1.

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

pub fn render(diagnostics: &[Diagnostic], sources: &Sources, files: usize) -> String {
    let counts: Counts = super::count(diagnostics);
    let output = Output {
        version: 1,
        diagnostics: diagnostics
            .iter()
            .map(|d| {
                let at = d.location(sources);
                JsonDiagnostic {
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
                }
            })
            .collect(),
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
