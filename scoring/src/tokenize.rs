//! Splitting text into lowercase tokens that keep technology names whole:
//! `C++`, `C#`, `F#`, `Node.js`, `.NET`, `ASP.NET`, `3.5`.
//!
//! Slashes and hyphens split (`CI/CD` → `ci`, `cd`; `event-driven` → `event`,
//! `driven`): multi-word skills are matched as token sequences, and the skill
//! dictionary is tokenized by this same function, so both sides always agree.

use std::borrow::Cow;

/// One token with its byte range in the (normalised) text it came from, so matches
/// can be highlighted in the original. The text borrows the source when it is
/// already lowercase (most words), so tokenising allocates little.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: Cow<'a, str>,
    pub start: usize,
    pub end: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The character starting at byte `i` (a character boundary), if any.
fn char_at(text: &str, i: usize) -> Option<char> {
    match *text.as_bytes().get(i)? {
        b if b.is_ascii() => Some(char::from(b)),
        _ => text[i..].chars().next(),
    }
}

/// Tokenizes `text`. Never panics; works on any Unicode input.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut i = 0;
    // The character before `i`.
    let mut before: Option<char> = None;
    while let Some(c) = char_at(text, i) {
        // A leading dot belongs to the token when it starts a name: ".NET".
        let leading_dot = c == '.'
            && char_at(text, i + 1).is_some_and(char::is_alphabetic)
            && !before.is_some_and(is_word_char);
        if !is_word_char(c) && !leading_dot {
            before = Some(c);
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let mut last = c;
        let mut j = i + c.len_utf8();
        while let Some(c) = char_at(text, j) {
            let next_is_word = || char_at(text, j + 1).is_some_and(is_word_char);
            let take = if is_word_char(c) {
                true
            } else if c == '.' {
                // Internal dot: "node.js", "asp.net", "3.5".
                next_is_word()
            } else if c == '+' || c == '#' {
                // Trailing "+"/"#" after a letter: "c++", "c#", "f#". Not "1+1".
                (last.is_alphabetic() || last == '+') && !next_is_word()
            } else {
                false
            };
            if !take {
                break;
            }
            last = c;
            j += c.len_utf8();
        }
        let word = &text[start..j];
        tokens.push(Token {
            text: if !word.is_ascii() {
                Cow::Owned(word.to_lowercase())
            } else if word.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(word.to_ascii_lowercase())
            } else {
                Cow::Borrowed(word)
            },
            start,
            end: j,
        });
        before = Some(last);
        i = j;
    }
    tokens
}

/// Just the token texts, for callers that need no positions.
pub fn words(text: &str) -> Vec<String> {
    tokenize(text)
        .into_iter()
        .map(|t| t.text.into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_language_names_with_symbols_whole() {
        assert_eq!(
            words("C++, C# and F# devs"),
            ["c++", "c#", "and", "f#", "devs"]
        );
    }

    #[test]
    fn keeps_dotted_names_whole_but_drops_sentence_periods() {
        assert_eq!(
            words("Built Node.js and ASP.NET apps on .NET 8. Python 3.11."),
            [
                "built", "node.js", "and", "asp.net", "apps", "on", ".net", "8", "python", "3.11"
            ]
        );
    }

    #[test]
    fn splits_on_slashes_and_hyphens() {
        assert_eq!(words("CI/CD event-driven"), ["ci", "cd", "event", "driven"]);
    }

    #[test]
    fn does_not_glue_arithmetic_into_tokens() {
        assert_eq!(words("1+1 a+b"), ["1", "1", "a", "b"]);
    }

    #[test]
    fn records_byte_ranges_into_the_source_text() {
        let text = "Café Rust";
        let toks = tokenize(text);
        assert_eq!(&text[toks[0].start..toks[0].end], "Café");
        assert_eq!(&text[toks[1].start..toks[1].end], "Rust");
    }

    #[test]
    fn handles_empty_and_symbol_only_input() {
        assert!(tokenize("").is_empty());
        assert!(tokenize("  +#./-  ").is_empty());
        assert_eq!(words("."), Vec::<String>::new());
    }

    #[test]
    fn lowercases_unicode_letters() {
        assert_eq!(words("ÉCOLE Straße"), ["école", "straße"]);
    }
}
