//! Job description analysis: which skills the job asks for, how often, and whether
//! each is required or preferred; the title; the degree and years asked.

use crate::words::Words;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::{
    normalize::normalize,
    skills::{SkillId, SkillKind, dictionary},
    tokenize::words,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Importance {
    /// Ordered so the more important sorts first.
    Required,
    Preferred,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DegreeLevel {
    Associate,
    Bachelor,
    Master,
    Doctorate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSkill {
    pub skill: SkillId,
    pub name: String,
    pub kind: SkillKind,
    pub importance: Importance,
    /// How many times the job mentions it (any alias).
    pub mentions: u32,
    /// Skills asked as alternatives ("Python or Go", "AWS, GCP or Azure")
    /// share a group number: one requirement, met by either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobAnalysis {
    pub title: Option<String>,
    /// Required first, then by mentions, then by name.
    pub skills: Vec<JobSkill>,
    /// The largest "N+ years" the job asks for, if any.
    pub years_required: Option<u32>,
    /// The lowest degree named as acceptable ("Bachelor's or Master's" → Bachelor).
    pub degree: Option<DegreeLevel>,
    /// The field of study asked with the degree ("Computer Science"), as written.
    pub degree_field: Option<String>,
    /// The job's own key terms that no dictionary lists (see `terms.rs`);
    /// in `skills` with ids from [`crate::terms::EXTRACTED_BASE`]. Scored by
    /// v3 only.
    #[serde(default)]
    pub terms: Vec<crate::terms::Term>,
    /// Whether the job is one where a GitHub or portfolio link shows the work
    /// (it names GitHub, a portfolio, code samples or open source, or its
    /// title is a developer's, engineer's, designer's or data scientist's).
    #[serde(default)]
    pub wants_link: bool,
}

const REQUIRED_HEADINGS: Words = Words::new(concat!(
    "requirements|",
    "required|",
    "qualifications|",
    "must have|",
    "must-have|",
    "what you need|",
    "what you'll need|",
    "what we're looking for|",
    "you have|",
    "who you are|",
    "minimum qualifications|",
    "basic qualifications",
));
const PREFERRED_HEADINGS: Words = Words::new(concat!(
    "nice to have|",
    "nice-to-have|",
    "preferred|",
    "preferred qualifications|",
    "bonus|",
    "bonus points|",
    "good to have|",
    "desirable|",
    "pluses|",
    "extra credit",
));
const PREFERRED_CUES: Words = Words::new(concat!(
    "preferred|",
    "nice to have|",
    "bonus|",
    "a plus|",
    "is a plus|",
    "ideally|",
    "desirable|",
    "good to have|",
    "familiarity with",
));
const REQUIRED_CUES: Words = Words::new("must|required|requirement");

/// Analyses a job description. Deterministic, never panics.
pub fn analyze_job(job_text: &str) -> JobAnalysis {
    let text = normalize(job_text);
    let dict = dictionary();
    let mut found: HashMap<SkillId, (Importance, u32)> = HashMap::new();
    let mut group_of: HashMap<SkillId, u16> = HashMap::new();
    let mut asked_alone: std::collections::HashSet<SkillId> = Default::default();
    let mut next_group: u16 = 0;
    let mut context = Importance::Required;
    let mut terms: Vec<crate::terms::Term> = Vec::new();
    let mut term_found: Vec<(Importance, u32)> = Vec::new();
    // Terms come from list items and from what follows a heading, not from
    // the title line or the intro paragraph (company and place names).
    let mut past_intro = false;

    // Under a benefits heading ("Benefits:", "What we offer") nothing is a
    // skill asked ("Mentorship program", "PTO"), until the next heading.
    let mut in_benefits = false;
    let title_line = title(&text);
    for clause in clauses(&text) {
        let lower = clause.to_lowercase();
        let trimmed = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
        // A heading ("Nice to have:" alone or leading a paragraph) sets the context
        // for what follows, until the next heading.
        if let Some(h) = heading_of(trimmed) {
            context = h;
            in_benefits = false;
        }
        let offset = clause.as_ptr() as usize - text.as_ptr() as usize;
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line = text[line_start..].trim_start();
        let listed = line.starts_with(['•', '-', '*', '◦', '‣', '▪', '■', '➢', '►', '✓'])
            || crate::profile::has_list_number(line);
        // The title line ("Employee Benefits Specialist") names the role,
        // not a benefits section.
        let is_title = title_line
            .as_deref()
            .is_some_and(|t| clause.trim() == t || clause.trim().ends_with(t));
        if let Some(b) = benefits_heading(trimmed).filter(|_| !listed && !is_title) {
            in_benefits = b;
        }
        // A sentence that offers ("We offer mentorship, PTO and a 401(k)").
        let offers = [
            "we offer",
            "we provide",
            "you'll enjoy",
            "you will enjoy",
            "you'll receive",
            "you will receive",
            "benefits include",
            "perks include",
            "you'll get",
        ]
        .iter()
        .any(|w| lower.contains(w));
        if in_benefits || offers {
            continue;
        }
        let condition = condition_of_employment(&lower, title_line.as_deref());
        let clause_words = padded_words(&lower);
        let importance = if contains_cue(&clause_words, PREFERRED_CUES) {
            Importance::Preferred
        } else if contains_cue(&clause_words, REQUIRED_CUES) {
            Importance::Required
        } else {
            context
        };
        let toks = crate::tokenize::tokenize(clause);
        let stems: Vec<std::borrow::Cow<str>> =
            toks.iter().map(|t| crate::stem::stem(&t.text)).collect();
        let mut matches = dict.find_in_tokens(clause, &toks, &stems);
        // "Must pass a drug test and background check": a condition of
        // employment, not a skill (while "Conduct background checks" is one).
        if condition {
            matches.retain(|m| !names_a_condition(&m.matched_as));
        }
        // "Bachelor's degree in Business or Engineering": the fields belong
        // to the education asked, they are not hard skills.
        let field_span = degree_field_span(clause);
        if let Some((from, to)) = field_span {
            matches.retain(|m| m.end <= from || m.start >= to);
        }
        // "Join our AI platform team": the name of a team describes the
        // employer, it asks for nothing.
        let team_names = team_name_spans(&toks);
        matches.retain(|m| {
            !team_names
                .iter()
                .any(|&(from, to)| m.start >= from && m.end <= to)
        });
        for m in &matches {
            let entry = found.entry(m.skill).or_insert((importance, 0));
            entry.0 = entry.0.min(importance);
            entry.1 += 1;
        }
        let heading = heading_of(trimmed).is_some();
        let mut clause_terms: Vec<usize> = Vec::new();
        // A list item is never a heading alone ("- LVT or RVT required").
        if listed || (past_intro && !heading_only(trimmed)) {
            for (name, acronym) in crate::terms::candidates(clause, &toks, &matches, listed) {
                if condition && names_a_condition(&name.to_lowercase()) {
                    continue;
                }
                if let Some((from, to)) = field_span {
                    let lower_clause = clause.to_lowercase();
                    let at = lower_clause.get(from..to).unwrap_or("");
                    if at.contains(&name.to_lowercase()) {
                        continue;
                    }
                }
                let stems = crate::terms::stems_of(&name);
                let k = match terms.iter().position(|t| t.stems == stems) {
                    Some(k) => k,
                    None => {
                        terms.push(crate::terms::Term {
                            name,
                            acronym,
                            stems,
                            expansion: Vec::new(),
                        });
                        term_found.push((importance, 0));
                        terms.len() - 1
                    }
                };
                term_found[k].0 = term_found[k].0.min(importance);
                term_found[k].1 += 1;
                clause_terms.push(k);
            }
        }
        // Terms take part in alternatives too ("LVT or RVT", "LVT/RVT/CVT").
        for &k in &clause_terms {
            let id = crate::terms::EXTRACTED_BASE.saturating_add(k as SkillId);
            matches.extend(
                crate::terms::find_terms(std::slice::from_ref(&terms[k]), &toks, &stems)
                    .into_iter()
                    .map(|m| crate::skills::SkillMatch { skill: id, ..m }),
            );
        }
        matches.sort_by_key(|m| m.start);
        past_intro |= listed || heading;
        let (groups, alone) = alternatives(clause, &matches);
        // The title line ("Ward Nurse") names the field, it does not ask a
        // skill on its own against an "RN or LPN" below.
        if !is_title {
            asked_alone.extend(alone);
        }
        for g in groups {
            let id = next_group;
            let mut members = 0;
            for skill in g {
                if let std::collections::hash_map::Entry::Vacant(e) = group_of.entry(skill) {
                    e.insert(id);
                    members += 1;
                }
            }
            if members > 0 {
                next_group += 1;
            }
        }
    }
    // A skill also asked on its own is its own requirement, and a group
    // needs two members left to offer a choice.
    group_of.retain(|skill, _| !asked_alone.contains(skill));
    let mut sizes: HashMap<u16, u32> = HashMap::new();
    for g in group_of.values() {
        *sizes.entry(*g).or_default() += 1;
    }
    group_of.retain(|_, g| sizes.get(g).is_some_and(|n| *n >= 2));

    let mut skills: Vec<JobSkill> = found
        .into_iter()
        .map(|(id, (importance, mentions))| {
            let s = dict.skill(id);
            JobSkill {
                skill: id,
                name: s.name.clone(),
                kind: s.kind,
                importance,
                mentions,
                group: group_of.get(&id).copied(),
            }
        })
        .collect();
    let base = crate::terms::EXTRACTED_BASE;
    skills.extend(terms.iter().zip(&term_found).enumerate().map(
        |(k, (t, &(importance, mentions)))| JobSkill {
            skill: base.saturating_add(k as SkillId),
            name: t.name.clone(),
            kind: SkillKind::Hard,
            importance,
            mentions,
            group: group_of.get(&base.saturating_add(k as SkillId)).copied(),
        },
    ));
    skills.sort_by(|a, b| {
        a.importance
            .cmp(&b.importance)
            .then(b.mentions.cmp(&a.mentions))
            .then(a.name.cmp(&b.name))
    });

    crate::terms::add_expansions(&text, &mut terms);
    let title = title(&text);
    let wants_link = wants_link(&text, title.as_deref());
    let degree = degree(&text);
    JobAnalysis {
        title,
        skills,
        years_required: years_required(&text),
        degree,
        degree_field: degree.and_then(|_| degree_field(&text)),
        terms,
        wants_link,
    }
}

/// Nouns that end the name of a part of the employer ("our data platform team").
const TEAM_NOUNS: Words = Words::new(
    "team|teams|group|department|squad|unit|division|organization|organisation|org|tribe|chapter",
);

/// The byte ranges of the names of the employer's teams in a clause: the
/// words between "our" (or "join the/a/an") and a team noun, at most four
/// ("join our AI platform team" → "AI platform"). A skill named only there
/// describes who is hiring; "lead a Scrum team" asks for Scrum and is kept.
fn team_name_spans(toks: &[crate::tokenize::Token]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for (head, t) in toks.iter().enumerate() {
        if !TEAM_NOUNS.contains(&t.text.as_ref()) {
            continue;
        }
        let from = head.saturating_sub(5);
        let Some(det) = (from..head).rev().find(|&i| {
            let w = toks[i].text.as_ref();
            w == "our" || (matches!(w, "the" | "a" | "an") && i > 0 && toks[i - 1].text == "join")
        }) else {
            continue;
        };
        if det + 1 < head {
            spans.push((toks[det + 1].start, toks[head - 1].end));
        }
    }
    spans
}

/// The byte range of the fields of study after a degree in a clause
/// ("Bachelor's degree in Business or Engineering" → "Business or
/// Engineering"): from the "in"/"of" close after the degree word to the end
/// of the list (a `;`, `.`, `(`, "with", "plus", "experience", "required",
/// "preferred", or "and" before a number).
fn degree_field_span(clause: &str) -> Option<(usize, usize)> {
    let &(i, _) = degrees(clause, true).first()?;
    let toks = crate::tokenize::tokenize(clause);
    let after = toks.get(i)?.end;
    let lower = clause.to_lowercase();
    let rest = lower.get(after..)?;
    let (pos, cue) = [" in ", " of "]
        .iter()
        .filter_map(|c| rest.find(c).map(|p| (p, *c)))
        .min_by_key(|(p, _)| *p)?;
    if pos > 24 || rest[..pos].contains([';', ',', '.']) {
        return None;
    }
    let from = after + pos + cue.len();
    let tail = &lower[from..];
    let mut to = tail.find([';', '(', ':']).unwrap_or(tail.len());
    if let Some(p) = tail.find(". ") {
        to = to.min(p);
    }
    for stop in [
        " with ",
        " plus ",
        " experience",
        " required",
        " preferred",
        " and a ",
        " and at ",
    ] {
        if let Some(p) = tail.find(stop) {
            to = to.min(p);
        }
    }
    if let Some(p) = tail
        .match_indices(" and ")
        .find(|(p, _)| tail[p + 5..].starts_with(|c: char| c.is_ascii_digit()))
        .map(|(p, _)| p)
    {
        to = to.min(p);
    }
    Some((from, from + to))
}

/// Headings of what the employer offers. `Some(true)`: a benefits heading;
/// `Some(false)`: another heading (ends the benefits); `None`: not a heading.
fn benefits_heading(clause: &str) -> Option<bool> {
    const BENEFITS: Words = Words::new(concat!(
        "benefits|",
        "perks|",
        "what we offer|",
        "we offer|",
        "compensation|",
        "why join us|",
        "why work here|",
        "why you'll love|",
        "what's in it for you|",
        "our offer|",
        "pay and benefits|",
        "salary|",
        "benefits include",
    ));
    let c = clause.trim();
    let head = match c.find(':') {
        Some(colon) => &c[..colon],
        None if c.split_whitespace().count() <= 5 && !c.ends_with('.') => c,
        None => return None,
    };
    let head = head.trim().trim_end_matches(['!', '?']);
    if head.is_empty() || head.split_whitespace().count() > 5 {
        return None;
    }
    if BENEFITS.iter().any(|b| head.ends_with(b)) {
        return Some(true);
    }
    // Any other short line that is not a list item ends them (a heading
    // such as "About the role"): better a benefit read as a skill than a
    // requirement lost.
    Some(false)
}

/// Words of a condition of employment (a screening, a way to get to work,
/// a licence to drive), matched against a skill or term's words.
const CONDITION_WORDS: Words = Words::new(concat!(
    "drug|",
    "drugs|",
    "background|",
    "screen|",
    "screening|",
    "screenings|",
    "transportation|",
    "driver|",
    "driver's|",
    "drivers|",
    "driving|",
    "record|",
    "test|",
    "testing|",
    "tests|",
    "check|",
    "checks|",
    "physical",
));

/// Whether a skill or term (lowercase) names a condition of employment.
fn names_a_condition(name: &str) -> bool {
    words(name)
        .iter()
        .any(|w| CONDITION_WORDS.contains(&w.as_str()))
}

/// Whether a clause (lowercase) states a condition of employment rather than
/// a skill: "must pass a drug test and background check", "reliable
/// transportation", "valid driver's license" (unless the job is driving).
fn condition_of_employment(lower: &str, title: Option<&str>) -> bool {
    let driving_job = title.is_some_and(|t| {
        let t = t.to_lowercase();
        [
            "driver",
            "delivery",
            "courier",
            "truck",
            "chauffeur",
            "cdl",
            "route",
            "transport",
        ]
        .iter()
        .any(|w| t.contains(w))
    });
    let screening = [
        "drug",
        "background check",
        "background screen",
        "physical exam",
    ]
    .iter()
    .any(|w| lower.contains(w))
        && [
            "pass",
            "submit",
            "subject to",
            "undergo",
            "consent",
            "successful",
            "clear",
            "contingent",
            "pre-employment",
            "required",
            "must",
        ]
        .iter()
        .any(|w| lower.contains(w));
    let transport = lower.contains("reliable transportation")
        || lower.contains("own transportation")
        || lower.contains("dependable transportation");
    let licence = !driving_job
        && [
            "driver's license",
            "drivers license",
            "driver license",
            "driving record",
            "driver's licence",
        ]
        .iter()
        .any(|w| lower.contains(w));
    screening || transport || licence
}

/// The skills a clause offers as alternatives, and those it asks on their
/// own. Neighbouring skills joined by "or", "/", "and/or" or a comma list
/// that ends in "or" ("AWS, GCP or Azure") are one choice; a list joined by
/// "and" is several requirements.
fn alternatives(
    clause: &str,
    matches: &[crate::skills::SkillMatch],
) -> (Vec<Vec<SkillId>>, Vec<SkillId>) {
    let mut groups = Vec::new();
    let mut alone = Vec::new();
    let mut chain: Vec<SkillId> = Vec::new();
    let mut has_or = false;
    let mut close = |chain: &mut Vec<SkillId>, has_or: &mut bool| {
        if *has_or && chain.len() >= 2 {
            groups.push(std::mem::take(chain));
        } else {
            alone.append(chain);
        }
        *has_or = false;
    };
    for (i, m) in matches.iter().enumerate() {
        if i > 0 {
            let gap = clause
                .get(matches[i - 1].end..m.start)
                .unwrap_or("")
                .trim()
                .to_lowercase();
            let gap = gap.trim_start_matches(',').trim();
            let comma = clause
                .get(matches[i - 1].end..m.start)
                .is_some_and(|g| g.trim() == ",");
            let or = matches!(gap, "or" | "/" | "and/or" | "or a" | "or an" | "or the");
            if or || comma {
                has_or |= or;
            } else {
                close(&mut chain, &mut has_or);
            }
        }
        if !chain.contains(&m.skill) {
            chain.push(m.skill);
        }
    }
    close(&mut chain, &mut has_or);
    (groups, alone)
}

/// Title words of engineering outside software: a job titled so is not one
/// that shows its work on GitHub, whatever "engineer" says.
const OTHER_ENGINEERING: Words = Words::new(concat!(
    "civil|",
    "structural|",
    "mechanical|",
    "electrical|",
    "chemical|",
    "environmental|",
    "geotechnical|",
    "transportation|",
    "traffic|",
    "water|",
    "wastewater|",
    "process|",
    "manufacturing|",
    "industrial|",
    "hvac|",
    "biomedical|",
    "facilities|",
    "maintenance|",
    "field|",
    "sales|",
    "mining|",
    "petroleum|",
    "aerospace|",
    "nuclear|",
    "quality|",
    "construction|",
    "highway|",
    "plumbing|",
    "building",
));

/// What sort of term a keyword is, so advice about it reads naturally in
/// every profession.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermSort {
    /// A named tool, product or technology ("Epic", "AutoCAD", "Python").
    Tool,
    /// A clinical, trade or professional practice ("phlebotomy",
    /// "periodontal charting", "forklift operation").
    Practice,
    /// A credential or licence ("RN License", "CPR", "CPA", "LVT"): shown
    /// under Licenses/Certifications, never "in a bullet".
    Credential,
    /// A soft skill.
    Soft,
}

/// Credentials and licences known by their letters or short names.
const CREDENTIALS: Words = Words::new(concat!(
    "cpr|",
    "bls|",
    "acls|",
    "pals|",
    "nrp|",
    "tncc|",
    "enpc|",
    "cmsrn|",
    "ccrn|",
    "cen|",
    "cnor|",
    "oncc|",
    "rn|",
    "lpn|",
    "lvn|",
    "aprn|",
    "np|",
    "fnp|",
    "crna|",
    "cna|",
    "cma|",
    "rma|",
    "cpt|",
    "emt|",
    "paramedic|",
    "lvt|",
    "rvt|",
    "cvt|",
    "rdh|",
    "cda|",
    "rda|",
    "rrt|",
    "crt|",
    "rhit|",
    "rhia|",
    "ccs|",
    "cpc|",
    "cpht|",
    "ptcb|",
    "cpa|",
    "cfa|",
    "cia|",
    "cisa|",
    "cfe|",
    "ea|",
    "pmp|",
    "capm|",
    "shrm-cp|",
    "shrm-scp|",
    "phr|",
    "sphr|",
    "pe|",
    "eit|",
    "fe|",
    "se|",
    "leed ap|",
    "osha 10|",
    "osha 30|",
    "cdl|",
    "servsafe|",
    "a&p|",
    "cissp|",
    "ccna|",
    "ccnp|",
    "cism|",
    "ceh|",
    "comptia a+|",
    "comptia security+|",
    "cscp|",
    "cpim|",
    "cppb|",
    "cpsm|",
    "notary|",
    "series 7|",
    "series 63|",
    "series 65|",
    "chfc|",
    "cfp|",
    "clu|",
    "cae|",
    "cdms|",
    "ncidq|",
    "nasm|",
    "ace|",
    "cscs",
));

/// The sort of a keyword by its name and kind: soft skills are soft; a name
/// that says licence/certificate/certification or a known credential's
/// letters is a credential; a name written as a product (capitals inside,
/// digits, symbols, an acronym, or one capitalised word that is not a
/// practice noun) is a tool; the rest are practices.
pub fn term_sort(name: &str, kind: SkillKind) -> TermSort {
    if kind == SkillKind::Soft {
        return TermSort::Soft;
    }
    let lower = name.to_lowercase();
    let credential_word = [
        "license",
        "licence",
        "licensure",
        "certificate",
        "certification",
        "certified",
        "credential",
        "registration",
    ]
    .iter()
    .any(|w| lower.contains(w));
    // A degree's letters ("BSN", "MBA") are shown like a credential: listed.
    let degree = !degrees(name, false).is_empty();
    if credential_word || degree || CREDENTIALS.contains(&lower.as_str()) {
        return TermSort::Credential;
    }
    let practice_ending = |w: &str| {
        [
            "ing", "tion", "sion", "ment", "ogy", "ance", "ence", "ship", "sis", "ics", "ry",
            "ure", "ism", "ity", "care", "work", "law", "age", "roll", "ysis", "omy", "apy", "ogy",
        ]
        .iter()
        .any(|e| w.ends_with(e))
    };
    let written: Vec<&str> = name.split_whitespace().collect();
    // CamelCase ("AutoCAD", "QuickBooks"), digits or symbols ("Civil 3D",
    // "C#"), or an acronym alone ("SQL"); an acronym inside a practice
    // ("IV Therapy") does not make it a product.
    let camel = |w: &str| {
        let mut seen_lower = false;
        w.chars().any(|c| {
            seen_lower |= c.is_lowercase();
            seen_lower && c.is_uppercase()
        })
    };
    let productlike = written
        .iter()
        .any(|w| camel(w) || w.chars().any(|c| c.is_ascii_digit() || "+#./&".contains(c)))
        || (written.len() == 1 && name.chars().all(|c| !c.is_lowercase()));
    let last = written.last().map(|w| w.to_lowercase()).unwrap_or_default();
    let lowercase = name.chars().next().is_some_and(char::is_lowercase);
    if productlike || (!lowercase && written.len() == 1 && !practice_ending(&last)) {
        TermSort::Tool
    } else {
        TermSort::Practice
    }
}

/// See [`JobAnalysis::wants_link`].
fn wants_link(text: &str, title: Option<&str>) -> bool {
    let lower = text.to_lowercase();
    let named = [
        "github",
        "gitlab",
        "portfolio",
        "behance",
        "dribbble",
        "code sample",
        "open source",
        "open-source",
    ]
    .iter()
    .any(|w| lower.contains(w));
    let role = title.is_some_and(|t| {
        let t = t.to_lowercase();
        // Engineering outside software (a civil or mechanical engineer)
        // shows its work in licences and projects, not a GitHub profile.
        let other_engineering = OTHER_ENGINEERING.iter().any(|w| {
            t.split(|c: char| !c.is_alphanumeric())
                .any(|word| word == w)
        });
        let software_words = [
            "software",
            "developer",
            "data",
            "devops",
            "frontend",
            "backend",
        ];
        if other_engineering && !software_words.iter().any(|w| t.contains(w)) {
            return false;
        }
        [
            "developer",
            "software",
            "engineer",
            "programmer",
            "designer",
            "devops",
            "data scientist",
            "machine learning",
            "frontend",
            "front-end",
            "backend",
            "back-end",
            "full stack",
            "full-stack",
            "sre",
            "architect",
            "ux",
            "ui ",
        ]
        .iter()
        .any(|w| t.contains(w))
    });
    named || role
}

/// Sentences and list items: split on line breaks, `;` and sentence-ending
/// periods. A line break inside a sentence (a hard-wrapped description) does
/// not end the clause: see [`continues`].
fn clauses(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut line_start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let end_of_sentence = c == '.' && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace());
        let wrapped = c == '\n' && continues(&text[line_start..i], &text[i + 1..]);
        if c == '\n' {
            line_start = i + 1;
        }
        if (c == '\n' && !wrapped) || c == ';' || end_of_sentence {
            if i > start {
                out.push(&text[start..i]);
            }
            start = i + c.len_utf8();
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// A clause that is a heading and nothing else ("Requirements:", "Nice to have").
fn heading_only(clause: &str) -> bool {
    let c = clause.trim();
    heading_of(c).is_some()
        && (c.ends_with(':') || (!c.contains(':') && c.split_whitespace().count() <= 4))
}

/// Function words that cannot end a sentence: a line ending in one runs on.
const DANGLING: Words = Words::new(concat!(
    "with|",
    "and|",
    "or|",
    "of|",
    "in|",
    "the|",
    "a|",
    "an|",
    "to|",
    "for|",
    "using|",
    "including|",
    "via|",
    "on|",
    "as|",
    "by|",
    "from|",
    "such|",
    "like|",
    "is|",
    "are|",
    "be|",
    "your|",
    "our|",
    "their",
));

/// Whether the sentence on `line` runs on into the text after its line
/// break: the line ends without punctuation, is not a heading, and the next
/// line is not a new list item or heading but goes on in lowercase
/// ("familiarity with deploying\nmodels via SageMaker") or follows a word
/// that cannot end a sentence ("experience with\nSageMaker").
fn continues(line: &str, rest: &str) -> bool {
    let line = line.trim_end();
    let next = rest.split('\n').next().unwrap_or("").trim();
    if line.is_empty() || next.is_empty() || line.ends_with(['.', ';', ':', '!', '?']) {
        return false;
    }
    let first = next.chars().next().unwrap_or(' ');
    if !first.is_alphanumeric() || crate::profile::has_list_number(next) {
        return false;
    }
    let lower = line.to_lowercase();
    let trimmed = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    // A heading line alone ("Nice to have", "Requirements:") ends there.
    let heading_line = |l: &str| {
        heading_of(l).is_some()
            && (l.ends_with(':') || (!l.contains(':') && l.split_whitespace().count() <= 4))
    };
    if heading_line(trimmed) || heading_line(&next.to_lowercase()) {
        return false;
    }
    let last = lower
        .rsplit(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    first.is_lowercase() || DANGLING.contains(&last)
}

fn heading_of(clause: &str) -> Option<Importance> {
    let head = match clause.find(':') {
        Some(colon) => &clause[..colon],
        // A short line with no colon can still be a heading ("Nice to have").
        None if clause.split_whitespace().count() <= 4 => clause.trim(),
        None => return None,
    };
    let head = head.trim();
    if PREFERRED_HEADINGS.iter().any(|h| head.ends_with(h)) {
        Some(Importance::Preferred)
    } else if REQUIRED_HEADINGS.iter().any(|h| head.ends_with(h)) {
        Some(Importance::Required)
    } else {
        None
    }
}

/// The clause's words joined by single spaces, with a space at each end, so a
/// cue matches only as whole words (" must " is not inside " mustard ").
fn padded_words(text: &str) -> String {
    format!(" {} ", words(text).join(" "))
}

/// Whether any cue (written as plain lowercase words) appears in the clause.
fn contains_cue(padded_clause: &str, cues: Words) -> bool {
    let b = padded_clause.as_bytes();
    cues.iter().any(|cue| {
        padded_clause
            .match_indices(cue)
            .any(|(i, _)| i > 0 && b[i - 1] == b' ' && b.get(i + cue.len()) == Some(&b' '))
    })
}

/// The job title: the first line when it reads like one, else the role named in
/// "looking for / hiring / seeking a(n) …".
fn title(text: &str) -> Option<String> {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let first = first
        .strip_prefix("Job title:")
        .or_else(|| first.strip_prefix("Title:"))
        .unwrap_or(first)
        .trim();
    let n = first.split_whitespace().count();
    if (1..=10).contains(&n) && !first.ends_with('.') && !first.ends_with(':') {
        return Some(first.to_string());
    }
    let lower = text.to_lowercase();
    for cue in [
        "looking for an ",
        "looking for a ",
        "hiring an ",
        "hiring a ",
        "seeking an ",
        "seeking a ",
    ] {
        if let Some(pos) = lower.find(cue) {
            let rest = &text[pos + cue.len()..];
            let role: Vec<&str> = rest
                .split_whitespace()
                .take_while(|w| {
                    !matches!(
                        w.to_lowercase().as_str(),
                        "to" | "who" | "with" | "that" | "for" | "in"
                    )
                })
                .take(6)
                .collect();
            let role = role.join(" ");
            let role = role.trim_end_matches([',', '.', ';', ':']);
            if !role.is_empty() {
                return Some(role.to_string());
            }
        }
    }
    None
}

/// The years of experience asked: "4+ years of experience", "minimum of 3
/// years as a …", "2-4 years in …" (→ 2), "five years". Only experience
/// requirements count (see [`experience_years_in`]); ages, company history,
/// tenure figures, benefits, schedules and degree lengths do not. When the job
/// asks several (a general and a specific requirement), the largest is kept:
/// it is the one a screen filters on.
fn years_required(text: &str) -> Option<u32> {
    clauses(text)
        .into_iter()
        .filter_map(experience_years_in)
        .max()
}

/// Words after "N years" that make it an age, a date, a tenure or a term
/// rather than experience ("21 years of age", "18 years old", "35 years ago",
/// "a 4-year degree", "2-year contract", "5 years of service").
const NOT_EXPERIENCE_AFTER: Words = Words::new(concat!(
    "old|",
    "older|",
    "ago|",
    "age|",
    "degree|",
    "degrees|",
    "college|",
    "university|",
    "contract|",
    "term|",
    "commitment|",
    "warranty|",
    "service|",
    "history|",
    "anniversary|",
    "running|",
    "straight|",
    "strong",
));

/// Words in a clause that make its years about the company, the benefits or
/// the person's age, not experience asked ("powered central Ohio for 35
/// years", "after 5 years you earn 4 weeks of PTO", "the average officer has
/// been with us 7 years", "must be 21 years of age").
const NOT_EXPERIENCE_CLAUSE: Words = Words::new(concat!(
    "age|",
    "aged|",
    "pto|",
    "vacation|",
    "holiday|",
    "holidays|",
    "tenure|",
    "average|",
    "founded|",
    "anniversary|",
    "retirement|",
    "401k|",
    "401|",
    "vested|",
    "vesting|",
    "sabbatical|",
    "accrue|",
    "accrues|",
    "earn|",
    "earns|",
    "legacy|",
    "since|",
    "ago",
));

/// Words just before "N years" that make it a span of time rather than
/// experience asked ("in the past 3 years", "every 2 years", "after 5 years").
const SPAN_BEFORE: Words = Words::new("after|past|last|every|within");

/// Words just before "N years" that make it the company's or a person's time
/// ("for 35 years", "with us 7 years"), unless the clause speaks of
/// experience.
const NOT_EXPERIENCE_BEFORE: Words = Words::new("for|over|nearly|almost|us|been");

/// The largest "N years" of one clause that asks for experience, if any.
fn experience_years_in(clause: &str) -> Option<u32> {
    let w = words(clause);
    if w.iter()
        .any(|t| NOT_EXPERIENCE_CLAUSE.contains(&t.as_str()))
    {
        return None;
    }
    let lower = clause.to_lowercase();
    let experience = lower.contains("experience")
        || lower.contains("minimum")
        || lower.contains("at least")
        || lower.contains("required");
    let mut best = None;
    let mut i = 0;
    while i < w.len() {
        let Some(n) = number(&w[i]) else {
            i += 1;
            continue;
        };
        // A range ("3-5 years", "3 to 5 years") reads as its lower bound; its
        // upper bound is consumed so it is not read as a second ask.
        let mut j = i + 1;
        if w.get(j).is_some_and(|t| t == "to") && w.get(j + 1).and_then(|t| number(t)).is_some() {
            j += 2;
        } else if w.get(j).and_then(|t| number(t)).is_some() {
            j += 1;
        }
        let years = w
            .get(j)
            .is_some_and(|t| matches!(t.as_str(), "years" | "year" | "yrs" | "yr"));
        let after = w.get(j + 1).map(String::as_str);
        // "21 years or older", "18 years of age".
        let after2 = w.get(j + 2).map(String::as_str);
        let not_after = after.is_some_and(|a| NOT_EXPERIENCE_AFTER.contains(&a))
            || (matches!(after, Some("or" | "of" | "and"))
                && after2.is_some_and(|a| NOT_EXPERIENCE_AFTER.contains(&a) || a == "over"));
        let before = i.checked_sub(1).map(|k| w[k].as_str());
        let not_before = before.is_some_and(|b| {
            SPAN_BEFORE.contains(&b) || (!experience && NOT_EXPERIENCE_BEFORE.contains(&b))
        });
        if years && (1..=40).contains(&n) && !not_after && !not_before {
            best = best.max(Some(n));
        }
        i = j;
    }
    best
}

fn number(tok: &str) -> Option<u32> {
    tok.parse().ok().or(match tok {
        "one" => Some(1),
        "two" => Some(2),
        "three" => Some(3),
        "four" => Some(4),
        "five" => Some(5),
        "six" => Some(6),
        "seven" => Some(7),
        "eight" => Some(8),
        "nine" => Some(9),
        "ten" => Some(10),
        _ => None,
    })
}

fn degree(text: &str) -> Option<DegreeLevel> {
    degrees(text, true).into_iter().map(|(_, d)| d).min()
}

/// The field after a degree word: "Bachelor's degree in Computer Science or a
/// related field" → "Computer Science". Generic fields ("a related field") are
/// not a field.
fn degree_field(text: &str) -> Option<String> {
    for line in text.lines() {
        let toks = crate::tokenize::tokenize(line);
        let Some(&(i, _)) = degrees(line, true).first() else {
            continue;
        };
        // The field follows the degree closely: "Bachelor's degree in X", "MSc in X".
        let after = toks[i].end;
        let lower = line.to_lowercase();
        let Some((pos, cue)) = [" in ", " of "]
            .iter()
            .filter_map(|cue| lower.get(after..)?.find(cue).map(|p| (p, *cue)))
            .min_by_key(|(p, _)| *p)
        else {
            continue;
        };
        if pos > 24
            || lower
                .get(after..after + pos)
                .is_some_and(|gap| gap.contains([';', ',', '.']))
        {
            continue;
        }
        let rest = line.get(after + pos + cue.len()..).unwrap_or("");
        let field = rest
            .split([',', ';', '.', '(', '/', ':'])
            .next()
            .unwrap_or("")
            .split(" or ")
            .next()
            .unwrap_or("")
            .split(" and ")
            .next()
            .unwrap_or("")
            .trim();
        // "Bachelor of Science in Nursing": the field is "Nursing".
        let field = ["Science in ", "Arts in ", "Science ", "Arts "]
            .iter()
            .find_map(|p| field.strip_prefix(p))
            .unwrap_or(field)
            .trim();
        let lower_field = field.to_lowercase();
        let generic = field.is_empty()
            || field.split_whitespace().count() > 5
            || lower_field.contains("related")
            || lower_field.starts_with("a ")
            || lower_field.starts_with("the ")
            || lower_field.contains("experience")
            || field.chars().next().is_some_and(|c| !c.is_uppercase());
        if !generic {
            return Some(field.to_string());
        }
    }
    None
}

/// Degree names that need no context, as tokens (lowercase, inner dots
/// kept): the forms used around the world.
const DEGREE_WORDS: &[(&str, DegreeLevel)] = &[
    ("a.a", DegreeLevel::Associate),
    ("a.s", DegreeLevel::Associate),
    ("a.a.s", DegreeLevel::Associate),
    ("aas", DegreeLevel::Associate),
    ("hnd", DegreeLevel::Associate),
    ("h.n.d", DegreeLevel::Associate),
    ("bachelor", DegreeLevel::Bachelor),
    ("bachelors", DegreeLevel::Bachelor),
    ("baccalaureate", DegreeLevel::Bachelor),
    ("undergraduate", DegreeLevel::Bachelor),
    ("b.s", DegreeLevel::Bachelor),
    ("bsc", DegreeLevel::Bachelor),
    ("b.sc", DegreeLevel::Bachelor),
    ("b.a", DegreeLevel::Bachelor),
    ("b.eng", DegreeLevel::Bachelor),
    ("beng", DegreeLevel::Bachelor),
    ("b.tech", DegreeLevel::Bachelor),
    ("btech", DegreeLevel::Bachelor),
    ("b.e", DegreeLevel::Bachelor),
    ("bca", DegreeLevel::Bachelor),
    ("b.c.a", DegreeLevel::Bachelor),
    ("b.com", DegreeLevel::Bachelor),
    ("bcom", DegreeLevel::Bachelor),
    ("bba", DegreeLevel::Bachelor),
    ("b.b.a", DegreeLevel::Bachelor),
    ("bsn", DegreeLevel::Bachelor),
    ("b.s.n", DegreeLevel::Bachelor),
    ("bfa", DegreeLevel::Bachelor),
    ("b.f.a", DegreeLevel::Bachelor),
    ("b.ed", DegreeLevel::Bachelor),
    ("llb", DegreeLevel::Bachelor),
    ("ll.b", DegreeLevel::Bachelor),
    ("mbbs", DegreeLevel::Bachelor),
    ("b.arch", DegreeLevel::Bachelor),
    ("barch", DegreeLevel::Bachelor),
    ("b.pharm", DegreeLevel::Bachelor),
    ("bpharm", DegreeLevel::Bachelor),
    ("bsw", DegreeLevel::Bachelor),
    ("licenciatura", DegreeLevel::Bachelor),
    ("b.acc", DegreeLevel::Bachelor),
    ("bacc", DegreeLevel::Bachelor),
    ("b.s.b", DegreeLevel::Bachelor),
    ("bsba", DegreeLevel::Bachelor),
    ("b.s.b.a", DegreeLevel::Bachelor),
    ("b.s.w", DegreeLevel::Bachelor),
    ("b.s.ed", DegreeLevel::Bachelor),
    ("bsed", DegreeLevel::Bachelor),
    ("licenciado", DegreeLevel::Bachelor),
    ("m.s", DegreeLevel::Master),
    ("msc", DegreeLevel::Master),
    ("m.sc", DegreeLevel::Master),
    ("m.a", DegreeLevel::Master),
    ("mba", DegreeLevel::Master),
    ("m.b.a", DegreeLevel::Master),
    ("m.eng", DegreeLevel::Master),
    ("meng", DegreeLevel::Master),
    ("m.tech", DegreeLevel::Master),
    ("mtech", DegreeLevel::Master),
    ("m.e", DegreeLevel::Master),
    ("mca", DegreeLevel::Master),
    ("m.c.a", DegreeLevel::Master),
    ("m.com", DegreeLevel::Master),
    ("mcom", DegreeLevel::Master),
    ("msn", DegreeLevel::Master),
    ("m.s.n", DegreeLevel::Master),
    ("mph", DegreeLevel::Master),
    ("m.p.h", DegreeLevel::Master),
    ("mpa", DegreeLevel::Master),
    ("mfa", DegreeLevel::Master),
    ("m.f.a", DegreeLevel::Master),
    ("m.ed", DegreeLevel::Master),
    ("llm", DegreeLevel::Master),
    ("ll.m", DegreeLevel::Master),
    ("mphil", DegreeLevel::Master),
    ("m.phil", DegreeLevel::Master),
    ("msw", DegreeLevel::Master),
    ("m.s.w", DegreeLevel::Master),
    ("m.acc", DegreeLevel::Master),
    ("macc", DegreeLevel::Master),
    ("m.arch", DegreeLevel::Master),
    ("diplom", DegreeLevel::Master),
    ("dipl", DegreeLevel::Master),
    ("magister", DegreeLevel::Master),
    ("mestrado", DegreeLevel::Master),
    ("maestría", DegreeLevel::Master),
    ("maestria", DegreeLevel::Master),
    ("phd", DegreeLevel::Doctorate),
    ("ph.d", DegreeLevel::Doctorate),
    ("doctorate", DegreeLevel::Doctorate),
    ("doctoral", DegreeLevel::Doctorate),
    ("dphil", DegreeLevel::Doctorate),
    ("d.phil", DegreeLevel::Doctorate),
    ("ed.d", DegreeLevel::Doctorate),
    ("edd", DegreeLevel::Doctorate),
    ("dnp", DegreeLevel::Doctorate),
    ("pharm.d", DegreeLevel::Doctorate),
    ("pharmd", DegreeLevel::Doctorate),
    ("psy.d", DegreeLevel::Doctorate),
    ("psyd", DegreeLevel::Doctorate),
    ("d.d.s", DegreeLevel::Doctorate),
    ("dds", DegreeLevel::Doctorate),
    ("dvm", DegreeLevel::Doctorate),
    ("dpt", DegreeLevel::Doctorate),
    ("d.p.t", DegreeLevel::Doctorate),
    ("d.n.p", DegreeLevel::Doctorate),
    ("d.v.m", DegreeLevel::Doctorate),
    ("m.d", DegreeLevel::Doctorate),
    ("j.d", DegreeLevel::Doctorate),
    ("dr.rer", DegreeLevel::Doctorate),
];

/// [`DEGREE_WORDS`] as a map, built once.
fn degree_words() -> &'static HashMap<&'static str, DegreeLevel> {
    static MAP: std::sync::OnceLock<HashMap<&'static str, DegreeLevel>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| DEGREE_WORDS.iter().copied().collect())
}

/// Short forms that are also ordinary words or other abbreviations ("BE",
/// "MS Office", "AS", "MA" the state): degrees only when written in capitals,
/// and, where `strict`, beside a degree word ("BS in Nursing", "BA/BS", "or MS").
const AMBIGUOUS: &[(&str, DegreeLevel)] = &[
    ("AA", DegreeLevel::Associate),
    ("AS", DegreeLevel::Associate),
    ("ADN", DegreeLevel::Associate),
    ("BS", DegreeLevel::Bachelor),
    ("BA", DegreeLevel::Bachelor),
    ("BE", DegreeLevel::Bachelor),
    ("MS", DegreeLevel::Master),
    ("MA", DegreeLevel::Master),
    ("ME", DegreeLevel::Master),
    ("JD", DegreeLevel::Doctorate),
    ("MD", DegreeLevel::Doctorate),
];

/// Products and things that follow "MS" or "BA" and are not a field of study.
const NOT_A_FIELD: Words = Words::new(concat!(
    "office|",
    "excel|",
    "word|",
    "sql|",
    "access|",
    "project|",
    "teams|",
    "dynamics|",
    "windows|",
    "outlook|",
    "powerpoint|",
    "visio|",
    "dos|",
    "azure|",
    "exchange|",
    "paint|",
    "edge|",
    "team",
));

/// Every degree a text names, as (token index, level), in order. `strict`
/// (job descriptions, lines outside an education section) asks the short
/// forms that double as words for a degree context around them.
pub(crate) fn degrees(text: &str, strict: bool) -> Vec<(usize, DegreeLevel)> {
    let toks = crate::tokenize::tokenize(text);
    let w: Vec<&str> = toks.iter().map(|t| t.text.as_ref()).collect();
    let mut out = Vec::new();
    for i in 0..toks.len() {
        let prev = i.checked_sub(1).map(|p| w[p]);
        let next = w.get(i + 1).copied();
        let gap_after = toks
            .get(i + 1)
            .and_then(|n| text.get(toks[i].end..n.start))
            .unwrap_or("");
        // "B. Tech", "M. Sc.": a letter, a dot and the rest after a space.
        let joined = (w[i].chars().count() <= 2 && matches!(gap_after, ". " | "."))
            .then(|| next.map(|n| format!("{}.{n}", w[i])))
            .flatten();
        let level = match w[i] {
            "associate" | "associates"
                if matches!(next, Some("degree" | "of" | "in" | "s"))
                    || (matches!(next, Some("or" | "and"))
                        && w.get(i + 2).is_some_and(|d| d.starts_with("bachelor"))) =>
            {
                Some(DegreeLevel::Associate)
            }
            "foundation" if next == Some("degree") => Some(DegreeLevel::Associate),
            "master" | "masters"
                if !matches!(
                    prev,
                    Some("scrum" | "data" | "quiz" | "web" | "ux" | "chess")
                ) && !matches!(
                    next,
                    Some("data" | "class" | "plan" | "electrician" | "plumber" | "key")
                ) =>
            {
                Some(DegreeLevel::Master)
            }
            "laurea" if matches!(next, Some("magistrale" | "specialistica")) => {
                Some(DegreeLevel::Master)
            }
            "laurea" => Some(DegreeLevel::Bachelor),
            // The French "Licence en Sciences de Gestion" is a bachelor's.
            "licence" if matches!(next, Some("en" | "ès" | "es" | "de" | "professionnelle")) => {
                Some(DegreeLevel::Bachelor)
            }
            "doctor" if next == Some("of") => Some(DegreeLevel::Doctorate),
            word => joined
                .as_deref()
                .and_then(|j| degree_words().get(j))
                .or_else(|| degree_words().get(word))
                .copied()
                .or_else(|| {
                    let written = &text[toks[i].start..toks[i].end];
                    let (_, level) = AMBIGUOUS.iter().find(|(d, _)| *d == written)?;
                    if next.is_some_and(|n| NOT_A_FIELD.contains(&n)) {
                        return None;
                    }
                    let before = toks
                        .get(i.wrapping_sub(1))
                        .filter(|_| i > 0)
                        .and_then(|p| text.get(p.end..toks[i].start))
                        .unwrap_or("");
                    // "Boston, MA", "Baltimore, MD", "Portland, ME": a state.
                    let state = matches!(written, "MA" | "MD" | "ME");
                    if state && before.trim() == "," {
                        return None;
                    }
                    if !strict && !state {
                        return Some(*level);
                    }
                    let context = matches!(next, Some("in" | "degree" | "or" | "and" | "from"))
                        || gap_after.trim_start().starts_with(['/', '(', ','])
                        || matches!(prev, Some("or" | "and" | "a" | "plus"))
                        || before.trim_end().ends_with('/');
                    context.then_some(*level)
                }),
        };
        if let Some(level) = level {
            out.push((i, level));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn importance_of(a: &JobAnalysis, name: &str) -> Option<Importance> {
        a.skills
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.importance)
    }

    const JOB: &str = "Senior Backend Engineer (Rust)\n\nRequirements:\n- 5+ years of Rust or Go\n- PostgreSQL and Kubernetes\n- Bachelor's degree in Computer Science; Master's a plus\n\nNice to have:\n- Kafka\n- Terraform and AWS\n";

    #[test]
    fn tells_required_from_preferred_by_heading() {
        let a = analyze_job(JOB);
        assert_eq!(importance_of(&a, "Rust"), Some(Importance::Required));
        assert_eq!(importance_of(&a, "PostgreSQL"), Some(Importance::Required));
        assert_eq!(
            importance_of(&a, "Apache Kafka"),
            Some(Importance::Preferred)
        );
        assert_eq!(importance_of(&a, "Terraform"), Some(Importance::Preferred));
    }

    #[test]
    fn a_preferred_cue_in_a_sentence_overrides_the_section() {
        let a = analyze_job("Requirements:\nPython. Experience with Docker is a plus.");
        assert_eq!(importance_of(&a, "Python"), Some(Importance::Required));
        assert_eq!(importance_of(&a, "Docker"), Some(Importance::Preferred));
    }

    #[test]
    fn a_skill_named_both_ways_counts_as_required_with_all_mentions() {
        let a = analyze_job("Must know SQL.\nNice to have: advanced SQL tuning.");
        let sql = a.skills.iter().find(|s| s.name == "SQL").unwrap();
        assert_eq!(sql.importance, Importance::Required);
        assert_eq!(sql.mentions, 2);
    }

    #[test]
    fn reads_the_title_years_and_lowest_acceptable_degree() {
        let a = analyze_job(JOB);
        assert_eq!(a.title.as_deref(), Some("Senior Backend Engineer (Rust)"));
        assert_eq!(a.years_required, Some(5));
        assert_eq!(a.degree, Some(DegreeLevel::Bachelor));
        assert_eq!(a.degree_field.as_deref(), Some("Computer Science"));
    }

    #[test]
    fn a_related_field_is_not_a_field_of_study() {
        let a = analyze_job("Requirements: Bachelor's degree in a related field; 3 years of SQL");
        assert_eq!(a.degree, Some(DegreeLevel::Bachelor));
        assert_eq!(a.degree_field, None);
        let b = analyze_job("MSc or PhD in Statistics, Physics or similar");
        assert_eq!(b.degree_field.as_deref(), Some("Statistics"));
    }

    #[test]
    fn reads_ranges_and_spelled_out_years() {
        assert_eq!(years_required("3-5 years of experience"), Some(3));
        assert_eq!(years_required("at least five years in sales"), Some(5));
        assert_eq!(
            years_required("founded 120 years ago; 2 years Java"),
            Some(2)
        );
        assert_eq!(years_required("no experience needed"), None);
    }

    #[test]
    fn the_name_of_the_team_that_hires_asks_for_nothing() {
        let skills = |job: &str| {
            let a = analyze_job(job);
            let d = dictionary();
            a.skills
                .iter()
                .map(|s| d.skill(s.skill).name.clone())
                .collect::<Vec<_>>()
        };
        for job in [
            "We are seeking a Machine Learning Engineer to join our AI platform team. Requirements: Python, SQL.",
            "Join the Kubernetes infrastructure group as a support engineer. You will need Python and SQL.",
            "You will be part of our Salesforce CRM team. Required: Python and SQL.",
        ] {
            let found = skills(job);
            assert!(
                !found.iter().any(|n| n == "Artificial Intelligence"
                    || n == "Kubernetes"
                    || n == "Salesforce"),
                "{job}: {found:?}"
            );
            assert!(found.iter().any(|n| n == "Python"), "{job}: {found:?}");
        }
        // Asked for elsewhere, or leading a team of a kind: still asked.
        let found = skills("Join our AI team. Requirements: experience with AI and Python.");
        assert!(
            found.iter().any(|n| n == "Artificial Intelligence"),
            "{found:?}"
        );
        let found = skills("Requirements: 3 years leading a Scrum team; Python.");
        assert!(found.iter().any(|n| n == "Scrum"), "{found:?}");
        let found = skills("Requirements: run our Kubernetes clusters; Python.");
        assert!(found.iter().any(|n| n == "Kubernetes"), "{found:?}");
    }

    #[test]
    fn finds_the_role_inside_prose_when_there_is_no_title_line() {
        let a = analyze_job(
            "We are looking for a Senior Backend Engineer to join our platform team. You will build services.",
        );
        assert_eq!(a.title.as_deref(), Some("Senior Backend Engineer"));
    }

    #[test]
    fn analyses_the_shared_backend_fixture() {
        // `shared/` beside the checkout, or beside a parent folder (a worktree).
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|a| a.join("shared/fixtures/jobs/backend-eng.txt"))
            .find(|p| p.is_file())
            .unwrap_or_default();
        let Ok(text) = std::fs::read_to_string(&path) else {
            panic!("fixture missing: {path:?} (the shared/ folder sits beside the checkout)");
        };
        let a = analyze_job(&text);
        assert_eq!(a.title.as_deref(), Some("Senior Backend Engineer"));
        assert_eq!(a.years_required, Some(4));
        for required in ["Python", "Docker", "Kubernetes", "SQL", "Redis"] {
            assert_eq!(
                importance_of(&a, required),
                Some(Importance::Required),
                "{required}"
            );
        }
        // "familiarity with CI/CD pipelines (GitHub Actions or CircleCI)" is a softer ask.
        assert_eq!(importance_of(&a, "CI/CD"), Some(Importance::Preferred));
        assert!(importance_of(&a, "PostgreSQL").is_some());
        assert!(importance_of(&a, "FastAPI").is_some());
        assert!(importance_of(&a, "Apache Kafka").is_some());
    }

    #[test]
    fn empty_input_gives_an_empty_analysis() {
        let a = analyze_job("");
        assert!(a.skills.is_empty());
        assert_eq!(a.title, None);
        assert_eq!(a.years_required, None);
    }
}
