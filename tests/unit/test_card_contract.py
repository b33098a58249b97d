"""Every section honours the contract in openclosed/report.py: registry, page file, Settings and cards by key.

One parametrised test over the registry, so a new section is checked the moment it is registered."""
from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import altair as alt
import pytest

from openclosed import report
from openclosed.cards import ChartCard
from openclosed.sources import SOURCES
from openclosed.tables import TABLES
from tests import vega_lite

ROOT = Path(__file__).resolve().parents[2]
WITH_CARDS = report.with_cards()


def test_registry_is_unique_and_has_one_default():
    for field in ("key", "title", "url_path"):
        values = [getattr(s, field) for s in report.SECTIONS]
        assert len(values) == len(set(values)), f"duplicate section {field}"
    assert [s.key for s in report.SECTIONS if s.default] == ["overview"]
    assert report.SECTIONS[-1].key == "data"


def test_every_page_file_is_registered():
    assert {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")} == {s.page for s in report.SECTIONS}


@pytest.mark.parametrize("section", report.SECTIONS, ids=lambda s: s.key)
def test_section_page_and_tables(section):
    page = ROOT / section.page
    assert page.exists(), f"{section.page} is missing"
    assert set(section.tables) <= set(TABLES), f"unknown tables {set(section.tables) - set(TABLES)}"
    # The guard that keeps a fresh server's first deep link inside the app (ui/shell.py) runs before any output.
    calls = [n for n in ast.parse(page.read_text()).body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)]
    assert calls and ast.unparse(calls[0].value) == "shell.enter()", f"{section.page}: first call must be shell.enter()"


@pytest.fixture(scope="module")
def data(real_tables):
    return real_tables


def _other_settings(settings):
    """The same settings with one field moved off its default (the first that accepts a change), cleaned."""
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        changed = (not value) if isinstance(value, bool) else None
        if changed is not None:
            other = dataclasses.replace(settings, **{f.name: changed})
            return other.clean() if hasattr(other, "clean") else other
    return settings


def _altair_default_dict(chart) -> dict:
    """The chart's spec with Altair's own DataFrame conversion (openclosed.charts.rows_as_values replaces it)."""
    with alt.data_transformers.enable("default"):
        return chart.to_dict(validate=False)


@pytest.mark.parametrize("section", WITH_CARDS, ids=lambda s: s.key)
def test_cards_honour_the_contract(section, data, default_cards):
    settings = report.module(section).Settings()
    cards = default_cards[section.key]                  # report.section_cards(section, data) at these settings
    assert cards, f"{section.key}: no cards"
    for key, card in cards.items():
        assert isinstance(card, ChartCard) and card.key == key
        assert key.strip() and card.title.strip() and card.subtitle.strip() and card.alt.strip(), key
        assert card.sources and set(card.sources) <= set(SOURCES), key
        assert len(card.data) > 0, f"{key}: no rows behind the chart"
        vega_lite.assert_valid(card.spec)          # the spec presenter mode and the deck draw
        assert card.page == section.title
        assert card.chart_dict == _altair_default_dict(card.chart), f"{key}: rows differ from Altair's own"
    # keys are stable: other settings draw the same charts under the same keys
    again = report.section_cards(section, data, _other_settings(settings))
    assert list(again) == list(cards)


@pytest.mark.parametrize("section", WITH_CARDS, ids=lambda s: s.key)
def test_settings_clean_and_label(section):
    settings = report.default_settings(section)
    missing = [m for m in ("clean", "label") if not hasattr(settings, m)]
    if missing:
        pytest.xfail(f"{section.core}.Settings lacks {missing} (the module split adds them, issue 17)")
    assert settings.clean() == settings
    assert settings.label() == ""
    assert report.label(_other_settings(settings)) != "" or _other_settings(settings) == settings


def test_by_key_accepts_a_list_and_refuses_duplicate_keys(default_cards):
    cards = list(default_cards[WITH_CARDS[0].key].values())
    assert list(report.by_key(cards)) == [c.key for c in cards]
    with pytest.raises(ValueError, match="share the key"):
        report.by_key(cards + cards[:1])


def test_label_falls_back_to_the_changed_fields():
    @dataclasses.dataclass(frozen=True)
    class Plain:
        metric: str = "eci"
        log: bool = False

    assert report.label(Plain()) == ""
    assert report.label(Plain(log=True)) == "log=True"
    with pytest.raises(ValueError, match="no section 'nope'"):
        report.section("nope")
