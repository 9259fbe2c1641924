//! The documents: the Art. 30 register, the rights matrix and the layered privacy notice.
//! Each is a pure adapter over the one [`crate::Analysis`] (model, flow and facts): no second
//! model, no I/O. Every function returns the document's text; the command line writes it.
//! Wording lives in [`lang`], one table per language.
//!
//! Output is deterministic: activities in source order, every list in a fixed order, no
//! clock or randomness (the date is the run's `today`).

pub mod jsonld;
pub mod lang;
pub mod notice;
pub mod register;
pub mod register_render;
pub mod rights;
pub mod sha256;

pub use crate::config::Lang;
use lang::Words;
use register::{RetentionEntry, SourceEntry, TransferEntry};

/// Text for one Markdown table cell or line: no line breaks, `|` escaped, `<` written as
/// `&lt;` (so no HTML tag passes), control characters (terminal escapes) dropped.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' | '\t' => out.push(' '),
            '<' => out.push_str("&lt;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text for HTML content or attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// One CSV field (RFC 4180): quoted when it holds a comma, quote, line break or
/// surrounding space, quotes doubled. A field a spreadsheet would run as a formula (starting
/// with `=`, `+`, `-`, `@`) gets a leading `'`, as OWASP advises against CSV injection.
pub fn csv_field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.chars()
            .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
            .collect()
    };
    if guarded.contains([',', '"', '\n', '\r'])
        || guarded.starts_with(' ')
        || guarded.ends_with(' ')
    {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// One CSV record, CRLF-terminated (RFC 4180).
pub fn csv_row(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// A name with its title: `Postwise Inc. (postwise)`, or the name alone.
pub fn titled(name: &str, title: Option<&str>) -> String {
    match title {
        Some(title) if !title.is_empty() => format!("{title} ({name})"),
        _ => name.to_string(),
    }
}

/// The part after `party:` / `system:`.
pub fn bare(reference: &str) -> &str {
    reference
        .split_once(':')
        .map_or(reference, |(_, name)| name)
}

/// A retention period in words.
pub fn retention(w: &Words, entry: Option<&RetentionEntry>) -> String {
    let Some(entry) = entry else {
        return w.not_stated.to_string();
    };
    let period = || {
        entry
            .period
            .as_deref()
            .and_then(parse_duration)
            .map(|d| w.duration(d))
            .unwrap_or_default()
    };
    match entry.kind.as_str() {
        "period" => period(),
        "after" => format!(
            "{} {} {}",
            period(),
            w.retention_after,
            entry.after.as_deref().unwrap_or("")
        ),
        "until-withdrawn" => w.retention_until_withdrawn.to_string(),
        _ => w.retention_indefinite.to_string(),
    }
}

/// `7 years` back into a duration (the register keeps the English keywords).
pub fn parse_duration(text: &str) -> Option<crate::time::Duration> {
    let (count, unit) = text.split_once(' ')?;
    Some(crate::time::Duration {
        count: count.parse().ok()?,
        unit: crate::time::Unit::parse(unit)?,
    })
}

/// How a third-country transfer is protected, in words: the mechanism (and derogation), else
/// the adequacy decision, else a warning.
pub fn transfer_mechanism(w: &Words, t: &TransferEntry) -> String {
    use crate::model::vocab::{Derogation, Mechanism};
    if let Some(mechanism) = t.mechanism.as_deref().and_then(Mechanism::from_keyword) {
        let mut text = w.mechanism(mechanism).to_string();
        if let Some(d) = t.derogation.as_deref().and_then(Derogation::from_keyword) {
            text.push_str(": ");
            text.push_str(w.derogation(d));
        }
        if t.status.starts_with("adequate") {
            text = format!("{}; {text}", adequacy(w, t));
        }
        return text;
    }
    if t.status.starts_with("adequate") {
        return adequacy(w, t);
    }
    w.unprotected.to_string()
}

fn adequacy(w: &Words, t: &TransferEntry) -> String {
    match (&t.requires, t.status.as_str()) {
        (Some(requires), "adequate-partial") => format!("{} {requires}", w.adequacy_partial),
        _ => w.adequacy.to_string(),
    }
}

/// The destination of a transfer with its chain: `Nimbus Cloud Inc. (nimbus), onward via postwise`.
pub fn transfer_destination(w: &Words, t: &TransferEntry) -> String {
    let mut text = titled(bare(&t.to), t.to_title.as_deref());
    if !t.via.is_empty() {
        text.push_str(&format!(", {} {}", w.onward_via, t.via.join(" → ")));
    }
    text
}

/// Where data comes from, in words: the data subject, public sources, or the party by title.
pub fn source_text(w: &Words, s: &SourceEntry) -> String {
    match s.kind.as_str() {
        "subject" => w.from_subject.to_string(),
        "public" => w.from_public.to_string(),
        _ => titled(s.name.as_deref().unwrap_or(""), s.title.as_deref()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_cannot_break_the_table_or_carry_html() {
        assert_eq!(md("a | b\nc <script>"), "a \\| b c &lt;script>");
        assert_eq!(md("bell\u{7}\u{1b}[31m"), "bell[31m");
    }

    #[test]
    fn html_text_is_escaped() {
        assert_eq!(
            html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn csv_fields_follow_rfc_4180_and_never_start_a_formula() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field(" padded"), "\" padded\"");
        assert_eq!(csv_field("-1"), "'-1");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_row(&["a".into(), "b c".into()]), "a,b c\r\n");
    }

    #[test]
    fn durations_read_back_and_are_worded_per_language() {
        let d = parse_duration("7 years").unwrap();
        assert_eq!(lang::EN.duration(d), "7 years");
        assert_eq!(lang::NL.duration(d), "7 jaar");
        assert_eq!(
            lang::NL.duration(parse_duration("1 month").unwrap()),
            "1 maand"
        );
        assert!(parse_duration("seven years").is_none());
    }
}
