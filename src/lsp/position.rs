//! The one place where byte offsets become LSP positions and back (UTF-16 code units, or UTF-8 bytes when the client offers them).

use lsp_types::{Position, Range};

/// How the client counts characters in a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf16,
    Utf8,
}

/// Line starts of one text, for converting positions both ways.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
    encoding: Encoding,
    /// UTF-16 units before each block of [`BLOCK`] bytes, so that a column
    /// costs a bounded count even on a megabyte-long line.
    units_before: Vec<usize>,
}

const BLOCK: usize = 256;

/// UTF-16 units of the characters that start in `bytes`: one for each
/// lead byte, two for the lead byte of a four-byte character.
fn units(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0xBF => 0,
            0xF0..=0xFF => 2,
            _ => 1,
        })
        .sum()
}

impl Lines {
    pub fn new(text: &str, encoding: Encoding) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut units_before = Vec::new();
        if encoding == Encoding::Utf16 {
            let mut count = 0;
            for block in text.as_bytes().chunks(BLOCK) {
                units_before.push(count);
                count += units(block);
            }
            units_before.push(count);
        }
        Lines {
            starts,
            encoding,
            units_before,
        }
    }

    /// UTF-16 units in `text[..offset]`.
    fn units_to(&self, text: &str, offset: usize) -> usize {
        let block = offset / BLOCK;
        self.units_before[block] + units(&text.as_bytes()[block * BLOCK..offset])
    }

    /// The position of byte `offset` (clamped to the text; an offset inside
    /// a character counts as that character's start).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character = match self.encoding {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => self.units_to(text, offset) - self.units_to(text, start),
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(self.position(text, start), self.position(text, end))
    }

    /// The byte offset of a position. A line past the end is the end of
    /// the text; a character past the end of its line is the line's end
    /// (as the protocol asks); one inside a character is its start.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self.starts.get(line + 1).map_or(text.len(), |&next| {
            // The line's end is before its line break (`\n` or `\r\n`).
            let mut end = next - 1;
            if end > start && text.as_bytes()[end - 1] == b'\r' {
                end -= 1;
            }
            end
        });
        let wanted = position.character as usize;
        let mut units = 0;
        for (i, c) in text[start..end].char_indices() {
            if units >= wanted {
                return start + i;
            }
            units += match self.encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
            if units > wanted {
                return start + i;
            }
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_surrogate_pairs_twice() {
        let text = "é🚀x\nab";
        let lines = Lines::new(text, Encoding::Utf16);
        // `x` is after é (1 unit, 2 bytes) and 🚀 (2 units, 4 bytes).
        assert_eq!(lines.position(text, 6), Position::new(0, 3));
        assert_eq!(lines.offset(text, Position::new(0, 3)), 6);
        assert_eq!(lines.offset(text, Position::new(1, 1)), 9);
        // Inside the rocket's pair: its start.
        assert_eq!(lines.offset(text, Position::new(0, 2)), 2);
        // Past the line's end: the line's end; past the last line: the end.
        assert_eq!(lines.offset(text, Position::new(0, 40)), 7);
        assert_eq!(lines.offset(text, Position::new(9, 0)), text.len());
    }

    #[test]
    fn long_lines_count_right_across_blocks() {
        let text = format!("x\n{}🚀{}é", "a".repeat(300), "é".repeat(400));
        let lines = Lines::new(&text, Encoding::Utf16);
        assert_eq!(lines.position(&text, 2 + 300), Position::new(1, 300));
        assert_eq!(lines.position(&text, 2 + 304), Position::new(1, 302));
        assert_eq!(lines.position(&text, 2 + 304 + 800), Position::new(1, 702));
        assert_eq!(lines.position(&text, text.len()), Position::new(1, 703));
    }

    #[test]
    fn utf8_counts_bytes() {
        let text = "é🚀x\r\nab";
        let lines = Lines::new(text, Encoding::Utf8);
        assert_eq!(lines.position(text, 6), Position::new(0, 6));
        assert_eq!(lines.offset(text, Position::new(0, 6)), 6);
        assert_eq!(lines.offset(text, Position::new(0, 99)), 7);
        assert_eq!(lines.position(text, 9), Position::new(1, 0));
    }
}
