//! The experiment statistics agree with GrowthBook's own engine: the same counts
//! go to `server::admin::stats` and to gbstats 0.8.0 (tools/gbstats_check.py in
//! the venv scripts/setup.sh makes), and every number must match to 1e-6.

use std::{io::Write, path::PathBuf, process::Command};

use serde_json::{Value, json};
use server::admin::stats::{Summary, compare, srm_p_value};

const TOLERANCE: f64 = 1e-6;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run_gbstats(input: &Value) -> Value {
    let python = repo_root().join("tools/.venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup.sh (it installs gbstats 0.8.0)",
        python.display()
    );
    let mut child = Command::new(python)
        .arg(repo_root().join("tools/gbstats_check.py"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the gbstats helper starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "gbstats helper failed");
    serde_json::from_slice(&out.stdout).expect("the helper prints JSON")
}

/// (kind, control, treatment): proportions as (n, conversions), means as (n, sum, sum of squares).
fn data_sets() -> Vec<(&'static str, [f64; 3], [f64; 3])> {
    vec![
        // proportions
        ("proportion", [1000.0, 100.0, 0.0], [1000.0, 120.0, 0.0]),
        ("proportion", [1000.0, 100.0, 0.0], [1100.0, 130.0, 0.0]), // unequal sizes
        (
            "proportion",
            [52_310.0, 4_101.0, 0.0],
            [17_020.0, 1_420.0, 0.0],
        ), // 3:1 split
        ("proportion", [40.0, 3.0, 0.0], [55.0, 1.0, 0.0]),         // small and worse
        ("proportion", [800.0, 0.0, 0.0], [790.0, 4.0, 0.0]),       // control has none
        ("proportion", [800.0, 12.0, 0.0], [790.0, 0.0, 0.0]),      // treatment has none
        (
            "proportion",
            [10_000.0, 9_990.0, 0.0],
            [10_000.0, 9_985.0, 0.0],
        ), // near 1
        ("proportion", [2.0, 1.0, 0.0], [3.0, 2.0, 0.0]),           // tiny
        // means (e.g. ratings, seconds on the page)
        ("mean", [400.0, 1_480.0, 5_900.0], [380.0, 1_460.0, 5_950.0]),
        ("mean", [120.0, 410.0, 1_530.0], [300.0, 1_140.0, 4_600.0]), // unequal sizes
        (
            "mean",
            [5_000.0, 61_000.0, 1_400_000.0],
            [5_200.0, 60_100.0, 1_310_000.0],
        ),
        ("mean", [10.0, 0.0, 0.0], [10.0, 5.0, 5.0]), // zero control mean
        ("mean", [10.0, 30.0, 90.0], [12.0, 40.0, 150.0]), // control without variance
    ]
}

fn summary(kind: &str, s: [f64; 3]) -> Summary {
    match kind {
        "proportion" => Summary::proportion(s[0] as u64, s[1] as u64),
        _ => Summary::mean(s[0] as u64, s[1], s[2]),
    }
}

fn close(what: &str, case: usize, ours: f64, theirs: &Value) {
    let theirs = theirs
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {theirs}"));
    assert!(
        (ours - theirs).abs() <= TOLERANCE,
        "data set {case}: {what} is {ours}, gbstats says {theirs}"
    );
}

#[test]
fn lift_intervals_p_values_chance_to_win_and_risk_agree_with_gbstats() {
    let sets = data_sets();
    let input = json!({
        "comparisons": sets.iter().map(|(kind, a, b)| json!({
            "kind": kind,
            "a": {"n": a[0], "sum": a[1], "sum_squares": a[2]},
            "b": {"n": b[0], "sum": b[1], "sum_squares": b[2]},
        })).collect::<Vec<_>>(),
        "srm": [],
    });
    let out = run_gbstats(&input);
    assert_eq!(out["gbstats"], "0.8.0");
    let theirs = out["comparisons"].as_array().unwrap();
    assert_eq!(theirs.len(), sets.len());
    let mut with_result = 0;
    for (i, ((kind, a, b), g)) in sets.iter().zip(theirs).enumerate() {
        let c = compare(&summary(kind, *a), &summary(kind, *b), 0.05);
        with_result += usize::from(c.no_result.is_none());
        close("lift", i, c.lift, &g["lift"]);
        close("ci low", i, c.ci.0, &g["ci"][0]);
        close("ci high", i, c.ci.1, &g["ci"][1]);
        close("p-value", i, c.p_value, &g["p_value"]);
        close("chance to win", i, c.chance_to_win, &g["chance_to_win"]);
        close(
            "credible low",
            i,
            c.credible_interval.0,
            &g["credible_interval"][0],
        );
        close(
            "credible high",
            i,
            c.credible_interval.1,
            &g["credible_interval"][1],
        );
        close("risk of control", i, c.risk.0, &g["risk"][0]);
        close("risk of treatment", i, c.risk.1, &g["risk"][1]);
    }
    // The sets exercise real comparisons, not only the neutral fallbacks.
    assert!(
        with_result >= 9,
        "only {with_result} data sets had a result"
    );
}

#[test]
fn sample_ratio_mismatch_p_values_agree_with_gbstats() {
    let cases: Vec<(Vec<u64>, Vec<f64>)> = vec![
        (vec![5000, 5000], vec![0.5, 0.5]),
        (vec![5000, 5400], vec![0.5, 0.5]),
        (vec![1020, 980], vec![0.5, 0.5]),
        (vec![200, 310, 490], vec![0.2, 0.3, 0.5]),
        (vec![260, 300, 440], vec![0.2, 0.3, 0.5]),
        (vec![7500, 2600], vec![0.75, 0.25]),
        (vec![0, 0], vec![0.5, 0.5]),
        (vec![3, 0], vec![0.5, 0.5]),
    ];
    let input = json!({
        "comparisons": [],
        "srm": cases.iter().map(|(u, w)| json!({"units": u, "weights": w})).collect::<Vec<_>>(),
    });
    let out = run_gbstats(&input);
    for (i, ((units, weights), g)) in cases.iter().zip(out["srm"].as_array().unwrap()).enumerate() {
        close("SRM p-value", i, srm_p_value(units, weights), g);
    }
}
