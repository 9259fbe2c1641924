//! Hostile input: each class of input that once hung, aborted or took far too long, sized
//! so that the old behaviour is a hang (or a stack overflow) even in a debug build, while the
//! fixed code takes well under a second or two. No timing assertions: finishing is the test,
//! and every test also checks what was reported.

mod support;

use lawful::source::{FileId, LineCol, LineIndex, Origin, Sources};
use lawful::syntax;
use lawful::time::{Date, DateTime};

const CONTROLLER: &str =
    "controller c \"C B.V.\" { country NL; contact \"privacy@c.nl\"; notice \"https://c.nl\" }\n";
const BODY: &str = "purpose contract-performance; basis contract; subjects customers; data email; retention 1 year";

/// (line, column) of every E001 the parser reports.
fn e001s(text: &str) -> Vec<(u32, u32)> {
    let parsed = syntax::parse(FileId(0), text);
    let index = LineIndex::new(text);
    parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == "E001")
        .map(|d| {
            let at = index.line_col(text, d.primary.map_or(0, |s| s.start as usize));
            (at.line, at.column)
        })
        .collect()
}

fn codes(sources: &Sources, analysis: &lawful::Analysis, code: &str) -> Vec<(u32, u32)> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let at = d.location(sources);
            (at.line, at.column)
        })
        .collect()
}

// 1. Recovery never backtracks over a brace: each unclosed `{` once doubled the time.

#[test]
fn forty_unclosed_braces_are_one_error() {
    assert_eq!(e001s(&"{".repeat(40)), [(1, 1)]);
}

#[test]
fn forty_unclosed_braces_after_a_broken_statement_are_one_error_each() {
    let text = format!(
        "activity a {{\n  broken ( statement\n  x {}\n}}\n",
        "{".repeat(40)
    );
    // Two mistakes, two errors: the broken statement, and the braces that never close.
    assert_eq!(e001s(&text), [(2, 10), (3, 6)]);
}

#[test]
fn an_unclosed_brace_in_a_broken_statement_stops_at_the_next_declaration() {
    // The `{` runs to the next declaration, which still parses (and is checked).
    let text = format!(
        "activity a {{\n  x ( {}\n}}\nactivity b {{ {BODY} }}\n",
        "{".repeat(30)
    );
    let parsed = syntax::parse(FileId(0), &text);
    let names: Vec<&str> = parsed.decls.iter().map(|d| d.name.text.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(e001s(&text), [(2, 5)]);
}

// 2. No recursion over user-controlled depth: a 100,000-long chain once overflowed the stack.

fn chain(kind: &str, n: usize) -> String {
    let mut text = String::from(CONTROLLER);
    match kind {
        "includes" => {
            for i in 0..n {
                text.push_str(&format!("data d{i} {{ includes d{} }}\n", i + 1));
            }
            text.push_str(&format!("data d{n} \"last\" {{ category ordinary }}\n"));
            text.push_str(&format!(
                "activity a {{ {} }}\n",
                BODY.replace("email", "d0")
            ));
        }
        "reuses" => {
            text.push_str(&format!("activity a0 {{ {BODY} }}\n"));
            for i in 1..n {
                text.push_str(&format!("activity a{i} {{ {BODY}; reuses a{} }}\n", i - 1));
            }
        }
        _ => {
            for i in 0..n {
                text.push_str(&format!(
                    "party p{i} \"P\" {{ role processor; country NL; subprocessors p{} }}\n",
                    i + 1
                ));
            }
            text.push_str(&format!(
                "party p{n} \"P\" {{ role processor; country NL }}\n"
            ));
            text.push_str(&format!("activity a {{ {BODY}; recipient p0 }}\n"));
        }
    }
    text
}

/// Runs `f` on a thread with a small stack (256 KiB, an eighth of a test thread's): a
/// recursive walk over a chain overflows it at a few thousand links, an iterative one never.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no stack overflow")
}

#[test]
fn a_long_includes_chain_does_not_overflow_the_stack() {
    let n = 10_000;
    let (e010, e004) = on_small_stack(move || {
        let text = chain("includes", n);
        let (sources, analysis) = support::check_files(&[("chain.lawful", &text)]);
        (
            codes(&sources, &analysis, "E010"),
            codes(&sources, &analysis, "E004"),
        )
    });
    assert_eq!((e010, e004), (vec![], vec![]));
}

#[test]
fn an_includes_cycle_of_ten_thousand_is_one_e010() {
    let n = 10_000;
    let e010 = on_small_stack(move || {
        let mut text = String::from(CONTROLLER);
        for i in 0..n {
            text.push_str(&format!("data d{i} {{ includes d{} }}\n", (i + 1) % n));
        }
        let (sources, analysis) = support::check_files(&[("cycle.lawful", &text)]);
        let e010: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == "E010")
            .collect();
        let message = e010.first().map(|d| (d.message.clone(), d.related.len()));
        (codes(&sources, &analysis, "E010"), message)
    });
    assert_eq!(e010.0, [(2, 6)]);
    // The message names the first ten members and counts the rest.
    let (message, related) = e010.1.expect("an E010");
    assert!(message.ends_with("`d9` → 9990 more"), "{message}");
    assert_eq!(related, 9);
}

#[test]
fn a_long_subprocessor_chain_does_not_overflow_the_stack() {
    let n = 10_000;
    let (d001, last_reached) = on_small_stack(move || {
        let text = chain("subprocessors", n);
        let (sources, analysis) = support::check_files(&[("chain.lawful", &text)]);
        let last = analysis
            .model
            .position(lawful::syntax::ast::Kind::Party, &format!("p{n}"))
            .expect("declared");
        (
            codes(&sources, &analysis, "D001").len(),
            analysis
                .flow
                .party_data(last)
                .iter()
                .cloned()
                .collect::<Vec<_>>(),
        )
    });
    // Every processor down the chain receives the email addresses, and lacks an agreement.
    assert_eq!(d001, n + 1);
    assert_eq!(last_reached, ["email"]);
}

// 2 and 3. `reuses` graphs: origins are computed once over the graph, not walked per activity.

fn reuses_workspace(lines: &[String]) -> (Sources, lawful::Analysis) {
    let text = format!("{CONTROLLER}{}\n", lines.join("\n"));
    support::check_files(&[("reuses.lawful", &text)])
}

#[test]
fn a_long_reuses_chain_does_not_overflow_or_crawl() {
    let n = 10_000;
    let (p001, holdings) = on_small_stack(move || {
        let (sources, analysis) = support::check_files(&[("chain.lawful", &chain("reuses", n))]);
        (
            codes(&sources, &analysis, "P001"),
            analysis.flow.holdings[n - 1].len(),
        )
    });
    assert_eq!((p001, holdings), (vec![], 1));
}

#[test]
fn a_reuses_cycle_of_five_thousand_settles() {
    // Once: up to n rounds over the whole cycle to settle holdings, then a walk around the
    // whole cycle per activity.
    let n = 5_000;
    let lines: Vec<String> = (0..n)
        .map(|i| format!("activity a{i} {{ {BODY}; reuses a{} }}", (i + 1) % n))
        .collect();
    let (sources, analysis) = reuses_workspace(&lines);
    assert_eq!(codes(&sources, &analysis, "P001"), []);
    assert!(analysis.flow.holdings.iter().all(|h| h.len() == 1));
}

#[test]
fn a_long_chain_with_one_foreign_origin_reports_it_once_per_reuse() {
    // a0 collects for marketing; every later activity reuses its predecessor, so each one's
    // data comes from a0 by way of the chain: one P001 per `reuses`. Each activity's walk once
    // went the length of the chain (O(n²)); now it stops at its predecessor's settled result.
    let n = 3_000;
    let mut lines = vec![format!(
        "activity a0 {{ {} }}",
        BODY.replace("contract-performance", "direct-marketing")
            .replace("basis contract", "basis consent")
    )];
    lines.extend((1..n).map(|i| format!("activity a{i} {{ {BODY}; reuses a{} }}", i - 1)));
    let (sources, analysis) = reuses_workspace(&lines);
    let p001 = codes(&sources, &analysis, "P001");
    assert_eq!(p001.len(), n - 1);
    assert_eq!(p001[0], (3, 111));
}

#[test]
fn three_hundred_activities_each_reusing_all_others_settle() {
    let n = 300;
    let lines: Vec<String> = (0..n)
        .map(|i| {
            let others: Vec<String> = (0..n)
                .filter(|j| *j != i)
                .map(|j| format!("a{j}"))
                .collect();
            format!("activity a{i} {{ {BODY}; reuses {} }}", others.join(", "))
        })
        .collect();
    let (sources, analysis) = reuses_workspace(&lines);
    assert_eq!(codes(&sources, &analysis, "P001"), []);
}

// 4. Long lines: no scan back to the line start, per `}` or per column lookup.

#[test]
fn a_megabyte_line_of_blocks_parses_in_one_pass() {
    let n = 50_000;
    let text = format!("activity a {{ {}}}\n", "x { y }; ".repeat(n));
    let parsed = syntax::parse(FileId(0), &text);
    assert_eq!(parsed.diagnostics.len(), 0);
    assert_eq!(parsed.decls[0].body.stmts.len(), n);
}

#[test]
fn columns_on_a_long_non_ascii_line_are_found_without_counting_from_its_start() {
    let text = "é".repeat(2_000_000);
    let index = LineIndex::new(&text);
    for k in (0..2_000_000).step_by(20) {
        let at = index.line_col(&text, k * 2);
        assert_eq!(
            at,
            LineCol {
                line: 1,
                column: k as u32 + 1
            }
        );
    }
}

// 5. Many syntax errors: each is explained from its own region, not the rest of the file.

#[test]
fn many_broken_statements_each_cost_their_own_line() {
    let n = 10_000;
    let text = format!("activity a {{\n{}}}\n", "  broken ( statement\n".repeat(n));
    let errors = e001s(&text);
    assert_eq!(errors.len(), n);
    assert_eq!(errors[..3], [(2, 10), (3, 10), (4, 10)]);
}

// 6. Output hygiene.

#[test]
fn a_byte_order_mark_is_not_a_column() {
    let mut sources = Sources::new();
    let id = sources.add_text("bom.lawful", Origin::User, "\u{FEFF}activty x {}\n");
    let parsed = syntax::parse(id, &sources.get(id).text);
    let at = parsed.diagnostics[0].location(&sources);
    assert_eq!((at.line, at.column), (1, 1));
}

#[test]
fn dates_need_exactly_four_two_two_digits() {
    assert_eq!(Date::parse("+202-01-01"), None);
    assert_eq!(Date::parse("-999-01-01"), None);
    assert_eq!(DateTime::parse("+202-01-01T10:00Z"), None);
    assert_eq!(DateTime::parse("2026-01-01T+1:00Z"), None);
    assert_eq!(Date::parse("2026-01-01").map(|d| d.year), Some(2026));
}

#[test]
fn sixty_unclosed_statement_blocks_do_not_reread_the_file_per_level() {
    // Each level of a nested statement block that never closes once failed as a statement
    // and was re-read as a broken one: levels × file size.
    let text = format!(
        "activity a {{\n  x {}\n{}}}\n",
        "k { ".repeat(60),
        "  purpose p\n".repeat(20_000)
    );
    assert_eq!(e001s(&text), [(2, 243)]);
}

#[test]
fn a_broken_header_is_explained_past_a_long_run_of_blank_lines() {
    // The probe's window starts after blank lines and comments, so the error is still found
    // where it is, not at the window's edge.
    let text = format!(
        "activity x \"t\"\n{}# note\n  = {{ }}\n",
        "\n".repeat(10_000)
    );
    assert_eq!(e001s(&text), [(10_003, 3)]);
}

#[test]
fn a_value_fix_near_a_multibyte_character_does_not_slice_inside_it() {
    // Found by the `parse` fuzz target: the date-and-time fix looked at the 13 bytes before a
    // `:` and sliced them at fixed offsets, inside a byte-order mark.
    let text = "activity orderss\u{feff}: un2@10\n  purpose p\n}\n";
    assert_eq!(e001s(text).len(), 1);
    let text = "activity a {\n  retention 2026-11-2\u{feff} 08:15\n}\n";
    assert_eq!(e001s(text).len(), 1);
}
