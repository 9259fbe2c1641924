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
    // Every unknown key is reported; nothing crashes.
    assert_eq!(
        analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == "E002")
            .count(),
        20_000
    );
}
