//! Builds the workspace model from every lowered file: one namespace per kind, user
//! declarations replacing stdlib ones (E012), duplicates (E005), the single controller
//! (E008), unresolved references (E004) and `includes` cycles (E010).

use super::lower::Lowered;
use super::*;
use crate::diag::Diagnostic;
use crate::suggest;
use foldhash::{HashMap, HashMapExt, HashSet};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::BTreeMap;

/// `files` holds the user's files in path order, then the stdlib's.
/// `lost_names` are declarations a syntax error swallowed (already an E001): references to
/// them are not reported again as E004.
pub fn resolve(
    files: Vec<Lowered>,
    lost_names: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Model {
    let mut model = Model::default();
    // Each file's references, in file order, then the first words of phrases: kept per file
    // rather than copied into one list (1.5 million of them at 100,000 activities).
    let mut refs: Vec<Vec<(Kind, Ref)>> = Vec::with_capacity(files.len() + 1);
    let mut first_controller: Option<Span> = None;

    let mut aliases = Aliases::default();
    let mut phrases = Vec::new();
    // User declarations taking a stdlib one's place, and the stdlib's files, for the symbols.
    let mut replaced: Vec<(Kind, String)> = Vec::new();
    let mut stdlib_files = Vec::new();
    // Sized once: a declaration list grown by doubling holds up to twice its size while it
    // moves, and declarations are large.
    let mut counts = [0usize; 9];
    for decl in files.iter().flat_map(|lowered| &lowered.decls) {
        counts[decl.header().kind as usize] += 1;
    }
    model.parties.reserve_exact(counts[Kind::Party as usize]);
    model
        .activities
        .reserve_exact(counts[Kind::Activity as usize]);
    model.data.reserve_exact(counts[Kind::Data as usize]);
    model
        .subjects
        .reserve_exact(counts[Kind::Subjects as usize]);
    model.purposes.reserve_exact(counts[Kind::Purpose as usize]);
    model.systems.reserve_exact(counts[Kind::System as usize]);
    model
        .countries
        .reserve_exact(counts[Kind::Country as usize]);
    model.breaches.reserve_exact(counts[Kind::Breach as usize]);
    for lowered in files {
        if let Some(first) = lowered.decls.first().map(Decl::header)
            && first.from_stdlib
        {
            stdlib_files.push(first.span.file);
        }
        refs.push(lowered.refs);
        phrases.extend(lowered.phrases);
        for decl in lowered.decls {
            // Only what the checks below need: a header's keys and allows are not copied.
            let header = decl.header();
            if header.from_stdlib {
                aliases.add(header);
            }
            let (kind, name_span, from_stdlib) =
                (header.kind, header.name_span, header.from_stdlib);
            let name = header.name.as_str();
            // Where this name was first declared, for E005 and E012 related labels.
            let existing = model.declared_at(kind, name);
            if kind == Kind::Controller {
                if let Some(first) = first_controller {
                    diagnostics.push(
                        Diagnostic::new(
                            "E008",
                            name_span,
                            format!("a second controller, `{}`: a workspace describes one controller", name),
                        )
                        .with_related(first, "the controller is declared here")
                        .with_help("declare the other organisation as a `party` (role `controller` or `joint-controller`)"),
                    );
                    // A same-named second controller is also a duplicate (E005) below.
                    if existing.is_none() {
                        continue;
                    }
                } else {
                    first_controller = Some(name_span);
                }
            }
            if let Some(existing) = existing {
                if from_stdlib {
                    replaced.push((kind, name.to_string()));
                    // The user's declaration replaces this one; say so on the user's.
                    diagnostics.push(
                        Diagnostic::new(
                            "E012",
                            existing,
                            format!(
                                "{} `{}` replaces the standard library's `{}`",
                                kind, name, name
                            ),
                        )
                        .with_note(match crate::stdlib::source_of(kind.keyword(), name) {
                            Some(line) => format!("the standard library declares: `{line}`"),
                            None => "the standard library's facts for this name are not used".to_string(),
                        })
                        .with_help(format!(
                            "keep it if you mean to override the standard library; otherwise rename yours to declare a new {}",
                            kind
                        )),
                    );
                } else {
                    diagnostics.push(
                        Diagnostic::new(
                            "E005",
                            name_span,
                            format!("{} `{}` is declared twice", kind, name),
                        )
                        .with_related(existing, "first declared here")
                        .with_help("remove one, or give them different names"),
                    );
                }
                continue;
            }
            insert(&mut model, decl);
        }
    }

    if model.controller.is_none() {
        diagnostics.push(
            Diagnostic::workspace("E008", "no controller is declared in this workspace")
                .with_help("add `controller <name> \"<legal name>\" { country NL  contact \"…\" }` to one file"),
        );
    }

    let mut symbols = symbols::Builder::declarations(&model);
    for (kind, name) in &replaced {
        if let Some(index) = model.position(*kind, name) {
            symbols.replaces_stdlib(*kind, index);
        }
    }
    for file in stdlib_files {
        symbols.stdlib_file(file);
    }

    // A name in several words is a stdlib alias (one E004 naming the declaration) or a value too
    // many (one E003; the first word is the reference).
    let mut read_as: HashMap<(Kind, String), String> = HashMap::new();
    // Where the references to rewrite below are (phrases, and names read as the one meant).
    let mut rewrite: Vec<(u32, u32, u32)> = Vec::new();
    let mut first_words = Vec::new();
    for phrase in phrases {
        let target = aliases.by_kind[phrase.kind as usize]
            .get(&normalise(&phrase.phrase.name))
            .filter(|(target, _)| model.position(phrase.kind, target).is_some());
        if let Some((target, written)) = target {
            let note = if phrase.kind == Kind::Country {
                format!(
                    "`{written}` is `{target}`: countries are named by their ISO 3166-1 alpha-2 code"
                )
            } else {
                format!("`{written}` is what the standard library calls `{target}`")
            };
            diagnostics.push(
                Diagnostic::new(
                    "E004",
                    phrase.phrase.span,
                    format!("no {} named `{}`", phrase.kind, phrase.phrase.name),
                )
                .with_note(note)
                .with_help(format!("did you mean `{target}`?")),
            );
            let written = symbols.intern(&phrase.phrase.name);
            symbols.reference(
                phrase.kind,
                phrase.phrase.span,
                written,
                model.position(phrase.kind, target),
                symbols::Resolution::Meant,
            );
            rewrite.push(span_key(phrase.phrase.span));
            read_as.insert((phrase.kind, phrase.phrase.name), target.clone());
        } else {
            diagnostics.push(
                Diagnostic::new(
                    "E003",
                    phrase.extra,
                    format!("`{}` takes one value, found more", phrase.key),
                )
                .with_help("remove the extra value"),
            );
            rewrite.push(span_key(phrase.phrase.span));
            read_as.insert((phrase.kind, phrase.phrase.name), phrase.first.name.clone());
            first_words.push((phrase.kind, phrase.first));
        }
    }

    // Looked up per unresolved reference: hashed, so many lost declarations and many
    // references to them stay linear.
    let lost_names: HashSet<&str> = lost_names.iter().map(String::as_str).collect();
    let mut budget = suggest::Budget::per_run();
    // The same unknown name is looked up once (a misspelt category used in many activities).
    let mut answers: HashMap<(Kind, String), Option<Suggestion>> = HashMap::new();
    refs.push(first_words);
    for (kind, reference) in refs.into_iter().flatten() {
        if let Some(index) = model.position(kind, &reference.name) {
            let written = symbols.decl_name(kind, index);
            symbols.reference(
                kind,
                reference.span,
                written,
                Some(index),
                symbols::Resolution::Exact,
            );
            continue;
        }
        let written = symbols.intern(&reference.name);
        if lost_names.contains(reference.name.as_str()) {
            symbols.reference(
                kind,
                reference.span,
                written,
                None,
                symbols::Resolution::Unresolved,
            );
            continue;
        }
        let answer = answers
            .entry((kind, reference.name.clone()))
            .or_insert_with(|| suggestion(&model, &aliases, kind, &reference.name, &mut budget))
            .clone();
        let mut diagnostic = Diagnostic::new(
            "E004",
            reference.span,
            format!("no {kind} named `{}`", reference.name),
        );
        let target = answer
            .as_ref()
            .and_then(|answer| model.position(kind, &answer.name));
        symbols.reference(
            kind,
            reference.span,
            written,
            target,
            match target {
                // One mistake, one finding: the declaration meant here is resolved to, so it
                // is not also "unused" (U001).
                Some(_) => symbols::Resolution::Meant,
                None => symbols::Resolution::Unresolved,
            },
        );
        if let Some(answer) = answer {
            rewrite.push(span_key(reference.span));
            diagnostic = diagnostic.with_help(format!("did you mean `{}`?", answer.name));
            if let Some(note) = answer.note {
                diagnostic = diagnostic.with_note(note);
            }
        } else if let Some(other) = Kind::ALL
            .into_iter()
            .find(|other| *other != kind && model.position(*other, &reference.name).is_some())
        {
            diagnostic = diagnostic.with_help(format!(
                "`{}` is a {other}, but this statement needs a {kind}; declare `{kind} {} {{ … }}`",
                reference.name, reference.name
            ));
        } else if let Some((other, target)) = Kind::ALL.into_iter().find_map(|other| {
            aliases.by_kind[other as usize]
                .get(&normalise(&reference.name))
                .filter(|(target, _)| other != kind && model.position(other, target).is_some())
                .map(|(target, _)| (other, target))
        }) {
            diagnostic = diagnostic.with_help(format!(
                "`{}` is the standard library's {other} `{target}`, but this statement needs a {kind}",
                reference.name
            ));
        } else {
            diagnostic = diagnostic.with_help(format!(
                "declare it: `{kind} {} \"…\" {{ … }}`",
                reference.name
            ));
        }
        diagnostics.push(diagnostic);
    }

    // One mistake, one finding: the analysis goes on with the declaration the "did you mean"
    // names (what the user meant), so nothing follows from the misspelling (data an activity
    // "does not hold", a recipient whose country is unknown).
    let meant: HashMap<(Kind, String), String> = answers
        .into_iter()
        .filter_map(|(key, answer)| answer.map(|answer| (key, answer.name)))
        .collect();
    if !meant.is_empty() || !read_as.is_empty() {
        // Only the references recorded above change: the others are passed over by their
        // span, without hashing their names (1.5 million of them at 100,000 activities).
        rewrite.sort_unstable();
        rewrite.dedup();
        model.for_each_ref_mut(&mut |kind, reference| {
            if rewrite.binary_search(&span_key(reference.span)).is_err() {
                return;
            }
            let mut key = (kind, std::mem::take(&mut reference.name));
            if let Some(first) = read_as.get(&key) {
                key.1 = first.clone();
            }
            reference.name = match meant.get(&key) {
                Some(name) => name.clone(),
                None => key.1,
            };
        });
    }

    report_include_cycles(&model, diagnostics);
    model.symbols = symbols.finish();
    model
}

/// A span as a sortable key.
fn span_key(span: Span) -> (u32, u32, u32) {
    (span.file.0, span.start, span.end)
}

/// What a "did you mean" names, and why when it is not a near spelling.
#[derive(Clone, Debug)]
struct Suggestion {
    name: String,
    note: Option<String>,
}

/// The names the standard library knows its declarations by, for "did you mean" only: the
/// `aliases` of each stdlib declaration and its title (`country DE "Germany"`). Keys are
/// normalised (lowercase letters and digits only), so `United States`, `united-states` and
/// `UnitedStates` are one alias. Never a valid name: a reference by alias is still an E004.
#[derive(Debug, Default)]
struct Aliases {
    /// Per kind, normalised alias → (declared name, the alias as written).
    by_kind: [BTreeMap<String, (String, String)>; 9],
}

impl Aliases {
    fn add(&mut self, header: &Header) {
        let map = &mut self.by_kind[header.kind as usize];
        for alias in header.aliases.iter().chain(header.title.iter()) {
            let key = normalise(alias);
            if !key.is_empty() && key != normalise(&header.name) {
                map.entry(key)
                    .or_insert_with(|| (header.name.clone(), alias.clone()));
            }
        }
    }
}

/// Lowercase ASCII letters and digits only, accents dropped (`België` → `belgie`): the form
/// aliases are compared in, since a name in a policy file is ASCII.
fn normalise(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(fold_accent)
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ů' => 'u',
        'ý' | 'ÿ' => 'y',
        'š' | 'ś' => 's',
        'ž' | 'ź' | 'ż' => 'z',
        'ř' => 'r',
        _ => c,
    }
}

/// The declaration an unknown `name` of `kind` most likely means: a near spelling of a declared
/// name, else a name the stdlib knows it by (exactly, then nearly).
fn suggestion(
    model: &Model,
    aliases: &Aliases,
    kind: Kind,
    name: &str,
    budget: &mut suggest::Budget,
) -> Option<Suggestion> {
    let key = normalise(name);
    let by_alias = &aliases.by_kind[kind as usize];
    let alias_note = |target: &str, written: &str| {
        let what = if kind == Kind::Country {
            format!(
                "`{written}` is `{target}`: countries are named by their ISO 3166-1 alpha-2 code"
            )
        } else {
            format!("`{written}` is what the standard library calls `{target}`")
        };
        Some(Suggestion {
            name: target.to_string(),
            note: Some(what),
        })
    };
    // An exact alias wins over a near spelling: `USA` is the United States, not `SA`.
    if let Some((target, written)) = by_alias.get(&key)
        && model.position(kind, target).is_some()
    {
        return alias_note(target, written);
    }
    if let Some(near) = suggest::closest_within(name, model.names(kind), budget) {
        return Some(Suggestion {
            name: near.to_string(),
            note: None,
        });
    }
    // A near spelling of an alias (`Duitsland` misspelt), for words long enough to be names.
    if key.chars().count() >= 4
        && let Some(near) =
            suggest::closest_within(&key, by_alias.keys().map(String::as_str), budget)
        && let Some((target, written)) = by_alias.get(near)
        && model.position(kind, target).is_some()
    {
        return alias_note(target, written);
    }
    None
}

fn insert(model: &mut Model, decl: Decl) {
    let header = decl.header();
    let (kind, name) = (header.kind, header.name.clone());
    let position = match decl {
        Decl::Controller(d) => {
            model.controller = Some(d);
            0
        }
        Decl::Party(d) => push(&mut model.parties, d),
        Decl::Activity(d) => push(&mut model.activities, d),
        Decl::Data(d) => push(&mut model.data, d),
        Decl::Subjects(d) => push(&mut model.subjects, d),
        Decl::Purpose(d) => push(&mut model.purposes, d),
        Decl::System(d) => push(&mut model.systems, d),
        Decl::Country(d) => push(&mut model.countries, d),
        Decl::Breach(d) => push(&mut model.breaches, d),
    };
    model.lookup[kind as usize].insert(name, position);
}

fn push<T>(list: &mut Vec<T>, item: T) -> usize {
    list.push(item);
    list.len() - 1
}

/// Members of an `includes` cycle named in its E010 (message and related labels).
const CYCLE_NAMES_SHOWN: usize = 10;

/// One E010 per cycle of `includes`, at the cycle's first category in source order.
/// Strongly connected components find every cycle in linear time; `kosaraju_scc` is iterative,
/// so a cycle or chain as long as the workspace cannot exhaust the stack.
fn report_include_cycles(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    let mut graph: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..model.data.len()).map(|i| graph.add_node(i)).collect();
    for (i, category) in model.data.iter().enumerate() {
        for included in &category.includes {
            if let Some(j) = model.position(Kind::Data, &included.name) {
                graph.add_edge(nodes[i], nodes[j], ());
            }
        }
    }
    for component in petgraph::algo::kosaraju_scc(&graph) {
        let cyclic = component.len() > 1
            || component
                .first()
                .is_some_and(|node| graph.contains_edge(*node, *node));
        if !cyclic {
            continue;
        }
        // Model order: files by path, then source order (not by file id).
        let mut positions: Vec<usize> = component.iter().map(|node| graph[*node]).collect();
        positions.sort_unstable();
        let members: Vec<&DataCategory> = positions.iter().map(|&i| &model.data[i]).collect();
        let first = members[0];
        // A cycle can be as long as the workspace: name its first members, count the rest.
        let mut names: Vec<String> = members
            .iter()
            .take(CYCLE_NAMES_SHOWN)
            .map(|c| format!("`{}`", c.header.name))
            .collect();
        if members.len() > CYCLE_NAMES_SHOWN {
            names.push(format!("{} more", members.len() - CYCLE_NAMES_SHOWN));
        }
        let mut diagnostic = Diagnostic::new(
            "E010",
            first.header.name_span,
            format!(
                "data `{}` includes itself through {}",
                first.header.name,
                names.join(" → ")
            ),
        )
        .with_help(
            "a composite category cannot contain itself; remove one of the `includes` in the cycle",
        );
        for other in members.iter().take(CYCLE_NAMES_SHOWN).skip(1) {
            diagnostic = diagnostic.with_related(
                other.header.name_span,
                format!("`{}` is part of the cycle", other.header.name),
            );
        }
        diagnostics.push(diagnostic);
    }
}
