//! Fixes as data: the edits that resolve a finding, attached to it after the rules ran.
//!
//! * every "did you mean" naming one candidate (a key, a value, a reference, a declaration
//!   kind, a rule code): replace what was written with it (safe);
//! * values written almost right: `6weeks` → `6 weeks`, `2026-11-27 08:15` →
//!   `2026-11-27T08:15` (safe); a flag given a value: `encrypted no`, `profiling no` → remove
//!   the statement, `profiling yes` → remove the value (safe);
//! * a missing `retention` (A002), a missing processing agreement (D001) or clauses (D002), a
//!   missing transfer tool (T001) or impact assessment (T003): insert a skeleton (unsafe: the
//!   user chooses the period, the reference, the mechanism);
//! * [`allow_fix`] gives `allow CODE "…"` for any finding on demand (unsafe); it is not attached
//!   to every diagnostic (it would double the JSON of a large workspace for a fix an editor
//!   offers in a menu anyway): the language server synthesises it as a code action.
//!
//! Inserted statements take the indentation of the block they go into (two spaces deeper than
//! its closing `}`); a block closed on the line of its last statement gets the statement on that
//! line after a `;`. [`apply`] applies edits back to front and refuses overlapping ones.
//!
//! Cost: one pass over the diagnostics; a declaration is found from a diagnostic's span through
//! a map built once, so the pass is linear in the diagnostics plus the model.

use crate::diag::{Diagnostic, Edit, Fix};
use crate::facts::Facts;
use crate::facts::transfers::Endpoint;
use crate::model::Model;
use crate::model::vocab::Clause;
use crate::source::{Sources, Span};
use crate::suggest;
use std::collections::HashMap;

/// The placeholder text of skeletons: a string the user replaces.
const TBD: &str = "…";

/// Attaches the fixes each diagnostic can carry (see the module docs).
pub fn attach(diagnostics: &mut [Diagnostic], model: &Model, facts: &Facts, sources: &Sources) {
    let mut index: Option<Index> = None;
    for diagnostic in diagnostics.iter_mut() {
        let Some(span) = diagnostic.primary else {
            continue;
        };
        let text = sources.get(span.file).text.as_str();
        if text.get(span.start as usize..span.end as usize).is_none() {
            continue;
        }
        let fix = match diagnostic.code {
            "A002" | "D001" | "D002" | "T001" | "T003" => {
                let index = index.get_or_insert_with(|| Index::new(model, facts));
                skeleton(diagnostic, span, sources, model, facts, index)
            }
            // A fix made where the finding was (lowering knows when a rename would repeat a key).
            _ if !diagnostic.fixes.is_empty() => None,
            _ => did_you_mean(diagnostic, span, text).or_else(|| value(diagnostic, span, text)),
        };
        if let Some(fix) = fix {
            diagnostic.fixes.push(fix);
        }
    }
}

/// `allow CODE "…"` as the first statement of the declaration the finding is in: unsafe, the
/// reason is the user's. `None` for findings outside any declaration and for the structural
/// errors `allow` cannot silence (E001–E014 other than E012).
pub fn allow_fix(diagnostic: &Diagnostic, model: &Model, sources: &Sources) -> Option<Fix> {
    let span = diagnostic.primary?;
    if diagnostic.code.starts_with('E') && diagnostic.code != "E012" {
        return None;
    }
    let header = model.headers().find(|h| {
        h.span.file == span.file && h.span.start <= span.start && span.end <= h.span.end
    })?;
    let text = sources.get(span.file).text.as_str();
    let open = header.span.start as usize
        + text
            .get(header.span.start as usize..header.span.end as usize)?
            .find('{')?;
    let line = format!("allow {} \"{TBD}\"", diagnostic.code);
    let edit = insert_first(text, span.file, open, &line)?;
    Some(Fix::unsafe_(
        format!(
            "allow `{}` in `{}` (give the reason)",
            diagnostic.code, header.name
        ),
        vec![edit],
    ))
}

/// Applies non-overlapping edits to `text`, back to front. `Err` with the first overlap.
pub fn apply(text: &str, edits: &[&Edit]) -> Result<String, (Span, Span)> {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    for pair in sorted.windows(2) {
        if pair[1].span.start < pair[0].span.end
            || (pair[1].span.start == pair[0].span.start && pair[0].span.start == pair[0].span.end)
        {
            return Err((pair[0].span, pair[1].span));
        }
    }
    let mut out = text.to_string();
    for edit in sorted.iter().rev() {
        let (start, end) = (edit.span.start as usize, edit.span.end as usize);
        if end > out.len() || !out.is_char_boundary(start) || !out.is_char_boundary(end) {
            return Err((edit.span, edit.span));
        }
        out.replace_range(start..end, &edit.text);
    }
    Ok(out)
}

/// The safe fixes of `diagnostics` for one file, skipping any that overlaps one already taken
/// (the first in order wins); what `lawful check --fix` applies.
pub fn safe_edits(diagnostics: &[Diagnostic], file: crate::source::FileId) -> Vec<&Edit> {
    let mut taken: Vec<&Edit> = Vec::new();
    for diagnostic in diagnostics {
        for fix in &diagnostic.fixes {
            if fix.applicability != crate::diag::Applicability::Safe
                || fix.edits.iter().any(|e| e.span.file != file)
            {
                continue;
            }
            let overlaps = fix.edits.iter().any(|e| {
                taken.iter().any(|t| {
                    e.span.start < t.span.end && t.span.start < e.span.end
                        || e.span.start == t.span.start
                })
            });
            if !overlaps {
                taken.extend(fix.edits.iter());
            }
            break;
        }
    }
    taken
}

// ---- did you mean -------------------------------------------------------------------------

/// The one candidate of a "did you mean `X`?" help.
fn candidate(help: &str) -> Option<&str> {
    let name = help.strip_prefix("did you mean `")?.strip_suffix("`?")?;
    (!name.is_empty() && !name.contains('`')).then_some(name)
}

fn did_you_mean(diagnostic: &Diagnostic, span: Span, text: &str) -> Option<Fix> {
    let near = candidate(diagnostic.help.as_deref()?)?;
    let (start, end) = (span.start as usize, span.end as usize);
    let (start, end) = if diagnostic.code == "E013" {
        // `allow B05 "…"`: the code is the word after `allow`.
        let stmt = &text[start..end];
        let after = stmt.strip_prefix("allow")?;
        let skip = after.len() - after.trim_start().len();
        let word = after.trim_start().split(char::is_whitespace).next()?;
        let from = start + 5 + skip;
        (from, from + word.len())
    } else if start == end {
        // A syntax error at a word: the word.
        let word = text[start..]
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .next()?;
        (start, start + word.len())
    } else {
        (start, end)
    };
    let written = &text[start..end];
    if written.is_empty() || written.contains(['\n', '\r', '"', '{', '}']) || written == near {
        return None;
    }
    Some(Fix::safe(
        format!("replace `{written}` with `{near}`"),
        vec![Edit {
            span: Span::new(span.file, start..end),
            text: near.to_string(),
        }],
    ))
}

// ---- values -------------------------------------------------------------------------------

fn value(diagnostic: &Diagnostic, span: Span, text: &str) -> Option<Fix> {
    let help = diagnostic.help.as_deref()?;
    if diagnostic.code == "E001" {
        let edit = suggest::value_edit(text, span.start as usize)?;
        if edit.help != help {
            return None;
        }
        let written = &text[edit.range.clone()];
        return Some(Fix::safe(
            format!("write `{written}` as `{}`", edit.text),
            vec![Edit {
                span: Span::new(span.file, edit.range),
                text: edit.text,
            }],
        ));
    }
    if diagnostic.code != "E003" {
        return None;
    }
    let says_no = help.starts_with("leave `");
    let flag = diagnostic.message.ends_with("is a flag and takes no value");
    let encrypted = diagnostic
        .message
        .starts_with("`encrypted` states that the data was encrypted");
    if !(flag || encrypted) {
        return None;
    }
    let (start, end) = (span.start as usize, span.end as usize);
    // The statement is the key right before the value, alone with it on its line.
    let before = &text[..start];
    let key_end = before.trim_end_matches([' ', '\t']).len();
    let key_start = before[..key_end]
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '-' || *c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let key = &text[key_start..key_end];
    if key.is_empty() || !diagnostic.message.starts_with(&format!("`{key}`")) {
        return None;
    }
    if says_no || encrypted {
        let line_start = before[..key_start].rfind('\n').map_or(0, |i| i + 1);
        let rest = &text[end..];
        let line_end = rest.find('\n').map_or(text.len(), |i| end + i + 1);
        let alone =
            text[line_start..key_start].trim().is_empty() && text[end..line_end].trim().is_empty();
        if !alone {
            return None;
        }
        return Some(Fix::safe(
            format!("remove `{}`", text[key_start..end].trim()),
            vec![Edit {
                span: Span::new(span.file, line_start..line_end),
                text: String::new(),
            }],
        ));
    }
    Some(Fix::safe(
        format!("remove the value of `{key}`"),
        vec![Edit {
            span: Span::new(span.file, key_end..end),
            text: String::new(),
        }],
    ))
}

// ---- skeletons ----------------------------------------------------------------------------

/// Declarations by the start of their name, for findings anchored there.
struct Index {
    activities: HashMap<(u32, u32), usize>,
    parties: HashMap<(u32, u32), usize>,
    /// Parties by their `agreement` statement.
    agreements: HashMap<Span, usize>,
    /// Transfer edges by their anchor statement (`recipient a, b` anchors two).
    edges: HashMap<Span, Vec<usize>>,
}

impl Index {
    fn new(model: &Model, facts: &Facts) -> Index {
        let key = |s: Span| (s.file.0, s.start);
        let mut edges = HashMap::new();
        for (i, edge) in facts.transfers.iter().enumerate() {
            edges.entry(edge.anchor).or_insert_with(Vec::new).push(i);
        }
        Index {
            agreements: model
                .parties
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Some((p.agreement.as_ref()?.stmt, i)))
                .collect(),
            edges,
            activities: model
                .activities
                .iter()
                .enumerate()
                .map(|(i, a)| (key(a.header.name_span), i))
                .collect(),
            parties: model
                .parties
                .iter()
                .enumerate()
                .map(|(i, p)| (key(p.header.name_span), i))
                .collect(),
        }
    }
}

fn skeleton(
    diagnostic: &Diagnostic,
    span: Span,
    sources: &Sources,
    model: &Model,
    facts: &Facts,
    index: &Index,
) -> Option<Fix> {
    let at = (span.file.0, span.start);
    let text = sources.get(span.file).text.as_str();
    match diagnostic.code {
        "A002" => {
            let activity = &model.activities[*index.activities.get(&at)?];
            let edit = insert_last(text, activity.header.span, &["retention 1 year"])?;
            Some(Fix::unsafe_(
                "add `retention` (choose the period)",
                vec![edit],
            ))
        }
        "D001" => {
            let party = &model.parties[*index.parties.get(&at)?];
            let clauses = format!("  clauses {}", all_clauses());
            let lines = [&format!("agreement \"{TBD}\" {{") as &str, &clauses, "}"];
            let edit = insert_last(text, party.header.span, &lines)?;
            Some(Fix::unsafe_(
                "add a processing agreement with the nine Art. 28(3) clauses",
                vec![edit],
            ))
        }
        "D002" => {
            let party = &model.parties[*index.agreements.get(&span)?];
            let agreement = party.agreement.as_ref()?;
            let missing: Vec<&str> = Clause::ALL
                .iter()
                .filter(|c| !agreement.clauses.iter().any(|w| w.value == **c))
                .map(|c| c.keyword())
                .collect();
            let edit = if let Some(last) = agreement.clauses.iter().map(|c| c.span).max() {
                Edit {
                    span: Span::new(span.file, last.end as usize..last.end as usize),
                    text: format!(", {}", missing.join(", ")),
                }
            } else if text[..span.end as usize].ends_with('}') {
                insert_last(text, span, &[&format!("clauses {}", missing.join(", "))])?
            } else {
                Edit {
                    span: Span::new(span.file, span.end as usize..span.end as usize),
                    text: format!(" {{ clauses {} }}", missing.join(", ")),
                }
            };
            Some(Fix::unsafe_(
                "add the missing Art. 28(3) clauses (once the agreement has them)",
                vec![edit],
            ))
        }
        "T001" => {
            // The edge whose receiver the message names.
            let header = index.edges.get(&span)?.iter().find_map(|&i| {
                let header = match facts.transfers[i].destination() {
                    Endpoint::Party(i) => &model.parties.get(i)?.header,
                    Endpoint::System(i) => &model.systems.get(i)?.header,
                    Endpoint::Activity(_) => return None,
                };
                diagnostic
                    .message
                    .contains(&format!("`{}`", header.name))
                    .then_some(header)
            })?;
            if header.from_stdlib {
                return None;
            }
            // The party or system may be declared in another file than the edge.
            let line = format!("transfer scc {{ tia \"{TBD}\" }}");
            let edit = insert_last(&sources.get(header.span.file).text, header.span, &[&line])?;
            Some(Fix::unsafe_(
                format!("add `transfer scc {{ tia … }}` to `{}`", header.name),
                vec![edit],
            ))
        }
        "T003" => {
            let tia = format!("tia \"{TBD}\"");
            let edit = if text[..span.end as usize].ends_with('}') {
                insert_last(text, span, &[&tia])?
            } else {
                Edit {
                    span: Span::new(span.file, span.end as usize..span.end as usize),
                    text: format!(" {{ {tia} }}"),
                }
            };
            Some(Fix::unsafe_(
                "add the transfer impact assessment (`tia`)",
                vec![edit],
            ))
        }
        _ => None,
    }
}

fn all_clauses() -> String {
    Clause::WORDS.join(", ")
}

/// An edit inserting `lines` (a statement, its own lines indented relative to the first) as
/// the last statement of the block that `block` ends with (`… }`).
fn insert_last(text: &str, block: Span, lines: &[&str]) -> Option<Edit> {
    let end = block.end as usize;
    if !text.get(..end)?.ends_with('}') {
        return None;
    }
    let brace = end - 1;
    let line_start = text[..brace].rfind('\n').map_or(0, |i| i + 1);
    let lead = &text[line_start..brace];
    if lead.trim().is_empty() && line_start > block.start as usize {
        let indent = format!("{lead}  ");
        let mut out = String::new();
        for line in lines {
            out.push_str(&indent);
            out.push_str(line);
            out.push('\n');
        }
        Some(Edit {
            span: Span::new(block.file, line_start..line_start),
            text: out,
        })
    } else {
        // A block closed on the line of its last statement: the statement joins that line.
        let one_line = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        let sep = if text[..brace].trim_end().ends_with('{') {
            ""
        } else {
            "; "
        };
        let pad = if text[..brace].ends_with(' ') {
            ""
        } else {
            " "
        };
        Some(Edit {
            span: Span::new(block.file, brace..brace),
            text: format!("{pad}{sep}{} ", one_line.trim()),
        })
    }
}

/// An edit inserting `line` as the first statement after the `{` at `open`.
fn insert_first(text: &str, file: crate::source::FileId, open: usize, line: &str) -> Option<Edit> {
    let after = open + 1;
    let rest = &text[after..];
    let line_end = rest.find('\n')?;
    if !rest[..line_end].trim().is_empty() {
        return Some(Edit {
            span: Span::new(file, after..after),
            text: format!(" {line};"),
        });
    }
    // The indentation of the next non-blank line.
    let next = &rest[line_end + 1..];
    let indent: String = next
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.chars().take_while(|c| *c == ' ' || *c == '\t').collect())
        .unwrap_or_else(|| "  ".to_string());
    let at = after + line_end + 1;
    Some(Edit {
        span: Span::new(file, at..at),
        text: format!("{indent}{line}\n"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn edit(range: std::ops::Range<usize>, text: &str) -> Edit {
        Edit {
            span: Span::new(FileId(0), range),
            text: text.to_string(),
        }
    }

    #[test]
    fn apply_goes_back_to_front_and_refuses_overlaps() {
        let a = edit(0..3, "ABC");
        let b = edit(4..4, "++");
        assert_eq!(apply("abc def", &[&b, &a]).unwrap(), "ABC ++def");
        let c = edit(2..5, "x");
        assert!(apply("abc def", &[&a, &c]).is_err());
        // Two insertions at one place have no defined order.
        assert!(apply("abc", &[&b, &b]).is_err());
    }

    #[test]
    fn statements_go_in_at_the_block_indentation() {
        let text = "activity a {\n    purpose p\n  }\n";
        let e = insert_last(
            text,
            Span::new(FileId(0), 0..text.len() - 1),
            &["retention 1 year"],
        )
        .unwrap();
        assert_eq!(
            apply(text, &[&e]).unwrap(),
            "activity a {\n    purpose p\n    retention 1 year\n  }\n"
        );
        let text = "activity a { purpose p }";
        let e = insert_last(
            text,
            Span::new(FileId(0), 0..text.len()),
            &["retention 1 year"],
        )
        .unwrap();
        assert_eq!(
            apply(text, &[&e]).unwrap(),
            "activity a { purpose p ; retention 1 year }"
        );
        let text = "transfer scc {}";
        let e = insert_last(text, Span::new(FileId(0), 0..text.len()), &["tia \"x\""]).unwrap();
        assert_eq!(apply(text, &[&e]).unwrap(), "transfer scc { tia \"x\" }");
    }

    #[test]
    fn candidates_are_read_from_did_you_mean_only() {
        assert_eq!(candidate("did you mean `purpose`?"), Some("purpose"));
        assert_eq!(candidate("did you mean `a` or `b`?"), None);
        assert_eq!(candidate("write `x`"), None);
    }
}
