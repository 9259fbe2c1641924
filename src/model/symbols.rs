//! Resolved symbols: every identifier interned once ([`Name`]), every declaration of the model
//! numbered ([`DeclId`]), every reference written in any file (workspace and standard library)
//! resolved once to its declaration with the span it was written at ([`Reference`]), and the
//! indexes both ways: declaration → references ([`Symbols::references`]) and position →
//! reference or declaration ([`Symbols::reference_at`], [`Symbols::definition`]).
//!
//! Built by [`super::resolve`] with the model, so it is rebuilt with every analysis: linear in
//! the number of declarations and references, plus one sort of the references by position that
//! is linear on input already in source order (lowering collects them in order, per file).

use crate::source::{FileId, Span};
use crate::syntax::ast::Kind;
use foldhash::HashMap;

/// An interned identifier: one per distinct spelling, whatever kind of declaration it names.
/// Numbers are given in order of first appearance (declarations in model order, then the
/// references nothing declares, in source order), so the same sources give the same numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(pub u32);

/// The symbol table of identifiers: [`Name`] ↔ text.
#[derive(Clone, Debug, Default)]
pub struct Names {
    by_text: HashMap<Box<str>, Name>,
    texts: Vec<Box<str>>,
}

impl Names {
    /// The name for `text`, added when new. O(1) expected.
    pub fn intern(&mut self, text: &str) -> Name {
        if let Some(name) = self.by_text.get(text) {
            return *name;
        }
        let name = Name(u32::try_from(self.texts.len()).unwrap_or(u32::MAX));
        self.texts.push(text.into());
        self.by_text.insert(text.into(), name);
        name
    }

    /// The name for `text`, if any declaration or reference spells it so.
    pub fn get(&self, text: &str) -> Option<Name> {
        self.by_text.get(text).copied()
    }

    /// The text of `name` (empty for a name of another table).
    pub fn text(&self, name: Name) -> &str {
        self.texts.get(name.0 as usize).map_or("", |text| text)
    }

    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }
}

/// A declaration of the model: its kind and its position in the model's list of that kind
/// (`model.parties[index]`; the controller is index 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeclId {
    pub kind: Kind,
    pub index: u32,
}

/// What the symbol table knows of one declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeclEntry {
    pub id: DeclId,
    pub name: Name,
    /// The NAME token.
    pub name_span: Span,
    /// From the kind keyword to the closing brace.
    pub span: Span,
    pub from_stdlib: bool,
    /// A user declaration taking the place of the standard library's of the same kind and
    /// name (E012).
    pub replaces_stdlib: bool,
}

/// How a reference found its declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Written with the declaration's name.
    Exact,
    /// Not a declared name (E004), but its "did you mean" names a declaration and the analysis
    /// goes on with that one (one mistake, one finding). The reference resolves to it, yet it
    /// is not an occurrence of its name: `references` and rename leave it out.
    Meant,
    /// Nothing it could mean (E004 without a suggestion), or a declaration a syntax error
    /// swallowed (its E001 is the finding).
    Unresolved,
}

/// One reference as written in a file. 24 bytes: a workspace holds millions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The value as written; for a name in several words (`country United Kingdom`), all of them.
    pub span: Span,
    /// The name as written (words of a phrase joined by one space).
    pub written: Name,
    /// The index of its declaration in the model's list of `kind` (`NONE` when unresolved).
    index: u32,
    /// The kind its key expects (`recipient` → party), which is also its target's kind.
    pub kind: Kind,
    pub resolution: Resolution,
}

const NONE: u32 = u32::MAX;

impl Reference {
    /// The declaration it stands for; `None` when [`Resolution::Unresolved`].
    pub fn target(&self) -> Option<DeclId> {
        (self.index != NONE).then_some(DeclId {
            kind: self.kind,
            index: self.index,
        })
    }

    /// Whether the text at `span` is the name of `target` (what rename changes).
    pub fn is_occurrence(&self) -> bool {
        self.resolution == Resolution::Exact
    }
}

/// The resolved symbols of one analysis. See the module documentation.
#[derive(Clone, Debug, Default)]
pub struct Symbols {
    pub names: Names,
    /// Dense: kind by kind in `Kind::ALL` order, each in model order.
    decls: Vec<DeclEntry>,
    /// Per kind, the dense position of its first declaration (and the total at the end).
    base: [u32; 10],
    /// Sorted by (file, start).
    references: Vec<Reference>,
    /// Declaration → its resolved references (exact and meant), in position order: the
    /// references of dense declaration `d` are `by_decl[by_decl_start[d]..by_decl_start[d + 1]]`.
    by_decl_start: Vec<u32>,
    by_decl: Vec<u32>,
    /// Dense declaration positions sorted by the name's (file, start).
    by_position: Vec<u32>,
    /// The standard library's files.
    stdlib_files: Vec<FileId>,
}

impl Symbols {
    /// Every declaration, kind by kind in `Kind::ALL` order, each kind in model order.
    pub fn declarations(&self) -> &[DeclEntry] {
        &self.decls
    }

    /// The declarations of `kind`, in model order (`declarations_of(kind)[i].id.index == i`):
    /// what completion offers where a reference of that kind goes.
    pub fn declarations_of(&self, kind: Kind) -> &[DeclEntry] {
        let k = kind as usize;
        &self.decls[self.base[k] as usize..self.base[k + 1] as usize]
    }

    pub fn declaration(&self, id: DeclId) -> Option<&DeclEntry> {
        self.dense(id).map(|d| &self.decls[d])
    }

    /// Every reference of every file, sorted by file and position.
    pub fn all_references(&self) -> &[Reference] {
        &self.references
    }

    /// The references written with `decl`'s name, in file and position order: "find
    /// references", document highlight and rename. Misspellings that were taken to mean it
    /// ([`Resolution::Meant`]) are not among them: see [`Symbols::meant`].
    pub fn references(&self, decl: DeclId) -> impl Iterator<Item = &Reference> {
        self.resolved(decl)
            .filter(|r| r.resolution == Resolution::Exact)
    }

    /// The misspelt references the analysis read as `decl` (each is an E004 with a "did you mean").
    pub fn meant(&self, decl: DeclId) -> impl Iterator<Item = &Reference> {
        self.resolved(decl)
            .filter(|r| r.resolution == Resolution::Meant)
    }

    fn resolved(&self, decl: DeclId) -> impl Iterator<Item = &Reference> {
        let range = match self.dense(decl) {
            Some(d) => self.by_decl_start[d] as usize..self.by_decl_start[d + 1] as usize,
            None => 0..0,
        };
        self.by_decl[range]
            .iter()
            .map(|&r| &self.references[r as usize])
    }

    /// The declarations whose names are in `file`, in position order: the outline. O(log n).
    pub fn declarations_in(&self, file: FileId) -> impl Iterator<Item = &DeclEntry> {
        let from = self
            .by_position
            .partition_point(|&d| self.decls[d as usize].name_span.file < file);
        let to = self
            .by_position
            .partition_point(|&d| self.decls[d as usize].name_span.file <= file);
        self.by_position[from..to]
            .iter()
            .map(|&d| &self.decls[d as usize])
    }

    /// The references written in `file`, in position order (semantic tokens, links). O(log n).
    pub fn references_in(&self, file: FileId) -> &[Reference] {
        let from = self.references.partition_point(|r| r.span.file < file);
        let to = self.references.partition_point(|r| r.span.file <= file);
        &self.references[from..to]
    }

    /// Whether any reference resolves to `decl`, a misspelt one read as it included (U001:
    /// the declaration meant by a typo is not also "unused"). O(1).
    pub fn is_referenced(&self, decl: DeclId) -> bool {
        self.dense(decl)
            .is_some_and(|d| self.by_decl_start[d] < self.by_decl_start[d + 1])
    }

    /// The reference written at `offset` in `file` (its first byte up to just after its last).
    /// O(log n).
    pub fn reference_at(&self, file: FileId, offset: usize) -> Option<&Reference> {
        let offset = u32::try_from(offset).ok()?;
        let after = self
            .references
            .partition_point(|r| (r.span.file, r.span.start) <= (file, offset));
        let candidate = &self.references[after.checked_sub(1)?];
        (candidate.span.file == file && offset <= candidate.span.end).then_some(candidate)
    }

    /// The reference whose span holds `span` (a value of a reference, one word of a phrase).
    pub fn reference_containing(&self, span: Span) -> Option<&Reference> {
        self.reference_at(span.file, span.start as usize)
            .filter(|r| r.span.contains(span))
    }

    /// The declaration whose name is written at `offset` in `file`. O(log n).
    pub fn declaration_at(&self, file: FileId, offset: usize) -> Option<DeclId> {
        let offset = u32::try_from(offset).ok()?;
        let after = self.by_position.partition_point(|&d| {
            let span = self.decls[d as usize].name_span;
            (span.file, span.start) <= (file, offset)
        });
        let entry = &self.decls[self.by_position[after.checked_sub(1)?] as usize];
        (entry.name_span.file == file && offset <= entry.name_span.end).then_some(entry.id)
    }

    /// Go to definition: the declaration a reference at `offset` stands for (a misspelt one:
    /// the declaration its "did you mean" names), or the declaration whose name is there.
    pub fn definition(&self, file: FileId, offset: usize) -> Option<DeclId> {
        match self.reference_at(file, offset) {
            Some(reference) => reference.target(),
            None => self.declaration_at(file, offset),
        }
    }

    /// The declaration's name and every reference written with it, in file and position
    /// order: what document highlight shows and rename rewrites.
    pub fn occurrences(&self, decl: DeclId) -> Vec<Span> {
        let mut spans: Vec<Span> = self.references(decl).map(|r| r.span).collect();
        if let Some(entry) = self.declaration(decl) {
            let at = spans.partition_point(|s| *s < entry.name_span);
            spans.insert(at, entry.name_span);
        }
        spans
    }

    /// Whether `file` is one of the standard library's.
    pub fn is_stdlib_file(&self, file: FileId) -> bool {
        self.stdlib_files.binary_search(&file).is_ok()
    }

    fn dense(&self, id: DeclId) -> Option<usize> {
        let kind = id.kind as usize;
        let d = self.base[kind].checked_add(id.index)?;
        (d < self.base[kind + 1]).then_some(d as usize)
    }
}

/// Builds [`Symbols`] during resolution.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    symbols: Symbols,
    /// A reference came before the previous one in position order.
    unsorted: bool,
}

impl Builder {
    /// Numbers the model's declarations (call once every declaration is in the model).
    pub(crate) fn declarations(model: &super::Model) -> Builder {
        let mut symbols = Symbols::default();
        let add = |symbols: &mut Symbols, kind: Kind, index: usize, header: &super::Header| {
            let name = symbols.names.intern(&header.name);
            symbols.decls.push(DeclEntry {
                id: DeclId {
                    kind,
                    index: u32::try_from(index).unwrap_or(u32::MAX),
                },
                name,
                name_span: header.name_span,
                span: header.span,
                from_stdlib: header.from_stdlib,
                replaces_stdlib: false,
            });
        };
        for (k, kind) in Kind::ALL.into_iter().enumerate() {
            symbols.base[k] = dense_len(&symbols.decls);
            for (index, header) in model.headers_of(kind).enumerate() {
                add(&mut symbols, kind, index, header);
            }
        }
        symbols.base[Kind::ALL.len()] = dense_len(&symbols.decls);
        Builder {
            symbols,
            unsorted: false,
        }
    }

    /// Declaration `index` of `kind` takes the place of the standard library's (E012).
    pub(crate) fn replaces_stdlib(&mut self, kind: Kind, index: usize) {
        let d = self.symbols.base[kind as usize] as usize + index;
        if let Some(entry) = self.symbols.decls.get_mut(d) {
            entry.replaces_stdlib = true;
        }
    }

    /// The file holds standard-library declarations.
    pub(crate) fn stdlib_file(&mut self, file: FileId) {
        self.symbols.stdlib_files.push(file);
    }

    /// The interned name of declaration `index` of `kind` (no hashing: a resolved reference is
    /// written as its declaration's name).
    pub(crate) fn decl_name(&self, kind: Kind, index: usize) -> Name {
        let d = self.symbols.base[kind as usize] as usize + index;
        self.symbols.decls[d].name
    }

    pub(crate) fn intern(&mut self, text: &str) -> Name {
        self.symbols.names.intern(text)
    }

    /// A reference as written, and the declaration of `kind` it resolved to (its index).
    pub(crate) fn reference(
        &mut self,
        kind: Kind,
        span: Span,
        written: Name,
        target: Option<usize>,
        resolution: Resolution,
    ) {
        let index = target.map_or(NONE, |index| u32::try_from(index).unwrap_or(NONE));
        if let Some(last) = self.symbols.references.last()
            && (last.span.file, last.span.start) > (span.file, span.start)
        {
            self.unsorted = true;
        }
        self.symbols.references.push(Reference {
            span,
            written,
            index,
            kind,
            resolution,
        });
    }

    /// Sorts the references and builds the indexes: counting, prefix sums, one fill (linear).
    pub(crate) fn finish(mut self) -> Symbols {
        let s = &mut self.symbols;
        if self.unsorted {
            // Stable and adaptive: linear on the runs of already ordered references.
            s.references.sort_by_key(|r| (r.span.file, r.span.start));
        }
        let n = s.decls.len();
        let mut start = vec![0u32; n + 1];
        let mut dense_targets = Vec::with_capacity(s.references.len());
        for reference in &s.references {
            let d = reference.target().and_then(|id| {
                let kind = id.kind as usize;
                let d = s.base[kind] + id.index;
                (d < s.base[kind + 1]).then_some(d as usize)
            });
            if let Some(d) = d {
                start[d + 1] += 1;
            }
            dense_targets.push(d);
        }
        for d in 0..n {
            start[d + 1] += start[d];
        }
        let mut fill = start.clone();
        let mut by_decl = vec![0u32; start[n] as usize];
        for (r, d) in dense_targets.into_iter().enumerate() {
            if let Some(d) = d {
                by_decl[fill[d] as usize] = u32::try_from(r).unwrap_or(u32::MAX);
                fill[d] += 1;
            }
        }
        s.by_decl_start = start;
        s.by_decl = by_decl;
        let mut by_position: Vec<u32> = (0..dense_len(&s.decls)).collect();
        // Model order is source order per kind, so this merges nine sorted runs.
        by_position.sort_by_key(|&d| {
            let span = s.decls[d as usize].name_span;
            (span.file, span.start)
        });
        s.by_position = by_position;
        s.stdlib_files.sort();
        s.stdlib_files.dedup();
        self.symbols
    }
}

fn dense_len(decls: &[DeclEntry]) -> u32 {
    u32::try_from(decls.len()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_reference_is_24_bytes() {
        assert_eq!(std::mem::size_of::<super::Reference>(), 24);
    }
}
