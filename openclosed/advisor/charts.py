"""Advisor chart builders: pure functions of a recommendation, one per card."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from openclosed import fmt, theme
from openclosed.charts import alt_legend
from openclosed.advisor.model import (
    CRITERIA, CRITERION_COLORS, CRITERION_KEYS, HYBRID, HYBRID_MIN_SHARE, OPTIONS, OPTION_COLORS,
    OPTION_SHORT,
)
from openclosed.advisor.recommend import Recommendation


# ====================================================================================================
# Charts and cards
# ====================================================================================================
# Streamlit's default autosize 'fit' squeezes legends and axis titles into the height; fit-x keeps the plot's height.
FIT_X = alt.AutoSizeParams(type="fit-x", contains="padding")


def chart_scores(rec: Recommendation) -> alt.Chart:
    df = rec.contributions.copy()
    df["option_label"] = df.apply(lambda r: f"{r['rank']}. {OPTION_SHORT[r['option']]}" + (
        " (ruled out)" if rec.ev.excluded.get(r["option"]) else ""), axis=1)
    order = list(dict.fromkeys(df.sort_values("rank")["option_label"]))
    df["criterion_order"] = df["criterion"].map({c: i for i, c in enumerate(CRITERION_KEYS)})
    base = alt.Chart(df)
    bars = base.mark_bar().encode(
        y=alt.Y("option_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("sum(points):Q", title="Score (points of 100)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("criterion_label:N", title="Criterion",
                        scale=alt.Scale(domain=[CRITERIA[c][0] for c in CRITERION_KEYS],
                                        range=[CRITERION_COLORS[c] for c in CRITERION_KEYS]),
                        legend=alt_legend([CRITERIA[c][0] for c in CRITERION_KEYS], "Criterion")),
        order=alt.Order("criterion_order:Q"),
        tooltip=[alt.Tooltip("label:N", title="Option"), alt.Tooltip("criterion_label:N", title="Criterion"),
                 alt.Tooltip("weight:Q", title="Weight", format=".2f"),
                 alt.Tooltip("rating:Q", title="Rating (0-1)", format=".2f"),
                 alt.Tooltip("points:Q", title="Points", format=".1f")])
    totals = df.groupby(["option_label"], as_index=False)["points"].sum()
    text = alt.Chart(totals).mark_text(align="left", dx=4, fontWeight="bold").encode(
        y=alt.Y("option_label:N", sort=order), x="points:Q", text=alt.Text("points:Q", format=".0f"))
    return (bars + text).properties(width="container", height=210, autosize=FIT_X)


def chart_costs(rec: Recommendation) -> alt.Chart:
    df = rec.costs.copy()
    df = df[np.isfinite(df["monthly_usd"])]
    if rec.ev.closed_share < HYBRID_MIN_SHARE:      # no hybrid to speak of: it would only repeat its open leg
        df = df[df["option"] != HYBRID]
    df["order"] = df["option"].map({o: i for i, o in enumerate(rec.ev.ranking)})
    df["usd_text"] = df["monthly_usd"].map(fmt.usd)
    df["short"] = df["option"].map(OPTION_SHORT)
    lo = max(float(df["low"].min()) / 3, 0.01)
    hi = float(df["high"].max()) * 3
    scale = alt.Scale(type="log", domain=[lo, hi])
    y = alt.Y("short:N", sort=alt.EncodingSortField("order"), title=None, axis=alt.Axis(labelLimit=220))
    color = alt.Color("short:N", legend=None, scale=alt.Scale(domain=[OPTION_SHORT[o] for o in OPTIONS],
                                                              range=[OPTION_COLORS[o] for o in OPTIONS]))
    tips = [alt.Tooltip("label:N", title="Option"), alt.Tooltip("model:N", title="Model"),
            alt.Tooltip("monthly_usd:Q", title="USD a month", format=",.0f"),
            alt.Tooltip("low:Q", title="low", format=",.0f"), alt.Tooltip("high:Q", title="high", format=",.0f"),
            alt.Tooltip("detail:N", title="How")]
    pts = alt.Chart(df).mark_point(filled=True, size=140).encode(
        y=y, x=alt.X("monthly_usd:Q", scale=scale, title="USD per month (log scale)"), color=color, tooltip=tips)
    rule = alt.Chart(df).mark_rule(strokeWidth=3).encode(y=y, x=alt.X("low:Q", scale=scale), x2="high:Q",
                                                            color=color, tooltip=tips)
    text = alt.Chart(df).mark_text(align="left", dx=10, dy=-10).encode(y=y, x=alt.X("monthly_usd:Q", scale=scale),
                                                                       text="usd_text:N")
    return (rule + pts + text).properties(width="container", height=200, autosize=FIT_X)


def chart_routing(rec: Recommendation) -> alt.Chart:
    r = rec.routing
    rows = []
    for _, x in r.iterrows():
        name = x["workload"] if x["workload"] == "All traffic" else f"{x['workload']} ({fmt.share(x['share_of_traffic'], 0)})"
        rows.append({"workload": name, "route": f"Open: {x['open_model']}", "side": "Open weights",
                     "share": x["to_open"]})
        rows.append({"workload": name, "route": f"Closed: {x['closed_model']}", "side": "Closed",
                     "share": x["to_closed"]})
    df = pd.DataFrame(rows)
    order = list(dict.fromkeys(df["workload"]))
    df["side_order"] = df["side"].map({"Open weights": 0, "Closed": 1})
    df["pct_text"] = df["share"].map(lambda v: f"{fmt.share(v, 0)}" if v >= 0.06 else "")
    bars = alt.Chart(df).mark_bar().encode(
        y=alt.Y("workload:N", sort=order, title=None, axis=alt.Axis(labelLimit=240)),
        x=alt.X("share:Q", stack="zero", title="Share of the workload's requests",
                axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("side:N", title=None, scale=theme.openness_scale(), legend=alt_legend(theme.OPENNESS_DOMAIN)),
        order=alt.Order("side_order:Q"),
        tooltip=[alt.Tooltip("workload:N", title="Workload"), alt.Tooltip("route:N", title="Routed to"),
                 alt.Tooltip("share:Q", title="Share", format=".1%")])
    text = alt.Chart(df).mark_text(color="white", fontWeight="bold").encode(
        y=alt.Y("workload:N", sort=order), x=alt.X("share:Q", stack="zero", bandPosition=0.5),
        text="pct_text:N", order=alt.Order("side_order:Q"))
    return (bars + text).properties(width="container", height=max(90, 34 * len(order)), autosize=FIT_X)
