"""A chart card as plain data: headline, chart, the rows it draws, sources. The UI, presenter mode
and the slide deck all render this same object."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable

import altair as alt
import pandas as pd

from openclosed import charts as _charts  # also registers how chart rows become JSON
from openclosed.sources import SOURCES


@dataclasses.dataclass
class ChartCard:
    key: str                      # stable id, used for widget keys and file names
    title: str                    # the takeaway headline, a full sentence
    subtitle: str                 # what is plotted, units, snapshot
    chart: alt.TopLevelMixin
    data: pd.DataFrame            # exactly the rows the chart draws (for CSV download)
    sources: list[str]            # keys of openclosed.sources.SOURCES
    alt: str                      # alt text describing the chart for screen readers
    method: str = ""              # markdown: how it is computed, caveats
    page: str = ""                # section the card belongs to
    settings: str = ""            # the settings in force, as text (for slides)
    # a 16:9 layout for slides when the page's does not suit one; or a function building it (a picklable
    # functools.partial), called when a slide first needs it: most cards built for a page never are
    slide_chart: alt.TopLevelMixin | Callable[[], alt.TopLevelMixin] | None = None

    chart_dict: dict = dataclasses.field(init=False, repr=False, compare=False)   # the chart's own spec
    spec: dict = dataclasses.field(init=False, repr=False, compare=False)         # with the alt text as description

    def __post_init__(self):
        unknown = [s for s in self.sources if s not in SOURCES]
        if unknown:
            raise ValueError(f"card '{self.key}' cites unknown sources {unknown}")
        # The Vega-Lite spec, converted once; cached cards then render without Altair's conversion. Schema
        # validation is left to the tests (tests/unit/test_card_contract.py validates every card's spec): at run
        # time it was half the cost of building a card.
        self.chart_dict = self.chart.to_dict(validate=False)
        self.spec = _charts.with_dated_months({**self.chart_dict, "description": self.alt})

    @property
    def slide_spec(self) -> dict:
        """The spec for slides: the slide layout's when the card has one (converted on first use: most cards
        built for a page are never shown as a slide), else the page's."""
        if self.slide_chart is None:
            return self.spec
        spec = self.__dict__.get("_slide_spec")
        if spec is None:
            spec = self.__dict__["_slide_spec"] = _charts.with_dated_months(
                {**self._slide_chart().to_dict(validate=False), "description": self.alt})
        return spec

    def _slide_chart(self) -> alt.TopLevelMixin:
        chart = self.slide_chart
        return chart if isinstance(chart, alt.TopLevelMixin) else chart()


def by_key(cards) -> dict[str, ChartCard]:
    """Cards keyed by ``card.key``, in the given (page) order, from a list or a dict of cards; a repeated key is
    an error, not an overwrite."""
    if isinstance(cards, dict):
        cards = cards.values()
    out: dict[str, ChartCard] = {}
    for card in cards:
        if card.key in out:
            raise ValueError(f"two cards share the key '{card.key}'")
        out[card.key] = card
    return out


def data_ends(sources: list[str]) -> str:
    """The newest date a card's sources reach (its "as of")."""
    return max((SOURCES[k]["data_ends"] for k in sources), default="")


def source_line(sources: list[str]) -> str:
    """'Source: A (license, data to date); B (...)' for the given source keys: each source's date is the newest
    its rows reach (data/source_dates.csv), so a card says how old its data is, not when the report was built."""
    parts = []
    for key in sources:
        s = SOURCES[key]
        parts.append(f"{s['citation']} ({s['license']}; data to {s['data_ends']})")
    return "Source: " + "; ".join(parts)
