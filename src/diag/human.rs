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
    render_named(diagnostics, sources, &super::own_names(sources), color)
}

/// Renders diagnostics as text, naming each file from `names` (indexed by [`FileId`]).
/// Messages are cleaned ([`Diagnostic::cleaned`]) and so is every source line shown: control
/// and invisible characters are replaced by a visible character of the same UTF-8 length, so
/// no escape sequence from a policy file reaches the terminal and no underline is empty.
pub fn render_named(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    names: &[String],
    color: bool,
) -> String {
    let config = term::Config::default();
    // The files the reports quote, each made visible once (on every core for the large runs:
    // that is a pass over, and a copy of, every such file).
    let mut quoted = vec![false; sources.slots()];
    for diagnostic in diagnostics {
        let files = diagnostic
            .primary
            .iter()
            .chain(diagnostic.related.iter().map(|r| &r.span))
            .map(|span| span.file);
        for file in files {
            if let Some(seen) = quoted.get_mut(file.0 as usize) {
                *seen = true;
            }
        }
    }
    let quoted: Vec<usize> = (0..quoted.len()).filter(|&i| quoted[i]).collect();
    let texts = crate::parallel::map(
        crate::analysis::default_threads(),
        64,
        &quoted,
        |_, &index| {
            visible(
                &sources
                    .get(FileId(u32::try_from(index).unwrap_or(u32::MAX)))
                    .text,
            )
        },
    );
    let mut shown: Vec<Option<String>> = (0..sources.slots()).map(|_| None).collect();
    for (index, text) in quoted.into_iter().zip(texts) {
        shown[index] = Some(text);
    }
    let files = SourceFiles {
        sources,
        names,
        shown: &shown,
    };
    // Each report is rendered on its own, on every core for the large runs, and the reports are
    // put together in order.
    let reports = crate::parallel::map(
        crate::analysis::default_threads(),
        crate::parallel::MIN_WORK,
        diagnostics,
        |_, diagnostic| {
            let mut buffer = Vec::new();
            let diagnostic = &diagnostic.cleaned();
            let report = to_report(diagnostic, sources, names);
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
            buffer
        },
    );
    let mut buffer = Vec::with_capacity(reports.iter().map(Vec::len).sum());
    for report in reports {
        buffer.extend_from_slice(&report);
    }
    String::from_utf8_lossy(&buffer).into_owned()
}

/// `text` with each hidden character replaced by a visible one of the same UTF-8 length, so
/// byte offsets stay valid: `?`, `¿`, `\u{FFFD}`, or `?` and `\u{FFFD}`.
fn visible(text: &str) -> String {
    let keep = |c: char| c == '\n' || c == '\t' || !super::is_hidden_char(c);
    if text.chars().all(keep) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else if c == '\r' {
            // A line end (`\r\n`, or a lone `\r`), which must not move the terminal's cursor
            // back over what was printed.
            out.push(' ');
        } else {
            out.push_str(match c.len_utf8() {
                1 => "?",
                2 => "\u{BF}",
                3 => "\u{FFFD}",
                _ => "?\u{FFFD}",
            });
        }
    }
    out
}

/// Source lines longer than this many bytes are not shown: the finding is located in a note
/// instead, so a 1 MB line is not printed once per finding on it.
const MAX_SHOWN_LINE: usize = 1000;

/// Whether the lines where `span` starts and ends are short enough to show.
fn showable(sources: &Sources, span: crate::source::Span) -> bool {
    let file = sources.get(span.file);
    let line_len = |offset: usize| {
        let line = file.lines.line_of(offset);
        let start = file.lines.line_start(line);
        let end = if line + 1 < file.lines.line_count() {
            file.lines.line_start(line + 1)
        } else {
            file.text.len()
        };
        end.saturating_sub(start)
    };
    line_len(span.start as usize) <= MAX_SHOWN_LINE && line_len(span.end as usize) <= MAX_SHOWN_LINE
}

fn to_report(diagnostic: &Diagnostic, sources: &Sources, names: &[String]) -> Report<FileId> {
    let severity = match diagnostic.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
        Severity::Info => ReportSeverity::Note,
    };
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    let mut hidden = |span: crate::source::Span, what: &str| {
        let at = super::locate_named(sources, names, None, Some(span));
        notes.push(format!(
            "{what}{}:{}:{} (the line is too long to show)",
            at.file.unwrap_or_default(),
            at.line,
            at.column
        ));
    };
    if let Some(span) = diagnostic.primary {
        if showable(sources, span) {
            labels.push(Label::primary(span.file, span.range()));
        } else {
            hidden(span, "at ");
        }
    }
    for related in &diagnostic.related {
        if showable(sources, related.span) {
            labels.push(
                Label::secondary(related.span.file, related.span.range())
                    .with_message(&related.message),
            );
        } else {
            hidden(related.span, &format!("{}: ", related.message));
        }
    }
    if let Some(file) = diagnostic.file_only
        && let Some(name) = names.get(file.0 as usize)
    {
        notes.push(format!("in {name}"));
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
struct SourceFiles<'a> {
    sources: &'a Sources,
    names: &'a [String],
    /// The text shown for each file that has a diagnostic (see [`visible`]).
    shown: &'a [Option<String>],
}

impl<'a> Files<'a> for SourceFiles<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(self
            .names
            .get(id.0 as usize)
            .map_or(&self.sources.get(id).path, |name| name))
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        match self.shown.get(id.0 as usize) {
            Some(Some(text)) => Ok(text),
            _ => Ok(&self.sources.get(id).text),
        }
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.sources.get(id).lines.line_of(byte_index))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.sources.get(id);
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
