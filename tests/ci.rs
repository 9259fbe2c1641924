//! The CI formats as CI services read them: SARIF for GitHub code scanning (schema, rules with
//! help, fingerprints, UTF-16 columns, the 25,000-result cap, the SARIF multitool when it is
//! installed), GitLab Code Quality, GitHub annotations within the per-step limits and the job
//! summary, and the pre-commit hook run by `pre-commit` itself on a sample repository.

#[path = "support/dir.rs"]
mod dir;
use dir::{CONTROLLER, Dir, no_basis};

#[path = "support/schema.rs"]
mod schema;
mod support;

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_lawful");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

const CLEAN: &str = "activity orders \"Orders\" {\n  purpose billing\n  basis contract\n  subjects customers\n  data name, email\n  retention 7 years\n}\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_env(cwd: &Path, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(cwd)
        .env_remove("GITHUB_STEP_SUMMARY");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("the lawful binary runs");
    Run {
        code: output.status.code().expect("exited normally"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn run(cwd: &Path, args: &[&str]) -> Run {
    run_env(cwd, args, &[])
}

fn json(out: &Run) -> Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", out.stdout, out.stderr))
}

fn examples() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(Path::new(ROOT).join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| format!("examples/{}", p.file_name().unwrap().to_str().unwrap()))
        .collect();
    names.sort();
    names
}

fn sarif_schema() -> Value {
    let text = fs::read_to_string("/work/shared/schemas/sarif-schema-2.1.0.json")
        .expect("the SARIF 2.1.0 schema at /work/shared/schemas");
    serde_json::from_str(&text).unwrap()
}

fn assert_valid_sarif(sarif: &Value) {
    let schema = sarif_schema();
    let mut errors = Vec::new();
    schema::validate(&schema, &schema, sarif, "", &mut errors);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// SARIF

/// What GitHub code scanning needs of every run and result, on every example.
fn assert_fit_for_github(sarif: &Value, text: &str) {
    assert!(!text.contains("security-severity"), "no security-severity");
    assert!(!text.contains("helpUri"));
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), lawful::registry::all().len());
    for (rule, entry) in rules.iter().zip(lawful::registry::all()) {
        assert_eq!(rule["id"], entry.code);
        assert_eq!(rule["shortDescription"]["text"], entry.summary);
        let full = rule["fullDescription"]["text"].as_str().unwrap();
        assert!(full.len() > 40 && !full.starts_with('#'), "{rule}");
        // GitHub's limit on descriptions.
        assert!(full.chars().count() <= 1024, "{rule}");
        assert_eq!(rule["help"]["markdown"], entry.explain.trim_end());
        let help = rule["help"]["text"].as_str().unwrap();
        assert!(
            help.contains(entry.code) && !help.contains("```") && !help.contains("**"),
            "{help}"
        );
        assert_eq!(rule["properties"]["article"], entry.article);
    }
    let results = run["results"].as_array().unwrap();
    let mut prints = std::collections::BTreeSet::new();
    for result in results {
        let print = result["partialFingerprints"]["lawful/v1"].as_str().unwrap();
        assert_eq!(print.len(), 32, "{result}");
        assert!(print.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(prints.insert(print.to_string()), "duplicate {print}");
        let location = &result["locations"][0]["physicalLocation"];
        assert!(
            location["artifactLocation"]["uri"].is_string(),
            "every result has a location: {result}"
        );
        let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], result["ruleId"]);
    }
}

#[test]
fn sarif_of_every_example_is_valid_and_fit_for_github_code_scanning() {
    let root = Path::new(ROOT);
    for example in examples() {
        let out = run(root, &["check", &example, "--format", "sarif"]);
        assert!(out.code <= 1, "{example}: {}", out.stderr);
        let sarif = json(&out);
        assert_valid_sarif(&sarif);
        assert_fit_for_github(&sarif, &out.stdout);
    }
    // A workspace-level finding (no controller: E008) points at the workspace's lawful.toml.
    let dir = Dir::new("sarif-ws");
    dir.file("ws/lawful.toml", "")
        .file("ws/a.lawful", no_basis("one"));
    let out = run(&dir.root, &["check", "ws", "--format", "sarif"]);
    let sarif = json(&out);
    assert_valid_sarif(&sarif);
    assert_fit_for_github(&sarif, &out.stdout);
    let e008 = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "E008")
        .expect("E008");
    let location = &e008["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "ws/lawful.toml");
    assert!(location.get("region").is_none(), "{location}");
}

#[test]
fn sarif_columns_count_utf16_code_units() {
    let dir = Dir::new("sarif-utf16");
    // `😀` is one Unicode scalar and two UTF-16 code units: E004 at `nobody` is one column
    // further right in SARIF than in the JSON contract.
    dir.file("lawful.toml", "")
        .file("org.lawful", CONTROLLER)
        .file(
            "a.lawful",
            "activity orders \"Bestellingen 😀\" { purpose billing; basis contract; subjects customers; data name; retention 1 year; recipient nobody }\n",
        );
    let json_out = json(&run(&dir.root, &["check", "--format", "json"]));
    let e004 = json_out["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "E004")
        .expect("E004")
        .clone();
    let sarif = json(&run(&dir.root, &["check", "--format", "sarif"]));
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "E004")
        .expect("E004")
        .clone();
    let region = &result["locations"][0]["physicalLocation"]["region"];
    let scalar_column = e004["column"].as_u64().unwrap();
    let line = "activity orders \"Bestellingen 😀\" { purpose billing; basis contract; subjects customers; data name; retention 1 year; recipient ";
    assert_eq!(scalar_column as usize, line.chars().count() + 1);
    assert_eq!(region["startColumn"].as_u64().unwrap(), scalar_column + 1);
    assert_eq!(
        region["startColumn"].as_u64().unwrap() as usize,
        line.encode_utf16().count() + 1
    );
    assert_eq!(region["endColumn"].as_u64().unwrap(), scalar_column + 1 + 6);
    assert_eq!(region["startLine"], 1);
}

#[test]
fn sarif_fingerprints_survive_moved_lines_and_tell_identical_findings_apart() {
    let dir = Dir::new("sarif-prints");
    dir.file("lawful.toml", "")
        .file("org.lawful", CONTROLLER)
        .file("a.lawful", no_basis("one"))
        .file("b.lawful", no_basis("two"));
    let prints = |dir: &Dir| -> Vec<(String, u64, String)> {
        let sarif = json(&run(&dir.root, &["check", "--format", "sarif"]));
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let at = &r["locations"][0]["physicalLocation"];
                (
                    at["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                    at["region"]["startLine"].as_u64().unwrap(),
                    r["partialFingerprints"]["lawful/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                )
            })
            .collect()
    };
    let before = prints(&dir);
    assert_eq!(before.len(), 2, "{before:?}");
    assert_ne!(before[0].2, before[1].2);
    dir.file("a.lawful", format!("# moved\n\n{}", no_basis("one")));
    let after = prints(&dir);
    assert_eq!(after[0].1, 3);
    assert_eq!(
        after[0].2, before[0].2,
        "the line is not in the fingerprint"
    );
    assert_eq!(after[1].2, before[1].2);
}

#[test]
fn sarif_is_capped_with_a_note_saying_how_many_were_left_out() {
    let text: String = (0..5).map(|i| no_basis(&format!("a{i}"))).collect();
    let (sources, analysis) = support::check_files(&[("many.lawful", &text)]);
    let count = analysis.diagnostics.len();
    assert!(count >= 5, "{:?}", analysis.diagnostics);
    let part = lawful::diag::sarif::Part {
        diagnostics: &analysis.diagnostics,
        sources: &sources,
        names: lawful::diag::own_names(&sources),
        fallback: Some("lawful.toml".to_string()),
    };
    let sarif: Value =
        serde_json::from_str(&lawful::diag::sarif::render_limited(&[part], None, 3)).unwrap();
    assert_valid_sarif(&sarif);
    let run = &sarif["runs"][0];
    assert_eq!(run["results"].as_array().unwrap().len(), 3);
    let note = &run["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(note["descriptor"]["id"], "results-left-out");
    assert_eq!(note["properties"]["leftOut"], count - 3);
    assert!(
        note["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{} more result(s) left out", count - 3)),
        "{note}"
    );
    assert_eq!(lawful::diag::sarif::MAX_RESULTS, 25_000);
    // Under the cap: no notification at all.
    let part = lawful::diag::sarif::Part {
        diagnostics: &analysis.diagnostics,
        sources: &sources,
        names: lawful::diag::own_names(&sources),
        fallback: None,
    };
    let sarif: Value =
        serde_json::from_str(&lawful::diag::sarif::render_parts(&[part], None)).unwrap();
    assert!(sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"].is_null());
}

/// The SARIF multitool's own validator (`sarif-multitool` on PATH, as `.ci/run` installs it
/// with `npm install -g @microsoft/sarif-multitool`), or a printed note when it is missing.
#[test]
fn the_sarif_multitool_finds_no_error() {
    let tool = std::env::var_os("LAWFUL_SARIF_MULTITOOL")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("sarif-multitool"));
    let probe = Command::new(&tool).arg("--version").output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "note: skipped: `sarif-multitool` is not installed (npm install -g @microsoft/sarif-multitool)"
        );
        return;
    }
    let dir = Dir::new("multitool");
    let mut args: Vec<String> = vec!["check".into(), "--format".into(), "sarif".into()];
    args.extend(examples());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(Path::new(ROOT), &refs);
    dir.file("lawful.sarif", &out.stdout);
    // A broken log first: the validator must find its errors, or the check proves nothing.
    dir.file(
        "broken.sarif",
        r#"{"version":"2.1.0","runs":[{"results":[],"bogus":1}]}"#,
    );
    let validate = |name: &str| -> String {
        let output = Command::new(&tool)
            .args(["validate", name, "-o", &format!("{name}.out")])
            .current_dir(&dir.root)
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let broken = validate("broken.sarif");
    assert!(broken.contains(": error JSON"), "{broken}");
    let ours = validate("lawful.sarif");
    let errors: Vec<&str> = ours.lines().filter(|l| l.contains(": error ")).collect();
    assert!(errors.is_empty(), "{ours}");
    assert!(ours.contains("1 files scanned"), "{ours}");
}

// ---------------------------------------------------------------------------------------------
// GitLab Code Quality

#[test]
fn gitlab_code_quality_of_every_example_has_every_field() {
    let root = Path::new(ROOT);
    let mut args: Vec<String> = vec!["check".into(), "--format".into(), "gitlab".into()];
    args.extend(examples());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let issues = json(&run(root, &refs));
    let issues = issues.as_array().unwrap();
    assert!(!issues.is_empty());
    let mut prints = std::collections::BTreeSet::new();
    for issue in issues {
        assert_eq!(issue["type"], "issue", "{issue}");
        assert!(issue["description"].as_str().is_some_and(|d| !d.is_empty()));
        let code = issue["check_name"].as_str().unwrap();
        assert!(lawful::registry::lookup(code).is_some(), "{code}");
        assert!(prints.insert(issue["fingerprint"].as_str().unwrap().to_string()));
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap())
        );
        let path = issue["location"]["path"].as_str().unwrap();
        assert!(path.starts_with("examples/"), "{path}");
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    // The mapping: error → major, warning → minor, info → info (a severity set in
    // `lawful.toml` is the one mapped).
    for (setting, expected) in [("", "major"), ("warning", "minor"), ("info", "info")] {
        let dir = Dir::new("gitlab-severity");
        let toml = if setting.is_empty() {
            String::new()
        } else {
            format!("[rules]\nB001 = \"{setting}\"\n")
        };
        dir.file("lawful.toml", toml)
            .file("org.lawful", CONTROLLER)
            .file("a.lawful", no_basis("one"));
        let issues = json(&run(&dir.root, &["check", "--format", "gitlab"]));
        let issues = issues.as_array().unwrap();
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0]["check_name"], "B001");
        assert_eq!(issues[0]["severity"], expected, "{setting}");
    }
}

// ---------------------------------------------------------------------------------------------
// GitHub annotations and job summary

#[test]
fn github_annotations_stop_at_ten_per_type_and_say_how_many_more() {
    let dir = Dir::new("github-cap");
    dir.file("lawful.toml", "").file("org.lawful", CONTROLLER);
    for i in 0..13 {
        dir.file(&format!("a{i:02}.lawful"), no_basis(&format!("a{i:02}")));
    }
    let summary = dir.root.join("summary.md");
    fs::write(&summary, "## earlier step\n").unwrap();
    let out = run_env(
        &dir.root,
        &["check", "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let errors: Vec<&&str> = lines.iter().filter(|l| l.starts_with("::error ")).collect();
    assert_eq!(errors.len(), 10, "{}", out.stdout);
    assert!(errors[0].starts_with("::error file=a00.lawful,line=1,col=10,"));
    assert!(errors[9].starts_with("::error file=a09.lawful,"));
    assert_eq!(
        lines.last().unwrap(),
        &"::notice title=lawful::3 errors, 0 warnings, 0 infos more not shown as annotations (10 per type); run `lawful check` to see them all"
    );
    // The job summary is appended: the earlier step's text stays.
    let text = fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("## earlier step\n## Lawful\n\n13 errors, 0 warnings, 0 infos\n"),
        "{text}"
    );
    assert!(
        text.contains("| `B001` | error | missing-legal-basis | GDPR Art. 6(1) | 13 |"),
        "{text}"
    );
    assert!(
        text.contains("| a00.lawful:1:10 | `B001` | activity `a00` has no legal basis |"),
        "{text}"
    );
    assert!(text.contains("| a12.lawful:1:10 | `B001` |"), "{text}");
    // Without the variable nothing is written anywhere, and the annotations are the same.
    let again = run(&dir.root, &["check", "--format", "github"]);
    assert_eq!(again.stdout, out.stdout);
    // Infos are notices, and so is the closing line: nine infos, then the line, ten in all.
    dir.file("lawful.toml", "[rules]\nB001 = \"info\"\n");
    let out = run(&dir.root, &["check", "--format", "github"]);
    assert_eq!(out.code, 0);
    let notices: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("::notice "))
        .collect();
    assert_eq!(notices.len(), 10, "{}", out.stdout);
    assert!(
        notices[9].starts_with("::notice title=lawful::0 errors, 0 warnings, 4 infos more"),
        "{}",
        notices[9]
    );
    // Under the limits, no closing notice.
    let small = Dir::new("github-small");
    small
        .file("lawful.toml", "")
        .file("org.lawful", CONTROLLER)
        .file("a.lawful", no_basis("one"));
    let out = run(&small.root, &["check", "--format", "github"]);
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
}

#[test]
fn github_job_summary_of_a_clean_run_says_so_and_an_unwritable_file_is_a_note() {
    let dir = Dir::new("github-clean");
    dir.file("lawful.toml", "")
        .file("org.lawful", CONTROLLER)
        .file("a.lawful", CLEAN);
    let summary = dir.root.join("summary.md");
    let out = run_env(
        &dir.root,
        &["check", "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(
        fs::read_to_string(&summary).unwrap(),
        "## Lawful\n\n0 errors, 0 warnings, 0 infos\n"
    );
    let out = run_env(
        &dir.root,
        &["check", "--format", "github"],
        &[(
            "GITHUB_STEP_SUMMARY",
            &dir.root.join("no/such/dir/summary.md"),
        )],
    );
    assert_eq!(out.code, 0);
    assert!(
        out.stderr
            .contains("warning: cannot write the job summary to"),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// pre-commit

/// The repository's `.pre-commit-hooks.yaml`, run by `pre-commit` on a sample repository. The
/// hook is turned into a `repo: local` hook with `language: system` and the built binary as
/// entry (a `language: rust` hook would `cargo install` the whole tool first); everything
/// else (id, file pattern, arguments) is the file's own.
#[test]
fn the_pre_commit_hook_passes_clean_files_and_fails_on_findings() {
    if !Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!("note: skipped: `pre-commit` is not installed (pip install pre-commit)");
        return;
    }
    let hooks = fs::read_to_string(Path::new(ROOT).join(".pre-commit-hooks.yaml")).unwrap();
    assert!(hooks.contains("language: rust"), "{hooks}");
    assert!(hooks.contains("entry: lawful check"), "{hooks}");
    let local: String = hooks
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| {
            let l = l
                .replace("language: rust", "language: system")
                .replace("entry: lawful check", &format!("entry: {BIN} check"));
            format!("      {l}\n")
        })
        .collect();
    let dir = Dir::new("precommit");
    dir.file("lawful.toml", "")
        .file("org.lawful", CONTROLLER)
        .file("policies/clean.lawful", CLEAN)
        .file("policies/broken.lawful", no_basis("broken"))
        .file("notes.txt", "not a policy\n")
        .file(
            ".pre-commit-config.yaml",
            format!("repos:\n  - repo: local\n    hooks:\n{local}"),
        );
    let home = dir.root.join(".pre-commit-home");
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(args)
            .current_dir(&dir.root)
            .env("PRE_COMMIT_HOME", &home)
            .output()
            .unwrap();
        assert!(status.status.success(), "git {args:?}: {status:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    let pre_commit = |files: &[&str]| {
        let output = Command::new("pre-commit")
            .args(["run", "--color", "never", "--files"])
            .args(files)
            .current_dir(&dir.root)
            .env("PRE_COMMIT_HOME", &home)
            .output()
            .unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr),
        )
    };
    let (code, text) = pre_commit(&["policies/clean.lawful", "notes.txt"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("Passed"), "{text}");
    let (code, text) = pre_commit(&["policies/broken.lawful", "policies/clean.lawful"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("Failed"), "{text}");
    assert!(text.contains("error[B001]"), "{text}");
    assert!(text.contains("policies/broken.lawful:1:10"), "{text}");
    // Only the named files' findings: the clean file is not blamed for the broken one.
    assert!(!text.contains("policies/clean.lawful:"), "{text}");
    // Only `.lawful` files reach the hook.
    let (code, text) = pre_commit(&["notes.txt"]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("Skipped") || text.contains("no files to check"),
        "{text}"
    );
}
