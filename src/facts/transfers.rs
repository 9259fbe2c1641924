//! Transfer facts (Chapter V): every edge that carries personal data to a party or system
//! in a country, with the country's status on `today`, the mechanism protecting the edge and
//! where it is declared, and (for onward transfers) the processor chain it goes through.

use crate::flow::Flow;
use crate::model::vocab::{Derogation, Mechanism};
use crate::model::{Model, Party, Transfer};
use crate::source::Span;
use crate::syntax::ast::Kind;
use crate::time::Date;
use std::collections::VecDeque;

/// How a destination stands under Chapter V on `today`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransferStatus {
    /// Not a declared country (E004 already).
    Unknown,
    /// Inside the EEA: no transfer.
    Eea,
    /// The controller's own country outside the EEA (and not adequate): never a transfer.
    OwnCountry,
    /// A full adequacy decision, in force since `since`.
    AdequateFull { since: Option<Date> },
    /// A partial decision whose condition the receiver meets (e.g. `certified dpf`); `None`
    /// when the decision names no condition.
    AdequatePartial {
        requires: Option<String>,
        since: Option<Date>,
    },
    /// A partial decision whose condition the receiver does not meet.
    PartialNotMet { requires: String },
    /// A third country with no decision in force.
    NoDecision,
}

impl TransferStatus {
    /// A non-adequate third country: the edge needs an Art. 46 tool or an Art. 49 derogation.
    pub fn needs_tool(&self) -> bool {
        matches!(
            self,
            TransferStatus::PartialNotMet { .. } | TransferStatus::NoDecision
        )
    }

    /// In the EEA or covered by adequacy: a `transfer` there is not needed.
    pub fn covered(&self) -> bool {
        matches!(
            self,
            TransferStatus::Eea
                | TransferStatus::AdequateFull { .. }
                | TransferStatus::AdequatePartial { .. }
        )
    }
}

/// How `country` stands on `today` for a receiver holding `certified`: a decision counts
/// only from its `since` date.
pub fn status(model: &Model, today: Date, country: &str, certified: &[&str]) -> TransferStatus {
    let Some(info) = model.country(country) else {
        return TransferStatus::Unknown;
    };
    if info.eea {
        return TransferStatus::Eea;
    }
    let own = model
        .controller
        .as_ref()
        .and_then(|c| c.country.as_ref())
        .is_some_and(|c| c.name == country);
    let in_force = info
        .adequacy
        .as_ref()
        .filter(|a| a.since.is_none_or(|since| since <= today));
    let judged = match in_force {
        Some(adequacy) if adequacy.full => TransferStatus::AdequateFull {
            since: adequacy.since,
        },
        Some(adequacy) => match adequacy.requires.as_deref() {
            Some(requires) if !certified.contains(&requires) => TransferStatus::PartialNotMet {
                requires: requires.to_string(),
            },
            requires => TransferStatus::AdequatePartial {
                requires: requires.map(str::to_string),
                since: adequacy.since,
            },
        },
        None => TransferStatus::NoDecision,
    };
    // The controller's own country is never a transfer; when it is adequate anyway, a
    // `transfer` there is still "not needed" (T005), so only the other outcomes change.
    if own && judged.needs_tool() {
        TransferStatus::OwnCountry
    } else {
        judged
    }
}

/// Which statement makes the edge, and so what it connects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// `recipient` statement number `recipient` of `activity`, to `party`.
    Recipient {
        activity: usize,
        recipient: usize,
        party: usize,
    },
    /// Into `system`, stored in its `location`.
    SystemLocation { system: usize },
    /// On to the system's `hosted-by` party, which receives all data stored.
    SystemHost { system: usize, host: usize },
    /// From `processor` on to `subprocessor`, by its `subprocessors` statement `statement`.
    Subprocessor {
        processor: usize,
        subprocessor: usize,
        statement: usize,
    },
}

/// Where the mechanism protecting an edge is declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclaredOn {
    /// On the `recipient` statement itself.
    Recipient,
    /// On the receiving party (index into `model.parties`).
    Party(usize),
    /// On the system (index into `model.systems`).
    System(usize),
    /// On the subprocessor party.
    Subprocessor(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Protection {
    pub mechanism: Mechanism,
    pub derogation: Option<Derogation>,
    /// The transfer impact assessment, as referenced.
    pub tia: Option<String>,
    pub declared: DeclaredOn,
    /// The `transfer` statement.
    pub stmt: Span,
}

impl Protection {
    fn of(transfer: &Transfer, declared: DeclaredOn) -> Protection {
        Protection {
            mechanism: transfer.mechanism,
            derogation: transfer.derogation,
            tia: transfer.tia.clone(),
            declared,
            stmt: transfer.stmt,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransferEdge {
    pub kind: EdgeKind,
    /// The statement that makes the edge (recipient, location or hosted-by, subprocessors).
    pub anchor: Span,
    /// The destination country's code and where it is given.
    pub country: String,
    pub country_span: Span,
    pub status: TransferStatus,
    /// The party whose certification the adequacy decision looks at (a system's host).
    pub certifiable: Option<usize>,
    pub protection: Option<Protection>,
    /// Whether any data travels the edge (a system no activity uses carries none).
    pub reached: bool,
}

/// One end of a transfer edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// Index into `model.activities`.
    Activity(usize),
    /// Index into `model.systems`.
    System(usize),
    /// Index into `model.parties`.
    Party(usize),
}

impl TransferEdge {
    /// Where the data comes from: the activity, the system (for its host), or the processor
    /// passing it on.
    pub fn source(&self) -> Endpoint {
        match self.kind {
            EdgeKind::Recipient { activity, .. } => Endpoint::Activity(activity),
            EdgeKind::SystemLocation { system } => Endpoint::System(system),
            EdgeKind::SystemHost { system, .. } => Endpoint::System(system),
            EdgeKind::Subprocessor { processor, .. } => Endpoint::Party(processor),
        }
    }

    /// Who or what receives the data in `country`.
    pub fn destination(&self) -> Endpoint {
        match self.kind {
            EdgeKind::Recipient { party, .. } => Endpoint::Party(party),
            EdgeKind::SystemLocation { system } => Endpoint::System(system),
            EdgeKind::SystemHost { host, .. } => Endpoint::Party(host),
            EdgeKind::Subprocessor { subprocessor, .. } => Endpoint::Party(subprocessor),
        }
    }

    /// Into a non-adequate third country with nothing protecting it (T001/T002).
    pub fn unprotected(&self) -> bool {
        self.reached && self.status.needs_tool() && self.protection.is_none()
    }
}

/// Each party's own standing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartyFacts {
    /// Its country's status for it (its certifications counted); `None` without a country.
    pub status: Option<TransferStatus>,
}

fn certifications(party: &Party) -> Vec<&str> {
    party.certified.iter().map(|c| c.value.as_str()).collect()
}

pub(super) fn derive(
    model: &Model,
    flow: &Flow,
    today: Date,
) -> (Vec<TransferEdge>, Vec<PartyFacts>, Vec<Option<usize>>) {
    let mut edges = Vec::new();
    let parties: Vec<PartyFacts> = model
        .parties
        .iter()
        .map(|party| PartyFacts {
            status: party
                .country
                .as_ref()
                .map(|c| status(model, today, &c.name, &certifications(party))),
        })
        .collect();
    let mut roots = Vec::new();
    for (a, activity) in model.activities.iter().enumerate() {
        if activity.header.from_stdlib {
            continue;
        }
        for (r, recipient) in activity.recipients.iter().enumerate() {
            let Some(p) = model.position(Kind::Party, &recipient.party.name) else {
                continue;
            };
            roots.push(p);
            let party = &model.parties[p];
            let Some(country) = &party.country else {
                continue;
            };
            let protection = match (&recipient.transfer, &party.transfer) {
                (Some(t), _) => Some(Protection::of(t, DeclaredOn::Recipient)),
                (None, Some(t)) => Some(Protection::of(t, DeclaredOn::Party(p))),
                (None, None) => None,
            };
            edges.push(TransferEdge {
                kind: EdgeKind::Recipient {
                    activity: a,
                    recipient: r,
                    party: p,
                },
                anchor: recipient.stmt,
                country: country.name.clone(),
                country_span: country.span,
                status: parties[p].status.clone().unwrap_or(TransferStatus::Unknown),
                certifiable: Some(p),
                protection,
                reached: true,
            });
        }
    }
    for (s, system) in model.systems.iter().enumerate() {
        if system.header.from_stdlib {
            continue;
        }
        let host = system
            .hosted_by
            .as_ref()
            .and_then(|h| model.position(Kind::Party, &h.value.name));
        let reached = flow.reaches_system(s);
        if let (Some(h), true) = (host, reached) {
            roots.push(h);
        }
        let certified = host
            .map(|h| certifications(&model.parties[h]))
            .unwrap_or_default();
        let Some(anchor) = system
            .location
            .as_ref()
            .map(|l| l.stmt)
            .or(system.hosted_by.as_ref().map(|h| h.stmt))
        else {
            continue;
        };
        let protection = match (&system.transfer, host.map(|h| (h, &model.parties[h]))) {
            (Some(t), _) => Some(Protection::of(t, DeclaredOn::System(s))),
            (None, Some((h, party))) => party
                .transfer
                .as_ref()
                .map(|t| Protection::of(t, DeclaredOn::Party(h))),
            (None, None) => None,
        };
        let mut push = |kind, country: &crate::model::Ref| {
            edges.push(TransferEdge {
                kind,
                anchor,
                country: country.name.clone(),
                country_span: country.span,
                status: status(model, today, &country.name, &certified),
                certifiable: host,
                protection: protection.clone(),
                reached,
            });
        };
        if let Some(location) = &system.location {
            push(EdgeKind::SystemLocation { system: s }, &location.value);
        }
        if let Some(h) = host
            && let Some(country) = &model.parties[h].country
        {
            push(EdgeKind::SystemHost { system: s, host: h }, country);
        }
    }
    // Onward: from every party data reaches, to each subprocessor with a country.
    for (p, party) in model.parties.iter().enumerate() {
        if party.header.from_stdlib || !flow.reaches_party(p) {
            continue;
        }
        for (k, statement) in party.subprocessors.iter().enumerate() {
            for sub in &statement.parties {
                let Some(q) = model.position(Kind::Party, &sub.name) else {
                    continue;
                };
                let subprocessor = &model.parties[q];
                let Some(country) = &subprocessor.country else {
                    continue;
                };
                edges.push(TransferEdge {
                    kind: EdgeKind::Subprocessor {
                        processor: p,
                        subprocessor: q,
                        statement: k,
                    },
                    anchor: statement.stmt,
                    country: country.name.clone(),
                    country_span: country.span,
                    status: parties[q].status.clone().unwrap_or(TransferStatus::Unknown),
                    certifiable: Some(q),
                    protection: subprocessor
                        .transfer
                        .as_ref()
                        .map(|t| Protection::of(t, DeclaredOn::Subprocessor(q))),
                    reached: true,
                });
            }
        }
    }
    let onward_from = onward_tree(model, &roots);
    (edges, parties, onward_from)
}

/// Edge indexes by where the edge starts: one list per activity (recipients), system
/// (location, host) and processor (subprocessors). Its total size is the number of edges.
#[derive(Clone, Debug, Default)]
pub struct EdgeIndex {
    pub activity: Vec<Vec<usize>>,
    pub system: Vec<Vec<usize>>,
    pub party: Vec<Vec<usize>>,
}

impl EdgeIndex {
    pub(super) fn build(model: &Model, edges: &[TransferEdge]) -> EdgeIndex {
        let mut index = EdgeIndex {
            activity: vec![Vec::new(); model.activities.len()],
            system: vec![Vec::new(); model.systems.len()],
            party: vec![Vec::new(); model.parties.len()],
        };
        for (e, edge) in edges.iter().enumerate() {
            let list = match edge.source() {
                Endpoint::Activity(a) => index.activity.get_mut(a),
                Endpoint::System(s) => index.system.get_mut(s),
                Endpoint::Party(p) => index.party.get_mut(p),
            };
            if let Some(list) = list {
                list.push(e);
            }
        }
        index
    }
}

/// Breadth-first over `subprocessors` from the parties that receive data directly: for each
/// party reached onward, the processor that first passes data to it. O(parties + statements).
fn onward_tree(model: &Model, roots: &[usize]) -> Vec<Option<usize>> {
    let mut from = vec![None; model.parties.len()];
    let mut seen = vec![false; model.parties.len()];
    let mut queue = VecDeque::new();
    for &root in roots {
        if !seen[root] {
            seen[root] = true;
            queue.push_back(root);
        }
    }
    while let Some(p) = queue.pop_front() {
        for statement in &model.parties[p].subprocessors {
            for sub in &statement.parties {
                if let Some(q) = model.position(Kind::Party, &sub.name)
                    && !seen[q]
                {
                    seen[q] = true;
                    from[q] = Some(p);
                    queue.push_back(q);
                }
            }
        }
    }
    from
}
