//! The whole analysis of one user file next to the standard library, through the incremental
//! core (`lawful::incremental::Incremental`): the stdlib is parsed once per process and only
//! the fuzzed file is parsed per input. Never panics; every span of every diagnostic (primary,
//! related, fix edits) lies inside its file's text at character boundaries; both renderers run.
#![no_main]

use lawful::incremental::Incremental;
use lawful::source::{Contents, Sources, Span};
use lawful::time::Date;
use libfuzzer_sys::fuzz_target;
use std::sync::Mutex;

static CORE: Mutex<Option<Incremental>> = Mutex::new(None);

fn check_span(sources: &Sources, span: Span, code: &str, what: &str) {
    let text = &sources.get(span.file).text;
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(
        start <= end && end <= text.len(),
        "{code}: {what} span {start}..{end} out of a text of {}",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{code}: {what} span {start}..{end} not on character boundaries"
    );
}

fuzz_target!(|data: &[u8]| {
    let mut guard = CORE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let core = guard.get_or_insert_with(|| {
        let mut core = Incremental::new(Date::new(2026, 11, 22).expect("a real date"));
        core.set_threads(1);
        core
    });
    // Raw bytes: invalid UTF-8 must give E011, not a panic.
    core.set_contents("fuzz.lawful", Contents::Bytes(data.to_vec()));
    let analysis = core.analysis();
    let sources = core.sources();
    for diagnostic in &analysis.diagnostics {
        assert!(
            !diagnostic.message.is_empty(),
            "{}: empty message",
            diagnostic.code
        );
        if let Some(span) = diagnostic.primary {
            check_span(sources, span, diagnostic.code, "primary");
        }
        for related in &diagnostic.related {
            check_span(sources, related.span, diagnostic.code, "related");
        }
        for fix in &diagnostic.fixes {
            for edit in &fix.edits {
                check_span(sources, edit.span, diagnostic.code, "fix edit");
            }
        }
    }
    let _ = lawful::diag::human::render(&analysis.diagnostics, sources, false);
    let json = lawful::diag::json::render(&analysis.diagnostics, sources, analysis.files);
    assert!(json.starts_with('{'));
});
