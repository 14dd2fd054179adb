//! Resume structure: sections found from their headings (standard and common
//! non-standard names) and contact details.

use serde::{Deserialize, Serialize};

use crate::normalize::normalize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    Summary,
    Experience,
    Education,
    Skills,
    Projects,
    Certifications,
}

/// A section: its kind, the heading as written, and the byte range of its body
/// in the normalised text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub kind: SectionKind,
    pub heading: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub email: bool,
    pub phone: bool,
    pub linkedin: bool,
    pub github: bool,
    pub portfolio: bool,
}

/// Heading names, lowercase, for each kind. A heading line is short and holds
/// only (a variant of) one of these, optionally with a trailing colon.
const HEADINGS: &[(SectionKind, &[&str])] = &[
    (
        SectionKind::Summary,
        &[
            "summary",
            "professional summary",
            "profile",
            "about me",
            "about",
            "objective",
            "career objective",
            "career summary",
            "executive summary",
            "overview",
        ],
    ),
    (
        SectionKind::Experience,
        &[
            "experience",
            "work experience",
            "professional experience",
            "employment",
            "employment history",
            "work history",
            "career history",
            "relevant experience",
            "professional background",
            "where i've worked",
        ],
    ),
    (
        SectionKind::Education,
        &[
            "education",
            "academic background",
            "education and training",
            "academic qualifications",
            "qualifications",
            "studies",
        ],
    ),
    (
        SectionKind::Skills,
        &[
            "skills",
            "technical skills",
            "core skills",
            "key skills",
            "core competencies",
            "competencies",
            "expertise",
            "areas of expertise",
            "technologies",
            "tech stack",
            "toolbox",
            "skills and tools",
        ],
    ),
    (
        SectionKind::Projects,
        &[
            "projects",
            "personal projects",
            "selected projects",
            "side projects",
            "portfolio",
            "open source",
        ],
    ),
    (
        SectionKind::Certifications,
        &[
            "certifications",
            "certificates",
            "licenses",
            "licenses and certifications",
            "licences",
            "credentials",
            "courses",
        ],
    ),
];

/// The section kind a line names, if it is a heading. Letter-spaced headings
/// (`S K I L L S`) and decorations (`— Skills —`, `SKILLS:`) are accepted.
pub fn heading_kind(line: &str) -> Option<SectionKind> {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 40 {
        return None;
    }
    let letters_spaced = trimmed
        .split(' ')
        .filter(|w| !w.is_empty())
        .all(|w| w.chars().count() == 1)
        && trimmed.chars().filter(|c| c.is_alphabetic()).count() >= 4;
    let collapsed: String = if letters_spaced {
        // "W O R K  E X P E R I E N C E": double spaces separate words.
        trimmed
            .split("  ")
            .map(|w| w.replace(' ', ""))
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        trimmed.to_string()
    };
    let lower = crate::normalize::lowercase(&collapsed).replace('&', " and ");
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let name = words.join(" ");
    HEADINGS
        .iter()
        .find(|(_, names)| names.contains(&name.as_str()))
        .map(|(kind, _)| *kind)
}

/// Splits the resume into sections by their headings. Text before the first
/// heading (name, contact line) belongs to no section.
pub fn sections(text: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(kind) = heading_kind(line) {
            if let Some(last) = out.last_mut() {
                last.end = offset;
            }
            out.push(Section {
                kind,
                heading: line.trim().to_string(),
                start: offset + line.len(),
                end: text.len(),
            });
        }
        offset += line.len();
    }
    out
}

/// The kind of the section whose body holds byte `at`, if any.
pub fn section_at(sections: &[Section], at: usize) -> Option<SectionKind> {
    sections
        .iter()
        .find(|s| s.start <= at && at < s.end)
        .map(|s| s.kind)
}

/// Which contact details the resume gives (presence only: the engine never
/// needs, keeps or shows the details themselves).
pub fn contact(text: &str) -> Contact {
    contact_of_normalized(&normalize(text))
}

/// [`contact`] for text that is already normalised.
pub fn contact_of_normalized(text: &str) -> Contact {
    let lower = crate::normalize::lowercase(text);
    let email =
        words_with(&lower, '@').any(|w| is_email(w.trim_matches(|c: char| !c.is_alphanumeric())));
    let portfolio = words_with(&lower, '.').any(|w| {
        let w = w.trim_matches(|c: char| c == '(' || c == ')' || c == '.');
        (w.starts_with("http")
            || w.starts_with("www.")
            || w.contains(".dev")
            || w.contains(".io/")
            || w.ends_with(".io")
            || w.ends_with(".me"))
            && !w.contains("linkedin.com")
            && !w.contains("github.com")
            && !w.contains('@')
    });
    Contact {
        email,
        phone: has_phone(text),
        linkedin: lower.contains("linkedin.com/") || lower.contains("linkedin:"),
        github: lower.contains("github.com/") || lower.contains("github:"),
        portfolio,
    }
}

/// The words of `text` (split at whitespace, `|` and `,`) that hold `mark`, in
/// order: found from the marks, as most words have none.
fn words_with(text: &str, mark: char) -> impl Iterator<Item = &str> {
    let is_gap = |c: char| c.is_whitespace() || c == '|' || c == ',';
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + text.get(from..)?.find(mark)?;
        let start = text[..at]
            .char_indices()
            .rev()
            .find(|&(_, c)| is_gap(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = text[at..].find(is_gap).map_or(text.len(), |i| at + i);
        from = end;
        Some(&text[start..end])
    })
}

fn is_email(w: &str) -> bool {
    let Some((local, domain)) = w.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// A run of 7 to 15 digits, allowing the separators phone numbers are written
/// with, and not part of a date range like `2019-2021`.
fn has_phone(text: &str) -> bool {
    let mut digits = 0;
    let mut groups = 0;
    let mut in_digits = false;
    for c in text.chars().chain(std::iter::once('\n')) {
        if c.is_ascii_digit() {
            digits += 1;
            if !in_digits {
                groups += 1;
                in_digits = true;
            }
        } else if matches!(c, ' ' | '-' | '.' | '(' | ')' | '+' | '/') {
            in_digits = false;
        } else {
            if (7..=15).contains(&digits) && !(groups == 2 && digits == 8) {
                return true;
            }
            digits = 0;
            groups = 0;
            in_digits = false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_standard_and_non_standard_headings() {
        assert_eq!(heading_kind("EXPERIENCE"), Some(SectionKind::Experience));
        assert_eq!(
            heading_kind("Where I've worked"),
            Some(SectionKind::Experience)
        );
        assert_eq!(
            heading_kind("Core Competencies:"),
            Some(SectionKind::Skills)
        );
        assert_eq!(heading_kind("— Education —"), Some(SectionKind::Education));
        assert_eq!(
            heading_kind("Licenses & Certifications"),
            Some(SectionKind::Certifications)
        );
    }

    #[test]
    fn recognises_letter_spaced_headings() {
        assert_eq!(heading_kind("S K I L L S"), Some(SectionKind::Skills));
        assert_eq!(
            heading_kind("W O R K  E X P E R I E N C E"),
            Some(SectionKind::Experience)
        );
    }

    #[test]
    fn a_sentence_mentioning_a_section_word_is_not_a_heading() {
        assert_eq!(
            heading_kind("Gained experience with Rust and Go at scale"),
            None
        );
        assert_eq!(heading_kind("Skills in Python"), None);
    }

    #[test]
    fn splits_the_resume_into_sections_with_their_bodies() {
        let text =
            "Alex\nSUMMARY\nBackend engineer.\nEXPERIENCE\nAcme 2020-2023\nSKILLS\nRust, Go\n";
        let s = sections(text);
        let kinds: Vec<SectionKind> = s.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SectionKind::Summary,
                SectionKind::Experience,
                SectionKind::Skills
            ]
        );
        assert_eq!(&text[s[1].start..s[1].end], "Acme 2020-2023\n");
        assert_eq!(&text[s[2].start..s[2].end], "Rust, Go\n");
    }

    #[test]
    fn finds_each_kind_of_contact_detail() {
        let c = contact(
            "Alex Rivera | alex@example.com | +1 (555) 010-0199 | linkedin.com/in/alex | github.com/alex | https://alex.dev",
        );
        assert_eq!(
            c,
            Contact {
                email: true,
                phone: true,
                linkedin: true,
                github: true,
                portfolio: true
            }
        );
    }

    #[test]
    fn a_date_range_is_not_a_phone_number_and_missing_details_are_reported() {
        let c = contact("Alex Rivera\nAcme, 2019-2021\nRust");
        assert_eq!(c, Contact::default());
    }
}
