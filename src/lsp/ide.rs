//! The editor features as plain functions over a [`Snapshot`], in byte offsets and spans.
//! The protocol layer (`super`) only converts positions and types.

use super::core::Snapshot;
use crate::fmt;
use crate::ide::{self as core_ide, DeclEntry, DeclId, Symbols};
use crate::model::Model;
use crate::registry;
use crate::source::{FileId, Origin, Span};
use crate::syntax::{self, ast, lossless};

/// The hover text (Markdown) and the span it is about.
pub fn hover(snap: &Snapshot, file: FileId, offset: usize) -> Option<(String, Span)> {
    if let Some(hover) = hover_allow(snap, file, offset) {
        return Some(hover);
    }
    if let Some((decl, span)) = hit(snap, file, offset) {
        let name = name_of(snap, decl)?;
        return Some((describe(snap, decl.kind, name)?, span));
    }
    super::assist::key_hover(snap, file, offset)
}

fn hover_allow(snap: &Snapshot, file: FileId, offset: usize) -> Option<(String, Span)> {
    let within = |span: Span| {
        span.file == file && span.start as usize <= offset && offset <= span.end as usize
    };
    let model = &snap.analysis.model;
    let allow = headers(model)
        .flat_map(|h| h.allows.iter())
        .find(|a| within(a.stmt))?;
    let text = &snap.sources.get(file).text;
    // The code is the word after `allow`: only hovering on it (or on `allow`) shows the rule.
    let stmt_text = text.get(allow.stmt.range())?;
    let code_at = stmt_text.find(&allow.code)?;
    let start = allow.stmt.start as usize + code_at;
    let span = Span::new(file, start..start + allow.code.len());
    if offset > span.end as usize {
        return None;
    }
    let rule = registry::lookup(&allow.code)?;
    Some((rule_summary(rule), span))
}

/// A rule as hover and completion show it: code, name, severity, summary and article.
pub(crate) fn rule_summary(rule: &registry::Rule) -> String {
    format!(
        "**{}** `{}` ({})\n\n{}\n\n{}",
        rule.code,
        rule.name,
        rule.severity.as_str(),
        rule.summary,
        rule.article
    )
}

fn headers(model: &Model) -> impl Iterator<Item = &crate::model::Header> {
    model
        .controller
        .iter()
        .map(|c| &c.header)
        .chain(model.parties.iter().map(|p| &p.header))
        .chain(model.activities.iter().map(|a| &a.header))
        .chain(model.data.iter().map(|d| &d.header))
        .chain(model.subjects.iter().map(|s| &s.header))
        .chain(model.purposes.iter().map(|p| &p.header))
        .chain(model.systems.iter().map(|s| &s.header))
        .chain(model.countries.iter().map(|c| &c.header))
        .chain(model.breaches.iter().map(|b| &b.header))
}

/// A declaration's summary: what the compiler knows of it, in a few lines.
pub fn describe(snap: &Snapshot, kind: ast::Kind, name: &str) -> Option<String> {
    let model = &snap.analysis.model;
    let header = headers(model).find(|h| h.kind == kind && h.name == name)?;
    let mut lines = vec![format!(
        "{} `{}`{}",
        kind.keyword(),
        name,
        header
            .title
            .as_ref()
            .map(|t| format!(" \"{t}\""))
            .unwrap_or_default()
    )];
    match kind {
        ast::Kind::Party => {
            let party = model.party(name)?;
            if let Some(role) = party.role {
                lines.push(format!("role: {}", role.keyword()));
            }
            if let Some(country) = &party.country {
                lines.push(format!(
                    "country: {} ({})",
                    country.name,
                    country_status(model, &country.name)
                ));
            }
            if let Some(agreement) = &party.agreement {
                let mut text = "agreement".to_string();
                if let Some(signed) = agreement.signed {
                    text.push_str(&format!(" signed {signed}"));
                }
                if !agreement.clauses.is_empty() {
                    let clauses: Vec<_> = agreement
                        .clauses
                        .iter()
                        .map(|c| c.value.keyword())
                        .collect();
                    text.push_str(&format!(", clauses: {}", clauses.join(", ")));
                }
                lines.push(text);
            } else {
                lines.push("no agreement".to_string());
            }
            if !party.certified.is_empty() {
                let certified: Vec<_> = party.certified.iter().map(|c| c.value.as_str()).collect();
                lines.push(format!("certified: {}", certified.join(", ")));
            }
        }
        ast::Kind::Country => lines.push(country_status(model, name)),
        ast::Kind::Controller => {
            let controller = model.controller.as_ref()?;
            if let Some(country) = &controller.country {
                lines.push(format!(
                    "country: {} ({})",
                    country.name,
                    country_status(model, &country.name)
                ));
            }
        }
        ast::Kind::Activity => {
            let activity = model.activity(name)?;
            if let Some(purpose) = &activity.purpose {
                lines.push(format!("purpose: {}", purpose.name));
            }
            match &activity.basis {
                Some(basis) => lines.push(format!("basis: {}", basis.kind.keyword())),
                None => lines.push("no basis".to_string()),
            }
            let recipients: Vec<_> = activity
                .recipients
                .iter()
                .map(|r| r.party.name.as_str())
                .collect();
            if !recipients.is_empty() {
                lines.push(format!("recipients: {}", recipients.join(", ")));
            }
        }
        ast::Kind::Data => {
            let data = model.data_category(name)?;
            let mut flags = Vec::new();
            if let Some(special) = data.special {
                flags.push(format!("special category ({}, Art. 9)", special.keyword()));
            }
            if data.criminal {
                flags.push("criminal offence data (Art. 10)".to_string());
            }
            if data.national_id {
                flags.push("national identification number (Art. 87)".to_string());
            }
            if data.financial {
                flags.push("financial".to_string());
            }
            if flags.is_empty() {
                flags.push("ordinary personal data".to_string());
            }
            lines.push(flags.join(" · "));
        }
        ast::Kind::Subjects => {
            let subjects = model.subjects_category(name)?;
            let mut flags = Vec::new();
            if subjects.minors {
                flags.push("minors");
            }
            if subjects.vulnerable {
                flags.push("vulnerable");
            }
            if subjects.employees {
                flags.push("employees");
            }
            if !flags.is_empty() {
                lines.push(flags.join(" · "));
            }
        }
        ast::Kind::Purpose => {
            let purpose = model.purpose(name)?;
            lines.push(format!("kind: {}", purpose.kind.keyword()));
        }
        ast::Kind::System => {
            let system = model.system(name)?;
            if let Some(host) = &system.hosted_by {
                lines.push(format!("hosted by: {}", host.value.name));
            }
            if let Some(location) = &system.location {
                lines.push(format!(
                    "location: {} ({})",
                    location.value.name,
                    country_status(model, &location.value.name)
                ));
            }
        }
        ast::Kind::Breach => {}
    }
    if header.from_stdlib {
        lines.push(format!(
            "from the standard library (facts checked {})",
            crate::stdlib::facts_checked()
        ));
    }
    Some(lines.join("\n\n"))
}

/// "EEA", "adequacy decision since 2023-07-10", or "third country without adequacy".
pub fn country_status(model: &Model, name: &str) -> String {
    let Some(country) = model.country(name) else {
        return "unknown country".to_string();
    };
    if country.eea {
        return "EEA".to_string();
    }
    match &country.adequacy {
        Some(adequacy) => {
            let mut text = if adequacy.full {
                "adequacy decision".to_string()
            } else {
                "partial adequacy".to_string()
            };
            if let Some(requires) = &adequacy.requires {
                text.push_str(&format!(" ({requires})"));
            }
            if let Some(since) = adequacy.since {
                text.push_str(&format!(" since {since}"));
            }
            text
        }
        None => "third country without adequacy decision".to_string(),
    }
}

fn parse(snap: &Snapshot, file: FileId) -> Option<syntax::Parsed> {
    let source = snap.sources.get(file);
    (source.origin != Origin::Config && source.problem.is_none())
        .then(|| syntax::parse(file, &source.text))
}

fn symbols(snap: &Snapshot) -> &Symbols {
    &snap.analysis.model.symbols
}

/// The declaration named at `offset` (by a reference that resolved, or by its own name) and
/// the span of the name there.
pub fn hit(snap: &Snapshot, file: FileId, offset: usize) -> Option<(DeclId, Span)> {
    let symbols = symbols(snap);
    match symbols.reference_at(file, offset) {
        Some(reference) => Some((reference.target()?, reference.span)),
        None => {
            let decl = symbols.declaration_at(file, offset)?;
            Some((decl, symbols.declaration(decl)?.name_span))
        }
    }
}

pub fn name_of(snap: &Snapshot, decl: DeclId) -> Option<&str> {
    let symbols = symbols(snap);
    Some(symbols.names.text(symbols.declaration(decl)?.name))
}

/// Where the name at `offset` is declared (a misspelt reference: the declaration it meant).
pub fn definition(snap: &Snapshot, file: FileId, offset: usize) -> Option<Span> {
    let symbols = symbols(snap);
    let decl = symbols.definition(file, offset)?;
    symbols.declaration(decl).map(|d| d.name_span)
}

/// Every use of the name at `offset`, with its declaration when asked for.
pub fn references(
    snap: &Snapshot,
    file: FileId,
    offset: usize,
    include_declaration: bool,
) -> Vec<Span> {
    let symbols = symbols(snap);
    let Some(decl) = symbols.definition(file, offset) else {
        return Vec::new();
    };
    let mut spans: Vec<Span> = symbols.references(decl).map(|r| r.span).collect();
    if include_declaration && let Some(entry) = symbols.declaration(decl) {
        spans.insert(0, entry.name_span);
    }
    spans
}

/// The occurrences in the same file, the declaration marked as the write.
pub fn highlights(snap: &Snapshot, file: FileId, offset: usize) -> Vec<(Span, bool)> {
    let symbols = symbols(snap);
    let Some(decl) = symbols.definition(file, offset) else {
        return Vec::new();
    };
    let name_span = symbols.declaration(decl).map(|d| d.name_span);
    symbols
        .occurrences(decl)
        .into_iter()
        .filter(|s| s.file == file)
        .map(|s| (s, Some(s) == name_span))
        .collect()
}

/// The span a rename would change, or why it cannot (the core's reason).
pub fn prepare_rename(snap: &Snapshot, file: FileId, offset: usize) -> Result<Span, String> {
    core_ide::prepare_rename(symbols(snap), file, offset)
        .map(|(_, span)| span)
        .map_err(|e| e.to_string())
}

/// The edits of a rename across files, or why it is refused (the core's reason).
pub fn rename(
    snap: &Snapshot,
    file: FileId,
    offset: usize,
    new_name: &str,
) -> Result<Vec<core_ide::Edit>, String> {
    let (decl, _) =
        core_ide::prepare_rename(symbols(snap), file, offset).map_err(|e| e.to_string())?;
    core_ide::rename_edits(&snap.analysis.model, decl, new_name).map_err(|e| e.to_string())
}

/// A declaration with the statements that open blocks nested inside it.
#[derive(Debug, PartialEq, Eq)]
pub struct Outline {
    pub name: String,
    pub detail: Option<String>,
    pub kind: Option<ast::Kind>,
    pub span: Span,
    pub selection: Span,
    pub children: Vec<Outline>,
}

pub fn outline(snap: &Snapshot, file: FileId) -> Vec<Outline> {
    let Some(parsed) = parse(snap, file) else {
        return Vec::new();
    };
    /// Statements with blocks, outermost first, until `room` is spent.
    fn blocks(block: &ast::Block, room: &mut usize) -> Vec<Outline> {
        let mut found = Vec::new();
        for stmt in &block.stmts {
            let Some(inner) = stmt.block.as_ref() else {
                continue;
            };
            if *room == 0 {
                break;
            }
            *room -= 1;
            let first = stmt.values().next().map(|v| match &v.kind {
                ast::ValueKind::Word(w) => w.clone(),
                other => other.describe(),
            });
            found.push(Outline {
                name: stmt.key.text.clone(),
                detail: first,
                kind: None,
                span: stmt.span,
                selection: stmt.key.span,
                children: blocks(inner, room),
            });
        }
        found
    }
    // Every declaration, and nested statements up to a budget: a file of 4 MiB can hold
    // 400,000 blocks, an outline no editor can show, which took 16 s and 4.8 GB to send.
    let mut room = MAX_OUTLINE_STATEMENTS;
    parsed
        .decls
        .iter()
        .map(|decl| Outline {
            name: decl.name.text.clone(),
            detail: decl.title.as_ref().map(|(t, _)| t.clone()),
            kind: Some(decl.kind),
            span: decl.span,
            selection: decl.name.span,
            children: blocks(&decl.body, &mut room),
        })
        .collect()
}

/// The most nested statements a document outline shows (declarations are always shown).
pub const MAX_OUTLINE_STATEMENTS: usize = 10_000;

/// Declarations whose name contains `query` (case-insensitive), user files first.
pub fn workspace_symbols<'s>(snap: &'s Snapshot, query: &str) -> Vec<(&'s DeclEntry, &'s str)> {
    let query = query.to_lowercase();
    let symbols = symbols(snap);
    let mut found: Vec<(&DeclEntry, &str)> = symbols
        .declarations()
        .iter()
        .map(|d| (d, symbols.names.text(d.name)))
        .filter(|(_, name)| name.to_lowercase().contains(&query))
        .collect();
    found.sort_by_key(|(d, _)| d.from_stdlib);
    found
}

/// The classes of semantic tokens, in the order of the legend.
pub const TOKEN_TYPES: [&str; 8] = [
    "keyword",
    "type",
    "property",
    "variable",
    "enumMember",
    "string",
    "number",
    "comment",
];

/// `(start, end, class)` for every token worth colouring, in order.
pub fn semantic_tokens(snap: &Snapshot, file: FileId) -> Vec<(usize, usize, u32)> {
    let source = snap.sources.get(file);
    if source.origin == Origin::Config {
        return Vec::new();
    }
    let text = &source.text;
    let tokens = lossless::Tokens::new(text);
    let parsed = syntax::parse(file, text);
    let mut class_at: std::collections::HashMap<usize, u32> = std::collections::HashMap::new();
    fn keys(block: &ast::Block, class_at: &mut std::collections::HashMap<usize, u32>) {
        for stmt in &block.stmts {
            class_at.insert(stmt.key.span.start as usize, 2);
            if let Some(inner) = &stmt.block {
                keys(inner, class_at);
            }
        }
    }
    for decl in &parsed.decls {
        class_at.insert(decl.span.start as usize, 0);
        class_at.insert(decl.name.span.start as usize, 1);
        keys(&decl.body, &mut class_at);
    }
    for r in symbols(snap).references_in(file) {
        class_at.insert(r.span.start as usize, 3);
    }
    tokens
        .tokens
        .iter()
        .filter_map(|t| {
            let class = match t.kind {
                lossless::TokenKind::Comment => 7,
                lossless::TokenKind::Str => 5,
                lossless::TokenKind::Number => 6,
                lossless::TokenKind::Word => {
                    class_at.get(&(t.start as usize)).copied().unwrap_or(4)
                }
                _ => return None,
            };
            Some((t.start as usize, t.end as usize, class))
        })
        .collect()
}

/// Blocks over several lines, and runs of comment lines.
pub fn folding_ranges(snap: &Snapshot, file: FileId) -> Vec<(usize, usize, bool)> {
    let Some(parsed) = parse(snap, file) else {
        return Vec::new();
    };
    let mut ranges = Vec::new();
    fn blocks(block: &ast::Block, ranges: &mut Vec<(usize, usize, bool)>) {
        ranges.push((block.span.start as usize, block.span.end as usize, false));
        for stmt in &block.stmts {
            if let Some(inner) = &stmt.block {
                blocks(inner, ranges);
            }
        }
    }
    for decl in &parsed.decls {
        blocks(&decl.body, &mut ranges);
    }
    let text = &snap.sources.get(file).text;
    let tokens = lossless::Tokens::new(text);
    let mut run: Option<(usize, usize)> = None;
    let mut newlines = 0;
    for t in &tokens.tokens {
        match t.kind {
            lossless::TokenKind::Comment => {
                run = Some(run.map_or((t.start as usize, t.end as usize), |(s, _)| {
                    (s, t.end as usize)
                }));
                newlines = 0;
            }
            lossless::TokenKind::Newline => newlines += 1,
            lossless::TokenKind::Space => {}
            _ => {
                if let Some(r) = run.take() {
                    ranges.push((r.0, r.1, true));
                }
                newlines = 0;
            }
        }
        if newlines > 1
            && let Some(r) = run.take()
        {
            ranges.push((r.0, r.1, true));
        }
    }
    if let Some(r) = run {
        ranges.push((r.0, r.1, true));
    }
    ranges
}

/// `http(s)://` URLs inside strings: the byte range of the URL and its text.
pub fn links(snap: &Snapshot, file: FileId) -> Vec<(usize, usize, String)> {
    let text = &snap.sources.get(file).text;
    let tokens = lossless::Tokens::new(text);
    let mut found = Vec::new();
    for t in tokens
        .tokens
        .iter()
        .filter(|t| t.kind == lossless::TokenKind::Str)
    {
        let Some(string) = text.get(t.range()) else {
            continue;
        };
        let mut from = 0;
        while let Some(at) = ["https://", "http://"]
            .iter()
            .filter_map(|scheme| string[from..].find(scheme))
            .min()
        {
            let start = from + at;
            let len = string[start..]
                .find(|c: char| c.is_whitespace() || c == '"' || c == '\\')
                .unwrap_or(string.len() - start);
            let url = string[start..start + len].trim_end_matches(['.', ',', ')', ';']);
            let begin = t.start as usize + start;
            found.push((begin, begin + url.len(), url.to_string()));
            from = start + len.max(1);
        }
    }
    found
}

/// The formatted text, or why the file cannot be formatted.
pub fn format_document(snap: &Snapshot, file: FileId) -> Result<Option<String>, String> {
    let source = snap.sources.get(file);
    if source.origin != Origin::User {
        return Ok(None);
    }
    match fmt::format(file, &source.text) {
        Ok(formatted) if formatted == source.text => Ok(None),
        Ok(formatted) => Ok(Some(formatted)),
        Err(fmt::FmtError::Syntax(errors)) => Err(format!(
            "the file has {} syntax error{}: fix {} to format it",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            if errors.len() == 1 { "it" } else { "them" }
        )),
        Err(fmt::FmtError::Bug(why)) => Err(format!(
            "the formatter refused this file to keep it intact (a bug in lawful): {why}"
        )),
    }
}

/// Formats the declarations that overlap `range`: one edit replacing them with their
/// formatted text (the formatter keeps declarations in order, comments with them).
pub fn format_range(
    snap: &Snapshot,
    file: FileId,
    range: std::ops::Range<usize>,
) -> Result<Option<(std::ops::Range<usize>, String)>, String> {
    let Some(formatted) = format_document(snap, file)? else {
        return Ok(None);
    };
    let text = &snap.sources.get(file).text;
    let before = syntax::parse(file, text).decls;
    let after = syntax::parse(file, &formatted).decls;
    if before.len() != after.len() {
        return Ok(None);
    }
    let overlapping: Vec<usize> = before
        .iter()
        .enumerate()
        .filter(|(_, d)| (d.span.start as usize) <= range.end && range.start <= d.span.end as usize)
        .map(|(i, _)| i)
        .collect();
    let (Some(&first), Some(&last)) = (overlapping.first(), overlapping.last()) else {
        return Ok(None);
    };
    let old = before[first].span.start as usize..before[last].span.end as usize;
    let new = after[first].span.start as usize..after[last].span.end as usize;
    let Some(replacement) = formatted.get(new) else {
        return Ok(None);
    };
    if text.get(old.clone()) == Some(replacement) {
        return Ok(None);
    }
    Ok(Some((old, replacement.to_string())))
}
