//! Experiment statistics, following GrowthBook's stats engine (`gbstats` 0.8.0)
//! so the numbers on the admin page are the ones a GrowthBook user would see:
//!
//! - a metric per variant is a [`Summary`]: units, mean and variance (`p(1-p)` for
//!   proportions, the sample variance with `n-1` for means);
//! - relative lift `(b - a) / a` with the delta-method variance
//!   `var_b / (a² n_b) + var_a b² / (a⁴ n_a)`;
//! - frequentist: Welch–Satterthwaite degrees of freedom, two-sided t p-value and
//!   t interval;
//! - Bayesian with a flat (improper) prior: the lift posterior is normal with the
//!   same mean and variance; chance to win `P(lift > 0)`, risk as the expected loss
//!   of choosing each side, and a normal credible interval;
//! - sample-ratio mismatch: Pearson's chi-square of the exposures against the
//!   configured weights.
//!
//! Distributions come from `statrs`. `server/tests/api/gbstats.rs` runs gbstats
//! itself on the same inputs and requires agreement to 1e-6.

use serde::Serialize;
use statrs::distribution::{ChiSquared, Continuous, ContinuousCDF, Normal, StudentsT};

/// One metric for one variant, in gbstats' terms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    pub n: u64,
    pub mean: f64,
    pub variance: f64,
}

impl Summary {
    /// A conversion rate: `conversions` of `n` units converted.
    pub fn proportion(n: u64, conversions: u64) -> Self {
        let mean = if n == 0 {
            0.0
        } else {
            conversions as f64 / n as f64
        };
        Self {
            n,
            mean,
            variance: mean * (1.0 - mean),
        }
    }

    /// A mean of a value per unit from its sum and sum of squares.
    pub fn mean(n: u64, sum: f64, sum_squares: f64) -> Self {
        let nf = n as f64;
        Self {
            n,
            mean: if n == 0 { 0.0 } else { sum / nf },
            variance: if n <= 1 {
                0.0
            } else {
                (sum_squares - sum * sum / nf) / (nf - 1.0)
            },
        }
    }

    /// The 95% (1 − `alpha`) interval of the mean itself (normal approximation),
    /// clamped to `[lo, hi]` (e.g. 0..1 for a rate, 1..5 for a rating).
    pub fn interval(&self, alpha: f64, lo: f64, hi: f64) -> Option<(f64, f64)> {
        if self.n == 0 {
            return None;
        }
        let z = std_normal().inverse_cdf(1.0 - alpha / 2.0);
        let half = z * (self.variance.max(0.0) / self.n as f64).sqrt();
        Some(((self.mean - half).max(lo), (self.mean + half).min(hi)))
    }
}

/// Why a comparison could not be made (gbstats then reports its neutral defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoResult {
    /// The control's mean is zero: a relative lift is undefined.
    BaselineZero,
    /// A variant has no units.
    NoUnits,
    /// A variant's variance is zero (e.g. no conversions, or all converted).
    ZeroVariance,
}

/// The treatment against the control, on relative lift.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Comparison {
    /// Relative lift `(b - a) / a`.
    pub lift: f64,
    /// Standard error of the lift (delta method).
    pub lift_stddev: f64,
    /// Frequentist (Welch t) interval of the lift.
    pub ci: (f64, f64),
    pub p_value: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub dof: f64,
    /// Bayesian (flat prior): `P(lift > 0)`.
    pub chance_to_win: f64,
    /// Bayesian credible interval of the lift.
    pub credible_interval: (f64, f64),
    /// Expected relative loss if the control is kept (`.0`) or the treatment
    /// is chosen (`.1`).
    pub risk: (f64, f64),
    pub no_result: Option<NoResult>,
}

impl Comparison {
    fn neutral(why: NoResult) -> Self {
        Self {
            lift: 0.0,
            lift_stddev: 0.0,
            ci: (0.0, 0.0),
            p_value: 1.0,
            dof: 0.0,
            chance_to_win: 0.5,
            credible_interval: (0.0, 0.0),
            risk: (0.0, 0.0),
            no_result: Some(why),
        }
    }
}

fn std_normal() -> Normal {
    Normal::new(0.0, 1.0).expect("the standard normal")
}

/// Compares the treatment `b` with the control `a` at level `alpha` (0.05 → 95%).
pub fn compare(a: &Summary, b: &Summary, alpha: f64) -> Comparison {
    if a.n == 0 || b.n == 0 {
        return Comparison::neutral(NoResult::NoUnits);
    }
    if a.mean == 0.0 {
        return Comparison::neutral(NoResult::BaselineZero);
    }
    if a.variance <= 0.0 || b.variance <= 0.0 {
        return Comparison::neutral(NoResult::ZeroVariance);
    }
    let (na, nb) = (a.n as f64, b.n as f64);
    let lift = (b.mean - a.mean) / a.mean;
    let variance =
        b.variance / (a.mean.powi(2) * nb) + a.variance * b.mean.powi(2) / (a.mean.powi(4) * na);
    let sd = variance.sqrt();

    // Welch–Satterthwaite on the absolute variances, as gbstats does.
    let dof = (b.variance / nb + a.variance / na).powi(2)
        / (b.variance.powi(2) / (nb.powi(2) * (nb - 1.0))
            + a.variance.powi(2) / (na.powi(2) * (na - 1.0)));
    let t = StudentsT::new(0.0, 1.0, dof).expect("positive degrees of freedom");
    let p_value = 2.0 * t.sf((lift / sd).abs());
    let half = t.inverse_cdf(1.0 - alpha / 2.0) * sd;

    // Flat prior: the posterior of the lift is N(lift, sd²).
    let z = std_normal();
    let chance_to_win = z.sf(-lift / sd);
    let zq = z.inverse_cdf(1.0 - alpha / 2.0) * sd;
    let risk = risk(lift, sd);

    Comparison {
        lift,
        lift_stddev: sd,
        ci: (lift - half, lift + half),
        p_value,
        dof,
        chance_to_win,
        credible_interval: (lift - zq, lift + zq),
        risk,
        no_result: None,
    }
}

/// Expected loss under `N(mu, sigma²)`: keeping the control loses `E[max(X, 0)]`,
/// choosing the treatment loses `E[max(-X, 0)]` (gbstats' `get_risk`, written in
/// the closed form that stays exact far in the tails).
fn risk(mu: f64, sigma: f64) -> (f64, f64) {
    let z = std_normal();
    let beta = -mu / sigma;
    let pdf = z.pdf(beta);
    let below = z.cdf(beta); // P(X < 0)
    let above = z.sf(beta);
    let control = mu * above + sigma * pdf;
    let treatment = sigma * pdf - mu * below;
    (control, treatment)
}

/// p-value of Pearson's chi-square test of the units per variant against the
/// configured weights (gbstats' `check_srm`). 1 when there are no units.
pub fn srm_p_value(units: &[u64], weights: &[f64]) -> f64 {
    let total: u64 = units.iter().sum();
    if total == 0 || units.len() < 2 {
        return 1.0;
    }
    let total_weight: f64 = weights.iter().sum();
    let mut x = 0.0;
    for (&o, &w) in units.iter().zip(weights) {
        if w <= 0.0 {
            continue;
        }
        let e = w / total_weight * total as f64;
        x += (o as f64 - e).powi(2) / e;
    }
    ChiSquared::new((units.len() - 1) as f64)
        .expect("positive degrees of freedom")
        .sf(x)
}

/// Units needed per variant to detect a relative change `mde` of a conversion
/// rate `baseline` with a two-sided test at `alpha` and the given `power`.
pub fn sample_size_per_variant(baseline: f64, mde: f64, alpha: f64, power: f64) -> Option<u64> {
    let p2 = baseline * (1.0 + mde);
    if !(0.0..1.0).contains(&baseline)
        || baseline == 0.0
        || !(0.0..=1.0).contains(&p2)
        || mde == 0.0
    {
        return None;
    }
    let z = std_normal();
    let k = z.inverse_cdf(1.0 - alpha / 2.0) + z.inverse_cdf(power);
    let n = k * k * (baseline * (1.0 - baseline) + p2 * (1.0 - p2)) / (p2 - baseline).powi(2);
    Some(n.ceil() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proportion_uses_p_times_one_minus_p_as_its_variance() {
        let s = Summary::proportion(200, 50);
        assert_eq!(s.mean, 0.25);
        assert_eq!(s.variance, 0.1875);
    }

    #[test]
    fn a_mean_uses_the_sample_variance() {
        // values 1, 2, 3, 4
        let s = Summary::mean(4, 10.0, 30.0);
        assert_eq!(s.mean, 2.5);
        assert!((s.variance - 5.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn equal_rates_have_no_lift_and_an_even_chance() {
        let a = Summary::proportion(1000, 100);
        let c = compare(&a, &a, 0.05);
        assert_eq!(c.lift, 0.0);
        assert!((c.p_value - 1.0).abs() < 1e-12);
        assert!((c.chance_to_win - 0.5).abs() < 1e-12);
        assert!(c.ci.0 < 0.0 && c.ci.1 > 0.0);
        assert!((c.risk.0 - c.risk.1).abs() < 1e-12);
    }

    #[test]
    fn a_clear_improvement_is_significant_and_likely_to_win() {
        let a = Summary::proportion(5000, 500);
        let b = Summary::proportion(5000, 650);
        let c = compare(&a, &b, 0.05);
        assert!((c.lift - 0.3).abs() < 1e-12);
        assert!(c.p_value < 0.001, "{c:?}");
        assert!(c.chance_to_win > 0.999);
        assert!(c.ci.0 > 0.0);
        assert!(c.risk.1 < c.risk.0);
    }

    #[test]
    fn a_zero_baseline_gives_the_neutral_result() {
        let c = compare(
            &Summary::proportion(100, 0),
            &Summary::proportion(100, 3),
            0.05,
        );
        assert_eq!(c.no_result, Some(NoResult::BaselineZero));
        assert_eq!(c.p_value, 1.0);
        assert_eq!(c.chance_to_win, 0.5);
    }

    #[test]
    fn a_balanced_split_passes_the_srm_check_and_a_skewed_one_fails() {
        assert!(srm_p_value(&[5000, 5000], &[0.5, 0.5]) > 0.99);
        assert!(srm_p_value(&[5000, 5400], &[0.5, 0.5]) < 0.001);
        assert_eq!(srm_p_value(&[0, 0], &[0.5, 0.5]), 1.0);
    }

    #[test]
    fn sample_size_matches_the_textbook_formula() {
        // 10% → 11% at alpha 0.05, power 0.8: the classic ≈ 14,750 per arm.
        let n = sample_size_per_variant(0.10, 0.10, 0.05, 0.8).unwrap();
        assert!((14_700..=14_800).contains(&n), "{n}");
        assert_eq!(sample_size_per_variant(0.0, 0.1, 0.05, 0.8), None);
    }
}
