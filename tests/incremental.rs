//! The incremental analysis (`lawful::incremental`) against a fresh analysis from scratch:
//! after any sequence of edits and removals both report the same diagnostics, and files that
//! did not change are not parsed again. Also: the output does not depend on the thread count.

use lawful::config;
use lawful::diag::Diagnostic;
use lawful::incremental::Incremental;
use lawful::source::{Origin, Sources};
use lawful::time::Date;
use lawful::{Settings, analysis, stdlib, workspace};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

fn today() -> Date {
    Date {
        year: 2026,
        month: 11,
        day: 22,
    }
}

/// Each diagnostic as text that does not depend on file ids: where, what, and its labels.
fn render(diagnostics: &[Diagnostic], sources: &Sources) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            let at = d.location(sources);
            let related: Vec<String> = d
                .related
                .iter()
                .map(|r| {
                    let file = sources.get(r.span.file);
                    let lc = file.lines.line_col(&file.text, r.span.start as usize);
                    format!("{}:{}:{} {}", file.path, lc.line, lc.column, r.message)
                })
                .collect();
            format!(
                "{} {}:{}:{}-{}:{} {} {} | {:?} | {:?} | {:?}",
                d.severity.as_str(),
                at.file.unwrap_or_default(),
                at.line,
                at.column,
                at.end_line,
                at.end_column,
                d.code,
                d.message,
                related,
                d.notes,
                d.help
            )
        })
        .collect()
}

/// The batch checker's view of a workspace: `lawful.toml`, the files in path order, the
/// stdlib, the config's problems added after the analysis (as the command line does).
fn from_scratch(config_text: Option<&str>, files: &BTreeMap<String, String>) -> Vec<String> {
    let mut sources = Sources::new();
    let mut config = config::Config::default();
    let mut problems = Vec::new();
    if let Some(text) = config_text {
        let id = sources.add_text("lawful.toml", Origin::Config, text);
        let (parsed, found) = config::parse(text, id).expect("example config parses");
        config = parsed;
        problems = found;
    }
    for (path, text) in files {
        sources.add_text(path.as_str(), Origin::User, text);
    }
    stdlib::add_to(&mut sources);
    let settings = Settings {
        today: config.today.unwrap_or_else(today),
        config,
    };
    let mut analysis = lawful::analyze(&sources, &settings);
    analysis.diagnostics.extend(problems);
    lawful::diag::sort(&mut analysis.diagnostics, &sources);
    render(&analysis.diagnostics, &sources)
}

/// An example's `lawful.toml` and files (path → text).
fn example(name: &str) -> (Option<String>, BTreeMap<String, String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    let ws = workspace::load(std::slice::from_ref(&root), &root).expect("example loads");
    let config = std::fs::read_to_string(root.join("lawful.toml")).ok();
    let files = ws
        .sources
        .iter()
        .filter(|(_, f)| f.origin == Origin::User)
        .map(|(_, f)| (f.path.clone(), f.text.clone()))
        .collect();
    (config, files)
}

const EXAMPLES: [&str; 3] = ["clinic", "municipality", "webshop"];

/// One step of an editing session.
#[derive(Clone, Debug)]
enum Edit {
    /// Deletes line `line` (mod the line count) of file `file` (mod the file count).
    DeleteLine { file: usize, line: usize },
    /// Inserts a typo: the byte at `at` is doubled, or a word's letter dropped.
    Typo { file: usize, at: usize },
    /// Removes a file.
    Remove { file: usize },
    /// Puts back a file of the example as it was.
    Restore { file: usize },
    /// A new file with a declaration that clashes or refers to others.
    Add { n: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..10usize, 0..400usize).prop_map(|(file, line)| Edit::DeleteLine { file, line }),
        (0..10usize, 0..20_000usize).prop_map(|(file, at)| Edit::Typo { file, at }),
        (0..10usize).prop_map(|file| Edit::Remove { file }),
        (0..10usize).prop_map(|file| Edit::Restore { file }),
        (0..4usize).prop_map(|n| Edit::Add { n }),
    ]
}

fn apply(
    edit: &Edit,
    original: &BTreeMap<String, String>,
    files: &mut BTreeMap<String, String>,
    workspace: &mut Incremental,
) {
    let paths: Vec<String> = original.keys().cloned().collect();
    let pick = |i: usize| paths[i % paths.len()].clone();
    match *edit {
        Edit::DeleteLine { file, line } => {
            let path = pick(file);
            let Some(text) = files.get(&path) else { return };
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            if lines.is_empty() {
                return;
            }
            let drop = line % lines.len();
            let new: String = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != drop)
                .map(|(_, l)| *l)
                .collect();
            workspace.set_file(&path, &new);
            files.insert(path, new);
        }
        Edit::Typo { file, at } => {
            let path = pick(file);
            let Some(text) = files.get(&path) else { return };
            if text.is_empty() {
                return;
            }
            let mut at = at % text.len();
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut new = text.clone();
            let ch = new[at..].chars().next().unwrap_or('x');
            new.insert(at, ch);
            workspace.set_file(&path, &new);
            files.insert(path, new);
        }
        Edit::Remove { file } => {
            let path = pick(file);
            assert_eq!(workspace.remove_file(&path), files.remove(&path).is_some());
        }
        Edit::Restore { file } => {
            let path = pick(file);
            let text = original[&path].clone();
            workspace.set_file(&path, &text);
            files.insert(path, text);
        }
        Edit::Add { n } => {
            let path = format!("added-{n}.lawful");
            let text = [
                "data email \"E-mail\" { }\n",
                "activity extra {\n  purpose billing\n  subjects customers\n  data email\n}\n",
                "controller other \"Other\" { country NL }\n",
                "party p { role processor; country US }\n",
            ][n % 4]
                .to_string();
            workspace.set_file(&path, &text);
            files.insert(path, text);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Any sequence of edits, removals and additions: the incremental analysis reports what a
    /// fresh analysis of the same files reports, after every step.
    #[test]
    fn edits_give_the_diagnostics_of_a_fresh_analysis(
        which in 0..EXAMPLES.len(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let (config_text, original) = example(EXAMPLES[which]);
        let mut workspace = Incremental::new(today());
        workspace.set_threads(2);
        workspace.set_config(config_text.as_deref()).expect("example config parses");
        for (path, text) in &original {
            workspace.set_file(path, text);
        }
        let mut files = original.clone();
        for edit in &edits {
            apply(edit, &original, &mut files, &mut workspace);
            let analysis = workspace.analysis();
            let incremental = render(&analysis.diagnostics, workspace.sources());
            let fresh = from_scratch(config_text.as_deref(), &files);
            let first_difference = incremental
                .iter()
                .zip(&fresh)
                .position(|(a, b)| a != b)
                .unwrap_or(incremental.len().min(fresh.len()));
            prop_assert_eq!(
                &incremental,
                &fresh,
                "after {:?}, first difference at {}: {:?} vs {:?}",
                edit,
                first_difference,
                incremental.get(first_difference),
                fresh.get(first_difference)
            );
            prop_assert_eq!(analysis.files, files.len());
        }
    }
}

/// Only the file that changed is parsed again; ids of other files do not move when a file
/// is added or removed; an analysis with nothing changed is the same value.
#[test]
fn only_changed_files_are_parsed_again() {
    let (config_text, files) = example("clinic");
    let mut workspace = Incremental::new(today());
    workspace.set_config(config_text.as_deref()).unwrap();
    for (path, text) in &files {
        workspace.set_file(path, text);
    }
    let ids: Vec<_> = files
        .keys()
        .map(|path| workspace.file_id(path).unwrap())
        .collect();
    let first = workspace.analysis();
    assert_eq!(workspace.parses(), files.len() as u64);
    assert!(
        !first.diagnostics.iter().any(|d| d.code == "E001"),
        "{:?}",
        first.diagnostics
    );

    // Nothing changed: no parse, the same analysis.
    let again = workspace.analysis();
    assert!(std::sync::Arc::ptr_eq(&first, &again));
    // The same text again is no change either.
    let (path, text) = files.iter().next().unwrap();
    workspace.set_file(path, text);
    assert_eq!(workspace.parses(), files.len() as u64);

    // One edit: one parse, and the finding it causes.
    let broken = format!("{text}\n}}\n");
    workspace.set_file(path, &broken);
    let after = workspace.analysis();
    assert_eq!(workspace.parses(), files.len() as u64 + 1);
    let codes: Vec<_> = after.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"E001"), "{codes:?}");

    // Adding and removing files moves no other id.
    workspace.set_file("zz-new.lawful", "data extra \"Extra\" { }\n");
    let last = files.keys().last().unwrap().clone();
    assert!(workspace.remove_file(&last));
    assert!(!workspace.remove_file(&last));
    for (path, id) in files.keys().zip(&ids) {
        if *path != last {
            assert_eq!(workspace.file_id(path), Some(*id), "{path}");
        }
    }
    workspace.analysis();
    assert_eq!(workspace.parses(), files.len() as u64 + 2);
    assert_eq!(workspace.file_id(&last), None);
    // The tree of a file is kept for the editor.
    assert!(!workspace.unit(ids[0]).unwrap().tree.is_empty());
}

/// The same diagnostics on one thread and on several, for every example and a generated
/// workspace large enough to be cut into runs and for the workspace stages to share their
/// work (2,000 activities or more).
#[test]
fn output_is_the_same_on_any_number_of_threads() {
    let mut workspaces: Vec<(Option<String>, BTreeMap<String, String>)> =
        EXAMPLES.iter().map(|name| example(name)).collect();
    let mut generated = BTreeMap::new();
    for f in 0..12 {
        let mut text = String::new();
        for a in 0..180 {
            let n = f * 180 + a;
            text.push_str(&format!(
                "activity a{n} {{\n  purpose billing\n  basis contract\n  subjects customers\n  data email, {}\n  retention 1 year\n  recipient p{}\n}}\n",
                if n % 7 == 0 { "emial" } else { "name" },
                n % 9
            ));
        }
        generated.insert(format!("f{f:02}.lawful"), text);
    }
    let mut parties =
        String::from("controller acme \"Acme\" { country NL; contact \"p@acme.nl\" }\n");
    for p in 0..9 {
        parties.push_str(&format!(
            "party p{p} {{ role processor; country {} }}\n",
            ["NL", "US", "CN"][p % 3]
        ));
    }
    generated.insert("parties.lawful".to_string(), parties);
    workspaces.push((None, generated));
    for (config_text, files) in &workspaces {
        let mut sources = Sources::new();
        for (path, text) in files {
            sources.add_text(path.as_str(), Origin::User, text);
        }
        stdlib::add_to(&mut sources);
        let config = config_text
            .as_deref()
            .map(|text| config::parse(text, lawful::source::FileId(0)).unwrap().0)
            .unwrap_or_default();
        let settings = Settings {
            today: config.today.unwrap_or_else(today),
            config,
        };
        let one = analysis::analyze_with(&sources, &settings, 1);
        assert!(!files.is_empty());
        for threads in [2, 3, 8] {
            let many = analysis::analyze_with(&sources, &settings, threads);
            assert_eq!(
                render(&one.diagnostics, &sources),
                render(&many.diagnostics, &sources),
                "{threads} threads"
            );
        }
        if config_text.is_none() {
            // The generated workspace: misspelled data (E004) in every seventh activity.
            let e004 = one.diagnostics.iter().filter(|d| d.code == "E004").count();
            assert_eq!(e004, (0..2160).filter(|n| n % 7 == 0).count());
        }
    }
}

/// A workspace that does not keep trees (the language server's) still analyses the same.
#[test]
fn units_without_trees_give_the_same_analysis() {
    let text = "controller acme \"Acme\" { country NL; contact \"p@acme.nl\" }\nactivity a { purpose billing\n basis contract }\n";
    let mut kept = Incremental::new(today());
    let mut lean = Incremental::new(today());
    lean.set_keep_trees(false);
    let (a, b) = (
        kept.set_file("a.lawful", text),
        lean.set_file("a.lawful", text),
    );
    let (with, without) = (kept.analysis(), lean.analysis());
    assert!(!kept.unit(a).unwrap().tree.is_empty());
    assert!(lean.unit(b).unwrap().tree.is_empty());
    let codes = |analysis: &lawful::Analysis| -> Vec<&str> {
        analysis.diagnostics.iter().map(|d| d.code).collect()
    };
    assert!(!codes(&with).is_empty());
    assert_eq!(codes(&with), codes(&without));
}

/// The clock's date decides time-dependent findings unless something pins one, and a new
/// date makes the next analysis run again (a language server open past midnight).
#[test]
fn a_new_clock_date_is_taken_unless_a_date_is_pinned() {
    // A processing agreement that expires on 22 November: expired (D008) from the 23rd on.
    let text = "controller acme \"Acme\" { country NL; contact \"p@acme.nl\" }\nparty mailer \"Mailer\" {\n  role processor\n  country NL\n  agreement {\n    signed 2023-01-01\n    expires 2026-11-22\n    clauses subject-matter, instructions, confidentiality, security, subprocessors, assistance-rights, assistance-obligations, deletion, audits\n  }\n}\n";
    let day = |d| lawful::time::Date::new(2026, 11, d).unwrap();
    let mut ws = Incremental::new(day(20));
    ws.set_file("a.lawful", text);
    let codes = |ws: &mut Incremental| -> Vec<&'static str> {
        ws.analysis().diagnostics.iter().map(|d| d.code).collect()
    };
    let before = codes(&mut ws);
    ws.set_clock_date(day(20));
    assert_eq!(codes(&mut ws), before, "the same date changes nothing");
    ws.set_clock_date(day(25));
    let after = codes(&mut ws);
    assert!(!before.contains(&"D008"), "{before:?}");
    assert!(
        after.contains(&"D008"),
        "five days later, the agreement has expired: {after:?}"
    );
    ws.set_today(Some(day(20)));
    ws.set_clock_date(day(26));
    assert_eq!(codes(&mut ws), before, "a pinned date wins over the clock");
}
