//! Diagnostics are data: rules build [`Diagnostic`]s, renderers turn them into text, JSON,
//! SARIF or editor messages. Nothing here knows about a particular output except the
//! renderer submodules.

pub mod github;
pub mod gitlab;
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

/// Whether a fix may be applied without a person looking at it (ruff's design).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applicability {
    /// Keeps the meaning the user evidently intended (a misspelt key, a date and time written
    /// apart): `lawful check --fix` applies it.
    Safe,
    /// A skeleton or a choice the user must complete or confirm (a retention period, an
    /// agreement's clauses, an `allow` reason): offered, never applied by `--fix`.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes of `span` with `text` (an insertion when the span is empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// One way to resolve a finding: edits applied together, never overlapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, for a menu: "replace `purpse` with `purpose`".
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            applicability: Applicability::Safe,
            edits,
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            applicability: Applicability::Unsafe,
            edits,
        }
    }
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
    /// Ways to resolve it, most likely first (see [`Fix`]); empty for most findings.
    pub fixes: Vec<Fix>,
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
            fixes: Vec::new(),
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

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fixes.push(fix);
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

/// Sorts diagnostics deterministically: by file, line, column, code (docs/json.md), then message.
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

/// A character that must never reach a terminal or an annotation as itself: control
/// characters (ANSI/OSC escapes start with one), and characters that print as nothing or
/// reorder text (zero-width spaces and joiners, bidirectional controls, the BOM, soft hyphen,
/// tag characters).
pub fn is_hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFF8}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// A word (a run without whitespace) longer than this many characters is cut in messages,
/// with an ellipsis: long enough for any real name, URL or code list, short enough that a
/// 1 MB identifier is not repeated in full.
pub const MAX_WORD_CHARS: usize = 120;

/// Message text made safe to print: hidden characters (see [`is_hidden_char`]) written as
/// `\u{…}` escapes, and every word longer than [`MAX_WORD_CHARS`] cut to its first 100 and
/// last 10 characters around an ellipsis. Newlines are kept only when `lines`. Linear in
/// the text.
pub fn clean_text(text: &str, lines: bool) -> String {
    let mut out = String::with_capacity(text.len().min(4096));
    for piece in text.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end_matches(char::is_whitespace);
        let space = &piece[word.len()..];
        if word.chars().nth(MAX_WORD_CHARS).is_some() {
            let head_end = word.char_indices().nth(100).map_or(word.len(), |(i, _)| i);
            let tail_start = word.char_indices().rev().nth(9).map_or(0, |(i, _)| i);
            escape_into(&mut out, &word[..head_end], lines);
            out.push('…');
            escape_into(&mut out, &word[tail_start..], lines);
        } else {
            escape_into(&mut out, word, lines);
        }
        escape_into(&mut out, space, lines);
    }
    out
}

/// Text for a terminal with every hidden character (see [`is_hidden_char`]) but newlines and
/// tabs written as a `\u{…}` escape; for whole reports made of user text (`lawful breach`).
pub fn escape_hidden(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text, true);
    out
}

fn escape_into(out: &mut String, text: &str, lines: bool) {
    for c in text.chars() {
        if (c == '\n' && lines) || (c == '\t') || !is_hidden_char(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        }
    }
}

/// Every diagnostic [`cleaned`](Diagnostic::cleaned), in order: on every core for the large runs.
pub(crate) fn cleaned_all(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    crate::parallel::map(
        crate::analysis::default_threads(),
        crate::parallel::MIN_WORK,
        diagnostics,
        |_, d| d.cleaned(),
    )
}

impl Diagnostic {
    /// The diagnostic with its message, notes, help and related messages cleaned for output
    /// (see [`clean_text`]); every renderer prints this, never the raw text.
    pub fn cleaned(&self) -> Diagnostic {
        Diagnostic {
            message: clean_text(&self.message, false),
            notes: self.notes.iter().map(|n| clean_text(n, true)).collect(),
            help: self.help.as_deref().map(|h| clean_text(h, true)),
            related: self
                .related
                .iter()
                .map(|r| Related {
                    span: r.span,
                    message: clean_text(&r.message, false),
                })
                .collect(),
            ..self.clone()
        }
    }
}

/// Each file's display name, indexed by [`FileId`]: by default the workspace-relative path.
pub fn own_names(sources: &Sources) -> Vec<String> {
    sources.iter().map(|(_, f)| f.path.clone()).collect()
}

/// The [`Location`] of `span`/`file`, with the file named from `names` (see [`own_names`]).
pub fn locate_named(
    sources: &Sources,
    names: &[String],
    file: Option<FileId>,
    span: Option<Span>,
) -> Location {
    let mut at = locate(sources, file, span);
    if let Some(id) = span.map(|s| s.file).or(file)
        && let Some(name) = names.get(id.0 as usize)
    {
        at.file = Some(name.clone());
    }
    at
}

#[cfg(test)]
mod clean_tests {
    use super::*;

    #[test]
    fn escapes_and_invisibles_are_shown_and_long_names_cut() {
        assert_eq!(
            clean_text("party `a\u{1b}]8;;x\u{7}b` x", false),
            "party `a\\u{1b}]8;;x\\u{7}b` x"
        );
        assert_eq!(clean_text("`\u{200b}`", false), "`\\u{200b}`");
        assert_eq!(clean_text("a\nb", false), "a\\u{a}b");
        assert_eq!(clean_text("a\nb", true), "a\nb");
        let long = "x".repeat(1_000_000);
        let cleaned = clean_text(&format!("unknown `{long}` here"), false);
        assert!(cleaned.len() < 130, "{cleaned}");
        assert!(cleaned.starts_with("unknown `xxx") && cleaned.ends_with("xxxxxxxx` here"));
        assert!(cleaned.contains('…'));
        // Real code lists and URLs stay whole.
        let list = "add `basis consent|contract|legal-obligation|vital-interests|public-task|legitimate-interest`";
        assert_eq!(clean_text(list, false), list);
    }
}
