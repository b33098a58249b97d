"""Lag today on every yardstick, and the headline's choice of yardstick (openclosed.performance.today)."""
import numpy as np
import pandas as pd
import pytest

from openclosed import tables as T
from openclosed.performance import model as P
from openclosed.performance import today


def _row(metric, ends, lag, n_open=20, n_closed=20):
    return {"metric": metric, "yardstick": metric, "data_ends": pd.Timestamp(ends), "lag_months": lag,
            "n_open_recent": n_open, "n_closed_recent": n_closed}


def _table(rows):
    df = pd.DataFrame(rows)
    newest = df["data_ends"].max()
    df["meets_coverage"] = ((df["n_open_recent"] >= today.MIN_RECENT_MODELS_EACH_SIDE)
                            & (df["n_closed_recent"] >= today.MIN_RECENT_MODELS_EACH_SIDE)
                            & (df["data_ends"] >= newest - pd.Timedelta(days=today.MAX_AGE_DAYS)))
    return df.sort_values("data_ends", ascending=False).reset_index(drop=True)


def test_headline_takes_the_freshest_yardstick_with_coverage_and_reports_the_range():
    t = _table([_row("a", "2026-08-20", 2.0, n_open=3), _row("b", "2026-08-01", 5.0), _row("c", "2026-01-01", 9.0)])
    h = today.headline(t)
    assert h["row"]["metric"] == "b"                       # 'a' is fresher but scores too few open models
    assert (h["low"], h["high"]) == (2.0, 9.0) and h["n"] == 3
    assert h["low_yardstick"] == "a" and h["high_yardstick"] == "c"


def test_headline_is_none_when_no_yardstick_meets_the_rule():
    t = _table([_row("a", "2026-08-20", 2.0, n_open=1)])
    assert today.headline(t)["row"] is None


@pytest.fixture(scope="module")
def real():
    return P.prepare({n: T.read(n) for n in ("scores", "models", "published_estimates", "events", "report2024")})


def test_every_yardstick_is_judged_in_its_newest_snapshot_and_today_is_its_snapshot_date(real):
    y = today.yardsticks(real)
    assert set(y["metric"]) <= set(P.METRICS) | {"eci+estimates"} and len(y) >= 5
    stitched = y[y["metric"] == "eci+estimates"].iloc[0]
    # Epoch's export plus this report's estimates: reaches past the export, and counts estimated models
    assert stitched["n_estimated"] > 0 and stitched["data_ends"] > y.set_index("metric").loc["eci", "data_ends"]
    for r in y[y["metric"] != "eci+estimates"].itertuples():
        snap = P.latest_snapshot(real, r.metric)
        assert r.snapshot == P.snapshot_key(snap)
        assert r.data_ends <= pd.Timestamp(P.snapshot_key(snap))
        pts = P.metric_points(real, r.metric, snap)
        op, cl = P.sides(pts[pts["date"] <= r.data_ends])
        # the best open and closed models are the ones the yardstick's own points give
        assert r.open_best == pytest.approx(op["value"].max()) and r.closed_best == pytest.approx(cl["value"].max())
        if np.isfinite(r.lag_months):
            assert r.gap_points == pytest.approx(r.closed_best - r.open_best)


def test_the_headline_yardstick_ends_within_two_months_of_the_newest_data(real):
    y = today.yardsticks(real)
    h = today.headline(y)
    assert h["row"] is not None
    assert h["row"]["data_ends"] >= y["data_ends"].max() - pd.Timedelta(days=today.MAX_AGE_DAYS)
    assert h["low"] <= h["row"]["lag_months"] <= h["high"]
