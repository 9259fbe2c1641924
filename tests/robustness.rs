//! Parsing and checking never panic, on any input, and every diagnostic points inside its
//! file at character boundaries (so every renderer can show it).

mod support;

use lawful::diag;
use lawful::source::Sources;
use proptest::prelude::*;

fn assert_well_formed(sources: &Sources, analysis: &lawful::Analysis) {
    for d in &analysis.diagnostics {
        for span in d.primary.iter().chain(d.related.iter().map(|r| &r.span)) {
            let text = &sources.get(span.file).text;
            assert!(span.start <= span.end, "{}: reversed span", d.code);
            assert!(
                (span.end as usize) <= text.len(),
                "{}: span past the end",
                d.code
            );
            assert!(
                text.is_char_boundary(span.start as usize),
                "{}: start inside a character",
                d.code
            );
            assert!(
                text.is_char_boundary(span.end as usize),
                "{}: end inside a character",
                d.code
            );
        }
        assert!(!d.message.is_empty());
    }
    // Rendering must not fail either.
    let _ = diag::human::render(&analysis.diagnostics, sources, false);
    let json = diag::json::render(&analysis.diagnostics, sources, analysis.files);
    assert!(json.starts_with('{'));
}

const SEED: &str = include_str!("../examples/webshop/policies/orders.lawful");

/// Characters that matter to the grammar, so random input reaches deep into it.
fn lawful_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "activity ",
        "party ",
        "controller ",
        "data ",
        "breach ",
        "x ",
        "{",
        "}",
        "\n",
        ";",
        ",",
        "\"",
        "\"\"\"",
        "#",
        "2026-02-30",
        "2026-10-05T09:30+02:00",
        "7 years",
        "12",
        "\\u{d800}",
        "\\",
        "é",
        "😀",
        " ",
        "\t",
        "\r",
        "purpose",
        "basis consent",
        "recipient",
        "allow B005",
        "includes ",
    ]);
    prop::collection::vec(pieces, 0..80).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let (sources, analysis) = support::check_files(&[("f.lawful", &text)]);
        assert_well_formed(&sources, &analysis);
    }

    #[test]
    fn grammar_soup_never_panics(text in lawful_soup()) {
        let (sources, analysis) = support::check_files(&[("f.lawful", &text)]);
        assert_well_formed(&sources, &analysis);
    }

    #[test]
    fn damaged_examples_never_panic(cut in 0..SEED.len(), len in 0usize..40, insert in "[{}\",;#\n a-z]{0,3}") {
        let mut text = SEED.to_string();
        let start = (0..=cut).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let end = (start + len).min(text.len());
        let end = (end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
        text.replace_range(start..end, &insert);
        let (sources, analysis) = support::check_files(&[("f.lawful", &text)]);
        assert_well_formed(&sources, &analysis);
    }
}

fn nested(depth: usize) -> String {
    // The declaration's own block is the first level.
    let inner = depth - 1;
    format!(
        "data deep {{ {} }}\n",
        "x { ".repeat(inner) + &"} ".repeat(inner)
    )
}

#[test]
fn sixty_four_levels_parse_and_sixty_five_are_a_clear_error() {
    let (sources, analysis) = support::check_files(&[("f.lawful", &nested(64))]);
    assert!(
        analysis.diagnostics.iter().all(|d| d.code != "E001"),
        "{}",
        support::dump(&sources, &analysis)
    );
    let (_, analysis) = support::check_files(&[("f.lawful", &nested(65))]);
    let e001: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == "E001")
        .collect();
    assert_eq!(e001.len(), 1);
    assert!(e001[0].message.contains("nested more than 64"));
}

#[test]
fn very_deep_input_is_an_error_not_a_stack_overflow() {
    let (_, analysis) = support::check_files(&[("f.lawful", &nested(100_000))]);
    assert!(analysis.diagnostics.iter().any(|d| d.code == "E001"));
}

#[test]
fn oversized_files_are_reported_not_parsed() {
    let big = "# padding\n".repeat(lawful::source::MAX_FILE_BYTES / 10 + 1);
    let (sources, analysis) = support::check_files(&[("big.lawful", &big)]);
    let e011: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == "E011")
        .collect();
    assert_eq!(e011.len(), 1, "{}", support::dump(&sources, &analysis));
    assert!(e011[0].message.contains("over the limit"));
}

#[test]
fn many_statements_on_one_long_line_parse() {
    let line: String = (0..20_000).map(|i| format!("x{i} 1; ")).collect();
    let text = format!("data wide {{ {line} }}");
    let (_, analysis) = support::check_files(&[("f.lawful", &text)]);
    // Every statement is read: the first 1,000 unknown keys are reported and the last of
    // them counts the other 19,000; nothing crashes.
    let e002: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == "E002")
        .collect();
    assert_eq!(e002.len(), 1_000);
    assert_eq!(e002[999].message, "unknown statement `x999` here");
    assert!(e002[999].notes[0].starts_with("19000 more E002 findings"));
}

const EXAMPLE_FILES: [&str; 3] = [
    include_str!("../examples/webshop/policies/orders.lawful"),
    include_str!("../examples/clinic/patients.lawful"),
    include_str!("../examples/municipality/sociaal-domein.lawful"),
];

/// A clean example file with `junk` put at the start of one of its statement lines.
fn with_typo(file: usize, line: usize, junk: &str) -> Option<(String, usize)> {
    let text = EXAMPLE_FILES[file % EXAMPLE_FILES.len()];
    let lines: Vec<&str> = text.lines().collect();
    let candidates: Vec<usize> = (0..lines.len())
        .filter(|i| {
            let trimmed = lines[*i].trim_start();
            !trimmed.is_empty() && !trimmed.starts_with('#') && !trimmed.starts_with('}')
        })
        .collect();
    let target = *candidates.get(line % candidates.len().max(1))?;
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i == target {
            let indent = l.len() - l.trim_start().len();
            out.push_str(&l[..indent]);
            out.push_str(junk);
            out.push_str(&l[indent..]);
        } else {
            out.push_str(l);
        }
        out.push('\n');
    }
    Some((out, target + 1))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, .. ProptestConfig::default() })]

    /// SPEC §2: one typo yields one E001 and no follow-on errors.
    #[test]
    fn one_typo_one_error(file in 0usize..3, line in 0usize..400, junk in prop::sample::select(vec!["@", "{", "\"", "= ", "}"])) {
        let Some((text, typo_line)) = with_typo(file, line, junk) else { return Ok(()) };
        // Checked alone, the file lacks the rest of its workspace: compare against the same
        // file without the typo and look only at what the typo adds.
        let clean = EXAMPLE_FILES[file % EXAMPLE_FILES.len()];
        let (_, before) = support::check_snippet(clean);
        let (sources, after) = support::check_snippet(&text);
        let serious = |a: &lawful::Analysis| -> usize {
            a.diagnostics.iter().filter(|d| d.severity != lawful::registry::Severity::Info).count()
        };
        let e001: Vec<_> = after.diagnostics.iter().filter(|d| d.code == "E001").collect();
        prop_assert_eq!(e001.len(), 1, "typo {:?} on line {}:\n{}", junk, typo_line, support::dump(&sources, &after));
        prop_assert!(
            serious(&after) <= serious(&before) + 1,
            "typo {:?} on line {} added follow-on findings:\n{}", junk, typo_line, support::dump(&sources, &after)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, .. ProptestConfig::default() })]

    /// Deleting one `"`, `{`, `}` or `,` is one mistake: at most one new error.
    #[test]
    fn one_deleted_delimiter_one_error(file in 0usize..3, nth in 0usize..2000) {
        let clean = EXAMPLE_FILES[file % EXAMPLE_FILES.len()];
        let positions: Vec<usize> = clean
            .char_indices()
            .filter(|(i, c)| {
                let line_start = clean[..*i].rfind('\n').map_or(0, |s| s + 1);
                matches!(c, '"' | '{' | '}' | ',') && !clean[line_start..*i].contains('#')
            })
            .map(|(i, _)| i)
            .collect();
        let at = positions[nth % positions.len()];
        let mut text = clean.to_string();
        text.remove(at);
        let serious = |a: &lawful::Analysis| -> usize {
            a.diagnostics.iter().filter(|d| d.severity != lawful::registry::Severity::Info).count()
        };
        let (_, before) = support::check_snippet(clean);
        let (sources, after) = support::check_snippet(&text);
        prop_assert!(
            serious(&after) <= serious(&before) + 1,
            "deleting {:?} at byte {} added follow-on findings:\n{}",
            &clean[at..at + 1], at, support::dump(&sources, &after)
        );
    }
}

/// Issue 13 (5): the follow-on filter looks up each diagnostic's declaration by binary search,
/// not against every broken declaration (diagnostics × broken declarations was quadratic).
#[test]
fn many_broken_declarations_with_many_findings_stay_fast() {
    // d findings, then b broken declarations (at the end, so the parser's work per error stays
    // small); the filter's complexity itself is pinned by a unit test in `analysis`.
    let (b, d) = (500, 20_000);
    let keys: String = (0..d).map(|i| format!("x{i} 1\n")).collect();
    let mut text = format!("data wide {{\n{keys}}}\n");
    for i in 0..b {
        text.push_str(&format!("data d{i} {{ criminal\n  @\n}}\n"));
    }
    let (_, analysis) = support::check_snippet(&text);
    let count = |code: &str| {
        analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .count()
    };
    // One E001 per broken declaration, whose U001 (unused) is a follow-on of the lost line;
    // the first 1,000 unknown keys of `wide` are reported, the last of them counting the
    // rest, and `wide` itself is unused.
    assert_eq!(count("E001"), b);
    assert_eq!(count("E002"), lawful::model::MAX_PER_CODE);
    assert_eq!(count("U001"), 1);
    let e002: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == "E002")
        .collect();
    assert_eq!(e002[0].message, "unknown statement `x0` here");
    assert!(e002[..999].iter().all(|d| d.notes.is_empty()));
    assert_eq!(
        e002[999].notes,
        [format!(
            "{} more E002 findings in this file are not listed (at most 1000 are)",
            d - 1_000
        )]
    );
}

/// The cap is per code: another code in the same file is counted on its own.
#[test]
fn findings_are_capped_per_code_and_per_file() {
    let unknown: String = (0..1_100).map(|i| format!("  y{i} 1\n")).collect();
    let repeated = "  origin provided\n".repeat(1_050);
    let text = format!("data a {{\n{unknown}{repeated}}}\ndata b {{\n  z 1\n}}\n");
    let (_, analysis) = support::check_snippet(&text);
    let count = |code: &str| {
        analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .count()
    };
    assert_eq!(count("E002"), 1_000);
    assert_eq!(count("E006"), 1_000);
    let noted: Vec<(&str, &[String])> = analysis
        .diagnostics
        .iter()
        .filter(|d| !d.notes.is_empty() && d.notes[0].contains("not listed"))
        .map(|d| (d.code, d.notes.as_slice()))
        .collect();
    assert_eq!(noted.len(), 2, "{noted:?}");
    assert!(
        noted
            .iter()
            .any(|(code, notes)| *code == "E002" && notes[0].starts_with("101 more E002"))
    );
    assert!(
        noted
            .iter()
            .any(|(code, notes)| *code == "E006" && notes[0].starts_with("49 more E006"))
    );
}

/// Issue 13 (6): `allow` statements are indexed by declaration and code, not compared with
/// every diagnostic (80,000 allows used to hang).
#[test]
fn many_allows_stay_fast() {
    let n = 20_000;
    let mut text: String = (0..n)
        .map(|i| format!("data d{i} {{ allow U001 \"kept for the register\" }}\n"))
        .collect();
    // And one declaration with an allow that silences nothing, so U002 still works.
    text.push_str("data extra { allow U001 \"used below\"; allow B001 \"nothing to silence\" }\n");
    let (sources, analysis) = support::check_snippet(&text);
    let codes: Vec<&str> = analysis.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["U002"], "{}", support::dump(&sources, &analysis));
    let at = analysis.diagnostics[0].location(&sources);
    assert_eq!((at.line, at.column), (n as u32 + 1, 39));
}

/// Issue 13 (7): "did you mean" for thousands of unknown names against thousands of declared
/// ones is bounded (full edit distance to every name used to hang); every name is still reported.
#[test]
fn many_unknown_names_against_many_declared_ones_stay_fast() {
    let n = 8_000;
    let mut text: String = (0..n)
        .map(|i| format!("subjects group-{i:05} {{ }}\n"))
        .collect();
    text.push_str("activity a { purpose billing; basis contract; data name; retention 1 year\n");
    for i in 0..n {
        text.push_str(&format!("  subjects unknown-{i:05}\n"));
    }
    text.push_str("}\n");
    let (_, analysis) = support::check_snippet(&text);
    let e004 = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == "E004")
        .count();
    assert_eq!(e004, n);
}

// ---- One mistake, one finding, beyond syntax (SPEC §2) -------------------------------------------

mod semantic {
    use lawful::model::vocab;
    use lawful::source::{FileId, Origin, Sources};
    use lawful::syntax::ast::{Stmt, ValueKind};
    use lawful::{Analysis, Settings, workspace};
    use std::path::Path;

    pub const EXAMPLES: [&str; 3] = ["clinic", "municipality", "webshop"];

    /// An example workspace as loaded by the command line, and its settings.
    pub fn load(name: &str) -> (Sources, Settings) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name);
        let ws = workspace::load(std::slice::from_ref(&root), &root).expect("example loads");
        let settings = Settings {
            today: ws.config.today.expect("examples pin `today`"),
            config: ws.config.clone(),
        };
        (ws.sources, settings)
    }

    pub type Example = (
        &'static str,
        Sources,
        Settings,
        Analysis,
        Vec<(What, FileId, usize, usize)>,
    );

    /// Every example loaded and checked once, with its positions, for all cases of a property.
    pub fn cached() -> &'static [Example] {
        static CACHE: std::sync::OnceLock<Vec<Example>> = std::sync::OnceLock::new();
        CACHE.get_or_init(|| {
            EXAMPLES
                .iter()
                .map(|name| {
                    let (sources, settings) = load(name);
                    let analysis = lawful::analyze(&sources, &settings);
                    let positions = positions(&sources, &analysis);
                    (*name, sources, settings, analysis, positions)
                })
                .collect()
        })
    }

    /// The same sources with `file`'s text replaced.
    pub fn with_text(sources: &Sources, file: FileId, text: &str) -> Sources {
        let mut out = Sources::new();
        for (id, f) in sources.iter() {
            let body = if id == file { text } else { f.text.as_str() };
            out.add_text(f.path.clone(), f.origin, body);
        }
        out
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum What {
        Key,
        Reference,
        Value,
    }

    /// Every key, reference and closed-vocabulary value written in the user's files:
    /// (what, file, byte range of the word).
    pub fn positions(sources: &Sources, analysis: &Analysis) -> Vec<(What, FileId, usize, usize)> {
        let vocabularies: Vec<&[&str]> = vec![
            vocab::Sector::WORDS,
            vocab::Role::WORDS,
            vocab::Clause::WORDS,
            vocab::Subprocessing::WORDS,
            vocab::Mechanism::WORDS,
            vocab::Derogation::WORDS,
            vocab::BasisKind::WORDS,
            vocab::Art9Ground::WORDS,
            vocab::Art9Category::WORDS,
            vocab::Channel::WORDS,
            vocab::MeasureKind::WORDS,
            vocab::Format::WORDS,
            vocab::Effect::WORDS,
            vocab::DecisionException::WORDS,
            vocab::Safeguard::WORDS,
            vocab::DataOrigin::WORDS,
            vocab::PurposeKind::WORDS,
            vocab::Nature::WORDS,
            vocab::Risk::WORDS,
            vocab::BreachException::WORDS,
        ];
        let is_name = |word: &str| {
            lawful::syntax::ast::Kind::ALL
                .into_iter()
                .any(|kind| analysis.model.names(kind).any(|n| n == word))
        };
        let mut out = Vec::new();
        fn walk(stmts: &[Stmt], out: &mut Vec<(Stmt, bool)>, nested: bool) {
            for stmt in stmts {
                out.push((stmt.clone(), nested));
                if let Some(block) = &stmt.block {
                    walk(&block.stmts, out, true);
                }
            }
        }
        for (id, file) in sources.iter() {
            if file.origin != Origin::User {
                continue;
            }
            let parsed = lawful::syntax::parse(id, &file.text);
            let mut stmts = Vec::new();
            for decl in &parsed.decls {
                walk(&decl.body.stmts, &mut stmts, false);
            }
            for (stmt, _) in stmts {
                if stmt.key.text != "allow" {
                    out.push((
                        What::Key,
                        id,
                        stmt.key.span.start as usize,
                        stmt.key.span.end as usize,
                    ));
                }
                if stmt.key.text == "allow" {
                    continue;
                }
                for item in &stmt.items {
                    for value in &item.values {
                        let ValueKind::Word(word) = &value.kind else {
                            continue;
                        };
                        let what = if is_name(word) {
                            What::Reference
                        } else if vocabularies
                            .iter()
                            .any(|words| words.contains(&word.as_str()))
                        {
                            What::Value
                        } else {
                            continue;
                        };
                        out.push((what, id, value.span.start as usize, value.span.end as usize));
                    }
                }
            }
        }
        out
    }

    /// One slip: the first two neighbouring letters after the first that differ, swapped
    /// (`purpose` → `prupose`, `consent` → `cnosent`); None for words too short to misspell
    /// recognisably.
    pub fn misspell(word: &str) -> Option<String> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < 4 {
            return None;
        }
        let i = (1..chars.len() - 1).find(|i| {
            chars[*i] != chars[i + 1]
                && chars[*i].is_ascii_alphabetic()
                && chars[i + 1].is_ascii_alphabetic()
        })?;
        let mut out = chars.clone();
        out.swap(i, i + 1);
        Some(out.into_iter().collect())
    }
}

#[test]
fn every_example_has_positions_of_each_kind() {
    for name in semantic::EXAMPLES {
        let (sources, settings) = semantic::load(name);
        let analysis = lawful::analyze(&sources, &settings);
        let positions = semantic::positions(&sources, &analysis);
        for what in [
            semantic::What::Key,
            semantic::What::Reference,
            semantic::What::Value,
        ] {
            assert!(
                positions.iter().filter(|p| p.0 == what).count() >= 10,
                "{name}: few {what:?} positions"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 80, .. ProptestConfig::default() })]

    /// SPEC §2: in every example workspace, one misspelt key, reference or closed-vocabulary value
    /// yields exactly one new finding, on the line of the mistake.
    #[test]
    fn one_semantic_mistake_one_finding(example in 0usize..3, what in 0usize..3, nth in 0usize..100_000) {
        let (name, sources, settings, before, all_positions) = &semantic::cached()[example];
        let (sources, settings, name) = (sources, settings, *name);
        let what = [semantic::What::Key, semantic::What::Reference, semantic::What::Value][what];
        let positions: Vec<_> = all_positions.iter().copied().filter(|p| p.0 == what).collect();
        let (_, file, start, end) = positions[nth % positions.len()];
        let text = &sources.get(file).text;
        let Some(slip) = semantic::misspell(&text[start..end]) else { return Ok(()) };
        let mut changed = text.clone();
        changed.replace_range(start..end, &slip);
        let mutated = semantic::with_text(sources, file, &changed);
        let after = lawful::analyze(&mutated, settings);
        let key = |s: &lawful::source::Sources, d: &lawful::diag::Diagnostic| {
            let at = d.location(s);
            (d.code, at.file, at.line, at.column)
        };
        let mut old: Vec<_> = before.diagnostics.iter().map(|d| key(sources, d)).collect();
        let mut new = Vec::new();
        for d in &after.diagnostics {
            let k = key(&mutated, d);
            match old.iter().position(|o| *o == k) {
                Some(i) => { old.remove(i); }
                None => new.push((k, d.message.clone())),
            }
        }
        let line = text[..start].matches('\n').count() as u32 + 1;
        prop_assert!(
            new.len() == 1 && new[0].0.2 == line,
            "{}: {:?} `{}` → `{}` at {}:{} gave {:?}",
            name, what, &text[start..end], slip, sources.get(file).path, line, new
        );
    }
}
