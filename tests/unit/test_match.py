"""Your closed model, its open match (openclosed.cost.match): the tie rule by hand, and prices per task."""
import math

import numpy as np
import pandas as pd
import pytest

from openclosed import cost, tables
from openclosed.cost import match


def test_paired_interval_by_hand():
    # differences 1, 2, 3: mean 2, sd 1, t(0.975, 2) = 4.3027 -> 2 +- 4.3027 / sqrt(3) = 2 +- 2.4841
    m, lo, hi = match.paired_interval([1.0, 2.0, 3.0])
    assert m == pytest.approx(2.0)
    assert (lo, hi) == pytest.approx((2 - 4.302653 / math.sqrt(3), 2 + 4.302653 / math.sqrt(3)), abs=1e-5)


def test_verdicts():
    assert match.verdict(0.5, 3.0) == "better"
    assert match.verdict(-4.0, 3.0) == "tied"           # may be up to 4 points worse: within the 5-point margin
    assert match.verdict(-40.0, 10.0) == "unclear"      # a wide interval cannot call a tie
    assert match.verdict(-6.0, -1.0) == "worse"
    assert match.verdict(float("nan"), 1.0) == "unclear"


def _scores(rows):
    return pd.DataFrame([{"model_id": m, "metric": k, "value": v, "source": "artificial_analysis"}
                         for m, d in rows.items() for k, v in d.items()])


def test_tied_open_models_by_hand():
    models = pd.DataFrame({"model_id": ["c", "o1", "o2", "o3", "o4"], "name": ["C", "O1", "O2", "O3", "O4"],
                           "openness": ["api", "open_unrestricted", "open_restricted", "open_unrestricted", "api"]})
    evals = ("aa_gpqa", "aa_hle", "aa_mmlu_pro", "aa_scicode")
    base = dict(zip(evals, (80.0, 20.0, 85.0, 40.0)))
    scores = _scores({
        "c": base,
        "o1": {k: v + d for (k, v), d in zip(base.items(), (1.0, -1.0, 0.0, 0.0))},    # mean 0, sd 0.816
        "o2": {k: v + 10 for k, v in base.items()},                                      # always 10 better
        "o3": {k: v + d for (k, v), d in zip(base.items(), (-30.0, 5.0, -20.0, 10.0))},  # scattered: unclear
        "o4": base,                                                                      # closed: never listed
    })
    t = match.tied_open_models(models, scores, "c", "all").set_index("model_id")
    assert set(t.index) == {"o1", "o2", "o3"}
    # o1: d = (1, -1, 0, 0): mean 0, sd sqrt(2/3), half-width t(0.975, 3) x sd / 2 = 3.1824 x 0.8165 / 2 = 1.299
    assert t.loc["o1", "verdict"] == "tied" and t.loc["o1", "n_evals"] == 4
    assert (t.loc["o1", "ci_low"], t.loc["o1", "ci_high"]) == pytest.approx((-1.2992, 1.2992), abs=1e-3)
    # o2: every difference is +10 (sd 0): the interval is the point 10, above 0
    assert t.loc["o2", "verdict"] == "better" and t.loc["o2", "mean_diff"] == pytest.approx(10.0)
    assert t.loc["o3", "verdict"] == "unclear"
    # a yardstick the models share fewer than 3 evaluations of gives no verdict at all
    assert match.tied_open_models(models, scores, "c", "math").empty


def test_open_matches_prices_per_task_for_real_closed_models():
    t = {n: tables.read(n) for n in cost.TABLES}
    task = match.Task(3000, 1000, 1e9)
    for closed_id in ("gpt-5", "claude-sonnet-4-5", "gemini-2-5-pro"):
        m = match.open_matches(t, closed_id, "all", task, limit=4)
        assert len(m) and set(m["verdict"]) <= {"tied", "better"}
        # per task: 3,000 input + 1,000 output tokens at the blended 3:1 rate of each price
        closed = cost.price_row(t["prices"], closed_id, cost.CLOSED_PRICE_ORDER, 3.0)
        assert m["closed_usd_per_task"].iloc[0] == pytest.approx((3000 * closed["price_in"]
                                                                  + 1000 * closed["price_out"]) / 1e6)
        r = m.iloc[0]
        hosted = cost.price_row(t["prices"], r["model_id"], cost.HOSTED_PRICE_ORDER, 3.0)
        assert r["hosted_usd_per_task"] == pytest.approx((3000 * hosted["price_in"] + 1000 * hosted["price_out"]) / 1e6)
        assert m["hosted_usd_per_task"].is_monotonic_increasing          # cheapest match first
        sized = m[np.isfinite(m["self_usd_per_task"])]
        for s in sized.itertuples():                                    # self-hosted per task = monthly / tasks
            assert s.self_usd_per_task > 0 and "×" in s.self_setup
    assert match.open_matches(t, "no-such-model").empty
