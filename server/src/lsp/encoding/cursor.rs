//! Converting many byte offsets to positions in one pass: outlines, semantic tokens, folding
//! ranges and references convert every paragraph, mention or quotation of the document.
//!
//! [`offset_to_position`](super::offset_to_position) descends the rope several times and scans a
//! chunk each time (≈ 10,000 instructions an offset at 1 MB): the outline of a 1 MB article
//! converted its 60,000 offsets in ≈ 575 M instructions, more than the rest of the request.
//! A [`PositionCursor`] walks the text forward from the last offset it converted, counting line
//! breaks and units byte by byte, and goes back to the rope only to jump backwards or far ahead;
//! [`positions_of`] sorts offsets that come in any order.

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range};

use super::{offset_to_position, saturate, PositionEncoding};
use crate::analysis::Span;

/// Past this many bytes ahead, finding the line in the rope is cheaper than walking to it.
const WALK_AT_MOST: usize = 8 * 1024;

/// Positions of byte offsets, each exactly [`offset_to_position`]'s, cheapest when asked in
/// ascending order (any order is correct).
pub struct PositionCursor<'a> {
    rope: &'a Rope,
    /// The rope's text (the cursor walks it; the rope finds lines).
    text: &'a str,
    encoding: PositionEncoding,
    /// The cursor stands at byte `at` (a character boundary), on `line`, `column` units of the
    /// encoding after the line's start, not counting the line's terminator.
    at: usize,
    line: usize,
    column: usize,
}

impl<'a> PositionCursor<'a> {
    /// A cursor over `rope`, whose text `text` must be (as `Analysed` holds both).
    pub fn new(rope: &'a Rope, text: &'a str, encoding: PositionEncoding) -> Self {
        PositionCursor {
            rope,
            text,
            encoding,
            at: 0,
            line: 0,
            column: 0,
        }
    }

    /// The position of byte `offset`, clamped and rounded as `offset_to_position` does.
    pub fn position(&mut self, offset: usize) -> Position {
        if self.text.len() != self.rope.len_bytes() {
            // Not the rope's text: never wrong, only slower.
            return offset_to_position(self.rope, offset, self.encoding);
        }
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.at || offset - self.at > WALK_AT_MOST {
            self.line = self.rope.byte_to_line(offset);
            self.at = self.rope.line_to_byte(self.line);
            self.column = 0;
        }
        let bytes = self.text.as_bytes();
        let walked = bytes.get(self.at..offset).unwrap_or_default();
        // "\n", "\r\n" and "\r" end a line (ropey's `cr_lines`); the "\r" of "\r\n" counts
        // for neither the column nor the line: its "\n" ends the line.
        let mut line_starts_at = None;
        for i in memchr::memchr2_iter(b'\n', b'\r', walked) {
            let ends_line = walked[i] == b'\n' || bytes.get(self.at + i + 1) != Some(&b'\n');
            if ends_line {
                self.line += 1;
                line_starts_at = Some(i + 1);
            }
        }
        let last_line = match line_starts_at {
            Some(i) => {
                self.column = 0;
                walked.get(i..).unwrap_or_default()
            }
            None => walked,
        };
        // Any "\r" left on the last line is a "\r\n"'s: it counts for nothing.
        self.column += last_line
            .iter()
            .map(|&b| usize::from(b != b'\r') * units(b, self.encoding))
            .sum::<usize>();
        self.at = offset;
        Position::new(saturate(self.line), saturate(self.column))
    }

    /// The range of a byte span, as [`span_to_range`](super::span_to_range) gives it.
    pub fn range(&mut self, span: Span) -> Range {
        Range::new(
            self.position(span.start),
            self.position(span.end.max(span.start)),
        )
    }
}

/// The units of the encoding that byte `b` of a UTF-8 text adds to a column: a character counts
/// at its first byte, and in UTF-16 one of four bytes (beyond U+FFFF) counts twice.
fn units(b: u8, encoding: PositionEncoding) -> usize {
    let starts_character = usize::from(b & 0xC0 != 0x80);
    match encoding {
        PositionEncoding::Utf8 => 1,
        PositionEncoding::Utf32 => starts_character,
        PositionEncoding::Utf16 => starts_character + usize::from(b >= 0xF0),
    }
}

/// The positions of `offsets` in `rope` (whose text is `text`), in their order: converted in
/// ascending order with one [`PositionCursor`].
pub fn positions_of(
    rope: &Rope,
    text: &str,
    offsets: &[usize],
    encoding: PositionEncoding,
) -> Vec<Position> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets.get(i).copied().unwrap_or_default());
    let mut cursor = PositionCursor::new(rope, text, encoding);
    let mut positions = vec![Position::default(); offsets.len()];
    for i in order {
        if let (Some(&offset), Some(slot)) = (offsets.get(i), positions.get_mut(i)) {
            *slot = cursor.position(offset);
        }
    }
    positions
}

/// The ranges of `spans`, in their order, as [`span_to_range`](super::span_to_range) gives each.
pub fn ranges_of(
    rope: &Rope,
    text: &str,
    spans: &[Span],
    encoding: PositionEncoding,
) -> Vec<Range> {
    let offsets: Vec<usize> = spans
        .iter()
        .flat_map(|s| [s.start, s.end.max(s.start)])
        .collect();
    positions_of(rope, text, &offsets, encoding)
        .chunks_exact(2)
        .map(|p| Range::new(p[0], p[1]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::ENCODINGS;
    use super::super::{offset_to_position, span_to_range};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn terminators_multibyte_characters_and_the_end() {
        let text = "a“b\r\n👍\rc\n\u{2028}d\r";
        let rope = Rope::from_str(text);
        for encoding in ENCODINGS {
            let offsets: Vec<usize> = (0..=text.len() + 2).collect();
            let expected: Vec<Position> = offsets
                .iter()
                .map(|&o| offset_to_position(&rope, o, encoding))
                .collect();
            assert_eq!(positions_of(&rope, text, &offsets, encoding), expected);
        }
        // Spot checks of the rules the loop above compares: inside "\r\n" is the end of the
        // line, inside "👍" its start, past a final "\r" the empty last line.
        let mut cursor = PositionCursor::new(&rope, text, PositionEncoding::Utf16);
        assert_eq!(cursor.position(6), Position::new(0, 3));
        assert_eq!(cursor.position(9), Position::new(1, 0));
        assert_eq!(cursor.position(text.len()), Position::new(4, 0));
        assert_eq!(cursor.position(usize::MAX), Position::new(4, 0));
    }

    #[test]
    fn long_texts_jump_through_the_rope_and_walk_between() {
        // Longer than `WALK_AT_MOST` many times over, so that both ways of moving are taken.
        let piece = "Dock “workers” walked out\r\n👍 said 東\u{301}\rthe union\n\n";
        let text = piece.repeat(2_000);
        let rope = Rope::from_str(&text);
        let offsets: Vec<usize> = (0..text.len() + 3)
            .step_by(37)
            .chain((0..text.len()).step_by(9_001).rev())
            .collect();
        for encoding in ENCODINGS {
            let expected: Vec<Position> = offsets
                .iter()
                .map(|&o| offset_to_position(&rope, o, encoding))
                .collect();
            assert_eq!(positions_of(&rope, &text, &offsets, encoding), expected);
            let mut cursor = PositionCursor::new(&rope, &text, encoding);
            let direct: Vec<Position> = offsets.iter().map(|&o| cursor.position(o)).collect();
            assert_eq!(direct, expected);
        }
    }

    proptest! {
        #[test]
        fn equal_to_one_conversion_each_in_any_order(
            text in "[a \u{201c}\u{201d}—👍東\u{301}\u{2028}\r\n]{0,60}",
            offsets in proptest::collection::vec(0usize..80, 0..40),
        ) {
            let rope = Rope::from_str(&text);
            for encoding in ENCODINGS {
                let expected: Vec<Position> = offsets
                    .iter()
                    .map(|&o| offset_to_position(&rope, o, encoding))
                    .collect();
                // Sorted through `positions_of`, and as they come through one cursor, which
                // goes back to the rope when an offset is behind it.
                prop_assert_eq!(&positions_of(&rope, &text, &offsets, encoding), &expected);
                let mut cursor = PositionCursor::new(&rope, &text, encoding);
                let direct: Vec<Position> = offsets.iter().map(|&o| cursor.position(o)).collect();
                prop_assert_eq!(&direct, &expected);
                let spans: Vec<Span> = offsets
                    .chunks_exact(2)
                    .map(|p| Span::new(p[0], p[1]))
                    .collect();
                let ranges: Vec<Range> = spans.iter().map(|&s| span_to_range(&rope, s, encoding)).collect();
                prop_assert_eq!(ranges_of(&rope, &text, &spans, encoding), ranges);
            }
        }
    }
}
