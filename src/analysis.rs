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
    /// The data-flow graph of the model (SPEC §4.1) and its derived facts.
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
    diag::sort(&mut diagnostics, sources);
    Analysis {
        model,
        flow,
        facts,
        diagnostics,
        files,
    }
}

/// One typo, one E001 (SPEC §2): in a declaration that lost a statement to a syntax error,
/// any compliance finding may stem from the missing statement (a lost `exception` makes S001,
/// a lost `basis` B001), so none is reported inside it until the error is fixed. Structural
/// findings about what *was* written stay, and other declarations are checked as usual.
fn drop_follow_on_findings(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    let broken: Vec<(Span, bool)> = model
        .headers()
        .filter(|header| header.recovered)
        .map(|header| (header.span, header.unclosed))
        .collect();
    if broken.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let Some(at) = d.primary else { return true };
        let Some((_, unclosed)) = broken.iter().find(|(decl, _)| decl.contains(at)) else {
            return true;
        };
        // With a block left open, statements may sit in the wrong block: keys reported
        // unknown, repeated or missing there are guesses too.
        let follows_from_layout = matches!(d.code, "E002" | "E006" | "E007");
        d.code.starts_with('E') && d.code != "E007" && !(*unclosed && follows_from_layout)
    });
}

/// `allow CODE "reason"` silences CODE for diagnostics anchored inside its declaration
/// (SPEC §5); an `allow` that silences nothing is itself reported (U002).
fn apply_allows(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    struct Active<'m> {
        decl: Span,
        code: &'m str,
        stmt: Span,
        used: bool,
    }
    let mut allows: Vec<Active<'_>> = model
        .headers()
        .filter(|header| !header.from_stdlib)
        .flat_map(|header| {
            header.allows.iter().map(move |allow| Active {
                decl: header.span,
                code: &allow.code,
                stmt: allow.stmt,
                used: false,
            })
        })
        .collect();
    if allows.is_empty() {
        return;
    }
    diagnostics.retain(|diagnostic| {
        let Some(at) = diagnostic.primary else {
            return true;
        };
        let mut silenced = false;
        for allow in allows.iter_mut() {
            if allow.code == diagnostic.code && allow.decl.contains(at) {
                allow.used = true;
                silenced = true;
            }
        }
        !silenced
    });
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
            .with_help("remove it, so the register does not list an exception that is not taken"),
        );
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
