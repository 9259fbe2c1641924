//! The register as JSON-LD in the W3C Data Privacy Vocabulary (DPV 2.x): each activity a
//! `dpv:Process` with its purpose, legal basis (the GDPR extension's `eu-gdpr:A6-1-a` …
//! `A6-1-f`, and `A9-2-a` … `A9-2-j` for special categories), data subjects, personal data
//! (special categories typed `dpv:SpecialCategoryPersonalData`), recipients and processors,
//! retention (`dpv:StorageDuration`), measures, and each third-country transfer as a process
//! of its own with its country (`loc:XX`) and mechanism (`eu-gdpr:A45-3`, `A46-2-c`, …,
//! `A49-1-a` …). The context is inline, so no remote document is needed to read it.

use super::register::{ActivityEntry, RecipientEntry, Register, TransferEntry};
use serde_json::{Map, Value, json};

const DPV: &str = "https://w3id.org/dpv#";
const GDPR: &str = "https://w3id.org/dpv/legal/eu/gdpr#";

/// Percent-encodes a name for an IRI path segment (unreserved characters kept).
fn segment(name: &str) -> String {
    let mut out = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The GDPR extension's term for a transfer mechanism (Art. 45–49).
pub fn mechanism_iri(t: &TransferEntry) -> Option<String> {
    let term = match (t.mechanism.as_deref(), t.derogation.as_deref()) {
        (Some("scc"), _) => "A46-2-c",
        (Some("bcr"), _) => "A46-2-b",
        (Some("adhoc-clauses"), _) => "A46-3-a",
        (Some("code-of-conduct"), _) => "A46-2-e",
        (Some("certification"), _) => "A46-2-f",
        (Some("legally-binding-instrument"), _) => "A46-2-a",
        (Some("derogation"), Some(d)) => match d {
            "explicit-consent" => "A49-1-a",
            "contract" => "A49-1-b",
            "contract-in-interest" => "A49-1-c",
            "public-interest" => "A49-1-d",
            "legal-claims" => "A49-1-e",
            "vital-interests" => "A49-1-f",
            "public-register" => "A49-1-g",
            _ => "A49",
        },
        (Some("derogation"), None) => "A49",
        (Some(_), _) => return None,
        (None, _) if t.status.starts_with("adequate") => "A45-3",
        (None, _) => return None,
    };
    Some(format!("eu-gdpr:{term}"))
}

fn measure_iri(keyword: &str) -> Option<&'static str> {
    Some(match keyword {
        "encryption" => "dpv:Encryption",
        "pseudonymisation" => "dpv:Pseudonymisation",
        "anonymisation" => "dpv:Anonymisation",
        "hashing" => "dpv:HashFunctions",
        "access-control" => "dpv:AccessControlMethod",
        "logging" => "dpv:LoggingPolicy",
        "backup" => "dpv:DataBackupProtocols",
        "https" => "dpv:EncryptionInTransfer",
        "mfa" => "dpv:MultiFactorAuthentication",
        "training" => "dpv:StaffTraining",
        "network-segregation" => "dpv:NetworkSecurityProtocols",
        _ => return None,
    })
}

/// `7 years` as an xsd:duration (`P7Y`); weeks as days, hours as `PT…H`.
fn xsd_duration(period: &str) -> Option<String> {
    let d = super::parse_duration(period)?;
    use crate::time::Unit::*;
    Some(match d.unit {
        Hour => format!("PT{}H", d.count),
        Day => format!("P{}D", d.count),
        Week => format!("P{}D", d.count.saturating_mul(7)),
        Month => format!("P{}M", d.count),
        Year => format!("P{}Y", d.count),
    })
}

pub fn render(r: &Register) -> String {
    let controller = r.controller.name.as_deref().unwrap_or("controller");
    let base = format!("urn:lawful:{}:", segment(controller));
    let id = |kind: &str, name: &str| format!("{base}{kind}:{}", segment(name));
    let mut graph: Vec<Value> = Vec::new();
    let mut nodes: std::collections::BTreeMap<String, Value> = std::collections::BTreeMap::new();
    let c = &r.controller;
    let mut controller_node = Map::new();
    controller_node.insert("@id".into(), json!(id("controller", controller)));
    controller_node.insert("@type".into(), json!("dpv:DataController"));
    controller_node.insert(
        "rdfs:label".into(),
        json!(c.title.clone().unwrap_or(controller.to_string())),
    );
    if let Some(country) = &c.country {
        controller_node.insert(
            "dpv:hasCountry".into(),
            json!({"@id": format!("loc:{country}")}),
        );
    }
    if let Some(contact) = &c.contact {
        controller_node.insert("dct:description".into(), json!(contact));
    }
    if let Some(dpo) = &c.dpo {
        controller_node.insert(
            "dpv:hasDataProtectionOfficer".into(),
            json!({"@id": id("dpo", controller), "@type": "dpv:DataProtectionOfficer", "rdfs:label": dpo}),
        );
    }
    if let Some(representative) = &c.representative {
        controller_node.insert(
            "dpv:hasRepresentative".into(),
            json!({"@id": id("representative", controller), "@type": "dpv:Representative", "rdfs:label": representative}),
        );
    }
    graph.push(Value::Object(controller_node));
    let party =
        |nodes: &mut std::collections::BTreeMap<String, Value>, r: &RecipientEntry, kind: &str| {
            let party_id = id("party", &r.name);
            nodes.entry(party_id.clone()).or_insert_with(|| {
                let mut node = json!({
                    "@id": party_id,
                    "@type": kind,
                    "rdfs:label": r.title.clone().unwrap_or(r.name.clone()),
                });
                if let Some(country) = &r.country {
                    node["dpv:hasCountry"] = json!({"@id": format!("loc:{country}")});
                }
                node
            });
            json!({"@id": party_id})
        };
    for a in &r.activities {
        graph.push(activity(a, &id, &mut nodes, &party, controller));
    }
    graph.extend(nodes.into_values());
    // The register itself is a node of the default graph (a top-level `@id` would make the
    // `@graph` a named graph).
    graph.insert(
        0,
        json!({
            "@id": format!("{base}register"),
            "@type": "dpv:RecordsOfActivities",
            "dct:date": r.date,
            "dct:title": "Record of processing activities (GDPR Art. 30)",
        }),
    );
    let document = json!({
        "@context": {
            "dpv": DPV,
            "eu-gdpr": GDPR,
            "loc": "https://w3id.org/dpv/loc#",
            "dct": "http://purl.org/dc/terms/",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "dpv:hasDuration": {"@type": "xsd:duration"},
            "dct:date": {"@type": "xsd:date"},
        },
        "@graph": graph,
    });
    serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
}

type PartyFn<'a> =
    dyn Fn(&mut std::collections::BTreeMap<String, Value>, &RecipientEntry, &str) -> Value + 'a;

fn activity(
    a: &ActivityEntry,
    id: &dyn Fn(&str, &str) -> String,
    nodes: &mut std::collections::BTreeMap<String, Value>,
    party: &PartyFn<'_>,
    controller: &str,
) -> Value {
    let mut node = Map::new();
    node.insert("@id".into(), json!(id("activity", &a.name)));
    node.insert("@type".into(), json!("dpv:Process"));
    node.insert(
        "rdfs:label".into(),
        json!(a.title.clone().unwrap_or(a.name.clone())),
    );
    node.insert(
        "dpv:hasDataController".into(),
        json!({"@id": id("controller", controller)}),
    );
    if let Some(p) = &a.purpose {
        let mut types = vec![json!("dpv:Purpose")];
        match p.kind.as_str() {
            "marketing" => types.push(json!("dpv:DirectMarketing")),
            "research" => types.push(json!("dpv:ResearchAndDevelopment")),
            _ => {}
        }
        node.insert(
            "dpv:hasPurpose".into(),
            json!({"@id": id("purpose", &p.name), "@type": types, "rdfs:label": p.title.clone().unwrap_or(p.name.clone())}),
        );
    }
    let mut bases = Vec::new();
    if let Some(b) = &a.basis {
        let point = b.article.trim_start_matches("6(1)(").trim_end_matches(')');
        bases.push(json!({"@id": format!("eu-gdpr:A6-1-{point}")}));
    }
    if let Some(c) = &a.special_condition {
        let point = c.article.trim_start_matches("9(2)(").trim_end_matches(')');
        bases.push(json!({"@id": format!("eu-gdpr:A9-2-{point}")}));
    }
    if !bases.is_empty() {
        node.insert("dpv:hasLegalBasis".into(), Value::Array(bases));
    }
    node.insert(
        "dpv:hasDataSubject".into(),
        Value::Array(
            a.subjects
                .iter()
                .map(|s| json!({"@id": id("subjects", &s.name), "@type": "dpv:DataSubject", "rdfs:label": s.title.clone().unwrap_or(s.name.clone())}))
                .collect(),
        ),
    );
    node.insert(
        "dpv:hasPersonalData".into(),
        Value::Array(
            a.data
                .iter()
                .map(|d| {
                    let kind = if d.special.is_some() {
                        "dpv:SpecialCategoryPersonalData"
                    } else if d.criminal {
                        "dpv:SensitivePersonalData"
                    } else {
                        "dpv:PersonalData"
                    };
                    json!({"@id": id("data", &d.name), "@type": kind, "rdfs:label": d.title.clone().unwrap_or(d.name.clone())})
                })
                .collect(),
        ),
    );
    let mut recipients = Vec::new();
    let mut processors = Vec::new();
    let mut joint = Vec::new();
    for r in &a.recipients.processors {
        let reference = party(nodes, r, "dpv:DataProcessor");
        processors.push(reference.clone());
        recipients.push(reference);
    }
    for r in &a.recipients.controllers {
        recipients.push(party(nodes, r, "dpv:DataController"));
    }
    for r in &a.recipients.joint_controllers {
        let reference = party(nodes, r, "dpv:DataController");
        joint.push(reference.clone());
        recipients.push(reference);
    }
    if !recipients.is_empty() {
        node.insert("dpv:hasRecipient".into(), Value::Array(recipients));
    }
    if !processors.is_empty() {
        node.insert("dpv:hasDataProcessor".into(), Value::Array(processors));
    }
    if !joint.is_empty() {
        node.insert(
            "dpv:hasJointDataControllers".into(),
            json!({"@id": id("joint-controllers", &a.name), "@type": "dpv:JointDataControllers", "dpv:hasDataController": joint}),
        );
    }
    if let Some(period) = a.retention.as_ref().and_then(|r| r.period.as_deref()) {
        let mut storage = json!({"@id": id("retention", &a.name), "@type": "dpv:StorageDuration"});
        if let Some(duration) = xsd_duration(period) {
            storage["dpv:hasDuration"] = json!(duration);
        }
        if let Some(after) = a.retention.as_ref().and_then(|r| r.after.as_deref()) {
            storage["rdfs:comment"] = json!(format!("after {after}"));
        }
        node.insert("dpv:hasStorageCondition".into(), storage);
    } else if let Some(r) = &a.retention {
        node.insert(
            "dpv:hasStorageCondition".into(),
            json!({"@id": id("retention", &a.name), "@type": "dpv:StorageDuration", "rdfs:comment": r.kind}),
        );
    }
    let measures: Vec<Value> = a
        .measures
        .iter()
        .map(|m| match measure_iri(&m.measure).filter(|_| !m.custom) {
            Some(iri) => json!({"@id": iri}),
            None => json!({"@type": "dpv:TechnicalOrganisationalMeasure", "rdfs:label": m.measure}),
        })
        .collect();
    if !measures.is_empty() {
        node.insert(
            "dpv:hasTechnicalOrganisationalMeasure".into(),
            Value::Array(measures),
        );
    }
    let transfers: Vec<Value> = a
        .transfers
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut transfer = json!({
                "@id": format!("{}:transfer:{}", id("activity", &a.name), i + 1),
                "@type": "dpv:Process",
                "dpv:hasProcessing": {"@id": "dpv:Transfer"},
                "dpv:hasRecipient": {"@id": id(t.to.split(':').next().unwrap_or("party"), super::bare(&t.to))},
                "dpv:hasThirdCountry": {"@id": format!("loc:{}", t.country)},
                "dpv:hasCountry": {"@id": format!("loc:{}", t.country)},
            });
            if let Some(iri) = mechanism_iri(t) {
                transfer["dpv:hasLegalBasis"] = json!({"@id": iri});
            }
            if let Some(tia) = &t.tia {
                transfer["dpv:hasImpactAssessment"] = json!({"@type": "dpv:ImpactAssessment", "rdfs:label": tia});
            }
            transfer
        })
        .collect();
    if !transfers.is_empty() {
        node.insert("dpv:hasProcess".into(), Value::Array(transfers));
    }
    if let Some(reference) = &a.dpia.reference {
        node.insert(
            "dpv:hasImpactAssessment".into(),
            json!({"@id": id("dpia", &a.name), "@type": "dpv:DPIA", "rdfs:label": reference}),
        );
    }
    if a.automated_decision.is_some() {
        node.insert(
            "dpv:hasContext".into(),
            json!({"@id": "dpv:AutomatedDecisionMaking"}),
        );
    }
    Value::Object(node)
}
