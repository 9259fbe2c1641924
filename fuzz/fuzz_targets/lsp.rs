//! The language server's message handling, through its public entry points (src/lsp/):
//!
//! * the first byte even: the rest is the byte stream from the editor, fed to
//!   `lsp::transport::screen`; what comes out must be a sequence of well-formed frames
//!   (`Content-Length: N\r\n\r\n` and N bytes of JSON), each one a frame of the input;
//! * the first byte odd: the rest is a document and `didChange` edits (NUL-separated; each edit
//!   starts with five bytes: the encoding and the range's start and end line and column), applied
//!   with `lsp::lines::apply_change`; the final text is analysed as an open buffer
//!   (`lsp::core::snapshot`), and the requests of `lsp::ide` are asked at positions taken from
//!   the edits. Every position maps back to a byte offset on a character boundary, and every span
//!   answered lies inside the text.
#![no_main]

use lawful::lsp::core::{Disk, Document, Engine, load_disk, snapshot};
use lawful::lsp::lines::{Encoding, Lines, apply_change};
use lawful::lsp::{ide, transport};
use lawful::source::Span;
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use tower_lsp_server::ls_types::{Position, Range};

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
    })
}

/// An empty workspace in a directory of its own, read once.
fn disk() -> &'static (PathBuf, Disk) {
    static DISK: OnceLock<(PathBuf, Disk)> = OnceLock::new();
    DISK.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("lawful-fuzz-lsp-{}", std::process::id()));
        std::fs::create_dir_all(&root).expect("a temporary directory");
        let root = std::fs::canonicalize(&root).expect("a real path");
        let disk = load_disk(&root, false).expect("an empty workspace");
        (root, disk)
    })
}

fn frames(data: &[u8]) {
    let mut out: Vec<u8> = Vec::new();
    runtime().block_on(transport::screen(data, &mut out));
    let mut rest = &out[..];
    while !rest.is_empty() {
        let header_end = rest
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a frame header");
        let header = std::str::from_utf8(&rest[..header_end]).expect("an ASCII header");
        let length: usize = header
            .strip_prefix("Content-Length: ")
            .and_then(|n| n.parse().ok())
            .expect("a Content-Length header");
        let body = &rest[header_end + 4..header_end + 4 + length];
        serde_json::from_slice::<serde_json::Value>(body).expect("a JSON body");
        assert!(
            data.windows(length.max(1)).any(|w| w == body) || length == 0,
            "a body that is not in the input"
        );
        rest = &rest[header_end + 4 + length..];
    }
}

fn check_span(text: &str, span: Span, what: &str) {
    let (start, end) = (span.start as usize, span.end as usize);
    check_range(text, start, end, what);
}

fn check_range(text: &str, start: usize, end: usize, what: &str) {
    assert!(
        start <= end && end <= text.len(),
        "{what}: {start}..{end} out of a text of {}",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: {start}..{end} not on character boundaries"
    );
}

fn document(data: &[u8]) {
    let mut parts = data.split(|&b| b == 0);
    let Some(first) = parts.next() else {
        return;
    };
    let mut text = String::from_utf8_lossy(first).into_owned();
    let mut positions = Vec::new();
    for edit in parts {
        if edit.len() < 5 {
            continue;
        }
        let encoding = if edit[0] & 1 == 0 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        let range = Range::new(
            Position::new(u32::from(edit[1] >> 4), u32::from(edit[2])),
            Position::new(u32::from(edit[3] >> 4), u32::from(edit[4])),
        );
        let new_text = String::from_utf8_lossy(&edit[5..]);
        let whole = edit[0] & 2 != 0;
        {
            let lines = Lines::new(&text, encoding);
            let bytes = lines.byte_range(range);
            check_range(&text, bytes.start, bytes.end, "byte_range");
            let position = lines.position(bytes.start);
            assert_eq!(
                lines.offset(position),
                bytes.start,
                "position/offset round trip"
            );
        }
        apply_change(&mut text, (!whole).then_some(range), &new_text, encoding);
        positions.push((encoding, range.start));
        positions.push((encoding, range.end));
    }
    let (root, disk) = disk();
    let path = root.join("fuzz.lawful");
    let mut documents = HashMap::new();
    documents.insert(
        path.clone(),
        Document {
            text: text.clone(),
            version: 1,
        },
    );
    // One engine for the whole run, as the server keeps one: the stdlib is analysed once and
    // each input is an edit of the same buffer.
    static ENGINE: Mutex<Option<Engine>> = Mutex::new(None);
    let mut engine = ENGINE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let engine = engine.get_or_insert_with(Engine::new);
    let snap = snapshot(disk, &documents, engine, 1);
    let file = snap
        .file_of(&path)
        .expect("the open buffer is in the snapshot");
    assert_eq!(snap.sources.get(file).text, text);
    for diagnostic in &snap.analysis.diagnostics {
        if let Some(span) = diagnostic.primary
            && span.file == file
        {
            check_span(&text, span, diagnostic.code);
        }
    }
    for (start, end, _) in ide::semantic_tokens(&snap, file) {
        check_range(&text, start, end, "semantic token");
    }
    for (start, end, _) in ide::folding_ranges(&snap, file) {
        check_range(&text, start, end, "folding range");
    }
    for (start, end, _) in ide::links(&snap, file) {
        check_range(&text, start, end, "link");
    }
    fn outline(text: &str, items: &[ide::Outline]) {
        for item in items {
            check_span(text, item.span, "outline");
            check_span(text, item.selection, "outline selection");
            outline(text, &item.children);
        }
    }
    outline(&text, &ide::outline(&snap, file));
    let formatted = ide::format_document(&snap, file);
    if let Ok(Some(formatted)) = &formatted {
        assert!(
            lawful::syntax::parse(file, formatted)
                .diagnostics
                .is_empty()
        );
    }
    for &(encoding, position) in positions.iter().take(8) {
        let lines = Lines::new(&text, encoding);
        let offset = lines.offset(position);
        check_range(&text, offset, offset, "offset");
        let in_file = |span: Span| {
            if span.file == file {
                check_span(&text, span, "answer");
            }
        };
        if let Some((_, span)) = ide::hover(&snap, file, offset) {
            in_file(span);
        }
        if let Some(span) = ide::definition(&snap, file, offset) {
            in_file(span);
        }
        for span in ide::references(&snap, file, offset, true) {
            in_file(span);
        }
        for (span, _) in ide::highlights(&snap, file, offset) {
            in_file(span);
        }
        if ide::prepare_rename(&snap, file, offset).is_ok()
            && let Ok(spans) = ide::rename(&snap, file, offset, "renamed")
        {
            spans.into_iter().for_each(|edit| in_file(edit.span));
        }
        let end = lines.offset(Position::new(position.line + 3, 0));
        if let Ok(Some((range, _))) = ide::format_range(&snap, file, offset..end.max(offset)) {
            check_range(&text, range.start, range.end, "format range");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((mode, rest)) if mode & 1 == 0 => frames(rest),
        Some((_, rest)) => document(rest),
        None => {}
    }
});
