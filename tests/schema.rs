//! The schema (`lawful::model::schema`) and the key tables of docs/language.md say the same:
//! every key of every table is in the schema with the same cardinality and required-ness, every
//! key of the schema is in the docs, and a value documented as a list of words is the schema's
//! vocabulary.

use lawful::model::schema::{self, BlockSchema, Card, Required, Shape};
use lawful::model::vocab::BasisKind;
use std::collections::BTreeMap;

/// The key tables of docs/language.md, in the order they appear, and the blocks they describe.
fn documented_blocks() -> Vec<&'static BlockSchema> {
    vec![
        &schema::CONTROLLER,
        &schema::PARTY,
        &schema::AGREEMENT,
        &schema::ACTIVITY,
        &schema::RECIPIENT,
        &schema::REUSES,
        &schema::AUTOMATED_DECISION,
        &schema::DATA,
        &schema::SUBJECTS,
        &schema::PURPOSE,
        &schema::SYSTEM,
        &schema::COUNTRY,
        &schema::BREACH,
        &schema::COMPATIBLE,
        &schema::RIGHTS,
    ]
}

/// The backticked words of a table cell.
fn ticked(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn cells(line: &str) -> Vec<String> {
    // `\|` inside a cell is a literal bar.
    let line = line.trim().trim_start_matches('|').trim_end_matches('|');
    line.replace("\\|", "\u{0}")
        .split('|')
        .map(|c| c.trim().replace('\u{0}', "|"))
        .collect()
}

fn tables(markdown: &str) -> Vec<Table> {
    let mut out = Vec::new();
    let lines: Vec<&str> = markdown.lines().collect();
    let mut i = 0;
    while i + 1 < lines.len() {
        if lines[i].starts_with('|') && lines[i + 1].starts_with("|---") {
            let header = cells(lines[i]);
            let mut rows = Vec::new();
            i += 2;
            while i < lines.len() && lines[i].starts_with('|') {
                rows.push(cells(lines[i]));
                i += 1;
            }
            out.push(Table { header, rows });
        } else {
            i += 1;
        }
    }
    out
}

fn language() -> String {
    std::fs::read_to_string("docs/language.md").unwrap()
}

#[test]
fn every_key_table_of_the_docs_is_the_schema() {
    let text = language();
    let key_tables: Vec<Table> = tables(&text)
        .into_iter()
        .filter(|t| t.header[0] == "key")
        .collect();
    let blocks = documented_blocks();
    assert_eq!(
        key_tables.len(),
        blocks.len(),
        "docs/language.md has {} key tables; the schema test knows {}",
        key_tables.len(),
        blocks.len()
    );
    for (table, block) in key_tables.iter().zip(&blocks) {
        let card_column = table.header.iter().position(|h| h == "card.");
        let value_column = table.header.iter().position(|h| h == "value");
        let mut documented: BTreeMap<String, Option<String>> = BTreeMap::new();
        for row in &table.rows {
            for key in ticked(&row[0]) {
                let spec = block.key(&key).unwrap_or_else(|| {
                    panic!(
                        "`{key}` is documented in the {} table but not in the schema",
                        block.name
                    )
                });
                if let Some(column) = card_column {
                    let card = row[column].as_str();
                    let (once, required) = match card {
                        "req 1" => (true, true),
                        "req \\*" => (false, true),
                        "1" | "1 each" => (true, false),
                        "\\*" => (false, false),
                        other => panic!("unknown cardinality `{other}` for `{key}`"),
                    };
                    assert_eq!(
                        spec.card == Card::Once,
                        once,
                        "{} `{key}`: documented `{card}`, schema {:?}",
                        block.name,
                        spec.card
                    );
                    assert_eq!(
                        spec.required == Required::Always,
                        required,
                        "{} `{key}`: documented `{card}`, schema {:?}",
                        block.name,
                        spec.required
                    );
                } else {
                    // The rights table: every key at most once.
                    assert_eq!(spec.card, Card::Once, "{} `{key}`", block.name);
                }
                if let Some(column) = value_column {
                    let value = &row[column];
                    let words = ticked(value);
                    let only_words = !words.is_empty()
                        && value.split('|').all(|part| {
                            ticked(part).len() == 1
                                && part.trim().starts_with('`')
                                && part.trim().ends_with('`')
                        });
                    if only_words {
                        assert_eq!(
                            spec.shape.words(),
                            words
                                .iter()
                                .map(String::as_str)
                                .collect::<Vec<_>>()
                                .as_slice(),
                            "{} `{key}`: the documented words are not the schema's",
                            block.name
                        );
                    }
                }
                documented.insert(key, None);
            }
        }
        let schema_keys: Vec<&str> = block.names().collect();
        for key in &schema_keys {
            assert!(
                documented.contains_key(*key),
                "`{key}` of {} is in the schema but not in docs/language.md",
                block.name
            );
        }
        assert_eq!(documented.len(), schema_keys.len(), "{}", block.name);
    }
}

#[test]
fn every_basis_block_of_the_docs_is_the_schema() {
    let text = language();
    let table = tables(&text)
        .into_iter()
        .find(|t| t.header[0] == "BASIS")
        .expect("the basis table");
    assert_eq!(table.rows.len(), BasisKind::ALL.len());
    for row in &table.rows {
        let basis = ticked(&row[0]);
        let kind = BasisKind::from_keyword(&basis[0]).unwrap();
        // `key` STRING (…) · `key` flag (…): a key is a ticked word followed by its type.
        let documented: Vec<String> = row[2]
            .split(" · ")
            .filter_map(|part| {
                let part = part.trim();
                let key = part.strip_prefix('`')?.split('`').next()?;
                let rest = part[key.len() + 2..].trim_start();
                (rest.starts_with("STRING") || rest.starts_with("flag")).then(|| key.to_string())
            })
            .collect();
        let block = schema::basis_block(kind);
        let keys: Vec<&str> = block.names().collect();
        assert_eq!(documented, keys, "basis `{kind}`");
        for key in block.keys() {
            let kind_word = if key.shape == Shape::Flag {
                "flag"
            } else {
                "STRING"
            };
            assert!(
                row[2].contains(&format!("`{}` {kind_word}", key.name)),
                "basis `{kind}` `{}` is documented as {kind_word}",
                key.name
            );
        }
    }
}

#[test]
fn the_blocks_described_in_prose_are_the_schema() {
    let text = language();
    // `transfer … { tia STRING }`, `encrypted { intact; backup; key-safe }`, and the portability
    // block in the rights table.
    assert!(text.contains("`[{ tia STRING }]`") || text.contains("{ tia STRING }"));
    assert_eq!(schema::TRANSFER.names().collect::<Vec<_>>(), ["tia"]);
    assert!(text.contains("`encrypted { intact; backup; key-safe }`"));
    assert_eq!(
        schema::ENCRYPTED.names().collect::<Vec<_>>(),
        ["intact", "backup", "key-safe"]
    );
    assert!(text.contains("Block: `format` FORMAT list (\\*), `direct-transfer` STRING (1"));
    assert_eq!(
        schema::PORTABILITY.names().collect::<Vec<_>>(),
        ["format", "direct-transfer"]
    );
    assert_eq!(schema::PORTABILITY.key("format").unwrap().card, Card::Many);
}

#[test]
fn every_block_is_reachable_and_every_key_has_a_doc() {
    let blocks = schema::all_blocks();
    for block in &blocks {
        for key in block.keys() {
            assert!(
                !key.doc.is_empty(),
                "{} `{}` has no doc",
                block.name,
                key.name
            );
            assert!(
                !key.doc.ends_with('.'),
                "{} `{}`: docs have no trailing period",
                block.name,
                key.name
            );
        }
    }
    // Every documented block and every basis block is in the walk.
    for block in documented_blocks() {
        assert!(
            blocks.iter().any(|b| std::ptr::eq(*b, block)),
            "{}",
            block.name
        );
    }
    for kind in BasisKind::ALL {
        assert!(
            blocks
                .iter()
                .any(|b| std::ptr::eq(*b, schema::basis_block(*kind)))
        );
    }
}
