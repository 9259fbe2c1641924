//! The closed vocabularies of the language: each enum knows its keywords, so parsing, "did you
//! mean" and rendering all use one list.

/// Defines an enum whose variants are written as the given keywords.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            pub fn keyword(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            pub fn from_keyword(word: &str) -> Option<$name> {
                match word { $($word => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.keyword())
            }
        }
    };
}

vocabulary!(Sector { Public = "public", Private = "private" });

vocabulary!(Role {
    Processor = "processor",
    Controller = "controller",
    JointController = "joint-controller",
});

vocabulary!(
    /// Art. 28(3): the chapeau and points (a)–(h).
    Clause {
        SubjectMatter = "subject-matter",
        Instructions = "instructions",
        Confidentiality = "confidentiality",
        Security = "security",
        Subprocessors = "subprocessors",
        AssistanceRights = "assistance-rights",
        AssistanceObligations = "assistance-obligations",
        Deletion = "deletion",
        Audits = "audits",
    }
);

vocabulary!(
    /// Art. 28(2): the controller's prior written authorisation of subprocessors.
    Subprocessing { Specific = "specific", General = "general", Forbidden = "forbidden" }
);

vocabulary!(
    /// Art. 45–49 transfer tools.
    Mechanism {
        Scc = "scc",
        Bcr = "bcr",
        AdhocClauses = "adhoc-clauses",
        CodeOfConduct = "code-of-conduct",
        Certification = "certification",
        LegallyBindingInstrument = "legally-binding-instrument",
        Derogation = "derogation",
    }
);

vocabulary!(
    /// Art. 49(1)(a)–(g) and its second subparagraph.
    Derogation {
        ExplicitConsent = "explicit-consent",
        Contract = "contract",
        ContractInInterest = "contract-in-interest",
        PublicInterest = "public-interest",
        LegalClaims = "legal-claims",
        VitalInterests = "vital-interests",
        PublicRegister = "public-register",
        CompellingInterest = "compelling-interest",
    }
);

vocabulary!(
    /// Art. 6(1)(a)–(f).
    BasisKind {
        Consent = "consent",
        Contract = "contract",
        LegalObligation = "legal-obligation",
        VitalInterests = "vital-interests",
        PublicTask = "public-task",
        LegitimateInterest = "legitimate-interest",
    }
);

vocabulary!(
    /// Art. 9(2)(a)–(j).
    Art9Ground {
        ExplicitConsent = "explicit-consent",
        Employment = "employment",
        VitalInterests = "vital-interests",
        NonProfit = "non-profit",
        MadePublic = "made-public",
        LegalClaims = "legal-claims",
        SubstantialPublicInterest = "substantial-public-interest",
        HealthCare = "health-care",
        PublicHealth = "public-health",
        Research = "research",
    }
);

vocabulary!(
    /// Art. 9(1) special categories.
    Art9Category {
        Health = "health",
        Genetic = "genetic",
        Biometric = "biometric",
        RacialEthnicOrigin = "racial-ethnic-origin",
        PoliticalOpinions = "political-opinions",
        ReligiousBeliefs = "religious-beliefs",
        TradeUnion = "trade-union",
        SexLife = "sex-life",
        SexualOrientation = "sexual-orientation",
    }
);

vocabulary!(Channel {
    Web = "web",
    App = "app",
    Email = "email",
    Phone = "phone",
    Paper = "paper",
    InPerson = "in-person",
    Api = "api",
    Device = "device",
    Camera = "camera",
});

vocabulary!(MeasureKind {
    Encryption = "encryption",
    Pseudonymisation = "pseudonymisation",
    Anonymisation = "anonymisation",
    Hashing = "hashing",
    AccessControl = "access-control",
    Logging = "logging",
    Backup = "backup",
    Https = "https",
    Mfa = "mfa",
    Minimisation = "minimisation",
    Training = "training",
    RetentionAutomation = "retention-automation",
    NetworkSegregation = "network-segregation",
    Patching = "patching",
});

vocabulary!(
    /// The data-subject rights (Art. 7(3), 15–22).
    Right {
        Access = "access",
        Rectification = "rectification",
        Erasure = "erasure",
        Restriction = "restriction",
        Objection = "objection",
        Portability = "portability",
        WithdrawConsent = "withdraw-consent",
        HumanIntervention = "human-intervention",
    }
);

vocabulary!(Format {
    Json = "json",
    Csv = "csv",
    Xml = "xml",
    Jsonld = "jsonld",
    Ndjson = "ndjson",
    Vcf = "vcf",
    Ics = "ics",
    Mbox = "mbox",
    Parquet = "parquet",
    Pdf = "pdf",
    Paper = "paper",
    Docx = "docx",
    Print = "print",
    Image = "image",
    Html = "html",
});

impl Format {
    /// Whether a machine can read the format without human help (Art. 20(1)).
    pub fn machine_readable(self) -> bool {
        matches!(
            self,
            Format::Json
                | Format::Csv
                | Format::Xml
                | Format::Jsonld
                | Format::Ndjson
                | Format::Vcf
                | Format::Ics
                | Format::Mbox
                | Format::Parquet
        )
    }
}

vocabulary!(Effect { Legal = "legal", Significant = "significant", None = "none" });

vocabulary!(
    /// Art. 22(2)(a)–(c).
    DecisionException { Contract = "contract", Law = "law", ExplicitConsent = "explicit-consent" }
);

vocabulary!(
    /// Art. 22(3).
    Safeguard { HumanIntervention = "human-intervention", ExpressView = "express-view", Contest = "contest" }
);

vocabulary!(DataOrigin { Provided = "provided", Observed = "observed", Derived = "derived" });

vocabulary!(PurposeKind {
    Marketing = "marketing",
    Research = "research",
    Statistics = "statistics",
    Archiving = "archiving",
    General = "general",
});

vocabulary!(Nature {
    Confidentiality = "confidentiality",
    Integrity = "integrity",
    Availability = "availability",
});

vocabulary!(Risk { Unlikely = "unlikely", High = "high" });

vocabulary!(
    /// Dutch UAVG art. 42 grounds not to inform data subjects.
    BreachException { PublicInterest = "public-interest", OthersPrivacy = "others-privacy" }
);

/// Other words people use for a word of a closed vocabulary, English and Dutch.
pub const VALUE_SYNONYMS: &[(&str, &str)] = &[
    ("toestemming", "consent"),
    ("overeenkomst", "contract"),
    ("uitvoering-overeenkomst", "contract"),
    ("wettelijke-verplichting", "legal-obligation"),
    ("legal-requirement", "legal-obligation"),
    ("gerechtvaardigd-belang", "legitimate-interest"),
    ("gerechtvaardigde-belangen", "legitimate-interest"),
    ("algemeen-belang", "public-task"),
    ("publieke-taak", "public-task"),
    ("publiekrechtelijke-taak", "public-task"),
    ("public-interest", "public-task"),
    ("vitaal-belang", "vital-interests"),
    ("vitale-belangen", "vital-interests"),
    ("verwerker", "processor"),
    ("subprocessor", "processor"),
    ("verwerkingsverantwoordelijke", "controller"),
    ("independent-controller", "controller"),
    (
        "gezamenlijke-verwerkingsverantwoordelijke",
        "joint-controller",
    ),
    ("versleuteling", "encryption"),
    ("encrypted", "encryption"),
    ("toegangsbeheer", "access-control"),
    ("pseudonimisering", "pseudonymisation"),
    ("pseudonymization", "pseudonymisation"),
    ("publiek", "public"),
    ("overheid", "public"),
    ("prive", "private"),
    ("hoog", "high"),
    ("laag", "unlikely"),
    ("low", "unlikely"),
];
