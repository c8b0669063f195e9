//! Byte spans into a source file, and their line/column form for rendering.

use std::fmt;

/// A byte range `start..end` into one source text.
///
/// Every AST node and diagnostic carries one; lines and columns are derived
/// only when a diagnostic is rendered (see [`LineIndex`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The span of a node that was not parsed from source (the importer
    /// builds such nodes): it points nowhere.
    pub const DETACHED: Span = Span {
        start: usize::MAX,
        end: usize::MAX,
    };

    pub fn is_detached(self) -> bool {
        self == Span::DETACHED
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        (span.start, span.len()).into()
    }
}

/// Maps byte offsets to 1-based lines and character columns.
///
/// Columns come from a running count of characters sampled every
/// [`BLOCK`] bytes, so that any number of diagnostics on one long line
/// costs a bounded scan each, not a walk from the line's start.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the start of every line.
    starts: Vec<usize>,
    /// Characters before each block of [`BLOCK`] bytes.
    chars_before: Vec<usize>,
}

const BLOCK: usize = 256;

/// A 1-based line and column, the column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Whether a byte starts a character (is not a UTF-8 continuation byte).
fn starts_char(b: u8) -> bool {
    b & 0xC0 != 0x80
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut chars_before = Vec::with_capacity(text.len() / BLOCK + 1);
        let mut count = 0;
        for block in text.as_bytes().chunks(BLOCK) {
            chars_before.push(count);
            count += block.iter().filter(|&&b| starts_char(b)).count();
        }
        chars_before.push(count);
        LineIndex {
            starts,
            chars_before,
        }
    }

    /// Characters in `text[..offset]`.
    fn chars_to(&self, text: &str, offset: usize) -> usize {
        let block = offset / BLOCK;
        let from = block * BLOCK;
        self.chars_before[block]
            + text.as_bytes()[from..offset]
                .iter()
                .filter(|&&b| starts_char(b))
                .count()
    }

    /// Line and column of byte `offset` (clamped to the text). An offset
    /// inside a multi-byte character counts as that character.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column = self.chars_to(text, offset) - self.chars_to(text, self.starts[line]);
        LineCol {
            line: line + 1,
            column: column + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "ab\néé x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 3), LineCol { line: 2, column: 1 });
        // `x` is after two two-byte characters and a space.
        assert_eq!(index.line_col(text, 8), LineCol { line: 2, column: 4 });
        assert_eq!(index.line_col(text, 100), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn long_lines_count_right_across_blocks() {
        let text = format!("x\n{}é{}", "a".repeat(300), "é".repeat(400));
        let index = LineIndex::new(&text);
        assert_eq!(
            index.line_col(&text, 2 + 300),
            LineCol {
                line: 2,
                column: 301
            }
        );
        // After the first é (2 bytes) and 399 more (798 bytes).
        assert_eq!(
            index.line_col(&text, 2 + 300 + 2 + 798),
            LineCol {
                line: 2,
                column: 701
            }
        );
        // Inside a character: that character.
        assert_eq!(
            index.line_col(&text, 2 + 300 + 1),
            LineCol {
                line: 2,
                column: 301
            }
        );
        assert_eq!(
            index.line_col(&text, text.len()),
            LineCol {
                line: 2,
                column: 702
            }
        );
    }
}
