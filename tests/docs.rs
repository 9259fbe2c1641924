//! The documentation stands alone and stays true: the rule catalog in `docs/rules/README.md`
//! is the registry's, every flag of every command is documented in `docs/commands.md`, and the
//! shell's docs never point at a file users do not have.
//!
//! `LAWFUL_BLESS=1 cargo test --test docs` rewrites the catalog table after a rule change.

use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const BEGIN: &str = "<!-- catalog: generated from the registry by tests/docs.rs -->\n";
const END: &str = "<!-- end of catalog -->\n";

fn catalog_table() -> String {
    let mut table = String::from(
        "| code | name | default severity | article | checks |\n|---|---|---|---|---|\n",
    );
    for rule in lawful::registry::all() {
        table.push_str(&format!(
            "| [`{}`]({}.md) | `{}` | {} | {} | {} |\n",
            rule.code,
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.article,
            rule.summary.replace('|', "\\|")
        ));
    }
    table
}

#[test]
fn the_rule_catalog_lists_every_registered_rule() {
    let path = Path::new(ROOT).join("docs/rules/README.md");
    let text = std::fs::read_to_string(&path).expect("docs/rules/README.md");
    let (Some(start), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        panic!("docs/rules/README.md lacks the catalog markers");
    };
    let current = &text[start + BEGIN.len()..end];
    let expected = catalog_table();
    if current != expected {
        if std::env::var_os("LAWFUL_BLESS").is_some() {
            let updated = format!("{}{BEGIN}{expected}{}", &text[..start], &text[end..]);
            std::fs::write(&path, updated).unwrap();
            return;
        }
        panic!(
            "docs/rules/README.md is out of date with the registry; run \
             `LAWFUL_BLESS=1 cargo test --test docs`\nexpected:\n{expected}"
        );
    }
    // Every page linked from the table exists.
    for rule in lawful::registry::all() {
        let page = Path::new(ROOT).join(format!("docs/rules/{}.md", rule.code));
        assert!(page.is_file(), "{} has no page", rule.code);
    }
}

/// Every `--flag` in `lawful CMD --help` appears in docs/commands.md.
#[test]
fn every_command_and_flag_is_documented() {
    let docs = std::fs::read_to_string(Path::new(ROOT).join("docs/commands.md"))
        .expect("docs/commands.md");
    // The commands come from `lawful --help`, so a new command cannot go undocumented.
    let top = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .arg("--help")
        .output()
        .expect("lawful --help");
    let top = String::from_utf8_lossy(&top.stdout).into_owned();
    let commands: Vec<&str> = top
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|command| *command != "help")
        .collect();
    assert!(commands.contains(&"check"), "no commands found in:\n{top}");
    for command in commands {
        assert!(
            docs.contains(&format!("## `lawful {command}")),
            "docs/commands.md has no section for `lawful {command}`"
        );
        let help = Command::new(env!("CARGO_BIN_EXE_lawful"))
            .args([command, "--help"])
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&help.stdout);
        for word in help.split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']') {
            let flag: String = word
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if flag.starts_with("--") && flag.len() > 2 && flag != "--help" {
                assert!(
                    docs.contains(&format!("`{flag}")),
                    "`lawful {command} {flag}` is not documented in docs/commands.md"
                );
            }
        }
    }
}

/// The README and the shell's docs and sources never send a user to a file they do not have.
#[test]
fn no_pointer_to_the_specification() {
    let owned = [
        "README.md",
        "docs/json.md",
        "docs/commands.md",
        "docs/rules/README.md",
        "docs/language.md",
        "src/main.rs",
        "src/workspace.rs",
        "src/config.rs",
        "src/init/mod.rs",
        "src/diag/mod.rs",
        "src/diag/human.rs",
        "src/diag/json.rs",
        "src/diag/sarif.rs",
        "src/diag/github.rs",
        "src/diag/gitlab.rs",
        "src/registry/mod.rs",
    ];
    for file in owned {
        let text = std::fs::read_to_string(Path::new(ROOT).join(file)).unwrap();
        for needle in ["SPEC.md", "SPEC §", "SPEC)", "(SPEC"] {
            assert!(!text.contains(needle), "{file} mentions `{needle}`");
        }
    }
}

/// The finding on the README's first screen is the binary's real output on
/// `tests/readme_shop.lawful` (`LAWFUL_BLESS=1` rewrites it).
#[test]
fn the_readme_shows_real_output() {
    let dir = std::env::temp_dir().join(format!("lawful-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("shop")).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("tests/readme_shop.lawful"),
        dir.join("shop/shop.lawful"),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(["check", "shop", "--color", "never"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(output.status.code(), Some(1));
    let real = String::from_utf8_lossy(&output.stdout).into_owned();
    let path = Path::new(ROOT).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme
        .find("```text\n")
        .expect("a ```text block in the README")
        + 8;
    let end = start + readme[start..].find("```\n").expect("its end");
    if readme[start..end] != real {
        if std::env::var_os("LAWFUL_BLESS").is_some() {
            let updated = format!("{}{real}{}", &readme[..start], &readme[end..]);
            std::fs::write(&path, updated).unwrap();
            return;
        }
        panic!(
            "the README's finding is not the binary's output; run `LAWFUL_BLESS=1 cargo test --test docs`\n{real}"
        );
    }
    // It stays on the first screen.
    assert!(
        readme[..end].lines().count() < 45,
        "the finding moved below the first screen"
    );
}
