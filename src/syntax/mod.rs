//! Text → syntax tree, with error recovery: one syntax error yields one E001 and everything
//! else in the file still parses.

pub mod ast;
pub mod lossless;

use crate::diag::Diagnostic;
use crate::source::{FileId, LineIndex, Span};
use crate::suggest;
use crate::time::{Date, DateTime, Unit};
use ast::{Block, Decl, Item, Kind, Name, Stmt, Value, ValueKind};
use pest::Parser as _;
use pest::iterators::Pair;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/lawful.pest"]
struct LawfulParser;

/// Bytes past a swallowed region that the strict probe may read to explain it.
const PROBE_WINDOW: usize = 4096;

/// Blocks may nest this deep (the language promises at least 64); deeper input is an E001.
pub const MAX_NESTING: usize = 64;

#[derive(Debug, Default)]
pub struct Parsed {
    pub decls: Vec<Decl>,
    pub diagnostics: Vec<Diagnostic>,
    /// Names of declarations lost to a syntax error in their header (`activty two {…}`):
    /// references to them elsewhere are not reported as unresolved on top of the E001.
    pub lost_names: Vec<String>,
}

/// Parses one file. Never panics; every problem becomes a diagnostic.
pub fn parse(file: FileId, text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    if let Some(offset) = too_deep_at(text) {
        parsed.diagnostics.push(
            Diagnostic::new(
                "E001",
                Span::new(file, offset..offset + 1),
                format!("blocks are nested more than {MAX_NESTING} levels deep"),
            )
            .with_help("flatten the structure; Lawful never needs this much nesting")
            .with_note("the rest of this file is not checked"),
        );
        return parsed;
    }
    let fast = build(file, text, Rule::file_fast);
    if !fast.full_grammar_needed {
        return fast.parsed;
    }
    // Only the full grammar knows where the blocks around that statement end. The fast tree
    // goes first, so a file never holds two trees at once.
    drop(fast);
    build(file, text, Rule::file).parsed
}

/// [`parse`] with the full grammar only, never the fast one: what `parse` must equal on
/// every input (the tests and the parse fuzzer compare the two).
pub fn parse_with_full_grammar(file: FileId, text: &str) -> Parsed {
    if too_deep_at(text).is_some() {
        return parse(file, text);
    }
    build(file, text, Rule::file).parsed
}

/// What [`build`] made of a file, and whether the fast grammar's tree may differ from the
/// full grammar's.
///
/// Why the two agree unless a statement is broken or could start a declaration: the
/// grammars run alike until the full one's `!decl_start` stops a block at some X, where a
/// declaration header starts. Without a broken statement in the fast tree, no statement the
/// fast run tried ever failed (a failed one is always followed by a `bad_statement` that
/// stays in the tree, at its place or around it), so the fast run reached X in the same
/// block and kept what it found there: a statement whose key is a kind and which has a
/// block. That statement is probed with the full grammar's own `decl_ahead`.
struct Built {
    parsed: Parsed,
    full_grammar_needed: bool,
}

/// Parses `text` with `grammar` (`file` or `file_fast`) and builds its tree.
fn build(file: FileId, text: &str, grammar: Rule) -> Built {
    let mut parsed = Parsed::default();
    let pairs = match LawfulParser::parse(grammar, text) {
        Ok(pairs) => pairs,
        Err(error) => {
            // The tolerant grammar accepts any text; this is a safety net, not a path we expect.
            parsed
                .diagnostics
                .push(syntax_error(file, text, 0, &error, Context::Declaration));
            return Built {
                parsed,
                full_grammar_needed: false,
            };
        }
    };
    let mut builder = Builder {
        fast: grammar == Rule::file_fast,
        full_grammar_needed: false,
        file,
        text,
        diagnostics: &mut parsed.diagnostics,
        lost_statement: false,
        swallowed_to_end: false,
        unclosed_blocks: 0,
        suspect_open: None,
        unclosed_here: false,
        last_broken_line: None,
        lines: Lines::new(text),
        depth: 0,
    };
    let mut previous_was_bad = false;
    for pair in pairs.flatten().take(1).flat_map(|file| file.into_inner()) {
        if builder.full_grammar_needed {
            break;
        }
        match pair.as_rule() {
            Rule::declaration | Rule::declaration_fast => {
                previous_was_bad = false;
                parsed.decls.push(builder.declaration(pair));
            }
            Rule::bad_declaration => {
                // A run of broken lines (say, the body of a declaration whose `{` was lost)
                // is one mistake: report its first line only.
                // A lone `}` after a block reported unclosed is that block's brace, come late;
                // after a declaration that reported a syntax error, it is the brace that error
                // displaced.
                if pair.as_str().trim() == "}" {
                    if builder.unclosed_blocks > 0 {
                        builder.unclosed_blocks -= 1;
                        continue;
                    }
                    if !previous_was_bad
                        && let Some(decl) = parsed.decls.last_mut().filter(|d| d.recovered)
                    {
                        // The brace the error above displaced: the layout after it is a guess.
                        decl.unclosed = true;
                        previous_was_bad = true;
                        continue;
                    }
                    // A `}` left over after a declaration means its braces did not pair up
                    // (a `{` forgotten inside it): which statement sits in which block is a guess.
                    if !previous_was_bad && let Some(decl) = parsed.decls.last_mut() {
                        decl.recovered = true;
                        decl.unclosed = true;
                        // Where the lines below a statement are indented as its block, that
                        // statement lost its `{`: the place to fix, reported instead of the `}`.
                        if let Some(stmt) = missing_open_brace(&decl.body, &builder.lines) {
                            // Just after the statement's last token (its span runs on over
                            // the blanks and comment after it).
                            let line_end = stmt
                                .values()
                                .last()
                                .map_or(stmt.key.span.end, |value| value.span.end)
                                as usize;
                            builder.diagnostics.push(
                                Diagnostic::new(
                                    "E001",
                                    Span::new(file, line_end..line_end),
                                    format!("`{}` has no `{{`, but the lines below are indented as its block", stmt.key.text),
                                )
                                .with_help(format!("add `{{` at the end of this line, so the block's `}}` pairs with it (the `}}` on line {} is left over)", builder.lines.line_of(pair.as_span().start()) + 1)),
                            );
                            previous_was_bad = true;
                            continue;
                        }
                    }
                }
                if !previous_was_bad {
                    let start = pair.as_span().start();
                    let previous = if looks_like_a_statement(pair.as_str()) {
                        parsed.decls.last_mut()
                    } else {
                        None
                    };
                    match previous {
                        // The declaration above already reported a syntax error, which is what
                        // closed it early (a stray `}` or quote): these lines are its follow-on.
                        // Its braces did not pair up, so its layout is a guess too.
                        Some(decl) if decl.recovered => decl.unclosed = true,
                        // A `}` too many closed the declaration above early: its remaining
                        // statements are lost to it, which is what the user needs to hear.
                        Some(decl) => {
                            decl.recovered = true;
                            decl.unclosed = true;
                            let word_end = pair
                                .as_str()
                                .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
                                .unwrap_or(pair.as_str().len());
                            builder.diagnostics.push(
                                Diagnostic::new(
                                    "E001",
                                    Span::new(file, start..start + word_end.max(1)),
                                    format!("`{}` stands outside any declaration", &pair.as_str()[..word_end]),
                                )
                                .with_related(decl.name.span, "this declaration was closed above it")
                                .with_help("a `}` above closes the declaration early: remove it, so these statements belong to it again"),
                            );
                        }
                        None => {
                            builder.report(start, pair.as_span().end(), Context::Declaration);
                            if let Some(name) = declared_name(pair.as_str()) {
                                parsed.lost_names.push(name);
                            }
                        }
                    }
                }
                previous_was_bad = true;
            }
            _ => {}
        }
    }
    Built {
        full_grammar_needed: builder.full_grammar_needed,
        parsed,
    }
}

/// The statement of `block` (at any depth) that lost its `{`: one without a block whose next
/// statement in the same block is indented deeper, as a block's first line is. A value list
/// continued on the next line stays inside its statement, so it never looks like this.
fn missing_open_brace<'a>(block: &'a Block, lines: &Lines) -> Option<&'a Stmt> {
    for pair in block.stmts.windows(2) {
        let (stmt, next) = (&pair[0], &pair[1]);
        if let Some(inner) = &stmt.block {
            if let Some(found) = missing_open_brace(inner, lines) {
                return Some(found);
            }
            continue;
        }
        let (here, below) = (stmt.key.span.start as usize, next.key.span.start as usize);
        if lines.line_of(below) > lines.line_of(here)
            && lines.indent_of(below) > lines.indent_of(here)
        {
            return Some(stmt);
        }
    }
    block
        .stmts
        .last()
        .and_then(|stmt| stmt.block.as_ref())
        .and_then(|inner| missing_open_brace(inner, lines))
}

/// Where a swallowed region sat, to choose the strict probe that explains it.
#[derive(Clone, Copy)]
enum Context {
    Declaration,
    Statement,
}

struct Builder<'a> {
    /// Whether the tree comes from `file_fast`, which has no `!decl_start` before statements.
    fast: bool,
    /// A statement is broken or could start a declaration: the fast grammar's tree may not be
    /// the full grammar's, and the file is to be parsed again (see [`Built`]).
    full_grammar_needed: bool,
    file: FileId,
    text: &'a str,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// Whether the declaration being built lost a statement to a syntax error.
    lost_statement: bool,
    /// A broken statement ran to the end of the file (an unclosed `"""`): the blocks
    /// around it are unclosed because of it, not by a mistake of their own.
    swallowed_to_end: bool,
    /// Blocks reported unclosed so far: a lone `}` later on is probably theirs.
    unclosed_blocks: usize,
    /// The `{` of a block whose `}` was indented less than the line that opened it: that `}`
    /// probably belonged to an outer block, so this is where a `}` is missing.
    suspect_open: Option<(usize, usize)>,
    /// Whether the declaration being built has a block that never closed.
    unclosed_here: bool,
    /// The line of the last broken statement reported: a second one on the same line is the
    /// same mistake (a stray quote shifts the pairing of the rest of the line).
    last_broken_line: Option<usize>,
    /// Lines and their indentation, computed once: no lookup scans the text.
    lines: Lines,
    /// How many blocks enclose the one being built (1: a declaration's body).
    depth: usize,
}

/// Line starts (for O(log n) line lookups) and each line's indentation in leading blanks, both
/// built in one O(n) pass, so a 10 MB line costs nothing extra per `}` on it.
struct Lines {
    index: LineIndex,
    indents: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let index = LineIndex::new(text);
        let bytes = text.as_bytes();
        let indents = (0..index.line_count())
            .map(|line| {
                bytes[index.line_start(line)..]
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\t'))
                    .count()
            })
            .collect();
        Lines { index, indents }
    }

    /// 0-based line of `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.index.line_of(offset)
    }

    /// Indentation (in characters) of the line holding `offset`, when only blanks precede it
    /// there: the indentation of a `}` that starts its line.
    fn indent_before(&self, offset: usize) -> Option<usize> {
        let line = self.line_of(offset);
        let before = offset - self.index.line_start(line).min(offset);
        (before <= self.indent_of(offset)).then_some(before)
    }

    /// Indentation of the line holding `offset`, whatever precedes `offset` on it.
    fn indent_of(&self, offset: usize) -> usize {
        self.indents.get(self.line_of(offset)).copied().unwrap_or(0)
    }
}

impl Builder<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        Span::new(self.file, span.start()..span.end())
    }

    /// Explains the swallowed region `start..end` with the strict probe. The probe sees the
    /// region and a bounded window after it (where a header's line breaks or a value after a
    /// trailing comma may still be read), never the rest of the file: an error costs
    /// O(region + window), so many errors stay linear in the file.
    fn report(&mut self, start: usize, end: usize, context: Context) {
        let rule = match context {
            Context::Declaration => Rule::declaration_probe,
            Context::Statement => Rule::statement_probe,
        };
        // Blank lines and comments after the region are skipped before the window starts: a
        // header may continue past them. Each run of them follows one region, so this stays
        // linear over the file.
        let bytes = self.text.as_bytes();
        let mut after = end.min(bytes.len());
        while after < bytes.len() {
            match bytes[after] {
                b' ' | b'\t' | b'\r' | b'\n' => after += 1,
                b'#' => {
                    while after < bytes.len() && !matches!(bytes[after], b'\n' | b'\r') {
                        after += 1;
                    }
                }
                _ => break,
            }
        }
        let mut window_end = after.saturating_add(PROBE_WINDOW).min(self.text.len());
        while !self.text.is_char_boundary(window_end) {
            window_end += 1;
        }
        let rest = &self.text[start..window_end];
        let diagnostic = match LawfulParser::parse(rule, rest) {
            Err(error) => syntax_error(self.file, self.text, start, &error, context),
            // The strict probe accepted what the tolerant grammar swallowed: only possible at a
            // nesting boundary; still say something useful rather than nothing.
            Ok(_) => Diagnostic::new(
                "E001",
                Span::new(self.file, start..start + 1),
                "unexpected input",
            )
            .with_help("check the braces and line breaks around here"),
        };
        self.diagnostics.push(diagnostic);
    }

    fn declaration(&mut self, pair: Pair<'_, Rule>) -> Decl {
        let span = self.span(&pair);
        let outer_lost = std::mem::replace(&mut self.lost_statement, false);
        self.unclosed_here = false;
        self.suspect_open = None;
        let mut kind = Kind::Controller;
        let mut name = None;
        let mut title = None;
        let mut body = None;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::kind => kind = Kind::from_keyword(inner.as_str()).unwrap_or(Kind::Controller),
                Rule::name => name = Some(self.name(&inner)),
                Rule::title => {
                    let title_span = self.span(&inner);
                    let text = inner
                        .into_inner()
                        .next()
                        .map(|string| self.string(string))
                        .unwrap_or_default();
                    title = Some((text, title_span));
                }
                Rule::block | Rule::block_fast => body = Some(self.block(inner)),
                _ => {}
            }
        }
        Decl {
            kind,
            name: name.unwrap_or_else(|| Name {
                text: String::new(),
                span,
            }),
            title,
            body: body.unwrap_or(Block {
                stmts: Vec::new(),
                span,
            }),
            span,
            recovered: std::mem::replace(&mut self.lost_statement, outer_lost),
            unclosed: self.unclosed_here,
        }
    }

    /// Whether the full grammar's `!decl_start` would end the block at this statement of the
    /// fast tree: `KIND NAME ["TITLE"] {`. Only a statement whose key is a declaration kind
    /// and which has a block is probed, so the probe runs on almost nothing; it reads no
    /// further than the statement's header.
    fn could_start_declaration(&self, slot: &Pair<'_, Rule>) -> bool {
        if slot.as_rule() != Rule::statement_fast {
            return false;
        }
        let start = slot.as_span().start();
        let rest = &self.text[start..];
        let key = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .map_or(rest, |end| &rest[..end]);
        Kind::from_keyword(key).is_some()
            && slot
                .clone()
                .into_inner()
                .any(|part| part.as_rule() == Rule::block_fast)
            && LawfulParser::parse(Rule::decl_ahead, rest).is_ok()
    }

    fn name(&self, pair: &Pair<'_, Rule>) -> Name {
        Name {
            text: pair.as_str().to_string(),
            span: self.span(pair),
        }
    }

    fn block(&mut self, pair: Pair<'_, Rule>) -> Block {
        let span = self.span(&pair);
        let mut stmts = Vec::new();
        // A block starts at its `{` and, unless `unclosed`, ends just after its `}`: the
        // braces are silent in the grammar (two fewer tokens in pest's queue per brace).
        let open = span.start as usize;
        let mut closed = true;
        let earlier_suspect = self.suspect_open.take();
        self.depth += 1;

        for inner in pair.into_inner() {
            if self.fast
                && (inner.as_rule() == Rule::bad_statement || self.could_start_declaration(&inner))
            {
                self.full_grammar_needed = true;
                break;
            }
            match inner.as_rule() {
                Rule::statement | Rule::statement_fast => {
                    // After a syntax error, the rest of its line is not to be trusted: a stray
                    // quote or brace shifts how everything after it pairs up.
                    // (A line lookup only after a syntax error: none at all in a clean file.)
                    let broken = self.last_broken_line.is_some_and(|broken| {
                        broken == self.lines.line_of(inner.as_span().start())
                    });
                    if broken {
                        continue;
                    }
                    stmts.push(self.statement(inner));
                }
                Rule::bad_statement => {
                    self.lost_statement = true;
                    let start = inner.as_span().start();
                    let line = self.lines.line_of(start);
                    // Nor what came before it on its line: a lost opening quote turns the
                    // string into words that parse as a statement of their own.
                    while stmts.last().is_some_and(|stmt: &Stmt| {
                        self.lines.line_of(stmt.key.span.start as usize) == line
                    }) {
                        stmts.pop();
                    }
                    if self.last_broken_line.replace(line) == Some(line) {
                        continue;
                    }
                    self.swallowed_to_end |= inner.as_span().end() >= self.text.len();
                    self.report(
                        inner.as_span().start(),
                        inner.as_span().end(),
                        Context::Statement,
                    );
                }
                Rule::unclosed => {
                    closed = false;
                    let already_lost = self.lost_statement;
                    let suspect = self.suspect_open.take();
                    let at = suspect.map_or(open, |(open_at, _)| open_at);
                    let end = inner.as_span().start();
                    // A block that simply runs into the next declaration lost nothing; one
                    // that took a `}` not its own has statements in the wrong place.
                    if suspect.is_some() {
                        self.unclosed_here = true;
                        self.lost_statement = true;
                    }
                    // A broken statement can swallow a block's `}` (a stray `{` runs to it): a
                    // declaration that already lost a statement is unclosed because of that
                    // error, which is reported; so is one an unclosed `"""` ran through.
                    if (end >= self.text.len() && self.swallowed_to_end) || already_lost {
                        self.lost_statement = true;
                        continue;
                    }
                    self.unclosed_blocks += 1;
                    // A statement's block left open takes the declaration's remaining lines
                    // into it, and leaves the blocks around it unclosed: one error for all.
                    if self.depth > 1 {
                        self.lost_statement = true;
                    }
                    let next = if end >= self.text.len() {
                        "the file ends first".to_string()
                    } else {
                        let line = self.lines.line_of(end) + 1;
                        format!("a new declaration starts on line {line}")
                    };
                    self.diagnostics.push(
                        Diagnostic::new(
                            "E001",
                            Span::new(self.file, at..at + 1),
                            "this `{` is never closed",
                        )
                        .with_help(match suspect {
                            Some((_, close_at)) => format!(
                                "add the `}}` that ends this block; the `}}` on line {} is indented like the block around it, so it seems to close that one",
                                self.lines.line_of(close_at) + 1
                            ),
                            None => format!("add the `}}` that ends this block: {next}"),
                        }),
                    );
                }
                _ => {}
            }
        }
        if closed {
            let open_at = open;
            let close_at = (span.end as usize).saturating_sub(1);
            let misplaced = self
                .lines
                .indent_before(close_at)
                .is_some_and(|close| close < self.lines.indent_of(open_at));
            // Prefer the innermost suspect: the block that took a brace not its own.
            let inner_suspect = self.suspect_open.take();
            self.suspect_open = inner_suspect
                .or(misplaced.then_some((open_at, close_at)))
                .or(earlier_suspect);
        }
        self.depth -= 1;
        Block { stmts, span }
    }

    fn statement(&mut self, pair: Pair<'_, Rule>) -> Stmt {
        let span = self.span(&pair);
        let mut key = None;
        let mut items = Vec::new();
        let mut block = None;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::key => key = Some(self.name(&inner)),
                Rule::values => {
                    for phrase in inner.into_inner().filter(|p| p.as_rule() == Rule::phrase) {
                        let item_span = self.span(&phrase);
                        let values = phrase.into_inner().filter_map(|v| self.value(v)).collect();
                        items.push(Item {
                            values,
                            span: item_span,
                        });
                    }
                }
                Rule::block | Rule::block_fast => block = Some(self.block(inner)),
                _ => {}
            }
        }
        Stmt {
            key: key.unwrap_or_else(|| Name {
                text: String::new(),
                span,
            }),
            items,
            block,
            span,
        }
    }

    /// A value's literal (`value` is silent in the grammar: one token pair fewer per value).
    fn value(&mut self, literal: Pair<'_, Rule>) -> Option<Value> {
        let span = self.span(&literal);
        let text = literal.as_str();
        let kind = match literal.as_rule() {
            Rule::word => ValueKind::Word(text.to_string()),
            Rule::string => ValueKind::Str(self.string(literal)),
            Rule::int => ValueKind::Int(parse_int(text)),
            Rule::date => ValueKind::Date(Date::parse(text)),
            Rule::datetime => ValueKind::DateTime(DateTime::parse(text)),
            Rule::duration => {
                let mut parts = literal.into_inner();
                let count = parts.next().and_then(|p| parse_int(p.as_str()));
                let unit = parts.next().and_then(|p| Unit::parse(p.as_str()))?;
                ValueKind::Duration(count, unit)
            }
            _ => return None,
        };
        Some(Value { kind, span })
    }

    /// Decodes a `string` pair (simple or triple-quoted) into its text.
    fn string(&mut self, pair: Pair<'_, Rule>) -> String {
        let Some(quoted) = pair.into_inner().next() else {
            return String::new();
        };
        let triple = quoted.as_rule() == Rule::triple_string;
        let Some(body) = quoted.into_inner().next() else {
            return String::new();
        };
        let start = body.as_span().start();
        let mut text = self.unescape(body.as_str(), start);
        if triple {
            // A triple-quoted string usually starts on the line after its quotes.
            if let Some(rest) = text
                .strip_prefix("\r\n")
                .or_else(|| text.strip_prefix('\n'))
            {
                text = rest.to_string();
            }
        }
        text
    }

    fn unescape(&mut self, raw: &str, start: usize) -> String {
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, 'u')) => {
                    let mut hex = String::new();
                    let mut end = i + 2;
                    for (j, h) in chars.by_ref() {
                        end = j + h.len_utf8();
                        if h == '}' {
                            break;
                        }
                        if h != '{' {
                            hex.push(h);
                        }
                    }
                    match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        Some(decoded) => out.push(decoded),
                        None => {
                            self.diagnostics.push(
                                Diagnostic::new(
                                    "E001",
                                    Span::new(self.file, start + i..start + end),
                                    format!("`\\u{{{hex}}}` is not a Unicode character"),
                                )
                                .with_help("use a code point up to 10FFFF outside D800–DFFF"),
                            );
                            out.push(char::REPLACEMENT_CHARACTER);
                        }
                    }
                }
                Some((_, other)) => out.push(other),
                None => {}
            }
        }
        out
    }
}

fn parse_int(text: &str) -> Option<u64> {
    text.replace('_', "").parse().ok()
}

/// Finds the first `{` that opens a block deeper than [`MAX_NESTING`], skipping strings and
/// comments. Checked before parsing so that deep input cannot exhaust the stack.
fn too_deep_at(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 3;
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n' | b'\r') {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

const DECLARATION_KINDS: &str = "a declaration kind (`controller`, `party`, `activity`, `data`, `subjects`, `purpose`, `system`, `country`, `breach`)";

/// Turns a pest failure into an E001 that speaks the user's language, not the grammar's.
fn syntax_error(
    file: FileId,
    text: &str,
    base: usize,
    error: &pest::error::Error<Rule>,
    context: Context,
) -> Diagnostic {
    let offset = base
        + match error.location {
            pest::error::InputLocation::Pos(pos) => pos,
            pest::error::InputLocation::Span((start, _)) => start,
        };
    let offset = offset.min(text.len());
    let (found, found_len) = describe_found(&text[offset..]);
    let span = Span::new(file, offset..offset + found_len);

    if let Some(open) = unclosed_triple_quote(text, base, offset) {
        return Diagnostic::new(
            "E001",
            Span::new(file, open..open + 3),
            "this `\"\"\"` string is never closed",
        )
        .with_help("add the closing `\"\"\"` where the text ends");
    }
    if let Some((at, escape)) = bad_escape(&text[offset..]) {
        return Diagnostic::new(
            "E001",
            Span::new(file, offset + at..offset + at + escape.len()),
            format!("unknown escape `{escape}` in a string"),
        )
        .with_help(
            "strings know `\\\"`, `\\\\`, `\\n`, `\\t` and `\\u{…}`; write `\\\\` for a backslash",
        );
    }
    if text[offset..].starts_with('"') && !text[offset..].starts_with("\"\"\"") {
        let line_end = text[offset..]
            .find(['\n', '\r'])
            .unwrap_or(text.len() - offset);
        if !text[offset + 1..offset + line_end].contains('"') {
            return Diagnostic::new(
                "E001",
                Span::new(file, offset..offset + line_end),
                "this string is never closed",
            )
            .with_help(
                "add the closing `\"`; text over several lines goes between `\"\"\"` quotes",
            );
        }
    }

    let mut expected: Vec<&'static str> = Vec::new();
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for rule in positives {
            if let Some(words) = expected_words(*rule)
                && !expected.contains(&words)
            {
                expected.push(words);
            }
        }
    }
    // The recovery rules can also start with a string or reach the end of the file; neither is
    // worth naming when a statement or its end was possible.
    if expected.contains(&"a statement") {
        expected.retain(|words| *words != "a string");
    }
    if expected.contains(&"the end of the statement (a new line or `;`)") {
        expected.retain(|words| *words != "the end of the file");
    }
    if expected.is_empty() {
        expected.push(match context {
            Context::Declaration => DECLARATION_KINDS,
            Context::Statement => "a statement",
        });
    }
    let message = format!("expected {}, found {found}", join_or(&expected));
    let diagnostic = Diagnostic::new("E001", span, message);
    if let Some(fix) = suggest::value_fix(text, offset) {
        return diagnostic.with_help(fix);
    }

    let word: String = text[offset..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    if expected.contains(&DECLARATION_KINDS) && !word.is_empty() {
        if let Some(fix) = suggest::declaration_fix(&text[offset..]) {
            return diagnostic.with_help(fix);
        }
        let kinds = Kind::ALL.map(Kind::keyword);
        if let Some(kind) = suggest::closest(&word, kinds) {
            return diagnostic.with_help(format!("did you mean `{kind}`?"));
        }
        return diagnostic
            .with_help("every declaration starts with its kind, e.g. `activity newsletter { … }`");
    }
    if found == "`}`" && expected.contains(&DECLARATION_KINDS) {
        return diagnostic
            .with_help("this `}` closes nothing: remove it, or check the braces above");
    }
    if expected.contains(&"`}`") && found == "end of file" {
        return diagnostic.with_help("a block opened above is never closed: add the missing `}`");
    }
    if found == "`,`" || found == "end of line" && expected.contains(&"a value") {
        return diagnostic.with_help("remove the extra `,`, or add the missing value after it");
    }
    diagnostic.with_help(match context {
        Context::Declaration => "check the spelling and the braces on this line",
        Context::Statement => "a statement is a key, its values and an optional `{ … }` block, ending at a new line or `;`",
    })
}

/// The NAME of a broken `KIND NAME …` header, when the line has that shape.
fn declared_name(line: &str) -> Option<String> {
    let mut words = line.lines().next()?.split_whitespace();
    let _kind = words.next()?;
    let name = words.next()?;
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    valid.then(|| name.to_string())
}

/// Whether a top-level line that is no declaration reads like a statement (a key, then values,
/// no block): the sign of a declaration closed too early, not of a misspelt declaration kind.
fn looks_like_a_statement(line: &str) -> bool {
    let first_line = line.lines().next().unwrap_or("");
    let word: String = first_line
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if word.is_empty() {
        return false;
    }
    let kinds = Kind::ALL.map(Kind::keyword);
    if kinds.contains(&word.as_str()) {
        // `data name, email` is a statement; `data email "E-mail" {`, or a header that lost its
        // `{` (`party nimbus "Nimbus Cloud"`), is a declaration gone wrong. Only `data`,
        // `subjects`, `purpose` and `country` are also statement keys, and no statement takes
        // a title string.
        let also_a_key = matches!(word.as_str(), "data" | "subjects" | "purpose" | "country");
        let has_title = first_line[word.len()..].contains('"');
        return also_a_key && !has_title && !first_line.contains('{');
    }
    suggest::closest(&word, kinds).is_none() && !suggest::is_wrong_kind(&word)
}

/// The start of a `"""` between the swallowed region's start and the error that never closes.
fn unclosed_triple_quote(text: &str, start: usize, error_at: usize) -> Option<usize> {
    let line_end = text[error_at..]
        .find(['\n', '\r'])
        .map_or(text.len(), |end| error_at + end);
    let region = &text[start..line_end.max(start)];
    let mut from = 0;
    while let Some(found) = region[from..].find("\"\"\"") {
        let open = start + from + found;
        match text[open + 3..].find("\"\"\"") {
            None => return Some(open),
            Some(close) => from = (open + 3 + close + 3).saturating_sub(start),
        }
        if from >= region.len() {
            break;
        }
    }
    None
}

/// In a one-line string starting at `rest`, the first escape the grammar does not know, with
/// its offset: the offending token when a string fails to parse although it is closed.
fn bad_escape(rest: &str) -> Option<(usize, String)> {
    if !rest.starts_with('"') || rest.starts_with("\"\"\"") {
        return None;
    }
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' | '\n' | '\r' => return None,
            '\\' => match chars.next() {
                Some((_, '"' | '\\' | 'n' | 't')) => {}
                Some((_, 'u')) if rest[i + 2..].starts_with('{') => {
                    let closes = rest[i + 3..].find('}').is_some_and(|end| {
                        end > 0
                            && end <= 6
                            && rest[i + 3..i + 3 + end]
                                .chars()
                                .all(|h| h.is_ascii_hexdigit())
                    });
                    if !closes {
                        return Some((i, "\\u".to_string()));
                    }
                }
                Some((_, other)) => return Some((i, format!("\\{other}"))),
                None => return None,
            },
            _ => {}
        }
    }
    None
}

/// What the user wrote at the error position, for "found …", and how many bytes it covers.
fn describe_found(rest: &str) -> (String, usize) {
    let Some(first) = rest.chars().next() else {
        return ("end of file".to_string(), 0);
    };
    if first == '\n' || first == '\r' {
        return ("end of line".to_string(), first.len_utf8());
    }
    let token: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    if token.is_empty() {
        (format!("`{first}`"), first.len_utf8())
    } else {
        let shown: String = token.chars().take(40).collect();
        (format!("`{shown}`"), token.len())
    }
}

fn expected_words(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::kind | Rule::declaration | Rule::declaration_probe => DECLARATION_KINDS,
        Rule::name => "a name",
        Rule::title | Rule::string | Rule::simple_string | Rule::triple_string => "a string",
        Rule::open_brace | Rule::block => "`{`",
        Rule::close_brace => "`}`",
        Rule::key | Rule::statement => "a statement",
        Rule::values
        | Rule::phrase
        | Rule::value
        | Rule::word
        | Rule::int
        | Rule::date
        | Rule::datetime
        | Rule::duration => "a value",
        Rule::unit => "a unit (`hours`, `days`, `weeks`, `months`, `years`)",
        Rule::comma => "`,`",
        Rule::statement_end => "the end of the statement (a new line or `;`)",
        Rule::escape => "an escape (`\\\"`, `\\\\`, `\\n`, `\\t`, `\\u{…}`)",
        Rule::EOI => "the end of the file",
        Rule::zone | Rule::two_digits | Rule::date_part => "a date or time",
        _ => return None,
    })
}

fn join_or(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn takes_the_full_grammar(text: &str) -> bool {
        build(FileId(0), text, Rule::file_fast).full_grammar_needed
    }

    /// The fast grammar is the one used on intact files (tests/fast_grammar.rs holds the two
    /// to the same tree on every input); the full one only where a block may end early.
    #[test]
    fn the_full_grammar_is_taken_only_where_a_statement_could_start_a_declaration() {
        for (name, text) in crate::stdlib::FILES {
            assert!(!takes_the_full_grammar(text), "{name}");
        }
        let intact =
            "activity a \"A\" {\n  data email, phone\n  recipient p { basis consent }\n}\n";
        assert!(!takes_the_full_grammar(intact));
        // A kind word as a statement's key, without a header's `{`, is no declaration start.
        assert!(!takes_the_full_grammar(
            "activity a {\n  data email\n  purpose x\n}\n"
        ));
        for open in [
            "activity a {\n  purpose x\nactivity b {\n  purpose y\n}\n",
            "activity a {\n  recipient p {\n    basis consent\nparty p \"P\" {\n}\n",
            "activity a {\n  purpose x; activity b {\n  }\n}\n",
            "activity a {\n  data x { } junk\n}\n",
            // Any broken statement: which text it swallowed depends on the grammar.
            "activity a {\n  purpose = x\n}\n",
        ] {
            assert!(takes_the_full_grammar(open), "{open}");
        }
    }
}
