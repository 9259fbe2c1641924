//! `lawful graph`: the data-flow map of every example in each format, every field present,
//! same bytes every run, DOT rendered by Graphviz when it is installed, third-country edges
//! with country and mechanism, unprotected ones in red, findings on edges, and a readable
//! layered SVG at 50 activities.

#[path = "support/dir.rs"]
mod dir;
use dir::Dir;

mod support;

use lawful::graph::{self, Map, MapEdge, MapNode, NodeKind};
use serde_json::Value;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_lawful");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cwd: &Path, args: &[&str]) -> Run {
    let output = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the lawful binary runs");
    Run {
        code: output.status.code().expect("exited normally"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn examples() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(Path::new(ROOT).join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| format!("examples/{}", p.file_name().unwrap().to_str().unwrap()))
        .collect();
    names.sort();
    names
}

const NODE_FIELDS: [&str; 7] = ["id", "kind", "name", "title", "country", "role", "findings"];
const EDGE_FIELDS: [&str; 10] = [
    "from",
    "to",
    "kind",
    "data",
    "special",
    "country",
    "status",
    "mechanism",
    "unprotected",
    "findings",
];

fn graph_json(cwd: &Path, path: &str) -> Value {
    let out = run(cwd, &["graph", path, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

fn node<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("no node {id}"))
}

fn edge<'a>(json: &'a Value, from: &str, to: &str) -> &'a Value {
    let index = |id: &str| {
        json["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .position(|n| n["id"] == id)
            .unwrap_or_else(|| panic!("no node {id}"))
    };
    let (f, t) = (index(from), index(to));
    json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["from"] == f && e["to"] == t)
        .unwrap_or_else(|| panic!("no edge {from} → {to}"))
}

#[test]
fn every_example_has_every_field_in_json_and_each_activity_once() {
    let root = Path::new(ROOT);
    for example in examples() {
        let json = graph_json(root, &example);
        assert_eq!(json["version"], 1);
        let nodes = json["nodes"].as_array().unwrap();
        let edges = json["edges"].as_array().unwrap();
        assert!(!nodes.is_empty() && !edges.is_empty(), "{example}");
        for n in nodes {
            for field in NODE_FIELDS {
                assert!(
                    n.get(field).is_some(),
                    "{example}: node lacks `{field}`: {n}"
                );
            }
            let kind = n["kind"].as_str().unwrap();
            assert!(
                ["subjects", "activity", "system", "party"].contains(&kind),
                "{n}"
            );
            assert_eq!(n["id"], format!("{kind}:{}", n["name"].as_str().unwrap()));
        }
        for e in edges {
            for field in EDGE_FIELDS {
                assert!(
                    e.get(field).is_some(),
                    "{example}: edge lacks `{field}`: {e}"
                );
            }
            assert!(e["from"].as_u64().unwrap() < nodes.len() as u64);
            assert!(e["to"].as_u64().unwrap() < nodes.len() as u64);
            let kind = e["kind"].as_str().unwrap();
            assert!(
                [
                    "collection",
                    "reuse",
                    "storage",
                    "hosting",
                    "recipient",
                    "subprocessor"
                ]
                .contains(&kind),
                "{e}"
            );
            // Only edges into parties and systems cross borders.
            if ["collection", "reuse"].contains(&kind) {
                assert!(e["country"].is_null() && e["status"].is_null(), "{e}");
            }
            if e["unprotected"] == true {
                assert!(e["mechanism"].is_null(), "{e}");
            }
        }
        // Every activity of the example is drawn, once.
        let text: String = fs::read_dir(root.join(&example))
            .unwrap()
            .flat_map(|entry| {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    fs::read_dir(path)
                        .unwrap()
                        .map(|e| e.unwrap().path())
                        .collect::<Vec<_>>()
                } else {
                    vec![path]
                }
            })
            .filter(|p| p.extension().is_some_and(|e| e == "lawful"))
            .map(|p| fs::read_to_string(p).unwrap())
            .collect();
        let declared = text.lines().filter(|l| l.starts_with("activity ")).count();
        let drawn = nodes.iter().filter(|n| n["kind"] == "activity").count();
        assert_eq!(drawn, declared, "{example}");
    }
}

#[test]
fn the_webshop_map_shows_each_third_country_transfer_with_country_and_mechanism() {
    let json = graph_json(Path::new(ROOT), "examples/webshop");
    let direct = edge(&json, "activity:newsletter", "party:postwise");
    assert_eq!(direct["kind"], "recipient");
    assert_eq!(direct["country"], "US");
    assert_eq!(direct["status"], "adequate", "certified dpf: {direct}");
    assert_eq!(direct["unprotected"], false);
    assert_eq!(direct["data"], serde_json::json!(["email", "name"]));
    let onward = edge(&json, "party:postwise", "party:deliverix");
    assert_eq!(onward["kind"], "subprocessor");
    assert_eq!(onward["country"], "IN");
    assert_eq!(onward["status"], "not-adequate");
    assert_eq!(onward["mechanism"], "scc");
    assert_eq!(onward["unprotected"], false);
    let host = edge(&json, "party:postwise", "party:nimbus");
    assert_eq!(host["country"], "US");
    assert_eq!(host["mechanism"], "scc");
    let inland = edge(&json, "system:webshop", "party:veluwehost");
    assert_eq!(inland["kind"], "hosting");
    assert_eq!(inland["status"], "eea");
    assert_eq!(node(&json, "party:deliverix")["country"], "IN");
    assert_eq!(node(&json, "party:deliverix")["role"], "processor");

    let dot = run(Path::new(ROOT), &["graph", "examples/webshop"]).stdout;
    assert!(dot.starts_with("digraph lawful {"), "{dot}");
    assert!(dot.contains("label=\"IN: scc\""), "{dot}");
    assert!(dot.contains("label=\"US: adequacy\""), "{dot}");
    let mermaid = run(
        Path::new(ROOT),
        &["graph", "examples/webshop", "--format", "mermaid"],
    )
    .stdout;
    assert!(mermaid.starts_with("flowchart LR\n"), "{mermaid}");
    assert!(mermaid.contains("|\"IN: scc\"|"), "{mermaid}");
    let svg = run(
        Path::new(ROOT),
        &["graph", "examples/webshop", "--format", "svg"],
    )
    .stdout;
    assert!(svg.contains(">IN: scc</text>"), "{svg}");
}

const CONTROLLER: &str = "controller acme \"Acme\" { country NL; contact \"p@acme.nl\"; notice \"https://acme.nl/p\"; measures encryption }\n";

/// A US party that is not certified under the DPF and has no `transfer`: T002 on the
/// recipient statement, an unprotected edge in red everywhere.
fn unprotected_workspace(dir: &Dir) {
    dir.file("lawful.toml", "")
        .file("org.lawful", CONTROLLER)
        .file(
            "a.lawful",
            "party cloudco \"CloudCo Inc.\" {\n  role controller\n  country US\n  contact \"x@cloudco.example\"\n}\nactivity orders \"Orders\" {\n  purpose billing\n  basis contract\n  subjects customers\n  data name, health\n  exception health-care\n  retention 1 year\n  recipient cloudco\n}\n",
        );
}

#[test]
fn an_unprotected_transfer_is_red_and_its_findings_are_marked() {
    let dir = Dir::new("red");
    unprotected_workspace(&dir);
    let check = run(&dir.root, &["check", "--format", "json"]);
    assert!(check.stdout.contains("\"T002\""), "{}", check.stdout);
    let json = graph_json(&dir.root, ".");
    let red = edge(&json, "activity:orders", "party:cloudco");
    assert_eq!(red["status"], "partial-not-met");
    assert_eq!(red["unprotected"], true);
    assert!(red["mechanism"].is_null());
    assert!(
        red["findings"]
            .as_array()
            .unwrap()
            .contains(&Value::from("T002")),
        "{red}"
    );
    assert_eq!(red["special"], serde_json::json!(["health"]));
    let collection = edge(&json, "subjects:customers", "activity:orders");
    assert_eq!(collection["findings"], serde_json::json!([]));

    let dot = run(&dir.root, &["graph"]).stdout;
    let line = dot
        .lines()
        .find(|l| l.contains(" -> ") && l.contains("US: no mechanism"))
        .unwrap_or_else(|| panic!("{dot}"));
    assert!(line.contains("color=\"#cf222e\""), "{line}");
    // The recipient is an independent controller without its own basis: P003 on the edge too.
    assert!(
        line.contains("label=\"US: no mechanism · ⚠ P003 T002\""),
        "{line}"
    );
    assert!(line.contains("style=dashed"), "{line}");
    let mermaid = run(&dir.root, &["graph", "--format", "mermaid"]).stdout;
    assert!(
        mermaid.contains("-.->|\"US: no mechanism · ⚠ P003 T002\"|"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("stroke:#cf222e,stroke-width:3px"),
        "{mermaid}"
    );
    let svg = run(&dir.root, &["graph", "--format", "svg"]).stdout;
    assert!(svg.contains("stroke=\"#cf222e\""), "{svg}");
    assert!(svg.contains("url(#arrow-red)"), "{svg}");
    assert!(
        svg.contains(">US: no mechanism · ⚠ P003 T002</text>"),
        "{svg}"
    );
}

#[test]
fn every_format_is_the_same_bytes_every_run() {
    let root = Path::new(ROOT);
    for example in examples() {
        for format in ["dot", "mermaid", "json", "svg"] {
            let first = run(root, &["graph", &example, "--format", format]);
            let second = run(root, &["graph", &example, "--format", format]);
            assert_eq!(first.code, 0, "{}", first.stderr);
            assert!(!first.stdout.is_empty());
            assert_eq!(first.stdout, second.stdout, "{example} {format}");
        }
    }
}

/// Graphviz renders the DOT of every example (skipped with a note when `dot` is missing).
#[test]
fn graphviz_renders_the_dot_of_every_example() {
    if !Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!("note: skipped: Graphviz `dot` is not installed (apt-get install graphviz)");
        return;
    }
    let root = Path::new(ROOT);
    let dir = Dir::new("graphviz");
    unprotected_workspace(&dir);
    let mut inputs: Vec<(PathBuf, String)> = examples()
        .into_iter()
        .map(|e| (root.to_path_buf(), e))
        .collect();
    inputs.push((dir.root.clone(), ".".to_string()));
    for (cwd, path) in inputs {
        let dot = run(&cwd, &["graph", &path, "--format", "dot"]).stdout;
        let mut child = Command::new("dot")
            .arg("-Tsvg")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(dot.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{path}: {stderr}\n{dot}");
        assert!(stderr.trim().is_empty(), "{path}: {stderr}");
        // Graphviz writes `-` as `&#45;`.
        let svg = String::from_utf8_lossy(&output.stdout).replace("&#45;", "-");
        assert!(svg.contains("<svg"), "{path}");
        // Every node's label made it into the drawing.
        let json: Value =
            serde_json::from_str(&run(&cwd, &["graph", &path, "--format", "json"]).stdout).unwrap();
        for n in json["nodes"].as_array().unwrap() {
            assert!(svg.contains(n["name"].as_str().unwrap()), "{path}: {n}");
        }
    }
}

/// A minimal well-formedness check: every tag closed in order, attributes quoted.
fn assert_well_formed(svg: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let close = rest[open..].find('>').expect("a tag ends") + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "closing {name}");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().unwrap().to_string();
            stack.push(name);
        }
        assert_eq!(tag.matches('"').count() % 2, 0, "{tag}");
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn the_svg_of_fifty_activities_is_laid_out_in_columns_without_overlaps() {
    let dir = Dir::new("fifty");
    let mut text = String::from(CONTROLLER);
    let countries = ["NL", "DE", "US", "IN", "GB", "CN"];
    for p in 0..12 {
        text.push_str(&format!(
            "party vendor{p} \"Vendor {p}\" {{\n  role processor\n  country {}\n  contact \"x@v{p}.example\"\n}}\n",
            countries[p % 6]
        ));
    }
    for s in 0..8 {
        text.push_str(&format!(
            "system sys{s} \"System {s}\" {{\n  hosted-by vendor{s}\n}}\n"
        ));
    }
    let subjects = ["customers", "employees", "website-visitors", "suppliers"];
    for a in 0..50 {
        text.push_str(&format!(
            "activity act{a} \"Activity {a} with a long descriptive title that will not fit\" {{\n  purpose billing\n  basis contract\n  subjects {}\n  data name, email\n  retention 1 year\n  recipient vendor{}\n  systems sys{}\n}}\n",
            subjects[a % 4],
            (a * 7) % 12,
            (a * 3) % 8
        ));
    }
    dir.file("lawful.toml", "").file("all.lawful", &text);
    let svg = run(&dir.root, &["graph", "--format", "svg"]).stdout;
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert_well_formed(&svg);
    // Every node drawn once with its name, at most 34 characters per label.
    let labels: Vec<&str> = svg
        .lines()
        .filter(|l| l.starts_with("<text") && l.contains("fill=\"#24292f\">"))
        .filter_map(|l| l.split("\">").nth(1)?.strip_suffix("</text>"))
        .collect();
    for a in 0..50 {
        assert_eq!(
            labels.iter().filter(|l| **l == format!("act{a}")).count(),
            1,
            "act{a}"
        );
    }
    assert!(labels.iter().all(|l| l.chars().count() <= 34), "{labels:?}");
    // Nodes of one column never overlap: rectangles of activities sit 52 px apart.
    let mut ys: Vec<i64> = svg
        .lines()
        .filter(|l| l.starts_with("<g class=\"node activity\">"))
        .map(|l| {
            let y = l.split(" y=\"").nth(1).unwrap();
            y[..y.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    assert_eq!(ys.len(), 50);
    ys.sort();
    assert!(ys.windows(2).all(|w| w[1] - w[0] >= 36 + 16), "{ys:?}");
    let height: i64 = {
        let h = svg.split(" height=\"").nth(1).unwrap();
        h[..h.find('"').unwrap()].parse().unwrap()
    };
    assert!(height <= 64 + 50 * 52 + 24, "{height}");
}

fn map_node(name: &str, kind: NodeKind, layer: usize) -> MapNode {
    MapNode {
        id: name.to_string(),
        kind,
        name: name.to_string(),
        title: None,
        country: None,
        role: None,
        findings: vec![],
        layer,
    }
}

fn map_edge(from: usize, to: usize) -> MapEdge {
    MapEdge {
        from,
        to,
        kind: "collection",
        data: vec![],
        special: vec![],
        country: None,
        status: None,
        mechanism: None,
        unprotected: false,
        findings: vec![],
    }
}

/// Counts crossings between two adjacent columns.
fn crossings(map: &Map, rows: &[Vec<usize>]) -> usize {
    let rank = |i: usize| {
        rows[map.nodes[i].layer]
            .iter()
            .position(|n| *n == i)
            .unwrap()
    };
    let pairs: Vec<(usize, usize)> = map
        .edges
        .iter()
        .map(|e| (rank(e.from), rank(e.to)))
        .collect();
    let mut count = 0;
    for (i, a) in pairs.iter().enumerate() {
        for b in &pairs[i + 1..] {
            if (a.0 < b.0 && a.1 > b.1) || (a.0 > b.0 && a.1 < b.1) {
                count += 1;
            }
        }
    }
    count
}

#[test]
fn barycenter_ordering_removes_avoidable_crossings() {
    // s0 → a2, s1 → a1, s2 → a0: in declaration order every pair crosses (3 crossings).
    let map = Map {
        version: 1,
        nodes: vec![
            map_node("s0", NodeKind::Subjects, 0),
            map_node("s1", NodeKind::Subjects, 0),
            map_node("s2", NodeKind::Subjects, 0),
            map_node("a0", NodeKind::Activity, 1),
            map_node("a1", NodeKind::Activity, 1),
            map_node("a2", NodeKind::Activity, 1),
        ],
        edges: vec![map_edge(0, 5), map_edge(1, 4), map_edge(2, 3)],
    };
    let initial = vec![vec![0, 1, 2], vec![3, 4, 5]];
    assert_eq!(crossings(&map, &initial), 3);
    let rows = graph::layout(&map);
    assert_eq!(crossings(&map, &rows), 0, "{rows:?}");
    assert_eq!(rows, graph::layout(&map), "deterministic");
}

#[test]
fn several_workspaces_are_a_json_array_and_a_usage_error_for_drawings() {
    let a = Dir::new("ws-a");
    unprotected_workspace(&a);
    let b = Dir::new("ws-b");
    unprotected_workspace(&b);
    let (pa, pb) = (a.root.to_str().unwrap(), b.root.to_str().unwrap());
    let out = run(&a.root, &["graph", pa, pb, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(json[1]["version"], 1);
    let out = run(&a.root, &["graph", pa, pb, "--format", "svg"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .contains("`lawful graph` draws one workspace at a time"),
        "{}",
        out.stderr
    );
    // A file PATH picks its workspace; the map is the whole workspace's, the findings marked
    // are those of the PATHs (as `check` reports them).
    let whole = run(&a.root, &["graph", "--format", "json"]).stdout;
    let one = run(&a.root, &["graph", "org.lawful", "--format", "json"]).stdout;
    let ids = |text: &str| -> Vec<(String, usize)> {
        serde_json::from_str::<Value>(text).unwrap()["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    n["id"].as_str().unwrap().to_string(),
                    n["findings"].as_array().unwrap().len(),
                )
            })
            .collect()
    };
    assert_eq!(
        ids(&whole),
        vec![
            ("subjects:customers".to_string(), 0),
            ("activity:orders".to_string(), 2),
            ("party:cloudco".to_string(), 0)
        ]
    );
    assert_eq!(
        ids(&one),
        vec![
            ("subjects:customers".to_string(), 0),
            ("activity:orders".to_string(), 0),
            ("party:cloudco".to_string(), 0)
        ]
    );
    let out = run(&a.root, &["graph", "notes.txt"]);
    assert_eq!(out.code, 2);
}

#[test]
fn hostile_names_cannot_break_out_of_any_format() {
    let (_, analysis) = support::check_files(&[(
        "a.lawful",
        "activity orders \"Orders \\\" </text><script>x</script> \\\\ | #quot; \\u{1b}[2J\" {\n  purpose billing\n  basis contract\n  subjects customers\n  data name\n  retention 1 year\n}\n",
    )]);
    let map = graph::build(&analysis, support::today());
    let svg = graph::svg(&map);
    assert!(!svg.contains("<script>"), "{svg}");
    assert!(!svg.contains('\u{1b}'));
    assert_well_formed(&svg);
    let dot = graph::dot(&map);
    assert!(!dot.contains('\u{1b}'));
    for line in dot.lines().filter(|l| l.contains("tooltip=")) {
        // Quotes inside a DOT string are escaped: an even number of unescaped quotes.
        let unescaped = line
            .replace("\\\\", "")
            .replace("\\\"", "")
            .matches('"')
            .count();
        assert_eq!(unescaped % 2, 0, "{line}");
    }
    let json: Value = serde_json::from_str(&graph::json(&map)).unwrap();
    assert!(
        json["nodes"][1]["title"]
            .as_str()
            .unwrap()
            .contains("</text>"),
        "JSON keeps the text as written: {json}"
    );
}

/// A wide workspace: one `subprocessors` statement naming 2,000 parties, and an activity with
/// 2,000 recipients. Every edge is drawn and marked without a quadratic search.
#[test]
fn a_wide_workspace_is_drawn_whole() {
    let n = 2000;
    let mut text = String::from(CONTROLLER);
    text.push_str(&format!(
        "party hub \"Hub\" {{\n  role processor\n  country NL\n  contact \"h@hub.example\"\n  subprocessors {}\n}}\n",
        (0..n).map(|i| format!("p{i}")).collect::<Vec<_>>().join(", ")
    ));
    for i in 0..n {
        text.push_str(&format!(
            "party p{i} \"P\" {{ role processor; country US; contact \"x@p.example\" }}\n"
        ));
    }
    text.push_str("activity a \"A\" {\n  purpose billing\n  basis contract\n  subjects customers\n  data name\n  retention 1 year\n  recipient hub\n");
    for i in 0..n {
        text.push_str(&format!("  recipient p{i}\n"));
    }
    text.push_str("}\n");
    let (_, analysis) = support::check_files(&[("wide.lawful", &text)]);
    let map = graph::build(&analysis, support::today());
    let count = |kind: &str| map.edges.iter().filter(|e| e.kind == kind).count();
    assert_eq!(count("recipient"), n + 1);
    assert_eq!(count("subprocessor"), n);
    let sub = map.edges.iter().find(|e| e.kind == "subprocessor").unwrap();
    assert_eq!(sub.status, Some("partial-not-met"));
    assert!(sub.unprotected);
    assert!(sub.findings.contains(&"T002"), "{:?}", sub.findings);
    let svg = graph::svg(&map);
    assert_eq!(svg.matches("<g class=\"node party\">").count(), n + 1);
    assert_eq!(graph::dot(&map).matches(" -> ").count(), 2 * n + 2);
}

#[test]
fn docs_graph_md_describes_every_json_field() {
    let docs = fs::read_to_string(Path::new(ROOT).join("docs/graph.md")).unwrap();
    for (prefix, fields) in [("nodes", &NODE_FIELDS[..]), ("edges", &EDGE_FIELDS[..])] {
        let rows: Vec<&str> = docs
            .lines()
            .filter(|l| l.starts_with(&format!("| `{prefix}[].")))
            .map(|l| l.split(" | ").next().unwrap())
            .collect();
        for field in fields {
            assert!(
                rows.iter()
                    .any(|r| r.contains(&format!("`{prefix}[].{field}`"))
                        || r.contains(&format!(", `{field}`"))),
                "docs/graph.md has no row for `{prefix}[].{field}`"
            );
        }
    }
    for status in [
        "eea",
        "own-country",
        "adequate",
        "partial-not-met",
        "not-adequate",
        "unknown",
    ] {
        assert!(docs.contains(&format!("`{status}`")), "{status}");
    }
}
