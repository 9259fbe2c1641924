//! Terminal rendering with codespan-reporting: the source line with the span underlined,
//! related locations, the article, notes and help.

use super::Diagnostic;
use crate::registry::Severity;
use crate::source::{FileId, Sources};
use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};
use std::ops::Range;

/// Renders diagnostics as text; `color` adds ANSI colours.
pub fn render(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let config = term::Config::default();
    let files = SourceFiles(sources);
    let mut buffer = Vec::new();
    for diagnostic in diagnostics {
        let report = to_report(diagnostic, sources);
        let result = if color {
            term::emit_to_write_style(
                &mut termcolor::Ansi::new(&mut buffer),
                &config,
                &files,
                &report,
            )
        } else {
            term::emit_to_write_style(
                &mut termcolor::NoColor::new(&mut buffer),
                &config,
                &files,
                &report,
            )
        };
        if result.is_err() {
            // A span outside its file would be a bug; still show the message rather than nothing.
            buffer.extend_from_slice(
                format!(
                    "{}[{}]: {}\n\n",
                    diagnostic.severity.as_str(),
                    diagnostic.code,
                    diagnostic.message
                )
                .as_bytes(),
            );
        }
    }
    String::from_utf8_lossy(&buffer).into_owned()
}

fn to_report(diagnostic: &Diagnostic, sources: &Sources) -> Report<FileId> {
    let severity = match diagnostic.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
        Severity::Info => ReportSeverity::Note,
    };
    let mut labels = Vec::new();
    if let Some(span) = diagnostic.primary {
        labels.push(Label::primary(span.file, span.range()));
    }
    for related in &diagnostic.related {
        labels.push(
            Label::secondary(related.span.file, related.span.range())
                .with_message(&related.message),
        );
    }
    let mut notes = Vec::new();
    if let Some(file) = diagnostic.file_only {
        notes.push(format!("in {}", sources.get(file).path));
    }
    let article = diagnostic.article();
    if !article.is_empty() {
        notes.push(format!("{article} · `lawful explain {}`", diagnostic.code));
    }
    notes.extend(diagnostic.notes.iter().cloned());
    if let Some(help) = &diagnostic.help {
        notes.push(format!("help: {help}"));
    }
    Report::new(severity)
        .with_code(diagnostic.code)
        .with_message(&diagnostic.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// Adapts [`Sources`] to codespan-reporting's file database.
struct SourceFiles<'a>(&'a Sources);

impl<'a> Files<'a> for SourceFiles<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).path)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.0.get(id).lines.line_of(byte_index))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.0.get(id);
        if line_index >= file.lines.line_count() {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: file.lines.line_count().saturating_sub(1),
            });
        }
        let start = file.lines.line_start(line_index);
        let end = if line_index + 1 < file.lines.line_count() {
            file.lines.line_start(line_index + 1)
        } else {
            file.text.len()
        };
        Ok(start..end)
    }
}
