//! `lawful.toml` (docs/commands.md): every key optional; unknown keys and bad values are E014 and fall
//! back to their default; only text that is not TOML at all stops the run.

use crate::diag::Diagnostic;
use crate::registry::{self, Severity};
use crate::source::{FileId, LineIndex, Span};
use crate::suggest;
use crate::time::Date;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

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
    /// Where `sources` is written, so the shell can report a directory that does not exist.
    pub sources_key: Option<Range<usize>>,
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
            sources_key: None,
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
    let table = DeTable::parse(text).map_err(|error| {
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
        file,
        diagnostics: Vec::new(),
    };
    let mut config = Config::default();
    for (key, value) in table.get_ref().iter() {
        let section = key.get_ref().as_ref();
        let Some(entries) = value.get_ref().as_table() else {
            let message = if SECTIONS.contains(&section) {
                format!("`{section}` must be a table: `[{section}]`")
            } else {
                format!("unknown key `{section}`")
            };
            reader.bad(key.span(), message, suggest::closest(section, SECTIONS));
            continue;
        };
        match section {
            "workspace" => reader.workspace(entries, &mut config),
            "rules" => reader.rules(entries, &mut config),
            "breach" => reader.breach(entries, &mut config),
            _ => reader.bad(
                key.span(),
                format!("unknown section `[{section}]`"),
                suggest::closest(section, SECTIONS),
            ),
        }
    }
    Ok((config, reader.diagnostics))
}

struct Reader {
    file: FileId,
    diagnostics: Vec<Diagnostic>,
}

/// How a TOML value reads in a message.
fn show(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(text) => format!("\"{text}\""),
        // The digits come without their prefix: `0x10` must not read as "10".
        DeValue::Integer(n) => {
            let prefix = match n.radix() {
                16 => "0x",
                8 => "0o",
                2 => "0b",
                _ => "",
            };
            let digits = n.as_str();
            match digits.strip_prefix(['-', '+']) {
                Some(rest) => format!("{}{prefix}{rest}", &digits[..1]),
                None => format!("{prefix}{digits}"),
            }
        }
        DeValue::Float(n) => n.as_str().to_string(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        DeValue::Array(_) => "a list".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

impl Reader {
    fn bad(&mut self, key: Range<usize>, message: String, suggestion: Option<&str>) {
        self.diagnostics.push(
            Diagnostic::new("E014", Span::new(self.file, key), message)
                .with_suggestion_or(
                    suggestion,
                    "see the `lawful.toml` section of the README for every key and value",
                )
                .with_note("this setting falls back to its default"),
        );
    }

    fn workspace(&mut self, entries: &DeTable<'_>, config: &mut Config) {
        for (key, value) in entries.iter() {
            let name = key.get_ref().as_ref();
            let value = value.get_ref();
            match name {
                "sources" => {
                    let sources = value.as_array().and_then(|items| {
                        items
                            .iter()
                            .map(|item| item.get_ref().as_str().map(str::to_string))
                            .collect::<Option<Vec<_>>>()
                    });
                    match sources {
                        Some(sources) if !sources.is_empty() => {
                            let outside = sources.iter().find(|s| {
                                s.starts_with('/') || s.split(['/', '\\']).any(|part| part == "..")
                            });
                            if let Some(outside) = outside {
                                self.bad(
                                    key.span(),
                                    format!("source directory `{outside}` lies outside the workspace"),
                                    None,
                                );
                            } else {
                                config.sources = sources;
                                config.sources_key = Some(key.span());
                            }
                        }
                        _ => self.bad(
                            key.span(),
                            "`sources` must be a non-empty list of directories, e.g. `[\"policies\"]`"
                                .to_string(),
                            None,
                        ),
                    }
                }
                "today" => {
                    let date = match value {
                        DeValue::String(text) => Date::parse(text),
                        DeValue::Datetime(datetime) if datetime.time.is_none() => {
                            datetime.date.and_then(|d| {
                                Date::new(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                            })
                        }
                        _ => None,
                    };
                    match date {
                        Some(date) => config.today = Some(date),
                        None => self.bad(
                            key.span(),
                            format!(
                                "`today` must be a date such as \"2026-11-22\", found {}",
                                show(value)
                            ),
                            None,
                        ),
                    }
                }
                "lang" => match value.as_str() {
                    Some("en") => config.lang = Lang::En,
                    Some("nl") => config.lang = Lang::Nl,
                    _ => self.bad(
                        key.span(),
                        format!("`lang` must be \"en\" or \"nl\", found {}", show(value)),
                        value
                            .as_str()
                            .and_then(|v| suggest::closest(v, ["en", "nl"])),
                    ),
                },
                _ => self.bad(
                    key.span(),
                    format!("unknown key `{name}` in `[workspace]`"),
                    suggest::closest(name, WORKSPACE_KEYS),
                ),
            }
        }
    }

    fn rules(&mut self, entries: &DeTable<'_>, config: &mut Config) {
        for (key, value) in entries.iter() {
            let name = key.get_ref().as_ref();
            let value = value.get_ref();
            let Some(rule) = registry::lookup(name) else {
                let codes = registry::all().iter().map(|rule| rule.code);
                self.bad(
                    key.span(),
                    format!("unknown rule code `{name}`"),
                    suggest::closest(&name.to_uppercase(), codes),
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
                        key.span(),
                        format!(
                            "`{name}` must be \"error\", \"warning\", \"info\" or \"off\", found {}",
                            show(value)
                        ),
                        value.as_str().and_then(|v| level_synonym(v).or_else(|| suggest::closest(v, levels))),
                    );
                    continue;
                }
            };
            config.rules.insert(rule.code.to_string(), severity);
        }
    }

    fn breach(&mut self, entries: &DeTable<'_>, config: &mut Config) {
        for (key, value) in entries.iter() {
            let name = key.get_ref().as_ref();
            let value = value.get_ref();
            let number = value
                .as_integer()
                .filter(|n| n.radix() == 10)
                .and_then(|n| n.as_str().replace('_', "").parse::<u64>().ok());
            match (name, number) {
                ("large-scale", Some(n)) if n > 0 => config.large_scale = n,
                ("large-scale", _) => self.bad(
                    key.span(),
                    format!(
                        "`large-scale` must be a positive whole number, found {}",
                        show(value)
                    ),
                    None,
                ),
                _ => self.bad(
                    key.span(),
                    format!("unknown key `{name}` in `[breach]`"),
                    suggest::closest(name, ["large-scale"]),
                ),
            }
        }
    }
}

/// The exact level for words other tools use (`warn` in ESLint and Clippy, `allow`, `deny`).
fn level_synonym(value: &str) -> Option<&'static str> {
    match value.to_ascii_lowercase().as_str() {
        "warn" | "warnings" | "w" => Some("warning"),
        "err" | "errors" | "deny" | "forbid" | "e" => Some("error"),
        "note" | "notice" | "information" | "hint" | "i" => Some("info"),
        "allow" | "none" | "ignore" | "disable" | "disabled" | "false" | "no" => Some("off"),
        _ => None,
    }
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
    fn other_tools_level_words_get_the_exact_fix() {
        let (config, diagnostics) = parse("[rules]\nB005 = \"warn\"\n", FileId(0)).unwrap();
        assert!(config.rules.is_empty());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(
            diagnostics[0].help.as_deref(),
            Some("did you mean `warning`?")
        );
        let (_, diagnostics) = parse("[rules]\nB005 = \"allow\"\n", FileId(0)).unwrap();
        assert_eq!(diagnostics[0].help.as_deref(), Some("did you mean `off`?"));
    }

    #[test]
    fn integers_in_messages_keep_their_radix() {
        for (text, shown) in [
            ("0x10", "0x10"),
            ("0o17", "0o17"),
            ("0b101", "0b101"),
            ("-5", "-5"),
        ] {
            let toml = format!("[breach]\nlarge-scale = {text}\n");
            let (config, diagnostics) = parse(&toml, FileId(0)).unwrap();
            assert_eq!(config.large_scale, DEFAULT_LARGE_SCALE);
            assert!(
                diagnostics[0].message.ends_with(&format!("found {shown}")),
                "{}",
                diagnostics[0].message
            );
        }
    }

    #[test]
    fn invalid_toml_stops_with_line_and_column() {
        let error = parse("[workspace]\nlang = \n", FileId(0)).unwrap_err();
        assert_eq!(error.line, 2);
    }
}
