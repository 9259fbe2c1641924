//! What an editor asks of the core, as plain functions over one analysis: the node at a
//! position with its schema context ([`node_at`]), definition and references (the model's
//! [`Symbols`]), and rename ([`rename_edits`]). The language server is a thin layer over these.
//!
//! Positions are byte offsets into a file's text; the server converts editor positions with
//! the file's `LineIndex`. Nothing here allocates in proportion to the workspace: a lookup is
//! a few binary searches (O(depth · log n)) and a walk over the one statement it lands in.

mod rename;

pub use crate::model::symbols::{DeclEntry, DeclId, Name, Names, Reference, Resolution, Symbols};
pub use rename::{Edit, RenameError, prepare_rename, rename_edits};

use crate::source::{FileId, Span};
use crate::syntax::ast::{self, Block, Kind, Stmt, Value, ValueKind};
use crate::syntax::lossless::{Token, TokenKind, Tokens};

/// One file as the editor layer reads it: its text, its syntax tree and its token table.
#[derive(Clone, Copy, Debug)]
pub struct File<'a> {
    pub id: FileId,
    pub text: &'a str,
    pub decls: &'a [ast::Decl],
    pub tokens: &'a Tokens,
}

/// What lies at a position, innermost first in `node`, with the context around it.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeAt {
    pub node: Node,
    /// The declaration the position is in, if any.
    pub decl: Option<DeclAt>,
    /// The statements whose blocks hold the position, outermost first: on `tia` in
    /// `activity › recipient acme { transfer scc { tia "…" } }` they are `recipient` and
    /// `transfer`. Empty in the declaration's own block.
    pub blocks: Vec<StmtAt>,
    /// The statement the position is on (its key, a value, or a value's place), in the
    /// innermost block.
    pub stmt: Option<StmtAt>,
}

impl NodeAt {
    /// The keys of the blocks around the position: `["recipient", "transfer"]`.
    pub fn block_path(&self) -> Vec<&str> {
        self.blocks.iter().map(|b| b.key.as_str()).collect()
    }

    /// The path as people read it: `activity › recipient › transfer` (`` at top level).
    pub fn path(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if let Some(decl) = &self.decl {
            parts.push(decl.kind.keyword());
        }
        parts.extend(self.block_path());
        parts.join(" › ")
    }
}

/// The innermost thing at a position.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// Outside every declaration: where a declaration may start.
    TopLevel,
    /// On the kind keyword of the declaration.
    Keyword,
    /// On the declaration's name.
    DeclName,
    /// On the declaration's title string.
    Title,
    /// Elsewhere in the declaration's header (between the name and `{`).
    Header,
    /// Inside the innermost block where a statement may start: a blank line, the start of a
    /// line, between statements. Completion offers the block's keys.
    Block,
    /// On the key of `stmt`.
    Key,
    /// On one value of `stmt`.
    Value(ValueAt),
    /// Where a value of `stmt` goes: after its key, between or after its values on the
    /// statement's line (`recipient |`, `data email, |`). `index` is how many values of the
    /// statement come before the position.
    Slot { index: usize },
    /// Inside a comment.
    Comment,
}

/// The declaration around a position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclAt {
    pub kind: Kind,
    pub name: String,
    pub name_span: Span,
    /// From the kind keyword to the closing brace.
    pub span: Span,
    /// Its position among the file's declarations.
    pub index: usize,
}

/// A statement on the way to a position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StmtAt {
    pub key: String,
    pub key_span: Span,
    /// From the key to its last token: the trailing blanks and comment the syntax tree's span
    /// runs over are not part of it.
    pub span: Span,
    /// Its block, `{` to `}`.
    pub block: Option<Span>,
    /// Read from the tokens of a line the parser could not read as a statement (E001): the
    /// key is the line's first word; nothing else of it is known.
    pub from_tokens: bool,
}

/// One value of a statement.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueAt {
    /// Its position among all the statement's values.
    pub index: usize,
    /// Its comma-separated item (`2 years after end` is one item of four values).
    pub item: usize,
    pub span: Span,
    pub role: ValueRole,
}

/// What a value is, as far as the written text and the resolved symbols tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueRole {
    /// A reference to a declaration of `kind` (the key expects one), with what it resolved to.
    Reference {
        kind: Kind,
        target: Option<DeclId>,
        resolution: Resolution,
    },
    /// The rule code of an `allow`.
    RuleCode,
    /// Any other word: an enumeration value or a flag (the key's schema lists the words).
    Word,
    Str,
    Int,
    Date,
    DateTime,
    Duration,
}

/// The innermost node at `offset` in `file` and its context. A token is "at" an offset from
/// its first byte up to just after its last, so a caret at the end of a word being typed is on
/// it. Works on a file with syntax errors: what the parser swallowed is read from the tokens of
/// its line (see [`StmtAt::from_tokens`]). O(depth · log n), plus the length of the one
/// statement or line the position is on (counting the values before it).
pub fn node_at(file: File<'_>, symbols: &Symbols, offset: usize) -> NodeAt {
    let offset = offset.min(file.text.len());
    let mut at = NodeAt {
        node: Node::TopLevel,
        decl: None,
        blocks: Vec::new(),
        stmt: None,
    };
    let after = file
        .decls
        .partition_point(|d| d.span.start as usize <= offset);
    let Some(index) = after.checked_sub(1) else {
        at.node = outside(file, offset);
        return at;
    };
    let decl = &file.decls[index];
    let Some(interior) = interior(file, &decl.body) else {
        at.node = outside(file, offset);
        return at;
    };
    if offset > interior.end {
        at.node = outside(file, offset);
        return at;
    }
    at.decl = Some(DeclAt {
        kind: decl.kind,
        name: decl.name.text.clone(),
        name_span: decl.name.span,
        span: decl.span,
        index,
    });
    let keyword_end = decl.span.start as usize + decl.kind.keyword().len();
    if offset <= keyword_end {
        at.node = Node::Keyword;
    } else if on(decl.name.span, offset) {
        at.node = Node::DeclName;
    } else if decl
        .title
        .as_ref()
        .is_some_and(|(_, span)| on(*span, offset))
    {
        at.node = Node::Title;
    } else if offset < interior.start {
        at.node = Node::Header;
    } else {
        in_block(file, symbols, &decl.body, offset, &mut at);
    }
    at
}

/// A position outside every declaration: in a comment or at top level.
fn outside(file: File<'_>, offset: usize) -> Node {
    if in_comment(file, offset) {
        Node::Comment
    } else {
        Node::TopLevel
    }
}

/// The offsets inside a block's braces: just after `{` up to the `}` (to the block's last token
/// when it is never closed).
fn interior(file: File<'_>, block: &Block) -> Option<std::ops::Range<usize>> {
    let start = block.span.start as usize;
    let end = block.span.end as usize;
    if file.text.as_bytes().get(start) != Some(&b'{') {
        return None;
    }
    let closed = end > start + 1 && file.text.as_bytes().get(end - 1) == Some(&b'}');
    Some(if closed {
        start + 1..end - 1
    } else {
        start + 1..end
    })
}

/// `offset` is at `span`: from its first byte to just after its last.
fn on(span: Span, offset: usize) -> bool {
    span.start as usize <= offset && offset <= span.end as usize
}

/// Where the statement's own text ends: its last token that is not trivia.
fn stmt_end(file: File<'_>, stmt: &Stmt) -> usize {
    let range = file
        .tokens
        .token_range(stmt.span.start as usize, stmt.span.end as usize);
    file.tokens.tokens[range]
        .iter()
        .rev()
        .find(|t| !t.kind.is_trivia())
        .map_or(stmt.key.span.end as usize, |t| t.end as usize)
}

/// After the `#` of a comment, up to the end of its line.
fn in_comment(file: File<'_>, offset: usize) -> bool {
    let i = file.tokens.index_at(offset);
    i.checked_sub(1)
        .and_then(|i| file.tokens.tokens.get(i))
        .is_some_and(|t| t.kind == TokenKind::Comment && offset <= t.end as usize)
}

/// Whether a statement end (a line end or `;`) lies in `from..to`.
fn ends_between(file: File<'_>, from: usize, to: usize) -> bool {
    file.tokens
        .between(from, to)
        .iter()
        .any(|t| matches!(t.kind, TokenKind::Newline | TokenKind::Semicolon))
}

fn stmt_at(file: File<'_>, stmt: &Stmt) -> StmtAt {
    StmtAt {
        key: stmt.key.text.clone(),
        key_span: stmt.key.span,
        span: Span::new(file.id, stmt.key.span.start as usize..stmt_end(file, stmt)),
        block: stmt.block.as_ref().map(|b| b.span),
        from_tokens: false,
    }
}

/// The position is inside `block`'s braces.
fn in_block(file: File<'_>, symbols: &Symbols, block: &Block, offset: usize, at: &mut NodeAt) {
    if in_comment(file, offset) {
        at.node = Node::Comment;
        return;
    }
    let after = block
        .stmts
        .partition_point(|s| s.key.span.start as usize <= offset);
    let Some(stmt) = after.checked_sub(1).map(|i| &block.stmts[i]) else {
        line_from_tokens(file, block, offset, at);
        return;
    };
    let end = stmt_end(file, stmt);
    if let Some(inner) = &stmt.block
        && let Some(interior) = interior(file, inner)
    {
        if interior.start <= offset && offset <= interior.end {
            at.blocks.push(stmt_at(file, stmt));
            in_block(file, symbols, inner, offset, at);
            return;
        }
        if offset >= inner.span.end as usize {
            // After the block's `}`: back in this block.
            line_from_tokens(file, block, offset, at);
            return;
        }
    }
    if offset > end {
        if stmt.block.is_some() || ends_between(file, end, offset) {
            line_from_tokens(file, block, offset, at);
            return;
        }
        // On the statement's line, after its last value: another value's place.
        at.stmt = Some(stmt_at(file, stmt));
        at.node = Node::Slot {
            index: stmt.values().count(),
        };
        return;
    }
    at.stmt = Some(stmt_at(file, stmt));
    if offset <= stmt.key.span.end as usize {
        at.node = Node::Key;
        return;
    }
    at.node = value_node(symbols, stmt, offset, at.blocks.is_empty());
}

/// The value of `stmt` at `offset`, or the place between values. Binary search over the items.
fn value_node(symbols: &Symbols, stmt: &Stmt, offset: usize, declaration_level: bool) -> Node {
    let items = &stmt.items;
    let i = items.partition_point(|item| (item.span.start as usize) <= offset);
    // Values before the item holding (or following) the position.
    let Some(item_index) = i.checked_sub(1) else {
        return Node::Slot { index: 0 };
    };
    let before: usize = items[..item_index]
        .iter()
        .map(|item| item.values.len())
        .sum();
    let item = &items[item_index];
    for (k, value) in item.values.iter().enumerate() {
        if on(value.span, offset) {
            let index = before + k;
            let role = role(symbols, stmt, value, index, declaration_level);
            return Node::Value(ValueAt {
                index,
                item: item_index,
                span: value.span,
                role,
            });
        }
        if offset < value.span.start as usize {
            return Node::Slot { index: before + k };
        }
    }
    Node::Slot {
        index: before + item.values.len(),
    }
}

fn role(
    symbols: &Symbols,
    stmt: &Stmt,
    value: &Value,
    index: usize,
    declaration_level: bool,
) -> ValueRole {
    if let Some(reference) = symbols.reference_containing(value.span) {
        return ValueRole::Reference {
            kind: reference.kind,
            target: reference.target(),
            resolution: reference.resolution,
        };
    }
    match &value.kind {
        ValueKind::Word(_) if declaration_level && index == 0 && stmt.key.text == "allow" => {
            ValueRole::RuleCode
        }
        ValueKind::Word(_) => ValueRole::Word,
        ValueKind::Str(_) => ValueRole::Str,
        ValueKind::Int(_) => ValueRole::Int,
        ValueKind::Date(_) => ValueRole::Date,
        ValueKind::DateTime(_) => ValueRole::DateTime,
        ValueKind::Duration(..) => ValueRole::Duration,
    }
}

/// No statement of the tree is at the position: it is on a line of its own in `block`. When
/// that line holds text the parser swallowed (a statement being typed, `data email, `), its
/// first word is taken as the key, so completion still knows where it is.
fn line_from_tokens(file: File<'_>, block: &Block, offset: usize, at: &mut NodeAt) {
    at.node = Node::Block;
    // Back from the position to the start of its statement: a line end, `;` or a brace.
    let upto = file.tokens.index_at(offset);
    let floor = file.tokens.index_at(block.span.start as usize);
    let mut first = upto;
    while first > floor {
        let token = file.tokens.tokens[first - 1];
        if matches!(
            token.kind,
            TokenKind::Newline
                | TokenKind::Semicolon
                | TokenKind::OpenBrace
                | TokenKind::CloseBrace
        ) {
            break;
        }
        first -= 1;
    }
    // A caret right after a word belongs to it: include a token ending at the offset.
    let line: Vec<Token> = file.tokens.tokens[first..]
        .iter()
        .take_while(|t| (t.start as usize) < offset)
        .copied()
        .filter(|t| !t.kind.is_trivia())
        .collect();
    let Some(key) = line.first().copied() else {
        return;
    };
    if key.kind != TokenKind::Word {
        return;
    }
    // The rest of the line, for the statement's extent.
    let last = file.tokens.tokens[first..]
        .iter()
        .take_while(|t| !matches!(t.kind, TokenKind::Newline | TokenKind::Semicolon))
        .filter(|t| !t.kind.is_trivia())
        .last()
        .map_or(key.end, |t| t.end);
    at.stmt = Some(StmtAt {
        key: file.text[key.range()].to_string(),
        key_span: Span::new(file.id, key.range()),
        span: Span::new(file.id, key.start as usize..last as usize),
        block: None,
        from_tokens: true,
    });
    if offset <= key.end as usize {
        at.node = Node::Key;
        return;
    }
    let values = line[1..]
        .iter()
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number | TokenKind::Str))
        .filter(|t| (t.end as usize) < offset)
        .count();
    at.node = Node::Slot { index: values };
}
