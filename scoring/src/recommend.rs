//! Recommendations ranked by what they are worth: each candidate change is
//! applied to the resume text and the result re-scored (what-if), so the gain
//! shown is exactly the difference the change makes to the score.

use crate::{
    job::{Importance, JobAnalysis, TermSort, term_sort},
    profile::{MonthIndex, Opening},
    report::{KeywordStatus, Recommendation, RecommendationKind, Variant},
    resume::SectionKind,
    score::{Evaluation, JobPrep, core_title, display_title, evaluate_prepared, metrics_target},
};

/// At most this many recommendations are returned.
pub const MAX_RECOMMENDATIONS: usize = 10;
const MAX_SKILL_CANDIDATES: usize = 12;

/// A candidate: the advice and the edited resume it stands for.
struct Candidate {
    kind: RecommendationKind,
    title: String,
    detail: String,
    section: Option<SectionKind>,
    edited: String,
}

/// Recommendations for `base` (the evaluation of `resume`), sorted by gain,
/// largest first; only changes that gain at least one point are kept.
pub fn recommend(
    resume: &str,
    base: &Evaluation,
    job: &JobAnalysis,
    variant: Variant,
    today: Option<MonthIndex>,
) -> Vec<Recommendation> {
    let prep = JobPrep::new(job, variant == Variant::V3);
    recommend_prepared(resume, base, job, &prep, variant, today)
}

/// [`recommend`] with the job's [`JobPrep`] at hand.
pub(crate) fn recommend_prepared(
    resume: &str,
    base: &Evaluation,
    job: &JobAnalysis,
    prep: &JobPrep,
    variant: Variant,
    today: Option<MonthIndex>,
) -> Vec<Recommendation> {
    let base_score = base.score();
    let mut out: Vec<(usize, Recommendation)> = candidates(resume, base, job)
        .into_iter()
        .enumerate()
        .filter_map(|(order, c)| {
            let after = evaluate_prepared(&c.edited, job, prep, variant, today).score();
            let gain = after.saturating_sub(base_score);
            (gain >= 1).then_some((
                order,
                Recommendation {
                    kind: c.kind,
                    title: c.title,
                    detail: c.detail,
                    section: c.section,
                    gain,
                },
            ))
        })
        .collect();
    out.sort_by(|(oa, a), (ob, b)| b.gain.cmp(&a.gain).then(oa.cmp(ob)));
    out.into_iter()
        .map(|(_, r)| r)
        .take(MAX_RECOMMENDATIONS)
        .collect()
}

/// The edited resume for each candidate change, in a stable order (ties in gain
/// keep this order: skills first, required before preferred).
fn candidates(resume: &str, base: &Evaluation, job: &JobAnalysis) -> Vec<Candidate> {
    let p = &base.profile;
    let mut out = Vec::new();
    let experience = p
        .sections
        .iter()
        .find(|s| s.kind == SectionKind::Experience);

    let mut missing = 0;
    let mut listed = 0;
    for k in &base.keywords {
        let importance = match k.importance {
            Importance::Required => "required",
            Importance::Preferred => "preferred",
        };
        let mentions = if k.job_mentions == 1 {
            "once".to_string()
        } else {
            format!("{} times", k.job_mentions)
        };
        match k.status {
            KeywordStatus::Missing if missing < MAX_SKILL_CANDIDATES => {
                missing += 1;
                let sort = term_sort(&k.name, k.kind);
                let name = &k.name;
                // The advice and its example depend on the sort of term, so
                // they read naturally in every profession.
                let (how, edited) = match sort {
                    TermSort::Credential if !crate::job::degrees(name, false).is_empty() => (
                        format!(
                            "If you hold it, name it under your “Education” heading with the school and year, e.g. “{name}, … University, 2020”."
                        ),
                        add_credential(resume, p, name),
                    ),
                    TermSort::Credential => (
                        format!(
                            "If you hold it, list it under a “Licenses & Certifications” heading with the issuer, state and expiry date, e.g. “{name}, active, expires 2027”."
                        ),
                        add_credential(resume, p, name),
                    ),
                    TermSort::Tool => (
                        format!(
                            "If it is true of you, show it in an experience bullet, e.g. “Used {name} to …” with what it achieved."
                        ),
                        add_bullet(
                            resume,
                            experience.map(|s| s.end),
                            &format!("Delivered work using {name}"),
                        ),
                    ),
                    TermSort::Practice => (
                        format!(
                            "If it is true of you, show it in an experience bullet that says what you did, for whom and how often, naming {name}."
                        ),
                        add_bullet(
                            resume,
                            experience.map(|s| s.end),
                            &format!("Delivered work using {name}"),
                        ),
                    ),
                    TermSort::Soft => (
                        format!(
                            "If it is true of you, show it in an experience bullet, e.g. a bullet that shows {} in action.",
                            name.to_lowercase()
                        ),
                        add_bullet(
                            resume,
                            experience.map(|s| s.end),
                            &format!("Showed {name} leading work with other teams"),
                        ),
                    ),
                };
                let section = if sort == TermSort::Credential {
                    Some(SectionKind::Certifications)
                } else {
                    Some(SectionKind::Experience)
                };
                out.push(Candidate {
                    kind: RecommendationKind::AddSkill,
                    title: format!("Add {name}"),
                    detail: format!(
                        "The job names {name} ({importance}, {mentions}). {how} Only claim what you can talk about."
                    ),
                    section,
                    edited,
                });
            }
            // A credential is shown by listing it, never "in a bullet".
            KeywordStatus::Listed
                if listed < MAX_SKILL_CANDIDATES / 2
                    && term_sort(&k.name, k.kind) != TermSort::Credential =>
            {
                listed += 1;
                out.push(Candidate {
                    kind: RecommendationKind::ShowSkillInContext,
                    title: format!("Show {} in an experience bullet", k.name),
                    detail: format!(
                        "{} is only in a list; ATS and recruiters weigh a skill more when a bullet shows what you did with it ({importance} in the job, {mentions}).",
                        k.name
                    ),
                    section: Some(SectionKind::Experience),
                    edited: add_bullet(
                        resume,
                        experience.map(|s| s.end),
                        &format!("Delivered work using {}", k.name),
                    ),
                });
            }
            _ => {}
        }
    }

    if let Some(title) = &job.title {
        let display = display_title(title);
        if !display.is_empty() && !core_title(title).is_empty() {
            out.push(Candidate {
                kind: RecommendationKind::AlignTitle,
                title: format!("Use the job title “{display}”"),
                detail: "Put the exact title in your headline under your name or in your summary, if it fits your experience: ATS searches and recruiters match on it.".into(),
                section: Some(SectionKind::Summary),
                edited: insert_after_first_line(resume, &display),
            });
        }
    }

    let sections: [(SectionKind, &str, &str); 4] = [
        (SectionKind::Experience, "EXPERIENCE", "Experience"),
        (SectionKind::Skills, "SKILLS", "Skills"),
        (SectionKind::Education, "EDUCATION", "Education"),
        (SectionKind::Summary, "SUMMARY", "Summary"),
    ];
    for (kind, heading, name) in sections {
        if p.has_section(kind) {
            continue;
        }
        let edited = match kind {
            SectionKind::Experience => match p.bullets.first() {
                // Put the heading above the first bullet's role.
                Some(b) => insert_line_before(resume, line_start(resume, b.start), heading),
                None => format!(
                    "{}\n\n{heading}\nRole, Company, Mar 2021 - Present\n",
                    resume.trim_end()
                ),
            },
            SectionKind::Skills => {
                let have: Vec<&str> = base
                    .keywords
                    .iter()
                    .filter(|k| k.status != KeywordStatus::Missing)
                    .map(|k| k.name.as_str())
                    .collect();
                format!("{}\n\n{heading}\n{}\n", resume.trim_end(), have.join(", "))
            }
            SectionKind::Education => {
                format!("{}\n\n{heading}\nDegree, School, Year\n", resume.trim_end())
            }
            _ => insert_after_first_line(resume, &format!("{heading}\nWho you are in two lines.")),
        };
        out.push(Candidate {
            kind: RecommendationKind::AddSection,
            title: format!("Add {} “{name}” heading", article(name)),
            detail: format!(
                "ATS parsers file your text under standard headings; without “{name}” its content may be missed or misfiled."
            ),
            section: Some(kind),
            edited,
        });
    }

    let c = &p.contact;
    let contact: [(bool, &str, &str); 5] = [
        (c.email, "email address", "you@example.com"),
        (c.phone, "phone number", "+1 555 010 0100"),
        (p.location, "location (city, country)", "Berlin, Germany"),
        (c.linkedin, "LinkedIn URL", "linkedin.com/in/your-name"),
        (
            c.github || c.portfolio,
            "GitHub or portfolio link",
            "github.com/your-name",
        ),
    ];
    for (have, what, example) in contact {
        if have {
            continue;
        }
        out.push(Candidate {
            kind: RecommendationKind::AddContact,
            title: format!("Add your {what}"),
            detail: format!(
                "Put it on the contact line under your name, as plain text (not in a header image), e.g. “{example}”."
            ),
            section: None,
            edited: insert_after_first_line(resume, example),
        });
    }

    let without: Vec<_> = p.bullets.iter().filter(|b| !b.has_metric).collect();
    let have = p.bullets.len() - without.len();
    let target = metrics_target(p.bullets.len());
    if !p.bullets.is_empty() && have < target && !without.is_empty() {
        let k = (target - have).min(without.len());
        let mut edited = resume.to_string();
        // Back to front, so earlier byte offsets stay valid.
        for b in without[..k].iter().rev() {
            edited.insert_str(b.end, ", improving it by 20%");
        }
        out.push(Candidate {
            kind: RecommendationKind::AddMetrics,
            title: format!("Add a measurable result to {k} more bullet{}", plural(k)),
            detail: format!(
                "Say how much, how many or how fast: a number, %, $ or time saved. Start with “{}”.",
                excerpt(&resume[without[0].start..without[0].end])
            ),
            section: without[0].section,
            edited,
        });
    }

    let not_strong: Vec<_> = p
        .bullets
        .iter()
        .filter(|b| b.opening != Opening::Strong)
        .collect();
    let strong = p.bullets.len() - not_strong.len();
    let wanted = (p.bullets.len() as f64 * crate::score::VERB_SHARE).ceil() as usize;
    if strong < wanted && !not_strong.is_empty() {
        let k = (wanted - strong).min(not_strong.len());
        let mut edited = resume.to_string();
        for b in not_strong[..k].iter().rev() {
            let body = &resume[b.start..b.end];
            let first_word_end = body
                .find(char::is_whitespace)
                .map_or(b.end, |i| b.start + i);
            edited.replace_range(b.start..first_word_end, "Led");
        }
        out.push(Candidate {
            kind: RecommendationKind::UseActionVerbs,
            title: format!("Start {k} more bullet{} with an action verb", plural(k)),
            detail: format!(
                "Open with what you did — Led, Built, Cut, Launched — instead of “Responsible for” or “Worked on”. Start with “{}”.",
                excerpt(&resume[not_strong[0].start..not_strong[0].end])
            ),
            section: not_strong[0].section,
            edited,
        });
    }
    out
}

/// "a" or "an" by the sound of the word that follows ("an Education", "a
/// Skills", "an MBA", "a Uniform").
pub fn article(word: &str) -> &'static str {
    let lower = word.to_lowercase();
    let first = lower.chars().next().unwrap_or('x');
    // Letters read by name that start with a vowel sound ("an RN", "an MBA").
    let acronym = word.len() > 1 && word.chars().all(|c| c.is_ascii_uppercase());
    let vowel_sound = if acronym {
        "aefhilmnorsx".contains(first)
    } else {
        "aeio".contains(first)
            || (first == 'u' && !lower.starts_with("uni") && !lower.starts_with("use"))
            || lower.starts_with("hour")
            || lower.starts_with("honest")
    };
    if vowel_sound { "an" } else { "a" }
}

/// The resume with a credential listed under its Licenses/Certifications
/// heading (added at the end when it has none).
fn add_credential(resume: &str, p: &crate::profile::Profile, name: &str) -> String {
    match p
        .sections
        .iter()
        .find(|s| s.kind == SectionKind::Certifications)
    {
        Some(s) => {
            let at = s.end.min(resume.len());
            let before = resume[..at].trim_end_matches(['\n', ' ']);
            let after = &resume[at..];
            format!(
                "{before}\n{name}\n{}{after}",
                if after.is_empty() { "" } else { "\n" }
            )
        }
        None => format!(
            "{}\n\nLICENSES & CERTIFICATIONS\n{name}\n",
            resume.trim_end()
        ),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The first words of a bullet, for pointing at it.
fn excerpt(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 8 {
        words.join(" ")
    } else {
        format!("{}…", words[..8].join(" "))
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text.get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |p| p + 1)
}

fn insert_line_before(text: &str, at: usize, line: &str) -> String {
    let at = line_start(text, at);
    format!("{}{line}\n{}", &text[..at], &text[at..])
}

/// A new line right after the first non-empty line (the name).
fn insert_after_first_line(text: &str, line: &str) -> String {
    let mut offset = 0;
    for l in text.split_inclusive('\n') {
        offset += l.len();
        if !l.trim().is_empty() {
            let sep = if l.ends_with('\n') { "" } else { "\n" };
            return format!("{}{sep}{line}\n{}", &text[..offset], &text[offset..]);
        }
    }
    format!("{line}\n{text}")
}

/// A new bullet at `at` (the end of the experience section), or at the end.
fn add_bullet(text: &str, at: Option<usize>, line: &str) -> String {
    let at = at.unwrap_or(text.len()).min(text.len());
    let before = text[..at].trim_end_matches(['\n', ' ']);
    let after = &text[at..];
    format!(
        "{before}\n• {line}\n{}{after}",
        if after.is_empty() { "" } else { "\n" }
    )
}
