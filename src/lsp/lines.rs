//! LSP positions ↔ byte offsets, in the encoding negotiated with the client.
//!
//! Lines come from the one [`LineIndex`] of `crate::source`; this module only counts the
//! columns in the unit the client asked for (UTF-8 bytes or UTF-16 code units). Positions past
//! the end of a line clamp to the line end, and positions inside a character to its start, as
//! the protocol asks.

use crate::source::LineIndex;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// The column unit agreed in `initialize`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (no conversion at all), else UTF-16, which every client
    /// must support.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// A text with its line index: the one converter every handler uses.
pub struct Lines<'t> {
    text: &'t str,
    index: std::borrow::Cow<'t, LineIndex>,
    encoding: Encoding,
}

impl<'t> Lines<'t> {
    /// Indexes `text` (one pass over it).
    pub fn new(text: &'t str, encoding: Encoding) -> Lines<'t> {
        Lines {
            text,
            index: std::borrow::Cow::Owned(LineIndex::new(text)),
            encoding,
        }
    }

    /// A file of the analysis, with the line index it already has: no pass over the text.
    pub fn of(file: &'t crate::source::SourceFile, encoding: Encoding) -> Lines<'t> {
        Lines {
            text: &file.text,
            index: std::borrow::Cow::Borrowed(&file.lines),
            encoding,
        }
    }

    /// The end of line `line`'s content (before its line end).
    fn line_end(&self, line: usize) -> usize {
        let next = if line + 1 < self.index.line_count() {
            self.index.line_start(line + 1)
        } else {
            self.text.len()
        };
        let content = &self.text[self.index.line_start(line).min(next)..next];
        let trimmed = content.trim_end_matches(['\n', '\r']);
        self.index.line_start(line) + trimmed.len()
    }

    /// The byte offset of an LSP position; clamps past the end of a line or of the text.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.index.line_count() {
            return self.text.len();
        }
        let start = self.index.line_start(line);
        let end = self.line_end(line);
        let mut units = 0usize;
        for (i, c) in self.text[start..end].char_indices() {
            let width = self.encoding.width(c);
            if units + width > position.character as usize {
                return start + i;
            }
            units += width;
        }
        end
    }

    /// The LSP position of a byte offset (clamped to the text, floored to a character).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.index.line_of(offset);
        let start = self.index.line_start(line).min(offset);
        let character: usize = match self.encoding {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => self.text[start..offset].chars().map(char::len_utf16).sum(),
        };
        Position::new(clamp(line), clamp(character))
    }

    pub fn range(&self, bytes: std::ops::Range<usize>) -> Range {
        Range::new(self.position(bytes.start), self.position(bytes.end))
    }

    pub fn byte_range(&self, range: Range) -> std::ops::Range<usize> {
        let start = self.offset(range.start);
        let end = self.offset(range.end).max(start);
        start..end
    }
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Applies one `didChange` content change in place: a range replaced, or the whole text.
pub fn apply_change(text: &mut String, range: Option<Range>, new_text: &str, encoding: Encoding) {
    match range {
        None => *text = new_text.to_string(),
        Some(range) => {
            let bytes = Lines::new(text, encoding).byte_range(range);
            text.replace_range(bytes, new_text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str, encoding: Encoding) {
        let lines = Lines::new(text, encoding);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let position = lines.position(offset);
            assert_eq!(lines.offset(position), offset, "{text:?} at {offset}");
        }
    }

    #[test]
    fn dutch_names_count_one_unit_in_utf16_and_two_bytes_in_utf8() {
        let text = "party ministerie \"Wet justitiële gegevens\" {\n  role processor\n}";
        let brace = text.find('{').unwrap();
        let utf16 = Lines::new(text, Encoding::Utf16);
        let utf8 = Lines::new(text, Encoding::Utf8);
        assert_eq!(utf16.position(brace), Position::new(0, 43));
        assert_eq!(utf8.position(brace), Position::new(0, 44));
        assert_eq!(utf16.offset(Position::new(0, 43)), brace);
        assert_eq!(utf8.offset(Position::new(0, 44)), brace);
        let role = text.find("role").unwrap();
        assert_eq!(utf16.position(role), Position::new(1, 2));
        round_trip(text, Encoding::Utf16);
        round_trip(text, Encoding::Utf8);
    }

    #[test]
    fn cjk_is_one_utf16_unit_and_three_bytes() {
        let text = "party 東京 \"東京支社\" { }";
        let quote = text.find('"').unwrap();
        assert_eq!(
            Lines::new(text, Encoding::Utf16).position(quote),
            Position::new(0, 9)
        );
        assert_eq!(
            Lines::new(text, Encoding::Utf8).position(quote),
            Position::new(0, 13)
        );
        round_trip(text, Encoding::Utf16);
        round_trip(text, Encoding::Utf8);
    }

    #[test]
    fn emoji_is_a_surrogate_pair_and_the_middle_of_it_is_floored() {
        let text = "x \"😀\" y\nz";
        let lines = Lines::new(text, Encoding::Utf16);
        let y = text.find('y').unwrap();
        assert_eq!(lines.position(y), Position::new(0, 7));
        // Character 4 is between the two surrogates: it maps to the emoji's start.
        assert_eq!(lines.offset(Position::new(0, 4)), text.find('😀').unwrap());
        round_trip(text, Encoding::Utf16);
        round_trip(text, Encoding::Utf8);
    }

    #[test]
    fn positions_past_the_line_end_clamp_to_it_and_past_the_text_to_its_end() {
        let text = "ab\r\ncd";
        let lines = Lines::new(text, Encoding::Utf16);
        assert_eq!(lines.offset(Position::new(0, 99)), 2);
        assert_eq!(lines.offset(Position::new(1, 1)), 5);
        assert_eq!(lines.offset(Position::new(7, 0)), text.len());
    }

    #[test]
    fn incremental_changes_apply_in_the_negotiated_unit() {
        let mut text = "naam \"Bakkerij De Korenschoof 😀\" x".to_string();
        // Replace `x` (UTF-16 column 34: the emoji counts two) with `y`.
        apply_change(
            &mut text,
            Some(Range::new(Position::new(0, 34), Position::new(0, 35))),
            "y",
            Encoding::Utf16,
        );
        assert_eq!(text, "naam \"Bakkerij De Korenschoof 😀\" y");
        apply_change(
            &mut text,
            Some(Range::new(Position::new(0, 0), Position::new(0, 4))),
            "name",
            Encoding::Utf8,
        );
        assert!(text.starts_with("name \""));
        apply_change(&mut text, None, "fresh", Encoding::Utf8);
        assert_eq!(text, "fresh");
    }

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF16])),
            Encoding::Utf16
        );
        assert_eq!(
            Encoding::negotiate(Some(&[
                PositionEncodingKind::UTF16,
                PositionEncodingKind::UTF8
            ])),
            Encoding::Utf8
        );
    }
}
