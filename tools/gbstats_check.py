#!/usr/bin/env python3
"""Runs GrowthBook's stats engine (gbstats 0.8.0, installed by scripts/setup.sh
into tools/.venv) on the data sets read from stdin and prints its results as
JSON, for server/tests/api/gbstats.rs to compare with the app's own numbers.

Input:  {"comparisons": [{"kind": "proportion"|"mean",
                          "a": {"n", "sum", "sum_squares"?}, "b": {...}}],
         "srm": [{"units": [...], "weights": [...]}]}
Output: {"gbstats": "0.8.0", "comparisons": [{"lift", "ci", "p_value",
         "chance_to_win", "credible_interval", "risk"}], "srm": [p, ...]}
"""
import importlib.metadata
import json
import sys

from gbstats.bayesian.tests import EffectBayesianABTest, EffectBayesianConfig
from gbstats.frequentist.tests import FrequentistConfig, TwoSidedTTest
from gbstats.models.statistics import ProportionStatistic, SampleMeanStatistic
from gbstats.utils import check_srm


def statistic(kind, s):
    if kind == "proportion":
        return ProportionStatistic(n=s["n"], sum=s["sum"])
    return SampleMeanStatistic(n=s["n"], sum=s["sum"], sum_squares=s["sum_squares"])


def main():
    data = json.load(sys.stdin)
    out = {"gbstats": importlib.metadata.version("gbstats"), "comparisons": [], "srm": []}
    for case in data["comparisons"]:
        a = statistic(case["kind"], case["a"])
        b = statistic(case["kind"], case["b"])
        f = TwoSidedTTest(a, b, FrequentistConfig(alpha=0.05)).compute_result()
        # GrowthBook's default Bayesian test: relative effect, flat (improper) prior.
        y = EffectBayesianABTest(a, b, EffectBayesianConfig(alpha=0.05)).compute_result()
        out["comparisons"].append(
            {
                "lift": float(f.expected),
                "ci": [float(v) for v in f.ci],
                "p_value": float(f.p_value),
                "chance_to_win": float(y.chance_to_win),
                "credible_interval": [float(v) for v in y.ci],
                "risk": [float(v) for v in y.risk],
            }
        )
    for case in data["srm"]:
        out["srm"].append(float(check_srm(case["units"], case["weights"])))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
