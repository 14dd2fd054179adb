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

/// A practical email check: one `@`, a non-empty local part, a domain with a dot,
/// no spaces or control characters, no empty labels, at most 254 characters.
/// (Deliverability is the mail server's business; this catches typos.)
pub fn is_email(s: &str) -> bool {
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
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
}
