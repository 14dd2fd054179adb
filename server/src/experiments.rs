//! The experiments configuration (`experiments.toml`): parsing, validation with
//! messages that name the experiment and the field, and the questions the rest
//! of the server asks of it (is this a configured variant? which goals does
//! this event meet?).

use std::{collections::BTreeMap, path::Path};

use anyhow::{Context, bail};
use contract::{
    events::{Event, EventKind, PropType, Vocabulary},
    experiments::{Assignable, to_ppm},
    text::is_slug,
};
use serde::Deserialize;

/// The file shipped in the repository, used when no file is at the default path.
pub const BUILT_IN: &str = include_str!("../../experiments.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    experiment: Vec<RawExperiment>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExperiment {
    key: String,
    #[serde(default)]
    description: String,
    status: String,
    start: String,
    #[serde(default = "one")]
    coverage: f64,
    variants: Vec<RawVariant>,
    #[serde(default)]
    goals: Vec<RawGoal>,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariant {
    name: String,
    weight: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGoal {
    name: String,
    event: String,
    #[serde(default)]
    equals: BTreeMap<String, String>,
    #[serde(default)]
    at_least: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Running,
    Stopped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Running => "running",
            Status::Stopped => "stopped",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub name: String,
    pub event: EventKind,
    pub equals: BTreeMap<String, String>,
    pub at_least: BTreeMap<String, i64>,
}

impl Goal {
    pub fn matches(&self, event: &Event) -> bool {
        event.kind == self.event
            && self
                .equals
                .iter()
                .all(|(p, want)| event.word(p) == Some(want.as_str()))
            && self
                .at_least
                .iter()
                .all(|(p, min)| event.int(p).is_some_and(|v| v >= *min))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Experiment {
    pub key: String,
    pub description: String,
    pub status: Status,
    pub start: String,
    pub coverage: f64,
    /// Name and weight; the first is the control.
    pub variants: Vec<(String, f64)>,
    pub goals: Vec<Goal>,
}

/// Every configured experiment, validated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalog {
    pub experiments: Vec<Experiment>,
}

impl Catalog {
    /// Reads `path`; when `path` is the default and no file is there, the
    /// built-in copy is used.
    pub fn load(path: &Path, is_default: bool) -> anyhow::Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text)
                .with_context(|| format!("invalid experiments file {}", path.display())),
            Err(e) if is_default && e.kind() == std::io::ErrorKind::NotFound => {
                tracing::info!(path = %path.display(), "no experiments file: using the built-in one");
                Self::parse(BUILT_IN).context("the built-in experiments file is invalid")
            }
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let file: File = toml::from_str(text).map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut experiments: Vec<Experiment> = Vec::new();
        for raw in file.experiment {
            let e = validate(raw)?;
            if experiments.iter().any(|x| x.key == e.key) {
                bail!("experiment {:?} is defined twice", e.key);
            }
            experiments.push(e);
        }
        Ok(Self { experiments })
    }

    pub fn get(&self, key: &str) -> Option<&Experiment> {
        self.experiments.iter().find(|e| e.key == key)
    }

    /// What the page needs to assign visitors (weights in parts per million).
    pub fn assignables(&self) -> Vec<Assignable> {
        self.experiments
            .iter()
            .map(|e| Assignable {
                key: e.key.clone(),
                variants: e.variants.iter().map(|(n, _)| n.clone()).collect(),
                weights_ppm: e.variants.iter().map(|(_, w)| to_ppm(*w)).collect(),
                coverage_ppm: to_ppm(e.coverage),
                running: e.status == Status::Running,
            })
            .collect()
    }

    /// `(experiment, goal)` for every goal of every experiment `event` meets,
    /// whatever variants it carries (the event writer checks the exposure).
    pub fn goals_met<'a>(&'a self, event: &'a Event) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.experiments.iter().flat_map(move |e| {
            e.goals
                .iter()
                .filter(move |g| g.matches(event))
                .map(move |g| (e.key.as_str(), g.name.as_str()))
        })
    }

    /// `(experiment, variant, goal)` for every goal `event` meets, in the
    /// experiments the event's visitor is counted in.
    pub fn conversions<'a>(
        &'a self,
        event: &'a Event,
    ) -> impl Iterator<Item = (&'a str, &'a str, &'a str)> {
        event.variants.iter().flat_map(move |(exp, variant)| {
            self.get(exp).into_iter().flat_map(move |e| {
                e.goals
                    .iter()
                    .filter(move |g| g.matches(event))
                    .map(move |g| (e.key.as_str(), variant.as_str(), g.name.as_str()))
            })
        })
    }
}

impl Vocabulary for Catalog {
    fn has_variant(&self, experiment: &str, variant: &str) -> bool {
        self.get(experiment)
            .is_some_and(|e| e.variants.iter().any(|(n, _)| n == variant))
    }
}

fn validate(raw: RawExperiment) -> anyhow::Result<Experiment> {
    let key = raw.key;
    if !is_slug(&key) {
        bail!("experiment key {key:?} must be 1–64 characters of a-z, 0-9, '.', '_', '-'");
    }
    let status = match raw.status.as_str() {
        "draft" => Status::Draft,
        "running" => Status::Running,
        "stopped" => Status::Stopped,
        other => bail!("experiment {key:?}: status {other:?} must be draft, running or stopped"),
    };
    if !is_date(&raw.start) {
        bail!(
            "experiment {key:?}: start {:?} must be a date such as 2026-11-23",
            raw.start
        );
    }
    if !(0.0..=1.0).contains(&raw.coverage) {
        bail!(
            "experiment {key:?}: coverage {} must be between 0 and 1",
            raw.coverage
        );
    }
    if raw.variants.len() < 2 {
        bail!("experiment {key:?}: needs at least two variants (the first is the control)");
    }
    let mut variants: Vec<(String, f64)> = Vec::new();
    for v in raw.variants {
        if !is_slug(&v.name) {
            bail!(
                "experiment {key:?}: variant name {:?} must be 1–64 characters of a-z, 0-9, '.', '_', '-'",
                v.name
            );
        }
        if variants.iter().any(|(n, _)| *n == v.name) {
            bail!("experiment {key:?}: variant {:?} is listed twice", v.name);
        }
        if !(0.0..=1.0).contains(&v.weight) {
            bail!(
                "experiment {key:?}: variant {:?} has weight {}, which must be between 0 and 1",
                v.name,
                v.weight
            );
        }
        if (v.weight * 1e6 - (v.weight * 1e6).round()).abs() > 1e-6 {
            bail!(
                "experiment {key:?}: variant {:?} has weight {} with more than six decimals",
                v.name,
                v.weight
            );
        }
        variants.push((v.name, v.weight));
    }
    let total: f64 = variants.iter().map(|(_, w)| w).sum();
    if (total - 1.0).abs() > 1e-6 {
        bail!("experiment {key:?}: the variants' weights sum to {total}, not 1");
    }
    let mut goals: Vec<Goal> = Vec::new();
    for g in raw.goals {
        let event = EventKind::parse(&g.event).ok_or_else(|| {
            anyhow::anyhow!(
                "experiment {key:?}: goal {:?} names the unknown event {:?}",
                g.name,
                g.event
            )
        })?;
        if !is_slug(&g.name) || goals.iter().any(|x| x.name == g.name) {
            bail!(
                "experiment {key:?}: goal name {:?} must be a unique identifier",
                g.name
            );
        }
        let props = event.props();
        for p in g.equals.keys() {
            if !props
                .iter()
                .any(|(n, t)| n == p && matches!(t, PropType::Word(_) | PropType::Slug))
            {
                bail!(
                    "experiment {key:?}: goal {:?}: {} has no word property {p:?}",
                    g.name,
                    g.event
                );
            }
        }
        for p in g.at_least.keys() {
            if !props
                .iter()
                .any(|(n, t)| n == p && matches!(t, PropType::Int { .. }))
            {
                bail!(
                    "experiment {key:?}: goal {:?}: {} has no number property {p:?}",
                    g.name,
                    g.event
                );
            }
        }
        goals.push(Goal {
            name: g.name,
            event,
            equals: g.equals,
            at_least: g.at_least,
        });
    }
    Ok(Experiment {
        key,
        description: raw.description,
        status,
        start: raw.start,
        coverage: raw.coverage,
        variants,
        goals,
    })
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u32>().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        format!("{:#}", Catalog::parse(text).unwrap_err())
    }

    const ONE: &str = r#"
[[experiment]]
key = "x"
status = "running"
start = "2026-11-23"
variants = [{ name = "a", weight = 0.5 }, { name = "b", weight = 0.5 }]
"#;

    #[test]
    fn the_shipped_file_is_valid_and_has_the_three_experiments() {
        let c = Catalog::parse(BUILT_IN).unwrap();
        let keys: Vec<&str> = c.experiments.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            ["scoring-algorithm", "recommendation-style", "result-layout"]
        );
        assert!(c.experiments.iter().all(|e| e.status == Status::Running));
        assert_eq!(c.get("scoring-algorithm").unwrap().variants[0].0, "v2");
    }

    #[test]
    fn the_end_to_end_visitors_land_where_the_tests_expect() {
        // end2end/tests/fixtures.ts: CONTROL_VISITOR and TREATMENT_VISITOR.
        let c = Catalog::parse(BUILT_IN).unwrap();
        for e in c.assignables() {
            assert_eq!(
                e.assign("00000000000000000000000000000001"),
                Some(0),
                "{}",
                e.key
            );
            assert_eq!(
                e.assign("000000000000000000000000000003eb"),
                Some(1),
                "{}",
                e.key
            );
        }
    }

    #[test]
    fn a_minimal_experiment_parses() {
        let c = Catalog::parse(ONE).unwrap();
        assert_eq!(c.experiments[0].coverage, 1.0);
        assert!(c.has_variant("x", "b"));
        assert!(!c.has_variant("x", "c"));
    }

    #[test]
    fn rejects_an_unknown_key() {
        let e = err(&ONE.replace("status =", "colour = \"red\"\nstatus ="));
        assert!(e.contains("unknown field `colour`"), "{e}");
    }

    #[test]
    fn rejects_weights_that_do_not_sum_to_one() {
        let e = err(&ONE.replace("weight = 0.5 }]", "weight = 0.4 }]"));
        assert_eq!(
            e,
            "experiment \"x\": the variants' weights sum to 0.9, not 1"
        );
    }

    #[test]
    fn rejects_a_duplicate_variant() {
        let e = err(&ONE.replace("name = \"b\"", "name = \"a\""));
        assert_eq!(e, "experiment \"x\": variant \"a\" is listed twice");
    }

    #[test]
    fn rejects_a_duplicate_experiment_a_bad_status_and_an_unknown_goal_event() {
        assert_eq!(
            err(&format!("{ONE}{ONE}")),
            "experiment \"x\" is defined twice"
        );
        let e = err(&ONE.replace("\"running\"", "\"paused\""));
        assert!(
            e.contains("status \"paused\" must be draft, running or stopped"),
            "{e}"
        );
        let e = err(&format!(
            "{ONE}goals = [{{ name = \"g\", event = \"clicked\" }}]\n"
        ));
        assert!(e.contains("names the unknown event \"clicked\""), "{e}");
    }

    #[test]
    fn rejects_a_goal_on_a_property_the_event_lacks() {
        let e = err(&format!(
            "{ONE}goals = [{{ name = \"g\", event = \"page_view\", at_least = {{ rating = 4 }} }}]\n"
        ));
        assert!(
            e.contains("page_view has no number property \"rating\""),
            "{e}"
        );
    }

    #[test]
    fn goals_match_on_kind_words_and_thresholds() {
        let c = Catalog::parse(BUILT_IN).unwrap();
        let goal = &c.get("scoring-algorithm").unwrap().goals[0];
        let mut props = BTreeMap::new();
        props.insert(
            "question".to_string(),
            contract::events::Prop::from("accuracy"),
        );
        props.insert("rating".to_string(), contract::events::Prop::from(4));
        let mut event = Event {
            id: String::new(),
            kind: EventKind::RatingSubmitted,
            ts: 0,
            session: String::new(),
            page: "/".into(),
            variants: [("scoring-algorithm".to_string(), "v1".to_string())].into(),
            props,
        };
        assert!(goal.matches(&event));
        let conv: Vec<_> = c.conversions(&event).collect();
        assert_eq!(conv, vec![("scoring-algorithm", "v1", "accurate-rating")]);
        event
            .props
            .insert("rating".into(), contract::events::Prop::from(3));
        assert!(!goal.matches(&event));
    }
}
