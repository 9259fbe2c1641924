//! The data-flow graph (docs/language.md) and the queries the rules ask of it.
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
//! * origins of an activity: one backward traversal shared by all the activity's `reuses`
//!   statements, each (activity, covered, category) state entered once: O((V + E) · C) per
//!   activity asked about. [`Flow::foreign_origins`] (what P001 needs) prunes every activity
//!   upstream of which no other purpose is declared, using a per-activity summary of the
//!   purposes upstream computed once over the condensation of the `reuses` graph, O(V + E):
//!   a cycle, a chain or a dense graph of same-purpose activities costs O(statements) per
//!   activity, and a walk only goes where a finding can come from.

use crate::model::vocab::{Channel, MeasureKind};
use crate::model::{Activity, Measure, Model};
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
    /// Per activity: its own data plus what reaches it through `reuses`, expanded. Shared
    /// with the edges out of the activity, which carry the same set.
    pub holdings: Vec<Arc<BTreeSet<String>>>,
    /// Per party: its component of the subprocessor graph, an index into `reaching`.
    party_component: Vec<usize>,
    /// Per component of the subprocessor graph: what reaches its parties.
    reaching: Vec<Reaching>,
    /// Per system: the activities storing data in it.
    pub system_activities: Vec<BTreeSet<usize>>,
    /// Per activity, per `reuses` statement: the activity reused and the categories its
    /// `data` block lets through (`None`: everything), expanded once.
    reuse_edges: Vec<Vec<ReuseEdge>>,
    /// Per activity: the purposes declared by it and every activity upstream of it.
    upstream_purposes: Vec<Purposes>,
    /// Per activity with a purpose and `reuses`: its [`Flow::foreign_origins`], computed once.
    foreign: Vec<Option<BTreeMap<usize, Origin>>>,
    /// Per activity: whether it lies on no cycle of `reuses` (itself included).
    acyclic: Vec<bool>,
}

/// Adds to `target` what `source` has and it lacks, copying only those: data sets mostly
/// meet the same categories again (every activity sending a party its `email`), and a
/// copy made only to be dropped as a duplicate was most of the flow stage's time.
fn union_into(target: &mut BTreeSet<String>, source: &BTreeSet<String>) {
    if target.is_empty() {
        target.clone_from(source);
        return;
    }
    for item in source {
        if !target.contains(item) {
            target.insert(item.clone());
        }
    }
}

/// The declared data categories numbered in name order. What reaches each party and system
/// is a union over many activities; as lists of numbers, sorted and deduplicated once, those
/// unions compare integers where string sets compared names (some ten million times at
/// 100,000 activities, most of the flow stage).
struct DataNumbers<'m> {
    /// By number: names in sorted order, so a sorted list of numbers lists names sorted.
    names: Vec<&'m str>,
    number: foldhash::HashMap<&'m str, u32>,
}

impl<'m> DataNumbers<'m> {
    fn new(model: &'m Model) -> DataNumbers<'m> {
        let mut names: Vec<&str> = model.names(Kind::Data).collect();
        names.sort_unstable();
        names.dedup();
        let number = names
            .iter()
            .enumerate()
            .map(|(n, name)| (*name, u32::try_from(n).unwrap_or(u32::MAX)))
            .collect();
        DataNumbers { names, number }
    }

    /// The numbers of `set`'s categories, sorted (every one is declared: data sets are built
    /// by `Model::expand_data`, which keeps declared categories only).
    fn of(&self, set: &BTreeSet<String>) -> Vec<u32> {
        set.iter()
            .filter_map(|name| self.number.get(name.as_str()).copied())
            .collect()
    }

    /// The named set of a sorted list of numbers.
    fn names(&self, numbers: &[u32]) -> BTreeSet<String> {
        numbers
            .iter()
            .filter_map(|&n| self.names.get(n as usize))
            .map(|name| name.to_string())
            .collect()
    }
}

/// Per target (party or system): the activities that send to it and the union of what they
/// send, from `sent` = (target, activity, the sender's own `data` list in `explicit`, else
/// what the activity holds), put in target order by one sort.
fn gather(
    targets: usize,
    mut sent: Vec<(usize, usize, Option<usize>)>,
    explicit: &[Vec<u32>],
    held: &[Vec<u32>],
) -> (Vec<Vec<u32>>, Vec<BTreeSet<usize>>) {
    let mut data: Vec<Vec<u32>> = vec![Vec::new(); targets];
    let mut activities: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); targets];
    sent.sort_unstable();
    for run in sent.chunk_by(|x, y| x.0 == y.0) {
        let target = run[0].0;
        activities[target] = run.iter().map(|&(_, a, _)| a).collect();
        let union = &mut data[target];
        for &(_, a, own) in run {
            union.extend_from_slice(match own {
                Some(i) => &explicit[i],
                None => &held[a],
            });
        }
        sort_and_dedup(union);
    }
    (data, activities)
}

fn sort_and_dedup(numbers: &mut Vec<u32>) {
    numbers.sort_unstable();
    numbers.dedup();
}

/// What [`compute_holdings`] settles for every activity.
struct Settled {
    holdings: Vec<BTreeSet<String>>,
    purposes: Vec<Purposes>,
    /// Activities in topological order (sources first), each with whether it is off every cycle.
    order: Vec<(usize, bool)>,
}

/// One `reuses` statement, resolved.
#[derive(Clone, Debug)]
struct ReuseEdge {
    source: Option<usize>,
    allowed: Option<BTreeSet<String>>,
    compatible: bool,
}

/// The purposes declared upstream of an activity, as far as P001 needs to know them.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Purposes {
    None,
    One(String),
    Many,
}

impl Purposes {
    fn add(&mut self, purpose: &str) {
        *self = match std::mem::replace(self, Purposes::None) {
            Purposes::None => Purposes::One(purpose.to_string()),
            Purposes::One(p) if p == purpose => Purposes::One(p),
            _ => Purposes::Many,
        };
    }

    fn merge(&mut self, other: &Purposes) {
        match other {
            Purposes::None => {}
            Purposes::One(p) => self.add(p),
            Purposes::Many => *self = Purposes::Many,
        }
    }

    /// Whether a purpose other than `target` is among these.
    fn has_other_than(&self, target: Option<&str>) -> bool {
        match self {
            Purposes::None => false,
            Purposes::One(p) => Some(p.as_str()) != target,
            Purposes::Many => true,
        }
    }
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

        let reuse_edges: Vec<Vec<ReuseEdge>> = model
            .activities
            .iter()
            .map(|activity| {
                activity
                    .reuses
                    .iter()
                    .map(|reuse| ReuseEdge {
                        source: model.position(Kind::Activity, &reuse.activity.name),
                        allowed: reuse.data.as_ref().map(|refs| {
                            model
                                .expand_data(refs.iter().map(|r| r.name.as_str()))
                                .into_iter()
                                .collect()
                        }),
                        compatible: reuse.compatible.is_some(),
                    })
                    .collect()
            })
            .collect();
        let Settled {
            holdings,
            purposes: upstream_purposes,
            order,
        } = compute_holdings(model, &reuse_edges);
        let holdings: Vec<Arc<BTreeSet<String>>> = holdings.into_iter().map(Arc::new).collect();
        let held = |a: usize| -> Arc<BTreeSet<String>> { Arc::clone(&holdings[a]) };

        // Collection and reuse edges.
        for (b, activity) in model.activities.iter().enumerate() {
            // Without `reuses`, what an activity holds is its own data: the same set.
            let own = if reuse_edges[b].iter().all(|edge| edge.source.is_none()) {
                held(b)
            } else {
                Arc::new(own_data(model, activity))
            };
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
            for (reuse, edge) in activity.reuses.iter().zip(&reuse_edges[b]) {
                if let Some(a) = edge.source {
                    let data = match &edge.allowed {
                        Some(allowed) => Arc::new(allowed.clone()),
                        None => held(a),
                    };
                    graph.add_edge(
                        activity_nodes[a],
                        activity_nodes[b],
                        Edge {
                            kind: EdgeKind::Reuse { stmt: reuse.stmt },
                            data,
                        },
                    );
                }
            }
        }

        // Data reaching parties directly: as recipients, and as hosts of systems in use.
        // Who receives what is gathered as (party, activity) pairs and put in party order by
        // one sort, then each party's union is taken in one go, over lists of category numbers
        // sorted once: filled one activity at a time, 20,000 parties' sets at 100,000
        // activities cost a cache miss per insertion, and string sets a string search per category.
        let numbers = DataNumbers::new(model);
        let held_numbers: Vec<Vec<u32>> = holdings.iter().map(|set| numbers.of(set)).collect();
        // (party, activity, the recipient's own `data` list in `explicit`, if it has one).
        let mut received: Vec<(usize, usize, Option<usize>)> = Vec::new();
        let mut explicit: Vec<Vec<u32>> = Vec::new();
        // (system, activity, never a list of its own: a system stores all the activity holds).
        let mut stored: Vec<(usize, usize, Option<usize>)> = Vec::new();
        for (a, activity) in model.activities.iter().enumerate() {
            for recipient in &activity.recipients {
                if let Some(p) = model.position(Kind::Party, &recipient.party.name) {
                    let data: Arc<BTreeSet<String>> = match &recipient.data {
                        Some(refs) => {
                            let data: BTreeSet<String> = model
                                .expand_data(refs.iter().map(|r| r.name.as_str()))
                                .into_iter()
                                .collect();
                            received.push((p, a, Some(explicit.len())));
                            explicit.push(numbers.of(&data));
                            Arc::new(data)
                        }
                        None => {
                            received.push((p, a, None));
                            held(a)
                        }
                    };
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
                    stored.push((s, a, None));
                }
            }
        }
        let (mut direct_data, mut direct_activities) =
            gather(model.parties.len(), received, &explicit, &held_numbers);
        let (system_data, system_activities) =
            gather(model.systems.len(), stored, &explicit, &held_numbers);
        drop((explicit, held_numbers));
        for (s, system) in model.systems.iter().enumerate() {
            if system_activities[s].is_empty() {
                continue;
            }
            if let Some(host) = &system.hosted_by
                && let Some(p) = model.position(Kind::Party, &host.value.name)
            {
                direct_data[p].extend_from_slice(&system_data[s]);
                direct_activities[p].extend(system_activities[s].iter().copied());
                graph.add_edge(
                    system_nodes[s],
                    party_nodes[p],
                    Edge {
                        kind: EdgeKind::Hosting { stmt: host.stmt },
                        data: Arc::new(numbers.names(&system_data[s])),
                    },
                );
            }
        }
        drop(system_data);
        direct_data.iter_mut().for_each(sort_and_dedup);

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
        let components = petgraph::algo::kosaraju_scc(&sub_graph);
        let mut component_of = vec![0; model.parties.len()];
        for (c, members) in components.iter().enumerate() {
            for node in members {
                component_of[sub_graph[*node]] = c;
            }
        }
        let mut reaching = vec![Reaching::default(); components.len()];
        let mut reaching_data: Vec<Vec<u32>> = vec![Vec::new(); components.len()];
        // kosaraju_scc (iterative: no recursion over user-controlled depth) lists sinks first; data flows from sources, so walk it reversed.
        for c in (0..components.len()).rev() {
            let mut set = Reaching::default();
            let mut data = Vec::new();
            for node in &components[c] {
                let p = sub_graph[*node];
                data.extend_from_slice(&direct_data[p]);
                set.activities.extend(direct_activities[p].iter().copied());
                for upstream in sub_graph.neighbors_directed(*node, petgraph::Direction::Incoming) {
                    let from = component_of[sub_graph[upstream]];
                    if from != c {
                        data.extend_from_slice(&reaching_data[from]);
                        set.activities
                            .extend(reaching[from].activities.iter().copied());
                    }
                }
            }
            sort_and_dedup(&mut data);
            set.data = numbers.names(&data);
            reaching_data[c] = data;
            reaching[c] = set;
        }
        drop(reaching_data);
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
        let mut flow = Flow {
            graph,
            holdings,
            party_component: component_of,
            reaching,
            system_activities,
            reuse_edges,
            upstream_purposes,
            foreign: vec![None; model.activities.len()],
            acyclic: vec![false; model.activities.len()],
        };
        // Foreign origins of every activity that reuses, sources first, so a walk that reaches
        // an activity outside any cycle, with the same purpose and carrying all it holds, takes
        // that activity's result instead of walking on: a chain costs O(chain), not O(chain²).
        for &(a, acyclic) in &order {
            flow.acyclic[a] = acyclic;
        }
        for &(b, _) in &order {
            if model.activities[b].purpose.is_some() && !flow.reuse_edges[b].is_empty() {
                let found = flow.walk_origins(model, b, true);
                flow.foreign[b] = Some(found);
            }
        }
        flow
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
    /// Walks backwards from the `reuses` statements of `b`, in order, carrying the data
    /// categories that can still reach `b` (a `data` block on an edge narrows them). An
    /// activity is an origin when some category it holds is among those: its data travels on
    /// to `b`. The walks share their states: a statement only carries on what no earlier
    /// statement brought to the same (activity, covered) state, since from there the walk is
    /// the same. Each (activity, covered, category) is entered once: O((V + E) · C).
    pub fn origins(&self, model: &Model, b: usize) -> BTreeMap<usize, Origin> {
        self.walk_origins(model, b, false)
    }

    /// The [`origins`](Flow::origins) of `b` whose declared purpose differs from `b`'s: the
    /// ones P001 judges. The walk skips every activity upstream of which no other purpose is
    /// declared, so it costs nothing where no such origin can be.
    pub fn foreign_origins(&self, model: &Model, b: usize) -> BTreeMap<usize, Origin> {
        match &self.foreign[b] {
            Some(found) => found.clone(),
            None => self.walk_origins(model, b, true),
        }
    }

    fn walk_origins(&self, model: &Model, b: usize, foreign_only: bool) -> BTreeMap<usize, Origin> {
        let purpose_of = |i: usize| {
            model.activities[i]
                .purpose
                .as_ref()
                .map(|p| p.name.as_str())
        };
        let target_purpose = purpose_of(b);
        let worth_visiting =
            |u: usize| !foreign_only || self.upstream_purposes[u].has_other_than(target_purpose);
        let mut origins: BTreeMap<usize, Origin> = BTreeMap::new();
        // What may reach b, per (activity, covered), over all statements walked so far.
        let mut demand: BTreeMap<(usize, bool), BTreeSet<String>> = BTreeMap::new();
        for (first, edge) in self.reuse_edges[b].iter().enumerate() {
            let Some(start) = edge.source else {
                continue;
            };
            // A path that loops back through b is no path into b: a self-reuse or a cycle must
            // neither justify nor re-anchor data that arrives another way.
            if start == b || !worth_visiting(start) {
                continue;
            }
            let initial = edge
                .allowed
                .clone()
                .unwrap_or_else(|| (*self.holdings[start]).clone());
            // States with categories new to them, and those categories.
            let mut queue: VecDeque<((usize, bool), BTreeSet<String>)> = VecDeque::new();
            let offer = |state: (usize, bool),
                         data: BTreeSet<String>,
                         demand: &mut BTreeMap<(usize, bool), BTreeSet<String>>,
                         queue: &mut VecDeque<((usize, bool), BTreeSet<String>)>,
                         origins: &mut BTreeMap<usize, Origin>| {
                let known = demand.entry(state).or_default();
                let fresh: BTreeSet<String> =
                    data.into_iter().filter(|d| !known.contains(d)).collect();
                if fresh.is_empty() {
                    return;
                }
                known.extend(fresh.iter().cloned());
                let (a, covered) = state;
                if a != b && self.holdings[a].iter().any(|d| fresh.contains(d)) {
                    let entry = origins.entry(a).or_insert(Origin {
                        first_reuse: first,
                        compatible_on_path: false,
                    });
                    entry.compatible_on_path |= covered;
                }
                // An activity off every cycle, with b's purpose, reached with all it holds:
                // upstream of it the walk is the one its own foreign origins came from (data
                // from further up reaches b only through what a holds, so nothing it lacks
                // matters). Take that result; later arrivals here add nothing either.
                if foreign_only
                    && a != b
                    && self.acyclic[a]
                    && purpose_of(a) == target_purpose
                    && let Some(cached) = &self.foreign[a]
                    && self.holdings[a].iter().all(|d| known.contains(d))
                {
                    known.extend(self.holdings[a].iter().cloned());
                    for (origin, found) in cached {
                        let entry = origins.entry(*origin).or_insert(Origin {
                            first_reuse: first,
                            compatible_on_path: false,
                        });
                        entry.compatible_on_path |= covered || found.compatible_on_path;
                    }
                    return;
                }
                queue.push_back((state, fresh));
            };
            offer(
                (start, edge.compatible),
                initial,
                &mut demand,
                &mut queue,
                &mut origins,
            );
            while let Some(((x, covered), wanted)) = queue.pop_front() {
                for upstream in &self.reuse_edges[x] {
                    let Some(u) = upstream.source else {
                        continue;
                    };
                    if u == b || !worth_visiting(u) {
                        continue;
                    }
                    let passes: BTreeSet<String> = match &upstream.allowed {
                        Some(allowed) => wanted
                            .iter()
                            .filter(|d| allowed.contains(*d))
                            .cloned()
                            .collect(),
                        None => wanted.clone(),
                    };
                    if passes.is_empty() {
                        continue;
                    }
                    let covers = upstream.compatible && purpose_of(x) == target_purpose;
                    offer(
                        (u, covered || covers),
                        passes,
                        &mut demand,
                        &mut queue,
                        &mut origins,
                    );
                }
            }
        }
        origins.remove(&b);
        if foreign_only {
            origins.retain(|a, _| purpose_of(*a).is_some_and(|p| Some(p) != target_purpose));
        }
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

/// An activity is automated unless its only channel is `paper`.
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

/// Own data plus data received through `reuses`, and the purposes declared upstream, over
/// the strongly connected components of the `reuses` graph in topological order. Inside a
/// component (a cycle of reuses) a worklist settles the sets: an activity is revisited only
/// when its set grew, which happens at most C times, so the whole is O((V + E) · C).
fn compute_holdings(model: &Model, reuse_edges: &[Vec<ReuseEdge>]) -> Settled {
    let n = model.activities.len();
    let mut reuse_graph: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..n).map(|i| reuse_graph.add_node(i)).collect();
    // Who reuses each activity: the edges along which a growing set is pushed on.
    let mut reused_by: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (b, edges) in reuse_edges.iter().enumerate() {
        for (i, edge) in edges.iter().enumerate() {
            if let Some(a) = edge.source {
                reuse_graph.add_edge(nodes[a], nodes[b], ());
                reused_by[a].push((b, i));
            }
        }
    }
    let mut holdings: Vec<BTreeSet<String>> = model
        .activities
        .iter()
        .map(|a| own_data(model, a))
        .collect();
    let mut purposes = vec![Purposes::None; n];
    let mut component_of = vec![0usize; n];
    let mut queued = vec![false; n];
    // Activities in topological order (sources first), each with whether it is off every cycle.
    let mut order: Vec<(usize, bool)> = Vec::with_capacity(n);
    // kosaraju_scc (iterative: no recursion over user-controlled depth) yields components
    // sinks first; data flows from sources, so walk it reversed.
    let components = petgraph::algo::kosaraju_scc(&reuse_graph);
    for (c, component) in components.iter().enumerate() {
        for node in component {
            component_of[reuse_graph[*node]] = c;
        }
    }
    for (c, component) in components.iter().enumerate().rev() {
        let members: Vec<usize> = component.iter().map(|node| reuse_graph[*node]).collect();
        // Upstream components are settled: take in what they send, once per edge.
        let mut summary = Purposes::None;
        for &b in &members {
            if let Some(purpose) = &model.activities[b].purpose {
                summary.add(&purpose.name);
            }
            for edge in &reuse_edges[b] {
                let Some(a) = edge.source else { continue };
                if component_of[a] != c {
                    summary.merge(&purposes[a]);
                    // `a` is upstream, outside `b`'s component: its set is read in place,
                    // not deep-copied first.
                    let mut held = std::mem::take(&mut holdings[b]);
                    union_into(&mut held, edge.allowed.as_ref().unwrap_or(&holdings[a]));
                    holdings[b] = held;
                }
            }
        }
        for &b in &members {
            purposes[b] = summary.clone();
        }
        let acyclic = members.len() == 1
            && !reuse_edges[members[0]]
                .iter()
                .any(|e| e.source == Some(members[0]));
        order.extend(members.iter().map(|&b| (b, acyclic)));
        if acyclic {
            continue;
        }
        // Inside the cycle: push each member's set along its edges until nothing grows.
        let mut work: VecDeque<usize> = members.iter().copied().collect();
        for &b in &members {
            queued[b] = true;
        }
        while let Some(a) = work.pop_front() {
            queued[a] = false;
            for &(b, i) in &reused_by[a] {
                if component_of[b] != c {
                    continue;
                }
                let incoming: Vec<String> = reuse_edges[b][i]
                    .allowed
                    .as_ref()
                    .unwrap_or(&holdings[a])
                    .iter()
                    .filter(|d| !holdings[b].contains(*d))
                    .cloned()
                    .collect();
                if !incoming.is_empty() {
                    holdings[b].extend(incoming);
                    if !queued[b] {
                        queued[b] = true;
                        work.push_back(b);
                    }
                }
            }
        }
    }
    Settled {
        holdings,
        purposes,
        order,
    }
}
