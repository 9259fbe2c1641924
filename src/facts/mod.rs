//! Derived facts: one pure stage, computed once per analysis from the model and the flow
//! graph, that the rules and every renderer read (`lawful breach`, documents, the language
//! server). Facts are data: reasons are enumerations, never prose, so a renderer can word
//! them in English or Dutch. Indexes are positions in the model's lists (`model.activities`,
//! `model.parties`, `model.systems`, `model.breaches`).
//!
//! Complexity: linear in the model and its edges, plus the sets the flow already holds
//! (each activity's holdings are read a constant number of times).

pub mod activity;
pub mod breach;
pub mod transfers;

pub use activity::{
    ActivityFacts, Applies, AppliesBecause, ChannelFact, DeclaredIn, DpiaIndicator, DpoReason,
    Effective, MeasureFact, MeasureFrom, NotApplicable, PortabilityScope, RightFact,
};
pub use breach::{
    AuthorityFacts, AuthorityReason, AuthorityTiming, BreachFacts, RiskIndicator, SubjectsFacts,
    SubjectsReason,
};
pub use transfers::{
    DeclaredOn, EdgeKind, Endpoint, PartyFacts, Protection, TransferEdge, TransferStatus,
};

use crate::flow::Flow;
use crate::model::Model;
use crate::settings::Settings;

/// Everything derived from one model, for the rules and the renderers.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Per activity (index-aligned with `model.activities`): rights, measures, DPIA indicators.
    pub activities: Vec<ActivityFacts>,
    /// Every edge that carries data to a country (recipients, system locations and hosts,
    /// subprocessors onward), user declarations only, in declaration order.
    pub transfers: Vec<TransferEdge>,
    /// Indexes into `transfers` by where an edge starts ([`Facts::transfers_of`] reads it).
    pub index: transfers::EdgeIndex,
    /// Per party (index-aligned with `model.parties`): its country's status.
    pub parties: Vec<PartyFacts>,
    /// For each party, the processor that first passes data on to it (breadth-first from
    /// the parties that receive data directly): [`Facts::chain`] walks it.
    pub onward_from: Vec<Option<usize>>,
    /// Why a data protection officer is required (Art. 37(1)); empty when not.
    pub dpo_required: Vec<DpoReason>,
    /// Per breach (index-aligned with `model.breaches`): the notification verdict.
    pub breaches: Vec<BreachFacts>,
}

impl Facts {
    pub fn derive(model: &Model, flow: &Flow, settings: &Settings) -> Facts {
        Facts::derive_on(model, flow, settings, 1)
    }

    /// [`Facts::derive`] on up to `threads` threads (large workspaces only); the same facts
    /// for any count.
    pub fn derive_on(model: &Model, flow: &Flow, settings: &Settings, threads: usize) -> Facts {
        let (activities, (transfers, parties, onward_from)) = crate::parallel::join(
            threads,
            model.activities.len(),
            || activity::derive(model, flow),
            || transfers::derive(model, flow, settings.today),
        );
        let dpo_required = activity::dpo_reasons(model, &activities);
        let index = transfers::EdgeIndex::build(model, &transfers);
        let breaches = model
            .breaches
            .iter()
            .map(|b| breach::derive(model, flow, b, settings))
            .collect();
        Facts {
            activities,
            transfers,
            index,
            parties,
            onward_from,
            dpo_required,
            breaches,
        }
    }

    /// The chain of parties data passes through to reach `party`, from the one that
    /// received it directly, `party` last. Linear in the chain's length.
    pub fn chain(&self, party: usize) -> Vec<usize> {
        let mut chain = vec![party];
        let mut at = party;
        while let Some(Some(previous)) = self.onward_from.get(at) {
            // `onward_from` is a breadth-first tree, so it has no cycle; the bound is a guard.
            if chain.len() > self.onward_from.len() {
                break;
            }
            chain.push(*previous);
            at = *previous;
        }
        chain.reverse();
        chain
    }

    /// The transfer edges activity `a`'s data travels, computed on demand: its recipients,
    /// its systems' locations and hosts, then onward, breadth-first, the subprocessors of every
    /// party its data reaches (as the flow graph says). Linear in the part of the subprocessor
    /// graph the activity reaches, so a register listing every activity costs what it prints.
    pub fn transfers_of(&self, model: &Model, flow: &Flow, a: usize) -> Vec<&TransferEdge> {
        let Some(activity) = model.activities.get(a) else {
            return Vec::new();
        };
        let edges = |ids: Option<&Vec<usize>>| -> Vec<&TransferEdge> {
            ids.into_iter()
                .flatten()
                .filter_map(|e| self.transfers.get(*e))
                .collect()
        };
        let mut out = edges(self.index.activity.get(a));
        let mut queue: std::collections::VecDeque<usize> = activity
            .recipients
            .iter()
            .filter_map(|r| model.position(crate::syntax::ast::Kind::Party, &r.party.name))
            .collect();
        for system in &activity.systems {
            if let Some(s) = model.position(crate::syntax::ast::Kind::System, &system.name) {
                out.extend(edges(self.index.system.get(s)));
                if let Some(host) = model.systems[s]
                    .hosted_by
                    .as_ref()
                    .and_then(|h| model.position(crate::syntax::ast::Kind::Party, &h.value.name))
                {
                    queue.push_back(host);
                }
            }
        }
        let mut seen: std::collections::BTreeSet<usize> = queue.iter().copied().collect();
        while let Some(p) = queue.pop_front() {
            if !flow.party_activities(p).contains(&a) {
                continue;
            }
            for edge in edges(self.index.party.get(p)) {
                out.push(edge);
                if let EdgeKind::Subprocessor { subprocessor, .. } = edge.kind
                    && seen.insert(subprocessor)
                {
                    queue.push_back(subprocessor);
                }
            }
        }
        out
    }
}
