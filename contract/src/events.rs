//! `POST /api/events`: anonymous usage events in a closed vocabulary.
//!
//! Every event kind has a fixed set of typed properties (numbers in a range or
//! one of a few words); anything else is refused, so no free text typed by a
//! person can ever be recorded. The taxonomy, and why each event exists, is in
//! `docs/events.md`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::text::{is_slug, is_uuid};

/// Most events in one request.
pub const MAX_EVENTS: usize = 100;
/// Largest request body (bytes).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Client timestamps are kept but clamped to the server's receive time ± this.
pub const MAX_CLOCK_SKEW_MS: i64 = 24 * 3_600_000;
/// Longest duration or time property accepted (a day, in milliseconds).
pub const MAX_DURATION_MS: i64 = 24 * 3_600_000;

/// The app's own routes: the only `page` values stored (events and feedback).
pub const ROUTES: &[&str] = &["/", "/contact"];
/// What any other page becomes.
pub const OTHER_PAGE: &str = "other";

/// The page as stored: the route when the path (its query string and fragment
/// dropped) is one of [`ROUTES`], else [`OTHER_PAGE`]. So the column stays a
/// closed vocabulary: a path carrying a name, an email or a query is never
/// stored as it was sent.
pub fn page_route(path: &str) -> &'static str {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    ROUTES
        .iter()
        .find(|r| **r == path)
        .copied()
        .unwrap_or(OTHER_PAGE)
}

/// One event as the browser sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawEvent {
    /// A UUID made by the client: the same id twice is one event.
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub kind: String,
    /// Client clock, milliseconds since the Unix epoch.
    #[serde(default)]
    pub ts: i64,
    /// The tab's session id (a UUID kept in `sessionStorage`).
    #[serde(default)]
    pub session: String,
    /// Page path (`/`, `/contact`); stored as [`page_route`] of it.
    #[serde(default)]
    pub page: String,
    /// Experiment key → variant the visitor was in when this happened
    /// (assigned, not forced with `?exp.`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variants: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub props: BTreeMap<String, Prop>,
}

/// A property value: a whole number or a word from the event's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Prop {
    Int(i64),
    Word(String),
}

impl Prop {
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Prop::Int(n) => Some(*n),
            Prop::Word(_) => None,
        }
    }

    pub fn as_word(&self) -> Option<&str> {
        match self {
            Prop::Word(w) => Some(w),
            Prop::Int(_) => None,
        }
    }
}

impl From<i64> for Prop {
    fn from(n: i64) -> Self {
        Prop::Int(n)
    }
}

impl From<&str> for Prop {
    fn from(s: &str) -> Self {
        Prop::Word(s.to_string())
    }
}

/// The envelope: `{"events": [ … ]}`. Events are decoded one by one on the
/// server so one bad event does not sink its batch.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EventBatch {
    pub events: Vec<RawEvent>,
}

/// The answer: `202 {"accepted", "duplicates", "rejected": [{"index", "reason"}]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchResult {
    pub accepted: usize,
    pub duplicates: usize,
    pub rejected: Vec<Rejection>,
    /// Events not recorded because the browser asks not to be tracked
    /// (`DNT: 1` or `Sec-GPC: 1`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ignored: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub index: usize,
    pub reason: String,
}

/// Values a property may take.
#[derive(Debug, Clone, Copy)]
pub enum PropType {
    Int {
        min: i64,
        max: i64,
    },
    Word(&'static [&'static str]),
    /// A slug (`a-z 0-9 . _ -`) the server checks further (experiment keys,
    /// variant names, algorithm versions).
    Slug,
}

/// Where a document came from.
pub const SOURCES: &[&str] = &["paste", "pdf", "docx", "txt", "example"];
/// Size buckets of a document, in characters.
pub const SIZE_BUCKETS: &[&str] = &["<1k", "1k-3k", "3k-10k", "10k-30k", "30k+"];
pub const FILE_TYPES: &[&str] = &["pdf", "docx", "txt", "other"];
/// Why a file could not be read (the extract crate's error kinds, plus the
/// page's own `timeout` and `crashed`).
pub const EXTRACT_REASONS: &[&str] = &[
    "too_large",
    "unsupported",
    "legacy_word",
    "corrupt",
    "encrypted",
    "no_text",
    "undecodable",
    "timeout",
    "crashed",
];
/// The scoring algorithms a `score_computed` event may name: the names of
/// `scoring::Variant::ALL` (a server test keeps the two lists equal).
pub const SCORING_VARIANTS: &[&str] = &["v1", "v2", "v3"];
pub const QUESTIONS: &[&str] = &["accuracy", "helpfulness"];
pub const FEEDBACK_KINDS: &[&str] = &["form", "contact"];
pub const CATEGORIES: &[&str] = &["bug", "feature", "question", "praise", "other"];

/// The size bucket of a document of `chars` characters.
pub fn size_bucket(chars: usize) -> &'static str {
    match chars {
        0..1_000 => "<1k",
        1_000..3_000 => "1k-3k",
        3_000..10_000 => "3k-10k",
        10_000..30_000 => "10k-30k",
        _ => "30k+",
    }
}

const DURATION: PropType = PropType::Int {
    min: 0,
    max: MAX_DURATION_MS,
};

macro_rules! kinds {
    ($( $variant:ident = $name:literal { $( $prop:literal : $ty:expr ),* $(,)? } ),* $(,)?) => {
        /// The closed vocabulary of events.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EventKind { $( $variant ),* }

        impl EventKind {
            pub const ALL: &'static [EventKind] = &[ $( EventKind::$variant ),* ];

            pub fn as_str(self) -> &'static str {
                match self { $( EventKind::$variant => $name ),* }
            }

            /// The event's properties, all required.
            pub fn props(self) -> &'static [(&'static str, PropType)] {
                match self { $( EventKind::$variant => &[ $( ($prop, $ty) ),* ] ),* }
            }
        }
    };
}

kinds! {
    PageView = "page_view" {},
    ResumeInput = "resume_input" { "source": PropType::Word(SOURCES), "size": PropType::Word(SIZE_BUCKETS) },
    JobInput = "job_input" { "source": PropType::Word(SOURCES), "size": PropType::Word(SIZE_BUCKETS) },
    ScoreComputed = "score_computed" {
        "variant": PropType::Word(SCORING_VARIANTS),
        "algorithm": PropType::Slug,
        "score": PropType::Int { min: 0, max: 100 },
        "duration_ms": DURATION,
        "source": PropType::Word(SOURCES),
    },
    ExtractDone = "extract_done" {
        "file_type": PropType::Word(FILE_TYPES),
        "pages": PropType::Int { min: 0, max: 10_000 },
        "duration_ms": DURATION,
    },
    ExtractFailed = "extract_failed" {
        "file_type": PropType::Word(FILE_TYPES),
        "reason": PropType::Word(EXTRACT_REASONS),
        "duration_ms": DURATION,
    },
    RecommendationExpanded = "recommendation_expanded" { "shown": PropType::Int { min: 0, max: 100 } },
    KeywordsCopied = "keywords_copied" { "count": PropType::Int { min: 0, max: 1_000 } },
    RatingSubmitted = "rating_submitted" {
        "question": PropType::Word(QUESTIONS),
        "rating": PropType::Int { min: 1, max: 5 },
    },
    FeedbackSubmitted = "feedback_submitted" {
        "kind": PropType::Word(FEEDBACK_KINDS),
        "category": PropType::Word(CATEGORIES),
    },
    PageTime = "page_time" { "visible_ms": DURATION, "total_ms": DURATION },
    Exposure = "exposure" { "experiment": PropType::Slug, "variant": PropType::Slug },
}

impl EventKind {
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

/// An event that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Lowercase UUID.
    pub id: String,
    pub kind: EventKind,
    /// Client time clamped to the receive time ± 24 h.
    pub ts: i64,
    pub session: String,
    pub page: String,
    pub variants: BTreeMap<String, String>,
    pub props: BTreeMap<String, Prop>,
}

impl Event {
    pub fn int(&self, name: &str) -> Option<i64> {
        self.props.get(name).and_then(Prop::as_int)
    }

    pub fn word(&self, name: &str) -> Option<&str> {
        self.props.get(name).and_then(Prop::as_word)
    }
}

/// Which experiment keys and variants exist (the server's configuration).
pub trait Vocabulary {
    fn has_variant(&self, experiment: &str, variant: &str) -> bool;
}

impl RawEvent {
    /// Checks the event against its kind's properties and the configured
    /// experiments; `received_ms` is the server's clock.
    pub fn validate(&self, received_ms: i64, vocab: &dyn Vocabulary) -> Result<Event, String> {
        if !is_uuid(&self.id) {
            return Err("id must be a UUID".into());
        }
        let kind = EventKind::parse(&self.kind)
            .ok_or_else(|| format!("kind {:?} is not an event kind", truncate(&self.kind)))?;
        if !is_uuid(&self.session) {
            return Err("session must be a UUID".into());
        }
        if self.variants.len() > 16 {
            return Err("variants must name at most 16 experiments".into());
        }
        for (experiment, variant) in &self.variants {
            if !vocab.has_variant(experiment, variant) {
                return Err(format!(
                    "variants: {:?} is not a variant of a configured experiment {:?}",
                    truncate(variant),
                    truncate(experiment)
                ));
            }
        }
        let spec = kind.props();
        for name in self.props.keys() {
            if !spec.iter().any(|(p, _)| p == name) {
                return Err(format!(
                    "props.{} is not a property of {}",
                    truncate(name),
                    kind.as_str()
                ));
            }
        }
        for (name, ty) in spec {
            let value = self
                .props
                .get(*name)
                .ok_or_else(|| format!("props.{name} is required for {}", kind.as_str()))?;
            match (ty, value) {
                (PropType::Int { min, max }, Prop::Int(n)) if (min..=max).contains(&n) => {}
                (PropType::Int { min, max }, _) => {
                    return Err(format!(
                        "props.{name} must be a whole number from {min} to {max}"
                    ));
                }
                (PropType::Word(words), Prop::Word(w)) if words.contains(&w.as_str()) => {}
                (PropType::Word(words), _) => {
                    return Err(format!("props.{name} must be one of {}", words.join(", ")));
                }
                (PropType::Slug, Prop::Word(w)) if is_slug(w) => {}
                (PropType::Slug, _) => {
                    return Err(format!(
                        "props.{name} must be an identifier (a-z, 0-9, '.', '_', '-')"
                    ));
                }
            }
        }
        if kind == EventKind::Exposure {
            let experiment = self.props["experiment"].as_word().unwrap_or_default();
            let variant = self.props["variant"].as_word().unwrap_or_default();
            if !vocab.has_variant(experiment, variant) {
                return Err(format!(
                    "exposure: {variant:?} is not a variant of a configured experiment {experiment:?}"
                ));
            }
        }
        let ts = self.ts.clamp(
            received_ms - MAX_CLOCK_SKEW_MS,
            received_ms + MAX_CLOCK_SKEW_MS,
        );
        Ok(Event {
            id: self.id.to_ascii_lowercase(),
            kind,
            ts,
            session: self.session.to_ascii_lowercase(),
            page: page_route(&self.page).to_string(),
            variants: self.variants.clone(),
            props: self.props.clone(),
        })
    }
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Vocab;
    impl Vocabulary for Vocab {
        fn has_variant(&self, experiment: &str, variant: &str) -> bool {
            experiment == "scoring-algorithm" && ["v1", "v2"].contains(&variant)
        }
    }

    const NOW: i64 = 1_795_000_000_000;

    fn event(kind: &str, props: &[(&str, Prop)]) -> RawEvent {
        RawEvent {
            id: "3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5b".into(),
            kind: kind.into(),
            ts: NOW,
            session: "aaaaaaaa-4d5a-4e6f-8a9b-0c1d2e3f4a5b".into(),
            page: "/".into(),
            variants: BTreeMap::new(),
            props: props
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }

    fn score(score: i64) -> RawEvent {
        event(
            "score_computed",
            &[
                ("variant", "v2".into()),
                ("algorithm", "v2.0".into()),
                ("score", score.into()),
                ("duration_ms", 2.into()),
                ("source", "paste".into()),
            ],
        )
    }

    #[test]
    fn accepts_a_well_formed_event_of_every_kind_it_is_given() {
        assert!(event("page_view", &[]).validate(NOW, &Vocab).is_ok());
        assert!(score(71).validate(NOW, &Vocab).is_ok());
        let time = event(
            "page_time",
            &[("visible_ms", 1_200.into()), ("total_ms", 5_000.into())],
        );
        assert!(time.validate(NOW, &Vocab).is_ok());
    }

    #[test]
    fn rejects_an_unknown_kind() {
        let e = event("mouse_moved", &[]).validate(NOW, &Vocab).unwrap_err();
        assert_eq!(e, "kind \"mouse_moved\" is not an event kind");
    }

    #[test]
    fn rejects_free_text_in_a_property() {
        let mut e = score(70);
        e.props
            .insert("source".into(), "my resume says hello".into());
        let err = e.validate(NOW, &Vocab).unwrap_err();
        assert!(
            err.starts_with("props.source must be one of paste"),
            "{err}"
        );
    }

    #[test]
    fn rejects_a_property_the_kind_does_not_have() {
        let e = event("page_view", &[("text", "Jane Doe".into())]);
        assert_eq!(
            e.validate(NOW, &Vocab).unwrap_err(),
            "props.text is not a property of page_view"
        );
    }

    #[test]
    fn rejects_a_missing_or_out_of_range_number() {
        assert_eq!(
            score(101).validate(NOW, &Vocab).unwrap_err(),
            "props.score must be a whole number from 0 to 100"
        );
        let mut e = score(50);
        e.props.remove("duration_ms");
        assert_eq!(
            e.validate(NOW, &Vocab).unwrap_err(),
            "props.duration_ms is required for score_computed"
        );
    }

    #[test]
    fn clamps_the_client_clock_to_a_day_either_side() {
        let mut e = event("page_view", &[]);
        e.ts = 0;
        assert_eq!(e.validate(NOW, &Vocab).unwrap().ts, NOW - MAX_CLOCK_SKEW_MS);
        e.ts = NOW + 10 * MAX_CLOCK_SKEW_MS;
        assert_eq!(e.validate(NOW, &Vocab).unwrap().ts, NOW + MAX_CLOCK_SKEW_MS);
        e.ts = NOW - 5_000;
        assert_eq!(e.validate(NOW, &Vocab).unwrap().ts, NOW - 5_000);
    }

    #[test]
    fn variants_and_exposures_must_be_configured() {
        let mut e = event("page_view", &[]);
        e.variants.insert("scoring-algorithm".into(), "v3".into());
        assert!(e.validate(NOW, &Vocab).is_err());
        let ok = event(
            "exposure",
            &[
                ("experiment", "scoring-algorithm".into()),
                ("variant", "v1".into()),
            ],
        );
        assert!(ok.validate(NOW, &Vocab).is_ok());
        let bad = event(
            "exposure",
            &[
                ("experiment", "checkout-flow".into()),
                ("variant", "a".into()),
            ],
        );
        assert!(bad.validate(NOW, &Vocab).is_err());
    }

    #[test]
    fn buckets_document_sizes() {
        assert_eq!(size_bucket(0), "<1k");
        assert_eq!(size_bucket(2_999), "1k-3k");
        assert_eq!(size_bucket(3_000), "3k-10k");
        assert_eq!(size_bucket(100_000), "30k+");
    }

    #[test]
    fn words_and_numbers_round_trip_through_json() {
        let e = score(42);
        let json = serde_json::to_string(&e).unwrap();
        let back: RawEvent = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
    }
}
