"""Frontiers and the open-vs-closed gap: pure functions (pandas/numpy/scipy only, no streamlit).

A *frontier* is the running best score to date. Given scored models (``date``, ``value``, ``model``)
``running_best`` keeps the step points where a new best is set. The gap between an open and a closed
frontier is measured two ways:

- vertically, in score points: closed best-to-date minus open best-to-date at a date;
- horizontally, in months: how long before a date the closed frontier first reached the level the
  open frontier has at that date (``lag_at``), or, averaged over score levels, Epoch AI's method
  (``epoch_horizontal_gap``, from the data insight "Open-weight models lag state-of-the-art by around
  3 months on average", Oct 2025).

A tolerance (in score points) implements Epoch's rule that an open model "catches up" with a closed
score when the difference is not significant: the open frontier at ``v`` counts as reaching ``v + tol``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

DAYS_PER_MONTH = 30.4375
_COLS = ["date", "value", "model"]


def clean_points(points: pd.DataFrame) -> pd.DataFrame:
    """Valid rows only (date and value present), with a Timestamp date and a string model name."""
    if points is None or len(points) == 0:
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "value": pd.Series(dtype=float),
                             "model": pd.Series(dtype=str)})
    df = pd.DataFrame({
        "date": pd.to_datetime(points["date"], errors="coerce"),
        "value": pd.to_numeric(points["value"], errors="coerce").astype(float),
        "model": points["model"].astype(str) if "model" in points else pd.Series([""] * len(points),
                                                                                   index=points.index),
    })
    df = df[df["date"].notna() & np.isfinite(df["value"])]
    return df


def running_best(points: pd.DataFrame) -> pd.DataFrame:
    """Step points where a new best-to-date is set: columns date, value, model; strictly increasing value.

    Independent of row order: rows are sorted by date, then value (highest first), then model name, so of
    several models tying on one date the alphabetically first with the top score sets the step, and a later
    model that only equals the best does not."""
    df = clean_points(points)
    if df.empty:
        return df.reset_index(drop=True)
    df = df.sort_values(["date", "value", "model"], ascending=[True, False, True], kind="mergesort")
    v = df["value"].to_numpy()
    prev = np.concatenate([[-np.inf], np.maximum.accumulate(v)[:-1]])
    return df[v > prev].reset_index(drop=True)[_COLS]


def value_at(frontier: pd.DataFrame, when) -> float:
    """Best-to-date value of a frontier (output of running_best) at a date; NaN before its first model."""
    if frontier is None or frontier.empty:
        return float("nan")
    dates = frontier["date"].to_numpy(dtype="datetime64[ns]")
    i = np.searchsorted(dates, np.datetime64(pd.Timestamp(when), "ns"), side="right") - 1
    return float(frontier["value"].iloc[i]) if i >= 0 else float("nan")


def first_reached(frontier: pd.DataFrame, level: float, tolerance: float = 0.0) -> pd.Timestamp:
    """First date the frontier's value is >= level - tolerance (NaT if never)."""
    if frontier is None or frontier.empty or not np.isfinite(level):
        return pd.NaT
    hit = frontier["value"].to_numpy(dtype=float) >= level - tolerance
    if not hit.any():
        return pd.NaT
    return pd.Timestamp(frontier["date"].iloc[int(np.argmax(hit))])


def _months(delta: pd.Timedelta) -> float:
    return delta / pd.Timedelta(days=1) / DAYS_PER_MONTH


def lag_at(open_pts: pd.DataFrame, closed_pts: pd.DataFrame, when, tolerance: float = 0.0) -> float:
    """Months between the date the closed frontier first reached the open frontier's level at ``when``
    and ``when``. 0 if the open frontier is at or above the closed one (within ``tolerance``); NaN if
    either side has no model by ``when``. Never negative.

    With a tolerance the open level ``v`` counts as ``v + tolerance`` (a closed score less than
    ``tolerance`` above it is not a significant lead)."""
    when = pd.Timestamp(when)
    of, cf = running_best(open_pts), running_best(closed_pts)
    o, c = value_at(of, when), value_at(cf, when)
    if not (np.isfinite(o) and np.isfinite(c)):
        return float("nan")
    if o >= c - tolerance:
        return 0.0
    t = first_reached(cf, o + tolerance)
    return max(0.0, _months(when - t))


def lag_series(open_pts: pd.DataFrame, closed_pts: pd.DataFrame, dates, tolerance: float = 0.0) -> pd.DataFrame:
    """For each date: open_best, closed_best, gap_points (closed minus open), open_pct_of_closed
    (100 * open / closed), lag_months (see lag_at). NaN where a side has no model yet."""
    of, cf = running_best(open_pts), running_best(closed_pts)
    dates = pd.DatetimeIndex(pd.to_datetime(pd.Series(list(dates)) if not isinstance(dates, pd.DatetimeIndex)
                                            else dates))
    o, c, lag = lag_arrays(_step_arrays(of), _step_arrays(cf), dates.to_numpy(dtype="datetime64[ns]"), tolerance)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(np.isfinite(o) & np.isfinite(c) & (c != 0), 100.0 * o / c, np.nan)
    return pd.DataFrame({"date": dates, "open_best": o, "closed_best": c, "gap_points": c - o,
                         "open_pct_of_closed": pct, "lag_months": lag})


Steps = tuple[np.ndarray, np.ndarray]        # a frontier's step dates (datetime64[ns]) and values, as arrays


def _step_arrays(front: pd.DataFrame) -> Steps:
    return front["date"].to_numpy(dtype="datetime64[ns]"), front["value"].to_numpy(dtype=float)


def steps(dates: np.ndarray, values: np.ndarray) -> Steps:
    """running_best's step dates and values from valid points as arrays (datetime64[ns], float) in any order:
    the array form for loops that recompute a frontier many times (bootstrap resamples)."""
    order = np.lexsort((-values, dates))
    d, v = dates[order], values[order]
    keep = v > np.concatenate([[-np.inf], np.maximum.accumulate(v)[:-1]])
    return d[keep], v[keep]


def lag_arrays(open_steps: Steps, closed_steps: Steps, d64: np.ndarray,
               tolerance: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """open best, closed best and lag in months at each date of `d64` (lag_series' columns, as arrays)."""
    def best(front: Steps) -> np.ndarray:
        if len(front[0]) == 0:
            return np.full(len(d64), np.nan)
        i = np.searchsorted(front[0], d64, side="right") - 1
        return np.where(i >= 0, front[1][np.clip(i, 0, None)], np.nan)

    o, c = best(open_steps), best(closed_steps)
    lag = np.full(len(d64), np.nan)
    cd, cv = closed_steps
    if len(cd):
        both = np.isfinite(o) & np.isfinite(c)
        lag[both] = 0.0
        behind = both & (o < c - tolerance)
        if behind.any():
            j = np.searchsorted(cv, o[behind] + tolerance, side="left")  # cv strictly increasing
            j = np.clip(j, 0, len(cv) - 1)
            days = (d64[behind] - cd[j]) / np.timedelta64(1, "D")
            lag[behind] = np.maximum(0.0, days / DAYS_PER_MONTH)
    return o, c, lag


# --------------------------------------------------------------------------------------------------
# Epoch AI's average horizontal and vertical gap, vectorized over resamples (bootstrap)
# --------------------------------------------------------------------------------------------------

def _prepare(open_pts, closed_pts, start, end):
    """All models in the window as arrays: date (ns int), value, is_open, model name."""
    o, c = clean_points(open_pts), clean_points(closed_pts)
    o["is_open"], c["is_open"] = True, False
    df = pd.concat([o, c], ignore_index=True)
    if start is not None:
        df = df[df["date"] >= pd.Timestamp(start)]
    if end is not None:
        df = df[df["date"] <= pd.Timestamp(end)]
    df = df.sort_values(["date", "value", "model", "is_open"], ascending=[True, False, True, True],
                        kind="mergesort").reset_index(drop=True)
    return df


def _first_index(F: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """For each row of F (non-decreasing, -inf allowed) the first column where F >= level, for every level
    (len(levels) columns); D - 1 when never reached (callers mask those levels out)."""
    B, D = F.shape
    finite = np.isfinite(F)
    if not len(levels) or B == 0 or D == 0:
        return np.zeros((B, len(levels)), dtype=int)
    base = min(float(levels.min()), float(F[finite].min()) if finite.any() else float(levels.min())) - 1.0
    lo = np.where(finite, F - base, 0.0)            # >= 0; "no model yet" sorts below every level
    lv = levels - base                               # >= 1
    step = max(float(lo.max()), float(lv.max())) + 1.0
    offs = np.arange(B, dtype=float)[:, None] * step
    flat = (lo + offs).ravel()
    idx = np.searchsorted(flat, (lv[None, :] + offs), side="left") - np.arange(B)[:, None] * D
    return np.minimum(idx, D - 1)


def _gap_core(df: pd.DataFrame, masks: np.ndarray, end, tolerance: float, clip: bool = True,
              detail: bool = False):
    """Mean horizontal lag (months) and mean vertical gap (points) for each row of ``masks``
    (bool, resamples x models: which models are in that resample).

    Exact for step functions: every frontier only changes at a model's date and only takes model values,
    so the integrals over dates and over levels are sums over the segments between those breakpoints."""
    n_models = len(df)
    B = masks.shape[0]
    nan = np.full(B, np.nan)
    if n_models == 0:
        return (nan, nan, None) if detail else (nan, nan)
    dates = df["date"].to_numpy(dtype="datetime64[ns]")
    vals = df["value"].to_numpy(dtype=float)
    is_open = df["is_open"].to_numpy(dtype=bool)
    end_ts = np.datetime64(pd.Timestamp(end), "ns") if end is not None else dates.max()
    end_ts = max(end_ts, dates.max())

    # Running best at each model (sorted by date) for each resample: -inf before a side's first model.
    ov = np.where(masks & is_open[None, :], vals[None, :], -np.inf)
    cv = np.where(masks & ~is_open[None, :], vals[None, :], -np.inf)
    O = np.maximum.accumulate(ov, axis=1)
    C = np.maximum.accumulate(cv, axis=1)
    # Frontier values are constant from a model's date to the next model's date (last one: to `end`).
    udates, last_idx = np.unique(dates, return_index=False), None
    # index of the last model on or before each unique date
    last_idx = np.searchsorted(dates, udates, side="right") - 1
    Ou, Cu = O[:, last_idx], C[:, last_idx]                             # B x D
    seg_end = np.concatenate([udates[1:], [end_ts]])
    seg_len = (seg_end - udates) / np.timedelta64(1, "D")               # days, D

    # ---- vertical: mean over dates where both sides have a model of max(0, C - O), 0 within tolerance
    both = np.isfinite(Ou) & np.isfinite(Cu)
    with np.errstate(invalid="ignore"):
        diff = np.where(both, Cu - Ou, 0.0)
    gap = np.where(diff <= tolerance, 0.0, diff) if clip else diff
    w = np.where(both, seg_len[None, :], 0.0)
    wsum = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_gap = np.where(wsum > 0, (gap * w).sum(axis=1) / wsum, np.nan)

    # ---- horizontal: levels L in [max(C_first, O_first + tol), min(C_max, O_max + tol)];
    # lag(L) = t_open(L - tol) - t_closed(L), averaged uniformly over L.
    bps = np.unique(np.concatenate([vals, vals + tolerance]))
    if len(bps) >= 2:
        mids = (bps[:-1] + bps[1:]) / 2.0                               # K
        seglen_L = np.diff(bps)
        day = (udates - udates[0]) / np.timedelta64(1, "D")            # D, days since first model
        c_first = np.where(np.isfinite(C), C, np.inf).min(axis=1)       # B (first value reached)
        o_first = np.where(np.isfinite(O), O, np.inf).min(axis=1)
        c_max, o_max = C[:, -1], O[:, -1]
        lo = np.maximum(c_first, o_first + tolerance)
        hi = np.minimum(c_max, o_max + tolerance)
        valid = (mids[None, :] > lo[:, None]) & (mids[None, :] < hi[:, None])   # B x K
        # first date index where each (non-decreasing) frontier reaches a level: one searchsorted over all
        # resamples at once, each row shifted by its own offset so the flattened array stays sorted
        ic = _first_index(Cu, mids)
        io = _first_index(Ou, mids - tolerance)
        lag = (day[io] - day[ic]) / DAYS_PER_MONTH
        if clip:
            lag = np.maximum(lag, 0.0)
        wl = np.where(valid, seglen_L[None, :], 0.0)
        wls = wl.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_lag = np.where(wls > 0, (lag * wl).sum(axis=1) / wls, np.nan)
    else:
        mids, seglen_L, lag, valid, mean_lag = np.array([]), np.array([]), np.zeros((B, 0)), \
            np.zeros((B, 0), bool), nan
    if not detail:
        return mean_lag, mean_gap
    info = {"levels": mids, "level_width": seglen_L, "lag": lag[0], "level_valid": valid[0],
            "dates": udates, "seg_days": seg_len, "open": Ou[0], "closed": Cu[0], "gap": gap[0],
            "date_valid": both[0]}
    return mean_lag, mean_gap, info


def epoch_horizontal_gap(open_pts: pd.DataFrame, closed_pts: pd.DataFrame, start=None, end=None,
                         tolerance: float = 0.0, clip: bool = True) -> dict:
    """Epoch AI's average open-vs-closed gap (data insight, Oct 2025) within [start, end].

    Only models released in the window count. Horizontal: for every score level L where both step lines
    exist in the window (L between max(first closed, first open + tol) and min(best closed, best open + tol)),
    the months between the closed frontier first reaching L and the open frontier first reaching L - tol;
    averaged uniformly over L. Vertical: the closed minus open best-to-date (0 when within the tolerance),
    averaged over the days where both lines exist. With ``clip`` a level the open side reached first counts
    as zero lag rather than a negative one.

    Returns mean_lag_months, mean_gap_points, n_open, n_closed, and the detail frames ``levels``
    (level_low, level_high, lag_months) and ``dates`` (date, until, open_best, closed_best, gap_points)."""
    df = _prepare(open_pts, closed_pts, start, end)
    masks = np.ones((1, len(df)), dtype=bool)
    mean_lag, mean_gap, info = _gap_core(df, masks, end, tolerance, clip=clip, detail=True)
    out = {"mean_lag_months": float(mean_lag[0]), "mean_gap_points": float(mean_gap[0]),
           "n_open": int(df["is_open"].sum()), "n_closed": int((~df["is_open"]).sum()),
           "tolerance": float(tolerance)}
    if info is None:
        out["levels"] = pd.DataFrame(columns=["level_low", "level_high", "lag_months"])
        out["dates"] = pd.DataFrame(columns=["date", "until", "open_best", "closed_best", "gap_points"])
        return out
    v = info["level_valid"]
    lv = pd.DataFrame({"level_low": info["levels"] - info["level_width"] / 2,
                       "level_high": info["levels"] + info["level_width"] / 2, "lag_months": info["lag"]})[v]
    lv = _merge_runs(lv.reset_index(drop=True), ["level_low", "level_high"], "lag_months")
    dv = info["date_valid"]
    until = np.concatenate([info["dates"][1:], [max(np.datetime64(pd.Timestamp(end), "ns"), info["dates"][-1])
                                                if end is not None else info["dates"][-1]]])
    dd = pd.DataFrame({"date": pd.to_datetime(info["dates"]), "until": pd.to_datetime(until),
                       "open_best": info["open"], "closed_best": info["closed"], "gap_points": info["gap"]})[dv]
    out["levels"] = lv
    out["dates"] = dd.reset_index(drop=True)
    return out


def _merge_runs(df: pd.DataFrame, span: list[str], col: str) -> pd.DataFrame:
    """Merge adjacent rows with the same ``col`` value into one span."""
    if df.empty:
        return df
    key = (df[col].round(9) != df[col].round(9).shift()).cumsum()
    return df.groupby(key, sort=True).agg(**{span[0]: (span[0], "min"), span[1]: (span[1], "max"),
                                            col: (col, "first")}).reset_index(drop=True)


def bootstrap_gap(open_pts: pd.DataFrame, closed_pts: pd.DataFrame, start=None, end=None,
                  tolerance: float = 0.0, n: int = 1000, seed: int = 0, level: float = 0.90,
                  clip: bool = True) -> dict:
    """Bootstrap intervals for epoch_horizontal_gap: resample the open models and the closed models
    (each side separately, with replacement, same count as observed), recompute both means.

    A resample only matters through which models it contains, so it is a boolean mask over models and
    all resamples are evaluated at once (vectorized). Returns the point estimates, the ``level``
    (default 90%) percentile intervals, and the share of resamples where a mean was defined."""
    df = _prepare(open_pts, closed_pts, start, end)
    point = epoch_horizontal_gap(open_pts, closed_pts, start, end, tolerance, clip=clip)
    res = {"mean_lag_months": point["mean_lag_months"], "mean_gap_points": point["mean_gap_points"],
           "lag_low": np.nan, "lag_high": np.nan, "gap_low": np.nan, "gap_high": np.nan,
           "n": int(n), "level": level, "defined_share": np.nan}
    if len(df) == 0 or n <= 0:
        return res
    rng = np.random.default_rng(seed)
    is_open = df["is_open"].to_numpy()
    masks = np.zeros((n, len(df)), dtype=bool)
    for side in (True, False):
        idx = np.flatnonzero(is_open == side)
        if len(idx) == 0:
            continue
        draws = rng.integers(0, len(idx), size=(n, len(idx)))
        rows = np.repeat(np.arange(n), len(idx))
        masks[rows, idx[draws.ravel()]] = True
    lag, gap = _gap_core(df, masks, end, tolerance, clip=clip)
    a = (1 - level) / 2 * 100
    ok_l, ok_g = np.isfinite(lag), np.isfinite(gap)
    if ok_l.any():
        res["lag_low"], res["lag_high"] = (float(x) for x in np.percentile(lag[ok_l], [a, 100 - a]))
    if ok_g.any():
        res["gap_low"], res["gap_high"] = (float(x) for x in np.percentile(gap[ok_g], [a, 100 - a]))
    res["defined_share"] = float(ok_l.mean())
    return res


def catch_up_events(open_pts: pd.DataFrame, closed_pts: pd.DataFrame, tolerance: float = 0.0,
                    days_per_month: float = 365 / 12) -> pd.DataFrame:
    """Catch-up events, the method of Epoch AI's 2024 report "How far behind are open models?".

    Walk the closed frontier in date order. Each closed step that is more than ``tolerance`` above the
    last matched open score is a new state of the art; its catch-up is the first open frontier step scoring
    above (closed score - tolerance). Lag = open date minus closed date, in months (the report divides days
    by 365/12). A closed step no open model has matched yet gives no event. Returns columns closed_model,
    closed_date, closed_value, open_model, open_date, open_value, lag_months (can be negative if an open model
    got there first, as in the report's code)."""
    of, cf = running_best(open_pts), running_best(closed_pts)
    rows = []
    open_winner = -np.inf
    ov = of["value"].to_numpy(dtype=float)
    for c in cf.itertuples(index=False):
        if c.value <= open_winner + tolerance:
            continue
        hit = np.flatnonzero(ov > c.value - tolerance)
        if len(hit) == 0:
            continue
        o = of.iloc[int(hit[0])]
        open_winner = float(o["value"])
        rows.append({"closed_model": c.model, "closed_date": c.date, "closed_value": float(c.value),
                     "open_model": o["model"], "open_date": o["date"], "open_value": float(o["value"]),
                     "lag_months": (o["date"] - c.date).days / days_per_month})
    return pd.DataFrame(rows, columns=["closed_model", "closed_date", "closed_value", "open_model", "open_date",
                                       "open_value", "lag_months"])
