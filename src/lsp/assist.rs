//! Completion, code actions, inlay hints and code lenses: plain functions over a
//! [`Snapshot`], in byte offsets and spans, read from the core's schema, fixes, symbols and
//! facts. The protocol layer (`super`) only converts positions and types.
//!
//! Cost: completion parses the one file and walks the one statement at the caret (plus the
//! names of one kind, or a block's keys); code actions read the file's diagnostics; hints and
//! lenses walk the file's declarations and their facts, linear in the file.

use super::core::Snapshot;
use super::ide;
use crate::diag::{Applicability, Diagnostic, Edit};
use crate::facts::transfers::{EdgeKind, TransferStatus};
use crate::fixes;
use crate::ide::{File, Node, NodeAt, node_at};
use crate::model::schema::{self, BlockSchema, Required};
use crate::registry;
use crate::source::{FileId, Span};
use crate::syntax::{self, ast, lossless::Tokens};

/// What a completion item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Key,
    /// A word of a key's vocabulary.
    Value,
    /// The name of a declaration.
    Name(ast::Kind),
    Rule,
    /// A new declaration, as a snippet with its required keys.
    Snippet,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: String,
    /// The text inserted; a snippet (`$1` tab stops) for [`ItemKind::Snippet`].
    pub insert: String,
}

/// The completions at `offset`: keys valid in the block (at-most-once keys already written
/// left out), the values a key takes (its vocabulary, or names of the kind it refers to, from
/// the workspace and the stdlib), rule codes after `allow`, and new declarations at top level.
pub fn completions(snap: &Snapshot, file: FileId, offset: usize) -> Vec<Item> {
    let source = snap.sources.get(file);
    if source.problem.is_some() || source.origin != crate::source::Origin::User {
        return Vec::new();
    }
    let text = source.text.as_str();
    let parsed = syntax::parse(file, text);
    let tokens = Tokens::new(text);
    let view = File {
        id: file,
        text,
        decls: &parsed.decls,
        tokens: &tokens,
    };
    let at = node_at(view, &snap.analysis.model.symbols, offset);
    match &at.node {
        Node::TopLevel => declaration_snippets(),
        Node::Block | Node::Key => {
            let Some(block) = block_schema(&at, text) else {
                return Vec::new();
            };
            let written = written_keys(&at, &parsed.decls, offset);
            let written: Vec<&str> = written.iter().map(String::as_str).collect();
            block
                .completions(&written)
                .map(|key| Item {
                    label: key.name.to_string(),
                    kind: ItemKind::Key,
                    detail: Some(block.name.to_string()),
                    documentation: key.hover(),
                    insert: key.name.to_string(),
                })
                .collect()
        }
        Node::Slot { .. } | Node::Value(_) => values(snap, &at, text),
        _ => Vec::new(),
    }
}

fn declaration_snippets() -> Vec<Item> {
    ast::Kind::ALL
        .into_iter()
        .map(|kind| {
            let block = schema::declaration(kind);
            let mut insert = format!("{} ${{1:name}} {{\n", kind.keyword());
            let mut stop = 2;
            let mut required = Vec::new();
            for key in block.keys() {
                if key.required != Required::No {
                    insert.push_str(&format!("  {} ${stop}\n", key.name));
                    required.push(format!("`{}`", key.name));
                    stop += 1;
                }
            }
            insert.push_str("}\n");
            let documentation = if required.is_empty() {
                format!("a new `{}` declaration", kind.keyword())
            } else {
                format!(
                    "a new `{}` declaration with the keys it needs: {}",
                    kind.keyword(),
                    required.join(", ")
                )
            };
            Item {
                label: kind.keyword().to_string(),
                kind: ItemKind::Snippet,
                detail: Some("declaration".to_string()),
                documentation,
                insert,
            }
        })
        .collect()
}

/// The schema of the innermost block at the position: the declaration's, then the blocks on
/// the way (`basis` with the basis word written after it).
fn block_schema(at: &NodeAt, text: &str) -> Option<&'static BlockSchema> {
    let decl = at.decl.as_ref()?;
    let mut path: Vec<&str> = Vec::new();
    for b in &at.blocks {
        path.push(b.key.as_str());
        if b.key == "basis" {
            let rest = text.get(b.key_span.end as usize..b.span.end as usize)?;
            let word = rest
                .split(|c: char| c.is_whitespace() || c == '{')
                .find(|w| !w.is_empty())?;
            path.push(word);
        }
    }
    schema::block(decl.kind, &path)
}

/// The keys written in the innermost block, but the one at `offset` (being typed).
fn written_keys(at: &NodeAt, decls: &[ast::Decl], offset: usize) -> Vec<String> {
    let Some(decl) = at.decl.as_ref().and_then(|d| decls.get(d.index)) else {
        return Vec::new();
    };
    let mut block = &decl.body;
    for b in &at.blocks {
        let inner = block
            .stmts
            .iter()
            .find(|s| s.key.span == b.key_span)
            .and_then(|s| s.block.as_ref());
        match inner {
            Some(inner) => block = inner,
            None => return Vec::new(),
        }
    }
    block
        .stmts
        .iter()
        .filter(|s| !(s.key.span.start as usize <= offset && offset <= s.key.span.end as usize))
        .map(|s| s.key.text.clone())
        .collect()
}

fn values(snap: &Snapshot, at: &NodeAt, text: &str) -> Vec<Item> {
    let Some(stmt) = &at.stmt else {
        return Vec::new();
    };
    if stmt.key == "allow" {
        return registry::all()
            .iter()
            .map(|rule| Item {
                label: rule.code.to_string(),
                kind: ItemKind::Rule,
                detail: Some(rule.name.to_string()),
                documentation: super::ide::rule_summary(rule),
                insert: format!("{} \"$1\"", rule.code),
            })
            .collect();
    }
    let Some(key) = block_schema(at, text).and_then(|b| b.key(&stmt.key)) else {
        return Vec::new();
    };
    if let Some(kind) = key.shape.reference() {
        let symbols = &snap.analysis.model.symbols;
        let mut items: Vec<Item> = symbols
            .declarations_of(kind)
            .iter()
            .map(|d| {
                let name = symbols.names.text(d.name);
                Item {
                    label: name.to_string(),
                    kind: ItemKind::Name(kind),
                    detail: Some(if d.from_stdlib {
                        format!("{} (standard library)", kind.keyword())
                    } else {
                        kind.keyword().to_string()
                    }),
                    documentation: ide::describe(snap, kind, name).unwrap_or_default(),
                    insert: name.to_string(),
                }
            })
            .collect();
        // The workspace's own names first, then the library's, each alphabetically.
        items.sort_by(|a, b| {
            let stdlib = |i: &Item| i.detail.as_deref().is_some_and(|d| d.ends_with(')'));
            (stdlib(a), &a.label).cmp(&(stdlib(b), &b.label))
        });
        items.dedup_by(|a, b| a.label == b.label);
        return items;
    }
    key.shape
        .words()
        .iter()
        .map(|word| Item {
            label: (*word).to_string(),
            kind: ItemKind::Value,
            detail: Some(format!("`{}`", key.name)),
            documentation: key.hover(),
            insert: (*word).to_string(),
        })
        .collect()
}

/// One code action: a quick fix for one finding, or the fix-all of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action<'s> {
    pub title: String,
    /// `source.fixAll` rather than `quickfix`.
    pub fix_all: bool,
    pub preferred: bool,
    pub diagnostic: Option<&'s Diagnostic>,
    pub edits: Vec<Edit>,
}

/// The actions for findings of `file` whose span meets `start..=end`: every fix the core
/// carries (a safe one preferred), then `allow CODE "…"`; and, when the file has any safe
/// fixes, one fix-all applying all of them (overlaps left for the next round).
pub fn code_actions(snap: &Snapshot, file: FileId, start: usize, end: usize) -> Vec<Action<'_>> {
    let model = &snap.analysis.model;
    let mut actions = Vec::new();
    for d in snap.diagnostics() {
        let Some(span) = d.primary else { continue };
        if span.file != file || (span.end as usize) < start || (span.start as usize) > end {
            continue;
        }
        let mut preferred_given = false;
        for fix in &d.fixes {
            let safe = fix.applicability == Applicability::Safe;
            actions.push(Action {
                title: fix.title.clone(),
                fix_all: false,
                preferred: safe && !preferred_given,
                diagnostic: Some(d),
                edits: fix.edits.clone(),
            });
            preferred_given |= safe;
        }
        if let Some(fix) = fixes::allow_fix(d, model, &snap.sources) {
            actions.push(Action {
                title: fix.title,
                fix_all: false,
                preferred: false,
                diagnostic: Some(d),
                edits: fix.edits,
            });
        }
    }
    if let Some(all) = fix_all(snap, file) {
        actions.push(all);
    }
    actions
}

/// Every safe fix of the file at once, or `None` when there is none.
pub fn fix_all(snap: &Snapshot, file: FileId) -> Option<Action<'_>> {
    let edits: Vec<Edit> = fixes::safe_edits(&snap.analysis.diagnostics, file)
        .into_iter()
        .cloned()
        .collect();
    (!edits.is_empty()).then(|| Action {
        title: "fix all safe findings in this file".to_string(),
        fix_all: true,
        preferred: false,
        diagnostic: None,
        edits,
    })
}

/// An inlay hint: `label` shown after the byte `at`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub at: usize,
    pub label: String,
}

/// The derived facts next to the words they are about: after `recipient X` the destination
/// country, its transfer status or mechanism, the party's role and its agreement; after
/// `basis B` the rights it brings; after a country reference its EEA or adequacy status.
pub fn inlay_hints(snap: &Snapshot, file: FileId) -> Vec<Hint> {
    let model = &snap.analysis.model;
    let facts = &snap.analysis.facts;
    let mut hints = Vec::new();
    for (a, activity) in model.activities.iter().enumerate() {
        if activity.header.span.file != file {
            continue;
        }
        for (r, recipient) in activity.recipients.iter().enumerate() {
            if let Some(label) = recipient_hint(snap, a, r) {
                hints.push(Hint {
                    at: recipient.party.span.end as usize,
                    label,
                });
            }
        }
        if let (Some(basis), Some(af)) = (&activity.basis, facts.activities.get(a)) {
            let rights: Vec<&str> = af.applicable().map(|r| r.right.keyword()).collect();
            if !rights.is_empty() {
                let text = &snap.sources.get(file).text;
                let word = basis.kind.keyword();
                // After the basis word itself, not after its block.
                let at = text
                    .get(basis.stmt.range())
                    .and_then(|s| s.find(word))
                    .map_or(basis.stmt.end as usize, |i| {
                        basis.stmt.start as usize + i + word.len()
                    });
                hints.push(Hint {
                    at,
                    label: format!("rights: {}", rights.join(", ")),
                });
            }
        }
    }
    for reference in model.symbols.references_in(file) {
        if reference.kind == ast::Kind::Country && reference.target().is_some() {
            let name = model.symbols.names.text(reference.written);
            hints.push(Hint {
                at: reference.span.end as usize,
                label: ide::country_status(model, name),
            });
        }
    }
    hints.sort_by_key(|h| h.at);
    hints
}

/// "US · DPF · processor · agreement ok" for recipient `r` of activity `a`.
fn recipient_hint(snap: &Snapshot, a: usize, r: usize) -> Option<String> {
    let model = &snap.analysis.model;
    let facts = &snap.analysis.facts;
    let recipient = model.activities.get(a)?.recipients.get(r)?;
    let party = model.party(&recipient.party.name)?;
    let mut parts: Vec<String> = Vec::new();
    let edge = facts.transfers.iter().find(|e| {
        matches!(e.kind, EdgeKind::Recipient { activity, recipient, .. } if activity == a && recipient == r)
    });
    match edge {
        Some(edge) => {
            parts.push(edge.country.clone());
            parts.push(match (&edge.status, &edge.protection) {
                (_, Some(p)) if edge.status.needs_tool() => p.mechanism.keyword().to_string(),
                (TransferStatus::NoDecision, None) => "no transfer tool".to_string(),
                (TransferStatus::PartialNotMet { requires }, None) => {
                    format!("{} not met", requires.to_uppercase())
                }
                (status, _) => status_word(status),
            });
        }
        None => {
            if let Some(country) = &party.country {
                parts.push(country.name.clone());
            }
        }
    }
    if let Some(role) = party.role {
        parts.push(role.keyword().to_string());
        if role.keyword() == "processor" {
            parts.push(
                if party.agreement.is_some() {
                    "agreement ok"
                } else {
                    "no agreement"
                }
                .to_string(),
            );
        }
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

fn status_word(status: &TransferStatus) -> String {
    match status {
        TransferStatus::Unknown => "unknown country".to_string(),
        TransferStatus::Eea => "EEA".to_string(),
        TransferStatus::OwnCountry => "own country".to_string(),
        TransferStatus::AdequateFull { .. } => "adequacy".to_string(),
        TransferStatus::AdequatePartial { requires, .. } => requires
            .as_ref()
            .map_or("partial adequacy".to_string(), |r| r.to_uppercase()),
        TransferStatus::PartialNotMet { requires } => {
            format!("{} not met", requires.to_uppercase())
        }
        TransferStatus::NoDecision => "no adequacy".to_string(),
    }
}

/// A code lens: `title` shown above the declaration at `span`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lens {
    pub span: Span,
    pub title: String,
}

/// Above each activity: its findings, transfers and rights; above each breach: the verdict
/// and the deadline.
pub fn code_lenses(snap: &Snapshot, file: FileId) -> Vec<Lens> {
    let model = &snap.analysis.model;
    let facts = &snap.analysis.facts;
    let mut lenses = Vec::new();
    let findings_in = |span: Span| {
        snap.diagnostics()
            .filter(|d| d.primary.is_some_and(|p| span.contains(p)))
            .count()
    };
    for (a, activity) in model.activities.iter().enumerate() {
        let span = activity.header.span;
        if span.file != file {
            continue;
        }
        let findings = findings_in(span);
        let transfers = facts
            .transfers_of(model, &snap.analysis.flow, a)
            .iter()
            .filter(|e| e.status.needs_tool())
            .count();
        let rights = facts
            .activities
            .get(a)
            .map_or(0, |af| af.applicable().count());
        lenses.push(Lens {
            span,
            title: format!(
                "{} · {} · {}",
                plural(findings, "finding"),
                plural(transfers, "transfer outside the EEA"),
                plural(rights, "right")
            ),
        });
    }
    for (b, breach) in model.breaches.iter().enumerate() {
        let span = breach.header.span;
        if span.file != file {
            continue;
        }
        let Some(assessment) = crate::rules::breach::assessment(model, facts, b) else {
            continue;
        };
        let authority = &assessment.authority;
        let mut title = if authority.required {
            match &authority.deadline {
                Some(deadline) => format!("notify the authority by {deadline}"),
                None => "notify the authority (no discovery time)".to_string(),
            }
        } else {
            "no notification to the authority needed".to_string()
        };
        match authority.on_time {
            Some(true) => title.push_str(" · notified on time"),
            Some(false) => title.push_str(" · notified late"),
            None => {}
        }
        if assessment.data_subjects.required {
            title.push_str(" · inform the data subjects");
        }
        lenses.push(Lens { span, title });
    }
    lenses
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else if let Some((head, tail)) = what.split_once(' ') {
        format!("{n} {head}s {tail}")
    } else {
        format!("{n} {what}s")
    }
}

/// The schema's doc of the key at `offset` (`retention` — at most once; A002 when missing: …).
pub fn key_hover(snap: &Snapshot, file: FileId, offset: usize) -> Option<(String, Span)> {
    let source = snap.sources.get(file);
    if source.problem.is_some() || source.origin == crate::source::Origin::Config {
        return None;
    }
    let text = source.text.as_str();
    let parsed = syntax::parse(file, text);
    let tokens = Tokens::new(text);
    let view = File {
        id: file,
        text,
        decls: &parsed.decls,
        tokens: &tokens,
    };
    let at = node_at(view, &snap.analysis.model.symbols, offset);
    if at.node != Node::Key {
        return None;
    }
    let stmt = at.stmt.as_ref()?;
    let key = block_schema(&at, text)?.key(&stmt.key)?;
    Some((key.hover(), stmt.key_span))
}
