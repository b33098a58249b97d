"""Open-vs-closed listing comparisons carry a test; inside the noise they read 'no clear difference'."""
import numpy as np
import pandas as pd
import pytest

from openclosed.risk import compare as K


def test_fisher_and_log_rank_by_hand():
    # 76% vs 74% of ~100: far inside the noise
    assert K.fisher_p(91, 119, 58, 78) == pytest.approx(0.74, abs=0.01)
    assert K.fisher_p(9, 10, 1, 10) < 0.01
    d = np.arange(1, 21, dtype=float)
    assert K.logrank_p(d, np.ones(20, bool), d, np.ones(20, bool)) == pytest.approx(1.0)
    assert K.logrank_p(d, np.ones(20, bool), d + 100, np.ones(20, bool)) < 0.001
    # censoring at 10 days: an end after day 10 no longer counts
    assert K.logrank_p([5, 50], [True, True], [5, 60], [True, True], censor_at=10) == pytest.approx(1.0)


def _toy(open_gone, closed_gone, n=100):
    rows = []
    for cls, gone in (("open", open_gone), ("closed", closed_gone)):
        for i in range(n):
            rows.append({"source_id": f"{cls}/{i}", "cls": cls, "first_seen": "2024-06-01", "new_listing": True,
                         "days_listed": 200 if i < gone else 400, "gone": i < gone})
    return pd.DataFrame(rows)


def test_a_difference_inside_the_noise_does_not_count():
    classified = _toy(open_gone=52, closed_gone=50)
    moves = pd.DataFrame({"source_id": ["open/0"] * 3 + ["closed/0"] * 3})
    churn = pd.DataFrame({"cls": ["open", "closed"], "share_gone_1y": [0.52, 0.50],
                          "median_days": [400.0, 400.0], "share_gone_2024": [0.52, 0.50]})
    vol = pd.DataFrame({"cls": ["open", "closed"], "moves_per_model_year": [0.03, 0.028]})
    t = K.churn_tests(classified, moves, churn, vol).set_index("measure")
    # the old rule counted "more of the 2024 cohort gone" (52% > 50%) as a finding
    row = t.loc["more of the 2024 cohort gone"]
    assert row["open_worse"] and not row["clear"] and row["finding"] == K.NO_CLEAR
    assert "Fisher's exact test p = " in row["stat"]
    assert not t["clear"].any()
    # a large difference is clear
    t2 = K.churn_tests(_toy(90, 10), moves, churn.assign(share_gone_2024=[0.9, 0.1]), vol).set_index("measure")
    assert t2.loc["more of the 2024 cohort gone", "clear"] and t2.loc["more gone within a year", "clear"]
