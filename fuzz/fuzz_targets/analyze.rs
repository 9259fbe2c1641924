//! The whole analysis of one user file next to the standard library: never panics, and every
//! diagnostic renders. The stdlib's texts are read once, outside the loop.
#![no_main]

use lawful::config::Config;
use lawful::source::{Origin, Sources};
use lawful::time::Date;
use lawful::{Settings, analyze, stdlib};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn stdlib_texts() -> &'static [(String, String)] {
    static TEXTS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        let mut sources = Sources::new();
        stdlib::add_to(&mut sources);
        sources
            .iter()
            .map(|(_, file)| (file.path.clone(), file.text.clone()))
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = Sources::new();
    sources.add_text("fuzz.lawful", Origin::User, text);
    for (path, text) in stdlib_texts() {
        sources.add_text(path.clone(), Origin::Stdlib, text);
    }
    let settings = Settings {
        config: Config::default(),
        today: Date::new(2026, 11, 22).expect("a real date"),
    };
    let analysis = analyze(&sources, &settings);
    let _ = lawful::diag::human::render(&analysis.diagnostics, &sources, false);
    let json = lawful::diag::json::render(&analysis.diagnostics, &sources, analysis.files);
    assert!(json.starts_with('{'));
});
