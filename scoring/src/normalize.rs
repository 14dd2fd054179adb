//! Text normalisation applied to both documents before anything else, so that
//! what a PDF or a word processor did to the characters does not change a match.

/// Maps typographic variants to the plain characters a reader sees:
/// ligatures (`ﬁ` → `fi`), soft hyphens and zero-width characters (removed),
/// non-breaking and other Unicode spaces (→ space), dashes (→ `-`), curly quotes
/// (→ straight), bullets (→ `•`, kept as a bullet marker). Case is kept: the
/// tokenizer lowercases, and section detection needs to see headings as written.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        // Runs of ASCII other than `\r` are kept as they are.
        let plain = rest
            .bytes()
            .position(|b| !b.is_ascii() || b == b'\r')
            .unwrap_or(rest.len());
        out.push_str(&rest[..plain]);
        let mut chars = rest[plain..].chars();
        let Some(c) = chars.next() else {
            break;
        };
        rest = chars.as_str();
        match c {
            // Ligatures (Alphabetic Presentation Forms).
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            // Invisible characters: soft hyphen, zero-width space/joiners, BOM, word joiner.
            '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            // Unicode spaces except line breaks.
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
                out.push(' ')
            }
            // Line and paragraph separators become newlines.
            '\u{2028}' | '\u{2029}' | '\u{0085}' => out.push('\n'),
            '\r' => {}
            // Dashes and minus signs.
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' => out.push('-'),
            // Quotes.
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => out.push('"'),
            // Bullet glyphs from word processors and PDF fonts.
            '\u{2022}' | '\u{2023}' | '\u{25AA}' | '\u{25CF}' | '\u{25E6}' | '\u{2043}'
            | '\u{2219}' | '\u{F0B7}' | '\u{F0A7}' => out.push('•'),
            // Symbol and Wingdings glyphs in the private-use range, as Word and
            // PDF producers map them (squares, arrows, checks, diamonds).
            '\u{F06C}' | '\u{F06E}' | '\u{F071}' | '\u{F076}' | '\u{F0A8}' | '\u{F0D8}'
            | '\u{F0E0}' | '\u{F0FC}' | '\u{F075}' | '\u{F077}' | '\u{F09F}' | '\u{F0A1}' => {
                out.push('•')
            }
            // Fullwidth ASCII (U+FF01..U+FF5E) → ASCII.
            '\u{FF01}'..='\u{FF5E}' => {
                out.push(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c));
            }
            _ => out.push(c),
        }
    }
    out
}

/// `text.to_lowercase()`, with runs of ASCII lowercased a byte at a time (the
/// standard conversion goes character by character from the first non-ASCII
/// character on, and resumes have bullets and accents). Same result.
pub(crate) fn lowercase(text: &str) -> String {
    if text.contains('Σ') {
        // A final sigma depends on its neighbours: the standard conversion.
        return text.to_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let from = out.len();
        out.push_str(&rest[..ascii]);
        out[from..].make_ascii_lowercase();
        let mut chars = rest[ascii..].chars();
        let Some(c) = chars.next() else {
            return out;
        };
        out.extend(c.to_lowercase());
        rest = chars.as_str();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_is_the_standard_lowercase() {
        for s in [
            "",
            "Plain ASCII, MIXED case 123",
            "• Led ÉCOLE Straße İstanbul \u{212A}elvin ΟΔΟΣ ΣΑΣ Σ",
            "日本語 🚀 ＡＢＣ ǅ",
        ] {
            assert_eq!(lowercase(s), s.to_lowercase(), "{s}");
        }
    }

    #[test]
    fn expands_ligatures_into_their_letters() {
        assert_eq!(
            normalize("ﬁnance ofﬁce workﬂow eﬀort"),
            "finance office workflow effort"
        );
    }

    #[test]
    fn removes_soft_hyphens_and_zero_width_characters() {
        assert_eq!(
            normalize("Kuber\u{00AD}netes Java\u{200B}Script"),
            "Kubernetes JavaScript"
        );
    }

    #[test]
    fn turns_typographic_dashes_quotes_and_spaces_into_plain_ones() {
        assert_eq!(
            normalize("2019\u{2013}2021 \u{201C}lead\u{201D} it\u{2019}s\u{00A0}ok"),
            "2019-2021 \"lead\" it's ok"
        );
    }

    #[test]
    fn unifies_bullet_glyphs() {
        assert_eq!(normalize("\u{25CF} a\n\u{F0B7} b"), "• a\n• b");
        assert_eq!(
            normalize("\u{F0D8} c\n\u{F0FC} d\n\u{F076} e"),
            "• c\n• d\n• e"
        );
    }

    #[test]
    fn keeps_non_latin_text_and_emoji() {
        assert_eq!(normalize("Ingénieur 日本語 🚀"), "Ingénieur 日本語 🚀");
    }

    #[test]
    fn maps_fullwidth_ascii() {
        assert_eq!(normalize("ＳＱＬ"), "SQL");
    }
}
