//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per diagnostic,
//! shown as annotations on the pull request.

use super::Diagnostic;
use crate::registry::Severity;
use crate::source::Sources;

pub fn render(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    render_named(diagnostics, sources, &super::own_names(sources))
}

/// As [`render`], naming files from `names` (paths from where the workflow runs, so the
/// annotations attach when the workspace is a subfolder of the repository). Messages are
/// cleaned ([`Diagnostic::cleaned`]): no control character reaches the log.
pub fn render_named(diagnostics: &[Diagnostic], sources: &Sources, names: &[String]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let d = &d.cleaned();
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
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
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            escape_data(&message)
        ));
    }
    out
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
    }
}
