//! Position encodings: every conversion between UTF-8 byte offsets and line/column positions.
//!
//! The analysis core speaks UTF-8 byte offsets; LSP clients speak `(line, character)` where
//! `character` counts UTF-8 bytes, UTF-16 code units or Unicode scalar values, as negotiated at
//! `initialize` (LSP 3.17 `general.positionEncodings`). This is the only module that converts
//! between the two, so that the LSP layer and the CLI (which reports columns in characters) agree.
//!
//! Lines end at `\n`, `\r\n` or `\r`, exactly as the LSP specification says (ropey is built with
//! `cr_lines` only, so U+2028 and friends are not line breaks). Single conversions go through the
//! rope in O(log n); many at once go through a [`PositionCursor`] (one lookup per line). All clamp
//! out-of-range input as the specification asks, and never panic.

use ropey::{Rope, RopeSlice};
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

use crate::analysis::Span;

mod cursor;
pub use cursor::{positions_of, ranges_of, PositionCursor};

/// The unit in which a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PositionEncoding {
    /// UTF-8 code units (bytes).
    Utf8,
    /// UTF-16 code units: the LSP default, what a client gets when it says nothing.
    #[default]
    Utf16,
    /// Unicode scalar values (Rust `char`s).
    Utf32,
}

impl PositionEncoding {
    /// Chooses the encoding from what the client offers: utf-8 (no conversion for us) over utf-32
    /// over utf-16. A client that offers nothing, or nothing we know, gets utf-16 (the spec's
    /// mandatory default).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        let offered = offered.unwrap_or_default();
        let offers = |kind: &PositionEncodingKind| offered.iter().any(|o| o == kind);
        if offers(&PositionEncodingKind::UTF8) {
            PositionEncoding::Utf8
        } else if offers(&PositionEncodingKind::UTF32) {
            PositionEncoding::Utf32
        } else {
            PositionEncoding::Utf16
        }
    }

    /// The protocol name of this encoding, for `capabilities.positionEncoding`.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
            PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
            PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }
}

/// Number of chars of the line terminator (`\n`, `\r\n`, `\r` or none) that ends `line`.
fn terminator_chars(line: RopeSlice<'_>) -> usize {
    let len = line.len_chars();
    if len == 0 {
        return 0;
    }
    match line.char(len - 1) {
        '\n' if len >= 2 && line.char(len - 2) == '\r' => 2,
        '\n' | '\r' => 1,
        _ => 0,
    }
}

/// The byte offset that `position` denotes in `rope`, clamped: a `character` past the end of its
/// line means the end of the line (before the terminator), a `line` past the last line means the
/// end of the document, and a `character` inside a multi-unit character rounds down to its start.
pub fn position_to_offset(rope: &Rope, position: Position, encoding: PositionEncoding) -> usize {
    let line_index = position.line as usize;
    if line_index >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line = rope.line(line_index);
    let content_chars = line.len_chars() - terminator_chars(line);
    let column = position.character as usize;
    let char_in_line = match encoding {
        PositionEncoding::Utf32 => column.min(content_chars),
        PositionEncoding::Utf16 => {
            if column >= line.char_to_utf16_cu(content_chars) {
                content_chars
            } else {
                line.utf16_cu_to_char(column)
            }
        }
        PositionEncoding::Utf8 => {
            if column >= line.char_to_byte(content_chars) {
                content_chars
            } else {
                line.byte_to_char(column)
            }
        }
    };
    rope.char_to_byte(rope.line_to_char(line_index) + char_in_line)
}

/// The position of byte `offset` in `rope`. An offset past the end means the end of the document;
/// one inside a multi-byte character rounds down to its start; one inside a line terminator (between
/// `\r` and `\n`) means the end of that line.
pub fn offset_to_position(rope: &Rope, offset: usize, encoding: PositionEncoding) -> Position {
    let char_index = rope.byte_to_char(offset.min(rope.len_bytes()));
    let line_index = rope.char_to_line(char_index);
    let line = rope.line(line_index);
    let content_chars = line.len_chars() - terminator_chars(line);
    let char_in_line = (char_index - rope.line_to_char(line_index)).min(content_chars);
    let column = match encoding {
        PositionEncoding::Utf32 => char_in_line,
        PositionEncoding::Utf16 => line.char_to_utf16_cu(char_in_line),
        PositionEncoding::Utf8 => line.char_to_byte(char_in_line),
    };
    Position::new(saturate(line_index), saturate(column))
}

/// The byte span that `range` denotes, each end clamped as in [`position_to_offset`]; a range whose
/// end comes before its start is read as the empty range at its start.
pub fn range_to_span(rope: &Rope, range: Range, encoding: PositionEncoding) -> Span {
    let start = position_to_offset(rope, range.start, encoding);
    let end = position_to_offset(rope, range.end, encoding);
    Span::new(start, end.max(start))
}

/// The range of a byte span.
pub fn span_to_range(rope: &Rope, span: Span, encoding: PositionEncoding) -> Range {
    Range::new(
        offset_to_position(rope, span.start, encoding),
        offset_to_position(rope, span.end.max(span.start), encoding),
    )
}

/// 1-based line and 1-based column in characters of byte `offset`, as compilers print them
/// (the CLI's `file:line:col`).
pub fn line_column(rope: &Rope, offset: usize) -> (usize, usize) {
    let position = offset_to_position(rope, offset, PositionEncoding::Utf32);
    (position.line as usize + 1, position.character as usize + 1)
}

/// The text of `span` in `text`, clamped to the text and shrunk to character boundaries, so that a
/// span that is off by a byte yields a slightly shorter slice instead of a panic.
pub fn slice(text: &str, span: Span) -> &str {
    let mut start = span.start.min(text.len());
    let mut end = span.end.min(text.len()).max(start);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(start..end.max(start)).unwrap_or_default()
}

fn saturate(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every encoding, for tests here and in `cursor`.
    pub(super) const ENCODINGS: [PositionEncoding; 3] = [
        PositionEncoding::Utf8,
        PositionEncoding::Utf16,
        PositionEncoding::Utf32,
    ];

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn negotiation_prefers_utf8_then_utf32_then_utf16() {
        use PositionEncodingKind as K;
        assert_eq!(PositionEncoding::negotiate(None), PositionEncoding::Utf16);
        assert_eq!(
            PositionEncoding::negotiate(Some(&[])),
            PositionEncoding::Utf16
        );
        assert_eq!(
            PositionEncoding::negotiate(Some(&[K::UTF16, K::UTF8])),
            PositionEncoding::Utf8
        );
        assert_eq!(
            PositionEncoding::negotiate(Some(&[K::UTF16, K::UTF32])),
            PositionEncoding::Utf32
        );
        assert_eq!(
            PositionEncoding::negotiate(Some(&[K::new("utf-7")])),
            PositionEncoding::Utf16
        );
        assert_eq!(PositionEncoding::Utf8.kind(), K::UTF8);
    }

    #[test]
    fn curly_quotes_and_dashes() {
        // “ ” are 3 bytes, 1 UTF-16 unit; — and ― likewise.
        let text = "He said “yes”—no ― maybe.";
        let rope = Rope::from_str(text);
        let closing = text.find('”').unwrap();
        assert_eq!(
            offset_to_position(&rope, closing, PositionEncoding::Utf8),
            pos(0, 14)
        );
        assert_eq!(
            offset_to_position(&rope, closing, PositionEncoding::Utf16),
            pos(0, 12)
        );
        assert_eq!(
            offset_to_position(&rope, closing, PositionEncoding::Utf32),
            pos(0, 12)
        );
        let bar = text.find('―').unwrap();
        assert_eq!(
            position_to_offset(&rope, pos(0, 17), PositionEncoding::Utf16),
            bar
        );
        assert_eq!(
            position_to_offset(&rope, pos(0, 23), PositionEncoding::Utf8),
            bar
        );
    }

    #[test]
    fn emoji_take_two_utf16_units_and_four_bytes() {
        let text = "ok 👍 done";
        let rope = Rope::from_str(text);
        let after = text.find(" done").unwrap();
        assert_eq!(
            offset_to_position(&rope, after, PositionEncoding::Utf16),
            pos(0, 5)
        );
        assert_eq!(
            offset_to_position(&rope, after, PositionEncoding::Utf8),
            pos(0, 7)
        );
        assert_eq!(
            offset_to_position(&rope, after, PositionEncoding::Utf32),
            pos(0, 4)
        );
        // A position between the two surrogates rounds down to the emoji's start.
        assert_eq!(
            position_to_offset(&rope, pos(0, 4), PositionEncoding::Utf16),
            3
        );
        // A byte position inside the emoji rounds down too.
        assert_eq!(
            position_to_offset(&rope, pos(0, 5), PositionEncoding::Utf8),
            3
        );
        assert_eq!(
            offset_to_position(&rope, 5, PositionEncoding::Utf16),
            pos(0, 3)
        );
    }

    #[test]
    fn cjk_and_combining_marks() {
        // 東京 are 3 bytes each; "é" written as e + U+0301 is two chars.
        let text = "東京\ncafe\u{301} au lait";
        let rope = Rope::from_str(text);
        let au = text.find(" au").unwrap();
        assert_eq!(
            offset_to_position(&rope, 6, PositionEncoding::Utf16),
            pos(0, 2)
        );
        assert_eq!(
            offset_to_position(&rope, 6, PositionEncoding::Utf8),
            pos(0, 6)
        );
        assert_eq!(
            offset_to_position(&rope, au, PositionEncoding::Utf32),
            pos(1, 5)
        );
        assert_eq!(
            offset_to_position(&rope, au, PositionEncoding::Utf8),
            pos(1, 6)
        );
        assert_eq!(
            position_to_offset(&rope, pos(1, 5), PositionEncoding::Utf16),
            au
        );
        assert_eq!(line_column(&rope, au), (2, 6));
    }

    #[test]
    fn clamps_past_line_end_and_document_end() {
        let text = "first\r\nsecond\rthird\n";
        let rope = Rope::from_str(text);
        for encoding in ENCODINGS {
            // Past the line's end: the end of the line, before "\r\n".
            assert_eq!(position_to_offset(&rope, pos(0, 99), encoding), 5);
            // "\r" alone ends a line too.
            assert_eq!(position_to_offset(&rope, pos(1, 6), encoding), 13);
            assert_eq!(position_to_offset(&rope, pos(2, 0), encoding), 14);
            // The empty last line after the final newline exists; anything past it is the end.
            assert_eq!(position_to_offset(&rope, pos(3, 0), encoding), text.len());
            assert_eq!(position_to_offset(&rope, pos(3, 7), encoding), text.len());
            assert_eq!(
                position_to_offset(&rope, pos(u32::MAX, u32::MAX), encoding),
                text.len()
            );
            // Offsets past the end and inside "\r\n" clamp as well.
            assert_eq!(offset_to_position(&rope, 999, encoding), pos(3, 0));
            assert_eq!(offset_to_position(&rope, 6, encoding), pos(0, 5));
        }
    }

    #[test]
    fn unicode_line_separators_are_not_line_breaks() {
        let rope = Rope::from_str("a\u{2028}b\u{85}c");
        assert_eq!(rope.len_lines(), 1);
        assert_eq!(
            offset_to_position(&rope, 4, PositionEncoding::Utf32),
            pos(0, 2)
        );
    }

    #[test]
    fn empty_document() {
        let rope = Rope::new();
        for encoding in ENCODINGS {
            assert_eq!(position_to_offset(&rope, pos(0, 3), encoding), 0);
            assert_eq!(position_to_offset(&rope, pos(5, 0), encoding), 0);
            assert_eq!(offset_to_position(&rope, 10, encoding), pos(0, 0));
        }
    }

    #[test]
    fn ranges_and_slices() {
        let text = "“Quote,” she said.";
        let rope = Rope::from_str(text);
        let range = Range::new(pos(0, 0), pos(0, 8));
        let span = range_to_span(&rope, range, PositionEncoding::Utf16);
        assert_eq!(slice(text, span), "“Quote,”");
        assert_eq!(span_to_range(&rope, span, PositionEncoding::Utf16), range);
        // Reversed ranges collapse to their start.
        let reversed = Range::new(pos(0, 8), pos(0, 0));
        assert_eq!(
            range_to_span(&rope, reversed, PositionEncoding::Utf16),
            Span::new(12, 12)
        );
        // Slices never panic on bad spans.
        assert_eq!(slice(text, Span::new(1, 5)), "Qu");
        assert_eq!(slice(text, Span::new(5, 2)), "");
        assert_eq!(slice(text, Span::new(100, 200)), "");
    }

    proptest! {
        #[test]
        fn every_char_boundary_round_trips(text in "[a\u{201c}\u{201d}—👍東\u{301}\r\n]{0,40}") {
            let rope = Rope::from_str(&text);
            for (offset, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
                // Offsets between "\r" and "\n" are not positions; skip them.
                if offset > 0 && text.as_bytes()[offset - 1] == b'\r'
                    && text.as_bytes().get(offset) == Some(&b'\n') {
                    continue;
                }
                for encoding in ENCODINGS {
                    let position = offset_to_position(&rope, offset, encoding);
                    prop_assert_eq!(position_to_offset(&rope, position, encoding), offset);
                }
            }
        }
    }
}
