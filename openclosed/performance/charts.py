"""Performance chart primitives: freezing a card's spec (the frozen chart classes live in openclosed.charts),
encodings, the dot-and-interval panel."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from openclosed import theme
from openclosed.charts import FrozenChart, FrozenLayerChart, FrozenVConcatChart, legend
from openclosed.cards import ChartCard
from openclosed.performance.model import Metric, YOURS_LABEL


# ----------------------------------------------------------------------------------------------
# Chart cards
# ----------------------------------------------------------------------------------------------


_FROZEN = {alt.Chart: FrozenChart, alt.LayerChart: FrozenLayerChart, alt.VConcatChart: FrozenVConcatChart}


def json_records(df: pd.DataFrame) -> list[dict]:
    """JSON-ready rows: dates as ISO strings, NaN as null."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d")
    out = out.astype(object).where(pd.notna(out), None)
    return out.to_dict("records")


def field_spec(field: str, typ: str, **kw) -> dict:
    return {"field": field, "type": {"Q": "quantitative", "T": "temporal", "N": "nominal",
                                     "O": "ordinal"}[typ], **kw}


def openness_color(title: str = "Weights", yours: bool = False) -> dict:
    """Colour by side (open / closed), plus the reader's own models ("Yours") when ``yours``."""
    domain, rng = list(theme.OPENNESS_DOMAIN), list(theme.OPENNESS_RANGE)
    if yours:
        domain.append(YOURS_LABEL)
        rng.append(theme.YOURS)
    return field_spec("side", "N", title=title, legend=legend(domain), scale={"domain": domain, "range": rng})


def yours_shape(title: str = "Weights") -> dict:
    """Shape by side when the reader's models are drawn: circles for open and closed, a diamond for "Yours".
    Same field and title as the colour, so Vega-Lite merges the two into one legend with a purple diamond."""
    domain = list(theme.OPENNESS_DOMAIN) + [YOURS_LABEL]
    return field_spec("side", "N", title=title, legend=legend(domain), scale={"domain": domain,
                                                                      "range": ["circle", "circle", "diamond"]})


def freeze(card: ChartCard) -> ChartCard:
    """Pin the card's chart spec (converted once, without schema validation, by ChartCard) to the chart, so a
    later ``chart.to_dict()`` returns it; the unit tests validate every card's chart for several settings."""
    chart = card.chart
    cls = _FROZEN.get(type(chart))
    if cls is None:
        return card
    frozen = chart.copy(deep=False)
    object.__setattr__(frozen, "__class__", cls)   # SchemaBase.__setattr__ would store it as a property
    frozen.__dict__["_frozen_spec"] = card.chart_dict
    card.chart = frozen
    return card


WRAP_CHARS = 44   # a row label longer than this would run past a phone's screen (11 px text, about 6 px a letter)


def dot_panel(d: pd.DataFrame, x_title: str, color: alt.Color, shape: alt.Shape | None = None,
               title: str | None = None, row_px: int = 36) -> alt.LayerChart:
    """Dot-and-interval rows with each row's label written above it (no y-axis labels), so the panel fills
    the container's width even inside a vconcat, on a phone as on a laptop. ``d`` needs label, text,
    value, low, high and the colour/shape fields."""
    order = list(dict.fromkeys(d["label"]))
    y = alt.Y("label:N", sort=order, axis=None, title=None)
    if d["text"].str.len().max() > WRAP_CHARS:     # too long for a phone's width: value on a second line
        d = d.assign(text=d["text"].str.replace(": ", ":\n", n=1, regex=False))
        row_px = max(row_px, 52)
    base = alt.Chart(d)
    tip = [alt.Tooltip("label:N", title="Estimate"), alt.Tooltip("value:Q", format=".1f"),
           alt.Tooltip("low:Q", format=".1f", title="Low"), alt.Tooltip("high:Q", format=".1f", title="High")]
    if "note" in d:
        tip.append(alt.Tooltip("note:N", title="Interval"))
    if "source" in d:
        tip.append(alt.Tooltip("source:N", title="Source"))
    lo = float(np.nanmin(np.r_[d["value"].to_numpy(float), d["low"].to_numpy(float), 0.0]))
    hi = float(np.nanmax(np.r_[d["value"].to_numpy(float), d["high"].to_numpy(float)]))
    xscale = alt.Scale(domain=[min(0.0, lo), hi * 1.05 if hi > 0 else 1.0])
    x = alt.X("value:Q", title=x_title, scale=xscale, axis=alt.Axis(labelFlush=True))   # end ticks stay inside
    rules = base.mark_rule(strokeWidth=2.5).encode(x=alt.X("low:Q", scale=xscale), x2="high:Q", y=y,
                                                   color=color)
    enc = {"x": x, "y": y, "color": color, "tooltip": tip}
    if shape is not None:
        enc["shape"] = shape
    dots = base.mark_point(filled=True, size=110, opacity=1).encode(**enc)
    text = base.mark_text(align="left", baseline="bottom", dy=-8, fontSize=11, color=theme.TEXT,
                          lineBreak="\n").encode(
        x=alt.value(2), y=y, text="text:N")
    chart = alt.layer(rules, dots, text).properties(width="container", height=row_px * len(order))
    return chart.properties(title=title) if title else chart


def yours_diamonds(mine: pd.DataFrame, x: dict, y: dict, color: dict, m: Metric) -> dict:
    """The reader's models: filled diamonds in the "Yours" colour, drawn last so they sit on top."""
    return {"data": {"values": json_records(mine)},
            "mark": {"type": "point", "filled": True, "size": 160, "opacity": 1, "stroke": "white",
                     "strokeWidth": 1},
            "encoding": {"x": x, "y": y, "color": color, "shape": yours_shape(),
                         "tooltip": [field_spec("model", "N", title="Your model"), field_spec("value", "Q", title=m.unit,
                                                                               format=f".{m.decimals}f"),
                                     field_spec("date", "T", title="Released"),
                                     field_spec("weights", "N", title="Open or closed")]}}
