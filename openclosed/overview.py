"""The overview: five headline numbers and the claims check, computed live by the sections' own core
functions at their default settings (so the overview always equals the section pages' defaults)."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from openclosed import claims as C
from openclosed import claim_yardsticks as Y
from openclosed.performance import today
from openclosed import cost, fmt, frontier, geo, performance, risk
from openclosed import verdicts as V
from openclosed.openness import OPEN_CLASSES

HARD_CEILING = 70.0     # a benchmark counts as "hard" when even the best closed model scores below 70%


@dataclasses.dataclass
class Defaults:
    """Each section's analysis at its default settings, computed once."""
    perf: performance.Analysis
    domains: pd.DataFrame
    cost: cost.Results
    geo: geo.Analysis
    risk: dict
    tables: Mapping[str, pd.DataFrame]
    yardsticks: pd.DataFrame = None         # lag today on every yardstick (openclosed.performance.today)


def defaults(tables: Mapping[str, pd.DataFrame]) -> Defaults:
    tables = performance.prepare(tables)        # a dict of the tables that also caches per-yardstick points
    return Defaults(
        perf=performance.analyze(tables, performance.Settings()),
        domains=performance.domain_frame(tables, performance.Settings()),
        cost=cost.analyze(tables, cost.Settings()),
        geo=geo.analyze(tables, geo.Settings()),
        risk=risk.measured(tables),
        tables=tables,
        yardsticks=today.yardsticks(tables),
    )


def lag_today_number(yardsticks: pd.DataFrame) -> dict:
    """The headline: lag today on the freshest yardstick that meets the coverage rule, named with the date its
    data ends, and the range of lag today over every yardstick."""
    h = today.headline(yardsticks)
    r = h["row"]
    if r is None:
        return {"label": "Best open behind best closed, today", "value": "no yardstick qualifies",
                "detail": f"No yardstick meets the coverage rule ({h['rule']}).", "page": "performance",
                "as_of": f"{h['newest']:%Y-%m-%d}" if pd.notna(h["newest"]) else ""}
    gap = fmt.num(r["gap_points"], int(r["decimals"]))
    return {
        "label": "Best open behind best closed, today",
        "value": f"{fmt.months(r['lag_months'])} · {gap} {r['unit']}",
        "detail": (f"{r['open_model']} vs {r['closed_model']} on the {r['yardstick']}, whose data end "
                   f"{r['data_ends']:%Y-%m-%d}: the freshest yardstick with {h['rule']}. Lag today across "
                   f"{h['n']} yardsticks: {fmt.months(h['low'])} ({h['low_yardstick']}) to "
                   f"{fmt.months(h['high'])} ({h['high_yardstick']}); each is measured on its own newest data."),
        "page": "performance", "as_of": f"{r['data_ends']:%Y-%m-%d}",
    }


def _row(df: pd.DataFrame, column: str, value) -> pd.Series:
    return df[df[column] == value].iloc[0]


def five_numbers(d: Defaults) -> list[dict]:
    """The state of play: label, value, detail, the section page it links to, and its as-of date."""
    h = performance.headline_numbers(d.perf)
    at = d.cost.market.at_threshold
    so = d.geo.share_open
    year = int(max(y for y, g in so.groupby("year") if {geo.US, geo.CN} <= set(g["region"])))
    cn, us = (_row(so[so["year"] == year], "region", r) for r in (geo.CN, geo.US))
    churn = d.risk["churn"].set_index("cls")
    listings = d.tables["listings"]
    listed_from, listed_to = str(listings["first_seen"].min()), str(listings["last_seen"].max())
    out = [
        lag_today_number(d.yardsticks),
        {"label": f"{performance.LAG_NAMES['level_average']} since {fmt.month(d.perf.settings.start_ts)}",
         "value": f"{h['mean_lag']:.1f} months",
         "detail": f"90% interval {h['mean_lag_low']:.1f}–{h['mean_lag_high']:.1f}; Epoch's method on the ECI export "
                   f"of {d.perf.snapshot} (the mean, over every score level both frontiers reach, of the months "
                   f"between closed and open reaching it). Lag today on the ECI: {fmt.months(h['lag_now'])}.",
         "page": "performance", "as_of": f"{h['now']:%Y-%m-%d}"},
    ]
    if at and at.get("open") and at.get("closed"):
        out.append({"label": "Closed ÷ open price, same capability",
                    "value": f"{at['ratio']:.1f}×",
                    "detail": f"At AA index ≥ {at['threshold']:g}: {at['open']['name']} ${at['open']['blended']:.3g} vs {at['closed']['name']} "
                              f"${at['closed']['blended']:.3g} per million tokens (3:1 blend); "
                              f"{at['saving_pct']:.0f}% saving.",
                    "page": "cost", "as_of": at["open"]["as_of"]})
    out.append({"label": f"Released open in {geo.year_label(year)}: China vs US",
                "value": f"{cn['share']:.0%} vs {us['share']:.0%}",
                "detail": f"{cn['open']:.0f} of {cn['n']:.0f} Chinese and {us['open']:.0f} of {us['n']:.0f} US "
                          f"notable models (Epoch; {_fisher_text(cn, us)}). " + _us_only_text(d, year),
                "page": "geopolitics", "as_of": f"{geo.year_end(year):%Y-%m-%d}"})   # a partial year: its data end
    out.append({"label": "Gone within a year: open vs closed",
                "value": f"{churn.loc['open', 'share_gone_1y']:.0%} vs {churn.loc['closed', 'share_gone_1y']:.0%}",
                "detail": f"Share of open vs closed model ids listed on OpenRouter after {listed_from} that left "
                          f"within a year (Kaplan–Meier; {_test_of(d, 'more gone within a year')}). "
                          "A model leaving one catalog is not its weights disappearing.",
                "page": "risk", "as_of": listed_to})
    return out


def _fisher_text(a: pd.Series, b: pd.Series) -> str:
    """Fisher's exact test on two shares open ('Fisher's exact p = 0.001'), whole counts only."""
    from openclosed.risk.compare import fisher_p
    counts = [float(a["open"]), float(a["n"]), float(b["open"]), float(b["n"])]
    if not all(math.isfinite(x) and x == int(x) for x in counts):
        return "fractional counts, no exact test"
    return f"Fisher's exact p = {fisher_p(*(int(x) for x in counts)):.2g}"


def _test_of(d: Defaults, measure: str) -> str:
    """The test behind one open-vs-closed risk measure, in words ('log-rank test (first year) p = 6.6e-05')."""
    t = d.risk["tests"].set_index("measure")
    return str(t.loc[measure, "stat"]) if measure in t.index else "no test"


def _us_only_text(d: Defaults, year: int) -> str:
    """The country rule behind 'US' and the US-only share beside it."""
    only = geo.share_open_only_in(d.tables["epoch_models"], d.geo.settings, year, "us")
    tail = (f" Counting US-only models: {only['open']:.0f} of {only['n']:.0f}, {only['share']:.0%}."
            if only["n"] else "")
    return geo.COUNTRY_RULE + tail


# --- evidence for each claim check -------------------------------------------------------------

def _open_share(d: Defaults) -> C.Evidence:
    """Judged on percent-correct benchmarks (the Performance page's per-domain view: Artificial Analysis
    components and LiveBench categories), where 0 means nothing solved; not on the ECI, whose zero is arbitrary."""
    return V.share_of_closed_evidence(d.domains)


def _perf_sides(d: Defaults) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The open and closed frontiers the Performance page draws (models before the range carry in)."""
    return d.perf.open_front, d.perf.closed_front


def _all_sides(d: Defaults) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every open and every closed model behind the Performance page's default frontiers (for resampling)."""
    s = d.perf.settings
    hist = performance.metric_points(d.tables, s.metric, d.perf.snapshot, s.open_rule, s.include_flagged, s.country,
                                     end=s.end_ts)
    op, cl = performance.sides(hist)
    return op[["date", "value", "model"]], cl[["date", "value", "model"]]


def _lag_latest(d: Defaults) -> C.Evidence:
    op, cl = _perf_sides(d)
    return V.lag_now_evidence(op, cl, d.perf.now, d.perf.settings.start_ts, "ECI", all_pts=_all_sides(d))


def _hardest_gap(d: Defaults, low: float = 3.0, high: float = 10.0) -> C.Evidence:
    hard = d.domains[d.domains["closed_best"] < HARD_CEILING]
    if hard.empty:
        return C.Evidence(None, "No benchmark in the data is hard enough")
    lead = 100.0 - hard["open_pct"]                       # relative: open's shortfall as % of closed's score
    points = hard["closed_best"] - hard["open_best"]        # absolute: percentage points of percent correct
    names = ", ".join(f"{b} {v:.0f}% ({p:.1f} points)" for b, v, p in zip(hard["benchmark"], lead, points))
    return C.Evidence(float(lead.median()), f"On the benchmarks where even the best closed model scores under "
                      f"{HARD_CEILING:.0f}% ({names}), the best open model scores a median {lead.median():.0f}% "
                      f"less than the best closed one (relative to closed's score; in percentage points the "
                      f"median lead is {points.median():.1f})",
                      low=float(lead.min()), high=float(lead.max()), link="performance",
                      deciding=("the relative shortfall (percent correct has a true zero). 'Percent' in the "
                                "claim can also mean percentage points: on those, the median lead of "
                                f"{points.median():.1f} would be "
                                f"{C.numeric_verdict(C.Evidence(float(points.median()), ''), low, high)}."))


def _cost_saving(d: Defaults) -> C.Evidence:
    at = d.cost.market.at_threshold
    claim = d.cost.market.claim
    if not at or not at.get("open") or not at.get("closed"):
        return C.Evidence(None, "No open and closed model both meet the default threshold")
    r = d.cost.market.robust
    spread = (r is not None and r.ok and math.isfinite(r.spread_low))
    loo = cost.loo_text(r) if spread else ""
    return C.Evidence(at["saving_pct"], f"At AA index ≥ {at['threshold']:g} the cheapest open model is "
                      f"{at['saving_pct']:.0f}% cheaper than the cheapest closed one"
                      + (f" (any of the {len(r.top_open)} cheapest open and {len(r.top_closed)} cheapest closed: "
                         f"{r.spread_low:.0f}–{r.spread_high:.0f}%{loo})" if spread else "")
                      + f"; the 70–90% band holds at {claim['in_band']} of {claim['n']} capability levels",
                      low=r.spread_low if spread else None, high=r.spread_high if spread else None, link="cost")


def _china_leads(d: Defaults) -> C.Evidence:
    """A "now" claim: judged on the open-frontier levels first reached in the recent window (the Geopolitics page's
    ECI view; used when no yardstick meets the coverage rule, else openclosed.claim_yardsticks reads it)."""
    return Y.china_first_evidence(d.geo.crossers, d.geo.lag_now["date"], "ECI")


def _closed_tokens(d: Defaults) -> C.Evidence:
    est = d.tables["published_estimates"]
    row = est[est["quantity"] == "token_share_open_pct"]
    if row.empty or pd.isna(row.iloc[0]["value"]):
        return C.Evidence(None, "No published usage figure")
    r = row.iloc[0]
    closed = 100.0 - float(r["value"])
    return C.Evidence(closed, f"{r['source']} reported open models at about {r['value']:.0f}% of OpenRouter "
                      f"tokens by late 2025, so closed about {closed:.0f}%", source=f"{r['source']} ({r['url']})",
                      link="performance")


def _catch_up(d: Defaults, low: float = 0.0, high: float = 6.0) -> C.Evidence:
    """A "whenever" claim: the share of new closed ECI levels (since the range start) that an open model matched
    within the claimed months, not the average."""
    op, cl = _perf_sides(d)
    cases = V.catch_up_cases(op, cl, d.perf.now)
    cases = cases[cases["closed_date"] >= d.perf.settings.start_ts]
    return V.whenever_evidence(cases, low, high, "months", "new closed ECI levels", "performance")


def us_share_of_closed_frontier(scores: pd.DataFrame, models: pd.DataFrame, since: str = "2023-01-01") -> float:
    """Share of days since `since` on which the best closed model to date (ECI) was a US model."""
    eci = scores[scores["metric"] == "eci"]
    snap = eci["snapshot"].max()
    pts = eci[eci["snapshot"] == snap].merge(models[["model_id", "openness", "country"]], on="model_id")
    pts = pts[~pts["openness"].isin(OPEN_CLASSES + ("unknown",))]
    pts = pd.DataFrame({"date": pd.to_datetime(pts["date"]), "value": pts["value"], "model": pts["model_id"],
                        "us": pts["country"].str.contains("United States", na=False)})
    front = frontier.running_best(pts[["date", "value", "model"]])
    if front.empty:
        return float("nan")
    us_models = set(pts.loc[pts["us"], "model"])
    days = pd.date_range(since, pts["date"].max(), freq="D")
    idx = np.searchsorted(front["date"].to_numpy(), days.to_numpy(), side="right") - 1
    valid = idx >= 0
    holders = front["model"].to_numpy()[idx[valid]]
    return float(np.mean([m in us_models for m in holders])) if valid.any() else float("nan")


def _us_leads(d: Defaults) -> C.Evidence:
    share = us_share_of_closed_frontier(d.tables["scores"], d.tables["models"])
    if math.isnan(share):
        return C.Evidence(None, "No closed ECI frontier")
    return C.Evidence(share, f"A US model held the closed ECI frontier on {share:.0%} of days since 2023",
                      link="geopolitics")


def _self_hosting(d: Defaults) -> C.Evidence:
    calc = d.cost.calc.calc
    pays = [calc[k] is not None and calc[k].tokens is not None for k in ("break_even_hosted", "break_even_closed")]
    hosted, closed = calc["break_even_hosted"], calc["break_even_closed"]
    text = (f"In the calculator's default scenario ({calc['hosted_name']} on {calc['gpus']} GPUs), self-hosting "
            + (f"beats the hosted open model above {hosted.tokens / 1e9:.1f}B tokens a month"
               if hosted is not None and hosted.tokens else "never beats the hosted open model")
            + " and "
            + (f"beats {calc['closed']['name']} above {closed.tokens / 1e9:.1f}B tokens"
               if closed is not None and closed.tokens else f"never beats {calc['closed']['name']}"))
    return C.Evidence(float(np.mean(pays)), text, link="cost")


def _churn(d: Defaults) -> C.Evidence:
    """Each measure counts for the claim only when open is worse beyond the noise (openclosed.risk.compare: Fisher's
    exact test for the cohort share, log-rank for lifetimes, a bootstrap for price moves)."""
    t = d.risk["tests"]
    held = t[t["open_worse"] & t["clear"]]
    unclear = t[~t["clear"]]
    text = (f"Open listings on OpenRouter were clearly worse on {len(held)} of {len(t)} measures "
            f"({'; '.join(f'{r.measure} {r.shown}' for r in held.itertuples()) or 'none'})")
    if len(unclear):
        text += "; no clear difference on " + "; ".join(f"{r.measure} {r.shown}, {r.stat}" for r in unclear.itertuples())
    return C.Evidence(len(held) / len(t) if len(t) else None, text, link="risk",
                      deciding="; ".join(f"{r.measure}: {r.stat}" for r in t.itertuples()) + ".")


EVIDENCE = {
    "open_pct_on_percent_correct_benchmarks": _open_share,
    "lag_months_recent_window": _lag_latest,
    "hardest_benchmark_gap_pct": _hardest_gap,
    "cost_saving_at_equal_capability": _cost_saving,
    "china_first_share_recent_window": _china_leads,
    "closed_token_share": _closed_tokens,
    "share_of_catch_ups_within_range": _catch_up,
    "us_leads_closed_frontier": _us_leads,
    "self_hosting_breakeven": _self_hosting,
    "open_model_churn": _churn,
}


def check_claims(claims: pd.DataFrame, d: Defaults, evidence=EVIDENCE) -> pd.DataFrame:
    """One row per claim: the claim, evidence, verdict, reason, the page that shows it and the chart card there
    (`evidence_card`, "" when none)."""
    rows = []
    for c in claims.itertuples():
        fn = evidence.get(c.check)
        on = _on_yardsticks(d, c) if fn is not None and fn is EVIDENCE.get(c.check) else None
        if on is not None:
            ev = on["evidence"]
        elif fn in (_catch_up, _hardest_gap) and not (pd.isna(c.threshold_low) or pd.isna(c.threshold_high)):
            ev = fn(d, float(c.threshold_low), float(c.threshold_high))
        else:
            ev = fn(d) if fn else C.Evidence(None, "No check is defined for this claim")
        v = C.verdict(ev, c.threshold_low, c.threshold_high)
        reason = C.reason(ev, v, c.threshold_low, c.threshold_high, c.unit or "")
        rows.append({"claim_id": c.claim_id, "claim": c.claim, "evidence": ev.text, "verdict": v,
                     "deciding": ev.deciding,
                     "reason": (f"{on['judged_on']} {reason}" if on else reason),
                     "source": ev.source, "page": ev.link or c.section,
                     "evidence_card": getattr(c, "evidence_card", "") or "",
                     "yardstick": on["yardstick"] if on else "", "data_ends": on["data_ends"] if on else "",
                     "on_yardsticks": on["agreement"] if on else "", "yardsticks_agree": on["agree"] if on else True,
                     "readings": on["readings"] if on else []})
    return pd.DataFrame(rows)


def _on_yardsticks(d: Defaults, c) -> dict | None:
    """A claim that rests on a capability yardstick, judged on the freshest one meeting the coverage rule and read
    on every other (openclosed.claim_yardsticks); None for other claims or when no yardstick qualifies."""
    if c.check not in Y.READERS or d.yardsticks is None or d.yardsticks.empty:
        return None
    lo = None if pd.isna(c.threshold_low) else float(c.threshold_low)
    hi = None if pd.isna(c.threshold_high) else float(c.threshold_high)
    prepared = performance.prepare(d.tables)         # the same Prepared defaults() made: no recompute
    table = Y.readings(d.yardsticks, lambda m: Y.points(prepared, m), c.check, lo, hi)
    primary = table[table["primary"]]
    if primary.empty:
        return None
    row = primary.iloc[0]
    return {"evidence": row["_ev"], "judged_on": Y.judged_on(row), "yardstick": row["yardstick"],
            "data_ends": f"{row['data_ends']:%Y-%m-%d}", "agreement": Y.agreement(table), "agree": Y.agree(table),
            "readings": Y.reading_table(table)}


# ---- the state of play as a build artifact --------------------------------------------------------------------
# The overview is the first page a reader opens, and computing it means running every section's default analysis
# (seconds). The build computes it once with the functions above and saves it beside the tables, stamped with a
# fingerprint of those tables; the page uses the saved copy only while the tables are the ones it was computed
# from, else computes it live. tests/unit/test_overview.py checks the saved copy equals a live computation.
STATE_FILE = "overview.json"


def data_fingerprint(data_dir: Path) -> str:
    """sha256 over every table's CSV in `data_dir` (name and bytes), in name order; the findings' history
    (written from this state) is not an input."""
    h = hashlib.sha256()
    for path in sorted(p for p in Path(data_dir).glob("*.csv") if p.name != "history.csv"):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def state_of_play(tables: Mapping[str, pd.DataFrame]) -> tuple[list[dict], pd.DataFrame]:
    """The five numbers and the checked claims at default settings."""
    d = defaults(tables)
    return five_numbers(d), check_claims(tables["claims"], d)


def save_state(data_dir: Path) -> None:
    """Compute the state of play from the tables in `data_dir` and save it there with their fingerprint."""
    from openclosed import tables as T
    data_dir = Path(data_dir)
    numbers, checked = state_of_play({name: T.read(name, data_dir) for name in T.provenance(data_dir)})
    state = {"fingerprint": data_fingerprint(data_dir), "numbers": numbers,
             "claims": json.loads(checked.to_json(orient="records", double_precision=15))}
    (data_dir / STATE_FILE).write_text(json.dumps(state, indent=1, sort_keys=True, default=_plain) + "\n")


def saved_state(data_dir: Path) -> tuple[list[dict], pd.DataFrame] | None:
    """The saved state of play, or None when it is missing or was computed from other tables."""
    path = Path(data_dir) / STATE_FILE
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if state.get("fingerprint") != data_fingerprint(data_dir):
        return None
    return state["numbers"], pd.DataFrame(state["claims"])


def _plain(value):
    """numpy scalars as Python numbers for JSON."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot save {type(value).__name__} in {STATE_FILE}")
