//! Handler tests: sources with a `|caret|` marker, checked through the editor functions of
//! `lawful::lsp::ide` on a snapshot made exactly as the server makes it (`lsp::core`).
#![cfg(feature = "lsp")]

use lawful::lsp::core::{self, Document, Snapshot};
use lawful::lsp::ide;
use lawful::source::{FileId, Span};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

const CARET: &str = "|caret|";

const CONTROLLER: &str = "controller example \"Example B.V.\" {
  country NL; contact \"privacy@example.nl\"; notice \"https://example.nl/privacy\"
  dpo \"dpo@example.nl\"
  measures access-control, encryption, https, logging
}
";

/// A workspace on disk from `files`; the one holding `|caret|` is also open as a buffer (with
/// the marker removed), as in the editor.
struct Case {
    dir: PathBuf,
    snapshot: Snapshot,
    file: FileId,
    offset: usize,
}

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn case(files: &[(&str, &str)]) -> Case {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("lawful-lsp-ide-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let dir = std::fs::canonicalize(dir).unwrap();
    std::fs::write(
        dir.join("lawful.toml"),
        "[workspace]\ntoday = \"2026-11-22\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("controller.lawful"), CONTROLLER).unwrap();
    let mut documents = HashMap::new();
    let mut caret = None;
    for (name, text) in files {
        let path = dir.join(name);
        match text.find(CARET) {
            Some(offset) => {
                let clean = text.replace(CARET, "");
                std::fs::write(&path, "# the buffer differs from the disk\n").unwrap();
                documents.insert(
                    path.clone(),
                    Document {
                        text: clean,
                        version: 7,
                    },
                );
                caret = Some((path, offset));
            }
            None => std::fs::write(&path, text).unwrap(),
        }
    }
    let disk = core::load_disk(&dir, true).unwrap();
    let snapshot = core::snapshot(&disk, &documents, &mut core::Engine::new(), 1);
    let (path, offset) = caret.expect("one file has a |caret|");
    let file = snapshot.file_of(&path).unwrap();
    Case {
        dir,
        snapshot,
        file,
        offset,
    }
}

fn text_of(case: &Case, span: Span) -> &str {
    &case.snapshot.sources.get(span.file).text[span.range()]
}

fn hover(files: &[(&str, &str)]) -> String {
    let case = case(files);
    ide::hover(&case.snapshot, case.file, case.offset)
        .map(|(text, _)| text)
        .unwrap_or_default()
}

#[test]
fn open_buffers_override_the_disk_and_carry_their_version() {
    let case = case(&[(
        "a.lawful",
        "party p|caret| { role processor; country NL }\n",
    )]);
    let source = case.snapshot.sources.get(case.file);
    assert!(source.text.starts_with("party p {"));
    assert_eq!(case.snapshot.versions[case.file.0 as usize], Some(7));
}

#[test]
fn hover_on_a_country_shows_its_adequacy_with_the_date() {
    let text = hover(&[(
        "a.lawful",
        "party p { role processor; country U|caret|S }\n",
    )]);
    assert!(text.starts_with("country `US` \"United States\""), "{text}");
    assert!(
        text.contains("partial adequacy (dpf) since 2023-07-10"),
        "{text}"
    );
    assert!(
        text.contains("from the standard library (facts checked"),
        "{text}"
    );
    let text = hover(&[(
        "a.lawful",
        "party p { role processor; country |caret|DE }\n",
    )]);
    assert!(text.contains("\n\nEEA"), "{text}");
    let text = hover(&[(
        "a.lawful",
        "party p { role processor; country CH|caret| }\n",
    )]);
    assert!(
        text.contains("adequacy decision since 2000-07-26"),
        "{text}"
    );
}

#[test]
fn hover_on_a_party_reference_shows_role_country_and_agreement() {
    let text = hover(&[
        (
            "parties.lawful",
            "party host \"Host B.V.\" { role processor; country NL; certified iso27001 }\n",
        ),
        (
            "systems.lawful",
            "system web \"Web\" { hosted-by ho|caret|st }\n",
        ),
    ]);
    assert_eq!(
        text,
        "party `host` \"Host B.V.\"\n\nrole: processor\n\ncountry: NL (EEA)\n\nno agreement\n\ncertified: iso27001"
    );
}

#[test]
fn hover_on_a_key_and_on_nothing() {
    let text = hover(&[(
        "a.lawful",
        "party p { ro|caret|le processor; country NL }\n",
    )]);
    assert!(
        text.starts_with("`role` — at most once; required (E007): `processor`"),
        "{text}"
    );
    let text = hover(&[(
        "a.lawful",
        "party p { role processor; country NL }|caret|\n",
    )]);
    assert_eq!(text, "");
}

#[test]
fn definition_goes_into_the_stdlib_and_references_come_back() {
    let case = case(&[(
        "a.lawful",
        "activity a { purpose direct-m|caret|arketing; basis consent; subjects customers; data email }\n",
    )]);
    let span = ide::definition(&case.snapshot, case.file, case.offset).unwrap();
    assert_eq!(
        case.snapshot.sources.get(span.file).path,
        "<stdlib>/purposes.lawful"
    );
    assert_eq!(text_of(&case, span), "direct-marketing");
    let refs = ide::references(&case.snapshot, case.file, case.offset, false);
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].file, case.file);
}

#[test]
fn rename_is_refused_for_stdlib_names_unknown_names_and_clashes() {
    let stdlib = case(&[(
        "a.lawful",
        "party p { role processor; country N|caret|L }\nparty q { role processor; country NL }\n",
    )]);
    assert_eq!(
        ide::prepare_rename(&stdlib.snapshot, stdlib.file, stdlib.offset),
        Err("country `NL` belongs to the standard library and cannot be renamed; declare a country of your own instead".to_string())
    );
    let case2 = case_with_two_parties();
    assert_eq!(
        ide::rename(&case2.snapshot, case2.file, case2.offset, "q"),
        Err("party `q` is already declared; choose another name".to_string())
    );
    assert_eq!(
        ide::rename(&case2.snapshot, case2.file, case2.offset, "2bad"),
        Err("`2bad` is not a valid name: a name starts with a letter or `_`".to_string())
    );
    let spans = ide::rename(&case2.snapshot, case2.file, case2.offset, "host").unwrap();
    let texts: Vec<(&str, &str)> = spans
        .iter()
        .map(|e| (text_of(&case2, e.span), e.new_text.as_str()))
        .collect();
    assert_eq!(texts, [("p", "host"), ("p", "host")]);
    let undeclared = case(&[("a.lawful", "system web { hosted-by nob|caret|ody }\n")]);
    assert_eq!(
        ide::prepare_rename(&undeclared.snapshot, undeclared.file, undeclared.offset),
        Err("there is no declaration or reference here to rename".to_string())
    );
}

fn case_with_two_parties() -> Case {
    case(&[(
        "a.lawful",
        "party |caret|p { role processor; country NL }\nparty q { role processor; country NL }\nsystem web { hosted-by p }\n",
    )])
}

#[test]
fn highlights_mark_the_declaration_as_the_write() {
    let case = case_with_two_parties();
    let found = ide::highlights(&case.snapshot, case.file, case.offset);
    let marks: Vec<(u32, bool)> = found.iter().map(|(s, w)| (s.start, *w)).collect();
    let text = &case.snapshot.sources.get(case.file).text;
    let use_at = text.rfind(" p").unwrap() as u32 + 1;
    assert_eq!(marks, [(6, true), (use_at, false)]);
}

#[test]
fn range_formatting_touches_only_the_declarations_in_the_range() {
    let case = case(&[(
        "a.lawful",
        "party  p {role processor\n country NL}\n\nparty  q|caret| {role processor\n country NL}\n",
    )]);
    let q = case.offset;
    let (range, text) = ide::format_range(&case.snapshot, case.file, q..q)
        .unwrap()
        .unwrap();
    let source = &case.snapshot.sources.get(case.file).text;
    assert_eq!(range.start, source.rfind("party").unwrap());
    assert_eq!(text, "party q {\n  role processor\n  country NL\n}");
    let whole = ide::format_document(&case.snapshot, case.file)
        .unwrap()
        .unwrap();
    assert!(whole.starts_with("party p {\n"), "{whole}");
}

#[test]
fn links_are_the_urls_inside_strings() {
    let case = case(&[(
        "a.lawful",
        "party p|caret| { role processor; country NL; contact \"see https://p.example/a, or http://p.example/b.\" }\n",
    )]);
    let links = ide::links(&case.snapshot, case.file);
    let urls: Vec<&str> = links.iter().map(|(_, _, u)| u.as_str()).collect();
    assert_eq!(urls, ["https://p.example/a", "http://p.example/b"]);
    let source = &case.snapshot.sources.get(case.file).text;
    assert_eq!(&source[links[0].0..links[0].1], "https://p.example/a");
}

#[test]
fn the_outline_nests_blocks_and_semantic_tokens_classify_words() {
    let case = case(&[(
        "a.lawful",
        "# notes\n# more notes\nactivity a|caret| {\n  purpose billing\n  basis contract { contract \"terms\" }\n  subjects customers; data email\n}\n",
    )]);
    let outline = ide::outline(&case.snapshot, case.file);
    assert_eq!(outline.len(), 1);
    assert_eq!(outline[0].name, "a");
    assert_eq!(outline[0].children[0].name, "basis");
    assert_eq!(outline[0].children[0].detail.as_deref(), Some("contract"));
    let source = &case.snapshot.sources.get(case.file).text;
    let classes: Vec<(&str, &str)> = ide::semantic_tokens(&case.snapshot, case.file)
        .into_iter()
        .map(|(s, e, c)| (&source[s..e], ide::TOKEN_TYPES[c as usize]))
        .collect();
    assert_eq!(
        &classes[..8],
        &[
            ("# notes", "comment"),
            ("# more notes", "comment"),
            ("activity", "keyword"),
            ("a", "type"),
            ("purpose", "property"),
            ("billing", "variable"),
            ("basis", "property"),
            ("contract", "enumMember"),
        ]
    );
    let folds = ide::folding_ranges(&case.snapshot, case.file);
    assert!(folds.contains(&(0, 20, true)), "{folds:?}");
}

// ---- completion, code actions, inlay hints, code lenses (`lawful::lsp::assist`) ----

use lawful::lsp::assist::{self, ItemKind};

const ACTIVITY_HEAD: &str = "activity newsletter \"Newsletter\" {\n  purpose direct-marketing\n  basis consent { evidence \"consent-log\"; notice \"https://example.nl/privacy\" }\n  subjects customers\n  data email\n  retention 2 years after last-contact\n";

fn labels(case: &Case) -> Vec<(String, ItemKind)> {
    assist::completions(&case.snapshot, case.file, case.offset)
        .into_iter()
        .map(|i| (i.label, i.kind))
        .collect()
}

#[test]
fn completion_offers_the_keys_of_the_block_but_not_written_once_keys() {
    let text = format!("{ACTIVITY_HEAD}  |caret|\n}}\n");
    let case = case(&[("a.lawful", &text)]);
    let items = assist::completions(&case.snapshot, case.file, case.offset);
    let keys: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
    assert!(keys.contains(&"recipient"), "{keys:?}");
    assert!(keys.contains(&"data"), "repeatable keys stay: {keys:?}");
    assert!(!keys.contains(&"purpose"), "written once already: {keys:?}");
    assert!(
        !keys.contains(&"retention"),
        "written once already: {keys:?}"
    );
    let recipient = items.iter().find(|i| i.label == "recipient").unwrap();
    assert_eq!(recipient.kind, ItemKind::Key);
    assert!(
        recipient
            .documentation
            .starts_with("`recipient` — repeatable"),
        "{}",
        recipient.documentation
    );
}

#[test]
fn completion_in_a_basis_block_offers_that_basis_keys() {
    let case = case(&[(
        "a.lawful",
        "activity a {\n  basis consent {\n    |caret|\n  }\n}\n",
    )]);
    let keys: Vec<String> = labels(&case).into_iter().map(|(l, _)| l).collect();
    assert!(keys.contains(&"evidence".to_string()), "{keys:?}");
    assert!(!keys.contains(&"recipient".to_string()), "{keys:?}");
}

#[test]
fn completion_of_a_reference_offers_names_of_that_kind_workspace_first() {
    let text = format!(
        "party mailco {{ role processor; country US }}\n{ACTIVITY_HEAD}  recipient |caret|\n}}\n"
    );
    let case = case(&[("a.lawful", &text)]);
    let items = labels(&case);
    assert_eq!(
        items.first(),
        Some(&(
            "mailco".to_string(),
            ItemKind::Name(lawful::syntax::ast::Kind::Party)
        ))
    );
    assert!(
        items
            .iter()
            .all(|(_, k)| *k == ItemKind::Name(lawful::syntax::ast::Kind::Party))
    );
    // Countries come from the stdlib.
    let case = case_countries();
    let items = labels(&case);
    assert!(items.iter().any(|(l, _)| l == "US"), "{items:?}");
    assert!(items.iter().any(|(l, _)| l == "NL"), "{items:?}");
}

fn case_countries() -> Case {
    case(&[("a.lawful", "party p { role processor; country |caret| }\n")])
}

#[test]
fn completion_of_an_enumeration_and_of_allow() {
    let case1 = case(&[("a.lawful", "party p { role |caret| }\n")]);
    let words: Vec<String> = labels(&case1).into_iter().map(|(l, _)| l).collect();
    assert!(words.contains(&"processor".to_string()), "{words:?}");
    assert!(words.contains(&"joint-controller".to_string()), "{words:?}");
    let case2 = case(&[("a.lawful", "party p { role processor; allow |caret| }\n")]);
    let items = assist::completions(&case2.snapshot, case2.file, case2.offset);
    let b001 = items
        .iter()
        .find(|i| i.label == "B001")
        .expect("rule codes");
    assert_eq!(b001.kind, ItemKind::Rule);
    assert_eq!(b001.insert, "B001 \"$1\"");
}

#[test]
fn completion_at_top_level_offers_declaration_snippets_with_required_keys() {
    let case = case(&[("a.lawful", "|caret|\n")]);
    let items = assist::completions(&case.snapshot, case.file, case.offset);
    let party = items.iter().find(|i| i.label == "party").unwrap();
    assert_eq!(party.kind, ItemKind::Snippet);
    assert!(
        party.insert.starts_with("party ${1:name} {\n"),
        "{}",
        party.insert
    );
    assert!(party.insert.contains("  role $2\n"), "{}", party.insert);
    assert_eq!(items.len(), 9);
}

#[test]
fn hover_on_a_key_shows_the_schema_doc() {
    let text = hover(&[(
        "a.lawful",
        "party p { ro|caret|le processor; country NL }\n",
    )]);
    assert!(
        text.starts_with("`role` — at most once; required (E007): "),
        "{text}"
    );
}

/// The text after applying the edits of `action` to the caret's file.
fn applied(case: &Case, edits: &[lawful::diag::Edit]) -> String {
    let text = &case.snapshot.sources.get(case.file).text;
    let edits: Vec<&lawful::diag::Edit> = edits.iter().collect();
    lawful::fixes::apply(text, &edits).unwrap()
}

#[test]
fn a_quick_fix_applied_gives_clean_text_and_allow_is_offered() {
    let text = format!(
        "{ACTIVITY_HEAD}  recipient mailc|caret|\n}}\nparty mailco {{ role processor; country NL; agreement {{ signed 2025-01-01 }} }}\n"
    );
    let case = case(&[("a.lawful", &text)]);
    let actions = assist::code_actions(&case.snapshot, case.file, case.offset, case.offset);
    let fix = actions
        .iter()
        .find(|a| a.preferred)
        .unwrap_or_else(|| panic!("a preferred fix: {actions:?}"));
    assert_eq!(fix.diagnostic.map(|d| d.code), Some("E004"));
    let fixed = applied(&case, &fix.edits);
    assert!(fixed.contains("  recipient mailco\n}"), "{fixed}");
    let again = case_plain(&fixed);
    assert!(
        !again
            .snapshot
            .analysis
            .diagnostics
            .iter()
            .any(|d| d.code == "E004"),
        "{:?}",
        again.snapshot.analysis.diagnostics
    );
    let allow = actions
        .iter()
        .find(|a| a.title.starts_with("allow `E004`") || a.title.starts_with("allow"))
        .map(|a| a.title.clone());
    // E004 is structural: `allow` cannot silence it, so no allow action for it.
    assert_eq!(allow, None, "{actions:?}");
}

fn case_plain(text: &str) -> Case {
    let with_caret = format!("|caret|{text}");
    case(&[("a.lawful", &with_caret)])
}

#[test]
fn allow_is_offered_for_a_rule_finding() {
    let text = "activity a|caret| \"A\" {\n  purpose direct-marketing\n  subjects customers\n  data email\n  retention 1 years\n}\n";
    let case = case(&[("a.lawful", text)]);
    let actions = assist::code_actions(&case.snapshot, case.file, 0, text.len());
    let allow = actions
        .iter()
        .find(|a| a.title.starts_with("allow `B001`"))
        .unwrap_or_else(|| panic!("{actions:?}"));
    let fixed = applied(&case, &allow.edits);
    assert!(fixed.contains("allow B001 \"…\""), "{fixed}");
    let again = case_plain(&fixed);
    assert!(
        !again
            .snapshot
            .analysis
            .diagnostics
            .iter()
            .any(|d| d.code == "B001"),
        "{:?}",
        again.snapshot.analysis.diagnostics
    );
}

#[test]
fn fix_all_applies_every_safe_fix_of_the_file() {
    let text =
        "party p|caret| { role procesor; country NL }\nparty q { role procesor; country NL }\n";
    let case = case(&[("a.lawful", text)]);
    let all = assist::fix_all(&case.snapshot, case.file).expect("safe fixes");
    assert_eq!(all.edits.len(), 2);
    let fixed = applied(&case, &all.edits);
    assert_eq!(
        fixed,
        "party p { role processor; country NL }\nparty q { role processor; country NL }\n"
    );
}

#[test]
fn inlay_hints_show_the_transfer_facts_and_the_country_status() {
    let text = format!(
        "party mailco {{ role processor; country US; certified dpf; agreement {{ signed 2025-01-01 }} }}\n{ACTIVITY_HEAD}  recipient mailco|caret|\n}}\n"
    );
    let case = case(&[("a.lawful", &text)]);
    let hints = assist::inlay_hints(&case.snapshot, case.file);
    let source = &case.snapshot.sources.get(case.file).text;
    let shown: Vec<(String, &str)> = hints
        .iter()
        .map(|h| {
            let line_start = source[..h.at].rfind('\n').map_or(0, |i| i + 1);
            (
                source[line_start..h.at].trim().to_string(),
                h.label.as_str(),
            )
        })
        .collect();
    assert!(
        shown.contains(&(
            "recipient mailco".to_string(),
            "US · DPF · processor · agreement ok"
        )),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|(before, label)| before.ends_with("country US")
                && *label == "partial adequacy (dpf) since 2023-07-10"),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|(before, label)| before == "basis consent" && label.starts_with("rights: ")),
        "{shown:?}"
    );
}

#[test]
fn code_lenses_on_an_activity_and_a_breach() {
    let text = format!(
        "{ACTIVITY_HEAD}|caret|}}\nbreach leak {{\n  discovered 2026-11-20T10:00+01:00\n  affects newsletter\n  data email\n  subjects customers\n  subjects-affected 5000\n}}\n"
    );
    let case = case(&[("a.lawful", &text)]);
    let lenses = assist::code_lenses(&case.snapshot, case.file);
    let titles: Vec<&str> = lenses.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(
        titles[0].contains("0 transfers outside the EEA"),
        "{titles:?}"
    );
    assert!(
        titles[1].starts_with("notify the authority by 2026-11-23T10:00+01:00"),
        "{titles:?}"
    );
}

#[test]
fn a_run_parses_only_the_files_whose_text_changed() {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "lawful-lsp-engine-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let dir = std::fs::canonicalize(dir).unwrap();
    std::fs::write(
        dir.join("lawful.toml"),
        "[workspace]\ntoday = \"2026-11-22\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("controller.lawful"), CONTROLLER).unwrap();
    for i in 0..5 {
        std::fs::write(
            dir.join(format!("p{i}.lawful")),
            format!("party p{i} {{ role processor; country NL }}\n"),
        )
        .unwrap();
    }
    let disk = core::load_disk(&dir, true).unwrap();
    let mut engine = core::Engine::new();
    let mut documents = HashMap::new();
    let first = core::snapshot(&disk, &documents, &mut engine, 1);
    assert_eq!(engine.parses(), 6);
    let p3 = dir.join("p3.lawful");
    let id = first.file_of(&p3).unwrap();
    // The same state again: nothing parsed.
    core::snapshot(&disk, &documents, &mut engine, 2);
    assert_eq!(engine.parses(), 6);
    // One buffer edited: one file parsed, and it keeps its id.
    documents.insert(
        p3.clone(),
        Document {
            text: "party p3 { role processor; country CN }\n".to_string(),
            version: 2,
        },
    );
    let second = core::snapshot(&disk, &documents, &mut engine, 3);
    assert_eq!(engine.parses(), 7);
    assert_eq!(second.file_of(&p3), Some(id));
    assert!(second.sources.get(id).text.contains("CN"));
    assert_eq!(second.versions[id.0 as usize], Some(2));
    // Closed again: back to the disk's text, one more parse.
    documents.clear();
    let third = core::snapshot(&disk, &documents, &mut engine, 4);
    assert_eq!(engine.parses(), 8);
    assert!(third.sources.get(id).text.contains("NL"));
    let _ = std::fs::remove_dir_all(&dir);
}
