"""Every Performance chart headline states what the card's own drawn rows (card.data) show, at the default
settings and at a non-default one (another yardstick, window, openness rule)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from openclosed import fmt
from openclosed import performance as P
from openclosed import tables as T

NAMES = ("scores", "models", "published_estimates", "events", "report2024")
SETTINGS = [P.Settings(), P.Settings(metric="aa_gpqa", start="2024-01", end="2025-12", open_rule="unrestricted")]


@pytest.fixture(scope="module")
def tables():
    return P.prepare({n: T.read(n) for n in NAMES}).warm()


@pytest.fixture(scope="module", params=range(len(SETTINGS)), ids=["default", "aa_gpqa-unrestricted"])
def view(request, tables):
    s = SETTINGS[request.param].clean()
    a, cards = P.view_cards(tables, s, boot_n=50)
    return s, P.METRICS[s.metric], dict(zip(["frontier", "gap", "lag"], cards.values())), P.domain_cards(tables, s)


def _last_step(data: pd.DataFrame, side: str) -> pd.Series:
    steps = data[(data["kind"] == "frontier step") & (data["side"] == side)]
    return steps.sort_values("date", kind="mergesort").iloc[-1]


def test_frontier_headline_matches_drawn_steps(view):
    s, m, cards, _ = view
    c = cards["frontier"]
    o, cl = _last_step(c.data, P.OPEN_LABEL), _last_step(c.data, P.CLOSED_LABEL)
    assert o["model"] in c.title
    closed_steps = c.data[(c.data["kind"] == "frontier step") & (c.data["side"] == P.CLOSED_LABEL)]
    if o["value"] >= cl["value"]:
        assert "level with" in c.title or "leads" in c.title
    else:
        matched = pd.Timestamp(closed_steps.loc[closed_steps["value"] >= o["value"], "date"].min())
        lag = (pd.Timestamp(o["date"]) - matched).days / 30.44
        assert f"scores {fmt.num(o['value'], m.decimals)}" in c.title
        assert f"reached in {fmt.month(matched)}" in c.title
        assert f"about {fmt.months(lag)}" in c.title


def test_gap_headline_matches_last_drawn_row_and_calls_ties(view):
    s, m, cards, _ = view
    c = cards["gap"]
    last = c.data.iloc[-1]
    gap = last["closed_best"] - last["open_best"]
    assert last["gap_points"] == pytest.approx(gap)
    if fmt.num(gap, m.decimals) == fmt.num(0.0, m.decimals):
        assert "tied" in c.title
    elif gap > 0:
        assert f"leads the best open one by {fmt.num(gap, m.decimals)}" in c.title
        if m.true_zero:
            assert f"{fmt.num(last['open_pct_of_closed'], 1)}% of the closed score" in c.title
        else:
            assert "%" not in c.title                       # no ratio on a scale without a true zero
    else:
        assert f"best open model leads the best closed one by {fmt.num(-gap, m.decimals)}" in c.title
    first = c.data.iloc[0]
    assert fmt.num(abs(first["gap_points"]), m.decimals) in c.title


def test_lag_headline_matches_last_drawn_row(view):
    s, m, cards, _ = view
    c = cards["lag"]
    rows = c.data.dropna(subset=["lag_months"])
    assert f"trail by {fmt.months(rows['lag_months'].iloc[-1])} on {m.short}" in c.title


def test_domain_headline_matches_drawn_bars(view):
    _, _, _, c = view
    fam = c.data.groupby("family")["open_pct"].mean()
    best, worst = fam.idxmax(), fam.idxmin()
    assert f"{best.lower()} ({fam[best]:.0f}%" in c.title and f"{worst.lower()} ({fam[worst]:.0f}%)" in c.title
    ahead = int((c.data["open_pct"] >= 100).sum())
    assert (f"lead on {ahead} of {len(c.data)} benchmarks" in c.title) == (ahead > 0)
    for src, snap in c.data.groupby("source")["snapshot"].max().items():
        assert snap in c.subtitle                                # the snapshot named is the one drawn


def test_fixed_card_headlines_match_their_rows(tables):
    fixed = P.fixed_parts(tables, boot_n=200)
    c = fixed["epoch_card"]
    d = c.data
    ours = d[(d["snapshot"] == P.EPOCH_SNAPSHOT) & (d["tolerance"] == 0) & (d["unit"] == "months")].iloc[0]
    pub = d[(d["who"] == "Published") & (d["unit"] == "months")].iloc[0]
    assert f"lag is {ours['value']:.2f} months (90% interval {ours['low']:.2f}-{ours['high']:.2f})" in c.title
    assert f"published {pub['value']:.1f} months ({pub['low']:.1f}-{pub['high']:.1f})" in c.title
    assert f"ECI snapshot of {P.EPOCH_SNAPSHOT}" in c.title
    inside = ours["low"] <= pub["value"] <= ours["high"]
    assert ("(inside our 90% interval)" in c.title) == inside
    t = fixed["triangulation_card"]
    months = t.data[(t.data["panel"] == "Lag (months)") & (t.data["who"] == "Published")]
    lo = np.nanmin(np.r_[months["value"], months["low"]])
    hi = np.nanmax(np.r_[months["value"], months["high"]])
    assert f"run from {fmt.num(lo, 0)} to {fmt.num(hi, 0)} months" in t.title
