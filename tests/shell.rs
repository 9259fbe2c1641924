//! The command-line shell: a PATH's own workspace, several workspaces at once, names from
//! where the user stands, the output formats (SARIF checked against the published schema,
//! GitLab Code Quality), the CLI conventions (`--quiet`, `--statistics`, `--output-file`,
//! `--stdin-filename`), and the file-system guarantees: bounded reads, no FIFO opened,
//! nothing read outside the workspace, nothing written through a link, nothing skipped
//! silently, no file dropped, no control character printed, write failures reported.

#[path = "support/dir.rs"]
mod dir;
use dir::{CONTROLLER, Dir, no_basis};

#[path = "support/schema.rs"]
mod schema;

use schema::validate;
use serde_json::Value;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_lawful");

const CLEAN: &str = r#"activity orders "Orders" {
  purpose billing
  basis contract
  subjects customers
  data name, email
  retention 7 years
  recipient mailco
}
"#;

const PROCESSOR: &str = r#"party mailco "MailCo" {
  role processor
  country NL
  contact "dpo@mailco.example"
  agreement "DPA-1" {
    signed 2025-03-01
    clauses subject-matter, instructions, confidentiality, security, subprocessors,
            assistance-rights, assistance-obligations, deletion, audits
  }
}
"#;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_with(cwd: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the lawful binary runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code().expect("exited normally"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn run(cwd: &Path, args: &[&str]) -> Run {
    run_with(cwd, args, None)
}

fn json(out: &Run) -> Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", out.stdout, out.stderr))
}

/// `(code, file, line)` of every diagnostic.
fn found(json: &Value) -> Vec<(String, Option<String>, u64)> {
    json["diagnostics"]
        .as_array()
        .unwrap()
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

fn triple(code: &str, file: &str, line: u64) -> (String, Option<String>, u64) {
    (code.to_string(), Some(file.to_string()), line)
}

/// A workspace with a `lawful.toml`, a controller, and two files with one B001 each.
fn two_findings(dir: &Dir, at: &str) {
    dir.file(&format!("{at}lawful.toml"), "")
        .file(&format!("{at}org.lawful"), CONTROLLER)
        .file(&format!("{at}a/one.lawful"), no_basis("one"))
        .file(&format!("{at}b/two.lawful"), no_basis("two"));
}

// ---------------------------------------------------------------------------------------------
// a PATH's own workspace

#[test]
fn a_file_path_is_checked_in_its_whole_workspace_and_only_its_findings_reported() {
    let dir = Dir::new("own");
    two_findings(&dir, "");
    // `orders` names a processor declared in another file: no E004 when the file is checked
    // alone, because its whole workspace is read.
    dir.file("c/orders.lawful", CLEAN)
        .file("vendors.lawful", PROCESSOR);
    let out = run(&dir.root, &["check", "a/one.lawful", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json = json(&out);
    assert_eq!(found(&json), vec![triple("B001", "a/one.lawful", 1)]);
    assert_eq!(json["summary"]["files"], 1);

    let out = run(&dir.root, &["check", "c/orders.lawful", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(found(&json_of(&out)).is_empty(), "{}", out.stdout);

    // A directory PATH below the root: the findings at or below it.
    let out = run(&dir.root, &["check", "b", "--format", "json"]);
    assert_eq!(
        found(&json_of(&out)),
        vec![triple("B001", "b/two.lawful", 1)]
    );

    // Two PATHs of one workspace: read and analysed once, no finding twice.
    let out = run(
        &dir.root,
        &[
            "check",
            "a/one.lawful",
            "b",
            "a/one.lawful",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        found(&json_of(&out)),
        vec![
            triple("B001", "a/one.lawful", 1),
            triple("B001", "b/two.lawful", 1)
        ]
    );
    assert_eq!(json_of(&out)["summary"]["files"], 2);
}

fn json_of(out: &Run) -> Value {
    json(out)
}

#[test]
fn paths_in_different_workspaces_are_analysed_separately_and_combined() {
    let dir = Dir::new("several");
    two_findings(&dir, "shop/");
    two_findings(&dir, "clinic/");
    let out = run(
        &dir.root,
        &["check", "shop", "clinic/a", "--format", "json"],
    );
    assert_eq!(out.code, 1);
    let json = json(&out);
    // No E008 "second controller": each workspace has its own.
    assert_eq!(
        found(&json),
        vec![
            triple("B001", "a/one.lawful", 1),
            triple("B001", "b/two.lawful", 1),
            triple("B001", "a/one.lawful", 1),
        ],
        "{json:#}"
    );
    let workspaces: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["workspace"].as_str().unwrap())
        .collect();
    assert_eq!(workspaces, vec!["shop", "shop", "clinic"]);
    assert_eq!(json["summary"]["errors"], 3);
    assert_eq!(json["summary"]["files"], 4);

    // Human output: one summary for both, files named from the current directory.
    let out = run(&dir.root, &["check", "shop", "clinic", "--color", "never"]);
    assert!(
        out.stdout.contains("shop/a/one.lawful:1:10"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("clinic/b/two.lawful:1:10"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .ends_with("4 errors, 0 warnings, 0 infos in 6 files (2 workspaces)\n"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("E008"));
}

#[test]
fn a_file_that_is_not_lawful_is_a_usage_error_and_never_parsed() {
    let dir = Dir::new("notlawful");
    dir.file("org.lawful", CONTROLLER)
        .file("notes.txt", "activity ((( {}\n");
    let out = run(&dir.root, &["check", "notes.txt"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr.contains("`notes.txt` is not a `.lawful` file"),
        "{}",
        out.stderr
    );
    let out = run(&dir.root, &["breach", "notes.txt"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn without_lawful_toml_stderr_names_the_directory_taken_as_the_workspace() {
    let dir = Dir::new("notoml");
    dir.file("policies/org.lawful", CONTROLLER);
    let out = run(&dir.root, &["check", "policies"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(
        out.stderr,
        "note: no `lawful.toml` found; `policies` is taken as the workspace\n"
    );
    // A file PATH belongs to its parent directory's workspace.
    let out = run(&dir.root, &["check", "policies/org.lawful"]);
    assert!(out.stderr.contains("`policies` is taken"), "{}", out.stderr);
    // `--quiet` keeps stderr for errors only, and drops the summary.
    let out = run(&dir.root, &["check", "policies", "--quiet"]);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    // With a lawful.toml, nothing is said.
    dir.file("lawful.toml", "");
    let out = run(&dir.root, &["check", "policies"]);
    assert_eq!(out.stderr, "");
}

// ---------------------------------------------------------------------------------------------
// paths where the user stands

#[test]
fn human_and_github_name_files_from_the_current_directory_json_from_the_root() {
    let dir = Dir::new("cwd");
    two_findings(&dir, "repo/policies/");
    let repo = dir.path("repo");
    let human = run(&repo, &["check", "policies", "--color", "never"]);
    assert!(
        human.stdout.contains("┌─ policies/a/one.lawful:1:10"),
        "{}",
        human.stdout
    );
    let github = run(&repo, &["check", "policies", "--format", "github"]);
    assert!(
        github
            .stdout
            .contains("::error file=policies/a/one.lawful,line=1,col=10,"),
        "{}",
        github.stdout
    );
    let json = json(&run(&repo, &["check", "policies", "--format", "json"]));
    assert_eq!(found(&json)[0], triple("B001", "a/one.lawful", 1));
    // From inside a subdirectory of the workspace, the names still lead to the file.
    let inside = run(&dir.path("repo/policies/a"), &["check", "--color", "never"]);
    assert!(
        inside.stdout.contains(&format!(
            "┌─ {}/repo/policies/b/two.lawful:1:10",
            dir.root.display()
        )),
        "{}",
        inside.stdout
    );
}

fn sarif_schema() -> Value {
    let text = fs::read_to_string("/work/shared/schemas/sarif-schema-2.1.0.json")
        .expect("the SARIF 2.1.0 schema at /work/shared/schemas");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_validator_rejects_what_the_schema_forbids() {
    let schema = sarif_schema();
    let mut errors = Vec::new();
    let bad = serde_json::json!({ "version": "2.1.0", "runs": [{ "tool": {}, "results": [
        { "message": { "text": "x" }, "level": "fatal" } ] }], "extra": 1 });
    validate(&schema, &schema, &bad, "", &mut errors);
    let text = errors.join("\n");
    assert!(text.contains("/extra: not allowed"), "{text}");
    assert!(
        text.contains("/runs/0/tool: missing required `driver`"),
        "{text}"
    );
    assert!(text.contains("/runs/0/results/0/level"), "{text}");
}

#[test]
fn sarif_validates_against_the_schema_and_uses_uris_from_the_current_directory() {
    let dir = Dir::new("sarif");
    two_findings(&dir, "repo/my policies/");
    dir.file("repo/my policies/c/orders.lawful", CLEAN);
    let repo = dir.path("repo");
    let out = run(&repo, &["check", "my policies", "--format", "sarif"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let sarif = json(&out);
    let schema = sarif_schema();
    let mut errors = Vec::new();
    validate(&schema, &schema, &sarif, "", &mut errors);
    assert!(errors.is_empty(), "{}", errors.join("\n"));

    let run0 = &sarif["runs"][0];
    let base = run0["originalUriBaseIds"]["CWD"]["uri"].as_str().unwrap();
    assert_eq!(
        base,
        format!("file://{}/", repo.display()).replace(' ', "%20")
    );
    let results = run0["results"].as_array().unwrap();
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            assert_eq!(location["uriBaseId"], "CWD");
            location["uri"].as_str().unwrap()
        })
        .collect();
    assert!(uris.contains(&"my%20policies/a/one.lawful"), "{uris:?}");
    assert!(uris.contains(&"my%20policies/b/two.lawful"), "{uris:?}");

    // Every example together (related locations, file-level and workspace-level results),
    // and a workspace outside the current directory (absolute URIs).
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = vec!["check", "--format", "sarif"];
    let examples: Vec<String> = fs::read_dir(root.join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.strip_prefix(root).unwrap().to_str().unwrap().to_string())
        .collect();
    args.extend(examples.iter().map(String::as_str));
    let repo_str = repo.to_str().unwrap().to_string();
    args.push(&repo_str);
    // Two controllers: E008 with a related location at the first.
    dir.file("dup/a.lawful", CONTROLLER)
        .file("dup/b.lawful", CONTROLLER.replace("acme", "other"));
    let dup = dir.path("dup").to_str().unwrap().to_string();
    args.push(&dup);
    let sarif = json(&run(root, &args));
    let mut errors = Vec::new();
    validate(&schema, &schema, &sarif, "", &mut errors);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|u| u.starts_with("file:///") && u.ends_with("/a/one.lawful"))
    }));
    assert!(results.iter().any(|r| r["relatedLocations"].is_array()));
}

#[test]
fn gitlab_code_quality_has_the_fields_and_stable_fingerprints() {
    let dir = Dir::new("gitlab");
    two_findings(&dir, "ws/");
    let out = run(&dir.root, &["check", "ws", "--format", "gitlab"]);
    assert_eq!(out.code, 1);
    let issues = json(&out);
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 2);
    let first = &issues[0];
    assert_eq!(first["check_name"], "B001");
    assert_eq!(first["severity"], "major");
    assert_eq!(first["location"]["path"], "ws/a/one.lawful");
    assert_eq!(first["location"]["lines"]["begin"], 1);
    assert!(
        first["description"]
            .as_str()
            .unwrap()
            .starts_with("activity `one` has no legal basis"),
        "{first}"
    );
    let prints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_ne!(prints[0], prints[1]);
    assert_eq!(prints[0].len(), 32);
    // Moving the finding down two lines keeps its fingerprint; another run gives the same.
    dir.file("ws/a/one.lawful", format!("# moved\n\n{}", no_basis("one")));
    let again = json(&run(&dir.root, &["check", "ws", "--format", "gitlab"]));
    assert_eq!(again[0]["location"]["lines"]["begin"], 3);
    assert_eq!(again[0]["fingerprint"], prints[0]);
    assert_eq!(again[1]["fingerprint"], prints[1]);
    // A workspace-level finding points at the workspace's `lawful.toml`.
    dir.file("ws/org.lawful", "");
    let none = json(&run(&dir.path("ws"), &["check", "--format", "gitlab"]));
    let e008 = none
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["check_name"] == "E008")
        .expect("E008 without a controller");
    assert_eq!(e008["location"]["path"], "lawful.toml");
    assert_eq!(e008["location"]["lines"]["begin"], 1);
}

// ---------------------------------------------------------------------------------------------
// CLI conventions

#[test]
fn statistics_counts_per_code_and_quiet_drops_the_summary() {
    let dir = Dir::new("stats");
    two_findings(&dir, "");
    let out = run(&dir.root, &["check", "--statistics", "--color", "never"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout,
        "2  B001  error    missing-legal-basis\n\n2 errors, 0 warnings, 0 infos in 3 files\n"
    );
    let out = run(&dir.root, &["check", "--quiet", "--color", "never"]);
    assert!(out.stdout.contains("error[B001]"), "{}", out.stdout);
    assert!(!out.stdout.contains("errors,"), "{}", out.stdout);
    let out = run(&dir.root, &["check", "--statistics", "--format", "json"]);
    assert_eq!(out.code, 2);
}

#[test]
fn output_file_receives_the_output() {
    let dir = Dir::new("outfile");
    two_findings(&dir, "ws/");
    let out = run(
        &dir.root,
        &[
            "check",
            "ws",
            "--format",
            "json",
            "--output-file",
            "report.json",
        ],
    );
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "");
    let text = fs::read_to_string(dir.path("report.json")).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["summary"]["errors"], 2);
    // A character device (a pipe, `/dev/stdout`) is a fine target too.
    #[cfg(target_os = "linux")]
    {
        let out = run(
            &dir.root,
            &[
                "check",
                "ws",
                "--format",
                "json",
                "--output-file",
                "/dev/stdout",
            ],
        );
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert_eq!(json_of(&out)["summary"]["errors"], 2);
    }
}

#[test]
fn stdin_filename_checks_unsaved_text_as_that_file_of_its_workspace() {
    let dir = Dir::new("stdin");
    two_findings(&dir, "");
    dir.file("c/orders.lawful", CLEAN)
        .file("vendors.lawful", PROCESSOR);
    // The file on disk has B001; the editor's text fixes it and breaks a reference instead.
    let fixed = CLEAN.replace("orders", "one").replace("mailco", "mailc0");
    let out = run_with(
        &dir.root,
        &[
            "check",
            "-",
            "--stdin-filename",
            "a/one.lawful",
            "--format",
            "json",
        ],
        Some(&fixed),
    );
    let json = json(&out);
    let codes: Vec<String> = found(&json).into_iter().map(|f| f.0).collect();
    assert_eq!(codes, vec!["E004"], "{json:#}");
    assert_eq!(json["diagnostics"][0]["file"], "a/one.lawful");
    assert_eq!(json["diagnostics"][0]["line"], 7);
    // A new, unsaved file is checked in its workspace too.
    let out = run_with(
        &dir.root,
        &[
            "check",
            "-",
            "--stdin-filename",
            "c/new.lawful",
            "--format",
            "json",
        ],
        Some(&no_basis("fresh")),
    );
    assert_eq!(
        found(&json_of(&out)),
        vec![triple("B001", "c/new.lawful", 1)]
    );
    // `-` without `--stdin-filename` is a usage error.
    let out = run_with(&dir.root, &["check", "-"], Some(""));
    assert_eq!(out.code, 2);
}

#[test]
fn explain_takes_rule_names_and_prints_no_markdown() {
    let dir = Dir::new("explain");
    let by_name = run(&dir.root, &["explain", "missing-legal-basis"]);
    let by_code = run(&dir.root, &["explain", "B001"]);
    assert_eq!(by_name.code, 0);
    assert_eq!(by_name.stdout, by_code.stdout);
    assert!(
        by_name
            .stdout
            .starts_with("B001 missing-legal-basis\n========================\n")
    );
    assert!(!by_name.stdout.contains("**"), "{}", by_name.stdout);
    assert!(!by_name.stdout.contains("```"), "{}", by_name.stdout);
    assert!(!by_name.stdout.contains("\n## "), "{}", by_name.stdout);
    // Prose is wrapped for a terminal; code (indented four spaces) is kept as written.
    for code in ["B001", "N004", "E002", "T004"] {
        let out = run(&dir.root, &["explain", code]);
        for line in out.stdout.lines() {
            assert!(
                line.starts_with("    ") || line.chars().count() <= 88,
                "{code}: {line}"
            );
        }
    }
    let markdown = run(&dir.root, &["explain", "B001", "--format", "markdown"]);
    assert!(markdown.stdout.starts_with("# B001"), "{}", markdown.stdout);
    let typo = run(&dir.root, &["explain", "missing-legal-bases"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("did you mean `missing-legal-basis`?"),
        "{}",
        typo.stderr
    );
}

#[test]
fn rules_columns_are_aligned() {
    let dir = Dir::new("rules");
    let out = run(&dir.root, &["rules"]);
    let rows: Vec<&str> = out.stdout.lines().take_while(|l| !l.is_empty()).collect();
    assert!(rows.len() > 40);
    // Every column starts at the same character offset on every row.
    let starts = |row: &str| -> Vec<usize> {
        let chars: Vec<char> = row.chars().collect();
        (2..chars.len())
            .filter(|&i| chars[i] != ' ' && chars[i - 1] == ' ' && chars[i - 2] == ' ')
            .take(4)
            .collect()
    };
    let first = starts(rows[0]);
    assert_eq!(first.len(), 4, "{}", rows[0]);
    for row in &rows {
        assert_eq!(starts(row), first, "misaligned:\n{}\n{row}", rows[0]);
    }
}

// ---------------------------------------------------------------------------------------------
// the file system (robustness)

#[test]
fn devices_and_fifos_named_as_path_are_refused_without_opening() {
    let dir = Dir::new("fifo");
    dir.file("org.lawful", CONTROLLER);
    let out = run(&dir.root, &["check", "/dev/zero"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
    let fifo = dir.path("pipe.lawful");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        // Opening a FIFO without a writer blocks forever; the run must return.
        let out = run(&dir.root, &["check", "pipe.lawful"]);
        assert_eq!(out.code, 2);
        assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
        // Inside a workspace it is skipped, not opened.
        let out = run(&dir.root, &["check", "--format", "json"]);
        assert_eq!(json(&out)["summary"]["files"], 1);
    }
}

#[test]
fn a_huge_sparse_file_is_e011_without_being_read() {
    let dir = Dir::new("huge");
    dir.file("org.lawful", CONTROLLER);
    let file = fs::File::create(dir.path("big.lawful")).unwrap();
    file.set_len(3 << 30).unwrap();
    let out = run(&dir.root, &["check", "--format", "json"]);
    let json = json(&out);
    assert_eq!(found(&json), vec![triple("E011", "big.lawful", 0)]);
    assert!(
        json["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("larger than the limit of 4 MiB"),
        "{json:#}"
    );
    assert!(
        json["diagnostics"][0]["help"]
            .as_str()
            .unwrap()
            .starts_with("split the file"),
        "{json:#}"
    );
}

#[test]
fn an_oversized_lawful_toml_stops_the_run() {
    let dir = Dir::new("bigtoml");
    let mut text = String::from("[rules]\n");
    while text.len() <= 1024 * 1024 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    dir.file("lawful.toml", text).file("org.lawful", CONTROLLER);
    let out = run(&dir.root, &["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("larger than the limit of 1024 KiB"),
        "{}",
        out.stderr
    );
}

#[cfg(unix)]
#[test]
fn nothing_outside_the_workspace_is_read_through_links() {
    use std::os::unix::fs::symlink;
    let dir = Dir::new("links");
    dir.file("secret/token.lawful", "SECRET-TOKEN-123 {\n")
        .file("secret/passwd", "SECRET-TOKEN-456\n")
        .file(
            "ws/lawful.toml",
            "[workspace]\nsources = [\"policies\", \"vendors\"]\n",
        )
        .file("ws/policies/org.lawful", CONTROLLER)
        .file("ws/policies/real.lawful", no_basis("real"));
    symlink(dir.path("secret"), dir.path("ws/vendors")).unwrap();
    symlink(
        dir.path("secret/passwd"),
        dir.path("ws/policies/leak.lawful"),
    )
    .unwrap();
    // A link inside the workspace to a file inside it is the same file: read once.
    symlink(
        dir.path("ws/policies/real.lawful"),
        dir.path("ws/policies/alias.lawful"),
    )
    .unwrap();
    let ws = dir.path("ws");
    for format in ["json", "human", "github", "sarif", "gitlab"] {
        let out = run(&ws, &["check", "--format", format, "--color", "never"]);
        assert!(
            !out.stdout.contains("SECRET-TOKEN") && !out.stderr.contains("SECRET-TOKEN"),
            "{format}: {}{}",
            out.stdout,
            out.stderr
        );
    }
    let json = json(&run(&ws, &["check", "--format", "json"]));
    let mut found = found(&json);
    found.sort();
    assert_eq!(
        found,
        vec![
            triple("B001", "policies/real.lawful", 1),
            triple("E011", "policies/leak.lawful", 0),
            triple("E014", "lawful.toml", 2),
        ],
        "{json:#}"
    );
    let messages: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`vendors` lies outside the workspace")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("symbolic link to outside the workspace")),
        "{messages:?}"
    );
    // `lawful.toml` linked to outside is not read either.
    fs::remove_file(ws.join("lawful.toml")).unwrap();
    symlink(dir.path("secret/passwd"), ws.join("lawful.toml")).unwrap();
    let out = run(&ws, &["check"]);
    assert_eq!(out.code, 2);
    assert!(!out.stderr.contains("SECRET"), "{}", out.stderr);
}

#[cfg(unix)]
#[test]
fn init_never_writes_through_a_dangling_link() {
    use std::os::unix::fs::symlink;
    let dir = Dir::new("initlink");
    fs::create_dir_all(dir.path("new")).unwrap();
    symlink(dir.path("elsewhere.toml"), dir.path("new/lawful.toml")).unwrap();
    let out = run(&dir.root, &["init", "new"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("already exists"), "{}", out.stderr);
    assert!(!dir.path("elsewhere.toml").exists());
    assert!(!dir.path("new/organisation.lawful").exists());
}

/// Runs `lawful ARGS` in `cwd` so that file permissions bind: as is when they already do,
/// else (as root) as user `nobody` through `setpriv`; `None` when neither is possible.
#[cfg(unix)]
fn run_unprivileged(cwd: &Path, args: &[&str], probe: &Path) -> Option<Run> {
    if fs::read_dir(probe).is_err() {
        return Some(run(cwd, args));
    }
    let output = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN])
        .args(args)
        .current_dir(cwd)
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if stderr.contains("setpriv:") {
        return None;
    }
    Some(Run {
        code: output.status.code()?,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
    })
}

#[cfg(unix)]
#[test]
fn an_unreadable_directory_or_file_is_reported_with_the_reason() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Dir::new("perm");
    dir.file("org.lawful", CONTROLLER)
        .file("locked/x.lawful", no_basis("x"))
        .file("secret.lawful", no_basis("y"));
    let mode = |path: &str, mode: u32| {
        fs::set_permissions(dir.path(path), fs::Permissions::from_mode(mode)).unwrap();
    };
    mode("", 0o755);
    mode("locked", 0o000);
    mode("secret.lawful", 0o000);
    let out = run_unprivileged(
        &dir.root,
        &["check", "--format", "json"],
        &dir.path("locked"),
    );
    mode("locked", 0o755);
    let Some(out) = out else {
        eprintln!("skipped: permissions do not bind and setpriv is unavailable");
        return;
    };
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let json = json(&out);
    let mut found = found(&json);
    found.sort();
    assert_eq!(
        found,
        vec![
            ("E011".to_string(), None, 0),
            triple("E011", "secret.lawful", 0)
        ],
        "{json:#}"
    );
    let text = json.to_string();
    assert!(
        text.contains("directory `locked` cannot be read: permission denied"),
        "{json:#}"
    );
    assert!(
        text.contains("`secret.lawful` cannot be checked: it cannot be read: permission denied"),
        "{json:#}"
    );
    assert!(!text.contains("save the file as UTF-8"), "{json:#}");
}

#[cfg(target_os = "linux")]
#[test]
fn names_differing_only_in_invalid_utf8_are_both_checked_under_distinct_names() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = Dir::new("bytes");
    dir.file("org.lawful", CONTROLLER);
    for (byte, name) in [(0xFFu8, "one"), (0xFE, "two")] {
        let bytes = [b'a', byte, b'.', b'l', b'a', b'w', b'f', b'u', b'l'];
        fs::write(dir.root.join(OsStr::from_bytes(&bytes)), no_basis(name)).unwrap();
    }
    let json = json(&run(&dir.root, &["check", "--format", "json"]));
    let mut found = found(&json);
    found.sort();
    assert_eq!(
        found,
        vec![
            triple("B001", "a\\xFE.lawful", 1),
            triple("B001", "a\\xFF.lawful", 1)
        ]
    );
    assert_eq!(json["summary"]["files"], 3);
}

#[test]
fn a_path_outside_the_workspace_with_the_same_relative_name_is_checked_too() {
    let dir = Dir::new("samename");
    two_findings(&dir, "ws/");
    dir.file("other/a/one.lawful", no_basis("other"));
    let out = run(
        &dir.root,
        &[
            "check",
            "ws/a/one.lawful",
            "other/a/one.lawful",
            "--format",
            "json",
        ],
    );
    let json = json(&out);
    // Both files are checked, each in its own workspace (`other/a` has no `lawful.toml`, so
    // the file is `one.lawful` there, and that workspace has no controller: E008 and the
    // findings a missing controller brings, not compared here).
    let at: Vec<(String, Option<String>, Option<String>)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "B001" || d["code"] == "E008")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().map(str::to_string),
                d["workspace"].as_str().map(str::to_string),
            )
        })
        .collect();
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        at,
        vec![
            ("B001".to_string(), some("a/one.lawful"), some("ws")),
            ("E008".to_string(), None, some("other/a")),
            ("B001".to_string(), some("one.lawful"), some("other/a")),
        ],
        "{json:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// output hygiene

#[test]
fn control_and_invisible_characters_never_reach_the_terminal_or_annotations() {
    let dir = Dir::new("ansi");
    dir.file("lawful.toml", "")
        .file("org.lawful", CONTROLLER)
        .file(
            "evil.lawful",
            "activity \u{200b} \"x\" {}\r\n# \u{1b}]8;;http://evil\u{7}click\u{1b}]8;;\u{7} \u{1b}[2J\nactivity \u{1b}[31m \"y\" {}\n",
        );
    for format in ["human", "github"] {
        let out = run(
            &dir.root,
            &["check", "--format", format, "--color", "never"],
        );
        assert_eq!(out.code, 1);
        assert!(
            !out.stdout.contains('\u{1b}')
                && !out.stdout.contains('\u{7}')
                && !out.stdout.contains('\r'),
            "{format}: {:?}",
            out.stdout
        );
        assert!(
            !out.stdout.contains('\u{200b}'),
            "{format}: {:?}",
            out.stdout
        );
    }
    let human = run(&dir.root, &["check", "--color", "never"]);
    assert!(
        human.stdout.contains("found `\\u{200b}`"),
        "{}",
        human.stdout
    );
    // The zero-width name is underlined with a visible caret.
    let lines: Vec<&str> = human.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("1 │ activity"))
        .expect("the source line");
    assert!(
        lines[at + 1].ends_with('^'),
        "{}\n{}",
        lines[at],
        lines[at + 1]
    );
}

#[test]
fn a_huge_name_is_not_repeated_in_full() {
    let dir = Dir::new("longname");
    let name = "x".repeat(200_000);
    dir.file("lawful.toml", "")
        .file("org.lawful", CONTROLLER)
        .file("act.lawful", CLEAN.replace("mailco", &name));
    let out = run(&dir.root, &["check", "--format", "json"]);
    let json = json(&out);
    let e004: Vec<&Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "E004")
        .collect();
    assert_eq!(
        e004.len(),
        1,
        "{}",
        &out.stdout[..out.stdout.len().min(2000)]
    );
    assert!(e004[0]["message"].as_str().unwrap().contains('…'));
    assert!(out.stdout.len() < 10_000, "{} bytes", out.stdout.len());
    // The human output locates a finding on a huge line in a note instead of printing it.
    let human = run(&dir.root, &["check", "--color", "never"]);
    assert!(human.stdout.len() < 10_000, "{} bytes", human.stdout.len());
    assert!(
        human
            .stdout
            .contains("= at act.lawful:7:13 (the line is too long to show)"),
        "{}",
        human.stdout
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_exit_2_with_a_message() {
    let dir = Dir::new("full");
    two_findings(&dir, "");
    for args in [
        vec!["check", "--format", "json"],
        vec!["check", "--color", "never"],
        vec!["rules"],
        vec!["explain", "B001"],
        vec!["--help"],
        vec!["check", "--help"],
    ] {
        let output = Command::new(BIN)
            .args(&args)
            .current_dir(&dir.root)
            .stdout(fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("cannot write to standard output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
    let out = run(
        &dir.root,
        &["check", "--output-file", "/dev/full", "--format", "json"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("cannot write to `/dev/full`"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = Dir::new("pipe");
    let mut child = Command::new(BIN)
        .args(["rules"])
        .current_dir(&dir.root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn breach_reports_escape_the_policys_own_text() {
    let dir = Dir::new("breachansi");
    dir.file("lawful.toml", "[workspace]\ntoday = \"2026-09-15\"\n")
        .file("org.lawful", CONTROLLER)
        .file(
            "b.lawful",
            "breach lost \"Laptop \\u{1b}[2J\\u{1b}]8;;http://evil\\u{7}lost\" {\n  discovered 2026-09-14T08:10+02:00\n  nature confidentiality\n  subjects-affected 3\n  risk high \"gone \\u{1b}[31m\"\n}\n",
        );
    let out = run(&dir.root, &["breach", "--color", "never"]);
    assert!(out.stdout.contains("lost"), "{}{}", out.stdout, out.stderr);
    // The text is shown, its escape bytes written out.
    assert!(out.stdout.contains("\\u{1b}"), "{}", out.stdout);
    assert!(!out.stdout.contains('\u{1b}'), "{:?}", out.stdout);
    assert!(!out.stdout.contains('\u{7}'), "{:?}", out.stdout);
}

#[test]
fn breach_takes_paths_as_check_does() {
    let dir = Dir::new("breachpaths");
    let breach = |name: &str| {
        format!(
            "breach {name} \"Lost\" {{\n  discovered 2026-09-14T08:10+02:00\n  nature confidentiality\n  subjects-affected 3\n  risk low \"a list of names\"\n}}\n"
        )
    };
    dir.file("lawful.toml", "[workspace]\ntoday = \"2026-09-15\"\n")
        .file("org.lawful", CONTROLLER)
        .file("incidents/one.lawful", breach("first"))
        .file("incidents/two.lawful", breach("second"));
    let names = |out: &Run| -> Vec<String> {
        let text = &out.stdout;
        ["first", "second"]
            .iter()
            .filter(|n| text.contains(&format!("`{n}`")) || text.contains(&format!("\"{n}\"")))
            .map(|n| n.to_string())
            .collect()
    };
    let all = run(&dir.root, &["breach", "--format", "json"]);
    assert_eq!(names(&all), vec!["first", "second"], "{}", all.stdout);
    let one = run(
        &dir.root,
        &["breach", "incidents/two.lawful", "--format", "json"],
    );
    assert_eq!(names(&one), vec!["second"], "{}", one.stdout);
    let out = run(&dir.root, &["breach", "incidents/none.txt"]);
    assert_eq!(out.code, 2);
}

/// The library API future commands (`fmt`, `register`) use: PATHs to targets, one load per
/// workspace, the files in scope with their real paths.
#[test]
fn plan_and_load_are_reusable_by_other_commands() {
    use lawful::workspace;
    let dir = Dir::new("api");
    two_findings(&dir, "ws/");
    let paths = vec![
        PathBuf::from("ws/a/one.lawful"),
        PathBuf::from("ws/b"),
        PathBuf::from("ws/a/one.lawful"),
    ];
    let targets = workspace::plan(&paths, &dir.root).unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0].root, dir.path("ws"));
    assert!(targets[0].has_config);
    assert_eq!(
        targets[0].scopes,
        vec![
            workspace::Scope::File(dir.path("ws/a/one.lawful")),
            workspace::Scope::Dir(dir.path("ws/b")),
        ]
    );
    let ws = targets[0].load(None).unwrap();
    let files: Vec<&Path> = ws.files_to_process().map(|(_, path)| path).collect();
    assert_eq!(
        files,
        vec![dir.path("ws/a/one.lawful"), dir.path("ws/b/two.lawful")]
    );
    assert_eq!(ws.files_in_scope(), 2);
    let error = workspace::plan(&[PathBuf::from("ws/lawful.toml")], &dir.root).unwrap_err();
    assert!(error.0.contains("is not a `.lawful` file"), "{error}");
}
