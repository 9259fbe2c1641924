//! `lawful register`, `rights` and `notice`: every format on every example, every field
//! present, same bytes every run; the CSV through a real CSV parser, the JSON against its
//! shipped schema, the HTML printed by headless Chromium and read back with `pdftotext`,
//! the JSON-LD parsed as RDF by rdflib, TILT validated against the TILT schema; the
//! web-shop's third-country transfers (onward included) in English and in Dutch.

#[path = "support/schema.rs"]
mod schema;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_lawful");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const EXAMPLES: [&str; 3] = ["webshop", "clinic", "municipality"];

fn lawful(args: &[&str]) -> Vec<u8> {
    let output = Command::new(BIN)
        .args(args)
        .current_dir(ROOT)
        .output()
        .expect("run lawful");
    assert_eq!(
        output.status.code(),
        Some(0),
        "lawful {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn text(args: &[&str]) -> String {
    String::from_utf8(lawful(args)).expect("UTF-8 output")
}

fn example(name: &str) -> String {
    format!("examples/{name}")
}

/// The register JSON of an example: the source of truth for which activities to expect.
fn register_json(name: &str) -> Value {
    serde_json::from_str(&text(&["register", &example(name), "--format", "json"])).unwrap()
}

fn activity_titles(register: &Value) -> Vec<String> {
    register["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            a["title"]
                .as_str()
                .unwrap_or(a["name"].as_str().unwrap())
                .to_string()
        })
        .collect()
}

const EN_FIELDS: [&str; 17] = [
    "Purpose",
    "Legal basis",
    "Condition for special categories (Art. 9(2))",
    "Criminal-offence data authorised by (Art. 10)",
    "Categories of data subjects",
    "Categories of personal data",
    "Recipients: processors",
    "Recipients: third-party controllers",
    "Recipients: joint controllers",
    "Transfers to third countries",
    "Retention period",
    "Security measures",
    "Source",
    "Systems",
    "DPIA",
    "Automated decision-making",
    "Accepted findings (allow)",
];

const NL_FIELDS: [&str; 17] = [
    "Doeleinden",
    "Grondslag",
    "Uitzonderingsgrond bijzondere persoonsgegevens (art. 9 lid 2)",
    "Strafrechtelijke gegevens toegestaan door (art. 10)",
    "Categorieën betrokkenen",
    "Categorieën persoonsgegevens",
    "Ontvangers: verwerkers",
    "Ontvangers: derden (zelfstandig verwerkingsverantwoordelijken)",
    "Ontvangers: gezamenlijk verwerkingsverantwoordelijken",
    "Doorgifte buiten de EER",
    "Bewaartermijn",
    "Beveiligingsmaatregelen",
    "Bron",
    "Systemen",
    "DPIA",
    "Geautomatiseerde besluitvorming",
    "Geaccepteerde bevindingen (allow)",
];

#[test]
fn every_command_and_format_gives_the_same_bytes_every_run() {
    for name in EXAMPLES {
        let path = example(name);
        let runs: Vec<Vec<&str>> = vec![
            vec!["register", &path, "--format", "md"],
            vec!["register", &path, "--format", "md", "--lang", "nl"],
            vec!["register", &path, "--format", "csv"],
            vec!["register", &path, "--format", "json"],
            vec!["register", &path, "--format", "html"],
            vec!["register", &path, "--format", "jsonld"],
            vec!["rights", &path, "--format", "md"],
            vec!["rights", &path, "--format", "json"],
            vec!["rights", &path, "--format", "csv"],
            vec!["notice", &path, "--format", "md"],
            vec!["notice", &path, "--format", "html", "--lang", "nl"],
            vec!["notice", &path, "--format", "tilt"],
        ];
        for args in runs {
            let first = lawful(&args);
            assert!(!first.is_empty(), "{args:?} is empty");
            assert_eq!(first, lawful(&args), "{args:?} differs between runs");
        }
    }
}

#[test]
fn the_markdown_register_has_every_article_30_field_for_every_activity_in_both_languages() {
    for name in EXAMPLES {
        let register = register_json(name);
        let titles = activity_titles(&register);
        assert!(!titles.is_empty(), "{name} has no activities");
        for (lang, fields, heading, controller) in [
            (
                "en",
                EN_FIELDS,
                "# Record of processing activities",
                "## Controller",
            ),
            (
                "nl",
                NL_FIELDS,
                "# Verwerkingsregister",
                "## Verwerkingsverantwoordelijke",
            ),
        ] {
            let md = text(&["register", &example(name), "--lang", lang]);
            assert!(md.starts_with(heading), "{name} {lang}: {md}");
            assert!(md.contains(controller), "{name} {lang}");
            let sections: Vec<&str> = md.split("\n### ").skip(1).collect();
            assert_eq!(sections.len(), titles.len(), "{name} {lang}");
            for (section, title) in sections.iter().zip(&titles) {
                assert!(
                    section.starts_with(title.as_str()),
                    "{name} {lang}: {title}"
                );
                for field in fields {
                    assert!(
                        section.contains(&format!("| {field} | ")),
                        "{name} {lang}: `{field}` missing for {title}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_webshop_register_lists_each_third_country_transfer_with_country_and_mechanism() {
    let en = text(&["register", "examples/webshop"]);
    for expected in [
        "US: Postwise Inc. (postwise): adequacy decision (Art. 45), for parties certified dpf",
        "US: Nimbus Cloud Inc. (nimbus), onward via postwise: adequacy decision (Art. 45), for parties certified dpf; standard contractual clauses (Art. 46(2)(c))",
        "IN: Deliverix Analytics Pvt. Ltd. (deliverix), onward via postwise: standard contractual clauses (Art. 46(2)(c))",
    ] {
        assert!(en.contains(expected), "missing `{expected}` in\n{en}");
    }
    let nl = text(&["register", "examples/webshop", "--lang", "nl"]);
    for expected in [
        "| Doorgifte buiten de EER | US: Postwise Inc. (postwise): adequaatheidsbesluit (art. 45), voor gecertificeerde partijen dpf",
        "US: Nimbus Cloud Inc. (nimbus), doorgegeven via postwise: adequaatheidsbesluit (art. 45), voor gecertificeerde partijen dpf; modelcontractbepalingen (art. 46 lid 2 sub c)",
        "IN: Deliverix Analytics Pvt. Ltd. (deliverix), doorgegeven via postwise: modelcontractbepalingen (art. 46 lid 2 sub c)",
    ] {
        assert!(nl.contains(expected), "missing `{expected}` in\n{nl}");
    }
    // The accepted finding on a party is in the register, with its reason.
    assert!(en.contains("| party nimbus | T005 | SCCs kept as a fallback should the EU-US Data Privacy Framework be invalidated |"), "{en}");
    // The JSON says the same, as data.
    let json = register_json("webshop");
    assert_eq!(
        json["allows"],
        serde_json::json!([{"declaration": "party:nimbus", "code": "T005", "reason": "SCCs kept as a fallback should the EU-US Data Privacy Framework be invalidated"}])
    );
    let newsletter = &json["activities"][0];
    assert_eq!(newsletter["name"], "newsletter");
    let transfers: Vec<(String, String, String, Value, Vec<Value>)> = newsletter["transfers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["to"].as_str().unwrap().to_string(),
                t["country"].as_str().unwrap().to_string(),
                t["status"].as_str().unwrap().to_string(),
                t["mechanism"].clone(),
                t["via"].as_array().unwrap().clone(),
            )
        })
        .collect();
    assert_eq!(
        transfers,
        vec![
            (
                "party:postwise".into(),
                "US".into(),
                "adequate-partial".into(),
                Value::Null,
                vec![]
            ),
            (
                "party:nimbus".into(),
                "US".into(),
                "adequate-partial".into(),
                "scc".into(),
                vec!["postwise".into()]
            ),
            (
                "party:deliverix".into(),
                "IN".into(),
                "not-adequate".into(),
                "scc".into(),
                vec!["postwise".into()]
            ),
        ]
    );
    // No other activity of the shop sends data outside the EEA.
    for activity in json["activities"].as_array().unwrap().iter().skip(1) {
        assert_eq!(
            activity["transfers"],
            serde_json::json!([]),
            "{}",
            activity["name"]
        );
    }
}

#[test]
fn the_csv_register_round_trips_through_a_csv_parser() {
    for name in EXAMPLES {
        let register = register_json(name);
        let activities = register["activities"].as_array().unwrap();
        for lang in ["en", "nl"] {
            let bytes = lawful(&[
                "register",
                &example(name),
                "--format",
                "csv",
                "--lang",
                lang,
            ]);
            assert!(!bytes.starts_with("\u{feff}".as_bytes()));
            let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
            let header = reader.headers().unwrap().clone();
            assert_eq!(header.len(), 20, "{name} {lang}: {header:?}");
            let expected: &[&str] = if lang == "en" { &EN_FIELDS } else { &NL_FIELDS };
            assert_eq!(
                header.iter().skip(3).collect::<Vec<_>>(),
                expected.to_vec(),
                "{name} {lang}"
            );
            let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
            assert_eq!(rows.len(), activities.len(), "{name} {lang}");
            for (row, activity) in rows.iter().zip(activities) {
                assert_eq!(row.len(), 20);
                assert_eq!(&row[0], register["controller"]["name"].as_str().unwrap());
                assert_eq!(&row[1], activity["name"].as_str().unwrap());
                assert_eq!(&row[2], activity["title"].as_str().unwrap_or(""));
                for (i, cell) in row.iter().enumerate() {
                    assert!(!cell.is_empty(), "{name} {lang}: empty column {i}");
                }
                // Each transfer's country appears in the transfers column.
                for t in activity["transfers"].as_array().unwrap() {
                    assert!(row[12].contains(&format!("{}: ", t["country"].as_str().unwrap())));
                }
            }
        }
    }
    let bom = lawful(&["register", "examples/webshop", "--format", "csv", "--bom"]);
    assert!(bom.starts_with("\u{feff}Controller,Activity,".as_bytes()));
    // Quotes, commas and line breaks in a field survive the trip.
    assert_eq!(
        lawful::documents::csv_field("a, \"b\"\nc"),
        "\"a, \"\"b\"\"\nc\""
    );
    assert_eq!(lawful::documents::csv_field("=cmd()"), "'=cmd()");
}

fn register_schema() -> Value {
    let text =
        std::fs::read_to_string(Path::new(ROOT).join("docs/schemas/register.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_json_register_matches_its_schema_and_the_schema_requires_every_field() {
    let schema = register_schema();
    for name in EXAMPLES {
        let value = register_json(name);
        let mut errors = Vec::new();
        schema::validate(&schema, &schema, &value, "", &mut errors);
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
    // A document with a field missing, or one the schema does not know, fails.
    let mut value = register_json("webshop");
    value["activities"][0]
        .as_object_mut()
        .unwrap()
        .remove("retention");
    let mut errors = Vec::new();
    schema::validate(&schema, &schema, &value, "", &mut errors);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("missing required `retention`")),
        "{errors:?}"
    );
    let mut value = register_json("webshop");
    value["activities"][0]["transfers"][0]["surprise"] = Value::Bool(true);
    let mut errors = Vec::new();
    schema::validate(&schema, &schema, &value, "", &mut errors);
    assert!(
        errors.iter().any(|e| e.contains("surprise: not allowed")),
        "{errors:?}"
    );
}

fn tool(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lawful-documents-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_html_register_is_one_standalone_page_with_the_map() {
    for name in EXAMPLES {
        let page = text(&["register", &example(name), "--format", "html"]);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("<svg"), "{name}: no map");
        for forbidden in [
            "<script",
            "<link",
            "src=\"http",
            "href=\"http",
            "url(http",
            "@import",
        ] {
            assert!(!page.contains(forbidden), "{name}: `{forbidden}`");
        }
        for title in activity_titles(&register_json(name)) {
            assert!(
                page.contains(&lawful::documents::html(&title)),
                "{name}: {title}"
            );
        }
    }
}

/// Headless Chromium prints the page to PDF and `pdftotext` reads it back: the headings and
/// every activity are there. Skipped with a note when either tool is missing.
#[test]
fn the_html_register_prints_to_pdf_in_a_real_browser() {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| tool(c));
    let (Some(chromium), true) = (chromium, tool("pdftotext")) else {
        eprintln!(
            "note: skipped: headless Chromium or pdftotext is not installed (apt-get install chromium poppler-utils)"
        );
        return;
    };
    for (name, lang, headings) in [
        (
            "webshop",
            "en",
            [
                "Record of processing activities",
                "Processing activities",
                "Data-flow map",
            ],
        ),
        (
            "webshop",
            "nl",
            ["Verwerkingsregister", "Verwerkingen", "Gegevensstromen"],
        ),
        (
            "clinic",
            "en",
            [
                "Record of processing activities",
                "Processing activities",
                "Data-flow map",
            ],
        ),
    ] {
        let dir = scratch(&format!("pdf-{name}-{lang}"));
        let html = dir.join("register.html");
        std::fs::write(
            &html,
            lawful(&[
                "register",
                &example(name),
                "--format",
                "html",
                "--lang",
                lang,
            ]),
        )
        .unwrap();
        let pdf = dir.join("register.pdf");
        let status = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--disable-component-update",
                "--disable-sync",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", dir.join("profile").display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", html.display()))
            .output()
            .unwrap();
        assert!(
            pdf.exists(),
            "no PDF: {}",
            String::from_utf8_lossy(&status.stderr)
        );
        let out = Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let read = String::from_utf8_lossy(&out.stdout);
        let flat: String = read.split_whitespace().collect::<Vec<_>>().join(" ");
        for heading in headings {
            assert!(
                flat.contains(heading),
                "{name} {lang}: `{heading}` not in the PDF:\n{read}"
            );
        }
        for title in activity_titles(&register_json(name)) {
            let words: String = title.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                flat.contains(&words),
                "{name} {lang}: `{title}` not in the PDF"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

fn python_with(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// rdflib parses the JSON-LD as RDF; the test checks the triples a DPV reader relies on.
#[test]
fn the_jsonld_register_is_rdf_in_dpv_terms() {
    if !python_with("rdflib") {
        eprintln!("note: skipped: Python's rdflib is not installed (pip install rdflib)");
        return;
    }
    let dir = scratch("jsonld");
    let file = dir.join("register.jsonld");
    std::fs::write(
        &file,
        lawful(&["register", "examples/webshop", "--format", "jsonld"]),
    )
    .unwrap();
    let script = r#"
import sys, rdflib
g = rdflib.Graph()
g.parse(sys.argv[1], format="json-ld")
DPV = rdflib.Namespace("https://w3id.org/dpv#")
GDPR = rdflib.Namespace("https://w3id.org/dpv/legal/eu/gdpr#")
LOC = rdflib.Namespace("https://w3id.org/dpv/loc#")
base = "urn:lawful:korenschoof:"
act = lambda n: rdflib.URIRef(base + "activity:" + n)
def has(s, p, o):
    assert (s, p, o) in g, (s, p, o)
has(act("newsletter"), rdflib.RDF.type, DPV.Process)
has(act("newsletter"), DPV.hasLegalBasis, GDPR["A6-1-a"])
has(act("order-handling"), DPV.hasLegalBasis, GDPR["A6-1-b"])
has(act("fraud-check"), DPV.hasLegalBasis, GDPR["A6-1-f"])
has(act("newsletter"), DPV.hasPurpose, rdflib.URIRef(base + "purpose:direct-marketing"))
has(rdflib.URIRef(base + "purpose:direct-marketing"), rdflib.RDF.type, DPV.DirectMarketing)
has(act("newsletter"), DPV.hasPersonalData, rdflib.URIRef(base + "data:email"))
has(act("newsletter"), DPV.hasDataSubject, rdflib.URIRef(base + "subjects:newsletter-subscribers"))
has(act("newsletter"), DPV.hasDataProcessor, rdflib.URIRef(base + "party:postwise"))
has(act("order-handling"), DPV.hasRecipient, rdflib.URIRef(base + "party:psp"))
has(rdflib.URIRef(base + "party:psp"), rdflib.RDF.type, DPV.DataController)
has(rdflib.URIRef(base + "party:deliverix"), DPV.hasCountry, LOC.IN)
transfers = {}
for t in g.objects(act("newsletter"), DPV.hasProcess):
    country = g.value(t, DPV.hasThirdCountry)
    recipient = g.value(t, DPV.hasRecipient)
    basis = g.value(t, DPV.hasLegalBasis)
    transfers[str(recipient).rsplit(":", 1)[1]] = (str(country), str(basis))
assert transfers == {
    "postwise": (str(LOC.US), str(GDPR["A45-3"])),
    "nimbus": (str(LOC.US), str(GDPR["A46-2-c"])),
    "deliverix": (str(LOC.IN), str(GDPR["A46-2-c"])),
}, transfers
retention = g.value(act("site-analytics"), DPV.hasStorageCondition)
has(retention, rdflib.RDF.type, DPV.StorageDuration)
assert str(g.value(retention, DPV.hasDuration)) in ("P13M", "P1Y1M"), g.value(retention, DPV.hasDuration)
has(act("order-handling"), DPV.hasTechnicalOrganisationalMeasure, DPV.Encryption)
has(act("order-handling"), DPV.hasTechnicalOrganisationalMeasure, DPV.LoggingPolicy)
has(rdflib.URIRef(base + "register"), rdflib.RDF.type, DPV.RecordsOfActivities)
print(len(g))
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let triples: usize = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    assert!(triples > 100, "{triples} triples");
    // Every example parses, and the clinic's special-category condition is an A9-2 IRI.
    for name in EXAMPLES {
        let value: Value =
            serde_json::from_str(&text(&["register", &example(name), "--format", "jsonld"]))
                .unwrap();
        assert_eq!(
            value["@context"]["eu-gdpr"],
            "https://w3id.org/dpv/legal/eu/gdpr#"
        );
        let register = register_json(name);
        assert_eq!(
            value["@graph"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|n| n["@type"] == "dpv:Process")
                .count(),
            register["activities"].as_array().unwrap().len(),
            "{name}"
        );
        for (node, activity) in value["@graph"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["@type"] == "dpv:Process")
            .zip(register["activities"].as_array().unwrap())
        {
            if let Some(article) = activity["special_condition"]["article"].as_str() {
                let point = article.trim_start_matches("9(2)(").trim_end_matches(')');
                let bases = node["dpv:hasLegalBasis"].to_string();
                assert!(
                    bases.contains(&format!("eu-gdpr:A9-2-{point}")),
                    "{name}: {bases}"
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_rights_matrix_gives_every_right_with_reasons_channels_and_portability() {
    for name in EXAMPLES {
        let doc: Value =
            serde_json::from_str(&text(&["rights", &example(name), "--format", "json"])).unwrap();
        let register = register_json(name);
        let activities = doc["activities"].as_array().unwrap();
        assert_eq!(
            activities.len(),
            register["activities"].as_array().unwrap().len()
        );
        for a in activities {
            let rights = a["rights"].as_array().unwrap();
            assert_eq!(rights.len(), 8, "{name}");
            for r in rights {
                assert!(!r["reasons"].as_array().unwrap().is_empty(), "{name}: {r}");
            }
            assert!(a["response"]["value"].is_string() && a["extension"]["value"].is_string());
            let portable = rights
                .iter()
                .any(|r| r["right"] == "portability" && r["applies"] == true);
            assert_eq!(portable, a["portability"].is_object(), "{name}: {a}");
        }
        let md = text(&["rights", &example(name)]);
        assert_eq!(md.matches("\n## ").count(), activities.len());
        let csv_bytes = lawful(&["rights", &example(name), "--format", "csv"]);
        let mut reader = csv::Reader::from_reader(csv_bytes.as_slice());
        assert_eq!(reader.headers().unwrap().len(), 11);
        assert_eq!(reader.records().count(), activities.len() * 8);
    }
    let doc: Value =
        serde_json::from_str(&text(&["rights", "examples/webshop", "--format", "json"])).unwrap();
    let find = |activity: &str, right: &str| -> Value {
        doc["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["activity"] == activity)
            .and_then(|a| {
                a["rights"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["right"] == right)
                    .cloned()
            })
            .unwrap()
    };
    let withdraw = find("newsletter", "withdraw-consent");
    assert_eq!(withdraw["applies"], true);
    assert_eq!(withdraw["reasons"], serde_json::json!(["basis"]));
    assert_eq!(
        withdraw["channel"],
        "Unsubscribe link at the bottom of every newsletter"
    );
    assert_eq!(withdraw["channel_from"], "activity");
    let portability = find("site-analytics", "portability");
    assert_eq!(portability["applies"], false);
    assert_eq!(
        portability["reasons"],
        serde_json::json!(["basis-excludes"])
    );
    let order = doc["activities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["activity"] == "order-handling")
        .unwrap();
    assert_eq!(
        order["portability"]["formats"],
        serde_json::json!(["json", "csv"])
    );
    assert_eq!(order["portability"]["derived"], serde_json::json!([]));
    assert_eq!(
        order["response"],
        serde_json::json!({"value": "1 month", "from": "controller"})
    );
    let md = text(&["rights", "examples/webshop", "--lang", "nl"]);
    assert!(md.contains("| intrekken van toestemming (art. 7 lid 3) | ja | volgt uit de grondslag: toestemming (art. 6 lid 1 sub a) | Unsubscribe link at the bottom of every newsletter |"), "{md}");
}

#[test]
fn the_notice_has_both_layers_with_every_detail() {
    for name in EXAMPLES {
        let register = register_json(name);
        for (lang, first, rows, second) in [
            (
                "en",
                "## Basic information",
                [
                    "Who is responsible",
                    "What for",
                    "On which basis",
                    "Who receives your data",
                    "Your rights",
                    "Where the data comes from",
                ],
                [
                    "Retention period",
                    "Transfers to third countries",
                    "Automated decision-making",
                    "How to exercise your rights: access (Art. 15)",
                    "We answer within",
                    "Complaint",
                ],
            ),
            (
                "nl",
                "## Basisinformatie",
                [
                    "Wie is verantwoordelijk",
                    "Waarvoor",
                    "Op welke grondslag",
                    "Wie ontvangt uw gegevens",
                    "Uw rechten",
                    "Waar de gegevens vandaan komen",
                ],
                [
                    "Bewaartermijn",
                    "Doorgifte buiten de EER",
                    "Geautomatiseerde besluitvorming",
                    "Zo oefent u uw rechten uit: inzage (art. 15)",
                    "Wij reageren binnen",
                    "Klacht",
                ],
            ),
        ] {
            let md = text(&["notice", &example(name), "--lang", lang]);
            assert!(md.contains(first), "{name} {lang}");
            for row in rows {
                assert!(
                    md.contains(&format!("| {row} | ")),
                    "{name} {lang}: `{row}`"
                );
            }
            let layers: Vec<&str> = md.split("\n### ").skip(1).collect();
            assert_eq!(
                layers.len(),
                register["activities"].as_array().unwrap().len()
            );
            for layer in layers {
                for row in second {
                    assert!(
                        layer.contains(&format!("| {row}")),
                        "{name} {lang}: `{row}` in {layer}"
                    );
                }
            }
        }
    }
    let md = text(&["notice", "examples/webshop"]);
    assert!(md.contains("| Complaint | You may lodge a complaint with the supervisory authority: Autoriteit Persoonsgegevens |"));
    assert!(md.contains("IN: Deliverix Analytics Pvt. Ltd. (deliverix), onward via postwise: standard contractual clauses"));
    let page = text(&["notice", "examples/webshop", "--format", "html"]);
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<details open"));
    assert!(!page.contains("<script") && !page.contains("src=\"http"));
}

/// TILT against the TILT schema (read from the shared schemas, never copied): the Rust
/// validator for structure, Python's jsonschema (when installed) for the full draft-07.
#[test]
fn the_tilt_notice_matches_the_tilt_schema() {
    let schema_path = Path::new(ROOT).join("../../shared/schemas/tilt-schema.json");
    let schema_path = if schema_path.exists() {
        schema_path
    } else {
        PathBuf::from("/work/shared/schemas/tilt-schema.json")
    };
    let Ok(schema_text) = std::fs::read_to_string(&schema_path) else {
        eprintln!(
            "note: skipped: the TILT schema is not at {}",
            schema_path.display()
        );
        return;
    };
    let schema: Value = serde_json::from_str(&schema_text).unwrap();
    for name in EXAMPLES {
        let tilt_text = text(&["notice", &example(name), "--format", "tilt"]);
        let value: Value = serde_json::from_str(&tilt_text).unwrap();
        let mut errors = Vec::new();
        schema::validate(&schema, &schema, &value, "", &mut errors);
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        assert_eq!(value["meta"]["_hash"].as_str().unwrap().len(), 64);
        let register = register_json(name);
        let data_count: usize = register["activities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["data"].as_array().unwrap().len())
            .sum();
        assert_eq!(value["dataDisclosed"].as_array().unwrap().len(), data_count);
        if python_with("jsonschema") {
            let dir = scratch(&format!("tilt-{name}"));
            let file = dir.join("tilt.json");
            std::fs::write(&file, &tilt_text).unwrap();
            let out = Command::new("python3")
                .args([
                    "-c",
                    "import json,sys,jsonschema; jsonschema.Draft7Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))",
                ])
                .arg(&schema_path)
                .arg(&file)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let _ = std::fs::remove_dir_all(&dir);
        } else {
            eprintln!(
                "note: Python's jsonschema is not installed; TILT checked by the Rust validator only"
            );
        }
    }
    let value: Value =
        serde_json::from_str(&text(&["notice", "examples/webshop", "--format", "tilt"])).unwrap();
    let countries: Vec<&str> = value["thirdCountryTransfers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["country"].as_str().unwrap())
        .collect();
    assert_eq!(countries, ["US", "US", "IN"]);
    assert_eq!(
        value["rightToComplain"]["supervisoryAuthority"]["name"],
        "Autoriteit Persoonsgegevens"
    );
    assert_eq!(value["meta"]["language"], "en");
}

#[test]
fn lang_in_lawful_toml_chooses_the_language_and_the_flag_overrides_it() {
    let dir = scratch("lang");
    std::fs::write(
        dir.join("lawful.toml"),
        "[workspace]\nlang = \"nl\"\ntoday = \"2026-11-22\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("shop.lawful"),
        "controller shop {\n  country NL\n  contact \"privacy@shop.example\"\n}\nactivity orders {\n  purpose contract-performance\n  basis contract\n  subjects customers\n  data name\n  retention 1 year\n}\n",
    )
    .unwrap();
    let path = dir.to_str().unwrap();
    assert!(text(&["register", path]).starts_with("# Verwerkingsregister"));
    assert!(
        text(&["register", path, "--lang", "en"]).starts_with("# Record of processing activities")
    );
    assert!(text(&["notice", path]).contains("## Basisinformatie"));
    let _ = std::fs::remove_dir_all(&dir);
}

fn workspace(name: &str, policy: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(
        dir.join("lawful.toml"),
        "[workspace]\ntoday = \"2026-11-22\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("policy.lawful"), policy).unwrap();
    dir
}

/// Titles and texts are the policy's own: no Markdown table, HTML page or spreadsheet breaks,
/// and nothing runs.
#[test]
fn hostile_text_is_escaped_in_every_format() {
    let dir = workspace(
        "hostile",
        "controller acme \"Acme | <script>alert(1)</script>\" {\n  country NL\n  contact \"=HYPERLINK(\\\"http://evil.example\\\")\"\n}\nactivity orders \"Orders, \\\"quoted\\\" | piped <b>bold</b>\" {\n  purpose contract-performance\n  basis contract { contract \"line one\\nline two\" }\n  subjects customers\n  data name\n  retention 1 year\n}\n",
    );
    let path = dir.to_str().unwrap();
    let md = text(&["register", path]);
    assert!(!md.contains("<script") && !md.contains("<b>"), "{md}");
    assert!(
        md.contains("Acme \\| &lt;script>alert(1)&lt;/script>"),
        "{md}"
    );
    for line in md.lines().filter(|l| l.starts_with("| ")) {
        // Two columns: every `|` inside a cell is escaped.
        assert_eq!(line.replace("\\|", "").matches('|').count(), 3, "{line}");
    }
    let page = text(&["register", path, "--format", "html"]);
    assert!(
        !page.contains("<script>alert") && !page.contains("<b>bold"),
        "{page}"
    );
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let bytes = lawful(&["register", path, "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].len(), 20);
    assert_eq!(&rows[0][2], "Orders, \"quoted\" | piped <b>bold</b>");
    let notice = text(&["notice", path, "--format", "html"]);
    assert!(
        !notice.contains("<script>alert") && !notice.contains("<b>bold"),
        "{notice}"
    );
    let tilt: Value = serde_json::from_str(&text(&["notice", path, "--format", "tilt"])).unwrap();
    assert_eq!(
        tilt["controller"]["name"],
        "Acme | <script>alert(1)</script>"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// 1,000 activities, each with a processor that passes the data on through a chain of three
/// subprocessors outside the EEA: every document lists every activity and every onward
/// transfer (the work per activity is what it prints, so this stays fast in debug builds).
#[test]
fn a_wide_workspace_gives_every_activity_and_every_onward_transfer() {
    const N: usize = 1_000;
    let mut policy = String::from(
        "controller acme {\n  country NL\n  contact \"privacy@acme.example\"\n}\nparty sub1 {\n  role processor\n  country US\n  subprocessors sub2\n  transfer scc\n}\nparty sub2 {\n  role processor\n  country IN\n  subprocessors sub3\n  transfer scc\n}\nparty sub3 {\n  role processor\n  country CN\n  transfer scc\n}\n",
    );
    for i in 0..N {
        policy.push_str(&format!(
            "party p{i} {{\n  role processor\n  country NL\n  subprocessors sub1\n}}\nactivity a{i} {{\n  purpose contract-performance\n  basis contract\n  subjects customers\n  data name\n  retention 1 year\n  recipient p{i}\n}}\n"
        ));
    }
    let dir = workspace("wide", &policy);
    let path = dir.to_str().unwrap();
    let register: Value =
        serde_json::from_str(&text(&["register", path, "--format", "json"])).unwrap();
    let activities = register["activities"].as_array().unwrap();
    assert_eq!(activities.len(), N);
    for (i, a) in activities.iter().enumerate() {
        let countries: Vec<&str> = a["transfers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["country"].as_str().unwrap())
            .collect();
        assert_eq!(countries, ["US", "IN", "CN"], "a{i}");
        assert_eq!(
            a["transfers"][2]["via"].as_array().unwrap().len(),
            3,
            "a{i}"
        );
    }
    let csv_bytes = lawful(&["register", path, "--format", "csv"]);
    assert_eq!(
        csv::Reader::from_reader(csv_bytes.as_slice())
            .records()
            .count(),
        N
    );
    let rights: Value = serde_json::from_str(&text(&["rights", path, "--format", "json"])).unwrap();
    assert_eq!(rights["activities"].as_array().unwrap().len(), N);
    let notice = text(&["notice", path]);
    assert_eq!(notice.matches("\n### ").count(), N);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn several_workspaces_are_a_json_array_and_a_usage_error_for_the_other_formats() {
    let both = ["examples/webshop", "examples/clinic"];
    let register: Value =
        serde_json::from_str(&text(&["register", both[0], both[1], "--format", "json"])).unwrap();
    assert_eq!(register.as_array().unwrap().len(), 2);
    assert_eq!(register[1]["controller"]["name"], "hetanker");
    let rights: Value =
        serde_json::from_str(&text(&["rights", both[0], both[1], "--format", "json"])).unwrap();
    assert_eq!(rights.as_array().unwrap().len(), 2);
    for args in [
        vec!["register", both[0], both[1]],
        vec!["register", both[0], both[1], "--format", "csv"],
        vec!["rights", both[0], both[1]],
        vec!["notice", both[0], both[1], "--format", "tilt"],
    ] {
        let output = Command::new(BIN)
            .args(&args)
            .current_dir(ROOT)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("one workspace at a time"),
            "{args:?}: {stderr}"
        );
        assert!(output.stdout.is_empty());
    }
}

fn keys(value: &Value, out: &mut std::collections::BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                out.insert(key.clone());
                keys(item, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| keys(i, out)),
        _ => {}
    }
}

/// docs/documents.md names every field of the register's schema and of the rights JSON.
#[test]
fn every_json_field_is_documented() {
    let docs = std::fs::read_to_string(Path::new(ROOT).join("docs/documents.md")).unwrap();
    let mut fields = std::collections::BTreeSet::new();
    fn schema_fields(schema: &Value, out: &mut std::collections::BTreeSet<String>) {
        match schema {
            Value::Object(map) => {
                if let Some(Value::Object(properties)) = map.get("properties") {
                    out.extend(properties.keys().cloned());
                }
                map.values().for_each(|v| schema_fields(v, out));
            }
            Value::Array(items) => items.iter().for_each(|i| schema_fields(i, out)),
            _ => {}
        }
    }
    schema_fields(&register_schema(), &mut fields);
    assert!(fields.len() > 50, "{fields:?}");
    let rights: Value =
        serde_json::from_str(&text(&["rights", "examples/webshop", "--format", "json"])).unwrap();
    keys(&rights, &mut fields);
    for field in fields {
        assert!(
            docs.contains(&format!("`{field}`")),
            "`{field}` is not in docs/documents.md"
        );
    }
}

/// A register is written for the workspace as it stands: what is missing reads "not stated",
/// the errors are a note on standard error, and the exit code is 0.
#[test]
fn a_workspace_with_errors_still_gets_its_register_with_a_note() {
    let dir = workspace(
        "errors",
        "controller acme {\n  country NL\n  contact \"privacy@acme.example\"\n}\nactivity orders \"Orders\" {\n  purpose contract-performance\n  subjects customers\n  data name\n}\n",
    );
    let output = Command::new(BIN)
        .args(["register", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("warning: the workspace has ")
            && stderr.contains(" error(s); run `lawful check`, as the document may be incomplete"),
        "{stderr}"
    );
    let md = String::from_utf8(output.stdout).unwrap();
    assert!(md.contains("| Legal basis | not stated |"), "{md}");
    assert!(md.contains("| Retention period | not stated |"), "{md}");
    let quiet = Command::new(BIN)
        .args(["register", dir.to_str().unwrap(), "--quiet"])
        .output()
        .unwrap();
    assert!(quiet.stderr.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
