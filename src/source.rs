//! Source files, byte spans, and the one place where bytes become lines and columns.

use std::ops::Range;

/// Index of a file in a [`Sources`] set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span {
            file,
            start: clamp_u32(range.start),
            end: clamp_u32(range.end),
        }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Whether `other` lies inside this span (same file).
    pub fn contains(self, other: Span) -> bool {
        self.file == other.file && self.start <= other.start && other.end <= self.end
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Where a file came from: the user's workspace or the embedded standard library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    User,
    Stdlib,
    /// `lawful.toml`: kept as a source so E014 can show the offending line.
    Config,
}

/// What the shell could read of a file. The core decides what is valid UTF-8.
#[derive(Clone, Debug)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// The file could not be read at all; the reason is shown to the user.
    Unreadable(String),
}

#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the workspace root, with `/` separators.
    pub path: String,
    pub origin: Origin,
    /// The text, empty when the file is not UTF-8 or unreadable (see `problem`).
    pub text: String,
    /// Why the file has no text: not UTF-8, unreadable, too large.
    pub problem: Option<String>,
    pub lines: LineIndex,
}

/// Files beyond this size are reported, not parsed: a resource limit, not a crash. Parsing costs
/// about 85 bytes of memory per input byte (pest's token queue and the tree) and `fmt` holds a
/// second parse to verify its output, so 4 MiB is what keeps any single file within 5 s and 1 GB
/// for `check`, `fmt` and the language server on a 2-core machine (docs/robustness.md). That is
/// some 12,000 activities in one file; a register that size is split over files anyway.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// The set of files one analysis reads: the user's files in path order, then the stdlib.
///
/// A [`FileId`] is a slot: [`Sources::set`] replaces a file's text in place and
/// [`Sources::remove`] empties its slot, so the other files keep their ids (the incremental
/// analysis of `crate::incremental` relies on it). A removed slot is skipped by [`Sources::iter`].
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: Vec<Option<SourceFile>>,
    live: usize,
}

impl Sources {
    pub fn new() -> Sources {
        Sources::default()
    }

    /// Adds a file; bytes that are not UTF-8 are kept as a problem for E011.
    pub fn add(&mut self, path: impl Into<String>, origin: Origin, contents: Contents) -> FileId {
        let id = FileId(clamp_u32(self.files.len()));
        self.set(id, path, origin, contents);
        id
    }

    /// Adds a file made with [`SourceFile::new`].
    pub fn push(&mut self, file: SourceFile) -> FileId {
        let id = FileId(clamp_u32(self.files.len()));
        self.files.push(Some(file));
        self.live += 1;
        id
    }

    /// Puts a file in slot `id` (an existing slot, or the next free one), replacing what was there.
    pub fn set(&mut self, id: FileId, path: impl Into<String>, origin: Origin, contents: Contents) {
        let file = SourceFile::new(path.into(), origin, contents);
        let index = id.0 as usize;
        if self.files.len() <= index {
            self.files.resize_with(index + 1, || None);
        }
        if self.files[index].is_none() {
            self.live += 1;
        }
        self.files[index] = Some(file);
    }

    /// Empties slot `id`; the other files keep their ids.
    pub fn remove(&mut self, id: FileId) -> Option<SourceFile> {
        let file = self.files.get_mut(id.0 as usize)?.take();
        if file.is_some() {
            self.live -= 1;
        }
        file
    }

    pub fn add_text(&mut self, path: impl Into<String>, origin: Origin, text: &str) -> FileId {
        self.add(path, origin, Contents::Bytes(text.as_bytes().to_vec()))
    }

    /// The file in slot `id`; an empty file for a removed or unknown slot (never a panic).
    pub fn get(&self, id: FileId) -> &SourceFile {
        static VACANT: std::sync::OnceLock<SourceFile> = std::sync::OnceLock::new();
        match self.files.get(id.0 as usize) {
            Some(Some(file)) => file,
            _ => VACANT.get_or_init(|| {
                SourceFile::new(String::new(), Origin::User, Contents::Bytes(Vec::new()))
            }),
        }
    }

    /// The files present, by id.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((FileId(clamp_u32(i)), f.as_ref()?)))
    }

    /// How many files are present.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// One past the highest slot: arrays indexed by [`FileId`] have this length.
    pub fn slots(&self) -> usize {
        self.files.len()
    }

    /// Finds a file by its workspace-relative path.
    pub fn find(&self, path: &str) -> Option<FileId> {
        self.iter().find(|(_, f)| f.path == path).map(|(id, _)| id)
    }
}

impl SourceFile {
    /// A file as [`Sources::add`] makes it (its text checked and its lines indexed): built on
    /// their own, files can be made on several threads, then added with [`Sources::push`].
    pub fn new(path: String, origin: Origin, contents: Contents) -> SourceFile {
        let (text, problem) = match contents {
            Contents::Bytes(bytes) if bytes.len() > MAX_FILE_BYTES => (
                String::new(),
                Some(format!(
                    "the file is {} bytes, over the limit of {} bytes",
                    bytes.len(),
                    MAX_FILE_BYTES
                )),
            ),
            Contents::Bytes(bytes) => match String::from_utf8(bytes) {
                Ok(text) => (text, None),
                Err(err) => {
                    let at = err.utf8_error().valid_up_to();
                    (
                        String::new(),
                        Some(format!(
                            "the file is not valid UTF-8 (first bad byte at offset {at})"
                        )),
                    )
                }
            },
            Contents::Unreadable(reason) => (String::new(), Some(reason)),
        };
        let lines = LineIndex::new(&text);
        SourceFile {
            path,
            origin,
            text,
            problem,
            lines,
        }
    }
}

/// A 1-based line and column; columns count Unicode scalar values (the JSON contract, docs/json.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Byte offset ↔ line/column conversion for one file.
///
/// Lookups are O(log L + B) for L lines: a binary search for the line, then, on a line that is
/// not all ASCII, counts of UTF-8 continuation bytes (and 4-byte leads, for UTF-16) taken from
/// running totals kept every [`BLOCK`] bytes, plus a scan of at most `B` bytes on each end. A
/// 10 MB line costs no more per diagnostic than a short one.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// Whether each line is pure ASCII: then a column is a byte difference.
    ascii: Vec<bool>,
    /// Per block of [`BLOCK`] bytes: continuation bytes (0x80–0xBF) and 4-byte leads
    /// (0xF0–0xF7) before it. Empty when the whole file is ASCII.
    totals: Vec<(u32, u32)>,
    /// Whether the file starts with a byte order mark: it is no column of its own.
    bom: bool,
}

/// Granularity of [`LineIndex`]'s running totals.
const BLOCK: usize = 256;

impl LineIndex {
    /// One pass over the bytes: O(n).
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        let mut ascii = vec![true];
        let bytes = text.as_bytes();
        for (i, &byte) in bytes.iter().enumerate() {
            match byte {
                b'\n' => {
                    line_starts.push(i + 1);
                    ascii.push(true);
                }
                // A lone CR ends a line too; CRLF is one line end.
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => {
                    line_starts.push(i + 1);
                    ascii.push(true);
                }
                byte if !byte.is_ascii() => {
                    if let Some(last) = ascii.last_mut() {
                        *last = false;
                    }
                }
                _ => {}
            }
        }
        let mut totals = Vec::new();
        if !text.is_ascii() {
            let mut running = (0u32, 0u32);
            for block in bytes.chunks(BLOCK) {
                totals.push(running);
                let (continuations, leads) = counts(block);
                running = (running.0 + continuations, running.1 + leads);
            }
            totals.push(running);
        }
        LineIndex {
            line_starts,
            ascii,
            totals,
            bom: text.starts_with('\u{FEFF}'),
        }
    }

    /// 0-based line containing `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(0)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// (continuation bytes, 4-byte leads) in `text[..offset]`.
    fn totals_before(&self, bytes: &[u8], offset: usize) -> (usize, usize) {
        let block = offset / BLOCK;
        let (c, l) = self.totals.get(block).copied().unwrap_or_default();
        let (c2, l2) = counts(&bytes[block * BLOCK..offset]);
        (c as usize + c2 as usize, l as usize + l2 as usize)
    }

    /// Scalar values and UTF-16 units between the start of `offset`'s line and `offset`, a
    /// leading byte order mark not counted: (0-based line, scalars, UTF-16 units).
    fn position(&self, text: &str, offset: usize) -> (usize, usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let (mut scalars, mut units) = if self.ascii.get(line).copied().unwrap_or(false) {
            (offset - start, offset - start)
        } else {
            let bytes = text.as_bytes();
            let (c0, l0) = self.totals_before(bytes, start);
            let (c1, l1) = self.totals_before(bytes, offset);
            let scalars = (offset - start) - (c1 - c0);
            (scalars, scalars + (l1 - l0))
        };
        if line == 0 && self.bom && offset >= 3 {
            scalars -= 1;
            units -= 1;
        }
        (line, scalars, units)
    }

    /// 1-based line and column (in Unicode scalar values) of a byte offset in `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let (line, column, _) = self.position(text, offset);
        LineCol {
            line: clamp_u32(line + 1),
            column: clamp_u32(column + 1),
        }
    }

    /// The 0-based (line, UTF-16 column) of a byte offset: what LSP clients count.
    pub fn utf16_position(&self, text: &str, offset: usize) -> (u32, u32) {
        let (line, _, column) = self.position(text, offset);
        (clamp_u32(line), clamp_u32(column))
    }
}

/// (continuation bytes, 4-byte leads) in a slice of UTF-8.
fn counts(bytes: &[u8]) -> (u32, u32) {
    let mut continuations = 0;
    let mut leads = 0;
    for &byte in bytes {
        continuations += u32::from(byte & 0xC0 == 0x80);
        leads += u32::from(byte >= 0xF0);
    }
    (continuations, leads)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_scalar_values_not_bytes() {
        let text = "party x \"Wet justitiële gegevens\" {\n  role processor\n}";
        let index = LineIndex::new(text);
        let brace = text.find('{').unwrap();
        // 'ë' is two bytes but one column.
        assert_eq!(
            index.line_col(text, brace),
            LineCol {
                line: 1,
                column: 35
            }
        );
        let role = text.find("role").unwrap();
        assert_eq!(index.line_col(text, role), LineCol { line: 2, column: 3 });
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs_twice() {
        let text = "x \"😀\" y";
        let index = LineIndex::new(text);
        let y = text.find('y').unwrap();
        // Six scalar values precede `y`, but seven UTF-16 code units.
        assert_eq!(index.utf16_position(text, y), (0, 7));
        assert_eq!(index.line_col(text, y).column, 7);
    }

    #[test]
    fn a_byte_order_mark_is_no_column() {
        let text = "\u{FEFF}party x {\n  é y\n}";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 3), LineCol { line: 1, column: 1 });
        let x = text.find('x').unwrap();
        assert_eq!(index.line_col(text, x), LineCol { line: 1, column: 7 });
        assert_eq!(index.utf16_position(text, x), (0, 6));
        let y = text.find(" y").unwrap() + 1;
        assert_eq!(index.line_col(text, y), LineCol { line: 2, column: 5 });
    }

    #[test]
    fn columns_on_long_mixed_lines_match_a_count() {
        // Blocks of the running totals split characters; every offset must still agree with
        // counting from the line start.
        let text: String = "ab€😀\nx".repeat(300) + &"é😀a".repeat(400);
        let index = LineIndex::new(&text);
        for (offset, _) in text.char_indices().step_by(7) {
            let line = index.line_of(offset);
            let start = index.line_start(line);
            let expected = text[start..offset].chars().count() + 1;
            let units: usize = text[start..offset].chars().map(char::len_utf16).sum();
            assert_eq!(index.line_col(&text, offset).column as usize, expected);
            assert_eq!(index.utf16_position(&text, offset).1 as usize, units);
        }
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = "a\r\nb\rc\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, text.find('b').unwrap()).line, 2);
        assert_eq!(index.line_col(text, text.find('c').unwrap()).line, 3);
        assert_eq!(index.line_col(text, text.find('d').unwrap()).line, 4);
    }

    #[test]
    fn offsets_inside_a_character_do_not_panic() {
        let text = "é";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 1), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 99), LineCol { line: 1, column: 2 });
    }

    /// Slots: replacing and removing a file moves no other id; an empty slot is skipped by
    /// `iter` and reads as an empty file.
    #[test]
    fn file_ids_are_stable_slots() {
        let mut sources = Sources::new();
        let a = sources.add_text("a.lawful", Origin::User, "data a { }");
        let b = sources.add_text("b.lawful", Origin::User, "data b { }");
        let c = sources.add_text("c.lawful", Origin::User, "data c { }");
        assert!(sources.remove(b).is_some());
        assert!(sources.remove(b).is_none());
        sources.set(
            a,
            "a.lawful",
            Origin::User,
            Contents::Bytes(b"data z { }".to_vec()),
        );
        let live: Vec<(FileId, &str)> = sources
            .iter()
            .map(|(id, f)| (id, f.text.as_str()))
            .collect();
        assert_eq!(live, vec![(a, "data z { }"), (c, "data c { }")]);
        assert_eq!((sources.len(), sources.slots()), (2, 3));
        assert_eq!(sources.get(b).text, "");
        assert_eq!(sources.get(FileId(99)).path, "");
        assert_eq!(sources.find("c.lawful"), Some(c));
        sources.set(
            b,
            "b2.lawful",
            Origin::User,
            Contents::Unreadable("gone".into()),
        );
        assert_eq!(sources.get(b).problem.as_deref(), Some("gone"));
        assert_eq!(sources.len(), 3);
    }
}
