"""Risk chart cards, one builder per card, and ``cards()`` in page order."""
from __future__ import annotations

import math
from collections.abc import Mapping

import altair as alt
import pandas as pd

from openclosed import fmt, theme
from openclosed.charts import alt_legend, as_altair, event_layers, event_numbers, event_title, legend, named_rows
from openclosed.charts import spec_chart
from openclosed.cards import ChartCard, by_key
from openclosed.risk.compare import tests_text
from openclosed.risk.model import (
    CLASS_LABELS, COLLECTION_START, HIGH_ZONE, LAST_SNAPSHOT, MIN_AT_RISK, OPTIONS, OPTION_COLORS,
    OPTION_LABELS, OPTION_NOUN, OPTION_SHORT, SIZE_BINS, SIZE_LABELS, Settings, likelihood_impact_grid, lower_first,
    SCORE_RULE, churn_summary, contributions, follow_up_end, heatmap_rows, measured, option_scores, survival_by_class,
    survival_curve_rows,
)


def _sized(chart, height: int):
    """Fill the container's width; `height` is the plot area's height (axes and legends come on top).

    Streamlit's default autosize 'fit' squeezes axes, legends and titles into the height, which shrinks
    the plot of a chart with long or rotated labels to a sliver.
    """
    return chart.properties(width="container", height=height,
                            autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def _day(date) -> str:
    """Day of the month without a leading zero ('7', not '07')."""
    return str(pd.Timestamp(date).day)


def _fmt_days(days: float | None, horizon: int) -> str:
    if days is None:
        return f"more than {horizon} days (median not reached)"
    return f"{fmt.num(days, 0)} days"


def _q(field: str, **kw) -> dict:
    return {"field": field, "type": "quantitative", **kw}


def _n(field: str, **kw) -> dict:
    return {"field": field, "type": "nominal", **kw}


def _layered(data: pd.DataFrame, layers: list[dict], height: int) -> dict:
    """Layers over one table as a Vega-Lite dict, sized as `_sized` sizes an Altair chart (the cards rebuilt for
    every setting of the weights are written this way: Altair's object tree was most of a Risk cache miss)."""
    datasets: dict = {}
    return {"$schema": alt.SCHEMA_URL, "config": {"view": {"continuousHeight": 300, "continuousWidth": 300}},
            "data": named_rows(data, datasets), "layer": layers, "width": "container", "height": height,
            "autosize": {"type": "fit-x", "contains": "padding"}, "datasets": datasets}


def _option_colour() -> dict:
    return _n("option", legend=None, scale={"domain": list(OPTIONS), "range": [OPTION_COLORS[o] for o in OPTIONS]})


def _scores_spec(data: pd.DataFrame) -> dict:
    """Each option's score (diamond), 90% band (thick bar) and bounds (thin line)."""
    y = _n("short", title=None, sort=list(data["short"]), axis={"labelLimit": 160})
    tooltip = [_n("label", title="Option"), _q("score", format=".1f", title="Score"),
               _q("low", format=".1f", title="5th percentile"), _q("high", format=".1f", title="95th percentile"),
               _q("min", format=".1f", title="All ranges at low end"),
               _q("max", format=".1f", title="All ranges at high end"), _q("n_risks", title="Risks in register")]
    base = {"y": y, "color": _option_colour()}
    return _layered(data, [
        {"mark": {"type": "rule", "strokeWidth": 1.5, "opacity": 0.45},
         "encoding": {**base, "x": _q("min", title="Weighted risk score (points)"), "x2": {"field": "max"},
                      "tooltip": tooltip}},
        {"mark": {"type": "rule", "strokeWidth": 12, "opacity": 0.55},
         "encoding": {**base, "x": _q("low"), "x2": {"field": "high"}, "tooltip": tooltip}},
        {"mark": {"type": "point", "filled": True, "size": 160, "shape": "diamond", "color": "black"},
         "encoding": {**base, "x": _q("score"), "tooltip": tooltip}},
        {"mark": {"type": "text", "dy": -16, "fontSize": 12, "color": theme.TEXT},
         "encoding": {**base, "x": _q("score"), "text": _q("score", format=".0f")}},
    ], 150)


def _drivers_spec(data: pd.DataFrame) -> dict:
    """The three largest contributions per option as bars, each labelled above (the bars keep their width on a
    phone) with its value at the end."""
    y = _n("row_label", sort=list(data["row_label"]), title=None, axis=None)
    tooltip = [_n("short", title="Option"), _n("risk", title="Risk"),
               _q("contribution", format=".1f", title="Contribution"),
               _q("share", format=".0%", title="Share of the option's score"),
               _q("weight", format=".2f", title="Weight"),
               _q("likelihood_mid", format=".1f", title="Likelihood (mid)"),
               _q("impact_mid", format=".1f", title="Impact (mid)")]
    text = {"type": "text", "align": "left", "baseline": "middle", "color": theme.TEXT}
    return _layered(data, [
        {"mark": {"type": "bar", "size": 13, "yOffset": 7},
         "encoding": {"y": y, "x": _q("contribution", title="Contribution to the score (points)"),
                      "color": _option_colour(), "tooltip": tooltip}},
        {"mark": {**text, "dx": 1, "dy": -8, "fontSize": 12},
         "encoding": {"y": y, "x": {"datum": 0}, "text": _n("row_label"), "tooltip": tooltip}},
        {"mark": {**text, "dx": 4, "dy": 7, "fontSize": 11},
         "encoding": {"y": y, "x": _q("contribution"), "text": _q("contribution", format=".1f")}},
    ], max(38 * len(data), 80))


def _score_card(scores: pd.DataFrame, settings: Settings) -> ChartCard:
    s = scores.sort_values("score").reset_index(drop=True)
    best, second, worst = s.iloc[0], s.iloc[1], s.iloc[-1]
    noun = OPTION_NOUN
    title = (f"With these priorities, {noun[best['option']]} carries the least weighted risk "
             f"({fmt.num(best['score'], 0)} points) and {noun[worst['option']]} the most ({fmt.num(worst['score'], 0)})")
    if best["high"] >= second["low"]:
        title += f", but its 90% band overlaps that of {noun[second['option']]}"
    if s["score"].max() == 0:
        title = "With every weight at zero, no option carries any weighted risk"
    data = scores[["option", "short", "label", "score", "low", "high", "min", "max", "n_risks"]].copy()
    chart = spec_chart(_scores_spec(data))
    return ChartCard(
        key="risk_scores", title=title,
        subtitle=("Weighted risk score per option: diamond = score, thick bar = 90% band (Monte Carlo over the "
                  "likelihood and impact ranges), thin line = all ranges at their low / high ends. Higher is riskier."),
        chart=chart, data=data, sources=["curated"],
        alt=("Horizontal chart of the weighted risk score of each option with its uncertainty band: "
             + "; ".join(f"{r.label} {fmt.num(r.score, 0)} (band {fmt.num(r.low, 0)} to {fmt.num(r.high, 0)})"
                         for r in data.itertuples())),
        method=("**Formula.** " + SCORE_RULE + ". "
                "L_mid and I_mid are the mid-points of the register's likelihood and impact ranges (1-5) and "
                "weight = your category weight x 1.5 for each active context that amplifies the risk x 0.5 for "
                "each that dampens it. **Band:** 5th to 95th percentile of the same sum with each likelihood and "
                "impact drawn uniformly from its range (4,000 draws, fixed seed). **Bounds:** every range at its "
                "low end / high end. Likelihood and impact are the report's judgment, each row citing public "
                "sources; the table of contributions below shows every term."),
        page="Risk",
    )


def _drivers_card(con: pd.DataFrame) -> ChartCard:
    parts, rows = [], []
    for opt in OPTIONS:
        sub = con[(con["option"] == opt) & (con["contribution"] > 0)]
        sub = sub.sort_values(["contribution", "risk_id"], ascending=[False, True], kind="mergesort").head(3)
        for rank, r in enumerate(sub.itertuples(), start=1):
            rows.append({"option": opt, "short": OPTION_SHORT[opt], "rank": rank, "risk": r.risk,
                         "row_label": f"{OPTION_SHORT[opt]} · {r.risk}", "contribution": r.contribution,
                         "share": r.share, "weight": r.weight, "likelihood_mid": r.likelihood_mid,
                         "impact_mid": r.impact_mid})
        if len(sub):
            parts.append(f"{lower_first(sub.iloc[0]['risk'])} for {OPTION_NOUN[opt]}")
    data = pd.DataFrame(rows, columns=["option", "short", "rank", "risk", "row_label", "contribution", "share",
                                       "weight", "likelihood_mid", "impact_mid"])
    title = ("The biggest driver of each score: " + "; ".join(parts)) if parts else \
        "No risk carries any weight: raise a weight to see what drives each score"
    chart = spec_chart(_drivers_spec(data))
    return ChartCard(
        key="risk_drivers", title=title,
        subtitle=("The three risks contributing most to each option's score (points = weight x likelihood x impact "
                  "÷ the option's rows in that category)."),
        chart=chart, data=data, sources=["curated"],
        alt="Bar chart of the three largest contributions per option: " + "; ".join(
            f"{r.row_label} {fmt.num(r.contribution, 1)}" for r in data.itertuples()),
        method=("Each bar is one term of the score: weight x L_mid x I_mid for one register row, divided by the "
                "option's number of rows in the risk's category (the score is a sum of category means). "
                "Ties are broken alphabetically by risk id."),
        page="Risk",
    )


_BANDS = ["1-4 low", "5-9 medium", "10-14 high", "15-25 very high"]


def _heatmap_spec(pts: pd.DataFrame, option: str) -> dict:
    """The likelihood x impact grid of one option as a Vega-Lite dict (written directly: it is rebuilt for every
    setting of the weights, and Altair's object tree was two thirds of that)."""
    datasets: dict = {}
    axis = lambda title: {"format": "d", "grid": False, "title": title, "values": [1, 2, 3, 4, 5]}   # noqa: E731
    grid_scale = {"domain": [0.5, 5.5], "nice": False}
    colour = OPTION_COLORS[option]
    cells = {"data": named_rows(likelihood_impact_grid(), datasets), "mark": {"type": "rect", "stroke": "white", "strokeWidth": 1},
             "encoding": {
                 "x": _q("l0", axis=axis("Likelihood (1-5, report's judgment)"), scale=grid_scale),
                 "x2": {"field": "l1"},
                 "y": _q("i0", axis=axis("Impact (1-5, judgment)"), scale=grid_scale), "y2": {"field": "i1"},
                 # the lightest zones need an outline to be seen as swatches
                 "color": {"field": "band", "type": "nominal",
                           "scale": {"domain": _BANDS, "range": list(theme.PURPLES)},
                           "legend": legend(_BANDS, "L x I zone", symbolType="square", symbolSize=220,
                                            symbolStrokeColor=theme.RULE, symbolStrokeWidth=1, symbolOpacity=1)}}}
    ranges = {"data": named_rows(pts[pts["top3"]], datasets),
              "mark": {"type": "rect", "color": colour, "opacity": 0.12, "stroke": colour, "strokeDash": [3, 2],
                       "strokeOpacity": 0.8},
              "encoding": {"x": _q("likelihood_low"), "x2": {"field": "likelihood_high"}, "y": _q("impact_low"),
                           "y2": {"field": "impact_high"}}}
    tooltip = [_q("no", title="No."), _n("risk", title="Risk"),
               _q("likelihood_low", title="Likelihood low"), _q("likelihood_high", title="Likelihood high"),
               _q("impact_low", title="Impact low"), _q("impact_high", title="Impact high"),
               _q("contribution", format=".1f", title="Weighted contribution")]
    rows = named_rows(pts, datasets)
    top3 = lambda scale: {"field": "top3", "type": "nominal", "legend": None,   # noqa: E731
                          "scale": {"domain": [True, False], "range": scale}}
    dots = {"data": rows, "mark": {"type": "circle", "opacity": 1, "stroke": "white", "strokeWidth": 1},
            "encoding": {"x": _q("x"), "y": _q("y"), "size": top3([520, 300]), "color": top3([colour, theme.RULE]),
                         "tooltip": tooltip}}
    labels = {"data": rows, "mark": {"type": "text", "color": "white", "fontWeight": "bold", "fontSize": 11},
              "encoding": {"x": _q("x"), "y": _q("y"), "text": _q("no"), "tooltip": tooltip}}
    return {"$schema": alt.SCHEMA_URL, "config": {"view": {"continuousHeight": 300, "continuousWidth": 300}},
            "layer": [cells, ranges, dots, labels],
            "resolve": {"scale": {"color": "independent", "size": "independent"}},
            "width": "container", "height": 300, "autosize": {"type": "fit-x", "contains": "padding"},
            "datasets": datasets}


def _heatmap_card(con: pd.DataFrame, option: str) -> ChartCard:
    pts = heatmap_rows(con, option)
    n_high = int((pts["severity_mid"] >= HIGH_ZONE).sum())
    short = OPTION_SHORT[option]
    lead = pts.sort_values(["severity_mid", "risk_id"], ascending=[False, True]).iloc[0] if len(pts) else None
    title = (f"{short}: {n_high} of {len(pts)} risks sit in the high zone (likelihood x impact of 10 or more)"
             + (f"; the most severe is {lower_first(lead['risk'])}" if lead is not None else ""))
    chart = spec_chart(_heatmap_spec(pts, option))
    key = "; ".join(f"{r.no} {r.risk}" for r in pts.sort_values("no").itertuples())
    return ChartCard(
        key=f"risk_heatmap_{option}", title=title,
        subtitle=(f"{OPTION_LABELS[option]}: each numbered dot is a risk at the mid-point of its likelihood and "
                  f"impact ranges. Coloured dots are the three biggest weighted drivers; their dashed boxes show the ranges. "
                  f"Key: {key}."),
        chart=chart, data=pts.drop(columns=["x", "y"]), sources=["curated"],
        alt=(f"Five-by-five likelihood by impact grid for {OPTION_LABELS[option]} with {len(pts)} risks: "
             + "; ".join(f"{r.risk} likelihood {r.likelihood_low:g}-{r.likelihood_high:g}, impact "
                         f"{r.impact_low:g}-{r.impact_high:g}" for r in pts.itertuples())),
        method=("Likelihood and impact are the report's judgment, stated as ranges in the risk register with a "
                "rationale and public sources per row. Dots sharing a mid-point are spread slightly so each stays "
                "visible. The zones (L x I of 1-4, 5-9, 10-14, 15-25) are a common risk-matrix convention, not data."),
        page="Risk",
    )


def _tests_md(tests: pd.DataFrame | None, measures: tuple[str, ...]) -> str:
    """' **Tests:** ...' for the measures a card shows (openclosed.risk.compare); '' without tests."""
    if tests is None or not len(tests):
        return ""
    t = tests[tests["measure"].isin(measures)]
    return (" **Tests (open vs closed):** " + tests_text(t) + ". A difference with p ≥ 0.05 (or an interval "
            "that includes 0) reads 'no clear difference' and does not count for a claim.") if len(t) else ""


def _survival_card(classified: pd.DataFrame, tests: pd.DataFrame | None = None) -> ChartCard:
    curves = survival_by_class(classified)
    horizon = (pd.Timestamp(LAST_SNAPSHOT) - pd.Timestamp(COLLECTION_START)).days
    new = classified[classified["new_listing"]]
    ends = {c: follow_up_end(curves[c], new.loc[new["cls"] == c, "days_listed"], horizon) for c in curves}
    rows = survival_curve_rows(curves, horizon, ends)
    med = {c: curves[c].median() for c in curves}
    n = {c: curves[c].n for c in curves}
    title = (f"Half of the closed models newly listed on OpenRouter were gone within "
             f"{_fmt_days(med['closed'], horizon)}; half of the open ones within {_fmt_days(med['open'], horizon)}")
    if med["closed"] is not None and med["open"] is not None:
        faster = "closed" if med["closed"] < med["open"] else "open"
        title = (f"Newly listed {faster} models leave OpenRouter's catalog sooner: half were gone within "
                 f"{fmt.num(min(med.values()), 0)} days, against {fmt.num(max(med.values()), 0)} for "
                 f"{'open' if faster == 'closed' else 'closed'} models")
    rows["pct"] = rows["survival"] * 100
    rows["pct_low"] = rows["ci_low"] * 100
    rows["pct_high"] = rows["ci_high"] * 100
    color = alt.Color("label:N", scale=theme.openness_scale(), title=None,
                      legend=alt_legend(theme.OPENNESS_DOMAIN, symbolType="stroke", symbolOpacity=1,
                                        symbolStrokeWidth=3))
    x = alt.X("day:Q", title="Days since first listed", scale=alt.Scale(domain=[0, horizon], nice=False))
    band = alt.Chart(rows).mark_area(interpolate="step-after", opacity=0.18).encode(
        x=x, y=alt.Y("pct_low:Q"), y2=alt.Y2("pct_high"), color=color)
    line = alt.Chart(rows).mark_line(interpolate="step-after", strokeWidth=2.5).encode(
        x=x, y=alt.Y("pct:Q", title="Still listed (%)", scale=alt.Scale(domain=[0, 100])), color=color,
        tooltip=[alt.Tooltip("label:N", title="Class"), alt.Tooltip("day:Q", format=".0f", title="Day"),
                 alt.Tooltip("pct:Q", format=".0f", title="Still listed (%)"),
                 alt.Tooltip("pct_low:Q", format=".0f", title="95% CI low"),
                 alt.Tooltip("pct_high:Q", format=".0f", title="95% CI high")])
    half = alt.Chart(pd.DataFrame({"y": [50]})).mark_rule(strokeDash=[4, 4], color=theme.NEUTRAL).encode(y=alt.Y("y:Q"))
    chart = _sized(band + line + half, 300)
    return ChartCard(
        key="risk_survival", title=title,
        subtitle=(f"Kaplan-Meier estimate of the share of OpenRouter model ids still listed, by days since first "
                  f"listed, for ids first listed after {COLLECTION_START} (closed n={n['closed']}, open n={n['open']}); "
                  f"shaded: 95% interval. Ids still listed on {LAST_SNAPSHOT} are censored; each curve stops "
                  f"when fewer than {MIN_AT_RISK} ids remain under observation."),
        chart=chart, data=rows, sources=["openrouter", "curated"],
        alt=("Step chart of listing survival for closed and open model ids on OpenRouter: "
             + "; ".join(f"{CLASS_LABELS[c]} median {_fmt_days(med[c], horizon)}" for c in med)),
        method=_CHURN_METHOD + _tests_md(tests, ("more gone within a year", "shorter median listing")),
        page="Risk",
    )


_CHURN_METHOD = (
    "**What this measures.** How long a model id stays in OpenRouter's catalog, from the twice-daily snapshots "
    f"collected since {COLLECTION_START} (`data/listings.csv`). An id leaving one catalog is *not* the weights "
    "disappearing: open weights stay downloadable and other hosts may still serve them; closed models usually do "
    "vanish everywhere when the vendor retires them. Renamed ids count as a removal plus a new listing. "
    "**Survival:** Kaplan-Meier (`scipy.stats.ecdf`) on days from first to last seen; an id still listed on "
    f"{LAST_SNAPSHOT} is right-censored. Only ids first seen after {COLLECTION_START} enter, because ids already "
    "listed on the first snapshot were listed for an unknown time before (left-censored). **Open or closed:** "
    "first the report's model catalog, then the current listing's Hugging Face link, then the class shared by "
    "all classified ids of the same author, then a name rule (closed families such as gpt-4, gemini, claude, grok, "
    "sonar; open families or a parameter count such as llama, qwen, 70b); ids matching none are 'unknown'. "
    "'~…-latest' router aliases are left out."
)


def _churn_card(classified: pd.DataFrame, tests: pd.DataFrame | None = None) -> ChartCard:
    summ = churn_summary(classified)
    data = summ[summ["cls"].isin(["closed", "open"])].copy()
    data["pct"] = data["share_gone_2024"] * 100
    data["text"] = [f"{g} of {n}" for g, n in zip(data["gone_2024"], data["listed_2024"])]
    c, o = data.set_index("cls").loc["closed"], data.set_index("cls").loc["open"]
    title = (f"{fmt.num(c['pct'], 0)}% of the closed and {fmt.num(o['pct'], 0)}% of the open models listed on OpenRouter in 2024 "
             f"were gone from its catalog by {_day(LAST_SNAPSHOT)} {pd.Timestamp(LAST_SNAPSHOT):%B %Y}")
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", title=None, sort=["Closed", "Open weights"]),
        x=alt.X("pct:Q", title=f"Gone by {pd.Timestamp(LAST_SNAPSHOT):%d %b %Y} (%)", scale=alt.Scale(domain=[0, 100])),
    )
    bars = base.mark_bar().encode(color=alt.Color("label:N", scale=theme.openness_scale(), legend=None),
                                  tooltip=[alt.Tooltip("label:N", title="Class"),
                                           alt.Tooltip("pct:Q", format=".0f", title="Gone (%)"),
                                           alt.Tooltip("text:N", title="Ids")])
    text = base.mark_text(align="left", dx=4, fontSize=12).encode(text=alt.Text("text:N"))
    chart = _sized(bars + text, 80)
    return ChartCard(
        key="risk_churn_2024", title=title,
        subtitle=(f"Share of OpenRouter model ids first seen in 2024 (from {COLLECTION_START}) that were no longer "
                  f"listed on {LAST_SNAPSHOT}. Labels: ids gone of ids listed."),
        chart=chart, data=data[["cls", "label", "listed_2024", "gone_2024", "pct"]], sources=["openrouter", "curated"],
        alt=f"Bar chart: closed {fmt.num(c['pct'], 0)}% gone, open {fmt.num(o['pct'], 0)}% gone.",
        method=_CHURN_METHOD + (" The 2024 cohort includes ids already listed on the first snapshot, so their "
                                "true listing age is longer than observed.")
                + _tests_md(tests, ("more of the 2024 cohort gone",)),
        page="Risk",
    )


_VOL_METHOD = (
    "**What this measures.** Every change in an OpenRouter id's listed price (`data/price_history.csv`, one row "
    "per change point; a price holds until the next). A *move* is any change in the input or output price after "
    "the first listed price. Size is the change in a blended price (3 parts input to 1 part output, Artificial "
    "Analysis' convention); moves to or from a free (0) price are counted but not sized. *Moves per model-year* "
    "divides the moves by the years each id was listed. A closed model's OpenRouter price is the lab's list "
    "price; an open model's is the price of its default or cheapest routed provider, so it moves when providers "
    "come, go or run short. A *temporary spike* is a jump of +50% or more that returns to at most 1.25 times the "
    "earlier price within 31 days: the capacity crunches in the data. Open/closed as in the churn charts. "
    "**Same-day changes:** the price history keeps one price per id per day (the last that day), so several "
    "changes on one day count as one move."
)


def _volatility_card(moves: pd.DataFrame, summary: pd.DataFrame, tests: pd.DataFrame | None = None) -> ChartCard:
    data = moves[moves["cls"].isin(["closed", "open"]) & moves["pct"].notna()].copy()
    data["bin"] = pd.cut(data["pct"], SIZE_BINS, labels=SIZE_LABELS, right=False).astype(str)
    data.loc[data["pct"] == 0, "bin"] = "0 to +5%"
    agg = data.groupby(["cls", "bin"]).size().rename("moves").reset_index()
    tot = agg.groupby("cls")["moves"].transform("sum")
    agg["share"] = 100 * agg["moves"] / tot
    agg["label"] = agg["cls"].map(CLASS_LABELS)
    s = summary.set_index("cls")
    o, c = s.loc["open"], s.loc["closed"]
    ratio = o["moves_per_model_year"] / c["moves_per_model_year"] if c["moves_per_model_year"] > 0 else float("inf")
    title = (f"Open-model prices at hosted providers moved {fmt.num(ratio, 0)} times as often as closed list prices "
             f"({fmt.num(o['moves_per_model_year'], 1)} against {fmt.num(c['moves_per_model_year'], 2)} moves per model-year), "
             f"and {fmt.num(o['spikes'], 0)} open against {fmt.num(c['spikes'], 0)} closed moves were temporary spikes")
    if not math.isfinite(ratio):
        title = (f"Closed list prices never moved, while open-model prices moved {fmt.num(o['moves_per_model_year'], 1)} "
                 f"times per model-year")
    chart = alt.Chart(agg).mark_bar().encode(
        x=alt.X("bin:N", sort=SIZE_LABELS, title="Price move (blended price, % change)",
                axis=alt.Axis(labelAngle=-40, labelLimit=120)),
        xOffset=alt.XOffset("label:N", sort=["Closed", "Open weights"]),
        y=alt.Y("share:Q", title="Share of the class's price moves (%)"),
        color=alt.Color("label:N", scale=theme.openness_scale(), title=None, legend=alt_legend(theme.OPENNESS_DOMAIN)),
        tooltip=[alt.Tooltip("label:N", title="Class"), alt.Tooltip("bin:N", title="Move size"),
                 alt.Tooltip("moves:Q", title="Moves"), alt.Tooltip("share:Q", format=".0f", title="Share (%)")],
    )
    chart = _sized(chart, 240)
    return ChartCard(
        key="risk_price_moves", title=title,
        subtitle=(f"Distribution of price-move sizes on OpenRouter, {COLLECTION_START} to {LAST_SNAPSHOT}: closed "
                  f"{int(c['moves'])} moves over {fmt.num(c['model_years'], 0)} model-years, open {int(o['moves'])} over "
                  f"{fmt.num(o['model_years'], 0)}. Median move: closed {fmt.num(c['median_abs_pct'] * 100, 0)}%, "
                  f"open {fmt.num(o['median_abs_pct'] * 100, 0)}%."),
        chart=chart, data=agg, sources=["openrouter", "curated"],
        alt=(f"Grouped bar chart of price-move sizes: open models {fmt.num(o['moves_per_model_year'], 1)} moves per model-year, "
             f"closed {fmt.num(c['moves_per_model_year'], 1)}."),
        method=_VOL_METHOD + _tests_md(tests, ("more price moves per model-year",)), page="Risk",
    )


def _timeline_card(monthly: pd.DataFrame, events: pd.DataFrame | None, spikes: pd.DataFrame) -> ChartCard:
    data = monthly.copy()
    op = data[data["cls"] == "open"]
    peak = op.loc[op["per_100"].idxmax()] if len(op) else None
    closed_mean = data.loc[data["cls"] == "closed", "per_100"].mean()
    open_mean = op["per_100"].mean()
    title = (f"Open-model prices moved {fmt.num(open_mean, 0)} times a month per 100 listed models on average, closed list "
             f"prices {fmt.num(closed_mean, 0)} times; the busiest month for open models was "
             f"{pd.Timestamp(peak['month']):%B %Y} ({fmt.num(peak['per_100'], 0)})") if peak is not None else \
        "No price moves in the data"
    ev_df = pd.DataFrame(columns=["date", "label"])
    if events is not None and len(events):
        ev = events[(events["kind"] == "price") | (events["event_id"] == "deepseek_r1")]
        ev_df = ev[(ev["date"] >= data["month"].min()) & (ev["date"] <= LAST_SNAPSHOT)][["date", "label"]]
    color = alt.Color("label:N", scale=theme.openness_scale(), title=None, legend=alt_legend(theme.OPENNESS_DOMAIN))
    x = alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=8))
    line = alt.Chart(data).mark_line(point=True, strokeWidth=2).encode(
        x=x, y=alt.Y("per_100:Q", title="Price moves per 100 listed models"), color=color,
        tooltip=[alt.Tooltip("label:N", title="Class"), alt.Tooltip("month:T", format="%B %Y", title="Month"),
                 alt.Tooltip("moves:Q", title="Moves"), alt.Tooltip("listed:Q", title="Models listed"),
                 alt.Tooltip("per_100:Q", format=".1f", title="Moves per 100")])
    layers, props = [line], {}
    if len(ev_df):
        ev_df = event_numbers(ev_df)
        layers += as_altair(event_layers(ev_df, [{"field": "label", "type": "nominal", "title": "Event"}]))
        props["title"] = event_title(ev_df, "Events")
    chart = _sized(alt.layer(*layers).properties(**props), 250)
    return ChartCard(
        key="risk_price_timeline", title=title,
        subtitle=("Monthly price moves per 100 OpenRouter model ids listed that month, open against closed. "
                  "Dashed lines: DeepSeek-R1's release and the capacity crunch that followed."),
        chart=chart, data=data, sources=["openrouter", "curated"],
        alt=f"Line chart of monthly price moves per 100 listed models; open models average {fmt.num(open_mean, 0)}, closed {fmt.num(closed_mean, 0)}.",
        method=_VOL_METHOD, page="Risk",
    )


R1_ID = "deepseek/deepseek-r1"


def _r1_card(price_history: pd.DataFrame, events: pd.DataFrame | None, spikes: pd.DataFrame) -> ChartCard | None:
    h = price_history[price_history["source_id"] == R1_ID].sort_values("date")
    if h.empty:
        return None
    end = (pd.Timestamp(h["date"].iloc[0]) + pd.Timedelta(days=120)).strftime("%Y-%m-%d")
    h = h[h["date"] <= end]
    rows = []
    for r in h.itertuples():
        rows.append({"date": r.date, "kind": "Input", "usd": r.input_usd_per_mtok})
        rows.append({"date": r.date, "kind": "Output", "usd": r.output_usd_per_mtok})
    for kind, col in (("Input", "input_usd_per_mtok"), ("Output", "output_usd_per_mtok")):
        rows.append({"date": end, "kind": kind, "usd": float(h[col].iloc[-1])})
    data = pd.DataFrame(rows)
    sp = spikes[spikes["source_id"] == R1_ID].sort_values("date")
    if len(sp):
        first = sp.iloc[0]
        title = (f"DeepSeek-R1's routed price jumped {fmt.num(first['multiple'], 1)}-fold on "
                 f"{_day(first['date'])} {pd.Timestamp(first['date']):%B %Y} in the capacity crunch and was back near its launch price "
                 f"within {fmt.num(first['days_to_revert'], 0)} days")
        if len(sp) > 1:
            again = sp.iloc[1]
            title += f"; it spiked again ({fmt.num(again['multiple'], 1)}-fold) on {_day(again['date'])} {pd.Timestamp(again['date']):%B}"
    else:
        title = "DeepSeek-R1's routed price on OpenRouter in its first four months"
    ev_df = pd.DataFrame(columns=["date", "label"])
    if events is not None and len(events):
        ev_df = events[events["event_id"].isin(["deepseek_r1", "r1_capacity_crunch"])][["date", "label"]]
    x = alt.X("date:T", title="Date", axis=alt.Axis(format="%d %b %Y", labelAngle=0, tickCount=6))
    line = alt.Chart(data).mark_line(interpolate="step-after", strokeWidth=2.5).encode(
        x=x, y=alt.Y("usd:Q", title="Price (USD per million tokens)"),
        strokeDash=alt.StrokeDash("kind:N", title=None, legend=alt_legend(["Input", "Output"])),
        color=alt.value(theme.OPEN),
        tooltip=[alt.Tooltip("date:T", format="%d %b %Y", title="From"), alt.Tooltip("kind:N", title="Price"),
                 alt.Tooltip("usd:Q", format="$.2f", title="USD / M tokens")])
    layers, props = [line], {}
    if len(ev_df):
        ev_df = event_numbers(ev_df, min_gap_days=10)
        layers += as_altair(event_layers(ev_df, [{"field": "label", "type": "nominal", "title": "Event"}]))
        props["title"] = event_title(ev_df, "Events")
    chart = _sized(alt.layer(*layers).properties(**props), 240)
    return ChartCard(
        key="risk_r1_crunch", title=title,
        subtitle=("OpenRouter's listed price for deepseek/deepseek-r1 (its default routed provider), input and "
                  "output, USD per million tokens, first 120 days. The fold changes in the headline are of the blended "
                  "price (3 parts input to 1 part output)."),
        chart=chart, data=data, sources=["openrouter", "curated"],
        alt="Step chart of DeepSeek-R1's OpenRouter price: a short jump to about 7 dollars in late January 2025, then back down.",
        method=_VOL_METHOD, page="Risk",
    )


def scoring(register: pd.DataFrame, settings: Settings | None = None
            ) -> tuple[list[ChartCard], pd.DataFrame, pd.DataFrame]:
    """What depends on the reader's settings, each computed once: the cards (scores, drivers, one heat map per
    option), the option scores and the contributions."""
    settings = (settings or Settings()).clean()
    weights, ctx = settings.weights(), settings.context()
    con = contributions(register, weights, ctx)
    scores = option_scores(register, weights, ctx, con=con)
    cards = [_score_card(scores, settings), _drivers_card(con)] + [_heatmap_card(con, opt) for opt in OPTIONS]
    return cards, scores, con


def scoring_cards(register: pd.DataFrame, settings: Settings | None = None) -> list[ChartCard]:
    """The cards that depend on the reader's settings: scores, drivers, one heat map per option."""
    return scoring(register, settings)[0]


def measured_cards(tables: Mapping[str, pd.DataFrame], m: Mapping[str, pd.DataFrame] | None = None) -> list[ChartCard]:
    """The cards measured from data/ (no settings): churn, survival, price moves, timeline, DeepSeek-R1."""
    m = m or measured(tables)
    events = tables["events"]
    t = m.get("tests")
    out = [_churn_card(m["classified"], t), _survival_card(m["classified"], t),
           _volatility_card(m["moves"], m["volatility"], t), _timeline_card(m["monthly"], events, m["spikes"])]
    r1 = _r1_card(tables["price_history"], events, m["spikes"])
    if r1 is not None:
        out.append(r1)
    return out


def cards(tables: Mapping[str, pd.DataFrame], settings: Settings | None = None) -> dict[str, ChartCard]:
    """Every chart card of the Risk page by key, in page order, for these settings."""
    return by_key(scoring_cards(tables["risk_register"], settings) + measured_cards(tables))
