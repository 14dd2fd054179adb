//! Splitting text into lowercase tokens that keep technology names whole:
//! `C++`, `C#`, `F#`, `Node.js`, `.NET`, `ASP.NET`, `3.5`.
//!
//! Slashes and hyphens split (`CI/CD` → `ci`, `cd`; `event-driven` → `event`,
//! `driven`): multi-word skills are matched as token sequences, and the skill
//! dictionary is tokenized by this same function, so both sides always agree.

/// One token with its byte range in the (normalised) text it came from, so matches
/// can be highlighted in the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Tokenizes `text`. Never panics; works on any Unicode input.
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        // A leading dot belongs to the token when it starts a name: ".NET".
        let leading_dot = c == '.'
            && chars.get(i + 1).is_some_and(|&(_, n)| n.is_alphabetic())
            && (i == 0 || !is_word_char(chars[i - 1].1));
        if !is_word_char(c) && !leading_dot {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            if is_word_char(c) {
                j += 1;
            } else if c == '.' && chars.get(j + 1).is_some_and(|&(_, n)| is_word_char(n)) {
                // Internal dot: "node.js", "asp.net", "3.5".
                j += 1;
            } else if c == '+' || c == '#' {
                // Trailing "+"/"#" after a letter: "c++", "c#", "f#". Not "1+1".
                let prev_is_letter = chars[j - 1].1.is_alphabetic() || chars[j - 1].1 == '+';
                let next_is_word = chars.get(j + 1).is_some_and(|&(_, n)| is_word_char(n));
                if prev_is_letter && !next_is_word {
                    j += 1;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(text.len(), |&(b, _)| b);
        let word = &text[start..end];
        tokens.push(Token {
            text: if word.is_ascii() {
                word.to_ascii_lowercase()
            } else {
                word.to_lowercase()
            },
            start,
            end,
        });
        i = j;
    }
    tokens
}

/// Just the token texts, for callers that need no positions.
pub fn words(text: &str) -> Vec<String> {
    tokenize(text).into_iter().map(|t| t.text).collect()
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
