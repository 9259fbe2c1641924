//! Syntax alone: any text parses without panicking, every diagnostic points inside the
//! text, at character boundaries, and the parser's fast path gives what the full grammar gives.
#![no_main]

use lawful::source::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = lawful::syntax::parse(FileId(0), text);
    let full = lawful::syntax::parse_with_full_grammar(FileId(0), text);
    assert_eq!(format!("{parsed:?}"), format!("{full:?}"), "the fast path differs from the full grammar");
    for diagnostic in &parsed.diagnostics {
        assert!(!diagnostic.message.is_empty());
        if let Some(span) = diagnostic.primary {
            let (start, end) = (span.start as usize, span.end as usize);
            assert!(start <= end && end <= text.len(), "{}: span out of the text", diagnostic.code);
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        }
    }
});
