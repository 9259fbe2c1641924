//! The pure core's entry point: sources in, [`Analysis`] out. No I/O, no printing.

use crate::config::Config;
use crate::diag::{self, Diagnostic};
use crate::flow::Flow;
use crate::model::{self, Model};
use crate::source::{Origin, Sources, Span};
use crate::syntax;

/// Everything one run of the checker learned.
#[derive(Debug)]
pub struct Analysis {
    pub model: Model,
    /// The data-flow graph of the model (docs/architecture.md) and its derived facts.
    pub flow: Flow,
    /// What the rules and every renderer read: rights, transfers, measures, DPIA, breaches.
    pub facts: crate::facts::Facts,
    /// Sorted by file, line, column, code; suppressions and severity overrides applied.
    pub diagnostics: Vec<Diagnostic>,
    /// How many of the user's `.lawful` files were read (the JSON summary's `files`).
    pub files: usize,
}

pub use crate::settings::Settings;

pub fn analyze(sources: &Sources, settings: &Settings) -> Analysis {
    let mut diagnostics = Vec::new();
    let mut lowered = Vec::new();
    let mut lost_names = Vec::new();
    let mut files = 0;
    for (id, file) in sources.iter() {
        if file.origin == Origin::Config {
            continue;
        }
        if file.origin == Origin::User {
            files += 1;
        }
        if let Some(problem) = &file.problem {
            diagnostics.push(
                Diagnostic::file(
                    "E011",
                    id,
                    format!("`{}` cannot be checked: {problem}", file.path),
                )
                .with_help(if problem.contains("UTF-8") {
                    "save the file as UTF-8; the other files are still checked"
                } else if problem.contains("limit") {
                    "split the file into smaller ones; the other files are still checked"
                } else {
                    "make the file readable or remove it; the other files are still checked"
                }),
            );
            continue;
        }
        let parsed = syntax::parse(id, &file.text);
        diagnostics.extend(parsed.diagnostics);
        lost_names.extend(parsed.lost_names);
        lowered.push(model::lower_file(
            &parsed.decls,
            file.origin == Origin::Stdlib,
            &mut diagnostics,
        ));
    }
    let model = model::resolve(lowered, &lost_names, &mut diagnostics);
    let flow = Flow::build(&model);
    let facts = crate::facts::Facts::derive(&model, &flow, settings);
    crate::rules::run(&model, &flow, &facts, settings, &mut diagnostics);
    drop_follow_on_findings(&model, &mut diagnostics);
    apply_allows(&model, &mut diagnostics);
    apply_severities(&settings.config, &mut diagnostics);
    crate::fixes::attach(&mut diagnostics, &model, &facts, sources);
    diag::sort(&mut diagnostics, sources);
    Analysis {
        model,
        flow,
        facts,
        diagnostics,
        files,
    }
}

/// The declarations' spans, sorted, for finding the one a diagnostic lies in by binary search.
/// Declarations never overlap, so the one containing a span is the last starting at or before it.
struct DeclIndex<T> {
    entries: Vec<(Span, T)>,
}

impl<T> DeclIndex<T> {
    fn new(mut entries: Vec<(Span, T)>) -> DeclIndex<T> {
        entries.sort_by_key(|(span, _)| (span.file, span.start));
        DeclIndex { entries }
    }

    /// The position of the declaration containing `at`: O(log n).
    fn find(&self, at: Span) -> Option<usize> {
        let after = self
            .entries
            .partition_point(|(span, _)| (span.file, span.start) <= (at.file, at.start));
        let i = after.checked_sub(1)?;
        self.entries[i].0.contains(at).then_some(i)
    }
}

/// One typo, one E001: in a declaration that lost a statement to a syntax error,
/// any compliance finding may stem from the missing statement (a lost `exception` makes S001,
/// a lost `basis` B001), so none is reported inside it until the error is fixed. Structural
/// findings about what *was* written stay, and other declarations are checked as usual.
/// O((d + b) log b) for d diagnostics and b broken declarations.
fn drop_follow_on_findings(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    let broken = DeclIndex::new(
        model
            .headers()
            .filter(|header| header.recovered)
            .map(|header| (header.span, header.unclosed))
            .collect(),
    );
    if broken.entries.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let Some(at) = d.primary else { return true };
        let Some(i) = broken.find(at) else {
            return true;
        };
        let unclosed = broken.entries[i].1;
        // With a block left open, statements may sit in the wrong block: keys reported
        // unknown, repeated or missing there are guesses too.
        // A value read in the wrong block is checked against the wrong key (E003) too.
        let follows_from_layout = matches!(d.code, "E002" | "E003" | "E006" | "E007");
        d.code.starts_with('E') && d.code != "E007" && !(unclosed && follows_from_layout)
    });
}

/// `allow CODE "reason"` silences CODE for diagnostics anchored inside its declaration; an
/// `allow` that silences nothing is itself reported (U002), unless its declaration has a
/// structural error (`E…`): what the `allow` would silence may be hidden behind it.
/// Allows are indexed by (declaration, code): O((d + a) log a) for d diagnostics and a allows.
fn apply_allows(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    struct Allowed<'m> {
        code: &'m str,
        stmt: Span,
        used: bool,
    }
    // Per declaration with allows: its allows, sorted by code.
    let mut index = DeclIndex::new(
        model
            .headers()
            .filter(|header| !header.from_stdlib && !header.allows.is_empty())
            .map(|header| {
                let mut allows: Vec<Allowed<'_>> = header
                    .allows
                    .iter()
                    .map(|allow| Allowed {
                        code: &allow.code,
                        stmt: allow.stmt,
                        used: false,
                    })
                    .collect();
                allows.sort_by(|a, b| a.code.cmp(b.code));
                (header.span, (allows, header.recovered))
            })
            .collect(),
    );
    if index.entries.is_empty() {
        return;
    }
    diagnostics.retain(|diagnostic| {
        let Some(at) = diagnostic.primary else {
            return true;
        };
        let Some(i) = index.find(at) else {
            return true;
        };
        let (allows, structural) = &mut index.entries[i].1;
        let first = allows.partition_point(|allow| allow.code < diagnostic.code);
        let mut silenced = false;
        for allow in allows[first..]
            .iter_mut()
            .take_while(|allow| allow.code == diagnostic.code)
        {
            allow.used = true;
            silenced = true;
        }
        // E012 (a stdlib declaration replaced) is information, not an error.
        if !silenced && diagnostic.code.starts_with('E') && diagnostic.code != "E012" {
            *structural = true;
        }
        !silenced
    });
    for (_, (allows, structural)) in &index.entries {
        if *structural {
            continue;
        }
        for allow in allows.iter().filter(|allow| !allow.used) {
            diagnostics.push(
                Diagnostic::new(
                    "U002",
                    allow.stmt,
                    format!(
                        "`allow {}` silences nothing in this declaration",
                        allow.code
                    ),
                )
                .with_help(
                    "remove it, so the register does not list an exception that is not taken",
                ),
            );
        }
    }
}

/// `lawful.toml [rules]`: change a code's severity, or drop it (`off`).
fn apply_severities(config: &Config, diagnostics: &mut Vec<Diagnostic>) {
    if config.rules.is_empty() {
        return;
    }
    diagnostics.retain_mut(|diagnostic| match config.rules.get(diagnostic.code) {
        Some(Some(severity)) => {
            diagnostic.severity = *severity;
            true
        }
        Some(None) => false,
        None => true,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::vocab::DataOrigin;
    use crate::model::{DataCategory, Header};
    use crate::source::FileId;
    use crate::syntax::ast::Kind;

    const FILE: FileId = FileId(0);

    /// `n` data declarations of 100 bytes each, the ones `pick` selects broken or given an allow.
    fn model(n: usize, recovered: impl Fn(usize) -> bool, allow: Option<&str>) -> Model {
        let mut model = Model::default();
        for i in 0..n {
            let start = i * 100;
            let header = Header {
                kind: Kind::Data,
                name: format!("d{i}"),
                name_span: Span::new(FILE, start + 5..start + 8),
                title: None,
                span: Span::new(FILE, start..start + 90),
                allows: allow
                    .map(|code| crate::model::Allow {
                        code: code.to_string(),
                        reason: "why".to_string(),
                        stmt: Span::new(FILE, start + 10..start + 20),
                    })
                    .into_iter()
                    .collect(),
                from_stdlib: false,
                recovered: recovered(i),
                unclosed: false,
                written: Vec::new(),
                aliases: Vec::new(),
            };
            model.data.push(DataCategory {
                header,
                includes: Vec::new(),
                special: None,
                criminal: false,
                national_id: false,
                financial: false,
                origin: DataOrigin::Provided,
            });
        }
        model
    }

    fn findings(n: usize, code: &'static str) -> Vec<Diagnostic> {
        (0..n)
            .map(|i| {
                let at = (i % 100_000) * 100 + 30;
                Diagnostic::new(code, Span::new(FILE, at..at + 1), "a finding")
            })
            .collect()
    }

    /// Issue 13 (5): 200,000 findings against 50,000 broken declarations were 7.5 billion span
    /// comparisons (minutes); by binary search they are 200,000 · log 20,000.
    #[test]
    fn the_follow_on_filter_is_n_log_n() {
        // Every second of 100,000 declarations is broken; findings land in every declaration.
        let model = model(100_000, |i| i % 2 == 0, None);
        let mut diagnostics = findings(200_000, "B001");
        diagnostics.extend(findings(1_000, "E003"));
        drop_follow_on_findings(&model, &mut diagnostics);
        let b001 = diagnostics.iter().filter(|d| d.code == "B001").count();
        let e003 = diagnostics.iter().filter(|d| d.code == "E003").count();
        // B001 dropped in the broken half, structural E003 kept everywhere.
        assert_eq!((b001, e003), (100_000, 1_000));
    }

    /// Issue 13 (6): 80,000 allows against 80,000 findings were 6.4 billion comparisons.
    #[test]
    fn allows_are_indexed() {
        let model = model(80_000, |_| false, Some("B001"));
        let mut diagnostics = findings(80_000, "B001");
        diagnostics.extend(findings(10, "B002"));
        apply_allows(&model, &mut diagnostics);
        let codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["B002"; 10]);
    }

    #[test]
    fn an_unused_allow_is_reported_unless_its_declaration_has_a_structural_error() {
        let model = model(3, |i| i == 2, Some("B001"));
        // Declaration 0: nothing to silence (U002). 1: an E004 inside (no U002). 2: a syntax
        // error lost a statement (no U002).
        let mut diagnostics = vec![Diagnostic::new(
            "E004",
            Span::new(FILE, 130..131),
            "no party named `x`",
        )];
        apply_allows(&model, &mut diagnostics);
        let got: Vec<(&str, u32)> = diagnostics
            .iter()
            .map(|d| (d.code, d.primary.map_or(0, |s| s.start)))
            .collect();
        assert_eq!(got, [("E004", 130), ("U002", 10)]);
    }
}
