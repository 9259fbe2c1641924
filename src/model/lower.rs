//! Syntax tree → typed declarations, reporting every structural problem on the way:
//! unknown keys (E002), values of the wrong kind (E003), repeats (E006), missing required
//! statements (E007), impossible dates and durations (E009) and malformed `allow` (E013).
//! References are collected here and resolved once every file is lowered.

use super::vocab::*;
use super::*;
use crate::diag::{Diagnostic, Edit, Fix};
use crate::registry;
use crate::suggest;
use crate::syntax::ast::{self, Stmt, Value, ValueKind};
use crate::time::{Duration, MAX_DURATION_COUNT};
use std::borrow::Cow;

use super::schema::{self, BlockSchema, Card, Required as Need};

/// The word `written` stands for in `table`, among `words`.
fn synonym_among(
    written: &str,
    words: &[&'static str],
    table: &[(&str, &'static str)],
) -> Option<&'static str> {
    let written = written.to_lowercase();
    table
        .iter()
        .filter(|(synonym, _)| *synonym == written)
        .find_map(|(_, meant)| words.iter().copied().find(|word| word == meant))
}

/// The standard library's own statement: other names for a declaration, for "did you mean".
const ALIASES: &str = "aliases";

/// The result of lowering one file.
#[derive(Clone, Debug, Default)]
pub struct Lowered {
    pub decls: Vec<Decl>,
    /// Every reference, with the kind its key expects, to be resolved across the workspace.
    pub refs: Vec<(Kind, Ref)>,
    /// Names written as several words where one is expected (`country United Kingdom`).
    pub phrases: Vec<Phrase>,
}

/// A name written as several words where one reference is expected: resolution decides
/// whether it is a name the stdlib knows (`United Kingdom` → `GB`, one E004) or a value too
/// many (one E003, the first word kept as the reference).
#[derive(Clone, Debug)]
pub struct Phrase {
    pub kind: Kind,
    /// The words joined by single spaces, spanning all of them.
    pub phrase: Ref,
    pub first: Ref,
    /// The second word: where "takes one value" points.
    pub extra: Span,
    pub key: String,
}

pub fn lower_file(
    decls: &[ast::Decl],
    from_stdlib: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Lowered {
    let mut cx = Cx {
        diagnostics,
        refs: Vec::new(),
        phrases: Vec::new(),
        meant: Vec::new(),
        reported: Vec::new(),
    };
    let decls = decls
        .iter()
        .map(|decl| cx.declaration(decl, from_stdlib))
        .collect();
    cx.count_the_rest();
    Lowered {
        decls,
        refs: cx.refs,
        phrases: cx.phrases,
    }
}

struct Cx<'d> {
    diagnostics: &'d mut Vec<Diagnostic>,
    refs: Vec<(Kind, Ref)>,
    phrases: Vec<Phrase>,
    /// Keys that misspelt keys were meant to be (their E002's "did you mean"), most recent
    /// last; a block reads the ones its own statements added.
    meant: Vec<&'static str>,
    /// How many findings of each code the file gave, kept or not (see [`MAX_PER_CODE`]).
    reported: Vec<(&'static str, usize)>,
}

/// The most findings of one code that lowering reports in one file; the last one kept says
/// how many more there are. A file of 4 MiB can hold 400,000 unknown keys: reported one by
/// one they took 1.6 KB each (message, help, fix) and seconds to render, in every output
/// format, and nobody reads past the first hundred.
pub const MAX_PER_CODE: usize = 1_000;

impl Cx<'_> {
    fn report(&mut self, diagnostic: Diagnostic) {
        let code = diagnostic.code;
        let i = match self.reported.iter().position(|(c, _)| *c == code) {
            Some(i) => i,
            None => {
                self.reported.push((code, 0));
                self.reported.len() - 1
            }
        };
        self.reported[i].1 += 1;
        if self.reported[i].1 <= MAX_PER_CODE {
            self.diagnostics.push(diagnostic);
        }
    }

    /// Notes on the last finding kept of each code that went past [`MAX_PER_CODE`].
    fn count_the_rest(&mut self) {
        for &(code, count) in &self.reported {
            if count <= MAX_PER_CODE {
                continue;
            }
            if let Some(last) = self.diagnostics.iter_mut().rev().find(|d| d.code == code) {
                last.notes.push(format!(
                    "{} more {code} findings in this file are not listed (at most {MAX_PER_CODE} are)",
                    count - MAX_PER_CODE
                ));
            }
        }
    }

    fn declaration(&mut self, decl: &ast::Decl, from_stdlib: bool) -> Decl {
        self.meant.clear();
        let mut header = Header {
            kind: decl.kind,
            name: decl.name.text.clone(),
            name_span: decl.name.span,
            title: decl.title.as_ref().map(|(text, _)| text.clone()),
            span: decl.span,
            allows: Vec::new(),
            from_stdlib,
            recovered: decl.recovered,
            unclosed: decl.unclosed,
            // The schema's own spelling of each key written (a key not in the schema is never
            // asked about): no copy of every statement's key.
            written: {
                let schema = schema::declaration(decl.kind);
                decl.body
                    .stmts
                    .iter()
                    .filter_map(|s| schema.key(&s.key.text).map(|k| k.name))
                    .collect()
            },
            aliases: Vec::new(),
        };
        let kept = self.shape(
            &decl.body.stmts,
            schema::declaration(decl.kind),
            Some(&mut header),
            decl,
        );
        let stmts: Vec<&Stmt> = kept.iter().map(|stmt| &**stmt).collect();
        match decl.kind {
            Kind::Controller => Decl::Controller(self.controller(header, &stmts)),
            Kind::Party => Decl::Party(self.party(header, &stmts)),
            Kind::Activity => Decl::Activity(self.activity(header, &stmts)),
            Kind::Data => Decl::Data(self.data_category(header, &stmts)),
            Kind::Subjects => Decl::Subjects(self.subjects(header, &stmts)),
            Kind::Purpose => Decl::Purpose(self.purpose(header, &stmts)),
            Kind::System => Decl::System(self.system(header, &stmts)),
            Kind::Country => Decl::Country(self.country(header, &stmts)),
            Kind::Breach => Decl::Breach(self.breach(header, &stmts)),
        }
    }

    /// Checks a block's keys against its schema: unknown keys (E002), repeats (E006) and,
    /// for declarations, missing required keys (E007) and `allow` statements (E013).
    /// Returns the statements worth lowering, in order.
    fn shape<'s>(
        &mut self,
        stmts: &'s [Stmt],
        schema: &BlockSchema,
        mut header: Option<&mut Header>,
        decl: &ast::Decl,
    ) -> Vec<Cow<'s, Stmt>> {
        let mut kept = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for stmt in stmts {
            let key = stmt.key.text.as_str();
            if key == "allow"
                && let Some(header) = header.as_deref_mut()
            {
                if let Some(allow) = self.allow(stmt) {
                    header.allows.push(allow);
                }
                continue;
            }
            if key == ALIASES
                && let Some(header) = header.as_deref_mut()
                && header.from_stdlib
            {
                self.aliases(stmt, header);
                continue;
            }
            let Some(spec) = schema.key(key) else {
                // A misspelt key is one mistake: the key it was meant to be counts as written,
                // so nothing also reports that key as missing.
                if let Some(meant) = self.unknown_key(stmt, schema, header.is_some(), decl) {
                    // ... and the statement is read as that key, so what it says is not lost
                    // either (a `data` misspelt still gives the activity its data).
                    let once = schema.key(meant).is_some_and(|k| k.card == Card::Once);
                    if once && seen.contains(&meant) {
                        // Renaming would give `meant` twice: offered, not applied by `--fix`.
                        if let Some(reported) = self.diagnostics.last_mut() {
                            reported.fixes.push(Fix::unsafe_(
                                format!("replace `{key}` with `{meant}` (then given twice)"),
                                vec![Edit {
                                    span: stmt.key.span,
                                    text: meant.to_string(),
                                }],
                            ));
                        }
                    } else {
                        let mut renamed = stmt.clone();
                        renamed.key.text = meant.to_string();
                        if meant == "allow" {
                            if let Some(header) = header.as_deref_mut()
                                && let Some(allow) = self.allow(&renamed)
                            {
                                header.allows.push(allow);
                            }
                        } else {
                            kept.push(Cow::Owned(renamed));
                        }
                    }
                    seen.push(meant);
                    if let Some(header) = header.as_deref_mut() {
                        header.written.push(meant);
                    }
                    self.meant.push(meant);
                }
                continue;
            };
            if spec.card == Card::Once && seen.contains(&key) {
                self.report(
                    Diagnostic::new(
                        "E006",
                        stmt.key.span,
                        format!("`{key}` is given more than once in this block"),
                    )
                    .with_related(first_stmt(stmts, key), "first given here")
                    .with_help(format!("keep one `{key}` statement")),
                );
                continue;
            }
            seen.push(key);
            kept.push(Cow::Borrowed(stmt));
        }
        if header.as_ref().is_some_and(|h| !h.recovered) {
            for spec in schema.keys() {
                let key = &spec.name;
                // The language: a reusing activity "need not repeat those categories in its own
                // `data`, and nothing is reported for that".
                let reuses_data =
                    *key == "data" && decl.kind == Kind::Activity && seen.contains(&"reuses");
                if spec.required == Need::Always && !seen.contains(key) && !reuses_data {
                    self.report(
                        Diagnostic::new(
                            "E007",
                            decl.name.span,
                            format!("{} `{}` has no `{key}`", decl.kind, decl.name.text),
                        )
                        .with_help(format!(
                            "add a `{key}` statement; it is required for every {}",
                            decl.kind
                        )),
                    );
                }
            }
        }
        kept
    }

    fn unknown_key(
        &mut self,
        stmt: &Stmt,
        schema: &BlockSchema,
        at_declaration: bool,
        decl: &ast::Decl,
    ) -> Option<&'static str> {
        let key = stmt.key.text.as_str();
        let mut keys: Vec<&'static str> = schema.names().collect();
        if at_declaration {
            keys.push("allow");
        }
        let mut meant = None;
        let mut diagnostic = Diagnostic::new(
            "E002",
            stmt.key.span,
            format!("unknown statement `{key}` here"),
        );
        if Kind::from_keyword(key).is_some() && stmt.block.is_some() && !keys.contains(&key) {
            diagnostic = diagnostic
                .with_help(format!(
                    "declarations cannot be nested: is a `}}` missing before this `{key}`?"
                ))
                .with_related(decl.name.span, "inside this declaration");
        } else if let Some(near) = schema
            .synonym(key)
            .map(|k| k.name)
            .or_else(|| suggest::closest(key, keys.iter().copied()))
        {
            diagnostic = diagnostic.with_help(format!("did you mean `{near}`?"));
            meant = Some(near);
        } else if key == ALIASES && at_declaration {
            diagnostic = diagnostic.with_help(
                "`aliases` is the standard library's own statement; refer to a declaration by its name",
            );
        } else if let Some(owner) = at_declaration
            .then(|| {
                Kind::ALL
                    .into_iter()
                    .find(|kind| schema::declaration(*kind).key(key).is_some())
            })
            .flatten()
        {
            // A real key in the wrong place is a different mistake from a typo.
            diagnostic = diagnostic.with_help(format!(
                "`{key}` is a statement of `{owner}` declarations, not of `{}`",
                decl.kind
            ));
        } else {
            diagnostic = diagnostic.with_help(format!("this block takes: {}", list_words(&keys)));
        }
        self.report(diagnostic);
        meant
    }

    /// `aliases WORD|"PHRASE", …`: the standard library's other names for a declaration.
    fn aliases(&mut self, stmt: &Stmt, header: &mut Header) {
        self.no_block(stmt);
        for value in self.list_values(stmt) {
            match &value.kind {
                ValueKind::Word(text) | ValueKind::Str(text) => header.aliases.push(text.clone()),
                other => self.report(
                    Diagnostic::new(
                        "E003",
                        value.span,
                        format!("`aliases` expects names, found {}", other.describe()),
                    )
                    .with_help("write each alias as a word or a string"),
                ),
            }
        }
    }

    /// `allow CODE "reason"`: the code must exist and the reason must be given (E013).
    fn allow(&mut self, stmt: &Stmt) -> Option<Allow> {
        let values: Vec<&Value> = stmt.values().collect();
        let Some(first) = values.first() else {
            self.report(
                Diagnostic::new(
                    "E013",
                    stmt.key.span,
                    "`allow` needs a rule code and a reason",
                )
                .with_help("write e.g. `allow B005 \"assessment in DPIA-2026-04\"`"),
            );
            return None;
        };
        let ValueKind::Word(code) = &first.kind else {
            self.report(
                Diagnostic::new(
                    "E013",
                    stmt.span,
                    format!("expected a rule code, found {}", first.kind.describe()),
                )
                .with_help("write the code without quotes, e.g. `allow B005 \"…\"`"),
            );
            return None;
        };
        let Some(rule) = registry::lookup(code) else {
            let codes = registry::all().iter().map(|rule| rule.code);
            self.report(
                Diagnostic::new(
                    "E013",
                    stmt.span,
                    format!("unknown rule code `{code}` in `allow`"),
                )
                .with_suggestion_or(
                    suggest::closest(&code.to_uppercase(), codes),
                    "`lawful rules` lists every code",
                ),
            );
            return None;
        };
        let reason = match values.get(1).map(|v| &v.kind) {
            Some(ValueKind::Str(reason)) if !reason.trim().is_empty() => reason.clone(),
            _ => {
                self.report(
                    Diagnostic::new("E013", stmt.span, format!("`allow {}` has no reason", rule.code))
                        .with_help(format!("say why, e.g. `allow {} \"accepted by the DPO on 2026-03-01\"`; the reason goes into the register", rule.code)),
                );
                return None;
            }
        };
        if let Some(extra) = values.get(2) {
            self.report(
                Diagnostic::new("E003", extra.span, "`allow` takes one code and one reason")
                    .with_help("write one `allow` statement per code"),
            );
        }
        Some(Allow {
            code: rule.code.to_string(),
            reason,
            stmt: stmt.span,
        })
    }

    // ---- value helpers ------------------------------------------------------------------

    fn no_block(&mut self, stmt: &Stmt) {
        if let Some(block) = &stmt.block {
            self.report(
                Diagnostic::new(
                    "E003",
                    block.span,
                    format!("`{}` takes no block", stmt.key.text),
                )
                .with_help("remove the `{ … }`"),
            );
        }
    }

    fn flag(&mut self, stmt: &Stmt) -> bool {
        self.no_block(stmt);
        if let Some(value) = stmt.values().next() {
            let key = &stmt.key.text;
            let help = if says_no(value) {
                format!("leave `{key}` out: a flag is there or not, and its absence says no")
            } else {
                format!("write just `{key}`")
            };
            self.report(
                Diagnostic::new(
                    "E003",
                    value.span,
                    format!("`{key}` is a flag and takes no value"),
                )
                .with_help(help),
            );
        }
        true
    }

    /// The single value of a statement; reports a missing value or extra values.
    fn one_value<'s>(&mut self, stmt: &'s Stmt, expected: &str) -> Option<&'s Value> {
        let mut values = stmt.values();
        let Some(first) = values.next() else {
            self.report(
                Diagnostic::new(
                    "E003",
                    stmt.key.span,
                    format!("`{}` needs {expected}", stmt.key.text),
                )
                .with_help(format!("write `{} <{expected}>`", stmt.key.text)),
            );
            return None;
        };
        if let Some(extra) = values.next() {
            self.report(
                Diagnostic::new(
                    "E003",
                    extra.span,
                    format!("`{}` takes one value, found more", stmt.key.text),
                )
                .with_help("remove the extra value"),
            );
        }
        Some(first)
    }

    fn string(&mut self, stmt: &Stmt) -> Option<String> {
        self.no_block(stmt);
        let value = self.one_value(stmt, "a string")?;
        self.string_value(stmt, value)
    }

    fn string_value(&mut self, stmt: &Stmt, value: &Value) -> Option<String> {
        match &value.kind {
            ValueKind::Str(text) => Some(text.clone()),
            other => {
                let mut diagnostic = Diagnostic::new(
                    "E003",
                    value.span,
                    format!(
                        "`{}` expects a string, found {}",
                        stmt.key.text,
                        other.describe()
                    ),
                );
                diagnostic = match other {
                    ValueKind::Word(word) => {
                        diagnostic.with_help(format!("put it in quotes: `\"{word}\"`"))
                    }
                    _ => diagnostic
                        .with_help(format!("write text in quotes: `{} \"…\"`", stmt.key.text)),
                };
                self.report(diagnostic);
                None
            }
        }
    }

    fn int(&mut self, stmt: &Stmt) -> Option<u64> {
        self.no_block(stmt);
        let value = self.one_value(stmt, "a number")?;
        match &value.kind {
            ValueKind::Int(Some(n)) => Some(*n),
            ValueKind::Int(None) => {
                self.report(
                    Diagnostic::new("E003", value.span, "this number is too large")
                        .with_help("use a number below 18446744073709551616"),
                );
                None
            }
            other => {
                self.report(
                    Diagnostic::new(
                        "E003",
                        value.span,
                        format!(
                            "`{}` expects a number, found {}",
                            stmt.key.text,
                            other.describe()
                        ),
                    )
                    .with_help(format!(
                        "write a whole number, e.g. `{} 120`",
                        stmt.key.text
                    )),
                );
                None
            }
        }
    }

    fn date_value(&mut self, key: &str, value: &Value) -> Option<Date> {
        match &value.kind {
            ValueKind::Date(Some(date)) => Some(*date),
            ValueKind::Date(None) => {
                self.impossible_date(value);
                None
            }
            other => {
                self.report(
                    Diagnostic::new(
                        "E003",
                        value.span,
                        format!("`{key}` expects a date, found {}", other.describe()),
                    )
                    .with_help("write a date as YYYY-MM-DD, e.g. 2026-03-01"),
                );
                None
            }
        }
    }

    fn impossible_date(&mut self, value: &Value) {
        self.report(
            Diagnostic::new("E009", value.span, "this date does not exist on the calendar")
                .with_help("check the month (01–12), the day of the month, and leap years; times run 00:00–23:59"),
        );
    }

    fn date(&mut self, stmt: &Stmt) -> Option<Date> {
        self.no_block(stmt);
        let value = self.one_value(stmt, "a date")?;
        self.date_value(&stmt.key.text, value)
    }

    /// A date-time, or a date taken as its start (for `notified-authority 2026-10-05`).
    fn moment(&mut self, stmt: &Stmt, date_allowed: bool) -> Option<DateTime> {
        self.no_block(stmt);
        let value = self.one_value(stmt, "a date-time")?;
        match &value.kind {
            ValueKind::DateTime(Some(moment)) => Some(*moment),
            ValueKind::Date(Some(date)) if date_allowed => Some(DateTime::from_date(*date)),
            ValueKind::DateTime(None) | ValueKind::Date(None) => {
                self.impossible_date(value);
                None
            }
            other => {
                self.report(
                    Diagnostic::new(
                        "E003",
                        value.span,
                        format!(
                            "`{}` expects a date-time, found {}",
                            stmt.key.text,
                            other.describe()
                        ),
                    )
                    .with_help("write e.g. `2026-10-05T09:30+02:00` (no zone means UTC)"),
                );
                None
            }
        }
    }

    fn duration_value(&mut self, key: &str, value: &Value) -> Option<Duration> {
        match &value.kind {
            ValueKind::Duration(Some(count), unit) if *count <= MAX_DURATION_COUNT => {
                Some(Duration {
                    count: *count,
                    unit: *unit,
                })
            }
            ValueKind::Duration(..) => {
                self.report(
                    Diagnostic::new("E009", value.span, "this duration is impossibly long")
                        .with_help(format!("use at most {MAX_DURATION_COUNT} of a unit")),
                );
                None
            }
            other => {
                self.report(
                    Diagnostic::new(
                        "E003",
                        value.span,
                        format!("`{key}` expects a duration, found {}", other.describe()),
                    )
                    .with_help("write e.g. `1 month` or `6 weeks`"),
                );
                None
            }
        }
    }

    /// A keyword from a closed vocabulary, with "did you mean" when it is not one.
    fn word<T: Copy>(
        &mut self,
        key: &str,
        value: &Value,
        what: &str,
        words: &[&'static str],
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        match &value.kind {
            ValueKind::Word(word) => match parse(word) {
                Some(parsed) => Some(parsed),
                None => {
                    let diagnostic =
                        Diagnostic::new("E003", value.span, format!("`{word}` is not a {what}"));
                    let near = synonym_among(word, words, VALUE_SYNONYMS)
                        .or_else(|| suggest::closest(word, words.iter().copied()));
                    let diagnostic = match near {
                        Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
                        None => diagnostic
                            .with_help(format!("`{key}` takes one of: {}", list_words(words))),
                    };
                    self.report(diagnostic);
                    // One mistake, one finding: the analysis goes on with the word the "did
                    // you mean" names, so nothing also reports it missing (`clauses` lacking
                    // `subject-matter` after `sbuject-matter`).
                    near.and_then(parse)
                }
            },
            other => {
                self.report(
                    Diagnostic::new(
                        "E003",
                        value.span,
                        format!("`{key}` expects a {what}, found {}", other.describe()),
                    )
                    .with_help(format!("`{key}` takes one of: {}", list_words(words))),
                );
                None
            }
        }
    }

    fn one_word<T: Copy>(
        &mut self,
        stmt: &Stmt,
        what: &str,
        words: &[&'static str],
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        self.no_block(stmt);
        let value = self.one_value(stmt, what)?;
        self.word(&stmt.key.text, value, what, words, parse)
    }

    /// Every item of a comma list must be a single value; reports phrases missing a comma.
    fn list_values<'s>(&mut self, stmt: &'s Stmt) -> Vec<&'s Value> {
        let mut out = Vec::new();
        for item in &stmt.items {
            // A missing comma is reported once, but every value is kept as an item, so the
            // rest of the model does not miss it (no follow-on "not held" or "unused").
            out.extend(item.values.iter());
            if let Some(extra) = item.values.get(1) {
                self.report(
                    Diagnostic::new(
                        "E003",
                        extra.span,
                        format!("`{}` takes a comma-separated list", stmt.key.text),
                    )
                    .with_help("put a `,` between the items"),
                );
            }
        }
        if out.is_empty() {
            self.report(
                Diagnostic::new(
                    "E003",
                    stmt.key.span,
                    format!("`{}` needs at least one value", stmt.key.text),
                )
                .with_help("write the values after the key, separated by `,`"),
            );
        }
        out
    }

    fn word_list<T: Copy>(
        &mut self,
        stmt: &Stmt,
        what: &str,
        words: &[&'static str],
        parse: fn(&str) -> Option<T>,
    ) -> Vec<Spanned<T>> {
        self.no_block(stmt);
        let values = self.list_values(stmt);
        values
            .into_iter()
            .filter_map(|value| {
                self.word(&stmt.key.text, value, what, words, parse)
                    .map(|parsed| Spanned::new(parsed, value.span))
            })
            .collect()
    }

    fn reference(&mut self, key: &str, value: &Value, kind: Kind) -> Option<Ref> {
        match &value.kind {
            ValueKind::Word(name) => {
                let reference = Ref {
                    name: name.clone(),
                    span: value.span,
                };
                self.refs.push((kind, reference.clone()));
                Some(reference)
            }
            other => {
                self.report(
                    Diagnostic::new(
                        "E003",
                        value.span,
                        format!(
                            "`{key}` expects the name of a {kind}, found {}",
                            other.describe()
                        ),
                    )
                    .with_help(format!("write the {kind}'s name without quotes")),
                );
                None
            }
        }
    }

    fn refs(&mut self, stmt: &Stmt, kind: Kind) -> Vec<Ref> {
        self.no_block(stmt);
        let values = self.list_values(stmt);
        values
            .into_iter()
            .filter_map(|value| self.reference(&stmt.key.text, value, kind))
            .collect()
    }

    fn one_ref(&mut self, stmt: &Stmt, kind: Kind) -> Option<Ref> {
        self.no_block(stmt);
        let values: Vec<&Value> = stmt.values().collect();
        let words: Vec<&str> = values
            .iter()
            .filter_map(|value| match &value.kind {
                ValueKind::Word(word) => Some(word.as_str()),
                _ => None,
            })
            .collect();
        if stmt.items.len() == 1 && words.len() >= 2 && words.len() == values.len() {
            let (first, last) = (values[0], values[values.len() - 1]);
            let phrase = Ref {
                name: words.join(" "),
                span: crate::source::Span {
                    file: first.span.file,
                    start: first.span.start,
                    end: last.span.end,
                },
            };
            self.phrases.push(Phrase {
                kind,
                phrase: phrase.clone(),
                first: Ref {
                    name: words[0].to_string(),
                    span: first.span,
                },
                extra: values[1].span,
                key: stmt.key.text.clone(),
            });
            return Some(phrase);
        }
        let value = self.one_value(stmt, &format!("a {kind} name"))?;
        self.reference(&stmt.key.text, value, kind)
    }

    fn measures(&mut self, stmt: &Stmt) -> Vec<Spanned<Measure>> {
        self.no_block(stmt);
        let values = self.list_values(stmt);
        values
            .into_iter()
            .filter_map(|value| self.measure(&stmt.key.text, value))
            .collect()
    }

    fn measure(&mut self, key: &str, value: &Value) -> Option<Spanned<Measure>> {
        match &value.kind {
            ValueKind::Str(text) => Some(Spanned::new(Measure::Custom(text.clone()), value.span)),
            _ => self
                .word(
                    key,
                    value,
                    "security measure",
                    MeasureKind::WORDS,
                    MeasureKind::from_keyword,
                )
                .map(|kind| Spanned::new(Measure::Known(kind), value.span)),
        }
    }

    fn sub_block<'s>(
        &mut self,
        stmt: &'s Stmt,
        schema: &BlockSchema,
        decl: &ast::Decl,
    ) -> Vec<Cow<'s, Stmt>> {
        match &stmt.block {
            Some(block) => self.shape(&block.stmts, schema, None, decl),
            None => Vec::new(),
        }
    }

    // ---- declarations -------------------------------------------------------------------

    fn controller(&mut self, header: Header, stmts: &[&Stmt]) -> Controller {
        let decl = current_decl(&header);
        let mut c = Controller {
            header,
            country: None,
            contact: None,
            dpo: None,
            representative: None,
            employees: None,
            sector: Sector::Private,
            financial_institution: false,
            notice: None,
            measures: Vec::new(),
            rights: None,
        };
        for stmt in stmts {
            match stmt.key.text.as_str() {
                "country" => c.country = self.one_ref(stmt, Kind::Country),
                "contact" => c.contact = self.string(stmt),
                "dpo" => c.dpo = self.string(stmt),
                "representative" => c.representative = self.string(stmt),
                "employees" => c.employees = self.int(stmt),
                "sector" => {
                    if let Some(sector) =
                        self.one_word(stmt, "sector", Sector::WORDS, Sector::from_keyword)
                    {
                        c.sector = sector;
                    }
                }
                "financial-institution" => c.financial_institution = self.flag(stmt),
                "notice" => c.notice = self.string(stmt),
                "measures" => c.measures.extend(self.measures(stmt)),
                "rights" => c.rights = Some(self.rights(stmt, &decl)),
                _ => {}
            }
        }
        c
    }

    fn rights(&mut self, stmt: &Stmt, decl: &ast::Decl) -> Rights {
        let mut rights = Rights {
            stmt: stmt.key.span,
            block: stmt.span,
            ..Rights::default()
        };
        if !stmt.items.is_empty() {
            self.report(
                Diagnostic::new(
                    "E003",
                    stmt.items[0].span,
                    "`rights` takes a block, not values",
                )
                .with_help("write `rights { access \"…\" … }`"),
            );
        }
        let Some(block) = &stmt.block else {
            self.report(
                Diagnostic::new("E003", stmt.key.span, "`rights` needs a block of channels")
                    .with_help("write `rights { access \"privacy@example.nl\" … }`"),
            );
            return rights;
        };
        rights.block = block.span;
        for inner in self.shape(&block.stmts, &schema::RIGHTS, None, decl).iter() {
            let key = inner.key.text.as_str();
            if let Some(right) = Right::from_keyword(key) {
                if right == Right::Portability {
                    for part in self.sub_block(inner, &schema::PORTABILITY, decl).iter() {
                        match part.key.text.as_str() {
                            "format" => rights.formats.extend(self.word_list(
                                part,
                                "format",
                                Format::WORDS,
                                Format::from_keyword,
                            )),
                            "direct-transfer" => rights.direct_transfer = self.string(part),
                            _ => {}
                        }
                    }
                } else {
                    self.no_block(inner);
                }
                if let Some(value) = self.one_value(inner, "a channel (a string)")
                    && let Some(channel) = self.string_value(inner, value)
                {
                    rights.channels.insert(
                        right,
                        Stated {
                            value: channel,
                            stmt: inner.span,
                        },
                    );
                }
                continue;
            }
            match key {
                "response" | "extension" => {
                    self.no_block(inner);
                    if let Some(value) = self.one_value(inner, "a duration")
                        && let Some(duration) = self.duration_value(key, value)
                    {
                        let stated = Some(Stated {
                            value: duration,
                            stmt: inner.span,
                        });
                        if key == "response" {
                            rights.response = stated;
                        } else {
                            rights.extension = stated;
                        }
                    }
                }
                "fee" => {
                    self.no_block(inner);
                    if inner.items.is_empty() {
                        self.report(
                            Diagnostic::new("E003", inner.key.span, "`fee` needs a value")
                                .with_help("write `fee none`, `fee manifestly-unfounded`, or the amount charged"),
                        );
                        continue;
                    }
                    // Any value is accepted here; R005 judges it.
                    let written: Vec<String> = inner
                        .values()
                        .map(|value| match &value.kind {
                            ValueKind::Word(word) => word.clone(),
                            ValueKind::Str(text) => text.clone(),
                            ValueKind::Int(Some(n)) => n.to_string(),
                            ValueKind::Duration(Some(n), unit) => format!("{n} {}", unit.name(*n)),
                            _ => "?".to_string(),
                        })
                        .collect();
                    rights.fee = Some(Stated {
                        value: written.join(" "),
                        stmt: inner.span,
                    });
                }
                "verify-identity" => {
                    if let Some(text) = self.string(inner) {
                        rights.verify_identity = Some(Stated {
                            value: text,
                            stmt: inner.span,
                        });
                    }
                }
                "complaint" => rights.complaint = self.string(inner),
                _ => {}
            }
        }
        rights
    }

    fn party(&mut self, header: Header, stmts: &[&Stmt]) -> Party {
        let decl = current_decl(&header);
        let mut p = Party {
            header,
            role: None,
            country: None,
            contact: None,
            certified: Vec::new(),
            agreement: None,
            subprocessors: Vec::new(),
            transfer: None,
            own_purposes: None,
        };
        for stmt in stmts {
            match stmt.key.text.as_str() {
                "role" => p.role = self.one_word(stmt, "role", Role::WORDS, Role::from_keyword),
                "country" => p.country = self.one_ref(stmt, Kind::Country),
                "contact" => p.contact = self.string(stmt),
                "certified" => {
                    self.no_block(stmt);
                    let values = self.list_values(stmt);
                    for value in values {
                        match &value.kind {
                            ValueKind::Word(word) => p.certified.push(Spanned::new(word.clone(), value.span)),
                            other => self.report(Diagnostic::new(
                                "E003",
                                value.span,
                                format!("`certified` expects a certification name such as `dpf`, found {}", other.describe()),
                            ).with_help("write the name without quotes, e.g. `certified dpf`")),
                        }
                    }
                }
                "agreement" => p.agreement = Some(self.agreement(stmt, &decl)),
                "subprocessors" => {
                    let parties = self.refs(stmt, Kind::Party);
                    p.subprocessors.push(SubprocessorStmt {
                        stmt: stmt.span,
                        parties,
                    });
                }
                "transfer" => p.transfer = self.transfer(stmt, &decl),
                "own-purposes" => {
                    self.flag(stmt);
                    p.own_purposes = Some(stmt.span);
                }
                _ => {}
            }
        }
        p
    }

    fn agreement(&mut self, stmt: &Stmt, decl: &ast::Decl) -> Agreement {
        let mut agreement = Agreement {
            stmt: stmt.span,
            reference: None,
            signed: None,
            expires: None,
            clauses: Vec::new(),
            subprocessing: Subprocessing::Forbidden,
        };
        if !stmt.items.is_empty()
            && let Some(value) = self.one_value(stmt, "a reference")
        {
            agreement.reference = self.string_value(stmt, value);
        }
        for inner in self.sub_block(stmt, &schema::AGREEMENT, decl).iter() {
            match inner.key.text.as_str() {
                "signed" => agreement.signed = self.date(inner),
                "expires" => {
                    agreement.expires = self.date(inner).map(|date| Stated {
                        value: date,
                        stmt: inner.span,
                    })
                }
                "clauses" => agreement.clauses.extend(self.word_list(
                    inner,
                    "clause",
                    Clause::WORDS,
                    Clause::from_keyword,
                )),
                "subprocessing" => {
                    if let Some(kind) = self.one_word(
                        inner,
                        "subprocessing authorisation",
                        Subprocessing::WORDS,
                        Subprocessing::from_keyword,
                    ) {
                        agreement.subprocessing = kind;
                    }
                }
                _ => {}
            }
        }
        agreement
    }

    /// `transfer MECHANISM [GROUND] [{ tia "…" }]`.
    fn transfer(&mut self, stmt: &Stmt, decl: &ast::Decl) -> Option<Transfer> {
        let values: Vec<&Value> = stmt.values().collect();
        let Some(first) = values.first() else {
            self.report(
                Diagnostic::new("E003", stmt.key.span, "`transfer` needs a mechanism")
                    .with_help(format!("one of: {}", list_words(Mechanism::WORDS))),
            );
            return None;
        };
        let mechanism = self.word(
            "transfer",
            first,
            "transfer mechanism",
            Mechanism::WORDS,
            Mechanism::from_keyword,
        )?;
        let mut derogation = None;
        if mechanism == Mechanism::Derogation {
            match values.get(1) {
                Some(ground) => {
                    derogation = self.word(
                        "transfer derogation",
                        ground,
                        "derogation ground",
                        Derogation::WORDS,
                        Derogation::from_keyword,
                    );
                }
                None => self.report(
                    Diagnostic::new("E003", first.span, "`derogation` needs its Art. 49 ground")
                        .with_help(format!(
                            "write `derogation <ground>`, one of: {}",
                            list_words(Derogation::WORDS)
                        )),
                ),
            }
            if let Some(extra) = values.get(2) {
                self.report(
                    Diagnostic::new(
                        "E003",
                        extra.span,
                        "`transfer` takes a mechanism and at most one ground",
                    )
                    .with_help("write e.g. `transfer derogation explicit-consent`"),
                );
            }
        } else if let Some(extra) = values.get(1) {
            self.report(
                Diagnostic::new(
                    "E003",
                    extra.span,
                    format!("`transfer {mechanism}` takes no further value"),
                )
                .with_help("put the transfer impact assessment in a block: `{ tia \"…\" }`"),
            );
        }
        let mut tia = None;
        for inner in self.sub_block(stmt, &schema::TRANSFER, decl).iter() {
            if inner.key.text == "tia" {
                tia = self.string(inner);
            }
        }
        Some(Transfer {
            stmt: stmt.span,
            mechanism,
            derogation,
            tia,
        })
    }

    fn activity(&mut self, header: Header, stmts: &[&Stmt]) -> Activity {
        let decl = current_decl(&header);
        let mut a = Activity {
            header,
            purpose: None,
            basis: None,
            exception: None,
            authorized_by: None,
            subjects: Vec::new(),
            data: Vec::new(),
            sources: Vec::new(),
            channels: Vec::new(),
            retention: None,
            recipients: Vec::new(),
            reuses: Vec::new(),
            systems: Vec::new(),
            measures: Vec::new(),
            automated_decision: None,
            profiling: false,
            monitoring: false,
            large_scale: false,
            occasional: false,
            dpia: None,
            informed: None,
            rights: None,
        };
        for stmt in stmts {
            match stmt.key.text.as_str() {
                "purpose" => a.purpose = self.one_ref(stmt, Kind::Purpose),
                "basis" => a.basis = self.basis(stmt),
                "exception" => {
                    self.no_block(stmt);
                    let values: Vec<&Value> = stmt.values().collect();
                    match values.first() {
                        Some(first) => {
                            if let Some(ground) = self.word(
                                "exception",
                                first,
                                "Art. 9(2) ground",
                                Art9Ground::WORDS,
                                Art9Ground::from_keyword,
                            ) {
                                a.exception = Some(Stated {
                                    value: ground,
                                    stmt: stmt.span,
                                });
                            }
                            if let Some(reference) = values.get(1) {
                                self.string_value(stmt, reference);
                            }
                            if let Some(extra) = values.get(2) {
                                self.report(
                                    Diagnostic::new(
                                        "E003",
                                        extra.span,
                                        "`exception` takes a ground and an optional reference",
                                    )
                                    .with_help(
                                        "write e.g. `exception health-care \"UAVG art. 30(3)\"`",
                                    ),
                                );
                            }
                        }
                        None => self.report(
                            Diagnostic::new(
                                "E003",
                                stmt.key.span,
                                "`exception` needs an Art. 9(2) ground",
                            )
                            .with_help(format!("one of: {}", list_words(Art9Ground::WORDS))),
                        ),
                    }
                }
                "authorized-by" => a.authorized_by = self.string(stmt),
                "subjects" => a.subjects.extend(self.refs(stmt, Kind::Subjects)),
                "data" => {
                    let refs = self.refs(stmt, Kind::Data);
                    a.data.push(DataStmt {
                        stmt: stmt.span,
                        refs,
                    });
                }
                "source" => {
                    self.no_block(stmt);
                    for value in self.list_values(stmt) {
                        let source = match &value.kind {
                            ValueKind::Word(word) if word == "subject" => Some(SourceOf::Subject),
                            ValueKind::Word(word) if word == "public" => Some(SourceOf::Public),
                            _ => self
                                .reference("source", value, Kind::Party)
                                .map(SourceOf::Party),
                        };
                        if let Some(source) = source {
                            a.sources.push(Spanned::new(source, value.span));
                        }
                    }
                }
                "channel" => {
                    let channels =
                        self.word_list(stmt, "channel", Channel::WORDS, Channel::from_keyword);
                    a.channels.push(Stated {
                        value: channels.into_iter().map(|c| c.value).collect(),
                        stmt: stmt.span,
                    });
                }
                "retention" => {
                    a.retention = self.retention(stmt).map(|value| Stated {
                        value,
                        stmt: stmt.span,
                    })
                }
                "recipient" => {
                    let recipients = self.recipient(stmt, &decl);
                    a.recipients.extend(recipients);
                }
                "reuses" => {
                    let reuses = self.reuses(stmt, &decl);
                    a.reuses.extend(reuses);
                }
                "systems" => a.systems.extend(self.refs(stmt, Kind::System)),
                "measures" => a.measures.extend(self.measures(stmt)),
                "automated-decision" => {
                    a.automated_decision = Some(self.automated_decision(stmt, &decl))
                }
                "profiling" => a.profiling = self.flag(stmt),
                "monitoring" => a.monitoring = self.flag(stmt),
                "large-scale" => a.large_scale = self.flag(stmt),
                "occasional" => a.occasional = self.flag(stmt),
                "dpia" => a.dpia = self.string(stmt),
                "informed" => a.informed = self.string(stmt),
                "rights" => a.rights = Some(self.rights(stmt, &decl)),
                _ => {}
            }
        }
        // A `Vec` that grows from empty takes room for four: an activity with one recipient
        // held three unused `RecipientStmt`s (1.1 KB), 110 MB at 100,000 activities.
        a.subjects.shrink_to_fit();
        a.data.shrink_to_fit();
        a.sources.shrink_to_fit();
        a.channels.shrink_to_fit();
        a.recipients.shrink_to_fit();
        a.reuses.shrink_to_fit();
        a.systems.shrink_to_fit();
        a.measures.shrink_to_fit();
        a
    }

    fn basis(&mut self, stmt: &Stmt) -> Option<Basis> {
        let value = self.one_value(stmt, "a legal basis")?;
        let kind = self.word(
            "basis",
            value,
            "legal basis",
            BasisKind::WORDS,
            BasisKind::from_keyword,
        )?;
        let schema = schema::basis_block(kind);
        let mut basis = Basis {
            stmt: stmt.span,
            kind,
            evidence: None,
            notice: None,
            explicit: false,
            prechecked: None,
            parental: false,
            law: None,
            interest: None,
            assessment: None,
            contract: None,
            written: Vec::new(),
        };
        let Some(block) = &stmt.block else {
            return Some(basis);
        };
        for inner in &block.stmts {
            let written = inner.key.text.as_str();
            if let Some(known) = schema.key(written) {
                basis.written.push(known.name);
            }
            let near = suggest::closest(written, schema.names());
            if let Some(near) = near {
                basis.written.push(near);
            }
            let mut key = written;
            if schema.key(written).is_none() {
                let belongs_to = schema::basis_blocks()
                    .into_iter()
                    .find(|(keys, _)| keys.key(key).is_some());
                let diagnostic = Diagnostic::new(
                    "E002",
                    inner.key.span,
                    format!("unknown statement `{key}` in a `{kind}` basis"),
                );
                let diagnostic = match belongs_to {
                    Some((_, other)) => {
                        diagnostic.with_help(format!("`{key}` belongs to a {other} basis"))
                    }
                    None => match suggest::closest(key, schema.names()) {
                        Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
                        None if schema.keys.is_empty() => {
                            diagnostic.with_help(format!("a `{kind}` basis takes no statements"))
                        }
                        None => diagnostic.with_help(format!(
                            "a `{kind}` basis takes: {}",
                            list_words(&schema.names().collect::<Vec<_>>())
                        )),
                    },
                };
                self.report(diagnostic);
                // One mistake, one finding: a misspelt key is read as the key it suggests.
                match near.filter(|_| belongs_to.is_none()) {
                    Some(near) => key = near,
                    None => continue,
                }
            }
            if block
                .stmts
                .iter()
                .take_while(|s| !std::ptr::eq(*s, inner))
                .any(|s| s.key.text == key)
            {
                self.report(
                    Diagnostic::new(
                        "E006",
                        inner.key.span,
                        format!("`{key}` is given more than once in this block"),
                    )
                    .with_help(format!("keep one `{key}` statement")),
                );
                continue;
            }
            match key {
                "evidence" => basis.evidence = self.string(inner),
                "notice" => basis.notice = self.string(inner),
                "explicit" => basis.explicit = self.flag(inner),
                "prechecked" => {
                    self.flag(inner);
                    basis.prechecked = Some(inner.span);
                }
                "parental" => basis.parental = self.flag(inner),
                "law" => basis.law = self.string(inner),
                "interest" => basis.interest = self.string(inner),
                "assessment" => basis.assessment = self.string(inner),
                "contract" => basis.contract = self.string(inner),
                _ => {}
            }
        }
        Some(basis)
    }

    fn retention(&mut self, stmt: &Stmt) -> Option<Retention> {
        self.no_block(stmt);
        let values: Vec<&Value> = stmt.values().collect();
        let forms = "write a period (`7 years`), a period after an event (`2 years after last-contact`), `until-withdrawn` or `indefinite`";
        let Some(first) = values.first() else {
            self.report(
                Diagnostic::new("E003", stmt.key.span, "`retention` needs a period")
                    .with_help(forms),
            );
            return None;
        };
        let retention = match (&first.kind, values.len()) {
            (ValueKind::Word(word), 1) if word == "until-withdrawn" => Retention::UntilWithdrawn,
            (ValueKind::Word(word), 1) if word == "indefinite" => Retention::Indefinite,
            (ValueKind::Duration(..), 1) => {
                Retention::For(self.duration_value("retention", first)?)
            }
            (ValueKind::Duration(..), 3) => {
                let duration = self.duration_value("retention", first)?;
                let after = values[1];
                let event = values[2];
                if !matches!(&after.kind, ValueKind::Word(w) if w == "after") {
                    self.report(
                        Diagnostic::new(
                            "E003",
                            after.span,
                            "expected `after` between the period and the event",
                        )
                        .with_help(forms),
                    );
                    return None;
                }
                let event = match &event.kind {
                    ValueKind::Word(word) | ValueKind::Str(word) => word.clone(),
                    other => {
                        self.report(
                            Diagnostic::new(
                                "E003",
                                event.span,
                                format!(
                                    "expected the event that starts the period, found {}",
                                    other.describe()
                                ),
                            )
                            .with_help("write e.g. `retention 2 years after last-contact`"),
                        );
                        return None;
                    }
                };
                Retention::After(duration, event)
            }
            (ValueKind::Word(word), _) => {
                let diagnostic = Diagnostic::new(
                    "E003",
                    first.span,
                    format!("`{word}` is not a retention period"),
                );
                let diagnostic = match suggest::closest(word, ["until-withdrawn", "indefinite"]) {
                    Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
                    None => diagnostic.with_help(forms),
                };
                self.report(diagnostic);
                return None;
            }
            (_, _) => {
                let at = values.get(1).copied().unwrap_or(first);
                self.report(
                    Diagnostic::new("E003", at.span, "this is not a retention period")
                        .with_help(forms),
                );
                return None;
            }
        };
        Some(retention)
    }

    /// The targets of a `recipient` or `reuses` statement: one name with a block, or a list
    /// without one (each an edge of its own).
    fn edge_targets(&mut self, stmt: &Stmt, kind: Kind) -> Vec<Ref> {
        let key = stmt.key.text.as_str();
        let values = self.list_values(stmt);
        if stmt.block.is_some() && values.len() > 1 {
            self.report(
                Diagnostic::new(
                    "E003",
                    values[1].span,
                    format!("a `{key}` with a block names one {kind}"),
                )
                .with_help(format!("write one `{key}` statement per {kind}")),
            );
        }
        let limit = if stmt.block.is_some() { 1 } else { usize::MAX };
        values
            .iter()
            .take(limit)
            .filter_map(|value| self.reference(key, value, kind))
            .collect()
    }

    fn recipient(&mut self, stmt: &Stmt, decl: &ast::Decl) -> Vec<RecipientStmt> {
        let parties = self.edge_targets(stmt, Kind::Party);
        let mut data = None;
        let mut basis = None;
        let mut compatible = None;
        let mut transfer = None;
        for inner in self.sub_block(stmt, &schema::RECIPIENT, decl).iter() {
            match inner.key.text.as_str() {
                "data" => data
                    .get_or_insert_with(Vec::new)
                    .extend(self.refs(inner, Kind::Data)),
                "basis" => basis = self.basis(inner),
                "compatible" => compatible = Some(self.compatible(inner, decl)),
                "transfer" => transfer = self.transfer(inner, decl),
                _ => {}
            }
        }
        parties
            .into_iter()
            .map(|party| RecipientStmt {
                stmt: stmt.span,
                party,
                data: data.clone(),
                basis: basis.clone(),
                compatible: compatible.clone(),
                transfer: transfer.clone(),
            })
            .collect()
    }

    fn reuses(&mut self, stmt: &Stmt, decl: &ast::Decl) -> Vec<ReuseStmt> {
        let activities = self.edge_targets(stmt, Kind::Activity);
        let mut data = None;
        let mut compatible = None;
        for inner in self.sub_block(stmt, &schema::REUSES, decl).iter() {
            match inner.key.text.as_str() {
                "data" => data
                    .get_or_insert_with(Vec::new)
                    .extend(self.refs(inner, Kind::Data)),
                "compatible" => compatible = Some(self.compatible(inner, decl)),
                _ => {}
            }
        }
        activities
            .into_iter()
            .map(|activity| ReuseStmt {
                stmt: stmt.span,
                activity,
                data: data.clone(),
                compatible: compatible.clone(),
            })
            .collect()
    }

    fn compatible(&mut self, stmt: &Stmt, decl: &ast::Decl) -> Compatible {
        let mut compatible = Compatible {
            stmt: stmt.span,
            ..Compatible::default()
        };
        if let Some(value) = stmt.values().next() {
            self.report(
                Diagnostic::new("E003", value.span, "`compatible` takes a block, not values")
                    .with_help("write `compatible { link \"…\" context \"…\" … }`"),
            );
        }
        let meant_before = self.meant.len();
        let kept = self.sub_block(stmt, &schema::COMPATIBLE, decl);
        // A factor counts as addressed once written, even misspelt or with a bad value:
        // that mistake is already reported, and P002 would only repeat it.
        for meant in self.meant.split_off(meant_before) {
            compatible.address(meant);
        }
        for inner in &kept {
            let key = inner.key.text.as_str();
            if key == "safeguards" {
                compatible.safeguards.extend(self.measures(inner));
            } else {
                self.string(inner);
            }
            compatible.address(key);
        }
        compatible
    }

    fn automated_decision(&mut self, stmt: &Stmt, decl: &ast::Decl) -> AutomatedDecision {
        let mut decision = AutomatedDecision {
            stmt: stmt.span,
            effect: None,
            exception: None,
            exception_stmt: None,
            safeguards: Vec::new(),
        };
        if let Some(value) = stmt.values().next() {
            self.report(Diagnostic::new(
                "E003",
                value.span,
                "`automated-decision` takes a block, not values",
            ).with_help("write `automated-decision { effect significant; exception contract; safeguards human-intervention, express-view, contest }`"));
        }
        for inner in self
            .sub_block(stmt, &schema::AUTOMATED_DECISION, decl)
            .iter()
        {
            match inner.key.text.as_str() {
                "effect" => {
                    decision.effect =
                        self.one_word(inner, "effect", Effect::WORDS, Effect::from_keyword)
                }
                "exception" => {
                    decision.exception = self.one_word(
                        inner,
                        "Art. 22(2) exception",
                        DecisionException::WORDS,
                        DecisionException::from_keyword,
                    );
                    if decision.exception.is_some() {
                        decision.exception_stmt = Some(inner.span);
                    }
                }
                "safeguards" => decision.safeguards.extend(
                    self.word_list(
                        inner,
                        "Art. 22(3) safeguard",
                        Safeguard::WORDS,
                        Safeguard::from_keyword,
                    )
                    .into_iter()
                    .map(|s| s.value),
                ),
                _ => {}
            }
        }
        decision
    }

    fn data_category(&mut self, header: Header, stmts: &[&Stmt]) -> DataCategory {
        let mut d = DataCategory {
            header,
            includes: Vec::new(),
            special: None,
            criminal: false,
            national_id: false,
            financial: false,
            origin: DataOrigin::Provided,
        };
        for stmt in stmts {
            match stmt.key.text.as_str() {
                "includes" => d.includes.extend(self.refs(stmt, Kind::Data)),
                "special" => {
                    d.special = self.one_word(
                        stmt,
                        "special category",
                        Art9Category::WORDS,
                        Art9Category::from_keyword,
                    )
                }
                "criminal" => d.criminal = self.flag(stmt),
                "national-id" => d.national_id = self.flag(stmt),
                "financial" => d.financial = self.flag(stmt),
                "origin" => {
                    if let Some(origin) =
                        self.one_word(stmt, "origin", DataOrigin::WORDS, DataOrigin::from_keyword)
                    {
                        d.origin = origin;
                    }
                }
                _ => {}
            }
        }
        d
    }

    fn subjects(&mut self, header: Header, stmts: &[&Stmt]) -> Subjects {
        let mut s = Subjects {
            header,
            minors: false,
            vulnerable: false,
            employees: false,
        };
        for stmt in stmts {
            match stmt.key.text.as_str() {
                "minors" => s.minors = self.flag(stmt),
                "vulnerable" => s.vulnerable = self.flag(stmt),
                "employees" => s.employees = self.flag(stmt),
                _ => {}
            }
        }
        s
    }

    fn purpose(&mut self, header: Header, stmts: &[&Stmt]) -> Purpose {
        let mut p = Purpose {
            header,
            kind: PurposeKind::General,
            compatible_with: Vec::new(),
        };
        for stmt in stmts {
            match stmt.key.text.as_str() {
                "kind" => {
                    if let Some(kind) = self.one_word(
                        stmt,
                        "purpose kind",
                        PurposeKind::WORDS,
                        PurposeKind::from_keyword,
                    ) {
                        p.kind = kind;
                    }
                }
                "compatible-with" => p.compatible_with.extend(self.refs(stmt, Kind::Purpose)),
                _ => {}
            }
        }
        p
    }

    fn system(&mut self, header: Header, stmts: &[&Stmt]) -> System {
        let decl = current_decl(&header);
        let mut s = System {
            header,
            hosted_by: None,
            location: None,
            measures: Vec::new(),
            transfer: None,
        };
        for stmt in stmts {
            match stmt.key.text.as_str() {
                "hosted-by" => {
                    s.hosted_by = self.one_ref(stmt, Kind::Party).map(|value| Stated {
                        value,
                        stmt: stmt.span,
                    })
                }
                "location" => {
                    s.location = self.one_ref(stmt, Kind::Country).map(|value| Stated {
                        value,
                        stmt: stmt.span,
                    })
                }
                "measures" => s.measures.extend(self.measures(stmt)),
                "transfer" => s.transfer = self.transfer(stmt, &decl),
                _ => {}
            }
        }
        s
    }

    fn country(&mut self, header: Header, stmts: &[&Stmt]) -> Country {
        let mut c = Country {
            header,
            eea: false,
            adequacy: None,
            authority: None,
            consent_age: None,
        };
        for stmt in stmts {
            match stmt.key.text.as_str() {
                "eea" => c.eea = self.flag(stmt),
                "adequacy" => c.adequacy = self.adequacy(stmt),
                "authority" => c.authority = self.string(stmt),
                "consent-age" => c.consent_age = self.int(stmt),
                _ => {}
            }
        }
        c
    }

    /// `adequacy full|partial [since DATE] [requires IDENT]`.
    fn adequacy(&mut self, stmt: &Stmt) -> Option<Adequacy> {
        self.no_block(stmt);
        let values: Vec<&Value> = stmt.values().collect();
        let first = values.first().copied().or_else(|| {
            self.report(
                Diagnostic::new(
                    "E003",
                    stmt.key.span,
                    "`adequacy` needs `full` or `partial`",
                )
                .with_help("e.g. `adequacy full since 2021-06-28`"),
            );
            None
        })?;
        let full = match &first.kind {
            ValueKind::Word(word) if word == "full" => true,
            ValueKind::Word(word) if word == "partial" => false,
            _ => {
                self.word(
                    "adequacy",
                    first,
                    "adequacy scope",
                    &["full", "partial"],
                    |_| None::<bool>,
                );
                return None;
            }
        };
        let mut adequacy = Adequacy {
            full,
            since: None,
            requires: None,
        };
        let mut rest = values[1..].iter();
        while let Some(word) = rest.next() {
            let operand = rest.next();
            match (&word.kind, operand) {
                (ValueKind::Word(w), Some(date)) if w == "since" => {
                    adequacy.since = self.date_value("since", date)
                }
                (ValueKind::Word(w), Some(value)) if w == "requires" => match &value.kind {
                    ValueKind::Word(certification) => {
                        adequacy.requires = Some(certification.clone())
                    }
                    other => self.report(
                        Diagnostic::new(
                            "E003",
                            value.span,
                            format!(
                                "`requires` expects a certification name, found {}",
                                other.describe()
                            ),
                        )
                        .with_help("e.g. `requires dpf`"),
                    ),
                },
                _ => {
                    self.report(
                        Diagnostic::new(
                            "E003",
                            word.span,
                            "expected `since DATE` or `requires NAME` here",
                        )
                        .with_help("e.g. `adequacy partial since 2023-07-10 requires dpf`"),
                    );
                    break;
                }
            }
        }
        Some(adequacy)
    }

    fn breach(&mut self, header: Header, stmts: &[&Stmt]) -> Breach {
        let decl = current_decl(&header);
        let mut b = Breach {
            header,
            discovered: None,
            nature: Vec::new(),
            affects: Vec::new(),
            data: Vec::new(),
            subjects: Vec::new(),
            subjects_affected: None,
            encrypted: None,
            trusted_recipient: None,
            contained: None,
            risk: None,
            exception: None,
            exception_stmt: None,
            disproportionate_effort: false,
            notified_authority: None,
            notified_subjects: None,
            delay_reason: None,
            facts: None,
            effects: None,
            actions: None,
        };
        for stmt in stmts {
            match stmt.key.text.as_str() {
                "discovered" => b.discovered = self.moment(stmt, false),
                "nature" => b.nature.extend(
                    self.word_list(stmt, "breach nature", Nature::WORDS, Nature::from_keyword)
                        .into_iter()
                        .map(|n| n.value),
                ),
                "affects" => b.affects.extend(self.refs(stmt, Kind::Activity)),
                "data" => b.data.extend(self.refs(stmt, Kind::Data)),
                "subjects" => b.subjects.extend(self.refs(stmt, Kind::Subjects)),
                "subjects-affected" => b.subjects_affected = self.int(stmt),
                "encrypted" => {
                    let mut encrypted = Encrypted::default();
                    let mark = |word: &str, e: &mut Encrypted| match word {
                        "intact" => e.intact = true,
                        "backup" => e.backup = true,
                        "key-safe" => e.key_safe = true,
                        _ => {}
                    };
                    for inner in self.sub_block(stmt, &schema::ENCRYPTED, &decl).iter() {
                        self.flag(inner);
                        mark(&inner.key.text, &mut encrypted);
                    }
                    // A list (`encrypted intact, backup, key-safe`) reads naturally too.
                    for value in stmt.values() {
                        match &value.kind {
                            ValueKind::Word(word)
                                if schema::ENCRYPTED.key(word).is_some() =>
                            {
                                mark(word, &mut encrypted)
                            }
                            _ if says_no(value) => self.report(
                                Diagnostic::new(
                                    "E003",
                                    value.span,
                                    "`encrypted` states that the data was encrypted; it takes no `no`",
                                )
                                .with_help("leave `encrypted` out: without it the data counts as readable"),
                            ),
                            _ => {
                                self.word(
                                    "encrypted",
                                    value,
                                    "encryption condition",
                                    &["intact", "backup", "key-safe"],
                                    |_| None::<()>,
                                );
                            }
                        }
                    }
                    b.encrypted = Some(encrypted);
                }
                "trusted-recipient" => b.trusted_recipient = self.string(stmt),
                "contained" => b.contained = self.string(stmt),
                "risk" => {
                    self.no_block(stmt);
                    let values: Vec<&Value> = stmt.values().collect();
                    if let Some(first) = values.first() {
                        if let Some(risk) =
                            self.word("risk", first, "risk level", Risk::WORDS, Risk::from_keyword)
                        {
                            let note = values.get(1).and_then(|v| self.string_value(stmt, v));
                            b.risk = Some(Stated {
                                value: (risk, note),
                                stmt: stmt.span,
                            });
                        }
                    } else {
                        self.report(
                            Diagnostic::new(
                                "E003",
                                stmt.key.span,
                                "`risk` needs `unlikely` or `high`",
                            )
                            .with_help("write `risk unlikely` or `risk high \"why\"`"),
                        );
                    }
                }
                "exception" => {
                    b.exception = self.one_word(
                        stmt,
                        "UAVG exception",
                        BreachException::WORDS,
                        BreachException::from_keyword,
                    );
                    if b.exception.is_some() {
                        b.exception_stmt = Some(stmt.span);
                    }
                }
                "disproportionate-effort" => b.disproportionate_effort = self.flag(stmt),
                "notified-authority" => {
                    b.notified_authority = self.moment(stmt, true).map(|value| Stated {
                        value,
                        stmt: stmt.span,
                    })
                }
                "notified-subjects" => {
                    b.notified_subjects = self.moment(stmt, true).map(|value| Stated {
                        value,
                        stmt: stmt.span,
                    })
                }
                "delay-reason" => b.delay_reason = self.string(stmt),
                "facts" => b.facts = self.string(stmt),
                "effects" => b.effects = self.string(stmt),
                "actions" => b.actions = self.string(stmt),
                _ => {}
            }
        }
        b
    }
}

fn first_stmt(stmts: &[Stmt], key: &str) -> crate::source::Span {
    stmts
        .iter()
        .find(|stmt| stmt.key.text == key)
        .map_or_else(|| stmts[0].span, |stmt| stmt.key.span)
}

/// Nested blocks only need the declaration's name and kind, for related labels.
fn current_decl(header: &Header) -> ast::Decl {
    ast::Decl {
        kind: header.kind,
        name: ast::Name {
            text: header.name.clone(),
            span: header.name_span,
        },
        title: None,
        body: ast::Block {
            stmts: Vec::new(),
            span: header.span,
        },
        span: header.span,
        recovered: header.recovered,
        unclosed: header.unclosed,
    }
}

/// `no`, `false`, `none` and their Dutch words: a value that means "not", where the way to say
/// "not" is to leave the statement out.
fn says_no(value: &Value) -> bool {
    matches!(&value.kind, ValueKind::Word(word)
        if matches!(word.to_lowercase().as_str(), "no" | "false" | "none" | "off" | "nee" | "geen" | "onwaar"))
}

fn list_words(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
