//! The data-flow graph of SPEC §4.1: which edges exist and what data each carries.

mod support;

use lawful::flow::{EdgeKind, Node};
use petgraph::visit::EdgeRef;

const SHOP: &str = r#"controller shop "Shop" { country NL; contact "p@shop.nl"; notice "https://shop.nl/p" }
activity orders "Orders" {
  purpose contract-performance
  basis contract
  subjects customers
  data contact-details
  recipient mailco { data email }
  systems crm
  retention 1 year
}
activity fraud "Fraud" {
  purpose fraud-prevention
  basis legitimate-interest { interest "i"; assessment "a" }
  subjects customers
  data ip-address
  reuses orders { data name }
  retention 1 year
}
party mailco "MailCo" { role processor; country NL; subprocessors cdn }
party cdn "CDN" { role processor; country NL }
party idle "Idle processor" { role processor; country NL; subprocessors cdn }
party host "Host" { role processor; country NL }
system crm "CRM" { hosted-by host }
system unused "Unused" { hosted-by idle }
"#;

/// Every edge as "source -kind-> target [data]", with names instead of indices.
fn edges() -> Vec<String> {
    let (_, analysis) = support::check_files(&[("shop.lawful", SHOP)]);
    let model = &analysis.model;
    let graph = &analysis.flow.graph;
    let name = |node: Node| match node {
        Node::Subjects(i) => format!("subjects:{}", model.subjects[i].header.name),
        Node::Activity(i) => format!("activity:{}", model.activities[i].header.name),
        Node::Party(i) => format!("party:{}", model.parties[i].header.name),
        Node::System(i) => format!("system:{}", model.systems[i].header.name),
    };
    let mut edges: Vec<String> = graph
        .edge_references()
        .map(|edge| {
            let kind = match edge.weight().kind {
                EdgeKind::Collection => "collects",
                EdgeKind::Recipient { .. } => "sends",
                EdgeKind::Storage => "stores",
                EdgeKind::Hosting { .. } => "hosted",
                EdgeKind::Subprocessing { .. } => "subprocesses",
                EdgeKind::Reuse { .. } => "reused-by",
            };
            let data: Vec<&str> = edge.weight().data.iter().map(String::as_str).collect();
            format!(
                "{} -{kind}-> {} [{}]",
                name(graph[edge.source()]),
                name(graph[edge.target()]),
                data.join(",")
            )
        })
        .collect();
    edges.sort();
    edges
}

#[test]
fn edges_follow_the_spec_and_carry_expanded_data() {
    assert_eq!(
        edges(),
        [
            "activity:orders -reused-by-> activity:fraud [name]",
            "activity:orders -sends-> party:mailco [email]",
            "activity:orders -stores-> system:crm [address,email,name,phone]",
            "party:mailco -subprocesses-> party:cdn [email]",
            "subjects:customers -collects-> activity:fraud [ip-address]",
            "subjects:customers -collects-> activity:orders [address,email,name,phone]",
            "system:crm -hosted-> party:host [address,email,name,phone]",
        ]
    );
}

#[test]
fn holdings_include_reused_data_and_unreached_parties_send_nothing() {
    let (_, analysis) = support::check_files(&[("shop.lawful", SHOP)]);
    let model = &analysis.model;
    let fraud = model
        .position(lawful::syntax::ast::Kind::Activity, "fraud")
        .unwrap();
    let holdings: Vec<&str> = analysis.flow.holdings[fraud]
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(holdings, ["ip-address", "name"]);
    let idle = model
        .position(lawful::syntax::ast::Kind::Party, "idle")
        .unwrap();
    let cdn = model
        .position(lawful::syntax::ast::Kind::Party, "cdn")
        .unwrap();
    assert!(
        !analysis.flow.reaches_party(idle),
        "no system in use is hosted by `idle`"
    );
    assert!(analysis.flow.reaches_party(cdn));
    assert_eq!(
        analysis.flow.party_data(cdn).iter().collect::<Vec<_>>(),
        ["email"]
    );
}
