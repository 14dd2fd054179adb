//! The visitor's experiment variants, the same on the server and in the browser.
//!
//! The server renders the inputs into the page (`<body data-boot="…">`, see
//! `contract::experiments::Bootstrap`): the visitor id, whether they may be
//! tracked and the experiments. Both sides then run the same GrowthBook-
//! compatible assignment on them and on the address's `?exp.` overrides, so
//! the first paint already shows the variant and hydration never flips it.

use std::collections::BTreeMap;

use contract::experiments::{Assignment, Bootstrap, assign_all, forced_from_query};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use scoring::Variant;

pub const SCORING: &str = "scoring-algorithm";
pub const RECOMMENDATIONS: &str = "recommendation-style";
pub const LAYOUT: &str = "result-layout";

/// The page's bootstrap: from the server's context while rendering, from the
/// `data-boot` attribute in the browser.
pub fn bootstrap() -> Bootstrap {
    #[cfg(feature = "hydrate")]
    {
        thread_local! {
            static BOOT: Bootstrap = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body())
                .and_then(|b| b.get_attribute("data-boot"))
                .and_then(|text| Bootstrap::decode(&text))
                .unwrap_or_default();
        }
        BOOT.with(Clone::clone)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        use_context::<Bootstrap>().unwrap_or_default()
    }
}

/// Every experiment's variant for this visitor on this page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Variants {
    pub assignments: Vec<Assignment>,
    pub tracking: bool,
}

impl Variants {
    pub fn of(boot: &Bootstrap, query: &str) -> Self {
        Self {
            assignments: assign_all(boot, &forced_from_query(query)),
            tracking: boot.tracking,
        }
    }

    /// The variant shown in `experiment`, if it is configured.
    pub fn variant(&self, experiment: &str) -> Option<&str> {
        self.assignments
            .iter()
            .find(|a| a.experiment == experiment)
            .map(|a| a.variant.as_str())
    }

    /// The scoring algorithm to run: the variant's name (`v1`, `v2`, `v3`),
    /// else v2, the experiment's control (also when it is absent).
    pub fn scoring(&self) -> Variant {
        self.variant(SCORING)
            .and_then(|name| name.parse().ok())
            .unwrap_or(Variant::V2)
    }

    /// Recommendations as a plain list, without ranks or point gains.
    pub fn plain_recommendations(&self) -> bool {
        self.variant(RECOMMENDATIONS) == Some("plain")
    }

    /// The result panel's layout variant, used as a CSS class.
    pub fn layout(&self) -> &str {
        self.variant(LAYOUT).unwrap_or("summary-first")
    }

    /// Counted assignments (`experiment → variant`), attached to every event.
    pub fn counted(&self) -> BTreeMap<String, String> {
        self.assignments
            .iter()
            .filter(|a| a.counted)
            .map(|a| (a.experiment.clone(), a.variant.clone()))
            .collect()
    }
}

/// The variants for the current page (call inside the router).
pub fn use_variants() -> Variants {
    let query = use_location().search.get_untracked();
    Variants::of(&bootstrap(), &query)
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::experiments::Assignable;

    fn boot() -> Bootstrap {
        let exp = |key: &str, a: &str, b: &str| Assignable {
            key: key.into(),
            variants: vec![a.into(), b.into()],
            weights_ppm: vec![500_000, 500_000],
            coverage_ppm: 1_000_000,
            running: true,
        };
        Bootstrap {
            visitor: "0123456789abcdef0123456789abcdef".into(),
            tracking: true,
            experiments: vec![
                exp(SCORING, "v2", "v3"),
                exp(RECOMMENDATIONS, "ranked", "plain"),
                exp(LAYOUT, "summary-first", "keywords-first"),
            ],
        }
    }

    #[test]
    fn forcing_v3_runs_the_v3_algorithm_and_is_not_counted() {
        let v = Variants::of(&boot(), "?exp.scoring-algorithm=v3");
        assert_eq!(v.scoring(), Variant::V3);
        assert!(!v.counted().contains_key(SCORING));
    }

    #[test]
    fn each_variant_name_runs_its_algorithm() {
        for (name, algorithm) in [
            ("v1", Variant::V1),
            ("v2", Variant::V2),
            ("v3", Variant::V3),
        ] {
            let mut b = boot();
            b.experiments[0].variants = vec![name.into(), "v2".into()];
            b.experiments[0].weights_ppm = vec![1_000_000, 0];
            assert_eq!(Variants::of(&b, "").scoring(), algorithm, "{name}");
        }
    }

    #[test]
    fn an_unknown_variant_name_runs_the_control() {
        let mut b = boot();
        b.experiments[0].variants = vec!["v9".into(), "v2".into()];
        b.experiments[0].weights_ppm = vec![1_000_000, 0];
        assert_eq!(Variants::of(&b, "").scoring(), Variant::V2);
    }

    #[test]
    fn without_tracking_everyone_sees_the_controls() {
        let mut b = boot();
        b.tracking = false;
        let v = Variants::of(&b, "");
        assert_eq!(v.scoring(), Variant::V2);
        assert!(!v.plain_recommendations());
        assert_eq!(v.layout(), "summary-first");
        assert!(v.counted().is_empty());
    }

    #[test]
    fn an_empty_bootstrap_means_the_defaults() {
        let v = Variants::of(&Bootstrap::default(), "");
        assert_eq!(v.scoring(), Variant::V2);
        assert_eq!(v.layout(), "summary-first");
    }
}
