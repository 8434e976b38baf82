//! Byte spans into the original source file.
//!
//! Every span emaillint reports is a half-open byte range `[start, end)` into
//! the file exactly as it was read (BOM, CRLF and all). Line/column and UTF-16
//! positions are derived from spans only at the edges that need them.

use serde::Serialize;

/// A half-open byte range `[start, end)` in a source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// An empty span at `at`, used for "something is missing here".
    pub const fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }

    pub const fn len(self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True if the two spans share at least one byte, or if one is empty and
    /// lies inside the other.
    pub fn overlaps(self, other: Span) -> bool {
        if self.is_empty() || other.is_empty() {
            return self.start >= other.start && self.start <= other.end
                || other.start >= self.start && other.start <= self.end;
        }
        self.start < other.end && other.start < self.end
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_rules() {
        assert!(Span::new(0, 5).overlaps(Span::new(4, 8)));
        assert!(!Span::new(0, 5).overlaps(Span::new(5, 8)));
        assert!(Span::new(0, 5).overlaps(Span::empty(3)));
        assert!(Span::new(0, 5).contains(Span::new(1, 5)));
        assert_eq!(Span::new(3, 4).cover(Span::new(0, 1)), Span::new(0, 4));
    }
}
