//! Every bundled example workspace checks without errors or warnings.

use lawful::workspace;
use lawful::{Settings, analyze};
use std::path::Path;

fn check_example(name: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    let ws = workspace::load(std::slice::from_ref(&root), &root).expect("example loads");
    assert!(
        ws.diagnostics.is_empty(),
        "{name}: lawful.toml problems: {:?}",
        ws.diagnostics
    );
    let settings = Settings {
        today: ws
            .config
            .today
            .expect("examples pin `today` in lawful.toml"),
        config: ws.config.clone(),
    };
    let analysis = analyze(&ws.sources, &settings);
    assert!(
        analysis.files >= 3,
        "{name}: expected several files, found {}",
        analysis.files
    );
    analysis
        .diagnostics
        .iter()
        .map(|d| {
            let at = d.location(&ws.sources);
            format!(
                "{} {}:{} {} {}",
                d.severity.as_str(),
                at.file.unwrap_or_default(),
                at.line,
                d.code,
                d.message
            )
        })
        .collect()
}

fn assert_clean(name: &str) {
    let findings = check_example(name);
    let serious: Vec<&String> = findings.iter().filter(|f| !f.starts_with("info")).collect();
    assert!(
        serious.is_empty(),
        "{name} has findings:\n{}",
        findings.join("\n")
    );
}

#[test]
fn webshop_is_clean() {
    assert_clean("webshop");
}

#[test]
fn municipality_is_clean() {
    assert_clean("municipality");
}

#[test]
fn clinic_is_clean() {
    assert_clean("clinic");
}

#[test]
fn every_example_directory_is_tested() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["clinic", "municipality", "webshop"]);
}
