//! The rule registry: one table holding every diagnostic code Lawful can emit.
//!
//! `lawful explain CODE`, `lawful rules`, SARIF `rules[]` and the severity of every
//! diagnostic all come from this table, so a code cannot exist without its documentation.

mod catalog;

use serde::Serialize;

/// How serious a finding is. The order matters: `Error` sorts first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One entry of the catalog.
#[derive(Debug, Serialize)]
pub struct Rule {
    /// `B001`: a family letter and three digits.
    pub code: &'static str,
    /// Kebab-case name, e.g. `missing-legal-basis`.
    pub name: &'static str,
    /// Default severity; `lawful.toml [rules]` may override it.
    pub severity: Severity,
    /// The provision behind the rule, e.g. `GDPR Art. 6(1)`.
    pub article: &'static str,
    /// One line, lowercase, no trailing period.
    pub summary: &'static str,
    /// Markdown: the law in plain words, why it matters, a failing example and the fix.
    #[serde(skip)]
    pub explain: &'static str,
}

/// Every rule, ordered by family then number.
pub fn all() -> &'static [Rule] {
    catalog::RULES
}

/// Looks a code up, case-insensitively.
pub fn lookup(code: &str) -> Option<&'static Rule> {
    catalog::RULES
        .iter()
        .find(|rule| rule.code.eq_ignore_ascii_case(code))
}

/// Looks a rule up by code or by its kebab-case name (`missing-legal-basis`),
/// case-insensitively.
pub fn lookup_code_or_name(text: &str) -> Option<&'static Rule> {
    lookup(text).or_else(|| {
        catalog::RULES
            .iter()
            .find(|rule| rule.name.eq_ignore_ascii_case(text))
    })
}
