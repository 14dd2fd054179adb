//! Word lists packed into one string each.
//!
//! A `&[&str]` costs 8 bytes of pointer and length per word in the Wasm
//! bundle besides the word itself; the engine's ~1,400 listed words are
//! packed instead as `|`-separated strings (`Words`), which the page
//! downloads a few kilobytes lighter. The lists are short and looked up
//! rarely per text; the hot ones are turned into sets once by their users.

/// A list of words written `"one|two|three"` (no empty words, no `|` inside a word).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Words(&'static str);

impl Words {
    /// The list in `packed`, `|`-separated.
    pub(crate) const fn new(packed: &'static str) -> Self {
        Self(packed)
    }

    /// Whether `word` is one of the list, exactly (case-sensitive).
    pub(crate) fn contains(&self, word: &&str) -> bool {
        // A substring search (fast) whose hit must be a whole entry.
        let packed = self.0.as_bytes();
        !word.is_empty()
            && !word.contains('|')
            && self.0.match_indices(*word).any(|(at, w)| {
                let end = at + w.len();
                (at == 0 || packed[at - 1] == b'|') && (end == packed.len() || packed[end] == b'|')
            })
    }

    /// The words, in the order written.
    pub(crate) fn iter(&self) -> std::str::Split<'static, char> {
        self.0.split('|')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_packed_word_and_nothing_between_them() {
        const LIST: Words = Words::new("lead|led|drew blood");
        assert!(LIST.contains(&"lead") && LIST.contains(&"led") && LIST.contains(&"drew blood"));
        assert!(!LIST.contains(&"le") && !LIST.contains(&"lead|led") && !LIST.contains(&""));
        assert_eq!(LIST.iter().count(), 3);
    }
}
