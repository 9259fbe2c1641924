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
        text.starts_with("`role`: what the party is to you"),
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
