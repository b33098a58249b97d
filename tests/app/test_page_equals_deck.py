"""The page and the deck show the same cards: for every section with cards in the registry, at its defaults and at a
non-default link, each card the page draws (recorded as `ui.card.chart_card` receives it) equals the card
`openclosed.report.section_cards` gives presenter mode and the deck for the settings the page read: same key,
title and Vega-Lite spec, and every deck card is drawn on the page."""
import json

import pytest

import ui.card
from openclosed import report, tables
from tests.app.conftest import open_page
from tests.app.test_control_parity import _non_default_link


@pytest.fixture(scope="module")
def loaded():
    return {name: tables.read(name) for name in tables.TABLES}


def _spec(card) -> str:
    return json.dumps(card.spec, sort_keys=True, default=str)


@pytest.mark.parametrize("at_link", [False, True], ids=["defaults", "link"])
@pytest.mark.parametrize("section", report.with_cards(), ids=lambda s: s.key)
def test_the_page_draws_the_decks_cards(section, at_link, loaded, monkeypatch):
    drawn = {}
    show = ui.card.chart_card

    def recording(card, *args, **kwargs):
        drawn[card.key] = card
        return show(card, *args, **kwargs)

    monkeypatch.setattr(ui.card, "chart_card", recording)
    at = open_page(section.page, _non_default_link(section, loaded) if at_link else None, timeout=300)
    assert not at.exception
    settings = at.session_state[f"_settings_{section.key}"]
    assert (settings == report.default_settings(section)) != at_link
    deck = report.section_cards(section, loaded, settings)
    assert drawn and set(drawn) == set(deck), (f"only on the page: {sorted(set(drawn) - set(deck))}; "
                                               f"only in the deck: {sorted(set(deck) - set(drawn))}")
    for key, card in drawn.items():
        assert (card.title, _spec(card)) == (deck[key].title, _spec(deck[key])), key
