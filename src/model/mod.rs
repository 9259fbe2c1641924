//! The typed model: every declaration of the language with its statements, each value and
//! reference carrying its span. Built from the syntax tree by [`lower`], then checked for
//! names and cycles by [`resolve`].

mod lower;
pub use lower::MAX_PER_CODE;
mod resolve;
pub mod schema;
pub mod symbols;
pub mod vocab;

pub(crate) use lower::Lowered;
pub use lower::lower_file;
pub use resolve::resolve;

use crate::source::Span;
use crate::syntax::ast::Kind;
use crate::time::{Date, DateTime, Duration};
use std::collections::BTreeMap;
// Hashed with foldhash, seeded per process: several times faster than SipHash on short names,
// and still not predictable by a workspace crafted to collide.
use foldhash::HashMap;
use vocab::*;

/// A reference to another declaration, by name; its kind is given by the key holding it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    pub name: String,
    pub span: Span,
}

/// A value together with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}

/// Something stated by a whole statement, with the statement's span for anchoring.
#[derive(Clone, Debug, PartialEq)]
pub struct Stated<T> {
    pub value: T,
    /// The statement (key to end).
    pub stmt: Span,
}

/// What every declaration has.
#[derive(Clone, Debug)]
pub struct Header {
    pub kind: Kind,
    pub name: String,
    /// The NAME token: the anchor of "decl" diagnostics.
    pub name_span: Span,
    pub title: Option<String>,
    /// The whole declaration: `allow` applies to diagnostics anchored inside it.
    pub span: Span,
    pub allows: Vec<Allow>,
    pub from_stdlib: bool,
    /// The declaration held a syntax error (see `ast::Decl::recovered`).
    pub recovered: bool,
    /// One of its blocks never closed (see `ast::Decl::unclosed`).
    pub unclosed: bool,
    /// Keys written in the declaration, with a bad value or not, as the schema spells them
    /// (a misspelt key as the key it was meant to be): a rule about a *missing* statement
    /// stays silent when the statement is there with a bad value (already E003).
    pub written: Vec<&'static str>,
    /// Other names people use for a stdlib declaration (`aliases USA, "United States"`), for
    /// "did you mean" only; never valid names. Empty in user files (the statement is the
    /// standard library's own).
    pub aliases: Vec<String>,
}

impl Header {
    pub fn wrote(&self, key: &str) -> bool {
        self.written.contains(&key)
    }
}

#[derive(Clone, Debug)]
pub struct Allow {
    pub code: String,
    pub reason: String,
    pub stmt: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Measure {
    Known(MeasureKind),
    Custom(String),
}

#[derive(Clone, Debug)]
pub struct Controller {
    pub header: Header,
    pub country: Option<Ref>,
    pub contact: Option<String>,
    pub dpo: Option<String>,
    pub representative: Option<String>,
    pub employees: Option<u64>,
    pub sector: Sector,
    pub financial_institution: bool,
    pub notice: Option<String>,
    pub measures: Vec<Spanned<Measure>>,
    pub rights: Option<Rights>,
}

/// A `rights` block, on the controller or overriding it on an activity.
#[derive(Clone, Debug, Default)]
pub struct Rights {
    /// The `rights` key of the statement: where R001 is anchored (the block may span many lines).
    pub stmt: Span,
    pub block: Span,
    /// Each right's channel and the statement declaring it.
    pub channels: BTreeMap<Right, Stated<String>>,
    pub formats: Vec<Spanned<Format>>,
    pub direct_transfer: Option<String>,
    pub response: Option<Stated<Duration>>,
    pub extension: Option<Stated<Duration>>,
    /// The fee as written, `None` when the statement is absent (default `none`).
    pub fee: Option<Stated<String>>,
    pub verify_identity: Option<Stated<String>>,
    pub complaint: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Party {
    pub header: Header,
    pub role: Option<Role>,
    pub country: Option<Ref>,
    pub contact: Option<String>,
    pub certified: Vec<Spanned<String>>,
    pub agreement: Option<Agreement>,
    pub subprocessors: Vec<SubprocessorStmt>,
    pub transfer: Option<Transfer>,
    pub own_purposes: Option<Span>,
}

#[derive(Clone, Debug)]
pub struct Agreement {
    pub stmt: Span,
    pub reference: Option<String>,
    pub signed: Option<Date>,
    pub expires: Option<Stated<Date>>,
    pub clauses: Vec<Spanned<Clause>>,
    pub subprocessing: Subprocessing,
}

#[derive(Clone, Debug)]
pub struct SubprocessorStmt {
    pub stmt: Span,
    pub parties: Vec<Ref>,
}

#[derive(Clone, Debug)]
pub struct Transfer {
    pub stmt: Span,
    pub mechanism: Mechanism,
    pub derogation: Option<Derogation>,
    pub tia: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Activity {
    pub header: Header,
    pub purpose: Option<Ref>,
    pub basis: Option<Basis>,
    pub exception: Option<Stated<Art9Ground>>,
    pub authorized_by: Option<String>,
    pub subjects: Vec<Ref>,
    /// One entry per `data` statement: rules anchored at stmt `data` report per statement.
    pub data: Vec<DataStmt>,
    pub sources: Vec<Spanned<SourceOf>>,
    /// Each `channel` statement with its channels (X002 anchors at the statement holding `web`).
    pub channels: Vec<Stated<Vec<Channel>>>,
    pub retention: Option<Stated<Retention>>,
    pub recipients: Vec<RecipientStmt>,
    pub reuses: Vec<ReuseStmt>,
    pub systems: Vec<Ref>,
    pub measures: Vec<Spanned<Measure>>,
    pub automated_decision: Option<AutomatedDecision>,
    pub profiling: bool,
    pub monitoring: bool,
    pub large_scale: bool,
    pub occasional: bool,
    pub dpia: Option<String>,
    pub informed: Option<String>,
    pub rights: Option<Rights>,
}

#[derive(Clone, Debug)]
pub struct DataStmt {
    pub stmt: Span,
    pub refs: Vec<Ref>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SourceOf {
    Subject,
    Public,
    Party(Ref),
}

#[derive(Clone, Debug)]
pub struct Basis {
    pub stmt: Span,
    pub kind: BasisKind,
    pub evidence: Option<String>,
    pub notice: Option<String>,
    pub explicit: bool,
    pub prechecked: Option<Span>,
    pub parental: bool,
    pub law: Option<String>,
    pub interest: Option<String>,
    pub assessment: Option<String>,
    pub contract: Option<String>,
    /// Keys written in the block, with a bad value or not, and what misspelt ones were meant
    /// to be, as the schema spells them: the B rules about a missing detail stay silent when
    /// it is there but broken.
    pub written: Vec<&'static str>,
}

impl Basis {
    pub fn wrote(&self, key: &str) -> bool {
        self.written.contains(&key)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Retention {
    For(Duration),
    After(Duration, String),
    UntilWithdrawn,
    Indefinite,
}

#[derive(Clone, Debug)]
pub struct RecipientStmt {
    pub stmt: Span,
    pub party: Ref,
    pub data: Option<Vec<Ref>>,
    pub basis: Option<Basis>,
    pub compatible: Option<Compatible>,
    pub transfer: Option<Transfer>,
}

#[derive(Clone, Debug)]
pub struct ReuseStmt {
    pub stmt: Span,
    pub activity: Ref,
    pub data: Option<Vec<Ref>>,
    pub compatible: Option<Compatible>,
}

/// An Art. 6(4) compatibility assessment.
#[derive(Clone, Debug, Default)]
pub struct Compatible {
    pub stmt: Span,
    pub link: bool,
    pub context: bool,
    pub nature: bool,
    pub consequences: bool,
    pub expectations: bool,
    pub safeguards: Vec<Spanned<Measure>>,
    pub has_safeguards: bool,
}

impl Compatible {
    /// Records that the assessment addresses one of its six factors.
    pub fn address(&mut self, factor: &str) {
        match factor {
            "link" => self.link = true,
            "context" => self.context = true,
            "nature" => self.nature = true,
            "consequences" => self.consequences = true,
            "expectations" => self.expectations = true,
            "safeguards" => self.has_safeguards = true,
            _ => {}
        }
    }
}

#[derive(Clone, Debug)]
pub struct AutomatedDecision {
    pub stmt: Span,
    pub effect: Option<Effect>,
    pub exception: Option<DecisionException>,
    /// The `exception` statement inside the block (R013's anchor).
    pub exception_stmt: Option<Span>,
    pub safeguards: Vec<Safeguard>,
}

#[derive(Clone, Debug)]
pub struct DataCategory {
    pub header: Header,
    pub includes: Vec<Ref>,
    pub special: Option<Art9Category>,
    pub criminal: bool,
    pub national_id: bool,
    pub financial: bool,
    pub origin: DataOrigin,
}

#[derive(Clone, Debug)]
pub struct Subjects {
    pub header: Header,
    pub minors: bool,
    pub vulnerable: bool,
    pub employees: bool,
}

#[derive(Clone, Debug)]
pub struct Purpose {
    pub header: Header,
    pub kind: PurposeKind,
    pub compatible_with: Vec<Ref>,
}

#[derive(Clone, Debug)]
pub struct System {
    pub header: Header,
    pub hosted_by: Option<Stated<Ref>>,
    pub location: Option<Stated<Ref>>,
    pub measures: Vec<Spanned<Measure>>,
    pub transfer: Option<Transfer>,
}

#[derive(Clone, Debug)]
pub struct Country {
    pub header: Header,
    pub eea: bool,
    pub adequacy: Option<Adequacy>,
    pub authority: Option<String>,
    pub consent_age: Option<u64>,
}

#[derive(Clone, Debug)]
pub struct Adequacy {
    pub full: bool,
    pub since: Option<Date>,
    pub requires: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Breach {
    pub header: Header,
    pub discovered: Option<DateTime>,
    pub nature: Vec<Nature>,
    pub affects: Vec<Ref>,
    pub data: Vec<Ref>,
    pub subjects: Vec<Ref>,
    pub subjects_affected: Option<u64>,
    pub encrypted: Option<Encrypted>,
    pub trusted_recipient: Option<String>,
    pub contained: Option<String>,
    pub risk: Option<Stated<(Risk, Option<String>)>>,
    pub exception: Option<BreachException>,
    /// The `exception` statement (N007's anchor).
    pub exception_stmt: Option<Span>,
    pub disproportionate_effort: bool,
    pub notified_authority: Option<Stated<DateTime>>,
    pub notified_subjects: Option<Stated<DateTime>>,
    pub delay_reason: Option<String>,
    pub facts: Option<String>,
    pub effects: Option<String>,
    pub actions: Option<String>,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Encrypted {
    pub intact: bool,
    pub backup: bool,
    pub key_safe: bool,
}

/// One declaration of any kind.
// Lives only between lowering and resolution, where each value moves into its typed list,
// so boxing the large variants would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Decl {
    Controller(Controller),
    Party(Party),
    Activity(Activity),
    Data(DataCategory),
    Subjects(Subjects),
    Purpose(Purpose),
    System(System),
    Country(Country),
    Breach(Breach),
}

impl Decl {
    pub fn header(&self) -> &Header {
        match self {
            Decl::Controller(d) => &d.header,
            Decl::Party(d) => &d.header,
            Decl::Activity(d) => &d.header,
            Decl::Data(d) => &d.header,
            Decl::Subjects(d) => &d.header,
            Decl::Purpose(d) => &d.header,
            Decl::System(d) => &d.header,
            Decl::Country(d) => &d.header,
            Decl::Breach(d) => &d.header,
        }
    }
}

/// The resolved workspace: one declaration per (kind, name), user declarations having
/// replaced stdlib ones. Lists keep source order (user files in path order, then stdlib).
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub controller: Option<Controller>,
    pub parties: Vec<Party>,
    pub activities: Vec<Activity>,
    pub data: Vec<DataCategory>,
    pub subjects: Vec<Subjects>,
    pub purposes: Vec<Purpose>,
    pub systems: Vec<System>,
    pub countries: Vec<Country>,
    pub breaches: Vec<Breach>,
    /// The same positions in a hash map (std's randomly keyed SipHash, so hostile names cannot
    /// collide on purpose): [`Model::position`] is the hottest lookup of resolve, flow and
    /// facts, and a `BTreeMap` walk compares the name with ~17 others at 100k declarations.
    /// The `BTreeMap` stays for [`Model::names`], whose sorted order "did you mean" relies on.
    lookup: [HashMap<String, usize>; 9],
    /// Interned names, every reference resolved with its span, and the indexes both ways
    /// (definition, references, rename): see [`symbols`].
    pub symbols: symbols::Symbols,
}

impl Model {
    /// Position of the declaration `name` of `kind` in its list.
    pub fn position(&self, kind: Kind, name: &str) -> Option<usize> {
        self.lookup[kind as usize].get(name).copied()
    }

    pub fn party(&self, name: &str) -> Option<&Party> {
        self.position(Kind::Party, name).map(|i| &self.parties[i])
    }
    pub fn activity(&self, name: &str) -> Option<&Activity> {
        self.position(Kind::Activity, name)
            .map(|i| &self.activities[i])
    }
    pub fn data_category(&self, name: &str) -> Option<&DataCategory> {
        self.position(Kind::Data, name).map(|i| &self.data[i])
    }
    pub fn subjects_category(&self, name: &str) -> Option<&Subjects> {
        self.position(Kind::Subjects, name)
            .map(|i| &self.subjects[i])
    }
    pub fn purpose(&self, name: &str) -> Option<&Purpose> {
        self.position(Kind::Purpose, name)
            .map(|i| &self.purposes[i])
    }
    pub fn system(&self, name: &str) -> Option<&System> {
        self.position(Kind::System, name).map(|i| &self.systems[i])
    }
    pub fn country(&self, name: &str) -> Option<&Country> {
        self.position(Kind::Country, name)
            .map(|i| &self.countries[i])
    }

    /// The declaration `name` of `kind`, as the symbol table numbers it.
    pub fn decl_id(&self, kind: Kind, name: &str) -> Option<symbols::DeclId> {
        self.position(kind, name).map(|index| symbols::DeclId {
            kind,
            index: u32::try_from(index).unwrap_or(u32::MAX),
        })
    }

    /// The header of a declaration the symbol table names.
    pub fn header(&self, id: symbols::DeclId) -> Option<&Header> {
        let i = id.index as usize;
        match id.kind {
            Kind::Controller => self.controller.iter().nth(i).map(|d| &d.header),
            Kind::Party => self.parties.get(i).map(|d| &d.header),
            Kind::Activity => self.activities.get(i).map(|d| &d.header),
            Kind::Data => self.data.get(i).map(|d| &d.header),
            Kind::Subjects => self.subjects.get(i).map(|d| &d.header),
            Kind::Purpose => self.purposes.get(i).map(|d| &d.header),
            Kind::System => self.systems.get(i).map(|d| &d.header),
            Kind::Country => self.countries.get(i).map(|d| &d.header),
            Kind::Breach => self.breaches.get(i).map(|d| &d.header),
        }
    }

    /// The headers of the declarations of `kind`, in model order.
    pub fn headers_of(&self, kind: Kind) -> Box<dyn Iterator<Item = &Header> + '_> {
        match kind {
            Kind::Controller => Box::new(self.controller.iter().map(|d| &d.header)),
            Kind::Party => Box::new(self.parties.iter().map(|d| &d.header)),
            Kind::Activity => Box::new(self.activities.iter().map(|d| &d.header)),
            Kind::Data => Box::new(self.data.iter().map(|d| &d.header)),
            Kind::Subjects => Box::new(self.subjects.iter().map(|d| &d.header)),
            Kind::Purpose => Box::new(self.purposes.iter().map(|d| &d.header)),
            Kind::System => Box::new(self.systems.iter().map(|d| &d.header)),
            Kind::Country => Box::new(self.countries.iter().map(|d| &d.header)),
            Kind::Breach => Box::new(self.breaches.iter().map(|d| &d.header)),
        }
    }

    /// Names declared for `kind`, in model order, for "did you mean" (whose answer does not
    /// depend on the order: ties go to the name that sorts first).
    pub fn names(&self, kind: Kind) -> impl Iterator<Item = &str> {
        self.headers_of(kind).map(|header| header.name.as_str())
    }

    /// Where the declaration of `kind` named `name` is, if there is one.
    fn declared_at(&self, kind: Kind, name: &str) -> Option<Span> {
        let index = self.position(kind, name)?;
        let id = symbols::DeclId {
            kind,
            index: u32::try_from(index).ok()?,
        };
        self.header(id).map(|header| header.name_span)
    }

    /// The data categories a list of references stands for, composites expanded, in
    /// first-seen order without repeats. Unknown names and cycles are skipped (E004/E010).
    pub fn expand_data<'a>(&self, refs: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut stack: Vec<String> = refs.into_iter().map(str::to_string).collect();
        stack.reverse();
        let mut visited = std::collections::BTreeSet::new();
        while let Some(name) = stack.pop() {
            if !visited.insert(name.clone()) {
                continue;
            }
            let Some(category) = self.data_category(&name) else {
                continue;
            };
            if category.includes.is_empty() {
                out.push(name);
            } else {
                for included in category.includes.iter().rev() {
                    stack.push(included.name.clone());
                }
            }
        }
        out
    }
}

impl Model {
    /// Calls `f` with every reference in the model and the kind it names.
    pub(crate) fn for_each_ref_mut(&mut self, f: &mut impl FnMut(Kind, &mut Ref)) {
        if let Some(controller) = &mut self.controller {
            controller
                .country
                .iter_mut()
                .for_each(|r| f(Kind::Country, r));
        }
        for party in &mut self.parties {
            party.country.iter_mut().for_each(|r| f(Kind::Country, r));
            for stmt in &mut party.subprocessors {
                stmt.parties.iter_mut().for_each(|r| f(Kind::Party, r));
            }
        }
        for a in &mut self.activities {
            a.purpose.iter_mut().for_each(|r| f(Kind::Purpose, r));
            a.subjects.iter_mut().for_each(|r| f(Kind::Subjects, r));
            for stmt in &mut a.data {
                stmt.refs.iter_mut().for_each(|r| f(Kind::Data, r));
            }
            for source in &mut a.sources {
                if let SourceOf::Party(r) = &mut source.value {
                    f(Kind::Party, r);
                }
            }
            for recipient in &mut a.recipients {
                f(Kind::Party, &mut recipient.party);
                for r in recipient.data.iter_mut().flatten() {
                    f(Kind::Data, r);
                }
            }
            for reuse in &mut a.reuses {
                f(Kind::Activity, &mut reuse.activity);
                for r in reuse.data.iter_mut().flatten() {
                    f(Kind::Data, r);
                }
            }
            a.systems.iter_mut().for_each(|r| f(Kind::System, r));
        }
        for d in &mut self.data {
            d.includes.iter_mut().for_each(|r| f(Kind::Data, r));
        }
        for p in &mut self.purposes {
            p.compatible_with
                .iter_mut()
                .for_each(|r| f(Kind::Purpose, r));
        }
        for s in &mut self.systems {
            if let Some(host) = &mut s.hosted_by {
                f(Kind::Party, &mut host.value);
            }
            if let Some(location) = &mut s.location {
                f(Kind::Country, &mut location.value);
            }
        }
        for b in &mut self.breaches {
            b.affects.iter_mut().for_each(|r| f(Kind::Activity, r));
            b.data.iter_mut().for_each(|r| f(Kind::Data, r));
            b.subjects.iter_mut().for_each(|r| f(Kind::Subjects, r));
        }
    }

    /// Every declaration's header, controller first.
    pub fn headers(&self) -> impl Iterator<Item = &Header> {
        self.controller
            .iter()
            .map(|c| &c.header)
            .chain(self.parties.iter().map(|d| &d.header))
            .chain(self.activities.iter().map(|d| &d.header))
            .chain(self.data.iter().map(|d| &d.header))
            .chain(self.subjects.iter().map(|d| &d.header))
            .chain(self.purposes.iter().map(|d| &d.header))
            .chain(self.systems.iter().map(|d| &d.header))
            .chain(self.countries.iter().map(|d| &d.header))
            .chain(self.breaches.iter().map(|d| &d.header))
    }
}
