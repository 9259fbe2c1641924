//! A small symbol index over the model: every declaration and every reference with its kind.
//!
//! Interim: the core's resolved symbols (`node_at`, definitions ↔ references) will replace
//! it. It reads only the model's spans and never re-parses. Building is linear in the number
//! of declarations and references; lookups by name are hash lookups.

use crate::model::{Model, Ref};
use crate::source::{FileId, Span};
use crate::syntax::ast::Kind;
use std::collections::HashMap;

#[derive(Clone, Debug)]
pub struct Symbol {
    pub kind: Kind,
    pub name: String,
    /// The name token.
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
    pub title: Option<String>,
    pub from_stdlib: bool,
}

#[derive(Clone, Debug)]
pub struct Reference {
    pub kind: Kind,
    pub name: String,
    pub span: Span,
}

/// What sits under the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub kind: Kind,
    pub name: String,
    pub span: Span,
    /// Whether the cursor is on the declaration's own name.
    pub is_declaration: bool,
}

#[derive(Debug, Default)]
pub struct Index {
    pub decls: Vec<Symbol>,
    pub refs: Vec<Reference>,
    by_name: HashMap<(Kind, String), usize>,
    refs_by_name: HashMap<(Kind, String), Vec<usize>>,
}

impl Index {
    pub fn build(model: &Model) -> Index {
        let mut index = Index::default();
        let mut headers = Vec::new();
        if let Some(c) = &model.controller {
            headers.push(&c.header);
            index.add_ref(Kind::Country, c.country.as_ref());
        }
        for p in &model.parties {
            headers.push(&p.header);
            index.add_ref(Kind::Country, p.country.as_ref());
            for stmt in &p.subprocessors {
                index.add_refs(Kind::Party, &stmt.parties);
            }
        }
        for a in &model.activities {
            headers.push(&a.header);
            index.add_ref(Kind::Purpose, a.purpose.as_ref());
            index.add_refs(Kind::Subjects, &a.subjects);
            for stmt in &a.data {
                index.add_refs(Kind::Data, &stmt.refs);
            }
            for source in &a.sources {
                if let crate::model::SourceOf::Party(r) = &source.value {
                    index.add_ref(Kind::Party, Some(r));
                }
            }
            for r in &a.recipients {
                index.add_ref(Kind::Party, Some(&r.party));
                index.add_refs(Kind::Data, r.data.as_deref().unwrap_or(&[]));
            }
            for r in &a.reuses {
                index.add_ref(Kind::Activity, Some(&r.activity));
                index.add_refs(Kind::Data, r.data.as_deref().unwrap_or(&[]));
            }
            index.add_refs(Kind::System, &a.systems);
        }
        for d in &model.data {
            headers.push(&d.header);
            index.add_refs(Kind::Data, &d.includes);
        }
        for s in &model.subjects {
            headers.push(&s.header);
        }
        for p in &model.purposes {
            headers.push(&p.header);
            index.add_refs(Kind::Purpose, &p.compatible_with);
        }
        for s in &model.systems {
            headers.push(&s.header);
            index.add_ref(Kind::Party, s.hosted_by.as_ref().map(|h| &h.value));
            index.add_ref(Kind::Country, s.location.as_ref().map(|l| &l.value));
        }
        for c in &model.countries {
            headers.push(&c.header);
        }
        for b in &model.breaches {
            headers.push(&b.header);
            index.add_refs(Kind::Activity, &b.affects);
            index.add_refs(Kind::Data, &b.data);
            index.add_refs(Kind::Subjects, &b.subjects);
        }
        for header in headers {
            let key = (header.kind, header.name.clone());
            index.by_name.entry(key).or_insert(index.decls.len());
            index.decls.push(Symbol {
                kind: header.kind,
                name: header.name.clone(),
                name_span: header.name_span,
                span: header.span,
                title: header.title.clone(),
                from_stdlib: header.from_stdlib,
            });
        }
        index
    }

    fn add_ref(&mut self, kind: Kind, r: Option<&Ref>) {
        let Some(r) = r else { return };
        self.refs_by_name
            .entry((kind, r.name.clone()))
            .or_default()
            .push(self.refs.len());
        self.refs.push(Reference {
            kind,
            name: r.name.clone(),
            span: r.span,
        });
    }

    fn add_refs(&mut self, kind: Kind, refs: &[Ref]) {
        for r in refs {
            self.add_ref(kind, Some(r));
        }
    }

    /// The declaration name or reference at `offset` (its end included, so a cursor just
    /// after a name still finds it).
    pub fn at(&self, file: FileId, offset: usize) -> Option<Hit> {
        let touches = |span: Span| {
            span.file == file && span.start as usize <= offset && offset <= span.end as usize
        };
        if let Some(r) = self.refs.iter().find(|r| touches(r.span)) {
            return Some(Hit {
                kind: r.kind,
                name: r.name.clone(),
                span: r.span,
                is_declaration: false,
            });
        }
        self.decls
            .iter()
            .find(|d| touches(d.name_span))
            .map(|d| Hit {
                kind: d.kind,
                name: d.name.clone(),
                span: d.name_span,
                is_declaration: true,
            })
    }

    pub fn declaration(&self, kind: Kind, name: &str) -> Option<&Symbol> {
        self.by_name
            .get(&(kind, name.to_string()))
            .and_then(|&i| self.decls.get(i))
    }

    pub fn references(&self, kind: Kind, name: &str) -> impl Iterator<Item = &Reference> {
        self.refs_by_name
            .get(&(kind, name.to_string()))
            .into_iter()
            .flatten()
            .filter_map(|&i| self.refs.get(i))
    }

    /// The declarations of one file, in source order.
    pub fn in_file(&self, file: FileId) -> impl Iterator<Item = &Symbol> {
        self.decls.iter().filter(move |d| d.span.file == file)
    }
}
