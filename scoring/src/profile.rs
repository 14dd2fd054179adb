//! Resume analysis beyond sections: bullets with their measurable results and
//! opening verbs, dated roles and total years, degrees, location, length and
//! overused words. Everything is computed on the normalised text, so byte ranges
//! index the text the page shows.

use std::{collections::HashSet, sync::OnceLock};

use crate::fxhash::FxHashMap;

use serde::{Deserialize, Serialize};

use crate::{
    job::{DegreeLevel, degree_at},
    resume::{Contact, Section, SectionKind, contact_of_normalized, section_at, sections},
    stem::stem,
    tokenize::{Token, tokenize, words},
};

/// A month as `year * 12 + (month - 1)`, so ranges subtract directly.
pub type MonthIndex = u32;

pub fn month_index(year: u32, month: u32) -> MonthIndex {
    year * 12 + month.clamp(1, 12) - 1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Opening {
    /// An action verb ("Led", "Built", "Reduced").
    Strong,
    /// A duty phrase ("Responsible for", "Worked on", "Helped").
    Weak,
    /// Anything else.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bullet {
    /// Byte range of the bullet's text (marker excluded) in the normalised resume.
    pub start: usize,
    pub end: usize,
    pub section: Option<SectionKind>,
    pub has_metric: bool,
    pub opening: Opening,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub start: MonthIndex,
    pub end: MonthIndex,
    /// Ends "Present" / "Current" / "Now".
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub word_count: usize,
    pub sections: Vec<Section>,
    pub contact: Contact,
    pub location: bool,
    pub bullets: Vec<Bullet>,
    pub roles: Vec<DateRange>,
    /// Months covered by the roles, overlaps counted once.
    pub experience_months: u32,
    pub degree: Option<DegreeLevel>,
    /// Content words used often enough to read as repetitive, most used first.
    pub repeated: Vec<(String, u32)>,
}

impl Profile {
    pub fn has_section(&self, kind: SectionKind) -> bool {
        self.sections.iter().any(|s| s.kind == kind)
    }

    pub fn section_at(&self, byte: usize) -> Option<SectionKind> {
        section_at(&self.sections, byte)
    }
}

/// Analyses a normalised resume. `today` resolves "Present"; without it the
/// latest date the resume mentions is used (so the result never depends on a clock).
pub fn analyze(text: &str, today: Option<MonthIndex>) -> Profile {
    analyze_tokens(text, &tokenize(text), today)
}

/// [`analyze`] with the text's tokens already at hand (the scorer has them).
pub fn analyze_tokens(text: &str, tokens: &[Token], today: Option<MonthIndex>) -> Profile {
    let sections = sections(text);
    let bullets = bullets(text, tokens, &sections);
    let (roles, experience_months) = roles(text, tokens, &sections, today);
    Profile {
        word_count: tokens
            .iter()
            .filter(|t| t.text.chars().any(char::is_alphabetic))
            .count(),
        contact: contact_of_normalized(text),
        location: has_location(text, &sections),
        degree: degree(text, &sections),
        repeated: repeated(tokens),
        bullets,
        roles,
        experience_months,
        sections,
    }
}

/// The tokens lying inside `start..end` (tokens are sorted by position).
fn tokens_in(tokens: &[Token], start: usize, end: usize) -> &[Token] {
    let from = tokens.partition_point(|t| t.start < start);
    let to = tokens.partition_point(|t| t.start < end);
    &tokens[from..to.max(from)]
}

const BULLET_MARKS: &[char] = &[
    '•', '-', '*', '>', '◦', '‣', '○', '■', '□', '➢', '►', '✓', '–',
];

fn bullets(text: &str, tokens: &[Token], sections: &[Section]) -> Vec<Bullet> {
    let mut marked = Vec::new();
    let mut statements = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        let body = trimmed.trim_end();
        if body.is_empty() {
            continue;
        }
        let (is_marked, rest) = match strip_marker(body) {
            Some(rest) => (true, rest),
            None => (false, body),
        };
        let rest_trimmed = rest.trim_start();
        let start = line_start + lead + (body.len() - rest_trimmed.len());
        let end = start + rest_trimmed.len();
        let section = section_at(sections, line_start);
        let toks = tokens_in(tokens, start, end);
        if toks.is_empty() {
            continue;
        }
        let bullet = Bullet {
            start,
            end,
            section,
            has_metric: metric_in(rest_trimmed, toks),
            opening: opening(toks),
        };
        if is_marked {
            marked.push(bullet);
        } else if matches!(
            section,
            Some(SectionKind::Experience | SectionKind::Projects)
        ) && toks.len() >= 6
            && date_points(text, toks).is_empty()
            && !sections.iter().any(|s| s.start == offset)
        {
            // Resumes exported without bullet glyphs: a sentence-length line in
            // the experience section is a statement all the same.
            statements.push(bullet);
        }
    }
    if marked.is_empty() {
        statements
    } else {
        marked
    }
}

fn strip_marker(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    if BULLET_MARKS.contains(&first) {
        let rest = &line[first.len_utf8()..];
        // "-5%" or "--" is not a bullet; "- Led" and "•Led" are.
        if first == '-' && !rest.starts_with(' ') {
            return None;
        }
        return Some(rest);
    }
    // "1." / "2)" numbered items.
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &line[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(r);
        }
    }
    None
}

/// A number that measures something: %, currency, multipliers, counts. Years
/// (1960–2100) and version-like tokens after a letter ("Python 3") are not results.
pub fn has_metric(text: &str) -> bool {
    metric_in(text, &tokenize(text))
}

/// [`has_metric`] for a span of text and its tokens.
fn metric_in(text: &str, toks: &[Token]) -> bool {
    if text.contains(['%', '$', '€', '£', '¥']) {
        return true;
    }
    toks.iter().enumerate().any(|(i, t)| {
        let s = t.text.as_str();
        let digits = s.chars().filter(char::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        let is_year = s.len() == 4
            && digits == 4
            && s.parse::<u32>().is_ok_and(|y| (1960..=2100).contains(&y));
        if is_year {
            return false;
        }
        // "10x", "3k", "2m", "40+" style quantities, or a plain count.
        let suffix_ok = s
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',')
            .chars()
            .all(|c| matches!(c, 'x' | 'k' | 'm' | 'b'));
        let after_name =
            i > 0 && toks[i - 1].text.chars().all(char::is_alphabetic) && s.contains('.');
        suffix_ok && !after_name
    })
}

const STRONG_VERBS: &[&str] = &[
    "accelerate",
    "achieve",
    "architect",
    "automate",
    "boost",
    "build",
    "built",
    "championed",
    "coach",
    "collaborate",
    "consolidate",
    "create",
    "cut",
    "decrease",
    "define",
    "deliver",
    "deploy",
    "design",
    "develop",
    "devise",
    "direct",
    "drive",
    "drove",
    "eliminate",
    "enable",
    "engineer",
    "establish",
    "expand",
    "generate",
    "grew",
    "grow",
    "implement",
    "improve",
    "increase",
    "initiate",
    "instrument",
    "introduce",
    "launch",
    "lead",
    "led",
    "manage",
    "mentor",
    "migrate",
    "modernize",
    "negotiate",
    "optimize",
    "orchestrate",
    "overhaul",
    "own",
    "pioneer",
    "produce",
    "raise",
    "redesign",
    "reduce",
    "refactor",
    "resolve",
    "restructure",
    "revamp",
    "save",
    "scale",
    "secure",
    "ship",
    "shipped",
    "simplify",
    "spearhead",
    "standardize",
    "streamline",
    "strengthen",
    "taught",
    "teach",
    "train",
    "transform",
    "triple",
    "double",
    "won",
    "win",
    "wrote",
    "write",
    "analyze",
    "analyse",
    "audit",
    "coordinate",
    "conduct",
    "forecast",
    "founded",
    "found",
    "oversaw",
    "oversee",
    "partner",
    "plan",
    "present",
    "publish",
    "recruit",
    "hire",
    "sold",
    "sell",
    "support",
    "test",
    "upgrade",
    "validate",
    "prototype",
    "model",
    "integrate",
    "invent",
    "maintain",
    "monitor",
    "prepare",
    "process",
    "research",
    "review",
    "run",
    "ran",
    "serve",
    "set",
    "solve",
    "speak",
    "spoke",
    "supervise",
    "guide",
    "facilitate",
];

const WEAK_OPENINGS: &[&str] = &[
    "responsible",
    "worked",
    "working",
    "helped",
    "helping",
    "assisted",
    "assisting",
    "participated",
    "involved",
    "duties",
    "tasked",
    "handled",
    "various",
    "in",
    "was",
    "were",
    "did",
    "tried",
];

/// The strong verbs and their stems, built once.
fn strong_verbs() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        STRONG_VERBS
            .iter()
            .flat_map(|v| [v.to_string(), stem(v).into_owned()])
            .collect()
    })
}

fn opening(toks: &[Token]) -> Opening {
    let Some(first) = toks.first().map(|t| t.text.as_str()) else {
        return Opening::Other;
    };
    if WEAK_OPENINGS.contains(&first) {
        return Opening::Weak;
    }
    let verbs = strong_verbs();
    if verbs.contains(first) || verbs.contains(stem(first).as_ref()) {
        Opening::Strong
    } else {
        Opening::Other
    }
}

const MONTHS: &[(&str, u32)] = &[
    ("jan", 1),
    ("january", 1),
    ("feb", 2),
    ("february", 2),
    ("mar", 3),
    ("march", 3),
    ("apr", 4),
    ("april", 4),
    ("may", 5),
    ("jun", 6),
    ("june", 6),
    ("jul", 7),
    ("july", 7),
    ("aug", 8),
    ("august", 8),
    ("sep", 9),
    ("sept", 9),
    ("september", 9),
    ("oct", 10),
    ("october", 10),
    ("nov", 11),
    ("november", 11),
    ("dec", 12),
    ("december", 12),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Point {
    Month {
        index: MonthIndex,
        start: usize,
        end: usize,
        year_only: bool,
    },
    Present {
        start: usize,
        end: usize,
    },
}

impl Point {
    fn span(&self) -> (usize, usize) {
        match *self {
            Point::Month { start, end, .. } | Point::Present { start, end } => (start, end),
        }
    }
}

fn year_of(t: &Token) -> Option<u32> {
    (t.text.len() == 4)
        .then(|| t.text.parse::<u32>().ok())
        .flatten()
        .filter(|y| (1960..=2100).contains(y))
}

/// The dates a line mentions, in order: "Mar 2021", "03/2021", "2021", "Present".
/// `toks` are the line's tokens with positions in `text`.
fn date_points(text: &str, toks: &[Token]) -> Vec<Point> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let month = MONTHS
            .iter()
            .find(|(m, _)| *m == t.text)
            .map(|(_, n)| *n)
            .or_else(|| {
                // "03/2021": a month number joined to a year by a slash.
                let n: u32 = t.text.parse().ok()?;
                let next = toks.get(i + 1)?;
                ((1..=12).contains(&n) && text.get(t.end..next.start) == Some("/")).then_some(n)
            });
        if let Some(m) = month
            && let Some(next) = toks.get(i + 1)
            && let Some(y) = year_of(next)
        {
            out.push(Point::Month {
                index: month_index(y, m),
                start: t.start,
                end: next.end,
                year_only: false,
            });
            i += 2;
            continue;
        }
        if let Some(y) = year_of(t) {
            out.push(Point::Month {
                index: month_index(y, 1),
                start: t.start,
                end: t.end,
                year_only: true,
            });
        } else if matches!(
            t.text.as_str(),
            "present" | "current" | "now" | "today" | "ongoing"
        ) {
            out.push(Point::Present {
                start: t.start,
                end: t.end,
            });
        }
        i += 1;
    }
    out
}

/// Dated roles: two dates on one line joined by a dash or "to". Ranges in the
/// education section are study, not work, and are left out.
fn roles(
    text: &str,
    tokens: &[Token],
    sections: &[Section],
    today: Option<MonthIndex>,
) -> (Vec<DateRange>, u32) {
    let mut raw = Vec::new();
    let mut latest = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let in_education = section_at(sections, offset) == Some(SectionKind::Education);
        let line_start = offset;
        offset += line.len();
        let points = date_points(text, tokens_in(tokens, line_start, offset));
        for p in &points {
            if let Point::Month {
                index, year_only, ..
            } = *p
            {
                latest = latest.max(if year_only { index + 11 } else { index });
            }
        }
        if in_education {
            continue;
        }
        for pair in points.windows(2) {
            let (
                Point::Month {
                    index: from,
                    year_only,
                    ..
                },
                to,
            ) = (pair[0], pair[1])
            else {
                continue;
            };
            let between = text
                .get(pair[0].span().1..to.span().0)
                .unwrap_or("")
                .trim()
                .to_lowercase();
            if !matches!(between.as_str(), "-" | "to" | "until" | "till" | "–" | "—") {
                continue;
            }
            match to {
                Point::Month {
                    index: until,
                    year_only: to_year_only,
                    ..
                } => {
                    // "2019 - 2021" spans Jan 2019 to Dec 2021 only when both are
                    // bare years; a month on either side is taken as written.
                    let until = if to_year_only && year_only {
                        until + 11
                    } else {
                        until
                    };
                    if until >= from {
                        raw.push((from, Some(until)));
                    }
                }
                Point::Present { .. } => raw.push((from, None)),
            }
        }
    }
    let now = today.unwrap_or(latest).max(latest);
    let mut ranges: Vec<DateRange> = raw
        .into_iter()
        .filter_map(|(start, end)| {
            let end_v = end.unwrap_or(now);
            (end_v >= start).then_some(DateRange {
                start,
                end: end_v,
                current: end.is_none(),
            })
        })
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut months = 0;
    let mut cursor: Option<(MonthIndex, MonthIndex)> = None;
    for r in &ranges {
        match cursor {
            Some((s, e)) if r.start <= e + 1 => cursor = Some((s, e.max(r.end))),
            Some((s, e)) => {
                months += e - s + 1;
                cursor = Some((r.start, r.end));
            }
            None => cursor = Some((r.start, r.end)),
        }
    }
    if let Some((s, e)) = cursor {
        months += e - s + 1;
    }
    (ranges, months)
}

/// The highest degree in the education section (or, with no such section, on
/// lines that mention a university, college or degree).
fn degree(text: &str, sections: &[Section]) -> Option<DegreeLevel> {
    let edu: Vec<&str> = sections
        .iter()
        .filter(|s| s.kind == SectionKind::Education)
        .filter_map(|s| text.get(s.start..s.end))
        .collect();
    let scope: Vec<&str> = if edu.is_empty() {
        text.lines()
            .filter(|l| {
                let l = l.to_lowercase();
                ["university", "college", "degree", "institute", "school"]
                    .iter()
                    .any(|k| l.contains(k))
            })
            .collect()
    } else {
        edu
    };
    scope
        .iter()
        .filter_map(|part| {
            let w = words(part);
            (0..w.len()).filter_map(|i| degree_at(&w, i)).max()
        })
        .max()
}

/// A location in the header: a short "City, ST" / "City, Country" segment or "Remote".
fn has_location(text: &str, sections: &[Section]) -> bool {
    let mut limit = sections.first().map_or(text.len(), |s| s.start).min(400);
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let header = &text[..limit];
    header
        .split(['\n', '|', '•', '·'])
        .map(str::trim)
        .any(|seg| {
            let lower = seg.to_lowercase();
            if lower == "remote" || lower.starts_with("remote ") || lower.ends_with(" remote") {
                return true;
            }
            let Some((city, region)) = seg.split_once(", ") else {
                return false;
            };
            let n = seg.split_whitespace().count();
            (2..=5).contains(&n)
                && !seg.contains('@')
                && !seg.contains("http")
                && city.chars().next().is_some_and(char::is_uppercase)
                && region.chars().next().is_some_and(char::is_uppercase)
                && city
                    .chars()
                    .all(|c| c.is_alphabetic() || c == ' ' || c == '.' || c == '-')
                && region
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == ' ' || c == '.')
        })
}

const STOPWORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "with",
    "that",
    "this",
    "from",
    "into",
    "over",
    "under",
    "your",
    "their",
    "they",
    "them",
    "have",
    "has",
    "had",
    "were",
    "was",
    "are",
    "will",
    "would",
    "which",
    "while",
    "where",
    "when",
    "what",
    "about",
    "across",
    "also",
    "more",
    "most",
    "than",
    "then",
    "such",
    "each",
    "other",
    "using",
    "used",
    "use",
    "within",
    "through",
    "team",
    "teams",
    "work",
    "company",
    "years",
    "year",
    "experience",
];

/// Content words (four letters or more, stopwords aside) used at least six
/// times and making up over 2% of the words.
fn repeated(tokens: &[Token]) -> Vec<(String, u32)> {
    let mut counts: FxHashMap<&str, u32> = FxHashMap::default();
    let mut total = 0u32;
    for t in tokens {
        let w = t.text.as_str();
        if !w.chars().any(char::is_alphabetic) {
            continue;
        }
        total += 1;
        if w.len() >= 4 && w.chars().nth(3).is_some() && !STOPWORDS.contains(&w) {
            *counts.entry(w).or_default() += 1;
        }
    }
    let mut out: Vec<(String, u32)> = counts
        .into_iter()
        .filter(|&(_, n)| n >= 6 && n * 50 > total)
        .map(|(w, n)| (w.to_string(), n))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out.truncate(5);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    const RESUME: &str = "Alex Rivera\nBerlin, Germany | alex@example.com | +49 30 1234567\n\nEXPERIENCE\nSenior Engineer, Acme — Mar 2021 – Present\n• Led the migration of 40 services to Kubernetes, cutting costs by 30%\n• Responsible for on-call\nEngineer, Beta GmbH, 2017 - 2020\n• Built a billing API in Rust\n\nEDUCATION\nM.Sc. Computer Science, TU Berlin, 2015 - 2017\n";

    #[test]
    fn finds_bullets_with_their_metrics_and_openings() {
        let text = normalize(RESUME);
        let p = analyze(&text, Some(month_index(2026, 11)));
        assert_eq!(p.bullets.len(), 3);
        let b: Vec<(bool, Opening)> = p
            .bullets
            .iter()
            .map(|b| (b.has_metric, b.opening))
            .collect();
        assert_eq!(
            b,
            [
                (true, Opening::Strong),
                (false, Opening::Weak),
                (false, Opening::Strong)
            ]
        );
        assert_eq!(
            &text[p.bullets[2].start..p.bullets[2].end],
            "Built a billing API in Rust"
        );
        assert!(
            p.bullets
                .iter()
                .all(|b| b.section == Some(SectionKind::Experience))
        );
    }

    #[test]
    fn totals_work_years_from_dated_roles_and_leaves_study_out() {
        let p = analyze(&normalize(RESUME), Some(month_index(2026, 2)));
        // 2017-01..2020-12 = 48 months; 2021-03..2026-02 = 60 months.
        assert_eq!(p.roles.len(), 2);
        assert_eq!(p.experience_months, 48 + 60);
        assert!(p.roles[1].current);
    }

    #[test]
    fn overlapping_roles_count_once() {
        let text = "EXPERIENCE\nA, Jan 2020 - Dec 2021\nB, Jun 2021 - Jun 2022\n";
        assert_eq!(analyze(text, None).experience_months, 30);
    }

    #[test]
    fn present_without_a_date_falls_back_to_the_latest_date_mentioned() {
        let text = "EXPERIENCE\nA, 01/2020 - Present\nCertified 06/2022\n";
        assert_eq!(analyze(text, None).experience_months, 30);
        assert_eq!(
            analyze(text, Some(month_index(2020, 12))).experience_months,
            30
        );
    }

    #[test]
    fn reads_the_highest_degree_and_the_location() {
        let p = analyze(&normalize(RESUME), None);
        assert_eq!(p.degree, Some(DegreeLevel::Master));
        assert!(p.location);
        assert!(p.contact.email && p.contact.phone);
    }

    #[test]
    fn a_scrum_master_is_not_a_masters_degree() {
        let p = analyze("EDUCATION\nCertified Scrum Master\nB.Sc. Physics\n", None);
        assert_eq!(p.degree, Some(DegreeLevel::Bachelor));
    }

    #[test]
    fn metrics_are_numbers_that_measure_not_years_or_versions() {
        assert!(has_metric("Cut p95 latency from 900 ms to 120 ms"));
        assert!(has_metric("Grew revenue $2M"));
        assert!(has_metric("Served 3x more traffic"));
        assert!(!has_metric("Joined in 2019"));
        assert!(!has_metric("Upgraded to Python 3.11"));
        assert!(!has_metric("Wrote the docs"));
    }

    #[test]
    fn unmarked_sentences_in_experience_count_as_bullets_when_there_are_no_marks() {
        let text = "EXPERIENCE\nAcme 2019 - 2021\nDesigned the data platform used by every analyst daily\n";
        let p = analyze(text, None);
        assert_eq!(p.bullets.len(), 1);
        assert_eq!(p.bullets[0].opening, Opening::Strong);
    }

    #[test]
    fn reports_overused_words() {
        let text = "synergy ".repeat(8) + &"word ".repeat(100);
        let p = analyze(&text, None);
        assert_eq!(
            p.repeated,
            [("word".to_string(), 100), ("synergy".to_string(), 8)]
        );
    }
}
