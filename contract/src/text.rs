//! Small text checks shared by the request types.

/// True for a UUID in its canonical textual form (8-4-4-4-12 hexadecimal
/// digits, either case), the form `crypto.randomUUID()` and most libraries write.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Longest email address (characters), as [`is_email`] accepts.
pub const MAX_EMAIL_CHARS: usize = 254;

/// A practical email check: one `@`, a non-empty local part, a domain with a dot,
/// no spaces or control characters, no empty labels, at most 254 characters.
/// (Deliverability is the mail server's business; this catches typos.)
pub fn is_email(s: &str) -> bool {
    if s.len() > MAX_EMAIL_CHARS || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || domain.contains('@') {
        return false;
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.chars().count() >= 2)
}

/// Identifiers used as keys and labels (experiment keys, variant names,
/// algorithm versions): 1–64 characters of `a-z 0-9 . _ -`.
pub fn is_slug(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-')
        })
}

/// `None` for a missing or blank string, else the string without surrounding
/// whitespace.
pub fn trimmed(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// The one rule for every free text the service stores (feedback messages,
/// rating comments, email addresses, the admin's triage notes, account and
/// token names), run by the page and the server alike:
///
/// 1. line ends are normalised: CR LF and a lone CR become LF (browsers send
///    form text with CR LF);
/// 2. other control characters, C0 (NUL, ESC of terminal escapes, …), DEL and
///    C1, are **removed**: they carry no meaning in a message, and removing
///    them (rather than refusing) never costs a person their text, as pasting
///    from a PDF can bring a form feed along; LF and TAB stay;
/// 3. the bidirectional embedding, override and isolate controls
///    (U+202A–U+202E, U+2066–U+2069) are **refused**: they reorder what an
///    admin sees (the "Trojan Source" trick) and a person does not type them.
///    The marks U+200E, U+200F and U+061C stay: right-to-left writers use
///    them, and they reorder nothing beyond a neutral character;
/// 4. whitespace and invisible characters ([`is_invisible`]) are trimmed
///    from both ends, so a text made only of them is empty.
///
/// Returns the cleaned text (`""` for an empty one), or the problem as a
/// phrase completing "<field> …".
pub fn clean_text(raw: &str) -> Result<String, String> {
    if let Some(c) = raw.chars().find(|c| is_bidi_control(*c)) {
        return Err(format!(
            "must not contain the invisible text-direction control U+{:04X}",
            c as u32
        ));
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    let trimmed = out.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    Ok(trimmed.to_string())
}

/// Applies [`clean_text`] to an optional field and checks its length in
/// characters (of the cleaned text). `Ok(None)` for a missing or empty one.
pub fn clean_field(raw: Option<&str>, max_chars: usize) -> Result<Option<String>, String> {
    let Some(raw) = raw else { return Ok(None) };
    let text = clean_text(raw)?;
    let n = text.chars().count();
    if n > max_chars {
        return Err(format!(
            "must be at most {} characters (it has {})",
            grouped(max_chars),
            grouped(n)
        ));
    }
    Ok((!text.is_empty()).then_some(text))
}

/// U+202A–U+202E (embeddings, overrides, pop) and U+2066–U+2069 (isolates).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that draw nothing: zero-width space, joiners and non-joiner,
/// word joiner and invisible operators, the byte order mark, the soft hyphen,
/// direction marks, variation selectors, the Mongolian vowel separator, the
/// Hangul and braille blanks. A text of only these (and whitespace) is empty.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{3164}'
            | '\u{2800}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    )
}

/// Thousands separators for messages: 5000 → "5,000".
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_canonical_uuids_in_either_case() {
        assert!(is_uuid("3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5b"));
        assert!(is_uuid("3F2B8C1E-4D5A-4E6F-8A9B-0C1D2E3F4A5B"));
    }

    #[test]
    fn rejects_uuids_with_wrong_shape() {
        assert!(!is_uuid(""));
        assert!(!is_uuid("3f2b8c1e4d5a4e6f8a9b0c1d2e3f4a5b"));
        assert!(!is_uuid("3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5g"));
        assert!(!is_uuid("{3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5}"));
    }

    #[test]
    fn accepts_ordinary_email_addresses() {
        for ok in [
            "ana@example.com",
            "first.last+jobs@mail.example.co.uk",
            "zoë@exämple.de",
        ] {
            assert!(is_email(ok), "{ok}");
        }
    }

    #[test]
    fn rejects_typos_in_email_addresses() {
        for bad in [
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "ana@@example.com",
            "ana @example.com",
            "ana@example..com",
            "ana.@example.com",
            "ana@-example.com",
            "ana@example.c",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn slugs_are_lowercase_identifiers() {
        assert!(is_slug("scoring-algorithm"));
        assert!(is_slug("v2.0"));
        assert!(!is_slug("V2"));
        assert!(!is_slug(""));
        assert!(!is_slug("has space"));
        assert!(!is_slug(&"a".repeat(65)));
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(5), "5");
        assert_eq!(grouped(5000), "5,000");
        assert_eq!(grouped(1234567), "1,234,567");
    }

    #[test]
    fn text_of_only_invisible_characters_is_empty() {
        for blank in [
            "",
            "   ",
            "\u{200B}\u{200B}",
            "\u{200D}",
            "\u{FEFF} \u{2060}\n\t",
            "\u{00AD}\u{3164}\u{2800}",
            "\u{0000}\u{001B}",
        ] {
            assert_eq!(clean_text(blank).unwrap(), "", "{blank:?}");
        }
    }

    #[test]
    fn trims_whitespace_and_invisible_characters_at_both_ends_only() {
        assert_eq!(
            clean_text("\u{200B} hi there \u{FEFF}").unwrap(),
            "hi there"
        );
        assert_eq!(
            clean_text("family 👨\u{200D}👩\u{200D}👧 ok").unwrap(),
            "family 👨\u{200D}👩\u{200D}👧 ok"
        );
    }

    #[test]
    fn removes_control_characters_but_keeps_newlines_and_tabs() {
        assert_eq!(clean_text("a\u{0}b").unwrap(), "ab");
        assert_eq!(clean_text("\u{1b}[31mred\u{1b}[0m").unwrap(), "[31mred[0m");
        assert_eq!(clean_text("x\u{7f}\u{85}\u{9b}y").unwrap(), "xy");
        assert_eq!(clean_text("one\ttwo\nthree").unwrap(), "one\ttwo\nthree");
    }

    #[test]
    fn normalises_carriage_returns_to_newlines() {
        assert_eq!(clean_text("a\r\nb\rc").unwrap(), "a\nb\nc");
    }

    #[test]
    fn refuses_bidi_embeddings_overrides_and_isolates() {
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}',
        ] {
            let err = clean_text(&format!("total {c}0001")).unwrap_err();
            assert!(err.contains(&format!("U+{:04X}", c as u32)), "{err}");
        }
    }

    #[test]
    fn keeps_the_direction_marks_right_to_left_writers_use() {
        assert_eq!(clean_text("שלום\u{200F} ok").unwrap(), "שלום\u{200F} ok");
    }

    #[test]
    fn a_field_is_limited_in_characters_of_the_cleaned_text() {
        assert_eq!(clean_field(None, 5).unwrap(), None);
        assert_eq!(clean_field(Some(" \u{200B} "), 5).unwrap(), None);
        assert_eq!(
            clean_field(Some("  😀😀😀😀😀  "), 5)
                .unwrap()
                .unwrap()
                .chars()
                .count(),
            5
        );
        assert_eq!(
            clean_field(Some("abcdef"), 5).unwrap_err(),
            "must be at most 5 characters (it has 6)"
        );
    }
}
