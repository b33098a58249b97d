"""Chart primitives shared by every section: the legend, event markers and the "no data" message.

Every legend goes below the plot in a grid whose rows fit a phone (390 px screen, about 300 px for the legend);
on a wide chart all entries share one row when they fit. Labels are never cut: `labelLimit` leaves room for the
longest label a phone row can hold, and a unit test keeps every label under it.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import altair as alt
from altair.vegalite.data import default_data_transformer
import numpy as np
import pandas as pd

from openclosed import theme


# ---- chart rows to JSON ------------------------------------------------------------------------------------------
# Altair turns a DataFrame into Vega-Lite rows by sanitizing it cell by cell in Python; building a card on a cache
# miss spent a fifth of its time there (cProfile of the Risk page's cards). Converting whole columns with numpy
# gives the same rows about four times faster: datetimes as 'YYYY-MM-DDTHH:MM:SS' ('' when missing), NaN and
# infinity as None, categories and nullable types as plain values. Anything unusual goes Altair's way
# (tests/unit/test_chart_rows.py and the card contract test compare the two, the latter on every card).
MAX_ROWS = 5000                         # Altair's default limit, kept


def rows_as_values(data):
    """An Altair data transformer: {'values': rows} for a plain DataFrame, else Altair's default handling."""
    if not isinstance(data, pd.DataFrame) or len(data) > MAX_ROWS or not _plain(data):
        return default_data_transformer(data)
    columns = [_column_values(data[c]) for c in data.columns]
    names = list(data.columns)
    return {"values": [dict(zip(names, row)) for row in zip(*columns)]}


def _column_values(col: pd.Series) -> list:
    kind = col.dtype.kind if isinstance(col.dtype, np.dtype) else ""
    if kind == "M":
        return col.dt.strftime("%Y-%m-%dT%H:%M:%S").fillna("").tolist()
    if kind == "f":
        values = col.to_numpy().astype(object)
        values[~np.isfinite(col.to_numpy())] = None
        return values.tolist()
    if kind and kind in "iub":
        return col.tolist()
    missing = col.isna().to_numpy()
    if pd.api.types.is_float_dtype(col.dtype):          # nullable Float64: infinity counts as missing
        missing = missing | ~np.isfinite(col.to_numpy(dtype=float, na_value=np.nan))
    values = col.to_numpy(dtype=object, copy=True)
    values[missing] = None
    return values.tolist()


def _plain(frame: pd.DataFrame) -> bool:
    """String column names, unique, and no timezone-aware, timedelta or period columns."""
    names = list(frame.columns)
    if not all(isinstance(c, str) for c in names) or len(set(names)) != len(names):
        return False
    return not any(isinstance(t, (pd.DatetimeTZDtype, pd.PeriodDtype)) or pd.api.types.is_timedelta64_dtype(t)
                   for t in frame.dtypes)


def named_rows(frame: pd.DataFrame, datasets: dict) -> dict:
    """A layer's data for a spec written as a dict: the rows go to `datasets` under the name Altair gives them (a
    hash of the rows), so the spec equals the one Altair would write for the same chart."""
    return named_values(rows_as_values(frame)["values"], datasets)


def named_values(values: list[dict], datasets: dict) -> dict:
    """`named_rows` for rows already JSON-ready (such as an ``event_layers`` layer's values)."""
    from altair.vegalite.v6.api import _dataset_name
    name = _dataset_name(values)
    datasets[name] = values
    return {"name": name}


# ---- charts whose spec is fixed ---------------------------------------------------------------------------------
VL_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


class _Frozen:
    """A chart whose Vega-Lite spec is fixed: ``to_dict`` returns that spec (plus a description set later),
    so rendering a cached card again costs nothing. Built by ``freeze`` (from an Altair chart) or
    ``spec_chart`` (from a spec written as a dict); the classes below keep it picklable."""

    def copy(self, *args, **kwargs):
        new = super().copy(*args, **kwargs)
        object.__setattr__(new, "__class__", type(self))
        new.__dict__["_frozen_spec"] = self.__dict__["_frozen_spec"]
        return new

    def to_dict(self, *args, **kwargs):
        spec = dict(self.__dict__["_frozen_spec"])
        if "datasets" in spec:
            spec["datasets"] = dict(spec["datasets"])
        # properties set on the frozen chart afterwards (the card's description, presenter mode's height)
        single = "layer" in spec or "mark" in spec
        for key in ("description", "height", "width"):
            val = self._kwds.get(key, alt.Undefined)
            if val is alt.Undefined or (key != "description" and not single):
                continue
            spec[key] = val.to_dict() if hasattr(val, "to_dict") else val
        return spec


class FrozenChart(_Frozen, alt.Chart):
    pass


class FrozenLayerChart(_Frozen, alt.LayerChart):
    pass


class FrozenVConcatChart(_Frozen, alt.VConcatChart):
    pass


def spec_chart(spec: dict) -> FrozenChart:
    """Wrap a Vega-Lite spec written as a dict (the charts that change with the controls are built this way:
    no Altair object tree to build, copy and serialise, so a control change stays fast)."""
    chart = alt.Chart()
    object.__setattr__(chart, "__class__", FrozenChart)
    chart.__dict__["_frozen_spec"] = {"$schema": VL_SCHEMA, **spec}
    return chart


alt.data_transformers.register("openclosed", rows_as_values)
alt.data_transformers.enable("openclosed")
# Altair validates each mark and channel object against the Vega-Lite schema as it is built (its "debug mode"):
# 4.5% of the server's time under load. The tests validate every card's whole spec instead.
alt.utils.schemapi.disable_debug_mode()

CHAR_PX = 6.5            # width of one legend label character at Vega's 10-11 px font (measured: "Published" 59 px)
ENTRY_PX = 24            # symbol, its offset and the column padding around one entry
# A bottom legend starts at the plot's left edge, so on a 390 px screen (a chart box of about 326 px) it has the
# plot's width: about 210 px beside a y axis with labels, 260 px when the axis is hidden.
PHONE_LEGEND_PX = 210
LABEL_MAX_PX = 260 - ENTRY_PX    # the longest label any legend may carry (a unit test checks every card)
WIDE_LEGEND_PX = 900     # room on a 1280 px screen
NARROW_VIEW_PX = 480     # plot widths below this get the phone layout
LABEL_LIMIT = 400        # Vega's cut-off with an ellipsis: never reached by a label under LABEL_MAX_PX


# Vega config: several legends under one chart stack one above the other (Vega puts them side by side by default,
# which runs off a phone's screen). The chart card adds it to every chart's config.
LEGEND_LAYOUT = {"bottom": {"direction": "vertical", "anchor": "start", "margin": 6}}


# Streamlit's default autosize 'fit' squeezes legends, axis titles and event keys into the chart's height, which
# flattens the plot on a phone; fit-x keeps the plot's height and fills the width.
FIT_X = {"type": "fit-x", "contains": "padding"}


def with_legend_layout(config: dict) -> dict:
    """A chart's Vega-Lite config with LEGEND_LAYOUT added (the chart's own legend config wins)."""
    return {**config, "legend": {"layout": LEGEND_LAYOUT, **config.get("legend", {})}}


# Vega labels a month tick with the month's name alone ("March") and only a January tick with its year, so a
# multi-year chart whose ticks skipped January (most of them, at phone or slide width) showed no year at all.
# A label that is a bare word gets the year: "Mar 2024". Day ticks ("Mar 05") and years already carry digits.
MONTH_WITH_YEAR = "test(regexp('^[A-Za-z]+$'), datum.label) ? timeFormat(datum.value, '%b %Y') : datum.label"


def with_dated_months(spec: dict) -> dict:
    """A spec whose time axes name the year on every month tick (a chart's own temporal axis config wins)."""
    config = spec.get("config", {})
    return {**spec, "config": {**config, "axisTemporal": {"labelExpr": MONTH_WITH_YEAR,
                                                          **config.get("axisTemporal", {})}}}


def screen_spec(spec: dict) -> dict:
    """A card's spec as drawn on screen: stacked legends, the x axis's tick labels kept inside the plot (flush
    at the ends, others that would stick out of a narrow chart's box hidden), and a single or layered view
    sized fit-x."""
    config = with_legend_layout(spec.get("config", {}))
    for axis in ("axisXQuantitative", "axisXTemporal"):     # band axes keep every label (one per bar)
        config[axis] = {"labelFlush": True, "labelBound": True, **config.get(axis, {})}
    out = {**spec, "config": config}
    if ("layer" in spec or "mark" in spec) and "autosize" not in spec:
        out["autosize"] = FIT_X
    return out


def label_px(label) -> float:
    """Estimated width of a legend label in px."""
    return len(str(label)) * CHAR_PX


def legend_columns(labels: Iterable, room: float) -> int:
    """How many columns of entries fit in `room` px (at least 1): Vega sizes each column to its widest entry,
    entry i going to column i % columns."""
    widths = [label_px(x) + ENTRY_PX for x in labels]
    best = 1
    for cols in range(2, len(widths) + 1):
        if sum(max(widths[c::cols]) for c in range(cols)) <= room:
            best = cols
    return best


def legend(labels: Iterable, title: str | None = None, *, fixed: bool = False, **extra) -> dict:
    """The legend every chart uses, as a Vega-Lite legend dict (``alt.Legend(**legend(...))`` in Altair).

    Below the plot, in as many columns as fit a phone (2 for short labels, 1 for long ones); on a chart wider
    than NARROW_VIEW_PX all entries go in one row when they fit. ``fixed``: the phone layout at every width, for
    concatenated or faceted charts (they have no ``width`` signal to test)."""
    labels = [str(x) for x in labels]
    narrow = min(2, legend_columns(labels, PHONE_LEGEND_PX))
    wide = legend_columns(labels, WIDE_LEGEND_PX)
    columns = narrow if fixed or wide == narrow else {"expr": f"width < {NARROW_VIEW_PX} ? {narrow} : {wide}"}
    out = {"orient": "bottom", "direction": "horizontal", "columns": columns, "labelLimit": LABEL_LIMIT,
           "titleLimit": LABEL_LIMIT, "titleOrient": "top"}
    if title is not None:
        out["title"] = title
    return {**out, **extra}


def alt_legend(labels: Iterable, title: str | None = None, **kw) -> alt.Legend:
    """``legend`` as an Altair object."""
    return alt.Legend(**legend(labels, title, **kw))


def message_spec(message: str) -> dict:
    """A chart-sized box with one line of text, for a filter that leaves nothing to draw."""
    return {"width": "container", "height": 120, "data": {"values": [{"msg": message}]},
            "mark": {"type": "text", "size": 14, "color": theme.NEUTRAL},
            "encoding": {"text": {"field": "msg", "type": "nominal"}}}


def empty_chart(message: str) -> alt.Chart:
    """``message_spec`` as an Altair chart."""
    return alt.Chart(pd.DataFrame({"msg": [message]})).mark_text(size=14, color=theme.NEUTRAL).encode(
        text="msg:N").properties(width="container", height=120)


def event_numbers(ev: pd.DataFrame, date: str = "date", min_gap_days: float = 45) -> pd.DataFrame:
    """Events in date order with a marker number (``no``: 1, 2, ...) and a stagger row (``lane``: 0 or 1) so
    that two markers closer than ``min_gap_days`` sit on different rows."""
    d = ev.sort_values(date, kind="mergesort").reset_index(drop=True).copy()
    d["no"] = range(1, len(d) + 1)
    lanes, last = [], {}
    for t in pd.to_datetime(d[date]):
        lane = next((k for k in (0, 1, 2) if k not in last or (t - last[k]).days >= min_gap_days), 0)
        last[lane] = t
        lanes.append(lane)
    d["lane"] = lanes
    return d


def event_layers(ev: pd.DataFrame, tooltip: list[dict], date: str = "date", color: str = theme.RULE) -> list[dict]:
    """Event markers as Vega-Lite layer dicts: a dashed rule per event and its number in a small circle at the
    top of the plot, staggered so close events do not overlap (``ev`` from ``event_numbers``; the chart's
    caption or table says what each number is, the tooltip names it)."""
    data = {"values": [{**{k: (v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else v)
                           for k, v in r.items()}, "y": 9 + 16 * r["lane"]}
                       for r in ev.to_dict("records")]}
    x = {"field": date, "type": "temporal"}
    y = {"field": "y", "type": "quantitative", "scale": None}
    return [
        {"data": data, "mark": {"type": "rule", "strokeDash": [3, 3], "color": color, "opacity": 0.6},
         "encoding": {"x": x, "tooltip": tooltip}},
        {"data": data, "mark": {"type": "circle", "size": 200, "color": theme.WHITE, "stroke": color,
                                "strokeWidth": 1, "opacity": 1},
         "encoding": {"x": x, "y": y, "tooltip": tooltip}},
        {"data": data, "mark": {"type": "text", "fontSize": 10, "fontWeight": "bold", "color": theme.INK,
                                "baseline": "middle"},
         "encoding": {"x": x, "y": y, "text": {"field": "no", "type": "quantitative"}, "tooltip": tooltip}},
    ]


def ceil_to(x: float, step: float) -> float:
    """x rounded up to a multiple of step (axis domains that keep every mark inside)."""
    return math.ceil(x / step) * step


def event_title(ev: pd.DataFrame, heading: str, label: str = "label") -> dict:
    """A title under the plot that says what each numbered event marker is, one event per line."""
    return {"text": heading, "subtitle": [f"{r['no']}  {r[label]}" for r in ev.to_dict("records")],
            "orient": "bottom", "anchor": "start", "fontSize": 11, "fontWeight": "normal", "color": theme.TEXT,
            "subtitleFontSize": 11, "subtitleColor": theme.TEXT, "offset": 8}


def as_altair(layers: list[dict]) -> list[alt.Chart]:
    """Layer dicts (``event_layers``) as Altair charts, to layer with charts built in Altair. The dicts stay dicts
    inside the chart (the encoding is wrapped so `alt.layer` can read its channels): `alt.Chart.from_dict` matched
    every nested dict against Altair's schema classes, about 12 ms per layer. Not validated here either
    (tests/unit/test_card_contract.py validates every spec)."""
    charts = []
    for layer in layers:
        layer = dict(layer)
        encoding = layer.pop("encoding", None)
        chart = alt.Chart(**layer)
        if encoding is not None:
            chart.encoding = alt.FacetedEncoding(**encoding)
        charts.append(chart)
    return charts
