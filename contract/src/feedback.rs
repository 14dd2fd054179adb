//! `POST /api/feedback`: star ratings, the feedback form and the contact form.
//!
//! The wire type [`FeedbackRequest`] is deliberately loose (strings and plain
//! numbers) so that an unknown category or a rating of 6 reaches
//! [`FeedbackRequest::validate`] and gets an error naming the field, instead of
//! failing JSON decoding. `validate` turns it into the typed [`Feedback`] the
//! server stores.

use std::{collections::BTreeMap, fmt};

use serde::{Deserialize, Serialize};

use crate::{
    error::FieldErrors,
    text::{MAX_EMAIL_CHARS, clean_field, grouped, is_email, is_slug, is_uuid},
};

/// Longest feedback or contact message (characters).
pub const MAX_MESSAGE_CHARS: usize = 5_000;
/// Longest comment attached to a rating (characters).
pub const MAX_COMMENT_CHARS: usize = 1_000;
/// Longest stored page path (characters).
pub const MAX_PAGE_CHARS: usize = 200;
/// Most experiment assignments attached to one submission.
pub const MAX_VARIANTS: usize = 16;
/// Bytes one character can take in JSON at worst: a character outside the
/// Basic Multilingual Plane written as two `\uXXXX` escapes (an emoji is 4
/// bytes as UTF-8, 12 escaped; either is valid JSON).
pub const MAX_JSON_BYTES_PER_CHAR: usize = 12;
/// Largest accepted request body (bytes): every text field at its documented
/// limit in its worst-case JSON encoding ([`MAX_JSON_BYTES_PER_CHAR`]), so a
/// valid submission is never refused as too large (5,000 emoji are a valid
/// message), plus 4 KiB for the names, punctuation and whitespace. 107,320.
pub const MAX_BODY_BYTES: usize = MAX_JSON_BYTES_PER_CHAR
    * (MAX_MESSAGE_CHARS
        + MAX_COMMENT_CHARS
        + MAX_EMAIL_CHARS
        + MAX_PAGE_CHARS
        + 36 // id
        + 64 // context.algorithm
        + MAX_VARIANTS * 2 * 64)
    + 4 * 1024;
/// Highest accepted `revision` of a rating.
pub const MAX_REVISION: i64 = 1_000_000;

/// What the browser sends. Optional fields may be omitted or `null`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackRequest {
    /// A UUID made by the client; sending the same one again is a retry, not a
    /// second submission.
    #[serde(default)]
    pub id: String,
    /// `rating`, `form` or `contact`.
    #[serde(default)]
    pub kind: String,
    /// Ratings: `accuracy` or `helpfulness`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// Ratings: 1–5 stars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<i64>,
    /// Ratings: an optional short comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Ratings: which version of the rating this is, 1 to 1,000,000 (absent:
    /// 1). The page keeps one `id` per rating and sends every change (other
    /// stars, a comment) as the whole rating again with the next revision; the
    /// server replaces the stored rating with a higher revision and ignores a
    /// lower or equal one (a retry, or an older change arriving late).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
    /// Forms: `bug`, `feature`, `question`, `praise` or `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Forms: the message, 1–5,000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Forms: an address for a reply; requires `consent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Forms: the person agreed that the email is stored to reply to them.
    #[serde(default)]
    pub consent: bool,
    /// Where and under which conditions it was sent. Numbers and identifiers
    /// only, never resume or job text.
    #[serde(default)]
    pub context: Context,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    /// Experiment key → variant the visitor is in.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variants: BTreeMap<String, String>,
    /// The scoring algorithm version of the score on screen (`v2.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// The score on screen, 0–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<i64>,
    /// The page path (`/`, `/contact`); stored as `events::page_route` of it
    /// (a query string or fragment dropped; any other path becomes `other`).
    #[serde(default)]
    pub page: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Rating,
    Form,
    Contact,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Rating, Kind::Form, Kind::Contact];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Rating => "rating",
            Kind::Form => "form",
            Kind::Contact => "contact",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Question {
    /// "How accurate is this score?"
    Accuracy,
    /// "How helpful are the recommendations?"
    Helpfulness,
}

impl Question {
    pub const ALL: [Question; 2] = [Question::Accuracy, Question::Helpfulness];

    pub fn as_str(self) -> &'static str {
        match self {
            Question::Accuracy => "accuracy",
            Question::Helpfulness => "helpfulness",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|q| q.as_str() == s)
    }

    /// The question as the page asks it.
    pub fn prompt(self) -> &'static str {
        match self {
            Question::Accuracy => "How accurate is this score?",
            Question::Helpfulness => "How helpful are the recommendations?",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    Bug,
    Feature,
    Question,
    Praise,
    Other,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Bug,
        Category::Feature,
        Category::Question,
        Category::Praise,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Bug => "bug",
            Category::Feature => "feature",
            Category::Question => "question",
            Category::Praise => "praise",
            Category::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The name shown in the form's drop-down.
    pub fn label(self) -> &'static str {
        match self {
            Category::Bug => "Something is broken (bug report)",
            Category::Feature => "An idea or feature request",
            Category::Question => "A question",
            Category::Praise => "Something you like",
            Category::Other => "Something else",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A submission that passed validation, normalised for storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    /// The client's UUID in lowercase.
    pub id: String,
    pub body: Body,
    pub context: ValidContext,
    /// The rating's revision (1 when absent; always 1 for messages).
    pub revision: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Rating {
        question: Question,
        rating: u8,
        comment: Option<String>,
    },
    Message {
        /// `Form` or `Contact`.
        kind: Kind,
        category: Category,
        message: String,
        /// Present only when the person consented.
        email: Option<String>,
    },
}

impl Feedback {
    /// Drops the `context.variants` entries that are not a configured
    /// experiment and one of its variants, and returns their keys. A page
    /// with a stale configuration still has its rating stored (with the
    /// variants that do exist); made-up keys never reach the rollups.
    pub fn keep_known_variants(&mut self, vocab: &dyn crate::events::Vocabulary) -> Vec<String> {
        let mut dropped = Vec::new();
        self.context.variants.retain(|experiment, variant| {
            let known = vocab.has_variant(experiment, variant);
            if !known {
                dropped.push(experiment.clone());
            }
            known
        });
        dropped
    }

    pub fn kind(&self) -> Kind {
        match &self.body {
            Body::Rating { .. } => Kind::Rating,
            Body::Message { kind, .. } => *kind,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidContext {
    pub variants: BTreeMap<String, String>,
    pub algorithm: Option<String>,
    pub score: Option<u8>,
    pub page: String,
}

impl FeedbackRequest {
    /// Checks every field and returns the typed submission, or every problem
    /// found (not just the first), keyed by field.
    pub fn validate(&self) -> Result<Feedback, FieldErrors> {
        let mut errors = FieldErrors::new();

        if !is_uuid(&self.id) {
            errors.add(
                "id",
                "must be a UUID such as 3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5b",
            );
        }
        let kind = Kind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", "must be one of rating, form, contact");
        }
        let context = validate_context(&self.context, &mut errors);
        let revision = match self.revision {
            None => 1,
            Some(r @ 1..=MAX_REVISION) => r as u32,
            Some(_) => {
                errors.add(
                    "revision",
                    format!(
                        "must be a whole number from 1 to {}",
                        grouped(MAX_REVISION as usize)
                    ),
                );
                1
            }
        };

        let body = match kind {
            Some(Kind::Rating) => self.validate_rating(&mut errors),
            Some(kind) => self.validate_message(kind, &mut errors),
            None => None,
        };

        match body {
            Some(body) if errors.is_empty() => Ok(Feedback {
                id: self.id.to_ascii_lowercase(),
                // Only a rating is revised; a message is sent once.
                revision: if kind == Some(Kind::Rating) {
                    revision
                } else {
                    1
                },
                body,
                context,
            }),
            _ => Err(errors),
        }
    }

    fn validate_rating(&self, errors: &mut FieldErrors) -> Option<Body> {
        let question = match self.question.as_deref() {
            None => {
                errors.add("question", "is required: accuracy or helpfulness");
                None
            }
            Some(q) => {
                let parsed = Question::parse(q);
                if parsed.is_none() {
                    errors.add("question", "must be one of accuracy, helpfulness");
                }
                parsed
            }
        };
        let rating = match self.rating {
            None => {
                errors.add("rating", "is required: 1 to 5 stars");
                None
            }
            Some(r @ 1..=5) => Some(r as u8),
            Some(_) => {
                errors.add("rating", "must be between 1 and 5");
                None
            }
        };
        let comment =
            clean_field(self.comment.as_deref(), MAX_COMMENT_CHARS).unwrap_or_else(|problem| {
                errors.add("comment", problem);
                None
            });
        Some(Body::Rating {
            question: question?,
            rating: rating?,
            comment,
        })
    }

    fn validate_message(&self, kind: Kind, errors: &mut FieldErrors) -> Option<Body> {
        let category = match self.category.as_deref() {
            None | Some("") => {
                errors.add("category", "is required: choose what your message is about");
                None
            }
            Some(c) => {
                let parsed = Category::parse(c);
                if parsed.is_none() {
                    errors.add(
                        "category",
                        "must be one of bug, feature, question, praise, other",
                    );
                }
                parsed
            }
        };
        let message = match clean_field(self.message.as_deref(), MAX_MESSAGE_CHARS) {
            Ok(Some(m)) => Some(m),
            Ok(None) => {
                errors.add("message", "must not be empty");
                None
            }
            Err(problem) => {
                errors.add("message", problem);
                None
            }
        };
        let email = match clean_field(self.email.as_deref(), MAX_EMAIL_CHARS) {
            Ok(None) => None,
            Ok(Some(e)) if !is_email(&e) => {
                errors.add("email", "must be an email address such as name@example.com");
                None
            }
            Err(problem) => {
                errors.add("email", problem);
                None
            }
            Ok(Some(_)) if !self.consent => {
                errors.add(
                    "consent",
                    "is required to store your email: tick the box, or leave the email empty",
                );
                None
            }
            Ok(Some(e)) => Some(e),
        };
        Some(Body::Message {
            kind,
            category: category?,
            message: message?,
            email,
        })
    }
}

fn validate_context(c: &Context, errors: &mut FieldErrors) -> ValidContext {
    let page = crate::events::page_route(&c.page).to_string();
    if c.page.chars().count() > MAX_PAGE_CHARS {
        errors.add(
            "context.page",
            format!("must be a path of at most {MAX_PAGE_CHARS} characters"),
        );
    }
    if c.variants.len() > MAX_VARIANTS {
        errors.add(
            "context.variants",
            format!("must name at most {MAX_VARIANTS} experiments"),
        );
    } else if let Some((k, v)) = c.variants.iter().find(|(k, v)| !is_slug(k) || !is_slug(v)) {
        let bad = if is_slug(k) { v } else { k };
        errors.add(
            format!("context.variants.{}", truncate(k, 64)),
            format!(
                "experiment keys and variants must be 1–64 characters of a-z, 0-9, '.', '_', '-' ({:?} is not)",
                truncate(bad, 64)
            ),
        );
    }
    if let Some(a) = &c.algorithm
        && !is_slug(a)
    {
        errors.add(
            "context.algorithm",
            "must be an algorithm version such as v2.0",
        );
    }
    let score = match c.score {
        None => None,
        Some(s @ 0..=100) => Some(s as u8),
        Some(_) => {
            errors.add("context.score", "must be between 0 and 100");
            None
        }
    };
    ValidContext {
        variants: c.variants.clone(),
        algorithm: c.algorithm.clone(),
        score,
        page,
    }
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// A coarse class of the browser, `device/family` (`desktop/chrome`,
/// `mobile/safari`, `other/other`): enough to spot a browser-specific bug,
/// too coarse to single anyone out. Derived by the server from `User-Agent`.
pub fn browser_class(user_agent: &str) -> String {
    let ua = user_agent.to_ascii_lowercase();
    let device = if ua.is_empty() {
        "other"
    } else if ua.contains("ipad")
        || ua.contains("tablet")
        || (ua.contains("android") && !ua.contains("mobile"))
    {
        "tablet"
    } else if ua.contains("mobi") || ua.contains("iphone") || ua.contains("android") {
        "mobile"
    } else if ua.contains("windows")
        || ua.contains("macintosh")
        || ua.contains("linux")
        || ua.contains("cros")
    {
        "desktop"
    } else {
        "other"
    };
    // Order matters: Edge and Opera say "chrome", Chrome says "safari".
    let family = if ua.contains("edg/") || ua.contains("edga/") || ua.contains("edgios/") {
        "edge"
    } else if ua.contains("opr/") || ua.contains("opera") {
        "opera"
    } else if ua.contains("samsungbrowser") {
        "samsung"
    } else if ua.contains("firefox/") || ua.contains("fxios/") {
        "firefox"
    } else if ua.contains("chrome/") || ua.contains("chromium/") || ua.contains("crios/") {
        "chrome"
    } else if ua.contains("safari/") {
        "safari"
    } else if ua.contains("bot")
        || ua.contains("curl/")
        || ua.contains("python")
        || ua.contains("reqwest")
    {
        "tool"
    } else {
        "other"
    };
    format!("{device}/{family}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5b";

    fn rating(r: i64) -> FeedbackRequest {
        FeedbackRequest {
            id: ID.into(),
            kind: "rating".into(),
            question: Some("accuracy".into()),
            rating: Some(r),
            context: Context {
                page: "/".into(),
                ..Context::default()
            },
            ..FeedbackRequest::default()
        }
    }

    fn form(message: &str) -> FeedbackRequest {
        FeedbackRequest {
            id: ID.into(),
            kind: "form".into(),
            category: Some("bug".into()),
            message: Some(message.into()),
            context: Context {
                page: "/".into(),
                ..Context::default()
            },
            ..FeedbackRequest::default()
        }
    }

    fn error_of(req: &FeedbackRequest, field: &str) -> String {
        req.validate()
            .expect_err("invalid")
            .get(field)
            .unwrap_or_else(|| panic!("no error for {field}"))
            .to_string()
    }

    #[test]
    fn accepts_ratings_from_one_to_five() {
        for r in 1..=5 {
            let f = rating(r).validate().unwrap();
            assert_eq!(
                f.body,
                Body::Rating {
                    question: Question::Accuracy,
                    rating: r as u8,
                    comment: None
                }
            );
        }
    }

    #[test]
    fn rejects_a_rating_of_zero_and_a_rating_above_five() {
        assert_eq!(error_of(&rating(0), "rating"), "must be between 1 and 5");
        assert_eq!(error_of(&rating(6), "rating"), "must be between 1 and 5");
    }

    #[test]
    fn rejects_an_unknown_question() {
        let mut r = rating(3);
        r.question = Some("speed".into());
        assert_eq!(
            error_of(&r, "question"),
            "must be one of accuracy, helpfulness"
        );
    }

    #[test]
    fn rejects_an_empty_message_and_one_of_only_spaces() {
        assert_eq!(error_of(&form(""), "message"), "must not be empty");
        assert_eq!(error_of(&form("  \n "), "message"), "must not be empty");
    }

    #[test]
    fn accepts_five_thousand_characters_and_rejects_one_more() {
        assert!(form(&"é".repeat(5_000)).validate().is_ok());
        assert_eq!(
            error_of(&form(&"a".repeat(5_001)), "message"),
            "must be at most 5,000 characters (it has 5,001)"
        );
    }

    #[test]
    fn rejects_an_unknown_category() {
        let mut f = form("hello");
        f.category = Some("complaint".into());
        assert_eq!(
            error_of(&f, "category"),
            "must be one of bug, feature, question, praise, other"
        );
    }

    #[test]
    fn requires_consent_to_keep_an_email() {
        let mut f = form("please reply");
        f.email = Some("ana@example.com".into());
        assert!(error_of(&f, "consent").starts_with("is required"));
        f.consent = true;
        let ok = f.validate().unwrap();
        assert!(
            matches!(ok.body, Body::Message { email: Some(ref e), .. } if e == "ana@example.com")
        );
    }

    #[test]
    fn rejects_a_malformed_email() {
        let mut f = form("hi");
        f.email = Some("ana@example".into());
        f.consent = true;
        assert_eq!(
            error_of(&f, "email"),
            "must be an email address such as name@example.com"
        );
    }

    #[test]
    fn a_blank_email_is_no_email() {
        let mut f = form("hi");
        f.email = Some("   ".into());
        let ok = f.validate().unwrap();
        assert!(matches!(ok.body, Body::Message { email: None, .. }));
    }

    #[test]
    fn reports_every_problem_at_once() {
        let req = FeedbackRequest {
            id: "nope".into(),
            kind: "form".into(),
            category: Some("x".into()),
            message: Some(String::new()),
            ..FeedbackRequest::default()
        };
        let errors = req.validate().unwrap_err();
        for field in ["id", "category", "message"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        assert_eq!(
            errors.summary(),
            "3 fields are invalid: category, id, message"
        );
    }

    #[test]
    fn rejects_an_unknown_kind() {
        let mut r = rating(3);
        r.kind = "survey".into();
        assert_eq!(error_of(&r, "kind"), "must be one of rating, form, contact");
    }

    #[test]
    fn drops_the_query_string_from_the_page() {
        let mut r = rating(4);
        r.context.page = "/contact?exp.result-layout=b#form".into();
        assert_eq!(r.validate().unwrap().context.page, "/contact");
    }

    #[test]
    fn rejects_a_score_outside_zero_to_one_hundred() {
        let mut r = rating(4);
        r.context.score = Some(101);
        assert_eq!(error_of(&r, "context.score"), "must be between 0 and 100");
    }

    #[test]
    fn rejects_variant_names_that_are_not_identifiers() {
        let mut r = rating(4);
        r.context
            .variants
            .insert("scoring-algorithm".into(), "My Resume Text".into());
        let errors = r.validate().unwrap_err();
        assert!(errors.get("context.variants.scoring-algorithm").is_some());
    }

    #[test]
    fn a_rating_without_a_revision_is_revision_one() {
        assert_eq!(rating(4).validate().unwrap().revision, 1);
        let mut r = rating(4);
        r.revision = Some(7);
        assert_eq!(r.validate().unwrap().revision, 7);
    }

    #[test]
    fn rejects_a_revision_of_zero_a_negative_one_and_one_above_the_limit() {
        for bad in [0, -3, MAX_REVISION + 1] {
            let mut r = rating(4);
            r.revision = Some(bad);
            assert_eq!(
                error_of(&r, "revision"),
                "must be a whole number from 1 to 1,000,000"
            );
        }
    }

    #[test]
    fn a_message_is_never_revised() {
        let mut f = form("hello");
        f.revision = Some(9);
        assert_eq!(f.validate().unwrap().revision, 1);
    }

    #[test]
    fn lowercases_the_id() {
        let mut r = rating(4);
        r.id = ID.to_uppercase();
        assert_eq!(r.validate().unwrap().id, ID);
    }

    #[test]
    fn classes_browsers_coarsely() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(browser_class(chrome), "desktop/chrome");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(browser_class(iphone), "mobile/safari");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
        assert_eq!(browser_class(edge), "desktop/edge");
        let firefox = "Mozilla/5.0 (Android 14; Mobile; rv:132.0) Gecko/132.0 Firefox/132.0";
        assert_eq!(browser_class(firefox), "mobile/firefox");
        assert_eq!(browser_class(""), "other/other");
    }

    #[test]
    fn serialises_without_empty_optional_fields() {
        let json = serde_json::to_value(rating(5)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": ID, "kind": "rating", "question": "accuracy", "rating": 5,
                "consent": false, "context": {"page": "/"}})
        );
    }

    #[test]
    fn a_page_outside_the_apps_routes_is_stored_as_other() {
        for (sent, stored) in [
            ("/", "/"),
            ("/contact?exp=b#form", "/contact"),
            ("/jane.doe@example.com", "other"),
            ("/Jane Doe", "other"),
            ("", "other"),
            ("/?q=1", "/"),
        ] {
            let mut r = rating(4);
            r.context.page = sent.into();
            assert_eq!(r.validate().unwrap().context.page, stored, "{sent:?}");
        }
    }

    #[test]
    fn a_message_of_zero_width_spaces_is_empty() {
        assert_eq!(
            error_of(&form("\u{200B}\u{200B}\u{FEFF}"), "message"),
            "must not be empty"
        );
    }

    #[test]
    fn control_characters_are_removed_and_bidi_controls_refused_in_every_text() {
        let ok = form("hi\u{0}\u{1b}[2J there").validate().unwrap();
        assert!(matches!(ok.body, Body::Message { ref message, .. } if message == "hi[2J there"));
        assert!(error_of(&form("pay \u{202E}0001"), "message").contains("U+202E"));
        let mut r = rating(4);
        r.comment = Some("ok \u{2066}x".into());
        assert!(error_of(&r, "comment").contains("U+2066"));
        let mut f = form("hi");
        f.email = Some("ana\u{202E}@example.com".into());
        f.consent = true;
        assert!(error_of(&f, "email").contains("U+202E"));
    }

    #[test]
    fn five_thousand_emoji_are_a_valid_message_and_fit_the_body_cap() {
        let f = form(&"😀".repeat(MAX_MESSAGE_CHARS));
        assert!(f.validate().is_ok());
        let escaped = "\\ud83d\\ude00".repeat(MAX_MESSAGE_CHARS);
        let body = serde_json::to_string(&f)
            .unwrap()
            .replace(&"😀".repeat(MAX_MESSAGE_CHARS), &escaped);
        assert!(
            body.len() <= MAX_BODY_BYTES,
            "{} > {MAX_BODY_BYTES}",
            body.len()
        );
        let decoded: FeedbackRequest = serde_json::from_str(&body).unwrap();
        assert_eq!(decoded, f);
    }

    struct OneExperiment;
    impl crate::events::Vocabulary for OneExperiment {
        fn has_variant(&self, experiment: &str, variant: &str) -> bool {
            experiment == "scoring-algorithm" && ["v1", "v2"].contains(&variant)
        }
    }

    #[test]
    fn unknown_experiments_and_variants_are_dropped_and_the_rating_kept() {
        let mut r = rating(4);
        for (k, v) in [
            ("scoring-algorithm", "v2"),
            ("made-up", "a"),
            ("old-test", "b"),
        ] {
            r.context.variants.insert(k.into(), v.into());
        }
        let mut f = r.validate().unwrap();
        let dropped = f.keep_known_variants(&OneExperiment);
        assert_eq!(dropped, ["made-up", "old-test"]);
        assert_eq!(f.context.variants.len(), 1);
        assert_eq!(f.context.variants["scoring-algorithm"], "v2");
        assert!(matches!(f.body, Body::Rating { rating: 4, .. }));
    }
}
