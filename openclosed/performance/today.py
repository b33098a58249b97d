"""Lag today on every yardstick, side by side, and the headline's choice of yardstick.

"Today" is the newest date a yardstick's data reaches (its newest snapshot, or its newest model for tables
without one), never the report's build date. Each yardstick is judged within its own newest snapshot, so a
re-estimated index is never mixed across exports. The headline uses the freshest yardstick that meets the
coverage rule below and shows the range over the others.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from openclosed import gap as G
from openclosed.performance.model import (
    METRICS, as_of, latest_snapshot, metric_points, prepare, sides, snapshot_key,
)

# Coverage rule for the headline yardstick: scored at least this many open and this many closed models released
# in the year before its data ends, and its data ends within this many days of the newest data in the report.
MIN_RECENT_MODELS_EACH_SIDE = 10
RECENT_DAYS = 365
MAX_AGE_DAYS = 62
COVERAGE_RULE = (f"at least {MIN_RECENT_MODELS_EACH_SIDE} open and {MIN_RECENT_MODELS_EACH_SIDE} closed models "
                 f"released in the {RECENT_DAYS} days before its data ends, and data ending within "
                 f"{MAX_AGE_DAYS} days of the newest data in the report")
COLUMNS = ["metric", "yardstick", "unit", "decimals", "snapshot", "data_ends", "lag_months", "gap_points",
           "open_best", "open_model", "closed_best", "closed_model", "n_open", "n_closed", "n_open_recent",
           "n_closed_recent", "newest_open", "newest_open_date", "newest_closed", "newest_closed_date",
           "meets_coverage", "n_estimated"]


def _newest(pts: pd.DataFrame) -> tuple[str, pd.Timestamp]:
    if pts.empty:
        return "", pd.NaT
    row = pts.sort_values(["date", "value"], ascending=[False, False], kind="mergesort").iloc[0]
    return str(row["model"]), pd.Timestamp(row["date"])


STITCHED_LABEL = "ECI with stitched estimates"


def yardstick_row(tables, metric: str, rule: str = "any", estimates: bool = False) -> dict | None:
    """Lag today on one yardstick, in its newest snapshot; None when the data has no such score. With
    ``estimates`` (ECI only), this report's stitched scores for models the export does not cover count too, and
    the data end at the newest estimated model (their benchmark results are newer than the export)."""
    tables = prepare(tables)
    snap = latest_snapshot(tables, metric)
    if snap is None:
        return None
    m = METRICS[metric]
    pts = metric_points(tables, metric, snap, rule, estimates=estimates)
    if pts.empty or (estimates and not pts["estimated"].any()):
        return None
    now = as_of(tables, metric, snap, pts, pd.Timestamp.max)      # the snapshot date (or its newest model)
    if estimates:
        now = max(now, pts["date"].max())
    pts = pts[pts["date"] <= now]
    op, cl = sides(pts)
    t = G.today(cl[["date", "value", "model"]], op[["date", "value", "model"]], now)
    recent = pts[pts["date"] > now - pd.Timedelta(days=RECENT_DAYS)]
    ro, rc = sides(recent)
    (no, nod), (nc, ncd) = _newest(op), _newest(cl)
    return {"metric": metric + ("+estimates" if estimates else ""),
            "yardstick": STITCHED_LABEL if estimates else m.label, "unit": m.points_word, "decimals": m.decimals,
            "snapshot": snapshot_key(snap), "data_ends": now, "lag_months": t["lag_months"],
            "gap_points": t["gap_points"], "open_best": t["trail_best"], "open_model": t["trail_model"],
            "closed_best": t["lead_best"], "closed_model": t["lead_model"], "n_open": len(op), "n_closed": len(cl),
            "n_open_recent": len(ro), "n_closed_recent": len(rc), "newest_open": no, "newest_open_date": nod,
            "newest_closed": nc, "newest_closed_date": ncd, "meets_coverage": False,
            "n_estimated": int(pts["estimated"].sum())}


def yardsticks(tables, rule: str = "any") -> pd.DataFrame:
    """One row per yardstick (the Performance page's metrics), freshest first, with the coverage rule applied."""
    rows = [yardstick_row(tables, k, rule) for k in METRICS] + [yardstick_row(tables, "eci", rule, estimates=True)]
    rows = [r for r in rows if r is not None]
    df = pd.DataFrame(rows, columns=COLUMNS)
    if df.empty:
        return df
    newest = df["data_ends"].max()
    df["meets_coverage"] = ((df["n_open_recent"] >= MIN_RECENT_MODELS_EACH_SIDE)
                            & (df["n_closed_recent"] >= MIN_RECENT_MODELS_EACH_SIDE)
                            & (df["data_ends"] >= newest - pd.Timedelta(days=MAX_AGE_DAYS))
                            & np.isfinite(df["lag_months"].astype(float)))
    order = {k: i for i, k in enumerate([*METRICS, "eci+estimates"])}
    df["_order"] = df["metric"].map(order)
    return (df.sort_values(["data_ends", "_order"], ascending=[False, True], kind="mergesort")
              .drop(columns="_order").reset_index(drop=True))


def headline(table: pd.DataFrame) -> dict:
    """The headline yardstick (freshest that meets the coverage rule; ties: the Performance page's order) and
    the range of lag today over every yardstick with a lag."""
    ok = table[table["meets_coverage"]]
    lags = table["lag_months"].astype(float)
    finite = table[np.isfinite(lags)]
    out = {"row": ok.iloc[0].to_dict() if len(ok) else None, "rule": COVERAGE_RULE,
           "low": float(finite["lag_months"].min()) if len(finite) else np.nan,
           "high": float(finite["lag_months"].max()) if len(finite) else np.nan,
           "low_yardstick": finite.loc[finite["lag_months"].astype(float).idxmin(), "yardstick"] if len(finite) else "",
           "high_yardstick": finite.loc[finite["lag_months"].astype(float).idxmax(), "yardstick"] if len(finite) else "",
           "n": int(len(finite)), "newest": table["data_ends"].max() if len(table) else pd.NaT}
    return out
