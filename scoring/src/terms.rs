//! The job's own key terms that no dictionary lists (algorithm v3 only):
//! acronyms it asks for ("RDH license", "RFIs", "CSAT"), tool names offered
//! beside known skills or after a cue ("experience with Dentrix or
//! Eaglesoft"), and the noun phrase after a cue ("knowledge of periodontal
//! charting").
//!
//! Conservative by design — a false keyword costs more trust than a missed
//! one: terms come only from list items and from clauses after a heading
//! (never the title line or the intro paragraph, where company and place
//! names live), never overlap a dictionary match, and skip the acronyms and
//! words every job ad uses (states, benefits, degrees, "EEO", "PTO").

use crate::words::Words;
use crate::{
    skills::{SkillId, SkillMatch},
    stem::stem,
    tokenize::{Token, tokenize},
};

/// Extracted terms get skill ids from here up (the dictionary has < 60,000).
pub const EXTRACTED_BASE: SkillId = 60_000;

/// A term found in the job text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Term {
    /// As the job first wrote it ("RDH", "Eaglesoft", "periodontal charting").
    pub name: String,
    /// An acronym matches its letters, singular or plural, in any case.
    pub acronym: bool,
    /// The stemmed tokens a resume must contain in sequence.
    pub stems: Vec<String>,
    /// For an acronym the job spells out ("Medication Therapy Management
    /// (MTM)"), the expansion's stems: the resume may write either.
    #[serde(default)]
    pub expansion: Vec<String>,
}

/// Acronyms and capitalised words every job ad uses that are not skills.
const STOP_ACRONYMS: Words = Words::new(concat!(
    "US|USA|UK|EU|OK|CEO|CFO|COO|CTO|CIO|VP|SVP|EVP|PTO|",
    "FAQ|LLC|INC|LTD|NA|AM|PM|ASAP|TBD|EOE|ID|IT|HQ|EST|",
    "PST|CST|MST|UTC|WPM|MB|GB|KB|TB|SQ|FT|LBS|LB|KG|",
    "HSA|FSA|ESPP|RSU|RSUS|BS|MS|BA|MA|MBA|PHD|MSN|GED|HS|",
    "II|III|IV|VI|ADA|DOE|EEO|AA|AS|AND|OR|THE|FOR|WITH|",
    "YOU|OUR|WE|TO|OF|IN|ON|AT|BY|AN|A|I|DO|ALL|NEW|",
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|IA|IL|KS|KY|LA|",
    "ME|MD|MI|MN|MO|MT|NC|ND|NE|NH|NJ|NM|NV|NY|OH|OK|",
    "OR|PA|RI|SC|SD|TN|TX|UT|VA|VT|WA|WI|WV|WY|DC|",
    "NYC|SF|LA|K12|W2|USD|EUR|GBP|FTE|YOE|JD",
));

/// Place names a job ad gives for where the work is, never a skill: the
/// U.S. states (one word of each) and countries a job ad names most.
const PLACES: Words = Words::new(concat!(
    "Alabama|",
    "Alaska|",
    "Arizona|",
    "Arkansas|",
    "California|",
    "Colorado|",
    "Connecticut|",
    "Delaware|",
    "Florida|",
    "Georgia|",
    "Hawaii|",
    "Idaho|",
    "Illinois|",
    "Indiana|",
    "Iowa|",
    "Kansas|",
    "Kentucky|",
    "Louisiana|",
    "Maine|",
    "Maryland|",
    "Massachusetts|",
    "Michigan|",
    "Minnesota|",
    "Mississippi|",
    "Missouri|",
    "Montana|",
    "Nebraska|",
    "Nevada|",
    "Hampshire|",
    "Jersey|",
    "Mexico|",
    "York|",
    "Carolina|",
    "Dakota|",
    "Ohio|",
    "Oklahoma|",
    "Oregon|",
    "Pennsylvania|",
    "Rhode|",
    "Island|",
    "Tennessee|",
    "Texas|",
    "Utah|",
    "Vermont|",
    "Virginia|",
    "Washington|",
    "Wisconsin|",
    "Wyoming|",
    "Canada|",
    "America|",
    "Europe|",
    "Germany|",
    "Ireland|",
    "England|",
    "London|",
    "Chicago",
));

/// Cues whose object is a skill ("experience with …", "knowledge of …"), as
/// the tokens they are made of.
const CUES: &[&[&str]] = &[
    &["experience", "with"],
    &["experience", "in"],
    &["experience", "using"],
    &["knowledge", "of"],
    &["proficiency", "in"],
    &["proficiency", "with"],
    &["proficient", "in"],
    &["proficient", "with"],
    &["familiarity", "with"],
    &["familiar", "with"],
    &["skilled", "in"],
    &["expertise", "in"],
    &["trained", "in"],
    &["training", "in"],
    &["certified", "in"],
    &["certification", "in"],
    &["understanding", "of"],
];

/// Words that make a cue's object generic rather than a skill.
const GENERIC: Words = Words::new(concat!(
    "experience|",
    "information|",
    "confidential|",
    "building|",
    "buildings|",
    "transportation|",
    "reliable|",
    "mentorship|",
    "related|",
    "field|",
    "similar|",
    "environment|",
    "role|",
    "roles|",
    "year|",
    "years|",
    "work|",
    "skill|",
    "skills|",
    "ability|",
    "abilities|",
    "team|",
    "teams|",
    "strong|",
    "excellent|",
    "good|",
    "working|",
    "knowledge|",
    "understanding|",
    "other|",
    "various|",
    "new|",
    "all|",
    "our|",
    "your|",
    "this|",
    "that|",
    "these|",
    "those|",
    "industry|",
    "best|",
    "tool|",
    "tools|",
    "system|",
    "systems|",
    "software|",
    "setting|",
    "settings|",
    "fast|",
    "paced|",
    "high|",
    "volume|",
    "large|",
    "small|",
    "complex|",
    "basic|",
    "advanced|",
    "general|",
    "common|",
    "modern|",
    "relevant|",
    "equivalent|",
    "people|",
    "customers|",
    "clients|",
    "products|",
    "product|",
    "company|",
    "business|",
    "day|",
    "daily|",
    "practice|",
    "practices|",
    "standard|",
    "standards|",
    "procedures|",
    "process|",
    "processes|",
    "requirements|",
    "duties|",
    "tasks|",
    "etc|",
    "including|",
    "such|",
    "like|",
    "both|",
    "least|",
    "plus|",
    "preferred|",
    "required|",
    "must|",
    "area|",
    "areas|",
    "level|",
    "levels|",
    "way|",
    "ways|",
    "multiple|",
    "different|",
    "one|",
    "two|",
    "three|",
    "some|",
    "any|",
    "each|",
    "full|",
    "part|",
    "safely|",
    "daily|",
    "weekly|",
    "monthly|",
    "quickly|",
    "accurately|",
    "new|",
    "existing|",
    "current|",
    "active|",
    "clean|",
    "record|",
    "records|",
    "hire|",
    "within|",
    "state|",
    "local|",
    "every|",
    "many|",
    "most|",
    "several|",
    "job|",
    "jobs|",
    "program|",
    "programs|",
    "send|",
    "federal|",
    "learner|",
    "learners|",
    "questions|",
    "question",
));

/// Head nouns that name people, not skills ("case managers", "nursing students").
const PEOPLE: Words = Words::new(concat!(
    "nurse|",
    "student|",
    "manager|",
    "physician|",
    "patient|",
    "customer|",
    "client|",
    "staff|",
    "member|",
    "associate|",
    "employee|",
    "partner|",
    "family|",
    "families|",
    "child|",
    "children|",
    "vendor|",
    "supplier|",
    "guest|",
    "user|",
    "stakeholder|",
    "colleague|",
    "peer|",
    "leader|",
    "executive|",
    "officer|",
    "director|",
    "engineer|",
    "developer|",
    "analyst|",
    "specialist|",
    "representative|",
    "agent|",
    "attorney|",
    "lawyer|",
    "teacher|",
    "parent|",
    "resident|",
    "worker|",
    "driver|",
    "cook|",
    "chef|",
    "doctor|",
    "provider|",
    "therapist|",
    "technician|",
    "assistant|",
    "coordinator|",
    "contractor|",
    "subcontractor|",
    "person|",
    "people|",
    "individual|",
    "candidate|",
    "hire|",
    "graduate|",
    "intern|",
    "volunteer|",
    "owner|",
    "buyer|",
    "seller|",
    "account|",
    "audience",
));

/// Words that open or join a segment but are not part of a term.
const PREPOSITIONS: Words = Words::new(concat!(
    "for|",
    "of|",
    "on|",
    "in|",
    "with|",
    "to|",
    "at|",
    "from|",
    "by|",
    "as|",
    "into|",
    "across|",
    "per|",
    "including|",
    "like|",
    "such|",
    "via|",
    "through|",
    "within|",
    "under|",
    "over|",
    "about",
));

/// Degree words, capitalised in job ads but not tools.
const DEGREE_WORDS: Words = Words::new(concat!(
    "Associate|",
    "Associates|",
    "Bachelor|",
    "Bachelors|",
    "Master|",
    "Masters|",
    "Doctorate|",
    "Degree|",
    "Diploma|",
    "Certificate|",
    "License|",
    "Licence",
));

const DETERMINERS: Words = Words::new("a|an|the|our|your|their|its|some|any");

fn is_acronym(written: &str) -> Option<String> {
    let core = written.strip_suffix('s').unwrap_or(written);
    let upper = core.chars().filter(char::is_ascii_uppercase).count();
    let ok = (2..=6).contains(&core.chars().count())
        && upper >= 2
        && core
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && core.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && !STOP_ACRONYMS.contains(&core);
    ok.then(|| core.to_string())
}

/// A capitalised or CamelCase name ("Eaglesoft", "PioneerRx"), not an acronym.
fn is_name(written: &str) -> bool {
    let mut chars = written.chars();
    !DEGREE_WORDS.contains(&written)
        && !PLACES.contains(&written)
        && chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && written.chars().count() >= 3
        && written.chars().all(|c| c.is_ascii_alphanumeric())
        && written.chars().skip(1).any(|c| c.is_ascii_lowercase())
}

/// The candidate terms of one clause: `(name, acronym)`, in order.
/// `matches` are the dictionary's matches in the clause (their tokens are
/// taken).
///
/// In a list item (`listed`), two more kinds: an item that is only names
/// joined by "and"/"or"/commas ("Procore and Bluebeam") gives each name, and
/// an item that lists noun phrases gives the two- and three-word ones
/// ("scaling and root planing, periodontal charting" → "root planing",
/// "periodontal charting"), leaving out an opening verb, what comes before
/// a preposition, people ("case managers") and generic words.
pub(crate) fn candidates(
    clause: &str,
    toks: &[Token],
    matches: &[SkillMatch],
    listed: bool,
) -> Vec<(String, bool)> {
    if toks.is_empty() {
        return Vec::new();
    }
    // A line in capitals is a heading, not a list of acronyms.
    let letters = clause.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = clause.chars().filter(|c| c.is_uppercase()).count();
    if capitals * 2 > letters {
        return Vec::new();
    }
    let written = |t: &Token| &clause[t.start..t.end];
    let covered: Vec<bool> = toks
        .iter()
        .map(|t| matches.iter().any(|m| m.start < t.end && t.start < m.end))
        .collect();
    let mut taken = covered.clone();
    let mut out: Vec<(String, bool)> = Vec::new();
    let push = |out: &mut Vec<(String, bool)>, name: String, acronym: bool| {
        if !out.iter().any(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            out.push((name, acronym));
        }
    };

    // Acronyms anywhere in the clause but its first word when that opens a
    // sentence in capitals for emphasis is still an acronym ("RDH license").
    for (i, t) in toks.iter().enumerate() {
        if covered[i] || taken[i] {
            continue;
        }
        // "PS&E", "A&P", "CM/ECF": capitals joined by "&", or by "/" where
        // a part is one or two letters, are one name (while "LVT/RVT/CVT"
        // are alternatives, each a term).
        let mut j = i;
        while j + 1 < toks.len() && !covered[j + 1] {
            let gap = &clause[toks[j].end..toks[j + 1].start];
            let caps = |w: &str| {
                w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            };
            let (a, b) = (written(&toks[j]), written(&toks[j + 1]));
            let short = a.len() <= 2 || b.len() <= 2;
            if caps(a) && caps(b) && (gap == "&" || (gap == "/" && short)) {
                j += 1;
            } else {
                break;
            }
        }
        if j > i {
            let name = &clause[t.start..toks[j].end];
            if name.chars().filter(char::is_ascii_uppercase).count() >= 2 {
                for k in taken.iter_mut().take(j + 1).skip(i) {
                    *k = true;
                }
                push(&mut out, name.to_string(), false);
            }
            continue;
        }
        if let Some(a) = is_acronym(written(t)) {
            taken[i] = true;
            push(&mut out, a, true);
        }
    }

    // The object of a cue: names in it, or a short lowercase noun phrase.
    let lower = clause.to_lowercase();
    for i in 0..toks.len() {
        for cue in CUES {
            let n = cue.len();
            let hit = toks
                .get(i..i + n)
                .is_some_and(|w| w.iter().zip(cue.iter()).all(|(t, c)| t.text == *c));
            if !hit {
                continue;
            }
            let start = toks[i + n - 1].end;
            let rest = &clause[start..];
            let end = rest
                .find([',', ';', '.', '(', ':', '!', '?'])
                .unwrap_or(rest.len());
            let mut span_end = start + end;
            for sep in [" and ", " or ", " to ", " for ", " in ", " with ", " as "] {
                if let Some(p) = lower[start..span_end].find(sep) {
                    span_end = start + p;
                }
            }
            let idx: Vec<usize> = (0..toks.len())
                .filter(|&i| toks[i].start >= start && toks[i].end <= span_end)
                .collect();
            let idx: Vec<usize> = idx
                .iter()
                .copied()
                .skip_while(|&i| DETERMINERS.contains(&toks[i].text.as_ref()))
                .collect();
            if idx.is_empty() || idx.iter().any(|&i| taken[i]) {
                continue;
            }
            let names: Vec<usize> = idx
                .iter()
                .copied()
                .filter(|&i| is_name(written(&toks[i])))
                .collect();
            if !names.is_empty() {
                if names.len() == idx.len() && idx.len() <= 3 {
                    for &i in &idx {
                        taken[i] = true;
                    }
                    let name = idx
                        .iter()
                        .map(|&i| written(&toks[i]))
                        .collect::<Vec<_>>()
                        .join(" ");
                    push(&mut out, name, false);
                }
                continue;
            }
            let plain = idx.iter().all(|&i| {
                let w = written(&toks[i]);
                w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                    && !GENERIC.contains(&toks[i].text.as_ref())
            });
            if plain && (2..=3).contains(&idx.len()) {
                for &i in &idx {
                    taken[i] = true;
                }
                let phrase = clause[toks[idx[0]].start..toks[*idx.last().unwrap_or(&idx[0])].end]
                    .to_string();
                push(&mut out, phrase, false);
            }
        }
    }

    // Names offered beside a skill or a term: "Dentrix or Eaglesoft",
    // "Procore and Salesforce", "Service Cloud, Zendesk".
    for _ in 0..2 {
        for i in 0..toks.len() {
            if taken[i] || !is_name(written(&toks[i])) {
                continue;
            }
            // A run of capitalised words is one name ("Service Cloud").
            let mut j = i;
            while j + 1 < toks.len()
                && !taken[j + 1]
                && is_name(written(&toks[j + 1]))
                && clause[toks[j].end..toks[j + 1].start] == *" "
            {
                j += 1;
            }
            let connector = |k: usize| matches!(toks[k].text.as_ref(), "and" | "or");
            let gap = |a: &Token, b: &Token| clause[a.end..b.start].trim().to_lowercase();
            let joined = |g: String| {
                matches!(
                    g.as_str(),
                    "and" | "or" | "," | "/" | ", and" | ", or" | "and/or" | "&"
                )
            };
            // The neighbour on each side, past an "and"/"or" between.
            let prev = i.checked_sub(1).and_then(|p| {
                if connector(p) {
                    p.checked_sub(1)
                } else {
                    Some(p)
                }
            });
            let next = Some(j + 1)
                .filter(|&n| n < toks.len())
                .map(|n| if connector(n) { n + 1 } else { n })
                .filter(|&n| n < toks.len());
            let left = prev.is_some_and(|p| taken[p] && joined(gap(&toks[p], &toks[i])));
            let right = next.is_some_and(|n| taken[n] && joined(gap(&toks[j], &toks[n])));
            // The first word of a clause is capitalised anyway: only as part
            // of a list with a known skill after it.
            if right || (left && i > 0) {
                for t in taken.iter_mut().take(j + 1).skip(i) {
                    *t = true;
                }
                let name = clause[toks[i].start..toks[j].end].to_string();
                push(&mut out, name, false);
            }
        }
    }
    if listed {
        list_item_terms(clause, toks, &mut taken, &mut out);
    }
    out
}

fn list_item_terms(
    clause: &str,
    toks: &[Token],
    taken: &mut [bool],
    out: &mut Vec<(String, bool)>,
) {
    let written = |t: &Token| &clause[t.start..t.end];
    let push = |out: &mut Vec<(String, bool)>, name: String| {
        if !out.iter().any(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            out.push((name, false));
        }
    };
    // Segments: runs of tokens between commas, semicolons, slashes, "and", "or".
    let mut segments: Vec<Vec<usize>> = vec![Vec::new()];
    for (i, t) in toks.iter().enumerate() {
        let gap = if i == 0 {
            ""
        } else {
            &clause[toks[i - 1].end..t.start]
        };
        if gap.contains([',', ';', '/', '(', ')', ':'])
            && segments.last().is_some_and(|s| !s.is_empty())
        {
            segments.push(Vec::new());
        }
        if matches!(t.text.as_ref(), "and" | "or") {
            segments.push(Vec::new());
            continue;
        }
        if let Some(s) = segments.last_mut() {
            s.push(i);
        }
    }
    segments.retain(|s| !s.is_empty());
    // Only names joined together: each is a term.
    let names_only = segments.len() >= 2
        && segments
            .iter()
            .all(|s| s.len() <= 2 && s.iter().all(|&i| taken[i] || is_name(written(&toks[i]))))
        && segments.iter().any(|s| s.iter().any(|&i| !taken[i]));
    if names_only {
        for s in &segments {
            if s.iter().all(|&i| !taken[i]) {
                for &i in s {
                    taken[i] = true;
                }
                push(
                    out,
                    clause[toks[s[0]].start..toks[s[s.len() - 1]].end].to_string(),
                );
            }
        }
        return;
    }
    if toks
        .iter()
        .any(|t| t.text.chars().any(|c| c.is_ascii_digit()))
    {
        return;
    }
    for (n, s) in segments.iter().enumerate() {
        let mut s: &[usize] = s;
        // An opening verb ("Own budgets", "Review submittals").
        if n == 0
            && s.first()
                .is_some_and(|&i| crate::profile::is_action_verb(&toks[i].text))
        {
            s = &s[1..];
        }
        // What follows the last preposition ("targets for first call resolution").
        if let Some(p) = s
            .iter()
            .rposition(|&i| PREPOSITIONS.contains(&toks[i].text.as_ref()))
        {
            s = &s[p + 1..];
        }
        while s
            .first()
            .is_some_and(|&i| DETERMINERS.contains(&toks[i].text.as_ref()))
        {
            s = &s[1..];
        }
        if !(2..=3).contains(&s.len()) {
            continue;
        }
        // Part of a hyphenated compound ("drop-and-hook deliveries" is not
        // "hook deliveries").
        let hyphen_before = s[0] > 0 && clause[toks[s[0] - 1].end..toks[s[0]].start] == *"-";
        let last = s[s.len() - 1];
        let hyphen_after = toks
            .get(last + 1)
            .is_some_and(|n| clause[toks[last].end..n.start] == *"-");
        if hyphen_before || hyphen_after {
            continue;
        }
        let plain = s.iter().all(|&i| {
            let w = written(&toks[i]);
            !taken[i]
                && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                && !GENERIC.contains(&toks[i].text.as_ref())
                && !PREPOSITIONS.contains(&toks[i].text.as_ref())
        });
        let head = stem(&toks[s[s.len() - 1]].text).into_owned();
        let people = PEOPLE.iter().any(|p| stem(p) == head);
        let verb_first = crate::profile::is_action_verb(&toks[s[0]].text);
        if plain && !people && !verb_first {
            for &i in s {
                taken[i] = true;
            }
            push(
                out,
                clause[toks[s[0]].start..toks[s[s.len() - 1]].end].to_string(),
            );
        }
    }
}

/// The stems a term is matched by.
pub(crate) fn stems_of(name: &str) -> Vec<String> {
    tokenize(name)
        .iter()
        .map(|t| stem(&t.text).into_owned())
        .collect()
}

/// Where the terms occur in a text (its tokens and stems), as matches with
/// skill ids `EXTRACTED_BASE + index`.
pub fn find_terms(
    terms: &[Term],
    tokens: &[Token],
    stems: &[std::borrow::Cow<str>],
) -> Vec<SkillMatch> {
    let mut out = Vec::new();
    for (k, term) in terms.iter().enumerate() {
        let id = EXTRACTED_BASE.saturating_add(k as SkillId);
        let n = term.stems.len();
        if n == 0 {
            continue;
        }
        let acronym = term.acronym.then(|| term.name.to_lowercase());
        for i in 0..tokens.len() {
            let spelled = !term.expansion.is_empty()
                && stems
                    .get(i..i + term.expansion.len())
                    .is_some_and(|w| w == term.expansion.as_slice());
            let hit = match &acronym {
                Some(a) => {
                    let t = &tokens[i].text;
                    t == a || t.strip_suffix('s') == Some(a.as_str()) || spelled
                }
                None => stems
                    .get(i..i + n)
                    .is_some_and(|w| w == term.stems.as_slice()),
            };
            if hit {
                let last = if spelled {
                    i + term.expansion.len() - 1
                } else if acronym.is_some() {
                    i
                } else {
                    i + n - 1
                };
                out.push(SkillMatch {
                    skill: id,
                    start: tokens[i].start,
                    end: tokens[last].end,
                    matched_as: tokens[i..=last]
                        .iter()
                        .map(|t| t.text.as_ref())
                        .collect::<Vec<_>>()
                        .join(" "),
                });
            }
        }
    }
    out.sort_by_key(|m| m.start);
    out
}

/// Words an acronym's expansion may hold that give it no letter.
const EXPANSION_FILLERS: Words = Words::new("of|and|the|for|in|&|to|on");

/// Sets the expansion of each acronym term the job spells out, either before
/// it ("Medication Therapy Management (MTM)") or after it ("MTM (Medication
/// Therapy Management)"): the words whose initials spell the acronym.
pub(crate) fn add_expansions(text: &str, terms: &mut [Term]) {
    if !terms.iter().any(|t| t.acronym) || !text.contains('(') {
        return;
    }
    let tokens = tokenize(text);
    for term in terms.iter_mut().filter(|t| t.acronym) {
        let acronym = term.name.to_lowercase();
        let n = acronym.len();
        for (i, t) in tokens.iter().enumerate() {
            if t.text != acronym {
                continue;
            }
            // "Words (MTM)": the words before the parenthesis.
            let before = text[..t.start].trim_end();
            let words: &[Token] = if before.ends_with('(') && text[t.end..].starts_with(')') {
                &tokens[i.saturating_sub(n + 2)..i]
            } else if text[t.end..].trim_start().starts_with('(') {
                let close = text[t.end..].find(')').map_or(t.end, |c| t.end + c);
                let to = tokens.partition_point(|w| w.start < close);
                &tokens[i + 1..to.max(i + 1)]
            } else {
                continue;
            };
            // The shortest run ending at the parenthesis (or starting after
            // it) whose initials, fillers aside, are the acronym.
            let spelled = |run: &[Token]| -> bool {
                let initials: String = run
                    .iter()
                    .filter(|w| !EXPANSION_FILLERS.contains(&w.text.as_ref()))
                    .filter_map(|w| w.text.chars().next())
                    .collect();
                initials == acronym
                    && run
                        .first()
                        .is_some_and(|w| !EXPANSION_FILLERS.contains(&w.text.as_ref()))
            };
            let run = if before.ends_with('(') {
                (0..words.len())
                    .rev()
                    .map(|k| &words[k..])
                    .find(|r| spelled(r))
            } else {
                Some(words).filter(|r| spelled(r))
            };
            if let Some(run) = run {
                term.expansion = run.iter().map(|w| stem(&w.text).into_owned()).collect();
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(clause: &str) -> Vec<String> {
        let d = crate::skills::dictionary();
        candidates(
            clause,
            &tokenize(clause),
            &d.find_in(clause),
            clause.starts_with('-'),
        )
        .into_iter()
        .map(|(n, _)| n)
        .collect()
    }

    #[test]
    fn finds_acronyms_names_beside_skills_and_cue_objects() {
        assert_eq!(names("- Active RDH license and BLS"), ["RDH"]);
        assert_eq!(names("- Change orders and RFIs"), ["RFI"]);
        assert_eq!(
            names("- Experience with Dentrix or Eaglesoft"),
            ["Dentrix", "Eaglesoft"]
        );
        assert_eq!(
            names("- Knowledge of periodontal charting"),
            ["periodontal charting"]
        );
        assert_eq!(
            names("- Scaling and root planing, periodontal charting and oral cancer screenings"),
            [
                "root planing",
                "periodontal charting",
                "oral cancer screenings"
            ]
        );
        assert_eq!(
            names("- Meet targets for first call resolution, average handle time and CSAT"),
            ["CSAT", "first call resolution", "average handle time"]
        );
        let tools = names("- Procore and Bluebeam");
        assert_eq!(tools, ["Procore", "Bluebeam"]);
        let tools = names("- Procore, Bluebeam and Excel");
        assert!(
            tools.contains(&"Procore".to_string()) && tools.contains(&"Bluebeam".to_string()),
            "{tools:?}"
        );
    }

    #[test]
    fn leaves_out_what_every_job_ad_says() {
        for clause in [
            "- 3+ years of experience in a related field",
            "- Based in Austin, TX; PTO and 401k",
            "WHAT YOU WILL DO",
            "- Experience with our customers",
            "- BS or MS in a related field",
            "- Work Monday to Friday in Denver or Boulder",
            "- Collaborate with physicians, case managers and the team",
            "- Precept new graduate nurses and nursing students",
            "- Associate or Bachelor of Science in Nursing (BSN preferred)",
        ] {
            assert!(names(clause).is_empty(), "{clause}: {:?}", names(clause));
        }
    }
}
