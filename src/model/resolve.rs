//! Builds the workspace model from every lowered file: one namespace per kind, user
//! declarations replacing stdlib ones (E012), duplicates (E005), the single controller
//! (E008), unresolved references (E004) and `includes` cycles (E010).

use super::lower::Lowered;
use super::*;
use crate::diag::Diagnostic;
use crate::suggest;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;

/// `files` holds the user's files in path order, then the stdlib's.
/// `lost_names` are declarations a syntax error swallowed (already an E001): references to
/// them are not reported again as E004.
pub fn resolve(
    files: Vec<Lowered>,
    lost_names: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Model {
    let mut model = Model::default();
    let mut refs = Vec::new();
    let mut first_controller: Option<Span> = None;
    // Where each user declaration was first made, for E005 and E012 related labels.
    let mut declared_at: HashMap<(Kind, String), Span> = HashMap::new();

    for lowered in files {
        refs.extend(lowered.refs);
        for decl in lowered.decls {
            let header = decl.header().clone();
            let key = (header.kind, header.name.clone());
            if header.kind == Kind::Controller {
                if let Some(first) = first_controller {
                    diagnostics.push(
                        Diagnostic::new(
                            "E008",
                            header.name_span,
                            format!("a second controller, `{}`: a workspace describes one controller", header.name),
                        )
                        .with_related(first, "the controller is declared here")
                        .with_help("declare the other organisation as a `party` (role `controller` or `joint-controller`)"),
                    );
                    // A same-named second controller is also a duplicate (E005) below.
                    if !declared_at.contains_key(&key) {
                        continue;
                    }
                } else {
                    first_controller = Some(header.name_span);
                }
            }
            if let Some(existing) = declared_at.get(&key) {
                if header.from_stdlib {
                    // The user's declaration replaces this one; say so on the user's.
                    diagnostics.push(
                        Diagnostic::new(
                            "E012",
                            *existing,
                            format!(
                                "{} `{}` replaces the standard library's `{}`",
                                header.kind, header.name, header.name
                            ),
                        )
                        .with_note(match crate::stdlib::source_of(header.kind.keyword(), &header.name) {
                            Some(line) => format!("the standard library declares: `{line}`"),
                            None => "the standard library's facts for this name are not used".to_string(),
                        })
                        .with_help(format!(
                            "keep it if you mean to override the standard library; otherwise rename yours to declare a new {}",
                            header.kind
                        )),
                    );
                } else {
                    diagnostics.push(
                        Diagnostic::new(
                            "E005",
                            header.name_span,
                            format!("{} `{}` is declared twice", header.kind, header.name),
                        )
                        .with_related(*existing, "first declared here")
                        .with_help("remove one, or give them different names"),
                    );
                }
                continue;
            }
            declared_at.insert(key.clone(), header.name_span);
            insert(&mut model, decl);
        }
    }

    if model.controller.is_none() {
        diagnostics.push(
            Diagnostic::workspace("E008", "no controller is declared in this workspace")
                .with_help("add `controller <name> \"<legal name>\" { country NL  contact \"…\" }` to one file"),
        );
    }

    for (kind, reference) in refs {
        if model.position(kind, &reference.name).is_some() {
            model.referenced.insert((kind, reference.name));
            continue;
        }
        if lost_names.contains(&reference.name) {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            "E004",
            reference.span,
            format!("no {kind} named `{}`", reference.name),
        );
        if let Some(near) = suggest::closest(&reference.name, model.names(kind)) {
            diagnostic = diagnostic.with_help(format!("did you mean `{near}`?"));
        } else if let Some(other) = Kind::ALL
            .into_iter()
            .find(|other| *other != kind && model.position(*other, &reference.name).is_some())
        {
            diagnostic = diagnostic.with_help(format!(
                "`{}` is a {other}, but this statement needs a {kind}; declare `{kind} {} {{ … }}`",
                reference.name, reference.name
            ));
        } else {
            diagnostic = diagnostic.with_help(format!(
                "declare it: `{kind} {} \"…\" {{ … }}`",
                reference.name
            ));
        }
        diagnostics.push(diagnostic);
    }

    report_include_cycles(&model, diagnostics);
    model
}

fn insert(model: &mut Model, decl: Decl) {
    let header = decl.header();
    let key = (header.kind, header.name.clone());
    let position = match decl {
        Decl::Controller(d) => {
            model.controller = Some(d);
            0
        }
        Decl::Party(d) => push(&mut model.parties, d),
        Decl::Activity(d) => push(&mut model.activities, d),
        Decl::Data(d) => push(&mut model.data, d),
        Decl::Subjects(d) => push(&mut model.subjects, d),
        Decl::Purpose(d) => push(&mut model.purposes, d),
        Decl::System(d) => push(&mut model.systems, d),
        Decl::Country(d) => push(&mut model.countries, d),
        Decl::Breach(d) => push(&mut model.breaches, d),
    };
    model.index[key.0 as usize].insert(key.1, position);
}

fn push<T>(list: &mut Vec<T>, item: T) -> usize {
    list.push(item);
    list.len() - 1
}

/// Members of an `includes` cycle named in its E010 (message and related labels).
const CYCLE_NAMES_SHOWN: usize = 10;

/// One E010 per cycle of `includes`, at the cycle's first category in source order.
/// Strongly connected components find every cycle in linear time; `kosaraju_scc` is iterative,
/// so a cycle or chain as long as the workspace cannot exhaust the stack.
fn report_include_cycles(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    let mut graph: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..model.data.len()).map(|i| graph.add_node(i)).collect();
    for (i, category) in model.data.iter().enumerate() {
        for included in &category.includes {
            if let Some(j) = model.position(Kind::Data, &included.name) {
                graph.add_edge(nodes[i], nodes[j], ());
            }
        }
    }
    for component in petgraph::algo::kosaraju_scc(&graph) {
        let cyclic = component.len() > 1
            || component
                .first()
                .is_some_and(|node| graph.contains_edge(*node, *node));
        if !cyclic {
            continue;
        }
        let mut members: Vec<&DataCategory> = component
            .iter()
            .map(|node| &model.data[graph[*node]])
            .collect();
        members.sort_by_key(|category| category.header.name_span);
        let first = members[0];
        // A cycle can be as long as the workspace: name its first members, count the rest.
        let mut names: Vec<String> = members
            .iter()
            .take(CYCLE_NAMES_SHOWN)
            .map(|c| format!("`{}`", c.header.name))
            .collect();
        if members.len() > CYCLE_NAMES_SHOWN {
            names.push(format!("{} more", members.len() - CYCLE_NAMES_SHOWN));
        }
        let mut diagnostic = Diagnostic::new(
            "E010",
            first.header.name_span,
            format!(
                "data `{}` includes itself through {}",
                first.header.name,
                names.join(" → ")
            ),
        )
        .with_help(
            "a composite category cannot contain itself; remove one of the `includes` in the cycle",
        );
        for other in members.iter().take(CYCLE_NAMES_SHOWN).skip(1) {
            diagnostic = diagnostic.with_related(
                other.header.name_span,
                format!("`{}` is part of the cycle", other.header.name),
            );
        }
        diagnostics.push(diagnostic);
    }
}
