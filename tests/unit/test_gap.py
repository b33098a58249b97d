"""openclosed.gap: lag today and gap today on hand-made frontiers."""
import math

import pandas as pd
import pytest

from openclosed import frontier as F
from openclosed import gap as G

D0 = pd.Timestamp("2024-01-01")


def pts(rows):
    return pd.DataFrame({"date": [D0 + pd.Timedelta(days=d) for d, _, _ in rows],
                         "value": [float(v) for _, v, _ in rows], "model": [m for _, _, m in rows]})


LEAD = pts([(0, 100, "L1"), (100, 110, "L2"), (200, 120, "L3")])
TRAIL = pts([(50, 90, "T1"), (250, 109.5, "T2")])


def test_strict_lag_and_gap():
    t = G.today(LEAD, TRAIL, D0 + pd.Timedelta(days=300))
    assert (t["lead_model"], t["trail_model"], t["gap_points"]) == ("L3", "T2", pytest.approx(10.5))
    # L2 (day 100) first scored at least 109.5: 200 days before the as-of date
    assert (t["matched_model"], t["lag_months"]) == ("L2", pytest.approx(200 / F.DAYS_PER_MONTH))


def test_tolerance_moves_the_match_to_the_first_lead_clearly_ahead():
    t = G.today(LEAD, TRAIL, D0 + pd.Timedelta(days=300), tolerance=1.0)
    assert t["matched_model"] == "L3" and t["lag_months"] == pytest.approx(100 / F.DAYS_PER_MONTH)


def test_level_or_missing_side():
    t = G.today(LEAD, pts([(10, 130, "T")]), D0 + pd.Timedelta(days=300))
    assert t["lag_months"] == 0 and t["gap_points"] == pytest.approx(-10) and t["matched_model"] == ""
    t = G.today(LEAD, TRAIL, D0 + pd.Timedelta(days=20))
    assert math.isnan(t["lag_months"]) and math.isnan(t["gap_points"]) and t["trail_model"] == ""


def test_share_only_on_a_true_zero_scale():
    assert G.share_of_leader_pct(45, 50, true_zero=True) == pytest.approx(90)
    assert math.isnan(G.share_of_leader_pct(145, 150, true_zero=False))


def test_one_nearest_snapshot_rule():
    from openclosed import gap
    assert gap.nearest_snapshot(["2025-11-04", "2026-03-09"], "2026-01-02") == "2025-11-04"
    assert gap.nearest_snapshot(["2026-05-21", "2026-05-01"], "2026-05-11") == "2026-05-01"      # a tie: the earlier
    assert gap.nearest_snapshot(["lmarena:2026-05-01", "lmarena:2026-05-30"], "2026-05-20",
                                date_of=lambda s: s.split(":")[-1]) == "lmarena:2026-05-30"
    assert gap.nearest_snapshot([], "2026-01-01") is None
