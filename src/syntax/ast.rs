//! The syntax tree: declarations, statements and values, each with its byte span.
//! It knows nothing of what keys mean; the model gives them meaning.

use crate::source::Span;
use crate::time::{Date, DateTime, Unit};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Controller,
    Party,
    Activity,
    Data,
    Subjects,
    Purpose,
    System,
    Country,
    Breach,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Controller,
        Kind::Party,
        Kind::Activity,
        Kind::Data,
        Kind::Subjects,
        Kind::Purpose,
        Kind::System,
        Kind::Country,
        Kind::Breach,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            Kind::Controller => "controller",
            Kind::Party => "party",
            Kind::Activity => "activity",
            Kind::Data => "data",
            Kind::Subjects => "subjects",
            Kind::Purpose => "purpose",
            Kind::System => "system",
            Kind::Country => "country",
            Kind::Breach => "breach",
        }
    }

    pub fn from_keyword(word: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.keyword() == word)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// A name as written, with where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Decl {
    pub kind: Kind,
    pub name: Name,
    pub title: Option<(String, Span)>,
    pub body: Block,
    /// From the kind keyword to the closing brace.
    pub span: Span,
    /// A statement inside did not parse (E001): findings about missing statements are
    /// dropped for this declaration, since the missing one may be the broken one.
    pub recovered: bool,
    /// One of its blocks never closed, so which statement belongs to which block is a guess.
    pub unclosed: bool,
}

#[derive(Clone, Debug)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

/// `KEY [values] [block]`.
#[derive(Clone, Debug)]
pub struct Stmt {
    pub key: Name,
    /// The comma-separated items; each item is a phrase of one or more values.
    pub items: Vec<Item>,
    pub block: Option<Block>,
    pub span: Span,
}

impl Stmt {
    /// All values of all items, in order.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.items.iter().flat_map(|item| item.values.iter())
    }
}

/// One comma-separated element: `2 years after last-contact` is one item of four values.
#[derive(Clone, Debug)]
pub struct Item {
    pub values: Vec<Value>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

/// A literal. Numbers and dates that cannot exist keep `None` so the model can report them
/// at the value (E009) instead of the parser rejecting the whole statement.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    Word(String),
    Str(String),
    Int(Option<u64>),
    Date(Option<Date>),
    DateTime(Option<DateTime>),
    Duration(Option<u64>, Unit),
}

impl ValueKind {
    /// How the value reads in a message: "the name `x`", "a date".
    pub fn describe(&self) -> String {
        match self {
            ValueKind::Word(word) => format!("the name `{word}`"),
            ValueKind::Str(_) => "a string".to_string(),
            ValueKind::Int(_) => "a number".to_string(),
            ValueKind::Date(_) => "a date".to_string(),
            ValueKind::DateTime(_) => "a date-time".to_string(),
            ValueKind::Duration(..) => "a duration".to_string(),
        }
    }
}
