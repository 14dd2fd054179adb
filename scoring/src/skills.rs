//! The skill dictionary (`data/skills.txt`, compiled in) and the matcher that
//! finds its skills in a text, aliases and multi-word names included.

use crate::words::Words;
use std::{borrow::Cow, sync::OnceLock};

use crate::fxhash::FxHashMap;

use crate::{
    stem::stem,
    tokenize::{Token, tokenize},
};

/// Hard skills (tools, languages, methods) and soft skills are weighted apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SkillKind {
    Hard,
    Soft,
}

/// Index of a skill in the dictionary.
pub type SkillId = u16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skill {
    /// The canonical display name (`PostgreSQL`).
    pub name: String,
    pub kind: SkillKind,
}

#[derive(Debug, Clone)]
struct Pattern {
    tokens: Vec<String>,
    /// `Some(form)`: the text must read exactly `form` (an everyday word or bare letter).
    exact: Option<String>,
    skill: SkillId,
}

/// The parsed dictionary with patterns indexed by their first token.
#[derive(Debug)]
pub struct Dictionary {
    skills: Vec<Skill>,
    by_first_token: FxHashMap<String, Vec<Pattern>>,
    /// The names of two words or more, as stems, each with the initials they
    /// spell ("public relation" → "pr"): what an acronym can stand for.
    spelled: Vec<(String, Vec<String>, SkillId)>,
}

/// One occurrence of a skill in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillMatch {
    pub skill: SkillId,
    /// Byte range in the text that was searched.
    pub start: usize,
    pub end: usize,
    /// The words as the text wrote them (`k8s` for Kubernetes), lowercased.
    pub matched_as: String,
}

/// The dictionary's text (`data/skills.txt`, about 26 KB): what native builds
/// parse on first use and what the server hands to the browser, which loads
/// it apart from its first-load Wasm (see [`install_dictionary`]).
///
/// Naming the constant in code that runs puts the text in the binary; a
/// build without the `embedded-dictionary` feature only reads
/// [`DICTIONARY_HASH`], which the compiler computes, so the text stays out.
pub const DICTIONARY_SOURCE: &str = include_str!("../data/skills.txt");

/// 64-bit FNV-1a of [`DICTIONARY_SOURCE`], computed at compile time: the
/// version in the dictionary's URL, so a browser caches each version forever
/// and never pairs an engine with another build's dictionary.
/// (FNV-1a: Fowler, Noll and Vo, <http://www.isthe.com/chongo/tech/comp/fnv/>.)
pub const DICTIONARY_HASH: u64 = fnv1a(DICTIONARY_SOURCE.as_bytes());

const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}

/// The file name the dictionary is served under, `skills.<16 hex digits>.txt`
/// ([`DICTIONARY_HASH`]), the same in the server and the page that fetches it.
pub fn dictionary_file_name() -> String {
    format!("skills.{DICTIONARY_HASH:016x}.txt")
}

static DICT: OnceLock<Dictionary> = OnceLock::new();

/// The dictionary in use. With the `embedded-dictionary` feature (the
/// default) it is parsed from [`DICTIONARY_SOURCE`] on first use.
///
/// # Panics
/// Without that feature (the browser build), when [`install_dictionary`] has
/// not succeeded yet: callers wait for [`dictionary_is_installed`].
pub fn dictionary() -> &'static Dictionary {
    #[cfg(feature = "embedded-dictionary")]
    {
        DICT.get_or_init(|| Dictionary::parse(DICTIONARY_SOURCE).expect("data/skills.txt is valid"))
    }
    #[cfg(not(feature = "embedded-dictionary"))]
    {
        DICT.get()
            .expect("the skill dictionary is installed before scoring (install_dictionary)")
    }
}

/// Parses and installs a dictionary text (the `skills.txt` format) fetched
/// at run time, for builds that leave the text out of the binary. The first
/// installed (or embedded) dictionary stays; later calls only check `source`.
///
/// # Errors
/// The text does not parse (the message names the line), or it is not the
/// dictionary this engine was built with (its [`DICTIONARY_HASH`] differs:
/// a stale cache or a proxy that rewrote it).
pub fn install_dictionary(source: &str) -> Result<(), String> {
    if fnv1a(source.as_bytes()) != DICTIONARY_HASH {
        return Err("the dictionary is not the one this engine was built with".into());
    }
    if DICT.get().is_none() {
        let parsed = Dictionary::parse(source)?;
        let _ = DICT.set(parsed);
    }
    Ok(())
}

/// Whether scoring can run now: always with the embedded dictionary,
/// otherwise once [`install_dictionary`] has succeeded.
pub fn dictionary_is_installed() -> bool {
    cfg!(feature = "embedded-dictionary") || DICT.get().is_some()
}

impl Dictionary {
    /// Parses the `skills.txt` format; errors name the line.
    pub fn parse(source: &str) -> Result<Self, String> {
        let mut kind = None;
        let mut skills = Vec::new();
        let mut by_first_token: FxHashMap<String, Vec<Pattern>> = FxHashMap::default();
        let mut spelled = Vec::new();
        for (n, raw) in source.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line {
                "[hard]" => {
                    kind = Some(SkillKind::Hard);
                    continue;
                }
                "[soft]" => {
                    kind = Some(SkillKind::Soft);
                    continue;
                }
                _ => {}
            }
            let kind =
                kind.ok_or_else(|| format!("line {}: skill before [hard] or [soft]", n + 1))?;
            let id = SkillId::try_from(skills.len()).map_err(|_| "too many skills".to_string())?;
            let mut names = line.split('|').map(str::trim);
            let canonical = names.next().unwrap_or_default();
            let display = canonical.trim_start_matches('~').to_string();
            if display.is_empty() {
                return Err(format!("line {}: empty skill name", n + 1));
            }
            for name in std::iter::once(canonical).chain(names) {
                let (exact, written) = match name.strip_prefix('~') {
                    Some(w) => (Some(w.to_string()), w),
                    None => (None, name),
                };
                let tokens: Vec<String> = tokenize(written)
                    .iter()
                    .map(|t| stem(&t.text).into_owned())
                    .collect();
                let Some(first) = tokens.first().cloned() else {
                    return Err(format!("line {}: alias {name:?} has no word", n + 1));
                };
                if let Some(other) = by_first_token
                    .get(&first)
                    .and_then(|ps| ps.iter().find(|p| p.tokens == tokens && p.skill != id))
                {
                    return Err(format!(
                        "line {}: {name:?} is already a name of skill {}",
                        n + 1,
                        skills
                            .get(usize::from(other.skill))
                            .map_or("?", |s: &Skill| s.name.as_str())
                    ));
                }
                if tokens.len() >= 2 {
                    let initials: String = tokens.iter().filter_map(|t| t.chars().next()).collect();
                    spelled.push((initials, tokens.clone(), id));
                }
                by_first_token.entry(first).or_default().push(Pattern {
                    tokens,
                    exact,
                    skill: id,
                });
            }
            skills.push(Skill {
                name: display,
                kind,
            });
        }
        // Longest patterns first, so "machine learning engineer" prefers the
        // two-word skill over any one-word one starting the same way.
        for patterns in by_first_token.values_mut() {
            patterns.sort_by_key(|p| std::cmp::Reverse(p.tokens.len()));
        }
        Ok(Self {
            skills,
            by_first_token,
            spelled,
        })
    }

    pub fn len(&self) -> usize {
        self.skills.len()
    }

    pub fn is_empty(&self) -> bool {
        self.skills.is_empty()
    }

    pub fn skill(&self, id: SkillId) -> &Skill {
        &self.skills[usize::from(id)]
    }

    /// The id of the skill with this canonical name, if any.
    pub fn find(&self, name: &str) -> Option<SkillId> {
        self.skills
            .iter()
            .position(|s| s.name.eq_ignore_ascii_case(name))
            .and_then(|i| SkillId::try_from(i).ok())
    }

    pub fn count(&self, kind: SkillKind) -> usize {
        self.skills.iter().filter(|s| s.kind == kind).count()
    }

    /// Every skill occurrence in `text`, left to right, longest match first and
    /// without overlaps.
    pub fn find_in(&self, text: &str) -> Vec<SkillMatch> {
        let tokens = tokenize(text);
        let stems: Vec<Cow<str>> = tokens.iter().map(|t| stem(&t.text)).collect();
        self.find_in_tokens(text, &tokens, &stems)
    }

    /// [`Self::find_in`] over tokens (and their stems) the caller already has.
    pub fn find_in_tokens(
        &self,
        text: &str,
        tokens: &[Token],
        stems: &[Cow<str>],
    ) -> Vec<SkillMatch> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match self.match_at(text, tokens, stems, i) {
                Some((pattern, len)) => {
                    let last = &tokens[i + len - 1];
                    found.push(SkillMatch {
                        skill: pattern.skill,
                        start: tokens[i].start,
                        end: last.end,
                        matched_as: tokens[i..i + len]
                            .iter()
                            .map(|t| t.text.as_ref())
                            .collect::<Vec<_>>()
                            .join(" "),
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
        found
    }

    fn match_at<'a>(
        &'a self,
        text: &str,
        tokens: &[Token],
        stems: &[Cow<str>],
        i: usize,
    ) -> Option<(&'a Pattern, usize)> {
        let candidates = self.by_first_token.get(stems.get(i)?.as_ref())?;
        candidates.iter().find_map(|p| {
            let len = p.tokens.len();
            let window = tokens.get(i..i + len)?;
            let window_stems = stems.get(i..i + len)?;
            if window_stems.iter().zip(&p.tokens).any(|(t, w)| t != w) {
                return None;
            }
            if let Some(exact) = &p.exact {
                let written = &text[window[0].start..window[len - 1].end];
                if written != exact || !reads_as_a_name(text, tokens, i, i + len) {
                    return None;
                }
            }
            if len == 1 {
                let written = &text[window[0].start..window[0].end];
                if is_capital_acronym(written)
                    && !self.acronym_in_context(text, tokens, i, Some(p.skill), &[])
                {
                    return None;
                }
                if VERB_NAMES.contains(&window[0].text.as_ref()) && reads_as_a_verb(text, tokens, i)
                {
                    return None;
                }
            }
            Some((p, len))
        })
    }
}

/// Whether a written token is an acronym in capitals ("PT", "CNA", "ASL").
pub(crate) fn is_capital_acronym(written: &str) -> bool {
    let core = written.strip_suffix('s').unwrap_or(written);
    (2..=5).contains(&core.len())
        && core
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && core.bytes().filter(u8::is_ascii_uppercase).count() >= 2
}

/// Words after an acronym that make it part of another term: "AP style", "AP
/// Calculus", "AP Scholar", "ER diagrams", "CNA domain", "C-suite".
const OTHER_TERM_HEADS: Words = Words::new(concat!(
    "style|",
    "stylebook|",
    "calculus|",
    "scholar|",
    "scholars|",
    "exam|",
    "exams|",
    "biology|",
    "chemistry|",
    "physics|",
    "statistics|",
    "literature|",
    "psychology|",
    "macroeconomics|",
    "microeconomics|",
    "diagram|",
    "diagrams|",
    "diagramming|",
    "domain|",
    "domains|",
    "suite",
));

/// Tool names that are also verbs ("react quickly", "spark interest").
const VERB_NAMES: Words = Words::new("react|spark");

/// Words that make a tool name before them the verb: an object or a
/// preposition a verb takes ("spark interest", "react to", "react with").
const VERB_OBJECTS: Words = Words::new(concat!(
    "to|",
    "with|",
    "interest|",
    "interests|",
    "curiosity|",
    "conversation|",
    "conversations|",
    "discussion|",
    "discussions|",
    "debate|",
    "joy|",
    "change|",
    "ideas|",
    "idea|",
    "innovation|",
    "growth|",
    "engagement|",
    "enthusiasm|",
    "creativity|",
    "excitement|",
    "passion|",
    "new|",
    "the|",
    "a|",
    "an|",
    "their|",
    "our|",
    "in",
));

/// Whether a tool name that is also a verb ("react", "spark") is used as the
/// verb here: followed by an adverb in `-ly` ("react quickly") or by an object
/// or preposition ("spark interest", "react to feedback"), or written in
/// lowercase after "to"/"can"/"will" ("able to react"). "React, Redux",
/// "Apache Spark", "Spark SQL" and "React Native" stay the tools.
fn reads_as_a_verb(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    let lowercase = text[t.start..t.end]
        .chars()
        .next()
        .is_some_and(char::is_lowercase);
    if let Some(n) = tokens.get(i + 1)
        && text[t.end..n.start] == *" "
        && (n.text.ends_with("ly") && n.text.len() > 4 || VERB_OBJECTS.contains(&n.text.as_ref()))
    {
        return true;
    }
    lowercase
        && i > 0
        && matches!(
            tokens[i - 1].text.as_ref(),
            "to" | "can" | "will" | "would" | "could" | "must" | "should" | "quickly"
        )
}

impl Dictionary {
    /// Whether an acronym at token `i` ("PT", "AP", "PR") stands for the skill
    /// here. Not when a parenthesised expansion right after it names something
    /// else ("PT (part-time)", "PR (pull requests)", "ASL (Apache Software
    /// License)") — the skill's own names (`skill`) and every dictionary name
    /// with the same initials are what it may stand for — nor when the next
    /// word makes it part of another term ("AP style", "ER diagrams", "CNA
    /// domain"). "PT license", "CNA certified" and "ER nurse" stay matches.
    /// `meaning` is an expansion the job gave (stems), if any: then it is the
    /// only meaning ("PT (penetration testing)" is not a physical therapist's).
    pub(crate) fn acronym_in_context(
        &self,
        text: &str,
        tokens: &[Token],
        i: usize,
        skill: Option<SkillId>,
        meaning: &[String],
    ) -> bool {
        let t = &tokens[i];
        let Some(n) = tokens.get(i + 1) else {
            return true;
        };
        let gap = &text[t.end..n.start];
        if gap == " " && OTHER_TERM_HEADS.contains(&n.text.as_ref()) {
            return false;
        }
        if gap.trim() != "(" {
            return true;
        }
        // The words inside the parentheses (up to six).
        let close = text[n.start..].find(')').map(|c| n.start + c);
        let Some(close) = close.filter(|&c| c - n.start <= 60) else {
            return true;
        };
        let inner: Vec<&Token> = tokens[i + 1..]
            .iter()
            .take_while(|w| w.end <= close)
            .collect();
        let acronym = t.text.strip_suffix('s').unwrap_or(&t.text);
        if !spells(acronym, &inner) {
            // "PT (3 years)": not an expansion.
            return true;
        }
        let written: Vec<String> = inner.iter().map(|w| stem(&w.text).into_owned()).collect();
        // The job's own expansion, when it gave one, is the only meaning.
        if !meaning.is_empty() {
            return same_words(meaning, &written);
        }
        let mut known = false;
        for (initials, name, id) in &self.spelled {
            if initials == acronym || Some(*id) == skill {
                known = true;
                if same_words(name, &written) {
                    return true;
                }
            }
        }
        // An expansion no known meaning of the acronym has: another thing.
        !known
            && !EVERYDAY_EXPANSIONS.iter().any(|e| {
                tokenize(e)
                    .iter()
                    .map(|w| stem(&w.text))
                    .eq(written.iter().map(|w| Cow::Borrowed(w.as_str())))
            })
    }
}

/// Whether two stemmed phrases are the same words, allowing another ending
/// ("physical therapist" ~ "physical therapy"): each pair shares its first
/// five letters, or is equal.
fn same_words(a: &[String], b: &[String]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x == y || (x.len() >= 5 && y.len() >= 5 && x.as_bytes()[..5] == y.as_bytes()[..5])
        })
}

/// Expansions that are never a skill: "PT (part-time)", "OT (overtime)".
const EVERYDAY_EXPANSIONS: Words = Words::new(concat!(
    "part time|",
    "full time|",
    "overtime|",
    "over time|",
    "pull request|",
    "merge request|",
    "paid time off|",
    "personal time",
));

/// Whether the words spell the acronym: its letters in order, the first
/// starting the first word ("part-time" → PT, "overtime" → OT).
fn spells(acronym: &str, words: &[&Token]) -> bool {
    let letters: String = words
        .iter()
        .flat_map(|w| w.text.chars())
        .filter(char::is_ascii_alphabetic)
        .collect();
    let mut want = acronym.chars().peekable();
    if letters.chars().next() != want.peek().copied() {
        return false;
    }
    for c in letters.chars() {
        if want.peek() == Some(&c) {
            want.next();
        }
    }
    want.peek().is_none() && !words.is_empty()
}

/// Words after a letter that make it part of another term ("C suite", "C
/// average", "B grade").
const LETTER_HEADS: Words = Words::new(concat!(
    "suite|",
    "average|",
    "grade|",
    "grades|",
    "rating|",
    "corp|",
    "corporation|",
    "student|",
    "level|",
    "list|",
    "team|",
    "shift",
));

/// Words after which a capital letter is a label, not a language: "Series
/// C", "Building C", "Vitamin C", "Plan B", "Grade R".
const LABELS: Words = Words::new(concat!(
    "series|",
    "building|",
    "vitamin|",
    "plan|",
    "class|",
    "grade|",
    "section|",
    "block|",
    "wing|",
    "level|",
    "type|",
    "hepatitis|",
    "hep|",
    "part|",
    "phase|",
    "tower|",
    "gate|",
    "unit|",
    "floor|",
    "form|",
    "schedule|",
    "exhibit|",
    "appendix|",
    "category|",
    "round|",
    "option|",
    "group|",
    "model|",
    "size|",
    "note|",
    "room|",
    "suite|",
    "hall|",
    "lot|",
    "row|",
    "zone|",
    "tier|",
    "division|",
    "pod|",
    "ward|",
    "bay|",
    "track|",
    "route|",
    "line|",
    "shift|",
    "rated|",
    "team|",
    "sub|",
    "step|",
    "area|",
    "channel|",
    "lane|",
    "dock|",
    "door|",
    "aisle|",
    "terminal|",
    "platform|",
    "vol|",
    "volume",
));

/// Words after which an everyday word read as a skill is the everyday word:
/// "Excel at", "Go above and beyond", "Go to market".
const EVERYDAY_FOLLOWERS: Words = Words::new(concat!(
    "at|in|to|above|beyond|the|a|an|your|our|live|getter|",
    "getters|back|ahead|through|under|over",
));

/// Whether an everyday word or a bare letter written as a skill's name
/// (tokens `from..to`) is the skill in this place. One letter inside an
/// abbreviation ("R&D", "P&L", "C-level", "C-suite"), after a label
/// ("Series C", "Building C"), or as a middle initial ("John R. Smith") is not
/// a language; "Go-live", "go-getter", "Excel at", "Go above and beyond" and a
/// season before a year ("Spring 2019") are the everyday words.
fn reads_as_a_name(text: &str, tokens: &[Token], from: usize, to: usize) -> bool {
    let start = tokens[from].start;
    let end = tokens[to - 1].end;
    let before = text[..start].chars().next_back();
    let mut after_chars = text[end..].chars();
    let after = after_chars.next();
    let after2 = after_chars.next();
    let before2 = text[..start].chars().rev().nth(1);
    // "R&D", "AT&T", "P&L", "Q&A".
    if before == Some('&') || after == Some('&') {
        return false;
    }
    // "C-level", "Go-live", "go-getter", "Series-C", "T-SQL".
    if (after == Some('-') && after2.is_some_and(char::is_alphanumeric))
        || (before == Some('-') && before2.is_some_and(char::is_alphanumeric))
    {
        return false;
    }
    let single_letter = to - from == 1 && tokens[from].text.chars().count() == 1;
    let prev = from.checked_sub(1).map(|p| &tokens[p]);
    let next = tokens.get(to);
    let prev_gap = prev.map_or("", |p| &text[p.end..start]);
    let next_gap = next.map_or("", |n| &text[end..n.start]);
    if single_letter {
        // "C suite", "C average", "C grade": the letter before another term.
        if next.is_some_and(|n| LETTER_HEADS.contains(&n.text.as_ref()) && next_gap == " ") {
            return false;
        }
        // "graded C", "grades C".
        if prev.is_some_and(|p| matches!(p.text.as_ref(), "graded" | "grades" | "scored")) {
            return false;
        }
        // "Series C", "Building C", "Vitamin C".
        if prev.is_some_and(|p| LABELS.contains(&p.text.as_ref()) && prev_gap.trim().is_empty()) {
            return false;
        }
        // "John R. Smith": a capitalised name, the letter, a dot, a name.
        let name_before = prev.is_some_and(|p| {
            text[p.start..p.end]
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
                && prev_gap == " "
        });
        let name_after = next_gap == ". "
            && next.is_some_and(|n| {
                text[n.start..n.end]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
            });
        if name_before && name_after {
            return false;
        }
    } else {
        // "Spring 2019", "Summer 2020".
        if next.is_some_and(|n| n.text.len() == 4 && n.text.bytes().all(|b| b.is_ascii_digit()))
            && next_gap.trim().is_empty()
            && matches!(tokens[from].text.as_ref(), "spring")
        {
            return false;
        }
        // "Excel at", "Go above and beyond" — at the start of a clause.
        let clause_start = prev.is_none() || prev_gap.contains(['\n', '.', '•', ';', ':']);
        if next_gap.trim().is_empty()
            && next.is_some_and(|n| {
                // "Go above and beyond" anywhere; "Excel at" opening a clause.
                matches!(n.text.as_ref(), "above" | "beyond" | "ahead")
                    || (clause_start && EVERYDAY_FOLLOWERS.contains(&n.text.as_ref()))
            })
        {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installs_the_dictionary_it_was_built_with_and_refuses_any_other() {
        assert!(install_dictionary(DICTIONARY_SOURCE).is_ok());
        assert!(dictionary_is_installed());
        let edited = DICTIONARY_SOURCE.replacen("[hard]", "[hard]\nCobol 2", 1);
        assert!(install_dictionary(&edited).is_err());
        assert!(install_dictionary("").is_err());
        let name = dictionary_file_name();
        assert!(
            name.starts_with("skills.") && name.ends_with(".txt"),
            "{name}"
        );
        assert_eq!(name.len(), "skills.".len() + 16 + ".txt".len());
    }

    fn names(text: &str) -> Vec<String> {
        let d = dictionary();
        d.find_in(text)
            .iter()
            .map(|m| d.skill(m.skill).name.clone())
            .collect()
    }

    #[test]
    fn the_compiled_dictionary_parses_and_keeps_hard_and_soft_apart() {
        let d = dictionary();
        assert!(
            d.count(SkillKind::Hard) >= 450,
            "{}",
            d.count(SkillKind::Hard)
        );
        assert!(d.count(SkillKind::Soft) >= 40);
        assert!(d.len() >= 500, "{}", d.len());
        assert_eq!(d.skill(d.find("Teamwork").unwrap()).kind, SkillKind::Soft);
        assert_eq!(d.skill(d.find("Kubernetes").unwrap()).kind, SkillKind::Hard);
    }

    #[test]
    fn aliases_match_their_canonical_skill() {
        assert_eq!(names("JS and ECMAScript"), ["JavaScript", "JavaScript"]);
        assert_eq!(
            names("k8s clusters on Postgres"),
            ["Kubernetes", "PostgreSQL"]
        );
        assert_eq!(names("applied ML daily"), ["Machine Learning"]);
        assert_eq!(names("machine learning"), ["Machine Learning"]);
    }

    #[test]
    fn symbol_and_dotted_names_match() {
        assert_eq!(names("C++, C# and Node.js"), ["C++", "C#", "Node.js"]);
        assert_eq!(names("built CI/CD pipelines"), ["CI/CD"]);
    }

    #[test]
    fn everyday_words_match_only_as_written() {
        assert_eq!(names("we go to the office"), Vec::<String>::new());
        assert_eq!(names("services in Go"), ["Go"]);
        assert_eq!(names("a swift response"), Vec::<String>::new());
        assert_eq!(names("iOS apps in Swift"), ["iOS", "Swift"]);
    }

    #[test]
    fn plural_and_verb_forms_match_by_stem() {
        assert_eq!(names("data pipeline"), ["Data Pipelines"]);
        assert_eq!(names("wrote unit tests"), ["Unit Testing"]);
        assert_eq!(names("a microservice"), ["Microservices"]);
    }

    #[test]
    fn a_name_given_to_two_skills_is_rejected() {
        let err = Dictionary::parse("[hard]\nGo | golang\nGolang").unwrap_err();
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn the_longest_name_wins() {
        assert_eq!(names("Spring Boot services"), ["Spring Boot"]);
        assert_eq!(names("React Native app"), ["React Native"]);
    }

    #[test]
    fn reports_where_and_how_the_skill_was_written() {
        let text = "Ops: k8s.";
        let m = &dictionary().find_in(text)[0];
        assert_eq!(&text[m.start..m.end], "k8s");
        assert_eq!(m.matched_as, "k8s");
    }

    #[test]
    fn a_skill_before_a_section_marker_is_rejected_with_its_line() {
        assert_eq!(
            Dictionary::parse("Rust").unwrap_err(),
            "line 1: skill before [hard] or [soft]"
        );
    }
}
