//! CLI tests: run the real `lawful` binary on throw-away workspaces and check exit codes,
//! stdout and stderr against SPEC §1 (workspace, `lawful.toml`) and §6 (command line, exit
//! codes, §6.1 JSON). Only std and serde_json; each workspace is a fresh directory under
//! the system temp dir, removed afterwards.

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_lawful");

/// A controller with every rights channel, a notice and measures: adds no findings of its own.
const CONTROLLER: &str = r#"controller acme "Acme B.V." {
  country NL
  contact "privacy@acme.example"
  notice "https://acme.example/privacy"
  measures encryption, access-control, https
  rights {
    access "account page"
    rectification "account page"
    erasure "privacy@acme.example"
    restriction "privacy@acme.example"
    objection "privacy@acme.example"
    portability "account page" { format json }
    withdraw-consent "preference centre"
    verify-identity "login"
  }
}
"#;

/// An activity that is clean next to [`CONTROLLER`].
const CLEAN_ACTIVITY: &str = r#"activity orders "Orders" {
  purpose billing
  basis contract
  subjects customers
  data name, email
  retention 7 years
}
"#;

/// `orders` without a basis: B001 on line 1, column 10 (the name `orders`).
const NO_BASIS_ACTIVITY: &str = r#"activity orders "Orders" {
  purpose billing
  subjects customers
  data name, email
  retention 7 years
}
"#;

/// Legitimate interest without `assessment`: B005 (a warning by default) on line 3, column 3.
const B005_ACTIVITY: &str = r#"activity orders "Orders" {
  purpose billing
  basis legitimate-interest { interest "getting paid" }
  subjects customers
  data name, email
  retention 7 years
}
"#;

/// A processor whose agreement expires on 2026-06-01 (`expires` on line 7, column 5).
const EXPIRING_PROCESSOR: &str = r#"party mailco "MailCo" {
  role processor
  country NL
  contact "dpo@mailco.example"
  agreement "DPA-1" {
    signed 2025-03-01
    expires 2026-06-01
    clauses subject-matter, instructions, confidentiality, security, subprocessors,
            assistance-rights, assistance-obligations, deletion, audits
  }
}
activity mailing "Order mails" {
  purpose billing
  basis contract
  subjects customers
  data name, email
  retention 1 year
  recipient mailco
}
"#;

// ---------------------------------------------------------------------------------------------
// helpers

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh directory under the temp dir, deleted on drop.
struct Workspace {
    root: PathBuf,
}

impl Workspace {
    fn new(name: &str) -> Workspace {
        let unique = format!(
            "lawful-cli-{name}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let root = std::env::temp_dir().join(unique);
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        Workspace { root }
    }

    fn file(&self, relative: &str, contents: impl AsRef<[u8]>) -> &Workspace {
        let path = self.root.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
        self
    }

    fn dir(&self, relative: &str) -> PathBuf {
        let path = self.root.join(relative);
        fs::create_dir_all(&path).unwrap();
        path
    }

    fn root_arg(&self) -> &str {
        self.root.to_str().unwrap()
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .output()
        .expect("the lawful binary runs");
    Run {
        code: status
            .code()
            .expect("lawful exited normally, not by a signal"),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

fn run(args: &[&str]) -> Run {
    run_in(&std::env::temp_dir(), args)
}

/// `lawful check ROOT --format json [extra…]`, run from the workspace root.
fn check_json(ws: &Workspace, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", ws.root_arg(), "--format", "json"];
    args.extend_from_slice(extra);
    let out = run_in(&ws.root, &args);
    (out.code, parse_json(&out))
}

fn parse_json(out: &Run) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout is not JSON ({error}):\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        )
    })
}

fn diagnostics(json: &Value) -> &Vec<Value> {
    json["diagnostics"].as_array().expect("`diagnostics` array")
}

/// `(code, file, line)` of every diagnostic.
fn found(json: &Value) -> Vec<(String, Option<String>, u64)> {
    diagnostics(json)
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().map(str::to_string),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn with_code<'a>(json: &'a Value, code: &str) -> Vec<&'a Value> {
    diagnostics(json)
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

fn has(json: &Value, code: &str, file: Option<&str>, line: u64) -> bool {
    found(json)
        .iter()
        .any(|(c, f, l)| c == code && f.as_deref() == file && *l == line)
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

fn set<'a>(items: &[&'a str]) -> BTreeSet<&'a str> {
    items.iter().copied().collect()
}

fn summary(json: &Value, key: &str) -> u64 {
    json["summary"][key].as_u64().unwrap()
}

/// 1-based column, in Unicode scalar values, of the first occurrence of `needle` in `line`.
fn char_column(line: &str, needle: &str) -> u64 {
    let byte = line.find(needle).expect("needle on the line");
    line[..byte].chars().count() as u64 + 1
}

// ---------------------------------------------------------------------------------------------
// exit codes (SPEC §6)

#[test]
fn clean_example_workspace_exits_0() {
    let webshop = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/webshop");
    let human = run(&["check", webshop.to_str().unwrap(), "--color", "never"]);
    assert_eq!(human.code, 0, "{}{}", human.stdout, human.stderr);
    assert_eq!(
        human.stdout.trim_end(),
        "0 errors, 0 warnings, 0 infos in 4 files"
    );

    let json = parse_json(&run(&[
        "check",
        webshop.to_str().unwrap(),
        "--format",
        "json",
    ]));
    assert_eq!(json["version"], 1);
    assert!(diagnostics(&json).is_empty(), "{json:#}");
    assert_eq!(summary(&json, "files"), 4);
    assert_eq!(summary(&json, "errors"), 0);
    assert_eq!(summary(&json, "warnings"), 0);
}

#[test]
fn an_error_exits_1() {
    let ws = Workspace::new("error");
    ws.file("org.lawful", CONTROLLER)
        .file("act.lawful", NO_BASIS_ACTIVITY);
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        found(&json),
        vec![("B001".to_string(), Some("act.lawful".to_string()), 1)]
    );
    assert_eq!(summary(&json, "errors"), 1);

    // The same workspace without the error exits 0.
    ws.file("act.lawful", CLEAN_ACTIVITY);
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 0, "{json:#}");
    assert!(diagnostics(&json).is_empty(), "{json:#}");
}

#[test]
fn only_warnings_exit_0_and_1_under_deny_warnings() {
    let ws = Workspace::new("warnings");
    ws.file("org.lawful", CONTROLLER)
        .file("act.lawful", B005_ACTIVITY);

    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(
        found(&json),
        vec![("B005".to_string(), Some("act.lawful".to_string()), 3)]
    );
    assert_eq!(with_code(&json, "B005")[0]["severity"], "warning");
    assert_eq!(summary(&json, "errors"), 0);
    assert_eq!(summary(&json, "warnings"), 1);

    let (code, json) = check_json(&ws, &["--deny", "warnings"]);
    assert_eq!(code, 1, "{json:#}");
    assert!(has(&json, "B005", Some("act.lawful"), 3));

    // Human output too.
    let out = run_in(
        &ws.root,
        &[
            "check",
            ws.root_arg(),
            "--deny",
            "warnings",
            "--color",
            "never",
        ],
    );
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("warning[B005]"), "{}", out.stdout);
}

#[test]
fn nonexistent_path_exits_2() {
    let ws = Workspace::new("missing");
    let missing = ws.root.join("does-not-exist");
    let out = run(&["check", missing.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("does-not-exist"), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);

    let out = run(&["check", missing.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.code, 2);
}

#[test]
fn lawful_toml_that_is_not_toml_exits_2_with_line_and_column() {
    let ws = Workspace::new("badtoml");
    ws.file("org.lawful", CONTROLLER)
        .file("act.lawful", NO_BASIS_ACTIVITY)
        // Line 3, column 8: an unquoted string.
        .file("lawful.toml", "# settings\n[rules]\nB005 = error\n");
    let out = run_in(&ws.root, &["check", ws.root_arg(), "--format", "json"]);
    assert_eq!(
        out.code, 2,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    assert!(out.stderr.contains("lawful.toml"), "{}", out.stderr);
    assert!(out.stderr.contains(":3:8"), "{}", out.stderr);
    // Checking stopped: no B001 was reported.
    assert!(!out.stdout.contains("B001"), "{}", out.stdout);

    // An unterminated array: the error is on line 3, column 1.
    ws.file("lawful.toml", "[workspace]\nsources = [\"a\"\ntoday = 3\n");
    let out = run_in(&ws.root, &["check", ws.root_arg()]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains(":3:1"), "{}", out.stderr);
}

#[test]
fn impossible_today_flag_exits_2() {
    let ws = Workspace::new("today-flag");
    ws.file("org.lawful", CONTROLLER)
        .file("act.lawful", CLEAN_ACTIVITY);
    let out = run_in(&ws.root, &["check", ws.root_arg(), "--today", "2026-02-30"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("2026-02-30"), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);

    for bad in [
        "yesterday",
        "2026-2-3",
        "20260203",
        "2026-13-01",
        "2026-02-29",
        "2026-02-03T00:00",
    ] {
        let out = run_in(&ws.root, &["check", ws.root_arg(), "--today", bad]);
        assert_eq!(out.code, 2, "--today {bad}");
        assert!(out.stdout.is_empty(), "--today {bad}: {}", out.stdout);
    }

    // A real date is accepted.
    let out = run_in(&ws.root, &["check", ws.root_arg(), "--today", "2028-02-29"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn explain_unknown_code_exits_2_with_a_suggestion() {
    let out = run(&["explain", "Z999"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.contains("Z999"), "{}", out.stderr);
    // Nothing is close to Z999: the user is pointed at the catalog.
    assert!(out.stderr.contains("lawful rules"), "{}", out.stderr);

    let out = run(&["explain", "b01"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("did you mean `B001`"), "{}", out.stderr);
}

#[test]
fn explain_known_code_prints_the_article() {
    let out = run(&["explain", "B001"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("B001"), "{}", out.stdout);
    assert!(out.stdout.contains("Art. 6(1)"), "{}", out.stdout);
    // An example and its fix (SPEC §5).
    assert!(out.stdout.contains("activity "), "{}", out.stdout);
    assert!(out.stdout.contains("basis "), "{}", out.stdout);

    let out = run(&["explain", "T002"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("T002"), "{}", out.stdout);
    assert!(out.stdout.contains("Art. 4"), "{}", out.stdout);
}

// ---------------------------------------------------------------------------------------------
// JSON output (SPEC §6.1)

#[test]
fn json_has_exactly_the_spec_fields() {
    let ws = Workspace::new("fields");
    // E005 on the second `orders` (second.lawful line 2) with a related location at
    // first.lawful line 1; a B005 warning in first.lawful.
    ws.file("org.lawful", CONTROLLER)
        .file("first.lawful", B005_ACTIVITY)
        .file(
            "second.lawful",
            "# again\nactivity orders \"Orders again\" { purpose billing; basis contract; subjects customers; data name; retention 1 year }\n",
        );
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 1);
    assert_eq!(keys(&json), set(&["version", "diagnostics", "summary"]));
    assert_eq!(json["version"], 1);
    assert_eq!(
        keys(&json["summary"]),
        set(&["files", "errors", "warnings", "infos"])
    );
    assert_eq!(summary(&json, "files"), 3);
    assert_eq!(summary(&json, "errors"), 1);
    assert_eq!(summary(&json, "warnings"), 1);
    assert_eq!(summary(&json, "infos"), 0);

    let diagnostic_fields = set(&[
        "code",
        "severity",
        "message",
        "article",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "help",
        "related",
    ]);
    for d in diagnostics(&json) {
        assert_eq!(keys(d), diagnostic_fields, "{d:#}");
        assert!(d["code"].is_string() && d["message"].is_string() && d["article"].is_string());
        assert!(["error", "warning", "info"].contains(&d["severity"].as_str().unwrap()));
        assert!(d["file"].is_string() || d["file"].is_null());
        for number in ["line", "column", "end_line", "end_column"] {
            assert!(d[number].is_u64(), "{number} in {d:#}");
        }
        assert!(d["help"].is_string() || d["help"].is_null());
        assert!(d["related"].is_array());
    }

    let e005 = with_code(&json, "E005");
    assert_eq!(e005.len(), 1, "{json:#}");
    let e005 = e005[0];
    assert_eq!(e005["severity"], "error");
    assert_eq!(e005["file"], "second.lawful");
    assert_eq!(e005["line"], 2);
    assert_eq!(e005["column"], 10);
    assert_eq!(e005["end_line"], 2);
    assert_eq!(e005["end_column"], 16);
    let related = e005["related"].as_array().unwrap();
    assert_eq!(related.len(), 1, "{e005:#}");
    assert_eq!(
        keys(&related[0]),
        set(&["file", "line", "column", "message"])
    );
    assert_eq!(related[0]["file"], "first.lawful");
    assert_eq!(related[0]["line"], 1);
    assert_eq!(related[0]["column"], 10);
    assert!(related[0]["message"].is_string());

    let b005 = with_code(&json, "B005");
    assert_eq!(b005.len(), 1, "{json:#}");
    assert_eq!(b005[0]["severity"], "warning");
    assert_eq!(b005[0]["article"].as_str().unwrap(), "GDPR Art. 6(1)(f)");
}

#[test]
fn json_file_is_relative_with_slashes_and_positions_are_one_based() {
    let ws = Workspace::new("relative");
    ws.file("org.lawful", CONTROLLER).file(
        "policies/sales/orders.lawful",
        format!("# Orders\n\n{NO_BASIS_ACTIVITY}"),
    );
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 1);
    let b001 = with_code(&json, "B001");
    assert_eq!(b001.len(), 1, "{json:#}");
    let d = b001[0];
    assert_eq!(d["file"], "policies/sales/orders.lawful");
    // `activity orders` on line 3: the name starts at column 10 and ends before 16.
    assert_eq!(d["line"], 3);
    assert_eq!(d["column"], 10);
    assert_eq!(d["end_line"], 3);
    assert_eq!(d["end_column"], 16);

    // A relative PATH gives the same relative file name.
    let out = run_in(
        ws.root.parent().unwrap(),
        &[
            "check",
            ws.root.file_name().unwrap().to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let json = parse_json(&out);
    assert!(
        has(&json, "B001", Some("policies/sales/orders.lawful"), 3),
        "{json:#}"
    );
}

#[test]
fn json_columns_count_unicode_scalar_values() {
    let ws = Workspace::new("unicode");
    let line = "activity bakery \"Bakkerij De Korenschoof – Wet justitiële gegevens\" { purpose billing; basis contract; subjects customers; informed \"café – één\"; data nmae; retention 1 year }";
    ws.file("org.lawful", CONTROLLER)
        .file("bakery.lawful", format!("{line}\n"));
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 1);
    let e004 = with_code(&json, "E004");
    assert_eq!(e004.len(), 1, "{json:#}");
    let d = e004[0];
    let expected = char_column(line, "nmae");
    // The byte column would differ: the line has multi-byte characters before `nmae`.
    assert_ne!(expected, line.find("nmae").unwrap() as u64 + 1);
    assert_eq!(d["file"], "bakery.lawful");
    assert_eq!(d["line"], 1);
    assert_eq!(d["column"], expected, "{d:#}");
    assert_eq!(d["end_line"], 1);
    assert_eq!(d["end_column"], expected + 4, "{d:#}");

    // The human header uses the same column.
    let out = run_in(&ws.root, &["check", ws.root_arg(), "--color", "never"]);
    assert!(
        out.stdout.contains(&format!("bakery.lawful:1:{expected}")),
        "{}",
        out.stdout
    );
}

#[test]
fn json_columns_count_astral_characters_and_tabs_as_one() {
    let ws = Workspace::new("astral");
    // 😀 is one scalar value (two UTF-16 units, four bytes).
    let line = "activity smile \"😀😀 Smile\" { purpose billing; basis contract; subjects customers; data nmae; retention 1 year }";
    ws.file("org.lawful", CONTROLLER)
        .file("smile.lawful", format!("{line}\n"))
        // A tab is one column, not a tab stop.
        .file(
            "tab.lawful",
            "activity tabbed \"T\" {\n\tpurpose billing\n\tbasis contract\n\tsubjects customers\n\tdata emial\n\tretention 1 year\n}\n",
        );
    let (_, json) = check_json(&ws, &[]);
    let e004 = with_code(&json, "E004");
    assert_eq!(e004.len(), 2, "{json:#}");
    let smile = e004.iter().find(|d| d["file"] == "smile.lawful").unwrap();
    let expected = char_column(line, "nmae");
    let utf16 = line[..line.find("nmae").unwrap()].encode_utf16().count() as u64 + 1;
    assert_ne!(expected, utf16);
    assert_eq!(smile["line"], 1);
    assert_eq!(smile["column"], expected, "{smile:#}");
    assert_eq!(smile["end_column"], expected + 4, "{smile:#}");
    let tab = e004.iter().find(|d| d["file"] == "tab.lawful").unwrap();
    assert_eq!(tab["line"], 5);
    assert_eq!(tab["column"], 7, "{tab:#}");
    assert_eq!(tab["end_column"], 12, "{tab:#}");
}

#[test]
fn json_order_is_sorted_by_file_line_column_code_and_deterministic() {
    let ws = Workspace::new("order");
    // a/z.lawful: A002 and B001 on the name (1:10), E004 on `nmae` (4:8).
    ws.file(
        "a/z.lawful",
        "activity zeta \"Z\" {\n  purpose billing\n  subjects customers\n  data nmae\n}\n",
    )
    // b.lawful: A003 on the retention statement (6:3).
    .file(
        "b.lawful",
        "activity beta \"B\" {\n  purpose billing\n  basis contract\n  subjects customers\n  data name\n  retention indefinite\n}\n",
    )
    .file("c.lawful", CONTROLLER);
    let first = run_in(&ws.root, &["check", ws.root_arg(), "--format", "json"]);
    let second = run_in(&ws.root, &["check", ws.root_arg(), "--format", "json"]);
    assert_eq!(first.code, 1);
    assert_eq!(first.stdout, second.stdout, "two runs differ");
    let json = parse_json(&first);
    let order: Vec<(String, u64, u64, String)> = diagnostics(&json)
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, u64, u64, String)> = [
        ("a/z.lawful", 1, 10, "A002"),
        ("a/z.lawful", 1, 10, "B001"),
        ("a/z.lawful", 4, 8, "E004"),
        ("b.lawful", 6, 3, "A003"),
    ]
    .iter()
    .map(|(f, l, c, code)| (f.to_string(), *l, *c, code.to_string()))
    .collect();
    assert_eq!(order, expected, "{json:#}");
}

#[test]
fn json_no_controller_is_e008_with_null_file_and_line_0() {
    let ws = Workspace::new("nocontroller");
    ws.file("act.lawful", CLEAN_ACTIVITY);
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 1);
    let e008 = with_code(&json, "E008");
    assert_eq!(e008.len(), 1, "{json:#}");
    assert!(e008[0]["file"].is_null(), "{json:#}");
    assert_eq!(e008[0]["line"], 0);
    assert_eq!(e008[0]["severity"], "error");
}

#[test]
fn json_second_controller_is_e008_at_the_later_file() {
    let ws = Workspace::new("twocontrollers");
    ws.file("a.lawful", CONTROLLER)
        .file("b/c.lawful", CONTROLLER.replace("acme", "other"));
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        found(&json),
        vec![("E008".to_string(), Some("b/c.lawful".to_string()), 1)]
    );
    assert_eq!(with_code(&json, "E008")[0]["column"], 12);
}

// ---------------------------------------------------------------------------------------------
// workspace rules (SPEC §1)

#[test]
fn hidden_directories_and_target_are_skipped() {
    let ws = Workspace::new("hidden");
    let broken = "activity ((( {}\n";
    ws.file("org.lawful", CONTROLLER)
        .file("sub/act.lawful", CLEAN_ACTIVITY)
        .file(".hidden/x.lawful", broken)
        .file("sub/.cache/y.lawful", broken)
        .file("target/z.lawful", broken)
        .file(".git/w.lawful", CONTROLLER.replace("acme", "hidden"));
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 0, "{json:#}");
    assert!(diagnostics(&json).is_empty(), "{json:#}");
    assert_eq!(summary(&json, "files"), 2);

    // Control: the same broken text in an ordinary directory is read and reported.
    ws.file("visible/x.lawful", broken);
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 1);
    assert!(has(&json, "E001", Some("visible/x.lawful"), 1), "{json:#}");
}

#[test]
fn files_outside_the_configured_sources_are_never_read() {
    let ws = Workspace::new("sources");
    let broken = "activity ((( {}\n";
    ws.file("lawful.toml", "[workspace]\nsources = [\"policies\"]\n")
        .file("policies/org.lawful", CONTROLLER)
        .file("policies/nested/act.lawful", NO_BASIS_ACTIVITY)
        .file("stray.lawful", broken)
        .file("other/bad.lawful", broken);
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        found(&json),
        vec![(
            "B001".to_string(),
            Some("policies/nested/act.lawful".to_string()),
            1
        )],
        "{json:#}"
    );
    assert_eq!(summary(&json, "files"), 2);

    // Without `sources`, the same files are read (so the test above can fail).
    ws.file("lawful.toml", "");
    let (_, json) = check_json(&ws, &[]);
    assert!(has(&json, "E001", Some("stray.lawful"), 1), "{json:#}");
    assert!(has(&json, "E001", Some("other/bad.lawful"), 1), "{json:#}");
}

#[test]
fn invalid_utf8_is_e011_at_line_0_and_other_files_are_checked() {
    let ws = Workspace::new("utf8");
    let mut bytes = b"data broken \"caf".to_vec();
    bytes.extend_from_slice(&[0xE9, 0xFF, 0xFE]);
    bytes.extend_from_slice(b"\" {}\n");
    ws.file("org.lawful", CONTROLLER)
        .file("act.lawful", NO_BASIS_ACTIVITY)
        .file("legacy/latin1.lawful", bytes);
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 1);
    let mut found = found(&json);
    found.sort();
    assert_eq!(
        found,
        vec![
            ("B001".to_string(), Some("act.lawful".to_string()), 1),
            (
                "E011".to_string(),
                Some("legacy/latin1.lawful".to_string()),
                0
            ),
        ],
        "{json:#}"
    );
    assert_eq!(with_code(&json, "E011")[0]["severity"], "error");
}

#[test]
fn unknown_key_in_lawful_toml_is_e014_at_the_key_and_checking_goes_on() {
    let ws = Workspace::new("e014");
    ws.file(
        "lawful.toml",
        "# settings\n[workspace]\nlang = \"en\"\ncolour = \"red\"\n\n[rules]\nB005 = \"off\"\n",
    )
    .file("org.lawful", CONTROLLER)
    .file("act.lawful", NO_BASIS_ACTIVITY)
    .file("li.lawful", B005_ACTIVITY.replace("orders", "invoices"));
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 1);
    let e014 = with_code(&json, "E014");
    assert_eq!(e014.len(), 1, "{json:#}");
    assert_eq!(e014[0]["file"], "lawful.toml");
    assert_eq!(e014[0]["line"], 4);
    assert_eq!(e014[0]["column"], 1);
    // Checking went on, with the rest of lawful.toml in force (B005 off).
    assert!(has(&json, "B001", Some("act.lawful"), 1), "{json:#}");
    assert!(with_code(&json, "B005").is_empty(), "{json:#}");
}

#[test]
fn bad_values_in_lawful_toml_are_e014_and_fall_back() {
    let ws = Workspace::new("e014-values");
    ws.file(
        "lawful.toml",
        "[workspace]\ntoday = \"2026-02-30\"\n\n[rules]\nB005 = \"loud\"\nZ123 = \"off\"\n",
    )
    .file("org.lawful", CONTROLLER)
    .file("act.lawful", B005_ACTIVITY);
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 1);
    let mut lines: Vec<u64> = with_code(&json, "E014")
        .iter()
        .map(|d| {
            assert_eq!(d["file"], "lawful.toml");
            d["line"].as_u64().unwrap()
        })
        .collect();
    lines.sort();
    assert_eq!(lines, vec![2, 5, 6], "{json:#}");
    // B005 fell back to its default severity.
    let b005 = with_code(&json, "B005");
    assert_eq!(b005.len(), 1, "{json:#}");
    assert_eq!(b005[0]["severity"], "warning");
}

#[test]
fn missing_source_directory_is_e014_and_sources_fall_back_to_the_default() {
    let ws = Workspace::new("missing-source");
    ws.file("lawful.toml", "[workspace]\nsources = [\"nope\"]\n")
        .file("org.lawful", CONTROLLER)
        .file("act.lawful", NO_BASIS_ACTIVITY);
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 1);
    assert!(has(&json, "E014", Some("lawful.toml"), 2), "{json:#}");
    // `sources` falls back to ["."]: the controller and the activity are read.
    assert!(with_code(&json, "E008").is_empty(), "{json:#}");
    assert!(has(&json, "B001", Some("act.lawful"), 1), "{json:#}");
}

#[test]
fn e014_points_at_the_key_in_every_toml_form() {
    let cases = [
        ("workspace = { lang = \"en\", colour = \"red\" }\n", 1),
        ("workspace.colour = 1\n", 1),
        ("[workspace]\n'colour' = 1\n", 2),
        ("[workspace.extra]\nx = 1\n", 1),
    ];
    for (toml, line) in cases {
        let ws = Workspace::new("e014-forms");
        ws.file("lawful.toml", toml)
            .file("org.lawful", CONTROLLER)
            .file("act.lawful", CLEAN_ACTIVITY);
        let (_, json) = check_json(&ws, &[]);
        let e014 = with_code(&json, "E014");
        assert_eq!(e014.len(), 1, "{toml}: {json:#}");
        assert_eq!(e014[0]["file"], "lawful.toml");
        assert_eq!(e014[0]["line"], line, "{toml}: {json:#}");
    }
}

#[test]
fn rules_section_changes_severity_or_removes_a_code() {
    let ws = Workspace::new("rules");
    ws.file("org.lawful", CONTROLLER)
        .file("act.lawful", B005_ACTIVITY);

    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 0);
    assert_eq!(with_code(&json, "B005")[0]["severity"], "warning");

    ws.file("lawful.toml", "[rules]\nB005 = \"off\"\n");
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 0, "{json:#}");
    assert!(diagnostics(&json).is_empty(), "{json:#}");
    assert_eq!(summary(&json, "warnings"), 0);

    ws.file("lawful.toml", "[rules]\nB005 = \"error\"\n");
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 1, "{json:#}");
    let b005 = with_code(&json, "B005");
    assert_eq!(b005.len(), 1, "{json:#}");
    assert_eq!(b005[0]["severity"], "error");
    assert_eq!(b005[0]["line"], 3);
    assert_eq!(summary(&json, "errors"), 1);
    assert_eq!(summary(&json, "warnings"), 0);

    ws.file("lawful.toml", "[rules]\nB005 = \"info\"\n");
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(with_code(&json, "B005")[0]["severity"], "info");
    assert_eq!(summary(&json, "infos"), 1);
    // Infos never fail the run, not even under `--deny warnings`.
    let (code, _) = check_json(&ws, &["--deny", "warnings"]);
    assert_eq!(code, 0);
}

#[test]
fn today_from_lawful_toml_and_from_the_flag_decide_d008() {
    let ws = Workspace::new("today");
    ws.file("org.lawful", CONTROLLER)
        .file("vendors/mailco.lawful", EXPIRING_PROCESSOR);

    // `today` before the expiry: nothing.
    ws.file("lawful.toml", "[workspace]\ntoday = \"2026-01-01\"\n");
    let (code, json) = check_json(&ws, &[]);
    assert_eq!(code, 0, "{json:#}");
    assert!(with_code(&json, "D008").is_empty(), "{json:#}");

    // `--today` after the expiry overrides lawful.toml: D008 on `expires`.
    let (code, json) = check_json(&ws, &["--today", "2026-12-01"]);
    assert_eq!(code, 0, "D008 is a warning: {json:#}");
    assert_eq!(
        found(&json),
        vec![(
            "D008".to_string(),
            Some("vendors/mailco.lawful".to_string()),
            7
        )]
    );
    assert_eq!(with_code(&json, "D008")[0]["severity"], "warning");
    assert_eq!(with_code(&json, "D008")[0]["column"], 5);
    let (code, _) = check_json(&ws, &["--today", "2026-12-01", "--deny", "warnings"]);
    assert_eq!(code, 1);

    // `today` in lawful.toml after the expiry: D008; an earlier `--today` silences it.
    ws.file("lawful.toml", "[workspace]\ntoday = 2026-07-01\n");
    let (_, json) = check_json(&ws, &[]);
    assert!(
        has(&json, "D008", Some("vendors/mailco.lawful"), 7),
        "{json:#}"
    );
    let (_, json) = check_json(&ws, &["--today", "2026-05-31"]);
    assert!(with_code(&json, "D008").is_empty(), "{json:#}");
}

#[test]
fn without_path_lawful_toml_is_found_upward_from_a_subdirectory() {
    let ws = Workspace::new("upward");
    ws.file(
        "lawful.toml",
        "[workspace]\nsources = [\"policies\"]\n\n[rules]\nB005 = \"error\"\n",
    )
    .file("policies/org.lawful", CONTROLLER)
    .file("policies/act.lawful", B005_ACTIVITY)
    .file("stray.lawful", "this is not lawful {{{\n");
    let deep = ws.dir("policies/deep/deeper");
    let out = run_in(&deep, &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let json = parse_json(&out);
    // Paths relative to the workspace root, lawful.toml settings applied, stray file unread.
    assert_eq!(
        found(&json),
        vec![(
            "B005".to_string(),
            Some("policies/act.lawful".to_string()),
            3
        )],
        "{json:#}"
    );
    assert_eq!(with_code(&json, "B005")[0]["severity"], "error");
    assert_eq!(summary(&json, "files"), 2);
}

// ---------------------------------------------------------------------------------------------
// human output

#[test]
fn human_output_shows_the_line_an_underline_the_code_and_a_summary() {
    let ws = Workspace::new("human");
    ws.file("org.lawful", CONTROLLER)
        .file("sub/act.lawful", NO_BASIS_ACTIVITY);
    let out = run_in(&ws.root, &["check", ws.root_arg(), "--color", "never"]);
    assert_eq!(out.code, 1);
    let text = &out.stdout;
    assert!(
        !text.contains('\u{1b}'),
        "ANSI escapes with --color never:\n{text}"
    );
    assert!(text.contains("error[B001]"), "{text}");
    assert!(text.contains("sub/act.lawful:1:10"), "{text}");
    assert!(text.contains("Art. 6(1)"), "{text}");

    // The source line, then a line with `^` under exactly `orders`.
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("activity orders \"Orders\" {"))
        .unwrap_or_else(|| panic!("source line missing:\n{text}"));
    let source: Vec<char> = lines[at].chars().collect();
    let underline: Vec<char> = lines[at + 1].chars().collect();
    let name_at = lines[at][..lines[at].find("orders").unwrap()]
        .chars()
        .count();
    let carets: Vec<usize> = underline
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == '^')
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        carets,
        (name_at..name_at + 6).collect::<Vec<_>>(),
        "underline misplaced:\n{}\n{}",
        source.iter().collect::<String>(),
        underline.iter().collect::<String>()
    );

    assert_eq!(
        lines.last().copied(),
        Some("1 error, 0 warnings, 0 infos in 2 files"),
        "{text}"
    );
}

#[test]
fn human_output_with_color_always_has_ansi_escapes() {
    let ws = Workspace::new("color");
    ws.file("org.lawful", CONTROLLER)
        .file("act.lawful", NO_BASIS_ACTIVITY);
    let out = run_in(&ws.root, &["check", ws.root_arg(), "--color", "always"]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("\u{1b}["), "{}", out.stdout);
    assert!(out.stdout.contains("B001"), "{}", out.stdout);

    // Piped output with the default `auto` has none.
    let out = run_in(&ws.root, &["check", ws.root_arg()]);
    assert!(!out.stdout.contains('\u{1b}'), "{}", out.stdout);
}

// ---------------------------------------------------------------------------------------------
// the rule catalog

/// Every code of SPEC §4.3 with its default severity.
const SPEC_CODES: &[(&str, &str)] = &[
    ("E001", "error"),
    ("E002", "error"),
    ("E003", "error"),
    ("E004", "error"),
    ("E005", "error"),
    ("E006", "error"),
    ("E007", "error"),
    ("E008", "error"),
    ("E009", "error"),
    ("E010", "error"),
    ("E011", "error"),
    ("E012", "info"),
    ("E013", "error"),
    ("E014", "error"),
    ("B001", "error"),
    ("B002", "warning"),
    ("B003", "warning"),
    ("B004", "error"),
    ("B005", "warning"),
    ("B006", "warning"),
    ("B007", "warning"),
    ("B008", "error"),
    ("B009", "warning"),
    ("S001", "error"),
    ("S002", "error"),
    ("S003", "error"),
    ("S004", "error"),
    ("P001", "error"),
    ("P002", "warning"),
    ("P003", "error"),
    ("P004", "warning"),
    ("D001", "error"),
    ("D002", "warning"),
    ("D003", "error"),
    ("D004", "error"),
    ("D005", "info"),
    ("D006", "error"),
    ("D007", "error"),
    ("D008", "warning"),
    ("T001", "error"),
    ("T002", "error"),
    ("T003", "warning"),
    ("T004", "warning"),
    ("T005", "info"),
    ("T006", "error"),
    ("R001", "error"),
    ("R002", "error"),
    ("R003", "error"),
    ("R004", "error"),
    ("R005", "error"),
    ("R006", "warning"),
    ("R007", "info"),
    ("R010", "error"),
    ("R011", "error"),
    ("R012", "error"),
    ("A001", "error"),
    ("A002", "warning"),
    ("A003", "error"),
    ("A004", "warning"),
    ("A005", "warning"),
    ("A006", "warning"),
    ("A007", "error"),
    ("X001", "warning"),
    ("X002", "error"),
    ("N001", "error"),
    ("N002", "error"),
    ("N003", "error"),
    ("N004", "info"),
    ("N005", "warning"),
    ("N006", "warning"),
    ("U001", "info"),
];

#[test]
fn rules_json_lists_every_code_and_facts_checked() {
    let out = run(&["rules", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = parse_json(&out);
    let checked = json["facts_checked"].as_str().expect("facts_checked");
    let parts: Vec<&str> = checked.split('-').collect();
    assert!(
        parts.len() == 3 && parts[0].len() == 4 && checked.len() == 10,
        "facts_checked is not a date: {checked}"
    );
    let rules = json["rules"].as_array().expect("`rules` array");
    for rule in rules {
        for field in ["code", "name", "severity", "article", "summary"] {
            let value = rule[field].as_str();
            assert!(
                value.is_some_and(|v| !v.is_empty()),
                "`{field}` missing in {rule:#}"
            );
        }
    }
    let codes: Vec<&str> = rules.iter().map(|r| r["code"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = codes.iter().copied().collect();
    assert_eq!(unique.len(), codes.len(), "a code is listed twice");
    for (code, severity) in SPEC_CODES {
        let rule = rules
            .iter()
            .find(|r| r["code"] == *code)
            .unwrap_or_else(|| panic!("{code} missing from `lawful rules`"));
        assert_eq!(rule["severity"], *severity, "{code}");
    }
    let b001 = rules.iter().find(|r| r["code"] == "B001").unwrap();
    assert!(b001["article"].as_str().unwrap().contains("Art. 6(1)"));

    // The human catalog names the same codes and the facts date.
    let human = run(&["rules"]);
    assert_eq!(human.code, 0);
    for (code, _) in SPEC_CODES {
        assert!(human.stdout.contains(code), "{code} missing");
    }
    assert!(human.stdout.contains(checked));
}
