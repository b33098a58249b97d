"""Lag today and gap today: the one definition every page and the overview use.

Given a leading side (closed models, or US models) and a trailing side (open models, or Chinese models),
each side's frontier is its best score to date. At the as-of date ``when``:

- **gap today** = leading best minus trailing best, in the metric's points (positive: the leader is ahead);
- **lag today** = months from the date the leading frontier first scored at least the trailing side's best
  (plus ``tolerance``) to ``when``; 0 when the trailing side is level or ahead (within ``tolerance``).

The default tolerance is 0 (strict: "first scored at least as high"). Reproductions of a published method
pass that method's own tolerance explicitly (Epoch's US-China analysis: 1 ECI point).

Points behind and months behind mean the same on any scale; a ratio of the two best scores does not
(ECI, AA index and Elo have no true zero), so ``share_of_leader_pct`` is only for percent-correct metrics.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from openclosed import frontier as F

DEFAULT_TOLERANCE = 0.0


def _best_at(front: pd.DataFrame, when: pd.Timestamp) -> tuple[str, float, pd.Timestamp | None]:
    f = front[front["date"] <= when]
    if f.empty:
        return "", float("nan"), None
    r = f.iloc[-1]
    return str(r["model"]), float(r["value"]), pd.Timestamp(r["date"])


def today(lead_pts: pd.DataFrame, trail_pts: pd.DataFrame, when, tolerance: float = DEFAULT_TOLERANCE) -> dict:
    """Lag and gap at ``when`` between two sides' points (columns date, value, model).

    Returns lead_model, lead_best, lead_date, trail_model, trail_best, trail_date, gap_points, lag_months,
    matched_model and matched_date (the leading model that first reached the trailing best; "" / NaT when
    none did or a side has no model), tolerance and date."""
    when = pd.Timestamp(when)
    lf, tf = F.running_best(lead_pts), F.running_best(trail_pts)
    l_name, l_val, l_date = _best_at(lf, when)
    t_name, t_val, t_date = _best_at(tf, when)
    both = np.isfinite(l_val) and np.isfinite(t_val)
    matched, matched_model = pd.NaT, ""
    if both and t_val < l_val - tolerance:
        matched = F.first_reached(lf, t_val + tolerance)
        if pd.notna(matched):
            matched_model = str(lf.loc[lf["date"] == matched, "model"].iloc[0])
    return {"date": when, "tolerance": float(tolerance),
            "lead_model": l_name, "lead_best": l_val, "lead_date": l_date,
            "trail_model": t_name, "trail_best": t_val, "trail_date": t_date,
            "gap_points": l_val - t_val if both else float("nan"),
            "lag_months": F.lag_at(trail_pts, lead_pts, when, tolerance) if both else float("nan"),
            "matched_model": matched_model, "matched_date": matched}


def share_of_leader_pct(trail_best: float, lead_best: float, true_zero: bool) -> float:
    """Trailing best as % of the leading best: only on a scale with a true zero (percent correct); NaN
    otherwise, where a ratio of scores means nothing."""
    if not true_zero or not (np.isfinite(trail_best) and np.isfinite(lead_best)) or lead_best <= 0:
        return np.nan     # the shared NaN object, so equal results compare equal
    return 100.0 * trail_best / lead_best


def elo_win_probability(gap_points: float) -> float:
    """The head-to-head win probability a rating gap implies on an Elo / Bradley-Terry scale (LMArena):
    1 / (1 + 10^(-gap/400)). A gap in rating points means the same anywhere on the scale; a gap as a percent of
    the top rating does not (the scale has no true zero), so arena gaps are shown as points and this."""
    if not np.isfinite(gap_points):
        return float("nan")
    return 1.0 / (1.0 + 10.0 ** (-float(gap_points) / 400.0))


def arena_gap(lead: pd.DataFrame, trail: pd.DataFrame) -> dict | None:
    """The top-rated row of each side (rows of one LMArena snapshot, column ``value``) and the gap between them in
    rating points, with the head-to-head win probability it implies for the leading side's model (never a percent
    of a rating: the scale has no true zero). None when a side has no row. Performance (closed vs open) and
    Geopolitics (US vs China) both use it."""
    if lead.empty or trail.empty:
        return None
    top_lead, top_trail = lead.loc[lead["value"].idxmax()], trail.loc[trail["value"].idxmax()]
    points = float(top_lead["value"]) - float(top_trail["value"])
    return {"lead": top_lead, "trail": top_trail, "points": points, "win_prob": elo_win_probability(points)}


def nearest_snapshot(snapshots, when, date_of=str):
    """The snapshot whose date (``date_of(snapshot)``, 'YYYY-MM-DD') is nearest ``when``; ties go to the earlier
    date. None when there are none. Performance and Geopolitics both pick LMArena and ECI snapshots with it."""
    snaps = list(snapshots)
    if not snaps:
        return None
    t = pd.Timestamp(when)
    return min(snaps, key=lambda s: (abs((pd.Timestamp(date_of(s)) - t).days), str(date_of(s))))
