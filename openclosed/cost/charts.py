"""Cost chart builders: pure functions of the analysis, one per card."""
from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from openclosed import fmt, theme
from openclosed.charts import (NARROW_VIEW_PX, alt_legend, as_altair, event_layers, event_numbers, event_title,
                               legend, named_rows, spec_chart)
from openclosed.cost import robust
from openclosed.cost.market import CLAIM_HIGH, CLAIM_LOW, YOURS_LABEL, yours_prices
from openclosed.cost.model import AGAINST, Calc, History, Market


# ----- charts -----------------------------------------------------------------------------------------

# d3's SI format writes billions as "G"; readers expect "B"
_SI_B = "replace(datum.label, 'G', 'B')"
OPTION_DOMAIN = ["Closed API", "Open model, hosted", "Self-host"]
OPTION_RANGE = [theme.CLOSED, theme.OPEN, theme.GREEN]   # Okabe-Ito blue, orange, bluish green


def chart_price_capability(m: Market, user: pd.DataFrame | None = None) -> alt.LayerChart:
    """Price against capability; ``user`` (the reader's models) adds "Yours" diamonds on top."""
    s = m.settings
    pc = m.pc
    t = m.at_threshold
    mine = yours_prices(user, s.ratio, s.log_price)
    pick = {x["model_id"] for x in (t["open"], t["closed"]) if x is not None}
    data = pc[["model_id", "name", "group", "score", "blended", "price_in", "price_out", "provider", "variant"]].copy()
    data["variant"] = data["variant"].fillna("").astype(str)
    data["pick"] = data["model_id"].isin(pick)
    scale = alt.Scale(type="log") if s.log_price else alt.Scale(type="linear", zero=True)
    x = alt.X("blended:Q", title=f"Blended $/M tokens ({fmt.ratio(s.ratio)} in:out"
              + (", log)" if s.log_price else ")"), scale=scale)
    y = alt.Y("score:Q", title="AA Intelligence Index (v4.1)", scale=alt.Scale(zero=True))
    col = theme.openness_scale({YOURS_LABEL: theme.YOURS} if len(mine) else None)
    tooltip = [alt.Tooltip("name:N", title="Model"), alt.Tooltip("group:N", title="Weights"),
               alt.Tooltip("score:Q", title="AA index", format=".1f"),
               alt.Tooltip("blended:Q", title="Blended $/M", format=",.3f"),
               alt.Tooltip("price_in:Q", title="Input $/M", format=",.3f"),
               alt.Tooltip("price_out:Q", title="Output $/M", format=",.3f"),
               alt.Tooltip("provider:N", title="Provider"), alt.Tooltip("variant:N", title="AA variant")]
    base = alt.Chart(data)
    pts = base.mark_circle(size=45, opacity=0.5).encode(
        x=x, y=y, color=alt.Color("group:N", title=None, scale=col, legend=alt_legend(col.domain)),
        tooltip=tooltip)
    front = alt.Chart(m.frontier[["group", "score", "blended", "name"]]).mark_line(
        interpolate="step-after", strokeWidth=2).encode(
        x=alt.X("blended:Q", scale=scale), y="score:Q", color=alt.Color("group:N", scale=col, legend=None),
        order="blended:Q")
    rule = alt.Chart().mark_rule(strokeDash=[4, 4], color=theme.NEUTRAL).encode(y=alt.datum(s.threshold))
    picked = base.transform_filter("datum.pick").mark_point(size=170, strokeWidth=2.5, filled=False).encode(
        x=x, y=y, color=alt.Color("group:N", scale=col, legend=None), tooltip=tooltip)
    if not len(mine):
        return alt.layer(pts, front, rule, picked).properties(width="container", height=380)
    # the reader's models: one legend (colour and shape on the same field) with a purple diamond for "Yours"
    shape = alt.Shape("group:N", title=None, legend=alt_legend(col.domain),
                      scale=alt.Scale(domain=list(col.domain), range=["circle", "circle", "diamond"]))
    pts = base.mark_point(size=45, opacity=0.5, filled=True).encode(
        x=x, y=y, color=alt.Color("group:N", title=None, scale=col, legend=alt_legend(col.domain)), shape=shape,
        tooltip=tooltip)
    yours = alt.Chart(mine).mark_point(size=160, opacity=1, filled=True, stroke="white", strokeWidth=1).encode(
        x=x, y=y, color=alt.Color("group:N", title=None, scale=col, legend=alt_legend(col.domain)), shape=shape,
        tooltip=[alt.Tooltip("name:N", title="Your model"), alt.Tooltip("weights:N", title="Open or closed"),
                 alt.Tooltip("score:Q", title="AA index", format=".1f"),
                 alt.Tooltip("blended:Q", title="Blended $/M", format=",.3f"),
                 alt.Tooltip("price_in:Q", title="Input $/M", format=",.3f"),
                 alt.Tooltip("price_out:Q", title="Output $/M", format=",.3f")])
    return alt.layer(pts, front, rule, picked, yours).properties(width="container", height=380)


def chart_saving(m: Market) -> alt.LayerChart:
    c = m.curve.copy()
    c["saving_shown"] = c["saving_pct"].clip(lower=-100)
    y = alt.Y("saving_shown:Q", title="Open saves vs closed (%)", scale=alt.Scale(domain=[-100, 100]))
    x = alt.X("threshold:Q", title="Capability threshold (AA index ≥)")
    band = alt.Chart().mark_rect(color=theme.MUTED, opacity=0.2).encode(y=alt.datum(CLAIM_LOW), y2=alt.datum(CLAIM_HIGH))
    band_text = alt.Chart().mark_text(align="left", baseline="bottom", dx=4, dy=-2, fontSize=11, color=theme.RULE,
                                      text="claimed 70–90% saving").encode(x=alt.value(0), y=alt.datum(CLAIM_HIGH))
    tip = [alt.Tooltip("threshold:Q", title="AA index ≥"), alt.Tooltip("saving_pct:Q", title="Saving %", format=".0f"),
           alt.Tooltip("open_model:N", title="Cheapest open"),
           alt.Tooltip("open_price:Q", title="Open $/M", format=",.3f"),
           alt.Tooltip("closed_model:N", title="Cheapest closed"),
           alt.Tooltip("closed_price:Q", title="Closed $/M", format=",.3f")]
    line = alt.Chart(c).mark_line(interpolate="step-after", color=theme.OPEN, strokeWidth=2.5,
                                  point=alt.OverlayMarkDef(size=14, color=theme.OPEN)).encode(x=x, y=y, tooltip=tip)
    zero = alt.Chart().mark_rule(color=theme.TEXT, strokeWidth=0.8).encode(y=alt.datum(0))
    you = alt.Chart().mark_rule(strokeDash=[4, 4], color=theme.NEUTRAL).encode(x=alt.datum(m.settings.threshold))
    return alt.layer(band, band_text, zero, line, you).properties(width="container", height=300)


def chart_history(h: History) -> alt.LayerChart:
    d = h.history.copy()
    col = theme.openness_scale()
    x = alt.X("date:T", title="Date")
    y = alt.Y("price:Q", title="Cheapest blended price ($/M tokens, log scale)", scale=alt.Scale(type="log"))
    line = alt.Chart(d).mark_line(interpolate="step-after", strokeWidth=2).encode(
        x=x, y=y, color=alt.Color("group:N", title=None, scale=col, legend=alt_legend(col.domain)),
        tooltip=[alt.Tooltip("date:T", title="From"), alt.Tooltip("group:N", title="Weights"),
                 alt.Tooltip("model:N", title="Cheapest model"),
                 alt.Tooltip("price:Q", title="Blended $/M", format=",.3f")])
    layers = [line]
    if len(h.cuts):
        cuts = h.cuts[["date", "group", "price", "model", "drop", "prev"]].copy()
        cuts["text"] = "−" + (cuts["drop"] * 100).round().astype(int).astype(str) + "% " + cuts["model"]
        cuts["dy"] = np.where(np.arange(len(cuts)) % 2 == 0, -10, 16)
        layers.append(alt.Chart(cuts).mark_point(shape="triangle-down", size=90, filled=True, opacity=1).encode(
            x="date:T", y="price:Q", color=alt.Color("group:N", scale=col, legend=None),
            tooltip=[alt.Tooltip("date:T", title="Price cut on"), alt.Tooltip("model:N", title="Now cheapest"),
                     alt.Tooltip("prev:Q", title="Before $/M", format=",.3f"),
                     alt.Tooltip("price:Q", title="After $/M", format=",.3f")]))
        for dy in (-10, 16):
            part = cuts[cuts["dy"] == dy]
            if len(part):
                layers.append(alt.Chart(part).mark_text(align="left", dx=7, dy=dy, fontSize=11,
                                                        opacity=alt.ExprRef(f"width < {NARROW_VIEW_PX} ? 0 : 1")).encode(
                    x="date:T", y="price:Q", text="text:N", color=alt.Color("group:N", scale=col, legend=None)))
    props = {}
    if len(h.events):
        ev = event_numbers(h.events[["date", "label", "description"]])
        tip = [{"field": "label", "type": "nominal", "title": "Event"},
               {"field": "description", "type": "nominal", "title": "What"}]
        layers += as_altair(event_layers(ev, tip))
        props["title"] = event_title(ev, "Events")
    return alt.layer(*layers).properties(width="container", height=320, **props)


def chart_volume(c: Calc) -> alt.LayerChart:
    vc = c.volume_curve
    calc = c.calc
    xs = alt.Scale(type="log", domain=[1e6, 1e11])
    x = alt.X("tokens:Q", title="Tokens per month (log scale)", scale=xs, axis=alt.Axis(format="~s", labelExpr=_SI_B))
    ys = alt.Scale(type="log")
    y = alt.Y("monthly_usd:Q", title="Monthly cost (USD, log scale)", scale=ys, axis=alt.Axis(format="$,.2~f"))
    color = alt.Color("option:N", title=None, scale=alt.Scale(domain=OPTION_DOMAIN, range=OPTION_RANGE),
                      legend=alt_legend(OPTION_DOMAIN))
    tip = [alt.Tooltip("option:N", title="Option"), alt.Tooltip("model:N", title="Model"),
           alt.Tooltip("tokens:Q", title="Tokens/month", format=",.3s"),
           alt.Tooltip("monthly_usd:Q", title="USD/month", format="$,.0f")]
    band = alt.Chart(vc[vc["option"] == "Self-host"]).mark_area(
        opacity=0.18, color=OPTION_RANGE[2], interpolate="step-after").encode(
        x=x, y=alt.Y("low:Q", scale=ys), y2="high:Q")
    lines = alt.Chart(vc).mark_line(strokeWidth=2.2).encode(x=x, y=y, color=color, tooltip=tip, detail="option:N")
    layers = [band, lines]
    if calc["tokens"] >= 1e6:
        layers.append(alt.Chart().mark_rule(strokeDash=[4, 4], color=theme.TEXT).encode(x=alt.datum(calc["tokens"])))
    marks = []
    for key, rate, label in (("break_even_hosted", calc["rate_hosted"], "break-even vs hosted open model"),
                             ("break_even_closed", calc["rate_closed"], "break-even vs closed API")):
        be = calc[key]
        if be is not None and be.tokens is not None and 1e6 <= be.tokens <= 1e11:
            marks.append({"tokens": be.tokens, "monthly_usd": be.tokens * rate / 1e6, "what": label})
    if marks:
        layers.append(alt.Chart(pd.DataFrame(marks)).mark_point(size=150, shape="diamond", filled=True,
                                                                color=theme.BLACK).encode(
            x="tokens:Q", y="monthly_usd:Q",
            tooltip=[alt.Tooltip("what:N", title=""), alt.Tooltip("tokens:Q", format=",.3s", title="Tokens/month"),
                     alt.Tooltip("monthly_usd:Q", format="$,.0f", title="USD/month")]))
    return alt.layer(*layers).properties(width="container", height=340)


TORNADO_TOP = 1e13


def chart_tornado(c: Calc) -> alt.LayerChart:
    t = c.tornado.copy()
    if t.empty:
        return alt.Chart(pd.DataFrame({"x": [1e6]})).mark_point(opacity=0).encode(x="x:Q")
    top = TORNADO_TOP
    base = min(float(t["be_base"].iloc[0]), top)
    t["lo_v"] = t["be_low"].clip(upper=top)
    t["hi_v"] = t["be_high"].clip(upper=top)
    t["width"] = np.abs(np.log10(t["lo_v"]) - np.log10(base)) + np.abs(np.log10(t["hi_v"]) - np.log10(base))
    t = t.sort_values("width", ascending=False, kind="mergesort")
    order = list(t["input"])
    ends = ["input at its low value", "input at its high value"]
    rows = []
    for _, row in t.iterrows():
        for end, label in zip(("low", "high"), ends):
            val = row["be_" + end]
            rows.append({"input": row["input"], "end": label, "x": base, "x2": min(val, top),
                         "setting": row[f"{end}_label"], "never": "never" if not np.isfinite(val) else "",
                         "break_even": "never" if not np.isfinite(val) else f"{fmt.tokens(val)} tokens/month"})
    d = pd.DataFrame(rows)
    finite = [v for v in list(d["x2"]) + [base] if 0 < v < top]
    lo = max(1e3, 10.0 ** (math.floor(math.log10(min(finite))) - 1)) if finite else 1e6
    dom = [lo, top]
    # Written as a Vega-Lite dict: it is rebuilt for every change of the calculator's inputs, and Altair's
    # object tree was half the cost of that (the spec is the one Altair wrote, compared in the tests' cards).
    datasets, empty = {"empty": [{}]}, {"name": "empty"}
    log_x = {"type": "log", "domain": dom, "clamp": True}
    y = {"field": "input", "type": "nominal", "sort": order, "title": None, "axis": None}   # names written above
    y_offset = {"field": "end", "type": "nominal", "sort": ends}
    bars = {"data": named_rows(d, datasets), "mark": {"type": "bar", "height": 13, "opacity": 0.85}, "encoding": {
        "y": y, "yOffset": y_offset, "x2": {"field": "x2"},
        "x": {"field": "x", "type": "quantitative", "scale": log_x, "axis": {"format": "~s", "labelExpr": _SI_B},
              "title": [f"Break-even vs {AGAINST[c.settings.against]}", "(tokens per month, log scale)"]},
        "color": {"field": "end", "type": "nominal", "title": None, "legend": legend(ends),
                  "scale": {"domain": ends, "range": [theme.SKY, theme.PINK]}},
        "tooltip": [{"field": f, "type": "nominal", "title": title} for f, title in (
            ("input", "Input"), ("end", "With the"), ("setting", "Set to"), ("break_even", "Break-even"))]}}
    never = {"data": named_rows(d[d["never"] != ""], datasets),
             "mark": {"type": "text", "align": "right", "dx": -4, "fontSize": 10, "color": theme.WHITE,
                      "fontWeight": "bold"},
             "encoding": {"y": y, "yOffset": y_offset, "x": {"field": "x2", "type": "quantitative", "scale": log_x},
                          "text": {"field": "never", "type": "nominal"}}}
    base_rule = {"data": empty, "mark": {"type": "rule", "color": theme.BLACK, "strokeWidth": 1.5},
                 "encoding": {"x": {"datum": base}}}
    limit = {"data": empty, "mark": {"type": "rule", "strokeDash": [2, 3], "color": theme.MUTED},
             "encoding": {"x": {"datum": 1e11}}}
    names = {"data": named_rows(pd.DataFrame({"input": order}), datasets),
             "mark": {"type": "text", "align": "left", "baseline": "bottom", "dy": -15, "fontSize": 11,
                      "color": theme.TEXT},
             "encoding": {"x": {"value": 2}, "y": y, "text": {"field": "input", "type": "nominal"}}}
    layers = [bars, never, base_rule, limit, names]
    if not np.isfinite(t[["be_low", "be_high", "be_base"]].to_numpy()).any():
        layers.append({"data": empty, "mark": {"type": "text", "fontSize": 13, "color": theme.TEXT_SOFT,
                                               "align": "center", "text": "No break-even: self-hosting never pays "
                                                                          "at any of these values"},
                       "encoding": {"x": {"datum": math.sqrt(dom[0] * dom[1])},
                                    "y": {"value": 20 * len(order) / 2 + 10}}})
    view = {"view": {"continuousHeight": 300, "continuousWidth": 300}}
    return spec_chart({"$schema": alt.SCHEMA_URL, "config": view, "layer": layers, "width": "container",
                       "height": 54 * len(order) + 20, "datasets": datasets})


def chart_mc(c: Calc) -> alt.LayerChart:
    d = c.mc_curve
    x = alt.X("tokens:Q", title="Tokens per month (log scale)", scale=alt.Scale(type="log", domain=[1e6, 1e11]),
              axis=alt.Axis(format="~s", labelExpr=_SI_B))
    y = alt.Y("probability:Q", title="Chance self-hosting is cheaper", scale=alt.Scale(domain=[0, 1]),
              axis=alt.Axis(format="%"))
    color = alt.Color("option:N", title="Self-hosting against", scale=alt.Scale(domain=OPTION_DOMAIN[:2],
                                                                                range=OPTION_RANGE[:2]),
                      legend=alt_legend(OPTION_DOMAIN[:2], "Self-hosting against"))
    line = alt.Chart(d).mark_line(strokeWidth=2.2, interpolate="step-after").encode(
        x=x, y=y, color=color,
        tooltip=[alt.Tooltip("option:N", title="Against"), alt.Tooltip("tokens:Q", title="Tokens/month", format=",.3s"),
                 alt.Tooltip("probability:Q", title="Chance cheaper", format=".0%")])
    layers = [line]
    tok = c.calc["tokens"]
    if tok >= 1e6:
        layers.append(alt.Chart().mark_rule(strokeDash=[4, 4], color=theme.TEXT).encode(x=alt.datum(tok)))
        p = c.mc.get(f"p_cheaper_{c.settings.against}", np.array([np.nan]))[0]
        if np.isfinite(p):
            layers.append(alt.Chart(pd.DataFrame({"tokens": [tok], "probability": [p],
                                                  "option": [c.against_option]})).mark_point(
                size=120, filled=True, color=theme.BLACK).encode(
                x="tokens:Q", y="probability:Q",
                tooltip=[alt.Tooltip("option:N", title="Against"),
                         alt.Tooltip("probability:Q", title="At your volume", format=".0%")]))
    return alt.layer(*layers).properties(width="container", height=260)


def two_currency_frame(m: Market) -> pd.DataFrame:
    """Long form for the two-currency chart: one row per (model, currency) with the deciding models marked."""
    tc = m.two
    if tc is None or tc.models.empty:
        return pd.DataFrame(columns=["name", "group", "score", "currency", "usd", "tokens_m", "decides"])
    d = tc.models
    parts = []
    for col, r in ((robust.PER_TOKEN, tc.per_token), (robust.PER_RUN, tc.per_run)):
        x = d[np.isfinite(d[col]) & (d[col] > 0)]
        parts.append(pd.DataFrame({
            "name": x["name"], "group": x["open"].map(theme.openness_label), "score": x["score"],
            "currency": robust.CURRENCIES[col], "usd": x[col], "tokens_m": x["tokens_m"],
            "decides": x["name"].isin([r.open_model, r.closed_model])}))
    return pd.concat(parts, ignore_index=True)


CURRENCY_ORDER = ["price per million tokens", "cost of one Intelligence Index run"]


def chart_two_currencies(m: Market):
    """Each model at or above the threshold, priced per million tokens and per index run, one panel above the
    other (each as wide as the screen, so it fits a phone). Written as a Vega-Lite dict (the spec Altair wrote,
    compared card by card): it changes with the threshold and the ratio, and Altair's object tree was most of it."""
    data = two_currency_frame(m)
    datasets: dict = {}
    panels = [_currency_panel(data[data["currency"] == cur], cur, datasets, first=i == 0)
              for i, cur in enumerate(CURRENCY_ORDER)]
    return spec_chart({"$schema": alt.SCHEMA_URL, "config": {"view": {"continuousWidth": 300, "continuousHeight": 300}},
                       "vconcat": panels, "resolve": {"scale": {"x": "independent"}}, "datasets": datasets})


def _currency_panel(data: pd.DataFrame, currency: str, datasets: dict, first: bool) -> dict:
    """One currency: a row per model, its name written above its dot (no y-axis labels, so the panel is as wide
    as its container inside the vconcat)."""
    order = list(data.sort_values("score", ascending=False, kind="mergesort")["name"])
    y = {"field": "name", "type": "nominal", "title": None, "sort": order, "axis": None}
    domain, colours = list(theme.OPENNESS_DOMAIN), list(theme.OPENNESS_RANGE)
    encoding = {
        "x": {"field": "usd", "type": "quantitative", "title": "USD (log scale)", "scale": {"type": "log"}}, "y": y,
        "color": {"field": "group", "type": "nominal", "title": None, "scale": {"domain": domain, "range": colours},
                  "legend": legend(domain, fixed=True) if first else None},
        "tooltip": [{"field": f, "type": t, "title": title, **({"format": fm} if fm else {})}
                    for f, t, title, fm in (("name", "nominal", "Model", ""), ("group", "nominal", "Weights", ""),
                                            ("score", "quantitative", "AA index", ".0f"),
                                            ("currency", "nominal", "Currency", ""),
                                            ("usd", "quantitative", "USD", ",.3f"),
                                            ("tokens_m", "quantitative", "Million tokens per index run", ",.0f"))]}
    pts = {"mark": {"type": "circle", "size": 70}, "encoding": encoding}
    ring = {"mark": {"type": "point", "size": 220, "strokeWidth": 2.5, "filled": False}, "encoding": encoding,
            "transform": [{"filter": "datum.decides"}]}
    names = {"mark": {"type": "text", "align": "left", "baseline": "bottom", "dy": -7, "fontSize": 11,
                      "color": theme.TEXT},
             "encoding": {"x": {"value": 2}, "y": y, "text": {"field": "name", "type": "nominal"}}}
    return {"layer": [pts, ring, names], "data": named_rows(data, datasets), "width": "container",
            "height": {"step": 30}, "title": {"text": currency.capitalize(), "anchor": "start", "fontSize": 12}}
