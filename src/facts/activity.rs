//! Per-activity facts: the rights that apply and why (Art. 15–22, 7(3)), each right's
//! effective channel, response time and extension, portability's scope, the security
//! measures in effect and where they come from, and the DPIA indicators (Art. 35).

use crate::flow::{self, Flow};
use crate::model::vocab::{BasisKind, DataOrigin, Effect, Format, MeasureKind, PurposeKind, Right};
use crate::model::{Activity, Measure, Model, Rights};
use crate::source::Span;
use crate::time::Duration;
use std::collections::BTreeSet;

#[derive(Clone, Debug)]
pub struct ActivityFacts {
    /// Every right, in `Right::ALL` order, applicable or not.
    pub rights: Vec<RightFact>,
    /// The response time in effect (Art. 12(3)): the activity's `rights`, else the controller's.
    pub response: Option<Effective<Duration>>,
    pub extension: Option<Effective<Duration>>,
    /// What portability covers, when the right applies.
    pub portability: Option<PortabilityScope>,
    /// Unless the only channel is `paper`.
    pub automated: bool,
    /// Every measure in effect, with where it is declared: activity, its systems, controller.
    pub measures: Vec<MeasureFact>,
    /// The Art. 35 criteria the activity meets, each once.
    pub dpia: Vec<DpiaIndicator>,
}

impl ActivityFacts {
    pub fn right(&self, right: Right) -> Option<&RightFact> {
        self.rights.iter().find(|r| r.right == right)
    }

    /// The rights that apply.
    pub fn applicable(&self) -> impl Iterator<Item = &RightFact> {
        self.rights.iter().filter(|r| r.applies.holds())
    }

    /// The known measures in effect, wherever declared.
    pub fn measures_in_effect(&self) -> BTreeSet<MeasureKind> {
        self.measures
            .iter()
            .filter_map(|m| match m.measure {
                Measure::Known(kind) => Some(kind),
                Measure::Custom(_) => None,
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RightFact {
    pub right: Right,
    pub applies: Applies,
    /// The effective channel: the activity's own, else the controller's, else none.
    pub channel: Option<ChannelFact>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applies {
    /// The right applies, for these reasons (at least one).
    Yes(Vec<AppliesBecause>),
    No(NotApplicable),
}

impl Applies {
    pub fn holds(&self) -> bool {
        matches!(self, Applies::Yes(_))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppliesBecause {
    /// Access, rectification and restriction apply to every activity (Art. 15, 16, 18).
    Always,
    /// The legal basis brings the right (Art. 17, 20, 21, 7(3)).
    Basis(BasisKind),
    /// Objection always applies to direct marketing (Art. 21(2)).
    MarketingPurpose,
    /// A decision with legal or similarly significant effect (Art. 22(3)).
    AutomatedDecision,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotApplicable {
    /// The basis (or the lack of one) does not bring this right.
    BasisExcludes(Option<BasisKind>),
    /// Portability: the processing is not automated (only `paper`).
    NotAutomated,
    /// Portability: the activity holds only derived data.
    OnlyDerivedData,
    /// Human intervention: no automated decision with legal or significant effect.
    NoSignificantDecision,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclaredIn {
    /// The activity's own `rights` block.
    Activity,
    /// The controller's `rights` block.
    Controller,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelFact {
    /// How to exercise the right, as written.
    pub text: String,
    pub from: DeclaredIn,
    /// The statement that declares it.
    pub stmt: Span,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Effective<T> {
    pub value: T,
    pub from: DeclaredIn,
    pub stmt: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PortabilityScope {
    /// Held categories the person provided or that were observed: what is handed over.
    pub provided: Vec<String>,
    pub observed: Vec<String>,
    /// Derived categories: outside portability (Art. 20, WP242).
    pub derived: Vec<String>,
    /// The formats offered (the activity's `rights`, else the controller's).
    pub formats: Vec<Format>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeasureFrom {
    Activity,
    /// Index into `model.systems`.
    System(usize),
    Controller,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MeasureFact {
    pub measure: Measure,
    pub from: MeasureFrom,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DpiaIndicator {
    /// Special-category or criminal data held (names).
    SpecialOrCriminal(Vec<String>),
    LargeScale,
    /// Minors or vulnerable subjects (names).
    Vulnerable(Vec<String>),
    AutomatedDecision,
    Profiling,
    Monitoring,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DpoReason {
    /// Art. 37(1)(a).
    PublicBody,
    /// Art. 37(1)(b): large-scale systematic monitoring by this activity.
    LargeScaleMonitoring { activity: usize },
    /// Art. 37(1)(c): large-scale processing of special or criminal data by this activity.
    LargeScaleSensitive { activity: usize },
}

pub(super) fn derive(model: &Model, flow: &Flow) -> Vec<ActivityFacts> {
    model
        .activities
        .iter()
        .enumerate()
        .map(|(a, activity)| {
            let none = BTreeSet::new();
            one(model, flow.holdings.get(a).map_or(&none, |h| h), activity)
        })
        .collect()
}

fn one(model: &Model, holdings: &BTreeSet<String>, activity: &Activity) -> ActivityFacts {
    let controller = model.controller.as_ref().and_then(|c| c.rights.as_ref());
    let own = activity.rights.as_ref();
    let automated = flow::automated(activity);
    let basis = activity.basis.as_ref().map(|b| b.kind);
    let marketing = activity
        .purpose
        .as_ref()
        .and_then(|p| model.purpose(&p.name))
        .is_some_and(|p| p.kind == PurposeKind::Marketing);
    let decision = activity
        .automated_decision
        .as_ref()
        .is_some_and(|d| matches!(d.effect, Some(Effect::Legal | Effect::Significant)));
    let portable_data = holdings
        .iter()
        .filter_map(|d| model.data_category(d))
        .any(|d| d.origin != DataOrigin::Derived);
    let rights = Right::ALL
        .iter()
        .map(|&right| RightFact {
            right,
            applies: applies(right, basis, marketing, decision, automated, portable_data),
            channel: channel(right, own, controller),
        })
        .collect::<Vec<_>>();
    let effective = |pick: fn(&Rights) -> Option<&crate::model::Stated<Duration>>| {
        own.and_then(|r| pick(r).map(|s| (s, DeclaredIn::Activity)))
            .or_else(|| controller.and_then(|r| pick(r).map(|s| (s, DeclaredIn::Controller))))
            .map(|(s, from)| Effective {
                value: s.value,
                from,
                stmt: s.stmt,
            })
    };
    let portability = rights
        .iter()
        .any(|r| r.right == Right::Portability && r.applies.holds())
        .then(|| {
            let mut scope = PortabilityScope {
                provided: Vec::new(),
                observed: Vec::new(),
                derived: Vec::new(),
                formats: own
                    .filter(|r| !r.formats.is_empty())
                    .or(controller)
                    .map(|r| r.formats.iter().map(|f| f.value).collect())
                    .unwrap_or_default(),
            };
            for name in holdings {
                match model.data_category(name).map(|d| d.origin) {
                    Some(DataOrigin::Provided) => scope.provided.push(name.clone()),
                    Some(DataOrigin::Observed) => scope.observed.push(name.clone()),
                    Some(DataOrigin::Derived) => scope.derived.push(name.clone()),
                    None => {}
                }
            }
            scope
        });
    ActivityFacts {
        response: effective(|r| r.response.as_ref()),
        extension: effective(|r| r.extension.as_ref()),
        portability,
        automated,
        measures: measures(model, activity),
        dpia: dpia(model, holdings, activity),
        rights,
    }
}

/// The table of rights per basis (Art. 17, 20, 21, 7(3)), with its extra rules: objection to direct
/// marketing, human intervention for a significant automated decision, portability only for
/// automated processing of provided or observed data.
fn applies(
    right: Right,
    basis: Option<BasisKind>,
    marketing: bool,
    decision: bool,
    automated: bool,
    portable_data: bool,
) -> Applies {
    use BasisKind::*;
    let by_basis = |kinds: &[BasisKind]| match basis {
        Some(kind) if kinds.contains(&kind) => Applies::Yes(vec![AppliesBecause::Basis(kind)]),
        _ => Applies::No(NotApplicable::BasisExcludes(basis)),
    };
    match right {
        Right::Access | Right::Rectification | Right::Restriction => {
            Applies::Yes(vec![AppliesBecause::Always])
        }
        Right::Erasure => by_basis(&[Consent, Contract, VitalInterests, LegitimateInterest]),
        Right::WithdrawConsent => by_basis(&[Consent]),
        Right::Objection => {
            let mut because = match by_basis(&[PublicTask, LegitimateInterest]) {
                Applies::Yes(because) => because,
                Applies::No(_) => Vec::new(),
            };
            if marketing {
                because.push(AppliesBecause::MarketingPurpose);
            }
            if because.is_empty() {
                Applies::No(NotApplicable::BasisExcludes(basis))
            } else {
                Applies::Yes(because)
            }
        }
        Right::Portability => match by_basis(&[Consent, Contract]) {
            Applies::Yes(_) if !automated => Applies::No(NotApplicable::NotAutomated),
            Applies::Yes(_) if !portable_data => Applies::No(NotApplicable::OnlyDerivedData),
            other => other,
        },
        Right::HumanIntervention if decision => {
            Applies::Yes(vec![AppliesBecause::AutomatedDecision])
        }
        Right::HumanIntervention => Applies::No(NotApplicable::NoSignificantDecision),
    }
}

fn channel(right: Right, own: Option<&Rights>, controller: Option<&Rights>) -> Option<ChannelFact> {
    let pick = |rights: Option<&Rights>, from| {
        rights
            .and_then(|r| r.channels.get(&right))
            .map(|stated| ChannelFact {
                text: stated.value.clone(),
                from,
                stmt: stated.stmt,
            })
    };
    pick(own, DeclaredIn::Activity).or_else(|| pick(controller, DeclaredIn::Controller))
}

fn measures(model: &Model, activity: &Activity) -> Vec<MeasureFact> {
    let mut found = Vec::new();
    let mut add = |list: &[crate::model::Spanned<Measure>], from: MeasureFrom| {
        found.extend(list.iter().map(|m| MeasureFact {
            measure: m.value.clone(),
            from,
            span: m.span,
        }));
    };
    add(&activity.measures, MeasureFrom::Activity);
    for system in &activity.systems {
        if let Some(s) = model.position(crate::syntax::ast::Kind::System, &system.name) {
            add(&model.systems[s].measures, MeasureFrom::System(s));
        }
    }
    if let Some(controller) = &model.controller {
        add(&controller.measures, MeasureFrom::Controller);
    }
    found
}

/// Special or criminal categories among `data`; with `wide`, also national-id and financial.
pub fn sensitive_data<'m>(
    model: &Model,
    data: impl IntoIterator<Item = &'m String>,
    wide: bool,
) -> Vec<&'m str> {
    data.into_iter()
        .filter(|name| {
            model.data_category(name).is_some_and(|d| {
                d.special.is_some() || d.criminal || (wide && (d.national_id || d.financial))
            })
        })
        .map(String::as_str)
        .collect()
}

fn dpia(model: &Model, holdings: &BTreeSet<String>, activity: &Activity) -> Vec<DpiaIndicator> {
    let mut found = Vec::new();
    let sensitive = sensitive_data(model, holdings, false);
    if !sensitive.is_empty() {
        found.push(DpiaIndicator::SpecialOrCriminal(
            sensitive.into_iter().map(str::to_string).collect(),
        ));
    }
    if activity.large_scale {
        found.push(DpiaIndicator::LargeScale);
    }
    let vulnerable: Vec<String> = activity
        .subjects
        .iter()
        .filter(|s| {
            model
                .subjects_category(&s.name)
                .is_some_and(|c| c.minors || c.vulnerable)
        })
        .map(|s| s.name.clone())
        .collect();
    if !vulnerable.is_empty() {
        found.push(DpiaIndicator::Vulnerable(vulnerable));
    }
    if activity
        .automated_decision
        .as_ref()
        .is_some_and(|d| matches!(d.effect, Some(Effect::Legal | Effect::Significant)))
    {
        found.push(DpiaIndicator::AutomatedDecision);
    }
    if activity.profiling {
        found.push(DpiaIndicator::Profiling);
    }
    if activity.monitoring {
        found.push(DpiaIndicator::Monitoring);
    }
    found
}

/// Art. 37(1): a public body, or an activity whose core is large-scale monitoring or
/// large-scale processing of special or criminal data.
pub(super) fn dpo_reasons(model: &Model, activities: &[ActivityFacts]) -> Vec<DpoReason> {
    let mut reasons = Vec::new();
    if model
        .controller
        .as_ref()
        .is_some_and(|c| c.sector == crate::model::vocab::Sector::Public)
    {
        reasons.push(DpoReason::PublicBody);
    }
    for (a, activity) in model.activities.iter().enumerate() {
        if !activity.large_scale {
            continue;
        }
        let sensitive = activities.get(a).is_some_and(|f| {
            f.dpia
                .iter()
                .any(|i| matches!(i, DpiaIndicator::SpecialOrCriminal(_)))
        });
        if activity.monitoring {
            reasons.push(DpoReason::LargeScaleMonitoring { activity: a });
        } else if sensitive {
            reasons.push(DpoReason::LargeScaleSensitive { activity: a });
        }
    }
    reasons
}
