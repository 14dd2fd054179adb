//! The score: categories with points, maxima and reasons, for both variants.
//! Weights and their reasoning are in `docs/scoring.md`.

use crate::words::Words;
use std::borrow::Cow;

use crate::fxhash::FxHashMap;

use crate::{
    job::{DegreeLevel, Importance, JobAnalysis, JobSkill},
    profile::{MonthIndex, Opening, Profile, analyze_tokens},
    report::{
        Category, CategoryId, Highlight, JobSummary, Keyword, KeywordStatus, Reason, ResumeSummary,
        Variant,
    },
    resume::SectionKind,
    skills::{SkillId, SkillKind, SkillMatch, dictionary},
    stem::stem,
    tokenize::{Token, tokenize},
};

/// Everything about one resume against one job, before recommendations.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Exact sum of the categories' points (before rounding).
    pub total: f64,
    pub categories: Vec<Category>,
    pub keywords: Vec<Keyword>,
    pub highlights: Vec<Highlight>,
    pub profile: Profile,
    pub job: JobSummary,
}

impl Evaluation {
    /// The score as shown: the total rounded to a whole point, within 0..=100.
    pub fn score(&self) -> u32 {
        self.total.round().clamp(0.0, 100.0) as u32
    }

    pub fn resume_summary(&self) -> ResumeSummary {
        let p = &self.profile;
        ResumeSummary {
            word_count: p.word_count,
            sections: {
                let mut k: Vec<SectionKind> = p.sections.iter().map(|s| s.kind).collect();
                k.sort();
                k.dedup();
                k
            },
            bullets: p.bullets.len(),
            bullets_with_metrics: p.bullets.iter().filter(|b| b.has_metric).count(),
            bullets_with_action_verbs: p
                .bullets
                .iter()
                .filter(|b| b.opening == Opening::Strong)
                .count(),
            experience_years: (f64::from(p.experience_months) / 12.0 * 10.0).round() / 10.0,
            unread_dates: p.unread_dates.len(),
            degree: p.degree,
            repeated_words: p.repeated.clone(),
        }
    }
}

/// Category weights per variant, in the order categories are reported.
fn weights(variant: Variant) -> [(CategoryId, f64); 10] {
    use CategoryId::*;
    match variant {
        Variant::V2 => [
            (HardSkills, 40.0),
            (SoftSkills, 8.0),
            (JobTitle, 8.0),
            (Education, 8.0),
            (Experience, 8.0),
            (Sections, 8.0),
            (Contact, 6.0),
            (MeasurableResults, 6.0),
            (ActionVerbs, 5.0),
            (Length, 3.0),
        ],
        // v3: skills and relevant years carry more; what any resume can have
        // (headings, contact, bullets, verbs, length) carries less and is
        // gated on the match (see `match_gate`).
        Variant::V3 => [
            (HardSkills, 45.0),
            (SoftSkills, 5.0),
            (JobTitle, 8.0),
            (Education, 7.0),
            (Experience, 10.0),
            (Sections, 8.0),
            (Contact, 5.0),
            (MeasurableResults, 6.0),
            (ActionVerbs, 4.0),
            (Length, 2.0),
        ],
        Variant::V1 => [
            (HardSkills, 10.0),
            (SoftSkills, 10.0),
            (JobTitle, 10.0),
            (Education, 10.0),
            (Experience, 10.0),
            (Sections, 10.0),
            (Contact, 10.0),
            (MeasurableResults, 10.0),
            (ActionVerbs, 10.0),
            (Length, 10.0),
        ],
    }
}

/// A category's result as a fraction of its weight, before weights are applied.
struct Part {
    id: CategoryId,
    /// `None`: not applicable to this job.
    fraction: Option<f64>,
    reasons: Vec<Reason>,
}

fn ok(text: impl Into<String>) -> Reason {
    Reason {
        ok: true,
        text: text.into(),
    }
}

fn lost(text: impl Into<String>) -> Reason {
    Reason {
        ok: false,
        text: text.into(),
    }
}

/// How one job skill shows up in the resume.
#[derive(Debug, Clone, Default)]
struct Usage {
    mentions: u32,
    in_context: bool,
    matched_as: Option<String>,
}

/// What scoring needs of a job besides its analysis, the same for every
/// resume: worked out once per job (`lib.rs` keeps it with the analysis).
#[derive(Debug)]
pub(crate) struct JobPrep {
    /// Per `job.skills`: the name as tokens, to tell an alias match ("js")
    /// from the name itself.
    canonical: Vec<String>,
    /// Per `job.skills`: whether it is a credential (v3 only; all false
    /// when not worked out).
    credential: Vec<bool>,
    /// The job title's core words, stemmed ([`core_title`]).
    core: Vec<String>,
}

impl JobPrep {
    /// `credentials`: whether to sort the skills (what v3 needs).
    pub(crate) fn new(job: &JobAnalysis, credentials: bool) -> Self {
        Self {
            canonical: job
                .skills
                .iter()
                .map(|s| {
                    let words: Vec<String> = tokenize(&s.name)
                        .into_iter()
                        .map(|t| t.text.into_owned())
                        .collect();
                    words.join(" ")
                })
                .collect(),
            credential: job
                .skills
                .iter()
                .map(|s| {
                    credentials
                        && crate::job::term_sort(&s.name, s.kind)
                            == crate::job::TermSort::Credential
                })
                .collect(),
            core: job.title.as_deref().map(core_title).unwrap_or_default(),
        }
    }
}

/// Scores a normalised resume against an analysed job.
pub fn evaluate(
    resume: &str,
    job: &JobAnalysis,
    variant: Variant,
    today: Option<MonthIndex>,
) -> Evaluation {
    evaluate_prepared(
        resume,
        job,
        &JobPrep::new(job, variant == Variant::V3),
        variant,
        today,
    )
}

/// [`evaluate`] with the job's [`JobPrep`] at hand.
pub(crate) fn evaluate_prepared(
    resume: &str,
    job: &JobAnalysis,
    prep: &JobPrep,
    variant: Variant,
    today: Option<MonthIndex>,
) -> Evaluation {
    let dict = dictionary();
    let tokens = tokenize(resume);
    let profile = analyze_tokens(resume, &tokens, today);
    let stems: Vec<Cow<str>> = tokens.iter().map(|t| stem(&t.text)).collect();
    let mut matches = dict.find_in_tokens(resume, &tokens, &stems);
    // v3 also scores the job's own terms that no dictionary lists.
    let extracted = |id: SkillId| id >= crate::terms::EXTRACTED_BASE;
    if variant == Variant::V3 && !job.terms.is_empty() {
        let taken: Vec<(usize, usize)> = matches.iter().map(|m| (m.start, m.end)).collect();
        matches.extend(
            crate::terms::find_terms(&job.terms, &tokens, &stems)
                .into_iter()
                .filter(|m| !taken.iter().any(|&(s, e)| s < m.end && m.start < e))
                .filter(|m| term_in_context(resume, &tokens, job, m)),
        );
        matches.sort_by_key(|m| m.start);
    }
    // The job's skills scored (indexes into `job.skills`).
    let picked: Vec<usize> = (0..job.skills.len())
        .filter(|&i| variant == Variant::V3 || !extracted(job.skills[i].skill))
        .collect();
    let job_skills: Vec<&JobSkill> = picked.iter().map(|&i| &job.skills[i]).collect();
    let credential: Vec<bool> = picked.iter().map(|&i| prep.credential[i]).collect();

    // Each job skill with its name as tokens, to tell an alias match ("js") from
    // the name itself.
    let job_ids: FxHashMap<SkillId, (&JobSkill, &str)> = picked
        .iter()
        .map(|&i| {
            let s = &job.skills[i];
            (s.skill, (s, prep.canonical[i].as_str()))
        })
        .collect();
    let mut usage: FxHashMap<SkillId, Usage> = FxHashMap::default();
    let mut highlights = Vec::new();
    for m in &matches {
        let Some((js, canonical)) = job_ids.get(&m.skill) else {
            continue;
        };
        let u = usage.entry(m.skill).or_default();
        u.mentions += 1;
        u.in_context |= in_context(&profile, m.start);
        if m.matched_as != *canonical && u.matched_as.is_none() {
            u.matched_as = Some(resume[m.start..m.end].to_string());
        }
        highlights.push(Highlight {
            start: m.start,
            end: m.end,
            name: js.name.clone(),
        });
    }

    // v3: a credential the job asks as "RN license" is held when the
    // resume names "RN" as a credential: on the name line ("Jane Roe, RN,
    // BSN"), under Licenses/Certifications, or on a line that says licensed,
    // license, certified or board.
    if variant == Variant::V3 {
        for (js, &is_credential) in job_skills.iter().zip(&credential) {
            if usage.contains_key(&js.skill) || !is_credential {
                continue;
            }
            if let Some((start, end)) = credential_held(resume, &profile, &tokens, &js.name) {
                let u = usage.entry(js.skill).or_default();
                u.mentions += 1;
                u.matched_as = Some(resume[start..end].to_string());
                highlights.push(Highlight {
                    start,
                    end,
                    name: js.name.clone(),
                });
            }
        }
        highlights.sort_by_key(|h| h.start);
    }

    let keywords: Vec<Keyword> = job_skills
        .iter()
        .map(|js| {
            let u = usage.get(&js.skill).cloned().unwrap_or_default();
            let status = if u.mentions == 0 {
                KeywordStatus::Missing
            } else if u.in_context {
                KeywordStatus::Matched
            } else {
                KeywordStatus::Listed
            };
            Keyword {
                name: js.name.clone(),
                kind: js.kind,
                importance: js.importance,
                job_mentions: js.mentions,
                resume_mentions: u.mentions,
                status,
                matched_as: u.matched_as,
                group: js.group,
            }
        })
        .collect();

    let v3 = variant == Variant::V3;
    let experience = if v3 {
        // Years count the roles that are about this job.
        let hard_at: Vec<usize> = matches
            .iter()
            .filter(|m| {
                job_ids
                    .get(&m.skill)
                    .is_some_and(|(js, _)| js.kind == SkillKind::Hard)
            })
            .map(|m| m.start)
            .collect();
        let relevant = relevant_roles(resume, &profile, &tokens, &stems, &hard_at, &prep.core);
        experience_part(job, &profile, resume, Some(&relevant))
    } else {
        experience_part(job, &profile, resume, None)
    };
    let mut parts = [
        skills_part(
            CategoryId::HardSkills,
            SkillKind::Hard,
            &keywords,
            &credential,
            variant,
        ),
        skills_part(
            CategoryId::SoftSkills,
            SkillKind::Soft,
            &keywords,
            &credential,
            variant,
        ),
        title_part(job, &prep.core, &stems),
        education_part(job, &profile),
        experience,
        sections_part(&profile),
        contact_part(&profile, !v3 || job.wants_link),
        metrics_part(&profile),
        verbs_part(&profile),
        length_part(&profile),
    ];
    if v3 {
        apply_match_gate(&mut parts);
    }

    // Weights of categories that do not apply go to the others, pro rata, so
    // the maxima always sum to 100 and the points sum to the score.
    let w = weights(variant);
    let applicable: f64 = parts
        .iter()
        .zip(&w)
        .filter(|(p, _)| p.fraction.is_some())
        .map(|(_, (_, w))| w)
        .sum();
    let scale = if applicable > 0.0 {
        100.0 / applicable
    } else {
        0.0
    };
    let mut total = 0.0;
    let categories = parts
        .into_iter()
        .zip(w)
        .map(|(p, (id, weight))| {
            debug_assert_eq!(p.id, id);
            let (points, max) = match p.fraction {
                Some(f) => {
                    let max = weight * scale;
                    (f.clamp(0.0, 1.0) * max, max)
                }
                None => (0.0, 0.0),
            };
            total += points;
            Category {
                id,
                label: id.label().to_string(),
                points: round1(points),
                max: round1(max),
                applies: p.fraction.is_some(),
                reasons: p.reasons,
            }
        })
        .collect();

    Evaluation {
        total,
        categories,
        keywords,
        highlights,
        job: JobSummary {
            title: job.title.clone(),
            years_required: job.years_required,
            degree: job.degree,
            degree_field: job.degree_field.clone(),
            required_skills: job_skills
                .iter()
                .filter(|s| s.importance == Importance::Required)
                .count(),
            preferred_skills: job_skills
                .iter()
                .filter(|s| s.importance == Importance::Preferred)
                .count(),
        },
        profile,
    }
}

/// Where the resume names the credential `name` asks ("RN" for "RN
/// License"): the name's words without its licence word, on the first line,
/// in a Licenses/Certifications section or on a line that speaks of a
/// licence, certificate or board.
fn credential_held(
    resume: &str,
    profile: &Profile,
    tokens: &[crate::tokenize::Token],
    name: &str,
) -> Option<(usize, usize)> {
    let core: Vec<String> = tokenize(name)
        .into_iter()
        .map(|t| t.text.into_owned())
        .filter(|w| {
            !matches!(
                w.as_str(),
                "license"
                    | "licence"
                    | "licensure"
                    | "certificate"
                    | "certification"
                    | "certified"
                    | "credential"
                    | "registration"
            )
        })
        .collect();
    if core.is_empty() || core.len() == tokenize(name).len() {
        return None;
    }
    let first_line_end = resume.trim_start().find('\n').map_or(resume.len(), |i| {
        i + (resume.len() - resume.trim_start().len())
    });
    (0..tokens.len()).find_map(|i| {
        let hit = tokens
            .get(i..i + core.len())
            .is_some_and(|w| w.iter().zip(&core).all(|(t, c)| t.text == *c));
        if !hit {
            return None;
        }
        let (start, end) = (tokens[i].start, tokens[i + core.len() - 1].end);
        let line_from = resume[..start].rfind('\n').map_or(0, |p| p + 1);
        let line_to = resume[end..].find('\n').map_or(resume.len(), |p| end + p);
        let line = crate::normalize::lowercase(&resume[line_from..line_to]);
        let ok = start < first_line_end
            || profile.section_at(start) == Some(SectionKind::Certifications)
            || ["licens", "certif", "board of", "compact", "multistate"]
                .iter()
                .any(|w| line.contains(w));
        ok.then_some((start, end))
    })
}

/// Whether a match of one of the job's own terms reads as that term: an
/// acronym must be written in capitals ("PT", not "pt") and in context ("PT
/// (part-time)", "ER diagrams" are other things; see
/// [`crate::skills::Dictionary::acronym_in_context`]).
fn term_in_context(resume: &str, tokens: &[Token], job: &JobAnalysis, m: &SkillMatch) -> bool {
    let k = usize::from(m.skill - crate::terms::EXTRACTED_BASE);
    // Not an acronym, or its expansion written out ("medication therapy
    // management" for "MTM").
    let Some(term) = job.terms.get(k).filter(|t| t.acronym) else {
        return true;
    };
    if m.matched_as.contains(' ') {
        return true;
    }
    let i = tokens.partition_point(|t| t.start < m.start);
    crate::skills::is_capital_acronym(&resume[m.start..m.end])
        && dictionary().acronym_in_context(resume, tokens, i, None, &term.expansion)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A mention counts "in context" inside a bullet or in experience, projects or
/// summary prose; a skills list or a bare line of keywords does not.
fn in_context(profile: &Profile, at: usize) -> bool {
    if profile.bullets.iter().any(|b| b.start <= at && at < b.end) {
        return profile.section_at(at) != Some(SectionKind::Skills);
    }
    matches!(
        profile.section_at(at),
        Some(SectionKind::Experience | SectionKind::Projects | SectionKind::Summary)
    )
}

/// Repetition past this many mentions earns nothing more.
pub const MENTION_CAP: u32 = 2;

/// `credential`: per keyword, whether it is a credential ([`JobPrep`]).
fn skills_part(
    id: CategoryId,
    kind: SkillKind,
    keywords: &[Keyword],
    credential: &[bool],
    variant: Variant,
) -> Part {
    let asked: Vec<&Keyword> = keywords.iter().filter(|k| k.kind == kind).collect();
    let asked_credential: Vec<bool> = keywords
        .iter()
        .zip(credential)
        .filter(|(k, _)| k.kind == kind)
        .map(|(_, &c)| c)
        .collect();
    let noun = if kind == SkillKind::Hard {
        "hard skills"
    } else {
        "soft skills"
    };
    if asked.is_empty() {
        return Part {
            id,
            fraction: None,
            reasons: vec![ok(format!(
                "The job names no {noun} we recognise, so this category does not count."
            ))],
        };
    }
    let mut earned = 0.0;
    let mut possible = 0.0;
    // v3: alternatives ("Python or Go") are one requirement: the group's
    // largest weight, earned at its best member's credit.
    let mut groups: crate::fxhash::FxHashMap<u16, (f64, f64)> = Default::default();
    for (k, &is_credential) in asked.iter().zip(&asked_credential) {
        let (weight, credit) = match variant {
            // Baseline: every keyword the same, present or not.
            Variant::V1 => (1.0, if k.resume_mentions > 0 { 1.0 } else { 0.0 }),
            Variant::V2 | Variant::V3 => {
                let importance = if k.importance == Importance::Required {
                    2.0
                } else {
                    1.0
                };
                // A skill the job repeats matters more, up to +50%.
                let frequency = 1.0 + 0.25 * f64::from(k.job_mentions.saturating_sub(1).min(2));
                // v3: a credential is shown by listing it; a listing is
                // full credit.
                let credential = variant == Variant::V3 && is_credential;
                let context = match k.status {
                    KeywordStatus::Matched => 1.0,
                    KeywordStatus::Listed if credential => 1.0,
                    KeywordStatus::Listed if kind == SkillKind::Soft => 0.8,
                    KeywordStatus::Listed => 0.6,
                    KeywordStatus::Missing => 0.0,
                };
                let repetition = if k.resume_mentions >= MENTION_CAP || credential {
                    1.0
                } else {
                    0.85
                };
                (importance * frequency, context * repetition)
            }
        };
        match k.group {
            Some(g) if variant == Variant::V3 => {
                let e = groups.entry(g).or_insert((0.0, 0.0));
                e.0 = e.0.max(weight);
                e.1 = e.1.max(credit);
            }
            _ => {
                possible += weight;
                earned += weight * credit;
            }
        }
    }
    for (weight, credit) in groups.values() {
        possible += weight;
        earned += weight * credit;
    }
    // A missing alternative whose group is met is not missing anything.
    let met = |k: &&Keyword| {
        variant == Variant::V3
            && k.group.is_some_and(|g| {
                asked
                    .iter()
                    .any(|o| o.group == Some(g) && o.status != KeywordStatus::Missing)
            })
    };
    let mut reasons = Vec::new();
    for importance in [Importance::Required, Importance::Preferred] {
        let group: Vec<&&Keyword> = asked
            .iter()
            .filter(|k| k.importance == importance)
            .collect();
        if group.is_empty() {
            continue;
        }
        let label = if importance == Importance::Required {
            "required"
        } else {
            "preferred"
        };
        let found = group
            .iter()
            .filter(|k| k.status != KeywordStatus::Missing || met(k))
            .count();
        let missing: Vec<&str> = group
            .iter()
            .filter(|k| k.status == KeywordStatus::Missing && !met(k))
            .map(|k| k.name.as_str())
            .collect();
        if missing.is_empty() {
            reasons.push(ok(format!("All {} {label} {noun} found.", group.len())));
        } else {
            reasons.push(Reason {
                ok: found > 0,
                text: format!("{found} of {} {label} {noun} found.", group.len()),
            });
            reasons.push(lost(format!("Missing {label}: {}.", list(&missing, 8))));
        }
    }
    if variant != Variant::V1 {
        let listed: Vec<&str> = asked
            .iter()
            .filter(|k| k.status == KeywordStatus::Listed)
            .map(|k| k.name.as_str())
            .collect();
        if !listed.is_empty() {
            reasons.push(lost(format!(
                "Only listed, not shown in experience (counts {}%): {}.",
                if kind == SkillKind::Hard { 60 } else { 80 },
                list(&listed, 8)
            )));
        }
        if let Some(k) = asked.iter().find(|k| k.resume_mentions > 10) {
            reasons.push(lost(format!(
                "{} appears {} times: past {MENTION_CAP} mentions, repetition earns nothing.",
                k.name, k.resume_mentions
            )));
        }
    }
    // Soft skills: a neutral prior of one preferred skill's weight, so a job
    // that names a single soft skill does not put the whole category on it.
    let prior = if variant != Variant::V1 && kind == SkillKind::Soft {
        1.0
    } else {
        0.0
    };
    Part {
        id,
        fraction: Some((earned + prior) / (possible + prior)),
        reasons,
    }
}

fn list(items: &[&str], max: usize) -> String {
    if items.len() <= max {
        items.join(", ")
    } else {
        format!("{} and {} more", items[..max].join(", "), items.len() - max)
    }
}

const SENIORITY: Words = Words::new(concat!(
    "senior|",
    "sr|",
    "junior|",
    "jr|",
    "lead|",
    "principal|",
    "staff|",
    "head|",
    "chief|",
    "i|",
    "ii|",
    "iii|",
    "iv|",
    "entry|",
    "level|",
    "mid|",
    "associate|",
    "intern|",
    "remote|",
    "hybrid|",
    "m|",
    "f|",
    "d|",
    "x|",
    "w|",
    "and|",
    "of|",
    "the|",
    "a|",
    "an|",
    "for|",
    "to|",
    "in|",
    "at",
));

/// The title as a person would write it in a headline: without parenthesised
/// asides or a location after a comma, bar, "@" or " - ".
pub fn display_title(title: &str) -> String {
    let mut depth = 0u32;
    let cleaned: String = title
        .chars()
        .map(|c| match c {
            '(' | '[' => {
                depth += 1;
                ' '
            }
            ')' | ']' => {
                depth = depth.saturating_sub(1);
                ' '
            }
            _ if depth > 0 => ' ',
            _ => c,
        })
        .collect();
    let cleaned = cleaned.split([',', '|', '@']).next().unwrap_or("");
    let cleaned = cleaned.split(" - ").next().unwrap_or("");
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The core of a job title: its words without seniority, parentheses or location.
pub fn core_title(title: &str) -> Vec<String> {
    tokenize(&display_title(title))
        .into_iter()
        .filter(|t| !SENIORITY.contains(&t.text.as_ref()))
        .map(|t| stem(&t.text).into_owned())
        .collect()
}

/// `core`: the title's [`core_title`].
fn title_part(job: &JobAnalysis, core: &[String], resume_stems: &[Cow<str>]) -> Part {
    let id = CategoryId::JobTitle;
    let Some(title) = &job.title else {
        return Part {
            id,
            fraction: None,
            reasons: vec![ok(
                "No job title found in the description, so this does not count.",
            )],
        };
    };
    if core.is_empty() {
        return Part {
            id,
            fraction: None,
            reasons: vec![ok(
                "The job title has no words to compare, so this does not count.",
            )],
        };
    }
    let phrase = resume_stems.windows(core.len()).any(|w| w == core);
    if phrase {
        return Part {
            id,
            fraction: Some(1.0),
            reasons: vec![ok(format!("Your resume uses the job title “{title}”."))],
        };
    }
    let found = core
        .iter()
        .filter(|w| resume_stems.iter().any(|s| s == *w))
        .count();
    let fraction = 0.5 * found as f64 / core.len() as f64;
    Part {
        id,
        fraction: Some(fraction),
        reasons: vec![lost(format!(
            "The job title “{title}” does not appear as a phrase ({found} of {} title words found).",
            core.len()
        ))],
    }
}

fn degree_name(d: DegreeLevel) -> &'static str {
    match d {
        DegreeLevel::Associate => "an associate degree",
        DegreeLevel::Bachelor => "a bachelor's degree",
        DegreeLevel::Master => "a master's degree",
        DegreeLevel::Doctorate => "a doctorate",
    }
}

/// A neutral example of a degree written in full, in the job's field when it
/// names one ("Bachelor of Science in Accounting"), never another profession's.
fn degree_example(asked: DegreeLevel, field: Option<&str>) -> String {
    let name = match asked {
        DegreeLevel::Associate => "Associate of Applied Science",
        DegreeLevel::Bachelor => "Bachelor of Science",
        DegreeLevel::Master => "Master of Science",
        DegreeLevel::Doctorate => "Doctor of Philosophy",
    };
    match field {
        Some(f) => format!("{name} in {f}"),
        None => format!("{name} in (your field)"),
    }
}

fn education_part(job: &JobAnalysis, p: &Profile) -> Part {
    let id = CategoryId::Education;
    let Some(asked) = job.degree else {
        return Part {
            id,
            fraction: None,
            reasons: vec![ok("The job asks for no degree, so this does not count.")],
        };
    };
    let asked_text = match &job.degree_field {
        Some(field) => format!("{} in {field}", degree_name(asked)),
        None => degree_name(asked).to_string(),
    };
    let (fraction, reason) = match p.degree {
        Some(have) if have >= asked => (
            1.0,
            ok(format!(
                "The job asks for {asked_text}; your resume shows {}.",
                degree_name(have)
            )),
        ),
        Some(have) => (
            0.4,
            lost(format!(
                "The job asks for {asked_text}; your resume shows {}.",
                degree_name(have)
            )),
        ),
        None => (
            0.0,
            lost(format!(
                "The job asks for {asked_text}; no degree found (write its full name under Education, e.g. “{}”).",
                degree_example(asked, job.degree_field.as_deref())
            )),
        ),
    };
    Part {
        id,
        fraction: Some(fraction),
        reasons: vec![reason],
    }
}

/// The share of the job-independent categories a resume keeps in v3, from
/// how well it matches the job: its hard-skill fraction (or, for a job that
/// names no hard skill, its title fraction). Below 15% nothing is kept; from
/// 60% everything is; linear between. A resume for another job keeps little
/// of what headings, contact details, bullets and length would earn.
pub fn match_gate(matched: f64) -> f64 {
    ((matched - 0.15) / 0.45).clamp(0.0, 1.0)
}

/// Categories whose points any well-written resume earns whatever the job.
const GATED: [CategoryId; 7] = [
    CategoryId::SoftSkills,
    CategoryId::Education,
    CategoryId::Sections,
    CategoryId::Contact,
    CategoryId::MeasurableResults,
    CategoryId::ActionVerbs,
    CategoryId::Length,
];

fn apply_match_gate(parts: &mut [Part]) {
    let fraction_of = |id: CategoryId| parts.iter().find(|p| p.id == id).and_then(|p| p.fraction);
    let Some(matched) =
        fraction_of(CategoryId::HardSkills).or_else(|| fraction_of(CategoryId::JobTitle))
    else {
        return;
    };
    let gate = match_gate(matched);
    if gate >= 1.0 {
        return;
    }
    for p in parts.iter_mut().filter(|p| GATED.contains(&p.id)) {
        if let Some(f) = p.fraction.as_mut() {
            *f *= gate;
            p.reasons.push(lost(format!(
                "Counts {}% here: the resume matches {}% of what the job asks, and a well-made resume for another job is not a match.",
                crate::whole(gate * 100.0),
                crate::whole(matched * 100.0)
            )));
        }
    }
}

/// The dated roles that are about this job: their block of text (the line
/// above the dates, the dates, and everything up to the next role) mentions
/// one of the job's hard skills (`hard_at`: where they were matched) or at
/// least half of the job title's core words (`core`, stemmed).
fn relevant_roles(
    resume: &str,
    p: &Profile,
    tokens: &[crate::tokenize::Token],
    stems: &[Cow<str>],
    hard_at: &[usize],
    core: &[String],
) -> Vec<crate::profile::DateRange> {
    let mut roles: Vec<&crate::profile::DateRange> = p.roles.iter().collect();
    roles.sort_by_key(|r| r.at);
    // A block starts at the line above the dates when that line has text
    // (a title written above its dates).
    let block_start = |at: usize| -> usize {
        let before = &resume[..at.min(resume.len())];
        let Some(prev_end) = before.strip_suffix('\n') else {
            return at;
        };
        let prev_start = prev_end.rfind('\n').map_or(0, |i| i + 1);
        if prev_end[prev_start..].trim().is_empty() {
            at
        } else {
            prev_start
        }
    };
    let starts: Vec<usize> = roles.iter().map(|r| block_start(r.at)).collect();
    let mut out = Vec::new();
    for (i, r) in roles.iter().enumerate() {
        let start = starts[i];
        let end = starts
            .get(i + 1)
            .copied()
            .filter(|&e| e > start)
            .unwrap_or_else(|| {
                p.sections
                    .iter()
                    .find(|s| s.start <= r.at && r.at < s.end)
                    .map_or(resume.len(), |s| s.end)
            });
        let skill = hard_at.iter().any(|&a| start <= a && a < end);
        let title = !core.is_empty() && {
            let in_block: Vec<&Cow<str>> = tokens
                .iter()
                .zip(stems)
                .filter(|(t, _)| start <= t.start && t.start < end)
                .map(|(_, s)| s)
                .collect();
            let found = core
                .iter()
                .filter(|w| in_block.iter().any(|s| *s == *w))
                .count();
            found * 2 >= core.len()
        };
        if skill || title {
            out.push(**r);
        }
    }
    out
}

fn experience_part(
    job: &JobAnalysis,
    p: &Profile,
    resume: &str,
    relevant: Option<&[crate::profile::DateRange]>,
) -> Part {
    let id = CategoryId::Experience;
    let Some(asked) = job.years_required else {
        return Part {
            id,
            fraction: None,
            reasons: vec![ok(
                "The job asks for no number of years, so this does not count.",
            )],
        };
    };
    // Dates that could not be read are named, never silently dropped.
    let unread = p.unread_dates.first().map(|&(start, end)| {
        let line: String = resume
            .get(start..end)
            .unwrap_or("")
            .chars()
            .take(60)
            .collect();
        let n = p.unread_dates.len();
        lost(format!(
            "{n} date range{} could not be read (“{}”); write dates like “Mar 2021 – Present”.",
            if n == 1 { "" } else { "s" },
            line.trim()
        ))
    });
    let months = relevant.map_or(p.experience_months, crate::profile::months_covered);
    let years = f64::from(months) / 12.0;
    if p.roles.is_empty() {
        let mut reasons = vec![lost(format!(
            "The job asks for {asked}+ years; no dated roles found (write dates like “Mar 2021 – Present”)."
        ))];
        reasons.extend(unread);
        return Part {
            id,
            fraction: Some(0.0),
            reasons,
        };
    }
    let fraction = (years / f64::from(asked.max(1))).min(1.0);
    let reason = match relevant {
        Some(r) => format!(
            "The job asks for {asked}+ years; your roles about this job ({} of {}) cover {} years.",
            r.len(),
            p.roles.len(),
            crate::tenths(years)
        ),
        None => format!(
            "The job asks for {asked}+ years; your dated roles cover {} years.",
            crate::tenths(years)
        ),
    };
    let mut reasons = vec![if fraction >= 1.0 {
        ok(reason)
    } else {
        lost(reason)
    }];
    reasons.extend(unread);
    Part {
        id,
        fraction: Some(fraction),
        reasons,
    }
}

fn sections_part(p: &Profile) -> Part {
    let id = CategoryId::Sections;
    let wanted = [
        (SectionKind::Experience, 3.0, "Experience"),
        (SectionKind::Education, 2.0, "Education"),
        (SectionKind::Skills, 2.0, "Skills"),
        (SectionKind::Summary, 1.0, "Summary"),
    ];
    let mut earned = 0.0;
    let mut reasons = Vec::new();
    let mut missing = Vec::new();
    for (kind, w, name) in wanted {
        if p.has_section(kind) {
            earned += w;
        } else {
            missing.push(name);
        }
    }
    let found: Vec<&str> = wanted
        .iter()
        .filter(|(k, _, _)| p.has_section(*k))
        .map(|(_, _, n)| *n)
        .collect();
    if !found.is_empty() {
        reasons.push(ok(format!("Found: {}.", found.join(", "))));
    }
    if !missing.is_empty() {
        reasons.push(lost(format!(
            "No heading found for: {} (ATS parsers look for standard headings).",
            missing.join(", ")
        )));
    }
    Part {
        id,
        fraction: Some(earned / 8.0),
        reasons,
    }
}

/// Contact details; `link` says whether a GitHub or portfolio link counts
/// (always in v1/v2; in v3 only for jobs that show work that way).
fn contact_part(p: &Profile, link: bool) -> Part {
    let c = &p.contact;
    let all = [
        (c.email, 2.0, "email"),
        (c.phone, 1.5, "phone"),
        (p.location, 1.0, "location"),
        (c.linkedin, 1.0, "LinkedIn"),
        (c.github || c.portfolio, 0.5, "GitHub or portfolio link"),
    ];
    let items = if link { &all[..] } else { &all[..4] };
    let possible: f64 = items.iter().map(|i| i.1).sum();
    let earned: f64 = items.iter().filter(|i| i.0).map(|i| i.1).sum();
    let have: Vec<&str> = items.iter().filter(|i| i.0).map(|i| i.2).collect();
    let missing: Vec<&str> = items.iter().filter(|i| !i.0).map(|i| i.2).collect();
    let mut reasons = Vec::new();
    if !have.is_empty() {
        reasons.push(ok(format!("Found: {}.", have.join(", "))));
    }
    if !missing.is_empty() {
        reasons.push(lost(format!("Missing: {}.", missing.join(", "))));
    }
    Part {
        id: CategoryId::Contact,
        fraction: Some(earned / possible),
        reasons,
    }
}

/// Bullets with a number wanted: three, or 30% of bullets if that is more.
pub fn metrics_target(bullets: usize) -> usize {
    3.max((bullets * 3).div_ceil(10))
}

fn metrics_part(p: &Profile) -> Part {
    let id = CategoryId::MeasurableResults;
    let n = p.bullets.iter().filter(|b| b.has_metric).count();
    if p.bullets.is_empty() {
        return Part {
            id,
            fraction: Some(0.0),
            reasons: vec![lost(
                "No bullet points found: describe each role in bullets with results.",
            )],
        };
    }
    let target = metrics_target(p.bullets.len());
    let fraction = (n as f64 / target as f64).min(1.0);
    let text = format!(
        "{n} of {} bullets show a measurable result (number, %, $); {target} wanted.",
        p.bullets.len()
    );
    Part {
        id,
        fraction: Some(fraction),
        reasons: vec![if n >= target { ok(text) } else { lost(text) }],
    }
}

/// The share of bullets that should open with an action verb for full points.
pub const VERB_SHARE: f64 = 0.6;

fn verbs_part(p: &Profile) -> Part {
    let id = CategoryId::ActionVerbs;
    if p.bullets.is_empty() {
        return Part {
            id,
            fraction: Some(0.0),
            reasons: vec![lost("No bullet points found to start with action verbs.")],
        };
    }
    let strong = p
        .bullets
        .iter()
        .filter(|b| b.opening == Opening::Strong)
        .count();
    let weak = p
        .bullets
        .iter()
        .filter(|b| b.opening == Opening::Weak)
        .count();
    let share = strong as f64 / p.bullets.len() as f64;
    let fraction = (share / VERB_SHARE).min(1.0);
    let mut reasons = vec![Reason {
        ok: fraction >= 1.0,
        text: format!(
            "{strong} of {} bullets start with an action verb.",
            p.bullets.len()
        ),
    }];
    if weak > 0 {
        reasons.push(lost(format!(
            "{weak} start with a duty phrase (“Responsible for”, “Worked on”, “Helped”)."
        )));
    }
    Part {
        id,
        fraction: Some(fraction),
        reasons,
    }
}

fn length_part(p: &Profile) -> Part {
    let n = p.word_count;
    let (fraction, text): (f64, String) = match n {
        400..=1000 => (1.0, format!("{n} words: a good length (400–1,000).")),
        250..=399 => (
            0.67,
            format!("{n} words: short; 400–1,000 reads as complete."),
        ),
        1001..=1400 => (0.67, format!("{n} words: long; aim for 400–1,000.")),
        150..=249 => (
            0.33,
            format!("{n} words: too short to show your experience."),
        ),
        1401..=2000 => (0.33, format!("{n} words: too long for a quick read.")),
        _ => (
            0.0,
            format!("{n} words: far from the 400–1,000 recruiters expect."),
        ),
    };
    let mut reasons = vec![Reason {
        ok: fraction >= 1.0,
        text,
    }];
    let mut fraction = fraction;
    if let Some((word, times)) = p.repeated.first() {
        fraction = (fraction - 1.0 / 3.0).max(0.0);
        reasons.push(lost(format!(
            "“{word}” is used {times} times; repeated words read as filler."
        )));
    }
    Part {
        id: CategoryId::Length,
        fraction: Some(fraction),
        reasons,
    }
}
