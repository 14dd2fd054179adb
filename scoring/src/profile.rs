//! Resume analysis beyond sections: bullets with their measurable results and
//! opening verbs, dated roles and total years, degrees, location, length and
//! overused words. Everything is computed on the normalised text, so byte ranges
//! index the text the page shows.

use crate::words::Words;
use std::{collections::HashSet, sync::OnceLock};

use crate::fxhash::FxHashMap;

use serde::{Deserialize, Serialize};

use crate::{
    job::{DegreeLevel, degrees},
    resume::{Contact, Section, SectionKind, contact_of_normalized, section_at, sections},
    stem::stem,
    tokenize::{Token, tokenize},
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
    /// Byte offset of the line holding the dates in the normalised resume.
    #[serde(default)]
    pub at: usize,
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
    /// Byte ranges of experience lines with a date range that could not be
    /// read ("Jan 2020 - ??"): reported, never silently dropped.
    pub unread_dates: Vec<(usize, usize)>,
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
    let (roles, experience_months, unread_dates) = roles(text, tokens, &sections, today);
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
        unread_dates,
        sections,
    }
}

/// The tokens lying inside `start..end` (tokens are sorted by position).
fn tokens_in<'t, 'a>(tokens: &'t [Token<'a>], start: usize, end: usize) -> &'t [Token<'a>] {
    let from = tokens.partition_point(|t| t.start < start);
    let to = tokens.partition_point(|t| t.start < end);
    &tokens[from..to.max(from)]
}

const BULLET_MARKS: &[char] = &[
    '•', '-', '*', '>', '◦', '‣', '○', '■', '□', '➢', '►', '✓', '–', '◆', '◇', '❖', '➤', '▸', '▪',
    '✔', '★', '☐', '❑', '⦁', '·',
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

/// Whether a line opens with a list number ("1. ", "2) ").
pub(crate) fn has_list_number(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits)
        && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
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
    // The bytes first ('€', '£' and '¥' end in 0xAC, 0xA3 and 0xA5): most
    // lines have none.
    if text
        .bytes()
        .any(|b| matches!(b, b'%' | b'$' | 0xAC | 0xA3 | 0xA5))
        && text.contains(['%', '$', '€', '£', '¥'])
    {
        return true;
    }
    toks.iter().enumerate().any(|(i, t)| {
        let s = t.text.as_ref();
        let digits = s.bytes().filter(u8::is_ascii_digit).count();
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

const STRONG_VERBS: Words = Words::new(concat!(
    "accelerate|",
    "achieve|",
    "architect|",
    "automate|",
    "boost|",
    "build|",
    "built|",
    "championed|",
    "coach|",
    "collaborate|",
    "consolidate|",
    "create|",
    "cut|",
    "decrease|",
    "define|",
    "deliver|",
    "deploy|",
    "design|",
    "develop|",
    "devise|",
    "direct|",
    "drive|",
    "drove|",
    "eliminate|",
    "enable|",
    "engineer|",
    "establish|",
    "expand|",
    "generate|",
    "grew|",
    "grow|",
    "implement|",
    "improve|",
    "increase|",
    "initiate|",
    "instrument|",
    "introduce|",
    "launch|",
    "lead|",
    "led|",
    "manage|",
    "mentor|",
    "migrate|",
    "modernize|",
    "negotiate|",
    "optimize|",
    "orchestrate|",
    "overhaul|",
    "own|",
    "pioneer|",
    "produce|",
    "raise|",
    "redesign|",
    "reduce|",
    "refactor|",
    "resolve|",
    "restructure|",
    "revamp|",
    "save|",
    "scale|",
    "secure|",
    "ship|",
    "shipped|",
    "simplify|",
    "spearhead|",
    "standardize|",
    "streamline|",
    "strengthen|",
    "taught|",
    "teach|",
    "train|",
    "transform|",
    "triple|",
    "double|",
    "won|",
    "win|",
    "wrote|",
    "write|",
    "analyze|",
    "analyse|",
    "audit|",
    "coordinate|",
    "conduct|",
    "forecast|",
    "founded|",
    "found|",
    "oversaw|",
    "oversee|",
    "partner|",
    "plan|",
    "present|",
    "publish|",
    "recruit|",
    "hire|",
    "sold|",
    "sell|",
    "support|",
    "test|",
    "upgrade|",
    "validate|",
    "prototype|",
    "model|",
    "integrate|",
    "invent|",
    "maintain|",
    "monitor|",
    "prepare|",
    "process|",
    "research|",
    "review|",
    "run|",
    "ran|",
    "serve|",
    "set|",
    "solve|",
    "speak|",
    "spoke|",
    "supervise|",
    "guide|",
    "facilitate|",
    // Verbs of every profession, present tense as job descriptions and many
    // resumes write them ("Provide", "Administer", "Perform"): the stemmer
    // makes "administers", "administered" and "administering" meet them.
    "administer|",
    "perform|",
    "provide|",
    "assess|",
    "educate|",
    "precept|",
    "document|",
    "treat|",
    "triage|",
    "care|",
    "cared|",
    "diagnose|",
    "counsel|",
    "advise|",
    "advocate|",
    "instruct|",
    "tutor|",
    "grade|",
    "differentiate|",
    "assemble|",
    "install|",
    "repair|",
    "inspect|",
    "troubleshoot|",
    "wire|",
    "calibrate|",
    "operate|",
    "weld|",
    "fabricate|",
    "load|",
    "dispatch|",
    "schedule|",
    "route|",
    "ship|",
    "cook|",
    "bake|",
    "greet|",
    "host|",
    "cater|",
    "reconcile|",
    "prepare|",
    "file|",
    "draft|",
    "litigate|",
    "close|",
    "prospect|",
    "source|",
    "screen|",
    "interview|",
    "onboard|",
    "evaluate|",
    "compile|",
    "curate|",
    "edit|",
    "illustrate|",
    "photograph|",
    "coordinate|",
    "organize|",
    "organise|",
    "handle|",
    "respond|",
    "deliver|",
    "investigate|",
    "enforce|",
    "patrol|",
    "serve|",
    "book|",
    "clean|",
    "sanitize|",
    "maintain|",
    "track|",
    "measure|",
    "ensure|",
    "collaborate|",
    "communicate|",
    "present|",
    "achieve|",
    "exceed|",
    "surpass|",
    "earn|",
    "close|",
    "convert|",
    "renew|",
    "retain|",
    "acquire|",
    "resolve|",
    // Verbs of care, trades and service that open bullets too.
    "induce|",
    "place|",
    "take|",
    "keep|",
    "draw|",
    "hold|",
    "give|",
    "send|",
    "catch|",
    "stock|",
    "restock|",
    "prep|",
    "clear|",
    "fill|",
    "dispense|",
    "compound|",
    "chart|",
    "splint|",
    "suture|",
    "intubate|",
    "transport|",
    "lift",
));

const WEAK_OPENINGS: Words = Words::new(concat!(
    "responsible|",
    "worked|",
    "working|",
    "helped|",
    "helping|",
    "assisted|",
    "assisting|",
    "participated|",
    "involved|",
    "duties|",
    "tasked|",
    "handled|",
    "various|",
    "in|",
    "was|",
    "were|",
    "did|",
    "tried",
));

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

/// Whether a lowercase word is one of the action verbs (any inflection).
pub(crate) fn is_action_verb(word: &str) -> bool {
    let verbs = strong_verbs();
    verbs.contains(word) || verbs.contains(stem(word).as_ref())
}

/// "Assisted in 40 surgeries", "Assisted with 12 deliveries a month": an
/// assisting role with a number of concrete procedures is the work itself, not
/// a vague duty phrase. A number within the three words after "assisted" is the
/// tell ("Assisted the team" stays weak).
fn assisted_with_a_count(first: &str, toks: &[Token]) -> bool {
    matches!(first, "assisted" | "assisting" | "assist")
        && toks
            .iter()
            .skip(1)
            .take(3)
            .any(|t| t.text.bytes().next().is_some_and(|b| b.is_ascii_digit()))
}

fn opening(toks: &[Token]) -> Opening {
    let Some(first) = toks.first().map(|t| t.text.as_ref()) else {
        return Opening::Other;
    };
    if assisted_with_a_count(first, toks) {
        return Opening::Strong;
    }
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
    // The same months as resumes from elsewhere write them (German, French,
    // Spanish, Italian, Dutch, Portuguese), where they differ from English.
    ("januar", 1),
    ("janvier", 1),
    ("enero", 1),
    ("gennaio", 1),
    ("januari", 1),
    ("janeiro", 1),
    ("februar", 2),
    ("février", 2),
    ("fevrier", 2),
    ("febrero", 2),
    ("febbraio", 2),
    ("februari", 2),
    ("fevereiro", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mars", 3),
    ("marzo", 3),
    ("maart", 3),
    ("março", 3),
    ("avril", 4),
    ("abril", 4),
    ("aprile", 4),
    ("mai", 5),
    ("mayo", 5),
    ("maggio", 5),
    ("mei", 5),
    ("maio", 5),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("giugno", 6),
    ("junho", 6),
    ("juli", 7),
    ("juillet", 7),
    ("julio", 7),
    ("luglio", 7),
    ("julho", 7),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("augustus", 8),
    ("septembre", 9),
    ("septiembre", 9),
    ("settembre", 9),
    ("setembro", 9),
    ("okt", 10),
    ("oktober", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("ottobre", 10),
    ("outubro", 10),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("dez", 12),
    ("dezember", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("diciembre", 12),
    ("dicembre", 12),
    ("dezembro", 12),
];

/// [`MONTHS`] and [`SEASONS`] as one map, built once (a resume has hundreds
/// of tokens to look up).
fn month_words() -> &'static FxHashMap<&'static str, u32> {
    static MAP: OnceLock<FxHashMap<&'static str, u32>> = OnceLock::new();
    MAP.get_or_init(|| MONTHS.iter().chain(SEASONS).copied().collect())
}

/// Seasons stand for their first month ("Summer 2020" → June 2020).
const SEASONS: &[(&str, u32)] = &[
    ("spring", 3),
    ("summer", 6),
    ("fall", 9),
    ("autumn", 9),
    ("winter", 12),
];

/// Words that end a range at the present: "Present", "to date", "till now".
// Looked up for every token of a resume: a slice compares faster than a
// packed list (crate::words).
const PRESENT: &[&str] = &[
    "present",
    "current",
    "currently",
    "now",
    "today",
    "ongoing",
    "heute",
    "actualidad",
    "presente",
    "aujourd'hui",
    // "aujourd'hui" as the tokenizer splits it.
    "aujourd",
    "actuel",
    "attuale",
    "oggi",
    "heden",
    "atual",
    "atualmente",
    "jetzt",
];

/// What may stand between the two dates of a range.
// Looked up for every token of a resume: a slice compares faster than a
// packed list (crate::words).
const RANGE_WORDS: &[&str] = &[
    "-", "to", "until", "till", "til", "through", "thru", "~", "bis", "a", "al", "à", "hasta",
    "tot", "até", "au",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Point {
    Month {
        index: MonthIndex,
        start: usize,
        end: usize,
        year_only: bool,
        /// A quarter ("Q4 2018"): as the end of a range it runs to the
        /// quarter's last month.
        quarter: bool,
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

/// A two-digit year ("'22", "22") as a four-digit one: up to 50 is 20xx.
fn short_year(t: &Token) -> Option<u32> {
    (t.text.len() == 2 && t.text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.text.parse::<u32>().ok())
        .flatten()
        .map(|y| if y <= 50 { 2000 + y } else { 1900 + y })
}

/// A quarter token ("q1" … "q4") as its number.
fn quarter_of(t: &Token) -> Option<u32> {
    match t.text.as_ref() {
        "q1" => Some(1),
        "q2" => Some(2),
        "q3" => Some(3),
        "q4" => Some(4),
        _ => None,
    }
}

/// A month number written with two digits or one (`03`, `3`), 1 to 12.
fn month_number(t: &Token) -> Option<u32> {
    (t.text.len() <= 2)
        .then(|| t.text.parse::<u32>().ok())
        .flatten()
        .filter(|m| (1..=12).contains(m))
}

/// "03.2019" and "2019.03", which the tokenizer keeps as one token.
fn dotted_month(t: &Token) -> Option<MonthIndex> {
    let (a, b) = t.text.split_once('.')?;
    let num = |s: &str| -> Option<u32> {
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse().ok())
            .flatten()
    };
    let (a_n, b_n) = (num(a)?, num(b)?);
    match (a.len(), b.len()) {
        (1 | 2, 4) if (1..=12).contains(&a_n) && (1960..=2100).contains(&b_n) => {
            Some(month_index(b_n, a_n))
        }
        (4, 2) if (1..=12).contains(&b_n) && (1960..=2100).contains(&a_n) => {
            Some(month_index(a_n, b_n))
        }
        _ => None,
    }
}

/// The dates a line mentions, in order: "Mar 2021", "March '21", "03/2021",
/// "2021-03", "03.2021", "Summer 2020", "2021", "Present", "to date".
/// `toks` are the line's tokens with positions in `text`.
fn date_points(text: &str, toks: &[Token]) -> Vec<Point> {
    let between = |a: &Token, b: &Token| text.get(a.end..b.start).unwrap_or("");
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let next = toks.get(i + 1);
        let month_word = month_words().get(t.text.as_ref()).copied();
        // "Mar 2021", "March '21", "Jan-22", "Mar. 2021"; a day between the
        // month and the year ("Jan 22, 2019") is skipped.
        if let (Some(m), Some(n)) = (month_word, next) {
            let gap = between(t, n).trim();
            let year = year_of(n).map(|y| (y, i + 2)).or_else(|| {
                let after = toks.get(i + 2);
                match after.and_then(year_of) {
                    Some(y) if month_number(n).is_some() || n.text.len() <= 2 => Some((y, i + 3)),
                    _ if matches!(gap, "'" | "-" | "" | "." | ".'") => {
                        short_year(n).map(|y| (y, i + 2))
                    }
                    _ => None,
                }
            });
            if let Some((y, after)) = year {
                out.push(Point::Month {
                    index: month_index(y, m),
                    start: t.start,
                    end: toks[after - 1].end,
                    year_only: false,
                    quarter: false,
                });
                i = after;
                continue;
            }
        }
        // "Q2 2012": a quarter stands for its first month.
        if let Some(q) = quarter_of(t)
            && let Some(n) = next
            && between(t, n).trim().is_empty()
            && let Some(y) = year_of(n).or_else(|| {
                matches!(between(t, n), " '" | "'")
                    .then(|| short_year(n))
                    .flatten()
            })
        {
            out.push(Point::Month {
                index: month_index(y, q * 3 - 2),
                start: t.start,
                end: n.end,
                year_only: false,
                quarter: true,
            });
            i += 2;
            continue;
        }
        // "'19 - Present": a two-digit year after an apostrophe, alone.
        if let Some(y) = short_year(t)
            && text[..t.start].ends_with('\'')
            && text[..t.start.saturating_sub(1)]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        {
            out.push(Point::Month {
                index: month_index(y, 1),
                start: t.start - 1,
                end: t.end,
                year_only: true,
                quarter: false,
            });
            i += 1;
            continue;
        }
        // "03/2021", "3/21": a month number and a year joined by a slash.
        if let (Some(m), Some(n)) = (month_number(t), next)
            && between(t, n) == "/"
            && let Some(y) = year_of(n).or_else(|| short_year(n))
        {
            out.push(Point::Month {
                index: month_index(y, m),
                start: t.start,
                end: n.end,
                year_only: false,
                quarter: false,
            });
            i += 2;
            continue;
        }
        if let Some(index) = dotted_month(t) {
            out.push(Point::Month {
                index,
                start: t.start,
                end: t.end,
                year_only: false,
                quarter: false,
            });
            i += 1;
            continue;
        }
        if let Some(y) = year_of(t) {
            // "2021-03" / "2021/03": an ISO month (two digits after the year).
            if let Some(n) = next
                && matches!(between(t, n), "-" | "/")
                && n.text.len() == 2
                && let Some(m) = month_number(n)
            {
                // "2019-01-15": a full ISO date; the day is skipped.
                let day = toks.get(i + 2).filter(|d| {
                    between(n, d) == "-"
                        && d.text.len() == 2
                        && d.text.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
                });
                out.push(Point::Month {
                    index: month_index(y, m),
                    start: t.start,
                    end: day.map_or(n.end, |d| d.end),
                    year_only: false,
                    quarter: false,
                });
                i += if day.is_some() { 3 } else { 2 };
                continue;
            }
            out.push(Point::Month {
                index: month_index(y, 1),
                start: t.start,
                end: t.end,
                year_only: true,
                quarter: false,
            });
            // "2019-21": a range of years with the second written short.
            if let Some(n) = next
                && between(t, n) == "-"
                && let Some(y2) = short_year(n)
                && y2 > y
                && y2 - y < 50
            {
                out.push(Point::Month {
                    index: month_index(y2, 1),
                    start: n.start,
                    end: n.end,
                    year_only: true,
                    quarter: false,
                });
                i += 2;
                continue;
            }
        } else if PRESENT.contains(&t.text.as_ref())
            || (t.text == "date"
                && i > 0
                && matches!(toks[i - 1].text.as_ref(), "to" | "till" | "til" | "until"))
        {
            out.push(Point::Present {
                start: t.start,
                end: t.end,
            });
        }
        i += 1;
    }
    out
}

/// Dated roles: two dates on one line joined by a dash or "to"/"until"/
/// "through", or one date after "since". Ranges in the education section are
/// study, not work, and are left out. Lines in the experience section whose
/// dates could not be read as a range (a date followed by a dash or "to" and
/// nothing readable) are returned by their byte ranges, so the report can say
/// so instead of dropping the role silently.
fn roles(
    text: &str,
    tokens: &[Token],
    sections: &[Section],
    today: Option<MonthIndex>,
) -> (Vec<DateRange>, u32, Vec<(usize, usize)>) {
    let mut raw = Vec::new();
    let mut unread = Vec::new();
    let mut latest = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let section = section_at(sections, offset);
        // Study (Education) and validity periods of certificates and licences
        // ("Forklift Operator Certification, valid 2012 - 2026") are not roles.
        let line_start = offset;
        offset += line.len();
        let toks = tokens_in(tokens, line_start, offset);
        let points = date_points(text, toks);
        // (A line without dates adds nothing below: no need to read it.)
        let in_education = matches!(
            section,
            Some(SectionKind::Education | SectionKind::Certifications)
        ) || (!points.is_empty() && is_validity_line(line));
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
        let before_line = raw.len();
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
                .trim_matches(|c: char| c == '\'' || c == '.' || c == ',')
                .trim();
            let between = crate::normalize::lowercase(between);
            // "-", "to", "- till", "through": range words and nothing else.
            if between.is_empty() || !between.split_whitespace().all(|w| RANGE_WORDS.contains(&w)) {
                continue;
            }
            match to {
                Point::Month {
                    index: until,
                    year_only: to_year_only,
                    quarter,
                    ..
                } => {
                    // "2019 - 2021" spans Jan 2019 to Dec 2021 only when both are
                    // bare years; a month on either side is taken as written;
                    // a quarter ends with its last month.
                    let until = if to_year_only && year_only {
                        until + 11
                    } else if quarter {
                        until + 2
                    } else {
                        until
                    };
                    if until >= from {
                        raw.push((from, Some(until), line_start));
                    }
                }
                Point::Present { .. } => raw.push((from, None, line_start)),
            }
        }
        if raw.len() > before_line {
            continue;
        }
        // "Since March 2020": a start and no end.
        if let Some(&Point::Month { index, start, .. }) = points.first() {
            let lead = crate::normalize::lowercase(&text[line_start..start]);
            if lead.trim_end().ends_with("since") {
                raw.push((index, None, line_start));
                continue;
            }
        }
        // "2019 -", "March 2021 -" at the line's end: open-ended, to the present.
        if let Some(&Point::Month { index, end, .. }) = points.last() {
            let after = text[end..offset]
                .trim()
                .trim_start_matches(['\'', '.', ','])
                .trim_end_matches([')', ']', '|', ','])
                .trim();
            // Only a dash: "promoted in 2019 to⏎team lead" is wrapped prose.
            if matches!(after, "-" | "~") && !next_line_opens_with_a_date(text, tokens, offset) {
                raw.push((index, None, line_start));
                continue;
            }
        }
        // A date followed by a range word and nothing readable, or two dates
        // joined by a dash with something unreadable between them: say so.
        if matches!(
            section,
            Some(SectionKind::Experience | SectionKind::Projects) | None
        ) && let Some(last) = points
            .iter()
            .rev()
            .find(|p| matches!(p, Point::Month { .. }))
        {
            let after = text[last.span().1..offset].trim();
            let lower = crate::normalize::lowercase(after);
            let dangling = after.starts_with(['-', '~'])
                || ["to ", "until ", "till ", "through "]
                    .iter()
                    .any(|w| lower.starts_with(w));
            let joined = points.windows(2).any(|pair| {
                text.get(pair[0].span().1..pair[1].span().0)
                    .is_some_and(|b| b.contains(['-', '~']) || b.contains(" to "))
            });
            if (dangling || joined) && section.is_some() {
                unread.push((line_start, line_start + line.trim_end().len()));
            }
        }
    }
    // "Present" is the engine's today; without one, the latest date the
    // resume mentions. An end after today ("Dec 2030") is capped at today.
    let now = today.unwrap_or(latest);
    let mut ranges: Vec<DateRange> = raw
        .into_iter()
        .filter_map(|(start, end, at)| {
            let end_v = end.map_or(now, |e| today.map_or(e, |t| e.min(t)));
            (end_v >= start).then_some(DateRange {
                start,
                end: end_v,
                current: end.is_none(),
                at,
            })
        })
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let months = months_covered(&ranges);
    (ranges, months, unread)
}

/// Whether the line starting at byte `from` opens with a date ("Jan 2019 -⏎Dec
/// 2021": the end was wrapped onto the next line, so the range is not open).
fn next_line_opens_with_a_date(text: &str, tokens: &[Token], from: usize) -> bool {
    let end = text[from..].find('\n').map_or(text.len(), |e| from + e);
    let toks = tokens_in(tokens, from, end);
    let Some(first) = toks.first() else {
        return false;
    };
    date_points(text, &toks[..toks.len().min(4)])
        .first()
        .is_some_and(|p| p.span().0 == first.start || (first.text == "to" && toks.len() > 1))
}

/// Whether a line gives a certificate's or licence's validity ("valid 2012 -
/// 2026", "expires 2027") rather than a role.
fn is_validity_line(line: &str) -> bool {
    let lower = crate::normalize::lowercase(line);
    lower.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w,
            "valid" | "validity" | "expires" | "expiry" | "expiration"
        )
    })
}

/// Months the ranges cover, overlaps counted once.
pub fn months_covered(ranges: &[DateRange]) -> u32 {
    let mut ranges: Vec<&DateRange> = ranges.iter().collect();
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
    months
}

/// The highest degree in the education section (or, with no such section, on
/// lines that mention a university, college or degree).
fn degree(text: &str, sections: &[Section]) -> Option<DegreeLevel> {
    let edu: Vec<&str> = sections
        .iter()
        .filter(|s| s.kind == SectionKind::Education)
        .filter_map(|s| text.get(s.start..s.end))
        .collect();
    let strict = edu.is_empty();
    let scope: Vec<&str> = if edu.is_empty() {
        text.lines()
            .filter(|l| {
                let l = crate::normalize::lowercase(l);
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
        .filter_map(|part| degrees(part, strict).into_iter().map(|(_, d)| d).max())
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
            let lower = crate::normalize::lowercase(seg);
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

const STOPWORDS: Words = Words::new(concat!(
    "the|",
    "and|",
    "for|",
    "with|",
    "that|",
    "this|",
    "from|",
    "into|",
    "over|",
    "under|",
    "your|",
    "their|",
    "they|",
    "them|",
    "have|",
    "has|",
    "had|",
    "were|",
    "was|",
    "are|",
    "will|",
    "would|",
    "which|",
    "while|",
    "where|",
    "when|",
    "what|",
    "about|",
    "across|",
    "also|",
    "more|",
    "most|",
    "than|",
    "then|",
    "such|",
    "each|",
    "other|",
    "using|",
    "used|",
    "use|",
    "within|",
    "through|",
    "team|",
    "teams|",
    "work|",
    "company|",
    "years|",
    "year|",
    "experience",
));

/// Content words (four letters or more, stopwords aside) used at least six
/// times and making up over 2% of the words.
fn repeated(tokens: &[Token]) -> Vec<(String, u32)> {
    let mut counts: FxHashMap<&str, u32> = FxHashMap::default();
    let mut total = 0u32;
    for t in tokens {
        let w = t.text.as_ref();
        if !w.chars().any(char::is_alphabetic) {
            continue;
        }
        total += 1;
        if w.len() >= 4 && w.chars().nth(3).is_some() {
            *counts.entry(w).or_default() += 1;
        }
    }
    let mut out: Vec<(String, u32)> = counts
        .into_iter()
        // Stopwords last: few words are used this often.
        .filter(|&(w, n)| n >= 6 && n * 50 > total && !STOPWORDS.contains(&w))
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
        // With today given, "Present" is today and later dates are capped.
        assert_eq!(
            analyze(text, Some(month_index(2020, 12))).experience_months,
            12
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
