//! Lossless syntax: every byte of a file is a token, and the tree plus the trivia between its
//! tokens prints the file back exactly.
//!
//! The pest tree ([`super::ast`]) keeps declarations, statements and values with their spans
//! but drops comments, blank lines and separators. [`Tokens`] is the side table beside it: a
//! hand-written, linear lexer splits the text into tokens whose concatenation is the input,
//! and [`print`] walks the tree, emitting each node's tokens from the tree and every gap
//! between them from the table. Tokens in a gap that are not trivia are what a syntax error
//! swallowed; [`Printed::skipped`] lists them (empty for a file without E001).
//! The formatter (`crate::fmt`) reads the same table to keep comments and blank lines.

use super::ast::{Block, Decl, Stmt};
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A run of blanks: spaces, tabs, byte-order marks.
    Space,
    /// One line end: `\n`, `\r\n` or `\r`.
    Newline,
    /// `#` up to the end of its line (the line end excluded).
    Comment,
    /// `;`, a statement separator.
    Semicolon,
    /// `,`, between the items of a list; a line ending with it continues.
    Comma,
    OpenBrace,
    CloseBrace,
    /// An identifier: kinds, names, keys, words, units.
    Word,
    /// Starts with a digit: numbers, dates, date-times (a duration is a number and a word).
    Number,
    /// `"…"` or `"""…"""`, escapes kept as written; also an unclosed one.
    Str,
    /// Any other character.
    Unknown,
}

impl TokenKind {
    /// Trivia: what the tree does not hold and the printer takes from the table.
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            TokenKind::Space
                | TokenKind::Newline
                | TokenKind::Comment
                | TokenKind::Semicolon
                | TokenKind::Comma
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: u32,
    pub end: u32,
}

impl Token {
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The token table of one file: ordered, contiguous, covering the text exactly.
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    pub tokens: Vec<Token>,
}

impl Tokens {
    /// Lexes `text` in one linear pass. Never fails: every byte lands in some token.
    pub fn new(text: &str) -> Tokens {
        Tokens { tokens: lex(text) }
    }

    /// Index of the first token starting at or after `offset` (binary search).
    pub fn index_at(&self, offset: usize) -> usize {
        self.tokens.partition_point(|t| (t.start as usize) < offset)
    }

    /// Whether `offset` is the start of a token or the end of the text.
    pub fn is_boundary(&self, offset: usize) -> bool {
        let i = self.index_at(offset);
        match self.tokens.get(i) {
            Some(token) => token.start as usize == offset,
            None => self.tokens.last().is_none_or(|t| t.end as usize == offset),
        }
    }

    /// The indices of the tokens lying wholly inside `from..to`: how a node's span (a
    /// declaration, statement or value) maps to its tokens. O(log n).
    pub fn token_range(&self, from: usize, to: usize) -> Range<usize> {
        let start = self.index_at(from);
        let end = self.index_at(to).max(start);
        let end = (start..end)
            .rev()
            .find(|&i| self.tokens[i].end as usize <= to)
            .map_or(start, |i| i + 1);
        start..end
    }

    /// The tokens lying wholly inside `from..to`.
    pub fn between(&self, from: usize, to: usize) -> &[Token] {
        &self.tokens[self.token_range(from, to)]
    }

    /// Every comment's text, in order, without trailing blanks.
    pub fn comments<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Comment)
            .map(|t| text[t.range()].trim_end())
            .collect()
    }
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The lexer: one pass, each byte looked at a bounded number of times.
fn lex(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let kind = match bytes[i] {
            b'\n' => {
                i += 1;
                TokenKind::Newline
            }
            b'\r' => {
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                TokenKind::Newline
            }
            b' ' | b'\t' => {
                i = blanks_end(text, i);
                TokenKind::Space
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                TokenKind::Comment
            }
            b';' => {
                i += 1;
                TokenKind::Semicolon
            }
            b',' => {
                i += 1;
                TokenKind::Comma
            }
            b'{' => {
                i += 1;
                TokenKind::OpenBrace
            }
            b'}' => {
                i += 1;
                TokenKind::CloseBrace
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 3).min(bytes.len());
                TokenKind::Str
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n' | b'\r') {
                    let escaped =
                        bytes[i] == b'\\' && !matches!(bytes.get(i + 1), Some(b'\n' | b'\r'));
                    i += if escaped { 2 } else { 1 };
                }
                if bytes.get(i) == Some(&b'"') {
                    i += 1;
                    TokenKind::Str
                } else {
                    // Unclosed on its line: the recovering parser takes the quote as a stray
                    // character and reads on after it; so does the lexer.
                    i = start + 1;
                    TokenKind::Unknown
                }
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                while i < bytes.len() && is_ident_char(bytes[i]) {
                    i += 1;
                }
                TokenKind::Word
            }
            b if b.is_ascii_digit() => {
                while i < bytes.len()
                    && (is_ident_char(bytes[i]) || matches!(bytes[i], b':' | b'+'))
                {
                    i += 1;
                }
                TokenKind::Number
            }
            _ if text[i..].starts_with('\u{FEFF}') => {
                i = blanks_end(text, i);
                TokenKind::Space
            }
            _ => {
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                TokenKind::Unknown
            }
        };
        // An escape can step over the end of the text, or into a multi-byte character.
        i = i.min(bytes.len());
        while !text.is_char_boundary(i) {
            i += 1;
        }
        tokens.push(Token {
            kind,
            start: offset(start),
            end: offset(i),
        });
    }
    tokens
}

fn blanks_end(text: &str, mut i: usize) -> usize {
    loop {
        let rest = &text[i..];
        if rest.starts_with([' ', '\t']) {
            i += 1;
        } else if rest.starts_with('\u{FEFF}') {
            i += '\u{FEFF}'.len_utf8();
        } else {
            return i;
        }
    }
}

fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The file printed back from its tree and token table.
#[derive(Debug, Default)]
pub struct Printed {
    pub text: String,
    /// Significant tokens no tree node holds: what syntax errors swallowed.
    pub skipped: Vec<Range<usize>>,
    /// Offsets where a node starts or ends inside a token. Only in text a syntax error
    /// swallowed, where the recovering parser and the lexer may cut differently.
    pub misaligned: Vec<usize>,
}

/// The tree disagrees with the text: a node's text is not what its span holds, or the nodes
/// are out of order. A bug, never the user's input.
#[derive(Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub at: usize,
    pub what: &'static str,
}

/// Prints the tree back: each node's tokens (keywords, names, keys and words from the tree,
/// other literals as written at the node's span) and the text of every gap between them,
/// which must hold only trivia unless a syntax error swallowed it. Linear in the text.
pub fn print(text: &str, decls: &[Decl], tokens: &Tokens) -> Result<Printed, Mismatch> {
    let mut printer = Printer {
        text,
        tokens,
        at: 0,
        out: Printed::default(),
    };
    for decl in decls {
        printer.decl(decl)?;
    }
    printer.gap_to(text.len(), "the end of the file")?;
    Ok(printer.out)
}

struct Printer<'a> {
    text: &'a str,
    tokens: &'a Tokens,
    at: usize,
    out: Printed,
}

impl Printer<'_> {
    fn gap_to(&mut self, to: usize, what: &'static str) -> Result<(), Mismatch> {
        let gap = self
            .text
            .get(self.at..to)
            .ok_or(Mismatch { at: to, what })?;
        if !self.tokens.is_boundary(to) {
            self.out.misaligned.push(to);
        }
        // The token holding `at`, when a node ended inside it, and every token starting before `to`.
        let first = self.tokens.index_at(self.at + 1).saturating_sub(1);
        for token in self.tokens.tokens[first..].iter() {
            if token.start as usize >= to {
                break;
            }
            let (start, end) = (
                (token.start as usize).max(self.at),
                (token.end as usize).min(to),
            );
            if start < end && !token.kind.is_trivia() {
                self.out.skipped.push(start..end);
            }
        }
        self.out.text.push_str(gap);
        self.at = to;
        Ok(())
    }

    /// A node's token(s): `written` comes from the tree and must be what the span holds.
    fn node(
        &mut self,
        span: Range<usize>,
        written: &str,
        what: &'static str,
    ) -> Result<(), Mismatch> {
        self.gap_to(span.start, what)?;
        if self.text.get(span.clone()) != Some(written) {
            return Err(Mismatch {
                at: span.start,
                what,
            });
        }
        if !self.tokens.is_boundary(span.end) {
            self.out.misaligned.push(span.end);
        }
        self.out.text.push_str(written);
        self.at = span.end;
        Ok(())
    }

    fn raw(&mut self, span: Range<usize>, what: &'static str) -> Result<(), Mismatch> {
        let written = self.text.get(span.clone()).ok_or(Mismatch {
            at: span.start,
            what,
        })?;
        self.node(span, written, what)
    }

    fn decl(&mut self, decl: &Decl) -> Result<(), Mismatch> {
        let start = decl.span.start as usize;
        let keyword = decl.kind.keyword();
        self.node(start..start + keyword.len(), keyword, "a declaration kind")?;
        self.node(
            decl.name.span.range(),
            &decl.name.text,
            "a declaration name",
        )?;
        if let Some((_, span)) = &decl.title {
            self.raw(span.range(), "a title")?;
        }
        self.block(&decl.body)
    }

    fn block(&mut self, block: &Block) -> Result<(), Mismatch> {
        let span = block.span.range();
        if self.text.as_bytes().get(span.start) != Some(&b'{') {
            // A declaration whose header broke has no block of its own.
            return Ok(());
        }
        self.node(span.start..span.start + 1, "{", "an opening brace")?;
        for stmt in &block.stmts {
            self.stmt(stmt)?;
        }
        if let Some(close) = closing_brace(self.text, block) {
            self.node(close..close + 1, "}", "a closing brace")?;
        }
        Ok(())
    }

    fn stmt(&mut self, stmt: &Stmt) -> Result<(), Mismatch> {
        self.node(stmt.key.span.range(), &stmt.key.text, "a key")?;
        for value in stmt.values() {
            match &value.kind {
                super::ast::ValueKind::Word(word) => {
                    self.node(value.span.range(), word, "a word")?
                }
                _ => self.raw(value.span.range(), "a value")?,
            }
        }
        if let Some(block) = &stmt.block {
            self.block(block)?;
        }
        Ok(())
    }
}

/// The offset of a block's own `}`, or `None` for a block that was never closed (its span then
/// ends where the next declaration or the end of the file starts, or at a nested block's `}`).
pub fn closing_brace(text: &str, block: &Block) -> Option<usize> {
    let end = block.span.end as usize;
    let last_stmt_end = block.stmts.last().map_or(0, |s| s.span.end as usize);
    let close = end.checked_sub(1)?;
    (close > block.span.start as usize
        && text.as_bytes().get(close) == Some(&b'}')
        && last_stmt_end <= close)
        .then_some(close)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        Tokens::new(text)
            .tokens
            .iter()
            .map(|t| (t.kind, &text[t.range()]))
            .collect()
    }

    #[test]
    fn lexes_every_kind_of_token() {
        use TokenKind::*;
        assert_eq!(
            kinds("data a, b; # c\r\n x {\"s\\\"\" 2 years}\t2026-10-05T09:30+02:00 @"),
            vec![
                (Word, "data"),
                (Space, " "),
                (Word, "a"),
                (Comma, ","),
                (Space, " "),
                (Word, "b"),
                (Semicolon, ";"),
                (Space, " "),
                (Comment, "# c"),
                (Newline, "\r\n"),
                (Space, " "),
                (Word, "x"),
                (Space, " "),
                (OpenBrace, "{"),
                (Str, "\"s\\\"\""),
                (Space, " "),
                (Number, "2"),
                (Space, " "),
                (Word, "years"),
                (CloseBrace, "}"),
                (Space, "\t"),
                (Number, "2026-10-05T09:30+02:00"),
                (Space, " "),
                (Unknown, "@"),
            ]
        );
    }

    #[test]
    fn an_unclosed_string_and_a_trailing_escape_stay_inside_the_text() {
        for text in ["\"abc", "\"\"\"abc\\", "\"a\\", "\"é\\é", "x \"\"\" é"] {
            let tokens = Tokens::new(text);
            let joined: String = tokens.tokens.iter().map(|t| &text[t.range()]).collect();
            assert_eq!(joined, text);
        }
    }

    #[test]
    fn a_damaged_file_prints_back_though_its_nodes_lie_inside_a_token() {
        // The recovering parser reads a declaration inside what the lexer takes for one
        // `"""` string (the parser's string stops at the unknown escape `\#`).
        let text = "\"\"\"\nactivity a {\\#\"\"\"";
        let parsed = crate::syntax::parse(crate::source::FileId(0), text);
        assert_eq!(parsed.decls.len(), 1);
        let printed = print(text, &parsed.decls, &Tokens::new(text)).unwrap();
        assert_eq!(printed.text, text);
        assert_eq!(printed.skipped, vec![0..4, 12..13, 14..15, 16..21]);
        assert_eq!(printed.misaligned, vec![4, 12, 13, 14, 15, 16]);
    }

    #[test]
    fn between_takes_only_whole_tokens() {
        let text = "ab cd";
        let tokens = Tokens::new(text);
        assert_eq!(tokens.between(0, 5).len(), 3);
        assert_eq!(tokens.between(2, 5).len(), 2);
        assert_eq!(tokens.between(1, 4).len(), 1);
        assert!(tokens.is_boundary(2) && tokens.is_boundary(5) && !tokens.is_boundary(4));
    }
}
