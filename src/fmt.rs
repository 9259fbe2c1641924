//! `lawful fmt`: the one canonical layout of a `.lawful` file. Text in, text out; no I/O.
//!
//! The layout is printed from the syntax tree, with comments and blank lines taken from the
//! lossless token table ([`crate::syntax::lossless`]). Before the text is handed back it is
//! parsed again and compared with the input: same declarations, keys, values (as written),
//! nesting, and the same comments in the same order. Any difference is a formatter bug and
//! nothing is returned. See `docs/formatting.md` for the layout.

use crate::diag::Diagnostic;
use crate::source::FileId;
use crate::syntax::ast::{Block, Decl, Item, Kind, Stmt, Value, ValueKind};
use crate::syntax::lossless::{TokenKind, Tokens, closing_brace};
use crate::syntax::{self};

/// Lines are wrapped to fit this many characters (Unicode scalars), where they can be.
pub const WIDTH: usize = 100;
const INDENT: &str = "  ";

#[derive(Debug)]
pub enum FmtError {
    /// The file has syntax errors (E001): it is not formatted.
    Syntax(Vec<Diagnostic>),
    /// The formatted text would not parse to the same tree and comments: a formatter bug.
    Bug(String),
}

/// Formats one file. `file` is the id its syntax errors point into.
pub fn format(file: FileId, text: &str) -> Result<String, FmtError> {
    let parsed = syntax::parse(file, text);
    if !parsed.diagnostics.is_empty() {
        return Err(FmtError::Syntax(parsed.diagnostics));
    }
    let tokens = Tokens::new(text);
    let out = Layout {
        text,
        tokens: &tokens,
        lines: Vec::new(),
        fresh: false,
        commented: false,
    }
    .file(&parsed.decls);
    // A file already in canonical form is given back as it is: nothing to verify.
    if out != text {
        // What must not change, kept as a digest so that the input's tree and tokens are
        // freed before the output is parsed: a 4 MiB file's tree and pest's queue for the
        // next parse do not fit in the memory budget together.
        let before = digest(text, &parsed.decls);
        let comments = tokens.comments(text);
        drop(tokens);
        drop(parsed);
        verify(file, text, before, &comments, &out)?;
    }
    Ok(out)
}

/// The output's tree and comments must be the input's.
fn verify(
    file: FileId,
    text: &str,
    before: u64,
    comments: &[&str],
    out: &str,
) -> Result<(), FmtError> {
    let again = syntax::parse(FileId(0), out);
    if let Some(error) = again.diagnostics.first() {
        return Err(FmtError::Bug(format!(
            "the formatted text does not parse ({} at byte {})",
            error.message,
            error.primary.map_or(0, |span| span.start)
        )));
    }
    if digest(out, &again.decls) != before {
        // A formatter bug: parse the input again to say where the trees part.
        let input = syntax::parse(file, text);
        let (before, after) = (shape(text, &input.decls), shape(out, &again.decls));
        let at = (0..before.len().max(after.len()))
            .find(|&i| before.get(i) != after.get(i))
            .unwrap_or(0);
        return Err(FmtError::Bug(format!(
            "the formatted text parses differently: {:?} became {:?}",
            before.get(at),
            after.get(at)
        )));
    }
    drop(again);
    let new = Tokens::new(out);
    let new = new.comments(out);
    if comments != new.as_slice() {
        return Err(FmtError::Bug(format!(
            "the formatted text does not keep the comments ({} before, {} after)",
            comments.len(),
            new.len()
        )));
    }
    Ok(())
}

/// A hash of [`shape`]'s picture, computed without building it. A value is hashed as
/// written (which decides its kind); a difference is then found by comparing the pictures.
fn digest(text: &str, decls: &[Decl]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    walk_shapes(text, decls, &mut |shape| match shape {
        Shape::Decl(kind, name, title) => (0u8, kind as u8, name, title).hash(&mut hasher),
        Shape::Open => 1u8.hash(&mut hasher),
        Shape::Close => 2u8.hash(&mut hasher),
        Shape::Stmt(key) => (3u8, key).hash(&mut hasher),
        Shape::Item(values) => {
            4u8.hash(&mut hasher);
            for (_, written) in values {
                written.hash(&mut hasher);
            }
        }
    });
    hasher.finish()
}

/// A flat, comparable picture of a tree: what must not change. Values compare as written
/// (a string's escapes, a number's underscores), except that a duration's blanks may.
#[derive(Debug, PartialEq)]
enum Shape<'a> {
    Decl(Kind, &'a str, Option<&'a str>),
    Open,
    Close,
    Stmt(&'a str),
    Item(Vec<(&'a ValueKind, String)>),
}

fn shape<'a>(text: &'a str, decls: &'a [Decl]) -> Vec<Shape<'a>> {
    let mut out = Vec::new();
    walk_shapes(text, decls, &mut |shape| out.push(shape));
    out
}

/// Calls `f` with each element of a tree's picture, in order.
fn walk_shapes<'a>(text: &'a str, decls: &'a [Decl], f: &mut impl FnMut(Shape<'a>)) {
    fn walk<'a>(text: &'a str, block: &'a Block, f: &mut impl FnMut(Shape<'a>)) {
        f(Shape::Open);
        for stmt in &block.stmts {
            f(Shape::Stmt(&stmt.key.text));
            for item in &stmt.items {
                let values = item.values.iter().map(|v| (&v.kind, value_text(text, v)));
                f(Shape::Item(values.collect()));
            }
            if let Some(inner) = &stmt.block {
                walk(text, inner, f);
            }
        }
        f(Shape::Close);
    }
    for decl in decls {
        let title = decl.title.as_ref().map(|(_, span)| &text[span.range()]);
        f(Shape::Decl(decl.kind, &decl.name.text, title));
        walk(text, &decl.body, f);
    }
}

/// A value as written; a duration with one space between its number and unit.
fn value_text(text: &str, value: &Value) -> String {
    let raw = &text[value.span.range()];
    match value.kind {
        ValueKind::Duration(..) => raw
            .split([' ', '\t', '\u{FEFF}'])
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        _ => raw.to_string(),
    }
}

// A statement's span runs on over the blanks and comment after it (pest's implicit
// whitespace), and so may an item's: the layout measures gaps from the last token instead.

/// Where a statement's last token ends.
fn stmt_end(stmt: &Stmt) -> usize {
    match &stmt.block {
        Some(block) => block.span.end as usize,
        None => stmt
            .items
            .last()
            .map_or(stmt.key.span.end as usize, item_end),
    }
}

fn item_end(item: &Item) -> usize {
    item.values.last().map_or(item.span.end, |v| v.span.end) as usize
}

fn item_start(item: &Item) -> usize {
    item.values
        .first()
        .map_or(item.span.start, |v| v.span.start) as usize
}

/// Characters a line takes on screen (text with a line break counts as too wide).
fn width(text: &str) -> usize {
    if text.contains(['\n', '\r']) {
        usize::MAX / 4
    } else {
        text.chars().count()
    }
}

/// A comment in a gap between two tokens of the tree.
struct Note<'t> {
    text: &'t str,
    /// It starts its line; otherwise it trails the token before it.
    own_line: bool,
    /// A blank line separates it from what comes before.
    blank_before: bool,
}

struct Gap<'t> {
    notes: Vec<Note<'t>>,
    /// A blank line separates the last comment (or the gap's start) from the gap's end.
    blank_after: bool,
}

struct Layout<'a> {
    text: &'a str,
    tokens: &'a Tokens,
    lines: Vec<String>,
    /// The last line opened a block: no blank line may follow it.
    fresh: bool,
    /// The last line ends with a comment: another comment cannot trail it.
    commented: bool,
}

impl<'a> Layout<'a> {
    fn push(&mut self, line: String) {
        self.lines.push(line);
        self.fresh = false;
        self.commented = false;
    }

    fn push_comment(&mut self, depth: usize, comment: &str) {
        self.push(INDENT.repeat(depth) + comment);
        self.commented = true;
    }

    fn blank(&mut self) {
        if !self.fresh && self.lines.last().is_some_and(|line| !line.is_empty()) {
            self.lines.push(String::new());
        }
    }

    /// A comment on the last line; on a line of its own at `depth` when that line already
    /// ends with one (`KIND NAME # a` + `{ # b`: both trailed the header's line).
    fn trailing(&mut self, depth: usize, comment: &str) {
        match self.lines.last_mut() {
            Some(line) if !line.is_empty() && !self.commented => {
                line.push(' ');
                line.push_str(comment);
                self.commented = true;
            }
            _ => self.push_comment(depth, comment),
        }
    }

    /// The comments and line breaks between `from` and `to`.
    fn gap(&self, from: usize, to: usize, line_start: bool) -> Gap<'a> {
        let mut newlines = usize::from(line_start);
        let mut notes = Vec::new();
        for token in self.tokens.between(from, to) {
            match token.kind {
                TokenKind::Newline => newlines += 1,
                TokenKind::Comment => {
                    notes.push(Note {
                        text: self.text[token.range()].trim_end(),
                        own_line: newlines > 0,
                        blank_before: newlines >= 2,
                    });
                    newlines = 0;
                }
                _ => {}
            }
        }
        Gap {
            notes,
            blank_after: newlines >= 2,
        }
    }

    /// Own-line comments at `depth`, trailing ones on the line before.
    fn notes(&mut self, notes: &[Note<'_>], depth: usize) {
        for note in notes {
            if note.own_line {
                if note.blank_before {
                    self.blank();
                }
                self.push_comment(depth, note.text);
            } else {
                self.trailing(depth, note.text);
            }
        }
    }

    fn file(mut self, decls: &[Decl]) -> String {
        let mut previous: Option<(usize, bool)> = None;
        for decl in decls {
            let one_line = self.one_line_decl(decl);
            let start = decl.span.start as usize;
            match previous {
                None => {
                    let gap = self.gap(0, start, true);
                    self.notes(&gap.notes, 0);
                    if gap.blank_after {
                        self.blank();
                    }
                }
                Some((end, previous_one_line)) => {
                    // One blank line between declarations; a run of one-line declarations
                    // (a table) keeps the user's choice of none or one.
                    let table = previous_one_line && one_line.is_some();
                    let gap = self.gap(end, start, false);
                    let mut first_own = true;
                    for note in &gap.notes {
                        if !note.own_line {
                            self.trailing(0, note.text);
                            continue;
                        }
                        if (first_own && !table) || note.blank_before {
                            self.blank();
                        }
                        first_own = false;
                        self.push_comment(0, note.text);
                    }
                    if gap.blank_after || (first_own && !table) {
                        self.blank();
                    }
                }
            }
            let end = decl.span.end as usize;
            let one = one_line.is_some();
            self.decl(decl, one_line);
            previous = Some((end, one));
        }
        let from = previous.map_or(0, |(end, _)| end);
        let gap = self.gap(from, self.text.len(), previous.is_none());
        self.notes(&gap.notes, 0);
        while self.lines.last().is_some_and(String::is_empty) {
            self.lines.pop();
        }
        if self.lines.is_empty() {
            return String::new();
        }
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }

    fn header(&self, decl: &Decl) -> (String, usize) {
        let mut header = format!("{} {}", decl.kind.keyword(), decl.name.text);
        let mut end = decl.name.span.end as usize;
        if let Some((_, span)) = &decl.title {
            header.push(' ');
            header.push_str(&self.text[span.range()]);
            end = span.end as usize;
        }
        (header, end)
    }

    fn one_line_decl(&self, decl: &Decl) -> Option<String> {
        let (header, end) = self.header(decl);
        self.one_line_block(&decl.body, decl.span.start as usize, end, width(&header))
    }

    fn decl(&mut self, decl: &Decl, one_line: Option<String>) {
        let (header, end) = self.header(decl);
        match one_line {
            Some(block) => self.push(format!("{header} {block}")),
            None => self.block(&decl.body, header, end, 0),
        }
    }

    /// A block kept on one line: an empty one without comments (`{}`), or one written on one
    /// line with no comment and no nested block that still fits there (`{ eea; consent-age 14 }`).
    /// `from` is where its line starts in the input, `head_end` where the text before `{` ends,
    /// `prefix` the output's width before the ` {`.
    fn one_line_block(
        &self,
        block: &Block,
        from: usize,
        head_end: usize,
        prefix: usize,
    ) -> Option<String> {
        let close = closing_brace(self.text, block)?;
        let inside = self.tokens.between(head_end, close);
        if inside.iter().any(|t| t.kind == TokenKind::Comment) {
            return None;
        }
        if block.stmts.is_empty() {
            return Some("{}".to_string());
        }
        let one_line_in_source = !self
            .tokens
            .between(from, close)
            .iter()
            .any(|t| t.kind == TokenKind::Newline);
        if !one_line_in_source || block.stmts.iter().any(|s| s.block.is_some()) {
            return None;
        }
        let stmts: Vec<String> = block.stmts.iter().map(|s| self.flat_stmt(s)).collect();
        let text = format!("{{ {} }}", stmts.join("; "));
        (prefix + 1 + width(&text) <= WIDTH).then_some(text)
    }

    fn flat_stmt(&self, stmt: &Stmt) -> String {
        let items: Vec<String> = stmt.items.iter().map(|i| self.item(i)).collect();
        if items.is_empty() {
            stmt.key.text.clone()
        } else {
            format!("{} {}", stmt.key.text, items.join(", "))
        }
    }

    fn item(&self, item: &Item) -> String {
        let values: Vec<String> = item
            .values
            .iter()
            .map(|v| value_text(self.text, v))
            .collect();
        values.join(" ")
    }

    /// `head {`, the statements one level deeper, `}`. `head` is the whole line before ` {`.
    fn block(&mut self, block: &Block, head: String, head_end: usize, depth: usize) {
        let open = block.span.start as usize;
        let close = closing_brace(self.text, block).unwrap_or(block.span.end as usize);
        self.push(head + " {");
        self.fresh = true;
        let gap = self.gap(head_end, open, false);
        self.notes(&gap.notes, depth + 1);
        let mut previous = open + 1;
        for stmt in &block.stmts {
            let gap = self.gap(previous, stmt.span.start as usize, false);
            self.notes(&gap.notes, depth + 1);
            if gap.blank_after {
                self.blank();
            }
            self.stmt(stmt, depth + 1);
            previous = stmt_end(stmt);
        }
        let gap = self.gap(previous, close, false);
        self.notes(&gap.notes, depth + 1);
        self.push(INDENT.repeat(depth) + "}");
    }

    fn stmt(&mut self, stmt: &Stmt, depth: usize) {
        let indent = INDENT.repeat(depth);
        let items: Vec<String> = stmt.items.iter().map(|i| self.item(i)).collect();
        let gaps: Vec<Gap<'a>> = stmt
            .items
            .windows(2)
            .map(|pair| self.gap(item_end(&pair[0]), item_start(&pair[1]), false))
            .collect();
        let head_end = stmt
            .items
            .last()
            .map_or(stmt.key.span.end as usize, item_end);
        let mut line = format!("{indent}{}", stmt.key.text);
        let flat = if items.is_empty() {
            line.clone()
        } else {
            format!("{line} {}", items.join(", "))
        };
        let has_notes = gaps.iter().any(|g| !g.notes.is_empty());

        // The whole statement on one line, its block too if that may stay on one line.
        if !has_notes {
            let one_block = stmt
                .block
                .as_ref()
                .map(|b| self.one_line_block(b, stmt.span.start as usize, head_end, width(&flat)));
            match (&stmt.block, one_block) {
                (None, _) if width(&flat) <= WIDTH => return self.push(flat),
                (Some(_), Some(Some(text))) => return self.push(format!("{flat} {text}")),
                (Some(block), _) if width(&flat) + 2 <= WIDTH => {
                    return self.block(block, flat, head_end, depth);
                }
                _ => {}
            }
        }

        // Wrapped: as many items per line as fit, continuation lines aligned with the first
        // value; a comment after an item's comma ends its line.
        let pad = " ".repeat(width(&line) + 1);
        if let Some(first) = items.first() {
            line.push(' ');
            line.push_str(first);
        }
        for (i, item) in items.iter().enumerate().skip(1) {
            line.push(',');
            let mut broken = false;
            for note in &gaps[i - 1].notes {
                if note.own_line {
                    self.push(std::mem::take(&mut line));
                    line = format!("{pad}{}", note.text);
                } else {
                    line.push(' ');
                    line.push_str(note.text);
                }
                broken = true;
            }
            let tail = if i + 1 == items.len() {
                if stmt.block.is_some() { 2 } else { 0 }
            } else {
                1
            };
            if !broken && width(&line) + 1 + width(item) + tail <= WIDTH {
                line.push(' ');
                line.push_str(item);
            } else {
                self.push(std::mem::take(&mut line));
                line = format!("{pad}{item}");
            }
        }
        match &stmt.block {
            Some(block) => self.block(block, line, head_end, depth),
            None => self.push(line),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        match format(FileId(0), text) {
            Ok(out) => out,
            Err(error) => panic!("{error:?}"),
        }
    }

    #[test]
    fn expands_blocks_and_separates_declarations() {
        assert_eq!(
            fmt("party  a   \"A\"{role processor\n\n\n country US;certified dpf}\nparty b {\n}\n"),
            "party a \"A\" {\n  role processor\n\n  country US\n  certified dpf\n}\n\nparty b {}\n"
        );
    }

    #[test]
    fn keeps_a_short_one_line_declaration() {
        assert_eq!(
            fmt(
                "country AT   \"Austria\"  { eea ;authority \"Datenschutzbehörde\"; consent-age 14 }\ncountry BE {eea}"
            ),
            "country AT \"Austria\" { eea; authority \"Datenschutzbehörde\"; consent-age 14 }\ncountry BE { eea }\n"
        );
    }

    /// The safety net: an output that loses a comment, changes a value, moves a statement into
    /// another block or does not parse is refused.
    #[test]
    fn verify_refuses_any_change_of_meaning() {
        let text =
            "party a { # c\n  role processor\n  signed 2025-03-01\n  x { y \"q\\u{e9}\" }\n}\n";
        let parsed = syntax::parse(FileId(0), text);
        let before = digest(text, &parsed.decls);
        let tokens = Tokens::new(text);
        let comments = tokens.comments(text);
        assert!(verify(FileId(0), text, before, &comments, text).is_ok());
        for (changed, why) in [
            (
                "party a {\n  role processor\n  signed 2025-03-01\n  x { y \"q\\u{e9}\" }\n}\n",
                "comments",
            ),
            (
                "party a { # c\n  role processor\n  signed 2025-3-01\n  x { y \"q\\u{e9}\" }\n}\n",
                "parse",
            ),
            (
                "party a { # c\n  role processor\n  signed 2025-03-01\n  x { y \"qé\" }\n}\n",
                "differently",
            ),
            (
                "party a { # c\n  role processor\n  signed 2025-03-01\n  x {}\n  y \"q\\u{e9}\"\n}\n",
                "differently",
            ),
            ("party a { # c\n  role processor\n}\n", "differently"),
            (
                "party a { # c\n  role processor\n  signed 2025-03-01\n  x { y \"q\\u{e9}\" }\n",
                "parse",
            ),
        ] {
            match verify(FileId(0), text, before, &comments, changed) {
                Err(FmtError::Bug(message)) => assert!(message.contains(why), "{message}"),
                other => panic!("{changed:?} was accepted: {other:?}"),
            }
        }
    }

    #[test]
    fn refuses_a_syntax_error() {
        match format(FileId(3), "activity a {\n  purpose ,\n}\n") {
            Err(FmtError::Syntax(diagnostics)) => {
                assert_eq!(diagnostics.len(), 1);
                assert_eq!(diagnostics[0].code, "E001");
                assert_eq!(diagnostics[0].primary.map(|s| s.file), Some(FileId(3)));
            }
            other => panic!("{other:?}"),
        }
    }
}
