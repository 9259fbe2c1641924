//! GitHub Actions: workflow commands (`::error`/`::warning`/`::notice`), shown as annotations
//! on the pull request, and a Markdown job summary.
//!
//! GitHub shows at most 10 annotations of each type per step, so at most [`MAX_PER_TYPE`]
//! errors, warnings and notices are written (in the usual order: file, line, column, code),
//! then one `::notice` line saying how many more of each there are (when that line is needed,
//! it takes the place of the tenth notice). The job summary (for
//! `$GITHUB_STEP_SUMMARY`) counts every finding per code and lists the first ones.

use super::Diagnostic;
use crate::registry::{self, Severity};
use crate::source::Sources;
use std::collections::BTreeMap;

/// GitHub's limit of annotations of one type per step.
pub const MAX_PER_TYPE: usize = 10;
/// Findings listed in the job summary's table.
pub const SUMMARY_FINDINGS: usize = 50;

/// One workspace's share of the output, files named from where the workflow runs.
pub struct Part<'a> {
    pub diagnostics: &'a [Diagnostic],
    pub sources: &'a Sources,
    pub names: Vec<String>,
}

pub fn render(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    render_named(diagnostics, sources, &super::own_names(sources))
}

/// As [`render`], naming files from `names` (paths from where the workflow runs, so the
/// annotations attach when the workspace is a subfolder of the repository).
pub fn render_named(diagnostics: &[Diagnostic], sources: &Sources, names: &[String]) -> String {
    render_parts(&[Part {
        diagnostics,
        sources,
        names: names.to_vec(),
    }])
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// The annotations of every part, at most [`MAX_PER_TYPE`] of each type. Messages are cleaned
/// ([`Diagnostic::cleaned`]): no control character reaches the log.
pub fn render_parts(parts: &[Part<'_>]) -> String {
    let mut out = String::new();
    let mut totals = [0usize; 3];
    for d in parts.iter().flat_map(|p| p.diagnostics) {
        totals[d.severity as usize] += 1;
    }
    // The closing line is a notice itself: when it is needed, one notice fewer is written, so
    // it is never the eleventh that GitHub drops.
    let overflow = totals.iter().any(|n| *n > MAX_PER_TYPE);
    let caps = [
        MAX_PER_TYPE,
        MAX_PER_TYPE,
        MAX_PER_TYPE - usize::from(overflow),
    ];
    // errors, warnings, infos written and left out
    let mut written = [0usize; 3];
    let mut more = [0usize; 3];
    for part in parts {
        for d in part.diagnostics {
            let slot = d.severity as usize;
            if written[slot] >= caps[slot] {
                more[slot] += 1;
                continue;
            }
            written[slot] += 1;
            out.push_str(&annotation(d, part.sources, &part.names));
        }
    }
    if more.iter().any(|n| *n > 0) {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        out.push_str(&format!(
            "::notice title=lawful::{} more not shown as annotations ({} per type); run `lawful check` to see them all\n",
            escape_data(&[
                plural(more[0], "error"),
                plural(more[1], "warning"),
                plural(more[2], "info"),
            ]
            .join(", ")),
            MAX_PER_TYPE
        ));
    }
    out
}

fn annotation(d: &Diagnostic, sources: &Sources, names: &[String]) -> String {
    let d = &d.cleaned();
    let at = super::locate_named(sources, names, d.file_only, d.primary);
    let mut properties = Vec::new();
    if let Some(file) = &at.file {
        properties.push(format!("file={}", escape_property(file)));
        if at.line > 0 {
            properties.push(format!("line={}", at.line));
            properties.push(format!("col={}", at.column));
            properties.push(format!("endLine={}", at.end_line));
            properties.push(format!("endColumn={}", at.end_column));
        }
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("{} ({})", d.code, d.article()))
    ));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{} {}::{}\n",
        command(d.severity),
        properties.join(","),
        escape_data(&message)
    )
}

/// The Markdown job summary: the totals, a table of counts per code, and the first
/// [`SUMMARY_FINDINGS`] findings with their place.
pub fn summary(parts: &[Part<'_>]) -> String {
    let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
    let mut counts = [0usize; 3];
    for part in parts {
        for d in part.diagnostics {
            *per_code.entry(d.code).or_default() += 1;
            counts[d.severity as usize] += 1;
        }
    }
    let mut out = String::from("## Lawful\n\n");
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    out.push_str(&format!(
        "{}, {}, {}\n",
        plural(counts[0], "error"),
        plural(counts[1], "warning"),
        plural(counts[2], "info")
    ));
    if per_code.is_empty() {
        return out;
    }
    let mut rows: Vec<(&str, usize)> = per_code.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    out.push_str("\n| code | severity | rule | article | count |\n|---|---|---|---|---:|\n");
    for (code, count) in rows {
        let rule = registry::lookup(code);
        out.push_str(&format!(
            "| `{code}` | {} | {} | {} | {count} |\n",
            rule.map_or("", |r| r.severity.as_str()),
            cell(rule.map_or("", |r| r.name)),
            cell(rule.map_or("", |r| r.article)),
        ));
    }
    out.push_str("\n| place | code | message |\n|---|---|---|\n");
    let total: usize = counts.iter().sum();
    let mut listed = 0;
    'parts: for part in parts {
        for d in part.diagnostics {
            if listed == SUMMARY_FINDINGS {
                break 'parts;
            }
            listed += 1;
            let d = d.cleaned();
            let at = super::locate_named(part.sources, &part.names, d.file_only, d.primary);
            let place = match (&at.file, at.line) {
                (Some(file), 0) => file.clone(),
                (Some(file), line) => format!("{file}:{line}:{}", at.column),
                (None, _) => "(workspace)".to_string(),
            };
            out.push_str(&format!(
                "| {} | `{}` | {} |\n",
                cell(&place),
                d.code,
                cell(&d.message)
            ));
        }
    }
    if total > listed {
        out.push_str(&format!(
            "\n{} more; run `lawful check` to see them all.\n",
            total - listed
        ));
    }
    out
}

/// Text for a Markdown table cell: `|` escaped, line ends as spaces, HTML markup defused.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_escape_their_separators() {
        assert_eq!(escape_property("a:b,c%\nd"), "a%3Ab%2Cc%25%0Ad");
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(cell("a|b\n<i>"), "a\\|b &lt;i&gt;");
    }
}
