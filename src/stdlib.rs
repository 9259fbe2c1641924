//! The standard library, written in Lawful and embedded in the binary (docs/language.md lists what it holds).

use crate::source::{Origin, Sources};

/// Each stdlib file, by the path shown in diagnostics.
pub const FILES: [(&str, &str); 4] = [
    (
        "<stdlib>/countries.lawful",
        include_str!("../stdlib/countries.lawful"),
    ),
    (
        "<stdlib>/data.lawful",
        include_str!("../stdlib/data.lawful"),
    ),
    (
        "<stdlib>/subjects.lawful",
        include_str!("../stdlib/subjects.lawful"),
    ),
    (
        "<stdlib>/purposes.lawful",
        include_str!("../stdlib/purposes.lawful"),
    ),
];

/// Adds the stdlib files after the user's, so user declarations come first in source order.
pub fn add_to(sources: &mut Sources) {
    for (path, text) in FILES {
        sources.add_text(path, Origin::Stdlib, text);
    }
}

/// The date the stdlib's facts (adequacy decisions, authorities, consent ages) were last
/// checked, read from the `# facts-checked:` line of its files.
pub fn facts_checked() -> &'static str {
    FILES
        .iter()
        .flat_map(|(_, text)| text.lines())
        .find_map(|line| line.strip_prefix("# facts-checked:"))
        .map_or("unknown", str::trim)
}

/// The stdlib source of a declaration, for `lawful explain`-style lookups and E012 help.
pub fn source_of(kind: &str, name: &str) -> Option<&'static str> {
    let prefix = format!("{kind} {name} ");
    FILES
        .iter()
        .flat_map(|(_, text)| text.lines())
        .find(|line| line.trim_start().starts_with(&prefix))
        .map(str::trim)
}
