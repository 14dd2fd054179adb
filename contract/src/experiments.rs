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
/// key (the hash seed), its variants' names, weights and coverage.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Assignable {
    pub key: String,
    pub variants: Vec<String>,
    pub weights: Vec<f64>,
    pub coverage: f64,
}

impl Assignable {
    /// The variant index for `visitor`, or `None` when the visitor is outside
    /// the experiment's coverage (they see the control and are not counted).
    pub fn assign(&self, visitor: &str) -> Option<usize> {
        let n = hash(&self.key, visitor, 2)?;
        let ranges = bucket_ranges(self.variants.len(), self.coverage, Some(&self.weights));
        choose_variation(n, &ranges)
    }
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

    #[test]
    fn assignment_is_sticky_for_a_visitor() {
        let exp = Assignable {
            key: "result-layout".into(),
            variants: vec!["a".into(), "b".into()],
            weights: vec![0.5, 0.5],
            coverage: 1.0,
        };
        let first = exp.assign("0123456789abcdef0123456789abcdef");
        assert!(first.is_some());
        for _ in 0..10 {
            assert_eq!(exp.assign("0123456789abcdef0123456789abcdef"), first);
        }
    }
}
