//! The data-flow graph of SPEC §4.1 and the queries the rules ask of it.
//!
//! Nodes are subjects categories, activities, parties and systems; each edge carries the
//! data categories (composites expanded) that travel along it. Edges out of a party or a
//! system exist only when data reaches that party or system.
//!
//! Complexity, with V nodes, E edges and C data categories:
//! * activity holdings: one pass over the strongly connected components of the `reuses`
//!   graph in topological order, O((V + E) · C);
//! * data reaching parties and systems: direct edges, then one pass over the strongly
//!   connected components of the subprocessor graph in topological order, each component's
//!   set built once from its members and its upstream components: O((P + E) · (C + A)) for
//!   P parties and A activities, with a cycle of processors sharing one set;
//! * origins of an activity (P001): one backward traversal per `reuses` statement of the
//!   activity, O(V + E) each, never enumerating paths.

use crate::model::vocab::{Channel, MeasureKind};
use crate::model::{Activity, Measure, Model, ReuseStmt};
use crate::source::Span;
use crate::syntax::ast::Kind;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    Subjects(usize),
    Activity(usize),
    Party(usize),
    System(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// subjects → activity (the activity's `source`).
    Collection,
    /// activity → party.
    Recipient { stmt: Span },
    /// activity → system.
    Storage,
    /// system → its host party.
    Hosting { stmt: Span },
    /// processor → subprocessor.
    Subprocessing { stmt: Span },
    /// activity A → activity B, where B `reuses` A.
    Reuse { stmt: Span },
}

#[derive(Clone, Debug)]
pub struct Edge {
    pub kind: EdgeKind,
    /// Data categories carried, composites expanded, sorted. Shared: the edges out of one
    /// activity (or system, or processor) carry one set, not a copy each.
    pub data: Arc<BTreeSet<String>>,
}

#[derive(Debug)]
pub struct Flow {
    pub graph: DiGraph<Node, Edge>,
    /// Per activity: its own data plus what reaches it through `reuses`, expanded.
    pub holdings: Vec<BTreeSet<String>>,
    /// Per party: its component of the subprocessor graph, an index into `reaching`.
    party_component: Vec<usize>,
    /// Per component of the subprocessor graph: what reaches its parties.
    reaching: Vec<Reaching>,
    /// Per system: the activities storing data in it.
    pub system_activities: Vec<BTreeSet<usize>>,
}

impl Flow {
    pub fn build(model: &Model) -> Flow {
        let mut graph = DiGraph::new();
        let activity_nodes: Vec<NodeIndex> = (0..model.activities.len())
            .map(|i| graph.add_node(Node::Activity(i)))
            .collect();
        let party_nodes: Vec<NodeIndex> = (0..model.parties.len())
            .map(|i| graph.add_node(Node::Party(i)))
            .collect();
        let system_nodes: Vec<NodeIndex> = (0..model.systems.len())
            .map(|i| graph.add_node(Node::System(i)))
            .collect();
        let mut subjects_nodes: BTreeMap<usize, NodeIndex> = BTreeMap::new();

        let holdings = compute_holdings(model);
        // One shared copy of each activity's holdings for the edges out of it, made on first use.
        let mut shared: Vec<Option<Arc<BTreeSet<String>>>> = vec![None; holdings.len()];
        let mut held = |a: usize| -> Arc<BTreeSet<String>> {
            Arc::clone(shared[a].get_or_insert_with(|| Arc::new(holdings[a].clone())))
        };

        // Collection and reuse edges.
        for (b, activity) in model.activities.iter().enumerate() {
            let own = Arc::new(own_data(model, activity));
            for subjects in &activity.subjects {
                if let Some(s) = model.position(Kind::Subjects, &subjects.name) {
                    let node = *subjects_nodes
                        .entry(s)
                        .or_insert_with(|| graph.add_node(Node::Subjects(s)));
                    graph.add_edge(
                        node,
                        activity_nodes[b],
                        Edge {
                            kind: EdgeKind::Collection,
                            data: Arc::clone(&own),
                        },
                    );
                }
            }
            for reuse in &activity.reuses {
                if let Some(a) = model.position(Kind::Activity, &reuse.activity.name) {
                    let data = reuse_data(model, reuse, &holdings[a]);
                    graph.add_edge(
                        activity_nodes[a],
                        activity_nodes[b],
                        Edge {
                            kind: EdgeKind::Reuse { stmt: reuse.stmt },
                            data: Arc::new(data),
                        },
                    );
                }
            }
        }

        // Data reaching parties directly: as recipients, and as hosts of systems in use.
        let mut direct_data = vec![BTreeSet::new(); model.parties.len()];
        let mut direct_activities = vec![BTreeSet::new(); model.parties.len()];
        let mut system_data = vec![BTreeSet::new(); model.systems.len()];
        let mut system_activities = vec![BTreeSet::new(); model.systems.len()];
        for (a, activity) in model.activities.iter().enumerate() {
            for recipient in &activity.recipients {
                if let Some(p) = model.position(Kind::Party, &recipient.party.name) {
                    let data: Arc<BTreeSet<String>> = match &recipient.data {
                        Some(refs) => Arc::new(
                            model
                                .expand_data(refs.iter().map(|r| r.name.as_str()))
                                .into_iter()
                                .collect(),
                        ),
                        None => held(a),
                    };
                    direct_data[p].extend(data.iter().cloned());
                    direct_activities[p].insert(a);
                    graph.add_edge(
                        activity_nodes[a],
                        party_nodes[p],
                        Edge {
                            kind: EdgeKind::Recipient {
                                stmt: recipient.stmt,
                            },
                            data,
                        },
                    );
                }
            }
            for system in &activity.systems {
                if let Some(s) = model.position(Kind::System, &system.name) {
                    graph.add_edge(
                        activity_nodes[a],
                        system_nodes[s],
                        Edge {
                            kind: EdgeKind::Storage,
                            data: held(a),
                        },
                    );
                    system_data[s].extend(holdings[a].iter().cloned());
                    system_activities[s].insert(a);
                }
            }
        }
        for (s, system) in model.systems.iter().enumerate() {
            if system_activities[s].is_empty() {
                continue;
            }
            if let Some(host) = &system.hosted_by
                && let Some(p) = model.position(Kind::Party, &host.value.name)
            {
                direct_data[p].extend(system_data[s].iter().cloned());
                direct_activities[p].extend(system_activities[s].iter().copied());
                graph.add_edge(
                    system_nodes[s],
                    party_nodes[p],
                    Edge {
                        kind: EdgeKind::Hosting { stmt: host.stmt },
                        data: Arc::new(system_data[s].clone()),
                    },
                );
            }
        }

        // Everything a processor receives flows on to its subprocessors. One pass over the
        // strongly connected components of the subprocessor graph, sources first; a cycle of
        // processors shares one set, so no set is propagated more than once per edge.
        let mut sub_graph: DiGraph<usize, ()> = DiGraph::new();
        let sub_nodes: Vec<NodeIndex> = (0..model.parties.len())
            .map(|p| sub_graph.add_node(p))
            .collect();
        for (p, party) in model.parties.iter().enumerate() {
            for statement in &party.subprocessors {
                for sub in &statement.parties {
                    if let Some(q) = model.position(Kind::Party, &sub.name) {
                        sub_graph.add_edge(sub_nodes[p], sub_nodes[q], ());
                    }
                }
            }
        }
        let components = petgraph::algo::tarjan_scc(&sub_graph);
        let mut component_of = vec![0; model.parties.len()];
        for (c, members) in components.iter().enumerate() {
            for node in members {
                component_of[sub_graph[*node]] = c;
            }
        }
        let mut reaching = vec![Reaching::default(); components.len()];
        // tarjan_scc lists sinks first; data flows from sources, so walk it reversed.
        for c in (0..components.len()).rev() {
            let mut set = Reaching::default();
            for node in &components[c] {
                let p = sub_graph[*node];
                set.data.extend(direct_data[p].iter().cloned());
                set.activities.extend(direct_activities[p].iter().copied());
                for upstream in sub_graph.neighbors_directed(*node, petgraph::Direction::Incoming) {
                    let from = component_of[sub_graph[upstream]];
                    if from != c {
                        set.data.extend(reaching[from].data.iter().cloned());
                        set.activities
                            .extend(reaching[from].activities.iter().copied());
                    }
                }
            }
            reaching[c] = set;
        }
        // Subprocessor edges, only out of parties that data reaches.
        let mut component_data: Vec<Option<Arc<BTreeSet<String>>>> = vec![None; reaching.len()];
        for (p, party) in model.parties.iter().enumerate() {
            let from = &reaching[component_of[p]];
            if from.activities.is_empty() || party.subprocessors.is_empty() {
                continue;
            }
            let from_data = Arc::clone(
                component_data[component_of[p]].get_or_insert_with(|| Arc::new(from.data.clone())),
            );
            for statement in &party.subprocessors {
                for sub in &statement.parties {
                    if let Some(q) = model.position(Kind::Party, &sub.name) {
                        graph.add_edge(
                            party_nodes[p],
                            party_nodes[q],
                            Edge {
                                kind: EdgeKind::Subprocessing {
                                    stmt: statement.stmt,
                                },
                                data: Arc::clone(&from_data),
                            },
                        );
                    }
                }
            }
        }
        Flow {
            graph,
            holdings,
            party_component: component_of,
            reaching,
            system_activities,
        }
    }

    /// Whether any data (or any activity) reaches the party.
    pub fn reaches_party(&self, party: usize) -> bool {
        !self.party_activities(party).is_empty()
    }

    /// The data categories that reach a party, directly or through processors upstream.
    pub fn party_data(&self, party: usize) -> &BTreeSet<String> {
        &self.reaching[self.party_component[party]].data
    }

    /// The activities whose data reaches a party, directly or through processors upstream.
    pub fn party_activities(&self, party: usize) -> &BTreeSet<usize> {
        &self.reaching[self.party_component[party]].activities
    }

    pub fn reaches_system(&self, system: usize) -> bool {
        !self.system_activities[system].is_empty()
    }

    /// The activities whose collected data reaches activity `b` through `reuses` edges, each
    /// with the index (into `b`'s `reuses`) of the first statement it arrives by and whether
    /// an Art. 6(4) `compatible` block held by an activity with `b`'s purpose lies on some path.
    ///
    /// Walks backwards from each `reuses` statement of `b`, carrying the data categories that
    /// can still reach `b` (a `data` block on an edge narrows them). An activity is an origin
    /// when some category it holds is among those: its data travels on to `b`. A (node, covered) state is
    /// revisited only when its set grows, so each statement costs O((V + E) · C).
    pub fn origins(&self, model: &Model, b: usize) -> BTreeMap<usize, Origin> {
        let purpose_of = |i: usize| {
            model.activities[i]
                .purpose
                .as_ref()
                .map(|p| p.name.as_str())
        };
        let target_purpose = purpose_of(b);
        let mut origins: BTreeMap<usize, Origin> = BTreeMap::new();
        for (first, reuse) in model.activities[b].reuses.iter().enumerate() {
            let Some(start) = model.position(Kind::Activity, &reuse.activity.name) else {
                continue;
            };
            // A path that loops back through b is no path into b: a self-reuse or a cycle must
            // neither justify nor re-anchor data that arrives another way.
            if start == b {
                continue;
            }
            // What may reach b through this statement, per (activity, covered).
            let mut demand: BTreeMap<(usize, bool), BTreeSet<String>> = BTreeMap::new();
            let initial = reuse_data(model, reuse, &self.holdings[start]);
            let mut queue = VecDeque::new();
            if !initial.is_empty() {
                let state = (start, reuse.compatible.is_some());
                demand.insert(state, initial);
                queue.push_back(state);
            }
            while let Some((x, covered)) = queue.pop_front() {
                let wanted = demand[&(x, covered)].clone();
                for upstream_reuse in &model.activities[x].reuses {
                    let Some(u) = model.position(Kind::Activity, &upstream_reuse.activity.name)
                    else {
                        continue;
                    };
                    if u == b {
                        continue;
                    }
                    let passes: BTreeSet<String> = match &upstream_reuse.data {
                        Some(refs) => {
                            let allowed = model.expand_data(refs.iter().map(|r| r.name.as_str()));
                            wanted
                                .iter()
                                .filter(|d| allowed.contains(d))
                                .cloned()
                                .collect()
                        }
                        None => wanted.clone(),
                    };
                    if passes.is_empty() {
                        continue;
                    }
                    let covers =
                        upstream_reuse.compatible.is_some() && purpose_of(x) == target_purpose;
                    let state = (u, covered || covers);
                    let set = demand.entry(state).or_default();
                    let before = set.len();
                    set.extend(passes);
                    if set.len() != before {
                        queue.push_back(state);
                    }
                }
            }
            for ((a, covered), wanted) in &demand {
                if self.holdings[*a].iter().any(|d| wanted.contains(d)) {
                    let entry = origins.entry(*a).or_insert(Origin {
                        first_reuse: first,
                        compatible_on_path: false,
                    });
                    entry.compatible_on_path |= covered;
                }
            }
        }
        origins.remove(&b);
        origins
    }

    /// Measures in effect for an activity: its own, its systems', the controller's.
    pub fn measures_in_effect(model: &Model, activity: &Activity) -> BTreeSet<MeasureKind> {
        let mut measures = BTreeSet::new();
        let mut add = |list: &[crate::model::Spanned<Measure>]| {
            for measure in list {
                if let Measure::Known(kind) = measure.value {
                    measures.insert(kind);
                }
            }
        };
        add(&activity.measures);
        for system in &activity.systems {
            if let Some(system) = model.system(&system.name) {
                add(&system.measures);
            }
        }
        if let Some(controller) = &model.controller {
            add(&controller.measures);
        }
        measures
    }

    /// Whether any security measure at all (including free-text ones) applies.
    pub fn any_measure(model: &Model, activity: &Activity) -> bool {
        !activity.measures.is_empty()
            || activity
                .systems
                .iter()
                .filter_map(|s| model.system(&s.name))
                .any(|s| !s.measures.is_empty())
            || model
                .controller
                .as_ref()
                .is_some_and(|c| !c.measures.is_empty())
    }
}

/// What reaches one component of the subprocessor graph.
#[derive(Clone, Debug, Default)]
struct Reaching {
    data: BTreeSet<String>,
    activities: BTreeSet<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Index into the reusing activity's `reuses` of the first statement the data arrives by.
    pub first_reuse: usize,
    pub compatible_on_path: bool,
}

/// An activity is automated unless its only channel is `paper` (SPEC §4.1).
pub fn automated(activity: &Activity) -> bool {
    let channels: Vec<Channel> = activity
        .channels
        .iter()
        .flat_map(|c| c.value.iter().copied())
        .collect();
    channels.is_empty() || channels.iter().any(|c| *c != Channel::Paper)
}

/// The activity's own `data`, composites expanded.
pub fn own_data(model: &Model, activity: &Activity) -> BTreeSet<String> {
    model
        .expand_data(
            activity
                .data
                .iter()
                .flat_map(|d| d.refs.iter().map(|r| r.name.as_str())),
        )
        .into_iter()
        .collect()
}

fn reuse_data(
    model: &Model,
    reuse: &ReuseStmt,
    source_holdings: &BTreeSet<String>,
) -> BTreeSet<String> {
    match &reuse.data {
        Some(refs) => model
            .expand_data(refs.iter().map(|r| r.name.as_str()))
            .into_iter()
            .collect(),
        None => source_holdings.clone(),
    }
}

/// Own data plus data received through `reuses`, over strongly connected components so a
/// cycle of reuses settles instead of looping.
fn compute_holdings(model: &Model) -> Vec<BTreeSet<String>> {
    let n = model.activities.len();
    let mut reuse_graph: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..n).map(|i| reuse_graph.add_node(i)).collect();
    for (b, activity) in model.activities.iter().enumerate() {
        for reuse in &activity.reuses {
            if let Some(a) = model.position(Kind::Activity, &reuse.activity.name) {
                reuse_graph.add_edge(nodes[a], nodes[b], ());
            }
        }
    }
    let mut holdings: Vec<BTreeSet<String>> = model
        .activities
        .iter()
        .map(|a| own_data(model, a))
        .collect();
    // tarjan_scc yields components sinks first; data flows from sources, so walk it reversed.
    for component in petgraph::algo::tarjan_scc(&reuse_graph).into_iter().rev() {
        // Within a cycle every member may feed every other: iterate to a fixed point, which
        // takes at most |component| rounds since sets only grow.
        for _ in 0..component.len().max(1) {
            let mut changed = false;
            for node in &component {
                let b = reuse_graph[*node];
                for reuse in &model.activities[b].reuses {
                    if let Some(a) = model.position(Kind::Activity, &reuse.activity.name) {
                        let incoming = reuse_data(model, reuse, &holdings[a]);
                        let before = holdings[b].len();
                        holdings[b].extend(incoming);
                        changed |= holdings[b].len() != before;
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }
    holdings
}
