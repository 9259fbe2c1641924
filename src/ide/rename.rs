//! Rename: the declaration's name and every reference written with it, across files.

use super::{DeclId, Symbols};
use crate::model::Model;
use crate::source::{FileId, Span};
use crate::syntax::ast::Kind;
use std::fmt;

/// Replace the text at `span` with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

/// Why a rename is refused. `Display` gives the message for the editor (lowercase, names in
/// backticks, the remedy after a semicolon).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenameError {
    /// Nothing to rename at the position, or a declaration this analysis does not have.
    NotFound,
    /// A standard-library declaration: its files are not the user's to edit.
    Stdlib { kind: Kind, name: String },
    /// A user declaration standing in for the standard library's of the same name (E012):
    /// renamed, it would stop replacing it, and the library's own references would not follow.
    ReplacesStdlib { kind: Kind, name: String },
    /// Not an identifier of the language.
    InvalidName { name: String, reason: &'static str },
    /// A word with its own meaning where references to this kind stand (`source public`).
    Reserved { kind: Kind, name: String },
    /// Another declaration of the same kind already has the name.
    Clash {
        kind: Kind,
        name: String,
        existing: Span,
        from_stdlib: bool,
    },
}

impl fmt::Display for RenameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenameError::NotFound => {
                f.write_str("there is no declaration or reference here to rename")
            }
            RenameError::Stdlib { kind, name } => write!(
                f,
                "{kind} `{name}` belongs to the standard library and cannot be renamed; declare a {kind} of your own instead"
            ),
            RenameError::ReplacesStdlib { kind, name } => write!(
                f,
                "{kind} `{name}` replaces the standard library's `{name}`, so renaming it would bring that one back; rename it by hand if you mean to"
            ),
            RenameError::InvalidName { name, reason } => {
                write!(f, "`{name}` is not a valid name: {reason}")
            }
            RenameError::Reserved { kind, name } => write!(
                f,
                "`{name}` has its own meaning where a {kind} is named; choose another name"
            ),
            RenameError::Clash {
                kind,
                name,
                from_stdlib,
                ..
            } => {
                if *from_stdlib {
                    write!(
                        f,
                        "the standard library already declares {kind} `{name}`; choose another name"
                    )
                } else {
                    write!(
                        f,
                        "{kind} `{name}` is already declared; choose another name"
                    )
                }
            }
        }
    }
}

impl std::error::Error for RenameError {}

/// Words a `source` statement reads as values of its own, not as a party's name.
const PARTY_RESERVED: &[&str] = &["subject", "public"];

/// The edits renaming `decl` to `new_name`: its name and every reference written with it
/// ([`Symbols::references`]), in file and position order. Misspelt references the analysis
/// read as `decl` (E004 with a "did you mean") are left as written: they are not its name.
/// Refused for standard-library declarations, for a user declaration replacing one, for a
/// name that is not an identifier or has a meaning of its own there, and for a name another
/// declaration of the same kind has. O(references of `decl`).
pub fn rename_edits(model: &Model, decl: DeclId, new_name: &str) -> Result<Vec<Edit>, RenameError> {
    let symbols = &model.symbols;
    let entry = symbols.declaration(decl).ok_or(RenameError::NotFound)?;
    let name = symbols.names.text(entry.name).to_string();
    if entry.from_stdlib {
        return Err(RenameError::Stdlib {
            kind: decl.kind,
            name,
        });
    }
    if entry.replaces_stdlib {
        return Err(RenameError::ReplacesStdlib {
            kind: decl.kind,
            name,
        });
    }
    if let Some(reason) = invalid_identifier(new_name) {
        return Err(RenameError::InvalidName {
            name: new_name.to_string(),
            reason,
        });
    }
    if decl.kind == Kind::Party && PARTY_RESERVED.contains(&new_name) {
        return Err(RenameError::Reserved {
            kind: decl.kind,
            name: new_name.to_string(),
        });
    }
    if new_name == name {
        return Ok(Vec::new());
    }
    if let Some(other) = model.decl_id(decl.kind, new_name)
        && let Some(other) = symbols.declaration(other)
    {
        return Err(RenameError::Clash {
            kind: decl.kind,
            name: new_name.to_string(),
            existing: other.name_span,
            from_stdlib: other.from_stdlib,
        });
    }
    let spans = symbols.occurrences(decl);
    // A user declaration referenced from the standard library replaces one of it (above); this
    // guards the library's files whatever the reason.
    if spans.iter().any(|span| symbols.is_stdlib_file(span.file)) {
        return Err(RenameError::ReplacesStdlib {
            kind: decl.kind,
            name,
        });
    }
    Ok(spans
        .into_iter()
        .map(|span| Edit {
            span,
            new_text: new_name.to_string(),
        })
        .collect())
}

/// What an editor's "prepare rename" needs: the declaration a position names (by its name or
/// a reference written with it) and the span of the name there. A misspelt reference is not
/// the declaration's name, so it cannot be renamed from (`NotFound`); nor can an unresolved one.
pub fn prepare_rename(
    symbols: &Symbols,
    file: FileId,
    offset: usize,
) -> Result<(DeclId, Span), RenameError> {
    let (decl, span) = match symbols.reference_at(file, offset) {
        Some(reference) => match reference.target() {
            Some(target) if reference.is_occurrence() => (target, reference.span),
            _ => return Err(RenameError::NotFound),
        },
        None => {
            let decl = symbols
                .declaration_at(file, offset)
                .ok_or(RenameError::NotFound)?;
            let entry = symbols.declaration(decl).ok_or(RenameError::NotFound)?;
            (decl, entry.name_span)
        }
    };
    let entry = symbols.declaration(decl).ok_or(RenameError::NotFound)?;
    if entry.from_stdlib {
        return Err(RenameError::Stdlib {
            kind: decl.kind,
            name: symbols.names.text(entry.name).to_string(),
        });
    }
    Ok((decl, span))
}

/// Why `name` is not an identifier: `(ASCII letter | _) (ASCII letter | digit | _ | -)*`.
fn invalid_identifier(name: &str) -> Option<&'static str> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Some("a name cannot be empty");
    };
    if !(first.is_ascii_alphabetic() || first == '_') {
        return Some("a name starts with a letter or `_`");
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Some("a name holds only letters, digits, `_` and `-`");
    }
    None
}
