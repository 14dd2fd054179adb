//! Sentiment of a feedback message: VADER's lexicon and rules (the
//! `vader_sentiment` crate, a port of Hutto & Gilbert's scorer), computed once
//! when the message is stored. The inbox shows the label and filters by it.

use std::{panic, sync::LazyLock};

use serde::Serialize;
use vader_sentiment::SentimentIntensityAnalyzer;

static ANALYZER: LazyLock<SentimentIntensityAnalyzer<'static>> =
    LazyLock::new(SentimentIntensityAnalyzer::new);

/// VADER's compound score in [-1, 1], or `None` for no text.
pub fn compound(text: &str) -> Option<f64> {
    if text.trim().is_empty() {
        return None;
    }
    // The port indexes tokens directly; a message it cannot handle gets no
    // score rather than failing the submission.
    let score = panic::catch_unwind(|| ANALYZER.polarity_scores(text).get("compound").copied())
        .ok()
        .flatten()?;
    score.is_finite().then_some(score.clamp(-1.0, 1.0))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    Positive,
    Neutral,
    Negative,
}

/// VADER's usual thresholds: ≥ 0.05 positive, ≤ −0.05 negative.
pub const THRESHOLD: f64 = 0.05;

impl Label {
    pub fn of(compound: f64) -> Self {
        if compound >= THRESHOLD {
            Label::Positive
        } else if compound <= -THRESHOLD {
            Label::Negative
        } else {
            Label::Neutral
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Positive => "positive",
            Label::Neutral => "neutral",
            Label::Negative => "negative",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "positive" => Some(Label::Positive),
            "neutral" => Some(Label::Neutral),
            "negative" => Some(Label::Negative),
            _ => None,
        }
    }

    /// The SQL condition on `sentiment` for this label.
    pub fn sql(self) -> &'static str {
        match self {
            Label::Positive => "sentiment >= 0.05",
            Label::Neutral => "sentiment > -0.05 AND sentiment < 0.05",
            Label::Negative => "sentiment <= -0.05",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn praise_is_positive() {
        let s = compound("This is great, the keyword list really helped me. Thank you!").unwrap();
        assert_eq!(Label::of(s), Label::Positive, "{s}");
    }

    #[test]
    fn a_complaint_is_negative() {
        let s = compound("The PDF import is broken and the score is useless. Terrible.").unwrap();
        assert_eq!(Label::of(s), Label::Negative, "{s}");
    }

    #[test]
    fn a_plain_question_is_neutral() {
        let s = compound("Does the score read DOCX tables?").unwrap();
        assert_eq!(Label::of(s), Label::Neutral, "{s}");
    }

    #[test]
    fn negation_flips_the_sentiment() {
        let good = compound("the recommendations are good").unwrap();
        let not_good = compound("the recommendations are not good").unwrap();
        assert!(good > 0.0 && not_good < 0.0, "{good} {not_good}");
    }

    #[test]
    fn no_text_has_no_sentiment() {
        assert_eq!(compound("   "), None);
    }
}
