"""Claims that rest on a capability yardstick, read on every yardstick.

A claim such as "the delay is now about three months" depends on which yardstick measures it. Each such claim is
judged on the freshest yardstick that meets the coverage rule (``openclosed.performance.today``: the Overview
headline's yardstick), named with the date its data end, and re-read with the same evidence function and verdict
rule on every other yardstick's newest snapshot. Where the yardsticks meeting the rule disagree, the claim says
so ("Mixed: supported on A and B; not supported on C") instead of picking one silently.

The evidence functions take plain frames (one point per model: date, value, model, is_open, country, openness), so
toy tables where two yardsticks disagree test them directly.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from openclosed import claims as C
from openclosed import frontier as F
from openclosed import verdicts as V
from openclosed.countries import CN, US, in_country

SINCE = "2023-01-01"        # the Performance page's default range start: "since" for lags and catch-ups
GEO_YEAR_FROM = 2020        # the Geopolitics page's default first year: open-frontier levels counted from it


def _sides(pts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    op, cl = pts[pts["is_open"].astype(bool)], pts[~pts["is_open"].astype(bool)]
    return op[["date", "value", "model"]], cl[["date", "value", "model"]]


def lag_now(pts: pd.DataFrame, data_end, yardstick: str, low=None, high=None) -> C.Evidence:
    """c02 'the delay is now about X': the recent window's average daily lag, with its bootstrap interval."""
    op, cl = _sides(pts)
    if op.empty or cl.empty:
        return C.Evidence(None, f"No open and closed models on the {yardstick}")
    return V.lag_now_evidence(op, cl, data_end, SINCE, yardstick, all_pts=(op, cl))


def catch_up(pts: pd.DataFrame, data_end, yardstick: str, low=0.0, high=6.0) -> C.Evidence:
    """c07 'whenever closed sets a new level, open matches it within weeks or months': share of cases."""
    op, cl = _sides(pts)
    cases = V.catch_up_cases(op, cl, data_end)
    cases = cases[cases["closed_date"] >= pd.Timestamp(SINCE)]
    return V.whenever_evidence(cases, float(low), float(high), "months", f"new closed {yardstick} levels",
                               "performance")


def china_first(pts: pd.DataFrame, data_end, yardstick: str, low=None, high=None) -> C.Evidence:
    """c05 'Chinese labs now release most of the leading open-weight models': the share of new open-frontier
    levels (one point each) first reached by a Chinese model in the recent window, with a Wilson interval."""
    from openclosed import geo
    s = geo.Settings(year_from=GEO_YEAR_FROM, year_to=pd.Timestamp(data_end).year)
    cr = geo.open_first_crossers(pts[pts["date"] <= pd.Timestamp(data_end)], s)
    return china_first_evidence(cr, data_end, yardstick)


def china_first_evidence(crossers: pd.DataFrame, as_of, yardstick: str = "ECI") -> C.Evidence:
    """The share of open-frontier levels first reached by Chinese models in the recent window to ``as_of``."""
    from openclosed import geo
    if crossers.empty:
        return C.Evidence(None, "No open-frontier crossings in range")
    rec = crossers.assign(china=crossers["region"] == geo.CN)
    s = V.now_share(rec, "china", as_of, weight="levels")
    if not s["n_recent"]:
        return C.Evidence(None, f"No open-frontier level was first reached in {V.window_text(as_of)}")
    recent = rec[rec["date"] >= V.recent_start(as_of)]
    firsts = ", ".join(dict.fromkeys(recent["model"]))
    lo, hi = geo.wilson(s["recent"] * s["n_recent"], s["n_recent"])
    return C.Evidence(s["recent"], f"In {V.window_text(as_of)} Chinese models were first to {s['recent']:.0%} of "
                      f"the {s['n_recent']:.0f} new open-weight {yardstick} levels (95% Wilson interval "
                      f"{lo:.0%}–{hi:.0%}; all years in range: {s['pooled']:.0%})", low=lo, high=hi,
                      kind="share", link="geopolitics", deciding=f"the recent window's first crossers: {firsts}.")


def us_share_of_closed(pts: pd.DataFrame, until, since: str = SINCE) -> float:
    """Share of days from ``since`` to ``until`` on which the best closed model to date was a US model."""
    cl = pts[~pts["is_open"].astype(bool)]
    cl = cl[cl["date"] <= pd.Timestamp(until)]
    front = F.running_best(cl[["date", "value", "model"]])
    if front.empty:
        return float("nan")
    us_models = {m for m, c in zip(cl["model"], cl["country"]) if in_country(c, US)}
    days = pd.date_range(since, pd.Timestamp(until), freq="D")
    idx = np.searchsorted(front["date"].to_numpy(), days.to_numpy(), side="right") - 1
    valid = idx >= 0
    holders = front["model"].to_numpy()[idx[valid]]
    return float(np.mean([m in us_models for m in holders])) if valid.any() else float("nan")


def us_leads(pts: pd.DataFrame, data_end, yardstick: str, low=None, high=None) -> C.Evidence:
    """c08 'the closed frontier is held by US labs': share of days a US model held it."""
    share = us_share_of_closed(pts, data_end)
    if np.isnan(share):
        return C.Evidence(None, f"No closed {yardstick} frontier")
    return C.Evidence(share, f"A US model held the closed {yardstick} frontier on {share:.0%} of days from "
                      f"{pd.Timestamp(SINCE):%b %Y} to {pd.Timestamp(data_end):%d %b %Y}", link="geopolitics")


# claims.csv `check` -> the evidence function read on one yardstick's points
READERS = {
    "lag_months_recent_window": lag_now,
    "share_of_catch_ups_within_range": catch_up,
    "china_first_share_recent_window": china_first,
    "us_leads_closed_frontier": us_leads,
}
READING_COLUMNS = ["metric", "yardstick", "data_ends", "meets_coverage", "primary", "value", "low", "high",
                   "verdict", "evidence"]


def points(tables, metric: str) -> pd.DataFrame:
    """One point per model on ``metric``'s newest snapshot (the Performance page's defaults: any open weights,
    flagged models included, every country), with the catalog's country for the country claims."""
    from openclosed import performance
    pts = performance.metric_points(tables, metric)
    country = tables["models"].drop_duplicates("model_id").set_index("model_id")["country"]
    return pts.assign(country=pts["model_id"].map(country).fillna(""))


def primary_metric(yardsticks: pd.DataFrame) -> str | None:
    """The freshest yardstick meeting the coverage rule (the Overview headline's), among Epoch's and the
    leaderboards' own scores (not this report's stitched estimates)."""
    ok = yardsticks[yardsticks["meets_coverage"].astype(bool) & ~yardsticks["metric"].str.endswith("+estimates")]
    return str(ok.iloc[0]["metric"]) if len(ok) else None


def readings(yardsticks: pd.DataFrame, points_of, check: str, low=None, high=None) -> pd.DataFrame:
    """The claim read on every yardstick in ``yardsticks`` (today.yardsticks' table, freshest first):
    ``points_of(metric)`` gives its points. One row per yardstick with its value, interval, verdict and evidence."""
    fn = READERS[check]
    primary = primary_metric(yardsticks)
    rows = []
    for r in yardsticks[~yardsticks["metric"].str.endswith("+estimates")].itertuples():
        ev = fn(points_of(r.metric), r.data_ends, r.yardstick, low, high)
        rows.append({"metric": r.metric, "yardstick": r.yardstick, "data_ends": pd.Timestamp(r.data_ends),
                     "meets_coverage": bool(r.meets_coverage), "primary": r.metric == primary,
                     "value": ev.value, "low": ev.low, "high": ev.high,
                     "verdict": C.verdict(ev, low, high), "evidence": ev.text, "_ev": ev})
    return pd.DataFrame(rows, columns=READING_COLUMNS + ["_ev"])


def display(label: str) -> str:
    """A yardstick's label fit for a list ('GPQA Diamond, AA runs' -> 'GPQA Diamond (AA runs)')."""
    head, _, tail = str(label).partition(", ")
    return f"{head} ({tail})" if tail else head


def _names(labels: list[str]) -> str:
    labels = [display(x) for x in labels]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def agree(table: pd.DataFrame) -> bool:
    """Whether every yardstick meeting the coverage rule gives the claim the same verdict."""
    adequate = table[table["meets_coverage"] & (table["verdict"] != C.UNTESTABLE)]
    return adequate["verdict"].nunique() <= 1


def agreement(table: pd.DataFrame) -> str:
    """How the claim reads across the yardsticks meeting the coverage rule ("supported on 3 of 4 yardsticks
    meeting the coverage rule. Mixed: supported on A, B and C; not supported on D"), and on the others."""
    adequate = table[table["meets_coverage"] & (table["verdict"] != C.UNTESTABLE)]
    others = table[~table.index.isin(adequate.index) & (table["verdict"] != C.UNTESTABLE)]
    tail = ""
    if len(others):
        tail = (" On older or thinner data (not counted): "
                + "; ".join(f"{r.verdict} on {display(r.yardstick)} (data end {r.data_ends:%Y-%m-%d})"
                            for r in others.itertuples()) + ".")
    if adequate.empty:
        return "No yardstick meeting the coverage rule can test this." + tail
    n, k = len(adequate), int((adequate["verdict"] == C.SUPPORTED).sum())
    head = f"Supported on {k} of {n} yardsticks meeting the coverage rule"
    verdicts = list(dict.fromkeys(adequate["verdict"]))
    if len(verdicts) == 1:
        return f"{head}: {verdicts[0]} on every one ({_names(list(adequate['yardstick']))})." + tail
    by = "; ".join(f"{v} on {_names(list(adequate.loc[adequate['verdict'] == v, 'yardstick']))}"
                   for v in C.VERDICTS if v in verdicts)
    return f"{head}. Mixed: {by}." + tail


def judged_on(row: pd.Series | None) -> str:
    """'Judged on the AA Intelligence Index, whose data end 2026-08-22 (the freshest yardstick meeting the
    coverage rule).'"""
    if row is None:
        return ""
    return (f"Judged on the {row['yardstick']}, whose data end {pd.Timestamp(row['data_ends']):%Y-%m-%d} "
            f"(the freshest yardstick meeting the coverage rule).")


def reading_table(table: pd.DataFrame) -> list[dict]:
    """The per-yardstick readings as plain records (for the Overview's small table and the saved state)."""
    return [{"yardstick": r.yardstick, "data_ends": f"{r.data_ends:%Y-%m-%d}", "meets_coverage": bool(r.meets_coverage),
             "primary": bool(r.primary), "verdict": r.verdict, "evidence": r.evidence} for r in table.itertuples()]


def readings_frame(records) -> pd.DataFrame:
    """The readings as the Overview's small table: yardstick, data end, whether it meets the coverage rule and is
    the one judged on, the verdict and the evidence."""
    df = pd.DataFrame(list(records or []), columns=["yardstick", "data_ends", "meets_coverage", "primary", "verdict",
                                                     "evidence"])
    return df.rename(columns={"yardstick": "Yardstick", "data_ends": "Data end", "meets_coverage": "Meets coverage",
                              "primary": "Judged on", "verdict": "Verdict", "evidence": "Evidence"})
