"""Every month tick on a time axis names its year (openclosed.charts.with_dated_months), drawn by Vega itself."""
from __future__ import annotations

import re

import pandas as pd
import pytest
import vl_convert as vlc

from openclosed.charts import with_dated_months


def _tick_labels(start: str, end: str, width: int, fmt: str | None = None) -> list[str]:
    dates = pd.date_range(start, end, freq="MS")
    axis = {"title": None, **({"format": fmt} if fmt else {})}
    spec = with_dated_months({
        "width": width, "height": 80, "mark": "line",
        "data": {"values": [{"date": d.strftime("%Y-%m-%d"), "v": i} for i, d in enumerate(dates)]},
        "encoding": {"x": {"field": "date", "type": "temporal", "axis": axis},
                     "y": {"field": "v", "type": "quantitative", "axis": None}}})
    svg = vlc.vegalite_to_svg(spec)
    return re.findall(r"<text[^>]*>([^<]+)</text>", svg)


@pytest.mark.parametrize("start,end,width", [("2023-01-01", "2026-03-01", 330), ("2023-01-01", "2026-03-01", 1400),
                                             ("2024-02-01", "2024-11-01", 600)])
def test_month_ticks_carry_their_year(start, end, width):
    labels = _tick_labels(start, end, width)
    assert labels, "no tick labels drawn"
    assert all(re.search(r"\b(19|20)\d\d\b", label) for label in labels), labels


def test_a_charts_own_format_is_kept():
    labels = _tick_labels("2024-01-01", "2024-12-01", 600, fmt="%b %Y")
    assert labels and all(re.fullmatch(r"[A-Z][a-z]{2} 2024", label) for label in labels), labels
