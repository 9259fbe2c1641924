//! The pure core's entry point: sources in, [`Analysis`] out. No I/O, no printing.

use crate::config::Config;
use crate::diag::{self, Diagnostic};
use crate::flow::Flow;
use crate::model::{self, Model};
use crate::source::{FileId, Origin, SourceFile, Sources, Span};
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

/// What one file contributes before the workspace is put together: its tree, its lowered
/// declarations and the diagnostics that depend on it alone (syntax, lowering, E011). A unit
/// depends on nothing but the file's text, so it is cached per file (`crate::incremental`) and
/// computed for many files in parallel.
#[derive(Debug, Default)]
pub struct Unit {
    /// The syntax tree; empty unless asked for (the batch checker drops it after lowering).
    pub tree: Vec<syntax::ast::Decl>,
    pub(crate) lowered: model::Lowered,
    pub diagnostics: Vec<Diagnostic>,
    /// Declarations lost to a syntax error in their header.
    pub lost_names: Vec<String>,
}

/// Parses and lowers one file. `lawful.toml` has no unit (its problems come from the config).
pub fn unit(id: FileId, file: &SourceFile, keep_tree: bool) -> Option<Unit> {
    if file.origin == Origin::Config {
        return None;
    }
    let mut unit = Unit::default();
    if let Some(problem) = &file.problem {
        unit.diagnostics.push(
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
        return Some(unit);
    }
    let parsed = syntax::parse(id, &file.text);
    unit.diagnostics = parsed.diagnostics;
    unit.lost_names = parsed.lost_names;
    unit.lowered = model::lower_file(
        &parsed.decls,
        file.origin == Origin::Stdlib,
        &mut unit.diagnostics,
    );
    if keep_tree {
        unit.tree = parsed.decls;
    }
    Some(unit)
}

/// How many threads the work of a run is shared between (parsing, the workspace stages,
/// reading and rendering): the machine's cores unless [`set_default_threads`] said otherwise.
/// The output is the same for any number (work is cut into runs put together in order).
pub fn default_threads() -> usize {
    match THREADS.load(std::sync::atomic::Ordering::Relaxed) {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    }
}

/// The thread count of [`default_threads`] for the process (the command line's
/// `LAWFUL_THREADS`); 0 goes back to the machine's cores.
pub fn set_default_threads(threads: usize) {
    THREADS.store(threads, std::sync::atomic::Ordering::Relaxed);
}

static THREADS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Whether each phase's wall time goes to standard error (the command line's `LAWFUL_TIMINGS=1`).
static TIMINGS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Turns the phase timings of [`Timings`] on or off for the process.
pub fn set_timings(on: bool) {
    TIMINGS.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// A parser thread's stack: deep enough for the nesting limit, like the main thread's.
pub(crate) const STACK_BYTES: usize = 8 * 1024 * 1024;

/// The units of `files`, in their order, on up to `threads` threads. Files are cut into
/// contiguous runs of about equal bytes, one per thread; the result does not depend on the cut.
pub fn units(
    files: &[(FileId, &SourceFile)],
    threads: usize,
    keep_tree: bool,
) -> Vec<Option<Unit>> {
    // Below 64 KiB in all, one thread: starting one costs more than the parse.
    crate::parallel::map_weighted(
        threads,
        64 * 1024,
        files,
        |(_, file)| file.text.len() + 1,
        |_, (id, file)| unit(*id, file, keep_tree),
    )
}

pub fn analyze(sources: &Sources, settings: &Settings) -> Analysis {
    analyze_with(sources, settings, default_threads())
}

/// [`analyze`] on a given number of threads.
pub fn analyze_with(sources: &Sources, settings: &Settings, threads: usize) -> Analysis {
    let mut timer = Timings::start();
    let files: Vec<(FileId, &SourceFile)> = sources.iter().collect();
    let user = files
        .iter()
        .filter(|(_, f)| f.origin == Origin::User)
        .count();
    let mut diagnostics = Vec::new();
    let mut lowered = Vec::new();
    let mut lost_names = Vec::new();
    for unit in units(&files, threads, false).into_iter().flatten() {
        diagnostics.extend(unit.diagnostics);
        lost_names.extend(unit.lost_names);
        lowered.push(unit.lowered);
    }
    timer.phase("parse and lower");
    workspace_stages(
        sources,
        settings,
        Lowering {
            lowered,
            lost_names,
            diagnostics,
        },
        user,
        threads,
        timer,
    )
}

/// What the per-file stage hands the workspace stages: every file's lowered declarations (the
/// user's files in path order, then the stdlib's), the names lost to syntax errors, and the
/// files' own diagnostics.
pub(crate) struct Lowering {
    pub(crate) lowered: Vec<model::Lowered>,
    pub(crate) lost_names: Vec<String>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Everything after lowering, over the whole workspace: resolution, the data-flow graph, the
/// facts, the rules, then follow-on findings, allows, severities and the order, on up to
/// `threads` threads.
pub(crate) fn workspace_stages(
    sources: &Sources,
    settings: &Settings,
    units: Lowering,
    files: usize,
    threads: usize,
    mut timer: Timings,
) -> Analysis {
    let Lowering {
        lowered,
        lost_names,
        mut diagnostics,
    } = units;
    let model = model::resolve(lowered, &lost_names, &mut diagnostics);
    timer.phase("resolve");
    let flow = Flow::build(&model);
    timer.phase("flow");
    let facts = crate::facts::Facts::derive_on(&model, &flow, settings, threads);
    timer.phase("facts");
    crate::rules::run_on(&model, &flow, &facts, settings, threads, &mut diagnostics);
    timer.phase("rules");
    drop_follow_on_findings(&model, &mut diagnostics);
    apply_allows(&model, &mut diagnostics);
    apply_severities(&settings.config, &mut diagnostics);
    crate::fixes::attach(&mut diagnostics, &model, &facts, sources);
    diag::sort(&mut diagnostics, sources);
    timer.phase("allow, severity, sort");
    Analysis {
        model,
        flow,
        facts,
        diagnostics,
        files,
    }
}

/// Each phase's wall time on standard error when [`set_timings`] is on, for
/// docs/performance.md: a developers' aid, off by default; it changes nothing on stdout.
#[derive(Clone, Copy)]
pub(crate) struct Timings {
    last: Option<std::time::Instant>,
}

impl Timings {
    pub(crate) fn start() -> Timings {
        let on = TIMINGS.load(std::sync::atomic::Ordering::Relaxed);
        Timings {
            last: on.then(std::time::Instant::now),
        }
    }

    pub(crate) fn phase(&mut self, name: &str) {
        if let Some(last) = self.last {
            let now = std::time::Instant::now();
            #[allow(clippy::print_stderr)]
            {
                eprintln!("lawful: {name}: {:.1} ms", (now - last).as_secs_f64() * 1e3);
            }
            self.last = Some(now);
        }
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
