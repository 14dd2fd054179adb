//! GrowthBook's shared SDK test vectors (`../shared/fixtures/growthbook/cases.json`,
//! see its SOURCE.md), sections `hash`, `getBucketRange` and `chooseVariation`:
//! every case must pass. Then the split of 100,000 random visitors.

use contract::experiments::{Assignable, bucket_ranges, choose_variation, hash};
use serde_json::Value;

fn cases() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/fixtures/growthbook/cases.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("cases.json is JSON")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn every_growthbook_hash_case_passes() {
    let cases = cases();
    let list = cases["hash"].as_array().unwrap();
    assert!(list.len() >= 10);
    for case in list {
        let seed = case[0].as_str().unwrap();
        let value = case[1].as_str().unwrap();
        let version = case[2].as_u64().unwrap() as u32;
        let got = hash(seed, value, version);
        match case[3].as_f64() {
            Some(want) => assert!(
                got.is_some_and(|g| close(g, want)),
                "hash({seed:?}, {value:?}, {version}) = {got:?}, want {want}"
            ),
            None => assert_eq!(got, None, "hash({seed:?}, {value:?}, {version})"),
        }
    }
}

#[test]
fn every_growthbook_bucket_range_case_passes() {
    let cases = cases();
    let list = cases["getBucketRange"].as_array().unwrap();
    assert!(list.len() >= 10);
    for case in list {
        let name = case[0].as_str().unwrap();
        let args = &case[1];
        let n = args[0].as_u64().unwrap() as usize;
        let coverage = args[1].as_f64().unwrap();
        let weights: Option<Vec<f64>> = args[2]
            .as_array()
            .map(|w| w.iter().map(|x| x.as_f64().unwrap()).collect());
        let got = bucket_ranges(n, coverage, weights.as_deref());
        let want: Vec<(f64, f64)> = case[2]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r[0].as_f64().unwrap(), r[1].as_f64().unwrap()))
            .collect();
        assert_eq!(got.len(), want.len(), "{name}");
        for (g, w) in got.iter().zip(&want) {
            // GrowthBook's cases are rounded to 6 decimals.
            assert!(
                (g.0 - w.0).abs() < 1e-6 && (g.1 - w.1).abs() < 1e-6,
                "{name}: got {got:?}, want {want:?}"
            );
        }
    }
}

#[test]
fn every_growthbook_choose_variation_case_passes() {
    let cases = cases();
    let list = cases["chooseVariation"].as_array().unwrap();
    assert!(list.len() >= 10);
    for case in list {
        let name = case[0].as_str().unwrap();
        let n = case[1].as_f64().unwrap();
        let ranges: Vec<(f64, f64)> = case[2]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r[0].as_f64().unwrap(), r[1].as_f64().unwrap()))
            .collect();
        let want = case[3].as_i64().unwrap();
        let got = choose_variation(n, &ranges).map_or(-1, |i| i as i64);
        assert_eq!(got, want, "{name}");
    }
}

/// A small deterministic generator (SplitMix64) so the test is reproducible.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn visitor_id(&mut self) -> String {
        format!("{:016x}{:016x}", self.next(), self.next())
    }
}

fn split(exp: &Assignable, visitors: usize) -> Vec<f64> {
    let mut rng = SplitMix(0x5eed);
    let mut counts = vec![0usize; exp.variants.len()];
    for _ in 0..visitors {
        let v = exp.assign(&rng.visitor_id()).expect("full coverage");
        counts[v] += 1;
    }
    counts.iter().map(|&c| c as f64 / visitors as f64).collect()
}

#[test]
fn a_fifty_fifty_experiment_splits_100000_visitors_within_one_percent() {
    let exp = Assignable {
        key: "scoring-algorithm".into(),
        variants: vec!["v2".into(), "v1".into()],
        weights_ppm: vec![500_000, 500_000],
        coverage_ppm: 1_000_000,
        running: true,
    };
    let shares = split(&exp, 100_000);
    for (share, want) in shares.iter().zip([0.5, 0.5]) {
        assert!((share - want).abs() < 0.01, "{shares:?}");
    }
}

#[test]
fn a_twenty_thirty_fifty_experiment_splits_100000_visitors_within_one_percent() {
    let exp = Assignable {
        key: "result-layout".into(),
        variants: vec!["a".into(), "b".into(), "c".into()],
        weights_ppm: vec![200_000, 300_000, 500_000],
        coverage_ppm: 1_000_000,
        running: true,
    };
    let shares = split(&exp, 100_000);
    for (share, want) in shares.iter().zip([0.2, 0.3, 0.5]) {
        assert!((share - want).abs() < 0.01, "{shares:?}");
    }
}
