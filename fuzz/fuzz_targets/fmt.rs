//! `lawful fmt` on any text: a file with syntax errors is refused (`FmtError::Syntax`), never a
//! panic; any other file is formatted without a formatter bug (`FmtError::Bug`), formatting is
//! idempotent (format(format(x)) == format(x)), and checking the formatted text reports the same
//! findings (code, severity and message; lines and columns may move) as checking the input.
#![no_main]

use lawful::fmt::{FmtError, format};
use lawful::incremental::Incremental;
use lawful::source::FileId;
use lawful::time::Date;
use libfuzzer_sys::fuzz_target;
use std::sync::Mutex;

static CORE: Mutex<Option<Incremental>> = Mutex::new(None);

/// What `check` reports about `text`, without positions, sorted.
fn findings(core: &mut Incremental, text: &str) -> Vec<String> {
    core.set_file("fuzz.lawful", text);
    let analysis = core.analysis();
    let mut found: Vec<String> = analysis
        .diagnostics
        .iter()
        .map(|d| format!("{} {:?} {}", d.code, d.severity, d.message))
        .collect();
    found.sort();
    found
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let syntax_errors = lawful::syntax::parse(FileId(0), text).diagnostics;
    let formatted = match format(FileId(0), text) {
        Ok(formatted) => {
            assert!(
                syntax_errors.is_empty(),
                "formatted a file with syntax errors: {syntax_errors:?}"
            );
            formatted
        }
        Err(FmtError::Syntax(errors)) => {
            assert!(
                !errors.is_empty() && !syntax_errors.is_empty(),
                "refused a file without syntax errors"
            );
            assert!(
                errors.iter().all(|e| e.code == "E001"),
                "refused for {errors:?}"
            );
            return;
        }
        Err(FmtError::Bug(why)) => panic!("formatter bug: {why}"),
    };
    match format(FileId(0), &formatted) {
        Ok(again) => assert!(
            again == formatted,
            "not idempotent:\n{formatted:?}\nbecame\n{again:?}"
        ),
        Err(error) => panic!("the formatted text is refused: {error:?}\n{formatted:?}"),
    }
    if formatted == text {
        return;
    }
    let mut guard = CORE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let core = guard.get_or_insert_with(|| {
        let mut core = Incremental::new(Date::new(2026, 11, 22).expect("a real date"));
        core.set_threads(1);
        core
    });
    let before = findings(core, text);
    let after = findings(core, &formatted);
    assert!(
        before == after,
        "findings changed by formatting:\n{before:#?}\n{after:#?}\nformatted:\n{formatted:?}"
    );
});
