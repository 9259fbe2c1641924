//! The parser's fast path: `syntax::parse` first tries the grammar without the `!decl_start`
//! guard before every statement, and parses a file again with the full grammar when a
//! statement inside a block could start a declaration. Its tree, diagnostics and lost names
//! must be the full grammar's on every input: intact files, files with one brace, quote or
//! line taken out, and random soup.

use lawful::source::FileId;
use lawful::syntax;
use proptest::prelude::*;
use std::path::Path;

fn same_as_full_grammar(text: &str) -> Result<(), String> {
    let fast = format!("{:?}", syntax::parse(FileId(0), text));
    let full = format!("{:?}", syntax::parse_with_full_grammar(FileId(0), text));
    if fast == full {
        Ok(())
    } else {
        Err(format!(
            "the fast path differs from the full grammar on:\n{text}\n--- fast\n{fast}\n--- full\n{full}"
        ))
    }
}

/// Every `.lawful` file of the examples, the UI fixtures and the standard library.
fn corpus() -> Vec<(String, String)> {
    let mut files = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("examples"), root.join("tests/ui")];
    while let Some(dir) = dirs.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "lawful") {
                let text = std::fs::read_to_string(&path).expect("a UTF-8 fixture");
                files.push((path.display().to_string(), text));
            }
        }
    }
    for (name, text) in lawful::stdlib::FILES {
        files.push((name.to_string(), text.to_string()));
    }
    files
}

#[test]
fn the_corpus_is_large_enough_to_mean_something() {
    let files = corpus();
    assert!(files.len() > 100, "only {} files", files.len());
}

#[test]
fn every_fixture_parses_as_with_the_full_grammar() {
    for (name, text) in corpus() {
        if let Err(why) = same_as_full_grammar(&text) {
            panic!("{name}: {why}");
        }
    }
}

/// One mistake at every place it can be made: each `}`, `{` and `"` taken out in turn, and
/// each line taken out in turn, in every example and fixture.
#[test]
fn every_single_deletion_parses_as_with_the_full_grammar() {
    let mut checked = 0;
    for (name, text) in corpus() {
        if text.len() > 20_000 {
            continue;
        }
        for (at, c) in text.char_indices() {
            if matches!(c, '}' | '{' | '"') {
                let mut damaged = text.clone();
                damaged.remove(at);
                if let Err(why) = same_as_full_grammar(&damaged) {
                    panic!("{name}, `{c}` at byte {at} taken out: {why}");
                }
                checked += 1;
            }
        }
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        for skip in 0..lines.len() {
            let damaged: String = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, line)| *line)
                .collect();
            if let Err(why) = same_as_full_grammar(&damaged) {
                panic!("{name}, line {} taken out: {why}", skip + 1);
            }
            checked += 1;
        }
    }
    assert!(checked > 5_000, "only {checked} damaged files");
}

#[test]
fn a_declaration_start_in_every_kind_of_place_takes_the_full_grammar() {
    let cases = [
        // A forgotten `}`: the next declaration ends the block.
        "activity a {\n  purpose x\nactivity b {\n  purpose y\n}\n",
        // Nested: the statement's block and the declaration's block both end there.
        "activity a {\n  recipient p {\n    basis consent\nparty p \"P\" {\n  role processor\n}\n",
        // On a line after a syntax error, and after `;`.
        "activity a {\n  purpose \"x ; data email { }\nactivity b \"B\" {\n}\n",
        "activity a {\n  purpose x; activity b {\n  }\n}\n",
        // Inside the block of a statement that is not built (it follows a syntax error on
        // its line), and deeper.
        "activity a {\n  \"oops ; recipient p {\nactivity b {\n  purpose y\n}\n",
        "activity a {\n  \"oops ; recipient p {\n    retention {\n  party q \"Q\" {\n}\n",
        // Found by the parse fuzzer: a header right after a block's `}` (`}activity a {`),
        // deep inside a statement that the fast grammar reads as a broken one.
        "# One P0 rst aough it.\nactivity linkrs \"Orrsde\" {\n  purp{ d { e { f { g { h { i { j { k { l { mnconsentpeactivity deep { a { b { f { g { h { i { j { k { l ers \"Lette orss  th8 years\n}\n\n# Fii \"DPA-1\" {~!} } } } } }.\u{0} } } } } } }activity a {3e\u{1d}c smersoty a {SCCs w\" }\n  2\n E009@es(\u{1f}once:! `or} } } d}ers`",
        // Found by the parse fuzzer: a comment's `}` closes a broken statement's braces, so
        // the header after it is at the top level for the fast grammar and not for the full one.
        "activity d{g{#}}\nactivity o\"\"{}}d",
        "wn.\nactivity od \"er\"{party e{ ",
        // A statement that only looks like one: a kind word without a block.
        "activity a {\n  data email\n  purpose x\n}\n",
        // A header broken after its block: the rest of the line is a bad statement.
        "activity a {\n  data x { } junk\n}\n",
    ];
    for text in cases {
        if let Err(why) = same_as_full_grammar(text) {
            panic!("{why}");
        }
    }
}

fn soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "activity ",
        "party ",
        "data ",
        "purpose ",
        "breach ",
        "system ",
        "x ",
        "y ",
        "\"t\" ",
        "\"\"\"",
        "{",
        "}",
        "{\n",
        "}\n",
        "\n",
        "  ",
        ";",
        ",",
        "\"",
        "#c\n",
        "recipient p ",
        "basis consent",
        "7 years",
        "2026-01-01",
    ]);
    prop::collection::vec(pieces, 0..120).prop_map(|parts| parts.concat())
}

const SEED: &str = include_str!("../examples/webshop/policies/orders.lawful");

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn soup_parses_as_with_the_full_grammar(text in soup()) {
        if let Err(why) = same_as_full_grammar(&text) {
            prop_assert!(false, "{}", why);
        }
    }

    #[test]
    fn damaged_examples_parse_as_with_the_full_grammar(
        cut in 0..SEED.len(),
        len in 0usize..60,
        insert in prop::sample::select(vec!["", "}", "{", "\"", "activity z {\n", "\ndata q {", "party p \"P\" {", ";"]),
    ) {
        let mut text = SEED.to_string();
        let start = (0..=cut).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let end = (start + len).min(text.len());
        let end = (end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
        text.replace_range(start..end, insert);
        if let Err(why) = same_as_full_grammar(&text) {
            prop_assert!(false, "{}", why);
        }
    }
}
