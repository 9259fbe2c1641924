//! Lossless syntax and `lawful fmt`: the tree plus the token table prints every file back
//! exactly; `fmt` is idempotent, keeps the tree, the comments and what `check` reports, refuses
//! syntax errors, and lays files out as the golden files under `tests/fmt/` show. The last
//! tests run the real binary (`--check`, rewriting in place, refusing a broken file).

mod support;

use lawful::fmt::{FmtError, format};
use lawful::source::{FileId, Origin, Sources};
use lawful::syntax::{self, lossless};
use proptest::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_lawful");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn lawful_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            lawful_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "lawful") {
            out.push(path);
        }
    }
}

/// Every fixture, example and stdlib file: (name, text).
fn corpus() -> Vec<(String, String)> {
    let mut paths = Vec::new();
    lawful_files(&root().join("tests/ui"), &mut paths);
    lawful_files(&root().join("examples"), &mut paths);
    lawful_files(&root().join("tests/fmt"), &mut paths);
    paths.sort();
    let mut files: Vec<(String, String)> = paths
        .iter()
        .map(|path| {
            let name = path
                .strip_prefix(root())
                .unwrap_or(path)
                .display()
                .to_string();
            (name, fs::read_to_string(path).unwrap())
        })
        .collect();
    for (name, text) in lawful::stdlib::FILES {
        files.push((name.to_string(), text.to_string()));
    }
    assert!(files.len() > 100, "the corpus was not found");
    files
}

fn examples() -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(root().join("examples")).unwrap().flatten() {
        if !entry.path().is_dir() {
            continue;
        }
        let mut paths = Vec::new();
        lawful_files(&entry.path(), &mut paths);
        paths.sort();
        let files = paths
            .iter()
            .map(|p| {
                let name = p.strip_prefix(entry.path()).unwrap().display().to_string();
                (name, fs::read_to_string(p).unwrap())
            })
            .collect();
        out.push((entry.file_name().to_string_lossy().into_owned(), files));
    }
    out.sort();
    assert_eq!(out.len(), 3);
    out
}

/// The tree and the token table give the text back, byte for byte; a file without syntax
/// errors has no token outside the tree but trivia.
fn assert_lossless(name: &str, text: &str) {
    let parsed = syntax::parse(FileId(0), text);
    let tokens = lossless::Tokens::new(text);
    let joined: String = tokens.tokens.iter().map(|t| &text[t.range()]).collect();
    assert_eq!(joined, text, "{name}: the tokens do not cover the text");
    let printed = match lossless::print(text, &parsed.decls, &tokens) {
        Ok(printed) => printed,
        Err(error) => panic!("{name}: the tree and the tokens disagree: {error:?}"),
    };
    assert_eq!(printed.text, text, "{name}: printed back differently");
    if parsed.diagnostics.is_empty() {
        assert_eq!(
            printed.skipped,
            Vec::<std::ops::Range<usize>>::new(),
            "{name}: tokens outside the tree"
        );
        assert_eq!(
            printed.misaligned,
            Vec::<usize>::new(),
            "{name}: nodes inside tokens"
        );
    } else {
        assert!(
            parsed.diagnostics.iter().all(|d| d.code == "E001"),
            "{name}: the parser reports only E001"
        );
    }
}

/// Formats `text`, requiring success and idempotence, and the layout's promises.
fn assert_formats(name: &str, text: &str) -> String {
    let out = match format(FileId(0), text) {
        Ok(out) => out,
        Err(error) => panic!("{name}: {error:?}"),
    };
    match format(FileId(0), &out) {
        Ok(again) => assert_eq!(again, out, "{name}: formatting twice changes the text"),
        Err(error) => panic!("{name}: the formatted text fails: {error:?}"),
    }
    assert!(
        out.is_empty() || out.ends_with('\n'),
        "{name}: no final newline"
    );
    assert!(!out.ends_with("\n\n"), "{name}: blank lines at the end");
    assert!(!out.contains("\n\n\n"), "{name}: two blank lines in a row");
    assert!(!out.contains('\r'), "{name}: a carriage return");
    if !out.contains("\"\"\"") {
        for (i, line) in out.lines().enumerate() {
            assert!(
                !line.ends_with([' ', '\t']),
                "{name}:{}: trailing blanks",
                i + 1
            );
            assert!(!line.starts_with('\t'), "{name}:{}: a tab indent", i + 1);
            let indent = line.len() - line.trim_start_matches(' ').len();
            // Continuation lines align with the first value, at any column.
            let continued = i > 0
                && out
                    .lines()
                    .nth(i - 1)
                    .is_some_and(|l| l.contains(',') || l.trim_start().starts_with('#'));
            assert!(indent % 2 == 0 || continued, "{name}:{}: odd indent", i + 1);
        }
    }
    out
}

#[test]
fn every_fixture_example_and_stdlib_file_prints_back_exactly() {
    for (name, text) in corpus() {
        assert_lossless(&name, &text);
    }
}

#[test]
fn fmt_is_idempotent_on_every_file_and_refuses_the_broken_ones() {
    let (mut formatted, mut refused) = (0, 0);
    for (name, text) in corpus() {
        let parsed = syntax::parse(FileId(0), &text);
        if parsed.diagnostics.is_empty() {
            assert_formats(&name, &text);
            formatted += 1;
        } else {
            match format(FileId(7), &text) {
                Err(FmtError::Syntax(diagnostics)) => {
                    let codes: Vec<_> = diagnostics.iter().map(|d| (d.code, &d.message)).collect();
                    let expected: Vec<_> = parsed
                        .diagnostics
                        .iter()
                        .map(|d| (d.code, &d.message))
                        .collect();
                    assert_eq!(codes, expected, "{name}");
                    assert!(
                        diagnostics
                            .iter()
                            .all(|d| d.primary.is_some_and(|s| s.file == FileId(7)))
                    );
                }
                other => panic!("{name}: a file with a syntax error gave {other:?}"),
            }
            refused += 1;
        }
    }
    assert!(
        formatted > 80 && refused > 10,
        "{formatted} formatted, {refused} refused"
    );
}

/// What `check` reports, without line numbers (which formatting may move).
fn findings(analysis: &lawful::Analysis) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = analysis
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.to_string(),
                format!("{:?}", d.severity),
                without_line_numbers(&d.message),
            )
        })
        .collect();
    out.sort();
    out
}

fn without_line_numbers(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(at) = rest.find("line ") {
        out.push_str(&rest[..at + 5]);
        rest = rest[at + 5..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push('N');
    }
    out.push_str(rest);
    out
}

#[test]
fn fmt_never_changes_what_check_reports_on_fixtures() {
    // Fixtures, each as its own workspace (as the UI harness checks them); those already in
    // canonical form have nothing to compare.
    let mut compared = 0;
    for (name, text) in corpus() {
        if !name.starts_with("tests/") || !syntax::parse(FileId(0), &text).diagnostics.is_empty() {
            continue;
        }
        let out = assert_formats(&name, &text);
        if out == text {
            continue;
        }
        compared += 1;
        let (_, before) = support::check_snippet(&text);
        let (_, after) = support::check_snippet(&out);
        assert_eq!(findings(&before), findings(&after), "{name}");
    }
    assert!(
        compared > 20,
        "only {compared} fixtures change when formatted"
    );
}

#[test]
fn fmt_never_changes_what_check_reports_on_examples() {
    // Each workspace whole.
    for (example, files) in examples() {
        let formatted: Vec<(String, String)> = files
            .iter()
            .map(|(name, text)| (name.clone(), assert_formats(name, text)))
            .collect();
        let before = check(&files, false);
        let after = check(&formatted, false);
        eprintln!("examples/{example}: {} findings", before.len());
        assert_eq!(before, after, "examples/{example}");
    }
}

#[test]
fn fmt_never_changes_what_check_reports_on_the_stdlib() {
    // The stdlib, formatted, under the default controller.
    let before = check(&[], false);
    let after = check(&[], true);
    assert_eq!(before, after, "stdlib");
}

/// Checks `files` with the stdlib (formatted first when `format_stdlib`) and the default
/// controller when none is declared.
fn check(files: &[(String, String)], format_stdlib: bool) -> Vec<(String, String, String)> {
    let mut sources = Sources::new();
    for (name, text) in files {
        sources.add_text(name.as_str(), Origin::User, text);
    }
    if !files
        .iter()
        .any(|(_, text)| text.contains("\ncontroller ") || text.starts_with("controller "))
    {
        sources.add_text("zz.lawful", Origin::User, support::DEFAULT_CONTROLLER);
    }
    for (name, text) in lawful::stdlib::FILES {
        let text = if format_stdlib {
            assert_formats(name, text)
        } else {
            text.to_string()
        };
        sources.add_text(name, Origin::Stdlib, &text);
    }
    let settings = lawful::Settings {
        config: Default::default(),
        today: support::today(),
    };
    findings(&lawful::analyze(&sources, &settings))
}

#[test]
fn golden_files_show_the_canonical_layout() {
    let mut seen = 0;
    for entry in fs::read_dir(root().join("tests/fmt")).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".input.lawful") else {
            continue;
        };
        let input = fs::read_to_string(&path).unwrap();
        let expected = fs::read_to_string(path.with_file_name(format!("{stem}.expected.lawful")))
            .unwrap_or_else(|_| panic!("{stem}.expected.lawful is missing"));
        assert_eq!(assert_formats(&name, &input), expected, "{name}");
        assert_eq!(
            assert_formats(stem, &expected),
            expected,
            "{stem}: expected is not canonical"
        );
        seen += 1;
    }
    assert_eq!(seen, 3);
}

#[test]
fn the_example_in_the_docs_is_canonical() {
    let doc = fs::read_to_string(root().join("docs/formatting.md")).unwrap();
    let example = doc
        .split("```lawful\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/formatting.md has a lawful example");
    assert_eq!(assert_formats("docs/formatting.md", example), example);
}

#[test]
fn layout_details() {
    let cases: &[(&str, &str)] = &[
        // Separators, blanks and indentation.
        (
            "party a{role processor;country US}",
            "party a { role processor; country US }\n",
        ),
        (
            "party a {\n\trole processor ;  country US\n}",
            "party a {\n  role processor\n  country US\n}\n",
        ),
        (
            "\u{FEFF}party a {}\r\nparty b {}\r\n",
            "party a {}\nparty b {}\n",
        ),
        (
            "party a {\n}\n\n\n\nparty b {\n}",
            "party a {}\n\nparty b {}\n",
        ),
        // Lists: `, `, continuation after a comma, values as written.
        (
            "activity a {\n  data x ,y,\n\n z\n}",
            "activity a {\n  data x, y, z\n}\n",
        ),
        (
            "activity a {\n  retention  2\tyears   after  x\n  employees 1_000\n}",
            "activity a {\n  retention 2 years after x\n  employees 1_000\n}\n",
        ),
        (
            "activity a {\n  notice \"caf\\u{e9} \\\"x\\\"\"\n}",
            "activity a {\n  notice \"caf\\u{e9} \\\"x\\\"\"\n}\n",
        ),
        // Blank lines inside a block: at most one, never after `{` or before `}`.
        (
            "party a {\n\n  role processor\n\n\n  country US\n\n}",
            "party a {\n  role processor\n\n  country US\n}\n",
        ),
        // Comments only: the file keeps them.
        ("  # one   \n\n\n# two\n", "# one\n\n# two\n"),
        ("", ""),
        ("\n\n  \n", ""),
    ];
    for (input, expected) in cases {
        assert_eq!(&assert_formats(input, input), expected, "{input:?}");
    }
}

#[test]
fn a_long_list_wraps_under_its_first_value() {
    let items: Vec<String> = (0..30).map(|i| format!("item-{i:02}")).collect();
    let text = format!(
        "party p {{\n  agreement \"x\" {{\n    clauses {}\n  }}\n}}\n",
        items.join(", ")
    );
    let out = assert_formats("long", &text);
    let lines: Vec<&str> = out.lines().collect();
    // `    clauses ` and nine items of 7 characters with their `, ` take 92 columns; a tenth
    // would take 101.
    assert_eq!(lines[2], format!("    clauses {},", items[..9].join(", ")));
    assert_eq!(
        lines[3],
        format!("            {},", items[9..18].join(", "))
    );
    assert_eq!(lines[5], format!("            {}", items[27..].join(", ")));
    assert!(lines.iter().all(|l| l.chars().count() <= 100));
    assert_eq!(lines.len(), 2 + 4 + 2);
}

#[test]
fn deep_and_long_input_formats_and_too_deep_input_is_refused() {
    let limit = lawful::syntax::MAX_NESTING;
    let nested = |depth: usize| {
        format!(
            "party p {}{}\n",
            "{ x ".repeat(depth - 1) + "{",
            "}".repeat(depth)
        )
    };
    let out = assert_formats("deep", &nested(limit));
    assert_eq!(out.lines().count(), 2 * limit - 1);
    assert_eq!(
        out.lines().nth(limit - 1),
        Some(format!("{}x {{}}", "  ".repeat(limit - 1)).as_str())
    );
    match format(FileId(0), &nested(limit + 1)) {
        Err(FmtError::Syntax(diagnostics)) => assert_eq!(diagnostics[0].code, "E001"),
        other => panic!("{other:?}"),
    }

    let items: Vec<String> = (0..20_000).map(|i| format!("d{i}")).collect();
    let text = format!("activity a {{\n  data {}\n}}\n", items.join(","));
    let out = assert_formats("long", &text);
    assert!(out.lines().all(|line| line.chars().count() <= 100));
    assert_eq!(
        out.matches(", ").count() + out.matches(",\n").count(),
        20_000 - 1
    );
}

// ---- generated and damaged input ------------------------------------------------------------

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "consent",
        "a",
        "name",
        "email",
        "x-y",
        "NL",
        "_z",
        "last-contact",
        "json",
        "T",
    ])
    .prop_map(str::to_string)
}

fn literal() -> impl Strategy<Value = String> {
    prop_oneof![
        word(),
        prop::sample::select(vec![
            "\"\"",
            "\"privacy@acme.example\"",
            "\"caf\\u{e9} \\\"q\\\" \\\\ \\n\\t é😀\"",
            "\"\"\"\nline one  \n  line two\n\"\"\"",
            "\"\"\"x\"\"\"",
            "12",
            "1_000",
            "2026-02-30",
            "2025-03-01",
            "2026-10-05T09:30+02:00",
            "2026-10-05T09:30:15Z",
            "2 years",
            "1  day",
            "6 weeks",
        ])
        .prop_map(str::to_string),
    ]
}

/// A value list: items of one or more values, with any of the separators after a comma.
fn values() -> impl Strategy<Value = String> {
    let item = prop::collection::vec(literal(), 1..3).prop_map(|v| v.join(" "));
    let comma = prop::sample::select(vec![
        ", ",
        ",",
        " , ",
        ",\n      ",
        ", # why\n  ",
        ",\n  # own\n  ",
    ]);
    (prop::collection::vec((item, comma), 1..5)).prop_map(|parts| {
        let mut out = String::new();
        for (i, (item, comma)) in parts.iter().enumerate() {
            if i > 0 {
                out.push_str(comma);
            }
            out.push_str(item);
        }
        out
    })
}

fn separator() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "\n  ",
        ";",
        "; ",
        "\n\n  ",
        "  # note\n  ",
        "\n  # own line\n  ",
        "\n\t",
        "\r\n  ",
    ])
    .prop_map(str::to_string)
}

fn statement(depth: u32) -> BoxedStrategy<String> {
    let key = prop::sample::select(vec![
        "basis",
        "retention",
        "measures",
        "recipient",
        "role",
        "signed",
        "format",
        "x",
    ]);
    let flat = (key, prop::option::of(values())).prop_map(|(key, values)| match values {
        Some(values) => format!("{key} {values}"),
        None => key.to_string(),
    });
    if depth == 0 {
        return flat.boxed();
    }
    (flat, prop::option::of(block(depth - 1)))
        .prop_map(|(head, block)| match block {
            Some(block) => format!("{head} {block}"),
            None => head,
        })
        .boxed()
}

fn block(depth: u32) -> BoxedStrategy<String> {
    (
        separator(),
        prop::collection::vec((statement(depth), separator()), 0..5),
        prop::sample::select(vec!["", "\n", " ", "\n  # last\n"]),
    )
        .prop_map(|(first, stmts, last)| {
            let mut out = String::from("{");
            if !stmts.is_empty() {
                out.push_str(&first);
            }
            for (i, (stmt, separator)) in stmts.iter().enumerate() {
                if i > 0 {
                    out.push_str(separator);
                }
                out.push_str(stmt);
            }
            out.push_str(last);
            out.push('}');
            out
        })
        .boxed()
}

fn declaration() -> impl Strategy<Value = String> {
    (
        prop::sample::select(lawful::syntax::ast::Kind::ALL.map(|k| k.keyword()).to_vec()),
        prop::sample::select(vec!["acme", "n1", "a-b", "x_"]),
        prop::option::of(prop::sample::select(vec![
            "\"Acme B.V.\"",
            "\"\"",
            "\"é \\\"x\\\"\"",
        ])),
        prop::sample::select(vec![" ", "  ", "\n", " # header\n"]),
        block(2),
    )
        .prop_map(|(kind, name, title, before_brace, block)| match title {
            Some(title) => format!("{kind} {name} {title}{before_brace}{block}"),
            None => format!("{kind} {name}{before_brace}{block}"),
        })
}

fn generated_file() -> impl Strategy<Value = String> {
    let between = prop::sample::select(vec![
        "\n",
        "\n\n",
        "\n\n\n",
        "\n# between\n",
        " # after\n\n# above\n",
        ";\n",
    ]);
    (
        prop::sample::select(vec!["", "# head\n", "# head\n\n", "\n\n"]),
        prop::collection::vec((declaration(), between), 0..4),
    )
        .prop_map(|(head, decls)| {
            let mut out = head.to_string();
            for (decl, between) in decls {
                out.push_str(&decl);
                out.push_str(between);
            }
            out
        })
}

const SEEDS: [&str; 3] = [
    include_str!("../examples/webshop/policies/orders.lawful"),
    include_str!("../examples/clinic/patients.lawful"),
    include_str!("../examples/municipality/organisation.lawful"),
];

/// A damaged file: lossless always; fmt refuses it or formats it idempotently, never a bug.
fn assert_damaged_ok(text: &str) -> Result<(), TestCaseError> {
    assert_lossless("damaged", text);
    match format(FileId(0), text) {
        Ok(out) => {
            let again = format(FileId(0), &out);
            prop_assert!(
                matches!(&again, Ok(same) if *same == out),
                "not idempotent: {again:?}"
            );
        }
        Err(FmtError::Syntax(diagnostics)) => {
            prop_assert!(!diagnostics.is_empty() && diagnostics.iter().all(|d| d.code == "E001"));
        }
        Err(FmtError::Bug(why)) => prop_assert!(false, "formatter bug: {why}\n{text}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn generated_files_print_back_and_format_idempotently(text in generated_file()) {
        // The generator writes only valid files, with every kind of trivia.
        prop_assert!(syntax::parse(FileId(0), &text).diagnostics.is_empty(), "{}", text);
        assert_lossless("generated", &text);
        assert_formats(&text, &text);
    }

    #[test]
    fn soup_is_refused_or_formatted(parts in prop::collection::vec(prop::sample::select(vec![
        "activity ", "party ", "data ", "x ", "{", "}", "\n", ";", ",", "\"", "\"\"\"", "#", " ",
        "\t", "\r", "2 years", "2026-02-30", "12", "\\", "é", "purpose", "basis consent",
    ]), 0..60)) {
        assert_damaged_ok(&parts.concat())?;
    }
}

proptest! {
    // Each case parses a whole example file three times: fewer cases keep the debug build fast.
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn damaged_files_are_refused_or_formatted(
        seed in 0usize..SEEDS.len(),
        cut in 0usize..20_000,
        len in 0usize..30,
        insert in "[{}\",;#\n\r\t a-z0-9é]{0,4}",
    ) {
        let mut text = SEEDS[seed].to_string();
        let start = (0..=cut % text.len()).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let end = (start + len).min(text.len());
        let end = (end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
        text.replace_range(start..end, &insert);
        assert_damaged_ok(&text)?;
    }
}

// ---- the command line -----------------------------------------------------------------------

struct Dir(PathBuf);

impl Dir {
    fn new(files: &[(&str, &str)]) -> Dir {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("lawful-fmt-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        for (name, text) in files {
            fs::write(dir.join(name), text).unwrap();
        }
        Dir(dir)
    }

    fn read(&self, name: &str) -> String {
        fs::read_to_string(self.0.join(name)).unwrap()
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.0)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn run(dir: &Dir, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(BIN)
        .args(args)
        .current_dir(&dir.0)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const UGLY: &str = "party a \"A\"{role processor;country US}\nparty b{\n    role controller\n}\n";
const PRETTY: &str =
    "party a \"A\" { role processor; country US }\n\nparty b {\n  role controller\n}\n";
const BROKEN: &str = "party c {\n  role ,\n}\n";

#[test]
fn check_names_the_files_that_would_change_and_writes_nothing() {
    let dir = Dir::new(&[("a.lawful", UGLY), ("b.lawful", PRETTY)]);
    let (code, stdout, stderr) = run(&dir, &["fmt", "--check"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "a.lawful\n");
    assert_eq!(stderr, "1 file would be reformatted, 1 already formatted\n");
    assert_eq!(dir.read("a.lawful"), UGLY);
    assert_eq!(dir.names(), ["a.lawful", "b.lawful"]);
}

#[test]
fn check_passes_when_everything_is_formatted() {
    let dir = Dir::new(&[("b.lawful", PRETTY)]);
    let (code, stdout, stderr) = run(&dir, &["fmt", "--check", "."]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
}

#[test]
fn fmt_rewrites_files_in_place_and_only_the_paths_given() {
    let dir = Dir::new(&[("a.lawful", UGLY), ("c.lawful", UGLY)]);
    let (code, stdout, stderr) = run(&dir, &["fmt", "a.lawful"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(stderr, "1 file reformatted, 0 already formatted\n");
    assert_eq!(dir.read("a.lawful"), PRETTY);
    assert_eq!(dir.read("c.lawful"), UGLY);
    // No temporary file is left behind.
    assert_eq!(dir.names(), ["a.lawful", "c.lawful"]);
    let (code, _, _) = run(&dir, &["fmt", "--check", "a.lawful"]);
    assert_eq!(code, 0);
}

#[test]
fn fmt_refuses_a_file_with_a_syntax_error_and_formats_the_rest() {
    let dir = Dir::new(&[("a.lawful", UGLY), ("broken.lawful", BROKEN)]);
    let (code, stdout, stderr) = run(&dir, &["fmt"]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    assert!(stderr.contains("error[E001]: expected"), "{stderr}");
    assert!(stderr.contains("found `,`"), "{stderr}");
    assert!(stderr.contains("broken.lawful:2:8"), "{stderr}");
    assert!(
        stderr.contains("files with syntax errors are left as they are"),
        "{stderr}"
    );
    assert_eq!(dir.read("broken.lawful"), BROKEN);
    assert_eq!(dir.read("a.lawful"), PRETTY);

    let (code, stdout, _) = run(&dir, &["fmt", "--check", "broken.lawful"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(dir.read("broken.lawful"), BROKEN);
}

#[test]
fn fmt_reads_the_workspace_sources_and_takes_absolute_paths() {
    let dir = Dir::new(&[("lawful.toml", "[workspace]\nsources = [\"policies\"]\n")]);
    for sub in ["policies", "other"] {
        fs::create_dir_all(dir.0.join(sub)).unwrap();
        fs::write(dir.0.join(sub).join("a.lawful"), UGLY).unwrap();
    }
    let (code, stdout, _) = run(&dir, &["fmt", "--check"]);
    assert_eq!((code, stdout.as_str()), (1, "policies/a.lawful\n"));
    let absolute = dir.0.join("other/a.lawful");
    let (code, stdout, stderr) = run(&dir, &["fmt", absolute.to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(dir.read("other/a.lawful"), PRETTY);
    assert_eq!(dir.read("policies/a.lawful"), UGLY);
}

#[test]
fn fmt_reports_a_file_that_is_not_utf8_and_leaves_it() {
    let dir = Dir::new(&[("a.lawful", PRETTY)]);
    fs::write(dir.0.join("latin1.lawful"), b"party caf\xe9 {}\n").unwrap();
    let (code, stdout, stderr) = run(&dir, &["fmt"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.starts_with("error: cannot format `latin1.lawful`: the file is not valid UTF-8"),
        "{stderr}"
    );
    assert_eq!(
        fs::read(dir.0.join("latin1.lawful")).unwrap(),
        b"party caf\xe9 {}\n"
    );
}

#[test]
fn fmt_reports_an_unreadable_path_as_a_usage_error() {
    let dir = Dir::new(&[]);
    let (code, _, stderr) = run(&dir, &["fmt", "missing.lawful"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: cannot read `missing.lawful`"),
        "{stderr}"
    );
}
