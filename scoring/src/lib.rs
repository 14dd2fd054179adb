//! The ATS scoring engine: resume text and job description in, explained report out.
//!
//! Pure: no I/O, no Leptos, no clock, so the same code runs natively (CLI, tests,
//! benchmarks) and in the browser as WebAssembly, and the same input always gives
//! the same report. See `docs/scoring.md` for the design.
//!
//! ```
//! let report = scoring::score(
//!     "Alex\nEXPERIENCE\n• Built services in Rust and Go",
//!     "Backend Engineer\nRequirements: Rust, Kubernetes",
//!     scoring::Variant::V2,
//! )
//! .unwrap();
//! assert!(report.score <= 100);
//! assert!(report.missing_keywords().any(|k| k.name == "Kubernetes"));
//! ```

mod fxhash;
pub mod job;
pub mod normalize;
pub mod profile;
pub mod recommend;
pub mod report;
pub mod resume;
pub mod score;
pub mod skills;
pub mod stem;
pub mod terms;
pub mod tokenize;
mod words;

pub use profile::{MonthIndex, month_index};

#[cfg(test)]
mod format_tests {
    use super::*;

    #[test]
    fn formats_tenths_and_whole_numbers_like_the_float_formatter() {
        // Ties aside (the float formatter rounds exact halves to even), the same.
        for x in [
            0.0, 3.26, 3.31, 10.04, 99.94, -0.26, 1234.56, 0.049, 7.0, 326.7,
        ] {
            assert_eq!(tenths(x), format!("{x:.1}").replace("-0.0", "0.0"), "{x}");
            assert_eq!(whole(x), format!("{x:.0}").replace("-0", "0"), "{x}");
        }
    }
}
pub use report::{
    Category, CategoryId, Highlight, InputProblem, Keyword, KeywordStatus, Reason, Recommendation,
    RecommendationKind, Report, Variant,
};

/// Inputs longer than this many characters are refused (a resume is ~5,000).
pub const MAX_CHARS: usize = 100_000;

/// How to score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    pub variant: Variant,
    /// The current month, for roles that end "Present". Without it, the latest
    /// date the resume mentions stands in (the engine never reads a clock).
    pub today: Option<MonthIndex>,
}

/// Scores a resume against a job description.
pub fn score(resume: &str, job: &str, variant: Variant) -> Result<Report, InputProblem> {
    score_with(
        resume,
        job,
        Options {
            variant,
            today: None,
        },
    )
}

/// [`score`] with all options.
pub fn score_with(resume: &str, job: &str, options: Options) -> Result<Report, InputProblem> {
    let (resume, job) = prepare(resume, job)?;
    let eval = job.evaluate(&resume, options);
    let recommendations = job.recommend(&resume, &eval, options);
    Ok(into_report(eval, recommendations, options.variant))
}

/// The report without recommendations: one evaluation, so the page can show
/// the score at once and rank the what-if changes ([`recommendations`]) next.
pub fn score_only(resume: &str, job: &str, options: Options) -> Result<Report, InputProblem> {
    let (resume, job) = prepare(resume, job)?;
    let eval = job.evaluate(&resume, options);
    Ok(into_report(eval, Vec::new(), options.variant))
}

/// The recommendations [`score_with`] would return, on their own.
pub fn recommendations(
    resume: &str,
    job: &str,
    options: Options,
) -> Result<Vec<Recommendation>, InputProblem> {
    let (resume, job) = prepare(resume, job)?;
    let eval = job.evaluate(&resume, options);
    Ok(job.recommend(&resume, &eval, options))
}

fn prepare(resume: &str, job: &str) -> Result<(String, std::rc::Rc<PreparedJob>), InputProblem> {
    check(resume, "resume")?;
    check(job, "job description")?;
    if resume.trim().is_empty() {
        return Err(InputProblem::EmptyResume);
    }
    if job.trim().is_empty() {
        return Err(InputProblem::EmptyJob);
    }
    Ok((normalize::normalize(resume), analyzed_job(job)))
}

/// A job's analysis with what scoring works out from it once per job.
struct PreparedJob {
    analysis: job::JobAnalysis,
    prep: score::JobPrep,
}

impl PreparedJob {
    fn evaluate(&self, resume: &str, options: Options) -> score::Evaluation {
        score::evaluate_prepared(
            resume,
            &self.analysis,
            &self.prep,
            options.variant,
            options.today,
        )
    }

    fn recommend(
        &self,
        resume: &str,
        eval: &score::Evaluation,
        options: Options,
    ) -> Vec<Recommendation> {
        recommend::recommend_prepared(
            resume,
            eval,
            &self.analysis,
            &self.prep,
            options.variant,
            options.today,
        )
    }
}

thread_local! {
    /// The last job description analysed on this thread and its analysis.
    static LAST_JOB: std::cell::RefCell<Option<(String, std::rc::Rc<PreparedJob>)>> =
        const { std::cell::RefCell::new(None) };
}

/// [`job::analyze_job`] of `job`, kept for the next call: the page scores on
/// every edit of the resume while the job stays the same, and the job's
/// analysis is most of a run's cost (`analyze job` in `benches/score.rs`).
/// One entry per thread; the result is the same as a fresh analysis.
fn analyzed_job(job: &str) -> std::rc::Rc<PreparedJob> {
    LAST_JOB.with(|last| {
        if let Some((text, prepared)) = &*last.borrow()
            && text == job
        {
            return prepared.clone();
        }
        let analysis = job::analyze_job(job);
        let prep = score::JobPrep::new(&analysis, true);
        let prepared = std::rc::Rc::new(PreparedJob { analysis, prep });
        *last.borrow_mut() = Some((job.to_string(), prepared.clone()));
        prepared
    })
}

fn into_report(
    eval: score::Evaluation,
    recommendations: Vec<Recommendation>,
    variant: Variant,
) -> Report {
    Report {
        variant,
        algorithm: variant.algorithm().to_string(),
        score: eval.score(),
        resume: eval.resume_summary(),
        categories: eval.categories,
        keywords: eval.keywords,
        highlights: eval.highlights,
        recommendations,
        job: eval.job,
    }
}

/// `x` with one decimal ("3.5", "-0.2"), without the float formatting
/// machinery of `{:.1}`: the page's Wasm stays smaller and the output is the same.
pub fn tenths(x: f64) -> String {
    if !x.is_finite() {
        return "0.0".to_string();
    }
    let t = (x * 10.0).round() as i64;
    let sign = if t < 0 { "-" } else { "" };
    format!("{sign}{}.{}", (t / 10).abs(), (t % 10).abs())
}

/// `x` rounded to a whole number, formatted as an integer.
pub fn whole(x: f64) -> String {
    if x.is_finite() {
        (x.round() as i64).to_string()
    } else {
        "0".to_string()
    }
}

fn check(text: &str, field: &str) -> Result<(), InputProblem> {
    // Cheap bound first: bytes ≥ chars, so most inputs never need counting.
    if text.len() <= MAX_CHARS {
        return Ok(());
    }
    let chars = text.chars().count();
    if chars > MAX_CHARS {
        return Err(InputProblem::TooLong {
            field: field.to_string(),
            chars,
            max: MAX_CHARS,
        });
    }
    Ok(())
}
