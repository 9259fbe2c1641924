//! Diagnostics are data: rules build [`Diagnostic`]s, renderers turn them into text, JSON,
//! SARIF or editor messages. Nothing here knows about a particular output except the
//! renderer submodules.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::registry::{self, Severity};
use crate::source::{FileId, Sources, Span};

/// A secondary location with its own short message ("the party's country is set here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Where the diagnostic points; `None` for workspace-level findings (E008 without a controller).
    pub primary: Option<Span>,
    /// Whole-file findings (E011, E014 without a key) point at a file but at no range.
    pub file_only: Option<FileId>,
    pub related: Vec<Related>,
    pub notes: Vec<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the registry's default severity for `code`.
    pub fn new(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: default_severity(code),
            message: message.into(),
            primary: Some(span),
            file_only: None,
            related: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    /// A finding about the workspace as a whole, with no file.
    pub fn workspace(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            primary: None,
            ..Diagnostic::new(code, Span::new(FileId(0), 0..0), message)
        }
    }

    /// A finding about a whole file, reported at its line 0.
    pub fn file(code: &'static str, file: FileId, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            primary: None,
            file_only: Some(file),
            ..Diagnostic::new(code, Span::new(file, 0..0), message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    /// "Did you mean" help when a suggestion exists, else the fallback help.
    pub fn with_suggestion_or(
        self,
        suggestion: Option<&str>,
        fallback: impl Into<String>,
    ) -> Diagnostic {
        match suggestion {
            Some(name) => self.with_help(format!("did you mean `{name}`?")),
            None => self.with_help(fallback),
        }
    }

    /// Adds "did you mean" help when a suggestion exists.
    pub fn with_suggestion(self, suggestion: Option<&str>) -> Diagnostic {
        match suggestion {
            Some(name) => self.with_help(format!("did you mean `{name}`?")),
            None => self,
        }
    }

    pub fn article(&self) -> &'static str {
        registry::lookup(self.code).map_or("", |rule| rule.article)
    }

    /// The file this diagnostic belongs to, if any.
    pub fn file_id(&self) -> Option<FileId> {
        self.primary.map(|span| span.file).or(self.file_only)
    }
}

fn default_severity(code: &str) -> Severity {
    registry::lookup(code).map_or(Severity::Error, |rule| rule.severity)
}

/// Resolved position of a diagnostic, shared by every renderer so they all agree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: Option<String>,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

pub fn locate(sources: &Sources, file: Option<FileId>, span: Option<Span>) -> Location {
    match (span, file) {
        (Some(span), _) => {
            let source = sources.get(span.file);
            let start = source.lines.line_col(&source.text, span.start as usize);
            let end = source.lines.line_col(&source.text, span.end as usize);
            Location {
                file: Some(source.path.clone()),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
            }
        }
        (None, Some(file)) => Location {
            file: Some(sources.get(file).path.clone()),
            line: 0,
            column: 0,
            end_line: 0,
            end_column: 0,
        },
        (None, None) => Location {
            file: None,
            line: 0,
            column: 0,
            end_line: 0,
            end_column: 0,
        },
    }
}

impl Diagnostic {
    pub fn location(&self, sources: &Sources) -> Location {
        locate(sources, self.file_only, self.primary)
    }
}

/// Sorts diagnostics deterministically: by file, line, column, code (SPEC §6), then message.
pub fn sort(diagnostics: &mut [Diagnostic], sources: &Sources) {
    diagnostics.sort_by_cached_key(|d| {
        let at = d.location(sources);
        (at.file, at.line, at.column, d.code, d.message.clone())
    });
}

/// Counts of each severity, for summaries and exit codes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

pub fn count(diagnostics: &[Diagnostic]) -> Counts {
    let mut counts = Counts::default();
    for d in diagnostics {
        match d.severity {
            Severity::Error => counts.errors += 1,
            Severity::Warning => counts.warnings += 1,
            Severity::Info => counts.infos += 1,
        }
    }
    counts
}
