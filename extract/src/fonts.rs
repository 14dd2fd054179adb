//! What a PDF needs to know about fonts it does not embed: the glyph widths of
//! the 14 standard fonts (Helvetica, Times, Courier and their styles, Symbol,
//! ZapfDingbats), for PDFs that name them without a `/Widths` table, and the
//! built-in encodings of the symbol fonts (Symbol, ZapfDingbats, Wingdings),
//! whose codes are not letters.
//!
//! Widths are the Adobe Core 14 AFM advance widths (1/1000 em) for the
//! printable ASCII codes 32–126, which all the standard text encodings share;
//! codes outside that range use the font's average width.

/// Widths for codes 32..=126 of the proportional standard fonts.
type AsciiWidths = [u16; 95];

#[rustfmt::skip]
const HELVETICA: AsciiWidths = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

#[rustfmt::skip]
const HELVETICA_BOLD: AsciiWidths = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

#[rustfmt::skip]
const TIMES_ROMAN: AsciiWidths = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
    921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
    556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
    333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];

#[rustfmt::skip]
const TIMES_BOLD: AsciiWidths = [
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500,
    930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778,
    611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500,
    333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
    556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
];

#[rustfmt::skip]
const TIMES_ITALIC: AsciiWidths = [
    250, 333, 420, 500, 500, 833, 778, 214, 333, 333, 500, 675, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 675, 675, 675, 500,
    920, 611, 611, 667, 722, 611, 611, 722, 722, 333, 444, 667, 556, 833, 667, 722,
    611, 722, 611, 500, 556, 722, 611, 833, 611, 556, 556, 389, 278, 389, 422, 500,
    333, 500, 500, 444, 500, 444, 278, 500, 500, 278, 278, 444, 278, 722, 500, 500,
    500, 500, 389, 389, 278, 500, 444, 667, 444, 444, 389, 400, 275, 400, 541,
];

#[rustfmt::skip]
const TIMES_BOLD_ITALIC: AsciiWidths = [
    250, 389, 555, 500, 500, 833, 778, 278, 333, 333, 500, 570, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500,
    832, 667, 667, 667, 722, 667, 667, 722, 778, 389, 500, 667, 611, 889, 722, 722,
    611, 722, 667, 556, 611, 722, 667, 889, 667, 611, 611, 333, 278, 333, 570, 500,
    333, 500, 500, 444, 500, 444, 333, 500, 556, 278, 278, 500, 278, 778, 556, 500,
    500, 500, 389, 389, 278, 556, 444, 667, 500, 444, 389, 348, 220, 348, 570,
];

/// The standard font a base font name stands for (subset prefix, style
/// suffixes and common metric-compatible aliases such as Arial and Times New
/// Roman included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standard {
    Helvetica,
    HelveticaBold,
    Times,
    TimesBold,
    TimesItalic,
    TimesBoldItalic,
    Courier,
    Symbol,
    Dingbats,
}

impl Standard {
    /// Reads a `/BaseFont` name: `ABCDEF+Helvetica-BoldOblique`, `Arial,Bold`,
    /// `TimesNewRomanPS-ItalicMT`, `ZapfDingbats`, `Wingdings-Regular`.
    pub(crate) fn from_base_font(name: &str) -> Option<Standard> {
        let name = match name.split_once('+') {
            Some((prefix, rest)) if prefix.len() == 6 => rest,
            _ => name,
        };
        let n = name.to_ascii_lowercase().replace([' ', '-', ',', '_'], "");
        let bold = n.contains("bold") || n.contains("black") || n.contains("heavy");
        let italic = n.contains("italic") || n.contains("oblique");
        if n.contains("dingbat") || n.contains("wingding") || n.contains("webding") {
            return Some(Standard::Dingbats);
        }
        if n.starts_with("symbol") {
            return Some(Standard::Symbol);
        }
        if n.starts_with("courier") {
            return Some(Standard::Courier);
        }
        if n.starts_with("times") {
            return Some(match (bold, italic) {
                (true, true) => Standard::TimesBoldItalic,
                (true, false) => Standard::TimesBold,
                (false, true) => Standard::TimesItalic,
                (false, false) => Standard::Times,
            });
        }
        if n.starts_with("helvetica") || n.starts_with("arial") {
            return Some(if bold {
                Standard::HelveticaBold
            } else {
                Standard::Helvetica
            });
        }
        None
    }

    /// The advance width of `code` in 1/1000 em.
    pub(crate) fn width(self, code: u32) -> f32 {
        let table = match self {
            Standard::Helvetica => &HELVETICA,
            Standard::HelveticaBold => &HELVETICA_BOLD,
            Standard::Times => &TIMES_ROMAN,
            Standard::TimesBold => &TIMES_BOLD,
            Standard::TimesItalic => &TIMES_ITALIC,
            Standard::TimesBoldItalic => &TIMES_BOLD_ITALIC,
            Standard::Courier => return 600.0,
            Standard::Symbol => return if code == 32 { 250.0 } else { 600.0 },
            Standard::Dingbats => return if code == 32 { 278.0 } else { 790.0 },
        };
        match code {
            32..=126 => f32::from(table[(code - 32) as usize]),
            // WinAnsi bullet, en dash, em dash: the punctuation resumes use most.
            0x95 => 350.0,
            0x96 => f32::from(table[(b'0' - 32) as usize]),
            0x97 => 1000.0,
            _ => self.average(),
        }
    }

    /// The average width of the lowercase letters, for codes without a width.
    pub(crate) fn average(self) -> f32 {
        match self {
            Standard::Courier => 600.0,
            Standard::Symbol => 600.0,
            Standard::Dingbats => 790.0,
            _ => {
                let lower = (b'a'..=b'z').map(|c| self.width(u32::from(c)));
                lower.sum::<f32>() / 26.0
            }
        }
    }

    /// Whether the font has its own built-in encoding whose codes are symbols.
    pub(crate) fn is_symbolic(self) -> bool {
        matches!(self, Standard::Symbol | Standard::Dingbats)
    }
}

/// A character of the Symbol font's built-in encoding: Greek letters,
/// mathematical signs and the bullet (0xB7); anything else shown as a bullet.
pub fn symbol_font_char(code: u8) -> char {
    const UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
    const LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
    match code {
        b' ' => ' ',
        b'0'..=b'9'
        | b'('
        | b')'
        | b'+'
        | b','
        | b'.'
        | b'/'
        | b':'
        | b';'
        | b'<'
        | b'='
        | b'>'
        | b'?'
        | b'['
        | b']'
        | b'!'
        | b'#'
        | b'%'
        | b'&'
        | b'_'
        | b'{'
        | b'|'
        | b'}' => char::from(code),
        b'-' => '−',
        b'A'..=b'Z' => UPPER.chars().nth(usize::from(code - b'A')).unwrap_or('•'),
        b'a'..=b'z' => LOWER.chars().nth(usize::from(code - b'a')).unwrap_or('•'),
        0xB0 => '°',
        0xB1 => '±',
        0xB4 => '×',
        0xB8 => '÷',
        0xAE => '→',
        0xAC => '←',
        0xAB => '↔',
        0xA3 => '≤',
        0xB3 => '≥',
        0xB9 => '≠',
        0xBB => '≈',
        0xD6 => '√',
        0xE5 => '∑',
        0xA5 => '∞',
        // 0xB7 bullet, 0xD7 dot operator, 0xA7–0xAA card suits, 0xE0 lozenge:
        // all drawn as list markers in resumes.
        _ => '•',
    }
}

/// The text a symbol font's code stands for: Symbol's own letters and signs,
/// and for the pictograph fonts (ZapfDingbats, Wingdings) a bullet — their
/// squares, arrows, checks and stars mark list items.
pub(crate) fn symbolic_char(font: Standard, code: u8) -> char {
    match font {
        Standard::Symbol => symbol_font_char(code),
        _ if code == b' ' => ' ',
        _ => '•',
    }
}

/// Private-use code points a symbol font was mapped to (U+F020–U+F0FF: the
/// font's own code plus 0xF000, as Word and many PDF producers write them)
/// become what they draw; other private-use code points stay as they are.
pub fn private_use_symbol(c: char) -> Option<char> {
    let code = c as u32;
    (0xF020..=0xF0FF)
        .contains(&code)
        .then(|| match code - 0xF000 {
            0xB7 | 0xA7 | 0x6C | 0x6E | 0x71 | 0x76 | 0xD8 | 0xFC | 0xA8 | 0x75 | 0x77 | 0xE0
            | 0x9F | 0xA1 => '•',
            low => symbol_font_char(low as u8),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_the_standard_fonts_and_their_aliases_are_recognised() {
        assert_eq!(
            Standard::from_base_font("ABCDEF+Helvetica-BoldOblique"),
            Some(Standard::HelveticaBold)
        );
        assert_eq!(
            Standard::from_base_font("TimesNewRomanPS-ItalicMT"),
            Some(Standard::TimesItalic)
        );
        assert_eq!(
            Standard::from_base_font("Arial,Bold"),
            Some(Standard::HelveticaBold)
        );
        assert_eq!(
            Standard::from_base_font("ZapfDingbats"),
            Some(Standard::Dingbats)
        );
        assert_eq!(
            Standard::from_base_font("Wingdings-Regular"),
            Some(Standard::Dingbats)
        );
        assert_eq!(
            Standard::from_base_font("Courier-Bold"),
            Some(Standard::Courier)
        );
        assert_eq!(Standard::from_base_font("Calibri"), None);
    }

    #[test]
    fn narrow_and_wide_letters_have_their_real_widths() {
        let h = Standard::Helvetica;
        assert_eq!(h.width(u32::from(b'i')), 222.0);
        assert_eq!(h.width(u32::from(b'm')), 833.0);
        assert_eq!(h.width(u32::from(b' ')), 278.0);
        assert_eq!(Standard::Times.width(u32::from(b'W')), 944.0);
        assert_eq!(Standard::Courier.width(u32::from(b'i')), 600.0);
    }

    #[test]
    fn symbol_fonts_give_bullets_and_greek_not_latin_letters() {
        assert_eq!(symbolic_char(Standard::Dingbats, b'n'), '•');
        assert_eq!(symbolic_char(Standard::Dingbats, b'l'), '•');
        assert_eq!(symbolic_char(Standard::Symbol, 0xB7), '•');
        assert_eq!(symbolic_char(Standard::Symbol, b'a'), 'α');
        assert_eq!(private_use_symbol('\u{F0B7}'), Some('•'));
        assert_eq!(private_use_symbol('\u{F0A7}'), Some('•'));
        assert_eq!(private_use_symbol('\u{F0D8}'), Some('•'));
        assert_eq!(private_use_symbol('\u{E001}'), None);
    }
}
