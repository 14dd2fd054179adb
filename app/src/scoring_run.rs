//! Running the engine in the browser: the current month from the browser's
//! clock, and each run wrapped in User Timing marks so the page (and its tests)
//! can read how long scoring took as the `ats-score` measure.

use scoring::{InputProblem, Options, Recommendation, Report, Variant};

use crate::timing::timed;

/// The User Timing measure recorded around each scoring run (score, breakdown,
/// keywords and highlights).
pub const MEASURE: &str = "ats-score";
/// The measure around ranking the recommendations (one what-if re-score per
/// candidate change), which runs right after the score is shown.
pub const MEASURE_RECOMMEND: &str = "ats-recommend";

fn options(variant: Variant) -> Options {
    Options {
        variant,
        today: today(),
    }
}

/// Scores in the browser (or natively in tests), recording the `ats-score`
/// measure when a `performance` object exists. Recommendations come from [`recommend`].
pub fn run(resume: &str, job: &str, variant: Variant) -> Result<Report, InputProblem> {
    timed(MEASURE, || {
        scoring::score_only(resume, job, options(variant))
    })
}

/// The ranked recommendations, recorded as the `ats-recommend` measure.
pub fn recommend(
    resume: &str,
    job: &str,
    variant: Variant,
) -> Result<Vec<Recommendation>, InputProblem> {
    timed(MEASURE_RECOMMEND, || {
        scoring::recommendations(resume, job, options(variant))
    })
}

#[cfg(feature = "hydrate")]
fn today() -> Option<scoring::MonthIndex> {
    let now = web_sys::js_sys::Date::new_0();
    let year = now.get_full_year();
    let month = now.get_month() + 1;
    (year >= 1970).then(|| scoring::month_index(year, month))
}

#[cfg(not(feature = "hydrate"))]
fn today() -> Option<scoring::MonthIndex> {
    None
}

/// The words shown under the gauge for a score.
pub fn verdict(score: u32) -> &'static str {
    match score {
        80.. => "Strong match",
        65..=79 => "Good match",
        45..=64 => "Partial match",
        _ => "Weak match",
    }
}

/// The gauge's colour band (a CSS class), in step with [`verdict`].
pub fn band(score: u32) -> &'static str {
    match score {
        80.. => "band-strong",
        65..=79 => "band-good",
        45..=64 => "band-partial",
        _ => "band-weak",
    }
}

/// Splits `text` into plain and highlighted runs from sorted, non-overlapping
/// byte ranges; ranges that are out of order or off a character boundary are
/// skipped rather than trusted.
pub fn segments<'a>(
    text: &'a str,
    ranges: &[(usize, usize, &'a str)],
) -> Vec<(&'a str, Option<&'a str>)> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(start, end, name) in ranges {
        if start < at
            || end <= start
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        if start > at {
            out.push((&text[at..start], None));
        }
        out.push((&text[start..end], Some(name)));
        at = end;
    }
    if at < text.len() {
        out.push((&text[at..], None));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_score_bands() {
        assert_eq!(verdict(100), "Strong match");
        assert_eq!(verdict(80), "Strong match");
        assert_eq!(verdict(79), "Good match");
        assert_eq!(verdict(50), "Partial match");
        assert_eq!(verdict(0), "Weak match");
        assert_eq!(band(44), "band-weak");
    }

    #[test]
    fn segments_cover_the_text_and_mark_the_ranges() {
        let text = "Ran k8s on Postgres.";
        let segs = segments(text, &[(4, 7, "Kubernetes"), (11, 19, "PostgreSQL")]);
        assert_eq!(
            segs,
            [
                ("Ran ", None),
                ("k8s", Some("Kubernetes")),
                (" on ", None),
                ("Postgres", Some("PostgreSQL")),
                (".", None)
            ]
        );
        assert_eq!(segs.iter().map(|s| s.0).collect::<String>(), text);
    }

    #[test]
    fn segments_skip_bad_ranges() {
        let text = "é ok";
        let segs = segments(text, &[(1, 2, "bad"), (3, 5, "ok"), (0, 1, "behind")]);
        assert_eq!(segs, [("é ", None), ("ok", Some("ok"))]);
    }

    #[test]
    fn run_scores_natively_without_a_browser() {
        let r = run(
            "Sam\nEXPERIENCE\n• Built Python services",
            "Requirements: Python, Docker",
            Variant::V2,
        )
        .unwrap();
        assert!(r.missing_keywords().any(|k| k.name == "Docker"));
        assert!(r.recommendations.is_empty());
        let recs = recommend(
            "Sam\nEXPERIENCE\n• Built Python services",
            "Requirements: Python, Docker",
            Variant::V2,
        )
        .unwrap();
        assert!(recs.iter().any(|r| r.title == "Add Docker"), "{recs:?}");
    }
}
