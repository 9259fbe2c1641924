//! `lawful init` writes a workspace that checks clean, and never overwrites one.

use std::process::Command;

fn lawful(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn init_writes_a_clean_workspace_and_refuses_to_overwrite() {
    let dir = std::env::temp_dir().join(format!("lawful-init-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    let path = dir.to_str().unwrap();

    let (code, out, _) = lawful(&["init", path]);
    assert_eq!(code, 0);
    assert!(
        out.contains("lawful.toml") && out.contains("organisation.lawful"),
        "{out}"
    );

    let (code, out, _) = lawful(&["check", path, "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["errors"], 0, "{out}");
    assert_eq!(json["summary"]["warnings"], 0, "{out}");
    assert_eq!(json["summary"]["files"], 1);

    let before = std::fs::read_to_string(dir.join("lawful.toml")).unwrap();
    let (code, _, err) = lawful(&["init", path]);
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("lawful.toml")).unwrap(),
        before
    );
    std::fs::remove_dir_all(&dir).ok();
}
