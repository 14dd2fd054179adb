//! Experiment assignment, bit-for-bit compatible with GrowthBook's SDKs.
//!
//! The same code runs on the server (when the page is rendered, so the first
//! paint already shows the visitor's variant) and in the browser (which
//! computes the same answer from the same visitor id and definitions).
//!
//! Ported from the behaviour GrowthBook documents and tests in its shared
//! `cases.json` (sections `hash`, `getBucketRange`, `chooseVariation`), which
//! `tests/growthbook.rs` runs against this module.

/// FNV-1a, 32 bits, over the string's UTF-16 code units (JavaScript's
/// `charCodeAt`), as GrowthBook's SDKs compute it.
pub fn fnv1a32(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for unit in s.encode_utf16() {
        h ^= u32::from(unit);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// GrowthBook's `hash(seed, value, version)`: a number in [0, 1).
/// Version 2 (unbiased) hashes twice; version 1 is the original; any other
/// version is unknown (`None`).
pub fn hash(seed: &str, value: &str, version: u32) -> Option<f64> {
    match version {
        2 => {
            let inner = fnv1a32(&format!("{seed}{value}"));
            Some(f64::from(fnv1a32(&inner.to_string()) % 10_000) / 10_000.0)
        }
        1 => Some(f64::from(fnv1a32(&format!("{value}{seed}")) % 1_000) / 1_000.0),
        _ => None,
    }
}

/// `n` equal weights (empty for `n == 0`).
pub fn equal_weights(n: usize) -> Vec<f64> {
    if n == 0 {
        Vec::new()
    } else {
        vec![1.0 / n as f64; n]
    }
}

/// GrowthBook's `getBucketRanges`: one `[start, end)` range per variation.
/// Coverage is clamped to [0, 1]; missing weights, weights of the wrong count
/// or not summing to 1 (±0.01) fall back to equal weights.
pub fn bucket_ranges(variations: usize, coverage: f64, weights: Option<&[f64]>) -> Vec<(f64, f64)> {
    let coverage = coverage.clamp(0.0, 1.0);
    let equal = equal_weights(variations);
    let mut weights: Vec<f64> = match weights {
        Some(w) if w.len() == variations => w.to_vec(),
        _ => equal.clone(),
    };
    let total: f64 = weights.iter().sum();
    if !(0.99..=1.01).contains(&total) {
        weights = equal;
    }
    let mut cumulative = 0.0;
    weights
        .iter()
        .map(|w| {
            let start = cumulative;
            cumulative += w;
            (start, start + coverage * w)
        })
        .collect()
}

/// GrowthBook's `chooseVariation`: the index of the range holding `n`, or
/// `None` (GrowthBook's -1) when `n` falls outside every range.
pub fn choose_variation(n: f64, ranges: &[(f64, f64)]) -> Option<usize> {
    ranges
        .iter()
        .position(|&(start, end)| n >= start && n < end)
}

/// What the page and the server need to assign a visitor: the experiment's
/// key (the hash seed), its variants (the first is the control), weights and
/// coverage in parts per million (so the browser gets exactly the numbers the
/// server uses without parsing decimals), and whether it is running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignable {
    pub key: String,
    pub variants: Vec<String>,
    pub weights_ppm: Vec<u32>,
    pub coverage_ppm: u32,
    pub running: bool,
}

/// Parts per million of a fraction given with up to six decimals.
pub fn to_ppm(x: f64) -> u32 {
    (x.clamp(0.0, 1.0) * 1_000_000.0).round() as u32
}

impl Assignable {
    pub fn weights(&self) -> Vec<f64> {
        self.weights_ppm
            .iter()
            .map(|&w| f64::from(w) / 1_000_000.0)
            .collect()
    }

    pub fn coverage(&self) -> f64 {
        f64::from(self.coverage_ppm) / 1_000_000.0
    }

    /// The variant index GrowthBook would give `visitor`, or `None` when the
    /// visitor falls outside the experiment's coverage.
    pub fn assign(&self, visitor: &str) -> Option<usize> {
        let n = hash(&self.key, visitor, 2)?;
        let ranges = bucket_ranges(self.variants.len(), self.coverage(), Some(&self.weights()));
        choose_variation(n, &ranges)
    }
}

/// Everything the page needs to show a visitor their variants, rendered into
/// the page by the server so the browser computes the same assignment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bootstrap {
    /// The anonymous visitor id (empty when unknown).
    pub visitor: String,
    /// False when the browser sent `DNT: 1` or `Sec-GPC: 1`: no events, control variants.
    pub tracking: bool,
    pub experiments: Vec<Assignable>,
}

impl Bootstrap {
    /// A compact text form for an HTML attribute:
    /// `v=<visitor>;t=<0|1>;e=<key>,<running>,<coverage>,<variant>:<weight>|…;e=…`.
    /// Keys and variant names are slugs, so the separators never occur in them.
    pub fn encode(&self) -> String {
        let mut out = format!("v={};t={}", self.visitor, u8::from(self.tracking));
        for e in &self.experiments {
            let variants: Vec<String> = e
                .variants
                .iter()
                .zip(&e.weights_ppm)
                .map(|(v, w)| format!("{v}:{w}"))
                .collect();
            out.push_str(&format!(
                ";e={},{},{},{}",
                e.key,
                u8::from(e.running),
                e.coverage_ppm,
                variants.join("|")
            ));
        }
        out
    }

    /// Reads what `encode` wrote; `None` if it is damaged.
    pub fn decode(text: &str) -> Option<Self> {
        let mut boot = Bootstrap::default();
        for part in text.split(';') {
            let (tag, value) = part.split_once('=')?;
            match tag {
                "v" => boot.visitor = value.to_string(),
                "t" => boot.tracking = value == "1",
                "e" => {
                    let mut fields = value.splitn(4, ',');
                    let key = fields.next()?.to_string();
                    let running = fields.next()? == "1";
                    let coverage_ppm = fields.next()?.parse().ok()?;
                    let mut variants = Vec::new();
                    let mut weights_ppm = Vec::new();
                    for v in fields.next()?.split('|') {
                        let (name, w) = v.split_once(':')?;
                        variants.push(name.to_string());
                        weights_ppm.push(w.parse().ok()?);
                    }
                    boot.experiments.push(Assignable {
                        key,
                        variants,
                        weights_ppm,
                        coverage_ppm,
                        running,
                    });
                }
                _ => return None,
            }
        }
        Some(boot)
    }
}

/// The variant a visitor sees in one experiment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub experiment: String,
    pub variant: String,
    /// Counted in the analysis: running, assigned by the hash (not forced with
    /// `?exp.`), tracking allowed. Only counted assignments send an `exposure`
    /// and go into events' `variants`.
    pub counted: bool,
}

/// `?exp.<key>=<variant>` pairs in a query string (with or without the `?`).
pub fn forced_from_query(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter_map(|(k, v)| Some((k.strip_prefix("exp.")?.to_string(), v.to_string())))
        .collect()
}

/// Every experiment's variant for this visitor. Forced variants win (for QA,
/// not counted); experiments that are not running, visitors outside the
/// coverage and visitors who do not want to be tracked see the control.
pub fn assign_all(boot: &Bootstrap, forced: &[(String, String)]) -> Vec<Assignment> {
    boot.experiments
        .iter()
        .filter(|e| !e.variants.is_empty())
        .map(|e| {
            if let Some((_, v)) = forced
                .iter()
                .find(|(k, v)| *k == e.key && e.variants.contains(v))
            {
                return Assignment {
                    experiment: e.key.clone(),
                    variant: v.clone(),
                    counted: false,
                };
            }
            let hashed = (e.running && boot.tracking && !boot.visitor.is_empty())
                .then(|| e.assign(&boot.visitor))
                .flatten();
            Assignment {
                experiment: e.key.clone(),
                variant: e.variants[hashed.unwrap_or(0)].clone(),
                counted: hashed.is_some(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a32_matches_the_reference_values() {
        // Published FNV-1a 32-bit test values (ASCII input).
        assert_eq!(fnv1a32(""), 0x811c9dc5);
        assert_eq!(fnv1a32("a"), 0xe40c292c);
        assert_eq!(fnv1a32("foobar"), 0xbf9cf968);
    }

    #[test]
    fn an_unknown_hash_version_has_no_hash() {
        assert_eq!(hash("seed", "id", 3), None);
    }

    #[test]
    fn ranges_leave_uncovered_gaps_between_variants() {
        let r = bucket_ranges(2, 0.5, None);
        assert_eq!(r, vec![(0.0, 0.25), (0.5, 0.75)]);
        assert_eq!(choose_variation(0.3, &r), None);
        assert_eq!(choose_variation(0.6, &r), Some(1));
    }

    fn layout() -> Assignable {
        Assignable {
            key: "result-layout".into(),
            variants: vec!["summary-first".into(), "keywords-first".into()],
            weights_ppm: vec![500_000, 500_000],
            coverage_ppm: 1_000_000,
            running: true,
        }
    }

    const VISITOR: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn assignment_is_sticky_for_a_visitor() {
        let exp = layout();
        let first = exp.assign(VISITOR);
        assert!(first.is_some());
        for _ in 0..10 {
            assert_eq!(exp.assign(VISITOR), first);
        }
    }

    #[test]
    fn ppm_weights_are_the_same_numbers_as_the_decimals() {
        assert_eq!(f64::from(to_ppm(0.2)) / 1e6, 0.2);
        assert_eq!(f64::from(to_ppm(0.3)) / 1e6, 0.3);
        assert_eq!(f64::from(to_ppm(1.0 / 3.0)) / 1e6, 0.333333);
    }

    #[test]
    fn the_bootstrap_survives_its_text_form() {
        let boot = Bootstrap {
            visitor: VISITOR.into(),
            tracking: true,
            experiments: vec![
                layout(),
                Assignable {
                    running: false,
                    ..layout()
                },
            ],
        };
        let text = boot.encode();
        assert_eq!(Bootstrap::decode(&text), Some(boot));
        assert_eq!(Bootstrap::decode("v=x;t=1;e=broken"), None);
    }

    #[test]
    fn forced_variants_win_and_are_not_counted() {
        let boot = Bootstrap {
            visitor: VISITOR.into(),
            tracking: true,
            experiments: vec![layout()],
        };
        let forced = forced_from_query("?a=1&exp.result-layout=keywords-first");
        let a = assign_all(&boot, &forced);
        assert_eq!(a[0].variant, "keywords-first");
        assert!(!a[0].counted);
        // An unknown forced variant is ignored.
        let a = assign_all(&boot, &forced_from_query("exp.result-layout=zzz"));
        assert!(a[0].counted);
    }

    #[test]
    fn no_tracking_or_not_running_means_the_control_uncounted() {
        let mut boot = Bootstrap {
            visitor: VISITOR.into(),
            tracking: false,
            experiments: vec![layout()],
        };
        assert_eq!(
            assign_all(&boot, &[]),
            vec![Assignment {
                experiment: "result-layout".into(),
                variant: "summary-first".into(),
                counted: false
            }]
        );
        boot.tracking = true;
        boot.experiments[0].running = false;
        assert!(!assign_all(&boot, &[])[0].counted);
    }
}
