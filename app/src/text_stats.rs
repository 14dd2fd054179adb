//! Plain functions about the pasted texts, shared by the page and its tests.

/// The fewest words a resume must have before a score means anything.
pub const MIN_RESUME_WORDS: usize = 50;
/// The fewest words a job description must have before a score means anything.
pub const MIN_JOB_WORDS: usize = 20;
/// The most characters either box accepts (a 20-page resume is ~60,000): the
/// scoring engine's own limit, so the page never offers to score what it refuses.
pub use scoring::MAX_CHARS;

/// Counts of a text as the page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextStats {
    pub words: usize,
    pub chars: usize,
}

impl TextStats {
    /// Words are runs of characters separated by Unicode whitespace; characters are
    /// Unicode scalar values, so "é" counts once whatever its byte length.
    pub fn of(text: &str) -> Self {
        Self {
            words: text.split_whitespace().count(),
            chars: text.chars().count(),
        }
    }
}

/// Whether one input is ready for scoring, and if not, what the user should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    Empty,
    TooShort { missing_words: usize },
    TooLong { extra_chars: usize },
    Ready,
}

impl Readiness {
    pub fn assess(stats: TextStats, min_words: usize) -> Self {
        if stats.words == 0 {
            Readiness::Empty
        } else if stats.chars > MAX_CHARS {
            Readiness::TooLong {
                extra_chars: stats.chars - MAX_CHARS,
            }
        } else if stats.words < min_words {
            Readiness::TooShort {
                missing_words: min_words - stats.words,
            }
        } else {
            Readiness::Ready
        }
    }

    pub fn is_ready(&self) -> bool {
        matches!(self, Readiness::Ready)
    }
}

/// "1 word", "2 words": counts read as sentences.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The one-line status the result area shows before a score exists.
pub fn status_message(resume: &Readiness, job: &Readiness) -> String {
    let part = |what: &str, r: &Readiness| -> Option<String> {
        match r {
            Readiness::Empty => Some(format!("paste your {what}")),
            Readiness::TooShort { missing_words } => Some(format!(
                "add at least {} to the {what}",
                plural(*missing_words, "more word", "more words")
            )),
            Readiness::TooLong { extra_chars } => Some(format!(
                "shorten the {what} by {}",
                plural(*extra_chars, "character", "characters")
            )),
            Readiness::Ready => None,
        }
    };
    let todo: Vec<String> = [part("resume", resume), part("job description", job)]
        .into_iter()
        .flatten()
        .collect();
    match todo.as_slice() {
        [] => "Both texts are ready to score.".to_string(),
        [one] => capitalise(&format!("{one}.")),
        [a, b] => capitalise(&format!("{a} and {b}.")),
        _ => unreachable!("at most two inputs"),
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_separated_by_any_unicode_whitespace() {
        let stats = TextStats::of("Senior\tRust  engineer\n\u{00a0}with\u{2003}Wasm");
        assert_eq!(stats.words, 5);
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(TextStats::of("café résumé").chars, 11);
    }

    #[test]
    fn an_empty_or_blank_text_is_empty() {
        assert_eq!(
            Readiness::assess(TextStats::of("  \n\t "), 10),
            Readiness::Empty
        );
    }

    #[test]
    fn a_short_text_says_how_many_words_are_missing() {
        assert_eq!(
            Readiness::assess(TextStats::of("one two three"), 10),
            Readiness::TooShort { missing_words: 7 }
        );
    }

    #[test]
    fn a_text_over_the_limit_says_by_how_much() {
        let text = "word ".repeat(MAX_CHARS / 5 + 2);
        assert_eq!(
            Readiness::assess(TextStats::of(&text), 10),
            Readiness::TooLong { extra_chars: 10 }
        );
    }

    #[test]
    fn status_names_both_missing_inputs_in_one_sentence() {
        assert_eq!(
            status_message(&Readiness::Empty, &Readiness::TooShort { missing_words: 1 }),
            "Paste your resume and add at least 1 more word to the job description."
        );
    }

    #[test]
    fn status_says_ready_when_both_inputs_are_ready() {
        assert_eq!(
            status_message(&Readiness::Ready, &Readiness::Ready),
            "Both texts are ready to score."
        );
    }
}
