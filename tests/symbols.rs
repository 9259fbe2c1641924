//! Resolved symbols and the editor queries over them: definition, references, `node_at`,
//! rename. Snippets mark positions with `<|>`; [`Workspace::new`] strips the markers and keeps
//! their offsets.

mod support;

use lawful::ide::{
    self, DeclId, File, Node, NodeAt, RenameError, Resolution, ValueRole, node_at, rename_edits,
};
use lawful::source::{FileId, Sources, Span};
use lawful::syntax::ast::Kind;
use lawful::syntax::{self, Parsed, lossless::Tokens};
use lawful::{Analysis, stdlib};

const CARET: &str = "<|>";

/// `text` without its `<|>` markers, and the offset of each.
fn strip_carets(text: &str) -> (String, Vec<usize>) {
    let mut out = String::new();
    let mut carets = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(CARET) {
        out.push_str(&rest[..at]);
        carets.push(out.len());
        rest = &rest[at + CARET.len()..];
    }
    out.push_str(rest);
    (out, carets)
}

struct Workspace {
    sources: Sources,
    analysis: Analysis,
    /// Per user file, in order: its tree, tokens and the carets it had.
    files: Vec<(Parsed, Tokens, Vec<usize>)>,
}

impl Workspace {
    /// The files (with `<|>` markers) and the stdlib, analysed; user file `i` is `FileId(i)`.
    fn new(files: &[(&str, &str)]) -> Workspace {
        let stripped: Vec<(String, Vec<usize>)> =
            files.iter().map(|(_, text)| strip_carets(text)).collect();
        let plain: Vec<(&str, &str)> = files
            .iter()
            .zip(&stripped)
            .map(|((path, _), (text, _))| (*path, text.as_str()))
            .collect();
        let (sources, analysis) = support::check_files(&plain);
        let files = stripped
            .into_iter()
            .enumerate()
            .map(|(i, (text, carets))| {
                let id = FileId(i as u32);
                assert_eq!(sources.get(id).text, text);
                (syntax::parse(id, &text), Tokens::new(&text), carets)
            })
            .collect();
        Workspace {
            sources,
            analysis,
            files,
        }
    }

    fn caret(&self, file: usize, n: usize) -> usize {
        self.files[file].2[n]
    }

    fn node(&self, file: usize, offset: usize) -> NodeAt {
        let (parsed, tokens, _) = &self.files[file];
        let id = FileId(file as u32);
        let view = File {
            id,
            text: &self.sources.get(id).text,
            decls: &parsed.decls,
            tokens,
        };
        node_at(view, &self.analysis.model.symbols, offset)
    }

    fn node_at_caret(&self, file: usize, n: usize) -> NodeAt {
        self.node(file, self.caret(file, n))
    }

    /// `path:line:column-column` of a span (1-based), and the text it covers.
    fn show(&self, span: Span) -> String {
        let file = self.sources.get(span.file);
        let start = file.lines.line_col(&file.text, span.start as usize);
        let end = file.lines.line_col(&file.text, span.end as usize);
        format!(
            "{}:{}:{}-{} `{}`",
            file.path,
            start.line,
            start.column,
            end.column,
            &file.text[span.range()]
        )
    }

    fn decl(&self, kind: Kind, name: &str) -> DeclId {
        self.analysis.model.decl_id(kind, name).unwrap()
    }

    fn codes(&self) -> Vec<&str> {
        self.analysis.diagnostics.iter().map(|d| d.code).collect()
    }
}

const PARTIES: &str = "\
party mailer \"Mailer B.V.\" {
  role processor
  country NL
  agreement { signed 2026-01-10 }
}
";

const ACTIVITIES: &str = "\
activity newsletter \"Newsletter\" {
  purpose direct-marketing
  basis consent { evidence \"log\"; notice \"form v1\" }
  subjects subscribers
  data name, email
  retention until-withdrawn
  recipient mai<|>ler {
    data email
    transfer scc {
      <|>
    }
  }
  allow B<|>005 \"balancing test in LIA-7\"

  reuses signup
}

activity signup \"Sign-up\" {
  purpose contract-performance
  basis contract { contract \"terms\" }
  subjects subscribers
  data email
  retention 2 years
  recipient mailer
}
";

fn shop() -> Workspace {
    Workspace::new(&[
        ("activities.lawful", ACTIVITIES),
        ("parties.lawful", PARTIES),
        (
            "subjects.lawful",
            "subjects subscribers \"Subscribers\" {}\n",
        ),
    ])
}

#[test]
fn carets_are_stripped_and_their_offsets_kept() {
    let (text, carets) = strip_carets("ab<|>c\n<|>d");
    assert_eq!(text, "abc\nd");
    assert_eq!(carets, [2, 4]);
}

#[test]
fn definition_of_a_recipient_is_its_party_in_another_file() {
    let ws = shop();
    let symbols = &ws.analysis.model.symbols;
    let at = ws.caret(0, 0);
    let target = symbols.definition(FileId(0), at).unwrap();
    assert_eq!(target, ws.decl(Kind::Party, "mailer"));
    let entry = symbols.declaration(target).unwrap();
    assert_eq!(ws.show(entry.name_span), "parties.lawful:1:7-13 `mailer`");
    // The reference itself, with its span and how it resolved.
    let reference = symbols.reference_at(FileId(0), at).unwrap();
    assert_eq!(
        ws.show(reference.span),
        "activities.lawful:7:13-19 `mailer`"
    );
    assert_eq!(reference.kind, Kind::Party);
    assert_eq!(reference.resolution, Resolution::Exact);
    assert_eq!(symbols.names.text(reference.written), "mailer");
    // On the declaration's own name, definition is the declaration.
    assert_eq!(
        symbols.definition(FileId(1), entry.name_span.start as usize + 2),
        Some(target)
    );
    // Between tokens there is nothing to go to.
    assert_eq!(symbols.definition(FileId(0), at - 4), None);
}

#[test]
fn definition_reaches_the_standard_library() {
    let ws = shop();
    let symbols = &ws.analysis.model.symbols;
    let text = &ws.sources.get(FileId(1)).text;
    let at = text.find("country NL").unwrap() + "country N".len();
    let target = symbols.definition(FileId(1), at).unwrap();
    assert_eq!(target, ws.decl(Kind::Country, "NL"));
    let entry = symbols.declaration(target).unwrap();
    assert!(entry.from_stdlib);
    assert!(symbols.is_stdlib_file(entry.name_span.file));
    assert_eq!(
        ws.show(entry.name_span),
        format!(
            "<stdlib>/countries.lawful:{}:9-11 `NL`",
            1 + stdlib_line("countries.lawful", "country NL ")
        )
    );
}

/// 0-based line of the first line of an embedded stdlib file starting with `prefix`.
fn stdlib_line(file: &str, prefix: &str) -> usize {
    let mut sources = Sources::new();
    stdlib::add_to(&mut sources);
    let (_, f) = sources
        .iter()
        .find(|(_, f)| f.path.ends_with(file))
        .unwrap();
    f.text.lines().position(|l| l.starts_with(prefix)).unwrap()
}

#[test]
fn references_of_a_party_span_two_files() {
    let ws = shop();
    let symbols = &ws.analysis.model.symbols;
    let mailer = ws.decl(Kind::Party, "mailer");
    let got: Vec<String> = symbols
        .references(mailer)
        .map(|r| ws.show(r.span))
        .collect();
    assert_eq!(
        got,
        [
            "activities.lawful:7:13-19 `mailer`",
            "activities.lawful:24:13-19 `mailer`",
        ]
    );
    // With the declaration, in file order: what document highlight shows.
    let all: Vec<String> = symbols
        .occurrences(mailer)
        .into_iter()
        .map(|s| ws.show(s))
        .collect();
    assert_eq!(
        all,
        [
            "activities.lawful:7:13-19 `mailer`",
            "activities.lawful:24:13-19 `mailer`",
            "parties.lawful:1:7-13 `mailer`",
        ]
    );
    // `subscribers` is referenced from both activities, declared in a third file.
    let customers = ws.decl(Kind::Subjects, "subscribers");
    let lines: Vec<String> = symbols
        .references(customers)
        .map(|r| ws.show(r.span))
        .collect();
    assert_eq!(
        lines,
        [
            "activities.lawful:4:12-23 `subscribers`",
            "activities.lawful:21:12-23 `subscribers`",
        ]
    );
}

#[test]
fn every_reference_is_resolved_once() {
    let ws = shop();
    let symbols = &ws.analysis.model.symbols;
    let spans: Vec<Span> = symbols.all_references().iter().map(|r| r.span).collect();
    let mut sorted = spans.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(spans, sorted, "sorted by position, no reference twice");
    let user: Vec<String> = symbols
        .all_references()
        .iter()
        .filter(|r| r.span.file == FileId(0))
        .map(|r| {
            format!(
                "{} {}",
                r.kind,
                &ws.sources.get(FileId(0)).text[r.span.range()]
            )
        })
        .collect();
    assert_eq!(
        user,
        [
            "purpose direct-marketing",
            "subjects subscribers",
            "data name",
            "data email",
            "party mailer",
            "data email",
            "activity signup",
            "purpose contract-performance",
            "subjects subscribers",
            "data email",
            "party mailer",
        ]
    );
    assert!(
        symbols
            .all_references()
            .iter()
            .all(|r| r.resolution == Resolution::Exact && r.target().is_some())
    );
}

#[test]
fn node_at_a_key() {
    let ws = shop();
    let text = &ws.sources.get(FileId(0)).text;
    let at = text.find("retention until").unwrap() + 3;
    let node = ws.node(0, at);
    assert_eq!(node.node, Node::Key);
    let decl = node.decl.as_ref().unwrap();
    assert_eq!(
        (decl.kind, decl.name.as_str(), decl.index),
        (Kind::Activity, "newsletter", 0)
    );
    assert_eq!(
        ws.show(decl.name_span),
        "activities.lawful:1:10-20 `newsletter`"
    );
    let stmt = node.stmt.as_ref().unwrap();
    assert_eq!(stmt.key, "retention");
    assert_eq!(
        ws.show(stmt.key_span),
        "activities.lawful:6:3-12 `retention`"
    );
    assert_eq!(
        ws.show(stmt.span),
        "activities.lawful:6:3-28 `retention until-withdrawn`"
    );
    assert_eq!(node.path(), "activity");
}

#[test]
fn node_at_a_reference_value() {
    let ws = shop();
    let node = ws.node_at_caret(0, 0);
    let Node::Value(value) = &node.node else {
        panic!("{node:?}");
    };
    assert_eq!((value.index, value.item), (0, 0));
    assert_eq!(ws.show(value.span), "activities.lawful:7:13-19 `mailer`");
    assert_eq!(
        value.role,
        ValueRole::Reference {
            kind: Kind::Party,
            target: Some(ws.decl(Kind::Party, "mailer")),
            resolution: Resolution::Exact,
        }
    );
    assert_eq!(node.stmt.as_ref().unwrap().key, "recipient");
    // The statement with a block runs to its `}`.
    assert_eq!(
        ws.show(node.stmt.as_ref().unwrap().span).lines().next(),
        Some("activities.lawful:7:3-4 `recipient mailer {")
    );
    assert!(node.blocks.is_empty());

    // The second item of a list, and a duration.
    let text = &ws.sources.get(FileId(0)).text;
    let node = ws.node(0, text.find("email\n").unwrap());
    let Node::Value(value) = &node.node else {
        panic!("{node:?}");
    };
    assert_eq!((value.index, value.item), (1, 1));
    assert!(matches!(
        value.role,
        ValueRole::Reference {
            kind: Kind::Data,
            ..
        }
    ));
    let node = ws.node(0, text.find("2 years").unwrap() + 1);
    assert!(matches!(
        node.node,
        Node::Value(ide::ValueAt {
            role: ValueRole::Duration,
            ..
        })
    ));
    // An enumeration word and a string.
    let node = ws.node(0, text.find("until-withdrawn").unwrap());
    assert!(matches!(
        node.node,
        Node::Value(ide::ValueAt {
            role: ValueRole::Word,
            ..
        })
    ));
    let node = ws.node(0, text.find("\"log\"").unwrap() + 2);
    assert!(matches!(
        node.node,
        Node::Value(ide::ValueAt {
            role: ValueRole::Str,
            ..
        })
    ));
    assert_eq!(node.path(), "activity › basis");
}

#[test]
fn node_at_an_empty_line_inside_a_nested_block() {
    let ws = shop();
    let node = ws.node_at_caret(0, 1);
    assert_eq!(node.node, Node::Block);
    assert_eq!(node.block_path(), ["recipient", "transfer"]);
    assert_eq!(node.path(), "activity › recipient › transfer");
    assert_eq!(node.stmt, None);
    let transfer = &node.blocks[1];
    assert_eq!(
        ws.show(transfer.key_span),
        "activities.lawful:9:5-13 `transfer`"
    );
    assert_eq!(
        ws.show(transfer.block.unwrap()).lines().next(),
        Some("activities.lawful:9:18-6 `{")
    );
    // The start of that line, before its indentation, is in the same block.
    let text = &ws.sources.get(FileId(0)).text;
    let line_start = text[..ws.caret(0, 1)].rfind('\n').unwrap() + 1;
    assert_eq!(
        ws.node(0, line_start).path(),
        "activity › recipient › transfer"
    );
    // The blank line between `allow` and `reuses` is the declaration's own block.
    let blank = text.find("\n\n  reuses").unwrap() + 1;
    let node = ws.node(0, blank);
    assert_eq!(
        (node.node.clone(), node.path()),
        (Node::Block, "activity".to_string())
    );
    // Between the declarations: top level.
    let between = text.find("}\n\nactivity signup").unwrap() + 2;
    let node = ws.node(0, between);
    assert_eq!((node.node, node.decl), (Node::TopLevel, None));
}

#[test]
fn node_at_a_nested_block_key() {
    let ws = shop();
    let text = &ws.sources.get(FileId(0)).text;
    let at = text.find("transfer scc").unwrap() + 2;
    let node = ws.node(0, at);
    assert_eq!(node.node, Node::Key);
    assert_eq!(node.block_path(), ["recipient"]);
    assert_eq!(node.stmt.as_ref().unwrap().key, "transfer");
    assert_eq!(
        ws.show(node.blocks[0].key_span),
        "activities.lawful:7:3-12 `recipient`"
    );
    // `data` inside the recipient block is another `data` than the activity's.
    let at = text.find("    data email").unwrap() + 5;
    let node = ws.node(0, at);
    assert_eq!(
        (node.node.clone(), node.path()),
        (Node::Key, "activity › recipient".to_string())
    );
    // The mechanism word after the nested key.
    let node = ws.node(0, text.find("scc").unwrap() + 3);
    assert!(matches!(
        node.node,
        Node::Value(ide::ValueAt {
            role: ValueRole::Word,
            index: 0,
            ..
        })
    ));
}

#[test]
fn node_at_a_rule_code_in_allow() {
    let ws = shop();
    let node = ws.node_at_caret(0, 2);
    let Node::Value(value) = &node.node else {
        panic!("{node:?}");
    };
    assert_eq!(value.role, ValueRole::RuleCode);
    assert_eq!(ws.show(value.span), "activities.lawful:13:9-13 `B005`");
    assert_eq!(node.stmt.as_ref().unwrap().key, "allow");
    // Its reason is a string.
    let text = &ws.sources.get(FileId(0)).text;
    let node = ws.node(0, text.find("\"balancing").unwrap() + 1);
    assert!(matches!(
        node.node,
        Node::Value(ide::ValueAt {
            role: ValueRole::Str,
            index: 1,
            ..
        })
    ));
}

#[test]
fn node_at_places_where_a_value_goes_and_in_comments() {
    let src = "\
activity a {
  purpose statistics # why <|>
  recipient <|>
  subjects <|>customers
  data email, <|>
}
<|>";
    let ws = Workspace::new(&[("a.lawful", src)]);
    // Inside a comment.
    assert_eq!(ws.node_at_caret(0, 0).node, Node::Comment);
    // After a key with no value yet.
    let node = ws.node_at_caret(0, 1);
    assert_eq!(node.node, Node::Slot { index: 0 });
    let stmt = node.stmt.unwrap();
    assert_eq!((stmt.key.as_str(), stmt.from_tokens), ("recipient", false));
    // After a comma: the parser could not read the statement (E001); its line still tells.
    let node = ws.node_at_caret(0, 3);
    assert_eq!(node.node, Node::Slot { index: 1 });
    let stmt = node.stmt.unwrap();
    assert_eq!((stmt.key.as_str(), stmt.from_tokens), ("data", true));
    assert_eq!(ws.show(stmt.span), "a.lawful:5:3-13 `data email`");
    assert!(ws.codes().contains(&"E001"));
    // Just before a value: on it.
    let node = ws.node_at_caret(0, 2);
    let customers = ws.decl(Kind::Subjects, "customers");
    assert!(matches!(
        node.node,
        Node::Value(ide::ValueAt {
            role: ValueRole::Reference {
                kind: Kind::Subjects,
                target: Some(target),
                resolution: Resolution::Exact,
            },
            ..
        }) if target == customers
    ));
    // After the last declaration.
    assert_eq!(ws.node_at_caret(0, 4).node, Node::TopLevel);
}

#[test]
fn node_at_a_declaration_header() {
    let ws = shop();
    let text = &ws.sources.get(FileId(0)).text;
    assert_eq!(ws.node(0, 0).node, Node::Keyword);
    assert_eq!(ws.node(0, 12).node, Node::DeclName);
    assert_eq!(
        ws.node(0, text.find("\"Newsletter\"").unwrap() + 1).node,
        Node::Title
    );
    assert_eq!(
        ws.node(0, text.find(" {\n").unwrap() + 1).node,
        Node::Header
    );
}

const TYPO: &str = "\
activity newsletter {
  purpose direct-marketing
  basis consent { evidence \"log\"; notice \"form v1\" }
  subjects customers
  data email
  retention until-withdrawn
  recipient mailr
}
party mailer \"Mailer B.V.\" {
  role processor
  country NL
  agreement { signed 2026-01-10 }
}
";

#[test]
fn a_followed_suggestion_resolves_but_is_not_an_occurrence() {
    let ws = Workspace::new(&[
        ("a.lawful", TYPO),
        ("s.lawful", "subjects customers \"Customers\" {}\n"),
    ]);
    let e004: Vec<_> = ws
        .analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == "E004")
        .collect();
    assert_eq!(e004.len(), 1);
    assert_eq!(e004[0].help.as_deref(), Some("did you mean `mailer`?"));
    let symbols = &ws.analysis.model.symbols;
    let mailer = ws.decl(Kind::Party, "mailer");
    let at = TYPO.find("mailr").unwrap();
    let typo = symbols.reference_at(FileId(0), at).unwrap();
    assert_eq!(typo.resolution, Resolution::Meant);
    assert_eq!(typo.target(), Some(mailer));
    assert_eq!(symbols.names.text(typo.written), "mailr");
    // Go to definition follows the suggestion, as the analysis does ...
    assert_eq!(symbols.definition(FileId(0), at), Some(mailer));
    // ... but the typo is not a reference written with the name.
    assert_eq!(symbols.references(mailer).count(), 0);
    let meant: Vec<String> = symbols.meant(mailer).map(|r| ws.show(r.span)).collect();
    assert_eq!(meant, ["a.lawful:7:13-18 `mailr`"]);
    // Rename changes the declaration only; the typo stays (and its E004 names the new name).
    let edits = rename_edits(&ws.analysis.model, mailer, "postman").unwrap();
    let shown: Vec<String> = edits.iter().map(|e| ws.show(e.span)).collect();
    assert_eq!(shown, ["a.lawful:9:7-13 `mailer`"]);
    // Nor can a rename start from the typo.
    assert_eq!(
        ide::prepare_rename(symbols, FileId(0), at),
        Err(RenameError::NotFound)
    );
}

/// Applies edits to the texts of the user files (edits sorted, non-overlapping).
fn apply(ws: &Workspace, edits: &[ide::Edit]) -> Vec<String> {
    (0..ws.files.len())
        .map(|i| {
            let id = FileId(i as u32);
            let mut text = ws.sources.get(id).text.clone();
            for edit in edits.iter().rev().filter(|e| e.span.file == id) {
                text.replace_range(edit.span.range(), &edit.new_text);
            }
            text
        })
        .collect()
}

#[test]
fn rename_across_files() {
    let ws = shop();
    let symbols = &ws.analysis.model.symbols;
    let (decl, span) = ide::prepare_rename(symbols, FileId(0), ws.caret(0, 0)).unwrap();
    assert_eq!(decl, ws.decl(Kind::Party, "mailer"));
    assert_eq!(ws.show(span), "activities.lawful:7:13-19 `mailer`");
    let edits = rename_edits(&ws.analysis.model, decl, "post-office").unwrap();
    let shown: Vec<String> = edits.iter().map(|e| ws.show(e.span)).collect();
    assert_eq!(
        shown,
        [
            "activities.lawful:7:13-19 `mailer`",
            "activities.lawful:24:13-19 `mailer`",
            "parties.lawful:1:7-13 `mailer`",
        ]
    );
    assert!(edits.iter().all(|e| e.new_text == "post-office"));
    // The renamed workspace reports exactly what the original did.
    let texts = apply(&ws, &edits);
    assert!(texts[0].contains("recipient post-office {"));
    assert!(texts[1].starts_with("party post-office \"Mailer B.V.\""));
    let files: Vec<(&str, &str)> = vec![
        ("activities.lawful", &texts[0]),
        ("parties.lawful", &texts[1]),
        ("subjects.lawful", &texts[2]),
    ];
    let (_, after) = support::check_files(&files);
    let before: Vec<(&str, String)> = ws
        .analysis
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.replace("mailer", "post-office")))
        .collect();
    let after: Vec<(&str, String)> = after
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.clone()))
        .collect();
    assert_eq!(before, after);
    // The same name again: nothing to do.
    assert_eq!(
        rename_edits(&ws.analysis.model, decl, "mailer"),
        Ok(Vec::new())
    );
}

#[test]
fn rename_is_refused_for_the_standard_library_invalid_names_and_clashes() {
    let ws = shop();
    let model = &ws.analysis.model;
    let nl = ws.decl(Kind::Country, "NL");
    let error = rename_edits(model, nl, "Holland").unwrap_err();
    assert_eq!(
        error,
        RenameError::Stdlib {
            kind: Kind::Country,
            name: "NL".to_string()
        }
    );
    assert_eq!(
        error.to_string(),
        "country `NL` belongs to the standard library and cannot be renamed; declare a country of your own instead"
    );
    // From a reference to it, too.
    let text = &ws.sources.get(FileId(1)).text;
    let at = text.find("NL").unwrap();
    assert!(matches!(
        ide::prepare_rename(&model.symbols, FileId(1), at),
        Err(RenameError::Stdlib { .. })
    ));
    let email = ws.decl(Kind::Data, "email");
    assert!(matches!(
        rename_edits(model, email, "mail"),
        Err(RenameError::Stdlib { .. })
    ));

    let mailer = ws.decl(Kind::Party, "mailer");
    for (bad, reason) in [
        ("", "a name cannot be empty"),
        ("2mailer", "a name starts with a letter or `_`"),
        ("mail er", "a name holds only letters, digits, `_` and `-`"),
        ("mailér", "a name holds only letters, digits, `_` and `-`"),
    ] {
        assert_eq!(
            rename_edits(model, mailer, bad),
            Err(RenameError::InvalidName {
                name: bad.to_string(),
                reason
            })
        );
    }
    assert_eq!(
        rename_edits(model, mailer, "public")
            .unwrap_err()
            .to_string(),
        "`public` has its own meaning where a party is named; choose another name"
    );
    // A clash in the same kind: another activity of that name.
    let newsletter = ws.decl(Kind::Activity, "newsletter");
    let clash = rename_edits(model, newsletter, "signup").unwrap_err();
    let RenameError::Clash { existing, .. } = &clash else {
        panic!("{clash:?}");
    };
    assert_eq!(ws.show(*existing), "activities.lawful:18:10-16 `signup`");
    assert_eq!(
        clash.to_string(),
        "activity `signup` is already declared; choose another name"
    );
    // A stdlib name of the same kind clashes too; of another kind it does not.
    let customers = ws.decl(Kind::Subjects, "subscribers");
    let stdlib_subjects = model
        .subjects
        .iter()
        .find(|s| s.header.from_stdlib)
        .unwrap();
    let taken = stdlib_subjects.header.name.clone();
    assert!(matches!(
        rename_edits(model, customers, &taken),
        Err(RenameError::Clash {
            from_stdlib: true,
            ..
        })
    ));
    assert!(rename_edits(model, mailer, "newsletter").is_ok());
}

#[test]
fn a_user_declaration_replacing_the_standard_librarys_is_not_renamed() {
    let ws = Workspace::new(&[(
        "a.lawful",
        "data email \"E-mail\" {}\nsubjects customers {}\nactivity x { purpose research; subjects customers; data email }\n",
    )]);
    assert!(ws.codes().contains(&"E012"));
    let email = ws.decl(Kind::Data, "email");
    let entry = ws.analysis.model.symbols.declaration(email).unwrap();
    assert!(entry.replaces_stdlib && !entry.from_stdlib);
    assert!(matches!(
        rename_edits(&ws.analysis.model, email, "e-mail"),
        Err(RenameError::ReplacesStdlib { .. })
    ));
}

#[test]
fn names_are_interned_once_and_stably() {
    let ws = shop();
    let symbols = &ws.analysis.model.symbols;
    let mailer = symbols
        .declaration(ws.decl(Kind::Party, "mailer"))
        .unwrap()
        .name;
    // One name for the declaration and each reference to it.
    assert!(
        symbols
            .references(ws.decl(Kind::Party, "mailer"))
            .all(|r| r.written == mailer)
    );
    assert_eq!(symbols.names.get("mailer"), Some(mailer));
    assert_eq!(symbols.names.text(mailer), "mailer");
    // One name per spelling, whatever the kind: the stdlib's purpose `statistics` and a party
    // `statistics` share it.
    let two = Workspace::new(&[(
        "a.lawful",
        "party statistics { role processor; country NL }\n",
    )]);
    let s2 = &two.analysis.model.symbols;
    let purpose = s2
        .declaration(two.decl(Kind::Purpose, "statistics"))
        .unwrap()
        .name;
    let party = s2
        .declaration(two.decl(Kind::Party, "statistics"))
        .unwrap()
        .name;
    assert_eq!(purpose, party);
    // The declarations and references of one file, in position order.
    let outline: Vec<String> = symbols
        .declarations_in(FileId(0))
        .map(|d| ws.show(d.name_span))
        .collect();
    assert_eq!(
        outline,
        [
            "activities.lawful:1:10-20 `newsletter`",
            "activities.lawful:18:10-16 `signup`"
        ]
    );
    assert_eq!(symbols.references_in(FileId(2)).len(), 0);
    let in_parties: Vec<String> = symbols
        .references_in(FileId(1))
        .iter()
        .map(|r| ws.show(r.span))
        .collect();
    assert_eq!(in_parties, ["parties.lawful:3:11-13 `NL`"]);
    // The declarations of a kind, in model order.
    let parties: Vec<&str> = symbols
        .declarations_of(Kind::Party)
        .iter()
        .map(|d| symbols.names.text(d.name))
        .collect();
    assert_eq!(parties, ["mailer"]);
    let activities = symbols.declarations_of(Kind::Activity);
    assert_eq!(activities[1].id, ws.decl(Kind::Activity, "signup"));
    // The same sources give the same numbers.
    let again = shop();
    let names = |ws: &Workspace| -> Vec<(u32, String)> {
        let s = &ws.analysis.model.symbols;
        (0..s.names.len() as u32)
            .map(|n| (n, s.names.text(ide::Name(n)).to_string()))
            .collect()
    };
    assert_eq!(names(&ws), names(&again));
    assert_eq!(
        symbols.declarations(),
        again.analysis.model.symbols.declarations()
    );
    // Every distinct spelling once.
    let mut texts: Vec<String> = names(&ws).into_iter().map(|(_, t)| t).collect();
    let n = texts.len();
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), n);
}

#[test]
fn the_indexes_are_built_for_a_large_workspace() {
    // 4,000 activities over 40 files, each referencing one of 400 parties: every party's
    // references found, and definition at every reference, without quadratic work.
    let mut files = Vec::new();
    let mut parties = String::new();
    for p in 0..400 {
        parties.push_str(&format!("party p{p} {{ role processor; country NL }}\n"));
    }
    files.push(("parties.lawful".to_string(), parties));
    for f in 0..40 {
        let mut text = String::new();
        for a in 0..100 {
            let n = f * 100 + a;
            text.push_str(&format!(
                "activity a{n} {{ purpose statistics; subjects customers; data email; retention 1 year; recipient p{} }}\n",
                n % 400
            ));
        }
        files.push((format!("f{f:03}.lawful"), text));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let (_, analysis) = support::check_files(&refs);
    let symbols = &analysis.model.symbols;
    let p7 = analysis.model.decl_id(Kind::Party, "p7").unwrap();
    let found: Vec<Span> = symbols.references(p7).map(|r| r.span).collect();
    assert_eq!(found.len(), 10);
    for span in &found {
        assert_eq!(symbols.definition(span.file, span.start as usize), Some(p7));
    }
    let user: Vec<_> = symbols
        .all_references()
        .iter()
        .filter(|r| !symbols.is_stdlib_file(r.span.file))
        .collect();
    // Per activity its purpose, subjects, data and recipient; per party its country.
    assert_eq!(user.len(), 4_000 * 4 + 400);
    assert!(user.iter().all(|r| r.resolution == Resolution::Exact));
}

/// At every offset of every example file and of every fixture with a syntax error, `node_at`
/// answers without panicking and what it names holds the offset; every reference is found at
/// its own position and goes to its own target.
#[test]
fn every_offset_of_the_examples_and_broken_fixtures_has_a_consistent_node() {
    let mut workspaces: Vec<Vec<(String, String)>> = Vec::new();
    for example in ["webshop", "clinic", "municipality"] {
        let mut files = Vec::new();
        collect(&std::path::Path::new("examples").join(example), &mut files);
        files.sort();
        workspaces.push(files);
    }
    for entry in std::fs::read_dir("tests/ui").unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        if path.extension().is_some_and(|e| e == "lawful") && text.contains("E001") {
            workspaces.push(vec![(path.display().to_string(), text)]);
        }
    }
    let mut checked = 0;
    for files in &workspaces {
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let ws = Workspace::new(&refs);
        let symbols = &ws.analysis.model.symbols;
        for (i, (path, text)) in files.iter().enumerate() {
            for offset in 0..=text.len() {
                let node = ws.node(i, offset);
                let holds =
                    |span: Span| span.start as usize <= offset && offset <= span.end as usize;
                match &node.node {
                    Node::Key => assert!(
                        holds(node.stmt.as_ref().unwrap().key_span),
                        "{path}:{offset}"
                    ),
                    Node::Value(value) => assert!(holds(value.span), "{path}:{offset}"),
                    Node::DeclName => assert!(holds(node.decl.as_ref().unwrap().name_span)),
                    Node::Slot { .. } => assert!(node.stmt.is_some()),
                    Node::TopLevel => assert!(node.decl.is_none() && node.blocks.is_empty()),
                    _ => {}
                }
                for block in &node.blocks {
                    assert!(holds(block.block.unwrap()), "{path}:{offset}: {node:?}");
                }
                checked += 1;
            }
        }
        for reference in symbols.all_references() {
            let at = symbols
                .reference_at(reference.span.file, reference.span.start as usize)
                .unwrap();
            assert_eq!(at, reference);
            assert_eq!(
                symbols.definition(reference.span.file, reference.span.end as usize),
                reference.target()
            );
        }
    }
    assert!(checked > 70_000, "{checked}");
}

fn collect(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "lawful") {
            out.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
}

#[test]
fn a_name_in_several_words_read_as_a_stdlib_alias_is_meant_with_all_its_words() {
    let src = "party shipper { role processor; country United Kingdom }\n";
    let ws = Workspace::new(&[("a.lawful", src)]);
    let symbols = &ws.analysis.model.symbols;
    let gb = ws.decl(Kind::Country, "GB");
    let meant: Vec<String> = symbols.meant(gb).map(|r| ws.show(r.span)).collect();
    assert_eq!(meant, ["a.lawful:1:41-55 `United Kingdom`"]);
    let reference = symbols
        .reference_at(FileId(0), src.find("Kingdom").unwrap())
        .unwrap();
    assert_eq!(symbols.names.text(reference.written), "United Kingdom");
    assert_eq!(reference.resolution, Resolution::Meant);
    // Either word is a value of that reference.
    let node = ws.node(0, src.find("Kingdom").unwrap() + 2);
    let Node::Value(value) = &node.node else {
        panic!("{node:?}");
    };
    assert_eq!((value.index, value.item), (1, 0));
    assert_eq!(
        value.role,
        ValueRole::Reference {
            kind: Kind::Country,
            target: Some(gb),
            resolution: Resolution::Meant
        }
    );
}
