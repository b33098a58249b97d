"""Open vs closed on OpenRouter's listings, each comparison with a test suited to it, so a difference inside
the noise reads "no clear difference" and does not count for a claim.

- a share of a cohort (listed in 2024, gone by the last snapshot): Fisher's exact test on the 2x2 table;
- listing lifetimes (median days listed, share gone within a year): the log-rank test on the Kaplan-Meier data
  of ids first seen after collection began (for "within a year", lifetimes are censored at 365 days);
- price moves per model-year: a bootstrap over ids (each id's moves and years resampled together, since one
  id's moves are not independent), 95% interval of open minus closed.

A difference counts when p < ALPHA (or the interval excludes 0).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

ALPHA = 0.05
BOOT_N = 2000
BOOT_SEED = 20260
YEAR_DAYS = 365
NO_CLEAR = "no clear difference"


def fisher_p(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided Fisher's exact p for k1 of n1 vs k2 of n2."""
    from scipy.stats import fisher_exact
    if min(n1, n2) <= 0:
        return float("nan")
    return float(fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue)


def logrank_p(d1, e1, d2, e2, censor_at: float | None = None) -> float:
    """Two-sided log-rank p comparing two right-censored samples (durations, ended); ``censor_at`` stops
    follow-up there (an end after it is censored at it)."""
    from scipy.stats import CensoredData, logrank
    out, events = [], 0
    for d, e in ((d1, e1), (d2, e2)):
        d, e = np.asarray(d, dtype=float), np.asarray(e, dtype=bool)
        if censor_at is not None:
            e = e & (d <= censor_at)
            d = np.minimum(d, censor_at)
        if len(d) == 0:
            return float("nan")
        events += int(e.sum())
        out.append(CensoredData(uncensored=d[e], right=d[~e]))
    if not events:
        return float("nan")
    return float(logrank(out[0], out[1]).pvalue)


def rate_interval(counts_a, years_a, counts_b, years_b, n: int = BOOT_N, seed: int = BOOT_SEED,
                  level: float = 0.95) -> tuple[float, float]:
    """Bootstrap interval of rate_a - rate_b (events per year), resampling ids within each group."""
    rng = np.random.default_rng(seed)
    ca, ya = np.asarray(counts_a, dtype=float), np.asarray(years_a, dtype=float)
    cb, yb = np.asarray(counts_b, dtype=float), np.asarray(years_b, dtype=float)
    if len(ca) == 0 or len(cb) == 0:
        return float("nan"), float("nan")
    ia = rng.integers(0, len(ca), (n, len(ca)))
    ib = rng.integers(0, len(cb), (n, len(cb)))
    with np.errstate(invalid="ignore", divide="ignore"):
        diff = ca[ia].sum(1) / ya[ia].sum(1) - cb[ib].sum(1) / yb[ib].sum(1)
    diff = diff[np.isfinite(diff)]
    a = (1 - level) / 2
    return float(np.quantile(diff, a)), float(np.quantile(diff, 1 - a))


def _row(measure, open_v, closed_v, fmt_v, open_worse, test, p=np.nan, low=np.nan, high=np.nan) -> dict:
    clear = (p < ALPHA) if np.isfinite(p) else (np.isfinite(low) and (low > 0 or high < 0))
    finding = NO_CLEAR if not clear else ("open worse" if open_worse else "closed worse")
    if np.isfinite(p):
        stat = f"{test} p = {p:.2g}"
    else:
        stat = f"{test}: open − closed {low:+.2f} to {high:+.2f}"
    return {"measure": measure, "open": open_v, "closed": closed_v,
            "shown": f"{fmt_v(open_v)} vs {fmt_v(closed_v)}", "open_worse": bool(open_worse), "test": test,
            "p_value": p, "low": low, "high": high, "clear": bool(clear), "finding": finding, "stat": stat}


def churn_tests(classified: pd.DataFrame, moves: pd.DataFrame, churn: pd.DataFrame,
                volatility: pd.DataFrame) -> pd.DataFrame:
    """One row per open-vs-closed measure: measure, open, closed, shown ('76% vs 74%'), open_worse (the
    direction), test, p_value or low/high, clear (beyond the noise), finding ('open worse', 'closed worse',
    'no clear difference') and stat (the test in words)."""
    ch, vol = churn.set_index("cls"), volatility.set_index("cls")
    new = classified[classified["new_listing"]]
    o, c = new[new["cls"] == "open"], new[new["cls"] == "closed"]
    pct = (lambda v: f"{100 * v:.0f}%")
    rows = []
    p1 = logrank_p(o["days_listed"], o["gone"], c["days_listed"], c["gone"], censor_at=YEAR_DAYS)
    rows.append(_row("more gone within a year", ch.loc["open", "share_gone_1y"], ch.loc["closed", "share_gone_1y"],
                     pct, ch.loc["open", "share_gone_1y"] > ch.loc["closed", "share_gone_1y"],
                     "log-rank test (first year)", p=p1))
    p2 = logrank_p(o["days_listed"], o["gone"], c["days_listed"], c["gone"])
    mo, mc = ch.loc["open", "median_days"], ch.loc["closed", "median_days"]
    mo, mc = (np.nan if x is None else float(x) for x in (mo, mc))
    rows.append(_row("shorter median listing", mo, mc, lambda v: "not reached" if not np.isfinite(v) else
                     f"{v:.0f} days", (np.isfinite(mo) and (not np.isfinite(mc) or mo < mc)),
                     "log-rank test", p=p2))
    y = classified[classified["first_seen"] <= "2024-12-31"]
    yo, yc = y[y["cls"] == "open"], y[y["cls"] == "closed"]
    p3 = fisher_p(int(yo["gone"].sum()), len(yo), int(yc["gone"].sum()), len(yc))
    rows.append(_row("more of the 2024 cohort gone", ch.loc["open", "share_gone_2024"],
                     ch.loc["closed", "share_gone_2024"], pct,
                     ch.loc["open", "share_gone_2024"] > ch.loc["closed", "share_gone_2024"],
                     "Fisher's exact test", p=p3))
    per_id = moves.groupby("source_id").size()
    ids = classified.assign(n_moves=classified["source_id"].map(per_id).fillna(0.0),
                            years=classified["days_listed"] / 365.25)
    io, ic = ids[ids["cls"] == "open"], ids[ids["cls"] == "closed"]
    lo, hi = rate_interval(io["n_moves"], io["years"], ic["n_moves"], ic["years"])
    ro, rc = vol.loc["open", "moves_per_model_year"], vol.loc["closed", "moves_per_model_year"]
    rows.append(_row("more price moves per model-year", ro, rc, lambda v: f"{v:.2g}", ro > rc,
                     "bootstrap over ids, 95% interval", low=lo, high=hi))
    return pd.DataFrame(rows)


def tests_text(t: pd.DataFrame) -> str:
    """The measures in words with their tests, for method notes."""
    return "; ".join(f"{r.measure}: {r.shown} ({r.stat}; {r.finding})" for r in t.itertuples())
