//! `lawful.toml` (SPEC §1): every key optional; unknown keys and bad values are E014 and fall
//! back to their default; only text that is not TOML at all stops the run.

use crate::diag::Diagnostic;
use crate::registry::{self, Severity};
use crate::source::{FileId, LineIndex, Span};
use crate::suggest;
use crate::time::Date;
use std::collections::BTreeMap;

/// Language of generated documents and messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Nl,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub sources: Vec<String>,
    pub today: Option<Date>,
    pub lang: Lang,
    /// Per-code severity; `None` is `off`.
    pub rules: BTreeMap<String, Option<Severity>>,
    pub large_scale: u64,
}

pub const DEFAULT_LARGE_SCALE: u64 = 10_000;

impl Default for Config {
    fn default() -> Config {
        Config {
            sources: vec![".".to_string()],
            today: None,
            lang: Lang::En,
            rules: BTreeMap::new(),
            large_scale: DEFAULT_LARGE_SCALE,
        }
    }
}

/// `lawful.toml` is not TOML: the run stops (exit 2) with this message.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
    pub line: u32,
    pub column: u32,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "lawful.toml:{}:{}: {}",
            self.line, self.column, self.message
        )
    }
}

const SECTIONS: [&str; 3] = ["workspace", "rules", "breach"];
const WORKSPACE_KEYS: [&str; 3] = ["sources", "today", "lang"];

/// Parses `lawful.toml`; `file` is its id in the source set, for E014 anchors.
pub fn parse(text: &str, file: FileId) -> Result<(Config, Vec<Diagnostic>), ConfigError> {
    let table: toml::Table = text.parse().map_err(|error: toml::de::Error| {
        let index = LineIndex::new(text);
        let offset = error.span().map_or(0, |span| span.start);
        let at = index.line_col(text, offset);
        ConfigError {
            message: error.message().trim().to_string(),
            line: at.line,
            column: at.column,
        }
    })?;
    let mut reader = Reader {
        text,
        file,
        diagnostics: Vec::new(),
    };
    let mut config = Config::default();
    for (section, value) in &table {
        let Some(entries) = value.as_table() else {
            let message = if SECTIONS.contains(&section.as_str()) {
                format!("`{section}` must be a table: `[{section}]`")
            } else {
                format!("unknown key `{section}`")
            };
            reader.bad(None, section, message, suggest::closest(section, SECTIONS));
            continue;
        };
        match section.as_str() {
            "workspace" => reader.workspace(entries, &mut config),
            "rules" => reader.rules(entries, &mut config),
            "breach" => reader.breach(entries, &mut config),
            _ => reader.bad(
                None,
                section,
                format!("unknown section `[{section}]`"),
                suggest::closest(section, SECTIONS),
            ),
        }
    }
    Ok((config, reader.diagnostics))
}

struct Reader<'a> {
    text: &'a str,
    file: FileId,
    diagnostics: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn bad(&mut self, section: Option<&str>, key: &str, message: String, suggestion: Option<&str>) {
        let diagnostic = match key_span(self.text, section, key) {
            Some(range) => Diagnostic::new("E014", Span::new(self.file, range), message),
            None => Diagnostic::file("E014", self.file, message),
        };
        let diagnostic = diagnostic
            .with_suggestion(suggestion)
            .with_note("this setting falls back to its default");
        self.diagnostics.push(diagnostic);
    }

    fn workspace(&mut self, entries: &toml::Table, config: &mut Config) {
        for (key, value) in entries {
            match key.as_str() {
                "sources" => match value.as_array().and_then(|items| {
                    items
                        .iter()
                        .map(|item| item.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                }) {
                    Some(sources) if !sources.is_empty() => {
                        if let Some(bad) = sources
                            .iter()
                            .find(|s| s.starts_with('/') || s.split(['/', '\\']).any(|p| p == ".."))
                        {
                            self.bad(
                                Some("workspace"),
                                key,
                                format!("source directory `{bad}` lies outside the workspace"),
                                None,
                            );
                        } else {
                            config.sources = sources;
                        }
                    }
                    _ => self.bad(
                        Some("workspace"),
                        key,
                        "`sources` must be a non-empty list of directories, e.g. `[\"policies\"]`"
                            .to_string(),
                        None,
                    ),
                },
                "today" => {
                    let date = match value {
                        toml::Value::String(text) => Date::parse(text),
                        toml::Value::Datetime(datetime) if datetime.time.is_none() => {
                            datetime.date.and_then(|d| {
                                Date::new(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                            })
                        }
                        _ => None,
                    };
                    match date {
                        Some(date) => config.today = Some(date),
                        None => self.bad(
                            Some("workspace"),
                            key,
                            format!("`today` must be a date such as \"2026-11-22\", found {value}"),
                            None,
                        ),
                    }
                }
                "lang" => match value.as_str() {
                    Some("en") => config.lang = Lang::En,
                    Some("nl") => config.lang = Lang::Nl,
                    _ => self.bad(
                        Some("workspace"),
                        key,
                        format!("`lang` must be \"en\" or \"nl\", found {value}"),
                        value
                            .as_str()
                            .and_then(|v| suggest::closest(v, ["en", "nl"])),
                    ),
                },
                _ => self.bad(
                    Some("workspace"),
                    key,
                    format!("unknown key `{key}` in `[workspace]`"),
                    suggest::closest(key, WORKSPACE_KEYS),
                ),
            }
        }
    }

    fn rules(&mut self, entries: &toml::Table, config: &mut Config) {
        for (key, value) in entries {
            let Some(rule) = registry::lookup(key) else {
                let codes = registry::all().iter().map(|rule| rule.code);
                self.bad(
                    Some("rules"),
                    key,
                    format!("unknown rule code `{key}`"),
                    suggest::closest(&key.to_uppercase(), codes),
                );
                continue;
            };
            let severity = match value.as_str() {
                Some("error") => Some(Severity::Error),
                Some("warning") => Some(Severity::Warning),
                Some("info") => Some(Severity::Info),
                Some("off") => None,
                _ => {
                    let levels = ["error", "warning", "info", "off"];
                    self.bad(
                        Some("rules"),
                        key,
                        format!("`{key}` must be \"error\", \"warning\", \"info\" or \"off\", found {value}"),
                        value.as_str().and_then(|v| suggest::closest(v, levels)),
                    );
                    continue;
                }
            };
            config.rules.insert(rule.code.to_string(), severity);
        }
    }

    fn breach(&mut self, entries: &toml::Table, config: &mut Config) {
        for (key, value) in entries {
            match (key.as_str(), value.as_integer()) {
                ("large-scale", Some(n)) if n > 0 => config.large_scale = n.unsigned_abs(),
                ("large-scale", _) => self.bad(
                    Some("breach"),
                    key,
                    format!("`large-scale` must be a positive whole number, found {value}"),
                    None,
                ),
                _ => self.bad(
                    Some("breach"),
                    key,
                    format!("unknown key `{key}` in `[breach]`"),
                    suggest::closest(key, ["large-scale"]),
                ),
            }
        }
    }
}

/// Finds where `key` is written inside `[section]` (or at the top level for `None`), so E014
/// can point at it. The TOML is already known to be valid; this only needs the common forms.
pub(crate) fn key_span(
    text: &str,
    section: Option<&str>,
    key: &str,
) -> Option<std::ops::Range<usize>> {
    let mut current: Option<String> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(header) = trimmed.strip_prefix('[') {
            let name = header
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"');
            if section.is_none() && name == key {
                return Some(offset + indent + 1..offset + indent + 1 + key.len());
            }
            current = Some(name.to_string());
        } else if current.as_deref() == section {
            for quoted in [key.to_string(), format!("\"{key}\"")] {
                if let Some(rest) = trimmed.strip_prefix(&quoted)
                    && rest.trim_start().starts_with('=')
                {
                    return Some(offset + indent..offset + indent + quoted.len());
                }
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_empty() {
        let (config, diagnostics) = parse("", FileId(0)).unwrap();
        assert_eq!(config, Config::default());
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn unknown_keys_are_reported_at_the_key_and_fall_back() {
        let text = "[workspace]\nlang = \"de\"\ntoday = \"2026-02-30\"\nsourcs = [\"x\"]\n[breach]\nlarge-scale = 500\n";
        let (config, diagnostics) = parse(text, FileId(0)).unwrap();
        assert_eq!(config.lang, Lang::En);
        assert_eq!(config.today, None);
        assert_eq!(config.large_scale, 500);
        let mut lines: Vec<u32> = diagnostics
            .iter()
            .map(|d| {
                d.primary
                    .map(|s| LineIndex::new(text).line_col(text, s.start as usize).line)
                    .unwrap_or(0)
            })
            .collect();
        lines.sort();
        assert_eq!(lines, vec![2, 3, 4]);
        assert!(diagnostics.iter().all(|d| d.code == "E014"));
        assert!(
            diagnostics
                .iter()
                .any(|d| d.help.as_deref() == Some("did you mean `sources`?"))
        );
    }

    #[test]
    fn invalid_toml_stops_with_line_and_column() {
        let error = parse("[workspace]\nlang = \n", FileId(0)).unwrap_err();
        assert_eq!(error.line, 2);
    }
}
