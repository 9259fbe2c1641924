//! The schema as data: every block of the language and every key it takes, with how often it
//! may appear, whether it is required (and which code reports it missing), the shape of its
//! value, a one-line doc and the other words people write for it ("did you mean").
//!
//! Lowering checks keys against these tables (E002, E006, E007 and the suggestions); the
//! language server reads them for completion and hover, and `tests/schema.rs` holds them equal
//! to the key tables of docs/language.md.
//!
//! ```
//! use lawful::model::schema::{self, Card};
//! use lawful::syntax::ast::Kind;
//! let recipient = schema::block(Kind::Activity, &["recipient"]).unwrap();
//! assert_eq!(recipient.key("basis").unwrap().card, Card::Once);
//! let consent = schema::block(Kind::Activity, &["basis", "consent"]).unwrap();
//! assert!(consent.key("evidence").is_some());
//! ```

use super::vocab::*;
use crate::syntax::ast::Kind;

/// How often a key may appear in its block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Card {
    /// At most once; a repeat is E006.
    Once,
    /// Repeatable: the statements add up.
    Many,
}

/// Whether a key must be written, and what reports its absence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Required {
    No,
    /// Missing is E007 (a structural error).
    Always,
    /// Not structurally required, but a rule reports it missing (`retention`: A002).
    Rule(&'static str),
}

/// What a key's value looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One word of a closed vocabulary.
    Word(&'static [&'static str]),
    /// A comma list of words of a closed vocabulary.
    Words(&'static [&'static str]),
    /// The name of a declaration of this kind.
    Ref(Kind),
    /// A comma list of names of this kind.
    Refs(Kind),
    /// A comma list of measures: words of the measure vocabulary or strings.
    Measures,
    Duration,
    Date,
    DateTime,
    /// A date-time, or a date taken as 00:00 UTC that day.
    DateOrDateTime,
    Int,
    String,
    /// Written alone, with no value.
    Flag,
    /// A block and no value.
    BlockOnly,
    /// A form of its own (retention, transfer, adequacy, fee, …): see the key's doc.
    Free,
}

impl Shape {
    /// The words a value may be, for a vocabulary shape.
    pub fn words(self) -> &'static [&'static str] {
        match self {
            Shape::Word(words) | Shape::Words(words) => words,
            Shape::Measures => MeasureKind::WORDS,
            _ => &[],
        }
    }

    /// The kind of declaration a value names, for a reference shape.
    pub fn reference(self) -> Option<Kind> {
        match self {
            Shape::Ref(kind) | Shape::Refs(kind) => Some(kind),
            _ => None,
        }
    }
}

/// The block a key opens, if any.
#[derive(Clone, Copy, Debug)]
pub enum Nested {
    None,
    Block(&'static BlockSchema),
    /// `basis`: the block's keys depend on the basis written ([`basis_block`]).
    Basis,
}

#[derive(Clone, Copy, Debug)]
pub struct KeySchema {
    pub name: &'static str,
    pub card: Card,
    pub required: Required,
    pub shape: Shape,
    pub nested: Nested,
    /// One line for hover.
    pub doc: &'static str,
    /// Other words (English and Dutch) people write for this key; each suggests this key in
    /// this block only (`land` is `country` in a party, `location` in a system).
    pub synonyms: &'static [&'static str],
}

impl KeySchema {
    /// Required and at most once, required and repeatable, …: the docs' marks.
    pub fn is_required(&self) -> bool {
        self.required == Required::Always
    }

    /// One line for a hover: the key, how often and whether it is required, its doc.
    /// `retention`: "`retention` — at most once; A002 when missing: how long the data is kept: …".
    pub fn hover(&self) -> std::string::String {
        let card = match self.card {
            Card::Once => "at most once",
            Card::Many => "repeatable",
        };
        let required = match self.required {
            Required::No => std::string::String::new(),
            Required::Always => "; required (E007)".to_string(),
            Required::Rule(code) => format!("; {code} when missing"),
        };
        format!("`{}` — {card}{required}: {}", self.name, self.doc)
    }

    pub fn block(&self) -> Option<&'static BlockSchema> {
        match self.nested {
            Nested::Block(block) => Some(block),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub struct BlockSchema {
    /// `controller`, `agreement`, `basis consent`, …
    pub name: &'static str,
    pub keys: &'static [KeySchema],
}

impl BlockSchema {
    pub fn key(&self, name: &str) -> Option<&'static KeySchema> {
        self.keys.iter().find(|key| key.name == name)
    }

    pub fn keys(&self) -> impl Iterator<Item = &'static KeySchema> + use<> {
        self.keys.iter()
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.keys.iter().map(|key| key.name)
    }

    /// The keys a completion may offer in a block where `written` keys are already given:
    /// every repeatable key, and the at-most-once keys not yet written.
    pub fn completions<'w>(
        &self,
        written: &'w [&str],
    ) -> impl Iterator<Item = &'static KeySchema> + use<'w> {
        let keys: &'static [KeySchema] = self.keys;
        keys.iter()
            .filter(move |key| key.card == Card::Many || !written.contains(&key.name))
    }

    /// The key `written` is another word for, in this block.
    pub fn synonym(&self, written: &str) -> Option<&'static KeySchema> {
        let written = written.to_lowercase();
        self.keys
            .iter()
            .find(|key| key.synonyms.contains(&written.as_str()))
    }
}

/// A declaration kind's own block.
pub fn declaration(kind: Kind) -> &'static BlockSchema {
    match kind {
        Kind::Controller => &CONTROLLER,
        Kind::Party => &PARTY,
        Kind::Activity => &ACTIVITY,
        Kind::Data => &DATA,
        Kind::Subjects => &SUBJECTS,
        Kind::Purpose => &PURPOSE,
        Kind::System => &SYSTEM,
        Kind::Country => &COUNTRY,
        Kind::Breach => &BREACH,
    }
}

/// The block a basis opens (`basis consent { … }`).
pub fn basis_block(basis: BasisKind) -> &'static BlockSchema {
    match basis {
        BasisKind::Consent => &CONSENT,
        BasisKind::Contract => &CONTRACT,
        BasisKind::LegalObligation => &LEGAL_OBLIGATION,
        BasisKind::VitalInterests => &VITAL_INTERESTS,
        BasisKind::PublicTask => &PUBLIC_TASK,
        BasisKind::LegitimateInterest => &LEGITIMATE_INTEREST,
    }
}

/// The block at `path` inside a declaration of `kind`: the keys that open the blocks on the
/// way, a `basis` followed by the basis word (`["recipient", "basis", "consent"]`). `None`
/// when a step names no block there.
pub fn block(kind: Kind, path: &[&str]) -> Option<&'static BlockSchema> {
    let mut block = declaration(kind);
    let mut steps = path.iter();
    while let Some(step) = steps.next() {
        let key = block.key(step)?;
        block = match key.nested {
            Nested::None => return None,
            Nested::Block(inner) => inner,
            Nested::Basis => basis_block(BasisKind::from_keyword(steps.next()?)?),
        };
    }
    Some(block)
}

/// Every block once (declarations first, then the nested ones), for tests and docs.
pub fn all_blocks() -> Vec<&'static BlockSchema> {
    let mut out: Vec<&'static BlockSchema> = Kind::ALL.into_iter().map(declaration).collect();
    let mut i = 0;
    while i < out.len() {
        for key in out[i].keys {
            let inner: Vec<&'static BlockSchema> = match key.nested {
                Nested::None => Vec::new(),
                Nested::Block(inner) => vec![inner],
                Nested::Basis => BasisKind::ALL.iter().map(|b| basis_block(*b)).collect(),
            };
            for inner in inner {
                if !out.iter().any(|b| std::ptr::eq(*b, inner)) {
                    out.push(inner);
                }
            }
        }
        i += 1;
    }
    out
}

/// The block of every basis, with the basis words that open it: for "belongs to a … basis".
pub fn basis_blocks() -> [(&'static BlockSchema, &'static str); 5] {
    [
        (&CONSENT, "consent"),
        (&LEGAL_OBLIGATION, "legal-obligation or public-task"),
        (&LEGITIMATE_INTEREST, "legitimate-interest"),
        (&CONTRACT, "contract"),
        (&VITAL_INTERESTS, "vital-interests"),
    ]
}

// ---- the tables ---------------------------------------------------------------------------

const fn key(name: &'static str, card: Card, shape: Shape, doc: &'static str) -> KeySchema {
    KeySchema {
        name,
        card,
        required: Required::No,
        shape,
        nested: Nested::None,
        doc,
        synonyms: &[],
    }
}

impl KeySchema {
    const fn required(mut self, required: Required) -> KeySchema {
        self.required = required;
        self
    }
    const fn also(mut self, synonyms: &'static [&'static str]) -> KeySchema {
        self.synonyms = synonyms;
        self
    }
    const fn opens(mut self, block: &'static BlockSchema) -> KeySchema {
        self.nested = Nested::Block(block);
        self
    }
    const fn opens_basis(mut self) -> KeySchema {
        self.nested = Nested::Basis;
        self
    }
}

use Card::{Many, Once};
use Shape::*;

const BASIS_SYN: &[&str] = &[
    "legal-basis",
    "lawful-basis",
    "legal-ground",
    "lawful-ground",
    "grondslag",
    "rechtsgrond",
    "wettelijke-grondslag",
];
const RETENTION_SYN: &[&str] = &[
    "retention-period",
    "retention-time",
    "retain",
    "keep",
    "bewaartermijn",
    "bewaarduur",
    "bewaren",
];
const PURPOSE_SYN: &[&str] = &["doel", "doelen", "doeleinde", "doeleinden", "goal"];
const RECIPIENT_SYN: &[&str] = &[
    "ontvanger",
    "ontvangers",
    "shared-with",
    "disclosed-to",
    "verwerker",
    "verwerkers",
    "processor",
    "processors",
];
const SUBJECTS_SYN: &[&str] = &["betrokkenen", "betrokkene", "data-subjects", "data-subject"];
const DATA_SYN: &[&str] = &[
    "gegevens",
    "persoonsgegevens",
    "personal-data",
    "data-categories",
    "categories",
];
const SUBPROCESSORS_SYN: &[&str] = &["subverwerkers", "subverwerker", "sub-processors"];
const COUNTRY_SYN: &[&str] = &["land"];
const LOCATION_SYN: &[&str] = &["land", "locatie"];
const ROLE_SYN: &[&str] = &["rol"];
const DPO_SYN: &[&str] = &[
    "functionaris",
    "fg",
    "data-protection-officer",
    "privacy-officer",
];
const MEASURES_SYN: &[&str] = &["maatregelen", "security-measures", "beveiliging"];
const AGREEMENT_SYN: &[&str] = &[
    "verwerkersovereenkomst",
    "dpa",
    "processing-agreement",
    "data-processing-agreement",
];
const RIGHTS_SYN: &[&str] = &["rechten", "data-subject-rights"];
const SOURCE_SYN: &[&str] = &["bron", "herkomst"];
const CHANNEL_SYN: &[&str] = &["kanaal", "kanalen"];
const SYSTEMS_SYN: &[&str] = &["systemen", "applications"];
const REUSES_SYN: &[&str] = &["hergebruik"];
const EXCEPTION_SYN: &[&str] = &["uitzondering"];
const HOSTED_BY_SYN: &[&str] = &["gehost-door", "host", "hosting"];
const DISCOVERED_SYN: &[&str] = &["ontdekt", "detected"];
const DPIA_SYN: &[&str] = &["geb"];
const CONTACT_SYN: &[&str] = &["contactpersoon"];

const TRANSFER_DOC: &str =
    "`transfer MECHANISM [GROUND] [{ tia \"…\" }]`: the Chapter V transfer tool";

/// The channel keys of a `rights` block, one per right.
const fn right(name: &'static str, doc: &'static str) -> KeySchema {
    key(name, Once, String, doc)
}

pub static CONTROLLER: BlockSchema = BlockSchema {
    name: "controller",
    keys: &[
        key(
            "country",
            Once,
            Ref(Kind::Country),
            "country of establishment; a transfer never goes to it",
        )
        .required(Required::Always)
        .also(COUNTRY_SYN),
        key("contact", Once, String, "name and contact details").also(CONTACT_SYN),
        key("dpo", Once, String, "data protection officer (FG) contact").also(DPO_SYN),
        key(
            "representative",
            Once,
            String,
            "representative in the Union",
        ),
        key("employees", Once, Int, "head count"),
        key(
            "sector",
            Once,
            Word(Sector::WORDS),
            "`public` = public authority or body; default `private`",
        ),
        key(
            "financial-institution",
            Once,
            Flag,
            "a financial firm under the Dutch Wft",
        ),
        key(
            "notice",
            Once,
            String,
            "where the privacy statement is published; default for every activity's `informed`",
        ),
        key(
            "measures",
            Many,
            Measures,
            "security measures in effect for every activity",
        )
        .also(MEASURES_SYN),
        key(
            "rights",
            Once,
            BlockOnly,
            "default channels for data-subject rights",
        )
        .opens(&RIGHTS)
        .also(RIGHTS_SYN),
    ],
};

pub static RIGHTS: BlockSchema = BlockSchema {
    name: "rights",
    keys: &[
        right("access", "the channel for the right of access (Art. 15)"),
        right(
            "rectification",
            "the channel for the right to rectification (Art. 16)",
        ),
        right("erasure", "the channel for the right to erasure (Art. 17)"),
        right(
            "restriction",
            "the channel for the right to restriction (Art. 18)",
        ),
        right("objection", "the channel for the right to object (Art. 21)"),
        key(
            "portability",
            Once,
            String,
            "the channel for data portability (Art. 20); the string is required even with a block",
        )
        .opens(&PORTABILITY),
        right(
            "withdraw-consent",
            "the channel to withdraw consent (Art. 7(3))",
        ),
        right(
            "human-intervention",
            "the channel to obtain human intervention (Art. 22(3))",
        ),
        key(
            "response",
            Once,
            Duration,
            "time to answer; default `1 month`",
        ),
        key(
            "extension",
            Once,
            Duration,
            "extension of the time to answer; default `2 months`",
        ),
        key(
            "fee",
            Once,
            Free,
            "default `none`; anything but `none` or `manifestly-unfounded` is R005",
        ),
        key(
            "verify-identity",
            Once,
            String,
            "how identity is checked before data is handed over",
        ),
        key(
            "complaint",
            Once,
            String,
            "the supervisory authority to complain to",
        ),
    ],
};

pub static PORTABILITY: BlockSchema = BlockSchema {
    name: "portability",
    keys: &[
        key(
            "format",
            Many,
            Words(Format::WORDS),
            "the formats the data is offered in",
        ),
        key(
            "direct-transfer",
            Once,
            String,
            "controller-to-controller transfer",
        ),
    ],
};

pub static PARTY: BlockSchema = BlockSchema {
    name: "party",
    keys: &[
        key("role", Once, Word(Role::WORDS), "`processor`, `controller` (independent) or `joint-controller`")
            .required(Required::Always)
            .also(ROLE_SYN),
        key("country", Once, Ref(Kind::Country), "where it processes the data")
            .required(Required::Always)
            .also(COUNTRY_SYN),
        key("contact", Once, String, "contact details").also(CONTACT_SYN),
        key("certified", Many, Free, "certification names, matched against `adequacy partial … requires NAME`"),
        key("agreement", Once, Free, "the Art. 28(3) processing agreement (or Art. 26 arrangement): `[\"reference\"] [{ … }]`; a processor without one is D001")
            .opens(&AGREEMENT)
            .required(Required::Rule("D001"))
            .also(AGREEMENT_SYN),
        key("subprocessors", Many, Refs(Kind::Party), "parties this processor engages").also(SUBPROCESSORS_SYN),
        key("transfer", Once, Free, TRANSFER_DOC).opens(&TRANSFER),
        key("own-purposes", Once, Flag, "the party also uses the data for its own purposes"),
    ],
};

pub static AGREEMENT: BlockSchema = BlockSchema {
    name: "agreement",
    keys: &[
        key("signed", Once, Date, "date of signature"),
        key("expires", Once, Date, "end date; before today is D008"),
        key(
            "clauses",
            Many,
            Words(Clause::WORDS),
            "the Art. 28(3) clauses the agreement contains",
        ),
        key(
            "subprocessing",
            Once,
            Word(Subprocessing::WORDS),
            "the Art. 28(2) authorisation for subprocessors; default `forbidden`",
        ),
    ],
};

pub static TRANSFER: BlockSchema = BlockSchema {
    name: "transfer",
    keys: &[key("tia", Once, String, "the transfer impact assessment")],
};

pub static ACTIVITY: BlockSchema = BlockSchema {
    name: "activity",
    keys: &[
        key("purpose", Once, Ref(Kind::Purpose), "the one purpose")
            .required(Required::Always)
            .also(PURPOSE_SYN),
        key("basis", Once, Word(BasisKind::WORDS), "the Art. 6(1) legal basis, with a block that depends on it")
            .opens_basis()
            .required(Required::Rule("B001"))
            .also(BASIS_SYN),
        key("exception", Once, Free, "the Art. 9(2) ground for special-category data, and an optional source")
            .also(EXCEPTION_SYN),
        key("authorized-by", Once, String, "the law authorising criminal-offence data"),
        key("subjects", Many, Refs(Kind::Subjects), "categories of data subjects")
            .required(Required::Always)
            .also(SUBJECTS_SYN),
        key("data", Many, Refs(Kind::Data), "categories of personal data")
            .required(Required::Always)
            .also(DATA_SYN),
        key("source", Many, Free, "where the data comes from: `subject`, `public` or parties; default `subject`")
            .also(SOURCE_SYN),
        key("channel", Many, Words(Channel::WORDS), "how data is collected").also(CHANNEL_SYN),
        key("retention", Once, Free, "how long the data is kept: `7 years`, `2 years after EVENT`, `until-withdrawn` or `indefinite`")
            .required(Required::Rule("A002"))
            .also(RETENTION_SYN),
        key("recipient", Many, Refs(Kind::Party), "a disclosure or a processor: one party with a block, or a list")
            .opens(&RECIPIENT)
            .also(RECIPIENT_SYN),
        key("reuses", Many, Refs(Kind::Activity), "further processing of data another activity holds")
            .opens(&REUSES)
            .also(REUSES_SYN),
        key("systems", Many, Refs(Kind::System), "where the data is stored").also(SYSTEMS_SYN),
        key("measures", Many, Measures, "security measures of this activity").also(MEASURES_SYN),
        key("automated-decision", Once, BlockOnly, "a decision based solely on automated processing (Art. 22)")
            .opens(&AUTOMATED_DECISION),
        key("profiling", Once, Flag, "the activity profiles people"),
        key("monitoring", Once, Flag, "systematic monitoring"),
        key("large-scale", Once, Flag, "processing on a large scale"),
        key("occasional", Once, Flag, "occasional, non-repetitive processing (allows Art. 49 derogations)"),
        key("dpia", Once, String, "reference to the DPIA").also(DPIA_SYN),
        key("informed", Once, String, "how the subjects are informed; default the controller's `notice`"),
        key("rights", Once, BlockOnly, "overrides the controller's channels, key by key")
            .opens(&RIGHTS)
            .also(RIGHTS_SYN),
    ],
};

pub static CONSENT: BlockSchema = BlockSchema {
    name: "basis consent",
    keys: &[
        key("evidence", Once, String, "proof of consent (Art. 7(1))"),
        key("notice", Once, String, "the text shown when asking"),
        key(
            "explicit",
            Once,
            Flag,
            "explicit consent (Art. 9(2)(a), 22(2)(c))",
        ),
        key(
            "prechecked",
            Once,
            Flag,
            "a pre-ticked box: not valid consent",
        ),
        key(
            "parental",
            Once,
            Flag,
            "authorised by the holder of parental responsibility (Art. 8)",
        ),
    ],
};

pub static CONTRACT: BlockSchema = BlockSchema {
    name: "basis contract",
    keys: &[key("contract", Once, String, "which contract")],
};

pub static LEGAL_OBLIGATION: BlockSchema = BlockSchema {
    name: "basis legal-obligation",
    keys: &[key("law", Once, String, "the law (Art. 6(3))")],
};

pub static PUBLIC_TASK: BlockSchema = BlockSchema {
    name: "basis public-task",
    keys: &[key("law", Once, String, "the law (Art. 6(3))")],
};

pub static VITAL_INTERESTS: BlockSchema = BlockSchema {
    name: "basis vital-interests",
    keys: &[],
};

pub static LEGITIMATE_INTEREST: BlockSchema = BlockSchema {
    name: "basis legitimate-interest",
    keys: &[
        key("interest", Once, String, "the interest pursued"),
        key("assessment", Once, String, "the balancing test"),
    ],
};

pub static RECIPIENT: BlockSchema = BlockSchema {
    name: "recipient",
    keys: &[
        key(
            "data",
            Many,
            Refs(Kind::Data),
            "the part of the data sent; default all the activity holds",
        )
        .also(DATA_SYN),
        key(
            "basis",
            Once,
            Word(BasisKind::WORDS),
            "the ground for disclosing to an independent controller",
        )
        .opens_basis()
        .also(BASIS_SYN),
        key(
            "compatible",
            Once,
            BlockOnly,
            "Art. 6(4) assessment for the disclosure",
        )
        .opens(&COMPATIBLE),
        key("transfer", Once, Free, TRANSFER_DOC).opens(&TRANSFER),
    ],
};

pub static REUSES: BlockSchema = BlockSchema {
    name: "reuses",
    keys: &[
        key(
            "data",
            Many,
            Refs(Kind::Data),
            "the part reused; must be held by the reused activity",
        )
        .also(DATA_SYN),
        key(
            "compatible",
            Once,
            BlockOnly,
            "Art. 6(4) compatibility assessment",
        )
        .opens(&COMPATIBLE),
    ],
};

pub static COMPATIBLE: BlockSchema = BlockSchema {
    name: "compatible",
    keys: &[
        key("link", Once, String, "(a) link between the purposes"),
        key(
            "context",
            Once,
            String,
            "(b) context of collection, relationship with the subject",
        ),
        key("nature", Once, String, "(c) nature of the data"),
        key(
            "consequences",
            Once,
            String,
            "(d) possible consequences for the subjects",
        ),
        key(
            "expectations",
            Once,
            String,
            "reasonable expectations (recital 50)",
        ),
        key("safeguards", Many, Measures, "(e) appropriate safeguards"),
    ],
};

pub static AUTOMATED_DECISION: BlockSchema = BlockSchema {
    name: "automated-decision",
    keys: &[
        key(
            "effect",
            Once,
            Word(Effect::WORDS),
            "legal or similarly significant effect",
        ),
        key(
            "exception",
            Once,
            Word(DecisionException::WORDS),
            "the Art. 22(2) ground",
        )
        .also(EXCEPTION_SYN),
        key(
            "safeguards",
            Many,
            Words(Safeguard::WORDS),
            "the Art. 22(3) safeguards in place",
        ),
    ],
};

pub static DATA: BlockSchema = BlockSchema {
    name: "data",
    keys: &[
        key(
            "includes",
            Many,
            Refs(Kind::Data),
            "makes a composite: wherever referenced it stands for its parts",
        ),
        key(
            "special",
            Once,
            Word(Art9Category::WORDS),
            "a special category of personal data (Art. 9(1))",
        ),
        key(
            "criminal",
            Once,
            Flag,
            "criminal convictions and offences (Art. 10)",
        ),
        key(
            "national-id",
            Once,
            Flag,
            "national identification number (the Dutch BSN)",
        ),
        key("financial", Once, Flag, "financial data"),
        key(
            "origin",
            Once,
            Word(DataOrigin::WORDS),
            "how it is obtained; default `provided`",
        ),
    ],
};

pub static SUBJECTS: BlockSchema = BlockSchema {
    name: "subjects",
    keys: &[
        key("minors", Once, Flag, "children"),
        key("vulnerable", Once, Flag, "people needing extra protection"),
        key(
            "employees",
            Once,
            Flag,
            "a relationship of dependence on the controller",
        ),
    ],
};

pub static PURPOSE: BlockSchema = BlockSchema {
    name: "purpose",
    keys: &[
        key(
            "kind",
            Once,
            Word(PurposeKind::WORDS),
            "default `general`; `marketing` gives an absolute right to object",
        ),
        key(
            "compatible-with",
            Many,
            Refs(Kind::Purpose),
            "purposes this one is compatible with",
        ),
    ],
};

pub static SYSTEM: BlockSchema = BlockSchema {
    name: "system",
    keys: &[
        key(
            "hosted-by",
            Once,
            Ref(Kind::Party),
            "the host; it receives everything stored on the system",
        )
        .also(HOSTED_BY_SYN),
        key(
            "location",
            Once,
            Ref(Kind::Country),
            "where the data is stored; default the host's country",
        )
        .also(LOCATION_SYN),
        key(
            "measures",
            Many,
            Measures,
            "measures in effect for every activity that uses the system",
        )
        .also(MEASURES_SYN),
        key("transfer", Once, Free, TRANSFER_DOC).opens(&TRANSFER),
    ],
};

pub static COUNTRY: BlockSchema = BlockSchema {
    name: "country",
    keys: &[
        key("eea", Once, Flag, "an EEA state: no Chapter V transfer"),
        key(
            "adequacy",
            Once,
            Free,
            "`full` or `partial` [`since` DATE] [`requires` NAME]: an adequacy decision",
        ),
        key("authority", Once, String, "the supervisory authority"),
        key(
            "consent-age",
            Once,
            Int,
            "the digital-consent age; 16 when absent",
        ),
    ],
};

pub static BREACH: BlockSchema = BlockSchema {
    name: "breach",
    keys: &[
        key(
            "discovered",
            Once,
            DateTime,
            "when the controller became aware",
        )
        .required(Required::Always)
        .also(DISCOVERED_SYN),
        key("nature", Many, Words(Nature::WORDS), "kind of breach"),
        key(
            "affects",
            Many,
            Refs(Kind::Activity),
            "the data and subjects of these activities are affected",
        ),
        key(
            "data",
            Many,
            Refs(Kind::Data),
            "further affected data categories",
        )
        .also(DATA_SYN),
        key(
            "subjects",
            Many,
            Refs(Kind::Subjects),
            "further affected subject categories",
        )
        .also(SUBJECTS_SYN),
        key("subjects-affected", Once, Int, "number of people affected"),
        key(
            "encrypted",
            Once,
            Free,
            "conditions of the encryption exception, as a block of flags or a list",
        )
        .opens(&ENCRYPTED),
        key(
            "trusted-recipient",
            Once,
            String,
            "a reliable wrong recipient returned or destroyed the data",
        ),
        key(
            "contained",
            Once,
            String,
            "measures right after the breach that remove the high risk",
        ),
        key(
            "risk",
            Once,
            Free,
            "`unlikely` or `high`, with an optional explanation",
        ),
        key(
            "exception",
            Once,
            Word(BreachException::WORDS),
            "Dutch grounds not to inform the people",
        )
        .also(EXCEPTION_SYN),
        key(
            "disproportionate-effort",
            Once,
            Flag,
            "the people may be informed by a public communication",
        ),
        key(
            "notified-authority",
            Once,
            DateOrDateTime,
            "when the authority was notified",
        ),
        key(
            "notified-subjects",
            Once,
            DateOrDateTime,
            "when the people were told",
        ),
        key(
            "delay-reason",
            Once,
            String,
            "why the authority was notified after 72 hours",
        ),
        key(
            "facts",
            Once,
            String,
            "the breach-register entry: the facts",
        ),
        key(
            "effects",
            Once,
            String,
            "the breach-register entry: the effects",
        ),
        key(
            "actions",
            Once,
            String,
            "the breach-register entry: the remedial actions",
        ),
    ],
};

pub static ENCRYPTED: BlockSchema = BlockSchema {
    name: "encrypted",
    keys: &[
        key("intact", Once, Flag, "the encryption was not broken"),
        key(
            "backup",
            Once,
            Flag,
            "a backup exists, so availability is not lost",
        ),
        key("key-safe", Once, Flag, "the key was not compromised"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_find_nested_blocks() {
        assert_eq!(
            block(Kind::Party, &["agreement"]).unwrap().name,
            "agreement"
        );
        assert_eq!(
            block(Kind::Activity, &["recipient", "transfer"])
                .unwrap()
                .name,
            "transfer"
        );
        assert_eq!(
            block(
                Kind::Activity,
                &["recipient", "basis", "legitimate-interest"]
            )
            .unwrap()
            .name,
            "basis legitimate-interest"
        );
        assert_eq!(
            block(Kind::Controller, &["rights", "portability"])
                .unwrap()
                .name,
            "portability"
        );
        assert!(block(Kind::Activity, &["purpose"]).is_none());
        assert!(block(Kind::Activity, &["basis"]).is_none());
        assert!(block(Kind::Activity, &["basis", "nonsense"]).is_none());
    }

    #[test]
    fn completion_skips_keys_given_once_and_hover_says_what_a_key_is() {
        let offered: Vec<&str> = ACTIVITY
            .completions(&["purpose", "data", "retention"])
            .map(|k| k.name)
            .collect();
        assert!(!offered.contains(&"purpose") && !offered.contains(&"retention"));
        assert!(offered.contains(&"data") && offered.contains(&"basis"));
        assert_eq!(offered.len(), ACTIVITY.keys.len() - 2);
        assert_eq!(
            ACTIVITY.key("purpose").unwrap().hover(),
            "`purpose` — at most once; required (E007): the one purpose"
        );
        assert_eq!(
            ACTIVITY.key("basis").unwrap().hover(),
            "`basis` — at most once; B001 when missing: the Art. 6(1) legal basis, with a block that depends on it"
        );
        assert_eq!(
            ACTIVITY.key("basis").unwrap().shape.words(),
            [
                "consent",
                "contract",
                "legal-obligation",
                "vital-interests",
                "public-task",
                "legitimate-interest"
            ]
        );
        assert_eq!(
            ACTIVITY.key("systems").unwrap().shape.reference(),
            Some(Kind::System)
        );
    }

    #[test]
    fn synonyms_are_per_block_and_never_keys() {
        assert_eq!(PARTY.synonym("Land").unwrap().name, "country");
        assert_eq!(SYSTEM.synonym("land").unwrap().name, "location");
        for block in all_blocks() {
            for key in block.keys {
                for synonym in key.synonyms {
                    assert!(
                        block.key(synonym).is_none(),
                        "`{synonym}` is a key of {}",
                        block.name
                    );
                }
            }
        }
        assert_eq!(all_blocks().len(), 9 + 15);
    }
}
