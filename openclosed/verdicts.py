"""Evidence for claims, built from plain frames so toy data can flip each verdict.

- "now" claims: judged on the recent window, the ``RECENT_MONTHS`` months up to the data's as-of date; the
  pooled value over the whole range is reported beside it.
- "whenever"/"always" claims: judged on the distribution, the share of cases inside the claimed range.
  A closed level that no open model has matched counts as a case outside the range once it is older than
  the range's upper end (it is already late); younger unmatched levels are not yet decided and are left out.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from openclosed import claims as C
from openclosed import fmt
from openclosed import frontier as F
from openclosed import gap as G

RECENT_MONTHS = 12


def recent_start(as_of, months: int = RECENT_MONTHS) -> pd.Timestamp:
    return pd.Timestamp(as_of) - pd.DateOffset(months=months)


def window_text(as_of, months: int = RECENT_MONTHS) -> str:
    return f"the {months} months to {pd.Timestamp(as_of):%b %Y}"


def catch_up_cases(open_pts: pd.DataFrame, closed_pts: pd.DataFrame, as_of, tolerance: float = 0.0) -> pd.DataFrame:
    """Every new closed level (frontier.catch_up_events' walk) up to ``as_of``: matched ones with their lag,
    and unmatched ones with ``matched`` False and lag_months = months waited so far (a lower bound)."""
    as_of = pd.Timestamp(as_of)
    op, cp = (p[p["date"] <= as_of] for p in (open_pts, closed_pts))
    ev = F.catch_up_events(op, cp, tolerance).assign(matched=True)
    cf = F.running_best(cp)
    last = ev["open_value"].max() if len(ev) else -np.inf
    pending = cf[(cf["value"] > last + tolerance) & ~cf["model"].isin(ev["closed_model"])]
    rows = pd.DataFrame({"closed_model": pending["model"], "closed_date": pending["date"],
                         "closed_value": pending["value"], "open_model": "", "open_date": pd.NaT,
                         "open_value": np.nan, "matched": False,
                         "lag_months": (as_of - pending["date"]).dt.days / F.DAYS_PER_MONTH})
    return pd.concat([ev, rows[ev.columns]], ignore_index=True) if len(rows) else ev


def km_median(durations, ended) -> float:
    """Kaplan-Meier median of right-censored durations (``ended`` False: still waiting, censored at its duration);
    NaN when the curve never falls to one half."""
    d = np.asarray(durations, dtype=float)
    e = np.asarray(ended, dtype=bool)
    if not e.any():
        return np.nan
    from scipy.stats import CensoredData, ecdf
    sf = ecdf(CensoredData(uncensored=d[e], right=d[~e])).sf
    hit = np.nonzero(sf.probabilities <= 0.5)[0]
    return float(sf.quantiles[hit[0]]) if len(hit) else np.nan


def within_share(cases: pd.DataFrame, low: float, high: float) -> dict:
    """Share of decided cases with lag in [low, high]. Unmatched cases younger than ``high`` are undecided.
    ``mean`` is over the ``n_matched`` matched cases only; ``km_median`` keeps every case, an unmatched one
    censored at the months waited so far (censored, not missing)."""
    decided = cases[cases["matched"] | (cases["lag_months"] > high)]
    inside = decided["matched"] & decided["lag_months"].between(low, high)
    late = decided[~inside].sort_values("lag_months", ascending=False)
    return {"n": int(len(decided)), "k": int(inside.sum()), "share": float(inside.mean()) if len(decided) else np.nan,
            "mean": float(cases.loc[cases["matched"], "lag_months"].mean()) if cases["matched"].any() else np.nan,
            "n_matched": int(cases["matched"].sum()), "n_cases": int(len(cases)),
            "km_median": km_median(cases["lag_months"], cases["matched"]) if len(cases) else np.nan,
            "late": late, "undecided": int(len(cases) - len(decided))}


def whenever_evidence(cases: pd.DataFrame, low: float, high: float, unit: str, what: str, link: str) -> C.Evidence:
    s = within_share(cases, low, high)
    if not s["n"]:
        return C.Evidence(None, f"No decided {what}")
    late = s["late"]
    worst = ""
    if len(late):
        w = late.iloc[0]
        worst = (f"; the longest: {w['closed_model']} matched by {w['open_model']} after {w['lag_months']:.1f} "
                 f"{unit}" if w["matched"] else f"; the longest: {w['closed_model']}, still unmatched after "
                 f"{w['lag_months']:.1f} {unit}")
    med = (f"median {s['km_median']:.1f} {unit}" if np.isfinite(s["km_median"]) else "median not reached")
    young = (f"; {s['undecided']} more, unmatched for under {high:g} {unit}, are too recent to decide"
             if s["undecided"] else "")
    return C.Evidence(s["share"], f"{s['k']} of {s['n']} decided {what} were matched within {low:g}–{high:g} {unit}"
                      f"{young} (not used for the verdict: over all {s['n_cases']}, the unmatched censored at the "
                      f"time waited, Kaplan-Meier {med}; mean of the {s['n_matched']} matched {s['mean']:.1f} {unit})",
                      kind="share", link=link,
                      deciding=f"{s['n'] - s['k']} of {s['n']} took longer{worst}.")


def now_share(records: pd.DataFrame, flag: str, as_of, months: int = RECENT_MONTHS,
              weight: str | None = None) -> dict:
    """Share of records (weighted by ``weight``) with ``flag`` True: in the recent window and pooled."""
    w = records[weight] if weight else pd.Series(1.0, index=records.index)
    recent = records["date"] >= recent_start(as_of, months)

    def share(mask):
        tot = w[mask].sum()
        return float(w[mask & records[flag]].sum() / tot) if tot else np.nan
    return {"recent": share(recent), "pooled": share(pd.Series(True, index=records.index)),
            "n_recent": float(w[recent].sum()), "n": float(w.sum())}


LAG_BOOT_N = 300
LAG_BOOT_SEED = 0


def _by_position(points: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Date, value and whether the row is valid (frontier.clean_points keeps it), per row position."""
    clean = F.clean_points(points.reset_index(drop=True))
    rows = clean.index.to_numpy()
    dates, values = np.zeros(len(points), "datetime64[ns]"), np.zeros(len(points))
    dates[rows], values[rows] = clean["date"].to_numpy(dtype="datetime64[ns]"), clean["value"].to_numpy(float)
    valid = np.zeros(len(points), bool)
    valid[rows] = True
    return dates, values, valid


def window_lag_interval(open_pts: pd.DataFrame, closed_pts: pd.DataFrame, days: pd.DatetimeIndex,
                        n: int = LAG_BOOT_N, seed: int = LAG_BOOT_SEED, level: float = 0.90) -> tuple[float, float]:
    """Bootstrap interval of the mean daily lag over ``days``: resample the open and the closed models (each side
    with replacement, as many as observed; the method behind the Performance page's interval) and average the
    lag again. Pass every model of each side (not only the frontier), so others can stand in for a dropped one."""
    rng = np.random.default_rng(seed)
    d64 = pd.DatetimeIndex(days).to_numpy(dtype="datetime64[ns]")
    (o_dates, o_values, o_valid), (c_dates, c_values, c_valid) = _by_position(open_pts), _by_position(closed_pts)
    means = []
    for _ in range(n):      # F.lag_series on each resample, in arrays (300 frames per call took seconds)
        o = rng.integers(0, len(open_pts), len(open_pts))
        c = rng.integers(0, len(closed_pts), len(closed_pts))
        o, c = o[o_valid[o]], c[c_valid[c]]
        lag = F.lag_arrays(F.steps(o_dates[o], o_values[o]), F.steps(c_dates[c], c_values[c]), d64)[2]
        lag = lag[~np.isnan(lag)]
        if len(lag):
            means.append(float(lag.sum() / len(lag)))
    if not means:
        return np.nan, np.nan
    a = (1 - level) / 2 * 100
    lo, hi = np.percentile(means, [a, 100 - a])
    return float(lo), float(hi)


def lag_now_evidence(open_pts: pd.DataFrame, closed_pts: pd.DataFrame, as_of, since, metric: str,
                     months: int = RECENT_MONTHS, link: str = "performance",
                     all_pts: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> C.Evidence:
    """'The delay is now about X': the daily lag averaged over the recent window; lag today and the
    average since ``since`` beside it. ``all_pts`` (every open and every closed model) adds a 90% bootstrap
    interval to the window's average, which the verdict uses."""
    as_of = pd.Timestamp(as_of)
    days = pd.date_range(max(recent_start(as_of, months), pd.Timestamp(since)), as_of, freq="D")
    recent = F.lag_series(open_pts, closed_pts, days)["lag_months"].dropna()
    pooled = F.lag_series(open_pts, closed_pts, pd.date_range(since, as_of, freq="D"))["lag_months"].dropna()
    t = G.today(closed_pts, open_pts, as_of)
    if recent.empty:
        return C.Evidence(None, "No lag in the recent window")
    lo, hi = window_lag_interval(*all_pts, days) if all_pts is not None else (np.nan, np.nan)
    interval = (f", 90% bootstrap interval {lo:.1f}–{hi:.1f}" if np.isfinite(lo) else "")
    return C.Evidence(float(recent.mean()), f"Over {window_text(as_of, months)} open models trailed by "
                      f"{recent.mean():.1f} months on average on {metric}{interval} (since "
                      f"{pd.Timestamp(since):%b %Y}: {pooled.mean():.1f}; today: {fmt.months(t['lag_months'])})",
                      low=lo if np.isfinite(lo) else None, high=hi if np.isfinite(hi) else None, link=link,
                      deciding=f"the recent window's average lag, {recent.mean():.1f} months"
                               + (f" (interval {lo:.1f}–{hi:.1f}, resampling models)." if np.isfinite(lo) else "."))


def share_of_closed_evidence(domains: pd.DataFrame, link: str = "performance") -> C.Evidence:
    """Best open as % of best closed on percent-correct benchmarks (a true zero, so the ratio means
    something): the median over benchmarks, with the lowest and highest as the interval."""
    if domains.empty:
        return C.Evidence(None, "No percent-correct benchmark has both an open and a closed model")
    pct = pd.Series([G.share_of_leader_pct(o, c, True) for o, c in zip(domains["open_best"],
                                                                       domains["closed_best"])],
                    index=domains["benchmark"].to_numpy())
    lo, hi = pct.idxmin(), pct.idxmax()
    return C.Evidence(float(pct.median()), f"On {len(pct)} percent-correct benchmarks the best open model scores a "
                      f"median {pct.median():.0f}% of the best closed model's score", low=float(pct.min()),
                      high=float(pct.max()), link=link,
                      deciding=f"lowest {lo} {pct[lo]:.0f}%, highest {hi} {pct[hi]:.0f}%; "
                               f"{int((pct >= 90).sum())} of {len(pct)} at 90% or more.")
