"""Claim evidence on toy data: each verdict flips when the data that decides it changes."""
import pandas as pd
import pytest

from openclosed import claims as C
from openclosed import verdicts as V

D0 = pd.Timestamp("2024-01-01")
M = 365 / 12


def pts(rows):
    return pd.DataFrame({"date": [D0 + pd.Timedelta(days=d) for d, _, _ in rows],
                         "value": [float(v) for _, v, _ in rows], "model": [m for _, _, m in rows]})


CLOSED = pts([(0, 10, "c1"), (100, 20, "c2"), (200, 30, "c3")])


def test_whenever_claim_is_judged_on_the_share_not_the_mean():
    # two fast catch-ups (1 month) and one slow (12 months): mean 4.7 is inside 0-6, share 2/3 is not all
    open_ = pts([(30, 10.5, "o1"), (130, 20.5, "o2"), (200 + 365, 30.5, "o3")])
    cases = V.catch_up_cases(open_, CLOSED, D0 + pd.Timedelta(days=700))
    assert list(cases["matched"]) == [True, True, True]
    ev = V.whenever_evidence(cases, 0, 6, "months", "closed levels", "performance")
    assert ev.value == pytest.approx(2 / 3) and ev.kind == "share"
    assert "1 of 3 took longer" in ev.deciding and "c3 matched by o3" in ev.deciding
    assert C.verdict(ev, 0, 6) == C.PARTLY
    # the slow catch-up becomes fast: the verdict flips to supported
    fast = pts([(30, 10.5, "o1"), (130, 20.5, "o2"), (230, 30.5, "o3")])
    ev2 = V.whenever_evidence(V.catch_up_cases(fast, CLOSED, D0 + pd.Timedelta(days=700)), 0, 6, "months",
                              "closed levels", "performance")
    assert ev2.value == 1.0 and C.verdict(ev2, 0, 6) == C.SUPPORTED


def test_unmatched_levels_count_as_late_once_older_than_the_range():
    open_ = pts([(30, 10.5, "o1"), (130, 20.5, "o2")])
    young = V.catch_up_cases(open_, CLOSED, D0 + pd.Timedelta(days=260))     # c3 waited 2 months: undecided
    assert V.within_share(young, 0, 6)["share"] == 1.0 and V.within_share(young, 0, 6)["undecided"] == 1
    old = V.catch_up_cases(open_, CLOSED, D0 + pd.Timedelta(days=600))       # c3 waited 13 months: late
    s = V.within_share(old, 0, 6)
    assert (s["k"], s["n"]) == (2, 3)
    assert C.verdict(V.whenever_evidence(old, 0, 6, "months", "levels", ""), 0, 6) == C.PARTLY


def test_now_claim_uses_the_recent_window_and_reports_the_pooled_share():
    rec = pd.DataFrame({"date": pd.to_datetime(["2023-03-01", "2023-06-01", "2023-09-01", "2025-03-01",
                                                "2025-06-01"]),
                        "china": [False, False, False, True, True]})
    s = V.now_share(rec, "china", "2025-12-31")
    assert s["recent"] == 1.0 and s["pooled"] == pytest.approx(0.4) and s["n_recent"] == 2
    ev = C.Evidence(s["recent"], "recent", kind="share")
    assert C.verdict(ev, None, None) == C.SUPPORTED
    # a US record in the window flips the recent share
    rec.loc[len(rec)] = [pd.Timestamp("2025-09-01"), False]
    rec.loc[len(rec)] = [pd.Timestamp("2025-10-01"), False]
    s = V.now_share(rec, "china", "2025-12-31")
    assert s["recent"] == 0.5 and C.verdict(C.Evidence(s["recent"], "", kind="share"), None, None) == C.PARTLY


def test_lag_now_is_the_recent_window_average():
    open_ = pts([(0, 10, "o1"), (400, 30, "o2")])
    ev = V.lag_now_evidence(open_, CLOSED, D0 + pd.Timedelta(days=765), since=D0, metric="toy")
    # from day 400 on, open is level: the last 12 months' lag is 0
    assert ev.value == pytest.approx(0.0) and C.verdict(ev, 2, 4) == C.NOT_SUPPORTED
    ev = V.lag_now_evidence(open_.iloc[:1], CLOSED, D0 + pd.Timedelta(days=765), since=D0, metric="toy")
    assert ev.value > 12 and "today:" in ev.text


def test_share_of_closed_only_on_percent_benchmarks():
    d = pd.DataFrame({"benchmark": ["A", "B", "C"], "open_best": [45, 80, 70], "closed_best": [50, 80, 100]})
    ev = V.share_of_closed_evidence(d)
    assert ev.value == pytest.approx(90) and (ev.low, ev.high) == (70, 100)
    assert C.verdict(ev, 90, 100) == C.SUPPORTED and "2 of 3 at 90% or more" in ev.deciding
    d.loc[1, "open_best"] = 60
    assert C.verdict(V.share_of_closed_evidence(d), 90, 100) == C.PARTLY


def test_catch_up_evidence_names_both_denominators_and_keeps_unmatched_levels_as_censored():
    # c1 matched after 1 month, c2 after 1 month, c3 never (waited 13 months by the as-of date)
    open_ = pts([(30, 10.5, "o1"), (130, 20.5, "o2")])
    cases = V.catch_up_cases(open_, CLOSED, D0 + pd.Timedelta(days=600))
    s = V.within_share(cases, 0, 6)
    # the old text gave only the mean of the matched cases (1 month) beside "of 3"
    assert (s["n_matched"], s["n_cases"]) == (2, 3)
    assert s["mean"] == pytest.approx(30 / M, abs=0.05)
    # Kaplan-Meier keeps c3 as censored: S drops to 1/3 at the 1-month catch-ups, so the median is ~1 month
    assert s["km_median"] == pytest.approx(30 / M, abs=0.05)
    ev = V.whenever_evidence(cases, 0, 6, "months", "levels", "")
    assert "over all 3," in ev.text and "mean of the 2 matched" in ev.text
    # two of three still waiting: the median is not reached (the mean of the one match would say 1 month)
    lone = V.catch_up_cases(pts([(30, 10.5, "o1")]), CLOSED, D0 + pd.Timedelta(days=600))
    assert V.within_share(lone, 0, 6)["km_median"] != V.within_share(lone, 0, 6)["km_median"]   # NaN
    assert "median not reached" in V.whenever_evidence(lone, 0, 6, "months", "levels", "").text


def test_the_lag_interval_is_the_mean_daily_lag_of_each_resample_as_lag_series_computes_it():
    # the interval's loop works on arrays; here each resample goes through frontier.lag_series instead, as the
    # interval was first computed, including rows with no date or no value (dropped) and a tie on one date
    import numpy as np
    from openclosed import frontier as F
    closed = pd.concat([pts([(0, 10, "c1"), (100, 20, "c2"), (200, 30, "c3"), (300, 40, "c4"), (300, 40, "c5")]),
                        pd.DataFrame({"date": [None, D0], "value": [50.0, float("nan")], "model": ["x", "y"]})],
                       ignore_index=True)
    open_ = pts([(60, 10, "o1"), (160, 20, "o2"), (260, 30, "o3"), (360, 40, "o4"), (200, 19, "o5")])
    days = pd.date_range(D0 + pd.Timedelta(days=100), D0 + pd.Timedelta(days=400), freq="D")
    rng, means = np.random.default_rng(7), []
    for _ in range(50):
        o = open_.iloc[rng.integers(0, len(open_), len(open_))]
        c = closed.iloc[rng.integers(0, len(closed), len(closed))]
        lag = F.lag_series(o, c, days)["lag_months"].dropna()
        if len(lag):
            means.append(float(lag.mean()))
    tail = (1 - 0.90) / 2 * 100                                                      # the 90% interval's tails
    expected = tuple(float(x) for x in np.percentile(means, [tail, 100 - tail]))
    assert V.window_lag_interval(open_, closed, days, n=50, seed=7) == expected      # equal, not approximately
    assert 0 < expected[0] < expected[1]


def test_lag_now_evidence_carries_a_bootstrap_interval_over_models():
    # closed steps every 100 days; open follows each 60 days later, plus a non-frontier open model that stands
    # in when a resample drops a frontier one
    closed = pts([(0, 10, "c1"), (100, 20, "c2"), (200, 30, "c3"), (300, 40, "c4")])
    open_ = pts([(60, 10, "o1"), (160, 20, "o2"), (260, 30, "o3"), (360, 40, "o4"), (200, 19, "o5")])
    as_of = D0 + pd.Timedelta(days=400)
    ev = V.lag_now_evidence(open_, closed, as_of, D0, "toy", months=12, all_pts=(open_, closed))
    assert ev.low is not None and ev.low <= ev.value <= ev.high and ev.high > ev.low
    assert "90% bootstrap interval" in ev.text
    # without the models behind the frontiers there is no interval (the old evidence: a bare point)
    bare = V.lag_now_evidence(open_, closed, as_of, D0, "toy", months=12)
    assert bare.low is None and "interval" not in bare.text
