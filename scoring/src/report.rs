//! The report shape both variants return, serialised as-is by the CLI (`--json`)
//! and read by the page.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{
    job::{DegreeLevel, Importance},
    resume::SectionKind,
    skills::SkillKind,
};

/// The scoring algorithm variant, for the A/B experiment on scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    /// Baseline: keyword overlap on stems, equal category weights.
    V1,
    /// The full algorithm: weighted categories, required vs preferred, context.
    #[default]
    V2,
    /// v2 plus a score that means "match": job-independent qualities count
    /// only as far as the resume matches the job's skills, years count only
    /// roles relevant to the job, and the contact advice fits the profession.
    V3,
}

impl Variant {
    pub const ALL: [Variant; 3] = [Variant::V1, Variant::V2, Variant::V3];

    pub fn name(self) -> &'static str {
        match self {
            Variant::V1 => "v1",
            Variant::V2 => "v2",
            Variant::V3 => "v3",
        }
    }

    /// The algorithm version reported with every score.
    pub fn algorithm(self) -> &'static str {
        match self {
            Variant::V1 => "v1.0",
            Variant::V2 => "v2.0",
            Variant::V3 => "v3.0",
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Variant {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "v1" => Ok(Variant::V1),
            "v2" => Ok(Variant::V2),
            "v3" => Ok(Variant::V3),
            other => Err(format!("unknown variant {other:?}: expected v1, v2 or v3")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryId {
    HardSkills,
    SoftSkills,
    JobTitle,
    Education,
    Experience,
    Sections,
    Contact,
    MeasurableResults,
    ActionVerbs,
    Length,
}

impl CategoryId {
    pub fn label(self) -> &'static str {
        match self {
            CategoryId::HardSkills => "Hard skills",
            CategoryId::SoftSkills => "Soft skills",
            CategoryId::JobTitle => "Job title",
            CategoryId::Education => "Education",
            CategoryId::Experience => "Years of experience",
            CategoryId::Sections => "Sections",
            CategoryId::Contact => "Contact details",
            CategoryId::MeasurableResults => "Measurable results",
            CategoryId::ActionVerbs => "Action verbs",
            CategoryId::Length => "Length",
        }
    }
}

/// One line of explanation: what earned (`ok`) or lost points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub ok: bool,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub label: String,
    /// Points earned, rounded to one decimal.
    pub points: f64,
    /// The category's weight in this report; 0 when it does not apply.
    pub max: f64,
    /// False when the job gives nothing to compare (no degree asked, …); its
    /// weight then goes to the other categories.
    pub applies: bool,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeywordStatus {
    /// Used in experience, projects or summary text.
    Matched,
    /// Only in a skills list or a bare keyword line.
    Listed,
    Missing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyword {
    pub name: String,
    pub kind: SkillKind,
    pub importance: Importance,
    pub job_mentions: u32,
    pub resume_mentions: u32,
    pub status: KeywordStatus,
    /// The resume's own word for it when it differs from the name ("js").
    pub matched_as: Option<String>,
    /// Keywords the job offers as alternatives ("Python or Go") share a group
    /// number; in v3 the group is one requirement, met by either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<u16>,
}

/// A matched keyword's place in the normalised resume text (byte range).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    pub start: usize,
    pub end: usize,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecommendationKind {
    AddSkill,
    ShowSkillInContext,
    AlignTitle,
    AddSection,
    AddContact,
    AddMetrics,
    UseActionVerbs,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub kind: RecommendationKind,
    /// What to do, short ("Add Kubernetes").
    pub title: String,
    /// Why and how.
    pub detail: String,
    /// Where in the resume.
    pub section: Option<SectionKind>,
    /// Points the score gains if this is done: the re-scored total minus the
    /// current total, both as shown (whole points).
    pub gain: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobSummary {
    pub title: Option<String>,
    pub years_required: Option<u32>,
    pub degree: Option<DegreeLevel>,
    pub degree_field: Option<String>,
    pub required_skills: usize,
    pub preferred_skills: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResumeSummary {
    pub word_count: usize,
    pub sections: Vec<SectionKind>,
    pub bullets: usize,
    pub bullets_with_metrics: usize,
    pub bullets_with_action_verbs: usize,
    /// Years covered by dated roles, one decimal.
    pub experience_years: f64,
    /// Experience lines whose date range could not be read (named in the
    /// experience reasons, not dropped silently).
    #[serde(default)]
    pub unread_dates: usize,
    pub degree: Option<DegreeLevel>,
    pub repeated_words: Vec<(String, u32)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub variant: Variant,
    /// The algorithm version, e.g. `"v2.0"`.
    pub algorithm: String,
    /// 0–100: the sum of the categories' points, rounded.
    pub score: u32,
    pub categories: Vec<Category>,
    /// The job's skills, required first, then by how often the job names them.
    pub keywords: Vec<Keyword>,
    pub highlights: Vec<Highlight>,
    /// Sorted by gain, largest first.
    pub recommendations: Vec<Recommendation>,
    pub job: JobSummary,
    pub resume: ResumeSummary,
}

impl Report {
    pub fn category(&self, id: CategoryId) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    pub fn missing_keywords(&self) -> impl Iterator<Item = &Keyword> {
        self.keywords
            .iter()
            .filter(|k| k.status == KeywordStatus::Missing)
    }
}

/// Why no score could be computed; the message is written for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum InputProblem {
    EmptyResume,
    EmptyJob,
    TooLong {
        field: String,
        chars: usize,
        max: usize,
    },
}

impl InputProblem {
    pub fn message(&self) -> String {
        match self {
            InputProblem::EmptyResume => "Paste your resume to see your score.".into(),
            InputProblem::EmptyJob => {
                "Paste the job description to compare your resume against it.".into()
            }
            InputProblem::TooLong { field, chars, max } => format!(
                "The {field} is {chars} characters long; the limit is {max}. Remove repeated or pasted-in material."
            ),
        }
    }
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for InputProblem {}
