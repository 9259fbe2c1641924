//! The data-flow map (`lawful graph`): a pure function from an [`Analysis`] to a [`Map`] of
//! nodes and edges, and renderers of that map as Graphviz DOT, Mermaid, JSON and SVG (laid
//! out here, no external program).
//!
//! Nodes are the flow graph's subjects categories, activities, systems and parties; edges
//! its collection, reuse, storage, hosting, recipient and subprocessor edges. An edge into a
//! party or a system carries its destination country and how it stands under Chapter V
//! (`eea`, `own-country`, `adequate`, `partial-not-met`, `not-adequate`, `unknown`), the
//! transfer mechanism protecting it, and whether it is an unprotected third-country transfer.
//! Edges and nodes carry the codes of the findings anchored in their statement/declaration.
//!
//! Output is deterministic: nodes in layer then model order, edges in flow order, every list
//! sorted. Building the map is O((V + E) · C + D · log D) for D diagnostics: findings are
//! looked up by binary search in a sorted list of anchors. The SVG layout sweeps the layers
//! [`SWEEPS`] times, each O(E + V · log V).

use crate::analysis::Analysis;
use crate::diag::Diagnostic;
use crate::facts::{EdgeKind as FactEdge, TransferEdge, TransferStatus};
use crate::flow::{EdgeKind, Node};
use crate::source::Span;
use crate::time::Date;
use petgraph::visit::EdgeRef;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::fmt::Write as _;

/// Barycenter sweeps (down and up) of the SVG layout.
pub const SWEEPS: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    Subjects,
    Activity,
    System,
    Party,
}

#[derive(Clone, Debug, Serialize)]
pub struct MapNode {
    /// `activity:orders`: kind and name, unique in the map.
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    pub title: Option<String>,
    /// A party's country, a system's location (else its host's country).
    pub country: Option<String>,
    /// A party's role.
    pub role: Option<String>,
    /// Codes of the findings anchored in the declaration, sorted, without repeats.
    pub findings: Vec<&'static str>,
    /// Column in the layered layout: 0 subjects, 1 activities, 2 systems, 3+ parties.
    #[serde(skip)]
    pub layer: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct MapEdge {
    /// Index into `nodes`.
    pub from: usize,
    pub to: usize,
    /// `collection`, `reuse`, `storage`, `hosting`, `recipient` or `subprocessor`.
    pub kind: &'static str,
    /// Data categories carried, composites expanded, sorted.
    pub data: Vec<String>,
    /// Those of `data` that are special (Art. 9) or criminal (Art. 10) categories.
    pub special: Vec<String>,
    /// The destination country of an edge into a party or a system.
    pub country: Option<String>,
    /// How the destination stands: `eea`, `own-country`, `adequate`, `partial-not-met`,
    /// `not-adequate`, `unknown`; `None` for edges that cross no border.
    pub status: Option<&'static str>,
    /// The transfer mechanism protecting the edge (`scc`, `bcr`, …).
    pub mechanism: Option<String>,
    /// A transfer to a third country that is neither adequate nor protected.
    pub unprotected: bool,
    /// Codes of the findings anchored in the edge's statement, sorted, without repeats.
    pub findings: Vec<&'static str>,
}

impl MapEdge {
    /// A transfer outside the EEA that needs a mechanism (adequate or not).
    pub fn third_country(&self) -> bool {
        matches!(
            self.status,
            Some("adequate" | "partial-not-met" | "not-adequate")
        )
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Map {
    pub version: u32,
    pub nodes: Vec<MapNode>,
    pub edges: Vec<MapEdge>,
}

/// Diagnostic anchors sorted by (file, offset), for "findings inside this span" lookups. Each
/// distinct set of spans is looked up once (`subprocessors a, b, …` is one statement for many
/// edges), so the lookups cost O(D log D) plus the anchors inside distinct statements.
struct Anchors {
    sorted: Vec<(u32, u32, &'static str)>,
    memo: std::cell::RefCell<std::collections::HashMap<Vec<Span>, Vec<&'static str>>>,
}

impl Anchors {
    fn new(diagnostics: &[Diagnostic]) -> Anchors {
        let mut sorted: Vec<(u32, u32, &'static str)> = diagnostics
            .iter()
            .filter_map(|d| d.primary.map(|s| (s.file.0, s.start, d.code)))
            .collect();
        sorted.sort_unstable();
        Anchors {
            sorted,
            memo: Default::default(),
        }
    }

    fn within(&self, spans: &[Span]) -> Vec<&'static str> {
        if let Some(known) = self.memo.borrow().get(spans) {
            return known.clone();
        }
        let found = self.scan(spans);
        self.memo.borrow_mut().insert(spans.to_vec(), found.clone());
        found
    }

    fn scan(&self, spans: &[Span]) -> Vec<&'static str> {
        let mut codes = BTreeSet::new();
        for span in spans {
            let from = self
                .sorted
                .partition_point(|a| (a.0, a.1) < (span.file.0, span.start));
            for anchor in &self.sorted[from..] {
                if anchor.0 != span.file.0 || anchor.1 >= span.end.max(span.start + 1) {
                    break;
                }
                codes.insert(anchor.2);
            }
        }
        codes.into_iter().collect()
    }
}

/// The map's word for a transfer edge's standing, as judged by the facts stage.
fn status_word(status: &TransferStatus) -> &'static str {
    match status {
        TransferStatus::Unknown => "unknown",
        TransferStatus::Eea => "eea",
        TransferStatus::OwnCountry => "own-country",
        TransferStatus::AdequateFull { .. } | TransferStatus::AdequatePartial { .. } => "adequate",
        TransferStatus::PartialNotMet { .. } => "partial-not-met",
        TransferStatus::NoDecision => "not-adequate",
    }
}

/// Builds the map of one analysed workspace. Adequacy decisions are judged by the facts
/// stage on the analysis' own date; `_today` stays for callers written before that.
pub fn build(analysis: &Analysis, _today: Date) -> Map {
    let model = &analysis.model;
    let flow = &analysis.flow;
    let anchors = Anchors::new(&analysis.diagnostics);
    let graph = &flow.graph;
    // Which flow nodes are drawn: user declarations, and whatever an edge touches.
    let mut touched = vec![false; graph.node_count()];
    for edge in graph.edge_references() {
        touched[edge.source().index()] = true;
        touched[edge.target().index()] = true;
    }
    let mut order: Vec<(usize, usize, usize)> = Vec::new(); // (layer rank, model index, flow node)
    for index in graph.node_indices() {
        let from_stdlib = match graph[index] {
            Node::Subjects(i) => model.subjects[i].header.from_stdlib,
            Node::Activity(i) => model.activities[i].header.from_stdlib,
            Node::Party(i) => model.parties[i].header.from_stdlib,
            Node::System(i) => model.systems[i].header.from_stdlib,
        };
        if from_stdlib && !touched[index.index()] {
            continue;
        }
        let (rank, i) = match graph[index] {
            Node::Subjects(i) => (0, i),
            Node::Activity(i) => (1, i),
            Node::System(i) => (2, i),
            Node::Party(i) => (3, i),
        };
        order.push((rank, i, index.index()));
    }
    order.sort_unstable();
    let mut position = vec![usize::MAX; graph.node_count()];
    let mut nodes = Vec::with_capacity(order.len());
    for (rank, i, flow_index) in order {
        position[flow_index] = nodes.len();
        let (kind, header, country, role) = match graph[petgraph::graph::NodeIndex::new(flow_index)]
        {
            Node::Subjects(_) => (NodeKind::Subjects, &model.subjects[i].header, None, None),
            Node::Activity(_) => (NodeKind::Activity, &model.activities[i].header, None, None),
            Node::System(_) => {
                let system = &model.systems[i];
                let host = system
                    .hosted_by
                    .as_ref()
                    .and_then(|h| model.party(&h.value.name));
                let country = system
                    .location
                    .as_ref()
                    .map(|l| l.value.name.clone())
                    .or_else(|| {
                        host.and_then(|h| h.country.as_ref())
                            .map(|c| c.name.clone())
                    });
                (NodeKind::System, &system.header, country, None)
            }
            Node::Party(_) => {
                let party = &model.parties[i];
                (
                    NodeKind::Party,
                    &party.header,
                    party.country.as_ref().map(|c| c.name.clone()),
                    party.role.map(|r| r.keyword().to_string()),
                )
            }
        };
        nodes.push(MapNode {
            id: format!("{}:{}", kind_word(kind), header.name),
            kind,
            name: header.name.clone(),
            title: header.title.clone(),
            country,
            role,
            findings: anchors.within(&[header.span]),
            layer: rank,
        });
    }
    // The facts stage's transfer edges, by what they connect: one pass, so a wide workspace
    // costs no quadratic search. Country, standing and mechanism are read from them, so the
    // map judges adequacy exactly as the rules and the register do.
    let mut recipient_edges: HashMap<(usize, Span), &TransferEdge> = HashMap::new();
    let mut location_edges: HashMap<usize, &TransferEdge> = HashMap::new();
    let mut host_edges: HashMap<usize, &TransferEdge> = HashMap::new();
    let mut onward_edges: HashMap<(usize, usize, Span), &TransferEdge> = HashMap::new();
    for edge in &analysis.facts.transfers {
        match edge.kind {
            FactEdge::Recipient { activity, .. } => {
                recipient_edges
                    .entry((activity, edge.anchor))
                    .or_insert(edge);
            }
            FactEdge::SystemLocation { system } => {
                location_edges.entry(system).or_insert(edge);
            }
            FactEdge::SystemHost { system, .. } => {
                host_edges.entry(system).or_insert(edge);
            }
            FactEdge::Subprocessor {
                processor,
                subprocessor,
                ..
            } => {
                onward_edges
                    .entry((processor, subprocessor, edge.anchor))
                    .or_insert(edge);
            }
        }
    }
    let mut edges = Vec::new();
    for edge in graph.edge_references() {
        let (from, to) = (
            position[edge.source().index()],
            position[edge.target().index()],
        );
        if from == usize::MAX || to == usize::MAX {
            continue;
        }
        let weight = edge.weight();
        let data: Vec<String> = weight.data.iter().cloned().collect();
        let special: Vec<String> = data
            .iter()
            .filter(|d| {
                model
                    .data_category(d)
                    .is_some_and(|c| c.special.is_some() || c.criminal)
            })
            .cloned()
            .collect();
        let target = graph[edge.target()];
        let source = graph[edge.source()];
        // (kind, the facts' transfer edge, statements for findings)
        let (kind, fact, spans): (&'static str, Option<&TransferEdge>, Vec<Span>) =
            match (&weight.kind, source, target) {
                (EdgeKind::Collection, _, _) => ("collection", None, vec![]),
                (EdgeKind::Reuse { stmt }, _, _) => ("reuse", None, vec![*stmt]),
                (EdgeKind::Recipient { stmt }, Node::Activity(a), Node::Party(_)) => (
                    "recipient",
                    recipient_edges.get(&(a, *stmt)).copied(),
                    vec![*stmt],
                ),
                (EdgeKind::Storage, _, Node::System(s)) => (
                    "storage",
                    // Stored in the system's location, else where its host keeps it.
                    location_edges
                        .get(&s)
                        .or_else(|| host_edges.get(&s))
                        .copied(),
                    model.systems[s].location.iter().map(|l| l.stmt).collect(),
                ),
                (EdgeKind::Hosting { stmt }, Node::System(s), Node::Party(_)) => {
                    ("hosting", host_edges.get(&s).copied(), vec![*stmt])
                }
                (EdgeKind::Subprocessing { stmt }, Node::Party(p), Node::Party(q)) => (
                    "subprocessor",
                    onward_edges.get(&(p, q, *stmt)).copied(),
                    vec![*stmt],
                ),
                // The flow graph builds no other combination; drawn plainly if it ever does.
                (EdgeKind::Recipient { .. }, _, _) => ("recipient", None, vec![]),
                (EdgeKind::Storage, _, _) => ("storage", None, vec![]),
                (EdgeKind::Hosting { .. }, _, _) => ("hosting", None, vec![]),
                (EdgeKind::Subprocessing { .. }, _, _) => ("subprocessor", None, vec![]),
            };
        let country = fact.map(|f| f.country.clone());
        let status = fact.map(|f| status_word(&f.status));
        let mechanism = fact
            .and_then(|f| f.protection.as_ref())
            .map(|t| match &t.derogation {
                Some(d) => format!("{} {}", t.mechanism.keyword(), d.keyword()),
                None => t.mechanism.keyword().to_string(),
            });
        let unprotected = fact.is_some_and(|f| f.status.needs_tool() && f.protection.is_none());
        edges.push(MapEdge {
            from,
            to,
            kind,
            data,
            special,
            country,
            status,
            mechanism,
            unprotected,
            findings: anchors.within(&spans),
        });
    }
    // Parties reached only through subprocessors sit in deeper columns (BFS, linear).
    let mut only_through_subprocessors = vec![true; nodes.len()];
    let mut reached_as_subprocessor = vec![false; nodes.len()];
    for e in &edges {
        if e.kind == "subprocessor" {
            reached_as_subprocessor[e.to] = true;
        } else {
            only_through_subprocessors[e.to] = false;
        }
    }
    let mut queue: VecDeque<usize> = (0..nodes.len())
        .filter(|i| nodes[*i].kind == NodeKind::Party)
        .filter(|i| !(reached_as_subprocessor[*i] && only_through_subprocessors[*i]))
        .collect();
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for e in edges.iter().filter(|e| e.kind == "subprocessor") {
        outgoing[e.from].push(e.to);
    }
    let mut settled = vec![false; nodes.len()];
    for i in &queue {
        settled[*i] = true;
    }
    while let Some(i) = queue.pop_front() {
        for &j in &outgoing[i] {
            if !settled[j] {
                settled[j] = true;
                nodes[j].layer = nodes[i].layer + 1;
                queue.push_back(j);
            }
        }
    }
    Map {
        version: 1,
        nodes,
        edges,
    }
}

fn kind_word(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Subjects => "subjects",
        NodeKind::Activity => "activity",
        NodeKind::System => "system",
        NodeKind::Party => "party",
    }
}

/// The JSON document: `{ "version": 1, "nodes": [...], "edges": [...] }`.
pub fn json(map: &Map) -> String {
    serde_json::to_string_pretty(map).unwrap_or_default() + "\n"
}

/// Several workspaces' maps as one JSON array.
pub fn json_many(maps: &[Map]) -> String {
    serde_json::to_string_pretty(maps).unwrap_or_default() + "\n"
}

/// Text shown for a node: its name, with role and country; the title goes in the tooltip.
fn node_label(node: &MapNode) -> String {
    let mut label = node.name.clone();
    let mut extra = Vec::new();
    if let Some(role) = &node.role {
        extra.push(role.clone());
    }
    if let Some(country) = &node.country {
        extra.push(country.clone());
    }
    if !extra.is_empty() {
        label.push_str(&format!(" ({})", extra.join(", ")));
    }
    clean(&label)
}

/// A node's tooltip: its id, its title, its findings.
fn tooltip(node: &MapNode) -> String {
    let mut text = node.id.clone();
    if let Some(title) = &node.title {
        text.push_str(&format!(": {title}"));
    }
    if !node.findings.is_empty() {
        text.push_str(&format!(" (findings: {})", node.findings.join(", ")));
    }
    clean(&text)
}

/// The short label of an edge: the border it crosses and the findings on it.
fn edge_label(edge: &MapEdge) -> String {
    let mut parts = Vec::new();
    if edge.third_country() {
        let country = edge.country.as_deref().unwrap_or("?");
        parts.push(match (&edge.mechanism, edge.status) {
            (Some(m), Some("adequate")) => format!("{country}: adequacy, {m}"),
            (None, Some("adequate")) => format!("{country}: adequacy"),
            (Some(m), _) => format!("{country}: {m}"),
            (None, _) => format!("{country}: no mechanism"),
        });
    }
    if !edge.findings.is_empty() {
        parts.push(format!("⚠ {}", edge.findings.join(" ")));
    }
    clean(&parts.join(" · "))
}

/// Data categories of an edge, for tooltips: special ones marked with `*`.
fn edge_data(edge: &MapEdge) -> String {
    clean(
        &edge
            .data
            .iter()
            .map(|d| {
                if edge.special.contains(d) {
                    format!("{d}*")
                } else {
                    d.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// User text made printable and bounded (hidden characters escaped, long words cut).
fn clean(text: &str) -> String {
    crate::diag::clean_text(text, false)
}

const RED: &str = "#cf222e";
const ORANGE: &str = "#bc4c00";
const GREY: &str = "#6e7781";

fn edge_color(edge: &MapEdge) -> &'static str {
    if edge.unprotected {
        RED
    } else if edge.third_country() {
        ORANGE
    } else {
        GREY
    }
}

fn dot_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Graphviz DOT: `dot -Tsvg map.dot > map.svg`.
pub fn dot(map: &Map) -> String {
    let mut out = String::from(
        "digraph lawful {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=9];\n",
    );
    for (i, node) in map.nodes.iter().enumerate() {
        let shape = match node.kind {
            NodeKind::Subjects => "shape=ellipse",
            NodeKind::Activity => "shape=box, style=rounded",
            NodeKind::System => "shape=cylinder",
            NodeKind::Party => "shape=hexagon",
        };
        let mut label = node_label(node);
        if !node.findings.is_empty() {
            label.push_str(&format!("\n⚠ {}", node.findings.join(" ")));
        }
        let color = if node.findings.is_empty() {
            String::new()
        } else {
            format!(", color={}", dot_string(RED))
        };
        let _ = writeln!(
            out,
            "  n{i} [{shape}, label={}, tooltip={}{color}];",
            dot_string(&label),
            dot_string(&tooltip(node))
        );
    }
    // One column per layer, as in the SVG (one pass: a long subprocessor chain has many layers).
    let mut layers: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    for (i, node) in map.nodes.iter().enumerate() {
        layers.entry(node.layer).or_default().push(format!("n{i}"));
    }
    for members in layers.values() {
        let _ = writeln!(out, "  {{ rank=same; {}; }}", members.join("; "));
    }
    for edge in &map.edges {
        let mut attributes = vec![
            format!("color={}", dot_string(edge_color(edge))),
            format!("tooltip={}", dot_string(&edge_data(edge))),
        ];
        let label = edge_label(edge);
        if !label.is_empty() {
            attributes.push(format!("label={}", dot_string(&label)));
            attributes.push(format!("fontcolor={}", dot_string(edge_color(edge))));
        }
        if edge.unprotected || edge.third_country() {
            attributes.push("penwidth=2".to_string());
        }
        if !edge.findings.is_empty() {
            attributes.push("style=dashed".to_string());
        }
        let _ = writeln!(
            out,
            "  n{} -> n{} [{}];",
            edge.from,
            edge.to,
            attributes.join(", ")
        );
    }
    out.push_str("}\n");
    out
}

fn mermaid_text(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// Mermaid `flowchart LR`, for Markdown that renders it (GitHub, GitLab).
pub fn mermaid(map: &Map) -> String {
    let mut out = String::from("flowchart LR\n");
    for (i, node) in map.nodes.iter().enumerate() {
        let label = mermaid_text(&node_label(node));
        let _ = match node.kind {
            NodeKind::Subjects => writeln!(out, "  n{i}([\"{label}\"])"),
            NodeKind::Activity => writeln!(out, "  n{i}(\"{label}\")"),
            NodeKind::System => writeln!(out, "  n{i}[(\"{label}\")]"),
            NodeKind::Party => writeln!(out, "  n{i}{{{{\"{label}\"}}}}"),
        };
    }
    let mut styles = Vec::new();
    for (i, edge) in map.edges.iter().enumerate() {
        let label = edge_label(edge);
        let arrow = if edge.findings.is_empty() {
            "-->"
        } else {
            "-.->"
        };
        if label.is_empty() {
            let _ = writeln!(out, "  n{} {arrow} n{}", edge.from, edge.to);
        } else {
            let _ = writeln!(
                out,
                "  n{} {arrow}|\"{}\"| n{}",
                edge.from,
                mermaid_text(&label),
                edge.to
            );
        }
        if edge.unprotected || edge.third_country() {
            styles.push(format!(
                "  linkStyle {i} stroke:{},stroke-width:3px",
                edge_color(edge)
            ));
        }
    }
    for (i, node) in map.nodes.iter().enumerate() {
        if !node.findings.is_empty() {
            styles.push(format!("  style n{i} stroke:{RED},stroke-width:2px"));
        }
    }
    for line in styles {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------------------------
// SVG

const NODE_W: i64 = 220;
const NODE_H: i64 = 36;
const GAP_Y: i64 = 16;
const GAP_X: i64 = 130;
const MARGIN: i64 = 24;
const TOP: i64 = 64;
/// Characters of a label that fit a node at 11 px.
const LABEL_CHARS: usize = 34;

/// The rows of each layer after barycenter crossing reduction: `rows[layer]` lists node
/// indices top to bottom. Deterministic: ties keep the previous order.
pub fn layout(map: &Map) -> Vec<Vec<usize>> {
    let layers = map.nodes.iter().map(|n| n.layer + 1).max().unwrap_or(0);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for (i, node) in map.nodes.iter().enumerate() {
        rows[node.layer].push(i);
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); map.nodes.len()];
    for edge in &map.edges {
        if map.nodes[edge.from].layer != map.nodes[edge.to].layer {
            neighbours[edge.from].push(edge.to);
            neighbours[edge.to].push(edge.from);
        }
    }
    let mut rank = vec![0usize; map.nodes.len()];
    let reset = |rows: &Vec<Vec<usize>>, rank: &mut Vec<usize>| {
        for row in rows {
            for (r, i) in row.iter().enumerate() {
                rank[*i] = r;
            }
        }
    };
    reset(&rows, &mut rank);
    for sweep in 0..SWEEPS {
        let order: Vec<usize> = if sweep % 2 == 0 {
            (1..layers).collect()
        } else {
            (0..layers.saturating_sub(1)).rev().collect()
        };
        for layer in order {
            let toward = if sweep % 2 == 0 { layer - 1 } else { layer + 1 };
            // Barycenter ×1000 as an integer, so the order never depends on float rounding;
            // a node without neighbours in the other layer keeps its place.
            let mut keyed: Vec<(i64, usize, usize)> = rows[layer]
                .iter()
                .map(|&i| {
                    let near: Vec<usize> = neighbours[i]
                        .iter()
                        .filter(|j| map.nodes[**j].layer == toward)
                        .map(|j| rank[*j])
                        .collect();
                    let key = if near.is_empty() {
                        rank[i] as i64 * 1000
                    } else {
                        near.iter().sum::<usize>() as i64 * 1000 / near.len() as i64
                    };
                    (key, rank[i], i)
                })
                .collect();
            keyed.sort_unstable();
            rows[layer] = keyed.into_iter().map(|(_, _, i)| i).collect();
            for (r, i) in rows[layer].iter().enumerate() {
                rank[*i] = r;
            }
        }
    }
    rows
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn fit(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(chars.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// A standalone SVG: subjects, activities, systems and parties in columns left to right.
pub fn svg(map: &Map) -> String {
    let rows = layout(map);
    let tallest = rows.iter().map(Vec::len).max().unwrap_or(0) as i64;
    let height_of = |n: i64| n * NODE_H + (n - 1).max(0) * GAP_Y;
    let body = height_of(tallest.max(1));
    let mut at = vec![(0i64, 0i64); map.nodes.len()];
    for (layer, row) in rows.iter().enumerate() {
        let x = MARGIN + layer as i64 * (NODE_W + GAP_X);
        let y0 = TOP + (body - height_of(row.len() as i64)) / 2;
        for (r, i) in row.iter().enumerate() {
            at[*i] = (x, y0 + r as i64 * (NODE_H + GAP_Y));
        }
    }
    let width = MARGIN * 2 + rows.len().max(1) as i64 * (NODE_W + GAP_X) - GAP_X + 60;
    let height = TOP + body + MARGIN;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">"
    );
    out.push_str("<title>Data-flow map</title>\n");
    let _ = writeln!(
        out,
        "<defs>{}</defs>",
        [("grey", GREY), ("orange", ORANGE), ("red", RED)]
            .iter()
            .map(|(id, color)| format!("<marker id=\"arrow-{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{color}\"/></marker>"))
            .collect::<String>()
    );
    let _ = writeln!(
        out,
        "<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>"
    );
    // Legend and column headings.
    let _ = writeln!(
        out,
        "<text x=\"{MARGIN}\" y=\"20\" font-size=\"12\"><tspan fill=\"{ORANGE}\" font-weight=\"bold\">━ third-country transfer</tspan>   <tspan fill=\"{RED}\" font-weight=\"bold\">━ unprotected transfer</tspan>   <tspan fill=\"{GREY}\">╌ edge with findings (⚠ codes)</tspan>   * special category</text>"
    );
    for (layer, _) in rows.iter().enumerate() {
        let heading = match layer {
            0 => "subjects",
            1 => "activities",
            2 => "systems",
            3 => "parties",
            _ => "subprocessors",
        };
        let x = MARGIN + layer as i64 * (NODE_W + GAP_X) + NODE_W / 2;
        let _ = writeln!(
            out,
            "<text x=\"{x}\" y=\"48\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#24292f\">{heading}</text>"
        );
    }
    // Edges first, so nodes sit on top of them.
    let mut labelled: BTreeSet<(usize, String)> = BTreeSet::new();
    for edge in &map.edges {
        let (fx, fy) = at[edge.from];
        let (tx, ty) = at[edge.to];
        let (sy, ey) = (fy + NODE_H / 2, ty + NODE_H / 2);
        let same = map.nodes[edge.from].layer == map.nodes[edge.to].layer;
        let (path, mid) = if same {
            // Within a column (reuse, a subprocessor in the same column): an arc on the right.
            let x = fx + NODE_W;
            let bulge = x + 40 + (sy - ey).abs() / 6;
            (
                format!("M{x},{sy} C{bulge},{sy} {bulge},{ey} {x},{ey}"),
                (bulge, (sy + ey) / 2, "start"),
            )
        } else if tx > fx {
            let (sx, ex) = (fx + NODE_W, tx);
            let c = (ex - sx) / 2;
            (
                format!("M{sx},{sy} C{},{sy} {},{ey} {ex},{ey}", sx + c, ex - c),
                (ex - 10, ey, "end"),
            )
        } else {
            let (sx, ex) = (fx, tx + NODE_W);
            let c = (sx - ex) / 2;
            (
                format!("M{sx},{sy} C{},{sy} {},{ey} {ex},{ey}", sx - c, ex + c),
                (ex + 10, ey, "start"),
            )
        };
        let color = edge_color(edge);
        let strong = edge.unprotected || edge.third_country();
        let dash = if edge.findings.is_empty() {
            ""
        } else {
            " stroke-dasharray=\"6 3\""
        };
        let _ = writeln!(
            out,
            "<g class=\"edge {}\"><title>{} → {}: {}</title><path d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{}\"{dash} marker-end=\"url(#arrow-{})\"/>",
            edge.kind,
            xml(&clean(&map.nodes[edge.from].name)),
            xml(&clean(&map.nodes[edge.to].name)),
            xml(&edge_data(edge)),
            if strong { 2.5 } else { 1.2 },
            if edge.unprotected {
                "red"
            } else if strong {
                "orange"
            } else {
                "grey"
            },
        );
        let label = edge_label(edge);
        // One label per text at each target: fifty edges into one party say it once.
        if !label.is_empty() && labelled.insert((edge.to, label.clone())) {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" fill=\"{color}\" font-size=\"10\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                mid.0,
                mid.1 - 4,
                mid.2,
                xml(&fit(&label, 40))
            );
        }
        out.push_str("</g>\n");
    }
    for (i, node) in map.nodes.iter().enumerate() {
        let (x, y) = at[i];
        let stroke = if node.findings.is_empty() {
            "#57606a"
        } else {
            RED
        };
        let (fill, shape) = match node.kind {
            NodeKind::Subjects => (
                "#ddf4ff",
                format!(
                    "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\"",
                    x + NODE_W / 2,
                    y + NODE_H / 2,
                    NODE_W / 2,
                    NODE_H / 2
                ),
            ),
            NodeKind::Activity => (
                "#fff8c5",
                format!(
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"8\""
                ),
            ),
            NodeKind::System => (
                "#eaeef2",
                format!(
                    "<path d=\"M{x},{} a{},6 0 0,1 {NODE_W},0 v{} a{},6 0 0,1 -{NODE_W},0 z M{x},{} a{},6 0 0,0 {NODE_W},0\"",
                    y + 6,
                    NODE_W / 2,
                    NODE_H - 12,
                    NODE_W / 2,
                    y + 6,
                    NODE_W / 2
                ),
            ),
            NodeKind::Party => (
                "#dafbe1",
                format!(
                    "<polygon points=\"{},{y} {},{y} {},{} {},{} {},{} {x},{}\"",
                    x + 12,
                    x + NODE_W - 12,
                    x + NODE_W,
                    y + NODE_H / 2,
                    x + NODE_W - 12,
                    y + NODE_H,
                    x + 12,
                    y + NODE_H,
                    y + NODE_H / 2
                ),
            ),
        };
        let tooltip = tooltip(node);
        let _ = writeln!(
            out,
            "<g class=\"node {}\"><title>{}</title>{shape} fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"/>",
            kind_word(node.kind),
            xml(&tooltip),
            if node.findings.is_empty() { 1 } else { 2 }
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#24292f\">{}</text>",
            x + NODE_W / 2,
            y + NODE_H / 2 + 4,
            xml(&fit(&node_label(node), LABEL_CHARS))
        );
        if !node.findings.is_empty() {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{RED}\" font-size=\"9\">⚠ {}</text>",
                x + NODE_W - 4,
                y - 2,
                xml(&fit(&node.findings.join(" "), 30))
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_each_format() {
        assert_eq!(dot_string("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(
            mermaid_text("a \"b\" <x> | #"),
            "a #quot;b#quot; #lt;x#gt; #124; #35;"
        );
        assert_eq!(xml("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
    }
}
