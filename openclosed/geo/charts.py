"""Geopolitics chart builders: pure functions of the analysis, one per card."""
from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from openclosed import fmt, theme
from openclosed.charts import (
    alt_legend, as_altair, empty_chart, event_layers, event_numbers, event_title, legend, named_rows, named_values,
    spec_chart,
)
from openclosed.theme import CLOSED, COUNTRY_COLORS, NEUTRAL, OPEN
from openclosed.geo.model import (
    Analysis, CN, CONFIDENCE_ORDER, REGIONS, REGION_SHORT, STATUS_ORDER, Settings, UNKNOWN_COLOR, US,
    list_word, count_text, fmt_flop,
)


# ------------------------------------------------------------------------------------------------
# Charts
# ------------------------------------------------------------------------------------------------

def region_spec(regions: list[str]) -> dict:
    """Fixed country colours (theme.COUNTRY_COLORS) as a Vega-Lite scale; 'Rest of Europe' takes Europe's colour."""
    colours = dict(COUNTRY_COLORS, **{"Rest of Europe": COUNTRY_COLORS["Europe"]})
    return {"domain": list(regions), "range": [colours.get(r, NEUTRAL) for r in regions]}


def region_scale(regions: list[str]) -> alt.Scale:
    """``region_spec`` as an Altair scale."""
    return alt.Scale(**region_spec(regions))


def status_scale() -> alt.Scale:
    return alt.Scale(domain=STATUS_ORDER, range=[OPEN, CLOSED, UNKNOWN_COLOR])


def _pow10_axis(values) -> alt.Axis:
    """Log-scale axis with a tick and grid line at each power of ten only."""
    v = [x for x in values if x > 0]
    lo, hi = (int(math.floor(math.log10(min(v)))), int(math.ceil(math.log10(max(v))))) if v else (20, 27)
    return alt.Axis(values=[10.0 ** k for k in range(lo, hi + 1)],
                    labelExpr="replace(format(datum.value, '.0e'), 'e+', 'e')")


def _control_label(row) -> str:
    kind = "AI diffusion rule" if "diffusion" in row["event_id"] else "Chip export controls"
    return f"{kind}, {fmt.month(row['date'])}"


def _control_events(controls: pd.DataFrame, start, end) -> tuple[list[dict], dict] | None:
    """The US export-control rounds between start and end as numbered marker layers (``event_layers``) and the
    title that keys them under the plot (the rounds come months apart at most, so written labels would
    collide); None when there is none."""
    ev = controls[(controls["date"] >= pd.Timestamp(start)) & (controls["date"] <= pd.Timestamp(end))]
    if ev.empty:
        return None
    ev = event_numbers(ev.assign(short=[_control_label(r) for _, r in ev.iterrows()])[["date", "short", "description"]])
    tip = [{"field": "short", "type": "nominal", "title": "Event"},
           {"field": "description", "type": "nominal", "title": "What"}]
    return event_layers(ev, tip), event_title(ev, "US export-control rounds", "short")


def _with_events(layers: list, controls: pd.DataFrame, start, end, **props) -> alt.LayerChart:
    """The Altair layers plus the export-control rounds between start and end (``_control_events``)."""
    events = _control_events(controls, start, end)
    if events is None:
        return alt.layer(*layers).properties(**props)
    return alt.layer(*layers, *as_altair(events[0])).properties(title=events[1], **props)


def _with_events_spec(layers: list[dict], datasets: dict, controls: pd.DataFrame, start, end, **props):
    """``_with_events`` for layers written as Vega-Lite dicts (their rows in ``datasets``): the chart Altair would
    write for the same layers."""
    events = _control_events(controls, start, end)
    spec = {"$schema": alt.SCHEMA_URL, "config": {"view": {"continuousWidth": 300, "continuousHeight": 300}},
            "layer": list(layers), **props}
    if events is not None:
        spec["layer"] += [{**layer, "data": named_values(layer["data"]["values"], datasets)} for layer in events[0]]
        spec["title"] = events[1]
    return spec_chart({**spec, "datasets": datasets})


def releases_chart(rel: pd.DataFrame, s: Settings) -> alt.TopLevelMixin:
    regions = REGIONS[s.grouping]
    d = rel[rel["total"] > 0].copy()
    if d.empty:
        return empty_chart("No models in this range")
    d["status_rank"] = d["status"].map({k: i for i, k in enumerate(STATUS_ORDER)})
    share = s.measure == "share"
    d["pct"] = 100 * d["share"]
    field = "pct" if share else "count"
    ytitle = "Share of the region's models (%)" if share else f"{list_word(s).capitalize()} models released"
    x = alt.X("year:O", title="Year of publication", axis=alt.Axis(labelAngle=0))
    xo = alt.XOffset("region:N", sort=regions, scale=alt.Scale(paddingInner=0.12))
    bars = alt.Chart(d).mark_bar().encode(
        x=x, xOffset=xo,
        y=alt.Y(f"{field}:Q", stack="zero", title=ytitle,
                scale=alt.Scale(domain=[0, 100]) if share else alt.Undefined),
        color=alt.Color("status:N", scale=status_scale(), title=None, legend=alt_legend(STATUS_ORDER)),
        order=alt.Order("status_rank:Q"),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("region:N", title="Region"),
                 alt.Tooltip("status:N", title="Access"), alt.Tooltip("count:Q", title="Models", format=".3~f"),
                 alt.Tooltip("pct:Q", title="Share of region-year (%)", format=".0f")])
    tot = d.groupby(["year", "region"], as_index=False)["count"].sum()
    tot["top"] = 100.0 if share else tot["count"]
    tot["short"] = tot["region"].map(REGION_SHORT)
    labels = alt.Chart(tot).mark_text(baseline="bottom", dy=-2, fontSize=9, color=theme.TEXT).encode(
        x=x, xOffset=xo, y=alt.Y("top:Q"), text="short:N")
    return (bars + labels).properties(width="container", height=340)


def share_open_chart(so: pd.DataFrame, s: Settings) -> alt.TopLevelMixin:
    regions = REGIONS[s.grouping]
    if so.empty:
        return empty_chart("No models with known accessibility in this range")
    k = len(regions)
    off = {r: (i - (k - 1) / 2) * 0.1 for i, r in enumerate(regions)}
    d = so.assign(x=so["year"] + so["region"].map(off), pct=100 * so["share"], lo=100 * so["low"],
                  hi=100 * so["high"], label=[f"{count_text(a)} of {count_text(b)}" for a, b in zip(so["open"], so["n"])],
                  focus=so["region"].isin([US, CN]))
    years = sorted(d["year"].unique().tolist())
    # Written as a Vega-Lite dict (the spec Altair wrote, compared card by card): rebuilt for most settings, and
    # Altair's object tree was most of the card's cost.
    datasets: dict = {}
    focus = {"condition": {"test": "datum.focus", "value": 1.0}, "value": 0.45}
    base = {"x": {"field": "x", "type": "quantitative", "title": "Year of publication",
                  "scale": {"domain": [years[0] - 0.5, years[-1] + 0.5], "nice": False, "zero": False},
                  "axis": {"format": "d", "values": years, "grid": False}},
            "color": {"field": "region", "type": "nominal", "scale": region_spec(regions), "title": None,
                      "legend": legend(regions)},
            "opacity": focus}
    tip = [{"field": f, "type": t, "title": title, **({"format": ".0f"} if t == "quantitative" else {})}
           for f, t, title in (("year", "ordinal", "Year"), ("region", "nominal", "Region"),
                               ("label", "nominal", "Open weights"), ("pct", "quantitative", "Share (%)"),
                               ("lo", "quantitative", "95% CI low (%)"), ("hi", "quantitative", "95% CI high (%)"))]
    y = {"field": "pct", "type": "quantitative", "title": "Share released with open weights (%)",
         "scale": {"domain": [0, 100]}}
    rules = {"mark": {"type": "rule", "strokeWidth": 2},
             "encoding": {**base, "y": {"field": "lo", "type": "quantitative"}, "y2": {"field": "hi"}, "tooltip": tip}}
    line = {"mark": {"type": "line"},
            "encoding": {**base, "y": y, "detail": {"field": "region", "type": "nominal"},
                         "strokeWidth": {"condition": {"test": "datum.focus", "value": 2.2}, "value": 1}}}
    pts = {"mark": {"type": "circle", "size": 60}, "encoding": {**base, "y": y, "tooltip": tip}}
    return spec_chart({"$schema": alt.SCHEMA_URL, "config": {"view": {"continuousWidth": 300, "continuousHeight": 300}},
                       "layer": [rules, line, pts], "data": named_rows(d, datasets), "height": 320,
                       "width": "container", "datasets": datasets})


def capability_chart(an: "Analysis") -> alt.TopLevelMixin:
    st_ = an.steps
    if st_.empty:
        return empty_chart("No scored US or Chinese models")
    start = pd.Timestamp(f"{an.settings.year_from}-01-01")
    d = st_.copy()
    d["date"] = d["date"].clip(lower=start)
    d = d.sort_values(["country", "date", "value"]).drop_duplicates(["country", "date"], keep="last")
    label, unit = an.metric["label"], an.metric["unit"]
    datasets: dict = {}
    rows = named_rows(d, datasets)
    base = {"x": {"field": "date", "type": "temporal", "title": "Release date"},
            "y": {"field": "value", "type": "quantitative", "title": f"Best {label} to date ({unit})",
                  "scale": {"zero": False}},
            "color": {"field": "country", "type": "nominal", "scale": region_spec([US, CN]), "title": None,
                      "legend": legend([US, CN])}}
    line = {"data": rows, "mark": {"type": "line", "interpolate": "step-after", "strokeWidth": 2.5}, "encoding": base}
    pts = {"data": rows, "mark": {"type": "circle", "size": 45}, "transform": [{"filter": "datum.record"}],
           "encoding": {**base, "tooltip": [
               {"field": "country", "type": "nominal", "title": "Country"},
               {"field": "model", "type": "nominal", "title": "Model"},
               {"field": "date", "type": "temporal", "title": "Released"},
               {"field": "value", "type": "quantitative", "title": label, "format": ".1f"}]}}
    return _with_events_spec([line, pts], datasets, an.controls, start, an.lag_now["date"], width="container",
                             height=340)


def lag_chart(an: "Analysis") -> alt.TopLevelMixin:
    g = an.gap.dropna(subset=["lag_months"])
    if g.empty:
        return empty_chart("No date where both the US and China have a scored model")
    g = g[["date", "lag_months", "gap_points", "us_best", "china_best"]]
    datasets: dict = {}
    line = {"data": named_rows(g, datasets),
            "mark": {"type": "area", "color": COUNTRY_COLORS[CN], "interpolate": "step-after",
                     "line": {"color": COUNTRY_COLORS[CN]}, "opacity": 0.25},
            "encoding": {"x": {"field": "date", "type": "temporal", "title": "Date"},
                         "y": {"field": "lag_months", "type": "quantitative", "title": "US lead over China (months)"},
                         "tooltip": [{"field": "date", "type": "temporal", "title": "Week of"},
                                     {"field": "lag_months", "type": "quantitative", "title": "Lead (months)",
                                      "format": ".1f"},
                                     {"field": "gap_points", "type": "quantitative",
                                      "title": f"Gap ({an.metric['unit']})", "format": ".1f"}]}}
    layers = [line]
    pub = an.published
    lo, hi = g["date"].min(), g["date"].max()
    if pub is not None and an.metric["metric"] == "eci":
        a, b = max(pd.Timestamp("2023-01-01"), lo), min(pd.Timestamp(pub["published"]), hi)
        if a < b:
            band = named_rows(pd.DataFrame({
                "start": [a], "end": [b], "low": [pub["low"]], "high": [pub["high"]], "value": [pub["value"]],
                "label": [f"Epoch: {pub['value']:g} months average ({pub['low']:g}-{pub['high']:g})"]}), datasets)
            start = {"field": "start", "type": "temporal"}
            published = [{"field": "label", "type": "nominal", "title": "Published"}]
            layers.append({"data": band, "mark": {"type": "rect", "color": NEUTRAL, "opacity": 0.12},
                           "encoding": {"x": start, "x2": {"field": "end"},
                                        "y": {"field": "low", "type": "quantitative"}, "y2": {"field": "high"},
                                        "tooltip": published}})
            layers.append({"data": band, "mark": {"type": "rule", "color": theme.TEXT, "strokeDash": [6, 3],
                                                  "strokeWidth": 1.5},
                           "encoding": {"x": start, "x2": {"field": "end"},
                                        "y": {"field": "value", "type": "quantitative"}, "tooltip": published}})
            layers.append({"data": band, "mark": {"type": "text", "align": "left", "baseline": "bottom", "dx": 4,
                                                  "dy": -3, "fontSize": 10, "color": theme.TEXT},
                           "encoding": {"x": start, "y": {"field": "high", "type": "quantitative"},
                                        "text": {"field": "label", "type": "nominal"}}})
    return _with_events_spec(layers, datasets, an.controls, lo, hi, width="container", height=300)


def crossers_chart(an: "Analysis", open_front: pd.DataFrame) -> alt.TopLevelMixin:
    cr = an.crossers
    regions = REGIONS[an.settings.grouping]
    if cr.empty:
        return empty_chart("The open frontier crossed no new level in this range")
    label = an.metric["label"]
    f = open_front.copy()
    step = alt.Chart(f).mark_line(interpolate="step-after", color=NEUTRAL, strokeWidth=1.5).encode(
        x=alt.X("date:T", title="Release date"),
        y=alt.Y("value:Q", title=f"Best open-weight {label} to date", scale=alt.Scale(zero=False)))
    pts = alt.Chart(cr).mark_circle(opacity=0.9).encode(
        x="date:T", y="value:Q",
        color=alt.Color("region:N", scale=region_scale(regions), title=None, legend=alt_legend(regions)),
        size=alt.Size("levels:Q", title="Levels first crossed", scale=alt.Scale(range=[40, 400], zero=False),
                      legend=alt_legend(["0000"] * 4, "Levels first crossed")),
        tooltip=[alt.Tooltip("model:N", title="Model"), alt.Tooltip("region:N", title="Region"),
                 alt.Tooltip("date:T", title="Released"), alt.Tooltip("value:Q", title=label, format=".1f"),
                 alt.Tooltip("levels:Q", title="One-point levels first crossed", format=".3~f")])
    return (step + pts).properties(width="container", height=300)


def compute_chart(an: "Analysis") -> alt.TopLevelMixin:
    c = an.compute
    regions = REGIONS[an.settings.grouping]
    if c.empty:
        return empty_chart("No compute estimates in this range")
    d = c.assign(flop_text=c["flop"].map(fmt_flop))
    base = alt.Chart(d).encode(
        x=alt.X("date:T", title="Publication date of the year's largest run"),
        y=alt.Y("flop:Q", title="Training compute (FLOP, log scale)", scale=alt.Scale(type="log"),
                axis=_pow10_axis(d["flop"])),
        color=alt.Color("region:N", scale=region_scale(regions), title=None, legend=alt_legend(regions)))
    line = base.mark_line(strokeWidth=1.5, opacity=0.6).encode(detail="region:N")
    pts = base.mark_point(size=70, filled=True, opacity=0.95).encode(
        shape=alt.Shape("confidence:N", scale=alt.Scale(domain=CONFIDENCE_ORDER,
                                                        range=["circle", "square", "triangle-up", "cross"]),
                        title="Epoch's confidence", legend=alt_legend(CONFIDENCE_ORDER, "Epoch's confidence")),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("region:N", title="Region"),
                 alt.Tooltip("model:N", title="Largest run"), alt.Tooltip("flop_text:N", title="FLOP"),
                 alt.Tooltip("confidence:N", title="Confidence"), alt.Tooltip("status:N", title="Access")])
    return _with_events([line, pts], an.controls, d["date"].min(), d["date"].max(), width="container",
                        height=340)


def compute_cap_chart(an: "Analysis") -> alt.TopLevelMixin:
    c = an.compute_cap
    regions = REGIONS[an.settings.grouping]
    if c.empty:
        return empty_chart("No model has both a score and a compute estimate in this range")
    d = c.assign(flop_text=c["flop"].map(fmt_flop))
    return alt.Chart(d).mark_point(size=70, filled=True, opacity=0.85).encode(
        x=alt.X("flop:Q", title="Training compute (FLOP, log scale)", scale=alt.Scale(type="log"),
                axis=_pow10_axis(d["flop"])),
        y=alt.Y("value:Q", title="ECI (points)", scale=alt.Scale(zero=False)),
        color=alt.Color("region:N", scale=region_scale(regions), title=None, legend=alt_legend(regions)),
        shape=alt.Shape("status:N", scale=alt.Scale(domain=STATUS_ORDER, range=["circle", "triangle-up", "cross"]),
                        title="Access", legend=alt_legend(STATUS_ORDER, "Access")),
        tooltip=[alt.Tooltip("model:N", title="Model"), alt.Tooltip("region:N", title="Region"),
                 alt.Tooltip("value:Q", title="ECI", format=".1f"), alt.Tooltip("flop_text:N", title="FLOP"),
                 alt.Tooltip("confidence:N", title="Compute confidence"), alt.Tooltip("status:N", title="Access")],
    ).properties(width="container", height=340)


LANE_SHAPES = {"Policy": "diamond", "Open release": "circle", "Closed release": "square", "Market": "triangle-up"}
TIMELINE_ROW_PX = 20
X_YEAR, X_DOT, X_LABEL = 0.0, 0.07, 0.12


def timeline_layout(ev: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A vertical timeline: a time strip on the left (``tpos``: the date on a linear scale running from 0 for
    the first event to n-1 for the last) joined by leader lines to evenly spaced labels (``row`` = 0..n-1),
    so labels never overlap however close the dates. Also returns the year marks (year, tpos)."""
    d = ev.sort_values(["date", "label"]).reset_index(drop=True).copy()
    n = len(d)
    d["row"] = np.arange(n, dtype=float)
    if n == 0:
        return d.assign(tpos=pd.Series(dtype=float)), pd.DataFrame(columns=["year", "tpos"])
    t0, t1 = d["date"].min(), d["date"].max()
    span = (t1 - t0) / pd.Timedelta(days=1)
    d["tpos"] = ((d["date"] - t0) / pd.Timedelta(days=1) / span * (n - 1)) if span > 0 else d["row"]
    years = [y for y in range(t0.year + 1, t1.year + 1)]
    marks = pd.DataFrame({"year": [str(y) for y in years],
                          "tpos": [(pd.Timestamp(f"{y}-01-01") - t0) / pd.Timedelta(days=1) / span * (n - 1)
                                   if span > 0 else 0.0 for y in years]})
    return d, marks


def timeline_chart(ev: pd.DataFrame) -> alt.TopLevelMixin:
    if ev.empty:
        return empty_chart("No events in this range")
    d, marks = timeline_layout(ev)
    n = len(d)
    lanes = [l for l in LANE_SHAPES if l in set(d["lane"])]
    countries = [c for c in [US, CN, "Europe", "Other"] if c in set(d["country"])]
    d = d.assign(text=[f"{x:%b %Y}  {lab}" for x, lab in zip(d["date"], d["label"])],
                 x_dot=X_DOT, x_label=X_LABEL)
    d = d[["date", "row", "tpos", "label", "text", "lane", "country", "description", "source", "x_dot", "x_label"]]
    y_scale = alt.Scale(domain=[-0.8, n - 0.2], reverse=True, nice=False, zero=False)
    x_scale = alt.Scale(domain=[0, 1], nice=False)
    tip = [alt.Tooltip("date:T", title="Date"), alt.Tooltip("label:N", title="Event"),
           alt.Tooltip("description:N", title="What"), alt.Tooltip("source:N", title="Source")]
    x_none = dict(scale=x_scale, axis=None)
    y_none = dict(scale=y_scale, axis=None)
    base = alt.Chart(d)
    strip = alt.Chart(pd.DataFrame({"x": [X_DOT], "y0": [0.0], "y1": [float(n - 1)]})).mark_rule(
        color=theme.LIGHT, strokeWidth=2).encode(x=alt.X("x:Q", **x_none), y=alt.Y("y0:Q", **y_none), y2="y1:Q")
    leader = base.mark_rule(color=theme.MUTED, strokeWidth=0.8).encode(
        x=alt.X("x_dot:Q", **x_none), x2="x_label:Q", y=alt.Y("tpos:Q", **y_none), y2="row:Q")
    dots = base.mark_point(size=80, filled=True, opacity=1).encode(
        x=alt.X("x_dot:Q", **x_none), y=alt.Y("tpos:Q", **y_none),
        color=alt.Color("country:N", scale=region_scale(countries), title="Country",
                        legend=alt_legend(countries, "Country")),
        shape=alt.Shape("lane:N", scale=alt.Scale(domain=lanes, range=[LANE_SHAPES[l] for l in lanes]),
                        title="Kind", legend=alt_legend(lanes, "Kind")),
        tooltip=tip)
    text = base.mark_text(align="left", baseline="middle", dx=4, fontSize=11, color=theme.INK).encode(
        x=alt.X("x_label:Q", **x_none), y=alt.Y("row:Q", **y_none), text="text:N", tooltip=tip)
    layers = [strip, leader, dots, text]
    if len(marks):
        mk = marks.assign(x=X_YEAR, x2=X_DOT)
        layers.append(alt.Chart(mk).mark_rule(color=theme.FAINT).encode(
            x=alt.X("x:Q", **x_none), x2="x2:Q", y=alt.Y("tpos:Q", **y_none)))
        layers.append(alt.Chart(mk).mark_text(align="left", baseline="bottom", dy=-2, fontSize=10,
                                              color=theme.NEUTRAL).encode(
            x=alt.X("x:Q", **x_none), y=alt.Y("tpos:Q", **y_none), text="year:N"))
    return alt.layer(*layers).properties(width="container", height=int(TIMELINE_ROW_PX * (n + 1)))


def timeline_slide_chart(ev: pd.DataFrame) -> alt.TopLevelMixin:
    """The timeline for a 16:9 slide: the events in date order split into two columns, side by side."""
    if len(ev) < 12:
        return timeline_chart(ev)
    d = ev.sort_values(["date", "label"]).reset_index(drop=True)
    half = (len(d) + 1) // 2
    return alt.hconcat(timeline_chart(d.iloc[:half]), timeline_chart(d.iloc[half:]), spacing=40)
